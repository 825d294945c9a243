//! `make_bag(bag [, maxSize])` / `make_bag_if`: one property bag of every
//! key of the group's bags. Where rows share a key, the first value met is
//! kept (Kusto keeps an arbitrary one); rows that are not bags are skipped.

use std::any::Any;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, BooleanArray, StringArray, StringBuilder};
use serde_json::{Map, Value};

use super::{downcast, grow, selected, Accumulator};
use crate::error::Result;

pub struct MakeBag {
    cap: usize,
    bags: Vec<Map<String, Value>>,
    /// Bytes held by the entries kept, estimated as they are added (for
    /// `--memory-limit`, which asks after every batch).
    entry_bytes: usize,
}

impl MakeBag {
    pub fn new(cap: usize) -> Self {
        MakeBag {
            cap,
            bags: Vec::new(),
            entry_bytes: 0,
        }
    }

    fn add(&mut self, g: usize, bag: Map<String, Value>) {
        let target = &mut self.bags[g];
        for (k, v) in bag {
            if target.len() >= self.cap {
                break;
            }
            if let serde_json::map::Entry::Vacant(slot) = target.entry(k) {
                self.entry_bytes += ENTRY_OVERHEAD + slot.key().len() + value_bytes(&v);
                slot.insert(v);
            }
        }
    }
}

/// A map entry's key and value headers and tree node, roughly.
const ENTRY_OVERHEAD: usize = 96;

/// The heap bytes of a JSON value, roughly: text and nested entries.
fn value_bytes(v: &Value) -> usize {
    match v {
        Value::String(s) => s.len(),
        Value::Array(a) => a.iter().map(|x| 32 + value_bytes(x)).sum(),
        Value::Object(o) => o
            .iter()
            .map(|(k, x)| ENTRY_OVERHEAD + k.len() + value_bytes(x))
            .sum(),
        _ => 0,
    }
}

impl Accumulator for MakeBag {
    fn memory_bytes(&self) -> usize {
        super::vec_bytes(&self.bags) + self.entry_bytes
    }

    fn update(
        &mut self,
        groups: &[u32],
        num_groups: usize,
        args: &[ArrayRef],
        filter: Option<&BooleanArray>,
    ) -> Result<()> {
        grow(&mut self.bags, num_groups, Map::new());
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
            if let Ok(Value::Object(bag)) = serde_json::from_str::<Value>(text.value(i)) {
                self.add(g as usize, bag);
            }
        }
        Ok(())
    }

    fn merge(
        &mut self,
        other: Box<dyn Accumulator>,
        mapping: &[u32],
        num_groups: usize,
    ) -> Result<()> {
        let other = downcast::<MakeBag>(other)?;
        grow(&mut self.bags, num_groups, Map::new());
        for (g, bag) in other.bags.into_iter().enumerate() {
            self.add(mapping[g] as usize, bag);
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>, num_groups: usize) -> Result<ArrayRef> {
        grow(&mut self.bags, num_groups, Map::new());
        let mut b = StringBuilder::with_capacity(num_groups, num_groups * 16);
        for bag in self.bags.into_iter().take(num_groups) {
            b.append_value(Value::Object(bag).to_string());
        }
        Ok(Arc::new(b.finish()))
    }

    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }
}
