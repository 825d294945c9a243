//! `graph-match`'s search: every assignment of the patterns' variables to
//! nodes and edge paths, found depth first. Node variables bind to each node
//! in node order (unless already bound); an edge step walks from its left
//! node along `min..=max` edges, in edge row order, to its right node. The
//! whole match obeys `cycles=`: no node twice (`none`), no edge twice
//! (`unique_edges`, the default), or anything (`all`); a walk may always
//! end on a node the patterns name again (`(a)-->(b)<--(c)`, `…-->(a)`).
//!
//! Fed by `graph::run`; its matches feed `rows.rs`.

use iishunt_plan::graph::{Cycles, Direction, MatchSpec, MatchStep};

use super::build::Graph;
use crate::context::ExecContext;
use crate::error::Result;
use crate::expr::evaluate_predicate;
use arrow::array::Array;

/// One match: a node per node variable, a path per edge variable.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub nodes: Vec<usize>,
    pub paths: Vec<Path>,
}

/// The edges an edge variable matched, and the nodes along them from the
/// pattern's left node to its right one (one more than the edges).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Path {
    pub edges: Vec<usize>,
    pub nodes: Vec<usize>,
}

impl Path {
    /// The nodes strictly between the ends.
    pub fn inner_nodes(&self) -> &[usize] {
        match self.nodes.len() {
            0..=2 => &[],
            n => &self.nodes[1..n - 1],
        }
    }
}

/// Matches kept before the search stops to check the deadline and memory.
const CHECK_EVERY: usize = 4096;

struct Search<'g> {
    graph: &'g Graph,
    spec: &'g MatchSpec,
    ctx: &'g ExecContext,
    /// Per node variable, the nodes its filters allow (`None`: every node).
    allowed: Vec<Option<Vec<bool>>>,
    nodes: Vec<Option<usize>>,
    paths: Vec<Path>,
    /// Per edge variable: its path is bound (by a step before this one).
    bound: Vec<bool>,
    out: Vec<Match>,
    /// Edges walked so far, to check the deadline while no match comes.
    walked: usize,
}

/// Every match of `spec`'s patterns in `graph`.
pub fn find_matches(graph: &Graph, spec: &MatchSpec, ctx: &ExecContext) -> Result<Vec<Match>> {
    let mut allowed: Vec<Option<Vec<bool>>> = vec![None; spec.node_vars.len()];
    for (var, filter) in &spec.node_filters {
        let mask = evaluate_predicate(filter, &graph.nodes, ctx)?;
        let pass: Vec<bool> = (0..mask.len())
            .map(|i| mask.is_valid(i) && mask.value(i))
            .collect();
        allowed[*var] = Some(match allowed[*var].take() {
            Some(before) => before.iter().zip(&pass).map(|(a, b)| *a && *b).collect(),
            None => pass,
        });
    }
    let mut search = Search {
        graph,
        spec,
        ctx,
        allowed,
        nodes: vec![None; spec.node_vars.len()],
        paths: vec![Path::default(); spec.edge_vars.len()],
        bound: vec![false; spec.edge_vars.len()],
        out: Vec::new(),
        walked: 0,
    };
    search.step(0)?;
    Ok(search.out)
}

impl Search<'_> {
    /// An edge of the paths bound so far.
    fn edge_used(&self, e: usize) -> bool {
        self.paths
            .iter()
            .zip(&self.bound)
            .any(|(p, b)| *b && p.edges.contains(&e))
    }

    /// A node bound so far: a node variable's, or on a bound path.
    fn node_used(&self, n: usize) -> bool {
        self.nodes.contains(&Some(n))
            || self
                .paths
                .iter()
                .zip(&self.bound)
                .any(|(p, b)| *b && p.nodes.contains(&n))
    }

    fn allows(&self, var: usize, node: usize) -> bool {
        self.allowed[var].as_ref().is_none_or(|a| a[node])
    }

    fn step(&mut self, i: usize) -> Result<()> {
        let Some(step) = self.spec.steps.get(i) else {
            self.out.push(Match {
                nodes: self.nodes.iter().map(|n| n.unwrap_or(0)).collect(),
                paths: self.paths.clone(),
            });
            if self.out.len() % CHECK_EVERY == 0 {
                let bytes = CHECK_EVERY * std::mem::size_of::<Match>() * 4;
                self.ctx.reserve("graph-match", bytes)?;
            }
            return Ok(());
        };
        match *step {
            MatchStep::Node(v) => {
                if self.nodes[v].is_some() {
                    return self.step(i + 1);
                }
                for n in 0..self.graph.node_count() {
                    if n % CHECK_EVERY == 0 {
                        self.ctx.check("graph-match")?;
                    }
                    if !self.allows(v, n) {
                        continue;
                    }
                    self.nodes[v] = Some(n);
                    self.step(i + 1)?;
                }
                self.nodes[v] = None;
                Ok(())
            }
            MatchStep::Edge {
                edge,
                from,
                to,
                direction,
                min,
                max,
            } => {
                let Some(start) = self.nodes[from] else {
                    return Ok(());
                };
                let mut path = Path {
                    edges: Vec::new(),
                    nodes: vec![start],
                };
                self.walk(i, edge, to, direction, min, max, &mut path)
            }
        }
    }

    /// Extends `path` one edge at a time; at every allowed length, binds the
    /// edge variable (and the right node) and continues with the next step.
    #[allow(clippy::too_many_arguments)]
    fn walk(
        &mut self,
        i: usize,
        edge: usize,
        to: usize,
        direction: Direction,
        min: u64,
        max: u64,
        path: &mut Path,
    ) -> Result<()> {
        let len = path.edges.len() as u64;
        let at = *path.nodes.last().unwrap_or(&0);
        if len >= min {
            let bound = self.nodes[to];
            if bound == Some(at) || (bound.is_none() && self.allows(to, at)) {
                self.nodes[to] = Some(at);
                self.paths[edge] = path.clone();
                self.bound[edge] = true;
                self.step(i + 1)?;
                self.bound[edge] = false;
                self.nodes[to] = bound;
            }
        }
        if len >= max {
            return Ok(());
        }
        let graph = self.graph;
        let forward = matches!(direction, Direction::Forward | Direction::Either);
        let backward = matches!(direction, Direction::Backward | Direction::Either);
        let outgoing = graph.out_edges[at]
            .iter()
            .filter(|_| forward)
            .map(|&e| (e, graph.target[e]));
        let incoming = graph.in_edges[at]
            .iter()
            .filter(|_| backward)
            .map(|&e| (e, graph.source[e]));
        for (e, next) in outgoing.chain(incoming) {
            let allowed = match self.spec.cycles {
                Cycles::All => true,
                Cycles::UniqueEdges => !path.edges.contains(&e) && !self.edge_used(e),
                // The step's own end, when a pattern names it again, is
                // where the walk is meant to arrive.
                Cycles::None => {
                    !path.nodes.contains(&next)
                        && (self.nodes[to] == Some(next) || !self.node_used(next))
                }
            };
            if !allowed {
                continue;
            }
            self.walked += 1;
            if self.walked % (CHECK_EVERY * 16) == 0 {
                self.ctx.check("graph-match")?;
            }
            path.edges.push(e);
            path.nodes.push(next);
            self.walk(i, edge, to, direction, min, max, path)?;
            path.edges.pop();
            path.nodes.pop();
        }
        Ok(())
    }
}

/// `graph-shortest-paths`: of the matches passing the predicate (`keep`),
/// the shortest per pair of the pattern's first and last nodes (fewest
/// edges in all); with `all`, every shortest one, else the first found.
pub fn shortest(spec: &MatchSpec, matches: &[Match], keep: &[usize], all: bool) -> Vec<usize> {
    let first = match spec.steps.first() {
        Some(MatchStep::Node(v)) => *v,
        _ => 0,
    };
    let last = spec
        .steps
        .iter()
        .rev()
        .find_map(|s| match s {
            MatchStep::Edge { to, .. } => Some(*to),
            MatchStep::Node(_) => None,
        })
        .unwrap_or(first);
    let mut best: std::collections::HashMap<(usize, usize), (usize, Vec<usize>)> =
        std::collections::HashMap::new();
    let mut order: Vec<(usize, usize)> = Vec::new();
    for &m in keep {
        let length: usize = matches[m].paths.iter().map(|p| p.edges.len()).sum();
        let key = (matches[m].nodes[first], matches[m].nodes[last]);
        match best.get_mut(&key) {
            None => {
                order.push(key);
                best.insert(key, (length, vec![m]));
            }
            Some((l, ms)) if length < *l => {
                *l = length;
                *ms = vec![m];
            }
            Some((l, ms)) if length == *l && all => ms.push(m),
            Some(_) => {}
        }
    }
    order
        .into_iter()
        .flat_map(|k| best.remove(&k).map(|(_, ms)| ms).unwrap_or_default())
        .collect()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow::array::RecordBatch;
    use iishunt_plan::graph::{Cycles, Direction, MatchSpec, MatchStep};
    use iishunt_plan::schema::Schema;
    use iishunt_plan::types::ScalarValue;

    use super::*;

    fn graph(n: usize, edges: &[(usize, usize)]) -> Graph {
        let mut out_edges = vec![Vec::new(); n];
        let mut in_edges = vec![Vec::new(); n];
        for (e, (s, t)) in edges.iter().enumerate() {
            out_edges[*s].push(e);
            in_edges[*t].push(e);
        }
        let empty = || RecordBatch::new_empty(Arc::new(arrow::datatypes::Schema::empty()));
        Graph {
            nodes: empty(),
            keys: (0..n).map(|i| ScalarValue::Long(i as i64)).collect(),
            edges: empty(),
            source: edges.iter().map(|e| e.0).collect(),
            target: edges.iter().map(|e| e.1).collect(),
            out_edges,
            in_edges,
        }
    }

    /// An end node and the edges walked to it.
    type Walk = (usize, Vec<usize>);

    /// `(a)-[e*min..max]->(b)` from node 0, one walk per match.
    fn walks(g: &Graph, cycles: Cycles, min: u64, max: u64) -> Vec<Walk> {
        let spec = MatchSpec {
            node_vars: vec!["a".into(), "b".into()],
            edge_vars: vec!["e".into()],
            steps: vec![
                MatchStep::Node(0),
                MatchStep::Edge {
                    edge: 0,
                    from: 0,
                    to: 1,
                    direction: Direction::Forward,
                    min,
                    max,
                },
            ],
            cycles,
            shortest: None,
            columns: vec![],
            column_schema: Schema::default(),
            lambdas: vec![],
            predicate: None,
            node_filters: vec![],
            project: vec![],
        };
        let ctx = ExecContext::new(0);
        find_matches(g, &spec, &ctx)
            .unwrap()
            .into_iter()
            .filter(|m| m.nodes[0] == 0)
            .map(|m| (m.nodes[1], m.paths[0].edges.clone()))
            .collect()
    }

    #[test]
    fn variable_length_walks_obey_cycles() {
        // A triangle 0→1→2→0 (edges 0, 1, 2).
        let g = graph(3, &[(0, 1), (1, 2), (2, 0)]);
        let cases: [(Cycles, Vec<Walk>); 3] = [
            (Cycles::None, vec![(1, vec![0]), (2, vec![0, 1])]),
            (
                Cycles::UniqueEdges,
                vec![(1, vec![0]), (2, vec![0, 1]), (0, vec![0, 1, 2])],
            ),
            (
                Cycles::All,
                vec![
                    (1, vec![0]),
                    (2, vec![0, 1]),
                    (0, vec![0, 1, 2]),
                    (1, vec![0, 1, 2, 0]),
                ],
            ),
        ];
        for (cycles, want) in cases {
            assert_eq!(walks(&g, cycles, 1, 4), want, "{cycles:?}");
        }
        // Zero edges: the start node itself.
        assert_eq!(walks(&g, Cycles::UniqueEdges, 0, 0), vec![(0, vec![])]);
    }

    #[test]
    fn inner_nodes_leave_out_the_ends() {
        let path = |nodes: Vec<usize>| Path {
            edges: vec![],
            nodes,
        };
        assert!(path(vec![4]).inner_nodes().is_empty());
        assert!(path(vec![4, 5]).inner_nodes().is_empty());
        assert_eq!(path(vec![4, 5, 6, 7]).inner_nodes(), &[5, 6]);
    }
}
