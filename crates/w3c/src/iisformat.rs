//! The IIS log format: the fixed, comma-separated format of IIS 5/6
//! (`in*.log`) that later versions can still write. No header; one request
//! per line, fifteen values each followed by a comma and a space (the last
//! by a lone comma), times in the server's local time:
//!
//! ```text
//! 192.168.114.201, -, 3/20/2001, 7:55:20, W3SVC2, SALES1, 172.21.13.45, 4502, 163, 3223, 200, 0, GET, /DeptLogo.gif, -,
//! ```
//!
//! client IP, user name, date (M/D/YYYY or M/D/YY, month first), time
//! (H:MM:SS), service and instance, server name, server IP, time taken
//! (ms), bytes received from the client, bytes sent, status, Windows
//! status, method, target, parameters. `parse` turns a line into the
//! values of [`FIELDS`] (the W3C names of the same data) and the UTC time;
//! [`crate::reader`] types and stores them like a W3C line.

use crate::reject::RejectReason;
use crate::split::OwnedValues;
use crate::timestamp::{civil_days, parse_loose_time, MICROS_PER_DAY};

/// The W3C fields the values of a line fill, in the order `parse` pushes them.
pub const FIELDS: [&str; 13] = [
    "c-ip",
    "cs-username",
    "s-sitename",
    "s-computername",
    "s-ip",
    "time-taken",
    "cs-bytes",
    "sc-bytes",
    "sc-status",
    "sc-win32-status",
    "cs-method",
    "cs-uri-stem",
    "cs-uri-query",
];

/// Values on a line.
const VALUES: usize = 15;

/// Days since the epoch of `M/D/YYYY` or `M/D/YY` (years 00–69 are 20xx,
/// 70–99 are 19xx).
fn parse_us_date(b: &[u8]) -> Option<i64> {
    let mut parts = b.split(|&c| c == b'/');
    let (m, d, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some()
        || !(1..=2).contains(&m.len())
        || !(1..=2).contains(&d.len())
        || !(y.len() == 2 || y.len() == 4)
    {
        return None;
    }
    let num = |v: &[u8]| -> Option<u32> {
        v.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + (c - b'0') as u32)
        })
    };
    let (m, d, mut y) = (num(m)?, num(d)?, num(y)? as i64);
    if y < 100 {
        y += if y < 70 { 2000 } else { 1900 };
    }
    civil_days(y, m, d)
}

/// Splits `line` into its values and returns `TimeGenerated` (UTC
/// microseconds): the local time minus `offset_minutes` (the server's
/// offset from UTC, east positive). More than fifteen values means a `, `
/// inside a value: the extra ones are taken to belong to the parameters
/// (the free-text last value) and joined back into it.
pub(crate) fn parse(
    line: &[u8],
    offset_minutes: i32,
    out: &mut OwnedValues,
) -> Result<i64, RejectReason> {
    out.clear();
    let end = line
        .iter()
        .rposition(|&b| b != b' ' && b != b'\t')
        .map_or(0, |i| i + 1);
    let line = &line[..end];
    let body = line.strip_suffix(b",").unwrap_or(line);
    let parts: Vec<&[u8]> = split_on_comma_space(body);
    if parts.len() < VALUES {
        return Err(RejectReason::FieldCount {
            expected: VALUES,
            got: parts.len(),
        });
    }
    let days = parse_us_date(parts[2]).ok_or(RejectReason::BadTimestamp)?;
    let micros = parse_loose_time(parts[3]).ok_or(RejectReason::BadTimestamp)?;
    let local = days * MICROS_PER_DAY + micros;
    for &i in &[0, 1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13] {
        out.push(parts[i]);
    }
    // The parameters, with any `, ` they held.
    let start = parts[14].as_ptr() as usize - body.as_ptr() as usize;
    out.push(&body[start..]);
    Ok(local - offset_minutes as i64 * 60 * 1_000_000)
}

fn split_on_comma_space(body: &[u8]) -> Vec<&[u8]> {
    let mut parts = Vec::with_capacity(VALUES);
    let mut start = 0;
    let mut i = 0;
    while i + 1 < body.len() {
        if body[i] == b',' && body[i + 1] == b' ' {
            parts.push(&body[start..i]);
            i += 2;
            start = i;
        } else {
            i += 1;
        }
    }
    parts.push(&body[start..]);
    parts
}

/// The service and instance (`W3SVC2`, `MSFTPSVC1`) of a line.
pub(crate) fn service(line: &[u8]) -> Option<&[u8]> {
    split_on_comma_space(line).get(4).copied()
}

/// Is this line in the IIS log format (fifteen values, a valid date and time)?
pub(crate) fn looks_like(line: &[u8]) -> bool {
    parse(line, 0, &mut OwnedValues::default()).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timestamp::parse_date;

    const SAMPLE: &str = "192.168.114.201, -, 3/20/2001, 7:55:20, W3SVC2, SALES1, 172.21.13.45, 4502, 163, 3223, 200, 0, GET, /DeptLogo.gif, -,";

    #[test]
    fn a_line_gives_its_values_in_field_order_and_utc() {
        let mut out = OwnedValues::default();
        let ts = parse(SAMPLE.as_bytes(), 0, &mut out).unwrap();
        assert_eq!(
            out.strings(),
            [
                "192.168.114.201",
                "-",
                "W3SVC2",
                "SALES1",
                "172.21.13.45",
                "4502",
                "163",
                "3223",
                "200",
                "0",
                "GET",
                "/DeptLogo.gif",
                "-"
            ]
        );
        let day = parse_date(b"2001-03-20").unwrap();
        assert_eq!(ts, day * MICROS_PER_DAY + 28_520_000_000);
        // A server at UTC+01:00 wrote 7:55:20 at 6:55:20 UTC.
        let east = parse(SAMPLE.as_bytes(), 60, &mut out).unwrap();
        assert_eq!(ts - east, 3_600_000_000);
    }

    #[test]
    fn trailing_comma_two_digit_years_and_commas_in_parameters() {
        let mut out = OwnedValues::default();
        // Trailing blanks after the comma, a domain user, a two-digit year,
        // `, ` inside the parameters.
        let line = b"10.0.0.1, DOM\\bob, 03/20/01, 17:00:00, W3SVC1, WEB, 10.0.0.2, 1, 2, 3, 404, 2, GET, /a.asp, id=1, 2, \t";
        let ts = parse(line, 0, &mut out).unwrap();
        let day = parse_date(b"2001-03-20").unwrap();
        assert_eq!(ts, day * MICROS_PER_DAY + 61_200_000_000);
        let v = out.strings();
        assert_eq!((v[1].as_str(), v[12].as_str()), ("DOM\\bob", "id=1, 2"));
    }

    #[test]
    fn bad_lines_are_rejected_with_a_reason() {
        let mut out = OwnedValues::default();
        assert_eq!(
            parse(b"10.0.0.1, -, 3/20/2001, 7:55:20, W3SVC2,", 0, &mut out),
            Err(RejectReason::FieldCount {
                expected: 15,
                got: 5
            })
        );
        let bad_date = SAMPLE.replace("3/20/2001", "20/3/2001");
        assert_eq!(
            parse(bad_date.as_bytes(), 0, &mut out),
            Err(RejectReason::BadTimestamp)
        );
        // Every cut of a line gives its thirteen values or a reject, never a panic.
        for n in 0..SAMPLE.len() {
            if parse(&SAMPLE.as_bytes()[..n], 0, &mut out).is_ok() {
                assert_eq!(out.spans.len(), FIELDS.len(), "{n}");
            }
        }
        assert!(looks_like(SAMPLE.as_bytes()));
        assert!(!looks_like(b"2026-03-02 00:00:01 GET / 200"));
        assert!(!looks_like(b"hello, world"));
    }
}
