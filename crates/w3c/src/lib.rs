//! Reading IIS logs: the W3C extended format IIS writes (`u_ex*.log`) and the
//! HTTP.sys error log (`httperr*.log`), plain or gzip, into Arrow
//! `RecordBatch`es in the storage layout of the two tables.
//!
//! Modules in pipeline order: bytes come in through [`gz`] and are split
//! into lines by [`line`](mod@line); [`directives`] reads the `#` header lines and
//! decides the table; [`fields`] maps each `#Fields` name to a column of
//! [`schema`] and [`section`] turns a `#Fields` line into the typing of the
//! lines below it; [`split`] cuts a data line into values; [`timestamp`]
//! turns `date` + `time` into UTC microseconds; [`batch`] builds the Arrow
//! columns; [`reader`] drives all of it and hands out batches plus
//! [`reject`]ed lines. `iishunt-store` consumes the batches.

// In pipeline order (blank lines keep rustfmt from sorting them).
pub mod schema;

pub mod gz;

pub mod line;

pub mod directives;

pub mod fields;

pub mod section;

pub mod split;

pub mod timestamp;

pub mod batch;

pub mod reject;

pub mod reader;

pub use reader::{Chunk, FileContext, FileStats, LogReader, ReadError, ReaderOptions, ResumeState};
pub use reject::{Reject, RejectReason};
pub use schema::{table_schema, Table};
