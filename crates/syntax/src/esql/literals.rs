//! ES|QL literals → AST literals: strings with their escapes resolved, numbers
//! (a long when it fits, else a double, as ES|QL does), and time spans
//! (`1 hour`, `7 days`) in microseconds. Calendar spans (`1 month`, `1 year`)
//! have no fixed length, so they become a call to ES|QL's `to_dateperiod`.

use super::errors::{self, Result};
use super::parser::{next, span_of, Rule};
use crate::ast::{Call, Expr, ExprKind, Ident, Literal, Span};
use pest::iterators::Pair;

/// `"…"` or `"""…"""` → its text.
pub(crate) fn string(pair: Pair<'_, Rule>) -> Result<String> {
    let span = span_of(&pair);
    let inner = if pair.as_rule() == Rule::string {
        next(&mut pair.into_inner(), "literals::string", span)?
    } else {
        pair
    };
    let raw = inner.as_str();
    match inner.as_rule() {
        Rule::triple_string => {
            // """text""" with up to two extra closing quotes belonging to the text.
            let body = &raw[3..raw.len() - 3];
            Ok(body.to_string())
        }
        Rule::quoted_string => unescape(&raw[1..raw.len() - 1], span.start + 1),
        _ => Err(errors::internal("literals::string", span)),
    }
}

fn unescape(body: &str, offset: usize) -> Result<String> {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some((_, 't')) => out.push('\t'),
            Some((_, 'n')) => out.push('\n'),
            Some((_, 'r')) => out.push('\r'),
            Some((_, '"')) => out.push('"'),
            Some((_, '\\')) => out.push('\\'),
            other => {
                let len = other.map_or(1, |(_, c)| 1 + c.len_utf8());
                let shown = &body[i..(i + len).min(body.len())];
                return Err(errors::error(
                    "esql::bad_escape",
                    Span::new(offset + i, offset + i + len),
                    format!("`{shown}` is not an escape ES|QL knows"),
                    "unknown escape",
                    Some(
                        "ES|QL strings know \\\" \\\\ \\t \\n \\r; for a backslash write `\\\\`, or use a \"\"\"triple-quoted\"\"\" string where backslashes are literal"
                            .to_string(),
                    ),
                ));
            }
        }
    }
    Ok(out)
}

/// `number_literal`: a number, optionally followed by a time unit.
pub(crate) fn number_literal(pair: Pair<'_, Rule>) -> Result<Expr> {
    let span = span_of(&pair);
    let written = pair.as_str().trim_end().to_string();
    let mut inner = pair.into_inner();
    let number = next(&mut inner, "literals::number_literal", span)?;
    let value = number_value(number)?;
    let Some(unit) = inner.next() else {
        return Ok(Expr::new(ExprKind::Literal(value), span));
    };
    time_span(value, unit.as_str(), span, &written)
}

/// `number` → `Long` when it fits, else `Real`; an error when it is not finite.
pub(crate) fn number_value(pair: Pair<'_, Rule>) -> Result<Literal> {
    let span = span_of(&pair);
    let inner = if pair.as_rule() == Rule::number {
        next(&mut pair.into_inner(), "literals::number_value", span)?
    } else {
        pair
    };
    let text = inner.as_str();
    if matches!(inner.as_rule(), Rule::integer | Rule::span_count) {
        if let Ok(v) = text.parse::<i64>() {
            return Ok(Literal::Long(v));
        }
    }
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Literal::Real(v)),
        _ => Err(too_large(text, span)),
    }
}

fn too_large(text: &str, span: Span) -> crate::error::SyntaxError {
    let shown = if text.len() > 24 {
        format!("{}…", &text[..24])
    } else {
        text.to_string()
    };
    errors::error(
        "esql::number_too_large",
        span,
        format!("the number `{shown}` is too large"),
        "out of range",
        Some("numbers must fit a double (about 1.8e308)".to_string()),
    )
}

/// Microseconds per fixed unit; `None` for calendar units.
fn unit_micros(unit: &str) -> Option<i64> {
    Some(match unit.to_ascii_lowercase().as_str() {
        "ms" | "millisecond" | "milliseconds" => 1_000,
        "s" | "sec" | "second" | "seconds" => 1_000_000,
        "min" | "minute" | "minutes" => 60_000_000,
        "h" | "hour" | "hours" => 3_600_000_000,
        "d" | "day" | "days" => 86_400_000_000,
        "w" | "week" | "weeks" => 604_800_000_000,
        _ => return None,
    })
}

fn time_span(value: Literal, unit: &str, span: Span, written: &str) -> Result<Expr> {
    let count = match value {
        Literal::Long(v) => v,
        _ => {
            return Err(errors::error(
                "esql::bad_time_span",
                span,
                format!("a time span needs a whole number: `{written}`"),
                "whole numbers only",
                Some("write e.g. `90 minutes` instead of `1.5 hours`".to_string()),
            ))
        }
    };
    match unit_micros(unit) {
        Some(micros) => match count.checked_mul(micros) {
            Some(v) => Ok(Expr::new(ExprKind::Literal(Literal::TimeSpan(v)), span)),
            None => Err(errors::error(
                "esql::number_too_large",
                span,
                "this time span is too long".to_string(),
                "out of range",
                Some(
                    "time spans must fit in 64-bit microseconds (about 292,000 years)".to_string(),
                ),
            )),
        },
        None => {
            // `3 months` → to_dateperiod("3 months"), as ES|QL itself spells it.
            let text = format!("{count} {}", unit.to_ascii_lowercase());
            Ok(Expr::new(
                ExprKind::Call(Call {
                    name: Ident::new("to_dateperiod", span),
                    args: vec![Expr::new(ExprKind::Literal(Literal::String(text)), span)],
                    span,
                }),
                span,
            ))
        }
    }
}
