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
pub fn write<W: Write>(
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
        }
    }

    #[test]
    fn formats_parse_by_name() {
        assert_eq!("CSV".parse::<super::Format>(), Ok(super::Format::Csv));
        assert!("xml".parse::<super::Format>().is_err());
    }
}
