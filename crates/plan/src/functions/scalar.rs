//! Scalar functions: one entry per function, grouped by family (one file per
//! family under `scalar/`), in the order of docs/functions.md. Operators are
//! entries too, with internal names starting `__` that the docs leave out.
//! ES|QL-only entries are named `esql_<name>`: the ES|QL binder tries that name
//! first, so `substring` means ES|QL's 1-based substring there and Kusto's
//! 0-based one in KQL.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::{Arity, ReturnTypeFn};

mod conditional;
mod conversion;
mod datetime;
mod dynamic;
mod esql;
mod esql_convert;
mod esql_math;
mod esql_mv;
mod esql_ops;
mod esql_period;
mod esql_text;
mod geo;
mod ip;
mod math;
mod operators;
mod parsing;
mod series;
mod sig;
mod sketch;
mod special;
mod strings;

/// An entry with no alias and not volatile, as most families write theirs
/// (each imports it as `f` to keep its table one line per function).
const fn unaliased(
    name: &'static str,
    arity: Arity,
    return_type: ReturnTypeFn,
    doc: &'static str,
    example: &'static str,
) -> ScalarFunction {
    ScalarFunction {
        name,
        aliases: &[],
        arity,
        return_type,
        volatile: false,
        doc,
        example,
    }
}

/// A scalar function as the binder and the docs see it. Its kernel is in
/// `iishunt-exec`, keyed by `name`.
pub struct ScalarFunction {
    /// The canonical (current Kusto) name.
    pub name: &'static str,
    /// Old or ES|QL names resolved to this entry (`arraylength`, `to_lower`, …).
    pub aliases: &'static [&'static str],
    pub arity: Arity,
    pub return_type: ReturnTypeFn,
    /// `now()`, `rand()`: not folded or evaluated per dictionary value.
    pub volatile: bool,
    /// One paragraph for docs/functions.md and the REPL.
    pub doc: &'static str,
    /// A short usage example, e.g. `strcat(scStatus, ".", scSubStatus)`.
    pub example: &'static str,
}

/// A family of scalar functions: one section of docs/functions.md.
pub struct ScalarFamily {
    pub title: &'static str,
    /// One paragraph introducing the family in the docs.
    pub intro: &'static str,
    pub functions: &'static [ScalarFunction],
}

/// The families in docs order.
pub fn scalar_families() -> &'static [ScalarFamily] {
    static FAMILIES: &[ScalarFamily] = &[
        operators::FAMILY,
        conditional::FAMILY,
        conversion::FAMILY,
        strings::FAMILY,
        parsing::FAMILY,
        datetime::FAMILY,
        math::FAMILY,
        special::FAMILY,
        dynamic::FAMILY,
        series::FAMILY,
        sketch::FAMILY,
        ip::FAMILY,
        geo::FAMILY,
        esql::FAMILY,
        esql_math::FAMILY,
        esql_text::FAMILY,
        esql_convert::FAMILY,
        esql_mv::FAMILY,
        esql_period::FAMILY,
        esql_ops::FAMILY,
    ];
    FAMILIES
}

/// Every scalar function, operators (names starting `__`) included.
pub fn scalar_functions() -> &'static [ScalarFunction] {
    static FLAT: OnceLock<&'static [ScalarFunction]> = OnceLock::new();
    FLAT.get_or_init(|| {
        // The families are separate statics; one contiguous slice needs a copy
        // of the (small, `Copy`-able by hand) entries, made once.
        let all: Vec<ScalarFunction> = scalar_families()
            .iter()
            .flat_map(|f| f.functions.iter())
            .map(|f| ScalarFunction {
                name: f.name,
                aliases: f.aliases,
                arity: f.arity,
                return_type: f.return_type,
                volatile: f.volatile,
                doc: f.doc,
                example: f.example,
            })
            .collect();
        Box::leak(all.into_boxed_slice())
    })
}

/// The entry whose name or alias is `name` (case-sensitive, as Kusto).
pub fn lookup_scalar(name: &str) -> Option<&'static ScalarFunction> {
    static INDEX: OnceLock<HashMap<&'static str, usize>> = OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let mut map = HashMap::new();
        for (i, f) in scalar_functions().iter().enumerate() {
            for n in std::iter::once(&f.name).chain(f.aliases.iter()) {
                map.entry(*n).or_insert(i);
            }
        }
        map
    });
    index.get(name).map(|&i| &scalar_functions()[i])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::KType;

    #[test]
    fn names_and_aliases_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for f in scalar_functions() {
            for n in std::iter::once(&f.name).chain(f.aliases.iter()) {
                assert!(seen.insert(*n), "duplicate scalar function name `{n}`");
            }
        }
    }

    #[test]
    fn every_entry_has_docs_and_an_example() {
        for f in scalar_functions() {
            if f.name.starts_with("__") {
                continue;
            }
            assert!(!f.doc.is_empty(), "{} has no doc", f.name);
            assert!(!f.example.is_empty(), "{} has no example", f.name);
        }
    }

    /// The docs' examples are real syntax: each parses inside a query of its dialect.
    #[test]
    fn examples_parse() {
        use iishunt_syntax::ast::Dialect;
        let mut failures = Vec::new();
        for f in scalar_functions()
            .iter()
            .filter(|f| !f.name.starts_with("__"))
        {
            let (query, dialect) = match f.name.strip_prefix("esql_") {
                Some(_) => (format!("ROW x = {}", f.example), Dialect::Esql),
                None => (format!("print x = {}", f.example), Dialect::Kql),
            };
            if let Err(e) = iishunt_syntax::parse(&query, dialect) {
                failures.push(format!("{}: {query}: {}", f.name, e.message));
            }
        }
        assert!(
            failures.is_empty(),
            "examples that do not parse:\n{}",
            failures.join("\n")
        );
    }

    #[test]
    fn return_types_validate_in_hunter_words() {
        let tohex = lookup_scalar("tohex").expect("tohex");
        assert_eq!(
            (tohex.return_type)(&[KType::String]),
            Err("tohex expects a number, got string".to_string())
        );
        assert_eq!((tohex.return_type)(&[KType::Long]), Ok(KType::String));
        let add = lookup_scalar("__add").expect("__add");
        assert_eq!((add.return_type)(&[KType::Int, KType::Int]), Ok(KType::Int));
        assert_eq!(
            (add.return_type)(&[KType::Int, KType::Long]),
            Ok(KType::Long)
        );
        assert_eq!(
            (add.return_type)(&[KType::Long, KType::Real]),
            Ok(KType::Real)
        );
        assert_eq!(
            (add.return_type)(&[KType::DateTime, KType::TimeSpan]),
            Ok(KType::DateTime)
        );
        let sub = lookup_scalar("__sub").expect("__sub");
        assert_eq!(
            (sub.return_type)(&[KType::DateTime, KType::DateTime]),
            Ok(KType::TimeSpan)
        );
        let div = lookup_scalar("__div").expect("__div");
        assert_eq!(
            (div.return_type)(&[KType::TimeSpan, KType::TimeSpan]),
            Ok(KType::Real)
        );
        assert!((add.return_type)(&[KType::String, KType::Long]).is_err());
        let eq = lookup_scalar("__eq").expect("__eq");
        assert_eq!(
            (eq.return_type)(&[KType::Int, KType::Real]),
            Ok(KType::Bool)
        );
        assert!((eq.return_type)(&[KType::String, KType::Long]).is_err());
        assert_eq!(
            lookup_scalar("arraylength").map(|f| f.name),
            Some("array_length")
        );
        assert_eq!(lookup_scalar("iif").map(|f| f.name), Some("iff"));
    }
}
