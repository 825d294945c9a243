//! Where the tables are: how each target reads a table of the dataset
//! (`DIR/<Table>/date=YYYY-MM-DD/*.parquet`, hive-partitioned), which
//! columns the files really hold (the rest of Sentinel's schema reads as
//! null), the Spark view preamble and the Trino DDL.

use iishunt_plan::types::KType;

use crate::dialect::Target;

/// One table of the dataset, as the facade found it.
#[derive(Debug, Clone)]
pub struct TableSource {
    pub name: String,
    /// The columns stored in the Parquet files, with the type queries see.
    pub stored: Vec<(String, KType)>,
    /// False when the dataset has no file for the table: it reads as empty.
    pub has_files: bool,
    /// A lookup table's CSV file (header line first); `None` for the
    /// dataset's Parquet tables.
    pub csv: Option<String>,
}

/// The dataset the SQL reads and its tables.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// The dataset folder as the SQL engine will see it (a local path, or a
    /// `s3://…` / `abfss://…` URI when the dataset was copied there).
    pub root: String,
    pub tables: Vec<TableSource>,
}

/// The Trino catalog and schema the DDL creates the tables in.
pub const TRINO_SCHEMA: &str = "hive.iishunt";

/// The hive partition column every table has.
pub const PARTITION_COLUMN: &str = "date";

impl Dataset {
    pub fn table(&self, name: &str) -> Option<&TableSource> {
        self.tables.iter().find(|t| t.name == name)
    }

    fn folder(&self, table: &str) -> String {
        format!("{}/{table}", self.root.trim_end_matches('/'))
    }

    /// The SQL that reads `table` in a `FROM` clause.
    pub fn reference(&self, target: Target, table: &str) -> String {
        if let (Target::DuckDb, Some(t)) = (target, self.table(table)) {
            if let Some(csv) = &t.csv {
                // Types from iishunt's reading of the file; the header line
                // (which may carry `name:type`) is skipped.
                let cols: Vec<String> = t
                    .stored
                    .iter()
                    .map(|(n, ty)| {
                        format!(
                            "{}: {}",
                            target.string(n),
                            target.string(target.type_name(*ty).unwrap_or("VARCHAR"))
                        )
                    })
                    .collect();
                return format!(
                    "read_csv({}, header = false, skip = 1, columns = {{{}}})",
                    target.string(csv),
                    cols.join(", ")
                );
            }
        }
        match target {
            Target::DuckDb => format!(
                "read_parquet({}, hive_partitioning = true, union_by_name = true)",
                target.string(&format!("{}/**/*.parquet", self.folder(table)))
            ),
            Target::Spark => target.ident(table),
            Target::Trino => format!("{TRINO_SCHEMA}.{}", table.to_ascii_lowercase()),
        }
    }

    /// Statements to run before the query: Spark's temporary views over the
    /// tables the query reads.
    pub fn preamble(&self, target: Target, tables: &[String]) -> Vec<String> {
        match target {
            Target::Spark => tables
                .iter()
                .map(|t| match self.table(t).and_then(|s| s.csv.as_ref().map(|c| (s, c))) {
                    Some((source, csv)) => {
                        let cols: Vec<String> = source
                            .stored
                            .iter()
                            .map(|(n, ty)| {
                                format!("{} {}", target.ident(n), target.type_name(*ty).unwrap_or("STRING"))
                            })
                            .collect();
                        format!(
                            "CREATE OR REPLACE TEMPORARY VIEW {} ({}) USING csv OPTIONS (path {}, header 'true')",
                            target.ident(t),
                            cols.join(", "),
                            target.string(csv)
                        )
                    }
                    None => format!(
                        "CREATE OR REPLACE TEMPORARY VIEW {} USING parquet OPTIONS (path {}, mergeSchema 'true')",
                        target.ident(t),
                        target.string(&self.folder(t))
                    ),
                })
                .collect(),
            Target::DuckDb | Target::Trino => Vec::new(),
        }
    }

    /// Trino DDL: one external Hive table per table with files, then the
    /// partition sync.
    pub fn trino_ddl(&self) -> String {
        let mut out = String::new();
        let schema = TRINO_SCHEMA.split('.').nth(1).unwrap_or("iishunt");
        out.push_str(&format!(
            "CREATE SCHEMA IF NOT EXISTS {TRINO_SCHEMA}\n  WITH (location = {});\n\n",
            Target::Trino.string(self.root.trim_end_matches('/'))
        ));
        for t in self
            .tables
            .iter()
            .filter(|t| t.has_files && t.csv.is_none())
        {
            let table = t.name.to_ascii_lowercase();
            let mut cols: Vec<String> = t
                .stored
                .iter()
                .filter_map(|(name, ty)| {
                    Target::Trino
                        .type_name(*ty)
                        .map(|ty| format!("  {} {ty}", Target::Trino.ident(name)))
                })
                .collect();
            cols.push(format!("  {} DATE", Target::Trino.ident(PARTITION_COLUMN)));
            out.push_str(&format!(
                "CREATE TABLE IF NOT EXISTS {TRINO_SCHEMA}.{table} (\n{}\n) WITH (\n  format = 'PARQUET',\n  external_location = {},\n  partitioned_by = ARRAY['{PARTITION_COLUMN}']\n);\n",
                cols.join(",\n"),
                Target::Trino.string(&self.folder(&t.name))
            ));
            out.push_str(&format!(
                "CALL hive.system.sync_partition_metadata('{schema}', '{table}', 'FULL');\n\n"
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dataset() -> Dataset {
        Dataset {
            root: "/data/iis/".into(),
            tables: vec![
                TableSource {
                    name: "W3CIISLog".into(),
                    stored: vec![
                        ("TimeGenerated".into(), KType::DateTime),
                        ("cIP".into(), KType::String),
                        ("sPort".into(), KType::Int),
                    ],
                    has_files: true,
                    csv: None,
                },
                TableSource {
                    name: "HttpErrorLog".into(),
                    stored: vec![],
                    has_files: false,
                    csv: None,
                },
            ],
        }
    }

    #[test]
    fn references_point_at_the_partitioned_files() {
        let d = dataset();
        assert_eq!(
            d.reference(Target::DuckDb, "W3CIISLog"),
            "read_parquet('/data/iis/W3CIISLog/**/*.parquet', hive_partitioning = true, union_by_name = true)"
        );
        assert_eq!(d.reference(Target::Spark, "W3CIISLog"), "`W3CIISLog`");
        assert_eq!(
            d.reference(Target::Trino, "W3CIISLog"),
            "hive.iishunt.w3ciislog"
        );
        assert_eq!(
            d.preamble(Target::Spark, &["W3CIISLog".into()]),
            vec!["CREATE OR REPLACE TEMPORARY VIEW `W3CIISLog` USING parquet OPTIONS (path '/data/iis/W3CIISLog', mergeSchema 'true')".to_string()]
        );
    }

    #[test]
    fn trino_ddl_declares_stored_columns_and_the_partition() {
        let ddl = dataset().trino_ddl();
        assert_eq!(
            ddl,
            "CREATE SCHEMA IF NOT EXISTS hive.iishunt\n  WITH (location = '/data/iis');\n\n\
CREATE TABLE IF NOT EXISTS hive.iishunt.w3ciislog (\n  \"TimeGenerated\" TIMESTAMP(6),\n  \"cIP\" VARCHAR,\n  \"sPort\" INTEGER,\n  \"date\" DATE\n) WITH (\n  format = 'PARQUET',\n  external_location = '/data/iis/W3CIISLog',\n  partitioned_by = ARRAY['date']\n);\n\
CALL hive.system.sync_partition_metadata('iishunt', 'w3ciislog', 'FULL');\n\n"
        );
    }
}
