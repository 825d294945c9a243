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
use crate::fields::{self, Slot, IIS_DEFAULT_FIELDS};
use crate::line::{LineEvent, LineReader};
use crate::reject::{Reject, RejectReason};
use crate::schema::{
    stored_columns, ColumnKind, Table, COMPUTER, TIME_GENERATED, W3C_S_COMPUTER_NAME,
};
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

/// The typing of the lines under one `#Fields` directive.
struct Section {
    names: Vec<String>,
    nfields: usize,
    date: Option<usize>,
    time: Option<usize>,
    computer_name: Option<usize>,
    strings: Vec<(usize, usize)>,
    /// (field position, stored column, is Int32, field name)
    numbers: Vec<(usize, usize, bool, String)>,
    customs: Vec<(usize, usize)>,
    missing: Vec<usize>,
    missing_customs: Vec<usize>,
}

impl Section {
    fn new(table: Table, names: Vec<String>, builder: &mut BatchBuilder) -> Section {
        let stored = stored_columns(table);
        let mut taken = vec![false; stored.len()];
        let mut s = Section {
            nfields: names.len(),
            date: None,
            time: None,
            computer_name: None,
            strings: Vec::new(),
            numbers: Vec::new(),
            customs: Vec::new(),
            missing: Vec::new(),
            missing_customs: Vec::new(),
            names: Vec::new(),
        };
        let mut custom_used: Vec<usize> = Vec::new();
        for (pos, name) in names.iter().enumerate() {
            let slot = if name.eq_ignore_ascii_case("date") && s.date.is_none() {
                Slot::Date
            } else if name.eq_ignore_ascii_case("time") && s.time.is_none() {
                Slot::Time
            } else {
                match fields::column_for(table, name) {
                    Some(c) if !taken[c] => Slot::Column(c),
                    _ => {
                        let mut col = fields::custom_column_name(table, name);
                        let base = col.clone();
                        let mut n = 2;
                        while custom_used
                            .iter()
                            .any(|&i| builder.custom_names()[i] == col)
                        {
                            col = format!("{base}_{n}");
                            n += 1;
                        }
                        let idx = builder.custom(&col);
                        custom_used.push(idx);
                        Slot::Custom(idx)
                    }
                }
            };
            match slot {
                Slot::Date => s.date = Some(pos),
                Slot::Time => s.time = Some(pos),
                Slot::Column(c) => {
                    taken[c] = true;
                    if table == Table::W3CIISLog && c == W3C_S_COMPUTER_NAME {
                        s.computer_name = Some(pos);
                    }
                    match stored[c].kind {
                        ColumnKind::Dict | ColumnKind::Utf8 => s.strings.push((pos, c)),
                        kind => s
                            .numbers
                            .push((pos, c, kind == ColumnKind::Int32, name.clone())),
                    }
                }
                Slot::Custom(i) => {
                    // HTTP.sys logs s-computername in newer versions: it names
                    // the Computer there too.
                    if name.eq_ignore_ascii_case("s-computername") && s.computer_name.is_none() {
                        s.computer_name = Some(pos);
                    }
                    s.customs.push((pos, i));
                }
            }
        }
        let always = [TIME_GENERATED, COMPUTER, stored.len() - 2, stored.len() - 1];
        s.missing = (0..stored.len())
            .filter(|c| !taken[*c] && !always.contains(c))
            .collect();
        s.missing_customs = (0..builder.custom_names().len())
            .filter(|i| !custom_used.contains(i))
            .collect();
        s.names = names;
        s
    }
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

/// Splits on runs of spaces, eight bytes at a time: a SWAR mask marks the
/// space bytes of each word exactly, and the set bits are walked in order.
/// Much faster than a `memchr` call per field for IIS's short values. The
/// same pass notices quotes (`None`: the caller must use the quote-aware
/// splitter) and whether the line is pure ASCII (`Some(true)`: no UTF-8
/// check needed).
fn split_on_spaces(line: &[u8], out: &mut Vec<(usize, usize)>) -> Option<bool> {
    const LO7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const SPACES: u64 = 0x2020_2020_2020_2020;
    const QUOTES: u64 = 0x2222_2222_2222_2222;
    // High bit set exactly in the bytes of `t` that are zero.
    let zeros = |t: u64| !(((t & LO7).wrapping_add(LO7)) | t | LO7);
    let mut start = 0;
    let mut base = 0;
    let mut seen = 0u64;
    let mut words = line.chunks_exact(8);
    for word in &mut words {
        let w = u64::from_le_bytes([
            word[0], word[1], word[2], word[3], word[4], word[5], word[6], word[7],
        ]);
        seen |= w | zeros(w ^ QUOTES);
        let mut mask = zeros(w ^ SPACES);
        while mask != 0 {
            let i = base + (mask.trailing_zeros() / 8) as usize;
            if i > start {
                out.push((start, i));
            }
            start = i + 1;
            mask &= mask - 1;
        }
        base += 8;
    }
    for (k, &b) in words.remainder().iter().enumerate() {
        seen |= b as u64 | if b == b'"' { HIGH } else { 0 };
        if b == b' ' {
            let i = base + k;
            if i > start {
                out.push((start, i));
            }
            start = i + 1;
        }
    }
    if start < line.len() {
        out.push((start, line.len()));
    }
    // A quote sets a high bit through `zeros`; so does any non-ASCII byte.
    if seen & HIGH == 0 {
        return Some(true);
    }
    if line.contains(&b'"') {
        return None;
    }
    Some(false)
}

/// Splits a data line on runs of spaces; a value starting with `"` runs to
/// its closing quote (`""` is an escaped quote) and keeps its quotes.
/// Returns true when the line is pure ASCII (so valid UTF-8).
fn split_fields(line: &[u8], out: &mut Vec<(usize, usize)>) -> bool {
    out.clear();
    if let Some(ascii) = split_on_spaces(line, out) {
        return ascii;
    }
    out.clear();
    let mut i = 0;
    while i < line.len() {
        if line[i] == b' ' {
            i += 1;
            continue;
        }
        let start = i;
        if line[i] == b'"' {
            i += 1;
            while i < line.len() {
                if line[i] == b'"' {
                    if line.get(i + 1) == Some(&b'"') {
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                i += 1;
            }
        }
        while i < line.len() && line[i] != b' ' {
            i += 1;
        }
        out.push((start, i));
    }
    line.is_ascii()
}

/// `-` → `None`; ASCII digits → the value; anything else → `Err`.
#[inline]
fn parse_number(v: &[u8]) -> Result<Option<i64>, ()> {
    if v == b"-" {
        return Ok(None);
    }
    if v.is_empty() || v.len() > 18 {
        return Err(());
    }
    let mut n = 0i64;
    for &c in v {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return Err(());
        }
        n = n * 10 + d as i64;
    }
    Ok(Some(n))
}

/// Does this look like the start of a W3C data line (`YYYY-MM-DD ` or `HH:MM`)?
fn looks_like_w3c_row(line: &[u8]) -> bool {
    let date = line.len() > 10 && parse_date(&line[..10]).is_some() && line[10] == b' ';
    let time = line.len() > 5 && parse_time(&line[..5]).is_some();
    date || time
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
        let ascii = split_fields(text, &mut self.spans);
        match ascii || std::str::from_utf8(text).is_ok() {
            true => self.row(text, number, offset, true),
            false => {
                let lossy = String::from_utf8_lossy(text).into_owned();
                let before = self.stats.rows;
                self.row(lossy.as_bytes(), number, offset, false);
                if self.stats.rows > before {
                    self.stats.invalid_utf8 += 1;
                }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(line: &str) -> Vec<&str> {
        let mut out = Vec::new();
        split_fields(line.as_bytes(), &mut out);
        out.iter().map(|&(a, b)| &line[a..b]).collect()
    }

    #[test]
    fn splitting_collapses_spaces_and_keeps_quoted_values_whole() {
        assert_eq!(spans("a  b c "), ["a", "b", "c"]);
        assert_eq!(
            spans("2026-03-02 00:00:01 W3SVC1  WEB01 !\u{7f}x  "),
            ["2026-03-02", "00:00:01", "W3SVC1", "WEB01", "!\u{7f}x"]
        );
        assert_eq!(spans(""), Vec::<&str>::new());
        assert_eq!(spans("        "), Vec::<&str>::new());
        assert_eq!(spans("abcdefgh ijklmnop"), ["abcdefgh", "ijklmnop"]);
        assert_eq!(spans(r#"a "x y ""z""" b"#), ["a", r#""x y ""z""""#, "b"]);
        assert_eq!(spans("a b\"c d"), ["a", "b\"c", "d"]);
    }

    #[test]
    fn splitting_reports_pure_ascii_lines() {
        let mut out = Vec::new();
        assert!(split_fields(
            b"2026-03-02 00:00:01 /index.html 200",
            &mut out
        ));
        assert!(!split_fields(
            "2026-03-02 00:00:01 /café 200".as_bytes(),
            &mut out
        ));
        assert_eq!(out.len(), 4);
        assert!(!split_fields("a \"é b\" c".as_bytes(), &mut out));
        assert_eq!(out.len(), 3);
        assert!(split_fields(b"a \"b c\" d", &mut out));
        assert_eq!(out.len(), 3);
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_number(b"-"), Ok(None));
        assert_eq!(parse_number(b"443"), Ok(Some(443)));
        assert_eq!(parse_number(b"4x"), Err(()));
        assert_eq!(parse_number(b""), Err(()));
    }
}
