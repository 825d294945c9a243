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

/// Above this many values a `dcount` of strings keeps a bitmap of interner
/// ids instead of a hash index: one bit per string the accumulator has seen
/// beats 9+ bytes per value once a group holds a good share of them.
const BITMAP_AT: usize = 1024;

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
    /// The values after the first, in order of appearance (for a `dcount`,
    /// only until it is indexed: a count needs no order).
    items: Vec<u64>,
    index: Option<HashSet<u64, RandomState>>,
    /// A `dcount` of strings past [`BITMAP_AT`]: bit `id` set for each id held.
    bits: Option<Vec<u64>>,
}

impl Extra {
    /// Adds `code` unless held; says whether it was new. `words` counts the
    /// bitmap words of every group (for `memory_bytes`).
    fn add_distinct(&mut self, code: u64, count_only: bool, words: &mut usize) -> bool {
        if let Some(bits) = &mut self.bits {
            let (word, bit) = ((code / 64) as usize, code % 64);
            if word >= bits.len() {
                *words += word + 1 - bits.len();
                bits.resize(word + 1, 0);
            }
            let new = bits[word] & (1 << bit) == 0;
            bits[word] |= 1 << bit;
            return new;
        }
        match &mut self.index {
            Some(ix) => {
                if !ix.insert(code) {
                    return false;
                }
                if !count_only {
                    self.items.push(code);
                }
            }
            None => {
                if self.items.contains(&code) {
                    return false;
                }
                self.items.push(code);
                if self.items.len() > INDEX_AT {
                    let mut ix = HashSet::with_hasher(RandomState::with_seeds(5, 6, 7, 8));
                    ix.extend(self.items.iter().copied());
                    self.index = Some(ix);
                    if count_only {
                        self.items = Vec::new();
                    }
                }
            }
        }
        true
    }

    /// Trades the hash index of a large string `dcount` for a bitmap, when
    /// the bitmap is no larger (8 bytes a value at most): returns its words.
    fn index_to_bitmap(&mut self) -> usize {
        let Some(ix) = &self.index else { return 0 };
        let words = ix.iter().max().map_or(0, |m| (*m / 64) as usize + 1);
        if words > ix.len() {
            return 0;
        }
        let Some(ix) = self.index.take() else {
            return 0;
        };
        let mut bits = vec![0u64; words];
        for code in ix {
            bits[(code / 64) as usize] |= 1 << (code % 64);
        }
        self.bits = Some(bits);
        words
    }

    /// The values held after the first (order of appearance unless counted).
    fn values(&self) -> Box<dyn Iterator<Item = u64> + '_> {
        match (&self.bits, &self.index) {
            (Some(bits), _) => Box::new(bits.iter().enumerate().flat_map(|(w, &word)| {
                (0..64u64)
                    .filter(move |b| word & (1 << b) != 0)
                    .map(move |b| w as u64 * 64 + b)
            })),
            (None, Some(ix)) if self.items.len() < ix.len() => Box::new(ix.iter().copied()),
            _ => Box::new(self.items.iter().copied()),
        }
    }
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
    /// Bitmap words over all groups (for `memory_bytes`).
    bit_words: usize,
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
            bit_words: 0,
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
        let count_only = self.output == Output::Count;
        let bitmap_ok = count_only && matches!(self.coder, ValueCoder::Strings { .. });
        let extra = self.rest.entry(g).or_default();
        if distinct {
            if !extra.add_distinct(code, count_only, &mut self.bit_words) {
                return;
            }
            if bitmap_ok && extra.bits.is_none() && len >= BITMAP_AT && len.is_power_of_two() {
                self.bit_words += extra.index_to_bitmap();
            }
        } else {
            extra.items.push(code);
        }
        self.held += 1;
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
        let rest = self.rest.get(&(g as u32)).map(Extra::values);
        first.into_iter().chain(rest.into_iter().flatten())
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

    fn set_sizes(&mut self, num_groups: usize) -> Option<ArrayRef> {
        // A dynamic argument's arrays are flattened into the set: sizes are
        // still the set's, but keep to the printed form there.
        if self.output != Output::Set || self.coder.ty() == KType::Dynamic {
            return None;
        }
        grow(&mut self.len, num_groups, 0);
        Some(Arc::new(Int64Array::from_iter_values(
            self.len[..num_groups].iter().map(|&l| i64::from(l)),
        )))
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
            + self.bit_words * 8
    }

    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet as StdSet;

    use arrow::array::{AsArray, StringArray};

    use super::*;

    fn strings(values: &[String]) -> ArrayRef {
        Arc::new(StringArray::from_iter_values(values))
    }

    /// A `dcount` past the index and bitmap thresholds, over two partial
    /// accumulators merged as the partitions of a scan are, against a plain
    /// count of distinct values; the same values as a `make_set` keep their
    /// order of first appearance.
    #[test]
    fn dcount_of_many_strings_matches_a_plain_distinct_count() {
        let value = |i: usize| format!("v{}", (i * 7919) % 5000);
        let rows: Vec<String> = (0..12_000).map(value).collect();
        let groups: Vec<u32> = (0..12_000).map(|i| (i % 3) as u32).collect();
        let (a, b) = rows.split_at(7_000);
        let mut left = SetAcc::new(Output::Count, KType::String, DEFAULT_CAP);
        let mut right = SetAcc::new(Output::Count, KType::String, DEFAULT_CAP);
        left.update(&groups[..7_000], 3, &[strings(a)], None)
            .unwrap();
        right
            .update(&groups[7_000..], 3, &[strings(b)], None)
            .unwrap();
        // The right's group g is the left's (g + 1) % 3: merged keys differ.
        left.merge(Box::new(right), &[1, 2, 0], 3).unwrap();
        let counts = Box::new(left).finish(3).unwrap();
        let counts = counts.as_primitive::<arrow::datatypes::Int64Type>();
        let mut expected = [StdSet::new(), StdSet::new(), StdSet::new()];
        for (i, v) in rows.iter().enumerate() {
            let g = if i < 7_000 { i % 3 } else { (i % 3 + 1) % 3 };
            expected[g].insert(v.clone());
        }
        for (g, set) in expected.iter().enumerate() {
            assert!(set.len() > BITMAP_AT, "{}", set.len());
            assert_eq!(counts.value(g) as usize, set.len(), "group {g}");
        }
    }

    #[test]
    fn make_set_keeps_first_appearance_order_past_the_index() {
        let rows: Vec<String> = (0..100).map(|i| format!("s{}", (i * 37) % 40)).collect();
        let mut acc = SetAcc::new(Output::Set, KType::String, DEFAULT_CAP);
        acc.update(&vec![0; rows.len()], 1, &[strings(&rows)], None)
            .unwrap();
        let out = Box::new(acc).finish(1).unwrap();
        let mut seen = StdSet::new();
        let order: Vec<String> = rows
            .into_iter()
            .filter(|r| seen.insert(r.clone()))
            .collect();
        assert_eq!(
            out.as_string::<i32>().value(0),
            serde_json::to_string(&order).unwrap()
        );
    }
}
