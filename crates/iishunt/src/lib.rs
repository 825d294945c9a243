//! The iishunt library facade: everything a user can do from the terminal is
//! one call here. It ties the stages together: `iishunt-w3c` and
//! `iishunt-store` for ingest; `iishunt-syntax` → `iishunt-plan` →
//! `iishunt-exec` for queries; `render` for what the user sees.

pub mod error;
pub mod ingest;
pub mod engine;
mod externaldata;
pub mod translate;
pub mod render;
pub mod chart;
pub mod report;
#[doc(hidden)]
pub mod fuzzing;

/// Parsing and printing of `--memory-limit` sizes and `--timeout` durations.
pub mod limits {
    pub use iishunt_exec::context::{format_size, parse_duration, parse_size};
}

pub use engine::{
    default_memory_limit, detect_dialect, Engine, NowSetting, QueryOptions, QueryResult,
    RenderSpec, TableInfo,
};
pub use error::Error;
pub use iishunt_gen as gen;
pub use iishunt_plan::types::KType;
pub use iishunt_syntax::Dialect;
pub use iishunt_translate::{Target, Translation};
