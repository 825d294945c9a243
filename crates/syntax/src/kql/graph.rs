//! The graph operators: `make-graph`, `graph-match`, `graph-shortest-paths`,
//! `graph-to-table` and `graph-mark-components`, one builder per `*_op` rule.
//!
//! Called by `operators::tabular_operator`; uses `expr.rs` for the `where`
//! and `project` clauses. Which parameter each operator takes is checked here,
//! so a misspelt one is reported at its name.

use pest::iterators::Pair;

use super::expr::{expr, named_expr_list};
use super::literals::long;
use super::names::name;
use super::operators::{join_right, tabular_operator};
use super::{internal, span_of, Cursor, Result, Rule};
use crate::ast::{
    EdgeDirection, GraphEdge, GraphMatch, GraphNode, GraphPattern, GraphTable, Ident, MakeGraph,
    OperatorKind,
};
use crate::error::SyntaxError;

/// `make-graph Src --> Dst [with T on K, …] [with_node_id=N] [partitioned-by C (…)]`.
pub(super) fn make_graph_op(pair: Pair<'_, Rule>) -> Result<OperatorKind> {
    let mut c = Cursor::new(pair, "graph::make_graph_op");
    c.expect(Rule::kw_make_graph)?;
    let source = name(c.expect(Rule::name)?)?;
    let undirected = c.expect(Rule::graph_direction)?.as_str() == "--";
    let target = name(c.expect(Rule::name)?)?;
    let mut graph = MakeGraph {
        source,
        target,
        undirected,
        nodes: Vec::new(),
        params: Vec::new(),
        partitioned_by: None,
    };
    for p in c {
        match p.as_rule() {
            Rule::graph_nodes_clause => {
                for n in p.into_inner() {
                    if n.as_rule() != Rule::graph_nodes {
                        continue;
                    }
                    let mut nc = Cursor::new(n, "graph::graph_nodes");
                    let table = join_right(nc.expect(Rule::join_right)?)?;
                    nc.expect(Rule::kw_on)?;
                    graph.nodes.push((table, name(nc.expect(Rule::name)?)?));
                }
            }
            Rule::graph_param => {
                graph
                    .params
                    .push(param(p, "make-graph", &["with_node_id"])?);
            }
            Rule::graph_partition => {
                let mut pc = Cursor::new(p, "graph::graph_partition");
                pc.expect(Rule::kw_partitioned_by)?;
                let column = name(pc.expect(Rule::name)?)?;
                let mut ops = Vec::new();
                for op in pc {
                    if op.as_rule() == Rule::tabular_operator {
                        ops.push(tabular_operator(op)?);
                    }
                }
                graph.partitioned_by = Some((column, ops));
            }
            _ => return Err(internal("graph::make_graph_op", span_of(&p))),
        }
    }
    Ok(OperatorKind::MakeGraph(graph))
}

/// `graph-match` and `graph-shortest-paths`: parameters, patterns, `where`, `project`.
pub(super) fn graph_match_op(pair: Pair<'_, Rule>, shortest: bool) -> Result<OperatorKind> {
    let (op, allowed): (&str, &[&str]) = if shortest {
        ("graph-shortest-paths", &["output"])
    } else {
        ("graph-match", &["cycles"])
    };
    let mut c = Cursor::new(pair, "graph::graph_match_op");
    c.next_pair()?;
    let mut g = GraphMatch {
        params: Vec::new(),
        patterns: Vec::new(),
        predicate: None,
        project: Vec::new(),
    };
    for p in c {
        match p.as_rule() {
            Rule::graph_param => g.params.push(param(p, op, allowed)?),
            Rule::graph_patterns => {
                for pattern in p.into_inner() {
                    g.patterns.push(graph_pattern(pattern)?);
                }
            }
            Rule::graph_where => {
                let mut wc = Cursor::new(p, "graph::graph_where");
                wc.expect(Rule::kw_where)?;
                g.predicate = Some(expr(wc.expect(Rule::expr)?)?);
            }
            Rule::graph_project => {
                let mut pc = Cursor::new(p, "graph::graph_project");
                pc.expect(Rule::kw_project)?;
                g.project = named_expr_list(pc.expect(Rule::named_expr_list)?)?;
            }
            _ => return Err(internal("graph::graph_match_op", span_of(&p))),
        }
    }
    Ok(if shortest {
        OperatorKind::GraphShortestPaths(g)
    } else {
        OperatorKind::GraphMatch(g)
    })
}

/// `(a)-[e]->(b)…`
fn graph_pattern(pair: Pair<'_, Rule>) -> Result<GraphPattern> {
    let span = span_of(&pair);
    let mut c = Cursor::new(pair, "graph::graph_pattern");
    let first = graph_node(c.expect(Rule::graph_node)?)?;
    let mut steps = Vec::new();
    while let Some(e) = c.take_rule(Rule::graph_edge) {
        let edge = graph_edge(e)?;
        steps.push((edge, graph_node(c.expect(Rule::graph_node)?)?));
    }
    Ok(GraphPattern { first, steps, span })
}

fn graph_node(pair: Pair<'_, Rule>) -> Result<GraphNode> {
    let span = span_of(&pair);
    let mut c = Cursor::new(pair, "graph::graph_node");
    let name = match c.take_rule(Rule::name) {
        Some(n) => Some(name(n)?),
        None => None,
    };
    Ok(GraphNode { name, span })
}

fn graph_edge(pair: Pair<'_, Rule>) -> Result<GraphEdge> {
    let span = span_of(&pair);
    let mut c = Cursor::new(pair, "graph::graph_edge");
    let left = c.expect(Rule::graph_edge_start)?.as_str() == "<-";
    let mut name_ = None;
    let mut length = None;
    let mut right = false;
    for p in c {
        match p.as_rule() {
            Rule::name => name_ = Some(name(p)?),
            Rule::graph_edge_range => length = Some(edge_range(p)?),
            Rule::graph_edge_end => right = p.as_str() == "->",
            _ => return Err(internal("graph::graph_edge", span_of(&p))),
        }
    }
    let direction = match (left, right) {
        (false, true) => EdgeDirection::Right,
        (true, false) => EdgeDirection::Left,
        (false, false) => EdgeDirection::Any,
        (true, true) => {
            return Err(SyntaxError {
                code: "kql::graph_edge",
                message: "an edge of a pattern has arrows at both ends".into(),
                span,
                label: "`<-…->`".into(),
                help: Some(
                    "write `-[e]->` or `<-[e]-` for one direction, `-[e]-` for either".into(),
                ),
            })
        }
    };
    Ok(GraphEdge {
        name: name_,
        direction,
        length,
        span,
    })
}

/// The longest variable-length edge (the search walks one edge per level).
const MAX_EDGE_LENGTH: i64 = 256;

/// `*n` or `*min..max`.
fn edge_range(pair: Pair<'_, Rule>) -> Result<(u64, u64)> {
    let span = span_of(&pair);
    let mut bounds = Vec::new();
    for p in pair.into_inner() {
        if p.as_rule() == Rule::long_lit {
            bounds.push(long(p.as_str(), span_of(&p))?);
        }
    }
    let (lo, hi) = match bounds[..] {
        [n] => (n, n),
        [lo, hi] => (lo, hi),
        _ => return Err(internal("graph::edge_range", span)),
    };
    if hi > MAX_EDGE_LENGTH {
        return Err(SyntaxError {
            code: "kql::graph_edge",
            message: format!(
                "`*{lo}..{hi}`: a variable-length edge walks at most {MAX_EDGE_LENGTH} edges"
            ),
            span,
            label: "too long".into(),
            help: Some("paths this long are too many to list; lower the bound".into()),
        });
    }
    if lo < 0 || hi < lo {
        return Err(SyntaxError {
            code: "kql::graph_edge",
            message: format!("the length `*{lo}..{hi}` of an edge is empty"),
            span,
            label: "no path has this many edges".into(),
            help: Some("write `*min..max` with min ≤ max, e.g. `*1..3`".into()),
        });
    }
    Ok((lo as u64, hi as u64))
}

/// `graph-to-table nodes [as N] [with_node_id=Id], edges …`.
pub(super) fn graph_to_table_op(pair: Pair<'_, Rule>) -> Result<OperatorKind> {
    let mut c = Cursor::new(pair, "graph::graph_to_table_op");
    c.expect(Rule::kw_graph_to_table)?;
    let mut tables = Vec::new();
    for t in c {
        if t.as_rule() != Rule::graph_table {
            continue;
        }
        let span = span_of(&t);
        let mut tc = Cursor::new(t, "graph::graph_table");
        let edges = tc.expect(Rule::graph_elements)?.as_str() == "edges";
        let allowed: &[&str] = if edges {
            &["with_source_id", "with_target_id"]
        } else {
            &["with_node_id"]
        };
        let mut table = GraphTable {
            edges,
            alias: None,
            params: Vec::new(),
            span,
        };
        for p in tc {
            match p.as_rule() {
                Rule::name => table.alias = Some(name(p)?),
                Rule::graph_param => table.params.push(param(
                    p,
                    if edges {
                        "graph-to-table edges"
                    } else {
                        "graph-to-table nodes"
                    },
                    allowed,
                )?),
                Rule::kw_as => {}
                _ => return Err(internal("graph::graph_table", span_of(&p))),
            }
        }
        tables.push(table);
    }
    Ok(OperatorKind::GraphToTable(tables))
}

/// `graph-mark-components [kind=weak|strong] [with_component_id=Name]`.
pub(super) fn graph_mark_components_op(pair: Pair<'_, Rule>) -> Result<OperatorKind> {
    let mut c = Cursor::new(pair, "graph::graph_mark_components_op");
    c.expect(Rule::kw_graph_mark_components)?;
    let mut params = Vec::new();
    for p in c {
        params.push(param(
            p,
            "graph-mark-components",
            &["kind", "with_component_id"],
        )?);
    }
    Ok(OperatorKind::GraphMarkComponents(params))
}

/// `name=value`, the name one of `allowed`.
fn param(pair: Pair<'_, Rule>, op: &str, allowed: &[&str]) -> Result<(Ident, Ident)> {
    let mut c = Cursor::new(pair, "graph::param");
    let key = c.expect(Rule::graph_param_name)?;
    let key = Ident::new(key.as_str(), span_of(&key));
    if !allowed.contains(&key.name.as_str()) {
        let list: Vec<String> = allowed.iter().map(|a| format!("{a}=")).collect();
        return Err(SyntaxError {
            code: "kql::unknown_parameter",
            message: format!("`{}` is not a parameter of `{op}`", key.name),
            span: key.span,
            label: "unknown parameter".to_string(),
            help: Some(format!("`{op}` accepts {}", list.join(" and "))),
        });
    }
    let value = name(c.expect(Rule::name)?)?;
    Ok((key, value))
}
