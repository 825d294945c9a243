//! Kernels of the sketch functions: `dcount_hll`, `hll_merge`,
//! `percentile_tdigest`, `percentiles_array_tdigest`, `rank_tdigest` and
//! `merge_tdigest`, over the sketches of aggregates/hll.rs and
//! aggregates/tdigest.rs. A cell that is not a sketch gives null (or is left
//! out of a merge), as bad values do everywhere.

use std::sync::Arc;

use arrow::array::{ArrayRef, Float64Array, Int64Array, StringBuilder};
use serde_json::Value;

use super::args;
use super::dynamic::json;
use crate::aggregates::hll::Hll;
use crate::aggregates::tdigest::TDigest;
use crate::datum::{Datum, Kernel, KernelContext};
use crate::error::Result;

pub(super) const KERNELS: &[(&str, Kernel)] = &[
    ("dcount_hll", dcount_hll),
    ("hll_merge", hll_merge),
    ("percentile_tdigest", percentile_tdigest),
    ("percentiles_array_tdigest", percentiles_array_tdigest),
    ("rank_tdigest", rank_tdigest),
    ("merge_tdigest", merge_tdigest),
];

fn dcount_hll(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let h = json(args, ctx, 0, true)?;
    let out: Int64Array = (0..ctx.rows)
        .map(|i| Hll::from_json(h.get(i)).map(|mut h| h.count()))
        .collect();
    Ok(Arc::new(out))
}

/// One merged sketch per row of the sketches in `args`; null when none is one.
fn merge_rows<S>(
    args: &[Datum],
    ctx: &KernelContext,
    parse: fn(&Value) -> Option<S>,
    merge: fn(&mut S, &S),
    write: fn(&mut S) -> Value,
) -> Result<ArrayRef> {
    let columns = (0..args.len())
        .map(|i| json(args, ctx, i, true))
        .collect::<Result<Vec<_>>>()?;
    let mut b = StringBuilder::new();
    for row in 0..ctx.rows {
        let mut acc: Option<S> = None;
        for c in &columns {
            let Some(s) = parse(c.get(row)) else { continue };
            match &mut acc {
                Some(a) => merge(a, &s),
                None => acc = Some(s),
            }
        }
        match acc.as_mut() {
            Some(a) => b.append_value(write(a).to_string()),
            None => b.append_null(),
        }
    }
    Ok(Arc::new(b.finish()))
}

fn hll_merge(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    merge_rows(args, ctx, Hll::from_json, |a, b| a.merge(b), Hll::to_json)
}

fn merge_tdigest(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    merge_rows(
        args,
        ctx,
        TDigest::from_json,
        |a, b| a.merge(b),
        TDigest::to_json,
    )
}

fn percentile_tdigest(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let d = json(args, ctx, 0, true)?;
    let p = args::real(args, ctx, 1)?;
    let out: Float64Array = (0..ctx.rows)
        .map(|i| TDigest::from_json(d.get(i))?.percentile(p.get(i)?))
        .collect();
    Ok(Arc::new(out))
}

fn rank_tdigest(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let d = json(args, ctx, 0, true)?;
    let x = args::real(args, ctx, 1)?;
    let out: Int64Array = (0..ctx.rows)
        .map(|i| {
            let x = x.get(i)?;
            Some(TDigest::from_json(d.get(i))?.rank(x).round() as i64)
        })
        .collect();
    Ok(Arc::new(out))
}

fn percentiles_array_tdigest(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let d = json(args, ctx, 0, true)?;
    let ps = (1..args.len())
        .map(|i| json(args, ctx, i, false))
        .collect::<Result<Vec<_>>>()?;
    let mut b = StringBuilder::new();
    for row in 0..ctx.rows {
        let Some(mut digest) = TDigest::from_json(d.get(row)).filter(|d| !d.is_empty()) else {
            b.append_null();
            continue;
        };
        // Percentiles as separate arguments or as one dynamic array.
        let wanted: Vec<Option<f64>> = ps
            .iter()
            .flat_map(|p| match p.get(row) {
                Value::Array(items) => items.iter().map(Value::as_f64).collect(),
                v => vec![v.as_f64()],
            })
            .collect();
        let items: Vec<Value> = wanted
            .into_iter()
            .map(|p| {
                p.and_then(|p| digest.percentile(p))
                    .and_then(serde_json::Number::from_f64)
                    .map_or(Value::Null, Value::Number)
            })
            .collect();
        b.append_value(Value::Array(items).to_string());
    }
    Ok(Arc::new(b.finish()))
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use arrow::array::{Array, AsArray};
    use arrow::datatypes::{Float64Type, Int64Type};
    use iishunt_plan::types::KType;

    fn digest(values: &[f64]) -> String {
        let mut d = TDigest::new();
        for &v in values {
            d.insert(v, 1.0);
        }
        d.to_json().to_string()
    }

    fn sketch(values: std::ops::Range<u32>) -> String {
        let mut h = Hll::new(14);
        for v in values {
            h.insert(Hll::hash(&v.to_string()));
        }
        h.to_json().to_string()
    }

    fn ctx(rows: usize, types: &[KType], ret: KType) -> KernelContext<'_> {
        KernelContext {
            rows,
            now: 0,
            arg_types: types,
            return_type: ret,
        }
    }

    #[test]
    fn merges_and_counts_sketches_row_by_row() {
        let a = sketch(0..10);
        let b = sketch(5..20);
        let types = [KType::Dynamic, KType::Dynamic];
        let c = ctx(2, &types, KType::Dynamic);
        let merged = hll_merge(
            &[strs(&[Some(&a), Some("[1]")]), strs(&[Some(&b), None])],
            &c,
        )
        .unwrap();
        let merged = merged.as_string::<i32>();
        assert!(merged.is_null(1));
        let counted = dcount_hll(
            &[Datum::Array(Arc::new(merged.clone()))],
            &ctx(2, &types[..1], KType::Long),
        )
        .unwrap();
        let counted = counted.as_primitive::<Int64Type>();
        assert_eq!(counted.value(0), 20);
        assert!(counted.is_null(1));
    }

    #[test]
    fn reads_percentiles_and_ranks() {
        let d = digest(&[1.0, 2.0, 3.0, 4.0]);
        let types = [KType::Dynamic, KType::Long];
        let c = ctx(3, &types, KType::Real);
        let p = percentile_tdigest(
            &[
                strs(&[Some(&d), Some(&d), Some("{}")]),
                long_col(&[Some(50), Some(100), Some(50)]),
            ],
            &c,
        )
        .unwrap();
        let p = p.as_primitive::<Float64Type>();
        assert_eq!((p.value(0), p.value(1), p.is_null(2)), (2.0, 4.0, true));
        let r = rank_tdigest(&[lit_str(&d), long_col(&[Some(0), Some(3), None])], &c).unwrap();
        let r = r.as_primitive::<Int64Type>();
        assert_eq!((r.value(0), r.value(1), r.is_null(2)), (0, 3, true));
        let a = percentiles_array_tdigest(
            &[lit_str(&d), lit_dyn("[25, 75]")],
            &ctx(1, &[KType::Dynamic, KType::Dynamic], KType::Dynamic),
        )
        .unwrap();
        assert_eq!(a.as_string::<i32>().value(0), "[1.0,3.0]");
    }
}
