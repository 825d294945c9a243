//! `iishunt repl`: interactive hunting. rustyline gives history (kept in the
//! XDG state dir), emacs or vi keys, Ctrl-R search and hints; this module
//! runs the session: multi-line input with a continuation prompt
//! ([`validate`]), dot-commands ([`commands`]), completion ([`complete`]),
//! results as fitted tables, and Ctrl-C that cancels the running query
//! through the engine's cancel flag while the session goes on.

pub mod commands;
pub mod complete;
pub mod helper;
pub mod validate;

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use iishunt::render::{self, CsvOptions, Format, RenderOptions};
use iishunt::{Dialect, Engine, NowSetting, QueryOptions, TableInfo};
use rustyline::config::{CompletionType, EditMode};
use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{Config, Editor};

use self::commands::Command;
use self::complete::Vocabulary;
use self::helper::HuntHelper;
use crate::diagnostic::{self, Source};
use crate::limits::LimitArgs;
use crate::output;
use crate::query::parse_dialect;

#[derive(clap::Args, Debug)]
pub struct ReplArgs {
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
    /// What now() means: a UTC datetime, `latest` (the newest TimeGenerated in the data) or `wall`.
    #[arg(long, value_parser = output::parse_now, value_name = "DATETIME|latest")]
    pub now: Option<NowSetting>,
    /// Start in this dialect (default: detect from each query).
    #[arg(long, value_parser = parse_dialect)]
    pub dialect: Option<Dialect>,
    /// vi key bindings (default emacs; also IISHUNT_EDIT_MODE=vi).
    #[arg(long)]
    pub vi: bool,
    /// Folder for chart images (SVG, PNG) of queries ending in `render`.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub limits: LimitArgs,
    /// Keep at most N rows of a result (the rest are cut, with a note saying
    /// how many); a session holds its results in memory.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_ROWS)]
    pub max_rows: usize,
}

/// Default for `--max-rows`.
pub const DEFAULT_MAX_ROWS: usize = 1_000_000;

/// The session's settings, changed by dot-commands.
struct Session {
    engine: Engine,
    dialect: Option<Dialect>,
    format: Format,
    timing: bool,
    now: NowSetting,
    /// `.output FILE`: where the next result goes.
    output: Option<PathBuf>,
    chart_dir: Option<PathBuf>,
    /// Set by Ctrl-C while a query runs.
    cancel: Arc<AtomicBool>,
    /// True while a query runs (Ctrl-C then cancels instead of being ignored).
    running: Arc<AtomicBool>,
    limits: LimitArgs,
    max_rows: usize,
}

/// The history file: `$IISHUNT_HISTORY`, else `$XDG_STATE_HOME/iishunt/history`,
/// else `~/.local/state/iishunt/history`.
pub fn history_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("IISHUNT_HISTORY") {
        return Some(PathBuf::from(p));
    }
    let state = std::env::var_os("XDG_STATE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local").join("state"))
        })?;
    Some(state.join("iishunt").join("history"))
}

pub fn run(args: ReplArgs) -> anyhow::Result<ExitCode> {
    let data = output::data_paths(&args.data)?;
    let engine = match Engine::open_with_tables(&data, &args.lookup, &args.tables) {
        Ok(e) => e,
        Err(err) => anyhow::bail!("opening the data: {err}"),
    };
    let color = output::color_on(io::stdout().is_terminal());
    let vocab = vocabulary(&engine);
    let vi =
        args.vi || std::env::var("IISHUNT_EDIT_MODE").is_ok_and(|m| m.eq_ignore_ascii_case("vi"));
    let config = Config::builder()
        .history_ignore_space(true)
        .history_ignore_dups(true)?
        .auto_add_history(false)
        .max_history_size(10_000)?
        .completion_type(CompletionType::List)
        .edit_mode(if vi { EditMode::Vi } else { EditMode::Emacs })
        .build();
    let mut rl: Editor<HuntHelper, DefaultHistory> = Editor::with_config(config)?;
    rl.set_helper(Some(HuntHelper::new(vocab, args.dialect, color)));
    let history = history_path();
    if let Some(path) = &history {
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = rl.load_history(path);
    }

    let mut session = Session {
        engine,
        dialect: args.dialect,
        format: Format::Table,
        timing: false,
        now: args.now.unwrap_or_default(),
        output: None,
        chart_dir: args.out,
        cancel: Arc::new(AtomicBool::new(false)),
        running: Arc::new(AtomicBool::new(false)),
        limits: args.limits,
        max_rows: args.max_rows,
    };
    install_ctrlc(&session);

    let tables = session.engine.tables();
    println!(
        "iishunt {} — {} table(s): {}. Type .help for help, Ctrl-D to quit.",
        env!("CARGO_PKG_VERSION"),
        tables.len(),
        tables
            .iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );

    let mut pending = String::new();
    loop {
        let prompt = prompt(&session, !pending.is_empty());
        if let Some(h) = rl.helper() {
            *h.pending.borrow_mut() = pending.clone();
            h.dialect.set(session.dialect);
        }
        match rl.readline(&prompt) {
            Ok(line) => {
                if pending.is_empty() && line.trim_start().starts_with('.') {
                    let _ = rl.add_history_entry(line.trim());
                    save_history(&mut rl, history.as_deref());
                    match commands::parse(&line) {
                        Ok(Command::Quit) => break,
                        Ok(cmd) => session.command(cmd),
                        Err(msg) => eprintln!("{msg}"),
                    }
                    continue;
                }
                // An empty line runs what is pending, complete or not (the
                // parser then says what is missing).
                let submit = line.trim().is_empty();
                if !submit {
                    if !pending.is_empty() {
                        pending.push('\n');
                    }
                    pending.push_str(&line);
                }
                if pending.trim().is_empty() {
                    pending.clear();
                    continue;
                }
                if !submit && !validate::is_complete(&pending) {
                    continue;
                }
                let text = std::mem::take(&mut pending);
                let _ = rl.add_history_entry(text.trim());
                save_history(&mut rl, history.as_deref());
                session.run_query(&text, None);
            }
            Err(ReadlineError::Interrupted) => {
                // Ctrl-C at the prompt: drop what was typed, stay.
                pending.clear();
            }
            Err(ReadlineError::Eof) => {
                // End of piped input with a query still pending: run it.
                if !pending.trim().is_empty() {
                    let _ = rl.add_history_entry(pending.trim());
                    session.run_query(&pending, None);
                }
                break;
            }
            Err(err) => {
                eprintln!("error reading input: {err}");
                break;
            }
        }
    }
    save_history(&mut rl, history.as_deref());
    Ok(ExitCode::SUCCESS)
}

fn save_history(rl: &mut Editor<HuntHelper, DefaultHistory>, path: Option<&Path>) {
    if let Some(path) = path {
        let _ = rl.save_history(path);
    }
}

fn prompt(session: &Session, continuation: bool) -> String {
    let name = match session.dialect {
        Some(Dialect::Esql) => "esql",
        Some(Dialect::Kql) => "kql",
        None => "iishunt",
    };
    if continuation {
        format!("{}> ", ".".repeat(name.len()))
    } else {
        format!("{name}> ")
    }
}

/// Ctrl-C while a query runs sets its cancel flag; a second Ctrl-C while
/// the same query still runs leaves the program (exit 130).
fn install_ctrlc(session: &Session) {
    let cancel = session.cancel.clone();
    let running = session.running.clone();
    let result = ctrlc::set_handler(move || {
        if running.load(Ordering::SeqCst) {
            if cancel.swap(true, Ordering::SeqCst) {
                eprintln!("\nquitting");
                std::process::exit(130);
            }
            eprintln!("\ncancelling… (Ctrl-C again to quit)");
        }
    });
    if let Err(err) = result {
        eprintln!("warning: Ctrl-C will not cancel queries: {err}");
    }
}

/// Tables and columns from the engine; the rest of its completion words as
/// functions and keywords.
fn vocabulary(engine: &Engine) -> Vocabulary {
    let tables: Vec<(String, Vec<String>)> = engine
        .tables()
        .into_iter()
        .map(|t| (t.name, t.columns.into_iter().map(|(c, _)| c).collect()))
        .collect();
    let known: std::collections::HashSet<&str> = tables
        .iter()
        .flat_map(|(t, cols)| std::iter::once(t.as_str()).chain(cols.iter().map(String::as_str)))
        .collect();
    let words = engine
        .completion_words()
        .into_iter()
        .filter(|w| !known.contains(w.as_str()))
        .collect();
    // ES|QL sees the same tables under ECS names; the catalog lists them.
    let esql_fields = iishunt_plan::catalog::ecs::EcsSource::ALL
        .iter()
        .flat_map(|src| {
            iishunt_plan::catalog::ecs::fields(*src)
                .iter()
                .map(|f| f.name.to_string())
        })
        .collect();
    let mut v = Vocabulary {
        tables,
        words,
        esql_fields,
    };
    v.words.sort();
    v.words.dedup();
    v
}

impl Session {
    fn command(&mut self, cmd: Command) {
        match cmd {
            Command::Help => println!("{}", commands::HELP),
            Command::Tables => {
                for t in self.engine.tables() {
                    println!("{}", describe_table(&t));
                }
            }
            Command::Schema(name) => {
                let tables = self.engine.tables();
                let chosen: Vec<&TableInfo> = match &name {
                    Some(n) => tables
                        .iter()
                        .filter(|t| t.name.eq_ignore_ascii_case(n))
                        .collect(),
                    None => tables.iter().collect(),
                };
                if chosen.is_empty() {
                    let names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
                    eprintln!(
                        "no table `{}`; tables: {}",
                        name.unwrap_or_default(),
                        names.join(", ")
                    );
                }
                for t in chosen {
                    println!("{}", describe_table(t));
                    let width = t.columns.iter().map(|(c, _)| c.len()).max().unwrap_or(0);
                    for (c, ty) in &t.columns {
                        println!("  {c:<width$}  {}", ty.name());
                    }
                }
            }
            Command::Dialect(arg) => match arg.as_deref() {
                None => println!("dialect: {}", self.dialect.map_or("auto", dialect_name)),
                Some(a) if a.eq_ignore_ascii_case("auto") => self.dialect = None,
                Some(a) => match parse_dialect(a) {
                    Ok(d) => self.dialect = Some(d),
                    Err(e) => eprintln!("{e}"),
                },
            },
            Command::Format(arg) => match arg.as_deref().map(str::parse::<Format>) {
                None => println!("format: {}", self.format),
                Some(Ok(Format::Parquet)) => {
                    eprintln!("parquet is binary: use .output FILE.parquet")
                }
                Some(Ok(f)) => self.format = f,
                Some(Err(e)) => eprintln!("{e}"),
            },
            Command::Timing(arg) => match arg.as_deref().map(str::to_ascii_lowercase).as_deref() {
                None => println!("timing: {}", if self.timing { "on" } else { "off" }),
                Some("on") => self.timing = true,
                Some("off") => self.timing = false,
                Some(other) => eprintln!("`.timing {other}`: use on or off"),
            },
            Command::Now(arg) => match arg {
                None => println!("now: {}", describe_now(self.now)),
                Some(a) => match output::parse_now(&a) {
                    Ok(n) => {
                        self.now = n;
                        println!("now: {}", describe_now(n));
                    }
                    Err(e) => eprintln!("{e}"),
                },
            },
            Command::Output(path) => {
                match &path {
                    Some(p) => println!("the next result goes to {}", p.display()),
                    None => println!("results go to the terminal"),
                }
                self.output = path;
            }
            Command::Read(path) => match std::fs::read_to_string(&path) {
                Ok(text) => {
                    let name = path.display().to_string();
                    self.run_query(&text, Some(&name));
                }
                Err(e) => eprintln!("reading {}: {e}", path.display()),
            },
            Command::Quit => {}
        }
    }

    /// Runs one query; errors are shown and the session goes on.
    fn run_query(&mut self, text: &str, file: Option<&str>) {
        self.cancel.store(false, Ordering::SeqCst);
        self.running.store(true, Ordering::SeqCst);
        let mut options = QueryOptions {
            dialect: self.dialect,
            now: self.now,
            cancel: Some(self.cancel.clone()),
            max_rows: Some(self.max_rows),
            ..Default::default()
        };
        self.limits.apply(&mut options, 1);
        let outcome = self.engine.query(text, &options);
        self.running.store(false, Ordering::SeqCst);
        let cancelled = self.cancel.swap(false, Ordering::SeqCst);
        let result = match outcome {
            Ok(r) => r,
            Err(err) => {
                if cancelled {
                    eprintln!("query cancelled");
                } else {
                    let color = output::color_on(io::stderr().is_terminal());
                    eprint!(
                        "{}",
                        diagnostic::render(&err, Source { name: file, text }, color)
                    );
                }
                return;
            }
        };
        if let Some(path) = self.output.take() {
            let format = output::format_for_path(&path).unwrap_or(self.format);
            let options = RenderOptions {
                csv: CsvOptions::default(),
                ..RenderOptions::default()
            };
            for note in &result.notes {
                eprintln!("note: {}", render::cell::escape_control(note));
            }
            match output::write_file(&result, format, &options, &path) {
                Ok(()) => println!(
                    "{} rows written to {} ({format}) in {:.3} s",
                    result.row_count(),
                    path.display(),
                    result.elapsed.as_secs_f64()
                ),
                Err(e) => eprintln!("error: {e:#}"),
            }
        } else {
            let options = RenderOptions {
                table: output::stdout_table_options(
                    "use .output FILE (e.g. .output hits.csv) to save them all",
                ),
                csv: CsvOptions::default(),
                hunt: None,
            };
            match output::print_result(&result, self.format, &options, self.chart_dir.as_deref()) {
                Ok(images) => {
                    for p in images {
                        println!("chart: {}", p.display());
                    }
                }
                Err(e) => eprintln!("error: {e:#}"),
            }
        }
        if self.timing {
            println!("time: {:.6}", result.elapsed.as_secs_f64());
        }
        let _ = io::stdout().flush();
    }
}

fn dialect_name(d: Dialect) -> &'static str {
    match d {
        Dialect::Kql => "kql",
        Dialect::Esql => "esql",
    }
}

fn describe_now(now: NowSetting) -> String {
    match now {
        NowSetting::Wall => "the wall clock".into(),
        NowSetting::Latest => "the newest TimeGenerated in the data".into(),
        NowSetting::Fixed(us) => render::cell::format_datetime(us),
    }
}

fn describe_table(t: &TableInfo) -> String {
    let range = t
        .time_range
        .map(|(a, b)| {
            format!(
                ", {} → {}",
                render::cell::format_datetime(a),
                render::cell::format_datetime(b)
            )
        })
        .unwrap_or_default();
    format!(
        "{} ({} rows, {} columns{range})",
        t.name,
        t.rows,
        t.columns.len()
    )
}
