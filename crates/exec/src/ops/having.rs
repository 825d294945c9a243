//! `summarize … | where <condition on the groups>` in two passes.
//!
//! A rule like "30 or more ports from one client in 10 minutes" groups millions
//! of rows into millions of groups, computes a dozen `make_set`s for each, and
//! keeps a handful. When the condition reads only some aggregates, pass 1
//! computes just those (and `arraylength(make_set(x))` as a bare count of
//! distinct values), finds the passing groups, and pass 2 computes every
//! aggregate over the rows of those groups only. Both passes group the same
//! rows by the same keys, so the result is exactly the one-pass result.

use iishunt_plan::expr::{AggregateCall, BoundExpr};
use iishunt_plan::functions::lookup_aggregate;
use iishunt_plan::schema::{Column, Schema};
use iishunt_plan::types::KType;

/// Pass 1 of a two-pass aggregate.
pub struct TwoPass {
    /// The aggregates pass 1 computes.
    pub calls: Vec<AggregateCall>,
    /// The condition over pass 1's output (keys then `calls`).
    pub having: BoundExpr,
    pub schema: Schema,
}

fn is_array_length(name: &str) -> bool {
    matches!(name, "array_length" | "arraylength")
}

/// `Some` when the condition reads fewer aggregates than the summarize computes.
pub fn plan_two_pass(
    keys: &[BoundExpr],
    calls: &[AggregateCall],
    having: &BoundExpr,
    schema: &Schema,
) -> Option<TwoPass> {
    let nkeys = keys.len();
    // Per aggregate: used at all, used other than inside arraylength().
    let mut used = vec![false; calls.len()];
    let mut used_bare = vec![false; calls.len()];
    scan_uses(having, nkeys, &mut used, &mut used_bare, false);
    let n_used = used.iter().filter(|u| **u).count();
    if n_used == calls.len() {
        return None;
    }
    let set_size = lookup_aggregate("__set_size")?;
    let mut new_index = vec![None; calls.len()];
    let mut pass1 = Vec::new();
    let mut columns: Vec<Column> = schema.columns[..nkeys].to_vec();
    for (i, call) in calls.iter().enumerate() {
        if !used[i] {
            continue;
        }
        let sized = !used_bare[i] && matches!(call.func.name, "make_set" | "make_set_if");
        let c = if sized {
            AggregateCall {
                func: set_size,
                args: call.args.clone(),
                filter: call.filter.clone(),
                ty: KType::Long,
            }
        } else {
            call.clone()
        };
        new_index[i] = Some((nkeys + pass1.len(), sized));
        columns.push(Column {
            name: schema.columns[nkeys + i].name.clone(),
            ty: c.ty,
        });
        pass1.push(c);
    }
    let having = rewrite(having, nkeys, &new_index);
    Some(TwoPass {
        calls: pass1,
        having,
        schema: Schema::new(columns),
    })
}

fn scan_uses(e: &BoundExpr, nkeys: usize, used: &mut [bool], bare: &mut [bool], in_length: bool) {
    match e {
        BoundExpr::Column { index, .. } if *index >= nkeys => {
            used[index - nkeys] = true;
            if !in_length {
                bare[index - nkeys] = true;
            }
        }
        BoundExpr::Call { func, args, .. } => {
            let length = is_array_length(func.name)
                && args.len() == 1
                && matches!(args[0], BoundExpr::Column { .. });
            for a in args {
                scan_uses(a, nkeys, used, bare, length);
            }
        }
        _ => {}
    }
}

fn rewrite(e: &BoundExpr, nkeys: usize, new_index: &[Option<(usize, bool)>]) -> BoundExpr {
    match e {
        BoundExpr::Column { index, name, ty } if *index >= nkeys => {
            match new_index[index - nkeys] {
                Some((i, _)) => BoundExpr::Column {
                    index: i,
                    name: name.clone(),
                    ty: *ty,
                },
                None => e.clone(),
            }
        }
        BoundExpr::Call { func, args, ty } => {
            if is_array_length(func.name) && args.len() == 1 {
                if let BoundExpr::Column { index, name, .. } = &args[0] {
                    if *index >= nkeys {
                        if let Some((i, true)) = new_index[index - nkeys] {
                            return BoundExpr::Column {
                                index: i,
                                name: name.clone(),
                                ty: KType::Long,
                            };
                        }
                    }
                }
            }
            BoundExpr::Call {
                func,
                args: args.iter().map(|a| rewrite(a, nkeys, new_index)).collect(),
                ty: *ty,
            }
        }
        other => other.clone(),
    }
}

/// Per aggregate (of `naggs`): whether `having` reads it only as
/// `array_length(…)`, so a set's size will do (the accumulator says whether
/// it is a set: [`crate::aggregates::Accumulator::set_sizes`]).
pub fn length_only(having: &BoundExpr, nkeys: usize, naggs: usize) -> Vec<bool> {
    let mut used = vec![false; naggs];
    let mut used_bare = vec![false; naggs];
    scan_uses(having, nkeys, &mut used, &mut used_bare, false);
    (0..naggs).map(|i| used[i] && !used_bare[i]).collect()
}

/// `having` with `array_length(set)` read as the set's size, a long in the
/// set's own column, for each aggregate `sized` marks.
pub fn with_set_sizes(having: &BoundExpr, nkeys: usize, sized: &[bool]) -> BoundExpr {
    let new_index: Vec<Option<(usize, bool)>> = (0..sized.len())
        .map(|i| sized[i].then_some((nkeys + i, true)))
        .collect();
    rewrite(having, nkeys, &new_index)
}
