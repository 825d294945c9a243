//! One hunt's outcome in a report: its metadata, a sample of its rows as
//! text, and the client IPs the rows name (read from client-side columns —
//! `cIP`, `source.ip`, sets such as `ClientIPs` — never from server ones).

use std::net::IpAddr;

use serde::Serialize;

use crate::render::cell::{self, Value};
use crate::QueryResult;

/// A hunt's severity, from its `// severity:` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Severity {
    Informational,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// Reads a header value; unknown or missing text is Informational.
    pub fn parse(text: Option<&str>) -> Severity {
        match text.map(|t| t.trim().to_ascii_lowercase()).as_deref() {
            Some("critical") => Severity::Critical,
            Some("high") => Severity::High,
            Some("medium") => Severity::Medium,
            Some("low") => Severity::Low,
            _ => Severity::Informational,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Severity::Informational => "Informational",
            Severity::Low => "Low",
            Severity::Medium => "Medium",
            Severity::High => "High",
            Severity::Critical => "Critical",
        }
    }
}

/// What running the hunt gave.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum Outcome {
    /// The hunt returned rows.
    Fired {
        rows: usize,
        columns: Vec<String>,
        /// The first rows, each cell as text (dynamic values as JSON).
        sample: Vec<Vec<String>>,
        /// Client IPs named anywhere in the rows, in first-seen order.
        clients: Vec<String>,
    },
    /// The hunt ran and found nothing.
    Quiet,
    /// The hunt could not run (its diagnostic).
    Failed { message: String },
    /// The hunt was not run (a table it needs is missing).
    Skipped { reason: String },
}

/// One hunt in a report.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// The hunt's name (file stem).
    pub hunt: String,
    pub title: String,
    pub description: String,
    pub severity: Severity,
    /// MITRE ATT&CK technique ids.
    pub mitre: Vec<String>,
    pub threshold: Option<String>,
    pub false_positives: Option<String>,
    /// The exact query text, to re-run in the REPL.
    pub query: String,
    /// `kql` or `esql`.
    pub dialect: String,
    pub outcome: Outcome,
}

/// Rows of a fired hunt kept in the report.
pub const SAMPLE_ROWS: usize = 10;
/// Client IPs kept per finding.
const MAX_CLIENTS: usize = 200;

impl Finding {
    pub fn rows(&self) -> usize {
        match &self.outcome {
            Outcome::Fired { rows, .. } => *rows,
            _ => 0,
        }
    }

    pub fn clients(&self) -> &[String] {
        match &self.outcome {
            Outcome::Fired { clients, .. } => clients,
            _ => &[],
        }
    }
}

impl Outcome {
    /// The outcome of a query result: quiet when empty, else a sample and the clients.
    pub fn from_result(result: &QueryResult) -> Outcome {
        let rows = result.row_count();
        if rows == 0 {
            return Outcome::Quiet;
        }
        let names: Vec<String> = result.columns.iter().map(|(n, _)| n.clone()).collect();
        let client_cols: Vec<usize> = names
            .iter()
            .enumerate()
            .filter(|(_, n)| is_client_column(n))
            .map(|(i, _)| i)
            .collect();
        let mut sample = Vec::new();
        let mut clients: Vec<String> = Vec::new();
        for batch in &result.batches {
            let columns = cell::columns(batch, &result.columns);
            for row in 0..batch.num_rows() {
                if sample.len() < SAMPLE_ROWS {
                    sample.push(
                        columns
                            .iter()
                            .map(|c| {
                                c.value(row)
                                    .text()
                                    .map(|t| t.into_owned())
                                    .unwrap_or_default()
                            })
                            .collect(),
                    );
                }
                for &i in &client_cols {
                    if clients.len() >= MAX_CLIENTS {
                        break;
                    }
                    collect_ips(&columns[i].value(row), &mut clients);
                }
            }
        }
        Outcome::Fired {
            rows,
            columns: names,
            sample,
            clients,
        }
    }
}

/// Columns that hold the client's address in the Sentinel and ECS views
/// and in the shipped hunts (`ClientIPs`); server-side ones (`sIP`,
/// `destination.ip`) are left out.
fn is_client_column(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let server = lower == "sip" || lower.starts_with("destination.") || lower.contains("server");
    !server
        && (lower == "cip"
            || lower == "ip"
            || lower == "source.ip"
            || lower == "related.ip"
            || lower.starts_with("client")
            || lower.starts_with("cip")
            || lower.ends_with("source.ip")
            || lower.ends_with("_cip"))
}

/// Adds every IP address in a value (a string or a JSON array of them).
fn collect_ips(value: &Value, out: &mut Vec<String>) {
    let mut add = |text: &str| {
        let text = text.trim();
        if text.parse::<IpAddr>().is_ok() && !out.iter().any(|known| known == text) {
            out.push(text.to_string());
        }
    };
    match value {
        Value::Str(s) => add(s),
        Value::Dynamic(json) => match serde_json::from_str::<serde_json::Value>(json) {
            Ok(serde_json::Value::Array(items)) => {
                for item in items {
                    if let Some(s) = item.as_str() {
                        add(s);
                    }
                }
            }
            Ok(serde_json::Value::String(s)) => add(&s),
            _ => {}
        },
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_order_and_parse() {
        assert!(Severity::High > Severity::Medium && Severity::Low > Severity::Informational);
        assert_eq!(Severity::parse(Some(" high ")), Severity::High);
        assert_eq!(Severity::parse(Some("whatever")), Severity::Informational);
        assert_eq!(Severity::parse(None), Severity::Informational);
    }

    #[test]
    fn client_columns_exclude_the_server_side() {
        for yes in ["cIP", "source.ip", "ClientIPs", "ClientIP", "ip"] {
            assert!(is_client_column(yes), "{yes}");
        }
        for no in ["sIP", "destination.ip", "Computer", "ServerIP", "set_sPort"] {
            assert!(!is_client_column(no), "{no}");
        }
    }

    #[test]
    fn ips_come_from_strings_and_arrays() {
        let mut out = Vec::new();
        collect_ips(&Value::Str("203.0.113.9".into()), &mut out);
        collect_ips(
            &Value::Dynamic(r#"["2001:db8::1","not an ip","203.0.113.9"]"#),
            &mut out,
        );
        collect_ips(&Value::Str("-".into()), &mut out);
        assert_eq!(out, vec!["203.0.113.9", "2001:db8::1"]);
    }
}
