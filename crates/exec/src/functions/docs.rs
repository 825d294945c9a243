//! docs/functions.md, generated from the registry (functions are data): one
//! section per family, one entry per function with its aliases, arity, doc and
//! example. The test `functions_md_is_current` keeps the committed file in
//! step; `IISHUNT_BLESS=1` rewrites it.

use std::fmt::Write as _;

use iishunt_plan::functions::scalar::{scalar_families, ScalarFunction};
use iishunt_plan::functions::Arity;

fn arity_words(a: Arity) -> String {
    match a.max {
        Some(m) if m == a.min => format!("{m} argument{}", if m == 1 { "" } else { "s" }),
        Some(m) => format!("{} to {m} arguments", a.min),
        None => format!("{} or more arguments", a.min),
    }
}

/// ES|QL-only entries are shown as ES|QL writes them: `CASE`, `MV_COUNT`.
fn shown_name(f: &ScalarFunction) -> String {
    match f.name.strip_prefix("esql_") {
        Some(n) => n.to_uppercase(),
        None => f.name.to_string(),
    }
}

fn anchor(title: &str) -> String {
    title
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            'a'..='z' | '0'..='9' => Some(c),
            ' ' | '-' => Some('-'),
            _ => None,
        })
        .collect()
}

/// The markdown reference of every documented scalar function.
pub fn render_functions_md() -> String {
    let mut out = String::new();
    out.push_str("# Scalar functions\n\n");
    out.push_str(
        "<!-- Generated from the function registry (crates/plan/src/functions/scalar/) by\n     \
         `IISHUNT_BLESS=1 cargo test -p iishunt-exec functions_md_is_current`. Do not edit by hand. -->\n\n",
    );
    out.push_str(
        "Every scalar function iishunt knows, by family. Names are case-sensitive in KQL (as in Kusto) and \
         case-insensitive in ES|QL. Old Kusto names and ES|QL names that mean the same thing are listed as \
         aliases. Aggregates (`count`, `make_set`, `values`, …) are in docs/kql.md and docs/esql.md; how \
         types convert, how nulls and empty strings behave and what each operator does is in \
         docs/semantics.md.\n\n",
    );
    for fam in scalar_families() {
        let visible: Vec<&ScalarFunction> = fam
            .functions
            .iter()
            .filter(|f| !f.name.starts_with("__"))
            .collect();
        if visible.is_empty() {
            continue;
        }
        let names: Vec<String> = visible
            .iter()
            .map(|f| format!("`{}`", shown_name(f)))
            .collect();
        let _ = writeln!(
            out,
            "- [{}](#{}): {}",
            fam.title,
            anchor(fam.title),
            names.join(", ")
        );
    }
    out.push('\n');
    for fam in scalar_families() {
        let visible: Vec<&ScalarFunction> = fam
            .functions
            .iter()
            .filter(|f| !f.name.starts_with("__"))
            .collect();
        if visible.is_empty() {
            continue;
        }
        let _ = writeln!(out, "## {}\n\n{}\n", fam.title, fam.intro);
        for f in visible {
            let _ = writeln!(out, "### `{}`\n", shown_name(f));
            let mut meta = arity_words(f.arity);
            if !f.aliases.is_empty() {
                let a: Vec<String> = f.aliases.iter().map(|a| format!("`{a}`")).collect();
                let _ = write!(meta, " · aliases: {}", a.join(", "));
            }
            if f.volatile {
                meta.push_str(" · volatile (evaluated once per query)");
            }
            let _ = writeln!(out, "{meta}\n\n{}\n\nExample: `{}`\n", f.doc, f.example);
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn functions_md_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/functions.md");
        let want = super::render_functions_md();
        if std::env::var_os("IISHUNT_BLESS").is_some() {
            std::fs::write(path, &want).expect("write docs/functions.md");
            return;
        }
        let have = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            have == want,
            "docs/functions.md is out of date with the function registry: run \
             `IISHUNT_BLESS=1 cargo test -p iishunt-exec functions_md_is_current` and commit the file"
        );
    }
}
