//! `iishunt ingest`: flags → `iishunt::ingest` → summary on the terminal.

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct IngestArgs {}

pub fn run(_args: IngestArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("ingest is being built")
}
