//! The syntax corpus in `tests/syntax/`: golden query texts that are both the
//! tests and the documentation of what the KQL parser accepts and rejects.
//!
//! * `valid/*.kql`: queries separated by `// =====` lines. Each must parse,
//!   and printing it must give text that parses back to the same AST (spans
//!   aside) and prints the same again.
//! * `invalid/*.txt`: queries separated by `// =====` lines, each followed by
//!   its expected error rendered with a caret (`SyntaxError::render`), every
//!   line behind `//! `. Run with `IISHUNT_BLESS=1` to rewrite the
//!   expectations from the parser's output — then review the diff by hand.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use iishunt_syntax::error::SyntaxError;
use iishunt_syntax::kql;
use iishunt_syntax::print::to_kql;
use iishunt_syntax::spans::without_spans;

const SEPARATOR: &str = "// =====";

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/syntax")
}

fn files(sub: &str, ext: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(corpus_dir().join(sub))
        .unwrap_or_else(|e| panic!("reading tests/syntax/{sub}: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    out.sort();
    out
}

/// Splits a corpus file into chunks at separator lines, with each chunk's
/// first line number.
fn chunks(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut start = 1;
    for (i, line) in text.lines().enumerate() {
        if line.starts_with(SEPARATOR) {
            out.push((start, std::mem::take(&mut cur)));
            start = i + 2;
        } else {
            cur.push_str(line);
            cur.push('\n');
        }
    }
    out.push((start, cur));
    out.into_iter()
        .filter(|(_, c)| !c.trim().is_empty())
        .collect()
}

#[test]
fn valid_queries_parse_and_round_trip() {
    let mut failures = String::new();
    let mut count = 0;
    for file in files("valid", "kql") {
        let text = fs::read_to_string(&file).expect("read corpus file");
        for (line, query) in chunks(&text) {
            count += 1;
            let at = format!("{}:{line}", file.display());
            let ast = match kql::parse(&query) {
                Ok(ast) => ast,
                Err(e) => {
                    let (l, c) = e.line_col(&query);
                    let _ = writeln!(
                        failures,
                        "{at}: does not parse: {l}:{c} {} {}\n{query}",
                        e.code, e.message
                    );
                    continue;
                }
            };
            let printed = to_kql(&ast);
            match kql::parse(&printed) {
                // Compared through Debug so `real(nan)` equals itself.
                Ok(again)
                    if format!("{:?}", without_spans(&again))
                        == format!("{:?}", without_spans(&ast)) =>
                {
                    let twice = to_kql(&again);
                    if twice != printed {
                        let _ = writeln!(
                            failures,
                            "{at}: printing is not stable:\n{printed}\n---\n{twice}"
                        );
                    }
                }
                Ok(again) => {
                    let _ = writeln!(
                        failures,
                        "{at}: printed text parses to a different AST:\n{printed}\n{:#?}\n---\n{:#?}",
                        without_spans(&ast),
                        without_spans(&again)
                    );
                }
                Err(e) => {
                    let _ = writeln!(
                        failures,
                        "{at}: printed text does not parse ({}):\n{printed}",
                        e.message
                    );
                }
            }
        }
    }
    assert!(failures.is_empty(), "{failures}");
    assert!(count > 0, "no valid corpus queries found");
}

/// The expected-error block: the full caret rendering, each line behind `//! `.
fn expectation(query: &str, e: &SyntaxError) -> String {
    e.render(query)
        .lines()
        .map(|l| format!("//! {l}\n"))
        .collect()
}

#[test]
fn invalid_queries_fail_where_and_how_expected() {
    let bless = std::env::var_os("IISHUNT_BLESS").is_some();
    let mut failures = String::new();
    let mut count = 0;
    for file in files("invalid", "txt") {
        let text = fs::read_to_string(&file).expect("read corpus file");
        let mut blessed = String::new();
        for (i, (line, chunk)) in chunks(&text).into_iter().enumerate() {
            count += 1;
            let query: String = chunk
                .lines()
                .filter(|l| !l.starts_with("//!"))
                .map(|l| format!("{l}\n"))
                .collect();
            let query = query.trim_end_matches('\n').to_string();
            let expected: String = chunk
                .lines()
                .filter(|l| l.starts_with("//!"))
                .map(|l| format!("{l}\n"))
                .collect();
            let actual = match kql::parse(&query) {
                Ok(_) => "//! parses, but should not\n".to_string(),
                Err(e) => expectation(&query, &e),
            };
            if actual != expected && !bless {
                let _ = writeln!(
                    failures,
                    "{}:{line}:\n{query}\n  expected:\n{expected}  actual:\n{actual}",
                    file.display()
                );
            }
            if i > 0 {
                blessed.push_str(SEPARATOR);
                blessed.push('\n');
            }
            blessed.push_str(&query);
            blessed.push('\n');
            blessed.push_str(&actual);
        }
        if bless {
            fs::write(&file, blessed).expect("write blessed corpus file");
        }
    }
    assert!(failures.is_empty(), "{failures}");
    assert!(count > 0, "no invalid corpus queries found");
}
