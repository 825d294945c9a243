//! Tab completion that knows where the cursor is: command names after a
//! leading `.`; tables at the start of a query (index patterns after ES|QL
//! `FROM`); operators right after `|`; otherwise columns of the query's
//! table, names the query defined (`extend X =`, `let x =`), functions and
//! keywords. Pure functions over the text, so they are unit-tested without
//! a terminal.

use iishunt::Dialect;

/// What the engine offers for completion, sorted into kinds.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// Table name → its columns.
    pub tables: Vec<(String, Vec<String>)>,
    /// Functions, keywords and anything else the engine offers.
    pub words: Vec<String>,
    /// ES|QL field names (ECS) of the `logs-iis.*` data streams.
    pub esql_fields: Vec<String>,
}

pub const KQL_OPERATORS: &[&str] = &[
    "as",
    "count",
    "distinct",
    "extend",
    "facet",
    "fork",
    "getschema",
    "join",
    "limit",
    "make-series",
    "mv-expand",
    "order by",
    "parse",
    "print",
    "project",
    "project-away",
    "project-keep",
    "project-rename",
    "project-reorder",
    "render",
    "sample",
    "search",
    "sort by",
    "summarize",
    "take",
    "top",
    "union",
    "where",
];

pub const ESQL_COMMANDS: &[&str] = &[
    "dissect",
    "drop",
    "enrich",
    "eval",
    "grok",
    "keep",
    "limit",
    "lookup join",
    "mv_expand",
    "rename",
    "sort",
    "stats",
    "where",
];

pub const ESQL_SOURCES: &[&str] = &["logs-iis.access-*", "logs-iis.error-*"];

pub const KQL_KEYWORDS: &[&str] = &[
    "and",
    "or",
    "not",
    "by",
    "asc",
    "desc",
    "nulls first",
    "nulls last",
    "has",
    "!has",
    "contains",
    "!contains",
    "startswith",
    "endswith",
    "matches regex",
    "in",
    "!in",
    "in~",
    "has_any",
    "between",
    "ago",
    "now",
    "datetime",
    "timespan",
    "dynamic",
    "true",
    "false",
    "with",
    "timechart",
    "columnchart",
    "barchart",
    "piechart",
    "areachart",
    "scatterchart",
    "linechart",
];

pub const ESQL_KEYWORDS: &[&str] = &[
    "BY",
    "AND",
    "OR",
    "NOT",
    "LIKE",
    "RLIKE",
    "IN",
    "IS NULL",
    "IS NOT NULL",
    "ASC",
    "DESC",
    "NULLS FIRST",
    "NULLS LAST",
    "AS",
    "METADATA",
    "true",
    "false",
    "null",
];

pub const ESQL_FUNCTIONS: &[&str] = &[
    "AVG",
    "BUCKET",
    "CASE",
    "COALESCE",
    "CONCAT",
    "COUNT",
    "COUNT_DISTINCT",
    "DATE_DIFF",
    "DATE_EXTRACT",
    "DATE_FORMAT",
    "DATE_PARSE",
    "DATE_TRUNC",
    "ENDS_WITH",
    "LEFT",
    "LENGTH",
    "MAX",
    "MEDIAN",
    "MIN",
    "MV_COUNT",
    "MV_DEDUPE",
    "NOW",
    "PERCENTILE",
    "RIGHT",
    "ROUND",
    "SPLIT",
    "STARTS_WITH",
    "SUBSTRING",
    "SUM",
    "TO_DATETIME",
    "TO_DOUBLE",
    "TO_INTEGER",
    "TO_IP",
    "TO_LONG",
    "TO_LOWER",
    "TO_STRING",
    "TO_UPPER",
    "TRIM",
    "VALUES",
];

pub const COMMANDS: &[&str] = &[
    ".help", ".tables", ".schema", ".dialect", ".format", ".timing", ".now", ".output", ".read",
    ".quit",
];

/// Completions for `line` with the cursor at byte `pos`: the byte where the
/// replaced word starts and the candidates.
pub fn complete(
    line: &str,
    pos: usize,
    dialect: Dialect,
    vocab: &Vocabulary,
) -> (usize, Vec<String>) {
    let pos = floor_boundary(line, pos);
    let before = &line[..pos];
    let start = before
        .char_indices()
        .rev()
        .find(|(_, c)| !is_word_char(*c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before[start..];
    let candidates: Vec<String> = candidates_for(before, start, dialect, vocab);
    let lower = word.to_ascii_lowercase();
    let mut out: Vec<String> = candidates
        .into_iter()
        .filter(|c| c.to_ascii_lowercase().starts_with(&lower))
        .collect();
    out.sort_by_key(|c| c.to_ascii_lowercase());
    out.dedup();
    (start, out)
}

fn floor_boundary(s: &str, mut pos: usize) -> usize {
    pos = pos.min(s.len());
    while !s.is_char_boundary(pos) {
        pos -= 1;
    }
    pos
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '@' | '*')
}

fn candidates_for(before: &str, start: usize, dialect: Dialect, vocab: &Vocabulary) -> Vec<String> {
    let head = &before[..start];
    // REPL commands.
    let trimmed = before.trim_start();
    if trimmed.starts_with('.') {
        let mut parts = trimmed.split_whitespace();
        let cmd = parts.next().unwrap_or("");
        if !trimmed.contains(char::is_whitespace) {
            return owned(COMMANDS);
        }
        return match cmd {
            ".schema" => vocab.tables.iter().map(|(t, _)| t.clone()).collect(),
            ".dialect" => owned(&["kql", "esql", "auto"]),
            ".format" => owned(&["table", "csv", "json", "ndjson"]),
            ".timing" => owned(&["on", "off"]),
            ".now" => owned(&["latest", "wall"]),
            _ => Vec::new(),
        };
    }
    let segment_start = last_pipe(head);
    let segment = &head[segment_start.map_or(0, |p| p + 1)..];
    let first_token = segment.trim().is_empty();
    let columns = || -> Vec<String> {
        // After a `project` or `summarize`, only its output columns exist.
        let mut out: Vec<String> = reshaped_columns(head).unwrap_or_else(|| {
            query_table(before, vocab)
                .map(|(_, cols)| cols.clone())
                .unwrap_or_else(|| vocab.tables.iter().flat_map(|(_, c)| c.clone()).collect())
        });
        out.extend(defined_names(before));
        out.extend(vocab.words.iter().cloned());
        out.extend(owned(KQL_KEYWORDS));
        out
    };
    match (dialect, segment_start, first_token) {
        // The start of a query: a table (KQL), or a source command (ES|QL).
        (Dialect::Kql, None, true) => {
            let mut t: Vec<String> = vocab.tables.iter().map(|(t, _)| t.clone()).collect();
            t.extend(owned(&["let", "print", "union", "search", "find"]));
            t
        }
        (Dialect::Esql, None, true) => owned(&["FROM", "ROW", "SHOW"]),
        (Dialect::Esql, None, false)
            if segment.trim().eq_ignore_ascii_case("from") || segment.trim_end().ends_with(',') =>
        {
            owned(ESQL_SOURCES)
        }
        (Dialect::Kql, Some(_), true) => owned(KQL_OPERATORS),
        (Dialect::Esql, Some(_), true) => owned(ESQL_COMMANDS),
        (Dialect::Esql, _, _) => {
            let mut out = vocab.esql_fields.clone();
            out.extend(defined_names(before));
            out.extend(owned(ESQL_FUNCTIONS));
            out.extend(owned(ESQL_KEYWORDS));
            out
        }
        // A `let` statement's value, or after `;`: tables again.
        (Dialect::Kql, None, false) if head.trim_end().ends_with(';') => {
            vocab.tables.iter().map(|(t, _)| t.clone()).collect()
        }
        _ => columns(),
    }
}

fn owned(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| (*w).to_string()).collect()
}

/// The text split at `|` outside strings.
fn pipe_segments(text: &str) -> Vec<&str> {
    let mut quote: Option<char> = None;
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '|' => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            None => {}
        }
    }
    out.push(&text[start..]);
    out
}

/// Top-level comma-separated items of an operator's arguments.
fn items(text: &str) -> Vec<&str> {
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '"' | '\'' => quote = Some(c),
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth -= 1,
                ',' if depth == 0 => {
                    out.push(text[start..i].trim());
                    start = i + 1;
                }
                _ => {}
            },
        }
    }
    out.push(text[start..].trim());
    out.into_iter().filter(|s| !s.is_empty()).collect()
}

/// The name Kusto gives one `project`/`summarize` item: `Name = …` → `Name`;
/// a column → itself; `bin(X, 1h)` → `X`; `count()` → `count_`;
/// `make_set(x)` / `makeset(x)` → `set_x`; `f(x)` → `f_x`.
fn item_name(item: &str) -> Option<String> {
    let ident = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
    };
    if let Some((name, rest)) = item.split_once('=') {
        if !rest.starts_with('=') && ident(name.trim()) {
            return Some(name.trim().to_string());
        }
    }
    if ident(item) {
        return Some(item.to_string());
    }
    let (func, args) = item.split_once('(')?;
    let func = func.trim().to_ascii_lowercase();
    let arg = args.split([',', ')']).next().unwrap_or("").trim();
    Some(match func.as_str() {
        "bin" | "floor" | "bin_at" => arg.to_string(),
        "count" if arg.is_empty() => "count_".to_string(),
        "make_set" | "makeset" => format!("set_{arg}"),
        "make_list" | "makelist" => format!("list_{arg}"),
        _ if arg.is_empty() => format!("{func}_"),
        _ => format!("{func}_{arg}"),
    })
}

/// The columns the last `project` or `summarize` before the cursor leaves,
/// or `None` when there is none (the table's columns still apply).
fn reshaped_columns(head: &str) -> Option<Vec<String>> {
    let segments = pipe_segments(head);
    let done = &segments[..segments.len().saturating_sub(1)];
    for seg in done.iter().rev() {
        let t = seg.trim();
        let (word, rest) = t.split_once(char::is_whitespace).unwrap_or((t, ""));
        match word {
            "project" => return Some(items(rest).into_iter().filter_map(item_name).collect()),
            "summarize" => {
                let (aggs, by) = split_by(rest);
                let mut out: Vec<String> = items(by).into_iter().filter_map(item_name).collect();
                out.extend(items(aggs).into_iter().filter_map(item_name));
                return Some(out);
            }
            _ => {}
        }
    }
    None
}

/// `aggregates by groups` split at the top-level keyword `by`.
fn split_by(text: &str) -> (&str, &str) {
    let mut depth = 0i32;
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            'b' if depth == 0
                && text[i..].starts_with("by")
                && (i == 0 || bytes[i - 1].is_ascii_whitespace())
                && bytes.get(i + 2).is_none_or(|b| b.is_ascii_whitespace()) =>
            {
                return (&text[..i], &text[i + 2..]);
            }
            _ => {}
        }
    }
    (text, "")
}

/// The byte index of the last `|` outside strings, if any.
fn last_pipe(text: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut last = None;
    for (i, c) in text.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '|' => last = Some(i),
            None => {}
        }
    }
    last
}

/// The table the query reads (its first word that names a table).
fn query_table<'v>(text: &str, vocab: &'v Vocabulary) -> Option<&'v (String, Vec<String>)> {
    text.split(|c: char| !is_word_char(c))
        .filter(|w| !w.is_empty())
        .find_map(|w| vocab.tables.iter().find(|(t, _)| t.eq_ignore_ascii_case(w)))
}

/// Names the query defines: `let x =`, `extend X =`, `Name = count()`.
fn defined_names(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '='
            && chars.get(i + 1) != Some(&'=')
            && i > 0
            && !matches!(chars[i - 1], '=' | '!' | '<' | '>' | '~')
        {
            let mut j = i;
            while j > 0 && chars[j - 1] == ' ' {
                j -= 1;
            }
            let end = j;
            while j > 0 && (chars[j - 1].is_alphanumeric() || chars[j - 1] == '_') {
                j -= 1;
            }
            if j < end {
                out.push(chars[j..end].iter().collect());
            }
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab() -> Vocabulary {
        Vocabulary {
            tables: vec![
                (
                    "W3CIISLog".into(),
                    vec![
                        "cIP".into(),
                        "csUriStem".into(),
                        "csUserAgent".into(),
                        "scStatus".into(),
                    ],
                ),
                ("HttpErrorLog".into(), vec!["sReasonPhrase".into()]),
            ],
            words: vec!["count".into(), "countif".into(), "strcat".into()],
            esql_fields: vec![
                "source.ip".into(),
                "url.path".into(),
                "user_agent.original".into(),
            ],
        }
    }

    fn names(line: &str, dialect: Dialect) -> Vec<String> {
        complete(line, line.len(), dialect, &vocab()).1
    }

    #[test]
    fn tables_at_the_start() {
        assert_eq!(names("W3", Dialect::Kql), ["W3CIISLog"]);
        assert!(names("", Dialect::Kql).contains(&"HttpErrorLog".to_string()));
    }

    #[test]
    fn operators_after_a_pipe() {
        assert_eq!(names("W3CIISLog | wh", Dialect::Kql), ["where"]);
        assert_eq!(names("W3CIISLog\n| su", Dialect::Kql), ["summarize"]);
        assert_eq!(
            names("from logs-iis.access-* | st", Dialect::Esql),
            ["stats"]
        );
    }

    #[test]
    fn columns_functions_and_defined_names_elsewhere() {
        assert_eq!(
            names("W3CIISLog | where cs", Dialect::Kql),
            ["csUriStem", "csUserAgent"]
        );
        assert_eq!(
            names("W3CIISLog | summarize coun", Dialect::Kql),
            ["count", "countif"]
        );
        assert_eq!(
            names("W3CIISLog | extend Hits = 1 | where Hi", Dialect::Kql),
            ["Hits"]
        );
        // The word being completed starts after the pipe's space.
        let (start, _) = complete("W3CIISLog | where cs", 20, Dialect::Kql, &vocab());
        assert_eq!(start, 18);
    }

    #[test]
    fn after_summarize_or_project_only_their_columns() {
        let q = "W3CIISLog | summarize Failed = count(), make_set(csUriStem) by cIP, bin(TimeGenerated, 1m) | where ";
        let got = names(q, Dialect::Kql);
        for c in ["Failed", "set_csUriStem", "cIP", "TimeGenerated"] {
            assert!(got.contains(&c.to_string()), "{c} missing from {got:?}");
        }
        assert!(!got.contains(&"csUserAgent".to_string()), "{got:?}");
        let got = names(
            "W3CIISLog | project cIP, Path = csUriStem | where ",
            Dialect::Kql,
        );
        assert!(
            got.contains(&"Path".to_string()) && got.contains(&"cIP".to_string()),
            "{got:?}"
        );
        assert!(!got.contains(&"scStatus".to_string()), "{got:?}");
        // A where before them does not reshape.
        let got = names(
            "W3CIISLog | where cIP == \"x\" | extend y = 1 | project-away ",
            Dialect::Kql,
        );
        assert!(got.contains(&"scStatus".to_string()), "{got:?}");
    }

    #[test]
    fn no_operators_inside_strings() {
        assert_eq!(
            names(
                "W3CIISLog | where csUriStem has \"a|b\" and scS",
                Dialect::Kql
            ),
            ["scStatus"]
        );
    }

    #[test]
    fn commands_and_their_arguments() {
        assert_eq!(names(".sch", Dialect::Kql), [".schema"]);
        assert_eq!(names(".schema W", Dialect::Kql), ["W3CIISLog"]);
        assert_eq!(names(".format c", Dialect::Kql), ["csv"]);
    }

    #[test]
    fn esql_sources_after_from() {
        assert_eq!(
            names("FROM logs-iis.a", Dialect::Esql),
            ["logs-iis.access-*"]
        );
    }

    #[test]
    fn esql_fields_functions_and_keywords() {
        let q = "FROM logs-iis.access-* | WHERE source.";
        assert_eq!(names(q, Dialect::Esql), ["source.ip"]);
        let q = "FROM logs-iis.access-* | STATS n = COUNT_D";
        assert_eq!(names(q, Dialect::Esql), ["COUNT_DISTINCT"]);
        let q = "FROM logs-iis.access-* | STATS n = COUNT(*) BY source.ip | SORT n";
        assert_eq!(
            names(q, Dialect::Esql),
            ["n", "NOT", "NOW", "null", "NULLS FIRST", "NULLS LAST"]
        );
    }
}
