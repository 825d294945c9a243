//! ES|QL's operator semantics where they differ from Kusto's (internal
//! `__esql_…` names, left out of the docs): integer `+ - *` and negation
//! that give null on overflow instead of wrapping; a comparison that is null
//! when either side is null; `IN` that is null when nothing matched and the
//! list holds a null. The ES|QL binder routes operators here.

use super::{ScalarFamily, ScalarFunction};
use crate::functions::{lookup_scalar, Arity};
use crate::types::KType;

pub(super) const FAMILY: ScalarFamily = ScalarFamily {
    title: "ES|QL operators",
    intro: "Internal: ES|QL's null-on-overflow arithmetic and three-valued comparisons.",
    functions: FUNCTIONS,
};

/// The return type of the Kusto operator `name` for these arguments.
fn as_kusto(name: &str, a: &[KType]) -> Result<KType, String> {
    let f = lookup_scalar(name).ok_or_else(|| format!("no `{name}` (this is a bug)"))?;
    (f.return_type)(a)
}

fn add_rt(a: &[KType]) -> Result<KType, String> {
    as_kusto("__add", a)
}
fn sub_rt(a: &[KType]) -> Result<KType, String> {
    as_kusto("__sub", a)
}
fn mul_rt(a: &[KType]) -> Result<KType, String> {
    as_kusto("__mul", a)
}
fn neg_rt(a: &[KType]) -> Result<KType, String> {
    as_kusto("__neg", a)
}

fn first_rt(a: &[KType]) -> Result<KType, String> {
    a.first()
        .copied()
        .ok_or_else(|| "expects a result first (this is a bug)".into())
}

fn bool_rt(a: &[KType]) -> Result<KType, String> {
    match a.first() {
        Some(KType::Bool) => Ok(KType::Bool),
        _ => Err("expects a comparison result first (this is a bug)".into()),
    }
}

const fn op(
    name: &'static str,
    arity: Arity,
    return_type: crate::functions::ReturnTypeFn,
) -> ScalarFunction {
    ScalarFunction {
        name,
        aliases: &[],
        arity,
        return_type,
        volatile: false,
        doc: "",
        example: "",
    }
}

pub(super) const FUNCTIONS: &[ScalarFunction] = &[
    op("__esql_add", Arity::exact(2), add_rt),
    op("__esql_sub", Arity::exact(2), sub_rt),
    op("__esql_mul", Arity::exact(2), mul_rt),
    op("__esql_neg", Arity::exact(1), neg_rt),
    // (result, args…): null where a dynamic argument holds several values.
    op("__esql_single", Arity::at_least(1), first_rt),
    // (result, left, right): null where either side is null.
    op("__esql_strict", Arity::exact(3), bool_rt),
    // (result, x, items…): null where x is null, or nothing matched and an item is null.
    op("__esql_in3", Arity::at_least(2), bool_rt),
];
