//! `iishunt translate`: compiles a bound, optimised logical plan (from
//! `iishunt-plan`) to SQL that DuckDB, Spark or Trino runs over the same
//! hive-partitioned Parquet dataset. Names, types and Kusto semantics come
//! from the plan, not from the query text; what a target cannot express
//! faithfully is an error naming the operator or function, never SQL that
//! gives another answer. Fed by the facade (`iishunt::translate`); feeds the
//! CLI, which prints the SQL.
//!
//! Modules in pipeline order: [`dialect`] (how the targets differ),
//! [`tables`] (where the data is), [`expr`] and [`functions`] (scalar
//! expressions), [`aggregate`], [`plan`] (one `SELECT` per operator),
//! [`subquery`] (`in (T)` and `toscalar(T)` kept as SQL subqueries).

pub mod dialect;
pub mod error;
pub mod tables;
pub mod expr;
pub mod functions;
pub mod aggregate;
pub mod plan;
pub mod subquery;

pub use dialect::Target;
pub use error::TranslateError;
pub use subquery::Subquery;
pub use tables::{Dataset, TableSource};

use iishunt_plan::logical::LogicalPlan;

/// SQL for one query: statements to run first (Spark's views), then the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    pub target: Target,
    pub preamble: Vec<String>,
    pub query: String,
}

impl Translation {
    /// Every statement, each ending in `;`, one per line.
    pub fn to_sql(&self) -> String {
        let mut out = String::new();
        for s in &self.preamble {
            out.push_str(s);
            out.push_str(";\n");
        }
        out.push_str(&self.query);
        out.push_str(";\n");
        out
    }
}

/// Translates `plan` for `target`. `now` is `now()` in microseconds since the
/// epoch (`--now`); `None` uses the engine's clock at run time.
pub fn translate(
    plan: &LogicalPlan,
    target: Target,
    dataset: &Dataset,
    now: Option<i64>,
) -> Result<Translation, TranslateError> {
    translate_with_subqueries(plan, target, dataset, now, &[])
}

/// Like [`translate`], for a plan bound with subquery placeholders
/// (see [`subquery`]), in the order the binder asked for them.
pub fn translate_with_subqueries(
    plan: &LogicalPlan,
    target: Target,
    dataset: &Dataset,
    now: Option<i64>,
    subqueries: &[Subquery],
) -> Result<Translation, TranslateError> {
    let mut t = plan::Translator::new(target, dataset, now);
    for s in subqueries {
        t.add_subquery(s)?;
    }
    let query = t.query(plan)?;
    t.check_subqueries(&query)?;
    let preamble = dataset.preamble(target, &t.tables_read);
    Ok(Translation {
        target,
        preamble,
        query,
    })
}
