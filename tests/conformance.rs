//! Conformance with Kusto's own documentation: `tests/kql/docs/*.slt` holds
//! the examples of Microsoft Learn's KQL reference (the
//! MicrosoftDocs/dataexplorer-docs repository, `data-explorer/kusto/query/`)
//! that read only `print`, `datatable` and `range` and show their output
//! table. Query and table are carried over as written; nothing in them came
//! from iishunt.
//!
//! A case reads as in `tests/golden.rs` (`query NAME`, the query, `----`,
//! the expected table as CSV, a blank line). `pending NAME -- reason` marks an
//! example iishunt does not yet match, with the reason; it runs too, and
//! fails the test once it matches, so the counts in `docs/kql.md` stay true.
//!
//! The docs print tables for people, so cells compare as values, not text:
//! numbers within the precision the docs print, datetimes and timespans in any
//! of Kusto's display forms, `dynamic` as JSON, an empty cell as null or
//! empty. Rows compare in order when the query orders them (`sort`, `order`,
//! `top`, `serialize`, window functions), otherwise as a multiset.
//!
//! `IISHUNT_SURVEY=1 cargo test --test tests conformance -- --nocapture`
//! prints every case's outcome without asserting.

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime};
use iishunt::render::csv::{write_csv, CsvOptions};
use iishunt::{Engine, NowSetting, QueryOptions};
use serde_json::Value;

/// `now()` for every case (the docs' examples avoid it; a few print it
/// relative to itself).
const NOW: i64 = 1_767_225_600_000_000; // 2026-01-01T00:00:00Z

struct Case {
    name: String,
    /// `Some(reason)` for a `pending` case.
    pending: Option<String>,
    query: String,
    expected: String,
    file: PathBuf,
    line: usize,
}

fn parse_cases(file: &Path, text: &str) -> Vec<Case> {
    let lines: Vec<&str> = text.lines().collect();
    let mut cases = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let (name, pending) = if let Some(n) = lines[i].strip_prefix("query ") {
            (n.trim().to_string(), None)
        } else if let Some(rest) = lines[i].strip_prefix("pending ") {
            let (n, reason) = rest.split_once(" -- ").unwrap_or((rest, ""));
            (n.trim().to_string(), Some(reason.trim().to_string()))
        } else {
            i += 1;
            continue;
        };
        let mut j = i + 1;
        while j < lines.len() && lines[j] != "----" {
            j += 1;
        }
        let mut k = j + 1;
        while k < lines.len() && !lines[k].trim().is_empty() {
            k += 1;
        }
        cases.push(Case {
            name,
            pending,
            query: lines[i + 1..j.min(lines.len())].join("\n"),
            expected: lines[(j + 1).min(lines.len())..k.min(lines.len())].join("\n"),
            file: file.to_path_buf(),
            line: i + 1,
        });
        i = k;
    }
    cases
}

/// RFC 4180 CSV (quotes doubled inside quoted cells). A last line of `""`
/// is a row with one empty cell: how a case writes the docs' one-row table of
/// a null.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut in_row = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        in_row = c != '\n' || quoted;
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    if in_row {
        row.push(cell);
        rows.push(row);
    }
    rows
}

/// Digits after the decimal point of a number as the docs print it.
fn decimals(text: &str) -> Option<usize> {
    let mantissa = text.split(['e', 'E']).next().unwrap_or(text);
    mantissa.split_once('.').map(|(_, f)| f.len())
}

fn number(text: &str) -> Option<f64> {
    match text {
        "NaN" => Some(f64::NAN),
        "Infinity" | "+Infinity" | "inf" => Some(f64::INFINITY),
        "-Infinity" | "-inf" => Some(f64::NEG_INFINITY),
        _ if text.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '.' || c == '+') => {
            text.parse().ok().or_else(|| grouped(text))
        }
        _ => None,
    }
}

/// A number printed with thousands separators, as some pages show decimals
/// (`1,000,000,020,000,000,300,000,004`): groups of three digits only.
fn grouped(text: &str) -> Option<f64> {
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    let digits = int.strip_prefix('-').unwrap_or(int);
    let mut groups = digits.split(',');
    let first = groups.next()?;
    let ok = (1..=3).contains(&first.len())
        && digits.contains(',')
        && groups.all(|g| g.len() == 3)
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b',')
        && frac.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| text.replace(',', "").parse().ok()).flatten()
}

/// `expected` as the docs print it, `actual` computed.
fn same_number(expected: &str, e: f64, a: f64) -> bool {
    if e.is_nan() || a.is_nan() {
        return e.is_nan() && a.is_nan();
    }
    if e.is_infinite() || a.is_infinite() {
        return e == a;
    }
    let scale = e.abs().max(a.abs()).max(1.0);
    let mut tolerance = 1e-9 * scale;
    // The docs round for display: 0.18 stands for 0.1799….
    if let Some(d) = decimals(expected).filter(|d| *d < 15) {
        tolerance = tolerance.max(0.5 * 10f64.powi(-(d as i32)) * 1.000_001);
    }
    (e - a).abs() <= tolerance
}

fn datetime(text: &str) -> Option<NaiveDateTime> {
    let t = text.trim_end_matches('Z');
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(t, f) {
            return Some(d);
        }
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
}

/// A timespan `[-][d.]hh:mm:ss[.fffffff]` in 100ns ticks.
fn timespan(text: &str) -> Option<i128> {
    let (neg, t) = match text.strip_prefix('-') {
        Some(t) => (true, t),
        None => (false, text),
    };
    let (days, clock) = match t.split_once(':') {
        Some((head, _)) if head.contains('.') => {
            let (d, _) = head.split_once('.')?;
            (d.parse::<i128>().ok()?, &t[d.len() + 1..])
        }
        Some(_) => (0, t),
        None => return None,
    };
    let parts: Vec<&str> = clock.split(':').collect();
    if parts.len() != 3 {
        return None;
    }
    let h: i128 = parts[0].parse().ok()?;
    let m: i128 = parts[1].parse().ok()?;
    let (s, frac) = parts[2].split_once('.').unwrap_or((parts[2], ""));
    let s: i128 = s.parse().ok()?;
    let mut ticks_frac = 0i128;
    if !frac.is_empty() {
        let padded = format!("{frac:0<7}");
        ticks_frac = padded.get(..7)?.parse().ok()?;
    }
    let ticks = (((days * 24 + h) * 60 + m) * 60 + s) * 10_000_000 + ticks_frac;
    Some(if neg { -ticks } else { ticks })
}

fn same_json(e: &Value, a: &Value) -> bool {
    match (e, a) {
        (Value::Number(x), Value::Number(y)) => {
            let (Some(x), Some(y)) = (x.as_f64(), y.as_f64()) else {
                return false;
            };
            same_number(&e.to_string(), x, y)
        }
        (Value::String(x), Value::String(y)) => same_cell(x, y),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => e == a,
    }
}

/// One cell: the docs' text against iishunt's CSV text.
fn same_cell(expected: &str, actual: &str) -> bool {
    // The docs break long JSON over lines with HTML.
    let e = expected
        .replace("<br />", " ")
        .replace("<br/>", " ")
        .replace("<br>", " ");
    let e = e.trim();
    let a = actual.trim();
    if e == a {
        return true;
    }
    if e.is_empty() || e.eq_ignore_ascii_case("null") {
        return a.is_empty();
    }
    // Booleans: older pages print 1 and 0.
    match (e.to_ascii_lowercase().as_str(), a) {
        ("true" | "1", "true") | ("false" | "0", "false") => return true,
        _ => {}
    }
    // A string inside a `dynamic` column: the docs show it bare, iishunt's
    // CSV writes the JSON.
    if let Ok(Value::String(s)) = serde_json::from_str::<Value>(a) {
        if a.starts_with('"') && s == e {
            return true;
        }
    }
    let e = match e {
        "∞" => "Infinity",
        "-∞" => "-Infinity",
        _ => e,
    };
    if let (Some(x), Some(y)) = (number(e), number(a)) {
        return same_number(e, x, y);
    }
    if let (Some(x), Some(y)) = (datetime(e), datetime(a)) {
        return x == y;
    }
    if let (Some(x), Some(y)) = (timespan(e), timespan(a)) {
        return x == y;
    }
    if e.starts_with(['[', '{']) {
        // Some pages print JSON with single quotes.
        let parsed = serde_json::from_str::<Value>(e)
            .or_else(|_| serde_json::from_str::<Value>(&e.replace('\'', "\"")));
        if let (Ok(x), Ok(y)) = (parsed, serde_json::from_str::<Value>(a)) {
            return same_json(&x, &y);
        }
    }
    false
}

fn same_row(e: &[String], a: &[String]) -> bool {
    e.len() == a.len() && e.iter().zip(a).all(|(x, y)| same_cell(x, y))
}

/// Whether the query fixes the order of its output rows.
fn ordered(query: &str) -> bool {
    let q = query.to_ascii_lowercase();
    [
        "sort ",
        "order ",
        "top ",
        "serialize",
        "row_number",
        "prev(",
        "next(",
        "range ",
        "mv-expand",
        "make-series",
        "scan ",
    ]
    .iter()
    .any(|w| q.contains(w))
}

/// `None` when the result matches; otherwise why not.
fn compare(case: &Case, actual: &str) -> Option<String> {
    let e = parse_csv(&case.expected);
    let a = parse_csv(actual);
    let (Some(eh), Some(ah)) = (e.first(), a.first()) else {
        return Some("no header".into());
    };
    if eh.iter().map(|h| h.trim()).ne(ah.iter().map(|h| h.trim())) {
        return Some(format!("columns {ah:?}, documented {eh:?}"));
    }
    let (e, a) = (&e[1..], &a[1..]);
    if e.len() != a.len() {
        return Some(format!("{} rows, documented {}", a.len(), e.len()));
    }
    if e.iter().zip(a).all(|(x, y)| same_row(x, y)) {
        return None;
    }
    if !ordered(&case.query) {
        let mut left: Vec<&Vec<String>> = a.iter().collect();
        let all = e
            .iter()
            .all(|x| match left.iter().position(|y| same_row(x, y)) {
                Some(p) => {
                    left.swap_remove(p);
                    true
                }
                None => false,
            });
        if all {
            return None;
        }
    }
    let row = e
        .iter()
        .zip(a)
        .position(|(x, y)| !same_row(x, y))
        .unwrap_or(0);
    Some(format!(
        "row {}: {:?}, documented {:?}",
        row + 1,
        a[row],
        e[row]
    ))
}

fn run(engine: &Engine, case: &Case) -> Option<String> {
    let options = QueryOptions {
        now: NowSetting::Fixed(NOW),
        ..Default::default()
    };
    match engine.query(&case.query, &options) {
        Ok(result) => {
            let mut out = Vec::new();
            if let Err(e) = write_csv(
                &result,
                CsvOptions {
                    neutralise_formulas: false,
                },
                &mut out,
            ) {
                return Some(format!("writing CSV: {e}"));
            }
            compare(case, &String::from_utf8_lossy(&out))
        }
        Err(err) => Some(format!("{} {err}", err.code())),
    }
}

#[test]
fn kusto_documented_examples() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let dir = root.join("kql/docs");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "slt"))
        .collect();
    files.sort();
    let engine = Engine::open(&[root.join("fixtures/sentinel")]).expect("open a fixture");
    let survey = std::env::var_os("IISHUNT_SURVEY").is_some();
    let (mut total, mut passing) = (0, 0);
    let mut failures = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("read .slt");
        for case in parse_cases(file, &text) {
            total += 1;
            // A panic is a failure of that case, not of the whole suite.
            let outcome =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(&engine, &case)))
                    .unwrap_or_else(|_| Some("panicked".into()));
            if survey {
                match &outcome {
                    None => println!("PASS {}", case.name),
                    Some(why) => println!("FAIL {} -- {}", case.name, why.replace('\n', " ")),
                }
            }
            let at = format!("{}:{} `{}`", case.file.display(), case.line, case.name);
            match (&case.pending, outcome) {
                (None, None) => passing += 1,
                (None, Some(why)) => failures.push(format!("{at}: {why}")),
                (Some(_), None) => {
                    failures.push(format!("{at}: now matches the docs: make it `query`"))
                }
                (Some(reason), Some(_)) if reason.is_empty() => {
                    failures.push(format!("{at}: a pending case needs its reason"))
                }
                (Some(_), Some(_)) => {}
            }
        }
    }
    println!("Kusto's documented examples: {passing} of {total} match");
    if survey {
        return;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!((total, passing), (EXPECTED_TOTAL, EXPECTED_PASSING));
}

/// The counts `docs/kql.md` reports.
const EXPECTED_TOTAL: usize = 740;
const EXPECTED_PASSING: usize = 499;
