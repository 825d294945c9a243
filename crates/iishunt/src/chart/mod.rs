//! Charts for KQL `render`: the result of a query ending in `| render
//! timechart with (title="…")` read as chart data ([`data`]), drawn as SVG
//! and PNG images with plotters ([`image`]) and as a compact text chart for
//! the terminal ([`text`]). Fed by a `QueryResult` and its `RenderSpec`;
//! used by the CLI's `query`, `repl` and `run`.

pub mod data;
pub mod fonts;
pub mod image;
pub mod text;

use std::path::{Path, PathBuf};

use plotters::prelude::{BitMapBackend, IntoDrawingArea, SVGBackend};

use self::data::ChartData;
use crate::render::RenderError;
use crate::{QueryResult, RenderSpec};

/// Image size in pixels.
pub const SIZE: (u32, u32) = (1000, 560);
/// Most bars the text chart draws.
pub const MAX_TEXT_BARS: usize = 20;

/// The charts `render` can draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    Time,
    Line,
    Area,
    Scatter,
    Column,
    Bar,
    Pie,
}

impl ChartKind {
    /// Kusto's visualisation name → kind; `None` for ones not drawn (`table`, `card`, …).
    pub fn parse(name: &str) -> Option<ChartKind> {
        Some(match name.to_ascii_lowercase().as_str() {
            "timechart" => ChartKind::Time,
            "linechart" => ChartKind::Line,
            "areachart" | "stackedareachart" => ChartKind::Area,
            "scatterchart" => ChartKind::Scatter,
            "columnchart" => ChartKind::Column,
            "barchart" => ChartKind::Bar,
            "piechart" => ChartKind::Pie,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            ChartKind::Time => "timechart",
            ChartKind::Line => "linechart",
            ChartKind::Area => "areachart",
            ChartKind::Scatter => "scatterchart",
            ChartKind::Column => "columnchart",
            ChartKind::Bar => "barchart",
            ChartKind::Pie => "piechart",
        }
    }

    /// Charts whose x axis is a list of labels.
    pub fn is_categorical(self) -> bool {
        matches!(self, ChartKind::Column | ChartKind::Bar | ChartKind::Pie)
    }
}

/// The `title` property of `render … with (title=…)`, if any.
pub fn title(spec: &RenderSpec) -> String {
    spec.properties
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("title"))
        .map(|(_, v)| v.trim_matches(['"', '\'']).to_string())
        .unwrap_or_default()
}

/// The result with the columns `render … with (xcolumn = x, ycolumns = a, b)`
/// names: `xcolumn` first, only the listed numeric columns (in their order),
/// every other column as it was. The planner has checked the names exist.
pub fn charted(result: &QueryResult, spec: &RenderSpec) -> QueryResult {
    let prop = |key: &str| {
        spec.properties
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| {
                v.split(',')
                    .map(|n| n.trim().to_string())
                    .collect::<Vec<_>>()
            })
    };
    let x = prop("xcolumn").and_then(|v| v.into_iter().next());
    let ys = prop("ycolumns");
    if x.is_none() && ys.is_none() {
        return result.clone();
    }
    let position = |name: &str| result.columns.iter().position(|(n, _)| n == name);
    let mut order: Vec<usize> = Vec::new();
    if let Some(i) = x.as_deref().and_then(position) {
        order.push(i);
    }
    for (i, (name, ty)) in result.columns.iter().enumerate() {
        let listed_y = ys.as_ref().is_some_and(|ys| ys.contains(name));
        if order.contains(&i) || listed_y || (ys.is_some() && ty.is_numeric()) {
            continue;
        }
        order.push(i);
    }
    for y in ys.iter().flatten() {
        if let Some(i) = position(y).filter(|i| !order.contains(i)) {
            order.push(i);
        }
    }
    let batches = result
        .batches
        .iter()
        .filter_map(|b| b.project(&order).ok())
        .collect();
    QueryResult {
        columns: order.iter().map(|&i| result.columns[i].clone()).collect(),
        batches,
        ..result.clone()
    }
}

/// Writes `<stem>.svg` and `<stem>.png` into `dir` (created if missing) and
/// returns their paths; none when the chart kind is not drawn or the result
/// has nothing to chart.
pub fn write_images(
    result: &QueryResult,
    spec: &RenderSpec,
    dir: &Path,
    stem: &str,
) -> Result<Vec<PathBuf>, RenderError> {
    let Some(kind) = ChartKind::parse(&spec.chart) else {
        return Ok(Vec::new());
    };
    let Some(data) = ChartData::from_result(&charted(result, spec), kind, &title(spec)) else {
        return Ok(Vec::new());
    };
    std::fs::create_dir_all(dir)?;
    let svg = dir.join(format!("{stem}.svg"));
    let png = dir.join(format!("{stem}.png"));
    {
        let root = SVGBackend::new(&svg, SIZE).into_drawing_area();
        image::draw(&root, &data).map_err(RenderError::Chart)?;
    }
    {
        let root = BitMapBackend::new(&png, SIZE).into_drawing_area();
        image::draw(&root, &data).map_err(RenderError::Chart)?;
    }
    Ok(vec![svg, png])
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use arrow::array::{ArrayRef, Int64Array, StringArray, TimestampMicrosecondArray};
    use arrow::datatypes::Schema;
    use arrow::record_batch::RecordBatch;

    use super::*;
    use crate::KType;

    /// `summarize count() by bin(TimeGenerated, 1h), cIP`.
    fn hourly() -> QueryResult {
        let columns = vec![
            ("TimeGenerated".to_string(), KType::DateTime),
            ("cIP".to_string(), KType::String),
            ("count_".to_string(), KType::Long),
        ];
        let schema = Arc::new(Schema::new(
            columns.iter().map(|(n, t)| t.field(n)).collect::<Vec<_>>(),
        ));
        let h = 3_600_000_000_i64;
        let t0 = 1_772_928_000_000_000; // 2026-03-08T00:00:00Z
        let times: Vec<i64> = (0..6).flat_map(|i| [t0 + i * h, t0 + i * h]).collect();
        let ips: Vec<&str> = (0..6).flat_map(|_| ["10.0.0.1", "198.51.100.77"]).collect();
        let counts: Vec<i64> = (0..6)
            .flat_map(|i| [3 + i, if i == 4 { 90 } else { 1 }])
            .collect();
        let arrays: Vec<ArrayRef> = vec![
            Arc::new(TimestampMicrosecondArray::from(times)),
            Arc::new(StringArray::from(ips)),
            Arc::new(Int64Array::from(counts)),
        ];
        QueryResult {
            columns,
            batches: vec![RecordBatch::try_new(schema, arrays).expect("batch")],
            render: None,
            elapsed: Duration::ZERO,
            notes: Vec::new(),
            name: None,
            earlier: Vec::new(),
        }
    }

    fn spec(chart: &str) -> RenderSpec {
        RenderSpec {
            chart: chart.into(),
            properties: vec![("title".into(), "Requests per hour".into())],
        }
    }

    #[test]
    fn timechart_has_one_series_per_group() {
        let data = ChartData::from_result(&hourly(), ChartKind::Time, "t").expect("chartable");
        assert_eq!(data.x, data::XAxis::Time);
        let names: Vec<&str> = data.series.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["10.0.0.1", "198.51.100.77"]);
        assert_eq!(data.series[1].points.len(), 6);
    }

    #[test]
    fn text_timechart_draws_sparklines_with_the_range() {
        let text = text::draw(&hourly(), &spec("timechart"), 80);
        assert!(text.starts_with("Requests per hour\n"), "{text}");
        assert!(text.contains("198.51.100.77"), "{text}");
        assert!(text.contains('█'), "{text}");
        assert!(
            text.contains("2026-03-08T00:00:00Z → 2026-03-08T05:00:00Z"),
            "{text}"
        );
    }

    #[test]
    fn text_columnchart_draws_bars() {
        let text = text::draw(&hourly(), &spec("columnchart"), 60);
        assert!(text.contains("10.0.0.1"), "{text}");
        assert!(text.contains("│█"), "{text}");
    }

    #[test]
    fn images_are_written_for_every_chart_kind() {
        let dir = tempfile::tempdir().expect("tempdir");
        for chart in [
            "timechart",
            "linechart",
            "areachart",
            "scatterchart",
            "columnchart",
            "barchart",
            "piechart",
        ] {
            let files = write_images(&hourly(), &spec(chart), dir.path(), chart).expect(chart);
            assert_eq!(files.len(), 2, "{chart}");
            for f in files {
                let len = std::fs::metadata(&f).map(|m| m.len()).unwrap_or(0);
                assert!(len > 100, "{} is {len} bytes", f.display());
            }
        }
        if std::env::var_os("IISHUNT_KEEP_CHARTS").is_some() {
            let keep = dir.keep();
            eprintln!("charts kept in {}", keep.display());
        }
    }

    /// `make-series n = count() on TimeGenerated step 1h by cIP`.
    fn series() -> QueryResult {
        let columns = vec![
            ("cIP".to_string(), KType::String),
            ("n".to_string(), KType::Dynamic),
            ("TimeGenerated".to_string(), KType::Dynamic),
        ];
        let schema = Arc::new(Schema::new(
            columns.iter().map(|(n, t)| t.field(n)).collect::<Vec<_>>(),
        ));
        let times = r#"["2026-03-08T00:00:00.0000000Z","2026-03-08T01:00:00.0000000Z","2026-03-08T02:00:00.0000000Z"]"#;
        let arrays: Vec<ArrayRef> = vec![
            Arc::new(StringArray::from(vec!["10.0.0.1", "198.51.100.77"])),
            Arc::new(StringArray::from(vec!["[1,2,3]", "[0,90,0]"])),
            Arc::new(StringArray::from(vec![times, times])),
        ];
        QueryResult {
            columns,
            batches: vec![RecordBatch::try_new(schema, arrays).expect("batch")],
            render: None,
            elapsed: Duration::ZERO,
            notes: Vec::new(),
            name: None,
            earlier: Vec::new(),
        }
    }

    #[test]
    fn make_series_results_chart_one_line_per_row() {
        let data = ChartData::from_result(&series(), ChartKind::Time, "t").expect("chartable");
        assert_eq!(data.x, data::XAxis::Time);
        assert_eq!(data.series.len(), 2);
        assert_eq!(data.series[1].name, "198.51.100.77");
        assert_eq!(data.series[1].points[1], (1_772_931_600_000_000.0, 90.0));
        let text = text::draw(&series(), &spec("timechart"), 80);
        assert!(
            text.contains("2026-03-08T00:00:00Z → 2026-03-08T02:00:00Z"),
            "{text}"
        );
    }

    #[test]
    fn charts_draw_without_a_font() {
        let dir = tempfile::tempdir().expect("tempdir");
        for chart in ["timechart", "columnchart", "barchart", "piechart"] {
            let kind = ChartKind::parse(chart).expect("kind");
            let data = ChartData::from_result(&hourly(), kind, "no text").expect("chartable");
            let path = dir.path().join(format!("{chart}.png"));
            {
                let root = BitMapBackend::new(&path, SIZE).into_drawing_area();
                image::draw_with(&root, &data, false).expect(chart);
            }
            assert!(
                std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0) > 100,
                "{chart}"
            );
        }
    }

    #[test]
    fn unknown_charts_are_not_drawn() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert!(write_images(&hourly(), &spec("card"), dir.path(), "x")
            .expect("ok")
            .is_empty());
        assert!(text::draw(&hourly(), &spec("card"), 60).contains("not drawn"));
    }

    /// `ycolumns` keeps only the listed numeric columns; `xcolumn` goes first.
    #[test]
    fn xcolumn_and_ycolumns_choose_the_columns() {
        let mut spec = spec("columnchart");
        spec.properties = vec![
            ("xcolumn".into(), "cIP".into()),
            ("ycolumns".into(), "count_".into()),
        ];
        let chosen = charted(&hourly(), &spec);
        let names: Vec<&str> = chosen.columns.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, vec!["cIP", "TimeGenerated", "count_"]);
        assert_eq!(chosen.batches[0].num_columns(), 3);
        assert_eq!(chosen.batches[0].schema().field(0).name(), "cIP");
    }
}
