//! The optimizer: rewrites a bound plan so the scan reads as little as possible.
//!
//! 1. Predicate pushdown: a `where` moves below projections that only pass
//!    its columns through, and into the scan, where it runs on each batch as
//!    it is read.
//! 2. Time pruning: `TimeGenerated` bounds in the scan's predicate
//!    (`> ago(1d)`, `between (…)`) become a range checked against each row
//!    group's statistics, so whole row groups are skipped unread.
//! 3. Projection pushdown: only the columns some operator needs are read;
//!    projected expressions nobody uses are not computed.
//! 4. Identity projections (a rename-free `project` of every column) vanish.

use crate::expr::BoundExpr;
use crate::logical::{
    Aggregate, Filter, Graph, Join, JoinSide, Limit, LogicalPlan, MakeSeries, Materialize,
    MvExpand, Project, Scan, SequenceScan, Sort, TopN, Union, Window,
};
use crate::schema::Schema;
use crate::types::{KType, ScalarValue};

/// Runs every rule, in order.
pub fn optimize(plan: LogicalPlan) -> LogicalPlan {
    let plan = push_down_filters(plan);
    let width = plan.schema().len();
    let (plan, _) = prune(plan, &vec![true; width]);
    let plan = merge_projects(plan);
    remove_identity_projects(plan)
}

fn and(a: BoundExpr, b: BoundExpr) -> BoundExpr {
    match crate::functions::lookup_scalar("__and") {
        Some(f) => BoundExpr::Call {
            func: f,
            args: vec![a, b],
            ty: KType::Bool,
        },
        None => a,
    }
}

fn push_down_filters(plan: LogicalPlan) -> LogicalPlan {
    map_inputs(plan, push_down_filters, |plan| match plan {
        LogicalPlan::Filter(Filter { input, predicate }) => push_filter(*input, predicate),
        other => other,
    })
}

/// Places `predicate` as deep as it can go above `input`.
fn push_filter(input: LogicalPlan, predicate: BoundExpr) -> LogicalPlan {
    match input {
        LogicalPlan::Scan(mut scan) => {
            scan.filter = Some(match scan.filter.take() {
                Some(existing) => and(existing, predicate),
                None => predicate,
            });
            scan.time_range = time_range(scan.filter.as_ref(), &scan.schema);
            LogicalPlan::Scan(scan)
        }
        // Below a projection the predicate reads the projection's inputs: its
        // columns are replaced by the expressions that computed them.
        LogicalPlan::Project(p)
            if !predicate.is_volatile() && !grows_too_much(&predicate, &p.exprs) =>
        {
            let below = predicate.substitute(&p.exprs);
            LogicalPlan::Project(Project {
                input: Box::new(push_filter(*p.input, below)),
                exprs: p.exprs,
                schema: p.schema,
            })
        }
        LogicalPlan::Aggregate(mut a) => {
            a.having = Some(match a.having.take() {
                Some(existing) => and(existing, predicate),
                None => predicate,
            });
            LogicalPlan::Aggregate(a)
        }
        LogicalPlan::Filter(f) => {
            // Two filters in a row: combine, then push the pair.
            push_filter(*f.input, and(f.predicate, predicate))
        }
        other => LogicalPlan::Filter(Filter {
            input: Box::new(other),
            predicate,
        }),
    }
}

/// Pushing a predicate below a projection copies in the expressions of the
/// columns it reads; a chain of `extend x = iff(c, f(x), x)` doubles the copy
/// at every step (Sentinel's code-injection hunt has 14 such steps). Past
/// this size the filter stays where it is.
const MAX_PUSHED_NODES: usize = 2_000;

fn grows_too_much(predicate: &BoundExpr, exprs: &[BoundExpr]) -> bool {
    let mut size = 0usize;
    count_substituted(predicate, exprs, &mut size);
    size > MAX_PUSHED_NODES
}

/// Nodes of `e` with its columns replaced by `exprs`, stopping early past the cap.
fn count_substituted(e: &BoundExpr, exprs: &[BoundExpr], size: &mut usize) {
    if *size > MAX_PUSHED_NODES {
        return;
    }
    match e {
        BoundExpr::Column { index, .. } => *size += exprs.get(*index).map_or(1, node_count),
        BoundExpr::Literal(_) => *size += 1,
        BoundExpr::Call { args, .. } => {
            *size += 1;
            args.iter().for_each(|a| count_substituted(a, exprs, size));
        }
    }
}

fn node_count(e: &BoundExpr) -> usize {
    match e {
        BoundExpr::Column { .. } | BoundExpr::Literal(_) => 1,
        BoundExpr::Call { args, .. } => 1 + args.iter().map(node_count).sum::<usize>(),
    }
}

/// `TimeGenerated` bounds (inclusive, µs) implied by the conjuncts of `filter`.
fn time_range(filter: Option<&BoundExpr>, schema: &Schema) -> (Option<i64>, Option<i64>) {
    let Some(time_col) = schema.index_of("TimeGenerated") else {
        return (None, None);
    };
    let mut range = (None, None);
    let mut conjuncts = Vec::new();
    if let Some(f) = filter {
        collect_conjuncts(f, &mut conjuncts);
    }
    let tighten_lo =
        |r: &mut (Option<i64>, Option<i64>), v: i64| r.0 = Some(r.0.map_or(v, |x: i64| x.max(v)));
    let tighten_hi =
        |r: &mut (Option<i64>, Option<i64>), v: i64| r.1 = Some(r.1.map_or(v, |x: i64| x.min(v)));
    for c in conjuncts {
        let BoundExpr::Call { func, args, .. } = c else {
            continue;
        };
        let [l, r] = args.as_slice() else { continue };
        let (op, value) = match (l, r) {
            (BoundExpr::Column { index, .. }, BoundExpr::Literal(ScalarValue::DateTime(v)))
                if *index == time_col =>
            {
                (func.name, *v)
            }
            (BoundExpr::Literal(ScalarValue::DateTime(v)), BoundExpr::Column { index, .. })
                if *index == time_col =>
            {
                (flip(func.name), *v)
            }
            _ => continue,
        };
        match op {
            "__gt" => tighten_lo(&mut range, value.saturating_add(1)),
            "__ge" => tighten_lo(&mut range, value),
            "__lt" => tighten_hi(&mut range, value.saturating_sub(1)),
            "__le" => tighten_hi(&mut range, value),
            "__eq" => {
                tighten_lo(&mut range, value);
                tighten_hi(&mut range, value);
            }
            _ => {}
        }
    }
    range
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

fn columns_of(e: &BoundExpr, required: &mut [bool]) {
    e.visit_columns(&mut |i| {
        if let Some(r) = required.get_mut(i) {
            *r = true;
        }
    });
}

fn remap(e: &BoundExpr, mapping: &[Option<usize>]) -> BoundExpr {
    e.remap_columns(&|i| mapping.get(i).copied().flatten().unwrap_or(i))
}

/// Keeps only what `required` (over the plan's output columns) needs. Returns
/// the new plan and where each old output column went.
fn prune(plan: LogicalPlan, required: &[bool]) -> (LogicalPlan, Vec<Option<usize>>) {
    match plan {
        LogicalPlan::Scan(scan) => {
            let mut keep = required.to_vec();
            keep.resize(scan.schema.len(), false);
            if let Some(f) = &scan.filter {
                columns_of(f, &mut keep);
            }
            let mapping = positions(&keep);
            let projection: Vec<usize> = scan
                .projection
                .iter()
                .zip(&keep)
                .filter(|(_, k)| **k)
                .map(|(p, _)| *p)
                .collect();
            let schema = Schema::new(
                scan.schema
                    .columns
                    .iter()
                    .zip(&keep)
                    .filter(|(_, k)| **k)
                    .map(|(c, _)| c.clone())
                    .collect(),
            );
            let filter = scan.filter.as_ref().map(|f| remap(f, &mapping));
            (
                LogicalPlan::Scan(Scan {
                    projection,
                    filter,
                    schema,
                    ..scan
                }),
                mapping,
            )
        }
        LogicalPlan::Values(v) => {
            let n = v.schema.len();
            (LogicalPlan::Values(v), (0..n).map(Some).collect())
        }
        LogicalPlan::Filter(f) => {
            let mut need = required.to_vec();
            need.resize(f.input.schema().len(), false);
            columns_of(&f.predicate, &mut need);
            let (input, mapping) = prune(*f.input, &need);
            let predicate = remap(&f.predicate, &mapping);
            (
                LogicalPlan::Filter(Filter {
                    input: Box::new(input),
                    predicate,
                }),
                mapping,
            )
        }
        LogicalPlan::Project(p) => {
            let mut need = vec![false; p.input.schema().len()];
            for (e, r) in p.exprs.iter().zip(required) {
                if *r {
                    columns_of(e, &mut need);
                }
            }
            let (input, child_map) = prune(*p.input, &need);
            let mut exprs = Vec::new();
            let mut columns = Vec::new();
            let mut mapping = Vec::new();
            for ((e, c), r) in p.exprs.iter().zip(&p.schema.columns).zip(required) {
                if *r {
                    mapping.push(Some(exprs.len()));
                    exprs.push(remap(e, &child_map));
                    columns.push(c.clone());
                } else {
                    mapping.push(None);
                }
            }
            (
                LogicalPlan::Project(Project {
                    input: Box::new(input),
                    exprs,
                    schema: Schema::new(columns),
                }),
                mapping,
            )
        }
        LogicalPlan::Aggregate(a) => {
            let nkeys = a.keys.len();
            let mut need = vec![false; a.input.schema().len()];
            for k in &a.keys {
                columns_of(k, &mut need);
            }
            let mut out_required = required.to_vec();
            out_required.resize(a.schema.len(), false);
            if let Some(h) = &a.having {
                columns_of(h, &mut out_required);
            }
            let kept: Vec<bool> = (0..a.aggregates.len())
                .map(|i| out_required[nkeys + i])
                .collect();
            for (call, k) in a.aggregates.iter().zip(&kept) {
                if *k {
                    call.args.iter().for_each(|e| columns_of(e, &mut need));
                    if let Some(f) = &call.filter {
                        columns_of(f, &mut need);
                    }
                }
            }
            let (input, child_map) = prune(*a.input, &need);
            let keys = a.keys.iter().map(|k| remap(k, &child_map)).collect();
            let mut aggregates = Vec::new();
            let mut columns: Vec<_> = a.schema.columns[..nkeys].to_vec();
            let mut mapping: Vec<Option<usize>> = (0..nkeys).map(Some).collect();
            for (i, (call, k)) in a.aggregates.iter().zip(&kept).enumerate() {
                if *k {
                    mapping.push(Some(nkeys + aggregates.len()));
                    let mut c = call.clone();
                    c.args = c.args.iter().map(|e| remap(e, &child_map)).collect();
                    c.filter = c.filter.as_ref().map(|f| remap(f, &child_map));
                    aggregates.push(c);
                    columns.push(a.schema.columns[nkeys + i].clone());
                } else {
                    mapping.push(None);
                }
            }
            let having = a.having.as_ref().map(|h| remap(h, &mapping));
            (
                LogicalPlan::Aggregate(Aggregate {
                    input: Box::new(input),
                    keys,
                    aggregates,
                    having,
                    schema: Schema::new(columns),
                }),
                mapping,
            )
        }
        LogicalPlan::Sort(s) => {
            let mut need = required.to_vec();
            s.keys.iter().for_each(|k| columns_of(&k.expr, &mut need));
            let (input, mapping) = prune(*s.input, &need);
            let keys = s
                .keys
                .iter()
                .map(|k| crate::expr::SortExpr {
                    expr: remap(&k.expr, &mapping),
                    ..k.clone()
                })
                .collect();
            (
                LogicalPlan::Sort(Sort {
                    input: Box::new(input),
                    keys,
                }),
                mapping,
            )
        }
        LogicalPlan::TopN(t) => {
            let mut need = required.to_vec();
            t.keys.iter().for_each(|k| columns_of(&k.expr, &mut need));
            let (input, mapping) = prune(*t.input, &need);
            let keys = t
                .keys
                .iter()
                .map(|k| crate::expr::SortExpr {
                    expr: remap(&k.expr, &mapping),
                    ..k.clone()
                })
                .collect();
            (
                LogicalPlan::TopN(TopN {
                    input: Box::new(input),
                    keys,
                    n: t.n,
                }),
                mapping,
            )
        }
        LogicalPlan::Limit(l) => {
            let (input, mapping) = prune(*l.input, required);
            (
                LogicalPlan::Limit(Limit {
                    input: Box::new(input),
                    n: l.n,
                }),
                mapping,
            )
        }
        LogicalPlan::Union(u) => {
            let mut inputs = Vec::new();
            let mut mappings = Vec::new();
            for (input, map) in u.inputs.into_iter().zip(u.mappings) {
                let mut need = vec![false; input.schema().len()];
                for (m, r) in map.iter().zip(required) {
                    if let (Some(i), true) = (m, r) {
                        need[*i] = true;
                    }
                }
                let (input, child_map) = prune(input, &need);
                mappings.push(
                    map.iter()
                        .zip(required)
                        .filter(|(_, r)| **r)
                        .map(|(m, _)| m.and_then(|i| child_map.get(i).copied().flatten()))
                        .collect(),
                );
                inputs.push(input);
            }
            let mapping = positions(required);
            let schema = Schema::new(
                u.schema
                    .columns
                    .iter()
                    .zip(required)
                    .filter(|(_, r)| **r)
                    .map(|(c, _)| c.clone())
                    .collect(),
            );
            (
                LogicalPlan::Union(Union {
                    inputs,
                    mappings,
                    schema,
                }),
                mapping,
            )
        }
        LogicalPlan::Join(j) => prune_join(j, required),
        LogicalPlan::MvExpand(m) => prune_mv_expand(m, required),
        LogicalPlan::Window(w) => {
            // The calls read any column, and `prev` of a column needs its
            // every row: read them all, keep them all.
            let width = w.input.schema().len();
            let (input, _) = prune(*w.input, &vec![true; width]);
            let all = vec![true; w.schema.len()];
            (
                LogicalPlan::Window(Window {
                    input: Box::new(input),
                    ..w
                }),
                positions(&all),
            )
        }
        LogicalPlan::MakeSeries(m) => {
            // Every input column is a key, the bin or an aggregate: all are read.
            let width = m.input.schema().len();
            let (input, _) = prune(*m.input, &vec![true; width]);
            let all = vec![true; m.schema.len()];
            (
                LogicalPlan::MakeSeries(MakeSeries {
                    input: Box::new(input),
                    ..m
                }),
                positions(&all),
            )
        }
        LogicalPlan::SequenceScan(s) => prune_sequence_scan(s, required),
        LogicalPlan::Materialize(m) => {
            // Every reference must get the same rows, so each keeps all columns:
            // what one reference does not need, another may.
            let width = m.input.schema().len();
            let (input, _) = prune(*m.input, &vec![true; width]);
            (
                LogicalPlan::Materialize(Materialize {
                    input: Box::new(input),
                }),
                positions(&vec![true; width]),
            )
        }
        LogicalPlan::Graph(g) => {
            // The graph reads its inputs' columns by position: keep them all.
            let keep_all = |p: LogicalPlan| {
                let width = p.schema().len();
                Box::new(prune(p, &vec![true; width]).0)
            };
            let width = g.schema.len();
            (
                LogicalPlan::Graph(Graph {
                    edges: keep_all(*g.edges),
                    nodes: g.nodes.map(|n| keep_all(*n)),
                    ..g
                }),
                positions(&vec![true; width]),
            )
        }
    }
}

/// A join reads its keys and the columns its output needs from each side.
fn prune_join(j: Join, required: &[bool]) -> (LogicalPlan, Vec<Option<usize>>) {
    let mut need_left = vec![false; j.left.schema().len()];
    let mut need_right = vec![false; j.right.schema().len()];
    j.left_keys.iter().for_each(|k| need_left[*k] = true);
    j.right_keys.iter().for_each(|k| need_right[*k] = true);
    for ((side, i), r) in j.output.iter().zip(required) {
        if *r {
            match side {
                JoinSide::Left => need_left[*i] = true,
                JoinSide::Right => need_right[*i] = true,
            }
        }
    }
    let (left, left_map) = prune(*j.left, &need_left);
    let (right, right_map) = prune(*j.right, &need_right);
    let at = |map: &[Option<usize>], i: usize| map.get(i).copied().flatten().unwrap_or(i);
    let mut output = Vec::new();
    let mut columns = Vec::new();
    for ((side, i), (c, r)) in j.output.iter().zip(j.schema.columns.iter().zip(required)) {
        if *r {
            let i = match side {
                JoinSide::Left => at(&left_map, *i),
                JoinSide::Right => at(&right_map, *i),
            };
            output.push((*side, i));
            columns.push(c.clone());
        }
    }
    let join = Join {
        left_keys: j.left_keys.iter().map(|k| at(&left_map, *k)).collect(),
        right_keys: j.right_keys.iter().map(|k| at(&right_map, *k)).collect(),
        left: Box::new(left),
        right: Box::new(right),
        output,
        schema: Schema::new(columns),
        ..j
    };
    (LogicalPlan::Join(join), positions(required))
}

/// A scan reads the input columns its steps read (in the row or in a step's
/// record) and its partition key, and passes on those its consumer needs; the
/// declared columns and the match id always stay. The frame's indexes (see
/// `logical::SequenceScan`) move with the input's width.
fn prune_sequence_scan(s: SequenceScan, required: &[bool]) -> (LogicalPlan, Vec<Option<usize>>) {
    let n = s.input.schema().len();
    let width = n + s.defaults.len();
    let mut need: Vec<bool> = (0..n)
        .map(|i| required.get(i).copied().unwrap_or(false))
        .collect();
    for step in &s.steps {
        let exprs = std::iter::once(&step.condition).chain(step.assignments.iter().map(|(_, e)| e));
        for e in exprs {
            e.visit_columns(&mut |i| {
                if i % width < n {
                    need[i % width] = true;
                }
            });
        }
    }
    if let Some(k) = s.partition {
        need[k] = true;
    }
    let (input, child_map) = prune(*s.input, &need);
    let new_n = input.schema().len();
    let new_width = new_n + s.defaults.len();
    let moved = |i: usize| {
        let (block, within) = (i / width, i % width);
        let within = if within < n {
            child_map.get(within).copied().flatten().unwrap_or(within)
        } else {
            new_n + (within - n)
        };
        block * new_width + within
    };
    let steps = s
        .steps
        .iter()
        .map(|step| crate::logical::ScanStep {
            condition: step.condition.remap_columns(&moved),
            assignments: step
                .assignments
                .iter()
                .map(|(k, e)| (*k, e.remap_columns(&moved)))
                .collect(),
            ..step.clone()
        })
        .collect();
    let mut columns = input.schema().columns.clone();
    columns.extend(s.schema.columns[n..].iter().cloned());
    let mapping = (0..s.schema.len())
        .map(|j| {
            if j < n {
                child_map.get(j).copied().flatten()
            } else {
                Some(new_n + (j - n))
            }
        })
        .collect();
    let partition = s
        .partition
        .and_then(|k| child_map.get(k).copied().flatten());
    (
        LogicalPlan::SequenceScan(SequenceScan {
            input: Box::new(input),
            steps,
            partition,
            schema: Schema::new(columns),
            ..s
        }),
        mapping,
    )
}

/// The expanded columns are always read: they decide how many rows come out.
fn prune_mv_expand(m: MvExpand, required: &[bool]) -> (LogicalPlan, Vec<Option<usize>>) {
    let width = m.input.schema().len();
    let mut need: Vec<bool> = required.iter().take(width).copied().collect();
    need.resize(width, false);
    m.columns.iter().for_each(|c| need[*c] = true);
    let (input, child_map) = prune(*m.input, &need);
    // What the child keeps, which may be more than asked (an expanded
    // column below is never dropped): this node passes it all through.
    let mut keep: Vec<bool> = (0..width)
        .map(|i| child_map.get(i).copied().flatten().is_some())
        .collect();
    if m.item_index {
        keep.push(required.get(width).copied().unwrap_or(false));
    }
    let columns = m
        .schema
        .columns
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(c, _)| c.clone())
        .collect();
    let expand = MvExpand {
        input: Box::new(input),
        columns: m
            .columns
            .iter()
            .map(|c| child_map.get(*c).copied().flatten().unwrap_or(*c))
            .collect(),
        item_index: m.item_index && keep.get(width).copied().unwrap_or(false),
        schema: Schema::new(columns),
        ..m
    };
    (LogicalPlan::MvExpand(expand), positions(&keep))
}

/// Old index → new index for the kept entries.
fn positions(keep: &[bool]) -> Vec<Option<usize>> {
    let mut next = 0;
    keep.iter()
        .map(|k| {
            if *k {
                next += 1;
                Some(next - 1)
            } else {
                None
            }
        })
        .collect()
}

/// A projection of a projection becomes one, unless that would compute an
/// expression more than once.
fn merge_projects(plan: LogicalPlan) -> LogicalPlan {
    map_inputs(plan, merge_projects, |plan| match plan {
        LogicalPlan::Project(outer) => match *outer.input {
            LogicalPlan::Project(inner) if mergeable(&outer.exprs, &inner.exprs) => {
                let exprs = outer
                    .exprs
                    .iter()
                    .map(|e| e.substitute(&inner.exprs))
                    .collect();
                LogicalPlan::Project(Project {
                    input: inner.input,
                    exprs,
                    schema: outer.schema,
                })
            }
            input => LogicalPlan::Project(Project {
                input: Box::new(input),
                ..outer
            }),
        },
        other => other,
    })
}

fn mergeable(outer: &[BoundExpr], inner: &[BoundExpr]) -> bool {
    let mut uses = vec![0usize; inner.len()];
    for e in outer {
        e.visit_columns(&mut |i| {
            if let Some(u) = uses.get_mut(i) {
                *u += 1;
            }
        });
    }
    inner
        .iter()
        .zip(&uses)
        .all(|(e, u)| matches!(e, BoundExpr::Column { .. } | BoundExpr::Literal(_)) || *u <= 1)
}

fn remove_identity_projects(plan: LogicalPlan) -> LogicalPlan {
    map_inputs(plan, remove_identity_projects, |plan| match plan {
        LogicalPlan::Project(p) if is_identity(&p) => *p.input,
        other => other,
    })
}

fn is_identity(p: &Project) -> bool {
    let input = p.input.schema();
    p.exprs.len() == input.len()
        && p.exprs
            .iter()
            .enumerate()
            .all(|(i, e)| e.as_column() == Some(i))
        && p.schema
            .columns
            .iter()
            .zip(&input.columns)
            .all(|(a, b)| a == b)
}

/// Applies `recurse` to every input, then `this` to the node.
fn map_inputs(
    plan: LogicalPlan,
    recurse: fn(LogicalPlan) -> LogicalPlan,
    this: impl FnOnce(LogicalPlan) -> LogicalPlan,
) -> LogicalPlan {
    let rebuilt = match plan {
        LogicalPlan::Filter(f) => LogicalPlan::Filter(Filter {
            input: Box::new(recurse(*f.input)),
            predicate: f.predicate,
        }),
        LogicalPlan::Project(p) => LogicalPlan::Project(Project {
            input: Box::new(recurse(*p.input)),
            exprs: p.exprs,
            schema: p.schema,
        }),
        LogicalPlan::Aggregate(a) => LogicalPlan::Aggregate(Aggregate {
            input: Box::new(recurse(*a.input)),
            ..a
        }),
        LogicalPlan::Sort(s) => LogicalPlan::Sort(Sort {
            input: Box::new(recurse(*s.input)),
            keys: s.keys,
        }),
        LogicalPlan::TopN(t) => LogicalPlan::TopN(TopN {
            input: Box::new(recurse(*t.input)),
            keys: t.keys,
            n: t.n,
        }),
        LogicalPlan::Limit(l) => LogicalPlan::Limit(Limit {
            input: Box::new(recurse(*l.input)),
            n: l.n,
        }),
        LogicalPlan::Union(u) => LogicalPlan::Union(Union {
            inputs: u.inputs.into_iter().map(recurse).collect(),
            ..u
        }),
        LogicalPlan::Join(j) => LogicalPlan::Join(Join {
            left: Box::new(recurse(*j.left)),
            right: Box::new(recurse(*j.right)),
            ..j
        }),
        LogicalPlan::MvExpand(m) => LogicalPlan::MvExpand(MvExpand {
            input: Box::new(recurse(*m.input)),
            ..m
        }),
        LogicalPlan::MakeSeries(m) => LogicalPlan::MakeSeries(MakeSeries {
            input: Box::new(recurse(*m.input)),
            ..m
        }),
        LogicalPlan::Window(w) => LogicalPlan::Window(Window {
            input: Box::new(recurse(*w.input)),
            ..w
        }),
        LogicalPlan::Materialize(m) => LogicalPlan::Materialize(Materialize {
            input: Box::new(recurse(*m.input)),
        }),
        LogicalPlan::SequenceScan(s) => LogicalPlan::SequenceScan(SequenceScan {
            input: Box::new(recurse(*s.input)),
            ..s
        }),
        LogicalPlan::Graph(g) => LogicalPlan::Graph(Graph {
            edges: Box::new(recurse(*g.edges)),
            nodes: g.nodes.map(|n| Box::new(recurse(*n))),
            ..g
        }),
        leaf => leaf,
    };
    this(rebuilt)
}
