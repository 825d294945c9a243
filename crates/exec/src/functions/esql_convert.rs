//! Kernels of ES|QL's conversions (`esql_to_boolean`, `esql_to_integer`,
//! `esql_to_double`) and [`per_value`], which runs any one-argument kernel
//! on each value of a multi-value and keeps the result a multi-value, as
//! Elasticsearch converts multi-values.

use std::sync::Arc;

use arrow::array::*;
use iishunt_plan::types::KType;
use serde_json::Value;

use super::args;
use super::dynamic::{json, value_text};
use super::esql_mv::mv_values;
use crate::datum::{Datum, Kernel, KernelContext};
use crate::error::Result;

pub(crate) const KERNELS: &[(&str, Kernel)] = &[
    ("esql_to_boolean", |a, c| {
        convert_each(a, c, to_boolean, KType::Bool)
    }),
    ("esql_to_integer", |a, c| {
        convert_each(a, c, to_integer, KType::Int)
    }),
    ("esql_to_double", |a, c| {
        convert_each(a, c, to_double, KType::Real)
    }),
];

/// `kernel` on a single value, or on each value of a multi-value.
pub(crate) fn convert_each(
    args: &[Datum],
    ctx: &KernelContext,
    kernel: Kernel,
    ty: KType,
) -> Result<ArrayRef> {
    if args::arg_type(ctx, 0) == KType::Dynamic && ctx.return_type == KType::Dynamic {
        per_value(args, ctx, kernel, ty)
    } else {
        kernel(args, ctx)
    }
}

/// Runs `kernel` (one argument, result type `ty`) on every value of the
/// multi-value argument: the values of all rows are converted in one call,
/// then regrouped per row (one value stays single, none is null).
pub(crate) fn per_value(
    args: &[Datum],
    ctx: &KernelContext,
    kernel: Kernel,
    ty: KType,
) -> Result<ArrayRef> {
    let j = json(args, ctx, 0, false)?;
    let cells: Vec<Vec<Value>> = (0..ctx.rows).map(|i| mv_values(j.get(i))).collect();
    let flat: Vec<&Value> = cells.iter().flatten().collect();
    // The values as one column of the narrowest type that holds them all.
    let (col, elem): (ArrayRef, KType) = if flat.iter().all(|v| v.is_i64()) {
        (
            Arc::new(flat.iter().map(|v| v.as_i64()).collect::<Int64Array>()),
            KType::Long,
        )
    } else if flat.iter().all(|v| v.is_number()) {
        (
            Arc::new(flat.iter().map(|v| v.as_f64()).collect::<Float64Array>()),
            KType::Real,
        )
    } else if flat.iter().all(|v| v.is_boolean()) {
        (
            Arc::new(flat.iter().map(|v| v.as_bool()).collect::<BooleanArray>()),
            KType::Bool,
        )
    } else {
        let texts: StringArray = flat
            .iter()
            .map(|v| {
                let mut s = String::new();
                value_text(v, &mut s);
                Some(s)
            })
            .collect();
        (Arc::new(texts), KType::String)
    };
    let types = [elem];
    let inner = KernelContext {
        rows: flat.len(),
        now: ctx.now,
        arg_types: &types,
        return_type: ty,
    };
    let converted = kernel(&[Datum::Array(col)], &inner)?;
    let out_types = [ty];
    let out_ctx = KernelContext {
        rows: flat.len(),
        now: ctx.now,
        arg_types: &out_types,
        return_type: KType::Dynamic,
    };
    let values = json(&[Datum::Array(converted)], &out_ctx, 0, false)?;
    let mut k = 0;
    Ok(args::strings(ctx.rows, 0, |i, out| {
        let mut row: Vec<Value> = Vec::new();
        for _ in 0..cells[i].len() {
            let v = values.get(k).clone();
            k += 1;
            if !v.is_null() {
                row.push(v);
            }
        }
        match row.len() {
            0 => false,
            1 => {
                out.push_str(&row[0].to_string());
                true
            }
            _ => {
                out.push_str(&Value::Array(row).to_string());
                true
            }
        }
    }))
}

fn to_boolean(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let ty = args::arg_type(ctx, 0);
    if ty.is_stringy() || ty == KType::Dynamic {
        let t = args::text(args, ctx, 0)?;
        let out: BooleanArray = (0..ctx.rows)
            .map(|i| (!t.is_null(i)).then(|| t.get(i).eq_ignore_ascii_case("true")))
            .collect();
        return Ok(Arc::new(out));
    }
    if ty == KType::Bool {
        return args::arg(args, 0)?.to_array(ctx.rows);
    }
    let v = args::real(args, ctx, 0)?;
    let out: BooleanArray = (0..ctx.rows).map(|i| v.get(i).map(|x| x != 0.0)).collect();
    Ok(Arc::new(out))
}

/// A number from Elasticsearch text: an integer, or a double truncated.
fn parse_number(s: &str) -> Option<f64> {
    let s = s.trim();
    s.parse::<i64>()
        .map(|v| v as f64)
        .ok()
        .or_else(|| s.parse::<f64>().ok())
}

/// Argument 0 as doubles: text parsed, dates in milliseconds, bools as 0/1.
fn as_reals(args: &[Datum], ctx: &KernelContext) -> Result<Vec<Option<f64>>> {
    let ty = args::arg_type(ctx, 0);
    Ok(match ty {
        KType::String | KType::Guid | KType::Dynamic => {
            let t = args::text(args, ctx, 0)?;
            (0..ctx.rows)
                .map(|i| (!t.is_null(i)).then(|| parse_number(t.get(i))).flatten())
                .collect()
        }
        KType::DateTime => {
            let v = args::long(args, ctx, 0)?;
            (0..ctx.rows)
                .map(|i| v.get(i).map(|us| us.div_euclid(1000) as f64))
                .collect()
        }
        KType::Bool => {
            let v = super::convert(args::arg(args, 0)?, ty, KType::Real, ctx.rows)?;
            let v = v.as_any().downcast_ref::<Float64Array>().cloned();
            (0..ctx.rows)
                .map(|i| v.as_ref().and_then(|a| (!a.is_null(i)).then(|| a.value(i))))
                .collect()
        }
        _ => {
            let v = args::real(args, ctx, 0)?;
            (0..ctx.rows).map(|i| v.get(i)).collect()
        }
    })
}

fn to_integer(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    if matches!(args::arg_type(ctx, 0), KType::Int | KType::Long) {
        let v = args::long(args, ctx, 0)?;
        let out: Int32Array = (0..ctx.rows)
            .map(|i| v.get(i).and_then(|x| i32::try_from(x).ok()))
            .collect();
        return Ok(Arc::new(out));
    }
    let out: Int32Array = as_reals(args, ctx)?
        .into_iter()
        .map(|v| {
            let t = v?.trunc();
            (f64::from(i32::MIN)..=f64::from(i32::MAX))
                .contains(&t)
                .then_some(t as i32)
        })
        .collect();
    Ok(Arc::new(out))
}

fn to_double(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let out: Float64Array = as_reals(args, ctx)?.into_iter().collect();
    Ok(Arc::new(out))
}

/// The doubles that truncate to a long.
const LONG_RANGE: std::ops::Range<f64> = -9.223_372_036_854_776e18..9.223_372_036_854_776e18;

/// ES|QL `TO_LONG`: integers as they are, text read as a number and
/// truncated, dates in milliseconds; out of range is null.
pub(crate) fn to_long(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    if matches!(args::arg_type(ctx, 0), KType::Int | KType::Long) {
        return super::convert(
            args::arg(args, 0)?,
            args::arg_type(ctx, 0),
            KType::Long,
            ctx.rows,
        );
    }
    let ty = args::arg_type(ctx, 0);
    if ty.is_stringy() || ty == KType::Dynamic {
        let t = args::text(args, ctx, 0)?;
        let out: Int64Array = (0..ctx.rows)
            .map(|i| {
                if t.is_null(i) {
                    return None;
                }
                let s = t.get(i).trim();
                s.parse::<i64>().ok().or_else(|| {
                    let f = s.parse::<f64>().ok()?.trunc();
                    LONG_RANGE.contains(&f).then_some(f as i64)
                })
            })
            .collect();
        return Ok(Arc::new(out));
    }
    let out: Int64Array = as_reals(args, ctx)?
        .into_iter()
        .map(|v| {
            let t = v?.trunc();
            LONG_RANGE.contains(&t).then_some(t as i64)
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
    fn to_boolean_of_each_value() {
        let a = lit_dyn(r#"["true", "TRuE", "false", "", "yes", "1"]"#);
        let out = run("esql_to_boolean", &[a], &[Dynamic], Dynamic);
        assert_eq!(
            texts(&out)[0].as_deref(),
            Some("[true,true,false,false,false,false]")
        );
    }

    #[test]
    fn to_integer_drops_values_out_of_range() {
        let a = lit_dyn("[5013792, 2147483647, 501379200000]");
        let out = run("esql_to_integer", &[a], &[Dynamic], Dynamic);
        assert_eq!(texts(&out)[0].as_deref(), Some("[5013792,2147483647]"));
        let s = strs(&[Some("2147483648.2"), Some("foo"), Some("-7.9")]);
        assert_eq!(
            ints(&run("esql_to_integer", &[s], &[String], Int)),
            [None, None, Some(-7)]
        );
    }

    #[test]
    fn to_double_reads_text_and_dates_in_millis() {
        let s = strs(&[Some("5.20128E11"), Some("foo")]);
        assert_eq!(
            reals(&run("esql_to_double", &[s], &[String], Real)),
            [Some(5.20128e11), None]
        );
        let d = dt_col(&[Some(1_500)]);
        assert_eq!(
            reals(&run("esql_to_double", &[d], &[DateTime], Real)),
            [Some(1.0)]
        );
    }
}
