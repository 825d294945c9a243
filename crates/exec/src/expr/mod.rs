//! Vectorised evaluation of bound expressions over Arrow batches.

mod dictionary;
mod eval;

pub use eval::{decode as decode_array, evaluate, evaluate_constant, evaluate_predicate};
