//! `fork` and `facet`: the operators that end a query with several result
//! tables (fork-operator.md, facet-operator.md).
//!
//! - `T | fork [name=](operators) …`: each leg's operators over `T`, each its
//!   own table, named by `name=`, by an `as` in the leg, or `fork_N`;
//! - `T | facet by c1, c2 [with (operators)]`: the `with` table (named
//!   `with`), then per column a table of its values and how many rows have
//!   each (`count_c1`), most frequent first, named after the column.
//!
//! Each table is its own plan over `T`, so the optimizer prunes columns and
//! pushes filters per table (materialising `T` for all of them would hold
//! every column of every row); `let T = materialize(…)` shares an expensive
//! `T`. The last table is the statement's result; the others go before it
//! (see [`super::BoundQuery::earlier`]).

use iishunt_syntax::ast::{self, OperatorKind};
use iishunt_syntax::print::ident;

use super::{Binder, NamedPlan};
use crate::error::{PlanError, Result};
use crate::logical::LogicalPlan;

const INPUT: &str = "__facet_input";

/// Whether `op` is one of the operators this file binds.
pub(super) fn makes_results(op: &ast::Operator) -> bool {
    matches!(op.kind, OperatorKind::Fork(_) | OperatorKind::Facet { .. })
}

/// The error for `fork` / `facet` anywhere but at the end of a query.
pub(super) fn not_last(op: &ast::Operator) -> PlanError {
    let word = match op.kind {
        OperatorKind::Fork(_) => "fork",
        _ => "facet",
    };
    PlanError::new(
        "plan::several_results",
        op.span,
        format!("`{word}` makes several result tables, so it must end the query"),
        "not at the end of the query",
    )
    .with_help(format!(
        "put `{word}` last; to go on from one of its tables, write that leg as its own query (`let` + `materialize()` shares the input)"
    ))
}

impl<'a> Binder<'a> {
    /// Binds `fork` / `facet` (`last`: it ends the statement): the other
    /// tables go to `extra_results`, the last one is returned.
    pub(super) fn bind_results(
        &mut self,
        input: LogicalPlan,
        op: &ast::Operator,
        last: bool,
    ) -> Result<LogicalPlan> {
        if !last || self.depth != 1 {
            return Err(not_last(op));
        }
        let mut tables: Vec<NamedPlan> = Vec::new();
        match &op.kind {
            OperatorKind::Fork(legs) => {
                if legs.len() > 100 {
                    return Err(PlanError::new(
                        "plan::fork",
                        op.span,
                        "`fork` takes at most 100 legs",
                        "too many legs",
                    ));
                }
                for (k, leg) in legs.iter().enumerate() {
                    self.result_name = None;
                    let mut plan = input.clone();
                    for o in &leg.operators {
                        if makes_results(o) {
                            return Err(not_last(o));
                        }
                        plan = self.bind_operator(plan, o)?;
                    }
                    let name = leg
                        .name
                        .as_ref()
                        .map(|n| n.name.clone())
                        .or_else(|| self.result_name.take())
                        .unwrap_or_else(|| format!("fork_{}", k + 1));
                    if tables.iter().any(|t| t.name == name) {
                        let at = leg.name.as_ref().map_or(op.span, |n| n.span);
                        return Err(PlanError::new(
                            "plan::fork",
                            at,
                            format!("two `fork` legs are named `{name}`"),
                            "named again here",
                        )
                        .with_help("each leg's table needs its own name: `fork a=(…) b=(…)`"));
                    }
                    tables.push(NamedPlan { name, plan });
                }
            }
            OperatorKind::Facet { columns, with } => {
                if let Some(ops) = with {
                    let mut plan = input.clone();
                    for o in ops {
                        if makes_results(o) {
                            return Err(not_last(o));
                        }
                        plan = self.bind_operator(plan, o)?;
                    }
                    tables.push(NamedPlan {
                        name: "with".to_string(),
                        plan,
                    });
                }
                for c in columns {
                    if input.schema().index_of(&c.name).is_none() {
                        return Err(self.unknown_column_error(input.schema(), c));
                    }
                    let (col, count) = (ident(&c.name), ident(&format!("count_{}", c.name)));
                    let text = format!(
                        "{INPUT} | summarize {count} = count() by {col} | sort by {count} desc, {col} asc"
                    );
                    let plan =
                        self.bind_rewritten(input.clone(), INPUT, &text, "facet", op.span)?;
                    tables.push(NamedPlan {
                        name: c.name.clone(),
                        plan,
                    });
                }
            }
            _ => return Err(not_last(op)),
        }
        let Some(last) = tables.pop() else {
            return Err(PlanError::new(
                "plan::several_results",
                op.span,
                "this makes no result table",
                "here",
            ));
        };
        self.extra_results.append(&mut tables);
        self.result_name = Some(last.name);
        Ok(last.plan)
    }
}
