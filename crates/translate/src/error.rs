//! Translation errors as data: what could not be expressed, in which target,
//! and what to do instead. The CLI renders them; nothing here panics.

use crate::dialect::Target;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct TranslateError {
    /// A stable code: `translate::unsupported`, `translate::internal`.
    pub code: &'static str,
    pub message: String,
    pub help: Option<String>,
}

impl TranslateError {
    /// `what` (an operator or function, as the user wrote it) has no faithful
    /// SQL form in `target`; `why` says what would differ.
    pub fn unsupported(what: &str, target: Target, why: &str) -> TranslateError {
        TranslateError {
            code: "translate::unsupported",
            message: format!(
                "{what} cannot be translated to {} SQL: {why}",
                target.display_name()
            ),
            help: Some(
                "run this hunt with `iishunt query`, or rewrite that part (see docs/scale-out.md)"
                    .into(),
            ),
        }
    }

    /// A plan shape the translator should handle but does not: a bug.
    pub fn internal(place: &str, message: impl Into<String>) -> TranslateError {
        TranslateError {
            code: "translate::internal",
            message: format!("{place}: {} (this is a bug)", message.into()),
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> TranslateError {
        self.help = Some(help.into());
        self
    }
}

pub type Result<T> = std::result::Result<T, TranslateError>;
