//! `order by` / `sort by` and `top N by`: a stable lexicographic sort on the
//! evaluated keys. `top` keeps only the best N of each chunk as it goes, so
//! memory stays at a few times N rows.

use arrow::array::{ArrayRef, RecordBatch};
use arrow::compute::{
    concat_batches, lexsort_to_indices, take_record_batch, SortColumn, SortOptions,
};
use iishunt_plan::expr::SortExpr;

use crate::context::ExecContext;
use crate::error::Result;
use crate::expr::{decode_array, evaluate};

/// Sorts one batch by `keys`, keeping at most `limit` rows.
pub fn sort_batch(
    batch: &RecordBatch,
    keys: &[SortExpr],
    limit: Option<usize>,
    ctx: &ExecContext,
) -> Result<RecordBatch> {
    if batch.num_rows() == 0 || keys.is_empty() {
        return Ok(match limit {
            Some(n) if n < batch.num_rows() => batch.slice(0, n),
            _ => batch.clone(),
        });
    }
    let mut columns = Vec::with_capacity(keys.len());
    for k in keys {
        let values: ArrayRef = decode_array(&evaluate(&k.expr, batch, ctx)?)?;
        columns.push(SortColumn {
            values,
            options: Some(SortOptions {
                descending: k.descending,
                nulls_first: k.nulls_first,
            }),
        });
    }
    // A stable sort: equal keys keep their input order (lexsort is stable in arrow-rs).
    let indices = lexsort_to_indices(&columns, limit)?;
    Ok(take_record_batch(batch, &indices)?)
}

/// Concatenates batches of the same schema (an empty list gives no batch).
pub fn concat_all(batches: &[RecordBatch]) -> Result<Option<RecordBatch>> {
    let Some(first) = batches.first() else {
        return Ok(None);
    };
    let schema = first.schema();
    // Arrays may differ in encoding between batches (dictionary or not): unify.
    let unified: Vec<RecordBatch> = batches.iter().map(plain_batch).collect::<Result<_>>()?;
    let schema = if unified.is_empty() {
        schema
    } else {
        unified[0].schema()
    };
    Ok(Some(concat_batches(&schema, &unified)?))
}

/// The batch with every dictionary column decoded.
pub fn plain_batch(batch: &RecordBatch) -> Result<RecordBatch> {
    let columns: Vec<ArrayRef> = batch
        .columns()
        .iter()
        .map(decode_array)
        .collect::<Result<_>>()?;
    let fields: Vec<arrow::datatypes::Field> = batch
        .schema()
        .fields()
        .iter()
        .zip(&columns)
        .map(|(f, a)| arrow::datatypes::Field::new(f.name(), a.data_type().clone(), true))
        .collect();
    Ok(RecordBatch::try_new_with_options(
        std::sync::Arc::new(arrow::datatypes::Schema::new(fields)),
        columns,
        &arrow::array::RecordBatchOptions::new().with_row_count(Some(batch.num_rows())),
    )?)
}
