//! `evaluate bag_unpack(Column [, OutputColumnPrefix [, columnsConflict
//! [, ignoredProperties]]])`, as Kusto documents it (bag-unpack-plugin.md):
//! one `dynamic` column per key found in the bag column, sorted by name,
//! after the other input columns; the bag column goes. The keys are data,
//! so the planner runs a subquery over the input first to find them, as it
//! does for `toscalar`.
//!
//! A key whose column name is already an input column is an error
//! (`columnsConflict='error'`, the default), replaces the input column in
//! place (`'replace_source'`), or is left out (`'keep_source'`).
//!
//! Also `evaluate narrow()`: every cell as a row of `Row` (0-based), `Column`
//! and `Value` (as text).

use iishunt_syntax::ast::{self, ExprKind};
use iishunt_syntax::print::{ident, string};

use super::Binder;
use crate::error::{PlanError, Result};
use crate::logical::LogicalPlan;
use crate::types::{KType, ScalarValue};

const INPUT: &str = "__bag_unpack_input";
const USAGE: &str = "bag_unpack(Column [, 'Prefix' [, 'error'|'replace_source'|'keep_source' [, dynamic(['ignored', …])]]])";

#[derive(PartialEq)]
enum Conflict {
    Error,
    Replace,
    Keep,
}

impl<'a> Binder<'a> {
    pub(crate) fn bind_bag_unpack(
        &mut self,
        input: LogicalPlan,
        call: &ast::Call,
        span: ast::Span,
    ) -> Result<LogicalPlan> {
        let usage = |at: ast::Span, message: String| {
            PlanError::new("plan::bag_unpack", at, message, "here")
                .with_help(format!("write {USAGE}"))
        };
        // Positional, or named as Kusto names them (the parser keeps
        // `name = value` as `name == value`).
        let mut slots: [Option<&ast::Expr>; 4] = [None; 4];
        let mut next = 0;
        for a in &call.args {
            let named = match &a.kind {
                ExprKind::Binary {
                    op: ast::BinaryOp::Eq,
                    left,
                    right,
                } => match &left.kind {
                    ExprKind::Name(n) => {
                        ["OutputColumnPrefix", "columnsConflict", "ignoredProperties"]
                            .iter()
                            .position(|p| p.eq_ignore_ascii_case(&n.name))
                            .map(|p| (p + 1, right.as_ref()))
                    }
                    _ => None,
                },
                _ => None,
            };
            let (slot, value) = named.unwrap_or((next, a));
            if slot > 3 {
                return Err(usage(
                    a.span,
                    "bag_unpack takes at most four arguments".into(),
                ));
            }
            slots[slot] = Some(value);
            next = slot + 1;
        }
        let Some(first) = slots[0] else {
            return Err(usage(
                call.span,
                "bag_unpack needs the dynamic column to unpack".into(),
            ));
        };
        let ExprKind::Name(column) = &first.kind else {
            return Err(usage(
                first.span,
                "the first argument of bag_unpack is a column name".into(),
            ));
        };
        let Some(index) = input.schema().index_of(&column.name) else {
            return Err(self
                .bind_expr(first, input.schema(), None)
                .err()
                .unwrap_or_else(|| {
                    usage(first.span, format!("unknown column `{}`", column.name))
                }));
        };
        if input.schema().columns[index].ty != KType::Dynamic {
            return Err(usage(
                first.span,
                format!(
                    "`{}` is {}, not dynamic",
                    column.name,
                    input.schema().columns[index].ty
                ),
            ));
        }
        let mut constant = |i: usize| -> Result<Option<ScalarValue>> {
            match slots[i] {
                None => Ok(None),
                Some(a) => {
                    let b = self.bind_expr(a, &Default::default(), None)?;
                    match self.try_fold(&b) {
                        Some(v) => Ok(Some(v)),
                        None => Err(usage(
                            a.span,
                            format!("argument {} of bag_unpack must be a constant", i + 1),
                        )),
                    }
                }
            }
        };
        let prefix = match constant(1)? {
            None | Some(ScalarValue::Null(_)) => String::new(),
            Some(ScalarValue::String(s)) => s,
            Some(_) => {
                return Err(usage(
                    slots[1].map_or(call.span, |a| a.span),
                    "the prefix must be a string".into(),
                ))
            }
        };
        let conflict = match constant(2)? {
            None => Conflict::Error,
            Some(ScalarValue::String(s)) => match s.as_str() {
                "error" => Conflict::Error,
                "replace_source" => Conflict::Replace,
                "keep_source" => Conflict::Keep,
                other => {
                    return Err(usage(
                        slots[2].map_or(call.span, |a| a.span),
                        format!("columnsConflict is 'error', 'replace_source' or 'keep_source', not '{other}'"),
                    ))
                }
            },
            Some(_) => return Err(usage(slots[2].map_or(call.span, |a| a.span), "columnsConflict must be a string".into())),
        };
        let ignored: Vec<String> = match constant(3)? {
            None | Some(ScalarValue::Null(_)) => Vec::new(),
            Some(ScalarValue::Dynamic(serde_json::Value::Array(items))) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            Some(_) => {
                return Err(usage(
                    slots[3].map_or(call.span, |a| a.span),
                    "ignoredProperties must be a dynamic array of names".into(),
                ))
            }
        };
        let col = ident(&column.name);
        let keys_text = format!(
            "{INPUT} | project __k = bag_keys({col}) | mv-expand __k to typeof(string) | distinct __k"
        );
        let keys_plan =
            self.bind_rewritten(input.clone(), INPUT, &keys_text, "bag_unpack", span)?;
        let mut keys: Vec<String> = self
            .run_subquery(keys_plan, span)?
            .into_iter()
            .filter_map(|v| match v {
                ScalarValue::String(s) => Some(s),
                _ => None,
            })
            .filter(|k| !k.is_empty() && !ignored.contains(k))
            .collect();
        keys.sort();
        keys.dedup();
        let mut items = Vec::new();
        for k in &keys {
            let name = format!("{prefix}{k}");
            let clash = name != column.name && input.schema().index_of(&name).is_some();
            if clash {
                match conflict {
                    Conflict::Error => {
                        return Err(PlanError::new(
                            "plan::bag_unpack",
                            span,
                            format!("bag_unpack: the key `{k}` would be column `{name}`, which the input already has"),
                            "column name conflict",
                        )
                        .with_help("pass a prefix, or columnsConflict 'replace_source' or 'keep_source' as the third argument"))
                    }
                    Conflict::Keep => continue,
                    Conflict::Replace => {}
                }
            }
            items.push(format!("{} = {col}[{}]", ident(&name), string(k)));
        }
        let mut text = format!("{INPUT} | project-away {col}");
        if !items.is_empty() {
            // The bag is read before it goes: extend first, then drop it,
            // unless a key took its name.
            let drop = if keys.iter().any(|k| format!("{prefix}{k}") == column.name) {
                String::new()
            } else {
                format!(" | project-away {col}")
            };
            text = format!("{INPUT} | extend {}{drop}", items.join(", "));
        }
        self.bind_rewritten(input, INPUT, &text, "bag_unpack", span)
    }

    /// `evaluate narrow()`.
    pub(crate) fn bind_narrow(
        &mut self,
        input: LogicalPlan,
        call: &ast::Call,
        span: ast::Span,
    ) -> Result<LogicalPlan> {
        if let Some(a) = call.args.first() {
            return Err(PlanError::new(
                "plan::narrow",
                a.span,
                "narrow() takes no arguments",
                "here",
            ));
        }
        let columns: Vec<String> = input
            .schema()
            .columns
            .iter()
            .map(|c| c.name.clone())
            .collect();
        let pairs: Vec<String> = columns
            .iter()
            .map(|c| format!("{}, {}", string(c), ident(c)))
            .collect();
        let text = format!(
            "{INPUT} | serialize Row = row_number(0) | project Row, __b = bag_pack({}) \
             | mv-expand __kv = __b | extend Column = tostring(bag_keys(__kv)[0]) \
             | project Row, Column, Value = tostring(__kv[Column])",
            pairs.join(", ")
        );
        self.bind_rewritten(input, INPUT, &text, "narrow", span)
    }
}
