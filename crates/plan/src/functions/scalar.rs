//! Scalar functions: one entry per function, in the order of docs/functions.md.

use super::{Arity, ReturnTypeFn};

/// A scalar function as the binder and the docs see it. Its kernel is in
/// `iishunt-exec`, keyed by `name`.
pub struct ScalarFunction {
    /// The canonical (current Kusto) name.
    pub name: &'static str,
    /// Old or ES|QL names resolved to this entry (`arraylength`, `to_lower`, …).
    pub aliases: &'static [&'static str],
    pub arity: Arity,
    pub return_type: ReturnTypeFn,
    /// `now()`, `rand()`: not folded or evaluated per dictionary value.
    pub volatile: bool,
    /// One paragraph for docs/functions.md and the REPL.
    pub doc: &'static str,
    /// A short usage example, e.g. `strcat(scStatus, ".", scSubStatus)`.
    pub example: &'static str,
}

/// Every scalar function, operators (names starting `__`) included.
pub fn scalar_functions() -> &'static [ScalarFunction] {
    &[]
}

/// The entry whose name or alias is `name` (case-sensitive, as Kusto).
pub fn lookup_scalar(name: &str) -> Option<&'static ScalarFunction> {
    scalar_functions().iter().find(|f| f.name == name || f.aliases.contains(&name))
}
