//! `make-graph` and the operators that read its graph, bound as one
//! [`Graph`] node: a graph is never a result, so `make-graph`, any
//! `graph-mark-components`, and one of `graph-match`, `graph-shortest-paths`
//! or `graph-to-table` are taken together from the pipeline. Patterns and
//! their expressions are in `graph_match.rs`.

use iishunt_syntax::ast::{self, OperatorKind, Span};

use super::{not_supported, Binder};
use crate::error::{PlanError, Result};
use crate::graph::{ComponentKind, GraphOp, GraphSpec};
use crate::logical::{Graph, LogicalPlan};
use crate::schema::{Column, Schema};
use crate::suggest::did_you_mean;
use crate::types::KType;

/// The operators that read a graph rather than a table.
pub(crate) fn reads_graph(kind: &OperatorKind) -> Option<&'static str> {
    Some(match kind {
        OperatorKind::GraphMatch(_) => "graph-match",
        OperatorKind::GraphShortestPaths(_) => "graph-shortest-paths",
        OperatorKind::GraphToTable(_) => "graph-to-table",
        OperatorKind::GraphMarkComponents(_) => "graph-mark-components",
        _ => return None,
    })
}

/// `t` ends with a graph: a `make-graph` (and `graph-mark-components`)
/// not yet made a table of.
pub(crate) fn ends_in_graph(t: &ast::TabularExpr) -> bool {
    let Some(k) = t
        .operators
        .iter()
        .rposition(|op| matches!(op.kind, OperatorKind::MakeGraph(_)))
    else {
        return false;
    };
    t.operators[k + 1..]
        .iter()
        .all(|op| matches!(op.kind, OperatorKind::GraphMarkComponents(_)))
}

/// `graph-match` and friends after a table: they need `make-graph` first.
pub(crate) fn needs_graph(op: &str, span: Span) -> PlanError {
    PlanError::new(
        "plan::not_a_graph",
        span,
        format!("`{op}` reads a graph, but its input is a table"),
        "no graph here",
    )
    .with_help("build the graph first: `Edges | make-graph Source --> Target | graph-match …`")
}

/// `make-graph` not followed by an operator that makes a table of the graph.
fn graph_not_result(span: Span) -> PlanError {
    PlanError::new(
        "plan::graph_result",
        span,
        "a graph is not a result: end it with an operator that makes a table of it",
        "the graph ends here",
    )
    .with_help(
        "follow it with `| graph-match …`, `| graph-shortest-paths …` or `| graph-to-table nodes`",
    )
}

/// Where the nodes come from.
struct Nodes {
    plan: Option<LogicalPlan>,
    /// The key column in `schema` (`None`: the nodes have no key property).
    key: Option<usize>,
    schema: Schema,
}

impl Binder<'_> {
    /// Binds `ops[0]` (a `make-graph` over `edges`) and the graph operators
    /// after it; returns the plan and how many operators it took.
    pub(crate) fn bind_graph(
        &mut self,
        edges: LogicalPlan,
        ops: &[ast::Operator],
    ) -> Result<(LogicalPlan, usize)> {
        let OperatorKind::MakeGraph(m) = &ops[0].kind else {
            return Err(PlanError::new(
                "plan::internal",
                ops[0].span,
                "bind_graph called without make-graph (this is a bug)",
                "here",
            ));
        };
        let span = ops[0].span;
        if m.undirected {
            return Err(not_supported("make-graph … -- … (undirected edges)", span)
                .with_help("write `-->`; `-[e]-` in a pattern matches an edge either way"));
        }
        let edge_schema = edges.schema().clone();
        // `partitioned-by C (ops)`: the graph operators are the ones in
        // parentheses, run on each partition's graph.
        let inner: Vec<ast::Operator>;
        let ops = match &m.partitioned_by {
            Some((_, body)) => {
                inner = std::iter::once(ops[0].clone())
                    .chain(body.iter().cloned())
                    .collect();
                &inner[..]
            }
            None => ops,
        };
        let source = edge_column(&edge_schema, &m.source)?;
        let target = edge_column(&edge_schema, &m.target)?;
        let key_ty = edge_schema.columns[source].ty;
        if edge_schema.columns[target].ty != key_ty {
            return Err(PlanError::new(
                "plan::graph_key_type",
                m.target.span,
                format!(
                    "the source `{}` is a {key_ty} but the target `{}` is a {}",
                    m.source.name, m.target.name, edge_schema.columns[target].ty
                ),
                "a different type",
            )
            .with_help("convert one so both name nodes the same way, e.g. `extend Target = tostring(Target)`"));
        }
        let nodes = self.graph_nodes(m, key_ty)?;
        let partition = match &m.partitioned_by {
            Some((column, _)) => {
                let e = edge_column(&edge_schema, column)?;
                let n = nodes
                    .plan
                    .as_ref()
                    .and_then(|_| nodes.schema.index_of(&column.name));
                if let Some(n) = n {
                    let (et, nt) = (edge_schema.columns[e].ty, nodes.schema.columns[n].ty);
                    if et != nt {
                        return Err(PlanError::new(
                            "plan::graph_partition",
                            column.span,
                            format!(
                                "`{}` is a {et} in the edges but a {nt} in the nodes",
                                column.name
                            ),
                            "types differ",
                        )
                        .with_help("convert one so the partitions of edges and nodes line up"));
                    }
                }
                Some((e, n))
            }
            None => None,
        };
        let mut node_schema = nodes.schema.clone();
        let node_table_width = node_schema.len();

        // graph-mark-components …, then the operator that ends the graph.
        let mut components = Vec::new();
        let mut used = 1;
        let (op, schema) = loop {
            let Some(next) = ops.get(used) else {
                return Err(graph_not_result(ops[used - 1].span));
            };
            used += 1;
            match &next.kind {
                OperatorKind::GraphMarkComponents(params) => {
                    let (kind, name) = component_params(params)?;
                    if node_schema.index_of(&name.0).is_some() {
                        return Err(PlanError::new(
                            "plan::duplicate_column",
                            name.1,
                            format!("the nodes already have a property `{}`", name.0),
                            "taken",
                        )
                        .with_help(
                            "name the component column another way: `with_component_id=Family`",
                        ));
                    }
                    node_schema.columns.push(Column {
                        name: name.0,
                        ty: KType::Long,
                    });
                    components.push(kind);
                }
                OperatorKind::GraphToTable(tables) => {
                    break self.graph_to_table(tables, &node_schema, &edge_schema, next.span)?;
                }
                OperatorKind::GraphMatch(g) => {
                    break self.bind_graph_match(
                        g,
                        false,
                        &node_schema,
                        &edge_schema,
                        key_ty,
                        next.span,
                    )?;
                }
                OperatorKind::GraphShortestPaths(g) => {
                    break self.bind_graph_match(
                        g,
                        true,
                        &node_schema,
                        &edge_schema,
                        key_ty,
                        next.span,
                    )?;
                }
                OperatorKind::MakeGraph(_) => {
                    return Err(PlanError::new(
                        "plan::graph_result",
                        next.span,
                        "`make-graph` reads a table, but its input is a graph",
                        "a second graph",
                    )
                    .with_help(
                        "turn the first graph into a table first: `| graph-to-table edges`",
                    ));
                }
                _ => {
                    let word = super::naming::source_text(self.source, next.span)
                        .and_then(|t| t.split_whitespace().next().map(str::to_string))
                        .unwrap_or_else(|| "this operator".into());
                    return Err(PlanError::new(
                        "plan::graph_result",
                        next.span,
                        format!("`{word}` reads a table, but its input is the graph make-graph made"),
                        "a graph here",
                    )
                    .with_help("make a table of the graph first: `| graph-match …`, `| graph-shortest-paths …` or `| graph-to-table nodes`"));
                }
            }
        };
        if m.partitioned_by.is_some() {
            if let Some(extra) = ops.get(used) {
                return Err(PlanError::new(
                    "plan::graph_partition",
                    extra.span,
                    "inside `partitioned-by (…)` only graph operators run, ending with one that makes a table",
                    "after the graph's table",
                )
                .with_help("move this operator after the closing parenthesis"));
            }
            used = 1;
        }
        let key_schema = Schema::new(vec![Column {
            name: "$key".into(),
            ty: key_ty,
        }]);
        let hash = ast::Expr::new(
            ast::ExprKind::Call(ast::Call {
                name: ast::Ident::new("hash", span),
                args: vec![ast::Expr::new(
                    ast::ExprKind::Name(ast::Ident::new("$key", span)),
                    span,
                )],
                span,
            }),
            span,
        );
        let node_hash = self.bind_expr(&hash, &key_schema, None)?;
        let spec = GraphSpec {
            source,
            target,
            key_type: key_ty,
            partition,
            node_key: nodes.key,
            node_schema,
            node_table_width,
            components,
            node_hash,
            op,
        };
        Ok((
            LogicalPlan::Graph(Graph {
                edges: Box::new(edges),
                nodes: nodes.plan.map(Box::new),
                spec: Box::new(spec),
                schema,
            }),
            used,
        ))
    }

    /// `with T on key`, `with_node_id=name`, or neither.
    fn graph_nodes(&mut self, m: &ast::MakeGraph, key_ty: KType) -> Result<Nodes> {
        let node_id = m
            .params
            .iter()
            .find(|(k, _)| k.name == "with_node_id")
            .map(|(_, v)| v);
        match (&m.nodes[..], node_id) {
            ([], None) => Ok(Nodes {
                plan: None,
                key: None,
                schema: Schema::default(),
            }),
            ([], Some(name)) => Ok(Nodes {
                plan: None,
                key: Some(0),
                schema: Schema::new(vec![Column {
                    name: name.name.clone(),
                    ty: key_ty,
                }]),
            }),
            ([(table, key)], None) => {
                let plan = self.bind_tabular(table)?;
                let schema = plan.schema().clone();
                let Some(k) = schema.index_of(&key.name) else {
                    let mut err = PlanError::new(
                        "plan::unknown_column",
                        key.span,
                        format!("the nodes table has no column `{}`", key.name),
                        "not a column of the nodes",
                    );
                    if let Some(s) = did_you_mean(&key.name, schema.names()) {
                        err = err.with_help(format!("did you mean `{s}`?"));
                    }
                    return Err(err);
                };
                if schema.columns[k].ty != key_ty {
                    return Err(PlanError::new(
                        "plan::graph_key_type",
                        key.span,
                        format!(
                            "the node key `{}` is a {} but the edges name nodes by {}s",
                            key.name, schema.columns[k].ty, key_ty
                        ),
                        "a different type",
                    )
                    .with_help("convert one of them so the keys compare"));
                }
                Ok(Nodes {
                    plan: Some(plan),
                    key: Some(k),
                    schema,
                })
            }
            ([_, (second, _), ..], _) => Err(not_supported(
                "make-graph with several nodes tables",
                second.span,
            )
            .with_help("union the nodes tables into one with a common key column first")),
            ([(table, _)], Some(name)) => Err(PlanError::new(
                "plan::graph_nodes",
                name.span.to(table.span),
                "`with_node_id=` and `with Nodes on Key` both say where node properties come from",
                "choose one",
            )
            .with_help("keep `with Nodes on Key` to read the nodes' properties from a table")),
        }
    }

    fn graph_to_table(
        &mut self,
        tables: &[ast::GraphTable],
        node_schema: &Schema,
        edge_schema: &Schema,
        span: Span,
    ) -> Result<(GraphOp, Schema)> {
        let [t] = tables else {
            return Err(not_supported("graph-to-table nodes, edges (two results at once)", span)
                .with_help("iishunt returns one table per query: run `graph-to-table nodes` and `graph-to-table edges` separately"));
        };
        if let Some(a) = &t.alias {
            self.notes.push(format!(
                "`as {}` names the result; iishunt keeps only the last result",
                a.name
            ));
        }
        let param = |name: &str| {
            t.params
                .iter()
                .find(|(k, _)| k.name == name)
                .map(|(_, v)| v)
        };
        let mut columns: Vec<Column> = Vec::new();
        let (ids, base) = if t.edges {
            (
                vec![param("with_source_id"), param("with_target_id")],
                edge_schema,
            )
        } else {
            (vec![param("with_node_id")], node_schema)
        };
        for id in ids.iter().flatten() {
            if base.index_of(&id.name).is_some() || columns.iter().any(|c| c.name == id.name) {
                return Err(PlanError::new(
                    "plan::duplicate_column",
                    id.span,
                    format!("the table already has a column `{}`", id.name),
                    "taken",
                )
                .with_help("give the id column another name"));
            }
            columns.push(Column {
                name: id.name.clone(),
                ty: KType::Long,
            });
        }
        columns.extend(base.columns.iter().cloned());
        let op = if t.edges {
            GraphOp::Edges {
                source_id: ids[0].is_some(),
                target_id: ids[1].is_some(),
            }
        } else {
            GraphOp::Nodes {
                with_id: ids[0].is_some(),
            }
        };
        Ok((op, Schema::new(columns)))
    }
}

/// The edge column `make-graph` names.
fn edge_column(schema: &Schema, name: &ast::Ident) -> Result<usize> {
    schema.index_of(&name.name).ok_or_else(|| {
        let mut err = PlanError::new(
            "plan::unknown_column",
            name.span,
            format!("the edges have no column `{}`", name.name),
            "not a column of make-graph's input",
        );
        err = match did_you_mean(&name.name, schema.names()) {
            Some(s) => err.with_help(format!("did you mean `{s}`?")),
            None => err.with_help(format!(
                "the columns are: {}",
                schema.names().collect::<Vec<_>>().join(", ")
            )),
        };
        err
    })
}

/// `kind=weak|strong` and `with_component_id=Name` (default `ComponentId`).
fn component_params(
    params: &[(ast::Ident, ast::Ident)],
) -> Result<(ComponentKind, (String, Span))> {
    let mut kind = ComponentKind::Weak;
    let mut name = ("ComponentId".to_string(), Span::default());
    for (k, v) in params {
        match k.name.as_str() {
            "kind" => {
                kind = match v.name.as_str() {
                    "weak" => ComponentKind::Weak,
                    "strong" => ComponentKind::Strong,
                    other => {
                        return Err(PlanError::new(
                            "plan::graph_parameter",
                            v.span,
                            format!("`{other}` is not a kind of component"),
                            "unknown kind",
                        )
                        .with_help("write `kind=weak` (edges either way) or `kind=strong`"))
                    }
                }
            }
            _ => name = (v.name.clone(), v.span),
        }
    }
    Ok((kind, name))
}
