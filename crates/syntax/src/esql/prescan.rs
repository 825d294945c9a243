//! A cheap lexical pass before pest: finds unterminated strings, quoted names
//! and block comments (so the error points at where they open, not at the end
//! of the query), and nesting deeper than [`MAX_NESTING`] (so a megabyte of `(`
//! is refused before the recursive-descent parser can exhaust the stack).
//!
//! Runs on bytes and knows only ES|QL's quoting rules; everything else is left
//! to the grammar.

use super::MAX_NESTING;
use crate::ast::Span;
use crate::error::SyntaxError;

pub(crate) fn prescan(text: &str) -> Result<(), SyntaxError> {
    let b = text.as_bytes();
    let mut i = 0;
    let mut open: Vec<usize> = Vec::new();
    while i < b.len() {
        match b[i] {
            b'"' if b[i..].starts_with(b"\"\"\"") => {
                let start = i;
                match find(b, i + 3, b"\"\"\"") {
                    Some(end) => i = end + 3,
                    None => {
                        return Err(unterminated(text, start, "triple-quoted string", "\"\"\""))
                    }
                }
            }
            b'"' => {
                let start = i;
                i += 1;
                loop {
                    match b.get(i) {
                        None | Some(b'\n') | Some(b'\r') => {
                            return Err(unterminated(text, start, "string", "\""));
                        }
                        Some(b'\\') => i += 2,
                        Some(b'"') => {
                            i += 1;
                            break;
                        }
                        Some(_) => i += 1,
                    }
                }
            }
            b'`' => {
                let start = i;
                i += 1;
                loop {
                    match b.get(i) {
                        None => return Err(unterminated(text, start, "quoted name", "`")),
                        Some(b'`') if b.get(i + 1) == Some(&b'`') => i += 2,
                        Some(b'`') => {
                            i += 1;
                            break;
                        }
                        Some(_) => i += 1,
                    }
                }
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = find(b, i, b"\n").unwrap_or(b.len());
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let start = i;
                match find(b, i + 2, b"*/") {
                    Some(end) => i = end + 2,
                    None => return Err(unterminated(text, start, "comment", "*/")),
                }
            }
            b'(' | b'[' => {
                open.push(i);
                if open.len() > MAX_NESTING {
                    return Err(SyntaxError {
                        code: "esql::too_deep",
                        message: format!(
                            "the query nests parentheses or brackets more than {MAX_NESTING} deep"
                        ),
                        span: Span::new(i, i + 1),
                        label: format!("nesting level {} starts here", open.len()),
                        help: Some("split the expression with EVAL into named steps".to_string()),
                    });
                }
                i += 1;
            }
            b')' | b']' => {
                open.pop();
                i += 1;
            }
            _ => i += 1,
        }
    }
    Ok(())
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from > hay.len() {
        return None;
    }
    hay[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn unterminated(text: &str, start: usize, what: &str, closer: &str) -> SyntaxError {
    // Point at the opening quote and the rest of its line.
    let line_end = text[start..].find('\n').map_or(text.len(), |n| start + n);
    SyntaxError {
        code: "esql::unterminated",
        message: format!("this {what} is never closed"),
        span: Span::new(start, line_end.max(start + 1).min(text.len().max(start + 1))),
        label: format!("{what} opens here"),
        help: Some(match what {
            "string" => "close it with `\"`; a string cannot span lines (use \"\"\"…\"\"\" for that), and a `\"` inside is written `\\\"`".to_string(),
            "quoted name" => "close it with a backtick; a backtick inside a name is written twice".to_string(),
            _ => format!("close it with `{closer}`"),
        }),
    }
}
