//! Datetimes and timespans: `ago`, `now`, `datetime_add`, `datetime_diff`,
//! `startof…`/`endof…`, `format_datetime`, calendar parts. All datetimes are
//! UTC with microsecond precision (Kusto keeps 100 ns ticks).

use super::sig::{check, sig, P};
use super::{ScalarFamily, ScalarFunction};
use crate::functions::Arity;
use crate::types::KType;

pub(super) const FAMILY: ScalarFamily = ScalarFamily {
    title: "Datetimes and timespans",
    intro: "UTC datetimes with microsecond precision. `now()` and `ago()` use the query's now: the wall clock, or `--now` (e.g. `--now latest` for old logs).",
    functions: FUNCTIONS,
};

sig!(ago_rt, "ago", [Span] => DateTime);
sig!(now_rt, "now", [Span] => DateTime);
sig!(add_rt, "datetime_add", [Text, Int, Date] => DateTime);
sig!(diff_rt, "datetime_diff", [Text, Date, Date] => Long);
sig!(start_rt, "this function", [Date, Int] => DateTime);
sig!(format_rt, "format_datetime", [Date, Text] => String);
sig!(format_span_rt, "format_timespan", [Span, Text] => String);
sig!(part_int_rt, "this function", [Date] => Int);
sig!(dayofweek_rt, "dayofweek", [Date] => TimeSpan);
sig!(datetime_part_rt, "datetime_part", [Text, Date] => Int);
sig!(unix_rt, "this function", [Num] => DateTime);
sig!(make_datetime_rt, "make_datetime", [Int, Int, Int, Int, Int, Num] => DateTime);
sig!(to_unix_rt, "this function", [Date] => Real);
sig!(make_timespan_rt, "make_timespan", [Num, Num, Num, Num] => TimeSpan);

sig!(tz_rt, "this function", [Date, Text] => DateTime);

fn startofhour_rt(a: &[KType]) -> Result<KType, String> {
    check("startofhour", a, &[P::Date, P::Int], None)?;
    Ok(KType::DateTime)
}

const fn f(
    name: &'static str,
    aliases: &'static [&'static str],
    arity: Arity,
    return_type: crate::functions::ReturnTypeFn,
    doc: &'static str,
    example: &'static str,
) -> ScalarFunction {
    ScalarFunction {
        name,
        aliases,
        arity,
        return_type,
        volatile: false,
        doc,
        example,
    }
}

pub(super) const FUNCTIONS: &[ScalarFunction] = &[
    ScalarFunction {
        name: "ago",
        aliases: &[],
        arity: Arity::exact(1),
        return_type: ago_rt,
        volatile: true,
        doc: "`now() - timespan`.",
        example: "TimeGenerated > ago(1d)",
    },
    ScalarFunction {
        name: "now",
        aliases: &[],
        arity: Arity::range(0, 1),
        return_type: now_rt,
        volatile: true,
        doc: "The query's current time (one value for the whole query), plus an optional offset.",
        example: "now(-1h)",
    },
    f(
        "datetime_add",
        &[],
        Arity::exact(3),
        add_rt,
        "`datetime_add(part, amount, datetime)`: adds whole years, quarters, months, weeks, days, hours, minutes, seconds, milliseconds or microseconds (months clamp to the month's last day).",
        "datetime_add(\"day\", -7, now())",
    ),
    f(
        "datetime_diff",
        &[],
        Arity::exact(3),
        diff_rt,
        "`datetime_diff(part, datetime1, datetime2)`: how many part boundaries lie between datetime2 and datetime1 (positive when datetime1 is later), as Kusto.",
        "datetime_diff(\"minute\", max_TimeGenerated, min_TimeGenerated)",
    ),
    f("startofday", &[], Arity::range(1, 2), start_rt, "Midnight of the day; an optional offset moves by that many days.", "startofday(TimeGenerated)"),
    f("startofhour", &[], Arity::range(1, 2), startofhour_rt, "The start of the hour; an optional offset moves by that many hours.", "startofhour(TimeGenerated)"),
    f("startofweek", &[], Arity::range(1, 2), start_rt, "The start of the week (Sunday); an optional offset in weeks.", "startofweek(TimeGenerated)"),
    f("startofmonth", &[], Arity::range(1, 2), start_rt, "The first day of the month; an optional offset in months.", "startofmonth(TimeGenerated)"),
    f("startofyear", &[], Arity::range(1, 2), start_rt, "The first day of the year; an optional offset in years.", "startofyear(TimeGenerated)"),
    f("endofday", &[], Arity::range(1, 2), start_rt, "The last microsecond of the day; an optional offset in days.", "endofday(TimeGenerated)"),
    f("endofweek", &[], Arity::range(1, 2), start_rt, "The last microsecond of the week (Saturday).", "endofweek(TimeGenerated)"),
    f("endofmonth", &[], Arity::range(1, 2), start_rt, "The last microsecond of the month.", "endofmonth(TimeGenerated)"),
    f("endofyear", &[], Arity::range(1, 2), start_rt, "The last microsecond of the year.", "endofyear(TimeGenerated)"),
    f(
        "format_datetime",
        &[],
        Arity::exact(2),
        format_rt,
        "Formats with Kusto's specifiers: `yyyy yy MM M dd d HH H hh h mm m ss s f…fffffff F…FFFFFFF tt`, separators `- / : . , _ [ ]` and spaces; other letters are kept.",
        "format_datetime(TimeGenerated, \"yyyy-MM-dd HH:mm\")",
    ),
    f(
        "format_timespan",
        &[],
        Arity::exact(2),
        format_span_rt,
        "Formats a timespan with `d…`, `hh`, `mm`, `ss`, `f…` specifiers.",
        "format_timespan(duration, \"hh:mm:ss\")",
    ),
    f("hourofday", &[], Arity::exact(1), part_int_rt, "The hour, 0–23.", "hourofday(TimeGenerated)"),
    f("dayofmonth", &[], Arity::exact(1), part_int_rt, "The day of the month, 1–31.", "dayofmonth(TimeGenerated)"),
    f("dayofyear", &[], Arity::exact(1), part_int_rt, "The day of the year, 1–366.", "dayofyear(TimeGenerated)"),
    f(
        "dayofweek",
        &[],
        Arity::exact(1),
        dayofweek_rt,
        "Days since the previous Sunday, as a timespan (Kusto: `0d` is Sunday, `1d` Monday…).",
        "dayofweek(TimeGenerated) == 0d",
    ),
    f("weekofyear", &["week_of_year"], Arity::exact(1), part_int_rt, "The ISO 8601 week number.", "weekofyear(TimeGenerated)"),
    f("getyear", &[], Arity::exact(1), part_int_rt, "The year.", "getyear(TimeGenerated)"),
    f("getmonth", &["monthofyear"], Arity::exact(1), part_int_rt, "The month, 1–12.", "getmonth(TimeGenerated)"),
    f(
        "datetime_part",
        &[],
        Arity::exact(2),
        datetime_part_rt,
        "`datetime_part(part, datetime)`: year, quarter, month, week_of_year, day, dayofyear, hour, minute, second, millisecond, microsecond.",
        "datetime_part(\"hour\", TimeGenerated)",
    ),
    f(
        "unixtime_seconds_todatetime",
        &[],
        Arity::exact(1),
        unix_rt,
        "A datetime from seconds since 1970-01-01.",
        "unixtime_seconds_todatetime(1772985912)",
    ),
    f(
        "unixtime_milliseconds_todatetime",
        &[],
        Arity::exact(1),
        unix_rt,
        "A datetime from milliseconds since 1970-01-01.",
        "unixtime_milliseconds_todatetime(1772985912000)",
    ),
    f(
        "unixtime_microseconds_todatetime",
        &[],
        Arity::exact(1),
        unix_rt,
        "A datetime from microseconds since 1970-01-01.",
        "unixtime_microseconds_todatetime(1772985912000000)",
    ),
    f(
        "datetime_to_unixtime",
        &[],
        Arity::exact(1),
        to_unix_rt,
        "Seconds since 1970-01-01 (with a fraction).",
        "datetime_to_unixtime(TimeGenerated)",
    ),
    f(
        "unixtime_nanoseconds_todatetime",
        &[],
        Arity::exact(1),
        unix_rt,
        "A datetime from nanoseconds since 1970-01-01 (to the microsecond).",
        "unixtime_nanoseconds_todatetime(1772985912000000000)",
    ),
    f(
        "make_timespan",
        &[],
        Arity::range(2, 4),
        make_timespan_rt,
        "`make_timespan(hour, minute)`, `(hour, minute, second)` or `(day, hour, minute, second)`; seconds may have a fraction; null when a part is null.",
        "make_timespan(1, 12, 30, 55.123)",
    ),
    f(
        "make_datetime",
        &[],
        Arity::range(3, 6),
        make_datetime_rt,
        "`make_datetime(year, month, day[, hour, minute, second])`; null for an invalid date.",
        "make_datetime(2026, 3, 8)",
    ),
    f("datetime_local_to_utc", &[], Arity::exact(2), tz_rt, "`datetime_local_to_utc(local, timezone)`: the UTC time of a wall-clock time in an IANA time zone (`Europe/Paris`, `US/Pacific`); a time skipped by a daylight-saving jump is read with the offset after it, a repeated one as standard time. Null for an unknown zone.", "datetime_local_to_utc(datetime(2026-03-08 09:00), \"America/New_York\")"),
    f("datetime_utc_to_local", &[], Arity::exact(2), tz_rt, "`datetime_utc_to_local(utc, timezone)`: the wall-clock time in an IANA time zone of a UTC time. Null for an unknown zone.", "datetime_utc_to_local(TimeGenerated, \"Europe/Berlin\")"),
];
