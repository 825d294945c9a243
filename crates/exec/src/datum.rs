//! A function argument: a whole column, or one constant for every row.
//!
//! Kernels receive plain (never dictionary-encoded) arrays: the expression
//! evaluator either runs a function on a dictionary's distinct values or
//! decodes the column first.

use arrow::array::{new_null_array, ArrayRef};
use iishunt_plan::types::{KType, ScalarValue};

use crate::error::Result;
use crate::scalar::scalar_to_array;

#[derive(Debug, Clone)]
pub enum Datum {
    Array(ArrayRef),
    Scalar(ScalarValue),
}

impl Datum {
    /// The value as an array of `rows` rows (a constant is repeated).
    pub fn to_array(&self, rows: usize) -> Result<ArrayRef> {
        match self {
            Datum::Array(a) => Ok(a.clone()),
            Datum::Scalar(s) => scalar_to_array(s, rows),
        }
    }

    pub fn as_scalar(&self) -> Option<&ScalarValue> {
        match self {
            Datum::Scalar(s) => Some(s),
            Datum::Array(_) => None,
        }
    }
}

/// What a kernel knows besides its arguments.
pub struct KernelContext<'a> {
    /// Rows in the batch (the length of the result).
    pub rows: usize,
    /// `now()` for this query, microseconds since the epoch (UTC).
    pub now: i64,
    /// The bound types of the arguments.
    pub arg_types: &'a [KType],
    /// The bound result type: the kernel's array must have `return_type.arrow_type()`.
    pub return_type: KType,
}

/// A scalar function's implementation: one result row per input row.
pub type Kernel = fn(&[Datum], &KernelContext) -> Result<ArrayRef>;

/// An all-null column of a type.
pub fn null_array(ty: KType, rows: usize) -> ArrayRef {
    new_null_array(&ty.arrow_type(), rows)
}
