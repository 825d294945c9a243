//! `--memory-limit` and `--timeout`, shared by `query`, `run` and `repl`: the
//! flags, their parsing, and how they fill [`QueryOptions`].

use std::time::Duration;

use iishunt::QueryOptions;

#[derive(clap::Args, Debug, Clone, Default)]
pub struct LimitArgs {
    /// Stop a query once its operators (summarize, sort, join, collected
    /// rows, …) hold more than SIZE (e.g. 512MB, 2GB, 4GiB; `none`: no limit).
    /// Default: 60% of the machine's memory (divided among `run`'s parallel hunts).
    #[arg(long, value_name = "SIZE", value_parser = parse_memory_limit)]
    pub memory_limit: Option<MemoryLimit>,
    /// Stop a query that runs longer than DURATION (e.g. 30s, 500ms, 5m).
    #[arg(long, value_name = "DURATION", value_parser = parse_timeout)]
    pub timeout: Option<Duration>,
}

/// A `--memory-limit` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemoryLimit {
    Bytes(usize),
    Unlimited,
}

fn parse_memory_limit(text: &str) -> Result<MemoryLimit, String> {
    if matches!(
        text.to_ascii_lowercase().as_str(),
        "none" | "off" | "unlimited"
    ) {
        return Ok(MemoryLimit::Unlimited);
    }
    iishunt::limits::parse_size(text).map(MemoryLimit::Bytes)
}

fn parse_timeout(text: &str) -> Result<Duration, String> {
    iishunt::limits::parse_duration(text)
}

impl LimitArgs {
    /// Sets the limits of `options`; `share` queries run at once split the
    /// default memory limit.
    pub fn apply(&self, options: &mut QueryOptions, share: usize) {
        options.memory_limit = match self.memory_limit {
            Some(MemoryLimit::Bytes(n)) => Some(n),
            Some(MemoryLimit::Unlimited) => None,
            None => iishunt::default_memory_limit().map(|n| n / share.max(1)),
        };
        options.timeout = self.timeout;
    }
}
