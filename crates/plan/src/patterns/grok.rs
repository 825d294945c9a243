//! ES|QL `GROK`: `%{SYNTAX}`, `%{SYNTAX:SEMANTIC}` and `%{SYNTAX:SEMANTIC:TYPE}`
//! references to named patterns (`grok_library.rs`), raw regex between them,
//! and Oniguruma named groups `(?<name>…)`, as Elastic's grok does. Every
//! reference is expanded in place (nested references too, up to
//! [`MAX_DEPTH`]) into one regex; each SEMANTIC and each named group becomes
//! a capture group and a column. The regex is unanchored: grok finds the
//! pattern anywhere in the text, as Elastic does.

use super::{grok_library, group_numbers, group_of, CompiledPattern, Field, PatternError, Result};
use crate::suggest::did_you_mean;
use crate::types::KType;

/// How deep pattern references may nest (the library needs 5; a cycle hits this).
pub const MAX_DEPTH: usize = 16;

/// The TYPE suffixes ES|QL accepts, and the column type each gives.
const TYPES: &[(&str, KType)] = &[
    ("int", KType::Int),
    ("long", KType::Long),
    ("float", KType::Real),
    ("double", KType::Real),
    ("boolean", KType::Bool),
];

/// The names of the library patterns, for docs and did-you-mean.
pub fn pattern_names() -> impl Iterator<Item = &'static str> {
    grok_library::PATTERNS.iter().map(|(n, _)| *n)
}

/// Compiles a GROK pattern.
pub fn compile(pattern: &str) -> Result<CompiledPattern> {
    let mut expander = Expander { outputs: vec![] };
    let body = expander.expand(pattern, 0, None)?;
    // No `(?s)`: as in Oniguruma, `.` (DATA, GREEDYDATA) stops at a newline.
    let regex = body;
    let groups = group_numbers(&regex, "the GROK pattern")?;
    if expander.outputs.is_empty() {
        return Err(PatternError::new("the GROK pattern extracts nothing")
            .with_help("name what to keep, e.g. \"%{IP:client} %{WORD:method}\""));
    }
    let mut fields = Vec::new();
    for (i, (name, ty)) in expander.outputs.iter().enumerate() {
        fields.push(Field {
            name: name.clone(),
            groups: vec![group_of(&groups, &format!("_p{i}"))?],
            separator: String::new(),
            ty: *ty,
        });
    }
    Ok(CompiledPattern { regex, fields })
}

struct Expander {
    /// The columns so far, in pattern order; column `i` is group `_pi`.
    outputs: Vec<(String, KType)>,
}

impl Expander {
    /// Expands `text` (the user's pattern, or the definition of `within`).
    fn expand(&mut self, text: &str, depth: usize, within: Option<&str>) -> Result<String> {
        if depth > MAX_DEPTH {
            return Err(PatternError::new(format!(
                "GROK pattern references nest more than {MAX_DEPTH} deep (at `{}`)",
                within.unwrap_or("?")
            ))
            .with_help("a pattern that refers to itself cannot be expanded"));
        }
        check_engine_limits(text)?;
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = next_special(rest) {
            out.push_str(&rest[..at]);
            rest = &rest[at..];
            if let Some(inner) = rest.strip_prefix("%{") {
                let Some(end) = inner.find('}') else {
                    return Err(PatternError::new(format!(
                        "the GROK pattern has an unclosed reference: `{rest}`"
                    ))
                    .with_help("close it with `}`, e.g. `%{WORD:method}`"));
                };
                out.push_str(&self.reference(&inner[..end], depth)?);
                rest = &inner[end + 1..];
            } else {
                // `(?<name>`: an Oniguruma named group is a column too.
                let inner = &rest[3..];
                let end = inner.find('>').unwrap_or(0);
                let name = &inner[..end];
                out.push_str(&format!("(?P<{}>", self.output(name, KType::String)?));
                rest = &inner[end + 1..];
            }
        }
        out.push_str(rest);
        Ok(out)
    }

    /// `SYNTAX[:SEMANTIC[:TYPE]]` → the expanded regex, captured when named.
    fn reference(&mut self, reference: &str, depth: usize) -> Result<String> {
        let mut parts = reference.splitn(3, ':');
        let syntax = parts.next().unwrap_or("");
        let semantic = parts.next();
        let ty = parts.next();
        let Some(definition) = grok_library::lookup(syntax) else {
            let mut err = PatternError::new(format!("unknown GROK pattern `{syntax}`"));
            err = match did_you_mean(syntax, pattern_names()) {
                Some(s) => err.with_help(format!("did you mean `{s}`?")),
                None => err.with_help(
                    "the patterns are listed in docs/esql.md (GROK), e.g. WORD, IP, NUMBER, GREEDYDATA",
                ),
            };
            return Err(err);
        };
        let ty = match ty {
            None => KType::String,
            Some(t) => match TYPES.iter().find(|(n, _)| *n == t) {
                Some((_, k)) => *k,
                None => {
                    let names: Vec<&str> = TYPES.iter().map(|(n, _)| *n).collect();
                    let mut err =
                        PatternError::new(format!("`%{{{reference}}}`: GROK has no type `{t}`"));
                    err = match did_you_mean(t, names.iter().copied()) {
                        Some(s) => err.with_help(format!(
                            "did you mean `{s}`? The types are {}",
                            names.join(", ")
                        )),
                        None => err.with_help(format!("the types are {}", names.join(", "))),
                    };
                    return Err(err);
                }
            },
        };
        let body = self.expand(definition, depth + 1, Some(syntax))?;
        match semantic {
            Some(name) if !name.is_empty() => {
                let group = self.output(name, ty)?;
                Ok(format!("(?P<{group}>{body})"))
            }
            _ => Ok(format!("(?:{body})")),
        }
    }

    /// Registers a capture for a column; its group is named `_pN`. A name
    /// given twice is one multi-valued column (as in Elasticsearch), so its
    /// captures must convert to the same type.
    fn output(&mut self, name: &str, ty: KType) -> Result<String> {
        if name.is_empty() {
            return Err(PatternError::new("a GROK field name is empty"));
        }
        if let Some((_, first)) = self.outputs.iter().find(|(n, _)| n == name) {
            if *first != ty {
                return Err(PatternError::new(format!(
                    "the GROK pattern names `{name}` twice with different types ({first} and {ty})"
                ))
                .with_help("a repeated name makes one multi-valued column: give it one type"));
            }
        }
        self.outputs.push((name.to_string(), ty));
        Ok(format!("_p{}", self.outputs.len() - 1))
    }
}

/// The offset of the next `%{` or `(?<name>` (not a look-behind `(?<=`/`(?<!`).
fn next_special(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    (0..bytes.len()).find(|&i| {
        bytes[i..].starts_with(b"%{")
            || (bytes[i..].starts_with(b"(?<")
                && !matches!(bytes.get(i + 3), Some(b'=' | b'!'))
                && text[i + 3..].contains('>'))
    })
}

/// Oniguruma syntax the `regex` crate lacks, said before it fails obscurely.
fn check_engine_limits(text: &str) -> Result<()> {
    let unsupported = [
        ("(?>", "atomic groups `(?>…)`"),
        ("(?=", "look-ahead `(?=…)`"),
        ("(?!", "negative look-ahead `(?!…)`"),
        ("(?<=", "look-behind `(?<=…)`"),
        ("(?<!", "negative look-behind `(?<!…)`"),
        ("\\k<", "back-references `\\k<name>`"),
    ];
    for (needle, what) in unsupported {
        if text.contains(needle) {
            return Err(PatternError::new(format!(
                "the GROK pattern uses {what}, which iishunt's regex engine does not support"
            ))
            .with_help(
                "iishunt runs Rust `regex` (RE2 syntax, linear time): no look-around, atomic \
                 groups or back-references; rewrite that part without them",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(pattern: &str, text: &str) -> Vec<(String, Option<String>)> {
        let c = compile(pattern).expect("compiles");
        let re = regex::Regex::new(&c.regex).expect("valid regex");
        let caps = re.captures(text);
        c.fields
            .iter()
            .map(|f| {
                let v = caps
                    .as_ref()
                    .and_then(|c| c.get(f.groups[0]))
                    .map(|m| m.as_str().to_string());
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
    fn every_library_pattern_compiles() {
        for name in pattern_names() {
            let c = compile(&format!("%{{{name}:x}}"));
            assert!(c.is_ok(), "{name}: {:?}", c.err());
        }
    }

    /// docs/esql.md lists the library: a pattern added here must be listed there.
    #[test]
    fn docs_list_every_pattern() {
        let docs = include_str!("../../../../docs/esql.md");
        let listed = docs
            .lines()
            .find(|l| l.starts_with("Named patterns: "))
            .unwrap_or_default();
        for name in pattern_names() {
            assert!(
                listed.contains(&format!("`{name}`")),
                "docs/esql.md does not list GROK pattern {name}"
            );
        }
    }

    #[test]
    fn nested_references_expand() {
        assert_eq!(
            run(
                "%{IP:client} %{WORD:method} %{URIPATHPARAM:request}",
                "10.0.1.50 GET /search?q=1"
            ),
            some(&[
                ("client", "10.0.1.50"),
                ("method", "GET"),
                ("request", "/search?q=1")
            ])
        );
        assert_eq!(
            run("%{EMAILADDRESS:mail}", "user carol@contoso.com logged on"),
            some(&[("mail", "carol@contoso.com")])
        );
        assert_eq!(
            run("\\[%{HTTPDATE:ts}\\]", "[08/Mar/2026:16:00:01 +0000]"),
            some(&[("ts", "08/Mar/2026:16:00:01 +0000")])
        );
        assert_eq!(
            run(
                "%{TIMESTAMP_ISO8601:ts} %{LOGLEVEL:level}",
                "2026-03-08T16:00:01Z WARN x"
            ),
            some(&[("ts", "2026-03-08T16:00:01Z"), ("level", "WARN")])
        );
    }

    #[test]
    fn ip_patterns_take_whole_addresses() {
        for ip in [
            "fe80::1%3",
            "::1",
            "2001:db8::8a2e:370:7334",
            "::ffff:192.0.2.1",
            "1:2:3:4:5:6:7:8",
        ] {
            assert_eq!(run("^%{IP:ip}$", ip), some(&[("ip", ip)]), "{ip}");
        }
        assert_eq!(run("^%{IPV4:ip}$", "1.2.3.256"), vec![("ip".into(), None)]);
    }

    #[test]
    fn types_and_named_groups() {
        let c = compile("%{NUMBER:n:int} %{NUMBER:r:double} (?<rest>.*)").expect("compiles");
        let tys: Vec<(String, KType)> = c.fields.iter().map(|f| (f.name.clone(), f.ty)).collect();
        assert_eq!(
            tys,
            vec![
                ("n".into(), KType::Int),
                ("r".into(), KType::Real),
                ("rest".into(), KType::String)
            ]
        );
        assert_eq!(
            run("(?<user>[a-z]+)@%{HOSTNAME:host}", "alice@contoso.com"),
            some(&[("user", "alice"), ("host", "contoso.com")])
        );
    }

    #[test]
    fn no_match_leaves_every_field_empty() {
        assert_eq!(
            run("%{IP:ip} %{INT:n}", "no address here"),
            vec![("ip".into(), None), ("n".into(), None)]
        );
    }

    #[test]
    fn errors_name_the_problem() {
        let e = compile("%{IPV5:x}").unwrap_err();
        assert_eq!(e.message, "unknown GROK pattern `IPV5`");
        assert!(
            e.help.as_deref().unwrap_or("").contains("did you mean"),
            "{e:?}"
        );
        let e = compile("%{INT:x:integer}").unwrap_err();
        assert!(e.message.contains("no type `integer`"), "{e:?}");
        let e = compile("(?<=a)%{WORD:w}").unwrap_err();
        assert!(e.message.contains("look-behind"), "{e:?}");
        let e = compile("%{WORD:a} %{INT:a:int}").unwrap_err();
        assert!(e.message.contains("twice with different types"), "{e:?}");
        // A repeated name is one multi-valued column: two captures of `a`.
        let c = compile("%{WORD:a} %{WORD:a}").expect("compiles");
        assert_eq!(c.fields.iter().filter(|f| f.name == "a").count(), 2);
        let e = compile("%{WORD}").unwrap_err();
        assert!(e.message.contains("extracts nothing"), "{e:?}");
        let e = compile("%{WORD:x").unwrap_err();
        assert!(e.message.contains("unclosed"), "{e:?}");
    }
}
