//! NDJSON: one JSON object per row, one per line — what SIEM forwarders
//! read. `iishunt run` adds a leading `hunt` field (the hunt's name) so rows
//! from many hunts can share one stream.

use std::io::{self, Write};

use super::{cell, json};
use crate::QueryResult;

/// Writes one object per row; with `hunt`, each object starts with
/// `"hunt": "<name>"`.
pub fn write_ndjson(
    result: &QueryResult,
    hunt: Option<&str>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let extra: Vec<(&str, serde_json::Value)> = hunt
        .map(|h| vec![("hunt", serde_json::Value::String(h.to_string()))])
        .unwrap_or_default();
    write_rows(result, &extra, out)
}

/// Writes the rows, one object per line, each starting with `extra`.
pub fn write_rows(
    result: &QueryResult,
    extra: &[(&str, serde_json::Value)],
    out: &mut dyn Write,
) -> io::Result<()> {
    let names: Vec<&str> = result.columns.iter().map(|(n, _)| n.as_str()).collect();
    for batch in &result.batches {
        let cols = cell::columns(batch, &result.columns);
        for row in 0..batch.num_rows() {
            json::write_row(out, &names, &cols, row, extra)?;
            out.write_all(b"\n")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::tests::sample;

    #[test]
    fn one_object_per_line_with_the_hunt_name() {
        let mut out = Vec::new();
        write_ndjson(&sample(), Some("scanner_agents"), &mut out).expect("write");
        let text = String::from_utf8(out).expect("utf8");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        for line in &lines {
            let v: serde_json::Value = serde_json::from_str(line).expect("json line");
            assert_eq!(v["hunt"], "scanner_agents");
        }
        assert!(lines[0].starts_with("{\"hunt\":"));
        // A newline inside a value stays escaped inside its line.
        assert!(
            !text.contains("\x1b"),
            "raw escape: JSON must escape control characters"
        );
    }
}
