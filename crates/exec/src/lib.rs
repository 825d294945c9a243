//! The executor: physical operators over Arrow batches, run in parallel with
//! rayon over the partitions of a scan. Fed a logical plan by `iishunt-plan`;
//! feeds result batches to the facade.
//!
//! Modules in pipeline order: `source` (Parquet or memory partitions),
//! `expr` (vectorised expression evaluation, dictionary-aware), `functions`
//! (scalar kernels), `aggregates` (accumulators), `ops` (operators),
//! `physical` (logical → physical, explain), `execute` (running it).

pub mod error;
pub mod context;
pub mod datum;
pub mod scalar;
pub mod source;
pub mod expr;
pub mod functions;
pub mod aggregates;
pub mod ops;
pub mod graph;
pub mod physical;
pub mod execute;

pub use context::ExecContext;
pub use execute::execute;
pub use physical::{create_physical_plan, display_physical, PhysicalPlan};
pub use source::{DataSource, ParquetFile, TableData};
