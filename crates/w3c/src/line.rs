//! Splitting a byte stream into lines without loading it: a fixed buffer,
//! `memchr` for newlines, CRLF or LF, no final newline needed.
//!
//! Two things real IIS files contain are handled here, before any parsing:
//! runs of NUL bytes (IIS pre-extends its files with zeros; a NUL-only line is
//! reported as [`LineEvent::NulPadding`], never as a line) and over-long
//! lines (reported as [`LineEvent::OverLong`] with a sample, while the rest
//! is skipped, so memory stays bounded). Feeds [`crate::reader`].

use std::io::{self, Read};

/// How much of an over-long line is kept for the reject file.
pub const OVERLONG_SAMPLE: usize = 4096;

/// What [`LineReader::next_event`] found.
#[derive(Debug, PartialEq, Eq)]
pub enum LineEvent<'a> {
    /// A line without its terminator (and without leading/trailing NULs).
    Line {
        /// The bytes of the line.
        text: &'a [u8],
        /// 1-based physical line number.
        number: u64,
        /// Byte offset of the line start in the (decompressed) stream.
        offset: u64,
    },
    /// A line made only of NUL bytes (IIS pre-allocation).
    NulPadding,
    /// A line longer than the limit; `sample` is its beginning.
    OverLong {
        /// The first [`OVERLONG_SAMPLE`] bytes.
        sample: Vec<u8>,
        /// 1-based physical line number.
        number: u64,
        /// Byte offset of the line start.
        offset: u64,
        /// Full length in bytes.
        len: u64,
    },
}

/// A streaming line splitter over any reader.
pub struct LineReader<R> {
    src: R,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    /// Stream offset of `buf[0]`.
    base: u64,
    next_number: u64,
    max_line: usize,
    /// Stream offset just past the last line that was not trailing NULs.
    consumed: u64,
    /// Lines consumed up to `consumed`.
    consumed_lines: u64,
    /// NUL bytes skipped.
    pub nul_bytes: u64,
    /// Hold back an unterminated last line (see [`Self::hold_partial`]).
    hold_partial: bool,
    /// True once an unterminated last line was held back.
    pub held_partial: bool,
}

impl<R: Read> LineReader<R> {
    /// A reader starting at stream `offset` (for the manifest's appended
    /// tails) whose first line is numbered `first_line`. Lines longer than
    /// `max_line` bytes are reported as over-long.
    pub fn new(src: R, offset: u64, first_line: u64, max_line: usize) -> Self {
        let cap = (max_line + 1).max(1 << 20);
        LineReader {
            src,
            buf: vec![0; cap.max(4 << 20)],
            start: 0,
            end: 0,
            eof: false,
            base: offset,
            next_number: first_line,
            max_line,
            consumed: offset,
            consumed_lines: first_line.saturating_sub(1),
            nul_bytes: 0,
            hold_partial: false,
            held_partial: false,
        }
    }

    /// For a log IIS may still be writing: an unterminated last line is
    /// likely half-written, so it is neither returned nor consumed; the next
    /// run reads it whole. Otherwise it is returned like any line.
    pub fn hold_partial(mut self, hold: bool) -> Self {
        self.hold_partial = hold;
        self
    }

    /// Stream offset just past the last consumed line, not counting a
    /// trailing run of NULs (IIS will overwrite those with log lines).
    pub fn consumed_bytes(&self) -> u64 {
        self.consumed
    }

    /// Number of physical lines up to [`Self::consumed_bytes`].
    pub fn consumed_lines(&self) -> u64 {
        self.consumed_lines
    }

    /// Reads more bytes; returns false at end of stream.
    fn fill(&mut self) -> io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.base += self.start as u64;
            self.end -= self.start;
            self.start = 0;
        }
        if self.end == self.buf.len() {
            let grow = self.buf.len();
            self.buf.resize(grow * 2, 0);
        }
        loop {
            match self.src.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.end += n;
                    return Ok(true);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// The next line or NUL run, or `None` at end of stream.
    pub fn next_event(&mut self) -> io::Result<Option<LineEvent<'_>>> {
        // Skip NULs at the start of a line; they may run across refills.
        let mut saw_nul = false;
        loop {
            let nuls = self.buf[self.start..self.end]
                .iter()
                .take_while(|&&b| b == 0)
                .count();
            if nuls > 0 {
                saw_nul = true;
                self.start += nuls;
                self.nul_bytes += nuls as u64;
            }
            if self.start < self.end {
                break;
            }
            if !self.fill()? {
                return Ok(if saw_nul {
                    Some(LineEvent::NulPadding)
                } else {
                    None
                });
            }
        }
        // Find the end of the line.
        let mut scanned = 0;
        let nl = loop {
            if let Some(i) = memchr::memchr(b'\n', &self.buf[self.start + scanned..self.end]) {
                break Some(self.start + scanned + i);
            }
            scanned = self.end - self.start;
            if scanned > self.max_line {
                return self.skip_overlong().map(Some);
            }
            if !self.fill()? {
                break None;
            }
        };
        let line_start = self.start;
        if nl.is_none() && self.hold_partial {
            let rest = &self.buf[line_start..self.end];
            if rest.iter().any(|&b| b != 0 && b != b'\r') {
                self.held_partial = true;
                self.start = self.end;
                return Ok(None);
            }
        }
        let (line_end, next) = match nl {
            Some(i) => (i, i + 1),
            None => (self.end, self.end),
        };
        let offset = self.base + line_start as u64;
        let number = self.next_number;
        self.next_number += 1;
        self.start = next;
        let mut text = &self.buf[line_start..line_end];
        if let [rest @ .., b'\r'] = text {
            text = rest;
        }
        while let [rest @ .., 0] = text {
            text = rest;
        }
        if text.len() > self.max_line {
            let sample = text[..OVERLONG_SAMPLE.min(text.len())].to_vec();
            self.consumed = self.base + next as u64;
            self.consumed_lines = number;
            return Ok(Some(LineEvent::OverLong {
                sample,
                number,
                offset,
                len: text.len() as u64,
            }));
        }
        // A NUL-only line at the end of the stream is pre-allocation IIS
        // has not written yet: leave it unconsumed.
        if !(text.is_empty() && saw_nul && nl.is_none()) {
            self.consumed = self.base + next as u64;
            self.consumed_lines = number;
        }
        if text.is_empty() && saw_nul {
            return Ok(Some(LineEvent::NulPadding));
        }
        Ok(Some(LineEvent::Line {
            text,
            number,
            offset,
        }))
    }

    /// The buffer holds more than `max_line` bytes without a newline: keep a
    /// sample and drop bytes up to the next newline.
    fn skip_overlong(&mut self) -> io::Result<LineEvent<'static>> {
        let offset = self.base + self.start as u64;
        let number = self.next_number;
        self.next_number += 1;
        let sample =
            self.buf[self.start..self.start + OVERLONG_SAMPLE.min(self.end - self.start)].to_vec();
        let mut len = 0u64;
        loop {
            if let Some(i) = memchr::memchr(b'\n', &self.buf[self.start..self.end]) {
                len += i as u64;
                self.start += i + 1;
                break;
            }
            len += (self.end - self.start) as u64;
            self.start = self.end;
            if !self.fill()? {
                break;
            }
        }
        self.consumed = self.base + self.start as u64;
        self.consumed_lines = number;
        Ok(LineEvent::OverLong {
            sample,
            number,
            offset,
            len,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(input: &[u8], max_line: usize) -> Vec<String> {
        let mut r = LineReader::new(input, 0, 1, max_line);
        let mut out = Vec::new();
        while let Some(ev) = r.next_event().unwrap() {
            out.push(match ev {
                LineEvent::Line {
                    text,
                    number,
                    offset,
                } => {
                    format!("{number}@{offset}:{}", String::from_utf8_lossy(text))
                }
                LineEvent::NulPadding => "NUL".to_string(),
                LineEvent::OverLong { number, len, .. } => format!("{number}:long {len}"),
            });
        }
        out
    }

    #[test]
    fn crlf_lf_and_no_final_newline() {
        assert_eq!(events(b"a b\r\nc\nd", 100), ["1@0:a b", "2@5:c", "3@7:d"]);
    }

    #[test]
    fn nul_runs_are_padding_and_do_not_hide_the_text_after_them() {
        let mut input = b"a\n".to_vec();
        input.extend(std::iter::repeat_n(0u8, 5000));
        input.extend(b"\n\0\0#Software: x\n");
        input.extend(std::iter::repeat_n(0u8, 10));
        assert_eq!(
            events(&input, 100),
            ["1@0:a", "NUL", "3@5005:#Software: x", "NUL"]
        );
    }

    #[test]
    fn trailing_nuls_are_not_consumed() {
        let mut input = b"a\nb\n".to_vec();
        input.extend([0u8; 64]);
        let mut r = LineReader::new(&input[..], 0, 1, 100);
        while r.next_event().unwrap().is_some() {}
        assert_eq!((r.consumed_bytes(), r.consumed_lines()), (4, 2));
    }

    #[test]
    fn overlong_lines_are_reported_and_skipped() {
        let mut input = b"ok\n".to_vec();
        input.extend(std::iter::repeat_n(b'x', 3_000_000));
        input.extend(b"\nafter\n");
        assert_eq!(
            events(&input, 1000),
            ["1@0:ok", "2:long 3000000", "3@3000004:after"]
        );
    }

    #[test]
    fn an_unterminated_last_line_can_be_held_back() {
        let mut r = LineReader::new(&b"a\nhalf a li"[..], 0, 1, 100).hold_partial(true);
        assert!(matches!(
            r.next_event().unwrap(),
            Some(LineEvent::Line { text: b"a", .. })
        ));
        assert_eq!(r.next_event().unwrap(), None);
        assert!(r.held_partial);
        assert_eq!((r.consumed_bytes(), r.consumed_lines()), (2, 1));
    }

    #[test]
    fn resumes_at_an_offset_with_line_numbers() {
        let mut r = LineReader::new(&b"x\n"[..], 40, 7, 100);
        assert_eq!(
            r.next_event().unwrap(),
            Some(LineEvent::Line {
                text: b"x",
                number: 7,
                offset: 40
            })
        );
        assert_eq!(r.consumed_bytes(), 42);
    }
}
