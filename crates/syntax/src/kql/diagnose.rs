//! Failed parses → [`SyntaxError`]s a hunter can act on.
//!
//! Fed by `kql::parse` when pest fails. Checks, in order: SQL or ES|QL typed in
//! KQL mode; an unclosed string or bracket before the failure point; then
//! pest's expected-rule set, turned into words with `rule_names` and grouped
//! ("an expression", "an operator such as `==`"), with did-you-mean help for
//! misspelt operators, keywords used as names and habits from other languages
//! (`=` for `==`, `&&`, `is null`, `like`).

use pest::error::{Error, ErrorVariant, InputLocation};

use super::scan::unbalanced;
use super::{Rule, RESERVED};
use crate::ast::Span;
use crate::error::SyntaxError;
use crate::rule_names;
use crate::suggest::{did_you_mean, looks_like_esql, looks_like_sql, ESQL_TO_KQL, KQL_OPERATORS};

/// Converts pest's error into ours.
pub(super) fn from_pest(text: &str, err: &Error<Rule>) -> SyntaxError {
    let pos = match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    if looks_like_sql(text) {
        return other_language(text, "SQL", "kql::looks_like_sql",
            "KQL starts from the table and pipes it: `W3CIISLog | where scStatus == \"404\" | project cIP, csUriStem`");
    }
    if looks_like_esql(text) {
        return esql_in_kql(text);
    }
    if let Some(e) = unbalanced(text) {
        if e.span.start <= pos {
            return e;
        }
    }
    let positives: Vec<Rule> = match &err.variant {
        ErrorVariant::ParsingError { positives, .. } => positives.clone(),
        ErrorVariant::CustomError { message } => {
            return SyntaxError {
                code: "kql::too_complex",
                message: format!("the query is too complex to parse ({message})"),
                span: Span::new(pos, pos),
                label: "the parser gave up here".to_string(),
                help: Some("split it with `let` statements".to_string()),
            }
        }
    };
    expected(text, pos, &positives)
}

fn other_language(text: &str, lang: &str, code: &'static str, help: &str) -> SyntaxError {
    let start = text.len() - text.trim_start().len();
    let end = text[start..]
        .find(char::is_whitespace)
        .map_or(text.len(), |e| start + e);
    SyntaxError {
        code,
        message: format!("this looks like {lang}, but the query is being read as KQL"),
        span: Span::new(start, end),
        label: format!("{lang} starts like this"),
        help: Some(help.to_string()),
    }
}

/// ES|QL typed in KQL mode: point at the first ES|QL command and name its
/// KQL counterpart.
fn esql_in_kql(text: &str) -> SyntaxError {
    let mut offset = 0;
    for (i, seg) in text.split('|').enumerate() {
        let lead = seg.len() - seg.trim_start().len();
        let word = seg.split_whitespace().next().unwrap_or("");
        let hit = ESQL_TO_KQL.iter().find(|(e, _)| {
            (i > 0 || word == "FROM")
                && (*e == word || (word.eq_ignore_ascii_case(e) && !KQL_OPERATORS.contains(&word)))
        });
        if let Some((esql, kql)) = hit {
            let start = offset + lead;
            return SyntaxError {
                code: "kql::looks_like_esql",
                message: "this looks like ES|QL, but the query is being read as KQL".to_string(),
                span: Span::new(start, start + word.len()),
                label: "an ES|QL command".to_string(),
                help: Some(format!(
                    "run the query as ES|QL (switch the dialect), or write it in KQL: `{esql}` is `{kql}`"
                )),
            };
        }
        offset += seg.len() + 1;
    }
    other_language(
        text,
        "ES|QL",
        "kql::looks_like_esql",
        "run the query as ES|QL (switch the dialect), or write it in KQL: `W3CIISLog | where ... | summarize count() by cIP`",
    )
}

/// What is at `pos`: a description for the message and its span.
fn found_at(text: &str, pos: usize) -> (String, Span, &str) {
    let rest = text.get(pos..).unwrap_or("");
    if rest.trim().is_empty() {
        return (
            "the end of the query".to_string(),
            Span::new(text.len(), text.len()),
            "",
        );
    }
    let word_len = rest
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_' || *c == '-'))
        .map_or(rest.len(), |(i, _)| i);
    let word_len = if word_len > 0 {
        word_len
    } else {
        rest.chars().next().map_or(1, char::len_utf8)
    };
    let word = &rest[..word_len];
    let shown: String = word.chars().take(40).collect();
    (format!("`{shown}`"), Span::new(pos, pos + word_len), word)
}

fn is_operator_rule(r: Rule) -> bool {
    matches!(
        r,
        Rule::op_or
            | Rule::op_and
            | Rule::op_compare
            | Rule::op_string
            | Rule::op_add
            | Rule::op_mul
            | Rule::in_op
            | Rule::in_word
            | Rule::between_op
            | Rule::between_word
            | Rule::has_any_op
            | Rule::has_any_word
            | Rule::index_op
            | Rule::member_op
            | Rule::infix
            | Rule::postfix
    )
}

/// Rules that only ever spell a name.
fn is_name_rule(r: Rule) -> bool {
    matches!(
        r,
        Rule::name | Rule::plain_name | Rule::bracketed_name | Rule::names
    )
}

fn is_expression_rule(r: Rule) -> bool {
    matches!(
        r,
        Rule::expr
            | Rule::term
            | Rule::primary
            | Rule::literal
            | Rule::paren_expr
            | Rule::call
            | Rule::name
            | Rule::plain_name
            | Rule::bracketed_name
            | Rule::star
            | Rule::join_side
            | Rule::neg
            | Rule::pos
            | Rule::prefix
            | Rule::datetime_lit
            | Rule::timespan_fn
            | Rule::guid_lit
            | Rule::typed_lit
            | Rule::dynamic_lit
            | Rule::string_lit
            | Rule::timespan_lit
            | Rule::real_lit
            | Rule::hex_lit
            | Rule::long_lit
            | Rule::bool_lit
            | Rule::null_lit
            | Rule::named_expr
            | Rule::named_expr_list
            | Rule::names
    )
}

/// Rules that only continue or spell a string; folded into "a string".
fn is_string_part(r: Rule) -> bool {
    matches!(
        r,
        Rule::double_quoted
            | Rule::single_quoted
            | Rule::obfuscated
            | Rule::verbatim
            | Rule::multiline
            | Rule::quoted
    )
}

/// The expected set in words, most useful first, without repeats.
fn describe(positives: &[Rule]) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    let mut push = |s: &'static str| {
        if !out.contains(&s) {
            out.push(s);
        }
    };
    let has_expression = positives.iter().any(|r| is_expression_rule(*r));
    let only_names = positives
        .iter()
        .filter(|r| is_expression_rule(**r))
        .all(|r| is_name_rule(*r));
    let has_operator = positives.iter().any(|r| is_operator_rule(*r));
    if has_expression && only_names {
        push("a name");
    } else if has_expression {
        push("an expression");
    }
    for &r in positives {
        let folded = is_expression_rule(r)
            || is_operator_rule(r)
            || is_string_part(r)
            || r == Rule::EOI
            || r == Rule::pipe
            || (has_expression
                && matches!(
                    r,
                    Rule::type_name | Rule::kw_dynamic | Rule::table_name | Rule::subquery
                ));
        if !folded {
            push(rule_names::kql(r));
        }
    }
    if !has_expression && !has_operator && positives.iter().any(|r| is_string_part(*r)) {
        push("a string");
    }
    if has_operator {
        push("an operator (`==`, `and`, `has`, `+`, …)");
    }
    if positives.contains(&Rule::pipe) {
        push("`|`");
    }
    if positives.contains(&Rule::EOI) {
        push("`;`");
        push("the end of the query");
    }
    out
}

fn join_words(items: &[&str]) -> String {
    match items {
        [] => "something else".to_string(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{}, or {last}", init.join(", ")),
    }
}

/// The general case: "expected X, found Y", with help for near misses.
fn expected(text: &str, pos: usize, positives: &[Rule]) -> SyntaxError {
    let (found, span, word) = found_at(text, pos);
    if positives.contains(&Rule::tabular_operator) {
        return bad_operator(text, &found, span, word);
    }
    if word == "|" && positives.iter().any(|r| is_operator_rule(*r)) && open_paren_before(text, pos)
    {
        return SyntaxError {
            code: "kql::unsupported_subquery",
            message: "a tabular expression inside an expression must start with a table or `let` name".to_string(),
            span,
            label: "a pipe inside parentheses".to_string(),
            help: Some(
                "`toscalar(T | ...)` and `x in (T | ...)` work when T is a table or a tabular `let`: bind anything else first, e.g. `let L = datatable(...) [...];`"
                    .to_string(),
            ),
        };
    }
    if let Some(e) = unsupported_statement(text, pos, span, word) {
        return e;
    }
    let items = describe(positives);
    let wants_name = positives.iter().any(|r| {
        is_expression_rule(*r)
            || matches!(
                r,
                Rule::table_name
                    | Rule::column_pattern
                    | Rule::column_patterns
                    | Rule::rename
                    | Rule::source
            )
    });
    let mut code = "kql::unexpected";
    let keywords: Vec<&str> = positives
        .iter()
        .flat_map(|r| rule_names::kql(*r).split('`').skip(1).step_by(2))
        .filter(|k| k.len() > 1 && k.chars().all(|c| c.is_ascii_alphabetic() || c == '-'))
        .collect();
    let operator_as_call = crate::kql::expr_str_op(word).is_some()
        || matches!(word, "in" | "has_any" | "has_all" | "between" | "matches");
    let help = if wants_name
        && operator_as_call
        && text
            .get(span.end..)
            .is_some_and(|r| r.trim_start().starts_with('('))
    {
        Some(format!(
            "`{word}` is an operator, not a function: write `x {word} \"text\"`"
        ))
    } else if wants_name && RESERVED.contains(&word) {
        code = "kql::keyword_as_name";
        Some(format!(
            "`{word}` is a keyword; to use it as a name write `['{word}']`"
        ))
    } else if let Some(h) = habit_help(text, span, word, positives) {
        Some(h)
    } else {
        did_you_mean(word, &keywords)
            .or_else(|| {
                keywords
                    .iter()
                    .copied()
                    .find(|k| k.len() >= 3 && word.len() > k.len() && word.starts_with(k))
            })
            .map(|k| format!("did you mean `{k}`?"))
            .or_else(|| {
                let rest = text.get(span.start..).unwrap_or("");
                if starts_value(rest) {
                    if let Some(k) = keywords.iter().find(|k| matches!(**k, "by" | "on" | "with" | "step")) {
                        return Some(format!("is `{k}` missing before {found}?"));
                    }
                }
                (positives.iter().any(|r| is_operator_rule(*r)) && starts_value(rest)).then(|| {
                    "two values in a row: is a `,` or an operator such as `==` missing between them?"
                        .to_string()
                })
            })
    };
    let items = &items[..items.len().min(5)];
    SyntaxError {
        code,
        message: format!("expected {}, found {found}", join_words(items)),
        span,
        label: match items.first() {
            Some(first) => format!("expected {first} here"),
            None => "unexpected here".to_string(),
        },
        help,
    }
}

/// Whether an unclosed `(` precedes `pos` (ignoring strings, roughly).
fn open_paren_before(text: &str, pos: usize) -> bool {
    let before = text.get(..pos).unwrap_or("");
    before.matches('(').count() > before.matches(')').count()
}

/// Kusto statements and keywords iishunt knows but doesn't support.
fn unsupported_statement(text: &str, pos: usize, span: Span, word: &str) -> Option<SyntaxError> {
    const STATEMENTS: &[&str] = &["declare", "alias", "restrict", "pattern"];
    let before = text.get(..pos).unwrap_or("");
    let starts_statement = |at: usize| {
        let head = text.get(..at).unwrap_or("").trim_end();
        head.is_empty() || head.ends_with(';')
    };
    let prev = prev_word(text, pos);
    let prev_start = before.trim_end().len() - prev.len();
    let kw = [(word, pos), (prev, prev_start)]
        .into_iter()
        .find(|(w, at)| STATEMENTS.contains(w) && starts_statement(*at))
        .map(|(w, _)| w)?;
    Some(SyntaxError {
        code: "kql::unsupported",
        message: format!("the `{kw}` statement is not supported by iishunt"),
        span,
        label: "not supported".to_string(),
        help: Some(match kw {
            "declare" => "`declare query_parameters(...)` takes values from a client; write each one as a `let` instead (`let ip = \"198.51.100.77\";`)".to_string(),
            _ => "start from a table (`W3CIISLog | ...`); use `search`, `find` or `union` to look across tables".to_string(),
        }),
    })
}

/// Kusto operators that exist but iishunt doesn't run (yet).
const UNSUPPORTED_OPERATORS: &[&str] = &["reduce", "consume", "sample-distinct", "project-smart"];

/// After `|`: not an operator. Suggest the closest one, or the KQL spelling of
/// an ES|QL command.
fn bad_operator(text: &str, found: &str, span: Span, word: &str) -> SyntaxError {
    let before = text.get(..span.start).unwrap_or("");
    // Inside `fork (…)` or `facet … with (…)` a leg's first operator has no `|`.
    let in_leg = before.trim_end().ends_with('(');
    let help = if in_leg {
        Some("a `fork` leg or a `facet … with` holds operators: `fork (where scStatus == \"404\" | count) (take 5)`".to_string())
    } else if word.is_empty() {
        Some("every `|` needs an operator after it; remove the trailing `|` or add one".to_string())
    } else if word == "find" {
        Some("`find` starts a query (`find in (W3CIISLog) where ...`); after `|` use `where` or `search`".to_string())
    } else if UNSUPPORTED_OPERATORS.contains(&word) {
        Some(format!(
            "`{word}` is a Kusto operator that iishunt does not support yet"
        ))
    } else if word == "|" && before.ends_with('|') {
        Some("KQL writes `or` instead of `||`".to_string())
    } else if word == "|" {
        Some("two `|` in a row: remove one, or put an operator between them".to_string())
    } else if let Some((esql, kql)) = ESQL_TO_KQL
        .iter()
        .find(|(e, _)| e.eq_ignore_ascii_case(word))
    {
        if KQL_OPERATORS.contains(&word) {
            None
        } else {
            Some(format!("`{esql}` is ES|QL; in KQL write `{kql}`"))
        }
    } else if let Some(s) = did_you_mean(word, KQL_OPERATORS) {
        Some(format!("did you mean `{s}`?"))
    } else if word.eq_ignore_ascii_case("select") {
        Some("KQL has no SELECT: use `project` to choose columns".to_string())
    } else {
        None
    };
    SyntaxError {
        code: "kql::expected_operator",
        message: format!(
            "expected a tabular operator {}, such as where, extend, summarize, project, found {found}",
            if in_leg { "in the parentheses" } else { "after `|`" }
        ),
        span,
        label: "not a tabular operator".to_string(),
        help,
    }
}

/// The last word before `pos` (skipping whitespace).
fn prev_word(text: &str, pos: usize) -> &str {
    let before = text.get(..pos).unwrap_or("").trim_end();
    let start = before
        .char_indices()
        .rev()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    &before[start..]
}

/// Whether `pos` is inside an unclosed `name(` that starts within the text before it.
fn inside_call(text: &str, pos: usize, name: &str) -> bool {
    let before = text.get(..pos).unwrap_or("");
    match before
        .rfind(&format!("{name}("))
        .or_else(|| before.rfind(&format!("{name} (")))
    {
        Some(at) => {
            let tail = &before[at..];
            tail.matches('(').count() > tail.matches(')').count()
        }
        None => false,
    }
}

/// Help for habits from other languages and common slips at the failure point.
fn habit_help(text: &str, span: Span, word: &str, positives: &[Rule]) -> Option<String> {
    let rest = text.get(span.start..).unwrap_or("");
    let before = text.get(..span.start).unwrap_or("");
    let prev = prev_word(text, span.start);
    let prev_char = before.trim_end().chars().last();
    let newline_between = before.len() - before.trim_end().len() > 0
        && before[before.trim_end().len()..].contains('\n');
    let h = if rest.starts_with('.')
        && (before.contains("cluster(") || before.contains("database("))
    {
        "`cluster()` and `database()` qualifiers are not supported: iishunt reads local data, so name the table directly (`W3CIISLog`)".to_string()
    } else if before.contains("/*") || rest.starts_with("/*") {
        "KQL has only `//` line comments: `/* ... */` is not KQL".to_string()
    } else if prev == "regex" && !rest.starts_with(['"', '\'', '@', 'h', 'H', '`', '(']) {
        "the regex after `matches regex` must be a string: write it quoted, as a verbatim string such as `@\"\\.[a-z]+$\"`"
            .to_string()
    } else if rest.starts_with("&&") {
        "KQL writes `and` instead of `&&`".to_string()
    } else if rest.starts_with("||") {
        "KQL writes `or` instead of `||`".to_string()
    } else if rest.starts_with('=')
        && !rest.starts_with("==")
        && positives.iter().any(|r| is_operator_rule(*r))
    {
        "use `==` to compare; a single `=` only names a column (`extend x = ...`)".to_string()
    } else if rest.starts_with('=') && !rest.starts_with("==") {
        "a name goes before `=`: `extend name = expression`, `let name = value`".to_string()
    } else if word.eq_ignore_ascii_case("is") {
        "KQL has no `is null`: write `isnull(x)` or `isnotnull(x)` (and `isempty(x)` for strings)"
            .to_string()
    } else if word.eq_ignore_ascii_case("like") || word.eq_ignore_ascii_case("rlike") {
        "KQL has no LIKE: use `contains`, `startswith`, `endswith` or `matches regex`".to_string()
    } else if word == "AND" || word == "OR" || word == "NOT" {
        "KQL keywords are lower-case: `and`, `or`, `not(...)`".to_string()
    } else if word.eq_ignore_ascii_case("not") || prev == "not" {
        "KQL writes negation as a function, `not(expr)`, or as `!` on an operator (`!has`, `!in`)"
            .to_string()
    } else if matches!(word, "in" | "!in" | "in~" | "!in~" | "has_any" | "has_all") {
        format!("`{word}` takes a list in parentheses: `x {word} (\"a\", \"b\")`")
    } else if rest.starts_with(',') && inside_call(text, span.start, "between") {
        "`between` takes a range with `..`: `x between (1 .. 10)`".to_string()
    } else if inside_call(text, span.start, "dynamic") {
        "dynamic literals are JSON: `dynamic([1, \"a\"])`, `dynamic({\"key\": 1})` with quoted keys"
            .to_string()
    } else if prev_char == Some('[') && positives.iter().all(|r| is_string_part(*r)) {
        "`[` starts a quoted name such as `['odd name']`; arrays are written `dynamic([1, 2])`"
            .to_string()
    } else if word.starts_with(|c: char| c.is_ascii_digit())
        && word.contains(|c: char| c.is_ascii_alphabetic())
        && !word.contains(|c: char| c.is_ascii_uppercase())
    {
        "a number can't be followed by letters; timespans are written `10m`, `1h`, `1d`, `30s`, `100ms`".to_string()
    } else if before.ends_with(['\'', '"'])
        && word.chars().all(char::is_alphanumeric)
        && !before.trim_end().ends_with("\"\"")
    {
        "is a quote inside the string closing it early? Escape it (`'it\\'s'`) or use the other quote (`\"it's\"`)".to_string()
    } else if positives.contains(&Rule::kw_with)
        && prev_word(text, span.start) != "with"
        && text.contains("parse")
    {
        "`parse` needs `with` before its pattern: `parse csUriQuery with \"id=\" id:long *`"
            .to_string()
    } else if rest.starts_with('|') && prev_char == Some(';') {
        "`;` ends the statement: remove it to keep piping into the next operator".to_string()
    } else if rest.starts_with('|') && span.start == before.len() && before.trim().is_empty() {
        "a query starts with a table name: `W3CIISLog | take 10`".to_string()
    } else if newline_between
        && positives.contains(&Rule::EOI)
        && text.trim_start().starts_with("let")
    {
        "is a `;` missing at the end of the line before? Each `let` statement ends with `;`"
            .to_string()
    } else if rest.starts_with('{') && prev_char == Some(')') {
        "function parameters need a type: `let f = (x:string, n:long = 5) { ... }`".to_string()
    } else if rest.starts_with("!has_any") || rest.starts_with("!has_all") {
        "KQL has no `!has_any`/`!has_all`: write `not(x has_any (...))`".to_string()
    } else if word == "with" && text.contains("render") && !rest[4..].trim_start().starts_with('(')
    {
        "render properties go in parentheses: `render timechart with (title = \"Requests\")`"
            .to_string()
    } else if is_timespan_unit(word) && prev.chars().all(|c| c.is_ascii_digit()) && !prev.is_empty()
    {
        format!("write timespans without a space: `{prev}{word}`")
    } else if word.starts_with(|c: char| c.is_ascii_digit())
        && word.contains(|c: char| c.is_ascii_uppercase())
    {
        "timespan units are lower-case: `1d`, `10m`, `30s`, `100ms`".to_string()
    } else {
        return None;
    };
    Some(h)
}

fn is_timespan_unit(word: &str) -> bool {
    matches!(
        word,
        "d" | "h"
            | "m"
            | "s"
            | "ms"
            | "min"
            | "sec"
            | "day"
            | "days"
            | "hour"
            | "hours"
            | "minute"
            | "minutes"
            | "second"
            | "seconds"
    )
}

/// Whether the text starts like a value: a name, a number or a string.
fn starts_value(rest: &str) -> bool {
    rest.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '"' || c == '\'' || c == '@')
}
