//! `date` + `time` → `TimeGenerated` (UTC microseconds since the epoch).
//!
//! IIS writes `YYYY-MM-DD` and `HH:MM:SS` in UTC; real files also hold
//! `HH:MM` (no seconds) and `HH:MM:SS.fff` (milliseconds or finer). These
//! are hand-written byte parsers because they run on every line.

/// Microseconds in a day.
pub const MICROS_PER_DAY: i64 = 86_400_000_000;

fn digits(b: &[u8]) -> Option<u32> {
    let mut v = 0u32;
    for &c in b {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v * 10 + d as u32;
    }
    Some(v)
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date, or `None` if it is not a
/// valid calendar date.
pub fn parse_date(b: &[u8]) -> Option<i64> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y = digits(&b[0..4])? as i64;
    let m = digits(&b[5..7])?;
    let d = digits(&b[8..10])?;
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

/// Days since 1970-01-01 of year `y`, month `m`, day `d`, if valid.
pub fn civil_days(y: i64, m: u32, d: u32) -> Option<i64> {
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

/// Microseconds since midnight of `H:MM:SS` or `HH:MM:SS` (a one-digit
/// hour, as the IIS log format and US locales write it).
pub fn parse_loose_time(b: &[u8]) -> Option<i64> {
    if b.len() == 7 {
        let mut padded = [b'0'; 8];
        padded[1..].copy_from_slice(b);
        return parse_time(&padded);
    }
    if b.len() != 8 {
        return None;
    }
    parse_time(b)
}

/// `Mon` (English, any case) → 1..=12.
pub fn month_number(b: &[u8]) -> Option<u32> {
    const MONTHS: [&[u8; 3]; 12] = [
        b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov",
        b"dec",
    ];
    let lower: Vec<u8> = b.iter().map(u8::to_ascii_lowercase).collect();
    MONTHS
        .iter()
        .position(|m| m.as_slice() == lower.as_slice())
        .map(|i| i as u32 + 1)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Howard Hinnant's days-from-civil.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `YYYY-MM-DD` of days since the epoch (the partition name).
pub fn format_date(days: i64) -> String {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    format!("{y:04}-{m:02}-{d:02}")
}

/// Microseconds since midnight of `HH:MM`, `HH:MM:SS` or `HH:MM:SS.f…`.
pub fn parse_time(b: &[u8]) -> Option<i64> {
    if b.len() < 5 || b[2] != b':' {
        return None;
    }
    let h = digits(&b[0..2])? as i64;
    let m = digits(&b[3..5])? as i64;
    let mut s = 0i64;
    let mut frac = 0i64;
    if b.len() > 5 {
        if b.len() < 8 || b[5] != b':' {
            return None;
        }
        s = digits(&b[6..8])? as i64;
        if b.len() > 8 {
            if b[8] != b'.' || b.len() == 9 {
                return None;
            }
            let f = &b[9..];
            let kept = &f[..f.len().min(6)];
            if !f.iter().all(u8::is_ascii_digit) {
                return None;
            }
            frac = digits(kept)? as i64 * 10i64.pow(6 - kept.len() as u32);
        }
    }
    // 60 allows a leap second, as W3C logs may carry one.
    if h > 23 || m > 59 || s > 60 {
        return None;
    }
    Some(((h * 60 + m) * 60 + s) * 1_000_000 + frac)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_date(b"1970-01-01"), Some(0));
        assert_eq!(parse_date(b"2026-03-02"), Some(20_514));
        assert_eq!(parse_date(b"2024-02-29"), Some(19_782));
        assert_eq!(parse_date(b"2026-13-45"), None);
        assert_eq!(parse_date(b"2025-02-29"), None);
        assert_eq!(parse_date(b"2026-3-2"), None);
        assert_eq!(format_date(20_514), "2026-03-02");
        assert_eq!(format_date(19_782), "2024-02-29");
    }

    #[test]
    fn loose_times_and_month_names() {
        assert_eq!(parse_loose_time(b"7:55:20"), Some(28_520_000_000));
        assert_eq!(parse_loose_time(b"17:55:20"), parse_time(b"17:55:20"));
        assert_eq!(parse_loose_time(b"7:55"), None);
        assert_eq!(parse_loose_time(b"17:55:20.5"), None);
        assert_eq!(month_number(b"Oct"), Some(10));
        assert_eq!(month_number(b"JAN"), Some(1));
        assert_eq!(month_number(b"Okt"), None);
        assert_eq!(civil_days(2026, 2, 29), None);
        assert_eq!(civil_days(1970, 1, 1), Some(0));
    }

    #[test]
    fn times_with_and_without_seconds_and_fractions() {
        assert_eq!(parse_time(b"00:00:01"), Some(1_000_000));
        assert_eq!(parse_time(b"10:30"), Some(37_800_000_000));
        assert_eq!(parse_time(b"10:30:00.250"), Some(37_800_250_000));
        assert_eq!(parse_time(b"10:30:00.1234567"), Some(37_800_123_456));
        assert_eq!(parse_time(b"24:00:00"), None);
        assert_eq!(parse_time(b"10:30:"), None);
        assert_eq!(parse_time(b"10:30:00."), None);
        assert_eq!(parse_time(b"ab:cd:ef"), None);
    }
}
