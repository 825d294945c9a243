//! Atomic publish. A run writes everything into `DIR/_staging-<pid>-<time>/`
//! (invisible to `DIR/W3CIISLog/**/*.parquet` globs). Only when every input
//! succeeded are the new files renamed into place (same filesystem: each
//! rename is atomic) and the manifest replaced — the commit point. Files
//! the new manifest no longer lists (from replaced sources) are removed
//! after it.
//!
//! An interrupted or failed run therefore leaves the previous dataset as it
//! was. If a run dies during the renames themselves (milliseconds), the
//! files it moved are not in the manifest: [`Dataset`](crate::Dataset)
//! ignores them and the next ingest deletes them ([`recover`]).

use std::path::{Path, PathBuf};

use crate::error::StoreError;
use crate::manifest::Manifest;

const STAGING_PREFIX: &str = "_staging-";

/// The lock file that keeps two ingests out of one dataset.
pub const LOCK: &str = "_ingest.lock";

/// Held while an ingest works on a dataset folder; removed on drop.
/// A lock left by a process that no longer runs (checked through `/proc`
/// where there is one) is taken over.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
}

impl Lock {
    /// Creates `out` if needed and takes its lock.
    pub fn acquire(out: &Path) -> Result<Lock, StoreError> {
        std::fs::create_dir_all(out).map_err(|source| StoreError::Write {
            path: out.into(),
            source,
        })?;
        let path = out.join(LOCK);
        for _ in 0..2 {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut file) => {
                    use std::io::Write;
                    let _ = write!(file, "{}", std::process::id());
                    return Ok(Lock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = std::fs::read_to_string(&path)
                        .ok()
                        .and_then(|s| s.trim().parse::<u32>().ok());
                    let proc_fs = Path::new("/proc/self").exists();
                    let alive = match holder {
                        Some(pid) if proc_fs => Path::new(&format!("/proc/{pid}")).exists(),
                        Some(_) => true,
                        None => false,
                    };
                    if alive {
                        return Err(StoreError::Locked {
                            path,
                            pid: holder.unwrap_or(0),
                        });
                    }
                    let _ = std::fs::remove_file(&path);
                }
                Err(source) => return Err(StoreError::Write { path, source }),
            }
        }
        Err(StoreError::Locked { path, pid: 0 })
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// A run's private staging folder.
pub struct Staging {
    root: PathBuf,
}

impl Staging {
    /// Creates `out/_staging-…` (and `out` itself if needed).
    pub fn create(out: &Path) -> Result<Staging, StoreError> {
        std::fs::create_dir_all(out).map_err(|source| StoreError::Write {
            path: out.into(),
            source,
        })?;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let root = out.join(format!("{STAGING_PREFIX}{}-{nanos}", std::process::id()));
        std::fs::create_dir(&root).map_err(|source| StoreError::Write {
            path: root.clone(),
            source,
        })?;
        Ok(Staging { root })
    }

    /// The staging folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Drops everything staged.
    pub fn abort(self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }

    /// Moves `files` (relative paths) into `out`, commits `manifest`, then
    /// removes `retired` files. On error the staging folder is removed and
    /// the manifest is not written.
    pub fn publish(
        self,
        out: &Path,
        files: &[String],
        manifest: &Manifest,
        retired: &[String],
    ) -> Result<(), StoreError> {
        let result = self.move_all(out, files);
        if let Err(e) = result {
            // Undo the moves made so far; they are not in any manifest.
            for rel in files {
                let _ = std::fs::remove_file(out.join(rel));
            }
            self.abort();
            return Err(e);
        }
        if let Err(e) = manifest.save(out) {
            for rel in files {
                let _ = std::fs::remove_file(out.join(rel));
            }
            self.abort();
            return Err(e);
        }
        for rel in retired {
            let _ = std::fs::remove_file(out.join(rel));
        }
        self.abort();
        Ok(())
    }

    fn move_all(&self, out: &Path, files: &[String]) -> Result<(), StoreError> {
        for rel in files {
            let to = out.join(rel);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(|source| StoreError::Write {
                    path: parent.into(),
                    source,
                })?;
            }
            std::fs::rename(self.root.join(rel), &to).map_err(|source| StoreError::Write {
                path: to.clone(),
                source,
            })?;
        }
        Ok(())
    }
}

/// Cleans up after a run that died: removes stale staging folders, and
/// Parquet files under the table folders that the manifest does not list
/// and that iishunt named (`…-r<run>-<part>.parquet`).
pub fn recover(out: &Path, manifest: &Manifest) {
    let Ok(entries) = std::fs::read_dir(out) else {
        return;
    };
    for entry in entries.flatten() {
        if entry
            .file_name()
            .to_string_lossy()
            .starts_with(STAGING_PREFIX)
        {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
    if manifest.sources.is_empty() {
        return;
    }
    let listed: std::collections::HashSet<&str> = manifest.outputs().collect();
    for table in iishunt_w3c::Table::all() {
        for file in crate::dataset::walk_parquet(&out.join(table.name())) {
            let rel = file
                .strip_prefix(out)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            if !listed.contains(rel.as_str()) && is_ours(&file) {
                let _ = std::fs::remove_file(&file);
            }
        }
    }
}

/// Without a manifest, Parquet files iishunt wrote mean the manifest was
/// lost: ingesting again would add every row a second time. Refuse.
pub fn refuse_unlisted(out: &Path) -> Result<(), StoreError> {
    let ours = iishunt_w3c::Table::all()
        .iter()
        .flat_map(|t| crate::dataset::walk_parquet(&out.join(t.name())))
        .any(|f| is_ours(&f));
    if ours {
        return Err(StoreError::Manifest {
            path: out.join(crate::manifest::MANIFEST),
            message: "it is missing but the folder holds Parquet files from an earlier ingest, whose rows \
                      would be added again; restore it, or remove the table folders, or use another --out"
                .into(),
        });
    }
    Ok(())
}

/// Was this file named by iishunt (`<tag>-r<run>-<part>.parquet`)?
fn is_ours(path: &Path) -> bool {
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let mut parts = name.rsplit('-');
    let part_ok = parts
        .next()
        .is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    let run_ok = parts
        .next()
        .and_then(|r| r.strip_prefix('r'))
        .is_some_and(|r| !r.is_empty() && r.chars().all(|c| c.is_ascii_digit()));
    part_ok && run_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_ingest_at_a_time_and_stale_locks_are_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let lock = Lock::acquire(dir.path()).unwrap();
        assert!(matches!(
            Lock::acquire(dir.path()),
            Err(StoreError::Locked { .. })
        ));
        drop(lock);
        assert!(!dir.path().join(LOCK).exists());
        // A lock naming a process that does not exist (pid beyond pid_max).
        std::fs::write(dir.path().join(LOCK), "4294967294").unwrap();
        if Path::new("/proc/self").exists() {
            assert!(Lock::acquire(dir.path()).is_ok());
        }
    }

    #[test]
    fn recognises_its_own_file_names() {
        assert!(is_ours(Path::new("WEB01_u_ex260302-1a2b3c4d-r3-0.parquet")));
        assert!(!is_ours(Path::new("mine.parquet")));
        assert!(!is_ours(Path::new("a-rx-0.parquet")));
    }
}
