//! What one suspicious client did, asked of the engine with plain KQL
//! (each query is kept in the profile so the analyst can re-run it in the
//! REPL): first and last seen, servers, user agents, status mix, the paths
//! it was refused (404) and the first successes, HTTP.sys errors, and a
//! series of its requests and errors over the span of its activity.

use std::net::IpAddr;

use serde::Serialize;

use super::finding::Severity;
use crate::render::cell::{self, Value};
use crate::{Engine, QueryOptions};

/// A client's activity, for the report's timeline and chart.
#[derive(Debug, Clone, Serialize)]
pub struct ClientProfile {
    pub ip: String,
    /// The worst severity among the findings that name it.
    pub severity: Severity,
    /// The hunts that name it.
    pub hunts: Vec<String>,
    pub requests: u64,
    /// HTTP.sys error rows from this client.
    pub http_errors: u64,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub servers: Vec<String>,
    pub user_agents: Vec<String>,
    pub methods: Vec<String>,
    /// `(status, requests)`, most frequent first.
    pub statuses: Vec<(String, u64)>,
    /// `(path, 404s)`, most probed first.
    pub probed: Vec<(String, u64)>,
    /// The first successful answers, in time order.
    pub successes: Vec<Success>,
    /// `(reason, rows)` from the HTTP.sys error log.
    pub error_reasons: Vec<(String, u64)>,
    pub series: Series,
    /// `(what, query)`: the queries behind this profile.
    pub queries: Vec<(String, String)>,
}

/// A path the client got a 2xx/3xx for.
#[derive(Debug, Clone, Serialize)]
pub struct Success {
    pub first: String,
    pub path: String,
    pub status: String,
    pub requests: u64,
    pub users: Vec<String>,
}

/// Requests, error responses (≥ 400) and HTTP.sys errors per time bin.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Series {
    /// Start of the first bin, microseconds.
    pub start: i64,
    /// Bin width, microseconds.
    pub step: i64,
    pub requests: Vec<u64>,
    pub errors: Vec<u64>,
    pub http_errors: Vec<u64>,
}

/// Bins a series may use, smallest first; the first that gives at most
/// `MAX_BINS` bins over the client's span is chosen.
const STEPS: &[(&str, i64)] = &[
    ("1m", 60),
    ("5m", 300),
    ("10m", 600),
    ("30m", 1_800),
    ("1h", 3_600),
    ("3h", 10_800),
    ("6h", 21_600),
    ("1d", 86_400),
];
const MAX_BINS: i64 = 72;
const MICROS: i64 = 1_000_000;

/// Profiles `ip` (an address, checked: it is spliced into query text).
pub fn profile_client(
    engine: &Engine,
    ip: &str,
    severity: Severity,
    hunts: Vec<String>,
    options: &QueryOptions,
) -> Option<ClientProfile> {
    let ip: IpAddr = ip.parse().ok()?;
    let ip = ip.to_string();
    let has_errors = engine.tables().iter().any(|t| t.name == "HttpErrorLog");
    let mut queries = Vec::new();
    let mut ask = |what: &str, text: String| -> Vec<Vec<Cell>> {
        let rows = engine
            .query(&text, options)
            .map(|r| table(&r))
            .unwrap_or_default();
        queries.push((what.to_string(), text));
        rows
    };
    let access = format!("W3CIISLog | where cIP == \"{ip}\"");
    let overview = ask(
        "overview",
        format!(
            "{access}\n| summarize Requests = count(), FirstSeen = min(TimeGenerated), LastSeen = max(TimeGenerated),\n    Servers = make_set(Computer), UserAgents = make_set(csUserAgent, 5), Methods = make_set(csMethod)"
        ),
    );
    let statuses = ask(
        "status mix",
        format!("{access}\n| summarize Requests = count() by scStatus\n| order by Requests desc"),
    );
    let probed = ask(
        "paths refused (404)",
        format!("{access} and scStatus == \"404\"\n| summarize NotFound = count() by csUriStem\n| top 12 by NotFound"),
    );
    let successes = ask(
        "first successes",
        format!(
            "{access} and toint(scStatus) between (200 .. 399)\n| summarize First = min(TimeGenerated), Requests = count(), Users = make_set_if(csUserName, csUserName != \"-\", 3) by csUriStem, scStatus\n| order by First asc\n| take 12"
        ),
    );
    let errors_view = format!("HttpErrorLog | where cIP == \"{ip}\"");
    let reasons = if has_errors {
        ask(
            "HTTP.sys errors",
            format!("{errors_view}\n| summarize Rows = count(), FirstSeen = min(TimeGenerated), LastSeen = max(TimeGenerated) by sReason\n| order by Rows desc"),
        )
    } else {
        Vec::new()
    };

    let first_row = overview.first();
    let requests = first_row
        .and_then(|r| r.first())
        .and_then(Cell::num)
        .unwrap_or(0.0) as u64;
    let mut first = first_row.and_then(|r| r.get(1)).and_then(Cell::time);
    let mut last = first_row.and_then(|r| r.get(2)).and_then(Cell::time);
    for r in &reasons {
        first = min_opt(first, r.get(2).and_then(Cell::time));
        last = max_opt(last, r.get(3).and_then(Cell::time));
    }
    let http_errors = reasons
        .iter()
        .filter_map(|r| r.get(1).and_then(Cell::num))
        .sum::<f64>() as u64;
    let (first_us, last_us) = (first?, last?);
    let span = (last_us - first_us).max(1);
    let (step_text, step_s) = STEPS
        .iter()
        .copied()
        .find(|(_, s)| span / (s * MICROS) < MAX_BINS)
        .unwrap_or(("1d", 86_400));
    let step = step_s * MICROS;
    let start = first_us.div_euclid(step) * step;
    let bins = ((last_us - start) / step + 1) as usize;
    let mut series = Series {
        start,
        step,
        requests: vec![0; bins],
        errors: vec![0; bins],
        http_errors: vec![0; bins],
    };
    let access_series = ask(
        "requests and errors over time",
        format!("{access}\n| summarize Requests = count(), Errors = countif(toint(scStatus) >= 400) by bin(TimeGenerated, {step_text})\n| order by TimeGenerated asc"),
    );
    for r in &access_series {
        if let Some(i) = r.first().and_then(Cell::time).and_then(|t| series.index(t)) {
            series.requests[i] += r.get(1).and_then(Cell::num).unwrap_or(0.0) as u64;
            series.errors[i] += r.get(2).and_then(Cell::num).unwrap_or(0.0) as u64;
        }
    }
    if http_errors > 0 {
        let error_series = ask(
            "HTTP.sys errors over time",
            format!("{errors_view}\n| summarize Rows = count() by bin(TimeGenerated, {step_text})\n| order by TimeGenerated asc"),
        );
        for r in &error_series {
            if let Some(i) = r.first().and_then(Cell::time).and_then(|t| series.index(t)) {
                series.http_errors[i] += r.get(1).and_then(Cell::num).unwrap_or(0.0) as u64;
            }
        }
    }
    Some(ClientProfile {
        ip,
        severity,
        hunts,
        requests,
        http_errors,
        first_seen: Some(super::rfc3339(first_us)),
        last_seen: Some(super::rfc3339(last_us)),
        servers: first_row
            .and_then(|r| r.get(3))
            .map(Cell::list)
            .unwrap_or_default(),
        user_agents: first_row
            .and_then(|r| r.get(4))
            .map(Cell::list)
            .unwrap_or_default(),
        methods: first_row
            .and_then(|r| r.get(5))
            .map(Cell::list)
            .unwrap_or_default(),
        statuses: pairs(&statuses),
        probed: pairs(&probed),
        successes: successes
            .iter()
            .map(|r| Success {
                first: r
                    .get(2)
                    .and_then(Cell::time)
                    .map(super::rfc3339)
                    .unwrap_or_default(),
                path: r.first().map(Cell::text).unwrap_or_default(),
                status: r.get(1).map(Cell::text).unwrap_or_default(),
                requests: r.get(3).and_then(Cell::num).unwrap_or(0.0) as u64,
                users: r.get(4).map(Cell::list).unwrap_or_default(),
            })
            .collect(),
        error_reasons: pairs(&reasons),
        series,
        queries,
    })
}

impl Series {
    fn index(&self, micros: i64) -> Option<usize> {
        let i = (micros - self.start).div_euclid(self.step);
        (i >= 0 && (i as usize) < self.requests.len()).then_some(i as usize)
    }
}

fn min_opt(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn max_opt(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// `(text of column 0, number in column 1)` for each row.
fn pairs(rows: &[Vec<Cell>]) -> Vec<(String, u64)> {
    rows.iter()
        .map(|r| {
            (
                r.first().map(Cell::text).unwrap_or_default(),
                r.get(1).and_then(Cell::num).unwrap_or(0.0) as u64,
            )
        })
        .collect()
}

/// A result cell, owned.
#[derive(Debug, Clone)]
enum Cell {
    Null,
    Num(f64),
    Time(i64),
    Text(String),
}

impl Cell {
    fn num(&self) -> Option<f64> {
        match self {
            Cell::Num(v) => Some(*v),
            _ => None,
        }
    }

    fn time(&self) -> Option<i64> {
        match self {
            Cell::Time(v) => Some(*v),
            _ => None,
        }
    }

    fn text(&self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Num(v) => v.to_string(),
            Cell::Time(v) => super::rfc3339(*v),
            Cell::Text(s) => s.clone(),
        }
    }

    /// A dynamic array as its items' text.
    fn list(&self) -> Vec<String> {
        match self {
            Cell::Text(json) => match serde_json::from_str::<serde_json::Value>(json) {
                Ok(serde_json::Value::Array(items)) => items
                    .into_iter()
                    .map(|v| match v {
                        serde_json::Value::String(s) => s,
                        other => other.to_string(),
                    })
                    .collect(),
                _ => vec![json.clone()],
            },
            Cell::Null => Vec::new(),
            other => vec![other.text()],
        }
    }
}

fn table(result: &crate::QueryResult) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    for batch in &result.batches {
        let columns = cell::columns(batch, &result.columns);
        for row in 0..batch.num_rows() {
            rows.push(
                columns
                    .iter()
                    .map(|c| match c.value(row) {
                        Value::Null => Cell::Null,
                        Value::DateTime(t) => Cell::Time(t),
                        Value::Str(s) => Cell::Text(s.into_owned()),
                        Value::Dynamic(s) => Cell::Text(s.to_string()),
                        other => other.as_f64().map(Cell::Num).unwrap_or(Cell::Null),
                    })
                    .collect(),
            );
        }
    }
    rows
}
