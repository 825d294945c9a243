//! `iishunt translate`: a query bound and optimised against the opened
//! dataset, then compiled to DuckDB, Spark or Trino SQL over the same Parquet
//! files by `iishunt-translate`. Binding here differs from running in two
//! ways: `ago()` / `now()` stay symbolic unless `--now` fixes the instant (a
//! saved hunt on a cluster must use that cluster's clock), and subqueries
//! (`in (T)`, `toscalar(T)`) are not run here, which would bake this
//! machine's answer into the SQL: they are recorded and stand in the plan as
//! placeholders that the translator turns into SQL subqueries
//! (`iishunt_translate::subquery`).

use std::cell::RefCell;

use iishunt_exec::{ExecContext, TableData};
use iishunt_plan::bind::bind_query_with;
use iishunt_plan::expr::BoundExpr;
use iishunt_plan::logical::LogicalPlan;
use iishunt_plan::optimize::optimize;
use iishunt_plan::types::ScalarValue;
use iishunt_translate::subquery::{holds_placeholder, placeholder};
use iishunt_translate::{Dataset, Subquery, TableSource, Target, Translation};

use crate::engine::{detect_dialect, Engine, NowSetting, QueryOptions};
use crate::error::Error;

impl Engine {
    /// The SQL for `text` in `target`. `sql_root` is the dataset folder as the
    /// SQL engine sees it (default: this dataset's path).
    pub fn translate(
        &self,
        text: &str,
        options: &QueryOptions,
        target: Target,
        sql_root: Option<&str>,
    ) -> Result<Translation, Error> {
        let dataset = self.sql_dataset(sql_root)?;
        let dialect = options.dialect.unwrap_or_else(|| detect_dialect(text));
        let query = iishunt_syntax::parse(text, dialect)?;
        let now = match options.now {
            NowSetting::Wall => None,
            NowSetting::Fixed(t) => Some(t),
            NowSetting::Latest => Some(
                self.latest_time()
                    .unwrap_or_else(|| chrono::Utc::now().timestamp_micros()),
            ),
        };
        let ctx = ExecContext::new(now.unwrap_or(0));
        let recorded: RefCell<Vec<Subquery>> = RefCell::new(Vec::new());
        let fold = |e: &BoundExpr| -> Option<ScalarValue> {
            // Without --now, ago()/now() are the engine's clock at run time.
            if now.is_none() && e.is_volatile() {
                return None;
            }
            // A subquery's placeholder must reach the translator as it is.
            let placeholders: Vec<ScalarValue> = recorded
                .borrow()
                .iter()
                .map(|s| s.placeholder.clone())
                .collect();
            if holds_placeholder(e, &placeholders) {
                return None;
            }
            iishunt_exec::expr::evaluate_constant(e, &ctx).ok()
        };
        let subquery = |plan: LogicalPlan| -> Result<Vec<ScalarValue>, String> {
            let ty = plan.schema().columns.first().map(|c| c.ty);
            let k = recorded.borrow().len();
            let Some(placeholder) = ty.and_then(|t| placeholder(t, k)) else {
                return Err(format!(
                    "a subquery whose first column is {} cannot be translated to {} SQL",
                    ty.map_or("missing".to_string(), |t| t.to_string()),
                    target.display_name()
                ));
            };
            recorded.borrow_mut().push(Subquery {
                placeholder: placeholder.clone(),
                plan: optimize(plan),
            });
            Ok(vec![placeholder])
        };
        let bound = bind_query_with(&query, &self.catalog, &fold, Some(&subquery))?;
        if !bound.earlier.is_empty() {
            return Err(Error::Plan(
                iishunt_plan::PlanError::new(
                    "plan::several_results",
                    query.span,
                    format!(
                        "this query makes {} result tables (a batch of statements, `fork` or `facet`) and translate writes one SQL query",
                        bound.earlier.len() + 1
                    ),
                    "several result tables",
                )
                .with_help("translate each table as its own query"),
            ));
        }
        let plan = optimize(bound.plan);
        let subqueries = recorded.into_inner();
        iishunt_translate::translate_with_subqueries(&plan, target, &dataset, now, &subqueries)
            .map_err(Error::Translate)
    }

    /// The Trino DDL for this dataset's tables (`iishunt translate --ddl trino`).
    pub fn trino_ddl(&self, sql_root: Option<&str>) -> Result<String, Error> {
        Ok(self.sql_dataset(sql_root)?.trino_ddl())
    }

    /// The tables as the SQL engines will find them: stored columns, and
    /// whether any file holds the table.
    fn sql_dataset(&self, sql_root: Option<&str>) -> Result<Dataset, Error> {
        let Some(root) = &self.root else {
            return Err(Error::Data(
                "translate reads a Parquet dataset: run `iishunt ingest LOGS --out DIR` first and pass --data DIR".into(),
            ));
        };
        let root = match sql_root {
            Some(r) => r.to_string(),
            None => std::path::absolute(root)
                .unwrap_or_else(|_| root.clone())
                .display()
                .to_string(),
        };
        let mut tables = Vec::new();
        for t in &self.catalog.tables {
            if let Some((_, path)) = self.lookup_files.iter().find(|(n, _)| *n == t.name) {
                let csv = std::path::absolute(path).unwrap_or_else(|_| path.clone());
                tables.push(TableSource {
                    name: t.name.clone(),
                    stored: t
                        .schema
                        .columns
                        .iter()
                        .map(|c| (c.name.clone(), c.ty))
                        .collect(),
                    has_files: true,
                    csv: Some(csv.display().to_string()),
                });
                continue;
            }
            let Some(TableData::Parquet(files)) = self.source.tables.get(&t.name) else {
                continue;
            };
            let mut names: Vec<String> = files.iter().flat_map(|f| f.column_names()).collect();
            names.sort();
            names.dedup();
            let stored = t
                .schema
                .columns
                .iter()
                .filter(|c| names.contains(&c.name))
                .map(|c| (c.name.clone(), c.ty))
                .collect();
            tables.push(TableSource {
                name: t.name.clone(),
                stored,
                has_files: !files.is_empty(),
                csv: None,
            });
        }
        Ok(Dataset { root, tables })
    }
}
