//! One integration-test root: each module is one area, over fixture logs in
//! `tests/fixtures/` small enough to read.
mod golden;
mod ingest;
mod cli;
mod repl;
mod run;
mod engine;
