//! `evaluate` plugins. `ipv4_lookup(LookupTable, SourceIPv4Key,
//! IPv4LookupKey [, ExtraKey…] [, return_unmatched])` joins each row to the
//! lookup rows whose network (`10.0.0.0/8`, or one address) holds its
//! address, and whose extra keys are equal: a watchlist of subnets, an asset
//! list by site. The output is the input's columns then the lookup's, as
//! `lookup` gives; only matching rows unless `return_unmatched` is true.
//! `ipv6_lookup(LookupTable, SourceIPv6Key, IPv6LookupKey [,
//! return_unmatched])` does the same for IPv6 networks (IPv4 text is its
//! IPv4-mapped address) and, as Kusto's documented output shows, puts the
//! lookup's columns first.

use iishunt_syntax::ast::{self, ExprKind};

use super::join::{column_index, common_key_type, key_type_error, lookup_columns, Keys};
use super::Binder;
use crate::error::{PlanError, Result};
use crate::logical::{IpFamily, JoinKind, JoinSide, LogicalPlan};
use crate::schema::Schema;
use crate::types::{KType, ScalarValue};

const USAGE_V4: &str =
    "ipv4_lookup(LookupTable, SourceIPv4Key, IPv4LookupKey [, ExtraKey, …] [, return_unmatched])";
const USAGE_V6: &str =
    "ipv6_lookup(LookupTable, SourceIPv6Key, IPv6LookupKey [, return_unmatched])";

impl<'a> Binder<'a> {
    pub(crate) fn bind_evaluate(
        &mut self,
        input: LogicalPlan,
        call: &ast::Call,
        span: ast::Span,
    ) -> Result<LogicalPlan> {
        match call.name.name.as_str() {
            "ipv4_lookup" => self.bind_ip_lookup(input, call, IpFamily::V4),
            "ipv6_lookup" => self.bind_ip_lookup(input, call, IpFamily::V6),
            "bag_unpack" => self.bind_bag_unpack(input, call, span),
            "narrow" => self.bind_narrow(input, call, span),
            "pivot" => self.bind_pivot(input, call, span),
            "schema_merge" => self.bind_schema_merge(input, call, span),
            "rows_near" => self.bind_rows_near(input, call, span),
            "dcount_intersect" => self.bind_dcount_intersect(input, call, span),
            "rolling_percentile" => self.bind_rolling_percentile(input, call, span),
            "sliding_window_counts" => self.bind_sliding_window_counts(input, call, span),
            "activity_counts_metrics" => self.bind_activity_counts_metrics(input, call, span),
            "active_users_count" => self.bind_active_users_count(input, call, span),
            "sequence_detect" => self.bind_sequence_detect(input, call, span),
            other => Err(PlanError::new(
                "plan::not_supported",
                span,
                format!("the `{other}` plugin is not supported"),
                "evaluate plugins are not available in iishunt",
            )
            .with_help("the plugins iishunt runs are ipv4_lookup, ipv6_lookup, bag_unpack, narrow, pivot, schema_merge, rows_near, rolling_percentile, dcount_intersect, sliding_window_counts, activity_counts_metrics, active_users_count and sequence_detect")),
        }
    }

    fn bind_ip_lookup(
        &mut self,
        left: LogicalPlan,
        call: &ast::Call,
        family: IpFamily,
    ) -> Result<LogicalPlan> {
        let (plugin, code, usage_text) = match family {
            IpFamily::V4 => ("ipv4_lookup", "plan::ipv4_lookup", USAGE_V4),
            IpFamily::V6 => ("ipv6_lookup", "plan::ipv6_lookup", USAGE_V6),
        };
        let usage = |at: ast::Span, message: &str| {
            PlanError::new(code, at, message.replace("ipv4_lookup", plugin), "here")
                .with_help(format!("write {usage_text}"))
        };
        let Some((table, rest)) = call.args.split_first() else {
            return Err(usage(
                call.span,
                "ipv4_lookup needs a lookup table and two key columns",
            ));
        };
        let right = self
            .tabular_operand(table, &Schema::default())?
            .ok_or_else(|| {
                usage(
                    table.span,
                    "the first argument of ipv4_lookup is the lookup table",
                )
            })?;
        // A trailing constant is return_unmatched; the rest are column names.
        let mut keys_args = rest;
        let mut unmatched = false;
        if let Some((last, init)) = rest.split_last() {
            if !matches!(last.kind, ExprKind::Name(_)) {
                // `return_unmatched = true` arrives as `return_unmatched == true`.
                let last = match &last.kind {
                    ExprKind::Binary {
                        op: ast::BinaryOp::Eq,
                        left,
                        right,
                    } if matches!(&left.kind, ExprKind::Name(n) if n.name == "return_unmatched") => {
                        right
                    }
                    _ => last,
                };
                let value = self.bind_expr(last, &Schema::default(), None)?;
                match self.try_fold(&value) {
                    Some(ScalarValue::Bool(b)) => unmatched = b,
                    _ => return Err(usage(last.span, "return_unmatched must be true or false")),
                }
                keys_args = init;
            }
        }
        let mut names = Vec::new();
        for e in keys_args {
            match &e.kind {
                ExprKind::Name(n) => names.push(n),
                _ => return Err(usage(e.span, "the keys of ipv4_lookup are column names")),
            }
        }
        let [source, network, extra @ ..] = names.as_slice() else {
            return Err(usage(
                call.span,
                "ipv4_lookup needs the address column and the network column",
            ));
        };
        if let (IpFamily::V6, Some(first)) = (family, extra.first()) {
            return Err(usage(
                first.span,
                "ipv6_lookup takes no extra keys: the address column, the network column and return_unmatched",
            ));
        }
        let mut keys = Keys {
            left: vec![column_index(
                left.schema(),
                &source.name,
                source.span,
                "the input",
            )?],
            right: vec![column_index(
                right.schema(),
                &network.name,
                network.span,
                "the lookup table",
            )?],
            types: vec![KType::String],
        };
        for name in extra {
            let l = column_index(left.schema(), &name.name, name.span, "the input")?;
            let r = column_index(right.schema(), &name.name, name.span, "the lookup table")?;
            let (lt, rt) = (left.schema().columns[l].ty, right.schema().columns[r].ty);
            let ty = common_key_type(lt, rt)
                .ok_or_else(|| key_type_error(name.span, &name.name, lt, &name.name, rt))?;
            keys.left.push(l);
            keys.right.push(r);
            keys.types.push(ty);
        }
        // The network column stays (it says which range matched); extra keys
        // appear once, from the input.
        let (mut output, mut columns) =
            lookup_columns(left.schema(), right.schema(), &keys.right[1..], false);
        if family == IpFamily::V6 {
            let (first, rest): (Vec<_>, Vec<_>) = output
                .into_iter()
                .zip(columns)
                .partition(|((side, _), _)| *side == JoinSide::Right);
            (output, columns) = first.into_iter().chain(rest).unzip();
        }
        let kind = if unmatched {
            JoinKind::LeftOuter
        } else {
            JoinKind::Inner
        };
        let mut plan = self.join_node(left, right, kind, keys, output, columns);
        if let LogicalPlan::Join(j) = &mut plan {
            j.ip_prefix = Some(family);
        }
        Ok(plan)
    }
}
