//! Text functions: `strcat`, `substring`, `indexof`, `split`, `url_decode`,
//! `replace_regex`, `extract`, `parse_url`, hashes… Null text reads as "".
//! Results are built straight into Arrow string builders sized from the input;
//! positions count characters, with a byte fast path for ASCII text.

use std::fmt::Write as _;
use std::sync::Arc;

use arrow::array::*;
use base64::Engine as _;
use iishunt_plan::types::KType;

use super::args::{self, strings, RegexCache, Text};
use super::conversion::write_json_str;
use crate::datum::{Datum, Kernel, KernelContext};
use crate::error::Result;

pub(crate) const KERNELS: &[(&str, Kernel)] = &[
    ("strcat", strcat),
    ("strcat_delim", strcat_delim),
    ("strlen", strlen),
    ("string_size", string_size),
    ("tolower", |a, c| {
        map_text(a, c, |s, o| {
            o.extend(s.chars().flat_map(char::to_lowercase))
        })
    }),
    ("toupper", |a, c| {
        map_text(a, c, |s, o| {
            o.extend(s.chars().flat_map(char::to_uppercase))
        })
    }),
    ("reverse", |a, c| {
        map_text(a, c, |s, o| o.extend(s.chars().rev()))
    }),
    ("url_decode", url_decode_kernel),
    ("url_encode", |a, c| map_text(a, c, url_encode)),
    ("base64_encode_tostring", |a, c| {
        map_text(a, c, |s, o| {
            o.push_str(&base64::engine::general_purpose::STANDARD.encode(s))
        })
    }),
    ("base64_decode_tostring", |a, c| {
        map_text(a, c, base64_decode)
    }),
    ("hash_sha256", |a, c| {
        map_text(a, c, |s, o| hex(o, &super::hash::sha256(s.as_bytes())))
    }),
    ("hash_md5", |a, c| {
        map_text(a, c, |s, o| hex(o, &super::hash::md5(s.as_bytes())))
    }),
    ("hash", hash),
    ("trim", |a, c| trim(a, c, true, true)),
    ("trim_start", |a, c| trim(a, c, true, false)),
    ("trim_end", |a, c| trim(a, c, false, true)),
    ("substring", substring),
    ("indexof", indexof),
    ("replace_string", replace_string),
    ("replace_regex", |a, c| replace_regex(a, c, [0, 1, 2])),
    ("replace", |a, c| replace_regex(a, c, [2, 0, 1])),
    ("extract", extract),
    ("extract_all", extract_all),
    ("__regex_capture", regex_capture),
    ("countof", countof),
    ("split", split),
    ("parse_url", parse_url),
    ("parse_path", |a, c| map_text(a, c, parse_path_into)),
    ("strrep", strrep),
    ("has_ipv4", has_ipv4),
    ("strcmp", strcmp),
    ("new_guid", new_guid),
];

/// A one-argument text → text function, evaluated once for a constant.
fn map_text(
    args: &[Datum],
    ctx: &KernelContext,
    f: impl Fn(&str, &mut String),
) -> Result<ArrayRef> {
    let t = args::text(args, ctx, 0)?;
    if let Some(s) = t.scalar() {
        let mut out = String::new();
        f(s, &mut out);
        return Ok(Arc::new(StringArray::from_iter_values(
            std::iter::repeat_n(out.as_str(), ctx.rows),
        )));
    }
    Ok(strings(ctx.rows, t.byte_len(ctx.rows), |i, out| {
        f(t.get(i), out);
        true
    }))
}

fn url_decode_kernel(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let t = args::text(args, ctx, 0)?;
    if t.scalar().is_some() {
        return map_text(args, ctx, url_decode);
    }
    let mut scratch = Vec::new();
    Ok(strings(ctx.rows, t.byte_len(ctx.rows), |i, out| {
        url_decode_with(t.get(i), out, &mut scratch);
        true
    }))
}

fn all_texts(args: &[Datum], ctx: &KernelContext) -> Result<Vec<Text>> {
    (0..args.len()).map(|i| args::text(args, ctx, i)).collect()
}

fn strcat(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let parts = all_texts(args, ctx)?;
    let bytes: usize = parts.iter().map(|p| p.byte_len(ctx.rows)).sum();
    let mut b = StringBuilder::with_capacity(ctx.rows, bytes);
    for i in 0..ctx.rows {
        for p in &parts {
            let _ = b.write_str(p.get(i));
        }
        b.append_value("");
    }
    Ok(Arc::new(b.finish()))
}

fn strcat_delim(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let parts = all_texts(args, ctx)?;
    let Some((delim, rest)) = parts.split_first() else {
        return Ok(crate::datum::null_array(KType::String, ctx.rows));
    };
    let bytes: usize = parts.iter().map(|p| p.byte_len(ctx.rows)).sum();
    let mut b = StringBuilder::with_capacity(ctx.rows, bytes);
    for i in 0..ctx.rows {
        for (k, p) in rest.iter().enumerate() {
            if k > 0 {
                let _ = b.write_str(delim.get(i));
            }
            let _ = b.write_str(p.get(i));
        }
        b.append_value("");
    }
    Ok(Arc::new(b.finish()))
}

fn longs_from(ctx: &KernelContext, t: &Text, f: impl Fn(&str) -> i64) -> ArrayRef {
    match t.scalar() {
        Some(s) => Arc::new(Int64Array::from_value(f(s), ctx.rows)),
        None => Arc::new(Int64Array::from_iter_values(
            (0..ctx.rows).map(|i| f(t.get(i))),
        )),
    }
}

/// Characters in `s` (a byte count for ASCII).
#[inline]
pub(crate) fn char_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

fn strlen(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    Ok(longs_from(ctx, &args::text(args, ctx, 0)?, |s| {
        char_len(s) as i64
    }))
}

fn string_size(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    Ok(longs_from(ctx, &args::text(args, ctx, 0)?, |s| {
        s.len() as i64
    }))
}

/// The byte offset of character `n` (clamped to the end).
#[inline]
pub(crate) fn byte_at(s: &str, n: usize) -> usize {
    if s.is_ascii() {
        n.min(s.len())
    } else {
        s.char_indices().nth(n).map_or(s.len(), |(b, _)| b)
    }
}

/// `s[start .. start+len]` in characters, clamped (Kusto's substring).
pub(crate) fn char_slice(s: &str, start: i64, len: Option<i64>) -> &str {
    let start = start.max(0) as usize;
    let from = byte_at(s, start);
    let rest = &s[from..];
    match len {
        Some(l) if l <= 0 => "",
        Some(l) => &rest[..byte_at(rest, l as usize)],
        None => rest,
    }
}

fn substring(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let t = args::text(args, ctx, 0)?;
    let start = args::long(args, ctx, 1)?;
    let len = if args.len() > 2 {
        Some(args::long(args, ctx, 2)?)
    } else {
        None
    };
    Ok(strings(ctx.rows, t.byte_len(ctx.rows), |i, out| {
        let Some(s) = start.get(i) else { return false };
        let l = match &len {
            Some(l) => match l.get(i) {
                Some(v) => Some(v),
                None => return false,
            },
            None => None,
        };
        out.push_str(char_slice(t.get(i), s, l));
        true
    }))
}

/// Kusto's indexof: character position of the `occurrence`-th match at or
/// after `start` and within `length` characters; -1 when absent.
fn indexof_one(s: &str, lookup: &str, start: i64, length: i64, occurrence: i64) -> Option<i64> {
    let total = char_len(s) as i64;
    let start = if start < 0 {
        total.saturating_add(start).max(0)
    } else {
        start
    };
    if start > total || occurrence <= 0 {
        return Some(-1);
    }
    let from = byte_at(s, start as usize);
    let window = if length < 0 {
        &s[from..]
    } else {
        let r = &s[from..];
        &r[..byte_at(r, length as usize)]
    };
    let mut pos = 0usize;
    let mut found = 0;
    while let Some(p) = window[pos..].find(lookup) {
        found += 1;
        let at = pos + p;
        if found == occurrence {
            let chars = if window.is_ascii() {
                at
            } else {
                window[..at].chars().count()
            };
            return Some(start + chars as i64);
        }
        pos = at + lookup.len().max(1);
        if pos > window.len() {
            break;
        }
    }
    Some(-1)
}

fn indexof(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let t = args::text(args, ctx, 0)?;
    let lookup = args::text(args, ctx, 1)?;
    let opt = |i: usize| -> Result<Option<args::Long>> {
        if args.len() > i {
            Ok(Some(args::long(args, ctx, i)?))
        } else {
            Ok(None)
        }
    };
    let (start, length, occ) = (opt(2)?, opt(3)?, opt(4)?);
    if start.is_none() {
        if let Some(n) = lookup.scalar() {
            let finder = memchr::memmem::Finder::new(n.as_bytes());
            return Ok(Arc::new(Int64Array::from_iter_values((0..ctx.rows).map(
                |i| {
                    let s = t.get(i);
                    match finder.find(s.as_bytes()) {
                        Some(b) if s.is_ascii() => b as i64,
                        Some(b) => s[..b].chars().count() as i64,
                        None => -1,
                    }
                },
            ))));
        }
    }
    let get = |o: &Option<args::Long>, i: usize, d: i64| o.as_ref().map_or(Some(d), |l| l.get(i));
    let out: Int64Array = (0..ctx.rows)
        .map(|i| {
            indexof_one(
                t.get(i),
                lookup.get(i),
                get(&start, i, 0)?,
                get(&length, i, -1)?,
                get(&occ, i, 1)?,
            )
        })
        .collect();
    Ok(Arc::new(out))
}

fn trim(args: &[Datum], ctx: &KernelContext, start: bool, end: bool) -> Result<ArrayRef> {
    let pat = args::text(args, ctx, 0)?;
    let t = args::text(args, ctx, 1)?;
    let mut lead = RegexCache::new("^(?:");
    let mut trail = RegexCache::new("(?:");
    // A constant pattern (the usual case) is compiled once.
    let fixed = match pat.scalar() {
        Some(p) if !p.is_empty() => Some((
            lead.get(&format!("{p})+"))?.clone(),
            trail.get(&format!("{p})+$"))?.clone(),
        )),
        _ => None,
    };
    let mut out = StringBuilder::with_capacity(ctx.rows, t.byte_len(ctx.rows));
    for i in 0..ctx.rows {
        let p = pat.get(i);
        let mut s = t.get(i);
        if p.is_empty() {
            out.append_value(s);
            continue;
        }
        let (l, r) = match &fixed {
            Some((l, r)) => (l.clone(), r.clone()),
            None => (
                lead.get(&format!("{p})+"))?.clone(),
                trail.get(&format!("{p})+$"))?.clone(),
            ),
        };
        if start {
            if let Some(m) = l.find(s) {
                s = &s[m.end()..];
            }
        }
        if end {
            if let Some(m) = r.find(s) {
                s = &s[..m.start()];
            }
        }
        out.append_value(s);
    }
    Ok(Arc::new(out.finish()))
}

fn replace_string(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let [t, from, to] = [0, 1, 2].map(|i| args::text(args, ctx, i));
    let (t, from, to) = (t?, from?, to?);
    Ok(strings(ctx.rows, t.byte_len(ctx.rows), |i, out| {
        let (s, f) = (t.get(i), from.get(i));
        if f.is_empty() {
            out.push_str(s);
        } else {
            out.push_str(&s.replace(f, to.get(i)));
        }
        true
    }))
}

/// Kusto rewrite patterns use `\1`; Rust's regex uses `${1}`.
fn rewrite_pattern(r: &str) -> String {
    let mut out = String::with_capacity(r.len());
    let mut chars = r.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek().is_some_and(char::is_ascii_digit) => {
                let d = chars.next().unwrap_or('0');
                let _ = write!(out, "${{{d}}}");
            }
            '$' if chars.peek().is_some_and(char::is_ascii_digit) => {
                let d = chars.next().unwrap_or('0');
                let _ = write!(out, "${{{d}}}");
            }
            '$' => out.push_str("$$"),
            c => out.push(c),
        }
    }
    out
}

/// `order` gives the argument positions of (text, regex, rewrite).
fn replace_regex(args: &[Datum], ctx: &KernelContext, order: [usize; 3]) -> Result<ArrayRef> {
    let t = args::text(args, ctx, order[0])?;
    let pat = args::text(args, ctx, order[1])?;
    let rw = args::text(args, ctx, order[2])?;
    let mut cache = RegexCache::new("");
    let fixed_rw = rw.scalar().map(rewrite_pattern);
    let mut out = StringBuilder::with_capacity(ctx.rows, t.byte_len(ctx.rows));
    for i in 0..ctx.rows {
        let re = cache.get(pat.get(i))?;
        let r = match &fixed_rw {
            Some(r) => std::borrow::Cow::Borrowed(r.as_str()),
            None => std::borrow::Cow::Owned(rewrite_pattern(rw.get(i))),
        };
        out.append_value(re.replace_all(t.get(i), r.as_ref()));
    }
    Ok(Arc::new(out.finish()))
}

fn extract(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let pat = args::text(args, ctx, 0)?;
    let group = args::long(args, ctx, 1)?;
    let t = args::text(args, ctx, 2)?;
    let mut out = StringBuilder::with_capacity(ctx.rows, 0);
    if let (Some(p), Some(g)) = (pat.scalar(), group.scalar()) {
        extract_constant(
            &shared_regex(p)?,
            g.unwrap_or(0).max(0) as usize,
            &t,
            ctx.rows,
            &mut out,
        );
        return Ok(Arc::new(out.finish()));
    }
    let mut cache = RegexCache::new("");
    for i in 0..ctx.rows {
        let re = cache.get(pat.get(i))?;
        let g = group.get(i).unwrap_or(0).max(0) as usize;
        match re.captures(t.get(i)).and_then(|c| c.get(g)) {
            Some(m) => out.append_value(m.as_str()),
            None => out.append_value(""),
        }
    }
    Ok(Arc::new(out.finish()))
}

/// `extract` with a constant pattern and group, the usual case: most rows
/// do not match, so the lazy DFA (`find`) rules them out first, and only a
/// match pays for the capture engine, started at the match with reused
/// capture slots (same match: `find` gives the leftmost start).
fn extract_constant(
    re: &regex::Regex,
    group: usize,
    t: &Text,
    rows: usize,
    out: &mut StringBuilder,
) {
    let mut locs = re.capture_locations();
    for i in 0..rows {
        let hay = t.get(i);
        let Some(m) = re.find(hay) else {
            out.append_value("");
            continue;
        };
        if group == 0 {
            out.append_value(m.as_str());
            continue;
        }
        match re
            .captures_read_at(&mut locs, hay, m.start())
            .and_then(|_| locs.get(group))
        {
            Some((a, b)) => out.append_value(&hay[a..b]),
            None => out.append_value(""),
        }
    }
}

/// `__regex_capture(text, regex, separator, group, …)`: what DISSECT, GROK and
/// `parse` lower to, one call per output column. The matched text of the
/// groups that took part, joined by `separator`; null for null text, no match,
/// or no group taking part. The regex is a constant and compiled once per
/// process (GROK's are large), not once per batch.
fn regex_capture(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let t = args::text(args, ctx, 0)?;
    let pat = args::text(args, ctx, 1)?;
    let sep = args::text(args, ctx, 2)?;
    let groups = (3..args.len())
        .map(|i| args::long(args, ctx, i))
        .collect::<Result<Vec<_>>>()?;
    let shared = pat.scalar().map(shared_regex).transpose()?;
    let mut cache = RegexCache::new("");
    let mut out = StringBuilder::with_capacity(ctx.rows, t.byte_len(ctx.rows) / 2);
    let mut buf = String::new();
    for i in 0..ctx.rows {
        if t.is_null(i) {
            out.append_null();
            continue;
        }
        let re = match &shared {
            Some(re) => re,
            None => cache.get(pat.get(i))?,
        };
        let Some(caps) = re.captures(t.get(i)) else {
            out.append_null();
            continue;
        };
        buf.clear();
        let mut any = false;
        for g in &groups {
            let n = g.get(i).unwrap_or(0).max(0) as usize;
            if let Some(m) = caps.get(n) {
                if any {
                    buf.push_str(sep.get(i));
                }
                buf.push_str(m.as_str());
                any = true;
            }
        }
        if any {
            out.append_value(&buf);
        } else {
            out.append_null();
        }
    }
    Ok(Arc::new(out.finish()))
}

/// A process-wide compiled copy of a constant regex. Cloning a `Regex` is
/// cheap and gives the batch its own match cache.
fn shared_regex(pattern: &str) -> Result<regex::Regex> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static SHARED: OnceLock<Mutex<HashMap<String, regex::Regex>>> = OnceLock::new();
    let map = SHARED.get_or_init(Default::default);
    if let Some(re) = map.lock().ok().and_then(|m| m.get(pattern).cloned()) {
        return Ok(re);
    }
    let re = RegexCache::new("").get(pattern)?.clone();
    if let Ok(mut m) = map.lock() {
        // Patterns come from queries: bound the cache rather than grow forever.
        if m.len() >= 256 {
            m.clear();
        }
        m.insert(pattern.to_string(), re.clone());
    }
    Ok(re)
}

fn extract_all(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let pat = args::text(args, ctx, 0)?;
    let text_at = if args.len() == 3 { 2 } else { 1 };
    let t = args::text(args, ctx, text_at)?;
    let groups: Option<Vec<usize>> = match (args.len(), args::scalar_arg(args, 1)) {
        (3, Some(iishunt_plan::types::ScalarValue::Dynamic(serde_json::Value::Array(g)))) => Some(
            g.iter()
                .filter_map(|v| v.as_u64())
                .map(|v| v as usize)
                .collect(),
        ),
        _ => None,
    };
    let mut cache = RegexCache::new("");
    let mut out = StringBuilder::with_capacity(ctx.rows, 0);
    let mut buf = String::new();
    for i in 0..ctx.rows {
        let re = cache.get(pat.get(i))?;
        let n = re.captures_len() - 1;
        buf.clear();
        buf.push('[');
        let mut first = true;
        for caps in re.captures_iter(t.get(i)) {
            if !first {
                buf.push(',');
            }
            first = false;
            let wanted: Vec<usize> = match &groups {
                Some(g) => g.clone(),
                None if n == 0 => vec![0],
                None => (1..=n).collect(),
            };
            if wanted.len() == 1 {
                write_json_str(&mut buf, caps.get(wanted[0]).map_or("", |m| m.as_str()));
            } else {
                buf.push('[');
                for (k, g) in wanted.iter().enumerate() {
                    if k > 0 {
                        buf.push(',');
                    }
                    write_json_str(&mut buf, caps.get(*g).map_or("", |m| m.as_str()));
                }
                buf.push(']');
            }
        }
        buf.push(']');
        if first {
            out.append_null();
        } else {
            out.append_value(&buf);
        }
    }
    Ok(Arc::new(out.finish()))
}

fn countof(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let t = args::text(args, ctx, 0)?;
    let s = args::text(args, ctx, 1)?;
    let kind = if args.len() > 2 {
        Some(args::text(args, ctx, 2)?)
    } else {
        None
    };
    let mut cache = RegexCache::new("");
    let mut out = Vec::with_capacity(ctx.rows);
    for i in 0..ctx.rows {
        let (h, n) = (t.get(i), s.get(i));
        let regex = kind
            .as_ref()
            .is_some_and(|k| k.get(i).eq_ignore_ascii_case("regex"));
        out.push(if n.is_empty() {
            0
        } else if regex {
            cache.get(n)?.find_iter(h).count() as i64
        } else {
            memchr::memmem::find_iter(h.as_bytes(), n.as_bytes()).count() as i64
        });
    }
    Ok(Arc::new(Int64Array::from(out)))
}

fn split(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let t = args::text(args, ctx, 0)?;
    let d = args::text(args, ctx, 1)?;
    let index = if args.len() > 2 {
        Some(args::long(args, ctx, 2)?)
    } else {
        None
    };
    Ok(strings(
        ctx.rows,
        t.byte_len(ctx.rows) + ctx.rows * 8,
        |i, out| {
            let (s, delim) = (t.get(i), d.get(i));
            let mut parts = s.split(if delim.is_empty() {
                "\u{0}\u{0}never"
            } else {
                delim
            });
            let whole = delim.is_empty();
            out.push('[');
            match &index {
                None if whole => write_json_str(out, s),
                None => {
                    for (k, p) in parts.enumerate() {
                        if k > 0 {
                            out.push(',');
                        }
                        write_json_str(out, p);
                    }
                }
                Some(ix) => {
                    let Some(n) = ix.get(i) else { return false };
                    let part = if whole {
                        (n == 0 || n == -1).then_some(s)
                    } else if n >= 0 {
                        parts.nth(n as usize)
                    } else {
                        let all: Vec<&str> = parts.collect();
                        usize::try_from((all.len() as i64).saturating_add(n))
                            .ok()
                            .and_then(|k| all.get(k).copied())
                    };
                    if let Some(p) = part {
                        write_json_str(out, p);
                    }
                }
            }
            out.push(']');
            true
        },
    ))
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// `HttpUtility.UrlDecode`: `+` is a space, `%XX` a byte, `%uXXXX` a UTF-16
/// unit; invalid escapes stay as written; invalid UTF-8 becomes U+FFFD.
pub(crate) fn url_decode(s: &str, out: &mut String) {
    let mut scratch = Vec::new();
    url_decode_with(s, out, &mut scratch);
}

/// `url_decode` with a caller-owned byte buffer (no allocation per row).
pub(crate) fn url_decode_with(s: &str, out: &mut String, bytes: &mut Vec<u8>) {
    let b = s.as_bytes();
    let Some(first) = memchr::memchr2(b'%', b'+', b) else {
        out.push_str(s);
        return;
    };
    bytes.clear();
    bytes.extend_from_slice(&b[..first]);
    let mut i = first;
    while i < b.len() {
        match b[i] {
            b'+' => {
                bytes.push(b' ');
                i += 1;
            }
            b'%' if i + 5 < b.len() && (b[i + 1] == b'u' || b[i + 1] == b'U') => {
                let code = b[i + 2..i + 6]
                    .iter()
                    .try_fold(0u32, |acc, &c| hex_val(c).map(|v| acc * 16 + u32::from(v)));
                match code.and_then(char::from_u32) {
                    Some(c) => {
                        let mut tmp = [0u8; 4];
                        bytes.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
                        i += 6;
                    }
                    None => {
                        bytes.push(b'%');
                        i += 1;
                    }
                }
            }
            b'%' if i + 2 < b.len() => match (hex_val(b[i + 1]), hex_val(b[i + 2])) {
                (Some(h), Some(l)) => {
                    bytes.push(h * 16 + l);
                    i += 3;
                }
                _ => {
                    bytes.push(b'%');
                    i += 1;
                }
            },
            c => {
                bytes.push(c);
                i += 1;
            }
        }
    }
    match std::str::from_utf8(bytes) {
        Ok(t) => out.push_str(t),
        Err(_) => out.push_str(&String::from_utf8_lossy(bytes)),
    }
}

/// `HttpUtility.UrlEncode`: unreserved `A-Za-z0-9-_.!*()` kept, space as `+`,
/// other bytes as lower-case `%xx`.
fn url_encode(s: &str, out: &mut String) {
    for &b in s.as_bytes() {
        match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'_'
            | b'.'
            | b'!'
            | b'*'
            | b'('
            | b')' => out.push(b as char),
            b' ' => out.push('+'),
            _ => {
                let _ = write!(out, "%{b:02x}");
            }
        }
    }
}

fn base64_decode(s: &str, out: &mut String) {
    use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
    let t = s.trim().trim_end_matches('=');
    let bytes = STANDARD_NO_PAD
        .decode(t)
        .or_else(|_| URL_SAFE_NO_PAD.decode(t));
    if let Ok(b) = bytes {
        if let Ok(text) = String::from_utf8(b) {
            out.push_str(&text);
        }
    }
}

fn hex(out: &mut String, bytes: &[u8]) {
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
}

fn hash(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let t = args::text(args, ctx, 0)?;
    let m = if args.len() > 1 {
        Some(args::long(args, ctx, 1)?)
    } else {
        None
    };
    let out: Int64Array = (0..ctx.rows)
        .map(|i| {
            let h = super::hash::xxh64(t.get(i).as_bytes()) as i64;
            match &m {
                Some(m) => {
                    let m = m.get(i)?;
                    (m != 0).then(|| i128::from(h).rem_euclid(i128::from(m.unsigned_abs())) as i64)
                }
                None => Some(h),
            }
        })
        .collect();
    Ok(Arc::new(out))
}

fn strrep(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let t = args::text(args, ctx, 0)?;
    let n = args::long(args, ctx, 1)?;
    let d = if args.len() > 2 {
        Some(args::text(args, ctx, 2)?)
    } else {
        None
    };
    Ok(strings(ctx.rows, 0, |i, out| {
        let Some(k) = n.get(i) else { return false };
        for r in 0..k.clamp(0, 1000) {
            if r > 0 {
                if let Some(d) = &d {
                    out.push_str(d.get(i));
                }
            }
            out.push_str(t.get(i));
        }
        true
    }))
}

/// Kusto's parse_url bag: Scheme, Host, Port, Path, Username, Password,
/// Query Parameters, Fragment (all text; absent parts "").
pub(crate) fn parse_url_into(url: &str, out: &mut String) {
    let (mut scheme, mut host, mut port, mut path, mut user, mut pass, mut query, mut frag) =
        ("", "", "", "", "", "", "", "");
    if let Some((sch, rest)) = url.split_once("://") {
        scheme = sch;
        let (rest, f) = rest.split_once('#').unwrap_or((rest, ""));
        frag = f;
        let (rest, q) = rest.split_once('?').unwrap_or((rest, ""));
        query = q;
        let (authority, p) = match rest.find('/') {
            Some(k) => (&rest[..k], &rest[k..]),
            None => (rest, ""),
        };
        path = p;
        let hostport = match authority.rsplit_once('@') {
            Some((ui, hp)) => {
                let (u, pw) = ui.split_once(':').unwrap_or((ui, ""));
                user = u;
                pass = pw;
                hp
            }
            None => authority,
        };
        let (h, pt) = if hostport.starts_with('[') {
            match hostport.find(']') {
                Some(k) => (
                    &hostport[..=k],
                    hostport[k + 1..].strip_prefix(':').unwrap_or(""),
                ),
                None => (hostport, ""),
            }
        } else {
            hostport.rsplit_once(':').unwrap_or((hostport, ""))
        };
        host = h;
        port = pt;
    }
    out.push('{');
    for (k, (name, v)) in [
        ("Scheme", scheme),
        ("Host", host),
        ("Port", port),
        ("Path", path),
        ("Username", user),
        ("Password", pass),
    ]
    .iter()
    .enumerate()
    {
        if k > 0 {
            out.push(',');
        }
        write_json_str(out, name);
        out.push(':');
        write_json_str(out, v);
    }
    out.push_str(",\"Query Parameters\":{");
    let mut first = true;
    let mut seen = std::collections::HashSet::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let (mut dk, mut dv) = (String::new(), String::new());
        url_decode(k, &mut dk);
        url_decode(v, &mut dv);
        if !seen.insert(dk.clone()) {
            continue;
        }
        if !first {
            out.push(',');
        }
        first = false;
        write_json_str(out, &dk);
        out.push(':');
        write_json_str(out, &dv);
    }
    out.push_str("},\"Fragment\":");
    write_json_str(out, frag);
    out.push('}');
}

/// Kusto's parse_path bag.
pub(crate) fn parse_path_into(path: &str, out: &mut String) {
    let is_sep = |c: char| c == '/' || c == '\\';
    let (scheme, rest) = match path.split_once("://") {
        Some((s, r))
            if !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.') =>
        {
            (s, r)
        }
        _ => ("", path),
    };
    let root = if !scheme.is_empty() {
        rest.split(is_sep).next().unwrap_or("")
    } else if rest.len() >= 2
        && rest.as_bytes()[1] == b':'
        && rest.as_bytes()[0].is_ascii_alphabetic()
    {
        &rest[..2]
    } else {
        ""
    };
    let (dir, file) = match path.rfind(is_sep) {
        Some(k) if path.len() - k > 1 || k > scheme.len() + 3 => (&path[..k], &path[k + 1..]),
        _ => ("", path),
    };
    let (file_name, stream) = match file.find(':') {
        Some(k) if !(scheme.is_empty() && root.len() == 2 && dir.is_empty()) => {
            (&file[..k], &file[k + 1..])
        }
        _ => (file, ""),
    };
    let dir_name = dir.rsplit(is_sep).next().unwrap_or("");
    let ext = match file_name.rfind('.') {
        Some(k) if k + 1 < file_name.len() => &file_name[k + 1..],
        _ => "",
    };
    out.push('{');
    for (k, (name, v)) in [
        ("Scheme", scheme),
        ("RootPath", root),
        ("DirectoryPath", dir),
        ("DirectoryName", dir_name),
        ("Filename", file),
        ("Extension", ext),
        ("AlternateDataStreamName", stream),
    ]
    .iter()
    .enumerate()
    {
        if k > 0 {
            out.push(',');
        }
        write_json_str(out, name);
        out.push(':');
        write_json_str(out, v);
    }
    out.push('}');
}

fn parse_url(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    map_text(args, ctx, parse_url_into)
}

fn strcmp(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let (a, b) = (args::text(args, ctx, 0)?, args::text(args, ctx, 1)?);
    Ok(Arc::new(Int64Array::from_iter_values(
        (0..ctx.rows).map(|i| a.get(i).cmp(b.get(i)) as i64),
    )))
}

fn new_guid(_args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    Ok(strings(ctx.rows, ctx.rows * 36, |_, out| {
        let (hi, lo) = (super::math::random_u64(), super::math::random_u64());
        let hi = (hi & !0xf000) | 0x4000; // version 4
        let lo = (lo & !(0xc << 60)) | (0x8 << 60); // RFC 4122 variant
        let _ = write!(
            out,
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            hi >> 32,
            (hi >> 16) & 0xffff,
            hi & 0xffff,
            lo >> 48,
            lo & 0xffff_ffff_ffff
        );
        true
    }))
}

fn has_ipv4(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let t = args::text(args, ctx, 0)?;
    let ip = args::text(args, ctx, 1)?;
    Ok(args::bools(ctx.rows, |i| {
        let (h, n) = (t.get(i), ip.get(i));
        if n.parse::<std::net::Ipv4Addr>().is_err() {
            return false;
        }
        let hb = h.as_bytes();
        let edge = |b: u8| b.is_ascii_digit() || b == b'.';
        memchr::memmem::find_iter(hb, n.as_bytes()).any(|p| {
            (p == 0 || !edge(hb[p - 1])) && (p + n.len() == hb.len() || !edge(hb[p + n.len()]))
        })
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::testing::*;
    use iishunt_plan::types::ScalarValue;
    use KType::*;

    fn one(name: &str, args: &[Datum], types: &[KType]) -> Vec<Option<std::string::String>> {
        texts(&call(name, args, types))
    }
    fn s(v: &str) -> Option<std::string::String> {
        Some(v.to_string())
    }

    #[test]
    fn strcat_reads_null_as_empty_and_converts() {
        let a = strs(&[Some("401"), None]);
        let b = strs(&[Some("1"), Some("0")]);
        assert_eq!(
            one(
                "strcat",
                &[a.clone(), lit_str("."), b],
                &[String, String, String]
            ),
            vec![s("401.1"), s(".0")]
        );
        let d = Datum::Scalar(ScalarValue::DateTime(1_772_985_912_000_000));
        assert_eq!(
            one("strcat", &[a, d, lit_long(7)], &[String, DateTime, Long])[0],
            s("4012026-03-08T16:05:12.0000000Z7")
        );
        let out = one(
            "strcat_delim",
            &[lit_str(":"), strs(&[Some("1.2.3.4")]), lit_long(80)],
            &[String, String, Long],
        );
        assert_eq!(out, vec![s("1.2.3.4:80")]);
    }

    #[test]
    fn extract_agrees_with_and_without_a_constant_pattern() {
        // Kusto's documented example: extract("x=([0-9.]+)", 1, "hello x=45.6|wo") == "45.6".
        let hay = strs(&[
            Some("hello x=45.6|wo"),
            Some("no match"),
            None,
            Some("ax=1 x=2"),
            Some("x=7"),
        ]);
        let types = [String, Long, String];
        let group1 = vec![s("45.6"), s(""), s(""), s("1"), s("7")];
        let constant = one(
            "extract",
            &[lit_str("x=([0-9.]+)"), lit_long(1), hay.clone()],
            &types,
        );
        assert_eq!(constant, group1);
        let per_row = strs(&[Some("x=([0-9.]+)"); 5]);
        let varying = one("extract", &[per_row, lit_long(1), hay.clone()], &types);
        assert_eq!(varying, group1);
        // Group 0 is the whole match; a group the regex lacks gives "".
        let whole = one(
            "extract",
            &[lit_str("x=([0-9.]+)"), lit_long(0), hay.clone()],
            &types,
        );
        assert_eq!(whole[0], s("x=45.6"));
        let missing = one(
            "extract",
            &[lit_str("x=([0-9.]+)"), lit_long(2), hay.clone()],
            &types,
        );
        assert_eq!(missing[0], s(""));
        // Look-around context before the match still counts: `\b` sees the "a".
        let bounded = one("extract", &[lit_str(r"\bx=(\d)"), lit_long(1), hay], &types);
        assert_eq!(bounded[3], s("2"));
        assert_eq!(bounded[4], s("7"));
    }

    #[test]
    fn positions_count_characters() {
        let c = strs(&[Some("web01.contoso.com"), Some("nodomain"), Some("héllo.x")]);
        assert_eq!(
            longs(&call(
                "indexof",
                &[c.clone(), lit_str(".")],
                &[String, String]
            )),
            vec![Some(5), Some(-1), Some(5)]
        );
        assert_eq!(
            one("substring", &[c.clone(), lit_long(6)], &[String, Long]),
            vec![s("contoso.com"), s("in"), s("x")]
        );
        assert_eq!(
            one(
                "substring",
                &[c.clone(), lit_long(1), lit_long(3)],
                &[String, Long, Long]
            ),
            vec![s("eb0"), s("odo"), s("éll")]
        );
        assert_eq!(
            one(
                "substring",
                &[c.clone(), lit_long(-2), lit_long(100)],
                &[String, Long, Long]
            )[1],
            s("nodomain")
        );
        assert_eq!(
            longs(&call("strlen", &[c.clone()], &[String])),
            vec![Some(17), Some(8), Some(7)]
        );
        assert_eq!(
            longs(&call("string_size", &[c.clone()], &[String]))[2],
            Some(8)
        );
        let args = [c, lit_str("o"), lit_long(0), lit_long(-1), lit_long(2)];
        assert_eq!(
            longs(&call("indexof", &args, &[String, String, Long, Long, Long])),
            vec![Some(10), Some(3), Some(-1)]
        );
    }

    #[test]
    fn regex_capture_joins_groups_and_nulls_on_no_match() {
        let c = strs(&[Some("GET /a"), Some("nothing"), None, Some("PUT ")]);
        let re = lit_str(r"^(?P<m>[A-Z]+) (?P<p>/\S*)?");
        assert_eq!(
            one(
                "__regex_capture",
                &[
                    c.clone(),
                    re.clone(),
                    lit_str("|"),
                    lit_long(2),
                    lit_long(1)
                ],
                &[String, String, String, Long, Long]
            ),
            vec![s("/a|GET"), None, None, s("PUT")]
        );
        assert_eq!(
            one(
                "__regex_capture",
                &[c, re, lit_str(""), lit_long(2)],
                &[String, String, String, Long]
            ),
            vec![s("/a"), None, None, None]
        );
    }

    #[test]
    fn split_gives_a_json_array() {
        let c = strs(&[Some("a.b.c"), Some(""), Some("x\"y")]);
        assert_eq!(
            one("split", &[c.clone(), lit_str(".")], &[String, String]),
            vec![s(r#"["a","b","c"]"#), s(r#"[""]"#), s(r#"["x\"y"]"#)]
        );
        assert_eq!(
            one(
                "split",
                &[c, lit_str("."), lit_long(1)],
                &[String, String, Long]
            ),
            vec![s(r#"["b"]"#), s("[]"), s("[]")]
        );
    }

    #[test]
    fn url_coding() {
        let q = strs(&[
            Some("a=%3Cscript%3E&b=x+y"),
            Some("bad%zz%"),
            Some("%E6%97%A5%u0041"),
            None,
        ]);
        assert_eq!(
            one("url_decode", &[q], &[String]),
            vec![s("a=<script>&b=x y"), s("bad%zz%"), s("日A"), s("")]
        );
        assert_eq!(
            one("url_encode", &[lit_str("https://a b/é")], &[String]),
            vec![s("https%3a%2f%2fa+b%2f%c3%a9")]
        );
    }

    #[test]
    fn regex_functions() {
        let q = strs(&[Some("user=bob&pw=1"), Some("none")]);
        assert_eq!(
            one(
                "extract",
                &[lit_str("user=([^&]+)"), lit_long(1), q.clone()],
                &[String, Long, String]
            ),
            vec![s("bob"), s("")]
        );
        assert_eq!(
            one(
                "replace_regex",
                &[q.clone(), lit_str(r"pw=\d+"), lit_str("pw=***")],
                &[String, String, String]
            )[0],
            s("user=bob&pw=***")
        );
        assert_eq!(
            one(
                "replace",
                &[lit_str(r"(\w+)=(\w+)"), lit_str(r"\2:\1"), q.clone()],
                &[String, String, String]
            )[0],
            s("bob:user&1:pw")
        );
        assert_eq!(
            one(
                "extract_all",
                &[lit_str(r"(\w+)="), q.clone()],
                &[String, String]
            ),
            vec![s(r#"["user","pw"]"#), None]
        );
        assert_eq!(
            longs(&call(
                "countof",
                &[q.clone(), lit_str("=")],
                &[String, String]
            )),
            vec![Some(2), Some(0)]
        );
        assert_eq!(
            one(
                "trim",
                &[lit_str(r"[/\s]"), strs(&[Some(" /a/ ")])],
                &[String, String]
            ),
            vec![s("a")]
        );
        assert_eq!(
            one(
                "trim_end",
                &[lit_str("/"), strs(&[Some("/a//")])],
                &[String, String]
            ),
            vec![s("/a")]
        );
        assert_eq!(
            one(
                "replace_string",
                &[q, lit_str("="), lit_str(":")],
                &[String, String, String]
            )[1],
            s("none")
        );
    }

    #[test]
    fn misc() {
        assert_eq!(
            one("tolower", &[strs(&[Some("GeT"), None])], &[String]),
            vec![s("get"), s("")]
        );
        assert_eq!(one("toupper", &[lit_str("é")], &[String]), vec![s("É")]);
        assert_eq!(one("reverse", &[lit_str("abc")], &[String]), vec![s("cba")]);
        assert_eq!(
            one("base64_encode_tostring", &[lit_str("whoami")], &[String]),
            vec![s("d2hvYW1p")]
        );
        assert_eq!(
            one(
                "base64_decode_tostring",
                &[strs(&[Some("d2hvYW1p"), Some("!!")])],
                &[String]
            ),
            vec![s("whoami"), s("")]
        );
        assert_eq!(
            one(
                "strrep",
                &[lit_str("ab"), lit_long(3), lit_str("-")],
                &[String, Long, String]
            ),
            vec![s("ab-ab-ab")]
        );
        let url = one(
            "parse_url",
            &[lit_str("https://u:p@host.com:8443/p/a?k=v%21&k2=#frag")],
            &[String],
        );
        assert_eq!(
            url[0].as_deref(),
            Some(
                r#"{"Scheme":"https","Host":"host.com","Port":"8443","Path":"/p/a","Username":"u","Password":"p","Query Parameters":{"k":"v!","k2":""},"Fragment":"frag"}"#
            )
        );
        assert_eq!(
            one("hash_sha256", &[lit_str("abc")], &[String])[0],
            s("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        );
        assert_eq!(
            one("hash_md5", &[lit_str("abc")], &[String])[0],
            s("900150983cd24fb0d6963f7d28e17f72")
        );
        assert_eq!(
            longs(&call("hash", &[lit_str("")], &[String]))[0],
            Some(0xef46db3751d8e999u64 as i64)
        );
        let h = longs(&call(
            "hash",
            &[lit_str("World"), lit_long(100)],
            &[String, Long],
        ))[0];
        assert_eq!(h, Some(51));
        assert_eq!(
            longs(&call(
                "strcmp",
                &[lit_str("a"), strs(&[Some("b"), Some("a"), Some("A")])],
                &[String, String]
            )),
            vec![Some(-1), Some(0), Some(1)]
        );
        let g = texts(&run("new_guid", &[], &[], Guid));
        assert!(
            g[0].as_ref()
                .is_some_and(|g| g.len() == 36 && g.as_bytes()[14] == b'4'),
            "{g:?}"
        );
        let ip = strs(&[Some("from 10.0.0.1 to"), Some("110.0.0.12")]);
        assert_eq!(
            bools_of(&call(
                "has_ipv4",
                &[ip, lit_str("10.0.0.1")],
                &[String, String]
            )),
            vec![Some(true), Some(false)]
        );
    }

    #[test]
    fn parse_path_splits_paths() {
        let p = strs(&[
            Some("/app/admin/page.aspx"),
            Some(r"C:\inetpub\wwwroot\web.config::$DATA"),
            Some("https://host/a/b.tar.gz"),
        ]);
        let out = texts(&call("parse_path", &[p], &[String]));
        assert_eq!(
            out[0].as_deref(),
            Some(
                r#"{"Scheme":"","RootPath":"","DirectoryPath":"/app/admin","DirectoryName":"admin","Filename":"page.aspx","Extension":"aspx","AlternateDataStreamName":""}"#
            )
        );
        assert_eq!(
            out[1].as_deref(),
            Some(
                r#"{"Scheme":"","RootPath":"C:","DirectoryPath":"C:\\inetpub\\wwwroot","DirectoryName":"wwwroot","Filename":"web.config::$DATA","Extension":"config","AlternateDataStreamName":":$DATA"}"#
            )
        );
        assert_eq!(
            out[2].as_deref(),
            Some(
                r#"{"Scheme":"https","RootPath":"host","DirectoryPath":"https://host/a","DirectoryName":"a","Filename":"b.tar.gz","Extension":"gz","AlternateDataStreamName":""}"#
            )
        );
    }
}
