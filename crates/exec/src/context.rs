//! What every operator of one query run shares: `now()`, the cancel flag, and
//! the resource limits (`--memory-limit`, `--timeout`).
//!
//! Limits are cooperative, like cancellation: the operators that grow
//! (result collection, sort, summarize's hash tables and sets, join, mv-expand,
//! make-series) [`ExecContext::reserve`] the bytes they come to hold as they
//! produce batches, and every operator calls [`ExecContext::check`] between
//! batches. Going over a limit ends the query with an error that names the
//! limit and the operator — never an out-of-memory kill.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use arrow::array::RecordBatch;
use std::time::{Duration, Instant};

use crate::error::{ExecError, Result};

#[derive(Clone, Debug)]
pub struct ExecContext {
    /// `now()` for this query, microseconds since the epoch (UTC).
    pub now: i64,
    /// Set by another thread (Ctrl-C in the REPL) to stop the query.
    pub cancel: Option<Arc<AtomicBool>>,
    /// Bytes of group state a `summarize … | where` may build in one pass
    /// before it switches to two passes (tests set 0 to force the two-pass path).
    pub one_pass_bytes: usize,
    /// The memory budget of this query (`--memory-limit`), shared by its operators.
    pub memory: Option<Arc<MemoryBudget>>,
    /// When the query must be done by (`--timeout`), and the limit as given.
    pub deadline: Option<(Instant, Duration)>,
    /// The rows of each `materialize()` computed so far in this query (and
    /// its subqueries, which share the context), by plan key.
    pub materialized: Arc<Mutex<HashMap<u64, Vec<RecordBatch>>>>,
}

/// Default for [`ExecContext::one_pass_bytes`]: 512 MiB. A budget in bytes,
/// not groups: q4's 591,672 (bin, client) groups at 20M lines hold ~100 MB
/// and one pass beat two by 1.7× there (and peaked lower), while a budget of
/// 250,000 groups had sent it to two passes after reading 40% of the rows.
pub const ONE_PASS_BYTES: usize = 512 << 20;

/// Bytes the growing operators of one query may hold, counted as they grow.
///
/// The count only goes up during a query: what an operator reserved stays
/// counted after it hands its rows on. It is therefore an upper bound on what
/// the operators hold at any one moment (Arrow buffers shared between
/// operators are counted once per operator that produced them).
#[derive(Debug)]
pub struct MemoryBudget {
    limit: usize,
    used: AtomicUsize,
}

impl MemoryBudget {
    pub fn new(limit: usize) -> Self {
        MemoryBudget {
            limit,
            used: AtomicUsize::new(0),
        }
    }

    /// The limit, in bytes.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// Bytes reserved so far.
    pub fn used(&self) -> usize {
        self.used.load(Ordering::Relaxed)
    }
}

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
            one_pass_bytes: ONE_PASS_BYTES,
            memory: None,
            deadline: None,
            materialized: Arc::default(),
        }
    }

    /// With a memory budget of `limit` bytes.
    pub fn with_memory_limit(mut self, limit: usize) -> Self {
        self.memory = Some(Arc::new(MemoryBudget::new(limit)));
        self
    }

    /// With a deadline `timeout` from now.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.deadline = Some((Instant::now() + timeout, timeout));
        self
    }

    /// Operators call this between batches: cooperative cancellation and the
    /// deadline. `operator` is named in the timeout error.
    pub fn check(&self, operator: &'static str) -> Result<()> {
        if let Some(flag) = &self.cancel {
            if flag.load(Ordering::Relaxed) {
                return Err(ExecError::Cancelled);
            }
        }
        if let Some((deadline, limit)) = self.deadline {
            if Instant::now() >= deadline {
                return Err(ExecError::Timeout { limit, operator });
            }
        }
        Ok(())
    }

    /// Like [`ExecContext::check`], for callers that are not one operator.
    pub fn check_cancelled(&self) -> Result<()> {
        self.check("scan")
    }

    /// Counts `bytes` more held by `operator`; fails once the query's total
    /// passes the memory limit. Also checks cancellation and the deadline.
    pub fn reserve(&self, operator: &'static str, bytes: usize) -> Result<()> {
        if let Some(budget) = &self.memory {
            let used = budget.used.fetch_add(bytes, Ordering::Relaxed) + bytes;
            if used > budget.limit {
                return Err(ExecError::MemoryLimit {
                    limit: budget.limit,
                    used,
                    operator,
                });
            }
        }
        self.check(operator)
    }
}

/// Bytes as people write them: `1.5 GB`, `512MB`, `64MiB`, `2g`, `1000000`.
/// Decimal (`KB`, `MB`, `GB`, `TB`) and binary (`KiB`, `MiB`, …) units;
/// a lone letter (`k`, `m`, `g`, `t`) is binary.
pub fn parse_size(text: &str) -> std::result::Result<usize, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = (&t[..split], t[split..].trim());
    let value: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a size (examples: 512MB, 2GB, 64MiB)"))?;
    let scale: f64 = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "kb" => 1e3,
        "mb" => 1e6,
        "gb" => 1e9,
        "tb" => 1e12,
        "k" | "kib" => 1024.0,
        "m" | "mib" => 1024.0 * 1024.0,
        "g" | "gib" => 1024.0 * 1024.0 * 1024.0,
        "t" | "tib" => 1024.0f64.powi(4),
        _ => {
            return Err(format!(
            "unknown size unit `{unit}` in `{text}` (use B, KB, MB, GB, TB or KiB, MiB, GiB, TiB)"
        ))
        }
    };
    let bytes = value * scale;
    if !bytes.is_finite() || bytes < 1.0 || bytes > usize::MAX as f64 {
        return Err(format!(
            "`{text}` is not a usable size: give at least 1 byte"
        ));
    }
    Ok(bytes as usize)
}

/// A duration as people write them: `30s`, `500ms`, `2m`, `1h`, `1.5s`, or a
/// bare number of seconds.
pub fn parse_duration(text: &str) -> std::result::Result<Duration, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = (&t[..split], t[split..].trim());
    let value: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration (examples: 30s, 500ms, 2m, 1h)"))?;
    let seconds = match unit.to_ascii_lowercase().as_str() {
        "" | "s" | "sec" => value,
        "ms" => value / 1e3,
        "m" | "min" => value * 60.0,
        "h" => value * 3600.0,
        _ => {
            return Err(format!(
                "unknown duration unit `{unit}` in `{text}` (use ms, s, m or h)"
            ))
        }
    };
    if !seconds.is_finite() || seconds <= 0.0 || seconds > 1e9 {
        return Err(format!(
            "`{text}` is not a usable duration: give more than 0"
        ));
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// `52428800` → `50.0 MB` (decimal, as `--memory-limit` is usually written).
pub fn format_size(bytes: usize) -> String {
    let b = bytes as f64;
    if b >= 1e9 {
        format!("{:.1} GB", b / 1e9)
    } else if b >= 1e6 {
        format!("{:.1} MB", b / 1e6)
    } else if b >= 1e3 {
        format!("{:.1} KB", b / 1e3)
    } else {
        format!("{bytes} B")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_in_decimal_and_binary_units() {
        for (text, bytes) in [
            ("50MB", 50_000_000),
            ("50 mb", 50_000_000),
            ("1.5GB", 1_500_000_000),
            ("64MiB", 64 << 20),
            ("2g", 2 << 30),
            ("1000", 1000),
            ("10KB", 10_000),
        ] {
            assert_eq!(parse_size(text), Ok(bytes), "{text}");
        }
        assert!(parse_size("lots").unwrap_err().contains("not a size"));
        assert!(parse_size("5 parsecs")
            .unwrap_err()
            .contains("unknown size unit"));
        assert!(parse_size("0MB").unwrap_err().contains("at least 1 byte"));
    }

    #[test]
    fn durations_parse_with_units_or_as_seconds() {
        for (text, ms) in [
            ("1s", 1000),
            ("500ms", 500),
            ("2m", 120_000),
            ("1h", 3_600_000),
            ("1.5", 1500),
        ] {
            assert_eq!(
                parse_duration(text),
                Ok(Duration::from_millis(ms)),
                "{text}"
            );
        }
        assert!(parse_duration("soon")
            .unwrap_err()
            .contains("not a duration"));
        assert!(parse_duration("3 weeks")
            .unwrap_err()
            .contains("unknown duration unit"));
        assert!(parse_duration("0s").unwrap_err().contains("more than 0"));
    }

    #[test]
    fn reserving_past_the_limit_names_the_operator() {
        let ctx = ExecContext::new(0).with_memory_limit(1000);
        assert!(ctx.reserve("sort", 600).is_ok());
        match ctx.reserve("sort", 600) {
            Err(ExecError::MemoryLimit {
                limit,
                used,
                operator,
            }) => {
                assert_eq!((limit, used, operator), (1000, 1200, "sort"));
            }
            other => panic!("expected a memory-limit error, got {other:?}"),
        }
    }

    #[test]
    fn a_passed_deadline_names_the_operator() {
        let ctx = ExecContext::new(0).with_timeout(Duration::from_nanos(1));
        std::thread::sleep(Duration::from_millis(2));
        match ctx.check("join") {
            Err(ExecError::Timeout { operator, .. }) => assert_eq!(operator, "join"),
            other => panic!("expected a timeout, got {other:?}"),
        }
    }
}
