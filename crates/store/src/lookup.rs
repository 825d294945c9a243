//! Lookup tables: small CSV reference tables (watchlists, threat-intel IP
//! lists, asset inventories) that queries join logs against. A table's name
//! is its file name without `.csv`; the first line names the columns.
//!
//! Column types are inferred from the values (long, real, bool, datetime,
//! else string) unless the header says them: `ip:string,score:long`. An
//! empty cell is null.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::array::{
    ArrayRef, BooleanBuilder, Float64Builder, Int64Builder, RecordBatch, StringBuilder,
    TimestampMicrosecondBuilder,
};
use arrow::datatypes::{DataType, Field, Schema, TimeUnit};

use crate::error::StoreError;

/// Rows above which a file is refused: lookup tables live in memory.
const MAX_ROWS: usize = 5_000_000;

/// A loaded lookup table.
#[derive(Debug, Clone)]
pub struct LookupTable {
    pub name: String,
    pub path: PathBuf,
    pub batch: RecordBatch,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ColumnType {
    Long,
    Real,
    Bool,
    DateTime,
    String,
}

impl ColumnType {
    fn from_name(name: &str) -> Option<ColumnType> {
        Some(match name.to_ascii_lowercase().as_str() {
            "long" | "int" => ColumnType::Long,
            "real" | "double" | "float" => ColumnType::Real,
            "bool" | "boolean" => ColumnType::Bool,
            "datetime" | "date" => ColumnType::DateTime,
            "string" | "keyword" | "text" | "ip" => ColumnType::String,
            _ => return None,
        })
    }

    pub(crate) fn arrow(self) -> DataType {
        match self {
            ColumnType::Long => DataType::Int64,
            ColumnType::Real => DataType::Float64,
            ColumnType::Bool => DataType::Boolean,
            ColumnType::DateTime => DataType::Timestamp(TimeUnit::Microsecond, None),
            ColumnType::String => DataType::Utf8,
        }
    }

    /// Whether a non-empty cell fits.
    fn accepts(self, cell: &str) -> bool {
        match self {
            ColumnType::Long => cell.parse::<i64>().is_ok(),
            ColumnType::Real => cell.parse::<f64>().is_ok(),
            ColumnType::Bool => parse_bool(cell).is_some(),
            ColumnType::DateTime => parse_datetime(cell).is_some(),
            ColumnType::String => true,
        }
    }
}

fn parse_bool(cell: &str) -> Option<bool> {
    match cell.to_ascii_lowercase().as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// ISO 8601 instants (`2026-03-08T10:00:00Z`, `2026-03-08 10:00:00`, a bare
/// date), read as UTC: microseconds since the epoch.
pub(crate) fn parse_datetime(cell: &str) -> Option<i64> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(cell) {
        return Some(t.timestamp_micros());
    }
    for format in ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(cell, format) {
            return Some(t.and_utc().timestamp_micros());
        }
    }
    chrono::NaiveDate::parse_from_str(cell, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc().timestamp_micros())
}

/// The `*.csv` files of a `lookups/` folder, by name; none when it is absent.
pub fn lookup_files(dir: &Path) -> Result<Vec<PathBuf>, StoreError> {
    let folder = dir.join("lookups");
    if !folder.is_dir() {
        return Ok(Vec::new());
    }
    let read_err = |source| StoreError::ReadPath {
        path: folder.clone(),
        source,
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .map_err(read_err)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")))
        .collect();
    files.sort();
    Ok(files)
}

/// Reads one CSV file into a table.
pub fn read_lookup(path: &Path) -> Result<LookupTable, StoreError> {
    let bad = |line: u64, message: String| StoreError::Lookup {
        path: path.to_path_buf(),
        line,
        message,
    };
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !is_table_name(&name) {
        return Err(bad(
            0,
            format!("`{name}` is not a table name: use letters, digits and `_` (the file name is the table's name)"),
        ));
    }
    let batch = read_delimited(path, b',')?;
    Ok(LookupTable {
        name,
        path: path.to_path_buf(),
        batch,
    })
}

/// Reads a CSV (or, with a tab `delimiter`, TSV) file whose first line names
/// the columns, typed as lookups are.
pub(crate) fn read_delimited(path: &Path, delimiter: u8) -> Result<RecordBatch, StoreError> {
    let bad = |line: u64, message: String| StoreError::Lookup {
        path: path.to_path_buf(),
        line,
        message,
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(false)
        .trim(csv::Trim::Headers)
        .from_path(path)
        .map_err(|e| bad(0, e.to_string()))?;
    let headers = reader.headers().map_err(|e| bad(1, e.to_string()))?.clone();
    let mut names = Vec::with_capacity(headers.len());
    let mut declared: Vec<Option<ColumnType>> = Vec::with_capacity(headers.len());
    for h in headers.iter() {
        let (n, t) = match h.rsplit_once(':') {
            Some((n, t)) => match ColumnType::from_name(t.trim()) {
                Some(ty) => (n.trim(), Some(ty)),
                None => {
                    return Err(bad(
                        1,
                        format!("column `{h}`: unknown type `{t}` (use string, long, real, bool or datetime)"),
                    ))
                }
            },
            None => (h, None),
        };
        if n.is_empty() {
            return Err(bad(1, "a column has no name".into()));
        }
        if names.contains(&n.to_string()) {
            return Err(bad(1, format!("column `{n}` appears twice")));
        }
        names.push(n.to_string());
        declared.push(t);
    }
    if names.is_empty() {
        return Err(bad(1, "the header names no columns".into()));
    }
    let mut cells: Vec<Vec<String>> = vec![Vec::new(); names.len()];
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            bad(line, csv_message(&e))
        })?;
        if cells[0].len() >= MAX_ROWS {
            return Err(bad(
                record.position().map(|p| p.line()).unwrap_or(0),
                format!("more than {MAX_ROWS} rows: lookup tables are held in memory"),
            ));
        }
        for (column, cell) in cells.iter_mut().zip(record.iter()) {
            column.push(cell.trim().to_string());
        }
    }
    let mut fields = Vec::with_capacity(names.len());
    let mut columns: Vec<ArrayRef> = Vec::with_capacity(names.len());
    for ((name, declared), values) in names.iter().zip(&declared).zip(&cells) {
        let ty = match declared {
            Some(t) => {
                if let Some((row, cell)) = values
                    .iter()
                    .enumerate()
                    .find(|(_, c)| !c.is_empty() && !t.accepts(c))
                {
                    return Err(bad(
                        row as u64 + 2,
                        format!("column `{name}`: `{cell}` is not a {t:?}").to_lowercase(),
                    ));
                }
                *t
            }
            None => infer(values),
        };
        fields.push(Field::new(name, ty.arrow(), true));
        columns.push(build(ty, values));
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)
        .map_err(|e| StoreError::Internal(e.to_string()))
}

fn csv_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("this row has {len} fields, the header has {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => "the row is not valid UTF-8".into(),
        _ => e.to_string(),
    }
}

fn is_table_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
}

/// The narrowest type every non-empty cell fits; string when all are empty.
pub(crate) fn infer(values: &[String]) -> ColumnType {
    let mut present = values.iter().filter(|c| !c.is_empty()).peekable();
    if present.peek().is_none() {
        return ColumnType::String;
    }
    let candidates = [
        ColumnType::Long,
        ColumnType::Real,
        ColumnType::Bool,
        ColumnType::DateTime,
    ];
    let present: Vec<&String> = present.collect();
    candidates
        .into_iter()
        .find(|t| present.iter().all(|c| t.accepts(c)))
        .unwrap_or(ColumnType::String)
}

fn cell(c: &str) -> Option<&str> {
    (!c.is_empty()).then_some(c)
}

pub(crate) fn build(ty: ColumnType, values: &[String]) -> ArrayRef {
    match ty {
        ColumnType::Long => {
            let mut b = Int64Builder::with_capacity(values.len());
            values
                .iter()
                .for_each(|c| b.append_option(cell(c).and_then(|c| c.parse().ok())));
            Arc::new(b.finish())
        }
        ColumnType::Real => {
            let mut b = Float64Builder::with_capacity(values.len());
            values
                .iter()
                .for_each(|c| b.append_option(cell(c).and_then(|c| c.parse().ok())));
            Arc::new(b.finish())
        }
        ColumnType::Bool => {
            let mut b = BooleanBuilder::with_capacity(values.len());
            values
                .iter()
                .for_each(|c| b.append_option(cell(c).and_then(parse_bool)));
            Arc::new(b.finish())
        }
        ColumnType::DateTime => {
            let mut b = TimestampMicrosecondBuilder::with_capacity(values.len());
            values
                .iter()
                .for_each(|c| b.append_option(cell(c).and_then(parse_datetime)));
            Arc::new(b.finish())
        }
        ColumnType::String => {
            let mut b = StringBuilder::with_capacity(values.len(), 0);
            values.iter().for_each(|c| b.append_option(cell(c)));
            Arc::new(b.finish())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::Array;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn infers_types_and_nulls() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "intel.csv",
            "ip,score,ratio,active,seen,label\n\
             203.0.113.50,90,0.5,true,2026-03-08T10:00:00Z,scanner\n\
             198.51.100.7,,1,FALSE,2026-03-08,\n",
        );
        let t = read_lookup(&p).unwrap();
        assert_eq!(t.name, "intel");
        let types: Vec<String> = t
            .batch
            .schema()
            .fields()
            .iter()
            .map(|f| format!("{}", f.data_type()))
            .collect();
        assert_eq!(
            types,
            [
                "Utf8",
                "Int64",
                "Float64",
                "Boolean",
                "Timestamp(µs)",
                "Utf8"
            ]
        );
        assert_eq!(t.batch.num_rows(), 2);
        assert!(t.batch.column(1).is_null(1));
        assert!(t.batch.column(5).is_null(1));
    }

    #[test]
    fn declared_types_are_checked_with_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(dir.path(), "z.csv", "zip:string,n:long\n01234,1\n99,x\n");
        let err = read_lookup(&p).unwrap_err().to_string();
        assert!(err.contains("z.csv:3"), "{err}");
        assert!(err.contains("`x` is not a long"), "{err}");
        let p = write(dir.path(), "y.csv", "zip:string\n01234\n");
        let t = read_lookup(&p).unwrap();
        assert_eq!(t.batch.schema().field(0).data_type(), &DataType::Utf8);
    }

    #[test]
    fn ragged_rows_name_their_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(dir.path(), "r.csv", "a,b\n1,2\n3\n");
        let err = read_lookup(&p).unwrap_err().to_string();
        assert!(err.contains("r.csv:3"), "{err}");
        assert!(err.contains("1 fields, the header has 2"), "{err}");
    }
}
