//! Golden tests: query text → expected rows, in `tests/kql/*.slt` and
//! `tests/esql/*.slt`, over the hand-written logs in `tests/fixtures/golden/`.
//!
//! Each case runs twice: on the raw logs parsed in memory and on a Parquet
//! dataset ingested from them; both must give the expected text. A file reads:
//!
//! ```text
//! # a comment
//! query failed_logins_per_client
//! W3CIISLog | where scStatus == "401" | summarize count() by cIP
//! ----
//! cIP,count_
//! 203.0.113.7,22
//!
//! error unknown_column
//! W3CIISLog | where csUriStemm == "/"
//! ----
//! plan::unknown_column at 1:20: unknown column `csUriStemm` (help: did you mean `csUriStem`?)
//! ```
//!
//! A query with several result tables (a batch, `fork`, `facet`) expects
//! each under a `== name` line, in order.
//!
//! `IISHUNT_BLESS=1 cargo test --test tests golden` rewrites the expected
//! blocks from the actual output: review every change by hand before committing.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use iishunt::render::csv::{write_csv, CsvOptions};
use iishunt::{Engine, NowSetting, QueryOptions};

/// `now()` for every golden query: the day after the fixture logs.
const NOW: &str = "2026-03-09T00:00:00Z";

struct Case {
    kind: Kind,
    name: String,
    query: String,
    expected: String,
    /// Line of the directive in the file, for messages.
    line: usize,
    /// Lines `[start, end)` of the expected block, for blessing.
    expected_lines: (usize, usize),
}

#[derive(PartialEq)]
enum Kind {
    Query,
    Error,
}

fn parse_cases(text: &str) -> Vec<Case> {
    let lines: Vec<&str> = text.lines().collect();
    let mut cases = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let (kind, name) = if let Some(n) = line.strip_prefix("query ") {
            (Kind::Query, n)
        } else if let Some(n) = line.strip_prefix("error ") {
            (Kind::Error, n)
        } else {
            i += 1;
            continue;
        };
        let start = i + 1;
        let mut j = start;
        while j < lines.len() && lines[j] != "----" {
            j += 1;
        }
        let query = lines[start..j.min(lines.len())].join("\n");
        // The expected block runs to the first blank line.
        let mut k = j + 1;
        while k < lines.len() && !lines[k].trim().is_empty() {
            k += 1;
        }
        let expected = lines[(j + 1).min(lines.len())..k]
            .join("\n")
            .trim_end()
            .to_string();
        let expected_lines = ((j + 1).min(lines.len()), k);
        cases.push(Case {
            kind,
            name: name.trim().to_string(),
            query,
            expected,
            line: i + 1,
            expected_lines,
        });
        i = k;
    }
    cases
}

fn render_case(engine: &Engine, case: &Case, one_pass_bytes: Option<usize>) -> String {
    let now = chrono::DateTime::parse_from_rfc3339(NOW)
        .map(|d| d.timestamp_micros())
        .unwrap_or(0);
    let options = QueryOptions {
        now: NowSetting::Fixed(now),
        one_pass_bytes,
        ..Default::default()
    };
    match engine.query(&case.query, &options) {
        Ok(result) => {
            let mut out = Vec::new();
            let csv = CsvOptions {
                neutralise_formulas: false,
            };
            // Several result tables (a batch, fork, facet): each under a
            // `== name` line, in order.
            for table in result.earlier.iter().chain([&result]) {
                if !result.earlier.is_empty() {
                    let name = table.name.as_deref().unwrap_or("(unnamed)");
                    out.extend_from_slice(format!("== {name}\n").as_bytes());
                }
                write_csv(table, csv, &mut out).expect("writing CSV to memory");
            }
            let text = String::from_utf8_lossy(&out)
                .replace("\r\n", "\n")
                .trim_end()
                .to_string();
            if case.kind == Kind::Error {
                format!("expected an error, got rows:\n{text}")
            } else {
                text
            }
        }
        Err(err) => {
            let at = match err.span() {
                Some(span) => {
                    let before = &case.query[..span.start.min(case.query.len())];
                    let line = before.matches('\n').count() + 1;
                    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                    format!(" at {line}:{col}")
                }
                None => String::new(),
            };
            let help = err
                .help()
                .map(|h| format!(" (help: {h})"))
                .unwrap_or_default();
            format!("{}{at}: {err}{help}", err.code())
        }
    }
}

fn fixture_logs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/golden")
}

/// The engines every case runs on: raw logs in memory, and the ingested
/// dataset (once more with every `summarize … | where` forced into two passes).
fn engines() -> &'static Vec<(&'static str, Engine, Option<usize>)> {
    static ENGINES: OnceLock<Vec<(&'static str, Engine, Option<usize>)>> = OnceLock::new();
    ENGINES.get_or_init(|| {
        let raw = Engine::open(&[fixture_logs()]).expect("open the raw fixture logs");
        let dir = tempfile::tempdir().expect("temp dir").keep();
        let out = dir.join("ds");
        iishunt::ingest::ingest(
            &[fixture_logs()],
            &iishunt::ingest::IngestOptions::new(&out),
        )
        .expect("ingest fixtures");
        // A dataset folder has no lookups/ of its own here: pass the fixture's.
        let lookups: Vec<PathBuf> = std::fs::read_dir(fixture_logs().join("lookups"))
            .expect("fixture lookups")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        let dataset = Engine::open_with_lookups(std::slice::from_ref(&out), &lookups)
            .expect("open the ingested dataset");
        let forced =
            Engine::open_with_lookups(&[out], &lookups).expect("open the ingested dataset");
        vec![
            ("raw logs", raw, None),
            ("parquet dataset", dataset, None),
            ("parquet dataset, two-pass summarize", forced, Some(0)),
        ]
    })
}

fn run_dir(dir: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "slt"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .slt files in {}", root.display());
    let bless = std::env::var_os("IISHUNT_BLESS").is_some();
    let mut failures = Vec::new();
    let mut count = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read .slt");
        let cases = parse_cases(&text);
        let mut blessed: Vec<(usize, usize, String)> = Vec::new();
        for case in &cases {
            count += 1;
            let outputs: Vec<(&str, String)> = engines()
                .iter()
                .map(|(n, e, g)| (*n, render_case(e, case, *g)))
                .collect();
            let actual = &outputs[0].1;
            for (source, out) in &outputs[1..] {
                if out != actual {
                    failures.push(format!(
                        "{}:{} `{}`: {} and {} differ\n--- {}\n{actual}\n--- {source}\n{out}",
                        file.display(),
                        case.line,
                        case.name,
                        outputs[0].0,
                        source,
                        outputs[0].0
                    ));
                }
            }
            if *actual != case.expected {
                if bless {
                    blessed.push((case.expected_lines.0, case.expected_lines.1, actual.clone()));
                } else {
                    failures.push(format!(
                        "{}:{} `{}`\n--- expected\n{}\n--- actual\n{actual}",
                        file.display(),
                        case.line,
                        case.name,
                        case.expected
                    ));
                }
            }
        }
        if bless && !blessed.is_empty() {
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            for (start, end, actual) in blessed.into_iter().rev() {
                lines.splice(start..end, actual.lines().map(str::to_string));
            }
            std::fs::write(&file, lines.join("\n") + "\n").expect("write blessed .slt");
        }
    }
    assert!(count > 0, "no cases found under {dir}");
    assert!(
        failures.is_empty(),
        "{} of {count} golden cases failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn kql_golden_files() {
    run_dir("tests/kql");
}

#[test]
fn esql_golden_files() {
    run_dir("tests/esql");
}
