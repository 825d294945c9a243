//! The logical plan: a tree of named node structs, each with its output
//! schema. The binder builds it; the optimizer rewrites it; the executor runs it.

use std::fmt::Write;

use crate::expr::{AggregateCall, BoundExpr, SortExpr};
use crate::schema::Schema;
use crate::types::ScalarValue;

#[derive(Debug, Clone)]
pub enum LogicalPlan {
    Scan(Scan),
    Values(Values),
    Filter(Filter),
    Project(Project),
    Aggregate(Aggregate),
    Sort(Sort),
    TopN(TopN),
    Limit(Limit),
    Union(Union),
}

/// Reads a table's Parquet files (or raw logs parsed on the fly).
#[derive(Debug, Clone)]
pub struct Scan {
    pub table: String,
    /// Every column of the table.
    pub table_schema: Schema,
    /// The columns read, as indexes into `table_schema` (projection pushdown).
    pub projection: Vec<usize>,
    /// A predicate over the projected columns evaluated while scanning.
    pub filter: Option<BoundExpr>,
    /// `TimeGenerated` bounds implied by the filter, `[min, max]` inclusive, in
    /// microseconds: row groups whose statistics fall outside are skipped.
    pub time_range: (Option<i64>, Option<i64>),
    /// The projected schema (the node's output).
    pub schema: Schema,
}

/// Constant rows: `print`, `datatable`, `ROW`.
#[derive(Debug, Clone)]
pub struct Values {
    pub schema: Schema,
    pub rows: Vec<Vec<ScalarValue>>,
}

#[derive(Debug, Clone)]
pub struct Filter {
    pub input: Box<LogicalPlan>,
    pub predicate: BoundExpr,
}

/// Computes each output column from the input row (extend, project, rename…).
#[derive(Debug, Clone)]
pub struct Project {
    pub input: Box<LogicalPlan>,
    pub exprs: Vec<BoundExpr>,
    pub schema: Schema,
}

/// Group by `keys`, computing `aggregates`; output is the keys then the aggregates.
#[derive(Debug, Clone)]
pub struct Aggregate {
    pub input: Box<LogicalPlan>,
    pub keys: Vec<BoundExpr>,
    pub aggregates: Vec<AggregateCall>,
    /// A filter on the groups (a `where` right after `summarize`), over this
    /// node's output columns. Kept here so the executor can find the passing
    /// groups cheaply before computing every aggregate.
    pub having: Option<BoundExpr>,
    pub schema: Schema,
}

#[derive(Debug, Clone)]
pub struct Sort {
    pub input: Box<LogicalPlan>,
    pub keys: Vec<SortExpr>,
}

#[derive(Debug, Clone)]
pub struct TopN {
    pub input: Box<LogicalPlan>,
    pub keys: Vec<SortExpr>,
    pub n: usize,
}

#[derive(Debug, Clone)]
pub struct Limit {
    pub input: Box<LogicalPlan>,
    pub n: usize,
}

/// Rows of every input, in input order; columns matched by name (missing → null).
#[derive(Debug, Clone)]
pub struct Union {
    pub inputs: Vec<LogicalPlan>,
    /// For each input, the input column feeding each output column.
    pub mappings: Vec<Vec<Option<usize>>>,
    pub schema: Schema,
}

impl LogicalPlan {
    pub fn schema(&self) -> &Schema {
        match self {
            LogicalPlan::Scan(s) => &s.schema,
            LogicalPlan::Values(v) => &v.schema,
            LogicalPlan::Filter(f) => f.input.schema(),
            LogicalPlan::Project(p) => &p.schema,
            LogicalPlan::Aggregate(a) => &a.schema,
            LogicalPlan::Sort(s) => s.input.schema(),
            LogicalPlan::TopN(t) => t.input.schema(),
            LogicalPlan::Limit(l) => l.input.schema(),
            LogicalPlan::Union(u) => &u.schema,
        }
    }

    pub fn inputs(&self) -> Vec<&LogicalPlan> {
        match self {
            LogicalPlan::Scan(_) | LogicalPlan::Values(_) => vec![],
            LogicalPlan::Filter(f) => vec![&f.input],
            LogicalPlan::Project(p) => vec![&p.input],
            LogicalPlan::Aggregate(a) => vec![&a.input],
            LogicalPlan::Sort(s) => vec![&s.input],
            LogicalPlan::TopN(t) => vec![&t.input],
            LogicalPlan::Limit(l) => vec![&l.input],
            LogicalPlan::Union(u) => u.inputs.iter().collect(),
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            LogicalPlan::Scan(_) => "Scan",
            LogicalPlan::Values(_) => "Values",
            LogicalPlan::Filter(_) => "Filter",
            LogicalPlan::Project(_) => "Project",
            LogicalPlan::Aggregate(_) => "Aggregate",
            LogicalPlan::Sort(_) => "Sort",
            LogicalPlan::TopN(_) => "TopN",
            LogicalPlan::Limit(_) => "Limit",
            LogicalPlan::Union(_) => "Union",
        }
    }

    /// An indented tree, one node per line, for `explain`.
    pub fn display_tree(&self) -> String {
        let mut out = String::new();
        self.write_tree(&mut out, 0);
        out
    }

    fn write_tree(&self, out: &mut String, depth: usize) {
        let pad = "  ".repeat(depth);
        let _ = match self {
            LogicalPlan::Scan(s) => {
                let cols: Vec<&str> = s.schema.names().collect();
                let _ = write!(out, "{pad}Scan: {} columns=[{}]", s.table, cols.join(", "));
                if let Some(f) = &s.filter {
                    let _ = write!(out, " filter={f}");
                }
                match s.time_range {
                    (None, None) => {}
                    (lo, hi) => {
                        let _ = write!(out, " time_range=[{}, {}]", fmt_time(lo), fmt_time(hi));
                    }
                }
                writeln!(out)
            }
            LogicalPlan::Values(v) => writeln!(out, "{pad}Values: {} rows", v.rows.len()),
            LogicalPlan::Filter(f) => writeln!(out, "{pad}Filter: {}", f.predicate),
            LogicalPlan::Project(p) => {
                let items: Vec<String> = p
                    .exprs
                    .iter()
                    .zip(&p.schema.columns)
                    .map(|(e, c)| match e {
                        BoundExpr::Column { name, .. } if *name == c.name => c.name.clone(),
                        _ => format!("{}={e}", c.name),
                    })
                    .collect();
                writeln!(out, "{pad}Project: {}", items.join(", "))
            }
            LogicalPlan::Aggregate(a) => {
                let keys: Vec<String> = a.keys.iter().map(|k| k.to_string()).collect();
                let aggs: Vec<String> = a.aggregates.iter().map(|g| format!("{g:?}")).collect();
                let having = a
                    .having
                    .as_ref()
                    .map(|h| format!(" having={h}"))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "{pad}Aggregate: by=[{}] aggregates=[{}]{having}",
                    keys.join(", "),
                    aggs.join(", ")
                )
            }
            LogicalPlan::Sort(s) => writeln!(out, "{pad}Sort: {}", fmt_keys(&s.keys)),
            LogicalPlan::TopN(t) => writeln!(out, "{pad}TopN: {} by {}", t.n, fmt_keys(&t.keys)),
            LogicalPlan::Limit(l) => writeln!(out, "{pad}Limit: {}", l.n),
            LogicalPlan::Union(u) => writeln!(out, "{pad}Union: {} inputs", u.inputs.len()),
        };
        for input in self.inputs() {
            input.write_tree(out, depth + 1);
        }
    }
}

fn fmt_keys(keys: &[SortExpr]) -> String {
    keys.iter()
        .map(|k| {
            format!(
                "{} {} nulls {}",
                k.expr,
                if k.descending { "desc" } else { "asc" },
                if k.nulls_first { "first" } else { "last" }
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn fmt_time(t: Option<i64>) -> String {
    match t.and_then(chrono::DateTime::from_timestamp_micros) {
        Some(d) => d.format("%Y-%m-%dT%H:%M:%S%.fZ").to_string(),
        None => "-".to_string(),
    }
}
