//! `find`: the rows of several tables where a predicate holds, in one shape
//! (find-operator.md) — "which tables saw 198.51.100.77, and how?".
//!
//! `find [withsource=C] [in (T1, (T2 | …), W*)] where P [project-smart |
//! project a, b:long, pack_all()]`; without `in (…)` it looks in every log
//! table. A table that has none of the columns `P` names is left out; in the
//! others a column `P` names but the table lacks reads as null. The output:
//!
//! - first `source_` (or `C`), naming each row's table;
//! - `project-smart` (the default): the columns `P` names, then those every
//!   kept table has (same name and type), then `pack_`, a bag of the row's
//!   other columns;
//! - `project a, b:long`: those columns (null where a table lacks one,
//!   converted where a type is given), and with `pack_all()` the rest in
//!   `pack_`.
//!
//! A bare string in `P` is a term, as in `search`; so is `* has "term"`.

use iishunt_syntax::ast::{self, ExprKind, Span};

use super::search::{names_a_term, terms_to_predicates};
use super::union::union_legs;
use super::Binder;
use crate::catalog::TableKind;
use crate::error::{PlanError, Result};
use crate::expr::BoundExpr;
use crate::functions::lookup_scalar;
use crate::logical::{LogicalPlan, Project};
use crate::schema::{Column, Schema};
use crate::types::{KType, ScalarValue};

/// The column naming each row's table unless `withsource=` says otherwise.
const SOURCE_COLUMN: &str = "source_";
/// The bag of the columns a row has beyond the projected ones.
const PACK_COLUMN: &str = "pack_";

impl<'a> Binder<'a> {
    /// `find …` as a source.
    pub(crate) fn bind_find(&mut self, f: &ast::Find, span: Span) -> Result<LogicalPlan> {
        let legs = self.find_legs(f, span)?;
        let named = predicate_columns(&f.predicate, &legs);
        // A term looks in every column, so every table takes part.
        let legs: Vec<(String, LogicalPlan)> = if named.is_empty() || names_a_term(&f.predicate) {
            legs
        } else {
            legs.into_iter()
                .filter(|(_, plan)| {
                    named
                        .iter()
                        .any(|c| plan.schema().index_of(&c.name).is_some())
                })
                .collect()
        };
        if legs.is_empty() {
            return Err(PlanError::new(
                "plan::find",
                span,
                "there is no table to look in",
                "here",
            ));
        }
        let mut filtered = Vec::with_capacity(legs.len());
        for (name, plan) in legs {
            let source_columns = plan.schema().columns.clone();
            let padded = with_nulls_for(plan, &named);
            let strings = string_columns(&source_columns);
            let predicate = terms_to_predicates(&f.predicate, &strings);
            filtered.push((name, self.bind_where(padded, &predicate)?, source_columns));
        }
        let shaped = match &f.project {
            None => smart_shape(filtered, &named, self)?,
            Some(p) => listed_shape(filtered, p, self)?,
        };
        let source = f
            .withsource
            .as_ref()
            .map_or(SOURCE_COLUMN, |c| c.name.as_str());
        Ok(union_legs(shaped, false, Some(source)))
    }

    /// The tables of `in (…)`, or every log table.
    fn find_legs(&mut self, f: &ast::Find, span: Span) -> Result<Vec<(String, LogicalPlan)>> {
        if f.tables.is_empty() {
            let names: Vec<String> = self
                .catalog
                .tables
                .iter()
                .filter(|t| t.kind == TableKind::Log)
                .map(|t| t.name.clone())
                .collect();
            let mut legs = Vec::new();
            for name in names {
                let plan = self.bind_table_name(&ast::Ident::new(name.clone(), span))?;
                legs.push((name, plan));
            }
            return Ok(legs);
        }
        let mut legs = Vec::new();
        for t in &f.tables {
            let arg = format!("find_arg{}", legs.len());
            legs.extend(self.bind_leg(t, arg)?);
        }
        Ok(legs)
    }
}

/// The columns the predicate names (in order, once each) that some table has,
/// typed as the first table that has them.
fn predicate_columns(predicate: &ast::Expr, legs: &[(String, LogicalPlan)]) -> Vec<Column> {
    let mut names = Vec::new();
    names_in(predicate, &mut names);
    let mut columns: Vec<Column> = Vec::new();
    for n in names {
        if columns.iter().any(|c| c.name == n) {
            continue;
        }
        let found = legs
            .iter()
            .find_map(|(_, plan)| plan.schema().columns.iter().find(|c| c.name == n).cloned());
        columns.extend(found);
    }
    columns
}

/// Every plain name in `e` (columns, and `let` names the caller filters out).
fn names_in(e: &ast::Expr, out: &mut Vec<String>) {
    match &e.kind {
        ExprKind::Name(i) => out.push(i.name.clone()),
        ExprKind::Literal(_) | ExprKind::JoinSide(_) | ExprKind::Star | ExprKind::Subquery(_) => {}
        ExprKind::Unary { expr, .. }
        | ExprKind::IsNull { expr, .. }
        | ExprKind::Member { expr, .. } => names_in(expr, out),
        ExprKind::Binary { left, right, .. } => {
            names_in(left, out);
            names_in(right, out);
        }
        ExprKind::Index { expr, index } => {
            names_in(expr, out);
            names_in(index, out);
        }
        ExprKind::In { expr, list, .. } | ExprKind::HasAny { expr, list, .. } => {
            names_in(expr, out);
            list.iter().for_each(|x| names_in(x, out));
        }
        ExprKind::Between {
            expr, low, high, ..
        } => {
            names_in(expr, out);
            names_in(low, out);
            names_in(high, out);
        }
        ExprKind::Call(c) => c.args.iter().for_each(|x| names_in(x, out)),
    }
}

fn string_columns(columns: &[Column]) -> Vec<String> {
    columns
        .iter()
        .filter(|c| matches!(c.ty, KType::String | KType::Dynamic))
        .map(|c| c.name.clone())
        .collect()
}

/// `plan` with a null column for each of `wanted` it lacks, so a predicate
/// over several tables' columns reads the missing ones as null.
fn with_nulls_for(plan: LogicalPlan, wanted: &[Column]) -> LogicalPlan {
    let schema = plan.schema().clone();
    let missing: Vec<&Column> = wanted
        .iter()
        .filter(|c| schema.index_of(&c.name).is_none())
        .collect();
    if missing.is_empty() {
        return plan;
    }
    let mut exprs = super::operators::identity(&schema);
    let mut columns = schema.columns.clone();
    for c in missing {
        exprs.push(BoundExpr::Literal(ScalarValue::Null(c.ty)));
        columns.push(c.clone());
    }
    LogicalPlan::Project(Project {
        input: Box::new(plan),
        exprs,
        schema: Schema::new(columns),
    })
}

/// One filtered leg: its name, its plan (with null columns added) and the
/// columns its table really has.
type FilteredLeg = (String, LogicalPlan, Vec<Column>);

/// `project-smart`: named columns, common columns, then `pack_`.
fn smart_shape(
    legs: Vec<FilteredLeg>,
    named: &[Column],
    binder: &mut Binder,
) -> Result<Vec<(String, LogicalPlan)>> {
    let first = &legs[0].2;
    let common: Vec<Column> = first
        .iter()
        .filter(|c| !named.iter().any(|n| n.name == c.name))
        .filter(|c| legs.iter().all(|(_, _, cols)| cols.contains(c)))
        .cloned()
        .collect();
    let mut out = Vec::with_capacity(legs.len());
    for (name, plan, own) in legs {
        let schema = plan.schema().clone();
        let mut exprs = Vec::new();
        let mut columns = Vec::new();
        for c in named.iter().chain(&common) {
            let Some(index) = schema.index_of(&c.name) else {
                continue;
            };
            let ty = schema.columns[index].ty;
            exprs.push(column(index, &c.name, ty));
            columns.push(Column {
                name: c.name.clone(),
                ty,
            });
        }
        let rest: Vec<&Column> = own
            .iter()
            .filter(|c| !columns.iter().any(|k| k.name == c.name))
            .collect();
        push_pack(&mut exprs, &mut columns, &schema, &rest, binder)?;
        out.push((name, project(plan, exprs, columns)));
    }
    Ok(out)
}

/// `project a, b:long [, pack_all()]`.
fn listed_shape(
    legs: Vec<FilteredLeg>,
    p: &ast::FindProject,
    binder: &mut Binder,
) -> Result<Vec<(String, LogicalPlan)>> {
    // Each listed column's type: the written one, else the one every table
    // that has it agrees on.
    let mut types = Vec::with_capacity(p.columns.len());
    for (n, written) in &p.columns {
        let seen: Vec<KType> = legs
            .iter()
            .filter_map(|(_, _, own)| own.iter().find(|c| c.name == n.name).map(|c| c.ty))
            .collect();
        let ty = match (written, seen.first()) {
            (Some(t), _) => KType::from(*t),
            (None, Some(&t)) if seen.iter().all(|s| *s == t) => t,
            (None, Some(_)) => {
                return Err(PlanError::new(
                    "plan::find",
                    n.span,
                    format!("`{}` has different types in different tables", n.name),
                    "give its type",
                )
                .with_help(format!("write `{}:string` (or the type you want)", n.name)))
            }
            (None, None) => {
                return Err(PlanError::new(
                    "plan::unknown_column",
                    n.span,
                    format!("no table in scope has a column `{}`", n.name),
                    "unknown column",
                )
                .with_help(format!(
                    "give it a type (`{}:string`) to have it as a null column",
                    n.name
                )))
            }
        };
        types.push(ty);
    }
    let mut out = Vec::with_capacity(legs.len());
    for (name, plan, own) in legs {
        let schema = plan.schema().clone();
        let mut exprs = Vec::new();
        let mut columns = Vec::new();
        for ((n, _), &ty) in p.columns.iter().zip(&types) {
            let present = own.iter().any(|c| c.name == n.name);
            exprs.push(typed_column(&schema, n, ty, present, "plan::find", binder)?);
            columns.push(Column {
                name: n.name.clone(),
                ty,
            });
        }
        if p.pack_all {
            let rest: Vec<&Column> = own
                .iter()
                .filter(|c| !p.columns.iter().any(|(n, _)| n.name == c.name))
                .collect();
            push_pack(&mut exprs, &mut columns, &schema, &rest, binder)?;
        }
        out.push((name, project(plan, exprs, columns)));
    }
    Ok(out)
}

/// Column `name` of `schema` converted to `ty` when `present`, else a null
/// of `ty` (a listed column a table lacks, a bag key no row has).
pub(super) fn typed_column(
    schema: &Schema,
    name: &ast::Ident,
    ty: KType,
    present: bool,
    code: &'static str,
    binder: &mut Binder,
) -> Result<BoundExpr> {
    match schema.index_of(&name.name).filter(|_| present) {
        Some(index) => {
            let c = column(index, &name.name, schema.columns[index].ty);
            super::expr::convert_to(c, ty, binder)
                .map_err(|message| PlanError::new(code, name.span, message, "this column"))
        }
        None => Ok(BoundExpr::Literal(ScalarValue::Null(ty))),
    }
}

pub(super) fn column(index: usize, name: &str, ty: KType) -> BoundExpr {
    BoundExpr::Column {
        index,
        name: name.to_string(),
        ty,
    }
}

/// Adds the `pack_` column: a bag of `rest` (by name in `schema`).
fn push_pack(
    exprs: &mut Vec<BoundExpr>,
    columns: &mut Vec<Column>,
    schema: &Schema,
    rest: &[&Column],
    binder: &mut Binder,
) -> Result<()> {
    exprs.push(pack(schema, rest, binder)?);
    columns.push(Column {
        name: PACK_COLUMN.to_string(),
        ty: KType::Dynamic,
    });
    Ok(())
}

/// `pack_` for one row: a bag of `columns` (by name in `schema`) without the
/// null and empty ones, as `pack_all(true)` — a W3CIISLog row has some forty
/// columns, most of them empty.
fn pack(schema: &Schema, columns: &[&Column], binder: &mut Binder) -> Result<BoundExpr> {
    let func = lookup_scalar("pack_all")
        .ok_or_else(|| binder.unknown_function("pack_all", Span::default()))?;
    let mut args = vec![BoundExpr::Literal(ScalarValue::Bool(true))];
    for c in columns {
        if let Some(index) = schema.index_of(&c.name) {
            args.push(BoundExpr::Literal(ScalarValue::String(c.name.clone())));
            args.push(column(index, &c.name, schema.columns[index].ty));
        }
    }
    Ok(BoundExpr::Call {
        func,
        args,
        ty: KType::Dynamic,
    })
}

fn project(plan: LogicalPlan, exprs: Vec<BoundExpr>, columns: Vec<Column>) -> LogicalPlan {
    LogicalPlan::Project(Project {
        input: Box::new(plan),
        exprs,
        schema: Schema::new(columns),
    })
}
