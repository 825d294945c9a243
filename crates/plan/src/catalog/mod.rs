//! The catalog: the tables a query can name and their columns as the query
//! sees them (Sentinel names and types). Built by the facade from the dataset;
//! the ES|QL views over the same tables are defined in `ecs.rs`.

pub mod ecs;

use crate::schema::Schema;

#[derive(Debug, Clone)]
pub struct TableDef {
    pub name: String,
    pub schema: Schema,
    pub kind: TableKind,
}

/// Log tables come from ingested (or raw) logs; lookup tables are small
/// reference tables loaded from CSV (watchlists, threat intel, asset lists)
/// that `join`, `lookup`, ES|QL `LOOKUP JOIN` and `ENRICH` read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    Log,
    Lookup,
}

#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub tables: Vec<TableDef>,
}

impl Catalog {
    pub fn table(&self, name: &str) -> Option<&TableDef> {
        self.tables.iter().find(|t| t.name == name)
    }

    pub fn table_names(&self) -> impl Iterator<Item = &str> {
        self.tables.iter().map(|t| t.name.as_str())
    }

    /// A lookup table (an ES|QL enrich policy) by name.
    pub fn lookup_table(&self, name: &str) -> Option<&TableDef> {
        self.tables
            .iter()
            .find(|t| t.kind == TableKind::Lookup && t.name == name)
    }

    pub fn lookup_names(&self) -> impl Iterator<Item = &str> {
        self.tables
            .iter()
            .filter(|t| t.kind == TableKind::Lookup)
            .map(|t| t.name.as_str())
    }
}
