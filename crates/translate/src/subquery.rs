//! Subqueries (`x in (T)`, `toscalar(T)`). iishunt's binder computes them
//! while planning and puts their values into the plan as constants; for SQL
//! that would bake this machine's answer into a hunt meant to run elsewhere.
//! So the facade binds with a subquery runner that records each subquery's
//! plan and answers with a [`placeholder`] constant that no real query
//! produces; the translator turns each placeholder back into a SQL
//! subquery. The facade's folder refuses to fold expressions holding one
//! (a folded `5 * Typical` would lose it), and after translation every
//! placeholder must have been met and none may be left in the SQL text:
//! otherwise the translation is refused rather than wrong.

use std::cell::Cell;

use iishunt_plan::expr::BoundExpr;
use iishunt_plan::logical::LogicalPlan;
use iishunt_plan::types::{KType, ScalarValue};

/// A subquery the binder asked for, and the constant that stands for it.
#[derive(Debug, Clone)]
pub struct Subquery {
    pub placeholder: ScalarValue,
    pub plan: LogicalPlan,
}

const LONG_BASE: i64 = -9_100_000_000_000_000_000;
const INT_BASE: i32 = -2_147_000_000;

/// The `k`-th placeholder of a subquery whose first column is a `ty`;
/// `None` for types that have no unmistakable constant.
pub fn placeholder(ty: KType, k: usize) -> Option<ScalarValue> {
    let k64 = i64::try_from(k).ok()?;
    Some(match ty {
        KType::String | KType::Guid | KType::Dynamic => ScalarValue::String(marker(k)),
        KType::Long => ScalarValue::Long(LONG_BASE + k64),
        KType::TimeSpan => ScalarValue::TimeSpan(LONG_BASE + k64),
        KType::DateTime => ScalarValue::DateTime(LONG_BASE + k64),
        KType::Int => ScalarValue::Int(INT_BASE + i32::try_from(k).ok()?),
        KType::Real | KType::Decimal => {
            ScalarValue::Real(-1.234_567_891_234_5e-300 * (k64 + 1) as f64)
        }
        KType::Bool => return None,
    })
}

fn marker(k: usize) -> String {
    format!("\u{1}iishunt-subquery-{k}\u{1}")
}

/// Texts that betray a placeholder left in SQL (as a number or a marker).
pub fn residue(v: &ScalarValue) -> String {
    match v {
        ScalarValue::String(s) => s.clone(),
        ScalarValue::Long(i) | ScalarValue::TimeSpan(i) | ScalarValue::DateTime(i) => i.to_string(),
        ScalarValue::Int(i) => i.to_string(),
        other => format!("{other:?}"),
    }
}

/// Whether `e` holds one of the placeholders.
pub fn holds_placeholder(e: &BoundExpr, placeholders: &[ScalarValue]) -> bool {
    match e {
        BoundExpr::Literal(v) => placeholders.iter().any(|p| matches_placeholder(v, p)),
        BoundExpr::Column { .. } => false,
        BoundExpr::Call { args, .. } => args.iter().any(|a| holds_placeholder(a, placeholders)),
    }
}

/// `v` is the placeholder `p`, or the one-element array `in (T)` makes of it.
pub fn matches_placeholder(v: &ScalarValue, p: &ScalarValue) -> bool {
    if v == p {
        return true;
    }
    let ScalarValue::Dynamic(serde_json::Value::Array(items)) = v else {
        return false;
    };
    let [item] = items.as_slice() else {
        return false;
    };
    match (item, p) {
        (serde_json::Value::String(s), ScalarValue::String(m)) => s == m,
        (serde_json::Value::Number(n), ScalarValue::Long(i) | ScalarValue::TimeSpan(i)) => {
            n.as_i64() == Some(*i)
        }
        (serde_json::Value::Number(n), ScalarValue::Int(i)) => n.as_i64() == Some(i64::from(*i)),
        _ => false,
    }
}

/// A translated subquery: its placeholder, the SQL of its first column, and
/// whether the translation met it.
pub struct SubquerySql {
    pub placeholder: ScalarValue,
    /// `SELECT "col" FROM (…) AS s`.
    pub sql: String,
    pub used: Cell<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_recognised_alone_and_in_lists() {
        let p = placeholder(KType::String, 0).expect("string");
        let list = ScalarValue::Dynamic(serde_json::json!([marker(0)]));
        assert!(matches_placeholder(&list, &p));
        assert!(!matches_placeholder(&ScalarValue::String("x".into()), &p));
        let l = placeholder(KType::Long, 2).expect("long");
        assert!(matches_placeholder(
            &ScalarValue::Dynamic(serde_json::json!([LONG_BASE + 2])),
            &l
        ));
        assert_eq!(placeholder(KType::Bool, 0), None);
    }
}
