//! Constant rows (`print`, `datatable`, `range`, `getschema`) as a batch.

use std::sync::Arc;

use arrow::array::{ArrayRef, Int64Array, RecordBatch};
use arrow::compute::{cast, concat};
use iishunt_plan::logical::ValueRange;
use iishunt_plan::schema::Schema;
use iishunt_plan::types::ScalarValue;

use super::batch_with_schema;
use crate::error::Result;
use crate::scalar::scalar_to_array;

/// `range`'s one column, built straight as an Arrow array (the binder
/// checked that every value lies between the bounds).
pub fn range_batch(schema: &Schema, range: &ValueRange) -> Result<RecordBatch> {
    let Some(col) = schema.columns.first() else {
        return Err(crate::error::ExecError::internal(
            "range_batch",
            "a range without a column",
        ));
    };
    let values =
        Int64Array::from_iter_values((0..range.count as i64).map(|i| range.start + i * range.step));
    let array: ArrayRef = cast(&(Arc::new(values) as ArrayRef), &col.ty.arrow_type())?;
    batch_with_schema(schema, vec![array], range.count as usize)
}

pub fn values_batch(schema: &Schema, rows: &[Vec<ScalarValue>]) -> Result<RecordBatch> {
    let mut columns: Vec<ArrayRef> = Vec::with_capacity(schema.len());
    for (c, col) in schema.columns.iter().enumerate() {
        let cells: Vec<ArrayRef> = rows
            .iter()
            .map(|row| {
                let v = row.get(c).cloned().unwrap_or(ScalarValue::Null(col.ty));
                let v = if v.ktype() == col.ty {
                    v
                } else {
                    ScalarValue::Null(col.ty)
                };
                scalar_to_array(&v, 1)
            })
            .collect::<Result<_>>()?;
        columns.push(if cells.is_empty() {
            arrow::array::new_empty_array(&col.ty.arrow_type())
        } else {
            let refs: Vec<&dyn arrow::array::Array> = cells.iter().map(|a| a.as_ref()).collect();
            concat(&refs)?
        });
    }
    batch_with_schema(schema, columns, rows.len())
}
