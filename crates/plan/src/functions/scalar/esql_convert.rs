//! ES|QL type conversions with Elasticsearch's rules (`TO_BOOLEAN`,
//! `TO_INTEGER`, `TO_DOUBLE`, and the return types of `TO_STRING`,
//! `TO_LONG`, `TO_DATETIME` in `esql.rs`): a multi-value converts each value
//! and stays a multi-value (dynamic); a value that does not convert is null.

use super::{ScalarFamily, ScalarFunction};
use crate::functions::Arity;
use crate::types::KType;

pub(super) const FAMILY: ScalarFamily = ScalarFamily {
    title: "ES|QL conversion functions",
    intro: "Conversions with Elasticsearch's rules, for ES|QL queries (internally `esql_<name>`). Each value of a multi-value is converted; a value that does not convert is null (Elasticsearch also warns).",
    functions: FUNCTIONS,
};

/// `ty`, or dynamic for a multi-value argument.
pub(super) fn per_value(a: &[KType], ty: KType) -> Result<KType, String> {
    match a {
        [KType::Dynamic] => Ok(KType::Dynamic),
        [_] => Ok(ty),
        _ => Err("this conversion takes one value".into()),
    }
}

fn bool_rt(a: &[KType]) -> Result<KType, String> {
    per_value(a, KType::Bool)
}
fn int_rt(a: &[KType]) -> Result<KType, String> {
    per_value(a, KType::Int)
}
fn real_rt(a: &[KType]) -> Result<KType, String> {
    per_value(a, KType::Real)
}

const fn f(
    name: &'static str,
    return_type: crate::functions::ReturnTypeFn,
    doc: &'static str,
    example: &'static str,
) -> ScalarFunction {
    ScalarFunction {
        name,
        aliases: &[],
        arity: Arity::exact(1),
        return_type,
        volatile: false,
        doc,
        example,
    }
}

pub(super) const FUNCTIONS: &[ScalarFunction] = &[
    f("esql_to_boolean", bool_rt, "Text `true` in any case is true, any other text false; the number 0 is false, other numbers true.", "TO_BOOLEAN(\"TRuE\")"),
    f("esql_to_integer", int_rt, "A 32-bit integer: text is read as a number and truncated, a date gives milliseconds; out of range is null.", "TO_INTEGER(\"42\")"),
    f("esql_to_double", real_rt, "A double: text is read as a number, true is 1.0, a date gives milliseconds.", "TO_DOUBLE(\"5.20128E11\")"),
];
