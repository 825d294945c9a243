//! `iishunt run`: every saved hunt (`.kql` / `.esql`) given or found under
//! the folders given runs against one opened dataset, in parallel (rayon);
//! results go to stdout or to one file per hunt in `--out`; a summary table
//! says what fired. A failing hunt is reported with its diagnostic and the
//! others still run. Exit codes: 2 if any hunt failed, else `--exit-code N`
//! if any hunt returned rows, else 0.

pub mod hunt;
pub mod list;
pub mod summary;

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use iishunt::render::{self, CsvOptions, Format, RenderOptions, TableOptions};
use iishunt::{chart, Engine, NowSetting, QueryOptions, QueryResult};
use rayon::prelude::*;

use self::hunt::Hunt;
use self::summary::Outcome;
use crate::diagnostic::{self, Source};
use crate::limits::LimitArgs;
use crate::output;

#[derive(clap::Args, Debug)]
pub struct RunArgs {
    /// Hunt files, or folders searched (recursively, sorted) for .kql and .esql files.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
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
    #[arg(long = "table", value_name = "NAME=FILE", value_parser = crate::query::parse_table)]
    pub tables: Vec<(String, PathBuf)>,
    /// Write one result file per hunt (named after the hunt) and summary.json here.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Result format; csv and parquet need --out.
    #[arg(long, default_value = "table", value_parser = output::parse_format)]
    pub format: Format,
    /// Exit with N when any hunt returned rows (for alerting from cron / CI).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..))]
    pub exit_code: Option<u8>,
    /// What now() means: a UTC datetime, `latest` (the newest TimeGenerated in the data) or `wall`.
    #[arg(long, value_parser = output::parse_now, value_name = "DATETIME|latest")]
    pub now: Option<NowSetting>,
    /// Write CSV cells as they are: do not neutralise formula-like cells
    /// (`=`, `+`, `-`, `@`, tab, CR) with a leading `'`. Alias: --no-csv-escape.
    #[arg(long, alias = "no-csv-escape")]
    pub raw_csv: bool,
    /// Per hunt.
    #[command(flatten)]
    pub limits: LimitArgs,
    /// Hunts run at once (default: rayon's choice, one per core).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// List the hunts (title, severity, MITRE ATT&CK, description) without running them.
    #[arg(long)]
    pub list: bool,
}

/// One finished hunt: its result or its rendered diagnostic.
enum Done {
    Ok(QueryResult),
    Skipped(String),
    Err {
        rendered: String,
        code: String,
        message: String,
    },
}

pub fn run(args: RunArgs) -> anyhow::Result<ExitCode> {
    let files = hunt::discover(&args.paths)?;
    if files.is_empty() {
        anyhow::bail!("no .kql or .esql hunt files under {}", join(&args.paths));
    }
    if args.out.is_none() && matches!(args.format, Format::Csv | Format::Parquet) {
        anyhow::bail!(
            "--format {} writes one file per hunt: give --out DIR",
            args.format
        );
    }
    let hunts = hunt::load(&files)?;
    if args.list {
        return list::write_list(&hunts, &mut io::stdout().lock()).map(|()| ExitCode::SUCCESS);
    }
    let data = output::data_paths(&args.data)?;
    let mut lookups = hunt::library_lookups(&args.paths)?;
    lookups.extend(args.lookup.iter().cloned());
    let engine = match Engine::open_with_tables(&data, &lookups, &args.tables) {
        Ok(e) => e,
        Err(err) => anyhow::bail!("opening the data: {err}"),
    };
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let color_err = output::color_on(io::stderr().is_terminal());
    let now = args.now.unwrap_or_default();
    // Hunts that may run at once share the default memory limit.
    let parallel = args
        .jobs
        .unwrap_or_else(rayon::current_num_threads)
        .clamp(1, hunts.len().max(1));
    let tables: Vec<String> = engine.tables().into_iter().map(|t| t.name).collect();

    let execute = || -> Vec<Done> {
        hunts
            .par_iter()
            .map(|h| {
                if let Some(reason) = hunt::missing_requirement(h, &tables) {
                    return Done::Skipped(reason);
                }
                let mut options = QueryOptions {
                    dialect: Some(h.dialect),
                    now,
                    cancel: None,
                    ..Default::default()
                };
                args.limits.apply(&mut options, parallel);
                match engine.query(&h.text, &options) {
                    Ok(result) => Done::Ok(result),
                    Err(err) => {
                        let name = h.path.display().to_string();
                        Done::Err {
                            rendered: diagnostic::render(
                                &err,
                                Source {
                                    name: Some(&name),
                                    text: &h.text,
                                },
                                color_err,
                            ),
                            code: err.code().to_string(),
                            message: err.to_string(),
                        }
                    }
                }
            })
            .collect()
    };
    let done = match args.jobs {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build()?
            .install(execute),
        None => execute(),
    };

    // Results in hunt order, so every run prints the same bytes.
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let to_stdout_data = args.out.is_none() && args.format != Format::Table;
    let mut outcomes = Vec::with_capacity(hunts.len());
    if to_stdout_data && args.format == Format::Json {
        out.write_all(b"[\n")?;
    }
    let mut first_json = true;
    for (h, d) in hunts.iter().zip(done) {
        match d {
            Done::Skipped(reason) => outcomes.push(Outcome::Skipped { reason }),
            Done::Err {
                rendered,
                code,
                message,
            } => {
                out.flush()?;
                eprintln!("hunt {} failed:", h.name);
                eprint!("{rendered}");
                outcomes.push(Outcome::Failed { code, message });
            }
            Done::Ok(result) => {
                let rows = result.row_count();
                let options = RenderOptions {
                    table: TableOptions::default(),
                    csv: CsvOptions {
                        neutralise_formulas: !args.raw_csv,
                    },
                    hunt: Some(h.meta.to_json(&h.name, &h.path)),
                };
                let output = match &args.out {
                    Some(dir) => Some(write_hunt_file(h, &result, args.format, &options, dir)?),
                    None => {
                        if args.format == Format::Json {
                            if !first_json {
                                out.write_all(b",\n")?;
                            }
                            first_json = false;
                        }
                        print_hunt(h, &result, args.format, &options, &mut out)?;
                        None
                    }
                };
                outcomes.push(Outcome::Ran {
                    rows,
                    elapsed: result.elapsed,
                    output,
                });
            }
        }
    }
    if to_stdout_data && args.format == Format::Json {
        out.write_all(b"]\n")?;
    }
    out.flush()?;
    drop(out);

    if let Some(dir) = &args.out {
        let path = dir.join("summary.json");
        let json = serde_json::to_string_pretty(&summary::summary_json(&hunts, &outcomes))?;
        std::fs::write(&path, json + "\n")
            .with_context(|| format!("writing {}", path.display()))?;
    }
    // The summary goes where it does not mix with data on stdout.
    if to_stdout_data {
        summary::write_summary(
            &hunts,
            &outcomes,
            color_err,
            output::terminal_width(),
            &mut io::stderr(),
        )?;
    } else {
        let color = output::color_on(io::stdout().is_terminal());
        summary::write_summary(
            &hunts,
            &outcomes,
            color,
            output::terminal_width(),
            &mut io::stdout(),
        )?;
    }

    let failed = outcomes.iter().any(|o| matches!(o, Outcome::Failed { .. }));
    let fired = outcomes
        .iter()
        .any(|o| matches!(o, Outcome::Ran { rows, .. } if *rows > 0));
    Ok(match (failed, fired, args.exit_code) {
        (true, _, _) => ExitCode::from(2),
        (false, true, Some(n)) => ExitCode::from(n),
        _ => ExitCode::SUCCESS,
    })
}

/// Writes one hunt's result to `DIR/<name>.<ext>` (and its chart images);
/// returns the file name.
fn write_hunt_file(
    h: &Hunt,
    result: &QueryResult,
    format: Format,
    options: &RenderOptions,
    dir: &Path,
) -> anyhow::Result<String> {
    let path = dir.join(format!("{}.{}", h.name, format.extension()));
    output::write_file(result, format, options, &path)?;
    if let Some(spec) = &result.render {
        chart::write_images(result, spec, dir, &h.name)?;
    }
    Ok(path.display().to_string())
}

/// A hunt's result on stdout: a heading and a table for people, or rows for
/// pipes (NDJSON rows carry the hunt name).
fn print_hunt(
    h: &Hunt,
    result: &QueryResult,
    format: Format,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    match format {
        Format::Table => {
            if result.row_count() == 0 {
                return Ok(());
            }
            let title = h
                .meta
                .title
                .as_deref()
                .map(|t| format!(": {t}"))
                .unwrap_or_default();
            let heading = format!("── {}{}", h.name, title);
            writeln!(out, "{}", render::cell::escape_control(&heading))?;
            let mut options = options.clone();
            options.table = output::stdout_table_options(&format!(
                "use --out DIR --format csv to save all rows of {}",
                h.name
            ));
            render::write(result, Format::Table, &options, &mut *out)?;
            if let Some(spec) = &result.render {
                let width = options.table.width.unwrap_or(80).min(120);
                write!(out, "{}", chart::text::draw(result, spec, width))?;
            }
            writeln!(out)?;
        }
        other => render::write(result, other, options, &mut *out)?,
    }
    Ok(())
}

fn join(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
