//! `make-graph … partitioned-by C (…)`: the edge rows (and node rows, when
//! the nodes table has a column `C`) grouped by their value of `C`, in the
//! order each value first appears (edges first, then values only nodes have).

use std::collections::HashMap;

use arrow::array::{RecordBatch, UInt32Array};
use iishunt_plan::types::KType;

use crate::error::Result;
use crate::scalar::array_cell;

/// Per partition: its edge rows, and its node rows (`None`: every node).
pub fn partitions(
    edges: &RecordBatch,
    nodes: Option<&RecordBatch>,
    edge_column: usize,
    node_column: Option<usize>,
) -> Result<Vec<(UInt32Array, Option<UInt32Array>)>> {
    let ty = edges.schema().field(edge_column).data_type().clone();
    let ty = KType::from_arrow(&ty).unwrap_or(KType::String);
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut edge_rows: Vec<Vec<u32>> = Vec::new();
    let mut node_rows: Vec<Vec<u32>> = Vec::new();
    let mut group = |text: String, edge_rows: &mut Vec<Vec<u32>>, node_rows: &mut Vec<Vec<u32>>| {
        *index.entry(text).or_insert_with(|| {
            edge_rows.push(Vec::new());
            node_rows.push(Vec::new());
            edge_rows.len() - 1
        })
    };
    let column = edges.column(edge_column);
    for row in 0..edges.num_rows() {
        let text = format!("{:?}", array_cell(column.as_ref(), row, ty)?);
        let g = group(text, &mut edge_rows, &mut node_rows);
        edge_rows[g].push(row as u32);
    }
    if let (Some(n), Some(c)) = (nodes, node_column) {
        let column = n.column(c);
        let nty = KType::from_arrow(n.schema().field(c).data_type()).unwrap_or(KType::String);
        for row in 0..n.num_rows() {
            let text = format!("{:?}", array_cell(column.as_ref(), row, nty)?);
            let g = group(text, &mut edge_rows, &mut node_rows);
            node_rows[g].push(row as u32);
        }
    }
    let by_nodes = nodes.is_some() && node_column.is_some();
    Ok(edge_rows
        .into_iter()
        .zip(node_rows)
        .map(|(e, n)| (UInt32Array::from(e), by_nodes.then(|| UInt32Array::from(n))))
        .collect())
}
