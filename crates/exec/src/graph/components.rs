//! `graph-mark-components`: a component id per node. Weak components join
//! nodes an edge connects either way (union-find); strong components join
//! nodes that reach each other along the edges (Tarjan's algorithm, without
//! recursion). Ids count from 0 in the order of each component's first node.

use super::build::Graph;

/// The weak component of every node.
pub fn weak(graph: &Graph) -> Vec<i64> {
    let n = graph.node_count();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for (s, t) in graph.source.iter().zip(&graph.target) {
        let (a, b) = (find(&mut parent, *s), find(&mut parent, *t));
        if a != b {
            // The smaller index stays the root, so roots are first nodes.
            parent[a.max(b)] = a.min(b);
        }
    }
    let roots: Vec<usize> = (0..n).map(|x| find(&mut parent, x)).collect();
    number(&roots)
}

/// The strong component of every node.
pub fn strong(graph: &Graph) -> Vec<i64> {
    let n = graph.node_count();
    const UNSEEN: usize = usize::MAX;
    let mut order = vec![UNSEEN; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut component = vec![UNSEEN; n];
    let mut next_order = 0;
    let mut next_component = 0;
    for root in 0..n {
        if order[root] != UNSEEN {
            continue;
        }
        // (node, index of the next out-edge to follow)
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        order[root] = next_order;
        low[root] = next_order;
        next_order += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut i)) = work.last_mut() {
            if let Some(&e) = graph.out_edges[v].get(*i) {
                *i += 1;
                let w = graph.target[e];
                if order[w] == UNSEEN {
                    order[w] = next_order;
                    low[w] = next_order;
                    next_order += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(order[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == order[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    number(&component)
}

/// Renumbers labels 0, 1, … in the order they first occur.
fn number(labels: &[usize]) -> Vec<i64> {
    let mut ids = std::collections::HashMap::new();
    labels
        .iter()
        .map(|l| {
            let next = ids.len() as i64;
            *ids.entry(*l).or_insert(next)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(n: usize, edges: &[(usize, usize)]) -> Graph {
        let mut out_edges = vec![Vec::new(); n];
        let mut in_edges = vec![Vec::new(); n];
        for (e, (s, t)) in edges.iter().enumerate() {
            out_edges[*s].push(e);
            in_edges[*t].push(e);
        }
        Graph {
            nodes: arrow::array::RecordBatch::new_empty(std::sync::Arc::new(
                arrow::datatypes::Schema::empty(),
            )),
            keys: (0..n)
                .map(|i| iishunt_plan::types::ScalarValue::Long(i as i64))
                .collect(),
            edges: arrow::array::RecordBatch::new_empty(std::sync::Arc::new(
                arrow::datatypes::Schema::empty(),
            )),
            source: edges.iter().map(|e| e.0).collect(),
            target: edges.iter().map(|e| e.1).collect(),
            out_edges,
            in_edges,
        }
    }

    #[test]
    fn weak_components_join_either_way() {
        // 0→1, 2→1 | 3→4 | 5
        let g = graph(6, &[(0, 1), (2, 1), (3, 4)]);
        assert_eq!(weak(&g), vec![0, 0, 0, 1, 1, 2]);
    }

    #[test]
    fn strong_components_need_a_cycle() {
        // 0→1→2→0 is one component; 2→3, 3 alone; 4→4 alone.
        let g = graph(5, &[(0, 1), (1, 2), (2, 0), (2, 3), (4, 4)]);
        let c = strong(&g);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_ne!(c[2], c[3]);
        assert_ne!(c[3], c[4]);
        assert_eq!(c[0], 0);
    }
}
