//! `make-series aggs on Axis [from a] [to b] step s [by keys]`: Kusto's time
//! series. Bound as a `where` on the range, a `summarize aggs by keys,
//! bin(Axis)` that computes each (group, bin) cell, then a MakeSeries node
//! that lays the cells out as arrays — so the cells get the parallel scan,
//! pruning and aggregation every `summarize` gets.

use iishunt_syntax::ast::{self, BinaryOp, ExprKind, Span};

use super::naming;
use super::Binder;
use crate::error::{PlanError, Result};
use crate::logical::{series_points, LogicalPlan, MakeSeries, SeriesAxis, MAX_SERIES_POINTS};
use crate::schema::{Column, Schema};
use crate::types::{KType, ScalarValue};

impl<'a> Binder<'a> {
    pub(crate) fn bind_make_series(
        &mut self,
        input: LogicalPlan,
        m: &ast::MakeSeries,
        span: Span,
    ) -> Result<LogicalPlan> {
        let axis_ty = self.bind_expr(&m.on, input.schema(), None)?.ty();
        if !matches!(
            axis_ty,
            KType::DateTime | KType::TimeSpan | KType::Int | KType::Long
        ) {
            return Err(PlanError::new(
                "plan::series_axis",
                m.on.span,
                format!(
                    "the axis of `make-series` must be a datetime, timespan or whole number, but this is a {axis_ty}"
                ),
                "the axis",
            )
            .with_help("convert it, e.g. `on todatetime(x)` or `on tolong(x)`"));
        }
        let step = self.series_constant(&m.step, axis_ty, true)?;
        if step <= 0 {
            return Err(PlanError::new(
                "plan::series_step",
                m.step.span,
                "the step of `make-series` must be greater than zero",
                "the step",
            ));
        }
        let start = match &m.from {
            Some(e) => Some(self.series_constant(e, axis_ty, false)?),
            None => None,
        };
        let end = match &m.to {
            Some(e) => Some(self.series_constant(e, axis_ty, false)?),
            None => None,
        };
        if let (Some(a), Some(b)) = (start, end) {
            let points = series_points(a, b, step);
            if points > MAX_SERIES_POINTS {
                return Err(PlanError::new(
                    "plan::series_too_long",
                    span,
                    format!(
                        "this series would have {points} points; `make-series` makes at most {MAX_SERIES_POINTS}"
                    ),
                    "too many bins",
                )
                .with_help("use a larger step or a shorter range"));
            }
        }

        // Rows outside [from, to) take no part.
        let mut plan = input;
        let mut range: Option<ast::Expr> = None;
        for (bound, op) in [(&m.from, BinaryOp::Ge), (&m.to, BinaryOp::Lt)] {
            if let Some(b) = bound {
                let test = binary(op, m.on.clone(), b.clone(), b.span);
                range = Some(match range {
                    Some(r) => binary(BinaryOp::And, r, test, b.span),
                    None => test,
                });
            }
        }
        if let Some(range) = range {
            plan = self.bind_where(plan, &range)?;
        }

        // The cells: summarize aggs by keys, bin of the axis (anchored at `from`).
        let axis_name = naming::first_name(&m.on).unwrap_or_else(|| "Column1".to_string());
        let mut bin_args = vec![m.on.clone(), m.step.clone()];
        if let Some(from) = &m.from {
            bin_args.push(from.clone());
        }
        let bin_fn = if m.from.is_some() { "bin_at" } else { "bin" };
        let bin = ast::Expr::new(
            ExprKind::Call(ast::Call {
                name: ast::Ident {
                    name: bin_fn.to_string(),
                    span: m.step.span,
                },
                args: bin_args,
                span: m.on.span,
            }),
            m.on.span,
        );
        let mut by = m.by.clone();
        by.push(ast::NamedExpr {
            names: vec![ast::Ident {
                name: axis_name,
                span: m.on.span,
            }],
            expr: bin,
            span: m.on.span,
        });
        let summarize = ast::Summarize {
            hints: Vec::new(),
            aggregates: m.aggregates.iter().map(|(a, _)| a.clone()).collect(),
            by,
        };
        let cells = self.bind_summarize(plan, &summarize)?;
        let keys = m.by.len();
        let cell_columns = cells.schema().columns.clone();
        let values = &cell_columns[keys + 1..];
        if values.len() != m.aggregates.len() {
            return Err(PlanError::new(
                "plan::series_aggregate",
                span,
                "each `make-series` item must be one aggregate giving one number",
                "here",
            )
            .with_help(
                "arg_max, arg_min and percentiles give several columns: use max, min or percentile",
            ));
        }

        let mut defaults = Vec::new();
        for ((item, default), column) in m.aggregates.iter().zip(values) {
            if !matches!(
                column.ty,
                KType::Int | KType::Long | KType::Real | KType::Decimal
            ) {
                return Err(PlanError::new(
                    "plan::series_aggregate",
                    item.expr.span,
                    format!(
                        "`make-series` builds series of numbers, but this aggregate gives a {}",
                        column.ty
                    ),
                    "not a number",
                )
                .with_help("use a numeric aggregate such as count(), sum(x), avg(x), dcount(x)"));
            }
            defaults.push(match default {
                None => ScalarValue::Long(0),
                Some(d) => {
                    let bound = self.bind_expr(d, &Schema::default(), None)?;
                    self.try_fold(&bound).ok_or_else(|| {
                        PlanError::new(
                            "plan::not_constant",
                            d.span,
                            "the default of a series must be a constant",
                            "not a constant",
                        )
                    })?
                }
            });
        }

        let mut columns: Vec<Column> = cell_columns[..keys].to_vec();
        for column in values {
            columns.push(Column {
                name: column.name.clone(),
                ty: KType::Dynamic,
            });
        }
        columns.push(Column {
            name: cell_columns[keys].name.clone(),
            ty: KType::Dynamic,
        });
        Ok(LogicalPlan::MakeSeries(MakeSeries {
            input: Box::new(cells),
            keys,
            defaults,
            axis: SeriesAxis {
                start,
                end,
                step,
                ty: axis_ty,
            },
            schema: Schema::new(columns),
        }))
    }

    /// `from`, `to` or `step` as a whole number (microseconds for times).
    fn series_constant(&mut self, e: &ast::Expr, axis: KType, is_step: bool) -> Result<i64> {
        let bound = self.bind_expr(e, &Schema::default(), None)?;
        let what = if is_step { "step" } else { "bound" };
        let value = self.try_fold(&bound).ok_or_else(|| {
            PlanError::new(
                "plan::not_constant",
                e.span,
                format!("the {what} of `make-series` must be a constant"),
                "not a constant",
            )
        })?;
        let number = match (axis, is_step, &value) {
            (KType::DateTime, false, ScalarValue::DateTime(v))
            | (KType::DateTime | KType::TimeSpan, true, ScalarValue::TimeSpan(v))
            | (KType::TimeSpan, false, ScalarValue::TimeSpan(v))
            | (KType::Int | KType::Long, _, ScalarValue::Long(v)) => Some(*v),
            (KType::Int | KType::Long, _, ScalarValue::Int(v)) => Some(*v as i64),
            _ => None,
        };
        number.ok_or_else(|| {
            let want = match (axis, is_step) {
                (KType::DateTime, false) => "a datetime",
                (KType::DateTime | KType::TimeSpan, _) => "a timespan",
                _ => "a whole number",
            };
            PlanError::new(
                "plan::series_bound",
                e.span,
                format!(
                    "the {what} of a series over a {axis} axis must be {want}, but this is a {}",
                    value.ktype()
                ),
                "wrong type",
            )
        })
    }
}

fn binary(op: BinaryOp, left: ast::Expr, right: ast::Expr, span: Span) -> ast::Expr {
    ast::Expr::new(
        ExprKind::Binary {
            op,
            left: Box::new(left),
            right: Box::new(right),
        },
        span,
    )
}
