//! Issue 12: hostile queries, hostile logs, kill -9 during ingest, resource
//! limits and output safety. docs/security.md maps each defence to the test
//! here that shows it.
mod crash;
mod limits;
mod logs;
mod output;
mod props;
mod queries;
