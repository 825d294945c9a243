//! A saved hunt: a `.kql` or `.esql` file, its name (the file stem), its
//! dialect (the extension) and the `//` comment metadata at its top:
//!
//! ```text
//! // title: High count of failed attempts from same client IP
//! // description: 20 or more 401/403 from one client in a minute.
//! // severity: Medium
//! // mitre: T1110
//! // tactic: CredentialAccess
//! // threshold: 20 per minute
//! ```
//!
//! Found by walking the paths given to `iishunt run` (sorted, so every run
//! lists hunts in the same order).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use iishunt::Dialect;

/// A hunt file ready to run.
#[derive(Debug, Clone)]
pub struct Hunt {
    pub path: PathBuf,
    /// Unique among the hunts of one run: the file stem, prefixed with its
    /// folder when two hunts share a stem.
    pub name: String,
    pub dialect: Dialect,
    pub text: String,
    pub meta: HuntMeta,
}

/// The `// key: value` header of a hunt file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HuntMeta {
    pub title: Option<String>,
    pub description: Option<String>,
    pub severity: Option<String>,
    /// MITRE ATT&CK technique ids (`mitre:` or `technique:`), comma separated.
    pub mitre: Option<String>,
    pub tactic: Option<String>,
    pub threshold: Option<String>,
    /// Any other `key: value` pairs, in file order.
    pub extra: Vec<(String, String)>,
}

impl HuntMeta {
    /// Reads the leading comment block: `// key: value` lines; a comment line
    /// without a key continues the previous value. Stops at the first line
    /// that is neither a comment nor blank.
    pub fn parse(text: &str) -> HuntMeta {
        let mut meta = HuntMeta::default();
        let mut last: Option<String> = None;
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() {
                last = None;
                continue;
            }
            let Some(comment) = line.strip_prefix("//") else {
                break;
            };
            let comment = comment.trim();
            match split_key(comment) {
                Some((key, value)) => {
                    meta.set(&key, value.to_string());
                    last = Some(key);
                }
                None => {
                    if let (Some(key), false) = (&last, comment.is_empty()) {
                        meta.append(key, comment);
                    }
                }
            }
        }
        meta
    }

    fn slot(&mut self, key: &str) -> Option<&mut Option<String>> {
        Some(match key {
            "title" | "name" => &mut self.title,
            "description" => &mut self.description,
            "severity" => &mut self.severity,
            "mitre" | "technique" | "techniques" => &mut self.mitre,
            "tactic" | "tactics" => &mut self.tactic,
            "threshold" => &mut self.threshold,
            _ => return None,
        })
    }

    fn set(&mut self, key: &str, value: String) {
        match self.slot(key) {
            Some(slot) => *slot = Some(value),
            None => self.extra.push((key.to_string(), value)),
        }
    }

    fn append(&mut self, key: &str, more: &str) {
        let target = match self.slot(key) {
            Some(slot) => slot.get_or_insert_with(String::new),
            None => match self.extra.iter_mut().rev().find(|(k, _)| k == key) {
                Some((_, v)) => v,
                None => return,
            },
        };
        if !target.is_empty() {
            target.push(' ');
        }
        target.push_str(more);
    }

    /// Tables the hunt needs beyond the logs (`// requires: threat_intel`):
    /// without them it is skipped, not failed.
    pub fn requires(&self) -> Vec<String> {
        self.extra_value("requires")
            .map(|v| {
                v.split(',')
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The `// falsepositives:` note.
    pub fn false_positives(&self) -> Option<&str> {
        self.extra_value("falsepositives")
            .or_else(|| self.extra_value("false_positives"))
    }

    fn extra_value(&self, key: &str) -> Option<&str> {
        self.extra
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The metadata as a JSON object (with the hunt's name and file).
    pub fn to_json(&self, name: &str, path: &Path) -> serde_json::Map<String, serde_json::Value> {
        let mut map = serde_json::Map::new();
        map.insert("name".into(), name.into());
        map.insert("file".into(), path.display().to_string().into());
        let known = [
            ("title", &self.title),
            ("description", &self.description),
            ("severity", &self.severity),
            ("mitre", &self.mitre),
            ("tactic", &self.tactic),
            ("threshold", &self.threshold),
        ];
        for (k, v) in known {
            if let Some(v) = v {
                map.insert(k.into(), v.clone().into());
            }
        }
        for (k, v) in &self.extra {
            map.insert(k.clone(), v.clone().into());
        }
        map
    }
}

/// `key: value` where key is one word (letters, digits, `_`, `-`).
fn split_key(comment: &str) -> Option<(String, &str)> {
    let (key, value) = comment.split_once(':')?;
    let key = key.trim();
    let word = !key.is_empty()
        && key.len() <= 32
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    word.then(|| (key.to_ascii_lowercase(), value.trim()))
}

/// The dialect a hunt file's extension names.
pub fn dialect_of(path: &Path) -> Option<Dialect> {
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "kql" | "kusto" | "csl" => Some(Dialect::Kql),
        "esql" => Some(Dialect::Esql),
        _ => None,
    }
}

/// Every hunt file given, or found under the folders given, sorted by path
/// within each folder. A file given by name is taken whatever its extension
/// (KQL unless `.esql`); folders contribute `.kql` and `.esql` files.
pub fn discover(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut inside = Vec::new();
            walk(path, &mut inside)?;
            inside.sort();
            found.extend(inside);
        } else if path.is_file() {
            found.push(path.clone());
        } else {
            anyhow::bail!("{}: no such file or folder", path.display());
        }
    }
    found.dedup();
    Ok(found)
}

/// The lookup tables a hunt library ships: `lookups/*.csv` in each folder
/// given (`queries/lookups/verified_crawlers.csv`, …), sorted.
pub fn library_lookups(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for dir in paths.iter().filter(|p| p.is_dir()) {
        let folder = dir.join("lookups");
        if !folder.is_dir() {
            continue;
        }
        let entries = std::fs::read_dir(&folder)
            .map_err(|e| anyhow::anyhow!("reading {}: {e}", folder.display()))?;
        let mut csvs: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")))
            .collect();
        csvs.sort();
        found.extend(csvs);
    }
    Ok(found)
}

/// Why a hunt cannot run on this engine: the first table it `requires`
/// that the engine does not have.
pub fn missing_requirement(hunt: &Hunt, tables: &[String]) -> Option<String> {
    hunt.meta
        .requires()
        .into_iter()
        .find(|t| !tables.iter().any(|known| known == t))
        .map(|t| format!("needs table {t}"))
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| anyhow::anyhow!("reading {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|e| anyhow::anyhow!("reading {}: {e}", dir.display()))?
            .path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if dialect_of(&path).is_some() {
            out.push(path);
        }
    }
    Ok(())
}

/// Reads the hunt files and names them uniquely.
pub fn load(paths: &[PathBuf]) -> anyhow::Result<Vec<Hunt>> {
    let mut stems: HashMap<String, usize> = HashMap::new();
    for p in paths {
        *stems.entry(stem(p)).or_default() += 1;
    }
    let mut hunts = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("reading {}: {e}", path.display()))?;
        let mut name = stem(path);
        if stems.get(&name).copied().unwrap_or(0) > 1 {
            if let Some(parent) = path
                .parent()
                .and_then(|p| p.file_name())
                .and_then(|p| p.to_str())
            {
                name = format!("{}-{name}", tame(parent));
            }
        }
        let dialect = dialect_of(path).unwrap_or(Dialect::Kql);
        let meta = HuntMeta::parse(&text);
        hunts.push(Hunt {
            path: path.clone(),
            name,
            dialect,
            text,
            meta,
        });
    }
    Ok(hunts)
}

fn stem(path: &Path) -> String {
    tame(path.file_stem().and_then(|s| s.to_str()).unwrap_or("hunt"))
}

/// Names become file names in --out: letters, digits, `-`, `_` and `.` only,
/// so no name holds a path separator or a control character and every file
/// stays inside the folder (`..` alone is renamed).
fn tame(raw: &str) -> String {
    if raw.chars().all(|c| c == '.') {
        return raw.replace('.', "_");
    }
    raw.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_header_is_parsed() {
        let text = "\
// title: Failed logons from one IP
// description: Twenty or more 401/403
//   from one client in a minute.
// severity: Medium
// mitre: T1110
// tactic: CredentialAccess
// threshold: 20
// owner: soc
let timeBin = 1m; // not metadata
// title: not read either
W3CIISLog";
        let meta = HuntMeta::parse(text);
        assert_eq!(meta.title.as_deref(), Some("Failed logons from one IP"));
        assert_eq!(
            meta.description.as_deref(),
            Some("Twenty or more 401/403 from one client in a minute.")
        );
        assert_eq!(meta.severity.as_deref(), Some("Medium"));
        assert_eq!(meta.mitre.as_deref(), Some("T1110"));
        assert_eq!(meta.tactic.as_deref(), Some("CredentialAccess"));
        assert_eq!(meta.threshold.as_deref(), Some("20"));
        assert_eq!(meta.extra, vec![("owner".to_string(), "soc".to_string())]);
    }

    #[test]
    fn plain_comments_are_not_metadata() {
        let meta = HuntMeta::parse("// Map common IIS codes: see the KB\nW3CIISLog");
        assert_eq!(meta, HuntMeta::default());
    }

    #[test]
    fn dialect_follows_the_extension() {
        assert_eq!(dialect_of(Path::new("a/x.kql")), Some(Dialect::Kql));
        assert_eq!(dialect_of(Path::new("x.ESQL")), Some(Dialect::Esql));
        assert_eq!(dialect_of(Path::new("x.txt")), None);
    }

    #[test]
    fn hunt_names_cannot_leave_the_output_folder() {
        assert_eq!(tame("../../etc/cron.d/x"), ".._.._etc_cron.d_x");
        assert_eq!(tame(".."), "__");
        assert_eq!(tame("a\u{1b}[2Jb"), "a__2Jb");
        assert_eq!(tame("C:\\Windows"), "C__Windows");
        assert_eq!(stem(Path::new("hunts/brute force.kql")), "brute_force");
    }
}
