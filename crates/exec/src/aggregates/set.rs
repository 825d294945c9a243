//! `make_set`, `make_list` (and `*_if`), `dcount` (exact): the distinct (or
//! all) values of each group, in order of first appearance.
//!
//! Memory is what matters here: a query can have millions of groups holding
//! one or two values each. A group keeps its first value inline (12 bytes per
//! group in all); only groups with more values get an entry in `rest`, and only
//! large ones a hash index. The cap (Kusto's max size argument, default
//! 1,048,576) bounds one hot group.

use std::any::Any;
use std::sync::Arc;

use ahash::RandomState;
use arrow::array::{Array, ArrayRef, BooleanArray, Int64Array, StringBuilder};
use hashbrown::{HashMap, HashSet};
use iishunt_plan::types::KType;

use super::coder::ValueCoder;
use super::{downcast, grow, selected, Accumulator};
use crate::error::Result;

/// Kusto's default cap on `make_set` / `make_list` sizes.
pub const DEFAULT_CAP: usize = 1_048_576;

/// Above this many values a group gets a hash index for the distinct check.
const INDEX_AT: usize = 16;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// Distinct values as a dynamic array.
    Set,
    /// All values as a dynamic array.
    List,
    /// The number of distinct values.
    Count,
}

#[derive(Default)]
struct Extra {
    items: Vec<u64>,
    index: Option<HashSet<u64, RandomState>>,
}

pub struct SetAcc {
    output: Output,
    cap: usize,
    coder: ValueCoder,
    first: Vec<u64>,
    len: Vec<u32>,
    rest: HashMap<u32, Extra, RandomState>,
    codes: Vec<u64>,
    nulls: Vec<bool>,
    /// Values held in `rest` over all groups (for `memory_bytes`).
    held: usize,
}

impl SetAcc {
    pub fn new(output: Output, ty: KType, cap: usize) -> Self {
        SetAcc {
            output,
            cap,
            coder: ValueCoder::new(ty),
            first: Vec::new(),
            len: Vec::new(),
            rest: HashMap::with_hasher(RandomState::with_seeds(1, 2, 3, 4)),
            codes: Vec::new(),
            nulls: Vec::new(),
            held: 0,
        }
    }

    fn distinct(&self) -> bool {
        self.output != Output::List
    }

    fn insert(&mut self, g: u32, code: u64) {
        let gi = g as usize;
        let len = self.len[gi] as usize;
        if len == 0 {
            self.first[gi] = code;
            self.len[gi] = 1;
            return;
        }
        let distinct = self.distinct();
        if distinct && self.first[gi] == code {
            return;
        }
        if len >= self.cap {
            return;
        }
        let extra = self.rest.entry(g).or_default();
        if distinct {
            let present = match &extra.index {
                Some(ix) => ix.contains(&code),
                None => extra.items.contains(&code),
            };
            if present {
                return;
            }
        }
        extra.items.push(code);
        self.held += 1;
        if distinct {
            match &mut extra.index {
                Some(ix) => {
                    ix.insert(code);
                }
                None if extra.items.len() > INDEX_AT => {
                    let mut ix = HashSet::with_hasher(RandomState::with_seeds(5, 6, 7, 8));
                    ix.extend(extra.items.iter().copied());
                    extra.index = Some(ix);
                }
                None => {}
            }
        }
        self.len[gi] += 1;
    }

    /// `make_set` of a dynamic array adds its elements, as Kusto does
    /// (`make_set(pack_array(a, b))` is the set of every a and b).
    fn update_flattened(
        &mut self,
        groups: &[u32],
        arg: &ArrayRef,
        filter: Option<&BooleanArray>,
    ) -> Result<()> {
        let text = crate::expr::decode_array(arg)?;
        let Some(text) = text.as_any().downcast_ref::<arrow::array::StringArray>() else {
            return Ok(());
        };
        let mut flat_groups = Vec::new();
        let mut flat = StringBuilder::new();
        for (i, &g) in groups.iter().enumerate() {
            if text.is_null(i) || !selected(filter, i) {
                continue;
            }
            match serde_json::from_str::<serde_json::Value>(text.value(i)) {
                Ok(serde_json::Value::Array(items)) => {
                    for item in items.iter().filter(|v| !v.is_null()) {
                        flat_groups.push(g);
                        flat.append_value(item.to_string());
                    }
                }
                _ => {
                    flat_groups.push(g);
                    flat.append_value(text.value(i));
                }
            }
        }
        let flat: ArrayRef = Arc::new(flat.finish());
        let (mut codes, mut nulls) = (
            std::mem::take(&mut self.codes),
            std::mem::take(&mut self.nulls),
        );
        self.coder.encode(&flat, &mut codes, &mut nulls)?;
        for (i, &g) in flat_groups.iter().enumerate() {
            if !nulls[i] {
                self.insert(g, codes[i]);
            }
        }
        (self.codes, self.nulls) = (codes, nulls);
        Ok(())
    }

    fn values_of(&self, g: usize) -> impl Iterator<Item = u64> + '_ {
        let first = (self.len[g] > 0).then_some(self.first[g]);
        let rest = self
            .rest
            .get(&(g as u32))
            .map(|e| e.items.as_slice())
            .unwrap_or(&[]);
        first.into_iter().chain(rest.iter().copied())
    }
}

impl Accumulator for SetAcc {
    fn update(
        &mut self,
        groups: &[u32],
        num_groups: usize,
        args: &[ArrayRef],
        filter: Option<&BooleanArray>,
    ) -> Result<()> {
        grow(&mut self.first, num_groups, 0);
        grow(&mut self.len, num_groups, 0);
        let Some(arg) = args.first() else {
            return Ok(());
        };
        if self.output == Output::Set && self.coder.ty() == KType::Dynamic {
            return self.update_flattened(groups, arg, filter);
        }
        let (mut codes, mut nulls) = (
            std::mem::take(&mut self.codes),
            std::mem::take(&mut self.nulls),
        );
        self.coder.encode(arg, &mut codes, &mut nulls)?;
        for (i, &g) in groups.iter().enumerate() {
            if !nulls[i] && selected(filter, i) {
                self.insert(g, codes[i]);
            }
        }
        (self.codes, self.nulls) = (codes, nulls);
        Ok(())
    }

    fn merge(
        &mut self,
        other: Box<dyn Accumulator>,
        mapping: &[u32],
        num_groups: usize,
    ) -> Result<()> {
        let other = downcast::<SetAcc>(other)?;
        grow(&mut self.first, num_groups, 0);
        grow(&mut self.len, num_groups, 0);
        for (g, target) in mapping.iter().enumerate().take(other.len.len()) {
            for v in other.values_of(g) {
                let code = self.coder.translate(&other.coder, v);
                self.insert(*target, code);
            }
        }
        Ok(())
    }

    fn finish(self: Box<Self>, num_groups: usize) -> Result<ArrayRef> {
        let all: Vec<u32> = (0..num_groups as u32).collect();
        self.finish_groups(num_groups, &all)
    }

    fn finish_groups(mut self: Box<Self>, num_groups: usize, groups: &[u32]) -> Result<ArrayRef> {
        grow(&mut self.first, num_groups, 0);
        grow(&mut self.len, num_groups, 0);
        if self.output == Output::Count {
            return Ok(Arc::new(Int64Array::from_iter_values(
                groups.iter().map(|&g| self.len[g as usize] as i64),
            )));
        }
        let mut b = StringBuilder::with_capacity(groups.len(), groups.len() * 16);
        for &g in groups {
            let items: Vec<serde_json::Value> = self
                .values_of(g as usize)
                .map(|c| self.coder.to_json(c))
                .collect();
            b.append_value(serde_json::Value::Array(items).to_string());
        }
        Ok(Arc::new(b.finish()))
    }

    fn memory_bytes(&self) -> usize {
        use super::vec_bytes;
        // A `rest` entry: its key, vector header and hash-map slot; each value
        // 8 bytes, twice once indexed (counted for all: an upper bound).
        let per_value = if self.distinct() { 16 } else { 8 };
        self.coder.memory_bytes()
            + vec_bytes(&self.first)
            + vec_bytes(&self.len)
            + vec_bytes(&self.codes)
            + vec_bytes(&self.nulls)
            + self.rest.len() * 64
            + self.held * per_value
    }

    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }
}
