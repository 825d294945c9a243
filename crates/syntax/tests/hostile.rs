//! Hostile inputs: nothing may panic, overflow the stack or hang. Each case
//! must come back as a `SyntaxError` with the expected code (or parse), fast.
//! The same property is fuzzed by `fuzz/` (`cargo +nightly fuzz run kql`, docs/fuzzing.md).

use std::time::{Duration, Instant};

use iishunt_syntax::kql;

/// Parses on a thread with a 2 MiB stack (the default for test threads and
/// many embedders) and returns the error code, or "ok".
fn code_of(text: String) -> &'static str {
    let handle = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            let started = Instant::now();
            let result = kql::parse(&text).map(|_| ()).map_err(|e| e.code);
            (result, started.elapsed())
        })
        .expect("spawn parser thread");
    let (result, took) = handle.join().expect("parser must not panic");
    assert!(took < Duration::from_secs(10), "parsing took {took:?}");
    match result {
        Ok(()) => "ok",
        Err(code) => code,
    }
}

#[test]
fn a_megabyte_of_open_parens() {
    assert_eq!(code_of("(".repeat(1 << 20)), "kql::too_deep");
}

#[test]
fn deep_but_allowed_nesting_parses() {
    let depth = kql::MAX_NESTING - 2;
    let text = format!("print {}1{}", "(".repeat(depth), ")".repeat(depth));
    assert_eq!(code_of(text), "ok");
    let calls = format!("print {}x{}", "f(".repeat(depth), ")".repeat(depth));
    assert_eq!(code_of(calls), "ok");
}

#[test]
fn nesting_past_the_limit_is_refused() {
    let depth = kql::MAX_NESTING + 1;
    assert_eq!(
        code_of(format!("print {}1{}", "(".repeat(depth), ")".repeat(depth))),
        "kql::too_deep"
    );
    assert_eq!(
        code_of(format!(
            "print dynamic({}{})",
            "[".repeat(depth),
            "]".repeat(depth)
        )),
        "kql::too_deep"
    );
    assert_eq!(
        code_of(format!(
            "T | where {}",
            "x[".repeat(depth) + &"]".repeat(depth)
        )),
        "kql::too_deep"
    );
}

#[test]
fn long_operator_chains_are_refused_not_overflowed() {
    assert_eq!(
        code_of(format!("print {}", vec!["1"; 3_000].join(" + "))),
        "kql::too_deep"
    );
    assert_eq!(
        code_of(format!("print {}", vec!["a"; 3_000].join(" or "))),
        "kql::too_deep"
    );
    assert_eq!(
        code_of(format!("print a{}", "[0]".repeat(3_000))),
        "kql::too_deep"
    );
    assert_eq!(
        code_of(format!("print a{}", ".b".repeat(3_000))),
        "kql::too_deep"
    );
    assert_eq!(
        code_of(format!("print {}1", "-".repeat(100_000))),
        "kql::unexpected"
    );
    // Long but reasonable chains still parse.
    assert_eq!(
        code_of(format!("print {}", vec!["a"; 300].join(" or "))),
        "ok"
    );
}

#[test]
fn long_pipelines_and_many_statements_parse() {
    assert_eq!(code_of(format!("T{}", " | take 1".repeat(5_000))), "ok");
    assert_eq!(code_of("let x = 1;\n".repeat(5_000) + "T"), "ok");
    assert_eq!(
        code_of(format!("print {}", vec!["\"s\""; 10_000].join(", "))),
        "ok"
    );
}

#[test]
fn unterminated_strings() {
    for text in [
        "T | where a == \"abc",
        "T | where a == 'abc",
        "T | where a == @\"abc",
        "T | where a == ```abc",
        "T | where a == \"abc\\\"",
        "print \"",
    ] {
        assert_eq!(
            code_of(text.to_string()),
            "kql::unterminated_string",
            "{text}"
        );
    }
    assert_eq!(
        code_of(format!("print \"{}", "x".repeat(1 << 20))),
        "kql::unterminated_string"
    );
}

#[test]
fn nul_bytes() {
    assert_eq!(
        code_of("T | where a == \"\0\"".to_string()),
        "kql::nul_byte"
    );
    assert_eq!(code_of("\0".repeat(1000)), "kql::nul_byte");
}

#[test]
fn huge_numbers_are_errors() {
    for text in [
        "print 99999999999999999999999999",
        "print -99999999999999999999999999",
        "print 1e999",
        "print int(9999999999)",
        "print 99999999999999999d",
        "print 1e300d",
        "print time(99999999999999999999:00:00)",
        "print 0x1ffffffffffffffffffff",
    ] {
        let code = code_of(text.to_string());
        assert!(
            code == "kql::number_out_of_range" || code == "kql::bad_timespan",
            "{text}: {code}"
        );
    }
    assert_eq!(
        code_of(format!("print {}", "9".repeat(100_000))),
        "kql::number_out_of_range"
    );
    assert_eq!(
        code_of("print datetime(99999-99-99)".to_string()),
        "kql::bad_datetime"
    );
}

#[test]
fn odd_text() {
    for text in [
        "",
        "   ",
        "// only a comment",
        ";;;",
        "|",
        "| where x",
        "T |",
        "T | | take 1",
        ")",
        "]]]",
        "}",
        "let",
        "let x",
        "let x =",
        "T | join",
        "T | join kind= (T) on a",
        "T | where a == \u{202e}\u{fffd}",
        "\u{feff}T | take 1",
        "T | take 1 /* block comments are not KQL */",
        "print @\"\"",
        "print ``````",
        "print h\"\"",
        "print datetime()",
        "print dynamic(",
        "print dynamic([1,",
        "T | parse x with",
        "T | summarize by",
        "T | order by",
        "T | top by x",
    ] {
        // Any outcome but a panic or a hang is fine here; most are errors.
        let _ = code_of(text.to_string());
    }
    assert_eq!(code_of(String::new()), "kql::empty");
    assert_eq!(code_of("// nothing".to_string()), "kql::empty");
}

#[test]
fn every_prefix_of_a_real_query_is_handled() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/syntax/valid/00_sentinel_seeds.kql"
    ))
    .expect("seed corpus");
    let cut: String = text.chars().take(1500).collect();
    for (i, _) in cut.char_indices().step_by(7) {
        let prefix = cut[..i].to_string();
        let _ = kql::parse(&prefix);
    }
}
