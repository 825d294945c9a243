//! Joins: KQL `join` and `lookup`, ES|QL `LOOKUP JOIN` and `ENRICH`. All
//! become one [`Join`] node; they differ in the kind, which columns come
//! out, and how clashing names are resolved.

use iishunt_syntax::ast::{self, Dialect, JoinCondition};

use super::{naming, Binder};
use crate::error::{PlanError, Result};
use crate::logical::{Join, JoinKind, JoinSide, LogicalPlan};
use crate::schema::{Column, Schema};
use crate::suggest::did_you_mean;
use crate::types::KType;

/// Key columns matched pairwise, as indexes into each side's schema.
pub(super) struct Keys {
    pub(super) left: Vec<usize>,
    pub(super) right: Vec<usize>,
    pub(super) types: Vec<KType>,
}

impl<'a> Binder<'a> {
    /// KQL `join [kind=…] (right) on …`: every left column, then every right
    /// column (a clashing name gets Kusto's numeric suffix: `cIP1`); semi and
    /// anti joins keep one side only.
    pub(crate) fn bind_join(
        &mut self,
        left: LogicalPlan,
        join: &ast::Join,
        span: ast::Span,
    ) -> Result<LogicalPlan> {
        if !join.hints.is_empty() {
            self.notes
                .push("join hints are accepted and have no effect here".into());
        }
        let right = self.bind_tabular(&join.right)?;
        let kind = join.kind.map(join_kind).unwrap_or(JoinKind::InnerUnique);
        let keys = resolve_keys(
            &join.on,
            (&left, "the left side"),
            (&right, "the right side"),
            span,
        )?;
        let mut output = Vec::new();
        let mut columns: Vec<Column> = Vec::new();
        let keep_left = !matches!(kind, JoinKind::RightSemi | JoinKind::RightAnti);
        let keep_right = !matches!(kind, JoinKind::LeftSemi | JoinKind::LeftAnti);
        if keep_left {
            for (i, c) in left.schema().columns.iter().enumerate() {
                output.push((JoinSide::Left, i));
                columns.push(c.clone());
            }
        }
        if keep_right {
            for (i, c) in right.schema().columns.iter().enumerate() {
                output.push((JoinSide::Right, i));
                columns.push(Column {
                    name: naming::unique(&c.name, &columns),
                    ty: c.ty,
                });
            }
        }
        Ok(self.join_node(left, right, kind, keys, output, columns))
    }

    /// KQL `lookup [kind=leftouter|inner] (right) on …` and ES|QL
    /// `LOOKUP JOIN index ON field`: the left columns, then the right's
    /// non-key columns. A clashing name gets a suffix in KQL; in ES|QL the
    /// lookup's field replaces the input's.
    pub(crate) fn bind_lookup(
        &mut self,
        left: LogicalPlan,
        lookup: &ast::Lookup,
        span: ast::Span,
    ) -> Result<LogicalPlan> {
        let right = self.bind_tabular(&lookup.right)?;
        let kind = match lookup.kind.map(join_kind) {
            None | Some(JoinKind::LeftOuter) => JoinKind::LeftOuter,
            Some(JoinKind::Inner) => JoinKind::Inner,
            Some(other) => {
                return Err(PlanError::new(
                    "plan::bad_lookup_kind",
                    span,
                    format!("`lookup` has no kind `{}`", other.as_str()),
                    "here",
                )
                .with_help("lookup takes kind=leftouter (the default) or kind=inner; use `join` for the others"))
            }
        };
        let right_label = match (&lookup.right.source.kind, self.dialect) {
            (ast::SourceKind::Table(names), Dialect::Esql) if names.len() == 1 => {
                format!("the lookup index `{}`", names[0].name)
            }
            _ => "the right side".to_string(),
        };
        let left_label = if self.dialect == Dialect::Esql {
            "the input"
        } else {
            "the left side"
        };
        let keys = resolve_keys(
            &lookup.on,
            (&left, left_label),
            (&right, &right_label),
            span,
        )?;
        let (output, columns) = lookup_columns(
            left.schema(),
            right.schema(),
            &keys.right,
            self.dialect == Dialect::Esql,
        );
        Ok(self.join_node(left, right, kind, keys, output, columns))
    }

    /// ES|QL `ENRICH policy [ON field] [WITH [new =] field, …]`: a policy is a
    /// lookup table whose first column is its match field; each input row
    /// gets the fields of the first row that matches (nulls when none does).
    pub(crate) fn bind_enrich(
        &mut self,
        left: LogicalPlan,
        policy: &ast::Ident,
        on: Option<&ast::Ident>,
        with: &[ast::Rename],
        span: ast::Span,
    ) -> Result<LogicalPlan> {
        let Some(table) = self.catalog.lookup_table(&policy.name) else {
            let known: Vec<&str> = self.catalog.lookup_names().collect();
            let mut err = PlanError::new(
                "plan::unknown_policy",
                policy.span,
                format!("unknown enrich policy `{}`", policy.name),
                "no lookup table has this name",
            );
            err = match did_you_mean(&policy.name, known.iter().copied()) {
                Some(s) => err.with_help(format!("did you mean `{s}`?")),
                None if known.is_empty() => err.with_help(
                    "an enrich policy is a CSV file in the dataset's `lookups/` folder (or given with --lookup); its first column is the match field",
                ),
                None => err.with_help(format!("the policies are: {}", known.join(", "))),
            };
            return Err(err);
        };
        let right = super::scan_all(&table.name, &table.schema);
        let right_schema = table.schema.clone();
        let Some(match_field) = right_schema.columns.first() else {
            return Err(PlanError::new(
                "plan::empty_policy",
                policy.span,
                format!("the enrich policy `{}` has no columns", policy.name),
                "here",
            ));
        };
        let on_name = on.map(|i| i.name.as_str()).unwrap_or(&match_field.name);
        let on_span = on.map(|i| i.span).unwrap_or(span);
        let left_key = column_index(left.schema(), on_name, on_span, "the input")?;
        let key_type = common_key_type(left.schema().columns[left_key].ty, match_field.ty)
            .ok_or_else(|| {
                key_type_error(
                    on_span,
                    on_name,
                    left.schema().columns[left_key].ty,
                    &match_field.name,
                    match_field.ty,
                )
            })?;
        let keys = Keys {
            left: vec![left_key],
            right: vec![0],
            types: vec![key_type],
        };
        // WITH picks and renames enrich fields; without it, every one.
        let mut picked: Vec<(usize, String)> = Vec::new();
        if with.is_empty() {
            for (i, c) in right_schema.columns.iter().enumerate().skip(1) {
                picked.push((i, c.name.clone()));
            }
        } else {
            for r in with {
                let i = column_index(&right_schema, &r.old.name, r.old.span, "the policy")?;
                picked.push((i, r.new.name.clone()));
            }
        }
        let mut output: Vec<(JoinSide, usize)> = Vec::new();
        let mut columns: Vec<Column> = Vec::new();
        for (i, c) in left.schema().columns.iter().enumerate() {
            if picked.iter().any(|(_, name)| *name == c.name) {
                continue; // replaced by the enrich field of that name
            }
            output.push((JoinSide::Left, i));
            columns.push(c.clone());
        }
        for (i, name) in picked {
            output.push((JoinSide::Right, i));
            columns.push(Column {
                name,
                ty: right_schema.columns[i].ty,
            });
        }
        let mut plan = self.join_node(left, right, JoinKind::LeftOuter, keys, output, columns);
        if let LogicalPlan::Join(j) = &mut plan {
            j.first_match_only = true;
        }
        Ok(plan)
    }

    pub(super) fn join_node(
        &self,
        left: LogicalPlan,
        right: LogicalPlan,
        kind: JoinKind,
        keys: Keys,
        output: Vec<(JoinSide, usize)>,
        columns: Vec<Column>,
    ) -> LogicalPlan {
        LogicalPlan::Join(Join {
            left: Box::new(left),
            right: Box::new(right),
            kind,
            left_keys: keys.left,
            right_keys: keys.right,
            key_types: keys.types,
            null_keys_match: self.dialect == Dialect::Kql,
            output,
            first_match_only: false,
            ip_prefix: None,
            schema: Schema::new(columns),
        })
    }
}

/// The output of a lookup: left columns, then the right's non-key columns.
/// `replace`: a right column whose name the left has replaces it (ES|QL);
/// otherwise it gets a numeric suffix (Kusto).
pub(super) fn lookup_columns(
    left: &Schema,
    right: &Schema,
    right_keys: &[usize],
    replace: bool,
) -> (Vec<(JoinSide, usize)>, Vec<Column>) {
    let right_fields: Vec<(usize, &Column)> = right
        .columns
        .iter()
        .enumerate()
        .filter(|(i, _)| !right_keys.contains(i))
        .collect();
    let mut output = Vec::new();
    let mut columns: Vec<Column> = Vec::new();
    for (i, c) in left.columns.iter().enumerate() {
        if replace && right_fields.iter().any(|(_, r)| r.name == c.name) {
            continue;
        }
        output.push((JoinSide::Left, i));
        columns.push(c.clone());
    }
    for (i, c) in right_fields {
        output.push((JoinSide::Right, i));
        columns.push(Column {
            name: naming::unique(&c.name, &columns),
            ty: c.ty,
        });
    }
    (output, columns)
}

fn join_kind(k: ast::JoinKind) -> JoinKind {
    match k {
        ast::JoinKind::Inner => JoinKind::Inner,
        ast::JoinKind::InnerUnique => JoinKind::InnerUnique,
        ast::JoinKind::LeftOuter => JoinKind::LeftOuter,
        ast::JoinKind::RightOuter => JoinKind::RightOuter,
        ast::JoinKind::FullOuter => JoinKind::FullOuter,
        ast::JoinKind::LeftAnti => JoinKind::LeftAnti,
        ast::JoinKind::RightAnti => JoinKind::RightAnti,
        ast::JoinKind::LeftSemi => JoinKind::LeftSemi,
        ast::JoinKind::RightSemi => JoinKind::RightSemi,
    }
}

/// `on a` (the same name both sides) and `on $left.a == $right.b`.
fn resolve_keys(
    on: &[JoinCondition],
    (left, left_label): (&LogicalPlan, &str),
    (right, right_label): (&LogicalPlan, &str),
    span: ast::Span,
) -> Result<Keys> {
    let (left, right) = (left.schema(), right.schema());
    if on.is_empty() {
        return Err(PlanError::new(
            "plan::no_join_keys",
            span,
            "a join needs at least one key",
            "here",
        )
        .with_help("for example `on cIP` or `on $left.cIP == $right.ClientIP`"));
    }
    let mut keys = Keys {
        left: Vec::new(),
        right: Vec::new(),
        types: Vec::new(),
    };
    for c in on {
        let (l_name, l_span, r_name, r_span, span) = match c {
            JoinCondition::Column(i) => (&i.name, i.span, &i.name, i.span, i.span),
            JoinCondition::Equal { left, right, span } => {
                (&left.name, left.span, &right.name, right.span, *span)
            }
        };
        let l = column_index(left, l_name, l_span, left_label)?;
        let r = column_index(right, r_name, r_span, right_label)?;
        let (lt, rt) = (left.columns[l].ty, right.columns[r].ty);
        let ty =
            common_key_type(lt, rt).ok_or_else(|| key_type_error(span, l_name, lt, r_name, rt))?;
        keys.left.push(l);
        keys.right.push(r);
        keys.types.push(ty);
    }
    Ok(keys)
}

pub(super) fn column_index(
    schema: &Schema,
    name: &str,
    span: ast::Span,
    side: &str,
) -> Result<usize> {
    if let Some(i) = schema.columns.iter().position(|c| c.name == name) {
        return Ok(i);
    }
    let mut err = PlanError::new(
        "plan::unknown_join_column",
        span,
        format!("{side} has no column `{name}`"),
        "not found",
    );
    if let Some(s) = did_you_mean(name, schema.names()) {
        err = err.with_help(format!("did you mean `{s}`?"));
    } else if schema.len() <= 12 {
        let names: Vec<&str> = schema.names().collect();
        err = err.with_help(format!("its columns are: {}", names.join(", ")));
    }
    Err(err)
}

/// Keys of the same type match; whole numbers widen to long, any real to real.
pub(super) fn common_key_type(a: KType, b: KType) -> Option<KType> {
    use KType::*;
    match (a, b) {
        _ if a == b => Some(a),
        (Int, Long) | (Long, Int) => Some(Long),
        (Int | Long | Real | Decimal, Int | Long | Real | Decimal) => Some(Real),
        _ => None,
    }
}

pub(super) fn key_type_error(span: ast::Span, l: &str, lt: KType, r: &str, rt: KType) -> PlanError {
    PlanError::new(
        "plan::join_key_types",
        span,
        format!(
            "join keys of different types: `{l}` is {} and `{r}` is {}",
            lt.name(),
            rt.name()
        ),
        "these keys cannot match",
    )
    .with_help("convert one side first, e.g. `extend k = tostring(…)` before the join")
}
