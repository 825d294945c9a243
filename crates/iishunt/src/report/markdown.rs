//! The report as Markdown, for a ticket or a chat: the same sections as
//! the HTML page, with a text sparkline in place of each chart. Log values
//! are put in code spans with backticks and pipes neutralised, so a crafted
//! user agent cannot break a table or inject markup.

use std::fmt::Write as _;

use super::finding::{Finding, Outcome};
use super::Report;

/// Writes the whole document.
pub fn write_markdown(r: &Report) -> String {
    let mut m = String::new();
    let _ = writeln!(m, "# iishunt hunt report\n");
    let _ = writeln!(m, "- data: {}", code(&r.data));
    if let Some((a, b)) = &r.period {
        let _ = writeln!(m, "- period: {a} — {b}");
    }
    for (t, n) in &r.tables {
        let _ = writeln!(m, "- {t}: {n} rows");
    }
    let _ = writeln!(m, "- generated: {}\n", r.generated);
    let fired: Vec<&Finding> = r.fired().collect();
    let _ = writeln!(
        m,
        "## Findings by severity\n\n{} of {} hunts fired.\n",
        fired.len(),
        r.findings.len()
    );
    if !fired.is_empty() {
        let _ = writeln!(
            m,
            "| severity | hunt | rows | clients | MITRE |\n| --- | --- | --- | --- | --- |"
        );
        for f in &fired {
            let clients: Vec<String> = f.clients().iter().take(6).map(|c| code(c)).collect();
            let _ = writeln!(
                m,
                "| {} | {} | {} | {} | {} |",
                f.severity.name(),
                cell(&f.title),
                f.rows(),
                clients.join(" "),
                cell(&f.mitre.join(", "))
            );
        }
        m.push('\n');
    }
    if !r.clients.is_empty() {
        let _ = writeln!(m, "## Suspicious clients\n");
        for c in &r.clients {
            let _ = writeln!(m, "### {} {}\n", c.severity.name(), code(&c.ip));
            let _ = writeln!(m, "- named by: {}", c.hunts.join(", "));
            let _ = writeln!(
                m,
                "- seen: {} — {}",
                c.first_seen.as_deref().unwrap_or("-"),
                c.last_seen.as_deref().unwrap_or("-")
            );
            let _ = writeln!(
                m,
                "- requests: {} (HTTP.sys errors: {})",
                c.requests, c.http_errors
            );
            let _ = writeln!(m, "- servers: {}", cell(&c.servers.join(", ")));
            let statuses: Vec<String> = c
                .statuses
                .iter()
                .map(|(s, n)| format!("{}: {n}", cell(s)))
                .collect();
            let _ = writeln!(m, "- status mix: {}", statuses.join(", "));
            let _ = writeln!(m, "- activity: `{}`", sparkline(&c.series.requests));
            if !c.probed.is_empty() {
                let probed: Vec<String> = c
                    .probed
                    .iter()
                    .map(|(p, n)| format!("{} ×{n}", code(p)))
                    .collect();
                let _ = writeln!(m, "- probed: {}", probed.join(", "));
            }
            for s in &c.successes {
                let _ = writeln!(
                    m,
                    "- succeeded {}: {} {} ×{}",
                    s.first,
                    code(&s.path),
                    s.status,
                    s.requests
                );
            }
            m.push('\n');
        }
    }
    for f in &fired {
        let _ = writeln!(m, "## {} — {}\n", f.severity.name(), f.title);
        let _ = writeln!(m, "{}\n", f.description);
        if let Some(t) = &f.threshold {
            let _ = writeln!(m, "Threshold: {t}\n");
        }
        if let Outcome::Fired {
            columns, sample, ..
        } = &f.outcome
        {
            let _ = writeln!(
                m,
                "| {} |",
                columns
                    .iter()
                    .map(|c| cell(c))
                    .collect::<Vec<_>>()
                    .join(" | ")
            );
            let _ = writeln!(m, "|{}", " --- |".repeat(columns.len()));
            for row in sample {
                let _ = writeln!(
                    m,
                    "| {} |",
                    row.iter().map(|c| code(c)).collect::<Vec<_>>().join(" | ")
                );
            }
        }
        let fence = if f.query.contains("```") {
            "~~~~"
        } else {
            "```"
        };
        let _ = writeln!(
            m,
            "\n{fence}{}\n{}\n{fence}\n",
            f.dialect,
            f.query.trim_end()
        );
    }
    m
}

/// A value in a code span: backticks and pipes replaced, newlines flattened.
fn code(text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    format!(
        "`{}`",
        text.replace('`', "'")
            .replace('|', "¦")
            .replace(['\n', '\r'], " ")
    )
}

/// Plain text in a table cell.
fn cell(text: &str) -> String {
    text.replace('|', "¦").replace(['\n', '\r'], " ")
}

/// Unicode block characters, one per bin.
fn sparkline(values: &[u64]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let peak = values.iter().copied().max().unwrap_or(0).max(1) as f64;
    values
        .iter()
        .map(|&v| {
            if v == 0 {
                ' '
            } else {
                BARS[((v as f64 / peak) * 7.0).round() as usize]
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_cannot_break_out_of_code_spans_or_tables() {
        assert_eq!(code("a`b|c\nd"), "`a'b¦c d`");
        assert_eq!(sparkline(&[0, 1, 8]), " ▂█");
    }
}
