//! The `iishunt` binary: parses flags, makes one library call per subcommand,
//! renders errors (miette) and maps the outcome to the exit-code table below.
//!
//! | code | meaning |
//! | --- | --- |
//! | 0 | success |
//! | 1 | a user error (bad query, bad path), or `ingest --strict` saw rejects |
//! | 2 | `run`: at least one hunt failed |
//! | N | `run --exit-code N`: at least one hunt returned rows |
//!
//! A broken pipe (`iishunt query … | head`) counts as success.

mod demo;
mod diagnostic;
mod explain;
mod hunt;
mod ingest;
mod limits;
mod library;
mod output;
mod query;
mod repl;
mod run;
mod translate;

/// mimalloc: Arrow and Parquet allocate and free large buffers per batch;
/// glibc returns them to the kernel and page-faults them back every time.
/// Its v2 allocator (the `v2` feature), because v3 hands out fresh arena
/// pages instead of reusing the ones just freed (docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc v2's `mi_option_purge_delay` (its `mimalloc.h` option enum; the
/// -sys crate names only some options).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// How long freed memory stays mapped before mimalloc returns it to the
/// kernel. Its default, 10 ms, is shorter than one query: hash tables that
/// grow free their old arrays and the next allocations fault fresh pages
/// back in (half the CPU time of q10/q11 in the benchmark was the kernel
/// zeroing pages). A second keeps a query's memory for its whole run and
/// still gives it back when a REPL sits idle.
const PURGE_DELAY_MS: std::ffi::c_long = 1000;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "iishunt",
    version,
    about = "Threat hunting in IIS logs with KQL and ES|QL"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a week of realistic IIS logs with planted attacks, ingest, hunt, report.
    Demo(demo::DemoArgs),
    /// Turn raw IIS logs (web, FTP, HTTP.sys errors; W3C, IIS format, NCSA) into a Parquet dataset.
    Ingest(ingest::IngestArgs),
    /// Run one KQL or ES|QL query and print its result.
    Query(query::QueryArgs),
    /// Show how a query would run: plans, columns read, filters pushed down.
    Explain(explain::ExplainArgs),
    /// Run saved hunts (.kql / .esql files) in batch, with a summary.
    Run(run::RunArgs),
    /// Run the hunt library and write a report (HTML, Markdown or JSON).
    Hunt(hunt::HuntArgs),
    /// Hunt interactively: history, multi-line input, completion, Ctrl-C cancels a query.
    Repl(repl::ReplArgs),
    /// Print the SQL that runs a query on DuckDB, Spark or Trino over the same dataset.
    Translate(translate::TranslateArgs),
}

fn main() -> ExitCode {
    // Past a file-size limit the kernel sends SIGXFSZ, whose default action
    // kills the process with no message; ignored, the write fails with EFBIG
    // and the user reads "cannot write PATH: File too large".
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to SIG_IGN before any thread
    // starts has no memory-safety requirement.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
    // SAFETY: mi_option_set is not thread-safe; no other thread exists yet.
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS);
    }
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Demo(args) => demo::run(args),
        Command::Hunt(args) => hunt::run(args),
        Command::Ingest(args) => ingest::run(args),
        Command::Query(args) => query::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Run(args) => run::run(args),
        Command::Repl(args) => repl::run(args),
        Command::Translate(args) => translate::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {err:#}");
            ExitCode::from(1)
        }
    }
}

/// `iishunt query … | head` closes our stdout early: not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
