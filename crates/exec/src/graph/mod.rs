//! The graph operators: `make-graph` builds a graph from the collected edge
//! (and node) rows, `graph-mark-components` adds component columns, and one
//! of `graph-match`, `graph-shortest-paths` or `graph-to-table` turns it back
//! into a table. One concept per file: `build` (the graph), `components`,
//! `pattern` (the search, and the shortest-path choice), `rows` (the match
//! rows the expressions read), `table` (`graph-to-table`), `partition`
//! (`partitioned-by`).
//!
//! Called by `execute.rs` for a `PhysicalPlan::Graph` once its inputs ran.

mod build;
mod components;
mod partition;
mod pattern;
mod rows;
mod table;

use arrow::array::{Array, RecordBatch, UInt32Array};
use arrow::compute::{filter_record_batch, take_record_batch};
use iishunt_plan::graph::{ComponentKind, GraphOp, GraphSpec};
use iishunt_plan::schema::Schema;

use crate::context::ExecContext;
use crate::error::Result;
use crate::expr::{evaluate, evaluate_predicate};
use crate::ops::batch_with_schema;

/// Runs `spec` over the edge rows (and node rows), giving one batch of `schema`.
pub fn run(
    spec: &GraphSpec,
    edges: RecordBatch,
    nodes: Option<&RecordBatch>,
    schema: &Schema,
    ctx: &ExecContext,
) -> Result<RecordBatch> {
    let Some((edge_column, node_column)) = spec.partition else {
        return run_one(spec, edges, nodes, schema, ctx);
    };
    let mut results = Vec::new();
    for (edge_rows, node_rows) in partition::partitions(&edges, nodes, edge_column, node_column)? {
        ctx.check("make-graph")?;
        let part_edges = take_record_batch(&edges, &edge_rows)?;
        let part_nodes = match (nodes, node_rows) {
            (Some(n), Some(rows)) => Some(take_record_batch(n, &rows)?),
            (Some(n), None) => Some(n.clone()),
            (None, _) => None,
        };
        results.push(run_one(spec, part_edges, part_nodes.as_ref(), schema, ctx)?);
    }
    match results.first() {
        Some(first) => Ok(arrow::compute::concat_batches(&first.schema(), &results)?),
        None => Ok(RecordBatch::new_empty(schema.to_arrow())),
    }
}

/// One graph: `spec` over all of `edges` and `nodes`.
fn run_one(
    spec: &GraphSpec,
    edges: RecordBatch,
    nodes: Option<&RecordBatch>,
    schema: &Schema,
    ctx: &ExecContext,
) -> Result<RecordBatch> {
    let mut graph = build::build(spec, edges, nodes)?;
    // Graph bookkeeping: keys, endpoints and the two adjacency lists.
    let words = graph.node_count() * 4 + graph.source.len() * 4;
    ctx.reserve(
        "make-graph",
        words * std::mem::size_of::<usize>() + graph.nodes.get_array_memory_size(),
    )?;
    for (i, kind) in spec.components.iter().enumerate() {
        let ids = match kind {
            ComponentKind::Weak => components::weak(&graph),
            ComponentKind::Strong => components::strong(&graph),
        };
        build::set_node_column(&mut graph, spec.node_table_width + i, ids)?;
    }
    match &spec.op {
        GraphOp::Nodes { with_id } => table::nodes(spec, &graph, *with_id, schema, ctx),
        GraphOp::Edges {
            source_id,
            target_id,
        } => table::edges(spec, &graph, *source_id, *target_id, schema, ctx),
        GraphOp::Match(m) => {
            let matches = pattern::find_matches(&graph, m, ctx)?;
            let rows = rows::match_rows(m, &graph, &matches, ctx)?;
            ctx.reserve("graph-match", rows.get_array_memory_size())?;
            let rows = match (&m.predicate, m.shortest) {
                (None, None) => rows,
                (Some(p), None) => filter_record_batch(&rows, &evaluate_predicate(p, &rows, ctx)?)?,
                (predicate, Some(all)) => {
                    let keep: Vec<usize> = match predicate {
                        Some(p) => {
                            let mask = evaluate_predicate(p, &rows, ctx)?;
                            (0..rows.num_rows())
                                .filter(|i| mask.is_valid(*i) && mask.value(*i))
                                .collect()
                        }
                        None => (0..rows.num_rows()).collect(),
                    };
                    let chosen = pattern::shortest(m, &matches, &keep, all);
                    let indices = UInt32Array::from_iter_values(chosen.iter().map(|i| *i as u32));
                    take_record_batch(&rows, &indices)?
                }
            };
            let columns = m
                .project
                .iter()
                .map(|e| evaluate(e, &rows, ctx))
                .collect::<Result<Vec<_>>>()?;
            batch_with_schema(schema, columns, rows.num_rows())
        }
    }
}
