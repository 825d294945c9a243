//! `scan`, `partition`, `fork` and `facet`: the operators that run other
//! expressions over ordered rows, per key value or per result table. Called by `operators::tabular_operator`.

use pest::iterators::Pair;

use super::expr::expr;
use super::names::{name, type_name};
use super::operators::{op_param, tabular_operator};
use super::statements::tabular_expr;
use super::{internal, span_of, Cursor, Result, Rule};
use crate::ast::{
    ForkLeg, Operator, OperatorKind, Partition, PartitionBody, Scan, ScanColumn, ScanOutput,
    ScanStep,
};

/// `scan [with_match_id=Id] [declare (…)] with (step …; …)`.
pub(super) fn scan_op(pair: Pair<'_, Rule>) -> Result<OperatorKind> {
    let c = Cursor::new(pair, "sequence::scan_op");
    let mut scan = Scan {
        match_id: None,
        declare: Vec::new(),
        steps: Vec::new(),
    };
    for p in c {
        match p.as_rule() {
            Rule::name => scan.match_id = Some(name(p)?),
            Rule::scan_column => {
                let mut cc = Cursor::new(p, "sequence::scan_column");
                let column = name(cc.expect(Rule::name)?)?;
                let ty = type_name(cc.expect(Rule::type_name)?)?;
                let default = match cc.take_rule(Rule::expr) {
                    Some(e) => Some(expr(e)?),
                    None => None,
                };
                scan.declare.push(ScanColumn {
                    name: column,
                    ty,
                    default,
                });
            }
            Rule::scan_step => scan.steps.push(scan_step(p)?),
            Rule::kw_scan | Rule::kw_with_match_id | Rule::kw_declare | Rule::kw_with => {}
            _ => return Err(internal("sequence::scan_op", span_of(&p))),
        }
    }
    Ok(OperatorKind::Scan(scan))
}

/// `step Name [output=all|last|none]: Condition [=> Col = expr, …]`.
fn scan_step(pair: Pair<'_, Rule>) -> Result<ScanStep> {
    let span = span_of(&pair);
    let mut c = Cursor::new(pair, "sequence::scan_step");
    c.expect(Rule::kw_step)?;
    let step = name(c.expect(Rule::name)?)?;
    let mut output = None;
    let mut condition = None;
    let mut assignments = Vec::new();
    for p in c {
        match p.as_rule() {
            Rule::scan_output => {
                output = Some(match p.as_str() {
                    "last" => ScanOutput::Last,
                    "none" => ScanOutput::None,
                    _ => ScanOutput::All,
                })
            }
            Rule::expr => condition = Some(expr(p)?),
            Rule::scan_assign => {
                let mut ac = Cursor::new(p, "sequence::scan_assign");
                let column = name(ac.expect(Rule::name)?)?;
                let value = expr(ac.expect(Rule::expr)?)?;
                assignments.push((column, value));
            }
            Rule::kw_output => {}
            _ => return Err(internal("sequence::scan_step", span_of(&p))),
        }
    }
    let condition = condition.ok_or_else(|| internal("sequence::scan_step", span))?;
    Ok(ScanStep {
        name: step,
        output,
        condition,
        assignments,
        span,
    })
}

/// `partition [hints] by Col (operators)` / `… by Col { T | … }`.
pub(super) fn partition_op(pair: Pair<'_, Rule>) -> Result<OperatorKind> {
    let span = span_of(&pair);
    let c = Cursor::new(pair, "sequence::partition_op");
    let mut hints = Vec::new();
    let mut by = None;
    let mut body = None;
    for p in c {
        match p.as_rule() {
            Rule::hint_param => hints.push(op_param(p)?),
            Rule::name => by = Some(name(p)?),
            Rule::partition_body => {
                let mut ops = Vec::new();
                for op in p.into_inner() {
                    if op.as_rule() == Rule::tabular_operator {
                        ops.push(tabular_operator(op)?);
                    }
                }
                body = Some(PartitionBody::Operators(ops));
            }
            Rule::partition_source => {
                let inner = Cursor::new(p, "sequence::partition_source")
                    .find(|q| q.as_rule() == Rule::tabular_expr)
                    .ok_or_else(|| internal("sequence::partition_source", span))?;
                body = Some(PartitionBody::Source(Box::new(tabular_expr(inner)?)));
            }
            Rule::kw_partition | Rule::kw_by => {}
            _ => return Err(internal("sequence::partition_op", span_of(&p))),
        }
    }
    match (by, body) {
        (Some(by), Some(body)) => Ok(OperatorKind::Partition(Partition { hints, by, body })),
        _ => Err(internal("sequence::partition_op", span)),
    }
}

/// `( op | op … )`.
fn operator_list(pair: Pair<'_, Rule>) -> Result<Vec<Operator>> {
    pair.into_inner()
        .filter(|op| op.as_rule() == Rule::tabular_operator)
        .map(tabular_operator)
        .collect()
}

/// `fork [name=](operators) …`.
pub(super) fn fork_op(pair: Pair<'_, Rule>) -> Result<OperatorKind> {
    let mut legs = Vec::new();
    for p in Cursor::new(pair, "sequence::fork_op") {
        match p.as_rule() {
            Rule::kw_fork => {}
            Rule::fork_leg => {
                let mut leg = ForkLeg {
                    name: None,
                    operators: Vec::new(),
                };
                for q in p.into_inner() {
                    match q.as_rule() {
                        Rule::name => leg.name = Some(name(q)?),
                        Rule::operator_list => leg.operators = operator_list(q)?,
                        _ => return Err(internal("sequence::fork_leg", span_of(&q))),
                    }
                }
                legs.push(leg);
            }
            _ => return Err(internal("sequence::fork_op", span_of(&p))),
        }
    }
    Ok(OperatorKind::Fork(legs))
}

/// `facet by c1, c2 [with (operators)]`.
pub(super) fn facet_op(pair: Pair<'_, Rule>) -> Result<OperatorKind> {
    let mut columns = Vec::new();
    let mut with = None;
    for p in Cursor::new(pair, "sequence::facet_op") {
        match p.as_rule() {
            Rule::kw_facet | Rule::kw_by | Rule::kw_with => {}
            Rule::name => columns.push(name(p)?),
            Rule::operator_list => with = Some(operator_list(p)?),
            _ => return Err(internal("sequence::facet_op", span_of(&p))),
        }
    }
    Ok(OperatorKind::Facet { columns, with })
}
