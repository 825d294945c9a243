//! Physical operators. Streaming ones (`filter`, `project`) run inside a
//! pipeline on each partition; the others (`hash_aggregate`, `sort`, `top_n`,
//! `limit`, `union`, `hash_join`, `mv_expand`, `window`, `sequence_scan`) consume a
//! pipeline's output.

pub mod disjoint;
pub mod filter;
pub mod hash_aggregate;
pub mod hash_join;
pub mod having;
pub mod ip_prefix;
pub mod make_series;
pub mod mv_expand;
pub mod project;
pub mod sequence_scan;
pub mod sort;
pub mod values;
pub mod window;

use std::sync::Arc;

use arrow::array::{ArrayRef, RecordBatch, RecordBatchOptions};
use arrow::datatypes::Field;
use iishunt_plan::schema::Schema;

use crate::error::Result;
use crate::expr::decode_array;

/// A batch with `schema`'s names; array types are kept as they are (a column
/// may be dictionary-encoded inside the engine).
pub fn batch_with_schema(
    schema: &Schema,
    columns: Vec<ArrayRef>,
    rows: usize,
) -> Result<RecordBatch> {
    let fields: Vec<Field> = schema
        .columns
        .iter()
        .zip(&columns)
        .map(|(c, a)| Field::new(&c.name, a.data_type().clone(), true))
        .collect();
    Ok(RecordBatch::try_new_with_options(
        Arc::new(arrow::datatypes::Schema::new(fields)),
        columns,
        &RecordBatchOptions::new().with_row_count(Some(rows)),
    )?)
}

/// The batch as the engine hands it out: plain arrays of each column's Kusto
/// type, Arrow schema with `kusto_type` metadata.
pub fn normalize(batch: &RecordBatch, schema: &Schema) -> Result<RecordBatch> {
    let mut columns = Vec::with_capacity(schema.len());
    for (array, c) in batch.columns().iter().zip(&schema.columns) {
        let plain = decode_array(array)?;
        let want = c.ty.arrow_type();
        columns.push(if *plain.data_type() == want {
            plain
        } else {
            arrow::compute::cast(&plain, &want)?
        });
    }
    Ok(RecordBatch::try_new_with_options(
        schema.to_arrow(),
        columns,
        &RecordBatchOptions::new().with_row_count(Some(batch.num_rows())),
    )?)
}
