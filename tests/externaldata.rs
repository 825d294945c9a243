//! `externaldata` over Parquet (the file is written here with the parquet
//! writer, so the repository holds no binary fixture), and `--table NAME=FILE`
//! end to end through the binary: CSV, TSV, JSON lines and Parquet as tables,
//! and the errors a user meets (missing file, URL, name clash, bad argument).
//! The text-format `externaldata` cases are golden: tests/kql/externaldata.slt.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::array::TimestampNanosecondArray;
use arrow::array::{ArrayRef, Float32Array, Int32Array, RecordBatch, StringArray};
use arrow::datatypes::{DataType, Field, Schema, TimeUnit};
use iishunt::render::csv::{write_csv, CsvOptions};
use iishunt::{Engine, QueryOptions};
use parquet::arrow::ArrowWriter;

use crate::cli::{iishunt, logs, text};

/// Two rows: `ip` (string), `hits` (int32, one null), `ratio` (float32),
/// `seen` (nanosecond UTC timestamps) and `note` (strings, one numeric).
fn write_parquet(path: &Path) {
    let seen = TimestampNanosecondArray::from(vec![
        1_772_964_000_000_000_000, // 2026-03-08T10:00:00Z
        1_772_969_400_000_000_000, // 2026-03-08T11:30:00Z
    ])
    .with_timezone("UTC");
    let schema = Arc::new(Schema::new(vec![
        Field::new("ip", DataType::Utf8, false),
        Field::new("hits", DataType::Int32, true),
        Field::new("ratio", DataType::Float32, false),
        Field::new(
            "seen",
            DataType::Timestamp(TimeUnit::Nanosecond, Some("UTC".into())),
            false,
        ),
        Field::new("note", DataType::Utf8, false),
    ]));
    let columns: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from(vec!["203.0.113.5", "192.0.2.99"])),
        Arc::new(Int32Array::from(vec![Some(27), None])),
        Arc::new(Float32Array::from(vec![0.5, 1.25])),
        Arc::new(seen),
        Arc::new(StringArray::from(vec!["12", "x"])),
    ];
    let batch = RecordBatch::try_new(schema.clone(), columns).unwrap();
    let mut writer =
        ArrowWriter::try_new(std::fs::File::create(path).unwrap(), schema, None).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
}

fn csv_of(engine: &Engine, query: &str) -> String {
    let result = engine
        .query(query, &QueryOptions::default())
        .unwrap_or_else(|e| panic!("{query}: {e}"));
    let mut out = Vec::new();
    write_csv(
        &result,
        CsvOptions {
            neutralise_formulas: false,
        },
        &mut out,
    )
    .unwrap();
    String::from_utf8(out).unwrap().replace("\r\n", "\n")
}

#[test]
fn externaldata_reads_parquet_columns_by_name_cast_to_the_declared_types() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("intel.parquet");
    write_parquet(&file);
    let engine = Engine::open(&[logs()]).unwrap();
    // Declared out of the file's order; `note` ("12", "x") as long: 12 and
    // null; `absent` is in no column of the file: null.
    let query = format!(
        "externaldata (seen:datetime, ip:string, hits:long, ratio:real, note:long, absent:string) [@\"{}\"]",
        file.display()
    );
    assert_eq!(
        csv_of(&engine, &query),
        "seen,ip,hits,ratio,note,absent\n\
         2026-03-08T10:00:00Z,203.0.113.5,27,0.5,12,\n\
         2026-03-08T11:30:00Z,192.0.2.99,,1.25,,\n"
    );
    // No extension: `format="parquet"` says what the file is.
    let bare = dir.path().join("intel");
    std::fs::copy(&file, &bare).unwrap();
    let query = format!(
        "externaldata (ip:string, hits:int) [@\"{}\"] with (format=\"parquet\") | where isnotnull(hits)",
        bare.display()
    );
    assert_eq!(csv_of(&engine, &query), "ip,hits\n203.0.113.5,27\n");
    // Read as CSV (the default without an extension) it is not a table.
    let query = format!("externaldata (ip:string) [@\"{}\"]", bare.display());
    let err = engine
        .query(&query, &QueryOptions::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains(&bare.display().to_string()), "{err}");
}

#[test]
fn a_broken_parquet_file_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("broken.parquet");
    std::fs::write(&file, "not parquet at all").unwrap();
    let engine = Engine::open(&[logs()]).unwrap();
    let query = format!("externaldata (ip:string) [@\"{}\"]", file.display());
    let err = engine
        .query(&query, &QueryOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("broken.parquet: not a Parquet file we can read"),
        "{err}"
    );
}

fn query(args: &[&str]) -> std::process::Output {
    iishunt()
        .arg("query")
        .arg("--data")
        .arg(logs())
        .arg("--format")
        .arg("csv")
        .args(args)
        .output()
        .expect("run iishunt")
}

fn stdout_ok(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\nstderr:\n{}",
        out.status,
        text(&out.stderr)
    );
    text(&out.stdout).replace("\r\n", "\n")
}

fn table_arg(name: &str, file: &Path) -> String {
    format!("{name}={}", file.display())
}

fn write(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, body).unwrap();
    path
}

#[test]
fn table_registers_csv_tsv_json_and_parquet_files() {
    let dir = tempfile::tempdir().unwrap();
    let csv = write(
        dir.path(),
        "list.csv",
        "ip,label\n203.0.113.5,spray\n192.0.2.99,probe\n10.9.9.9,unseen\n",
    );
    let tsv = write(
        dir.path(),
        "notes.tsv",
        "ip\tnote\n203.0.113.5\tblocked, then unblocked\n",
    );
    let json = write(
        dir.path(),
        "scores.json",
        "{\"ip\":\"203.0.113.5\",\"score\":1}\n{\"ip\":\"192.0.2.99\",\"score\":2.5}\n",
    );
    let parquet = dir.path().join("intel.parquet");
    write_parquet(&parquet);
    // The hunts fixture log has 25 rows from 203.0.113.5 and 2 from 192.0.2.99.
    let out = query(&[
        "--table",
        &table_arg("watchlist", &csv),
        "W3CIISLog | summarize n = count() by cIP \
         | join kind=inner watchlist on $left.cIP == $right.ip \
         | project ip, label, n | order by n desc",
    ]);
    assert_eq!(
        stdout_ok(&out),
        "ip,label,n\n203.0.113.5,spray,25\n192.0.2.99,probe,2\n"
    );
    let out = query(&["--table", &table_arg("notes", &tsv), "notes | project note"]);
    assert_eq!(stdout_ok(&out), "note\n\"blocked, then unblocked\"\n");
    // JSON lines: 1 and 2.5 make a real column.
    let out = query(&[
        "--table",
        &table_arg("scores", &json),
        "scores | summarize total = sum(score), kinds = strcat_array(make_set(gettype(score)), ',')",
    ]);
    assert_eq!(stdout_ok(&out), "total,kinds\n3.5,real\n");
    // Parquet keeps its schema, read as the engine's types.
    let out = query(&[
        "--table",
        &table_arg("intel", &parquet),
        "intel | getschema | project ColumnName, ColumnType",
    ]);
    assert_eq!(
        stdout_ok(&out),
        "ColumnName,ColumnType\nip,string\nhits,int\nratio,real\nseen,datetime\nnote,string\n"
    );
    let out = query(&[
        "--table",
        &table_arg("intel", &parquet),
        "intel | where seen > datetime(2026-03-08 11:00) | project ip, ratio",
    ]);
    assert_eq!(stdout_ok(&out), "ip,ratio\n192.0.2.99,1.25\n");
}

#[test]
fn table_works_with_explain() {
    let dir = tempfile::tempdir().unwrap();
    let csv = write(dir.path(), "list.csv", "ip\n203.0.113.5\n");
    let out = iishunt()
        .arg("explain")
        .arg("--data")
        .arg(logs())
        .arg("--table")
        .arg(table_arg("watchlist", &csv))
        .arg("watchlist | take 1")
        .output()
        .unwrap();
    let plan = stdout_ok(&out);
    assert!(plan.contains("Scan: watchlist columns=[ip]"), "{plan}");
}

fn stderr_err(out: &std::process::Output) -> String {
    assert_eq!(out.status.code(), Some(1), "stdout:\n{}", text(&out.stdout));
    text(&out.stderr)
}

#[test]
fn table_errors_name_the_file_and_the_clash() {
    let dir = tempfile::tempdir().unwrap();
    let csv = write(dir.path(), "list.csv", "ip\n203.0.113.5\n");
    let missing = dir.path().join("missing.csv");
    let err = stderr_err(&query(&["--table", &table_arg("t", &missing), "t"]));
    assert!(err.contains("missing.csv: no such file"), "{err}");
    let err = stderr_err(&query(&["--table", &table_arg("t", dir.path()), "t"]));
    assert!(err.contains(": not a regular file"), "{err}");
    let err = stderr_err(&query(&[
        "--table",
        &table_arg("W3CIISLog", &csv),
        "W3CIISLog | count",
    ]));
    assert!(
        err.contains("`W3CIISLog` is already the log table `W3CIISLog`; choose another name"),
        "{err}"
    );
    let err = stderr_err(&query(&[
        "--table",
        &table_arg("list", &csv),
        "--table",
        &table_arg("list", &csv),
        "list",
    ]));
    assert!(
        err.contains("`list` is already the lookup table `list`"),
        "{err}"
    );
    let err = stderr_err(&query(&[
        "--table",
        &table_arg("bad-name", &csv),
        "W3CIISLog",
    ]));
    assert!(err.contains("`bad-name` is not a table name"), "{err}");
    // clap refuses a value without `=` (exit 2, its usage error).
    let out = query(&["--table", "list.csv", "W3CIISLog"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("is not NAME=FILE"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn externaldata_urls_and_missing_files_are_refused_by_name() {
    let err = stderr_err(&query(&[
        "externaldata (ip:string) [@\"https://example.com/intel.csv\"] | count",
    ]));
    assert!(
        err.contains("`https://` is a URL: iishunt never reads the network"),
        "{err}"
    );
    let err = stderr_err(&query(&[
        "externaldata (ip:string) [@\"no/such/intel.csv\"]",
    ]));
    assert!(err.contains("no/such/intel.csv: no such file"), "{err}");
    assert!(err.contains("this file cannot be read"), "{err}");
}

#[test]
fn run_hunts_see_table_files() {
    let dir = tempfile::tempdir().unwrap();
    let csv = write(dir.path(), "list.csv", "ip,label\n203.0.113.5,spray\n");
    let hunt = write(
        dir.path(),
        "watchlisted.kql",
        "W3CIISLog | join kind=inner watchlist on $left.cIP == $right.ip | summarize n = count() by label\n",
    );
    let out_dir = dir.path().join("out");
    let out = iishunt()
        .arg("run")
        .arg(&hunt)
        .arg("--data")
        .arg(logs())
        .arg("--table")
        .arg(table_arg("watchlist", &csv))
        .arg("--format")
        .arg("csv")
        .arg("--out")
        .arg(&out_dir)
        .output()
        .unwrap();
    stdout_ok(&out);
    let result = std::fs::read_to_string(out_dir.join("watchlisted.csv")).unwrap();
    assert_eq!(result.replace("\r\n", "\n"), "label,n\nspray,25\n");
}

#[test]
fn externaldata_rows_count_against_the_memory_limit() {
    let engine = Engine::open(&[logs()]).unwrap();
    let query =
        "externaldata (ip:string, label:string) [@\"tests/fixtures/externaldata/watchlist.csv\"]";
    let options = QueryOptions {
        memory_limit: Some(100),
        ..Default::default()
    };
    let err = engine.query(query, &options).unwrap_err().to_string();
    assert!(
        err.contains("watchlist.csv: the query went over --memory-limit 100 B"),
        "{err}"
    );
    assert!(err.contains("`externaldata`"), "{err}");
    let options = QueryOptions {
        memory_limit: Some(1 << 20),
        ..Default::default()
    };
    assert_eq!(engine.query(query, &options).unwrap().row_count(), 3);
}
