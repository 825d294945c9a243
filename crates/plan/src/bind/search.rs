//! `search`: find a term (or a predicate) in every column of every log table
//! — "where else did 198.51.100.77 show up?".
//!
//! `search [in (T1, T2)] Predicate` starts a query: one filtered scan per
//! table, each with a `$table` column naming it, unioned. `T | search
//! Predicate` filters its input. In the predicate a bare string is a term: it
//! matches a row when any string column `has` it (case-insensitive, as Kusto);
//! `"adm*"` is `hasprefix`, `"*.php"` `hassuffix`, `"*shell*"` `contains`.
//! Terms combine with `and`, `or`, `not()` and ordinary comparisons.

use iishunt_syntax::ast::{self, BinaryOp, ExprKind, Literal, Span, StrOp, StrOpKind};

use super::Binder;
use crate::catalog::TableKind;
use crate::error::{PlanError, Result};
use crate::expr::BoundExpr;
use crate::logical::{LogicalPlan, Project};
use crate::schema::{Column, Schema};
use crate::types::{KType, ScalarValue};

/// The column naming each row's table in a `search` across tables.
const TABLE_COLUMN: &str = "$table";

impl<'a> Binder<'a> {
    /// `search [in (tables)] predicate` as a source.
    pub(crate) fn bind_search_source(
        &mut self,
        tables: &[ast::Ident],
        predicate: &ast::Expr,
        span: Span,
    ) -> Result<LogicalPlan> {
        let names: Vec<ast::Ident> = if tables.is_empty() {
            self.catalog
                .tables
                .iter()
                .filter(|t| t.kind == TableKind::Log)
                .map(|t| ast::Ident::new(t.name.clone(), span))
                .collect()
        } else {
            tables.to_vec()
        };
        let mut inputs = Vec::new();
        let mut first_error = None;
        for name in &names {
            let plan = self.bind_table_name(name)?;
            match self.bind_search_op(plan, predicate) {
                Ok(filtered) => inputs.push(with_table_column(filtered, &name.name)),
                // A table without a column the predicate names has no match
                // (Kusto searches the tables where it applies).
                Err(e) if e.code == "plan::unknown_column" && tables.is_empty() => {
                    first_error.get_or_insert(e);
                }
                Err(e) => return Err(e),
            }
        }
        if inputs.is_empty() {
            return Err(first_error.unwrap_or_else(|| {
                PlanError::new("plan::search", span, "there is no table to search", "here")
            }));
        }
        Ok(super::operators::union_plans(inputs))
    }

    /// `T | search predicate`: the rows of T where it holds.
    pub(crate) fn bind_search_op(
        &mut self,
        plan: LogicalPlan,
        predicate: &ast::Expr,
    ) -> Result<LogicalPlan> {
        let strings: Vec<String> = plan
            .schema()
            .columns
            .iter()
            .filter(|c| matches!(c.ty, KType::String | KType::Dynamic))
            .map(|c| c.name.clone())
            .collect();
        let rewritten = terms_to_predicates(predicate, &strings);
        self.bind_where(plan, &rewritten)
    }
}

/// Whether `e` has a term (a bare string, or `* has "x"`) that looks in
/// every column.
pub(super) fn names_a_term(e: &ast::Expr) -> bool {
    match &e.kind {
        ExprKind::Literal(Literal::String(_)) => true,
        ExprKind::Binary {
            op: BinaryOp::Str(_),
            left,
            ..
        } if matches!(left.kind, ExprKind::Star) => true,
        ExprKind::Binary {
            op: BinaryOp::And | BinaryOp::Or,
            left,
            right,
        } => names_a_term(left) || names_a_term(right),
        ExprKind::Unary {
            op: ast::UnaryOp::Not,
            expr,
        } => names_a_term(expr),
        _ => false,
    }
}

/// Replaces each bare string term with "some string column has it", and
/// `* op "x"` with "some string column `op` it".
pub(super) fn terms_to_predicates(e: &ast::Expr, columns: &[String]) -> ast::Expr {
    let rebuilt = |kind| ast::Expr::new(kind, e.span);
    match &e.kind {
        ExprKind::Literal(Literal::String(term)) => term_predicate(term, columns, e.span),
        ExprKind::Binary {
            op: op @ BinaryOp::Str(_),
            left,
            right,
        } if matches!(left.kind, ExprKind::Star) => any_column(*op, right, columns, e.span),
        ExprKind::Binary {
            op: op @ (BinaryOp::And | BinaryOp::Or),
            left,
            right,
        } => rebuilt(ExprKind::Binary {
            op: *op,
            left: Box::new(terms_to_predicates(left, columns)),
            right: Box::new(terms_to_predicates(right, columns)),
        }),
        ExprKind::Unary {
            op: ast::UnaryOp::Not,
            expr,
        } => rebuilt(ExprKind::Unary {
            op: ast::UnaryOp::Not,
            expr: Box::new(terms_to_predicates(expr, columns)),
        }),
        _ => e.clone(),
    }
}

/// `c1 has "t" or c2 has "t" or …` (false when there is no string column).
fn term_predicate(term: &str, columns: &[String], span: Span) -> ast::Expr {
    let (kind, text) = match (term.strip_prefix('*'), term.strip_suffix('*')) {
        (Some(rest), _) if rest.ends_with('*') && rest.len() > 1 => {
            (StrOpKind::Contains, &rest[..rest.len() - 1])
        }
        (Some(rest), _) => (StrOpKind::HasSuffix, rest),
        (None, Some(rest)) => (StrOpKind::HasPrefix, rest),
        (None, None) => (StrOpKind::Has, term),
    };
    let op = BinaryOp::Str(StrOp {
        kind,
        negated: false,
        case_sensitive: false,
    });
    let text = ast::Expr::new(ExprKind::Literal(Literal::String(text.to_string())), span);
    any_column(op, &text, columns, span)
}

/// `c1 op value or c2 op value or …` (`and` for a negated `op`; false when
/// there is no string column).
fn any_column(op: BinaryOp, value: &ast::Expr, columns: &[String], span: Span) -> ast::Expr {
    let test = |column: &String| {
        ast::Expr::new(
            ExprKind::Binary {
                op,
                left: Box::new(ast::Expr::new(
                    ExprKind::Name(ast::Ident::new(column.clone(), span)),
                    span,
                )),
                right: Box::new(value.clone()),
            },
            span,
        )
    };
    let mut tests = columns.iter().map(test);
    let Some(first) = tests.next() else {
        return ast::Expr::new(ExprKind::Literal(Literal::Bool(false)), span);
    };
    // `* !has "x"`: no column has it.
    let join = match op {
        BinaryOp::Str(StrOp { negated: true, .. }) => BinaryOp::And,
        _ => BinaryOp::Or,
    };
    tests.fold(first, |acc, t| {
        ast::Expr::new(
            ExprKind::Binary {
                op: join,
                left: Box::new(acc),
                right: Box::new(t),
            },
            span,
        )
    })
}

/// `$table` first, then the table's columns.
fn with_table_column(plan: LogicalPlan, table: &str) -> LogicalPlan {
    let input = plan.schema().clone();
    let mut exprs = vec![BoundExpr::Literal(ScalarValue::String(table.to_string()))];
    let mut columns = vec![Column {
        name: TABLE_COLUMN.to_string(),
        ty: KType::String,
    }];
    for (index, c) in input.columns.iter().enumerate() {
        exprs.push(BoundExpr::Column {
            index,
            name: c.name.clone(),
            ty: c.ty,
        });
        columns.push(c.clone());
    }
    LogicalPlan::Project(Project {
        input: Box::new(plan),
        exprs,
        schema: Schema::new(columns),
    })
}
