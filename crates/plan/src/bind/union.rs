//! `union`: its legs (tables, `let` names, wildcards such as `W3C*`,
//! parenthesised subqueries, the piped input of the operator form) and its
//! parameters `kind=inner|outer`, `withsource=Column` and `isfuzzy=true`, as
//! Kusto documents them (union-operator.md):
//!
//! - `outer` (the default) keeps every column of every leg, one per name and
//!   type: a name that comes with two types becomes `name_type` for each
//!   (`x_long`, `x_int`), numbered on when that name is taken (`x_long1`);
//! - `inner` keeps the columns (name and type) that every leg has;
//! - `withsource=C` puts a first string column `C` naming each row's leg (its
//!   table or `let` name; `union_argN` for a subquery);
//! - `isfuzzy=true` leaves out a leg naming a table, `let` or column that does
//!   not exist, and a wildcard that matches nothing, each with a note; if no
//!   leg is left the first one's error is the query's.

use iishunt_syntax::ast::{self, SourceKind};

use super::operators::{identity, wildcard_match};
use super::{Binder, Binding};
use crate::error::{PlanError, Result};
use crate::expr::BoundExpr;
use crate::logical::{LogicalPlan, Project, Union};
use crate::schema::{Column, Schema};
use crate::types::{KType, ScalarValue};

/// What the parameters of one `union` ask for.
struct Params {
    inner: bool,
    withsource: Option<String>,
    fuzzy: bool,
}

impl<'a> Binder<'a> {
    /// Binds `union` (the source form when `piped` is `None`).
    pub(crate) fn bind_union(
        &mut self,
        u: &ast::Union,
        piped: Option<LogicalPlan>,
    ) -> Result<LogicalPlan> {
        let params = union_params(u)?;
        let mut legs: Vec<(String, LogicalPlan)> = Vec::new();
        if let Some(p) = piped {
            legs.push(("union_arg0".to_string(), p));
        }
        let mut skipped: Vec<PlanError> = Vec::new();
        for t in &u.tables {
            let arg = format!("union_arg{}", legs.len());
            match self.bind_leg(t, arg) {
                Ok(found) => legs.extend(found),
                Err(e) if params.fuzzy && fuzzy_skips(&e) => {
                    self.notes.push(format!(
                        "`union isfuzzy=true` left out a leg: {}",
                        e.message
                    ));
                    skipped.push(e);
                }
                Err(e) => return Err(e),
            }
        }
        if legs.is_empty() {
            if let Some(e) = skipped.into_iter().next() {
                return Err(e);
            }
        }
        Ok(union_legs(legs, params.inner, params.withsource.as_deref()))
    }

    /// A `*` pattern as a source: every table and tabular `let` it matches.
    pub(crate) fn bind_table_pattern(&mut self, name: &ast::Ident) -> Result<LogicalPlan> {
        let legs = self.pattern_legs(name)?;
        Ok(union_legs(legs, false, None))
    }

    /// One leg, or the several a wildcard matches, each with its name.
    pub(super) fn bind_leg(
        &mut self,
        t: &ast::TabularExpr,
        arg: String,
    ) -> Result<Vec<(String, LogicalPlan)>> {
        if let (SourceKind::Table(names), true) = (&t.source.kind, t.operators.is_empty()) {
            if let [name] = names.as_slice() {
                if name.name.contains('*') {
                    return self.pattern_legs(name);
                }
                return Ok(vec![(name.name.clone(), self.bind_table_name(name)?)]);
            }
        }
        Ok(vec![(arg, self.bind_tabular(t)?)])
    }

    fn pattern_legs(&mut self, pattern: &ast::Ident) -> Result<Vec<(String, LogicalPlan)>> {
        let mut names: Vec<String> = self
            .catalog
            .table_names()
            .map(str::to_string)
            .chain(self.let_names().into_iter().filter(|n| {
                matches!(self.lookup(n), Some(Binding::Tabular(_) | Binding::Plan(_)))
                    || matches!(self.lookup(n), Some(Binding::Function(f)) if f.params.is_empty())
            }))
            .filter(|n| wildcard_match(&pattern.name, n))
            .collect();
        names.sort();
        names.dedup();
        if names.is_empty() {
            return Err(PlanError::new(
                "plan::unknown_table",
                pattern.span,
                format!("no table matches `{}`", pattern.name),
                "no table or tabular `let` has a name like this",
            )
            .with_help({
                let mut tables: Vec<&str> = self.catalog.table_names().collect();
                tables.sort_unstable();
                format!("the tables are: {}", tables.join(", "))
            }));
        }
        let mut legs = Vec::new();
        for n in names {
            let ident = ast::Ident {
                name: n.clone(),
                span: pattern.span,
            };
            legs.push((n, self.bind_table_name(&ident)?));
        }
        Ok(legs)
    }
}

fn fuzzy_skips(e: &PlanError) -> bool {
    matches!(e.code, "plan::unknown_table" | "plan::unknown_column")
}

fn union_params(u: &ast::Union) -> Result<Params> {
    let mut params = Params {
        inner: false,
        withsource: None,
        fuzzy: false,
    };
    for (name, value) in &u.params {
        let word = match &value.kind {
            ast::ExprKind::Name(i) => Some(i.name.as_str()),
            ast::ExprKind::Literal(ast::Literal::Bool(true)) => Some("true"),
            ast::ExprKind::Literal(ast::Literal::Bool(false)) => Some("false"),
            ast::ExprKind::Literal(ast::Literal::String(s)) => Some(s.as_str()),
            _ => None,
        };
        let bad = |what: &str| {
            PlanError::new(
                "plan::union_parameter",
                value.span,
                format!("`union {}=`: {what}", name.name),
                "this value",
            )
        };
        match name.name.to_ascii_lowercase().as_str() {
            "kind" => match word {
                Some("inner") => params.inner = true,
                Some("outer") => params.inner = false,
                _ => return Err(bad("expected `inner` or `outer`")),
            },
            "withsource" => match word {
                Some(c) => params.withsource = Some(c.to_string()),
                None => return Err(bad("expected a column name")),
            },
            "isfuzzy" => match word.map(str::to_ascii_lowercase).as_deref() {
                Some("true") => params.fuzzy = true,
                Some("false") => params.fuzzy = false,
                _ => return Err(bad("expected `true` or `false`")),
            },
            n if n.starts_with("hint.") => {}
            _ => {
                return Err(PlanError::new(
                    "plan::union_parameter",
                    name.span,
                    format!("`union` has no parameter `{}`", name.name),
                    "unknown parameter",
                )
                .with_help("union takes kind=inner|outer, withsource=Column, isfuzzy=true and hint.* parameters"))
            }
        }
    }
    Ok(params)
}

/// The union of named legs: see the module comment for the columns.
pub(crate) fn union_legs(
    legs: Vec<(String, LogicalPlan)>,
    inner: bool,
    withsource: Option<&str>,
) -> LogicalPlan {
    let mut legs: Vec<LogicalPlan> = legs
        .into_iter()
        .map(|(name, plan)| match withsource {
            Some(col) => with_source(plan, col, name),
            None => plan,
        })
        .collect();
    if legs.len() == 1 && !inner {
        return legs.remove(0);
    }
    // (name, type) of every output column, in order of first appearance.
    let mut pairs: Vec<(String, KType)> = Vec::new();
    for leg in &legs {
        for c in &leg.schema().columns {
            if !pairs.iter().any(|(n, t)| *n == c.name && *t == c.ty) {
                pairs.push((c.name.clone(), c.ty));
            }
        }
    }
    if inner {
        pairs.retain(|(n, t)| {
            legs.iter().all(|l| {
                l.schema()
                    .columns
                    .iter()
                    .any(|c| c.name == *n && c.ty == *t)
            })
        });
    }
    let names = output_names(&pairs);
    let mappings = legs
        .iter()
        .map(|leg| {
            pairs
                .iter()
                .map(|(n, t)| {
                    leg.schema()
                        .columns
                        .iter()
                        .position(|c| c.name == *n && c.ty == *t)
                })
                .collect()
        })
        .collect();
    let columns = pairs
        .iter()
        .zip(names)
        .map(|((_, ty), name)| Column { name, ty: *ty })
        .collect();
    LogicalPlan::Union(Union {
        inputs: legs,
        mappings,
        schema: Schema::new(columns),
    })
}

/// Kusto's names for the union's columns: a name with one type stays; a name
/// with several becomes `name_type`, numbered on (`x_long1`) while taken.
fn output_names(pairs: &[(String, KType)]) -> Vec<String> {
    let clash = |n: &str| pairs.iter().filter(|(m, _)| m == n).count() > 1;
    let mut taken: Vec<String> = pairs
        .iter()
        .filter(|(n, _)| !clash(n))
        .map(|(n, _)| n.clone())
        .collect();
    pairs
        .iter()
        .map(|(n, t)| {
            if !clash(n) {
                return n.clone();
            }
            let base = format!("{n}_{t}");
            let mut name = base.clone();
            let mut k = 1;
            while taken.contains(&name) {
                name = format!("{base}{k}");
                k += 1;
            }
            taken.push(name.clone());
            name
        })
        .collect()
}

/// The leg with a first string column `col` holding `name`.
fn with_source(plan: LogicalPlan, col: &str, name: String) -> LogicalPlan {
    let schema = plan.schema().clone();
    let mut exprs = vec![BoundExpr::Literal(ScalarValue::String(name))];
    exprs.extend(identity(&schema));
    let mut columns = vec![Column {
        name: col.to_string(),
        ty: KType::String,
    }];
    // A leg's own column of that name gives way to the source column.
    columns.extend(schema.columns.iter().filter(|c| c.name != col).cloned());
    let exprs = std::iter::once(exprs[0].clone())
        .chain(
            schema
                .columns
                .iter()
                .zip(exprs.into_iter().skip(1))
                .filter(|(c, _)| c.name != col)
                .map(|(_, e)| e),
        )
        .collect();
    LogicalPlan::Project(Project {
        input: Box::new(plan),
        exprs,
        schema: Schema::new(columns),
    })
}

#[cfg(test)]
mod tests {
    use super::output_names;
    use crate::types::KType;

    /// Kusto's documented example: View_1 `x:long`, View_2 `x:int`, View_3
    /// `x_long:long` give `x_long1, x_int, x_long`.
    #[test]
    fn clashing_types_are_suffixed_and_numbered() {
        let pairs = vec![
            ("x".to_string(), KType::Long),
            ("x".to_string(), KType::Int),
            ("x_long".to_string(), KType::Long),
        ];
        assert_eq!(output_names(&pairs), vec!["x_long1", "x_int", "x_long"]);
    }
}
