//! The planner: binds an AST against the catalog (names, types, functions),
//! builds a logical plan and optimizes it (projection and predicate pushdown,
//! row-group pruning ranges). Fed by `iishunt-syntax`; feeds `iishunt-exec`.

pub mod types;
pub mod schema;
pub mod catalog;
pub mod functions;
pub mod expr;
pub mod logical;
pub mod graph;
pub mod error;
pub mod suggest;
pub mod patterns;
pub mod bind;
pub mod optimize;

pub use error::PlanError;
