//! Calls whose arguments are not plain values, bound before the registry's
//! ordinary path (expr.rs `bind_call`): a trailing `typeof(T)` that converts
//! the result (`extract(re, 1, s, typeof(int))`, `extract_json(p, j,
//! typeof(long))`, `percentile_tdigest(d, p, typeof(long))`), a table
//! argument (`column_names_of(T)`) and column references taken by name
//! (`bag_pack_columns(a, b)`).

use iishunt_syntax::ast::{self, ExprKind};

use super::expr::{arity_error, convert_to};
use super::{Binder, Binding};
use crate::error::{PlanError, Result};
use crate::expr::BoundExpr;
use crate::functions::lookup_scalar;
use crate::schema::Schema;
use crate::types::{KType, ScalarValue};

/// The `set` options the binder reads: `bin_auto`'s bin size and origin.
pub(crate) const READ_SETTINGS: &[&str] = &["query_bin_auto_size", "query_bin_auto_at"];

/// The functions that take a last `typeof(T)`: (name, arguments with it).
const TYPED: &[(&str, usize)] = &[
    ("percentile_tdigest", 3),
    ("extract", 4),
    ("extract_json", 3),
    ("extractjson", 3),
];

/// The type `typeof(T)` names, if `e` is one.
pub(crate) fn typeof_type(e: &ast::Expr) -> Option<KType> {
    match &e.kind {
        ExprKind::Call(t) if t.name.name == "typeof" && t.args.len() == 1 => {
            match &t.args[0].kind {
                ExprKind::Name(n) => ast::TypeName::parse(&n.name).map(KType::from),
                _ => None,
            }
        }
        _ => None,
    }
}

impl<'a> Binder<'a> {
    /// `f(…, typeof(T))` for a function of [`TYPED`]: `f(…)` converted to T
    /// (null when the conversion fails, as Kusto); `None` for any other call.
    pub(crate) fn bind_typed_call(
        &mut self,
        call: &ast::Call,
        schema: &Schema,
    ) -> Result<Option<BoundExpr>> {
        let name = call.name.name.as_str();
        let Some(&(_, n)) = TYPED.iter().find(|(f, _)| *f == name) else {
            return Ok(None);
        };
        if call.args.len() != n || self.lookup(name).is_some() {
            return Ok(None);
        }
        let last = &call.args[n - 1];
        let Some(ty) = typeof_type(last) else {
            return Err(PlanError::new(
                "plan::argument_type",
                last.span,
                format!("the last argument of `{name}` must be a type, such as typeof(long)"),
                "not a type",
            ));
        };
        let Some(func) = lookup_scalar(name) else {
            return Ok(None);
        };
        let mut args = Vec::new();
        for a in &call.args[..n - 1] {
            args.push(self.bind_expr(a, schema, None)?);
        }
        let value = self.finish_call(func, args, call.span)?;
        convert_to(value, ty, self)
            .map(Some)
            .map_err(|m| PlanError::new("plan::argument_type", last.span, m, "here"))
    }

    /// `bin_auto(x)`: `bin_at(x, size, at)` with the size and origin of
    /// `set query_bin_auto_size = …` and `set query_bin_auto_at = …` (no
    /// origin: `bin(x, size)`); without a size, an error.
    pub(crate) fn bind_bin_auto(&mut self, call: &ast::Call, schema: &Schema) -> Result<BoundExpr> {
        let [arg] = call.args.as_slice() else {
            let arity = crate::functions::Arity::exact(1);
            return Err(arity_error("bin_auto", arity, call.args.len(), call.span));
        };
        let Some(size) = self.settings.get("query_bin_auto_size").cloned() else {
            return Err(PlanError::new(
                "plan::bin_auto",
                call.span,
                "`bin_auto` takes its bin size from `set query_bin_auto_size = …`, and the query sets none",
                "no bin size",
            )
            .with_help("start the query with e.g. `set query_bin_auto_size=1h;`, or write bin(x, 1h)"));
        };
        let at = self.settings.get("query_bin_auto_at").cloned();
        let mut args = vec![
            self.bind_expr(arg, schema, None)?,
            self.bind_expr(&size, schema, None)?,
        ];
        let name = match at {
            Some(at) => {
                args.push(self.bind_expr(&at, schema, None)?);
                "bin_at"
            }
            None => "bin",
        };
        let Some(func) = lookup_scalar(name) else {
            return Err(PlanError::new(
                "plan::internal",
                call.span,
                format!("the engine has no `{name}` (this is a bug)"),
                "here",
            ));
        };
        self.finish_call(func, args, call.span)
    }

    /// `column_names_of(T)`: the column names of a table, a tabular `let`
    /// or a tabular function's result, as a dynamic array of strings.
    pub(crate) fn bind_column_names_of(
        &mut self,
        call: &ast::Call,
        schema: &Schema,
    ) -> Result<BoundExpr> {
        let [arg] = call.args.as_slice() else {
            let arity = crate::functions::Arity::exact(1);
            return Err(arity_error(
                "column_names_of",
                arity,
                call.args.len(),
                call.span,
            ));
        };
        let plan = match &arg.kind {
            ExprKind::Call(c) if matches!(self.lookup(&c.name.name), Some(Binding::Function(f)) if f.scalar_result.is_none()) => {
                Some(self.bind_tabular_call(c)?)
            }
            _ => self.tabular_operand(arg, schema)?,
        };
        let Some(plan) = plan else {
            return Err(PlanError::new(
                "plan::argument_type",
                arg.span,
                "`column_names_of` takes a table: a table name, a tabular `let` or a tabular function call",
                "not a table",
            ));
        };
        let names = plan
            .schema()
            .columns
            .iter()
            .map(|c| serde_json::Value::String(c.name.clone()))
            .collect();
        Ok(BoundExpr::Literal(ScalarValue::Dynamic(
            serde_json::Value::Array(names),
        )))
    }

    /// `bag_pack_columns(a, b, …)`: a bag of the named columns, bound as the
    /// `bag_pack_columns` kernel over (name, value, name, value, …).
    pub(crate) fn bind_bag_pack_columns(
        &mut self,
        call: &ast::Call,
        schema: &Schema,
    ) -> Result<BoundExpr> {
        let Some(func) = lookup_scalar("bag_pack_columns") else {
            return Err(PlanError::new(
                "plan::internal",
                call.span,
                "the engine has no `bag_pack_columns` (this is a bug)",
                "here",
            ));
        };
        if call.args.is_empty() {
            return Err(arity_error(func.name, func.arity, 0, call.span));
        }
        let mut args = Vec::new();
        for a in &call.args {
            let ExprKind::Name(n) = &a.kind else {
                return Err(PlanError::new(
                    "plan::argument_type",
                    a.span,
                    "`bag_pack_columns` takes column names",
                    "not a column",
                ));
            };
            let value = self.bind_expr(a, schema, None)?;
            args.push(BoundExpr::Literal(ScalarValue::String(n.name.clone())));
            args.push(value);
        }
        Ok(BoundExpr::Call {
            func,
            args,
            ty: KType::Dynamic,
        })
    }
}
