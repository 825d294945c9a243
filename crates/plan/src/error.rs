//! Planning errors as data: unknown names, wrong types, wrong arity, misplaced
//! aggregates — each at the span it blames, with a hint where one is obvious.

use iishunt_syntax::Span;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct PlanError {
    /// A stable code, e.g. `plan::unknown_column`.
    pub code: &'static str,
    pub message: String,
    pub span: Span,
    /// The text under the caret, e.g. "no such column".
    pub label: String,
    /// e.g. "did you mean `csUriStem`?"
    pub help: Option<String>,
}

impl PlanError {
    pub fn new(
        code: &'static str,
        span: Span,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> Self {
        PlanError {
            code,
            message: message.into(),
            span,
            label: label.into(),
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

pub type Result<T, E = PlanError> = std::result::Result<T, E>;
