//! A match row per match: the columns `graph-match`'s `where` and `project`
//! read (node and edge properties taken at the matched rows; `map()`,
//! `all()`, `any()` folded along each path from values computed once per
//! edge or node).
//!
//! Fed by the matches of `pattern.rs`; its batch feeds the predicate and the
//! projection in `graph::run`.

use std::sync::Arc;

use arrow::array::{ArrayRef, BooleanArray, RecordBatch, StringArray, UInt32Array};
use arrow::compute::take;
use iishunt_plan::graph::{Lambda, MatchColumn, MatchSpec};
use serde_json::Value;

use super::build::Graph;
use super::pattern::Match;
use crate::context::ExecContext;
use crate::error::Result;
use crate::expr::{decode_array, evaluate};
use crate::functions::scalar_json;
use crate::ops::batch_with_schema;
use crate::scalar::array_cell;

/// A lambda's value on every edge (or node), as JSON (for `map`) and as a
/// truth value (for `all` / `any`).
struct Values {
    json: Vec<Value>,
    truth: Vec<bool>,
}

fn lambda_values(lambda: &Lambda, graph: &Graph, ctx: &ExecContext) -> Result<Values> {
    let batch = if lambda.inner_nodes {
        &graph.nodes
    } else {
        &graph.edges
    };
    let array = decode_array(&evaluate(&lambda.expr, batch, ctx)?)?;
    let ty = lambda.expr.ty();
    let mut json = Vec::with_capacity(batch.num_rows());
    let mut truth = Vec::with_capacity(batch.num_rows());
    for row in 0..batch.num_rows() {
        let v = array_cell(array.as_ref(), row, ty)?;
        truth.push(matches!(v, iishunt_plan::types::ScalarValue::Bool(true)));
        json.push(scalar_json(&v, false));
    }
    Ok(Values { json, truth })
}

/// The match rows of `matches`, with `spec.column_schema`.
pub fn match_rows(
    spec: &MatchSpec,
    graph: &Graph,
    matches: &[Match],
    ctx: &ExecContext,
) -> Result<RecordBatch> {
    let mut values: Vec<Option<Values>> = (0..spec.lambdas.len()).map(|_| None).collect();
    let mut columns: Vec<ArrayRef> = Vec::with_capacity(spec.columns.len());
    for column in &spec.columns {
        ctx.check("graph-match")?;
        let array: ArrayRef = match *column {
            MatchColumn::NodeProperty { var, column } => {
                let rows =
                    UInt32Array::from_iter_values(matches.iter().map(|m| m.nodes[var] as u32));
                take(graph.nodes.column(column).as_ref(), &rows, None)?
            }
            MatchColumn::EdgeProperty { var, column } => {
                let rows = UInt32Array::from(
                    matches
                        .iter()
                        .map(|m| m.paths[var].edges.first().map(|e| *e as u32))
                        .collect::<Vec<_>>(),
                );
                take(graph.edges.column(column).as_ref(), &rows, None)?
            }
            MatchColumn::Map { var, lambda }
            | MatchColumn::All { var, lambda }
            | MatchColumn::Any { var, lambda } => {
                if values[lambda].is_none() {
                    values[lambda] = Some(lambda_values(&spec.lambdas[lambda], graph, ctx)?);
                }
                let Some(v) = &values[lambda] else {
                    continue;
                };
                let inner = spec.lambdas[lambda].inner_nodes;
                let along = |m: &Match| -> Vec<usize> {
                    let path = &m.paths[var];
                    if inner {
                        path.inner_nodes().to_vec()
                    } else {
                        path.edges.clone()
                    }
                };
                match column {
                    MatchColumn::Map { .. } => {
                        Arc::new(StringArray::from_iter_values(matches.iter().map(|m| {
                            Value::Array(along(m).iter().map(|i| v.json[*i].clone()).collect())
                                .to_string()
                        })))
                    }
                    MatchColumn::All { .. } => Arc::new(BooleanArray::from_iter(
                        matches
                            .iter()
                            .map(|m| Some(along(m).iter().all(|i| v.truth[*i]))),
                    )),
                    _ => Arc::new(BooleanArray::from_iter(
                        matches
                            .iter()
                            .map(|m| Some(along(m).iter().any(|i| v.truth[*i]))),
                    )),
                }
            }
        };
        columns.push(array);
    }
    batch_with_schema(&spec.column_schema, columns, matches.len())
}
