//! `iishunt demo` end to end: a generated week (fixed seed, small) is
//! ingested and hunted; every planted attack must be named by each hunt the
//! generator's truth file says is meant for it, and a clean week must fire
//! nothing above severity Low. Expected IPs come from `truth.json` — what
//! the generator planted — never from the engine.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;

use crate::cli::{iishunt, text};

/// Runs the demo once per test process into `CARGO_TARGET_TMPDIR/name`.
fn demo(name: &str, extra: &[&str]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    let out = iishunt()
        .args(["demo", "--lines", "20000", "--out"])
        .arg(&dir)
        .args(extra)
        .output()
        .expect("run iishunt demo");
    assert!(
        out.status.success(),
        "demo failed:\n{}\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    dir
}

/// The planted demo, shared by the tests that read it.
pub(crate) fn planted() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| demo("demo-planted", &["--seed", "11"]))
}

pub(crate) fn json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `(hunt, severity, clients, fired)` of every finding in findings.json.
fn findings(dir: &Path) -> Vec<(String, String, Vec<String>, bool)> {
    let report = json(&dir.join("findings.json"));
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let clients = f["outcome"]["clients"]
                .as_array()
                .map(|c| {
                    c.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            (
                f["hunt"].as_str().unwrap_or_default().to_string(),
                f["severity"].as_str().unwrap_or_default().to_string(),
                clients,
                f["outcome"]["status"] == "fired",
            )
        })
        .collect()
}

#[test]
fn every_planted_attack_is_found_by_the_hunts_meant_for_it() {
    let dir = planted();
    let truth = json(&dir.join("logs").join("truth.json"));
    let found = findings(dir);
    let attacks = truth["attacks"].as_array().expect("attacks");
    assert_eq!(attacks.len(), 9);
    let mut checked = 0;
    for attack in attacks {
        let ip = attack["ip"].as_str().unwrap();
        for hunt in attack["hunts"].as_array().unwrap() {
            let hunt = hunt.as_str().unwrap();
            let finding = found
                .iter()
                .find(|(name, ..)| name == hunt)
                .unwrap_or_else(|| panic!("hunt {hunt} did not run"));
            assert!(
                finding.2.iter().any(|c| c == ip),
                "{hunt} should name {ip} ({}), named {:?}",
                attack["name"],
                finding.2
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 19, "the truth lists 19 (attack, hunt) pairs");
}

#[test]
fn the_threat_intel_hunt_names_every_listed_ip_that_visited() {
    let dir = planted();
    let intel = std::fs::read_to_string(dir.join("intel.csv")).unwrap();
    let listed: Vec<&str> = intel
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .collect();
    let truth = json(&dir.join("logs").join("truth.json"));
    let attackers: Vec<&str> = truth["attacks"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["ip"].as_str())
        .collect();
    let visited: Vec<&str> = listed
        .iter()
        .copied()
        .filter(|ip| attackers.contains(ip))
        .collect();
    assert_eq!(visited.len(), 2, "{listed:?}");
    let found = findings(dir);
    let (_, severity, clients, _) = found
        .iter()
        .find(|(h, ..)| h == "threat_intel_match")
        .unwrap();
    assert_eq!(severity, "High");
    let mut named = clients.clone();
    named.sort();
    let mut expected: Vec<String> = visited.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(
        named, expected,
        "listed addresses that never visited are not named"
    );
}

#[test]
fn the_crawler_burst_is_absorbed_by_the_allow_list() {
    let dir = planted();
    let truth = json(&dir.join("logs").join("truth.json"));
    let crawler = truth["notables"][0]["ip"].as_str().unwrap();
    assert!(crawler.starts_with("66.249."), "{crawler}");
    for (hunt, severity, clients, _) in findings(dir) {
        if severity != "Low" && severity != "Informational" {
            assert!(
                !clients.iter().any(|c| c == crawler),
                "{hunt} names the verified crawler {crawler}"
            );
        }
    }
}

#[test]
fn the_dataset_holds_every_generated_line_and_rejects_the_damaged_ones() {
    let dir = planted();
    let truth = json(&dir.join("logs").join("truth.json"));
    let count = |table: &str| {
        let out = iishunt()
            .args(["query", "--format", "csv", "--data"])
            .arg(dir.join("dataset"))
            .arg(format!("{table} | count"))
            .output()
            .unwrap();
        text(&out.stdout)
            .lines()
            .nth(1)
            .unwrap_or_default()
            .trim()
            .parse::<u64>()
            .unwrap()
    };
    assert_eq!(count("W3CIISLog"), truth["access_lines"].as_u64().unwrap());
    assert_eq!(
        count("HttpErrorLog"),
        truth["error_lines"].as_u64().unwrap()
    );
    let rejects = std::fs::read_dir(dir.join("dataset").join("_rejects"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert!(rejects > 0, "the 3 damaged lines are kept in _rejects/");
    assert_eq!(truth["malformed_lines"].as_u64(), Some(3));
}

#[test]
fn a_clean_week_fires_nothing_above_low() {
    let dir = demo("demo-clean", &["--clean", "--seed", "12"]);
    let truth = json(&dir.join("logs").join("truth.json"));
    assert_eq!(truth["attacks"].as_array().map(Vec::len), Some(0));
    let loud: Vec<String> = findings(&dir)
        .into_iter()
        .filter(|(_, severity, _, fired)| {
            *fired && !matches!(severity.as_str(), "Low" | "Informational")
        })
        .map(|(hunt, severity, clients, _)| format!("{hunt} [{severity}] {clients:?}"))
        .collect();
    assert!(loud.is_empty(), "clean traffic fired: {loud:?}");
}

#[test]
fn a_folder_the_demo_did_not_write_is_left_alone() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("demo-foreign");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    let out = iishunt()
        .args(["demo", "--lines", "1000", "--out"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("notes.txt"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "mine"
    );
}
