//! Choosing values and testing for null/empty: `iff`, `case`, `coalesce`,
//! `isnull`, `isempty`, `not`. Kusto strings are never null, so `isempty` is the
//! test hunters want on text; `isnull` looks at real nulls (ES|QL's `IS NULL`).

use super::sig::{common_type, sig};
use super::{ScalarFamily, ScalarFunction};
use crate::functions::Arity;
use crate::types::KType;

pub(super) const FAMILY: ScalarFamily = ScalarFamily {
    title: "Conditionals and nulls",
    intro: "Pick a value by condition, fall back on nulls, test for null or empty.",
    functions: FUNCTIONS,
};

fn iff_rt(a: &[KType]) -> Result<KType, String> {
    match a {
        [c, x, y] => {
            if !matches!(c, KType::Bool | KType::Dynamic) {
                return Err(format!("iff expects a bool condition first, got {c}"));
            }
            common_type("iff", &[*x, *y])
        }
        _ => Err("iff takes a condition and two values".into()),
    }
}

fn case_rt(a: &[KType]) -> Result<KType, String> {
    if a.len() < 3 || a.len() % 2 == 0 {
        return Err(
            "case takes pairs of condition and value, then a value for when no condition holds"
                .into(),
        );
    }
    case_types("case", a)
}

fn case_types(name: &str, a: &[KType]) -> Result<KType, String> {
    let mut values = Vec::new();
    for (i, t) in a.iter().enumerate() {
        let is_cond = i % 2 == 0 && i + 1 < a.len();
        if is_cond {
            if !matches!(t, KType::Bool | KType::Dynamic) {
                return Err(format!(
                    "{name} expects a bool condition as argument {}, got {t}",
                    i + 1
                ));
            }
        } else {
            values.push(*t);
        }
    }
    common_type(name, &values)
}

/// ES|QL `CASE`: the final "else" value is optional (null when absent).
pub(super) fn esql_case_rt(a: &[KType]) -> Result<KType, String> {
    if a.len() < 2 {
        return Err("case takes pairs of condition and value".into());
    }
    case_types("case", a)
}

fn coalesce_rt(a: &[KType]) -> Result<KType, String> {
    common_type("coalesce", a)
}

sig!(isnull_rt, "isnull", [Any] => Bool);
sig!(isempty_rt, "isempty", [Any] => Bool);
sig!(not_rt, "not", [Bool] => Bool);

pub(super) const FUNCTIONS: &[ScalarFunction] = &[
    ScalarFunction {
        name: "iff",
        aliases: &["iif"],
        arity: Arity::exact(3),
        return_type: iff_rt,
        volatile: false,
        doc: "The second argument when the condition is true, else the third. A null condition counts as false.",
        example: "iff(DomainIndex != -1, substring(Computer, DomainIndex + 1), Computer)",
    },
    ScalarFunction {
        name: "case",
        aliases: &[],
        arity: Arity::at_least(3),
        return_type: case_rt,
        volatile: false,
        doc: "`case(cond1, value1, cond2, value2, …, else)`: the value of the first condition that holds, else the last argument. Null conditions count as false.",
        example: "case(scStatus == \"401\", \"denied\", scStatus == \"403\", \"forbidden\", \"other\")",
    },
    ScalarFunction {
        name: "coalesce",
        aliases: &[],
        arity: Arity::at_least(1),
        return_type: coalesce_rt,
        volatile: false,
        doc: "The first argument that is not null (for strings: not null and not empty, as Kusto).",
        example: "coalesce(csReferer, \"(none)\")",
    },
    ScalarFunction {
        name: "isnull",
        aliases: &[],
        arity: Arity::exact(1),
        return_type: isnull_rt,
        volatile: false,
        doc: "True when the value is null. Kusto strings are rarely null (absent IIS fields are `-`): use `isempty` for text.",
        example: "isnull(RemoteIPLatitude)",
    },
    ScalarFunction {
        name: "isnotnull",
        aliases: &[],
        arity: Arity::exact(1),
        return_type: isnull_rt,
        volatile: false,
        doc: "True when the value is not null.",
        example: "isnotnull(RemoteIPLatitude)",
    },
    ScalarFunction {
        name: "isempty",
        aliases: &[],
        arity: Arity::exact(1),
        return_type: isempty_rt,
        volatile: false,
        doc: "True when the value is null or the empty string.",
        example: "isempty(csUriQuery)",
    },
    ScalarFunction {
        name: "isnotempty",
        aliases: &["notempty"],
        arity: Arity::exact(1),
        return_type: isempty_rt,
        volatile: false,
        doc: "True when the value is neither null nor the empty string.",
        example: "isnotempty(csReferer)",
    },
    ScalarFunction {
        name: "not",
        aliases: &[],
        arity: Arity::exact(1),
        return_type: not_rt,
        volatile: false,
        doc: "Logical negation; `not(null)` is null.",
        example: "not(csUriStem startswith \"/api\")",
    },
];
