//! The Parquet dataset: writing it from raw logs (`ingest`), listing it for
//! the query engine (`Dataset`), and parsing raw logs in memory for
//! `--data raw.log` (`read_raw`).
//!
//! Modules in pipeline order: [`inputs`] finds the files and decides each
//! one's `Computer` fallback; [`manifest`] says which are new, appended or
//! unchanged; [`ingest`](mod@ingest) reads them in parallel with `iishunt-w3c` and hands
//! batches to [`writer`] (Parquet, hive `date=` partitions) and rejected
//! lines to [`rejects`]; [`publish`] moves the finished files into place
//! atomically. [`dataset`] lists what is there; [`raw`] skips the disk.

// In pipeline order (blank lines keep rustfmt from sorting them).
pub mod error;

pub mod inputs;

pub mod manifest;

pub mod writer;

pub mod rejects;

pub mod publish;

pub mod ingest;

pub mod dataset;

pub mod raw;

pub mod lookup;

pub mod external;

pub mod table_file;

pub use dataset::Dataset;
pub use error::StoreError;
pub use external::{read_external, ExternalColumn, ExternalFormat, ExternalRequest, ExternalType};
pub use iishunt_w3c::{LogKind, Table};
pub use ingest::{
    ingest, ComputerRows, IngestOptions, IngestSummary, Progress, ProgressEvent, RejectSample,
    SkippedFile,
};
pub use lookup::{lookup_files, read_lookup, LookupTable};
pub use raw::{read_raw, RawOptions, RawTables};
pub use table_file::read_table_file;
