//! `iishunt translate`: the SQL emitted for the seed rules, per target, is
//! pinned in `tests/translate/<rule>.<target>.sql` (so CI covers the
//! translator without Python or a SQL engine; `tests/crosscheck/` runs it),
//! and what cannot be translated fails with a message naming it.
//! `IISHUNT_BLESS=1 cargo test --test tests translate` rewrites the files:
//! review every change by hand.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use iishunt::{Engine, NowSetting, QueryOptions, Target};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The fixture logs ingested once into a dataset folder.
fn engine_dataset_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir").keep();
        let out = dir.join("ds");
        iishunt::ingest::ingest(
            &[root().join("tests/fixtures/golden")],
            &iishunt::ingest::IngestOptions::new(&out),
        )
        .expect("ingest fixtures");
        out
    })
}

/// The ingested fixture dataset, opened once.
fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::open(&[engine_dataset_dir().clone()]).expect("open the dataset"))
}

fn options() -> QueryOptions {
    QueryOptions {
        // 2026-03-09T00:00:00Z, as the golden queries.
        now: NowSetting::Fixed(1_773_014_400_000_000),
        ..Default::default()
    }
}

fn translate(text: &str, target: Target) -> Result<String, iishunt::Error> {
    engine()
        .translate(text, &options(), target, Some("/data/iis"))
        .map(|t| t.to_sql())
}

const SEEDS: &[&str] = &[
    "queries/sentinel/iis_failed_attempts_same_ip.kql",
    "queries/sentinel/iis_many_ports_same_ip.kql",
    "queries/elastic/web_server_error_spike.esql",
];

#[test]
fn seed_rules_emit_the_pinned_sql() {
    let bless = std::env::var_os("IISHUNT_BLESS").is_some();
    let mut failures = Vec::new();
    for seed in SEEDS {
        let text = std::fs::read_to_string(root().join(seed)).expect("read the seed rule");
        let stem = Path::new(seed)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("rule");
        for target in Target::ALL {
            let sql = translate(&text, target)
                .unwrap_or_else(|e| panic!("{seed} does not translate to {}: {e}", target.name()));
            let file: PathBuf =
                root().join(format!("tests/translate/{stem}.{}.sql", target.name()));
            if bless {
                std::fs::write(&file, &sql).expect("write the golden SQL");
                continue;
            }
            let expected = std::fs::read_to_string(&file).unwrap_or_default();
            if expected != sql {
                failures.push(format!("{}:\n{sql}", file.display()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "emitted SQL differs from:\n{}",
        failures.join("\n")
    );
}

#[test]
fn the_time_filter_prunes_by_date_partition() {
    let sql = translate(
        "W3CIISLog | where TimeGenerated > ago(1d) | summarize count() by cIP",
        Target::DuckDb,
    )
    .expect("translates");
    assert_eq!(
        sql,
        "SELECT t2.\"cIP\" AS \"cIP\", t2.\"__agg0\" AS \"count_\" FROM (SELECT t1.\"cIP\" AS \"cIP\", count(*) AS \"__agg0\" FROM (SELECT \"TimeGenerated\", \"cIP\" FROM read_parquet('/data/iis/W3CIISLog/**/*.parquet', hive_partitioning = true, union_by_name = true) WHERE (\"TimeGenerated\" > TIMESTAMP '2026-03-08 00:00:00.000000') AND \"date\" >= DATE '2026-03-08') AS t1 GROUP BY 1) AS t2;\n"
    );
}

#[test]
fn without_now_ago_is_the_engines_clock() {
    let sql = engine()
        .translate(
            "W3CIISLog | where TimeGenerated > ago(1h) | count",
            &QueryOptions::default(),
            Target::Spark,
            Some("/data/iis"),
        )
        .expect("translates")
        .to_sql();
    assert!(
        sql.contains("`TimeGenerated` > timestamp_micros(unix_micros(current_timestamp()) - CAST(3600000000 AS BIGINT))"),
        "{sql}"
    );
    assert!(
        sql.contains("`date` >= CAST(timestamp_micros(unix_micros(current_timestamp()) - CAST(3600000000 AS BIGINT)) AS DATE)"),
        "{sql}"
    );
    assert!(sql.starts_with("CREATE OR REPLACE TEMPORARY VIEW `W3CIISLog` USING parquet OPTIONS (path '/data/iis/W3CIISLog', mergeSchema 'true');\n"), "{sql}");
}

#[test]
fn what_cannot_be_translated_is_named() {
    let cases: &[(&str, Target, &str)] = &[
        (
            "print d = dynamic({\"k\": 1})",
            Target::DuckDb,
            "the constant dynamic({\"k\":1}) cannot be translated to DuckDB SQL: only arrays of numbers or of strings become SQL arrays",
        ),
        (
            "W3CIISLog | summarize percentile(TimeTaken, 95)",
            Target::Trino,
            "the aggregate `percentile` cannot be translated to Trino SQL: Trino only estimates percentiles (approx_percentile); iishunt's are exact",
        ),
        (
            "W3CIISLog | extend r = rand()",
            Target::Spark,
            "the function `rand` cannot be translated to Spark SQL: it has no translation yet",
        ),

        (
            "W3CIISLog | count; W3CIISLog | facet by scStatus",
            Target::Spark,
            "this query makes 2 result tables (a batch of statements, `fork` or `facet`) and translate writes one SQL query",
        ),
        (
            "W3CIISLog | extend s = tostring(TimeGenerated)",
            Target::DuckDb,
            "the function `tostring` cannot be translated to DuckDB SQL: datetime values are printed differently by each engine",
        ),
    ];
    for (query, target, expected) in cases {
        match translate(query, *target) {
            Ok(sql) => panic!("{query} translated to {sql}"),
            Err(e) => assert_eq!(e.to_string(), *expected, "{query}"),
        }
    }
}

/// `in (T)` and `toscalar(T)` stay subqueries: the SQL computes them where it runs.
#[test]
fn subqueries_stay_subqueries() {
    let sql = translate(
        "W3CIISLog | where cIP in (W3CIISLog | where scStatus == \"401\" | distinct cIP) | count",
        Target::DuckDb,
    )
    .expect("translates");
    assert_eq!(
        sql,
        "SELECT count(*) AS \"Count\" FROM (SELECT \"cIP\" FROM read_parquet('/data/iis/W3CIISLog/**/*.parquet', hive_partitioning = true, union_by_name = true) WHERE (coalesce(\"cIP\", '') IN (SELECT t2.\"cIP\" FROM (SELECT t1.\"cIP\" AS \"cIP\" FROM (SELECT \"cIP\", \"scStatus\" FROM read_parquet('/data/iis/W3CIISLog/**/*.parquet', hive_partitioning = true, union_by_name = true) WHERE (coalesce(\"scStatus\", '') = '401')) AS t1 GROUP BY 1) AS t2))) AS t3;\n"
    );
    let sql = translate(
        "let Typical = toscalar(W3CIISLog | summarize count()); W3CIISLog | summarize n = count() by cIP | where n > 2 * Typical",
        Target::Trino,
    )
    .expect("translates");
    assert!(
        sql.contains("(2 * (SELECT t3.\"count_\" FROM (SELECT t2.\"__agg0\" AS \"count_\" FROM (SELECT count(*) AS \"__agg0\" FROM (SELECT 1 AS __one FROM hive.iishunt.w3ciislog) AS t1) AS t2) AS t3 LIMIT 1))"),
        "{sql}"
    );
}

#[test]
fn trino_ddl_declares_the_tables() {
    let ddl = engine().trino_ddl(Some("s3://bucket/iis")).expect("ddl");
    assert!(
        ddl.starts_with(
            "CREATE SCHEMA IF NOT EXISTS hive.iishunt\n  WITH (location = 's3://bucket/iis');"
        ),
        "{ddl}"
    );
    assert!(ddl.contains("CREATE TABLE IF NOT EXISTS hive.iishunt.w3ciislog (\n  \"TimeGenerated\" TIMESTAMP(6),\n"), "{ddl}");
    assert!(
        ddl.contains(
            "  external_location = 's3://bucket/iis/W3CIISLog',\n  partitioned_by = ARRAY['date']"
        ),
        "{ddl}"
    );
    assert!(
        ddl.contains(
            "CALL hive.system.sync_partition_metadata('iishunt', 'httperrorlog', 'FULL');"
        ),
        "{ddl}"
    );
}

/// The binary end to end: SQL on stdout and exit 0; an error rendered with
/// exit 1; raw logs refused with the way to a dataset.
#[test]
fn the_command_prints_sql_and_explains_refusals() {
    let dataset = engine_dataset_dir();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_iishunt"))
            .env("NO_COLOR", "1")
            .arg("translate")
            .args(args)
            .output()
            .expect("run iishunt")
    };
    let data = dataset.to_str().expect("utf-8 path");
    let out = run(&[
        "--to",
        "spark",
        "--data",
        data,
        "--sql-root",
        "/d",
        "W3CIISLog | count",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "CREATE OR REPLACE TEMPORARY VIEW `W3CIISLog` USING parquet OPTIONS (path '/d/W3CIISLog', mergeSchema 'true');\nSELECT count(*) AS `Count` FROM (SELECT 1 AS __one FROM `W3CIISLog`) AS t1;\n"
    );
    let out = run(&[
        "--to",
        "trino",
        "--data",
        data,
        "W3CIISLog | extend r = rand()",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "the function `rand` cannot be translated to Trino SQL: it has no translation yet"
        ),
        "{stderr}"
    );
    let raw = root().join("tests/fixtures/golden");
    let out = run(&[
        "--to",
        "duckdb",
        "--data",
        raw.to_str().expect("utf-8"),
        "W3CIISLog | count",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(
            "translate reads a Parquet dataset: run `iishunt ingest LOGS --out DIR` first"
        ),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&["--ddl", "duckdb", "--data", data]);
    assert_eq!(out.status.code(), Some(1));
}

/// ES|QL's null-on-overflow arithmetic and three-valued comparisons and IN
/// are SQL's own semantics, spelled out where Kusto's would differ.
#[test]
fn esql_null_semantics_translate() {
    let sql = translate(
        "FROM logs-iis.access-* | WHERE http.request.method != \"GET\" AND http.response.status_code IN (401, 403) | EVAL b = http.response.body.bytes + 1 | KEEP b | LIMIT 3",
        Target::DuckDb,
    )
    .expect("translates");
    assert!(sql.contains("IS NULL THEN NULL ELSE"), "{sql}");
    assert!(sql.contains(" + 1"), "{sql}");
}
