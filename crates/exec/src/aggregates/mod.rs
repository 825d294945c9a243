//! Aggregate accumulators, vectorised over groups: `update` takes a batch's
//! argument arrays and the group id of every row; `merge` folds another
//! partition's accumulator in (partition order, so results are the same with
//! any number of threads); `finish` gives one value per group.

mod bag;
mod bits;
pub mod coder;
mod count;
mod extreme;
pub mod hll;
pub mod interner;
mod list_nulls;
mod numeric;
mod schema;
mod set;
mod stats;
pub mod tdigest;

use std::any::Any;

use arrow::array::{Array, ArrayRef, BooleanArray};
use iishunt_plan::expr::AggregateCall;

use crate::error::{ExecError, Result};

pub trait Accumulator: Send + Sync {
    /// Adds rows: `groups[i]` is row i's group (`< num_groups`); `args` are the
    /// evaluated arguments (plain or dictionary arrays); `filter` the `*if`
    /// predicate (rows where it is not true are skipped).
    fn update(
        &mut self,
        groups: &[u32],
        num_groups: usize,
        args: &[ArrayRef],
        filter: Option<&BooleanArray>,
    ) -> Result<()>;

    /// Folds `other` (the same kind of accumulator) in: its group g becomes `mapping[g]`.
    fn merge(
        &mut self,
        other: Box<dyn Accumulator>,
        mapping: &[u32],
        num_groups: usize,
    ) -> Result<()>;

    /// One value per group, as an array of the call's type.
    fn finish(self: Box<Self>, num_groups: usize) -> Result<ArrayRef>;

    /// The values of only some groups, in the order given: after a `having`
    /// keeps 25 groups of 150,000, a set need not be printed 150,000 times.
    fn finish_groups(self: Box<Self>, num_groups: usize, groups: &[u32]) -> Result<ArrayRef> {
        let all = self.finish(num_groups)?;
        Ok(arrow::compute::take(
            &all,
            &arrow::array::UInt32Array::from(groups.to_vec()),
            None,
        )?)
    }

    /// For a `make_set`: how many values each group's set holds — what
    /// `array_length()` of [`Self::finish`] gives — without printing the
    /// sets, so a `having` on set sizes reads a number (`None`: not a set).
    fn set_sizes(&mut self, _num_groups: usize) -> Option<ArrayRef> {
        None
    }

    /// Bytes this accumulator holds (for `--memory-limit`); cheap to ask
    /// after every batch.
    fn memory_bytes(&self) -> usize;

    fn into_any(self: Box<Self>) -> Box<dyn Any>;
}

/// Heap bytes of a vector's buffer.
pub(crate) fn vec_bytes<T>(v: &Vec<T>) -> usize {
    v.capacity() * std::mem::size_of::<T>()
}

/// A fresh accumulator for one aggregate call.
pub fn create(call: &AggregateCall) -> Result<Box<dyn Accumulator>> {
    let arg_ty = call.args.first().map(|a| a.ty());
    let literal_i64 = |i: usize| {
        call.args
            .get(i)
            .and_then(|a| a.as_literal())
            .and_then(|v| v.as_i64())
    };
    let literal_f64 = |i: usize| {
        call.args
            .get(i)
            .and_then(|a| a.as_literal())
            .and_then(|v| match v {
                iishunt_plan::types::ScalarValue::Real(r) => Some(*r),
                other => other.as_i64().map(|x| x as f64),
            })
    };
    let cap = |i: usize| {
        literal_i64(i)
            .filter(|n| *n > 0)
            .map_or(set::DEFAULT_CAP, |n| (n as usize).min(set::DEFAULT_CAP))
    };
    // The percentiles of `percentilesw_array(x, w, 50, 95)` or `(x, w, dynamic([50, 95]))`.
    let literal_ps = |from: usize| -> Vec<f64> {
        let mut ps = Vec::new();
        for a in call.args.iter().skip(from) {
            match a.as_literal() {
                Some(iishunt_plan::types::ScalarValue::Real(r)) => ps.push(*r),
                Some(iishunt_plan::types::ScalarValue::Dynamic(serde_json::Value::Array(
                    items,
                ))) => ps.extend(items.iter().filter_map(serde_json::Value::as_f64)),
                Some(other) => ps.extend(other.as_i64().map(|x| x as f64)),
                None => {}
            }
        }
        ps
    };
    let x_ty = arg_ty.unwrap_or(call.ty);
    Ok(match call.func.name {
        "count" | "countif" => Box::new(count::Count::new(!call.args.is_empty())),
        "sum" | "sumif" => numeric::sum(call.ty),
        "avg" | "avgif" => numeric::avg(call.ty),
        "min" | "minif" => Box::new(extreme::Extreme::new(extreme::Mode::Min, call.ty)),
        "max" | "maxif" => Box::new(extreme::Extreme::new(extreme::Mode::Max, call.ty)),
        "take_any" | "take_anyif" => Box::new(extreme::Extreme::new(extreme::Mode::First, call.ty)),
        "__arg_max_of" => Box::new(extreme::ArgExtreme::new(
            true,
            arg_ty.unwrap_or(call.ty),
            call.ty,
        )),
        "__arg_min_of" => Box::new(extreme::ArgExtreme::new(
            false,
            arg_ty.unwrap_or(call.ty),
            call.ty,
        )),
        "make_set" | "make_set_if" => Box::new(set::SetAcc::new(
            set::Output::Set,
            arg_ty.unwrap_or(call.ty),
            cap(1),
        )),
        "make_list" | "make_list_if" => Box::new(set::SetAcc::new(
            set::Output::List,
            arg_ty.unwrap_or(call.ty),
            cap(1),
        )),
        "buildschema" => Box::new(schema::BuildSchema::new()),
        "make_list_with_nulls" => Box::new(list_nulls::ListWithNulls::new(
            arg_ty.unwrap_or(call.ty),
            set::DEFAULT_CAP,
        )),
        "__set_size" => Box::new(set::SetAcc::new(
            set::Output::Count,
            arg_ty.unwrap_or(call.ty),
            cap(1),
        )),
        "dcount" | "dcountif" => Box::new(set::SetAcc::new(
            set::Output::Count,
            arg_ty.unwrap_or(call.ty),
            usize::MAX,
        )),
        "percentile" => Box::new(stats::Percentile::new(
            literal_f64(1).unwrap_or(50.0),
            call.ty,
        )),
        "median" => Box::new(stats::Percentile::new(50.0, call.ty)),
        "hll" | "hll_if" => Box::new(hll::HllAcc::new(
            hll::Mode::Build,
            hll::precision_of_accuracy(literal_i64(1)),
        )),
        "hll_merge" => Box::new(hll::HllAcc::new(hll::Mode::Merge, hll::DEFAULT_PRECISION)),
        "tdigest" => Box::new(tdigest::TDigestAcc::new(
            tdigest::Input::Values {
                weighted: call.args.len() > 1,
            },
            tdigest::Output::Digest,
            x_ty,
        )),
        "tdigest_merge" => Box::new(tdigest::TDigestAcc::new(
            tdigest::Input::Digests,
            tdigest::Output::Digest,
            x_ty,
        )),
        "percentilew" => Box::new(tdigest::TDigestAcc::new(
            tdigest::Input::Values { weighted: true },
            tdigest::Output::Percentile(literal_f64(2).unwrap_or(50.0)),
            call.ty,
        )),
        "percentilesw_array" => Box::new(tdigest::TDigestAcc::new(
            tdigest::Input::Values { weighted: true },
            tdigest::Output::Array(literal_ps(2)),
            x_ty,
        )),
        "percentiles_array" => Box::new(tdigest::TDigestAcc::new(
            tdigest::Input::Values { weighted: false },
            tdigest::Output::Array(literal_ps(1)),
            x_ty,
        )),
        "covariance" | "covarianceif" => Box::new(stats::Covariance::new(false)),
        "covariancep" | "covariancepif" => Box::new(stats::Covariance::new(true)),
        "binary_all_and" => Box::new(bits::BinaryAll::new(bits::BitOp::And)),
        "binary_all_or" => Box::new(bits::BinaryAll::new(bits::BitOp::Or)),
        "binary_all_xor" => Box::new(bits::BinaryAll::new(bits::BitOp::Xor)),
        "make_bag" | "make_bag_if" => Box::new(bag::MakeBag::new(cap(1))),
        "stdev" | "stdevif" => Box::new(stats::Moments::new(stats::MomentKind::Stdev)),
        "variance" | "varianceif" => Box::new(stats::Moments::new(stats::MomentKind::Variance)),
        "stdevp" | "stdevpif" => Box::new(stats::Moments::new(stats::MomentKind::StdevP)),
        "variancep" | "variancepif" => Box::new(stats::Moments::new(stats::MomentKind::VarianceP)),
        other => {
            return Err(ExecError::Unsupported(format!(
                "the aggregate `{other}` is not implemented"
            )))
        }
    })
}

/// Downcasts a merged partner to the concrete accumulator type.
pub(crate) fn downcast<T: 'static>(other: Box<dyn Accumulator>) -> Result<Box<T>> {
    other.into_any().downcast::<T>().map_err(|_| {
        ExecError::internal(
            "Accumulator::merge",
            "merging accumulators of different kinds",
        )
    })
}

/// Whether row `i` passes the `*if` predicate.
#[inline]
pub(crate) fn selected(filter: Option<&BooleanArray>, i: usize) -> bool {
    match filter {
        None => true,
        Some(f) => f.is_valid(i) && f.value(i),
    }
}

/// Grows a per-group vector to `num_groups` entries.
pub(crate) fn grow<T: Clone>(v: &mut Vec<T>, num_groups: usize, fill: T) {
    if v.len() < num_groups {
        v.resize(num_groups, fill);
    }
}

/// Folds another accumulator's per-group sketches into `into`: its group g
/// becomes `mapping[g]`; a group that has none yet takes the other's as is.
pub(crate) fn merge_sketches<T>(
    into: &mut [Option<T>],
    from: Vec<Option<T>>,
    mapping: &[u32],
    merge: impl Fn(&mut T, &T),
) {
    for (g, sketch) in from.into_iter().enumerate() {
        let Some(sketch) = sketch else { continue };
        match &mut into[mapping[g] as usize] {
            Some(s) => merge(s, &sketch),
            slot => *slot = Some(sketch),
        }
    }
}

/// Per-group totals: `totals[groups[i]] += values[i]`, or `+= 1` without
/// values, wrapping at 64 bits. The hot loop of `count()` and `sum()`.
///
/// With one group it is a plain (vectorised) sum. With a few groups most
/// consecutive rows hit the same total (`by scStatus`: nearly all "200"), and
/// each add would wait for the previous one's store; four interleaved copies
/// of the totals break that chain and are folded in at the end.
pub(crate) fn add_by_group(totals: &mut [i64], groups: &[u32], values: Option<&[i64]>) {
    const LANES: usize = 4;
    const FEW: usize = 64;
    if let [total] = totals {
        let sum = match values {
            Some(v) => v.iter().fold(0i64, |a, &x| a.wrapping_add(x)),
            None => groups.len() as i64,
        };
        *total = total.wrapping_add(sum);
        return;
    }
    let value = |i: usize| values.map_or(1, |v| v[i]);
    if totals.len() > FEW || groups.len() < 4 * FEW {
        for (i, &g) in groups.iter().enumerate() {
            let t = &mut totals[g as usize];
            *t = t.wrapping_add(value(i));
        }
        return;
    }
    let mut lanes = [[0i64; FEW]; LANES];
    let whole = groups.len() / LANES * LANES;
    for start in (0..whole).step_by(LANES) {
        for (lane, copy) in lanes.iter_mut().enumerate() {
            let i = start + lane;
            let t = &mut copy[groups[i] as usize];
            *t = t.wrapping_add(value(i));
        }
    }
    for i in whole..groups.len() {
        let t = &mut lanes[0][groups[i] as usize];
        *t = t.wrapping_add(value(i));
    }
    for (g, total) in totals.iter_mut().enumerate() {
        for copy in &lanes {
            *total = total.wrapping_add(copy[g]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::add_by_group;
    use proptest::prelude::*;

    /// The obvious loop `add_by_group` must agree with.
    fn naive(totals: &mut [i64], groups: &[u32], values: Option<&[i64]>) {
        for (i, &g) in groups.iter().enumerate() {
            let t = &mut totals[g as usize];
            *t = t.wrapping_add(values.map_or(1, |v| v[i]));
        }
    }

    proptest! {
        /// Every path (one group, a few groups with lanes, many groups, short
        /// batches, odd lengths, wrapping sums) gives the plain loop's totals.
        #[test]
        fn add_by_group_matches_the_plain_loop(
            num_groups in 1usize..100,
            rows in proptest::collection::vec((any::<u32>(), any::<i64>()), 0..1200),
            with_values in any::<bool>(),
            start in any::<i64>(),
        ) {
            let groups: Vec<u32> = rows.iter().map(|(g, _)| g % num_groups as u32).collect();
            let values: Vec<i64> = rows.iter().map(|(_, v)| *v).collect();
            let values = with_values.then_some(values.as_slice());
            let mut expected = vec![start; num_groups];
            naive(&mut expected, &groups, values);
            let mut got = vec![start; num_groups];
            add_by_group(&mut got, &groups, values);
            prop_assert_eq!(got, expected);
        }
    }
}
