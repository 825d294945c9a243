//! `where`: keeps the rows where the predicate is true (null counts as false).

use arrow::array::{Array, RecordBatch};
use arrow::compute::filter_record_batch;
use iishunt_plan::expr::BoundExpr;

use crate::context::ExecContext;
use crate::error::Result;
use crate::expr::evaluate_predicate;

pub fn filter(
    batch: &RecordBatch,
    predicate: &BoundExpr,
    ctx: &ExecContext,
) -> Result<RecordBatch> {
    let mask = evaluate_predicate(predicate, batch, ctx)?;
    if mask.true_count() == batch.num_rows() && mask.null_count() == 0 {
        return Ok(batch.clone());
    }
    Ok(filter_record_batch(batch, &mask)?)
}
