//! `read_raw`: parse log files in memory, for `--data raw.log|folder`
//! (querying raw logs without a dataset). Same reader, same storage schema
//! as the Parquet files, same verdict per file as `ingest` (firewall, SMTP
//! and non-log files found in a folder are skipped and listed; a non-log
//! file named is an error); rejected lines are counted, not written.
//!
//! Batches of one file share a schema except where a custom field first
//! appears (a new column); batches of different files may differ in their
//! custom columns. Strings are `Dictionary(Int32, Utf8)` arrays whose
//! dictionaries are not deduplicated.

use std::collections::BTreeMap;
use std::path::PathBuf;

use arrow::array::RecordBatch;
use iishunt_w3c::{FileContext, LogReader, ReaderOptions, Table};
use rayon::prelude::*;

use crate::error::StoreError;
use crate::ingest::{skip_reason, SkippedFile};
use crate::inputs;

/// Options for [`read_raw`].
#[derive(Clone, Debug, Default)]
pub struct RawOptions {
    /// `Computer` for rows without `s-computername` (else folder / host rule).
    pub computer: Option<String>,
    /// Batch size and line limit.
    pub reader: ReaderOptions,
}

/// The parsed tables.
#[derive(Debug, Default)]
pub struct RawTables {
    batches: BTreeMap<Table, Vec<RecordBatch>>,
    /// Log files read.
    pub files: usize,
    /// Rejected lines per reason code.
    pub rejects: BTreeMap<String, u64>,
    /// Files not read into any table, and why, in path order.
    pub skipped: Vec<SkippedFile>,
}

impl RawTables {
    /// The batches of table `t`, in file order.
    pub fn batches(&self, t: Table) -> &[RecordBatch] {
        self.batches.get(&t).map(Vec::as_slice).unwrap_or(&[])
    }

    /// All rejected lines.
    pub fn total_rejects(&self) -> u64 {
        self.rejects.values().sum()
    }
}

/// Parses every log under `paths` (files, folders, globs) in memory.
pub fn read_raw(paths: &[PathBuf], opts: &RawOptions) -> Result<RawTables, StoreError> {
    let files = inputs::discover(paths, opts.computer.as_deref(), None)?;
    let results: Vec<(usize, Result<FileRead, StoreError>)> = files
        .par_iter()
        .enumerate()
        .map(|(i, input)| (i, read_one(input, opts)))
        .collect();
    let mut out = RawTables {
        files: files.len(),
        ..RawTables::default()
    };
    let mut errors = Vec::new();
    for (i, result) in results {
        match result {
            Ok((table, batches, rejects)) => {
                if let Some(t) = table {
                    out.batches.entry(t).or_default().extend(batches);
                }
                for (reason, n) in rejects {
                    *out.rejects.entry(reason).or_default() += n;
                }
            }
            Err(e) => match skip_reason(&e, files[i].named) {
                Some((kind, detail)) => out.skipped.push(SkippedFile {
                    path: files[i].path.clone(),
                    kind,
                    detail,
                }),
                None => errors.push(e),
            },
        }
    }
    if !errors.is_empty() {
        return Err(StoreError::Failed { errors });
    }
    Ok(out)
}

type FileRead = (Option<Table>, Vec<RecordBatch>, BTreeMap<String, u64>);

fn read_one(input: &inputs::InputFile, opts: &RawOptions) -> Result<FileRead, StoreError> {
    let ctx = FileContext {
        path: input.path.clone(),
        file_uri: input.canonical.to_string_lossy().into(),
        computer: input.computer.clone(),
        resume: None,
        live: false,
    };
    let mut reader = LogReader::open(ctx, opts.reader.clone())?;
    let mut batches = Vec::new();
    let mut rejects: BTreeMap<String, u64> = BTreeMap::new();
    while let Some(chunk) = reader.next_chunk()? {
        batches.extend(chunk.batch);
        for r in chunk.rejects {
            *rejects.entry(r.reason.code().to_string()).or_default() += 1;
        }
    }
    Ok((reader.table(), batches, rejects))
}
