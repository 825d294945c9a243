//! `iishunt ingest PATH... --out DIR [--computer NAME] [--utc-offset ±HH:MM]
//! [--strict]`: flags →
//! `iishunt::ingest::ingest` → a summary on stdout (a progress bar on
//! stderr when it is a terminal).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use iishunt::ingest::{ingest, IngestOptions, IngestSummary, LogKind, ProgressEvent, Table};
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
    /// The servers' offset from UTC (`+01:00`, `-05:00`), for files in the
    /// IIS log format, which record local time (default: they are read as UTC).
    #[arg(long, value_name = "±HH:MM", value_parser = parse_offset, allow_hyphen_values = true)]
    utc_offset: Option<i32>,
    /// Exit with code 1 if any line was rejected or any file skipped.
    #[arg(long)]
    strict: bool,
}

/// `+01:00`, `-05:30`, `+0100`, `Z` → minutes east of UTC.
fn parse_offset(text: &str) -> Result<i32, String> {
    let bad = || format!("{text:?} is not a UTC offset; write it as +01:00 or -05:30");
    if text.eq_ignore_ascii_case("z") {
        return Ok(0);
    }
    let (sign, rest) = match text.as_bytes().first() {
        Some(b'+') => (1, &text[1..]),
        Some(b'-') => (-1, &text[1..]),
        _ => return Err(bad()),
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) || rest.len() > 5 {
        return Err(bad());
    }
    let (h, m): (i32, i32) = (
        digits[..2].parse().map_err(|_| bad())?,
        digits[2..].parse().map_err(|_| bad())?,
    );
    if h > 14 || m > 59 {
        return Err(bad());
    }
    Ok(sign * (h * 60 + m))
}

pub fn run(args: IngestArgs) -> anyhow::Result<ExitCode> {
    let mut opts = IngestOptions::new(&args.out);
    opts.computer = args.computer.clone();
    opts.reader.local_offset_minutes = args.utc_offset.unwrap_or(0);
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
    print_summary(&summary, args.utc_offset);
    let (rejected, skipped) = (summary.total_rejects(), summary.skipped.len());
    if args.strict && (rejected > 0 || skipped > 0) {
        eprintln!("--strict: {rejected} line(s) rejected, {skipped} file(s) skipped");
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

/// `+01:00` for 60 minutes.
fn show_offset(minutes: i32) -> String {
    let sign = if minutes < 0 { '-' } else { '+' };
    let m = minutes.unsigned_abs();
    format!("{sign}{:02}:{:02}", m / 60, m % 60)
}

/// What was done with the files of `kind`.
fn fate(kind: Option<LogKind>, offset: Option<i32>) -> String {
    match kind {
        None => "nothing to read (empty)".to_string(),
        Some(k) => match k.table() {
            Some(t) if k == LogKind::IisFormat => format!(
                "→ {} (local times read as UTC{}{})",
                t.name(),
                show_offset(offset.unwrap_or(0)),
                if offset.is_none() {
                    "; set --utc-offset"
                } else {
                    ""
                }
            ),
            Some(t) => format!("→ {}", t.name()),
            None => format!("skipped: {}", k.skip_reason()),
        },
    }
}

fn print_summary(s: &IngestSummary, offset: Option<i32>) {
    println!("dataset  {}", s.out.display());
    println!(
        "files    {} found: {} new, {} appended, {} replaced, {} unchanged",
        s.files_found, s.files_new, s.files_appended, s.files_replaced, s.files_unchanged
    );
    for (i, (kind, n)) in s.kinds.iter().enumerate() {
        let name = kind.map_or("empty file", LogKind::name);
        println!(
            "{} {n:>5} {name:<21} {}",
            if i == 0 { "kinds   " } else { "        " },
            fate(*kind, offset)
        );
    }
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
    if !s.skipped.is_empty() {
        println!("skipped  {} file(s), not an error:", s.skipped.len());
        for f in &s.skipped {
            println!("  {}: {} ({})", f.path.display(), f.kind, f.detail);
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_offsets_parse_and_print() {
        assert_eq!(parse_offset("+01:00"), Ok(60));
        assert_eq!(parse_offset("-05:30"), Ok(-330));
        assert_eq!(parse_offset("+0100"), Ok(60));
        assert_eq!(parse_offset("Z"), Ok(0));
        for bad in ["01:00", "+1:00", "+25:00", "+01:60", "+01:00:00", "east"] {
            let err = parse_offset(bad).unwrap_err();
            assert!(err.contains("+01:00"), "{bad}: {err}");
        }
        assert_eq!(show_offset(-330), "-05:30");
        assert_eq!(show_offset(0), "+00:00");
    }
}
