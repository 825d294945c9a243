//! ES|QL-only kernels (`esql_…` entries): 1-based `substring`/`locate`,
//! null-propagating `concat`, whitespace `trim`, `date_trunc`/`date_diff`/
//! `date_extract`/`date_format`/`date_parse` with Elasticsearch's conventions,
//! `cidr_match`/`ip_prefix`/`to_ip` for IPv4 and IPv6, and the `mv_*`
//! functions over multi-values (dynamic arrays; a single value is a
//! one-element multi-value).

use std::fmt::Write as _;
use std::net::IpAddr;
use std::sync::Arc;

use arrow::array::*;
use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use iishunt_plan::types::{KType, ScalarValue};
use serde_json::Value;

use super::args::{self, strings, RegexCache};
use super::datetime::{add_months, micros, naive, truncate, Unit};
use super::dynamic::{cmp_values, json, value_text, Json};
use super::ip::{in_net, parse_ip_net};
use super::strings::{byte_at, char_len};
use crate::datum::{Datum, Kernel, KernelContext};
use crate::error::Result;

pub(crate) const KERNELS: &[(&str, Kernel)] = &[
    ("esql_case", super::conditional::case),
    ("esql_coalesce", coalesce),
    ("esql_concat", concat),
    ("esql_substring", substring),
    ("esql_locate", locate),
    ("esql_left", |a, c| left_right(a, c, true)),
    ("esql_right", |a, c| left_right(a, c, false)),
    ("esql_trim", |a, c| trim(a, c, str::trim)),
    ("esql_ltrim", |a, c| trim(a, c, str::trim_start)),
    ("esql_rtrim", |a, c| trim(a, c, str::trim_end)),
    ("esql_replace", replace),
    ("esql_starts_with", |a, c| affix(a, c, true)),
    ("esql_ends_with", |a, c| affix(a, c, false)),
    ("esql_floor", |a, c| round_int(a, c, f64::floor)),
    ("esql_ceil", |a, c| round_int(a, c, f64::ceil)),
    ("esql_bucket", bucket),
    ("esql_date_trunc", date_trunc),
    ("esql_date_diff", date_diff),
    ("esql_date_extract", date_extract),
    ("esql_date_format", date_format),
    ("esql_date_parse", date_parse),
    ("esql_cidr_match", cidr_match),
    ("esql_ip_prefix", ip_prefix),
    ("esql_to_ip", to_ip),
    ("esql_to_string", |a, c| {
        super::esql_convert::convert_each(a, c, to_string, KType::String)
    }),
    ("esql_to_long", |a, c| {
        super::esql_convert::convert_each(a, c, super::esql_convert::to_long, KType::Long)
    }),
    ("esql_to_datetime", |a, c| {
        super::esql_convert::convert_each(a, c, to_datetime, KType::DateTime)
    }),
    ("esql_length", length),
    ("esql_mv_count", mv_count),
    ("esql_mv_dedupe", |a, c| mv_map(a, c, Mv::Dedupe)),
    ("esql_mv_first", |a, c| mv_map(a, c, Mv::First)),
    ("esql_mv_last", |a, c| mv_map(a, c, Mv::Last)),
    ("esql_mv_min", |a, c| mv_map(a, c, Mv::Min)),
    ("esql_mv_max", |a, c| mv_map(a, c, Mv::Max)),
    ("esql_mv_sort", |a, c| mv_map(a, c, Mv::Sort)),
    ("esql_mv_slice", |a, c| mv_map(a, c, Mv::Slice)),
    ("esql_mv_sum", |a, c| mv_number(a, c, false)),
    ("esql_mv_avg", |a, c| mv_number(a, c, true)),
    ("esql_mv_concat", mv_concat),
    ("esql_mv_contains", mv_contains),
];

/// ES|QL: null in, null out. `f` returns `false` for a null result.
fn text_fn(
    args: &[Datum],
    ctx: &KernelContext,
    f: impl Fn(&[args::Text], usize, &mut String) -> bool,
) -> Result<ArrayRef> {
    let texts: Vec<args::Text> = (0..args.len())
        .map(|i| args::text(args, ctx, i))
        .collect::<Result<_>>()?;
    Ok(strings(
        ctx.rows,
        texts.first().map_or(0, |t| t.byte_len(ctx.rows)),
        |i, out| {
            if texts.iter().any(|t| t.is_null(i)) {
                return false;
            }
            f(&texts, i, out)
        },
    ))
}

fn coalesce(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    // First non-null: gather row by row through interleave.
    let ret = ctx.return_type;
    let cols: Vec<ArrayRef> = args
        .iter()
        .enumerate()
        .map(|(i, a)| super::convert(a, args::arg_type(ctx, i), ret, ctx.rows))
        .collect::<Result<_>>()?;
    let nulls = crate::datum::null_array(ret, 1);
    let mut refs: Vec<&dyn Array> = cols.iter().map(|c| c.as_ref()).collect();
    refs.push(nulls.as_ref());
    // A null argument is skipped even when its conversion made a value of it
    // (a dynamic null converts to "" as text).
    let was_null = |k: usize, r: usize| match &args[k] {
        Datum::Scalar(v) => v.is_null(),
        Datum::Array(a) => a.is_null(r),
    };
    let idx: Vec<(usize, usize)> = (0..ctx.rows)
        .map(|r| {
            (0..cols.len())
                .position(|k| cols[k].is_valid(r) && !was_null(k, r))
                .map_or((cols.len(), 0), |k| (k, r))
        })
        .collect();
    if ctx.rows == 0 {
        return Ok(crate::datum::null_array(ret, 0));
    }
    Ok(arrow::compute::interleave(&refs, &idx)?)
}

fn concat(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    text_fn(args, ctx, |t, i, out| {
        for p in t {
            out.push_str(p.get(i));
        }
        true
    })
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
        if t.is_null(i) {
            return false;
        }
        let s = t.get(i);
        let n = char_len(s) as i64;
        let Some(st) = start.get(i) else { return false };
        let from = if st < 0 {
            n.saturating_add(st).max(0)
        } else {
            st.saturating_sub(1).max(0)
        };
        let rest = &s[byte_at(s, from as usize)..];
        match &len {
            Some(l) => match l.get(i) {
                Some(l) => out.push_str(&rest[..byte_at(rest, l.max(0) as usize)]),
                None => return false,
            },
            None => out.push_str(rest),
        }
        true
    }))
}

fn locate(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let t = args::text(args, ctx, 0)?;
    let sub = args::text(args, ctx, 1)?;
    let start = if args.len() > 2 {
        Some(args::long(args, ctx, 2)?)
    } else {
        None
    };
    let out: Int32Array = (0..ctx.rows)
        .map(|i| {
            if t.is_null(i) || sub.is_null(i) {
                return None;
            }
            let s = t.get(i);
            let from = match &start {
                Some(st) => st.get(i)?.saturating_sub(1).max(0) as usize,
                None => 0,
            };
            let b = byte_at(s, from);
            Some(match s[b..].find(sub.get(i)) {
                Some(p) => (from + char_len(&s[b..b + p]) + 1) as i32,
                None => 0,
            })
        })
        .collect();
    Ok(Arc::new(out))
}

fn left_right(args: &[Datum], ctx: &KernelContext, left: bool) -> Result<ArrayRef> {
    let t = args::text(args, ctx, 0)?;
    let n = args::long(args, ctx, 1)?;
    Ok(strings(ctx.rows, t.byte_len(ctx.rows), |i, out| {
        let (false, Some(k)) = (t.is_null(i), n.get(i)) else {
            return false;
        };
        let s = t.get(i);
        let k = k.max(0) as usize;
        if left {
            out.push_str(&s[..byte_at(s, k)]);
        } else {
            let total = char_len(s);
            out.push_str(&s[byte_at(s, total.saturating_sub(k))..]);
        }
        true
    }))
}

fn trim(args: &[Datum], ctx: &KernelContext, f: fn(&str) -> &str) -> Result<ArrayRef> {
    text_fn(args, ctx, |t, i, out| {
        out.push_str(f(t[0].get(i)));
        true
    })
}

fn replace(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let t = args::text(args, ctx, 0)?;
    let p = args::text(args, ctx, 1)?;
    let r = args::text(args, ctx, 2)?;
    let mut cache = RegexCache::new("");
    let mut b = StringBuilder::with_capacity(ctx.rows, t.byte_len(ctx.rows));
    for i in 0..ctx.rows {
        if t.is_null(i) || p.is_null(i) || r.is_null(i) {
            b.append_null();
            continue;
        }
        let re = cache.get(p.get(i))?;
        b.append_value(re.replace_all(t.get(i), r.get(i)));
    }
    Ok(Arc::new(b.finish()))
}

fn affix(args: &[Datum], ctx: &KernelContext, start: bool) -> Result<ArrayRef> {
    let t = args::text(args, ctx, 0)?;
    let p = args::text(args, ctx, 1)?;
    let out: BooleanArray = (0..ctx.rows)
        .map(|i| {
            if t.is_null(i) || p.is_null(i) {
                return None;
            }
            Some(if start {
                t.get(i).starts_with(p.get(i))
            } else {
                t.get(i).ends_with(p.get(i))
            })
        })
        .collect();
    Ok(Arc::new(out))
}

fn round_int(args: &[Datum], ctx: &KernelContext, f: fn(f64) -> f64) -> Result<ArrayRef> {
    if ctx.return_type.is_integer() {
        return super::convert(
            args::arg(args, 0)?,
            args::arg_type(ctx, 0),
            ctx.return_type,
            ctx.rows,
        );
    }
    let v = args::real(args, ctx, 0)?;
    let out: Float64Array = (0..ctx.rows).map(|i| v.get(i).map(f)).collect();
    Ok(Arc::new(out))
}

fn bucket(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let k = super::kernel("bin")
        .ok_or_else(|| crate::error::ExecError::internal("bucket", "no bin kernel"))?;
    k(args, ctx)
}

const US_PER_DAY: i64 = 86_400_000_000;

fn date_trunc(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let d = args::long(args, ctx, 1)?;
    let by_name = args::arg_type(ctx, 0).is_stringy();
    let name = args::text(args, ctx, 0)?;
    let span = args::long(args, ctx, 0)?;
    let out: TimestampMicrosecondArray = (0..ctx.rows)
        .map(|i| {
            let v = d.get(i)?;
            if by_name {
                // `"month"`, or a period's text: `1 month` (of one unit only).
                let u = match super::datetime::unit(name.get(i)) {
                    Some(u) => u,
                    None => match super::esql_period::read_span(name.get(i))? {
                        (1, u) => u,
                        _ => return None,
                    },
                };
                return if u == Unit::Week {
                    monday(v)
                } else {
                    truncate(u, v)
                };
            }
            let s = span.get(i)?;
            if s <= 0 {
                return None;
            }
            if s == 7 * US_PER_DAY {
                return monday(v);
            }
            Some(v - v.rem_euclid(s))
        })
        .collect();
    Ok(Arc::new(out))
}

/// The Monday starting the ISO week of `us` (Elasticsearch's week).
fn monday(us: i64) -> Option<i64> {
    let day = us - us.rem_euclid(US_PER_DAY);
    let n = naive(us)?;
    Some(day - i64::from(n.weekday().num_days_from_monday()) * US_PER_DAY)
}

/// Whole `unit`s from `a` to `b` (Java's ChronoUnit.between).
fn whole_units(unit: &str, a: i64, b: i64) -> Option<i64> {
    let u = unit.trim().to_ascii_lowercase();
    let u = u.strip_suffix('s').unwrap_or(&u);
    let per = match u {
        "nanosecond" | "n" => return Some((b - a).saturating_mul(1000)),
        "microsecond" | "mc" => 1,
        "millisecond" | "m" => 1_000,
        "second" | "s" => 1_000_000,
        "minute" | "mi" => 60_000_000,
        "hour" | "hh" => 3_600_000_000,
        "day" | "dd" | "d" | "dayofyear" | "dy" | "y" | "weekday" | "dw" => US_PER_DAY,
        "week" | "wk" | "ww" => 7 * US_PER_DAY,
        "month" | "mm" => 0,
        "quarter" | "qq" | "q" => -3,
        "year" | "yy" | "yyyy" => -12,
        _ => return None,
    };
    if per > 0 {
        return Some((b - a) / per);
    }
    let months_per = if per == 0 { 1 } else { -per };
    // Calendar units: count months, minus one if the remainder is negative.
    let (da, db) = (naive(a)?, naive(b)?);
    let mut months = (i64::from(db.year()) - i64::from(da.year())) * 12 + i64::from(db.month())
        - i64::from(da.month());
    let back = add_months(a, months)?;
    if months > 0 && back > b {
        months -= 1;
    } else if months < 0 && back < b {
        months += 1;
    }
    Some(months / months_per)
}

fn date_diff(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let u = args::text(args, ctx, 0)?;
    let a = args::long(args, ctx, 1)?;
    let b = args::long(args, ctx, 2)?;
    let out: Int32Array = (0..ctx.rows)
        .map(|i| whole_units(u.get(i), a.get(i)?, b.get(i)?).map(|v| v as i32))
        .collect();
    Ok(Arc::new(out))
}

fn chrono_field(name: &str, us: i64, d: &NaiveDateTime) -> Option<i64> {
    Some(match name.trim().to_ascii_lowercase().as_str() {
        "year" => i64::from(d.year()),
        "month_of_year" => i64::from(d.month()),
        "quarter_of_year" => i64::from(d.month0() / 3 + 1),
        "day_of_month" => i64::from(d.day()),
        "day_of_week" => i64::from(d.weekday().number_from_monday()),
        "day_of_year" => i64::from(d.ordinal()),
        "aligned_week_of_year" => i64::from((d.ordinal() - 1) / 7 + 1),
        "hour_of_day" => i64::from(d.hour()),
        "minute_of_hour" => i64::from(d.minute()),
        "minute_of_day" => i64::from(d.hour() * 60 + d.minute()),
        "second_of_minute" => i64::from(d.second()),
        "second_of_day" => i64::from(d.num_seconds_from_midnight()),
        "milli_of_second" => i64::from(d.nanosecond() / 1_000_000),
        "micro_of_second" => i64::from(d.nanosecond() / 1_000),
        "nano_of_second" => i64::from(d.nanosecond()),
        "epoch_day" => us.div_euclid(US_PER_DAY),
        "ampm_of_day" => i64::from(d.hour() >= 12),
        _ => return None,
    })
}

fn date_extract(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let p = args::text(args, ctx, 0)?;
    let d = args::long(args, ctx, 1)?;
    let out: Int64Array = (0..ctx.rows)
        .map(|i| {
            let us = d.get(i)?;
            chrono_field(p.get(i), us, &naive(us)?)
        })
        .collect();
    Ok(Arc::new(out))
}

/// Java DateTimeFormatter patterns (the common letters) for one datetime.
fn java_format(d: &NaiveDateTime, fmt: &str, out: &mut String) {
    let chars: Vec<char> = fmt.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            // Quoted literal; '' is a quote.
            let mut j = i + 1;
            if j < chars.len() && chars[j] == '\'' {
                out.push('\'');
                i += 2;
                continue;
            }
            while j < chars.len() && chars[j] != '\'' {
                out.push(chars[j]);
                j += 1;
            }
            i = j + 1;
            continue;
        }
        let mut n = 1;
        while i + n < chars.len() && chars[i + n] == c {
            n += 1;
        }
        let num = |out: &mut String, v: u32| {
            let _ = write!(out, "{v:0n$}");
        };
        match c {
            'y' | 'u' => {
                if n == 2 {
                    let _ = write!(out, "{:02}", d.year().rem_euclid(100));
                } else {
                    let _ = write!(out, "{:0n$}", d.year());
                }
            }
            'M' if n >= 4 => out.push_str(&d.format("%B").to_string()),
            'M' if n == 3 => out.push_str(&d.format("%b").to_string()),
            'M' => num(out, d.month()),
            'd' => num(out, d.day()),
            'D' => num(out, d.ordinal()),
            'H' => num(out, d.hour()),
            'h' => num(
                out,
                match d.hour() % 12 {
                    0 => 12,
                    h => h,
                },
            ),
            'm' => num(out, d.minute()),
            's' => num(out, d.second()),
            'S' => {
                let digits = format!("{:09}", d.nanosecond());
                out.push_str(&digits[..n.min(9)]);
            }
            'a' => out.push_str(if d.hour() < 12 { "AM" } else { "PM" }),
            'E' if n >= 4 => out.push_str(&d.format("%A").to_string()),
            'E' => out.push_str(&d.format("%a").to_string()),
            'X' | 'Z' | 'x' => out.push_str(if c == 'X' { "Z" } else { "+0000" }),
            'z' => out.push_str("UTC"),
            other => {
                for _ in 0..n {
                    out.push(other);
                }
            }
        }
        i += n;
    }
}

fn date_format(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let (fmt, at) = if args.len() == 2 {
        (Some(args::text(args, ctx, 0)?), 1)
    } else {
        (None, 0)
    };
    let d = args::long(args, ctx, at)?;
    Ok(strings(ctx.rows, ctx.rows * 24, |i, out| {
        let Some(n) = d.get(i).and_then(naive) else {
            return false;
        };
        let f = fmt
            .as_ref()
            .map_or("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", |f| f.get(i));
        java_format(&n, f, out);
        true
    }))
}

/// A Java pattern as a chrono format string (the common letters).
fn java_to_chrono(fmt: &str) -> String {
    let chars: Vec<char> = fmt.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            let mut j = i + 1;
            while j < chars.len() && chars[j] != '\'' {
                if chars[j] == '%' {
                    out.push_str("%%");
                } else {
                    out.push(chars[j]);
                }
                j += 1;
            }
            i = j + 1;
            continue;
        }
        let mut n = 1;
        while i + n < chars.len() && chars[i + n] == c {
            n += 1;
        }
        out.push_str(match (c, n) {
            ('y' | 'u', 2) => "%y",
            ('y' | 'u', _) => "%Y",
            ('M', 1 | 2) => "%m",
            ('M', 3) => "%b",
            ('M', _) => "%B",
            ('d', _) => "%d",
            ('H', _) => "%H",
            ('h', _) => "%I",
            ('m', _) => "%M",
            ('s', _) => "%S",
            ('S', _) => "%f",
            ('a', _) => "%p",
            ('E', 1..=3) => "%a",
            ('E', _) => "%A",
            ('X' | 'Z' | 'x', _) => "%#z",
            ('%', _) => "%%",
            _ => "",
        });
        if !matches!(
            c,
            'y' | 'u' | 'M' | 'd' | 'H' | 'h' | 'm' | 's' | 'S' | 'a' | 'E' | 'X' | 'Z' | 'x' | '%'
        ) {
            for _ in 0..n {
                out.push(c);
            }
        }
        i += n;
    }
    out
}

fn parse_with(fmt: &str, s: &str) -> Option<i64> {
    let f = java_to_chrono(fmt);
    if let Ok(dt) = chrono::DateTime::parse_from_str(s, &f) {
        return Some(dt.timestamp_micros());
    }
    if let Ok(dt) = NaiveDateTime::parse_from_str(s, &f) {
        return Some(micros(dt));
    }
    NaiveDate::parse_from_str(s, &f)
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(micros)
}

fn date_parse(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let (fmt, at) = if args.len() == 2 {
        (Some(args::text(args, ctx, 0)?), 1)
    } else {
        (None, 0)
    };
    let t = args::text(args, ctx, at)?;
    let out: TimestampMicrosecondArray = (0..ctx.rows)
        .map(|i| {
            if t.is_null(i) {
                return None;
            }
            match &fmt {
                Some(f) => parse_with(f.get(i), t.get(i).trim()),
                None => super::conversion::parse_datetime(t.get(i)),
            }
        })
        .collect();
    Ok(Arc::new(out))
}

fn cidr_match(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let ip = args::text(args, ctx, 0)?;
    let mut blocks: Vec<(IpAddr, u32)> = Vec::new();
    let mut columns = Vec::new();
    for (k, d) in args.iter().enumerate().skip(1) {
        match d {
            Datum::Scalar(ScalarValue::Dynamic(Value::Array(items))) => blocks.extend(
                items
                    .iter()
                    .filter_map(Value::as_str)
                    .filter_map(parse_ip_net),
            ),
            Datum::Scalar(v) => blocks.extend(
                super::conversion::scalar_text(v)
                    .as_deref()
                    .and_then(parse_ip_net),
            ),
            Datum::Array(_) => columns.push(args::text(args, ctx, k)?),
        }
    }
    let out: BooleanArray = (0..ctx.rows)
        .map(|i| {
            if ip.is_null(i) {
                return None;
            }
            let (a, _) = parse_ip_net(ip.get(i))?;
            Some(
                blocks.iter().any(|(n, p)| in_net(a, *n, *p))
                    || columns
                        .iter()
                        .any(|c| parse_ip_net(c.get(i)).is_some_and(|(n, p)| in_net(a, n, p))),
            )
        })
        .collect();
    Ok(Arc::new(out))
}

fn ip_prefix(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let ip = args::text(args, ctx, 0)?;
    let p4 = args::long(args, ctx, 1)?;
    let p6 = args::long(args, ctx, 2)?;
    Ok(strings(ctx.rows, ctx.rows * 16, |i, out| {
        let Some((a, _)) = parse_ip_net(ip.get(i)) else {
            return false;
        };
        match a {
            IpAddr::V4(v) => {
                let Some(p) = p4
                    .get(i)
                    .and_then(|p| u32::try_from(p).ok())
                    .filter(|p| *p <= 32)
                else {
                    return false;
                };
                out.push_str(
                    &std::net::Ipv4Addr::from(u32::from(v) & super::ip::mask(p)).to_string(),
                );
            }
            IpAddr::V6(v) => {
                let Some(p) = p6
                    .get(i)
                    .and_then(|p| u32::try_from(p).ok())
                    .filter(|p| *p <= 128)
                else {
                    return false;
                };
                let m = if p == 0 { 0 } else { u128::MAX << (128 - p) };
                out.push_str(&std::net::Ipv6Addr::from(u128::from(v) & m).to_string());
            }
        }
        true
    }))
}

fn to_string(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    if args::arg_type(ctx, 0) != KType::DateTime {
        let t = args::text(args, ctx, 0)?;
        return Ok(strings(ctx.rows, t.byte_len(ctx.rows), |i, out| {
            out.push_str(t.get(i));
            !t.is_null(i)
        }));
    }
    let d = args::long(args, ctx, 0)?;
    Ok(strings(ctx.rows, ctx.rows * 24, |i, out| {
        let Some(n) = d.get(i).and_then(naive) else {
            return false;
        };
        java_format(&n, "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", out);
        true
    }))
}

fn to_datetime(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let ty = args::arg_type(ctx, 0);
    if ty.is_stringy() {
        // Elasticsearch reads ISO 8601 only: `1964-06-02 00:00:00` is null.
        let t = args::text(args, ctx, 0)?;
        let iso: StringArray = (0..ctx.rows)
            .map(|i| (!t.is_null(i) && !t.get(i).trim().contains(' ')).then(|| t.get(i)))
            .collect();
        return super::convert(
            &Datum::Array(Arc::new(iso)),
            KType::String,
            KType::DateTime,
            ctx.rows,
        );
    }
    if !ty.is_numeric() {
        return super::convert(args::arg(args, 0)?, ty, KType::DateTime, ctx.rows);
    }
    let v = args::real(args, ctx, 0)?;
    let out: TimestampMicrosecondArray = (0..ctx.rows)
        .map(|i| {
            // Elasticsearch dates are whole milliseconds: a fraction is dropped.
            let us = v.get(i)?.trunc() * 1000.0;
            (us.is_finite() && us.abs() < 9.0e18).then_some(us as i64)
        })
        .collect();
    Ok(Arc::new(out))
}

fn length(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let t = args::text(args, ctx, 0)?;
    let out: Int32Array = (0..ctx.rows)
        .map(|i| (!t.is_null(i)).then(|| char_len(t.get(i)) as i32))
        .collect();
    Ok(Arc::new(out))
}

/// `TO_IP`'s `leading_zeros` option for IPv4 parts such as `010`.
#[derive(Clone, Copy, PartialEq)]
enum LeadingZeros {
    Reject,
    Octal,
    Decimal,
}

/// An IPv4 address whose parts may have leading zeros, read as `mode` says.
fn ipv4_with_zeros(s: &str, mode: LeadingZeros) -> Option<IpAddr> {
    let parts: Vec<&str> = s.split('.').collect();
    if parts.len() != 4 || mode == LeadingZeros::Reject {
        return None;
    }
    let mut octets = [0u8; 4];
    for (o, p) in octets.iter_mut().zip(&parts) {
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let radix = if mode == LeadingZeros::Octal && p.len() > 1 && p.starts_with('0') {
            8
        } else {
            10
        };
        *o = u8::from_str_radix(p, radix).ok()?;
    }
    Some(IpAddr::from(octets))
}

fn to_ip(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let t = args::text(args, ctx, 0)?;
    let mode = match args::scalar_arg(args, 1) {
        None => LeadingZeros::Reject,
        Some(ScalarValue::Dynamic(Value::Object(o))) => {
            match o.get("leading_zeros").and_then(Value::as_str) {
                None | Some("reject") => LeadingZeros::Reject,
                Some("octal") => LeadingZeros::Octal,
                Some("decimal") => LeadingZeros::Decimal,
                Some(other) => {
                    return Err(crate::error::ExecError::Unsupported(format!(
                        "TO_IP: leading_zeros must be reject, octal or decimal, not `{other}`"
                    )))
                }
            }
        }
        Some(_) => {
            return Err(crate::error::ExecError::Unsupported(
                "TO_IP takes its options as {\"leading_zeros\": \"octal\"}".into(),
            ))
        }
    };
    Ok(strings(ctx.rows, t.byte_len(ctx.rows), |i, out| {
        let s = t.get(i).trim();
        match s
            .parse::<IpAddr>()
            .ok()
            .or_else(|| ipv4_with_zeros(s, mode))
        {
            Some(ip) => {
                out.push_str(&ip.to_string());
                true
            }
            None => false,
        }
    }))
}

// ---------------------------------------------------------------- multi-values

/// The values of a multi-value cell (a single value is one; null is none).
fn values(v: &Value) -> Vec<Value> {
    match v {
        Value::Null => Vec::new(),
        Value::Array(items) => items.iter().filter(|x| !x.is_null()).cloned().collect(),
        other => vec![other.clone()],
    }
}

fn mv_json(args: &[Datum], ctx: &KernelContext, i: usize) -> Result<Json> {
    json(args, ctx, i, false)
}

fn mv_count(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let j = mv_json(args, ctx, 0)?;
    let out: Int32Array = (0..ctx.rows)
        .map(|i| {
            let n = values(j.get(i)).len();
            (n > 0).then_some(n as i32)
        })
        .collect();
    Ok(Arc::new(out))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mv {
    Dedupe,
    First,
    Last,
    Min,
    Max,
    Sort,
    Slice,
}

fn mv_map(args: &[Datum], ctx: &KernelContext, op: Mv) -> Result<ArrayRef> {
    let ty = args::arg_type(ctx, 0);
    if ty != KType::Dynamic && op != Mv::Slice {
        // A single-valued column is its own first/last/min/max/sorted/deduped value.
        return args::arg(args, 0)?.to_array(ctx.rows);
    }
    let j = mv_json(args, ctx, 0)?;
    let desc = if op == Mv::Sort && args.len() > 1 {
        Some(args::text(args, ctx, 1)?)
    } else {
        None
    };
    let (from, to) = if op == Mv::Slice {
        (
            Some(args::long(args, ctx, 1)?),
            if args.len() > 2 {
                Some(args::long(args, ctx, 2)?)
            } else {
                None
            },
        )
    } else {
        (None, None)
    };
    let one: ArrayRef = strings(ctx.rows, 0, |i, out| {
        let mut v = values(j.get(i));
        if v.is_empty() {
            return false;
        }
        let result = match op {
            Mv::First => v.swap_remove(0),
            Mv::Last => v.pop().unwrap_or(Value::Null),
            Mv::Min => v.into_iter().min_by(cmp_values).unwrap_or(Value::Null),
            Mv::Max => v.into_iter().max_by(cmp_values).unwrap_or(Value::Null),
            Mv::Dedupe => {
                let mut seen: Vec<Value> = Vec::new();
                for x in v {
                    if !seen.contains(&x) {
                        seen.push(x);
                    }
                }
                many(seen)
            }
            Mv::Sort => {
                v.sort_by(cmp_values);
                if desc
                    .as_ref()
                    .is_some_and(|d| d.get(i).eq_ignore_ascii_case("desc"))
                {
                    v.reverse();
                }
                many(v)
            }
            Mv::Slice => {
                let n = v.len() as i64;
                let fix = |x: i64| if x < 0 { n.saturating_add(x) } else { x };
                let Some(s) = from.as_ref().and_then(|f| f.get(i)).map(fix) else {
                    return false;
                };
                let e = match &to {
                    Some(t) => match t.get(i) {
                        Some(e) => fix(e),
                        None => return false,
                    },
                    None => s,
                };
                if s < 0 || s >= n || e < s {
                    return false;
                }
                many(v[s as usize..=(e.min(n - 1)) as usize].to_vec())
            }
        };
        if result.is_null() {
            return false;
        }
        if ctx.return_type == KType::String {
            value_text(&result, out);
        } else {
            out.push_str(&result.to_string());
        }
        true
    });
    if ty == KType::Dynamic {
        Ok(one)
    } else {
        // Slice of a single value: back to the column's type.
        super::convert(
            &Datum::Array(one),
            KType::Dynamic,
            ctx.return_type,
            ctx.rows,
        )
    }
}

/// One value stays a single value; more become an array.
fn many(mut v: Vec<Value>) -> Value {
    if v.len() == 1 {
        v.swap_remove(0)
    } else {
        Value::Array(v)
    }
}

fn mv_number(args: &[Datum], ctx: &KernelContext, avg: bool) -> Result<ArrayRef> {
    let j = mv_json(args, ctx, 0)?;
    let sums: Vec<Option<f64>> = (0..ctx.rows)
        .map(|i| {
            let nums: Vec<f64> = values(j.get(i))
                .iter()
                .filter_map(|v| match v {
                    Value::Number(n) => n.as_f64(),
                    Value::String(s) => s.parse().ok(),
                    _ => None,
                })
                .collect();
            if nums.is_empty() {
                return None;
            }
            // Integers sum exactly, and overflow gives null as in Elasticsearch.
            let vals = values(j.get(i));
            if !avg && vals.iter().all(|v| v.is_i64()) {
                let total = vals
                    .iter()
                    .try_fold(0i64, |acc, v| acc.checked_add(v.as_i64()?))?;
                return Some(total as f64);
            }
            let s: f64 = nums.iter().sum();
            Some(if avg { s / nums.len() as f64 } else { s })
        })
        .collect();
    let out: ArrayRef = Arc::new(Float64Array::from(sums));
    super::convert(&Datum::Array(out), KType::Real, ctx.return_type, ctx.rows)
}

fn mv_concat(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let j = mv_json(args, ctx, 0)?;
    let d = args::text(args, ctx, 1)?;
    Ok(strings(ctx.rows, 0, |i, out| {
        let v = values(j.get(i));
        if v.is_empty() {
            return false;
        }
        for (k, x) in v.iter().enumerate() {
            if k > 0 {
                out.push_str(d.get(i));
            }
            value_text(x, out);
        }
        true
    }))
}

fn mv_contains(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let a = mv_json(args, ctx, 0)?;
    let b = mv_json(args, ctx, 1)?;
    let out: BooleanArray = (0..ctx.rows)
        .map(|i| {
            let (sup, sub) = (values(a.get(i)), values(b.get(i)));
            Some(sub.iter().all(|x| sup.contains(x)))
        })
        .collect();
    Ok(Arc::new(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::testing::*;
    use KType::*;

    fn s(v: &str) -> Option<std::string::String> {
        Some(v.to_string())
    }

    #[test]
    fn strings_are_one_based_and_null_propagating() {
        let t = strs(&[Some("hello world"), None]);
        assert_eq!(
            texts(&call(
                "esql_substring",
                &[t.clone(), lit_long(1), lit_long(5)],
                &[String, Long, Long]
            )),
            vec![s("hello"), None]
        );
        assert_eq!(
            texts(&call(
                "esql_substring",
                &[t.clone(), lit_long(-5)],
                &[String, Long]
            ))[0],
            s("world")
        );
        assert_eq!(
            ints(&call(
                "esql_locate",
                &[t.clone(), lit_str("o")],
                &[String, String]
            )),
            vec![Some(5), None]
        );
        assert_eq!(
            ints(&call(
                "esql_locate",
                &[t.clone(), lit_str("o"), lit_long(6)],
                &[String, String, Long]
            ))[0],
            Some(8)
        );
        assert_eq!(
            ints(&call(
                "esql_locate",
                &[t.clone(), lit_str("z")],
                &[String, String]
            ))[0],
            Some(0)
        );
        assert_eq!(
            texts(&call(
                "esql_left",
                &[t.clone(), lit_long(3)],
                &[String, Long]
            ))[0],
            s("hel")
        );
        assert_eq!(
            texts(&call(
                "esql_right",
                &[t.clone(), lit_long(3)],
                &[String, Long]
            ))[0],
            s("rld")
        );
        assert_eq!(
            texts(&call(
                "esql_concat",
                &[t.clone(), lit_str("!")],
                &[String, String]
            )),
            vec![s("hello world!"), None]
        );
        assert_eq!(
            texts(&call("esql_trim", &[lit_str("  a b ")], &[String])),
            vec![s("a b")]
        );
        assert_eq!(
            bools_of(&call(
                "esql_starts_with",
                &[t.clone(), lit_str("hell")],
                &[String, String]
            )),
            vec![Some(true), None]
        );
        assert_eq!(
            texts(&call(
                "esql_replace",
                &[t, lit_str("o"), lit_str("0")],
                &[String, String, String]
            ))[0],
            s("hell0 w0rld")
        );
        let out = call(
            "esql_coalesce",
            &[strs(&[None, Some("")]), lit_str("x")],
            &[String, String],
        );
        assert_eq!(texts(&out), vec![s("x"), s("")]);
        let out = call(
            "esql_case",
            &[bool_col(&[Some(true), Some(false)]), lit_str("a")],
            &[Bool, String],
        );
        assert_eq!(texts(&out), vec![s("a"), None]);
    }

    #[test]
    fn dates() {
        let t =
            crate::functions::conversion::parse_datetime("2026-03-11 16:05:12.5").expect("date");
        let d = Datum::Scalar(ScalarValue::DateTime(t));
        let week = Datum::Scalar(ScalarValue::TimeSpan(7 * US_PER_DAY));
        let p = |x: &str| crate::functions::conversion::parse_datetime(x).expect("date");
        assert_eq!(
            dts(&call(
                "esql_date_trunc",
                &[week, d.clone()],
                &[TimeSpan, DateTime]
            ))[0],
            Some(p("2026-03-09"))
        );
        let hour = Datum::Scalar(ScalarValue::TimeSpan(3_600_000_000));
        assert_eq!(
            dts(&call(
                "esql_date_trunc",
                &[hour, d.clone()],
                &[TimeSpan, DateTime]
            ))[0],
            Some(p("2026-03-11 16:00"))
        );
        assert_eq!(
            dts(&call(
                "esql_date_trunc",
                &[lit_str("month"), d.clone()],
                &[String, DateTime]
            ))[0],
            Some(p("2026-03-01"))
        );
        let a = Datum::Scalar(ScalarValue::DateTime(p("2026-01-31 10:00")));
        assert_eq!(
            ints(&call(
                "esql_date_diff",
                &[lit_str("month"), a.clone(), d.clone()],
                &[String, DateTime, DateTime]
            ))[0],
            Some(1)
        );
        assert_eq!(
            ints(&call(
                "esql_date_diff",
                &[lit_str("days"), a.clone(), d.clone()],
                &[String, DateTime, DateTime]
            ))[0],
            Some(39)
        );
        assert_eq!(
            ints(&call(
                "esql_date_diff",
                &[lit_str("hour"), d.clone(), a],
                &[String, DateTime, DateTime]
            ))[0],
            Some(-942)
        );
        assert_eq!(
            longs(&call(
                "esql_date_extract",
                &[lit_str("day_of_week"), d.clone()],
                &[String, DateTime]
            ))[0],
            Some(3)
        );
        assert_eq!(
            texts(&call("esql_date_format", &[d.clone()], &[DateTime]))[0],
            s("2026-03-11T16:05:12.500Z")
        );
        assert_eq!(
            texts(&call(
                "esql_date_format",
                &[lit_str("yyyy/MM/dd 'at' HH"), d],
                &[String, DateTime]
            ))[0],
            s("2026/03/11 at 16")
        );
        let out = call(
            "esql_date_parse",
            &[lit_str("yyyy-MM-dd"), lit_str("2026-03-08")],
            &[String, String],
        );
        assert_eq!(dts(&out)[0], Some(p("2026-03-08")));
        let out = call(
            "esql_date_parse",
            &[
                lit_str("dd/MM/yyyy HH:mm:ss"),
                lit_str("08/03/2026 16:05:12"),
            ],
            &[String, String],
        );
        assert_eq!(dts(&out)[0], Some(p("2026-03-08 16:05:12")));
    }

    #[test]
    fn ips() {
        let ip = strs(&[
            Some("10.1.2.3"),
            Some("2001:db8::1"),
            Some("8.8.8.8"),
            None,
            Some("nope"),
        ]);
        let out = call(
            "esql_cidr_match",
            &[ip.clone(), lit_str("10.0.0.0/8"), lit_str("2001:db8::/32")],
            &[String, String, String],
        );
        assert_eq!(
            bools_of(&out),
            vec![Some(true), Some(true), Some(false), None, None]
        );
        let out = call(
            "esql_ip_prefix",
            &[ip.clone(), lit_long(24), lit_long(32)],
            &[String, Long, Long],
        );
        assert_eq!(
            texts(&out),
            vec![s("10.1.2.0"), s("2001:db8::"), s("8.8.8.0"), None, None]
        );
        assert_eq!(
            texts(&call("esql_to_ip", &[ip], &[String])),
            vec![s("10.1.2.3"), s("2001:db8::1"), s("8.8.8.8"), None, None]
        );
    }

    #[test]
    fn multi_values() {
        let mv = strs(&[Some(r#"["b","a","b"]"#), Some(r#""solo""#), None]);
        assert_eq!(
            ints(&call("esql_mv_count", &[mv.clone()], &[Dynamic])),
            vec![Some(3), Some(1), None]
        );
        assert_eq!(
            texts(&call("esql_mv_first", &[mv.clone()], &[Dynamic])),
            vec![s("b"), s("solo"), None]
        );
        assert_eq!(
            texts(&call("esql_mv_last", &[mv.clone()], &[Dynamic]))[0],
            s("b")
        );
        assert_eq!(
            texts(&call("esql_mv_min", &[mv.clone()], &[Dynamic]))[0],
            s("a")
        );
        assert_eq!(
            texts(&call("esql_mv_dedupe", &[mv.clone()], &[Dynamic]))[0],
            s(r#"["b","a"]"#)
        );
        assert_eq!(
            texts(&call(
                "esql_mv_sort",
                &[mv.clone(), lit_str("DESC")],
                &[Dynamic, String]
            ))[0],
            s(r#"["b","b","a"]"#)
        );
        assert_eq!(
            texts(&call(
                "esql_mv_slice",
                &[mv.clone(), lit_long(1), lit_long(2)],
                &[Dynamic, Long, Long]
            ))[0],
            s(r#"["a","b"]"#)
        );
        assert_eq!(
            texts(&call(
                "esql_mv_concat",
                &[mv.clone(), lit_str(",")],
                &[Dynamic, String]
            )),
            vec![s("b,a,b"), s("solo"), None]
        );
        assert_eq!(
            bools_of(&call(
                "esql_mv_contains",
                &[mv, lit_str("a")],
                &[Dynamic, String]
            )),
            vec![Some(true), Some(false), Some(false)]
        );
        assert_eq!(
            reals(&call("esql_mv_sum", &[lit_dyn("[1,2,3.5]")], &[Dynamic])),
            vec![Some(6.5)]
        );
        assert_eq!(
            longs(&call("esql_mv_max", &[long_col(&[Some(4)])], &[Long])),
            vec![Some(4)]
        );
    }

    #[test]
    fn to_string_writes_dates_as_elasticsearch() {
        let d = dt_col(&[Some(1_772_985_912_000_000), None]);
        assert_eq!(
            texts(&call("esql_to_string", &[d], &[DateTime])),
            vec![s("2026-03-08T16:05:12.000Z"), None]
        );
        assert_eq!(
            texts(&call(
                "esql_to_string",
                &[long_col(&[Some(7), None])],
                &[Long]
            )),
            vec![s("7"), None]
        );
    }

    #[test]
    fn conversions_in_milliseconds() {
        let d = dt_col(&[Some(1_772_985_912_345_678), None]);
        assert_eq!(
            longs(&call("esql_to_long", &[d], &[DateTime])),
            vec![Some(1_772_985_912_345), None]
        );
        let out = call("esql_to_datetime", &[lit_long(1_772_985_912_345)], &[Long]);
        assert_eq!(dts(&out), vec![Some(1_772_985_912_345_000)]);
        let out = call(
            "esql_to_datetime",
            &[lit_str("2026-03-08T16:05:12Z")],
            &[String],
        );
        assert_eq!(dts(&out), vec![Some(1_772_985_912_000_000)]);
        assert_eq!(
            ints(&call(
                "esql_length",
                &[strs(&[Some("héllo"), None])],
                &[String]
            )),
            vec![Some(5), None]
        );
    }
}
