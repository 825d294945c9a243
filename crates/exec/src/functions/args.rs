//! Reading kernel arguments: a column or a constant, seen as text, a number, a
//! bool… whatever its bound type, without copying when it already has the
//! right Arrow type. Conversions follow `tostring`/`tolong`/… (conversion.rs),
//! so every kernel treats mixed types the same way. Null text reads as "".

use std::sync::Arc;

use arrow::array::*;
use arrow::buffer::BooleanBuffer;
use arrow::datatypes::*;
use iishunt_plan::types::{KType, ScalarValue};

use super::conversion::{scalar_text, text_array};
use crate::datum::{Datum, KernelContext};
use crate::error::{ExecError, Result};

/// An argument read as text.
pub(crate) enum Text {
    /// `None`: a null constant (read as "").
    Scalar(Option<String>),
    Array(StringArray),
}

impl Text {
    /// The text of `row` ("" for null).
    #[inline]
    pub fn get(&self, row: usize) -> &str {
        match self {
            Text::Scalar(s) => s.as_deref().unwrap_or(""),
            Text::Array(a) => {
                if a.is_null(row) {
                    ""
                } else {
                    a.value(row)
                }
            }
        }
    }

    /// Whether `row` is a real null (ES|QL functions propagate these).
    #[inline]
    pub fn is_null(&self, row: usize) -> bool {
        match self {
            Text::Scalar(s) => s.is_none(),
            Text::Array(a) => a.is_null(row),
        }
    }

    pub fn scalar(&self) -> Option<&str> {
        match self {
            Text::Scalar(s) => Some(s.as_deref().unwrap_or("")),
            Text::Array(_) => None,
        }
    }

    /// Total bytes, for sizing output buffers.
    pub fn byte_len(&self, rows: usize) -> usize {
        match self {
            Text::Scalar(s) => s.as_deref().map_or(0, str::len).saturating_mul(rows),
            Text::Array(a) => a.value_data().len(),
        }
    }
}

/// Argument `i` as text, converted as `tostring` does when it is not a string.
pub(crate) fn text(args: &[Datum], ctx: &KernelContext, i: usize) -> Result<Text> {
    let ty = arg_type(ctx, i);
    match arg(args, i)? {
        Datum::Scalar(v) => Ok(Text::Scalar(scalar_text(v))),
        Datum::Array(a) => match (ty, a.data_type()) {
            (KType::String | KType::Guid, DataType::Utf8) => {
                Ok(Text::Array(a.as_string::<i32>().clone()))
            }
            _ => Ok(Text::Array(text_array(a, ty)?)),
        },
    }
}

/// An argument read as a 64-bit integer.
pub(crate) enum Long {
    Scalar(Option<i64>),
    Array(Int64Array),
}

impl Long {
    #[inline]
    pub fn get(&self, row: usize) -> Option<i64> {
        match self {
            Long::Scalar(v) => *v,
            Long::Array(a) => (!a.is_null(row)).then(|| a.value(row)),
        }
    }
    pub fn scalar(&self) -> Option<Option<i64>> {
        match self {
            Long::Scalar(v) => Some(*v),
            Long::Array(_) => None,
        }
    }
}

pub(crate) fn long(args: &[Datum], ctx: &KernelContext, i: usize) -> Result<Long> {
    let ty = arg_type(ctx, i);
    match arg(args, i)? {
        Datum::Scalar(v) => Ok(Long::Scalar(super::conversion::scalar_to_long(v))),
        Datum::Array(a) => Ok(Long::Array(super::conversion::long_array(a, ty)?)),
    }
}

/// An argument read as a 64-bit float.
pub(crate) enum Real {
    Scalar(Option<f64>),
    Array(Float64Array),
}

impl Real {
    #[inline]
    pub fn get(&self, row: usize) -> Option<f64> {
        match self {
            Real::Scalar(v) => *v,
            Real::Array(a) => (!a.is_null(row)).then(|| a.value(row)),
        }
    }
}

pub(crate) fn real(args: &[Datum], ctx: &KernelContext, i: usize) -> Result<Real> {
    let ty = arg_type(ctx, i);
    match arg(args, i)? {
        Datum::Scalar(v) => Ok(Real::Scalar(super::conversion::scalar_to_real(v))),
        Datum::Array(a) => Ok(Real::Array(super::conversion::real_array(a, ty)?)),
    }
}

/// An argument read as a bool.
pub(crate) enum Bool {
    Scalar(Option<bool>),
    Array(BooleanArray),
}

pub(crate) fn boolean(args: &[Datum], ctx: &KernelContext, i: usize) -> Result<Bool> {
    let ty = arg_type(ctx, i);
    match arg(args, i)? {
        Datum::Scalar(v) => Ok(Bool::Scalar(super::conversion::scalar_to_bool(v))),
        Datum::Array(a) => Ok(Bool::Array(super::conversion::bool_array(a, ty)?)),
    }
}

pub(crate) fn arg(args: &[Datum], i: usize) -> Result<&Datum> {
    args.get(i).ok_or_else(|| {
        ExecError::internal("kernel arguments", format!("argument {} is missing", i + 1))
    })
}

/// The bound type of argument `i` (a constant's own type when the context has none).
pub(crate) fn arg_type(ctx: &KernelContext, i: usize) -> KType {
    ctx.arg_types.get(i).copied().unwrap_or(KType::Dynamic)
}

/// The constant at argument `i`, if it is one.
pub(crate) fn scalar_arg(args: &[Datum], i: usize) -> Option<&ScalarValue> {
    args.get(i).and_then(Datum::as_scalar)
}

/// A boolean array of `rows` rows, no nulls, from a per-row predicate.
pub(crate) fn bools(rows: usize, f: impl FnMut(usize) -> bool) -> ArrayRef {
    Arc::new(BooleanArray::new(
        BooleanBuffer::collect_bool(rows, f),
        None,
    ))
}

/// A one-row array repeated to `rows` rows (results computed on constants).
pub(crate) fn broadcast(a: ArrayRef, rows: usize) -> Result<ArrayRef> {
    if a.len() == rows {
        return Ok(a);
    }
    if a.len() != 1 {
        return Err(ExecError::internal(
            "broadcast",
            format!("{} rows for {rows}", a.len()),
        ));
    }
    let idx = UInt32Array::from(vec![0u32; rows]);
    Ok(arrow::compute::take(a.as_ref(), &idx, None)?)
}

/// Builds a string column row by row: `f` writes row `i` into the buffer and
/// says whether it is non-null.
pub(crate) fn strings(
    rows: usize,
    bytes: usize,
    mut f: impl FnMut(usize, &mut String) -> bool,
) -> ArrayRef {
    let mut b = StringBuilder::with_capacity(rows, bytes);
    let mut buf = String::new();
    for i in 0..rows {
        buf.clear();
        if f(i, &mut buf) {
            b.append_value(&buf);
        } else {
            b.append_null();
        }
    }
    Arc::new(b.finish())
}

/// An error for a regular expression that does not compile, quoting it.
pub(crate) fn bad_regex(pattern: &str, e: regex::Error) -> ExecError {
    let first = e.to_string();
    let first = first.lines().last().unwrap_or("").trim().to_string();
    ExecError::Unsupported(format!("invalid regex `{pattern}`: {first}"))
}

/// Compiles a regex, once per distinct pattern within a call. The last
/// pattern is checked first, so a constant pattern costs one string compare
/// per row.
pub(crate) struct RegexCache {
    map: std::collections::HashMap<String, regex::Regex>,
    last: Option<(String, regex::Regex)>,
    prefix: &'static str,
}

impl RegexCache {
    pub fn new(prefix: &'static str) -> Self {
        RegexCache {
            map: Default::default(),
            last: None,
            prefix,
        }
    }
    pub fn get(&mut self, pattern: &str) -> Result<&regex::Regex> {
        let hit = self.last.as_ref().is_some_and(|(k, _)| k == pattern);
        if !hit {
            if !self.map.contains_key(pattern) {
                let full = format!("{}{}", self.prefix, pattern);
                let re = regex::Regex::new(&full).map_err(|e| bad_regex(pattern, e))?;
                self.map.insert(pattern.to_string(), re);
            }
            let re = self
                .map
                .get(pattern)
                .ok_or_else(|| ExecError::internal("regex cache", "lost entry"))?;
            self.last = Some((pattern.to_string(), re.clone()));
        }
        self.last
            .as_ref()
            .map(|(_, r)| r)
            .ok_or_else(|| ExecError::internal("regex cache", "lost entry"))
    }
}
