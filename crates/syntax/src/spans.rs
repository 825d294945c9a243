//! Span erasure: sets every [`Span`] in an AST to the default, so two ASTs
//! can be compared by structure alone.
//!
//! Used by the round-trip tests (`parse(print(ast)) == ast` modulo spans) and
//! free for the planner's tests that build ASTs by hand.

use crate::ast::*;

/// A copy of `q` with every span set to `Span::default()`.
pub fn without_spans(q: &Query) -> Query {
    let mut q = q.clone();
    strip_spans(&mut q);
    q
}

/// Sets every span in `q` to `Span::default()`.
pub fn strip_spans(q: &mut Query) {
    q.span = Span::default();
    q.statements.iter_mut().for_each(statement);
}

fn id(i: &mut Ident) {
    i.span = Span::default();
}

fn statement(s: &mut Statement) {
    match s {
        Statement::Let(l) => {
            l.span = Span::default();
            id(&mut l.name);
            match &mut l.value {
                LetValue::Scalar(e) => expr(e),
                LetValue::Tabular(t) => tabular(t),
                LetValue::Function(f) => {
                    f.span = Span::default();
                    for p in &mut f.params {
                        p.span = Span::default();
                        id(&mut p.name);
                        if let ParamType::Tabular(cols) = &mut p.ty {
                            cols.iter_mut().for_each(|(n, _)| id(n));
                        }
                        if let Some(d) = &mut p.default {
                            expr(d);
                        }
                    }
                    f.body.iter_mut().for_each(statement);
                    if let Some(e) = &mut f.scalar_result {
                        expr(e);
                    }
                }
            }
        }
        Statement::Tabular(t) => tabular(t),
        Statement::Set(s) => {
            s.span = Span::default();
            id(&mut s.name);
            if let Some(v) = &mut s.value {
                expr(v);
            }
        }
    }
}

fn tabular(t: &mut TabularExpr) {
    t.span = Span::default();
    t.source.span = Span::default();
    match &mut t.source.kind {
        SourceKind::Table(names) => names.iter_mut().for_each(id),
        SourceKind::Call(c) => call(c),
        SourceKind::Nested(inner) | SourceKind::Materialize(inner) => tabular(inner),
        SourceKind::Print(items) => items.iter_mut().for_each(named),
        SourceKind::Datatable { columns, values } => {
            columns.iter_mut().for_each(|(n, _)| id(n));
            values.iter_mut().for_each(expr);
        }
        SourceKind::ExternalData {
            columns,
            paths,
            properties,
        } => {
            columns.iter_mut().for_each(|(n, _)| id(n));
            paths.iter_mut().for_each(expr);
            properties.iter_mut().for_each(|(k, v)| {
                id(k);
                expr(v);
            });
        }
        SourceKind::Range {
            column,
            from,
            to,
            step,
        } => {
            id(column);
            expr(from);
            expr(to);
            expr(step);
        }
        SourceKind::Union(u) => union(u),
        SourceKind::Search { tables, predicate } => {
            tables.iter_mut().for_each(id);
            expr(predicate);
        }
        SourceKind::Find(f) => {
            if let Some(c) = &mut f.withsource {
                id(c);
            }
            f.tables.iter_mut().for_each(tabular);
            expr(&mut f.predicate);
            if let Some(p) = &mut f.project {
                p.columns.iter_mut().for_each(|(n, _)| id(n));
            }
        }
    }
    t.operators.iter_mut().for_each(operator);
}

fn union(u: &mut Union) {
    params(&mut u.params);
    u.tables.iter_mut().for_each(tabular);
}

fn params(ps: &mut [(Ident, Expr)]) {
    for (k, v) in ps {
        id(k);
        expr(v);
    }
}

fn patterns(ps: &mut [ColumnPattern]) {
    ps.iter_mut().for_each(|p| p.span = Span::default());
}

fn conditions(cs: &mut [JoinCondition]) {
    for c in cs {
        match c {
            JoinCondition::Column(n) => id(n),
            JoinCondition::Equal { left, right, span } => {
                id(left);
                id(right);
                *span = Span::default();
            }
        }
    }
}

fn sort_keys(keys: &mut [SortKey]) {
    for k in keys {
        k.span = Span::default();
        expr(&mut k.expr);
    }
}

fn mv_expand(m: &mut MvExpand) {
    params(&mut m.params);
    m.columns.iter_mut().for_each(|(ne, _)| named(ne));
    if let Some(l) = &mut m.limit {
        expr(l);
    }
}

fn operator(op: &mut Operator) {
    op.span = Span::default();
    match &mut op.kind {
        OperatorKind::Where(e)
        | OperatorKind::Take(e)
        | OperatorKind::Sample(e)
        | OperatorKind::Search(e) => expr(e),
        OperatorKind::Extend(items)
        | OperatorKind::Project(items)
        | OperatorKind::Distinct(items)
        | OperatorKind::Serialize(items) => items.iter_mut().for_each(named),
        OperatorKind::TopNested(levels) => {
            for l in levels {
                if let Some(n) = &mut l.count {
                    expr(n);
                }
                named(&mut l.of);
                if let Some(o) = &mut l.others {
                    expr(o);
                }
                named(&mut l.by);
            }
        }
        OperatorKind::ProjectAway(ps) | OperatorKind::ProjectKeep(ps) | OperatorKind::Keep(ps) => {
            patterns(ps)
        }
        OperatorKind::ProjectRename(rs) => {
            for r in rs {
                r.span = Span::default();
                id(&mut r.new);
                id(&mut r.old);
            }
        }
        OperatorKind::ProjectReorder(items) => {
            items.iter_mut().for_each(|(p, _)| p.span = Span::default())
        }
        OperatorKind::Summarize(s) => {
            params(&mut s.hints);
            s.aggregates.iter_mut().for_each(named);
            s.by.iter_mut().for_each(named);
        }
        OperatorKind::Sort(keys) => sort_keys(keys),
        OperatorKind::Top { count, by } => {
            expr(count);
            sort_keys(by);
        }
        OperatorKind::Count | OperatorKind::GetSchema => {}
        OperatorKind::Join(j) => {
            params(&mut j.hints);
            tabular(&mut j.right);
            conditions(&mut j.on);
        }
        OperatorKind::Lookup(l) => {
            tabular(&mut l.right);
            conditions(&mut l.on);
        }
        OperatorKind::Union(u) => union(u),
        OperatorKind::MvExpand(m) => mv_expand(m),
        OperatorKind::TopHitters { count, of, by } => {
            expr(count);
            expr(of);
            if let Some(b) = by {
                expr(b);
            }
        }
        OperatorKind::ParseKv(p) => {
            expr(&mut p.input);
            p.columns.iter_mut().for_each(|(k, _)| id(k));
            p.options.iter_mut().for_each(|(k, v)| {
                id(k);
                expr(v);
            });
        }
        OperatorKind::ProjectByNames(names) => names.iter_mut().for_each(expr),
        OperatorKind::MvApply(m) => {
            mv_expand(&mut m.expand);
            m.body.iter_mut().for_each(operator);
        }
        OperatorKind::Parse(p) | OperatorKind::ParseWhere(p) => {
            expr(&mut p.input);
            for part in &mut p.pattern {
                if let ParsePart::Column(n, _) = part {
                    id(n);
                }
            }
        }
        OperatorKind::MakeSeries(m) => {
            for (ne, d) in &mut m.aggregates {
                named(ne);
                if let Some(d) = d {
                    expr(d);
                }
            }
            expr(&mut m.on);
            for e in [&mut m.from, &mut m.to].into_iter().flatten() {
                expr(e);
            }
            expr(&mut m.step);
            m.by.iter_mut().for_each(named);
        }
        OperatorKind::Render(r) => {
            id(&mut r.chart);
            params(&mut r.properties);
        }
        OperatorKind::As(n) => id(n),
        OperatorKind::Invoke(c) => call(c),
        OperatorKind::Evaluate(c, schema) => {
            call(c);
            for column in schema.iter_mut().flatten() {
                if let OutputColumn::Column(n, _) = column {
                    id(n);
                }
            }
        }
        OperatorKind::Dissect { input, .. } | OperatorKind::Grok { input, .. } => expr(input),
        OperatorKind::Enrich { policy, on, with } => {
            id(policy);
            if let Some(on) = on {
                id(on);
            }
            for r in with {
                r.span = Span::default();
                id(&mut r.new);
                id(&mut r.old);
            }
        }
        OperatorKind::Metadata(fields) => fields.iter_mut().for_each(id),
        OperatorKind::Scan(s) => {
            if let Some(m) = &mut s.match_id {
                id(m);
            }
            for c in &mut s.declare {
                id(&mut c.name);
                if let Some(d) = &mut c.default {
                    expr(d);
                }
            }
            for step in &mut s.steps {
                step.span = Span::default();
                id(&mut step.name);
                expr(&mut step.condition);
                for (c, e) in &mut step.assignments {
                    id(c);
                    expr(e);
                }
            }
        }
        OperatorKind::Fork(legs) => {
            for leg in legs {
                if let Some(n) = &mut leg.name {
                    id(n);
                }
                leg.operators.iter_mut().for_each(operator);
            }
        }
        OperatorKind::Facet { columns, with } => {
            columns.iter_mut().for_each(id);
            if let Some(ops) = with {
                ops.iter_mut().for_each(operator);
            }
        }
        OperatorKind::Partition(p) => {
            params(&mut p.hints);
            id(&mut p.by);
            match &mut p.body {
                crate::ast::PartitionBody::Operators(ops) => ops.iter_mut().for_each(operator),
                crate::ast::PartitionBody::Source(t) => tabular(t),
            }
        }
        OperatorKind::MakeGraph(m) => {
            id(&mut m.source);
            id(&mut m.target);
            for (t, key) in &mut m.nodes {
                tabular(t);
                id(key);
            }
            idents(&mut m.params);
            if let Some((column, ops)) = &mut m.partitioned_by {
                id(column);
                ops.iter_mut().for_each(operator);
            }
        }
        OperatorKind::GraphMatch(g) | OperatorKind::GraphShortestPaths(g) => {
            idents(&mut g.params);
            for p in &mut g.patterns {
                p.span = Span::default();
                graph_node(&mut p.first);
                for (e, n) in &mut p.steps {
                    e.span = Span::default();
                    if let Some(name) = &mut e.name {
                        id(name);
                    }
                    graph_node(n);
                }
            }
            if let Some(p) = &mut g.predicate {
                expr(p);
            }
            g.project.iter_mut().for_each(named);
        }
        OperatorKind::GraphToTable(tables) => {
            for t in tables {
                t.span = Span::default();
                if let Some(a) = &mut t.alias {
                    id(a);
                }
                idents(&mut t.params);
            }
        }
        OperatorKind::GraphMarkComponents(ps) => idents(&mut ps[..]),
    }
}

fn idents(ps: &mut [(Ident, Ident)]) {
    for (k, v) in ps {
        id(k);
        id(v);
    }
}

fn graph_node(n: &mut GraphNode) {
    n.span = Span::default();
    if let Some(name) = &mut n.name {
        id(name);
    }
}

fn named(ne: &mut NamedExpr) {
    ne.span = Span::default();
    ne.names.iter_mut().for_each(id);
    expr(&mut ne.expr);
}

fn call(c: &mut Call) {
    c.span = Span::default();
    id(&mut c.name);
    c.args.iter_mut().for_each(expr);
}

/// Erases spans in one expression tree.
pub fn expr(e: &mut Expr) {
    e.span = Span::default();
    match &mut e.kind {
        ExprKind::Literal(_) | ExprKind::JoinSide(_) | ExprKind::Star => {}
        ExprKind::Name(n) => id(n),
        ExprKind::Subquery(t) => tabular(t),
        ExprKind::Unary { expr: inner, .. } | ExprKind::IsNull { expr: inner, .. } => expr(inner),
        ExprKind::Binary { left, right, .. } => {
            expr(left);
            expr(right);
        }
        ExprKind::In {
            expr: inner, list, ..
        }
        | ExprKind::HasAny {
            expr: inner, list, ..
        } => {
            expr(inner);
            list.iter_mut().for_each(expr);
        }
        ExprKind::Between {
            expr: inner,
            low,
            high,
            ..
        } => {
            expr(inner);
            expr(low);
            expr(high);
        }
        ExprKind::Call(c) => call(c),
        ExprKind::Index { expr: inner, index } => {
            expr(inner);
            expr(index);
        }
        ExprKind::Member { expr: inner, name } => {
            expr(inner);
            id(name);
        }
    }
}
