//! Kernels of the plan's `esql_text` family: `REPEAT`, `SPACE`, `CONTAINS`,
//! lengths in bits and bytes, base64, Elasticsearch's URL encodings (upper-
//! case hex; `+` or `%20` for a space), per-value `TO_LOWER`/`TO_UPPER`, and
//! the English day and month names.

use std::sync::Arc;

use arrow::array::*;
use base64::Engine as _;
use chrono::Datelike;
use iishunt_plan::types::KType;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::Value;

use super::args::{self, strings};
use super::dynamic::json;
use super::esql_mv::mv_values;
use crate::datum::{Datum, Kernel, KernelContext};
use crate::error::Result;

pub(crate) const KERNELS: &[(&str, Kernel)] = &[
    ("esql_repeat", repeat),
    ("esql_space", space),
    ("esql_contains", contains),
    ("esql_bit_length", |a, c| lengths(a, c, 8)),
    ("esql_byte_length", |a, c| lengths(a, c, 1)),
    ("esql_to_base64", |a, c| {
        text1(a, c, |s, out| {
            out.push_str(&base64::engine::general_purpose::STANDARD.encode(s));
            true
        })
    }),
    ("esql_from_base64", |a, c| {
        text1(
            a,
            c,
            |s, out| match base64::engine::general_purpose::STANDARD
                .decode(s.trim())
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
            {
                Some(t) => {
                    out.push_str(&t);
                    true
                }
                None => false,
            },
        )
    }),
    ("esql_url_encode", |a, c| url_encode(a, c, true)),
    ("esql_url_encode_component", |a, c| url_encode(a, c, false)),
    ("esql_to_lower", |a, c| case(a, c, str::to_lowercase)),
    ("esql_to_upper", |a, c| case(a, c, str::to_uppercase)),
    ("esql_day_name", |a, c| date_name(a, c, true)),
    ("esql_month_name", |a, c| date_name(a, c, false)),
    ("esql_to_version", |a, c| {
        text1(a, c, |s, out| {
            out.push_str(s);
            true
        })
    }),
];

/// Results longer than this are null, as Elasticsearch refuses them.
const MAX_BYTES: usize = 1 << 20;

/// One text argument, null in null out.
fn text1(
    args: &[Datum],
    ctx: &KernelContext,
    f: impl Fn(&str, &mut String) -> bool,
) -> Result<ArrayRef> {
    let t = args::text(args, ctx, 0)?;
    Ok(strings(ctx.rows, t.byte_len(ctx.rows), |i, out| {
        !t.is_null(i) && f(t.get(i), out)
    }))
}

fn repeat(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let t = args::text(args, ctx, 0)?;
    let n = args::long(args, ctx, 1)?;
    Ok(strings(ctx.rows, 0, |i, out| {
        let Some(n) = n.get(i).and_then(|n| usize::try_from(n).ok()) else {
            return false;
        };
        if t.is_null(i) || t.get(i).len().saturating_mul(n) > MAX_BYTES {
            return false;
        }
        out.push_str(&t.get(i).repeat(n));
        true
    }))
}

fn space(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let n = args::long(args, ctx, 0)?;
    Ok(strings(ctx.rows, 0, |i, out| {
        match n.get(i).and_then(|n| usize::try_from(n).ok()) {
            Some(n) if n <= MAX_BYTES => {
                out.extend(std::iter::repeat_n(' ', n));
                true
            }
            _ => false,
        }
    }))
}

fn contains(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let (s, sub) = (args::text(args, ctx, 0)?, args::text(args, ctx, 1)?);
    let out: BooleanArray = (0..ctx.rows)
        .map(|i| (!s.is_null(i) && !sub.is_null(i)).then(|| s.get(i).contains(sub.get(i))))
        .collect();
    Ok(Arc::new(out))
}

fn lengths(args: &[Datum], ctx: &KernelContext, per_byte: i32) -> Result<ArrayRef> {
    let t = args::text(args, ctx, 0)?;
    let out: Int32Array = (0..ctx.rows)
        .map(|i| {
            if t.is_null(i) {
                return None;
            }
            i32::try_from(t.get(i).len())
                .ok()
                .and_then(|n| n.checked_mul(per_byte))
        })
        .collect();
    Ok(Arc::new(out))
}

/// Everything but letters, digits and `.-_~` is percent-encoded.
const URL_SET: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'.')
    .remove(b'-')
    .remove(b'_')
    .remove(b'~');

fn url_encode(args: &[Datum], ctx: &KernelContext, plus_for_space: bool) -> Result<ArrayRef> {
    text1(args, ctx, |s, out| {
        for part in utf8_percent_encode(s, URL_SET) {
            if plus_for_space {
                out.push_str(&part.replace("%20", "+"));
            } else {
                out.push_str(part);
            }
        }
        true
    })
}

/// Text through `f`; each value of a multi-value.
fn case(args: &[Datum], ctx: &KernelContext, f: fn(&str) -> String) -> Result<ArrayRef> {
    if args::arg_type(ctx, 0) != KType::Dynamic {
        return text1(args, ctx, |s, out| {
            out.push_str(&f(s));
            true
        });
    }
    let j = json(args, ctx, 0, false)?;
    Ok(strings(ctx.rows, 0, |i, out| {
        let vals: Vec<Value> = mv_values(j.get(i))
            .iter()
            .map(|v| {
                let mut s = String::new();
                super::dynamic::value_text(v, &mut s);
                Value::String(f(&s))
            })
            .collect();
        match vals.len() {
            0 => false,
            1 => {
                out.push_str(&vals[0].to_string());
                true
            }
            _ => {
                out.push_str(&Value::Array(vals).to_string());
                true
            }
        }
    }))
}

const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn date_name(args: &[Datum], ctx: &KernelContext, day: bool) -> Result<ArrayRef> {
    let d = super::convert(
        args::arg(args, 0)?,
        args::arg_type(ctx, 0),
        KType::DateTime,
        ctx.rows,
    )?;
    let d = d
        .as_any()
        .downcast_ref::<TimestampMicrosecondArray>()
        .cloned()
        .ok_or_else(|| crate::error::ExecError::internal("date_name", "not a timestamp column"))?;
    Ok(strings(ctx.rows, 0, |i, out| {
        if d.is_null(i) {
            return false;
        }
        let Some(t) = chrono::DateTime::from_timestamp_micros(d.value(i)) else {
            return false;
        };
        out.push_str(if day {
            DAYS[t.weekday().num_days_from_monday() as usize]
        } else {
            MONTHS[t.month0() as usize]
        });
        true
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::testing::*;
    use KType::*;

    #[test]
    fn repeat_space_contains() {
        let out = call(
            "esql_repeat",
            &[lit_str("Hello!"), lit_long(3)],
            &[String, Long],
        );
        assert_eq!(texts(&out), [Some("Hello!Hello!Hello!".into())]);
        let out = call(
            "esql_repeat",
            &[lit_str("x"), lit_long(-1)],
            &[String, Long],
        );
        assert_eq!(texts(&out), [None]);
        assert_eq!(
            texts(&call("esql_space", &[lit_long(2)], &[Long])),
            [Some("  ".into())]
        );
        let s = strs(&[Some("hello"), None]);
        assert_eq!(
            bools_of(&call(
                "esql_contains",
                &[s, lit_str("ll")],
                &[String, String]
            )),
            [Some(true), None]
        );
    }

    #[test]
    fn url_encodings_use_upper_case_hex() {
        let u = lit_str("https://example.com/?x=foo bar&y=baz");
        assert_eq!(
            texts(&call("esql_url_encode", &[u.clone()], &[String]))[0].as_deref(),
            Some("https%3A%2F%2Fexample.com%2F%3Fx%3Dfoo+bar%26y%3Dbaz")
        );
        assert_eq!(
            texts(&call("esql_url_encode_component", &[u], &[String]))[0].as_deref(),
            Some("https%3A%2F%2Fexample.com%2F%3Fx%3Dfoo%20bar%26y%3Dbaz")
        );
    }

    #[test]
    fn base64_both_ways_and_bit_length() {
        let e = call("esql_to_base64", &[lit_str("elastic")], &[String]);
        assert_eq!(texts(&e)[0].as_deref(), Some("ZWxhc3RpYw=="));
        let d = call(
            "esql_from_base64",
            &[strs(&[Some("ZWxhc3RpYw=="), Some("!!")])],
            &[String],
        );
        assert_eq!(texts(&d), [Some("elastic".into()), None]);
        let b = call("esql_bit_length", &[lit_str("Agwār")], &[String]);
        assert_eq!(ints(&b), [Some(48)]);
    }

    #[test]
    fn lower_of_a_multi_value_is_per_value_and_names_are_english() {
        let out = call(
            "esql_to_lower",
            &[lit_dyn(r#"["Some","Text"]"#)],
            &[Dynamic],
        );
        assert_eq!(texts(&out)[0].as_deref(), Some(r#"["some","text"]"#));
        // 1953-09-02 was a Wednesday.
        let t = dt_col(&[Some(-515_376_000_000_000)]);
        assert_eq!(
            texts(&call("esql_day_name", &[t.clone()], &[DateTime])),
            [Some("Wednesday".into())]
        );
        assert_eq!(
            texts(&call("esql_month_name", &[t], &[DateTime])),
            [Some("September".into())]
        );
    }
}
