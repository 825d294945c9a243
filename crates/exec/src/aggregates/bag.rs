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
}

impl MakeBag {
    pub fn new(cap: usize) -> Self {
        MakeBag {
            cap,
            bags: Vec::new(),
        }
    }

    fn add(&mut self, g: usize, bag: Map<String, Value>) {
        let target = &mut self.bags[g];
        for (k, v) in bag {
            if target.len() >= self.cap {
                break;
            }
            target.entry(k).or_insert(v);
        }
    }
}

impl Accumulator for MakeBag {
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
