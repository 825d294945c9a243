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

impl SyntaxError {
    /// 1-based line and column (in characters) where the error starts, for
    /// `file:line:col` messages in batch runs.
    pub fn line_col(&self, text: &str) -> (usize, usize) {
        let mut at = self.span.start.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let before = &text[..at];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_lines_and_characters() {
        let e = SyntaxError {
            code: "x",
            message: String::new(),
            span: Span::new(9, 10),
            label: String::new(),
            help: None,
        };
        assert_eq!(e.line_col("ab\nçd | x"), (2, 6));
        assert_eq!(e.line_col(""), (1, 1));
    }
}
