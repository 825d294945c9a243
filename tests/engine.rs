//! Engine properties: the same answer whatever the thread count and whether
//! a `summarize … | where` runs in one pass or two, and an ES|QL query
//! planned exactly like its KQL twin.

use std::fmt::Write as _;
use std::path::Path;

use iishunt::render::csv::{write_csv, CsvOptions};
use iishunt::{Engine, NowSetting, QueryOptions};

fn options() -> QueryOptions {
    QueryOptions {
        now: NowSetting::Fixed(1_773_014_400_000_000),
        ..Default::default()
    }
}

fn csv(engine: &Engine, query: &str) -> String {
    csv_with(engine, query, &options())
}

fn csv_with(engine: &Engine, query: &str, options: &QueryOptions) -> String {
    let result = engine
        .query(query, options)
        .unwrap_or_else(|e| panic!("{query}: {e}"));
    let mut out = Vec::new();
    write_csv(
        &result,
        CsvOptions {
            neutralise_formulas: false,
        },
        &mut out,
    )
    .expect("csv to memory");
    String::from_utf8_lossy(&out).into_owned()
}

/// Deterministic logs: four servers, two days, a few thousand lines each, with
/// a brute force, a port scan and a 404 scan planted, so grouping and the
/// two-pass summarize see many partitions and many groups.
fn write_logs(root: &Path) {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    for server in ["WEB01", "WEB02", "WEB03", "WEB04"] {
        let dir = root.join(server);
        std::fs::create_dir_all(&dir).expect("mkdir");
        for day in [8, 9] {
            let mut text = String::from(
                "#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n#Fields: date time s-sitename s-computername s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status sc-bytes time-taken\n",
            );
            for i in 0..3000u64 {
                let t = i * 28 + next(20);
                let (h, m, s) = (t / 3600 % 24, t / 60 % 60, t % 60);
                let (ip, port, status, user) = match next(100) {
                    0..=4 => ("203.0.113.9".to_string(), 443, 401, "admin"),
                    5..=7 => ("192.0.2.77".to_string(), 1000 + next(500), 400, "-"),
                    8..=11 => ("198.51.100.3".to_string(), 443, 404, "-"),
                    _ => (
                        format!("10.0.{}.{}", next(4), next(60)),
                        [80, 443][next(2) as usize],
                        [200, 200, 304, 500][next(4) as usize],
                        "-",
                    ),
                };
                let stem =
                    ["/", "/login", "/api/v1/items", "/.env", "/wp-login.php"][next(5) as usize];
                let _ = writeln!(
                    text,
                    "2026-03-{day:02} {h:02}:{m:02}:{s:02} W3SVC{} {server} 10.0.1.50 GET {stem} - {port} {user} {ip} Mozilla/5.0 {status} {} {} {} {}",
                    1 + next(2),
                    next(3),
                    [0, 2, 5, 1326][next(4) as usize],
                    200 + next(5000),
                    next(300)
                );
            }
            std::fs::write(dir.join(format!("u_ex2603{day:02}.log")), text).expect("write log");
        }
    }
}

const QUERIES: &[&str] = &[
    "W3CIISLog | summarize count(), sum(scBytes), dcount(cIP) by scStatus | order by scStatus asc",
    "W3CIISLog | summarize n = count(), ports = make_set(sPort), users = make_set(csUserName) by bin(TimeGenerated, 10m), cIP, Computer | where n > 3 | order by n desc, cIP asc",
    "W3CIISLog | summarize PortCount = dcount(sPort), Ports = make_set(sPort) by bin(TimeGenerated, 1h), cIP, Computer, sIP | where array_length(Ports) >= 5 | order by PortCount desc",
    "W3CIISLog | where scStatus in (\"401\", \"403\") | summarize make_set(csUriStem), count() by bin(TimeGenerated, 1m), cIP | where count_ >= 2 | order by count_ desc",
    "W3CIISLog | top 7 by TimeTaken desc | project TimeGenerated, cIP, TimeTaken",
    "W3CIISLog | distinct Computer, sSiteName",
    "W3CIISLog | summarize arg_max(TimeGenerated, csUriStem), percentile(TimeTaken, 90), avg(scBytes) by Computer",
];

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let dir = tempfile::tempdir().expect("temp dir");
    let logs = dir.path().join("logs");
    write_logs(&logs);
    let ds = dir.path().join("ds");
    iishunt::ingest::ingest(
        std::slice::from_ref(&logs),
        &iishunt::ingest::IngestOptions::new(&ds),
    )
    .expect("ingest");
    for data in [&ds, &logs] {
        let engine = Engine::open(&[data.to_path_buf()]).expect("open");
        for q in QUERIES {
            let one = rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .build()
                .expect("pool")
                .install(|| csv(&engine, q));
            let three = rayon::ThreadPoolBuilder::new()
                .num_threads(3)
                .build()
                .expect("pool")
                .install(|| csv(&engine, q));
            assert_eq!(
                one,
                three,
                "{q} over {} differs between 1 and 3 threads",
                data.display()
            );
            let two_pass = QueryOptions {
                one_pass_bytes: Some(0),
                ..options()
            };
            assert_eq!(
                one,
                csv_with(&engine, q, &two_pass),
                "{q}: one pass and two passes differ"
            );
            assert!(
                one.lines().count() > 1,
                "{q} returned no rows: the test data should make it fire"
            );
        }
    }
}

/// The physical plan section of `explain`.
fn physical(engine: &Engine, query: &str) -> String {
    let text = engine
        .explain(query, &options())
        .unwrap_or_else(|e| panic!("{query}: {e}"));
    text.split("Physical plan:")
        .nth(1)
        .unwrap_or_default()
        .to_string()
}

#[test]
fn an_esql_query_plans_like_its_kql_twin() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/golden");
    let engine = Engine::open(&[fixtures]).expect("open fixtures");
    let esql = "FROM logs-iis.access-*\n| WHERE http.request.method == \"POST\"\n| STATS n = count() BY user.name\n| SORT n DESC\n| LIMIT 5";
    // The ECS view's user.name, written out in KQL over the Sentinel columns.
    let user = iishunt_plan::catalog::ecs::fields(iishunt_plan::catalog::ecs::EcsSource::Access)
        .iter()
        .find(|f| f.name == "user.name")
        .map(|f| f.kql)
        .expect("user.name in the ECS view");
    let method = iishunt_plan::catalog::ecs::fields(iishunt_plan::catalog::ecs::EcsSource::Access)
        .iter()
        .find(|f| f.name == "http.request.method")
        .map(|f| f.kql)
        .expect("http.request.method in the ECS view");
    let kql = format!(
        "W3CIISLog\n| where {method} == \"POST\"\n| project ['user.name'] = {user}\n| summarize n = count() by ['user.name']\n| project n, ['user.name']\n| order by n desc nulls last\n| take 5"
    );
    let a = physical(&engine, esql);
    let b = physical(&engine, &kql);
    assert!(a.contains("ParquetScan") || a.contains("Scan"), "{a}");
    assert_eq!(a, b, "ES|QL:\n{esql}\nKQL:\n{kql}");
    assert_eq!(csv(&engine, esql), csv(&engine, &kql));
}
