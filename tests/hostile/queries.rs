//! Hostile queries (issue 12): truncated, mangled, deeply nested, enormous
//! literals, arithmetic edge cases, absurd sizes. Each ends in a clear error
//! or a correct result — never a panic, a hang or an unbounded allocation —
//! under the limits a fuzz input gets (2 s, 256 MB).

use iishunt::fuzzing::{check_pipeline, fixture_engine, PIPELINE_MEMORY, PIPELINE_TIMEOUT};
use iishunt::{Error, NowSetting, QueryOptions, QueryResult};

fn options() -> QueryOptions {
    QueryOptions {
        now: NowSetting::Fixed(1_772_960_400_000_000),
        memory_limit: Some(PIPELINE_MEMORY),
        timeout: Some(PIPELINE_TIMEOUT),
        ..Default::default()
    }
}

/// Runs `text` on a thread with a 2 MiB stack (what embedders and test
/// threads get), through the fuzz property first, then for the outcome.
fn run(text: String) -> Result<QueryResult, String> {
    run_with(text, options())
}

/// [`run`] with other limits (the heavy cases need more than 2 s in a debug build).
fn run_with(text: String, options: QueryOptions) -> Result<QueryResult, String> {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            check_pipeline(&text);
            fixture_engine()
                .query(&text, &options)
                .map_err(|e: Error| format!("{} {e}", e.code()))
        })
        .expect("spawn")
        .join()
        .expect("the query must not panic")
}

fn error_of(text: impl Into<String>) -> String {
    match run(text.into()) {
        Ok(r) => panic!("expected an error, got {} rows", r.row_count()),
        Err(e) => e,
    }
}

/// The one row of a result, as CSV text.
fn cell(text: impl Into<String>) -> String {
    cell_with(text, options())
}

fn cell_with(text: impl Into<String>, options: QueryOptions) -> String {
    let r = run_with(text.into(), options).unwrap_or_else(|e| panic!("query failed: {e}"));
    let mut out = Vec::new();
    iishunt::render::write(
        &r,
        iishunt::render::Format::Csv,
        &Default::default(),
        &mut out,
    )
    .expect("csv");
    let out = String::from_utf8(out).expect("utf-8");
    let mut lines = out.lines();
    lines.next();
    lines.next().unwrap_or("").to_string()
}

#[test]
fn truncated_and_mangled_queries_are_syntax_errors() {
    assert!(error_of("W3CIISLog | where").starts_with("kql::"));
    assert!(error_of("W3CIISLog | summarize count() by").starts_with("kql::"));
    assert!(error_of("W3CIISLog | where csUriStem == \"abc").starts_with("kql::"));
    assert!(error_of("FROM logs-iis.access-* | WHERE").starts_with("esql::"));
    assert!(error_of("W3CIISLog | | | where").starts_with("kql::"));
    assert!(error_of("\u{0}\u{1b}[2J\u{7f}").starts_with("kql::"));
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let deep = format!("print {}1{}", "(".repeat(100_000), ")".repeat(100_000));
    assert!(error_of(deep).starts_with("kql::too_deep"));
    let deep = format!("ROW a = {}1{}", "(".repeat(100_000), ")".repeat(100_000));
    assert!(error_of(deep).starts_with("esql::"));
}

#[test]
fn enormous_literals() {
    // A 2 MB string literal is just a long string (parsing is linear: 10 MB
    // costs 5x the time, about 13 s in a debug build, so the test stays at 2).
    let big = format!("print n = strlen(\"{}\")", "é".repeat(1_000_000));
    assert_eq!(cell(big), "1000000");
    // A number that fits no long is refused with a hint.
    let e = error_of("print 99999999999999999999999");
    assert!(e.contains("too large for a long"), "{e}");
}

#[test]
fn division_by_zero_and_overflow_follow_kusto() {
    // Integer division by zero is null; real division gives infinity;
    // long arithmetic wraps at 64 bits.
    assert_eq!(
        cell("print a = 1 / 0, b = 1 % 0, c = 1.0 / 0, d = 9223372036854775807 + 1"),
        ",,Infinity,-9223372036854775808"
    );
}

#[test]
fn negative_take_is_an_error() {
    let e = error_of("range x from 1 to 5 step 1 | take -1");
    assert!(e.starts_with("kql::") || e.starts_with("plan::"), "{e}");
}

#[test]
fn absurd_ranges_are_refused_before_allocating() {
    let e = error_of("range x from 1 to 1e12 step 1");
    assert!(
        e.contains("range would make") && e.contains("limit 10,000,000"),
        "{e}"
    );
    // The row count is worked out in 128 bits: no overflow at the extremes.
    let e = error_of("range x from -9223372036854775807 to 9223372036854775807 step 1");
    assert!(e.starts_with("plan::range_size"), "{e}");
    let e = error_of("range x from 1 to 10 step 0");
    assert!(e.starts_with("plan::range_step"), "{e}");
    // At the cap, range is one Arrow column built from its bounds.
    let slow = QueryOptions {
        timeout: Some(std::time::Duration::from_secs(120)),
        ..options()
    };
    assert_eq!(
        cell_with("range x from 1 to 10000000 step 1 | count", slow),
        "10000000"
    );
}

#[test]
fn a_ten_thousand_branch_case() {
    let branches: String = (1..=10_000).map(|i| format!("x == {i}, {i}, ")).collect();
    let q = format!("range x from 9998 to 9998 step 1 | project y = case({branches}-1)");
    assert_eq!(cell(q), "9998");
}

#[test]
fn make_list_of_five_million_rows_is_capped_as_kusto_caps_it() {
    // Kusto's default make_list cap is 1,048,576 items.
    let q = "range x from 1 to 5000000 step 1 | summarize l = make_list(x) | project n = array_length(l)";
    let slow = QueryOptions {
        timeout: Some(std::time::Duration::from_secs(120)),
        ..options()
    };
    assert_eq!(cell_with(q, slow), "1048576");
}

#[test]
fn a_cartesian_join_stops_at_the_memory_limit_naming_join() {
    let q = "range x from 1 to 100000 step 1 | extend k = 1 \
             | join kind=inner (range y from 1 to 100000 step 1 | extend k = 1) on k | count";
    let e = error_of(q);
    assert!(
        (e.contains("--memory-limit") || e.contains("--timeout")) && e.contains("`join`"),
        "{e}"
    );
}
