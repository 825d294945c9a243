//! `Engine`: open data once, then parse → plan → execute queries against it.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use arrow::record_batch::RecordBatch;
use iishunt_plan::types::KType;
use iishunt_syntax::Dialect;

use crate::error::Error;

/// What `now()` means for a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NowSetting {
    /// The wall clock (Kusto's behaviour).
    #[default]
    Wall,
    /// A fixed instant, microseconds since the epoch (UTC): `--now 2026-03-08T12:00:00Z`.
    Fixed(i64),
    /// The newest `TimeGenerated` in the data: `--now latest`.
    Latest,
}

#[derive(Debug, Clone, Default)]
pub struct QueryOptions {
    /// `None`: detect from the text (a first keyword `FROM`/`ROW` means ES|QL).
    pub dialect: Option<Dialect>,
    pub now: NowSetting,
    /// Set to true from another thread (Ctrl-C) to cancel the running query.
    pub cancel: Option<Arc<AtomicBool>>,
}

/// A chart the query asked for with KQL `render`.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderSpec {
    /// `timechart`, `columnchart`, `barchart`, `piechart`, `areachart`, `scatterchart`, …
    pub chart: String,
    /// `with (title="…", …)` properties, values as text.
    pub properties: Vec<(String, String)>,
}

/// The result of one query.
#[derive(Debug, Clone)]
pub struct QueryResult {
    /// Column names and Kusto types, in output order.
    pub columns: Vec<(String, KType)>,
    /// The rows; every batch has `columns` as its schema (dynamic columns hold JSON text).
    pub batches: Vec<RecordBatch>,
    pub render: Option<RenderSpec>,
    /// Parse + plan + execute.
    pub elapsed: Duration,
    /// Notes for the user (ignored hints, implicit ES|QL limit, …).
    pub notes: Vec<String>,
}

impl QueryResult {
    pub fn row_count(&self) -> usize {
        self.batches.iter().map(|b| b.num_rows()).sum()
    }
}

/// A table the engine can query, for `.tables` / `.schema`.
#[derive(Debug, Clone)]
pub struct TableInfo {
    pub name: String,
    pub columns: Vec<(String, KType)>,
    pub rows: u64,
    /// Oldest and newest `TimeGenerated`, microseconds since the epoch.
    pub time_range: Option<(i64, i64)>,
}

/// An opened dataset (or raw logs parsed on the fly) ready for queries.
pub struct Engine {
    #[allow(dead_code)]
    data: Vec<PathBuf>,
}

impl Engine {
    /// Opens a dataset folder written by `iishunt ingest`, or raw `.log` files /
    /// folders (parsed in memory).
    pub fn open(data: &[PathBuf]) -> Result<Engine, Error> {
        Ok(Engine { data: data.to_vec() })
    }

    /// Runs one query text (several statements: the last tabular one is the result).
    pub fn query(&self, text: &str, options: &QueryOptions) -> Result<QueryResult, Error> {
        let _ = (text, options);
        Err(Error::Data("the query engine is being built".into()))
    }

    /// The logical and physical plans, the columns read, filters pushed down and
    /// row groups pruned.
    pub fn explain(&self, text: &str, options: &QueryOptions) -> Result<String, Error> {
        let _ = (text, options);
        Err(Error::Data("the query engine is being built".into()))
    }

    pub fn tables(&self) -> Vec<TableInfo> {
        Vec::new()
    }

    /// Names a REPL can complete: tables, columns, functions, operators.
    pub fn completion_words(&self) -> Vec<String> {
        Vec::new()
    }
}

/// Which dialect a text is in when none was chosen: ES|QL when the first
/// keyword is `FROM` or `ROW` (case-insensitive), else KQL.
pub fn detect_dialect(text: &str) -> Dialect {
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("//"))
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or("");
    if first.eq_ignore_ascii_case("from") || first.eq_ignore_ascii_case("row") {
        Dialect::Esql
    } else {
        Dialect::Kql
    }
}
