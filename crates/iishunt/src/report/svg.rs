//! An inline SVG chart of one client's activity: a bar per time bin for
//! requests, error responses drawn over them, and HTTP.sys errors as a
//! line, with the time axis labelled at both ends and the middle. Plain
//! SVG text — no script, no external font or style — so the report works
//! offline and in any browser.

use std::fmt::Write as _;

use super::profile::Series;
use super::{escape_html, rfc3339};

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 170.0;
const LEFT: f64 = 46.0;
const BOTTOM: f64 = 26.0;
const TOP: f64 = 10.0;

/// The chart, or `None` when the series is empty.
pub fn activity_chart(series: &Series, title: &str) -> Option<String> {
    let bins = series.requests.len();
    if bins == 0 {
        return None;
    }
    let peak = (0..bins)
        .map(|i| series.requests[i].max(series.http_errors[i]))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let plot_w = WIDTH - LEFT - 8.0;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let bar_w = plot_w / bins as f64;
    let y = |v: u64| TOP + plot_h - (v as f64 / peak) * plot_h;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{}"><title>{}</title>"##,
        escape_html(title),
        escape_html(title)
    );
    let _ = write!(
        svg,
        r##"<line x1="{LEFT}" y1="{}" x2="{}" y2="{}" stroke="#888" stroke-width="1"/>"##,
        TOP + plot_h,
        WIDTH - 8.0,
        TOP + plot_h
    );
    let _ = write!(
        svg,
        r##"<text x="{}" y="{}" font-size="10" text-anchor="end" fill="#555">{}</text><text x="{}" y="{}" font-size="10" text-anchor="end" fill="#555">0</text>"##,
        LEFT - 4.0,
        TOP + 8.0,
        peak as u64,
        LEFT - 4.0,
        TOP + plot_h
    );
    for i in 0..bins {
        let x = LEFT + i as f64 * bar_w;
        let w = (bar_w - 1.0).max(1.0);
        let (requests, errors) = (series.requests[i], series.errors[i].min(series.requests[i]));
        if requests > 0 {
            let _ = write!(
                svg,
                r##"<rect class="req" x="{x:.1}" y="{:.1}" width="{w:.1}" height="{:.1}" fill="#4a78b5"><title>{}: {requests} requests, {errors} errors</title></rect>"##,
                y(requests),
                TOP + plot_h - y(requests),
                rfc3339(series.start + i as i64 * series.step)
            );
        }
        if errors > 0 {
            let _ = write!(
                svg,
                r##"<rect class="err" x="{x:.1}" y="{:.1}" width="{w:.1}" height="{:.1}" fill="#d0453a"/>"##,
                y(errors),
                TOP + plot_h - y(errors)
            );
        }
    }
    if series.http_errors.iter().any(|&v| v > 0) {
        let points: Vec<String> = (0..bins)
            .map(|i| {
                format!(
                    "{:.1},{:.1}",
                    LEFT + (i as f64 + 0.5) * bar_w,
                    y(series.http_errors[i])
                )
            })
            .collect();
        let _ = write!(
            svg,
            r##"<polyline class="httperr" points="{}" fill="none" stroke="#e69b00" stroke-width="2"/>"##,
            points.join(" ")
        );
    }
    let label_y = HEIGHT - 8.0;
    let end = series.start + bins as i64 * series.step;
    let mid = series.start + (end - series.start) / 2;
    for (x, t, anchor) in [
        (LEFT, series.start, "start"),
        (LEFT + plot_w / 2.0, mid, "middle"),
        (WIDTH - 8.0, end, "end"),
    ] {
        let _ = write!(
            svg,
            r##"<text x="{x:.1}" y="{label_y}" font-size="10" text-anchor="{anchor}" fill="#555">{}</text>"##,
            rfc3339(t).replace('T', " ").trim_end_matches('Z')
        );
    }
    svg.push_str("</svg>");
    Some(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_for_requests_and_errors_and_a_line_for_httperr() {
        let series = Series {
            start: 0,
            step: 600_000_000,
            requests: vec![3, 0, 10],
            errors: vec![1, 0, 10],
            http_errors: vec![0, 4, 0],
        };
        let svg = activity_chart(&series, "<b>1.2.3.4</b>").unwrap();
        assert_eq!(svg.matches("class=\"req\"").count(), 2);
        assert_eq!(svg.matches("class=\"err\"").count(), 2);
        assert_eq!(svg.matches("class=\"httperr\"").count(), 1);
        assert!(svg.contains("&lt;b&gt;1.2.3.4&lt;/b&gt;") && !svg.contains("<b>"));
        assert!(activity_chart(&Series::default(), "x").is_none());
    }
}
