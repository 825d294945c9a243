//! Ingest: raw IIS logs (web, FTP, HTTP.sys error; W3C, IIS log format,
//! NCSA) → Parquet dataset. The work is done by
//! `iishunt-store` (orchestration, Parquet, manifest) over `iishunt-w3c`
//! (the log reader); this module is the facade's entry point to it.
//!
//! ```no_run
//! use iishunt::ingest::{ingest, IngestOptions};
//! let summary = ingest(&["logs/".into()], &IngestOptions::new("ds")).unwrap();
//! println!("{} rows", summary.total_rows());
//! ```

pub use iishunt_store::{
    ingest, read_raw, ComputerRows, Dataset, IngestOptions, IngestSummary, ProgressEvent,
    RawOptions, RawTables, RejectSample, SkippedFile, StoreError,
};
pub use iishunt_w3c::{LogKind, ReaderOptions, Table};
