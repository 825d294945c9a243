//! Operators as functions: the binder lowers `a == b` to `__eq(a, b)`, `x has
//! "y"` to `__has(x, "y")`, `!has` to `__not(__has(…))`, `x in (…)` to `__in`,
//! `d[0]` to `__index` and `d.name` to `__member`. Internal names start `__` and
//! are left out of the docs (docs/semantics.md "Operators" describes them).

use super::sig::{check, P};
use super::{ScalarFamily, ScalarFunction};
use crate::functions::Arity;
use crate::types::KType;

pub(super) const FAMILY: ScalarFamily = ScalarFamily {
    title: "Operators",
    intro: "Comparison, arithmetic, logical and string operators.",
    functions: FUNCTIONS,
};

/// Which operand pairs a comparison handles (the binder converts the rest).
pub(crate) fn comparable(a: KType, b: KType) -> bool {
    (a.is_numeric() && b.is_numeric())
        || ((a.is_stringy() || a == KType::Dynamic) && (b.is_stringy() || b == KType::Dynamic))
        || (a == b && matches!(a, KType::DateTime | KType::TimeSpan | KType::Bool))
}

fn cmp_rt(args: &[KType]) -> Result<KType, String> {
    match args {
        [a, b] if comparable(*a, *b) => Ok(KType::Bool),
        [a, b] => Err(format!("cannot compare {a} with {b}")),
        _ => Err("a comparison takes two values".into()),
    }
}

fn text2_rt(args: &[KType]) -> Result<KType, String> {
    check("this operator", args, &[P::Text, P::Text], None)?;
    Ok(KType::Bool)
}

fn arith(op: &str, a: KType, b: KType) -> Result<KType, String> {
    use KType::*;
    if let Some(t) = KType::numeric_join(a, b) {
        return Ok(if t == Decimal { Real } else { t });
    }
    let r = match (op, a, b) {
        ("+", DateTime, TimeSpan) | ("+", TimeSpan, DateTime) | ("-", DateTime, TimeSpan) => {
            DateTime
        }
        ("-", DateTime, DateTime) => TimeSpan,
        ("+" | "-", TimeSpan, TimeSpan) => TimeSpan,
        ("*", TimeSpan, n) | ("*", n, TimeSpan) if n.is_numeric() => TimeSpan,
        ("/", TimeSpan, n) if n.is_numeric() => TimeSpan,
        ("/", TimeSpan, TimeSpan) => Real,
        ("%", TimeSpan, TimeSpan) => TimeSpan,
        _ => return Err(format!("cannot compute {a} {op} {b}")),
    };
    Ok(r)
}

fn add_rt(a: &[KType]) -> Result<KType, String> {
    two(a).and_then(|(x, y)| arith("+", x, y))
}
fn sub_rt(a: &[KType]) -> Result<KType, String> {
    two(a).and_then(|(x, y)| arith("-", x, y))
}
fn mul_rt(a: &[KType]) -> Result<KType, String> {
    two(a).and_then(|(x, y)| arith("*", x, y))
}
fn div_rt(a: &[KType]) -> Result<KType, String> {
    two(a).and_then(|(x, y)| arith("/", x, y))
}
fn mod_rt(a: &[KType]) -> Result<KType, String> {
    two(a).and_then(|(x, y)| arith("%", x, y))
}

fn two(a: &[KType]) -> Result<(KType, KType), String> {
    match a {
        [x, y] => Ok((*x, *y)),
        _ => Err("an arithmetic operator takes two values".into()),
    }
}

fn neg_rt(a: &[KType]) -> Result<KType, String> {
    match a {
        [KType::Decimal] => Ok(KType::Real),
        [t] if t.is_numeric() || *t == KType::TimeSpan => Ok(*t),
        [t] => Err(format!("cannot negate {t}")),
        _ => Err("`-` takes one value".into()),
    }
}

fn bool_rt(a: &[KType]) -> Result<KType, String> {
    check("a logical operator", a, &[], Some(P::Bool))?;
    Ok(KType::Bool)
}

fn in_rt(a: &[KType]) -> Result<KType, String> {
    let Some((&x, list)) = a.split_first() else {
        return Err("`in` needs a value".into());
    };
    for &t in list {
        let ok = t == KType::Dynamic
            || t == x
            || (x.is_numeric() && (t.is_numeric() || t.is_stringy()))
            || (x.is_stringy() && (t.is_stringy() || t.is_numeric() || t == KType::Bool))
            || (x == KType::Dynamic && t != KType::Dynamic)
            || (matches!(x, KType::DateTime | KType::TimeSpan | KType::Bool) && t.is_stringy());
        if !ok {
            return Err(format!("cannot look for a {x} value in a list holding {t}"));
        }
    }
    Ok(KType::Bool)
}

fn index_rt(a: &[KType]) -> Result<KType, String> {
    check("indexing", a, &[P::Dyn, P::Any], None)?;
    Ok(KType::Dynamic)
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

const TWO: Arity = Arity::exact(2);

pub(super) const FUNCTIONS: &[ScalarFunction] = &[
    op("__eq", TWO, cmp_rt),
    op("__neq", TWO, cmp_rt),
    op("__lt", TWO, cmp_rt),
    op("__le", TWO, cmp_rt),
    op("__gt", TWO, cmp_rt),
    op("__ge", TWO, cmp_rt),
    op("__eq_ci", TWO, text2_rt),
    op("__neq_ci", TWO, text2_rt),
    op("__add", TWO, add_rt),
    op("__sub", TWO, sub_rt),
    op("__mul", TWO, mul_rt),
    op("__div", TWO, div_rt),
    op("__mod", TWO, mod_rt),
    op("__neg", Arity::exact(1), neg_rt),
    op("__not", Arity::exact(1), bool_rt),
    op("__and", TWO, bool_rt),
    op("__or", TWO, bool_rt),
    op("__has", TWO, text2_rt),
    op("__has_cs", TWO, text2_rt),
    op("__hasprefix", TWO, text2_rt),
    op("__hasprefix_cs", TWO, text2_rt),
    op("__hassuffix", TWO, text2_rt),
    op("__hassuffix_cs", TWO, text2_rt),
    op("__contains", TWO, text2_rt),
    op("__contains_cs", TWO, text2_rt),
    op("__startswith", TWO, text2_rt),
    op("__startswith_cs", TWO, text2_rt),
    op("__endswith", TWO, text2_rt),
    op("__endswith_cs", TWO, text2_rt),
    op("__matches_regex", TWO, text2_rt),
    op("__like", TWO, text2_rt),
    op("__rlike", TWO, text2_rt),
    op("__in", Arity::at_least(1), in_rt),
    op("__in_ci", Arity::at_least(1), in_rt),
    op("__has_any", Arity::at_least(1), in_rt_text),
    op("__has_all", Arity::at_least(1), in_rt_text),
    op("__index", TWO, index_rt),
    op("__member", TWO, index_rt),
];

fn in_rt_text(a: &[KType]) -> Result<KType, String> {
    check("has_any", a, &[], Some(P::Any))?;
    Ok(KType::Bool)
}
