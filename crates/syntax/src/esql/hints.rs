//! What people type by mistake in ES|QL, and what to tell them: KQL operators
//! and commands (`has`, `!contains`, `summarize`), SQL habits (`SELECT`, `=` to
//! compare, `<>`, `&&`, single quotes), keywords used as names, and misspelled
//! commands answered with did-you-mean (`STAST` → `STATS`). Called by
//! [`errors`](super::errors) at a pest failure and by the lowering for words
//! that stand where a command belongs.

use super::errors::error;
use crate::ast::Span;
use crate::error::SyntaxError;

/// KQL operators an ES|QL user may type out of habit, with the ES|QL way.
const KQL_OPERATORS: &[(&str, &str)] = &[
    ("has", "`field LIKE \"*term*\"` (ES|QL has no `has`)"),
    ("has_cs", "`field LIKE \"*term*\"`"),
    (
        "has_any",
        "`field IN (\"a\", \"b\")` or `field LIKE (\"*a*\", \"*b*\")`",
    ),
    ("has_all", "`field LIKE \"*a*\" AND field LIKE \"*b*\"`"),
    ("contains", "`field LIKE \"*text*\"`"),
    ("contains_cs", "`field LIKE \"*text*\"`"),
    (
        "startswith",
        "`STARTS_WITH(field, \"text\")` or `field LIKE \"text*\"`",
    ),
    ("startswith_cs", "`STARTS_WITH(field, \"text\")`"),
    (
        "endswith",
        "`ENDS_WITH(field, \"text\")` or `field LIKE \"*text\"`",
    ),
    ("endswith_cs", "`ENDS_WITH(field, \"text\")`"),
    ("hasprefix", "`field LIKE \"text*\"`"),
    ("hassuffix", "`field LIKE \"*text\"`"),
    (
        "matches",
        "`field RLIKE \"regex\"` (the regex must match the whole value)",
    ),
    ("between", "`field >= low AND field <= high`"),
];

/// Words that start SQL clauses, and what ES|QL uses instead.
const SQL_WORDS: &[(&str, &str)] = &[
    ("select", "KEEP (choose columns) or EVAL (compute columns)"),
    ("group", "STATS … BY …"),
    ("order", "SORT field [ASC|DESC]"),
    ("having", "a WHERE after STATS"),
    ("join", "LOOKUP JOIN index ON field"),
    ("distinct", "STATS BY field"),
    ("insert", "nothing: ES|QL only reads"),
    ("update", "nothing: ES|QL only reads"),
    ("delete", "nothing: ES|QL only reads"),
    ("with", "EVAL for named values"),
    ("union", "FROM a, b"),
    ("top", "SORT … | LIMIT n"),
];

/// KQL tabular operators, and the ES|QL command that does the same.
const KQL_COMMANDS: &[(&str, &str)] = &[
    ("summarize", "STATS aggregates BY keys"),
    ("extend", "EVAL name = expression"),
    ("project", "KEEP fields (or EVAL + KEEP to compute)"),
    ("project-away", "DROP fields"),
    ("project-keep", "KEEP fields"),
    ("project-rename", "RENAME old AS new"),
    ("project-reorder", "KEEP fields in the order you want"),
    ("take", "LIMIT n"),
    ("order", "SORT field DESC"),
    ("top", "SORT field DESC | LIMIT n"),
    ("count", "STATS count()"),
    ("distinct", "STATS BY fields"),
    ("mv-expand", "MV_EXPAND field"),
    ("mvexpand", "MV_EXPAND field"),
    ("parse", "DISSECT field \"%{a} %{b}\" or GROK"),
    ("extract", "GROK field \"%{PATTERN:name}\""),
    ("join", "LOOKUP JOIN index ON field"),
    ("lookup", "LOOKUP JOIN index ON field"),
    ("union", "FROM a, b"),
    (
        "render",
        "nothing: ES|QL has no charts; iishunt's CLI can chart a result",
    ),
    ("make-series", "STATS … BY BUCKET(@timestamp, 1 hour)"),
    ("let", "EVAL name = value"),
    ("filter", "WHERE condition"),
    ("search", "WHERE field LIKE \"*text*\""),
];

/// ES|QL commands iishunt knows but does not run.
const UNSUPPORTED_COMMANDS: &[&str] = &[
    "inlinestats",
    "inline",
    "fork",
    "change_point",
    "completion",
    "rerank",
    "sample",
    "rrf",
    "fuse",
    "show",
    "meta",
    "explain",
    "metrics",
    "ts",
    "insist_",
    "set",
];

/// Commands accepted after `|` (lower-case, as typed), for did-you-mean.
const PROCESSING_COMMANDS: &[&str] = &[
    "where",
    "eval",
    "stats",
    "keep",
    "drop",
    "rename",
    "sort",
    "limit",
    "dissect",
    "grok",
    "mv_expand",
    "enrich",
    "lookup",
];

/// An unknown word where a command belongs (`at_source`: the first command).
pub(crate) fn unknown_command(text: &str, word: &str, span: Span, at_source: bool) -> SyntaxError {
    let lower = word.to_ascii_lowercase();
    let rest = text[span.end.min(text.len())..].trim_start();
    if word == "|" && !at_source {
        return error(
            "esql::syntax",
            Span::new(span.start.saturating_sub(1), span.end),
            "`||` is not ES|QL".to_string(),
            "use OR",
            Some("write `OR`; a single `|` starts the next command".to_string()),
        );
    }
    if lower == "order" && !at_source {
        return sql_in_esql(
            span,
            word,
            "`ORDER BY` is SQL and KQL; in ES|QL write `SORT field DESC`",
        );
    }
    if word.is_empty() || !word.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        let shown = if word.is_empty() {
            "the end of the query".to_string()
        } else {
            format!("`{word}`")
        };
        return if at_source {
            error(
                "esql::expected_source",
                span,
                format!("an ES|QL query starts with FROM or ROW, found {shown}"),
                "expected FROM or ROW here",
                Some("for example `FROM logs-iis.access-* | LIMIT 10`".to_string()),
            )
        } else {
            error(
                "esql::expected_command",
                span,
                format!("expected a command after `|`, found {shown}"),
                "expected a command here",
                Some(format!("commands: {}", super::COMMANDS[2..].join(", "))),
            )
        };
    }
    if UNSUPPORTED_COMMANDS.contains(&lower.as_str()) {
        return error(
            "esql::unsupported_command",
            span,
            format!(
                "`{}` is an ES|QL command iishunt does not support",
                word.to_ascii_uppercase()
            ),
            "not supported",
            Some(format!(
                "supported commands: {}",
                super::COMMANDS.join(", ")
            )),
        );
    }
    if at_source {
        if lower == "select" || lower == "with" {
            return sql_in_esql(span, word, "ES|QL starts with `FROM index`, then pipes: `FROM logs-iis.access-* | WHERE … | KEEP …`");
        }
        if let Some(best) = did_you_mean(&lower, &["from", "row"]) {
            return misspelled(span, word, best);
        }
        if lower == "let" || rest.starts_with('|') || rest.is_empty() {
            return error(
                "esql::kql_in_esql",
                span,
                format!("`{word}` looks like KQL: ES|QL queries start with FROM or ROW"),
                "not an ES|QL source command",
                Some(format!(
                    "run it as KQL (`--dialect kql`), or in ES|QL write `FROM logs-iis.access-*`{}",
                    if word.eq_ignore_ascii_case("W3CIISLog") {
                        ""
                    } else {
                        " (or another index pattern)"
                    }
                )),
            );
        }
        return error(
            "esql::expected_source",
            span,
            format!("an ES|QL query starts with FROM or ROW, found `{word}`"),
            "expected FROM or ROW here",
            Some("for example `FROM logs-iis.access-* | LIMIT 10`".to_string()),
        );
    }
    if let Some((_, instead)) = KQL_COMMANDS.iter().find(|(k, _)| *k == lower) {
        // `order by` / `sort by` are both KQL and SQL-ish; either way SORT.
        return error(
            "esql::kql_in_esql",
            span,
            format!("`{word}` is KQL, not ES|QL"),
            "a KQL operator",
            Some(format!("in ES|QL write {instead}")),
        );
    }
    if let Some((_, instead)) = SQL_WORDS.iter().find(|(k, _)| *k == lower) {
        return sql_in_esql(span, word, &format!("in ES|QL write {instead}"));
    }
    let mut candidates: Vec<&str> = PROCESSING_COMMANDS.to_vec();
    if lower.len() > 3 {
        candidates.extend(KQL_COMMANDS.iter().map(|(k, _)| *k));
    }
    if let Some(best) = did_you_mean(&lower, &candidates) {
        if PROCESSING_COMMANDS.contains(&best) {
            return misspelled(span, word, best);
        }
        if let Some((k, instead)) = KQL_COMMANDS.iter().find(|(k, _)| *k == best) {
            return error(
                "esql::kql_in_esql",
                span,
                format!("`{word}` is not an ES|QL command (it looks like KQL's `{k}`)"),
                "unknown command",
                Some(format!("in ES|QL write {instead}")),
            );
        }
    }
    error(
        "esql::unknown_command",
        span,
        format!("`{word}` is not an ES|QL command"),
        "unknown command",
        Some(format!("commands: {}", super::COMMANDS.join(", "))),
    )
}

fn misspelled(span: Span, word: &str, best: &str) -> SyntaxError {
    let shown = if best == "lookup" {
        "LOOKUP JOIN".to_string()
    } else {
        best.to_ascii_uppercase()
    };
    error(
        "esql::unknown_command",
        span,
        format!("`{word}` is not an ES|QL command"),
        "unknown command",
        Some(format!("did you mean `{shown}`?")),
    )
}

fn sql_in_esql(span: Span, word: &str, help: &str) -> SyntaxError {
    error(
        "esql::sql_in_esql",
        span,
        format!("`{word}` is SQL, not ES|QL"),
        "SQL syntax",
        Some(help.to_string()),
    )
}

/// Checks the text at a pest failure for the slips people make most.
pub(crate) fn slip(text: &str, pos: usize, found: &str, span: Span) -> Option<SyntaxError> {
    let lower = found.to_ascii_lowercase();
    let before = text[..pos].trim_end();
    let prev_word: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect::<String>()
        .to_ascii_lowercase();
    if found == "\0" {
        return Some(error(
            "esql::nul_byte",
            span,
            "the query contains a NUL byte".to_string(),
            "NUL byte here",
            Some("remove it; it usually comes from copying binary data".to_string()),
        ));
    }
    // `!has`, `!contains`, `!in`, `!startswith`, `!~`
    if let Some(after) = text[pos..].strip_prefix('!') {
        let word: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let w = word.to_ascii_lowercase();
        if w == "in" || w == "in~" || KQL_OPERATORS.iter().any(|(k, _)| *k == w) {
            let instead = if w == "in" {
                "`field NOT IN (…)`".to_string()
            } else {
                KQL_OPERATORS
                    .iter()
                    .find(|(k, _)| *k == w)
                    .map(|(_, i)| format!("NOT ({})", i.trim_matches('`')))
                    .unwrap_or_default()
            };
            return Some(error(
                "esql::kql_in_esql",
                Span::new(pos, pos + 1 + word.len()),
                format!("`!{word}` is KQL, not ES|QL"),
                "a KQL operator",
                Some(format!("in ES|QL write {instead}")),
            ));
        }
    }
    if let Some((k, instead)) = KQL_OPERATORS.iter().find(|(k, _)| *k == lower) {
        return Some(error(
            "esql::kql_in_esql",
            span,
            format!("`{found}` is a KQL operator, not ES|QL"),
            "a KQL operator",
            Some(format!(
                "in ES|QL write {instead}{}",
                if *k == "has" {
                    "; LIKE is case-sensitive, wrap the field in TO_LOWER() to ignore case"
                } else {
                    ""
                }
            )),
        ));
    }
    if lower == "in" && text[pos + 2..].starts_with('~') {
        return Some(error(
            "esql::kql_in_esql",
            Span::new(pos, pos + 3),
            "`in~` is KQL, not ES|QL".to_string(),
            "a KQL operator",
            Some(
                "in ES|QL write `TO_LOWER(field) IN (\"a\", \"b\")` with lower-case values"
                    .to_string(),
            ),
        ));
    }
    let help = |code: &'static str, msg: &str, label: &str, h: &str| {
        Some(error(
            code,
            span,
            msg.to_string(),
            label,
            Some(h.to_string()),
        ))
    };
    match found {
        "&&" => {
            return help(
                "esql::syntax",
                "`&&` is not ES|QL",
                "use AND",
                "write `AND`",
            )
        }
        "<>" => {
            return help(
                "esql::sql_in_esql",
                "`<>` is SQL, not ES|QL",
                "use !=",
                "write `!=`",
            )
        }
        "!~" => {
            return help(
                "esql::kql_in_esql",
                "`!~` is KQL, not ES|QL",
                "not ES|QL",
                "write `NOT (a =~ b)`",
            )
        }
        "'" => {
            return help(
                "esql::single_quotes",
                "ES|QL strings are written in double quotes",
                "single quote",
                "write \"text\" instead of 'text'",
            )
        }
        ">" if before.ends_with('<') && text[..pos].ends_with('<') => {
            return Some(error(
                "esql::sql_in_esql",
                Span::new(pos - 1, pos + 1),
                "`<>` is SQL, not ES|QL".to_string(),
                "use !=",
                Some("write `!=`".to_string()),
            ))
        }
        "=" => {
            return help(
                "esql::single_equals",
                "`=` names a column; to compare, write `==`",
                "use == to compare",
                "write `field == value`",
            )
        }
        "|" if before.ends_with('|') => {
            return Some(error(
                "esql::syntax",
                Span::new(pos - 1, pos + 1),
                "`||` is not ES|QL".to_string(),
                "use OR",
                Some("write `OR`; a single `|` starts the next command".to_string()),
            ))
        }
        _ => {}
    }
    const RESERVED: &[&str] = &[
        "and", "or", "not", "in", "like", "rlike", "is", "by", "as", "null", "true", "false",
        "asc", "desc", "nulls",
    ];
    const TAKES_NAMES: &[&str] = &[
        "eval", "stats", "keep", "drop", "rename", "row", "by", "where",
    ];
    if RESERVED.contains(&lower.as_str())
        && (before.ends_with('=')
            || before.ends_with(',')
            || TAKES_NAMES.contains(&prev_word.as_str()))
    {
        return Some(error(
            "esql::reserved_word",
            span,
            format!("`{found}` is an ES|QL keyword, not a name"),
            "keyword",
            Some(format!(
                "to use it as a field name, quote it: `` `{found}` ``"
            )),
        ));
    }
    if lower == "by" && prev_word == "sort" {
        return help(
            "esql::syntax",
            "ES|QL's SORT takes no BY",
            "remove BY",
            "write `SORT field DESC`",
        );
    }
    if lower == "by" && prev_word == "order" {
        return help(
            "esql::sql_in_esql",
            "`ORDER BY` is SQL or KQL, not ES|QL",
            "not ES|QL",
            "write `SORT field DESC`",
        );
    }
    None
}

/// The closest candidate within a small edit distance (transpositions count 1).
pub(crate) fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let limit = if word.chars().count() <= 4 { 1 } else { 2 };
    candidates
        .iter()
        .map(|c| (osa_distance(word, c), *c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Optimal string alignment distance over chars.
fn osa_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > 3 || a.len() > 64 {
        return usize::MAX;
    }
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_you_mean_finds_transpositions_and_typos() {
        assert_eq!(did_you_mean("stast", PROCESSING_COMMANDS), Some("stats"));
        assert_eq!(did_you_mean("wehre", PROCESSING_COMMANDS), Some("where"));
        assert_eq!(did_you_mean("evl", PROCESSING_COMMANDS), Some("eval"));
        assert_eq!(
            did_you_mean("mv_expnad", PROCESSING_COMMANDS),
            Some("mv_expand")
        );
        assert_eq!(did_you_mean("banana", PROCESSING_COMMANDS), None);
    }
}
