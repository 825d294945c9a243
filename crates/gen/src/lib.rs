//! A seeded generator of realistic IIS 10 logs for a small web farm — two
//! load-balanced shop servers and a staff portal — over one week, with
//! attacks planted in it and a truth file saying what was planted. It feeds
//! `iishunt demo` (the first thing a new user runs) and the tests that
//! prove each shipped hunt finds the attack it is meant for while clean
//! traffic fires nothing above severity Low.
//!
//! Modules in the order data flows: `dice` (the seeded random source),
//! `catalog` (servers, pages, user agents, address ranges), `traffic`
//! (ordinary visitors, staff, crawlers, monitors), `attacks` (the planted
//! attacks), `write` (W3C text), `truth` (the record of it all).

pub mod attacks;
pub mod catalog;
pub mod dice;
pub mod event;
pub mod traffic;
pub mod truth;
pub mod write;

use std::path::Path;

use chrono::{NaiveDate, TimeZone, Utc};

pub use attacks::SCRIPT_AGENT;
pub use truth::{Attack, FileTruth, Notable, Truth};

/// What to generate.
#[derive(Clone, Debug)]
pub struct GenOptions {
    /// Access-log lines of ordinary traffic (the planted attacks add a few thousand).
    pub lines: u64,
    pub seed: u64,
    /// The Monday the week starts on.
    pub start: NaiveDate,
    pub days: u32,
    /// Plant the attacks (false: a clean week, for false-positive checks).
    pub attacks: bool,
}

impl Default for GenOptions {
    fn default() -> Self {
        GenOptions {
            lines: 300_000,
            seed: 1,
            start: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or_default(),
            days: 7,
            attacks: true,
        }
    }
}

/// A generation failure: writing the files.
#[derive(Debug, thiserror::Error)]
pub enum GenError {
    #[error("writing logs under {path}: {source}")]
    Write {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("--days must be between 1 and 31, not {0}")]
    Days(u32),
}

/// Writes the logs under `dir` (one folder per server) and `dir/truth.json`;
/// returns the truth.
pub fn generate(dir: &Path, options: &GenOptions) -> Result<Truth, GenError> {
    if !(1..=31).contains(&options.days) {
        return Err(GenError::Days(options.days));
    }
    let write_err = |source| GenError::Write {
        path: dir.display().to_string(),
        source,
    };
    let start = options.start.and_hms_opt(0, 0, 0).unwrap_or_default();
    let week = traffic::Week {
        start_ms: Utc.from_utc_datetime(&start).timestamp_millis(),
        days: options.days,
    };
    let servers = catalog::servers();
    let mut dice = dice::Dice::new(options.seed);
    let mut traffic = traffic::generate(&mut dice, &servers, &week, options.lines);
    let mut attacks = Vec::new();
    if options.attacks {
        for planted in attacks::plant_all(&mut dice, &week) {
            traffic.requests.extend(planted.requests);
            traffic.errors.extend(planted.errors);
            attacks.push(planted.attack);
        }
    }
    let end = week.start_ms + i64::from(week.days) * 86_400_000;
    traffic
        .requests
        .retain(|r| r.at_ms >= week.start_ms && r.at_ms < end);
    traffic
        .errors
        .retain(|e| e.at_ms >= week.start_ms && e.at_ms < end);
    std::fs::create_dir_all(dir).map_err(write_err)?;
    let files = write::write_logs(
        dir,
        &servers,
        &week,
        &mut traffic.requests,
        &mut traffic.errors,
    )
    .map_err(write_err)?;
    let truth = Truth {
        seed: options.seed,
        start: write::rfc3339(week.start_ms),
        days: week.days,
        access_lines: traffic.requests.len() as u64,
        error_lines: traffic.errors.len() as u64,
        malformed_lines: files.iter().map(|f| f.malformed).sum(),
        files,
        attacks,
        notables: traffic.notables,
    };
    let json = serde_json::to_string_pretty(&truth).unwrap_or_default();
    std::fs::write(dir.join("truth.json"), json + "\n").map_err(write_err)?;
    Ok(truth)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small(seed: u64) -> GenOptions {
        GenOptions {
            lines: 8_000,
            seed,
            ..GenOptions::default()
        }
    }

    #[test]
    fn the_same_seed_writes_the_same_bytes() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        generate(a.path(), &small(3)).unwrap();
        generate(b.path(), &small(3)).unwrap();
        let file = "WEB01/W3SVC1/u_ex260304.log";
        assert_eq!(
            std::fs::read(a.path().join(file)).unwrap(),
            std::fs::read(b.path().join(file)).unwrap()
        );
        let c = tempfile::tempdir().unwrap();
        generate(c.path(), &small(4)).unwrap();
        assert_ne!(
            std::fs::read(a.path().join(file)).unwrap(),
            std::fs::read(c.path().join(file)).unwrap()
        );
    }

    #[test]
    fn the_truth_counts_every_line_written() {
        let dir = tempfile::tempdir().unwrap();
        let truth = generate(dir.path(), &small(5)).unwrap();
        let mut rows = 0;
        let mut malformed = 0;
        for f in &truth.files {
            let bytes = std::fs::read(dir.path().join(&f.path)).unwrap();
            let lines = bytes
                .split(|&b| b == b'\n')
                .filter(|l| !l.is_empty() && l[0] != b'#' && l[0] != 0)
                .count() as u64;
            assert_eq!(lines, f.rows + f.malformed, "{}", f.path);
            assert!(bytes.windows(2).any(|w| w == b"\r\n"), "CRLF in {}", f.path);
            rows += f.rows;
            malformed += f.malformed;
        }
        assert_eq!(rows, truth.access_lines + truth.error_lines);
        assert_eq!(malformed, 3);
        assert_eq!(truth.attacks.len(), 9);
        let mut ips: Vec<&str> = truth.attacks.iter().map(|a| a.ip.as_str()).collect();
        ips.sort();
        ips.dedup();
        assert_eq!(ips.len(), 9, "every attacker has its own address");
    }

    #[test]
    fn a_mid_file_fields_change_and_crlf_and_plus_in_agents() {
        let dir = tempfile::tempdir().unwrap();
        generate(dir.path(), &small(6)).unwrap();
        let text = std::fs::read_to_string(dir.path().join("WEB03/W3SVC2/u_ex260304.log")).unwrap();
        let fields: Vec<&str> = text.lines().filter(|l| l.starts_with("#Fields:")).collect();
        assert_eq!(fields.len(), 2, "WEB03 changes its fields on day 3");
        assert!(!fields[0].contains("s-computername") && fields[1].contains("s-computername"));
        assert!(text.contains("Mozilla/5.0+(Windows+NT+10.0;"));
    }

    #[test]
    fn a_clean_week_plants_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let options = GenOptions {
            attacks: false,
            ..small(7)
        };
        let truth = generate(dir.path(), &options).unwrap();
        assert!(truth.attacks.is_empty());
        assert!(truth.access_lines >= 8_000);
        let text = std::fs::read_to_string(dir.path().join("truth.json")).unwrap();
        assert!(text.contains("\"attacks\": []"));
    }
}
