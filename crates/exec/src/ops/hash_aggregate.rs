//! Hash aggregation: rows → groups by key, then accumulators per group.
//!
//! Keys are encoded as fixed-width rows of 64-bit codes (strings as interner
//! ids, other types as bit patterns, plus one word of null flags) stored in
//! one arena; the hash table holds only group numbers. No allocation per
//! group, and a dictionary-encoded key column costs one interner lookup per
//! distinct value per row group. Each partition chunk fills its own table;
//! tables merge in partition order, so groups come out in order of first
//! appearance whatever the thread count. Where Parquet statistics show the
//! scan splits into key-disjoint components (`ops::disjoint`), each component
//! has its own table and its own result batch, and nothing merges.

use arrow::array::{Array, ArrayRef, AsArray, BooleanArray, RecordBatch, StringArray, UInt32Array};
use arrow::datatypes::Int32Type;
use hashbrown::HashTable;
use iishunt_plan::expr::{AggregateCall, BoundExpr};
use iishunt_plan::schema::Schema;

use crate::aggregates::coder::ValueCoder;
use crate::aggregates::interner::{Interner, NULL_ID};
use crate::aggregates::{create, Accumulator};
use crate::context::ExecContext;
use crate::error::{ExecError, Result};
use crate::expr::{evaluate, evaluate_predicate};
use crate::ops::sort::plain_batch;

pub struct GroupTable {
    coders: Vec<ValueCoder>,
    /// Words per key row: one per key column plus the null flags.
    width: usize,
    arena: Vec<u64>,
    /// Each group's hash, so growing the table never rereads the arena.
    hashes: Vec<u64>,
    /// With one key: its code → group ([`UNSEEN`]: not yet seen); every
    /// interner id of a string key, the values below [`SMALL_CODES`] of another.
    direct: Vec<u32>,
    /// Scratch: interner ids of a batch's single string key.
    ids: Vec<u32>,
    /// With one dictionary-encoded string key: the groups of the last
    /// dictionary's values, kept while the next batch shares it (a row
    /// group's batches do), so each value is looked up once per row group.
    last_dictionary: Option<(ArrayRef, Vec<u32>)>,
    table: HashTable<u32>,
    accumulators: Vec<Box<dyn Accumulator>>,
    num_groups: usize,
    // Scratch buffers reused across batches.
    row_keys: Vec<u64>,
    group_ids: Vec<u32>,
    codes: Vec<u64>,
    nulls: Vec<bool>,
}

/// A group slot not yet assigned.
const UNSEEN: u32 = u32::MAX;

/// Codes of a single non-string key below this index `direct` (a 256 KiB
/// vector at most).
const SMALL_CODES: u64 = 1 << 16;

/// A dictionary-encoded string column's keys and values, when no key is null.
fn dictionary_without_null_keys(array: &ArrayRef) -> Option<(&[i32], &ArrayRef)> {
    let dict = array.as_dictionary_opt::<Int32Type>()?;
    dict.values().as_string_opt::<i32>()?;
    (dict.keys().null_count() == 0).then(|| (dict.keys().values().as_ref(), dict.values()))
}

/// Key rows are a few words: compare them inline rather than through memcmp.
#[inline]
fn same_key(a: &[u64], b: &[u64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

#[inline]
fn hash_key(key: &[u64]) -> u64 {
    let mut h: u64 = 0x243f_6a88_85a3_08d3;
    for &w in key {
        h = (h ^ w).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        h ^= h >> 29;
    }
    h ^ (h >> 32)
}

impl GroupTable {
    pub fn new(keys: &[BoundExpr], calls: &[AggregateCall]) -> Result<Self> {
        Ok(GroupTable {
            coders: keys.iter().map(|k| ValueCoder::new(k.ty())).collect(),
            width: keys.len() + 1,
            arena: Vec::new(),
            hashes: Vec::new(),
            direct: Vec::new(),
            ids: Vec::new(),
            last_dictionary: None,
            table: HashTable::new(),
            accumulators: calls.iter().map(create).collect::<Result<_>>()?,
            num_groups: 0,
            row_keys: Vec::new(),
            group_ids: Vec::new(),
            codes: Vec::new(),
            nulls: Vec::new(),
        })
    }

    pub fn num_groups(&self) -> usize {
        self.num_groups
    }

    /// Bytes the table holds: keys, hashes, index and every accumulator
    /// (for `--memory-limit`).
    pub fn memory_bytes(&self) -> usize {
        self.arena.capacity() * 8
            + self.hashes.capacity() * 8
            + self.direct.capacity() * 4
            + self
                .last_dictionary
                .as_ref()
                .map_or(0, |(_, groups)| groups.capacity() * 4)
            + self.table.capacity() * 5
            + self.coders.iter().map(|c| c.memory_bytes()).sum::<usize>()
            + self
                .accumulators
                .iter()
                .map(|a| a.memory_bytes())
                .sum::<usize>()
    }

    /// The group of a key row, created when new.
    #[inline]
    fn group_of(&mut self, key: &[u64]) -> u32 {
        let hash = hash_key(key);
        let width = self.width;
        let arena = &self.arena;
        if let Some(&g) = self.table.find(hash, |&g| {
            same_key(&arena[g as usize * width..(g as usize + 1) * width], key)
        }) {
            return g;
        }
        let g = self.num_groups as u32;
        self.arena.extend_from_slice(key);
        self.hashes.push(hash);
        self.num_groups += 1;
        let hashes = &self.hashes;
        self.table.insert_unique(hash, g, |&h| hashes[h as usize]);
        g
    }

    /// Adds a batch: evaluates the keys and the aggregate arguments on it.
    pub fn update(
        &mut self,
        batch: &RecordBatch,
        keys: &[BoundExpr],
        calls: &[AggregateCall],
        ctx: &ExecContext,
    ) -> Result<()> {
        let rows = batch.num_rows();
        if rows == 0 {
            return Ok(());
        }
        let width = self.width;
        if keys.is_empty() {
            // One group for the whole input: no key to hash.
            if self.num_groups == 0 {
                self.group_of(&[0]);
            }
            self.group_ids.clear();
            self.group_ids.resize(rows, 0);
            return self.update_accumulators(batch, calls, ctx);
        }
        if let [key] = keys {
            match self.coders[0] {
                ValueCoder::Strings { .. } => self.groups_of_one_string_key(key, batch, ctx)?,
                ValueCoder::Bits { .. } => self.groups_of_one_bits_key(key, batch, ctx)?,
            }
            return self.update_accumulators(batch, calls, ctx);
        }
        self.row_keys.clear();
        self.row_keys.resize(rows * width, 0);
        for (k, key) in keys.iter().enumerate() {
            let array = evaluate(key, batch, ctx)?;
            self.coders[k].encode(&array, &mut self.codes, &mut self.nulls)?;
            for r in 0..rows {
                if self.nulls[r] {
                    self.row_keys[r * width + width - 1] |= 1 << k;
                } else {
                    self.row_keys[r * width + k] = self.codes[r];
                }
            }
        }
        let row_keys = std::mem::take(&mut self.row_keys);
        self.group_ids.clear();
        for r in 0..rows {
            let g = self.group_of(&row_keys[r * width..(r + 1) * width]);
            self.group_ids.push(g);
        }
        self.row_keys = row_keys;
        self.update_accumulators(batch, calls, ctx)
    }

    /// One string key: its codes are dense interner ids, so a plain vector maps
    /// them to groups without hashing (`summarize … by scStatus`). A dictionary
    /// column maps each distinct value once, then each row is one lookup.
    fn groups_of_one_string_key(
        &mut self,
        key: &BoundExpr,
        batch: &RecordBatch,
        ctx: &ExecContext,
    ) -> Result<()> {
        let array = evaluate(key, batch, ctx)?;
        self.group_ids.clear();
        if let Some((keys, values)) = dictionary_without_null_keys(&array) {
            return self.groups_of_dictionary(keys, values);
        }
        let mut ids = std::mem::take(&mut self.ids);
        self.interner()?.intern_array(&array, &mut ids)?;
        for &id in &ids {
            let g = self.group_of_id(id);
            self.group_ids.push(g);
        }
        self.ids = ids;
        Ok(())
    }

    /// Each distinct value a row uses is interned and given its group once
    /// (per dictionary, not per batch); each row is then one lookup.
    fn groups_of_dictionary(&mut self, keys: &[i32], dictionary: &ArrayRef) -> Result<()> {
        let values = dictionary.as_string::<i32>();
        let mut of_value = match self.last_dictionary.take() {
            Some((last, groups)) if std::sync::Arc::ptr_eq(&last, dictionary) => groups,
            _ => vec![UNSEEN; values.len()],
        };
        for &k in keys {
            let k = k as usize;
            let slot = of_value.get(k).copied().ok_or_else(|| {
                ExecError::internal("groups_of_dictionary", "dictionary key out of range")
            })?;
            let g = if slot == UNSEEN {
                let id = match values.is_null(k) {
                    true => NULL_ID,
                    false => self.interner()?.intern(values.value(k)),
                };
                let g = self.group_of_id(id);
                of_value[k] = g;
                g
            } else {
                slot
            };
            self.group_ids.push(g);
        }
        self.last_dictionary = Some((dictionary.clone(), of_value));
        Ok(())
    }

    /// The interner of a single string key.
    fn interner(&mut self) -> Result<&mut Interner> {
        match &mut self.coders[0] {
            ValueCoder::Strings { interner, .. } => Ok(interner),
            ValueCoder::Bits { .. } => Err(ExecError::internal(
                "groups_of_one_string_key",
                "not a string key",
            )),
        }
    }

    /// The group of a single string key's interner id.
    #[inline]
    fn group_of_id(&mut self, id: u32) -> u32 {
        match id {
            NULL_ID => self.group_of(&[0, 1]),
            id => self.group_of_direct(id as u64),
        }
    }

    /// The group of a single key's non-null code, through `direct` (ids are
    /// dense; other codes go there only when small).
    #[inline]
    fn group_of_direct(&mut self, code: u64) -> u32 {
        let c = code as usize;
        match self.direct.get(c).copied() {
            Some(g) if g != UNSEEN => g,
            _ => {
                let g = self.group_of(&[code, 0]);
                if c >= self.direct.len() {
                    self.direct.resize(c + 1, UNSEEN);
                }
                self.direct[c] = g;
                g
            }
        }
    }

    /// Whether a single key's non-null code lives in `direct`: every string
    /// id (ids are dense), other codes when small.
    #[inline]
    fn in_direct(&self, code: u64) -> bool {
        code < SMALL_CODES || matches!(self.coders[0], ValueCoder::Strings { .. })
    }

    /// The group of a single key's code, created when new. Every one-key
    /// group is made here, so `direct` holds each group whose code belongs
    /// there and a lookup that misses it needs no hashing.
    #[inline]
    fn group_of_single(&mut self, code: u64, null: bool) -> u32 {
        match (null, self.in_direct(code)) {
            (true, _) => self.group_of(&[0, 1]),
            (false, true) => self.group_of_direct(code),
            (false, false) => self.group_of(&[code, 0]),
        }
    }

    /// The group of a single key's code, if there is one (never adds).
    #[inline]
    fn find_single(&self, code: u64, null: bool) -> Option<u32> {
        match (null, self.in_direct(code)) {
            (true, _) => self.find(&[0, 1]),
            (false, true) => self
                .direct
                .get(code as usize)
                .copied()
                .filter(|&g| g != UNSEEN),
            (false, false) => self.find(&[code, 0]),
        }
    }

    /// The group of a key row, if there is one (never adds).
    fn find(&self, key: &[u64]) -> Option<u32> {
        let (arena, width) = (&self.arena, self.width);
        self.table
            .find(hash_key(key), |&g| {
                same_key(&arena[g as usize * width..(g as usize + 1) * width], key)
            })
            .copied()
    }

    /// One non-string key: small non-negative values (sizes, ports, counts,
    /// `bin(x, 1)` of them) find their group in a plain vector without
    /// hashing; other values (datetimes, negatives, doubles) hash.
    fn groups_of_one_bits_key(
        &mut self,
        key: &BoundExpr,
        batch: &RecordBatch,
        ctx: &ExecContext,
    ) -> Result<()> {
        let array = evaluate(key, batch, ctx)?;
        let (mut codes, mut nulls) = (
            std::mem::take(&mut self.codes),
            std::mem::take(&mut self.nulls),
        );
        self.coders[0].encode(&array, &mut codes, &mut nulls)?;
        self.group_ids.clear();
        for (&code, &null) in codes.iter().zip(&nulls) {
            let g = self.group_of_single(code, null);
            self.group_ids.push(g);
        }
        (self.codes, self.nulls) = (codes, nulls);
        Ok(())
    }

    fn update_accumulators(
        &mut self,
        batch: &RecordBatch,
        calls: &[AggregateCall],
        ctx: &ExecContext,
    ) -> Result<()> {
        for (acc, call) in self.accumulators.iter_mut().zip(calls) {
            let args: Vec<ArrayRef> = call
                .args
                .iter()
                .map(|a| evaluate(a, batch, ctx))
                .collect::<Result<_>>()?;
            let filter = call
                .filter
                .as_ref()
                .map(|f| evaluate_predicate(f, batch, ctx))
                .transpose()?;
            acc.update(&self.group_ids, self.num_groups, &args, filter.as_ref())?;
        }
        Ok(())
    }

    /// Folds a later partition's table in.
    pub fn merge(&mut self, other: GroupTable) -> Result<()> {
        let width = self.width;
        self.reserve(other.num_groups);
        for (mine, theirs) in self.coders.iter_mut().zip(&other.coders) {
            mine.reserve_for(theirs);
        }
        let mut mapping = Vec::with_capacity(other.num_groups);
        if width == 2 {
            // One key: found through `direct` as `update` does, no hashing.
            for g in 0..other.num_groups {
                let (code, null) = (other.arena[g * 2], other.arena[g * 2 + 1] != 0);
                let code = match null {
                    true => 0,
                    false => self.coders[0].translate(&other.coders[0], code),
                };
                mapping.push(self.group_of_single(code, null));
            }
            return self.merge_accumulators(other, &mapping);
        }
        let mut key = vec![0u64; width];
        for g in 0..other.num_groups {
            let theirs = &other.arena[g * width..(g + 1) * width];
            let null_flags = theirs[width - 1];
            for k in 0..width - 1 {
                key[k] = if null_flags & (1 << k) != 0 {
                    0
                } else {
                    self.coders[k].translate(&other.coders[k], theirs[k])
                };
            }
            key[width - 1] = null_flags;
            mapping.push(self.group_of(&key));
        }
        self.merge_accumulators(other, &mapping)
    }

    /// Folds `other`'s aggregate states in, its group `g` into `mapping[g]`.
    fn merge_accumulators(&mut self, other: GroupTable, mapping: &[u32]) -> Result<()> {
        for (mine, theirs) in self.accumulators.iter_mut().zip(other.accumulators) {
            mine.merge(theirs, mapping, self.num_groups)?;
        }
        Ok(())
    }

    /// The result batch, keeping the key part of the table for a second pass.
    /// Only the columns in `needed` are computed; the others are nulls.
    pub fn finish_keep_keys(&mut self, schema: &Schema, needed: &[bool]) -> Result<RecordBatch> {
        let accumulators = std::mem::take(&mut self.accumulators);
        let n = self.num_groups;
        let nkeys = self.coders.len();
        let mut columns: Vec<ArrayRef> = Vec::with_capacity(schema.len());
        for k in 0..nkeys {
            columns.push(if needed.get(k).copied().unwrap_or(true) {
                self.key_column(k)
            } else {
                arrow::array::new_null_array(&schema.columns[k].ty.arrow_type(), n)
            });
        }
        for acc in accumulators {
            columns.push(acc.finish(n)?);
        }
        crate::ops::batch_with_schema(schema, columns, n)
    }

    /// The result rows of only the groups where `having` holds. The columns
    /// `having` reads are finished first for every group; the others only for
    /// the groups kept (an aggregate's output can cost far more than its state).
    pub fn finish_where(
        mut self,
        schema: &Schema,
        having: &BoundExpr,
        ctx: &ExecContext,
    ) -> Result<RecordBatch> {
        let n = self.num_groups;
        let nkeys = self.coders.len();
        let mut needed = vec![false; schema.len()];
        having.visit_columns(&mut |i| {
            if let Some(slot) = needed.get_mut(i) {
                *slot = true;
            }
        });
        let mut accumulators: Vec<Option<Box<dyn Accumulator>>> =
            std::mem::take(&mut self.accumulators)
                .into_iter()
                .map(Some)
                .collect();
        // A set the condition reads only as `array_length(set)` is read as
        // its size: printing 150,000 sets to count them is the slow part.
        let length_only = crate::ops::having::length_only(having, nkeys, accumulators.len());
        let mut sizes: Vec<Option<ArrayRef>> = accumulators
            .iter_mut()
            .zip(length_only)
            .map(|(acc, only)| match (acc, only) {
                (Some(acc), true) => acc.set_sizes(n),
                _ => None,
            })
            .collect();
        let sized: Vec<bool> = sizes.iter().map(Option::is_some).collect();
        let having = crate::ops::having::with_set_sizes(having, nkeys, &sized);
        let mut take_accumulator = |a: usize| {
            accumulators
                .get_mut(a)
                .and_then(Option::take)
                .ok_or_else(|| ExecError::internal("finish_where", "no such aggregate"))
        };
        // The columns `having` reads, for every group.
        let mut probe = Vec::with_capacity(schema.len());
        let mut probe_columns = schema.columns.clone();
        for (i, column) in schema.columns.iter().enumerate() {
            probe.push(match (needed[i], i.checked_sub(nkeys)) {
                (false, _) => arrow::array::new_null_array(&column.ty.arrow_type(), n),
                (true, None) => self.key_column(i),
                (true, Some(a)) if sized[a] => {
                    probe_columns[i].ty = iishunt_plan::types::KType::Long;
                    match sizes[a].take() {
                        Some(sizes) => sizes,
                        None => return Err(ExecError::internal("finish_where", "no set sizes")),
                    }
                }
                (true, Some(a)) => take_accumulator(a)?.finish(n)?,
            });
        }
        let probe_schema = Schema::new(probe_columns);
        let probe_batch = crate::ops::batch_with_schema(&probe_schema, probe.clone(), n)?;
        let keep = evaluate_predicate(&having, &plain_batch(&probe_batch)?, ctx)?;
        let kept: Vec<u32> = (0..n as u32)
            .filter(|&g| keep.is_valid(g as usize) && keep.value(g as usize))
            .collect();
        let indices = UInt32Array::from(kept.clone());
        // Every column, for the groups kept.
        let mut columns = Vec::with_capacity(schema.len());
        for (i, all) in probe.into_iter().enumerate() {
            let agg = i.checked_sub(nkeys);
            columns.push(match (needed[i], agg) {
                (true, Some(a)) if sized[a] => take_accumulator(a)?.finish_groups(n, &kept)?,
                (true, _) => arrow::compute::take(&all, &indices, None)?,
                (false, None) => self.key_column_of(i, kept.iter().map(|&g| g as usize)),
                (false, Some(a)) => take_accumulator(a)?.finish_groups(n, &kept)?,
            });
        }
        crate::ops::batch_with_schema(schema, columns, kept.len())
    }

    /// Room for `rows` more groups without growing (an upper bound: capped).
    pub fn reserve(&mut self, rows: usize) {
        let rows = rows.min(1 << 20);
        self.arena.reserve(rows * self.width);
        self.hashes.reserve(rows);
        let hashes = &self.hashes;
        self.table.reserve(rows, |&g| hashes[g as usize]);
    }

    /// The key columns of the groups, as the engine's arrays (for ranges and output).
    pub fn key_arrays(&self) -> Vec<ArrayRef> {
        self.key_columns()
    }

    /// The table without its accumulators.
    pub fn into_keys(mut self) -> GroupTable {
        self.accumulators.clear();
        self
    }

    fn key_columns(&self) -> Vec<ArrayRef> {
        (0..self.coders.len()).map(|k| self.key_column(k)).collect()
    }

    fn key_column(&self, k: usize) -> ArrayRef {
        self.key_column_of(k, 0..self.num_groups)
    }

    /// Key column `k` for the given groups, in that order.
    fn key_column_of(&self, k: usize, groups: impl Iterator<Item = usize>) -> ArrayRef {
        let width = self.width;
        let arena = &self.arena;
        self.coders[k].decode(groups.map(|g| {
            let row = &arena[g * width..(g + 1) * width];
            (row[width - 1] & (1 << k) == 0).then_some(row[k])
        }))
    }

    /// The result: key columns then aggregate columns, one row per group.
    /// Without keys there is always exactly one row (`count()` of nothing is 0).
    pub fn finish(mut self, schema: &Schema) -> Result<RecordBatch> {
        if self.width == 1 && self.num_groups == 0 {
            self.group_of(&[0]);
        }
        let n = self.num_groups;
        let mut columns = self.key_columns();
        for acc in self.accumulators {
            columns.push(acc.finish(n)?);
        }
        crate::ops::batch_with_schema(schema, columns, n)
    }
}

impl GroupTable {
    /// Only the keys of the groups where `keep` is true, without aggregates:
    /// the set a second pass probes.
    pub fn retain_keys(self, keep: &BooleanArray) -> GroupTable {
        let width = self.width;
        let mut kept = GroupTable {
            coders: self.coders,
            width,
            arena: Vec::new(),
            hashes: Vec::new(),
            direct: Vec::new(),
            ids: Vec::new(),
            last_dictionary: None,
            table: HashTable::new(),
            accumulators: Vec::new(),
            num_groups: 0,
            row_keys: Vec::new(),
            group_ids: Vec::new(),
            codes: Vec::new(),
            nulls: Vec::new(),
        };
        for g in 0..self.num_groups {
            if keep.is_valid(g) && keep.value(g) {
                let key = &self.arena[g * width..(g + 1) * width];
                match width {
                    2 => kept.group_of_single(key[0], key[1] != 0),
                    _ => kept.group_of(key),
                };
            }
        }
        kept
    }

    /// For each row of `batch`: is its key one of this table's groups?
    pub fn probe(
        &self,
        batch: &RecordBatch,
        keys: &[BoundExpr],
        ctx: &ExecContext,
    ) -> Result<BooleanArray> {
        if let ([key], [ValueCoder::Strings { interner, .. }]) = (keys, &self.coders[..]) {
            let array = evaluate(key, batch, ctx)?;
            if let Some(dict) = array.as_dictionary_opt::<Int32Type>() {
                if let Some(values) = dict.values().as_string_opt::<i32>() {
                    return Ok(self.probe_dictionary(interner, dict.keys(), values));
                }
            }
        }
        if let ([key], [ValueCoder::Bits { .. }]) = (keys, &self.coders[..]) {
            return self.probe_bits(key, batch, ctx);
        }
        Ok(self
            .probe_groups(batch, keys, ctx)?
            .into_iter()
            .map(|g| Some(g.is_some()))
            .collect())
    }

    /// `probe` of one non-string key: small values (`join … on
    /// csUserAgent_size` probes 5M rows) are one index into `direct`, other
    /// values one hash lookup each.
    fn probe_bits(
        &self,
        key: &BoundExpr,
        batch: &RecordBatch,
        ctx: &ExecContext,
    ) -> Result<BooleanArray> {
        let array = evaluate(key, batch, ctx)?;
        let rows = array.len();
        let (mut codes, mut nulls, mut unseen) = (Vec::new(), Vec::new(), vec![false; rows]);
        self.coders[0].encode_lookup(&array, &mut codes, &mut nulls, &mut unseen)?;
        let null_member = self.find(&[0, 1]).is_some();
        let bits: Vec<bool> = (0..rows)
            .map(|r| match nulls[r] {
                true => null_member,
                false => self.find_single(codes[r], false).is_some(),
            })
            .collect();
        Ok(BooleanArray::from(bits))
    }

    /// `probe` of one dictionary-encoded string key: each distinct value a
    /// row uses is looked up once, then each row is one index (the join key
    /// set a 5M-row scan is filtered by costs a lookup per distinct client).
    fn probe_dictionary(
        &self,
        interner: &Interner,
        keys: &arrow::array::Int32Array,
        values: &StringArray,
    ) -> BooleanArray {
        const UNKNOWN: u8 = 2;
        let null_member = self.find(&[0, 1]).is_some();
        let mut member = vec![UNKNOWN; values.len()];
        let mut of_value = |k: usize| -> bool {
            match member.get(k).copied() {
                Some(UNKNOWN) => {
                    let yes = match values.is_null(k) {
                        true => null_member,
                        false => interner
                            .lookup(values.value(k))
                            .is_some_and(|id| self.find_single(id as u64, false).is_some()),
                    };
                    member[k] = yes as u8;
                    yes
                }
                Some(known) => known == 1,
                None => false,
            }
        };
        let bits: Vec<bool> = (0..keys.len())
            .map(|r| match keys.is_null(r) {
                true => null_member,
                false => of_value(keys.value(r) as usize),
            })
            .collect();
        BooleanArray::from(bits)
    }

    /// For each row of `batch`: the group its key is, if it is one of this
    /// table's groups (never adds a group).
    pub fn probe_groups(
        &self,
        batch: &RecordBatch,
        keys: &[BoundExpr],
        ctx: &ExecContext,
    ) -> Result<Vec<Option<u32>>> {
        let rows = batch.num_rows();
        let width = self.width;
        let mut row_keys = vec![0u64; rows * width];
        let mut unseen = vec![false; rows];
        let (mut codes, mut nulls) = (Vec::new(), Vec::new());
        for (k, key) in keys.iter().enumerate() {
            let array = evaluate(key, batch, ctx)?;
            self.coders[k].encode_lookup(&array, &mut codes, &mut nulls, &mut unseen)?;
            for r in 0..rows {
                if nulls[r] {
                    row_keys[r * width + width - 1] |= 1 << k;
                } else {
                    row_keys[r * width + k] = codes[r];
                }
            }
        }
        Ok((0..rows)
            .map(|r| match (unseen[r], width) {
                (true, _) => None,
                (false, 2) => self.find_single(row_keys[r * 2], row_keys[r * 2 + 1] != 0),
                (false, _) => self.find(&row_keys[r * width..(r + 1) * width]),
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow::array::{DictionaryArray, Int32Array, Int64Array};
    use arrow::util::display::array_value_to_string;
    use iishunt_plan::functions::aggregate::lookup_aggregate;
    use iishunt_plan::schema::Column;
    use iishunt_plan::types::KType;

    use super::*;

    /// A small deterministic generator (no dependency for a test's noise).
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self, below: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 33) % below
        }
    }

    fn count() -> AggregateCall {
        AggregateCall {
            func: lookup_aggregate("count").expect("count is registered"),
            args: vec![],
            filter: None,
            ty: KType::Long,
        }
    }

    fn column(index: usize, ty: KType) -> BoundExpr {
        BoundExpr::Column {
            index,
            name: format!("k{index}"),
            ty,
        }
    }

    /// `(key cells, count)` per group, in output order, from a finished table.
    fn rows(table: GroupTable, keys: &[BoundExpr]) -> Vec<(Vec<String>, i64)> {
        let mut columns: Vec<Column> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| Column {
                name: format!("k{i}"),
                ty: k.ty(),
            })
            .collect();
        columns.push(Column {
            name: "n".into(),
            ty: KType::Long,
        });
        let batch = plain_batch(&table.finish(&Schema::new(columns)).expect("finish"))
            .expect("plain batch");
        let n = batch.num_columns() - 1;
        let counts = batch
            .column(n)
            .as_primitive::<arrow::datatypes::Int64Type>();
        (0..batch.num_rows())
            .map(|r| {
                let cells = (0..n)
                    .map(|c| match batch.column(c).is_null(r) {
                        true => "<null>".to_string(),
                        false => array_value_to_string(batch.column(c), r).expect("cell"),
                    })
                    .collect();
                (cells, counts.value(r))
            })
            .collect()
    }

    /// The groups worked out without the engine: first appearance, counts.
    fn expected(batches: &[RecordBatch], nkeys: usize) -> Vec<(Vec<String>, i64)> {
        let mut out: Vec<(Vec<String>, i64)> = Vec::new();
        let mut at = std::collections::HashMap::new();
        for b in batches {
            let b = plain_batch(b).expect("plain batch");
            for r in 0..b.num_rows() {
                let cells: Vec<String> = (0..nkeys)
                    .map(|c| match b.column(c).is_null(r) {
                        true => "<null>".to_string(),
                        false => array_value_to_string(b.column(c), r).expect("cell"),
                    })
                    .collect();
                let i = *at.entry(cells.clone()).or_insert_with(|| {
                    out.push((cells, 0));
                    out.len() - 1
                });
                out[i].1 += 1;
            }
        }
        out
    }

    /// Four chunk tables merged as `merge_in_order` does, ((0+1)+(2+3)),
    /// give the groups a single pass over all rows gives.
    fn check_merge(batches: Vec<RecordBatch>, keys: &[BoundExpr]) {
        let ctx = ExecContext::default();
        let calls = [count()];
        let mut tables: Vec<GroupTable> = batches
            .chunks(batches.len().div_ceil(4))
            .map(|chunk| {
                let mut t = GroupTable::new(keys, &calls).expect("table");
                for b in chunk {
                    t.update(b, keys, &calls, &ctx).expect("update");
                }
                t
            })
            .collect();
        assert_eq!(tables.len(), 4);
        let (t3, t2) = (tables.pop().unwrap(), tables.pop().unwrap());
        let (t1, mut t0) = (tables.pop().unwrap(), tables.pop().unwrap());
        let mut right = t2;
        right.merge(t3).expect("merge");
        t0.merge(t1).expect("merge");
        t0.merge(right).expect("merge");
        let want = expected(&batches, keys.len());
        assert!(want.len() > 100, "the rows make many groups");
        assert_eq!(rows(t0, keys), want);
    }

    fn batch(columns: Vec<ArrayRef>) -> RecordBatch {
        RecordBatch::try_from_iter(
            columns
                .into_iter()
                .enumerate()
                .map(|(i, c)| (format!("k{i}"), c)),
        )
        .expect("batch")
    }

    fn strings(rng: &mut Lcg, rows: usize, distinct: u64) -> StringArray {
        (0..rows)
            .map(|_| match rng.next(distinct + 1) {
                0 => None,
                v => Some(format!("10.0.{}.{}", v / 256, v % 256)),
            })
            .collect()
    }

    #[test]
    fn merged_string_groups_keep_first_appearance_and_counts() {
        let mut rng = Lcg(1);
        let batches = (0..8)
            .map(|_| batch(vec![Arc::new(strings(&mut rng, 500, 700))]))
            .collect();
        check_merge(batches, &[column(0, KType::String)]);
    }

    #[test]
    fn merged_dictionary_groups_keep_first_appearance_and_counts() {
        let mut rng = Lcg(2);
        let batches = (0..8)
            .map(|_| {
                let values: StringArray = (0..300).map(|v| Some(format!("ip{v}"))).collect();
                let keys: Int32Array = (0..400).map(|_| rng.next(300) as i32).collect();
                let dict = DictionaryArray::<Int32Type>::try_new(keys, Arc::new(values))
                    .expect("dictionary");
                batch(vec![Arc::new(dict)])
            })
            .collect();
        check_merge(batches, &[column(0, KType::String)]);
    }

    #[test]
    fn merged_number_groups_small_and_large_keep_first_appearance() {
        let mut rng = Lcg(3);
        let batches = (0..8)
            .map(|_| {
                let values: Int64Array = (0..500)
                    .map(|_| match rng.next(10) {
                        0 => None,
                        1..=4 => Some(rng.next(400) as i64),
                        5..=7 => Some((1 << 40) + rng.next(300) as i64),
                        _ => Some(-(rng.next(200) as i64)),
                    })
                    .collect();
                batch(vec![Arc::new(values)])
            })
            .collect();
        check_merge(batches, &[column(0, KType::Long)]);
    }

    #[test]
    fn merged_two_key_groups_keep_first_appearance() {
        let mut rng = Lcg(4);
        let batches = (0..8)
            .map(|_| {
                let ports: Int64Array = (0..500)
                    .map(|_| (rng.next(8) != 0).then(|| rng.next(5) as i64))
                    .collect();
                batch(vec![Arc::new(strings(&mut rng, 500, 60)), Arc::new(ports)])
            })
            .collect();
        check_merge(batches, &[column(0, KType::String), column(1, KType::Long)]);
    }

    /// `probe`, `probe_groups` and a `retain_keys` table answer membership
    /// as a set of the keys seen (worked out apart) does.
    #[test]
    fn probes_find_exactly_the_groups() {
        let ctx = ExecContext::default();
        let keys = [column(0, KType::Long)];
        let seen: Int64Array = vec![Some(3), Some(70_000), None, Some(-5), Some(3), Some(12)]
            .into_iter()
            .collect();
        let mut table = GroupTable::new(&keys, &[]).expect("table");
        table
            .update(&batch(vec![Arc::new(seen)]), &keys, &[], &ctx)
            .expect("update");
        let probe: Int64Array = vec![
            Some(3),
            Some(4),
            None,
            Some(70_000),
            Some(70_001),
            Some(-5),
            Some(12),
        ]
        .into_iter()
        .collect();
        let probe = batch(vec![Arc::new(probe)]);
        let members = table.probe(&probe, &keys, &ctx).expect("probe");
        let want = [true, false, true, true, false, true, true];
        assert_eq!(members.iter().map(|b| b.unwrap()).collect::<Vec<_>>(), want);
        let groups = table
            .probe_groups(&probe, &keys, &ctx)
            .expect("probe groups");
        assert_eq!(
            groups,
            [Some(0), None, Some(2), Some(1), None, Some(3), Some(4)]
        );
        // Keep 70000 and null only: the others are no longer members.
        let kept = table
            .into_keys()
            .retain_keys(&BooleanArray::from(vec![false, true, true, false, false]));
        let members = kept.probe(&probe, &keys, &ctx).expect("probe");
        let want = [false, false, true, true, false, false, false];
        assert_eq!(members.iter().map(|b| b.unwrap()).collect::<Vec<_>>(), want);

        let keys = [column(0, KType::String)];
        let seen: StringArray = vec![Some("a"), Some("b"), None, Some("a")]
            .into_iter()
            .collect();
        let mut table = GroupTable::new(&keys, &[]).expect("table");
        table
            .update(&batch(vec![Arc::new(seen)]), &keys, &[], &ctx)
            .expect("update");
        let kept = table
            .into_keys()
            .retain_keys(&BooleanArray::from(vec![false, true, false]));
        let probe: StringArray = vec![Some("a"), Some("b"), None, Some("c")]
            .into_iter()
            .collect();
        let groups = kept
            .probe_groups(&batch(vec![Arc::new(probe)]), &keys, &ctx)
            .expect("probe groups");
        assert_eq!(groups, [None, Some(0), None, None]);
    }
}
