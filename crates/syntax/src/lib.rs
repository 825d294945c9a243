//! The language front end: query text → one [`ast::Query`] for both pipe
//! languages, or a [`SyntaxError`] that says what and where.
//!
//! `kql` parses KQL with the pest grammar in `grammar/kql.pest`; `esql` parses
//! ES|QL with `grammar/esql.pest` and lowers it into the same AST. `print`
//! writes an AST back as canonical KQL. Fed by the CLI and REPL; feeds
//! `iishunt-plan`.

pub mod ast;
pub mod error;

pub use ast::{Dialect, Query, Span};
pub use error::SyntaxError;
pub mod esql;
pub mod kql;
