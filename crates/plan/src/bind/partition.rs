//! `partition by Col (operators)` and `partition by Col { T | … }`.
//!
//! The operators form runs the subquery on each value's rows as one plan,
//! the way `mv-apply` runs its subquery per input row: the key is copied to
//! a column of its own (`__partition_key`, so the subquery may drop or
//! rename `Col`), and each operator is made to work per key value —
//! `summarize` and `distinct` also group by it, `top` and `take` keep the
//! first N of each value, `order by` sorts by it first, `scan` keeps one state
//! machine per value; row-by-row operators run as written. Every strategy
//! (`native`, `shuffle`, `legacy`) runs this way, without legacy's limit of 64
//! values. Window functions are refused inside: they would read the rows of
//! the neighbouring partitions.
//!
//! The `{ T | … }` form has its own source: it runs once per distinct value
//! of `Col` (at most 64, legacy's limit in Kusto), with `Col` standing for
//! that value, and the results are unioned. Kusto documents it for the
//! legacy strategy, and its own examples run it with `native` too.

use iishunt_syntax::ast::{self, OperatorKind, PartitionBody};
use iishunt_syntax::print::ident;

use super::{Binder, Binding};
use crate::error::{PlanError, Result};
use crate::expr::BoundExpr;
use crate::logical::{Limit, LogicalPlan};

/// The column each partition's rows carry their key in.
const KEY: &str = "__partition_key";
const INPUT: &str = "__partition_input";
/// Kusto's cap on the values of the legacy strategy.
const MAX_LEGACY_PARTITIONS: usize = 64;

impl<'a> Binder<'a> {
    pub(crate) fn bind_partition(
        &mut self,
        plan: LogicalPlan,
        p: &ast::Partition,
        span: ast::Span,
    ) -> Result<LogicalPlan> {
        for (name, value) in &p.hints {
            let word = match &value.kind {
                ast::ExprKind::Name(i) => Some(i.name.as_str()),
                ast::ExprKind::Literal(ast::Literal::String(s)) => Some(s.as_str()),
                _ => None,
            };
            match (name.name.as_str(), word) {
                ("hint.strategy", Some("native" | "shuffle" | "legacy")) => {}
                ("hint.strategy", _) => {
                    return Err(PlanError::new(
                        "plan::partition_hint",
                        value.span,
                        "`hint.strategy` of partition is `native`, `shuffle` or `legacy`",
                        "not a strategy",
                    ))
                }
                (
                    "hint.materialized" | "hint.concurrency" | "hint.spread" | "hint.shufflekey",
                    _,
                ) => self.notes.push(format!(
                    "`{}` changes how Kusto spreads partition's work; iishunt ignores it",
                    name.name
                )),
                _ => {
                    return Err(PlanError::new(
                        "plan::partition_hint",
                        name.span,
                        format!("`{}` is not a hint of partition", name.name),
                        "unknown hint",
                    )
                    .with_help(
                        "partition takes hint.strategy, hint.materialized, hint.concurrency, \
                         hint.spread and hint.shufflekey",
                    ))
                }
            }
        }
        let Some(key_index) = plan.schema().index_of(&p.by.name) else {
            let names: Vec<&str> = plan.schema().names().collect();
            let mut err = PlanError::new(
                "plan::unknown_column",
                p.by.span,
                format!("partition by: unknown column `{}`", p.by.name),
                "not a column of the input",
            );
            if let Some(s) = crate::suggest::did_you_mean(&p.by.name, names.iter().copied()) {
                err = err.with_help(format!("did you mean `{s}`?"));
            }
            return Err(err);
        };
        if plan.schema().columns[key_index].ty == crate::types::KType::Dynamic {
            return Err(PlanError::new(
                "plan::partition_key",
                p.by.span,
                format!(
                    "partition by `{}`: a dynamic column cannot be a key",
                    p.by.name
                ),
                "dynamic",
            )
            .with_help(format!(
                "partition by a scalar: `| extend k = tostring({}) | partition by k (…)`",
                ident(&p.by.name)
            )));
        }
        match &p.body {
            PartitionBody::Operators(ops) => self.bind_partition_operators(plan, p, ops, span),
            PartitionBody::Source(t) => self.bind_partition_source(plan, p, t, span),
        }
    }

    fn bind_partition_operators(
        &mut self,
        plan: LogicalPlan,
        p: &ast::Partition,
        ops: &[ast::Operator],
        span: ast::Span,
    ) -> Result<LogicalPlan> {
        let col = ident(&p.by.name);
        let mut body = self.bind_rewritten(
            plan,
            INPUT,
            &format!("{INPUT} | extend {KEY} = {col}"),
            "partition",
            span,
        )?;
        for op in ops {
            if let OperatorKind::As(_) = op.kind {
                return Err(PlanError::new(
                    "plan::partition_body",
                    op.span,
                    "`as` inside partition's subquery is not supported",
                    "not supported here",
                )
                .with_help("name the whole input with `let` before `partition`"));
            }
            let windows = count_windows(&body);
            body = self.bind_per_key(body, op, KEY, "partition")?;
            // `top` and `take` number each key's rows with a window function
            // of their own; only the subquery's own calls are refused.
            let own_calls = matches!(
                op.kind,
                OperatorKind::Extend(_) | OperatorKind::Serialize(_)
            );
            if own_calls && count_windows(&body) > windows {
                return Err(PlanError::new(
                    "plan::partition_body",
                    op.span,
                    "window functions (`prev`, `next`, `row_number`, …) are not supported inside \
                     partition's subquery",
                    "a window function here",
                )
                .with_help(
                    "compute them before partition, restarting at each key: \
                     `| sort by Key, TimeGenerated asc | extend n = row_number(1, Key != prev(Key))`",
                ));
            }
            if body.schema().index_of(KEY).is_none() {
                return Err(PlanError::new(
                    "plan::partition_body",
                    op.span,
                    "this operator drops the column partition keeps each row's key in",
                    "drops every column",
                )
                .with_help("name the columns to keep or drop, without `*`"));
            }
        }
        self.bind_rewritten(
            body,
            INPUT,
            &format!("{INPUT} | project-away {KEY}"),
            "partition",
            span,
        )
    }

    fn bind_partition_source(
        &mut self,
        plan: LogicalPlan,
        p: &ast::Partition,
        t: &ast::TabularExpr,
        span: ast::Span,
    ) -> Result<LogicalPlan> {
        let col = ident(&p.by.name);
        let ty = plan
            .schema()
            .index_of(&p.by.name)
            .map(|i| plan.schema().columns[i].ty)
            .unwrap_or(crate::types::KType::String);
        let distinct = self.bind_rewritten(
            plan,
            INPUT,
            &format!("{INPUT} | distinct {col} | sort by {col} asc"),
            "partition",
            span,
        )?;
        let values = self.run_subquery(distinct, span)?;
        if values.len() > MAX_LEGACY_PARTITIONS {
            return Err(PlanError::new(
                "plan::partition_size",
                p.by.span,
                format!(
                    "`{}` has {} distinct values; a partition subquery with its own source runs \
                     once per value, at most {MAX_LEGACY_PARTITIONS}",
                    p.by.name,
                    values.len()
                ),
                "too many values",
            )
            .with_help("filter the input to fewer values first"));
        }
        let mut results = Vec::new();
        // With no values the result is empty, with the subquery's columns.
        let runs: Vec<(crate::types::ScalarValue, bool)> = if values.is_empty() {
            vec![(crate::types::ScalarValue::Null(ty), false)]
        } else {
            values.into_iter().map(|v| (v, true)).collect()
        };
        for (value, keep) in runs {
            let mut scope = std::collections::HashMap::new();
            scope.insert(
                p.by.name.clone(),
                Binding::Scalar(BoundExpr::Literal(value)),
            );
            self.scopes.push(scope);
            let bound = self.bind_tabular(t);
            self.scopes.pop();
            let bound = bound?;
            results.push(if keep {
                bound
            } else {
                LogicalPlan::Limit(Limit {
                    input: Box::new(bound),
                    n: 0,
                })
            });
        }
        Ok(super::operators::union_plans(results))
    }
}

fn count_windows(plan: &LogicalPlan) -> usize {
    // A `serialize` without calls is a Window node without calls: not counted.
    let here = usize::from(matches!(plan, LogicalPlan::Window(w) if !w.calls.is_empty()));
    here + plan.inputs().into_iter().map(count_windows).sum::<usize>()
}
