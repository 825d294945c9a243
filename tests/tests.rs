//! One integration-test root: each module is one area, over fixture logs in
//! `tests/fixtures/` small enough to read.
mod cli;
mod conformance;
mod demo;
mod engine;
mod esql_spec;
mod externaldata;
mod golden;
mod hostile;
mod ingest;
mod logfiles;
mod repl;
mod report;
mod run;
mod sentinel;
mod translate;
