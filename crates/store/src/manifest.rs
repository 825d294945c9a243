//! `DIR/_manifest.json`: what has been ingested, so a re-run adds only new
//! files and the appended tails of logs IIS is still writing — no
//! duplicate, no loss — and so `Dataset::open` lists exactly the published
//! files.
//!
//! Per source file it records the size, content fingerprints (of the first
//! 4 KiB and of the 4 KiB before the point reading stopped), bytes and lines
//! consumed, the directive state at that point, and the Parquet files and
//! reject files that came from it. It is replaced atomically (temp + rename)
//! as the last step of [`crate::publish`].

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use iishunt_w3c::{LogKind, ResumeState, Table};
use serde::{Deserialize, Serialize};

use crate::error::StoreError;

/// The manifest file name inside the dataset folder.
pub const MANIFEST: &str = "_manifest.json";

/// Bytes hashed at each end of the consumed region.
const PRINT: u64 = 4096;

/// The whole manifest.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    /// Format version of this file.
    pub version: u32,
    /// Number of the last run that published; names new files.
    pub run: u64,
    /// Per source file, keyed by canonical path.
    pub sources: BTreeMap<String, SourceEntry>,
}

/// What is known about one ingested source file.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SourceEntry {
    /// Size when last read.
    pub size: u64,
    /// Gzip files are re-read whole when they change.
    pub gzip: bool,
    /// Fingerprint of the first 4 KiB (of the raw file).
    pub head: String,
    /// Fingerprint of the 4 KiB before `bytes_consumed` (plain files).
    pub tail: String,
    /// Bytes read into the dataset (plain files: where to resume).
    pub bytes_consumed: u64,
    /// Physical lines up to `bytes_consumed`.
    pub lines_consumed: u64,
    /// Rows written from this file, all runs together.
    pub rows: u64,
    /// Table the file feeds, once known.
    pub table: Option<String>,
    /// Last `#Software` before `bytes_consumed`.
    pub software: Option<String>,
    /// Last `#Date` before `bytes_consumed`.
    pub date: Option<String>,
    /// `#Fields` in force at `bytes_consumed`.
    pub fields: Option<Vec<String>>,
    /// Parquet files (relative to the dataset folder) holding its rows.
    pub outputs: Vec<String>,
    /// Reject files (relative) holding its rejected lines.
    pub rejects: Vec<String>,
    /// The kind of log (`LogKind::code`: `w3c`, `ftp`, `iis`, `ncsa`, …).
    #[serde(default)]
    pub kind: Option<String>,
    /// Why the file was skipped (firewall, SMTP, not a log), if it was: it
    /// counts as unchanged until it changes, then is looked at again.
    #[serde(default)]
    pub skipped: Option<String>,
}

impl SourceEntry {
    /// The reader state to continue this file from.
    pub fn resume_state(&self) -> ResumeState {
        ResumeState {
            offset: self.bytes_consumed,
            lines: self.lines_consumed,
            table: self.table.as_deref().and_then(Table::from_name),
            software: self.software.clone(),
            date: self.date.clone(),
            fields: self.fields.clone(),
            kind: self.kind.as_deref().and_then(LogKind::from_code),
        }
    }
}

/// What a re-run does with one input file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Plan {
    /// Already fully ingested.
    Unchanged,
    /// Never seen: read it all.
    New,
    /// Grew since last time with the same beginning: read from the saved point.
    Appended(ResumeState),
    /// Changed (rewritten, truncated, rotated in place): read it all and
    /// retire the files that came from the old content.
    Replaced,
}

/// FNV-1a 64, hex: a stable content fingerprint (not a security hash).
pub fn fnv_hex(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

fn read_range(path: &Path, start: u64, len: u64) -> std::io::Result<Vec<u8>> {
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(start))?;
    let mut buf = Vec::with_capacity(len as usize);
    file.take(len).read_to_end(&mut buf)?;
    Ok(buf)
}

/// Fingerprints (head, tail) of `path` for a consumed prefix of `consumed`
/// bytes (gzip: head of the compressed file, tail empty).
pub fn fingerprints(path: &Path, gzip: bool, consumed: u64) -> std::io::Result<(String, String)> {
    if gzip {
        return Ok((fnv_hex(&read_range(path, 0, PRINT)?), String::new()));
    }
    let head = fnv_hex(&read_range(path, 0, consumed.min(PRINT))?);
    let start = consumed.saturating_sub(PRINT);
    let tail = fnv_hex(&read_range(path, start, consumed - start)?);
    Ok((head, tail))
}

impl Manifest {
    /// Loads `DIR/_manifest.json`, or an empty manifest if there is none.
    pub fn load(dir: &Path) -> Result<Manifest, StoreError> {
        let path = dir.join(MANIFEST);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Manifest {
                    version: 1,
                    ..Manifest::default()
                })
            }
            Err(source) => return Err(StoreError::ReadPath { path, source }),
        };
        serde_json::from_str(&text).map_err(|e| StoreError::Manifest {
            path,
            message: e.to_string(),
        })
    }

    /// Writes the manifest atomically: a temp file in `dir`, synced, renamed.
    pub fn save(&self, dir: &Path) -> Result<(), StoreError> {
        let path = dir.join(MANIFEST);
        let tmp = dir.join(format!("{MANIFEST}.tmp-{}", std::process::id()));
        let text =
            serde_json::to_vec_pretty(self).map_err(|e| StoreError::Internal(e.to_string()))?;
        let write = || -> std::io::Result<()> {
            let mut file = File::create(&tmp)?;
            file.write_all(&text)?;
            file.sync_all()?;
            std::fs::rename(&tmp, &path)?;
            // Make the rename itself durable (best effort; not on every OS).
            if let Ok(d) = File::open(dir) {
                let _ = d.sync_all();
            }
            Ok(())
        };
        write().map_err(|source| {
            let _ = std::fs::remove_file(&tmp);
            StoreError::Write {
                path: path.clone(),
                source,
            }
        })
    }

    /// Every published Parquet file, relative to the dataset folder.
    pub fn outputs(&self) -> impl Iterator<Item = &str> {
        self.sources
            .values()
            .flat_map(|s| s.outputs.iter().map(String::as_str))
    }

    /// What to do with `path` (of current `size`) given what was recorded.
    pub fn plan(&self, key: &str, path: &Path, size: u64, gzip: bool) -> Result<Plan, StoreError> {
        let Some(entry) = self.sources.get(key) else {
            return Ok(Plan::New);
        };
        let read_err = |source| StoreError::ReadPath {
            path: PathBuf::from(path),
            source,
        };
        if gzip || entry.gzip {
            let (head, _) = fingerprints(path, true, 0).map_err(read_err)?;
            let same = gzip == entry.gzip && size == entry.size && head == entry.head;
            return Ok(if same {
                Plan::Unchanged
            } else {
                Plan::Replaced
            });
        }
        if size < entry.bytes_consumed {
            return Ok(Plan::Replaced);
        }
        let (head, tail) = fingerprints(path, false, entry.bytes_consumed).map_err(read_err)?;
        if head != entry.head || tail != entry.tail {
            return Ok(Plan::Replaced);
        }
        if size == entry.bytes_consumed {
            return Ok(Plan::Unchanged);
        }
        if entry.skipped.is_some() {
            // Never read past its first lines: look at it again whole.
            return Ok(Plan::Replaced);
        }
        Ok(Plan::Appended(entry.resume_state()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry_for(path: &Path, consumed: u64) -> SourceEntry {
        let (head, tail) = fingerprints(path, false, consumed).unwrap();
        SourceEntry {
            size: consumed,
            gzip: false,
            head,
            tail,
            bytes_consumed: consumed,
            lines_consumed: 2,
            rows: 1,
            table: Some("W3CIISLog".into()),
            software: None,
            date: None,
            fields: Some(vec!["date".into()]),
            outputs: vec![],
            rejects: vec![],
            kind: None,
            skipped: None,
        }
    }

    #[test]
    fn plans_new_unchanged_appended_and_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("u_ex1.log");
        std::fs::write(&path, "#Fields: date\n2026-03-02\n").unwrap();
        let mut m = Manifest::default();
        assert_eq!(m.plan("k", &path, 25, false).unwrap(), Plan::New);
        m.sources.insert("k".into(), entry_for(&path, 25));
        assert_eq!(m.plan("k", &path, 25, false).unwrap(), Plan::Unchanged);
        std::fs::write(&path, "#Fields: date\n2026-03-02\n2026-03-03\n").unwrap();
        match m.plan("k", &path, 36, false).unwrap() {
            Plan::Appended(state) => assert_eq!((state.offset, state.lines), (25, 2)),
            other => panic!("{other:?}"),
        }
        std::fs::write(&path, "#Fields: date\n2026-03-09\n2026-03-03\n").unwrap();
        assert_eq!(m.plan("k", &path, 36, false).unwrap(), Plan::Replaced);
        m.save(dir.path()).unwrap();
        assert_eq!(Manifest::load(dir.path()).unwrap().sources.len(), 1);
        // A skipped file that grew is looked at again from the start.
        let mut skipped = entry_for(&path, 25);
        skipped.skipped = Some("a Windows Firewall log".into());
        m.sources.insert("k".into(), skipped);
        assert_eq!(m.plan("k", &path, 36, false).unwrap(), Plan::Replaced);
    }
}
