//! Constants as arrays and array cells as constants: the bridge between the
//! plan's `ScalarValue` and Arrow.

use std::sync::Arc;

use arrow::array::*;
use arrow::datatypes::{DataType, TimeUnit};
use iishunt_plan::types::{KType, ScalarValue};

use crate::error::{ExecError, Result};

/// `value` repeated `rows` times, as an array of its type's Arrow type.
pub fn scalar_to_array(value: &ScalarValue, rows: usize) -> Result<ArrayRef> {
    Ok(match value {
        ScalarValue::Null(t) => new_null_array(&t.arrow_type(), rows),
        ScalarValue::Bool(v) => Arc::new(BooleanArray::from(vec![*v; rows])),
        ScalarValue::Int(v) => Arc::new(Int32Array::from_value(*v, rows)),
        ScalarValue::Long(v) => Arc::new(Int64Array::from_value(*v, rows)),
        ScalarValue::Real(v) => Arc::new(Float64Array::from_value(*v, rows)),
        ScalarValue::String(s) | ScalarValue::Guid(s) => Arc::new(StringArray::from_iter_values(
            std::iter::repeat_n(s.as_str(), rows),
        )),
        ScalarValue::DateTime(v) => Arc::new(TimestampMicrosecondArray::from_value(*v, rows)),
        ScalarValue::TimeSpan(v) => Arc::new(DurationMicrosecondArray::from_value(*v, rows)),
        ScalarValue::Dynamic(j) => {
            let text = j.to_string();
            Arc::new(StringArray::from_iter_values(std::iter::repeat_n(
                text.as_str(),
                rows,
            )))
        }
    })
}

/// The value at `row` of a plain (non-dictionary) array of Kusto type `ty`.
pub fn array_cell(array: &dyn Array, row: usize, ty: KType) -> Result<ScalarValue> {
    if array.is_null(row) {
        return Ok(ScalarValue::Null(ty));
    }
    let wrong = || ExecError::internal("array_cell", format!("{ty} held as {}", array.data_type()));
    Ok(match (ty, array.data_type()) {
        (KType::Bool, DataType::Boolean) => ScalarValue::Bool(array.as_boolean().value(row)),
        (KType::Int, DataType::Int32) => ScalarValue::Int(
            array
                .as_primitive::<arrow::datatypes::Int32Type>()
                .value(row),
        ),
        (KType::Long, DataType::Int64) => ScalarValue::Long(
            array
                .as_primitive::<arrow::datatypes::Int64Type>()
                .value(row),
        ),
        (KType::Real | KType::Decimal, DataType::Float64) => ScalarValue::Real(
            array
                .as_primitive::<arrow::datatypes::Float64Type>()
                .value(row),
        ),
        (KType::String, DataType::Utf8) => {
            ScalarValue::String(array.as_string::<i32>().value(row).to_string())
        }
        (KType::Guid, DataType::Utf8) => {
            ScalarValue::Guid(array.as_string::<i32>().value(row).to_string())
        }
        (KType::Dynamic, DataType::Utf8) => {
            let text = array.as_string::<i32>().value(row);
            ScalarValue::Dynamic(serde_json::from_str(text).unwrap_or(serde_json::Value::Null))
        }
        (KType::DateTime, DataType::Timestamp(TimeUnit::Microsecond, _)) => ScalarValue::DateTime(
            array
                .as_primitive::<arrow::datatypes::TimestampMicrosecondType>()
                .value(row),
        ),
        (KType::TimeSpan, DataType::Duration(TimeUnit::Microsecond)) => ScalarValue::TimeSpan(
            array
                .as_primitive::<arrow::datatypes::DurationMicrosecondType>()
                .value(row),
        ),
        _ => return Err(wrong()),
    })
}

/// One value per row, as an array of `ty`'s Arrow type (a value of another
/// type is null).
pub fn scalars_to_array(values: &[ScalarValue], ty: KType) -> Result<ArrayRef> {
    let array: ArrayRef = match ty {
        KType::Bool => Arc::new(
            values
                .iter()
                .map(|v| match v {
                    ScalarValue::Bool(b) => Some(*b),
                    _ => None,
                })
                .collect::<BooleanArray>(),
        ),
        KType::Int => Arc::new(
            values
                .iter()
                .map(|v| match v {
                    ScalarValue::Int(x) => Some(*x),
                    _ => None,
                })
                .collect::<Int32Array>(),
        ),
        KType::Long => Arc::new(
            values
                .iter()
                .map(|v| match v {
                    ScalarValue::Long(x) => Some(*x),
                    _ => None,
                })
                .collect::<Int64Array>(),
        ),
        KType::Real | KType::Decimal => Arc::new(
            values
                .iter()
                .map(|v| match v {
                    ScalarValue::Real(x) => Some(*x),
                    _ => None,
                })
                .collect::<Float64Array>(),
        ),
        KType::DateTime => Arc::new(
            values
                .iter()
                .map(|v| match v {
                    ScalarValue::DateTime(x) => Some(*x),
                    _ => None,
                })
                .collect::<TimestampMicrosecondArray>(),
        ),
        KType::TimeSpan => Arc::new(
            values
                .iter()
                .map(|v| match v {
                    ScalarValue::TimeSpan(x) => Some(*x),
                    _ => None,
                })
                .collect::<DurationMicrosecondArray>(),
        ),
        KType::String | KType::Guid | KType::Dynamic => Arc::new(
            values
                .iter()
                .map(|v| match v {
                    ScalarValue::String(s) | ScalarValue::Guid(s) => Some(s.clone()),
                    ScalarValue::Dynamic(j) => Some(j.to_string()),
                    _ => None,
                })
                .collect::<StringArray>(),
        ),
    };
    let want = ty.arrow_type();
    if *array.data_type() == want {
        Ok(array)
    } else {
        Ok(arrow::compute::cast(&array, &want)?)
    }
}
