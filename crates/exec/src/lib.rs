//! The executor: physical operators over Arrow batches, run in parallel with
//! rayon over the partitions of a scan. Fed a plan by `iishunt-plan`; feeds
//! result batches to the facade.

pub mod error;
pub mod datum;
pub mod scalar;
pub mod functions;
