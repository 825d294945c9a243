//! A plugin's declared output schema: `evaluate bag_unpack(d) : (*, Name:string,
//! Age:long)`. Kusto uses it to know the columns before running the plugin; the
//! result has exactly the declared columns: `*` stands for the input's columns
//! the schema does not name, each named column is the plugin's column converted
//! to its type, or a null column when the plugin did not make it (a bag key no
//! row has). Plugin columns the schema leaves out are dropped.

use iishunt_syntax::ast::{OutputColumn, Span};

use super::find::{column, typed_column};
use super::Binder;
use crate::error::{PlanError, Result};
use crate::logical::{LogicalPlan, Project};
use crate::schema::{Column, Schema};
use crate::types::KType;

impl Binder<'_> {
    /// `out` (the plugin's plan over an input of schema `input`) shaped to `declared`.
    pub(crate) fn shape_plugin_output(
        &mut self,
        out: LogicalPlan,
        input: &Schema,
        declared: &[OutputColumn],
        span: Span,
    ) -> Result<LogicalPlan> {
        let produced = out.schema().clone();
        let named = |name: &str| {
            declared
                .iter()
                .any(|c| matches!(c, OutputColumn::Column(n, _) if n.name == name))
        };
        let mut exprs = Vec::new();
        let mut columns: Vec<Column> = Vec::new();
        for entry in declared {
            match entry {
                OutputColumn::Star => {
                    for c in &input.columns {
                        let Some(index) = produced.index_of(&c.name) else {
                            continue;
                        };
                        if named(&c.name) || columns.iter().any(|seen| seen.name == c.name) {
                            continue;
                        }
                        let ty = produced.columns[index].ty;
                        exprs.push(column(index, &c.name, ty));
                        columns.push(Column {
                            name: c.name.clone(),
                            ty,
                        });
                    }
                }
                OutputColumn::Column(n, t) => {
                    let ty = KType::from(*t);
                    if columns.iter().any(|seen| seen.name == n.name) {
                        return Err(PlanError::new(
                            "plan::duplicate_column",
                            n.span,
                            format!("the output schema names `{}` twice", n.name),
                            "again here",
                        ));
                    }
                    let present = produced.index_of(&n.name).is_some();
                    exprs.push(typed_column(
                        &produced,
                        n,
                        ty,
                        present,
                        "plan::argument_type",
                        self,
                    )?);
                    columns.push(Column {
                        name: n.name.clone(),
                        ty,
                    });
                }
            }
        }
        if columns.is_empty() {
            return Err(PlanError::new(
                "plan::empty_schema",
                span,
                "the output schema leaves no column",
                "this plugin",
            )
            .with_help("name the columns you want: `: (*, name:string)`"));
        }
        Ok(LogicalPlan::Project(Project {
            input: Box::new(out),
            exprs,
            schema: Schema::new(columns),
        }))
    }
}
