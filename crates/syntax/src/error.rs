//! Syntax errors as data: what went wrong, where, and a hint. Rendering with a
//! caret is the CLI's job (miette); this crate only describes the error.

use crate::ast::Span;

/// A parse error at a span of the query text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SyntaxError {
    /// A stable code such as `kql::expected_operator`, for tests and docs.
    pub code: &'static str,
    /// What went wrong, in words a hunter understands.
    pub message: String,
    /// Where: byte offsets into the query text.
    pub span: Span,
    /// The label under the caret, e.g. "expected a tabular operator here".
    pub label: String,
    /// A suggestion, e.g. "did you mean `summarize`?".
    pub help: Option<String>,
}
