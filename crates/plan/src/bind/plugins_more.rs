//! `evaluate` plugins written in other operators (rewrite.rs):
//! `schema_merge([PreserveOrder])` merges `getschema` tables (found by a
//! planning-time subquery, as `pivot` finds its values); `rows_near(cond,
//! before [, after])` keeps the rows within that many rows of one where the
//! condition holds; `rolling_percentile(value, p, index, step, window [, by…])`
//! is the percentile of each window of `window` bins of `step`;
//! `dcount_intersect(hll1, hll2, …)` adds s0, s1, … the distinct counts of
//! the intersections of the first 1, 2, … sketches, by inclusion–exclusion
//! over `hll_merge` unions.

use iishunt_syntax::ast::{self, BinaryOp, ExprKind};
use iishunt_syntax::print::{expr_to_kql, ident, string};

use super::Binder;
use crate::error::{PlanError, Result};
use crate::logical::LogicalPlan;
use crate::schema::Schema;
use crate::types::{KType, ScalarValue};

const INPUT: &str = "__plugin_input";
const SCHEMA_COLUMNS: [&str; 4] = ["ColumnName", "ColumnOrdinal", "DataType", "ColumnType"];
/// What an out-of-order column shows, in Kusto's words.
const OUT_OF_ORDER: &str = "ERROR(columns are out of order)";
/// The most rows `rows_near` looks before or after a match.
const MAX_NEAR: i64 = 1000;
/// The most sketches `dcount_intersect` takes (the last column sums 2^n - 1
/// unions; Kusto takes up to 16).
const MAX_INTERSECT: usize = 8;
/// The most bins a `rolling_percentile` window holds.
const MAX_WINDOW: i64 = 10_000;

/// One merged column: name, CLR type, Kusto type, the ordinal it was first
/// seen at, and whether it later moved.
struct Merged {
    name: String,
    data_type: String,
    column_type: String,
    ordinal: usize,
}

impl<'a> Binder<'a> {
    /// A constant argument, folded; `what` names it in the error.
    pub(super) fn constant_arg(
        &mut self,
        e: &ast::Expr,
        code: &'static str,
        what: &str,
    ) -> Result<ScalarValue> {
        let not_constant = || {
            PlanError::new(
                code,
                e.span,
                format!("{what} must be a constant"),
                "not a constant",
            )
        };
        // A column name here is not a constant, whatever the binder would say of it.
        let value = self
            .bind_expr(e, &Schema::default(), None)
            .map_err(|_| not_constant())?;
        self.try_fold(&value).ok_or_else(not_constant)
    }

    /// `evaluate schema_merge([PreserveOrder = true])` over a union of
    /// `getschema` outputs: each schema starts at ColumnOrdinal 0; a column
    /// first met in a later schema goes right after the column before it
    /// there. With PreserveOrder, a column that ends up away from the ordinal
    /// it first had is reported as out of order (ordinal -1), as Kusto does.
    pub(crate) fn bind_schema_merge(
        &mut self,
        input: LogicalPlan,
        call: &ast::Call,
        span: ast::Span,
    ) -> Result<LogicalPlan> {
        let code = "plan::schema_merge";
        let mut preserve = true;
        match call.args.as_slice() {
            [] => {}
            [arg] => {
                let value = match &arg.kind {
                    ExprKind::Binary {
                        op: BinaryOp::Eq,
                        left,
                        right,
                    } if matches!(&left.kind, ExprKind::Name(n) if n.name == "PreserveOrder") => {
                        right
                    }
                    _ => arg,
                };
                match self.constant_arg(value, code, "PreserveOrder")? {
                    ScalarValue::Bool(b) => preserve = b,
                    _ => {
                        return Err(PlanError::new(
                            code,
                            arg.span,
                            "schema_merge takes PreserveOrder = true or false",
                            "not a bool",
                        ))
                    }
                }
            }
            [_, extra, ..] => {
                return Err(PlanError::new(
                    code,
                    extra.span,
                    "schema_merge takes one argument: PreserveOrder = true or false",
                    "too many arguments",
                ))
            }
        }
        let schema = input.schema();
        for (name, ty) in
            SCHEMA_COLUMNS
                .iter()
                .zip([KType::String, KType::Int, KType::String, KType::String])
        {
            if schema.index_of(name).is_none_or(|i| {
                let t = schema.columns[i].ty;
                t != ty && !(ty == KType::Int && t.is_integer())
            }) {
                return Err(PlanError::new(
                    code,
                    span,
                    format!("schema_merge reads `getschema` tables: the input needs a {ty} column `{name}`"),
                    "here",
                )
                .with_help("e.g. `union (A | getschema), (B | getschema) | evaluate schema_merge()`"));
            }
        }
        let text = format!(
            "{INPUT} | project __r = pack_array(ColumnName, ColumnOrdinal, DataType, ColumnType)"
        );
        let rows_plan = self.bind_rewritten(input, INPUT, &text, "schema_merge", span)?;
        let rows = self.run_subquery(rows_plan, span)?;
        let mut merged: Vec<Merged> = Vec::new();
        let mut previous: Option<usize> = None;
        for row in rows {
            let ScalarValue::Dynamic(serde_json::Value::Array(cells)) = row else {
                continue;
            };
            let text = |i: usize| {
                cells
                    .get(i)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string()
            };
            let name = text(0);
            if cells.get(1).and_then(serde_json::Value::as_i64) == Some(0) {
                previous = None;
            }
            let at = match merged.iter().position(|m| m.name == name) {
                Some(at) => at,
                None => {
                    let at = previous.map_or(0, |p| p + 1);
                    merged.insert(
                        at,
                        Merged {
                            name,
                            data_type: text(2),
                            column_type: text(3),
                            ordinal: at,
                        },
                    );
                    at
                }
            };
            previous = Some(at);
        }
        let mut values = Vec::new();
        for (at, m) in merged.iter().enumerate() {
            let (ordinal, data_type, column_type) = if preserve && m.ordinal != at {
                (
                    "-1".to_string(),
                    format!("ERROR(unknown CSL type:{OUT_OF_ORDER})"),
                    OUT_OF_ORDER.to_string(),
                )
            } else {
                (at.to_string(), m.data_type.clone(), m.column_type.clone())
            };
            values.push(format!(
                "{}, {ordinal}, {}, {}",
                string(&m.name),
                string(&data_type),
                string(&column_type)
            ));
        }
        let text = format!(
            "datatable(ColumnName:string, ColumnOrdinal:int, DataType:string, ColumnType:string)[{}]",
            values.join(", ")
        );
        self.bind_rewritten_with(Vec::new(), &text, "schema_merge", span)
    }

    /// `evaluate rows_near(condition, before [, after])`: the rows where the
    /// condition holds and up to `before` rows before and `after` rows
    /// (default: `before`) after each, once each, in the input's order.
    pub(crate) fn bind_rows_near(
        &mut self,
        input: LogicalPlan,
        call: &ast::Call,
        span: ast::Span,
    ) -> Result<LogicalPlan> {
        let code = "plan::rows_near";
        let usage = |at: ast::Span, m: &str| {
            PlanError::new(code, at, m.to_string(), "here")
                .with_help("write rows_near(Condition, RowsBefore [, RowsAfter])")
        };
        let (cond, before, after) = match call.args.as_slice() {
            [c, b] => (c, b, b),
            [c, b, a] => (c, b, a),
            _ => {
                return Err(usage(
                    call.span,
                    "rows_near takes a condition and how many rows before (and after) to keep",
                ))
            }
        };
        let mut count = |e: &ast::Expr, what: &str| -> Result<i64> {
            match self.constant_arg(e, code, what)? {
                ScalarValue::Int(n) if (0..=MAX_NEAR as i32).contains(&n) => Ok(i64::from(n)),
                ScalarValue::Long(n) if (0..=MAX_NEAR).contains(&n) => Ok(n),
                _ => Err(usage(
                    e.span,
                    &format!("{what} must be a whole number from 0 to {MAX_NEAR}"),
                )),
            }
        };
        let (before, after) = (count(before, "RowsBefore")?, count(after, "RowsAfter")?);
        let condition = self.bind_expr(cond, input.schema(), None)?;
        if condition.ty() != KType::Bool {
            return Err(usage(
                cond.span,
                "the condition of rows_near must be a bool",
            ));
        }
        let columns: Vec<String> = input
            .schema()
            .columns
            .iter()
            .map(|c| ident(&c.name))
            .collect();
        // A row is kept when a match is up to `before` rows after it or up
        // to `after` rows before it.
        let mut near = vec!["__hit".to_string()];
        near.extend((1..=before).map(|k| format!("next(__hit, {k}, false)")));
        near.extend((1..=after).map(|k| format!("prev(__hit, {k}, false)")));
        let text = format!(
            "{INPUT} | serialize __hit = coalesce({}, false) | extend __near = {} | where __near | project {}",
            expr_to_kql(cond),
            near.join(" or "),
            columns.join(", ")
        );
        self.bind_rewritten(input, INPUT, &text, "rows_near", span)
    }

    /// `evaluate rolling_percentile(value, p, index, step, window [, by…])`:
    /// for each bin of `step` in the index column (up to the last bin in the
    /// data), the p-th percentile of the values in it and the `window - 1`
    /// bins before, per value of the by columns, sorted by them and the bin.
    pub(crate) fn bind_rolling_percentile(
        &mut self,
        input: LogicalPlan,
        call: &ast::Call,
        span: ast::Span,
    ) -> Result<LogicalPlan> {
        let code = "plan::rolling_percentile";
        let usage = |at: ast::Span, m: &str| {
            PlanError::new(code, at, m.to_string(), "here").with_help(
                "write rolling_percentile(ValueColumn, Percentile, IndexColumn, BinSize, BinsPerWindow [, by columns])",
            )
        };
        let [value, p, index, step, window, by @ ..] = call.args.as_slice() else {
            return Err(usage(
                call.span,
                "rolling_percentile needs the value column, the percentile, the index column, the bin size and the bins per window",
            ));
        };
        let column = |e: &ast::Expr, what: &str| -> Result<String> {
            match &e.kind {
                ExprKind::Name(n) if input.schema().index_of(&n.name).is_some() => {
                    Ok(n.name.clone())
                }
                _ => Err(usage(
                    e.span,
                    &format!("{what} must be a column of the input"),
                )),
            }
        };
        let value = column(value, "the value column")?;
        let index = column(index, "the index column")?;
        let by: Vec<String> = by
            .iter()
            .map(|e| column(e, "a by column"))
            .collect::<Result<_>>()?;
        let percentile = match self.constant_arg(p, code, "the percentile")? {
            ScalarValue::Int(n) => f64::from(n),
            ScalarValue::Long(n) => n as f64,
            ScalarValue::Real(r) => r,
            _ => return Err(usage(p.span, "the percentile must be a number")),
        };
        if !(0.0..=100.0).contains(&percentile) {
            return Err(usage(p.span, "the percentile must be from 0 to 100"));
        }
        let bins = match self.constant_arg(window, code, "the bins per window")? {
            ScalarValue::Int(n) if (1..=MAX_WINDOW as i32).contains(&n) => i64::from(n),
            ScalarValue::Long(n) if (1..=MAX_WINDOW).contains(&n) => n,
            _ => {
                return Err(usage(
                    window.span,
                    &format!("the bins per window must be a whole number from 1 to {MAX_WINDOW}"),
                ))
            }
        };
        let step_text = expr_to_kql(step);
        let p_text = expr_to_kql(p);
        let name = format!(
            "rolling_{bins}_percentile_{value}_{}",
            p_text.replace('.', "_")
        );
        let (i, v) = (ident(&index), ident(&value));
        let by_text: String = by.iter().map(|b| format!(", {}", ident(b))).collect();
        // Kusto lists each group's bins together.
        let sort: String = by.iter().map(|b| format!("{} asc,", ident(b))).collect();
        let text = format!(
            "let __last = toscalar({INPUT} | summarize max(bin({i}, {step_text})));
{INPUT} | extend __bin = bin({i}, {step_text})
| mv-expand __k = range(0, {}) to typeof(long)
| extend {i} = __bin + __k * ({step_text})
| where {i} <= __last
| summarize {} = percentile({v}, {percentile}) by {i}{by_text}
| sort by {sort} {i} asc",
            bins - 1,
            ident(&name)
        );
        self.bind_rewritten(input, INPUT, &text, "rolling_percentile", span)
    }

    /// `evaluate dcount_intersect(hll_1, …, hll_n)`: s(k) is |H0 ∩ … ∩ Hk|,
    /// the sum over the non-empty subsets S of {0..k} of (-1)^(|S|+1)·|∪S|,
    /// each union's count `dcount_hll(hll_merge(…))`.
    pub(crate) fn bind_dcount_intersect(
        &mut self,
        input: LogicalPlan,
        call: &ast::Call,
        span: ast::Span,
    ) -> Result<LogicalPlan> {
        let code = "plan::dcount_intersect";
        let usage = |at: ast::Span, m: &str| {
            PlanError::new(code, at, m.to_string(), "here")
                .with_help("write dcount_intersect(hll_1, hll_2 [, …]) over columns made by hll()")
        };
        if call.args.len() < 2 || call.args.len() > MAX_INTERSECT {
            return Err(usage(
                call.span,
                &format!("dcount_intersect takes 2 to {MAX_INTERSECT} hll() columns"),
            ));
        }
        let mut columns = Vec::new();
        for a in &call.args {
            match &a.kind {
                ExprKind::Name(n)
                    if input
                        .schema()
                        .index_of(&n.name)
                        .is_some_and(|i| input.schema().columns[i].ty == KType::Dynamic) =>
                {
                    columns.push(ident(&n.name));
                }
                _ => {
                    return Err(usage(
                        a.span,
                        "the arguments of dcount_intersect are hll() columns",
                    ))
                }
            }
        }
        let mut items = Vec::new();
        for k in 0..columns.len() {
            let mut terms = Vec::new();
            for subset in 1u32..(1 << (k + 1)) {
                let members: Vec<&str> = (0..=k)
                    .filter(|i| subset & (1 << i) != 0)
                    .map(|i| columns[i].as_str())
                    .collect();
                let count = match members.as_slice() {
                    [one] => format!("dcount_hll({one})"),
                    many => format!("dcount_hll(hll_merge({}))", many.join(", ")),
                };
                let sign = if members.len() % 2 == 1 { "+" } else { "-" };
                terms.push(format!("{sign} {count}"));
            }
            items.push(format!("s{k} = 0 {}", terms.join(" ")));
        }
        let text = format!("{INPUT} | extend {}", items.join(", "));
        self.bind_rewritten(input, INPUT, &text, "dcount_intersect", span)
    }
}
