//! Syntax errors as data: what went wrong, where, and a hint. Rendering with a
//! caret is the CLI's job (miette); this crate only describes the error.

use crate::ast::Span;

/// A parse error at a span of the query text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SyntaxError {
    /// A stable code such as `kql::expected_operator`, for tests and docs.
    pub code: &'static str,
    /// What went wrong, in words a hunter understands.
    pub message: String,
    /// Where: byte offsets into the query text.
    pub span: Span,
    /// The label under the caret, e.g. "expected a tabular operator here".
    pub label: String,
    /// A suggestion, e.g. "did you mean `summarize`?".
    pub help: Option<String>,
}

impl SyntaxError {
    /// 1-based line and column (in characters) where the error starts, for
    /// `file:line:col` messages in batch runs.
    pub fn line_col(&self, text: &str) -> (usize, usize) {
        let mut at = self.span.start.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let before = &text[..at];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, col)
    }
}

impl SyntaxError {
    /// A plain-text rendering with the line and a caret under the span, for
    /// logs, batch output and golden tests (the CLI renders with miette):
    ///
    /// ```text
    /// error[kql::expected_operator]: expected a tabular operator after `|`, …
    ///  --> 1:13
    ///   |
    /// 1 | W3CIISLog | sumarize count() by cIP
    ///   |             ^^^^^^^^ not a tabular operator
    ///   = help: did you mean `summarize`?
    /// ```
    pub fn render(&self, text: &str) -> String {
        let (line, col) = self.line_col(text);
        let src = text.lines().nth(line - 1).unwrap_or("");
        let src_chars = src.chars().count();
        let start = (col - 1).min(src_chars);
        let end = self.span.end.min(text.len());
        let width = text
            .get(self.span.start.min(end)..end)
            .map_or(0, |s| s.split('\n').next().unwrap_or("").chars().count())
            .clamp(1, (src_chars + 1 - start).max(1));
        let gutter = line.to_string().len();
        let pad = " ".repeat(gutter);
        // Keep tabs so the caret lines up under them.
        let lead: String = src
            .chars()
            .take(start)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let mut out = format!(
            "error[{}]: {}\n{pad}--> {line}:{col}\n{pad} |\n{line} | {src}\n{pad} | {lead}{} {}\n",
            self.code,
            self.message,
            "^".repeat(width),
            self.label
        );
        if let Some(help) = &self.help {
            out.push_str(&format!("{pad} = help: {help}\n"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_lines_and_characters() {
        let e = SyntaxError {
            code: "x",
            message: String::new(),
            span: Span::new(9, 10),
            label: String::new(),
            help: None,
        };
        assert_eq!(e.line_col("ab\nçd | x"), (2, 6));
        assert_eq!(e.line_col(""), (1, 1));
    }

    #[test]
    fn render_puts_a_caret_under_the_span() {
        let e = SyntaxError {
            code: "kql::expected_operator",
            message: "expected a tabular operator".to_string(),
            span: Span::new(12, 20),
            label: "not a tabular operator".to_string(),
            help: Some("did you mean `summarize`?".to_string()),
        };
        let text = "W3CIISLog | sumarize count() by cIP";
        assert_eq!(
            e.render(text),
            "error[kql::expected_operator]: expected a tabular operator\n --> 1:13\n  |\n1 | W3CIISLog | sumarize count() by cIP\n  |             ^^^^^^^^ not a tabular operator\n  = help: did you mean `summarize`?\n"
        );
        // At the end of the text: one caret after the last character.
        let e = SyntaxError {
            span: Span::new(9, 9),
            help: None,
            ..e
        };
        assert!(e
            .render("W3CIISLog")
            .contains("  |          ^ not a tabular operator"));
        // Past the end or in an empty text, never a panic.
        let e = SyntaxError {
            span: Span::new(50, 60),
            ..e
        };
        let _ = e.render("");
        let _ = e.render("é\n\tx");
    }
}
