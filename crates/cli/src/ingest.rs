//! `iishunt ingest PATH... --out DIR [--computer NAME] [--strict]`: flags →
//! `iishunt::ingest::ingest` → a summary on stdout (a progress bar on
//! stderr when it is a terminal).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use iishunt::ingest::{ingest, IngestOptions, IngestSummary, ProgressEvent, Table};
use indicatif::{ProgressBar, ProgressStyle};

#[derive(clap::Args)]
pub struct IngestArgs {
    /// Log files, folders (searched recursively for *.log and *.gz) or globs.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// The dataset folder to create or update.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// `Computer` for lines without s-computername (default: the per-server
    /// folder name, else this machine's host name).
    #[arg(long, value_name = "NAME")]
    computer: Option<String>,
    /// Exit with code 1 if any line was rejected.
    #[arg(long)]
    strict: bool,
}

pub fn run(args: IngestArgs) -> anyhow::Result<ExitCode> {
    let mut opts = IngestOptions::new(&args.out);
    opts.computer = args.computer.clone();
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} ingesting: {bytes} read ({bytes_per_sec}), {elapsed}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    });
    if let Some(bar) = &bar {
        let bar = bar.clone();
        opts.progress = Some(Arc::new(move |event| match event {
            ProgressEvent::Planned { files, bytes } => {
                bar.set_length(bytes);
                bar.set_message(format!("{files} files"));
                if let Ok(style) = ProgressStyle::with_template(
                    "{spinner} {msg} [{bar:24}] {bytes}/{total_bytes} {bytes_per_sec}",
                ) {
                    bar.set_style(style.progress_chars("=> "));
                }
            }
            ProgressEvent::Read(bytes) => bar.inc(bytes),
        }));
    }
    let result = ingest(&args.paths, &opts);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    // The store's messages already quote their cause: render once, not as a chain.
    let summary =
        result.map_err(|e| anyhow::anyhow!("ingest into {} failed: {e}", args.out.display()))?;
    print_summary(&summary);
    if args.strict && summary.total_rejects() > 0 {
        eprintln!("--strict: {} line(s) rejected", summary.total_rejects());
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn print_summary(s: &IngestSummary) {
    println!("dataset  {}", s.out.display());
    println!(
        "files    {} found: {} new, {} appended, {} replaced, {} unchanged",
        s.files_found, s.files_new, s.files_appended, s.files_replaced, s.files_unchanged
    );
    println!(
        "read     {} lines, {:.1} MB in {:.2} s ({:.0} MB/s)",
        thousands(s.lines),
        s.bytes_read as f64 / 1e6,
        s.elapsed.as_secs_f64(),
        s.mb_per_s()
    );
    for t in Table::all() {
        println!(
            "rows     {:<13} {}",
            t.name(),
            thousands(s.rows.get(&t).copied().unwrap_or(0))
        );
    }
    if s.nul_lines > 0 {
        println!(
            "skipped  {} NUL-padding line(s) (IIS pre-allocation)",
            thousands(s.nul_lines)
        );
    }
    if s.invalid_utf8 > 0 {
        println!(
            "kept     {} row(s) with invalid UTF-8 (bytes replaced by U+FFFD)",
            thousands(s.invalid_utf8)
        );
    }
    for path in &s.held_partial_lines {
        println!(
            "waiting  unterminated last line of {} (IIS may still be writing it; read next run)",
            path.display()
        );
    }
    for path in &s.assumed_default_fields {
        println!(
            "assumed  IIS default #Fields for {} (no #Fields header)",
            path.display()
        );
    }
    let c = &s.computer;
    let rules = [
        (c.from_field, "s-computername field"),
        (c.from_flag, "--computer"),
        (c.from_folder, "per-server folder name"),
        (c.from_host, "local host name"),
    ];
    let used: Vec<String> = rules
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{what} ({} rows)", thousands(*n)))
        .collect();
    if !used.is_empty() {
        println!("Computer {}", used.join("; "));
    }
    if s.total_rejects() == 0 {
        println!("rejects  none");
        return;
    }
    let by_reason: Vec<String> = s
        .rejects
        .iter()
        .map(|(r, n)| format!("{r} {}", thousands(*n)))
        .collect();
    println!(
        "rejects  {} ({}), written to {}",
        thousands(s.total_rejects()),
        by_reason.join(", "),
        s.out.join("_rejects").display()
    );
    for r in &s.reject_samples {
        println!("  {}:{}: {}", r.file, r.line, r.detail);
    }
}
