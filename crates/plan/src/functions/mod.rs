//! The function registry: functions are data (DataFusion's habit). One entry per
//! function with its name, aliases, arity, return-type rule and user docs. The
//! binder resolves calls here, `docs/functions.md` and REPL completion are
//! generated from it, and did-you-mean draws candidates from it. The kernels that
//! compute scalar functions live in `iishunt-exec` (`functions/`), keyed by the
//! canonical name; a test there checks every scalar entry has one.
//!
//! Operators are functions too, with internal names starting `__` (`__eq`,
//! `__add`, `__has`, …): the binder lowers `a == b` to `__eq(a, b)` so the
//! executor has one way to evaluate everything.

pub mod aggregate;
pub mod esql_catalog;
pub mod scalar;

pub use aggregate::{aggregate_functions, lookup_aggregate, AggregateFunction};
pub use scalar::{lookup_scalar, scalar_functions, ScalarFunction};

use crate::types::KType;

/// How many arguments a function takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arity {
    pub min: usize,
    /// `None`: any number (variadic).
    pub max: Option<usize>,
}

impl Arity {
    pub const fn exact(n: usize) -> Arity {
        Arity {
            min: n,
            max: Some(n),
        }
    }
    pub const fn range(min: usize, max: usize) -> Arity {
        Arity {
            min,
            max: Some(max),
        }
    }
    pub const fn at_least(min: usize) -> Arity {
        Arity { min, max: None }
    }
    pub fn accepts(self, n: usize) -> bool {
        n >= self.min && self.max.is_none_or(|m| n <= m)
    }
}

/// Computes the return type from the argument types, or says in words why the
/// arguments don't fit (the binder puts the message at the call's span).
pub type ReturnTypeFn = fn(&[KType]) -> Result<KType, String>;
