//! KQL parser: query text → [`Query`] (dialect [`crate::ast::Dialect::Kql`]).
//!
//! Fed by the CLI, the REPL and `iishunt_syntax::parse`; feeds the planner.
//! The pest grammar (`grammar/common.pest` + `grammar/kql.pest`, derived in
//! `parser.rs`) produces a parse tree; `statements`, `operators`, `expr`,
//! `literals` and `names` turn it into the AST with one function per rule.
//! Before pest runs, `scan` rejects inputs that would only exhaust the stack
//! (deeply nested brackets); when pest fails, `diagnose` turns its expected-rule
//! set into words a hunter can act on.

mod diagnose;
mod expr;
mod graph;
mod literals;
mod names;
mod operators;
mod parser;
mod scan;
mod sequence;
mod statements;

use pest::iterators::{Pair, Pairs};
use pest::Parser as _;

use crate::ast::{Query, Span};
use crate::error::SyntaxError;

pub use parser::{KqlParser, Rule};

/// Microseconds since the Unix epoch (UTC) for any text `datetime(...)`
/// accepts (`2026-03-08`, `2026-03-08 16:05:12.5`, RFC 3339, RFC 2822), so
/// `todatetime("...")` can read strings exactly as literals are read.
pub fn datetime_micros(text: &str) -> Option<i64> {
    literals::datetime_text(text)
}

/// The string operator spelt `text` (`!has_cs`, `contains`, …), if it is one.
pub(crate) fn expr_str_op(text: &str) -> Option<crate::ast::StrOp> {
    expr::str_op(text)
}

/// Words the grammar reserves (its `keyword` rule): a column named like one is
/// written `['by']`. The printer and REPL completion bracket these.
pub const RESERVED: &[&str] = &[
    "and",
    "or",
    "by",
    "on",
    "with",
    "let",
    "true",
    "false",
    "True",
    "False",
    "TRUE",
    "FALSE",
    "null",
    "nulls",
    "asc",
    "desc",
    "between",
    "in",
    "has_any",
    "has_all",
    "has_cs",
    "has",
    "contains_cs",
    "contains",
    "startswith_cs",
    "startswith",
    "endswith_cs",
    "endswith",
    "hasprefix_cs",
    "hasprefix",
    "hassuffix_cs",
    "hassuffix",
    "matches",
];

/// How deeply brackets may nest before the query is refused.
pub const MAX_NESTING: usize = 64;
/// How deep an expression tree may grow (long `or` chains count one per level).
pub const MAX_EXPR_DEPTH: usize = 512;

/// Parses a whole KQL query text: `let` / `set` statements and tabular
/// statements separated by `;`.
pub fn parse(text: &str) -> std::result::Result<Query, SyntaxError> {
    scan::precheck(text)?;
    let mut pairs =
        KqlParser::parse(Rule::query, text).map_err(|e| diagnose::from_pest(text, &e))?;
    let query = pairs
        .next()
        .ok_or_else(|| internal("kql::parse", Span::new(0, text.len())))?;
    statements::query(query)
}

pub(crate) type Result<T> = std::result::Result<T, SyntaxError>;

/// The byte span of a pair.
pub(crate) fn span_of(pair: &Pair<'_, Rule>) -> Span {
    let s = pair.as_span();
    Span::new(s.start(), s.end())
}

/// An error that means the grammar and the AST builder disagree: a bug, never
/// the user's fault. `func` names the builder function that noticed.
pub(crate) fn internal(func: &str, span: Span) -> SyntaxError {
    SyntaxError {
        code: "kql::internal",
        message: format!("internal error in the KQL parser ({func}): this is a bug, please report it with the query"),
        span,
        label: "the parser could not build this part".to_string(),
        help: None,
    }
}

/// Walks the children of one pair, naming the builder function in errors so a
/// grammar/builder mismatch reports where it happened instead of panicking.
pub(crate) struct Cursor<'i> {
    pairs: std::iter::Peekable<Pairs<'i, Rule>>,
    func: &'static str,
    span: Span,
}

impl<'i> Cursor<'i> {
    pub(crate) fn new(pair: Pair<'i, Rule>, func: &'static str) -> Self {
        let span = span_of(&pair);
        Cursor {
            pairs: pair.into_inner().peekable(),
            func,
            span,
        }
    }

    /// The next child, or an internal error if the tree has no more.
    pub(crate) fn next_pair(&mut self) -> Result<Pair<'i, Rule>> {
        self.pairs
            .next()
            .ok_or_else(|| internal(self.func, self.span))
    }

    /// The next child, which must be of `rule`.
    pub(crate) fn expect(&mut self, rule: Rule) -> Result<Pair<'i, Rule>> {
        let pair = self.next_pair()?;
        if pair.as_rule() == rule {
            Ok(pair)
        } else {
            Err(internal(self.func, span_of(&pair)))
        }
    }

    /// The next child if it is of `rule`.
    pub(crate) fn take_rule(&mut self, rule: Rule) -> Option<Pair<'i, Rule>> {
        if self.peek_rule() == Some(rule) {
            self.pairs.next()
        } else {
            None
        }
    }

    pub(crate) fn peek_rule(&mut self) -> Option<Rule> {
        self.pairs.peek().map(|p| p.as_rule())
    }

    /// An internal error pointing at this cursor's pair.
    pub(crate) fn bug(&self) -> SyntaxError {
        internal(self.func, self.span)
    }
}

impl<'i> Iterator for Cursor<'i> {
    type Item = Pair<'i, Rule>;
    fn next(&mut self) -> Option<Self::Item> {
        self.pairs.next()
    }
}
