//! Names: plain identifiers, `['bracketed names']`, table names and column
//! patterns with `*` wildcards.
//!
//! Used by every other builder; yields [`Ident`] and [`ColumnPattern`] with
//! the span of the text as written (brackets included).

use pest::iterators::Pair;

use super::literals::quoted;
use super::{internal, span_of, Result, Rule};
use crate::ast::{ColumnPattern, Ident, TypeName};

/// `name`: `csUriStem` or `['odd name']`.
pub(super) fn name(pair: Pair<'_, Rule>) -> Result<Ident> {
    let span = span_of(&pair);
    let inner = match pair.as_rule() {
        Rule::name | Rule::table_name | Rule::column_pattern | Rule::call_name => pair
            .into_inner()
            .next()
            .ok_or_else(|| internal("names::name", span))?,
        _ => pair,
    };
    let text = match inner.as_rule() {
        Rule::bracketed_name => bracketed_name(inner)?,
        Rule::plain_name | Rule::table_pattern | Rule::pattern_word => inner.as_str().to_string(),
        _ => return Err(internal("names::name", span)),
    };
    Ok(Ident::new(text, span))
}

/// `['odd name']` / `["odd name"]` → `odd name`.
fn bracketed_name(pair: Pair<'_, Rule>) -> Result<String> {
    let span = span_of(&pair);
    let q = pair
        .into_inner()
        .next()
        .ok_or_else(|| internal("names::bracketed_name", span))?;
    quoted(q)
}

/// `table_name` → an identifier that may hold `*`.
pub(super) fn table_name(pair: Pair<'_, Rule>) -> Result<Ident> {
    name(pair)
}

/// `column_pattern`: `set_*`, `['odd name']`.
pub(super) fn column_pattern(pair: Pair<'_, Rule>) -> Result<ColumnPattern> {
    let ident = name(pair)?;
    Ok(ColumnPattern {
        pattern: ident.name,
        span: ident.span,
    })
}

/// `type_name` → [`TypeName`].
pub(super) fn type_name(pair: Pair<'_, Rule>) -> Result<TypeName> {
    TypeName::parse(pair.as_str()).ok_or_else(|| internal("names::type_name", span_of(&pair)))
}
