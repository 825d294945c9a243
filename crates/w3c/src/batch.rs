//! Column builders for one table: values are appended field by field as the
//! reader walks a line, and [`BatchBuilder::finish`] turns them into an
//! Arrow `RecordBatch` in the storage schema (plus custom columns).
//!
//! Strings are copied once into a contiguous buffer; a `Dict` column is then
//! wrapped as a `DictionaryArray` whose keys are `0..n` (no hashing here: the
//! Parquet writer builds the real dictionary while encoding, and a reader of
//! the file gets deduplicated dictionaries back).

use std::sync::Arc;

use arrow::array::builder::NullBufferBuilder;
use arrow::array::{
    Array, ArrayRef, DictionaryArray, Int32Array, Int64Array, RecordBatch, StringArray,
    TimestampMicrosecondArray,
};
use arrow::buffer::{Buffer, OffsetBuffer, ScalarBuffer};
use arrow::datatypes::Int32Type;
use arrow::error::ArrowError;

use crate::schema::{
    file_offset_index, file_uri_index, storage_schema, stored_columns, ColumnKind, Table,
};

/// A growing string column.
struct StrCol {
    bytes: Vec<u8>,
    offsets: Vec<i32>,
    nulls: NullBufferBuilder,
}

impl StrCol {
    fn new(rows: usize) -> Self {
        let mut offsets = Vec::with_capacity(rows + 1);
        offsets.push(0);
        StrCol {
            bytes: Vec::with_capacity(rows * 8),
            offsets,
            nulls: NullBufferBuilder::new(rows),
        }
    }

    #[inline]
    fn push(&mut self, v: &[u8]) {
        self.bytes.extend_from_slice(v);
        self.offsets.push(self.bytes.len() as i32);
        self.nulls.append_non_null();
    }

    #[inline]
    fn push_null(&mut self) {
        self.offsets.push(self.bytes.len() as i32);
        self.nulls.append_null();
    }

    fn finish(&mut self, rows: usize) -> Result<StringArray, ArrowError> {
        let offsets = std::mem::replace(&mut self.offsets, Vec::with_capacity(rows + 1));
        self.offsets.push(0);
        let next = self.bytes.len() + self.bytes.len() / 8;
        let bytes = std::mem::replace(&mut self.bytes, Vec::with_capacity(next));
        let nulls = self.nulls.finish();
        if cfg!(debug_assertions) {
            return StringArray::try_new(
                OffsetBuffer::new(ScalarBuffer::from(offsets)),
                Buffer::from_vec(bytes),
                nulls,
            );
        }
        // SAFETY: offsets start at 0 and only grow (each push appends the
        // new end), and every pushed value is a slice of a line that was
        // checked to be UTF-8 (or made so lossily), cut at ASCII spaces or
        // quotes, so each value and the whole buffer are valid UTF-8. Debug
        // builds check all of this through `try_new` above.
        Ok(unsafe {
            StringArray::new_unchecked(
                OffsetBuffer::new_unchecked(ScalarBuffer::from(offsets)),
                Buffer::from_vec(bytes),
                nulls,
            )
        })
    }
}

/// A growing integer column (`Int32` or `Int64` at finish).
struct IntCol {
    values: Vec<i64>,
    nulls: NullBufferBuilder,
}

impl IntCol {
    fn new(rows: usize) -> Self {
        IntCol {
            values: Vec::with_capacity(rows),
            nulls: NullBufferBuilder::new(rows),
        }
    }

    #[inline]
    fn push(&mut self, v: Option<i64>) {
        match v {
            Some(v) => {
                self.values.push(v);
                self.nulls.append_non_null();
            }
            None => {
                self.values.push(0);
                self.nulls.append_null();
            }
        }
    }
}

enum Col {
    Str(StrCol),
    Int(IntCol),
    /// `FileUri`: the same value on every row, filled at finish.
    FileUri,
}

/// Builds batches of one table for one source file.
pub struct BatchBuilder {
    table: Table,
    file_uri: Arc<str>,
    cols: Vec<Col>,
    custom_names: Vec<String>,
    customs: Vec<StrCol>,
    rows: usize,
    capacity: usize,
}

impl BatchBuilder {
    /// A builder for `table`, rows from the file shown as `file_uri`, sized
    /// for batches of about `capacity` rows.
    pub fn new(table: Table, file_uri: Arc<str>, capacity: usize) -> Self {
        let uri_col = file_uri_index(table);
        let cols = stored_columns(table)
            .iter()
            .enumerate()
            .map(|(i, c)| match c.kind {
                _ if i == uri_col => Col::FileUri,
                ColumnKind::Dict | ColumnKind::Utf8 => Col::Str(StrCol::new(capacity)),
                ColumnKind::Int32 | ColumnKind::Int64 | ColumnKind::Timestamp => {
                    Col::Int(IntCol::new(capacity))
                }
            })
            .collect();
        BatchBuilder {
            table,
            file_uri,
            cols,
            custom_names: Vec::new(),
            customs: Vec::new(),
            rows: 0,
            capacity,
        }
    }

    /// The table these batches belong to.
    pub fn table(&self) -> Table {
        self.table
    }

    /// Rows appended since the last [`Self::finish`].
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Approximate bytes held by string columns (to cut batches before the
    /// 2 GiB offset limit, and to bound memory).
    pub fn string_bytes(&self) -> usize {
        let std: usize = self
            .cols
            .iter()
            .map(|c| {
                if let Col::Str(s) = c {
                    s.bytes.len()
                } else {
                    0
                }
            })
            .sum();
        std + self.customs.iter().map(|c| c.bytes.len()).sum::<usize>()
    }

    /// Index of the custom column `name`, adding it (null for the rows
    /// already appended) if new. Custom columns stay for the rest of the file.
    pub fn custom(&mut self, name: &str) -> usize {
        if let Some(i) = self.custom_names.iter().position(|n| n == name) {
            return i;
        }
        let mut col = StrCol::new(self.capacity);
        for _ in 0..self.rows {
            col.push_null();
        }
        self.custom_names.push(name.to_string());
        self.customs.push(col);
        self.customs.len() - 1
    }

    /// Names of the custom columns, in column order.
    pub fn custom_names(&self) -> &[String] {
        &self.custom_names
    }

    /// Appends a string to stored column `col` of the current row. The
    /// bytes must be valid UTF-8 (the reader guarantees it; see `finish`).
    #[inline]
    pub(crate) fn push_str(&mut self, col: usize, v: &[u8]) {
        if let Col::Str(s) = &mut self.cols[col] {
            s.push(v);
        }
    }

    /// Appends an integer (or null) to stored column `col`.
    #[inline]
    pub(crate) fn push_int(&mut self, col: usize, v: Option<i64>) {
        if let Col::Int(c) = &mut self.cols[col] {
            c.push(v);
        }
    }

    /// Appends a null to stored column `col`.
    #[inline]
    pub(crate) fn push_null(&mut self, col: usize) {
        match &mut self.cols[col] {
            Col::Str(s) => s.push_null(),
            Col::Int(c) => c.push(None),
            Col::FileUri => {}
        }
    }

    /// Appends a value (or null) to custom column `idx`.
    #[inline]
    pub(crate) fn push_custom(&mut self, idx: usize, v: Option<&[u8]>) {
        match v {
            Some(v) => self.customs[idx].push(v),
            None => self.customs[idx].push_null(),
        }
    }

    /// Closes the current row. Every stored column except `FileUri` and every
    /// custom column must have received exactly one value.
    #[inline]
    pub(crate) fn end_row(&mut self) {
        self.rows += 1;
    }

    /// The rows appended so far as one batch; the builder starts over (and
    /// keeps its custom columns).
    pub fn finish(&mut self) -> Result<RecordBatch, ArrowError> {
        let rows = self.rows;
        self.rows = 0;
        let stored = stored_columns(self.table);
        let mut arrays: Vec<ArrayRef> = Vec::with_capacity(stored.len() + self.customs.len());
        for (i, (col, spec)) in self.cols.iter_mut().zip(stored).enumerate() {
            let array: ArrayRef = match col {
                Col::FileUri => {
                    let values = StringArray::from(vec![&*self.file_uri]);
                    let keys = Int32Array::from(vec![0; rows]);
                    Arc::new(DictionaryArray::<Int32Type>::try_new(
                        keys,
                        Arc::new(values),
                    )?)
                }
                Col::Str(s) => {
                    let values = s.finish(self.capacity)?;
                    if spec.kind == ColumnKind::Dict {
                        let nulls = values.nulls().cloned();
                        let keys = Int32Array::new(ScalarBuffer::from_iter(0..rows as i32), nulls);
                        Arc::new(DictionaryArray::<Int32Type>::try_new(
                            keys,
                            Arc::new(values),
                        )?)
                    } else {
                        Arc::new(values)
                    }
                }
                Col::Int(c) => {
                    let values =
                        std::mem::replace(&mut c.values, Vec::with_capacity(self.capacity));
                    let nulls = c.nulls.finish();
                    match spec.kind {
                        ColumnKind::Int32 => {
                            let v: Vec<i32> = values.into_iter().map(|v| v as i32).collect();
                            Arc::new(Int32Array::new(ScalarBuffer::from(v), nulls))
                        }
                        ColumnKind::Timestamp => Arc::new(TimestampMicrosecondArray::new(
                            ScalarBuffer::from(values),
                            nulls,
                        )),
                        _ => Arc::new(Int64Array::new(ScalarBuffer::from(values), nulls)),
                    }
                }
            };
            debug_assert!(i != file_offset_index(self.table) || array.len() == rows);
            arrays.push(array);
        }
        for c in &mut self.customs {
            arrays.push(Arc::new(c.finish(self.capacity)?));
        }
        RecordBatch::try_new(storage_schema(self.table, &self.custom_names), arrays)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::{Array, AsArray};

    #[test]
    fn builds_dictionary_strings_ints_and_customs() {
        let t = Table::HttpErrorLog;
        let mut b = BatchBuilder::new(t, Arc::from("f.log"), 4);
        let n = stored_columns(t).len();
        for row in 0..2 {
            for c in 0..n {
                match stored_columns(t)[c].kind {
                    ColumnKind::Dict | ColumnKind::Utf8 => b.push_str(c, b"x"),
                    _ => b.push_int(c, if row == 0 { Some(7) } else { None }),
                }
            }
            if row == 1 {
                let x = b.custom("XForwardedFor");
                b.push_custom(x, Some(b"1.2.3.4"));
            }
            b.end_row();
        }
        let batch = b.finish().unwrap();
        assert_eq!(batch.num_rows(), 2);
        assert_eq!(batch.num_columns(), n + 1);
        let custom = batch.column(n).as_string::<i32>();
        assert!(custom.is_null(0));
        assert_eq!(custom.value(1), "1.2.3.4");
        let port = batch
            .column_by_name("cPort")
            .unwrap()
            .as_primitive::<Int32Type>();
        assert_eq!((port.value(0), port.is_null(1)), (7, true));
        let uri = batch
            .column_by_name("FileUri")
            .unwrap()
            .as_dictionary::<Int32Type>();
        assert_eq!(uri.len(), 2);
        // The builder starts over but keeps the custom column.
        assert_eq!(b.custom_names(), ["XForwardedFor"]);
        assert_eq!(b.rows(), 0);
    }
}
