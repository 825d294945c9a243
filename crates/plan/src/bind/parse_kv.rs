//! `parse-kv input as (key:type, …) with (…)`: one column per key, the value
//! found after the key in the text, converted to the key's type. Written in
//! the engine's own functions: each key becomes an `extract` with a regex
//! made from the delimiters, quotes and escape of the `with` options.
//!
//! With `pair_delimiter` / `kv_delimiter` a key starts the text or follows a
//! pair delimiter, and its value runs to the next pair delimiter (or, with
//! `greedy=true`, to the next `delimiter key kv_delimiter` or the end). With
//! neither, a key follows any non-word character and is followed by `:` or
//! `=`, and its value runs to the next space, `,` or `;`. A value in quotes
//! runs to the closing quote, where the escape character takes the next one
//! literally. `regex=` is refused by name.

use iishunt_syntax::ast::{self, TypeName};
use iishunt_syntax::print::{ident, string};

use super::Binder;
use crate::error::{PlanError, Result};
use crate::logical::LogicalPlan;
use crate::schema::Schema;
use crate::types::ScalarValue;

const INPUT: &str = "__kv_input";

/// The options as written, checked.
struct Options {
    pair: Option<String>,
    kv: Option<String>,
    /// (open, close) pairs: `quote='"'` is `"` both sides, `quote='()'` opens
    /// with `(` and closes with `)`.
    quotes: Vec<(char, char)>,
    escape: Option<char>,
    greedy: bool,
}

impl<'a> Binder<'a> {
    pub(crate) fn bind_parse_kv(
        &mut self,
        plan: LogicalPlan,
        p: &ast::ParseKv,
        span: ast::Span,
    ) -> Result<LogicalPlan> {
        let options = self.parse_kv_options(&p.options)?;
        let text = format!("tostring({})", iishunt_syntax::print::expr_to_kql(&p.input));
        let mut items = Vec::new();
        for (key, ty) in &p.columns {
            let value = value_expr(&key.name, &options, "__kv_text");
            items.push(format!("{} = {}({value})", ident(&key.name), convert(*ty)));
        }
        let query = format!(
            "{INPUT} | extend __kv_text = {text} | extend {} | project-away __kv_text",
            items.join(", ")
        );
        self.bind_rewritten(plan, INPUT, &query, "parse-kv", span)
    }

    fn parse_kv_options(&mut self, written: &[(ast::Ident, ast::Expr)]) -> Result<Options> {
        let mut o = Options {
            pair: None,
            kv: None,
            quotes: Vec::new(),
            escape: None,
            greedy: false,
        };
        for (key, value) in written {
            let bound = self.bind_expr(value, &Schema::default(), None)?;
            let folded = self.try_fold(&bound);
            let text = || match &folded {
                Some(ScalarValue::String(s)) if !s.is_empty() => Ok(s.clone()),
                _ => Err(PlanError::new(
                    "plan::parse_kv_option",
                    value.span,
                    format!("parse-kv's `{}` takes a non-empty string", key.name),
                    "not a string",
                )),
            };
            match key.name.as_str() {
                "pair_delimiter" => o.pair = Some(text()?),
                "kv_delimiter" => o.kv = Some(text()?),
                "quote" => {
                    let q: Vec<char> = text()?.chars().collect();
                    o.quotes = match q.as_slice() {
                        [c] => vec![(*c, *c)],
                        [open, close] => vec![(*open, *close)],
                        _ => {
                            return Err(PlanError::new(
                                "plan::parse_kv_option",
                                value.span,
                                "parse-kv's `quote` is one character, or two: the opening and the closing one",
                                "here",
                            ))
                        }
                    }
                }
                "escape" => {
                    let e: Vec<char> = text()?.chars().collect();
                    match e.as_slice() {
                        [c] => o.escape = Some(*c),
                        _ => {
                            return Err(PlanError::new(
                                "plan::parse_kv_option",
                                value.span,
                                "parse-kv's `escape` is one character",
                                "here",
                            ))
                        }
                    }
                }
                "greedy" => match folded {
                    Some(ScalarValue::Bool(b)) => o.greedy = b,
                    _ => {
                        return Err(PlanError::new(
                            "plan::parse_kv_option",
                            value.span,
                            "parse-kv's `greedy` is true or false",
                            "not a bool",
                        ))
                    }
                },
                "regex" => {
                    return Err(PlanError::new(
                        "plan::parse_kv_option",
                        key.span,
                        "parse-kv's `regex` option is not supported yet",
                        "not supported",
                    )
                    .with_help(
                        "use pair_delimiter= and kv_delimiter=, or `parse kind=regex` for one key",
                    ))
                }
                other => {
                    return Err(PlanError::new(
                        "plan::parse_kv_option",
                        key.span,
                        format!("parse-kv has no option `{other}`"),
                        "unknown option",
                    )
                    .with_help(
                        "parse-kv takes pair_delimiter, kv_delimiter, quote, escape and greedy",
                    ))
                }
            }
        }
        Ok(o)
    }
}

/// The KQL expression of `key`'s value in the column `text`.
fn value_expr(key: &str, o: &Options, text: &str) -> String {
    let k = escape(key);
    let mut key_forms = vec![k.clone()];
    for (open, close) in &o.quotes {
        key_forms.push(format!("{}{k}{}", escape_char(*open), escape_char(*close)));
    }
    let key_re = format!("(?:{})", key_forms.join("|"));
    let auto = o.pair.is_none() && o.kv.is_none();
    let start = if auto {
        format!(r"(?:^|\W){key_re}\s*[:=]\s*")
    } else {
        let pair = escape(o.pair.as_deref().unwrap_or(" "));
        let kv = escape(o.kv.as_deref().unwrap_or("="));
        format!(r"(?:^|{pair})\s*{key_re}\s*{kv}\s*")
    };
    // One capturing group per way a value can be written.
    let mut alternatives = Vec::new();
    for (open, close) in &o.quotes {
        let (open, close_re) = (escape_char(*open), escape_char(*close));
        let inside = match o.escape {
            Some(e) => format!(
                "(?:{}.|[^{}{}])*",
                escape_char(e),
                class_char(*close),
                class_char(e)
            ),
            None => format!("[^{}]*", class_char(*close)),
        };
        alternatives.push(format!("{open}({inside}){close_re}"));
    }
    let unquoted = if auto {
        r"([^\s,;]*)".to_string()
    } else if o.greedy {
        let pair = escape(o.pair.as_deref().unwrap_or(" "));
        let pair_class: String = o
            .pair
            .as_deref()
            .unwrap_or(" ")
            .chars()
            .map(class_char)
            .collect();
        let kv_class: String =
            o.kv.as_deref()
                .unwrap_or("=")
                .chars()
                .map(class_char)
                .collect();
        format!(
            "(.*?)(?:{pair}[^{pair_class}{kv_class}]+{}|$)",
            escape(o.kv.as_deref().unwrap_or("="))
        )
    } else {
        let pair_class: String = o
            .pair
            .as_deref()
            .unwrap_or(" ")
            .chars()
            .map(class_char)
            .collect();
        format!("([^{pair_class}]*)")
    };
    alternatives.push(unquoted);
    let regex = format!("{start}(?:{})", alternatives.join("|"));
    let quoted = o.quotes.len();
    let mut parts = Vec::new();
    for g in 1..=quoted {
        let mut v = format!("extract({}, {g}, {text})", string(&regex));
        if let Some(e) = o.escape {
            let e = escape_char(e);
            v = format!(
                "replace_regex({v}, {}, @\"\\1\")",
                string(&format!("{e}(.)"))
            );
        }
        parts.push(v);
    }
    parts.push(format!(
        "trim(@\"\\s+\", extract({}, {}, {text}))",
        string(&regex),
        quoted + 1
    ));
    format!("strcat({})", parts.join(", "))
}

/// The conversion function of a column type (`long` → `tolong`).
fn convert(ty: TypeName) -> String {
    format!("to{}", ty.as_str())
}

/// `s` as regex text matching itself.
fn escape(s: &str) -> String {
    s.chars().map(escape_char).collect()
}

fn escape_char(c: char) -> String {
    if !c.is_ascii_punctuation() {
        c.to_string()
    } else {
        format!("\\{c}")
    }
}

/// `c` inside a `[…]` class.
fn class_char(c: char) -> String {
    if matches!(c, '\\' | ']' | '[' | '^' | '-') {
        format!("\\{c}")
    } else {
        c.to_string()
    }
}
