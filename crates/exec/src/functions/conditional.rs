//! `iff`, `case`, `coalesce`, `isnull`, `isempty`. `case` is vectorised: one
//! pass per condition marks, last condition first, which branch each row takes
//! (walking only the set bits of each condition), then arrow's `interleave`
//! gathers the results once — constants are one-row arrays, never repeated.
//! Null conditions count as false, as in Kusto.

use arrow::array::*;
use arrow::buffer::BooleanBuffer;
use iishunt_plan::types::{KType, ScalarValue};

use super::args::{self, bools};
use super::convert;
use crate::datum::{Datum, Kernel, KernelContext};
use crate::error::Result;

pub(crate) const KERNELS: &[(&str, Kernel)] = &[
    ("iff", iff),
    ("case", case),
    ("coalesce", coalesce),
    ("isnull", |a, c| nullness(a, c, false, false)),
    ("isnotnull", |a, c| nullness(a, c, true, false)),
    ("isempty", |a, c| nullness(a, c, false, true)),
    ("isnotempty", |a, c| nullness(a, c, true, true)),
];

fn iff(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    choose(args, ctx, &[0], &[1], Some(2))
}

/// `case(c1, v1, c2, v2, …, else)`; with an even count (ES|QL) no else: null.
pub(crate) fn case(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let pairs = args.len() / 2;
    let conds: Vec<usize> = (0..pairs).map(|p| 2 * p).collect();
    let values: Vec<usize> = (0..pairs).map(|p| 2 * p + 1).collect();
    let otherwise = (args.len() % 2 == 1).then_some(args.len() - 1);
    choose(args, ctx, &conds, &values, otherwise)
}

/// The rows where a condition argument is true (null: false).
fn true_bits(args: &[Datum], ctx: &KernelContext, i: usize) -> Result<Option<BooleanBuffer>> {
    Ok(match args::boolean(args, ctx, i)? {
        args::Bool::Scalar(Some(true)) => Some(BooleanBuffer::new_set(ctx.rows)),
        args::Bool::Scalar(_) => None,
        args::Bool::Array(a) => Some(match a.nulls() {
            Some(n) => a.values() & n.inner(),
            None => a.values().clone(),
        }),
    })
}

/// Gathers, per row, the value of the branch `chosen[row]` (`values.len()` =
/// the fallback: `otherwise` or null).
fn gather(
    args: &[Datum],
    ctx: &KernelContext,
    chosen: &[u32],
    values: &[usize],
    otherwise: Option<usize>,
) -> Result<ArrayRef> {
    let ret = ctx.return_type;
    let mut sources: Vec<ArrayRef> = Vec::with_capacity(values.len() + 1);
    let mut is_const: Vec<bool> = Vec::with_capacity(values.len() + 1);
    for &v in values.iter().chain(otherwise.iter()) {
        let d = args::arg(args, v)?;
        let from = args::arg_type(ctx, v);
        let (rows, c) = match d {
            Datum::Scalar(_) => (1, true),
            Datum::Array(_) => (ctx.rows, false),
        };
        sources.push(convert(d, from, ret, rows)?);
        is_const.push(c);
    }
    if otherwise.is_none() {
        sources.push(crate::datum::null_array(ret, 1));
        is_const.push(true);
    }
    // Every row takes the same branch: no gathering.
    if let Some(&first) = chosen.first() {
        if chosen.iter().all(|&c| c == first) {
            let src = &sources[first as usize];
            return if is_const[first as usize] {
                args::broadcast(src.clone(), ctx.rows)
            } else {
                Ok(src.clone())
            };
        }
    }
    let indices: Vec<(usize, usize)> = chosen
        .iter()
        .enumerate()
        .map(|(row, &b)| (b as usize, if is_const[b as usize] { 0 } else { row }))
        .collect();
    let refs: Vec<&dyn Array> = sources.iter().map(|a| a.as_ref()).collect();
    if ctx.rows == 0 {
        return Ok(crate::datum::null_array(ret, 0));
    }
    Ok(arrow::compute::interleave(&refs, &indices)?)
}

fn choose(
    args: &[Datum],
    ctx: &KernelContext,
    conds: &[usize],
    values: &[usize],
    otherwise: Option<usize>,
) -> Result<ArrayRef> {
    let fallback = values.len() as u32;
    let mut chosen = vec![fallback; ctx.rows];
    for (b, &c) in conds.iter().enumerate().rev() {
        if let Some(bits) = true_bits(args, ctx, c)? {
            for i in bits.set_indices() {
                chosen[i] = b as u32;
            }
        }
    }
    gather(args, ctx, &chosen, values, otherwise)
}

/// Whether row `i` of argument `a` counts as present for `coalesce`/`isempty`.
fn present(a: &Datum, ty: KType, rows: usize, empty_too: bool) -> Result<Vec<bool>> {
    let text_like = ty.is_stringy() || ty == KType::Dynamic;
    Ok(match a {
        Datum::Scalar(v) => {
            let p = match v {
                ScalarValue::Null(_) => false,
                ScalarValue::String(s) | ScalarValue::Guid(s) => !(empty_too && s.is_empty()),
                ScalarValue::Dynamic(j) => !(j.is_null() || (empty_too && j.as_str() == Some(""))),
                _ => true,
            };
            vec![p; rows]
        }
        Datum::Array(arr) if text_like => {
            let s = arr.as_string::<i32>();
            (0..rows)
                .map(|i| {
                    if s.is_null(i) {
                        return false;
                    }
                    let v = s.value(i);
                    if ty == KType::Dynamic {
                        v != "null" && !(empty_too && v == "\"\"")
                    } else {
                        !(empty_too && v.is_empty())
                    }
                })
                .collect()
        }
        Datum::Array(arr) => (0..rows).map(|i| arr.is_valid(i)).collect(),
    })
}

fn coalesce(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let n = args.len();
    let mut chosen = vec![n as u32; ctx.rows];
    for b in (0..n).rev() {
        let p = present(&args[b], args::arg_type(ctx, b), ctx.rows, true)?;
        for (c, ok) in chosen.iter_mut().zip(p) {
            if ok {
                *c = b as u32;
            }
        }
    }
    let values: Vec<usize> = (0..n).collect();
    gather(args, ctx, &chosen, &values, None)
}

fn nullness(
    args: &[Datum],
    ctx: &KernelContext,
    negate: bool,
    empty_too: bool,
) -> Result<ArrayRef> {
    let a = args::arg(args, 0)?;
    let p = present(a, args::arg_type(ctx, 0), ctx.rows, empty_too)?;
    Ok(bools(ctx.rows, |i| p[i] == negate))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::testing::*;
    use KType::*;

    #[test]
    fn case_picks_the_first_true_branch() {
        let full = strs(&[Some("401.1"), Some("403.4"), Some("500.0"), None]);
        let c1 = call("__eq", &[full.clone(), lit_str("401.1")], &[String, String]);
        let c2 = call("__eq", &[full.clone(), lit_str("403.4")], &[String, String]);
        let c3 = call("__eq", &[full, lit_str("401.1")], &[String, String]);
        let args = [
            Datum::Array(c1),
            lit_str("Logon failed."),
            Datum::Array(c2),
            lit_str("SSL required."),
            Datum::Array(c3),
            lit_str("never"),
            lit_str("See -"),
        ];
        let out = call(
            "case",
            &args,
            &[Bool, String, Bool, String, Bool, String, String],
        );
        assert_eq!(
            texts(&out),
            vec![
                Some("Logon failed.".into()),
                Some("SSL required.".into()),
                Some("See -".into()),
                Some("See -".into())
            ]
        );
    }

    #[test]
    fn iff_with_columns_and_nulls() {
        let cond = bool_col(&[Some(true), Some(false), None]);
        let a = long_col(&[Some(1), Some(2), Some(3)]);
        let out = call(
            "iff",
            &[cond.clone(), a, Datum::Scalar(ScalarValue::Int(-1))],
            &[Bool, Long, Int],
        );
        assert_eq!(longs(&out), vec![Some(1), Some(-1), Some(-1)]);
        let out = call(
            "iff",
            &[
                cond,
                lit_str("x"),
                Datum::Scalar(ScalarValue::Null(Dynamic)),
            ],
            &[Bool, String, Dynamic],
        );
        assert_eq!(texts(&out), vec![Some("x".into()), None, None]);
    }

    #[test]
    fn coalesce_and_null_tests() {
        let a = strs(&[None, Some(""), Some("a")]);
        let out = call("coalesce", &[a.clone(), lit_str("b")], &[String, String]);
        assert_eq!(
            texts(&out),
            vec![Some("b".into()), Some("b".into()), Some("a".into())]
        );
        let n = long_col(&[None, Some(2)]);
        assert_eq!(
            longs(&call("coalesce", &[n.clone(), lit_long(0)], &[Long, Long])),
            vec![Some(0), Some(2)]
        );
        assert_eq!(
            bools_of(&call("isnull", &[n], &[Long])),
            vec![Some(true), Some(false)]
        );
        assert_eq!(
            bools_of(&call("isempty", &[a.clone()], &[String])),
            vec![Some(true), Some(true), Some(false)]
        );
        assert_eq!(
            bools_of(&call("isnotempty", &[a.clone()], &[String])),
            vec![Some(false), Some(false), Some(true)]
        );
        assert_eq!(
            bools_of(&call("isnull", &[a], &[String])),
            vec![Some(true), Some(false), Some(false)]
        );
    }
}
