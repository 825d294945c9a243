//! Evaluates a `BoundExpr` over a batch, one Arrow array per node.
//!
//! Columns may arrive dictionary-encoded (strings read from Parquet). A
//! function whose array arguments are dictionary columns runs on the
//! dictionary's distinct values instead of on every row (`dictionary.rs`), and
//! its result stays dictionary-encoded, so `case(tohex(tolong(x)) =~ "775", …)`
//! over millions of rows costs as much as over a few hundred values. Kernels
//! themselves only ever see plain arrays.

use arrow::array::{Array, ArrayRef, BooleanArray};
use arrow::compute::cast;
use arrow::datatypes::DataType;
use arrow::record_batch::RecordBatch;
use iishunt_plan::expr::BoundExpr;
use iishunt_plan::types::{KType, ScalarValue};

use super::dictionary;
use crate::context::ExecContext;
use crate::datum::{Datum, KernelContext};
use crate::error::{ExecError, Result};
use crate::functions::kernel;
use crate::scalar::{array_cell, scalar_to_array};

/// The value of `expr` for every row of `batch`. The array may be
/// dictionary-encoded when it derives from dictionary columns.
pub fn evaluate(expr: &BoundExpr, batch: &RecordBatch, ctx: &ExecContext) -> Result<ArrayRef> {
    match eval_datum(expr, batch, ctx)? {
        Datum::Array(a) => Ok(a),
        Datum::Scalar(s) => scalar_to_array(&s, batch.num_rows()),
    }
}

/// A predicate as a plain boolean array (null = not selected).
pub fn evaluate_predicate(
    expr: &BoundExpr,
    batch: &RecordBatch,
    ctx: &ExecContext,
) -> Result<BooleanArray> {
    let array = decode(&evaluate(expr, batch, ctx)?)?;
    array
        .as_any()
        .downcast_ref::<BooleanArray>()
        .cloned()
        .ok_or_else(|| {
            ExecError::internal(
                "evaluate_predicate",
                format!("predicate gave {}", array.data_type()),
            )
        })
}

/// Evaluates an expression without column references (constant folding).
pub fn evaluate_constant(expr: &BoundExpr, ctx: &ExecContext) -> Result<ScalarValue> {
    let batch = RecordBatch::try_new_with_options(
        std::sync::Arc::new(arrow::datatypes::Schema::empty()),
        vec![],
        &arrow::record_batch::RecordBatchOptions::new().with_row_count(Some(1)),
    )?;
    match eval_datum(expr, &batch, ctx)? {
        Datum::Scalar(s) => Ok(s),
        Datum::Array(a) => array_cell(decode(&a)?.as_ref(), 0, expr.ty()),
    }
}

/// Whether a call with constant arguments has one value for the whole query.
/// `now()` and `ago()` are volatile to the binder (it cannot fold them: the
/// query's now is fixed only when it runs) but constant within a run;
/// `rand()` and `new_guid()` differ per row.
fn once_per_query(func: &iishunt_plan::functions::ScalarFunction) -> bool {
    !func.volatile || matches!(func.name, "now" | "ago")
}

fn eval_datum(expr: &BoundExpr, batch: &RecordBatch, ctx: &ExecContext) -> Result<Datum> {
    match expr {
        BoundExpr::Column { index, .. } => batch
            .columns()
            .get(*index)
            .cloned()
            .map(Datum::Array)
            .ok_or_else(|| ExecError::internal("evaluate", format!("column {index} out of range"))),
        BoundExpr::Literal(v) => Ok(Datum::Scalar(v.clone())),
        BoundExpr::Call { func, args, ty } => {
            let k = kernel(func.name).ok_or_else(|| {
                ExecError::internal("evaluate", format!("no kernel for `{}`", func.name))
            })?;
            let mut values = Vec::with_capacity(args.len());
            for a in args {
                values.push(eval_datum(a, batch, ctx)?);
            }
            let arg_types: Vec<KType> = args.iter().map(BoundExpr::ty).collect();
            let rows = batch.num_rows();
            if !func.volatile {
                if let Some(result) =
                    dictionary::try_eval_on_values(k, &values, &arg_types, *ty, rows, ctx)?
                {
                    return Ok(Datum::Array(result));
                }
            }
            let mut plain = Vec::with_capacity(values.len());
            for v in values {
                plain.push(match v {
                    Datum::Array(a) => Datum::Array(decode(&a)?),
                    s => s,
                });
            }
            if plain.iter().all(|d| matches!(d, Datum::Scalar(_))) && once_per_query(func) {
                // All constant: compute once, broadcast lazily.
                let kc = KernelContext {
                    rows: 1,
                    now: ctx.now,
                    arg_types: &arg_types,
                    return_type: *ty,
                };
                let one = k(&plain, &kc)?;
                return Ok(Datum::Scalar(array_cell(one.as_ref(), 0, *ty)?));
            }
            let kc = KernelContext {
                rows,
                now: ctx.now,
                arg_types: &arg_types,
                return_type: *ty,
            };
            let out = k(&plain, &kc)?;
            if out.len() != rows {
                return Err(ExecError::internal(
                    "evaluate",
                    format!("`{}` returned {} rows for {rows}", func.name, out.len()),
                ));
            }
            Ok(Datum::Array(out))
        }
    }
}

/// A plain array: dictionary arrays are expanded to their value type.
pub fn decode(array: &ArrayRef) -> Result<ArrayRef> {
    match array.data_type() {
        DataType::Dictionary(_, value) => Ok(cast(array, value)?),
        _ => Ok(array.clone()),
    }
}
