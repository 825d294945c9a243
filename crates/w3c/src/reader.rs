//! The log reader: one source file in, batches of typed rows and rejected
//! lines out, in bounded memory.
//!
//! It pulls lines from [`crate::line`], follows every directive
//! ([`crate::directives`]) — each data line is typed by the `#Fields` in
//! force, fields the section lacks are null — fills a
//! [`crate::batch::BatchBuilder`], and returns a [`Chunk`] every
//! `batch_rows` rows. `iishunt-store` drives it (`ingest`, `read_raw`) and
//! saves [`ResumeState`] in its manifest so an appended tail can be read
//! later from where this run stopped.

use std::path::PathBuf;
use std::sync::Arc;

use arrow::array::RecordBatch;
use arrow::error::ArrowError;

use crate::batch::BatchBuilder;
use crate::directives::{self, Directive, Format};
use crate::fields::IIS_DEFAULT_FIELDS;
use crate::line::{LineEvent, LineReader};
use crate::reject::{Reject, RejectReason};
use crate::schema::{stored_columns, Table, COMPUTER, TIME_GENERATED};
use crate::section::Section;
use crate::split::{looks_like_w3c_row, parse_number, split_fields};
use crate::timestamp::{parse_date, parse_time, MICROS_PER_DAY};

/// Errors that stop reading a file (bad lines are [`Reject`]s instead).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be opened or read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file is a W3C-shaped log of another kind (FTP, firewall, …).
    #[error("{path} is {what}; iishunt reads IIS web (W3C extended) and HTTP.sys error logs")]
    Unsupported {
        /// The file.
        path: PathBuf,
        /// What it looks like.
        what: String,
    },
    /// The file does not look like a W3C extended log at all.
    #[error("{path} is not a W3C extended log (first line: {first_line:?}){hint}")]
    NotALog {
        /// The file.
        path: PathBuf,
        /// Its first non-empty line, shortened.
        first_line: String,
        /// A guess at what it is instead.
        hint: String,
    },
    /// Building a batch failed; this is a bug.
    #[error("internal error building rows from {path} (this is a bug): {source}")]
    Arrow {
        /// The file.
        path: PathBuf,
        /// Arrow's message.
        source: ArrowError,
    },
}

/// Tuning knobs.
#[derive(Clone, Debug)]
pub struct ReaderOptions {
    /// Rows per batch (and so per Parquet row group).
    pub batch_rows: usize,
    /// Lines longer than this many bytes are rejected as over-long.
    pub max_line: usize,
}

impl Default for ReaderOptions {
    fn default() -> Self {
        ReaderOptions {
            batch_rows: 128 * 1024,
            max_line: 1 << 20,
        }
    }
}

/// Where a previous run stopped in a file, to read its appended tail.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResumeState {
    /// Byte offset of the first unread byte.
    pub offset: u64,
    /// Physical lines before that offset.
    pub lines: u64,
    /// The table the file feeds, once known.
    pub table: Option<Table>,
    /// Last `#Software` value.
    pub software: Option<String>,
    /// Last `#Date` value.
    pub date: Option<String>,
    /// The `#Fields` in force.
    pub fields: Option<Vec<String>>,
}

/// What the reader needs to know about one file.
#[derive(Clone, Debug)]
pub struct FileContext {
    /// The file to read.
    pub path: PathBuf,
    /// How the file is named in `FileUri` and in rejects.
    pub file_uri: Arc<str>,
    /// `Computer` for rows without an `s-computername` value.
    pub computer: Arc<str>,
    /// Continue after a previous run instead of reading from the start.
    pub resume: Option<ResumeState>,
    /// The file may still be written (IIS's current log): hold back an
    /// unterminated last line instead of reading a half-written line.
    pub live: bool,
}

/// Counters for one file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileStats {
    /// Physical lines read (directives, data, blank, padding).
    pub lines: u64,
    /// Directive (`#`) lines.
    pub directives: u64,
    /// Rows produced.
    pub rows: u64,
    /// Lines rejected.
    pub rejects: u64,
    /// NUL-only lines skipped (IIS pre-allocation).
    pub nul_lines: u64,
    /// NUL bytes skipped.
    pub nul_bytes: u64,
    /// Empty lines skipped.
    pub blank_lines: u64,
    /// Rows kept whose line had invalid UTF-8 (replaced by U+FFFD).
    pub invalid_utf8: u64,
    /// Rows whose `Computer` came from `s-computername`.
    pub computer_from_field: u64,
    /// Rows whose `Computer` came from the fallback name.
    pub computer_from_fallback: u64,
    /// True when the file had no `#Fields` and IIS's defaults were assumed.
    pub assumed_default_fields: bool,
    /// True when an unterminated last line was held back (live file).
    pub held_partial_line: bool,
}

/// What one call to [`LogReader::next_chunk`] returns.
#[derive(Debug)]
pub struct Chunk {
    /// Rows, in the storage schema of the file's table (none if the chunk
    /// held only rejects).
    pub batch: Option<RecordBatch>,
    /// Lines rejected in this chunk.
    pub rejects: Vec<Reject>,
    /// Source bytes consumed since the previous chunk (for progress).
    pub bytes: u64,
}

/// Everything but the line splitter, so a line borrowed from it can be
/// handled while this state is mutated.
struct State {
    ctx: FileContext,
    opts: ReaderOptions,
    table: Option<Table>,
    software: Option<String>,
    software_format: Option<Format>,
    date_value: Option<String>,
    date_days: Option<i64>,
    section: Option<Section>,
    builder: Option<BatchBuilder>,
    rejects: Vec<Reject>,
    /// Bytes of reject text held (chunks are cut to bound memory).
    reject_bytes: usize,
    stats: FileStats,
    seen_content: bool,
    spans: Vec<(usize, usize)>,
    numbers: Vec<Option<i64>>,
    last_date: ([u8; 10], i64),
}

/// Reads one log file chunk by chunk.
pub struct LogReader {
    lines: LineReader<crate::gz::Source>,
    st: State,
    reported_bytes: u64,
    done: bool,
}

impl LogReader {
    /// Opens `ctx.path` (resuming at `ctx.resume` if given).
    pub fn open(ctx: FileContext, opts: ReaderOptions) -> Result<LogReader, ReadError> {
        let resume = ctx.resume.clone().unwrap_or_default();
        let src = crate::gz::open(&ctx.path, resume.offset).map_err(|source| ReadError::Io {
            path: ctx.path.clone(),
            source,
        })?;
        let lines = LineReader::new(src, resume.offset, resume.lines + 1, opts.max_line)
            .hold_partial(ctx.live);
        let mut st = State {
            ctx,
            opts,
            table: None,
            software: None,
            software_format: None,
            date_value: None,
            date_days: None,
            section: None,
            builder: None,
            rejects: Vec::new(),
            reject_bytes: 0,
            stats: FileStats::default(),
            seen_content: resume.offset > 0,
            spans: Vec::with_capacity(32),
            numbers: Vec::with_capacity(8),
            last_date: ([0; 10], 0),
        };
        if let Some(software) = resume.software {
            st.software_format = directives::format_from_software(&software).ok().flatten();
            st.software = Some(software);
        }
        if let Some(date) = resume.date {
            st.date_days = parse_date(directives::date_part(&date).as_bytes());
            st.date_value = Some(date);
        }
        if let Some(table) = resume.table {
            st.set_table(table);
            if let Some(names) = resume.fields {
                st.start_section(names);
            }
        }
        Ok(LogReader {
            lines,
            st,
            reported_bytes: resume.offset,
            done: false,
        })
    }

    /// The table this file feeds, once its headers (or first row) said so.
    pub fn table(&self) -> Option<Table> {
        self.st.table
    }

    /// Counters so far.
    pub fn stats(&self) -> FileStats {
        let mut stats = self.st.stats.clone();
        stats.nul_bytes = self.lines.nul_bytes;
        stats.held_partial_line = self.lines.held_partial;
        stats
    }

    /// Where to resume next time: call after [`Self::next_chunk`] returned `None`.
    pub fn resume_state(&self) -> ResumeState {
        ResumeState {
            offset: self.lines.consumed_bytes(),
            lines: self.lines.consumed_lines(),
            table: self.st.table,
            software: self.st.software.clone(),
            date: self.st.date_value.clone(),
            fields: self.st.section.as_ref().map(|s| s.names.clone()),
        }
    }

    /// The next batch of rows and rejects, or `None` when the file is done.
    pub fn next_chunk(&mut self) -> Result<Option<Chunk>, ReadError> {
        if self.done {
            return Ok(None);
        }
        let limit_rows = self.st.opts.batch_rows;
        loop {
            let full = self
                .st
                .builder
                .as_ref()
                .is_some_and(|b| b.rows() >= limit_rows || b.string_bytes() > (1 << 30))
                || self.st.rejects.len() >= 10_000
                || self.st.reject_bytes >= 64 << 20;
            if full {
                return self.take_chunk().map(Some);
            }
            let event = self.lines.next_event().map_err(|source| ReadError::Io {
                path: self.st.ctx.path.clone(),
                source,
            })?;
            match event {
                None => {
                    self.done = true;
                    let has_rows = self.st.builder.as_ref().is_some_and(|b| b.rows() > 0);
                    if has_rows || !self.st.rejects.is_empty() {
                        return self.take_chunk().map(Some);
                    }
                    return Ok(None);
                }
                Some(LineEvent::NulPadding) => {
                    self.st.stats.lines += 1;
                    self.st.stats.nul_lines += 1;
                }
                Some(LineEvent::OverLong {
                    sample,
                    number,
                    len,
                    ..
                }) => {
                    self.st.stats.lines += 1;
                    self.st
                        .reject(number, RejectReason::OverLong { len }, &sample);
                }
                Some(LineEvent::Line {
                    text,
                    number,
                    offset,
                }) => {
                    self.st.stats.lines += 1;
                    self.st.line(text, number, offset)?;
                }
            }
        }
    }

    fn take_chunk(&mut self) -> Result<Chunk, ReadError> {
        let batch = match &mut self.st.builder {
            Some(b) if b.rows() > 0 => Some(b.finish().map_err(|source| ReadError::Arrow {
                path: self.st.ctx.path.clone(),
                source,
            })?),
            _ => None,
        };
        let consumed = self.lines.consumed_bytes();
        let bytes = consumed.saturating_sub(self.reported_bytes);
        self.reported_bytes = consumed;
        Ok(Chunk {
            batch,
            rejects: {
                self.st.reject_bytes = 0;
                std::mem::take(&mut self.st.rejects)
            },
            bytes,
        })
    }
}

impl State {
    fn set_table(&mut self, table: Table) {
        self.table = Some(table);
        self.builder = Some(BatchBuilder::new(
            table,
            self.ctx.file_uri.clone(),
            self.opts.batch_rows,
        ));
    }

    fn start_section(&mut self, names: Vec<String>) {
        if let (Some(table), Some(builder)) = (self.table, self.builder.as_mut()) {
            self.section = Some(Section::new(table, names, builder));
        }
    }

    fn reject(&mut self, line: u64, reason: RejectReason, text: &[u8]) {
        self.stats.rejects += 1;
        self.reject_bytes += text.len();
        self.rejects.push(Reject {
            file: self.ctx.file_uri.clone(),
            line,
            reason,
            text: String::from_utf8_lossy(text).into_owned(),
        });
    }

    fn line(&mut self, text: &[u8], number: u64, offset: u64) -> Result<(), ReadError> {
        if text.is_empty() || text.iter().all(|&b| b == b' ' || b == b'\t') {
            self.stats.blank_lines += 1;
            return Ok(());
        }
        let first = !self.seen_content;
        self.seen_content = true;
        if text[0] == b'#' {
            self.stats.directives += 1;
            return self.directive(text, number);
        }
        if self.section.is_none() {
            if first && self.table.is_none() {
                return self.headerless(text, number, offset);
            }
            self.reject(number, RejectReason::NoFields, text);
            return Ok(());
        }
        // Pure ASCII (proven while splitting) is valid UTF-8; otherwise check.
        let ascii = split_fields(text, &mut self.spans);
        if ascii || std::str::from_utf8(text).is_ok() {
            self.row(text, number, offset, true);
        } else {
            // Keep the row with U+FFFD for the bad bytes, and count it.
            let lossy = String::from_utf8_lossy(text).into_owned();
            let before = self.stats.rows;
            self.row(lossy.as_bytes(), number, offset, false);
            if self.stats.rows > before {
                self.stats.invalid_utf8 += 1;
            }
        }
        Ok(())
    }

    /// The first line of the file is not a directive.
    fn headerless(&mut self, text: &[u8], number: u64, offset: u64) -> Result<(), ReadError> {
        if looks_like_w3c_row(text) {
            split_fields(text, &mut self.spans);
            if self.spans.len() == IIS_DEFAULT_FIELDS.len() {
                self.stats.assumed_default_fields = true;
                self.set_table(Table::W3CIISLog);
                self.start_section(IIS_DEFAULT_FIELDS.iter().map(|s| s.to_string()).collect());
                let text = String::from_utf8_lossy(text).into_owned();
                self.row(text.as_bytes(), number, offset, false);
            } else {
                self.reject(number, RejectReason::NoFields, text);
            }
            return Ok(());
        }
        let shown = String::from_utf8_lossy(&text[..text.len().min(80)]).into_owned();
        let hint = if text.windows(2).any(|w| w == b", ") {
            "; it looks like the old comma-separated IIS log format, which is not supported"
                .to_string()
        } else if text.windows(3).any(|w| w == b" - ") && text.contains(&b'[') {
            "; it looks like an NCSA common log, which is not supported".to_string()
        } else {
            String::new()
        };
        Err(ReadError::NotALog {
            path: self.ctx.path.clone(),
            first_line: shown,
            hint,
        })
    }

    fn directive(&mut self, text: &[u8], number: u64) -> Result<(), ReadError> {
        let line = String::from_utf8_lossy(text);
        match directives::parse(&line) {
            Directive::Software(value) => {
                if self.table.is_none() {
                    self.software_format =
                        directives::format_from_software(&value).map_err(|what| {
                            ReadError::Unsupported {
                                path: self.ctx.path.clone(),
                                what,
                            }
                        })?;
                }
                self.software = Some(value);
            }
            Directive::Date(value) => {
                self.date_days = parse_date(directives::date_part(&value).as_bytes());
                self.date_value = Some(value);
            }
            Directive::Fields(names) if names.is_empty() => {
                self.section = None;
                let detail = "#Fields lists no field".to_string();
                self.reject(number, RejectReason::BadDirective { detail }, text);
            }
            Directive::Fields(names) => {
                if self.table.is_none() {
                    let format = directives::format_from_fields(&names, self.software_format)
                        .map_err(|what| ReadError::Unsupported {
                            path: self.ctx.path.clone(),
                            what,
                        })?;
                    self.set_table(match format {
                        Format::W3C => Table::W3CIISLog,
                        Format::HttpErr => Table::HttpErrorLog,
                    });
                }
                self.start_section(names);
            }
            Directive::Version(_) | Directive::Other => {}
        }
        Ok(())
    }

    /// One data line under the section in force (the hot path).
    /// `split` tells whether `self.spans` already holds this line's fields.
    fn row(&mut self, text: &[u8], number: u64, offset: u64, split: bool) {
        let (Some(section), Some(b)) = (self.section.as_ref(), self.builder.as_mut()) else {
            return;
        };
        if !split {
            split_fields(text, &mut self.spans);
        }
        let spans = &self.spans;
        if spans.len() != section.nfields {
            let reason = RejectReason::FieldCount {
                expected: section.nfields,
                got: spans.len(),
            };
            self.reject(number, reason, text);
            return;
        }
        let field = |pos: usize| &text[spans[pos].0..spans[pos].1];
        let days = match section.date {
            Some(p) => {
                let d = field(p);
                if d.len() == 10 && d == self.last_date.0 {
                    Some(self.last_date.1)
                } else {
                    let days = parse_date(d);
                    if let (Some(days), Ok(key)) = (days, <[u8; 10]>::try_from(d)) {
                        self.last_date = (key, days);
                    }
                    days
                }
            }
            None => match self.date_days {
                Some(days) => Some(days),
                None => {
                    self.reject(number, RejectReason::NoDate, text);
                    return;
                }
            },
        };
        let micros = match section.time {
            Some(p) => parse_time(field(p)),
            None => Some(0),
        };
        let (Some(days), Some(micros)) = (days, micros) else {
            self.reject(number, RejectReason::BadTimestamp, text);
            return;
        };
        self.numbers.clear();
        for (pos, _, is32, name) in &section.numbers {
            match parse_number(field(*pos)) {
                Ok(v) if !*is32 || v.is_none_or(|v| v <= i32::MAX as i64) => self.numbers.push(v),
                _ => {
                    let reason = RejectReason::BadNumber {
                        field: name.clone(),
                    };
                    self.reject(number, reason, text);
                    return;
                }
            }
        }
        // The line is valid: append it.
        b.push_int(TIME_GENERATED, Some(days * MICROS_PER_DAY + micros));
        match section.computer_name.map(field) {
            Some(name) if name != b"-" => {
                b.push_str(COMPUTER, name);
                self.stats.computer_from_field += 1;
            }
            _ => {
                b.push_str(COMPUTER, self.ctx.computer.as_bytes());
                self.stats.computer_from_fallback += 1;
            }
        }
        for &(pos, col) in &section.strings {
            b.push_str(col, field(pos));
        }
        for ((_, col, _, _), v) in section.numbers.iter().zip(&self.numbers) {
            b.push_int(*col, *v);
        }
        for &(pos, idx) in &section.customs {
            b.push_custom(idx, Some(field(pos)));
        }
        for &col in &section.missing {
            b.push_null(col);
        }
        for &idx in &section.missing_customs {
            b.push_custom(idx, None);
        }
        let stored = stored_columns(b.table()).len();
        b.push_int(stored - 1, Some(offset as i64));
        b.end_row();
        self.stats.rows += 1;
    }
}
