//! `graph-to-table`: the graph's nodes (properties, with `with_node_id=` a
//! node id first) or edges (the input rows, with `with_source_id=` /
//! `with_target_id=` the end nodes' ids first). A node id is `hash(key)`,
//! as Kusto's are for string keys.

use arrow::array::{ArrayRef, RecordBatch, UInt32Array};
use arrow::compute::take;
use iishunt_plan::graph::GraphSpec;
use iishunt_plan::schema::{Column, Schema};

use super::build::Graph;
use crate::context::ExecContext;
use crate::error::Result;
use crate::expr::evaluate;
use crate::ops::batch_with_schema;
use crate::ops::values::values_batch;

/// Every node's id.
fn node_ids(spec: &GraphSpec, graph: &Graph, ctx: &ExecContext) -> Result<ArrayRef> {
    let ty = spec.key_type;
    let keys = values_batch(
        &Schema::new(vec![Column {
            name: "$key".into(),
            ty,
        }]),
        &graph
            .keys
            .iter()
            .map(|k| vec![k.clone()])
            .collect::<Vec<_>>(),
    )?;
    evaluate(&spec.node_hash, &keys, ctx)
}

pub fn nodes(
    spec: &GraphSpec,
    graph: &Graph,
    with_id: bool,
    schema: &Schema,
    ctx: &ExecContext,
) -> Result<RecordBatch> {
    let mut columns: Vec<ArrayRef> = Vec::new();
    if with_id {
        columns.push(node_ids(spec, graph, ctx)?);
    }
    columns.extend(
        graph.nodes.columns()[..spec.node_schema.len()]
            .iter()
            .cloned(),
    );
    batch_with_schema(schema, columns, graph.node_count())
}

pub fn edges(
    spec: &GraphSpec,
    graph: &Graph,
    source_id: bool,
    target_id: bool,
    schema: &Schema,
    ctx: &ExecContext,
) -> Result<RecordBatch> {
    let mut columns: Vec<ArrayRef> = Vec::new();
    if source_id || target_id {
        let ids = node_ids(spec, graph, ctx)?;
        for (wanted, ends) in [(source_id, &graph.source), (target_id, &graph.target)] {
            if wanted {
                let rows = UInt32Array::from_iter_values(ends.iter().map(|n| *n as u32));
                columns.push(take(ids.as_ref(), &rows, None)?);
            }
        }
    }
    columns.extend(graph.edges.columns().iter().cloned());
    batch_with_schema(schema, columns, graph.edges.num_rows())
}
