//! `evaluate pivot(pivotColumn [, aggregation] [, column1, …])`, as Kusto
//! documents it (pivot-plugin.md): one output row per value of the columns
//! (by default every column but the pivot column and the aggregated one),
//! one output column per value of the pivot column, holding the aggregation
//! (default `count()`) over the rows with that value. The values are data:
//! a planning-time subquery finds them (sorted, where Kusto keeps the order
//! it meets them), and each becomes the `…if` form of the aggregation. Rows
//! whose pivot value is null or empty are left out.

use iishunt_syntax::ast::{self, ExprKind};
use iishunt_syntax::print::{expr_to_kql, ident, string};

use super::Binder;
use crate::error::{PlanError, Result};
use crate::logical::LogicalPlan;
use crate::types::ScalarValue;

const INPUT: &str = "__pivot_input";
const USAGE: &str = "pivot(PivotColumn [, count() | sum(x) | avg(x) | min(x) | max(x) | dcount(x) | take_any(x) | stdev(x) | variance(x) | make_list(x) | make_set(x) | make_bag(x)] [, Column, …])";

impl<'a> Binder<'a> {
    pub(crate) fn bind_pivot(
        &mut self,
        input: LogicalPlan,
        call: &ast::Call,
        span: ast::Span,
    ) -> Result<LogicalPlan> {
        let usage = |at: ast::Span, message: String| {
            PlanError::new("plan::pivot", at, message, "here").with_help(format!("write {USAGE}"))
        };
        let Some(first) = call.args.first() else {
            return Err(usage(call.span, "pivot needs the column to rotate".into()));
        };
        let ExprKind::Name(pivot) = &first.kind else {
            return Err(usage(
                first.span,
                "the first argument of pivot is a column name".into(),
            ));
        };
        if input.schema().index_of(&pivot.name).is_none() {
            return Err(self
                .bind_expr(first, input.schema(), None)
                .err()
                .unwrap_or_else(|| usage(first.span, format!("unknown column `{}`", pivot.name))));
        }
        // The aggregation, if the second argument is a call.
        let (agg, rest) = match call.args.get(1).map(|a| &a.kind) {
            Some(ExprKind::Call(c)) => (Some((c, call.args[1].span)), &call.args[2..]),
            _ => (None, &call.args[1..]),
        };
        let (if_name, agg_args, agg_columns): (&str, Vec<String>, Vec<String>) = match agg {
            None => ("countif", Vec::new(), Vec::new()),
            Some((c, at)) => {
                let if_name = match c.name.name.as_str() {
                    "count" => "countif",
                    "sum" => "sumif",
                    "avg" => "avgif",
                    "min" => "minif",
                    "max" => "maxif",
                    "dcount" => "dcountif",
                    "take_any" | "any" => "take_anyif",
                    "stdev" => "stdevif",
                    "variance" => "varianceif",
                    "make_list" => "make_list_if",
                    "make_set" => "make_set_if",
                    "make_bag" => "make_bag_if",
                    other => {
                        return Err(usage(at, format!("pivot cannot aggregate with `{other}`")))
                    }
                };
                let columns = c
                    .args
                    .iter()
                    .filter_map(|a| match &a.kind {
                        ExprKind::Name(n) => Some(n.name.clone()),
                        _ => None,
                    })
                    .collect();
                (if_name, c.args.iter().map(expr_to_kql).collect(), columns)
            }
        };
        let mut by: Vec<String> = Vec::new();
        for a in rest {
            let ExprKind::Name(n) = &a.kind else {
                return Err(usage(
                    a.span,
                    "the columns after the aggregation are column names".into(),
                ));
            };
            if input.schema().index_of(&n.name).is_none() {
                return Err(usage(a.span, format!("unknown column `{}`", n.name)));
            }
            by.push(n.name.clone());
        }
        if rest.is_empty() {
            by = input
                .schema()
                .columns
                .iter()
                .map(|c| c.name.clone())
                .filter(|n| *n != pivot.name && !agg_columns.contains(n))
                .collect();
        }
        let p = ident(&pivot.name);
        let values_text = format!("{INPUT} | distinct __v = tostring({p})");
        let values_plan = self.bind_rewritten(input.clone(), INPUT, &values_text, "pivot", span)?;
        let mut values: Vec<String> = self
            .run_subquery(values_plan, span)?
            .into_iter()
            .map(|v| match v {
                ScalarValue::String(s) => s,
                _ => String::new(),
            })
            .collect();
        // A null or empty pivot value names no column: those rows are left out.
        values.retain(|v| !v.is_empty());
        values.sort();
        values.dedup();
        if values.is_empty() {
            return Err(PlanError::new(
                "plan::pivot",
                span,
                "pivot: the input has no rows, so there are no columns to make",
                "no values to pivot on",
            ));
        }
        let items: Vec<String> = values
            .iter()
            .map(|v| {
                let mut args = agg_args.clone();
                args.push(format!("tostring({p}) == {}", string(v)));
                // countif takes the predicate alone; the others (x, predicate).
                format!("{} = {if_name}({})", ident(v), args.join(", "))
            })
            .collect();
        let by_text = if by.is_empty() {
            String::new()
        } else {
            format!(
                " by {}",
                by.iter().map(|n| ident(n)).collect::<Vec<_>>().join(", ")
            )
        };
        let text = format!("{INPUT} | summarize {}{by_text}", items.join(", "));
        self.bind_rewritten(input, INPUT, &text, "pivot", span)
    }
}
