//! The log reader: one source file in, batches of typed rows and rejected
//! lines out, in bounded memory.
//!
//! It pulls lines from [`crate::line`], follows every directive
//! ([`crate::directives`]) — each data line is typed by the `#Fields` in
//! force, fields the section lacks are null — or, for a file whose first
//! line is in the IIS log format or NCSA, reads every line in that format
//! ([`crate::iisformat`], [`crate::ncsa`]) as if under a `#Fields` of the
//! same data. A file of a kind no table takes (firewall, SMTP, not a log)
//! ends in [`ReadError::OtherFormat`] or [`ReadError::NotALog`] before its
//! first row; the caller skips it or fails. It fills a
//! [`crate::batch::BatchBuilder`], and returns a [`Chunk`] every
//! `batch_rows` rows. `iishunt-store` drives it (`ingest`, `read_raw`) and
//! saves [`ResumeState`] in its manifest so an appended tail can be read
//! later from where this run stopped.

use std::path::PathBuf;
use std::sync::Arc;

use arrow::array::RecordBatch;
use arrow::error::ArrowError;

use crate::batch::BatchBuilder;
use crate::directives::{self, Directive, Format, Other};
use crate::fields::IIS_DEFAULT_FIELDS;
use crate::kind::{kind_of_first_row, kind_of_folder, LogKind};
use crate::line::{LineEvent, LineReader};
use crate::reject::{Reject, RejectReason};
use crate::schema::{stored_columns, Table, COMPUTER, TIME_GENERATED};
use crate::section::Section;
use crate::split::{looks_like_w3c_row, parse_number, split_fields, OwnedValues};
use crate::timestamp::{parse_date, parse_time, MICROS_PER_DAY};
use crate::{iisformat, ncsa};

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
    /// The file is a log of a kind no table takes (firewall, SMTP, a W3C
    /// log with unknown fields): callers skip it, naming the kind.
    #[error("{path} is a {kind} ({detail}); {}", kind.skip_reason())]
    OtherFormat {
        /// The file.
        path: PathBuf,
        /// What it is.
        kind: LogKind,
        /// What showed it (`#Software: Microsoft Windows Firewall`).
        detail: String,
    },
    /// The file is in no log format iishunt recognises.
    #[error("{path} is not a log iishunt reads (first line: {first_line:?}){hint}; it reads IIS W3C (web, FTP), HTTP.sys error, IIS log format and NCSA logs")]
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
    /// Offset from UTC, in minutes east, of the local time that IIS log
    /// format files record (`60` for UTC+01:00). W3C logs are in UTC and
    /// NCSA lines carry their own offset; neither uses it.
    pub local_offset_minutes: i32,
}

impl Default for ReaderOptions {
    fn default() -> Self {
        ReaderOptions {
            batch_rows: 128 * 1024,
            max_line: 1 << 20,
            local_offset_minutes: 0,
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
    /// The `#Fields` in force (for the IIS log format and NCSA, the fields
    /// their lines are read as).
    pub fields: Option<Vec<String>>,
    /// The kind of log, once known.
    pub kind: Option<LogKind>,
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

/// How the data lines of a file are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// W3C extended: directives and `#Fields`.
    W3c,
    /// The IIS log format, every line.
    IisFormat,
    /// NCSA, every line; combined (referer and user agent) or common.
    Ncsa { combined: bool },
}

/// Everything but the line splitter, so a line borrowed from it can be
/// handled while this state is mutated.
struct State {
    ctx: FileContext,
    opts: ReaderOptions,
    mode: Mode,
    kind: Option<LogKind>,
    /// The first data line has been checked for an SMTP or IIS 6 FTP log
    /// under web-log headers ([`kind_of_first_row`]).
    probed: bool,
    values: OwnedValues,
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
            mode: Mode::W3c,
            kind: None,
            probed: resume.offset > 0,
            values: OwnedValues::default(),
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
        st.kind = resume.kind.or(match resume.table {
            Some(Table::W3CIISLog) => Some(LogKind::W3cWeb),
            Some(Table::HttpErrorLog) => Some(LogKind::HttpErr),
            Some(Table::IISFtpLog) => Some(LogKind::Ftp),
            None => None,
        });
        if let Some(table) = resume.table {
            st.set_table(table);
            if let Some(names) = resume.fields {
                // The fields a legacy format is read as name it (an IIS
                // log format FTP file has kind FTP).
                let is =
                    |fields: &[&str]| names.iter().map(String::as_str).eq(fields.iter().copied());
                let iis_kinds = matches!(st.kind, Some(LogKind::IisFormat | LogKind::Ftp));
                st.mode = if iis_kinds && is(&iisformat::FIELDS) {
                    Mode::IisFormat
                } else if st.kind == Some(LogKind::Ncsa) {
                    Mode::Ncsa {
                        combined: is(&ncsa::COMBINED_FIELDS),
                    }
                } else {
                    Mode::W3c
                };
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

    /// The kind of log this file is, once its headers (or first line) said so.
    pub fn kind(&self) -> Option<LogKind> {
        self.st.kind
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
            kind: self.st.kind,
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
        if self.mode != Mode::W3c {
            self.legacy_row(text, number, offset);
            return Ok(());
        }
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
        if !self.probed {
            self.probed = true;
            self.probe(text)?;
        }
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
            self.kind = Some(LogKind::W3cWeb);
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
        let legacy = if let Some(combined) = ncsa::looks_like(text) {
            Some((LogKind::Ncsa, Mode::Ncsa { combined }))
        } else if iisformat::looks_like(text) {
            Some((LogKind::IisFormat, Mode::IisFormat))
        } else {
            None
        };
        if let Some((mut kind, mode)) = legacy {
            let names: &[&str] = match mode {
                Mode::Ncsa { combined: true } => &ncsa::COMBINED_FIELDS,
                Mode::Ncsa { combined: false } => &ncsa::COMMON_FIELDS,
                _ => &iisformat::FIELDS,
            };
            let mut table = Table::W3CIISLog;
            if mode == Mode::IisFormat {
                // IIS 5/6's FTP and SMTP services could write this format
                // too: the service name says whose log it is.
                let service = iisformat::service(text).unwrap_or_default();
                match kind_of_first_row(Some(service), None, None) {
                    Some(LogKind::Ftp) => {
                        kind = LogKind::Ftp;
                        table = Table::IISFtpLog;
                    }
                    Some(LogKind::Smtp) => {
                        return Err(ReadError::OtherFormat {
                            path: self.ctx.path.clone(),
                            kind: LogKind::Smtp,
                            detail: format!(
                                "IIS log format, service {}",
                                String::from_utf8_lossy(service)
                            ),
                        })
                    }
                    _ => {}
                }
            }
            self.kind = Some(kind);
            self.mode = mode;
            self.set_table(table);
            self.start_section(names.iter().map(|s| s.to_string()).collect());
            self.legacy_row(text, number, offset);
            return Ok(());
        }
        let shown = String::from_utf8_lossy(&text[..text.len().min(80)]).into_owned();
        let hint = if text.windows(2).any(|w| w == b", ") {
            "; it is comma-separated but not the IIS log format (15 values, a M/D/YYYY date)"
                .to_string()
        } else if text.contains(&b'[') && text.contains(&b'"') {
            "; it looks like an NCSA log but its [date] or quoted request does not parse"
                .to_string()
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
                    let format = directives::format_from_software(&value);
                    self.software_format = format.map_err(|o| self.other_format(o))?;
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
                    let folder = kind_of_folder(&self.ctx.path);
                    let format =
                        directives::format_from_fields(&names, self.software_format, folder);
                    let format: Format = format.map_err(|o| self.other_format(o))?;
                    self.kind = Some(format.kind());
                    self.set_table(format.table());
                }
                self.start_section(names);
            }
            Directive::Version(_) | Directive::Other => {}
        }
        Ok(())
    }

    fn other_format(&self, other: Other) -> ReadError {
        ReadError::OtherFormat {
            path: self.ctx.path.clone(),
            kind: other.kind,
            detail: other.detail,
        }
    }

    /// The first data line of a file read as a web log (its values split
    /// into `self.spans`): IIS's SMTP service writes the same headers as its
    /// web logs, and IIS 6's FTP service has no FTP-only field, so the row
    /// itself may show the file is one of those ([`kind_of_first_row`]).
    /// An SMTP log is refused before any row; an IIS 6 FTP log is re-read
    /// as `IISFtpLog` from this row on.
    fn probe(&mut self, text: &[u8]) -> Result<(), ReadError> {
        if self.table != Some(Table::W3CIISLog) || self.kind != Some(LogKind::W3cWeb) {
            return Ok(());
        }
        let Some(section) = &self.section else {
            return Ok(());
        };
        let value = |name: &str| {
            let pos = section
                .names
                .iter()
                .position(|n| n.eq_ignore_ascii_case(name))?;
            let &(a, b) = self.spans.get(pos)?;
            Some(&text[a..b])
        };
        let (site, method, version) =
            (value("s-sitename"), value("cs-method"), value("cs-version"));
        let shown = |v: Option<&[u8]>| String::from_utf8_lossy(v.unwrap_or(b"-")).into_owned();
        match kind_of_first_row(site, method, version) {
            Some(LogKind::Smtp) => Err(ReadError::OtherFormat {
                path: self.ctx.path.clone(),
                kind: LogKind::Smtp,
                detail: format!(
                    "first row: s-sitename {}, cs-method {}, cs-version {}",
                    shown(site),
                    shown(method),
                    shown(version)
                ),
            }),
            Some(LogKind::Ftp) => {
                let names = section.names.clone();
                self.kind = Some(LogKind::Ftp);
                self.set_table(Table::IISFtpLog);
                self.start_section(names);
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// One line of an IIS log format or NCSA file.
    fn legacy_row(&mut self, text: &[u8], number: u64, offset: u64) {
        let lossy;
        let (text, valid) = if std::str::from_utf8(text).is_ok() {
            (text, true)
        } else {
            lossy = String::from_utf8_lossy(text).into_owned();
            (lossy.as_bytes(), false)
        };
        let mut values = std::mem::take(&mut self.values);
        let parsed = match self.mode {
            Mode::Ncsa { combined } => match ncsa::parse(text, &mut values) {
                Ok((_, c)) if c != combined => Err(RejectReason::Malformed {
                    detail: if combined {
                        "an NCSA common line in a file of NCSA combined lines".into()
                    } else {
                        "an NCSA combined line in a file of NCSA common lines".into()
                    },
                }),
                other => other.map(|(ts, _)| ts),
            },
            _ => iisformat::parse(text, self.opts.local_offset_minutes, &mut values),
        };
        match parsed {
            Ok(ts) => {
                std::mem::swap(&mut self.spans, &mut values.spans);
                let before = self.stats.rows;
                self.append(&values.buf, text, number, offset, ts);
                if !valid && self.stats.rows > before {
                    self.stats.invalid_utf8 += 1;
                }
                std::mem::swap(&mut self.spans, &mut values.spans);
            }
            Err(reason) => self.reject(number, reason, text),
        }
        self.values = values;
    }

    /// One data line under the section in force (the hot path).
    /// `split` tells whether `self.spans` already holds this line's fields.
    fn row(&mut self, text: &[u8], number: u64, offset: u64, split: bool) {
        let Some(section) = self.section.as_ref() else {
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
        self.append(text, text, number, offset, days * MICROS_PER_DAY + micros);
    }

    /// Types and appends the values of one line (in `self.spans`, spans of
    /// `values`) with `TimeGenerated` `ts`; `line` is the line as read, for
    /// a reject.
    #[inline]
    fn append(&mut self, values: &[u8], line: &[u8], number: u64, offset: u64, ts: i64) {
        let (Some(section), Some(b)) = (self.section.as_ref(), self.builder.as_mut()) else {
            return;
        };
        let spans = &self.spans;
        let text = values;
        let field = |pos: usize| &text[spans[pos].0..spans[pos].1];
        self.numbers.clear();
        for (pos, _, is32, name) in &section.numbers {
            match parse_number(field(*pos)) {
                Ok(v) if !*is32 || v.is_none_or(|v| v <= i32::MAX as i64) => self.numbers.push(v),
                _ => {
                    let reason = RejectReason::BadNumber {
                        field: name.clone(),
                    };
                    self.reject(number, reason, line);
                    return;
                }
            }
        }
        // The line is valid: append it.
        b.push_int(TIME_GENERATED, Some(ts));
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

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::{Array, AsArray};
    use arrow::datatypes::{Int64Type, TimestampMicrosecondType};

    /// Reads `text` written to `dir/<rel>`: (kind, table, rows, rejects) or the error.
    fn read(rel: &str, text: &str, offset_minutes: i32) -> Result<Read, ReadError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        let ctx = FileContext {
            path: path.clone(),
            file_uri: Arc::from(rel),
            computer: Arc::from("HOST"),
            resume: None,
            live: false,
        };
        let opts = ReaderOptions {
            local_offset_minutes: offset_minutes,
            ..ReaderOptions::default()
        };
        let mut reader = LogReader::open(ctx, opts)?;
        let mut batches = Vec::new();
        let mut rejects = Vec::new();
        while let Some(chunk) = reader.next_chunk()? {
            batches.extend(chunk.batch);
            rejects.extend(chunk.rejects);
        }
        Ok(Read {
            kind: reader.kind(),
            table: reader.table(),
            batches,
            rejects,
            resume: reader.resume_state(),
        })
    }

    struct Read {
        kind: Option<LogKind>,
        table: Option<Table>,
        batches: Vec<RecordBatch>,
        rejects: Vec<Reject>,
        resume: ResumeState,
    }

    impl Read {
        fn rows(&self) -> usize {
            self.batches.iter().map(|b| b.num_rows()).sum()
        }

        /// Column `name` of the first batch, row by row, as text (`null` for null).
        fn column(&self, name: &str) -> Vec<String> {
            let batch = &self.batches[0];
            let col = batch.column_by_name(name).unwrap();
            let col = arrow::compute::cast(col, &arrow::datatypes::DataType::Utf8).unwrap();
            let col = col.as_string::<i32>();
            (0..col.len())
                .map(|i| {
                    if col.is_null(i) {
                        "null".to_string()
                    } else {
                        col.value(i).to_string()
                    }
                })
                .collect()
        }

        fn times(&self) -> Vec<i64> {
            let ts = self.batches[0]
                .column_by_name("TimeGenerated")
                .unwrap()
                .as_primitive::<TimestampMicrosecondType>();
            ts.values().to_vec()
        }
    }

    fn utc(date: &str, secs: i64) -> i64 {
        parse_date(date.as_bytes()).unwrap() * MICROS_PER_DAY + secs * 1_000_000
    }

    const FTP: &str = "#Software: Microsoft Internet Information Services 10.0\n\
#Version: 1.0\n\
#Date: 2026-03-02 00:00:00\n\
#Fields: date time c-ip cs-username s-ip s-port cs-method cs-uri-stem sc-status sc-win32-status sc-substatus x-session x-fullpath\n\
2026-03-02 00:00:01 10.0.0.9 - 10.0.0.5 21 ControlChannelOpened - - 0 0 7a1c0e5f-1 -\n\
2026-03-02 00:00:02 10.0.0.9 admin 10.0.0.5 21 PASS *** 530 1326 41 7a1c0e5f-1 /\n";

    #[test]
    fn ftp_logs_go_to_their_own_table() {
        let r = read("FTPSVC1/u_ex260302.log", FTP, 0).unwrap();
        assert_eq!(
            (r.kind, r.table),
            (Some(LogKind::Ftp), Some(Table::IISFtpLog))
        );
        assert_eq!(r.rows(), 2);
        assert_eq!(r.column("csMethod"), ["ControlChannelOpened", "PASS"]);
        assert_eq!(r.column("scStatus"), ["-", "530"]);
        assert_eq!(r.column("scWin32Status"), ["0", "1326"]);
        assert_eq!(r.column("xSession"), ["7a1c0e5f-1", "7a1c0e5f-1"]);
        assert_eq!(r.column("sPort"), ["21", "21"]);
        assert_eq!(r.column("cPort"), ["null", "null"]);
        // x-session alone decides, whatever the folder.
        let elsewhere = read("logs/u_ex260302.log", FTP, 0).unwrap();
        assert_eq!(elsewhere.table, Some(Table::IISFtpLog));
    }

    #[test]
    fn iis6_ftp_logs_are_told_by_their_folder_or_first_method() {
        let text = "#Software: Microsoft Internet Information Services 6.0\n\
#Date: 2006-03-02 00:00:00\n\
#Fields: time c-ip cs-method cs-uri-stem sc-status\n\
00:00:01 10.0.0.9 [1]USER admin 331\n\
00:00:02 10.0.0.9 [1]PASS - 530\n";
        let by_folder = read("MSFTPSVC1/ex060302.log", text, 0).unwrap();
        assert_eq!(by_folder.table, Some(Table::IISFtpLog));
        let by_row = read("old/ex060302.log", text, 0).unwrap();
        assert_eq!(
            (by_row.kind, by_row.table),
            (Some(LogKind::Ftp), Some(Table::IISFtpLog))
        );
        assert_eq!(by_row.rows(), 2);
        assert_eq!(by_row.column("csMethod"), ["[1]USER", "[1]PASS"]);
    }

    #[test]
    fn smtp_and_firewall_logs_are_refused_before_any_row() {
        let smtp = "#Software: Microsoft Internet Information Services 6.0\n\
#Fields: date time c-ip cs-username s-sitename cs-method cs-uri-stem sc-status\n\
2026-03-02 00:00:01 10.0.0.9 mail.example.com SMTPSVC1 EHLO - 250\n";
        for rel in ["SMTPSVC1/ex260302.log", "any/ex260302.log"] {
            match read(rel, smtp, 0) {
                Err(ReadError::OtherFormat { kind, detail, .. }) => {
                    assert_eq!(kind, LogKind::Smtp, "{rel}");
                    assert!(detail.contains("SMTPSVC"), "{detail}");
                }
                other => panic!("{rel}: {:?}", other.map(|r| r.rows())),
            }
        }
        let firewall =
            "#Version: 1.5\n#Software: Microsoft Windows Firewall\n#Time Format: Local\n\
#Fields: date time action protocol src-ip dst-ip src-port dst-port\n\
2026-03-02 00:00:01 DROP TCP 10.0.0.9 10.0.0.5 5000 445\n";
        let err = read("pfirewall.log", firewall, 0).err().unwrap();
        assert!(
            matches!(
                err,
                ReadError::OtherFormat {
                    kind: LogKind::Firewall,
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains("Windows Firewall log"), "{err}");
    }

    #[test]
    fn iis_log_format_files_fill_w3ciislog_in_utc() {
        let text = "192.168.114.201, -, 3/20/2001, 7:55:20, W3SVC2, SALES1, 172.21.13.45, 4502, 163, 3223, 200, 0, GET, /DeptLogo.gif, -,\r\n\
10.0.0.1, bob, 3/20/2001, 23:59:59, W3SVC2, SALES1, 172.21.13.45, x, 1, 2, 500, 0, POST, /a.asp, id=7,\r\n\
10.0.0.1, bob, 3/20/2001, 8:00:00, W3SVC2, SALES1\r\n";
        // A server at UTC-05:00.
        let r = read("W3SVC2/in010320.log", text, -300).unwrap();
        assert_eq!(
            (r.kind, r.table),
            (Some(LogKind::IisFormat), Some(Table::W3CIISLog))
        );
        assert_eq!(r.rows(), 1);
        assert_eq!(r.times(), [utc("2001-03-20", 12 * 3600 + 55 * 60 + 20)]);
        assert_eq!(r.column("Computer"), ["SALES1"]);
        assert_eq!(r.column("sSiteName"), ["W3SVC2"]);
        assert_eq!(r.column("csBytes"), ["163"]);
        assert_eq!(r.column("scBytes"), ["3223"]);
        assert_eq!(r.column("csUriQuery"), ["-"]);
        assert_eq!(r.column("sPort"), ["null"]);
        let reasons: Vec<&str> = r.rejects.iter().map(|x| x.reason.code()).collect();
        assert_eq!(reasons, ["bad_number", "field_count"]);
        assert_eq!((r.rejects[0].line, r.rejects[1].line), (2, 3));
        // An appended tail is read in the same format.
        assert_eq!(r.resume.kind, Some(LogKind::IisFormat));
        assert_eq!(r.resume.fields.as_ref().map(Vec::len), Some(13));
    }

    #[test]
    fn iis_log_format_files_of_the_ftp_and_smtp_services() {
        let ftp = "10.0.0.9, admin, 3/20/2001, 7:55:20, MSFTPSVC1, SALES1, 10.0.0.5, 0, 0, 0, 530, 1326, [1]PASS, -, -,\n";
        let r = read("logs/in010320.log", ftp, 0).unwrap();
        assert_eq!(
            (r.kind, r.table),
            (Some(LogKind::Ftp), Some(Table::IISFtpLog))
        );
        assert_eq!(r.column("scStatus"), ["530"]);
        assert_eq!(r.column("sSiteName"), ["MSFTPSVC1"]);
        // Parameters have no FTP column: they are kept as an extra one.
        assert_eq!(r.column("csUriQuery"), ["-"]);
        assert_eq!(r.resume.kind, Some(LogKind::Ftp));
        let smtp = ftp.replace("MSFTPSVC1", "SMTPSVC1");
        let err = read("logs/in010320.log", &smtp, 0).err().unwrap();
        assert!(
            matches!(
                err,
                ReadError::OtherFormat {
                    kind: LogKind::Smtp,
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn ncsa_files_fill_w3ciislog_with_their_own_offset() {
        let text = r#"10.0.0.7 - REDMOND\fred [08/Apr/1997:17:39:04 -0800] "GET /scripts/ism.dll?http/serv HTTP/1.0" 200 3401 "http://a/" "Mozilla/4.0 (compatible; MSIE 4.01)"
10.0.0.8 - - [08/Apr/1997:17:40:00 -0800] "GET / HTTP/1.0" 304 -
10.0.0.9 - - [08/Apr/1997:17:41:00 -0800] "POST /login HTTP/1.0" 401 12 "-" "curl/7.0"
"#;
        let r = read("W3SVC1/nc970408.log", text, 120).unwrap();
        assert_eq!(
            (r.kind, r.table),
            (Some(LogKind::Ncsa), Some(Table::W3CIISLog))
        );
        assert_eq!(r.rows(), 2);
        assert_eq!(
            r.times(),
            [
                utc("1997-04-09", 3600 + 39 * 60 + 4),
                utc("1997-04-09", 3600 + 41 * 60)
            ]
        );
        assert_eq!(r.column("csUserName"), ["REDMOND\\fred", "-"]);
        assert_eq!(r.column("csUriStem"), ["/scripts/ism.dll", "/login"]);
        assert_eq!(r.column("csUriQuery"), ["http/serv", "-"]);
        assert_eq!(
            r.column("csUserAgent"),
            ["Mozilla/4.0 (compatible; MSIE 4.01)", "curl/7.0"]
        );
        assert_eq!(r.column("csReferer"), ["http://a/", "-"]);
        assert_eq!(r.column("Computer"), ["HOST", "HOST"]);
        let bytes = r.batches[0].column_by_name("scBytes").unwrap();
        assert_eq!(bytes.as_primitive::<Int64Type>().value(0), 3401);
        assert_eq!(r.rejects.len(), 1);
        assert_eq!(r.rejects[0].line, 2);
        assert!(r.rejects[0].reason.to_string().contains("common line"));
    }

    #[test]
    fn a_text_file_is_not_a_log() {
        let err = read("setup.log", "Setup started at 10:00\nok\n", 0)
            .err()
            .unwrap();
        assert!(matches!(err, ReadError::NotALog { .. }), "{err}");
        assert!(err.to_string().contains("Setup started"), "{err}");
    }
}
