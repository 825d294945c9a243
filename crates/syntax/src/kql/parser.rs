//! The pest parser generated from `grammar/common.pest` + `grammar/kql.pest`.
//!
//! Only the derive lives here; `statements.rs`, `operators.rs`, `expr.rs` and
//! `literals.rs` turn its parse tree into the AST, one function per rule.

#[derive(pest_derive::Parser)]
#[grammar = "../../grammar/common.pest"]
#[grammar = "../../grammar/kql.pest"]
pub struct KqlParser;
