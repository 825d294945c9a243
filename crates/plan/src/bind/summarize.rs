//! `summarize aggs by keys` / ES|QL `STATS aggs BY keys`: keys and aggregate
//! calls are bound against the input; scalar expressions around aggregates
//! (`toint(count() * 2)`) become a projection over the aggregate's output.

use iishunt_syntax::ast::{self, Dialect, ExprKind};

use super::naming;
use super::Binder;
use crate::error::{PlanError, Result};
use crate::expr::{AggregateCall, BoundExpr};
use crate::functions::{lookup_aggregate, AggregateFunction};
use crate::logical::{Aggregate, LogicalPlan, Project};
use crate::schema::{Column, Schema};
use crate::types::{KType, ScalarValue};

/// Collects the aggregate calls met while binding one `summarize`.
pub(crate) struct AggCollector {
    /// The summarize input's columns (aggregate arguments bind against these).
    input: Schema,
    /// Number of key columns: aggregate outputs follow them.
    key_count: usize,
    calls: Vec<AggregateCall>,
    /// Default names of the collected calls (`count_`, `set_sPort`).
    names: Vec<String>,
}

impl AggCollector {
    /// The columns aggregate arguments bind against.
    pub(crate) fn input_schema(&self) -> &Schema {
        &self.input
    }

    pub(crate) fn bind_aggregate(
        &mut self,
        binder: &mut Binder,
        func: &'static AggregateFunction,
        call: &ast::Call,
    ) -> Result<BoundExpr> {
        if !func.arity.accepts(call.args.len()) {
            return Err(super::expr::arity_error(
                func.name,
                func.arity,
                call.args.len(),
                call.span,
            ));
        }
        if matches!(
            func.name,
            "arg_max" | "arg_min" | "percentiles" | "percentilesw"
        ) {
            return Err(PlanError::new(
                "plan::aggregate_position",
                call.span,
                format!(
                    "`{}` gives several columns and must stand alone in `summarize`",
                    func.name
                ),
                "here",
            ));
        }
        let input = self.input.clone();
        let mut args = Vec::new();
        for a in &call.args {
            if matches!(a.kind, ExprKind::Star) && func.name == "count" {
                continue; // ES|QL count(*)
            }
            args.push(binder.bind_expr(a, &input, None)?);
        }
        // KQL's count(x) counts every row, as count() does (Kusto's docs:
        // `summarize count(y)` over a null and a 5 gives 2); only ES|QL's
        // COUNT(field) leaves nulls out.
        if func.name == "count" && binder.dialect == Dialect::Kql {
            args.clear();
        }
        // Kusto puts the predicate second (`make_set_if(x, p [, max])`), or first for countif.
        let filter = match func.has_predicate {
            true => {
                let at = match func.name {
                    "countif" => 0,
                    "covarianceif" | "covariancepif" => 2,
                    _ => 1,
                };
                (at < args.len()).then(|| args.remove(at))
            }
            false => None,
        };
        if let Some(p) = &filter {
            if p.ty() != KType::Bool {
                return Err(PlanError::new(
                    "plan::argument_type",
                    call.span,
                    format!(
                        "the last argument of `{}` must be a predicate (bool), got {}",
                        func.name,
                        p.ty()
                    ),
                    "here",
                ));
            }
        }
        let types: Vec<KType> = args.iter().map(BoundExpr::ty).collect();
        let ty = (func.return_type)(&types).map_err(|m| {
            PlanError::new(
                "plan::argument_type",
                call.span,
                format!("`{}`: {m}", func.name),
                "wrong argument types",
            )
        })?;
        // Literal parameters (make_set's cap, percentile's rank) must be constants.
        for a in args.iter_mut().skip(1) {
            if let Some(v) = binder.try_fold(a) {
                *a = BoundExpr::Literal(v);
            }
        }
        let name = default_name(func, call, binder.dialect, binder.source);
        self.push(
            AggregateCall {
                func,
                args,
                filter,
                ty,
            },
            name,
        )
    }

    fn push(&mut self, call: AggregateCall, name: String) -> Result<BoundExpr> {
        let index = self.key_count + self.calls.len();
        let ty = call.ty;
        // The reference shows the call (`count()`) in plans, whatever the dialect names it.
        let shown = format!("{call:?}");
        self.calls.push(call);
        self.names.push(name);
        Ok(BoundExpr::Column {
            index,
            name: shown,
            ty,
        })
    }
}

/// Whether an expression calls an aggregate function somewhere.
fn contains_aggregate(e: &ast::Expr) -> bool {
    match &e.kind {
        ExprKind::Call(c) => {
            lookup_aggregate(&c.name.name).is_some() || c.args.iter().any(contains_aggregate)
        }
        ExprKind::Unary { expr, .. }
        | ExprKind::Index { expr, .. }
        | ExprKind::Member { expr, .. } => contains_aggregate(expr),
        ExprKind::Binary { left, right, .. } => {
            contains_aggregate(left) || contains_aggregate(right)
        }
        ExprKind::In { expr, list, .. } | ExprKind::HasAny { expr, list, .. } => {
            contains_aggregate(expr) || list.iter().any(contains_aggregate)
        }
        ExprKind::Between {
            expr, low, high, ..
        } => contains_aggregate(expr) || contains_aggregate(low) || contains_aggregate(high),
        ExprKind::IsNull { expr, .. } => contains_aggregate(expr),
        _ => false,
    }
}

fn default_name(
    func: &AggregateFunction,
    call: &ast::Call,
    dialect: Dialect,
    source: Option<&str>,
) -> String {
    if dialect == Dialect::Esql {
        return naming::source_text(source, call.span).unwrap_or_else(|| {
            naming::expr_text(&ast::Expr::new(ExprKind::Call(call.clone()), call.span))
        });
    }
    let arg = |i: usize| {
        call.args
            .get(i)
            .and_then(naming::first_name)
            .unwrap_or_default()
    };
    func.column_name
        .replace("{}", &arg(0))
        .replace("{1}", &arg(1))
}

impl<'a> Binder<'a> {
    pub(crate) fn bind_summarize(
        &mut self,
        input: LogicalPlan,
        s: &ast::Summarize,
    ) -> Result<LogicalPlan> {
        let input = if self.dialect == Dialect::Esql {
            self.expand_multi_valued_keys(input, &s.by)
        } else {
            input
        };
        let in_schema = input.schema().clone();
        let mut keys = Vec::new();
        let mut key_columns: Vec<Column> = Vec::new();
        let mut counter = 0;
        for item in &s.by {
            let bound = self.bind_expr(&item.expr, &in_schema, None)?;
            let name = match item.names.first() {
                Some(n) => n.name.clone(),
                None if self.dialect == Dialect::Esql => self.esql_name(&item.expr),
                None => naming::derived_name(&item.expr, &key_columns, &mut counter),
            };
            key_columns.push(Column {
                name: naming::unique(&name, &key_columns),
                ty: bound.ty(),
            });
            keys.push(bound);
        }
        let mut collector = AggCollector {
            input: in_schema.clone(),
            key_count: keys.len(),
            calls: Vec::new(),
            names: Vec::new(),
        };
        // Each summarize item: (output name, expression over the aggregate output).
        let mut finals: Vec<(Option<String>, BoundExpr, Option<String>)> = Vec::new();
        for item in &s.aggregates {
            if let Some(expanded) = self.expand_multi_column(&mut collector, item, &key_columns)? {
                for (name, e) in expanded {
                    finals.push((Some(name), e, None));
                }
                continue;
            }
            if let ExprKind::Call(c) = &item.expr.kind {
                if !contains_aggregate(&item.expr)
                    && crate::functions::lookup_scalar(&c.name.name).is_none()
                    && self.lookup(&c.name.name).is_none()
                {
                    return Err(PlanError::new(
                        "plan::unknown_function",
                        c.name.span,
                        format!("unknown aggregate function `{}`", c.name.name),
                        "not an aggregate iishunt has",
                    )
                    .with_help(
                        "docs/kql.md lists the aggregates; Kusto's others are not supported yet",
                    ));
                }
            }
            if !contains_aggregate(&item.expr) {
                return Err(PlanError::new(
                    "plan::no_aggregate",
                    item.expr.span,
                    "each `summarize` item needs an aggregate function such as count() or make_set(x)",
                    "no aggregate here",
                )
                .with_help("to group by this expression, put it after `by`"));
            }
            // Names and placeholder columns refer to keys by name, then aggregates by index.
            let placeholder = Schema::new(key_columns.clone());
            let before = collector.calls.len();
            let bound = self.bind_expr(&item.expr, &placeholder, Some(&mut collector))?;
            let default = if self.dialect == Dialect::Esql {
                // ES|QL names an unnamed item by its text, however it is bound.
                Some(self.esql_name(&item.expr))
            } else if collector.calls.len() == before + 1
                && matches!(bound, BoundExpr::Column { .. })
            {
                Some(collector.names[before].clone())
            } else {
                None
            };
            if collector.calls.len() == before {
                return Err(PlanError::new(
                    "plan::no_aggregate",
                    item.expr.span,
                    "each `summarize` item needs an aggregate function such as count() or make_set(x)",
                    "no aggregate here",
                )
                .with_help("to group by this expression, put it after `by`"));
            }
            finals.push((item.names.first().map(|n| n.name.clone()), bound, default));
        }
        let agg_columns: Vec<Column> = collector
            .calls
            .iter()
            .enumerate()
            .map(|(i, c)| Column {
                name: format!("__agg{i}"),
                ty: c.ty,
            })
            .collect();
        let mut schema_cols = key_columns.clone();
        schema_cols.extend(agg_columns);
        let aggregate = LogicalPlan::Aggregate(Aggregate {
            input: Box::new(input),
            keys,
            aggregates: collector.calls,
            having: None,
            schema: Schema::new(schema_cols),
        });
        // Output: keys then aggregates (KQL); aggregates then keys (ES|QL).
        let mut out_cols: Vec<Column> = Vec::new();
        let mut exprs = Vec::new();
        let mut counter = 0;
        let key_refs: Vec<(Column, BoundExpr)> = key_columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                (
                    c.clone(),
                    BoundExpr::Column {
                        index: i,
                        name: c.name.clone(),
                        ty: c.ty,
                    },
                )
            })
            .collect();
        let mut agg_refs = Vec::new();
        for (name, e, default) in finals {
            let name = name.or(default).unwrap_or_else(|| {
                counter += 1;
                format!("Column{counter}")
            });
            agg_refs.push((name, e));
        }
        let push = |name: String,
                    ty: KType,
                    e: BoundExpr,
                    out_cols: &mut Vec<Column>,
                    exprs: &mut Vec<BoundExpr>| {
            let name = naming::unique(&name, out_cols);
            out_cols.push(Column { name, ty });
            exprs.push(e);
        };
        if self.dialect == Dialect::Esql {
            for (name, e) in agg_refs {
                let ty = e.ty();
                push(name, ty, e, &mut out_cols, &mut exprs);
            }
            for (c, e) in key_refs {
                push(c.name, c.ty, e, &mut out_cols, &mut exprs);
            }
        } else {
            for (c, e) in key_refs {
                push(c.name, c.ty, e, &mut out_cols, &mut exprs);
            }
            for (name, e) in agg_refs {
                let ty = e.ty();
                push(name, ty, e, &mut out_cols, &mut exprs);
            }
        }
        Ok(LogicalPlan::Project(Project {
            input: Box::new(aggregate),
            exprs,
            schema: Schema::new(out_cols),
        }))
    }

    /// `arg_max(x, a, b)`, `arg_min(x, *)`, `percentiles(x, 50, 95)`: aggregates
    /// that give several columns.
    fn expand_multi_column(
        &mut self,
        collector: &mut AggCollector,
        item: &ast::NamedExpr,
        keys: &[Column],
    ) -> Result<Option<Vec<(String, BoundExpr)>>> {
        let ExprKind::Call(call) = &item.expr.kind else {
            return Ok(None);
        };
        let Some(func) = lookup_aggregate(&call.name.name) else {
            return Ok(None);
        };
        let input = collector.input.clone();
        match func.name {
            "percentiles" | "percentilesw" => {
                // percentilesw(x, weight, p1, p2, …) is percentiles(x, p1, p2, …) weighted.
                let weighted = func.name == "percentilesw";
                let first_p = if weighted { 2 } else { 1 };
                if call.args.len() <= first_p {
                    return Err(super::expr::arity_error(
                        func.name,
                        func.arity,
                        call.args.len(),
                        call.span,
                    ));
                }
                let x = self.bind_expr(&call.args[0], &input, None)?;
                let mut leading = vec![x.clone()];
                if weighted {
                    leading.push(self.bind_expr(&call.args[1], &input, None)?);
                }
                let types: Vec<KType> = leading.iter().map(BoundExpr::ty).collect();
                let base = naming::first_name(&call.args[0]).unwrap_or_default();
                let single = lookup_aggregate(if weighted {
                    "percentilew"
                } else {
                    "percentile"
                })
                .unwrap_or(func);
                let mut out = Vec::new();
                for (i, p) in call.args[first_p..].iter().enumerate() {
                    let pb = self.bind_expr(p, &input, None)?;
                    let pv = self.try_fold(&pb).ok_or_else(|| {
                        PlanError::new(
                            "plan::not_constant",
                            p.span,
                            "percentiles must be constants",
                            "here",
                        )
                    })?;
                    let label = match &pv {
                        ScalarValue::Real(r) => r.to_string().replace('.', "_"),
                        other => other.as_i64().map(|v| v.to_string()).unwrap_or_default(),
                    };
                    let ty = (single.return_type)(&types).map_err(|m| {
                        PlanError::new(
                            "plan::argument_type",
                            call.span,
                            format!("`{}`: {m}", func.name),
                            "here",
                        )
                    })?;
                    let name = match item.names.get(i) {
                        Some(n) => n.name.clone(),
                        None => format!("percentile_{base}_{label}"),
                    };
                    let mut args = leading.clone();
                    args.push(BoundExpr::Literal(pv));
                    let r = collector.push(
                        AggregateCall {
                            func: single,
                            args,
                            filter: None,
                            ty,
                        },
                        name.clone(),
                    )?;
                    out.push((name, r));
                }
                Ok(Some(out))
            }
            "arg_max" | "arg_min" => {
                let Some(first) = call.args.first() else {
                    return Err(super::expr::arity_error(
                        func.name, func.arity, 0, call.span,
                    ));
                };
                let x = self.bind_expr(first, &input, None)?;
                let of = lookup_aggregate(if func.name == "arg_max" {
                    "__arg_max_of"
                } else {
                    "__arg_min_of"
                })
                .unwrap_or(func);
                let mut columns: Vec<(String, BoundExpr)> = Vec::new();
                let x_name = item
                    .names
                    .first()
                    .map(|n| n.name.clone())
                    .or_else(|| naming::first_name(first))
                    .unwrap_or_else(|| format!("{}_", func.name));
                columns.push((x_name, x.clone()));
                for a in &call.args[1..] {
                    if matches!(a.kind, ExprKind::Star) {
                        for (i, c) in input.columns.iter().enumerate() {
                            // `*` is the other columns: the `by` keys are there already.
                            if columns.iter().any(|(n, _)| *n == c.name)
                                || keys.iter().any(|k| k.name == c.name)
                            {
                                continue;
                            }
                            columns.push((
                                c.name.clone(),
                                BoundExpr::Column {
                                    index: i,
                                    name: c.name.clone(),
                                    ty: c.ty,
                                },
                            ));
                        }
                    } else {
                        let b = self.bind_expr(a, &input, None)?;
                        let mut counter = 0;
                        let name = naming::derived_name(a, &[], &mut counter);
                        columns.push((name, b));
                    }
                }
                let mut out = Vec::new();
                for (name, value) in columns {
                    let ty = value.ty();
                    let r = collector.push(
                        AggregateCall {
                            func: of,
                            args: vec![x.clone(), value],
                            filter: None,
                            ty,
                        },
                        name.clone(),
                    )?;
                    out.push((name, r));
                }
                Ok(Some(out))
            }
            _ => Ok(None),
        }
    }
}
