//! `ingest`: raw logs in, a Parquet dataset out — the orchestration.
//!
//! 1. [`inputs::discover`] lists the files; the manifest plans each one
//!    (new, appended tail, replaced, unchanged).
//! 2. Files are read in parallel on rayon, each streamed chunk by chunk by
//!    `iishunt-w3c` (memory is bounded by one batch per file-day being
//!    written, whatever the file size) into a [`TableWriter`] and a
//!    [`RejectSink`] inside the staging folder.
//! 3. If every file succeeded, [`Staging::publish`] moves the results into
//!    place and commits the manifest; otherwise nothing changes. A file of
//!    a kind no table takes (firewall, SMTP, a non-log found in a folder)
//!    is not a failure: it is skipped, named with its kind in the summary,
//!    and recorded so the next run does not report it again until it
//!    changes. A non-log file named on the command line is a failure.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use arrow::array::RecordBatch;
use iishunt_w3c::{
    FileContext, FileStats, LogKind, LogReader, ReadError, ReaderOptions, ResumeState, Table,
};
use rayon::prelude::*;

use crate::error::StoreError;
use crate::inputs::{self, ComputerRule, InputFile};
use crate::manifest::{fingerprints, fnv_hex, Manifest, Plan, SourceEntry};
use crate::publish::{self, Staging};
use crate::rejects::RejectSink;
use crate::writer::TableWriter;

/// What a progress callback hears.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProgressEvent {
    /// Once, before reading: how much there is to read.
    Planned {
        /// Files to read (new, appended or replaced).
        files: usize,
        /// Bytes to read (whole files, or their appended tails).
        bytes: u64,
    },
    /// Source bytes just read (from any thread).
    Read(u64),
}

/// Progress callback (for a progress bar).
pub type Progress = Arc<dyn Fn(ProgressEvent) + Send + Sync>;

/// How to ingest.
#[derive(Clone)]
pub struct IngestOptions {
    /// The dataset folder.
    pub out: PathBuf,
    /// `--computer NAME`: `Computer` for rows without `s-computername`.
    pub computer: Option<String>,
    /// Batch size and line limit.
    pub reader: ReaderOptions,
    /// Called as bytes are read (for a progress bar).
    pub progress: Option<Progress>,
    /// Test hook: do all the work, then fail instead of publishing.
    #[doc(hidden)]
    pub fail_before_publish: bool,
}

impl IngestOptions {
    /// Defaults writing to `out`.
    pub fn new(out: impl Into<PathBuf>) -> Self {
        IngestOptions {
            out: out.into(),
            computer: None,
            reader: ReaderOptions::default(),
            progress: None,
            fail_before_publish: false,
        }
    }
}

/// Rows per rule that gave their `Computer`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ComputerRows {
    /// From the line's `s-computername`.
    pub from_field: u64,
    /// From `--computer`.
    pub from_flag: u64,
    /// From the per-server folder name.
    pub from_folder: u64,
    /// From the local host name.
    pub from_host: u64,
}

/// One rejected line, for the summary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RejectSample {
    /// The source file.
    pub file: String,
    /// 1-based line number.
    pub line: u64,
    /// Reason code (`field_count`, …).
    pub reason: String,
    /// Reason in words.
    pub detail: String,
}

/// A file not read into any table, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedFile {
    /// The file.
    pub path: PathBuf,
    /// What it is (`kind.skip_reason()` says why it is not read).
    pub kind: LogKind,
    /// What showed it: `#Software: Microsoft Windows Firewall`, the first line, …
    pub detail: String,
}

/// What a run did.
#[derive(Clone, Debug, Default)]
pub struct IngestSummary {
    /// The dataset folder.
    pub out: PathBuf,
    /// Log files found in the inputs.
    pub files_found: usize,
    /// Files read for the first time.
    pub files_new: usize,
    /// Files whose appended tail was read.
    pub files_appended: usize,
    /// Files that changed and were read again in full.
    pub files_replaced: usize,
    /// Files already ingested (or skipped) and unchanged.
    pub files_unchanged: usize,
    /// Files read this run, per kind of log (`LogKind::table` says where
    /// their rows went; `None` counts empty files, whose kind is unknown).
    pub kinds: BTreeMap<Option<LogKind>, usize>,
    /// Files of this run not read into any table (firewall, SMTP, non-log
    /// files found in a folder), in path order.
    pub skipped: Vec<SkippedFile>,
    /// Source bytes read.
    pub bytes_read: u64,
    /// Physical lines read.
    pub lines: u64,
    /// Rows written per table.
    pub rows: BTreeMap<Table, u64>,
    /// Rejected lines per reason code.
    pub rejects: BTreeMap<String, u64>,
    /// The first few rejects.
    pub reject_samples: Vec<RejectSample>,
    /// NUL-padding lines skipped.
    pub nul_lines: u64,
    /// Rows kept whose line had invalid UTF-8.
    pub invalid_utf8: u64,
    /// Which rule gave `Computer`, in rows.
    pub computer: ComputerRows,
    /// Files without `#Fields` read with IIS's default fields.
    pub assumed_default_fields: Vec<PathBuf>,
    /// Live files (modified in the last two minutes) whose unterminated last
    /// line was held back for the next run.
    pub held_partial_lines: Vec<PathBuf>,
    /// Wall time.
    pub elapsed: Duration,
}

impl IngestSummary {
    /// All rejected lines.
    pub fn total_rejects(&self) -> u64 {
        self.rejects.values().sum()
    }

    /// All rows written.
    pub fn total_rows(&self) -> u64 {
        self.rows.values().sum()
    }

    /// Source megabytes (10^6 bytes) per second.
    pub fn mb_per_s(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.bytes_read as f64 / 1e6 / secs
        } else {
            0.0
        }
    }
}

struct Job {
    input: InputFile,
    key: String,
    size: u64,
    gzip: bool,
    live: bool,
    plan: Plan,
}

/// A plain file modified this recently may still be written by IIS (it
/// flushes its buffer about once a minute).
const LIVE_WINDOW: Duration = Duration::from_secs(120);

struct Outcome {
    stats: FileStats,
    table: Option<Table>,
    kind: Option<LogKind>,
    /// Set when the file was skipped: its kind and why.
    skipped: Option<(LogKind, String)>,
    outputs: Vec<String>,
    reject_file: Option<String>,
    reject_counts: BTreeMap<String, u64>,
    samples: Vec<RejectSample>,
    resume: ResumeState,
}

/// A file-name-safe tag unique to a source: `<computer>_<stem>-<hash>`.
fn source_tag(input: &InputFile, key: &str) -> String {
    let stem = input
        .path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let stem = stem.trim_end_matches(".gz").trim_end_matches(".log");
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .take(40)
            .collect()
    };
    format!(
        "{}_{}-{}",
        clean(&input.computer),
        clean(stem),
        &fnv_hex(key.as_bytes())[..8]
    )
}

fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    }
}

/// Ingests the logs under `paths` into the dataset `opts.out`.
pub fn ingest(paths: &[PathBuf], opts: &IngestOptions) -> Result<IngestSummary, StoreError> {
    let started = Instant::now();
    let out = absolute(&opts.out);
    let exclude = out.canonicalize().unwrap_or_else(|_| out.clone());
    let inputs = inputs::discover(paths, opts.computer.as_deref(), Some(&exclude))?;
    // Held until this function returns: recovery below deletes what a
    // concurrent run would still be publishing.
    let _lock = publish::Lock::acquire(&out)?;
    let manifest = Manifest::load(&out)?;
    if manifest.sources.is_empty() {
        publish::refuse_unlisted(&out)?;
    }
    publish::recover(&out, &manifest);
    let mut summary = IngestSummary {
        out: out.clone(),
        files_found: inputs.len(),
        ..IngestSummary::default()
    };
    let mut jobs = Vec::new();
    for input in inputs {
        let key = input.canonical.to_string_lossy().to_string();
        let meta = std::fs::metadata(&input.path).map_err(|source| StoreError::ReadPath {
            path: input.path.clone(),
            source,
        })?;
        let size = meta.len();
        let age = meta.modified().ok().and_then(|m| m.elapsed().ok());
        let recent = age.is_none_or(|age| age < LIVE_WINDOW);
        let gzip =
            iishunt_w3c::gz::is_gzip(&input.path).map_err(|source| StoreError::ReadPath {
                path: input.path.clone(),
                source,
            })?;
        let plan = manifest.plan(&key, &input.path, size, gzip)?;
        match plan {
            Plan::Unchanged => summary.files_unchanged += 1,
            Plan::New => summary.files_new += 1,
            Plan::Appended(_) => summary.files_appended += 1,
            Plan::Replaced => summary.files_replaced += 1,
        }
        if plan != Plan::Unchanged {
            jobs.push(Job {
                input,
                key,
                size,
                gzip,
                live: recent && !gzip,
                plan,
            });
        }
    }
    if jobs.is_empty() {
        summary.elapsed = started.elapsed();
        return Ok(summary);
    }
    if let Some(progress) = &opts.progress {
        let bytes = jobs
            .iter()
            .map(|j| match &j.plan {
                Plan::Appended(state) => j.size.saturating_sub(state.offset),
                _ => j.size,
            })
            .sum();
        progress(ProgressEvent::Planned {
            files: jobs.len(),
            bytes,
        });
    }
    let run = manifest.run + 1;
    let staging = Staging::create(&out)?;
    // Biggest first, so the last file to finish is a small one.
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(jobs[i].size));
    let results: Vec<(usize, Result<Outcome, StoreError>)> = order
        .par_iter()
        .map(|&i| (i, ingest_file(&jobs[i], staging.root(), run, opts)))
        .collect();
    let mut outcomes: Vec<Option<Outcome>> = (0..jobs.len()).map(|_| None).collect();
    let mut errors = Vec::new();
    for (i, result) in results {
        match result {
            Ok(outcome) => outcomes[i] = Some(outcome),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        staging.abort();
        return Err(StoreError::Failed { errors });
    }
    if opts.fail_before_publish {
        staging.abort();
        return Err(StoreError::Injected);
    }
    let mut next = manifest.clone();
    next.version = 1;
    next.run = run;
    let mut moved = Vec::new();
    let mut retired = Vec::new();
    for (job, outcome) in jobs.iter().zip(outcomes) {
        let Some(outcome) = outcome else { continue };
        add_to_summary(&mut summary, job, &outcome);
        if let Some((kind, reason)) = &outcome.skipped {
            let entry = skipped_entry(job, *kind, reason)?;
            if let Some(prev) = manifest.sources.get(&job.key) {
                retired.extend(prev.outputs.iter().cloned());
                retired.extend(prev.rejects.iter().cloned());
            }
            next.sources.insert(job.key.clone(), entry);
            continue;
        }
        let previous = manifest.sources.get(&job.key);
        let (mut outputs, mut rejects, mut rows) = (Vec::new(), Vec::new(), 0);
        match (&job.plan, previous) {
            (Plan::Appended(_), Some(prev)) => {
                outputs = prev.outputs.clone();
                rejects = prev.rejects.clone();
                rows = prev.rows;
            }
            (_, Some(prev)) => {
                retired.extend(prev.outputs.iter().cloned());
                retired.extend(prev.rejects.iter().cloned());
            }
            (_, None) => {}
        }
        moved.extend(outcome.outputs.iter().cloned());
        outputs.extend(outcome.outputs);
        if let Some(r) = outcome.reject_file {
            moved.push(r.clone());
            rejects.push(r);
        }
        let consumed = outcome.resume.offset;
        let (head, tail) = fingerprints(&job.input.path, job.gzip, consumed).map_err(|source| {
            StoreError::ReadPath {
                path: job.input.path.clone(),
                source,
            }
        })?;
        next.sources.insert(
            job.key.clone(),
            SourceEntry {
                size: if job.gzip {
                    job.size
                } else {
                    job.size.max(consumed)
                },
                gzip: job.gzip,
                head,
                tail,
                bytes_consumed: consumed,
                lines_consumed: outcome.resume.lines,
                rows: rows + outcome.stats.rows,
                table: outcome.table.map(|t| t.name().to_string()),
                software: outcome.resume.software,
                date: outcome.resume.date,
                fields: outcome.resume.fields,
                outputs,
                rejects,
                kind: outcome.kind.map(|k| k.code().to_string()),
                skipped: None,
            },
        );
    }
    staging.publish(&out, &moved, &next, &retired)?;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// The manifest entry of a skipped file: the whole file counts as consumed,
/// so it stays unchanged (and unreported) until its content changes.
fn skipped_entry(job: &Job, kind: LogKind, reason: &str) -> Result<SourceEntry, StoreError> {
    let (head, tail) = fingerprints(&job.input.path, job.gzip, job.size).map_err(|source| {
        StoreError::ReadPath {
            path: job.input.path.clone(),
            source,
        }
    })?;
    Ok(SourceEntry {
        size: job.size,
        gzip: job.gzip,
        head,
        tail,
        bytes_consumed: job.size,
        lines_consumed: 0,
        rows: 0,
        table: None,
        software: None,
        date: None,
        fields: None,
        outputs: Vec::new(),
        rejects: Vec::new(),
        kind: Some(kind.code().to_string()),
        skipped: Some(reason.to_string()),
    })
}

fn add_to_summary(summary: &mut IngestSummary, job: &Job, outcome: &Outcome) {
    *summary.kinds.entry(outcome.kind).or_default() += 1;
    if let Some((kind, reason)) = &outcome.skipped {
        summary.skipped.push(SkippedFile {
            path: job.input.path.clone(),
            kind: *kind,
            detail: reason.clone(),
        });
        return;
    }
    let stats = &outcome.stats;
    summary.bytes_read += outcome.resume.offset.saturating_sub(match &job.plan {
        Plan::Appended(state) => state.offset,
        _ => 0,
    });
    summary.lines += stats.lines;
    if let Some(t) = outcome.table {
        *summary.rows.entry(t).or_default() += stats.rows;
    }
    for (reason, n) in &outcome.reject_counts {
        *summary.rejects.entry(reason.clone()).or_default() += n;
    }
    for sample in &outcome.samples {
        if summary.reject_samples.len() < 10 {
            summary.reject_samples.push(sample.clone());
        }
    }
    summary.nul_lines += stats.nul_lines;
    summary.invalid_utf8 += stats.invalid_utf8;
    summary.computer.from_field += stats.computer_from_field;
    let fallback = stats.computer_from_fallback;
    match job.input.rule {
        ComputerRule::Flag => summary.computer.from_flag += fallback,
        ComputerRule::Folder => summary.computer.from_folder += fallback,
        ComputerRule::HostName => summary.computer.from_host += fallback,
    }
    if stats.held_partial_line {
        summary.held_partial_lines.push(job.input.path.clone());
    }
    if stats.assumed_default_fields {
        summary.assumed_default_fields.push(job.input.path.clone());
    }
}

/// Why a file that stopped the reader is skipped rather than failed, if it
/// is: a log of a kind no table takes, or — when found in a folder, not
/// named — a file that is no log at all.
pub(crate) fn skip_reason(err: &StoreError, named: bool) -> Option<(LogKind, String)> {
    match err {
        StoreError::Log(ReadError::OtherFormat { kind, detail, .. }) => {
            Some((*kind, detail.clone()))
        }
        StoreError::Log(ReadError::NotALog { first_line, .. }) if !named => {
            Some((LogKind::NotALog, format!("first line {first_line:?}")))
        }
        _ => None,
    }
}

fn ingest_file(
    job: &Job,
    staging: &Path,
    run: u64,
    opts: &IngestOptions,
) -> Result<Outcome, StoreError> {
    match read_file(job, staging, run, opts) {
        Err(e) => match skip_reason(&e, job.input.named) {
            Some((kind, reason)) => Ok(Outcome {
                stats: FileStats::default(),
                table: None,
                kind: Some(kind),
                skipped: Some((kind, reason)),
                outputs: Vec::new(),
                reject_file: None,
                reject_counts: BTreeMap::new(),
                samples: Vec::new(),
                resume: ResumeState::default(),
            }),
            None => Err(e),
        },
        ok => ok,
    }
}

fn read_file(
    job: &Job,
    staging: &Path,
    run: u64,
    opts: &IngestOptions,
) -> Result<Outcome, StoreError> {
    let resume = match &job.plan {
        Plan::Appended(state) => Some(state.clone()),
        _ => None,
    };
    let ctx = FileContext {
        path: job.input.path.clone(),
        file_uri: Arc::from(job.key.as_str()),
        computer: job.input.computer.clone(),
        resume,
        live: job.live,
    };
    let stem = format!("{}-r{run}", source_tag(&job.input, &job.key));
    let mut reader = LogReader::open(ctx, opts.reader.clone())?;
    let mut rejects = RejectSink::new(staging, &stem);
    // Two stages per file: this thread reads and parses, a second one
    // encodes Parquet, so even a single huge file keeps two cores busy. The
    // channel holds at most two batches: memory stays bounded.
    let (tx, rx) = std::sync::mpsc::sync_channel::<(Table, RecordBatch)>(2);
    let outputs = std::thread::scope(|scope| -> Result<Vec<String>, StoreError> {
        let encoder = scope.spawn(|| -> Result<Vec<String>, StoreError> {
            let mut writer: Option<TableWriter> = None;
            for (table, batch) in rx {
                let w = writer.get_or_insert_with(|| {
                    TableWriter::new(staging, table, stem.clone(), opts.reader.batch_rows)
                });
                w.write(&batch)?;
            }
            writer.map_or(Ok(Vec::new()), TableWriter::finish)
        });
        let mut read = || -> Result<(), StoreError> {
            while let Some(chunk) = reader.next_chunk()? {
                if let Some(batch) = chunk.batch {
                    let table = reader.table().unwrap_or(Table::W3CIISLog);
                    if tx.send((table, batch)).is_err() {
                        break; // the encoder failed; its error is reported below
                    }
                }
                rejects.write(chunk.rejects)?;
                if let Some(progress) = &opts.progress {
                    progress(ProgressEvent::Read(chunk.bytes));
                }
            }
            Ok(())
        };
        let read_result = read();
        drop(tx);
        let encoded = encoder
            .join()
            .map_err(|_| StoreError::Internal("the Parquet encoder thread panicked".into()))?;
        let outputs = encoded?;
        read_result?;
        Ok(outputs)
    })?;
    let samples = rejects
        .samples
        .iter()
        .map(|r| RejectSample {
            file: job.input.path.display().to_string(),
            line: r.line,
            reason: r.reason.code().to_string(),
            detail: r.reason.to_string(),
        })
        .collect();
    let reject_counts = rejects.counts.clone();
    let reject_file = rejects.finish()?;
    Ok(Outcome {
        stats: reader.stats(),
        table: reader.table(),
        kind: reader.kind(),
        skipped: None,
        outputs,
        reject_file,
        reject_counts,
        samples,
        resume: reader.resume_state(),
    })
}
