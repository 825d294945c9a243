//! JSON: the result as an array of objects, keys in column order, dynamic
//! values embedded as JSON (not strings), datetimes as ISO 8601 UTC text.
//! With hunt metadata (from `iishunt run`) the array is wrapped in an object
//! that carries the metadata beside the rows.

use std::io::{self, Write};

use super::cell;
use crate::QueryResult;

/// Writes one row as a JSON object `{"col": value, …}` in column order,
/// optionally with leading `extra` fields.
pub fn write_row(
    out: &mut dyn Write,
    names: &[&str],
    cols: &[cell::Column],
    row: usize,
    extra: &[(&str, serde_json::Value)],
) -> io::Result<()> {
    out.write_all(b"{")?;
    let mut first = true;
    let fields = extra.iter().map(|(k, v)| (*k, v.clone())).chain(
        names
            .iter()
            .zip(cols)
            .map(|(n, c)| (*n, c.value(row).json())),
    );
    for (name, value) in fields {
        if !first {
            out.write_all(b",")?;
        }
        first = false;
        serde_json::to_writer(&mut *out, name)?;
        out.write_all(b":")?;
        serde_json::to_writer(&mut *out, &value)?;
    }
    out.write_all(b"}")
}

/// Writes the rows as a JSON array of objects, one object per line.
pub fn write_rows(result: &QueryResult, out: &mut dyn Write) -> io::Result<()> {
    let names: Vec<&str> = result.columns.iter().map(|(n, _)| n.as_str()).collect();
    out.write_all(b"[")?;
    let mut first = true;
    for batch in &result.batches {
        let cols = cell::columns(batch, &result.columns);
        for row in 0..batch.num_rows() {
            out.write_all(if first { b"\n" } else { b",\n" })?;
            first = false;
            write_row(out, &names, &cols, row, &[])?;
        }
    }
    out.write_all(if first { b"]" } else { b"\n]" })
}

/// Writes `result` as a JSON array of objects, or — with `meta` — as
/// `{"hunt": {meta…}, "columns": [{"name", "type"}…], "rows": [...]}`.
pub fn write_json(
    result: &QueryResult,
    meta: Option<&serde_json::Map<String, serde_json::Value>>,
    out: &mut dyn Write,
) -> io::Result<()> {
    match meta {
        None => write_rows(result, out)?,
        Some(meta) => {
            out.write_all(b"{\"hunt\":")?;
            serde_json::to_writer(&mut *out, meta)?;
            out.write_all(b",\"columns\":")?;
            let columns: Vec<serde_json::Value> = result
                .columns
                .iter()
                .map(|(n, t)| serde_json::json!({"name": n, "type": t.name()}))
                .collect();
            serde_json::to_writer(&mut *out, &columns)?;
            write!(out, ",\"row_count\":{},\"rows\":", result.row_count())?;
            write_rows(result, out)?;
            out.write_all(b"}")?;
        }
    }
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::tests::sample;

    #[test]
    fn json_is_an_array_of_objects_with_embedded_dynamic() {
        let mut out = Vec::new();
        write_json(&sample(), None, &mut out).expect("write");
        let v: serde_json::Value = serde_json::from_slice(&out).expect("valid json");
        let rows = v.as_array().expect("array");
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0]["set_sPort"], serde_json::json!([80, 443]));
        assert_eq!(rows[0]["TimeGenerated"], "2026-03-08T16:05:12Z");
        assert_eq!(rows[0]["count_"], 7);
        assert_eq!(rows[0]["Duration"], "00:01:00");
        assert!(rows[2]["TimeGenerated"].is_null());
        // Key order is column order.
        let text = String::from_utf8(out).expect("utf8");
        assert!(text.find("\"TimeGenerated\"") < text.find("\"cIP\""));
    }

    #[test]
    fn json_with_hunt_metadata_wraps_rows() {
        let mut meta = serde_json::Map::new();
        meta.insert("name".into(), "brute".into());
        meta.insert("severity".into(), "Medium".into());
        let mut out = Vec::new();
        write_json(&sample(), Some(&meta), &mut out).expect("write");
        let v: serde_json::Value = serde_json::from_slice(&out).expect("valid json");
        assert_eq!(v["hunt"]["severity"], "Medium");
        assert_eq!(v["row_count"], 3);
        assert_eq!(v["columns"][3]["type"], "long");
        assert_eq!(v["rows"].as_array().map(Vec::len), Some(3));
    }

    #[test]
    fn empty_result_is_an_empty_array() {
        let mut result = sample();
        result.batches.clear();
        let mut out = Vec::new();
        write_json(&result, None, &mut out).expect("write");
        assert_eq!(String::from_utf8(out).expect("utf8"), "[]\n");
    }
}
