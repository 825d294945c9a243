//! The planner: binds an AST against the catalog (names, types, functions),
//! builds a logical plan and optimizes it (projection and predicate pushdown,
//! row-group pruning ranges). Fed by `iishunt-syntax`; feeds `iishunt-exec`.

pub mod types;
pub mod functions;
pub mod error;

pub use error::PlanError;
