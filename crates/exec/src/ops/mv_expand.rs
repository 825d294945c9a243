//! `mv-expand` / `MV_EXPAND` over one batch: dynamic values (JSON text) are
//! split into their elements, one output row per element; the other
//! columns repeat. Several columns expand in parallel, the shorter padded
//! with nulls, as Kusto does.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, Int64Builder, RecordBatch, StringBuilder, UInt32Array};
use arrow::compute::take;
use iishunt_plan::schema::Schema;
use serde_json::Value;

use crate::error::Result;
use crate::expr::decode_array;
use crate::ops::batch_with_schema;

/// What to expand (see `logical::MvExpand`).
#[derive(Debug, Clone)]
pub struct MvExpandSpec {
    pub columns: Vec<usize>,
    pub bags_as_arrays: bool,
    pub item_index: bool,
    pub limit: Option<usize>,
}

/// The elements of one dynamic value: null → one null; an empty array or
/// bag → none; a scalar → itself.
fn elements(text: Option<&str>, bags_as_arrays: bool) -> Vec<Option<String>> {
    let Some(text) = text else {
        return vec![None];
    };
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(items)) => items
            .into_iter()
            .map(|v| (!v.is_null()).then(|| v.to_string()))
            .collect(),
        Ok(Value::Object(bag)) => bag
            .into_iter()
            .map(|(k, v)| {
                Some(if bags_as_arrays {
                    Value::Array(vec![Value::String(k), v]).to_string()
                } else {
                    let mut one = serde_json::Map::new();
                    one.insert(k, v);
                    Value::Object(one).to_string()
                })
            })
            .collect(),
        Ok(Value::Null) => vec![None],
        // A scalar, or text that isn't JSON (a plain string): itself.
        _ => vec![Some(text.to_string())],
    }
}

pub fn mv_expand(batch: &RecordBatch, spec: &MvExpandSpec, schema: &Schema) -> Result<RecordBatch> {
    let expanded: Vec<ArrayRef> = spec
        .columns
        .iter()
        .map(|c| decode_array(batch.column(*c)))
        .collect::<Result<_>>()?;
    let texts: Vec<&arrow::array::StringArray> = expanded
        .iter()
        .map(|a| {
            a.as_any()
                .downcast_ref::<arrow::array::StringArray>()
                .ok_or_else(|| {
                    crate::error::ExecError::internal("mv_expand", "a dynamic column is not text")
                })
        })
        .collect::<Result<_>>()?;
    let mut take_rows: Vec<u32> = Vec::new();
    let mut values: Vec<StringBuilder> = texts.iter().map(|_| StringBuilder::new()).collect();
    let mut index = Int64Builder::new();
    for row in 0..batch.num_rows() {
        let parts: Vec<Vec<Option<String>>> = texts
            .iter()
            .map(|t| elements(t.is_valid(row).then(|| t.value(row)), spec.bags_as_arrays))
            .collect();
        let mut n = parts.iter().map(Vec::len).max().unwrap_or(0);
        if let Some(limit) = spec.limit {
            n = n.min(limit);
        }
        for i in 0..n {
            take_rows.push(row as u32);
            for (p, out) in parts.iter().zip(&mut values) {
                out.append_option(p.get(i).cloned().flatten());
            }
            index.append_value(i as i64);
        }
    }
    let rows = UInt32Array::from(take_rows);
    let mut columns: Vec<ArrayRef> = Vec::with_capacity(schema.len());
    let mut built: Vec<Option<ArrayRef>> = values
        .into_iter()
        .map(|mut b| Some(Arc::new(b.finish()) as ArrayRef))
        .collect();
    for (i, column) in batch.columns().iter().enumerate() {
        match spec.columns.iter().position(|c| *c == i) {
            Some(at) => columns.push(built[at].take().ok_or_else(|| {
                crate::error::ExecError::internal("mv_expand", "column expanded twice")
            })?),
            None => columns.push(take(column, &rows, None)?),
        }
    }
    if spec.item_index {
        columns.push(Arc::new(index.finish()));
    }
    batch_with_schema(schema, columns, rows.len())
}

#[cfg(test)]
mod tests {
    use super::elements;

    fn texts(v: Vec<Option<String>>) -> Vec<String> {
        v.into_iter()
            .map(|e| e.unwrap_or_else(|| "<null>".into()))
            .collect()
    }

    #[test]
    fn elements_follow_kusto() {
        assert_eq!(
            texts(elements(Some("[1,\"a\",null]"), false)),
            ["1", "\"a\"", "<null>"]
        );
        assert!(elements(Some("[]"), false).is_empty());
        assert!(elements(Some("{}"), false).is_empty());
        assert_eq!(texts(elements(None, false)), ["<null>"]);
        assert_eq!(texts(elements(Some("null"), false)), ["<null>"]);
        assert_eq!(texts(elements(Some("5"), false)), ["5"]);
        assert_eq!(
            texts(elements(Some("{\"a\":1,\"b\":2}"), false)),
            ["{\"a\":1}", "{\"b\":2}"]
        );
        assert_eq!(texts(elements(Some("{\"a\":1}"), true)), ["[\"a\",1]"]);
    }
}
