//! Window functions in `extend` / `serialize`: `prev`, `next`, `row_number`,
//! `row_window_session`. Each call becomes a column of a `Window` node placed
//! below the extend (see `logical::Window`); the call itself binds to a
//! reference to that column, so `iff(prev(cIP) != cIP, 1, 0)` or
//! `row_window_session(t, 30s, 3s, cIP != prev(cIP))` (a call inside another's
//! argument) work as written.

use iishunt_syntax::ast;

use super::expr::convert_to;
use super::Binder;
use crate::error::{PlanError, Result};
use crate::expr::BoundExpr;
use crate::logical::{WindowCall, WindowKind};
use crate::schema::Schema;
use crate::types::{KType, ScalarValue};

/// The window calls of the `extend` item being bound.
pub(crate) struct WindowCollector {
    /// Width of the schema the item binds against: call k is column `base + k`.
    pub base: usize,
    pub calls: Vec<WindowCall>,
}

impl<'a> Binder<'a> {
    /// Binds a window function call, recording it with the collector of the
    /// current `extend` item.
    pub(crate) fn bind_window_call(
        &mut self,
        kind: WindowKind,
        call: &ast::Call,
        schema: &Schema,
    ) -> Result<BoundExpr> {
        let name = kind.name();
        if self.window.is_none() {
            return Err(PlanError::new(
                "plan::window_position",
                call.span,
                format!(
                    "`{name}` is a window function: it can only be used in `extend` or `serialize`"
                ),
                "window function here",
            )
            .with_help(format!(
                "compute it first: `| extend x = {name}(...) | where x ...`"
            )));
        }
        let (min, max) = match kind {
            WindowKind::Prev | WindowKind::Next => (1, 3),
            WindowKind::RowNumber => (0, 2),
            WindowKind::RowWindowSession => (3, 4),
            WindowKind::RowCumsum | WindowKind::RowRankMin | WindowKind::RowRankDense => (1, 2),
        };
        if call.args.len() < min || call.args.len() > max {
            return Err(PlanError::new(
                "plan::arity",
                call.span,
                format!(
                    "`{name}` takes {min} to {max} arguments, not {}",
                    call.args.len()
                ),
                "here",
            )
            .with_help(usage(kind)));
        }
        let mut args = Vec::new();
        for a in &call.args {
            args.push(self.bind_expr(a, schema, None)?);
        }
        let bad = |i: usize, what: &str| {
            PlanError::new(
                "plan::argument_type",
                call.args[i].span,
                format!("`{name}`: argument {} must be {what}", i + 1),
                "this argument",
            )
            .with_help(usage(kind))
        };
        let constant_long = |b: &BoundExpr| {
            matches!(
                b,
                BoundExpr::Literal(ScalarValue::Long(v)) if *v >= 0
            ) || matches!(b, BoundExpr::Literal(ScalarValue::Int(v)) if *v >= 0)
        };
        let ty = match kind {
            WindowKind::Prev | WindowKind::Next => {
                let ty = args[0].ty();
                if let Some(offset) = args.get(1) {
                    if !constant_long(offset) {
                        return Err(bad(1, "a constant whole number, 0 or more"));
                    }
                }
                if args.len() == 3 {
                    let default = args
                        .pop()
                        .unwrap_or(BoundExpr::Literal(ScalarValue::Null(ty)));
                    match convert_to(default, ty, self) {
                        Ok(d) => args.push(d),
                        Err(_) => return Err(bad(2, &format!("of the type of argument 1 ({ty})"))),
                    }
                }
                ty
            }
            WindowKind::RowNumber => {
                if let Some(start) = args.first() {
                    if !matches!(
                        start,
                        BoundExpr::Literal(ScalarValue::Long(_) | ScalarValue::Int(_))
                    ) {
                        return Err(bad(0, "a constant whole number"));
                    }
                }
                if args.len() == 2 && args[1].ty() != KType::Bool {
                    return Err(bad(1, "a bool (true starts the numbering again)"));
                }
                KType::Long
            }
            WindowKind::RowCumsum => {
                let ty = match args[0].ty() {
                    KType::Int | KType::Long => KType::Long,
                    KType::Real | KType::Decimal => KType::Real,
                    KType::TimeSpan => KType::TimeSpan,
                    _ => return Err(bad(0, "a number or timespan")),
                };
                if args.len() == 2 && args[1].ty() != KType::Bool {
                    return Err(bad(1, "a bool (true starts the sum again)"));
                }
                ty
            }
            WindowKind::RowRankMin | WindowKind::RowRankDense => {
                if args[0].ty() == KType::Dynamic {
                    return Err(bad(0, "a scalar value (not dynamic)"));
                }
                if args.len() == 2 && args[1].ty() != KType::Bool {
                    return Err(bad(1, "a bool (true starts the ranking again)"));
                }
                KType::Long
            }
            WindowKind::RowWindowSession => {
                let ty = args[0].ty();
                if !matches!(ty, KType::DateTime | KType::TimeSpan) {
                    return Err(bad(0, "a datetime (or timespan)"));
                }
                for i in [1, 2] {
                    if !matches!(args[i], BoundExpr::Literal(ScalarValue::TimeSpan(_))) {
                        return Err(bad(i, "a constant timespan"));
                    }
                }
                if args.len() == 4 && args[3].ty() != KType::Bool {
                    return Err(bad(3, "a bool (true starts a new session)"));
                }
                ty
            }
        };
        let Some(collector) = self.window.as_mut() else {
            return Err(PlanError::new(
                "plan::internal",
                call.span,
                "window collector vanished while binding (this is a bug)",
                "here",
            ));
        };
        let index = collector.base + collector.calls.len();
        collector.calls.push(WindowCall { kind, args, ty });
        Ok(BoundExpr::Column {
            index,
            name: format!("{name}_{}", index - collector.base),
            ty,
        })
    }
}

fn usage(kind: WindowKind) -> &'static str {
    match kind {
        WindowKind::Prev => "prev(column[, offset[, default]]), e.g. `prev(cIP)`",
        WindowKind::Next => "next(column[, offset[, default]]), e.g. `next(TimeGenerated)`",
        WindowKind::RowNumber => "row_number([start[, restart]]), e.g. `row_number(1, cIP != prev(cIP))`",
        WindowKind::RowCumsum => "row_cumsum(column[, restart]), e.g. `row_cumsum(scBytes, cIP != prev(cIP))`",
        WindowKind::RowRankMin => "row_rank_min(column[, restart]) over sorted rows, e.g. `sort by n desc | extend r = row_rank_min(n)`",
        WindowKind::RowRankDense => "row_rank_dense(column[, restart]) over sorted rows, e.g. `sort by n desc | extend r = row_rank_dense(n)`",
        WindowKind::RowWindowSession => {
            "row_window_session(TimeGenerated, maxFromFirst, maxBetween[, restart]), e.g. `row_window_session(TimeGenerated, 30m, 5m, cIP != prev(cIP))`"
        }
    }
}
