//! Aggregate functions (`summarize`, `STATS`): one entry per function. The
//! accumulators that compute them are in `iishunt-exec` (`aggregates/`),
//! keyed by `name`.

use super::{Arity, ReturnTypeFn};
use crate::types::KType;

pub struct AggregateFunction {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub arity: Arity,
    pub return_type: ReturnTypeFn,
    /// How Kusto names an unnamed aggregate: `count()` → `count_`,
    /// `make_set(x)` → `set_x`, `sum(x)` → `sum_x`. `{}` is the first
    /// argument's column name (or empty when it has none), `{1}` the second's
    /// (`covariance(x, y)` → `covariance_x_y`).
    pub column_name: &'static str,
    /// The last argument is a predicate (`countif`, `make_set_if`, …).
    pub has_predicate: bool,
    pub doc: &'static str,
    pub example: &'static str,
}

fn long(_: &[KType]) -> Result<KType, String> {
    Ok(KType::Long)
}

fn real(args: &[KType]) -> Result<KType, String> {
    match args.first() {
        Some(t) if t.is_numeric() || *t == KType::TimeSpan || *t == KType::Dynamic => {
            Ok(KType::Real)
        }
        Some(t) => Err(format!("expects a number, got {t}")),
        None => Ok(KType::Real),
    }
}

fn sum_type(args: &[KType]) -> Result<KType, String> {
    match args.first() {
        Some(KType::Int | KType::Long) => Ok(KType::Long),
        Some(KType::Real | KType::Decimal | KType::Dynamic) => Ok(KType::Real),
        Some(KType::TimeSpan) => Ok(KType::TimeSpan),
        Some(t) => Err(format!("expects a number, got {t}")),
        None => Err("expects a number".into()),
    }
}

fn avg_type(args: &[KType]) -> Result<KType, String> {
    match args.first() {
        Some(KType::TimeSpan) => Ok(KType::TimeSpan),
        Some(KType::DateTime) => Ok(KType::DateTime),
        _ => real(args),
    }
}

fn same(args: &[KType]) -> Result<KType, String> {
    args.first()
        .copied()
        .ok_or_else(|| "expects an argument".to_string())
}

fn dynamic(_: &[KType]) -> Result<KType, String> {
    Ok(KType::Dynamic)
}

/// `buildschema(d)`: the argument is a dynamic value.
fn dynamic_arg(args: &[KType]) -> Result<KType, String> {
    match args.first() {
        Some(KType::Dynamic) | None => Ok(KType::Dynamic),
        Some(t) => Err(format!(
            "expects a dynamic value, got {t} (parse it with parse_json)"
        )),
    }
}

/// `hll_merge(h)`, `tdigest_merge(d)`: the argument is a sketch (dynamic).
fn sketch(args: &[KType]) -> Result<KType, String> {
    match args.first() {
        Some(KType::Dynamic | KType::String) | None => Ok(KType::Dynamic),
        Some(t) => Err(format!(
            "expects a sketch (the dynamic value of hll() or tdigest()), got {t}"
        )),
    }
}

/// `tdigest(x [, w])`, `percentilesw_array(x, w, …)`: numbers (and a numeric weight).
fn numeric_dynamic(args: &[KType]) -> Result<KType, String> {
    weights(args)?;
    match args.first() {
        Some(t)
            if t.is_numeric()
                || matches!(t, KType::DateTime | KType::TimeSpan | KType::Dynamic) =>
        {
            Ok(KType::Dynamic)
        }
        Some(t) => Err(format!("expects a number, got {t}")),
        None => Ok(KType::Dynamic),
    }
}

fn weights(args: &[KType]) -> Result<(), String> {
    match args.get(1) {
        Some(t) if !t.is_numeric() && *t != KType::Dynamic => Err(format!(
            "expects a numeric weight as its second argument, got {t}"
        )),
        _ => Ok(()),
    }
}

fn percentilew_type(args: &[KType]) -> Result<KType, String> {
    weights(args)?;
    percentile_type(args)
}

fn covariance_type(args: &[KType]) -> Result<KType, String> {
    match args
        .iter()
        .take(2)
        .find(|t| !t.is_numeric() && **t != KType::Dynamic)
    {
        Some(t) => Err(format!("expects two numbers, got {t}")),
        None => Ok(KType::Real),
    }
}

fn bits_type(args: &[KType]) -> Result<KType, String> {
    match args.first() {
        Some(KType::Int | KType::Long | KType::Dynamic) | None => Ok(KType::Long),
        Some(t) => Err(format!("expects a long, got {t}")),
    }
}

fn percentile_type(args: &[KType]) -> Result<KType, String> {
    match args.first() {
        Some(t @ (KType::Int | KType::Long | KType::DateTime | KType::TimeSpan)) => Ok(*t),
        Some(KType::Real | KType::Decimal) => Ok(KType::Real),
        Some(t) => Err(format!("expects a number, datetime or timespan, got {t}")),
        None => Err("expects an argument".into()),
    }
}

macro_rules! agg {
    ($name:expr, [$($alias:expr),*], $arity:expr, $ret:expr, $col:expr, $pred:expr, $doc:expr, $ex:expr) => {
        AggregateFunction {
            name: $name,
            aliases: &[$($alias),*],
            arity: $arity,
            return_type: $ret,
            column_name: $col,
            has_predicate: $pred,
            doc: $doc,
            example: $ex,
        }
    };
}

static AGGREGATES: &[AggregateFunction] = &[
    agg!("count", [], Arity::range(0, 1), long, "count_{}", false,
        "Rows in the group. With an argument (ES|QL `count(field)`), rows where it is not null.",
        "summarize count() by cIP"),
    agg!("countif", [], Arity::exact(1), long, "countif_", true,
        "Rows in the group where the predicate is true.",
        "summarize countif(scStatus == \"404\") by cIP"),
    agg!("dcount", ["count_distinct"], Arity::range(1, 2), long, "dcount_{}", false,
        "Distinct non-null values. Exact here (Kusto estimates with HyperLogLog; results can differ by a few percent on large groups). The accuracy argument is accepted and ignored.",
        "summarize dcount(csUriStem) by cIP"),
    agg!("dcountif", [], Arity::range(2, 3), long, "dcountif_{}", true,
        "Distinct non-null values among rows where the predicate is true (exact).",
        "summarize dcountif(csUriStem, scStatus == \"404\") by cIP"),
    agg!("sum", [], Arity::exact(1), sum_type, "sum_{}", false,
        "Sum of non-null values; long for integers, real for reals.",
        "summarize sum(scBytes) by cIP"),
    agg!("sumif", [], Arity::exact(2), sum_type, "sumif_{}", true,
        "Sum over rows where the predicate is true.",
        "summarize sumif(scBytes, scStatus == \"200\")"),
    agg!("avg", [], Arity::exact(1), avg_type, "avg_{}", false,
        "Mean of non-null values (real).",
        "summarize avg(TimeTaken) by csUriStem"),
    agg!("avgif", [], Arity::exact(2), avg_type, "avgif_{}", true,
        "Mean over rows where the predicate is true.",
        "summarize avgif(TimeTaken, scStatus == \"500\")"),
    agg!("min", [], Arity::exact(1), same, "min_{}", false,
        "Smallest non-null value.", "summarize min(TimeGenerated) by cIP"),
    agg!("max", [], Arity::exact(1), same, "max_{}", false,
        "Largest non-null value.", "summarize max(TimeGenerated) by cIP"),
    agg!("minif", [], Arity::exact(2), same, "minif_{}", true,
        "Smallest value among rows where the predicate is true.",
        "summarize minif(TimeTaken, csMethod == \"POST\")"),
    agg!("maxif", [], Arity::exact(2), same, "maxif_{}", true,
        "Largest value among rows where the predicate is true.",
        "summarize maxif(TimeTaken, csMethod == \"POST\")"),
    agg!("make_set", ["makeset", "values"], Arity::range(1, 2), dynamic, "set_{}", false,
        "The distinct values as a dynamic array, in order of first appearance. Null and empty values are left out. The optional second argument caps the size (default 1,048,576), so one hot group cannot exhaust memory. ES|QL's `values()` is this function.",
        "summarize make_set(csUriStem, 100) by cIP"),
    agg!("make_set_if", ["makeset_if"], Arity::range(2, 3), dynamic, "set_{}", true,
        "make_set over rows where the predicate is true.",
        "summarize make_set_if(csUriStem, scStatus == \"404\") by cIP"),
    agg!("make_list", ["makelist"], Arity::range(1, 2), dynamic, "list_{}", false,
        "All values (with repeats) as a dynamic array, capped like make_set.",
        "summarize make_list(csUriStem, 10) by cIP"),
    agg!("make_list_if", ["makelist_if"], Arity::range(2, 3), dynamic, "list_{}", true,
        "make_list over rows where the predicate is true.",
        "summarize make_list_if(csUriStem, scStatus == \"404\") by cIP"),
    agg!("buildschema", [], Arity::exact(1), dynamic_arg, "schema_{}", false,
        "The type that admits every value of the group: a scalar's type name, a bag as `{key: type}`, an array as `{\"`indexer`\": type}`, several as an array of them (`[\"long\", \"string\"]`).",
        "summarize buildschema(parse_json(csCookie))"),
    agg!("make_list_with_nulls", [], Arity::exact(1), dynamic, "list_{}", false,
        "All values (with repeats) as a dynamic array, nulls kept as null, capped at 1,048,576.",
        "summarize make_list_with_nulls(csUsername) by cIP"),
    agg!("make_bag", ["make_dictionary"], Arity::range(1, 2), dynamic, "bag_{}", false,
        "One property bag of every key of the group's bags (the first value met where rows share a key), capped like make_set.",
        "summarize make_bag(bag_pack(csUriStem, scStatus)) by cIP"),
    agg!("make_bag_if", ["make_dictionary_if"], Arity::range(2, 3), dynamic, "bag_{}", true,
        "make_bag over rows where the predicate is true.",
        "summarize make_bag_if(parse_url(u), scStatus == \"200\") by cIP"),
    agg!("take_any", ["any", "any_value"], Arity::exact(1), same, "any_{}", false,
        "One value of the group (here: the first non-null one met).",
        "summarize take_any(csUserAgent) by cIP"),
    agg!("take_anyif", ["anyif"], Arity::exact(2), same, "take_anyif_{}", true,
        "One value of the group among rows where the predicate is true (here: the first non-null one met).",
        "summarize take_anyif(csUserAgent, scStatus == \"200\") by cIP"),
    agg!("arg_max", [], Arity::at_least(1), same, "max_{}", false,
        "The row where the first argument is largest: returns that value and the other listed columns (`*` for all).",
        "summarize arg_max(TimeGenerated, csUriStem, scStatus) by cIP"),
    agg!("arg_min", [], Arity::at_least(1), same, "min_{}", false,
        "The row where the first argument is smallest, like arg_max.",
        "summarize arg_min(TimeGenerated, *) by cIP"),
    agg!("percentile", [], Arity::exact(2), percentile_type, "percentile_{}", false,
        "The value at the given percentile (nearest rank; exact, where Kusto estimates).",
        "summarize percentile(TimeTaken, 95) by csUriStem"),
    agg!("percentiles", [], Arity::at_least(2), percentile_type, "percentile_{}", false,
        "Several percentiles: one column per percentile, `percentile_x_95`.",
        "summarize percentiles(TimeTaken, 50, 95, 99)"),
    agg!("median", [], Arity::exact(1), percentile_type, "median_{}", false,
        "The 50th percentile (ES|QL `median`).", "STATS median(event.duration)"),
    agg!("stdev", ["std_dev"], Arity::exact(1), real, "stdev_{}", false,
        "Sample standard deviation.", "summarize stdev(TimeTaken)"),
    agg!("variance", [], Arity::exact(1), real, "variance_{}", false,
        "Sample variance.", "summarize variance(TimeTaken)"),
    agg!("stdevif", [], Arity::exact(2), real, "stdevif_{}", true,
        "Sample standard deviation over rows where the predicate is true.", "summarize stdevif(TimeTaken, csMethod == \"GET\")"),
    agg!("varianceif", [], Arity::exact(2), real, "varianceif_{}", true,
        "Sample variance over rows where the predicate is true.", "summarize varianceif(TimeTaken, csMethod == \"GET\")"),
    agg!("stdevp", [], Arity::exact(1), real, "stdevp_{}", false,
        "Population standard deviation (divides by n).", "summarize stdevp(TimeTaken)"),
    agg!("variancep", [], Arity::exact(1), real, "variancep_{}", false,
        "Population variance (divides by n).", "summarize variancep(TimeTaken)"),
    agg!("stdevpif", [], Arity::exact(2), real, "stdevpif_{}", true,
        "Population standard deviation over rows where the predicate is true.", "summarize stdevpif(TimeTaken, csMethod == \"GET\")"),
    agg!("variancepif", [], Arity::exact(2), real, "variancepif_{}", true,
        "Population variance over rows where the predicate is true.", "summarize variancepif(TimeTaken, csMethod == \"GET\")"),
    agg!("percentiles_array", [], Arity::at_least(2), numeric_dynamic, "percentiles_{}", false,
        "Several percentiles (nearest rank, exact) as one dynamic array; the percentiles may also be one dynamic array.",
        "summarize percentiles_array(TimeTaken, 50, 95, 99)"),
    agg!("percentilew", [], Arity::exact(3), percentilew_type, "percentile_{}", false,
        "The weighted percentile: each value counts as many times as its (integer) weight (nearest rank, exact).",
        "summarize percentilew(LatencyBucket, ReqCount, 95)"),
    agg!("percentilesw", [], Arity::at_least(3), percentilew_type, "percentile_{}", false,
        "Several weighted percentiles: one column per percentile, `percentile_x_95`.",
        "summarize percentilesw(LatencyBucket, ReqCount, 50, 95)"),
    agg!("percentilesw_array", [], Arity::at_least(3), numeric_dynamic, "percentile_{}", false,
        "Several weighted percentiles as one dynamic array; the percentiles may also be one dynamic array.",
        "summarize percentilesw_array(LatencyBucket, ReqCount, dynamic([50, 95]))"),
    agg!("tdigest", [], Arity::range(1, 2), numeric_dynamic, "tdigest_{}", false,
        "A t-digest sketch of the values (with an optional weight each), to store and merge and read with percentile_tdigest, percentiles_array_tdigest or rank_tdigest. Exact up to 2,048 distinct values per group, compressed past that. The sketch is iishunt's own dynamic value, not Kusto's binary format.",
        "summarize tdigest(TimeTaken) by bin(TimeGenerated, 1h)"),
    agg!("tdigest_merge", ["merge_tdigest"], Arity::exact(1), sketch, "tdigest_merge_{}", false,
        "The union of the group's t-digests (values that are not digests are left out).",
        "summarize tdigest_merge(td)"),
    agg!("hll", [], Arity::range(1, 2), dynamic, "hll_{}", false,
        "A HyperLogLog sketch of the distinct values, to store and merge and count with dcount_hll. Accuracy 0–4 (default 1) picks 2^12, 2^14, 2^16, 2^17 or 2^18 registers (about 1.6%, 0.8%, 0.4%, 0.28%, 0.2% error); counts are exact up to a quarter of that many distinct values. The sketch is iishunt's own dynamic value, not Kusto's binary format.",
        "summarize hll(cIP) by bin(TimeGenerated, 1d)"),
    agg!("hll_if", [], Arity::range(2, 3), dynamic, "hll_if_{}", true,
        "hll over rows where the predicate is true.",
        "summarize hll_if(cIP, scStatus == \"404\")"),
    agg!("hll_merge", [], Arity::exact(1), sketch, "hll_merge_{}", false,
        "The union of the group's HyperLogLog sketches (at the lowest precision among them; values that are not sketches are left out).",
        "summarize hll_merge(h) | project dcount_hll(hll_merge_h)"),
    agg!("covariance", [], Arity::exact(2), covariance_type, "covariance_{}_{1}", false,
        "Sample covariance of two numeric expressions (divides by n - 1).",
        "summarize covariance(TimeTaken, scBytes)"),
    agg!("covarianceif", [], Arity::exact(3), covariance_type, "covarianceif_{}_{1}", true,
        "Sample covariance over rows where the predicate (third argument) is true.",
        "summarize covarianceif(TimeTaken, scBytes, csMethod == \"GET\")"),
    agg!("covariancep", [], Arity::exact(2), covariance_type, "covariancep_{}_{1}", false,
        "Population covariance (divides by n).",
        "summarize covariancep(TimeTaken, scBytes)"),
    agg!("covariancepif", [], Arity::exact(3), covariance_type, "covariancepif_{}_{1}", true,
        "Population covariance over rows where the predicate (third argument) is true.",
        "summarize covariancepif(TimeTaken, scBytes, csMethod == \"GET\")"),
    agg!("binary_all_and", [], Arity::exact(1), bits_type, "binary_all_and_{}", false,
        "Bitwise AND of the group's non-null longs.",
        "summarize binary_all_and(flags)"),
    agg!("binary_all_or", [], Arity::exact(1), bits_type, "binary_all_or_{}", false,
        "Bitwise OR of the group's non-null longs.",
        "summarize binary_all_or(flags)"),
    agg!("binary_all_xor", [], Arity::exact(1), bits_type, "binary_all_xor_{}", false,
        "Bitwise XOR of the group's non-null longs.",
        "summarize binary_all_xor(flags)"),
    // Internal: one output column of arg_max/arg_min (the value of column 2 where column 1 is extreme).
    agg!("__arg_max_of", [], Arity::exact(2), arg_of_type, "{}", false, "", ""),
    agg!("__arg_min_of", [], Arity::exact(2), arg_of_type, "{}", false, "", ""),
    // Internal: the size `make_set(x, cap)` would have, without keeping the set's
    // values in the result (used to find the groups passing `arraylength(set) >= N`).
    agg!("__set_size", [], Arity::range(1, 2), long, "{}", false, "", ""),
];

fn arg_of_type(args: &[KType]) -> Result<KType, String> {
    args.get(1)
        .copied()
        .ok_or_else(|| "expects two arguments".to_string())
}

pub fn aggregate_functions() -> &'static [AggregateFunction] {
    AGGREGATES
}

pub fn lookup_aggregate(name: &str) -> Option<&'static AggregateFunction> {
    aggregate_functions()
        .iter()
        .find(|f| f.name == name || f.aliases.contains(&name))
}
