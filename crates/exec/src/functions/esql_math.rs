//! Kernels of ES|QL's math functions (`esql_…` entries of the plan's
//! `esql_math` family). Elasticsearch gives null, never NaN or infinity, for
//! a result that is not a finite number; `GREATEST`/`LEAST` look inside
//! multi-values and are null when any argument is null.

use std::sync::Arc;

use arrow::array::*;
use iishunt_plan::types::KType;
use serde_json::Value;

use super::args::{self, strings};
use super::dynamic::{cmp_values, json};
use super::esql_mv::mv_values;
use crate::datum::{Datum, Kernel, KernelContext};
use crate::error::Result;

pub(crate) const KERNELS: &[(&str, Kernel)] = &[
    ("esql_e", |a, c| constant(a, c, std::f64::consts::E)),
    ("esql_pi", |a, c| constant(a, c, std::f64::consts::PI)),
    ("esql_tau", |a, c| constant(a, c, std::f64::consts::TAU)),
    ("esql_sin", |a, c| unary(a, c, f64::sin)),
    ("esql_cos", |a, c| unary(a, c, f64::cos)),
    ("esql_tan", |a, c| unary(a, c, f64::tan)),
    ("esql_asin", |a, c| unary(a, c, f64::asin)),
    ("esql_acos", |a, c| unary(a, c, f64::acos)),
    ("esql_atan", |a, c| unary(a, c, f64::atan)),
    ("esql_sinh", |a, c| unary(a, c, f64::sinh)),
    ("esql_cosh", |a, c| unary(a, c, f64::cosh)),
    ("esql_tanh", |a, c| unary(a, c, f64::tanh)),
    ("esql_cbrt", |a, c| unary(a, c, f64::cbrt)),
    ("esql_exp", |a, c| unary(a, c, f64::exp)),
    ("esql_sqrt", |a, c| unary(a, c, f64::sqrt)),
    ("esql_signum", |a, c| unary(a, c, signum)),
    ("esql_log10", |a, c| {
        unary(a, c, |v| if v > 0.0 { v.log10() } else { f64::NAN })
    }),
    ("esql_atan2", |a, c| binary(a, c, f64::atan2)),
    ("esql_hypot", |a, c| binary(a, c, f64::hypot)),
    ("esql_pow", |a, c| binary(a, c, f64::powf)),
    ("esql_scalb", |a, c| binary(a, c, |d, n| d * 2f64.powf(n))),
    ("esql_log", log),
    ("esql_copy_sign", copy_sign),
    ("esql_to_degrees", |a, c| per_value(a, c, f64::to_degrees)),
    ("esql_to_radians", |a, c| per_value(a, c, f64::to_radians)),
    ("esql_greatest", |a, c| extreme(a, c, true)),
    ("esql_least", |a, c| extreme(a, c, false)),
    ("esql_round_to", round_to),
];

/// Java's `Math.signum`: the sign, and ±0.0 and NaN as they are.
fn signum(v: f64) -> f64 {
    if v > 0.0 {
        1.0
    } else if v < 0.0 {
        -1.0
    } else {
        v
    }
}

/// A finite result, or null.
#[inline]
fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

fn constant(_: &[Datum], ctx: &KernelContext, v: f64) -> Result<ArrayRef> {
    Ok(Arc::new(Float64Array::from(vec![v; ctx.rows])))
}

fn unary(args: &[Datum], ctx: &KernelContext, f: fn(f64) -> f64) -> Result<ArrayRef> {
    let v = args::real(args, ctx, 0)?;
    let out: Float64Array = (0..ctx.rows)
        .map(|i| v.get(i).map(f).and_then(finite))
        .collect();
    Ok(Arc::new(out))
}

fn binary(args: &[Datum], ctx: &KernelContext, f: fn(f64, f64) -> f64) -> Result<ArrayRef> {
    let (a, b) = (args::real(args, ctx, 0)?, args::real(args, ctx, 1)?);
    let out: Float64Array = (0..ctx.rows)
        .map(|i| finite(f(a.get(i)?, b.get(i)?)))
        .collect();
    Ok(Arc::new(out))
}

/// `LOG(value)` or `LOG(base, value)`: null for a value or base ≤ 0 and for base 1.
fn log(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    if args.len() == 1 {
        return unary(args, ctx, |v| if v > 0.0 { v.ln() } else { f64::NAN });
    }
    binary(args, ctx, |base, v| {
        if base <= 0.0 || v <= 0.0 || base == 1.0 {
            f64::NAN
        } else {
            v.ln() / base.ln()
        }
    })
}

fn copy_sign(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let sign = args::real(args, ctx, 1)?;
    if matches!(ctx.return_type, KType::Int | KType::Long) {
        let m = args::long(args, ctx, 0)?;
        let vals = (0..ctx.rows).map(|i| {
            let (m, s) = (m.get(i)?, sign.get(i)?);
            let abs = m.checked_abs()?;
            if s.is_sign_negative() {
                Some(-abs)
            } else {
                Some(abs)
            }
        });
        let out: ArrayRef = if ctx.return_type == KType::Int {
            Arc::new(
                vals.map(|v| v.and_then(|x| i32::try_from(x).ok()))
                    .collect::<Int32Array>(),
            )
        } else {
            Arc::new(vals.collect::<Int64Array>())
        };
        return Ok(out);
    }
    binary(args, ctx, f64::copysign)
}

/// Each value of a number or multi-value through `f`; a multi-value stays one.
fn per_value(args: &[Datum], ctx: &KernelContext, f: fn(f64) -> f64) -> Result<ArrayRef> {
    if args::arg_type(ctx, 0) != KType::Dynamic {
        return unary(args, ctx, f);
    }
    let j = json(args, ctx, 0, false)?;
    let text = strings(ctx.rows, 0, |i, out| {
        let vals: Vec<Value> = mv_values(j.get(i))
            .iter()
            .filter_map(|v| v.as_f64().map(f).and_then(finite))
            .filter_map(serde_json::Number::from_f64)
            .map(Value::Number)
            .collect();
        match vals.len() {
            0 => false,
            1 => {
                out.push_str(&vals[0].to_string());
                true
            }
            _ => {
                out.push_str(&Value::Array(vals).to_string());
                true
            }
        }
    });
    super::convert(
        &Datum::Array(text),
        KType::Dynamic,
        ctx.return_type,
        ctx.rows,
    )
}

/// `GREATEST`/`LEAST` over every value of every argument, null when any
/// argument is null.
fn extreme(args: &[Datum], ctx: &KernelContext, greatest: bool) -> Result<ArrayRef> {
    let cols: Vec<_> = (0..args.len())
        .map(|i| json(args, ctx, i, false))
        .collect::<Result<_>>()?;
    let text = strings(ctx.rows, 0, |i, out| {
        let mut best: Option<Value> = None;
        for c in &cols {
            let vals = mv_values(c.get(i));
            if vals.is_empty() {
                return false;
            }
            for v in vals {
                let better = match &best {
                    None => true,
                    Some(b) => {
                        let o = cmp_values(&v, b);
                        if greatest {
                            o.is_gt()
                        } else {
                            o.is_lt()
                        }
                    }
                };
                if better {
                    best = Some(v);
                }
            }
        }
        match best {
            Some(v) => {
                out.push_str(&v.to_string());
                true
            }
            None => false,
        }
    });
    super::convert(
        &Datum::Array(text),
        KType::Dynamic,
        ctx.return_type,
        ctx.rows,
    )
}

/// `ROUND_TO(v, points…)`: the largest point ≤ v; below every point, the
/// smallest point.
fn round_to(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let ret = ctx.return_type;
    let cols: Vec<ArrayRef> = (0..args.len())
        .map(|i| super::convert(&args[i], args::arg_type(ctx, i), ret, ctx.rows))
        .collect::<Result<_>>()?;
    let as_f64 = |a: &ArrayRef, r: usize| -> Option<f64> {
        if a.is_null(r) {
            return None;
        }
        let any = a.as_any();
        if let Some(x) = any.downcast_ref::<Float64Array>() {
            Some(x.value(r))
        } else if let Some(x) = any.downcast_ref::<Int64Array>() {
            Some(x.value(r) as f64)
        } else if let Some(x) = any.downcast_ref::<Int32Array>() {
            Some(f64::from(x.value(r)))
        } else {
            any.downcast_ref::<TimestampMicrosecondArray>()
                .map(|x| x.value(r) as f64)
        }
    };
    let idx: Vec<Option<u32>> = (0..ctx.rows)
        .map(|r| {
            let v = as_f64(&cols[0], r)?;
            let mut best: Option<(usize, f64)> = None;
            let mut lowest: Option<(usize, f64)> = None;
            for (k, c) in cols.iter().enumerate().skip(1) {
                let p = as_f64(c, r)?;
                if p <= v && best.is_none_or(|(_, b)| p > b) {
                    best = Some((k, p));
                }
                if lowest.is_none_or(|(_, l)| p < l) {
                    lowest = Some((k, p));
                }
            }
            best.or(lowest).map(|(k, _)| k as u32)
        })
        .collect();
    // Gather row r of column idx[r].
    let refs: Vec<&dyn Array> = cols.iter().map(|c| c.as_ref()).collect();
    let nulls = crate::datum::null_array(ret, 1);
    let mut all = refs.clone();
    all.push(nulls.as_ref());
    let picks: Vec<(usize, usize)> = idx
        .iter()
        .enumerate()
        .map(|(r, k)| k.map_or((cols.len(), 0), |k| (k as usize, r)))
        .collect();
    if ctx.rows == 0 {
        return Ok(crate::datum::null_array(ret, 0));
    }
    Ok(arrow::compute::interleave(&all, &picks)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::testing::*;
    use KType::*;

    #[test]
    fn non_finite_results_are_null() {
        let x = real_col(&[Some(-1.0), Some(0.0), Some(8.0), None]);
        assert_eq!(
            reals(&call("esql_sqrt", &[x.clone()], &[Real])),
            [None, Some(0.0), Some(8f64.sqrt()), None]
        );
        assert_eq!(
            reals(&call("esql_log10", &[x.clone()], &[Real])),
            [None, None, Some(8f64.log10()), None]
        );
        let two = real_col(&[Some(2.0), Some(2.0), Some(2.0), Some(2.0)]);
        // LOG(2, v): base first.
        assert_eq!(
            reals(&call("esql_log", &[two.clone(), x], &[Real, Real])),
            [None, None, Some(3.0), None]
        );
        let huge = real_col(&[Some(1e300), Some(-4.0), Some(2.0), None]);
        let half = real_col(&[Some(2.0), Some(0.5), Some(10.0), Some(1.0)]);
        assert_eq!(
            reals(&call("esql_pow", &[huge, half], &[Real, Real])),
            [None, None, Some(1024.0), None]
        );
    }

    #[test]
    fn log_of_base_one_is_null_and_cbrt_keeps_sign() {
        let one = lit_long(1);
        let v = long_col(&[Some(2), Some(8)]);
        assert_eq!(
            reals(&call("esql_log", &[one, v], &[Long, Long])),
            [None, None]
        );
        let c = real_col(&[Some(-27.0), Some(1000.0)]);
        assert_eq!(
            reals(&call("esql_cbrt", &[c], &[Real])),
            [Some(-3.0), Some(10.0)]
        );
    }

    #[test]
    fn greatest_and_least_look_into_multi_values_and_null_wins() {
        let mv = lit_dyn("[10, 4]");
        let one = long_col(&[Some(1), None]);
        let out = run(
            "esql_greatest",
            &[mv.clone(), one.clone()],
            &[Dynamic, Long],
            Long,
        );
        assert_eq!(longs(&out), [Some(10), None]);
        let out = run("esql_least", &[mv, one], &[Dynamic, Long], Long);
        assert_eq!(longs(&out), [Some(1), None]);
    }

    #[test]
    fn copy_sign_keeps_the_integer_type() {
        let m = long_col(&[Some(57305), Some(-3)]);
        let s = real_col(&[Some(-7.23), Some(0.5)]);
        assert_eq!(
            longs(&call("esql_copy_sign", &[m, s], &[Long, Real])),
            [Some(-57305), Some(3)]
        );
    }

    #[test]
    fn round_to_rounds_down_to_a_point() {
        let v = long_col(&[Some(5), Some(1500), Some(-3), None]);
        let p = [lit_long(0), lit_long(1024), lit_long(1_048_576)];
        let args = [v, p[0].clone(), p[1].clone(), p[2].clone()];
        let out = call("esql_round_to", &args, &[Long, Long, Long, Long]);
        assert_eq!(longs(&out), [Some(0), Some(1024), Some(0), None]);
    }
}
