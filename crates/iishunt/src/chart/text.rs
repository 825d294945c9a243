//! The compact chart drawn in the terminal under a result table: one
//! sparkline per series for time and line charts (with its range and total),
//! horizontal bars for column, bar and pie charts. Plain characters only, so
//! it survives copy-paste into a ticket.

use std::fmt::Write as _;

use super::data::{ChartData, XAxis};
use super::{ChartKind, MAX_TEXT_BARS};
use crate::render::cell::{escape_control, format_datetime, format_real};
use crate::render::table::cut;
use crate::{QueryResult, RenderSpec};

const TICKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// The text chart for `result` as `spec` asks, at most `width` columns wide;
/// empty when the result has nothing to chart.
pub fn draw(result: &QueryResult, spec: &RenderSpec, width: usize) -> String {
    let Some(kind) = ChartKind::parse(&spec.chart) else {
        return format!(
            "(render {}: not drawn in the terminal)\n",
            escape_control(&spec.chart)
        );
    };
    let title = super::title(spec);
    match ChartData::from_result(&super::charted(result, spec), kind, &title) {
        Some(data) => draw_data(&data, width.max(30)),
        None => format!("({}: no column to chart)\n", kind.name()),
    }
}

/// Draws already extracted chart data.
pub fn draw_data(data: &ChartData, width: usize) -> String {
    let mut out = String::new();
    let heading = if data.title.is_empty() {
        data.kind.name().to_string()
    } else {
        escape_control(&data.title).into_owned()
    };
    let _ = writeln!(out, "{heading}");
    match &data.x {
        XAxis::Category(labels) => bars(&mut out, data, labels, width),
        _ => sparklines(&mut out, data, width),
    }
    out
}

fn sparklines(out: &mut String, data: &ChartData, width: usize) {
    let Some(((x0, x1), _)) = data.bounds() else {
        return;
    };
    let name_w = data
        .series
        .iter()
        .map(|s| s.name.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(4, 24);
    let cols = width.saturating_sub(name_w + 16).max(10);
    for s in &data.series {
        // Bucket points by x into `cols` cells; a cell shows its largest value.
        let mut cells: Vec<Option<f64>> = vec![None; cols];
        for &(x, y) in &s.points {
            let at = if x1 > x0 {
                (((x - x0) / (x1 - x0)) * (cols - 1) as f64).round() as usize
            } else {
                0
            };
            let cell = &mut cells[at.min(cols - 1)];
            *cell = Some(cell.map_or(y, |c: f64| c.max(y)));
        }
        let max = cells.iter().flatten().copied().fold(f64::MIN, f64::max);
        let line: String = cells
            .iter()
            .map(|c| match c {
                None => ' ',
                Some(v) if max <= 0.0 => TICKS[0],
                Some(v) => TICKS[((v / max) * 7.0).round().clamp(0.0, 7.0) as usize],
            })
            .collect();
        let _ = writeln!(
            out,
            "{:<name_w$} {line} max {}",
            cut(&s.name, name_w),
            format_real(max)
        );
    }
    if data.x == XAxis::Time {
        let from = format_datetime(x0 as i64);
        let to = format_datetime(x1 as i64);
        let _ = writeln!(out, "{:<name_w$} {from} → {to}", "");
    }
}

fn bars(out: &mut String, data: &ChartData, labels: &[String], width: usize) {
    let Some(series) = data.series.first() else {
        return;
    };
    let label_w = labels
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(4)
        .clamp(4, 28);
    let max = series.points.iter().map(|p| p.1).fold(0.0_f64, f64::max);
    let total: f64 = series.points.iter().map(|p| p.1.max(0.0)).sum();
    let bar_w = width.saturating_sub(label_w + 16).max(10);
    for (i, &(_, v)) in series.points.iter().enumerate().take(MAX_TEXT_BARS) {
        let label = labels.get(i).map(String::as_str).unwrap_or("");
        let n = if max > 0.0 {
            ((v / max) * bar_w as f64).round().max(0.0) as usize
        } else {
            0
        };
        let bar = "█".repeat(n.max(usize::from(v > 0.0)));
        let value = if data.kind == ChartKind::Pie && total > 0.0 {
            format!("{} ({:.1}%)", format_real(v), v / total * 100.0)
        } else {
            format_real(v)
        };
        let _ = writeln!(out, "{:<label_w$} │{bar} {value}", cut(label, label_w));
    }
    if series.points.len() > MAX_TEXT_BARS {
        let _ = writeln!(out, "… {} more", series.points.len() - MAX_TEXT_BARS);
    }
}
