//! `series_stats(x)`, `series_fit_line(x)`, `series_decompose(x, …)` and
//! `series_decompose_anomalies(x, …)` in `extend` / `project`: in
//! Kusto each gives several columns (`series_stats_x_min`, …, or the names
//! of `(a, b, …) = series_stats(x)`). The binder writes each column as a
//! field of the `_dynamic` form: `todouble(series_stats_dynamic(x)["min"])`.

use std::borrow::Cow;

use iishunt_syntax::ast::{self, ExprKind, Literal};

use super::naming;

/// The columns of each multi-column series function, with their converter.
fn fields(name: &str) -> Option<(&'static str, &'static [(&'static str, &'static str)])> {
    Some(match name {
        "series_stats" => (
            "series_stats_dynamic",
            &[
                ("min", "todouble"),
                ("min_idx", "tolong"),
                ("max", "todouble"),
                ("max_idx", "tolong"),
                ("avg", "todouble"),
                ("stdev", "todouble"),
                ("variance", "todouble"),
            ],
        ),
        "series_fit_line" => (
            "series_fit_line_dynamic",
            &[
                ("rsquare", "todouble"),
                ("slope", "todouble"),
                ("variance", "todouble"),
                ("rvariance", "todouble"),
                ("interception", "todouble"),
                ("line_fit", "todynamic"),
            ],
        ),
        "series_decompose" => (
            "series_decompose_dynamic",
            &[
                ("baseline", "todynamic"),
                ("seasonal", "todynamic"),
                ("trend", "todynamic"),
                ("residual", "todynamic"),
            ],
        ),
        "series_decompose_anomalies" => (
            "series_decompose_anomalies_dynamic",
            &[
                ("ad_flag", "todynamic"),
                ("ad_score", "todynamic"),
                ("baseline", "todynamic"),
            ],
        ),
        _ => return None,
    })
}

/// `items` with each multi-column series call spread into its columns.
pub(crate) fn expand(items: &[ast::NamedExpr]) -> Cow<'_, [ast::NamedExpr]> {
    let multi = |i: &ast::NamedExpr| matches!(&i.expr.kind, ExprKind::Call(c) if fields(&c.name.name).is_some());
    if !items.iter().any(multi) {
        return Cow::Borrowed(items);
    }
    let mut out = Vec::new();
    for item in items {
        let ExprKind::Call(call) = &item.expr.kind else {
            out.push(item.clone());
            continue;
        };
        let Some((dynamic, columns)) = fields(&call.name.name) else {
            out.push(item.clone());
            continue;
        };
        let span = item.expr.span;
        let base = call
            .args
            .first()
            .and_then(naming::first_name)
            .unwrap_or_default();
        for (k, (field, convert)) in columns.iter().enumerate() {
            let bag = ast::Expr::new(
                ExprKind::Call(ast::Call {
                    name: ast::Ident::new(dynamic, call.name.span),
                    args: call.args.clone(),
                    span: call.span,
                }),
                span,
            );
            let value = ast::Expr::new(
                ExprKind::Index {
                    expr: Box::new(bag),
                    index: Box::new(ast::Expr::new(
                        ExprKind::Literal(Literal::String(field.to_string())),
                        span,
                    )),
                },
                span,
            );
            let expr = ast::Expr::new(
                ExprKind::Call(ast::Call {
                    name: ast::Ident::new(*convert, call.name.span),
                    args: vec![value],
                    span: call.span,
                }),
                span,
            );
            let name = match item.names.get(k) {
                Some(n) => n.clone(),
                None => ast::Ident::new(format!("{}_{base}_{field}", call.name.name), span),
            };
            out.push(ast::NamedExpr {
                names: vec![name],
                expr,
                span: item.span,
            });
        }
    }
    Cow::Owned(out)
}
