//! `iishunt run` end to end over `tests/fixtures/hunts/mixed`: a hunt that
//! fires, one that finds nothing, one with a typo and an ES|QL hunt in a
//! subfolder — the failure is reported and the others still run.

use std::process::Output;

use crate::cli::{fixtures, iishunt, logs, text};

fn run(args: &[&str]) -> Output {
    iishunt()
        .arg("run")
        .arg("--data")
        .arg(logs())
        .args(args)
        .output()
        .expect("run iishunt")
}

fn mixed() -> String {
    fixtures().join("mixed").display().to_string()
}

#[test]
fn a_failing_hunt_is_reported_and_the_others_still_run() {
    let out = run(&[&mixed()]);
    let stdout = text(&out.stdout);
    let stderr = text(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    // The diagnostic names the hunt file and points into it.
    assert!(stderr.contains("broken.kql"), "{stderr}");
    assert!(stderr.contains("wher"), "{stderr}");
    // The summary lists every hunt, in path order, with its status.
    let order: Vec<usize> = ["broken", "brute_force", "scanner", "quiet"]
        .iter()
        .map(|h| stdout.find(&format!("│ {h}")).unwrap_or(usize::MAX))
        .collect();
    assert!(order.iter().all(|&i| i != usize::MAX), "{stdout}");
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{stdout}");
    assert!(stdout.contains("ERROR"), "{stdout}");
    assert!(stdout.contains("FIRED"), "{stdout}");
    assert!(
        stdout.contains("Many failed logons from one client"),
        "title missing: {stdout}"
    );
    assert!(
        stdout.contains("203.0.113.5"),
        "the fired hunt's rows are shown: {stdout}"
    );
    assert!(
        !stdout.contains("notes"),
        "a .txt file was taken for a hunt: {stdout}"
    );
}

#[test]
fn exit_code_n_when_a_hunt_fires() {
    let dir = fixtures().join("mixed");
    let fired = run(&[
        dir.join("brute_force.kql").to_str().expect("path"),
        "--exit-code",
        "3",
    ]);
    assert_eq!(fired.status.code(), Some(3), "{}", text(&fired.stderr));
    let quiet = run(&[
        dir.join("quiet.kql").to_str().expect("path"),
        "--exit-code",
        "3",
    ]);
    assert_eq!(quiet.status.code(), Some(0), "{}", text(&quiet.stderr));
}

#[test]
fn out_dir_gets_one_ndjson_file_per_hunt_with_the_hunt_name() {
    let out_dir = tempfile::tempdir().expect("tempdir");
    let out = run(&[
        &mixed(),
        "--out",
        out_dir.path().to_str().expect("path"),
        "--format",
        "ndjson",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let brute = std::fs::read_to_string(out_dir.path().join("brute_force.ndjson"))
        .expect("brute_force.ndjson");
    let first: serde_json::Value =
        serde_json::from_str(brute.lines().next().expect("a row")).expect("json");
    assert_eq!(first["hunt"], "brute_force");
    assert_eq!(first["cIP"], "203.0.113.5");
    assert!(out_dir.path().join("quiet.ndjson").exists());
    assert!(!out_dir.path().join("broken.ndjson").exists());
    let summary: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out_dir.path().join("summary.json")).expect("summary.json"),
    )
    .expect("json");
    let hunts = summary.as_array().expect("array");
    assert_eq!(hunts.len(), 4);
    let broken = hunts
        .iter()
        .find(|h| h["name"] == "broken")
        .expect("broken listed");
    assert_eq!(broken["status"], "error");
}

#[test]
fn json_results_carry_the_hunt_metadata() {
    let out_dir = tempfile::tempdir().expect("tempdir");
    let hunt = fixtures().join("mixed").join("brute_force.kql");
    let out = run(&[
        hunt.to_str().expect("path"),
        "--out",
        out_dir.path().to_str().expect("path"),
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out_dir.path().join("brute_force.json")).expect("file"),
    )
    .expect("json");
    assert_eq!(v["hunt"]["severity"], "Medium");
    assert_eq!(v["hunt"]["mitre"], "T1110");
    assert_eq!(v["rows"][0]["Failed"], 25);
}

#[test]
fn csv_needs_an_out_dir() {
    let out = run(&[&mixed(), "--format", "csv"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("--out"), "{}", text(&out.stderr));
}

#[test]
fn the_shipped_queries_run() {
    // Every hunt in queries/ parses and runs on the fixture logs.
    let queries = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("queries");
    let out_dir = tempfile::tempdir().expect("tempdir");
    let out = run(&[
        queries.to_str().expect("path"),
        "--out",
        out_dir.path().to_str().expect("path"),
        "--now",
        "latest",
    ]);
    assert!(
        out.status.success(),
        "stdout:\n{}\nstderr:\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    // The Sentinel brute-force rule fires on the 25 failed logons.
    let stdout = text(&out.stdout);
    let line = stdout
        .lines()
        .find(|l| l.contains("iis_failed_attempts_same_ip"))
        .expect("listed");
    assert!(line.contains("FIRED"), "{line}");
}

#[test]
fn hunts_run_over_an_ingested_dataset_and_write_parquet() {
    let dir = tempfile::tempdir().expect("tempdir");
    let dataset = dir.path().join("dataset");
    let ingest = iishunt()
        .arg("ingest")
        .arg(logs())
        .arg("--out")
        .arg(&dataset)
        .output()
        .expect("ingest");
    assert!(ingest.status.success(), "{}", text(&ingest.stderr));
    let out_dir = dir.path().join("results");
    let hunt = fixtures().join("mixed").join("brute_force.kql");
    let out = iishunt()
        .arg("run")
        .arg(&hunt)
        .arg("--data")
        .arg(&dataset)
        .arg("--out")
        .arg(&out_dir)
        .args(["--format", "parquet", "--exit-code", "4"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    let bytes = std::fs::read(out_dir.join("brute_force.parquet")).expect("parquet file");
    assert!(
        bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"),
        "not a Parquet file"
    );
}
