//! Errors of the dataset layer. Every variant names the path it is about;
//! the CLI renders them.

use std::path::PathBuf;

use iishunt_w3c::ReadError;

/// What can go wrong writing or opening a dataset.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// An input path does not exist (or a glob matched nothing).
    #[error("{path}: no such file or directory")]
    InputNotFound {
        /// The path as given.
        path: PathBuf,
    },
    /// An input glob pattern is malformed.
    #[error("bad glob pattern {pattern:?}: {message}")]
    BadGlob {
        /// The pattern.
        pattern: String,
        /// What is wrong.
        message: String,
    },
    /// A file or folder could not be read.
    #[error("cannot read {path}: {source}")]
    ReadPath {
        /// The path.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// A log file could not be read or is not a log we read.
    #[error(transparent)]
    Log(#[from] ReadError),
    /// Writing to the dataset folder failed (permissions, full disk, …).
    #[error("cannot write {path}: {source}")]
    Write {
        /// The path.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The Parquet writer failed.
    #[error("cannot write Parquet file {path}: {source}")]
    Parquet {
        /// The file.
        path: PathBuf,
        /// The writer's message.
        source: parquet::errors::ParquetError,
    },
    /// The manifest exists but cannot be understood.
    #[error("manifest {path} is damaged: {message}; move it away to re-ingest from scratch")]
    Manifest {
        /// The manifest file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// `Dataset::open` on something that is not a folder.
    #[error("{path} is not a dataset folder (expected DIR/W3CIISLog/date=…/*.parquet)")]
    NotADataset {
        /// The path.
        path: PathBuf,
    },
    /// One or more inputs failed; nothing was published.
    #[error("{} input(s) failed; the dataset was left as it was:\n  {}", errors.len(),
        errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n  "))]
    Failed {
        /// Each failure.
        errors: Vec<StoreError>,
    },
    /// Another ingest holds the dataset's lock.
    #[error("another ingest (pid {pid}) is writing this dataset; wait for it, or remove {path} if no ingest is running")]
    Locked {
        /// The lock file.
        path: PathBuf,
        /// The process holding it (0 if unknown).
        pid: u32,
    },
    /// Test hook: the run was stopped before publishing.
    #[error(
        "ingest stopped before publishing (failure injection); the dataset was left as it was"
    )]
    Injected,
    /// A lookup table (CSV) is malformed; `line` 0 means the whole file.
    #[error("{}{}: {message}", path.display(), if *line > 0 { format!(":{line}") } else { String::new() })]
    Lookup {
        /// The CSV file.
        path: PathBuf,
        /// The 1-based line, 0 for the whole file.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// An `externaldata` or `--table` file cannot be read; `line` 0 means the
    /// whole file.
    #[error("{}{}: {message}", path.display(), if *line > 0 { format!(":{line}") } else { String::new() })]
    External {
        /// The file.
        path: PathBuf,
        /// The 1-based line, 0 for the whole file.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// An Arrow kernel failed on our own batches; a bug.
    #[error("internal error (this is a bug): {0}")]
    Internal(String),
}
