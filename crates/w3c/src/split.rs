//! Cutting one data line into its values: runs of spaces separate values,
//! a value starting with `"` runs to its closing quote, and numeric values
//! are `-` (null) or ASCII digits. The hot path of ingest, fed by
//! [`crate::reader`] once per data line.

use crate::timestamp::{parse_date, parse_time};

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
pub(crate) fn split_fields(line: &[u8], out: &mut Vec<(usize, usize)>) -> bool {
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

/// Values copied out of a line that is not W3C-shaped (the IIS log format,
/// NCSA): one buffer and the span of each value in it, so the reader types
/// them exactly as it types the values of a W3C line.
#[derive(Default)]
pub(crate) struct OwnedValues {
    pub(crate) buf: Vec<u8>,
    pub(crate) spans: Vec<(usize, usize)>,
}

impl OwnedValues {
    pub(crate) fn clear(&mut self) {
        self.buf.clear();
        self.spans.clear();
    }

    pub(crate) fn push(&mut self, v: &[u8]) {
        let start = self.buf.len();
        self.buf.extend_from_slice(v);
        self.spans.push((start, self.buf.len()));
    }

    #[cfg(test)]
    pub(crate) fn strings(&self) -> Vec<String> {
        self.spans
            .iter()
            .map(|&(a, b)| String::from_utf8_lossy(&self.buf[a..b]).into_owned())
            .collect()
    }
}

/// `-` → `None`; ASCII digits → the value; anything else → `Err`.
#[inline]
pub(crate) fn parse_number(v: &[u8]) -> Result<Option<i64>, ()> {
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
pub(crate) fn looks_like_w3c_row(line: &[u8]) -> bool {
    let date = line.len() > 10 && parse_date(&line[..10]).is_some() && line[10] == b' ';
    let time = line.len() > 5 && parse_time(&line[..5]).is_some();
    date || time
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
