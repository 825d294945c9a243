//! User functions' arguments, including tables: `let f = (T:(*), n:long) {
//! T | take n };` is called as `f(W3CIISLog, 5)` or, with its input piped
//! in, `W3CIISLog | invoke f(5)`. A table parameter is bound to the plan of
//! the table passed, so the body reads it like any table.

use std::collections::HashMap;

use iishunt_syntax::ast::{self, ParamType};

use super::{Binder, Binding};
use crate::error::{PlanError, Result};
use crate::expr::BoundExpr;
use crate::logical::LogicalPlan;
use crate::schema::Schema;

/// One argument of a user function call.
#[derive(Debug, Clone)]
pub(crate) enum FunctionArg {
    Scalar(BoundExpr),
    Table(LogicalPlan),
}

impl<'a> Binder<'a> {
    /// `T | invoke f(args)`: `f(T, args)`.
    pub(crate) fn bind_invoke(
        &mut self,
        input: LogicalPlan,
        call: &ast::Call,
        span: ast::Span,
    ) -> Result<LogicalPlan> {
        let Some(Binding::Function(f)) = self.lookup(&call.name.name).cloned() else {
            return Err(PlanError::new(
                "plan::unknown_function",
                call.name.span,
                format!("unknown function `{}`", call.name.name),
                "not a `let` function",
            )
            .with_help("define it first, e.g. `let f = (T:(*)) { T | take 5 };`"));
        };
        if !matches!(f.params.first().map(|p| &p.ty), Some(ParamType::Tabular(_))) {
            return Err(PlanError::new(
                "plan::invoke",
                call.span,
                format!(
                    "`invoke` passes its input as the first argument, but the first parameter of `{}` is not a table",
                    call.name.name
                ),
                "here",
            )
            .with_help("declare it as a table: `let f = (T:(*), …) { T | … };`"));
        }
        let args = self.function_args(&f, &call.args, Some(input))?;
        self.bind_function_body(&f, &args, span)
    }

    /// Binds call arguments by the parameters they meet: a table parameter
    /// takes a table or tabular `let` name, or `(T | …)`; the rest are values.
    /// `input` is the piped-in table of `invoke`, the first argument.
    pub(crate) fn function_args(
        &mut self,
        f: &ast::FunctionDef,
        exprs: &[ast::Expr],
        input: Option<LogicalPlan>,
    ) -> Result<Vec<FunctionArg>> {
        let mut args: Vec<FunctionArg> = input.into_iter().map(FunctionArg::Table).collect();
        for e in exprs {
            let param = f.params.get(args.len());
            let arg = match param.map(|p| &p.ty) {
                Some(ParamType::Tabular(_)) => {
                    let plan = self.tabular_operand(e, &Schema::default())?;
                    FunctionArg::Table(plan.ok_or_else(|| {
                        PlanError::new(
                            "plan::argument_type",
                            e.span,
                            format!(
                                "parameter `{}` is a table: pass a table, a tabular `let` or `(T | …)`",
                                param.map_or("", |p| p.name.name.as_str())
                            ),
                            "not a table",
                        )
                    })?)
                }
                _ => FunctionArg::Scalar(self.bind_expr(e, &Schema::default(), None)?),
            };
            args.push(arg);
        }
        Ok(args)
    }

    /// The scope of a call: each parameter bound to its argument or default.
    pub(crate) fn function_scope(
        &mut self,
        f: &ast::FunctionDef,
        args: &[FunctionArg],
        span: ast::Span,
    ) -> Result<HashMap<String, Binding>> {
        if args.len() > f.params.len() {
            return Err(PlanError::new(
                "plan::arity",
                span,
                format!(
                    "this function takes {} arguments, got {}",
                    f.params.len(),
                    args.len()
                ),
                "too many arguments",
            ));
        }
        let mut scope = HashMap::new();
        for (i, p) in f.params.iter().enumerate() {
            let binding = match (&p.ty, args.get(i), &p.default) {
                (ParamType::Tabular(columns), Some(FunctionArg::Table(plan)), _) => {
                    for (name, _) in columns {
                        if plan.schema().index_of(&name.name).is_none() {
                            return Err(PlanError::new(
                                "plan::argument_type",
                                span,
                                format!(
                                    "the table passed as `{}` has no column `{}`",
                                    p.name.name, name.name
                                ),
                                "called here",
                            ));
                        }
                    }
                    Binding::Plan(Box::new(plan.clone()))
                }
                (ParamType::Scalar(_), Some(FunctionArg::Scalar(value)), _) => {
                    Binding::Scalar(value.clone())
                }
                (ParamType::Scalar(_), None, Some(d)) => {
                    Binding::Scalar(self.bind_expr(d, &Schema::default(), None)?)
                }
                (ParamType::Scalar(_), Some(FunctionArg::Table(_)), _)
                | (ParamType::Tabular(_), Some(FunctionArg::Scalar(_)), _) => {
                    let what = match p.ty {
                        ParamType::Tabular(_) => "a table, not a value",
                        ParamType::Scalar(_) => "a value, not a table",
                    };
                    return Err(PlanError::new(
                        "plan::argument_type",
                        span,
                        format!("parameter `{}` is {what}", p.name.name),
                        "called here",
                    ));
                }
                (_, None, _) => {
                    return Err(PlanError::new(
                        "plan::arity",
                        span,
                        format!("missing argument `{}`", p.name.name),
                        "called here",
                    ))
                }
            };
            scope.insert(p.name.name.clone(), binding);
        }
        Ok(scope)
    }
}
