//! The summary `iishunt run` prints when every hunt is done: one row per
//! hunt (name, title, severity, MITRE, rows, time, status), and the same as
//! `summary.json` in `--out` for CI to read.

use std::io::{self, Write};
use std::time::Duration;

use comfy_table::{presets, Attribute, Cell, CellAlignment, Color, ContentArrangement, Table};
use iishunt::render::cell::escape_control;
use iishunt::render::table::cut;

use super::hunt::Hunt;

/// How one hunt ended.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// It ran; `rows` rows came back.
    Ran {
        rows: usize,
        elapsed: Duration,
        output: Option<String>,
    },
    /// It failed; the rendered diagnostic is printed before the summary.
    Failed { code: String, message: String },
    /// It did not run: a table it `requires` is missing.
    Skipped { reason: String },
}

impl Outcome {
    pub fn status(&self) -> &'static str {
        match self {
            Outcome::Ran { rows: 0, .. } => "ok",
            Outcome::Ran { .. } => "FIRED",
            Outcome::Failed { .. } => "ERROR",
            Outcome::Skipped { .. } => "skipped",
        }
    }
}

/// Writes the summary table; with `width`, the title column gives way so
/// the table fits.
pub fn write_summary(
    hunts: &[Hunt],
    outcomes: &[Outcome],
    color: bool,
    width: Option<usize>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let longest = |f: &dyn Fn(&Hunt, &Outcome) -> usize, header: usize| {
        hunts
            .iter()
            .zip(outcomes)
            .map(|(h, o)| f(h, o))
            .max()
            .unwrap_or(0)
            .max(header)
    };
    let chars = |v: &Option<String>| v.as_deref().map_or(0, |s| s.chars().count());
    let name_w = longest(&|h, _| h.name.chars().count(), 4).min(40);
    let severity_w = longest(&|h, _| chars(&h.meta.severity), 8).min(13);
    let mitre_w = longest(&|h, _| chars(&h.meta.mitre), 5).min(16);
    let status_w = longest(&|_, o| status_text(o).chars().count(), 6);
    // hunt, severity, mitre, rows, time, status, then borders and padding.
    let others = name_w + severity_w + mitre_w + 4 + 7 + status_w + 3 * 7 + 1;
    let title_w = width.map_or(48, |w| w.saturating_sub(others).clamp(16, 48));
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled);
    if color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    table.set_header([
        "hunt", "title", "severity", "mitre", "rows", "time", "status",
    ]);
    for (hunt, outcome) in hunts.iter().zip(outcomes) {
        let text =
            |v: &Option<String>, w: usize| cut(&escape_control(v.as_deref().unwrap_or("")), w);
        let (rows, time) = match outcome {
            Outcome::Ran { rows, elapsed, .. } => {
                (rows.to_string(), format!("{:.3} s", elapsed.as_secs_f64()))
            }
            Outcome::Failed { .. } | Outcome::Skipped { .. } => ("-".into(), "-".into()),
        };
        let mut status = Cell::new(status_text(outcome));
        if color {
            status = match outcome {
                Outcome::Ran { rows: 0, .. } => status.fg(Color::Green),
                Outcome::Ran { .. } => status.fg(Color::Yellow).add_attribute(Attribute::Bold),
                Outcome::Failed { .. } => status.fg(Color::Red).add_attribute(Attribute::Bold),
                Outcome::Skipped { .. } => status.fg(Color::DarkGrey),
            };
        }
        table.add_row(vec![
            Cell::new(cut(&hunt.name, name_w)),
            Cell::new(text(&hunt.meta.title, title_w)),
            Cell::new(text(&hunt.meta.severity, severity_w)),
            Cell::new(text(&hunt.meta.mitre, mitre_w)),
            Cell::new(rows).set_alignment(CellAlignment::Right),
            Cell::new(time).set_alignment(CellAlignment::Right),
            status,
        ]);
    }
    writeln!(out, "{table}")?;
    let failed = outcomes
        .iter()
        .filter(|o| matches!(o, Outcome::Failed { .. }))
        .count();
    let fired = outcomes
        .iter()
        .filter(|o| matches!(o, Outcome::Ran { rows, .. } if *rows > 0))
        .count();
    writeln!(out, "{} hunts: {fired} fired, {failed} failed", hunts.len())
}

fn status_text(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Failed { code, .. } => format!("ERROR ({code})"),
        Outcome::Skipped { reason } => format!("skipped ({reason})"),
        other => other.status().to_string(),
    }
}

/// The summary as JSON (one object per hunt, metadata included).
pub fn summary_json(hunts: &[Hunt], outcomes: &[Outcome]) -> serde_json::Value {
    let items: Vec<serde_json::Value> = hunts
        .iter()
        .zip(outcomes)
        .map(|(hunt, outcome)| {
            let mut map = hunt.meta.to_json(&hunt.name, &hunt.path);
            map.insert("status".into(), outcome.status().to_lowercase().into());
            match outcome {
                Outcome::Ran {
                    rows,
                    elapsed,
                    output,
                } => {
                    map.insert("rows".into(), (*rows).into());
                    map.insert("seconds".into(), elapsed.as_secs_f64().into());
                    if let Some(o) = output {
                        map.insert("output".into(), o.clone().into());
                    }
                }
                Outcome::Failed { code, message } => {
                    map.insert("error_code".into(), code.clone().into());
                    map.insert("error".into(), message.clone().into());
                }
                Outcome::Skipped { reason } => {
                    map.insert("reason".into(), reason.clone().into());
                }
            }
            serde_json::Value::Object(map)
        })
        .collect();
    serde_json::Value::Array(items)
}
