//! Conversions: `tostring`, `tolong`, `toint`, `toreal`, `tobool`,
//! `todatetime`, `totimespan`, `todynamic`, `tohex`, `gettype`, and the
//! formatting/parsing rules every other kernel reuses through args.rs. Bad
//! input becomes null, never an error. Datetimes print as Kusto does
//! (`2026-03-08T16:05:12.0000000Z`), timespans as `[-][d.]hh:mm:ss[.fffffff]`.

use std::fmt::Write as _;
use std::sync::Arc;

use arrow::array::*;
use arrow::compute::{cast_with_options, CastOptions};
use arrow::datatypes::*;
use iishunt_plan::types::{KType, ScalarValue};
use serde_json::Value;

use super::args::{self, strings};
use crate::datum::{Datum, Kernel, KernelContext};
use crate::error::Result;

pub(crate) const KERNELS: &[(&str, Kernel)] = &[
    ("tostring", tostring),
    ("tolong", tolong),
    ("toint", toint),
    ("toreal", toreal),
    ("todecimal", toreal),
    ("tobool", tobool),
    ("todatetime", todatetime),
    ("totimespan", totimespan),
    ("todynamic", todynamic),
    ("tohex", tohex),
    ("gettype", gettype),
];

pub(crate) const MICROS_PER_SEC: i64 = 1_000_000;

// ---------------------------------------------------------------- formatting

/// Kusto's datetime text: `2026-03-08T16:05:12.0000000Z` (seven fractional digits).
pub(crate) fn write_datetime(out: &mut String, micros: i64) {
    match chrono::DateTime::from_timestamp_micros(micros) {
        Some(dt) => {
            let frac = micros.rem_euclid(MICROS_PER_SEC);
            let _ = write!(out, "{}.{:06}0Z", dt.format("%Y-%m-%dT%H:%M:%S"), frac);
        }
        None => out.push_str(""),
    }
}

/// Kusto's timespan text: `[-][d.]hh:mm:ss[.fffffff]`.
pub(crate) fn write_timespan(out: &mut String, micros: i64) {
    let neg = micros < 0;
    let v = micros.unsigned_abs();
    let us = v % 1_000_000;
    let secs = v / 1_000_000;
    let (d, h, m, s) = (secs / 86_400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    if neg {
        out.push('-');
    }
    if d > 0 {
        let _ = write!(out, "{d}.");
    }
    let _ = write!(out, "{h:02}:{m:02}:{s:02}");
    if us > 0 {
        let _ = write!(out, ".{us:06}0");
    }
}

/// A real as Kusto prints it: shortest round-trip digits, `NaN`, `Infinity`.
pub(crate) fn write_real(out: &mut String, v: f64) {
    if v.is_nan() {
        out.push_str("NaN");
    } else if v.is_infinite() {
        out.push_str(if v > 0.0 { "Infinity" } else { "-Infinity" });
    } else {
        let _ = write!(out, "{v}");
    }
}

/// The text of a dynamic value held as JSON: a JSON string without quotes,
/// JSON null as "", anything else as its JSON text.
pub(crate) fn write_dynamic_text(out: &mut String, json: &str) {
    let t = json.trim();
    if t.starts_with('"') {
        match serde_json::from_str::<String>(t) {
            Ok(s) => out.push_str(&s),
            Err(_) => out.push_str(t),
        }
    } else if t != "null" {
        out.push_str(t);
    }
}

/// Writes a JSON string literal (quoted, escaped).
pub(crate) fn write_json_str(out: &mut String, s: &str) {
    out.push('"');
    if !s.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
        out.push_str(s);
        out.push('"');
        return;
    }
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The text of a constant (`None` for null).
pub(crate) fn scalar_text(v: &ScalarValue) -> Option<String> {
    let mut s = String::new();
    match v {
        ScalarValue::Null(_) => return None,
        ScalarValue::Bool(b) => s.push_str(if *b { "true" } else { "false" }),
        ScalarValue::Int(i) => {
            let _ = write!(s, "{i}");
        }
        ScalarValue::Long(i) => {
            let _ = write!(s, "{i}");
        }
        ScalarValue::Real(r) => write_real(&mut s, *r),
        ScalarValue::String(t) | ScalarValue::Guid(t) => s.push_str(t),
        ScalarValue::DateTime(t) => write_datetime(&mut s, *t),
        ScalarValue::TimeSpan(t) => write_timespan(&mut s, *t),
        ScalarValue::Dynamic(j) => match j {
            Value::String(t) => s.push_str(t),
            Value::Null => {}
            other => s.push_str(&other.to_string()),
        },
    }
    Some(s)
}

/// A column as text (nulls stay null: the readers treat them as "").
pub(crate) fn text_array(a: &ArrayRef, ty: KType) -> Result<StringArray> {
    let rows = a.len();
    let out: ArrayRef = match (ty, a.data_type()) {
        (KType::String | KType::Guid, DataType::Utf8) => return Ok(a.as_string::<i32>().clone()),
        (KType::Dynamic, DataType::Utf8) => {
            let s = a.as_string::<i32>();
            strings(rows, s.value_data().len(), |i, out| {
                if s.is_null(i) {
                    return false;
                }
                write_dynamic_text(out, s.value(i));
                true
            })
        }
        (_, DataType::Timestamp(_, _)) => {
            let p = a.as_primitive::<TimestampMicrosecondType>();
            strings(rows, rows * 28, |i, out| {
                if p.is_null(i) {
                    return false;
                }
                write_datetime(out, p.value(i));
                true
            })
        }
        (_, DataType::Duration(_)) => {
            let p = a.as_primitive::<DurationMicrosecondType>();
            strings(rows, rows * 10, |i, out| {
                if p.is_null(i) {
                    return false;
                }
                write_timespan(out, p.value(i));
                true
            })
        }
        (_, DataType::Float64) => {
            let p = a.as_primitive::<Float64Type>();
            strings(rows, rows * 8, |i, out| {
                if p.is_null(i) {
                    return false;
                }
                write_real(out, p.value(i));
                true
            })
        }
        _ => cast_with_options(a, &DataType::Utf8, &CastOptions::default())?,
    };
    Ok(out.as_string::<i32>().clone())
}

// ---------------------------------------------------------------- parsing

/// An integer from text: optional sign, digits, surrounding spaces allowed.
pub(crate) fn parse_long(s: &str) -> Option<i64> {
    let t = s.trim();
    t.parse::<i64>().ok().or_else(|| {
        // "1.0" style integral reals parse too, as Kusto's long(…) does for "1e3".
        let r: f64 = t.parse().ok()?;
        (r.is_finite() && r.fract() == 0.0 && r.abs() < 9.2e18).then_some(r as i64)
    })
}

pub(crate) fn parse_real(s: &str) -> Option<f64> {
    let t = s.trim();
    match t {
        "NaN" => Some(f64::NAN),
        "Infinity" | "+Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        _ if t.is_empty()
            || t.contains(|c: char| c.is_ascii_alphabetic() && c != 'e' && c != 'E') =>
        {
            None
        }
        _ => t.parse().ok(),
    }
}

pub(crate) fn parse_bool(s: &str) -> Option<bool> {
    let t = s.trim();
    if t.eq_ignore_ascii_case("true") {
        Some(true)
    } else if t.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        parse_long(t).map(|v| v != 0)
    }
}

/// A datetime (microseconds since the epoch, UTC) from common text forms.
pub(crate) fn parse_datetime(s: &str) -> Option<i64> {
    use chrono::{DateTime, NaiveDate, NaiveDateTime};
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Some(dt.timestamp_micros());
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(t) {
        return Some(dt.timestamp_micros());
    }
    let bare = t
        .strip_suffix('Z')
        .or_else(|| t.strip_suffix(" GMT"))
        .unwrap_or(t);
    const DT: &[&str] = &[
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M:%S%.f",
        "%Y/%m/%d %H:%M",
        "%m/%d/%Y %H:%M:%S%.f",
        "%m/%d/%Y %H:%M",
        "%m/%d/%Y %I:%M:%S %p",
        "%a, %d %b %Y %H:%M:%S",
        "%d %b %Y %H:%M:%S",
    ];
    for f in DT {
        if let Ok(dt) = NaiveDateTime::parse_from_str(bare, f) {
            return Some(dt.and_utc().timestamp_micros());
        }
    }
    for f in ["%Y-%m-%d", "%Y/%m/%d", "%m/%d/%Y", "%m-%d-%Y", "%Y%m%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(bare, f) {
            return d
                .and_hms_opt(0, 0, 0)
                .map(|dt| dt.and_utc().timestamp_micros());
        }
    }
    None
}

/// A timespan (microseconds) from `[-][d.]hh:mm[:ss[.fffffff]]` or `10m`-style text.
pub(crate) fn parse_timespan(s: &str) -> Option<i64> {
    let t = s.trim();
    let (neg, t) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t),
    };
    let v = if t.contains(':') {
        parse_clock(t)?
    } else {
        parse_unit_span(t)?
    };
    Some(if neg { -v } else { v })
}

fn parse_clock(t: &str) -> Option<i64> {
    let (days, rest) = match t.split_once(':') {
        Some((head, _)) if head.contains('.') => {
            let (d, _) = head.split_once('.')?;
            (d.parse::<i64>().ok()?, &t[d.len() + 1..])
        }
        _ => (0, t),
    };
    let mut parts = rest.split(':');
    let h: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let (sec, frac) = match parts.next() {
        Some(sp) => match sp.split_once('.') {
            Some((s, f)) => (s.parse::<i64>().ok()?, f),
            None => (sp.parse::<i64>().ok()?, ""),
        },
        None => (0, ""),
    };
    if parts.next().is_some() || m >= 60 || sec >= 60 {
        return None;
    }
    let mut us = 0i64;
    for (i, c) in frac.chars().take(6).enumerate() {
        us += i64::from(c.to_digit(10)? as u8) * 10i64.pow(5 - i as u32);
    }
    if days < 0 || h < 0 || m < 0 || sec < 0 {
        return None;
    }
    let secs = days
        .checked_mul(24)?
        .checked_add(h)?
        .checked_mul(3600)?
        .checked_add(m * 60 + sec)?;
    secs.checked_mul(MICROS_PER_SEC)?.checked_add(us)
}

fn parse_unit_span(t: &str) -> Option<i64> {
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
    let (num, unit) = t.split_at(split);
    let n: f64 = num.parse().ok()?;
    let mul: f64 = match unit.trim() {
        "d" | "day" | "days" => 86_400e6,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3_600e6,
        "m" | "min" | "minute" | "minutes" => 60e6,
        "s" | "sec" | "second" | "seconds" => 1e6,
        "ms" | "milli" | "millis" | "millisecond" | "milliseconds" => 1e3,
        "microsecond" | "microseconds" => 1.0,
        "tick" | "ticks" => 0.1,
        _ => return None,
    };
    Some((n * mul).round() as i64)
}

/// The JSON value of dynamic text (invalid JSON: `None`).
pub(crate) fn parse_dynamic(text: &str) -> Option<Value> {
    serde_json::from_str(text).ok()
}

fn json_to_long(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.is_finite()).map(|f| f as i64)),
        Value::String(s) => parse_long(s),
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

fn json_to_real(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => parse_real(s),
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        _ => None,
    }
}

fn json_to_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_f64().map(|f| f != 0.0),
        Value::String(s) => parse_bool(s),
        _ => None,
    }
}

// ---------------------------------------------------------------- constants

pub(crate) fn scalar_to_long(v: &ScalarValue) -> Option<i64> {
    match v {
        ScalarValue::Null(_) => None,
        ScalarValue::Bool(b) => Some(i64::from(*b)),
        ScalarValue::Int(i) => Some(i64::from(*i)),
        ScalarValue::Long(i) | ScalarValue::DateTime(i) | ScalarValue::TimeSpan(i) => Some(*i),
        ScalarValue::Real(r) => r.is_finite().then_some(*r as i64),
        ScalarValue::String(s) | ScalarValue::Guid(s) => parse_long(s),
        ScalarValue::Dynamic(j) => json_to_long(j),
    }
}

pub(crate) fn scalar_to_real(v: &ScalarValue) -> Option<f64> {
    match v {
        ScalarValue::Null(_) => None,
        ScalarValue::Bool(b) => Some(f64::from(u8::from(*b))),
        ScalarValue::Int(i) => Some(f64::from(*i)),
        ScalarValue::Long(i) | ScalarValue::DateTime(i) | ScalarValue::TimeSpan(i) => {
            Some(*i as f64)
        }
        ScalarValue::Real(r) => Some(*r),
        ScalarValue::String(s) | ScalarValue::Guid(s) => parse_real(s),
        ScalarValue::Dynamic(j) => json_to_real(j),
    }
}

pub(crate) fn scalar_to_bool(v: &ScalarValue) -> Option<bool> {
    match v {
        ScalarValue::Null(_) => None,
        ScalarValue::Bool(b) => Some(*b),
        ScalarValue::String(s) | ScalarValue::Guid(s) => parse_bool(s),
        ScalarValue::Dynamic(j) => json_to_bool(j),
        other => scalar_to_long(other).map(|v| v != 0),
    }
}

// ---------------------------------------------------------------- columns

fn per_text<T: ArrowPrimitiveType>(
    s: &StringArray,
    dynamic: bool,
    parse: impl Fn(&str) -> Option<T::Native>,
    json: impl Fn(&Value) -> Option<T::Native>,
) -> PrimitiveArray<T> {
    s.iter()
        .map(|v| {
            let v = v?;
            if dynamic {
                json(&parse_dynamic(v)?)
            } else {
                parse(v)
            }
        })
        .collect()
}

pub(crate) fn long_array(a: &ArrayRef, ty: KType) -> Result<Int64Array> {
    Ok(match a.data_type() {
        DataType::Int64 => a.as_primitive::<Int64Type>().clone(),
        DataType::Utf8 => per_text::<Int64Type>(
            a.as_string::<i32>(),
            ty == KType::Dynamic,
            parse_long,
            json_to_long,
        ),
        DataType::Timestamp(_, _) => a
            .as_primitive::<TimestampMicrosecondType>()
            .reinterpret_cast::<Int64Type>(),
        DataType::Duration(_) => a
            .as_primitive::<DurationMicrosecondType>()
            .reinterpret_cast::<Int64Type>(),
        DataType::Float64 => a
            .as_primitive::<Float64Type>()
            .unary_opt::<_, Int64Type>(|f| (f.is_finite()).then_some(f as i64)),
        _ => cast_with_options(a, &DataType::Int64, &CastOptions::default())?
            .as_primitive::<Int64Type>()
            .clone(),
    })
}

pub(crate) fn real_array(a: &ArrayRef, ty: KType) -> Result<Float64Array> {
    Ok(match a.data_type() {
        DataType::Float64 => a.as_primitive::<Float64Type>().clone(),
        DataType::Utf8 => per_text::<Float64Type>(
            a.as_string::<i32>(),
            ty == KType::Dynamic,
            parse_real,
            json_to_real,
        ),
        DataType::Timestamp(_, _) | DataType::Duration(_) => long_array(a, ty)?.unary(|v| v as f64),
        _ => cast_with_options(a, &DataType::Float64, &CastOptions::default())?
            .as_primitive::<Float64Type>()
            .clone(),
    })
}

pub(crate) fn bool_array(a: &ArrayRef, ty: KType) -> Result<BooleanArray> {
    Ok(match a.data_type() {
        DataType::Boolean => a.as_boolean().clone(),
        DataType::Utf8 => {
            let s = a.as_string::<i32>();
            let dynamic = ty == KType::Dynamic;
            s.iter()
                .map(|v| {
                    let v = v?;
                    if dynamic {
                        json_to_bool(&parse_dynamic(v)?)
                    } else {
                        parse_bool(v)
                    }
                })
                .collect()
        }
        _ => long_array(a, ty)?
            .iter()
            .map(|v| v.map(|v| v != 0))
            .collect(),
    })
}

/// `value` (of type `from`) as a column of type `to`, as the `to…` functions convert.
pub(crate) fn convert(value: &Datum, from: KType, to: KType, rows: usize) -> Result<ArrayRef> {
    let same_arrow = from.arrow_type() == to.arrow_type()
        && !(from == KType::Dynamic)
        && !(to == KType::Dynamic);
    if same_arrow || from == to {
        return value.to_array(rows);
    }
    if let Datum::Scalar(ScalarValue::Null(_)) = value {
        return Ok(crate::datum::null_array(to, rows));
    }
    let types = [from];
    let ctx = KernelContext {
        rows,
        now: 0,
        arg_types: &types,
        return_type: to,
    };
    let args = std::slice::from_ref(value);
    match to {
        KType::String | KType::Guid => tostring(args, &ctx),
        KType::Long => tolong(args, &ctx),
        KType::Int => toint(args, &ctx),
        KType::Real | KType::Decimal => toreal(args, &ctx),
        KType::Bool => tobool(args, &ctx),
        KType::DateTime => todatetime(args, &ctx),
        KType::TimeSpan => totimespan(args, &ctx),
        KType::Dynamic => todynamic(args, &ctx),
    }
}

// ---------------------------------------------------------------- kernels

fn tostring(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    // Kusto: tostring(null) is "".
    let t = args::text(args, ctx, 0)?;
    match t {
        args::Text::Scalar(s) => Ok(Arc::new(StringArray::from_iter_values(
            std::iter::repeat_n(s.as_deref().unwrap_or(""), ctx.rows),
        ))),
        args::Text::Array(a) if a.null_count() == 0 => Ok(Arc::new(a)),
        args::Text::Array(a) => Ok(Arc::new(
            a.iter()
                .map(|v| Some(v.unwrap_or("")))
                .collect::<StringArray>(),
        )),
    }
}

fn tolong(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    match args::long(args, ctx, 0)? {
        args::Long::Scalar(v) => Ok(Arc::new(Int64Array::from(vec![v; ctx.rows]))),
        args::Long::Array(a) => Ok(Arc::new(a)),
    }
}

fn toint(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    if let Some(Datum::Array(a)) = args.first() {
        if a.data_type() == &DataType::Int32 {
            return Ok(a.clone());
        }
    }
    match args::long(args, ctx, 0)? {
        args::Long::Scalar(v) => Ok(Arc::new(Int32Array::from(vec![
            v.map(|v| v as i32);
            ctx.rows
        ]))),
        args::Long::Array(a) => Ok(Arc::new(a.unary::<_, Int32Type>(|v| v as i32))),
    }
}

fn toreal(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    match args::real(args, ctx, 0)? {
        args::Real::Scalar(v) => Ok(Arc::new(Float64Array::from(vec![v; ctx.rows]))),
        args::Real::Array(a) => Ok(Arc::new(a)),
    }
}

fn tobool(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    match args::boolean(args, ctx, 0)? {
        args::Bool::Scalar(v) => Ok(Arc::new(BooleanArray::from(vec![v; ctx.rows]))),
        args::Bool::Array(a) => Ok(Arc::new(a)),
    }
}

fn todatetime(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let ty = args::arg_type(ctx, 0);
    let out: TimestampMicrosecondArray = match (args::arg(args, 0)?, ty) {
        (Datum::Array(a), KType::DateTime) => return Ok(a.clone()),
        (Datum::Scalar(ScalarValue::DateTime(v)), _) => {
            TimestampMicrosecondArray::from_value(*v, ctx.rows)
        }
        (_, KType::String | KType::Guid | KType::Dynamic) => {
            let t = args::text(args, ctx, 0)?;
            (0..ctx.rows)
                .map(|i| {
                    if t.is_null(i) {
                        None
                    } else {
                        parse_datetime(t.get(i))
                    }
                })
                .collect()
        }
        // Kusto: todatetime of a number is not a datetime.
        _ => return Ok(crate::datum::null_array(KType::DateTime, ctx.rows)),
    };
    Ok(Arc::new(out))
}

fn totimespan(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let ty = args::arg_type(ctx, 0);
    let out: DurationMicrosecondArray = match (args::arg(args, 0)?, ty) {
        (Datum::Array(a), KType::TimeSpan) => return Ok(a.clone()),
        (Datum::Scalar(ScalarValue::TimeSpan(v)), _) => {
            DurationMicrosecondArray::from_value(*v, ctx.rows)
        }
        (_, KType::String | KType::Guid | KType::Dynamic) => {
            let t = args::text(args, ctx, 0)?;
            (0..ctx.rows)
                .map(|i| {
                    if t.is_null(i) {
                        None
                    } else {
                        parse_timespan(t.get(i))
                    }
                })
                .collect()
        }
        // A number is a count of ticks (100 ns), as Kusto.
        _ => {
            let l = args::long(args, ctx, 0)?;
            (0..ctx.rows).map(|i| l.get(i).map(|v| v / 10)).collect()
        }
    };
    Ok(Arc::new(out))
}

/// Dynamic JSON text for one value of type `ty` (text given).
fn write_as_json(out: &mut String, text: &str, ty: KType) {
    match ty {
        KType::Dynamic => out.push_str(text),
        KType::Bool | KType::Int | KType::Long => out.push_str(text),
        KType::Real | KType::Decimal => {
            if text.parse::<f64>().is_ok_and(f64::is_finite) {
                out.push_str(text)
            } else {
                write_json_str(out, text)
            }
        }
        KType::String | KType::Guid => {
            let t = text.trim();
            if (t.starts_with('{') || t.starts_with('['))
                && serde_json::from_str::<Value>(t).is_ok()
            {
                out.push_str(t);
            } else if let Ok(v) = serde_json::from_str::<Value>(t) {
                out.push_str(&v.to_string());
            } else {
                write_json_str(out, text)
            }
        }
        KType::DateTime | KType::TimeSpan => write_json_str(out, text),
    }
}

fn todynamic(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let ty = args::arg_type(ctx, 0);
    if let (Datum::Array(a), KType::Dynamic) = (args::arg(args, 0)?, ty) {
        return Ok(a.clone());
    }
    if let Datum::Scalar(ScalarValue::Dynamic(j)) = args::arg(args, 0)? {
        let s = j.to_string();
        return Ok(Arc::new(StringArray::from_iter_values(
            std::iter::repeat_n(s.as_str(), ctx.rows),
        )));
    }
    let t = args::text(args, ctx, 0)?;
    Ok(strings(
        ctx.rows,
        t.byte_len(ctx.rows) + ctx.rows * 2,
        |i, out| {
            if t.is_null(i) {
                return false;
            }
            write_as_json(out, t.get(i), ty);
            true
        },
    ))
}

fn tohex(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let int32 = args::arg_type(ctx, 0) == KType::Int;
    let v = args::long(args, ctx, 0)?;
    let width = if args.len() > 1 {
        Some(args::long(args, ctx, 1)?)
    } else {
        None
    };
    Ok(strings(ctx.rows, ctx.rows * 8, |i, out| {
        let Some(x) = v.get(i) else { return false };
        let w = width
            .as_ref()
            .and_then(|w| w.get(i))
            .unwrap_or(0)
            .clamp(0, 64) as usize;
        if int32 {
            let _ = write!(out, "{:0w$x}", x as i32 as u32);
        } else {
            let _ = write!(out, "{:0w$x}", x as u64);
        }
        true
    }))
}

fn dynamic_kind(text: &str) -> &'static str {
    match parse_dynamic(text) {
        Some(Value::Array(_)) => "array",
        Some(Value::Object(_)) => "dictionary",
        Some(Value::String(_)) => "string",
        Some(Value::Bool(_)) => "bool",
        Some(Value::Number(n)) if n.is_i64() || n.is_u64() => "long",
        Some(Value::Number(_)) => "real",
        Some(Value::Null) | None => "null",
    }
}

fn gettype(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let ty = args::arg_type(ctx, 0);
    if ty != KType::Dynamic {
        let name = ty.name();
        return Ok(Arc::new(StringArray::from_iter_values(
            std::iter::repeat_n(name, ctx.rows),
        )));
    }
    let t = args::text(args, ctx, 0)?;
    // The text reader unwraps strings; read the raw JSON instead.
    let raw = match args::arg(args, 0)? {
        Datum::Array(a) => Some(a.as_string::<i32>().clone()),
        Datum::Scalar(_) => None,
    };
    Ok(strings(ctx.rows, ctx.rows * 6, |i, out| {
        let kind = match (&raw, args::scalar_arg(args, 0)) {
            (Some(a), _) if a.is_null(i) => "null",
            (Some(a), _) => dynamic_kind(a.value(i)),
            (None, Some(ScalarValue::Dynamic(j))) => dynamic_kind(&j.to_string()),
            _ => dynamic_kind(t.get(i)),
        };
        out.push_str(kind);
        true
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::testing::*;

    #[test]
    fn formats() {
        let mut s = String::new();
        write_datetime(&mut s, 1_772_985_912_000_000);
        assert_eq!(s, "2026-03-08T16:05:12.0000000Z");
        for (us, want) in [
            (600_000_000, "00:10:00"),
            (86_400_000_000, "1.00:00:00"),
            (-1_500_000, "-00:00:01.5000000"),
            (90_061_000_001, "1.01:01:01.0000010"),
        ] {
            let mut s = String::new();
            write_timespan(&mut s, us);
            assert_eq!(s, want);
        }
    }

    #[test]
    fn parses() {
        assert_eq!(parse_long(" 42 "), Some(42));
        assert_eq!(parse_long("abc"), None);
        assert_eq!(parse_long("2148074254"), Some(2_148_074_254));
        assert_eq!(
            parse_datetime("2026-03-08 16:05:12"),
            Some(1_772_985_912_000_000)
        );
        assert_eq!(
            parse_datetime("2026-03-08T16:05:12Z"),
            Some(1_772_985_912_000_000)
        );
        assert_eq!(
            parse_datetime("2026-03-08T17:05:12+01:00"),
            Some(1_772_985_912_000_000)
        );
        assert_eq!(parse_datetime("2026-03-08"), Some(1_772_928_000_000_000));
        assert_eq!(
            parse_datetime("03/08/2026 16:05:12"),
            Some(1_772_985_912_000_000)
        );
        assert_eq!(
            parse_datetime("Sun, 08 Mar 2026 16:05:12 GMT"),
            Some(1_772_985_912_000_000)
        );
        assert_eq!(parse_datetime("yesterday"), None);
        assert_eq!(parse_timespan("00:10:00"), Some(600_000_000));
        assert_eq!(parse_timespan("1.02:00:00"), Some(93_600_000_000));
        assert_eq!(parse_timespan("10m"), Some(600_000_000));
        assert_eq!(parse_timespan("-1.5h"), Some(-5_400_000_000));
        assert_eq!(parse_timespan("00:00:00.25"), Some(250_000));
        assert_eq!(parse_timespan("soon"), None);
    }

    #[test]
    fn conversions() {
        let s = strs(&[Some("12"), Some("abc"), None, Some(" -7 ")]);
        assert_eq!(
            longs(&run("tolong", &[s.clone()], &[KType::String], KType::Long)),
            vec![Some(12), None, None, Some(-7)]
        );
        assert_eq!(
            ints(&run("toint", &[s], &[KType::String], KType::Int)),
            vec![Some(12), None, None, Some(-7)]
        );
        let l = long_col(&[Some(-1), Some(255), None, Some(0x8009030e)]);
        assert_eq!(
            texts(&run("tohex", &[l], &[KType::Long], KType::String)),
            vec![
                Some("ffffffffffffffff".into()),
                Some("ff".into()),
                None,
                Some("8009030e".into())
            ]
        );
        let i = Datum::Scalar(ScalarValue::Int(-1));
        assert_eq!(
            texts(&run("tohex", &[i], &[KType::Int], KType::String))[0].as_deref(),
            Some("ffffffff")
        );
        let padded = run(
            "tohex",
            &[lit_long(255), lit_long(4)],
            &[KType::Long, KType::Long],
            KType::String,
        );
        assert_eq!(texts(&padded)[0].as_deref(), Some("00ff"));
        // tostring: null is "", reals shortest, dynamic strings unquoted.
        let r = real_col(&[Some(1.0), Some(1.5), None]);
        assert_eq!(
            texts(&run("tostring", &[r], &[KType::Real], KType::String)),
            vec![Some("1".into()), Some("1.5".into()), Some("".into())]
        );
        let d = strs(&[Some("\"web01\""), Some("[1,2]"), Some("null")]);
        assert_eq!(
            texts(&run("tostring", &[d], &[KType::Dynamic], KType::String)),
            vec![Some("web01".into()), Some("[1,2]".into()), Some("".into())]
        );
        let b = strs(&[Some("TRUE"), Some("0"), Some("maybe")]);
        assert_eq!(
            bools_of(&run("tobool", &[b], &[KType::String], KType::Bool)),
            vec![Some(true), Some(false), None]
        );
        let j = strs(&[Some("{\"a\":1}"), Some("plain"), Some("42")]);
        assert_eq!(
            texts(&run("todynamic", &[j], &[KType::String], KType::Dynamic)),
            vec![
                Some("{\"a\":1}".into()),
                Some("\"plain\"".into()),
                Some("42".into())
            ]
        );
        let g = strs(&[Some("[1]"), Some("{}"), Some("\"x\""), Some("1.5")]);
        assert_eq!(
            texts(&run("gettype", &[g], &[KType::Dynamic], KType::String)),
            vec![
                Some("array".into()),
                Some("dictionary".into()),
                Some("string".into()),
                Some("real".into())
            ]
        );
    }
}
