//! The truth file: what was planted, where and when, and which shipped
//! hunt is meant to find it. Tests read expected IPs from here, never from
//! the engine's output, and the demo prints it beside what fired.

use serde::{Deserialize, Serialize};

/// Everything the generator wrote and planted.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Truth {
    pub seed: u64,
    /// First instant of the week, RFC 3339.
    pub start: String,
    pub days: u32,
    /// Access-log request lines written (rows `W3CIISLog` must hold).
    pub access_lines: u64,
    /// HTTP.sys error lines written (rows `HttpErrorLog` must hold).
    pub error_lines: u64,
    /// Lines written malformed on purpose (ingest must reject exactly these).
    pub malformed_lines: u64,
    /// Log files written, relative to the log folder.
    pub files: Vec<FileTruth>,
    pub attacks: Vec<Attack>,
    /// Benign traffic that looks alarming and must not be reported.
    pub notables: Vec<Notable>,
}

/// One written file and what it holds.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct FileTruth {
    pub path: String,
    /// Data rows (not directives, not malformed lines).
    pub rows: u64,
    pub malformed: u64,
}

/// One planted attack.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Attack {
    /// A short stable name (`dir_scanner`).
    pub name: String,
    pub description: String,
    /// The attacking client's address.
    pub ip: String,
    pub server: String,
    /// First and last line, RFC 3339.
    pub first: String,
    pub last: String,
    /// Lines this attack wrote (access and error logs).
    pub lines: u64,
    /// Shipped hunts (file stems) that must report `ip`.
    pub hunts: Vec<String>,
}

/// Benign traffic with the look of an attack.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Notable {
    pub name: String,
    pub description: String,
    pub ip: String,
    pub server: String,
    #[serde(skip)]
    pub first_ms: i64,
    #[serde(skip)]
    pub last_ms: i64,
    pub requests: u64,
}
