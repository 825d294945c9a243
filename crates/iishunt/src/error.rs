//! The facade's error: which stage failed, with the data needed to point at
//! the user's text. The CLI renders it (miette); the library never prints.

use iishunt_syntax::{Span, SyntaxError};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The query text does not parse.
    #[error("{0}")]
    Syntax(SyntaxError),
    /// The query parses but names, types or arguments don't fit.
    #[error("{0}")]
    Plan(iishunt_plan::PlanError),
    /// Running the query failed (I/O, cancellation, internal).
    #[error(transparent)]
    Exec(#[from] iishunt_exec::error::ExecError),
    /// The data could not be opened.
    #[error("{0}")]
    Data(String),
    /// The query has no faithful SQL form in the target (`iishunt translate`).
    #[error("{0}")]
    Translate(iishunt_translate::TranslateError),
}

impl Error {
    /// The span of the query text this error blames, if any.
    pub fn span(&self) -> Option<Span> {
        match self {
            Error::Syntax(e) => Some(e.span),
            Error::Plan(e) => Some(e.span),
            _ => None,
        }
    }

    /// A short label for the caret, if any.
    pub fn label(&self) -> Option<&str> {
        match self {
            Error::Syntax(e) => Some(&e.label),
            Error::Plan(e) => Some(&e.label),
            _ => None,
        }
    }

    pub fn help(&self) -> Option<&str> {
        match self {
            Error::Syntax(e) => e.help.as_deref(),
            Error::Plan(e) => e.help.as_deref(),
            Error::Translate(e) => e.help.as_deref(),
            _ => None,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Error::Syntax(e) => e.code,
            Error::Plan(e) => e.code,
            Error::Exec(_) => "exec",
            Error::Data(_) => "data",
            Error::Translate(e) => e.code,
        }
    }
}

impl From<SyntaxError> for Error {
    fn from(e: SyntaxError) -> Self {
        Error::Syntax(e)
    }
}

impl From<iishunt_plan::PlanError> for Error {
    fn from(e: iishunt_plan::PlanError) -> Self {
        Error::Plan(e)
    }
}
