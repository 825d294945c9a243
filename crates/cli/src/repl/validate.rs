//! When is a typed query complete? Enter runs the query unless the text so
//! far ends in a pipe, a comma, an operator word that needs more (`by`,
//! `and`, `or`), a `let …;` with nothing after it, leaves a bracket or a
//! string open, or is a bare table name (the usual first line of a KQL query
//! whose `| …` lines follow) — then the REPL asks for another line with a
//! continuation prompt. An empty line runs whatever is pending.

/// Last words that cannot end a query: an operator or keyword still waiting
/// for its argument.
const NEEDS_MORE: &[&str] = &[
    "by",
    "and",
    "or",
    "not",
    "with",
    "on",
    "in",
    "where",
    "extend",
    "project",
    "summarize",
    "take",
    "limit",
    "top",
    "order",
    "sort",
    "distinct",
    "render",
    "project-away",
    "project-keep",
    "project-rename",
    "let",
    "eval",
    "keep",
    "drop",
    "stats",
    "from",
    "rename",
    "as",
];

/// True when `text` can run as it is.
pub fn is_complete(text: &str) -> bool {
    let mut depth: i32 = 0;
    let mut quote: Option<char> = None;
    let mut verbatim = false; // @"…" strings have no escapes
    let mut chars = text.chars().peekable();
    let mut prev = '\0';
    while let Some(c) = chars.next() {
        if let Some(q) = quote {
            if c == '\\' && !verbatim {
                chars.next();
            } else if c == q {
                quote = None;
            } else if c == '\n' && q != '`' {
                // Kusto strings do not span lines: the user made a typo; let
                // the parser say so rather than waiting forever.
                quote = None;
            }
            prev = c;
            continue;
        }
        match c {
            '/' if chars.peek() == Some(&'/') => {
                // A comment runs to the end of the line.
                for n in chars.by_ref() {
                    if n == '\n' {
                        break;
                    }
                }
                prev = '\n';
                continue;
            }
            '"' | '\'' | '`' => {
                verbatim = prev == '@';
                quote = Some(c);
            }
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            _ => {}
        }
        prev = c;
    }
    if quote.is_some() || depth > 0 {
        return false;
    }
    let code = strip_comments(text);
    let trimmed = code.trim_end();
    if trimmed.is_empty() {
        return true;
    }
    if trimmed.ends_with(['|', ',', ';', '=', '(', '+', '-', '*', '/', '<', '>']) {
        return false;
    }
    if trimmed.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return false;
    }
    let last = trimmed
        .rsplit(|c: char| c.is_whitespace())
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    !NEEDS_MORE.contains(&last.as_str())
}

/// The text with `//` comments removed (outside strings), for the
/// trailing-token checks.
fn strip_comments(text: &str) -> String {
    text.lines()
        .map(|line| {
            let mut quote: Option<char> = None;
            let bytes: Vec<char> = line.chars().collect();
            for (i, &c) in bytes.iter().enumerate() {
                match quote {
                    Some(q) if c == q => quote = None,
                    Some(_) => {}
                    None if c == '"' || c == '\'' => quote = Some(c),
                    None if c == '/' && bytes.get(i + 1) == Some(&'/') => {
                        return bytes[..i].iter().collect::<String>();
                    }
                    None => {}
                }
            }
            line.to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::is_complete;

    #[test]
    fn complete_and_incomplete_inputs() {
        let complete = [
            "W3CIISLog | take 5",
            "W3CIISLog\n| where scStatus == \"404\"\n| count",
            "W3CIISLog | where csUriStem has \"a|b\"",
            "W3CIISLog | take 5 // comment with a trailing |",
            "print x = dynamic([1, 2])",
            "from logs-iis.access-* | limit 3",
            "",
        ];
        for q in complete {
            assert!(is_complete(q), "should be complete: {q:?}");
        }
        let incomplete = [
            "W3CIISLog",
            "W3CIISLog |",
            "W3CIISLog | where",
            "W3CIISLog | summarize count() by",
            "W3CIISLog | summarize count() by bin(TimeGenerated,",
            "W3CIISLog | where csUriStem has \"abc",
            "let timeBin = 1m;",
            "W3CIISLog | project cIP,",
            "W3CIISLog | where a == 1 and",
            "print x = dynamic([1,\n2",
        ];
        for q in incomplete {
            assert!(!is_complete(q), "should continue: {q:?}");
        }
    }
}
