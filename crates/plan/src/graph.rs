//! What a graph query asks for, as the binder resolves it: how `make-graph`
//! builds the graph from its edges (and nodes) table, the components it
//! marks, and the one operator that turns the graph back into a table
//! (`graph-match`, `graph-shortest-paths` or `graph-to-table`).
//!
//! Built by `bind/graph.rs`; carried by [`crate::logical::Graph`]; run by
//! `iishunt-exec`'s `graph` module. Indexes refer to the schemas named in
//! each field's comment.

use crate::expr::BoundExpr;
use crate::schema::Schema;

/// A whole `make-graph … | graph-… ` pipeline.
#[derive(Debug, Clone)]
pub struct GraphSpec {
    /// Edge columns holding each edge's source and target node keys.
    pub source: usize,
    pub target: usize,
    /// The type of the node keys (the source and target columns').
    pub key_type: crate::types::KType,
    /// `partitioned-by C`: the edge column `C`, and the nodes table's column
    /// of that name if it has one. Each value of `C` gets its own graph (the
    /// edges and nodes with that value), and the results follow one another.
    pub partition: Option<(usize, Option<usize>)>,
    /// The key column in the nodes table (`with T on key`); `None` when the
    /// nodes are made from the keys (`with_node_id=name`, or no property).
    pub node_key: Option<usize>,
    /// The node properties: the nodes table's columns (or the one key column
    /// `with_node_id` names, or none), then one long per marked component.
    pub node_schema: Schema,
    /// Columns of `node_schema` the nodes table provides (the rest are components).
    pub node_table_width: usize,
    /// `graph-mark-components`, in order; each fills the next node column.
    pub components: Vec<ComponentKind>,
    /// `hash(key)` over a one-column schema of the keys: the node ids
    /// `graph-to-table` prints (Kusto's, for string keys).
    pub node_hash: BoundExpr,
    pub op: GraphOp,
}

/// Connected components as `graph-mark-components kind=` counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComponentKind {
    /// Edges read both ways (the default).
    Weak,
    /// Every node reaches every other along the edges' direction.
    Strong,
}

/// The operator that ends the graph pipeline.
#[derive(Debug, Clone)]
pub enum GraphOp {
    Match(Box<MatchSpec>),
    /// `graph-to-table nodes`: `[id]` then the node properties.
    Nodes {
        with_id: bool,
    },
    /// `graph-to-table edges`: `[source id][target id]` then the edge columns.
    Edges {
        source_id: bool,
        target_id: bool,
    },
}

/// Which repeated elements a variable-length edge may contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cycles {
    /// No node twice (`cycles=none`).
    None,
    /// No edge twice (`cycles=unique_edges`, the default).
    UniqueEdges,
    /// Anything (`cycles=all`).
    All,
}

/// The extra node columns every node lambda and property read may use, after
/// `node_schema`: in-degree, out-degree, and the node's key (`node_id()`).
pub const NODE_EXTRA_COLUMNS: usize = 3;

/// `graph-match` / `graph-shortest-paths`.
#[derive(Debug, Clone)]
pub struct MatchSpec {
    /// Named and anonymous node variables of the patterns.
    pub node_vars: Vec<String>,
    /// Edge variables: one per edge of the patterns.
    pub edge_vars: Vec<String>,
    /// The patterns, in the order they are matched.
    pub steps: Vec<MatchStep>,
    pub cycles: Cycles,
    /// `Some(all)` for `graph-shortest-paths output=any|all`.
    pub shortest: Option<bool>,
    /// The columns of a match row (what `predicate` and `project` read).
    pub columns: Vec<MatchColumn>,
    pub column_schema: Schema,
    /// Expressions `map()`, `all()` and `any()` evaluate on each edge or node.
    pub lambdas: Vec<Lambda>,
    pub predicate: Option<BoundExpr>,
    /// The parts of `predicate` (its `and`ed terms) that read one node
    /// variable alone, over the node columns: the search binds that variable
    /// only to nodes passing them. `predicate` still runs whole.
    pub node_filters: Vec<(usize, BoundExpr)>,
    /// The output columns, over `column_schema`.
    pub project: Vec<BoundExpr>,
}

/// One step of the search.
#[derive(Debug, Clone)]
pub enum MatchStep {
    /// Bind node variable `var` to every node, unless already bound.
    Node(usize),
    /// Walk from the node bound to `from` along `min..=max` edges in
    /// `direction`, ending at `to` (bound here, or checked if already bound).
    Edge {
        edge: usize,
        from: usize,
        to: usize,
        direction: Direction,
        min: u64,
        max: u64,
    },
}

/// The way a pattern's edge is walked, from its left node to its right one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Forward,
    Backward,
    Either,
}

/// What a match-row column holds.
#[derive(Debug, Clone)]
pub enum MatchColumn {
    /// Column `column` of the nodes (`node_schema` + extras) at node variable `var`.
    NodeProperty { var: usize, column: usize },
    /// Edge column `column` of the one edge edge variable `var` matched.
    EdgeProperty { var: usize, column: usize },
    /// `map(e, expr)` / `map(inner_nodes(e), expr)`: a dynamic array.
    Map { var: usize, lambda: usize },
    /// `all(e, predicate)`
    All { var: usize, lambda: usize },
    /// `any(e, predicate)`
    Any { var: usize, lambda: usize },
}

/// An expression evaluated on every edge (over the edge schema) or every
/// node (over `node_schema` + extras), then read along a matched path.
#[derive(Debug, Clone)]
pub struct Lambda {
    /// `true`: the path's inner nodes (`inner_nodes(e)`); `false`: its edges.
    pub inner_nodes: bool,
    pub expr: BoundExpr,
}

impl std::fmt::Display for GraphSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for c in &self.components {
            match c {
                ComponentKind::Weak => write!(f, "weak components, ")?,
                ComponentKind::Strong => write!(f, "strong components, ")?,
            }
        }
        match &self.op {
            GraphOp::Nodes { .. } => write!(f, "nodes"),
            GraphOp::Edges { .. } => write!(f, "edges"),
            GraphOp::Match(m) => {
                match m.shortest {
                    Some(true) => write!(f, "all shortest paths")?,
                    Some(false) => write!(f, "shortest paths")?,
                    None => write!(f, "match")?,
                }
                write!(f, " {}", m.pattern_text())?;
                for (var, filter) in &m.node_filters {
                    write!(f, " ({} only where {filter})", m.node_vars[*var])?;
                }
                if let Some(p) = &m.predicate {
                    write!(f, " where {p}")?;
                }
                Ok(())
            }
        }
    }
}

impl MatchSpec {
    /// The patterns as written, variables named (anonymous ones `#n`).
    pub fn pattern_text(&self) -> String {
        let mut out = String::new();
        for step in &self.steps {
            match step {
                MatchStep::Node(v) => {
                    if !out.is_empty() {
                        out.push_str(", ");
                    }
                    out.push_str(&format!("({})", self.node_vars[*v]));
                }
                MatchStep::Edge {
                    edge,
                    to,
                    direction,
                    min,
                    max,
                    ..
                } => {
                    let length = if (*min, *max) == (1, 1) {
                        String::new()
                    } else {
                        format!("*{min}..{max}")
                    };
                    let (l, r) = match direction {
                        Direction::Forward => ("-", "->"),
                        Direction::Backward => ("<-", "-"),
                        Direction::Either => ("-", "-"),
                    };
                    out.push_str(&format!(
                        "{l}[{}{length}]{r}({})",
                        self.edge_vars[*edge], self.node_vars[*to]
                    ));
                }
            }
        }
        out
    }
}
