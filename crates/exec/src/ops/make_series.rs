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

    let key_columns: Vec<ArrayRef> = cells.columns()[..spec.keys].to_vec();
    let (group_of_row, first_rows) = groups_of(&key_columns, cells.num_rows())?;

    // Each row's cells in bin order: (group, bin index, row).
    let mut cells_in_order: Vec<(usize, usize, usize)> = Vec::with_capacity(cells.num_rows());
    for (r, &g) in group_of_row.iter().enumerate() {
        if bins.is_null(r) {
            continue;
        }
        let at = (bins.value(r) as i128 - start as i128) / spec.axis.step as i128;
        if (0..points as i128).contains(&at) {
            cells_in_order.push((g, at as usize, r));
        }
    }
    cells_in_order.sort_unstable();

    let mut columns: Vec<ArrayRef> = Vec::with_capacity(schema.len());
    let firsts = UInt32Array::from(first_rows.clone());
    for key in &key_columns {
        columns.push(take(key, &firsts, None)?);
    }
    let groups = first_rows.len();
    for (a, default) in spec.defaults.iter().enumerate() {
        let column = crate::expr::decode_array(cells.column(spec.keys + 1 + a))?;
        let ty = cell_schema.columns[spec.keys + 1 + a].ty;
        let default = scalar_json(default, false).to_string();
        let mut out = SeriesText::new(groups, points);
        let mut next = cells_in_order.iter().peekable();
        for g in 0..groups {
            out.open();
            for at in 0..points {
                // Cells are unique per (group, bin); skip any that are not.
                while next
                    .peek()
                    .is_some_and(|&&(cg, cat, _)| (cg, cat) < (g, at))
                {
                    next.next();
                }
                let text = match next.peek() {
                    Some(&&(cg, cat, r)) if (cg, cat) == (g, at) => {
                        next.next();
                        scalar_json(&array_cell(column.as_ref(), r, ty)?, false).to_string()
                    }
                    _ => default.clone(),
                };
                out.push(&text)?;
            }
            out.close();
        }
        columns.push(out.finish());
    }
    let mut axis = SeriesText::new(groups, points);
    for _ in 0..groups {
        axis.open();
        for i in 0..points as i64 {
            let bin = start.saturating_add(i.saturating_mul(spec.axis.step));
            axis.push(&scalar_json(&axis_value(&spec.axis, bin), false).to_string())?;
        }
        axis.close();
    }
    columns.push(axis.finish());
    crate::ops::batch_with_schema(schema, columns, groups)
}

/// Most text one series column may hold: an Arrow string column addresses
/// 2 GiB, and a result this size is no longer something to read.
const MAX_SERIES_TEXT: usize = 1 << 30;

/// One dynamic column of JSON arrays, written value by value.
struct SeriesText {
    /// Bytes of text allowed ([`MAX_SERIES_TEXT`] but in tests).
    limit: usize,
    values: String,
    offsets: Vec<i32>,
    first: bool,
    shape: (usize, usize),
}

impl SeriesText {
    fn new(groups: usize, points: usize) -> Self {
        Self::with_limit(groups, points, MAX_SERIES_TEXT)
    }

    fn with_limit(groups: usize, points: usize, limit: usize) -> Self {
        let mut offsets = Vec::with_capacity(groups + 1);
        offsets.push(0);
        SeriesText {
            limit,
            values: String::new(),
            offsets,
            first: true,
            shape: (groups, points),
        }
    }

    fn open(&mut self) {
        self.values.push('[');
        self.first = true;
    }

    fn push(&mut self, value: &str) -> Result<()> {
        if self.values.len() + value.len() + 2 > self.limit {
            let (groups, points) = self.shape;
            return Err(ExecError::Unsupported(format!(
                "this make-series result is too large ({groups} series of {points} points, over 1 GiB of text): keep fewer groups (e.g. `where cIP in (T | top 10 by n | project cIP)`), a shorter range or a larger step"
            )));
        }
        if !self.first {
            self.values.push(',');
        }
        self.first = false;
        self.values.push_str(value);
        Ok(())
    }

    fn close(&mut self) {
        self.values.push(']');
        self.offsets.push(self.values.len() as i32);
    }

    fn finish(self) -> ArrayRef {
        let offsets = arrow::buffer::OffsetBuffer::new(self.offsets.into());
        Arc::new(StringArray::new(
            offsets,
            self.values.into_bytes().into(),
            None,
        ))
    }
}

/// Each row's group (numbered in order of first appearance) and each
/// group's first row, for rows keyed by `keys` (one group when there are none).
fn groups_of(keys: &[ArrayRef], rows: usize) -> Result<(Vec<usize>, Vec<u32>)> {
    if keys.is_empty() {
        let first = if rows > 0 { vec![0] } else { Vec::new() };
        return Ok((vec![0; rows], first));
    }
    let converter = RowConverter::new(
        keys.iter()
            .map(|c| SortField::new(c.data_type().clone()))
            .collect(),
    )?;
    let encoded = converter.convert_columns(keys)?;
    let mut groups: HashMap<Row<'_>, usize> = HashMap::new();
    let mut group_of_row = Vec::with_capacity(rows);
    let mut first_rows: Vec<u32> = Vec::new();
    for r in 0..rows {
        let next = first_rows.len();
        let g = *groups.entry(encoded.row(r)).or_insert(next);
        if g == next {
            first_rows.push(r as u32);
        }
        group_of_row.push(g);
    }
    Ok((group_of_row, first_rows))
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

#[cfg(test)]
mod tests {
    use super::SeriesText;
    use arrow::array::{Array, AsArray};

    #[test]
    fn series_text_writes_json_arrays() {
        let mut text = SeriesText::new(2, 2);
        for row in [["1", "0"], ["0", "2.5"]] {
            text.open();
            for v in row {
                text.push(v).expect("fits");
            }
            text.close();
        }
        let array = text.finish();
        let strings = array.as_string::<i32>();
        assert_eq!(strings.len(), 2);
        assert_eq!(strings.value(0), "[1,0]");
        assert_eq!(strings.value(1), "[0,2.5]");
    }

    #[test]
    fn series_text_refuses_to_grow_past_its_limit() {
        let mut text = SeriesText::with_limit(1000, 1000, 64);
        text.open();
        let mut pushed = 0;
        let err = loop {
            match text.push("12345") {
                Ok(()) => pushed += 1,
                Err(e) => break e,
            }
        };
        assert!(pushed > 5 && pushed < 12, "{pushed}");
        assert!(err.to_string().contains("too large"), "{err}");
        assert!(
            err.to_string().contains("1000 series of 1000 points"),
            "{err}"
        );
    }
}
