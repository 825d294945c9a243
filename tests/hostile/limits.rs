//! `--memory-limit`, `--timeout` and the REPL's `--max-rows` end to end:
//! exceeding one is a clear error (exit 1) naming the limit and the
//! operator — never an out-of-memory kill.

use std::process::Output;
use std::time::{Duration, Instant};

use crate::cli::{iishunt, logs, text};

fn query(args: &[&str]) -> Output {
    iishunt()
        .arg("query")
        .arg("--data")
        .arg(logs())
        .args(args)
        .output()
        .expect("run iishunt")
}

fn failure(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(1),
        "stdout:\n{}\nstderr:\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stderr)
}

#[test]
fn make_list_over_the_memory_limit_names_the_limit_and_summarize() {
    // 10 groups of 1,000,000 values: 80 MB of codes alone.
    let out = query(&[
        "--memory-limit",
        "50MB",
        "range x from 1 to 10000000 step 1 | summarize make_list(x) by k = x % 10",
    ]);
    let err = failure(&out);
    assert!(err.contains("--memory-limit 50.0 MB"), "{err}");
    assert!(err.contains("`summarize`"), "{err}");
}

#[test]
fn a_sort_over_the_memory_limit_names_sort() {
    let out = query(&[
        "--memory-limit",
        "20MB",
        "range x from 1 to 5000000 step 1 | order by x asc",
    ]);
    let err = failure(&out);
    assert!(
        err.contains("--memory-limit 20.0 MB") && err.contains("`sort`"),
        "{err}"
    );
}

#[test]
fn the_same_query_under_a_larger_limit_runs() {
    let out = query(&[
        "--memory-limit",
        "2GB",
        "--format",
        "csv",
        "range x from 1 to 1000000 step 1 | summarize n = count(), s = sum(x)",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "n,s\n1000000,500000500000\n");
}

#[test]
fn a_cartesian_join_under_a_timeout_stops_in_time_naming_the_limit() {
    let started = Instant::now();
    let out = query(&[
        "--timeout",
        "1s",
        "--memory-limit",
        "none",
        "range x from 1 to 20000 step 1 | extend k = 1 \
         | join kind=inner (range y from 1 to 20000 step 1 | extend k = 1) on k \
         | summarize count()",
    ]);
    let err = failure(&out);
    assert!(err.contains("--timeout 1s"), "{err}");
    assert!(err.contains("stopped in `"), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn bad_limit_values_are_usage_errors() {
    let out = query(&["--memory-limit", "lots", "W3CIISLog | count"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("is not a size"),
        "{}",
        text(&out.stderr)
    );
    let out = query(&["--timeout", "3 weeks", "W3CIISLog | count"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("unknown duration unit"));
}

#[test]
fn run_applies_the_limits_per_hunt() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("big.kql"),
        "range x from 1 to 5000000 step 1 | order by x asc",
    )
    .unwrap();
    std::fs::write(dir.path().join("small.kql"), "W3CIISLog | count").unwrap();
    let out = iishunt()
        .arg("run")
        .arg(dir.path())
        .arg("--data")
        .arg(logs())
        .args(["--memory-limit", "20MB"])
        .output()
        .expect("run iishunt");
    // One hunt failed (exit 2), the other ran.
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(
        all.contains("--memory-limit 20.0 MB") && all.contains("`sort`"),
        "{all}"
    );
}

#[test]
fn the_repl_keeps_at_most_max_rows_and_says_how_many_were_cut() {
    let dir = tempfile::tempdir().unwrap();
    let out = iishunt()
        .env("IISHUNT_HISTORY", dir.path().join("history"))
        .arg("repl")
        .arg("--data")
        .arg(logs())
        .args(["--max-rows", "1000"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            let mut stdin = child.stdin.take().expect("stdin");
            stdin.write_all(b"range x from 1 to 2500 step 1\n")?;
            drop(stdin);
            child.wait_with_output()
        })
        .expect("run the repl");
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(
        all.contains(
            "the result had 2500 rows; only the first 1000 are kept (1500 cut by --max-rows)"
        ),
        "{all}"
    );
}

#[test]
fn hunt_applies_the_limits_per_hunt() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("big.kql"),
        "// severity: High\nrange x from 1 to 5000000 step 1 | order by x asc",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("small.kql"),
        "// severity: High\nW3CIISLog | take 1",
    )
    .unwrap();
    let out = iishunt()
        .arg("hunt")
        .arg("--data")
        .arg(logs())
        .arg("--hunts")
        .arg(dir.path())
        .args(["--memory-limit", "20MB"])
        .output()
        .expect("run iishunt");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let failed = stdout
        .lines()
        .find(|l| l.starts_with("failed   big"))
        .unwrap_or_else(|| panic!("no failed line for `big`:\n{stdout}"));
    assert!(
        failed.contains("--memory-limit 20.0 MB") && failed.contains("`sort`"),
        "{failed}"
    );
    assert!(stdout.contains("1 fired, 1 failed"), "{stdout}");
}

#[test]
fn materialized_rows_count_against_the_memory_limit() {
    // 5,000,000 longs kept for the query's whole run: 40 MB.
    let out = query(&[
        "--memory-limit",
        "20MB",
        "let T = materialize(range x from 1 to 5000000 step 1); T | count",
    ]);
    let err = failure(&out);
    assert!(err.contains("--memory-limit 20.0 MB"), "{err}");
}
