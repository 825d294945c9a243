//! Text patterns that split a string into columns: ES|QL's `DISSECT` and
//! `GROK`, and KQL's `parse`. Each compiler turns its pattern into ONE regex
//! with a capture group per output (`CompiledPattern`); the binder
//! (`bind/parse.rs`) lowers every output to a call of the internal
//! `__regex_capture` function over that regex, so the executor runs these
//! operators as ordinary vectorised expressions (once per distinct value of a
//! dictionary column).
//!
//! Fed by the binder with the pattern text; errors come back as
//! [`PatternError`] (message and help), which the binder puts at the
//! operator's span.

pub mod dissect;
pub mod grok;
mod grok_library;
pub mod kusto;

use crate::types::KType;

/// A pattern compiled to one regex and the columns it fills.
#[derive(Debug, Clone, PartialEq)]
pub struct CompiledPattern {
    /// The regex, in the `regex` crate's syntax.
    pub regex: String,
    pub fields: Vec<Field>,
}

/// One output column of a pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    /// Capture group numbers whose matched text makes the value, joined by
    /// `separator` (more than one only for DISSECT's `%{+key}` appends).
    pub groups: Vec<usize>,
    pub separator: String,
    /// The type to convert the captured text to (`String`: no conversion).
    pub ty: KType,
}

/// Why a pattern does not compile, in the user's words.
#[derive(Debug, Clone, PartialEq)]
pub struct PatternError {
    pub message: String,
    pub help: Option<String>,
    /// Where in the query, when narrower than the operator (a KQL `parse` column).
    pub span: Option<iishunt_syntax::ast::Span>,
}

impl PatternError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        PatternError {
            message: message.into(),
            help: None,
            span: None,
        }
    }

    pub(crate) fn at(mut self, span: iishunt_syntax::ast::Span) -> Self {
        self.span = Some(span);
        self
    }

    pub(crate) fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

pub type Result<T> = std::result::Result<T, PatternError>;

/// Compiles `regex` (to reject what the `regex` crate cannot run, at bind
/// time rather than per batch) and maps the internal group names `_pN` that
/// the compilers give their outputs to group numbers.
pub(crate) fn group_numbers(regex: &str, what: &str) -> Result<Vec<(String, usize)>> {
    let re = regex::Regex::new(regex).map_err(|e| regex_error(e, what))?;
    Ok(re
        .capture_names()
        .enumerate()
        .filter_map(|(i, n)| n.map(|n| (n.to_string(), i)))
        .collect())
}

/// The number of the group named `name` (one of the `_pN` names).
pub(crate) fn group_of(groups: &[(String, usize)], name: &str) -> Result<usize> {
    groups
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, i)| *i)
        .ok_or_else(|| {
            PatternError::new(format!(
                "internal: lost capture group {name} (this is a bug)"
            ))
        })
}

/// The `regex` crate runs in linear time: it has no look-around and no
/// back-references, which Oniguruma (Elastic) and .NET (Kusto) patterns use.
fn regex_error(e: regex::Error, what: &str) -> PatternError {
    let text = e.to_string();
    let detail = text.lines().last().unwrap_or("").trim().to_string();
    let err = PatternError::new(format!("{what} is not a valid regex: {detail}"));
    if text.contains("look-around") || text.contains("backreferences") {
        err.with_help(
            "iishunt's regex engine (Rust `regex`, RE2 syntax) has no look-ahead, look-behind, \
             atomic groups or back-references: rewrite that part without them",
        )
    } else if text.contains("too big") {
        err.with_help("the pattern compiles to a regex larger than the engine's limit: simplify it")
    } else {
        err
    }
}

/// `text` as a regex that matches it literally.
pub(crate) fn literal(text: &str) -> String {
    regex::escape(text)
}
