//! Binding expressions: names to columns or `let` values, operators to the
//! registry's `__` functions, calls to registry entries, with Kusto's implicit
//! conversions (a string compared with a number is compared as a number).

use iishunt_syntax::ast::{self, BinaryOp, Dialect, ExprKind, Literal, StrOpKind, UnaryOp};

use super::summarize::AggCollector;
use super::{Binder, Binding};
use crate::error::{PlanError, Result};
use crate::expr::BoundExpr;
use crate::functions::{lookup_aggregate, lookup_scalar, scalar_functions, ScalarFunction};
use crate::logical::LogicalPlan;
use crate::schema::Schema;
use crate::suggest::did_you_mean;
use crate::types::{KType, ScalarValue};

impl<'a> Binder<'a> {
    /// Binds `e` against the columns of `schema`. Inside `summarize`, `agg`
    /// collects aggregate calls and returns a reference to their output.
    pub(crate) fn bind_expr(
        &mut self,
        e: &ast::Expr,
        schema: &Schema,
        mut agg: Option<&mut AggCollector>,
    ) -> Result<BoundExpr> {
        let span = e.span;
        match &e.kind {
            ExprKind::Literal(l) => Ok(BoundExpr::Literal(literal(l))),
            ExprKind::Name(ident) => self.bind_name(ident, schema),
            ExprKind::JoinSide(_) => Err(PlanError::new(
                "plan::join_side",
                span,
                "`$left` / `$right` can only be used in a join's `on` clause",
                "here",
            )),
            ExprKind::Star => Err(PlanError::new(
                "plan::star",
                span,
                "`*` is not a value here",
                "here",
            )),
            ExprKind::Subquery(_) => Err(PlanError::new(
                "plan::subquery_position",
                span,
                "a tabular expression can only be used as `toscalar(T | ...)` or `x in (T | ...)`",
                "a table, not a value",
            )
            .with_help("wrap it: `toscalar(T | ...)` gives the first value of its first column")),
            ExprKind::Unary { op, expr } => {
                let inner = self.bind_expr(expr, schema, agg)?;
                match op {
                    UnaryOp::Plus => Ok(inner),
                    UnaryOp::Neg if self.dialect == Dialect::Esql => {
                        self.call_op("__esql_neg", vec![inner], span)
                    }
                    UnaryOp::Neg => self.call_op("__neg", vec![inner], span),
                    UnaryOp::Not => self.call_op("__not", vec![inner], span),
                }
            }
            ExprKind::Binary { op, left, right } => {
                let l = self.bind_expr(left, schema, agg.as_deref_mut())?;
                let r = self.bind_expr(right, schema, agg)?;
                self.bind_binary(*op, l, r, span)
            }
            ExprKind::In {
                expr,
                list,
                negated,
                case_insensitive,
            } => {
                let x = self.bind_expr(expr, schema, agg.as_deref_mut())?;
                let mut args = vec![x];
                for item in list {
                    if let Some(values) = self.tabular_values(item, schema)? {
                        args.push(values);
                        continue;
                    }
                    let b = self.bind_expr(item, schema, agg.as_deref_mut())?;
                    args.push(self.fold_or_keep(b));
                }
                let name = if *case_insensitive { "__in_ci" } else { "__in" };
                let esql = self.dialect == Dialect::Esql;
                let kept = if esql { args.clone() } else { Vec::new() };
                let mut call = self.call_op(name, args, span)?;
                if esql {
                    // ES|QL: null when x is null, or nothing matched and the list holds a null.
                    let mut three = vec![call];
                    three.extend(kept);
                    call = self.call_op("__esql_in3", three, span)?;
                }
                if *negated {
                    self.call_op("__not", vec![call], span)
                } else {
                    Ok(call)
                }
            }
            ExprKind::HasAny { expr, list, all } => {
                let x = self.bind_expr(expr, schema, agg.as_deref_mut())?;
                let x = to_string_expr(x, self);
                let mut args = vec![x];
                for item in list {
                    let b = self.bind_expr(item, schema, agg.as_deref_mut())?;
                    args.push(self.fold_or_keep(b));
                }
                self.call_op(if *all { "__has_all" } else { "__has_any" }, args, span)
            }
            ExprKind::Between {
                expr,
                low,
                high,
                negated,
            } => {
                let x = self.bind_expr(expr, schema, agg.as_deref_mut())?;
                let lo = self.bind_expr(low, schema, agg.as_deref_mut())?;
                let hi = self.bind_expr(high, schema, agg)?;
                // `t between (start .. 1h)`: a timespan upper bound is relative to the lower one.
                let hi = if x.ty() == KType::DateTime && hi.ty() == KType::TimeSpan {
                    self.call_op("__add", vec![lo.clone(), hi], span)?
                } else {
                    hi
                };
                let ge = self.bind_binary(BinaryOp::Ge, x.clone(), lo, span)?;
                let le = self.bind_binary(BinaryOp::Le, x, hi, span)?;
                let both = self.call_op("__and", vec![ge, le], span)?;
                if *negated {
                    self.call_op("__not", vec![both], span)
                } else {
                    Ok(both)
                }
            }
            ExprKind::IsNull { expr, negated } => {
                let x = self.bind_expr(expr, schema, agg)?;
                // ES|QL: absent values are null; a null string is null, not "".
                self.call_op(if *negated { "isnotnull" } else { "isnull" }, vec![x], span)
            }
            ExprKind::Call(call) => self.bind_call(call, schema, agg),
            ExprKind::Index { expr, index } => {
                let x = self.bind_expr(expr, schema, agg.as_deref_mut())?;
                let i = self.bind_expr(index, schema, agg)?;
                self.call_op("__index", vec![x, i], span)
            }
            ExprKind::Member { expr, name } => {
                let x = self.bind_expr(expr, schema, agg)?;
                let key = BoundExpr::Literal(ScalarValue::String(name.name.clone()));
                self.call_op("__member", vec![x, key], span)
            }
        }
    }

    /// `x in (T)` / `x in (T | ...)`: the values of T's first column,
    /// computed now, as one dynamic array.
    fn tabular_values(&mut self, item: &ast::Expr, schema: &Schema) -> Result<Option<BoundExpr>> {
        let Some(plan) = self.tabular_operand(item, schema)? else {
            return Ok(None);
        };
        let values = self.run_subquery(plan, item.span)?;
        let json: Vec<serde_json::Value> = values.iter().map(scalar_to_json).collect();
        Ok(Some(BoundExpr::Literal(ScalarValue::Dynamic(
            serde_json::Value::Array(json),
        ))))
    }

    /// `toscalar(T | ...)`: the first column of the first row, computed now
    /// (null when there are no rows). Over a scalar it is that scalar.
    fn bind_toscalar(&mut self, call: &ast::Call, schema: &Schema) -> Result<BoundExpr> {
        let [arg] = call.args.as_slice() else {
            return Err(PlanError::new(
                "plan::arity",
                call.span,
                format!("`toscalar` takes 1 argument, got {}", call.args.len()),
                "here",
            ));
        };
        let Some(plan) = self.tabular_operand(arg, schema)? else {
            let value = self.bind_expr(arg, schema, None)?;
            return Ok(self.fold_or_keep(value));
        };
        let ty = plan
            .schema()
            .columns
            .first()
            .map_or(KType::Dynamic, |c| c.ty);
        let first = self.run_subquery(plan, arg.span)?.into_iter().next();
        Ok(BoundExpr::Literal(first.unwrap_or(ScalarValue::Null(ty))))
    }

    /// The plan of a value that is a table: `(T | ...)`, or the name of a
    /// table or tabular `let` that no column shadows.
    pub(crate) fn tabular_operand(
        &mut self,
        item: &ast::Expr,
        schema: &Schema,
    ) -> Result<Option<LogicalPlan>> {
        match &item.kind {
            ExprKind::Subquery(t) => Ok(Some(self.bind_tabular(t)?)),
            ExprKind::Name(ident) => {
                if schema.index_of(&ident.name).is_some() {
                    return Ok(None);
                }
                let is_tabular = matches!(
                    self.lookup(&ident.name),
                    Some(Binding::Tabular(_) | Binding::Plan(_))
                ) || (self.lookup(&ident.name).is_none()
                    && self.catalog.table(&ident.name).is_some());
                if !is_tabular {
                    return Ok(None);
                }
                Ok(Some(self.bind_table_name(ident)?))
            }
            _ => Ok(None),
        }
    }

    /// Runs a subquery now and gives its first column's values.
    pub(crate) fn run_subquery(
        &self,
        plan: LogicalPlan,
        span: ast::Span,
    ) -> Result<Vec<ScalarValue>> {
        let Some(run) = self.subquery else {
            return Err(PlanError::new(
                "plan::subquery",
                span,
                "subqueries cannot run here",
                "tabular value",
            ));
        };
        run(plan)
            .map_err(|m| PlanError::new("plan::subquery", span, m, "while running this subquery"))
    }

    fn fold_or_keep(&self, b: BoundExpr) -> BoundExpr {
        match self.try_fold(&b) {
            Some(v) => BoundExpr::Literal(v),
            None => b,
        }
    }

    fn bind_name(&mut self, ident: &ast::Ident, schema: &Schema) -> Result<BoundExpr> {
        if let Some(index) = schema.index_of(&ident.name) {
            let col = &schema.columns[index];
            return Ok(BoundExpr::Column {
                index,
                name: col.name.clone(),
                ty: col.ty,
            });
        }
        match self.lookup(&ident.name) {
            Some(Binding::Scalar(v)) => return Ok(v.clone()),
            Some(_) => {
                return Err(PlanError::new(
                    "plan::not_scalar",
                    ident.span,
                    format!("`{}` is a table or function, not a value", ident.name),
                    "used as a value here",
                ))
            }
            None => {}
        }
        let mut err = PlanError::new(
            "plan::unknown_column",
            ident.span,
            format!("unknown column `{}`", ident.name),
            "no column or `let` value has this name",
        );
        let mut candidates: Vec<String> = schema.names().map(str::to_string).collect();
        candidates.extend(self.let_names());
        if let Some(s) = did_you_mean(&ident.name, candidates.iter().map(String::as_str)) {
            err = err.with_help(format!("did you mean `{s}`?"));
        } else if schema.len() <= 12 && !schema.is_empty() {
            let names: Vec<&str> = schema.names().collect();
            err = err.with_help(format!("the columns here are: {}", names.join(", ")));
        }
        Err(err)
    }

    pub(crate) fn bind_binary(
        &mut self,
        op: BinaryOp,
        l: BoundExpr,
        r: BoundExpr,
        span: ast::Span,
    ) -> Result<BoundExpr> {
        let cmp = |name: &'static str| name;
        let name = match op {
            BinaryOp::Or => "__or",
            BinaryOp::And => "__and",
            BinaryOp::Eq => cmp("__eq"),
            BinaryOp::NotEq => cmp("__neq"),
            BinaryOp::Lt => cmp("__lt"),
            BinaryOp::Le => cmp("__le"),
            BinaryOp::Gt => cmp("__gt"),
            BinaryOp::Ge => cmp("__ge"),
            BinaryOp::EqCi => "__eq_ci",
            BinaryOp::NotEqCi => "__neq_ci",
            BinaryOp::Add => "__add",
            BinaryOp::Sub => "__sub",
            BinaryOp::Mul => "__mul",
            BinaryOp::Div => "__div",
            BinaryOp::Mod => "__mod",
            BinaryOp::Str(s) => {
                let base = match s.kind {
                    StrOpKind::Has => "has",
                    StrOpKind::Contains => "contains",
                    StrOpKind::StartsWith => "startswith",
                    StrOpKind::EndsWith => "endswith",
                    StrOpKind::HasPrefix => "hasprefix",
                    StrOpKind::HasSuffix => "hassuffix",
                    StrOpKind::MatchesRegex => "matches_regex",
                    StrOpKind::Like => "like",
                    StrOpKind::RLike => "rlike",
                };
                let cs = s.case_sensitive
                    && !matches!(
                        s.kind,
                        StrOpKind::MatchesRegex | StrOpKind::Like | StrOpKind::RLike
                    );
                let full = format!("__{base}{}", if cs { "_cs" } else { "" });
                let l = to_string_expr(l, self);
                let r = to_string_expr(r, self);
                let call = self.call_op_owned(&full, vec![l, r], span)?;
                return if s.negated {
                    self.call_op("__not", vec![call], span)
                } else {
                    Ok(call)
                };
            }
        };
        let esql = self.dialect == Dialect::Esql;
        let is_cmp = matches!(
            op,
            BinaryOp::Eq
                | BinaryOp::NotEq
                | BinaryOp::Lt
                | BinaryOp::Le
                | BinaryOp::Gt
                | BinaryOp::Ge
        );
        // Typed numbers and dates already compare to null; text reads a null
        // as "" and a dynamic null converts, so those sides are checked (a
        // constant that is not null needs no check, which keeps time-range
        // pruning of `@timestamp >= "2026-03-01"`).
        let loose = |e: &BoundExpr| {
            (e.ty().is_stringy() || e.ty() == KType::Dynamic)
                && !matches!(e, BoundExpr::Literal(v) if !v.is_null())
        };
        // `x == "POST"` (a non-empty text constant) is left as Kusto's: false
        // for a null x where ES|QL says null, the same to WHERE, and the plan
        // stays the KQL twin's.
        let equals_text = |e: &BoundExpr| {
            op == BinaryOp::Eq
                && matches!(e, BoundExpr::Literal(ScalarValue::String(s)) if !s.is_empty())
        };
        let originals =
            (esql && is_cmp && (loose(&l) || loose(&r)) && !equals_text(&l) && !equals_text(&r))
                .then(|| (l.clone(), r.clone()));
        let name = match (esql, op) {
            (true, BinaryOp::Add) => "__esql_add",
            (true, BinaryOp::Sub) => "__esql_sub",
            (true, BinaryOp::Mul) => "__esql_mul",
            _ => name,
        };
        let (l, r) = match op {
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod
                if esql =>
            {
                esql_arith_operands(l, r, self)
            }
            BinaryOp::Eq
            | BinaryOp::NotEq
            | BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge => coerce_comparison(l, r, self),
            BinaryOp::EqCi | BinaryOp::NotEqCi => {
                (to_string_expr(l, self), to_string_expr(r, self))
            }
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => {
                (numeric_from_dynamic(l, self), numeric_from_dynamic(r, self))
            }
            _ => (l, r),
        };
        if esql
            && matches!(op, BinaryOp::Add | BinaryOp::Sub)
            && l.ty() == KType::DateTime
            && r.ty().is_stringy()
        {
            // ES|QL: date ± a calendar period (`TO_DATEPERIOD("1 month")`).
            let sign = if op == BinaryOp::Add { 1 } else { -1 };
            return self.call_op(
                "__esql_date_add_period",
                vec![l, r, BoundExpr::Literal(ScalarValue::Long(sign))],
                span,
            );
        }
        let call = self.call_op(name, vec![l, r], span)?;
        match originals {
            // ES|QL: a comparison with a null side is null, whatever the conversions made of it.
            Some((ol, or)) => self.call_op("__esql_strict", vec![call, ol, or], span),
            None => Ok(call),
        }
    }

    pub(crate) fn call_op(
        &mut self,
        name: &'static str,
        args: Vec<BoundExpr>,
        span: ast::Span,
    ) -> Result<BoundExpr> {
        self.call_op_owned(name, args, span)
    }

    fn call_op_owned(
        &mut self,
        name: &str,
        args: Vec<BoundExpr>,
        span: ast::Span,
    ) -> Result<BoundExpr> {
        let func = lookup_scalar(name).ok_or_else(|| {
            PlanError::new(
                "plan::internal",
                span,
                format!("the engine has no `{name}` (this is a bug)"),
                "here",
            )
        })?;
        self.finish_call(func, args, span)
    }

    /// Type-checks a resolved call and folds it when every argument is constant.
    pub(crate) fn finish_call(
        &mut self,
        func: &'static ScalarFunction,
        args: Vec<BoundExpr>,
        span: ast::Span,
    ) -> Result<BoundExpr> {
        if !func.arity.accepts(args.len()) {
            return Err(arity_error(func.name, func.arity, args.len(), span));
        }
        let types: Vec<KType> = args.iter().map(BoundExpr::ty).collect();
        let ty = (func.return_type)(&types).map_err(|m| {
            let shown = func.name.trim_start_matches("__");
            let message = if m.starts_with(shown) {
                m
            } else {
                format!("`{shown}`: {m}")
            };
            PlanError::new("plan::argument_type", span, message, "wrong argument types")
        })?;
        let call = BoundExpr::Call { func, args, ty };
        if !func.volatile && call_args_constant(&call) {
            if let Some(v) = self.try_fold(&call) {
                return Ok(BoundExpr::Literal(v));
            }
        }
        Ok(call)
    }

    fn bind_call(
        &mut self,
        call: &ast::Call,
        schema: &Schema,
        agg: Option<&mut AggCollector>,
    ) -> Result<BoundExpr> {
        let resolved;
        let name = if self.dialect == Dialect::Esql {
            resolved = self.esql_function_name(call)?;
            resolved.as_str()
        } else {
            call.name.name.as_str()
        };
        if name == "toscalar" {
            return self.bind_toscalar(call, schema);
        }
        if let Some(kind) = crate::logical::WindowKind::from_name(name) {
            if self.lookup(name).is_none() {
                return self.bind_window_call(kind, call, schema);
            }
        }
        if name == "pack_all" && self.lookup(name).is_none() {
            return self.bind_pack_all(call, schema);
        }
        // `percentile_tdigest(d, p, typeof(long))`: the value converted to that type.
        if let Some(bound) = self.bind_typed_call(call, schema)? {
            return Ok(bound);
        }
        if name == "column_names_of" && self.lookup(name).is_none() {
            return self.bind_column_names_of(call, schema);
        }
        if name == "bin_auto" && self.lookup(name).is_none() {
            return self.bind_bin_auto(call, schema);
        }
        if name == "bag_pack_columns" && self.lookup(name).is_none() {
            return self.bind_bag_pack_columns(call, schema);
        }
        // Aggregates: only inside summarize. A name that is also a scalar
        // function (`hll_merge(h1, h2)`) is the scalar outside summarize, or
        // when the aggregate cannot take that many arguments.
        let scalar_twin = |af: &crate::functions::AggregateFunction| {
            self.scalar_named(name).is_some()
                && (agg.is_none() || !af.arity.accepts(call.args.len()))
        };
        if let Some(af) = self.aggregate_named(name).filter(|af| !scalar_twin(af)) {
            return match agg {
                Some(collector) if self.dialect == Dialect::Esql && af.name == "sum" => {
                    self.bind_esql_sum(collector, af, call)
                }
                Some(collector) => collector.bind_aggregate(self, af, call),
                None => Err(PlanError::new(
                    "plan::aggregate_outside_summarize",
                    call.span,
                    format!(
                        "`{name}` is an aggregate function and can only be used in `summarize`"
                    ),
                    "aggregate here",
                )
                .with_help(format!("e.g. `| summarize {name}(...) by cIP`"))),
            };
        }
        if let Some(Binding::Function(f)) = self.lookup(name).cloned() {
            let mut args = Vec::new();
            for a in &call.args {
                args.push(super::invoke::FunctionArg::Scalar(
                    self.bind_expr(a, schema, None)?,
                ));
            }
            let Some(result) = &f.scalar_result else {
                return Err(PlanError::new(
                    "plan::not_scalar",
                    call.span,
                    format!("`{name}` returns a table, not a value"),
                    "here",
                ));
            };
            let scope = self.function_scope(&f, &args, call.span)?;
            self.scopes.push(scope);
            // The body's own `let`s, then its value, in the call's scope.
            let r = f
                .body
                .iter()
                .try_for_each(|s| match s {
                    ast::Statement::Let(l) => self.bind_let(l),
                    _ => Ok(()),
                })
                .and_then(|()| self.bind_expr(result, schema, None));
            self.scopes.pop();
            return r;
        }
        let Some(func) = self.scalar_named(name) else {
            return Err(self.unknown_function(name, call.name.span));
        };
        let mut args = Vec::new();
        let mut agg = agg;
        for a in &call.args {
            args.push(self.bind_expr(a, schema, agg.as_deref_mut())?);
        }
        if func.name == "not" {
            return self.finish_call(lookup_scalar("__not").unwrap_or(func), args, call.span);
        }
        if self.dialect == Dialect::Esql {
            return self.finish_esql_call(func, args, call.span);
        }
        self.finish_call(func, args, call.span)
    }

    /// `pack_all([ignore_null_empty])`: a bag of every column of the row,
    /// bound as the `pack_all` kernel over (flag, name, value, name, value, …).
    fn bind_pack_all(&mut self, call: &ast::Call, schema: &Schema) -> Result<BoundExpr> {
        let Some(func) = lookup_scalar("pack_all") else {
            return Err(self.unknown_function("pack_all", call.name.span));
        };
        if call.args.len() > 1 {
            return Err(arity_error(
                func.name,
                func.arity,
                call.args.len(),
                call.span,
            ));
        }
        let flag = match call.args.first() {
            Some(a) => {
                let b = self.bind_expr(a, schema, None)?;
                if b.ty() != KType::Bool {
                    return Err(PlanError::new(
                        "plan::argument_type",
                        a.span,
                        "`pack_all`: the argument must be a bool (true leaves out null and empty values)",
                        "not a bool",
                    ));
                }
                b
            }
            None => BoundExpr::Literal(ScalarValue::Bool(false)),
        };
        let mut args = vec![flag];
        for (index, c) in schema.columns.iter().enumerate() {
            args.push(BoundExpr::Literal(ScalarValue::String(c.name.clone())));
            args.push(BoundExpr::Column {
                index,
                name: c.name.clone(),
                ty: c.ty,
            });
        }
        Ok(BoundExpr::Call {
            func,
            args,
            ty: KType::Dynamic,
        })
    }

    fn aggregate_named(&self, name: &str) -> Option<&'static crate::functions::AggregateFunction> {
        if name.starts_with("__") {
            return None;
        }
        let f = lookup_aggregate(name)?;
        // ES|QL `count` / `values` etc. are aggregates; KQL `count` is too.
        Some(f)
    }

    fn scalar_named(&self, name: &str) -> Option<&'static ScalarFunction> {
        if name.starts_with("__") {
            return None;
        }
        if self.dialect == Dialect::Esql {
            if let Some(f) = lookup_scalar(&format!("esql_{}", name.to_ascii_lowercase())) {
                return Some(f);
            }
            return lookup_scalar(&name.to_ascii_lowercase());
        }
        lookup_scalar(name)
    }

    pub(super) fn unknown_function(&self, name: &str, span: ast::Span) -> PlanError {
        let mut err = PlanError::new(
            "plan::unknown_function",
            span,
            format!("unknown function `{name}`"),
            "not a built-in or `let` function",
        );
        let names = scalar_functions()
            .iter()
            .flat_map(|f| std::iter::once(f.name).chain(f.aliases.iter().copied()))
            .chain(
                crate::functions::aggregate_functions()
                    .iter()
                    .map(|f| f.name),
            )
            .filter(|n| !n.starts_with("__") && !n.starts_with("esql_"));
        if let Some(s) = did_you_mean(name, names) {
            err = err.with_help(format!("did you mean `{s}`?"));
        }
        err
    }
}

pub(crate) fn arity_error(
    name: &str,
    arity: crate::functions::Arity,
    got: usize,
    span: ast::Span,
) -> PlanError {
    let want = match arity.max {
        Some(m) if m == arity.min => format!("{m}"),
        Some(m) => format!("{} to {m}", arity.min),
        None => format!("at least {}", arity.min),
    };
    PlanError::new(
        "plan::arity",
        span,
        format!(
            "`{}` takes {want} argument{}, got {got}",
            name.trim_start_matches("__"),
            if want == "1" { "" } else { "s" }
        ),
        "wrong number of arguments",
    )
}

fn call_args_constant(call: &BoundExpr) -> bool {
    match call {
        BoundExpr::Call { args, .. } => args.iter().all(|a| matches!(a, BoundExpr::Literal(_))),
        _ => false,
    }
}

/// A constant as a dynamic (JSON) value.
fn scalar_to_json(v: &ScalarValue) -> serde_json::Value {
    use serde_json::Value;
    match v {
        ScalarValue::Null(_) => Value::Null,
        ScalarValue::Bool(b) => Value::Bool(*b),
        ScalarValue::Int(i) => Value::from(*i),
        ScalarValue::Long(i) => Value::from(*i),
        ScalarValue::Real(r) => serde_json::Number::from_f64(*r).map_or(Value::Null, Value::Number),
        ScalarValue::String(s) | ScalarValue::Guid(s) => Value::String(s.clone()),
        ScalarValue::DateTime(t) => chrono::DateTime::from_timestamp_micros(*t)
            .map_or(Value::Null, |d| {
                Value::String(d.format("%Y-%m-%dT%H:%M:%S%.fZ").to_string())
            }),
        ScalarValue::TimeSpan(t) => Value::from(*t),
        ScalarValue::Dynamic(j) => j.clone(),
    }
}

pub(crate) fn literal(l: &Literal) -> ScalarValue {
    match l {
        Literal::Null(t) => ScalarValue::Null(t.map(KType::from).unwrap_or(KType::Dynamic)),
        Literal::Bool(b) => ScalarValue::Bool(*b),
        Literal::Long(v) => ScalarValue::Long(*v),
        Literal::Int(v) => ScalarValue::Int(*v),
        Literal::Real(v) => ScalarValue::Real(*v),
        Literal::String(s) => ScalarValue::String(s.clone()),
        Literal::DateTime(t) => ScalarValue::DateTime(*t),
        Literal::TimeSpan(t) => ScalarValue::TimeSpan(*t),
        Literal::Guid(g) => ScalarValue::Guid(g.clone()),
        Literal::Dynamic(j) => ScalarValue::Dynamic(j.clone()),
    }
}

/// Wraps `e` in a conversion so it becomes `ty`, folding constants.
pub(crate) fn convert_to(
    e: BoundExpr,
    ty: KType,
    binder: &mut Binder,
) -> std::result::Result<BoundExpr, String> {
    if e.ty() == ty {
        return Ok(e);
    }
    if let BoundExpr::Literal(ScalarValue::Null(_)) = e {
        return Ok(BoundExpr::Literal(ScalarValue::Null(ty)));
    }
    let name = match ty {
        KType::Long => "tolong",
        KType::Int => "toint",
        KType::Real | KType::Decimal => "toreal",
        KType::String => "tostring",
        KType::DateTime => "todatetime",
        KType::TimeSpan => "totimespan",
        KType::Bool => "tobool",
        KType::Dynamic => "todynamic",
        KType::Guid => "tostring",
    };
    let func = lookup_scalar(name).ok_or_else(|| format!("no conversion to {ty}"))?;
    binder
        .finish_call(func, vec![e], ast::Span::default())
        .map_err(|err| err.message)
}

/// String operators and `=~` take text: other types are converted as Kusto does.
fn to_string_expr(e: BoundExpr, binder: &mut Binder) -> BoundExpr {
    if e.ty().is_stringy() {
        return e;
    }
    convert_to(e.clone(), KType::String, binder).unwrap_or(e)
}

/// ES|QL arithmetic: a dynamic side (a null, or a multi-value, which ES|QL
/// makes null) takes the other side's type, so `null + 1` stays an integer.
fn esql_arith_operands(l: BoundExpr, r: BoundExpr, binder: &mut Binder) -> (BoundExpr, BoundExpr) {
    match (l.ty(), r.ty()) {
        // null + null has no type yet: it stays a (dynamic) null.
        (KType::Dynamic, KType::Dynamic) if is_null_literal(&l) || is_null_literal(&r) => (
            BoundExpr::Literal(ScalarValue::Null(KType::Long)),
            BoundExpr::Literal(ScalarValue::Null(KType::Long)),
        ),
        (KType::Dynamic, t) if t.is_numeric() => (convert_to(l.clone(), t, binder).unwrap_or(l), r),
        (t, KType::Dynamic) if t.is_numeric() => {
            let r2 = convert_to(r.clone(), t, binder).unwrap_or(r);
            (l, r2)
        }
        _ => (
            numeric_from_dynamic(l, binder),
            numeric_from_dynamic(r, binder),
        ),
    }
}

fn is_null_literal(e: &BoundExpr) -> bool {
    matches!(e, BoundExpr::Literal(ScalarValue::Null(_)))
}

/// Arithmetic on a dynamic value (`set[0] + 1`) treats it as a real.
fn numeric_from_dynamic(e: BoundExpr, binder: &mut Binder) -> BoundExpr {
    if e.ty() != KType::Dynamic {
        return e;
    }
    convert_to(e.clone(), KType::Real, binder).unwrap_or(e)
}

/// Kusto compares a string with a number as numbers (`scStatus == 404`), a
/// string with a datetime as datetimes, and a dynamic value as the other side's type.
fn coerce_comparison(l: BoundExpr, r: BoundExpr, binder: &mut Binder) -> (BoundExpr, BoundExpr) {
    let (lt, rt) = (l.ty(), r.ty());
    if lt == rt || (lt.is_numeric() && rt.is_numeric()) || (lt.is_stringy() && rt.is_stringy()) {
        return (l, r);
    }
    let target = |ty: KType| {
        if matches!(ty, KType::Real | KType::Decimal) {
            KType::Real
        } else {
            ty
        }
    };
    let convert =
        |e: BoundExpr, ty: KType, b: &mut Binder| convert_to(e.clone(), ty, b).unwrap_or(e);
    match (lt, rt) {
        (a, b) if a.is_stringy() && b.is_numeric() => (
            convert(
                l,
                if b.is_integer() {
                    KType::Long
                } else {
                    target(b)
                },
                binder,
            ),
            r,
        ),
        (a, b) if a.is_numeric() && b.is_stringy() => {
            let ty = if a.is_integer() {
                KType::Long
            } else {
                target(a)
            };
            (l, convert(r, ty, binder))
        }
        (KType::Dynamic, b) => (convert(l, target(b), binder), r),
        (a, KType::Dynamic) => (l, convert(r, target(a), binder)),
        (a, KType::DateTime) if a.is_stringy() => (convert(l, KType::DateTime, binder), r),
        (KType::DateTime, b) if b.is_stringy() => (l, convert(r, KType::DateTime, binder)),
        (a, KType::TimeSpan) if a.is_stringy() => (convert(l, KType::TimeSpan, binder), r),
        (KType::TimeSpan, b) if b.is_stringy() => (l, convert(r, KType::TimeSpan, binder)),
        _ => (l, r),
    }
}
