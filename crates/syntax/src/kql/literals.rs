//! Literal rules → decoded [`Literal`] values.
//!
//! Called by `expr.rs` for every literal primary and by `operators.rs` for
//! parse patterns. Strings have their escapes resolved, datetimes and
//! timespans become microseconds, `dynamic(...)` becomes a JSON value, so the
//! planner never re-reads literal text.

use chrono::{NaiveDate, NaiveDateTime};
use pest::iterators::Pair;

use super::{internal, span_of, Cursor, Result, Rule};
use crate::ast::{Literal, Span, TypeName};
use crate::error::SyntaxError;

const MICROS_PER_DAY: f64 = 86_400_000_000.0;

/// Any literal rule → a [`Literal`].
pub(super) fn literal(pair: Pair<'_, Rule>) -> Result<Literal> {
    match pair.as_rule() {
        Rule::datetime_lit => datetime_lit(pair),
        Rule::timespan_fn => timespan_fn(pair),
        Rule::guid_lit => guid_lit(pair),
        Rule::dynamic_lit => dynamic_lit(pair),
        Rule::typed_lit => typed_lit(pair),
        Rule::string_lit => Ok(Literal::String(string_lit(pair)?)),
        Rule::timespan_lit => Ok(Literal::TimeSpan(timespan_lit(
            pair.as_str(),
            span_of(&pair),
        )?)),
        Rule::real_lit => Ok(Literal::Real(real(pair.as_str(), span_of(&pair))?)),
        Rule::hex_lit => Ok(Literal::Long(hex(pair.as_str(), span_of(&pair))?)),
        Rule::long_lit => Ok(Literal::Long(long(pair.as_str(), span_of(&pair))?)),
        Rule::bool_lit => Ok(Literal::Bool(pair.as_str().eq_ignore_ascii_case("true"))),
        Rule::null_lit => Ok(Literal::Null(None)),
        _ => Err(internal("literals::literal", span_of(&pair))),
    }
}

/// Whether a literal rule is a bare number that a leading `-` folds into.
pub(super) fn is_bare_number(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::timespan_lit | Rule::real_lit | Rule::hex_lit | Rule::long_lit
    )
}

fn number_error(text: &str, span: Span, what: &str) -> SyntaxError {
    let help = match what {
        "int" => "an int holds -2147483648 to 2147483647; write `long(...)` or a plain number for bigger values",
        "real" => "a real holds up to about 1.8e308",
        "timespan" => "a timespan holds about ±292,000 years in microseconds",
        _ => "a long holds at most 9223372036854775807; write a real (`1e20`) or a string for bigger values",
    };
    let article = if what.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    SyntaxError {
        code: "kql::number_out_of_range",
        message: format!("`{text}` is too large for {article} {what}"),
        span,
        label: format!("this does not fit in {article} {what}"),
        help: Some(help.to_string()),
    }
}

/// `123` → a long.
pub(super) fn long(text: &str, span: Span) -> Result<i64> {
    text.parse::<i64>()
        .map_err(|_| number_error(text, span, "long"))
}

/// `0x1F` → a long.
fn hex(text: &str, span: Span) -> Result<i64> {
    let (neg, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let digits = body.get(2..).unwrap_or("");
    let v = i64::from_str_radix(digits, 16)
        .or_else(|_| u64::from_str_radix(digits, 16).map(|u| u as i64))
        .map_err(|_| number_error(text, span, "long"))?;
    Ok(if neg { v.wrapping_neg() } else { v })
}

/// `1.5`, `1e3` → a real.
pub(super) fn real(text: &str, span: Span) -> Result<f64> {
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(number_error(text, span, "real")),
    }
}

/// `-12`, `0x1f`, `1.5` inside `int(...)`, `real(...)`.
fn signed_number(text: &str, span: Span) -> Result<Literal> {
    let body = text.trim_start_matches('-');
    if body.starts_with("0x") || body.starts_with("0X") {
        Ok(Literal::Long(hex(text, span)?))
    } else if body.contains(['.', 'e', 'E']) {
        Ok(Literal::Real(real(text, span)?))
    } else {
        Ok(Literal::Long(long(text, span)?))
    }
}

/// `int(5)`, `long(null)`, `real(nan)`, `bool(true)`.
fn typed_lit(pair: Pair<'_, Rule>) -> Result<Literal> {
    let span = span_of(&pair);
    let mut c = Cursor::new(pair, "literals::typed_lit");
    let ty_pair = c.expect(Rule::type_name)?;
    let ty =
        TypeName::parse(ty_pair.as_str()).ok_or_else(|| internal("literals::typed_lit", span))?;
    let value = c.next_pair()?;
    let vspan = span_of(&value);
    let mismatch = |found: &str| SyntaxError {
        code: "kql::bad_typed_literal",
        message: format!("`{}` cannot hold {found}", ty.as_str()),
        span: vspan,
        label: format!("not a {} value", ty.as_str()),
        help: Some(format!("write `{}(null)` for a missing value", ty.as_str())),
    };
    match value.as_rule() {
        Rule::null_lit => Ok(Literal::Null(Some(ty))),
        Rule::bool_lit => match ty {
            TypeName::Bool => Ok(Literal::Bool(value.as_str().eq_ignore_ascii_case("true"))),
            _ => Err(mismatch("a bool")),
        },
        Rule::special_real => match ty {
            TypeName::Real | TypeName::Decimal => Ok(Literal::Real(match value.as_str() {
                "nan" => f64::NAN,
                "-inf" => f64::NEG_INFINITY,
                _ => f64::INFINITY,
            })),
            _ => Err(mismatch("nan or inf")),
        },
        Rule::signed_number => {
            let n = signed_number(value.as_str(), vspan)?;
            match (ty, n) {
                (TypeName::Long, Literal::Long(v)) => Ok(Literal::Long(v)),
                (TypeName::Int, Literal::Long(v)) => i32::try_from(v)
                    .map(Literal::Int)
                    .map_err(|_| number_error(value.as_str(), vspan, "int")),
                (TypeName::Real | TypeName::Decimal, Literal::Long(v)) => {
                    Ok(Literal::Real(v as f64))
                }
                (TypeName::Real | TypeName::Decimal, Literal::Real(v)) => Ok(Literal::Real(v)),
                (TypeName::Bool, Literal::Long(v)) => Ok(Literal::Bool(v != 0)),
                _ => Err(mismatch("this number")),
            }
        }
        _ => Err(internal("literals::typed_lit", vspan)),
    }
}

/// `"a" 'b' @"c" ```d``` h"e"` — adjacent parts concatenate.
pub(super) fn string_lit(pair: Pair<'_, Rule>) -> Result<String> {
    let mut out = String::new();
    for part in pair.into_inner() {
        match part.as_rule() {
            Rule::obfuscated => {}
            Rule::double_quoted | Rule::single_quoted => out.push_str(&quoted(part)?),
            Rule::verbatim => {
                let span = span_of(&part);
                let body = part
                    .into_inner()
                    .next()
                    .ok_or_else(|| internal("literals::string_lit", span))?;
                match body.as_rule() {
                    Rule::vdq_body => out.push_str(&body.as_str().replace("\"\"", "\"")),
                    _ => out.push_str(&body.as_str().replace("''", "'")),
                }
            }
            Rule::multiline => {
                let span = span_of(&part);
                let body = part
                    .into_inner()
                    .next()
                    .ok_or_else(|| internal("literals::string_lit", span))?;
                out.push_str(body.as_str());
            }
            _ => return Err(internal("literals::string_lit", span_of(&part))),
        }
    }
    Ok(out)
}

/// `"..."` or `'...'` → its decoded body.
pub(super) fn quoted(pair: Pair<'_, Rule>) -> Result<String> {
    let span = span_of(&pair);
    let body = pair
        .into_inner()
        .next()
        .ok_or_else(|| internal("literals::quoted", span))?;
    let bspan = span_of(&body);
    decode_escapes(body.as_str(), bspan.start)
}

/// Resolves `\n \t \r \\ \" \' \/ \b \f \0 \uXXXX` (with surrogate pairs).
pub(super) fn decode_escapes(body: &str, offset: usize) -> Result<String> {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.char_indices().peekable();
    while let Some((i, ch)) = chars.next() {
        if ch != '\\' {
            out.push(ch);
            continue;
        }
        let Some((_, esc)) = chars.next() else {
            return Err(bad_escape(offset + i, "\\"));
        };
        match esc {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            '0' => out.push('\0'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            '\\' | '"' | '\'' | '/' => out.push(esc),
            'u' => {
                let hex4 =
                    |chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>| -> Option<u32> {
                        let mut v = 0u32;
                        for _ in 0..4 {
                            let (_, h) = chars.next()?;
                            v = v * 16 + h.to_digit(16)?;
                        }
                        Some(v)
                    };
                let hi = hex4(&mut chars).ok_or_else(|| bad_escape(offset + i, "\\u"))?;
                let code = if (0xD800..0xDC00).contains(&hi) {
                    let mut look = chars.clone();
                    let lo = match (look.next(), look.next()) {
                        (Some((_, '\\')), Some((_, 'u'))) => hex4(&mut look),
                        _ => None,
                    };
                    match lo {
                        Some(lo) if (0xDC00..0xE000).contains(&lo) => {
                            chars = look;
                            0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                        }
                        _ => return Err(bad_escape(offset + i, "\\u")),
                    }
                } else {
                    hi
                };
                out.push(char::from_u32(code).ok_or_else(|| bad_escape(offset + i, "\\u"))?);
            }
            other => return Err(bad_escape(offset + i, &format!("\\{other}"))),
        }
    }
    Ok(out)
}

fn bad_escape(at: usize, esc: &str) -> SyntaxError {
    SyntaxError {
        code: "kql::bad_escape",
        message: format!("`{esc}` is not a valid escape in a string"),
        span: Span::new(at, at + esc.len().max(1)),
        label: "unknown escape".to_string(),
        help: Some(
            "write `\\\\` for a backslash, or use a verbatim string such as @\"C:\\inetpub\\logs\" where backslashes are literal"
                .to_string(),
        ),
    }
}

/// Microseconds in one unit of a timespan suffix.
fn unit_micros(unit: &str) -> Option<f64> {
    Some(match unit {
        "d" | "day" | "days" => MICROS_PER_DAY,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3_600_000_000.0,
        "m" | "min" | "minute" | "minutes" => 60_000_000.0,
        "s" | "sec" | "second" | "seconds" => 1_000_000.0,
        "ms" | "milli" | "millis" | "millisecond" | "milliseconds" => 1_000.0,
        "microsecond" | "microseconds" => 1.0,
        "tick" | "ticks" => 0.1,
        _ => return None,
    })
}

/// `10m`, `1.5h`, `100ms` → microseconds.
pub(super) fn timespan_lit(text: &str, span: Span) -> Result<i64> {
    // The unit is the trailing run of letters (`1e3s` keeps its exponent).
    let unit_start = text
        .trim_end_matches(|c: char| c.is_ascii_alphabetic())
        .len();
    let (num, unit) = text.split_at(unit_start);
    let per = unit_micros(unit).ok_or_else(|| bad_timespan(text, span))?;
    if !num.contains(['.', 'e', 'E']) {
        if let Ok(n) = num.parse::<i64>() {
            if per >= 1.0 {
                return n
                    .checked_mul(per as i64)
                    .ok_or_else(|| timespan_range(text, span));
            }
        }
    }
    let v: f64 = num.parse().map_err(|_| bad_timespan(text, span))?;
    to_micros(v * per, text, span)
}

fn to_micros(v: f64, text: &str, span: Span) -> Result<i64> {
    let r = v.round();
    if r.is_finite() && r.abs() < 9.2e18 {
        Ok(r as i64)
    } else {
        Err(timespan_range(text, span))
    }
}

fn bad_timespan(text: &str, span: Span) -> SyntaxError {
    SyntaxError {
        code: "kql::bad_timespan",
        message: format!("`{text}` is not a timespan"),
        span,
        label: "not a timespan".to_string(),
        help: Some(
            "write a number and a unit (`10m`, `1.5h`, `100ms`, `1d`) or `time(1:00:00)`"
                .to_string(),
        ),
    }
}

fn timespan_range(text: &str, span: Span) -> SyntaxError {
    number_error(text, span, "timespan")
}

/// The raw text inside `datetime(...)`, `timespan(...)`, `guid(...)`.
fn raw_arg<'i>(pair: Pair<'i, Rule>, func: &'static str) -> Result<(&'i str, Span)> {
    let mut c = Cursor::new(pair, func);
    let raw = c.expect(Rule::raw_arg)?;
    Ok((raw.as_str(), span_of(&raw)))
}

/// `timespan(1.02:03:04.5)`, `time(1:00:00)`, `time(2d)`, `time(null)`.
fn timespan_fn(pair: Pair<'_, Rule>) -> Result<Literal> {
    let (text, span) = raw_arg(pair, "literals::timespan_fn")?;
    if text == "null" {
        return Ok(Literal::Null(Some(TypeName::TimeSpan)));
    }
    Ok(Literal::TimeSpan(timespan_text(text, span)?))
}

/// The forms Kusto accepts inside `timespan(...)`: `[-][d.]hh:mm[:ss[.fffffff]]`,
/// a suffixed number (`2d`), or a bare number of days.
fn timespan_text(text: &str, span: Span) -> Result<i64> {
    let (neg, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, text),
    };
    let micros = if body.contains(':') {
        let (days, clock) = match body.split_once(':') {
            Some((head, _)) if head.contains('.') => {
                let (d, rest) = body
                    .split_once('.')
                    .ok_or_else(|| bad_timespan(text, span))?;
                (
                    d.parse::<f64>().map_err(|_| bad_timespan(text, span))?,
                    rest,
                )
            }
            _ => (0.0, body),
        };
        let parts: Vec<&str> = clock.split(':').collect();
        if parts.len() < 2 || parts.len() > 3 {
            return Err(bad_timespan(text, span));
        }
        let mut secs = 0.0;
        for (i, p) in parts.iter().enumerate() {
            let v: f64 = p.parse().map_err(|_| bad_timespan(text, span))?;
            if v.is_nan() || v < 0.0 || (i > 0 && v >= 60.0) {
                return Err(bad_timespan(text, span));
            }
            secs += v * [3600.0, 60.0, 1.0][i];
        }
        to_micros(days * MICROS_PER_DAY + secs * 1_000_000.0, text, span)?
    } else if body.ends_with(|c: char| c.is_ascii_alphabetic()) {
        timespan_lit(body, span)?
    } else {
        let days: f64 = body.parse().map_err(|_| bad_timespan(text, span))?;
        to_micros(days * MICROS_PER_DAY, text, span)?
    };
    Ok(if neg { -micros } else { micros })
}

/// `2017 - 08 - 01` (as some of Kusto's examples write a date, spaced like a
/// subtraction) as `2017-08-01`; `None` when there is no such spacing.
fn spaced_date(text: &str) -> Option<String> {
    let joined: Vec<&str> = text.split(" - ").collect();
    (joined.len() > 1).then(|| joined.join("-"))
}

/// `datetime(2026-03-08)`, `datetime(2026-03-08 16:05:12.5)`, `datetime(null)`.
fn datetime_lit(pair: Pair<'_, Rule>) -> Result<Literal> {
    let (text, span) = raw_arg(pair, "literals::datetime_lit")?;
    if text == "null" {
        return Ok(Literal::Null(Some(TypeName::DateTime)));
    }
    // Kusto also takes the date as a string: `datetime("2015-01-01")`.
    let unquoted = ['"', '\'']
        .iter()
        .find_map(|q| text.strip_prefix(*q).and_then(|t| t.strip_suffix(*q)))
        .unwrap_or(text);
    datetime_text(unquoted)
        .or_else(|| datetime_text(&spaced_date(unquoted)?))
        .or_else(|| datetime_parts(unquoted))
        .map(Literal::DateTime)
        .ok_or_else(|| SyntaxError {
            code: "kql::bad_datetime",
            message: format!("`{text}` is not a datetime"),
            span,
            label: "not a date or time Kusto understands".to_string(),
            help: Some(
                "write ISO 8601: `datetime(2026-03-08)`, `datetime(2026-03-08 16:05:12)` or `datetime(2026-03-08T16:05:12.5Z)`"
                    .to_string(),
            ),
        })
}

/// `datetime(2025, 6, 14)`, `datetime(2025, 6, 14, 8, 30, 0)`: year, month,
/// day and optionally hour, minute, second, as Kusto's examples also write it.
fn datetime_parts(text: &str) -> Option<i64> {
    let parts: Vec<u32> = text
        .split(',')
        .map(|p| p.trim().parse().ok())
        .collect::<Option<_>>()?;
    let (date, time) = match parts[..] {
        [y, m, d] => ((y, m, d), (0, 0, 0)),
        [y, m, d, h, mi, s] => ((y, m, d), (h, mi, s)),
        _ => return None,
    };
    let day = NaiveDate::from_ymd_opt(i32::try_from(date.0).ok()?, date.1, date.2)?;
    Some(
        day.and_hms_opt(time.0, time.1, time.2)?
            .and_utc()
            .timestamp_micros(),
    )
}

/// Microseconds since the epoch (UTC) for the datetime forms Kusto accepts.
pub(super) fn datetime_text(text: &str) -> Option<i64> {
    let t = text.trim();
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(t) {
        return Some(dt.timestamp_micros());
    }
    if let Ok(dt) = chrono::DateTime::parse_from_rfc2822(t) {
        return Some(dt.timestamp_micros());
    }
    let naive = t.strip_suffix('Z').unwrap_or(t);
    for fmt in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%Y/%m/%d %H:%M:%S%.f",
        "%m/%d/%Y %H:%M:%S%.f",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(naive, fmt) {
            return Some(dt.and_utc().timestamp_micros());
        }
    }
    for fmt in ["%Y-%m-%d", "%Y/%m/%d", "%m/%d/%Y", "%m-%d-%Y", "%Y%m%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(naive, fmt) {
            return Some(d.and_hms_opt(0, 0, 0)?.and_utc().timestamp_micros());
        }
    }
    None
}

/// `guid(74be27de-1e4e-49d9-b579-fe0b331d3642)` → lower-case text.
fn guid_lit(pair: Pair<'_, Rule>) -> Result<Literal> {
    let (text, span) = raw_arg(pair, "literals::guid_lit")?;
    if text == "null" {
        return Ok(Literal::Null(Some(TypeName::Guid)));
    }
    let hex: String = text.chars().filter(|c| *c != '-').collect();
    let shape: Vec<usize> = text.split('-').map(str::len).collect();
    if hex.len() == 32 && hex.chars().all(|c| c.is_ascii_hexdigit()) && shape == [8, 4, 4, 4, 12] {
        Ok(Literal::Guid(text.to_ascii_lowercase()))
    } else {
        Err(SyntaxError {
            code: "kql::bad_guid",
            message: format!("`{text}` is not a guid"),
            span,
            label: "expected 8-4-4-4-12 hex digits".to_string(),
            help: Some("for example guid(74be27de-1e4e-49d9-b579-fe0b331d3642)".to_string()),
        })
    }
}

/// `dynamic([...])`, `dynamic({...})`, `dynamic(null)`, `dynamic(5)`.
fn dynamic_lit(pair: Pair<'_, Rule>) -> Result<Literal> {
    let mut c = Cursor::new(pair, "literals::dynamic_lit");
    c.expect(Rule::kw_dynamic)?;
    Ok(Literal::Dynamic(dyn_value(c.next_pair()?)?))
}

fn dyn_value(pair: Pair<'_, Rule>) -> Result<serde_json::Value> {
    use serde_json::Value;
    let span = span_of(&pair);
    Ok(match pair.as_rule() {
        Rule::dyn_array => Value::Array(pair.into_inner().map(dyn_value).collect::<Result<_>>()?),
        Rule::dyn_object => {
            let mut map = serde_json::Map::new();
            for member in pair.into_inner() {
                let mut c = Cursor::new(member, "literals::dyn_value");
                let key = string_lit(c.expect(Rule::string_lit)?)?;
                let value = dyn_value(c.next_pair()?)?;
                map.insert(key, value);
            }
            Value::Object(map)
        }
        Rule::string_lit => Value::String(string_lit(pair)?),
        Rule::dyn_number => {
            let text = pair.as_str();
            if text.contains(['.', 'e', 'E']) {
                serde_json::Number::from_f64(real(text, span)?)
                    .map(Value::Number)
                    .ok_or_else(|| number_error(text, span, "real"))?
            } else {
                Value::from(long(text, span)?)
            }
        }
        Rule::bool_lit => Value::Bool(pair.as_str().eq_ignore_ascii_case("true")),
        Rule::null_lit => Value::Null,
        Rule::dynamic_lit => {
            let mut c = Cursor::new(pair, "literals::dyn_value");
            c.expect(Rule::kw_dynamic)?;
            dyn_value(c.next_pair()?)?
        }
        _ => return Err(internal("literals::dyn_value", span)),
    })
}
