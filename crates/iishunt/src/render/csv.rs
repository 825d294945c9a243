//! CSV: a header line, then one line per row; RFC 4180 quoting, datetimes in
//! ISO 8601 UTC, timespans as Kusto text, dynamic values as JSON, nulls as
//! empty cells. Cells that a spreadsheet would run as a formula (starting
//! with `=`, `+`, `-`, `@`, tab or CR) get a leading `'` unless the caller
//! turns that off — log fields are attacker-controlled (OWASP "CSV
//! injection").

use std::io::{self, Write};

use super::cell;
use crate::{KType, QueryResult};

/// How CSV is written.
#[derive(Debug, Clone, Copy)]
pub struct CsvOptions {
    /// Prefix formula-like text cells with `'` (default: on).
    pub neutralise_formulas: bool,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            neutralise_formulas: true,
        }
    }
}

/// Writes `result` as CSV with a header line; lines end in `\n`.
pub fn write_csv(result: &QueryResult, options: CsvOptions, out: &mut dyn Write) -> io::Result<()> {
    let header: Vec<String> = result
        .columns
        .iter()
        .map(|(n, _)| field(n, false))
        .collect();
    writeln!(out, "{}", header.join(","))?;
    let mut line = String::new();
    for batch in &result.batches {
        let cols = cell::columns(batch, &result.columns);
        for row in 0..batch.num_rows() {
            line.clear();
            for (i, col) in cols.iter().enumerate() {
                if i > 0 {
                    line.push(',');
                }
                if let Some(text) = col.value(row).text() {
                    let textual =
                        matches!(col.ktype(), KType::String | KType::Dynamic | KType::Guid);
                    push_field(&mut line, &text, textual && options.neutralise_formulas);
                }
            }
            line.push('\n');
            out.write_all(line.as_bytes())?;
        }
    }
    Ok(())
}

/// One CSV field: neutralised if asked and formula-like, then quoted when it
/// holds a comma, quote, CR or LF (quotes doubled).
pub fn field(text: &str, neutralise: bool) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    push_field(&mut out, text, neutralise);
    out
}

/// [`field`], appended to `out` (no allocation for plain cells).
pub fn push_field(out: &mut String, text: &str, neutralise: bool) {
    let guard = neutralise && is_formula(text);
    let quote = text.contains([',', '"', '\n', '\r']);
    if quote {
        out.push('"');
    }
    if guard {
        out.push('\'');
    }
    if quote {
        for c in text.chars() {
            if c == '"' {
                out.push('"');
            }
            out.push(c);
        }
        out.push('"');
    } else {
        out.push_str(text);
    }
}

/// Would a spreadsheet treat this cell as a formula?
pub fn is_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::tests::sample;

    fn csv(options: CsvOptions) -> String {
        let mut out = Vec::new();
        write_csv(&sample(), options, &mut out).expect("write");
        String::from_utf8(out).expect("utf8")
    }

    #[test]
    fn csv_has_header_iso_datetimes_json_dynamic_and_quoting() {
        let text = csv(CsvOptions::default());
        let expected = "\
TimeGenerated,cIP,csUriStem,count_,set_sPort,Duration
2026-03-08T16:05:12Z,198.51.100.77,/wp-login.php,7,\"[80,443]\",00:01:00
2026-03-08T16:05:12.5Z,,\"a,b \"\"c\"\"\",12345,[],1.02:00:03
,10.0.0.1,\"'=HYPERLINK(\"\"http://x\"\")\u{1b}[31m\",,\"[\"\"x\"\"]\",
";
        assert_eq!(text, expected);
    }

    #[test]
    fn formula_cells_are_neutralised_unless_turned_off() {
        for (cell, guarded) in [
            ("=1+1", "'=1+1"),
            ("+x", "'+x"),
            ("-x", "'-x"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
        ] {
            assert_eq!(field(cell, true), guarded);
            assert_eq!(field(cell, false), cell);
        }
        assert_eq!(field("\rx", true), "\"'\rx\"");
        assert_eq!(field("plain", true), "plain");
        let text = csv(CsvOptions {
            neutralise_formulas: false,
        });
        assert!(text.contains(",\"=HYPERLINK("), "{text}");
    }
}
