//! `iishunt demo`: the first thing a new user runs. Generates a realistic
//! week of IIS 10 traffic for a three-server farm with attacks planted in
//! it (`iishunt-gen`), ingests it to Parquet, runs the shipped hunt library
//! with a small threat-intel list, prints what fired and checks it against
//! the generator's truth, and writes the HTML report.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use iishunt::gen::{self, GenOptions, Truth};
use iishunt::ingest::{ingest, IngestOptions};
use iishunt::report::{Report, Severity};
use iishunt::NowSetting;

use crate::hunt::{self, HuntRun, ReportFormat};
use crate::library;

#[derive(clap::Args, Debug)]
pub struct DemoArgs {
    /// Folder for the demo's logs, dataset, hunts and report (made or replaced).
    #[arg(long, default_value = "iishunt-demo", value_name = "DIR")]
    pub out: PathBuf,
    /// Access-log lines of ordinary traffic to generate (attacks add ~2,500).
    #[arg(long, default_value_t = 300_000, value_name = "N")]
    pub lines: u64,
    /// Random seed: the same seed writes the same logs.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// A clean week: plant no attack (nothing above severity Low should fire).
    #[arg(long)]
    pub clean: bool,
}

/// Files the demo writes in its folder; anything else there means the
/// folder is not a demo folder and is left alone.
const OWNED: &[&str] = &[
    "logs",
    "dataset",
    "hunts",
    "intel.csv",
    "report.html",
    "report.md",
    "findings.json",
];

pub fn run(args: DemoArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    prepare(&args.out)?;
    let mut out = io::stdout().lock();
    let logs = args.out.join("logs");
    let options = GenOptions {
        lines: args.lines,
        seed: args.seed,
        attacks: !args.clean,
        ..GenOptions::default()
    };
    let truth = gen::generate(&logs, &options)?;
    writeln!(
        out,
        "generated {} access and {} HTTP.sys lines in {} files ({} servers, {} days from {}), {} attacks planted → {}",
        truth.access_lines,
        truth.error_lines,
        truth.files.len(),
        3,
        truth.days,
        &truth.start[..10],
        truth.attacks.len(),
        logs.display()
    )?;

    let dataset = args.out.join("dataset");
    let summary = ingest(std::slice::from_ref(&logs), &IngestOptions::new(&dataset))
        .map_err(|e| anyhow::anyhow!("ingest into {} failed: {e}", dataset.display()))?;
    writeln!(
        out,
        "ingested {} rows ({} rejected: the {} damaged lines planted) in {:.2} s → {}",
        summary.total_rows(),
        summary.total_rejects(),
        truth.malformed_lines,
        summary.elapsed.as_secs_f64(),
        dataset.display()
    )?;

    let hunts = args.out.join("hunts");
    library::write_library(&hunts)?;
    let intel = args.out.join("intel.csv");
    write_intel(&intel, &truth)?;
    let report = HuntRun {
        data: std::slice::from_ref(&dataset),
        hunts: std::slice::from_ref(&hunts),
        lookups: &[],
        intel: Some(&intel),
        now: NowSetting::Latest,
        clients_from: Severity::Medium,
        limits: Default::default(),
    }
    .report()?;
    // Files first: a closed stdout (`| head`) must not lose the report.
    let html = args.out.join("report.html");
    hunt::write_report(&report, ReportFormat::Html, &html)?;
    hunt::write_report(&report, ReportFormat::Json, &args.out.join("findings.json"))?;
    writeln!(out)?;
    hunt::print_findings(&report, &mut out)?;

    writeln!(out)?;
    let missed = check(&report, &truth, args.clean, &mut out)?;
    writeln!(out)?;
    writeln!(out, "report   {}", html.display())?;
    writeln!(out, "next     iishunt repl --data {}", dataset.display())?;
    writeln!(
        out,
        "         iishunt hunt --data {} --report report.html   (your own logs: iishunt ingest LOGDIR --out DATASET first)",
        dataset.display()
    )?;
    writeln!(out, "done in {:.1} s", started.elapsed().as_secs_f64())?;
    Ok(if missed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Makes `dir` ready: creates it, or clears what an earlier demo wrote.
fn prepare(dir: &Path) -> anyhow::Result<()> {
    if dir.exists() {
        let entries = std::fs::read_dir(dir)
            .map_err(|e| anyhow::anyhow!("reading {}: {e}", dir.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| anyhow::anyhow!("reading {}: {e}", dir.display()))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if !OWNED.contains(&name.as_str()) {
                anyhow::bail!(
                    "{} holds `{name}`, which the demo did not write: give an empty or new folder with --out",
                    dir.display()
                );
            }
        }
        for name in OWNED {
            let path = dir.join(name);
            let removed = if path.is_dir() {
                std::fs::remove_dir_all(&path)
            } else if path.exists() {
                std::fs::remove_file(&path)
            } else {
                Ok(())
            };
            removed.map_err(|e| anyhow::anyhow!("clearing {}: {e}", path.display()))?;
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| anyhow::anyhow!("creating {}: {e}", dir.display()))
}

/// A small threat-intelligence list: two of the attackers, as a feed would
/// know them, and addresses that never visit.
fn write_intel(path: &Path, truth: &Truth) -> anyhow::Result<()> {
    let mut csv = String::from("ip,threat,confidence,first_seen\n");
    for attack in truth
        .attacks
        .iter()
        .filter(|a| a.name == "brute_force" || a.name == "content_discovery")
    {
        let threat = if attack.name == "brute_force" {
            "password-spray"
        } else {
            "web-scanner"
        };
        csv.push_str(&format!("{},{threat},80,2026-02-20\n", attack.ip));
    }
    csv.push_str("192.0.2.200,botnet,60,2026-01-15\n198.51.100.23,tor-exit,50,2026-02-01\n");
    std::fs::write(path, csv).map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))
}

/// Prints, for each planted attack, the hunts meant to find it and whether
/// they did; for a clean week, that nothing above Low fired. Returns the misses.
fn check(
    report: &Report,
    truth: &Truth,
    clean: bool,
    out: &mut dyn Write,
) -> anyhow::Result<usize> {
    let mut missed = 0;
    if clean {
        let loud: Vec<&str> = report
            .fired()
            .filter(|f| f.severity > Severity::Low)
            .map(|f| f.hunt.as_str())
            .collect();
        if loud.is_empty() {
            writeln!(
                out,
                "truth    clean week: nothing above severity Low fired ✓"
            )?;
        } else {
            writeln!(
                out,
                "truth    clean week, yet fired above Low: {}",
                loud.join(", ")
            )?;
            missed += loud.len();
        }
        return Ok(missed);
    }
    writeln!(out, "truth    planted attack → the hunts meant to find it")?;
    for attack in &truth.attacks {
        let mut marks = Vec::new();
        for hunt in &attack.hunts {
            let found = report
                .findings
                .iter()
                .any(|f| &f.hunt == hunt && f.clients().iter().any(|c| c == &attack.ip));
            if !found {
                missed += 1;
            }
            marks.push(format!("{hunt} {}", if found { "✓" } else { "✗ MISSED" }));
        }
        writeln!(
            out,
            "  {:<18} {:<16} {}",
            attack.name,
            attack.ip,
            marks.join(", ")
        )?;
    }
    for notable in &truth.notables {
        writeln!(
            out,
            "  benign: {} ({}) — {}",
            notable.name, notable.ip, notable.description
        )?;
    }
    Ok(missed)
}
