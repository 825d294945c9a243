//! ES|QL syntax errors in a hunter's words.
//!
//! pest reports the furthest position it reached and the rules it tried there;
//! [`from_pest`] turns those rules into words ([`rule_name`] has an arm per rule,
//! so a new rule does not compile without a friendly name), after asking
//! [`hints`](super::hints) whether the offending text is a slip it knows (KQL or
//! SQL typed in ES|QL mode, a misspelled command).

use super::hints;
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
        | Rule::map_literal
        | Rule::parenthesized
        | Rule::name_or_call
        | Rule::qualified_name
        | Rule::unquoted_name
        | Rule::quoted_name => "a value (a field, a literal or a function call)",
        Rule::integer | Rule::span_count => "a whole number",
        Rule::exponent => "an exponent such as `e3`",
        Rule::time_unit => "a time unit (`hour`, `days`, …)",
        Rule::type_name => "a type name such as `long` or `ip`",
        Rule::pattern_list => "a pattern string",
        Rule::call_arguments => "`(` and the function's arguments",
        Rule::star => "`*`",
        Rule::close_paren => "`)`",
        Rule::close_bracket => "`]`",
        Rule::close_brace => "`}`",
        Rule::map_entry => "an option such as `\"name\": \"value\"`",
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
    if let Some(e) = hints::slip(text, pos, &found, span) {
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
        return hints::unknown_command(text, "", Span::new(pos, pos), true);
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
        return hints::unknown_command(text, word, span, false);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_or_reads_like_english() {
        assert_eq!(join_or(&["a"]), "a");
        assert_eq!(join_or(&["a", "b", "c"]), "a, b or c");
    }

    #[test]
    fn every_failure_position_names_what_was_found() {
        assert_eq!(describe(""), "the end of the query");
        assert_eq!(describe("\0"), "a NUL byte");
        assert_eq!(token_at("a && b", 2), "&&");
        assert_eq!(token_at("STAST x", 0), "STAST");
        assert_eq!(floor_char_boundary("é", 1), 0);
    }
}
