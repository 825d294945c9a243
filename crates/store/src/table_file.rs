//! `--table name=FILE`: a CSV, TSV, JSON-lines or Parquet file as a table.
//! Text files are typed as lookup tables are (each column the narrowest of
//! long, real, bool, datetime and string its values fit; a CSV header may
//! declare them); a Parquet file keeps its own schema.

use std::path::Path;

use arrow::array::{ArrayRef, RecordBatch};
use arrow::datatypes::{Field, Schema};
use serde_json::Value;

use crate::error::StoreError;
use crate::external::{json_lines, multi_json, open, parquet_batch, ExternalFormat};
use crate::lookup::{build, infer, read_delimited};

/// Reads a whole file in the format its extension names (CSV when none).
pub fn read_table_file(path: &Path) -> Result<RecordBatch, StoreError> {
    // A missing file, a folder or a device is refused before any reader starts.
    drop(open(path)?);
    match ExternalFormat::for_path(path) {
        ExternalFormat::Csv | ExternalFormat::Txt => read_delimited(path, b','),
        ExternalFormat::Tsv => read_delimited(path, b'\t'),
        ExternalFormat::Json => json_table(path, json_lines(path)?),
        ExternalFormat::MultiJson => json_table(path, multi_json(path)?),
        ExternalFormat::Parquet => parquet_batch(path),
    }
}

/// One column per field name, in name order (JSON objects do not keep their
/// field order here); objects and arrays are kept as their JSON text
/// (`parse_json()` reads them back).
fn json_table(path: &Path, records: Vec<Value>) -> Result<RecordBatch, StoreError> {
    let mut names: Vec<String> = Vec::new();
    for r in &records {
        if let Value::Object(fields) = r {
            for k in fields.keys() {
                if !names.contains(k) {
                    names.push(k.clone());
                }
            }
        }
    }
    if names.is_empty() {
        return Err(StoreError::External {
            path: path.to_path_buf(),
            line: 0,
            message: "no JSON objects with fields: a table needs at least one column".into(),
        });
    }
    let mut fields = Vec::with_capacity(names.len());
    let mut columns: Vec<ArrayRef> = Vec::with_capacity(names.len());
    for name in &names {
        let cells: Vec<String> = records
            .iter()
            .map(|r| match r.get(name) {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
            })
            .collect();
        let ty = infer(&cells);
        fields.push(Field::new(name, ty.arrow(), true));
        columns.push(build(ty, &cells));
    }
    RecordBatch::try_new(std::sync::Arc::new(Schema::new(fields)), columns)
        .map_err(|e| StoreError::Internal(e.to_string()))
}
