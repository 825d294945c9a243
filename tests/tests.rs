//! One integration-test root: each module is one area, over fixture logs in
//! `tests/fixtures/` small enough to read.
mod cli;
mod engine;
mod golden;
mod hostile;
mod ingest;
mod repl;
mod run;
