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
    table: HashMap<(u32, u32, Vec<u8>), Vec<u32>>,
}

impl PrefixIndex {
    /// Indexes `rows` by the network in column `network` (rows whose value is
    /// not an IPv4 address or network are left out) and their `extra` keys.
    pub fn build(rows: &RecordBatch, network: usize, extra: Option<&Rows>) -> Result<Self> {
        let text = cast(rows.column(network), &DataType::Utf8)?;
        let text = text.as_string::<i32>();
        let mut table: HashMap<(u32, u32, Vec<u8>), Vec<u32>> = HashMap::new();
        let mut lengths = Vec::new();
        for r in 0..rows.num_rows() {
            let Some((ip, len)) = text.is_valid(r).then(|| parse_v4(text.value(r))).flatten()
            else {
                continue;
            };
            let extra = extra
                .map(|e| e.row(r).as_ref().to_vec())
                .unwrap_or_default();
            table
                .entry((len, ip & ipv4_mask(len), extra))
                .or_default()
                .push(r as u32);
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
        for &len in &self.lengths {
            if let Some(rows) = self.table.get(&(len, ip & ipv4_mask(len), extra.to_vec())) {
                out.extend_from_slice(rows);
            }
        }
    }
}
