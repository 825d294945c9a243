//! A tiny lexical pre-pass over the raw text, run before and after pest.
//!
//! Before: refuse what would only exhaust the stack or confuse every later
//! message — brackets nested deeper than [`MAX_NESTING`], NUL bytes.
//! After a failed parse: find an unclosed string or bracket, which pest would
//! otherwise report far away at the end of the query. It skips strings and
//! `//` comments the way the grammar does, well enough for diagnostics.

use super::{Result, MAX_NESTING};
use crate::ast::Span;
use crate::error::SyntaxError;

/// One bracket or problem found by [`walk`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Event {
    Open(char, usize),
    Close(char, usize),
    /// A string starting here never ends (on its line, or at all for ```).
    Unterminated(usize),
}

/// Calls `f` for every bracket outside strings and comments; stops early if
/// `f` returns false.
pub(super) fn walk(text: &str, mut f: impl FnMut(Event) -> bool) {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'`' if text[i..].starts_with("```") => match text[i + 3..].find("```") {
                Some(end) => i += 3 + end + 2,
                None => {
                    f(Event::Unterminated(i));
                    return;
                }
            },
            b'"' | b'\'' => {
                let verbatim = i > 0 && b[i - 1] == b'@';
                let start = i;
                i += 1;
                loop {
                    match b.get(i) {
                        None | Some(b'\n') => {
                            if !f(Event::Unterminated(if verbatim {
                                start - 1
                            } else {
                                start
                            })) {
                                return;
                            }
                            break;
                        }
                        Some(&x) if x == c => {
                            if verbatim && b.get(i + 1) == Some(&c) {
                                i += 2;
                                continue;
                            }
                            break;
                        }
                        Some(b'\\') if !verbatim => i += 2,
                        Some(_) => i += 1,
                    }
                }
            }
            b'(' | b'[' | b'{' if !f(Event::Open(c as char, i)) => return,
            b')' | b']' | b'}' if !f(Event::Close(c as char, i)) => return,
            _ => {}
        }
        i += 1;
    }
}

/// Refuses inputs no query needs and that could only hurt: NUL bytes and
/// brackets nested more than [`MAX_NESTING`] deep.
pub(super) fn precheck(text: &str) -> Result<()> {
    if let Some(at) = text.find('\0') {
        return Err(SyntaxError {
            code: "kql::nul_byte",
            message: "the query contains a NUL byte".to_string(),
            span: Span::new(at, at + 1),
            label: "NUL byte here".to_string(),
            help: Some(
                "the text is probably binary or was pasted from a file with NUL padding"
                    .to_string(),
            ),
        });
    }
    let mut depth = 0usize;
    let mut too_deep = None;
    walk(text, |ev| {
        match ev {
            Event::Open(_, at) => {
                depth += 1;
                if depth > MAX_NESTING {
                    too_deep = Some(at);
                    return false;
                }
            }
            Event::Close(..) => depth = depth.saturating_sub(1),
            Event::Unterminated(_) => {}
        }
        true
    });
    match too_deep {
        Some(at) => Err(SyntaxError {
            code: "kql::too_deep",
            message: format!("brackets are nested more than {MAX_NESTING} levels deep"),
            span: Span::new(at, at + 1),
            label: "too deeply nested".to_string(),
            help: Some("split the expression with `let` statements".to_string()),
        }),
        None => Ok(()),
    }
}

/// The first unclosed string, unmatched closing bracket or unclosed opening
/// bracket, as an error, if there is one.
pub(super) fn unbalanced(text: &str) -> Option<SyntaxError> {
    let mut stack: Vec<(char, usize)> = Vec::new();
    let mut found = None;
    walk(text, |ev| {
        match ev {
            Event::Unterminated(at) => {
                let quote = text[at..]
                    .chars()
                    .find(|c| matches!(c, '"' | '\'' | '`'))
                    .unwrap_or('"');
                found = Some(SyntaxError {
                    code: "kql::unterminated_string",
                    message: "this string is never closed".to_string(),
                    span: Span::new(at, (at + 1).min(text.len())),
                    label: "string starts here".to_string(),
                    help: Some(if quote == '`' {
                        "close the multi-line string with ```".to_string()
                    } else {
                        format!("close it with {quote} on the same line; for text over several lines use ```...```")
                    }),
                });
                return false;
            }
            Event::Open(c, at) => stack.push((c, at)),
            Event::Close(c, at) => {
                let want = match c {
                    ')' => '(',
                    ']' => '[',
                    _ => '{',
                };
                match stack.pop() {
                    Some((o, _)) if o == want => {}
                    Some((o, oat)) => {
                        found = Some(SyntaxError {
                            code: "kql::unbalanced",
                            message: format!("`{c}` does not match the `{o}` it closes"),
                            span: Span::new(at, at + 1),
                            label: format!("expected `{}` here", closer(o)),
                            help: Some(format!("the `{o}` opened at byte {oat} is still open")),
                        });
                        return false;
                    }
                    None => {
                        found = Some(SyntaxError {
                            code: "kql::unbalanced",
                            message: format!("this `{c}` has no matching `{want}`"),
                            span: Span::new(at, at + 1),
                            label: "nothing to close".to_string(),
                            help: Some(format!("remove it, or add the missing `{want}` before it")),
                        });
                        return false;
                    }
                }
            }
        }
        true
    });
    if found.is_none() {
        if let Some((o, at)) = stack.pop() {
            found = Some(SyntaxError {
                code: "kql::unbalanced",
                message: format!("this `{o}` is never closed"),
                span: Span::new(at, at + 1),
                label: format!("needs a matching `{}`", closer(o)),
                help: Some(format!("add `{}` where the group should end", closer(o))),
            });
        }
    }
    found
}

fn closer(open: char) -> char {
    match open {
        '(' => ')',
        '[' => ']',
        _ => '}',
    }
}
