//! `Engine`: open data once, then parse → plan → execute queries against it.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, Instant};

use arrow::array::Array;
use arrow::record_batch::RecordBatch;
use iishunt_exec::{DataSource, ExecContext, ParquetFile, TableData};
use iishunt_plan::bind::BoundQuery;
use iishunt_plan::catalog::{Catalog, TableDef, TableKind};
use iishunt_plan::optimize::optimize;
use iishunt_plan::schema::{Column, Schema};
use iishunt_plan::types::KType;
use iishunt_store::{Dataset, Table};
use iishunt_syntax::Dialect;
use rayon::prelude::*;

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
    /// Tuning and test hook: bytes of group state a `summarize … | where`
    /// may build in one pass before switching to two passes (`Some(0)`
    /// always uses two).
    pub one_pass_bytes: Option<usize>,
    /// `--memory-limit`: bytes the growing operators (summarize, sort, join,
    /// collected rows, …) may hold; going over is an error naming the operator.
    pub memory_limit: Option<usize>,
    /// `--timeout`: the longest a query may run (parse, plan and execute).
    pub timeout: Option<Duration>,
    /// Keep at most this many result rows (the REPL's cap); a note says how
    /// many were cut.
    pub max_rows: Option<usize>,
}

/// The default `--memory-limit`: 60% of the machine's memory (Linux:
/// `MemTotal` in /proc/meminfo), so a runaway query stops with an error
/// before the kernel's out-of-memory killer ends the process; `None` where
/// the total is unknown.
pub fn default_memory_limit() -> Option<usize> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kib: usize = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib.saturating_mul(1024) / 10 * 6)
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
    /// The table's name when the query gives one (`as`, `fork`, `facet`).
    pub name: Option<String>,
    /// The result tables before this one, in order, when the query makes
    /// several (a batch of statements, `fork`, `facet`); each has its name.
    pub earlier: Vec<QueryResult>,
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
    pub(crate) catalog: Catalog,
    pub(crate) source: DataSource,
    /// The dataset folder, when the data is one (not raw logs).
    pub(crate) root: Option<PathBuf>,
    /// Each lookup table's name and CSV file.
    pub(crate) lookup_files: Vec<(String, PathBuf)>,
}

impl Engine {
    /// Opens a dataset folder written by `iishunt ingest`, or raw `.log` files /
    /// folders (parsed in memory), with the lookup tables in each folder's
    /// `lookups/`.
    pub fn open(data: &[PathBuf]) -> Result<Engine, Error> {
        Engine::open_with_lookups(data, &[])
    }

    /// Like [`Engine::open`], plus lookup tables from these CSV files
    /// (`--lookup FILE`).
    pub fn open_with_lookups(data: &[PathBuf], lookups: &[PathBuf]) -> Result<Engine, Error> {
        let mut engine = Engine::open_data(data)?;
        let mut files: Vec<PathBuf> = Vec::new();
        for dir in data.iter().filter(|p| p.is_dir()) {
            files.extend(iishunt_store::lookup_files(dir).map_err(|e| Error::Data(e.to_string()))?);
        }
        files.extend(lookups.iter().cloned());
        for file in files {
            engine.add_lookup(&file)?;
        }
        Ok(engine)
    }

    /// Like [`Engine::open_with_lookups`], plus files registered under the
    /// names given (`--table NAME=FILE`, see [`Engine::add_table_file`]).
    pub fn open_with_tables(
        data: &[PathBuf],
        lookups: &[PathBuf],
        tables: &[(String, PathBuf)],
    ) -> Result<Engine, Error> {
        let mut engine = Engine::open_with_lookups(data, lookups)?;
        for (name, file) in tables {
            engine.add_table_file(name, file)?;
        }
        Ok(engine)
    }

    /// Loads one CSV lookup table; its file name (without `.csv`) names it.
    fn add_lookup(&mut self, file: &Path) -> Result<(), Error> {
        self.add_lookup_named(file, None)
    }

    /// Loads one CSV lookup table under `name` (its file name when `None`):
    /// `hunt --intel FILE` always names its list `threat_intel`.
    pub fn add_lookup_named(&mut self, file: &Path, name: Option<&str>) -> Result<(), Error> {
        let mut table = iishunt_store::read_lookup(file).map_err(|e| Error::Data(e.to_string()))?;
        if let Some(name) = name {
            table.name = name.to_string();
        }
        if let Some(existing) = self.catalog.table(&table.name) {
            let what = match existing.kind {
                TableKind::Log => "a log table".to_string(),
                TableKind::Lookup => "another lookup file".to_string(),
            };
            return Err(Error::Data(format!(
                "{}: the lookup table `{}` has the name of {what}; rename the file",
                file.display(),
                table.name
            )));
        }
        self.register(table.name, table.path, table.batch);
        Ok(())
    }

    /// `--table name=FILE`: a CSV, TSV, JSON-lines or Parquet file (format
    /// from its extension, CSV when none) as the table `name`. Text columns
    /// are typed as lookups are; Parquet columns keep their types, read as
    /// the engine holds them (a type it does not read is left out).
    pub fn add_table_file(&mut self, name: &str, file: &Path) -> Result<(), Error> {
        if !is_identifier(name) {
            return Err(Error::Data(format!(
                "--table {name}={}: `{name}` is not a table name; use letters, digits and `_`, \
                 not starting with a digit",
                file.display()
            )));
        }
        if let Some(existing) = self.catalog.table(name) {
            let what = match existing.kind {
                TableKind::Log => "the log table",
                TableKind::Lookup => "the lookup table",
            };
            return Err(Error::Data(format!(
                "--table {name}={}: `{name}` is already {what} `{}`; choose another name",
                file.display(),
                existing.name
            )));
        }
        let batch = iishunt_store::read_table_file(file).map_err(|e| Error::Data(e.to_string()))?;
        let batch =
            engine_types(&batch).map_err(|e| Error::Data(format!("{}: {e}", file.display())))?;
        self.register(name.to_string(), file.to_path_buf(), batch);
        Ok(())
    }

    /// Adds an in-memory table that queries can name.
    fn register(&mut self, name: String, path: PathBuf, batch: RecordBatch) {
        let columns = columns_of(batch.schema().fields());
        self.lookup_files.push((name.clone(), path));
        self.catalog.tables.push(TableDef {
            name: name.clone(),
            schema: Schema::new(columns),
            kind: TableKind::Lookup,
        });
        self.source
            .tables
            .insert(name, TableData::Memory(vec![batch]));
    }

    fn open_data(data: &[PathBuf]) -> Result<Engine, Error> {
        if data.is_empty() {
            return Err(Error::Data(
                "no data given: pass --data DIR (a dataset from `iishunt ingest`) or log files"
                    .into(),
            ));
        }
        for p in data {
            if !p.exists() && !p.to_string_lossy().contains('*') {
                return Err(Error::Data(format!(
                    "{}: no such file or folder",
                    p.display()
                )));
            }
        }
        let (source, root) = match data {
            [dir] if is_dataset(dir) => (open_dataset(dir)?, Some(dir.clone())),
            _ => (open_raw(data)?, None),
        };
        let catalog = catalog_for(&source);
        Ok(Engine {
            catalog,
            source,
            root,
            lookup_files: Vec::new(),
        })
    }

    /// Runs one query text. Several tabular statements (a batch), `fork` and
    /// `facet` make several result tables: the last is the result, the others
    /// are in [`QueryResult::earlier`].
    pub fn query(&self, text: &str, options: &QueryOptions) -> Result<QueryResult, Error> {
        let started = Instant::now();
        let prepared = self.prepare(text, options)?;
        let mut notes = prepared.bound.notes;
        let run = |physical, notes: &mut Vec<String>| -> Result<Vec<RecordBatch>, Error> {
            let batches = self.execute_caught(physical, &prepared.ctx)?;
            Ok(match options.max_rows {
                Some(cap) => cap_rows(batches, cap, notes),
                None => batches,
            })
        };
        let mut earlier = Vec::with_capacity(prepared.earlier.len());
        for (name, physical, columns) in &prepared.earlier {
            let batches = run(physical, &mut notes)?;
            earlier.push(QueryResult {
                columns: columns.clone(),
                batches,
                render: None,
                elapsed: started.elapsed(),
                notes: Vec::new(),
                name: Some(name.clone()),
                earlier: Vec::new(),
            });
        }
        let batches = run(&prepared.physical, &mut notes)?;
        let columns = columns_of_plan(&prepared.bound.plan);
        let render = prepared.bound.render.map(|r| RenderSpec {
            chart: r.chart,
            properties: r.properties,
        });
        Ok(QueryResult {
            columns,
            batches,
            render,
            elapsed: started.elapsed(),
            notes,
            name: prepared.bound.name,
            earlier,
        })
    }

    /// Runs a physical plan. A bug in an operator must not take down a REPL
    /// session or the other hunts of a `run`: a panic becomes this query's
    /// error.
    fn execute_caught(
        &self,
        physical: &iishunt_exec::PhysicalPlan,
        ctx: &ExecContext,
    ) -> Result<Vec<RecordBatch>, Error> {
        let batches = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            iishunt_exec::execute(physical, &self.source, ctx)
        }))
        .map_err(|payload| {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic".to_string());
            iishunt_exec::error::ExecError::internal("execute", message)
        })??;
        Ok(batches)
    }

    /// The logical and physical plans, the columns read, filters pushed down and
    /// row groups pruned.
    pub fn explain(&self, text: &str, options: &QueryOptions) -> Result<String, Error> {
        let prepared = self.prepare(text, options)?;
        let mut out = String::new();
        // A query with several result tables: theirs first, then the last's.
        for (name, physical, _) in &prepared.earlier {
            out.push_str(&format!("Physical plan of result table `{name}`:\n"));
            out.push_str(&indent(&iishunt_exec::display_physical(physical)));
            out.push('\n');
        }
        if let Some(name) = prepared
            .bound
            .name
            .as_ref()
            .filter(|_| !prepared.earlier.is_empty())
        {
            out.push_str(&format!("Last result table: `{name}`\n"));
        }
        out.push_str("Logical plan (as bound):\n");
        out.push_str(&indent(&prepared.unoptimized.display_tree()));
        out.push_str("\nLogical plan (optimized):\n");
        out.push_str(&indent(&prepared.bound.plan.display_tree()));
        out.push_str("\nPhysical plan:\n");
        out.push_str(&indent(&iishunt_exec::display_physical(&prepared.physical)));
        for note in &prepared.bound.notes {
            out.push_str(&format!("\nnote: {note}"));
        }
        Ok(out)
    }

    fn prepare(&self, text: &str, options: &QueryOptions) -> Result<Prepared, Error> {
        let dialect = options.dialect.unwrap_or_else(|| detect_dialect(text));
        let query = iishunt_syntax::parse(text, dialect)?;
        let now = match options.now {
            NowSetting::Wall => chrono::Utc::now().timestamp_micros(),
            NowSetting::Fixed(t) => t,
            NowSetting::Latest => self
                .latest_time()
                .unwrap_or_else(|| chrono::Utc::now().timestamp_micros()),
        };
        let mut ctx = ExecContext::new(now);
        if let Some(limit) = options.memory_limit {
            ctx = ctx.with_memory_limit(limit);
        }
        if let Some(timeout) = options.timeout {
            ctx = ctx.with_timeout(timeout);
        }
        ctx.cancel = options.cancel.clone();
        if let Some(n) = options.one_pass_bytes {
            ctx.one_pass_bytes = n;
        }
        let fold_ctx = ctx.clone();
        let fold = move |e: &iishunt_plan::expr::BoundExpr| {
            iishunt_exec::expr::evaluate_constant(e, &fold_ctx).ok()
        };
        let read_ctx = ctx.clone();
        let external = move |file: &iishunt_plan::bind::ExternalFile| {
            crate::externaldata::read_rows(file, &read_ctx)
        };
        let sub_ctx = ctx.clone();
        let source = &self.source;
        let subquery = move |plan: iishunt_plan::logical::LogicalPlan| -> Result<Vec<iishunt_plan::types::ScalarValue>, String> {
            run_subquery(plan, source, &sub_ctx).map_err(|e| e.to_string())
        };
        let bound = iishunt_plan::bind::bind_query_reading(
            &query,
            Some(text),
            &self.catalog,
            &fold,
            Some(&subquery),
            Some(&external),
        )?;
        let unoptimized = bound.plan.clone();
        let mut earlier = Vec::with_capacity(bound.earlier.len());
        for table in &bound.earlier {
            let plan = optimize(table.plan.clone());
            let physical = iishunt_exec::create_physical_plan(&plan, &self.source)?;
            earlier.push((table.name.clone(), physical, columns_of_plan(&plan)));
        }
        let bound = BoundQuery {
            plan: optimize(bound.plan),
            ..bound
        };
        let physical = iishunt_exec::create_physical_plan(&bound.plan, &self.source)?;
        Ok(Prepared {
            bound,
            unoptimized,
            physical,
            earlier,
            ctx,
        })
    }

    /// The newest `TimeGenerated` in any table (for `--now latest`).
    pub fn latest_time(&self) -> Option<i64> {
        self.catalog
            .tables
            .iter()
            .filter_map(|t| self.source.stats(&t.name).1.map(|r| r.1))
            .max()
            .or_else(|| {
                // Raw logs carry no statistics: ask the data.
                let q = "W3CIISLog | summarize max(TimeGenerated)";
                let r = self
                    .query(
                        q,
                        &QueryOptions {
                            now: NowSetting::Fixed(0),
                            ..Default::default()
                        },
                    )
                    .ok()?;
                let b = r.batches.first()?;
                let a = b
                    .column(0)
                    .as_any()
                    .downcast_ref::<arrow::array::TimestampMicrosecondArray>()?;
                (!a.is_empty() && a.is_valid(0)).then(|| a.value(0))
            })
    }

    pub fn tables(&self) -> Vec<TableInfo> {
        self.catalog
            .tables
            .iter()
            .map(|t| {
                let (rows, time_range) = self.source.stats(&t.name);
                TableInfo {
                    name: t.name.clone(),
                    columns: t
                        .schema
                        .columns
                        .iter()
                        .map(|c| (c.name.clone(), c.ty))
                        .collect(),
                    rows,
                    time_range,
                }
            })
            .collect()
    }

    /// Names a REPL can complete: tables, columns, functions, operators.
    pub fn completion_words(&self) -> Vec<String> {
        let mut words: Vec<String> = Vec::new();
        for t in &self.catalog.tables {
            words.push(t.name.clone());
            words.extend(t.schema.columns.iter().map(|c| c.name.clone()));
        }
        for f in iishunt_plan::functions::scalar_functions() {
            if !f.name.starts_with("__") && !f.name.starts_with("esql_") {
                words.push(f.name.to_string());
                words.extend(f.aliases.iter().map(|a| a.to_string()));
            }
        }
        for f in iishunt_plan::functions::aggregate_functions() {
            if !f.name.starts_with("__") {
                words.push(f.name.to_string());
                words.extend(f.aliases.iter().map(|a| a.to_string()));
            }
        }
        words.extend(OPERATORS.iter().map(|s| s.to_string()));
        words.sort();
        words.dedup();
        words
    }
}

/// Tabular operators the engine runs, for completion.
const OPERATORS: &[&str] = &[
    "where",
    "extend",
    "project",
    "project-away",
    "project-keep",
    "project-rename",
    "project-reorder",
    "summarize",
    "order by",
    "sort by",
    "top",
    "take",
    "limit",
    "distinct",
    "count",
    "union",
    "join",
    "lookup",
    "mv-expand",
    "render",
    "getschema",
    "as",
    "print",
    "datatable",
    "externaldata",
    "range",
    "let",
];

struct Prepared {
    bound: BoundQuery,
    unoptimized: iishunt_plan::logical::LogicalPlan,
    physical: iishunt_exec::PhysicalPlan,
    /// The result tables before the last.
    earlier: Vec<PreparedTable>,
    ctx: ExecContext,
}

/// One of several result tables, ready to run: its name, plan and columns.
type PreparedTable = (String, iishunt_exec::PhysicalPlan, Vec<(String, KType)>);

/// A plan's output columns as a result lists them.
fn columns_of_plan(plan: &iishunt_plan::logical::LogicalPlan) -> Vec<(String, KType)> {
    plan.schema()
        .columns
        .iter()
        .map(|c| (c.name.clone(), c.ty))
        .collect()
}

/// The values of a subquery's first column (`x in (T)`), at most 1,000,000.
fn run_subquery(
    plan: iishunt_plan::logical::LogicalPlan,
    source: &DataSource,
    ctx: &ExecContext,
) -> Result<Vec<iishunt_plan::types::ScalarValue>, Error> {
    const MAX_VALUES: usize = 1_000_000;
    let plan = optimize(plan);
    let Some(first) = plan.schema().columns.first().cloned() else {
        return Ok(Vec::new());
    };
    let physical = iishunt_exec::create_physical_plan(&plan, source)?;
    let mut values = Vec::new();
    for batch in iishunt_exec::execute(&physical, source, ctx)? {
        for row in 0..batch.num_rows() {
            if values.len() >= MAX_VALUES {
                return Err(Error::Data(format!(
                    "the subquery returned more than {MAX_VALUES} values"
                )));
            }
            values.push(iishunt_exec::scalar::array_cell(
                batch.column(0).as_ref(),
                row,
                first.ty,
            )?);
        }
    }
    Ok(values)
}

/// The first `cap` rows of a result; a note says how many more there were.
fn cap_rows(batches: Vec<RecordBatch>, cap: usize, notes: &mut Vec<String>) -> Vec<RecordBatch> {
    let total: usize = batches.iter().map(|b| b.num_rows()).sum();
    if total <= cap {
        return batches;
    }
    let mut out = Vec::new();
    let mut left = cap;
    for b in batches {
        if left == 0 {
            break;
        }
        let take = b.num_rows().min(left);
        out.push(b.slice(0, take));
        left -= take;
    }
    // Slices keep their whole buffers alive: copy the kept rows out so the
    // cut ones are freed.
    if let Some(first) = out.first() {
        if let Ok(compact) = arrow::compute::concat_batches(&first.schema(), &out) {
            out = vec![compact];
        }
    }
    notes.push(format!(
        "the result had {total} rows; only the first {cap} are kept ({} cut by --max-rows)",
        total - cap
    ));
    out
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}\n")).collect()
}

/// A dataset folder holds table folders or a manifest.
fn is_dataset(dir: &Path) -> bool {
    dir.is_dir()
        && (dir.join(iishunt_store::manifest::MANIFEST).exists()
            || Table::all().iter().any(|t| dir.join(t.name()).is_dir()))
}

fn open_dataset(dir: &Path) -> Result<DataSource, Error> {
    let dataset = Dataset::open(dir).map_err(|e| Error::Data(e.to_string()))?;
    let mut source = DataSource::default();
    for t in Table::all() {
        let files: Vec<ParquetFile> = dataset
            .files(t)
            .par_iter()
            .map(|p| ParquetFile::open(p))
            .collect::<Result<_, _>>()?;
        source
            .tables
            .insert(t.name().to_string(), TableData::Parquet(files));
    }
    Ok(source)
}

fn open_raw(paths: &[PathBuf]) -> Result<DataSource, Error> {
    let raw = iishunt_store::read_raw(paths, &iishunt_store::RawOptions::default())
        .map_err(|e| Error::Data(e.to_string()))?;
    let mut source = DataSource::default();
    for t in Table::all() {
        source.tables.insert(
            t.name().to_string(),
            TableData::Memory(raw.batches(t).to_vec()),
        );
    }
    Ok(source)
}

/// The tables as queries see them: Sentinel's columns, plus any custom
/// fields (e.g. `X-Forwarded-For`) found in the data, as strings.
fn catalog_for(source: &DataSource) -> Catalog {
    let mut tables = Vec::new();
    for t in Table::all() {
        let base = iishunt_w3c::schema::table_schema(t);
        let mut columns = columns_of(base.fields());
        let extra: Vec<String> = match source.tables.get(t.name()) {
            Some(TableData::Parquet(files)) => {
                files.iter().flat_map(|f| f.column_names()).collect()
            }
            Some(TableData::Memory(batches)) => batches
                .iter()
                .flat_map(|b| {
                    b.schema()
                        .fields()
                        .iter()
                        .map(|f| f.name().clone())
                        .collect::<Vec<_>>()
                })
                .collect(),
            None => Vec::new(),
        };
        for name in extra {
            if !columns.iter().any(|c| c.name == name) {
                columns.push(Column {
                    name,
                    ty: KType::String,
                });
            }
        }
        tables.push(TableDef {
            name: t.name().to_string(),
            schema: Schema::new(columns),
            kind: TableKind::Log,
        });
    }
    Catalog { tables }
}

/// The columns a query sees for stored Arrow fields (types the engine does not
/// read are left out).
fn columns_of(fields: &arrow::datatypes::Fields) -> Vec<Column> {
    fields
        .iter()
        .filter_map(|f| {
            KType::from_field(f).map(|ty| Column {
                name: f.name().clone(),
                ty,
            })
        })
        .collect()
}

/// A table name as KQL writes it unquoted.
fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A stored batch with each column as the engine holds its Kusto type
/// (`Float32` as `Float64`, nanosecond timestamps as microseconds, …);
/// columns of types the engine does not read are left out.
fn engine_types(batch: &RecordBatch) -> Result<RecordBatch, arrow::error::ArrowError> {
    let mut fields = Vec::new();
    let mut columns = Vec::new();
    for (field, column) in batch.schema().fields().iter().zip(batch.columns()) {
        let Some(ty) = KType::from_field(field) else {
            continue;
        };
        let column = if column.data_type() == &ty.arrow_type() {
            column.clone()
        } else {
            arrow::compute::cast(column, &ty.arrow_type())?
        };
        fields.push(ty.field(field.name()));
        columns.push(column);
    }
    if fields.is_empty() {
        return Err(arrow::error::ArrowError::SchemaError(
            "no column has a type iishunt reads".into(),
        ));
    }
    RecordBatch::try_new(Arc::new(arrow::datatypes::Schema::new(fields)), columns)
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
