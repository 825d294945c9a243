//! Numbering distinct values: each distinct string (or number) gets a small id.
//!
//! Group keys and set-like aggregates work on ids instead of values. A
//! dictionary-encoded column is mapped once per batch (one lookup per distinct
//! value, not per row), which is what makes grouping by `cIP` or
//! `make_set(csUserAgent)` over millions of rows cheap.

use ahash::RandomState;
use arrow::array::{Array, ArrayRef, AsArray, DictionaryArray};
use arrow::datatypes::{DataType, Int32Type};
use hashbrown::{HashMap, HashTable};

use crate::error::{ExecError, Result};

/// The id of a null value.
pub const NULL_ID: u32 = u32::MAX;

/// Distinct strings, numbered in order of first appearance. The strings live
/// end to end in one buffer and the hash table holds only ids, so a table of
/// a hundred thousand client IPs is three growing vectors, not two hundred
/// thousand small allocations.
pub struct Interner {
    hasher: RandomState,
    table: HashTable<u32>,
    /// Every string, concatenated.
    bytes: String,
    /// Where each id's string ends in `bytes` (it starts where the previous ends).
    ends: Vec<usize>,
    /// Each id's hash, so growing the table never rehashes strings.
    hashes: Vec<u64>,
    /// The ids of the last dictionary's values ([`UNSET`] where no row used
    /// one yet). A Parquet column chunk's batches share one dictionary, so
    /// its values are interned once per row group, not once per batch.
    last_dictionary: Option<(ArrayRef, Vec<u32>)>,
}

/// A dictionary value not interned yet.
const UNSET: u32 = u32::MAX - 1;

impl Default for Interner {
    fn default() -> Self {
        Interner::new()
    }
}

impl Interner {
    /// Bytes held: the strings, their ends and hashes, the table.
    pub fn memory_bytes(&self) -> usize {
        self.bytes.capacity()
            + self.ends.capacity() * 8
            + self.hashes.capacity() * 8
            + self.table.capacity() * 5
            + self
                .last_dictionary
                .as_ref()
                .map_or(0, |(_, ids)| ids.capacity() * 4)
    }

    pub fn new() -> Self {
        Interner {
            hasher: RandomState::with_seeds(7, 11, 13, 17),
            table: HashTable::new(),
            bytes: String::new(),
            ends: Vec::new(),
            hashes: Vec::new(),
            last_dictionary: None,
        }
    }

    /// The id slots of a dictionary's values: the last dictionary's when it
    /// is the same array (held, so its address cannot be reused), else fresh.
    fn dictionary_slots(&mut self, values: &ArrayRef) -> Vec<u32> {
        match self.last_dictionary.take() {
            Some((last, ids)) if std::sync::Arc::ptr_eq(&last, values) => ids,
            _ => vec![UNSET; values.len()],
        }
    }

    #[inline]
    fn value(&self, id: u32) -> &str {
        let i = id as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.bytes[start..self.ends[i]]
    }

    pub fn intern(&mut self, s: &str) -> u32 {
        let hash = self.hasher.hash_one(s);
        self.intern_hashed(s, hash)
    }

    /// The id here of `other`'s string `id` (added when new), reusing the
    /// hash `other` kept: every interner hashes with the same seeds.
    pub fn intern_from(&mut self, other: &Interner, id: u32) -> Option<u32> {
        let s = other.get(id)?;
        Some(self.intern_hashed(s, other.hashes[id as usize]))
    }

    /// The id of `s`, whose hash is `hash`, added when new.
    fn intern_hashed(&mut self, s: &str, hash: u64) -> u32 {
        if let Some(&id) = self.table.find(hash, |&id| self.value(id) == s) {
            return id;
        }
        let id = self.ends.len() as u32;
        self.bytes.push_str(s);
        self.ends.push(self.bytes.len());
        self.hashes.push(hash);
        let hashes = &self.hashes;
        self.table
            .insert_unique(hash, id, |&other| hashes[other as usize]);
        id
    }

    /// Room for all of `other`'s strings, so merging it in never regrows.
    pub fn reserve_for(&mut self, other: &Interner) {
        self.bytes.reserve(other.bytes.len());
        self.ends.reserve(other.len());
        self.hashes.reserve(other.len());
        let hashes = &self.hashes;
        self.table.reserve(other.len(), |&id| hashes[id as usize]);
    }

    /// The id of `s` if it was seen, without adding it.
    pub fn lookup(&self, s: &str) -> Option<u32> {
        let hash = self.hasher.hash_one(s);
        self.table.find(hash, |&id| self.value(id) == s).copied()
    }

    pub fn get(&self, id: u32) -> Option<&str> {
        ((id as usize) < self.ends.len()).then(|| self.value(id))
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Ids for every row of a string array (plain or dictionary); nulls get [`NULL_ID`].
    pub fn intern_array(&mut self, array: &ArrayRef, out: &mut Vec<u32>) -> Result<()> {
        out.clear();
        out.reserve(array.len());
        match array.data_type() {
            DataType::Utf8 => {
                let strings = array.as_string::<i32>();
                for i in 0..strings.len() {
                    out.push(if strings.is_null(i) {
                        NULL_ID
                    } else {
                        self.intern(strings.value(i))
                    });
                }
            }
            DataType::Dictionary(key, value)
                if **key == DataType::Int32 && **value == DataType::Utf8 =>
            {
                let dict = array
                    .as_any()
                    .downcast_ref::<DictionaryArray<Int32Type>>()
                    .ok_or_else(|| ExecError::internal("intern_array", "dictionary downcast"))?;
                let values = dict.values().as_string::<i32>();
                // Intern only the values some row uses (a filtered batch keeps
                // its whole dictionary but may use a handful of its values).
                let mut mapped = self.dictionary_slots(dict.values());
                let keys = dict.keys();
                if keys.null_count() == 0 {
                    for &k in keys.values().iter() {
                        let slot = &mut mapped[k as usize];
                        if *slot == UNSET {
                            *slot = if values.is_null(k as usize) {
                                NULL_ID
                            } else {
                                self.intern(values.value(k as usize))
                            };
                        }
                        out.push(*slot);
                    }
                    self.last_dictionary = Some((dict.values().clone(), mapped));
                    return Ok(());
                }
                for k in keys.iter() {
                    out.push(match k {
                        None => NULL_ID,
                        Some(k) => {
                            let slot = &mut mapped[k as usize];
                            if *slot == UNSET {
                                *slot = if values.is_null(k as usize) {
                                    NULL_ID
                                } else {
                                    self.intern(values.value(k as usize))
                                };
                            }
                            *slot
                        }
                    });
                }
                self.last_dictionary = Some((dict.values().clone(), mapped));
            }
            DataType::Dictionary(_, _) => {
                let plain = arrow::compute::cast(array, &DataType::Utf8)?;
                return self.intern_array(&plain, out);
            }
            other => {
                return Err(ExecError::internal(
                    "intern_array",
                    format!("not a string array: {other}"),
                ))
            }
        }
        Ok(())
    }
}

/// Numbers (as their 64-bit pattern) numbered in order of first appearance.
#[derive(Default)]
pub struct NumberInterner {
    map: HashMap<u64, u32, RandomState>,
    pub values: Vec<u64>,
}

impl NumberInterner {
    pub fn intern(&mut self, bits: u64) -> u32 {
        if let Some(&id) = self.map.get(&bits) {
            return id;
        }
        let id = self.values.len() as u32;
        self.values.push(bits);
        self.map.insert(bits, id);
        id
    }
}
