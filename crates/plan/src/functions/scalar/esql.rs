//! ES|QL functions whose semantics differ from the Kusto function of the same
//! name, or that Kusto lacks. Each is named `esql_<name>`: the ES|QL binder
//! looks that name up first, then falls back to the shared entry (`to_lower`,
//! `length`, `now`, `abs`, `round`, `greatest` … are aliases of Kusto
//! entries). ES|QL multi-values are dynamic arrays; a single value counts as a
//! one-element multi-value. These string functions keep ES|QL's null
//! propagation (a null input gives null).

use super::conditional::esql_case_rt;
use super::sig::{check, sig, P};
use super::unaliased as f;
use super::{ScalarFamily, ScalarFunction};
use crate::functions::Arity;
use crate::types::KType;

pub(super) const FAMILY: ScalarFamily = ScalarFamily {
    title: "ES|QL functions",
    intro: "Functions with ES|QL semantics, for ES|QL queries (names are case-insensitive there; internally each is `esql_<name>`). Other ES|QL functions share the KQL entry and are listed above as its aliases or under its name: `TO_LOWER`, `TO_UPPER`, `TO_INTEGER`, `TO_DOUBLE`, `TO_BOOLEAN`, `SPLIT`, `ABS`, `ROUND`, `POW`, `SQRT`, `LOG10`, `GREATEST`, `LEAST`, `NOW`.",
    functions: FUNCTIONS,
};

sig!(substring_rt, "substring", [Text, Int, Int] => String);
sig!(concat_rt, "concat", [; Text] => String);
sig!(text1_rt, "this function", [Text] => String);
sig!(replace_rt, "replace", [Text, Text, Text] => String);
sig!(locate_rt, "locate", [Text, Text, Int] => Int);
sig!(left_rt, "left/right", [Text, Int] => String);
sig!(prefix_rt, "starts_with/ends_with", [Text, Text] => Bool);
sig!(date_trunc_rt, "date_trunc", [Any, Date] => DateTime);
sig!(date_diff_rt, "date_diff", [Text, Date, Date] => Int);
sig!(date_extract_rt, "date_extract", [Text, Date] => Long);
sig!(cidr_rt, "cidr_match", [Text; Any] => Bool);
sig!(ip_prefix_rt, "ip_prefix", [Text, Int, Int] => String);
sig!(to_ip_rt, "to_ip", [Text; Dyn] => String);
fn to_string_rt(a: &[KType]) -> Result<KType, String> {
    super::esql_convert::per_value(a, KType::String)
}
fn to_long_rt(a: &[KType]) -> Result<KType, String> {
    super::esql_convert::per_value(a, KType::Long)
}
fn to_datetime_rt(a: &[KType]) -> Result<KType, String> {
    super::esql_convert::per_value(a, KType::DateTime)
}
sig!(length_rt, "length", [Text] => Int);
sig!(mv_count_rt, "mv_count", [Any] => Int);
sig!(mv_concat_rt, "mv_concat", [Any, Text] => String);
sig!(mv_contains_rt, "mv_contains", [Any, Any] => Bool);
sig!(mv_real_rt, "mv_avg", [Any] => Real);

fn date_format_rt(a: &[KType]) -> Result<KType, String> {
    match a.len() {
        1 => check("date_format", a, &[P::Date], None)?,
        _ => check("date_format", a, &[P::Text, P::Date], None)?,
    }
    Ok(KType::String)
}

fn date_parse_rt(a: &[KType]) -> Result<KType, String> {
    check("date_parse", a, &[P::Text, P::Text], None)?;
    Ok(KType::DateTime)
}

/// One value of a multi-value: a dynamic multi-value gives its element as
/// text (ES|QL multi-values from `SPLIT`, `VALUES` are mostly keywords).
fn one_rt(a: &[KType]) -> Result<KType, String> {
    match a.first() {
        Some(KType::Dynamic) => Ok(KType::String),
        Some(t) => Ok(*t),
        None => Err("this function takes a value".to_string()),
    }
}

/// The multi-value keeps the argument's type.
fn same_rt(a: &[KType]) -> Result<KType, String> {
    a.first()
        .copied()
        .ok_or_else(|| "this function takes a value".to_string())
}

fn mv_sum_rt(a: &[KType]) -> Result<KType, String> {
    Ok(match a.first() {
        Some(KType::Int) => KType::Int,
        Some(KType::Long) => KType::Long,
        _ => KType::Real,
    })
}

fn floor_rt(a: &[KType]) -> Result<KType, String> {
    check("floor/ceil", a, &[P::Num], None)?;
    Ok(match a.first() {
        Some(KType::Int) => KType::Int,
        Some(KType::Long) => KType::Long,
        _ => KType::Real,
    })
}

fn bucket_rt(a: &[KType]) -> Result<KType, String> {
    match a {
        [KType::DateTime, KType::TimeSpan] => Ok(KType::DateTime),
        [v, s] if v.is_numeric() && s.is_numeric() => Ok(match KType::numeric_join(*v, *s) {
            Some(KType::Int) => KType::Int,
            Some(KType::Long) => KType::Long,
            _ => KType::Real,
        }),
        [v, s] => Err(format!(
            "bucket takes a date and a span like `1 hour`, or a number and a bucket size, got {v} and {s} (the four-argument form is not supported yet)"
        )),
        _ => Err("bucket takes a field and a span".into()),
    }
}

fn coalesce_rt(a: &[KType]) -> Result<KType, String> {
    super::sig::common_type("coalesce", a)
}

pub(super) const FUNCTIONS: &[ScalarFunction] = &[
    f("esql_case", Arity::at_least(2), esql_case_rt, "`CASE(cond, value, …[, else])`: the value of the first true condition; without an else value, null.", "CASE(http.response.status_code >= 500, \"error\", \"ok\")"),
    f("esql_coalesce", Arity::at_least(1), coalesce_rt, "The first argument that is not null (an empty string counts as a value).", "COALESCE(user.name, \"-\")"),
    f("esql_concat", Arity::at_least(1), concat_rt, "Concatenates strings; null if any argument is null.", "CONCAT(source.ip, \":\", TO_STRING(source.port))"),
    f("esql_substring", Arity::range(2, 3), substring_rt, "`SUBSTRING(str, start[, length])` with a 1-based start; a negative start counts from the end.", "SUBSTRING(url.path, 1, 5)"),
    f("esql_locate", Arity::range(2, 3), locate_rt, "`LOCATE(str, substr[, start])`: the 1-based position of substr, 0 when absent.", "LOCATE(url.path, \"/admin\")"),
    f("esql_left", Arity::exact(2), left_rt, "The first n characters.", "LEFT(user_agent.original, 10)"),
    f("esql_right", Arity::exact(2), left_rt, "The last n characters.", "RIGHT(url.path, 4)"),
    f("esql_trim", Arity::exact(1), text1_rt, "Removes leading and trailing whitespace.", "TRIM(user.name)"),
    f("esql_ltrim", Arity::exact(1), text1_rt, "Removes leading whitespace.", "LTRIM(user.name)"),
    f("esql_rtrim", Arity::exact(1), text1_rt, "Removes trailing whitespace.", "RTRIM(user.name)"),
    f("esql_replace", Arity::exact(3), replace_rt, "`REPLACE(str, regex, replacement)`: replaces every match (`$1` refers to a group).", "REPLACE(url.path, \"\\\\d+\", \"N\")"),
    f("esql_starts_with", Arity::exact(2), prefix_rt, "True when the string starts with the prefix (case-sensitive).", "STARTS_WITH(url.path, \"/api\")"),
    f("esql_ends_with", Arity::exact(2), prefix_rt, "True when the string ends with the suffix (case-sensitive).", "ENDS_WITH(url.path, \".php\")"),
    f("esql_floor", Arity::exact(1), floor_rt, "Rounds down to an integer value.", "FLOOR(event.duration / 1000000.0)"),
    f("esql_ceil", Arity::exact(1), floor_rt, "Rounds up to an integer value.", "CEIL(http.response.body.bytes / 1024.0)"),
    f("esql_bucket", Arity::exact(2), bucket_rt, "`BUCKET(field, span)`: as KQL `bin` — dates to multiples of a span like `1 hour`, numbers to multiples of a size.", "BUCKET(@timestamp, 1 hour)"),
    f("esql_date_trunc", Arity::exact(2), date_trunc_rt, "`DATE_TRUNC(interval, date)`: rounds down to the interval (`1 hour`, `1 day`; `1 week` starts on Monday as in Elasticsearch; `\"month\"`, `\"quarter\"`, `\"year\"` as text).", "DATE_TRUNC(1 hour, @timestamp)"),
    f("esql_date_diff", Arity::exact(3), date_diff_rt, "`DATE_DIFF(unit, start, end)`: whole units from start to end (negative when end is earlier).", "DATE_DIFF(\"minute\", first_seen, last_seen)"),
    f("esql_date_extract", Arity::exact(2), date_extract_rt, "`DATE_EXTRACT(part, date)` with Java ChronoField names: `year`, `month_of_year`, `day_of_month`, `day_of_week` (Monday = 1), `day_of_year`, `hour_of_day`, `minute_of_hour`, `second_of_minute`, `milli_of_second`, `epoch_day`, `aligned_week_of_year`.", "DATE_EXTRACT(\"hour_of_day\", @timestamp)"),
    f("esql_date_format", Arity::range(1, 2), date_format_rt, "`DATE_FORMAT([format], date)` with a Java pattern (`yyyy-MM-dd'T'HH:mm:ss.SSS'Z'` by default).", "DATE_FORMAT(\"yyyy-MM-dd\", @timestamp)"),
    f("esql_date_parse", Arity::range(1, 2), date_parse_rt, "`DATE_PARSE([format], text)`: a date from text in a Java pattern (ISO 8601 by default); null when it does not parse.", "DATE_PARSE(\"yyyy-MM-dd\", \"2026-03-08\")"),
    f("esql_cidr_match", Arity::at_least(2), cidr_rt, "`CIDR_MATCH(ip, block, …)`: true when the IPv4 or IPv6 address is in one of the CIDR blocks.", "CIDR_MATCH(source.ip, \"10.0.0.0/8\", \"192.168.0.0/16\")"),
    f("esql_ip_prefix", Arity::exact(3), ip_prefix_rt, "`IP_PREFIX(ip, prefix_v4, prefix_v6)`: the address masked to its network prefix.", "IP_PREFIX(source.ip, 24, 64)"),
    f(
        "esql_to_string",
        Arity::exact(1),
        to_string_rt,
        "Text of a value as Elasticsearch writes it: dates as `2026-03-08T16:05:12.000Z`, other values as KQL's `tostring`; null stays null.",
        "TO_STRING(@timestamp)",
    ),
    f(
        "esql_to_long",
        Arity::exact(1),
        to_long_rt,
        "As KQL's `tolong`, except that a date gives milliseconds since 1970-01-01, as in Elasticsearch.",
        "TO_LONG(@timestamp)",
    ),
    f(
        "esql_to_datetime",
        Arity::exact(1),
        to_datetime_rt,
        "A date from ISO 8601 text, or from a number of milliseconds since 1970-01-01.",
        "TO_DATETIME(\"2026-03-08T16:05:12Z\")",
    ),
    f("esql_length", Arity::exact(1), length_rt, "The number of characters; null for null.", "LENGTH(url.path)"),
    f("esql_to_ip", Arity::range(1, 2), to_ip_rt, "The address in canonical text, or null when the text is not an IP address. `TO_IP(s, {\"leading_zeros\": \"octal\"})` reads IPv4 parts with a leading 0 as octal, `\"decimal\"` as decimal; by default they are refused (null).", "TO_IP(\"10.0.0.1\")"),
    f("esql_mv_count", Arity::exact(1), mv_count_rt, "The number of values (1 for a single value, null for null).", "MV_COUNT(related.ip)"),
    f("esql_mv_dedupe", Arity::exact(1), same_rt, "The distinct values, in first-seen order.", "MV_DEDUPE(related.ip)"),
    f("esql_mv_first", Arity::exact(1), one_rt, "The first value.", "MV_FIRST(SPLIT(url.path, \"/\"))"),
    f("esql_mv_last", Arity::exact(1), one_rt, "The last value.", "MV_LAST(SPLIT(url.path, \"/\"))"),
    f("esql_mv_min", Arity::exact(1), one_rt, "The smallest value.", "MV_MIN(ports)"),
    f("esql_mv_max", Arity::exact(1), one_rt, "The largest value.", "MV_MAX(ports)"),
    f("esql_mv_sum", Arity::exact(1), mv_sum_rt, "The sum of numeric values.", "MV_SUM(bytes)"),
    f("esql_mv_avg", Arity::exact(1), mv_real_rt, "The mean of numeric values.", "MV_AVG(bytes)"),
    f("esql_mv_concat", Arity::exact(2), mv_concat_rt, "The values as text joined by the delimiter.", "MV_CONCAT(host_names, \", \")"),
    f("esql_mv_sort", Arity::range(1, 2), same_rt, "The values sorted, `\"ASC\"` (default) or `\"DESC\"`.", "MV_SORT(ports, \"DESC\")"),
    f("esql_mv_slice", Arity::range(2, 3), same_rt, "`MV_SLICE(field, start[, end])`: values start..end inclusive (0-based; negative from the end).", "MV_SLICE(hosts, 0, 2)"),
    f("esql_mv_contains", Arity::exact(2), mv_contains_rt, "True when every value of the second argument is among the first's.", "MV_CONTAINS(methods, \"PUT\")"),
];
