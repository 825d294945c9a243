//! Library-level ingest tests over the hand-written fixture logs in
//! `tests/fixtures/ingest/` (the expected counts are worked out below, line
//! by line). The CLI-level tests live in the workspace's `tests/ingest.rs`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use arrow::array::{Array, RecordBatch};
use arrow::util::display::{ArrayFormatter, FormatOptions};
use iishunt_store::{ingest, read_raw, Dataset, IngestOptions, RawOptions, StoreError};
use iishunt_w3c::{LogKind, ReaderOptions, Table};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

fn source_fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/ingest")
}

/// A copy of the fixtures in `tmp`, an hour old: a fresh checkout would
/// otherwise look like logs IIS is still writing (see `live` files).
fn fixtures_in(tmp: &Path) -> PathBuf {
    let dir = tmp.join("fixtures");
    copy_tree(&source_fixtures(), &dir);
    dir
}

/// Copies a fixture folder into a temp dir (tests append to and rewrite logs).
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
            age(&target);
        }
    }
}

/// Makes a file look an hour old: not a log IIS is still writing.
fn age(path: &Path) {
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .append(true)
        .open(path)
        .unwrap()
        .set_modified(hour_ago)
        .unwrap();
}

type Row = BTreeMap<String, String>;

/// Every row of `t`, read back with the `parquet` crate, as column → text
/// (`null` for nulls), sorted by (FileUri, FileOffset).
fn rows(ds: &Path, t: Table) -> Vec<Row> {
    let dataset = Dataset::open(ds).unwrap();
    let mut out = Vec::new();
    for file in dataset.files(t) {
        let reader = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(file).unwrap())
            .unwrap()
            .build()
            .unwrap();
        for batch in reader {
            out.extend(batch_rows(&batch.unwrap()));
        }
    }
    out.sort_by_key(|r| {
        (
            r["FileUri"].clone(),
            r["FileOffset"].parse::<u64>().unwrap_or(0),
        )
    });
    out
}

fn batch_rows(batch: &RecordBatch) -> Vec<Row> {
    let opts = FormatOptions::default().with_null("null");
    let schema = batch.schema();
    let formatters: Vec<_> = batch
        .columns()
        .iter()
        .map(|c| ArrayFormatter::try_new(c.as_ref(), &opts).unwrap())
        .collect();
    (0..batch.num_rows())
        .map(|i| {
            schema
                .fields()
                .iter()
                .zip(&formatters)
                .map(|(f, fmt)| (f.name().clone(), fmt.value(i).to_string()))
                .collect()
        })
        .collect()
}

fn find<'a>(rows: &'a [Row], column: &str, value: &str) -> &'a Row {
    rows.iter()
        .find(|r| r.get(column).map(String::as_str) == Some(value))
        .unwrap_or_else(|| panic!("no row with {column} = {value}"))
}

#[test]
fn servers_fixture_counts_values_and_partitions() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = tmp.path().join("ds");
    let s = ingest(
        &[fixtures_in(tmp.path()).join("servers")],
        &IngestOptions::new(&ds),
    )
    .unwrap();
    // WEB01/u_ex260302.log: 20 lines = 8 directives + 7 rows (lines 5, 6, 7,
    // 11, 17, 18, 20) + 4 rejects (8 and 19 field count, 9 bad date, 10 bad
    // port) + 1 NUL line (12). WEB02/u_ex260303.log.gz: 7 lines, 3 rows.
    // WEB01/HTTPERR/httperr1.log: 11 lines, 3 rows.
    assert_eq!((s.files_found, s.files_new), (3, 3));
    assert_eq!(s.lines, 20 + 7 + 11);
    assert_eq!(s.rows[&Table::W3CIISLog], 7 + 3);
    assert_eq!(s.rows[&Table::HttpErrorLog], 3);
    let rejects: Vec<(&str, u64)> = s.rejects.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    assert_eq!(
        rejects,
        [("bad_number", 1), ("bad_timestamp", 1), ("field_count", 2)]
    );
    let lines: Vec<u64> = s.reject_samples.iter().map(|r| r.line).collect();
    assert_eq!(lines, [8, 9, 10, 19]);
    assert_eq!((s.nul_lines, s.invalid_utf8), (1, 1));
    // s-computername on WEB01 lines 5-7, the three WEB02 rows and HTTPERR
    // line 11 (newer HTTP.sys layout); the folder name for WEB01 line 11
    // (`-`), 17, 18, 20 (no such field) and HTTPERR lines 5-6.
    let c = &s.computer;
    assert_eq!((c.from_field, c.from_folder, c.from_host), (7, 6, 0));

    let w3c = rows(&ds, Table::W3CIISLog);
    assert_eq!(w3c.len(), 10);
    let first = find(&w3c, "csUriStem", "/index.html");
    assert_eq!(first["TimeGenerated"], "2026-03-02T00:00:01");
    assert_eq!(first["csUserAgent"], "Mozilla/5.0+(Windows+NT+10.0)");
    assert_eq!(first["csUriQuery"], "-", "string fields keep '-'");
    assert_eq!(first["XForwardedFor"], "198.51.100.1,+10.1.1.1");
    assert_eq!(
        (first["sPort"].as_str(), first["scBytes"].as_str()),
        ("443", "5120")
    );
    let owa = find(&w3c, "csUriStem", "/owa/auth.owa");
    assert_eq!(owa["scWin32Status"], "4294967295999");
    assert_eq!(
        (owa["sIP"].as_str(), owa["cIP"].as_str()),
        ("fe80::1%3", "::1%0")
    );
    assert_eq!(
        (owa["scBytes"].as_str(), owa["TimeTaken"].as_str()),
        ("null", "null")
    );
    assert_eq!(owa["csUserName"], "CONTOSO\\alice");
    assert_eq!(
        find(&w3c, "csUriStem", "/search")["TimeGenerated"],
        "2026-03-02T00:00:03.250"
    );
    let lossy = find(&w3c, "csUriStem", "/caf\u{fffd}");
    assert_eq!(
        (lossy["Computer"].as_str(), lossy["sComputerName"].as_str()),
        ("WEB01", "-")
    );
    // Second section: smaller #Fields, date from #Date, Computer from folder.
    let b = find(&w3c, "csUriStem", "/b");
    assert_eq!(b["TimeGenerated"], "2026-03-02T12:01:00");
    assert_eq!(
        (
            b["Computer"].as_str(),
            b["sComputerName"].as_str(),
            b["sPort"].as_str()
        ),
        ("WEB01", "null", "null")
    );
    assert_eq!(b["XForwardedFor"], "null");
    // gzip file: quoted value kept as logged, cs(X-Forwarded-For) custom column.
    let late = find(&w3c, "csUriStem", "/late");
    assert_eq!(late["csUserAgent"], "\"Mozilla 5.0 \"\"quoted\"\"\"");
    assert_eq!(late["csXForwardedFor"], "10.9.9.9");
    assert!(
        !late.contains_key("XForwardedFor"),
        "custom columns only in files that have them"
    );

    let err = rows(&ds, Table::HttpErrorLog);
    assert_eq!(err.len(), 3);
    let idle = find(&err, "sReason", "Timer_ConnectionIdle");
    assert_eq!(
        (
            idle["cIP"].as_str(),
            idle["cPort"].as_str(),
            idle["csUri"].as_str()
        ),
        ("2001:db8::7%12", "51235", "-")
    );
    assert_eq!(idle["Computer"], "WEB01");
    // The layout changes mid-file: s-computername, cs(User-Agent), time-taken.
    let newer = find(&err, "sQueueName", "DefaultAppPool");
    assert_eq!(
        (newer["sPort"].as_str(), newer["Computer"].as_str()),
        ("80", "WEB01-NODE")
    );
    assert_eq!(
        (newer["csUserAgent"].as_str(), newer["TimeTaken"].as_str()),
        ("curl/8.9.1", "12")
    );
    assert_eq!(idle["csUserAgent"], "null");

    // Hive partitions by day; files sorted; rejects on disk with line numbers.
    let dataset = Dataset::open(&ds).unwrap();
    let dirs: Vec<String> = dataset
        .files(Table::W3CIISLog)
        .iter()
        .map(|f| {
            f.parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy()
                .to_string()
        })
        .collect();
    assert_eq!(
        dirs,
        ["date=2026-03-02", "date=2026-03-03", "date=2026-03-04"]
    );
    let rejects_dir = ds.join("_rejects");
    let reject_files: Vec<PathBuf> = std::fs::read_dir(&rejects_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(reject_files.len(), 1);
    let text = std::fs::read_to_string(&reject_files[0]).unwrap();
    let records: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let got: Vec<(u64, &str)> = records
        .iter()
        .map(|r| (r["line"].as_u64().unwrap(), r["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(
        got,
        [
            (8, "field_count"),
            (9, "bad_timestamp"),
            (10, "bad_number"),
            (19, "field_count")
        ]
    );
    assert_eq!(records[3]["text"], "12:02:00 192.0.2.3 GET /c 500 extra");
}

#[test]
fn parquet_files_have_dictionary_strings_sorted_row_groups_and_statistics() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = tmp.path().join("ds");
    ingest(
        &[fixtures_in(tmp.path()).join("servers")],
        &IngestOptions::new(&ds),
    )
    .unwrap();
    let dataset = Dataset::open(&ds).unwrap();
    let file = std::fs::File::open(&dataset.files(Table::W3CIISLog)[0]).unwrap();
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    let schema = builder.schema().clone();
    assert_eq!(
        schema.field_with_name("csUriStem").unwrap().data_type(),
        &iishunt_w3c::schema::dict_utf8()
    );
    assert_eq!(
        schema.field_with_name("TimeGenerated").unwrap().data_type(),
        &iishunt_w3c::schema::timestamp_type()
    );
    assert!(schema
        .fields()
        .iter()
        .all(|f| !f.name().eq_ignore_ascii_case("date")));
    let meta = builder.metadata();
    let rg = meta.row_group(0);
    assert_eq!(rg.sorting_columns().map(|s| s[0].column_idx), Some(0));
    assert!(
        rg.column(0).statistics().is_some(),
        "TimeGenerated has statistics"
    );
    let batch = builder.build().unwrap().next().unwrap().unwrap();
    let ts = batch
        .column(0)
        .as_any()
        .downcast_ref::<arrow::array::TimestampMicrosecondArray>()
        .unwrap();
    assert!(ts.values().windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn reingest_adds_appended_tails_only_and_replaced_files_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let logs = tmp.path().join("logs");
    copy_tree(&source_fixtures().join("servers"), &logs);
    let ds = tmp.path().join("ds");
    let opts = IngestOptions::new(&ds);
    ingest(std::slice::from_ref(&logs), &opts).unwrap();
    assert_eq!(rows(&ds, Table::W3CIISLog).len(), 10);

    // Nothing changed: nothing read.
    let again = ingest(std::slice::from_ref(&logs), &opts).unwrap();
    assert_eq!((again.files_unchanged, again.total_rows()), (3, 0));

    // IIS appends to the live log (its last line had no newline, so the
    // appended text starts with one); the new line uses the #Fields in force.
    let live = logs.join("WEB01/u_ex260302.log");
    let mut text = std::fs::read(&live).unwrap();
    text.extend(b"\r\n12:04:00 192.0.2.5 GET /e 200\r\n12:05:00 192.0.2.6 GET /f 200\r\n");
    std::fs::write(&live, &text).unwrap();
    let tail = ingest(std::slice::from_ref(&logs), &opts).unwrap();
    assert_eq!((tail.files_appended, tail.files_unchanged), (1, 2));
    let w3c = rows(&ds, Table::W3CIISLog);
    assert_eq!(w3c.len(), 12, "no duplicate, no loss");
    assert_eq!(
        find(&w3c, "csUriStem", "/f")["TimeGenerated"],
        "2026-03-02T12:05:00"
    );
    assert_eq!(w3c.iter().filter(|r| r["csUriStem"] == "/d").count(), 1);

    // Pre-allocated NULs at the end are not consumed; lines written over
    // them later are read.
    let mut text = std::fs::read(&live).unwrap();
    let before = text.len();
    text.extend(std::iter::repeat_n(0u8, 64));
    std::fs::write(&live, &text).unwrap();
    assert_eq!(
        ingest(std::slice::from_ref(&logs), &opts)
            .unwrap()
            .total_rows(),
        0
    );
    text.truncate(before);
    text.extend(b"12:06:00 192.0.2.7 GET /g 200\r\n");
    text.extend(std::iter::repeat_n(0u8, 32));
    std::fs::write(&live, &text).unwrap();
    assert_eq!(
        ingest(std::slice::from_ref(&logs), &opts)
            .unwrap()
            .total_rows(),
        1
    );
    assert_eq!(rows(&ds, Table::W3CIISLog).len(), 13);

    // A rewritten file replaces its old rows.
    std::fs::write(
        &live,
        "#Fields: date time cs-uri-stem sc-status\r\n2026-03-02 13:00:00 /only 200\r\n",
    )
    .unwrap();
    let replaced = ingest(std::slice::from_ref(&logs), &opts).unwrap();
    assert_eq!(replaced.files_replaced, 1);
    let w3c = rows(&ds, Table::W3CIISLog);
    assert_eq!(w3c.len(), 3 + 1, "WEB02's three rows and the new one");
    assert!(w3c.iter().all(|r| r["csUriStem"] != "/index.html"));
}

#[test]
fn a_half_written_last_line_of_a_live_log_waits_for_the_next_run() {
    let tmp = tempfile::tempdir().unwrap();
    let live = tmp.path().join("u_ex260302.log");
    // IIS flushed in the middle of line 3; the file was just modified.
    std::fs::write(&live, "#Fields: date time cs-uri-stem sc-status\r\n2026-03-02 00:00:01 /a 200\r\n2026-03-02 00:00:02 /b 2").unwrap();
    let opts = IngestOptions::new(tmp.path().join("ds"));
    let first = ingest(std::slice::from_ref(&live), &opts).unwrap();
    assert_eq!(
        (
            first.total_rows(),
            first.total_rejects(),
            first.held_partial_lines.len()
        ),
        (1, 0, 1)
    );
    let mut text = std::fs::read(&live).unwrap();
    text.extend(b"00\r\n");
    std::fs::write(&live, text).unwrap();
    let second = ingest(std::slice::from_ref(&live), &opts).unwrap();
    assert_eq!(
        (
            second.files_appended,
            second.total_rows(),
            second.total_rejects()
        ),
        (1, 1, 0)
    );
    let w3c = rows(&tmp.path().join("ds"), Table::W3CIISLog);
    assert_eq!(find(&w3c, "csUriStem", "/b")["scStatus"], "200");
    // An old file's unterminated last line is read as it is.
    age(&live);
    let mut text = std::fs::read(&live).unwrap();
    text.extend(b"2026-03-02 00:00:03 /c 200");
    std::fs::write(&live, text).unwrap();
    age(&live);
    assert_eq!(
        ingest(std::slice::from_ref(&live), &opts)
            .unwrap()
            .total_rows(),
        1
    );
}

#[test]
fn interrupted_ingest_leaves_the_previous_dataset_intact() {
    let tmp = tempfile::tempdir().unwrap();
    let logs = tmp.path().join("logs");
    copy_tree(&source_fixtures().join("servers"), &logs);
    let ds = tmp.path().join("ds");
    ingest(std::slice::from_ref(&logs), &IngestOptions::new(&ds)).unwrap();
    let snapshot = |ds: &Path| -> Vec<(PathBuf, Vec<u8>)> {
        let mut files = Vec::new();
        let mut stack = vec![ds.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    files.push((p.clone(), std::fs::read(&p).unwrap()));
                }
            }
        }
        files.sort();
        files
    };
    let before = snapshot(&ds);
    let live = logs.join("WEB01/u_ex260302.log");
    let mut text = std::fs::read(&live).unwrap();
    text.extend(b"\r\n12:04:00 192.0.2.5 GET /e 200\r\n");
    std::fs::write(&live, &text).unwrap();
    std::fs::write(
        logs.join("WEB02/u_ex260304.log"),
        "#Fields: date time cs-uri-stem\n2026-03-04 00:00:00 /n\n",
    )
    .unwrap();

    let mut failing = IngestOptions::new(&ds);
    failing.fail_before_publish = true;
    assert!(matches!(
        ingest(std::slice::from_ref(&logs), &failing),
        Err(StoreError::Injected)
    ));
    assert_eq!(
        snapshot(&ds),
        before,
        "every file byte-identical, no staging left"
    );

    // A bad input fails the whole run the same way, naming the file: a
    // non-log named on the command line (found only in the folder, it
    // would be skipped).
    let bad = logs.join("WEB02/notes.log");
    std::fs::write(&bad, "just some notes\n").unwrap();
    let err = ingest(&[logs.clone(), bad.clone()], &IngestOptions::new(&ds)).unwrap_err();
    assert!(err.to_string().contains("notes.log"), "{err}");
    assert_eq!(snapshot(&ds), before);
    std::fs::remove_file(&bad).unwrap();

    // The next run picks everything up exactly once.
    let s = ingest(std::slice::from_ref(&logs), &IngestOptions::new(&ds)).unwrap();
    assert_eq!((s.files_new, s.files_appended, s.total_rows()), (1, 1, 2));
    assert_eq!(rows(&ds, Table::W3CIISLog).len(), 12);
}

#[test]
fn a_lost_manifest_is_not_silently_rebuilt_into_duplicates() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = tmp.path().join("ds");
    let servers = fixtures_in(tmp.path()).join("servers");
    ingest(std::slice::from_ref(&servers), &IngestOptions::new(&ds)).unwrap();
    std::fs::remove_file(ds.join("_manifest.json")).unwrap();
    let err = ingest(std::slice::from_ref(&servers), &IngestOptions::new(&ds)).unwrap_err();
    assert!(err.to_string().contains("is missing"), "{err}");
    assert_eq!(rows(&ds, Table::W3CIISLog).len(), 10);
}

#[test]
fn other_formats_are_read_or_skipped_and_bad_paths_refused_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = tmp.path().join("ds");
    let other = fixtures_in(tmp.path()).join("other");
    let s = ingest(
        &[
            other.join("ftp/u_ex260302.log"),
            other.join("iisformat/in260302.log"),
            other.join("firewall/pfirewall.log"),
        ],
        &IngestOptions::new(&ds),
    )
    .unwrap();
    assert_eq!(s.rows[&Table::IISFtpLog], 1);
    assert_eq!(s.rows[&Table::W3CIISLog], 1);
    assert_eq!(s.kinds[&Some(LogKind::Ftp)], 1);
    assert_eq!(s.kinds[&Some(LogKind::IisFormat)], 1);
    assert_eq!(s.skipped.len(), 1);
    assert_eq!(s.skipped[0].kind, LogKind::Firewall);
    assert_eq!(s.skipped[0].detail, "#Software: Microsoft Windows Firewall");
    let ftp = rows(&ds, Table::IISFtpLog);
    assert_eq!(ftp[0]["csMethod"], "ControlChannelOpened");
    assert_eq!(ftp[0]["xSession"], "7a1c0e5f-1");
    // 03/20/01 7:55:20, read as UTC.
    let web = rows(&ds, Table::W3CIISLog);
    assert_eq!(web[0]["csUriStem"], "/DeptLogo.gif");
    assert_eq!(web[0]["Computer"], "SERVER");

    let ds2 = tmp.path().join("ds2");
    let not_a_log = tmp.path().join("notes.log");
    std::fs::write(&not_a_log, "just some notes\n").unwrap();
    let err = ingest(&[not_a_log], &IngestOptions::new(&ds2)).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("notes.log is not a log iishunt reads (first line: \"just some notes\")"),
        "{msg}"
    );
    let missing = fixtures_in(tmp.path()).join("nope/u_ex1.log");
    let err = ingest(&[missing], &IngestOptions::new(&ds2)).unwrap_err();
    assert!(
        matches!(err, StoreError::InputNotFound { .. }) && err.to_string().contains("nope"),
        "{err}"
    );
    assert!(!ds2.join("_manifest.json").exists(), "nothing published");
}

#[test]
fn headerless_files_get_iis_default_fields_and_the_computer_flag() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = tmp.path().join("ds");
    let mut opts = IngestOptions::new(&ds);
    opts.computer = Some("EDGE01".into());
    let s = ingest(&[fixtures_in(tmp.path()).join("headerless")], &opts).unwrap();
    assert_eq!(s.assumed_default_fields.len(), 1);
    assert_eq!((s.total_rows(), s.computer.from_flag), (2, 2));
    let w3c = rows(&ds, Table::W3CIISLog);
    let robots = find(&w3c, "csUriStem", "/robots.txt");
    assert_eq!(
        (robots["Computer"].as_str(), robots["scStatus"].as_str()),
        ("EDGE01", "404")
    );
    assert_eq!(
        (robots["csUserAgent"].as_str(), robots["TimeTaken"].as_str()),
        ("Googlebot/2.1", "0")
    );
}

#[test]
fn overlong_lines_are_rejected_not_fatal() {
    let tmp = tempfile::tempdir().unwrap();
    let log = tmp.path().join("u_ex1.log");
    let long = "x".repeat(5000);
    std::fs::write(&log, format!("#Fields: date time cs-uri-stem\n2026-03-02 00:00:00 /{long}\n2026-03-02 00:00:01 /ok\n"))
        .unwrap();
    let mut opts = IngestOptions::new(tmp.path().join("ds"));
    opts.reader = ReaderOptions {
        max_line: 1000,
        ..ReaderOptions::default()
    };
    let s = ingest(&[log], &opts).unwrap();
    assert_eq!(s.total_rows(), 1);
    assert_eq!(s.rejects.get("over_long"), Some(&1));
    assert_eq!(s.reject_samples[0].line, 2);
}

#[test]
fn rows_out_of_time_order_are_sorted_within_their_row_group() {
    let tmp = tempfile::tempdir().unwrap();
    let log = tmp.path().join("u_ex1.log");
    let text = "#Fields: date time cs-uri-stem\n2026-03-02 00:00:03 /c\n2026-03-02 00:00:01 /a\n2026-03-02 00:00:02 /b\n";
    std::fs::write(&log, text).unwrap();
    age(&log);
    let ds = tmp.path().join("ds");
    ingest(&[log], &IngestOptions::new(&ds)).unwrap();
    let file = Dataset::open(&ds).unwrap().files(Table::W3CIISLog)[0].clone();
    let reader =
        ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(file).unwrap()).unwrap();
    let batch = reader.build().unwrap().next().unwrap().unwrap();
    let stems: Vec<String> = batch_rows(&batch)
        .into_iter()
        .map(|r| r["csUriStem"].clone())
        .collect();
    assert_eq!(stems, ["/a", "/b", "/c"]);
}

#[test]
fn a_changed_gzip_file_replaces_its_rows() {
    let tmp = tempfile::tempdir().unwrap();
    let logs = tmp.path().join("logs");
    copy_tree(&source_fixtures().join("servers"), &logs);
    let ds = tmp.path().join("ds");
    let opts = IngestOptions::new(&ds);
    ingest(std::slice::from_ref(&logs), &opts).unwrap();
    let gz = logs.join("WEB02/u_ex260303.log.gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(
        &mut enc,
        b"#Fields: date time cs-uri-stem\n2026-03-03 10:00:00 /new\n",
    )
    .unwrap();
    std::fs::write(&gz, enc.finish().unwrap()).unwrap();
    let s = ingest(std::slice::from_ref(&logs), &opts).unwrap();
    assert_eq!(
        (s.files_replaced, s.files_unchanged, s.total_rows()),
        (1, 2, 1)
    );
    let w3c = rows(&ds, Table::W3CIISLog);
    assert_eq!(
        w3c.len(),
        7 + 1,
        "WEB01's seven rows and the new one; WEB02's old three are gone"
    );
    assert!(w3c.iter().all(|r| r["csUriStem"] != "/late"));
}

#[test]
fn read_raw_sees_the_same_rows_as_ingest() {
    let tmp = tempfile::tempdir().unwrap();
    let raw = read_raw(
        &[fixtures_in(tmp.path()).join("servers")],
        &RawOptions::default(),
    )
    .unwrap();
    let count = |t: Table| {
        raw.batches(t)
            .iter()
            .map(RecordBatch::num_rows)
            .sum::<usize>()
    };
    assert_eq!(
        (count(Table::W3CIISLog), count(Table::HttpErrorLog)),
        (10, 3)
    );
    assert_eq!((raw.files, raw.total_rejects()), (3, 4));
    let first = &raw.batches(Table::HttpErrorLog)[0];
    assert!(first.column_by_name("sReason").unwrap().null_count() == 0);
}

#[test]
fn appended_tails_of_iis_format_and_ncsa_files_are_read_in_their_format() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = tmp.path().join("ds");
    let logs = fixtures_in(tmp.path()).join("LogFiles");
    let iis = logs.join("W3SVC3/in260308.log");
    let ncsa = logs.join("W3SVC4/nc260308.log");
    let inputs = [iis.clone(), ncsa.clone()];
    let first = ingest(&inputs, &IngestOptions::new(&ds)).unwrap();
    assert_eq!((first.total_rows(), first.total_rejects()), (6, 0));
    let append = |path: &Path, line: &str| {
        let mut text = std::fs::read(path).unwrap();
        text.extend_from_slice(line.as_bytes());
        std::fs::write(path, text).unwrap();
        age(path);
    };
    append(
        &iis,
        "192.0.2.12, -, 3/8/2026, 9:20:00, W3SVC3, LEGACY01, 10.0.0.7, 3, 200, 900, 404, 2, GET, /old.asp, -,\r\n",
    );
    append(
        &ncsa,
        "192.0.2.22 - - [08/Mar/2026:10:10:00 +0100] \"GET /late HTTP/1.1\" 404 0\n",
    );
    let second = ingest(&inputs, &IngestOptions::new(&ds)).unwrap();
    assert_eq!(
        (
            second.files_appended,
            second.total_rows(),
            second.total_rejects()
        ),
        (2, 2, 0)
    );
    let web = rows(&ds, Table::W3CIISLog);
    assert_eq!(web.len(), 8);
    assert_eq!(find(&web, "csUriStem", "/old.asp")["Computer"], "LEGACY01");
    assert_eq!(
        find(&web, "csUriStem", "/late")["TimeGenerated"],
        "2026-03-08T09:10:00"
    );
}
