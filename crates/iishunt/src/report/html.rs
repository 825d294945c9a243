//! The report as one self-contained HTML page: inline CSS, inline SVG
//! charts, no script, no external URL (it must open offline, from a mail
//! attachment, years later). Every value from a log goes through
//! [`escape_html`]: a `<script>` in a user agent shows as text.

use std::fmt::Write as _;

use super::finding::{Finding, Outcome, Severity};
use super::profile::ClientProfile;
use super::{escape_html as esc, svg, Report};

const STYLE: &str = "
body{font:14px/1.45 -apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;margin:0;color:#1d2330;background:#f5f6f8}
header{background:#1d2330;color:#fff;padding:18px 28px}header h1{margin:0 0 4px;font-size:22px}
header p{margin:0;color:#c8cdd8}main{padding:10px 28px 40px;max-width:1200px}
h2{margin:28px 0 10px;font-size:18px;border-bottom:2px solid #d9dde5;padding-bottom:4px}
h3{margin:0 0 6px;font-size:16px}section.card{background:#fff;border:1px solid #d9dde5;border-radius:6px;padding:14px 16px;margin:12px 0}
table{border-collapse:collapse;width:100%;font-size:13px;margin:6px 0}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #e6e8ee;vertical-align:top;word-break:break-word}
th{background:#eef0f4;font-weight:600;white-space:nowrap}code,pre{font-family:Consolas,Menlo,monospace;font-size:12px}
pre{background:#f0f2f6;border:1px solid #dde1e8;padding:8px;overflow-x:auto;white-space:pre-wrap}
.sev{display:inline-block;white-space:nowrap;border-radius:3px;padding:0 7px;font-size:12px;font-weight:600;color:#fff}
.sev-Critical{background:#7b1020}.sev-High{background:#c0392b}.sev-Medium{background:#d9822b}.sev-Low{background:#3d7ab8}.sev-Informational{background:#7b8494}
.counts span{margin-right:14px}.muted{color:#6b7280}.kv td:first-child{width:150px;color:#555}
details summary{cursor:pointer;color:#3d5a99}ul.paths{margin:4px 0;padding-left:18px;columns:2}
.legend span{margin-right:12px;font-size:12px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px}
";

/// Writes the whole page.
pub fn write_html(report: &Report) -> String {
    let mut h = String::with_capacity(64 * 1024);
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    h.push_str("<title>iishunt report</title><style>");
    h.push_str(STYLE);
    h.push_str("</style></head><body>\n");
    header(&mut h, report);
    h.push_str("<main>\n");
    summary(&mut h, report);
    clients(&mut h, &report.clients);
    details(&mut h, report);
    quiet(&mut h, report);
    h.push_str("</main></body></html>\n");
    h
}

fn badge(severity: Severity) -> String {
    format!("<span class=\"sev sev-{0}\">{0}</span>", severity.name())
}

fn header(h: &mut String, r: &Report) {
    let period = r
        .period
        .as_ref()
        .map(|(a, b)| format!("{a} — {b}"))
        .unwrap_or_else(|| "no rows".into());
    let tables: Vec<String> = r
        .tables
        .iter()
        .map(|(t, n)| format!("{t}: {n} rows"))
        .collect();
    let _ = writeln!(
        h,
        "<header><h1>iishunt hunt report</h1><p>Data: <code>{}</code> · period {} · {} · generated {}</p></header>",
        esc(&r.data),
        esc(&period),
        esc(&tables.join(", ")),
        esc(&r.generated)
    );
}

fn summary(h: &mut String, r: &Report) {
    let fired: Vec<&Finding> = r.fired().collect();
    h.push_str("<h2>Findings by severity</h2>\n<p class=\"counts\">");
    for s in [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Informational,
    ] {
        let n = fired.iter().filter(|f| f.severity == s).count();
        if n > 0 {
            let _ = write!(h, "<span>{} {n}</span>", badge(s));
        }
    }
    let _ = writeln!(
        h,
        "<span class=\"muted\">{} of {} hunts fired</span></p>",
        fired.len(),
        r.findings.len()
    );
    if fired.is_empty() {
        h.push_str("<p>No hunt returned rows.</p>\n");
        return;
    }
    h.push_str("<table><tr><th>severity</th><th>hunt</th><th>rows</th><th>clients</th><th>MITRE ATT&amp;CK</th></tr>\n");
    for f in &fired {
        let clients = f.clients();
        let mut shown: Vec<String> = clients
            .iter()
            .take(6)
            .map(|c| format!("<code>{}</code>", esc(c)))
            .collect();
        if clients.len() > 6 {
            shown.push(format!(
                "<span class=\"muted\">+{} more</span>",
                clients.len() - 6
            ));
        }
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td><a href=\"#hunt-{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            badge(f.severity),
            anchor(&f.hunt),
            esc(&f.title),
            f.rows(),
            shown.join(" "),
            esc(&f.mitre.join(", "))
        );
    }
    h.push_str("</table>\n");
}

fn clients(h: &mut String, clients: &[ClientProfile]) {
    if clients.is_empty() {
        return;
    }
    h.push_str("<h2>Suspicious clients</h2>\n");
    for c in clients {
        let _ = writeln!(
            h,
            "<section class=\"card\" id=\"client-{}\"><h3>{} <code>{}</code></h3>",
            anchor(&c.ip),
            badge(c.severity),
            esc(&c.ip)
        );
        let hunts: Vec<String> = c
            .hunts
            .iter()
            .map(|n| format!("<a href=\"#hunt-{}\">{}</a>", anchor(n), esc(n)))
            .collect();
        let statuses: Vec<String> = c
            .statuses
            .iter()
            .map(|(s, n)| format!("{}: {n}", esc(s)))
            .collect();
        let reasons: Vec<String> = c
            .error_reasons
            .iter()
            .map(|(s, n)| format!("{}: {n}", esc(s)))
            .collect();
        h.push_str("<table class=\"kv\">");
        let rows: [(&str, String); 8] = [
            ("named by", hunts.join(", ")),
            ("first seen", esc(c.first_seen.as_deref().unwrap_or("-"))),
            ("last seen", esc(c.last_seen.as_deref().unwrap_or("-"))),
            (
                "requests",
                format!("{} (HTTP.sys errors: {})", c.requests, c.http_errors),
            ),
            ("servers", esc(&c.servers.join(", "))),
            ("status mix", statuses.join(" · ")),
            ("methods", esc(&c.methods.join(", "))),
            (
                "user agents",
                c.user_agents
                    .iter()
                    .map(|a| format!("<code>{}</code>", esc(a)))
                    .collect::<Vec<_>>()
                    .join("<br>"),
            ),
        ];
        for (k, v) in rows {
            let _ = write!(h, "<tr><td>{k}</td><td>{v}</td></tr>");
        }
        if !reasons.is_empty() {
            let _ = write!(
                h,
                "<tr><td>HTTP.sys reasons</td><td>{}</td></tr>",
                reasons.join(" · ")
            );
        }
        h.push_str("</table>\n");
        if let Some(chart) = svg::activity_chart(&c.series, &format!("Activity of {}", c.ip)) {
            h.push_str("<div class=\"legend\"><span><i style=\"background:#4a78b5\"></i>requests</span><span><i style=\"background:#d0453a\"></i>error responses (≥ 400)</span><span><i style=\"background:#e69b00\"></i>HTTP.sys errors</span></div>\n");
            h.push_str(&chart);
            h.push('\n');
        }
        if !c.probed.is_empty() {
            h.push_str("<p><b>What it probed</b> (404s)</p><ul class=\"paths\">");
            for (p, n) in &c.probed {
                let _ = write!(h, "<li><code>{}</code> ×{n}</li>", esc(p));
            }
            h.push_str("</ul>\n");
        }
        if !c.successes.is_empty() {
            h.push_str("<p><b>When it succeeded</b> (first 2xx/3xx per path)</p><table><tr><th>first</th><th>path</th><th>status</th><th>requests</th><th>users</th></tr>");
            for s in &c.successes {
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(&s.first),
                    esc(&s.path),
                    esc(&s.status),
                    s.requests,
                    esc(&s.users.join(", "))
                );
            }
            h.push_str("</table>\n");
        }
        h.push_str("<details><summary>Queries behind this timeline</summary>");
        for (what, q) in &c.queries {
            let _ = write!(
                h,
                "<p class=\"muted\">{}</p><pre>{}</pre>",
                esc(what),
                esc(q)
            );
        }
        h.push_str("</details></section>\n");
    }
}

fn details(h: &mut String, r: &Report) {
    let fired: Vec<&Finding> = r.fired().collect();
    if fired.is_empty() {
        return;
    }
    h.push_str("<h2>Finding details</h2>\n");
    for f in fired {
        let _ = writeln!(
            h,
            "<section class=\"card\" id=\"hunt-{}\"><h3>{} {}</h3><p class=\"muted\"><code>{}</code> · {} row(s){}</p><p>{}</p>",
            anchor(&f.hunt),
            badge(f.severity),
            esc(&f.title),
            esc(&f.hunt),
            f.rows(),
            if f.mitre.is_empty() { String::new() } else { format!(" · MITRE ATT&amp;CK {}", esc(&f.mitre.join(", "))) },
            esc(&f.description)
        );
        if let Some(t) = &f.threshold {
            let _ = write!(h, "<p><b>Threshold:</b> {}</p>", esc(t));
        }
        if let Some(fp) = &f.false_positives {
            let _ = write!(h, "<p><b>False positives:</b> {}</p>", esc(fp));
        }
        if let Outcome::Fired {
            columns,
            sample,
            rows,
            ..
        } = &f.outcome
        {
            h.push_str("<table><tr>");
            for c in columns {
                let _ = write!(h, "<th>{}</th>", esc(c));
            }
            h.push_str("</tr>");
            for row in sample {
                h.push_str("<tr>");
                for cell in row {
                    let _ = write!(h, "<td>{}</td>", esc(&clip(cell, 300)));
                }
                h.push_str("</tr>");
            }
            h.push_str("</table>");
            if *rows > sample.len() {
                let _ = write!(
                    h,
                    "<p class=\"muted\">first {} of {rows} rows</p>",
                    sample.len()
                );
            }
        }
        let _ = writeln!(
            h,
            "<details><summary>The query ({}) — paste it in <code>iishunt repl</code></summary><pre>{}</pre></details></section>",
            esc(&f.dialect),
            esc(&f.query)
        );
    }
}

fn quiet(h: &mut String, r: &Report) {
    let rest: Vec<&Finding> = r.findings.iter().filter(|f| f.rows() == 0).collect();
    if rest.is_empty() {
        return;
    }
    h.push_str("<h2>Hunts without findings</h2>\n<table><tr><th>hunt</th><th>severity</th><th>outcome</th></tr>");
    for f in rest {
        let outcome = match &f.outcome {
            Outcome::Quiet => "nothing found".to_string(),
            Outcome::Failed { message } => format!("failed: {message}"),
            Outcome::Skipped { reason } => format!("skipped: {reason}"),
            Outcome::Fired { .. } => String::new(),
        };
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&f.title),
            badge(f.severity),
            esc(&outcome)
        );
    }
    h.push_str("</table>\n");
}

/// An id-safe form of a name or address.
fn anchor(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut s: String = text.chars().take(max).collect();
    s.push('…');
    s
}
