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
    /// `--memory-limit`: the growing operators reserved more than allowed.
    #[error(
        "the query went over --memory-limit {}: `{operator}` brought what the query holds to {} (raise --memory-limit, or filter and summarize earlier)",
        crate::context::format_size(*limit),
        crate::context::format_size(*used)
    )]
    MemoryLimit {
        limit: usize,
        used: usize,
        operator: &'static str,
    },
    /// `--timeout`: the deadline passed while `operator` ran.
    #[error(
        "the query went over --timeout {}: it was stopped in `{operator}` (raise --timeout, or narrow the query: a time filter, fewer rows into joins)",
        humantime(*limit)
    )]
    Timeout {
        limit: std::time::Duration,
        operator: &'static str,
    },
    #[error("{0}")]
    Unsupported(String),
    #[error("internal error in {context}: {message} (this is a bug in iishunt)")]
    Internal {
        context: &'static str,
        message: String,
    },
}

/// `1.5s`, `2m 30s`, `250ms`: a limit as the user would have typed it.
fn humantime(d: std::time::Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms}ms")
    } else if ms % 1000 != 0 && ms < 60_000 {
        format!("{:.1}s", d.as_secs_f64())
    } else if d.as_secs() < 60 {
        format!("{}s", d.as_secs())
    } else if d.as_secs() % 60 == 0 {
        format!("{}m", d.as_secs() / 60)
    } else {
        format!("{}m {}s", d.as_secs() / 60, d.as_secs() % 60)
    }
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
