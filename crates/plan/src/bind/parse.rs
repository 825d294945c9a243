//! `DISSECT`, `GROK` (ES|QL) and `parse` (KQL): the pattern is compiled to one
//! regex (`crate::patterns`), and the operator becomes a projection of the
//! input plus one column per pattern field, each a call of the internal
//! `__regex_capture(text, regex, separator, group…)` (null when the text does
//! not match), converted to the field's type when it has one. No operator of
//! its own: the executor evaluates these like any `extend`.

use iishunt_syntax::ast::{self, Dialect, Span};

use super::{expr::convert_to, Binder};
use crate::error::{PlanError, Result};
use crate::expr::BoundExpr;
use crate::logical::{Filter, LogicalPlan, Project};
use crate::patterns::{self, CompiledPattern, PatternError};
use crate::schema::{Column, Schema};
use crate::types::{KType, ScalarValue};

impl<'a> Binder<'a> {
    /// ES|QL `DISSECT input "pattern" [APPEND_SEPARATOR = "sep"]`.
    pub(crate) fn bind_dissect(
        &mut self,
        plan: LogicalPlan,
        input: &ast::Expr,
        pattern: &str,
        separator: Option<&str>,
        span: Span,
    ) -> Result<LogicalPlan> {
        let text = self.bind_pattern_input(&plan, input, "DISSECT")?;
        let compiled = patterns::dissect::compile(pattern, separator.unwrap_or(""))
            .map_err(|e| pattern_error("plan::dissect_pattern", e, span))?;
        self.lower_pattern(plan, text, compiled, span)
    }

    /// ES|QL `GROK input "pattern"`.
    pub(crate) fn bind_grok(
        &mut self,
        plan: LogicalPlan,
        input: &ast::Expr,
        pattern: &str,
        span: Span,
    ) -> Result<LogicalPlan> {
        let text = self.bind_pattern_input(&plan, input, "GROK")?;
        let compiled = patterns::grok::compile(pattern)
            .map_err(|e| pattern_error("plan::grok_pattern", e, span))?;
        self.lower_pattern(plan, text, compiled, span)
    }

    /// KQL `parse [kind=… [flags=…]] input with …`.
    pub(crate) fn bind_parse(
        &mut self,
        plan: LogicalPlan,
        p: &ast::Parse,
        span: Span,
    ) -> Result<LogicalPlan> {
        let text = self.bind_pattern_input(&plan, &p.input, "parse")?;
        let compiled = patterns::kusto::compile(p.kind, p.flags.as_deref(), &p.pattern)
            .map_err(|e| pattern_error("plan::parse_pattern", e, span))?;
        self.lower_pattern(plan, text, compiled, span)
    }

    /// KQL `parse-where`: `parse`, keeping only the rows the pattern matches
    /// and whose typed fields convert (Kusto drops the others).
    pub(crate) fn bind_parse_where(
        &mut self,
        plan: LogicalPlan,
        p: &ast::Parse,
        span: Span,
    ) -> Result<LogicalPlan> {
        let text = self.bind_pattern_input(&plan, &p.input, "parse-where")?;
        let compiled = patterns::kusto::compile(p.kind, p.flags.as_deref(), &p.pattern)
            .map_err(|e| pattern_error("plan::parse_pattern", e, span))?;
        let regex = compiled.regex.clone();
        let mut fields: Vec<String> = Vec::new();
        for f in &compiled.fields {
            if !fields.contains(&f.name) {
                fields.push(f.name.clone());
            }
        }
        // The whole match (group 0) is null when the text does not match.
        let matched = self.call_op(
            "__regex_capture",
            vec![
                text.clone(),
                BoundExpr::Literal(ScalarValue::String(regex)),
                BoundExpr::Literal(ScalarValue::String(String::new())),
                BoundExpr::Literal(ScalarValue::Long(0)),
            ],
            span,
        )?;
        let matched = self.call_op("isnotnull", vec![matched], span)?;
        let filtered = LogicalPlan::Filter(Filter {
            input: Box::new(plan),
            predicate: matched,
        });
        let parsed = self.lower_pattern(filtered, text, compiled, span)?;
        // A typed field that does not convert is null: drop its row.
        let mut predicate: Option<BoundExpr> = None;
        for name in &fields {
            let Some(i) = parsed.schema().index_of(name) else {
                continue;
            };
            let ty = parsed.schema().columns[i].ty;
            if ty.is_stringy() {
                continue;
            }
            let column = BoundExpr::Column {
                index: i,
                name: name.clone(),
                ty,
            };
            let test = self.call_op("isnotnull", vec![column], span)?;
            predicate = Some(match predicate {
                None => test,
                Some(p) => self.call_op("__and", vec![p, test], span)?,
            });
        }
        Ok(match predicate {
            None => parsed,
            Some(predicate) => LogicalPlan::Filter(Filter {
                input: Box::new(parsed),
                predicate,
            }),
        })
    }

    /// The text to match. ES|QL wants a string field; KQL converts any value
    /// to its string, as Kusto's `parse` does.
    fn bind_pattern_input(
        &mut self,
        plan: &LogicalPlan,
        input: &ast::Expr,
        operator: &str,
    ) -> Result<BoundExpr> {
        let bound = self.bind_expr(input, plan.schema(), None)?;
        if bound.ty().is_stringy() {
            return Ok(bound);
        }
        if self.dialect == Dialect::Esql {
            return Err(PlanError::new(
                "plan::pattern_input_type",
                input.span,
                format!(
                    "{operator} reads a string (keyword) field, but this is {}",
                    esql_type_name(bound.ty())
                ),
                "not a string",
            )
            .with_help(format!(
                "convert it first: `| EVAL s = TO_STRING(…) | {operator} s \"…\"`"
            )));
        }
        convert_to(bound, KType::String, self)
            .map_err(|m| PlanError::new("plan::pattern_input_type", input.span, m, "not text"))
    }

    /// The input's columns plus one per field. A field named like an input
    /// column replaces it: in place in KQL (as `extend`), moved to the end in
    /// ES|QL (as `EVAL`, and as Elasticsearch's DISSECT and GROK do).
    fn lower_pattern(
        &mut self,
        plan: LogicalPlan,
        text: BoundExpr,
        compiled: CompiledPattern,
        span: Span,
    ) -> Result<LogicalPlan> {
        let in_schema = plan.schema().clone();
        let mut columns = in_schema.columns.clone();
        let mut exprs: Vec<BoundExpr> = columns
            .iter()
            .enumerate()
            .map(|(index, c)| BoundExpr::Column {
                index,
                name: c.name.clone(),
                ty: c.ty,
            })
            .collect();
        // A name captured more than once (GROK `%{IP:ip} %{IP:ip}`) is one
        // multi-valued column of its captures, in pattern order.
        let mut fields: Vec<(String, Vec<BoundExpr>)> = Vec::new();
        for field in compiled.fields {
            let mut args = vec![
                text.clone(),
                BoundExpr::Literal(ScalarValue::String(compiled.regex.clone())),
                BoundExpr::Literal(ScalarValue::String(field.separator.clone())),
            ];
            args.extend(
                field
                    .groups
                    .iter()
                    .map(|g| BoundExpr::Literal(ScalarValue::Long(*g as i64))),
            );
            let capture = self.call_op("__regex_capture", args, span)?;
            let value = convert_to(capture, field.ty, self).map_err(|m| {
                PlanError::new(
                    "plan::internal",
                    span,
                    format!("{m} (this is a bug)"),
                    "converting a pattern field",
                )
            })?;
            match fields.iter_mut().find(|(n, _)| *n == field.name) {
                Some((_, values)) => values.push(value),
                None => fields.push((field.name, vec![value])),
            }
        }
        for (name, mut values) in fields {
            let value = if values.len() == 1 {
                values.remove(0)
            } else {
                self.call_op("pack_array", values, span)?
            };
            let col = Column {
                name,
                ty: value.ty(),
            };
            match columns.iter().position(|c| c.name == col.name) {
                Some(i) if self.dialect == Dialect::Esql => {
                    columns.remove(i);
                    exprs.remove(i);
                    columns.push(col);
                    exprs.push(value);
                }
                Some(i) => {
                    columns[i] = col;
                    exprs[i] = value;
                }
                None => {
                    columns.push(col);
                    exprs.push(value);
                }
            }
        }
        Ok(LogicalPlan::Project(Project {
            input: Box::new(plan),
            exprs,
            schema: Schema::new(columns),
        }))
    }
}

fn pattern_error(code: &'static str, e: PatternError, span: Span) -> PlanError {
    let err = PlanError::new(code, e.span.unwrap_or(span), e.message, "in this pattern");
    match e.help {
        Some(h) => err.with_help(h),
        None => err,
    }
}

/// ES|QL's names for the types a user may try to DISSECT.
fn esql_type_name(t: KType) -> &'static str {
    match t {
        KType::Int => "an integer",
        KType::Long => "a long",
        KType::Real | KType::Decimal => "a double",
        KType::Bool => "a boolean",
        KType::DateTime => "a date",
        KType::TimeSpan => "a time duration",
        KType::Dynamic => "a multi-valued or object field",
        KType::String | KType::Guid => "a keyword",
    }
}
