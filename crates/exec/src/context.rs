//! What every operator of one query run shares: `now()`, the cancel flag.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::error::{ExecError, Result};

#[derive(Clone, Debug, Default)]
pub struct ExecContext {
    /// `now()` for this query, microseconds since the epoch (UTC).
    pub now: i64,
    /// Set by another thread (Ctrl-C in the REPL) to stop the query.
    pub cancel: Option<Arc<AtomicBool>>,
}

impl ExecContext {
    pub fn new(now: i64) -> Self {
        ExecContext { now, cancel: None }
    }

    /// Operators call this between batches: cooperative cancellation.
    pub fn check_cancelled(&self) -> Result<()> {
        match &self.cancel {
            Some(flag) if flag.load(Ordering::Relaxed) => Err(ExecError::Cancelled),
            _ => Ok(()),
        }
    }
}
