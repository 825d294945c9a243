//! Kernels of the plan's `esql_period` family: time durations and calendar
//! periods read from text (`"3 hours"`, `"1 month"`), and dates moved by a
//! period along the calendar.

use std::sync::Arc;

use arrow::array::*;

use super::args::{self, strings};
use super::datetime::{add_months, unit, Unit};
use crate::datum::{Datum, Kernel, KernelContext};
use crate::error::Result;

pub(crate) const KERNELS: &[(&str, Kernel)] = &[
    ("esql_to_timeduration", to_timeduration),
    ("esql_to_dateperiod", to_dateperiod),
    ("__esql_date_add_period", add_period),
];

/// `"3 hours"`, `"1month"`, `"2 DAYS"`: a count and a unit.
pub(crate) fn read_span(text: &str) -> Option<(i64, Unit)> {
    let t = text.trim();
    let split = t
        .find(|c: char| !c.is_ascii_digit() && c != '-')
        .unwrap_or(t.len());
    let (n, u) = t.split_at(split);
    let n: i64 = if n.is_empty() { 1 } else { n.parse().ok()? };
    let u = u.trim().to_ascii_lowercase();
    let u = match u.as_str() {
        "h" => "hour",
        "min" | "minutes" => "minute",
        "s" | "sec" | "secs" | "seconds" => "second",
        "w" => "week",
        "y" | "yr" | "yrs" | "years" => "year",
        "mo" | "mos" => "month",
        other => other,
    };
    Some((n, unit(u)?))
}

/// Microseconds of a fixed-length unit.
fn fixed_micros(u: Unit) -> Option<i64> {
    Some(match u {
        Unit::Week => 7 * 86_400_000_000,
        Unit::Day => 86_400_000_000,
        Unit::Hour => 3_600_000_000,
        Unit::Minute => 60_000_000,
        Unit::Second => 1_000_000,
        Unit::Millisecond => 1_000,
        Unit::Microsecond => 1,
        Unit::Year | Unit::Quarter | Unit::Month => return None,
    })
}

fn to_timeduration(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    if args::arg_type(ctx, 0) == iishunt_plan::types::KType::TimeSpan {
        return args::arg(args, 0)?.to_array(ctx.rows);
    }
    let t = args::text(args, ctx, 0)?;
    let out: DurationMicrosecondArray = (0..ctx.rows)
        .map(|i| {
            if t.is_null(i) {
                return None;
            }
            let (n, u) = read_span(t.get(i))?;
            if matches!(u, Unit::Week) {
                return None; // weeks are a date period in ES|QL
            }
            n.checked_mul(fixed_micros(u)?)
        })
        .collect();
    Ok(Arc::new(out))
}

fn to_dateperiod(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let t = args::text(args, ctx, 0)?;
    Ok(strings(ctx.rows, 0, |i, out| {
        if t.is_null(i) {
            return false;
        }
        match read_span(t.get(i)) {
            Some((n, u @ (Unit::Year | Unit::Quarter | Unit::Month | Unit::Week | Unit::Day))) => {
                let name = match u {
                    Unit::Year => "year",
                    Unit::Quarter => "quarter",
                    Unit::Month => "month",
                    Unit::Week => "week",
                    _ => "day",
                };
                out.push_str(&format!("{n} {name}"));
                true
            }
            _ => false,
        }
    }))
}

/// `date ± period`: months, quarters and years along the calendar, days and
/// weeks as fixed lengths (UTC has no daylight saving).
pub(crate) fn shift(us: i64, period: &str, sign: i64) -> Option<i64> {
    let (n, u) = read_span(period)?;
    let n = n.checked_mul(sign)?;
    match u {
        Unit::Year => add_months(us, n.checked_mul(12)?),
        Unit::Quarter => add_months(us, n.checked_mul(3)?),
        Unit::Month => add_months(us, n),
        other => us.checked_add(n.checked_mul(fixed_micros(other)?)?),
    }
}

fn add_period(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let d = args::long(args, ctx, 0)?;
    let p = args::text(args, ctx, 1)?;
    let s = args::long(args, ctx, 2)?;
    let out: TimestampMicrosecondArray = (0..ctx.rows)
        .map(|i| {
            if p.is_null(i) {
                return None;
            }
            shift(d.get(i)?, p.get(i), s.get(i)?.signum())
        })
        .collect();
    Ok(Arc::new(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::testing::*;
    use iishunt_plan::types::KType::*;

    #[test]
    fn durations_and_periods_read_from_text() {
        let out = call(
            "esql_to_timeduration",
            &[strs(&[Some("3 hours"), Some("x")])],
            &[String],
        );
        assert_eq!(spans(&out), [Some(3 * 3_600_000_000), None]);
        let out = call("esql_to_dateperiod", &[lit_str("3 DAYS")], &[String]);
        assert_eq!(texts(&out), [Some("3 day".into())]);
    }

    #[test]
    fn periods_move_dates_along_the_calendar() {
        // 2024-01-31 + 1 month is 2024-02-29; 2024-01-01 - 3 days is 2023-12-29.
        let jan31 = 1_706_659_200_000_000;
        assert_eq!(shift(jan31, "1 month", 1), Some(1_709_164_800_000_000));
        let jan1 = 1_704_067_200_000_000;
        assert_eq!(shift(jan1, "3 days", -1), Some(1_703_808_000_000_000));
    }
}
