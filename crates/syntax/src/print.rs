//! The canonical KQL pretty-printer: [`Query`] → text that parses back to the
//! same AST (spans aside).
//!
//! Used by `explain`, the REPL's echo of a normalised query and the
//! round-trip property test. One operator per line after its source,
//! `order by` rather than `sort by`, `mv-expand` rather than `mvexpand`,
//! the fewest parentheses Kusto precedence allows, names bracketed (`['…']`)
//! only when they must be. ES|QL-only operators (DISSECT, GROK, ENRICH,
//! METADATA) have no KQL spelling and are written as `evaluate esql_*(...)`.

use std::fmt::Write as _;

use crate::ast::*;

/// Words a plain name must not be spelt as, besides the grammar's reserved
/// words ([`crate::kql::RESERVED`]): they would be read as a source or an
/// operator parameter.
const BRACKETED: &[&str] = &[
    "print",
    "range",
    "datatable",
    "externaldata",
    "union",
    "search",
    "set",
    "kind",
    "withsource",
    "isfuzzy",
    "flags",
    "bagexpansion",
    "with_itemindex",
    "materialize",
];

/// Writes a whole query as canonical KQL.
pub fn to_kql(query: &Query) -> String {
    let mut out = String::new();
    for (i, s) in query.statements.iter().enumerate() {
        if i > 0 {
            out.push_str(";\n");
        }
        statement(&mut out, s);
    }
    out
}

/// Writes one expression as KQL (for messages and `explain`).
pub fn expr_to_kql(e: &Expr) -> String {
    let mut out = String::new();
    expr(&mut out, e);
    out
}

/// Writes one tabular operator as KQL, without the `|` before it.
pub fn operator_to_kql(op: &Operator) -> String {
    let mut out = String::new();
    operator(&mut out, op);
    out
}

/// Writes one tabular expression as KQL.
pub fn tabular_to_kql(t: &TabularExpr) -> String {
    let mut out = String::new();
    tabular(&mut out, t);
    out
}

fn statement(out: &mut String, s: &Statement) {
    match s {
        Statement::Let(l) => {
            let _ = write!(out, "let {} = ", ident(&l.name.name));
            match &l.value {
                LetValue::Scalar(e) => expr(out, e),
                LetValue::Tabular(t) => tabular(out, t),
                LetValue::Function(f) => function(out, f),
            }
        }
        Statement::Tabular(t) => tabular(out, t),
        Statement::Set(s) => {
            let _ = write!(out, "set {}", ident(&s.name.name));
            if let Some(v) = &s.value {
                out.push_str(" = ");
                expr(out, v);
            }
        }
    }
}

fn function(out: &mut String, f: &FunctionDef) {
    out.push('(');
    for (i, p) in f.params.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{}:", ident(&p.name.name));
        match &p.ty {
            ParamType::Scalar(t) => out.push_str(t.as_str()),
            ParamType::Tabular(cols) if cols.is_empty() => out.push_str("(*)"),
            ParamType::Tabular(cols) => {
                out.push('(');
                column_decls(out, cols);
                out.push(')');
            }
        }
        if let Some(d) = &p.default {
            out.push_str(" = ");
            expr(out, d);
        }
    }
    out.push_str(") { ");
    for s in &f.body {
        statement(out, s);
        out.push_str("; ");
    }
    if let Some(e) = &f.scalar_result {
        expr(out, e);
        out.push(' ');
    }
    out.push('}');
}

fn column_decls(out: &mut String, cols: &[(Ident, TypeName)]) {
    for (i, (n, t)) in cols.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{}:{}", ident(&n.name), t.as_str());
    }
}

fn tabular(out: &mut String, t: &TabularExpr) {
    source(out, &t.source);
    for op in &t.operators {
        out.push_str("\n| ");
        operator(out, op);
    }
}

/// A tabular expression where only a table name or `( … )` may stand.
fn tabular_operand(out: &mut String, t: &TabularExpr) {
    match (&t.source.kind, t.operators.is_empty()) {
        (SourceKind::Table(names), true) if names.len() == 1 => {
            out.push_str(&table(&names[0].name))
        }
        _ => {
            out.push('(');
            tabular(out, t);
            out.push(')');
        }
    }
}

fn source(out: &mut String, s: &Source) {
    match &s.kind {
        SourceKind::Table(names) => {
            let names: Vec<String> = names.iter().map(|n| table(&n.name)).collect();
            out.push_str(&names.join(", "));
        }
        SourceKind::Call(c) => call(out, c),
        SourceKind::Nested(t) => {
            out.push('(');
            tabular(out, t);
            out.push(')');
        }
        SourceKind::Materialize(t) => {
            out.push_str("materialize(");
            tabular(out, t);
            out.push(')');
        }
        SourceKind::Print(items) => {
            out.push_str("print");
            if !items.is_empty() {
                out.push(' ');
                named_list(out, items);
            }
        }
        SourceKind::Datatable { columns, values } => {
            out.push_str("datatable(");
            column_decls(out, columns);
            out.push_str(") [");
            list(out, values);
            out.push(']');
        }
        SourceKind::ExternalData {
            columns,
            paths,
            properties,
        } => {
            out.push_str("externaldata(");
            column_decls(out, columns);
            out.push_str(") [");
            list(out, paths);
            out.push(']');
            if !properties.is_empty() {
                out.push_str(" with (");
                for (i, (k, v)) in properties.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    let _ = write!(out, "{} = ", ident(&k.name));
                    expr(out, v);
                }
                out.push(')');
            }
        }
        SourceKind::Range {
            column,
            from,
            to,
            step,
        } => {
            let _ = write!(out, "range {} from ", ident(&column.name));
            expr(out, from);
            out.push_str(" to ");
            expr(out, to);
            out.push_str(" step ");
            expr(out, step);
        }
        SourceKind::Union(u) => union(out, u),
        SourceKind::Search { tables, predicate } => {
            out.push_str("search ");
            if !tables.is_empty() {
                let names: Vec<String> = tables.iter().map(|n| table(&n.name)).collect();
                let _ = write!(out, "in ({}) ", names.join(", "));
            }
            expr(out, predicate);
        }
        SourceKind::Find(f) => find(out, f),
    }
}

/// `find withsource=C in (T1, (T2 | …)) where P project a, b:long, pack_all()`
fn find(out: &mut String, f: &crate::ast::Find) {
    out.push_str("find ");
    if let Some(c) = &f.withsource {
        let _ = write!(out, "withsource={} ", ident(&c.name));
    }
    if !f.tables.is_empty() {
        out.push_str("in (");
        tabular_operands(out, &f.tables);
        out.push_str(") ");
    }
    out.push_str("where ");
    expr(out, &f.predicate);
    match &f.project {
        None => out.push_str(" project-smart"),
        Some(p) => {
            out.push_str(" project ");
            let mut items: Vec<String> = p
                .columns
                .iter()
                .map(|(n, t)| match t {
                    Some(t) => format!("{}:{}", ident(&n.name), t.as_str()),
                    None => ident(&n.name),
                })
                .collect();
            if p.pack_all {
                items.push("pack_all()".to_string());
            }
            out.push_str(&items.join(", "));
        }
    }
}

/// `(op | op …)`
fn operator_list(out: &mut String, ops: &[crate::ast::Operator]) {
    out.push('(');
    for (i, op) in ops.iter().enumerate() {
        if i > 0 {
            out.push_str(" | ");
        }
        operator(out, op);
    }
    out.push(')');
}

fn union(out: &mut String, u: &Union) {
    out.push_str("union ");
    params(out, &u.params);
    tabular_operands(out, &u.tables);
}

/// `T1, (T2 | …), …` — the legs of `union` and `find in (…)`.
fn tabular_operands(out: &mut String, tables: &[TabularExpr]) {
    for (i, t) in tables.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        tabular_operand(out, t);
    }
}

/// `scan with_match_id=m declare (c:long = 0) with (step s1 output=last: … => c = …;)`
fn scan(out: &mut String, s: &crate::ast::Scan) {
    out.push_str("scan ");
    if let Some(m) = &s.match_id {
        let _ = write!(out, "with_match_id={} ", ident(&m.name));
    }
    if !s.declare.is_empty() {
        out.push_str("declare (");
        for (i, c) in s.declare.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            let _ = write!(out, "{}:{}", ident(&c.name.name), c.ty.as_str());
            if let Some(d) = &c.default {
                out.push_str(" = ");
                expr(out, d);
            }
        }
        out.push_str(") ");
    }
    out.push_str("with (");
    for step in &s.steps {
        let _ = write!(out, "step {}", ident(&step.name.name));
        if let Some(o) = step.output {
            let _ = write!(out, " output={}", o.as_str());
        }
        out.push_str(": ");
        expr(out, &step.condition);
        for (i, (c, e)) in step.assignments.iter().enumerate() {
            out.push_str(if i == 0 { " => " } else { ", " });
            let _ = write!(out, "{} = ", ident(&c.name));
            expr(out, e);
        }
        out.push_str("; ");
    }
    out.push(')');
}

fn params(out: &mut String, ps: &[(Ident, Expr)]) {
    for (k, v) in ps {
        let _ = write!(out, "{}=", k.name);
        expr(out, v);
        out.push(' ');
    }
}

fn operator(out: &mut String, op: &Operator) {
    match &op.kind {
        OperatorKind::Where(e) => {
            out.push_str("where ");
            expr(out, e);
        }
        OperatorKind::Extend(items) => keyword_list(out, "extend", items),
        OperatorKind::Project(items) => keyword_list(out, "project", items),
        OperatorKind::ProjectAway(ps) => patterns(out, "project-away", ps),
        OperatorKind::ProjectKeep(ps) | OperatorKind::Keep(ps) => patterns(out, "project-keep", ps),
        OperatorKind::ProjectRename(rs) => {
            out.push_str("project-rename ");
            let items: Vec<String> = rs
                .iter()
                .map(|r| format!("{} = {}", ident(&r.new.name), ident(&r.old.name)))
                .collect();
            out.push_str(&items.join(", "));
        }
        OperatorKind::ProjectReorder(items) => {
            out.push_str("project-reorder ");
            for (i, (p, o)) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&pattern(&p.pattern));
                sort_order(out, *o);
            }
        }
        OperatorKind::Summarize(s) => {
            out.push_str("summarize");
            for (k, v) in &s.hints {
                let _ = write!(out, " {}=", k.name);
                expr(out, v);
            }
            if !s.aggregates.is_empty() {
                out.push(' ');
                named_list(out, &s.aggregates);
            }
            if !s.by.is_empty() {
                out.push_str(" by ");
                named_list(out, &s.by);
            }
        }
        OperatorKind::Sort(keys) => {
            out.push_str("order by ");
            sort_keys(out, keys);
        }
        OperatorKind::Top { count, by } => {
            out.push_str("top ");
            expr(out, count);
            out.push_str(" by ");
            sort_keys(out, by);
        }
        OperatorKind::Take(e) => {
            out.push_str("take ");
            expr(out, e);
        }
        OperatorKind::Distinct(items) => keyword_list(out, "distinct", items),
        OperatorKind::Count => out.push_str("count"),
        OperatorKind::Join(j) => {
            out.push_str("join ");
            if let Some(k) = j.kind {
                let _ = write!(out, "kind={} ", k.as_str());
            }
            params(out, &j.hints);
            join_tail(out, &j.right, &j.on);
        }
        OperatorKind::Lookup(l) => {
            out.push_str("lookup ");
            if let Some(k) = l.kind {
                let _ = write!(out, "kind={} ", k.as_str());
            }
            join_tail(out, &l.right, &l.on);
        }
        OperatorKind::Union(u) => union(out, u),
        OperatorKind::MvExpand(m) => {
            out.push_str("mv-expand ");
            mv_expand_tail(out, m);
        }
        OperatorKind::ProjectByNames(names) => {
            out.push_str("project-by-names ");
            for (i, e) in names.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                expr(out, e);
            }
        }
        OperatorKind::ParseKv(p) => {
            out.push_str("parse-kv ");
            expr(out, &p.input);
            out.push_str(" as (");
            for (i, (k, t)) in p.columns.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                let _ = write!(out, "{}: {}", ident(&k.name), t.as_str());
            }
            out.push(')');
            if !p.options.is_empty() {
                out.push_str(" with (");
                for (i, (k, v)) in p.options.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    let _ = write!(out, "{} = ", ident(&k.name));
                    expr(out, v);
                }
                out.push(')');
            }
        }
        OperatorKind::TopHitters { count, of, by } => {
            out.push_str("top-hitters ");
            expr(out, count);
            out.push_str(" of ");
            expr(out, of);
            if let Some(b) = by {
                out.push_str(" by ");
                expr(out, b);
            }
        }
        OperatorKind::MvApply(m) => {
            out.push_str("mv-apply ");
            mv_expand_tail(out, &m.expand);
            out.push_str(" on (");
            for (i, op) in m.body.iter().enumerate() {
                if i > 0 {
                    out.push_str(" | ");
                }
                operator(out, op);
            }
            out.push(')');
        }
        OperatorKind::Parse(p) => parse_op(out, "parse", p),
        OperatorKind::ParseWhere(p) => parse_op(out, "parse-where", p),
        OperatorKind::MakeSeries(m) => {
            out.push_str("make-series ");
            for (i, (ne, default)) in m.aggregates.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                named(out, ne);
                if let Some(d) = default {
                    out.push_str(" default = ");
                    expr(out, d);
                }
            }
            out.push_str(" on ");
            expr(out, &m.on);
            if let Some(f) = &m.from {
                out.push_str(" from ");
                expr(out, f);
            }
            if let Some(t) = &m.to {
                out.push_str(" to ");
                expr(out, t);
            }
            out.push_str(" step ");
            expr(out, &m.step);
            if !m.by.is_empty() {
                out.push_str(" by ");
                named_list(out, &m.by);
            }
        }
        OperatorKind::Render(r) => {
            let _ = write!(out, "render {}", ident(&r.chart.name));
            if !r.properties.is_empty() {
                out.push_str(" with (");
                for (i, (k, v)) in r.properties.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    let _ = write!(out, "{} = ", ident(&k.name));
                    expr(out, v);
                }
                out.push(')');
            }
        }
        OperatorKind::As(n) => {
            let _ = write!(out, "as {}", ident(&n.name));
        }
        OperatorKind::GetSchema => out.push_str("getschema"),
        OperatorKind::Serialize(items) => {
            out.push_str("serialize");
            if !items.is_empty() {
                out.push(' ');
                named_list(out, items);
            }
        }
        OperatorKind::Sample(e) => {
            out.push_str("sample ");
            expr(out, e);
        }
        OperatorKind::TopNested(levels) => {
            for (i, l) in levels.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str("top-nested ");
                if let Some(n) = &l.count {
                    expr(out, n);
                    out.push(' ');
                }
                out.push_str("of ");
                named(out, &l.of);
                if let Some(o) = &l.others {
                    out.push_str(" with others = ");
                    expr(out, o);
                }
                out.push_str(" by ");
                named(out, &l.by);
                out.push_str(if l.ascending { " asc" } else { " desc" });
            }
        }
        OperatorKind::Invoke(c) => {
            out.push_str("invoke ");
            call(out, c);
        }
        OperatorKind::Evaluate(c, schema) => {
            out.push_str("evaluate ");
            call(out, c);
            if let Some(columns) = schema {
                out.push_str(" : (");
                for (i, column) in columns.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    match column {
                        OutputColumn::Star => out.push('*'),
                        OutputColumn::Column(n, t) => {
                            let _ = write!(out, "{}:{}", ident(&n.name), t.as_str());
                        }
                    }
                }
                out.push(')');
            }
        }
        OperatorKind::Search(e) => {
            out.push_str("search ");
            expr(out, e);
        }
        OperatorKind::Scan(s) => scan(out, s),
        OperatorKind::Fork(legs) => {
            out.push_str("fork");
            for leg in legs {
                out.push(' ');
                if let Some(n) = &leg.name {
                    let _ = write!(out, "{} = ", ident(&n.name));
                }
                operator_list(out, &leg.operators);
            }
        }
        OperatorKind::Facet { columns, with } => {
            let names: Vec<String> = columns.iter().map(|c| ident(&c.name)).collect();
            let _ = write!(out, "facet by {}", names.join(", "));
            if let Some(ops) = with {
                out.push_str(" with ");
                operator_list(out, ops);
            }
        }
        OperatorKind::Partition(p) => {
            out.push_str("partition ");
            params(out, &p.hints);
            let _ = write!(out, "by {} ", ident(&p.by.name));
            match &p.body {
                crate::ast::PartitionBody::Operators(ops) => operator_list(out, ops),
                crate::ast::PartitionBody::Source(t) => {
                    out.push_str("{ ");
                    tabular(out, t);
                    out.push_str(" }");
                }
            }
        }
        OperatorKind::Dissect {
            input,
            pattern,
            append_separator,
        } => {
            out.push_str("evaluate esql_dissect(");
            expr(out, input);
            out.push_str(", ");
            out.push_str(&string(pattern));
            if let Some(s) = append_separator {
                out.push_str(", ");
                out.push_str(&string(s));
            }
            out.push(')');
        }
        OperatorKind::Grok { input, pattern } => {
            out.push_str("evaluate esql_grok(");
            expr(out, input);
            let _ = write!(out, ", {})", string(pattern));
        }
        OperatorKind::Enrich { policy, on, with } => {
            let _ = write!(out, "evaluate esql_enrich({}", string(&policy.name));
            if let Some(on) = on {
                let _ = write!(out, ", {}", string(&on.name));
            }
            for r in with {
                let _ = write!(
                    out,
                    ", {}",
                    string(&format!("{}={}", r.new.name, r.old.name))
                );
            }
            out.push(')');
        }
        OperatorKind::Metadata(fields) => {
            let names: Vec<String> = fields.iter().map(|f| string(&f.name)).collect();
            let _ = write!(out, "evaluate esql_metadata({})", names.join(", "));
        }
        OperatorKind::MakeGraph(m) => {
            let arrow = if m.undirected { "--" } else { "-->" };
            let _ = write!(
                out,
                "make-graph {} {arrow} {}",
                ident(&m.source.name),
                ident(&m.target.name)
            );
            for (i, (t, key)) in m.nodes.iter().enumerate() {
                out.push_str(if i == 0 { " with " } else { ", " });
                tabular_operand(out, t);
                let _ = write!(out, " on {}", ident(&key.name));
            }
            graph_params(out, &m.params);
            if let Some((column, ops)) = &m.partitioned_by {
                let _ = write!(out, " partitioned-by {} (", ident(&column.name));
                for (i, op) in ops.iter().enumerate() {
                    if i > 0 {
                        out.push_str(" | ");
                    }
                    operator(out, op);
                }
                out.push(')');
            }
        }
        OperatorKind::GraphMatch(g) => graph_match(out, "graph-match", g),
        OperatorKind::GraphShortestPaths(g) => graph_match(out, "graph-shortest-paths", g),
        OperatorKind::GraphToTable(tables) => {
            out.push_str("graph-to-table");
            for (i, t) in tables.iter().enumerate() {
                out.push_str(if i == 0 { " " } else { ", " });
                out.push_str(if t.edges { "edges" } else { "nodes" });
                if let Some(a) = &t.alias {
                    let _ = write!(out, " as {}", ident(&a.name));
                }
                graph_params(out, &t.params);
            }
        }
        OperatorKind::GraphMarkComponents(ps) => {
            out.push_str("graph-mark-components");
            graph_params(out, ps);
        }
    }
}

fn graph_params(out: &mut String, ps: &[(Ident, Ident)]) {
    for (k, v) in ps {
        let _ = write!(out, " {}={}", k.name, ident(&v.name));
    }
}

fn graph_match(out: &mut String, kw: &str, g: &GraphMatch) {
    out.push_str(kw);
    graph_params(out, &g.params);
    for (i, p) in g.patterns.iter().enumerate() {
        out.push_str(if i == 0 { " " } else { ", " });
        graph_node(out, &p.first);
        for (e, n) in &p.steps {
            out.push_str(match e.direction {
                EdgeDirection::Left => "<-",
                EdgeDirection::Right | EdgeDirection::Any => "-",
            });
            out.push('[');
            if let Some(name) = &e.name {
                out.push_str(&ident(&name.name));
            }
            if let Some((lo, hi)) = e.length {
                let _ = write!(out, "*{lo}..{hi}");
            }
            out.push(']');
            out.push_str(match e.direction {
                EdgeDirection::Right => "->",
                EdgeDirection::Left | EdgeDirection::Any => "-",
            });
            graph_node(out, n);
        }
    }
    if let Some(p) = &g.predicate {
        out.push_str(" where ");
        expr(out, p);
    }
    if !g.project.is_empty() {
        out.push_str(" project ");
        named_list(out, &g.project);
    }
}

fn graph_node(out: &mut String, n: &GraphNode) {
    out.push('(');
    if let Some(name) = &n.name {
        out.push_str(&ident(&name.name));
    }
    out.push(')');
}

/// The columns, parameters and limit of `mv-expand` and `mv-apply`.
fn mv_expand_tail(out: &mut String, m: &MvExpand) {
    params(out, &m.params);
    for (i, (ne, ty)) in m.columns.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        named(out, ne);
        if let Some(t) = ty {
            let _ = write!(out, " to typeof({})", t.as_str());
        }
    }
    if let Some(l) = &m.limit {
        out.push_str(" limit ");
        expr(out, l);
    }
}

fn parse_op(out: &mut String, keyword: &str, p: &Parse) {
    out.push_str(keyword);
    out.push(' ');
    match p.kind {
        ParseKind::Simple => {}
        ParseKind::Regex => out.push_str("kind=regex "),
        ParseKind::Relaxed => out.push_str("kind=relaxed "),
    }
    if let Some(f) = &p.flags {
        let _ = write!(
            out,
            "flags={} ",
            if is_plain(f, false) {
                f.clone()
            } else {
                string(f)
            }
        );
    }
    expr(out, &p.input);
    out.push_str(" with");
    for part in &p.pattern {
        out.push(' ');
        match part {
            ParsePart::Literal(s) => out.push_str(&string(s)),
            ParsePart::Wildcard => out.push('*'),
            ParsePart::Column(n, ty) => {
                out.push_str(&ident(&n.name));
                if let Some(t) = ty {
                    let _ = write!(out, ":{}", t.as_str());
                }
            }
        }
    }
}

fn join_tail(out: &mut String, right: &TabularExpr, on: &[JoinCondition]) {
    out.push('(');
    tabular(out, right);
    out.push_str(") on ");
    for (i, c) in on.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        match c {
            JoinCondition::Column(n) => out.push_str(&ident(&n.name)),
            JoinCondition::Equal { left, right, .. } => {
                let _ = write!(
                    out,
                    "$left.{} == $right.{}",
                    ident(&left.name),
                    ident(&right.name)
                );
            }
        }
    }
}

fn keyword_list(out: &mut String, kw: &str, items: &[NamedExpr]) {
    out.push_str(kw);
    out.push(' ');
    named_list(out, items);
}

fn patterns(out: &mut String, kw: &str, ps: &[ColumnPattern]) {
    out.push_str(kw);
    out.push(' ');
    let items: Vec<String> = ps.iter().map(|p| pattern(&p.pattern)).collect();
    out.push_str(&items.join(", "));
}

fn sort_keys(out: &mut String, keys: &[SortKey]) {
    for (i, k) in keys.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        expr(out, &k.expr);
        sort_order(out, k.order);
        match k.nulls {
            Some(NullsOrder::First) => out.push_str(" nulls first"),
            Some(NullsOrder::Last) => out.push_str(" nulls last"),
            None => {}
        }
    }
}

fn sort_order(out: &mut String, o: Option<SortOrder>) {
    match o {
        Some(SortOrder::Asc) => out.push_str(" asc"),
        Some(SortOrder::Desc) => out.push_str(" desc"),
        None => {}
    }
}

fn named_list(out: &mut String, items: &[NamedExpr]) {
    for (i, ne) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        named(out, ne);
    }
}

fn named(out: &mut String, ne: &NamedExpr) {
    match ne.names.as_slice() {
        [] => {}
        [one] => {
            let _ = write!(out, "{} = ", ident(&one.name));
        }
        many => {
            let names: Vec<String> = many.iter().map(|n| ident(&n.name)).collect();
            let _ = write!(out, "({}) = ", names.join(", "));
        }
    }
    expr(out, &ne.expr);
}

fn list(out: &mut String, items: &[Expr]) {
    for (i, e) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        expr(out, e);
    }
}

fn call(out: &mut String, c: &Call) {
    out.push_str(&c.name.name);
    out.push('(');
    list(out, &c.args);
    out.push(')');
}

// ---- expressions -------------------------------------------------------------

const P_OR: u8 = 1;
const P_AND: u8 = 2;
const P_CMP: u8 = 3;
const P_ADD: u8 = 4;
const P_MUL: u8 = 5;
const P_UNARY: u8 = 6;
const P_POSTFIX: u8 = 7;
const P_PRIMARY: u8 = 8;

fn binary_prec(op: BinaryOp) -> u8 {
    match op {
        BinaryOp::Or => P_OR,
        BinaryOp::And => P_AND,
        BinaryOp::Add | BinaryOp::Sub => P_ADD,
        BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => P_MUL,
        _ => P_CMP,
    }
}

fn prec(e: &Expr) -> u8 {
    match &e.kind {
        ExprKind::Binary { op, .. } => binary_prec(*op),
        ExprKind::In { .. } | ExprKind::HasAny { .. } | ExprKind::Between { .. } => P_CMP,
        ExprKind::Unary {
            op: UnaryOp::Neg | UnaryOp::Plus,
            ..
        } => P_UNARY,
        ExprKind::Index { .. } | ExprKind::Member { .. } => P_POSTFIX,
        _ => P_PRIMARY,
    }
}

/// A literal a `-` in front of would fold into (or that starts with `-`).
fn is_number(e: &Expr) -> bool {
    matches!(
        &e.kind,
        ExprKind::Literal(Literal::Long(_) | Literal::Real(_) | Literal::TimeSpan(_))
    )
}

fn operand(out: &mut String, e: &Expr, min: u8) {
    if prec(e) < min {
        out.push('(');
        expr(out, e);
        out.push(')');
    } else {
        expr(out, e);
    }
}

fn paren(out: &mut String, e: &Expr) {
    out.push('(');
    expr(out, e);
    out.push(')');
}

fn binary_spelling(op: BinaryOp) -> String {
    match op {
        BinaryOp::Or => "or".into(),
        BinaryOp::And => "and".into(),
        BinaryOp::Eq => "==".into(),
        BinaryOp::NotEq => "!=".into(),
        BinaryOp::Lt => "<".into(),
        BinaryOp::Le => "<=".into(),
        BinaryOp::Gt => ">".into(),
        BinaryOp::Ge => ">=".into(),
        BinaryOp::EqCi => "=~".into(),
        BinaryOp::NotEqCi => "!~".into(),
        BinaryOp::Add => "+".into(),
        BinaryOp::Sub => "-".into(),
        BinaryOp::Mul => "*".into(),
        BinaryOp::Div => "/".into(),
        BinaryOp::Mod => "%".into(),
        BinaryOp::Str(s) => s.spelling(),
    }
}

fn expr(out: &mut String, e: &Expr) {
    match &e.kind {
        ExprKind::Literal(l) => literal(out, l),
        ExprKind::Name(n) => out.push_str(&ident(&n.name)),
        ExprKind::JoinSide(JoinSide::Left) => out.push_str("$left"),
        ExprKind::JoinSide(JoinSide::Right) => out.push_str("$right"),
        ExprKind::Star => out.push('*'),
        ExprKind::Subquery(t) => {
            out.push('(');
            tabular(out, t);
            out.push(')');
        }
        ExprKind::Unary {
            op: UnaryOp::Not,
            expr: inner,
        } => {
            out.push_str("not(");
            expr(out, inner);
            out.push(')');
        }
        ExprKind::Unary { op, expr: inner } => {
            out.push(if *op == UnaryOp::Neg { '-' } else { '+' });
            if is_number(inner) || prec(inner) <= P_UNARY {
                paren(out, inner);
            } else {
                expr(out, inner);
            }
        }
        ExprKind::Binary { op, left, right } => {
            let p = binary_prec(*op);
            operand(out, left, p);
            let _ = write!(out, " {} ", binary_spelling(*op));
            operand(out, right, p + 1);
        }
        ExprKind::In {
            expr: inner,
            list: items,
            negated,
            case_insensitive,
        } => {
            operand(out, inner, P_ADD);
            let _ = write!(
                out,
                " {}in{} (",
                if *negated { "!" } else { "" },
                if *case_insensitive { "~" } else { "" }
            );
            list(out, items);
            out.push(')');
        }
        ExprKind::HasAny {
            expr: inner,
            list: items,
            all,
        } => {
            operand(out, inner, P_ADD);
            let _ = write!(out, " {} (", if *all { "has_all" } else { "has_any" });
            list(out, items);
            out.push(')');
        }
        ExprKind::Between {
            expr: inner,
            low,
            high,
            negated,
        } => {
            operand(out, inner, P_ADD);
            let _ = write!(out, " {}between (", if *negated { "!" } else { "" });
            expr(out, low);
            out.push_str(" .. ");
            expr(out, high);
            out.push(')');
        }
        ExprKind::IsNull {
            expr: inner,
            negated,
        } => {
            out.push_str(if *negated { "isnotnull(" } else { "isnull(" });
            expr(out, inner);
            out.push(')');
        }
        ExprKind::Call(c) => call(out, c),
        ExprKind::Index { expr: inner, index } => {
            postfix_operand(out, inner);
            out.push('[');
            expr(out, index);
            out.push(']');
        }
        ExprKind::Member { expr: inner, name } => {
            postfix_operand(out, inner);
            out.push('.');
            out.push_str(&ident(&name.name));
        }
    }
}

fn postfix_operand(out: &mut String, e: &Expr) {
    if is_number(e) || prec(e) < P_POSTFIX {
        paren(out, e);
    } else {
        expr(out, e);
    }
}

fn literal(out: &mut String, l: &Literal) {
    match l {
        Literal::Null(None) => out.push_str("null"),
        Literal::Null(Some(t)) => {
            let _ = write!(out, "{}(null)", t.as_str());
        }
        Literal::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        // i64::MIN has no decimal literal (its negation overflows); hex reads back exactly.
        Literal::Long(i64::MIN) => out.push_str("0x8000000000000000"),
        Literal::Long(v) => {
            let _ = write!(out, "{v}");
        }
        Literal::Int(v) => {
            let _ = write!(out, "int({v})");
        }
        Literal::Real(v) => out.push_str(&real(*v)),
        Literal::String(s) => out.push_str(&string(s)),
        Literal::DateTime(us) => out.push_str(&datetime(*us)),
        Literal::TimeSpan(us) => out.push_str(&timespan(*us)),
        Literal::Guid(g) => {
            let _ = write!(out, "guid({g})");
        }
        Literal::Dynamic(v) => {
            let json = serde_json::to_string(v).unwrap_or_else(|_| "null".to_string());
            let _ = write!(out, "dynamic({json})");
        }
    }
}

/// A real as KQL: shortest round-trip digits; `real(nan)`, `real(+inf)`.
pub fn real(v: f64) -> String {
    if v.is_nan() {
        "real(nan)".to_string()
    } else if v.is_infinite() {
        if v > 0.0 { "real(+inf)" } else { "real(-inf)" }.to_string()
    } else {
        format!("{v:?}")
    }
}

/// A timespan in the largest unit that divides it: `1d`, `90m`, `1500ms`.
pub fn timespan(us: i64) -> String {
    const UNITS: [(u64, &str); 6] = [
        (86_400_000_000, "d"),
        (3_600_000_000, "h"),
        (60_000_000, "m"),
        (1_000_000, "s"),
        (1_000, "ms"),
        (1, "microsecond"),
    ];
    if us == 0 {
        return "0s".to_string();
    }
    let sign = if us < 0 { "-" } else { "" };
    let abs = us.unsigned_abs();
    let (per, unit) = UNITS
        .iter()
        .find(|(per, _)| abs % per == 0)
        .copied()
        .unwrap_or((1, "microsecond"));
    format!("{sign}{}{unit}", abs / per)
}

/// A datetime as `datetime(2026-03-08)` or `datetime(2026-03-08 16:05:12.5)`.
pub fn datetime(us: i64) -> String {
    let Some(dt) = chrono::DateTime::from_timestamp_micros(us) else {
        return format!("unixtime_microseconds_todatetime({us})");
    };
    let dt = dt.naive_utc();
    if us.rem_euclid(86_400_000_000) == 0 {
        return format!("datetime({})", dt.format("%Y-%m-%d"));
    }
    let frac = us.rem_euclid(1_000_000);
    if frac == 0 {
        format!("datetime({})", dt.format("%Y-%m-%d %H:%M:%S"))
    } else {
        let f = format!("{frac:06}");
        format!(
            "datetime({}.{})",
            dt.format("%Y-%m-%d %H:%M:%S"),
            f.trim_end_matches('0')
        )
    }
}

/// A string literal with the escapes the parser reads back.
pub fn string(s: &str) -> String {
    quote(s, '"')
}

fn quote(s: &str, q: char) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push(q);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == q => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push(q);
    out
}

fn is_plain(s: &str, wildcard: bool) -> bool {
    let mut chars = s.chars();
    let ok_first = |c: char| c.is_ascii_alphabetic() || c == '_' || (wildcard && c == '*');
    let ok_rest = |c: char| c.is_ascii_alphanumeric() || c == '_' || (wildcard && c == '*');
    matches!(chars.next(), Some(c) if ok_first(c))
        && chars.all(ok_rest)
        && !BRACKETED.contains(&s)
        && !crate::kql::RESERVED.contains(&s)
}

/// A column or let name: plain when possible, else `['…']`.
pub fn ident(name: &str) -> String {
    if is_plain(name, false) {
        name.to_string()
    } else {
        format!("[{}]", quote(name, '\''))
    }
}

/// A table name, which may hold `*` wildcards.
fn table(name: &str) -> String {
    if is_plain(name, true) {
        name.to_string()
    } else {
        format!("[{}]", quote(name, '\''))
    }
}

/// A column pattern (`set_*`).
fn pattern(p: &str) -> String {
    table(p)
}
