//! `make-graph`: nodes and edges from the collected rows. Each edge's source
//! and target key names a node; the nodes table (`with T on key`) gives
//! properties to the nodes whose key it holds (the first row of a key wins),
//! and keys only the edges name become nodes without properties.
//!
//! Fed by `graph::run`; feeds the pattern search, components and tables.

use std::collections::HashMap;
use std::sync::Arc;

use arrow::array::{new_null_array, ArrayRef, Int64Array, RecordBatch, UInt32Array};
use arrow::compute::take;
use iishunt_plan::graph::GraphSpec;
use iishunt_plan::schema::Schema;
use iishunt_plan::types::{KType, ScalarValue};

use crate::error::Result;
use crate::ops::batch_with_schema;
use crate::ops::values::values_batch;
use crate::scalar::array_cell;

/// A graph in memory: node and edge rows, with the edges indexed by node.
pub struct Graph {
    /// One row per node: the node properties (the table's columns, or the
    /// key), then the component columns once marked, then in-degree,
    /// out-degree and key (the extras the match expressions read).
    pub nodes: RecordBatch,
    /// The key of each node.
    pub keys: Vec<ScalarValue>,
    /// The edges' rows (make-graph's input).
    pub edges: RecordBatch,
    /// Per edge: source and target node.
    pub source: Vec<usize>,
    pub target: Vec<usize>,
    /// Per node: the edges leaving it and the edges reaching it, in row order.
    pub out_edges: Vec<Vec<usize>>,
    pub in_edges: Vec<Vec<usize>>,
}

impl Graph {
    pub fn node_count(&self) -> usize {
        self.keys.len()
    }
}

/// A key as a map key (keys of one graph share a type).
fn key_text(v: &ScalarValue) -> String {
    match v {
        ScalarValue::String(s) => s.clone(),
        // Kusto reads a null string as empty: both name the same node.
        ScalarValue::Null(KType::String) => String::new(),
        other => format!("{other:?}"),
    }
}

/// Builds the graph; `components` are filled in later (their columns are nulls here).
pub fn build(spec: &GraphSpec, edges: RecordBatch, nodes: Option<&RecordBatch>) -> Result<Graph> {
    let key_ty = spec.key_type;
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut keys: Vec<ScalarValue> = Vec::new();
    // Node i's row in the nodes table, if it has one.
    let mut table_rows: Vec<Option<u32>> = Vec::new();
    if let (Some(table), Some(k)) = (nodes, spec.node_key) {
        let column = table.column(k);
        for row in 0..table.num_rows() {
            let key = array_cell(column.as_ref(), row, key_ty)?;
            let text = key_text(&key);
            if let std::collections::hash_map::Entry::Vacant(slot) = index.entry(text) {
                slot.insert(keys.len());
                keys.push(key);
                table_rows.push(Some(row as u32));
            }
        }
    }
    let mut node_of = |key: ScalarValue, keys: &mut Vec<ScalarValue>| {
        let text = key_text(&key);
        *index.entry(text).or_insert_with(|| {
            keys.push(key);
            table_rows.push(None);
            keys.len() - 1
        })
    };
    let (src, dst) = (edges.column(spec.source), edges.column(spec.target));
    let mut source = Vec::with_capacity(edges.num_rows());
    let mut target = Vec::with_capacity(edges.num_rows());
    for row in 0..edges.num_rows() {
        source.push(node_of(array_cell(src.as_ref(), row, key_ty)?, &mut keys));
        target.push(node_of(array_cell(dst.as_ref(), row, key_ty)?, &mut keys));
    }
    let n = keys.len();
    let mut out_edges = vec![Vec::new(); n];
    let mut in_edges = vec![Vec::new(); n];
    for (e, (s, t)) in source.iter().zip(&target).enumerate() {
        out_edges[*s].push(e);
        in_edges[*t].push(e);
    }

    // The node rows: the table's columns taken by each node's row (null for
    // nodes only the edges name), the key column holding every key.
    let key_array = values_batch(
        &Schema::new(vec![iishunt_plan::schema::Column {
            name: "key".into(),
            ty: key_ty,
        }]),
        &keys.iter().map(|k| vec![k.clone()]).collect::<Vec<_>>(),
    )?
    .column(0)
    .clone();
    let mut columns: Vec<ArrayRef> = Vec::new();
    match nodes {
        Some(table) => {
            let rows = UInt32Array::from(table_rows.clone());
            for (c, column) in table.columns().iter().enumerate() {
                if Some(c) == spec.node_key {
                    columns.push(key_array.clone());
                } else {
                    columns.push(take(column.as_ref(), &rows, None)?);
                }
            }
        }
        None if spec.node_key.is_some() => columns.push(key_array.clone()),
        None => {}
    }
    for _ in &spec.components {
        columns.push(new_null_array(&arrow::datatypes::DataType::Int64, n));
    }
    let degree = |lists: &[Vec<usize>]| -> ArrayRef {
        Arc::new(Int64Array::from_iter_values(
            lists.iter().map(|l| l.len() as i64),
        ))
    };
    columns.push(degree(&in_edges));
    columns.push(degree(&out_edges));
    columns.push(key_array);
    let mut schema = spec.node_schema.clone();
    for (name, ty) in [
        ("$degree_in", KType::Long),
        ("$degree_out", KType::Long),
        ("$node_id", key_ty),
    ] {
        schema.columns.push(iishunt_plan::schema::Column {
            name: name.into(),
            ty,
        });
    }
    let nodes = batch_with_schema(&schema, columns, n)?;
    Ok(Graph {
        nodes,
        keys,
        edges,
        source,
        target,
        out_edges,
        in_edges,
    })
}

/// Replaces node column `column` (a component column) with `values`.
pub fn set_node_column(graph: &mut Graph, column: usize, values: Vec<i64>) -> Result<()> {
    let mut columns: Vec<ArrayRef> = graph.nodes.columns().to_vec();
    columns[column] = Arc::new(Int64Array::from(values));
    let rows = graph.nodes.num_rows();
    graph.nodes = RecordBatch::try_new_with_options(
        graph.nodes.schema(),
        columns,
        &arrow::array::RecordBatchOptions::new().with_row_count(Some(rows)),
    )?;
    Ok(())
}
