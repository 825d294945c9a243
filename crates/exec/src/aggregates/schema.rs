//! `buildschema(dynamic)`: the smallest type that admits every value of the
//! group, as Kusto writes it: a scalar's type name (`long`, `double`,
//! `string`, `bool`), a bag as `{key: type}`, an array as `{"`indexer`":
//! element type}`, and several possibilities as an array of them in the
//! order first met (`["long", "string"]`). Nulls add nothing (an empty
//! array is an empty bag); a group with no value gives null.

use std::any::Any;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, BooleanArray, StringArray, StringBuilder};
use serde_json::{Map, Value};

use super::{downcast, selected, Accumulator};
use crate::error::Result;

/// The key Kusto gives an array's element type.
const INDEXER: &str = "`indexer`";

/// What a slot has held: scalar type names and at most one bag-like
/// possibility (bags and arrays share it: an array is a bag of `indexer`),
/// in the order first met.
#[derive(Default)]
struct Node {
    scalars: Vec<&'static str>,
    /// The bag's entries, and how many scalars came before it was met.
    bag: Option<(usize, Vec<(String, Node)>)>,
}

impl Node {
    fn add(&mut self, v: &Value) {
        match v {
            Value::Null => {}
            Value::Bool(_) => self.scalar("bool"),
            Value::Number(n) if n.is_i64() || n.is_u64() => self.scalar("long"),
            Value::Number(_) => self.scalar("double"),
            Value::String(_) => self.scalar("string"),
            Value::Array(items) => {
                let slot = self.bag_slot(INDEXER);
                items.iter().for_each(|x| slot.add(x));
            }
            Value::Object(map) => {
                // Register the bag even when it is empty.
                self.bag();
                for (k, x) in map {
                    self.bag_slot(k).add(x);
                }
            }
        }
    }

    fn scalar(&mut self, name: &'static str) {
        if !self.scalars.contains(&name) {
            self.scalars.push(name);
        }
    }

    fn bag(&mut self) -> &mut Vec<(String, Node)> {
        let before = self.scalars.len();
        &mut self.bag.get_or_insert_with(|| (before, Vec::new())).1
    }

    fn bag_slot(&mut self, key: &str) -> &mut Node {
        let entries = self.bag();
        let at = match entries.iter().position(|(k, _)| k == key) {
            Some(at) => at,
            None => {
                entries.push((key.to_string(), Node::default()));
                entries.len() - 1
            }
        };
        &mut entries[at].1
    }

    fn merge(&mut self, other: Node) {
        // The other's bag goes where it stood among its scalars.
        let (bag_at, bag) = other
            .bag
            .map_or((usize::MAX, None), |(at, b)| (at, Some(b)));
        let mut bag = bag;
        for (i, n) in other.scalars.into_iter().enumerate() {
            if i == bag_at {
                self.merge_bag(bag.take());
            }
            self.scalar(n);
        }
        self.merge_bag(bag);
    }

    fn merge_bag(&mut self, bag: Option<Vec<(String, Node)>>) {
        let Some(entries) = bag else { return };
        self.bag();
        for (k, node) in entries {
            self.bag_slot(&k).merge(node);
        }
    }

    /// The schema as JSON; `None` when nothing was held.
    fn to_json(&self) -> Option<Value> {
        let mut out: Vec<Value> = self
            .scalars
            .iter()
            .map(|n| Value::String((*n).to_string()))
            .collect();
        if let Some((at, entries)) = &self.bag {
            let map: Map<String, Value> = entries
                .iter()
                .filter_map(|(k, n)| Some((k.clone(), n.to_json()?)))
                .collect();
            out.insert((*at).min(out.len()), Value::Object(map));
        }
        match out.len() {
            0 => None,
            1 => out.pop(),
            _ => Some(Value::Array(out)),
        }
    }
}

#[derive(Default)]
pub struct BuildSchema {
    groups: Vec<Option<Node>>,
    /// Type slots held over all groups (for `--memory-limit`).
    slots: usize,
}

impl BuildSchema {
    pub fn new() -> Self {
        BuildSchema::default()
    }
}

/// Bytes a type slot holds, roughly: its key, vectors and node.
const SLOT_BYTES: usize = 96;

impl Accumulator for BuildSchema {
    fn update(
        &mut self,
        groups: &[u32],
        num_groups: usize,
        args: &[ArrayRef],
        filter: Option<&BooleanArray>,
    ) -> Result<()> {
        grow_nodes(&mut self.groups, num_groups);
        let Some(arg) = args.first() else {
            return Ok(());
        };
        let plain = crate::expr::decode_array(arg)?;
        let Some(text) = plain.as_any().downcast_ref::<StringArray>() else {
            return Ok(());
        };
        for (i, &g) in groups.iter().enumerate() {
            if text.is_null(i) || !selected(filter, i) {
                continue;
            }
            let Ok(v) = serde_json::from_str::<Value>(text.value(i)) else {
                continue;
            };
            if v.is_null() {
                continue;
            }
            self.slots += 1;
            self.groups[g as usize]
                .get_or_insert_with(Node::default)
                .add(&v);
        }
        Ok(())
    }

    fn merge(
        &mut self,
        other: Box<dyn Accumulator>,
        mapping: &[u32],
        num_groups: usize,
    ) -> Result<()> {
        let other = downcast::<BuildSchema>(other)?;
        grow_nodes(&mut self.groups, num_groups);
        self.slots += other.slots;
        for (g, node) in other.groups.into_iter().enumerate() {
            let Some(node) = node else { continue };
            match &mut self.groups[mapping[g] as usize] {
                Some(mine) => mine.merge(node),
                slot => *slot = Some(node),
            }
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>, num_groups: usize) -> Result<ArrayRef> {
        grow_nodes(&mut self.groups, num_groups);
        let mut b = StringBuilder::with_capacity(num_groups, num_groups * 16);
        for node in self.groups.iter().take(num_groups) {
            match node.as_ref().and_then(Node::to_json) {
                Some(v) => b.append_value(v.to_string()),
                None => b.append_null(),
            }
        }
        Ok(Arc::new(b.finish()))
    }

    fn memory_bytes(&self) -> usize {
        super::vec_bytes(&self.groups) + self.slots.min(1 << 20) * SLOT_BYTES
    }

    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }
}

fn grow_nodes(v: &mut Vec<Option<Node>>, n: usize) {
    if v.len() < n {
        v.resize_with(n, || None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(values: &[&str]) -> String {
        let mut node = Node::default();
        for v in values {
            node.add(&serde_json::from_str(v).unwrap());
        }
        node.to_json().map_or("null".into(), |v| v.to_string())
    }

    #[test]
    fn merges_types_as_kusto_documents() {
        assert_eq!(schema(&["1", "2"]), r#""long""#);
        assert_eq!(
            schema(&["1", "\"a\"", "2.5"]),
            r#"["long","string","double"]"#
        );
        assert_eq!(
            schema(&["[1, \"x\"]", "[]"]),
            r#"{"`indexer`":["long","string"]}"#
        );
        assert_eq!(schema(&["{\"a\": true}", "3"]), r#"[{"a":"bool"},"long"]"#);
        assert_eq!(schema(&["null"]), "null");
        assert_eq!(schema(&["{}"]), "{}");
    }
}
