//! NCSA common and combined logs, which IIS can write (`nc*.log`):
//!
//! ```text
//! 172.21.13.45 - REDMOND\fred [08/Apr/1997:17:39:04 -0800] "GET /scripts/iisadmin/ism.dll?http/serv HTTP/1.0" 200 3401
//! ```
//!
//! host, identity (always `-` from IIS; not kept), user, `[local time
//! offset]`, the quoted request line, status, bytes sent; the combined
//! format adds the quoted referer and user agent. `parse` turns a line
//! into the values of [`COMMON_FIELDS`] / [`COMBINED_FIELDS`] (the W3C names
//! of the same data) and the UTC time (the line's own offset applied);
//! [`crate::reader`] types and stores them like a W3C line.

use crate::reject::RejectReason;
use crate::split::OwnedValues;
use crate::timestamp::{civil_days, month_number, parse_time, MICROS_PER_DAY};

/// The W3C fields of a common-format line, in the order `parse` pushes them.
pub const COMMON_FIELDS: [&str; 8] = [
    "c-ip",
    "cs-username",
    "cs-method",
    "cs-uri-stem",
    "cs-uri-query",
    "cs-version",
    "sc-status",
    "sc-bytes",
];

/// The W3C fields of a combined-format line: the common ones, then these.
pub const COMBINED_FIELDS: [&str; 10] = [
    "c-ip",
    "cs-username",
    "cs-method",
    "cs-uri-stem",
    "cs-uri-query",
    "cs-version",
    "sc-status",
    "sc-bytes",
    "cs(Referer)",
    "cs(User-Agent)",
];

fn malformed(detail: &str) -> RejectReason {
    RejectReason::Malformed {
        detail: format!("not an NCSA line: {detail}"),
    }
}

/// `dd/Mon/yyyy:HH:MM:SS ±hhmm` → UTC microseconds.
fn parse_timestamp(b: &[u8]) -> Option<i64> {
    if b.len() != 26 || b[2] != b'/' || b[6] != b'/' || b[11] != b':' || b[20] != b' ' {
        return None;
    }
    let num = |v: &[u8]| -> Option<u32> {
        v.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + (c - b'0') as u32)
        })
    };
    let day = num(&b[0..2])?;
    let month = month_number(&b[3..6])?;
    let year = num(&b[7..11])? as i64;
    let days = civil_days(year, month, day)?;
    let micros = parse_time(&b[12..20])?;
    let sign = match b[21] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (oh, om) = (num(&b[22..24])? as i64, num(&b[24..26])? as i64);
    if om > 59 {
        return None;
    }
    let offset = sign * (oh * 60 + om) * 60 * 1_000_000;
    Some(days * MICROS_PER_DAY + micros - offset)
}

/// A quoted value at the start of `b`: its content and the rest after the
/// closing quote. The closing quote is the first `"` followed by a space or
/// the end of the line and not escaped as `\"`, so quotes inside a request
/// (`"GET /a"b HTTP/1.1"`) stay in the value.
fn quoted(b: &[u8]) -> Option<(&[u8], &[u8])> {
    let rest = b.strip_prefix(b"\"")?;
    let mut i = 0;
    while i < rest.len() {
        match rest[i] {
            b'\\' => i += 2,
            b'"' if i + 1 == rest.len() || rest[i + 1] == b' ' => {
                return Some((&rest[..i], &rest[i + 1..]));
            }
            _ => i += 1,
        }
    }
    None
}

/// The next space-delimited token of `b` and the rest (leading spaces skipped).
fn token(b: &[u8]) -> (&[u8], &[u8]) {
    let b = trim_start(b);
    match b.iter().position(|&c| c == b' ') {
        Some(i) => (&b[..i], &b[i..]),
        None => (b, &[]),
    }
}

fn trim_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|&&c| c == b' ').count();
    &b[n..]
}

/// Splits `line` into its values and returns `TimeGenerated` (UTC) and
/// whether the line is in the combined format. The request line is cut at
/// its first and last space into method, target and version (a target with
/// spaces stays whole); a request of one token (garbage, `-`) is kept as
/// the target. The target is cut at its first `?` into `cs-uri-stem` and
/// `cs-uri-query` (`-` when it has none).
pub(crate) fn parse(line: &[u8], out: &mut OwnedValues) -> Result<(i64, bool), RejectReason> {
    out.clear();
    let end = line
        .iter()
        .rposition(|&b| b != b' ' && b != b'\t')
        .map_or(0, |i| i + 1);
    let line = &line[..end];
    let (host, rest) = token(line);
    let (_identity, rest) = token(rest);
    let rest = trim_start(rest);
    let open = rest
        .windows(2)
        .position(|w| w == b" [")
        .map(|i| i + 1)
        .or_else(|| rest.starts_with(b"[").then_some(0))
        .ok_or_else(|| malformed("no [date]"))?;
    let user = &rest[..open.saturating_sub(1)];
    let rest = &rest[open + 1..];
    let close = rest
        .iter()
        .position(|&c| c == b']')
        .ok_or_else(|| malformed("no ] after the date"))?;
    let ts = parse_timestamp(&rest[..close]).ok_or(RejectReason::BadTimestamp)?;
    let (request, rest) =
        quoted(trim_start(&rest[close + 1..])).ok_or_else(|| malformed("no quoted request"))?;
    let (status, rest) = token(rest);
    let (bytes, rest) = token(rest);
    if host.is_empty() || status.is_empty() || bytes.is_empty() {
        return Err(malformed("missing status or bytes"));
    }
    let rest = trim_start(rest);
    let extra = if rest.is_empty() {
        None
    } else {
        let (referer, rest) = quoted(rest).ok_or_else(|| malformed("text after the bytes"))?;
        let (agent, rest) =
            quoted(trim_start(rest)).ok_or_else(|| malformed("a referer but no user agent"))?;
        if !trim_start(rest).is_empty() {
            return Err(malformed("text after the user agent"));
        }
        Some((referer, agent))
    };
    let (method, target, version) = match (
        request.iter().position(|&c| c == b' '),
        request.iter().rposition(|&c| c == b' '),
    ) {
        (Some(first), Some(last)) if first < last => (
            &request[..first],
            &request[first + 1..last],
            &request[last + 1..],
        ),
        (Some(first), _) => (&request[..first], &request[first + 1..], &b"-"[..]),
        _ => (&b"-"[..], request, &b"-"[..]),
    };
    let (stem, query) = match target.iter().position(|&c| c == b'?') {
        Some(q) => (&target[..q], &target[q + 1..]),
        None => (target, &b"-"[..]),
    };
    out.push(host);
    out.push(if user.is_empty() { b"-" } else { user });
    out.push(method);
    out.push(if stem.is_empty() { b"-" } else { stem });
    out.push(if query.is_empty() { b"-" } else { query });
    out.push(version);
    out.push(status);
    out.push(bytes);
    if let Some((referer, agent)) = extra {
        out.push(referer);
        out.push(agent);
    }
    Ok((ts, extra.is_some()))
}

/// Is this line an NCSA common or combined line? `Some(combined)` if so.
pub(crate) fn looks_like(line: &[u8]) -> Option<bool> {
    parse(line, &mut OwnedValues::default())
        .ok()
        .map(|(_, combined)| combined)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timestamp::parse_date;

    fn utc(date: &str, secs: i64) -> i64 {
        parse_date(date.as_bytes()).unwrap() * MICROS_PER_DAY + secs * 1_000_000
    }

    #[test]
    fn common_line_with_offset_and_query() {
        let mut out = OwnedValues::default();
        let line = br#"172.21.13.45 - REDMOND\fred [08/Apr/1997:17:39:04 -0800] "GET /scripts/iisadmin/ism.dll?http/serv HTTP/1.0" 200 3401"#;
        let (ts, combined) = parse(line, &mut out).unwrap();
        // 17:39:04 at UTC-08:00 is 01:39:04 UTC the next day.
        assert_eq!(ts, utc("1997-04-09", 3600 + 39 * 60 + 4));
        assert!(!combined);
        assert_eq!(
            out.strings(),
            [
                "172.21.13.45",
                "REDMOND\\fred",
                "GET",
                "/scripts/iisadmin/ism.dll",
                "http/serv",
                "HTTP/1.0",
                "200",
                "3401"
            ]
        );
    }

    #[test]
    fn combined_line_with_spaces_quotes_and_dashes() {
        let mut out = OwnedValues::default();
        let line = br#"10.0.0.7 - - [10/Oct/2000:13:55:36 +0200] "GET /a b"c.html HTTP/1.1" 404 - "-" "Mozilla/5.0 (X11; Linux) \"quoted\"""#;
        let (ts, combined) = parse(line, &mut out).unwrap();
        assert_eq!(ts, utc("2000-10-10", 11 * 3600 + 55 * 60 + 36));
        assert!(combined);
        assert_eq!(
            out.strings(),
            [
                "10.0.0.7",
                "-",
                "GET",
                "/a b\"c.html",
                "-",
                "HTTP/1.1",
                "404",
                "-",
                "-",
                "Mozilla/5.0 (X11; Linux) \\\"quoted\\\""
            ]
        );
    }

    #[test]
    fn odd_requests_and_bad_lines() {
        let mut out = OwnedValues::default();
        let garbage = br#"10.0.0.7 - - [10/Oct/2000:13:55:36 +0000] "\x16\x03" 400 0"#;
        parse(garbage, &mut out).unwrap();
        let v = out.strings();
        assert_eq!(
            (v[2].as_str(), v[3].as_str(), v[5].as_str()),
            ("-", "\\x16\\x03", "-")
        );
        let no_version = br#"10.0.0.7 - - [10/Oct/2000:13:55:36 +0000] "GET /" 200 1"#;
        parse(no_version, &mut out).unwrap();
        assert_eq!(out.strings()[5], "-");
        let bad_month = br#"10.0.0.7 - - [10/Okt/2000:13:55:36 +0000] "GET / HTTP/1.0" 200 1"#;
        assert_eq!(parse(bad_month, &mut out), Err(RejectReason::BadTimestamp));
        let cut = br#"10.0.0.7 - - [10/Oct/2000:13:55:36 +0000] "GET / HTTP/1.0"#;
        assert_eq!(parse(cut, &mut out).unwrap_err().code(), "malformed");
        let trailing = br#"10.0.0.7 - - [10/Oct/2000:13:55:36 +0000] "GET / HTTP/1.0" 200 1 extra"#;
        assert_eq!(parse(trailing, &mut out).unwrap_err().code(), "malformed");
        // Every cut of a line (a file IIS was still writing) gives a row of
        // the full shape or a reject, never a panic.
        let full =
            br#"10.0.0.7 - - [10/Oct/2000:13:55:36 +0200] "GET /a HTTP/1.1" 404 - "-" "UA \"x\"""#;
        for n in 0..full.len() {
            if let Ok((_, combined)) = parse(&full[..n], &mut out) {
                assert_eq!(out.spans.len(), if combined { 10 } else { 8 }, "{n}");
            }
        }
        assert_eq!(looks_like(b"2026-03-02 00:00:01 GET / 200"), None);
        assert_eq!(looks_like(b"#Fields: date"), None);
    }
}
