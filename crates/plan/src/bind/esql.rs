//! ES|QL's `FROM`: index patterns resolve to the ECS views of the tables
//! (`catalog/ecs.rs`). A view is a KQL projection over the Sentinel columns,
//! parsed and bound like any query, so the optimizer prunes the ECS fields a
//! query doesn't use and an ES|QL query plans exactly like its KQL twin.

use iishunt_syntax::ast::{self, Dialect};

use super::{not_supported, operators, Binder};
use crate::catalog::ecs::{self, EcsSource};
use crate::error::{PlanError, Result};
use crate::logical::LogicalPlan;

impl<'a> Binder<'a> {
    pub(crate) fn bind_esql_from(
        &mut self,
        names: &[ast::Ident],
        span: ast::Span,
    ) -> Result<LogicalPlan> {
        let mut inputs = Vec::new();
        let mut sources: Vec<EcsSource> = Vec::new();
        for name in names {
            // A Sentinel table name works too, with its own column names.
            if self.catalog.table(&name.name).is_some() {
                let saved = self.dialect;
                self.dialect = Dialect::Kql;
                let plan = self.bind_table_name(name);
                self.dialect = saved;
                inputs.push(plan?);
                continue;
            }
            let matched = ecs::matching_sources(&name.name);
            if matched.is_empty() && !name.name.contains('*') {
                let known: Vec<&str> = EcsSource::ALL.iter().map(|s| s.index_name()).collect();
                return Err(PlanError::new(
                    "plan::unknown_index",
                    name.span,
                    format!("unknown index `{}`", name.name),
                    "no index or data stream has this name",
                )
                .with_help(format!(
                    "iishunt serves {} (patterns such as `logs-iis.*` work too)",
                    known.join(", ")
                )));
            }
            for s in matched {
                if !sources.contains(&s) {
                    sources.push(s);
                }
            }
        }
        for s in sources {
            inputs.push(self.bind_view(s, span)?);
        }
        if inputs.is_empty() {
            // Patterns that match nothing give an empty input, as in Elasticsearch.
            self.notes
                .push("no index matches the FROM patterns: the result is empty".into());
            return Ok(LogicalPlan::Values(crate::logical::Values {
                schema: crate::schema::Schema::default(),
                rows: vec![],
                range: None,
            }));
        }
        Ok(operators::union_plans(inputs))
    }

    /// The ECS view of one source: `Table | project ['ecs.name'] = <kql>, …`.
    fn bind_view(&mut self, source: EcsSource, span: ast::Span) -> Result<LogicalPlan> {
        let table = source.table_name();
        if self.catalog.table(table).is_none() {
            return Err(not_supported(
                &format!("FROM {}", source.index_name()),
                span,
            ));
        }
        let mut items: Vec<String> = ecs::fields(source)
            .iter()
            .map(|f| format!("['{}'] = {}", f.name, f.kql))
            .collect();
        if source == EcsSource::Access {
            if let Some(col) = self.catalog.table(table).and_then(|t| {
                t.schema
                    .names()
                    .find(|n| {
                        n.to_ascii_lowercase()
                            .replace(['-', '_', '(', ')'], "")
                            .ends_with("xforwardedfor")
                    })
                    .map(str::to_string)
            }) {
                items.push(format!(
                    "['network.forwarded_ip'] = {}",
                    ecs::forwarded_ip_kql(&format!("['{col}']"))
                ));
            }
        }
        let text = format!("{table}\n| project {}", items.join(",\n  "));
        let query = iishunt_syntax::kql::parse(&text).map_err(|e| {
            PlanError::new(
                "plan::internal",
                span,
                format!(
                    "the ECS view of {table} does not parse: {} (this is a bug)",
                    e.message
                ),
                "here",
            )
        })?;
        let Some(ast::Statement::Tabular(t)) = query.statements.into_iter().last() else {
            return Err(PlanError::new(
                "plan::internal",
                span,
                "the ECS view is empty (this is a bug)",
                "here",
            ));
        };
        let saved = self.dialect;
        self.dialect = Dialect::Kql;
        let plan = self.bind_tabular(&t).map_err(|mut e| {
            e.message = format!("in the ECS view of {table}: {} (this is a bug)", e.message);
            e.span = span;
            e
        });
        self.dialect = saved;
        plan
    }
}
