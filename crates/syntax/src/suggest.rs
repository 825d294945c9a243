//! Near-miss suggestions and "wrong language" detection, shared by the KQL
//! parser's diagnostics (and free for the ES|QL parser and the planner).
//!
//! `did_you_mean` ranks candidates by edit distance (with transpositions and
//! ignoring `-`/`_`), so `sumarize` finds `summarize` and `projectaway` finds
//! `project-away`. `looks_like_sql` / `looks_like_esql` recognise a query typed
//! in the other language so the error can say so.

/// The KQL tabular operators, as they are written after `|`.
pub const KQL_OPERATORS: &[&str] = &[
    "where",
    "filter",
    "extend",
    "project",
    "project-away",
    "project-keep",
    "project-rename",
    "project-reorder",
    "summarize",
    "order by",
    "sort by",
    "top",
    "take",
    "limit",
    "distinct",
    "count",
    "join",
    "lookup",
    "union",
    "mv-expand",
    "mv-apply",
    "top-hitters",
    "project-by-names",
    "parse",
    "parse-where",
    "parse-kv",
    "make-series",
    "render",
    "as",
    "getschema",
    "serialize",
    "sample",
    "invoke",
    "evaluate",
    "search",
    "scan",
    "partition",
    "fork",
    "facet",
    "make-graph",
    "graph-match",
    "graph-shortest-paths",
    "graph-to-table",
    "graph-mark-components",
];

/// ES|QL processing commands and the KQL operator that does the same job.
pub const ESQL_TO_KQL: &[(&str, &str)] = &[
    ("WHERE", "where"),
    ("EVAL", "extend"),
    ("STATS", "summarize"),
    ("KEEP", "project"),
    ("DROP", "project-away"),
    ("RENAME", "project-rename"),
    ("SORT", "order by"),
    ("LIMIT", "take"),
    ("DISSECT", "parse"),
    ("GROK", "parse kind=regex"),
    ("MV_EXPAND", "mv-expand"),
    ("ENRICH", "lookup"),
];

/// Optimal-string-alignment distance (Levenshtein plus adjacent swaps).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
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
    d[n][m]
}

fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The candidate closest to `word`, if it is close enough to be a typo:
/// a case or punctuation difference, or at most one edit per four letters.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    if word.is_empty() || word.len() > 64 {
        return None;
    }
    let w = squash(word);
    let mut best: Option<(usize, &'a str)> = None;
    for &c in candidates {
        if c == word {
            continue;
        }
        let d = edit_distance(&w, &squash(c));
        let limit = (w.chars().count().max(2) / 4).max(1);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// A query that starts like SQL: `SELECT … FROM …`.
pub fn looks_like_sql(text: &str) -> bool {
    let t = text.trim_start().to_ascii_lowercase();
    (t.starts_with("select ") || t.starts_with("select\n") || t.starts_with("select*"))
        && t.contains(" from ")
}

/// A query that reads like ES|QL: `FROM index | WHERE …`, `| STATS … BY`, …
pub fn looks_like_esql(text: &str) -> bool {
    let t = text.trim_start();
    let starts_from =
        t.starts_with("FROM ") || t.starts_with("from logs-") || t.starts_with("ROW ");
    let esql_command = ESQL_TO_KQL.iter().any(|(cmd, _)| {
        text.split('|')
            .skip(1)
            .any(|seg| seg.split_whitespace().next() == Some(cmd))
    }) || text.split('|').skip(1).any(|seg| {
        let w = seg.split_whitespace().next().unwrap_or("");
        matches!(w, "eval" | "stats" | "keep" | "drop" | "dissect" | "grok")
    });
    starts_from || esql_command
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses() {
        let cases = [
            ("sumarize", Some("summarize")),
            ("summarise", Some("summarize")),
            ("projectaway", Some("project-away")),
            ("project_away", Some("project-away")),
            ("exend", Some("extend")),
            ("wehre", Some("where")),
            ("mvexpand", Some("mv-expand")),
            ("frobnicate", None),
        ];
        for (word, want) in cases {
            assert_eq!(did_you_mean(word, KQL_OPERATORS), want, "{word}");
        }
    }

    #[test]
    fn other_languages() {
        assert!(looks_like_sql("SELECT cIP FROM W3CIISLog"));
        assert!(looks_like_esql("FROM logs-iis.access-* | WHERE x > 1"));
        assert!(looks_like_esql("W3CIISLog | STATS count() BY cIP"));
        assert!(!looks_like_esql("W3CIISLog | where x > 1"));
        assert!(!looks_like_sql("W3CIISLog | where x > 1"));
    }
}
