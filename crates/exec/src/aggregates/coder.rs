//! Values of any Kusto type as 64-bit codes, and back: the common currency of
//! group keys and set-like aggregates. Strings become interner ids; numbers,
//! datetimes, timespans and bools their bit patterns.

use std::sync::Arc;

use arrow::array::*;
use arrow::datatypes::*;
use iishunt_plan::types::KType;

use super::interner::{Interner, NULL_ID};
use crate::error::{ExecError, Result};

pub enum ValueCoder {
    Strings { ty: KType, interner: Interner },
    Bits { ty: KType },
}

impl ValueCoder {
    /// Bytes of the interned strings (nothing for numbers).
    pub fn memory_bytes(&self) -> usize {
        match self {
            ValueCoder::Strings { interner, .. } => interner.memory_bytes(),
            ValueCoder::Bits { .. } => 0,
        }
    }

    pub fn new(ty: KType) -> Self {
        match ty {
            KType::String | KType::Dynamic | KType::Guid => ValueCoder::Strings {
                ty,
                interner: Interner::new(),
            },
            _ => ValueCoder::Bits { ty },
        }
    }

    pub fn ty(&self) -> KType {
        match self {
            ValueCoder::Strings { ty, .. } | ValueCoder::Bits { ty } => *ty,
        }
    }

    /// One code per row into `codes`, and whether the row is null into `nulls`.
    pub fn encode(
        &mut self,
        array: &ArrayRef,
        codes: &mut Vec<u64>,
        nulls: &mut Vec<bool>,
    ) -> Result<()> {
        codes.clear();
        nulls.clear();
        match self {
            ValueCoder::Strings { interner, .. } => {
                let mut ids = Vec::new();
                interner.intern_array(array, &mut ids)?;
                codes.extend(ids.iter().map(|&id| id as u64));
                nulls.extend(ids.iter().map(|&id| id == NULL_ID));
            }
            ValueCoder::Bits { ty } => {
                let array = crate::expr::decode_array(array)?;
                let n = array.len();
                let logical = array.logical_nulls();
                nulls.extend((0..n).map(|i| logical.as_ref().is_some_and(|b| b.is_null(i))));
                match array.data_type() {
                    DataType::Int32 => codes.extend(
                        array
                            .as_primitive::<Int32Type>()
                            .values()
                            .iter()
                            .map(|v| *v as i64 as u64),
                    ),
                    DataType::Int64 => codes.extend(
                        array
                            .as_primitive::<Int64Type>()
                            .values()
                            .iter()
                            .map(|v| *v as u64),
                    ),
                    DataType::Float64 => codes.extend(
                        array
                            .as_primitive::<Float64Type>()
                            .values()
                            .iter()
                            .map(|v| float_bits(*v)),
                    ),
                    DataType::Timestamp(TimeUnit::Microsecond, _) => codes.extend(
                        array
                            .as_primitive::<TimestampMicrosecondType>()
                            .values()
                            .iter()
                            .map(|v| *v as u64),
                    ),
                    DataType::Duration(TimeUnit::Microsecond) => codes.extend(
                        array
                            .as_primitive::<DurationMicrosecondType>()
                            .values()
                            .iter()
                            .map(|v| *v as u64),
                    ),
                    DataType::Boolean => {
                        let b = array.as_boolean();
                        codes.extend((0..n).map(|i| b.value(i) as u64));
                    }
                    DataType::Null => codes.extend(std::iter::repeat_n(0, n)),
                    other => {
                        return Err(ExecError::internal(
                            "ValueCoder::encode",
                            format!("{ty} held as {other}"),
                        ))
                    }
                }
            }
        }
        Ok(())
    }

    /// Like `encode`, but never adds a string: rows whose string was never
    /// seen are marked in `unseen` (they cannot match any stored key).
    pub fn encode_lookup(
        &self,
        array: &ArrayRef,
        codes: &mut Vec<u64>,
        nulls: &mut Vec<bool>,
        unseen: &mut [bool],
    ) -> Result<()> {
        match self {
            ValueCoder::Strings { interner, .. } => {
                codes.clear();
                nulls.clear();
                // A dictionary column: look each distinct value up once.
                if let Some(dict) = array.as_any().downcast_ref::<DictionaryArray<Int32Type>>() {
                    let values = crate::expr::decode_array(dict.values())?;
                    let strings = values.as_string::<i32>();
                    // Looked up lazily: only the values some row uses.
                    let mut cache: Vec<Option<Option<u32>>> = vec![None; strings.len()];
                    let mut id_of = |k: usize| -> Option<u32> {
                        *cache[k].get_or_insert_with(|| interner.lookup(strings.value(k)))
                    };
                    for (row, key) in dict.keys().iter().enumerate() {
                        match key.map(|k| (k, strings.is_null(k as usize))) {
                            None | Some((_, true)) => {
                                codes.push(0);
                                nulls.push(true);
                            }
                            Some((k, false)) => {
                                match id_of(k as usize) {
                                    Some(id) => codes.push(id as u64),
                                    None => {
                                        codes.push(0);
                                        unseen[row] = true;
                                    }
                                }
                                nulls.push(false);
                            }
                        }
                    }
                    return Ok(());
                }
                let plain = crate::expr::decode_array(array)?;
                let strings = plain.as_string::<i32>();
                for (i, unseen) in unseen.iter_mut().enumerate().take(strings.len()) {
                    if strings.is_null(i) {
                        codes.push(0);
                        nulls.push(true);
                    } else {
                        match interner.lookup(strings.value(i)) {
                            Some(id) => codes.push(id as u64),
                            None => {
                                codes.push(0);
                                *unseen = true;
                            }
                        }
                        nulls.push(false);
                    }
                }
                Ok(())
            }
            ValueCoder::Bits { ty } => {
                let mut me = ValueCoder::Bits { ty: *ty };
                me.encode(array, codes, nulls)
            }
        }
    }

    /// The code in `self` of a code from `other` (same type): used when merging partitions.
    pub fn translate(&mut self, other: &ValueCoder, code: u64) -> u64 {
        match (self, other) {
            (
                ValueCoder::Strings { interner, .. },
                ValueCoder::Strings {
                    interner: theirs, ..
                },
            ) => interner
                .intern_from(theirs, code as u32)
                .map_or(code, u64::from),
            _ => code,
        }
    }

    /// Room for `other`'s values before they are translated in.
    pub fn reserve_for(&mut self, other: &ValueCoder) {
        if let (
            ValueCoder::Strings { interner, .. },
            ValueCoder::Strings {
                interner: theirs, ..
            },
        ) = (self, other)
        {
            interner.reserve_for(theirs);
        }
    }

    /// The string of a code, for string coders.
    pub fn string(&self, code: u64) -> Option<&str> {
        match self {
            ValueCoder::Strings { interner, .. } => interner.get(code as u32),
            ValueCoder::Bits { .. } => None,
        }
    }

    /// An array of the values of `codes` (`None` = null).
    pub fn decode(&self, codes: impl Iterator<Item = Option<u64>>) -> ArrayRef {
        match self {
            ValueCoder::Strings { interner, .. } => {
                let mut b = StringBuilder::new();
                for c in codes {
                    match c.and_then(|c| interner.get(c as u32)) {
                        Some(s) => b.append_value(s),
                        None => b.append_null(),
                    }
                }
                Arc::new(b.finish())
            }
            ValueCoder::Bits { ty } => decode_bits(*ty, codes),
        }
    }

    /// A value as JSON for dynamic arrays (`make_set` output).
    pub fn to_json(&self, code: u64) -> serde_json::Value {
        match self {
            ValueCoder::Strings {
                ty: KType::Dynamic,
                interner,
            } => interner
                .get(code as u32)
                .and_then(|s| serde_json::from_str(s).ok())
                .unwrap_or(serde_json::Value::Null),
            ValueCoder::Strings { interner, .. } => interner
                .get(code as u32)
                .map_or(serde_json::Value::Null, |s| {
                    serde_json::Value::String(s.into())
                }),
            ValueCoder::Bits { ty } => bits_to_json(*ty, code),
        }
    }
}

fn float_bits(v: f64) -> u64 {
    if v == 0.0 {
        0f64.to_bits()
    } else if v.is_nan() {
        f64::NAN.to_bits()
    } else {
        v.to_bits()
    }
}

fn decode_bits(ty: KType, codes: impl Iterator<Item = Option<u64>>) -> ArrayRef {
    match ty {
        KType::Int => Arc::new(
            codes
                .map(|c| c.map(|c| c as i64 as i32))
                .collect::<Int32Array>(),
        ),
        KType::Long => Arc::new(codes.map(|c| c.map(|c| c as i64)).collect::<Int64Array>()),
        KType::Real | KType::Decimal => Arc::new(
            codes
                .map(|c| c.map(f64::from_bits))
                .collect::<Float64Array>(),
        ),
        KType::DateTime => Arc::new(
            codes
                .map(|c| c.map(|c| c as i64))
                .collect::<TimestampMicrosecondArray>(),
        ),
        KType::TimeSpan => Arc::new(
            codes
                .map(|c| c.map(|c| c as i64))
                .collect::<DurationMicrosecondArray>(),
        ),
        KType::Bool => Arc::new(codes.map(|c| c.map(|c| c != 0)).collect::<BooleanArray>()),
        KType::String | KType::Dynamic | KType::Guid => Arc::new(
            codes
                .map(|c| c.map(|c| c.to_string()))
                .collect::<StringArray>(),
        ),
    }
}

/// A non-string value as Kusto writes it inside a dynamic array.
pub fn bits_to_json(ty: KType, code: u64) -> serde_json::Value {
    use serde_json::Value;
    match ty {
        KType::Int | KType::Long => Value::from(code as i64),
        KType::Real | KType::Decimal => {
            serde_json::Number::from_f64(f64::from_bits(code)).map_or(Value::Null, Value::Number)
        }
        KType::Bool => Value::Bool(code != 0),
        KType::DateTime => chrono::DateTime::from_timestamp_micros(code as i64)
            .map_or(Value::Null, |d| {
                Value::String(d.format("%Y-%m-%dT%H:%M:%S%.fZ").to_string())
            }),
        KType::TimeSpan => Value::String(format_timespan(code as i64)),
        KType::String | KType::Dynamic | KType::Guid => Value::Null,
    }
}

/// Kusto's timespan text: `[-][d.]hh:mm:ss[.fffffff]`.
pub fn format_timespan(micros: i64) -> String {
    let neg = micros < 0;
    let m = micros.unsigned_abs();
    let (secs, frac) = (m / 1_000_000, m % 1_000_000);
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (h, mi, s) = (rem / 3600, rem % 3600 / 60, rem % 60);
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if days > 0 {
        out.push_str(&format!("{days}."));
    }
    out.push_str(&format!("{h:02}:{mi:02}:{s:02}"));
    if frac > 0 {
        out.push_str(&format!(".{:07}", frac * 10));
    }
    out
}
