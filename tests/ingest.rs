//! `iishunt ingest` end to end: the binary over the fixture logs in
//! `tests/fixtures/ingest/` (their line-by-line expected counts are worked
//! out in `crates/store/tests/fixtures.rs`), the summary it prints, its exit
//! codes, and the Parquet it leaves, read back with the `parquet` crate.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

/// A copy of the fixture logs under `tmp`, dated an hour ago (a fresh
/// checkout would otherwise look like logs IIS is still writing, whose
/// unterminated last line waits for the next run).
pub(crate) fn fixtures(tmp: &Path) -> PathBuf {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let (src, dst) = (
                entry.as_ref().unwrap().path(),
                to.join(entry.unwrap().file_name()),
            );
            if src.is_dir() {
                copy(&src, &dst);
            } else {
                std::fs::copy(&src, &dst).unwrap();
                let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
                std::fs::File::options()
                    .append(true)
                    .open(&dst)
                    .unwrap()
                    .set_modified(hour_ago)
                    .unwrap();
            }
        }
    }
    let dir = tmp.join("fixtures");
    copy(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ingest"),
        &dir,
    );
    dir
}

pub(crate) fn iishunt(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_iishunt"))
        .args(args)
        .output()
        .expect("run iishunt")
}

pub(crate) fn rows_in(ds: &Path, table: &str) -> usize {
    let dataset = iishunt::ingest::Dataset::open(ds).unwrap();
    let table = iishunt::ingest::Table::from_name(table).unwrap();
    dataset
        .files(table)
        .iter()
        .map(|f| {
            let reader =
                ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(f).unwrap()).unwrap();
            reader.metadata().file_metadata().num_rows() as usize
        })
        .sum()
}

#[test]
fn ingest_prints_a_summary_and_writes_both_tables() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = tmp.path().join("ds");
    let servers = fixtures(tmp.path()).join("servers");
    let out = iishunt(&[
        "ingest",
        servers.to_str().unwrap(),
        "--out",
        ds.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("files    3 found: 3 new"), "{stdout}");
    assert!(stdout.contains("W3CIISLog     10"), "{stdout}");
    assert!(stdout.contains("HttpErrorLog  3"), "{stdout}");
    assert!(
        stdout.contains("rejects  4 (bad_number 1, bad_timestamp 1, field_count 2)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("u_ex260302.log:19: 6 values where #Fields announces 5"),
        "{stdout}"
    );
    assert!(
        stdout.contains("s-computername field (7 rows); per-server folder name (6 rows)"),
        "{stdout}"
    );
    assert!(stdout.contains("1 NUL-padding line"), "{stdout}");
    assert_eq!(rows_in(&ds, "W3CIISLog"), 10);
    assert_eq!(rows_in(&ds, "HttpErrorLog"), 3);
}

#[test]
fn strict_turns_rejects_into_exit_code_1_after_writing() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = tmp.path().join("ds");
    let servers = fixtures(tmp.path()).join("servers");
    let out = iishunt(&[
        "ingest",
        servers.to_str().unwrap(),
        "--out",
        ds.to_str().unwrap(),
        "--strict",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("4 line(s) rejected"));
    let headerless = fixtures(tmp.path()).join("headerless");
    let out = iishunt(&[
        "ingest",
        headerless.to_str().unwrap(),
        "--out",
        ds.to_str().unwrap(),
        "--strict",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn bad_inputs_exit_1_naming_the_path_and_publish_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = tmp.path().join("ds");
    for input in ["nope/u_ex1.log", "other/notalog/setup.log"] {
        let path = fixtures(tmp.path()).join(input);
        let out = iishunt(&[
            "ingest",
            path.to_str().unwrap(),
            "--out",
            ds.to_str().unwrap(),
        ]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains(input.rsplit('/').next().unwrap()),
            "{stderr}"
        );
    }
    assert!(!ds.join("_manifest.json").exists());
}

#[test]
fn ftp_and_iis_format_files_named_alone_are_read_and_a_firewall_log_skipped() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = tmp.path().join("ds");
    let other = fixtures(tmp.path()).join("other");
    let out = iishunt(&[
        "ingest",
        other.join("ftp/u_ex260302.log").to_str().unwrap(),
        other.join("iisformat/in260302.log").to_str().unwrap(),
        other.join("firewall/pfirewall.log").to_str().unwrap(),
        "--out",
        ds.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("skipped  1 file(s)"), "{stdout}");
    assert_eq!(rows_in(&ds, "IISFtpLog"), 1);
    assert_eq!(rows_in(&ds, "W3CIISLog"), 1);
}

#[test]
fn rerun_adds_nothing_twice() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = tmp.path().join("ds");
    let servers = fixtures(tmp.path()).join("servers");
    let args = [
        "ingest",
        servers.to_str().unwrap(),
        "--out",
        ds.to_str().unwrap(),
    ];
    assert!(iishunt(&args).status.success());
    let again = iishunt(&args);
    assert!(String::from_utf8_lossy(&again.stdout).contains("3 unchanged"));
    assert_eq!(rows_in(&ds, "W3CIISLog"), 10);
}
