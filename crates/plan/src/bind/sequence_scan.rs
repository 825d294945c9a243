//! `scan`: binds the steps of Kusto's sequence state machine into a
//! `SequenceScan` node. Each step's condition and assignments bind against
//! the node's *frame* (see `logical::SequenceScan`): the input row's columns,
//! then every step's record as `Step.Column` — the AST's `s1.Ts` (a member
//! access on a step's name) is read as the column named `s1.Ts`. A declared
//! column read bare is the row's own value before the step assigns it: its
//! default, folded in here.
//!
//! Refused as Kusto refuses them: input that is not in a defined order (a
//! table, `summarize`, `join`, `union` without `sort`/`serialize` after it),
//! two steps of one name, assignments to columns not declared, declared
//! names the input already has.

use iishunt_syntax::ast::{self, ExprKind, Ident};

use super::expr::convert_to;
use super::Binder;
use crate::error::{PlanError, Result};
use crate::expr::BoundExpr;
use crate::logical::{LogicalPlan, ScanOutput, ScanStep, SequenceScan};
use crate::schema::{Column, Schema};
use crate::types::{KType, ScalarValue};

impl<'a> Binder<'a> {
    pub(crate) fn bind_scan(
        &mut self,
        plan: LogicalPlan,
        s: &ast::Scan,
        span: ast::Span,
    ) -> Result<LogicalPlan> {
        self.bind_scan_in(plan, s, None, span)
    }

    /// `scan`, with a separate state machine per value of the input column
    /// `partition` when given (a scan inside `partition by`).
    pub(crate) fn bind_scan_in(
        &mut self,
        plan: LogicalPlan,
        s: &ast::Scan,
        partition: Option<usize>,
        span: ast::Span,
    ) -> Result<LogicalPlan> {
        if !is_serialized(&plan) {
            return Err(PlanError::new(
                "plan::scan_unordered",
                span,
                "`scan` needs its input in a defined order, and these rows have none",
                "input not serialized",
            )
            .with_help(
                "put the rows in order first, e.g. `| sort by TimeGenerated asc | scan …`, \
                 or keep the order they have with `| serialize | scan …`",
            ));
        }
        let input = plan.schema().clone();
        let n = input.len();

        // The declared columns and their defaults.
        let mut declared: Vec<Column> = Vec::new();
        let mut defaults: Vec<ScalarValue> = Vec::new();
        for c in &s.declare {
            let ty: KType = c.ty.into();
            if input.index_of(&c.name.name).is_some()
                || declared.iter().any(|d| d.name == c.name.name)
            {
                return Err(PlanError::new(
                    "plan::scan_declare",
                    c.name.span,
                    format!("`{}` is already a column here", c.name.name),
                    "declared twice",
                )
                .with_help("`declare` adds new columns: give this one a name of its own"));
            }
            let default = match &c.default {
                None => ScalarValue::Null(ty),
                Some(e) => {
                    let b = self.bind_expr(e, &Schema::default(), None)?;
                    let b = convert_to(b, ty, self).map_err(|m| {
                        PlanError::new("plan::scan_declare", e.span, m, format!("not a {ty}"))
                    })?;
                    self.try_fold(&b).ok_or_else(|| {
                        PlanError::new(
                            "plan::not_constant",
                            e.span,
                            "a declared column's default must be a constant",
                            "not constant",
                        )
                    })?
                }
            };
            declared.push(Column {
                name: c.name.name.clone(),
                ty,
            });
            defaults.push(default);
        }
        if let Some(m) = &s.match_id {
            if input.index_of(&m.name).is_some() || declared.iter().any(|d| d.name == m.name) {
                return Err(PlanError::new(
                    "plan::scan_declare",
                    m.span,
                    format!("`{}` is already a column here", m.name),
                    "the match id needs a new name",
                ));
            }
        }

        // Step names, unique.
        let mut names: Vec<&str> = Vec::new();
        for step in &s.steps {
            if names.contains(&step.name.name.as_str()) {
                return Err(PlanError::new(
                    "plan::scan_step",
                    step.name.span,
                    format!("two steps are named `{}`", step.name.name),
                    "used before",
                )
                .with_help("each step needs a name of its own"));
            }
            names.push(&step.name.name);
        }

        // The frame: the row, then each step's record as `Step.Column`.
        let record: Vec<Column> = input.columns.iter().chain(&declared).cloned().collect();
        let width = record.len();
        let mut frame = record.clone();
        for name in &names {
            frame.extend(record.iter().map(|c| Column {
                name: format!("{name}.{}", c.name),
                ty: c.ty,
            }));
        }
        let frame = Schema::new(frame);
        // A bare declared column is its default.
        let own: Vec<BoundExpr> = frame
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| match i.checked_sub(n) {
                Some(k) if k < defaults.len() => BoundExpr::Literal(defaults[k].clone()),
                _ => BoundExpr::Column {
                    index: i,
                    name: c.name.clone(),
                    ty: c.ty,
                },
            })
            .collect();

        let mut steps = Vec::new();
        for step in &s.steps {
            let condition = step_refs(&step.condition, &names);
            let bound = self.bind_expr(&condition, &frame, None)?.substitute(&own);
            let bound = match bound.ty() {
                KType::Bool => bound,
                KType::Dynamic => convert_to(bound, KType::Bool, self).map_err(|m| {
                    PlanError::new(
                        "plan::where_type",
                        step.condition.span,
                        m,
                        "not a predicate",
                    )
                })?,
                other => {
                    return Err(PlanError::new(
                        "plan::where_type",
                        step.condition.span,
                        format!("a step's condition must be true or false, but this is a {other}"),
                        "not a predicate",
                    )
                    .with_help("compare it with something, e.g. `Event == \"Start\"`"))
                }
            };
            let mut assignments = Vec::new();
            for (column, value) in &step.assignments {
                let Some(k) = declared.iter().position(|d| d.name == column.name) else {
                    let declared_names: Vec<&str> =
                        declared.iter().map(|d| d.name.as_str()).collect();
                    return Err(PlanError::new(
                        "plan::scan_assign",
                        column.span,
                        format!("`{}` is not a declared column", column.name),
                        "not declared",
                    )
                    .with_help(if declared_names.is_empty() {
                        format!(
                            "a step assigns only columns of `declare`: add `declare ({}: type)`",
                            column.name
                        )
                    } else {
                        format!(
                            "a step assigns only columns of `declare` ({}); add `{}` there",
                            declared_names.join(", "),
                            column.name
                        )
                    }));
                };
                let e = step_refs(value, &names);
                let b = self.bind_expr(&e, &frame, None)?.substitute(&own);
                let ty = declared[k].ty;
                let b = convert_to(b, ty, self).map_err(|m| {
                    PlanError::new("plan::scan_assign", value.span, m, format!("not a {ty}"))
                })?;
                assignments.push((k, b));
            }
            steps.push(ScanStep {
                name: step.name.name.clone(),
                output: match step.output {
                    None | Some(ast::ScanOutput::All) => ScanOutput::All,
                    Some(ast::ScanOutput::Last) => ScanOutput::Last,
                    Some(ast::ScanOutput::None) => ScanOutput::None,
                },
                condition: bound,
                assignments,
            });
        }
        debug_assert_eq!(frame.len(), width * (1 + steps.len()));

        let mut columns = record;
        if let Some(m) = &s.match_id {
            columns.push(Column {
                name: m.name.clone(),
                ty: KType::Long,
            });
        }
        Ok(LogicalPlan::SequenceScan(SequenceScan {
            input: Box::new(plan),
            defaults,
            steps,
            match_id: s.match_id.is_some(),
            partition,
            schema: Schema::new(columns),
        }))
    }
}

/// Whether `plan`'s rows come in an order Kusto calls serialized: `range`,
/// `datatable`, `print`, `sort`, `top`, `serialize` and window functions, and
/// the row-by-row operators over them.
pub(crate) fn is_serialized(plan: &LogicalPlan) -> bool {
    match plan {
        LogicalPlan::Values(_)
        | LogicalPlan::Sort(_)
        | LogicalPlan::TopN(_)
        | LogicalPlan::Window(_)
        | LogicalPlan::SequenceScan(_) => true,
        LogicalPlan::Filter(f) => is_serialized(&f.input),
        LogicalPlan::Project(p) => is_serialized(&p.input),
        LogicalPlan::Limit(l) => is_serialized(&l.input),
        LogicalPlan::MvExpand(m) => is_serialized(&m.input),
        LogicalPlan::Materialize(m) => is_serialized(&m.input),
        LogicalPlan::Scan(_)
        | LogicalPlan::Aggregate(_)
        | LogicalPlan::Union(_)
        | LogicalPlan::Join(_)
        | LogicalPlan::MakeSeries(_)
        | LogicalPlan::Graph(_) => false,
    }
}

/// `s1.Col` (a member access on a step's name) → the frame column `s1.Col`.
fn step_refs(e: &ast::Expr, steps: &[&str]) -> ast::Expr {
    let span = e.span;
    let boxed = |x: &ast::Expr| Box::new(step_refs(x, steps));
    let list = |xs: &[ast::Expr]| xs.iter().map(|x| step_refs(x, steps)).collect();
    let kind = match &e.kind {
        ExprKind::Member { expr, name } => match &expr.kind {
            ExprKind::Name(step) if steps.contains(&step.name.as_str()) => ExprKind::Name(Ident {
                name: format!("{}.{}", step.name, name.name),
                span,
            }),
            _ => ExprKind::Member {
                expr: boxed(expr),
                name: name.clone(),
            },
        },
        ExprKind::Unary { op, expr } => ExprKind::Unary {
            op: *op,
            expr: boxed(expr),
        },
        ExprKind::Binary { op, left, right } => ExprKind::Binary {
            op: *op,
            left: boxed(left),
            right: boxed(right),
        },
        ExprKind::In {
            expr,
            list: items,
            negated,
            case_insensitive,
        } => ExprKind::In {
            expr: boxed(expr),
            list: list(items),
            negated: *negated,
            case_insensitive: *case_insensitive,
        },
        ExprKind::HasAny {
            expr,
            list: items,
            all,
        } => ExprKind::HasAny {
            expr: boxed(expr),
            list: list(items),
            all: *all,
        },
        ExprKind::Between {
            expr,
            low,
            high,
            negated,
        } => ExprKind::Between {
            expr: boxed(expr),
            low: boxed(low),
            high: boxed(high),
            negated: *negated,
        },
        ExprKind::IsNull { expr, negated } => ExprKind::IsNull {
            expr: boxed(expr),
            negated: *negated,
        },
        ExprKind::Call(c) => ExprKind::Call(ast::Call {
            name: c.name.clone(),
            args: list(&c.args),
            span: c.span,
        }),
        ExprKind::Index { expr, index } => ExprKind::Index {
            expr: boxed(expr),
            index: boxed(index),
        },
        other => other.clone(),
    };
    ast::Expr { kind, span }
}
