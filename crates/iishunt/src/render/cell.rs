//! One cell of a result, read from an Arrow array and formatted for people
//! and files. Every writer (`table`, `csv`, `json`, `ndjson`) and the charts
//! read values through [`Column`] so datetimes, timespans, dynamic values and
//! nulls look the same everywhere; terminal escaping of attacker-controlled
//! text lives here too ([`escape_control`]).

use std::borrow::Cow;
use std::fmt::Write as _;

use arrow::array::{Array, ArrayRef, AsArray};
use arrow::datatypes::{
    DataType, DurationMicrosecondType, DurationMillisecondType, DurationNanosecondType,
    DurationSecondType, Float16Type, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type,
    Int8Type, TimeUnit, TimestampMicrosecondType, TimestampMillisecondType,
    TimestampNanosecondType, TimestampSecondType, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow::util::display::{ArrayFormatter, FormatOptions};
use chrono::{DateTime, Datelike, Timelike};

use crate::KType;

/// One value of a result, borrowed from its array.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    Int(i64),
    /// Unsigned values that do not fit `i64`.
    UInt(u64),
    Real(f64),
    Str(Cow<'a, str>),
    /// Microseconds since the Unix epoch, UTC.
    DateTime(i64),
    /// Microseconds.
    TimeSpan(i64),
    /// JSON text.
    Dynamic(&'a str),
}

impl Value<'_> {
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The value as a number, for charts; `None` for text and nulls.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(v) => Some(*v as f64),
            Value::UInt(v) => Some(*v as f64),
            Value::Real(v) => Some(*v),
            Value::Bool(b) => Some(f64::from(u8::from(*b))),
            Value::DateTime(v) | Value::TimeSpan(v) => Some(*v as f64),
            _ => None,
        }
    }

    /// The canonical text of a value (what CSV holds); `None` for null.
    pub fn text(&self) -> Option<Cow<'_, str>> {
        Some(match self {
            Value::Null => return None,
            Value::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
            Value::Int(v) => Cow::Owned(v.to_string()),
            Value::UInt(v) => Cow::Owned(v.to_string()),
            Value::Real(v) => Cow::Owned(format_real(*v)),
            Value::Str(s) => Cow::Borrowed(s.as_ref()),
            Value::DateTime(us) => Cow::Owned(format_datetime(*us)),
            Value::TimeSpan(us) => Cow::Owned(format_timespan(*us)),
            Value::Dynamic(json) => Cow::Borrowed(json),
        })
    }

    /// The value as JSON: numbers as numbers, dynamic values embedded as JSON,
    /// datetimes and timespans as their canonical text.
    pub fn json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(v) => J::from(*v),
            Value::UInt(v) => J::from(*v),
            Value::Real(v) => serde_json::Number::from_f64(*v)
                .map_or_else(|| J::String(format_real(*v)), J::Number),
            Value::Str(s) => J::String(s.to_string()),
            Value::DateTime(us) => J::String(format_datetime(*us)),
            Value::TimeSpan(us) => J::String(format_timespan(*us)),
            // Text that is not JSON (it should always be) is kept as a string.
            Value::Dynamic(text) => {
                serde_json::from_str(text).unwrap_or_else(|_| J::String((*text).to_string()))
            }
        }
    }
}

/// A result column ready to be read row by row: the array (dictionaries
/// already unpacked) and its Kusto type.
pub struct Column {
    array: ArrayRef,
    ktype: KType,
    /// Arrow's own formatter for types iishunt never produces itself.
    fallback: bool,
}

impl Column {
    /// Wraps one array of a result batch. Dictionary arrays are unpacked once
    /// here so every later read is a plain index.
    pub fn new(array: &ArrayRef, ktype: KType) -> Column {
        let array = match array.data_type() {
            DataType::Dictionary(_, value) => {
                arrow::compute::cast(array, value).unwrap_or_else(|_| array.clone())
            }
            _ => array.clone(),
        };
        let fallback = !matches!(
            array.data_type(),
            DataType::Boolean
                | DataType::Int8
                | DataType::Int16
                | DataType::Int32
                | DataType::Int64
                | DataType::UInt8
                | DataType::UInt16
                | DataType::UInt32
                | DataType::UInt64
                | DataType::Float16
                | DataType::Float32
                | DataType::Float64
                | DataType::Utf8
                | DataType::LargeUtf8
                | DataType::Utf8View
                | DataType::Timestamp(_, _)
                | DataType::Duration(_)
        );
        Column {
            array,
            ktype,
            fallback,
        }
    }

    pub fn ktype(&self) -> KType {
        self.ktype
    }

    pub fn len(&self) -> usize {
        self.array.len()
    }

    pub fn is_empty(&self) -> bool {
        self.array.is_empty()
    }

    /// The value at `row` (which must be below `len()`).
    pub fn value(&self, row: usize) -> Value<'_> {
        let a = &self.array;
        if a.is_null(row) {
            return Value::Null;
        }
        if self.fallback {
            let options = FormatOptions::default();
            return match ArrayFormatter::try_new(a.as_ref(), &options) {
                Ok(f) => Value::Str(Cow::Owned(f.value(row).to_string())),
                Err(_) => Value::Null,
            };
        }
        let dynamic = self.ktype == KType::Dynamic;
        let text = |s| {
            if dynamic {
                Value::Dynamic(s)
            } else {
                Value::Str(Cow::Borrowed(s))
            }
        };
        match a.data_type() {
            DataType::Boolean => Value::Bool(a.as_boolean().value(row)),
            DataType::Int8 => Value::Int(i64::from(a.as_primitive::<Int8Type>().value(row))),
            DataType::Int16 => Value::Int(i64::from(a.as_primitive::<Int16Type>().value(row))),
            DataType::Int32 => Value::Int(i64::from(a.as_primitive::<Int32Type>().value(row))),
            DataType::Int64 => Value::Int(a.as_primitive::<Int64Type>().value(row)),
            DataType::UInt8 => Value::Int(i64::from(a.as_primitive::<UInt8Type>().value(row))),
            DataType::UInt16 => Value::Int(i64::from(a.as_primitive::<UInt16Type>().value(row))),
            DataType::UInt32 => Value::Int(i64::from(a.as_primitive::<UInt32Type>().value(row))),
            DataType::UInt64 => {
                let v = a.as_primitive::<UInt64Type>().value(row);
                i64::try_from(v).map_or(Value::UInt(v), Value::Int)
            }
            DataType::Float16 => Value::Real(f64::from(a.as_primitive::<Float16Type>().value(row))),
            DataType::Float32 => Value::Real(f64::from(a.as_primitive::<Float32Type>().value(row))),
            DataType::Float64 => Value::Real(a.as_primitive::<Float64Type>().value(row)),
            DataType::Utf8 => text(a.as_string::<i32>().value(row)),
            DataType::LargeUtf8 => text(a.as_string::<i64>().value(row)),
            DataType::Utf8View => text(a.as_string_view().value(row)),
            DataType::Timestamp(unit, _) => Value::DateTime(match unit {
                TimeUnit::Second => a
                    .as_primitive::<TimestampSecondType>()
                    .value(row)
                    .saturating_mul(1_000_000),
                TimeUnit::Millisecond => a
                    .as_primitive::<TimestampMillisecondType>()
                    .value(row)
                    .saturating_mul(1000),
                TimeUnit::Microsecond => a.as_primitive::<TimestampMicrosecondType>().value(row),
                TimeUnit::Nanosecond => {
                    a.as_primitive::<TimestampNanosecondType>().value(row) / 1000
                }
            }),
            DataType::Duration(unit) => Value::TimeSpan(match unit {
                TimeUnit::Second => a
                    .as_primitive::<DurationSecondType>()
                    .value(row)
                    .saturating_mul(1_000_000),
                TimeUnit::Millisecond => a
                    .as_primitive::<DurationMillisecondType>()
                    .value(row)
                    .saturating_mul(1000),
                TimeUnit::Microsecond => a.as_primitive::<DurationMicrosecondType>().value(row),
                TimeUnit::Nanosecond => {
                    a.as_primitive::<DurationNanosecondType>().value(row) / 1000
                }
            }),
            _ => Value::Null,
        }
    }
}

/// The columns of one batch, typed by the result's column list: always
/// exactly one per listed column (a batch short of columns reads as nulls),
/// so writers can index them without checking.
pub fn columns(batch: &arrow::record_batch::RecordBatch, types: &[(String, KType)]) -> Vec<Column> {
    types
        .iter()
        .enumerate()
        .map(|(i, (_, ktype))| match batch.columns().get(i) {
            Some(array) => Column::new(array, *ktype),
            None => Column::new(
                &arrow::array::new_null_array(&ktype.arrow_type(), batch.num_rows()),
                *ktype,
            ),
        })
        .collect()
}

/// ISO 8601 in UTC with a `Z`: `2026-03-08T16:05:12Z`, with a fraction only
/// when it is not zero (trailing zeros dropped): `2026-03-08T16:05:12.25Z`.
pub fn format_datetime(micros: i64) -> String {
    let Some(dt) = DateTime::from_timestamp_micros(micros) else {
        return micros.to_string();
    };
    // By hand rather than with `format`: this runs once per cell.
    let mut s = String::with_capacity(28);
    let _ = write!(
        s,
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    );
    let frac = dt.nanosecond() / 1000;
    if frac != 0 {
        let digits = format!("{frac:06}");
        s.push('.');
        s.push_str(digits.trim_end_matches('0'));
    }
    s.push('Z');
    s
}

/// Kusto's timespan text: `[-][d.]hh:mm:ss[.fffffff]` (seven fractional
/// digits, ticks of 100 ns, only when not zero).
pub fn format_timespan(micros: i64) -> String {
    let mut out = String::new();
    let total = micros.unsigned_abs();
    if micros < 0 {
        out.push('-');
    }
    let secs = total / 1_000_000;
    let frac = total % 1_000_000;
    let days = secs / 86_400;
    let (h, m, s) = ((secs / 3600) % 24, (secs / 60) % 60, secs % 60);
    if days > 0 {
        let _ = write!(out, "{days}.");
    }
    let _ = write!(out, "{h:02}:{m:02}:{s:02}");
    if frac != 0 {
        let _ = write!(out, ".{:07}", frac * 10);
    }
    out
}

/// A real as Kusto shows it: shortest round-trip text, `NaN`, `Infinity`.
pub fn format_real(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        }
    } else {
        v.to_string()
    }
}

/// Text safe to print to a terminal: control characters (C0, DEL, C1 —
/// which includes every ANSI escape introducer) and bidirectional overrides
/// are shown as escapes (`\x1b`, `\n`, `\u{202e}`), never sent raw. Log
/// fields are attacker-controlled; this is what keeps them from driving the
/// analyst's terminal.
pub fn escape_control(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !needs_escape(c) {
            out.push(c);
            continue;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            c if (c as u32) < 0x80 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow::array::{DictionaryArray, Int32Array, StringArray, TimestampMicrosecondArray};
    use arrow::datatypes::Int32Type as DictKey;

    use super::*;

    #[test]
    fn datetimes_are_iso_utc_with_fraction_only_when_needed() {
        let t = 1_772_985_912_000_000; // 2026-03-08T16:05:12Z
        assert_eq!(format_datetime(t), "2026-03-08T16:05:12Z");
        assert_eq!(format_datetime(t + 250_000), "2026-03-08T16:05:12.25Z");
        assert_eq!(format_datetime(t + 1), "2026-03-08T16:05:12.000001Z");
    }

    #[test]
    fn timespans_follow_kusto() {
        let cases = [
            (0, "00:00:00"),
            (60_000_000, "00:01:00"),
            (3_600_000_000, "01:00:00"),
            (86_400_000_000 + 2 * 3_600_000_000 + 3_000_000, "1.02:00:03"),
            (1_500_000, "00:00:01.5000000"),
            (-90_000_000, "-00:01:30"),
        ];
        for (us, text) in cases {
            assert_eq!(format_timespan(us), text, "{us}");
        }
    }

    #[test]
    fn control_characters_and_ansi_are_escaped() {
        assert_eq!(escape_control("plain /index.aspx"), "plain /index.aspx");
        assert_eq!(
            escape_control("a\x1b[31mred\x1b[0m"),
            "a\\x1b[31mred\\x1b[0m"
        );
        assert_eq!(escape_control("l1\nl2\r\t\0\x7f"), "l1\\nl2\\r\\t\\0\\x7f");
        assert_eq!(escape_control("\u{9b}31m"), "\\u{9b}31m");
        assert_eq!(escape_control("abc\u{202e}gpj.exe"), "abc\\u{202e}gpj.exe");
    }

    #[test]
    fn a_batch_short_of_columns_reads_as_nulls() {
        let schema = Arc::new(arrow::datatypes::Schema::new(vec![KType::Int.field("a")]));
        let batch = arrow::record_batch::RecordBatch::try_new(
            schema,
            vec![Arc::new(Int32Array::from(vec![1])) as ArrayRef],
        )
        .expect("batch");
        let types = [
            ("a".to_string(), KType::Int),
            ("b".to_string(), KType::String),
        ];
        let cols = columns(&batch, &types);
        assert_eq!(cols.len(), 2);
        assert!(cols[1].value(0).is_null());
    }

    #[test]
    fn reals_print_like_kusto() {
        assert_eq!(format_real(3.0), "3");
        assert_eq!(format_real(0.5), "0.5");
        assert_eq!(format_real(f64::NAN), "NaN");
        assert_eq!(format_real(f64::NEG_INFINITY), "-Infinity");
    }

    #[test]
    fn values_read_through_dictionaries_and_nulls() {
        let dict: DictionaryArray<DictKey> = vec![Some("a"), None, Some("a")].into_iter().collect();
        let col = Column::new(&(Arc::new(dict) as ArrayRef), KType::String);
        assert_eq!(col.value(0).text().as_deref(), Some("a"));
        assert!(col.value(1).is_null());

        let ints = Column::new(
            &(Arc::new(Int32Array::from(vec![Some(7), None])) as ArrayRef),
            KType::Int,
        );
        assert_eq!(ints.value(0), Value::Int(7));
        assert_eq!(ints.value(1).json(), serde_json::Value::Null);

        let dynamic = Column::new(
            &(Arc::new(StringArray::from(vec![r#"["80","443"]"#, "not json"])) as ArrayRef),
            KType::Dynamic,
        );
        assert_eq!(dynamic.value(0).json(), serde_json::json!(["80", "443"]));
        assert_eq!(dynamic.value(1).json(), serde_json::json!("not json"));

        let times = Column::new(
            &(Arc::new(TimestampMicrosecondArray::from(vec![1_772_985_912_000_000])) as ArrayRef),
            KType::DateTime,
        );
        assert_eq!(
            times.value(0).json(),
            serde_json::json!("2026-03-08T16:05:12Z")
        );
    }
}
