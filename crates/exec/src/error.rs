//! Execution errors as data. Data never makes a query fail (Kusto turns bad
//! values into nulls); these are I/O problems, resource limits, cancellation and
//! internal bugs.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ExecError {
    #[error("cannot read {path}: {message}")]
    Read { path: PathBuf, message: String },
    #[error("the query was cancelled")]
    Cancelled,
    /// A one-pass aggregate made more groups than it may (the executor then
    /// switches to two passes; users never see this).
    #[error("too many groups for one pass (internal)")]
    GroupBudget,
    #[error("{0}")]
    Unsupported(String),
    #[error("internal error in {context}: {message} (this is a bug in iishunt)")]
    Internal {
        context: &'static str,
        message: String,
    },
}

impl ExecError {
    pub fn internal(context: &'static str, message: impl std::fmt::Display) -> Self {
        ExecError::Internal {
            context,
            message: message.to_string(),
        }
    }
}

impl From<arrow::error::ArrowError> for ExecError {
    fn from(e: arrow::error::ArrowError) -> Self {
        ExecError::internal("arrow", e)
    }
}

pub type Result<T, E = ExecError> = std::result::Result<T, E>;
