//! `iishunt query`: one query from the command line or a file, its result on
//! stdout in the chosen format, the caret diagnostic on stderr on error
//! (exit 1), `time: <seconds>` on stderr with `--timing`.

use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use iishunt::render::{CsvOptions, Format, RenderOptions};
use iishunt::{Dialect, Engine, NowSetting, QueryOptions};

use crate::diagnostic::{self, Source};
use crate::limits::LimitArgs;
use crate::output;

/// What to run and against which data; shared by `query` and `explain`.
#[derive(clap::Args, Debug)]
pub struct QueryInput {
    /// Dataset folder written by `iishunt ingest`, or raw .log files / folders
    /// (repeatable). Default: ./iishunt-data when it exists.
    #[arg(long, value_name = "PATH")]
    pub data: Vec<PathBuf>,
    /// A CSV lookup table for `join`, `lookup`, LOOKUP JOIN and ENRICH; its file
    /// name names it (repeatable). A data folder's `lookups/*.csv` load by themselves.
    #[arg(long, value_name = "FILE.csv")]
    pub lookup: Vec<PathBuf>,
    /// A CSV, TSV, JSON-lines or Parquet file as the table NAME (format from
    /// the extension, CSV when none; column types inferred, or Parquet's own)
    /// (repeatable).
    #[arg(long = "table", value_name = "NAME=FILE", value_parser = parse_table)]
    pub tables: Vec<(String, PathBuf)>,
    /// The query text (KQL or ES|QL).
    #[arg(
        value_name = "QUERY",
        required_unless_present = "file",
        conflicts_with = "file"
    )]
    pub query: Option<String>,
    /// Read the query from a file (`-`: standard input).
    #[arg(long, short = 'f', value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// The query language; default: ES|QL when the text starts with FROM or ROW, else KQL.
    #[arg(long, value_parser = parse_dialect)]
    pub dialect: Option<Dialect>,
    /// What now() means: a UTC datetime, `latest` (the newest TimeGenerated in the data) or `wall`.
    #[arg(long, value_parser = output::parse_now, value_name = "DATETIME|latest")]
    pub now: Option<NowSetting>,
}

impl QueryInput {
    /// The query text and the file it came from, if any.
    pub fn text(&self) -> anyhow::Result<(String, Option<String>)> {
        match (&self.query, &self.file) {
            (_, Some(path)) if path.as_os_str() == "-" => {
                let mut text = String::new();
                std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
                    .context("reading the query from stdin")?;
                Ok((text, Some("<stdin>".to_string())))
            }
            (_, Some(path)) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("reading {}", path.display()))?;
                Ok((text, Some(path.display().to_string())))
            }
            (Some(q), None) => Ok((q.clone(), None)),
            (None, None) => anyhow::bail!("give a query, or --file FILE"),
        }
    }

    /// The engine over `data`, with the `--lookup` and `--table` files.
    pub fn open_engine(&self, data: &[PathBuf]) -> anyhow::Result<Engine> {
        Engine::open_with_tables(data, &self.lookup, &self.tables)
            .map_err(|err| anyhow::anyhow!("opening the data: {err}"))
    }

    pub fn options(&self) -> QueryOptions {
        QueryOptions {
            dialect: self.dialect,
            now: self.now.unwrap_or_default(),
            cancel: None,
            ..Default::default()
        }
    }
}

#[derive(clap::Args, Debug)]
pub struct QueryArgs {
    #[command(flatten)]
    pub input: QueryInput,
    /// Output format.
    #[arg(long, default_value = "table", value_parser = output::parse_format)]
    pub format: Format,
    /// Print `time: <seconds>` (parse + plan + execute) on stderr.
    #[arg(long)]
    pub timing: bool,
    /// Write CSV cells as they are: do not neutralise formula-like cells
    /// (`=`, `+`, `-`, `@`, tab, CR) with a leading `'`. Alias: --no-csv-escape.
    #[arg(long, alias = "no-csv-escape")]
    pub raw_csv: bool,
    #[command(flatten)]
    pub limits: LimitArgs,
    /// Folder for chart images (SVG and PNG) when the query ends in `render`.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// Parses `--table NAME=FILE`.
pub fn parse_table(text: &str) -> Result<(String, PathBuf), String> {
    match text.split_once('=') {
        Some((name, file)) if !name.trim().is_empty() && !file.is_empty() => {
            Ok((name.trim().to_string(), PathBuf::from(file)))
        }
        _ => Err(format!(
            "`{text}` is not NAME=FILE (e.g. --table watchlist=watchlist.csv)"
        )),
    }
}

/// Parses `--dialect`.
pub fn parse_dialect(text: &str) -> Result<Dialect, String> {
    match text.to_ascii_lowercase().as_str() {
        "kql" | "kusto" => Ok(Dialect::Kql),
        "esql" | "es|ql" => Ok(Dialect::Esql),
        _ => Err(format!("unknown dialect `{text}` (expected kql or esql)")),
    }
}

pub fn run(args: QueryArgs) -> anyhow::Result<ExitCode> {
    let (text, file) = args.input.text()?;
    let data = output::data_paths(&args.input.data)?;
    let engine = args.input.open_engine(&data)?;
    let mut options = args.input.options();
    args.limits.apply(&mut options, 1);
    let result = match engine.query(&text, &options) {
        Ok(r) => r,
        Err(err) => {
            let color = output::color_on(io::stderr().is_terminal());
            eprint!(
                "{}",
                diagnostic::render(
                    &err,
                    Source {
                        name: file.as_deref(),
                        text: &text
                    },
                    color
                )
            );
            return Ok(ExitCode::from(1));
        }
    };
    // The table prints notes under itself; other formats keep stdout clean.
    if args.format != Format::Table {
        for note in &result.notes {
            eprintln!("note: {}", iishunt::render::cell::escape_control(note));
        }
    }
    if args.timing {
        eprintln!("time: {:.6}", result.elapsed.as_secs_f64());
    }
    let options = RenderOptions {
        table: output::stdout_table_options(
            "use --format csv (or json, ndjson, parquet) > FILE to save them all",
        ),
        csv: CsvOptions {
            neutralise_formulas: !args.raw_csv,
        },
        hunt: None,
    };
    let images = output::print_result(&result, args.format, &options, args.out.as_deref())?;
    for path in images {
        eprintln!("chart: {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}
