//! ES|QL expressions → AST expressions.
//!
//! The grammar leaves an `expression` flat (operands and operators in text
//! order); pest's Pratt parser gives it ES|QL's precedence, lowest first:
//! `OR` < `AND` < `NOT` < comparisons, `IN`, `LIKE`, `RLIKE`, `IS NULL` < `+ -`
//! < `* / %` < unary `- +` < `::` casts. Dotted and backticked names become one
//! `Name`; calls keep their lower-cased ES|QL name; `x::long` becomes
//! `to_long(x)`. Every lowering returns the tree depth too, so a query cannot
//! build a tree deeper than [`MAX_EXPR_DEPTH`] for later stages to recurse on.

use super::errors::{self, Result};
use super::literals;
use super::parser::{next, span_of, Rule};
use super::MAX_EXPR_DEPTH;
use crate::ast::{BinaryOp, Call, Expr, ExprKind, Ident, Literal, Span, StrOp, StrOpKind, UnaryOp};
use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};
use std::sync::OnceLock;

/// An expression and the depth of its tree.
type Lowered = (Expr, usize);

fn pratt() -> &'static PrattParser<Rule> {
    static PRATT: OnceLock<PrattParser<Rule>> = OnceLock::new();
    PRATT.get_or_init(|| {
        PrattParser::new()
            .op(Op::infix(Rule::op_or, Assoc::Left))
            .op(Op::infix(Rule::op_and, Assoc::Left))
            .op(Op::prefix(Rule::op_not))
            .op(Op::infix(Rule::op_eq, Assoc::Left)
                | Op::infix(Rule::op_neq, Assoc::Left)
                | Op::infix(Rule::op_eq_ci, Assoc::Left)
                | Op::infix(Rule::op_le, Assoc::Left)
                | Op::infix(Rule::op_ge, Assoc::Left)
                | Op::infix(Rule::op_lt, Assoc::Left)
                | Op::infix(Rule::op_gt, Assoc::Left)
                | Op::postfix(Rule::is_null)
                | Op::postfix(Rule::in_list)
                | Op::postfix(Rule::like)
                | Op::postfix(Rule::rlike))
            .op(Op::infix(Rule::op_add, Assoc::Left) | Op::infix(Rule::op_sub, Assoc::Left))
            .op(Op::infix(Rule::op_mul, Assoc::Left)
                | Op::infix(Rule::op_div, Assoc::Left)
                | Op::infix(Rule::op_mod, Assoc::Left))
            .op(Op::prefix(Rule::op_neg) | Op::prefix(Rule::op_pos))
            .op(Op::postfix(Rule::cast))
    })
}

/// `expression` → `Expr`.
pub(crate) fn expression(pair: Pair<'_, Rule>) -> Result<Expr> {
    lower_expression(pair).map(|(e, _)| e)
}

fn lower_expression(pair: Pair<'_, Rule>) -> Result<Lowered> {
    let span = span_of(&pair);
    match pair.as_rule() {
        Rule::expression | Rule::operand_expression => {}
        _ => return Err(errors::internal("expr::expression", span)),
    }
    let items = pair.into_inner();
    check_prefix_chains(items.clone())?;
    pratt()
        .map_primary(operand)
        .map_prefix(|op, rhs| prefix(op, rhs?))
        .map_postfix(|lhs, op| postfix(lhs?, op))
        .map_infix(|lhs, op, rhs| infix(lhs?, op, rhs?))
        .parse(items)
}

/// The Pratt parser recurses once per prefix operator: cap `NOT NOT NOT …`.
fn check_prefix_chains(items: Pairs<'_, Rule>) -> Result<()> {
    let mut run = 0;
    for p in items {
        if matches!(p.as_rule(), Rule::op_not | Rule::op_neg | Rule::op_pos) {
            run += 1;
            if run > MAX_EXPR_DEPTH {
                return Err(too_deep(span_of(&p)));
            }
        } else {
            run = 0;
        }
    }
    Ok(())
}

fn too_deep(span: Span) -> crate::error::SyntaxError {
    errors::error(
        "esql::too_deep",
        span,
        format!("this expression is nested more than {MAX_EXPR_DEPTH} levels deep"),
        "too deep",
        Some("split it into steps with EVAL".to_string()),
    )
}

fn deeper(child: usize, span: Span) -> Result<usize> {
    if child + 1 > MAX_EXPR_DEPTH {
        return Err(too_deep(span));
    }
    Ok(child + 1)
}

fn operand(pair: Pair<'_, Rule>) -> Result<Lowered> {
    let span = span_of(&pair);
    match pair.as_rule() {
        Rule::number_literal => Ok((literals::number_literal(pair)?, 1)),
        Rule::string => Ok((lit(Literal::String(literals::string(pair)?), span), 1)),
        Rule::boolean => {
            let v = pair.as_str().eq_ignore_ascii_case("true");
            Ok((lit(Literal::Bool(v), span), 1))
        }
        Rule::null_literal => Ok((lit(Literal::Null(None), span), 1)),
        Rule::parameter => Err(errors::error(
            "esql::unsupported",
            span,
            format!("query parameters (`{}`) are not supported", pair.as_str()),
            "parameter",
            Some("write the value itself in the query".to_string()),
        )),
        Rule::array => array(pair),
        Rule::map_literal => map_literal(pair),
        Rule::parenthesized => {
            let inner = next(&mut pair.into_inner(), "expr::operand", span)?;
            let (mut e, depth) = lower_expression(inner)?;
            // Keep the parentheses in the span so carets cover what was written.
            e.span = span;
            Ok((e, depth))
        }
        Rule::name_or_call => name_or_call(pair),
        _ => Err(errors::internal("expr::operand", span)),
    }
}

fn lit(l: Literal, span: Span) -> Expr {
    Expr::new(ExprKind::Literal(l), span)
}

/// `source.ip` or `count(*)` / `to_lower(x)`.
fn name_or_call(pair: Pair<'_, Rule>) -> Result<Lowered> {
    let span = span_of(&pair);
    let mut inner = pair.into_inner();
    let name_pair = next(&mut inner, "expr::name_or_call", span)?;
    let name = qualified_name(name_pair)?;
    let Some(args_pair) = inner.next() else {
        return Ok((Expr::new(ExprKind::Name(name), span), 1));
    };
    let mut args = Vec::new();
    let mut depth = 0;
    for a in args_pair.into_inner() {
        match a.as_rule() {
            Rule::star => args.push(Expr::new(ExprKind::Star, span_of(&a))),
            Rule::close_paren => {}
            _ => {
                let (e, d) = lower_expression(a)?;
                depth = depth.max(d);
                args.push(e);
            }
        }
    }
    let depth = deeper(depth, span)?;
    let name = Ident::new(name.name.to_ascii_lowercase(), name.span);
    Ok((
        Expr::new(ExprKind::Call(Call { name, args, span }), span),
        depth,
    ))
}

/// `[1, 2, 3]`: a constant multi-value, kept as a dynamic array.
/// `{"name": value, …}`: function options, as a dynamic object of constants.
fn map_literal(pair: Pair<'_, Rule>) -> Result<Lowered> {
    let span = span_of(&pair);
    let mut map = serde_json::Map::new();
    for entry in pair.into_inner().filter(|p| p.as_rule() == Rule::map_entry) {
        let entry_span = span_of(&entry);
        let mut inner = entry.into_inner();
        let (Some(key), Some(value)) = (inner.next(), inner.next()) else {
            return Err(errors::internal("expr::map_literal", entry_span));
        };
        let key = super::literals::string(key)?;
        let (e, _) = lower_expression(value)?;
        let v = match e.kind {
            ExprKind::Literal(Literal::Long(v)) => serde_json::Value::from(v),
            ExprKind::Literal(Literal::Real(v)) => serde_json::Value::from(v),
            ExprKind::Literal(Literal::Bool(v)) => serde_json::Value::from(v),
            ExprKind::Literal(Literal::String(v)) => serde_json::Value::from(v),
            _ => {
                return Err(errors::error(
                    "esql::bad_option",
                    entry_span,
                    "a function option's value must be a constant".to_string(),
                    "not a constant",
                    None,
                ))
            }
        };
        map.insert(key, v);
    }
    Ok((
        lit(Literal::Dynamic(serde_json::Value::Object(map)), span),
        1,
    ))
}

fn array(pair: Pair<'_, Rule>) -> Result<Lowered> {
    let span = span_of(&pair);
    let mut values = Vec::new();
    let mut single = None;
    for item in pair
        .into_inner()
        .filter(|p| p.as_rule() == Rule::expression)
    {
        let item_span = span_of(&item);
        let (e, _) = lower_expression(item)?;
        single = Some(e.kind.clone());
        let v = match e.kind {
            ExprKind::Literal(Literal::Long(v)) => serde_json::Value::from(v),
            ExprKind::Literal(Literal::Real(v)) => serde_json::Value::from(v),
            ExprKind::Literal(Literal::Bool(v)) => serde_json::Value::from(v),
            ExprKind::Literal(Literal::String(v)) => serde_json::Value::from(v),
            ExprKind::Literal(Literal::Null(_)) => serde_json::Value::Null,
            _ => {
                return Err(errors::error(
                    "esql::bad_array",
                    item_span,
                    "a multi-value literal `[…]` holds only constants".to_string(),
                    "not a constant",
                    Some("build multi-values from fields with MV_APPEND or VALUES()".to_string()),
                ))
            }
        };
        values.push(v);
    }
    // In ES|QL a one-value multi-value is that value: `[true]` is `true`.
    if let (1, Some(ExprKind::Literal(one))) = (values.len(), single) {
        return Ok((lit(one, span), 1));
    }
    Ok((
        lit(Literal::Dynamic(serde_json::Value::Array(values)), span),
        1,
    ))
}

/// `qualified_name` → one `Ident` with the full dotted text, backticks removed.
pub(crate) fn qualified_name(pair: Pair<'_, Rule>) -> Result<Ident> {
    let span = span_of(&pair);
    match pair.as_rule() {
        Rule::qualified_name | Rule::name_pattern => {}
        _ => return Err(errors::internal("expr::qualified_name", span)),
    }
    let mut name = String::new();
    for (i, part) in pair.into_inner().enumerate() {
        if i > 0 {
            name.push('.');
        }
        match part.as_rule() {
            Rule::quoted_name => {
                let raw = part.as_str();
                name.push_str(&raw[1..raw.len() - 1].replace("``", "`"));
            }
            _ => name.push_str(part.as_str()),
        }
    }
    Ok(Ident::new(name, span))
}

fn prefix(op: Pair<'_, Rule>, (rhs, depth): Lowered) -> Result<Lowered> {
    let op_span = span_of(&op);
    let span = op_span.to(rhs.span);
    // `-9223372036854775808` is the smallest long, though its digits alone
    // are beyond the long range (and read as a double).
    let written = op
        .get_input()
        .get(rhs.span.start..rhs.span.end)
        .unwrap_or("");
    if op.as_rule() == Rule::op_neg && written.trim() == "9223372036854775808" {
        return Ok((lit(Literal::Long(i64::MIN), span), depth));
    }
    let op = match op.as_rule() {
        Rule::op_not => UnaryOp::Not,
        Rule::op_neg => {
            // Fold `-5` into a literal so `-9223372036854775808` stays a long.
            // The smallest long has no negation (`- -9223372036854775808`,
            // found by fuzzing): it stays a negation, evaluated as ES|QL
            // evaluates an overflow.
            match rhs.kind {
                ExprKind::Literal(Literal::Long(v)) if v != i64::MIN => {
                    return Ok((lit(Literal::Long(-v), span), depth));
                }
                ExprKind::Literal(Literal::Real(v)) => {
                    return Ok((lit(Literal::Real(-v), span), depth));
                }
                ExprKind::Literal(Literal::TimeSpan(v)) if v != i64::MIN => {
                    return Ok((lit(Literal::TimeSpan(-v), span), depth));
                }
                _ => UnaryOp::Neg,
            }
        }
        // `+1` is the literal 1 (so `[+1, -2]` is a multi-value of constants).
        Rule::op_pos
            if matches!(
                rhs.kind,
                ExprKind::Literal(Literal::Long(_) | Literal::Real(_) | Literal::TimeSpan(_))
            ) =>
        {
            return Ok((Expr::new(rhs.kind, span), depth));
        }
        Rule::op_pos => UnaryOp::Plus,
        _ => return Err(errors::internal("expr::prefix", op_span)),
    };
    let depth = deeper(depth, span)?;
    Ok((
        Expr::new(
            ExprKind::Unary {
                op,
                expr: Box::new(rhs),
            },
            span,
        ),
        depth,
    ))
}

fn infix((lhs, ld): Lowered, op: Pair<'_, Rule>, (rhs, rd): Lowered) -> Result<Lowered> {
    let span = lhs.span.to(rhs.span);
    let op = match op.as_rule() {
        Rule::op_or => BinaryOp::Or,
        Rule::op_and => BinaryOp::And,
        Rule::op_eq => BinaryOp::Eq,
        Rule::op_neq => BinaryOp::NotEq,
        Rule::op_eq_ci => BinaryOp::EqCi,
        Rule::op_le => BinaryOp::Le,
        Rule::op_ge => BinaryOp::Ge,
        Rule::op_lt => BinaryOp::Lt,
        Rule::op_gt => BinaryOp::Gt,
        Rule::op_add => BinaryOp::Add,
        Rule::op_sub => BinaryOp::Sub,
        Rule::op_mul => BinaryOp::Mul,
        Rule::op_div => BinaryOp::Div,
        Rule::op_mod => BinaryOp::Mod,
        _ => return Err(errors::internal("expr::infix", span_of(&op))),
    };
    let depth = deeper(ld.max(rd), span)?;
    Ok((binary(op, lhs, rhs, span), depth))
}

fn binary(op: BinaryOp, left: Expr, right: Expr, span: Span) -> Expr {
    Expr::new(
        ExprKind::Binary {
            op,
            left: Box::new(left),
            right: Box::new(right),
        },
        span,
    )
}

fn postfix((lhs, depth): Lowered, op: Pair<'_, Rule>) -> Result<Lowered> {
    let op_span = span_of(&op);
    let span = lhs.span.to(op_span);
    let rule = op.as_rule();
    let mut parts = op.into_inner().peekable();
    let negated = parts.peek().is_some_and(|p| p.as_rule() == Rule::kw_not);
    if negated {
        parts.next();
    }
    match rule {
        Rule::cast => {
            let ty = parts
                .next()
                .ok_or_else(|| errors::internal("expr::postfix", op_span))?;
            let func = cast_function(ty.as_str(), span_of(&ty))?;
            let depth = deeper(depth, span)?;
            let call = Call {
                name: Ident::new(func, op_span),
                args: vec![lhs],
                span,
            };
            Ok((Expr::new(ExprKind::Call(call), span), depth))
        }
        Rule::is_null => {
            // IS [NOT] NULL: the NOT sits after IS.
            let negated = parts.any(|p| p.as_rule() == Rule::kw_not);
            let depth = deeper(depth, span)?;
            Ok((
                Expr::new(
                    ExprKind::IsNull {
                        expr: Box::new(lhs),
                        negated,
                    },
                    span,
                ),
                depth,
            ))
        }
        Rule::in_list => {
            let mut list = Vec::new();
            let mut d = depth;
            for p in parts {
                if p.as_rule() != Rule::expression {
                    continue;
                }
                let (e, ed) = lower_expression(p)?;
                d = d.max(ed);
                list.push(e);
            }
            let depth = deeper(d, span)?;
            let kind = ExprKind::In {
                expr: Box::new(lhs),
                list,
                negated,
                case_insensitive: false,
            };
            Ok((Expr::new(kind, span), depth))
        }
        Rule::like | Rule::rlike => {
            let kind = if rule == Rule::like {
                StrOpKind::Like
            } else {
                StrOpKind::RLike
            };
            let op = BinaryOp::Str(StrOp {
                kind,
                negated,
                case_sensitive: true,
            });
            let list = parts
                .find(|p| p.as_rule() == Rule::pattern_list)
                .ok_or_else(|| errors::internal("expr::postfix", op_span))?;
            let mut patterns = Vec::new();
            for s in list.into_inner().filter(|p| p.as_rule() == Rule::string) {
                let s_span = span_of(&s);
                patterns.push(lit(Literal::String(literals::string(s)?), s_span));
            }
            // `x LIKE ("a*", "b*")` matches any: an OR of LIKEs (AND of NOT LIKEs).
            let join = if negated { BinaryOp::And } else { BinaryOp::Or };
            let mut out: Option<Expr> = None;
            for p in patterns {
                let one = binary(op, lhs.clone(), p, span);
                out = Some(match out {
                    None => one,
                    Some(acc) => binary(join, acc, one, span),
                });
            }
            let e = out.ok_or_else(|| errors::internal("expr::postfix", op_span))?;
            Ok((e, deeper(depth + 1, span)?))
        }
        _ => Err(errors::internal("expr::postfix", op_span)),
    }
}

/// `::type` → the ES|QL conversion function it stands for.
fn cast_function(ty: &str, span: Span) -> Result<String> {
    let f = match ty.to_ascii_lowercase().as_str() {
        "bool" | "boolean" => "to_boolean",
        "int" | "integer" => "to_integer",
        "long" => "to_long",
        "unsigned_long" => "to_unsigned_long",
        "double" | "float" => "to_double",
        "string" | "keyword" | "text" => "to_string",
        "ip" => "to_ip",
        "datetime" | "date" => "to_datetime",
        "date_nanos" => "to_date_nanos",
        "version" => "to_version",
        "date_period" => "to_dateperiod",
        "time_duration" => "to_timeduration",
        "geo_point" => "to_geopoint",
        "geo_shape" => "to_geoshape",
        "cartesian_point" => "to_cartesianpoint",
        "cartesian_shape" => "to_cartesianshape",
        _ => {
            return Err(errors::error(
                "esql::unknown_type",
                span,
                format!("`{ty}` is not an ES|QL type"),
                "unknown type",
                Some(
                    "types: boolean, integer, long, double, keyword, ip, datetime, version…"
                        .to_string(),
                ),
            ))
        }
    };
    Ok(f.to_string())
}
