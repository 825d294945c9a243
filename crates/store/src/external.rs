//! KQL `externaldata`: rows read from a local CSV, TSV, JSON or Parquet file
//! into columns the query declares. As in Kusto, a cell that does not convert
//! to its column's type is null rather than an error; a file that cannot be
//! read or parsed is an error naming the file (and the line, for text).

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, BooleanBuilder, DurationMicrosecondBuilder, Float64Builder, Int32Builder,
    Int64Builder, RecordBatch, StringArray, StringBuilder, TimestampMicrosecondBuilder,
};
use arrow::compute::{cast_with_options, CastOptions};
use arrow::datatypes::{DataType, Field, Schema, TimeUnit};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use serde_json::Value;

use crate::error::StoreError;
use crate::lookup::parse_datetime;

/// Rows above which a file is refused: the rows are held in memory.
const MAX_ROWS: usize = 5_000_000;

/// How a file is laid out (`with (format="…")`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExternalFormat {
    Csv,
    Tsv,
    /// Plain text: each line is one record of one field (an IOC list).
    Txt,
    /// One JSON object per line.
    Json,
    /// JSON objects (or arrays of them) one after another, spanning lines.
    MultiJson,
    Parquet,
}

impl ExternalFormat {
    /// Kusto's format names.
    pub const NAMES: &'static [&'static str] =
        &["csv", "tsv", "txt", "json", "multijson", "parquet"];

    /// The format a `format=` name means.
    pub fn from_name(name: &str) -> Option<ExternalFormat> {
        Some(match name.to_ascii_lowercase().as_str() {
            "csv" => ExternalFormat::Csv,
            "tsv" => ExternalFormat::Tsv,
            "txt" => ExternalFormat::Txt,
            "json" | "jsonl" | "ndjson" => ExternalFormat::Json,
            "multijson" => ExternalFormat::MultiJson,
            "parquet" => ExternalFormat::Parquet,
            _ => return None,
        })
    }

    /// The format a file's extension names; CSV when it names none.
    pub fn for_path(path: &Path) -> ExternalFormat {
        path.extension()
            .and_then(|e| ExternalFormat::from_name(&e.to_string_lossy()))
            .unwrap_or(ExternalFormat::Csv)
    }
}

/// A declared column's type, as the engine holds it in Arrow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExternalType {
    Bool,
    Int,
    Long,
    Real,
    String,
    DateTime,
    TimeSpan,
    /// JSON text in a `Utf8` column.
    Dynamic,
}

impl ExternalType {
    fn arrow(self) -> DataType {
        match self {
            ExternalType::Bool => DataType::Boolean,
            ExternalType::Int => DataType::Int32,
            ExternalType::Long => DataType::Int64,
            ExternalType::Real => DataType::Float64,
            ExternalType::String | ExternalType::Dynamic => DataType::Utf8,
            ExternalType::DateTime => DataType::Timestamp(TimeUnit::Microsecond, None),
            ExternalType::TimeSpan => DataType::Duration(TimeUnit::Microsecond),
        }
    }
}

/// One column of `externaldata (name:type, …)`.
#[derive(Debug, Clone)]
pub struct ExternalColumn {
    pub name: String,
    pub ty: ExternalType,
}

/// What to read and how.
#[derive(Debug, Clone)]
pub struct ExternalRequest<'a> {
    pub path: &'a Path,
    pub format: ExternalFormat,
    pub columns: &'a [ExternalColumn],
    /// Skip the first record (a CSV or TSV header).
    pub ignore_first_record: bool,
}

/// Reads one file into a batch with exactly the declared columns.
pub fn read_external(request: &ExternalRequest) -> Result<RecordBatch, StoreError> {
    let columns = match request.format {
        ExternalFormat::Csv => read_delimited(request, b',')?,
        ExternalFormat::Tsv => read_delimited(request, b'\t')?,
        ExternalFormat::Txt => read_lines(request)?,
        ExternalFormat::Json => read_json_lines(request)?,
        ExternalFormat::MultiJson => read_multi_json(request)?,
        ExternalFormat::Parquet => read_parquet(request)?,
    };
    let fields: Vec<Field> = request
        .columns
        .iter()
        .map(|c| Field::new(&c.name, c.ty.arrow(), true))
        .collect();
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)
        .map_err(|e| StoreError::Internal(e.to_string()))
}

fn bad(path: &Path, line: u64, message: impl Into<String>) -> StoreError {
    StoreError::External {
        path: path.to_path_buf(),
        line,
        message: message.into(),
    }
}

/// Opens a regular file: a device (`/dev/zero`), a FIFO or a folder named
/// in a query would never end or never be a table.
pub(crate) fn open(path: &Path) -> Result<std::fs::File, StoreError> {
    let os_error = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => bad(path, 0, "no such file"),
        _ => bad(path, 0, e.to_string()),
    };
    if !std::fs::metadata(path).map_err(os_error)?.is_file() {
        return Err(bad(path, 0, "not a regular file"));
    }
    std::fs::File::open(path).map_err(os_error)
}

fn too_many(path: &Path, line: u64) -> StoreError {
    bad(
        path,
        line,
        format!("more than {MAX_ROWS} rows: externaldata holds its rows in memory"),
    )
}

/// CSV or TSV: the n-th field is the n-th column; a missing field is null,
/// extra fields are ignored (Kusto's CSV mapping by position).
fn read_delimited(request: &ExternalRequest, delimiter: u8) -> Result<Vec<ArrayRef>, StoreError> {
    let path = request.path;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(open(path)?);
    let mut builders: Vec<CellBuilder> = request
        .columns
        .iter()
        .map(|c| CellBuilder::new(c.ty))
        .collect();
    let mut rows = 0usize;
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            let message = match e.kind() {
                csv::ErrorKind::Utf8 { .. } => "the row is not valid UTF-8".to_string(),
                _ => e.to_string(),
            };
            bad(path, line, message)
        })?;
        if i == 0 && request.ignore_first_record {
            continue;
        }
        rows += 1;
        if rows > MAX_ROWS {
            return Err(too_many(path, record.position().map_or(0, |p| p.line())));
        }
        for (n, b) in builders.iter_mut().enumerate() {
            b.append_text(record.get(n));
        }
    }
    Ok(builders.into_iter().map(CellBuilder::finish).collect())
}

/// Plain text: each line (without its `\r\n` or `\n`) fills the first
/// column; the others are null.
fn read_lines(request: &ExternalRequest) -> Result<Vec<ArrayRef>, StoreError> {
    let path = request.path;
    let text = read_text(path)?;
    let mut builders: Vec<CellBuilder> = request
        .columns
        .iter()
        .map(|c| CellBuilder::new(c.ty))
        .collect();
    let skip = usize::from(request.ignore_first_record);
    for (i, line) in text.lines().enumerate().skip(skip) {
        if i >= MAX_ROWS + skip {
            return Err(too_many(path, i as u64 + 1));
        }
        for (n, b) in builders.iter_mut().enumerate() {
            b.append_text((n == 0).then_some(line));
        }
    }
    Ok(builders.into_iter().map(CellBuilder::finish).collect())
}

/// One JSON object per line; blank lines are skipped.
fn read_json_lines(request: &ExternalRequest) -> Result<Vec<ArrayRef>, StoreError> {
    let records = json_lines(request.path)?;
    Ok(json_columns(request.columns, &records))
}

/// The objects of a JSON-lines file.
pub(crate) fn json_lines(path: &Path) -> Result<Vec<Value>, StoreError> {
    let text = read_text(path)?;
    let mut records = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i as u64 + 1;
        if line.trim().is_empty() {
            continue;
        }
        let value: Value = serde_json::from_str(line)
            .map_err(|e| bad(path, line_no, format!("not valid JSON: {e}")))?;
        match value {
            Value::Object(_) => records.push(value),
            _ => return Err(bad(path, line_no, "expected a JSON object on this line")),
        }
        if records.len() > MAX_ROWS {
            return Err(too_many(path, line_no));
        }
    }
    Ok(records)
}

/// JSON objects one after another, each possibly over many lines; an array
/// at the top level holds objects.
fn read_multi_json(request: &ExternalRequest) -> Result<Vec<ArrayRef>, StoreError> {
    let records = multi_json(request.path)?;
    Ok(json_columns(request.columns, &records))
}

/// The objects of a multijson file.
pub(crate) fn multi_json(path: &Path) -> Result<Vec<Value>, StoreError> {
    let text = read_text(path)?;
    let mut records = Vec::new();
    let stream = serde_json::Deserializer::from_str(&text).into_iter::<Value>();
    for value in stream {
        let value =
            value.map_err(|e| bad(path, e.line() as u64, format!("not valid JSON: {e}")))?;
        let items = match value {
            Value::Array(items) => items,
            other => vec![other],
        };
        for item in items {
            if !item.is_object() {
                return Err(bad(path, 0, "expected JSON objects (one per record)"));
            }
            records.push(item);
        }
        if records.len() > MAX_ROWS {
            return Err(too_many(path, 0));
        }
    }
    Ok(records)
}

fn read_text(path: &Path) -> Result<String, StoreError> {
    let mut bytes = Vec::new();
    open(path)?
        .read_to_end(&mut bytes)
        .map_err(|e| bad(path, 0, e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| {
        let line = e.as_bytes()[..e.utf8_error().valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64
            + 1;
        bad(path, line, "not valid UTF-8")
    })
}

/// Each column takes the object field of its name (missing: null).
fn json_columns(columns: &[ExternalColumn], records: &[Value]) -> Vec<ArrayRef> {
    columns
        .iter()
        .map(|c| {
            let mut b = CellBuilder::new(c.ty);
            for r in records {
                b.append_json(r.get(&c.name));
            }
            b.finish()
        })
        .collect()
}

/// Columns by name, cast to the declared types (an impossible value: null).
fn read_parquet(request: &ExternalRequest) -> Result<Vec<ArrayRef>, StoreError> {
    let path = request.path;
    let batch = parquet_batch(path)?;
    let schema = batch.schema();
    let options = CastOptions {
        safe: true,
        ..Default::default()
    };
    let mut out = Vec::with_capacity(request.columns.len());
    for c in request.columns {
        let Ok(index) = schema.index_of(&c.name) else {
            out.push(arrow::array::new_null_array(
                &c.ty.arrow(),
                batch.num_rows(),
            ));
            continue;
        };
        let source = batch.column(index);
        let cannot = |e: arrow::error::ArrowError| {
            bad(
                path,
                0,
                format!(
                    "column `{}`: a Parquet {} column cannot be read as {:?}: {e}",
                    c.name,
                    source.data_type(),
                    c.ty
                )
                .to_lowercase(),
            )
        };
        let array = match c.ty {
            ExternalType::Dynamic => {
                let text = cast_with_options(source, &DataType::Utf8, &options).map_err(cannot)?;
                let text = text
                    .as_any()
                    .downcast_ref::<StringArray>()
                    .ok_or_else(|| StoreError::Internal("cast to Utf8".into()))?;
                let mut b = CellBuilder::new(ExternalType::Dynamic);
                for i in 0..text.len() {
                    b.append_text((!text.is_null(i)).then(|| text.value(i)));
                }
                b.finish()
            }
            ty => cast_with_options(source, &ty.arrow(), &options).map_err(cannot)?,
        };
        out.push(array);
    }
    Ok(out)
}

/// Every row of a Parquet file as one batch, its schema as stored.
pub(crate) fn parquet_batch(path: &Path) -> Result<RecordBatch, StoreError> {
    let parquet_err = |e: parquet::errors::ParquetError| {
        bad(path, 0, format!("not a Parquet file we can read: {e}"))
    };
    let builder = ParquetRecordBatchReaderBuilder::try_new(open(path)?).map_err(parquet_err)?;
    let rows = builder.metadata().file_metadata().num_rows().max(0) as usize;
    if rows > MAX_ROWS {
        return Err(too_many(path, 0));
    }
    let schema = builder.schema().clone();
    let batches = builder
        .build()
        .map_err(parquet_err)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| bad(path, 0, e.to_string()))?;
    arrow::compute::concat_batches(&schema, &batches)
        .map_err(|e| StoreError::Internal(e.to_string()))
}

/// Builds one column from text cells or JSON values.
enum CellBuilder {
    Bool(BooleanBuilder),
    Int(Int32Builder),
    Long(Int64Builder),
    Real(Float64Builder),
    String(StringBuilder),
    DateTime(TimestampMicrosecondBuilder),
    TimeSpan(DurationMicrosecondBuilder),
    Dynamic(StringBuilder),
}

impl CellBuilder {
    fn new(ty: ExternalType) -> CellBuilder {
        match ty {
            ExternalType::Bool => CellBuilder::Bool(BooleanBuilder::new()),
            ExternalType::Int => CellBuilder::Int(Int32Builder::new()),
            ExternalType::Long => CellBuilder::Long(Int64Builder::new()),
            ExternalType::Real => CellBuilder::Real(Float64Builder::new()),
            ExternalType::String => CellBuilder::String(StringBuilder::new()),
            ExternalType::DateTime => CellBuilder::DateTime(TimestampMicrosecondBuilder::new()),
            ExternalType::TimeSpan => CellBuilder::TimeSpan(DurationMicrosecondBuilder::new()),
            ExternalType::Dynamic => CellBuilder::Dynamic(StringBuilder::new()),
        }
    }

    /// A text cell (`None`: the row has no such field). A string column keeps
    /// the text as is (an empty cell is an empty string, as Kusto's strings
    /// are never null); other types trim it, and an empty or unconvertible
    /// cell is null.
    fn append_text(&mut self, cell: Option<&str>) {
        if let CellBuilder::String(b) = self {
            b.append_option(cell);
            return;
        }
        let cell = cell.map(str::trim).filter(|c| !c.is_empty());
        match self {
            CellBuilder::Bool(b) => b.append_option(cell.and_then(parse_bool)),
            CellBuilder::Int(b) => b.append_option(cell.and_then(|c| c.parse().ok())),
            CellBuilder::Long(b) => b.append_option(cell.and_then(|c| c.parse().ok())),
            CellBuilder::Real(b) => b.append_option(cell.and_then(|c| c.parse().ok())),
            CellBuilder::DateTime(b) => b.append_option(cell.and_then(parse_datetime)),
            CellBuilder::TimeSpan(b) => b.append_option(cell.and_then(parse_timespan)),
            CellBuilder::Dynamic(b) => b.append_option(cell.map(text_to_dynamic)),
            CellBuilder::String(_) => {}
        }
    }

    /// A JSON field: strings convert as text cells do; numbers and bools go
    /// to the numeric and bool columns; objects and arrays are dynamic (or
    /// their JSON text in a string column).
    fn append_json(&mut self, value: Option<&Value>) {
        let value = value.filter(|v| !v.is_null());
        match (self, value) {
            (CellBuilder::Dynamic(b), v) => b.append_option(v.map(Value::to_string)),
            (this, Some(Value::String(s))) => this.append_text(Some(s)),
            (CellBuilder::String(b), v) => b.append_option(v.map(Value::to_string)),
            (CellBuilder::Bool(b), Some(Value::Bool(x))) => b.append_value(*x),
            (CellBuilder::Int(b), Some(Value::Number(n))) => {
                b.append_option(n.as_i64().and_then(|n| i32::try_from(n).ok()))
            }
            (CellBuilder::Long(b), Some(Value::Number(n))) => b.append_option(n.as_i64()),
            (CellBuilder::Real(b), Some(Value::Number(n))) => b.append_option(n.as_f64()),
            (this, _) => this.append_null(),
        }
    }

    fn append_null(&mut self) {
        match self {
            CellBuilder::Bool(b) => b.append_null(),
            CellBuilder::Int(b) => b.append_null(),
            CellBuilder::Long(b) => b.append_null(),
            CellBuilder::Real(b) => b.append_null(),
            CellBuilder::String(b) | CellBuilder::Dynamic(b) => b.append_null(),
            CellBuilder::DateTime(b) => b.append_null(),
            CellBuilder::TimeSpan(b) => b.append_null(),
        }
    }

    fn finish(self) -> ArrayRef {
        match self {
            CellBuilder::Bool(mut b) => Arc::new(b.finish()),
            CellBuilder::Int(mut b) => Arc::new(b.finish()),
            CellBuilder::Long(mut b) => Arc::new(b.finish()),
            CellBuilder::Real(mut b) => Arc::new(b.finish()),
            CellBuilder::String(mut b) | CellBuilder::Dynamic(mut b) => Arc::new(b.finish()),
            CellBuilder::DateTime(mut b) => Arc::new(b.finish()),
            CellBuilder::TimeSpan(mut b) => Arc::new(b.finish()),
        }
    }
}

/// `true`/`false` in any case, and Kusto's `1`/`0`.
fn parse_bool(cell: &str) -> Option<bool> {
    match cell.to_ascii_lowercase().as_str() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// Kusto's timespan text `[-][d.]hh:mm[:ss[.fffffff]]`, or a KQL literal
/// such as `90s`, `1.5h`, `2d`, `100ms`: microseconds.
pub fn parse_timespan(cell: &str) -> Option<i64> {
    let (negative, body) = match cell.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, cell),
    };
    let micros = if body.contains(':') {
        clock_timespan(body)?
    } else {
        unit_timespan(body)?
    };
    Some(if negative { -micros } else { micros })
}

fn clock_timespan(body: &str) -> Option<i64> {
    let (days, clock) = match body.split_once(':') {
        Some((head, _)) if head.contains('.') => {
            let (d, rest) = body.split_once('.')?;
            (d.parse::<i64>().ok()?, rest)
        }
        _ => (0, body),
    };
    let mut parts = clock.split(':');
    let hours: i64 = parts.next()?.parse().ok()?;
    let minutes: i64 = parts.next()?.parse().ok()?;
    let seconds: f64 = match parts.next() {
        Some(s) => s.parse().ok()?,
        None => 0.0,
    };
    if parts.next().is_some()
        || days < 0
        || hours < 0
        || !(0..60).contains(&minutes)
        || !(0.0..60.0).contains(&seconds)
    {
        return None;
    }
    let whole = days
        .checked_mul(24)?
        .checked_add(hours)?
        .checked_mul(60)?
        .checked_add(minutes)?
        .checked_mul(60_000_000)?;
    whole.checked_add((seconds * 1e6).round() as i64)
}

fn unit_timespan(body: &str) -> Option<i64> {
    let split = body.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = body.split_at(split);
    let number: f64 = number.parse().ok()?;
    let scale = match unit {
        "d" => 86_400e6,
        "h" => 3_600e6,
        "m" => 60e6,
        "s" => 1e6,
        "ms" => 1e3,
        "microsecond" | "us" => 1.0,
        _ => return None,
    };
    let micros = number * scale;
    (micros.abs() < 9.2e18).then(|| micros.round() as i64)
}

/// A cell of a dynamic column: JSON when it parses, else a JSON string.
fn text_to_dynamic(cell: &str) -> String {
    match serde_json::from_str::<Value>(cell) {
        Ok(v) => v.to_string(),
        Err(_) => Value::String(cell.to_string()).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timespans_in_kusto_text() {
        assert_eq!(parse_timespan("01:30:00"), Some(5_400_000_000));
        assert_eq!(parse_timespan("1.00:00:01.5"), Some(86_401_500_000));
        assert_eq!(parse_timespan("-00:00:02"), Some(-2_000_000));
        assert_eq!(parse_timespan("90s"), Some(90_000_000));
        assert_eq!(parse_timespan("100ms"), Some(100_000));
        assert_eq!(parse_timespan("00:61:00"), None);
        assert_eq!(parse_timespan("99999999999999999.00:00:00"), None);
        assert_eq!(parse_timespan("1e300s"), None);
        assert_eq!(parse_timespan("soon"), None);
    }

    #[test]
    fn formats_from_names_and_extensions() {
        assert_eq!(
            ExternalFormat::for_path(Path::new("a.TSV")),
            ExternalFormat::Tsv
        );
        assert_eq!(
            ExternalFormat::for_path(Path::new("a.parquet")),
            ExternalFormat::Parquet
        );
        assert_eq!(
            ExternalFormat::for_path(Path::new("list")),
            ExternalFormat::Csv
        );
        assert_eq!(
            ExternalFormat::from_name("MultiJSON"),
            Some(ExternalFormat::MultiJson)
        );
        assert_eq!(ExternalFormat::from_name("avro"), None);
        assert_eq!(
            ExternalFormat::for_path(Path::new("iocs.txt")),
            ExternalFormat::Txt
        );
    }

    #[test]
    fn csv_cells_convert_or_become_null() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.csv");
        std::fs::write(&p, "n,flag\n7,true\nseven,0\n,\n").unwrap();
        let columns = [
            ExternalColumn {
                name: "n".into(),
                ty: ExternalType::Long,
            },
            ExternalColumn {
                name: "flag".into(),
                ty: ExternalType::Bool,
            },
        ];
        let batch = read_external(&ExternalRequest {
            path: &p,
            format: ExternalFormat::Csv,
            columns: &columns,
            ignore_first_record: true,
        })
        .unwrap();
        assert_eq!(batch.num_rows(), 3);
        let n = batch
            .column(0)
            .as_any()
            .downcast_ref::<arrow::array::Int64Array>()
            .unwrap();
        assert_eq!(n.value(0), 7);
        assert!(n.is_null(1) && n.is_null(2));
        let flag = batch
            .column(1)
            .as_any()
            .downcast_ref::<arrow::array::BooleanArray>()
            .unwrap();
        assert!(flag.value(0) && !flag.value(1) && flag.is_null(2));
    }

    #[test]
    fn only_regular_files_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let columns = [ExternalColumn {
            name: "a".into(),
            ty: ExternalType::String,
        }];
        let err = read_external(&ExternalRequest {
            path: dir.path(),
            format: ExternalFormat::Json,
            columns: &columns,
            ignore_first_record: false,
        })
        .unwrap_err()
        .to_string();
        assert!(err.ends_with(": not a regular file"), "{err}");
    }

    #[test]
    fn a_broken_csv_names_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("broken.csv");
        std::fs::write(&p, b"a\nb\n\xff\xfe\n").unwrap();
        let columns = [ExternalColumn {
            name: "a".into(),
            ty: ExternalType::String,
        }];
        let err = read_external(&ExternalRequest {
            path: &p,
            format: ExternalFormat::Csv,
            columns: &columns,
            ignore_first_record: false,
        })
        .unwrap_err()
        .to_string();
        assert!(err.contains("broken.csv:3"), "{err}");
        assert!(err.contains("UTF-8"), "{err}");
    }
}
