//! `top-nested`: hierarchical top values, as Kusto documents it
//! (top-nested-operator.md). Level k groups the rows by the values of levels
//! 1..k, aggregates each group, and keeps the N best groups within each group
//! of level k-1; the result has, per level, the value column and the
//! aggregate column (`aggregated_<name>` unless named).
//!
//! It is written in the operators iishunt already runs, so no new plan node
//! (and `translate` sees summarize, sort, window and join): each level is a
//! `summarize A = agg by K1..Kk`, ranked within its parent by
//! `row_number(1, parent != prev(parent))` over a sort, and the levels are
//! joined on their common keys.

use iishunt_syntax::ast;
use iishunt_syntax::print::{expr_to_kql, ident};

use super::{not_supported, Binder};
use crate::error::{PlanError, Result};
use crate::logical::LogicalPlan;

const INPUT: &str = "__top_nested_input";

impl<'a> Binder<'a> {
    pub(crate) fn bind_top_nested(
        &mut self,
        plan: LogicalPlan,
        levels: &[ast::TopNestedLevel],
        span: ast::Span,
    ) -> Result<LogicalPlan> {
        let mut keys: Vec<String> = Vec::new();
        let mut aggs: Vec<String> = Vec::new();
        let mut extend: Vec<String> = Vec::new();
        let mut counts: Vec<Option<String>> = Vec::new();
        for (i, l) in levels.iter().enumerate() {
            if let Some(o) = &l.others {
                return Err(not_supported("top-nested … with others", o.span));
            }
            // The value expression reads the input: bound here so an error
            // points at the query as written.
            self.bind_expr(&l.of.expr, plan.schema(), None)?;
            let key = match (l.of.names.first(), &l.of.expr.kind) {
                (Some(n), _) => n.name.clone(),
                (None, ast::ExprKind::Name(n)) => n.name.clone(),
                (None, _) => format!("Column{}", i + 1),
            };
            if !matches!(&l.of.expr.kind, ast::ExprKind::Name(n) if n.name == key) {
                extend.push(format!("{} = {}", ident(&key), expr_to_kql(&l.of.expr)));
            }
            let agg = match l.by.names.first() {
                Some(n) => n.name.clone(),
                None => format!("aggregated_{key}"),
            };
            if !matches!(l.by.expr.kind, ast::ExprKind::Call(_)) {
                return Err(PlanError::new(
                    "plan::top_nested",
                    l.by.expr.span,
                    "`top-nested … by` needs an aggregation such as sum(x), count() or max(x)",
                    "not an aggregation",
                ));
            }
            let count = match &l.count {
                Some(n) => {
                    let bound = self.bind_expr(n, &Default::default(), None)?;
                    match self.try_fold(&bound) {
                        Some(crate::types::ScalarValue::Long(v)) if v >= 0 => Some(v.to_string()),
                        Some(crate::types::ScalarValue::Int(v)) if v >= 0 => Some(v.to_string()),
                        _ => {
                            return Err(PlanError::new(
                                "plan::top_nested",
                                n.span,
                                "`top-nested N`: N must be a constant whole number, 0 or more",
                                "not a constant count",
                            ))
                        }
                    }
                }
                None => None,
            };
            counts.push(count);
            keys.push(key);
            aggs.push(agg);
        }
        let text = top_nested_text(levels, &keys, &aggs, &extend, &counts);
        self.bind_rewritten(plan, INPUT, &text, "top-nested", span)
    }
}

/// The KQL the levels stand for (see the module comment).
fn top_nested_text(
    levels: &[ast::TopNestedLevel],
    keys: &[String],
    aggs: &[String],
    extend: &[String],
    counts: &[Option<String>],
) -> String {
    let k: Vec<String> = keys.iter().map(|n| ident(n)).collect();
    let a: Vec<String> = aggs.iter().map(|n| ident(n)).collect();
    let mut text = format!("let __tn_keys = {INPUT}");
    if !extend.is_empty() {
        text.push_str(&format!(" | extend {}", extend.join(", ")));
    }
    text.push_str(";\n");
    for (i, l) in levels.iter().enumerate() {
        let order = if l.ascending { "asc" } else { "desc" };
        text.push_str(&format!(
            "let __tn_l{i} = __tn_keys | summarize {} = {} by {}",
            a[i],
            expr_to_kql(&l.by.expr),
            k[..=i].join(", ")
        ));
        if let Some(n) = &counts[i] {
            if i == 0 {
                text.push_str(&format!(" | top {n} by {} {order}", a[i]));
            } else {
                text.push_str(&format!(
                    " | extend __tn_parent = tostring(pack_array({parents}))\
                     | sort by __tn_parent asc, {agg} {order}\
                     | extend __tn_rank = row_number(1, __tn_parent != prev(__tn_parent))\
                     | where __tn_rank <= {n} | project-away __tn_parent, __tn_rank",
                    parents = k[..i].join(", "),
                    agg = a[i],
                ));
            }
        }
        text.push_str(";\n");
    }
    text.push_str("__tn_l0");
    for i in 1..levels.len() {
        let mut columns = Vec::new();
        for j in 0..=i {
            columns.push(k[j].clone());
            columns.push(a[j].clone());
        }
        text.push_str(&format!(
            " | join kind=inner (__tn_l{i}) on {} | project {}",
            k[..i].join(", "),
            columns.join(", ")
        ));
    }
    text
}
