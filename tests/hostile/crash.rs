//! Crash safety of `iishunt ingest` (issue 12): SIGKILL at arbitrary
//! moments, then ingest again — the dataset is complete, with no duplicate
//! and no lost line, checked file by file against the source. A file-size
//! limit (a full disk, `ulimit -f`) and a read-only output folder give a clear
//! error and leave the previous dataset as it was.
//!
//! The default run kills at 3 points; `cargo test -- --ignored
//! kill_nine_at_many_random_points` kills at 12 random ones.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use iishunt::{Engine, QueryOptions};

use crate::cli::text;

/// Rows per generated file; each row's `cs-uri-query` is unique (`id=F-N`).
const ROWS: usize = 4_000;

/// Writes `files` W3C logs under `dir/logs` (two per server folder), dated an
/// hour ago so none looks like a log IIS is still writing.
fn generate(dir: &Path, files: usize) -> PathBuf {
    let logs = dir.join("logs");
    for f in 0..files {
        let server = logs.join(format!("WEB{:02}", f / 2));
        std::fs::create_dir_all(&server).unwrap();
        write_log(
            &server.join(format!("u_ex2603{:02}.log", 10 + f % 2)),
            f,
            ROWS,
        );
    }
    logs
}

fn write_log(path: &Path, f: usize, rows: usize) {
    let mut text = String::with_capacity(rows * 160);
    text.push_str(
        "#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n\
         #Date: 2026-03-10 00:00:00\n#Fields: date time s-ip cs-method cs-uri-stem \
         cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status sc-substatus \
         sc-win32-status sc-bytes time-taken\n",
    );
    for n in 0..rows {
        text.push_str(&format!(
            "2026-03-10 {:02}:{:02}:{:02} 10.0.0.1 GET /app/page{} id={f}-{n} 443 - 198.51.100.{} Mozilla/5.0 200 0 0 {} {}\n",
            n / 3600 % 24,
            n / 60 % 60,
            n % 60,
            n % 97,
            n % 250,
            1000 + n,
            n % 50
        ));
    }
    std::fs::write(path, text).unwrap();
    let hour_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
    std::fs::File::options()
        .append(true)
        .open(path)
        .unwrap()
        .set_modified(hour_ago)
        .unwrap();
}

fn ingest_cmd(logs: &Path, out: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_iishunt"));
    cmd.arg("ingest").arg(logs).arg("--out").arg(out);
    cmd
}

/// Per source file: (rows, distinct `cs-uri-query` values), from the dataset.
fn rows_per_file(ds: &Path) -> Vec<(String, i64, i64)> {
    let engine = Engine::open(&[ds.to_path_buf()]).expect("the dataset opens");
    let r = engine
        .query(
            "W3CIISLog | summarize n = count(), d = dcount(csUriQuery) by FileUri | order by FileUri asc",
            &QueryOptions::default(),
        )
        .expect("query the dataset");
    let mut out = Vec::new();
    for b in &r.batches {
        let cols = iishunt::render::cell::columns(b, &r.columns);
        for row in 0..b.num_rows() {
            let name = cols[0].value(row).text().unwrap_or_default().into_owned();
            let n = cols[1].value(row).as_f64().unwrap_or(-1.0) as i64;
            let d = cols[2].value(row).as_f64().unwrap_or(-1.0) as i64;
            out.push((name, n, d));
        }
    }
    out
}

/// The dataset, if one was published, is consistent: every file it holds is
/// complete and free of duplicates (a run publishes all or nothing).
fn assert_consistent(ds: &Path, files: usize) -> usize {
    if !ds.join(iishunt_store::manifest::MANIFEST).exists() {
        return 0;
    }
    let per_file = rows_per_file(ds);
    for (name, n, d) in &per_file {
        assert_eq!(*n, ROWS as i64, "{name}: rows");
        assert_eq!(*d, ROWS as i64, "{name}: distinct rows (duplicates?)");
    }
    assert!(per_file.len() <= files);
    per_file.len()
}

/// Starts an ingest and SIGKILLs it after `after`; returns whether it had
/// already finished.
fn kill_after(logs: &Path, out: &Path, after: Duration) -> bool {
    let mut child = ingest_cmd(logs, out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn ingest");
    let started = Instant::now();
    while started.elapsed() < after {
        if child.try_wait().expect("wait").is_some() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().expect("SIGKILL"); // Child::kill is SIGKILL on Unix.
    child.wait().expect("reap");
    false
}

/// Kills an ingest at each point (fractions of a full run's duration), checks
/// the dataset after every kill, then lets one run finish and checks that
/// every line of every file is there exactly once.
fn kill_and_recover(points: &[f64]) {
    let dir = tempfile::tempdir().unwrap();
    let files = 8;
    let logs = generate(dir.path(), files);
    // A full run, timed, into a scratch dataset: the reference.
    let reference = dir.path().join("reference");
    let started = Instant::now();
    let out = ingest_cmd(&logs, &reference).output().expect("ingest");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let full = started.elapsed();
    assert_eq!(assert_consistent(&reference, files), files);

    let ds = dir.path().join("ds");
    let mut killed = 0;
    for p in points {
        let finished = kill_after(&logs, &ds, full.mul_f64(*p));
        killed += usize::from(!finished);
        assert_consistent(&ds, files);
    }
    let out = ingest_cmd(&logs, &ds).output().expect("ingest");
    assert!(
        out.status.success(),
        "re-ingest after {killed} kills: {}",
        text(&out.stderr)
    );
    assert_eq!(assert_consistent(&ds, files), files, "every file, complete");
    // No staging folder or lock is left behind once a run completed.
    let leftovers: Vec<String> = std::fs::read_dir(&ds)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("_staging") || n.ends_with(".lock"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    eprintln!(
        "kill -9: {killed} of {} runs killed, all recovered",
        points.len()
    );
}

#[test]
fn kill_nine_during_ingest_then_reingest_loses_and_duplicates_nothing() {
    kill_and_recover(&[0.15, 0.5, 0.85]);
}

#[test]
#[ignore = "slow: 12 kill points; run with --ignored"]
fn kill_nine_at_many_random_points() {
    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64
        | 1;
    let points: Vec<f64> = (0..12)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % 1000) as f64 / 1000.0
        })
        .collect();
    eprintln!("kill points (fractions of a full run): {points:?}");
    kill_and_recover(&points);
}

/// A dataset of `files` complete files, then one more source file that the
/// next (failing) run would add.
fn dataset_then_new_file(dir: &Path) -> (PathBuf, PathBuf) {
    let logs = generate(dir, 2);
    let ds = dir.join("ds");
    let out = ingest_cmd(&logs, &ds).output().expect("ingest");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let extra = logs.join("WEB09");
    std::fs::create_dir_all(&extra).unwrap();
    write_log(&extra.join("u_ex260312.log"), 9, ROWS);
    (logs, ds)
}

fn assert_previous_dataset_intact(ds: &Path) {
    let per_file = rows_per_file(ds);
    assert_eq!(per_file.len(), 2, "{per_file:?}");
    for (name, n, d) in per_file {
        assert_eq!((n, d), (ROWS as i64, ROWS as i64), "{name}");
    }
}

fn failed(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(1),
        "expected exit 1 (a clear error), got {:?}\nstderr:\n{}",
        out.status,
        text(&out.stderr)
    );
    text(&out.stderr)
}

#[test]
fn a_full_disk_is_a_clear_error_and_keeps_the_previous_dataset() {
    let dir = tempfile::tempdir().unwrap();
    let (logs, ds) = dataset_then_new_file(dir.path());
    // `ulimit -f 16`: no file may grow past 8 KiB, as on a disk that is full.
    let out = Command::new("sh")
        .arg("-c")
        .arg("ulimit -f 16 && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_iishunt"))
        .arg("ingest")
        .arg(&logs)
        .arg("--out")
        .arg(&ds)
        .output()
        .expect("run ingest");
    let err = failed(&out);
    assert!(
        err.contains("File too large") || err.contains("No space"),
        "{err}"
    );
    assert!(
        err.contains(&ds.display().to_string()),
        "names the path: {err}"
    );
    assert_previous_dataset_intact(&ds);
}

#[test]
fn a_read_only_output_folder_is_a_clear_error_and_keeps_the_previous_dataset() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let (logs, ds) = dataset_then_new_file(dir.path());
    let set_mode = |mode| {
        std::fs::set_permissions(&ds, std::fs::Permissions::from_mode(mode)).unwrap();
    };
    set_mode(0o555);
    // Root ignores permissions: run the ingest as `nobody` then (the temp
    // folder must let it read the logs).
    let mut cmd = if is_root() {
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_iishunt"));
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_iishunt"))
    };
    let out = cmd
        .arg("ingest")
        .arg(&logs)
        .arg("--out")
        .arg(&ds)
        .output()
        .expect("run ingest");
    set_mode(0o755);
    let err = failed(&out);
    assert!(
        err.contains("cannot write") && err.contains("Permission denied"),
        "{err}"
    );
    assert_previous_dataset_intact(&ds);
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| text(&o.stdout).trim() == "0")
        .unwrap_or(false)
}
