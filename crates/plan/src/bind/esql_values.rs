//! ES|QL value semantics the shared binder does not have on its own:
//!
//! - **Element types of multi-values.** iishunt keeps a multi-value as a
//!   dynamic array, so `MV_MAX([3, 5, 1])` would not know it is an integer.
//!   The binder remembers the element type of the dynamic columns ROW and
//!   EVAL make (from literal arrays and from functions whose values have a
//!   known type) and gives single-value results of `MV_*` functions that type.
//! - **`SUM` of only nulls is null** (Kusto's is 0): bound as
//!   `iff(count(x) == 0, null, sum(x))`.
//! - **`STATS … BY` a multi-valued key** puts each row in one group per
//!   value: the key's column is expanded first, as `MV_EXPAND` does.

use iishunt_syntax::ast::{self, ExprKind};

use super::summarize::AggCollector;
use super::Binder;
use crate::error::{PlanError, Result};
use crate::expr::BoundExpr;
use crate::functions::{lookup_aggregate, lookup_scalar, AggregateFunction, ScalarFunction};
use crate::logical::{LogicalPlan, MvExpand};
use crate::schema::Schema;
use crate::types::{KType, ScalarValue};

/// Functions whose result is one value of their first argument's values.
const ONE_OF_ITS_VALUES: &[&str] = &[
    "esql_mv_min",
    "esql_mv_max",
    "esql_mv_first",
    "esql_mv_last",
    "esql_mv_median",
    "esql_mv_percentile",
    "esql_mv_median_absolute_deviation",
    "esql_mv_sum",
];

/// Functions whose values have the element type of their first argument.
const SAME_VALUES: &[&str] = &[
    "esql_mv_sort",
    "esql_mv_slice",
    "esql_mv_dedupe",
    "esql_mv_append",
];

/// Functions (by name, or name prefix) that take multi-values: the rest give
/// null for one, as Elasticsearch's single-value functions do.
const MULTI_VALUE_AWARE: &[&str] = &[
    "esql_mv_",
    "esql_to_",
    "esql_coalesce",
    "esql_case",
    "esql_greatest",
    "esql_least",
    "esql_round_to",
    "pack_array",
    "split",
    "isnull",
    "isnotnull",
    "mv_",
    "array_",
    "set_",
];

/// Functions that do not simply give null for a null argument.
const NULL_AWARE: &[&str] = &[
    "esql_coalesce",
    "esql_case",
    "coalesce",
    "case",
    "iff",
    "isnull",
    "isnotnull",
    "isempty",
    "isnotempty",
    "esql_mv_count",
    "esql_mv_contains",
    "esql_to_string",
];

/// The element type of a JSON value's values, when they share one.
fn json_elem(v: &serde_json::Value) -> Option<KType> {
    let items: Vec<&serde_json::Value> = match v {
        serde_json::Value::Array(a) => a.iter().filter(|x| !x.is_null()).collect(),
        serde_json::Value::Null => return None,
        other => vec![other],
    };
    if items.is_empty() {
        None
    } else if items.iter().all(|x| x.is_i64()) {
        Some(KType::Long)
    } else if items.iter().all(|x| x.is_number()) {
        Some(KType::Real)
    } else if items.iter().all(|x| x.is_boolean()) {
        Some(KType::Bool)
    } else if items.iter().all(|x| x.is_string()) {
        Some(KType::String)
    } else {
        None
    }
}

impl Binder<'_> {
    /// The registry name of an ES|QL call (`TO_STR` is `to_string`); a
    /// function of the ES|QL reference that iishunt does not run is refused
    /// here, by name and with the reason.
    pub(crate) fn esql_function_name(&self, call: &ast::Call) -> Result<String> {
        if let Some(f) = crate::functions::esql_catalog::esql_function(&call.name.name) {
            if let Some(why) = f.unsupported {
                return Err(PlanError::new(
                    "plan::not_supported",
                    call.name.span,
                    format!(
                        "`{}` is an ES|QL function iishunt does not support: {why}",
                        call.name.name.to_ascii_uppercase()
                    ),
                    "not supported",
                )
                .with_help("docs/esql.md lists every ES|QL function and whether iishunt runs it"));
            }
        }
        Ok(crate::functions::esql_catalog::esql_canonical(
            &call.name.name,
        ))
    }

    /// The type of each value of a dynamic expression, when known.
    pub(crate) fn elem_type(&self, e: &BoundExpr) -> Option<KType> {
        match e {
            BoundExpr::Literal(ScalarValue::Dynamic(j)) => json_elem(j),
            BoundExpr::Column {
                name,
                ty: KType::Dynamic,
                ..
            } => self.esql_elems.get(name).copied(),
            BoundExpr::Call { func, args, .. } => match func.name {
                "split" | "esql_mv_zip" | "esql_to_string" | "esql_to_lower" | "esql_to_upper" => {
                    Some(KType::String)
                }
                "esql_to_long" => Some(KType::Long),
                "esql_to_integer" => Some(KType::Int),
                "esql_to_double" | "esql_to_degrees" | "esql_to_radians" => Some(KType::Real),
                "esql_to_boolean" => Some(KType::Bool),
                "esql_to_datetime" => Some(KType::DateTime),
                n if SAME_VALUES.contains(&n) => args.first().and_then(|a| self.elem_type(a)),
                _ => None,
            },
            _ => None,
        }
    }

    /// Remembers (or forgets) the element type of the column `name` ROW or
    /// EVAL just made.
    pub(crate) fn note_elem(&mut self, name: &str, e: &BoundExpr) {
        match (e.ty(), self.elem_type(e)) {
            (KType::Dynamic, Some(t)) => {
                self.esql_elems.insert(name.to_string(), t);
            }
            _ => {
                self.esql_elems.remove(name);
            }
        }
    }

    /// A call of `func` bound, then given its values' type when it picks one
    /// value of a multi-value of a known type (`MV_MAX([3, 5, 1])` is 5, an
    /// integer).
    pub(crate) fn finish_esql_call(
        &mut self,
        func: &'static ScalarFunction,
        args: Vec<BoundExpr>,
        span: ast::Span,
    ) -> Result<BoundExpr> {
        // A function of a bare `null` is null, of no type yet (ES|QL's `null`
        // type), except the few that look for nulls.
        let untyped_null =
            |a: &BoundExpr| matches!(a, BoundExpr::Literal(ScalarValue::Null(KType::Dynamic)));
        if args.iter().any(untyped_null) && !NULL_AWARE.contains(&func.name) {
            self.finish_call(func, args.clone(), span)?;
            return Ok(BoundExpr::Literal(ScalarValue::Null(KType::Dynamic)));
        }
        let elem = match args.first() {
            Some(a) if a.ty() == KType::Dynamic && ONE_OF_ITS_VALUES.contains(&func.name) => {
                self.elem_type(a)
            }
            // GREATEST([10.0, 4], 1) is a double: the values' types join.
            _ if matches!(func.name, "esql_greatest" | "esql_least") => {
                let types: Option<Vec<KType>> = args
                    .iter()
                    .filter(|a| !matches!(a, BoundExpr::Literal(ScalarValue::Null(_))))
                    .map(|a| match a.ty() {
                        KType::Dynamic => self.elem_type(a),
                        t => Some(t),
                    })
                    .collect();
                types
                    .and_then(|ts| {
                        ts.into_iter().try_fold(None::<KType>, |acc, t| match acc {
                            None => Some(Some(t)),
                            Some(x) if x == t => Some(Some(x)),
                            Some(x) if x.is_numeric() && t.is_numeric() => {
                                KType::numeric_join(x, t).map(Some)
                            }
                            _ => None,
                        })
                    })
                    .flatten()
            }
            _ => None,
        };
        let dynamic_arg = args.iter().any(|a| a.ty() == KType::Dynamic);
        let single_valued =
            dynamic_arg && !MULTI_VALUE_AWARE.iter().any(|p| func.name.starts_with(p));
        let kept = if single_valued {
            args.clone()
        } else {
            Vec::new()
        };
        let call = match self.finish_call(func, args.clone(), span) {
            Ok(c) => c,
            Err(e) => match self.cast_string_literals(&args) {
                // ES|QL casts a string literal to the date or number a
                // function wants: `DATE_TRUNC(1 month, "2024-11-22")`, `ABS("10.0")`.
                Some(cast) => self.finish_call(func, cast, span).map_err(|_| e)?,
                None => return Err(e),
            },
        };
        // ES|QL: a single-value function of a multi-value is null.
        let call = if single_valued {
            let mut with = vec![call];
            with.extend(kept);
            self.call_op("__esql_single", with, span)?
        } else {
            call
        };
        match elem {
            Some(t) if call.ty() != t && !(func.name == "esql_mv_sum" && t == KType::String) => {
                super::expr::convert_to(call.clone(), t, self)
                    .map_err(|m| PlanError::new("plan::argument_type", span, m, "here"))
            }
            _ => Ok(call),
        }
    }

    /// The arguments with each string literal that reads as a date, or else
    /// as a number, cast to it; `None` when no literal could be cast.
    fn cast_string_literals(&mut self, args: &[BoundExpr]) -> Option<Vec<BoundExpr>> {
        if !args
            .iter()
            .any(|a| matches!(a, BoundExpr::Literal(ScalarValue::String(_))))
        {
            return None;
        }
        let mut out = Vec::with_capacity(args.len());
        let mut any = false;
        for a in args {
            let BoundExpr::Literal(ScalarValue::String(s)) = a else {
                out.push(a.clone());
                continue;
            };
            let as_date = super::expr::convert_to(a.clone(), KType::DateTime, self)
                .ok()
                .filter(|d| matches!(d, BoundExpr::Literal(ScalarValue::DateTime(_))));
            let cast = match as_date {
                Some(d) if s.contains('-') => d,
                _ => match s.trim().parse::<f64>() {
                    Ok(v) => BoundExpr::Literal(ScalarValue::Real(v)),
                    Err(_) => {
                        out.push(a.clone());
                        continue;
                    }
                },
            };
            any = true;
            out.push(cast);
        }
        any.then_some(out)
    }

    /// ES|QL `SUM(x)`: null when no value was summed.
    pub(crate) fn bind_esql_sum(
        &mut self,
        collector: &mut AggCollector,
        sum: &'static AggregateFunction,
        call: &ast::Call,
    ) -> Result<BoundExpr> {
        let total = collector.bind_aggregate(self, sum, call)?;
        let count: &'static AggregateFunction = lookup_aggregate("count").ok_or_else(|| {
            PlanError::new(
                "plan::internal",
                call.span,
                "no `count` aggregate (this is a bug)",
                "here",
            )
        })?;
        let counted = collector.bind_aggregate(self, count, call)?;
        let none = self.call_op(
            "__eq",
            vec![counted, BoundExpr::Literal(ScalarValue::Long(0))],
            call.span,
        )?;
        // Over nulls (a dynamic argument) the sum has no type yet, as in ES|QL.
        let dynamic_arg = match call.args.first() {
            Some(a) => {
                let input = collector.input_schema().clone();
                matches!(&a.kind, ExprKind::Literal(ast::Literal::Null(_)))
                    || self.bind_expr(a, &input, None).map(|b| b.ty()).ok() == Some(KType::Dynamic)
            }
            None => false,
        };
        let (value, ty) = if dynamic_arg {
            let v = super::expr::convert_to(total.clone(), KType::Dynamic, self).unwrap_or(total);
            (v, KType::Dynamic)
        } else {
            let ty = total.ty();
            (total, ty)
        };
        let iff: &'static ScalarFunction = lookup_scalar("iff").ok_or_else(|| {
            PlanError::new(
                "plan::internal",
                call.span,
                "no `iff` (this is a bug)",
                "here",
            )
        })?;
        self.finish_call(
            iff,
            vec![none, BoundExpr::Literal(ScalarValue::Null(ty)), value],
            call.span,
        )
    }

    /// The STATS input with every multi-valued (dynamic) `BY` column expanded:
    /// one row per value, so each value is a group.
    pub(crate) fn expand_multi_valued_keys(
        &self,
        input: LogicalPlan,
        by: &[ast::NamedExpr],
    ) -> LogicalPlan {
        let schema: Schema = input.schema().clone();
        let mut plan = input;
        for item in by {
            let ExprKind::Name(ident) = &item.expr.kind else {
                continue;
            };
            let Some(index) = schema.index_of(&ident.name) else {
                continue;
            };
            if schema.columns[index].ty != KType::Dynamic {
                continue;
            }
            plan = LogicalPlan::MvExpand(MvExpand {
                input: Box::new(plan),
                columns: vec![index],
                bags_as_arrays: false,
                item_index: false,
                limit: None,
                schema: schema.clone(),
            });
        }
        plan
    }
}
