//! Window functions (`prev`, `next`, `row_number`, `row_window_session`) over
//! the whole input as one ordered batch: the rows arrive in partition order
//! (file and line order for a log table, or a sort's order), are concatenated,
//! and each call appends its column, so a later call may read an earlier one
//! (`row_window_session(…, cIP != prev(cIP))`).

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, BooleanArray, Int64Array, RecordBatch, UInt64Array};
use arrow::compute::{cast, concat_batches, take};
use arrow::datatypes::DataType;
use iishunt_plan::logical::{WindowCall, WindowKind};
use iishunt_plan::schema::{Column, Schema};
use iishunt_plan::types::{KType, ScalarValue};

use crate::context::ExecContext;
use crate::error::{ExecError, Result};
use crate::expr::{evaluate, evaluate_predicate};
use crate::ops::{batch_with_schema, normalize};

/// Runs `calls` over `batches` (the input, in order); `schema` is the output
/// (the input columns, then one column per call).
pub fn window(
    batches: &[RecordBatch],
    input: &Schema,
    calls: &[WindowCall],
    schema: &Schema,
    ctx: &ExecContext,
) -> Result<Vec<RecordBatch>> {
    let normalized: Vec<RecordBatch> = batches
        .iter()
        .map(|b| normalize(b, input))
        .collect::<Result<_>>()?;
    let rows: usize = normalized.iter().map(RecordBatch::num_rows).sum();
    if rows == 0 {
        return Ok(Vec::new());
    }
    let one = concat_batches(&input.to_arrow(), &normalized)?;
    let mut columns: Vec<ArrayRef> = one.columns().to_vec();
    let mut so_far: Vec<Column> = input.columns.clone();
    for (k, call) in calls.iter().enumerate() {
        let current = batch_with_schema(&Schema::new(so_far.clone()), columns.clone(), rows)?;
        let out = match call.kind {
            WindowKind::Prev => shifted(call, &current, ctx, true)?,
            WindowKind::Next => shifted(call, &current, ctx, false)?,
            WindowKind::RowNumber => row_number(call, &current, ctx)?,
            WindowKind::RowWindowSession => row_window_session(call, &current, ctx)?,
            WindowKind::RowCumsum => row_cumsum(call, &current, ctx)?,
            WindowKind::RowRankMin => row_rank(call, &current, ctx, false)?,
            WindowKind::RowRankDense => row_rank(call, &current, ctx, true)?,
        };
        columns.push(out);
        so_far.push(schema.columns[input.len() + k].clone());
    }
    Ok(vec![batch_with_schema(schema, columns, rows)?])
}

/// A constant whole-number argument (the binder checked it is one).
fn constant_long(call: &WindowCall, i: usize, default: i64) -> i64 {
    match call.args.get(i).and_then(|a| a.as_literal()) {
        Some(ScalarValue::Long(v)) => *v,
        Some(ScalarValue::Int(v)) => i64::from(*v),
        Some(ScalarValue::TimeSpan(v)) => *v,
        _ => default,
    }
}

/// `prev` / `next`: the value `offset` rows before / after, else the default.
fn shifted(
    call: &WindowCall,
    batch: &RecordBatch,
    ctx: &ExecContext,
    back: bool,
) -> Result<ArrayRef> {
    let rows = batch.num_rows();
    let values = evaluate(&call.args[0], batch, ctx)?;
    let values = crate::expr::decode_array(&values)?;
    let offset = constant_long(call, 1, 1).max(0) as usize;
    let source = |i: usize| {
        if back {
            i.checked_sub(offset)
        } else {
            Some(i + offset).filter(|j| *j < rows)
        }
    };
    let indices: UInt64Array = (0..rows).map(|i| source(i).map(|j| j as u64)).collect();
    let taken = take(values.as_ref(), &indices, None)?;
    let Some(default) = call.args.get(2) else {
        return Ok(taken);
    };
    let default = crate::expr::decode_array(&evaluate(default, batch, ctx)?)?;
    let outside: BooleanArray = (0..rows).map(|i| Some(source(i).is_none())).collect();
    let default = if default.data_type() == taken.data_type() {
        default
    } else {
        cast(&default, taken.data_type())?
    };
    Ok(arrow::compute::kernels::zip::zip(
        &outside, &default, &taken,
    )?)
}

/// `row_number([start[, restart]])`: start, start + 1, …, from start again
/// where `restart` is true.
fn row_number(call: &WindowCall, batch: &RecordBatch, ctx: &ExecContext) -> Result<ArrayRef> {
    let rows = batch.num_rows();
    let start = constant_long(call, 0, 1);
    let restart = match call.args.get(1) {
        Some(r) => Some(evaluate_predicate(r, batch, ctx)?),
        None => None,
    };
    let mut n = start;
    let out: Int64Array = (0..rows)
        .map(|i| {
            if i > 0 {
                let again = restart
                    .as_ref()
                    .is_some_and(|r| r.is_valid(i) && r.value(i));
                n = if again { start } else { n + 1 };
            }
            Some(n)
        })
        .collect();
    Ok(Arc::new(out))
}

/// `row_window_session(expr, maxFromFirst, maxBetween[, restart])`: the
/// value of `expr` at the first row of the session each row belongs to. A
/// session starts at the first row, and again where `restart` is true, where
/// `expr` is more than `maxFromFirst` after the session's first value, or
/// more than `maxBetween` after the previous row's. Null values give null and
/// leave the session as it is.
fn row_window_session(
    call: &WindowCall,
    batch: &RecordBatch,
    ctx: &ExecContext,
) -> Result<ArrayRef> {
    let rows = batch.num_rows();
    let values = crate::expr::decode_array(&evaluate(&call.args[0], batch, ctx)?)?;
    let ty = call.ty;
    let micros = cast(&values, &DataType::Int64)?;
    let micros = micros
        .as_any()
        .downcast_ref::<Int64Array>()
        .ok_or_else(|| ExecError::internal("row_window_session", "the value is not a time"))?;
    let from_first = constant_long(call, 1, 0);
    let between = constant_long(call, 2, 0);
    let restart = match call.args.get(3) {
        Some(r) => Some(evaluate_predicate(r, batch, ctx)?),
        None => None,
    };
    let mut session: Option<(i64, i64)> = None; // (first value, previous value)
    let out: Int64Array = (0..rows)
        .map(|i| {
            if micros.is_null(i) {
                return None;
            }
            let v = micros.value(i);
            let again = restart
                .as_ref()
                .is_some_and(|r| r.is_valid(i) && r.value(i));
            let start = match session {
                Some((first, prev)) if !again && v - first <= from_first && v - prev <= between => {
                    first
                }
                _ => v,
            };
            session = Some((start, v));
            Some(start)
        })
        .collect();
    let out: ArrayRef = Arc::new(out);
    Ok(cast(&out, &ty_arrow(ty))?)
}

/// `row_cumsum(expr[, restart])`: the running sum (nulls add nothing),
/// from the row's own value again where `restart` is true.
fn row_cumsum(call: &WindowCall, batch: &RecordBatch, ctx: &ExecContext) -> Result<ArrayRef> {
    let rows = batch.num_rows();
    let values = crate::expr::decode_array(&evaluate(&call.args[0], batch, ctx)?)?;
    let restart = match call.args.get(1) {
        Some(r) => Some(evaluate_predicate(r, batch, ctx)?),
        None => None,
    };
    let again = |i: usize| {
        restart
            .as_ref()
            .is_some_and(|r| r.is_valid(i) && r.value(i))
    };
    if call.ty == KType::Real {
        let v = cast(&values, &DataType::Float64)?;
        let v = v
            .as_any()
            .downcast_ref::<arrow::array::Float64Array>()
            .ok_or_else(|| ExecError::internal("row_cumsum", "not a real"))?;
        let mut sum = 0.0;
        let out: arrow::array::Float64Array = (0..rows)
            .map(|i| {
                if again(i) {
                    sum = 0.0;
                }
                if v.is_valid(i) {
                    sum += v.value(i);
                }
                Some(sum)
            })
            .collect();
        return Ok(Arc::new(out));
    }
    let v = cast(&values, &DataType::Int64)?;
    let v = v
        .as_any()
        .downcast_ref::<Int64Array>()
        .ok_or_else(|| ExecError::internal("row_cumsum", "not a whole number"))?;
    let mut sum = 0i64;
    let out: Int64Array = (0..rows)
        .map(|i| {
            if again(i) {
                sum = 0;
            }
            if v.is_valid(i) {
                sum = sum.wrapping_add(v.value(i));
            }
            Some(sum)
        })
        .collect();
    let out: ArrayRef = Arc::new(out);
    Ok(cast(&out, &ty_arrow(call.ty))?)
}

/// `row_rank_min` and (`dense`) `row_rank_dense`: the rows arrive sorted, so
/// equal values are neighbours; a row equal to the one before (nulls equal
/// to nulls) keeps its rank, a new value takes the row number (min) or one
/// more than the last rank (dense), and `restart` starts again at 1.
fn row_rank(
    call: &WindowCall,
    batch: &RecordBatch,
    ctx: &ExecContext,
    dense: bool,
) -> Result<ArrayRef> {
    let rows = batch.num_rows();
    let values = crate::expr::decode_array(&evaluate(&call.args[0], batch, ctx)?)?;
    let restart = match call.args.get(1) {
        Some(r) => Some(evaluate_predicate(r, batch, ctx)?),
        None => None,
    };
    let cmp = arrow::array::make_comparator(
        values.as_ref(),
        values.as_ref(),
        arrow::compute::SortOptions::default(),
    )?;
    let (mut number, mut rank) = (0i64, 0i64);
    let out: Int64Array = (0..rows)
        .map(|i| {
            let again = restart
                .as_ref()
                .is_some_and(|r| r.is_valid(i) && r.value(i));
            if i == 0 || again {
                number = 1;
                rank = 1;
            } else {
                number += 1;
                if cmp(i - 1, i).is_ne() {
                    rank = if dense { rank + 1 } else { number };
                }
            }
            Some(rank)
        })
        .collect();
    Ok(Arc::new(out))
}

fn ty_arrow(ty: KType) -> DataType {
    ty.arrow_type()
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::{StringArray, TimestampMicrosecondArray};
    use iishunt_plan::expr::BoundExpr;

    fn col(index: usize, name: &str, ty: KType) -> BoundExpr {
        BoundExpr::Column {
            index,
            name: name.into(),
            ty,
        }
    }

    fn ctx() -> ExecContext {
        ExecContext {
            one_pass_bytes: 1,
            ..ExecContext::default()
        }
    }

    /// Times 0s, 2s, 10s, 11s, 40s for ip a, a, a, b, b: with 30s from the
    /// first and 5s between neighbours, sessions start at 0 (0, 2), 10 (10 is
    /// 8s after 2), then b restarts at 11, and 40 is 29s after 11 (> 5s).
    #[test]
    fn sessions_restart_on_gap_distance_and_condition() {
        let input = Schema::new(vec![
            Column {
                name: "t".into(),
                ty: KType::DateTime,
            },
            Column {
                name: "ip".into(),
                ty: KType::String,
            },
        ]);
        let s = 1_000_000;
        let batch = batch_with_schema(
            &input,
            vec![
                Arc::new(TimestampMicrosecondArray::from(vec![
                    0,
                    2 * s,
                    10 * s,
                    11 * s,
                    40 * s,
                ])),
                Arc::new(StringArray::from(vec!["a", "a", "a", "b", "b"])),
            ],
            5,
        )
        .expect("batch");
        let prev = WindowCall {
            kind: WindowKind::Prev,
            args: vec![col(1, "ip", KType::String)],
            ty: KType::String,
        };
        let eq = iishunt_plan::functions::lookup_scalar("__neq").expect("__neq");
        let restart = BoundExpr::Call {
            func: eq,
            args: vec![col(1, "ip", KType::String), col(2, "prev", KType::String)],
            ty: KType::Bool,
        };
        let session = WindowCall {
            kind: WindowKind::RowWindowSession,
            args: vec![
                col(0, "t", KType::DateTime),
                BoundExpr::Literal(ScalarValue::TimeSpan(30 * s)),
                BoundExpr::Literal(ScalarValue::TimeSpan(5 * s)),
                restart,
            ],
            ty: KType::DateTime,
        };
        let number = WindowCall {
            kind: WindowKind::RowNumber,
            args: vec![],
            ty: KType::Long,
        };
        let mut out_cols = input.columns.clone();
        out_cols.push(Column {
            name: "p".into(),
            ty: KType::String,
        });
        out_cols.push(Column {
            name: "w".into(),
            ty: KType::DateTime,
        });
        out_cols.push(Column {
            name: "n".into(),
            ty: KType::Long,
        });
        let out = window(
            &[batch],
            &input,
            &[prev, session, number],
            &Schema::new(out_cols),
            &ctx(),
        )
        .expect("window");
        let b = &out[0];
        let p = b
            .column(2)
            .as_any()
            .downcast_ref::<StringArray>()
            .expect("strings");
        assert_eq!(
            (0..5)
                .map(|i| p.is_valid(i).then(|| p.value(i)))
                .collect::<Vec<_>>(),
            vec![None, Some("a"), Some("a"), Some("a"), Some("b")]
        );
        let w = b
            .column(3)
            .as_any()
            .downcast_ref::<TimestampMicrosecondArray>()
            .expect("times");
        assert_eq!(w.values().to_vec(), vec![0, 0, 10 * s, 11 * s, 40 * s]);
        let n = b
            .column(4)
            .as_any()
            .downcast_ref::<Int64Array>()
            .expect("longs");
        assert_eq!(n.values().to_vec(), vec![1, 2, 3, 4, 5]);
    }
}
