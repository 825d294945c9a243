//! Reading and merging the sketches that the `hll` and `tdigest` aggregates
//! build (dynamic values in iishunt's own format, not Kusto's bytes).

use super::{unaliased as f, ScalarFamily, ScalarFunction};
use crate::functions::Arity;
use crate::types::KType;

pub(super) const FAMILY: ScalarFamily = ScalarFamily {
    title: "Sketches (HyperLogLog and t-digest)",
    intro: "The aggregates `hll(x)` and `tdigest(x)` summarise a column into a dynamic sketch that can be stored, merged and read later: `dcount_hll` estimates the distinct count (exact for small counts), `percentile_tdigest` a percentile (exact up to 2,048 distinct values). A value that is not such a sketch reads as null (or is left out of a merge).",
    functions: FUNCTIONS,
};

fn sketches(name: &str, args: &[KType]) -> Result<(), String> {
    match args
        .iter()
        .find(|t| !matches!(t, KType::Dynamic | KType::String))
    {
        Some(t) => Err(format!("{name} expects sketches (dynamic), got {t}")),
        None => Ok(()),
    }
}

fn numbers(name: &str, args: &[KType]) -> Result<(), String> {
    match args
        .iter()
        .find(|t| !t.is_numeric() && **t != KType::Dynamic)
    {
        Some(t) => Err(format!("{name} expects numbers after the digest, got {t}")),
        None => Ok(()),
    }
}

fn hll_merge_rt(a: &[KType]) -> Result<KType, String> {
    sketches("hll_merge", a).map(|_| KType::Dynamic)
}

fn merge_tdigest_rt(a: &[KType]) -> Result<KType, String> {
    sketches("merge_tdigest", a).map(|_| KType::Dynamic)
}

fn dcount_hll_rt(a: &[KType]) -> Result<KType, String> {
    sketches("dcount_hll", a).map(|_| KType::Long)
}

fn percentile_tdigest_rt(a: &[KType]) -> Result<KType, String> {
    sketches("percentile_tdigest", &a[..a.len().min(1)])?;
    numbers("percentile_tdigest", &a[a.len().min(1)..]).map(|_| KType::Real)
}

fn percentiles_array_tdigest_rt(a: &[KType]) -> Result<KType, String> {
    sketches("percentiles_array_tdigest", &a[..a.len().min(1)])?;
    numbers("percentiles_array_tdigest", &a[a.len().min(1)..]).map(|_| KType::Dynamic)
}

fn rank_tdigest_rt(a: &[KType]) -> Result<KType, String> {
    sketches("rank_tdigest", &a[..a.len().min(1)])?;
    match a.get(1) {
        Some(t)
            if !t.is_numeric()
                && !matches!(t, KType::DateTime | KType::TimeSpan | KType::Dynamic) =>
        {
            Err(format!(
                "rank_tdigest expects a number as its second argument, got {t}"
            ))
        }
        _ => Ok(KType::Long),
    }
}

pub(super) const FUNCTIONS: &[ScalarFunction] = &[
    f("dcount_hll", Arity::exact(1), dcount_hll_rt, "The distinct count of an hll() sketch: exact up to a quarter of the sketch's register count (4,096 distinct values at the default accuracy), estimated past that.", "dcount_hll(hll_merge(h1, h2))"),
    f("hll_merge", Arity::range(2, 64), hll_merge_rt, "One sketch of the union of several hll() sketches (at the lowest precision among them). As an aggregate, hll_merge(h) merges a column's sketches.", "hll_merge(hll_x, hll_y)"),
    f("percentile_tdigest", Arity::exact(2), percentile_tdigest_rt, "The value at a percentile (nearest rank) of a tdigest() sketch, real; `percentile_tdigest(d, 95, typeof(long))` converts it to the type given.", "percentile_tdigest(td, 95)"),
    f("percentiles_array_tdigest", Arity::at_least(2), percentiles_array_tdigest_rt, "Several percentiles of a tdigest() sketch as one dynamic array; the percentiles may also be one dynamic array.", "percentiles_array_tdigest(td, 50, 95, 99)"),
    f("rank_tdigest", Arity::exact(2), rank_tdigest_rt, "How many values of a tdigest() sketch (their total weight) are at or below the value.", "rank_tdigest(td, 500)"),
    f("merge_tdigest", Arity::at_least(2), merge_tdigest_rt, "One digest of the union of several tdigest() sketches. As an aggregate, tdigest_merge(d) (alias merge_tdigest) merges a column's digests.", "merge_tdigest(td_x, td_y)"),
];
