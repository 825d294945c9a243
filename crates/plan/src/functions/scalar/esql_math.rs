//! ES|QL's math functions beyond Kusto's: constants (`E`, `PI`, `TAU`),
//! trigonometry, `CBRT`, `HYPOT`, `SIGNUM`, `COPY_SIGN`, `SCALB`, the
//! two-argument `LOG`, `POW` whose non-finite results are null, `ROUND_TO`,
//! and `GREATEST`/`LEAST` that are null when any argument is null. Entries are
//! `esql_<name>` so KQL's own `log`, `pow`, … keep their meaning.

use super::sig::{check, P};
use super::unaliased as f;
use super::{ScalarFamily, ScalarFunction};
use crate::functions::Arity;
use crate::types::KType;

pub(super) const FAMILY: ScalarFamily = ScalarFamily {
    title: "ES|QL math functions",
    intro: "Math functions with Elasticsearch's semantics, for ES|QL queries (names are case-insensitive there; internally each is `esql_<name>`). As in Elasticsearch, a result that is not a finite number (the log of 0, the root of a negative number, an overflowing power) is null.",
    functions: FUNCTIONS,
};

fn real0_rt(a: &[KType]) -> Result<KType, String> {
    if a.is_empty() {
        Ok(KType::Real)
    } else {
        Err("this function takes no arguments".into())
    }
}

fn real1_rt(a: &[KType]) -> Result<KType, String> {
    check("this function", a, &[P::Num], None)?;
    Ok(KType::Real)
}

/// A double, or a multi-value of doubles for a multi-value.
fn per_value_real_rt(a: &[KType]) -> Result<KType, String> {
    check("this function", a, &[P::Num], None)?;
    Ok(if a.first() == Some(&KType::Dynamic) {
        KType::Dynamic
    } else {
        KType::Real
    })
}

fn real2_rt(a: &[KType]) -> Result<KType, String> {
    check("this function", a, &[P::Num, P::Num], None)?;
    Ok(KType::Real)
}

fn scalb_rt(a: &[KType]) -> Result<KType, String> {
    check("scalb", a, &[P::Num, P::Int], None)?;
    Ok(KType::Real)
}

/// The magnitude's type: `COPY_SIGN(salary, -1.5)` stays an integer.
fn copy_sign_rt(a: &[KType]) -> Result<KType, String> {
    check("copy_sign", a, &[P::Num, P::Num], None)?;
    Ok(match a.first() {
        Some(KType::Int) => KType::Int,
        Some(KType::Long) => KType::Long,
        _ => KType::Real,
    })
}

/// The arguments' common type; a multi-value (dynamic) argument counts as
/// its numbers.
fn extreme_rt(a: &[KType]) -> Result<KType, String> {
    let mut acc: Option<KType> = None;
    for &t in a {
        if t == KType::Dynamic {
            continue;
        }
        acc = Some(match acc {
            None => t,
            Some(x) if x == t => x,
            Some(x) if x.is_numeric() && t.is_numeric() => {
                KType::numeric_join(x, t).unwrap_or(KType::Real)
            }
            Some(x) if x.is_stringy() && t.is_stringy() => KType::String,
            Some(x) => {
                return Err(format!(
                    "greatest/least need values of one type, got {x} and {t}"
                ))
            }
        });
    }
    Ok(acc.unwrap_or(KType::Dynamic))
}

/// `ROUND_TO(field, points…)`: the field's and the points' common type.
fn round_to_rt(a: &[KType]) -> Result<KType, String> {
    match a.first() {
        Some(KType::DateTime) => Ok(KType::DateTime),
        Some(t) if t.is_numeric() => extreme_rt(a),
        Some(t) => Err(format!("round_to rounds a number or a date, got {t}")),
        None => Err("round_to takes a field and rounding points".into()),
    }
}

pub(super) const FUNCTIONS: &[ScalarFunction] = &[
    f("esql_e", Arity::exact(0), real0_rt, "Euler's number.", "E()"),
    f("esql_pi", Arity::exact(0), real0_rt, "Pi.", "PI()"),
    f("esql_tau", Arity::exact(0), real0_rt, "Tau, two pi.", "TAU()"),
    f("esql_sin", Arity::exact(1), real1_rt, "The sine of an angle in radians.", "SIN(a)"),
    f("esql_cos", Arity::exact(1), real1_rt, "The cosine of an angle in radians.", "COS(a)"),
    f("esql_tan", Arity::exact(1), real1_rt, "The tangent of an angle in radians.", "TAN(a)"),
    f("esql_asin", Arity::exact(1), real1_rt, "The arcsine in radians (null outside -1..1).", "ASIN(a)"),
    f("esql_acos", Arity::exact(1), real1_rt, "The arccosine in radians (null outside -1..1).", "ACOS(a)"),
    f("esql_atan", Arity::exact(1), real1_rt, "The arctangent in radians.", "ATAN(a)"),
    f("esql_atan2", Arity::exact(2), real2_rt, "`ATAN2(y, x)`: the angle of the point (x, y) in radians.", "ATAN2(y, x)"),
    f("esql_sinh", Arity::exact(1), real1_rt, "The hyperbolic sine.", "SINH(a)"),
    f("esql_cosh", Arity::exact(1), real1_rt, "The hyperbolic cosine.", "COSH(a)"),
    f("esql_tanh", Arity::exact(1), real1_rt, "The hyperbolic tangent.", "TANH(a)"),
    f("esql_cbrt", Arity::exact(1), real1_rt, "The cube root.", "CBRT(d)"),
    f("esql_exp", Arity::exact(1), real1_rt, "e raised to the value (null when not finite).", "EXP(d)"),
    f("esql_sqrt", Arity::exact(1), real1_rt, "The square root (null for a negative number).", "SQRT(d)"),
    f("esql_hypot", Arity::exact(2), real2_rt, "`HYPOT(a, b)`: the hypotenuse, sqrt(a² + b²).", "HYPOT(a, b)"),
    f("esql_signum", Arity::exact(1), real1_rt, "-1.0, 0.0 or 1.0, the sign of the number.", "SIGNUM(d)"),
    f("esql_copy_sign", Arity::exact(2), copy_sign_rt, "`COPY_SIGN(magnitude, sign)`: the magnitude with the sign of the second number.", "COPY_SIGN(salary, -1)"),
    f("esql_scalb", Arity::exact(2), scalb_rt, "`SCALB(d, n)`: d × 2ⁿ.", "SCALB(3.0, 10)"),
    f("esql_log", Arity::range(1, 2), real2_or_1_rt, "`LOG([base,] value)`: the logarithm to a base (e by default); null for a value or base ≤ 0 and for base 1.", "LOG(2, 8)"),
    f("esql_log10", Arity::exact(1), real1_rt, "The base-10 logarithm (null for a value ≤ 0).", "LOG10(d)"),
    f("esql_pow", Arity::exact(2), real2_rt, "`POW(base, exponent)`; null when the result is not a finite number.", "POW(2, 10)"),
    f("esql_to_degrees", Arity::exact(1), per_value_real_rt, "Radians to degrees (each value of a multi-value).", "TO_DEGREES(rad)"),
    f("esql_to_radians", Arity::exact(1), per_value_real_rt, "Degrees to radians (each value of a multi-value).", "TO_RADIANS(deg)"),
    f("esql_greatest", Arity::at_least(1), extreme_rt, "The largest value of the arguments (and of their multi-values); null if any is null.", "GREATEST(a, b)"),
    f("esql_least", Arity::at_least(1), extreme_rt, "The smallest value of the arguments (and of their multi-values); null if any is null.", "LEAST(a, b)"),
    f("esql_round_to", Arity::at_least(2), round_to_rt, "`ROUND_TO(field, p1, p2, …)`: rounds down to the largest point not above the value (the smallest point when below all).", "ROUND_TO(bytes, 0, 1024, 1048576)"),
];

fn real2_or_1_rt(a: &[KType]) -> Result<KType, String> {
    check("log", a, &[P::Num, P::Num], None)?;
    Ok(KType::Real)
}
