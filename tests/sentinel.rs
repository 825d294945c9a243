//! The public Sentinel / Azure Monitor rules over `W3CIISLog`, run unchanged.
//!
//! `tests/sentinel/*.kql` holds the query blocks of the Azure-Sentinel
//! repository's W3CIISLog hunting queries and analytic rules, verbatim (each
//! file names its source and rule id). Every one runs with `--now latest`
//! over the fixture in `tests/fixtures/sentinel/`, and must end as the table
//! below says: it runs (with a row count worked out by hand where one is
//! given), or it fails with exactly the recorded reason. A rule that starts
//! passing or failing differently fails this test, so the table in
//! `docs/kql.md` ("Public Sentinel queries") stays true.
//!
//! `IISHUNT_SURVEY=1 cargo test --test tests sentinel -- --nocapture` prints
//! each rule's outcome without asserting, to update the table by hand.

use std::path::{Path, PathBuf};

use iishunt::{Engine, NowSetting, QueryOptions};

/// How a rule must end.
enum Outcome {
    /// Parses, binds and runs; `Some(n)`: returns exactly n rows (worked out by
    /// hand from the fixture, see the comment beside each).
    Runs(Option<usize>),
    /// Needs a table iishunt does not have: the error code and message.
    NeedsTable(&'static str),
    /// Uses a feature iishunt does not support: the error code and message.
    Unsupported(&'static str, &'static str),
}

use Outcome::*;

/// Every rule in `tests/sentinel/`, by file stem.
const EXPECTED: &[(&str, Outcome)] = &[
    ("detection_anomalous_user_agent", Runs(Some(0))),
    // 25 failed logons (401, user admin) from 203.0.113.66 within 11:00: one
    // 1-minute bin at or over the threshold of 20.
    ("detection_high_failed_logons_by_client_ip", Runs(Some(1))),
    // The same 25 in one 10-minute bin: under the threshold of 100.
    ("detection_high_failed_logons_by_user", Runs(Some(0))),
    ("detection_high_port_count_by_client_ip", Runs(Some(0))),
    // 203.0.113.50's 302 to /autodiscover/autodiscover.json?a=1: a query
    // without "Protocol".
    ("detection_proxyshell_pwn2own", Runs(Some(1))),
    // Stems containing ".as": LogoImageHandler.ashx, HomePage.aspx,
    // shell.aspx (twice, same client): three stems, one client each.
    ("detection_rare_client_file_access", Runs(Some(3))),
    // No site is named "Exchange Back End" (IIS logs W3SVC1).
    ("detection_silk_typhoon_exchange_request", Runs(Some(0))),
    ("detection_single_client_rare_file_access", Runs(Some(0))),
    // The GET to /Orion/LogoImageHandler.ashx with codes, clazz, method, args.
    ("detection_supernova_webshell", Runs(Some(1))),
    ("detection_suspect_user_agent", Runs(Some(0))),
    ("hunting_client_ip_many_user_agents", Runs(Some(0))),
    // 203.0.113.10's /owa/auth/x.js and /ecp/y.js; 10.0.0.5's /owa/auth/z.js
    // is private.
    ("hunting_exchange_proxylogon_uri", Runs(Some(2))),
    // 203.0.113.10 visited 2 stems, both suspicious: 100% > 90%.
    ("hunting_exchange_suspicious_uris_visited", Runs(Some(1))),
    // csUriQuery is "-" (as IIS logs it), never empty.
    ("hunting_mailbox_export_owa", Runs(Some(0))),
    ("hunting_potential_iis_brute_force", Runs(Some(0))),
    // 198.51.100.77's q=%3Cscript…: one "Count of repeated entries" row (the
    // high-count leg needs 50).
    ("hunting_potential_iis_code_inject", Runs(Some(1))),
    // 198.51.100.40's two GETs with cmd=whoami: one group.
    ("hunting_potential_webshell", Runs(Some(1))),
    // 198.51.100.30's POST to /ecp/… with msExchEcpCanary and a SecurityToken cookie.
    ("hunting_proxytoken_exploitation", Runs(Some(1))),
    ("hunting_rare_client_file_access", Runs(Some(0))),
    // Two user agent sizes; innerunique keeps one left row per size.
    ("hunting_rare_user_agent_strings", Runs(Some(2))),
    // The source writes `matches regex \\.[a-zA-Z][a-zA-Z0-9]+$` without quotes:
    // not KQL (Kusto refuses it too; the Solutions copy quotes it and runs).
    (
        "hunting_webshell_activity",
        Unsupported("kql::unexpected", "expected an expression, found `\\`"),
    ),
    (
        "solution_ti_ip_entity_w3ciislog",
        NeedsTable("unknown table `ThreatIntelligenceIndicator`"),
    ),
    (
        "solution_ti_new_ip_entity_w3ciislog",
        NeedsTable("unknown table `ThreatIntelIndicators`"),
    ),
    // {{StartTimeISO}} is a portal placeholder: the window is null, no rows.
    ("solution_webshell_activity", Runs(Some(0))),
    ("solution_webshell_detection", Runs(Some(1))),
    (
        "solution_webshell_malicious_alert_linked_requests",
        NeedsTable("unknown table `SecurityAlert`"),
    ),
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

fn rules() -> Vec<(String, String)> {
    let dir = root().join("sentinel");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "kql"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let stem = p
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let text =
                std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (stem, text)
        })
        .collect()
}

#[test]
fn public_sentinel_rules_run_unchanged() {
    let engine =
        Engine::open(&[root().join("fixtures/sentinel")]).expect("open the sentinel fixture");
    let options = QueryOptions {
        now: NowSetting::Latest,
        ..Default::default()
    };
    let survey = std::env::var_os("IISHUNT_SURVEY").is_some();
    let rules = rules();
    let mut failures = Vec::new();
    let mut passed = 0;
    let mut needs_table = 0;
    for (name, text) in &rules {
        let started = std::time::Instant::now();
        let actual = engine.query(text, &options);
        if survey {
            let took = started.elapsed().as_secs_f64();
            match &actual {
                Ok(r) => println!("{name}: runs, {} rows ({took:.2}s)", r.row_count()),
                Err(e) => println!("{name}: {} {e} ({took:.2}s)", e.code()),
            }
            continue;
        }
        let Some((_, expected)) = EXPECTED.iter().find(|(n, _)| n == name) else {
            failures.push(format!("{name}: not in EXPECTED"));
            continue;
        };
        match (expected, &actual) {
            (Runs(rows), Ok(result)) => {
                passed += 1;
                if let Some(n) = rows {
                    if result.row_count() != *n {
                        failures.push(format!("{name}: {} rows, expected {n}", result.row_count()));
                    }
                }
            }
            (NeedsTable(message), Err(e))
                if e.code() == "plan::unknown_table" && e.to_string() == *message =>
            {
                needs_table += 1;
                let help = e.help().unwrap_or_default();
                if !help.contains("W3CIISLog") || !help.contains("union isfuzzy=true") {
                    failures.push(format!(
                        "{name}: the help should name the tables and isfuzzy: {help}"
                    ));
                }
            }
            (Unsupported(code, message), Err(e))
                if e.code() == *code && e.to_string() == *message => {}
            (_, Ok(result)) => failures.push(format!(
                "{name}: now runs ({} rows): update EXPECTED and docs/kql.md",
                result.row_count()
            )),
            (_, Err(e)) => failures.push(format!("{name}: fails with {} `{e}`", e.code())),
        }
    }
    if survey {
        return;
    }
    for (name, _) in EXPECTED {
        if !rules.iter().any(|(n, _)| n == name) {
            failures.push(format!("{name}: in EXPECTED but not in tests/sentinel/"));
        }
    }
    let runnable = rules.len() - needs_table;
    println!(
        "public Sentinel rules: {} in all; {needs_table} need a table iishunt lacks; {passed} of the other {runnable} run",
        rules.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The bar: 95% of the rules that read only tables iishunt has.
    assert!(
        passed * 100 >= runnable * 95,
        "{passed} of {runnable} is under 95%"
    );
    assert_eq!((rules.len(), needs_table, passed), (26, 3, 22));
}
