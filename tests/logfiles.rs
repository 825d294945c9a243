//! A real server's log folder, whole: `tests/fixtures/ingest/LogFiles/` is
//! laid out like IIS's `C:\inetpub\logs\LogFiles` — web sites (`W3SVC1`,
//! `W3SVC2`), an FTP site (`FTPSVC1`), HTTP.sys errors (`HTTPERR`), an old
//! IIS log format site (`W3SVC3/in*.log`), an NCSA site (`W3SVC4/nc*.log`),
//! an SMTP service (`SMTPSVC1`) and a Windows Firewall log. Counted by hand:
//!
//! | file | kind | rows | rejects |
//! | --- | --- | --- | --- |
//! | W3SVC1/u_ex260308.log | W3C web | 4 | 0 |
//! | W3SVC2/u_ex260308.log | W3C web | 2 | 1 (line 7: 16 values for 15 fields) |
//! | W3SVC3/in260308.log | IIS log format | 3 | 0 |
//! | W3SVC4/nc260308.log | NCSA common | 3 | 0 |
//! | HTTPERR/httperr1.log | HTTP.sys error | 2 | 0 |
//! | FTPSVC1/u_ex260308.log | FTP | 37 | 0 |
//! | SMTPSVC1/ex260308.log | SMTP | skipped | |
//! | Firewall/pfirewall.log | firewall | skipped | |
//!
//! W3CIISLog 4 + 2 + 3 + 3 = 12 rows; HttpErrorLog 2; IISFtpLog 37 (a
//! 7-line good session from 198.51.100.20, and from 203.0.113.66 an open,
//! 12 USER/PASS pairs failing 08:01–08:06:31, 2 more at 08:12, a close:
//! 1 + 24 + 4 + 1 = 30).

use std::path::{Path, PathBuf};

use crate::ingest::{fixtures, iishunt, rows_in};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn logfiles(tmp: &Path) -> PathBuf {
    fixtures(tmp).join("LogFiles")
}

#[test]
fn a_whole_logfiles_folder_is_read_per_kind_and_the_rest_skipped_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = tmp.path().join("ds");
    let root = logfiles(tmp.path());
    let out = iishunt(&[
        "ingest",
        root.to_str().unwrap(),
        "--out",
        ds.to_str().unwrap(),
    ]);
    let stdout = text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        text(&out.stderr)
    );
    for line in [
        "files    8 found: 8 new",
        "kinds        2 IIS W3C web log       → W3CIISLog",
        "1 HTTP.sys error log    → HttpErrorLog",
        "1 IIS FTP log           → IISFtpLog",
        "1 IIS log format        → W3CIISLog (local times read as UTC+00:00; set --utc-offset)",
        "1 NCSA log              → W3CIISLog",
        "1 Windows Firewall log  skipped: firewall logs hold packets, not IIS requests",
        "1 IIS SMTP log          skipped: SMTP logs hold mail sessions, not web requests",
        "rows     W3CIISLog     12",
        "rows     HttpErrorLog  2",
        "rows     IISFtpLog     37",
        "skipped  2 file(s), not an error:",
        "pfirewall.log: Windows Firewall log (#Software: Microsoft Windows Firewall)",
        "SMTPSVC1/ex260308.log: IIS SMTP log (W3C headers in an SMTPSVC folder)",
        "rejects  1 (field_count 1)",
        "W3SVC2/u_ex260308.log:7: 16 values where #Fields announces 15",
    ] {
        assert!(stdout.contains(line), "missing {line:?} in\n{stdout}");
    }
    assert_eq!(rows_in(&ds, "W3CIISLog"), 12);
    assert_eq!(rows_in(&ds, "HttpErrorLog"), 2);
    assert_eq!(rows_in(&ds, "IISFtpLog"), 37);
    assert!(ds.join("IISFtpLog/date=2026-03-08").is_dir());

    // Skipped files are recorded: the next run finds everything unchanged,
    // reports no skip, and --strict has nothing to object to.
    let again = iishunt(&[
        "ingest",
        root.to_str().unwrap(),
        "--out",
        ds.to_str().unwrap(),
        "--strict",
    ]);
    let stdout = text(&again.stdout);
    assert_eq!(again.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("8 unchanged"), "{stdout}");
    assert!(!stdout.contains("skipped  "), "{stdout}");
    assert_eq!(rows_in(&ds, "IISFtpLog"), 37);
}

#[test]
fn strict_turns_a_skipped_file_alone_into_exit_code_1() {
    let tmp = tempfile::tempdir().unwrap();
    let root = logfiles(tmp.path());
    let firewall = root.join("Firewall");
    let ingest = |ds: &str, strict: bool| {
        let ds = tmp.path().join(ds);
        let mut args = vec![
            "ingest",
            firewall.to_str().unwrap(),
            "--out",
            ds.to_str().unwrap(),
        ];
        if strict {
            args.push("--strict");
        }
        iishunt(&args)
    };
    let plain = ingest("a", false);
    assert_eq!(plain.status.code(), Some(0), "{}", text(&plain.stderr));
    let strict = ingest("b", true);
    assert_eq!(strict.status.code(), Some(1));
    assert!(
        text(&strict.stderr).contains("--strict: 0 line(s) rejected, 1 file(s) skipped"),
        "{}",
        text(&strict.stderr)
    );
    // The whole tree: one reject and two skips.
    let ds = tmp.path().join("c");
    let whole = iishunt(&[
        "ingest",
        root.to_str().unwrap(),
        "--out",
        ds.to_str().unwrap(),
        "--strict",
    ]);
    assert_eq!(whole.status.code(), Some(1));
    assert!(
        text(&whole.stderr).contains("1 line(s) rejected, 2 file(s) skipped"),
        "{}",
        text(&whole.stderr)
    );
    assert_eq!(rows_in(&ds, "IISFtpLog"), 37, "--strict still writes");
}

#[test]
fn a_non_log_is_an_error_when_named_and_a_skip_inside_a_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = fixtures(tmp.path()).join("other/notalog");
    let ds = tmp.path().join("ds");
    let named = folder.join("setup.log");
    let out = iishunt(&[
        "ingest",
        named.to_str().unwrap(),
        "--out",
        ds.to_str().unwrap(),
    ]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("setup.log is not a log iishunt reads (first line: \"Setup started"),
        "{stderr}"
    );
    assert!(!ds.join("_manifest.json").exists(), "nothing published");
    let out = iishunt(&[
        "ingest",
        folder.to_str().unwrap(),
        "--out",
        ds.to_str().unwrap(),
    ]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        stdout.contains("1 not a log             skipped: not a log format iishunt reads"),
        "{stdout}"
    );
    assert!(
        stdout.contains("setup.log: not a log (first line \"Setup started 2026-03-08 10:00\")"),
        "{stdout}"
    );
}

#[test]
fn utc_offset_shifts_the_local_times_of_iis_log_format_files() {
    let tmp = tempfile::tempdir().unwrap();
    let site = logfiles(tmp.path()).join("W3SVC3");
    let ds = tmp.path().join("ds");
    let out = iishunt(&[
        "ingest",
        site.to_str().unwrap(),
        "--out",
        ds.to_str().unwrap(),
        "--utc-offset",
        "+01:00",
    ]);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("→ W3CIISLog (local times read as UTC+01:00)"),
        "{stdout}"
    );
    // 9:15:00 local at UTC+01:00 is 08:15:00 UTC.
    let q = iishunt(&[
        "query",
        "--data",
        ds.to_str().unwrap(),
        "--format",
        "csv",
        "W3CIISLog | summarize first = min(TimeGenerated), n = count()",
    ]);
    assert_eq!(
        text(&q.stdout),
        "first,n\n2026-03-08T08:15:00Z,3\n",
        "{}",
        text(&q.stderr)
    );
    let bad = iishunt(&[
        "ingest",
        site.to_str().unwrap(),
        "--out",
        ds.to_str().unwrap(),
        "--utc-offset",
        "CET",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad.stderr).contains("\"CET\" is not a UTC offset; write it as +01:00"),
        "{}",
        text(&bad.stderr)
    );
}

#[test]
fn raw_logs_are_classified_the_same_way() {
    let tmp = tempfile::tempdir().unwrap();
    let root = logfiles(tmp.path());
    let q = iishunt(&[
        "query",
        "--data",
        root.to_str().unwrap(),
        "--format",
        "csv",
        "union W3CIISLog, HttpErrorLog, IISFtpLog | summarize n = count() by Type | order by Type asc",
    ]);
    assert_eq!(
        text(&q.stdout),
        "Type,n\nHttpErrorLog,2\nIISFtpLog,37\nW3CIISLog,12\n",
        "{}",
        text(&q.stderr)
    );
}

#[test]
fn the_ftp_brute_force_hunt_finds_the_password_guessing() {
    let tmp = tempfile::tempdir().unwrap();
    let root = logfiles(tmp.path());
    let results = tmp.path().join("results");
    let hunt = Path::new(env!("CARGO_MANIFEST_DIR")).join("queries/iis/ftp_brute_force.kql");
    let out = iishunt(&[
        "run",
        hunt.to_str().unwrap(),
        "--data",
        root.to_str().unwrap(),
        "--out",
        results.to_str().unwrap(),
        "--format",
        "csv",
        "--exit-code",
        "3",
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    // 12 failures from 203.0.113.66 in the 08:00 bin; its 2 at 08:12 and
    // 198.51.100.20's single failure stay under the threshold.
    let csv = std::fs::read_to_string(results.join("ftp_brute_force.csv")).unwrap();
    assert_eq!(
        csv,
        "TimeGenerated,cIP,sIP,Failures,Users,Sessions\n\
         2026-03-08T08:00:00Z,203.0.113.66,10.0.0.5,12,\"[\"\"admin\"\",\"\"administrator\"\",\"\"root\"\"]\",1\n"
    );
}
