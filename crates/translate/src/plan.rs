//! Operators: each logical plan node becomes one `SELECT` over its input as a
//! named subquery, with the node's output columns as quoted aliases, so names
//! carry over exactly (`count_`, `set_sPort`, `TimeGenerated` after `bin`).
//! The engines flatten the nesting; what they cannot see through is said in
//! docs/scale-out.md.

use iishunt_plan::expr::{BoundExpr, SortExpr};
use iishunt_plan::logical::{
    Aggregate, Join, JoinKind, JoinSide, LogicalPlan, MakeSeries, MvExpand, Project, Scan, Union,
    ValueRange, Values,
};
use iishunt_plan::schema::Schema;
use iishunt_plan::types::{KType, ScalarValue};

use crate::aggregate::aggregate;
use crate::dialect::Target;
use crate::error::{Result, TranslateError};
use crate::expr::{literal, Repr, Scope, Sql};
use crate::subquery::{residue, Subquery, SubquerySql};
use crate::tables::{Dataset, PARTITION_COLUMN};

/// A translated relation: a query and what its columns hold.
pub struct Rel {
    pub sql: String,
    pub columns: Vec<Col>,
}

#[derive(Debug, Clone)]
pub struct Col {
    pub name: String,
    pub repr: Repr,
    pub nullable: bool,
}

pub struct Translator<'a> {
    pub target: Target,
    pub dataset: &'a Dataset,
    pub now: Option<i64>,
    aliases: usize,
    /// Tables the query reads, in first-read order (for Spark's views).
    pub tables_read: Vec<String>,
    subqueries: Vec<SubquerySql>,
}

impl<'a> Translator<'a> {
    pub fn new(target: Target, dataset: &'a Dataset, now: Option<i64>) -> Self {
        Translator {
            target,
            dataset,
            now,
            aliases: 0,
            tables_read: Vec::new(),
            subqueries: Vec::new(),
        }
    }

    /// Translates a subquery the binder recorded; later ones may use it.
    pub fn add_subquery(&mut self, s: &Subquery) -> Result<()> {
        let Some(first) = s.plan.schema().columns.first().cloned() else {
            return Err(TranslateError::unsupported(
                "a subquery with no column",
                self.target,
                "it has no value",
            ));
        };
        let rel = self.rel(&s.plan)?;
        let a = self.alias();
        self.subqueries.push(SubquerySql {
            placeholder: s.placeholder.clone(),
            sql: format!(
                "SELECT {a}.{} FROM ({}) AS {a}",
                self.ident(&first.name),
                rel.sql
            ),
            used: std::cell::Cell::new(false),
        });
        Ok(())
    }

    /// Every subquery met, and no placeholder left in the SQL.
    pub fn check_subqueries(&self, sql: &str) -> Result<()> {
        for s in &self.subqueries {
            if !s.used.get() || sql.contains(&residue(&s.placeholder)) {
                return Err(TranslateError::unsupported(
                    "this use of a subquery (`in (T)`, `toscalar(T)`)",
                    self.target,
                    "iishunt used its value while planning (as a count, size or folded constant)",
                ));
            }
        }
        Ok(())
    }

    fn alias(&mut self) -> String {
        self.aliases += 1;
        format!("t{}", self.aliases)
    }

    fn ident(&self, name: &str) -> String {
        self.target.ident(name)
    }

    /// The columns of `rel` as seen through the alias `a`.
    fn scope_columns(&self, a: &str, cols: &[Col]) -> Vec<Sql> {
        cols.iter()
            .map(|c| Sql::new(format!("{a}.{}", self.ident(&c.name)), c.repr, c.nullable))
            .collect()
    }

    fn scope<'s>(&'s self, columns: &'s [Sql]) -> Scope<'s> {
        Scope {
            target: self.target,
            columns,
            now: self.now,
            subqueries: &self.subqueries,
        }
    }

    /// The whole query: the plan, with a sort under the final projections
    /// lifted to the outermost `SELECT` (engines need not keep the order of a
    /// subquery).
    pub fn query(&mut self, plan: &LogicalPlan) -> Result<String> {
        if let Some((keys, below)) = liftable_sort(plan) {
            let rel = self.rel(&below)?;
            let a = self.alias();
            let order = keys
                .iter()
                .map(|(name, desc, nulls_first)| {
                    format!(
                        "{a}.{} {} NULLS {}",
                        self.ident(name),
                        if *desc { "DESC" } else { "ASC" },
                        if *nulls_first { "FIRST" } else { "LAST" }
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            return Ok(format!(
                "SELECT {} FROM ({}) AS {a} ORDER BY {order}",
                self.select_all(&a, &rel.columns),
                rel.sql
            ));
        }
        Ok(self.rel(plan)?.sql)
    }

    fn select_all(&self, a: &str, cols: &[Col]) -> String {
        cols.iter()
            .map(|c| format!("{a}.{}", self.ident(&c.name)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub fn rel(&mut self, plan: &LogicalPlan) -> Result<Rel> {
        check_names(plan.schema())?;
        match plan {
            LogicalPlan::Scan(s) => self.scan(s),
            LogicalPlan::Values(v) => self.values(v),
            LogicalPlan::Filter(f) => {
                let input = self.rel(&f.input)?;
                let a = self.alias();
                let cols = self.scope_columns(&a, &input.columns);
                let p = self.scope(&cols).expr(&f.predicate)?;
                Ok(Rel {
                    sql: format!(
                        "SELECT {} FROM ({}) AS {a} WHERE {}",
                        self.select_all(&a, &input.columns),
                        input.sql,
                        p.text
                    ),
                    columns: input.columns,
                })
            }
            LogicalPlan::Project(p) => self.project(p),
            LogicalPlan::Aggregate(a) => self.aggregate(a),
            LogicalPlan::Sort(s) => self.sorted(&s.input, &s.keys, None),
            LogicalPlan::TopN(t) => self.sorted(&t.input, &t.keys, Some(t.n)),
            LogicalPlan::Limit(l) => {
                let input = self.rel(&l.input)?;
                let a = self.alias();
                Ok(Rel {
                    sql: format!(
                        "SELECT {} FROM ({}) AS {a} LIMIT {}",
                        self.select_all(&a, &input.columns),
                        input.sql,
                        l.n
                    ),
                    columns: input.columns,
                })
            }
            LogicalPlan::Union(u) => self.union(u),
            LogicalPlan::Join(j) => self.join(j),
            LogicalPlan::MvExpand(m) => self.mv_expand(m),
            LogicalPlan::MakeSeries(m) => self.make_series(m),
            // A cache hint: the engines plan common subqueries themselves.
            LogicalPlan::Materialize(m) => self.rel(&m.input),
            // SQL has no row order without ORDER BY, and `prev`/`row_number`
            // read the order the rows arrive in.
            LogicalPlan::Graph(_) => Err(TranslateError::unsupported(
                "the graph operators (`make-graph`, `graph-match`, …)",
                self.target,
                "SQL has no graph pattern matching",
            )),
            LogicalPlan::Window(w) => {
                let names: Vec<&str> = w.calls.iter().map(|c| c.kind.name()).collect();
                Err(TranslateError::unsupported(
                    &format!("the window function `{}`", names.join("`, `")),
                    self.target,
                    "it reads the order the rows arrive in, which SQL does not keep without an ORDER BY",
                ))
            }
            LogicalPlan::SequenceScan(_) => Err(TranslateError::unsupported(
                "the `scan` operator",
                self.target,
                "its state machine reads the rows one by one in order, which SQL cannot express",
            )),
        }
    }

    fn scan(&mut self, s: &Scan) -> Result<Rel> {
        let t = self.target;
        let Some(table) = self.dataset.table(&s.table) else {
            return Err(TranslateError::unsupported(
                &format!("the table `{}`", s.table),
                t,
                "it is not a table of the dataset",
            ));
        };
        if table.csv.is_some() && t == Target::Trino {
            return Err(TranslateError::unsupported(
                &format!("the lookup table `{}`", s.table),
                t,
                "Trino reads CSV only through a Hive table of text columns; load it as a table and join to that",
            ));
        }
        if !self.tables_read.contains(&s.table) {
            self.tables_read.push(s.table.clone());
        }
        let mut select = Vec::new();
        let mut columns = Vec::new();
        let mut refs = Vec::new();
        for c in &s.schema.columns {
            let stored = table.has_files && table.stored.iter().any(|(n, _)| *n == c.name);
            let sql_ty = t.type_name(c.ty).ok_or_else(|| {
                TranslateError::unsupported(
                    &format!("the dynamic column `{}`", c.name),
                    t,
                    "stored dynamic columns are not translated",
                )
            })?;
            let (text, nullable) = if stored {
                (self.ident(&c.name), true)
            } else {
                (format!("CAST(NULL AS {sql_ty})"), true)
            };
            if stored {
                select.push(self.ident(&c.name));
            } else {
                select.push(format!("{text} AS {}", self.ident(&c.name)));
            }
            refs.push(Sql::new(text, Repr::Plain(c.ty), nullable));
            columns.push(Col {
                name: c.name.clone(),
                repr: Repr::Plain(c.ty),
                nullable,
            });
        }
        if select.is_empty() {
            // `count` over a table reads no column; SQL needs one.
            select.push("1 AS __one".into());
        }
        if !table.has_files {
            return Ok(Rel {
                sql: format!("SELECT {} WHERE FALSE", select.join(", ")),
                columns,
            });
        }
        let mut conds = Vec::new();
        if let Some(f) = &s.filter {
            let scope = self.scope(&refs);
            conds.push(scope.expr(f)?.text);
            conds.extend(self.partition_bounds(f, &s.schema, &scope)?);
        }
        let mut sql = format!(
            "SELECT {} FROM {}",
            select.join(", "),
            self.dataset.reference(t, &s.table)
        );
        if !conds.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&conds.join(" AND "));
        }
        Ok(Rel { sql, columns })
    }

    /// `date` partition bounds implied by `TimeGenerated` bounds in the filter,
    /// so engines skip whole days: `TimeGenerated > X` gives `date >= CAST(X AS DATE)`.
    fn partition_bounds(
        &self,
        filter: &BoundExpr,
        schema: &Schema,
        scope: &Scope,
    ) -> Result<Vec<String>> {
        let Some(time) = schema.index_of("TimeGenerated") else {
            return Ok(Vec::new());
        };
        let mut conjuncts = Vec::new();
        collect_conjuncts(filter, &mut conjuncts);
        let date = self.ident(PARTITION_COLUMN);
        let mut out = Vec::new();
        for c in conjuncts {
            let BoundExpr::Call { func, args, .. } = c else {
                continue;
            };
            let [l, r] = args.as_slice() else { continue };
            let (op, bound) = match (l.as_column(), r.as_column()) {
                (Some(i), None) if i == time && constant(r) => (func.name, r),
                (None, Some(i)) if i == time && constant(l) => (flip(func.name), l),
                _ => continue,
            };
            let cmp = match op {
                "__gt" | "__ge" => ">=",
                "__lt" | "__le" => "<=",
                _ => continue,
            };
            let placeholder = self
                .subqueries
                .iter()
                .any(|s| bound.as_literal() == Some(&s.placeholder));
            let instant = match bound {
                BoundExpr::Literal(ScalarValue::DateTime(v)) if !placeholder => Some(*v),
                BoundExpr::Call { func, args, .. } => {
                    crate::functions::const_time(self.now, func.name, args)
                }
                _ => None,
            };
            let value = match instant.and_then(|v| self.target.date_literal(v)) {
                Some(d) => d,
                None => format!("CAST({} AS DATE)", scope.expr(bound)?.text),
            };
            out.push(format!("{date} {cmp} {value}"));
        }
        Ok(out)
    }

    fn values(&mut self, v: &Values) -> Result<Rel> {
        let t = self.target;
        let expanded;
        let v = match &v.range {
            Some(range) => {
                expanded = expand_range(v, range, t)?;
                &expanded
            }
            None => v,
        };
        let mut columns = Vec::new();
        for c in &v.schema.columns {
            columns.push(Col {
                name: c.name.clone(),
                repr: Repr::Plain(c.ty),
                nullable: true,
            });
        }
        let mut rows = Vec::new();
        for row in &v.rows {
            let mut cells = Vec::new();
            for (i, cell) in row.iter().enumerate() {
                // Through a scope: a cell may be a subquery's placeholder.
                let sql = self.scope(&[]).expr(&BoundExpr::Literal(cell.clone()))?;
                if let Some(col) = columns.get_mut(i) {
                    if matches!(sql.repr, Repr::Array(_)) {
                        col.repr = sql.repr;
                    }
                }
                let ty = v.schema.columns.get(i).and_then(|c| t.type_name(c.ty));
                cells.push(match (ty, sql.repr) {
                    (Some(ty), Repr::Plain(_)) => format!("CAST({} AS {ty})", sql.text),
                    _ => sql.text,
                });
            }
            rows.push(cells);
        }
        let names: Vec<String> = columns.iter().map(|c| self.ident(&c.name)).collect();
        if rows.is_empty() || names.is_empty() {
            let nulls: Vec<String> = v
                .schema
                .columns
                .iter()
                .map(|c| {
                    format!(
                        "CAST(NULL AS {}) AS {}",
                        t.type_name(c.ty).unwrap_or("VARCHAR"),
                        self.ident(&c.name)
                    )
                })
                .collect();
            let select = if nulls.is_empty() {
                "1 AS __one".to_string()
            } else {
                nulls.join(", ")
            };
            let filter = if rows.is_empty() { " WHERE FALSE" } else { "" };
            return Ok(Rel {
                sql: format!("SELECT {select}{filter}"),
                columns,
            });
        }
        let selects: Vec<String> = rows
            .iter()
            .map(|cells| {
                let items: Vec<String> = cells
                    .iter()
                    .zip(&names)
                    .map(|(c, n)| format!("{c} AS {n}"))
                    .collect();
                format!("SELECT {}", items.join(", "))
            })
            .collect();
        Ok(Rel {
            sql: selects.join(" UNION ALL "),
            columns,
        })
    }

    fn project(&mut self, p: &Project) -> Result<Rel> {
        let input = self.rel(&p.input)?;
        let a = self.alias();
        let cols = self.scope_columns(&a, &input.columns);
        let scope = self.scope(&cols);
        let mut items = Vec::new();
        let mut columns = Vec::new();
        for (e, c) in p.exprs.iter().zip(&p.schema.columns) {
            let s = scope.expr(e)?;
            items.push(format!("{} AS {}", s.text, self.ident(&c.name)));
            columns.push(Col {
                name: c.name.clone(),
                repr: s.repr,
                nullable: s.nullable,
            });
        }
        Ok(Rel {
            sql: format!("SELECT {} FROM ({}) AS {a}", select_list(items), input.sql),
            columns,
        })
    }

    fn aggregate(&mut self, g: &Aggregate) -> Result<Rel> {
        let input = self.rel(&g.input)?;
        let a = self.alias();
        let cols = self.scope_columns(&a, &input.columns);
        let scope = self.scope(&cols);
        let mut items = Vec::new();
        let mut columns = Vec::new();
        let mut names = g.schema.columns.iter();
        for k in &g.keys {
            let s = scope.expr(k)?;
            if matches!(s.repr, Repr::Array(_) | Repr::Plain(KType::Dynamic)) {
                return Err(TranslateError::unsupported(
                    "grouping by a dynamic value",
                    self.target,
                    "SQL engines group arrays differently",
                ));
            }
            let name = names.next().map(|c| c.name.clone()).unwrap_or_default();
            items.push(format!("{} AS {}", s.text, self.ident(&name)));
            columns.push(Col {
                name,
                repr: s.repr,
                nullable: s.nullable,
            });
        }
        for call in &g.aggregates {
            let s = aggregate(&scope, call)?;
            let name = names.next().map(|c| c.name.clone()).unwrap_or_default();
            items.push(format!("{} AS {}", s.text, self.ident(&name)));
            columns.push(Col {
                name,
                repr: s.repr,
                nullable: s.nullable,
            });
        }
        let group = if g.keys.is_empty() {
            String::new()
        } else {
            let ordinals: Vec<String> = (1..=g.keys.len()).map(|i| i.to_string()).collect();
            format!(" GROUP BY {}", ordinals.join(", "))
        };
        let sql = format!(
            "SELECT {} FROM ({}) AS {a}{group}",
            select_list(items),
            input.sql
        );
        let Some(having) = &g.having else {
            return Ok(Rel { sql, columns });
        };
        let b = self.alias();
        let cols = self.scope_columns(&b, &columns);
        let h = self.scope(&cols).expr(having)?;
        Ok(Rel {
            sql: format!(
                "SELECT {} FROM ({sql}) AS {b} WHERE {}",
                self.select_all(&b, &columns),
                h.text
            ),
            columns,
        })
    }

    fn sorted(&mut self, input: &LogicalPlan, keys: &[SortExpr], n: Option<usize>) -> Result<Rel> {
        let input = self.rel(input)?;
        let a = self.alias();
        let cols = self.scope_columns(&a, &input.columns);
        let scope = self.scope(&cols);
        let mut order = Vec::new();
        for k in keys {
            let s = scope.expr(&k.expr)?;
            if matches!(s.repr, Repr::Array(_) | Repr::Plain(KType::Dynamic)) {
                return Err(TranslateError::unsupported(
                    "sorting by a dynamic value",
                    self.target,
                    "SQL engines order arrays differently",
                ));
            }
            order.push(format!(
                "{} {} NULLS {}",
                s.text,
                if k.descending { "DESC" } else { "ASC" },
                if k.nulls_first { "FIRST" } else { "LAST" }
            ));
        }
        let limit = n.map(|n| format!(" LIMIT {n}")).unwrap_or_default();
        Ok(Rel {
            sql: format!(
                "SELECT {} FROM ({}) AS {a} ORDER BY {}{limit}",
                self.select_all(&a, &input.columns),
                input.sql,
                order.join(", ")
            ),
            columns: input.columns,
        })
    }

    fn union(&mut self, u: &Union) -> Result<Rel> {
        let t = self.target;
        let mut parts = Vec::new();
        let mut columns: Vec<Col> = u
            .schema
            .columns
            .iter()
            .map(|c| Col {
                name: c.name.clone(),
                repr: Repr::Plain(c.ty),
                nullable: true,
            })
            .collect();
        for (input, mapping) in u.inputs.iter().zip(&u.mappings) {
            let rel = self.rel(input)?;
            let a = self.alias();
            let mut items = Vec::new();
            for (i, (m, c)) in mapping.iter().zip(&u.schema.columns).enumerate() {
                let ty = t.type_name(c.ty);
                match m {
                    Some(j) => {
                        let src = &rel.columns[*j];
                        let col = format!("{a}.{}", self.ident(&src.name));
                        if matches!(src.repr, Repr::Array(_)) {
                            columns[i].repr = src.repr;
                            items.push(format!("{col} AS {}", self.ident(&c.name)));
                        } else {
                            let ty = ty.ok_or_else(|| {
                                TranslateError::unsupported(
                                    "`union` of dynamic columns",
                                    t,
                                    "their element types are unknown",
                                )
                            })?;
                            items.push(format!("CAST({col} AS {ty}) AS {}", self.ident(&c.name)));
                        }
                    }
                    None => {
                        let ty = ty.ok_or_else(|| {
                            TranslateError::unsupported(
                                "`union` of dynamic columns",
                                t,
                                "their element types are unknown",
                            )
                        })?;
                        items.push(format!("CAST(NULL AS {ty}) AS {}", self.ident(&c.name)));
                    }
                }
            }
            parts.push(format!(
                "SELECT {} FROM ({}) AS {a}",
                select_list(items),
                rel.sql
            ));
        }
        if parts.is_empty() {
            return Err(TranslateError::internal("translate::union", "no inputs"));
        }
        Ok(Rel {
            sql: parts.join(" UNION ALL "),
            columns,
        })
    }

    fn join(&mut self, j: &Join) -> Result<Rel> {
        let t = self.target;
        if let Some(family) = j.ip_prefix {
            let plugin = match family {
                iishunt_plan::logical::IpFamily::V4 => "`evaluate ipv4_lookup`",
                iishunt_plan::logical::IpFamily::V6 => "`evaluate ipv6_lookup`",
            };
            return Err(TranslateError::unsupported(
                plugin,
                t,
                "matching addresses to CIDR networks is not translated",
            ));
        }
        let mut left = self.rel(&j.left)?;
        let mut right = self.rel(&j.right)?;
        // Kusto's default: one left row per key (which one is unspecified).
        if j.kind == JoinKind::InnerUnique {
            left = self.first_per_key(left, &j.left_keys)?;
        }
        if j.first_match_only {
            right = self.first_per_key(right, &j.right_keys)?;
        }
        let (l, r) = (self.alias(), self.alias());
        let mut on = Vec::new();
        for (lk, rk) in j.left_keys.iter().zip(&j.right_keys) {
            let (lc, rc) = (&left.columns[*lk], &right.columns[*rk]);
            let (a, b) = (
                format!("{l}.{}", self.ident(&lc.name)),
                format!("{r}.{}", self.ident(&rc.name)),
            );
            if lc.repr.is_text() != rc.repr.is_text() {
                return Err(TranslateError::unsupported(
                    "a join of text with a non-text key",
                    t,
                    "the key conversion is not translated",
                ));
            }
            on.push(match (lc.repr.is_text(), j.null_keys_match) {
                (true, true) => format!("coalesce({a}, '') = coalesce({b}, '')"),
                (false, true) => t.null_safe_eq(&a, &b),
                _ => format!("{a} = {b}"),
            });
        }
        let on = if on.is_empty() {
            "TRUE".to_string()
        } else {
            on.join(" AND ")
        };
        let side = |s: JoinSide| if s == JoinSide::Left { &l } else { &r };
        let mut items = Vec::new();
        let mut columns = Vec::new();
        for ((s, i), c) in j.output.iter().zip(&j.schema.columns) {
            let src = if *s == JoinSide::Left {
                &left.columns[*i]
            } else {
                &right.columns[*i]
            };
            items.push(format!(
                "{}.{} AS {}",
                side(*s),
                self.ident(&src.name),
                self.ident(&c.name)
            ));
            let outer = match s {
                JoinSide::Left => j.kind.keeps_unmatched_right(),
                JoinSide::Right => j.kind.keeps_unmatched_left(),
            };
            columns.push(Col {
                name: c.name.clone(),
                repr: src.repr,
                nullable: src.nullable || outer,
            });
        }
        let select = select_list(items);
        let sql = match j.kind {
            JoinKind::LeftSemi | JoinKind::LeftAnti | JoinKind::RightSemi | JoinKind::RightAnti => {
                let not = if matches!(j.kind, JoinKind::LeftAnti | JoinKind::RightAnti) {
                    "NOT "
                } else {
                    ""
                };
                let (outer, inner) = if matches!(j.kind, JoinKind::LeftSemi | JoinKind::LeftAnti) {
                    ((&left.sql, &l), (&right.sql, &r))
                } else {
                    ((&right.sql, &r), (&left.sql, &l))
                };
                format!(
                    "SELECT {select} FROM ({}) AS {} WHERE {not}EXISTS (SELECT 1 FROM ({}) AS {} WHERE {on})",
                    outer.0, outer.1, inner.0, inner.1
                )
            }
            kind => {
                let k = match kind {
                    JoinKind::InnerUnique | JoinKind::Inner => "INNER JOIN",
                    JoinKind::LeftOuter => "LEFT OUTER JOIN",
                    JoinKind::RightOuter => "RIGHT OUTER JOIN",
                    _ => "FULL OUTER JOIN",
                };
                format!(
                    "SELECT {select} FROM ({}) AS {l} {k} ({}) AS {r} ON {on}",
                    left.sql, right.sql
                )
            }
        };
        Ok(Rel { sql, columns })
    }

    /// One row per distinct value of `keys`.
    fn first_per_key(&mut self, rel: Rel, keys: &[usize]) -> Result<Rel> {
        let a = self.alias();
        let b = self.alias();
        let parts: Vec<String> = keys
            .iter()
            .map(|k| format!("{a}.{}", self.ident(&rel.columns[*k].name)))
            .collect();
        let partition = if parts.is_empty() {
            "1".to_string()
        } else {
            parts.join(", ")
        };
        Ok(Rel {
            sql: format!(
                "SELECT {} FROM (SELECT {a}.*, row_number() OVER (PARTITION BY {partition} ORDER BY {partition}) AS __rn FROM ({}) AS {a}) AS {b} WHERE {b}.__rn = 1",
                self.select_all(&b, &rel.columns),
                rel.sql
            ),
            columns: rel.columns,
        })
    }

    /// `make-series`: the (group, bin) cells, every group crossed with every
    /// bin of the axis, left-joined to the cells (a default where a group has
    /// no cell), then one ordered array per aggregate and the axis.
    fn make_series(&mut self, m: &MakeSeries) -> Result<Rel> {
        let t = self.target;
        let input = self.rel(&m.input)?;
        let q = |n: &str| t.ident(n);
        let k = m.keys;
        let (Some(bin_col), true) = (
            input.columns.get(k).cloned(),
            m.defaults.len() + k + 1 == input.columns.len(),
        ) else {
            return Err(TranslateError::internal(
                "translate::make_series",
                "cells do not match the axis",
            ));
        };
        let step = m.axis.step;
        let x = self.alias();
        // The cells, with the bin as an integer (microseconds for datetimes).
        let bin_int = match bin_col.repr {
            Repr::Plain(KType::DateTime) => t.to_micros(&format!("{x}.{}", q(&bin_col.name))),
            _ => format!("{x}.{}", q(&bin_col.name)),
        };
        let mut cell_items: Vec<String> = input.columns[..k]
            .iter()
            .map(|c| format!("{x}.{}", q(&c.name)))
            .collect();
        cell_items.push(format!("{bin_int} AS __b"));
        cell_items.extend(
            input.columns[k + 1..]
                .iter()
                .map(|c| format!("{x}.{}", q(&c.name))),
        );
        let cells = format!(
            "SELECT {} FROM ({}) AS {x}",
            cell_items.join(", "),
            input.sql
        );
        let bound = |v: Option<i64>| {
            v.map_or("CAST(NULL AS BIGINT)".to_string(), |v| {
                format!("CAST({v} AS BIGINT)")
            })
        };
        let bounds = format!(
            "SELECT coalesce({}, min(__b)) AS lo, coalesce({}, max(__b) + {step}) AS hi FROM __cells",
            bound(m.axis.start),
            bound(m.axis.end)
        );
        let bins = match t {
            Target::DuckDb => format!("SELECT unnest(range(lo, hi, {step})) AS __b FROM __bounds"),
            Target::Spark => format!(
                "SELECT explode(CASE WHEN hi > lo THEN sequence(lo, hi - 1, CAST({step} AS BIGINT)) ELSE CAST(array() AS ARRAY<BIGINT>) END) AS __b FROM __bounds"
            ),
            Target::Trino => format!(
                "SELECT s.__b FROM __bounds CROSS JOIN UNNEST(CASE WHEN hi > lo THEN sequence(lo, hi - 1, {step}) ELSE CAST(ARRAY[] AS ARRAY(BIGINT)) END) AS s(__b)"
            ),
        };
        let key_names: Vec<String> = input.columns[..k].iter().map(|c| q(&c.name)).collect();
        let groups = if k == 0 {
            "SELECT 1 AS __one FROM __cells LIMIT 1".to_string()
        } else {
            format!("SELECT DISTINCT {} FROM __cells", key_names.join(", "))
        };
        let mut on: Vec<String> = key_names
            .iter()
            .map(|n| t.null_safe_eq(&format!("g.{n}"), &format!("c.{n}")))
            .collect();
        on.push("c.__b = b.__b".into());
        let ordered = |v: &str| match t {
            Target::DuckDb => format!("list({v} ORDER BY b.__b)"),
            Target::Trino => format!("array_agg({v} ORDER BY b.__b)"),
            Target::Spark => format!(
                "transform(array_sort(collect_list(struct(b.__b AS k, {v} AS v))), s -> s.v)"
            ),
        };
        let mut items: Vec<String> = Vec::new();
        let mut columns = Vec::new();
        for (i, c) in input.columns[..k].iter().enumerate() {
            let out = m
                .schema
                .columns
                .get(i)
                .map_or(c.name.clone(), |o| o.name.clone());
            items.push(format!("g.{} AS {}", q(&c.name), q(&out)));
            columns.push(Col {
                name: out,
                repr: c.repr,
                nullable: c.nullable,
            });
        }
        for (a, default) in m.defaults.iter().enumerate() {
            let c = &input.columns[k + 1 + a];
            let Some(elem) = c.repr.scalar() else {
                return Err(TranslateError::unsupported(
                    "`make-series` of a dynamic aggregate",
                    t,
                    "not translated",
                ));
            };
            let d = literal(t, default)?;
            let value = format!(
                "CASE WHEN c.__b IS NULL THEN {} ELSE c.{} END",
                d.text,
                q(&c.name)
            );
            let out = m
                .schema
                .columns
                .get(k + a)
                .map_or(c.name.clone(), |o| o.name.clone());
            items.push(format!("{} AS {}", ordered(&value), q(&out)));
            columns.push(Col {
                name: out,
                repr: Repr::Array(elem),
                nullable: false,
            });
        }
        let axis_value = match m.axis.ty {
            KType::DateTime => t.from_micros("b.__b"),
            _ => "b.__b".to_string(),
        };
        let axis_name = m
            .schema
            .columns
            .last()
            .map_or("axis".to_string(), |c| c.name.clone());
        items.push(format!("{} AS {}", ordered(&axis_value), q(&axis_name)));
        columns.push(Col {
            name: axis_name,
            repr: Repr::Array(m.axis.ty),
            nullable: false,
        });
        let group_by = if k == 0 {
            String::new()
        } else {
            format!(
                " GROUP BY {}",
                key_names
                    .iter()
                    .map(|n| format!("g.{n}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let a = self.alias();
        Ok(Rel {
            sql: format!(
                "SELECT {a}.* FROM (WITH __cells AS ({cells}), __bounds AS ({bounds}), __bins AS ({bins}), __groups AS ({groups}) \
SELECT {} FROM __groups AS g CROSS JOIN __bins AS b LEFT JOIN __cells AS c ON {}{group_by}) AS {a}",
                items.join(", "),
                on.join(" AND ")
            ),
            columns,
        })
    }

    /// `mv-expand`: row i of an input row takes element i of each expanded
    /// array (null past an array's end); a null array counts as one null
    /// element, an empty one as none. Written as an index sequence per input
    /// row, so several arrays expand in parallel and `with_itemindex` is the
    /// index itself.
    fn mv_expand(&mut self, m: &MvExpand) -> Result<Rel> {
        let t = self.target;
        let input = self.rel(&m.input)?;
        let a = self.alias();
        let mut lengths = Vec::new();
        for col in &m.columns {
            let Some(src) = input.columns.get(*col) else {
                return Err(TranslateError::internal(
                    "translate::mv_expand",
                    "column out of range",
                ));
            };
            if !matches!(src.repr, Repr::Array(_)) {
                return Err(TranslateError::unsupported(
                    "`mv-expand`",
                    t,
                    "only arrays made by split(), make_set(), make_list() or make-series are expanded",
                ));
            }
            let c = format!("{a}.{}", self.ident(&src.name));
            lengths.push(format!("coalesce({}, 1)", t.array_length(&c)));
        }
        let mut n = match lengths.as_slice() {
            [one] => one.clone(),
            many => format!("greatest({})", many.join(", ")),
        };
        if let Some(limit) = m.limit {
            n = format!("least({n}, {limit})");
        }
        let seq = match t {
            Target::DuckDb => format!("range(0, {n})"),
            Target::Spark => format!(
                "CASE WHEN {n} > 0 THEN sequence(0, {n} - 1) ELSE CAST(array() AS ARRAY<INT>) END"
            ),
            Target::Trino => format!(
                "CASE WHEN {n} > 0 THEN sequence(0, {n} - 1) ELSE CAST(ARRAY[] AS ARRAY(BIGINT)) END"
            ),
        };
        let inner = match t {
            Target::DuckDb => format!(
                "SELECT {a}.*, unnest({seq}) AS __i FROM ({}) AS {a}",
                input.sql
            ),
            Target::Spark => format!(
                "SELECT {a}.*, explode({seq}) AS __i FROM ({}) AS {a}",
                input.sql
            ),
            Target::Trino => format!(
                "SELECT {a}.*, u.__i FROM ({}) AS {a} CROSS JOIN UNNEST({seq}) AS u(__i)",
                input.sql
            ),
        };
        let b = self.alias();
        let mut items = Vec::new();
        let mut columns = Vec::new();
        for (i, c) in input.columns.iter().enumerate() {
            let out = m
                .schema
                .columns
                .get(i)
                .map_or(c.name.clone(), |o| o.name.clone());
            let src = format!("{b}.{}", self.ident(&c.name));
            match (m.columns.contains(&i), c.repr) {
                (true, Repr::Array(elem)) => {
                    items.push(format!(
                        "{} AS {}",
                        t.array_element(&src, &format!("{b}.__i + 1")),
                        self.ident(&out)
                    ));
                    columns.push(Col {
                        name: out,
                        repr: Repr::Plain(elem),
                        nullable: true,
                    });
                }
                _ => {
                    items.push(format!("{src} AS {}", self.ident(&out)));
                    columns.push(Col {
                        name: out,
                        repr: c.repr,
                        nullable: c.nullable,
                    });
                }
            }
        }
        if m.item_index {
            let name = m
                .schema
                .columns
                .last()
                .map_or("index".to_string(), |c| c.name.clone());
            items.push(format!("CAST({b}.__i AS BIGINT) AS {}", self.ident(&name)));
            columns.push(Col {
                name,
                repr: Repr::Plain(KType::Long),
                nullable: false,
            });
        }
        Ok(Rel {
            sql: format!("SELECT {} FROM ({inner}) AS {b}", select_list(items)),
            columns,
        })
    }
}

fn select_list(items: Vec<String>) -> String {
    if items.is_empty() {
        "1 AS __one".to_string()
    } else {
        items.join(", ")
    }
}

/// SQL engines fold identifier case: two columns differing only in case would be one.
fn check_names(schema: &Schema) -> Result<()> {
    let mut seen: Vec<&str> = Vec::new();
    for c in &schema.columns {
        if let Some(other) = seen.iter().find(|s| s.eq_ignore_ascii_case(&c.name)) {
            return Err(TranslateError {
                code: "translate::case_clash",
                message: format!(
                    "the columns `{other}` and `{}` differ only in case, and SQL engines read them as one",
                    c.name
                ),
                help: Some("rename one of them (`project-rename`)".into()),
            });
        }
        seen.push(&c.name);
    }
    Ok(())
}

fn constant(e: &BoundExpr) -> bool {
    let mut has_column = false;
    e.visit_columns(&mut |_| has_column = true);
    !has_column
}

fn flip(op: &'static str) -> &'static str {
    match op {
        "__gt" => "__lt",
        "__ge" => "__le",
        "__lt" => "__gt",
        "__le" => "__ge",
        other => other,
    }
}

fn collect_conjuncts<'e>(e: &'e BoundExpr, out: &mut Vec<&'e BoundExpr>) {
    match e {
        BoundExpr::Call { func, args, .. } if func.name == "__and" => {
            for a in args {
                collect_conjuncts(a, out);
            }
        }
        other => out.push(other),
    }
}

/// A sort key lifted to the outermost `SELECT`: output column, descending, nulls first.
type LiftedKey = (String, bool, bool);

/// Sort keys (by output column name) and the plan without the sort, when
/// the plan is projections over a sort whose keys are plain columns that
/// every projection passes through unchanged.
fn liftable_sort(plan: &LogicalPlan) -> Option<(Vec<LiftedKey>, LogicalPlan)> {
    let mut projects: Vec<&Project> = Vec::new();
    let mut node = plan;
    loop {
        match node {
            LogicalPlan::Project(p) => {
                projects.push(p);
                node = &p.input;
            }
            LogicalPlan::Sort(s) if !projects.is_empty() => {
                let mut keys = Vec::new();
                for k in &s.keys {
                    let BoundExpr::Column { index, .. } = &k.expr else {
                        return None;
                    };
                    let mut name = s.input.schema().columns.get(*index)?.name.clone();
                    for p in projects.iter().rev() {
                        // The projection must pass `name` through as a column of the same name.
                        let pos = p.exprs.iter().zip(&p.schema.columns).position(|(e, c)| {
                            matches!(e, BoundExpr::Column { index, .. }
                                if p.input.schema().columns.get(*index).is_some_and(|ic| ic.name == name))
                                && c.name == name
                        })?;
                        name = p.schema.columns[pos].name.clone();
                    }
                    keys.push((name, k.descending, k.nulls_first));
                }
                // Rebuild the projections over the sort's input.
                let mut rebuilt = (*s.input).clone();
                for p in projects.iter().rev() {
                    rebuilt = LogicalPlan::Project(Project {
                        input: Box::new(rebuilt),
                        exprs: p.exprs.clone(),
                        schema: p.schema.clone(),
                    });
                }
                return Some((keys, rebuilt));
            }
            _ => return None,
        }
    }
}

/// The most rows a `range` is written out as, one SQL row each.
const MAX_RANGE_ROWS: u64 = 100_000;

/// A `range` (kept as bounds by the planner) as the rows it stands for, so
/// it translates as any table of literals; refused past [`MAX_RANGE_ROWS`].
fn expand_range(v: &Values, range: &ValueRange, target: Target) -> Result<Values> {
    if range.count > MAX_RANGE_ROWS {
        return Err(TranslateError::unsupported(
            "range",
            target,
            &format!(
                "it makes {} rows, and at most {MAX_RANGE_ROWS} are written into the SQL",
                range.count
            ),
        ));
    }
    let ty = v.schema.columns.first().map(|c| c.ty);
    let rows = (0..range.count as i64)
        .map(|i| {
            let raw = range.start.wrapping_add(i.wrapping_mul(range.step));
            vec![match ty {
                Some(KType::Int) => ScalarValue::Int(raw as i32),
                Some(KType::DateTime) => ScalarValue::DateTime(raw),
                Some(KType::TimeSpan) => ScalarValue::TimeSpan(raw),
                _ => ScalarValue::Long(raw),
            }]
        })
        .collect();
    Ok(Values {
        schema: v.schema.clone(),
        rows,
        range: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::TableSource;
    use iishunt_plan::expr::AggregateCall;
    use iishunt_plan::functions::{lookup_aggregate, lookup_scalar};
    use iishunt_plan::logical::{Scan, TopN};
    use iishunt_plan::schema::Column;

    fn dataset() -> Dataset {
        Dataset {
            root: "/d".into(),
            tables: vec![TableSource {
                name: "W3CIISLog".into(),
                stored: vec![("cIP".into(), KType::String), ("sPort".into(), KType::Int)],
                has_files: true,
                csv: None,
            }],
        }
    }

    fn col(index: usize, name: &str, ty: KType) -> BoundExpr {
        BoundExpr::Column {
            index,
            name: name.into(),
            ty,
        }
    }

    /// `W3CIISLog | where cIP == "10.0.0.1" | summarize count() by sPort | top 2 by count_`,
    /// with `RemoteIPCountry` (not in the files) read as null.
    fn plan() -> LogicalPlan {
        let schema = Schema::new(vec![
            Column {
                name: "cIP".into(),
                ty: KType::String,
            },
            Column {
                name: "sPort".into(),
                ty: KType::Int,
            },
            Column {
                name: "RemoteIPCountry".into(),
                ty: KType::String,
            },
        ]);
        let eq = lookup_scalar("__eq").expect("__eq");
        let scan = LogicalPlan::Scan(Scan {
            table: "W3CIISLog".into(),
            table_schema: schema.clone(),
            projection: vec![0, 1, 2],
            filter: Some(BoundExpr::call(
                eq,
                vec![
                    col(0, "cIP", KType::String),
                    BoundExpr::Literal(ScalarValue::String("10.0.0.1".into())),
                ],
                KType::Bool,
            )),
            time_range: (None, None),
            schema,
        });
        let agg = LogicalPlan::Aggregate(Aggregate {
            input: Box::new(scan),
            keys: vec![col(1, "sPort", KType::Int)],
            aggregates: vec![AggregateCall {
                func: lookup_aggregate("count").expect("count"),
                args: vec![],
                filter: None,
                ty: KType::Long,
            }],
            having: None,
            schema: Schema::new(vec![
                Column {
                    name: "sPort".into(),
                    ty: KType::Int,
                },
                Column {
                    name: "count_".into(),
                    ty: KType::Long,
                },
            ]),
        });
        LogicalPlan::TopN(TopN {
            input: Box::new(agg),
            keys: vec![SortExpr {
                expr: col(1, "count_", KType::Long),
                descending: true,
                nulls_first: false,
            }],
            n: 2,
        })
    }

    #[test]
    fn one_select_per_operator_in_each_target() {
        let d = dataset();
        let duck = Translator::new(Target::DuckDb, &d, None)
            .query(&plan())
            .expect("duckdb");
        assert_eq!(
            duck,
            "SELECT t2.\"sPort\", t2.\"count_\" FROM (SELECT t1.\"sPort\" AS \"sPort\", count(*) AS \"count_\" FROM (SELECT \"cIP\", \"sPort\", CAST(NULL AS VARCHAR) AS \"RemoteIPCountry\" FROM read_parquet('/d/W3CIISLog/**/*.parquet', hive_partitioning = true, union_by_name = true) WHERE (coalesce(\"cIP\", '') = '10.0.0.1')) AS t1 GROUP BY 1) AS t2 ORDER BY t2.\"count_\" DESC NULLS LAST LIMIT 2"
        );
        let spark = Translator::new(Target::Spark, &d, None)
            .query(&plan())
            .expect("spark");
        assert_eq!(
            spark,
            "SELECT t2.`sPort`, t2.`count_` FROM (SELECT t1.`sPort` AS `sPort`, count(*) AS `count_` FROM (SELECT `cIP`, `sPort`, CAST(NULL AS STRING) AS `RemoteIPCountry` FROM `W3CIISLog` WHERE (coalesce(`cIP`, '') = '10.0.0.1')) AS t1 GROUP BY 1) AS t2 ORDER BY t2.`count_` DESC NULLS LAST LIMIT 2"
        );
        let trino = Translator::new(Target::Trino, &d, None)
            .query(&plan())
            .expect("trino");
        assert!(
            trino.contains("FROM hive.iishunt.w3ciislog WHERE"),
            "{trino}"
        );
    }

    #[test]
    fn an_empty_table_reads_as_no_rows() {
        let mut d = dataset();
        d.tables[0].has_files = false;
        let sql = Translator::new(Target::DuckDb, &d, None)
            .query(&plan())
            .expect("duckdb");
        assert!(
            sql.contains("(SELECT CAST(NULL AS VARCHAR) AS \"cIP\", CAST(NULL AS INTEGER) AS \"sPort\", CAST(NULL AS VARCHAR) AS \"RemoteIPCountry\" WHERE FALSE)"),
            "{sql}"
        );
    }

    #[test]
    fn column_names_differing_only_in_case_are_refused() {
        let schema = Schema::new(vec![
            Column {
                name: "count_".into(),
                ty: KType::Long,
            },
            Column {
                name: "Count_".into(),
                ty: KType::Long,
            },
        ]);
        let values = LogicalPlan::Values(Values {
            schema,
            rows: vec![],
            range: None,
        });
        let err = Translator::new(Target::DuckDb, &dataset(), None)
            .query(&values)
            .expect_err("refused");
        assert_eq!(
            err.message,
            "the columns `count_` and `Count_` differ only in case, and SQL engines read them as one"
        );
    }

    fn range_plan(start: i64, step: i64, count: u64) -> LogicalPlan {
        LogicalPlan::Values(Values {
            schema: Schema::new(vec![Column {
                name: "x".into(),
                ty: KType::Long,
            }]),
            rows: vec![],
            range: Some(ValueRange { start, step, count }),
        })
    }

    #[test]
    fn a_range_is_written_out_as_its_rows_and_a_huge_one_refused() {
        // range x from 5 to 11 step 3: 5, 8, 11.
        let sql = Translator::new(Target::DuckDb, &dataset(), None)
            .query(&range_plan(5, 3, 3))
            .expect("duckdb");
        for v in ["5", "8", "11"] {
            assert!(sql.contains(&format!("CAST({v} AS BIGINT)")), "{v}: {sql}");
        }
        assert!(!sql.contains("WHERE FALSE"), "{sql}");
        let err = Translator::new(Target::Spark, &dataset(), None)
            .query(&range_plan(1, 1, 10_000_000))
            .expect_err("refused");
        assert_eq!(err.code, "translate::unsupported");
        assert!(err.message.contains("10000000 rows"), "{}", err.message);
    }
}
