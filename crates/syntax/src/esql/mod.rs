//! The ES|QL front end: query text → the shared [`ast::Query`](crate::ast::Query).
//!
//! `grammar/esql.pest` recognises the text; this module lowers the parse tree
//! into the same AST the KQL parser builds, tagged [`Dialect::Esql`], so the
//! planner and engine serve both languages with one code path. ES|QL commands
//! map onto the shared operators (`EVAL` → `Extend`, `STATS … BY` → `Summarize`,
//! `KEEP` → `Keep`, `LIMIT` → `Take`, …); functions become calls with their
//! lower-cased ES|QL name and the planner maps them to engine functions.
//!
//! Pipeline: [`prescan`] rejects what would make a recursive-descent parser
//! suffer (nesting too deep, unterminated strings) → pest ([`parser`]) →
//! [`commands`] and [`expr`] (with [`literals`]) lower every rule into spanned
//! nodes → errors come out as [`SyntaxError`]s worded by [`errors`], with
//! [`hints`] for KQL/SQL habits and misspelled commands.
//!
//! Fed by `iishunt_syntax::parse` (dialect dispatch), the CLI and the REPL;
//! feeds `iishunt-plan`.

mod commands;
mod errors;
mod expr;
mod hints;
mod literals;
mod parser;
mod prescan;

use crate::ast::Query;
use crate::error::SyntaxError;

/// Parentheses and brackets nested deeper than this are refused before parsing.
pub const MAX_NESTING: usize = 64;

/// Expression trees deeper than this (counting operators and calls) are refused,
/// so no later stage recurses without bound.
pub const MAX_EXPR_DEPTH: usize = 256;

/// Parses one ES|QL query.
///
/// ```
/// let q = iishunt_syntax::esql::parse("FROM logs-iis.error-* | STATS count() BY source.ip").unwrap();
/// assert_eq!(q.dialect, iishunt_syntax::Dialect::Esql);
/// ```
pub fn parse(text: &str) -> Result<Query, SyntaxError> {
    parser::parse_query(text)
}

/// The ES|QL commands iishunt parses, upper-cased, in the order `docs/esql.md`
/// lists them. Used for did-you-mean and completion.
pub const COMMANDS: &[&str] = &[
    "FROM",
    "ROW",
    "WHERE",
    "EVAL",
    "STATS",
    "KEEP",
    "DROP",
    "RENAME",
    "SORT",
    "LIMIT",
    "DISSECT",
    "GROK",
    "MV_EXPAND",
    "ENRICH",
    "LOOKUP JOIN",
];

/// Whether a query text reads as ES|QL: its first word, after white space and
/// `//` / `/* */` comments, is `FROM` or `ROW` (any case). The CLI and REPL use
/// it when neither `--dialect` nor a file extension decides.
///
/// ```
/// use iishunt_syntax::esql::looks_like_esql;
/// assert!(looks_like_esql("// hunt\nfrom logs-iis.access-* | limit 1"));
/// assert!(!looks_like_esql("W3CIISLog | take 1"));
/// ```
pub fn looks_like_esql(text: &str) -> bool {
    let mut rest = text;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        if let Some(r) = rest.strip_prefix("//") {
            rest = r.find('\n').map_or("", |n| &r[n..]);
        } else if let Some(r) = rest.strip_prefix("/*") {
            rest = r.find("*/").map_or("", |n| &r[n + 2..]);
        } else {
            break;
        }
    }
    let word: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    word.eq_ignore_ascii_case("from") || word.eq_ignore_ascii_case("row")
}
