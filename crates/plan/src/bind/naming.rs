//! How unnamed columns get their names, as Kusto and ES|QL do it.

use iishunt_syntax::ast::{self, ExprKind};

use crate::schema::Column;

/// `name`, or `name1`, `name2`, … when taken (Kusto's suffix for repeats).
pub(crate) fn unique(name: &str, taken: &[Column]) -> String {
    if !taken.iter().any(|c| c.name == name) {
        return name.to_string();
    }
    (1..)
        .map(|i| format!("{name}{i}"))
        .find(|n| !taken.iter().any(|c| c.name == *n))
        .unwrap_or_else(|| name.to_string())
}

/// The first column name an expression reads, depth first: `bin(TimeGenerated, 1h)`
/// → `TimeGenerated` (Kusto keeps it for `by` keys and aggregate names).
pub(crate) fn first_name(e: &ast::Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Name(i) => Some(i.name.clone()),
        ExprKind::Call(c) => c.args.iter().find_map(first_name),
        ExprKind::Unary { expr, .. } => first_name(expr),
        ExprKind::Binary { left, right, .. } => first_name(left).or_else(|| first_name(right)),
        ExprKind::Index { expr, .. } | ExprKind::Member { expr, .. } => first_name(expr),
        _ => None,
    }
}

/// The name of a bare `by` key or projected expression: a column keeps its
/// name; `bin(x, …)`-like calls take their column's name; anything else is
/// `Column1`, `Column2`, … as in Kusto.
pub(crate) fn derived_name(e: &ast::Expr, taken: &[Column], counter: &mut usize) -> String {
    match &e.kind {
        ExprKind::Name(i) => i.name.clone(),
        // Kusto names these sketch readers `<function>_<column>` (`dcount_hll_merged`).
        ExprKind::Call(c)
            if matches!(
                c.name.name.as_str(),
                "dcount_hll" | "percentile_tdigest" | "percentiles_array_tdigest"
            ) =>
        {
            match first_name(e) {
                Some(n) => format!("{}_{n}", c.name.name),
                None => next_column(taken, counter),
            }
        }
        ExprKind::Call(_) => match first_name(e) {
            Some(n) => n,
            None => next_column(taken, counter),
        },
        _ => next_column(taken, counter),
    }
}

fn next_column(taken: &[Column], counter: &mut usize) -> String {
    loop {
        *counter += 1;
        let name = format!("Column{counter}");
        if !taken.iter().any(|c| c.name == name) {
            return name;
        }
    }
}

/// The text at `span` of the query, when it is there (ES|QL names unnamed
/// columns by the expression as written, spaces and case included).
pub(crate) fn source_text(source: Option<&str>, span: ast::Span) -> Option<String> {
    let text = source?.get(span.start..span.end)?.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// An expression as ES|QL would print it, for naming unnamed ES|QL columns (`count()`).
pub(crate) fn expr_text(e: &ast::Expr) -> String {
    match &e.kind {
        ExprKind::Name(i) => i.name.clone(),
        ExprKind::Star => "*".into(),
        ExprKind::Literal(ast::Literal::String(s)) => format!("{s:?}"),
        ExprKind::Literal(ast::Literal::Long(v)) => v.to_string(),
        ExprKind::Literal(ast::Literal::Real(v)) => v.to_string(),
        ExprKind::Literal(ast::Literal::Bool(v)) => v.to_string(),
        ExprKind::Call(c) => {
            let args: Vec<String> = c.args.iter().map(expr_text).collect();
            format!("{}({})", c.name.name, args.join(", "))
        }
        ExprKind::Binary { op, left, right } => {
            let sym = match op {
                ast::BinaryOp::Add => "+",
                ast::BinaryOp::Sub => "-",
                ast::BinaryOp::Mul => "*",
                ast::BinaryOp::Div => "/",
                ast::BinaryOp::Mod => "%",
                ast::BinaryOp::Eq => "==",
                ast::BinaryOp::NotEq => "!=",
                ast::BinaryOp::Lt => "<",
                ast::BinaryOp::Le => "<=",
                ast::BinaryOp::Gt => ">",
                ast::BinaryOp::Ge => ">=",
                ast::BinaryOp::And => "AND",
                ast::BinaryOp::Or => "OR",
                _ => "?",
            };
            format!("{} {sym} {}", expr_text(left), expr_text(right))
        }
        _ => "expr".into(),
    }
}
