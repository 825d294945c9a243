//! `mv-expand` (KQL) and `MV_EXPAND` (ES|QL): one row per array element.
//! Expressions to expand are computed first by a projection, so the expand
//! node itself only ever names columns.

use iishunt_syntax::ast::{self, Dialect, ExprKind};

use super::expr::convert_to;
use super::operators::identity;
use super::{naming, Binder};
use crate::error::{PlanError, Result};
use crate::expr::BoundExpr;
use crate::logical::{LogicalPlan, MvExpand, Project};
use crate::schema::{Column, Schema};
use crate::types::KType;

impl<'a> Binder<'a> {
    pub(crate) fn bind_mv_expand(
        &mut self,
        plan: LogicalPlan,
        m: &ast::MvExpand,
        span: ast::Span,
    ) -> Result<LogicalPlan> {
        let mut bags_as_arrays = false;
        let mut item_index: Option<String> = None;
        for (key, value) in &m.params {
            let word = match &value.kind {
                ExprKind::Name(i) => i.name.clone(),
                _ => naming::expr_text(value),
            };
            match key.name.as_str() {
                "kind" | "bagexpansion" => match word.as_str() {
                    "bag" => bags_as_arrays = false,
                    "array" => bags_as_arrays = true,
                    _ => {
                        return Err(PlanError::new(
                            "plan::bad_mv_expand_kind",
                            value.span,
                            format!("`{}={word}` is not a bag expansion", key.name),
                            "expected `bag` or `array`",
                        ))
                    }
                },
                "with_itemindex" => item_index = Some(word),
                _ => {}
            }
        }
        let limit = match &m.limit {
            Some(e) => Some(self.bind_count(e)?),
            None => None,
        };

        // Compute the expanded values as columns: a bare column expands in
        // place; `name = expr` replaces `name` or is appended.
        let in_schema = plan.schema().clone();
        let mut exprs: Vec<BoundExpr> = identity(&in_schema);
        let mut columns = in_schema.columns.clone();
        let mut expanded: Vec<usize> = Vec::new();
        let mut types: Vec<KType> = Vec::new();
        let mut counter = 0;
        for (item, to_type) in &m.columns {
            let bound = self.bind_expr(&item.expr, &in_schema, None)?;
            let name = match item.names.first() {
                Some(n) => n.name.clone(),
                None => match &item.expr.kind {
                    ExprKind::Name(i) => i.name.clone(),
                    _ => naming::derived_name(&item.expr, &columns, &mut counter),
                },
            };
            let ty = bound.ty();
            if ty != KType::Dynamic {
                if self.dialect == Dialect::Esql {
                    continue; // a single-valued field expands to itself
                }
                return Err(PlanError::new(
                    "plan::mv_expand_type",
                    item.expr.span,
                    format!("mv-expand needs a dynamic array, and this is {}", ty.name()),
                    "not dynamic",
                )
                .with_help(
                    "make an array first, e.g. `split(csUriStem, \"/\")` or `todynamic(…)`",
                ));
            }
            let index = match columns.iter().position(|c| c.name == name) {
                Some(i) => {
                    exprs[i] = bound;
                    i
                }
                None => {
                    exprs.push(bound);
                    columns.push(Column {
                        name: name.clone(),
                        ty: KType::Dynamic,
                    });
                    columns.len() - 1
                }
            };
            if expanded.contains(&index) {
                return Err(PlanError::new(
                    "plan::mv_expand_twice",
                    item.span,
                    format!("`{name}` is expanded twice"),
                    "repeated",
                ));
            }
            expanded.push(index);
            types.push(to_type.map(KType::from).unwrap_or(KType::Dynamic));
        }
        if expanded.is_empty() {
            return Ok(plan);
        }
        let input = if exprs
            .iter()
            .enumerate()
            .all(|(i, e)| e.as_column() == Some(i))
            && exprs.len() == in_schema.len()
        {
            plan
        } else {
            LogicalPlan::Project(Project {
                input: Box::new(plan),
                exprs,
                schema: Schema::new(columns.clone()),
            })
        };
        if let Some(name) = &item_index {
            let name = naming::unique(name, &columns);
            columns.push(Column {
                name,
                ty: KType::Long,
            });
        }
        let expand = LogicalPlan::MvExpand(MvExpand {
            input: Box::new(input),
            columns: expanded.clone(),
            bags_as_arrays,
            item_index: item_index.is_some(),
            limit,
            schema: Schema::new(columns.clone()),
        });
        if types.iter().all(|t| *t == KType::Dynamic) {
            return Ok(expand);
        }
        // `to typeof(T)`: convert the expanded values.
        let mut exprs = Vec::with_capacity(columns.len());
        for (i, c) in columns.iter_mut().enumerate() {
            let column = BoundExpr::Column {
                index: i,
                name: c.name.clone(),
                ty: c.ty,
            };
            let to = expanded
                .iter()
                .position(|e| *e == i)
                .map_or(c.ty, |at| types[at]);
            exprs.push(
                convert_to(column, to, self)
                    .map_err(|m| PlanError::new("plan::mv_expand_type", span, m, "here"))?,
            );
            c.ty = to;
        }
        Ok(LogicalPlan::Project(Project {
            input: Box::new(expand),
            exprs,
            schema: Schema::new(columns),
        }))
    }
}
