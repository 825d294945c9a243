//! Aggregate functions (`summarize`, `STATS`): one entry per function.

use super::{Arity, ReturnTypeFn};

pub struct AggregateFunction {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub arity: Arity,
    pub return_type: ReturnTypeFn,
    /// How Kusto names an unnamed aggregate: `count()` → `count_`,
    /// `make_set(x)` → `set_x`, `sum(x)` → `sum_x`. `{}` is the first
    /// argument's column name; without `{}` the name is fixed.
    pub column_name: &'static str,
    pub doc: &'static str,
    pub example: &'static str,
}

pub fn aggregate_functions() -> &'static [AggregateFunction] {
    &[]
}

pub fn lookup_aggregate(name: &str) -> Option<&'static AggregateFunction> {
    aggregate_functions().iter().find(|f| f.name == name || f.aliases.contains(&name))
}
