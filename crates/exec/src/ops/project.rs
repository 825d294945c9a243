//! `extend`, `project`, renames: each output column is an expression of the input row.

use arrow::array::{ArrayRef, RecordBatch};
use iishunt_plan::expr::BoundExpr;
use iishunt_plan::schema::Schema;

use super::batch_with_schema;
use crate::context::ExecContext;
use crate::error::Result;
use crate::expr::evaluate;

pub fn project(
    batch: &RecordBatch,
    exprs: &[BoundExpr],
    schema: &Schema,
    ctx: &ExecContext,
) -> Result<RecordBatch> {
    let columns: Vec<ArrayRef> = exprs
        .iter()
        .map(|e| evaluate(e, batch, ctx))
        .collect::<Result<_>>()?;
    batch_with_schema(schema, columns, batch.num_rows())
}
