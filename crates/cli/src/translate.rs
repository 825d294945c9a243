//! `iishunt translate --to duckdb|spark|trino`: prints the SQL that runs the
//! query on that engine over the same dataset (`--ddl trino`: the tables'
//! DDL instead). One library call; errors rendered like a query's.

use std::io::{self, IsTerminal};
use std::process::ExitCode;

use std::path::PathBuf;

use iishunt::{Dialect, Engine, NowSetting, Target};

use crate::diagnostic::{self, Source};
use crate::output;
use crate::query::{parse_dialect, QueryInput};

#[derive(clap::Args, Debug)]
pub struct TranslateArgs {
    /// The SQL engine: duckdb, spark or trino.
    #[arg(long, value_parser = parse_target, required_unless_present = "ddl")]
    pub to: Option<Target>,
    /// Print the DDL that declares the dataset's tables (trino) instead of a query.
    #[arg(long, value_parser = parse_target, value_name = "trino", conflicts_with = "to")]
    pub ddl: Option<Target>,
    /// The dataset folder as the SQL engine sees it (e.g. s3://bucket/iis);
    /// default: the --data folder.
    #[arg(long, value_name = "PATH|URI")]
    pub sql_root: Option<String>,
    /// The dataset folder written by `iishunt ingest`. Default: ./iishunt-data.
    #[arg(long, value_name = "DIR")]
    pub data: Vec<PathBuf>,
    /// A CSV lookup table for `join`, `lookup`, LOOKUP JOIN and ENRICH (repeatable).
    #[arg(long, value_name = "FILE.csv")]
    pub lookup: Vec<PathBuf>,
    /// The query text (KQL or ES|QL).
    #[arg(value_name = "QUERY", conflicts_with = "file")]
    pub query: Option<String>,
    /// Read the query from a file (`-`: standard input).
    #[arg(long, short = 'f', value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// The query language; default: ES|QL when the text starts with FROM or ROW, else KQL.
    #[arg(long, value_parser = parse_dialect)]
    pub dialect: Option<Dialect>,
    /// What now() means: a UTC datetime or `latest`; default: the SQL engine's clock.
    #[arg(long, value_parser = output::parse_now, value_name = "DATETIME|latest")]
    pub now: Option<NowSetting>,
}

fn parse_target(s: &str) -> Result<Target, String> {
    Target::from_name(s).ok_or_else(|| format!("unknown target `{s}`: use duckdb, spark or trino"))
}

pub fn run(args: TranslateArgs) -> anyhow::Result<ExitCode> {
    let input = QueryInput {
        data: args.data,
        lookup: args.lookup,
        tables: Vec::new(),
        query: args.query,
        file: args.file,
        dialect: args.dialect,
        now: args.now,
    };
    let data = output::data_paths(&input.data)?;
    let engine = match Engine::open_with_lookups(&data, &input.lookup) {
        Ok(e) => e,
        Err(err) => anyhow::bail!("opening the data: {err}"),
    };
    if let Some(target) = args.ddl {
        if target != Target::Trino {
            anyhow::bail!(
                "--ddl {}: only Trino needs tables declared (DuckDB reads the files, Spark gets views in the translated SQL)",
                target.name()
            );
        }
        print!("{}", engine.trino_ddl(args.sql_root.as_deref())?);
        return Ok(ExitCode::SUCCESS);
    }
    let Some(target) = args.to else {
        anyhow::bail!("give --to duckdb|spark|trino");
    };
    let (text, file) = input.text()?;
    match engine.translate(&text, &input.options(), target, args.sql_root.as_deref()) {
        Ok(sql) => {
            print!("{}", sql.to_sql());
            Ok(ExitCode::SUCCESS)
        }
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
            Ok(ExitCode::from(1))
        }
    }
}
