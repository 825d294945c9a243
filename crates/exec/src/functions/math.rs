//! Numbers: `bin`/`floor` and `bin_at` (numbers, datetimes, timespans — the
//! datetime case is one vectorised pass over the microseconds), `abs`,
//! `round`, logarithms, `pow`, `min_of`/`max_of`, NaN tests. Math on a domain
//! error (log of 0, sqrt of -1) gives null, as Kusto.

use std::sync::Arc;

use arrow::array::*;
use arrow::datatypes::*;
use iishunt_plan::types::KType;

use super::args;
use super::convert;
use crate::datum::{Datum, Kernel, KernelContext};
use crate::error::Result;

pub(crate) const KERNELS: &[(&str, Kernel)] = &[
    ("bin", |a, c| bin(a, c, false)),
    ("bin_at", |a, c| bin(a, c, true)),
    ("around", around),
    ("bin_auto", |_, _| {
        Err(crate::error::ExecError::Internal {
            context: "bin_auto",
            message: "the binder replaces the call by bin_at with the set options".into(),
        })
    }),
    ("abs", abs),
    ("round", round),
    ("ceiling", |a, c| same_num(a, c, f64::ceil)),
    ("sqrt", |a, c| real1(a, c, |v| (v >= 0.0).then(|| v.sqrt()))),
    ("exp", |a, c| real1(a, c, |v| Some(v.exp()))),
    ("sin", |a, c| real1(a, c, |v| Some(v.sin()))),
    ("cos", |a, c| real1(a, c, |v| Some(v.cos()))),
    ("tan", |a, c| real1(a, c, |v| Some(v.tan()))),
    ("cot", |a, c| real1(a, c, |v| Some(1.0 / v.tan()))),
    ("asin", |a, c| real1(a, c, |v| Some(v.asin()))),
    ("acos", |a, c| real1(a, c, |v| Some(v.acos()))),
    ("atan", |a, c| real1(a, c, |v| Some(v.atan()))),
    ("radians", |a, c| real1(a, c, |v| Some(v.to_radians()))),
    ("degrees", |a, c| real1(a, c, |v| Some(v.to_degrees()))),
    ("atan2", |a, c| {
        let (y, x) = (args::real(a, c, 0)?, args::real(a, c, 1)?);
        let out: Float64Array = (0..c.rows)
            .map(|i| Some(y.get(i)?.atan2(x.get(i)?)))
            .collect();
        Ok(Arc::new(out))
    }),
    ("pi", |_, c| {
        Ok(Arc::new(Float64Array::from(vec![
            std::f64::consts::PI;
            c.rows
        ])))
    }),
    ("exp2", |a, c| real1(a, c, |v| Some(v.exp2()))),
    ("exp10", |a, c| real1(a, c, |v| Some(10f64.powf(v)))),
    ("log", |a, c| real1(a, c, |v| (v > 0.0).then(|| v.ln()))),
    ("log2", |a, c| real1(a, c, |v| (v > 0.0).then(|| v.log2()))),
    ("log10", |a, c| {
        real1(a, c, |v| (v > 0.0).then(|| v.log10()))
    }),
    ("sign", |a, c| {
        real1(a, c, |v| {
            Some(if v > 0.0 {
                1.0
            } else if v < 0.0 {
                -1.0
            } else {
                0.0
            })
        })
    }),
    ("pow", pow),
    ("isnan", |a, c| real_test(a, c, f64::is_nan)),
    ("isinf", |a, c| real_test(a, c, f64::is_infinite)),
    ("isfinite", |a, c| real_test(a, c, f64::is_finite)),
    ("binary_and", |a, c| bitwise(a, c, |x, y| Some(x & y))),
    ("binary_or", |a, c| bitwise(a, c, |x, y| Some(x | y))),
    ("binary_xor", |a, c| bitwise(a, c, |x, y| Some(x ^ y))),
    ("binary_shift_left", |a, c| {
        bitwise(a, c, |x, y| {
            u32::try_from(y)
                .ok()
                .filter(|s| *s < 64)
                .map(|s| x.wrapping_shl(s))
        })
    }),
    ("binary_shift_right", |a, c| {
        bitwise(a, c, |x, y| {
            u32::try_from(y).ok().filter(|s| *s < 64).map(|s| x >> s)
        })
    }),
    ("binary_not", binary_not),
    ("rand", rand),
    ("min_of", |a, c| min_max(a, c, true)),
    ("max_of", |a, c| min_max(a, c, false)),
];

/// Floors `v` to a multiple of `size` counted from `at`.
#[inline]
fn floor_to(v: i64, size: i64, at: i64) -> Option<i64> {
    if size <= 0 {
        return None;
    }
    Some(v.wrapping_sub(v.wrapping_sub(at).rem_euclid(size)))
}

fn bin(args: &[Datum], ctx: &KernelContext, with_at: bool) -> Result<ArrayRef> {
    let ret = ctx.return_type;
    if matches!(ret, KType::Real | KType::Decimal) {
        let v = args::real(args, ctx, 0)?;
        let s = args::real(args, ctx, 1)?;
        let at = if with_at {
            Some(args::real(args, ctx, 2)?)
        } else {
            None
        };
        let out: Float64Array = (0..ctx.rows)
            .map(|i| {
                let (x, size) = (v.get(i)?, s.get(i)?);
                let a = match &at {
                    Some(a) => a.get(i)?,
                    None => 0.0,
                };
                (size > 0.0).then(|| ((x - a) / size).floor() * size + a)
            })
            .collect();
        return Ok(Arc::new(out));
    }
    let v = args::long(args, ctx, 0)?;
    let s = args::long(args, ctx, 1)?;
    let at = if with_at {
        Some(args::long(args, ctx, 2)?)
    } else {
        None
    };
    let out: Int64Array = match (&v, s.scalar(), &at) {
        // The hot case: a column binned by a constant size.
        (args::Long::Array(a), Some(Some(size)), None) => {
            if size <= 0 {
                Int64Array::new_null(ctx.rows)
            } else {
                a.unary(|x| x.wrapping_sub(x.rem_euclid(size)))
            }
        }
        _ => (0..ctx.rows)
            .map(|i| {
                let a = match &at {
                    Some(a) => a.get(i)?,
                    None => 0,
                };
                floor_to(v.get(i)?, s.get(i)?, a)
            })
            .collect(),
    };
    Ok(match ret {
        KType::DateTime => Arc::new(out.reinterpret_cast::<TimestampMicrosecondType>()),
        KType::TimeSpan => Arc::new(out.reinterpret_cast::<DurationMicrosecondType>()),
        KType::Int => Arc::new(out.unary::<_, Int32Type>(|x| x as i32)),
        _ => Arc::new(out),
    })
}

fn abs(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    match ctx.return_type {
        KType::Real | KType::Decimal => real1(args, ctx, |v| Some(v.abs())),
        ret => {
            let v = args::long(args, ctx, 0)?;
            let out: Int64Array = (0..ctx.rows)
                .map(|i| v.get(i).map(i64::wrapping_abs))
                .collect();
            Ok(match ret {
                KType::Int => Arc::new(out.unary::<_, Int32Type>(|x| x as i32)),
                KType::TimeSpan => Arc::new(out.reinterpret_cast::<DurationMicrosecondType>()),
                _ => Arc::new(out),
            })
        }
    }
}

fn real1(args: &[Datum], ctx: &KernelContext, f: impl Fn(f64) -> Option<f64>) -> Result<ArrayRef> {
    let v = args::real(args, ctx, 0)?;
    let out: Float64Array = (0..ctx.rows).map(|i| v.get(i).and_then(&f)).collect();
    Ok(Arc::new(out))
}

/// Integers pass through; reals get `f`.
fn same_num(args: &[Datum], ctx: &KernelContext, f: fn(f64) -> f64) -> Result<ArrayRef> {
    match ctx.return_type {
        KType::Int | KType::Long => convert(
            args::arg(args, 0)?,
            args::arg_type(ctx, 0),
            ctx.return_type,
            ctx.rows,
        ),
        _ => real1(args, ctx, |v| Some(f(v))),
    }
}

fn round(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let digits = if args.len() > 1 {
        Some(args::long(args, ctx, 1)?)
    } else {
        None
    };
    if ctx.return_type != KType::Real && digits.is_none() {
        return same_num(args, ctx, f64::round);
    }
    let v = args::real(args, ctx, 0)?;
    let out: Float64Array = (0..ctx.rows)
        .map(|i| {
            let x = v.get(i)?;
            let d = match &digits {
                Some(d) => d.get(i)?.clamp(-15, 15),
                None => 0,
            };
            let m = 10f64.powi(d as i32);
            Some((x * m).round() / m)
        })
        .collect();
    let out: ArrayRef = Arc::new(out);
    match ctx.return_type {
        KType::Real | KType::Decimal => Ok(out),
        t => convert(&Datum::Array(out), KType::Real, t, ctx.rows),
    }
}

fn bitwise(
    args: &[Datum],
    ctx: &KernelContext,
    f: fn(i64, i64) -> Option<i64>,
) -> Result<ArrayRef> {
    let (a, b) = (args::long(args, ctx, 0)?, args::long(args, ctx, 1)?);
    let out: Int64Array = (0..ctx.rows).map(|i| f(a.get(i)?, b.get(i)?)).collect();
    Ok(Arc::new(out))
}

fn binary_not(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let a = args::long(args, ctx, 0)?;
    let out: Int64Array = (0..ctx.rows).map(|i| a.get(i).map(|v| !v)).collect();
    Ok(Arc::new(out))
}

/// A process-random seed mixed with a counter: splitmix64, good enough for
/// sampling (`where rand() < 0.01`), not for secrets.
pub(crate) fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static STATE: AtomicU64 = AtomicU64::new(0);
    let mut s = STATE.load(Ordering::Relaxed);
    if s == 0 {
        s = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish()
            | 1;
    }
    let next = s.wrapping_add(0x9e37_79b9_7f4a_7c15);
    STATE.store(next, Ordering::Relaxed);
    let mut z = next;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn rand(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    if args.is_empty() {
        let out: Float64Array = (0..ctx.rows)
            .map(|_| Some((random_u64() >> 11) as f64 / (1u64 << 53) as f64))
            .collect();
        return Ok(Arc::new(out));
    }
    let n = args::long(args, ctx, 0)?;
    let out: Int64Array = (0..ctx.rows)
        .map(|i| {
            n.get(i)
                .filter(|n| *n > 0)
                .map(|n| (random_u64() % n as u64) as i64)
        })
        .collect();
    Ok(Arc::new(out))
}

fn pow(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let (b, e) = (args::real(args, ctx, 0)?, args::real(args, ctx, 1)?);
    let out: Float64Array = (0..ctx.rows)
        .map(|i| Some(b.get(i)?.powf(e.get(i)?)))
        .collect();
    Ok(Arc::new(out))
}

fn real_test(args: &[Datum], ctx: &KernelContext, f: fn(f64) -> bool) -> Result<ArrayRef> {
    let v = args::real(args, ctx, 0)?;
    let out: BooleanArray = (0..ctx.rows).map(|i| v.get(i).map(f)).collect();
    Ok(Arc::new(out))
}

/// `min_of`/`max_of`: every argument converted to the result type, then
/// arrow's comparison picks per row, skipping nulls.
fn min_max(args: &[Datum], ctx: &KernelContext, min: bool) -> Result<ArrayRef> {
    let ret = ctx.return_type;
    let mut acc: Option<ArrayRef> = None;
    for (i, a) in args.iter().enumerate() {
        let col = convert(a, args::arg_type(ctx, i), ret, ctx.rows)?;
        acc = Some(match acc {
            None => col,
            Some(prev) => {
                let better = if min {
                    arrow::compute::kernels::cmp::lt(&col, &prev)?
                } else {
                    arrow::compute::kernels::cmp::gt(&col, &prev)?
                };
                // Take `col` where it is better or where `prev` is null.
                let take_col: BooleanArray = (0..ctx.rows)
                    .map(|r| Some(prev.is_null(r) || (better.is_valid(r) && better.value(r))))
                    .collect();
                arrow::compute::kernels::zip::zip(&take_col, &col, &prev)?
            }
        });
    }
    Ok(acc.unwrap_or_else(|| crate::datum::null_array(ret, ctx.rows)))
}

/// `around(value, center, delta)`: `center - delta <= value <= center + delta`;
/// datetimes and timespans compare as microseconds, without overflow.
fn around(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let out: BooleanArray = if args::arg_type(ctx, 0).is_numeric() {
        let (v, c, d) = (
            args::real(args, ctx, 0)?,
            args::real(args, ctx, 1)?,
            args::real(args, ctx, 2)?,
        );
        (0..ctx.rows)
            .map(|i| {
                let (v, c, d) = (v.get(i)?, c.get(i)?, d.get(i)?);
                Some(v >= c - d && v <= c + d)
            })
            .collect()
    } else {
        let (v, c, d) = (
            args::long(args, ctx, 0)?,
            args::long(args, ctx, 1)?,
            args::long(args, ctx, 2)?,
        );
        (0..ctx.rows)
            .map(|i| {
                let (v, c, d) = (v.get(i)?, c.get(i)?, d.get(i)?);
                let (v, c, d) = (i128::from(v), i128::from(c), i128::from(d));
                Some(v >= c - d && v <= c + d)
            })
            .collect()
    };
    Ok(Arc::new(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::testing::*;
    use iishunt_plan::types::ScalarValue;
    use KType::*;

    const T: i64 = 1_772_985_912_000_000; // 2026-03-08 16:05:12

    #[test]
    fn bins() {
        let t = dt_col(&[Some(T), None, Some(-1)]);
        let ten = Datum::Scalar(ScalarValue::TimeSpan(600_000_000));
        let out = call("bin", &[t, ten.clone()], &[DateTime, TimeSpan]);
        // 16:05:12 → 16:00:00; one microsecond before the epoch → 23:50 the day before.
        assert_eq!(
            dts(&out),
            vec![Some(1_772_985_600_000_000), None, Some(-600_000_000)]
        );
        let n = long_col(&[Some(7), Some(-7), Some(10)]);
        assert_eq!(
            longs(&call("bin", &[n.clone(), lit_long(5)], &[Long, Long])),
            vec![Some(5), Some(-10), Some(10)]
        );
        assert_eq!(
            longs(&call("bin", &[n.clone(), lit_long(0)], &[Long, Long])),
            vec![None, None, None]
        );
        let r = real_col(&[Some(7.5)]);
        assert_eq!(
            reals(&call(
                "bin",
                &[r, Datum::Scalar(ScalarValue::Real(0.5))],
                &[Real, Real]
            )),
            vec![Some(7.5)]
        );
        assert_eq!(
            reals(&call(
                "bin",
                &[real_col(&[Some(7.7)]), lit_long(2)],
                &[Real, Long]
            )),
            vec![Some(6.0)]
        );
        let day = Datum::Scalar(ScalarValue::TimeSpan(86_400_000_000));
        let six = Datum::Scalar(ScalarValue::DateTime(1_772_949_600_000_000)); // 2026-03-08 06:00
        let out = call(
            "bin_at",
            &[dt_col(&[Some(T)]), day, six],
            &[DateTime, TimeSpan, DateTime],
        );
        assert_eq!(dts(&out), vec![Some(1_772_949_600_000_000)]);
    }

    #[test]
    fn math() {
        let r = real_col(&[Some(-2.5), Some(0.0), None]);
        assert_eq!(
            reals(&call("abs", &[r.clone()], &[Real])),
            vec![Some(2.5), Some(0.0), None]
        );
        assert_eq!(
            reals(&call("round", &[r.clone()], &[Real])),
            vec![Some(-3.0), Some(0.0), None]
        );
        assert_eq!(
            reals(&call(
                "round",
                &[real_col(&[Some(1.23456)]), lit_long(2)],
                &[Real, Long]
            )),
            vec![Some(1.23)]
        );
        assert_eq!(
            reals(&call("log10", &[r.clone()], &[Real])),
            vec![None, None, None]
        );
        assert_eq!(
            reals(&call("log10", &[lit_long(1000)], &[Long])),
            vec![Some(3.0)]
        );
        assert_eq!(
            reals(&call("pow", &[lit_long(2), lit_long(10)], &[Long, Long])),
            vec![Some(1024.0)]
        );
        assert_eq!(reals(&call("sqrt", &[lit_long(-1)], &[Long])), vec![None]);
        assert_eq!(
            bools_of(&call(
                "isnan",
                &[real_col(&[Some(f64::NAN), Some(1.0)])],
                &[Real]
            )),
            vec![Some(true), Some(false)]
        );
        assert_eq!(
            bools_of(&call(
                "isfinite",
                &[real_col(&[Some(f64::INFINITY), Some(1.0)])],
                &[Real]
            )),
            vec![Some(false), Some(true)]
        );
        let a = long_col(&[Some(1), None, Some(9)]);
        let b = long_col(&[Some(5), Some(3), None]);
        assert_eq!(
            longs(&call("max_of", &[a.clone(), b.clone()], &[Long, Long])),
            vec![Some(5), Some(3), Some(9)]
        );
        assert_eq!(
            longs(&call("min_of", &[a, b, lit_long(2)], &[Long, Long, Long])),
            vec![Some(1), Some(2), Some(2)]
        );
        assert_eq!(
            ints(&call("abs", &[int_col(&[Some(-3)])], &[Int])),
            vec![Some(3)]
        );
    }

    #[test]
    fn bitwise_and_rand() {
        let ab = [lit_long(0b1100), lit_long(0b1010)];
        assert_eq!(
            longs(&call("binary_and", &ab, &[Long, Long])),
            vec![Some(8)]
        );
        assert_eq!(
            longs(&call("binary_or", &ab, &[Long, Long])),
            vec![Some(14)]
        );
        assert_eq!(
            longs(&call("binary_xor", &ab, &[Long, Long])),
            vec![Some(6)]
        );
        assert_eq!(
            longs(&call("binary_not", &[lit_long(0)], &[Long])),
            vec![Some(-1)]
        );
        assert_eq!(
            longs(&call(
                "binary_shift_left",
                &[lit_long(1), lit_long(10)],
                &[Long, Long]
            )),
            vec![Some(1024)]
        );
        assert_eq!(
            longs(&call(
                "binary_shift_right",
                &[lit_long(-8), lit_long(1)],
                &[Long, Long]
            )),
            vec![Some(-4)]
        );
        assert_eq!(
            longs(&call(
                "binary_shift_left",
                &[lit_long(1), lit_long(64)],
                &[Long, Long]
            )),
            vec![None]
        );
        let r = reals(&run("rand", &[], &[], Real));
        assert!(r[0].is_some_and(|v| (0.0..1.0).contains(&v)));
        let r = longs(&call(
            "rand",
            &[long_col(&[Some(10), Some(10), None])],
            &[Long],
        ));
        assert!(
            r[..2]
                .iter()
                .all(|v| v.is_some_and(|v| (0..10).contains(&v)))
                && r[2].is_none()
        );
    }
}
