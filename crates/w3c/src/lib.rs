//! Reading IIS logs: the W3C extended format IIS writes for web and FTP
//! sites (`u_ex*.log`), the HTTP.sys error log (`httperr*.log`), the old IIS
//! log format and NCSA, plain or gzip, into Arrow `RecordBatch`es in the
//! storage layout of the three tables; other logs found beside them
//! (firewall, SMTP) are recognised by [`kind`] and skipped by name.
//!
//! Modules in pipeline order: bytes come in through [`gz`] and are split
//! into lines by [`line`](mod@line); [`kind`] names the kinds of log;
//! [`directives`] reads the `#` header lines and decides the table; [`fields`] maps each `#Fields` name to a column of
//! [`schema`] and [`section`] turns a `#Fields` line into the typing of the
//! lines below it; [`split`] cuts a data line into values ([`iisformat`] and
//! [`ncsa`] cut lines of those formats into the same values); [`timestamp`]
//! turns `date` + `time` into UTC microseconds; [`batch`] builds the Arrow
//! columns; [`reader`] drives all of it and hands out batches plus
//! [`reject`]ed lines. `iishunt-store` consumes the batches.

// In pipeline order (blank lines keep rustfmt from sorting them).
pub mod schema;

pub mod gz;

pub mod line;

pub mod kind;

pub mod directives;

pub mod fields;

pub mod section;

pub mod split;

pub mod iisformat;

pub mod ncsa;

pub mod timestamp;

pub mod batch;

pub mod reject;

pub mod reader;

pub use kind::LogKind;
pub use reader::{Chunk, FileContext, FileStats, LogReader, ReadError, ReaderOptions, ResumeState};
pub use reject::{Reject, RejectReason};
pub use schema::{table_schema, Table};
