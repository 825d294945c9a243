//! Running a physical plan. A pipeline's units of work (row groups, or
//! batches of a finished child) are cut into contiguous chunks, one task per
//! chunk on rayon; each chunk folds its batches into a state (rows, a hash
//! table, a top-N), and states combine in chunk order so the same query gives
//! the same bytes with any number of threads.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use arrow::array::{new_null_array, ArrayRef, BooleanArray, RecordBatch};
use iishunt_plan::schema::Schema;
use rayon::prelude::*;

use crate::context::ExecContext;
use crate::error::{ExecError, Result};
use iishunt_plan::expr::{AggregateCall, BoundExpr};

use crate::expr::evaluate_predicate;
use crate::ops::hash_aggregate::GroupTable;
use crate::ops::hash_join::{hash_join, hash_join_streamed, JoinSpec, Probed};
use crate::ops::having::{plan_two_pass, TwoPass};
use crate::ops::make_series::make_series;
use crate::ops::mv_expand::mv_expand;
use crate::ops::sequence_scan::sequence_scan;
use crate::ops::sort::plain_batch;
use crate::ops::sort::{concat_all, sort_batch};
use crate::ops::window::window;
use crate::ops::{batch_with_schema, filter::filter, normalize, project::project};
use crate::physical::{PhysicalPlan, Pipeline, PipelineSource, Stage};
use crate::source::{DataSource, RowPredicate};

/// Runs `plan` and returns its rows as plain batches of the plan's Kusto types.
pub fn execute(
    plan: &PhysicalPlan,
    source: &DataSource,
    ctx: &ExecContext,
) -> Result<Vec<RecordBatch>> {
    let schema = plan.schema().clone();
    materialize_all(plan, source, ctx)?;
    run(plan, source, ctx)?
        .iter()
        .filter(|b| b.num_rows() > 0)
        .map(|b| normalize(b, &schema))
        .collect()
}

/// Computes every `materialize()` below `plan` once, innermost first, before
/// the plan runs: `run` then only reads them. Done up front, one at a time,
/// so two references on parallel join legs never compute the same rows twice
/// (and never wait on each other inside rayon).
fn materialize_all(plan: &PhysicalPlan, source: &DataSource, ctx: &ExecContext) -> Result<()> {
    for child in plan.children() {
        materialize_all(child, source, ctx)?;
    }
    if let PhysicalPlan::Materialize { key, input } = plan {
        if !materialized(ctx).contains_key(key) {
            let rows = run(input, source, ctx)?;
            let bytes = rows.iter().map(RecordBatch::get_array_memory_size).sum();
            ctx.reserve("materialize", bytes)?;
            materialized(ctx).insert(*key, rows);
        }
    }
    Ok(())
}

fn materialized(ctx: &ExecContext) -> std::sync::MutexGuard<'_, HashMap<u64, Vec<RecordBatch>>> {
    // A panic elsewhere while the map was held leaves it usable: entries are
    // only ever inserted whole.
    ctx.materialized
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn run(plan: &PhysicalPlan, source: &DataSource, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
    match plan {
        PhysicalPlan::Materialize { key, input } => {
            let cached = materialized(ctx).get(key).cloned();
            match cached {
                Some(rows) => Ok(rows),
                None => run(input, source, ctx),
            }
        }
        PhysicalPlan::Collect(p) => collect_rows(p, source, ctx, "collect rows"),
        PhysicalPlan::Graph {
            edges,
            nodes,
            spec,
            schema,
        } => {
            let edges = one_batch(edges, source, ctx)?;
            let nodes = match nodes {
                Some(n) => Some(one_batch(n, source, ctx)?),
                None => None,
            };
            let batch = crate::graph::run(spec, edges, nodes.as_ref(), schema, ctx)?;
            held(ctx, "graph", vec![batch])
        }
        PhysicalPlan::HashAggregate {
            input,
            keys,
            aggregates,
            having,
            schema,
        } => {
            let Some(having) = having else {
                let rows = aggregate_finished(input, keys, aggregates, None, source, ctx, |t| {
                    t.finish(schema)
                })?;
                return held(ctx, "summarize", rows);
            };
            let Some(pass1) = plan_two_pass(keys, aggregates, having, schema) else {
                let rows = aggregate_finished(input, keys, aggregates, None, source, ctx, |t| {
                    t.finish_where(schema, having, ctx)
                })?;
                return held(ctx, "summarize", rows);
            };
            // One pass while the groups stay few (a filtered input); two passes
            // for a whole-table summarize or once the groups outgrow the budget.
            let one_pass = if whole_table(input, source) || ctx.one_pass_bytes == 0 {
                None
            } else {
                let budget = GroupBudget::new(ctx.one_pass_bytes);
                let finish = |t: GroupTable| t.finish_where(schema, having, ctx);
                match aggregate_finished(
                    input,
                    keys,
                    aggregates,
                    Some(&budget),
                    source,
                    ctx,
                    finish,
                ) {
                    Ok(rows) => Some(rows),
                    Err(ExecError::GroupBudget) => None,
                    Err(e) => return Err(e),
                }
            };
            let finish = |t: GroupTable| t.finish_where(schema, having, ctx);
            let rows = match one_pass {
                Some(rows) => rows,
                None => two_pass(input, keys, aggregates, &pass1, source, ctx, finish)?,
            };
            held(ctx, "summarize", rows)
        }
        PhysicalPlan::Sort { input, keys } => {
            let batches = collect_rows(input, source, ctx, "sort")?;
            // The sort copies its input twice: once into one batch, once sorted.
            let size: usize = batches.iter().map(|b| b.get_array_memory_size()).sum();
            ctx.reserve("sort", size.saturating_mul(2))?;
            match concat_all(&batches)? {
                Some(all) => Ok(vec![sort_batch(&all, keys, None, ctx)?]),
                None => Ok(vec![]),
            }
        }
        PhysicalPlan::TopN { input, keys, n } => {
            let n = *n;
            let keep = |rows: &mut Vec<RecordBatch>| -> Result<()> {
                if let Some(all) = concat_all(rows)? {
                    *rows = vec![sort_batch(&all, keys, Some(n), ctx)?];
                }
                Ok(())
            };
            let chunks = run_pipeline(
                input,
                source,
                ctx,
                || (Vec::new(), HighWater::default()),
                |(rows, high): &mut (Vec<RecordBatch>, HighWater), b| {
                    rows.push(b);
                    if rows.iter().map(|r| r.num_rows()).sum::<usize>() > (2 * n).max(65_536) {
                        keep(rows)?;
                    }
                    let bytes = rows.iter().map(|r| r.get_array_memory_size()).sum();
                    high.reach(ctx, "top", bytes).map(|_| ())
                },
            )?;
            let all: Vec<RecordBatch> = chunks.into_iter().flat_map(|(rows, _)| rows).collect();
            match concat_all(&all)? {
                Some(all) => Ok(vec![sort_batch(&all, keys, Some(n), ctx)?]),
                None => Ok(vec![]),
            }
        }
        PhysicalPlan::Limit { input, n } => run_limit(input, *n, source, ctx),
        PhysicalPlan::Union {
            inputs,
            mappings,
            schema,
        } => {
            let mut out = Vec::new();
            for (input, mapping) in inputs.iter().zip(mappings) {
                for b in run(input, source, ctx)? {
                    out.push(union_batch(&b, mapping, schema)?);
                }
            }
            Ok(out)
        }
        PhysicalPlan::HashJoin {
            left,
            right,
            spec,
            schema,
        } => {
            if let PhysicalPlan::Collect(rows) = left.as_ref() {
                // The right side first, then the left streams through it:
                // a large left is never held whole.
                let r = run(right, source, ctx)?;
                let semi = join_key_filter(rows, left.schema(), &r, right.schema(), spec, ctx)?;
                return hash_join_streamed(
                    left.schema(),
                    &r,
                    right.schema(),
                    spec,
                    schema,
                    ctx,
                    |probe| {
                        let chunks = run_pipeline_with(
                            rows,
                            source,
                            ctx,
                            semi.as_ref(),
                            || Ok(Vec::new()),
                            |out: &mut Vec<Probed>, b| {
                                out.push(probe(b)?);
                                Ok(())
                            },
                        )?;
                        Ok(chunks.into_iter().flatten().collect())
                    },
                );
            }
            let (l, r) = rayon::join(|| run(left, source, ctx), || run(right, source, ctx));
            hash_join(&l?, left.schema(), &r?, right.schema(), spec, schema, ctx)
        }
        PhysicalPlan::MakeSeries {
            input,
            spec,
            schema,
        } => {
            let cells = collect_rows(input, source, ctx, "make-series")?;
            held(
                ctx,
                "make-series",
                vec![make_series(&cells, &input.schema, spec, schema)?],
            )
        }
        PhysicalPlan::Window {
            input,
            calls,
            schema,
        } => {
            let rows = collect_rows(input, source, ctx, "window functions")?;
            window(&rows, &input.schema, calls, schema, ctx)
        }
        PhysicalPlan::SequenceScan {
            input,
            spec,
            schema,
        } => {
            let rows = collect_rows(input, source, ctx, "scan")?;
            let out = sequence_scan(&rows, &input.schema, spec, schema, ctx)?;
            held(ctx, "scan", out)
        }
        PhysicalPlan::MvExpand {
            input,
            spec,
            schema,
        } => {
            let chunks = run_pipeline(
                input,
                source,
                ctx,
                Vec::new,
                |rows: &mut Vec<RecordBatch>, b| {
                    let out = mv_expand(&b, spec, schema)?;
                    ctx.reserve("mv-expand", out.get_array_memory_size())?;
                    rows.push(out);
                    Ok(())
                },
            )?;
            Ok(chunks.into_iter().flatten().collect())
        }
    }
}

/// Every row of a pipeline, in partition order, counted against the memory
/// limit in the name of `operator` (the one that holds them).
fn collect_rows(
    p: &Pipeline,
    source: &DataSource,
    ctx: &ExecContext,
    operator: &'static str,
) -> Result<Vec<RecordBatch>> {
    let chunks = run_pipeline(
        p,
        source,
        ctx,
        Vec::new,
        |rows: &mut Vec<RecordBatch>, b| {
            ctx.reserve(operator, b.get_array_memory_size())?;
            rows.push(b);
            Ok(())
        },
    )?;
    Ok(chunks.into_iter().flatten().collect())
}

/// Counts an operator's output batches against the memory limit.
/// All of `plan`'s rows as one plain batch of its schema, counted against
/// the memory limit (a graph holds its edges and nodes whole).
fn one_batch(plan: &PhysicalPlan, source: &DataSource, ctx: &ExecContext) -> Result<RecordBatch> {
    let schema = plan.schema().clone();
    let batches: Vec<RecordBatch> = run(plan, source, ctx)?
        .iter()
        .map(|b| normalize(b, &schema))
        .collect::<Result<_>>()?;
    let bytes = batches.iter().map(RecordBatch::get_array_memory_size).sum();
    ctx.reserve("make-graph", bytes)?;
    match concat_all(&batches)? {
        Some(b) => Ok(b),
        None => Ok(RecordBatch::new_empty(schema.to_arrow())),
    }
}

fn held(
    ctx: &ExecContext,
    operator: &'static str,
    batches: Vec<RecordBatch>,
) -> Result<Vec<RecordBatch>> {
    let bytes = batches.iter().map(|b| b.get_array_memory_size()).sum();
    ctx.reserve(operator, bytes)?;
    Ok(batches)
}

/// The most one state (a chunk's hash table, its top rows) has held: only
/// growth past it is reserved, so a state that shrinks and regrows (top-N
/// compacting) is not counted again and again.
#[derive(Default)]
struct HighWater(usize);

impl HighWater {
    /// Counts `bytes` if they pass the mark; returns by how much they did.
    fn reach(&mut self, ctx: &ExecContext, operator: &'static str, bytes: usize) -> Result<usize> {
        if bytes > self.0 {
            let grown = bytes - self.0;
            ctx.reserve(operator, grown)?;
            self.0 = bytes;
            Ok(grown)
        } else {
            ctx.check(operator)?;
            Ok(0)
        }
    }
}

/// Rows above which a summarize over a whole table goes straight to two passes.
const WHOLE_TABLE_ROWS: usize = 1_000_000;

/// A shared cap on the bytes of group state all chunks of a one-pass
/// aggregate build.
struct GroupBudget {
    left: std::sync::atomic::AtomicIsize,
}

impl GroupBudget {
    fn new(bytes: usize) -> Self {
        GroupBudget {
            left: std::sync::atomic::AtomicIsize::new(isize::try_from(bytes).unwrap_or(isize::MAX)),
        }
    }

    fn spend(&self, bytes: usize) -> Result<()> {
        let bytes = isize::try_from(bytes).unwrap_or(isize::MAX);
        if self
            .left
            .fetch_sub(bytes, Ordering::Relaxed)
            .saturating_sub(bytes)
            < 0
        {
            return Err(ExecError::GroupBudget);
        }
        Ok(())
    }
}

/// The pipeline reads a whole large table: no filter anywhere.
fn whole_table(input: &Pipeline, source: &DataSource) -> bool {
    let PipelineSource::Scan {
        table,
        filter,
        partitions,
        ..
    } = &input.source
    else {
        return false;
    };
    filter.is_none()
        && !input.stages.iter().any(|s| matches!(s, Stage::Filter(_)))
        && partitions
            .iter()
            .map(|p| source.partition_rows(table, *p))
            .sum::<usize>()
            > WHOLE_TABLE_ROWS
}

/// Pass 1 finds the groups meeting the condition (per key-disjoint component
/// when statistics allow); pass 2 aggregates the rows of those groups only.
fn two_pass(
    input: &Pipeline,
    keys: &[BoundExpr],
    aggregates: &[AggregateCall],
    pass1: &TwoPass,
    source: &DataSource,
    ctx: &ExecContext,
    finish: impl Fn(GroupTable) -> Result<RecordBatch> + Sync,
) -> Result<Vec<RecordBatch>> {
    let components = scan_components(input, keys, source);
    let groups = match &components {
        Some(components) => {
            let parts = Components {
                units: components,
                semi: None,
                budget: None,
                reserve: true,
            };
            let tables = per_component(input, keys, &pass1.calls, &parts, source, ctx, |t| {
                table_with_keys_only(t, pass1, ctx)
            })?;
            match merge_in_order(tables, ctx)? {
                Some(total) => total,
                None => GroupTable::new(keys, &[])?,
            }
        }
        None => {
            let table = aggregate(input, keys, &pass1.calls, None, source, ctx)?;
            table_with_keys_only(table, pass1, ctx)?
        }
    };
    if groups.num_groups() == 0 {
        return Ok(vec![finish(GroupTable::new(keys, aggregates)?)?]);
    }
    let at_source = keys_at_source(keys, &input.stages);
    let units = match &input.source {
        PipelineSource::Scan {
            table,
            schema,
            partitions,
            ..
        } => Some(crate::ops::disjoint::partitions_holding(
            source,
            table,
            schema,
            partitions,
            &at_source,
            &groups.key_arrays(),
        )),
        _ => None,
    };
    let semi = Arc::new(SemiJoin {
        keys: at_source,
        groups,
        units,
        first_only: false,
    });
    match components {
        Some(components) => {
            let parts = Components {
                units: &components,
                semi: Some(&semi),
                budget: None,
                reserve: false,
            };
            per_component(input, keys, aggregates, &parts, source, ctx, finish)
        }
        None => Ok(vec![finish(aggregate(
            input,
            keys,
            aggregates,
            Some(&semi),
            source,
            ctx,
        )?)?]),
    }
}

/// Groups a pipeline's rows into finished result batches: one per
/// key-disjoint component of the scan when statistics show enough of them
/// (no merge at all: a component's groups occur in no other), else one, from
/// the per-chunk tables merged.
fn aggregate_finished(
    input: &Pipeline,
    keys: &[BoundExpr],
    calls: &[AggregateCall],
    budget: Option<&GroupBudget>,
    source: &DataSource,
    ctx: &ExecContext,
    finish: impl Fn(GroupTable) -> Result<RecordBatch> + Sync,
) -> Result<Vec<RecordBatch>> {
    match scan_components(input, keys, source).filter(|c| balanced(input, c, source)) {
        Some(components) => {
            let parts = Components {
                units: &components,
                semi: None,
                budget,
                reserve: false,
            };
            per_component(input, keys, calls, &parts, source, ctx, finish)
        }
        None => {
            let table = aggregate_within(input, keys, calls, None, budget, source, ctx)?;
            Ok(vec![finish(table)?])
        }
    }
}

/// Whether the components can keep two threads busy: none holds more than
/// half the rows (else the chunked scan spreads the work better). Fixed, not
/// the thread count, so the groups' order never depends on the machine.
fn balanced(input: &Pipeline, components: &[Vec<usize>], source: &DataSource) -> bool {
    let PipelineSource::Scan {
        table, partitions, ..
    } = &input.source
    else {
        return false;
    };
    let rows = |units: &[usize]| -> usize {
        units
            .iter()
            .map(|&u| source.partition_rows(table, partitions[u]))
            .sum()
    };
    let total: usize = components.iter().map(|c| rows(c)).sum();
    let largest = components.iter().map(|c| rows(c)).max().unwrap_or(0);
    largest * 2 <= total
}

/// The key-disjoint components of a scan, and how to aggregate them.
struct Components<'a> {
    /// Each component's partition indexes.
    units: &'a [Vec<usize>],
    /// Only the rows of these groups (pass 2 of a two-pass aggregate).
    semi: Option<&'a Arc<SemiJoin>>,
    /// A cap on the groups all components create (one-pass attempt).
    budget: Option<&'a GroupBudget>,
    /// Size each table for its rows up front (pass 1's counts, where groups
    /// come close to rows).
    reserve: bool,
}

/// Each key-disjoint component of the scan (in parallel) folded into a
/// table of its own, then `finish`ed; results in component order.
fn per_component<T: Send>(
    input: &Pipeline,
    keys: &[BoundExpr],
    calls: &[AggregateCall],
    parts: &Components,
    source: &DataSource,
    ctx: &ExecContext,
    finish: impl Fn(GroupTable) -> Result<T> + Sync,
) -> Result<Vec<T>> {
    let PipelineSource::Scan { partitions, .. } = &input.source else {
        return Err(ExecError::internal("per_component", "not a scan"));
    };
    let semi = parts.semi;
    let wanted = |u: usize| {
        semi.and_then(|s| s.units.as_ref())
            .is_none_or(|mask| mask.get(u).copied().unwrap_or(true))
    };
    parts
        .units
        .par_iter()
        .map(|units| {
            let mut table = GroupTable::new(keys, calls)?;
            if parts.reserve {
                table.reserve(
                    units
                        .iter()
                        .map(|&u| source.partition_rows(&input_table(input), partitions[u]))
                        .sum(),
                );
            }
            let mut high = HighWater::default();
            for &u in units.iter().filter(|&&u| wanted(u)) {
                for b in unit_batches(input, &Unit::Partition(partitions[u]), source, ctx, semi)? {
                    table.update(&b, keys, calls, ctx)?;
                    let grown = high.reach(ctx, "summarize", table.memory_bytes())?;
                    if let Some(budget) = parts.budget {
                        budget.spend(grown)?;
                    }
                }
            }
            finish(table)
        })
        .collect()
}

/// Groups a pipeline's rows, one table per chunk, merged in chunk order.
fn aggregate(
    input: &Pipeline,
    keys: &[BoundExpr],
    calls: &[AggregateCall],
    semi: Option<&Arc<SemiJoin>>,
    source: &DataSource,
    ctx: &ExecContext,
) -> Result<GroupTable> {
    aggregate_within(input, keys, calls, semi, None, source, ctx)
}

/// `aggregate`, failing with `GroupBudget` once the tables' bytes exceed `budget`.
fn aggregate_within(
    input: &Pipeline,
    keys: &[BoundExpr],
    calls: &[AggregateCall],
    semi: Option<&Arc<SemiJoin>>,
    budget: Option<&GroupBudget>,
    source: &DataSource,
    ctx: &ExecContext,
) -> Result<GroupTable> {
    let tables = run_pipeline_with(
        input,
        source,
        ctx,
        semi,
        || Ok((GroupTable::new(keys, calls)?, HighWater::default())),
        |(t, high): &mut (GroupTable, HighWater), b| {
            t.update(&b, keys, calls, ctx)?;
            let grown = high.reach(ctx, "summarize", t.memory_bytes())?;
            match budget {
                Some(budget) => budget.spend(grown),
                None => Ok(()),
            }
        },
    )?;
    let tables = tables.into_iter().map(|(t, _)| t).collect();
    match merge_in_order(tables, ctx)? {
        Some(total) => Ok(total),
        None => GroupTable::new(keys, calls),
    }
}

/// Folds per-chunk tables into one, keeping chunk order (so groups come out in
/// order of first appearance): neighbours merge pairwise, in parallel, up a tree.
fn merge_in_order(tables: Vec<GroupTable>, ctx: &ExecContext) -> Result<Option<GroupTable>> {
    tables
        .into_par_iter()
        .map(Ok)
        .try_reduce_with(|mut left, right| {
            ctx.check("summarize")?;
            left.merge(right)?;
            Ok(left)
        })
        .transpose()
}

/// The scan's partitions in key-disjoint components, when statistics show some.
fn scan_components(
    input: &Pipeline,
    keys: &[BoundExpr],
    source: &DataSource,
) -> Option<Vec<Vec<usize>>> {
    let PipelineSource::Scan {
        table,
        schema,
        partitions,
        ..
    } = &input.source
    else {
        return None;
    };
    let at_source = keys_at_source(keys, &input.stages);
    crate::ops::disjoint::components(source, table, schema, partitions, &at_source)
}

fn input_table(input: &Pipeline) -> String {
    match &input.source {
        PipelineSource::Scan { table, .. } => table.clone(),
        _ => String::new(),
    }
}

/// Pass 1's groups that meet the condition, as a key set.
fn table_with_keys_only(
    mut table: GroupTable,
    pass1: &TwoPass,
    ctx: &ExecContext,
) -> Result<GroupTable> {
    let mut needed = vec![false; pass1.schema.len()];
    pass1.having.visit_columns(&mut |i| needed[i] = true);
    let out = plain_batch(&table.finish_keep_keys(&pass1.schema, &needed)?)?;
    let keep = evaluate_predicate(&pass1.having, &out, ctx)?;
    Ok(table.into_keys().retain_keys(&keep))
}

/// Rows whose key is one of a set of groups (pass 2 of a two-pass aggregate).
struct SemiJoin {
    /// The grouping keys, rewritten to read the pipeline source's columns.
    keys: Vec<BoundExpr>,
    groups: GroupTable,
    /// Per scan partition: may it hold rows of these groups (from statistics)?
    units: Option<Vec<bool>>,
    /// Keep only the first row of each group in a unit (`innerunique` keeps
    /// one left row per key): the other rows are never decoded.
    first_only: bool,
}

impl SemiJoin {
    /// Which rows of `batch` (read through `keys`) to keep; `seen` holds the
    /// groups a `first_only` filter met earlier in the same unit.
    fn mask(
        &self,
        batch: &RecordBatch,
        keys: &[BoundExpr],
        ctx: &ExecContext,
        seen: &std::sync::Mutex<Vec<bool>>,
    ) -> Result<BooleanArray> {
        if !self.first_only {
            return self.groups.probe(batch, keys, ctx);
        }
        let groups = self.groups.probe_groups(batch, keys, ctx)?;
        let mut seen = seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        seen.resize(self.groups.num_groups(), false);
        Ok(groups
            .into_iter()
            .map(|g| {
                Some(g.is_some_and(|g| {
                    let first = !seen[g as usize];
                    seen[g as usize] = true;
                    first
                }))
            })
            .collect())
    }
}

/// Right sides with more keys than this are not pushed into the left's scan:
/// the key set would cost more to probe than the rows it saves decoding.
const JOIN_FILTER_MAX_KEYS: usize = 1 << 20;

/// For a join that drops the left rows no right row matches (`inner`,
/// `innerunique`, `leftsemi`, `rightouter`, `rightsemi`), the right's keys as
/// a set the left's scan filters by before it decodes its other columns —
/// the join against a 20-row subquery then decodes 20 keys' rows, not the
/// table. Only where the set decides exactly as the join does: the same key
/// types on both sides, KQL's null-matching keys, and no null or empty
/// string key on the right (KQL's join matches a null string with "", the
/// set would not).
fn join_key_filter(
    left: &Pipeline,
    left_schema: &Schema,
    right: &[RecordBatch],
    right_schema: &Schema,
    spec: &JoinSpec,
    ctx: &ExecContext,
) -> Result<Option<Arc<SemiJoin>>> {
    use iishunt_plan::logical::JoinKind::*;
    use iishunt_plan::types::KType;
    if !matches!(
        spec.kind,
        Inner | InnerUnique | LeftSemi | RightOuter | RightSemi
    ) || spec.ip_prefix.is_some()
        || !spec.null_keys_match
    {
        return Ok(None);
    }
    let sides = spec
        .left_keys
        .iter()
        .zip(&spec.right_keys)
        .zip(&spec.key_types);
    for ((&l, &r), &ty) in sides {
        if left_schema.columns[l].ty != ty || right_schema.columns[r].ty != ty {
            return Ok(None);
        }
    }
    let column = |schema: &Schema, i: usize| BoundExpr::Column {
        index: i,
        name: schema.columns[i].name.clone(),
        ty: schema.columns[i].ty,
    };
    let right_keys: Vec<BoundExpr> = spec
        .right_keys
        .iter()
        .map(|&i| column(right_schema, i))
        .collect();
    let mut groups = GroupTable::new(&right_keys, &[])?;
    for b in right.iter().filter(|b| b.num_rows() > 0) {
        let b = normalize(b, right_schema)?;
        for (&i, &ty) in spec.right_keys.iter().zip(&spec.key_types) {
            if ty == KType::String {
                use arrow::array::{Array, AsArray};
                let text = b.column(i).as_string::<i32>();
                if text.null_count() > 0 || text.iter().any(|v| v == Some("")) {
                    return Ok(None);
                }
            }
        }
        groups.update(&b, &right_keys, &[], ctx)?;
        if groups.num_groups() > JOIN_FILTER_MAX_KEYS {
            return Ok(None);
        }
    }
    let left_keys: Vec<BoundExpr> = spec
        .left_keys
        .iter()
        .map(|&i| column(left_schema, i))
        .collect();
    // A filter after the source could drop a key's first row, and a later
    // one would then be the first: only without one is the first kept alone.
    let first_only = spec.kind == InnerUnique
        && left
            .stages
            .iter()
            .all(|s| matches!(s, Stage::Project { .. }));
    Ok(Some(Arc::new(SemiJoin {
        keys: keys_at_source(&left_keys, &left.stages),
        groups,
        units: None,
        first_only,
    })))
}

/// The key expressions as the pipeline's source sees them (through its projections).
fn keys_at_source(keys: &[BoundExpr], stages: &[Stage]) -> Vec<BoundExpr> {
    let mut keys = keys.to_vec();
    for stage in stages.iter().rev() {
        if let Stage::Project { exprs, .. } = stage {
            keys = keys.iter().map(|k| k.substitute(exprs)).collect();
        }
    }
    keys
}

/// Takes rows in partition order until `n` are found; later partitions are not read.
fn run_limit(
    input: &Pipeline,
    n: usize,
    source: &DataSource,
    ctx: &ExecContext,
) -> Result<Vec<RecordBatch>> {
    let found = AtomicUsize::new(0);
    let chunks = run_units(input, source, ctx, n, &found)?;
    let mut out = Vec::new();
    let mut left = n;
    for b in chunks.into_iter().flatten() {
        if left == 0 {
            break;
        }
        let take = b.num_rows().min(left);
        out.push(b.slice(0, take));
        left -= take;
    }
    Ok(out)
}

/// One unit of work of a pipeline's source.
enum Unit<'a> {
    Partition(crate::source::Partition),
    Batch(&'a RecordBatch),
    /// A unit of a streamed `union`'s leg (by index).
    Leg(usize, Box<Unit<'a>>),
}

/// The rows a pipeline reads from child plans, computed before its units:
/// one list for a `Child` source, one per leg for a `Union`.
enum ChildRows {
    Batches(Vec<RecordBatch>),
    Legs(Vec<ChildRows>),
}

fn units<'a>(p: &'a Pipeline, child_rows: &'a ChildRows) -> Vec<Unit<'a>> {
    match (&p.source, child_rows) {
        (PipelineSource::Scan { partitions, .. }, _) => {
            partitions.iter().map(|x| Unit::Partition(*x)).collect()
        }
        (PipelineSource::Values(b), _) => vec![Unit::Batch(b)],
        (PipelineSource::Child(_), ChildRows::Batches(rows)) => {
            rows.iter().map(Unit::Batch).collect()
        }
        (PipelineSource::Union { legs, .. }, ChildRows::Legs(rows)) => legs
            .iter()
            .zip(rows)
            .enumerate()
            .flat_map(|(i, (leg, rows))| {
                units(&leg.pipeline, rows)
                    .into_iter()
                    .map(move |u| Unit::Leg(i, Box::new(u)))
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Reads one unit and runs the stages on it.
fn unit_batches(
    p: &Pipeline,
    unit: &Unit,
    source: &DataSource,
    ctx: &ExecContext,
    semi: Option<&Arc<SemiJoin>>,
) -> Result<Vec<RecordBatch>> {
    ctx.check_cancelled()?;
    let batches = match (unit, &p.source) {
        (
            Unit::Partition(part),
            PipelineSource::Scan {
                table,
                schema,
                filter,
                ..
            },
        ) => {
            let predicate = row_predicate(schema, filter.as_ref(), semi, ctx);
            source.read(table, *part, schema, predicate.as_ref())?
        }
        (Unit::Leg(i, inner), PipelineSource::Union { legs, schema }) => {
            let leg = &legs[*i];
            let mut mapped = Vec::new();
            for b in unit_batches(&leg.pipeline, inner, source, ctx, None)? {
                let b = union_batch(&b, &leg.mapping, schema)?;
                mapped.push(match semi {
                    Some(semi) if b.num_rows() > 0 => {
                        let mask = semi.mask(&b, &semi.keys, ctx, &Default::default())?;
                        arrow::compute::filter_record_batch(&b, &mask)?
                    }
                    _ => b,
                });
            }
            mapped
        }
        (Unit::Batch(b), _) => {
            let b = (*b).clone();
            match semi {
                Some(semi) if b.num_rows() > 0 => {
                    let mask = semi.mask(&b, &semi.keys, ctx, &Default::default())?;
                    vec![arrow::compute::filter_record_batch(&b, &mask)?]
                }
                _ => vec![b],
            }
        }
        _ => vec![],
    };
    let mut out = Vec::with_capacity(batches.len());
    'batches: for mut b in batches {
        for stage in &p.stages {
            if b.num_rows() == 0 {
                continue 'batches;
            }
            b = match stage {
                Stage::Filter(pred) => filter(&b, pred, ctx)?,
                Stage::Project { exprs, schema } => project(&b, exprs, schema, ctx)?,
            };
        }
        if b.num_rows() > 0 {
            out.push(b);
        }
    }
    Ok(out)
}

/// The scan's own filter and a second pass's key set, as one predicate the
/// Parquet reader evaluates before decoding the other columns.
fn row_predicate(
    schema: &Schema,
    filter: Option<&BoundExpr>,
    semi: Option<&Arc<SemiJoin>>,
    ctx: &ExecContext,
) -> Option<RowPredicate> {
    if filter.is_none() && semi.is_none() {
        return None;
    }
    let mut used = vec![false; schema.len()];
    let mut mark = |e: &BoundExpr| e.visit_columns(&mut |i| used[i] = true);
    if let Some(f) = filter {
        mark(f);
    }
    if let Some(s) = semi {
        s.keys.iter().for_each(&mut mark);
    }
    let columns: Vec<usize> = (0..schema.len()).filter(|i| used[*i]).collect();
    let position = |i: usize| columns.iter().position(|c| *c == i).unwrap_or(i);
    let filter = filter.map(|f| f.remap_columns(&position));
    let semi = semi.map(|s| {
        (
            s.clone(),
            s.keys
                .iter()
                .map(|k| k.remap_columns(&position))
                .collect::<Vec<_>>(),
        )
    });
    let ctx = ctx.clone();
    // One predicate per unit, called on its batches in order.
    let seen = std::sync::Mutex::new(Vec::new());
    let eval = move |batch: &RecordBatch| -> Result<BooleanArray> {
        let mut mask: Option<BooleanArray> = None;
        if let Some(f) = &filter {
            mask = Some(evaluate_predicate(f, batch, &ctx)?);
        }
        if let Some((s, keys)) = &semi {
            // The scan's filter first: a first row it drops is not a first row.
            let kept = match &mask {
                Some(m) if s.first_only => arrow::compute::filter_record_batch(batch, m)?,
                _ => batch.clone(),
            };
            let probe = s.mask(&kept, keys, &ctx, &seen)?;
            mask = Some(match mask {
                Some(m) if s.first_only => scatter_mask(&m, &probe),
                Some(m) => arrow::compute::and(&m, &probe)?,
                None => probe,
            });
        }
        Ok(mask.unwrap_or_else(|| BooleanArray::from(vec![true; batch.num_rows()])))
    };
    Some(RowPredicate {
        columns,
        eval: Arc::new(eval),
    })
}

/// `inner` (a mask over the rows `outer` kept) as a mask over all the rows.
fn scatter_mask(outer: &BooleanArray, inner: &BooleanArray) -> BooleanArray {
    use arrow::array::Array;
    let mut next = inner.values().iter();
    outer
        .values()
        .iter()
        .zip(0..)
        .map(|(keep, i)| Some(keep && !outer.is_null(i) && next.next().unwrap_or(false)))
        .collect()
}

fn child_rows(p: &Pipeline, source: &DataSource, ctx: &ExecContext) -> Result<ChildRows> {
    Ok(match &p.source {
        PipelineSource::Child(c) => ChildRows::Batches(run(c, source, ctx)?),
        PipelineSource::Union { legs, .. } => ChildRows::Legs(
            legs.iter()
                .map(|l| child_rows(&l.pipeline, source, ctx))
                .collect::<Result<_>>()?,
        ),
        _ => ChildRows::Batches(Vec::new()),
    })
}

/// A leg's batch with the union's columns: its own where `mapping` names
/// one, nulls elsewhere.
fn union_batch(b: &RecordBatch, mapping: &[Option<usize>], schema: &Schema) -> Result<RecordBatch> {
    let columns: Vec<ArrayRef> = mapping
        .iter()
        .zip(&schema.columns)
        .map(|(m, c)| match m {
            Some(i) => b.column(*i).clone(),
            None => new_null_array(&c.ty.arrow_type(), b.num_rows()),
        })
        .collect();
    batch_with_schema(schema, columns, b.num_rows())
}

/// Contiguous chunks of units, a few per thread, of about the same number
/// of rows each (`rows[i]`: unit i's): the 28 small files of HttpErrorLog
/// after W3CIISLog's 56 row groups in a `union` must not make a chunk of
/// their own while one thread does three big ones.
fn chunk_ranges(rows: &[usize], threads: usize) -> Vec<std::ops::Range<usize>> {
    let units = rows.len();
    let chunks = units.min(threads.max(1) * 2).max(1);
    let total: usize = rows.iter().sum();
    if total == 0 {
        let size = units.div_ceil(chunks).max(1);
        return (0..units)
            .step_by(size)
            .map(|s| s..(s + size).min(units))
            .collect();
    }
    let mut ranges = Vec::with_capacity(chunks);
    let (mut start, mut acc) = (0, 0usize);
    for (i, &r) in rows.iter().enumerate() {
        acc += r;
        // Close chunk k once the rows so far reach k/chunks of the total.
        let k = ranges.len() + 1;
        if k < chunks && acc * chunks >= total * k {
            ranges.push(start..i + 1);
            start = i + 1;
        }
    }
    if start < units {
        ranges.push(start..units);
    }
    ranges
}

/// Rows a unit holds (row-group statistics, or the batch's), to balance chunks.
fn unit_rows(p: &Pipeline, unit: &Unit, source: &DataSource) -> usize {
    match (unit, &p.source) {
        (Unit::Partition(part), PipelineSource::Scan { table, .. }) => {
            source.partition_rows(table, *part)
        }
        (Unit::Batch(b), _) => b.num_rows(),
        (Unit::Leg(i, inner), PipelineSource::Union { legs, .. }) => legs
            .get(*i)
            .map_or(0, |leg| unit_rows(&leg.pipeline, inner, source)),
        _ => 0,
    }
}

fn run_pipeline<T: Send>(
    p: &Pipeline,
    source: &DataSource,
    ctx: &ExecContext,
    init: impl Fn() -> T + Sync,
    fold: impl Fn(&mut T, RecordBatch) -> Result<()> + Sync,
) -> Result<Vec<T>> {
    run_pipeline_try(p, source, ctx, || Ok(init()), fold)
}

fn run_pipeline_try<T: Send>(
    p: &Pipeline,
    source: &DataSource,
    ctx: &ExecContext,
    init: impl Fn() -> Result<T> + Sync,
    fold: impl Fn(&mut T, RecordBatch) -> Result<()> + Sync,
) -> Result<Vec<T>> {
    run_pipeline_with(p, source, ctx, None, init, fold)
}

fn run_pipeline_with<T: Send>(
    p: &Pipeline,
    source: &DataSource,
    ctx: &ExecContext,
    semi: Option<&Arc<SemiJoin>>,
    init: impl Fn() -> Result<T> + Sync,
    fold: impl Fn(&mut T, RecordBatch) -> Result<()> + Sync,
) -> Result<Vec<T>> {
    let rows = child_rows(p, source, ctx)?;
    let mut units = units(p, &rows);
    if let Some(mask) = semi.and_then(|s| s.units.as_ref()) {
        if mask.len() == units.len() {
            let mut i = 0;
            units.retain(|_| {
                i += 1;
                mask[i - 1]
            });
        }
    }
    let rows: Vec<usize> = units.iter().map(|u| unit_rows(p, u, source)).collect();
    chunk_ranges(&rows, rayon::current_num_threads())
        .into_par_iter()
        .map(|range| {
            let mut state = init()?;
            for unit in &units[range] {
                for b in unit_batches(p, unit, source, ctx, semi)? {
                    fold(&mut state, b)?;
                }
            }
            Ok(state)
        })
        .collect()
}

/// Like `run_pipeline` collecting rows, but stops reading once `limit` rows were found.
fn run_units(
    p: &Pipeline,
    source: &DataSource,
    ctx: &ExecContext,
    limit: usize,
    found: &AtomicUsize,
) -> Result<Vec<Vec<RecordBatch>>> {
    let rows = child_rows(p, source, ctx)?;
    let units = units(p, &rows);
    // Units in order; a unit is skipped once enough rows were found by units before it… or
    // anywhere: rows found later in the order are only used if earlier units fall short,
    // so skipping is safe only for units after the ones that produced rows. Keep it simple
    // and exact: read sequentially in small parallel waves.
    let threads = rayon::current_num_threads().max(1);
    let mut out: Vec<Vec<RecordBatch>> = Vec::new();
    for wave in units.chunks(threads) {
        if found.load(Ordering::Relaxed) >= limit {
            break;
        }
        let results: Vec<Result<Vec<RecordBatch>>> = wave
            .par_iter()
            .map(|u| unit_batches(p, u, source, ctx, None))
            .collect();
        for r in results {
            let r = r?;
            found.fetch_add(r.iter().map(|b| b.num_rows()).sum(), Ordering::Relaxed);
            out.push(r);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::chunk_ranges;

    /// A union of 56 row groups of 1,000 rows and 28 files of 10 rows, on two
    /// threads: four chunks of 13,280 to 15,000 rows, the small files riding
    /// in the last one, not a chunk of their own beside three full ones.
    #[test]
    fn chunks_hold_about_the_same_rows() {
        let mut rows = vec![1_000; 56];
        rows.extend(vec![10; 28]);
        let ranges = chunk_ranges(&rows, 2);
        assert_eq!(ranges, vec![0..15, 15..29, 29..43, 43..84]);
        // Every unit once, in order.
        let flat: Vec<usize> = ranges.into_iter().flatten().collect();
        assert_eq!(flat, (0..84).collect::<Vec<_>>());
    }

    #[test]
    fn rowless_units_split_evenly() {
        assert_eq!(chunk_ranges(&[0; 5], 1), vec![0..3, 3..5]);
        assert_eq!(chunk_ranges(&[], 2), Vec::<std::ops::Range<usize>>::new());
    }
}
