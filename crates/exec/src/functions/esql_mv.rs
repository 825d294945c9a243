//! Kernels of the plan's `esql_mv` family (`MV_MEDIAN`, `MV_PERCENTILE`,
//! `MV_MEDIAN_ABSOLUTE_DEVIATION`, `MV_PSERIES_WEIGHTED_SUM`, `MV_APPEND`,
//! `MV_ZIP`) and the multi-value reading they share with other ES|QL kernels.

use iishunt_plan::types::KType;
use serde_json::Value;

use super::args::{self, strings};
use super::dynamic::{json, value_text};
use crate::datum::{Datum, Kernel, KernelContext};
use crate::error::Result;

pub(crate) const KERNELS: &[(&str, Kernel)] = &[
    ("esql_mv_median", |a, c| stat(a, c, Stat::Median)),
    ("esql_mv_percentile", |a, c| stat(a, c, Stat::Percentile)),
    ("esql_mv_median_absolute_deviation", |a, c| {
        stat(a, c, Stat::Mad)
    }),
    ("esql_mv_pseries_weighted_sum", pseries),
    ("esql_mv_append", append),
    ("esql_mv_zip", zip),
];

/// The values of a multi-value cell (a single value is one; null is none).
pub(crate) fn mv_values(v: &Value) -> Vec<Value> {
    match v {
        Value::Null => Vec::new(),
        Value::Array(items) => items.iter().filter(|x| !x.is_null()).cloned().collect(),
        other => vec![other.clone()],
    }
}

/// One value stays a single value, more become an array, none is null.
fn write_values(mut v: Vec<Value>, out: &mut String) -> bool {
    match v.len() {
        0 => false,
        1 => {
            out.push_str(&v.swap_remove(0).to_string());
            true
        }
        _ => {
            out.push_str(&Value::Array(v).to_string());
            true
        }
    }
}

/// A cell's numbers: all integers (kept exact) or as doubles.
enum Numbers {
    Ints(Vec<i64>),
    Reals(Vec<f64>),
}

fn numbers(v: &Value) -> Option<Numbers> {
    let vals = mv_values(v);
    if vals.is_empty() {
        return None;
    }
    if let Some(ints) = vals.iter().map(Value::as_i64).collect::<Option<Vec<i64>>>() {
        return Some(Numbers::Ints(ints));
    }
    vals.iter()
        .map(|x| match x {
            Value::String(s) => s.parse().ok(),
            other => other.as_f64(),
        })
        .collect::<Option<Vec<f64>>>()
        .map(Numbers::Reals)
}

#[derive(Clone, Copy)]
enum Stat {
    Median,
    Percentile,
    Mad,
}

/// Median of sorted integers: the middle one, or the two middle ones'
/// mean rounded down (Elasticsearch's rule).
fn median_int(s: &[i64]) -> i64 {
    let n = s.len();
    if n % 2 == 1 {
        s[n / 2]
    } else {
        let (a, b) = (i128::from(s[n / 2 - 1]), i128::from(s[n / 2]));
        ((a + b).div_euclid(2)) as i64
    }
}

fn median_real(s: &[f64]) -> f64 {
    let n = s.len();
    if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    }
}

/// Linear interpolation at `p` percent of sorted values.
fn percentile(s: &[f64], p: f64) -> f64 {
    let pos = p / 100.0 * (s.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    s[lo] + (pos - lo as f64) * (s[hi.min(s.len() - 1)] - s[lo])
}

fn stat(args: &[Datum], ctx: &KernelContext, which: Stat) -> Result<ArrayRef> {
    let j = json(args, ctx, 0, false)?;
    let p = if matches!(which, Stat::Percentile) {
        Some(args::real(args, ctx, 1)?)
    } else {
        None
    };
    let text = strings(ctx.rows, 0, |i, out| {
        let Some(nums) = numbers(j.get(i)) else {
            return false;
        };
        let pct = match &p {
            Some(p) => match p.get(i) {
                Some(v) if (0.0..=100.0).contains(&v) => Some(v),
                _ => return false,
            },
            None => None,
        };
        let result: Value = match nums {
            Numbers::Ints(mut v) => {
                v.sort_unstable();
                match (which, pct) {
                    (Stat::Percentile, Some(p)) => {
                        let r: Vec<f64> = v.iter().map(|&x| x as f64).collect();
                        Value::from(percentile(&r, p).floor() as i64)
                    }
                    (Stat::Mad, _) => {
                        let m = i128::from(median_int(&v));
                        let mut d: Vec<i64> = v
                            .iter()
                            .map(|&x| {
                                (i128::from(x) - m).unsigned_abs().min(i64::MAX as u128) as i64
                            })
                            .collect();
                        d.sort_unstable();
                        // Elasticsearch rounds the deviations' mean towards 0.
                        let n = d.len();
                        Value::from(if n % 2 == 1 {
                            d[n / 2]
                        } else {
                            ((i128::from(d[n / 2 - 1]) + i128::from(d[n / 2])) / 2) as i64
                        })
                    }
                    _ => Value::from(median_int(&v)),
                }
            }
            Numbers::Reals(mut v) => {
                v.sort_by(f64::total_cmp);
                let r = match (which, pct) {
                    (Stat::Percentile, Some(p)) => percentile(&v, p),
                    (Stat::Mad, _) => {
                        let m = median_real(&v);
                        let mut d: Vec<f64> = v.iter().map(|x| (x - m).abs()).collect();
                        d.sort_by(f64::total_cmp);
                        median_real(&d)
                    }
                    _ => median_real(&v),
                };
                match serde_json::Number::from_f64(r) {
                    Some(n) => Value::Number(n),
                    None => return false,
                }
            }
        };
        out.push_str(&result.to_string());
        true
    });
    super::convert(
        &Datum::Array(text),
        KType::Dynamic,
        ctx.return_type,
        ctx.rows,
    )
}

fn pseries(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let j = json(args, ctx, 0, false)?;
    let p = args::real(args, ctx, 1)?;
    let out: arrow::array::Float64Array = (0..ctx.rows)
        .map(|i| {
            let p = p.get(i)?;
            let vals = mv_values(j.get(i));
            if vals.is_empty() {
                return None;
            }
            let mut sum = 0.0;
            for (k, v) in vals.iter().enumerate() {
                sum += v.as_f64()? / ((k + 1) as f64).powf(p);
            }
            sum.is_finite().then_some(sum)
        })
        .collect();
    Ok(std::sync::Arc::new(out))
}

fn append(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let (a, b) = (json(args, ctx, 0, false)?, json(args, ctx, 1, false)?);
    Ok(strings(ctx.rows, 0, |i, out| {
        let (x, y) = (mv_values(a.get(i)), mv_values(b.get(i)));
        if x.is_empty() || y.is_empty() {
            return false;
        }
        write_values(x.into_iter().chain(y).collect(), out)
    }))
}

fn zip(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let (a, b) = (json(args, ctx, 0, false)?, json(args, ctx, 1, false)?);
    let delim = if args.len() > 2 {
        Some(args::text(args, ctx, 2)?)
    } else {
        None
    };
    Ok(strings(ctx.rows, 0, |i, out| {
        let (x, y) = (mv_values(a.get(i)), mv_values(b.get(i)));
        if x.is_empty() || y.is_empty() {
            return false;
        }
        let d = match &delim {
            Some(d) if d.is_null(i) => return false,
            Some(d) => d.get(i),
            None => ",",
        };
        let zipped: Vec<Value> = (0..x.len().max(y.len()))
            .map(|k| {
                let mut s = String::new();
                if let Some(v) = x.get(k) {
                    value_text(v, &mut s);
                }
                if let (Some(_), Some(_)) = (x.get(k), y.get(k)) {
                    s.push_str(d);
                }
                if let Some(v) = y.get(k) {
                    value_text(v, &mut s);
                }
                Value::String(s)
            })
            .collect();
        write_values(zipped, out)
    }))
}

use arrow::array::ArrayRef;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::testing::*;
    use KType::*;

    #[test]
    fn median_of_integers_rounds_down() {
        let a = strs(&[Some("[3,5,1]"), Some("[3,7,1,6]"), None, Some("[1.5,2.5]")]);
        let out = run("esql_mv_median", &[a], &[Dynamic], Dynamic);
        assert_eq!(
            texts(&out),
            [Some("3".into()), Some("4".into()), None, Some("2.0".into())]
        );
    }

    #[test]
    fn percentile_and_absolute_deviation() {
        let a = strs(&[Some("[5,5,10,12,5000]"), Some("[0,2,5,6]")]);
        let p = lit_long(50);
        let out = run(
            "esql_mv_percentile",
            &[a.clone(), p],
            &[Dynamic, Long],
            Dynamic,
        );
        assert_eq!(texts(&out)[0].as_deref(), Some("10"));
        let out = run(
            "esql_mv_median_absolute_deviation",
            &[a],
            &[Dynamic],
            Dynamic,
        );
        assert_eq!(texts(&out)[1].as_deref(), Some("2"));
    }

    #[test]
    fn zip_keeps_the_longer_ones_tail_and_append_needs_both() {
        let a = lit_dyn(r#"["x","y","z"]"#);
        let b = lit_dyn(r#"["1","2"]"#);
        let out = run(
            "esql_mv_zip",
            &[a.clone(), b.clone(), lit_str("-")],
            &[Dynamic, Dynamic, String],
            Dynamic,
        );
        assert_eq!(texts(&out)[0].as_deref(), Some(r#"["x-1","y-2","z"]"#));
        let none = strs(&[None]);
        let out = run("esql_mv_append", &[a, none], &[Dynamic, Dynamic], Dynamic);
        assert_eq!(texts(&out), [None]);
    }

    #[test]
    fn pseries_weighted_sum() {
        let a = lit_dyn("[70.0, 45.0, 21.0, 21.0, 21.0]");
        let p = Datum::Scalar(iishunt_plan::types::ScalarValue::Real(1.5));
        let out = run(
            "esql_mv_pseries_weighted_sum",
            &[a, p],
            &[Dynamic, Real],
            Real,
        );
        let v = reals(&out)[0].unwrap_or(0.0);
        assert!((v - 94.45465156212452).abs() < 1e-9, "{v}");
    }
}
