//! Elasticsearch's own ES|QL spec tests, the ones that start with `ROW` (no
//! index needed), carried over as facts in `tests/esql/spec/*.slt`: each case
//! keeps Elasticsearch's test name, query and expected table, written as in
//! its `*.csv-spec` files:
//!
//! ```text
//! query negate
//! row x=1 | eval a = -x
//! ----
//! x:integer | a:integer
//! 1         | -1
//! ```
//!
//! Cells are compared by the column's Elasticsearch type: doubles as numbers
//! (a relative error of 1e-9, as the spec files round some results), dates
//! as instants (`2024-11-06T00:00:00.000Z`), `[a, b]` as a multi-value, `null`
//! as null, anything else as text. The type after `:` is checked by family
//! (any integer type, double, text, boolean, date), so `CEIL(1)` must stay an
//! integer.
//!
//! - `query NAME`: must give Elasticsearch's table.
//! - `error NAME`: what iishunt refuses, with its rendered error (as in
//!   `tests/golden.rs`): a function or command we do not support, by name.
//! - `pending NAME`: Elasticsearch's table, which iishunt does not give yet;
//!   counted, and reported when it starts to pass so it can be promoted.
//!
//! `IISHUNT_SPEC_SHOW=1 cargo test --test tests esql_spec -- --nocapture`
//! prints every case that is not a pass, with what iishunt gave.

use std::path::{Path, PathBuf};

use iishunt::render::cell::{Column, Value};
use iishunt::{Engine, KType, NowSetting, QueryOptions};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Query,
    Error,
    Pending,
}

struct Case {
    kind: Kind,
    name: String,
    query: String,
    expected: Vec<String>,
    line: usize,
}

fn parse_cases(text: &str) -> Vec<Case> {
    let lines: Vec<&str> = text.lines().collect();
    let mut cases = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let (kind, name) = match lines[i].split_once(' ') {
            Some(("query", n)) => (Kind::Query, n),
            Some(("error", n)) => (Kind::Error, n),
            Some(("pending", n)) => (Kind::Pending, n),
            _ => {
                i += 1;
                continue;
            }
        };
        let start = i + 1;
        let mut j = start;
        while j < lines.len() && lines[j] != "----" {
            j += 1;
        }
        let mut k = (j + 1).min(lines.len());
        let mut expected = Vec::new();
        while k < lines.len() && !lines[k].trim().is_empty() {
            expected.push(lines[k].to_string());
            k += 1;
        }
        cases.push(Case {
            kind,
            name: name.trim().to_string(),
            query: lines[start..j.min(lines.len())].join("\n"),
            expected,
            line: i + 1,
        });
        i = k;
    }
    cases
}

/// Cells of one table line: `|`-separated, `\|` is a literal bar.
fn cells(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                chars.next();
                if let Some(last) = out.last_mut() {
                    last.push('|');
                }
            }
            '|' => out.push(String::new()),
            _ => {
                if let Some(last) = out.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    out.into_iter().map(|c| c.trim().to_string()).collect()
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Family {
    Integer,
    Double,
    Text,
    Bool,
    Date,
    Span,
    Any,
}

fn es_family(ty: &str) -> Family {
    match ty.trim().to_ascii_lowercase().as_str() {
        "integer" | "int" | "i" | "long" | "l" | "unsigned_long" | "ul" | "counter_long" => {
            Family::Integer
        }
        "double" | "d" | "float" | "half_float" | "scaled_float" => Family::Double,
        "keyword" | "k" | "text" | "s" | "string" | "ip" | "version" | "v" => Family::Text,
        "boolean" | "bool" | "b" => Family::Bool,
        "date" | "datetime" | "date_nanos" => Family::Date,
        "time_duration" | "date_period" => Family::Span,
        _ => Family::Any,
    }
}

fn our_family(ty: KType) -> Family {
    match ty {
        KType::Int | KType::Long => Family::Integer,
        KType::Real | KType::Decimal => Family::Double,
        KType::String | KType::Guid => Family::Text,
        KType::Bool => Family::Bool,
        KType::DateTime => Family::Date,
        KType::TimeSpan => Family::Span,
        KType::Dynamic => Family::Any,
    }
}

fn parse_f64(s: &str) -> Option<f64> {
    match s {
        "NaN" => Some(f64::NAN),
        "Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        _ => s.parse().ok(),
    }
}

fn doubles_equal(a: f64, b: f64) -> bool {
    if a.is_nan() || b.is_nan() {
        return a.is_nan() && b.is_nan();
    }
    if a == b {
        // Also tells -0.0 from 0.0, which the spec files do.
        return a.is_sign_negative() == b.is_sign_negative();
    }
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
}

/// Microseconds since the epoch of an Elasticsearch date cell.
fn parse_date(s: &str) -> Option<i64> {
    if let Ok(d) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(d.timestamp_micros());
    }
    let day = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    Some(day.and_hms_opt(0, 0, 0)?.and_utc().timestamp_micros())
}

/// One expected scalar against one value of ours, by family.
fn scalar_matches(expected: &str, family: Family, actual: &Value) -> bool {
    if expected == "null" {
        return actual.is_null();
    }
    match (family, actual) {
        (_, Value::Null) => false,
        (Family::Double, v) => match (parse_f64(expected), v.as_f64()) {
            (Some(e), Some(a)) => doubles_equal(e, a),
            _ => false,
        },
        (Family::Date, Value::DateTime(us)) => parse_date(expected) == Some(*us),
        (Family::Any, Value::Real(a)) => parse_f64(expected).is_some_and(|e| doubles_equal(e, *a)),
        (_, v) => v.text().is_some_and(|t| t == unquote(expected)),
    }
}

/// The spec files may quote a text value: `"zoo"` is `zoo`.
fn unquote(s: &str) -> &str {
    if s.len() >= 2 && s.starts_with('"') && s.ends_with('"') {
        &s[1..s.len() - 1]
    } else {
        s
    }
}

/// The values of a dynamic cell: a JSON array's elements, or the one value.
fn json_values(text: &str) -> Option<Vec<serde_json::Value>> {
    match serde_json::from_str::<serde_json::Value>(text).ok()? {
        serde_json::Value::Array(items) => Some(items),
        v => Some(vec![v]),
    }
}

fn json_to_value(v: &serde_json::Value) -> Value<'static> {
    use serde_json::Value as J;
    match v {
        J::Null => Value::Null,
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => n
                .as_u64()
                .map_or_else(|| Value::Real(n.as_f64().unwrap_or(f64::NAN)), Value::UInt),
        },
        J::String(s) => {
            // Dates inside a multi-value are ISO text.
            Value::Str(s.clone().into())
        }
        other => Value::Str(other.to_string().into()),
    }
}

fn cell_matches(expected: &str, family: Family, actual: &Value) -> bool {
    let multi = expected.starts_with('[') && expected.ends_with(']');
    let wanted: Vec<&str> = if multi {
        expected[1..expected.len() - 1]
            .split(',')
            .map(str::trim)
            .collect()
    } else {
        vec![expected]
    };
    let got: Vec<Value> = match actual {
        Value::Dynamic(text) => match json_values(text) {
            Some(items) => items.iter().map(json_to_value).collect(),
            None => return false,
        },
        Value::Null if !multi => return expected == "null",
        v => vec![v.clone()],
    };
    if got.len() != wanted.len() {
        return false;
    }
    wanted.iter().zip(&got).all(|(w, g)| match (family, g) {
        (Family::Date, Value::Str(s)) => parse_date(w).is_some() && parse_date(w) == parse_date(s),
        _ => scalar_matches(w, family, g),
    })
}

/// Why a result differs from the expected table, or `None` when it matches.
fn compare(
    expected: &[String],
    columns: &[(String, KType)],
    rows: &[Vec<Value>],
) -> Option<String> {
    let Some(header) = expected.first() else {
        return Some("the case has no expected header".into());
    };
    let heads: Vec<(String, Family)> = cells(header)
        .iter()
        .map(|h| match h.rsplit_once(':') {
            Some((n, t)) => (n.trim().to_string(), es_family(t)),
            None => (h.clone(), Family::Any),
        })
        .collect();
    let names: Vec<&str> = columns.iter().map(|(n, _)| n.as_str()).collect();
    let want_names: Vec<&str> = heads.iter().map(|(n, _)| n.as_str()).collect();
    if names != want_names {
        return Some(format!("columns {names:?}, expected {want_names:?}"));
    }
    for ((name, fam), (_, ty)) in heads.iter().zip(columns) {
        let ours = our_family(*ty);
        if *fam != Family::Any && ours != Family::Any && ours != *fam {
            return Some(format!("column `{name}` is {ty}, expected {fam:?}"));
        }
    }
    let want_rows: Vec<Vec<String>> = expected[1..].iter().map(|l| cells(l)).collect();
    if want_rows.len() != rows.len() {
        return Some(format!("{} rows, expected {}", rows.len(), want_rows.len()));
    }
    for (r, (want, got)) in want_rows.iter().zip(rows).enumerate() {
        if want.len() != got.len() {
            return Some(format!(
                "row {r}: {} cells, expected {}",
                got.len(),
                want.len()
            ));
        }
        for (c, (w, g)) in want.iter().zip(got).enumerate() {
            if !cell_matches(w, heads[c].1, g) {
                return Some(format!(
                    "row {r}, column `{}`: got {}, expected {w}",
                    heads[c].0,
                    g.text().map_or("null".into(), |t| t.to_string())
                ));
            }
        }
    }
    None
}

/// What a case gave: `Ok(None)` when it matches, `Ok(Some(why))` when the
/// rows differ, `Err(text)` when the query failed (the rendered error).
fn run_case(engine: &Engine, case: &Case) -> Result<Option<String>, String> {
    let options = QueryOptions {
        now: NowSetting::Fixed(0),
        ..Default::default()
    };
    let result = engine.query(&case.query, &options).map_err(|err| {
        let at = err.span().map_or(String::new(), |span| {
            let before = &case.query[..span.start.min(case.query.len())];
            let line = before.matches('\n').count() + 1;
            let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!(" at {line}:{col}")
        });
        let help = err
            .help()
            .map(|h| format!(" (help: {h})"))
            .unwrap_or_default();
        format!("{}{at}: {err}{help}", err.code())
    })?;
    let mut rows: Vec<Vec<Value>> = Vec::new();
    let mut owned: Vec<Vec<Column>> = Vec::new();
    for batch in &result.batches {
        owned.push(
            batch
                .columns()
                .iter()
                .zip(&result.columns)
                .map(|(a, (_, t))| Column::new(a, *t))
                .collect(),
        );
    }
    for cols in &owned {
        for r in 0..cols.first().map_or(0, Column::len) {
            rows.push(cols.iter().map(|c| c.value(r)).collect());
        }
    }
    Ok(compare(&case.expected, &result.columns, &rows))
}

fn spec_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/esql/spec")
}

#[test]
fn elasticsearch_row_spec_cases() {
    let engine =
        Engine::open(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/golden")])
            .expect("open the fixture logs");
    let show = std::env::var_os("IISHUNT_SPEC_SHOW").is_some();
    let mut files: Vec<PathBuf> = std::fs::read_dir(spec_dir())
        .expect("tests/esql/spec")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "slt"))
        .collect();
    files.sort();
    let mut failures = Vec::new();
    let mut promote = Vec::new();
    let mut totals = [0usize; 4];
    for file in &files {
        let text = std::fs::read_to_string(file).expect("read .slt");
        let stem = file
            .file_stem()
            .map_or(String::new(), |s| s.to_string_lossy().into_owned());
        let mut counts = [0usize; 4]; // cases, passing, refused by name, pending
        for case in parse_cases(&text) {
            counts[0] += 1;
            let outcome = run_case(&engine, &case);
            let at = format!("{stem}.slt:{} {}", case.line, case.name);
            let problem = match (case.kind, &outcome) {
                (Kind::Query, Ok(None)) => {
                    counts[1] += 1;
                    None
                }
                (Kind::Query, Ok(Some(why))) => Some(why.clone()),
                (Kind::Query, Err(e)) => Some(format!("error: {e}")),
                (Kind::Error, Err(e)) if case.expected.join("\n") == *e => {
                    counts[2] += 1;
                    None
                }
                (Kind::Error, Err(e)) => Some(format!("error: {e}")),
                (Kind::Error, Ok(_)) => Some("gave rows, expected an error".into()),
                (Kind::Pending, Ok(None)) => {
                    counts[3] += 1;
                    promote.push(at.clone());
                    None
                }
                (Kind::Pending, Ok(Some(why))) => {
                    counts[3] += 1;
                    if show {
                        println!("pending {at}: {why}");
                    }
                    None
                }
                (Kind::Pending, Err(e)) => {
                    counts[3] += 1;
                    if show {
                        println!("pending {at}: error: {e}");
                    }
                    None
                }
            };
            if let Some(p) = problem {
                if show {
                    println!("FAIL {at}: {p}");
                }
                failures.push(format!("{at}: {p}"));
            }
        }
        println!(
            "{stem}: {} cases, {} pass, {} refused by name, {} pending",
            counts[0], counts[1], counts[2], counts[3]
        );
        for (t, c) in totals.iter_mut().zip(counts) {
            *t += c;
        }
    }
    println!(
        "all: {} cases, {} pass, {} refused by name, {} pending",
        totals[0], totals[1], totals[2], totals[3]
    );
    if !promote.is_empty() {
        println!("pending cases that now pass (make them `query`): {promote:?}");
    }
    assert!(
        failures.is_empty(),
        "{} spec case(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
