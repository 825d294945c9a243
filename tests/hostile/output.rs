//! Output safety (issue 12): log values are attacker-written. Terminal output
//! (tables, errors, text charts) shows control characters escaped; CSV cells a
//! spreadsheet would run as formulas are neutralised unless `--raw-csv`; JSON
//! is always valid; image files stay in their folder; queries have no way to
//! write files or reach the network.

use std::path::Path;
use std::process::Output;

use crate::cli::{iishunt, text};

/// A raw log whose values attack the terminal, the spreadsheet and the
/// browser: ANSI escapes, a bidi override, formulas, markup, quotes,
/// backslashes and an invalid UTF-8 byte.
fn hostile_log(dir: &Path) -> std::path::PathBuf {
    let mut bytes = b"#Software: Microsoft Internet Information Services 10.0\n#Fields: date time cs-method cs-uri-stem cs-username c-ip cs(User-Agent) sc-status\n".to_vec();
    for (stem, user, agent) in [
        ("/a", "-", "\x1b[2J\x1b]0;pwned\x07"),
        ("/b", "=HYPERLINK(\"http://x/\"&A1)", "+cmd|'/c+calc'!A0"),
        ("/c", "@SUM(1+1)", "<script>alert(1)</script>"),
        ("/d\u{202e}gpj.exe", "-2+3", "q\"uoted\"\\back"),
    ] {
        bytes.extend_from_slice(
            format!("2026-03-10 00:00:01 GET {stem} {user} 203.0.113.5 {agent} 200\n").as_bytes(),
        );
    }
    bytes.extend_from_slice(b"2026-03-10 00:00:02 GET /e\xff\xfe - 203.0.113.6 x 404\n");
    let path = dir.join("u_ex260310.log");
    std::fs::write(&path, bytes).unwrap();
    path
}

fn query(log: &Path, args: &[&str]) -> Output {
    iishunt()
        .arg("query")
        .arg("--data")
        .arg(log)
        .args(args)
        .output()
        .expect("run iishunt")
}

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
}

#[test]
fn tables_show_escapes_and_bidi_overrides_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let log = hostile_log(dir.path());
    let out = ok(&query(
        &log,
        &["W3CIISLog | project csUriStem, csUserAgent"],
    ));
    assert!(!out.contains('\x1b') && !out.contains('\x07'), "{out:?}");
    assert!(!out.contains('\u{202e}'), "{out:?}");
    assert!(out.contains("\\x1b[2J"), "{out}");
    assert!(out.contains("\\u{202e}"), "{out}");
}

#[test]
fn errors_quote_hostile_query_text_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let log = hostile_log(dir.path());
    let out = query(
        &log,
        &["W3CIISLog | where csUriStem == \"\x1b[31m\" | wher"],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(!err.contains('\x1b'), "{err:?}");
    assert!(err.contains("\\x1b[31m"), "{err}");
}

#[test]
fn text_chart_labels_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let log = hostile_log(dir.path());
    let out = ok(&query(
        &log,
        &["W3CIISLog | summarize n = count() by csUserAgent | render columnchart"],
    ));
    assert!(!out.contains('\x1b') && !out.contains('\x07'), "{out:?}");
    assert!(out.contains("\\x1b[2J"), "{out}");
}

#[test]
fn svg_chart_labels_are_markup_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let log = hostile_log(dir.path());
    let charts = dir.path().join("charts");
    ok(&query(
        &log,
        &[
            "--out",
            charts.to_str().unwrap(),
            "W3CIISLog | summarize n = count() by csUserAgent | render columnchart",
        ],
    ));
    let svg = std::fs::read_to_string(charts.join("chart.svg")).expect("the SVG");
    assert!(!svg.contains("<script"), "raw markup in the SVG");
    assert!(
        svg.contains("&lt;script&gt;"),
        "the label is there, escaped"
    );
}

#[test]
fn csv_neutralises_formulas_unless_raw_csv_or_its_old_alias() {
    let dir = tempfile::tempdir().unwrap();
    let log = hostile_log(dir.path());
    let q = "W3CIISLog | where csUserName != \"-\" | project csUserName, csUserAgent";
    let safe = ok(&query(&log, &["--format", "csv", q]));
    for line in safe.lines().skip(1) {
        assert!(line.starts_with("\"'") || line.starts_with('\''), "{line}");
    }
    assert!(safe.contains("'@SUM(1+1)"), "{safe}");
    for flag in ["--raw-csv", "--no-csv-escape"] {
        let raw = ok(&query(&log, &["--format", "csv", flag, q]));
        assert!(raw.contains("\n@SUM(1+1),"), "{flag}: {raw}");
    }
}

#[test]
fn json_and_ndjson_are_valid_whatever_the_values() {
    let dir = tempfile::tempdir().unwrap();
    let log = hostile_log(dir.path());
    let q = "W3CIISLog | project csUriStem, csUserName, csUserAgent";
    let json = ok(&query(&log, &["--format", "json", q]));
    let v: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    let rows = v.as_array().expect("an array");
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[0]["csUserAgent"], "\x1b[2J\x1b]0;pwned\x07");
    assert_eq!(rows[3]["csUserAgent"], "q\"uoted\"\\back");
    // The invalid byte became U+FFFD at read time: still valid UTF-8 JSON.
    assert_eq!(rows[4]["csUriStem"], "/e\u{fffd}\u{fffd}");
    let ndjson = ok(&query(&log, &["--format", "ndjson", q]));
    assert_eq!(ndjson.lines().count(), 5);
    for line in ndjson.lines() {
        serde_json::from_str::<serde_json::Value>(line).expect("each line is JSON");
    }
}

#[test]
fn queries_cannot_read_external_data_or_write_files() {
    let dir = tempfile::tempdir().unwrap();
    let log = hostile_log(dir.path());
    for q in [
        "externaldata (x: string) [@\"http://example.com/x.csv\"]",
        ".export to csv (@\"/tmp/x.csv\") <| W3CIISLog",
        ".set-or-append T <| W3CIISLog",
    ] {
        let out = query(&log, &[q]);
        assert_eq!(out.status.code(), Some(1), "{q}: {}", text(&out.stdout));
        if q.starts_with("externaldata") {
            let err = text(&out.stderr);
            assert!(err.contains("iishunt never reads the network"), "{err}");
        }
    }
    // Nothing but the log is in the folder afterwards.
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1);
}

#[test]
fn the_report_escapes_hostile_values_and_hunt_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let log = hostile_log(dir.path());
    let hunts = dir.path().join("hunts");
    std::fs::create_dir_all(&hunts).unwrap();
    // A shared hunt file whose metadata is markup, over values that are markup.
    std::fs::write(
        hunts.join("agents.kql"),
        "// title: <img src=x onerror=alert(2)>\n// description: </td><script>alert(3)</script>\n\
         // severity: High\nW3CIISLog | project cIP, csUserAgent, csUserName\n",
    )
    .unwrap();
    let report = dir.path().join("report.html");
    let out = iishunt()
        .arg("hunt")
        .arg("--data")
        .arg(&log)
        .arg("--hunts")
        .arg(&hunts)
        .arg("--report")
        .arg(&report)
        .output()
        .expect("run iishunt hunt");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let page = std::fs::read_to_string(&report).expect("the report");
    let lower = page.to_ascii_lowercase();
    for raw in ["<script", "<img", "onerror=alert(2)>"] {
        assert!(!lower.contains(raw), "raw `{raw}` in the report");
    }
    assert!(
        page.contains("&lt;img src=x onerror=alert(2)&gt;"),
        "the title, escaped"
    );
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the agent, escaped"
    );
    // Nor does a terminal escape reach the page raw.
    assert!(!page.contains('\x1b') && !page.contains('\x07'));
    // The summary printed on the terminal is escaped too.
    let stdout = text(&out.stdout);
    assert!(
        !stdout.contains('\x1b') && !stdout.contains('\x07'),
        "{stdout:?}"
    );
}

#[cfg(unix)]
#[test]
fn result_files_named_after_hunts_stay_in_the_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    let log = hostile_log(dir.path());
    let hunts = dir.path().join("hunts");
    // Two hunts with one stem: the folder becomes part of the name, and these
    // folders hold an escape sequence, dots and a backslash.
    for folder in ["..\x1b]0;x\x07", "a\\..\\..\\b"] {
        std::fs::create_dir_all(hunts.join(folder)).unwrap();
        std::fs::write(hunts.join(folder).join("x.kql"), "W3CIISLog | take 1").unwrap();
    }
    // Stem `...`: only dots, renamed.
    std::fs::write(hunts.join("....kql"), "W3CIISLog | take 1").unwrap();
    let out_dir = dir.path().join("out");
    let out = iishunt()
        .arg("run")
        .arg(&hunts)
        .arg("--data")
        .arg(&log)
        .args(["--format", "csv", "--out"])
        .arg(&out_dir)
        .output()
        .expect("run iishunt run");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mut names: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for n in &names {
        assert!(
            n.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                && n != "."
                && n != "..",
            "{n:?}"
        );
    }
    assert!(names.contains(&"___.csv".to_string()), "{names:?}");
    // Three result files and the summary, all in --out; nothing beside it.
    assert_eq!(
        names.iter().filter(|n| n.ends_with(".csv")).count(),
        3,
        "{names:?}"
    );
    let beside: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(beside.len(), 3, "log, hunts, out: {beside:?}");
}
