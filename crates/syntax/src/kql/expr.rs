//! Scalar expressions: the flat `prefix* primary postfix* (infix ...)*` run
//! from the grammar, folded with pest's [`PrattParser`] into [`Expr`] trees.
//!
//! Called by the statement and operator builders for every expression. Kusto
//! precedence, loosest first: `or`; `and`; comparisons, string operators,
//! `in`, `between`, `has_any`; `+ -`; `* / %`; unary `-`/`+`; indexing and
//! member access. A `-` written directly before a number folds into a negative
//! literal (`-1` is `Long(-1)`; `-(1)` stays a negation).

use std::sync::LazyLock;

use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};

use super::literals::{self, is_bare_number};
use super::names::name;
use super::{internal, span_of, Cursor, Result, Rule, MAX_EXPR_DEPTH};
use crate::ast::{
    BinaryOp, Call, Expr, ExprKind, JoinSide, Literal, NamedExpr, Span, StrOp, StrOpKind, UnaryOp,
};
use crate::error::SyntaxError;

static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    PrattParser::new()
        .op(Op::infix(Rule::op_or, Assoc::Left))
        .op(Op::infix(Rule::op_and, Assoc::Left))
        .op(Op::infix(Rule::op_compare, Assoc::Left)
            | Op::infix(Rule::op_string, Assoc::Left)
            | Op::postfix(Rule::in_op)
            | Op::postfix(Rule::between_op)
            | Op::postfix(Rule::has_any_op))
        .op(Op::infix(Rule::op_add, Assoc::Left))
        .op(Op::infix(Rule::op_mul, Assoc::Left))
        .op(Op::prefix(Rule::neg) | Op::prefix(Rule::pos))
        .op(Op::postfix(Rule::index_op) | Op::postfix(Rule::member_op))
});

/// An expression under construction: its depth (to refuse pathological
/// inputs) and whether it is a bare number a prefix `-` may fold into.
struct Built {
    expr: Expr,
    depth: usize,
    bare_number: bool,
}

impl Built {
    fn new(expr: Expr, depth: usize) -> Result<Built> {
        if depth > MAX_EXPR_DEPTH {
            return Err(SyntaxError {
                code: "kql::too_deep",
                message: format!(
                    "this expression is nested more than {MAX_EXPR_DEPTH} levels deep"
                ),
                span: expr.span,
                label: "too deeply nested".to_string(),
                help: Some(
                    "split it with `let` statements, or use `in (...)` instead of long `or` chains"
                        .to_string(),
                ),
            });
        }
        Ok(Built {
            expr,
            depth,
            bare_number: false,
        })
    }
}

/// `expr` → [`Expr`].
pub(super) fn expr(pair: Pair<'_, Rule>) -> Result<Expr> {
    Ok(sub(pair)?.expr)
}

/// `expr` → a [`Built`], keeping its depth for the enclosing expression.
fn sub(pair: Pair<'_, Rule>) -> Result<Built> {
    if pair.as_rule() != Rule::expr {
        return Err(internal("expr::sub", span_of(&pair)));
    }
    fold(pair.into_inner())
}

/// Several `expr`s and the depth of the deepest.
fn subs<'i>(pairs: impl Iterator<Item = Pair<'i, Rule>>) -> Result<(Vec<Expr>, usize)> {
    let mut depth = 0;
    let mut out = Vec::new();
    for p in pairs {
        let b = sub(p)?;
        depth = depth.max(b.depth);
        out.push(b.expr);
    }
    Ok((out, depth))
}

fn fold(pairs: Pairs<'_, Rule>) -> Result<Built> {
    PRATT
        .map_primary(primary)
        .map_prefix(prefix)
        .map_postfix(postfix)
        .map_infix(infix)
        .parse(pairs)
}

/// A primary: literal, name, call, `(expr)`, `$left`, `*`.
fn primary(pair: Pair<'_, Rule>) -> Result<Built> {
    let span = span_of(&pair);
    let rule = pair.as_rule();
    match rule {
        Rule::paren_expr => {
            let inner = pair
                .into_inner()
                .next()
                .ok_or_else(|| internal("expr::primary", span))?;
            if inner.as_rule() == Rule::subquery {
                return Built::new(subquery(inner)?, 1);
            }
            let built = sub(inner)?;
            Built::new(Expr::new(built.expr.kind, span), built.depth)
        }
        Rule::join_side => {
            let side = if pair.as_str() == "$left" {
                JoinSide::Left
            } else {
                JoinSide::Right
            };
            Built::new(Expr::new(ExprKind::JoinSide(side), span), 1)
        }
        Rule::call => {
            let (call, depth) = call_with_depth(pair)?;
            literal_call(&call)?;
            if call.name.name == "not" && call.args.len() == 1 {
                let mut args = call.args;
                let arg = args.pop().ok_or_else(|| internal("expr::primary", span))?;
                return Built::new(
                    Expr::new(
                        ExprKind::Unary {
                            op: UnaryOp::Not,
                            expr: Box::new(arg),
                        },
                        span,
                    ),
                    depth,
                );
            }
            Built::new(Expr::new(ExprKind::Call(call), span), depth)
        }
        Rule::star => Built::new(Expr::new(ExprKind::Star, span), 1),
        Rule::name => Built::new(Expr::new(ExprKind::Name(name(pair)?), span), 1),
        _ => {
            let lit = literals::literal(pair)?;
            let mut b = Built::new(Expr::new(ExprKind::Literal(lit), span), 1)?;
            b.bare_number = is_bare_number(rule);
            Ok(b)
        }
    }
}

/// `datetime(...)`, `timespan(...)`, `time(...)` and `guid(...)` are literals:
/// their text must fit on one line. Reaching here as a call means it didn't.
fn literal_call(call: &Call) -> Result<()> {
    let name = call.name.name.as_str();
    let example = match name {
        "datetime" => "datetime(2026-03-08 16:05:12)",
        "timespan" | "time" => "timespan(1:00:00)",
        "guid" => "guid(74be27de-1e4e-49d9-b579-fe0b331d3642)",
        _ => return Ok(()),
    };
    let convert = match name {
        "datetime" => "todatetime(x)",
        "guid" => "toguid(x)",
        _ => "totimespan(x)",
    };
    Err(SyntaxError {
        code: "kql::bad_literal",
        message: format!("`{name}(...)` is a literal and takes its value as written, on one line"),
        span: call.span,
        label: "not a literal value".to_string(),
        help: Some(format!(
            "write it like `{example}`; to convert a value use `{convert}`"
        )),
    })
}

/// `-x`, `+x`; `-` before a bare number makes a negative literal.
fn prefix(op: Pair<'_, Rule>, rhs: Result<Built>) -> Result<Built> {
    let rhs = rhs?;
    let span = span_of(&op).to(rhs.expr.span);
    let neg = op.as_rule() == Rule::neg;
    if neg && rhs.bare_number {
        if let ExprKind::Literal(lit) = &rhs.expr.kind {
            let folded = match lit {
                Literal::Long(v) => Some(Literal::Long(v.wrapping_neg())),
                Literal::Real(v) => Some(Literal::Real(-v)),
                Literal::TimeSpan(v) => Some(Literal::TimeSpan(-v)),
                _ => None,
            };
            if let Some(l) = folded {
                return Built::new(Expr::new(ExprKind::Literal(l), span), rhs.depth);
            }
        }
    }
    let op = if neg { UnaryOp::Neg } else { UnaryOp::Plus };
    Built::new(
        Expr::new(
            ExprKind::Unary {
                op,
                expr: Box::new(rhs.expr),
            },
            span,
        ),
        rhs.depth + 1,
    )
}

/// `x in (...)`, `x between (a .. b)`, `x has_any (...)`, `x[0]`, `x.key`.
fn postfix(lhs: Result<Built>, op: Pair<'_, Rule>) -> Result<Built> {
    let lhs = lhs?;
    let span = lhs.expr.span.to(span_of(&op));
    let inner = Box::new(lhs.expr);
    let mut c = Cursor::new(op.clone(), "expr::postfix");
    let mut depth = lhs.depth;
    let kind = match op.as_rule() {
        Rule::in_op => {
            let word = c.expect(Rule::in_word)?.as_str();
            let (list, d) = match (c.take_rule(Rule::subquery), c.take_rule(Rule::expr_list)) {
                (Some(q), _) => (vec![subquery(q)?], 1),
                (None, Some(l)) => subs(l.into_inner())?,
                (None, None) => (Vec::new(), 0),
            };
            depth = depth.max(d);
            ExprKind::In {
                expr: inner,
                list,
                negated: word.starts_with('!'),
                case_insensitive: word.ends_with('~'),
            }
        }
        Rule::between_op => {
            let word = c.expect(Rule::between_word)?.as_str();
            let low = sub(c.expect(Rule::expr)?)?;
            let high = sub(c.expect(Rule::expr)?)?;
            depth = depth.max(low.depth).max(high.depth);
            ExprKind::Between {
                expr: inner,
                low: Box::new(low.expr),
                high: Box::new(high.expr),
                negated: word.starts_with('!'),
            }
        }
        Rule::has_any_op => {
            let word = c.expect(Rule::has_any_word)?.as_str();
            let (list, d) = match c.take_rule(Rule::expr_list) {
                Some(l) => subs(l.into_inner())?,
                None => (Vec::new(), 0),
            };
            depth = depth.max(d);
            ExprKind::HasAny {
                expr: inner,
                list,
                all: word == "has_all",
            }
        }
        Rule::index_op => {
            let index = sub(c.expect(Rule::expr)?)?;
            depth = depth.max(index.depth);
            ExprKind::Index {
                expr: inner,
                index: Box::new(index.expr),
            }
        }
        Rule::member_op => ExprKind::Member {
            expr: inner,
            name: name(c.expect(Rule::name)?)?,
        },
        _ => return Err(c.bug()),
    };
    Built::new(Expr::new(kind, span), depth + 1)
}

/// `a op b` for every binary operator.
fn infix(lhs: Result<Built>, op: Pair<'_, Rule>, rhs: Result<Built>) -> Result<Built> {
    let (lhs, rhs) = (lhs?, rhs?);
    let span = lhs.expr.span.to(rhs.expr.span);
    let op = binary_op(&op)?;
    let depth = lhs.depth.max(rhs.depth) + 1;
    Built::new(
        Expr::new(
            ExprKind::Binary {
                op,
                left: Box::new(lhs.expr),
                right: Box::new(rhs.expr),
            },
            span,
        ),
        depth,
    )
}

/// The operator token → [`BinaryOp`].
fn binary_op(op: &Pair<'_, Rule>) -> Result<BinaryOp> {
    let text = op.as_str();
    let bug = || internal("expr::binary_op", span_of(op));
    Ok(match op.as_rule() {
        Rule::op_or => BinaryOp::Or,
        Rule::op_and => BinaryOp::And,
        Rule::op_add => {
            if text == "+" {
                BinaryOp::Add
            } else {
                BinaryOp::Sub
            }
        }
        Rule::op_mul => match text {
            "*" => BinaryOp::Mul,
            "/" => BinaryOp::Div,
            _ => BinaryOp::Mod,
        },
        Rule::op_compare => match text {
            "==" => BinaryOp::Eq,
            "!=" | "<>" => BinaryOp::NotEq,
            "<" => BinaryOp::Lt,
            "<=" => BinaryOp::Le,
            ">" => BinaryOp::Gt,
            ">=" => BinaryOp::Ge,
            "=~" => BinaryOp::EqCi,
            "!~" => BinaryOp::NotEqCi,
            _ => return Err(bug()),
        },
        Rule::op_string => BinaryOp::Str(str_op(text).ok_or_else(bug)?),
        _ => return Err(bug()),
    })
}

/// `!has_cs` → `StrOp { Has, negated, case_sensitive }`; `matches regex`.
pub(super) fn str_op(text: &str) -> Option<StrOp> {
    if text.starts_with("matches") {
        return Some(StrOp {
            kind: StrOpKind::MatchesRegex,
            negated: false,
            case_sensitive: true,
        });
    }
    let (negated, rest) = match text.strip_prefix('!') {
        Some(r) => (true, r),
        None => (false, text),
    };
    let (case_sensitive, base) = match rest.strip_suffix("_cs") {
        Some(b) => (true, b),
        None => (false, rest),
    };
    let kind = match base {
        "has" => StrOpKind::Has,
        "contains" => StrOpKind::Contains,
        "startswith" => StrOpKind::StartsWith,
        "endswith" => StrOpKind::EndsWith,
        "hasprefix" => StrOpKind::HasPrefix,
        "hassuffix" => StrOpKind::HasSuffix,
        _ => return None,
    };
    Some(StrOp {
        kind,
        negated,
        case_sensitive,
    })
}

/// `f(a, b)`; `*` arguments become [`ExprKind::Star`].
pub(super) fn call(pair: Pair<'_, Rule>) -> Result<Call> {
    Ok(call_with_depth(pair)?.0)
}

/// `T | ...` inside parentheses, as a value.
pub(super) fn subquery(pair: Pair<'_, Rule>) -> Result<Expr> {
    let span = span_of(&pair);
    let inner = pair
        .into_inner()
        .next()
        .ok_or_else(|| internal("expr::subquery", span))?;
    let tabular = super::statements::tabular_expr(inner)?;
    Ok(Expr::new(ExprKind::Subquery(Box::new(tabular)), span))
}

fn call_with_depth(pair: Pair<'_, Rule>) -> Result<(Call, usize)> {
    let span = span_of(&pair);
    let mut c = Cursor::new(pair, "expr::call");
    let fname = name(c.expect(Rule::call_name)?)?;
    let mut args = Vec::new();
    let mut depth = 0;
    for arg in c {
        match arg.as_rule() {
            Rule::star => args.push(Expr::new(ExprKind::Star, span_of(&arg))),
            Rule::subquery => args.push(subquery(arg)?),
            Rule::expr => {
                let b = sub(arg)?;
                depth = depth.max(b.depth);
                args.push(b.expr);
            }
            _ => return Err(internal("expr::call", span_of(&arg))),
        }
    }
    Ok((
        Call {
            name: fname,
            args,
            span,
        },
        depth + 1,
    ))
}

/// `named_expr`: `a = expr`, `(a, b) = expr` or a bare `expr`.
pub(super) fn named_expr(pair: Pair<'_, Rule>) -> Result<NamedExpr> {
    let span = span_of(&pair);
    let mut c = Cursor::new(pair, "expr::named_expr");
    let names = match c.take_rule(Rule::names) {
        Some(n) => n.into_inner().map(name).collect::<Result<Vec<_>>>()?,
        None => Vec::new(),
    };
    let e = expr(c.expect(Rule::expr)?)?;
    Ok(NamedExpr {
        names,
        expr: e,
        span,
    })
}

/// `named_expr_list` → its items.
pub(super) fn named_expr_list(pair: Pair<'_, Rule>) -> Result<Vec<NamedExpr>> {
    pair.into_inner().map(named_expr).collect()
}

/// `*` where an operator accepts it in place of a list (`distinct *`).
pub(super) fn star(span: Span) -> Expr {
    Expr::new(ExprKind::Star, span)
}
