//! The activity `evaluate` plugins, written in other operators (rewrite.rs):
//! who was active, when — "how many distinct clients hit the login page in
//! the past week, each day?".
//!
//! - `sliding_window_counts(Id, Time, Start, End, Lookback, Bin [, dims…])`:
//!   for each bin from Start to End (inclusive), the rows and the distinct
//!   Ids of the bins in the Lookback window ending with it (`Count`,
//!   `dcount`);
//! - `activity_counts_metrics(Id, Time, Start, End, Window [, dims…])`: for
//!   each window from Start to End (inclusive), the rows (`count`), the distinct Ids
//!   (`dcount`), those not seen in an earlier window (`new_dcount`) and the
//!   distinct Ids so far (`aggregated_dcount`);
//! - `active_users_count(Id, Time, Start, End, Lookback, Period, ActivePeriods,
//!   Bin [, dims…])`: for each bin, the distinct Ids that, at some appearance
//!   in it, had been seen in at least ActivePeriods distinct periods of the
//!   Lookback window ending there (the window's start excluded) — "clients
//!   seen on three of the last eight days", counted per week.
//!
//! Bins and windows start at Start (`bin_at`); a bin without rows has no row.

use iishunt_syntax::ast::{self, ExprKind};
use iishunt_syntax::print::{expr_to_kql, ident};

use super::Binder;
use crate::error::{PlanError, Result};
use crate::logical::LogicalPlan;
use crate::types::ScalarValue;

const INPUT: &str = "__activity_input";
/// The most bins one lookback window spans.
const MAX_LOOKBACK_BINS: i64 = 10_000;

/// The arguments both plugins share.
struct Activity {
    id: String,
    time: String,
    start: String,
    end: String,
    dims: Vec<String>,
}

impl<'a> Binder<'a> {
    /// `evaluate sliding_window_counts(Id, Time, Start, End, Lookback, Bin [, dims…])`.
    pub(crate) fn bind_sliding_window_counts(
        &mut self,
        input: LogicalPlan,
        call: &ast::Call,
        span: ast::Span,
    ) -> Result<LogicalPlan> {
        let code = "plan::sliding_window_counts";
        let usage = "sliding_window_counts(IdColumn, TimelineColumn, Start, End, LookbackWindow, Bin [, dim1, …])";
        let [id, time, start, end, lookback, bin, dims @ ..] = call.args.as_slice() else {
            return Err(usage_error(
                code,
                call.span,
                "sliding_window_counts needs six arguments",
                usage,
            ));
        };
        let a = activity_args(&input, [id, time, start, end], dims, code, usage)?;
        let lookback_us = self.timespan_arg(lookback, code, "the lookback window")?;
        let bin_us = self.timespan_arg(bin, code, "the bin")?;
        // The window of a bin is that bin and the ones before it, Lookback in all.
        let bins = steps_in(lookback_us, bin_us, "bins", lookback, code, usage)?;
        let bin = expr_to_kql(bin);
        let (t, id) = (ident(&a.time), ident(&a.id));
        let by = by_list(&a.dims);
        let sort = a.sort_prefix();
        let text = format!(
            "{INPUT}
| extend __bin = bin_at({t}, {bin}, {start})
| mv-expand __k = range(0, {last}) to typeof(long)
| extend {t} = __bin + __k * ({bin})
| where {t} >= {start} and {t} <= {end}
| summarize Count = count(), dcount = dcount({id}) by {t}{by}
| sort by {sort}{t} asc",
            start = a.start,
            end = a.end,
            last = bins - 1,
        );
        self.bind_rewritten(input, INPUT, &text, "sliding_window_counts", span)
    }

    /// `evaluate activity_counts_metrics(Id, Time, Start, End, Window [, dims…])`.
    pub(crate) fn bind_activity_counts_metrics(
        &mut self,
        input: LogicalPlan,
        call: &ast::Call,
        span: ast::Span,
    ) -> Result<LogicalPlan> {
        let code = "plan::activity_counts_metrics";
        let usage =
            "activity_counts_metrics(IdColumn, TimelineColumn, Start, End, Window [, dim1, …])";
        let [id, time, start, end, window, dims @ ..] = call.args.as_slice() else {
            return Err(usage_error(
                code,
                call.span,
                "activity_counts_metrics needs five arguments",
                usage,
            ));
        };
        let a = activity_args(&input, [id, time, start, end], dims, code, usage)?;
        self.timespan_arg(window, code, "the window")?;
        let window = expr_to_kql(window);
        let (t, id) = (ident(&a.time), ident(&a.id));
        let by = by_list(&a.dims);
        let on: String = a.dims.iter().map(|d| format!(", {}", ident(d))).collect();
        let sort = a.sort_prefix();
        // A new group of dims starts the running distinct count again.
        let restart = if a.dims.is_empty() {
            String::new()
        } else {
            let changed: Vec<String> = a
                .dims
                .iter()
                .map(|d| format!("{0} != prev({0})", ident(d)))
                .collect();
            format!(", {}", changed.join(" or "))
        };
        let dims_out = a.dims_prefix();
        let text = format!(
            "let __rows = {INPUT}
| where {t} >= {start}
| extend __w = bin_at({t}, {window}, {start})
| where __w <= {end};
let __new = __rows
| summarize __w = min(__w) by {id}{by}
| summarize new_dcount = count() by __w{by};
__rows
| summarize ['count'] = count(), dcount = dcount({id}) by __w{by}
| join kind=leftouter __new on __w{on}
| extend new_dcount = coalesce(new_dcount, 0)
| sort by {sort}__w asc
| extend aggregated_dcount = row_cumsum(new_dcount{restart})
| project {t} = __w, {dims_out}['count'], dcount, new_dcount, aggregated_dcount",
            start = a.start,
            end = a.end,
        );
        self.bind_rewritten(input, INPUT, &text, "activity_counts_metrics", span)
    }

    /// `evaluate active_users_count(Id, Time, Start, End, Lookback, Period,
    /// ActivePeriods, Bin [, dims…])`. Each distinct (Id, period) counts
    /// towards the periods within Lookback after it; an appearance is active
    /// when its own period gathers ActivePeriods of them.
    pub(crate) fn bind_active_users_count(
        &mut self,
        input: LogicalPlan,
        call: &ast::Call,
        span: ast::Span,
    ) -> Result<LogicalPlan> {
        let code = "plan::active_users_count";
        let usage = "active_users_count(IdColumn, TimelineColumn, Start, End, LookbackWindow, Period, ActivePeriodsCount, Bin [, dim1, …])";
        let [id, time, start, end, lookback, period, active, bin, dims @ ..] = call.args.as_slice()
        else {
            return Err(usage_error(
                code,
                call.span,
                "active_users_count needs eight arguments",
                usage,
            ));
        };
        let a = activity_args(&input, [id, time, start, end], dims, code, usage)?;
        let lookback_us = self.timespan_arg(lookback, code, "the lookback window")?;
        let period_us = self.timespan_arg(period, code, "the period")?;
        self.timespan_arg(bin, code, "the bin")?;
        let active = match self.constant_arg(active, code, "the active periods count")? {
            ScalarValue::Long(n) if n > 0 => n,
            ScalarValue::Int(n) if n > 0 => i64::from(n),
            _ => {
                return Err(usage_error(
                    code,
                    active.span,
                    "the active periods count must be a positive whole number",
                    usage,
                ))
            }
        };
        // The periods one appearance counts towards: its own and those after
        // it that are less than Lookback later.
        let reach = steps_in(lookback_us, period_us, "periods", lookback, code, usage)?;
        let (period, bin) = (expr_to_kql(period), expr_to_kql(bin));
        let (t, id) = (ident(&a.time), ident(&a.id));
        let by = by_list(&a.dims);
        let sort = a.sort_prefix();
        let dims_out = a.dims_prefix();
        let text = format!(
            "{INPUT}
| where {t} <= {end}
| summarize by {id}, __q = bin_at({t}, {period}, {start}){by}
| mv-expand __k = range(0, {last}) to typeof(long)
| extend __p = __q + __k * ({period})
| where __p >= {start} and __p <= {end}
| summarize __n = count(), __own = countif(__k == 0) by {id}, __p{by}
| where __own > 0 and __n >= {active}
| summarize dcount = dcount({id}) by __bin = bin_at(__p, {bin}, {start}){by}
| sort by {sort}__bin asc
| project {t} = __bin, {dims_out}dcount",
            start = a.start,
            end = a.end,
            last = reach - 1,
        );
        self.bind_rewritten(input, INPUT, &text, "active_users_count", span)
    }

    /// A positive timespan constant, in microseconds.
    pub(super) fn timespan_arg(
        &mut self,
        e: &ast::Expr,
        code: &'static str,
        what: &str,
    ) -> Result<i64> {
        match self.constant_arg(e, code, what)? {
            ScalarValue::TimeSpan(us) if us > 0 => Ok(us),
            _ => Err(PlanError::new(
                code,
                e.span,
                format!("{what} must be a positive timespan such as 1d"),
                "not a positive timespan",
            )),
        }
    }
}

/// The id and time columns, the start and end as KQL text, the dims.
fn activity_args(
    input: &LogicalPlan,
    [id, time, start, end]: [&ast::Expr; 4],
    dims: &[ast::Expr],
    code: &'static str,
    usage: &str,
) -> Result<Activity> {
    let column = |e: &ast::Expr, what: &str| -> Result<String> {
        match &e.kind {
            ExprKind::Name(n) if input.schema().index_of(&n.name).is_some() => Ok(n.name.clone()),
            _ => Err(usage_error(
                code,
                e.span,
                &format!("{what} must be a column of the input"),
                usage,
            )),
        }
    };
    Ok(Activity {
        id: column(id, "the id column")?,
        time: column(time, "the timeline column")?,
        start: format!("({})", expr_to_kql(start)),
        end: format!("({})", expr_to_kql(end)),
        dims: dims
            .iter()
            .map(|d| column(d, "a dimension"))
            .collect::<Result<_>>()?,
    })
}

impl Activity {
    /// `d1 asc, d2 asc, ` for a `sort by` that goes on with the time.
    fn sort_prefix(&self) -> String {
        self.dims
            .iter()
            .map(|d| format!("{} asc, ", ident(d)))
            .collect()
    }

    /// `d1, d2, ` for a `project` that goes on with the counts.
    fn dims_prefix(&self) -> String {
        self.dims
            .iter()
            .map(|d| format!("{}, ", ident(d)))
            .collect()
    }
}

/// How many `step_us` steps the lookback window spans (rounded up), at most
/// [`MAX_LOOKBACK_BINS`]: each is a row per input row in the rewrite.
fn steps_in(
    lookback_us: i64,
    step_us: i64,
    unit: &str,
    lookback: &ast::Expr,
    code: &'static str,
    usage: &str,
) -> Result<i64> {
    let steps = (lookback_us + step_us - 1) / step_us;
    if steps > MAX_LOOKBACK_BINS {
        return Err(usage_error(
            code,
            lookback.span,
            &format!("the lookback window spans more than {MAX_LOOKBACK_BINS} {unit}"),
            usage,
        ));
    }
    Ok(steps)
}

fn by_list(dims: &[String]) -> String {
    dims.iter().map(|d| format!(", {}", ident(d))).collect()
}

fn usage_error(code: &'static str, at: ast::Span, message: &str, usage: &str) -> PlanError {
    PlanError::new(code, at, message.to_string(), "here").with_help(format!("write {usage}"))
}
