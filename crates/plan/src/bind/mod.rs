//! The binder: AST → logical plan. Resolves names against the catalog and the
//! `let` scope, types every expression, and raises each error at the span it
//! blames. One `bind_<operator>` per operator lives in `operators.rs`;
//! expressions in `expr.rs`; `summarize` in `summarize.rs`; ES|QL's index
//! patterns and ECS views in `esql.rs`; DISSECT, GROK and `parse` in `parse.rs`.

mod activity_plugins;
mod call_forms;
mod esql;
mod esql_values;
mod expr;
mod externaldata;
mod find;
mod graph;
mod graph_match;
mod invoke;
mod ipv4_lookup;
mod join;
mod make_series;
mod mv_apply;
mod mv_expand;
mod naming;
mod operators;
mod parse;
mod parse_kv;
mod partition;
mod search;
mod sequence_detect;
mod sequence_scan;
mod output_schema;
mod pivot;
mod plugins_more;
mod results;
mod rewrite;
mod series_columns;
mod summarize;
mod bag_unpack;
mod top_nested;
mod union;
mod window;

use std::collections::HashMap;

use iishunt_syntax::ast::{self, Dialect, LetValue, SourceKind, Statement, TabularExpr};

use crate::catalog::Catalog;
use crate::error::{PlanError, Result};
use crate::expr::BoundExpr;
use crate::logical::{LogicalPlan, Scan, ValueRange, Values};

/// Rows one `range` may make.
pub const MAX_RANGE_ROWS: u64 = 10_000_000;
use crate::schema::{Column, Schema};
use crate::suggest::did_you_mean;
use crate::types::{KType, ScalarValue};
use invoke::FunctionArg;

pub use externaldata::{ExternalFile, ExternalReader, EXTERNAL_FORMATS};

/// Evaluates a constant expression (no column references) to a value; given
/// by the executor so `let` values and literal arguments fold at bind time.
pub type Folder<'a> = &'a dyn Fn(&BoundExpr) -> Option<ScalarValue>;

/// Runs a tabular subquery (`x in (T)`) and gives its first column's values;
/// given by the executor. `Err` carries a message for the user.
pub type Subquery<'a> = &'a dyn Fn(LogicalPlan) -> Result<Vec<ScalarValue>, String>;

/// A chart requested with `render`.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderRequest {
    pub chart: String,
    pub properties: Vec<(String, String)>,
}

/// A bound query: the plan of its result and what else the user asked for.
#[derive(Debug, Clone)]
pub struct BoundQuery {
    pub plan: LogicalPlan,
    /// The result's name, when the query gives one (`as`, a `fork` leg's
    /// `name=`, a `facet` column).
    pub name: Option<String>,
    /// The result tables before this one, in order: a batch's earlier
    /// tabular statements, `fork`'s other legs, `facet`'s other tables.
    pub earlier: Vec<NamedPlan>,
    pub render: Option<RenderRequest>,
    /// Notes for the user: ignored hints, the implicit ES|QL limit, …
    pub notes: Vec<String>,
}

/// One result table of a query that makes several.
#[derive(Debug, Clone)]
pub struct NamedPlan {
    pub name: String,
    pub plan: LogicalPlan,
}

/// What a `let` name stands for.
#[derive(Clone)]
pub(crate) enum Binding {
    Scalar(BoundExpr),
    Tabular(Box<TabularExpr>),
    Function(ast::FunctionDef),
    /// A function's table parameter: the plan of the table passed in.
    Plan(Box<LogicalPlan>),
}

pub(crate) struct Binder<'a> {
    catalog: &'a Catalog,
    dialect: Dialect,
    fold: Folder<'a>,
    subquery: Option<Subquery<'a>>,
    /// Reads `externaldata` files; without it `externaldata` is refused.
    external: Option<ExternalReader<'a>>,
    scopes: Vec<HashMap<String, Binding>>,
    notes: Vec<String>,
    /// `set name = value` statements the binder reads (`query_bin_auto_size`, …).
    settings: HashMap<String, ast::Expr>,
    render: Option<RenderRequest>,
    depth: usize,
    /// Result tables `fork` and `facet` made besides the statement's last.
    extra_results: Vec<NamedPlan>,
    /// The statement's result name (`as`, or `fork` / `facet`).
    result_name: Option<String>,
    /// Set while an `extend` item binds: collects its window function calls.
    window: Option<window::WindowCollector>,
    /// The query text, when known: ES|QL names an unnamed column by the
    /// expression exactly as written (`COALESCE(a, b)`).
    source: Option<&'a str>,
    /// ES|QL: the element type of dynamic columns made by ROW and EVAL.
    esql_elems: HashMap<String, crate::types::KType>,
}

/// Binds a parsed query: the last tabular statement is the result.
pub fn bind_query(query: &ast::Query, catalog: &Catalog, fold: Folder) -> Result<BoundQuery> {
    bind_query_with(query, catalog, fold, None)
}

/// Like [`bind_query`], with a way to run subqueries (`x in (T)`).
pub fn bind_query_with<'a>(
    query: &ast::Query,
    catalog: &'a Catalog,
    fold: Folder<'a>,
    subquery: Option<Subquery<'a>>,
) -> Result<BoundQuery> {
    bind_query_source(query, None, catalog, fold, subquery)
}

/// Like [`bind_query_with`], given the text `query` was parsed from, so ES|QL
/// columns are named by their expressions as written.
pub fn bind_query_source<'a>(
    query: &ast::Query,
    source: Option<&'a str>,
    catalog: &'a Catalog,
    fold: Folder<'a>,
    subquery: Option<Subquery<'a>>,
) -> Result<BoundQuery> {
    bind_query_reading(query, source, catalog, fold, subquery, None)
}

/// Like [`bind_query_source`], with a way to read `externaldata` files.
pub fn bind_query_reading<'a>(
    query: &ast::Query,
    source: Option<&'a str>,
    catalog: &'a Catalog,
    fold: Folder<'a>,
    subquery: Option<Subquery<'a>>,
    external: Option<ExternalReader<'a>>,
) -> Result<BoundQuery> {
    let mut binder = Binder {
        source,
        esql_elems: HashMap::new(),
        catalog,
        dialect: query.dialect,
        fold,
        subquery,
        external,
        scopes: vec![HashMap::new()],
        notes: Vec::new(),
        settings: HashMap::new(),
        render: None,
        depth: 0,
        extra_results: Vec::new(),
        result_name: None,
        window: None,
    };
    let mut result: Option<(Option<String>, LogicalPlan)> = None;
    let mut earlier = Vec::new();
    for statement in &query.statements {
        match statement {
            Statement::Let(l) => binder.bind_let(l)?,
            Statement::Set(s) if call_forms::READ_SETTINGS.contains(&s.name.name.as_str()) => {
                if let Some(v) = &s.value {
                    binder.settings.insert(s.name.name.clone(), v.clone());
                }
            }
            Statement::Set(s) => binder.notes.push(format!(
                "`set {}` is accepted and has no effect here",
                s.name
            )),
            Statement::Tabular(t) => {
                binder.render = None;
                binder.result_name = None;
                let plan = binder.bind_tabular(t)?;
                // A batch: each tabular statement is a result table.
                if let Some((name, plan)) = result.take() {
                    let name = name.unwrap_or_else(|| format!("table_{}", earlier.len() + 1));
                    earlier.push(NamedPlan { name, plan });
                }
                earlier.append(&mut binder.extra_results);
                result = Some((binder.result_name.take(), plan));
            }
        }
    }
    let Some((name, mut plan)) = result else {
        return Err(PlanError::new(
            "plan::no_result",
            query.span,
            "the query has no tabular expression to run",
            "only `let` statements here",
        )
        .with_help("end the query with a table and operators, e.g. `W3CIISLog | take 10`"));
    };
    if query.dialect == Dialect::Esql && !ends_with_limit(&plan) {
        plan = LogicalPlan::Limit(crate::logical::Limit {
            input: Box::new(plan),
            n: ESQL_DEFAULT_LIMIT,
        });
        binder.notes.push(format!(
            "ES|QL returns at most {ESQL_DEFAULT_LIMIT} rows without an explicit LIMIT"
        ));
    }
    Ok(BoundQuery {
        plan,
        name,
        earlier,
        render: binder.render,
        notes: binder.notes,
    })
}

/// ES|QL's implicit `LIMIT` when a query has none (as in Elasticsearch).
pub const ESQL_DEFAULT_LIMIT: usize = 1000;

fn ends_with_limit(plan: &LogicalPlan) -> bool {
    matches!(plan, LogicalPlan::Limit(_) | LogicalPlan::TopN(_))
}

impl<'a> Binder<'a> {
    fn lookup(&self, name: &str) -> Option<&Binding> {
        self.scopes.iter().rev().find_map(|s| s.get(name))
    }

    fn define(&mut self, name: &str, binding: Binding) {
        if let Some(scope) = self.scopes.last_mut() {
            scope.insert(name.to_string(), binding);
        }
    }

    fn let_names(&self) -> Vec<String> {
        self.scopes.iter().flat_map(|s| s.keys().cloned()).collect()
    }

    fn bind_let(&mut self, l: &ast::LetStatement) -> Result<()> {
        let binding = match &l.value {
            // `let T = W3CIISLog;` reads like a scalar: a name that is a table is tabular.
            LetValue::Scalar(ast::Expr {
                kind: ast::ExprKind::Name(n),
                span,
            }) if self.catalog.table(&n.name).is_some()
                || matches!(
                    self.lookup(&n.name),
                    Some(Binding::Tabular(_) | Binding::Function(_) | Binding::Plan(_))
                ) =>
            {
                Binding::Tabular(Box::new(TabularExpr {
                    source: ast::Source {
                        kind: SourceKind::Table(vec![n.clone()]),
                        span: *span,
                    },
                    operators: vec![],
                    span: *span,
                }))
            }
            LetValue::Scalar(e) => {
                let bound = self.bind_expr(e, &Schema::default(), None)?;
                let bound = match self.try_fold(&bound) {
                    Some(v) => BoundExpr::Literal(v),
                    None => bound,
                };
                Binding::Scalar(bound)
            }
            LetValue::Tabular(t) => Binding::Tabular(Box::new(t.clone())),
            LetValue::Function(f) => Binding::Function(f.clone()),
        };
        self.define(&l.name.name, binding);
        Ok(())
    }

    /// Folds an expression without column references to a constant.
    pub(crate) fn try_fold(&self, e: &BoundExpr) -> Option<ScalarValue> {
        if let BoundExpr::Literal(v) = e {
            return Some(v.clone());
        }
        let mut has_column = false;
        e.visit_columns(&mut |_| has_column = true);
        if has_column {
            return None;
        }
        (self.fold)(e)
    }

    pub(crate) fn bind_tabular(&mut self, t: &TabularExpr) -> Result<LogicalPlan> {
        self.depth += 1;
        if self.depth > 64 {
            return Err(PlanError::new(
                "plan::too_deep",
                t.span,
                "tabular expressions nest too deeply (more than 64 levels)",
                "here",
            )
            .with_help("a `let` that refers to itself? iishunt does not support recursion"));
        }
        let result = self.bind_tabular_inner(t);
        self.depth -= 1;
        result
    }

    fn bind_tabular_inner(&mut self, t: &TabularExpr) -> Result<LogicalPlan> {
        // `let G = E | make-graph …; G | graph-match …`: the graph operators
        // continue the `let`'s pipeline.
        if let (SourceKind::Table(names), false) = (&t.source.kind, t.operators.is_empty()) {
            if let [name] = &names[..] {
                if let Some(Binding::Tabular(g)) = self.lookup(&name.name) {
                    if graph::ends_in_graph(g) {
                        let mut operators = g.operators.clone();
                        operators.extend(t.operators.iter().cloned());
                        let spliced = TabularExpr {
                            source: g.source.clone(),
                            operators,
                            span: t.span,
                        };
                        return self.bind_tabular(&spliced);
                    }
                }
            }
        }
        let mut plan = self.bind_source(&t.source)?;
        let mut i = 0;
        while i < t.operators.len() {
            if let ast::OperatorKind::MakeGraph(_) = &t.operators[i].kind {
                let (graph, used) = self.bind_graph(plan, &t.operators[i..])?;
                plan = graph;
                i += used;
            } else if results::makes_results(&t.operators[i]) {
                plan = self.bind_results(plan, &t.operators[i], i + 1 == t.operators.len())?;
                i += 1;
            } else {
                plan = self.bind_operator(plan, &t.operators[i])?;
                i += 1;
            }
        }
        Ok(plan)
    }

    fn bind_source(&mut self, source: &ast::Source) -> Result<LogicalPlan> {
        match &source.kind {
            SourceKind::Table(names) if self.dialect == Dialect::Esql => {
                self.bind_esql_from(names, source.span)
            }
            SourceKind::Table(names) => {
                let Some(first) = names.first() else {
                    return Err(PlanError::new(
                        "plan::no_table",
                        source.span,
                        "no table named",
                        "here",
                    ));
                };
                if names.len() > 1 {
                    return self.bind_union_of_names(names);
                }
                if first.name.contains('*') {
                    return self.bind_table_pattern(first);
                }
                self.bind_table_name(first)
            }
            SourceKind::Call(call) => self.bind_tabular_call(call),
            SourceKind::Nested(inner) => self.bind_tabular(inner),
            SourceKind::Materialize(inner) => {
                Ok(LogicalPlan::Materialize(crate::logical::Materialize {
                    input: Box::new(self.bind_tabular(inner)?),
                }))
            }
            SourceKind::Print(items) => self.bind_print(items, source.span),
            SourceKind::Datatable { columns, values } => {
                self.bind_datatable(columns, values, source.span)
            }
            SourceKind::ExternalData {
                columns,
                paths,
                properties,
            } => self.bind_externaldata(columns, paths, properties, source.span),
            SourceKind::Range {
                column,
                from,
                to,
                step,
            } => self.bind_range(column, from, to, step),
            SourceKind::Union(u) => self.bind_union_source(u, source.span),
            SourceKind::Search { tables, predicate } => {
                self.bind_search_source(tables, predicate, source.span)
            }
            SourceKind::Find(f) => self.bind_find(f, source.span),
        }
    }

    fn bind_union_of_names(&mut self, names: &[ast::Ident]) -> Result<LogicalPlan> {
        let mut inputs = Vec::new();
        for name in names {
            inputs.push(self.bind_table_name(name)?);
        }
        Ok(operators::union_plans(inputs))
    }

    pub(crate) fn bind_table_name(&mut self, name: &ast::Ident) -> Result<LogicalPlan> {
        match self.lookup(&name.name).cloned() {
            Some(Binding::Tabular(t)) => return self.bind_tabular(&t),
            Some(Binding::Plan(plan)) => return Ok(*plan),
            Some(Binding::Function(f)) if f.params.is_empty() => {
                return self.bind_function_body(&f, &[], name.span);
            }
            Some(Binding::Scalar(_)) => {
                return Err(PlanError::new(
                    "plan::not_a_table",
                    name.span,
                    format!("`{}` is a scalar `let` value, not a table", name.name),
                    "used as a table here",
                ))
            }
            _ => {}
        }
        if let Some(table) = self.catalog.table(&name.name) {
            return Ok(scan_all(&table.name, &table.schema));
        }
        // `find` / `search` alone parse as a table name: they need a predicate.
        if ["find", "search"].contains(&name.name.as_str()) {
            return Err(PlanError::new(
                "plan::missing_predicate",
                name.span,
                format!("`{}` needs a predicate to look for", name.name),
                "nothing to look for",
            )
            .with_help(match name.name.as_str() {
                "find" => "e.g. `find where cIP == \"198.51.100.77\"` or `find \"wp-login\"`",
                _ => "e.g. `search cIP == \"198.51.100.77\"` or `search \"wp-login\"`",
            }));
        }
        let mut candidates: Vec<String> = self.catalog.table_names().map(str::to_string).collect();
        candidates.extend(self.let_names());
        let mut err = PlanError::new(
            "plan::unknown_table",
            name.span,
            format!("unknown table `{}`", name.name),
            "no table or tabular `let` has this name",
        );
        if let Some(s) = did_you_mean(&name.name, candidates.iter().map(String::as_str)) {
            err = err.with_help(format!("did you mean `{s}`?"));
        } else {
            let mut tables: Vec<&str> = self.catalog.table_names().collect();
            tables.sort_unstable();
            err = err.with_help(format!(
                "iishunt has {} (the IIS logs and the lookup CSVs loaded); a table it lacks can be \
                 loaded from a file (`--table {}=FILE` for CSV, TSV, JSON lines or Parquet; \
                 `--lookup {}.csv`), or read inside `union isfuzzy=true`, which skips missing tables",
                tables.join(", "),
                name.name,
                name.name
            ));
        }
        Err(err)
    }

    fn bind_tabular_call(&mut self, call: &ast::Call) -> Result<LogicalPlan> {
        match self.lookup(&call.name.name).cloned() {
            Some(Binding::Function(f)) => {
                let args = self.function_args(&f, &call.args, None)?;
                self.bind_function_body(&f, &args, call.span)
            }
            _ if call.name.name == "graph" => Err(PlanError::new(
                "plan::not_supported",
                call.span,
                format!(
                    "`{}` reads a persistent graph stored in a Kusto cluster; iishunt has no cluster",
                    naming::source_text(self.source, call.span).unwrap_or_else(|| "graph()".into())
                ),
                "persistent graph",
            )
            .with_help("build the graph in the query instead: `Edges | make-graph Source --> Target with Nodes on Id`")),
            _ => Err(PlanError::new(
                "plan::unknown_function",
                call.name.span,
                format!("unknown tabular function `{}`", call.name.name),
                "not a `let` function",
            )),
        }
    }

    /// Binds a user function's body with its parameters bound to `args`.
    pub(crate) fn bind_function_body(
        &mut self,
        f: &ast::FunctionDef,
        args: &[FunctionArg],
        span: ast::Span,
    ) -> Result<LogicalPlan> {
        let scope = self.function_scope(f, args, span)?;
        self.scopes.push(scope);
        let result = (|| {
            let mut last = None;
            for s in &f.body {
                match s {
                    Statement::Let(l) => self.bind_let(l)?,
                    Statement::Tabular(t) => last = Some(self.bind_tabular(t)?),
                    Statement::Set(_) => {}
                }
            }
            last.ok_or_else(|| {
                PlanError::new(
                    "plan::not_tabular",
                    span,
                    "this function does not return a table",
                    "called as a table here",
                )
            })
        })();
        self.scopes.pop();
        result
    }

    fn bind_print(&mut self, items: &[ast::NamedExpr], span: ast::Span) -> Result<LogicalPlan> {
        let mut columns = Vec::new();
        let mut row = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let bound = self.bind_expr(&item.expr, &Schema::default(), None)?;
            let value = self.try_fold(&bound).ok_or_else(|| {
                PlanError::new(
                    "plan::not_constant",
                    item.expr.span,
                    "this value cannot be computed",
                    "here",
                )
            })?;
            let name = match item.names.first() {
                Some(n) => n.name.clone(),
                None if self.dialect == Dialect::Esql => self.esql_name(&item.expr),
                None => naming::unique(&format!("print_{i}"), &columns),
            };
            if self.dialect == Dialect::Esql {
                self.note_elem(&name, &BoundExpr::Literal(value.clone()));
            }
            columns.push(Column {
                name,
                ty: value.ktype(),
            });
            row.push(value);
        }
        if columns.is_empty() {
            return Err(PlanError::new(
                "plan::empty_print",
                span,
                "`print` needs at least one value",
                "here",
            ));
        }
        Ok(LogicalPlan::Values(Values {
            schema: Schema::new(columns),
            rows: vec![row],
            range: None,
        }))
    }

    fn bind_datatable(
        &mut self,
        columns: &[(ast::Ident, ast::TypeName)],
        values: &[ast::Expr],
        span: ast::Span,
    ) -> Result<LogicalPlan> {
        if columns.is_empty() || values.len() % columns.len() != 0 {
            return Err(PlanError::new(
                "plan::datatable_shape",
                span,
                format!(
                    "datatable has {} columns but {} values",
                    columns.len(),
                    values.len()
                ),
                "values must fill whole rows",
            ));
        }
        let schema = Schema::new(
            columns
                .iter()
                .map(|(n, t)| Column {
                    name: n.name.clone(),
                    ty: (*t).into(),
                })
                .collect(),
        );
        let mut rows = Vec::new();
        for chunk in values.chunks(columns.len()) {
            let mut row = Vec::new();
            for (e, col) in chunk.iter().zip(&schema.columns) {
                let bound = self.bind_expr(e, &Schema::default(), None)?;
                let bound = expr::convert_to(bound, col.ty, self).map_err(|m| {
                    PlanError::new(
                        "plan::datatable_type",
                        e.span,
                        m,
                        format!("expected a {}", col.ty),
                    )
                })?;
                let value = self.try_fold(&bound).ok_or_else(|| {
                    PlanError::new(
                        "plan::not_constant",
                        e.span,
                        "datatable values must be constants",
                        "here",
                    )
                })?;
                row.push(value);
            }
            rows.push(row);
        }
        Ok(LogicalPlan::Values(Values {
            schema,
            rows,
            range: None,
        }))
    }

    fn bind_range(
        &mut self,
        column: &ast::Ident,
        from: &ast::Expr,
        to: &ast::Expr,
        step: &ast::Expr,
    ) -> Result<LogicalPlan> {
        let mut consts = Vec::new();
        for e in [from, to, step] {
            let b = self.bind_expr(e, &Schema::default(), None)?;
            consts.push(self.try_fold(&b).ok_or_else(|| {
                PlanError::new(
                    "plan::not_constant",
                    e.span,
                    "range bounds must be constants",
                    "here",
                )
            })?);
        }
        let ty = consts[0].ktype();
        let (Some(lo), Some(hi), Some(st)) =
            (consts[0].as_i64(), consts[1].as_i64(), consts[2].as_i64())
        else {
            return Err(PlanError::new(
                "plan::range_type",
                from.span,
                "range supports long, datetime and timespan bounds",
                "here",
            ));
        };
        if st <= 0 {
            return Err(PlanError::new(
                "plan::range_step",
                step.span,
                "the range step must be positive",
                "here",
            ));
        }
        // In 128 bits: `range x from -9e18 to 9e18` must not overflow.
        let count = ((hi as i128 - lo as i128) / st as i128 + 1).max(0) as u128;
        if count > MAX_RANGE_ROWS as u128 {
            return Err(PlanError::new(
                "plan::range_size",
                to.span,
                format!("range would make {count} rows (limit 10,000,000)"),
                "here",
            )
            .with_help("use a larger step or closer bounds"));
        }
        let ty = match ty {
            KType::DateTime | KType::TimeSpan | KType::Int => ty,
            _ => KType::Long,
        };
        // Every value lies between the bounds, so an int range stays an int.
        Ok(LogicalPlan::Values(Values {
            schema: Schema::new(vec![Column {
                name: column.name.clone(),
                ty,
            }]),
            rows: Vec::new(),
            range: Some(ValueRange {
                start: lo,
                step: st,
                count: count as u64,
            }),
        }))
    }

    fn bind_union_source(&mut self, u: &ast::Union, _span: ast::Span) -> Result<LogicalPlan> {
        self.bind_union(u, None)
    }
}

/// A scan of every column of a table (projection pushdown narrows it later).
pub(crate) fn scan_all(table: &str, schema: &Schema) -> LogicalPlan {
    LogicalPlan::Scan(Scan {
        table: table.to_string(),
        table_schema: schema.clone(),
        projection: (0..schema.len()).collect(),
        filter: None,
        time_range: (None, None),
        schema: schema.clone(),
    })
}

pub(crate) fn not_supported(what: &str, span: ast::Span) -> PlanError {
    PlanError::new(
        "plan::not_supported",
        span,
        format!("`{what}` is not supported yet"),
        "iishunt parses this but cannot run it yet",
    )
    .with_help("see docs/kql.md for the operators the engine runs")
}

impl Binder<'_> {
    /// An unnamed ES|QL column's name: the expression as written in the
    /// query, or rebuilt from the AST when the text is not at hand.
    pub(crate) fn esql_name(&self, e: &ast::Expr) -> String {
        naming::source_text(self.source, e.span).unwrap_or_else(|| naming::expr_text(e))
    }
}
