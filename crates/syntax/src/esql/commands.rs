//! ES|QL commands → AST sources and operators, one function per command.
//!
//! `FROM` / `ROW` become the statement's source (`SourceKind::Table` with one
//! identifier per index pattern, `SourceKind::Print`), `METADATA` an operator
//! right after it; each piped command becomes one `Operator` spanning its text:
//! WHERE → `Where`, EVAL → `Extend`, STATS … BY → `Summarize`, KEEP → `Keep`,
//! DROP → `ProjectAway`, RENAME → `ProjectRename`, SORT → `Sort` (order left
//! `None` when not written: the planner applies ES|QL's ascending default),
//! LIMIT → `Take`, DISSECT, GROK, MV_EXPAND → `MvExpand`, ENRICH, LOOKUP JOIN →
//! `Lookup` (a left outer join on the named fields).

use super::errors::{self, Result};
use super::expr::{expression, qualified_name};
use super::hints;
use super::literals;
use super::parser::{next, span_of, Rule};
use crate::ast::{
    Call, ColumnPattern, Expr, ExprKind, Ident, JoinCondition, JoinKind, Literal, Lookup, MvExpand,
    NamedExpr, NullsOrder, Operator, OperatorKind, Rename, SortKey, SortOrder, Source, SourceKind,
    Span, Summarize, TabularExpr,
};
use pest::iterators::Pair;

/// The source command, plus a `Metadata` operator when FROM has METADATA.
pub(crate) fn lower_source(pair: Pair<'_, Rule>, text: &str) -> Result<(Source, Vec<Operator>)> {
    let span = span_of(&pair);
    match pair.as_rule() {
        Rule::from_command => from(pair),
        Rule::row_command => {
            let fields = fields(pair.into_inner().skip(1))?;
            Ok((
                Source {
                    kind: SourceKind::Print(fields),
                    span,
                },
                Vec::new(),
            ))
        }
        Rule::unknown_source => Err(unknown(pair, text, true)),
        _ => Err(errors::internal("commands::lower_source", span)),
    }
}

/// One processing command.
pub(crate) fn lower_command(pair: Pair<'_, Rule>, text: &str) -> Result<Operator> {
    let span = span_of(&pair);
    let rule = pair.as_rule();
    if rule == Rule::unknown_command {
        return Err(unknown(pair, text, false));
    }
    // Every command's first child is its keyword.
    let mut inner = pair.into_inner();
    next(&mut inner, "commands::lower_command", span)?;
    let kind = match rule {
        Rule::where_command => {
            OperatorKind::Where(expression(next(&mut inner, "commands::where", span)?)?)
        }
        Rule::eval_command => OperatorKind::Extend(fields(inner)?),
        Rule::stats_command => OperatorKind::Summarize(stats(inner)?),
        Rule::keep_command => OperatorKind::Keep(inner.map(|p| pattern(p)).collect::<Result<_>>()?),
        Rule::drop_command => {
            OperatorKind::ProjectAway(inner.map(|p| pattern(p)).collect::<Result<_>>()?)
        }
        Rule::rename_command => {
            OperatorKind::ProjectRename(inner.map(rename).collect::<Result<_>>()?)
        }
        Rule::sort_command => OperatorKind::Sort(inner.map(sort_key).collect::<Result<_>>()?),
        Rule::limit_command => {
            let n = next(&mut inner, "commands::limit", span)?;
            let n_span = span_of(&n);
            let value = literals::number_value(n)?;
            if !matches!(value, Literal::Long(_)) {
                return Err(errors::error(
                    "esql::number_too_large",
                    n_span,
                    "LIMIT takes a whole number that fits a long".to_string(),
                    "out of range",
                    None,
                ));
            }
            OperatorKind::Take(Expr::new(ExprKind::Literal(value), n_span))
        }
        Rule::dissect_command => {
            let input = expression(next(&mut inner, "commands::dissect", span)?)?;
            let pattern = literals::string(next(&mut inner, "commands::dissect", span)?)?;
            let append_separator = match inner.next() {
                None => None,
                Some(option) => Some(dissect_option(option)?),
            };
            OperatorKind::Dissect {
                input,
                pattern,
                append_separator,
            }
        }
        Rule::grok_command => {
            let input = expression(next(&mut inner, "commands::grok", span)?)?;
            let pattern = literals::string(next(&mut inner, "commands::grok", span)?)?;
            OperatorKind::Grok { input, pattern }
        }
        Rule::mv_expand_command => {
            let name = qualified_name(next(&mut inner, "commands::mv_expand", span)?)?;
            let n_span = name.span;
            let column = NamedExpr {
                names: Vec::new(),
                expr: Expr::new(ExprKind::Name(name), n_span),
                span: n_span,
            };
            OperatorKind::MvExpand(MvExpand {
                params: Vec::new(),
                columns: vec![(column, None)],
                limit: None,
            })
        }
        Rule::enrich_command => enrich(inner, span)?,
        Rule::lookup_join_command => {
            // LOOKUP JOIN: the first child after LOOKUP is JOIN.
            next(&mut inner, "commands::lookup_join", span)?;
            let index = next(&mut inner, "commands::lookup_join", span)?;
            let index_span = span_of(&index);
            let index = index_name(index)?;
            next(&mut inner, "commands::lookup_join", span)?; // ON
            let on = inner
                .map(|p| qualified_name(p).map(JoinCondition::Column))
                .collect::<Result<Vec<_>>>()?;
            let right = TabularExpr {
                source: Source {
                    kind: SourceKind::Table(vec![index]),
                    span: index_span,
                },
                operators: Vec::new(),
                span: index_span,
            };
            OperatorKind::Lookup(Lookup {
                kind: Some(JoinKind::LeftOuter),
                right,
                on,
            })
        }
        _ => return Err(errors::internal("commands::lower_command", span)),
    };
    Ok(Operator { kind, span })
}

fn unknown(pair: Pair<'_, Rule>, text: &str, at_source: bool) -> crate::error::SyntaxError {
    let span = span_of(&pair);
    let word = pair
        .into_inner()
        .find(|p| p.as_rule() == Rule::command_word)
        .map(|p| (p.as_str().to_string(), span_of(&p)));
    match word {
        Some((w, s)) => hints::unknown_command(text, &w, s, at_source),
        None => hints::unknown_command(text, "", Span::new(span.start, span.start), at_source),
    }
}

/// FROM a, b-* [METADATA _index, _id]
fn from(pair: Pair<'_, Rule>) -> Result<(Source, Vec<Operator>)> {
    let span = span_of(&pair);
    let mut tables = Vec::new();
    let mut operators = Vec::new();
    let mut source_end = span.start;
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::kw_from => source_end = span_of(&p).end,
            Rule::index_pattern => {
                source_end = span_of(&p).end;
                tables.push(index_name(p)?);
            }
            Rule::metadata_clause => {
                let m_span = span_of(&p);
                let fields = p
                    .into_inner()
                    .skip(1)
                    .map(qualified_name)
                    .collect::<Result<Vec<_>>>()?;
                operators.push(Operator {
                    kind: OperatorKind::Metadata(fields),
                    span: m_span,
                });
            }
            _ => return Err(errors::internal("commands::from", span_of(&p))),
        }
    }
    let source = Source {
        kind: SourceKind::Table(tables),
        span: Span::new(span.start, source_end),
    };
    Ok((source, operators))
}

/// An index pattern as written (quotes removed).
fn index_name(pair: Pair<'_, Rule>) -> Result<Ident> {
    let span = span_of(&pair);
    let inner = next(&mut pair.into_inner(), "commands::index_name", span)?;
    let name = match inner.as_rule() {
        Rule::string => literals::string(inner)?,
        _ => inner.as_str().to_string(),
    };
    Ok(Ident::new(name, span))
}

/// `[name =] expression` fields of ROW, EVAL, STATS and BY.
fn fields<'i>(pairs: impl Iterator<Item = Pair<'i, Rule>>) -> Result<Vec<NamedExpr>> {
    pairs.map(field).collect()
}

fn field(pair: Pair<'_, Rule>) -> Result<NamedExpr> {
    let span = span_of(&pair);
    let mut names = Vec::new();
    let mut expr = None;
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::qualified_name => names.push(qualified_name(p)?),
            Rule::assign => {}
            Rule::expression => expr = Some(expression(p)?),
            _ => return Err(errors::internal("commands::field", span_of(&p))),
        }
    }
    let expr = expr.ok_or_else(|| errors::internal("commands::field", span))?;
    Ok(NamedExpr { names, expr, span })
}

/// STATS aggregates [BY keys]
fn stats<'i>(pairs: impl Iterator<Item = Pair<'i, Rule>>) -> Result<Summarize> {
    let mut summarize = Summarize {
        hints: Vec::new(),
        aggregates: Vec::new(),
        by: Vec::new(),
    };
    for p in pairs {
        match p.as_rule() {
            Rule::stats_aggregates => {
                for agg in p.into_inner() {
                    summarize.aggregates.push(stats_aggregate(agg)?);
                }
            }
            Rule::by_clause => summarize.by = fields(p.into_inner().skip(1))?,
            _ => return Err(errors::internal("commands::stats", span_of(&p))),
        }
    }
    Ok(summarize)
}

fn stats_aggregate(pair: Pair<'_, Rule>) -> Result<NamedExpr> {
    let span = span_of(&pair);
    let mut inner = pair.into_inner();
    let mut named = field(next(&mut inner, "commands::stats_aggregate", span)?)?;
    if inner.next().is_some() {
        let cond = expression(next(&mut inner, "commands::stats_aggregate", span)?)?;
        // `agg(x) WHERE cond` is `agg(CASE(cond, x, null))`: aggregates skip nulls.
        let found = filter_aggregates(&mut named.expr, &cond);
        if !found {
            return Err(errors::error(
                "esql::stats_where",
                cond.span,
                "WHERE in STATS filters an aggregate, but this expression has none".to_string(),
                "no aggregate before this WHERE",
                Some("e.g. `STATS errors = COUNT(*) WHERE status >= 400`".to_string()),
            ));
        }
    }
    Ok(named)
}

/// ES|QL's aggregate functions (the reference's list): their arguments are
/// what a STATS … WHERE filters.
const AGGREGATES: &[&str] = &[
    "absent",
    "avg",
    "count",
    "count_distinct",
    "max",
    "median",
    "median_absolute_deviation",
    "min",
    "percentile",
    "present",
    "sample",
    "std_dev",
    "sum",
    "top",
    "values",
    "variance",
    "weighted_avg",
];

/// Wraps the arguments of every aggregate call in `e` as
/// `CASE(cond, arg, null)` (`COUNT(*)` counts `CASE(cond, 1, null)`); false
/// when `e` calls no aggregate.
fn filter_aggregates(e: &mut Expr, cond: &Expr) -> bool {
    match &mut e.kind {
        ExprKind::Call(call) if AGGREGATES.contains(&call.name.name.as_str()) => {
            let count_all = call.args.is_empty()
                || matches!(call.args.first().map(|a| &a.kind), Some(ExprKind::Star));
            if count_all && call.name.name == "count" {
                call.args = vec![Expr::new(ExprKind::Literal(Literal::Long(1)), call.span)];
            }
            // Only the value is filtered (PERCENTILE's rank stays as written).
            if let Some(arg) = call.args.first_mut() {
                let s = arg.span;
                let value = std::mem::replace(arg, Expr::new(ExprKind::Star, s));
                *arg = Expr::new(
                    ExprKind::Call(Call {
                        name: Ident::new("case", s),
                        args: vec![
                            cond.clone(),
                            value,
                            Expr::new(ExprKind::Literal(Literal::Null(None)), s),
                        ],
                        span: s,
                    }),
                    s,
                );
            }
            true
        }
        ExprKind::Call(call) => {
            let mut any = false;
            for a in &mut call.args {
                any |= filter_aggregates(a, cond);
            }
            any
        }
        ExprKind::Unary { expr, .. } => filter_aggregates(expr, cond),
        ExprKind::Binary { left, right, .. } => {
            let l = filter_aggregates(left, cond);
            filter_aggregates(right, cond) || l
        }
        _ => false,
    }
}

fn pattern(pair: Pair<'_, Rule>) -> Result<ColumnPattern> {
    let ident = qualified_name(pair)?;
    Ok(ColumnPattern {
        pattern: ident.name,
        span: ident.span,
    })
}

/// `old AS new` or `new = old`
fn rename(pair: Pair<'_, Rule>) -> Result<Rename> {
    let span = span_of(&pair);
    let rule = pair.as_rule();
    let names = pair
        .into_inner()
        .filter(|p| p.as_rule() == Rule::qualified_name)
        .map(qualified_name)
        .collect::<Result<Vec<_>>>()?;
    let [first, second] =
        <[Ident; 2]>::try_from(names).map_err(|_| errors::internal("commands::rename", span))?;
    match rule {
        Rule::rename_as => Ok(Rename {
            new: second,
            old: first,
            span,
        }),
        Rule::rename_assign => Ok(Rename {
            new: first,
            old: second,
            span,
        }),
        _ => Err(errors::internal("commands::rename", span)),
    }
}

fn sort_key(pair: Pair<'_, Rule>) -> Result<SortKey> {
    let span = span_of(&pair);
    let mut key = None;
    let mut order = None;
    let mut nulls = None;
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::expression => key = Some(expression(p)?),
            Rule::sort_order => {
                order = Some(if p.as_str().eq_ignore_ascii_case("desc") {
                    SortOrder::Desc
                } else {
                    SortOrder::Asc
                });
            }
            Rule::nulls_order => {
                let last = p.into_inner().any(|k| k.as_rule() == Rule::kw_last);
                nulls = Some(if last {
                    NullsOrder::Last
                } else {
                    NullsOrder::First
                });
            }
            _ => return Err(errors::internal("commands::sort_key", span_of(&p))),
        }
    }
    let expr = key.ok_or_else(|| errors::internal("commands::sort_key", span))?;
    Ok(SortKey {
        expr,
        order,
        nulls,
        span,
    })
}

/// DISSECT's only option: APPEND_SEPARATOR = "…".
fn dissect_option(pair: Pair<'_, Rule>) -> Result<String> {
    let span = span_of(&pair);
    let mut inner = pair.into_inner();
    let name = next(&mut inner, "commands::dissect_option", span)?;
    if !name.as_str().eq_ignore_ascii_case("append_separator") {
        return Err(errors::error(
            "esql::unknown_option",
            span_of(&name),
            format!("DISSECT has no option `{}`", name.as_str()),
            "unknown option",
            Some("the only option is APPEND_SEPARATOR = \"…\"".to_string()),
        ));
    }
    let value = inner
        .find(|p| p.as_rule() == Rule::string)
        .ok_or_else(|| errors::internal("commands::dissect_option", span))?;
    literals::string(value)
}

/// ENRICH policy [ON field] [WITH new = field, field]
fn enrich<'i>(mut inner: impl Iterator<Item = Pair<'i, Rule>>, span: Span) -> Result<OperatorKind> {
    let policy = inner
        .next()
        .ok_or_else(|| errors::internal("commands::enrich", span))?;
    let policy = Ident::new(policy.as_str(), span_of(&policy));
    let mut on = None;
    let mut with = Vec::new();
    let mut after_on = false;
    for p in inner {
        match p.as_rule() {
            Rule::kw_on => after_on = true,
            Rule::kw_with => after_on = false,
            Rule::qualified_name if after_on => on = Some(qualified_name(p)?),
            Rule::enrich_field => {
                let f_span = span_of(&p);
                let names = p
                    .into_inner()
                    .filter(|n| n.as_rule() == Rule::qualified_name)
                    .map(qualified_name)
                    .collect::<Result<Vec<_>>>()?;
                let rename = match <[Ident; 2]>::try_from(names) {
                    Ok([new, old]) => Rename {
                        new,
                        old,
                        span: f_span,
                    },
                    Err(names) => {
                        let one = names
                            .into_iter()
                            .next()
                            .ok_or_else(|| errors::internal("commands::enrich", f_span))?;
                        Rename {
                            new: one.clone(),
                            old: one,
                            span: f_span,
                        }
                    }
                };
                with.push(rename);
            }
            _ => return Err(errors::internal("commands::enrich", span_of(&p))),
        }
    }
    Ok(OperatorKind::Enrich { policy, on, with })
}
