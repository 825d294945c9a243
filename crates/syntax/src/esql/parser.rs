//! The pest parser for `grammar/esql.pest` and the top of the lowering: one
//! query → one tabular statement whose source is the FROM/ROW command and whose
//! operators are the piped commands. Also the small pair helpers every lowering
//! function uses (spans, "next child or internal error").

use super::errors::{self, Result};
use super::{commands, prescan};
use crate::ast::{Dialect, Query, Span, Statement, TabularExpr};
use pest::iterators::{Pair, Pairs};
use pest::Parser;

#[derive(pest_derive::Parser)]
#[grammar = "../../grammar/esql.pest"]
pub(crate) struct EsqlParser;

pub(crate) fn parse_query(text: &str) -> Result<Query> {
    if text.trim().is_empty() {
        return Err(errors::error(
            "esql::empty",
            Span::new(0, text.len()),
            "the query is empty".to_string(),
            "nothing to run",
            Some(
                "an ES|QL query starts with FROM, e.g. `FROM logs-iis.access-* | LIMIT 10`"
                    .to_string(),
            ),
        ));
    }
    prescan::prescan(text)?;
    let mut pairs = EsqlParser::parse(Rule::query, text).map_err(|e| errors::from_pest(e, text))?;
    let query = next(&mut pairs, "parse_query", Span::new(0, text.len()))?;
    let span = span_of(&query);
    let mut inner = query.into_inner();
    let source_pair = next(&mut inner, "parse_query", span)?;
    let (source, mut operators) = commands::lower_source(source_pair, text)?;
    for pair in inner {
        match pair.as_rule() {
            Rule::pipe | Rule::EOI => {}
            _ => operators.push(commands::lower_command(pair, text)?),
        }
    }
    // The tabular expression spans the text that was parsed, without trailing blanks.
    let trimmed_end = text.trim_end().len();
    let tabular = TabularExpr {
        source,
        operators,
        span: Span::new(text.len() - text.trim_start().len(), trimmed_end),
    };
    Ok(Query {
        dialect: Dialect::Esql,
        statements: vec![Statement::Tabular(tabular)],
        span,
    })
}

/// The pair's byte span without trailing white space (pest's implicit skip
/// before an optional part that then does not match ends up inside the pair).
pub(crate) fn span_of(pair: &Pair<'_, Rule>) -> Span {
    let s = pair.as_span();
    let trimmed = pair.as_str().trim_end().len();
    Span::new(s.start(), s.start() + trimmed)
}

/// The next child pair, or an internal error naming the lowering function.
pub(crate) fn next<'i>(
    pairs: &mut Pairs<'i, Rule>,
    func: &str,
    span: Span,
) -> Result<Pair<'i, Rule>> {
    pairs.next().ok_or_else(|| errors::internal(func, span))
}
