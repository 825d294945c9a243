//! Numbers: rounding into bins (`bin`/`floor`, `bin_at` — also for datetimes
//! and timespans), `abs`, `round`, logarithms, `pow`, `min_of`/`max_of`, NaN
//! tests.

use super::sig::{check, common_type, sig, P};
use super::{ScalarFamily, ScalarFunction};
use crate::functions::Arity;
use crate::types::KType;

pub(super) const FAMILY: ScalarFamily = ScalarFamily {
    title: "Numbers and bins",
    intro: "Arithmetic helpers. `bin` rounds numbers, datetimes and timespans down to a multiple of a bin size.",
    functions: FUNCTIONS,
};

fn bin_type(name: &str, v: KType, size: KType) -> Result<KType, String> {
    match (v, size) {
        (KType::DateTime, KType::TimeSpan) => Ok(KType::DateTime),
        (KType::TimeSpan, KType::TimeSpan) => Ok(KType::TimeSpan),
        (a, b) if a.is_numeric() && b.is_numeric() => Ok(match KType::numeric_join(a, b) {
            Some(KType::Int) => KType::Int,
            Some(KType::Long) => KType::Long,
            _ => KType::Real,
        }),
        (KType::DateTime, b) => Err(format!(
            "{name} of a datetime needs a timespan bin size like 10m, got {b}"
        )),
        (a, b) => Err(format!(
            "{name} expects a number, datetime or timespan and a bin size, got {a} and {b}"
        )),
    }
}

fn bin_rt(a: &[KType]) -> Result<KType, String> {
    match a {
        [v, s] => bin_type("bin", *v, *s),
        _ => Err("bin takes a value and a bin size".into()),
    }
}

fn bin_at_rt(a: &[KType]) -> Result<KType, String> {
    match a {
        [v, s, f] if f == v || (f.is_numeric() && v.is_numeric()) => bin_type("bin_at", *v, *s),
        [v, _, f] => Err(format!(
            "bin_at's fixed point must be a {v} like the value, got {f}"
        )),
        _ => Err("bin_at takes a value, a bin size and a fixed point".into()),
    }
}

/// Same type as the argument (integers stay integers), reals for decimals.
fn same_num_rt(a: &[KType]) -> Result<KType, String> {
    check("this function", a, &[P::Num], Some(P::Num))?;
    Ok(match a.first() {
        Some(KType::Int) => KType::Int,
        Some(KType::Long) => KType::Long,
        _ => KType::Real,
    })
}

fn abs_rt(a: &[KType]) -> Result<KType, String> {
    if a.first() == Some(&KType::TimeSpan) {
        return Ok(KType::TimeSpan);
    }
    same_num_rt(a)
}

sig!(real1_rt, "this function", [Num] => Real);
sig!(bin2_rt, "this bitwise function", [Int, Int] => Long);
sig!(bin1_rt, "binary_not", [Int] => Long);

fn rand_rt(a: &[KType]) -> Result<KType, String> {
    check("rand", a, &[P::Int], None)?;
    Ok(if a.is_empty() {
        KType::Real
    } else {
        KType::Long
    })
}
sig!(pow_rt, "pow", [Num, Num] => Real);
sig!(atan2_rt, "atan2", [Num, Num] => Real);

fn pi_rt(_: &[KType]) -> Result<KType, String> {
    Ok(KType::Real)
}
sig!(isnan_rt, "this function", [Num] => Bool);

fn round_rt(a: &[KType]) -> Result<KType, String> {
    check("round", a, &[P::Num, P::Int], None)?;
    Ok(match a.first() {
        Some(KType::Int) => KType::Int,
        Some(KType::Long) => KType::Long,
        _ => KType::Real,
    })
}

fn min_max_rt(a: &[KType]) -> Result<KType, String> {
    let t = common_type("min_of/max_of", a)?;
    if t.is_numeric()
        || matches!(
            t,
            KType::DateTime | KType::TimeSpan | KType::String | KType::Bool
        )
    {
        Ok(if t == KType::Decimal { KType::Real } else { t })
    } else {
        Err(format!(
            "min_of/max_of compare numbers, datetimes, timespans or strings, got {t}"
        ))
    }
}

/// Never reached with values: the binder makes `bin_at` of the `set` options.
fn bin_auto_rt(_: &[KType]) -> Result<KType, String> {
    Err("bin_auto is bound with the query's set options".into())
}

/// `around(value, center, delta)`: numbers, or datetimes or timespans with a
/// timespan delta.
fn around_rt(a: &[KType]) -> Result<KType, String> {
    let [v, c, d] = a else {
        return Err("around takes a value, a center and a delta".into());
    };
    let fits = match v {
        KType::DateTime => *c == KType::DateTime && *d == KType::TimeSpan,
        KType::TimeSpan => *c == KType::TimeSpan && *d == KType::TimeSpan,
        t if t.is_numeric() => c.is_numeric() && d.is_numeric(),
        _ => false,
    };
    if fits {
        Ok(KType::Bool)
    } else {
        Err(format!(
            "around expects numbers, or a datetime or timespan with a timespan delta, got {v}, {c}, {d}"
        ))
    }
}

const fn f(
    name: &'static str,
    aliases: &'static [&'static str],
    arity: Arity,
    return_type: crate::functions::ReturnTypeFn,
    doc: &'static str,
    example: &'static str,
) -> ScalarFunction {
    ScalarFunction {
        name,
        aliases,
        arity,
        return_type,
        volatile: false,
        doc,
        example,
    }
}

pub(super) const FUNCTIONS: &[ScalarFunction] = &[
    f(
        "bin",
        &["floor"],
        Arity::exact(2),
        bin_rt,
        "Rounds down to a multiple of the bin size: numbers (`bin(TimeTaken, 100)`), datetimes (multiples since 1970-01-01, `bin(TimeGenerated, 10m)`) and timespans. A zero or null size gives null. In `summarize … by bin(TimeGenerated, 1m)` the column keeps the name `TimeGenerated`.",
        "bin(TimeGenerated, 10m)",
    ),
    f(
        "bin_at",
        &[],
        Arity::exact(3),
        bin_at_rt,
        "`bin_at(value, size, fixed_point)`: as `bin`, with bins aligned so one starts at the fixed point.",
        "bin_at(TimeGenerated, 1d, datetime(2026-03-08 06:00))",
    ),
    f("abs", &[], Arity::exact(1), abs_rt, "The absolute value.", "abs(RemoteIPLatitude)"),
    f(
        "round",
        &[],
        Arity::range(1, 2),
        round_rt,
        "Rounds half away from zero to the given number of decimals (default 0).",
        "round(avg_TimeTaken, 2)",
    ),
    f("ceiling", &[], Arity::exact(1), same_num_rt, "The smallest integer not below the value.", "ceiling(scBytes / 1024.0)"),
    f("sqrt", &[], Arity::exact(1), real1_rt, "The square root (null for negative numbers).", "sqrt(variance_x)"),
    f("exp", &[], Arity::exact(1), real1_rt, "e raised to the value.", "exp(1)"),
    f("sin", &[], Arity::exact(1), real1_rt, "The sine (radians).", "sin(pi() / 2)"),
    f("cos", &[], Arity::exact(1), real1_rt, "The cosine (radians).", "cos(0)"),
    f("tan", &[], Arity::exact(1), real1_rt, "The tangent (radians).", "tan(x)"),
    f("cot", &[], Arity::exact(1), real1_rt, "The cotangent (radians).", "cot(1)"),
    f("asin", &[], Arity::exact(1), real1_rt, "The arcsine, in radians (NaN outside -1..1).", "asin(0.5)"),
    f("acos", &[], Arity::exact(1), real1_rt, "The arccosine, in radians (NaN outside -1..1).", "acos(0.5)"),
    f("atan", &[], Arity::exact(1), real1_rt, "The arctangent, in radians.", "atan(1)"),
    f("atan2", &[], Arity::exact(2), atan2_rt, "The angle of the point (x, y) from the x axis, in radians: `atan2(y, x)`.", "atan2(1, 1)"),
    f("radians", &[], Arity::exact(1), real1_rt, "Degrees to radians.", "radians(180)"),
    f("degrees", &[], Arity::exact(1), real1_rt, "Radians to degrees.", "degrees(pi())"),
    f("pi", &[], Arity::exact(0), pi_rt, "The constant π.", "pi()"),
    f("exp2", &[], Arity::exact(1), real1_rt, "2 raised to the value.", "exp2(10)"),
    f("exp10", &[], Arity::exact(1), real1_rt, "10 raised to the value.", "exp10(3)"),
    f("log", &[], Arity::exact(1), real1_rt, "The natural logarithm (null for values ≤ 0).", "log(scBytes)"),
    f("log2", &[], Arity::exact(1), real1_rt, "The base-2 logarithm (null for values ≤ 0).", "log2(scBytes)"),
    f("log10", &[], Arity::exact(1), real1_rt, "The base-10 logarithm (null for values ≤ 0).", "log10(scBytes)"),
    f("pow", &[], Arity::exact(2), pow_rt, "`pow(base, exponent)`.", "pow(2, 10)"),
    f("sign", &[], Arity::exact(1), real1_rt, "-1, 0 or 1.", "sign(delta)"),
    f("isnan", &[], Arity::exact(1), isnan_rt, "True for NaN.", "isnan(ratio)"),
    f("isinf", &[], Arity::exact(1), isnan_rt, "True for ±infinity.", "isinf(ratio)"),
    f("isfinite", &[], Arity::exact(1), isnan_rt, "True for a number that is neither NaN nor infinite.", "isfinite(ratio)"),
    f("binary_and", &[], Arity::exact(2), bin2_rt, "Bitwise and of two integers.", "binary_and(tolong(scWin32Status), 65535)"),
    f("binary_or", &[], Arity::exact(2), bin2_rt, "Bitwise or of two integers.", "binary_or(flags, 4)"),
    f("binary_xor", &[], Arity::exact(2), bin2_rt, "Bitwise exclusive or of two integers.", "binary_xor(a, b)"),
    f("binary_not", &[], Arity::exact(1), bin1_rt, "Bitwise complement of an integer.", "binary_not(0)"),
    f(
        "binary_shift_left",
        &[],
        Arity::exact(2),
        bin2_rt,
        "Shifts the bits left (shift counts outside 0..63 give null).",
        "binary_shift_left(1, 10)",
    ),
    f(
        "binary_shift_right",
        &[],
        Arity::exact(2),
        bin2_rt,
        "Shifts the bits right, keeping the sign (counts outside 0..63 give null).",
        "binary_shift_right(1024, 3)",
    ),
    ScalarFunction {
        name: "rand",
        aliases: &[],
        arity: Arity::range(0, 1),
        return_type: rand_rt,
        volatile: true,
        doc: "A pseudo-random real in [0, 1), or with an argument N a long in [0, N). Not cryptographic; differs between runs.",
        example: "rand(100)",
    },
    f(
        "min_of",
        &["least"],
        Arity::at_least(1),
        min_max_rt,
        "The smallest argument, ignoring nulls (numbers, datetimes, timespans or strings).",
        "min_of(scBytes, 1048576)",
    ),
    f(
        "max_of",
        &["greatest"],
        Arity::at_least(1),
        min_max_rt,
        "The largest argument, ignoring nulls.",
        "max_of(TimeTaken, 0)",
    ),
    f("around", &[], Arity::exact(3), around_rt, "`around(value, center, delta)`: whether the value is within delta of the center, bounds included; numbers, or datetimes or timespans with a timespan delta.", "around(TimeTaken, 1000, 50)"),
    f("bin_auto", &[], Arity::exact(1), bin_auto_rt, "`bin_auto(x)`: `bin_at(x, size, at)` with the size of `set query_bin_auto_size=…` and the origin of `set query_bin_auto_at=…` (no origin: `bin(x, size)`), statements before the query.", "bin_auto(TimeGenerated)"),
];
