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

mod ingest;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "iishunt", version, about = "Threat hunting in IIS logs with KQL and ES|QL")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Turn raw IIS W3C / HTTPERR logs into a Parquet dataset.
    Ingest(ingest::IngestArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Ingest(args) => ingest::run(args),
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
