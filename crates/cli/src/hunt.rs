//! `iishunt hunt --data DIR [--report FILE] [--intel FILE]`: runs the hunt
//! library (the shipped one unless `--hunts` names others), profiles the
//! clients the serious findings name, prints what fired, and writes the
//! report — one self-contained HTML page, or Markdown / JSON.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use comfy_table::{presets, Cell, ContentArrangement, Table};
use iishunt::render::cell::escape_control;
use iishunt::render::table::cut;
use iishunt::report::{self, HuntSpec, Outcome, Report, ReportOptions, Severity};
use iishunt::{Engine, NowSetting, QueryOptions};

use crate::library;
use crate::limits::LimitArgs;
use crate::output;
use crate::run::hunt::{self as hunt_file, Hunt};

#[derive(clap::Args, Debug)]
pub struct HuntArgs {
    /// Dataset folder written by `iishunt ingest`, or raw .log files / folders
    /// (repeatable). Default: ./iishunt-data when it exists.
    #[arg(long, value_name = "PATH")]
    pub data: Vec<PathBuf>,
    /// Hunt files or folders to run instead of the shipped library (repeatable).
    #[arg(long, value_name = "PATH")]
    pub hunts: Vec<PathBuf>,
    /// Write the report here (.html, .md or .json; the extension picks the format
    /// unless --format is given).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Report format: html, md or json.
    #[arg(long, value_parser = parse_report_format)]
    pub format: Option<ReportFormat>,
    /// A threat-intelligence list (CSV with an `ip` column), queried as `threat_intel`.
    #[arg(long, value_name = "FILE.csv")]
    pub intel: Option<PathBuf>,
    /// A CSV lookup table for the hunts (repeatable).
    #[arg(long, value_name = "FILE.csv")]
    pub lookup: Vec<PathBuf>,
    /// What now() means: a UTC datetime, `latest` (the default here) or `wall`.
    #[arg(long, value_parser = output::parse_now, value_name = "DATETIME|latest")]
    pub now: Option<NowSetting>,
    /// Profile the clients named by findings of this severity or above.
    #[arg(long, default_value = "medium", value_parser = parse_severity)]
    pub clients_from: Severity,
    /// Exit with N when any hunt of severity Medium or above fired.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..))]
    pub exit_code: Option<u8>,
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// The report's file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Html,
    Markdown,
    Json,
}

fn parse_report_format(text: &str) -> Result<ReportFormat, String> {
    match text.to_ascii_lowercase().as_str() {
        "html" | "htm" => Ok(ReportFormat::Html),
        "md" | "markdown" => Ok(ReportFormat::Markdown),
        "json" => Ok(ReportFormat::Json),
        other => Err(format!(
            "unknown report format `{other}`: use html, md or json"
        )),
    }
}

fn parse_severity(text: &str) -> Result<Severity, String> {
    let s = Severity::parse(Some(text));
    if s == Severity::Informational && !text.to_ascii_lowercase().starts_with("info") {
        return Err(format!(
            "unknown severity `{text}`: use informational, low, medium, high or critical"
        ));
    }
    Ok(s)
}

impl ReportFormat {
    fn for_path(path: &Path) -> ReportFormat {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .as_deref()
        {
            Some("md" | "markdown") => ReportFormat::Markdown,
            Some("json") => ReportFormat::Json,
            _ => ReportFormat::Html,
        }
    }
}

pub fn run(args: HuntArgs) -> anyhow::Result<ExitCode> {
    let data = output::data_paths(&args.data)?;
    let shipped = args
        .hunts
        .is_empty()
        .then(ShippedLibrary::write)
        .transpose()?;
    let hunt_paths = match &shipped {
        Some(lib) => vec![lib.dir.clone()],
        None => args.hunts.clone(),
    };
    let options = HuntRun {
        data: &data,
        hunts: &hunt_paths,
        lookups: &args.lookup,
        intel: args.intel.as_deref(),
        now: args.now.unwrap_or(NowSetting::Latest),
        clients_from: args.clients_from,
        limits: args.limits.clone(),
    };
    let report = options.report()?;
    // The file first: a closed stdout (`| head`) must not lose the report.
    if let Some(path) = &args.report {
        let format = args.format.unwrap_or_else(|| ReportFormat::for_path(path));
        write_report(&report, format, path)?;
    }
    let mut out = io::stdout().lock();
    print_findings(&report, &mut out)?;
    if let Some(path) = &args.report {
        writeln!(out, "report   {}", path.display())?;
    }
    let serious = report.fired().any(|f| f.severity >= Severity::Medium);
    Ok(match (serious, args.exit_code) {
        (true, Some(n)) => ExitCode::from(n),
        _ => ExitCode::SUCCESS,
    })
}

/// One run of a hunt library over some data.
pub struct HuntRun<'a> {
    pub data: &'a [PathBuf],
    pub hunts: &'a [PathBuf],
    pub lookups: &'a [PathBuf],
    pub intel: Option<&'a Path>,
    pub now: NowSetting,
    pub clients_from: Severity,
    /// `--memory-limit` / `--timeout`, per hunt and per client profile.
    pub limits: LimitArgs,
}

impl HuntRun<'_> {
    /// Opens the data with the library's lookups, runs every hunt, profiles the suspects.
    pub fn report(&self) -> anyhow::Result<Report> {
        let files = hunt_file::discover(self.hunts)?;
        if files.is_empty() {
            anyhow::bail!("no .kql or .esql hunt files under the --hunts paths");
        }
        let hunts = hunt_file::load(&files)?;
        let mut lookups = hunt_file::library_lookups(self.hunts)?;
        lookups.extend(self.lookups.iter().cloned());
        let mut engine = Engine::open_with_lookups(self.data, &lookups)
            .map_err(|e| anyhow::anyhow!("opening the data: {e}"))?;
        if let Some(intel) = self.intel {
            engine
                .add_lookup_named(intel, Some("threat_intel"))
                .map_err(|e| anyhow::anyhow!("--intel: {e}"))?;
        }
        let specs: Vec<HuntSpec> = hunts.iter().map(spec).collect();
        let mut query = QueryOptions {
            now: self.now,
            ..Default::default()
        };
        // Hunts run in parallel, as in `run`: they share the default limit.
        let parallel = rayon::current_num_threads().clamp(1, specs.len().max(1));
        self.limits.apply(&mut query, parallel);
        let options = ReportOptions {
            query,
            profile_from: self.clients_from,
            max_clients: 25,
            data: self
                .data
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
        };
        Ok(report::build_report(&engine, &specs, &options))
    }
}

fn spec(h: &Hunt) -> HuntSpec {
    HuntSpec {
        name: h.name.clone(),
        title: h.meta.title.clone().unwrap_or_else(|| h.name.clone()),
        description: h.meta.description.clone().unwrap_or_default(),
        severity: Severity::parse(h.meta.severity.as_deref()),
        mitre: h
            .meta
            .mitre
            .as_deref()
            .map(|m| {
                m.split(',')
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty())
                    .collect()
            })
            .unwrap_or_default(),
        threshold: h.meta.threshold.clone(),
        false_positives: h.meta.false_positives().map(str::to_string),
        query: h.text.clone(),
        dialect: h.dialect,
        requires: h.meta.requires(),
    }
}

/// The shipped library written to a temporary folder for one run.
struct ShippedLibrary {
    dir: PathBuf,
}

impl ShippedLibrary {
    fn write() -> anyhow::Result<ShippedLibrary> {
        let dir = std::env::temp_dir().join(format!("iishunt-library-{}", std::process::id()));
        library::write_library(&dir)?;
        Ok(ShippedLibrary { dir })
    }
}

impl Drop for ShippedLibrary {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Writes the report file.
pub fn write_report(report: &Report, format: ReportFormat, path: &Path) -> anyhow::Result<()> {
    let text = match format {
        ReportFormat::Html => report::write_html(report),
        ReportFormat::Markdown => report::write_markdown(report),
        ReportFormat::Json => serde_json::to_string_pretty(report)? + "\n",
    };
    std::fs::write(path, text).map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))
}

/// What fired, most severe first: a table of hunts, then the top rows of each.
pub fn print_findings(report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
    let width = output::terminal_width().unwrap_or(120).clamp(60, 160);
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width as u16)
        .set_header(["severity", "hunt", "rows", "clients"]);
    let fired: Vec<_> = report.fired().collect();
    for f in &fired {
        let clients = f.clients();
        let mut shown: Vec<String> = clients
            .iter()
            .take(3)
            .map(|c| escape_control(c).into_owned())
            .collect();
        if clients.len() > 3 {
            shown.push(format!("+{}", clients.len() - 3));
        }
        table.add_row(vec![
            Cell::new(f.severity.name()),
            Cell::new(format!("{}\n{}", f.hunt, escape_control(&f.title))),
            Cell::new(f.rows()),
            Cell::new(shown.join(" ")),
        ]);
    }
    let failed: Vec<_> = report
        .findings
        .iter()
        .filter_map(|f| match &f.outcome {
            Outcome::Failed { message } => Some((f.hunt.as_str(), message.as_str())),
            _ => None,
        })
        .collect();
    let skipped = report
        .findings
        .iter()
        .filter(|f| matches!(f.outcome, Outcome::Skipped { .. }))
        .count();
    if fired.is_empty() {
        writeln!(out, "no hunt fired")?;
    } else {
        writeln!(out, "{table}")?;
    }
    for f in fired.iter().filter(|f| f.severity >= Severity::Medium) {
        if let Outcome::Fired {
            columns,
            sample,
            rows,
            ..
        } = &f.outcome
        {
            writeln!(out, "── {} [{}] {rows} row(s)", f.hunt, f.severity.name())?;
            for row in sample.iter().take(3) {
                let cells: Vec<String> = columns
                    .iter()
                    .zip(row)
                    .take(6)
                    .map(|(c, v)| format!("{c}={}", cut(&escape_control(v), 40)))
                    .collect();
                writeln!(
                    out,
                    "   {}",
                    cut(&cells.join("  "), width.saturating_sub(3))
                )?;
            }
        }
    }
    for (hunt, message) in &failed {
        writeln!(out, "failed   {hunt}: {}", escape_control(message))?;
    }
    writeln!(
        out,
        "hunts    {} ran: {} fired, {} failed, {} skipped; {} suspicious client(s) profiled",
        report.findings.len(),
        fired.len(),
        failed.len(),
        skipped,
        report.clients.len()
    )?;
    Ok(())
}
