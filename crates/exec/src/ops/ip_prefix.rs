//! The build side of `evaluate ipv4_lookup`: rows of a lookup table keyed by
//! the IPv4 network they cover (`10.0.0.0/8`, or one address as a /32) plus
//! any extra equality keys. An address finds its rows by trying each prefix
//! length the table uses, most specific first: at most 33 hash probes.

use std::collections::HashMap;

use arrow::array::{Array, AsArray, RecordBatch};
use arrow::compute::cast;
use arrow::datatypes::DataType;
use arrow::row::Rows;

use crate::error::Result;
use crate::functions::{ipv4_mask, parse_v4};

pub struct PrefixIndex {
    /// Prefix lengths present, longest first.
    lengths: Vec<u32>,
    /// [`key`] bytes → rows.
    table: HashMap<Vec<u8>, Vec<u32>>,
}

/// A table key: prefix length, network, then the extra keys' row bytes.
fn key(out: &mut Vec<u8>, len: u32, network: u32, extra: &[u8]) {
    out.clear();
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&network.to_le_bytes());
    out.extend_from_slice(extra);
}

impl PrefixIndex {
    /// Indexes `rows` by the network in column `network` (rows whose value is
    /// not an IPv4 address or network are left out) and their `extra` keys.
    pub fn build(rows: &RecordBatch, network: usize, extra: Option<&Rows>) -> Result<Self> {
        let text = cast(rows.column(network), &DataType::Utf8)?;
        let text = text.as_string::<i32>();
        let mut table: HashMap<Vec<u8>, Vec<u32>> = HashMap::new();
        let mut lengths = Vec::new();
        for r in 0..rows.num_rows() {
            let Some((ip, len)) = text.is_valid(r).then(|| parse_v4(text.value(r))).flatten()
            else {
                continue;
            };
            let mut k = Vec::new();
            let extra_key = extra.map_or(&[][..], |e| e.row(r).data());
            key(&mut k, len, ip & ipv4_mask(len), extra_key);
            table.entry(k).or_default().push(r as u32);
            if !lengths.contains(&len) {
                lengths.push(len);
            }
        }
        lengths.sort_unstable_by(|a, b| b.cmp(a));
        Ok(PrefixIndex { lengths, table })
    }

    /// The rows whose network holds `address` (text, as in the log) and whose
    /// extra keys are `extra`, most specific network first.
    pub fn hits(&self, address: &str, extra: &[u8], out: &mut Vec<u32>) {
        out.clear();
        let Some((ip, _)) = parse_v4(address) else {
            return;
        };
        let mut k = Vec::with_capacity(8 + extra.len());
        for &len in &self.lengths {
            key(&mut k, len, ip & ipv4_mask(len), extra);
            if let Some(rows) = self.table.get(k.as_slice()) {
                out.extend_from_slice(rows);
            }
        }
    }
}
