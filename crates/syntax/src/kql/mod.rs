//! KQL parser: `grammar/kql.pest` → AST. (being built)
