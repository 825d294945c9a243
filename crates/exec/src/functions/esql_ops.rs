//! Kernels of the plan's `esql_ops` family: ES|QL's integer arithmetic
//! (null on overflow, where Kusto wraps) and its three-valued comparisons and
//! `IN`. Anything that is not integer arithmetic goes to the Kusto operator's
//! kernel unchanged.

use std::sync::Arc;

use arrow::array::*;
use iishunt_plan::types::KType;

use super::args;
use crate::datum::{Datum, Kernel, KernelContext};
use crate::error::{ExecError, Result};

pub(crate) const KERNELS: &[(&str, Kernel)] = &[
    ("__esql_add", |a, c| {
        checked(a, c, "__add", i64::checked_add)
    }),
    ("__esql_sub", |a, c| {
        checked(a, c, "__sub", i64::checked_sub)
    }),
    ("__esql_mul", |a, c| {
        checked(a, c, "__mul", i64::checked_mul)
    }),
    ("__esql_neg", neg),
    ("__esql_single", single),
    ("__esql_strict", strict),
    ("__esql_in3", in3),
];

fn kusto(name: &str) -> Result<Kernel> {
    super::kernel(name)
        .ok_or_else(|| ExecError::internal("esql operators", format!("no kernel {name}")))
}

/// Integer results as the return type, null where `f` overflows (a 32-bit
/// result also when it leaves the 32-bit range).
fn checked(
    args: &[Datum],
    ctx: &KernelContext,
    fallback: &str,
    f: fn(i64, i64) -> Option<i64>,
) -> Result<ArrayRef> {
    if !matches!(ctx.return_type, KType::Int | KType::Long)
        || !(0..2).all(|i| args::arg_type(ctx, i).is_integer())
    {
        return kusto(fallback)?(args, ctx);
    }
    let (a, b) = (args::long(args, ctx, 0)?, args::long(args, ctx, 1)?);
    let vals = (0..ctx.rows).map(|i| f(a.get(i)?, b.get(i)?));
    Ok(integers(vals, ctx.return_type))
}

fn integers(vals: impl Iterator<Item = Option<i64>>, ty: KType) -> ArrayRef {
    if ty == KType::Int {
        Arc::new(
            vals.map(|v| v.and_then(|x| i32::try_from(x).ok()))
                .collect::<Int32Array>(),
        )
    } else {
        Arc::new(vals.collect::<Int64Array>())
    }
}

fn neg(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    if !matches!(ctx.return_type, KType::Int | KType::Long) {
        return kusto("__neg")?(args, ctx);
    }
    let a = args::long(args, ctx, 0)?;
    let int = ctx.return_type == KType::Int;
    let vals = (0..ctx.rows).map(|i| {
        let v = a.get(i)?;
        // -i32::MIN overflows a 32-bit integer.
        if int && v == i64::from(i32::MIN) {
            return None;
        }
        v.checked_neg()
    });
    Ok(integers(vals, ctx.return_type))
}

/// Whether a dynamic cell holds more than one value (`[1, 2]`, not `[1]`).
fn several(text: &str) -> bool {
    let t = text.trim_start();
    if !t.starts_with('[') {
        return false;
    }
    match serde_json::from_str::<serde_json::Value>(t) {
        Ok(serde_json::Value::Array(items)) => items.iter().filter(|v| !v.is_null()).count() > 1,
        _ => false,
    }
}

/// The result (argument 0), null in the rows where a dynamic argument holds
/// several values: ES|QL's single-value functions give null on a multi-value.
fn single(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let result = args::arg(args, 0)?.to_array(ctx.rows)?;
    let mut mask = vec![false; ctx.rows];
    for k in 1..args.len() {
        if args::arg_type(ctx, k) != KType::Dynamic {
            continue;
        }
        match args::arg(args, k)? {
            Datum::Scalar(iishunt_plan::types::ScalarValue::Dynamic(serde_json::Value::Array(
                items,
            ))) => {
                if items.iter().filter(|v| !v.is_null()).count() > 1 {
                    mask.iter_mut().for_each(|m| *m = true);
                }
            }
            Datum::Scalar(_) => {}
            Datum::Array(a) => {
                let Some(s) = a.as_any().downcast_ref::<StringArray>() else {
                    continue;
                };
                for (i, m) in mask.iter_mut().enumerate() {
                    if s.is_valid(i) && several(s.value(i)) {
                        *m = true;
                    }
                }
            }
        }
    }
    if !mask.iter().any(|m| *m) {
        return Ok(result);
    }
    let mask = BooleanArray::from(mask);
    Ok(arrow::compute::nullif(&result, &mask)?)
}

/// Whether row `i` of argument `k` is null.
fn null_at(args: &[Datum], ctx: &KernelContext, k: usize) -> Result<Vec<bool>> {
    Ok(match args::arg(args, k)? {
        Datum::Scalar(v) => vec![v.is_null(); ctx.rows],
        Datum::Array(a) => (0..ctx.rows).map(|i| a.is_null(i)).collect(),
    })
}

fn bools(args: &[Datum], ctx: &KernelContext) -> Result<BooleanArray> {
    Ok(match args::boolean(args, ctx, 0)? {
        args::Bool::Scalar(v) => BooleanArray::from(vec![v; ctx.rows]),
        args::Bool::Array(a) => a,
    })
}

fn strict(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let r = bools(args, ctx)?;
    let (l, rr) = (null_at(args, ctx, 1)?, null_at(args, ctx, 2)?);
    let out: BooleanArray = (0..ctx.rows)
        .map(|i| (!l[i] && !rr[i] && r.is_valid(i)).then(|| r.value(i)))
        .collect();
    Ok(Arc::new(out))
}

fn in3(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let r = bools(args, ctx)?;
    let x = null_at(args, ctx, 1)?;
    let items: Vec<Vec<bool>> = (2..args.len())
        .map(|k| null_at(args, ctx, k))
        .collect::<Result<_>>()?;
    let out: BooleanArray = (0..ctx.rows)
        .map(|i| {
            if x[i] {
                return None;
            }
            let hit = r.is_valid(i) && r.value(i);
            if hit {
                Some(true)
            } else if items.iter().any(|n| n[i]) || !r.is_valid(i) {
                None
            } else {
                Some(false)
            }
        })
        .collect();
    Ok(Arc::new(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::testing::*;
    use KType::*;

    #[test]
    fn integer_overflow_is_null() {
        let a = long_col(&[Some(i64::MAX), Some(1), None]);
        let one = lit_long(1);
        assert_eq!(
            longs(&call(
                "__esql_add",
                &[a.clone(), one.clone()],
                &[Long, Long]
            )),
            [None, Some(2), None]
        );
        assert_eq!(
            longs(&call(
                "__esql_mul",
                &[a.clone(), lit_long(2)],
                &[Long, Long]
            )),
            [None, Some(2), None]
        );
        let m = long_col(&[Some(i64::MIN), Some(5)]);
        assert_eq!(longs(&call("__esql_neg", &[m], &[Long])), [None, Some(-5)]);
        // Reals are Kusto's.
        let r = real_col(&[Some(1.5)]);
        assert_eq!(
            reals(&call("__esql_add", &[r, one], &[Real, Long])),
            [Some(2.5)]
        );
    }

    #[test]
    fn comparisons_and_in_are_three_valued() {
        let r = bool_col(&[Some(false), Some(true), Some(false)]);
        let x = long_col(&[Some(1), None, Some(3)]);
        let null = Datum::Scalar(iishunt_plan::types::ScalarValue::Null(Long));
        let out = run(
            "__esql_strict",
            &[r.clone(), x.clone(), lit_long(1)],
            &[Bool, Long, Long],
            Bool,
        );
        assert_eq!(bools_of(&out), [Some(false), None, Some(false)]);
        // x IN (1, null): no match and a null in the list is null; x null is null.
        let out = run(
            "__esql_in3",
            &[r, x, lit_long(1), null],
            &[Bool, Long, Long, Long],
            Bool,
        );
        assert_eq!(bools_of(&out), [None, None, None]);
        let hit = bool_col(&[Some(true)]);
        let out = run(
            "__esql_in3",
            &[
                hit,
                lit_long(1),
                Datum::Scalar(iishunt_plan::types::ScalarValue::Null(Long)),
            ],
            &[Bool, Long, Long],
            Bool,
        );
        assert_eq!(bools_of(&out), [Some(true)]);
    }
}
