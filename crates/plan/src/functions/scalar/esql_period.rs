//! ES|QL's time spans given as text: `TO_TIMEDURATION("3 hours")` is a fixed
//! length (a timespan); `TO_DATEPERIOD("3 months")`, and the `1 month` /
//! `1 year` literals the parser reads as it, is a calendar period kept as its
//! text, which `DATE_TRUNC` and date `+`/`-` (`esql_date_add_period`) read.

use super::sig::{check, P};
use super::unaliased as f;
use super::{ScalarFamily, ScalarFunction};
use crate::functions::Arity;
use crate::types::KType;

pub(super) const FAMILY: ScalarFamily = ScalarFamily {
    title: "ES|QL time spans",
    intro: "ES|QL time durations and calendar periods given as text (internally `esql_<name>`).",
    functions: FUNCTIONS,
};

fn duration_rt(a: &[KType]) -> Result<KType, String> {
    match a {
        [KType::TimeSpan] => Ok(KType::TimeSpan),
        [t] if t.is_stringy() => Ok(KType::TimeSpan),
        [t] => Err(format!(
            "to_timeduration takes text like \"3 hours\", got {t}"
        )),
        _ => Err("to_timeduration takes one value".into()),
    }
}

fn period_rt(a: &[KType]) -> Result<KType, String> {
    match a {
        [t] if t.is_stringy() => Ok(KType::String),
        [t] => Err(format!(
            "to_dateperiod takes text like \"3 months\", got {t}"
        )),
        _ => Err("to_dateperiod takes one value".into()),
    }
}

fn add_period_rt(a: &[KType]) -> Result<KType, String> {
    check("date + period", a, &[P::Date, P::Text, P::Int], None)?;
    Ok(KType::DateTime)
}

pub(super) const FUNCTIONS: &[ScalarFunction] = &[
    f("esql_to_timeduration", Arity::exact(1), duration_rt, "A fixed time span from text (`\"3 hours\"`, `\"90 seconds\"`); null when it does not read.", "TO_TIMEDURATION(\"3 hours\")"),
    f("esql_to_dateperiod", Arity::exact(1), period_rt, "A calendar period from text (`\"3 days\"`, `\"1 month\"`, `\"2 years\"`), added to dates by the calendar; null when it does not read.", "@timestamp - TO_DATEPERIOD(\"1 month\")"),
    f("__esql_date_add_period", Arity::exact(3), add_period_rt, "Internal: `date + period` (sign 1) or `date - period` (sign -1).", ""),
];
