//! What every operator of one query run shares: `now()`, the cancel flag.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::error::{ExecError, Result};

#[derive(Clone, Debug)]
pub struct ExecContext {
    /// `now()` for this query, microseconds since the epoch (UTC).
    pub now: i64,
    /// Set by another thread (Ctrl-C in the REPL) to stop the query.
    pub cancel: Option<Arc<AtomicBool>>,
    /// Groups a `summarize … | where` may make in one pass before it switches
    /// to two passes (tests set 0 to force the two-pass path).
    pub one_pass_groups: usize,
}

/// Default for [`ExecContext::one_pass_groups`].
pub const ONE_PASS_GROUPS: usize = 250_000;

impl Default for ExecContext {
    fn default() -> Self {
        ExecContext::new(0)
    }
}

impl ExecContext {
    pub fn new(now: i64) -> Self {
        ExecContext {
            now,
            cancel: None,
            one_pass_groups: ONE_PASS_GROUPS,
        }
    }

    /// Operators call this between batches: cooperative cancellation.
    pub fn check_cancelled(&self) -> Result<()> {
        match &self.cancel {
            Some(flag) if flag.load(Ordering::Relaxed) => Err(ExecError::Cancelled),
            _ => Ok(()),
        }
    }
}
