//! One `bind_<operator>` per tabular operator: each takes the plan so far and
//! returns the plan with the operator applied, raising errors at its span.

use iishunt_syntax::ast::{self, Dialect, NullsOrder, OperatorKind, SortOrder};

use super::{naming, not_supported, Binder, RenderRequest};
use crate::error::{PlanError, Result};
use crate::expr::{display_scalar, AggregateCall, BoundExpr, SortExpr};
use crate::functions::lookup_aggregate;
use crate::logical::{
    Aggregate, Filter, Limit, LogicalPlan, Project, Sort, TopN, Union, Values, Window,
};
use crate::schema::{Column, Schema};
use crate::suggest::did_you_mean;
use crate::types::{KType, ScalarValue};

impl<'a> Binder<'a> {
    pub(crate) fn bind_operator(
        &mut self,
        plan: LogicalPlan,
        op: &ast::Operator,
    ) -> Result<LogicalPlan> {
        let span = op.span;
        match &op.kind {
            OperatorKind::Where(e) => self.bind_where(plan, e),
            OperatorKind::Extend(items) => self.bind_extend(plan, items),
            OperatorKind::Serialize(items) => {
                let plan = self.bind_extend(plan, items)?;
                if super::sequence_scan::is_serialized(&plan) {
                    return Ok(plan);
                }
                // No window call to order the rows: a Window node without
                // calls keeps them in the order they arrive, for `scan`.
                let schema = plan.schema().clone();
                Ok(LogicalPlan::Window(Window {
                    input: Box::new(plan),
                    calls: Vec::new(),
                    schema,
                }))
            }
            OperatorKind::Project(items) => self.bind_project(plan, items),
            OperatorKind::ProjectAway(patterns) => self.bind_project_away(plan, patterns),
            OperatorKind::ProjectKeep(patterns) => self.bind_project_keep(plan, patterns, false),
            OperatorKind::Keep(patterns) => self.bind_project_keep(plan, patterns, true),
            OperatorKind::ProjectRename(renames) => self.bind_project_rename(plan, renames),
            OperatorKind::ProjectReorder(items) => self.bind_project_reorder(plan, items),
            OperatorKind::Summarize(s) => self.bind_summarize(plan, s),
            OperatorKind::Sort(keys) => {
                let keys = self.bind_sort_keys(&plan, keys)?;
                Ok(LogicalPlan::Sort(Sort {
                    input: Box::new(plan),
                    keys,
                }))
            }
            OperatorKind::Top { count, by } => {
                let n = self.bind_count(count)?;
                let keys = self.bind_sort_keys(&plan, by)?;
                Ok(LogicalPlan::TopN(TopN {
                    input: Box::new(plan),
                    keys,
                    n,
                }))
            }
            OperatorKind::Take(count) => {
                let n = self.bind_count(count)?;
                Ok(LogicalPlan::Limit(Limit {
                    input: Box::new(plan),
                    n,
                }))
            }
            OperatorKind::Distinct(items) => self.bind_distinct(plan, items),
            OperatorKind::Count => {
                let count =
                    lookup_aggregate("count").ok_or_else(|| not_supported("count", span))?;
                let schema = Schema::new(vec![Column {
                    name: "Count".into(),
                    ty: KType::Long,
                }]);
                Ok(LogicalPlan::Aggregate(Aggregate {
                    input: Box::new(plan),
                    keys: vec![],
                    aggregates: vec![AggregateCall {
                        func: count,
                        args: vec![],
                        filter: None,
                        ty: KType::Long,
                    }],
                    having: None,
                    schema,
                }))
            }
            OperatorKind::As(name) => {
                // Names the statement's result table (`iishunt query` prints
                // it above the table); deeper down it names nothing.
                if self.depth == 1 {
                    self.result_name = Some(name.name.clone());
                }
                Ok(plan)
            }
            OperatorKind::Fork(_) | OperatorKind::Facet { .. } => Err(super::results::not_last(op)),
            OperatorKind::Render(r) => {
                let mut properties: Vec<(String, String)> = Vec::new();
                for (k, v) in &r.properties {
                    // Column names (`xcolumn = cIP`, `ycolumns = a, b`) are
                    // names, not values: only a `let` scalar is looked up.
                    let text = match &v.kind {
                        ast::ExprKind::Name(n)
                            if !matches!(self.lookup(&n.name), Some(super::Binding::Scalar(_))) =>
                        {
                            n.name.clone()
                        }
                        _ => {
                            let b = self.bind_expr(v, &Schema::default(), None)?;
                            match self.try_fold(&b) {
                                Some(ScalarValue::String(s)) => s,
                                Some(other) => display_scalar(&other),
                                None => naming::expr_text(v),
                            }
                        }
                    };
                    // A list value arrives as the key once per item.
                    match properties.last_mut() {
                        Some((last, value)) if *last == k.name => {
                            value.push_str(", ");
                            value.push_str(&text);
                        }
                        _ => properties.push((k.name.clone(), text)),
                    }
                    let names_column = ["xcolumn", "ycolumns", "series"]
                        .iter()
                        .any(|p| k.name.eq_ignore_ascii_case(p));
                    if let (true, ast::ExprKind::Name(n)) = (names_column, &v.kind) {
                        if plan.schema().index_of(&n.name).is_none() {
                            return Err(PlanError::new(
                                "plan::unknown_column",
                                v.span,
                                format!("`render … {}`: unknown column `{}`", k.name, n.name),
                                "not a column of the result",
                            )
                            .with_help(format!(
                                "the columns are: {}",
                                plan.schema()
                                    .columns
                                    .iter()
                                    .map(|c| c.name.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            )));
                        }
                    }
                }
                self.render = Some(RenderRequest {
                    chart: r.chart.name.clone(),
                    properties,
                });
                Ok(plan)
            }
            OperatorKind::GetSchema => Ok(get_schema(plan.schema())),
            OperatorKind::Metadata(fields) => {
                let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
                self.notes.push(format!(
                    "METADATA {} is not available and was ignored",
                    names.join(", ")
                ));
                Ok(plan)
            }
            OperatorKind::Union(u) => self.bind_union(u, Some(plan)),
            OperatorKind::Join(j) => self.bind_join(plan, j, span),
            OperatorKind::Lookup(l) => self.bind_lookup(plan, l, span),
            OperatorKind::MvExpand(m) => self.bind_mv_expand(plan, m, span),
            OperatorKind::MvApply(m) => self.bind_mv_apply(plan, m, span),
            OperatorKind::TopHitters { count, of, by } => {
                self.bind_top_hitters(plan, count, of, by.as_ref(), span)
            }
            OperatorKind::ParseKv(p) => self.bind_parse_kv(plan, p, span),
            OperatorKind::ProjectByNames(names) => self.bind_project_by_names(plan, names),
            OperatorKind::Parse(p) => self.bind_parse(plan, p, span),
            OperatorKind::ParseWhere(p) => self.bind_parse_where(plan, p, span),
            OperatorKind::MakeSeries(m) => self.bind_make_series(plan, m, span),
            OperatorKind::Sample(count) => self.bind_sample(plan, count, span),
            OperatorKind::TopNested(levels) => self.bind_top_nested(plan, levels, span),
            OperatorKind::Invoke(call) => self.bind_invoke(plan, call, span),
            OperatorKind::Evaluate(c, schema) => {
                let input = plan.schema().clone();
                let out = self.bind_evaluate(plan, c, span)?;
                match schema {
                    Some(columns) => self.shape_plugin_output(out, &input, columns, span),
                    None => Ok(out),
                }
            }
            OperatorKind::Search(predicate) => self.bind_search_op(plan, predicate),
            OperatorKind::Scan(s) => self.bind_scan(plan, s, span),
            OperatorKind::Partition(p) => self.bind_partition(plan, p, span),
            OperatorKind::Dissect {
                input,
                pattern,
                append_separator,
            } => self.bind_dissect(plan, input, pattern, append_separator.as_deref(), span),
            OperatorKind::Grok { input, pattern } => self.bind_grok(plan, input, pattern, span),
            OperatorKind::Enrich { policy, on, with } => {
                self.bind_enrich(plan, policy, on.as_ref(), with, span)
            }
            OperatorKind::MakeGraph(_) => {
                // Reached only where a pipeline cannot continue with graph
                // operators (inside `mv-apply`'s subquery).
                Err(super::not_supported("make-graph inside a subquery", span))
            }
            OperatorKind::GraphMatch(_)
            | OperatorKind::GraphShortestPaths(_)
            | OperatorKind::GraphToTable(_)
            | OperatorKind::GraphMarkComponents(_) => Err(super::graph::needs_graph(
                super::graph::reads_graph(&op.kind).unwrap_or("graph operator"),
                span,
            )),
        }
    }

    pub(crate) fn bind_where(&mut self, plan: LogicalPlan, e: &ast::Expr) -> Result<LogicalPlan> {
        let predicate = self.bind_expr(e, plan.schema(), None)?;
        let predicate = if predicate.ty() == KType::Bool {
            predicate
        } else if predicate.ty() == KType::Dynamic {
            super::expr::convert_to(predicate, KType::Bool, self)
                .map_err(|m| PlanError::new("plan::where_type", e.span, m, "not a predicate"))?
        } else {
            return Err(PlanError::new(
                "plan::where_type",
                e.span,
                format!(
                    "`where` needs a true/false predicate, but this is a {}",
                    predicate.ty()
                ),
                "not a predicate",
            )
            .with_help("compare it with something, e.g. `x == \"value\"` or `isnotempty(x)`"));
        };
        Ok(LogicalPlan::Filter(Filter {
            input: Box::new(plan),
            predicate,
        }))
    }

    /// `extend a = …, b = a + 1`: later items see earlier ones; a name that
    /// exists is replaced in place.
    fn bind_extend(&mut self, plan: LogicalPlan, items: &[ast::NamedExpr]) -> Result<LogicalPlan> {
        let items = &*super::series_columns::expand(items);
        let in_schema = plan.schema().clone();
        let mut exprs: Vec<BoundExpr> = identity(&in_schema);
        let mut columns = in_schema.columns.clone();
        let mut counter = 0;
        let mut plan = plan;
        for item in items {
            let current = Schema::new(columns.clone());
            let outer = self.window.replace(super::window::WindowCollector {
                base: current.len(),
                calls: Vec::new(),
            });
            let bound = self.bind_expr(&item.expr, &current, None);
            let collected = std::mem::replace(&mut self.window, outer);
            let bound = bound?;
            let bound = match collected {
                Some(w) if !w.calls.is_empty() => {
                    // Window calls: what the extend has computed so far, then
                    // a Window node over it; the item reads its columns.
                    let mut window_columns = columns.clone();
                    for (k, c) in w.calls.iter().enumerate() {
                        window_columns.push(Column {
                            name: format!("__window_{k}"),
                            ty: c.ty,
                        });
                    }
                    let below = project(plan, exprs, columns.clone());
                    plan = LogicalPlan::Window(Window {
                        input: Box::new(below),
                        calls: w.calls,
                        schema: Schema::new(window_columns),
                    });
                    exprs = identity(&current);
                    bound
                }
                _ => bound.substitute(&exprs),
            };
            let names: Vec<String> = if item.names.is_empty() {
                vec![match &item.expr.kind {
                    ast::ExprKind::Name(i) if self.dialect == Dialect::Esql => i.name.clone(),
                    _ if self.dialect == Dialect::Esql => self.esql_name(&item.expr),
                    _ => naming::derived_name(&item.expr, &columns, &mut counter),
                }]
            } else {
                item.names.iter().map(|n| n.name.clone()).collect()
            };
            if names.len() > 1 {
                return Err(not_supported("extend (a, b) = …", item.span));
            }
            let name = names.into_iter().next().unwrap_or_default();
            if self.dialect == Dialect::Esql {
                self.note_elem(&name, &bound);
            }
            let col = Column {
                name: name.clone(),
                ty: bound.ty(),
            };
            match columns.iter().position(|c| c.name == name) {
                Some(i) if self.dialect == Dialect::Esql => {
                    // ES|QL EVAL: a redefined column moves to the end.
                    columns.remove(i);
                    exprs.remove(i);
                    columns.push(col);
                    exprs.push(bound);
                }
                Some(i) => {
                    columns[i] = col;
                    exprs[i] = bound;
                }
                None => {
                    columns.push(col);
                    exprs.push(bound);
                }
            }
        }
        Ok(project(plan, exprs, columns))
    }

    fn bind_project(&mut self, plan: LogicalPlan, items: &[ast::NamedExpr]) -> Result<LogicalPlan> {
        let items = &*super::series_columns::expand(items);
        let in_schema = plan.schema().clone();
        let mut exprs = Vec::new();
        let mut columns: Vec<Column> = Vec::new();
        let mut counter = 0;
        for item in items {
            if let ast::ExprKind::Name(i) = &item.expr.kind {
                if item.names.is_empty() && i.name.contains('*') {
                    for (idx, c) in in_schema.columns.iter().enumerate() {
                        if wildcard_match(&i.name, &c.name)
                            && !columns.iter().any(|o| o.name == c.name)
                        {
                            columns.push(c.clone());
                            exprs.push(BoundExpr::Column {
                                index: idx,
                                name: c.name.clone(),
                                ty: c.ty,
                            });
                        }
                    }
                    continue;
                }
            }
            let bound = self.bind_expr(&item.expr, &in_schema, None)?;
            let name = match item.names.first() {
                Some(n) => n.name.clone(),
                None => naming::derived_name(&item.expr, &columns, &mut counter),
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
            exprs.push(bound);
        }
        Ok(project(plan, exprs, columns))
    }

    fn bind_project_away(
        &mut self,
        plan: LogicalPlan,
        patterns: &[ast::ColumnPattern],
    ) -> Result<LogicalPlan> {
        let schema = plan.schema().clone();
        let mut drop = vec![false; schema.len()];
        for p in patterns {
            let matched = self.match_pattern(&schema, p)?;
            for i in matched {
                drop[i] = true;
            }
        }
        let keep: Vec<usize> = (0..schema.len()).filter(|i| !drop[*i]).collect();
        Ok(select(plan, &keep))
    }

    /// KQL `project-keep` keeps the input order; ES|QL `KEEP` the listed order.
    fn bind_project_keep(
        &mut self,
        plan: LogicalPlan,
        patterns: &[ast::ColumnPattern],
        listed_order: bool,
    ) -> Result<LogicalPlan> {
        let schema = plan.schema().clone();
        let mut keep: Vec<usize> = Vec::new();
        for p in patterns {
            for i in self.match_pattern(&schema, p)? {
                if listed_order && !p.is_wildcard() {
                    // An exact name listed later wins its position in ES|QL.
                    keep.retain(|k| *k != i);
                    keep.push(i);
                } else if !keep.contains(&i) {
                    keep.push(i);
                }
            }
        }
        if !listed_order {
            keep.sort_unstable();
        }
        Ok(select(plan, &keep))
    }

    fn bind_project_rename(
        &mut self,
        plan: LogicalPlan,
        renames: &[ast::Rename],
    ) -> Result<LogicalPlan> {
        let schema = plan.schema().clone();
        let mut columns = schema.columns.clone();
        for r in renames {
            let Some(i) = schema.index_of(&r.old.name) else {
                return Err(self.unknown_column_error(&schema, &r.old));
            };
            columns[i].name = r.new.name.clone();
        }
        let exprs = identity(&schema);
        Ok(project(plan, exprs, columns))
    }

    fn bind_project_reorder(
        &mut self,
        plan: LogicalPlan,
        items: &[(ast::ColumnPattern, Option<SortOrder>)],
    ) -> Result<LogicalPlan> {
        let schema = plan.schema().clone();
        let mut order: Vec<usize> = Vec::new();
        for (p, sort) in items {
            let mut matched: Vec<usize> = self
                .match_pattern(&schema, p)?
                .into_iter()
                .filter(|i| !order.contains(i))
                .collect();
            match sort {
                Some(SortOrder::Asc) => {
                    matched.sort_by(|a, b| schema.columns[*a].name.cmp(&schema.columns[*b].name))
                }
                Some(SortOrder::Desc) => {
                    matched.sort_by(|a, b| schema.columns[*b].name.cmp(&schema.columns[*a].name))
                }
                None => {}
            }
            order.extend(matched);
        }
        let rest: Vec<usize> = (0..schema.len()).filter(|i| !order.contains(i)).collect();
        order.extend(rest);
        Ok(select(plan, &order))
    }

    fn match_pattern(&self, schema: &Schema, p: &ast::ColumnPattern) -> Result<Vec<usize>> {
        if p.is_wildcard() {
            return Ok((0..schema.len())
                .filter(|i| wildcard_match(&p.pattern, &schema.columns[*i].name))
                .collect());
        }
        match schema.index_of(&p.pattern) {
            Some(i) => Ok(vec![i]),
            None => {
                Err(self.unknown_column_error(schema, &ast::Ident::new(p.pattern.clone(), p.span)))
            }
        }
    }

    pub(super) fn unknown_column_error(&self, schema: &Schema, ident: &ast::Ident) -> PlanError {
        let mut err = PlanError::new(
            "plan::unknown_column",
            ident.span,
            format!("unknown column `{}`", ident.name),
            "no column has this name",
        );
        if let Some(s) = did_you_mean(&ident.name, schema.names()) {
            err = err.with_help(format!("did you mean `{s}`?"));
        }
        err
    }

    fn bind_sort_keys(
        &mut self,
        plan: &LogicalPlan,
        keys: &[ast::SortKey],
    ) -> Result<Vec<SortExpr>> {
        let schema = plan.schema().clone();
        let mut out = Vec::new();
        for k in keys {
            let expr = self.bind_expr(&k.expr, &schema, None)?;
            let descending = match (k.order, self.dialect) {
                (Some(o), _) => o == SortOrder::Desc,
                (None, Dialect::Kql) => true,
                (None, Dialect::Esql) => false,
            };
            // Kusto: nulls last for desc, first for asc. ES|QL: nulls are "largest".
            let nulls_first = match (k.nulls, self.dialect) {
                (Some(n), _) => n == NullsOrder::First,
                (None, Dialect::Kql) => !descending,
                (None, Dialect::Esql) => descending,
            };
            out.push(SortExpr {
                expr,
                descending,
                nulls_first,
            });
        }
        Ok(out)
    }

    /// `sample N`: N rows chosen at random — the N smallest of a random key,
    /// so it runs as a parallel top-N (each query draws a new sample).
    fn bind_sample(
        &mut self,
        plan: LogicalPlan,
        count: &ast::Expr,
        span: ast::Span,
    ) -> Result<LogicalPlan> {
        let n = self.bind_count(count)?;
        let input = plan.schema().clone();
        let width = input.len();
        let column = |index: usize, c: &Column| BoundExpr::Column {
            index,
            name: c.name.clone(),
            ty: c.ty,
        };
        let key = self.call_op("rand", vec![], span)?;
        let mut exprs: Vec<BoundExpr> = input
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| column(i, c))
            .collect();
        let key_column = Column {
            name: "__sample_key".into(),
            ty: key.ty(),
        };
        exprs.push(key);
        let mut keyed_columns = input.columns.clone();
        keyed_columns.push(key_column.clone());
        let keyed = LogicalPlan::Project(Project {
            input: Box::new(plan),
            exprs,
            schema: Schema::new(keyed_columns),
        });
        let top = LogicalPlan::TopN(TopN {
            input: Box::new(keyed),
            keys: vec![SortExpr {
                expr: column(width, &key_column),
                descending: false,
                nulls_first: false,
            }],
            n,
        });
        Ok(LogicalPlan::Project(Project {
            input: Box::new(top),
            exprs: input
                .columns
                .iter()
                .enumerate()
                .map(|(i, c)| column(i, c))
                .collect(),
            schema: input,
        }))
    }

    /// `project-by-names "a", "b*", dynamic(["c"])`: the columns the names
    /// match, in the order named (a pattern's matches in table order); a name
    /// no column has is skipped, as Kusto does.
    fn bind_project_by_names(
        &mut self,
        plan: LogicalPlan,
        names: &[ast::Expr],
    ) -> Result<LogicalPlan> {
        let mut patterns: Vec<String> = Vec::new();
        for e in names {
            let bound = self.bind_expr(e, &Schema::default(), None)?;
            let bad = || {
                PlanError::new(
                    "plan::project_by_names",
                    e.span,
                    "project-by-names takes constant column names: strings or a dynamic array of strings",
                    "not a constant name",
                )
                .with_help("write `project-by-names \"cIP\", \"cs*\"` or `project-by-names dynamic([\"cIP\"])`")
            };
            match self.try_fold(&bound) {
                Some(ScalarValue::String(s)) => patterns.push(s),
                Some(ScalarValue::Dynamic(serde_json::Value::Array(items))) => {
                    for item in items {
                        match item {
                            serde_json::Value::String(s) => patterns.push(s),
                            _ => return Err(bad()),
                        }
                    }
                }
                Some(ScalarValue::Dynamic(serde_json::Value::String(s))) => patterns.push(s),
                _ => return Err(bad()),
            }
        }
        let schema = plan.schema().clone();
        let mut indexes: Vec<usize> = Vec::new();
        for p in &patterns {
            for (i, c) in schema.columns.iter().enumerate() {
                if wildcard_match(p, &c.name) && !indexes.contains(&i) {
                    indexes.push(i);
                }
            }
        }
        Ok(select(plan, &indexes))
    }

    /// `top-hitters N of x [by s]`: Kusto counts approximately; this is the
    /// exact `summarize approximate_count_x = count() by x | top N`
    /// (`approximate_sum_s = sum(s)` with `by`).
    fn bind_top_hitters(
        &mut self,
        plan: LogicalPlan,
        count: &ast::Expr,
        of: &ast::Expr,
        by: Option<&ast::Expr>,
        span: ast::Span,
    ) -> Result<LogicalPlan> {
        use iishunt_syntax::print::{expr_to_kql, ident};
        let n = self.bind_count(count)?;
        let key = match &of.kind {
            ast::ExprKind::Name(i) => i.name.clone(),
            _ => naming::derived_name(of, &plan.schema().columns, &mut 0),
        };
        let (name, agg) = match by {
            Some(b) => {
                let summed = match &b.kind {
                    ast::ExprKind::Name(i) => i.name.clone(),
                    _ => naming::derived_name(b, &plan.schema().columns, &mut 0),
                };
                (
                    format!("approximate_sum_{summed}"),
                    format!("sum({})", expr_to_kql(b)),
                )
            }
            None => (format!("approximate_count_{key}"), "count()".to_string()),
        };
        let text = format!(
            "__th_input | summarize {name} = {agg} by {key} = {of} | top {n} by {name} desc",
            name = ident(&name),
            key = ident(&key),
            of = expr_to_kql(of),
        );
        self.bind_rewritten(plan, "__th_input", &text, "top-hitters", span)
    }

    pub(crate) fn bind_count(&mut self, e: &ast::Expr) -> Result<usize> {
        let b = self.bind_expr(e, &Schema::default(), None)?;
        match self.try_fold(&b).and_then(|v| v.as_i64()) {
            Some(n) if n >= 0 => Ok(n as usize),
            _ => Err(PlanError::new(
                "plan::bad_count",
                e.span,
                "expected a non-negative whole number",
                "here",
            )),
        }
    }

    fn bind_distinct(
        &mut self,
        plan: LogicalPlan,
        items: &[ast::NamedExpr],
    ) -> Result<LogicalPlan> {
        let schema = plan.schema().clone();
        let mut keys = Vec::new();
        let mut columns: Vec<Column> = Vec::new();
        let mut counter = 0;
        let star = items
            .iter()
            .any(|i| matches!(i.expr.kind, ast::ExprKind::Star));
        if star || items.is_empty() {
            keys = identity(&schema);
            columns = schema.columns.clone();
        } else {
            for item in items {
                let b = self.bind_expr(&item.expr, &schema, None)?;
                let name = match item.names.first() {
                    Some(n) => n.name.clone(),
                    None => naming::derived_name(&item.expr, &columns, &mut counter),
                };
                columns.push(Column {
                    name: naming::unique(&name, &columns),
                    ty: b.ty(),
                });
                keys.push(b);
            }
        }
        Ok(LogicalPlan::Aggregate(Aggregate {
            input: Box::new(plan),
            keys,
            aggregates: vec![],
            having: None,
            schema: Schema::new(columns),
        }))
    }
}

pub(crate) fn identity(schema: &Schema) -> Vec<BoundExpr> {
    schema
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| BoundExpr::Column {
            index: i,
            name: c.name.clone(),
            ty: c.ty,
        })
        .collect()
}

fn project(plan: LogicalPlan, exprs: Vec<BoundExpr>, columns: Vec<Column>) -> LogicalPlan {
    LogicalPlan::Project(Project {
        input: Box::new(plan),
        exprs,
        schema: Schema::new(columns),
    })
}

fn select(plan: LogicalPlan, indexes: &[usize]) -> LogicalPlan {
    let schema = plan.schema().clone();
    let columns: Vec<Column> = indexes.iter().map(|i| schema.columns[*i].clone()).collect();
    let exprs = indexes
        .iter()
        .map(|i| BoundExpr::Column {
            index: *i,
            name: schema.columns[*i].name.clone(),
            ty: schema.columns[*i].ty,
        })
        .collect();
    project(plan, exprs, columns)
}

/// `*` matches any run of characters; everything else literally.
pub(crate) fn wildcard_match(pattern: &str, name: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == name;
    }
    let mut rest = name;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            match rest.strip_prefix(part) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(pos) => rest = &rest[pos + part.len()..],
                None => return false,
            }
        }
    }
    true
}

/// `getschema`: one row per column.
fn get_schema(schema: &Schema) -> LogicalPlan {
    let columns = vec![
        Column {
            name: "ColumnName".into(),
            ty: KType::String,
        },
        Column {
            name: "ColumnOrdinal".into(),
            ty: KType::Int,
        },
        Column {
            name: "DataType".into(),
            ty: KType::String,
        },
        Column {
            name: "ColumnType".into(),
            ty: KType::String,
        },
    ];
    let rows = schema
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            vec![
                ScalarValue::String(c.name.clone()),
                ScalarValue::Int(i as i32),
                ScalarValue::String(system_type(c.ty).into()),
                ScalarValue::String(c.ty.name().into()),
            ]
        })
        .collect();
    LogicalPlan::Values(Values {
        schema: Schema::new(columns),
        rows,
        range: None,
    })
}

fn system_type(t: KType) -> &'static str {
    match t {
        KType::Bool => "System.SByte",
        KType::Int => "System.Int32",
        KType::Long => "System.Int64",
        KType::Real => "System.Double",
        KType::Decimal => "System.Data.SqlTypes.SqlDecimal",
        KType::String => "System.String",
        KType::DateTime => "System.DateTime",
        KType::TimeSpan => "System.TimeSpan",
        KType::Dynamic => "System.Object",
        KType::Guid => "System.Guid",
    }
}

/// Rows of all inputs; the output has every column name seen, in order of
/// appearance (a name with different types in different inputs is an error
/// for Kusto; here the first type wins and others are nulls).
pub(crate) fn union_plans(mut inputs: Vec<LogicalPlan>) -> LogicalPlan {
    if inputs.len() == 1 {
        return inputs.remove(0);
    }
    let mut columns: Vec<Column> = Vec::new();
    for input in &inputs {
        for c in &input.schema().columns {
            if !columns.iter().any(|o| o.name == c.name) {
                columns.push(c.clone());
            }
        }
    }
    let mappings = inputs
        .iter()
        .map(|input| {
            columns
                .iter()
                .map(|c| {
                    input
                        .schema()
                        .columns
                        .iter()
                        .position(|ic| ic.name == c.name && ic.ty == c.ty)
                })
                .collect()
        })
        .collect();
    LogicalPlan::Union(Union {
        inputs,
        mappings,
        schema: Schema::new(columns),
    })
}

#[cfg(test)]
mod tests {
    use super::wildcard_match;

    #[test]
    fn wildcards_match_like_kusto() {
        assert!(wildcard_match("set_*", "set_sPort"));
        assert!(wildcard_match("*Port", "set_sPort"));
        assert!(wildcard_match("Esql.*_values", "Esql.host_name_values"));
        assert!(!wildcard_match("set_*", "portCount"));
        assert!(wildcard_match("cIP", "cIP"));
    }
}
