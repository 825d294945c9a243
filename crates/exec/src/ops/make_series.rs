//! `make-series`: lays out the (group, bin) cells a summarize computed as one
//! row per group, each aggregate an array over the bins (see
//! `logical::MakeSeries`). The cells are few (groups × bins), so this runs
//! once, on the collected cells.

use std::collections::HashMap;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, RecordBatch, StringArray, UInt32Array};
use arrow::compute::{cast, take};
use arrow::datatypes::{DataType, Int64Type};
use arrow::row::{Row, RowConverter, SortField};
use iishunt_plan::logical::{series_points, SeriesAxis, MAX_SERIES_POINTS};
use iishunt_plan::schema::Schema;
use iishunt_plan::types::{KType, ScalarValue};
use serde_json::Value;

use crate::error::{ExecError, Result};
use crate::functions::scalar_json;
use crate::ops::sort::concat_all;
use crate::scalar::array_cell;

/// What `make-series` lays out (see `logical::MakeSeries`).
#[derive(Debug, Clone)]
pub struct MakeSeriesSpec {
    /// Cell columns 0..keys are the group keys, `keys` the bin, then the aggregates.
    pub keys: usize,
    pub defaults: Vec<ScalarValue>,
    pub axis: SeriesAxis,
}

/// One row per group of `cells` (in order of first appearance).
pub fn make_series(
    cells: &[RecordBatch],
    cell_schema: &Schema,
    spec: &MakeSeriesSpec,
    schema: &Schema,
) -> Result<RecordBatch> {
    let Some(cells) = concat_all(cells)? else {
        return crate::ops::batch_with_schema(schema, empty_columns(schema), 0);
    };
    let bins = cast(cells.column(spec.keys), &DataType::Int64)?;
    let bins = bins.as_primitive::<Int64Type>();
    let (Some(start), Some(end)) = (
        spec.axis.start.or_else(|| bins.iter().flatten().min()),
        spec.axis.end.or_else(|| {
            bins.iter()
                .flatten()
                .max()
                .map(|m| m.saturating_add(spec.axis.step))
        }),
    ) else {
        // Every axis value was null: no series.
        return crate::ops::batch_with_schema(schema, empty_columns(schema), 0);
    };
    let points = series_points(start, end, spec.axis.step);
    if points > MAX_SERIES_POINTS {
        return Err(ExecError::Unsupported(format!(
            "this series would have {points} points; `make-series` makes at most {MAX_SERIES_POINTS}: use a larger step or `from … to …`"
        )));
    }
    let points = points as usize;

    // Groups by key, in order of first appearance.
    let key_columns: Vec<ArrayRef> = cells.columns()[..spec.keys].to_vec();
    let mut group_of_row = Vec::with_capacity(cells.num_rows());
    let mut first_rows: Vec<u32> = Vec::new();
    if key_columns.is_empty() {
        group_of_row.resize(cells.num_rows(), 0);
        if cells.num_rows() > 0 {
            first_rows.push(0);
        }
    } else {
        let converter = RowConverter::new(
            key_columns
                .iter()
                .map(|c| SortField::new(c.data_type().clone()))
                .collect(),
        )?;
        let rows = converter.convert_columns(&key_columns)?;
        let mut groups: HashMap<Row<'_>, usize> = HashMap::new();
        for r in 0..cells.num_rows() {
            let next = first_rows.len();
            let g = *groups.entry(rows.row(r)).or_insert(next);
            if g == next {
                first_rows.push(r as u32);
            }
            group_of_row.push(g);
        }
    }

    let mut columns: Vec<ArrayRef> = Vec::with_capacity(schema.len());
    let firsts = UInt32Array::from(first_rows.clone());
    for key in &key_columns {
        columns.push(take(key, &firsts, None)?);
    }
    for (a, default) in spec.defaults.iter().enumerate() {
        let column = cells.column(spec.keys + 1 + a);
        let ty = cell_schema.columns[spec.keys + 1 + a].ty;
        let column = crate::expr::decode_array(column)?;
        let default = scalar_json(default, false);
        let mut series = vec![vec![default; points]; first_rows.len()];
        for (r, &g) in group_of_row.iter().enumerate() {
            let Some(bin) = bins.is_valid(r).then(|| bins.value(r)) else {
                continue;
            };
            let at = (bin as i128 - start as i128) / spec.axis.step as i128;
            if (0..points as i128).contains(&at) {
                series[g][at as usize] = scalar_json(&array_cell(column.as_ref(), r, ty)?, false);
            }
        }
        columns.push(Arc::new(StringArray::from_iter_values(
            series.into_iter().map(|s| Value::Array(s).to_string()),
        )));
    }
    let axis = Value::Array(
        (0..points as i64)
            .map(|i| {
                let bin = start.saturating_add(i.saturating_mul(spec.axis.step));
                scalar_json(&axis_value(&spec.axis, bin), false)
            })
            .collect(),
    )
    .to_string();
    columns.push(Arc::new(StringArray::from_iter_values(
        std::iter::repeat_n(axis, first_rows.len()),
    )));
    crate::ops::batch_with_schema(schema, columns, first_rows.len())
}

/// A bin's start as a value of the axis type.
fn axis_value(axis: &SeriesAxis, v: i64) -> ScalarValue {
    match axis.ty {
        KType::DateTime => ScalarValue::DateTime(v),
        KType::TimeSpan => ScalarValue::TimeSpan(v),
        _ => ScalarValue::Long(v),
    }
}

fn empty_columns(schema: &Schema) -> Vec<ArrayRef> {
    schema
        .columns
        .iter()
        .map(|c| arrow::array::new_empty_array(&c.ty.arrow_type()))
        .collect()
}
