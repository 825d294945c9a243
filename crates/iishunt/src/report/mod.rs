//! The hunt report: what a run of the hunt library found, written for the
//! incident lead as one self-contained HTML page (inline CSS and SVG, no
//! external URL), as Markdown, or as JSON for tools and tests.
//!
//! `finding` turns each hunt's result into a [`Finding`] (severity, sample
//! rows, the client IPs it names); `profile` asks the engine what each
//! suspicious client did (a timeline, its status mix, what it probed and
//! when it succeeded, a series of its requests and errors); `html`,
//! `markdown` and `svg` draw them. Every string that came from a log is
//! attacker-controlled and is escaped by the writer that prints it.

pub mod build;
pub mod finding;
pub mod html;
pub mod markdown;
pub mod profile;
pub mod svg;

use serde::Serialize;

pub use build::{build_report, HuntSpec, ReportOptions};
pub use finding::{Finding, Outcome, Severity};
pub use html::write_html;
pub use markdown::write_markdown;
pub use profile::{profile_client, ClientProfile, Series};

/// Everything one report shows.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// What was hunted over (the `--data` paths).
    pub data: String,
    /// When the report was made, RFC 3339 UTC.
    pub generated: String,
    /// The first and last `TimeGenerated` in the data, RFC 3339.
    pub period: Option<(String, String)>,
    /// Rows per log table.
    pub tables: Vec<(String, u64)>,
    /// Every hunt that ran, fired or not, most severe first.
    pub findings: Vec<Finding>,
    /// Clients named by the findings at or above `min_client_severity`, most severe first.
    pub clients: Vec<ClientProfile>,
}

impl Report {
    /// Findings with rows, most severe first.
    pub fn fired(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.rows() > 0)
    }

    /// Sorts findings by severity (then name) and clients by severity, then hunts.
    pub fn sort(&mut self) {
        self.findings.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then_with(|| a.hunt.cmp(&b.hunt))
        });
        self.clients.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then_with(|| b.hunts.len().cmp(&a.hunts.len()))
                .then_with(|| a.ip.cmp(&b.ip))
        });
    }

    /// The clients to profile: every IP a fired finding of at least
    /// `min` severity names, with the hunts that named it and its worst
    /// severity, at most `limit`, most severe first.
    pub fn suspects(
        findings: &[Finding],
        min: Severity,
        limit: usize,
    ) -> Vec<(String, Severity, Vec<String>)> {
        let mut out: Vec<(String, Severity, Vec<String>)> = Vec::new();
        for f in findings.iter().filter(|f| f.severity >= min) {
            for ip in f.clients() {
                match out.iter_mut().find(|(known, _, _)| known == ip) {
                    Some((_, severity, hunts)) => {
                        *severity = (*severity).max(f.severity);
                        if !hunts.contains(&f.hunt) {
                            hunts.push(f.hunt.clone());
                        }
                    }
                    None => out.push((ip.clone(), f.severity, vec![f.hunt.clone()])),
                }
            }
        }
        out.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then_with(|| b.2.len().cmp(&a.2.len()))
                .then_with(|| a.0.cmp(&b.0))
        });
        out.truncate(limit);
        out
    }
}

/// Text safe inside HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// A datetime in microseconds as RFC 3339 UTC, seconds precision.
pub fn rfc3339(micros: i64) -> String {
    chrono::DateTime::from_timestamp_micros(micros)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|| micros.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escaping_covers_markup_quotes_and_controls() {
        assert_eq!(
            escape_html("<script>alert('x')</script>&\"\u{1b}[31m"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;\\u{1b}[31m"
        );
    }
}
