//! KQL `parse [kind=simple|regex|relaxed [flags=…]] expr with …`, compiled to
//! one regex as Kusto documents for `kind=regex`: `*` is `.*?`, a string
//! column is `(.*?)`, a typed column is a regex of its type (`long` is
//! `-?\d+`). The regex is anchored at both ends, so the last column takes
//! the rest of the text and every delimiter must appear.
//!
//! - `simple` (the default): the string constants are literal text; typed
//!   columns must match their type, or the whole row gets nulls.
//! - `regex`: the string constants are regexes; `flags=` are RE2 flags
//!   (`U` ungreedy, `m`, `s`, `i`).
//! - `relaxed`: like `simple`, but a typed column whose text is not of its
//!   type gets null alone: it compiles to `(?:(TYPE)|.*?)`, an optional group
//!   that falls back to skipping the text.

use iishunt_syntax::ast::{Ident, ParseKind, ParsePart};

use super::{group_numbers, group_of, literal, CompiledPattern, Field, PatternError, Result};
use crate::types::KType;

/// Compiles the pattern of a `parse` operator.
pub fn compile(
    kind: ParseKind,
    flags: Option<&str>,
    parts: &[ParsePart],
) -> Result<CompiledPattern> {
    // As in Kusto (RE2), `.` does not match a newline unless `flags=s`.
    let mut regex = String::new();
    if let Some(f) = flags {
        if kind != ParseKind::Regex {
            return Err(PatternError::new("`flags=` needs `kind=regex`")
                .with_help("write `parse kind=regex flags=i …`"));
        }
        regex = regex_flags(f)?;
    }
    regex.push('^');
    let mut columns: Vec<(&Ident, KType)> = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        match part {
            ParsePart::Literal(text) if kind == ParseKind::Regex => {
                regex.push_str(&format!("(?:{text})"));
            }
            ParsePart::Literal(text) => regex.push_str(&literal(text)),
            ParsePart::Wildcard => {
                if let Some(ParsePart::Column(prev, ty)) = i.checked_sub(1).map(|j| &parts[j]) {
                    if column_type(*ty) == KType::String {
                        return Err(PatternError::new(format!(
                            "`*` cannot follow the string column `{}`",
                            prev.name
                        ))
                        .at(prev.span)
                        .with_help("put a string constant between them, as Kusto requires"));
                    }
                }
                regex.push_str(".*?");
            }
            ParsePart::Column(name, ty) => {
                check_name(name)?;
                if columns.iter().any(|(c, _)| c.name == name.name) {
                    return Err(PatternError::new(format!(
                        "`parse` names the column `{}` twice",
                        name.name
                    ))
                    .at(name.span));
                }
                if let Some(ParsePart::Column(prev, prev_ty)) = i.checked_sub(1).map(|j| &parts[j])
                {
                    if column_type(*prev_ty) == KType::String {
                        return Err(PatternError::new(format!(
                            "the column `{}` follows the string column `{}` with nothing between them",
                            name.name, prev.name
                        ))
                        .at(name.span)
                        .with_help("put the string constant that separates them between the two"));
                    }
                }
                let ty = column_type(*ty);
                let group = format!("_p{}", columns.len());
                let value = type_regex(ty);
                match (kind, value) {
                    (ParseKind::Relaxed, Some(v)) => {
                        regex.push_str(&format!("(?:(?P<{group}>{v})|.*?)"));
                    }
                    (_, Some(v)) => regex.push_str(&format!("(?P<{group}>{v})")),
                    (_, None) => regex.push_str(&format!("(?P<{group}>.*?)")),
                }
                columns.push((name, ty));
            }
        }
    }
    regex.push('$');
    if columns.is_empty() {
        return Err(
            PatternError::new("the `parse` pattern has no column to extract").with_help(
                "name one after a string constant: `parse csUserAgent with * \"(\" os \";\" *`",
            ),
        );
    }
    let what = if kind == ParseKind::Regex {
        "the `parse kind=regex` pattern"
    } else {
        "the `parse` pattern"
    };
    let groups = group_numbers(&regex, what)?;
    let mut fields = Vec::new();
    for (i, (name, ty)) in columns.iter().enumerate() {
        fields.push(Field {
            name: name.name.clone(),
            groups: vec![group_of(&groups, &format!("_p{i}"))?],
            separator: String::new(),
            ty: *ty,
        });
    }
    Ok(CompiledPattern { regex, fields })
}

fn column_type(ty: Option<iishunt_syntax::ast::TypeName>) -> KType {
    ty.map_or(KType::String, KType::from)
}

/// The text a typed column must match; `None` matches anything (`.*?`) and
/// leaves the check to the conversion.
fn type_regex(ty: KType) -> Option<&'static str> {
    match ty {
        KType::Int | KType::Long => Some(r"-?[0-9]+"),
        KType::Real | KType::Decimal => {
            Some(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
        }
        KType::Bool => Some(r"(?i:true|false)"),
        KType::Guid => Some(r"[0-9A-Fa-f]{8}-(?:[0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12}"),
        KType::String | KType::DateTime | KType::TimeSpan | KType::Dynamic => None,
    }
}

/// `flags=Ui` → `(?Ui)`: Kusto's flags are RE2's.
fn regex_flags(flags: &str) -> Result<String> {
    if flags.is_empty() {
        return Ok(String::new());
    }
    let mut out = String::from("(?");
    for c in flags.chars() {
        match c {
            'U' | 'm' | 's' | 'i' => out.push(c),
            _ => {
                return Err(PatternError::new(format!("unknown regex flag `{c}` in `flags={flags}`"))
                    .with_help("the flags are U (ungreedy), m (multi-line), s (`.` matches \\n) and i (case-insensitive)"))
            }
        }
    }
    out.push(')');
    Ok(out)
}

/// Kusto column names: 1 to 1024 letters, digits, `_`, space, `.` or `-`.
fn check_name(name: &Ident) -> Result<()> {
    let ok = !name.name.is_empty()
        && name.name.chars().count() <= 1024
        && name
            .name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | ' ' | '.' | '-'));
    if ok {
        Ok(())
    } else {
        Err(
            PatternError::new(format!("`{}` is not a valid column name", name.name))
                .at(name.span)
                .with_help("Kusto names are 1 to 1024 letters, digits, `_`, spaces, `.` or `-`"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use iishunt_syntax::ast::{Span, TypeName};

    fn col(name: &str, ty: Option<TypeName>) -> ParsePart {
        ParsePart::Column(Ident::new(name.to_string(), Span::default()), ty)
    }
    fn lit(s: &str) -> ParsePart {
        ParsePart::Literal(s.to_string())
    }

    fn run(
        kind: ParseKind,
        flags: Option<&str>,
        parts: &[ParsePart],
        text: &str,
    ) -> Vec<Option<String>> {
        let c = compile(kind, flags, parts).expect("compiles");
        let re = regex::Regex::new(&c.regex).expect("valid regex");
        let caps = re.captures(text);
        c.fields
            .iter()
            .map(|f| {
                caps.as_ref()
                    .and_then(|c| c.get(f.groups[0]))
                    .map(|m| m.as_str().to_string())
            })
            .collect()
    }

    fn some(values: &[&str]) -> Vec<Option<String>> {
        values.iter().map(|v| Some(v.to_string())).collect()
    }

    #[test]
    fn simple_splits_at_the_first_delimiter_and_the_last_column_takes_the_rest() {
        let parts = [
            ParsePart::Wildcard,
            lit("("),
            col("os", None),
            lit(";"),
            ParsePart::Wildcard,
        ];
        assert_eq!(
            run(
                ParseKind::Simple,
                None,
                &parts,
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"
            ),
            some(&["Windows NT 10.0"])
        );
        let parts = [col("a", None), lit(" "), col("b", None)];
        assert_eq!(
            run(ParseKind::Simple, None, &parts, "x y z"),
            some(&["x", "y z"])
        );
    }

    #[test]
    fn simple_needs_every_delimiter_and_type() {
        let parts = [lit("id="), col("id", Some(TypeName::Long)), lit(";")];
        assert_eq!(
            run(ParseKind::Simple, None, &parts, "id=42;"),
            some(&["42"])
        );
        assert_eq!(run(ParseKind::Simple, None, &parts, "id=x42;"), vec![None]);
        assert_eq!(run(ParseKind::Simple, None, &parts, "id=42"), vec![None]);
        // Literal text is not a regex in simple mode.
        let parts = [col("a", None), lit("."), col("b", None)];
        assert_eq!(
            run(ParseKind::Simple, None, &parts, "ab.c"),
            some(&["ab", "c"])
        );
    }

    #[test]
    fn relaxed_nulls_only_the_column_of_the_wrong_type() {
        let parts = [
            lit("n="),
            col("n", Some(TypeName::Long)),
            lit(", name="),
            col("name", None),
        ];
        assert_eq!(
            run(ParseKind::Relaxed, None, &parts, "n=abc, name=x"),
            vec![None, Some("x".into())]
        );
        assert_eq!(
            run(ParseKind::Simple, None, &parts, "n=abc, name=x"),
            vec![None, None]
        );
        assert_eq!(
            run(ParseKind::Relaxed, None, &parts, "n=7, name=x"),
            some(&["7", "x"])
        );
    }

    #[test]
    fn regex_constants_and_flags() {
        let parts = [
            ParsePart::Wildcard,
            lit(r"id=\s*"),
            col("id", Some(TypeName::Int)),
            ParsePart::Wildcard,
        ];
        assert_eq!(
            run(ParseKind::Regex, None, &parts, "a id=  7&b"),
            some(&["7"])
        );
        let parts = [
            ParsePart::Wildcard,
            lit("NAME="),
            col("name", None),
            lit(","),
            ParsePart::Wildcard,
        ];
        assert_eq!(
            run(ParseKind::Regex, Some("i"), &parts, "x name=a,b,c"),
            some(&["a"])
        );
        assert_eq!(
            run(ParseKind::Regex, Some("Ui"), &parts, "x name=a,b,c"),
            some(&["a,b"])
        );
    }

    #[test]
    fn bad_patterns_say_why() {
        let e = compile(
            ParseKind::Simple,
            None,
            &[col("a", None), ParsePart::Wildcard],
        )
        .unwrap_err();
        assert!(
            e.message.contains("cannot follow the string column"),
            "{e:?}"
        );
        let e = compile(
            ParseKind::Simple,
            None,
            &[col("a", None), lit(" "), col("a", None)],
        )
        .unwrap_err();
        assert!(e.message.contains("twice"), "{e:?}");
        let e = compile(ParseKind::Simple, None, &[col("a$", None)]).unwrap_err();
        assert!(e.message.contains("not a valid column name"), "{e:?}");
        let e = compile(ParseKind::Regex, Some("q"), &[col("a", None)]).unwrap_err();
        assert!(e.message.contains("unknown regex flag"), "{e:?}");
        let e = compile(ParseKind::Regex, None, &[lit("(?=x)"), col("a", None)]).unwrap_err();
        assert!(e.help.unwrap_or_default().contains("look-ahead"));
        let e = compile(ParseKind::Simple, None, &[lit("x"), ParsePart::Wildcard]).unwrap_err();
        assert!(e.message.contains("no column"), "{e:?}");
    }
}
