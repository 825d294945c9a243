//! ES|QL parser: `grammar/esql.pest` → the same AST. (being built)
