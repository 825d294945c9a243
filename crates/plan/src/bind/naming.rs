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

/// The name of a bare `by` key or projected expression, as Kusto gives it
/// (Kusto.Language's `GetExpressionResultName`): a column keeps its name, a
/// bag member `d.key` or `d["key"]` is `d_key`, a call is named as its
/// function says (see [`call_name`]), and anything else — `x * 2`,
/// `strcat(a, b)`, `tolower(x)` — is `Column1`, `Column2`, …
pub(crate) fn derived_name(e: &ast::Expr, taken: &[Column], counter: &mut usize) -> String {
    result_name(e).unwrap_or_else(|| next_column(taken, counter))
}

/// Kusto's inferred name of an expression, if it has one.
fn result_name(e: &ast::Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Name(i) => Some(i.name.clone()),
        ExprKind::Member { expr, name } => Some(match result_name(expr) {
            Some(left) => format!("{left}_{}", name.name),
            None => name.name.clone(),
        }),
        ExprKind::Index { expr, index } => {
            let right = match &index.kind {
                ExprKind::Literal(ast::Literal::String(s)) => s.clone(),
                ExprKind::Literal(ast::Literal::Long(v)) => v.to_string(),
                ExprKind::Literal(ast::Literal::Int(v)) => v.to_string(),
                _ => String::new(),
            };
            Some(match result_name(expr) {
                Some(left) => format!("{left}_{right}"),
                None => right,
            })
        }
        ExprKind::Call(c) => call_name(c),
        _ => None,
    }
}

/// How a function names its column, from the `ResultNameKind` each function
/// has in Kusto.Language's Functions.cs (a fact table, not a guess): most
/// functions give no name; these keep their first argument's, or add to it.
fn call_name(c: &ast::Call) -> Option<String> {
    const FIRST_ARGUMENT: &[&str] = &[
        "split",
        "tostring",
        "tohex",
        "todynamic",
        "toobject",
        "tolong",
        "toint",
        "toreal",
        "todouble",
        "todatetime",
        "totimespan",
        "totime",
        "tobool",
        "toboolean",
        "todecimal",
        "toguid",
        "parse_csv",
        "parsejson",
        "parse_json",
        "parse_xml",
        "format_datetime",
        "format_timespan",
        "startofday",
        "bin",
        "floor",
        "bin_at",
        "bin_auto",
        "binary_and",
        "binary_or",
        "binary_xor",
        "binary_not",
        "binary_shift_right",
        "binary_shift_left",
        "bitset_count_ones",
        "series_fir",
        "series_outliers",
        "series_iir",
        "series_fill_backward",
        "series_fill_forward",
        "series_fill_const",
        "series_fill_linear",
        "round",
        "ceiling",
        "pow",
        "sqrt",
        "log",
        "log2",
        "log10",
        "exp",
        "exp2",
        "exp10",
        "cos",
        "sin",
        "tan",
        "acos",
        "asin",
        "atan",
        "atan2",
        "abs",
        "rand",
        "gamma",
        "loggamma",
        "erf",
        "erfc",
        "format_bytes",
    ];
    const ONLY_ARGUMENT: &[&str] = &["make_datetime", "make_timespan"];
    const NAME_AND_FIRST: &[&str] = &["strlen", "string_size", "percentile_tdigest", "dcount_hll"];
    const PREFIX_AND_FIRST: &[(&str, &str)] = &[
        ("gettype", "type"),
        ("treepath", "tree"),
        ("repeat", "repeat"),
        ("percentiles_array_tdigest", "percentile_tdigest"),
    ];
    const PREFIX_ONLY: &[(&str, &str)] = &[
        ("tdigest_merge", "tdigests_merge_result"),
        ("merge_tdigest", "tdigests_merge_result"),
        ("hll_merge", "hll_merged_result"),
    ];
    let name = c.name.name.as_str();
    let first = || c.args.first().and_then(result_name);
    let prefixed = |prefix: &str| format!("{prefix}_{}", first().unwrap_or_default());
    if FIRST_ARGUMENT.contains(&name) {
        first()
    } else if ONLY_ARGUMENT.contains(&name) {
        (c.args.len() == 1).then(first).flatten()
    } else if NAME_AND_FIRST.contains(&name) {
        Some(prefixed(name))
    } else if let Some((_, p)) = PREFIX_AND_FIRST.iter().find(|(f, _)| *f == name) {
        Some(prefixed(p))
    } else if let Some((_, p)) = PREFIX_ONLY.iter().find(|(f, _)| *f == name) {
        Some(p.to_string())
    } else if matches!(name, "column_ifexists" | "columnifexists") {
        match c.args.first().map(|a| &a.kind) {
            Some(ExprKind::Literal(ast::Literal::String(s))) => Some(s.clone()),
            _ => None,
        }
    } else {
        None
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
