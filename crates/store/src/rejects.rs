//! Rejected lines of one source file → `DIR/_rejects/<source>-r<run>.jsonl`,
//! one JSON object per line: `{"file", "line", "reason", "detail", "text"}`.
//! The file is created on the first reject only. Counts by reason and the
//! first few rejects go back to [`crate::ingest`](mod@crate::ingest) for the summary.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use iishunt_w3c::Reject;
use serde::Serialize;

use crate::error::StoreError;

/// The rejects folder inside the dataset.
pub const REJECTS_DIR: &str = "_rejects";

/// How many rejects per file are kept for the summary.
const SAMPLES: usize = 5;

#[derive(Serialize)]
struct Record<'a> {
    file: &'a str,
    line: u64,
    reason: &'a str,
    detail: String,
    text: &'a str,
}

/// Writes one source file's rejects.
pub struct RejectSink {
    staging: PathBuf,
    rel: String,
    out: Option<(BufWriter<File>, PathBuf)>,
    /// Count per reason code.
    pub counts: BTreeMap<String, u64>,
    /// The first few rejects.
    pub samples: Vec<Reject>,
}

impl RejectSink {
    /// A sink writing to `staging/_rejects/<stem>.jsonl` when needed.
    pub fn new(staging: &Path, stem: &str) -> Self {
        RejectSink {
            staging: staging.to_path_buf(),
            rel: format!("{REJECTS_DIR}/{stem}.jsonl"),
            out: None,
            counts: BTreeMap::new(),
            samples: Vec::new(),
        }
    }

    /// Records rejects.
    pub fn write(&mut self, rejects: Vec<Reject>) -> Result<(), StoreError> {
        if rejects.is_empty() {
            return Ok(());
        }
        if self.out.is_none() {
            let path = self.staging.join(&self.rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|source| StoreError::Write {
                    path: parent.into(),
                    source,
                })?;
            }
            let file = File::create(&path).map_err(|source| StoreError::Write {
                path: path.clone(),
                source,
            })?;
            self.out = Some((BufWriter::new(file), path));
        }
        let Some((out, path)) = self.out.as_mut() else {
            return Ok(());
        };
        for r in rejects {
            *self.counts.entry(r.reason.code().to_string()).or_default() += 1;
            let record = Record {
                file: &r.file,
                line: r.line,
                reason: r.reason.code(),
                detail: r.reason.to_string(),
                text: &r.text,
            };
            let write = serde_json::to_writer(&mut *out, &record)
                .map_err(std::io::Error::from)
                .and_then(|()| out.write_all(b"\n"));
            write.map_err(|source| StoreError::Write {
                path: path.clone(),
                source,
            })?;
            if self.samples.len() < SAMPLES {
                self.samples.push(r);
            }
        }
        Ok(())
    }

    /// Flushes and returns the reject file (relative to the staging
    /// folder), if one was written.
    pub fn finish(self) -> Result<Option<String>, StoreError> {
        match self.out {
            None => Ok(None),
            Some((mut out, path)) => {
                out.flush()
                    .map_err(|source| StoreError::Write { path, source })?;
                Ok(Some(self.rel))
            }
        }
    }
}
