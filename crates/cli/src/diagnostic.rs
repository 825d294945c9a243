//! Renders an `iishunt::Error` for people: with miette, a caret under the
//! span of the query text it blames, the label, the help and the stable
//! error code; the file name when the query came from a file. Fancy (colour,
//! Unicode) on a terminal, plain when not a terminal or `NO_COLOR` is set.

use iishunt::render::cell::escape_control;
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource, Report,
};

/// Where the query text came from, for the diagnostic's header.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// A file name, or `None` for text given on the command line / typed.
    pub name: Option<&'a str>,
    pub text: &'a str,
}

/// The rendered diagnostic, ending in a newline.
pub fn render(err: &iishunt::Error, source: Source<'_>, color: bool) -> String {
    let mut diag =
        MietteDiagnostic::new(safe(&err.to_string())).with_code(format!("iishunt::{}", err.code()));
    if let Some(help) = err.help() {
        diag = diag.with_help(safe(help));
    }
    // The query text is shown too: escaped like the messages, the span moved
    // to the same characters of the escaped text.
    let (shown, shift) = safe_source(source.text);
    if let Some(span) = err.span() {
        let (start, end) = clamp(source.text, span.start, span.end);
        let (start, end) = (shift(start), shift(end));
        let label = err.label().map(safe);
        diag = diag.with_label(LabeledSpan::new(label, start, end - start));
    }
    let name = source.name.unwrap_or("query");
    let report = Report::new(diag).with_source_code(NamedSource::new(name, shown));
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
    let mut out = String::new();
    if handler.render_report(&mut out, report.as_ref()).is_err() {
        out = format!("error: {err}\n");
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// Messages can quote values from the logs: control characters and ANSI
/// escapes in them are shown escaped (line breaks are kept).
fn safe(text: &str) -> String {
    text.split('\n')
        .map(|l| escape_control(l).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The query text with control characters escaped as in [`safe`] (line
/// breaks, CRLF and tabs kept), and a map from byte offsets of the text to
/// byte offsets of the escaped text.
fn safe_source(text: &str) -> (String, impl Fn(usize) -> usize) {
    let mut out = String::with_capacity(text.len());
    // (offset in text, bytes added before it), at each escaped character.
    let mut added: Vec<(usize, usize)> = Vec::new();
    let mut extra = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let keep =
            c == '\n' || c == '\t' || (c == '\r' && chars.peek().is_some_and(|(_, n)| *n == '\n'));
        if keep {
            out.push(c);
            continue;
        }
        let mut buf = [0u8; 4];
        let escaped = escape_control(c.encode_utf8(&mut buf));
        out.push_str(&escaped);
        if escaped.len() != c.len_utf8() {
            extra += escaped.len() - c.len_utf8();
            added.push((i + c.len_utf8(), extra));
        }
    }
    let shift = move |offset: usize| {
        let before = added.partition_point(|(at, _)| *at <= offset);
        offset + if before == 0 { 0 } else { added[before - 1].1 }
    };
    (out, shift)
}

/// A span made safe for the text: inside it and on character boundaries.
fn clamp(text: &str, start: usize, end: usize) -> (usize, usize) {
    let mut s = start.min(text.len());
    while !text.is_char_boundary(s) {
        s -= 1;
    }
    let mut e = end.clamp(s, text.len());
    while !text.is_char_boundary(e) {
        e += 1;
    }
    (s, e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_clamped_to_char_boundaries() {
        assert_eq!(clamp("abc", 1, 99), (1, 3));
        assert_eq!(clamp("aé", 2, 2), (1, 3));
        assert_eq!(clamp("", 5, 9), (0, 0));
    }

    #[test]
    fn escapes_in_messages_are_not_sent_raw() {
        let err = iishunt::Error::Data("bad value \x1b[2J here".into());
        let text = render(
            &err,
            Source {
                name: None,
                text: "x",
            },
            false,
        );
        assert!(!text.contains('\x1b'), "{text:?}");
        assert!(text.contains("\\x1b[2J"), "{text}");
    }

    #[test]
    fn data_errors_render_without_a_span() {
        let err = iishunt::Error::Data("no such dataset".into());
        let text = render(
            &err,
            Source {
                name: None,
                text: "W3CIISLog",
            },
            false,
        );
        assert!(text.contains("no such dataset"), "{text}");
        assert!(text.contains("iishunt::data"), "{text}");
    }

    #[test]
    fn the_quoted_query_is_escaped_and_the_caret_follows() {
        let (shown, shift) = safe_source("a\u{1b}[31mb\r\nc\u{7}d");
        assert_eq!(shown, "a\\x1b[31mb\r\nc\\x07d");
        // `b` (offset 6) moves right by the 3 bytes `\x1b` added; `d` by 6.
        assert_eq!(&shown[shift(6)..shift(7)], "b");
        assert_eq!(&shown[shift(11)..shift(12)], "d");
        assert_eq!(shift(0), 0);
    }
}
