//! Listing a dataset for the query engine: per table, the Parquet files to
//! scan, sorted. With a manifest (written by `iishunt ingest`) exactly the
//! published files are listed; without one (a dataset written by another
//! tool, or copied by hand) every `*.parquet` under `DIR/<Table>/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use iishunt_w3c::Table;

use crate::error::StoreError;
use crate::manifest::{Manifest, MANIFEST};

/// A dataset folder and its files.
#[derive(Clone, Debug)]
pub struct Dataset {
    root: PathBuf,
    files: BTreeMap<Table, Vec<PathBuf>>,
}

/// Every `*.parquet` under `dir`, recursively, sorted (missing dir: none).
pub fn walk_parquet(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "parquet") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

impl Dataset {
    /// Opens the dataset folder `dir`.
    pub fn open(dir: impl AsRef<Path>) -> Result<Dataset, StoreError> {
        let root = dir.as_ref().to_path_buf();
        if !root.is_dir() {
            return Err(StoreError::NotADataset { path: root });
        }
        let mut files: BTreeMap<Table, Vec<PathBuf>> = BTreeMap::new();
        if root.join(MANIFEST).exists() {
            let manifest = Manifest::load(&root)?;
            for rel in manifest.outputs() {
                let table = rel.split('/').next().and_then(Table::from_name);
                if let Some(t) = table {
                    files.entry(t).or_default().push(root.join(rel));
                }
            }
            for list in files.values_mut() {
                list.sort();
            }
        } else {
            for t in Table::all() {
                files.insert(t, walk_parquet(&root.join(t.name())));
            }
        }
        Ok(Dataset { root, files })
    }

    /// The dataset folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The Parquet files of table `t`, sorted.
    pub fn files(&self, t: Table) -> &[PathBuf] {
        self.files.get(&t).map(Vec::as_slice).unwrap_or(&[])
    }
}
