//! The shipped hunt library (`queries/`), compiled into the binary so
//! `iishunt demo` and `iishunt hunt` work from any folder: written out to
//! a folder before a run (the demo keeps it beside the data, for the user
//! to read and edit). A test keeps this list equal to `queries/`.

use std::path::Path;

/// `(path under queries/, contents)` of every shipped file.
pub const FILES: &[(&str, &str)] = &[
    (
        "elastic/access_error_spike.esql",
        include_str!("../../../queries/elastic/access_error_spike.esql"),
    ),
    (
        "elastic/web_server_error_spike.esql",
        include_str!("../../../queries/elastic/web_server_error_spike.esql"),
    ),
    (
        "iis/clients_far_above_median.kql",
        include_str!("../../../queries/iis/clients_far_above_median.kql"),
    ),
    (
        "iis/error_spike_per_client.kql",
        include_str!("../../../queries/iis/error_spike_per_client.kql"),
    ),
    (
        "iis/ftp_brute_force.kql",
        include_str!("../../../queries/iis/ftp_brute_force.kql"),
    ),
    (
        "iis/injection_payloads.kql",
        include_str!("../../../queries/iis/injection_payloads.kql"),
    ),
    (
        "iis/never_served_paths.kql",
        include_str!("../../../queries/iis/never_served_paths.kql"),
    ),
    (
        "iis/recon_404_burst.kql",
        include_str!("../../../queries/iis/recon_404_burst.kql"),
    ),
    (
        "iis/recon_404_to_success.kql",
        include_str!("../../../queries/iis/recon_404_to_success.kql"),
    ),
    (
        "iis/request_rate_series.kql",
        include_str!("../../../queries/iis/request_rate_series.kql"),
    ),
    (
        "iis/requests_per_hour_chart.kql",
        include_str!("../../../queries/iis/requests_per_hour_chart.kql"),
    ),
    (
        "iis/scanner_user_agents.kql",
        include_str!("../../../queries/iis/scanner_user_agents.kql"),
    ),
    (
        "iis/slow_404.kql",
        include_str!("../../../queries/iis/slow_404.kql"),
    ),
    (
        "iis/threat_intel_match.kql",
        include_str!("../../../queries/iis/threat_intel_match.kql"),
    ),
    (
        "iis/unusual_verbs.kql",
        include_str!("../../../queries/iis/unusual_verbs.kql"),
    ),
    (
        "iis/vulnerability_paths.kql",
        include_str!("../../../queries/iis/vulnerability_paths.kql"),
    ),
    (
        "iis/webshell_post.kql",
        include_str!("../../../queries/iis/webshell_post.kql"),
    ),
    (
        "lookups/verified_crawlers.csv",
        include_str!("../../../queries/lookups/verified_crawlers.csv"),
    ),
    (
        "lookups/vulnerability_paths.csv",
        include_str!("../../../queries/lookups/vulnerability_paths.csv"),
    ),
    (
        "sentinel/iis_failed_attempts_same_ip.kql",
        include_str!("../../../queries/sentinel/iis_failed_attempts_same_ip.kql"),
    ),
    (
        "sentinel/iis_many_ports_same_ip.kql",
        include_str!("../../../queries/sentinel/iis_many_ports_same_ip.kql"),
    ),
];

/// Writes the library under `dir` (`dir/sentinel/…`, `dir/lookups/…`),
/// replacing files of the same name.
pub fn write_library(dir: &Path) -> anyhow::Result<()> {
    for (path, text) in FILES {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| anyhow::anyhow!("creating {}: {e}", parent.display()))?;
        }
        std::fs::write(&target, text)
            .map_err(|e| anyhow::anyhow!("writing {}: {e}", target.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walk(dir: &Path, root: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, root, out);
            } else {
                let rel = path.strip_prefix(root).unwrap();
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }

    #[test]
    fn the_embedded_library_is_the_queries_folder() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("queries");
        let mut on_disk = Vec::new();
        walk(&root, &root, &mut on_disk);
        on_disk.sort();
        let embedded: Vec<String> = FILES.iter().map(|(p, _)| p.to_string()).collect();
        assert_eq!(
            embedded, on_disk,
            "add new files under queries/ to crates/cli/src/library.rs"
        );
        for (path, text) in FILES {
            assert_eq!(
                &std::fs::read_to_string(root.join(path)).unwrap(),
                text,
                "{path}"
            );
        }
    }
}
