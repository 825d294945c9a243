//! `graph-match` and `graph-shortest-paths`: the patterns become search steps
//! over node and edge variables, and the `where` / `project` expressions are
//! rewritten to read the columns of a match row. `a.name` is node variable
//! `a`'s property, `e.kind` a single edge's; `map(e, x)`, `all(e, p)` and
//! `any(e, p)` evaluate `x` / `p` on every edge of `e` (or every inner node,
//! with `inner_nodes(e)`), and `node_degree_in(a)`, `node_degree_out(a)`,
//! `node_id(a)` read the graph around a node.

use iishunt_syntax::ast::{self, EdgeDirection, ExprKind, Span};

use super::{naming, not_supported, Binder};
use crate::error::{PlanError, Result};
use crate::expr::BoundExpr;
use crate::graph::{
    Cycles, Direction, GraphOp, Lambda, MatchColumn, MatchSpec, MatchStep, NODE_EXTRA_COLUMNS,
};
use crate::schema::{Column, Schema};
use crate::suggest::did_you_mean;
use crate::types::KType;

/// The names of the node columns after the properties (see [`NODE_EXTRA_COLUMNS`]).
const DEGREE_IN: &str = "$degree_in";
const DEGREE_OUT: &str = "$degree_out";
const NODE_ID: &str = "$node_id";

/// The node functions: name and the extra node column each reads.
const NODE_FUNCTIONS: [(&str, &str); 3] = [
    ("node_degree_in", DEGREE_IN),
    ("node_degree_out", DEGREE_OUT),
    ("node_id", NODE_ID),
];

/// A pattern variable.
#[derive(Clone, Copy)]
enum Var {
    Node(usize),
    Edge(usize),
}

/// What the rewriting of one operator's expressions collects.
struct Scope<'s> {
    node_vars: Vec<String>,
    edge_vars: Vec<String>,
    /// Per edge variable: it may match more than one edge.
    variable: Vec<bool>,
    /// Node properties, then the extra columns.
    nodes: Schema,
    edges: &'s Schema,
    columns: Vec<MatchColumn>,
    schema: Vec<Column>,
    /// A key per column, so `a.name` read twice is one column.
    keys: Vec<String>,
    lambdas: Vec<Lambda>,
}

impl Scope<'_> {
    fn var(&self, name: &str) -> Option<Var> {
        // Anonymous variables start with `#`, which a name never does.
        if let Some(i) = self.node_vars.iter().position(|v| v == name) {
            return Some(Var::Node(i));
        }
        self.edge_vars.iter().position(|v| v == name).map(Var::Edge)
    }

    /// The match-row column for `key`, added if new; returns its name.
    /// `label` names the column in `explain` (`a.name`, `map(e, …)`).
    fn column(&mut self, key: String, label: String, column: MatchColumn, ty: KType) -> String {
        let index = match self.keys.iter().position(|k| *k == key) {
            Some(i) => i,
            None => {
                self.keys.push(key);
                self.columns.push(column);
                let name = if self.schema.iter().any(|c| c.name == label) {
                    format!("{label}#{}", self.schema.len())
                } else {
                    label
                };
                self.schema.push(Column { name, ty });
                self.schema.len() - 1
            }
        };
        self.schema[index].name.clone()
    }
}

fn name_expr(name: String, span: Span) -> ast::Expr {
    ast::Expr::new(ExprKind::Name(ast::Ident::new(name, span)), span)
}

fn graph_error(span: Span, message: impl Into<String>, label: &str, help: &str) -> PlanError {
    PlanError::new("plan::graph_expression", span, message, label).with_help(help)
}

impl Binder<'_> {
    /// `graph-match` (or, with `shortest`, `graph-shortest-paths`) over a
    /// graph whose nodes have `node_schema` and edges `edge_schema`.
    pub(crate) fn bind_graph_match(
        &mut self,
        g: &ast::GraphMatch,
        shortest: bool,
        node_schema: &Schema,
        edge_schema: &Schema,
        key_ty: KType,
        span: Span,
    ) -> Result<(GraphOp, Schema)> {
        let op = if shortest {
            "graph-shortest-paths"
        } else {
            "graph-match"
        };
        let mut cycles = Cycles::UniqueEdges;
        let mut output_all = false;
        for (k, v) in &g.params {
            let bad = |allowed: &str| {
                PlanError::new(
                    "plan::graph_parameter",
                    v.span,
                    format!("`{}` is not a value of `{}`", v.name, k.name),
                    "unknown value",
                )
                .with_help(format!("`{}` is one of {allowed}", k.name))
            };
            match (k.name.as_str(), v.name.as_str()) {
                ("cycles", "none") => cycles = Cycles::None,
                ("cycles", "unique_edges") => cycles = Cycles::UniqueEdges,
                ("cycles", "all") => cycles = Cycles::All,
                ("cycles", _) => return Err(bad("none, unique_edges, all")),
                ("output", "any") => output_all = false,
                ("output", "all") => output_all = true,
                ("output", _) => return Err(bad("any, all")),
                _ => return Err(bad("(no values)")),
            }
        }
        if g.project.is_empty() {
            return Err(PlanError::new(
                "plan::graph_project",
                span,
                format!("`{op}` needs a `project` clause saying which columns to make"),
                "no `project`",
            )
            .with_help("add e.g. `project a = a.name, b = b.name` after the pattern"));
        }

        let mut nodes = node_schema.clone();
        for (name, ty) in [(DEGREE_IN, KType::Long), (DEGREE_OUT, KType::Long)] {
            nodes.columns.push(Column {
                name: name.into(),
                ty,
            });
        }
        nodes.columns.push(Column {
            name: NODE_ID.into(),
            ty: key_ty,
        });
        debug_assert_eq!(nodes.len(), node_schema.len() + NODE_EXTRA_COLUMNS);
        let mut scope = Scope {
            node_vars: Vec::new(),
            edge_vars: Vec::new(),
            variable: Vec::new(),
            nodes,
            edges: edge_schema,
            columns: Vec::new(),
            schema: Vec::new(),
            keys: Vec::new(),
            lambdas: Vec::new(),
        };
        let steps = pattern_steps(&g.patterns, &mut scope)?;
        if shortest {
            if let Some(second) = g.patterns.get(1) {
                return Err(PlanError::new(
                    "plan::graph_pattern",
                    second.span,
                    "`graph-shortest-paths` takes one pattern (a path), not several",
                    "a second pattern",
                )
                .with_help("use `graph-match` for patterns joined at shared nodes"));
            }
            if !scope.variable.iter().any(|v| *v) {
                return Err(PlanError::new(
                    "plan::graph_pattern",
                    g.patterns.first().map_or(span, |p| p.span),
                    "`graph-shortest-paths` needs a variable-length edge in its pattern",
                    "every edge here is one edge",
                )
                .with_help("give an edge a length range: `(a)-[e*1..5]->(b)`"));
            }
        }

        let predicate = match &g.predicate {
            Some(p) => {
                let rewritten = self.rewrite_graph_expr(p, &mut scope)?;
                let schema = Schema::new(scope.schema.clone());
                let bound = self.bind_expr(&rewritten, &schema, None)?;
                if bound.ty() != KType::Bool {
                    return Err(PlanError::new(
                        "plan::where_type",
                        p.span,
                        format!(
                            "`where` needs a true/false predicate, but this is a {}",
                            bound.ty()
                        ),
                        "not a predicate",
                    ));
                }
                Some(bound)
            }
            None => None,
        };
        let mut rewritten = Vec::new();
        for item in &g.project {
            if item.names.len() > 1 {
                return Err(not_supported("(a, b) = … in a graph project", item.span));
            }
            rewritten.push(self.rewrite_graph_expr(&item.expr, &mut scope)?);
        }
        let schema = Schema::new(scope.schema.clone());
        let mut project = Vec::new();
        let mut columns: Vec<Column> = Vec::new();
        let mut counter = 0;
        for (item, e) in g.project.iter().zip(&rewritten) {
            let bound = self.bind_expr(e, &schema, None)?;
            let name = match item.names.first() {
                Some(n) => n.name.clone(),
                None => output_name(&item.expr, &columns, &mut counter),
            };
            if columns.iter().any(|c| c.name == name) {
                return Err(PlanError::new(
                    "plan::duplicate_column",
                    item.span,
                    format!("`{name}` is projected twice"),
                    "second time here",
                )
                .with_help(format!("give it another name: `{name}2 = …`")));
            }
            columns.push(Column {
                name,
                ty: bound.ty(),
            });
            project.push(bound);
        }
        let node_filters = predicate
            .as_ref()
            .map(|p| node_filters(p, &scope.columns, &scope.nodes))
            .unwrap_or_default();
        let spec = MatchSpec {
            node_vars: scope.node_vars,
            edge_vars: scope.edge_vars,
            steps,
            cycles,
            shortest: shortest.then_some(output_all),
            columns: scope.columns,
            column_schema: schema,
            lambdas: scope.lambdas,
            predicate,
            node_filters,
            project,
        };
        Ok((GraphOp::Match(Box::new(spec)), Schema::new(columns)))
    }

    /// `e` with every graph reference replaced by a match-row column.
    fn rewrite_graph_expr(&mut self, e: &ast::Expr, scope: &mut Scope) -> Result<ast::Expr> {
        let span = e.span;
        match &e.kind {
            ExprKind::Member { expr, name } => {
                if let ExprKind::Name(v) = &expr.kind {
                    if let Some(var) = scope.var(&v.name) {
                        return self.property(var, v, name, span, scope);
                    }
                }
                Ok(ast::Expr::new(
                    ExprKind::Member {
                        expr: Box::new(self.rewrite_graph_expr(expr, scope)?),
                        name: name.clone(),
                    },
                    span,
                ))
            }
            ExprKind::Name(v) => match scope.var(&v.name) {
                Some(Var::Node(_)) => Err(graph_error(
                    span,
                    format!("`{}` is a node of the pattern, not a value", v.name),
                    "a node",
                    &format!("name one of its properties: `{}.{}`", v.name, first_or(&scope.nodes, "name")),
                )),
                Some(Var::Edge(_)) => Err(graph_error(
                    span,
                    format!("`{}` is an edge of the pattern, not a value", v.name),
                    "an edge",
                    &format!("read its properties with `map({0}, column)`, `all({0}, …)` or `any({0}, …)`", v.name),
                )),
                None => Ok(e.clone()),
            },
            ExprKind::Call(c) => self.rewrite_graph_call(c, span, scope),
            _ => {
                let mut out = e.clone();
                let mut result = Ok(());
                for child in children_mut(&mut out) {
                    if result.is_err() {
                        break;
                    }
                    match self.rewrite_graph_expr(child, scope) {
                        Ok(r) => *child = r,
                        Err(err) => result = Err(err),
                    }
                }
                result.map(|_| out)
            }
        }
    }

    fn rewrite_graph_call(
        &mut self,
        c: &ast::Call,
        span: Span,
        scope: &mut Scope,
    ) -> Result<ast::Expr> {
        let fname = c.name.name.as_str();
        if let Some((_, column)) = NODE_FUNCTIONS.iter().find(|(f, _)| *f == fname) {
            let [arg] = &c.args[..] else {
                return Err(graph_error(
                    span,
                    format!("`{fname}(n)` takes the node variable it reads"),
                    "needs one node",
                    &format!("write `{fname}(a)` for the node `(a)` of the pattern; inside `map(inner_nodes(e), …)` write `{fname}()`"),
                ));
            };
            let var = match &arg.kind {
                ExprKind::Name(v) => match scope.var(&v.name) {
                    Some(Var::Node(i)) => i,
                    _ => {
                        return Err(graph_error(
                            arg.span,
                            format!(
                                "`{fname}` reads a node, and `{}` is not a node of the pattern",
                                v.name
                            ),
                            "not a node",
                            &format!("the nodes are: {}", named(&scope.node_vars).join(", ")),
                        ))
                    }
                },
                _ => {
                    return Err(graph_error(
                        arg.span,
                        format!("`{fname}` reads a node variable of the pattern"),
                        "not a node",
                        "pass a node of the pattern: `(a)` → `node_degree_in(a)`",
                    ))
                }
            };
            let index = scope.nodes.index_of(column).unwrap_or(0);
            let ty = scope.nodes.columns[index].ty;
            let key = format!("node {var} {index}");
            let label = format!("{fname}({})", scope.node_vars[var]);
            let name = scope.column(
                key,
                label,
                MatchColumn::NodeProperty { var, column: index },
                ty,
            );
            return Ok(name_expr(name, span));
        }
        match fname {
            "map" | "all" | "any" if c.args.len() == 2 => {
                if let Some((var, inner)) = path_of(&c.args[0], scope)? {
                    return self.lambda_column(fname, var, inner, &c.args[1], span, scope);
                }
            }
            "inner_nodes" => {
                return Err(graph_error(
                    span,
                    "`inner_nodes(e)` is read through `map()`, `all()` or `any()`",
                    "on its own",
                    "write e.g. `map(inner_nodes(e), name)` or `all(inner_nodes(e), age < 40)`",
                ))
            }
            "labels" => {
                return Err(not_supported("labels()", span).with_help(
                    "labels come from persistent graph models; graphs made by make-graph have none",
                ))
            }
            _ => {}
        }
        let mut args = Vec::new();
        for a in &c.args {
            args.push(self.rewrite_graph_expr(a, scope)?);
        }
        Ok(ast::Expr::new(
            ExprKind::Call(ast::Call {
                name: c.name.clone(),
                args,
                span: c.span,
            }),
            span,
        ))
    }

    /// `a.p` for a node, or `e.p` for an edge matching exactly one edge.
    fn property(
        &mut self,
        var: Var,
        v: &ast::Ident,
        property: &ast::Ident,
        span: Span,
        scope: &mut Scope,
    ) -> Result<ast::Expr> {
        let (schema, what, hidden) = match var {
            Var::Node(_) => (&scope.nodes, "node", NODE_EXTRA_COLUMNS),
            Var::Edge(_) => (scope.edges, "edge", 0),
        };
        let visible = schema.len() - hidden;
        let Some(index) = schema.columns[..visible]
            .iter()
            .position(|c| c.name == property.name)
        else {
            let names: Vec<&str> = schema.columns[..visible]
                .iter()
                .map(|c| c.name.as_str())
                .collect();
            let mut err = PlanError::new(
                "plan::unknown_column",
                property.span,
                format!(
                    "the {what} `{}` has no property `{}`",
                    v.name, property.name
                ),
                "no such property",
            );
            err = match did_you_mean(&property.name, names.iter().copied()) {
                Some(s) => err.with_help(format!("did you mean `{}.{s}`?", v.name)),
                None if names.is_empty() => err.with_help(format!(
                    "the {what}s have no properties{}",
                    if what == "node" {
                        ": give make-graph `with_node_id=name` or `with Nodes on Key`"
                    } else {
                        ""
                    }
                )),
                None => err.with_help(format!("the {what} properties are: {}", names.join(", "))),
            };
            return Err(err);
        };
        if let Var::Edge(e) = var {
            // A variable-length edge's property is the array of its values
            // along the path, as `map(e, p)` gives.
            if scope.variable[e] {
                let body = name_expr(property.name.clone(), property.span);
                return self.lambda_column("map", e, false, &body, span, scope);
            }
        }
        let ty = schema.columns[index].ty;
        let (key, column) = match var {
            Var::Node(i) => (
                format!("node {i} {index}"),
                MatchColumn::NodeProperty {
                    var: i,
                    column: index,
                },
            ),
            Var::Edge(i) => (
                format!("edge {i} {index}"),
                MatchColumn::EdgeProperty {
                    var: i,
                    column: index,
                },
            ),
        };
        let label = format!("{}.{}", v.name, property.name);
        Ok(name_expr(scope.column(key, label, column, ty), span))
    }

    /// `map(path, x)`, `all(path, p)`, `any(path, p)`.
    fn lambda_column(
        &mut self,
        fname: &str,
        var: usize,
        inner: bool,
        body: &ast::Expr,
        span: Span,
        scope: &mut Scope,
    ) -> Result<ast::Expr> {
        let bound = if inner {
            let body = node_functions_to_columns(body)?;
            self.bind_expr(&body, &scope.nodes.clone(), None)?
        } else {
            self.bind_expr(body, scope.edges, None)?
        };
        if fname != "map" && bound.ty() != KType::Bool {
            return Err(PlanError::new(
                "plan::graph_expression",
                body.span,
                format!(
                    "`{fname}()` needs a true/false predicate, but this is a {}",
                    bound.ty()
                ),
                "not a predicate",
            )
            .with_help("compare it with something, e.g. `kind == \"red\"`"));
        }
        let key = format!("{fname} {var} {inner} {bound:?}");
        let lambda = scope.lambdas.len();
        let (column, ty) = match fname {
            "map" => (MatchColumn::Map { var, lambda }, KType::Dynamic),
            "all" => (MatchColumn::All { var, lambda }, KType::Bool),
            _ => (MatchColumn::Any { var, lambda }, KType::Bool),
        };
        if !scope.keys.contains(&key) {
            scope.lambdas.push(Lambda {
                inner_nodes: inner,
                expr: bound,
            });
        }
        let path = if inner {
            format!("inner_nodes({})", scope.edge_vars[var])
        } else {
            scope.edge_vars[var].clone()
        };
        let label = format!("{fname}({path}, …)");
        Ok(name_expr(scope.column(key, label, column, ty), span))
    }
}

/// `e` (an edge variable) or `inner_nodes(e)`: the edge and whether the
/// nodes are meant; `None` when `arg` is neither.
fn path_of(arg: &ast::Expr, scope: &Scope) -> Result<Option<(usize, bool)>> {
    let (v, inner) = match &arg.kind {
        ExprKind::Name(v) => (v, false),
        ExprKind::Call(c) if c.name.name == "inner_nodes" => match &c.args[..] {
            [a] => match &a.kind {
                ExprKind::Name(v) => (v, true),
                _ => return Err(inner_nodes_arg(a.span)),
            },
            _ => return Err(inner_nodes_arg(c.span)),
        },
        _ => return Ok(None),
    };
    match scope.var(&v.name) {
        Some(Var::Edge(e)) => Ok(Some((e, inner))),
        Some(Var::Node(_)) => Err(graph_error(
            v.span,
            format!(
                "`{}` is a node; `map`, `all` and `any` walk an edge variable",
                v.name
            ),
            "a node",
            "name an edge of the pattern, e.g. `map(e, kind)` for `-[e*1..3]->`",
        )),
        None if inner => Err(inner_nodes_arg(v.span)),
        None => Ok(None),
    }
}

fn inner_nodes_arg(span: Span) -> PlanError {
    graph_error(
        span,
        "`inner_nodes()` takes an edge variable of the pattern",
        "not an edge",
        "write `inner_nodes(e)` for the edge `-[e*1..3]->`",
    )
}

/// Inside a node lambda, `node_degree_in()` and friends read the extra columns.
fn node_functions_to_columns(e: &ast::Expr) -> Result<ast::Expr> {
    if let ExprKind::Call(c) = &e.kind {
        if let Some((_, column)) = NODE_FUNCTIONS.iter().find(|(f, _)| *f == c.name.name) {
            if !c.args.is_empty() {
                return Err(graph_error(
                    e.span,
                    format!(
                        "inside `map(inner_nodes(e), …)`, `{}()` reads the node at hand",
                        c.name.name
                    ),
                    "takes no argument here",
                    &format!("write `{}()`", c.name.name),
                ));
            }
            return Ok(name_expr(column.to_string(), e.span));
        }
    }
    let mut out = e.clone();
    for child in children_mut(&mut out) {
        *child = node_functions_to_columns(child)?;
    }
    Ok(out)
}

/// The direct subexpressions of `e`, to rewrite in place.
fn children_mut(e: &mut ast::Expr) -> Vec<&mut ast::Expr> {
    match &mut e.kind {
        ExprKind::Literal(_)
        | ExprKind::Name(_)
        | ExprKind::JoinSide(_)
        | ExprKind::Star
        | ExprKind::Subquery(_) => vec![],
        ExprKind::Unary { expr, .. }
        | ExprKind::IsNull { expr, .. }
        | ExprKind::Member { expr, .. } => vec![expr],
        ExprKind::Binary { left, right, .. } => vec![left, right],
        ExprKind::In { expr, list, .. } | ExprKind::HasAny { expr, list, .. } => {
            std::iter::once(&mut **expr)
                .chain(list.iter_mut())
                .collect()
        }
        ExprKind::Between {
            expr, low, high, ..
        } => vec![expr, low, high],
        ExprKind::Call(c) => c.args.iter_mut().collect(),
        ExprKind::Index { expr, index } => vec![expr, index],
    }
}

/// The name Kusto gives an unnamed projected column: `a.name` → `a_name`,
/// `node_degree_in(a)` → `node_degree_in`.
fn output_name(e: &ast::Expr, taken: &[Column], counter: &mut usize) -> String {
    match &e.kind {
        ExprKind::Member { expr, name } => {
            if let ExprKind::Name(v) = &expr.kind {
                return naming::unique(&format!("{}_{}", v.name, name.name), taken);
            }
        }
        ExprKind::Call(c) if NODE_FUNCTIONS.iter().any(|(f, _)| *f == c.name.name) => {
            return naming::unique(&c.name.name, taken);
        }
        _ => {}
    }
    naming::derived_name(e, taken, counter)
}

fn named(vars: &[String]) -> Vec<String> {
    vars.iter()
        .filter(|v| !v.starts_with('#'))
        .cloned()
        .collect()
}

fn first_or(schema: &Schema, default: &str) -> String {
    let visible = schema.len().saturating_sub(NODE_EXTRA_COLUMNS);
    schema.columns[..visible]
        .first()
        .map_or(default.to_string(), |c| c.name.clone())
}

/// The patterns as search steps, naming every variable (anonymous ones `#n`).
fn pattern_steps(patterns: &[ast::GraphPattern], scope: &mut Scope) -> Result<Vec<MatchStep>> {
    let mut steps = Vec::new();
    for p in patterns {
        let mut prev = node_var(&p.first, scope)?;
        steps.push(MatchStep::Node(prev));
        for (edge, node) in &p.steps {
            let e = edge_var(edge, scope)?;
            let next = node_var(node, scope)?;
            let (min, max) = edge.length.unwrap_or((1, 1));
            steps.push(MatchStep::Edge {
                edge: e,
                from: prev,
                to: next,
                direction: match edge.direction {
                    EdgeDirection::Right => Direction::Forward,
                    EdgeDirection::Left => Direction::Backward,
                    EdgeDirection::Any => Direction::Either,
                },
                min,
                max,
            });
            prev = next;
        }
    }
    Ok(steps)
}

fn node_var(n: &ast::GraphNode, scope: &mut Scope) -> Result<usize> {
    match &n.name {
        Some(name) => match scope.var(&name.name) {
            Some(Var::Node(i)) => Ok(i),
            Some(Var::Edge(_)) => Err(graph_error(
                name.span,
                format!("`{}` names an edge of the pattern and a node", name.name),
                "already an edge",
                "give the node another name",
            )),
            None => {
                scope.node_vars.push(name.name.clone());
                Ok(scope.node_vars.len() - 1)
            }
        },
        None => {
            scope.node_vars.push(format!("#n{}", scope.node_vars.len()));
            Ok(scope.node_vars.len() - 1)
        }
    }
}

fn edge_var(e: &ast::GraphEdge, scope: &mut Scope) -> Result<usize> {
    let name = match &e.name {
        Some(name) => {
            if scope.var(&name.name).is_some() {
                return Err(graph_error(
                    name.span,
                    format!("`{}` is already a variable of the pattern", name.name),
                    "named twice",
                    "each edge of a pattern needs its own name",
                ));
            }
            name.name.clone()
        }
        None => format!("#e{}", scope.edge_vars.len()),
    };
    scope.edge_vars.push(name);
    scope
        .variable
        .push(e.length.is_some_and(|(lo, hi)| !(lo == 1 && hi == 1)));
    Ok(scope.edge_vars.len() - 1)
}

/// The `and`ed terms of `predicate` that read the properties of one node
/// variable and nothing else, rewritten over the node columns.
fn node_filters(
    predicate: &BoundExpr,
    columns: &[MatchColumn],
    nodes: &Schema,
) -> Vec<(usize, BoundExpr)> {
    let mut terms = Vec::new();
    conjuncts(predicate, &mut terms);
    // Each match column as the node column it reads (others never substituted).
    let as_node: Vec<BoundExpr> = columns
        .iter()
        .map(|c| match *c {
            MatchColumn::NodeProperty { column, .. } => BoundExpr::Column {
                index: column,
                name: nodes.columns[column].name.clone(),
                ty: nodes.columns[column].ty,
            },
            _ => BoundExpr::Literal(crate::types::ScalarValue::Null(KType::Bool)),
        })
        .collect();
    let mut filters = Vec::new();
    for term in terms {
        if term.is_volatile() {
            continue;
        }
        let mut vars = Vec::new();
        let mut other = false;
        term.visit_columns(&mut |i| match columns.get(i) {
            Some(MatchColumn::NodeProperty { var, .. }) => vars.push(*var),
            _ => other = true,
        });
        vars.dedup();
        if let ([var], false) = (&vars[..], other) {
            filters.push((*var, term.substitute(&as_node)));
        }
    }
    filters
}

fn conjuncts<'e>(e: &'e BoundExpr, out: &mut Vec<&'e BoundExpr>) {
    match e {
        BoundExpr::Call { func, args, .. } if func.name == "__and" => {
            args.iter().for_each(|a| conjuncts(a, out));
        }
        other => out.push(other),
    }
}
