//! Turning the command line's paths (files, folders, globs) into the list of
//! log files to read, and deciding each file's `Computer` fallback: the
//! `--computer` flag, else the per-server folder (`ROOT/WEB01/…`), else the
//! local host name. Rows with an `s-computername` value use that instead
//! (decided per row by the reader). Feeds [`crate::ingest`](mod@crate::ingest) and [`crate::raw`].

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::StoreError;

/// Which rule gave a file's fallback `Computer`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ComputerRule {
    /// `--computer NAME`.
    Flag,
    /// The per-server folder under the input root.
    Folder,
    /// The local host name.
    HostName,
}

/// One log file to read.
#[derive(Clone, Debug)]
pub struct InputFile {
    /// The path as found (input path joined with the walk).
    pub path: PathBuf,
    /// The absolute, canonical path (the manifest key and `FileUri`).
    pub canonical: PathBuf,
    /// `Computer` for rows without `s-computername`.
    pub computer: Arc<str>,
    /// The rule that gave `computer`.
    pub rule: ComputerRule,
    /// Named on the command line itself (not found in a folder or by a
    /// glob): a file that is no log is then an error, not a skip.
    pub named: bool,
}

/// Folder names IIS itself creates under a log root: never server names.
fn is_iis_folder(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let numbered = |prefix: &str| {
        lower
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit()))
    };
    numbered("w3svc")
        || numbered("ftpsvc")
        || numbered("smtpsvc")
        || numbered("msftpsvc")
        || lower == "httperr"
        || lower == "logfiles"
        || lower == "logs"
}

fn is_log_name(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    name.ends_with(".log") || name.ends_with(".gz")
}

/// The local host name (for the last `Computer` rule).
pub fn host_name() -> String {
    let from_proc = std::fs::read_to_string("/proc/sys/kernel/hostname").ok();
    let from_env = || {
        std::env::var("COMPUTERNAME")
            .or_else(|_| std::env::var("HOSTNAME"))
            .ok()
    };
    from_proc
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .or_else(from_env)
        .unwrap_or_else(|| "localhost".to_string())
}

fn walk(dir: &Path, exclude: Option<&Path>, out: &mut Vec<PathBuf>) -> Result<(), StoreError> {
    let entries = std::fs::read_dir(dir).map_err(|source| StoreError::ReadPath {
        path: dir.into(),
        source,
    })?;
    let mut paths = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| StoreError::ReadPath {
            path: dir.into(),
            source,
        })?;
        paths.push(entry.path());
    }
    paths.sort();
    for path in paths {
        let hidden = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            let canonical = path.canonicalize().ok();
            if exclude.is_some_and(|ex| canonical.as_deref() == Some(ex)) {
                continue;
            }
            walk(&path, exclude, out)?;
        } else if is_log_name(&path) {
            out.push(path);
        }
    }
    Ok(())
}

/// The per-server folder of `file` under the input root `root`: the first
/// folder below the root, if the file is not directly in the root and the
/// folder is not one IIS itself creates.
fn server_folder(file: &Path, root: &Path) -> Option<String> {
    let rel = file.strip_prefix(root).ok()?;
    let mut parts = rel.components();
    let first = parts.next()?.as_os_str().to_string_lossy().to_string();
    parts.next()?;
    (!is_iis_folder(&first)).then_some(first)
}

/// Expands `paths` into log files, sorted and without duplicates.
/// Folders are walked recursively for `*.log` and `*.gz`; a path that does
/// not exist but holds `*`, `?` or `[` is a glob. `exclude` (the output
/// folder) is never walked into.
pub fn discover(
    paths: &[PathBuf],
    computer: Option<&str>,
    exclude: Option<&Path>,
) -> Result<Vec<InputFile>, StoreError> {
    let host: Arc<str> = Arc::from(host_name());
    let flag: Option<Arc<str>> = computer.map(Arc::from);
    let mut found: Vec<(PathBuf, Option<String>, bool)> = Vec::new();
    for given in paths {
        let text = given.to_string_lossy();
        // A glob's fixed leading folder (`/logs` in `/logs/*/u_ex*.log`) is
        // the root its matches' server folders are counted from.
        let (roots, glob_root): (Vec<PathBuf>, Option<PathBuf>) =
            if !given.exists() && text.contains(['*', '?', '[']) {
                let matches = glob::glob(&text).map_err(|e| StoreError::BadGlob {
                    pattern: text.to_string(),
                    message: e.to_string(),
                })?;
                let list: Vec<PathBuf> = matches.filter_map(Result::ok).collect();
                if list.is_empty() {
                    return Err(StoreError::InputNotFound {
                        path: given.clone(),
                    });
                }
                let fixed: PathBuf = given
                    .components()
                    .take_while(|c| !c.as_os_str().to_string_lossy().contains(['*', '?', '[']))
                    .collect();
                (list, Some(fixed))
            } else {
                (vec![given.clone()], None)
            };
        for root in roots {
            let meta = std::fs::metadata(&root).map_err(|source| match source.kind() {
                std::io::ErrorKind::NotFound => StoreError::InputNotFound { path: root.clone() },
                _ => StoreError::ReadPath {
                    path: root.clone(),
                    source,
                },
            })?;
            if meta.is_dir() {
                let mut files = Vec::new();
                walk(&root, exclude, &mut files)?;
                let base = glob_root.as_deref().unwrap_or(&root);
                for file in files {
                    let server = server_folder(&file, base);
                    found.push((file, server, false));
                }
            } else {
                let server = glob_root
                    .as_deref()
                    .and_then(|base| server_folder(&root, base));
                found.push((root, server, glob_root.is_none()));
            }
        }
    }
    let mut files: Vec<InputFile> = Vec::new();
    for (path, server, named) in found {
        let canonical = path.canonicalize().map_err(|source| StoreError::ReadPath {
            path: path.clone(),
            source,
        })?;
        let (computer, rule) = match (&flag, server) {
            (Some(name), _) => (name.clone(), ComputerRule::Flag),
            (None, Some(server)) => (Arc::from(server), ComputerRule::Folder),
            (None, None) => (host.clone(), ComputerRule::HostName),
        };
        files.push(InputFile {
            path,
            canonical,
            computer,
            rule,
            named,
        });
    }
    files.sort_by(|a, b| a.canonical.cmp(&b.canonical).then(b.named.cmp(&a.named)));
    // Of duplicates, the one named on the command line is kept.
    files.dedup_by(|a, b| a.canonical == b.canonical);
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_per_server_name_the_computer_but_iis_folders_do_not() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for rel in [
            "WEB01/u_ex1.log",
            "WEB01/HTTPERR/httperr1.log",
            "W3SVC1/u_ex2.log",
            "top.log",
            "WEB02/notes.txt",
        ] {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "#Version: 1.0\n").unwrap();
        }
        let files = discover(&[root.to_path_buf()], None, None).unwrap();
        let got: Vec<(String, String, ComputerRule)> = files
            .iter()
            .map(|f| {
                let rel = f
                    .path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .to_string();
                (rel, f.computer.to_string(), f.rule)
            })
            .collect();
        let host = host_name();
        assert_eq!(
            got,
            vec![
                (
                    "W3SVC1/u_ex2.log".into(),
                    host.clone(),
                    ComputerRule::HostName
                ),
                (
                    "WEB01/HTTPERR/httperr1.log".into(),
                    "WEB01".into(),
                    ComputerRule::Folder
                ),
                (
                    "WEB01/u_ex1.log".into(),
                    "WEB01".into(),
                    ComputerRule::Folder
                ),
                ("top.log".into(), host, ComputerRule::HostName),
            ]
        );
        let flagged = discover(&[root.join("top.log")], Some("EDGE"), None).unwrap();
        assert_eq!(
            (&*flagged[0].computer, flagged[0].rule),
            ("EDGE", ComputerRule::Flag)
        );
        assert!(matches!(
            discover(&[root.join("missing.log")], None, None),
            Err(StoreError::InputNotFound { .. })
        ));
        let globbed = discover(&[root.join("WEB0*/*.log")], None, None).unwrap();
        assert_eq!(globbed.len(), 1);
        assert_eq!(
            (&*globbed[0].computer, globbed[0].rule),
            ("WEB01", ComputerRule::Folder)
        );
    }
}
