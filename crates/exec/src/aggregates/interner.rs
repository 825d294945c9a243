//! Numbering distinct values: each distinct string (or number) gets a small id.
//!
//! Group keys and set-like aggregates work on ids instead of values. A
//! dictionary-encoded column is mapped once per batch (one lookup per distinct
//! value, not per row), which is what makes grouping by `cIP` or
//! `make_set(csUserAgent)` over millions of rows cheap.

use ahash::RandomState;
use arrow::array::{Array, ArrayRef, AsArray, DictionaryArray};
use arrow::datatypes::{DataType, Int32Type};
use hashbrown::HashMap;

use crate::error::{ExecError, Result};

/// The id of a null value.
pub const NULL_ID: u32 = u32::MAX;

/// Distinct strings, numbered in order of first appearance.
#[derive(Default)]
pub struct Interner {
    map: HashMap<Box<str>, u32, RandomState>,
    values: Vec<Box<str>>,
}

impl Interner {
    pub fn new() -> Self {
        Interner {
            map: HashMap::with_hasher(RandomState::with_seeds(7, 11, 13, 17)),
            values: Vec::new(),
        }
    }

    pub fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.map.get(s) {
            return id;
        }
        let id = self.values.len() as u32;
        self.values.push(s.into());
        self.map.insert(s.into(), id);
        id
    }

    /// The id of `s` if it was seen, without adding it.
    pub fn lookup(&self, s: &str) -> Option<u32> {
        self.map.get(s).copied()
    }

    pub fn get(&self, id: u32) -> Option<&str> {
        self.values.get(id as usize).map(|s| &**s)
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
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
                const UNSET: u32 = u32::MAX - 1;
                let mut mapped = vec![UNSET; values.len()];
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
