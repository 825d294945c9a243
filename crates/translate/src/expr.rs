//! Scalar expressions: a bound expression (columns by index, calls resolved
//! to registry entries, every node typed) becomes SQL text in one target.
//!
//! Kusto rules carried over:
//! - a null string reads as "" in every KQL string operator and function, so
//!   nullable text is wrapped in `coalesce(x, '')` where it is consumed;
//! - `==` on text is case-sensitive and `=~` is not; `has` matches whole
//!   terms (runs of letters, digits and non-ASCII characters), done with a
//!   regular expression over lower-cased text;
//! - integer `/` truncates; a timespan is a BIGINT of microseconds, and
//!   datetime arithmetic goes through microseconds since the epoch.
//!
//! Operators and functions with no faithful SQL form are an error naming them.

use iishunt_plan::expr::BoundExpr;
use iishunt_plan::types::{KType, ScalarValue};

use crate::dialect::Target;
use crate::error::{Result, TranslateError};
use crate::functions;

/// How a value is held in SQL beyond its Kusto type: `dynamic` values are
/// native arrays (of a known element type) or single elements of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repr {
    /// The SQL type of the Kusto type ([`Target::type_name`]).
    Plain(KType),
    /// A `dynamic` array whose elements have this type.
    Array(KType),
}

impl Repr {
    /// The scalar type a value is compared and converted as (`split(x, ".")[0]`
    /// is a dynamic holding a string: text).
    pub fn scalar(self) -> Option<KType> {
        match self {
            Repr::Plain(KType::Dynamic) => None,
            Repr::Plain(t) => Some(t),
            Repr::Array(_) => None,
        }
    }

    pub fn is_text(self) -> bool {
        matches!(self.scalar(), Some(KType::String | KType::Guid))
    }
}

impl std::fmt::Display for Repr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Repr::Plain(t) => write!(f, "{t}"),
            Repr::Array(t) => write!(f, "dynamic array of {t}"),
        }
    }
}

/// One SQL expression and what it holds.
#[derive(Debug, Clone)]
pub struct Sql {
    pub text: String,
    pub repr: Repr,
    /// False when the expression can never be null (literals, coalesced text).
    pub nullable: bool,
}

impl Sql {
    pub fn new(text: impl Into<String>, repr: Repr, nullable: bool) -> Sql {
        Sql {
            text: text.into(),
            repr,
            nullable,
        }
    }

    fn plain(text: impl Into<String>, ty: KType, nullable: bool) -> Sql {
        Sql::new(text, Repr::Plain(ty), nullable)
    }
}

/// What expressions are translated against: the input's columns (already SQL)
/// and the query's clock.
pub struct Scope<'a> {
    pub target: Target,
    pub columns: &'a [Sql],
    /// `now()` in microseconds (`--now`), or `None` for the engine's clock.
    pub now: Option<i64>,
    /// Subqueries standing behind placeholder constants.
    pub subqueries: &'a [crate::subquery::SubquerySql],
}

impl Scope<'_> {
    pub fn expr(&self, e: &BoundExpr) -> Result<Sql> {
        match e {
            BoundExpr::Column { index, name, .. } => {
                self.columns.get(*index).cloned().ok_or_else(|| {
                    TranslateError::internal(
                        "translate::expr",
                        format!("column {index} (`{name}`) is not in the input"),
                    )
                })
            }
            BoundExpr::Literal(v) => match self.subquery(v) {
                // toscalar(T): the first row's value, null when T is empty.
                Some(sql) => Ok(Sql::new(
                    format!("({sql} LIMIT 1)"),
                    Repr::Plain(v.ktype()),
                    true,
                )),
                None => literal(self.target, v),
            },
            BoundExpr::Call { func, args, ty } => functions::call(self, func.name, args, *ty),
        }
    }

    /// The SQL of the subquery `v` stands for, marking it used.
    pub fn subquery(&self, v: &ScalarValue) -> Option<&str> {
        let s = self
            .subqueries
            .iter()
            .find(|s| crate::subquery::matches_placeholder(v, &s.placeholder))?;
        s.used.set(true);
        Some(&s.sql)
    }

    /// Text as Kusto reads it: a null string is "".
    pub fn text(&self, e: &BoundExpr) -> Result<Sql> {
        let s = self.expr(e)?;
        self.as_text(s, e)
    }

    pub fn as_text(&self, s: Sql, e: &BoundExpr) -> Result<Sql> {
        if !s.repr.is_text() {
            return Err(TranslateError::internal(
                "translate::text",
                format!("`{e}` is not text but {}", s.repr),
            ));
        }
        Ok(not_null_text(s))
    }

    /// The current time as a timestamp.
    pub fn now(&self) -> Result<String> {
        match self.now {
            Some(t) => self.target.timestamp_literal(t).ok_or_else(|| {
                TranslateError::internal("translate::now", format!("bad instant {t}"))
            }),
            None => Ok(self.target.current_timestamp().to_string()),
        }
    }
}

/// `coalesce(x, '')` unless `x` can never be null.
pub fn not_null_text(s: Sql) -> Sql {
    if s.nullable {
        Sql::new(format!("coalesce({}, '')", s.text), s.repr, false)
    } else {
        s
    }
}

/// A constant as SQL.
pub fn literal(target: Target, v: &ScalarValue) -> Result<Sql> {
    Ok(match v {
        ScalarValue::Null(KType::Dynamic) => Sql::new("NULL", Repr::Plain(KType::Dynamic), true),
        ScalarValue::Null(t) => {
            let ty = target.type_name(*t).unwrap_or("VARCHAR");
            Sql::plain(format!("CAST(NULL AS {ty})"), *t, true)
        }
        ScalarValue::Bool(b) => Sql::plain(if *b { "TRUE" } else { "FALSE" }, KType::Bool, false),
        ScalarValue::Int(i) => Sql::plain(i.to_string(), KType::Int, false),
        ScalarValue::Long(i) if i32::try_from(*i).is_ok() => {
            Sql::plain(i.to_string(), KType::Long, false)
        }
        ScalarValue::Long(i) => Sql::plain(format!("CAST({i} AS BIGINT)"), KType::Long, false),
        ScalarValue::Real(r) => Sql::plain(real_literal(target, *r)?, KType::Real, false),
        ScalarValue::String(s) => Sql::plain(target.string(s), KType::String, false),
        ScalarValue::Guid(s) => Sql::plain(target.string(s), KType::Guid, false),
        ScalarValue::DateTime(t) => Sql::plain(
            target.timestamp_literal(*t).ok_or_else(|| {
                TranslateError::unsupported(
                    &format!("the datetime {t}us"),
                    target,
                    "it is outside the years SQL timestamps hold",
                )
            })?,
            KType::DateTime,
            false,
        ),
        ScalarValue::TimeSpan(t) => Sql::plain(
            if i32::try_from(*t).is_ok() {
                t.to_string()
            } else {
                format!("CAST({t} AS BIGINT)")
            },
            KType::TimeSpan,
            false,
        ),
        ScalarValue::Dynamic(serde_json::Value::Null) => {
            Sql::new("NULL", Repr::Plain(KType::Dynamic), true)
        }
        ScalarValue::Dynamic(json) => dynamic_literal(target, json)?,
    })
}

/// A real in scientific notation: a DOUBLE literal in all three targets
/// (`1.5` would be a DECIMAL).
fn real_literal(target: Target, r: f64) -> Result<String> {
    if !r.is_finite() {
        return Err(TranslateError::unsupported(
            &format!("the real {r}"),
            target,
            "SQL has no literal for it",
        ));
    }
    Ok(format!("{r:e}").replace('e', "E"))
}

/// A `dynamic([…])` constant of scalars of one type, as an array.
fn dynamic_literal(target: Target, json: &serde_json::Value) -> Result<Sql> {
    let unsupported = || {
        TranslateError::unsupported(
            &format!("the constant dynamic({json})"),
            target,
            "only arrays of numbers or of strings become SQL arrays",
        )
    };
    let serde_json::Value::Array(items) = json else {
        return Err(unsupported());
    };
    let values = literal_items(items).ok_or_else(unsupported)?;
    let ty = match values.first() {
        Some(v) => v.ktype(),
        None => KType::String,
    };
    if values.iter().any(|v| v.ktype() != ty) {
        return Err(unsupported());
    }
    let texts: Vec<String> = values
        .iter()
        .map(|v| literal(target, v).map(|s| s.text))
        .collect::<Result<_>>()?;
    Ok(Sql::new(target.array(&texts), Repr::Array(ty), false))
}

/// The scalars of a JSON array: strings, longs, reals, bools (not nested).
pub fn literal_items(items: &[serde_json::Value]) -> Option<Vec<ScalarValue>> {
    items
        .iter()
        .map(|v| match v {
            serde_json::Value::String(s) => Some(ScalarValue::String(s.clone())),
            serde_json::Value::Bool(b) => Some(ScalarValue::Bool(*b)),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => Some(ScalarValue::Long(i)),
                None => n.as_f64().map(ScalarValue::Real),
            },
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals() {
        let t = Target::DuckDb;
        assert_eq!(literal(t, &ScalarValue::Real(100.0)).unwrap().text, "1E2");
        assert_eq!(literal(t, &ScalarValue::Real(0.25)).unwrap().text, "2.5E-1");
        assert_eq!(
            literal(t, &ScalarValue::Long(5_000_000_000)).unwrap().text,
            "CAST(5000000000 AS BIGINT)"
        );
        assert_eq!(
            literal(t, &ScalarValue::Null(KType::String)).unwrap().text,
            "CAST(NULL AS VARCHAR)"
        );
        let arr = serde_json::json!(["a", "b"]);
        assert_eq!(
            literal(Target::Trino, &ScalarValue::Dynamic(arr.clone()))
                .unwrap()
                .text,
            "ARRAY['a', 'b']"
        );
        assert_eq!(
            literal(Target::Spark, &ScalarValue::Dynamic(arr))
                .unwrap()
                .text,
            "array('a', 'b')"
        );
        let err = literal(t, &ScalarValue::Dynamic(serde_json::json!({"k": 1}))).unwrap_err();
        assert_eq!(
            err.message,
            "the constant dynamic({\"k\":1}) cannot be translated to DuckDB SQL: only arrays of numbers or of strings become SQL arrays"
        );
    }
}
