//! Building a report: run every hunt (in parallel, on rayon), turn each
//! result into a [`Finding`], profile the clients the serious findings
//! name, and note the period and size of the data.

use rayon::prelude::*;

use super::finding::{Finding, Outcome, Severity};
use super::profile::profile_client;
use super::Report;
use crate::{Dialect, Engine, QueryOptions};

/// One hunt to run: its text and the metadata its header gives.
#[derive(Debug, Clone)]
pub struct HuntSpec {
    pub name: String,
    pub title: String,
    pub description: String,
    pub severity: Severity,
    pub mitre: Vec<String>,
    pub threshold: Option<String>,
    pub false_positives: Option<String>,
    pub query: String,
    pub dialect: Dialect,
    /// Tables the hunt needs beyond the logs; without them it is skipped.
    pub requires: Vec<String>,
}

/// How a report is made.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    pub query: QueryOptions,
    /// Clients named by findings of this severity or above are profiled.
    pub profile_from: Severity,
    /// At most this many clients are profiled.
    pub max_clients: usize,
    /// What was hunted over, for the header.
    pub data: String,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            query: QueryOptions::default(),
            profile_from: Severity::Medium,
            max_clients: 25,
            data: String::new(),
        }
    }
}

/// Runs the hunts and profiles the suspects.
pub fn build_report(engine: &Engine, hunts: &[HuntSpec], options: &ReportOptions) -> Report {
    let tables: Vec<String> = engine.tables().into_iter().map(|t| t.name).collect();
    let findings: Vec<Finding> = hunts
        .par_iter()
        .map(|h| {
            let missing = h.requires.iter().find(|t| !tables.contains(t));
            let outcome = match missing {
                Some(t) => Outcome::Skipped {
                    reason: format!("needs table {t}"),
                },
                None => {
                    let query = QueryOptions {
                        dialect: Some(h.dialect),
                        ..options.query.clone()
                    };
                    match engine.query(&h.query, &query) {
                        Ok(result) => Outcome::from_result(&result),
                        Err(err) => Outcome::Failed {
                            message: err.to_string(),
                        },
                    }
                }
            };
            Finding {
                hunt: h.name.clone(),
                title: h.title.clone(),
                description: h.description.clone(),
                severity: h.severity,
                mitre: h.mitre.clone(),
                threshold: h.threshold.clone(),
                false_positives: h.false_positives.clone(),
                query: h.query.clone(),
                dialect: match h.dialect {
                    Dialect::Kql => "kql".into(),
                    Dialect::Esql => "esql".into(),
                },
                outcome,
            }
        })
        .collect();
    let suspects = Report::suspects(&findings, options.profile_from, options.max_clients);
    let clients = suspects
        .into_par_iter()
        .filter_map(|(ip, severity, hunts)| {
            profile_client(engine, &ip, severity, hunts, &options.query)
        })
        .collect();
    let mut report = Report {
        data: options.data.clone(),
        generated: chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        period: period(engine, &options.query),
        tables: engine
            .tables()
            .into_iter()
            .filter(|t| t.rows > 0 && t.columns.iter().any(|(c, _)| c == "TimeGenerated"))
            .map(|t| (t.name, t.rows))
            .collect(),
        findings,
        clients,
    };
    report.sort();
    report
}

/// The first and last `TimeGenerated` of the access log.
fn period(engine: &Engine, options: &QueryOptions) -> Option<(String, String)> {
    let result = engine
        .query(
            "W3CIISLog | summarize min(TimeGenerated), max(TimeGenerated)",
            options,
        )
        .ok()?;
    let batch = result.batches.first()?;
    let columns = crate::render::cell::columns(batch, &result.columns);
    let time = |i: usize| match columns.get(i)?.value(0) {
        crate::render::cell::Value::DateTime(t) => Some(super::rfc3339(t)),
        _ => None,
    };
    Some((time(0)?, time(1)?))
}
