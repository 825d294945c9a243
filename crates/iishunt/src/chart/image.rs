//! Draws [`ChartData`] with plotters onto any backend: SVG and PNG files use
//! the same code. Lines for `timechart`/`linechart`, filled areas for
//! `areachart`, points for `scatterchart`, grouped columns for
//! `columnchart`, horizontal bars for `barchart`, slices for `piechart`;
//! a legend when there is more than one series. Text (title, axis labels,
//! legend) only when a font was found ([`super::fonts`]).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::data::{ChartData, XAxis};
use super::{fonts, ChartKind};
use crate::render::cell::format_datetime;

type DrawResult = Result<(), String>;

fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

/// Draws `data` on `root` (already sized); `text`: draw labels and legend.
pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, data: &ChartData) -> DrawResult {
    draw_with(root, data, fonts::available())
}

/// Draws `data`; `text: false` draws no title, labels or legend (no font).
pub fn draw_with<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &ChartData,
    text: bool,
) -> DrawResult {
    root.fill(&WHITE).map_err(err)?;
    let mut area = root.clone();
    if text && !data.title.is_empty() {
        area = area.titled(&data.title, (fonts::FAMILY, 22)).map_err(err)?;
    }
    match data.kind {
        ChartKind::Pie => draw_pie(&area, data, text)?,
        ChartKind::Column | ChartKind::Bar => draw_bars(&area, data, text)?,
        _ => draw_xy(&area, data, text)?,
    }
    root.present().map_err(err)
}

fn color(i: usize) -> RGBColor {
    let c = Palette99::pick(i).to_rgba();
    RGBColor(c.0, c.1, c.2)
}

/// An axis number: no `.0` on whole numbers.
fn number_label(v: &f64) -> String {
    if (v - v.round()).abs() < 1e-6 * v.abs().max(1.0) && v.abs() < 1e15 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.2}")
    }
}

/// The axis unit for a time span: minutes up to 3 hours, hours up to 4
/// days, days beyond (microseconds per unit).
fn time_unit(span: f64) -> f64 {
    const MINUTE: f64 = 60e6;
    if span <= 3.0 * 3600e6 {
        MINUTE
    } else if span <= 4.0 * 86_400e6 {
        60.0 * MINUTE
    } else {
        1440.0 * MINUTE
    }
}

fn time_label(micros: f64, span: f64) -> String {
    let t = format_datetime(micros as i64);
    // Hours and minutes over a day or less, dates over longer spans.
    if span <= 86_400e6 {
        t.get(11..16).unwrap_or(&t).to_string()
    } else {
        t.get(0..16).map(|s| s.replace('T', " ")).unwrap_or(t)
    }
}

fn draw_xy<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &ChartData,
    text: bool,
) -> DrawResult {
    let Some(((raw0, mut raw1), (y0, mut y1))) = data.bounds() else {
        return Ok(());
    };
    if raw1 <= raw0 {
        raw1 = raw0 + 1.0;
    }
    if y1 <= y0 {
        y1 = y0 + 1.0;
    }
    y1 += (y1 - y0) * 0.05;
    // A time axis is drawn in whole minutes, hours or days from an aligned
    // origin, so plotters' round tick values fall on round times.
    let span = raw1 - raw0;
    let is_time = data.x == XAxis::Time;
    let (origin, unit) = if is_time {
        let unit = time_unit(span);
        ((raw0 / unit).floor() * unit, unit)
    } else {
        (0.0, 1.0)
    };
    let to_axis = move |x: f64| (x - origin) / unit;
    let (x0, x1) = (to_axis(raw0), to_axis(raw1));
    let mut builder = ChartBuilder::on(area);
    builder.margin(12);
    if text {
        builder.x_label_area_size(36).y_label_area_size(56);
    }
    let mut chart = builder.build_cartesian_2d(x0..x1, y0..y1).map_err(err)?;
    let time_fmt = |x: &f64| time_label(origin + *x * unit, span);
    let mut mesh = chart.configure_mesh();
    mesh.light_line_style(RGBColor(235, 235, 235));
    if text {
        mesh.x_labels(8)
            .y_labels(8)
            .label_style((fonts::FAMILY, 13))
            .y_label_formatter(&number_label);
        if is_time {
            mesh.x_label_formatter(&time_fmt);
        }
        mesh.x_desc(data.x_name.as_str())
            .y_desc(data.y_name.as_str());
    } else {
        mesh.x_labels(0).y_labels(0);
    }
    mesh.draw().map_err(err)?;

    for (i, s) in data.series.iter().enumerate() {
        let c = color(i);
        let points = s.points.iter().map(|&(x, y)| (to_axis(x), y));
        let anno = match data.kind {
            ChartKind::Area => chart
                .draw_series(
                    AreaSeries::new(points, y0.max(0.0).min(y1), c.mix(0.25))
                        .border_style(c.stroke_width(2)),
                )
                .map_err(err)?,
            ChartKind::Scatter => chart
                .draw_series(points.map(|p| Circle::new(p, 3, c.filled())))
                .map_err(err)?,
            _ => {
                // Markers too, so a series of one point still shows.
                chart
                    .draw_series(points.clone().map(|p| Circle::new(p, 3, c.filled())))
                    .map_err(err)?;
                chart
                    .draw_series(LineSeries::new(points, c.stroke_width(2)))
                    .map_err(err)?
            }
        };
        if text {
            anno.label(s.name.as_str())
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], c.filled()));
        }
    }
    if text && data.series.len() > 1 {
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.3))
            .label_font((fonts::FAMILY, 13))
            .position(SeriesLabelPosition::UpperRight)
            .draw()
            .map_err(err)?;
    }
    Ok(())
}

fn draw_bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &ChartData,
    text: bool,
) -> DrawResult {
    let XAxis::Category(labels) = &data.x else {
        return Ok(());
    };
    let Some((_, (y0, mut y1))) = data.bounds() else {
        return Ok(());
    };
    if y1 <= y0 {
        y1 = y0 + 1.0;
    }
    y1 += (y1 - y0) * 0.05;
    let n = labels.len().max(1) as f64;
    let groups = data.series.len().max(1) as f64;
    let horizontal = data.kind == ChartKind::Bar;
    let mut builder = ChartBuilder::on(area);
    builder.margin(12);
    if text {
        let longest = labels
            .iter()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(4)
            .min(28) as u32;
        if horizontal {
            builder
                .x_label_area_size(36)
                .y_label_area_size(16 + longest * 7);
        } else {
            builder.x_label_area_size(40).y_label_area_size(56);
        }
    }
    // Horizontal bars list the first category at the top.
    let slot = |i: f64| if horizontal { n - 1.0 - i } else { i };
    let label_of = |v: &f64| -> String {
        let i = slot(v.round());
        if (v - v.round()).abs() < 0.01 && i >= 0.0 {
            labels
                .get(i as usize)
                .map(|l| cut(l, 28))
                .unwrap_or_default()
        } else {
            String::new()
        }
    };
    if horizontal {
        let mut chart = builder
            .build_cartesian_2d(y0..y1, -0.5..n - 0.5)
            .map_err(err)?;
        let mut mesh = chart.configure_mesh();
        mesh.disable_y_mesh().light_line_style(WHITE);
        if text {
            mesh.y_labels(labels.len().min(40))
                .y_label_formatter(&label_of)
                .x_label_formatter(&number_label)
                .label_style((fonts::FAMILY, 12));
            mesh.x_desc(data.y_name.as_str());
        } else {
            mesh.x_labels(0).y_labels(0);
        }
        mesh.draw().map_err(err)?;
        for (k, s) in data.series.iter().enumerate() {
            let c = color(k);
            let h = 0.8 / groups;
            chart
                .draw_series(s.points.iter().map(|&(i, v)| {
                    let top = slot(i) - 0.4 + h * k as f64;
                    Rectangle::new([(0.0_f64.max(y0), top), (v, top + h)], c.filled())
                }))
                .map_err(err)?;
        }
        return Ok(());
    }
    let mut chart = builder
        .build_cartesian_2d(-0.5..n - 0.5, y0..y1)
        .map_err(err)?;
    let mut mesh = chart.configure_mesh();
    mesh.disable_x_mesh()
        .light_line_style(RGBColor(235, 235, 235));
    if text {
        mesh.x_labels(labels.len().min(20))
            .x_label_formatter(&label_of)
            .label_style((fonts::FAMILY, 12));
        mesh.y_desc(data.y_name.as_str());
    } else {
        mesh.x_labels(0).y_labels(0);
    }
    mesh.draw().map_err(err)?;
    for (k, s) in data.series.iter().enumerate() {
        let c = color(k);
        let w = 0.8 / groups;
        let anno = chart
            .draw_series(s.points.iter().map(|&(i, v)| {
                let left = i - 0.4 + w * k as f64;
                Rectangle::new([(left, 0.0_f64.max(y0)), (left + w, v)], c.filled())
            }))
            .map_err(err)?;
        if text {
            anno.label(s.name.as_str())
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], c.filled()));
        }
    }
    if text && data.series.len() > 1 {
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.3))
            .label_font((fonts::FAMILY, 13))
            .draw()
            .map_err(err)?;
    }
    Ok(())
}

fn draw_pie<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &ChartData,
    text: bool,
) -> DrawResult {
    let (XAxis::Category(labels), Some(series)) = (&data.x, data.series.first()) else {
        return Ok(());
    };
    let total: f64 = series.points.iter().map(|p| p.1.max(0.0)).sum();
    if total <= 0.0 {
        return Ok(());
    }
    let (w, h) = area.dim_in_pixel();
    let legend_w = if text { (w / 3).min(280) } else { 0 };
    let cx = ((w - legend_w) / 2) as i32;
    let cy = (h / 2) as i32;
    let r = f64::from((w - legend_w).min(h)) * 0.42;
    let mut start = -std::f64::consts::FRAC_PI_2;
    for (i, &(_, v)) in series.points.iter().enumerate() {
        let sweep = v.max(0.0) / total * std::f64::consts::TAU;
        if sweep <= 0.0 {
            continue;
        }
        let steps = ((sweep / std::f64::consts::TAU) * 120.0).ceil().max(2.0) as usize;
        let mut poly = vec![(cx, cy)];
        for s in 0..=steps {
            let a = start + sweep * s as f64 / steps as f64;
            poly.push((cx + (r * a.cos()) as i32, cy + (r * a.sin()) as i32));
        }
        area.draw(&Polygon::new(poly, color(i).filled()))
            .map_err(err)?;
        start += sweep;
        if text {
            let y = 20 + 20 * i as i32;
            if y + 20 < h as i32 {
                let x = (w - legend_w) as i32 + 8;
                area.draw(&Rectangle::new(
                    [(x, y), (x + 12, y + 12)],
                    color(i).filled(),
                ))
                .map_err(err)?;
                let label = labels.get(i).map(|l| cut(l, 24)).unwrap_or_default();
                let pct = v / total * 100.0;
                area.draw(&Text::new(
                    format!("{label} ({pct:.1}%)"),
                    (x + 18, y),
                    (fonts::FAMILY, 13),
                ))
                .map_err(err)?;
            }
        }
    }
    Ok(())
}

fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(n - 1).collect();
        out.push('…');
        out
    }
}
