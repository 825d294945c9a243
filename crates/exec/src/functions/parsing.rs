//! Parsing and encoding: CSV records, URL queries and Windows command lines
//! split into dynamic arrays and bags, GUIDs, byte counts for people,
//! regex positions, term lookups, zlib/gzip in base64, and punycode (RFC
//! 3492) for internationalised host names. Text that cannot be read gives
//! null (or "" where Kusto's result is a string that is never null).

use std::io::{Read, Write};
use std::sync::Arc;

use arrow::array::*;
use base64::Engine as _;
use serde_json::{Map, Value};

use super::args::{self, strings, RegexCache};
use super::dynamic::{json, value_text};
use super::strops::{is_term_byte, lower};
use crate::datum::{Datum, Kernel, KernelContext};
use crate::error::{ExecError, Result};

pub(crate) const KERNELS: &[(&str, Kernel)] = &[
    ("parse_csv", parse_csv),
    ("parse_version", parse_version),
    ("parse_urlquery", parse_urlquery),
    ("parse_command_line", parse_command_line),
    ("isascii", isascii),
    ("indexof_regex", indexof_regex),
    ("has_any_index", has_any_index),
    ("toguid", toguid),
    ("format_bytes", format_bytes),
    ("zlib_compress_to_base64_string", |a, c| {
        compress(a, c, Codec::Zlib)
    }),
    ("zlib_decompress_from_base64_string", |a, c| {
        decompress(a, c, Codec::Zlib)
    }),
    ("gzip_compress_to_base64_string", |a, c| {
        compress(a, c, Codec::Gzip)
    }),
    ("gzip_decompress_from_base64_string", |a, c| {
        decompress(a, c, Codec::Gzip)
    }),
    ("base64_decode_toarray", base64_decode_toarray),
    ("base64_encode_fromarray", base64_encode_fromarray),
    ("base64_decode_toguid", |a, c| {
        text_map(a, c, |s| {
            let b = base64::engine::general_purpose::STANDARD
                .decode(s.trim())
                .ok()?;
            let bytes: [u8; 16] = b.try_into().ok()?;
            Some(guid_from_le(&bytes))
        })
    }),
    ("base64_encode_fromguid", |a, c| {
        text_map(a, c, |s| {
            let g = parse_guid(s)?;
            let hex: String = g.chars().filter(|c| *c != '-').collect();
            let be: Vec<u8> = (0..16)
                .map(|k| u8::from_str_radix(&hex[2 * k..2 * k + 2], 16))
                .collect::<std::result::Result<_, _>>()
                .ok()?;
            let mut le = be.clone();
            le[..4].reverse();
            le[4..6].reverse();
            le[6..8].reverse();
            Some(base64::engine::general_purpose::STANDARD.encode(le))
        })
    }),
    ("punycode_from_string", |a, c| {
        text_map(a, c, punycode_encode)
    }),
    ("punycode_to_string", |a, c| text_map(a, c, punycode_decode)),
    ("punycode_domain_from_string", |a, c| {
        text_map(a, c, domain_decode)
    }),
    ("punycode_domain_to_string", |a, c| {
        text_map(a, c, domain_encode)
    }),
];

/// A string result per row from the first argument's text (`None`: null).
fn text_map(
    args: &[Datum],
    ctx: &KernelContext,
    f: impl Fn(&str) -> Option<String>,
) -> Result<ArrayRef> {
    let t = args::text(args, ctx, 0)?;
    Ok(strings(ctx.rows, t.byte_len(ctx.rows), |i, out| {
        match f(t.get(i)) {
            Some(s) => {
                out.push_str(&s);
                true
            }
            None => false,
        }
    }))
}

fn json_out(out: &mut String, v: &Value) -> bool {
    out.push_str(&v.to_string());
    true
}

/// `parse_csv(text)`: the fields of the first record, as strings. Fields are
/// separated by commas; a field in double quotes may hold commas and line
/// breaks, and `""` inside it is one quote. A line break ends the record.
fn parse_csv(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let t = args::text(args, ctx, 0)?;
    Ok(strings(ctx.rows, 0, |i, out| {
        json_out(out, &Value::Array(csv_record(t.get(i))))
    }))
}

fn csv_record(s: &str) -> Vec<Value> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = s.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => fields.push(Value::String(std::mem::take(&mut field))),
            (false, '\n' | '\r') => break,
            (false, c) => field.push(c),
        }
    }
    fields.push(Value::String(field));
    fields
}

/// `parse_urlquery(query)`: `{"Query Parameters": {key: value, …}}`, keys
/// and values percent-decoded (`+` is a space); a `?` and anything before it
/// is skipped.
fn parse_urlquery(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let t = args::text(args, ctx, 0)?;
    Ok(strings(ctx.rows, 0, |i, out| {
        let s = t.get(i);
        let q = s.split_once('?').map_or(s, |(_, q)| q);
        let q = q.split_once('#').map_or(q, |(q, _)| q);
        let mut params = Map::new();
        for pair in q.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            params.insert(url_decode(k), Value::String(url_decode(v)));
        }
        let mut bag = Map::new();
        bag.insert("Query Parameters".into(), Value::Object(params));
        json_out(out, &Value::Object(bag))
    }))
}

fn url_decode(s: &str) -> String {
    let plus = s.replace('+', " ");
    percent_encoding::percent_decode_str(&plus)
        .decode_utf8_lossy()
        .into_owned()
}

/// `parse_command_line(command, "windows")`: the arguments as Windows'
/// CommandLineToArgvW splits them. Spaces and tabs separate arguments
/// outside double quotes; 2n backslashes before a quote are n backslashes
/// and the quote opens or closes quoting, 2n+1 are n and a literal quote;
/// other backslashes are literal; `""` inside quotes is a literal quote.
fn parse_command_line(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let t = args::text(args, ctx, 0)?;
    let kind = args::text(args, ctx, 1)?;
    for i in 0..ctx.rows {
        let k = kind.get(i);
        if !k.eq_ignore_ascii_case("windows") {
            return Err(ExecError::Unsupported(format!(
                "parse_command_line knows only the \"windows\" rules, got \"{k}\""
            )));
        }
        if kind.scalar().is_some() {
            break;
        }
    }
    Ok(strings(ctx.rows, 0, |i, out| {
        let argv = windows_argv(t.get(i));
        json_out(
            out,
            &Value::Array(argv.into_iter().map(Value::String).collect()),
        )
    }))
}

pub(crate) fn windows_argv(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut argv = Vec::new();
    let mut cur = String::new();
    let (mut in_arg, mut quoted) = (false, false);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' if !quoted => {
                if in_arg {
                    argv.push(std::mem::take(&mut cur));
                    in_arg = false;
                }
                i += 1;
            }
            '\\' => {
                let start = i;
                while i < chars.len() && chars[i] == '\\' {
                    i += 1;
                }
                let n = i - start;
                in_arg = true;
                if chars.get(i) == Some(&'"') {
                    cur.extend(std::iter::repeat_n('\\', n / 2));
                    if n % 2 == 1 {
                        cur.push('"');
                        i += 1;
                    }
                } else {
                    cur.extend(std::iter::repeat_n('\\', n));
                }
            }
            '"' => {
                in_arg = true;
                if quoted && chars.get(i + 1) == Some(&'"') {
                    cur.push('"');
                    i += 2;
                } else {
                    quoted = !quoted;
                    i += 1;
                }
            }
            c => {
                in_arg = true;
                cur.push(c);
                i += 1;
            }
        }
    }
    if in_arg {
        argv.push(cur);
    }
    argv
}

fn isascii(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let t = args::text(args, ctx, 0)?;
    Ok(args::bools(ctx.rows, |i| t.get(i).is_ascii()))
}

/// `indexof_regex(text, regex[, start[, length[, occurrence]]])`: the
/// character position of the occurrence-th (1 by default) non-overlapping
/// match at or after `start` within `length` characters (-1: to the end);
/// -1 when there is none; null for a negative start or an occurrence below 1.
fn indexof_regex(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let t = args::text(args, ctx, 0)?;
    let p = args::text(args, ctx, 1)?;
    let opt = |k: usize| -> Result<Option<args::Long>> {
        (k < args.len())
            .then(|| args::long(args, ctx, k))
            .transpose()
    };
    let (start, length, occurrence) = (opt(2)?, opt(3)?, opt(4)?);
    let mut cache = RegexCache::new("");
    let mut out = Int64Builder::with_capacity(ctx.rows);
    for i in 0..ctx.rows {
        let get = |a: &Option<args::Long>, d: i64| a.as_ref().map_or(Some(d), |a| a.get(i));
        let (Some(st), Some(len), Some(occ)) =
            (get(&start, 0), get(&length, -1), get(&occurrence, 1))
        else {
            out.append_null();
            continue;
        };
        if st < 0 || occ < 1 || len < -1 {
            out.append_null();
            continue;
        }
        let re = cache.get(p.get(i))?;
        let s = t.get(i);
        let chars = s.chars().count() as i64;
        if st > chars {
            out.append_value(-1);
            continue;
        }
        let from = byte_at(s, st as usize);
        let to = if len == -1 {
            s.len()
        } else {
            byte_at(s, (st + len).min(chars) as usize)
        };
        let found = re
            .find_iter(&s[from..to])
            .nth((occ - 1) as usize)
            .map(|m| (st as usize + s[from..from + m.start()].chars().count()) as i64);
        out.append_value(found.unwrap_or(-1));
    }
    Ok(Arc::new(out.finish()))
}

/// The byte offset of character `n` (the end when past it).
fn byte_at(s: &str, n: usize) -> usize {
    s.char_indices().nth(n).map_or(s.len(), |(b, _)| b)
}

/// `has_any_index(text, lookups)`: the index of the first element of the
/// array that `text` has as a term (case-insensitive, as `has`); -1 if none.
fn has_any_index(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let t = args::text(args, ctx, 0)?;
    let lookups = json(args, ctx, 1, true)?;
    let mut out = Int64Builder::with_capacity(ctx.rows);
    let mut term = String::new();
    for i in 0..ctx.rows {
        let Value::Array(items) = lookups.get(i) else {
            out.append_null();
            continue;
        };
        let hay = lower(t.get(i));
        let pos = items.iter().position(|v| {
            term.clear();
            value_text(v, &mut term);
            has_term(&hay, &lower(&term))
        });
        out.append_value(pos.map_or(-1, |p| p as i64));
    }
    Ok(Arc::new(out.finish()))
}

/// Whether `needle` occurs in `hay` bounded by non-term characters where it
/// begins or ends with a term character (`has`).
fn has_term(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if n.is_empty() {
        return false;
    }
    let need_start = is_term_byte(n[0]);
    let need_end = is_term_byte(n[n.len() - 1]);
    memchr::memmem::find_iter(h, n).any(|pos| {
        (!need_start || pos == 0 || !is_term_byte(h[pos - 1]))
            && (!need_end || pos + n.len() == h.len() || !is_term_byte(h[pos + n.len()]))
    })
}

/// `toguid(text)`: 32 hex digits, with or without hyphens and braces, as a
/// lower-case 8-4-4-4-12 GUID; anything else is null.
fn toguid(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    text_map(args, ctx, parse_guid)
}

pub(crate) fn parse_guid(s: &str) -> Option<String> {
    let s = s.trim();
    let s = s
        .strip_prefix('{')
        .and_then(|s| s.strip_suffix('}'))
        .or_else(|| s.strip_prefix('(').and_then(|s| s.strip_suffix(')')))
        .unwrap_or(s);
    let hex: String = s.chars().filter(|c| *c != '-').collect();
    if hex.len() != 32 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let h = hex.to_ascii_lowercase();
    Some(format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    ))
}

/// A GUID from its 16 bytes in .NET's order (the first three groups
/// little-endian), as `Guid.ToByteArray` writes them.
fn guid_from_le(b: &[u8; 16]) -> String {
    let mut be = *b;
    be[..4].reverse();
    be[4..6].reverse();
    be[6..8].reverse();
    let hex: String = be.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// `base64_decode_toarray(text)`: the decoded bytes as an array of numbers;
/// null when the text is not base64.
fn base64_decode_toarray(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let t = args::text(args, ctx, 0)?;
    Ok(strings(
        ctx.rows,
        0,
        |i, out| match base64::engine::general_purpose::STANDARD.decode(t.get(i).trim()) {
            Ok(b) => json_out(out, &Value::Array(b.into_iter().map(Value::from).collect())),
            Err(_) => false,
        },
    ))
}

/// `base64_encode_fromarray(bytes)`: an array of numbers 0–255 as base64;
/// null when the value is not such an array.
fn base64_encode_fromarray(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let bytes = json(args, ctx, 0, true)?;
    Ok(strings(ctx.rows, 0, |i, out| {
        let Value::Array(items) = bytes.get(i) else {
            return false;
        };
        let decoded: Option<Vec<u8>> = items
            .iter()
            .map(|v| v.as_u64().and_then(|b| u8::try_from(b).ok()))
            .collect();
        match decoded {
            Some(b) => {
                out.push_str(&base64::engine::general_purpose::STANDARD.encode(b));
                true
            }
            None => false,
        }
    }))
}

const BYTE_UNITS: [&str; 7] = ["Bytes", "KB", "MB", "GB", "TB", "PB", "EB"];

/// `format_bytes(size[, precision[, units[, base]]])`: the size in the
/// largest unit it reaches (or the given one), rounded to `precision`
/// decimals (0), base 1024 (or 1000).
fn format_bytes(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let size = args::real(args, ctx, 0)?;
    let precision = (args.len() > 1)
        .then(|| args::long(args, ctx, 1))
        .transpose()?;
    let units = (args.len() > 2)
        .then(|| args::text(args, ctx, 2))
        .transpose()?;
    let base = (args.len() > 3)
        .then(|| args::long(args, ctx, 3))
        .transpose()?;
    Ok(strings(ctx.rows, 0, |i, out| {
        let Some(v) = size.get(i).filter(|v| v.is_finite()) else {
            return true;
        };
        let digits = precision
            .as_ref()
            .map_or(Some(0), |p| p.get(i))
            .unwrap_or(0);
        let digits = digits.clamp(0, 15) as i32;
        let b = match base.as_ref().map_or(Some(1024), |b| b.get(i)) {
            Some(1000) => 1000.0,
            Some(1024) | None => 1024.0,
            Some(_) => return true,
        };
        let wanted = units.as_ref().map(|u| u.get(i)).filter(|u| !u.is_empty());
        let unit = match wanted {
            Some(u) => match BYTE_UNITS.iter().position(|n| {
                n.eq_ignore_ascii_case(u) || (u.eq_ignore_ascii_case("B") && *n == "Bytes")
            }) {
                Some(k) => k,
                None => return true,
            },
            None => {
                let mut k = 0;
                while k + 1 < BYTE_UNITS.len() && v.abs() >= f64::powi(b, k as i32 + 1) {
                    k += 1;
                }
                k
            }
        };
        let scaled = v / f64::powi(b, unit as i32);
        let m = 10f64.powi(digits);
        let rounded = (scaled * m).round() / m;
        let rounded = if rounded == 0.0 { 0.0 } else { rounded };
        out.push_str(&format!("{rounded} {}", BYTE_UNITS[unit]));
        true
    }))
}

#[derive(Clone, Copy)]
enum Codec {
    Zlib,
    Gzip,
}

/// The UTF-8 text compressed, in base64. An empty string stays empty.
fn compress(args: &[Datum], ctx: &KernelContext, codec: Codec) -> Result<ArrayRef> {
    use flate2::{write::GzEncoder, write::ZlibEncoder, Compression, GzBuilder};
    let t = args::text(args, ctx, 0)?;
    let mut err = None;
    let out = strings(ctx.rows, 0, |i, out| {
        let s = t.get(i);
        if s.is_empty() {
            return true;
        }
        let bytes = match codec {
            Codec::Zlib => {
                let mut e = ZlibEncoder::new(Vec::new(), Compression::default());
                e.write_all(s.as_bytes()).and_then(|_| e.finish())
            }
            Codec::Gzip => {
                let mut e: GzEncoder<Vec<u8>> = GzBuilder::new()
                    .operating_system(255)
                    .write(Vec::new(), Compression::default());
                e.write_all(s.as_bytes()).and_then(|_| e.finish())
            }
        };
        match bytes {
            Ok(b) => {
                out.push_str(&base64::engine::general_purpose::STANDARD.encode(b));
                true
            }
            Err(e) => {
                err.get_or_insert(e);
                false
            }
        }
    });
    match err {
        Some(e) => Err(ExecError::internal("compress", e.to_string())),
        None => Ok(out),
    }
}

/// Base64 text decompressed to UTF-8; "" when it is not valid base64, not a
/// valid stream, or not UTF-8.
fn decompress(args: &[Datum], ctx: &KernelContext, codec: Codec) -> Result<ArrayRef> {
    use flate2::read::{GzDecoder, ZlibDecoder};
    let t = args::text(args, ctx, 0)?;
    Ok(strings(ctx.rows, 0, |i, out| {
        let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(t.get(i).trim()) else {
            return true;
        };
        // At most 64 MiB out of one cell: a small bomb cannot fill memory,
        // and a cell that would be larger is "" rather than cut short.
        let limit: u64 = 64 << 20;
        let mut text = String::new();
        let read = match codec {
            Codec::Zlib => ZlibDecoder::new(&bytes[..])
                .take(limit + 1)
                .read_to_string(&mut text),
            Codec::Gzip => GzDecoder::new(&bytes[..])
                .take(limit + 1)
                .read_to_string(&mut text),
        };
        if read.is_ok_and(|n| n as u64 <= limit) {
            out.push_str(&text);
        }
        true
    }))
}

// ---------------------------------------------------------------- punycode

const BASE: u32 = 36;
const T_MIN: u32 = 1;
const T_MAX: u32 = 26;
const SKEW: u32 = 38;
const DAMP: u32 = 700;
const INITIAL_BIAS: u32 = 72;
const INITIAL_N: u32 = 128;

fn adapt(mut delta: u32, points: u32, first: bool) -> u32 {
    delta /= if first { DAMP } else { 2 };
    delta += delta / points;
    let mut k = 0;
    while delta > ((BASE - T_MIN) * T_MAX) / 2 {
        delta /= BASE - T_MIN;
        k += BASE;
    }
    k + (BASE - T_MIN + 1) * delta / (delta + SKEW)
}

fn digit(d: u32) -> char {
    // 0..25 are a..z, 26..35 are 0..9.
    char::from(if d < 26 {
        b'a' + d as u8
    } else {
        b'0' + (d - 26) as u8
    })
}

fn threshold(k: u32, bias: u32) -> u32 {
    if k <= bias {
        T_MIN
    } else if k >= bias + T_MAX {
        T_MAX
    } else {
        k - bias
    }
}

/// RFC 3492 encoding of one label (no `xn--`); `None` on overflow.
pub(crate) fn punycode_encode(input: &str) -> Option<String> {
    let cps: Vec<u32> = input.chars().map(u32::from).collect();
    let mut out: String = input.chars().filter(char::is_ascii).collect();
    let basic = out.chars().count() as u32;
    let mut h = basic;
    if basic > 0 {
        out.push('-');
    }
    let (mut n, mut delta, mut bias) = (INITIAL_N, 0u32, INITIAL_BIAS);
    while (h as usize) < cps.len() {
        let m = cps.iter().copied().filter(|&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(h + 1)?)?;
        n = m;
        for &c in &cps {
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = threshold(k, bias);
                    if q < t {
                        break;
                    }
                    out.push(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                out.push(digit(q));
                bias = adapt(delta, h + 1, h == basic);
                delta = 0;
                h += 1;
            }
        }
        delta = delta.checked_add(1)?;
        n = n.checked_add(1)?;
    }
    Some(out)
}

/// RFC 3492 decoding of one label (no `xn--`); `None` when it is not valid.
pub(crate) fn punycode_decode(input: &str) -> Option<String> {
    let (basic, rest) = match input.rfind('-') {
        Some(p) => (&input[..p], &input[p + 1..]),
        None => ("", input),
    };
    if !basic.is_ascii() {
        return None;
    }
    let mut out: Vec<char> = basic.chars().collect();
    let (mut n, mut i, mut bias) = (INITIAL_N, 0u32, INITIAL_BIAS);
    let mut digits = rest.bytes().peekable();
    while digits.peek().is_some() {
        let old = i;
        let mut w = 1u32;
        let mut k = BASE;
        loop {
            let d = match digits.next()? {
                b @ b'a'..=b'z' => u32::from(b - b'a'),
                b @ b'A'..=b'Z' => u32::from(b - b'A'),
                b @ b'0'..=b'9' => u32::from(b - b'0') + 26,
                _ => return None,
            };
            i = i.checked_add(d.checked_mul(w)?)?;
            let t = threshold(k, bias);
            if d < t {
                break;
            }
            w = w.checked_mul(BASE - t)?;
            k += BASE;
        }
        let len = out.len() as u32 + 1;
        bias = adapt(i - old, len, old == 0);
        n = n.checked_add(i / len)?;
        i %= len;
        out.insert(i as usize, char::from_u32(n)?);
        i += 1;
    }
    Some(out.into_iter().collect())
}

/// The labels of a host name: split at `.` and its ideographic and
/// full-width forms (`。`, `｡`, `．`).
fn labels(s: &str) -> impl Iterator<Item = &str> {
    s.split(['.', '\u{3002}', '\u{ff61}', '\u{ff0e}'])
}

/// Each label with a non-ASCII character as `xn--` and its punycode.
fn domain_encode(s: &str) -> Option<String> {
    let parts: Option<Vec<String>> = labels(s)
        .map(|l| {
            if l.is_ascii() {
                Some(l.to_string())
            } else {
                punycode_encode(l).map(|p| format!("xn--{p}"))
            }
        })
        .collect();
    Some(parts?.join("."))
}

/// Each `xn--` label decoded; null when one is not valid punycode.
fn domain_decode(s: &str) -> Option<String> {
    let parts: Option<Vec<String>> = labels(s)
        .map(|l| match l.get(..4) {
            Some(p) if p.eq_ignore_ascii_case("xn--") => punycode_decode(&l[4..]),
            _ => Some(l.to_string()),
        })
        .collect();
    Some(parts?.join("."))
}

/// `parse_version("1.2.3.4")`: one to four dot-separated parts of one to
/// eight digits, missing parts 0, as p1·10²⁴ + p2·10¹⁶ + p3·10⁸ + p4 (a
/// decimal, held as a real); null for other text.
fn parse_version(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let t = args::text(args, ctx, 0)?;
    let out: arrow::array::Float64Array = (0..ctx.rows).map(|i| version(t.get(i))).collect();
    Ok(std::sync::Arc::new(out))
}

fn version(text: &str) -> Option<f64> {
    let parts: Vec<&str> = text.trim().split('.').collect();
    if parts.len() > 4 {
        return None;
    }
    let mut value: u128 = 0;
    for k in 0..4 {
        let part = match parts.get(k) {
            Some(p) if (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()) => {
                p.parse::<u128>().ok()?
            }
            Some(_) => return None,
            None => 0,
        };
        value = value * 100_000_000 + part;
    }
    Some(value as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punycode_rfc3492_samples() {
        // RFC 3492 section 7.1 (A) Arabic (Egyptian) and (L) Japanese sample.
        let arabic = "\u{0644}\u{064A}\u{0647}\u{0645}\u{0627}\u{0628}\u{062A}\u{0643}\u{0644}\u{0645}\u{0648}\u{0634}\u{0639}\u{0631}\u{0628}\u{064A}\u{061F}";
        assert_eq!(
            punycode_encode(arabic).as_deref(),
            Some("egbpdaj6bu4bxfgehfvwxn")
        );
        assert_eq!(
            punycode_decode("egbpdaj6bu4bxfgehfvwxn").as_deref(),
            Some(arabic)
        );
        let l = "3\u{5E74}B\u{7D44}\u{91D1}\u{516B}\u{5148}\u{751F}";
        assert_eq!(
            punycode_encode(l).as_deref(),
            Some("3B-ww4c5e180e575a65lsy2b")
        );
        assert_eq!(
            punycode_decode("3B-ww4c5e180e575a65lsy2b").as_deref(),
            Some(l)
        );
        assert_eq!(punycode_decode("a-$"), None);
    }

    #[test]
    fn command_lines_split_as_windows_does() {
        let cases: &[(&str, &[&str])] = &[
            (r#""abc" d e"#, &["abc", "d", "e"]),
            (r#"a\\b d"e f"g h"#, &[r"a\\b", "de fg", "h"]),
            (r#"a\\\"b c d"#, &[r#"a\"b"#, "c", "d"]),
            (r#"a\\\\"b c" d e"#, &[r"a\\b c", "d", "e"]),
            (r#"a"b"" c d"#, &[r#"ab" c d"#]),
            ("  ", &[]),
        ];
        for (cmd, want) in cases {
            assert_eq!(windows_argv(cmd), *want, "{cmd}");
        }
    }
}
