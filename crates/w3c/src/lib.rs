//! Reading IIS logs: the W3C extended format IIS writes (`u_ex*.log`) and the
//! HTTP.sys error log (`httperr*.log`), plain or gzip, into Arrow
//! `RecordBatch`es in the storage layout of the two tables.
//!
//! Modules in pipeline order: bytes come in through [`gz`] and are split
//! into lines by [`line`]; [`directives`] reads the `#` header lines and
//! decides the table; [`fields`] maps each `#Fields` name to a column of
//! [`schema`]; [`timestamp`] turns `date` + `time` into UTC microseconds;
//! [`batch`] builds the Arrow columns; [`reader`] drives all of it and hands
//! out batches plus [`reject`]ed lines. `iishunt-store` consumes the batches.

pub mod batch;
pub mod directives;
pub mod fields;
pub mod gz;
pub mod line;
pub mod reader;
pub mod reject;
pub mod schema;
pub mod timestamp;

pub use reader::{Chunk, FileContext, FileStats, LogReader, ReadError, ReaderOptions, ResumeState};
pub use reject::{Reject, RejectReason};
pub use schema::{table_schema, Table};
