//! Operators written in other operators (`top-nested`, `evaluate
//! bag_unpack`): the binder parses generated KQL that reads the operator's
//! input under a reserved name, and binds it in a scope of its own. Errors
//! point at the operator as written, not at the generated text.

use iishunt_syntax::ast::{self, Dialect, Statement};

use super::{Binder, Binding};
use crate::error::{PlanError, Result};
use crate::logical::LogicalPlan;

impl<'a> Binder<'a> {
    /// Binds `text`, in which `input_name` is `input`; the last tabular
    /// statement is the result.
    pub(crate) fn bind_rewritten(
        &mut self,
        input: LogicalPlan,
        input_name: &str,
        text: &str,
        what: &str,
        span: ast::Span,
    ) -> Result<LogicalPlan> {
        self.bind_rewritten_with(vec![(input_name, input)], text, what, span)
    }

    /// [`Self::bind_rewritten`] with several inputs, each under its name.
    pub(crate) fn bind_rewritten_with(
        &mut self,
        inputs: Vec<(&str, LogicalPlan)>,
        text: &str,
        what: &str,
        span: ast::Span,
    ) -> Result<LogicalPlan> {
        let query = iishunt_syntax::parse(text, Dialect::Kql).map_err(|e| {
            PlanError::new(
                "plan::internal",
                span,
                format!("{what}: the rewritten query does not parse (this is a bug): {e}"),
                "here",
            )
        })?;
        let mut scope = std::collections::HashMap::new();
        for (name, input) in inputs {
            scope.insert(name.to_string(), Binding::Plan(Box::new(input)));
        }
        self.scopes.push(scope);
        // The generated text's spans do not point into the user's query.
        let source = self.source.take();
        let result = (|| {
            let mut last = None;
            for s in &query.statements {
                match s {
                    Statement::Let(l) => self.bind_let(l)?,
                    Statement::Tabular(t) => last = Some(self.bind_tabular(t)?),
                    Statement::Set(_) => {}
                }
            }
            last.ok_or_else(|| {
                PlanError::new("plan::internal", span, format!("{what}: no result"), "here")
            })
        })();
        self.scopes.pop();
        self.source = source;
        result.map_err(|mut e| {
            e.span = span;
            e
        })
    }
}
