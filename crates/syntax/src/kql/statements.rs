//! Query structure: statements, `let` (scalar, tabular, function), `set`,
//! tabular expressions and their sources.
//!
//! Entry point of the AST builder (`query`), called by `kql::parse`; hands
//! each `| operator` to `operators.rs` and each expression to `expr.rs`.

use pest::iterators::Pair;

use super::expr::{call, expr, named_expr_list};
use super::literals::string_lit;
use super::names::{name, table_name, type_name};
use super::operators::{table_only, tabular_operator, union_body};
use super::{internal, span_of, Cursor, Result, Rule};
use crate::ast::{
    Dialect, Expr, ExprKind, Find, FindProject, FunctionDef, LetStatement, LetValue, Literal,
    Param, ParamType, Query, SetStatement, Source, SourceKind, Statement, TabularExpr,
};
use crate::error::SyntaxError;

/// `query` → [`Query`].
pub(super) fn query(pair: Pair<'_, Rule>) -> Result<Query> {
    let span = span_of(&pair);
    let mut statements = Vec::new();
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::EOI => {}
            _ => statements.push(statement(p)?),
        }
    }
    if statements.is_empty() {
        return Err(SyntaxError {
            code: "kql::empty",
            message: "the query is empty".to_string(),
            span,
            label: "no statement here".to_string(),
            help: Some("start with a table, for example `W3CIISLog | take 10`".to_string()),
        });
    }
    Ok(Query {
        dialect: Dialect::Kql,
        statements,
        span,
    })
}

/// One statement: `let`, `set` or a tabular expression.
fn statement(pair: Pair<'_, Rule>) -> Result<Statement> {
    match pair.as_rule() {
        Rule::let_stmt => Ok(Statement::Let(let_stmt(pair)?)),
        Rule::set_stmt => Ok(Statement::Set(set_stmt(pair)?)),
        Rule::tabular_expr => Ok(Statement::Tabular(tabular_expr(pair)?)),
        _ => Err(internal("statements::statement", span_of(&pair))),
    }
}

/// `let name = value`.
fn let_stmt(pair: Pair<'_, Rule>) -> Result<LetStatement> {
    let span = span_of(&pair);
    let mut c = Cursor::new(pair, "statements::let_stmt");
    c.expect(Rule::kw_let)?;
    let name = name(c.expect(Rule::name)?)?;
    c.expect(Rule::assign)?;
    let v = c.next_pair()?;
    let value = match v.as_rule() {
        Rule::function_def => LetValue::Function(function_def(v)?),
        Rule::let_tabular => LetValue::Tabular(tabular_from(v, "statements::let_tabular")?),
        Rule::expr => LetValue::Scalar(expr(v)?),
        _ => return Err(c.bug()),
    };
    Ok(LetStatement { name, value, span })
}

/// `set name [= value]`.
fn set_stmt(pair: Pair<'_, Rule>) -> Result<SetStatement> {
    let span = span_of(&pair);
    let mut c = Cursor::new(pair, "statements::set_stmt");
    c.expect(Rule::kw_set)?;
    let name = name(c.expect(Rule::name)?)?;
    let value = match c.take_rule(Rule::expr) {
        Some(e) => Some(expr(e)?),
        None => None,
    };
    Ok(SetStatement { name, value, span })
}

/// `(x:string, n:long = 5) { body }`.
fn function_def(pair: Pair<'_, Rule>) -> Result<FunctionDef> {
    let span = span_of(&pair);
    let mut params = Vec::new();
    let mut body = Vec::new();
    let mut scalar_result = None;
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::kw_view => {}
            Rule::param => params.push(param(p)?),
            Rule::fn_body => {
                for s in p.into_inner() {
                    match s.as_rule() {
                        Rule::let_stmt => body.push(Statement::Let(let_stmt(s)?)),
                        Rule::fn_tabular => {
                            body.push(Statement::Tabular(tabular_from(
                                s,
                                "statements::fn_tabular",
                            )?));
                        }
                        Rule::expr => scalar_result = Some(expr(s)?),
                        _ => return Err(internal("statements::function_def", span_of(&s))),
                    }
                }
            }
            _ => return Err(internal("statements::function_def", span_of(&p))),
        }
    }
    Ok(FunctionDef {
        params,
        body,
        scalar_result,
        span,
    })
}

/// `x:string`, `n:long = 5`, `T:(*)`, `T:(a:string)`.
fn param(pair: Pair<'_, Rule>) -> Result<Param> {
    let span = span_of(&pair);
    let mut c = Cursor::new(pair, "statements::param");
    let name = name(c.expect(Rule::name)?)?;
    let t = c.next_pair()?;
    let ty = match t.as_rule() {
        Rule::type_name => ParamType::Scalar(type_name(t)?),
        Rule::tabular_type => {
            ParamType::Tabular(t.into_inner().map(column_decl).collect::<Result<_>>()?)
        }
        _ => return Err(c.bug()),
    };
    let default = match c.take_rule(Rule::expr) {
        Some(e) => Some(expr(e)?),
        None => None,
    };
    Ok(Param {
        name,
        ty,
        default,
        span,
    })
}

/// `a:string` in declarations.
pub(super) fn column_decl(
    pair: Pair<'_, Rule>,
) -> Result<(crate::ast::Ident, crate::ast::TypeName)> {
    let mut c = Cursor::new(pair, "statements::column_decl");
    let n = name(c.expect(Rule::name)?)?;
    let t = type_name(c.expect(Rule::type_name)?)?;
    Ok((n, t))
}

/// `tabular_expr` → [`TabularExpr`].
pub(super) fn tabular_expr(pair: Pair<'_, Rule>) -> Result<TabularExpr> {
    tabular_from(pair, "statements::tabular_expr")
}

/// A source followed by `| operator`s, from `tabular_expr` or `let_tabular`.
fn tabular_from(pair: Pair<'_, Rule>, func: &'static str) -> Result<TabularExpr> {
    let span = span_of(&pair);
    let mut c = Cursor::new(pair, func);
    let source = source(c.next_pair()?)?;
    let mut operators = Vec::new();
    for p in c {
        match p.as_rule() {
            Rule::pipe => {}
            Rule::tabular_operator => operators.push(tabular_operator(p)?),
            _ => return Err(internal(func, span_of(&p))),
        }
    }
    Ok(TabularExpr {
        source,
        operators,
        span,
    })
}

/// `source` or one of its alternatives → [`Source`].
fn source(pair: Pair<'_, Rule>) -> Result<Source> {
    let span = span_of(&pair);
    let kind = match pair.as_rule() {
        Rule::source => {
            let inner = pair
                .into_inner()
                .next()
                .ok_or_else(|| internal("statements::source", span))?;
            return source(inner);
        }
        Rule::table_source => {
            let mut c = Cursor::new(pair, "statements::table_source");
            SourceKind::Table(vec![table_name(c.expect(Rule::table_name)?)?])
        }
        Rule::call_source => {
            let mut c = Cursor::new(pair, "statements::call_source");
            SourceKind::Call(call(c.expect(Rule::call)?)?)
        }
        Rule::nested_source => {
            let mut c = Cursor::new(pair, "statements::nested_source");
            SourceKind::Nested(Box::new(tabular_expr(c.expect(Rule::tabular_expr)?)?))
        }
        Rule::materialize_source => {
            let mut c = Cursor::new(pair, "statements::materialize_source");
            c.expect(Rule::kw_materialize)?;
            SourceKind::Materialize(Box::new(tabular_expr(c.expect(Rule::tabular_expr)?)?))
        }
        Rule::print_source => {
            let mut c = Cursor::new(pair, "statements::print_source");
            c.expect(Rule::kw_print)?;
            match c.take_rule(Rule::named_expr_list) {
                Some(l) => SourceKind::Print(named_expr_list(l)?),
                None => SourceKind::Print(Vec::new()),
            }
        }
        Rule::range_source => range_source(pair)?,
        Rule::datatable_source => datatable_source(pair)?,
        Rule::externaldata_source => externaldata_source(pair)?,
        Rule::union_source => {
            let mut c = Cursor::new(pair, "statements::union_source");
            c.expect(Rule::kw_union)?;
            SourceKind::Union(union_body(c.expect(Rule::union_body)?)?)
        }
        Rule::search_source => search_source(pair)?,
        Rule::find_source => find_source(pair)?,
        _ => return Err(internal("statements::source", span)),
    };
    Ok(Source { kind, span })
}

/// `range x from a to b step s`.
fn range_source(pair: Pair<'_, Rule>) -> Result<SourceKind> {
    let mut c = Cursor::new(pair, "statements::range_source");
    c.expect(Rule::kw_range)?;
    let column = name(c.expect(Rule::name)?)?;
    c.expect(Rule::kw_from)?;
    let from = expr(c.expect(Rule::expr)?)?;
    c.expect(Rule::kw_to)?;
    let to = expr(c.expect(Rule::expr)?)?;
    c.expect(Rule::kw_step)?;
    let step = expr(c.expect(Rule::expr)?)?;
    Ok(SourceKind::Range {
        column,
        from,
        to,
        step,
    })
}

/// `datatable(a:long, b:string) [1, "x", ...]`.
fn datatable_source(pair: Pair<'_, Rule>) -> Result<SourceKind> {
    let mut c = Cursor::new(pair, "statements::datatable_source");
    c.expect(Rule::kw_datatable)?;
    let mut columns = Vec::new();
    let mut values = Vec::new();
    for p in c {
        match p.as_rule() {
            Rule::column_decl => columns.push(column_decl(p)?),
            Rule::expr => values.push(expr(p)?),
            _ => return Err(internal("statements::datatable_source", span_of(&p))),
        }
    }
    Ok(SourceKind::Datatable { columns, values })
}

/// `externaldata (a:string, ...) [@"file", ...] with (format="csv", ...)`.
fn externaldata_source(pair: Pair<'_, Rule>) -> Result<SourceKind> {
    let mut c = Cursor::new(pair, "statements::externaldata_source");
    c.expect(Rule::kw_externaldata)?;
    let mut columns = Vec::new();
    let mut paths = Vec::new();
    let mut properties = Vec::new();
    for p in c {
        match p.as_rule() {
            Rule::column_decl => columns.push(column_decl(p)?),
            Rule::string_lit => {
                let span = span_of(&p);
                paths.push(Expr {
                    kind: ExprKind::Literal(Literal::String(string_lit(p)?)),
                    span,
                });
            }
            Rule::kw_with => {}
            Rule::property => {
                let mut pc = Cursor::new(p, "statements::externaldata_property");
                let key = name(pc.expect(Rule::name)?)?;
                for v in pc {
                    properties.push((key.clone(), expr(v)?));
                }
            }
            _ => return Err(internal("statements::externaldata_source", span_of(&p))),
        }
    }
    Ok(SourceKind::ExternalData {
        columns,
        paths,
        properties,
    })
}

/// `find [withsource=C] [in (…) where | where] predicate [project …]`.
fn find_source(pair: Pair<'_, Rule>) -> Result<SourceKind> {
    let mut find = Find {
        withsource: None,
        tables: Vec::new(),
        predicate: Expr::new(ExprKind::Literal(Literal::Bool(true)), span_of(&pair)),
        project: None,
    };
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::kw_find | Rule::kw_where => {}
            Rule::find_withsource => {
                let mut c = Cursor::new(p, "statements::find_withsource");
                c.expect(Rule::kw_withsource)?;
                find.withsource = Some(name(c.expect(Rule::name)?)?);
            }
            Rule::find_in => {
                for t in p.into_inner() {
                    match t.as_rule() {
                        Rule::kw_in => {}
                        Rule::table_name => find.tables.push(table_only(table_name(t)?)),
                        Rule::nested_source => {
                            let mut c = Cursor::new(t, "statements::find_in");
                            find.tables
                                .push(tabular_expr(c.expect(Rule::tabular_expr)?)?);
                        }
                        _ => return Err(internal("statements::find_in", span_of(&t))),
                    }
                }
            }
            Rule::expr => find.predicate = expr(p)?,
            Rule::find_project => {
                let mut columns = Vec::new();
                let mut pack_all = false;
                let mut smart = false;
                for c in p.into_inner() {
                    match c.as_rule() {
                        Rule::kw_project => {}
                        Rule::kw_project_smart => smart = true,
                        Rule::find_pack_all => pack_all = true,
                        Rule::column_decl => {
                            let (n, t) = column_decl(c)?;
                            columns.push((n, Some(t)));
                        }
                        Rule::name => columns.push((name(c)?, None)),
                        _ => return Err(internal("statements::find_project", span_of(&c))),
                    }
                }
                if !smart {
                    find.project = Some(FindProject { columns, pack_all });
                }
            }
            _ => return Err(internal("statements::find_source", span_of(&p))),
        }
    }
    Ok(SourceKind::Find(find))
}

/// `search [in (T1, T2)] predicate`.
fn search_source(pair: Pair<'_, Rule>) -> Result<SourceKind> {
    let mut c = Cursor::new(pair, "statements::search_source");
    c.expect(Rule::kw_search)?;
    let mut tables = Vec::new();
    if let Some(inp) = c.take_rule(Rule::search_in) {
        for t in inp.into_inner() {
            if t.as_rule() == Rule::table_name {
                tables.push(table_name(t)?);
            }
        }
    }
    let predicate = expr(c.expect(Rule::expr)?)?;
    Ok(SourceKind::Search { tables, predicate })
}
