//! Series functions: dynamic arrays of numbers, as `make-series` makes them
//! (Kusto's series_*.md). Element-wise math and comparisons, reductions
//! (`series_sum`, `series_dot_product`, …), statistics and a least-squares
//! line as property bags, and the `series_fill_*` family. A null or
//! non-numeric element stays null (math) or is skipped (reductions); an
//! argument that is not an array gives null.

use std::sync::Arc;

use arrow::array::{ArrayRef, Float64Array};
use serde_json::{Map, Number, Value};

use super::args::strings;
use super::dynamic::{json, Json};
use crate::datum::{Datum, Kernel, KernelContext};
use crate::error::Result;

pub(crate) const KERNELS: &[(&str, Kernel)] = &[
    ("series_abs", |a, c| unary(a, c, Unary::Abs)),
    ("series_acos", |a, c| unary(a, c, Unary::Real(f64::acos))),
    ("series_asin", |a, c| unary(a, c, Unary::Real(f64::asin))),
    ("series_atan", |a, c| unary(a, c, Unary::Real(f64::atan))),
    ("series_cos", |a, c| unary(a, c, Unary::Real(f64::cos))),
    ("series_sin", |a, c| unary(a, c, Unary::Real(f64::sin))),
    ("series_tan", |a, c| unary(a, c, Unary::Real(f64::tan))),
    ("series_exp", |a, c| unary(a, c, Unary::Real(f64::exp))),
    ("series_log", |a, c| unary(a, c, Unary::Real(f64::ln))),
    ("series_ceiling", |a, c| unary(a, c, Unary::Ceiling)),
    ("series_floor", |a, c| unary(a, c, Unary::Floor)),
    ("series_sign", |a, c| unary(a, c, Unary::Sign)),
    ("series_add", |a, c| binary(a, c, Binary::Add)),
    ("series_subtract", |a, c| binary(a, c, Binary::Subtract)),
    ("series_multiply", |a, c| binary(a, c, Binary::Multiply)),
    ("series_divide", |a, c| binary(a, c, Binary::Divide)),
    ("series_pow", |a, c| binary(a, c, Binary::Pow)),
    ("series_equals", |a, c| {
        binary(a, c, Binary::Cmp(|o| o.is_eq()))
    }),
    ("series_not_equals", |a, c| {
        binary(a, c, Binary::Cmp(|o| o.is_ne()))
    }),
    ("series_greater", |a, c| {
        binary(a, c, Binary::Cmp(|o| o.is_gt()))
    }),
    ("series_greater_equals", |a, c| {
        binary(a, c, Binary::Cmp(|o| o.is_ge()))
    }),
    ("series_less", |a, c| {
        binary(a, c, Binary::Cmp(|o| o.is_lt()))
    }),
    ("series_less_equals", |a, c| {
        binary(a, c, Binary::Cmp(|o| o.is_le()))
    }),
    ("series_sum", |a, c| {
        reduce(a, c, |v, _| Some(v.iter().sum()))
    }),
    ("series_product", |a, c| {
        reduce(a, c, |v, _| Some(v.iter().product()))
    }),
    ("series_dot_product", |a, c| pairwise(a, c, dot)),
    ("series_cosine_similarity", |a, c| pairwise(a, c, cosine)),
    ("series_pearson_correlation", |a, c| pairwise(a, c, pearson)),
    ("series_stats_dynamic", stats_dynamic),
    ("series_fit_line_dynamic", fit_line_dynamic),
    ("series_fill_forward", |a, c| fill(a, c, Fill::Forward)),
    ("series_fill_backward", |a, c| fill(a, c, Fill::Backward)),
    ("series_fill_const", |a, c| fill(a, c, Fill::Const)),
    ("series_fill_linear", |a, c| fill(a, c, Fill::Linear)),
    ("series_outliers", outliers),
    ("series_iir", iir),
    ("series_fir", fir),
    ("series_seasonal", seasonal),
];

/// An array's elements as numbers, a null or non-numeric one as 0 (the
/// filters' input); `None` when it is not an array.
fn zero_filled(v: &Value) -> Option<Vec<f64>> {
    match v {
        Value::Array(items) => Some(items.iter().map(|v| number(v).unwrap_or(0.0)).collect()),
        _ => None,
    }
}

fn reals_out(out: &mut String, v: impl Iterator<Item = f64>) -> bool {
    put(out, &Value::Array(v.map(real).collect()))
}

/// `series_iir(x, numerators, denominators)`: y[n] = (Σ b[k]·x[n-k] -
/// Σ_{k≥1} a[k]·y[n-k]) / a[0], values before the start taken as 0; null when
/// a[0] is 0 or a coefficient array is empty.
fn iir(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let (x, b, a) = (
        json(args, ctx, 0, true)?,
        json(args, ctx, 1, true)?,
        json(args, ctx, 2, true)?,
    );
    Ok(strings(ctx.rows, 0, |i, out| {
        let (Some(x), Some(b), Some(a)) = (
            zero_filled(x.get(i)),
            zero_filled(b.get(i)),
            zero_filled(a.get(i)),
        ) else {
            return false;
        };
        if b.is_empty() || a.first().is_none_or(|a0| *a0 == 0.0) {
            return false;
        }
        let mut y: Vec<f64> = Vec::with_capacity(x.len());
        for n in 0..x.len() {
            let fwd: f64 = b
                .iter()
                .take(n + 1)
                .enumerate()
                .map(|(k, c)| c * x[n - k])
                .sum();
            let back: f64 = a
                .iter()
                .take(n + 1)
                .enumerate()
                .skip(1)
                .map(|(k, c)| c * y[n - k])
                .sum();
            y.push((fwd - back) / a[0]);
        }
        reals_out(out, y.into_iter())
    }))
}

/// `series_fir(x, filter[, normalize[, center]])`: y[n] = Σ f[k]·x[n-k]
/// (values outside the series taken as 0), divided by Σ f when normalize
/// (the default) and Σ f is not 0; center moves the window so that its
/// middle coefficient (the later of two for an even length) falls on n.
fn fir(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let (x, f) = (json(args, ctx, 0, true)?, json(args, ctx, 1, true)?);
    let opt = |k: usize| -> Result<Option<super::args::Bool>> {
        (k < args.len())
            .then(|| super::args::boolean(args, ctx, k))
            .transpose()
    };
    let (normalize, center) = (opt(2)?, opt(3)?);
    let flag = |b: &Option<super::args::Bool>, i: usize, d: bool| match b {
        None => d,
        Some(super::args::Bool::Scalar(v)) => v.unwrap_or(d),
        Some(super::args::Bool::Array(a)) => {
            if arrow::array::Array::is_null(a, i) {
                d
            } else {
                a.value(i)
            }
        }
    };
    Ok(strings(ctx.rows, 0, |i, out| {
        let (Some(x), Some(f)) = (zero_filled(x.get(i)), zero_filled(f.get(i))) else {
            return false;
        };
        if f.is_empty() {
            return false;
        }
        let sum: f64 = f.iter().sum();
        let scale = if flag(&normalize, i, true) && sum != 0.0 {
            sum
        } else {
            1.0
        };
        let shift = if flag(&center, i, false) {
            f.len() / 2
        } else {
            0
        } as i64;
        let y = (0..x.len() as i64).map(|n| {
            let acc: f64 = f
                .iter()
                .enumerate()
                .filter_map(|(k, c)| {
                    let j = n + shift - k as i64;
                    (0..x.len() as i64).contains(&j).then(|| c * x[j as usize])
                })
                .sum();
            acc / scale
        });
        reals_out(out, y)
    }))
}

/// `series_seasonal(series, period)`: at each index, the median of the
/// series' numeric values at the same phase (index mod period); all 0 for
/// period 0. Kusto's automatic period (-1, the default) is refused.
fn seasonal(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let x = json(args, ctx, 0, true)?;
    let p = if args.len() > 1 {
        Some(super::args::long(args, ctx, 1)?)
    } else {
        None
    };
    let no_auto = || {
        crate::error::ExecError::Unsupported(
            "series_seasonal needs the period as its second argument: iishunt does not detect periods (-1)".into(),
        )
    };
    let mut err = None;
    let out = strings(ctx.rows, 0, |i, out| {
        let Value::Array(items) = x.get(i) else {
            return false;
        };
        let period = match p.as_ref().map(|p| p.get(i)) {
            None | Some(Some(-1)) => {
                err.get_or_insert_with(no_auto);
                return false;
            }
            Some(None) => return false,
            Some(Some(p)) if p < 0 => return false,
            Some(Some(p)) => p as usize,
        };
        if period == 0 {
            return reals_out(out, items.iter().map(|_| 0.0));
        }
        let medians: Vec<Option<f64>> = (0..period.min(items.len()))
            .map(|phase| {
                let mut v: Vec<f64> = items
                    .iter()
                    .skip(phase)
                    .step_by(period)
                    .filter_map(number)
                    .filter(|x| x.is_finite())
                    .collect();
                median(&mut v)
            })
            .collect();
        let seasonal: Vec<Value> = (0..items.len())
            .map(|k| medians[k % period].map_or(Value::Null, real))
            .collect();
        put(out, &Value::Array(seasonal))
    });
    match err {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

/// The median, the mean of the middle two for an even count.
pub(super) fn median(v: &mut [f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    Some(if v.len() % 2 == 1 {
        v[m]
    } else {
        0.5 * (v[m - 1] + v[m])
    })
}

/// The p-th percentile (0..100) of sorted values, interpolated linearly
/// between the two nearest ranks.
pub(super) fn percentile_of(sorted: &[f64], p: f64) -> f64 {
    let rank = (p / 100.0) * (sorted.len() - 1) as f64;
    let (lo, hi) = (rank.floor() as usize, rank.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo as f64)
}

/// `series_outliers(series [, kind [, ignore_val [, min_percentile [,
/// max_percentile]]]])`: Tukey's fences. With the low and high percentiles
/// L and H (25/75 for "tukey", 10/90 or the given ones for "ctukey", the
/// default), a value above H scores (x - H) / (H - L), below L (x - L) /
/// (H - L), else 0, so beyond ±1.5 is outside the fences as the docs say. A
/// null or ignored value scores 0.
fn outliers(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let a = json(args, ctx, 0, true)?;
    let opt = |k: usize| -> Result<Json> {
        if k < args.len() {
            json(args, ctx, k, false)
        } else {
            Ok(Json::Scalar(Value::Null))
        }
    };
    let (kind, ignore, low, high) = (opt(1)?, opt(2)?, opt(3)?, opt(4)?);
    Ok(strings(ctx.rows, 0, |i, out| {
        let Value::Array(items) = a.get(i) else {
            return false;
        };
        let tukey = kind.get(i).as_str() == Some("tukey");
        let (l, h) = if tukey {
            (25.0, 75.0)
        } else {
            (
                number(low.get(i)).unwrap_or(10.0),
                number(high.get(i)).unwrap_or(90.0),
            )
        };
        if !(2.0..=98.0).contains(&l) || !(2.0..=98.0).contains(&h) || l >= h {
            return false;
        }
        let skip = number(ignore.get(i));
        let value = |v: &Value| number(v).filter(|x| Some(*x) != skip && x.is_finite());
        let mut sorted: Vec<f64> = items.iter().filter_map(value).collect();
        if sorted.is_empty() {
            return put(
                out,
                &Value::Array(items.iter().map(|_| real(0.0)).collect()),
            );
        }
        sorted.sort_by(f64::total_cmp);
        let (ql, qh) = (percentile_of(&sorted, l), percentile_of(&sorted, h));
        let range = qh - ql;
        let scores = items
            .iter()
            .map(|v| match value(v) {
                Some(x) if x > qh && range > 0.0 => real((x - qh) / range),
                Some(x) if x < ql && range > 0.0 => real((x - ql) / range),
                _ => real(0.0),
            })
            .collect();
        put(out, &Value::Array(scores))
    }))
}

pub(super) fn number(v: &Value) -> Option<f64> {
    v.as_f64()
}

pub(super) fn real(x: f64) -> Value {
    Number::from_f64(x).map_or(Value::Null, Value::Number)
}

pub(super) fn put(out: &mut String, v: &Value) -> bool {
    out.push_str(&v.to_string());
    true
}

enum Unary {
    Abs,
    Ceiling,
    Floor,
    Sign,
    Real(fn(f64) -> f64),
}

fn unary(args: &[Datum], ctx: &KernelContext, op: Unary) -> Result<ArrayRef> {
    let a = json(args, ctx, 0, true)?;
    Ok(strings(ctx.rows, 0, |i, out| {
        let Value::Array(items) = a.get(i) else {
            return false;
        };
        let mapped: Vec<Value> = items
            .iter()
            .map(|v| match (v.as_i64(), number(v)) {
                (Some(n), _) if !matches!(op, Unary::Real(_)) => match op {
                    Unary::Abs => Value::from(n.unsigned_abs() as i64),
                    Unary::Sign => Value::from(n.signum()),
                    _ => Value::from(n),
                },
                (_, Some(x)) => real(match op {
                    Unary::Abs => x.abs(),
                    Unary::Ceiling => x.ceil(),
                    Unary::Floor => x.floor(),
                    Unary::Sign => {
                        if x == 0.0 {
                            0.0
                        } else {
                            x.signum()
                        }
                    }
                    Unary::Real(f) => f(x),
                }),
                _ => Value::Null,
            })
            .collect();
        put(out, &Value::Array(mapped))
    }))
}

enum Binary {
    Add,
    Subtract,
    Multiply,
    Divide,
    Pow,
    Cmp(fn(std::cmp::Ordering) -> bool),
}

/// Element `k` of an argument: an array's element, or a number broadcast.
fn element(v: &Value, k: usize) -> Option<&Value> {
    match v {
        Value::Array(items) => items.get(k),
        Value::Number(_) => Some(v),
        _ => None,
    }
}

fn length(v: &Value) -> Option<usize> {
    match v {
        Value::Array(items) => Some(items.len()),
        Value::Number(_) => None,
        _ => None,
    }
}

fn binary(args: &[Datum], ctx: &KernelContext, op: Binary) -> Result<ArrayRef> {
    let a = json(args, ctx, 0, true)?;
    let b = json(args, ctx, 1, true)?;
    Ok(strings(ctx.rows, 0, |i, out| {
        let (x, y) = (a.get(i), b.get(i));
        // The longer array sets the length; a number is used at every index.
        let Some(n) = length(x).max(length(y)) else {
            return false;
        };
        let items: Vec<Value> = (0..n)
            .map(|k| {
                let (Some(p), Some(q)) = (element(x, k), element(y, k)) else {
                    return Value::Null;
                };
                let (Some(u), Some(v)) = (number(p), number(q)) else {
                    return Value::Null;
                };
                let ints = p.as_i64().zip(q.as_i64());
                match op {
                    Binary::Add => ints
                        .and_then(|(s, t)| s.checked_add(t))
                        .map_or(real(u + v), Value::from),
                    Binary::Subtract => ints
                        .and_then(|(s, t)| s.checked_sub(t))
                        .map_or(real(u - v), Value::from),
                    Binary::Multiply => ints
                        .and_then(|(s, t)| s.checked_mul(t))
                        .map_or(real(u * v), Value::from),
                    Binary::Divide => real(u / v),
                    Binary::Pow => real(u.powf(v)),
                    Binary::Cmp(f) => u.partial_cmp(&v).map_or(Value::Null, |o| Value::Bool(f(o))),
                }
            })
            .collect();
        put(out, &Value::Array(items))
    }))
}

/// The numeric elements of an array; `None` when it is not an array.
fn numbers(v: &Value) -> Option<Vec<f64>> {
    match v {
        Value::Array(items) => Some(items.iter().filter_map(number).collect()),
        _ => None,
    }
}

fn reals(rows: usize, f: impl FnMut(usize) -> Option<f64>) -> ArrayRef {
    Arc::new((0..rows).map(f).collect::<Float64Array>())
}

fn reduce(
    args: &[Datum],
    ctx: &KernelContext,
    f: fn(&[f64], usize) -> Option<f64>,
) -> Result<ArrayRef> {
    let a = json(args, ctx, 0, true)?;
    Ok(reals(ctx.rows, |i| {
        numbers(a.get(i)).and_then(|v| f(&v, v.len()))
    }))
}

/// Pairs of numbers at the same index (a number is used at every index).
fn pairs(x: &Value, y: &Value) -> Option<Vec<(f64, f64)>> {
    let n = length(x).max(length(y))?;
    Some(
        (0..n)
            .filter_map(|k| Some((number(element(x, k)?)?, number(element(y, k)?)?)))
            .collect(),
    )
}

fn pairwise(
    args: &[Datum],
    ctx: &KernelContext,
    f: fn(&[(f64, f64)]) -> Option<f64>,
) -> Result<ArrayRef> {
    let a = json(args, ctx, 0, true)?;
    let b = json(args, ctx, 1, true)?;
    Ok(reals(ctx.rows, |i| {
        pairs(a.get(i), b.get(i)).and_then(|p| f(&p))
    }))
}

fn dot(p: &[(f64, f64)]) -> Option<f64> {
    Some(p.iter().map(|(x, y)| x * y).sum())
}

fn cosine(p: &[(f64, f64)]) -> Option<f64> {
    let d = dot(p)?;
    let nx = p.iter().map(|(x, _)| x * x).sum::<f64>().sqrt();
    let ny = p.iter().map(|(_, y)| y * y).sum::<f64>().sqrt();
    (nx > 0.0 && ny > 0.0).then(|| d / (nx * ny))
}

fn pearson(p: &[(f64, f64)]) -> Option<f64> {
    let n = p.len() as f64;
    if p.len() < 2 {
        return None;
    }
    let mx = p.iter().map(|(x, _)| x).sum::<f64>() / n;
    let my = p.iter().map(|(_, y)| y).sum::<f64>() / n;
    let cov: f64 = p.iter().map(|(x, y)| (x - mx) * (y - my)).sum();
    let vx: f64 = p.iter().map(|(x, _)| (x - mx).powi(2)).sum();
    let vy: f64 = p.iter().map(|(_, y)| (y - my).powi(2)).sum();
    (vx > 0.0 && vy > 0.0).then(|| cov / (vx * vy).sqrt())
}

/// `series_stats_dynamic`: min, min_idx, max, max_idx, avg, stdev and
/// variance (sample), sum and len of the numeric elements; indexes are
/// positions in the array.
fn stats_dynamic(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let a = json(args, ctx, 0, true)?;
    Ok(strings(ctx.rows, 0, |i, out| {
        let Value::Array(items) = a.get(i) else {
            return false;
        };
        let indexed: Vec<(usize, f64)> = items
            .iter()
            .enumerate()
            .filter_map(|(k, v)| number(v).filter(|x| x.is_finite()).map(|x| (k, x)))
            .collect();
        let mut m = Map::new();
        let n = indexed.len();
        let min = indexed
            .iter()
            .copied()
            .fold(None, |acc: Option<(usize, f64)>, e| match acc {
                Some(b) if b.1 <= e.1 => Some(b),
                _ => Some(e),
            });
        let max = indexed
            .iter()
            .copied()
            .fold(None, |acc: Option<(usize, f64)>, e| match acc {
                Some(b) if b.1 >= e.1 => Some(b),
                _ => Some(e),
            });
        let sum: f64 = indexed.iter().map(|e| e.1).sum();
        let avg = (n > 0).then(|| sum / n as f64);
        let variance = avg
            .filter(|_| n > 1)
            .map(|mean| indexed.iter().map(|e| (e.1 - mean).powi(2)).sum::<f64>() / (n - 1) as f64);
        let opt = |v: Option<f64>| v.map_or(Value::Null, real);
        m.insert("min".into(), opt(min.map(|e| e.1)));
        m.insert(
            "min_idx".into(),
            min.map_or(Value::Null, |e| Value::from(e.0)),
        );
        m.insert("max".into(), opt(max.map(|e| e.1)));
        m.insert(
            "max_idx".into(),
            max.map_or(Value::Null, |e| Value::from(e.0)),
        );
        m.insert("avg".into(), opt(avg));
        m.insert("stdev".into(), opt(variance.map(f64::sqrt)));
        m.insert("variance".into(), opt(variance));
        m.insert("sum".into(), real(sum));
        m.insert("len".into(), Value::from(items.len()));
        put(out, &Value::Object(m))
    }))
}

/// `series_fit_line_dynamic`: the least-squares line over x = 1, 2, …, n:
/// slope, interception, rsquare, variance (of the input), rvariance (of the
/// residuals) and line_fit (the line at each x).
fn fit_line_dynamic(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let a = json(args, ctx, 0, true)?;
    Ok(strings(ctx.rows, 0, |i, out| {
        let Value::Array(items) = a.get(i) else {
            return false;
        };
        let points: Vec<(f64, f64)> = items
            .iter()
            .enumerate()
            .filter_map(|(k, v)| number(v).map(|y| ((k + 1) as f64, y)))
            .collect();
        let n = points.len() as f64;
        if points.len() < 2 {
            return false;
        }
        let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
        let my = points.iter().map(|p| p.1).sum::<f64>() / n;
        let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
        let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
        let slope = sxy / sxx;
        let intercept = my - slope * mx;
        let fit: Vec<f64> = (1..=items.len())
            .map(|x| slope * x as f64 + intercept)
            .collect();
        let ss_tot: f64 = points.iter().map(|p| (p.1 - my).powi(2)).sum();
        let ss_res: f64 = points
            .iter()
            .map(|p| (p.1 - (slope * p.0 + intercept)).powi(2))
            .sum();
        let rsquare = if ss_tot > 0.0 {
            1.0 - ss_res / ss_tot
        } else {
            1.0
        };
        let mut m = Map::new();
        m.insert("rsquare".into(), real(rsquare));
        m.insert("slope".into(), real(slope));
        m.insert("variance".into(), real(ss_tot / n));
        m.insert("rvariance".into(), real(ss_res / n));
        m.insert("interception".into(), real(intercept));
        m.insert(
            "line_fit".into(),
            Value::Array(fit.into_iter().map(real).collect()),
        );
        put(out, &Value::Object(m))
    }))
}

enum Fill {
    Forward,
    Backward,
    Const,
    Linear,
}

/// Whether an element is missing: null, or equal to the placeholder.
fn missing(v: &Value, placeholder: &Value) -> bool {
    v.is_null()
        || (!placeholder.is_null() && number(v).is_some() && number(v) == number(placeholder))
}

fn fill(args: &[Datum], ctx: &KernelContext, how: Fill) -> Result<ArrayRef> {
    let a = json(args, ctx, 0, true)?;
    // series_fill_const(x, constant [, placeholder]); the others (x [, placeholder, …]).
    let (constant, placeholder_at) = match how {
        Fill::Const => (Some(json(args, ctx, 1, true)?), 2),
        _ => (None, 1),
    };
    let arg_or_null = |k: usize| -> Result<Json> {
        if k < args.len() {
            json(args, ctx, k, true)
        } else {
            Ok(Json::Scalar(Value::Null))
        }
    };
    let placeholder = arg_or_null(placeholder_at)?;
    let edges = if args.len() > 2 && matches!(how, Fill::Linear) {
        arg_or_null(2)?
    } else {
        Json::Scalar(Value::Bool(true))
    };
    let all_missing = if args.len() > 3 && matches!(how, Fill::Linear) {
        arg_or_null(3)?
    } else {
        Json::Scalar(Value::from(0))
    };
    Ok(strings(ctx.rows, 0, |i, out| {
        let Value::Array(items) = a.get(i) else {
            return false;
        };
        let ph = placeholder.get(i);
        let mut v: Vec<Value> = items
            .iter()
            .map(|x| {
                if missing(x, ph) {
                    Value::Null
                } else {
                    x.clone()
                }
            })
            .collect();
        match how {
            Fill::Forward => {
                for k in 1..v.len() {
                    if v[k].is_null() {
                        v[k] = v[k - 1].clone();
                    }
                }
            }
            Fill::Backward => {
                for k in (0..v.len().saturating_sub(1)).rev() {
                    if v[k].is_null() {
                        v[k] = v[k + 1].clone();
                    }
                }
            }
            Fill::Const => {
                let c = constant.as_ref().map_or(Value::Null, |c| c.get(i).clone());
                for x in v.iter_mut().filter(|x| x.is_null()) {
                    *x = c.clone();
                }
            }
            Fill::Linear => linear(
                &mut v,
                edges.get(i) != &Value::Bool(false),
                all_missing.get(i),
            ),
        }
        put(out, &Value::Array(v))
    }))
}

/// Linear interpolation between known neighbours; the edges take the nearest
/// known value when `edges`; an array with no known value takes `constant`.
/// An array of whole numbers stays whole (rounded, as Kusto documents).
fn linear(v: &mut [Value], edges: bool, constant: &Value) {
    let known: Vec<usize> = (0..v.len()).filter(|&k| number(&v[k]).is_some()).collect();
    if known.is_empty() {
        if !constant.is_null() {
            v.iter_mut().for_each(|x| *x = constant.clone());
        }
        return;
    }
    let ints = known.iter().all(|&k| v[k].is_i64());
    let at = |x: f64| {
        if ints {
            Value::from(x.round() as i64)
        } else {
            real(x)
        }
    };
    for w in known.windows(2) {
        let (l, r) = (w[0], w[1]);
        let (a, b) = (number(&v[l]).unwrap_or(0.0), number(&v[r]).unwrap_or(0.0));
        for (k, slot) in v.iter_mut().enumerate().take(r).skip(l + 1) {
            *slot = at(a + (b - a) * (k - l) as f64 / (r - l) as f64);
        }
    }
    if edges {
        let (first, last) = (known[0], known[known.len() - 1]);
        let (fv, lv) = (v[first].clone(), v[last].clone());
        v[..first].iter_mut().for_each(|x| *x = fv.clone());
        v[last + 1..].iter_mut().for_each(|x| *x = lv.clone());
    }
}
