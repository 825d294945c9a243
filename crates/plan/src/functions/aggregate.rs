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
    /// argument's column name (or empty when it has none).
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
    agg!("count", [], Arity::range(0, 1), long, "count_", false,
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
    agg!("take_any", ["any", "any_value"], Arity::exact(1), same, "any_{}", false,
        "One value of the group (here: the first non-null one met).",
        "summarize take_any(csUserAgent) by cIP"),
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
