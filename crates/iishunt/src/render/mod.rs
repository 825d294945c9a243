//! What the user sees of a [`QueryResult`]: one writer per format —
//! [`table`] for terminals, [`csv`], [`json`], [`ndjson`] and [`parquet`] for
//! files and pipes — all reading cells through [`cell`], so a datetime or a
//! dynamic value looks the same in every format. Fed by the engine's result
//! batches; used by the CLI (`query`, `repl`, `run`).

pub mod cell;
pub mod csv;
pub mod json;
pub mod ndjson;
pub mod parquet;
pub mod table;

use std::fmt;
use std::io::Write;
use std::str::FromStr;

pub use self::csv::CsvOptions;
pub use self::table::TableOptions;
use crate::QueryResult;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Csv,
    Json,
    Ndjson,
    Parquet,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Table,
        Format::Csv,
        Format::Json,
        Format::Ndjson,
        Format::Parquet,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Ndjson => "ndjson",
            Format::Parquet => "parquet",
        }
    }

    /// The file extension for results written in this format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Table => "txt",
            other => other.name(),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                format!("unknown format `{s}` (expected table, csv, json, ndjson or parquet)")
            })
    }
}

/// Writing a result failed.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("writing the result: {0}")]
    Io(#[from] std::io::Error),
    #[error("writing Parquet: {0}")]
    Parquet(#[from] ::parquet::errors::ParquetError),
    #[error("rendering the chart: {0}")]
    Chart(String),
    #[error("the query makes {0} result tables and Parquet holds one: write them as json, ndjson or csv, or make one query per table")]
    SeveralTables(usize),
}

/// Everything the writers may need besides the result.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    pub table: TableOptions,
    pub csv: CsvOptions,
    /// The hunt a result belongs to (`iishunt run`): NDJSON adds it to every
    /// row, JSON wraps the rows with this metadata.
    pub hunt: Option<serde_json::Map<String, serde_json::Value>>,
}

/// Writes `result` in `format`. Parquet is built in memory first (the
/// writer needs a `Send` sink); use [`parquet::write_parquet`] to stream a
/// large result straight into a file.
///
/// A query with several result tables (see [`QueryResult::earlier`]) writes
/// them in order: as tables under their names, CSV tables apart by a blank
/// line, JSON as `{"tables": [{"name": …, "rows": […]}, …]}`, NDJSON rows with
/// a leading `"$table"` field. Parquet holds one table and refuses.
pub fn write<W: Write>(
    result: &QueryResult,
    format: Format,
    options: &RenderOptions,
    mut out: W,
) -> Result<(), RenderError> {
    if result.earlier.is_empty() {
        return write_one(result, format, options, &mut out);
    }
    let tables: Vec<&QueryResult> = result.earlier.iter().chain([result]).collect();
    let name =
        |i: usize, t: &QueryResult| t.name.clone().unwrap_or_else(|| format!("table_{}", i + 1));
    match format {
        Format::Table | Format::Csv => {
            for (i, t) in tables.iter().enumerate() {
                if i > 0 {
                    writeln!(out)?;
                }
                if format == Format::Table {
                    let rows = t.row_count();
                    let plural = if rows == 1 { "" } else { "s" };
                    writeln!(out, "{} ({rows} row{plural})", name(i, t))?;
                }
                write_one(t, format, options, &mut out)?;
            }
        }
        Format::Json => {
            out.write_all(b"{\"tables\":[")?;
            for (i, t) in tables.iter().enumerate() {
                if i > 0 {
                    out.write_all(b",")?;
                }
                out.write_all(b"{\"name\":")?;
                serde_json::to_writer(&mut out, &name(i, t)).map_err(std::io::Error::from)?;
                out.write_all(b",\"rows\":")?;
                json::write_json(t, None, &mut out)?;
                out.write_all(b"}")?;
            }
            out.write_all(b"]}\n")?;
        }
        Format::Ndjson => {
            for (i, t) in tables.iter().enumerate() {
                let mut extra = vec![("$table", serde_json::Value::String(name(i, t)))];
                if let Some(h) = options.hunt.as_ref().and_then(|m| m.get("name")) {
                    extra.push(("hunt", h.clone()));
                }
                ndjson::write_rows(t, &extra, &mut out)?;
            }
        }
        Format::Parquet => return Err(RenderError::SeveralTables(tables.len())),
    }
    Ok(())
}

/// Writes one result table in `format`.
fn write_one<W: Write>(
    result: &QueryResult,
    format: Format,
    options: &RenderOptions,
    mut out: W,
) -> Result<(), RenderError> {
    match format {
        Format::Table => table::write_table(result, &options.table, &mut out)?,
        Format::Csv => csv::write_csv(result, options.csv, &mut out)?,
        Format::Json => json::write_json(result, options.hunt.as_ref(), &mut out)?,
        Format::Ndjson => {
            let hunt = options
                .hunt
                .as_ref()
                .and_then(|m| m.get("name"))
                .and_then(|v| v.as_str());
            ndjson::write_ndjson(result, hunt, &mut out)?
        }
        Format::Parquet => {
            let mut buf = Vec::new();
            parquet::write_parquet(result, &mut buf)?;
            out.write_all(&buf)?;
        }
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    //! A hand-built result shared by the writers' tests: nulls, dynamic,
    //! datetime, timespan, control characters and a formula cell.

    use std::sync::Arc;
    use std::time::Duration;

    use arrow::array::{
        ArrayRef, DurationMicrosecondArray, Int64Array, StringArray, TimestampMicrosecondArray,
    };
    use arrow::datatypes::Schema;
    use arrow::record_batch::RecordBatch;

    use crate::{KType, QueryResult};

    pub fn sample() -> QueryResult {
        let columns = vec![
            ("TimeGenerated".to_string(), KType::DateTime),
            ("cIP".to_string(), KType::String),
            ("csUriStem".to_string(), KType::String),
            ("count_".to_string(), KType::Long),
            ("set_sPort".to_string(), KType::Dynamic),
            ("Duration".to_string(), KType::TimeSpan),
        ];
        let schema = Arc::new(Schema::new(
            columns.iter().map(|(n, t)| t.field(n)).collect::<Vec<_>>(),
        ));
        let t0 = 1_772_985_912_000_000;
        let arrays: Vec<ArrayRef> = vec![
            Arc::new(TimestampMicrosecondArray::from(vec![
                Some(t0),
                Some(t0 + 500_000),
                None,
            ])),
            Arc::new(StringArray::from(vec![
                Some("198.51.100.77"),
                None,
                Some("10.0.0.1"),
            ])),
            Arc::new(StringArray::from(vec![
                Some("/wp-login.php"),
                Some("a,b \"c\""),
                Some("=HYPERLINK(\"http://x\")\x1b[31m"),
            ])),
            Arc::new(Int64Array::from(vec![Some(7), Some(12345), None])),
            Arc::new(StringArray::from(vec![
                Some("[80,443]"),
                Some("[]"),
                Some("[\"x\"]"),
            ])),
            Arc::new(DurationMicrosecondArray::from(vec![
                Some(60_000_000),
                Some(86_400_000_000 + 7_203_000_000),
                None,
            ])),
        ];
        let batch = RecordBatch::try_new(schema, arrays).expect("sample batch");
        QueryResult {
            columns,
            batches: vec![batch],
            render: None,
            elapsed: Duration::from_millis(12),
            notes: Vec::new(),
            name: None,
            earlier: Vec::new(),
        }
    }

    #[test]
    fn formats_parse_by_name() {
        assert_eq!("CSV".parse::<super::Format>(), Ok(super::Format::Csv));
        assert!("xml".parse::<super::Format>().is_err());
    }

    /// Two tables (`fork`): JSON lists both by name, NDJSON tags each row,
    /// Parquet refuses rather than drop a table.
    #[test]
    fn several_tables_keep_every_table() {
        let mut first = sample();
        first.name = Some("Scanner".to_string());
        let mut result = sample();
        result.name = Some("Busy".to_string());
        result.earlier = vec![first];
        let options = super::RenderOptions::default();

        let mut json = Vec::new();
        super::write(&result, super::Format::Json, &options, &mut json).unwrap();
        let value: serde_json::Value = serde_json::from_slice(&json).unwrap();
        let tables = value["tables"].as_array().unwrap();
        assert_eq!(tables.len(), 2);
        assert_eq!(tables[0]["name"], "Scanner");
        assert_eq!(tables[1]["name"], "Busy");
        assert_eq!(tables[1]["rows"].as_array().unwrap().len(), 3);

        let mut ndjson = Vec::new();
        super::write(&result, super::Format::Ndjson, &options, &mut ndjson).unwrap();
        let lines: Vec<serde_json::Value> = String::from_utf8(ndjson)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 6);
        assert_eq!(lines[0]["$table"], "Scanner");
        assert_eq!(lines[5]["$table"], "Busy");

        let err = super::write(&result, super::Format::Parquet, &options, Vec::new());
        assert!(matches!(err, Err(super::RenderError::SeveralTables(2))));
    }
}
