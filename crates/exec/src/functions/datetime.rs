//! Datetimes (microseconds since the epoch, UTC) and timespans: `ago`/`now`
//! from the query's `now`, calendar arithmetic with chrono, `startof…`,
//! `format_datetime` with Kusto's specifiers. Invalid dates give null.

use std::fmt::Write as _;
use std::sync::Arc;

use arrow::array::*;
use chrono::{DateTime, Datelike, Months, NaiveDate, NaiveDateTime, Timelike};

use super::args::{self, strings};
use crate::datum::{Datum, Kernel, KernelContext};
use crate::error::Result;

pub(crate) const KERNELS: &[(&str, Kernel)] = &[
    ("ago", ago),
    ("now", now),
    ("datetime_add", datetime_add),
    ("datetime_local_to_utc", |a, c| time_zone(a, c, true)),
    ("datetime_utc_to_local", |a, c| time_zone(a, c, false)),
    ("datetime_diff", datetime_diff),
    ("startofday", |a, c| start_of(a, c, Unit::Day, false)),
    ("startofhour", |a, c| start_of(a, c, Unit::Hour, false)),
    ("startofweek", |a, c| start_of(a, c, Unit::Week, false)),
    ("startofmonth", |a, c| start_of(a, c, Unit::Month, false)),
    ("startofyear", |a, c| start_of(a, c, Unit::Year, false)),
    ("endofday", |a, c| start_of(a, c, Unit::Day, true)),
    ("endofweek", |a, c| start_of(a, c, Unit::Week, true)),
    ("endofmonth", |a, c| start_of(a, c, Unit::Month, true)),
    ("endofyear", |a, c| start_of(a, c, Unit::Year, true)),
    ("format_datetime", format_datetime),
    ("format_timespan", format_timespan),
    ("hourofday", |a, c| part(a, c, |d| d.hour() as i32)),
    ("dayofmonth", |a, c| part(a, c, |d| d.day() as i32)),
    ("dayofyear", |a, c| part(a, c, |d| d.ordinal() as i32)),
    ("weekofyear", |a, c| {
        part(a, c, |d| d.iso_week().week() as i32)
    }),
    ("getyear", |a, c| part(a, c, |d| d.year())),
    ("getmonth", |a, c| part(a, c, |d| d.month() as i32)),
    ("dayofweek", dayofweek),
    ("datetime_part", datetime_part),
    ("unixtime_seconds_todatetime", |a, c| {
        from_unix(a, c, 1_000_000.0)
    }),
    ("unixtime_milliseconds_todatetime", |a, c| {
        from_unix(a, c, 1_000.0)
    }),
    ("unixtime_microseconds_todatetime", |a, c| {
        from_unix(a, c, 1.0)
    }),
    ("unixtime_nanoseconds_todatetime", |a, c| {
        from_unix(a, c, 0.001)
    }),
    ("make_timespan", make_timespan),
    ("datetime_to_unixtime", to_unix),
    ("make_datetime", make_datetime),
];

const US_PER_DAY: i64 = 86_400_000_000;
const US_PER_HOUR: i64 = 3_600_000_000;

pub(crate) fn naive(us: i64) -> Option<NaiveDateTime> {
    DateTime::from_timestamp_micros(us).map(|d| d.naive_utc())
}

pub(crate) fn micros(d: NaiveDateTime) -> i64 {
    d.and_utc().timestamp_micros()
}

fn dt_out(rows: usize, f: impl Fn(usize) -> Option<i64>) -> ArrayRef {
    Arc::new((0..rows).map(f).collect::<TimestampMicrosecondArray>())
}

fn ago(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let s = args::long(args, ctx, 0)?;
    Ok(dt_out(ctx.rows, |i| {
        s.get(i).map(|v| ctx.now.wrapping_sub(v))
    }))
}

fn now(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    if args.is_empty() {
        return Ok(Arc::new(TimestampMicrosecondArray::from_value(
            ctx.now, ctx.rows,
        )));
    }
    let s = args::long(args, ctx, 0)?;
    Ok(dt_out(ctx.rows, |i| {
        s.get(i).map(|v| ctx.now.wrapping_add(v))
    }))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    Year,
    Quarter,
    Month,
    Week,
    Day,
    Hour,
    Minute,
    Second,
    Millisecond,
    Microsecond,
}

/// A Kusto period name (case-insensitive, singular or plural).
pub(crate) fn unit(name: &str) -> Option<Unit> {
    let n = name.trim().to_ascii_lowercase();
    let n = n.strip_suffix('s').unwrap_or(&n);
    Some(match n {
        "year" | "yy" | "yyyy" => Unit::Year,
        "quarter" | "q" | "qq" => Unit::Quarter,
        "month" | "mm" | "m" => Unit::Month,
        "week" | "wk" | "ww" | "week_of_year" => Unit::Week,
        "day" | "dd" | "d" | "dayofmonth" => Unit::Day,
        "hour" | "hh" => Unit::Hour,
        "minute" | "mi" | "n" => Unit::Minute,
        "second" | "ss" => Unit::Second,
        "millisecond" | "ms" => Unit::Millisecond,
        "microsecond" | "mcs" => Unit::Microsecond,
        _ => return None,
    })
}

pub(crate) fn add_months(us: i64, months: i64) -> Option<i64> {
    let d = naive(us)?;
    let m = Months::new(u32::try_from(months.unsigned_abs()).ok()?);
    let r = if months >= 0 {
        d.checked_add_months(m)?
    } else {
        d.checked_sub_months(m)?
    };
    Some(micros(r))
}

pub(crate) fn add(u: Unit, n: i64, us: i64) -> Option<i64> {
    let fixed = |per: i64| us.checked_add(n.checked_mul(per)?);
    match u {
        Unit::Year => add_months(us, n.checked_mul(12)?),
        Unit::Quarter => add_months(us, n.checked_mul(3)?),
        Unit::Month => add_months(us, n),
        Unit::Week => fixed(7 * US_PER_DAY),
        Unit::Day => fixed(US_PER_DAY),
        Unit::Hour => fixed(US_PER_HOUR),
        Unit::Minute => fixed(60_000_000),
        Unit::Second => fixed(1_000_000),
        Unit::Millisecond => fixed(1_000),
        Unit::Microsecond => fixed(1),
    }
}

fn datetime_add(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let p = args::text(args, ctx, 0)?;
    let n = args::long(args, ctx, 1)?;
    let d = args::long(args, ctx, 2)?;
    Ok(dt_out(ctx.rows, |i| {
        add(unit(p.get(i))?, n.get(i)?, d.get(i)?)
    }))
}

/// Period boundaries between `b` and `a` (Kusto's datetime_diff(part, a, b)).
pub(crate) fn diff(u: Unit, a: i64, b: i64) -> Option<i64> {
    let (da, db) = (naive(a)?, naive(b)?);
    let months = |d: &NaiveDateTime| i64::from(d.year()) * 12 + i64::from(d.month0());
    let floor = |v: i64, per: i64| v.div_euclid(per);
    Some(match u {
        Unit::Year => i64::from(da.year() - db.year()),
        Unit::Quarter => months(&da).div_euclid(3) - months(&db).div_euclid(3),
        Unit::Month => months(&da) - months(&db),
        // Weeks start on Sunday; 1970-01-01 was a Thursday (4 days after Sunday).
        Unit::Week => {
            floor(a + 4 * US_PER_DAY, 7 * US_PER_DAY) - floor(b + 4 * US_PER_DAY, 7 * US_PER_DAY)
        }
        Unit::Day => floor(a, US_PER_DAY) - floor(b, US_PER_DAY),
        Unit::Hour => floor(a, US_PER_HOUR) - floor(b, US_PER_HOUR),
        Unit::Minute => floor(a, 60_000_000) - floor(b, 60_000_000),
        Unit::Second => floor(a, 1_000_000) - floor(b, 1_000_000),
        Unit::Millisecond => floor(a, 1_000) - floor(b, 1_000),
        Unit::Microsecond => a - b,
    })
}

fn datetime_diff(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let p = args::text(args, ctx, 0)?;
    let a = args::long(args, ctx, 1)?;
    let b = args::long(args, ctx, 2)?;
    let out: Int64Array = (0..ctx.rows)
        .map(|i| diff(unit(p.get(i))?, a.get(i)?, b.get(i)?))
        .collect();
    Ok(Arc::new(out))
}

/// The start of the period holding `us`, moved by `offset` periods.
pub(crate) fn truncate(u: Unit, us: i64) -> Option<i64> {
    let d = naive(us)?;
    let floor = |per: i64| us - us.rem_euclid(per);
    Some(match u {
        Unit::Year => micros(NaiveDate::from_ymd_opt(d.year(), 1, 1)?.and_hms_opt(0, 0, 0)?),
        Unit::Quarter => micros(
            NaiveDate::from_ymd_opt(d.year(), d.month0() / 3 * 3 + 1, 1)?.and_hms_opt(0, 0, 0)?,
        ),
        Unit::Month => {
            micros(NaiveDate::from_ymd_opt(d.year(), d.month(), 1)?.and_hms_opt(0, 0, 0)?)
        }
        Unit::Week => {
            let day = floor(US_PER_DAY);
            day - i64::from(d.weekday().num_days_from_sunday()) * US_PER_DAY
        }
        Unit::Day => floor(US_PER_DAY),
        Unit::Hour => floor(US_PER_HOUR),
        Unit::Minute => floor(60_000_000),
        Unit::Second => floor(1_000_000),
        Unit::Millisecond => floor(1_000),
        Unit::Microsecond => us,
    })
}

fn start_of(args: &[Datum], ctx: &KernelContext, u: Unit, end: bool) -> Result<ArrayRef> {
    let d = args::long(args, ctx, 0)?;
    let off = if args.len() > 1 {
        Some(args::long(args, ctx, 1)?)
    } else {
        None
    };
    Ok(dt_out(ctx.rows, |i| {
        let o = match &off {
            Some(o) => o.get(i)?,
            None => 0,
        };
        let start = add(u, o, truncate(u, d.get(i)?)?)?;
        if end {
            Some(add(u, 1, start)? - 1)
        } else {
            Some(start)
        }
    }))
}

fn part(args: &[Datum], ctx: &KernelContext, f: fn(&NaiveDateTime) -> i32) -> Result<ArrayRef> {
    let d = args::long(args, ctx, 0)?;
    let out: Int32Array = (0..ctx.rows)
        .map(|i| naive(d.get(i)?).map(|n| f(&n)))
        .collect();
    Ok(Arc::new(out))
}

fn dayofweek(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let d = args::long(args, ctx, 0)?;
    let out: DurationMicrosecondArray = (0..ctx.rows)
        .map(|i| {
            naive(d.get(i)?).map(|n| i64::from(n.weekday().num_days_from_sunday()) * US_PER_DAY)
        })
        .collect();
    Ok(Arc::new(out))
}

pub(crate) fn part_of(name: &str, d: &NaiveDateTime) -> Option<i32> {
    Some(match name.trim().to_ascii_lowercase().as_str() {
        "year" => d.year(),
        "quarter" => d.month0() as i32 / 3 + 1,
        "month" => d.month() as i32,
        "week_of_year" | "week" => d.iso_week().week() as i32,
        "day" | "dayofmonth" => d.day() as i32,
        "dayofyear" => d.ordinal() as i32,
        "dayofweek" => d.weekday().num_days_from_sunday() as i32,
        "hour" => d.hour() as i32,
        "minute" => d.minute() as i32,
        "second" => d.second() as i32,
        "millisecond" => (d.nanosecond() / 1_000_000) as i32,
        "microsecond" => (d.nanosecond() / 1_000) as i32,
        "nanosecond" => d.nanosecond() as i32,
        _ => return None,
    })
}

fn datetime_part(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let p = args::text(args, ctx, 0)?;
    let d = args::long(args, ctx, 1)?;
    let out: Int32Array = (0..ctx.rows)
        .map(|i| part_of(p.get(i), &naive(d.get(i)?)?))
        .collect();
    Ok(Arc::new(out))
}

fn from_unix(args: &[Datum], ctx: &KernelContext, scale: f64) -> Result<ArrayRef> {
    let v = args::real(args, ctx, 0)?;
    Ok(dt_out(ctx.rows, |i| {
        let us = (v.get(i)? * scale).round();
        (us.is_finite() && us.abs() < 9.0e18).then_some(us as i64)
    }))
}

fn to_unix(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let d = args::long(args, ctx, 0)?;
    let out: Float64Array = (0..ctx.rows)
        .map(|i| d.get(i).map(|v| v as f64 / 1e6))
        .collect();
    Ok(Arc::new(out))
}

/// `make_timespan(h, m)`, `(h, m, s)` or `(d, h, m, s)`, in microseconds.
fn make_timespan(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let cols: Vec<args::Real> = (0..args.len())
        .map(|k| args::real(args, ctx, k))
        .collect::<Result<_>>()?;
    // Seconds per unit of each argument, by the call's arity.
    let units: &[f64] = match cols.len() {
        2 => &[3600.0, 60.0],
        3 => &[3600.0, 60.0, 1.0],
        _ => &[86_400.0, 3600.0, 60.0, 1.0],
    };
    let out: DurationMicrosecondArray = (0..ctx.rows)
        .map(|i| {
            let mut secs = 0.0;
            for (c, u) in cols.iter().zip(units) {
                secs += c.get(i)? * u;
            }
            let us = (secs * 1e6).round();
            (us.is_finite() && us.abs() < 9.0e18).then_some(us as i64)
        })
        .collect();
    Ok(Arc::new(out))
}

fn make_datetime(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let cols: Vec<args::Real> = (0..args.len())
        .map(|k| args::real(args, ctx, k))
        .collect::<Result<_>>()?;
    Ok(dt_out(ctx.rows, |i| {
        let get = |k: usize| cols.get(k).map_or(Some(0.0), |c| c.get(i));
        let date = NaiveDate::from_ymd_opt(get(0)? as i32, get(1)? as u32, get(2)? as u32)?;
        let secs = get(5)?;
        let t = date.and_hms_opt(get(3)? as u32, get(4)? as u32, secs.trunc() as u32)?;
        Some(micros(t) + (secs.fract() * 1e6).round() as i64)
    }))
}

/// Kusto's format_datetime specifiers.
pub(crate) fn format_kusto(d: &NaiveDateTime, fmt: &str, out: &mut String) {
    let chars: Vec<char> = fmt.chars().collect();
    let mut i = 0;
    let frac_us = d.nanosecond() / 1_000;
    while i < chars.len() {
        let c = chars[i];
        let mut n = 1;
        while i + n < chars.len() && chars[i + n] == c {
            n += 1;
        }
        match c {
            'y' => {
                let y = d.year();
                match n {
                    1 => {
                        let _ = write!(out, "{}", y % 100);
                    }
                    2 => {
                        let _ = write!(out, "{:02}", y % 100);
                    }
                    _ => {
                        let _ = write!(out, "{:0n$}", y);
                    }
                }
            }
            'M' => {
                let _ = if n >= 2 {
                    write!(out, "{:02}", d.month())
                } else {
                    write!(out, "{}", d.month())
                };
            }
            'd' => {
                let _ = if n >= 2 {
                    write!(out, "{:02}", d.day())
                } else {
                    write!(out, "{}", d.day())
                };
            }
            'H' => {
                let _ = if n >= 2 {
                    write!(out, "{:02}", d.hour())
                } else {
                    write!(out, "{}", d.hour())
                };
            }
            'h' => {
                let h = match d.hour() % 12 {
                    0 => 12,
                    h => h,
                };
                let _ = if n >= 2 {
                    write!(out, "{h:02}")
                } else {
                    write!(out, "{h}")
                };
            }
            'm' => {
                let _ = if n >= 2 {
                    write!(out, "{:02}", d.minute())
                } else {
                    write!(out, "{}", d.minute())
                };
            }
            's' => {
                let _ = if n >= 2 {
                    write!(out, "{:02}", d.second())
                } else {
                    write!(out, "{}", d.second())
                };
            }
            'f' | 'F' => {
                let digits = format!("{frac_us:06}0");
                let take = n.min(7);
                let mut s = digits[..take].to_string();
                if c == 'F' {
                    s = s.trim_end_matches('0').to_string();
                }
                out.push_str(&s);
            }
            't' => out.push_str(if d.hour() < 12 {
                if n >= 2 {
                    "AM"
                } else {
                    "A"
                }
            } else if n >= 2 {
                "PM"
            } else {
                "P"
            }),
            other => {
                for _ in 0..n {
                    out.push(other);
                }
            }
        }
        i += n;
    }
}

fn format_datetime(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let d = args::long(args, ctx, 0)?;
    let f = args::text(args, ctx, 1)?;
    Ok(strings(ctx.rows, ctx.rows * 20, |i, out| {
        let Some(n) = d.get(i).and_then(naive) else {
            return false;
        };
        format_kusto(&n, f.get(i), out);
        true
    }))
}

fn format_timespan(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let d = args::long(args, ctx, 0)?;
    let f = args::text(args, ctx, 1)?;
    Ok(strings(ctx.rows, ctx.rows * 12, |i, out| {
        let Some(us) = d.get(i) else { return false };
        if us < 0 {
            out.push('-');
        }
        let v = us.unsigned_abs();
        let (days, h, m, s, frac) = (
            v / 86_400_000_000,
            v / 3_600_000_000 % 24,
            v / 60_000_000 % 60,
            v / 1_000_000 % 60,
            v % 1_000_000,
        );
        let chars: Vec<char> = f.get(i).chars().collect();
        let mut k = 0;
        while k < chars.len() {
            let c = chars[k];
            let mut n = 1;
            while k + n < chars.len() && chars[k + n] == c {
                n += 1;
            }
            let _ = match c {
                'd' => write!(out, "{:0n$}", days),
                'h' | 'H' => write!(out, "{:0w$}", h, w = n.min(2)),
                'm' => write!(out, "{:0w$}", m, w = n.min(2)),
                's' => write!(out, "{:0w$}", s, w = n.min(2)),
                'f' | 'F' => {
                    let digits = format!("{frac:06}0");
                    let mut t = digits[..n.min(7)].to_string();
                    if c == 'F' {
                        t = t.trim_end_matches('0').to_string();
                    }
                    write!(out, "{t}")
                }
                other => {
                    for _ in 0..n {
                        out.push(other);
                    }
                    Ok(())
                }
            };
            k += n;
        }
        true
    }))
}

/// `datetime_local_to_utc(dt, tz)` (`to_utc`) and `datetime_utc_to_local(dt,
/// tz)` over IANA zones (chrono-tz's copy of the tz database). A wall-clock
/// time a daylight-saving jump skips is read with the offset after the jump
/// (Kusto's documented result), a repeated one as standard time (the later
/// instant, as .NET's `ConvertTimeToUtc`). Null for an unknown zone.
fn time_zone(args: &[Datum], ctx: &KernelContext, to_utc: bool) -> Result<ArrayRef> {
    use chrono::{Offset, TimeZone};
    use chrono_tz::Tz;
    let t = args::long(args, ctx, 0)?;
    let zone = args::text(args, ctx, 1)?;
    let fixed = zone.scalar().map(|z| z.trim().parse::<Tz>().ok());
    let convert = |micros: i64, tz: Tz| -> Option<i64> {
        let naive = DateTime::from_timestamp_micros(micros)?.naive_utc();
        if !to_utc {
            return Some(
                tz.from_utc_datetime(&naive)
                    .naive_local()
                    .and_utc()
                    .timestamp_micros(),
            );
        }
        let utc = match tz.from_local_datetime(&naive) {
            chrono::LocalResult::Single(d) => d.timestamp_micros(),
            chrono::LocalResult::Ambiguous(a, b) => a.timestamp_micros().max(b.timestamp_micros()),
            chrono::LocalResult::None => {
                let later = naive.checked_add_signed(chrono::TimeDelta::days(1))?;
                let offset = tz.offset_from_utc_datetime(&later).fix().local_minus_utc();
                naive.and_utc().timestamp_micros() - i64::from(offset) * 1_000_000
            }
        };
        Some(utc)
    };
    let out: TimestampMicrosecondArray = (0..ctx.rows)
        .map(|i| {
            let tz = match &fixed {
                Some(z) => (*z)?,
                None => zone.get(i).trim().parse::<Tz>().ok()?,
            };
            convert(t.get(i)?, tz)
        })
        .collect();
    Ok(Arc::new(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::testing::*;
    use iishunt_plan::types::KType::*;
    use iishunt_plan::types::ScalarValue;

    const T: i64 = 1_772_985_912_123_456; // 2026-03-08 16:05:12.123456, a Sunday

    fn dt(s: &str) -> i64 {
        crate::functions::conversion::parse_datetime(s).expect("test datetime")
    }

    #[test]
    fn now_and_ago() {
        let day = Datum::Scalar(ScalarValue::TimeSpan(US_PER_DAY));
        assert_eq!(
            dts(&run_at("ago", &[day.clone()], &[TimeSpan], DateTime, T)),
            vec![Some(T - US_PER_DAY)]
        );
        assert_eq!(dts(&run_at("now", &[], &[], DateTime, T)), vec![Some(T)]);
        assert_eq!(
            dts(&run_at("now", &[day], &[TimeSpan], DateTime, T)),
            vec![Some(T + US_PER_DAY)]
        );
    }

    #[test]
    fn calendar() {
        let d = dt_col(&[Some(T), None]);
        let one = |name: &str| dts(&call(name, &[d.clone()], &[DateTime]));
        assert_eq!(one("startofday"), vec![Some(dt("2026-03-08")), None]);
        assert_eq!(one("startofhour")[0], Some(dt("2026-03-08 16:00")));
        assert_eq!(one("startofweek")[0], Some(dt("2026-03-08")));
        assert_eq!(one("startofmonth")[0], Some(dt("2026-03-01")));
        assert_eq!(one("startofyear")[0], Some(dt("2026-01-01")));
        assert_eq!(one("endofday")[0], Some(dt("2026-03-09") - 1));
        assert_eq!(one("endofmonth")[0], Some(dt("2026-04-01") - 1));
        let wed = dt_col(&[Some(dt("2026-03-11 10:00"))]);
        assert_eq!(
            dts(&call("startofweek", &[wed.clone()], &[DateTime]))[0],
            Some(dt("2026-03-08"))
        );
        assert_eq!(
            spans(&call("dayofweek", &[wed.clone()], &[DateTime]))[0],
            Some(3 * US_PER_DAY)
        );
        assert_eq!(
            ints(&call("hourofday", &[d.clone()], &[DateTime])),
            vec![Some(16), None]
        );
        assert_eq!(
            ints(&call("getmonth", &[d.clone()], &[DateTime]))[0],
            Some(3)
        );
        assert_eq!(
            ints(&call("getyear", &[d.clone()], &[DateTime]))[0],
            Some(2026)
        );
        assert_eq!(
            ints(&call("dayofyear", &[d.clone()], &[DateTime]))[0],
            Some(67)
        );
        let jan31 = Datum::Scalar(ScalarValue::DateTime(dt("2026-01-31")));
        let out = call(
            "datetime_add",
            &[lit_str("month"), lit_long(1), jan31.clone()],
            &[String, Long, DateTime],
        );
        assert_eq!(dts(&out)[0], Some(dt("2026-02-28")));
        let out = call(
            "datetime_add",
            &[lit_str("Hour"), lit_long(-2), jan31.clone()],
            &[String, Long, DateTime],
        );
        assert_eq!(dts(&out)[0], Some(dt("2026-01-30 22:00")));
        let a = Datum::Scalar(ScalarValue::DateTime(dt("2017-01-01")));
        let b = Datum::Scalar(ScalarValue::DateTime(dt("2000-12-31")));
        assert_eq!(
            longs(&call(
                "datetime_diff",
                &[lit_str("year"), a.clone(), b.clone()],
                &[String, DateTime, DateTime]
            ))[0],
            Some(17)
        );
        assert_eq!(
            longs(&call(
                "datetime_diff",
                &[lit_str("month"), a.clone(), b.clone()],
                &[String, DateTime, DateTime]
            ))[0],
            Some(193)
        );
        assert_eq!(
            longs(&call(
                "datetime_diff",
                &[lit_str("day"), a, b],
                &[String, DateTime, DateTime]
            ))[0],
            Some(5845)
        );
        assert_eq!(
            ints(&call(
                "datetime_part",
                &[lit_str("minute"), d],
                &[String, DateTime]
            ))[0],
            Some(5)
        );
    }

    #[test]
    fn formatting() {
        let d = Datum::Scalar(ScalarValue::DateTime(T));
        let f = |fmt: &str| {
            texts(&call(
                "format_datetime",
                &[d.clone(), lit_str(fmt)],
                &[DateTime, String],
            ))[0]
                .clone()
        };
        assert_eq!(
            f("yyyy-MM-dd HH:mm:ss").as_deref(),
            Some("2026-03-08 16:05:12")
        );
        assert_eq!(f("M/d/yy h:mm tt").as_deref(), Some("3/8/26 4:05 PM"));
        assert_eq!(f("HH:mm:ss.fff").as_deref(), Some("16:05:12.123"));
        assert_eq!(f("[yyyy]").as_deref(), Some("[2026]"));
        let s = Datum::Scalar(ScalarValue::TimeSpan(93_784_500_000));
        let out = call(
            "format_timespan",
            &[s, lit_str("d.hh:mm:ss.ff")],
            &[TimeSpan, String],
        );
        assert_eq!(texts(&out)[0].as_deref(), Some("1.02:03:04.50"));
        assert_eq!(
            dts(&call(
                "unixtime_seconds_todatetime",
                &[lit_long(1_772_985_912)],
                &[Long]
            ))[0],
            Some(1_772_985_912_000_000)
        );
        let args = [
            lit_long(2026),
            lit_long(3),
            lit_long(8),
            lit_long(16),
            lit_long(5),
            lit_long(12),
        ];
        assert_eq!(
            dts(&call("make_datetime", &args, &[Long; 6]))[0],
            Some(1_772_985_912_000_000)
        );
        assert_eq!(
            dts(&call(
                "make_datetime",
                &[lit_long(2026), lit_long(2), lit_long(30)],
                &[Long; 3]
            ))[0],
            None
        );
    }
}
