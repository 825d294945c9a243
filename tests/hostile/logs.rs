//! Hostile logs (issue 12): binary garbage, NUL runs, invalid UTF-8, a 50 MB
//! line, `#Fields` with 10,000 names or none, a gzip bomb, symlink loops,
//! files that grow or are rewritten shorter between runs, an HTTPERR file
//! named `u_ex*.log`. Every good line is kept, every bad one is in `_rejects/`
//! (counted per file against what the test wrote), and memory stays bounded.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use iishunt::ingest::{ingest, IngestOptions};
use iishunt::{Engine, QueryOptions};

use crate::cli::text;

const HEADER: &str = "#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n\
#Date: 2026-03-10 00:00:00\n#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port \
cs-username c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status sc-bytes time-taken\n";

fn row(n: usize) -> String {
    format!(
        "2026-03-10 01:{:02}:{:02} 10.0.0.1 GET /p{n} id={n} 443 - 198.51.100.7 Mozilla/5.0 200 0 0 100 5\n",
        n / 60 % 60,
        n % 60
    )
}

fn aged(path: &Path) {
    let hour_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
    std::fs::File::options()
        .append(true)
        .open(path)
        .unwrap()
        .set_modified(hour_ago)
        .unwrap();
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
    aged(path);
}

/// Rows per `FileUri` file name in the dataset's table.
fn rows_by_file(ds: &Path, table: &str) -> Vec<(String, i64)> {
    let engine = Engine::open(&[ds.to_path_buf()]).expect("open the dataset");
    let q = format!("{table} | summarize n = count() by FileUri | order by FileUri asc");
    let r = engine.query(&q, &QueryOptions::default()).expect("query");
    let mut out = Vec::new();
    for b in &r.batches {
        let cols = iishunt::render::cell::columns(b, &r.columns);
        for i in 0..b.num_rows() {
            let uri = cols[0].value(i).text().unwrap_or_default().into_owned();
            let name = uri.rsplit(['/', '\\']).next().unwrap_or("").to_string();
            out.push((name, cols[1].value(i).as_f64().unwrap_or(-1.0) as i64));
        }
    }
    out
}

/// Rejected lines kept in `_rejects/`, per source file name: (line numbers).
fn rejects_by_file(ds: &Path) -> Vec<(String, Vec<u64>)> {
    let mut by: std::collections::BTreeMap<String, Vec<u64>> = Default::default();
    let dir = ds.join("_rejects");
    for e in std::fs::read_dir(&dir).into_iter().flatten() {
        let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
        for line in text.lines() {
            let v: serde_json::Value = serde_json::from_str(line).expect("a reject is JSON");
            let file = v["file"].as_str().unwrap_or("");
            let name = file.rsplit(['/', '\\']).next().unwrap_or("").to_string();
            by.entry(name)
                .or_default()
                .push(v["line"].as_u64().expect("line number"));
        }
    }
    by.into_iter().collect()
}

#[test]
fn garbage_nul_runs_and_invalid_utf8_keep_every_good_line() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    // Lines 1-4 header; then per block of 5: a good row, a garbage line, a
    // NUL run, a row with invalid UTF-8 in its URI (kept, with U+FFFD), a row
    // with a field missing.
    let mut bytes = HEADER.as_bytes().to_vec();
    let mut seed: u32 = 12345;
    let mut expected_rejects = Vec::new();
    let mut line = 4u64;
    for n in 0..200 {
        bytes.extend_from_slice(row(n).as_bytes());
        line += 1;
        // Binary garbage: no separator, newline or '#', so one field.
        for _ in 0..60 {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let b = (seed >> 16) as u8;
            bytes.push(if matches!(b, b'\n' | b'\r' | b' ' | b'\t' | b'#' | 0) {
                b'x'
            } else {
                b
            });
        }
        bytes.push(b'\n');
        line += 1;
        expected_rejects.push(line);
        bytes.extend_from_slice(&[0u8; 300]);
        bytes.push(b'\n');
        line += 1;
        let bad = row(1000 + n).replace("/p", "/\u{1}p");
        let mut bad = bad.into_bytes();
        let at = bad.iter().position(|&b| b == 1).unwrap();
        bad[at] = 0xff;
        bytes.extend_from_slice(&bad);
        line += 1;
        bytes.extend_from_slice(row(2000 + n).replace(" Mozilla/5.0", "").as_bytes());
        line += 1;
        expected_rejects.push(line);
    }
    write(&logs.join("u_ex260310.log"), &bytes);
    let ds = dir.path().join("ds");
    let summary = ingest(&[logs], &IngestOptions::new(&ds)).expect("ingest");
    assert_eq!(summary.lines, line);
    assert_eq!(summary.nul_lines, 200);
    assert_eq!(summary.invalid_utf8, 200);
    assert_eq!(
        rows_by_file(&ds, "W3CIISLog"),
        vec![("u_ex260310.log".to_string(), 400)]
    );
    assert_eq!(
        rejects_by_file(&ds),
        vec![("u_ex260310.log".to_string(), expected_rejects)]
    );
    // The kept invalid-UTF-8 rows hold U+FFFD where the bad byte was.
    let engine = Engine::open(&[ds]).unwrap();
    let r = engine
        .query(
            "W3CIISLog | where csUriStem startswith \"/\u{fffd}p\" | count",
            &QueryOptions::default(),
        )
        .unwrap();
    let cols = iishunt::render::cell::columns(&r.batches[0], &r.columns);
    assert_eq!(cols[0].value(0).as_f64(), Some(200.0));
}

#[test]
fn fields_lines_with_ten_thousand_names_or_none() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    // 10,000 names: date, time, and 9,998 unknown ones (custom string fields).
    let names: Vec<String> = (0..9_998).map(|i| format!("x-f{i}")).collect();
    let mut wide = String::from("#Software: Microsoft Internet Information Services 10.0\n");
    wide.push_str(&format!("#Fields: date time {}\n", names.join(" ")));
    let values: Vec<String> = (0..9_998).map(|i| format!("v{i}")).collect();
    wide.push_str(&format!("2026-03-10 00:00:01 {}\n", values.join(" ")));
    wide.push_str("2026-03-10 00:00:02 too few values\n");
    write(&logs.join("WIDE/u_ex260310.log"), wide.as_bytes());
    // `#Fields:` naming nothing: it and the lines under it are rejected, the
    // next real `#Fields` brings the rows back.
    let mut none = String::from(HEADER);
    none.push_str(&row(1));
    none.push_str("#Fields:\n");
    none.push_str(&row(2));
    none.push_str(&row(3));
    none.push_str(HEADER.lines().nth(3).unwrap());
    none.push('\n');
    none.push_str(&row(4));
    write(&logs.join("NONE/u_ex260310.log"), none.as_bytes());
    let ds = dir.path().join("ds");
    let summary = ingest(&[logs], &IngestOptions::new(&ds)).expect("ingest");
    assert_eq!(summary.lines, 4 + 10);
    let mut rows = rows_by_file(&ds, "W3CIISLog");
    rows.sort();
    // WIDE keeps its one full row, NONE its rows 5 and 10.
    assert_eq!(
        rows,
        vec![
            ("u_ex260310.log".to_string(), 1),
            ("u_ex260310.log".to_string(), 2)
        ]
    );
    let rejects: Vec<u64> = rejects_by_file(&ds)
        .into_iter()
        .flat_map(|(_, l)| l)
        .collect();
    // WIDE: line 4 (too few values); NONE: lines 6 (#Fields:), 7, 8 (no fields).
    let mut rejects = rejects;
    rejects.sort();
    assert_eq!(rejects, vec![4, 6, 7, 8]);
}

#[test]
fn an_httperr_file_named_like_a_web_log_goes_to_the_error_table() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    let httperr = "#Software: Microsoft HTTP API 2.0\n#Version: 1.0\n#Date: 2026-03-10 00:00:00\n\
#Fields: date time c-ip c-port s-ip s-port cs-version cs-method cs-uri streamid sc-status s-siteid s-reason s-queuename\n\
2026-03-10 00:00:01 203.0.113.5 50123 10.0.0.5 443 HTTP/1.1 GET /x - 400 - BadRequest -\n\
2026-03-10 00:00:02 203.0.113.5 50124 10.0.0.5 443 - - - - - - Timer_ConnectionIdle -\n";
    write(&logs.join("u_ex260310.log"), httperr.as_bytes());
    let ds = dir.path().join("ds");
    ingest(&[logs], &IngestOptions::new(&ds)).expect("ingest");
    assert_eq!(
        rows_by_file(&ds, "HttpErrorLog"),
        vec![("u_ex260310.log".to_string(), 2)]
    );
    assert!(rows_by_file(&ds, "W3CIISLog").is_empty());
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_not_followed_forever() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    let mut text = String::from(HEADER);
    (0..10).for_each(|n| text.push_str(&row(n)));
    write(&logs.join("WEB01/u_ex260310.log"), text.as_bytes());
    std::os::unix::fs::symlink(&logs, logs.join("WEB01/loop")).unwrap();
    std::os::unix::fs::symlink("u_ex260311.log", logs.join("WEB01/u_ex260311.log")).unwrap();
    let ds = dir.path().join("ds");
    let (tx, rx) = std::sync::mpsc::channel();
    let (l, d) = (logs.clone(), ds.clone());
    std::thread::spawn(move || {
        let _ = tx.send(ingest(&[l], &IngestOptions::new(&d)).map(|s| s.total_rows()));
    });
    let outcome = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("ingest must finish despite the loops");
    match outcome {
        // The loop was skipped and the self-link reported or skipped.
        Ok(rows) => {
            assert_eq!(rows, 10);
            assert_eq!(
                rows_by_file(&ds, "W3CIISLog"),
                vec![("u_ex260310.log".to_string(), 10)]
            );
        }
        // Or the self-link is an error naming it.
        Err(e) => assert!(e.to_string().contains("u_ex260311.log"), "{e}"),
    }
}

#[test]
fn files_that_grow_or_are_rewritten_shorter_between_runs_lose_no_line() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    let file = logs.join("u_ex260310.log");
    let mut text = String::from(HEADER);
    (0..100).for_each(|n| text.push_str(&row(n)));
    write(&file, text.as_bytes());
    let ds = dir.path().join("ds");
    ingest(std::slice::from_ref(&logs), &IngestOptions::new(&ds)).expect("ingest 1");
    // Grows: 50 more lines appended.
    let mut more = String::new();
    (100..150).for_each(|n| more.push_str(&row(n)));
    std::fs::OpenOptions::new()
        .append(true)
        .open(&file)
        .unwrap()
        .write_all(more.as_bytes())
        .unwrap();
    aged(&file);
    ingest(std::slice::from_ref(&logs), &IngestOptions::new(&ds)).expect("ingest 2");
    assert_eq!(
        rows_by_file(&ds, "W3CIISLog"),
        vec![("u_ex260310.log".to_string(), 150)]
    );
    // Shrinks: rewritten with 30 different rows; the dataset follows the file.
    let mut short = String::from(HEADER);
    (500..530).for_each(|n| short.push_str(&row(n)));
    write(&file, short.as_bytes());
    ingest(std::slice::from_ref(&logs), &IngestOptions::new(&ds)).expect("ingest 3");
    assert_eq!(
        rows_by_file(&ds, "W3CIISLog"),
        vec![("u_ex260310.log".to_string(), 30)]
    );
}

/// Peak resident memory of a child, sampled from /proc until it exits.
#[cfg(target_os = "linux")]
fn run_sampling_peak(mut cmd: Command) -> (std::process::Output, u64) {
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let status = PathBuf::from(format!("/proc/{}/status", child.id()));
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut peak = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                if let Ok(s) = std::fs::read_to_string(&status) {
                    if let Some(kb) = s
                        .lines()
                        .find(|l| l.starts_with("VmHWM:"))
                        .and_then(|l| l.split_whitespace().nth(1))
                        .and_then(|v| v.parse::<u64>().ok())
                    {
                        peak = peak.max(kb);
                    }
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            peak
        })
    };
    let out = child.wait_with_output().expect("wait");
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    (out, sampler.join().unwrap() * 1024)
}

/// Under `dir/logs`: `BIG/u_ex260310.log` (a good row, a line of `line_mb`
/// MB, a good row) and `BOMB/u_ex260310.log.gz` (a good row, then a line of
/// `bomb_mb` MB, compressed about 1000:1).
fn hostile_pair(dir: &Path, line_mb: usize, bomb_mb: usize) -> PathBuf {
    let logs = dir.join("logs");
    let mut big = HEADER.as_bytes().to_vec();
    big.extend_from_slice(row(1).as_bytes());
    big.extend(std::iter::repeat_n(b'A', line_mb << 20));
    big.push(b'\n');
    big.extend_from_slice(row(2).as_bytes());
    write(&logs.join("BIG/u_ex260310.log"), &big);
    drop(big);
    let gz_path = logs.join("BOMB/u_ex260310.log.gz");
    std::fs::create_dir_all(gz_path.parent().unwrap()).unwrap();
    {
        let f = std::fs::File::create(&gz_path).unwrap();
        let mut enc = flate2::write::GzEncoder::new(f, flate2::Compression::fast());
        enc.write_all(HEADER.as_bytes()).unwrap();
        enc.write_all(row(3).as_bytes()).unwrap();
        let chunk = vec![b'B'; 1 << 20];
        for _ in 0..bomb_mb {
            enc.write_all(&chunk).unwrap();
        }
        enc.write_all(b"\n").unwrap();
        enc.finish().unwrap();
    }
    aged(&gz_path);
    assert!(std::fs::metadata(&gz_path).unwrap().len() < (bomb_mb as u64) << 14);
    logs
}

/// Ingests `logs` into `logs/../ds` with the binary; its output and peak RSS.
#[cfg(target_os = "linux")]
fn ingest_peak(logs: &Path) -> (std::process::Output, u64) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_iishunt"));
    cmd.arg("ingest")
        .arg(logs)
        .arg("--out")
        .arg(logs.parent().unwrap().join("ds"));
    let (out, peak) = run_sampling_peak(cmd);
    assert!(out.status.success(), "{}", text(&out.stderr));
    (out, peak)
}

#[cfg(target_os = "linux")]
#[test]
fn a_fifty_megabyte_line_and_a_gzip_bomb_are_rejected_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    // A baseline with the same two files and smaller over-long lines (5 MB,
    // 20 MB), so the same paths run at once: memory must not grow with the
    // line (50 MB, 200 MB), only the work.
    let (_, baseline) = ingest_peak(&hostile_pair(&dir.path().join("small"), 5, 20));
    let big = dir.path().join("big");
    let (out, peak) = ingest_peak(&hostile_pair(&big, 50, 200));
    // Lines are cut at 1 MiB: 180 MB more of hostile lines cost no more memory.
    assert!(
        peak < baseline + (24 << 20),
        "peak RSS {} MB, baseline {} MB",
        peak >> 20,
        baseline >> 20
    );
    let ds = big.join("ds");
    let mut rows = rows_by_file(&ds, "W3CIISLog");
    rows.sort();
    assert_eq!(
        rows,
        vec![
            ("u_ex260310.log".to_string(), 2),
            ("u_ex260310.log.gz".to_string(), 1)
        ]
    );
    let mut rejects = rejects_by_file(&ds);
    rejects.sort();
    assert_eq!(
        rejects,
        vec![
            ("u_ex260310.log".to_string(), vec![6]),
            ("u_ex260310.log.gz".to_string(), vec![6])
        ]
    );
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("over_long") || stdout.contains("over the limit"),
        "{stdout}"
    );
}

/// Distinct `cs-uri-query` values of the file, with its row count.
fn rows_and_distinct(ds: &Path) -> (i64, i64) {
    let engine = Engine::open(&[ds.to_path_buf()]).expect("open the dataset");
    let r = engine
        .query(
            "W3CIISLog | summarize n = count(), d = dcount(csUriQuery)",
            &QueryOptions::default(),
        )
        .expect("query");
    let cols = iishunt::render::cell::columns(&r.batches[0], &r.columns);
    let get = |i: usize| cols[i].value(0).as_f64().unwrap_or(-1.0) as i64;
    (get(0), get(1))
}

#[test]
fn a_file_that_grows_while_it_is_read_loses_and_doubles_no_line() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    let file = logs.join("u_ex260310.log");
    let mut text = String::from(HEADER);
    (0..60_000).for_each(|n| text.push_str(&row(n)));
    // Not aged: a file written just now is a live log, as IIS keeps one open.
    std::fs::create_dir_all(&logs).unwrap();
    std::fs::write(&file, text).unwrap();
    let total = 100_000;
    // IIS appends while the ingest reads: whole lines, in small writes that
    // may land mid-line as far as the reader can tell.
    let writer = {
        let file = file.clone();
        std::thread::spawn(move || {
            let mut f = std::fs::OpenOptions::new()
                .append(true)
                .open(&file)
                .unwrap();
            for n in 60_000..total {
                f.write_all(row(n).as_bytes()).unwrap();
                if n % 500 == 0 {
                    std::thread::sleep(Duration::from_millis(1));
                }
            }
        })
    };
    let ds = dir.path().join("ds");
    let first = ingest(std::slice::from_ref(&logs), &IngestOptions::new(&ds)).expect("ingest 1");
    writer.join().unwrap();
    let (n, d) = rows_and_distinct(&ds);
    assert_eq!(n, d, "no line twice after the first run");
    assert!(n as u64 == first.total_rows() && n >= 60_000, "{n}");
    // The next run reads the rest from where the first stopped.
    ingest(std::slice::from_ref(&logs), &IngestOptions::new(&ds)).expect("ingest 2");
    assert_eq!(rows_and_distinct(&ds), (total as i64, total as i64));
    assert!(
        rejects_by_file(&ds).is_empty(),
        "{:?}",
        rejects_by_file(&ds)
    );
}
