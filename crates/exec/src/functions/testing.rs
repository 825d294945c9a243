//! Helpers for the kernels' table-driven tests.

use std::sync::Arc;

use arrow::array::*;
use arrow::datatypes::*;
use iishunt_plan::types::{KType, ScalarValue};

use crate::datum::{Datum, KernelContext};

pub(crate) fn strs(v: &[Option<&str>]) -> Datum {
    Datum::Array(Arc::new(StringArray::from(v.to_vec())))
}
pub(crate) fn long_col(v: &[Option<i64>]) -> Datum {
    Datum::Array(Arc::new(Int64Array::from(v.to_vec())))
}
pub(crate) fn int_col(v: &[Option<i32>]) -> Datum {
    Datum::Array(Arc::new(Int32Array::from(v.to_vec())))
}
pub(crate) fn real_col(v: &[Option<f64>]) -> Datum {
    Datum::Array(Arc::new(Float64Array::from(v.to_vec())))
}
pub(crate) fn bool_col(v: &[Option<bool>]) -> Datum {
    Datum::Array(Arc::new(BooleanArray::from(v.to_vec())))
}
pub(crate) fn dt_col(v: &[Option<i64>]) -> Datum {
    Datum::Array(Arc::new(TimestampMicrosecondArray::from(v.to_vec())))
}
pub(crate) fn span_col(v: &[Option<i64>]) -> Datum {
    Datum::Array(Arc::new(DurationMicrosecondArray::from(v.to_vec())))
}
pub(crate) fn lit_str(s: &str) -> Datum {
    Datum::Scalar(ScalarValue::String(s.to_string()))
}
pub(crate) fn lit_long(v: i64) -> Datum {
    Datum::Scalar(ScalarValue::Long(v))
}
pub(crate) fn lit_dyn(json: &str) -> Datum {
    Datum::Scalar(ScalarValue::Dynamic(
        serde_json::from_str(json).expect("test json"),
    ))
}

/// The number of rows the arguments imply (1 when all are constants).
fn rows_of(args: &[Datum]) -> usize {
    args.iter()
        .find_map(|d| match d {
            Datum::Array(a) => Some(a.len()),
            Datum::Scalar(_) => None,
        })
        .unwrap_or(1)
}

/// Runs a kernel by name, checking the result's length and Arrow type.
pub(crate) fn run(name: &str, args: &[Datum], types: &[KType], ret: KType) -> ArrayRef {
    run_at(name, args, types, ret, 0)
}

pub(crate) fn run_at(
    name: &str,
    args: &[Datum],
    types: &[KType],
    ret: KType,
    now: i64,
) -> ArrayRef {
    let rows = rows_of(args);
    let ctx = KernelContext {
        rows,
        now,
        arg_types: types,
        return_type: ret,
    };
    let k = super::kernel(name).unwrap_or_else(|| panic!("no kernel {name}"));
    let out = k(args, &ctx).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(out.len(), rows, "{name}: wrong row count");
    assert_eq!(out.data_type(), &ret.arrow_type(), "{name}: wrong type");
    out
}

/// Checks the registry's return type agrees with the test's expectation.
pub(crate) fn rt(name: &str, types: &[KType]) -> KType {
    let f =
        iishunt_plan::functions::lookup_scalar(name).unwrap_or_else(|| panic!("no entry {name}"));
    (f.return_type)(types).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Runs with the registry's return type.
pub(crate) fn call(name: &str, args: &[Datum], types: &[KType]) -> ArrayRef {
    run(name, args, types, rt(name, types))
}

pub(crate) fn texts(a: &ArrayRef) -> Vec<Option<String>> {
    a.as_string::<i32>()
        .iter()
        .map(|v| v.map(str::to_string))
        .collect()
}
pub(crate) fn longs(a: &ArrayRef) -> Vec<Option<i64>> {
    a.as_primitive::<Int64Type>().iter().collect()
}
pub(crate) fn ints(a: &ArrayRef) -> Vec<Option<i32>> {
    a.as_primitive::<Int32Type>().iter().collect()
}
pub(crate) fn reals(a: &ArrayRef) -> Vec<Option<f64>> {
    a.as_primitive::<Float64Type>().iter().collect()
}
pub(crate) fn bools_of(a: &ArrayRef) -> Vec<Option<bool>> {
    a.as_boolean().iter().collect()
}
pub(crate) fn dts(a: &ArrayRef) -> Vec<Option<i64>> {
    a.as_primitive::<TimestampMicrosecondType>()
        .iter()
        .collect()
}
pub(crate) fn spans(a: &ArrayRef) -> Vec<Option<i64>> {
    a.as_primitive::<DurationMicrosecondType>().iter().collect()
}
