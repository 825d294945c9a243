//! Seasonal decomposition of a series, as Kusto's series_decompose.md
//! describes it: the seasonal component is, at each index, the median of the
//! training values at the same phase of the period; the trend is fitted to
//! the series less its seasonal component (its average, a least-squares line
//! over the index, or none); baseline = seasonal + trend; residual = series -
//! baseline. The last `test_points` are left out of the fit and get the
//! extended components (`series_decompose_forecast` is that baseline).
//! Anomalies are Tukey's fences on the residual (`series_outliers`), flagged
//! beyond ±threshold. The period must be given: Kusto's automatic detection
//! (-1) is refused.

use arrow::array::ArrayRef;
use serde_json::{Map, Value};

use super::args::{self, strings};
use super::dynamic::{json, Json};
use super::series::{median, number, percentile_of, put, real};
use crate::datum::{Datum, Kernel, KernelContext};
use crate::error::{ExecError, Result};

pub(crate) const KERNELS: &[(&str, Kernel)] = &[
    ("series_decompose_dynamic", decompose_dynamic),
    ("series_decompose_anomalies_dynamic", anomalies_dynamic),
    ("series_decompose_forecast", forecast),
];

#[derive(Clone, Copy)]
enum Trend {
    Avg,
    Linefit,
    None,
}

/// The seasonal and trend components over the whole series, fitted to the
/// first `train` values; `None` when nothing can be fitted.
fn components(
    x: &[Option<f64>],
    period: usize,
    trend: Trend,
    train: usize,
) -> Option<(Vec<f64>, Vec<f64>)> {
    let n = x.len();
    if train == 0 || train > n {
        return None;
    }
    let seasonal: Vec<f64> = if period == 0 {
        vec![0.0; n]
    } else {
        let phases: Vec<f64> = (0..period)
            .map(|p| {
                let mut v: Vec<f64> = (p..train).step_by(period).filter_map(|k| x[k]).collect();
                median(&mut v).unwrap_or(0.0)
            })
            .collect();
        (0..n).map(|k| phases[k % period]).collect()
    };
    let rest: Vec<(f64, f64)> = (0..train)
        .filter_map(|k| x[k].map(|v| (k as f64, v - seasonal[k])))
        .collect();
    let trend: Vec<f64> = match trend {
        Trend::None => vec![0.0; n],
        Trend::Avg => {
            let avg = if rest.is_empty() {
                0.0
            } else {
                rest.iter().map(|p| p.1).sum::<f64>() / rest.len() as f64
            };
            vec![avg; n]
        }
        Trend::Linefit => {
            let m = rest.len() as f64;
            if rest.is_empty() {
                vec![0.0; n]
            } else {
                let mx = rest.iter().map(|p| p.0).sum::<f64>() / m;
                let my = rest.iter().map(|p| p.1).sum::<f64>() / m;
                let sxx: f64 = rest.iter().map(|p| (p.0 - mx).powi(2)).sum();
                let sxy: f64 = rest.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
                let slope = if sxx > 0.0 { sxy / sxx } else { 0.0 };
                (0..n).map(|k| my + slope * (k as f64 - mx)).collect()
            }
        }
    };
    Some((seasonal, trend))
}

/// The arguments shared by the three functions, read for one row.
struct Options {
    period: Option<i64>,
    trend: Option<String>,
    test_points: Option<i64>,
}

fn opt_long(args: &[Datum], ctx: &KernelContext, k: usize) -> Result<Option<args::Long>> {
    (k < args.len())
        .then(|| args::long(args, ctx, k))
        .transpose()
}

fn opt_text(args: &[Datum], ctx: &KernelContext, k: usize) -> Result<Option<args::Text>> {
    (k < args.len())
        .then(|| args::text(args, ctx, k))
        .transpose()
}

/// The series as numbers (a null or non-numeric element as missing).
fn values(v: &Value) -> Option<Vec<Option<f64>>> {
    match v {
        Value::Array(items) => Some(
            items
                .iter()
                .map(|v| number(v).filter(|x| x.is_finite()))
                .collect(),
        ),
        _ => None,
    }
}

/// Checks a row's options: the period given (not -1), a known trend.
fn read(name: &str, o: &Options, default_trend: Trend) -> Result<Option<(usize, Trend, usize)>> {
    let period = match o.period {
        Some(-1) => {
            return Err(ExecError::Unsupported(format!(
                "{name}: iishunt does not detect periods (seasonality -1): give the period in bins, or 0 for none"
            )))
        }
        Some(p) if p >= 0 => p as usize,
        _ => return Ok(None),
    };
    let trend = match o.trend.as_deref() {
        None | Some("") => default_trend,
        Some("avg") => Trend::Avg,
        Some("linefit") => Trend::Linefit,
        Some("none") => Trend::None,
        Some(t) => {
            return Err(ExecError::Unsupported(format!(
                "{name}: trend must be \"avg\", \"linefit\" or \"none\", got \"{t}\""
            )))
        }
    };
    let test = o.test_points.unwrap_or(0).max(0) as usize;
    Ok(Some((period, trend, test)))
}

fn reals(v: impl Iterator<Item = f64>) -> Value {
    Value::Array(v.map(real).collect())
}

/// Runs `f` on each row's series and options, writing a dynamic result.
fn per_row(
    args: &[Datum],
    ctx: &KernelContext,
    name: &str,
    [period_at, trend_at, test_at]: [usize; 3],
    default_trend: Trend,
    mut f: impl FnMut(usize, &[Option<f64>], usize, Trend, usize) -> Option<Value>,
) -> Result<ArrayRef> {
    let x: Json = json(args, ctx, 0, true)?;
    let (period, trend, test) = (
        opt_long(args, ctx, period_at)?,
        opt_text(args, ctx, trend_at)?,
        opt_long(args, ctx, test_at)?,
    );
    let mut err = None;
    let out = strings(ctx.rows, 0, |i, out| {
        let Some(v) = values(x.get(i)) else {
            return false;
        };
        let o = Options {
            period: period.as_ref().and_then(|p| p.get(i)),
            trend: trend.as_ref().map(|t| t.get(i).to_string()),
            test_points: test.as_ref().and_then(|t| t.get(i)),
        };
        match read(name, &o, default_trend) {
            Ok(Some((p, t, test))) => match f(i, &v, p, t, v.len().saturating_sub(test)) {
                Some(value) => put(out, &value),
                None => false,
            },
            Ok(None) => false,
            Err(e) => {
                err.get_or_insert(e);
                false
            }
        }
    });
    match err {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

/// `series_decompose_dynamic(x, seasonality[, trend[, test_points[, threshold]]])`:
/// a bag of baseline, seasonal, trend and residual.
fn decompose_dynamic(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    per_row(
        args,
        ctx,
        "series_decompose",
        [1, 2, 3],
        Trend::Avg,
        |_, x, p, t, train| {
            let (s, tr) = components(x, p, t, train)?;
            let baseline: Vec<f64> = s.iter().zip(&tr).map(|(a, b)| a + b).collect();
            let residual: Vec<Value> = x
                .iter()
                .zip(&baseline)
                .map(|(v, b)| v.map_or(Value::Null, |v| real(v - b)))
                .collect();
            let mut m = Map::new();
            m.insert("baseline".into(), reals(baseline.into_iter()));
            m.insert("seasonal".into(), reals(s.into_iter()));
            m.insert("trend".into(), reals(tr.into_iter()));
            m.insert("residual".into(), Value::Array(residual));
            Some(Value::Object(m))
        },
    )
}

/// `series_decompose_forecast(x, points, seasonality[, trend[, threshold]])`:
/// the baseline fitted to all but the last `points`, over the whole length.
fn forecast(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    // The points to forecast play the part of decompose's test points.
    per_row(
        args,
        ctx,
        "series_decompose_forecast",
        [2, 3, 1],
        Trend::Linefit,
        |_, x, p, t, train| {
            let (s, tr) = components(x, p, t, train)?;
            Some(reals(s.iter().zip(&tr).map(|(a, b)| a + b)))
        },
    )
}

/// `series_decompose_anomalies_dynamic(x, threshold, seasonality[, trend[,
/// test_points[, method[, threshold]]]])`: a bag of ad_flag (1 above, -1
/// below, 0 inside ±threshold), ad_score (Tukey's fences on the residual:
/// 10th/90th percentiles for "ctukey", the default, 25th/75th for "tukey")
/// and baseline.
fn anomalies_dynamic(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let threshold = args::real(args, ctx, 1)?;
    let method = opt_text(args, ctx, 5)?;
    for i in 0..ctx.rows {
        let m = method.as_ref().map_or("", |m| m.get(i));
        if !matches!(m, "" | "ctukey" | "tukey") {
            return Err(ExecError::Unsupported(format!(
                "series_decompose_anomalies: ad_method must be \"ctukey\" or \"tukey\", got \"{m}\""
            )));
        }
    }
    per_row(
        args,
        ctx,
        "series_decompose_anomalies",
        [2, 3, 4],
        Trend::Linefit,
        |i, x, p, t, train| {
            let (s, tr) = components(x, p, t, train)?;
            let baseline: Vec<f64> = s.iter().zip(&tr).map(|(a, b)| a + b).collect();
            let residual: Vec<Option<f64>> = x
                .iter()
                .zip(&baseline)
                .map(|(v, b)| v.map(|v| v - b))
                .collect();
            let tukey = method.as_ref().is_some_and(|m| m.get(i) == "tukey");
            let scores = fence_scores(&residual, tukey);
            let k = threshold.get(i).unwrap_or(1.5);
            let flags = scores.iter().map(|s| {
                Value::from(if *s > k {
                    1
                } else if *s < -k {
                    -1
                } else {
                    0
                })
            });
            let mut m = Map::new();
            m.insert("ad_flag".into(), Value::Array(flags.collect()));
            m.insert("ad_score".into(), reals(scores.iter().copied()));
            m.insert("baseline".into(), reals(baseline.into_iter()));
            Some(Value::Object(m))
        },
    )
}

/// `series_outliers`' scores: beyond the high percentile H (x - H) / (H - L),
/// below the low L (x - L) / (H - L), else 0; a missing value scores 0.
fn fence_scores(v: &[Option<f64>], tukey: bool) -> Vec<f64> {
    let (l, h) = if tukey { (25.0, 75.0) } else { (10.0, 90.0) };
    let mut sorted: Vec<f64> = v.iter().flatten().copied().collect();
    if sorted.is_empty() {
        return vec![0.0; v.len()];
    }
    sorted.sort_by(f64::total_cmp);
    let (ql, qh) = (percentile_of(&sorted, l), percentile_of(&sorted, h));
    let range = qh - ql;
    v.iter()
        .map(|x| match x {
            Some(x) if *x > qh && range > 0.0 => (x - qh) / range,
            Some(x) if *x < ql && range > 0.0 => (x - ql) / range,
            _ => 0.0,
        })
        .collect()
}
