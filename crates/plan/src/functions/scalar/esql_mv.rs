//! ES|QL multi-value functions beyond the first set in `esql.rs`:
//! `MV_MEDIAN`, `MV_PERCENTILE`, `MV_MEDIAN_ABSOLUTE_DEVIATION`,
//! `MV_PSERIES_WEIGHTED_SUM`, `MV_APPEND`, `MV_ZIP`. Over a multi-value
//! (dynamic) argument a numeric result is dynamic too: the binder gives it
//! the element type when it knows it (`ROW a = [3, 5, 1]`).

use super::sig::{check, P};
use super::unaliased as f;
use super::{ScalarFamily, ScalarFunction};
use crate::functions::Arity;
use crate::types::KType;

pub(super) const FAMILY: ScalarFamily = ScalarFamily {
    title: "ES|QL multi-value functions",
    intro: "More multi-value functions with Elasticsearch's semantics, for ES|QL queries (internally `esql_<name>`). A single value is a one-element multi-value; null is none.",
    functions: FUNCTIONS,
};

/// A number of the argument's type; dynamic over a multi-value.
fn mv_num_rt(a: &[KType]) -> Result<KType, String> {
    check("this function", a, &[P::Num, P::Num], None)?;
    Ok(match a.first() {
        Some(t @ (KType::Int | KType::Long | KType::Real)) => *t,
        Some(KType::Decimal) => KType::Real,
        _ => KType::Dynamic,
    })
}

fn pseries_rt(a: &[KType]) -> Result<KType, String> {
    check("mv_pseries_weighted_sum", a, &[P::Num, P::Num], None)?;
    Ok(KType::Real)
}

fn dynamic_rt(_: &[KType]) -> Result<KType, String> {
    Ok(KType::Dynamic)
}

pub(super) const FUNCTIONS: &[ScalarFunction] = &[
    f("esql_mv_median", Arity::exact(1), mv_num_rt, "The median of the values; of two middle integers, their mean rounded down.", "MV_MEDIAN(a)"),
    f("esql_mv_percentile", Arity::exact(2), mv_num_rt, "`MV_PERCENTILE(values, p)`: the value at percentile p (0 to 100; outside, null), interpolated between neighbours.", "MV_PERCENTILE(values, 50)"),
    f("esql_mv_median_absolute_deviation", Arity::exact(1), mv_num_rt, "The median of the distances from the median.", "MV_MEDIAN_ABSOLUTE_DEVIATION(values)"),
    f("esql_mv_pseries_weighted_sum", Arity::exact(2), pseries_rt, "`MV_PSERIES_WEIGHTED_SUM(values, p)`: the sum of value i / i^p, i counting from 1 in the values' order.", "MV_PSERIES_WEIGHTED_SUM(a, 1.5)"),
    f("esql_mv_append", Arity::exact(2), dynamic_rt, "The values of both arguments, first then second; null when either is null.", "MV_APPEND(a, b)"),
    f("esql_mv_zip", Arity::range(2, 3), dynamic_rt, "`MV_ZIP(a, b[, delim])`: the values paired in order, joined by the delimiter (`,` by default); the longer one's extra values stay alone.", "MV_ZIP(a, b, \"-\")"),
];
