//! The language front end: query text → one [`ast::Query`] for both pipe
//! languages, or a [`SyntaxError`] that says what and where.
//!
//! `kql` parses KQL with the pest grammar in `grammar/kql.pest`; `esql` parses
//! ES|QL with `grammar/esql.pest` and lowers it into the same AST. `print`
//! writes an AST back as canonical KQL; `spans` erases spans so ASTs compare
//! by structure. `suggest` and `rule_names` give errors their words. Fed by
//! the CLI and REPL; feeds `iishunt-plan`.

pub mod ast;
pub mod error;

pub use ast::{Dialect, Query, Span};
pub use error::SyntaxError;
pub mod esql;
pub mod kql;
pub mod print;
pub mod rule_names;
pub mod spans;
pub mod suggest;

/// Parses `text` in the given dialect.
pub fn parse(text: &str, dialect: Dialect) -> Result<Query, SyntaxError> {
    match dialect {
        Dialect::Kql => kql::parse(text),
        Dialect::Esql => esql::parse(text),
    }
}
