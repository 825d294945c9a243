//! `iishunt hunt` and its report: one self-contained page (no script, no
//! external resource) that names the planted attackers, shows
//! attacker-controlled text as text, and the Markdown and JSON forms;
//! `run --list` shows the library's metadata.

use std::path::Path;

use crate::cli::{iishunt, logs, text};
use crate::demo::{json, planted};

fn attacker(name: &str) -> String {
    let truth = json(&planted().join("logs").join("truth.json"));
    truth["attacks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == name)
        .and_then(|a| a["ip"].as_str())
        .unwrap_or_else(|| panic!("no attack {name}"))
        .to_string()
}

fn html() -> String {
    std::fs::read_to_string(planted().join("report.html")).unwrap()
}

#[test]
fn script_in_user_agent_is_text() {
    let page = html();
    // The injection attacker sent `<script>alert('iishunt-report-xss')</script>` as its user agent.
    assert!(
        !page.contains("<script>alert('iishunt-report-xss')"),
        "raw script in the report"
    );
    assert!(
        page.contains("&lt;script&gt;alert(&#39;iishunt-report-xss&#39;)&lt;/script&gt;"),
        "the user agent should be shown, escaped"
    );
    assert!(
        !page.to_ascii_lowercase().contains("<script"),
        "the report carries no script at all"
    );
}

#[test]
fn the_report_is_self_contained_and_names_the_attackers() {
    let page = html();
    let lower = page.to_ascii_lowercase();
    for external in ["src=", "<link", "@import", "url(", "<iframe", "<img"] {
        assert!(
            !lower.contains(external),
            "external resource `{external}` in the report"
        );
    }
    assert!(page.contains("<svg"), "charts are inline SVG");
    for name in [
        "dir_scanner",
        "content_discovery",
        "brute_force",
        "port_scan",
    ] {
        let ip = attacker(name);
        assert!(page.contains(&ip), "{name} ({ip}) missing from the report");
    }
    // The brute-forcer's timeline shows when it got in, and as whom.
    assert!(page.contains("When it succeeded"));
    assert!(page.contains("CONTOSO\\svc_backup"));
    // Each finding carries its query, to re-run in the REPL.
    assert!(page.contains("let failedThreshold = 20;"));
}

#[test]
fn hunt_writes_markdown_and_json_and_sets_the_exit_code() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hunt-formats");
    std::fs::create_dir_all(&dir).unwrap();
    let md = dir.join("report.md");
    let out = iishunt()
        .args(["hunt", "--exit-code", "3", "--data"])
        .arg(planted().join("dataset"))
        .arg("--report")
        .arg(&md)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("iis_failed_attempts_same_ip"), "{stdout}");
    let doc = std::fs::read_to_string(&md).unwrap();
    assert!(doc.starts_with("# iishunt hunt report"));
    assert!(doc.contains(&attacker("brute_force")));
    assert!(doc.contains("```kql"));
    // No --intel here: the threat-intel hunt is skipped, not failed.
    let js = dir.join("report.json");
    let out = iishunt()
        .args(["hunt", "--data"])
        .arg(planted().join("dataset"))
        .arg("--report")
        .arg(&js)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = json(&js);
    let intel = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["hunt"] == "threat_intel_match")
        .unwrap();
    assert_eq!(intel["outcome"]["status"], "skipped");
    assert_eq!(intel["outcome"]["reason"], "needs table threat_intel");
}

#[test]
fn hunt_over_raw_fixture_logs_names_the_brute_forcer() {
    let out = iishunt()
        .args(["hunt", "--data"])
        .arg(logs())
        .output()
        .unwrap();
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));
    assert!(stdout.contains("203.0.113.5"), "{stdout}");
    assert!(stdout.contains("0 failed"), "{stdout}");
}

#[test]
fn run_list_shows_each_hunt_with_its_metadata() {
    let queries = Path::new(env!("CARGO_MANIFEST_DIR")).join("queries");
    let out = iishunt()
        .args(["run", "--list"])
        .arg(&queries)
        .output()
        .unwrap();
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(stdout.contains("recon_404_to_success"));
    assert!(stdout.contains("T1595.003"));
    assert!(stdout.contains("requires: threat_intel"));
    let count = std::fs::read_dir(queries.join("iis")).unwrap().count()
        + std::fs::read_dir(queries.join("sentinel")).unwrap().count()
        + std::fs::read_dir(queries.join("elastic")).unwrap().count();
    assert!(stdout.contains(&format!("{count} hunts")), "{stdout}");
}

/// The report in a real browser: headless Chromium renders the page, its
/// DOM holds the charts, and a screenshot is written beside the demo
/// (`target/tmp/demo-planted/report.png`) to look at. Ignored by default:
/// it needs `chromium` (`apt-get install chromium`).
#[test]
#[ignore]
fn the_report_renders_in_chromium() {
    let page = planted().join("report.html");
    let url = format!("file://{}", page.display());
    let browser = |args: &[&str]| {
        std::process::Command::new("chromium")
            .args(["--headless", "--no-sandbox", "--disable-gpu"])
            .args(args)
            .arg(&url)
            .output()
            .expect("chromium is installed")
    };
    let dom = text(&browser(&["--dump-dom"]).stdout);
    assert!(
        dom.contains("Suspicious clients"),
        "{}",
        &dom[..dom.len().min(500)]
    );
    assert!(dom.matches("<svg").count() >= 3, "charts rendered");
    assert!(
        !dom.contains("<script>alert("),
        "no script element in the rendered DOM"
    );
    let png = planted().join("report.png");
    let shot = format!("--screenshot={}", png.display());
    browser(&[&shot, "--window-size=1280,3000"]);
    let bytes = std::fs::read(&png).expect("a screenshot");
    assert!(
        bytes.starts_with(b"\x89PNG") && bytes.len() > 50_000,
        "{} bytes",
        bytes.len()
    );
}
