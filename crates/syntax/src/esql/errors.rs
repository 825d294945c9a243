//! ES|QL syntax errors in a hunter's words.
//!
//! pest reports the furthest position it reached and the rules it tried there;
//! [`from_pest`] turns those rules into words ([`rule_name`] has an arm per rule,
//! so a new rule does not compile without a friendly name), and before that
//! looks at the offending text for mistakes people actually make: KQL operators
//! (`has`, `contains`, `!in`), SQL habits (`=` to compare, `&&`, `<>`, single
//! quotes) and misspelled commands (`STAST` → `STATS`).

use super::parser::Rule;
use crate::ast::Span;
use crate::error::SyntaxError;
use pest::error::{ErrorVariant, InputLocation};

pub(crate) type Result<T> = std::result::Result<T, SyntaxError>;

/// The name a user reads for each grammar rule.
pub(crate) fn rule_name(rule: Rule) -> &'static str {
    match rule {
        Rule::EOI => "the end of the query",
        // Silent rules: pest never reports them, but they still get names.
        Rule::WHITESPACE | Rule::COMMENT | Rule::line_comment | Rule::block_comment => {
            "white space"
        }
        Rule::source_command => "a source command (FROM or ROW)",
        Rule::processing_command | Rule::known_command => "a command",
        Rule::rename_clause => "`old AS new`",
        Rule::prefix_operator | Rule::operand => "a value (a field, a literal or a function call)",
        Rule::postfix_operator | Rule::infix_operator => {
            "an operator (`==`, `<`, AND, OR, `+`, IN, LIKE, IS NULL, `::`)"
        }
        Rule::first_name_part | Rule::name_part | Rule::ident_char => "a name",
        Rule::pattern_part => "a field name or pattern such as `source.*`",
        Rule::reserved_word => "a reserved word",
        Rule::query => "a query",
        Rule::pipe => "`|`",
        Rule::unknown_source => "a source command (FROM or ROW)",
        Rule::unknown_command | Rule::command_word | Rule::rest_of_query => "a command",
        Rule::from_command => "FROM",
        Rule::index_pattern | Rule::unquoted_index => {
            "an index pattern such as `logs-iis.access-*`"
        }
        Rule::metadata_clause => "METADATA",
        Rule::row_command => "ROW",
        Rule::where_command => "WHERE",
        Rule::eval_command => "EVAL",
        Rule::stats_command => "STATS",
        Rule::stats_aggregates | Rule::stats_aggregate => "an aggregation such as `count()`",
        Rule::by_clause => "BY",
        Rule::keep_command => "KEEP",
        Rule::drop_command => "DROP",
        Rule::name_pattern | Rule::unquoted_pattern => "a field name or pattern such as `source.*`",
        Rule::rename_command => "RENAME",
        Rule::rename_as | Rule::rename_assign => "`old AS new`",
        Rule::sort_command => "SORT",
        Rule::sort_key => "a sort key",
        Rule::sort_order => "ASC or DESC",
        Rule::nulls_order => "NULLS FIRST or NULLS LAST",
        Rule::limit_command => "LIMIT",
        Rule::dissect_command => "DISSECT",
        Rule::command_option | Rule::option_name => "APPEND_SEPARATOR = \"…\"",
        Rule::grok_command => "GROK",
        Rule::mv_expand_command => "MV_EXPAND",
        Rule::enrich_command => "ENRICH",
        Rule::policy_name => "an enrich policy name",
        Rule::enrich_field => "an enrich field",
        Rule::lookup_join_command => "LOOKUP JOIN",
        Rule::field => "an expression or `name = expression`",
        Rule::assign => "`=`",
        Rule::expression | Rule::operand_expression => "an expression",
        Rule::op_or
        | Rule::op_and
        | Rule::op_eq
        | Rule::op_neq
        | Rule::op_eq_ci
        | Rule::op_le
        | Rule::op_ge
        | Rule::op_lt
        | Rule::op_gt
        | Rule::op_add
        | Rule::op_sub
        | Rule::op_mul
        | Rule::op_div
        | Rule::op_mod
        | Rule::is_null
        | Rule::in_list
        | Rule::like
        | Rule::rlike
        | Rule::cast => "an operator (`==`, `<`, AND, OR, `+`, IN, LIKE, IS NULL, `::`)",
        Rule::op_not
        | Rule::op_neg
        | Rule::op_pos
        | Rule::number_literal
        | Rule::number
        | Rule::decimal
        | Rule::string
        | Rule::triple_string
        | Rule::quoted_string
        | Rule::boolean
        | Rule::null_literal
        | Rule::parameter
        | Rule::array
        | Rule::parenthesized
        | Rule::name_or_call
        | Rule::qualified_name
        | Rule::unquoted_name
        | Rule::quoted_name => "a value (a field, a literal or a function call)",
        Rule::integer => "a whole number",
        Rule::exponent => "an exponent such as `e3`",
        Rule::time_unit => "a time unit (`hour`, `days`, …)",
        Rule::type_name => "a type name such as `long` or `ip`",
        Rule::pattern_list => "a pattern string",
        Rule::call_arguments => "`(` and the function's arguments",
        Rule::star => "`*`",
        Rule::close_paren => "`)`",
        Rule::close_bracket => "`]`",
        Rule::kw_from => "FROM",
        Rule::kw_row => "ROW",
        Rule::kw_where => "WHERE",
        Rule::kw_eval => "EVAL",
        Rule::kw_stats => "STATS",
        Rule::kw_keep => "KEEP",
        Rule::kw_drop => "DROP",
        Rule::kw_rename => "RENAME",
        Rule::kw_sort => "SORT",
        Rule::kw_limit => "LIMIT",
        Rule::kw_dissect => "DISSECT",
        Rule::kw_grok => "GROK",
        Rule::kw_mv_expand => "MV_EXPAND",
        Rule::kw_enrich => "ENRICH",
        Rule::kw_lookup => "LOOKUP",
        Rule::kw_join => "JOIN",
        Rule::kw_metadata => "METADATA",
        Rule::kw_by => "BY",
        Rule::kw_as => "AS",
        Rule::kw_on => "ON",
        Rule::kw_with => "WITH",
        Rule::kw_asc => "ASC",
        Rule::kw_desc => "DESC",
        Rule::kw_nulls => "NULLS",
        Rule::kw_first => "FIRST",
        Rule::kw_last => "LAST",
        Rule::kw_is => "IS",
        Rule::kw_not => "NOT",
        Rule::kw_null => "NULL",
        Rule::kw_in => "IN",
        Rule::kw_like => "LIKE",
        Rule::kw_rlike => "RLIKE",
    }
}

/// An error that means the parser itself is wrong, never the user.
pub(crate) fn internal(func: &str, span: Span) -> SyntaxError {
    SyntaxError {
        code: "esql::internal",
        message: format!(
            "internal error in the ES|QL parser ({func}); this is a bug, please report it"
        ),
        span,
        label: "while reading this".to_string(),
        help: None,
    }
}

pub(crate) fn error(
    code: &'static str,
    span: Span,
    message: String,
    label: &str,
    help: Option<String>,
) -> SyntaxError {
    SyntaxError {
        code,
        message,
        span,
        label: label.to_string(),
        help,
    }
}

/// Converts pest's failure into words, after checking for common slips.
pub(crate) fn from_pest(err: pest::error::Error<Rule>, text: &str) -> SyntaxError {
    let pos = match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let pos = floor_char_boundary(text, pos.min(text.len()));
    let (positives, custom) = match err.variant {
        ErrorVariant::ParsingError { positives, .. } => (positives, None),
        ErrorVariant::CustomError { message } => (Vec::new(), Some(message)),
    };
    let found = token_at(text, pos);
    let span = Span::new(
        pos,
        pos + found.len().max(if pos < text.len() { 1 } else { 0 }),
    );
    if let Some(e) = slip(text, pos, &found, span) {
        return e;
    }
    if let Some(message) = custom {
        return error("esql::syntax", span, message, "here", None);
    }
    // Where a command belongs, say so in one sentence rather than list them all.
    if positives
        .iter()
        .any(|r| matches!(r, Rule::kw_from | Rule::unknown_source))
    {
        return unknown_command(text, "", Span::new(pos, pos), true);
    }
    if positives
        .iter()
        .any(|r| matches!(r, Rule::kw_where | Rule::unknown_command))
    {
        let word = if found.starts_with(|c: char| c.is_ascii_alphabetic()) {
            found.as_str()
        } else {
            ""
        };
        return unknown_command(text, word, span, false);
    }
    let operator = rule_name(Rule::op_eq);
    let mut words: Vec<&str> = Vec::new();
    for r in &positives {
        let w = rule_name(*r);
        if !words.contains(&w) {
            words.push(w);
        }
    }
    // Keywords that only continue an operator, and time units after a number,
    // add noise when "an operator" is already expected.
    if words.contains(&operator) {
        words.retain(|w| {
            !matches!(*w, "IS" | "IN" | "LIKE" | "RLIKE" | "NOT") && !w.starts_with("a time unit")
        });
        words.retain(|w| *w != operator);
        words.push(operator);
    }
    // The end of the query and `|` go together: "another command or the end".
    if words.contains(&"`|`") && words.contains(&"the end of the query") {
        words.retain(|w| *w != "`|`" && *w != "the end of the query");
        words.push("`|` and another command, or the end of the query");
    }
    let expected = if words.is_empty() {
        "something else".to_string()
    } else {
        join_or(&words)
    };
    let found_words = describe(&found);
    let help =
        if words.contains(&"METADATA") && found.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            Some(
                "separate index patterns with commas: `FROM logs-iis.access-*, logs-iis.error-*`"
                    .to_string(),
            )
        } else {
            None
        };
    error(
        "esql::expected",
        span,
        format!("expected {expected}, found {found_words}"),
        &format!("expected {expected} here"),
        help,
    )
}

/// `a, b or c`
pub(crate) fn join_or(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}

/// The token a user would say they typed at `pos`: a word, an operator, a char.
fn token_at(text: &str, pos: usize) -> String {
    let rest = &text[pos..];
    let word: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if !word.is_empty() {
        return word;
    }
    for op in ["&&", "||", "<>", "!~", "!=", "==", "=~"] {
        if rest.starts_with(op) {
            return op.to_string();
        }
    }
    rest.chars()
        .next()
        .map(|c| c.to_string())
        .unwrap_or_default()
}

fn describe(found: &str) -> String {
    match found {
        "" => "the end of the query".to_string(),
        "\0" => "a NUL byte".to_string(),
        s if s.chars().all(|c| c.is_control()) => format!("the control character {:?}", s),
        s => format!("`{s}`"),
    }
}

fn floor_char_boundary(text: &str, mut pos: usize) -> usize {
    while pos > 0 && !text.is_char_boundary(pos) {
        pos -= 1;
    }
    pos
}

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
fn slip(text: &str, pos: usize, found: &str, span: Span) -> Option<SyntaxError> {
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

    #[test]
    fn join_or_reads_like_english() {
        assert_eq!(join_or(&["a"]), "a");
        assert_eq!(join_or(&["a", "b", "c"]), "a, b or c");
    }
}
