//! ES|QL `DISSECT`: `%{key}` fields between literal delimiters, left to right,
//! as Elastic's dissect processor does. Modifiers: `%{key->}` skips repeats of
//! the delimiter that follows (right padding), `%{+key}` appends to an earlier
//! key (joined by `APPEND_SEPARATOR`, in `%{+key/N}` order when given),
//! `%{?key}` and `%{}` match and drop. Reference keys (`%{*k}`/`%{&k}`) are not
//! part of ES|QL.
//!
//! Compiled to one regex anchored at the start: a key followed by a one-byte
//! delimiter is `([^d]*)` (exactly "up to the first `d`", as dissect scans);
//! before a longer delimiter it is the lazy `(.*?)`; the last key with nothing
//! after it takes the rest of the text.

use super::{group_numbers, group_of, literal, CompiledPattern, Field, PatternError, Result};
use crate::types::KType;

/// One piece of a dissect pattern.
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Delimiter(String),
    Key(Key),
}

#[derive(Debug, Clone, PartialEq)]
struct Key {
    /// Empty for `%{}`.
    name: String,
    append: bool,
    skip: bool,
    right_padding: bool,
    /// `%{+key/N}`: the position of this part among the appended parts.
    order: Option<u32>,
}

/// Compiles a DISSECT pattern; `separator` is `APPEND_SEPARATOR` ("" by default).
pub fn compile(pattern: &str, separator: &str) -> Result<CompiledPattern> {
    let pieces = pieces(pattern)?;
    if !pieces.iter().any(|p| matches!(p, Piece::Key(_))) {
        return Err(PatternError::new("the DISSECT pattern has no `%{key}`")
            .with_help("name the parts to extract, e.g. \"%{method} %{path}\""));
    }
    let mut regex = String::from("(?s)^");
    // (output name, internal group name, append order) in pattern order.
    let mut captures: Vec<(String, String, Option<u32>, usize)> = Vec::new();
    for (i, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Delimiter(d) => {
                let padded = matches!(i.checked_sub(1).and_then(|j| pieces.get(j)),
                    Some(Piece::Key(k)) if k.right_padding);
                if padded {
                    regex.push_str(&format!("(?:{})+", literal(d)));
                } else {
                    regex.push_str(&literal(d));
                }
            }
            Piece::Key(k) => {
                let value = match pieces.get(i + 1) {
                    None => ".*".to_string(),
                    Some(Piece::Delimiter(d)) if d.len() == 1 => {
                        format!("[^{}]*", literal(d))
                    }
                    Some(_) => ".*?".to_string(),
                };
                if k.skip || k.name.is_empty() {
                    regex.push_str(&format!("(?:{value})"));
                } else {
                    let group = format!("_p{}", captures.len());
                    regex.push_str(&format!("(?P<{group}>{value})"));
                    captures.push((k.name.clone(), group, k.order, captures.len()));
                }
            }
        }
    }
    if matches!(pieces.last(), Some(Piece::Key(_))) {
        regex.push('$');
    }
    let groups = group_numbers(&regex, "the DISSECT pattern")?;
    let mut fields: Vec<Field> = Vec::new();
    let mut parts: Vec<Vec<(Option<u32>, usize, usize)>> = Vec::new();
    for (name, group, order, position) in &captures {
        let number = group_of(&groups, group)?;
        match fields.iter().position(|f| &f.name == name) {
            Some(at) => parts[at].push((*order, *position, number)),
            None => {
                fields.push(Field {
                    name: name.clone(),
                    groups: vec![],
                    separator: separator.to_string(),
                    ty: KType::String,
                });
                parts.push(vec![(*order, *position, number)]);
            }
        }
    }
    for (field, mut p) in fields.iter_mut().zip(parts) {
        // Parts without `/N` keep pattern order, after numbered ones as Elastic sorts.
        p.sort_by_key(|(order, position, _)| (order.unwrap_or(u32::MAX), *position));
        field.groups = p.into_iter().map(|(_, _, n)| n).collect();
    }
    check_appends(&pieces)?;
    if fields.is_empty() {
        return Err(PatternError::new(
            "the DISSECT pattern extracts nothing: every key is skipped",
        )
        .with_help("name a part to keep, e.g. \"%{?skip} %{kept}\""));
    }
    Ok(CompiledPattern { regex, fields })
}

/// A key appended more than once must be appended every time but the first.
fn check_appends(pieces: &[Piece]) -> Result<()> {
    let keys: Vec<&Key> = pieces
        .iter()
        .filter_map(|p| match p {
            Piece::Key(k) => Some(k),
            Piece::Delimiter(_) => None,
        })
        .collect();
    for (i, k) in keys.iter().enumerate() {
        if k.skip || k.name.is_empty() || k.append {
            continue;
        }
        if keys[..i].iter().any(|o| o.name == k.name && !o.skip) {
            return Err(
                PatternError::new(format!("the DISSECT pattern names `{}` twice", k.name))
                    .with_help(format!(
                        "to join both parts, write the second as `%{{+{}}}`",
                        k.name
                    )),
            );
        }
    }
    Ok(())
}

/// Splits the pattern into delimiters and keys.
fn pieces(pattern: &str) -> Result<Vec<Piece>> {
    let mut out = Vec::new();
    let mut rest = pattern;
    while !rest.is_empty() {
        match rest.find("%{") {
            Some(0) => {
                let Some(end) = rest.find('}') else {
                    return Err(PatternError::new(format!(
                        "the DISSECT pattern has an unclosed key: `{rest}`"
                    ))
                    .with_help("close it with `}`"));
                };
                let key = key(&rest[2..end])?;
                if matches!(out.last(), Some(Piece::Key(_))) {
                    return Err(PatternError::new(format!(
                        "two DISSECT keys follow each other with no delimiter before `{}`",
                        &rest[..=end]
                    ))
                    .with_help("dissect splits on the text between keys: put a delimiter there, or use GROK"));
                }
                out.push(Piece::Key(key));
                rest = &rest[end + 1..];
            }
            Some(at) => {
                out.push(Piece::Delimiter(rest[..at].to_string()));
                rest = &rest[at..];
            }
            None => {
                out.push(Piece::Delimiter(rest.to_string()));
                rest = "";
            }
        }
    }
    Ok(out)
}

/// Reads the inside of `%{…}`: `[+|?]name[/N][->]`.
fn key(text: &str) -> Result<Key> {
    let mut name = text;
    let right_padding = match name.strip_suffix("->") {
        Some(n) => {
            name = n;
            true
        }
        None => false,
    };
    let (mut append, mut skip) = (false, false);
    match name.chars().next() {
        Some('+') => {
            append = true;
            name = &name[1..];
        }
        Some('?') => {
            skip = true;
            name = &name[1..];
        }
        Some(c @ ('*' | '&')) => {
            return Err(PatternError::new(format!(
                "DISSECT reference keys (`%{{{c}…}}`) are not supported in ES|QL"
            ))
            .with_help("name each field directly: `%{name}`"))
        }
        _ => {}
    }
    let mut order = None;
    if let Some((n, o)) = name.rsplit_once('/') {
        if !append {
            return Err(PatternError::new(format!(
                "`%{{{text}}}`: an order `/N` needs the append modifier"
            ))
            .with_help(format!("write `%{{+{text}}}`")));
        }
        order = Some(o.parse::<u32>().map_err(|_| {
            PatternError::new(format!(
                "`%{{{text}}}`: the append order `/{o}` is not a number"
            ))
        })?);
        name = n;
    }
    if name.is_empty() && (append || skip) {
        return Err(PatternError::new(format!("`%{{{text}}}` needs a key name")));
    }
    Ok(Key {
        name: name.to_string(),
        append,
        skip,
        right_padding,
        order,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs the compiled pattern on `text`: each field's value (None: no match).
    fn run(pattern: &str, sep: &str, text: &str) -> Vec<(String, Option<String>)> {
        let c = compile(pattern, sep).expect("compiles");
        let re = regex::Regex::new(&c.regex).expect("valid regex");
        let caps = re.captures(text);
        c.fields
            .iter()
            .map(|f| {
                let v = caps.as_ref().map(|caps| {
                    f.groups
                        .iter()
                        .filter_map(|g| caps.get(*g).map(|m| m.as_str()))
                        .collect::<Vec<_>>()
                        .join(&f.separator)
                });
                (f.name.clone(), v)
            })
            .collect()
    }

    fn some(pairs: &[(&str, &str)]) -> Vec<(String, Option<String>)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), Some(v.to_string())))
            .collect()
    }

    #[test]
    fn keys_split_at_the_first_delimiter_and_the_last_takes_the_rest() {
        assert_eq!(
            run("%{a} %{b} %{c}", "", "GET /x y z"),
            some(&[("a", "GET"), ("b", "/x"), ("c", "y z")])
        );
        assert_eq!(
            run("[%{ts}] %{msg}", "", "[12:00] hello there"),
            some(&[("ts", "12:00"), ("msg", "hello there")])
        );
    }

    #[test]
    fn a_missing_delimiter_is_no_match() {
        assert_eq!(
            run("%{a}:%{b}", "", "no colon"),
            vec![("a".into(), None), ("b".into(), None)]
        );
        assert_eq!(run("[%{a}]", "", "x[1]"), vec![("a".into(), None)]);
    }

    #[test]
    fn right_padding_skips_repeated_delimiters() {
        assert_eq!(
            run("%{a->} %{b}", "", "x     y"),
            some(&[("a", "x"), ("b", "y")])
        );
        assert_eq!(
            run("%{a} %{b}", "", "x  y"),
            some(&[("a", "x"), ("b", " y")])
        );
    }

    #[test]
    fn appends_join_with_the_separator_in_order() {
        assert_eq!(
            run("%{+n} %{+n} %{x}", " ", "John Smith 42"),
            some(&[("n", "John Smith"), ("x", "42")])
        );
        assert_eq!(run("%{+n/2} %{+n/1}", ",", "b a"), some(&[("n", "a,b")]));
        assert_eq!(run("%{n} %{+n}", "", "a b"), some(&[("n", "ab")]));
    }

    #[test]
    fn named_and_empty_skips_match_but_make_no_column() {
        assert_eq!(run("%{?ignore} %{} %{c}", "", "a b c"), some(&[("c", "c")]));
    }

    #[test]
    fn multi_byte_delimiters() {
        assert_eq!(
            run("%{a} - %{b}", "", "x-y - z"),
            some(&[("a", "x-y"), ("b", "z")])
        );
    }

    #[test]
    fn bad_patterns_say_why() {
        assert!(compile("no keys", "")
            .unwrap_err()
            .message
            .contains("no `%{key}`"));
        assert!(compile("%{a}%{b}", "")
            .unwrap_err()
            .message
            .contains("no delimiter"));
        assert!(compile("%{*a} %{&a}", "")
            .unwrap_err()
            .message
            .contains("reference keys"));
        assert!(compile("%{a} %{a}", "")
            .unwrap_err()
            .message
            .contains("twice"));
        assert!(compile("%{a", "").unwrap_err().message.contains("unclosed"));
        assert!(compile("%{?a} %{}", "")
            .unwrap_err()
            .message
            .contains("extracts nothing"));
        assert!(compile("%{a/2} x", "")
            .unwrap_err()
            .message
            .contains("append"));
    }
}
