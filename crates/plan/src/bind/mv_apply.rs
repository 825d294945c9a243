//! `mv-apply`: a subquery run on each input row's expanded rows, written in
//! operators the engine already has. The input is numbered (`__mva_row`),
//! expanded as by `mv-expand`, and each operator of the subquery is made to
//! work per input row: `summarize` and `distinct` group by the row number
//! too, `top` and `take` keep the first N of each row (a stable sort by row
//! number and `row_number(1, restart)`), `order by` sorts by row number
//! first; row-by-row operators (`where`, `extend`, `parse`, `mv-expand`, …)
//! run as written. The outer columns the subquery dropped come back by a
//! lookup on the row number, and the result is in input-row order.
//!
//! Not per-row: a `summarize` over a row whose expanded rows were all
//! filtered out gives no row (Kusto gives one of empty aggregates), and
//! window functions (`prev`, `row_number`) in the subquery see the rows of
//! neighbouring input rows.

use iishunt_syntax::ast::{self, ExprKind, Ident, NamedExpr, Operator, OperatorKind, SortKey};
use iishunt_syntax::print::{ident, operator_to_kql};

use super::Binder;
use crate::error::{PlanError, Result};
use crate::logical::LogicalPlan;

/// The input row number every expanded row carries.
const ROW: &str = "__mva_row";
/// The rewritten texts' names for the numbered input and the subquery's result.
const OUTER: &str = "__mva_outer";
const BODY: &str = "__mva_body";

impl<'a> Binder<'a> {
    pub(crate) fn bind_mv_apply(
        &mut self,
        plan: LogicalPlan,
        m: &ast::MvApply,
        span: ast::Span,
    ) -> Result<LogicalPlan> {
        let in_columns: Vec<String> = plan
            .schema()
            .columns
            .iter()
            .map(|c| c.name.clone())
            .collect();
        // A column expanded in place is not an outer column: the subquery's
        // rows hold its elements, and what the subquery makes of them wins.
        let in_place: Vec<String> = m
            .expand
            .columns
            .iter()
            .filter_map(|(item, _)| match (item.names.first(), &item.expr.kind) {
                (Some(n), _) => Some(n.name.clone()),
                (None, ExprKind::Name(i)) => Some(i.name.clone()),
                (None, _) => None,
            })
            .filter(|n| in_columns.contains(n))
            .collect();
        let outer_names: Vec<&String> = in_columns
            .iter()
            .filter(|c| !in_place.contains(c))
            .collect();

        let numbered = self.bind_rewritten(
            plan,
            OUTER,
            &format!("{OUTER} | serialize {ROW} = row_number()"),
            "mv-apply",
            span,
        )?;
        let mut body = self.bind_mv_expand(numbered.clone(), &m.expand, span)?;
        for op in &m.body {
            body = self.bind_per_key(body, op, ROW, "mv-apply")?;
            if body.schema().index_of(ROW).is_none() {
                return Err(PlanError::new(
                    "plan::mv_apply_body",
                    op.span,
                    "this operator drops the column mv-apply numbers the input rows by",
                    "drops every column",
                )
                .with_help("name the columns to keep or drop, without `*`"));
            }
        }

        let body_names: Vec<String> = body
            .schema()
            .columns
            .iter()
            .map(|c| c.name.clone())
            .collect();
        let missing: Vec<String> = outer_names
            .iter()
            .filter(|c| !body_names.contains(c))
            .map(|c| ident(c))
            .collect();
        let mut result: Vec<String> = outer_names.iter().map(|c| ident(c)).collect();
        result.extend(
            body_names
                .iter()
                .filter(|c| *c != ROW && !outer_names.contains(c))
                .map(|c| ident(c)),
        );
        let mut text = BODY.to_string();
        if !missing.is_empty() {
            text.push_str(&format!(
                " | lookup kind=inner ({OUTER} | project {ROW}, {}) on {ROW}",
                missing.join(", ")
            ));
        }
        text.push_str(&format!(
            " | sort by {ROW} asc | project {}",
            result.join(", ")
        ));
        self.bind_rewritten_with(
            vec![(OUTER, numbered), (BODY, body)],
            &text,
            "mv-apply",
            span,
        )
    }

    /// One operator of a subquery, made to work on the rows of each value of
    /// the column `key` on its own: each input row's expanded rows
    /// (`mv-apply`), or each partition (`partition`, which names itself as
    /// `what` in errors).
    pub(crate) fn bind_per_key(
        &mut self,
        plan: LogicalPlan,
        op: &Operator,
        key: &str,
        what: &str,
    ) -> Result<LogicalPlan> {
        let span = op.span;
        let row = || ast::Expr {
            kind: ExprKind::Name(Ident {
                name: key.to_string(),
                span,
            }),
            span,
        };
        let row_item = || NamedExpr {
            names: vec![],
            expr: row(),
            span,
        };
        let row_key = || SortKey {
            expr: row(),
            order: Some(ast::SortOrder::Asc),
            nulls: None,
            span,
        };
        let with = |kind: OperatorKind| Operator { kind, span };
        match &op.kind {
            OperatorKind::Where(_)
            | OperatorKind::Extend(_)
            | OperatorKind::ProjectAway(_)
            | OperatorKind::ProjectRename(_)
            | OperatorKind::ProjectReorder(_)
            | OperatorKind::MvExpand(_)
            | OperatorKind::Parse(_)
            | OperatorKind::ParseWhere(_) => self.bind_operator(plan, op),
            OperatorKind::Serialize(_) if what == "partition" => self.bind_operator(plan, op),
            OperatorKind::Summarize(s) => {
                let mut s = s.clone();
                s.by.insert(0, row_item());
                self.bind_operator(plan, &with(OperatorKind::Summarize(s)))
            }
            OperatorKind::Project(items) => {
                let mut items = items.clone();
                items.push(row_item());
                self.bind_operator(plan, &with(OperatorKind::Project(items)))
            }
            OperatorKind::ProjectKeep(patterns) => {
                let mut patterns = patterns.clone();
                patterns.push(ast::ColumnPattern {
                    pattern: key.to_string(),
                    span,
                });
                self.bind_operator(plan, &with(OperatorKind::ProjectKeep(patterns)))
            }
            OperatorKind::Distinct(items) => {
                let star =
                    items.is_empty() || items.iter().any(|i| matches!(i.expr.kind, ExprKind::Star));
                let mut items = items.clone();
                if !star {
                    items.insert(0, row_item());
                }
                self.bind_operator(plan, &with(OperatorKind::Distinct(items)))
            }
            OperatorKind::Count => self.bind_rewritten(
                plan,
                BODY,
                &format!("{BODY} | summarize Count = count() by {}", ident(key)),
                what,
                span,
            ),
            OperatorKind::Scan(s) if what == "partition" => {
                let index = plan.schema().index_of(key);
                self.bind_scan_in(plan, s, index, span)
            }
            OperatorKind::Sort(keys) => {
                let mut keys = keys.clone();
                keys.insert(0, row_key());
                self.bind_operator(plan, &with(OperatorKind::Sort(keys)))
            }
            OperatorKind::Top { count, by } => {
                let n = self.bind_count(count)?;
                let mut keys = by.clone();
                keys.insert(0, row_key());
                let sorted = self.bind_operator(plan, &with(OperatorKind::Sort(keys)))?;
                self.first_per_key(sorted, n, key, what, span)
            }
            OperatorKind::Take(count) => {
                let n = self.bind_count(count)?;
                let sorted =
                    self.bind_operator(plan, &with(OperatorKind::Sort(vec![row_key()])))?;
                self.first_per_key(sorted, n, key, what, span)
            }
            _ => {
                let text = operator_to_kql(op);
                let name = text.split_whitespace().next().unwrap_or("this operator");
                let (code, scan) = if what == "partition" {
                    ("plan::partition_body", ", scan")
                } else {
                    ("plan::mv_apply_body", "")
                };
                Err(PlanError::new(
                    code,
                    span,
                    format!("`{name}` is not supported inside {what}'s subquery"),
                    "not supported here",
                )
                .with_help(format!(
                    "{what} runs where, extend, project…, summarize, top, take, order by, \
                     distinct, count, parse{scan} and mv-expand on each {}",
                    if what == "partition" {
                        "partition"
                    } else {
                        "row"
                    }
                )))
            }
        }
    }

    /// The first `n` rows of each value of `key`, in the order they come.
    fn first_per_key(
        &mut self,
        sorted: LogicalPlan,
        n: usize,
        key: &str,
        what: &str,
        span: ast::Span,
    ) -> Result<LogicalPlan> {
        let k = ident(key);
        self.bind_rewritten(
            sorted,
            BODY,
            &format!(
                "{BODY} | extend __mva_rank = row_number(1, {k} != prev({k})) \
                 | where __mva_rank <= {n} | project-away __mva_rank"
            ),
            what,
            span,
        )
    }
}
