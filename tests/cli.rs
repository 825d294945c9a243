//! `iishunt query` and `iishunt explain` end to end: the binary over the
//! fixture logs in `tests/fixtures/hunts/logs` (raw W3C logs, parsed on the
//! fly), every output format, `--timing`, and the caret diagnostic on errors.

use std::path::PathBuf;
use std::process::{Command, Output};

/// The fixture folder of the hunt, REPL and CLI tests.
pub(crate) fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join("hunts")
}

/// The raw logs every test queries (53 rows on 2026-03-08).
pub(crate) fn logs() -> PathBuf {
    fixtures().join("logs")
}

/// The binary, with colour off and a fixed terminal width.
pub(crate) fn iishunt() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_iishunt"));
    cmd.env("NO_COLOR", "1")
        .env("COLUMNS", "120")
        .env_remove("IISHUNT_HISTORY");
    cmd
}

pub(crate) fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn query(args: &[&str]) -> Output {
    iishunt()
        .arg("query")
        .arg("--data")
        .arg(logs())
        .args(args)
        .output()
        .expect("run iishunt")
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stdout)
}

#[test]
fn query_prints_a_table_by_default() {
    let out = query(&["W3CIISLog | summarize Failed = count() by cIP | where Failed >= 20"]);
    let stdout = ok(&out);
    assert!(stdout.contains("203.0.113.5"), "{stdout}");
    assert!(
        stdout.contains("│ cIP") || stdout.contains("cIP "),
        "{stdout}"
    );
    assert!(stdout.contains("1 row in "), "{stdout}");
}

#[test]
fn query_count_sees_every_fixture_row() {
    let stdout = ok(&query(&["W3CIISLog | count", "--format", "csv"]));
    assert_eq!(stdout, "Count\n53\n");
}

#[test]
fn csv_has_a_header_and_iso_datetimes() {
    let stdout = ok(&query(&[
        "W3CIISLog | where cIP == \"192.0.2.66\" | project TimeGenerated, cIP, csUriStem | order by TimeGenerated asc",
        "--format",
        "csv",
    ]));
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "TimeGenerated,cIP,csUriStem");
    assert_eq!(
        lines[1],
        "2026-03-08T17:10:00Z,192.0.2.66,/uploads/shell.aspx"
    );
    assert_eq!(lines.len(), 5, "{stdout}");
}

#[test]
fn csv_neutralises_formulas_unless_asked_not_to() {
    let q = "W3CIISLog | where csUriStem == \"/export.aspx\" | project csUriQuery";
    let guarded = ok(&query(&[q, "--format", "csv"]));
    assert_eq!(
        guarded,
        "csUriQuery\n\"'=HYPERLINK(\"\"http://evil.example\"\")\"\n"
    );
    let raw = ok(&query(&[q, "--format", "csv", "--no-csv-escape"]));
    assert_eq!(
        raw,
        "csUriQuery\n\"=HYPERLINK(\"\"http://evil.example\"\")\"\n"
    );
}

#[test]
fn json_is_an_array_with_dynamic_values_embedded() {
    let stdout = ok(&query(&[
        "W3CIISLog | where cIP == \"198.51.100.77\" | summarize Paths = make_set(csUriStem), n = count() by cIP",
        "--format",
        "json",
    ]));
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("valid JSON");
    let row = &v.as_array().expect("array")[0];
    assert_eq!(row["cIP"], "198.51.100.77");
    assert_eq!(row["n"], 10);
    assert!(
        row["Paths"]
            .as_array()
            .is_some_and(|p| p.iter().any(|x| x == "/.env")),
        "{row}"
    );
}

#[test]
fn ndjson_is_one_object_per_line() {
    let stdout = ok(&query(&[
        "W3CIISLog | where cIP == \"192.0.2.66\" | project cIP",
        "--format",
        "ndjson",
    ]));
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 4);
    for l in lines {
        assert_eq!(l, "{\"cIP\":\"192.0.2.66\"}");
    }
}

#[test]
fn timing_goes_to_stderr() {
    let out = query(&["W3CIISLog | count", "--format", "csv", "--timing"]);
    ok(&out);
    let stderr = text(&out.stderr);
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with("time: ") && l[6..].trim().parse::<f64>().is_ok()),
        "{stderr}"
    );
}

#[test]
fn control_characters_in_values_are_escaped_in_tables() {
    let out = query(&["W3CIISLog | where cIP == \"192.0.2.99\" | project csUriQuery"]);
    let stdout = ok(&out);
    assert!(
        !stdout.contains('\x1b'),
        "raw escape reached the terminal: {stdout:?}"
    );
    assert!(stdout.contains("\\x1b[31mred"), "{stdout}");
}

#[test]
fn a_bad_query_exits_1_with_a_caret_diagnostic() {
    let out = query(&["W3CIISLog | wher scStatus == \"404\""]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("iishunt::"), "no error code: {stderr}");
    assert!(
        stderr.contains("wher"),
        "the query text is not quoted: {stderr}"
    );
    assert!(
        stderr.contains('^') || stderr.contains('─'),
        "no caret: {stderr}"
    );
}

#[test]
fn an_unknown_column_names_the_file_it_came_from() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("typo.kql");
    std::fs::write(&file, "W3CIISLog\n| where csUriStemm == \"/\"\n").expect("write");
    let out = iishunt()
        .arg("query")
        .arg("--data")
        .arg(logs())
        .arg("--file")
        .arg(&file)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("typo.kql"), "{stderr}");
    assert!(stderr.contains("csUriStemm"), "{stderr}");
}

#[test]
fn explain_prints_a_plan() {
    let out = iishunt()
        .args(["explain", "--data"])
        .arg(logs())
        .arg("W3CIISLog | where scStatus == \"404\" | count")
        .output()
        .expect("run");
    let stdout = ok(&out);
    assert!(stdout.contains("W3CIISLog"), "{stdout}");
    assert!(stdout.contains("scStatus"), "{stdout}");
}

#[test]
fn missing_data_is_a_user_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = iishunt()
        .current_dir(dir.path())
        .args(["query", "W3CIISLog | count"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("--data"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn render_timechart_draws_text_and_writes_images() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = query(&[
        "W3CIISLog | summarize count() by bin(TimeGenerated, 1h) | render timechart with (title=\"Per hour\")",
        "--out",
        dir.path().to_str().expect("utf8 path"),
    ]);
    let stdout = ok(&out);
    assert!(stdout.contains("Per hour"), "{stdout}");
    assert!(dir.path().join("chart.svg").exists());
    assert!(dir.path().join("chart.png").exists());
}

#[test]
fn the_repl_reads_piped_input() {
    use std::io::Write as _;
    use std::process::Stdio;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = iishunt()
        .env("IISHUNT_HISTORY", dir.path().join("history"))
        .arg("repl")
        .arg("--data")
        .arg(logs())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(
            b".format csv\nW3CIISLog |\ncount\nW3CIISLog\n| where cIP == \"192.0.2.66\" | count",
        )
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    let stdout = ok(&out);
    // Two queries: one completed by its second line, one run at end of input.
    assert!(stdout.contains("Count\n53\n"), "{stdout}");
    assert!(stdout.contains("Count\n4\n"), "{stdout}");
}
