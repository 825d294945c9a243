//! Tabular operators: one builder per `*_op` rule, each returning an
//! [`Operator`] spanned from its keyword to its last token.
//!
//! Called by `statements::tabular_expr` for every `| operator` stage; uses
//! `expr.rs` for expressions and `names.rs` for names and column patterns.

use pest::iterators::Pair;

use super::expr::{call, expr, named_expr, named_expr_list, star, subquery};
use super::literals::string_lit;
use super::names::{column_pattern, name, table_name, type_name};
use super::statements::tabular_expr;
use super::{internal, span_of, Cursor, Result, Rule};
use crate::ast::{
    Expr, ExprKind, Ident, Join, JoinCondition, JoinKind, Lookup, MakeSeries, MvApply, MvExpand,
    NamedExpr, NullsOrder, Operator, OperatorKind, OutputColumn, Parse, ParseKind, ParseKv,
    ParsePart, Rename, Render, SortKey, SortOrder, Source, SourceKind, Summarize, TabularExpr,
    TopNestedLevel, Union,
};
use crate::error::SyntaxError;
use crate::suggest;

/// `tabular_operator` → [`Operator`].
pub(super) fn tabular_operator(pair: Pair<'_, Rule>) -> Result<Operator> {
    let outer = span_of(&pair);
    let op = pair
        .into_inner()
        .next()
        .ok_or_else(|| internal("operators::tabular_operator", outer))?;
    let span = span_of(&op);
    let kind = match op.as_rule() {
        Rule::where_op => where_op(op)?,
        Rule::extend_op => OperatorKind::Extend(list_after_keyword(op, "operators::extend_op")?),
        Rule::project_op => OperatorKind::Project(list_after_keyword(op, "operators::project_op")?),
        Rule::project_away_op => {
            OperatorKind::ProjectAway(patterns(op, "operators::project_away_op")?)
        }
        Rule::project_keep_op => {
            OperatorKind::ProjectKeep(patterns(op, "operators::project_keep_op")?)
        }
        Rule::project_rename_op => project_rename_op(op)?,
        Rule::project_reorder_op => project_reorder_op(op)?,
        Rule::summarize_op => summarize_op(op)?,
        Rule::sort_op => sort_op(op)?,
        Rule::top_op => top_op(op)?,
        Rule::top_nested_op => top_nested_op(op)?,
        Rule::take_op => OperatorKind::Take(single_expr(op, "operators::take_op")?),
        Rule::distinct_op => distinct_op(op)?,
        Rule::count_op => OperatorKind::Count,
        Rule::join_op => join_op(op)?,
        Rule::lookup_op => lookup_op(op)?,
        Rule::union_op => OperatorKind::Union(union_op(op)?),
        Rule::mv_expand_op => mv_expand_op(op)?,
        Rule::parse_op => parse_op(op)?,
        Rule::parse_where_op => match parse_op(op)? {
            OperatorKind::Parse(p) => OperatorKind::ParseWhere(p),
            _ => return Err(internal("operators::parse_where_op", span)),
        },
        Rule::mv_apply_op => mv_apply_op(op)?,
        Rule::top_hitters_op => {
            let c = Cursor::new(op, "operators::top_hitters_op");
            let mut exprs = Vec::new();
            for p in c {
                if p.as_rule() == Rule::expr {
                    exprs.push(expr(p)?);
                }
            }
            let mut exprs = exprs.into_iter();
            match (exprs.next(), exprs.next()) {
                (Some(count), Some(of)) => OperatorKind::TopHitters {
                    count,
                    of,
                    by: exprs.next(),
                },
                _ => return Err(internal("operators::top_hitters_op", span)),
            }
        }
        Rule::parse_kv_op => parse_kv_op(op)?,
        Rule::project_by_names_op => {
            let c = Cursor::new(op, "operators::project_by_names_op");
            let mut names = Vec::new();
            for p in c {
                if p.as_rule() == Rule::expr {
                    names.push(expr(p)?);
                }
            }
            OperatorKind::ProjectByNames(names)
        }
        Rule::make_series_op => make_series_op(op)?,
        Rule::render_op => render_op(op)?,
        Rule::as_op => {
            let mut c = Cursor::new(op, "operators::as_op");
            c.expect(Rule::kw_as)?;
            OperatorKind::As(name(c.expect(Rule::name)?)?)
        }
        Rule::getschema_op => OperatorKind::GetSchema,
        Rule::serialize_op => {
            let mut c = Cursor::new(op, "operators::serialize_op");
            c.expect(Rule::kw_serialize)?;
            match c.take_rule(Rule::named_expr_list) {
                Some(l) => OperatorKind::Serialize(named_expr_list(l)?),
                None => OperatorKind::Serialize(Vec::new()),
            }
        }
        Rule::sample_op => OperatorKind::Sample(single_expr(op, "operators::sample_op")?),
        Rule::invoke_op => {
            let mut c = Cursor::new(op, "operators::invoke_op");
            c.expect(Rule::kw_invoke)?;
            OperatorKind::Invoke(call(c.expect(Rule::call)?)?)
        }
        Rule::evaluate_op => {
            let mut c = Cursor::new(op, "operators::evaluate_op");
            c.expect(Rule::kw_evaluate)?;
            let call = evaluate_call(c.expect(Rule::evaluate_call)?)?;
            let schema = c
                .take_rule(Rule::output_schema)
                .map(|s| {
                    s.into_inner()
                        .map(|p| match p.as_rule() {
                            Rule::star => Ok(OutputColumn::Star),
                            _ => super::statements::column_decl(p)
                                .map(|(n, t)| OutputColumn::Column(n, t)),
                        })
                        .collect::<Result<Vec<_>>>()
                })
                .transpose()?;
            OperatorKind::Evaluate(call, schema)
        }
        Rule::search_op => OperatorKind::Search(single_expr(op, "operators::search_op")?),
        Rule::scan_op => super::sequence::scan_op(op)?,
        Rule::partition_op => super::sequence::partition_op(op)?,
        Rule::fork_op => super::sequence::fork_op(op)?,
        Rule::facet_op => super::sequence::facet_op(op)?,
        Rule::make_graph_op => super::graph::make_graph_op(op)?,
        Rule::graph_match_op => super::graph::graph_match_op(op, false)?,
        Rule::graph_shortest_paths_op => super::graph::graph_match_op(op, true)?,
        Rule::graph_to_table_op => super::graph::graph_to_table_op(op)?,
        Rule::graph_mark_components_op => super::graph::graph_mark_components_op(op)?,
        _ => return Err(internal("operators::tabular_operator", span)),
    };
    Ok(Operator { kind, span })
}

/// `where expr` / `filter expr`.
fn where_op(pair: Pair<'_, Rule>) -> Result<OperatorKind> {
    Ok(OperatorKind::Where(single_expr(
        pair,
        "operators::where_op",
    )?))
}

/// An operator made of one keyword (or two) and one expression.
fn single_expr(pair: Pair<'_, Rule>, func: &'static str) -> Result<Expr> {
    let mut c = Cursor::new(pair, func);
    let e = c
        .find(|p| p.as_rule() == Rule::expr)
        .ok_or_else(|| c.bug())?;
    expr(e)
}

/// `extend a = x, b` / `project ...`: a keyword then a named list.
fn list_after_keyword(pair: Pair<'_, Rule>, func: &'static str) -> Result<Vec<NamedExpr>> {
    let mut c = Cursor::new(pair, func);
    c.next_pair()?;
    named_expr_list(c.expect(Rule::named_expr_list)?)
}

/// `project-away a, b*` / `project-keep ...`.
fn patterns(pair: Pair<'_, Rule>, func: &'static str) -> Result<Vec<crate::ast::ColumnPattern>> {
    let mut c = Cursor::new(pair, func);
    c.next_pair()?;
    c.expect(Rule::column_patterns)?
        .into_inner()
        .map(column_pattern)
        .collect()
}

/// `project-rename new = old, ...`.
fn project_rename_op(pair: Pair<'_, Rule>) -> Result<OperatorKind> {
    let mut c = Cursor::new(pair, "operators::project_rename_op");
    c.expect(Rule::kw_project_rename)?;
    let mut renames = Vec::new();
    for r in c {
        let span = span_of(&r);
        let mut rc = Cursor::new(r, "operators::rename");
        let new = name(rc.expect(Rule::name)?)?;
        rc.expect(Rule::assign)?;
        let old = name(rc.expect(Rule::name)?)?;
        renames.push(Rename { new, old, span });
    }
    Ok(OperatorKind::ProjectRename(renames))
}

/// `project-reorder a, b* asc`.
fn project_reorder_op(pair: Pair<'_, Rule>) -> Result<OperatorKind> {
    let mut c = Cursor::new(pair, "operators::project_reorder_op");
    c.expect(Rule::kw_project_reorder)?;
    let mut items = Vec::new();
    for item in c {
        let mut ic = Cursor::new(item, "operators::reorder_item");
        let pattern = column_pattern(ic.expect(Rule::column_pattern)?)?;
        let order = match ic.take_rule(Rule::sort_order) {
            Some(o) => Some(sort_order(o)?),
            None => None,
        };
        items.push((pattern, order));
    }
    Ok(OperatorKind::ProjectReorder(items))
}

/// `summarize [hints] [aggs] [by keys]`.
fn summarize_op(pair: Pair<'_, Rule>) -> Result<OperatorKind> {
    let mut c = Cursor::new(pair, "operators::summarize_op");
    c.expect(Rule::kw_summarize)?;
    let mut s = Summarize {
        hints: Vec::new(),
        aggregates: Vec::new(),
        by: Vec::new(),
    };
    let mut after_by = false;
    for p in c {
        match p.as_rule() {
            Rule::hint_param => s.hints.push(op_param(p)?),
            Rule::kw_by => after_by = true,
            Rule::named_expr_list if after_by => s.by = named_expr_list(p)?,
            Rule::named_expr_list => s.aggregates = named_expr_list(p)?,
            _ => return Err(internal("operators::summarize_op", span_of(&p))),
        }
    }
    Ok(OperatorKind::Summarize(s))
}

/// `order by k [asc|desc] [nulls first|last], ...` / `sort by ...`.
fn sort_op(pair: Pair<'_, Rule>) -> Result<OperatorKind> {
    let c = Cursor::new(pair, "operators::sort_op");
    let keys = c
        .filter(|p| p.as_rule() == Rule::sort_key)
        .map(sort_key)
        .collect::<Result<_>>()?;
    Ok(OperatorKind::Sort(keys))
}

/// `top N by k [asc|desc] [nulls first|last]`.
fn top_op(pair: Pair<'_, Rule>) -> Result<OperatorKind> {
    let mut c = Cursor::new(pair, "operators::top_op");
    c.expect(Rule::kw_top)?;
    let count = expr(c.expect(Rule::expr)?)?;
    c.expect(Rule::kw_by)?;
    let by = c.map(sort_key).collect::<Result<_>>()?;
    Ok(OperatorKind::Top { count, by })
}

/// A plugin call. A named argument `name = value` is kept as the comparison
/// `name == value` (Kusto's functions take none, so nothing else means that).
fn evaluate_call(pair: Pair<'_, Rule>) -> Result<crate::ast::Call> {
    let span = span_of(&pair);
    let mut c = Cursor::new(pair, "operators::evaluate_call");
    let fname = name(c.expect(Rule::call_name)?)?;
    let mut args = Vec::new();
    for arg in c {
        let at = span_of(&arg);
        match arg.as_rule() {
            Rule::star => args.push(Expr::new(ExprKind::Star, at)),
            Rule::subquery => args.push(subquery(arg)?),
            Rule::expr => args.push(expr(arg)?),
            Rule::named_arg => {
                let mut nc = Cursor::new(arg, "operators::named_arg");
                let key = name(nc.expect(Rule::name)?)?;
                let value = expr(nc.expect(Rule::expr)?)?;
                let key_span = key.span;
                args.push(Expr::new(
                    ExprKind::Binary {
                        op: crate::ast::BinaryOp::Eq,
                        left: Box::new(Expr::new(ExprKind::Name(key), key_span)),
                        right: Box::new(value),
                    },
                    at,
                ));
            }
            _ => return Err(internal("operators::evaluate_call", at)),
        }
    }
    Ok(crate::ast::Call {
        name: fname,
        args,
        span,
    })
}

/// `top-nested …, top-nested …`.
fn top_nested_op(pair: Pair<'_, Rule>) -> Result<OperatorKind> {
    let mut levels = Vec::new();
    for level in pair.into_inner() {
        let mut c = Cursor::new(level, "operators::top_nested_level");
        c.expect(Rule::kw_top_nested)?;
        let count = c.take_rule(Rule::expr).map(expr).transpose()?;
        c.expect(Rule::kw_of)?;
        let of = named_expr(c.expect(Rule::named_expr)?)?;
        let mut others = None;
        if c.take_rule(Rule::kw_with).is_some() {
            c.expect(Rule::kw_others)?;
            others = Some(expr(c.expect(Rule::expr)?)?);
        }
        c.expect(Rule::kw_by)?;
        let by = named_expr(c.expect(Rule::named_expr)?)?;
        let ascending = c.take_rule(Rule::sort_order).is_some_and(|o| {
            o.into_inner()
                .next()
                .is_some_and(|k| k.as_rule() == Rule::kw_asc)
        });
        levels.push(TopNestedLevel {
            count,
            of,
            others,
            by,
            ascending,
        });
    }
    Ok(OperatorKind::TopNested(levels))
}

/// `sort_key` → [`SortKey`].
fn sort_key(pair: Pair<'_, Rule>) -> Result<SortKey> {
    let span = span_of(&pair);
    let mut c = Cursor::new(pair, "operators::sort_key");
    let e = expr(c.expect(Rule::expr)?)?;
    let order = match c.take_rule(Rule::sort_order) {
        Some(o) => Some(sort_order(o)?),
        None => None,
    };
    let nulls = match c.take_rule(Rule::nulls_order) {
        Some(n) => {
            let mut nc = Cursor::new(n, "operators::nulls_order");
            nc.expect(Rule::kw_nulls)?;
            Some(if nc.next_pair()?.as_rule() == Rule::kw_first {
                NullsOrder::First
            } else {
                NullsOrder::Last
            })
        }
        None => None,
    };
    Ok(SortKey {
        expr: e,
        order,
        nulls,
        span,
    })
}

fn sort_order(pair: Pair<'_, Rule>) -> Result<SortOrder> {
    let mut c = Cursor::new(pair, "operators::sort_order");
    Ok(if c.next_pair()?.as_rule() == Rule::kw_asc {
        SortOrder::Asc
    } else {
        SortOrder::Desc
    })
}

/// `distinct a, b` / `distinct *`.
fn distinct_op(pair: Pair<'_, Rule>) -> Result<OperatorKind> {
    let mut c = Cursor::new(pair, "operators::distinct_op");
    c.expect(Rule::kw_distinct)?;
    let p = c.next_pair()?;
    if p.as_rule() == Rule::star {
        let span = span_of(&p);
        return Ok(OperatorKind::Distinct(vec![NamedExpr {
            names: Vec::new(),
            expr: star(span),
            span,
        }]));
    }
    Ok(OperatorKind::Distinct(named_expr_list(p)?))
}

/// `op_param` / `hint_param`: `kind=inner`, `hint.strategy=shuffle`.
pub(super) fn op_param(pair: Pair<'_, Rule>) -> Result<(Ident, Expr)> {
    let mut c = Cursor::new(pair, "operators::op_param");
    let key = c.next_pair()?;
    let key = Ident::new(key.as_str(), span_of(&key));
    let value = c.next_pair()?;
    let vspan = span_of(&value);
    let value = match value.as_rule() {
        Rule::name => Expr::new(ExprKind::Name(name(value)?), vspan),
        _ => Expr::new(ExprKind::Literal(super::literals::literal(value)?), vspan),
    };
    Ok((key, value))
}

/// The value of a `kind=` parameter as a word.
fn param_word(value: &Expr) -> Option<&str> {
    match &value.kind {
        ExprKind::Name(i) => Some(&i.name),
        ExprKind::Literal(crate::ast::Literal::String(s)) => Some(s),
        _ => None,
    }
}

fn join_kind(value: &Expr) -> Result<JoinKind> {
    const KINDS: [(&str, JoinKind); 9] = [
        ("inner", JoinKind::Inner),
        ("innerunique", JoinKind::InnerUnique),
        ("leftouter", JoinKind::LeftOuter),
        ("rightouter", JoinKind::RightOuter),
        ("fullouter", JoinKind::FullOuter),
        ("leftanti", JoinKind::LeftAnti),
        ("rightanti", JoinKind::RightAnti),
        ("leftsemi", JoinKind::LeftSemi),
        ("rightsemi", JoinKind::RightSemi),
    ];
    let word = param_word(value).unwrap_or("");
    let aliases = [
        ("anti", JoinKind::LeftAnti),
        ("leftantisemi", JoinKind::LeftAnti),
        ("rightantisemi", JoinKind::RightAnti),
    ];
    if let Some((_, k)) = KINDS.iter().chain(aliases.iter()).find(|(n, _)| *n == word) {
        return Ok(*k);
    }
    let names: Vec<&str> = KINDS.iter().map(|(n, _)| *n).collect();
    Err(SyntaxError {
        code: "kql::unknown_join_kind",
        message: format!("`{word}` is not a join kind"),
        span: value.span,
        label: "unknown join kind".to_string(),
        help: Some(match suggest::did_you_mean(word, &names) {
            Some(s) => format!("did you mean `{s}`? The kinds are {}", names.join(", ")),
            None => format!("the kinds are {}", names.join(", ")),
        }),
    })
}

fn unknown_param(key: &Ident, op: &str, allowed: &str) -> SyntaxError {
    SyntaxError {
        code: "kql::unknown_parameter",
        message: format!("`{}` is not a parameter of `{op}`", key.name),
        span: key.span,
        label: "unknown parameter".to_string(),
        help: Some(format!("`{op}` accepts {allowed}")),
    }
}

/// `join [kind=…] [hint.…=…] (right) on conditions`.
fn join_op(pair: Pair<'_, Rule>) -> Result<OperatorKind> {
    let mut c = Cursor::new(pair, "operators::join_op");
    c.expect(Rule::kw_join)?;
    let mut kind = None;
    let mut hints = Vec::new();
    while let Some(p) = c.take_rule(Rule::op_param) {
        let (key, value) = op_param(p)?;
        if key.name == "kind" {
            kind = Some(join_kind(&value)?);
        } else if key.name.starts_with("hint.") {
            hints.push((key, value));
        } else {
            return Err(unknown_param(&key, "join", "kind= and hint.*="));
        }
    }
    let right = join_right(c.expect(Rule::join_right)?)?;
    c.expect(Rule::kw_on)?;
    let on = join_conditions(c.expect(Rule::join_conditions)?)?;
    Ok(OperatorKind::Join(Join {
        kind,
        hints,
        right,
        on,
    }))
}

/// `lookup [kind=leftouter|inner] (right) on conditions`.
fn lookup_op(pair: Pair<'_, Rule>) -> Result<OperatorKind> {
    let mut c = Cursor::new(pair, "operators::lookup_op");
    c.expect(Rule::kw_lookup)?;
    let mut kind = None;
    while let Some(p) = c.take_rule(Rule::op_param) {
        let (key, value) = op_param(p)?;
        if key.name == "kind" {
            kind = Some(join_kind(&value)?);
        } else {
            return Err(unknown_param(
                &key,
                "lookup",
                "kind=leftouter and kind=inner",
            ));
        }
    }
    let right = join_right(c.expect(Rule::join_right)?)?;
    c.expect(Rule::kw_on)?;
    let on = join_conditions(c.expect(Rule::join_conditions)?)?;
    Ok(OperatorKind::Lookup(Lookup { kind, right, on }))
}

/// `(tabular)` or a table name on the right of a join.
pub(super) fn join_right(pair: Pair<'_, Rule>) -> Result<TabularExpr> {
    let mut c = Cursor::new(pair, "operators::join_right");
    let p = c.next_pair()?;
    match p.as_rule() {
        Rule::tabular_expr => tabular_expr(p),
        Rule::table_name => Ok(table_only(table_name(p)?)),
        _ => Err(c.bug()),
    }
}

/// A bare table name as a whole tabular expression.
pub(super) fn table_only(table: Ident) -> TabularExpr {
    let span = table.span;
    TabularExpr {
        source: Source {
            kind: SourceKind::Table(vec![table]),
            span,
        },
        operators: Vec::new(),
        span,
    }
}

/// `on a, $left.b == $right.c and $left.d == $right.e`.
fn join_conditions(pair: Pair<'_, Rule>) -> Result<Vec<JoinCondition>> {
    let mut out = Vec::new();
    for e in pair.into_inner() {
        join_condition(expr(e)?, &mut out)?;
    }
    Ok(out)
}

fn join_condition(e: Expr, out: &mut Vec<JoinCondition>) -> Result<()> {
    use crate::ast::{BinaryOp, JoinSide};
    let side = |e: &Expr| -> Option<(JoinSide, Ident)> {
        match &e.kind {
            ExprKind::Member { expr, name } => match expr.kind {
                ExprKind::JoinSide(s) => Some((s, name.clone())),
                _ => None,
            },
            _ => None,
        }
    };
    match e.kind {
        ExprKind::Name(i) => out.push(JoinCondition::Column(i)),
        ExprKind::Binary {
            op: BinaryOp::And,
            left,
            right,
        } => {
            join_condition(*left, out)?;
            join_condition(*right, out)?;
        }
        ExprKind::Binary {
            op: BinaryOp::Eq,
            ref left,
            ref right,
        } => match (side(left), side(right)) {
            (Some((JoinSide::Left, l)), Some((JoinSide::Right, r)))
            | (Some((JoinSide::Right, r)), Some((JoinSide::Left, l))) => {
                out.push(JoinCondition::Equal {
                    left: l,
                    right: r,
                    span: e.span,
                })
            }
            _ => return Err(bad_condition(e.span)),
        },
        _ => return Err(bad_condition(e.span)),
    }
    Ok(())
}

fn bad_condition(span: crate::ast::Span) -> SyntaxError {
    SyntaxError {
        code: "kql::bad_join_condition",
        message: "a join condition must be a column name or `$left.a == $right.b`".to_string(),
        span,
        label: "not a join condition".to_string(),
        help: Some("for example `on cIP` or `on $left.cIP == $right.ClientIP`; filter with `where` after the join".to_string()),
    }
}

/// `union [params] T1, (T2 | ...)` (as an operator or a source).
pub(super) fn union_op(pair: Pair<'_, Rule>) -> Result<Union> {
    let mut c = Cursor::new(pair, "operators::union_op");
    c.next_pair()?;
    union_body(c.expect(Rule::union_body)?)
}

/// `union_body` → [`Union`].
pub(super) fn union_body(pair: Pair<'_, Rule>) -> Result<Union> {
    let mut params = Vec::new();
    let mut tables = Vec::new();
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::op_param => {
                let (key, value) = op_param(p)?;
                if !matches!(key.name.as_str(), "kind" | "withsource" | "isfuzzy")
                    && !key.name.starts_with("hint.")
                {
                    return Err(unknown_param(
                        &key,
                        "union",
                        "kind=, withsource=, isfuzzy= and hint.*=",
                    ));
                }
                params.push((key, value));
            }
            Rule::nested_source => {
                let span = span_of(&p);
                let inner = p
                    .into_inner()
                    .next()
                    .ok_or_else(|| internal("operators::union_body", span))?;
                tables.push(tabular_expr(inner)?);
            }
            Rule::table_name => tables.push(table_only(table_name(p)?)),
            _ => return Err(internal("operators::union_body", span_of(&p))),
        }
    }
    Ok(Union { params, tables })
}

/// `mv-expand [params] col [to typeof(t)], ... [limit N]` (and legacy `mvexpand`).
fn mv_expand_op(pair: Pair<'_, Rule>) -> Result<OperatorKind> {
    let mut c = Cursor::new(pair, "operators::mv_expand_op");
    c.next_pair()?;
    let mut m = MvExpand {
        params: Vec::new(),
        columns: Vec::new(),
        limit: None,
    };
    for p in c {
        match p.as_rule() {
            Rule::op_param => {
                let (key, value) = op_param(p)?;
                if !matches!(
                    key.name.as_str(),
                    "bagexpansion" | "with_itemindex" | "kind"
                ) {
                    return Err(unknown_param(
                        &key,
                        "mv-expand",
                        "bagexpansion= and with_itemindex=",
                    ));
                }
                m.params.push((key, value));
            }
            Rule::mv_column => m.columns.push(mv_column(p)?),
            Rule::kw_limit => {}
            Rule::expr => m.limit = Some(expr(p)?),
            _ => return Err(internal("operators::mv_expand_op", span_of(&p))),
        }
    }
    Ok(OperatorKind::MvExpand(m))
}

/// `parse-kv expr as (k:type, …) [with (option = value, …)]`.
fn parse_kv_op(pair: Pair<'_, Rule>) -> Result<OperatorKind> {
    let mut c = Cursor::new(pair, "operators::parse_kv_op");
    c.next_pair()?;
    let input = expr(c.expect(Rule::expr)?)?;
    let mut columns = Vec::new();
    let mut options = Vec::new();
    for p in c {
        match p.as_rule() {
            Rule::kv_column => {
                let mut kc = Cursor::new(p, "operators::kv_column");
                let key = name(kc.expect(Rule::name)?)?;
                let ty = type_name(kc.expect(Rule::type_name)?)?;
                columns.push((key, ty));
            }
            Rule::property => {
                let mut pc = Cursor::new(p, "operators::property");
                let key = name(pc.expect(Rule::name)?)?;
                for v in pc {
                    options.push((key.clone(), expr(v)?));
                }
            }
            Rule::kw_as | Rule::kw_with => {}
            _ => return Err(internal("operators::parse_kv_op", span_of(&p))),
        }
    }
    Ok(OperatorKind::ParseKv(ParseKv {
        input,
        columns,
        options,
    }))
}

/// `mv-apply [params] col [to typeof(t)], ... [limit N] on (op | op …)`.
fn mv_apply_op(pair: Pair<'_, Rule>) -> Result<OperatorKind> {
    let mut c = Cursor::new(pair, "operators::mv_apply_op");
    c.next_pair()?;
    let mut expand = MvExpand {
        params: Vec::new(),
        columns: Vec::new(),
        limit: None,
    };
    let mut body = Vec::new();
    for p in c {
        match p.as_rule() {
            Rule::op_param => {
                let (key, value) = op_param(p)?;
                if !matches!(
                    key.name.as_str(),
                    "with_itemindex" | "kind" | "bagexpansion"
                ) {
                    return Err(unknown_param(&key, "mv-apply", "with_itemindex="));
                }
                expand.params.push((key, value));
            }
            Rule::mv_column => expand.columns.push(mv_column(p)?),
            Rule::expr => expand.limit = Some(expr(p)?),
            Rule::tabular_operator => body.push(tabular_operator(p)?),
            Rule::kw_limit | Rule::kw_on | Rule::pipe => {}
            _ => return Err(internal("operators::mv_apply_op", span_of(&p))),
        }
    }
    Ok(OperatorKind::MvApply(MvApply { expand, body }))
}

/// `col [to typeof(t)]` of `mv-expand` and `mv-apply`.
fn mv_column(pair: Pair<'_, Rule>) -> Result<(NamedExpr, Option<crate::ast::TypeName>)> {
    let mut mc = Cursor::new(pair, "operators::mv_column");
    let ne = named_expr(mc.expect(Rule::named_expr)?)?;
    let ty = match mc.find(|p| p.as_rule() == Rule::type_name) {
        Some(t) => Some(type_name(t)?),
        None => None,
    };
    Ok((ne, ty))
}

/// `parse [kind=regex [flags=U]] expr with pattern`.
fn parse_op(pair: Pair<'_, Rule>) -> Result<OperatorKind> {
    let mut c = Cursor::new(pair, "operators::parse_op");
    c.next_pair()?; // `parse` or `parse-where`
    let mut kind = ParseKind::Simple;
    let mut flags = None;
    while let Some(p) = c.take_rule(Rule::op_param) {
        let (key, value) = op_param(p)?;
        match (key.name.as_str(), param_word(&value)) {
            ("kind", Some("simple")) => kind = ParseKind::Simple,
            ("kind", Some("regex")) => kind = ParseKind::Regex,
            ("kind", Some("relaxed")) => kind = ParseKind::Relaxed,
            ("kind", _) => {
                return Err(SyntaxError {
                    code: "kql::unknown_parse_kind",
                    message: "`parse` kinds are simple, regex and relaxed".to_string(),
                    span: value.span,
                    label: "unknown parse kind".to_string(),
                    help: Some("for example `parse kind=regex csUriQuery with ...`".to_string()),
                })
            }
            ("flags", Some(f)) => flags = Some(f.to_string()),
            _ => return Err(unknown_param(&key, "parse", "kind= and flags=")),
        }
    }
    let input = expr(c.expect(Rule::expr)?)?;
    c.expect(Rule::kw_with)?;
    let mut pattern = Vec::new();
    for part in c.expect(Rule::parse_pattern)?.into_inner() {
        pattern.push(match part.as_rule() {
            Rule::string_lit => ParsePart::Literal(string_lit(part)?),
            Rule::star => ParsePart::Wildcard,
            Rule::parse_column => {
                let mut pc = Cursor::new(part, "operators::parse_column");
                let col = name(pc.expect(Rule::name)?)?;
                let ty = match pc.take_rule(Rule::type_name) {
                    Some(t) => Some(type_name(t)?),
                    None => None,
                };
                ParsePart::Column(col, ty)
            }
            _ => return Err(internal("operators::parse_op", span_of(&part))),
        });
    }
    Ok(OperatorKind::Parse(Parse {
        kind,
        flags,
        input,
        pattern,
    }))
}

/// `make-series agg [default=x], ... on T [from a] [to b] step s [by k, ...]`.
fn make_series_op(pair: Pair<'_, Rule>) -> Result<OperatorKind> {
    let span = span_of(&pair);
    let mut c = Cursor::new(pair, "operators::make_series_op");
    c.expect(Rule::kw_make_series)?;
    let mut aggregates = Vec::new();
    while let Some(p) = c.take_rule(Rule::series_agg) {
        let mut sc = Cursor::new(p, "operators::series_agg");
        let ne = named_expr(sc.expect(Rule::named_expr)?)?;
        let default = match sc.find(|p| p.as_rule() == Rule::expr) {
            Some(d) => Some(expr(d)?),
            None => None,
        };
        aggregates.push((ne, default));
    }
    c.expect(Rule::kw_on)?;
    let on = expr(c.expect(Rule::expr)?)?;
    let (mut from, mut to, mut step, mut by) = (None, None, None, Vec::new());
    let mut last = None;
    for p in c {
        match p.as_rule() {
            Rule::kw_from | Rule::kw_to | Rule::kw_step | Rule::kw_by => last = Some(p.as_rule()),
            Rule::expr => {
                let e = expr(p)?;
                match last {
                    Some(Rule::kw_from) => from = Some(e),
                    Some(Rule::kw_to) => to = Some(e),
                    _ => step = Some(e),
                }
            }
            Rule::named_expr_list => by = named_expr_list(p)?,
            Rule::series_range => {
                let mut rc = Cursor::new(p, "operators::series_range");
                rc.expect(Rule::kw_in)?;
                from = Some(expr(rc.expect(Rule::expr)?)?);
                to = Some(expr(rc.expect(Rule::expr)?)?);
                step = Some(expr(rc.expect(Rule::expr)?)?);
            }
            _ => return Err(internal("operators::make_series_op", span_of(&p))),
        }
    }
    let step = step.ok_or_else(|| internal("operators::make_series_op", span))?;
    Ok(OperatorKind::MakeSeries(MakeSeries {
        aggregates,
        on,
        from,
        to,
        step,
        by,
    }))
}

/// `render chart [with (prop = value, ...)]`.
fn render_op(pair: Pair<'_, Rule>) -> Result<OperatorKind> {
    let mut c = Cursor::new(pair, "operators::render_op");
    c.expect(Rule::kw_render)?;
    let chart = name(c.expect(Rule::name)?)?;
    let mut properties = Vec::new();
    for p in c {
        if p.as_rule() == Rule::property {
            let mut pc = Cursor::new(p, "operators::property");
            let key = name(pc.expect(Rule::name)?)?;
            // A list (`ycolumns = a, b`) is the key once per value.
            for v in pc {
                properties.push((key.clone(), expr(v)?));
            }
        }
    }
    Ok(OperatorKind::Render(Render { chart, properties }))
}
