//! Turns a result and its `render` spec into chart data, as Kusto reads a
//! result for a chart: for `timechart`/`linechart`/`areachart`/`scatterchart`
//! the x axis is the first datetime column (else the first numeric one), every
//! other numeric column is a y series, and the remaining text columns split
//! rows into one series per group (`summarize count() by bin(TimeGenerated,
//! 1h), cIP` draws one line per client). For `columnchart`/`barchart`/
//! `piechart` the first text column names the categories and the numeric
//! columns are the values.

use std::collections::BTreeMap;

use super::ChartKind;
use crate::render::cell::{self, escape_control};
use crate::{KType, QueryResult};

/// What the x axis holds.
#[derive(Debug, Clone, PartialEq)]
pub enum XAxis {
    /// Microseconds since the epoch.
    Time,
    Number,
    /// Category labels; a point's x is the label's index.
    Category(Vec<String>),
}

/// One line, set of bars or pie.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    /// (x, y), sorted by x.
    pub points: Vec<(f64, f64)>,
}

/// Everything a chart needs, independent of how it is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartData {
    pub kind: ChartKind,
    pub title: String,
    pub x: XAxis,
    pub x_name: String,
    pub y_name: String,
    pub series: Vec<Series>,
}

/// Most series a chart draws; the rest are dropped with a note in the title.
pub const MAX_SERIES: usize = 12;
/// Most categories a column/bar/pie chart draws (the largest are kept).
pub const MAX_CATEGORIES: usize = 40;

impl ChartData {
    /// Reads `result` for a chart of `kind`. `None` when the result has no
    /// column the chart could plot.
    pub fn from_result(result: &QueryResult, kind: ChartKind, title: &str) -> Option<ChartData> {
        let cols = &result.columns;
        let numeric: Vec<usize> = (0..cols.len())
            .filter(|&i| cols[i].1.is_numeric())
            .collect();
        let text: Vec<usize> = (0..cols.len())
            .filter(|&i| {
                matches!(
                    cols[i].1,
                    KType::String | KType::Guid | KType::Dynamic | KType::Bool
                )
            })
            .collect();
        let times: Vec<usize> = (0..cols.len())
            .filter(|&i| cols[i].1 == KType::DateTime)
            .collect();

        if kind.is_categorical() {
            let label = *text.first().or(times.first())?;
            let values: Vec<usize> = numeric.clone();
            if values.is_empty() {
                return None;
            }
            return Some(categorical(result, kind, title, label, &values));
        }

        if times.is_empty() {
            if let Some(data) = from_series_arrays(result, kind, title) {
                return Some(data);
            }
        }
        let (x, x_axis) = match (times.first(), numeric.first()) {
            (Some(&t), _) => (t, XAxis::Time),
            (None, Some(&n)) => (n, XAxis::Number),
            _ => return None,
        };
        let ys: Vec<usize> = numeric.iter().copied().filter(|&i| i != x).collect();
        if ys.is_empty() {
            return None;
        }
        let groups: Vec<usize> = text.clone();
        let mut series: BTreeMap<String, Vec<(f64, f64)>> = BTreeMap::new();
        let mut order: Vec<String> = Vec::new();
        for batch in &result.batches {
            let columns = cell::columns(batch, cols);
            for row in 0..batch.num_rows() {
                let Some(xv) = columns[x].value(row).as_f64() else {
                    continue;
                };
                let key: Vec<String> = groups
                    .iter()
                    .map(|&g| {
                        columns[g]
                            .value(row)
                            .text()
                            .map_or_else(|| "∅".to_string(), |t| escape_control(&t).into_owned())
                    })
                    .collect();
                let key = key.join(", ");
                for &y in &ys {
                    let Some(yv) = columns[y].value(row).as_f64() else {
                        continue;
                    };
                    let name = match (key.is_empty(), ys.len()) {
                        (true, _) => cols[y].0.clone(),
                        (false, 1) => key.clone(),
                        (false, _) => format!("{key}: {}", cols[y].0),
                    };
                    if !series.contains_key(&name) {
                        order.push(name.clone());
                    }
                    series.entry(name).or_default().push((xv, yv));
                }
            }
        }
        // The largest series first when there are too many to draw.
        let mut named: Vec<Series> = order
            .into_iter()
            .filter_map(|name| {
                let mut points = series.remove(&name)?;
                points.sort_by(|a, b| a.0.total_cmp(&b.0));
                Some(Series { name, points })
            })
            .collect();
        if named.len() > MAX_SERIES {
            named.sort_by(|a, b| total(b).total_cmp(&total(a)));
            named.truncate(MAX_SERIES);
        }
        let y_name = if ys.len() == 1 {
            cols[ys[0]].0.clone()
        } else {
            String::new()
        };
        Some(ChartData {
            kind,
            title: title.to_string(),
            x: x_axis,
            x_name: cols[x].0.clone(),
            y_name,
            series: named,
        })
    }

    /// The smallest and largest x and y over all series (y always includes 0).
    pub fn bounds(&self) -> Option<((f64, f64), (f64, f64))> {
        let mut points = self.series.iter().flat_map(|s| s.points.iter());
        let first = points.next()?;
        let (mut x0, mut x1, mut y0, mut y1) =
            (first.0, first.0, first.1.min(0.0), first.1.max(0.0));
        for (x, y) in points {
            x0 = x0.min(*x);
            x1 = x1.max(*x);
            y0 = y0.min(*y);
            y1 = y1.max(*y);
        }
        Some(((x0, x1), (y0, y1)))
    }
}

/// `make-series` results: one row per group, a dynamic array of datetimes
/// (the axis) and dynamic arrays of numbers (the series) side by side.
fn from_series_arrays(result: &QueryResult, kind: ChartKind, title: &str) -> Option<ChartData> {
    let cols = &result.columns;
    let first_batch = result.batches.iter().find(|b| b.num_rows() > 0)?;
    let first = cell::columns(first_batch, cols);
    let dynamic: Vec<usize> = (0..cols.len())
        .filter(|&i| cols[i].1 == KType::Dynamic)
        .collect();
    let array = |c: &cell::Column, row: usize| -> Option<Vec<serde_json::Value>> {
        match c.value(row).json() {
            serde_json::Value::Array(items) => Some(items),
            _ => None,
        }
    };
    let as_time = |v: &serde_json::Value| {
        v.as_str()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.timestamp_micros() as f64)
    };
    let x = *dynamic.iter().find(|&&i| {
        array(&first[i], 0).is_some_and(|a| !a.is_empty() && a.iter().all(|v| as_time(v).is_some()))
    })?;
    let ys: Vec<usize> = dynamic
        .iter()
        .copied()
        .filter(|&i| {
            i != x
                && array(&first[i], 0)
                    .is_some_and(|a| a.iter().all(|v| v.is_number() || v.is_null()))
        })
        .collect();
    if ys.is_empty() {
        return None;
    }
    let groups: Vec<usize> = (0..cols.len())
        .filter(|&i| matches!(cols[i].1, KType::String | KType::Guid | KType::Bool))
        .collect();
    let mut series = Vec::new();
    for batch in &result.batches {
        let columns = cell::columns(batch, cols);
        for row in 0..batch.num_rows() {
            let Some(xs) = array(&columns[x], row) else {
                continue;
            };
            let key: Vec<String> = groups
                .iter()
                .map(|&g| {
                    columns[g]
                        .value(row)
                        .text()
                        .map_or_else(|| "∅".to_string(), |t| escape_control(&t).into_owned())
                })
                .collect();
            let key = key.join(", ");
            for &y in &ys {
                let Some(values) = array(&columns[y], row) else {
                    continue;
                };
                let mut points: Vec<(f64, f64)> = xs
                    .iter()
                    .zip(&values)
                    .filter_map(|(t, v)| Some((as_time(t)?, v.as_f64()?)))
                    .collect();
                points.sort_by(|a, b| a.0.total_cmp(&b.0));
                let name = match (key.is_empty(), ys.len()) {
                    (true, _) => cols[y].0.clone(),
                    (false, 1) => key.clone(),
                    (false, _) => format!("{key}: {}", cols[y].0),
                };
                series.push(Series { name, points });
            }
        }
    }
    if series.len() > MAX_SERIES {
        series.sort_by(|a, b| total(b).total_cmp(&total(a)));
        series.truncate(MAX_SERIES);
    }
    let y_name = if ys.len() == 1 {
        cols[ys[0]].0.clone()
    } else {
        String::new()
    };
    Some(ChartData {
        kind,
        title: title.to_string(),
        x: XAxis::Time,
        x_name: cols[x].0.clone(),
        y_name,
        series,
    })
}

fn total(s: &Series) -> f64 {
    s.points.iter().map(|p| p.1).sum()
}

fn categorical(
    result: &QueryResult,
    kind: ChartKind,
    title: &str,
    label: usize,
    values: &[usize],
) -> ChartData {
    let cols = &result.columns;
    let mut labels: Vec<String> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut sums: Vec<Vec<f64>> = vec![Vec::new(); values.len()];
    for batch in &result.batches {
        let columns = cell::columns(batch, cols);
        for row in 0..batch.num_rows() {
            let name = columns[label]
                .value(row)
                .text()
                .map_or_else(|| "∅".to_string(), |t| escape_control(&t).into_owned());
            let at = *index.entry(name.clone()).or_insert_with(|| {
                labels.push(name);
                for s in sums.iter_mut() {
                    s.push(0.0);
                }
                labels.len() - 1
            });
            for (k, &v) in values.iter().enumerate() {
                if let Some(y) = columns[v].value(row).as_f64() {
                    sums[k][at] += y;
                }
            }
        }
    }
    // Keep the largest categories (by the first value column), in result order.
    if labels.len() > MAX_CATEGORIES {
        let mut by_size: Vec<usize> = (0..labels.len()).collect();
        by_size.sort_by(|&a, &b| sums[0][b].total_cmp(&sums[0][a]));
        let mut keep: Vec<usize> = by_size.into_iter().take(MAX_CATEGORIES).collect();
        keep.sort_unstable();
        labels = keep.iter().map(|&i| labels[i].clone()).collect();
        for s in sums.iter_mut() {
            *s = keep.iter().map(|&i| s[i]).collect();
        }
    }
    let series = values
        .iter()
        .zip(sums)
        .map(|(&v, ys)| Series {
            name: cols[v].0.clone(),
            points: ys
                .into_iter()
                .enumerate()
                .map(|(i, y)| (i as f64, y))
                .collect(),
        })
        .collect();
    ChartData {
        kind,
        title: title.to_string(),
        x: XAxis::Category(labels),
        x_name: cols[label].0.clone(),
        y_name: if values.len() == 1 {
            cols[values[0]].0.clone()
        } else {
            String::new()
        },
        series,
    }
}
