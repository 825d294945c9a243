//! Aggregate calls of `summarize` / `STATS` as SQL aggregates.
//!
//! - `count`, `countif`, `sum`, `min`, `max`, `avg` and their `*if` forms map
//!   one to one (`*if` as `FILTER (WHERE …)`);
//! - `dcount` is exact `count(DISTINCT x)` in every target, as in iishunt
//!   (Kusto estimates with HyperLogLog);
//! - `make_set` / `make_list` collect into arrays, nulls and (for sets) empty
//!   strings left out, capped with a slice when a cap is given; an empty
//!   group gives `[]`, as Kusto does. Which values a capped set keeps is
//!   unspecified in Kusto and differs between engines;
//! - `arg_max(x, v)` columns are `arg_max` (DuckDB) / `max_by` (Spark, Trino);
//! - `percentile` is exact (`quantile_disc`, `percentile_disc`) except in
//!   Trino, which only has `approx_percentile`: refused there.

use iishunt_plan::expr::AggregateCall;
use iishunt_plan::types::{KType, ScalarValue};

use crate::dialect::Target;
use crate::error::{Result, TranslateError};
use crate::expr::{Repr, Scope, Sql};

fn unsupported(scope: &Scope, name: &str, why: &str) -> TranslateError {
    TranslateError::unsupported(&format!("the aggregate `{name}`"), scope.target, why)
}

pub fn aggregate(scope: &Scope, call: &AggregateCall) -> Result<Sql> {
    let t = scope.target;
    let name = call.func.name;
    let arg = |i: usize| -> Result<Sql> {
        let e = call.args.get(i).ok_or_else(|| {
            TranslateError::internal(
                "translate::aggregate",
                format!("{name}: argument {i} missing"),
            )
        })?;
        scope.expr(e)
    };
    let filter = match &call.filter {
        Some(p) => Some(scope.expr(p)?.text),
        None => None,
    };
    let with_filter = |agg: String, extra: Option<String>| -> String {
        let conds: Vec<String> = filter.iter().cloned().chain(extra).collect();
        if conds.is_empty() {
            agg
        } else {
            format!("{agg} FILTER (WHERE {})", conds.join(" AND "))
        }
    };
    let plain =
        |text: String, ty: KType, nullable: bool| Ok(Sql::new(text, Repr::Plain(ty), nullable));
    match name {
        "count" | "countif" => {
            let inner = match call.args.first() {
                Some(_) if name == "count" => arg(0)?.text,
                _ => "*".to_string(),
            };
            plain(
                with_filter(format!("count({inner})"), None),
                KType::Long,
                false,
            )
        }
        "dcount" | "dcountif" => {
            let x = arg(0)?;
            plain(
                with_filter(format!("count(DISTINCT {})", x.text), None),
                KType::Long,
                false,
            )
        }
        "sum" | "sumif" | "min" | "max" | "minif" | "maxif" | "avg" | "avgif" => {
            let x = arg(0)?;
            let f = name.trim_end_matches("if");
            if f == "avg" && !x.repr.scalar().is_some_and(|k| k.is_numeric()) {
                return Err(unsupported(scope, name, "only numbers are averaged in SQL"));
            }
            if x.repr.scalar().is_none() {
                return Err(unsupported(
                    scope,
                    name,
                    "dynamic values are not aggregated in SQL",
                ));
            }
            let inner = if f == "avg" {
                format!("CAST({} AS DOUBLE)", x.text)
            } else {
                x.text.clone()
            };
            let agg = with_filter(format!("{f}({inner})"), None);
            // Integer sums are BIGINT (DuckDB widens them to HUGEINT).
            let text = if f == "sum" && call.ty == KType::Long {
                format!("CAST({agg} AS BIGINT)")
            } else {
                agg
            };
            plain(text, call.ty, true)
        }
        "make_set" | "make_set_if" | "make_list" | "make_list_if" => {
            let x = arg(0)?;
            let Some(elem) = x.repr.scalar() else {
                return Err(unsupported(
                    scope,
                    name,
                    "collecting dynamic values is not translated",
                ));
            };
            let set = name.starts_with("make_set");
            let cap = match call.args.get(1) {
                None => None,
                Some(e) => match e.as_literal().and_then(ScalarValue::as_i64) {
                    Some(n) if n > 0 => Some(n),
                    _ => {
                        return Err(unsupported(
                            scope,
                            name,
                            "the cap must be a positive constant",
                        ))
                    }
                },
            };
            let keep = if set && x.repr.is_text() {
                format!("{0} IS NOT NULL AND {0} <> ''", x.text)
            } else {
                format!("{} IS NOT NULL", x.text)
            };
            let agg = with_filter(t.array_agg(set, &x.text), Some(keep));
            let agg = format!("coalesce({agg}, {})", empty_array(t, elem));
            let agg = match cap {
                Some(n) => t.array_head(&agg, n),
                None => agg,
            };
            Ok(Sql::new(agg, Repr::Array(elem), false))
        }
        "__set_size" => {
            let x = arg(0)?;
            let keep = if x.repr.is_text() {
                Some(format!("{0} IS NOT NULL AND {0} <> ''", x.text))
            } else {
                None
            };
            let count = with_filter(format!("count(DISTINCT {})", x.text), keep);
            let text = match call
                .args
                .get(1)
                .and_then(|e| e.as_literal())
                .and_then(ScalarValue::as_i64)
            {
                Some(n) => format!("least({count}, {n})"),
                None => count,
            };
            plain(text, KType::Long, false)
        }
        "take_any" => {
            let x = arg(0)?;
            Ok(Sql::new(
                with_filter(t.any_value(&x.text), None),
                x.repr,
                true,
            ))
        }
        "__arg_max_of" | "__arg_min_of" => {
            let (x, v) = (arg(0)?, arg(1)?);
            if filter.is_some() {
                return Err(unsupported(scope, name, "with a predicate"));
            }
            // arg_max(x, x) is max(x).
            let text = if x.text == v.text {
                format!(
                    "{}({})",
                    if name == "__arg_max_of" { "max" } else { "min" },
                    x.text
                )
            } else {
                t.arg_extreme(name == "__arg_max_of", &v.text, &x.text)
            };
            Ok(Sql::new(text, v.repr, true))
        }
        "percentile" | "median" => {
            let x = arg(0)?;
            let p = match name {
                "median" => 50.0,
                _ => match call.args.get(1).and_then(|e| e.as_literal()) {
                    Some(ScalarValue::Real(r)) => *r,
                    Some(v) => v.as_i64().map(|i| i as f64).unwrap_or(f64::NAN),
                    None => f64::NAN,
                },
            };
            if !(0.0..=100.0).contains(&p) {
                return Err(unsupported(
                    scope,
                    name,
                    "the percentile must be a constant from 0 to 100",
                ));
            }
            let q = format!("{:e}", p / 100.0).replace('e', "E");
            let text = match t {
                Target::DuckDb => format!("quantile_disc({}, {q})", x.text),
                Target::Spark => format!("percentile_disc({q}) WITHIN GROUP (ORDER BY {})", x.text),
                Target::Trino => {
                    return Err(unsupported(
                        scope,
                        name,
                        "Trino only estimates percentiles (approx_percentile); iishunt's are exact",
                    ))
                }
            };
            // Spark's percentile_disc answers a DOUBLE: back to the value's type.
            let text = match (t, call.ty) {
                (Target::Spark, KType::Int | KType::Long | KType::TimeSpan) => format!(
                    "CAST({} AS {})",
                    with_filter(text, None),
                    t.type_name(call.ty).unwrap_or("BIGINT")
                ),
                (Target::Spark, KType::Real) => with_filter(text, None),
                (Target::Spark, _) => {
                    return Err(unsupported(
                        scope,
                        name,
                        "Spark's percentile_disc takes numbers only",
                    ))
                }
                _ => with_filter(text, None),
            };
            Ok(Sql::new(text, Repr::Plain(call.ty), true))
        }
        "stdev" | "variance" => {
            let x = arg(0)?;
            let f = if name == "stdev" {
                "stddev_samp"
            } else {
                "var_samp"
            };
            plain(
                with_filter(format!("{f}(CAST({} AS DOUBLE))", x.text), None),
                KType::Real,
                true,
            )
        }
        other => Err(unsupported(scope, other, "it has no translation yet")),
    }
}

/// An empty array of `elem`s.
fn empty_array(t: Target, elem: KType) -> String {
    let ty = t.type_name(elem).unwrap_or("VARCHAR");
    match t {
        Target::DuckDb => format!("CAST([] AS {ty}[])"),
        Target::Spark => format!("CAST(array() AS ARRAY<{ty}>)"),
        Target::Trino => format!("CAST(ARRAY[] AS ARRAY({ty}))"),
    }
}
