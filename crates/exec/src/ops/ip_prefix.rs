//! The build side of `evaluate ipv4_lookup` / `ipv6_lookup`: rows of a lookup
//! table keyed by the network they cover (`10.0.0.0/8`, `2001:db8::/48`, or
//! one address) plus any extra equality keys. An address finds its rows by
//! trying each prefix length the table uses, most specific first: at most 33
//! (IPv4) or 129 (IPv6) hash probes. IPv6 lookups read IPv4 text as its
//! IPv4-mapped address, as Kusto's IPv6 functions do.

use std::collections::HashMap;

use arrow::array::{Array, AsArray, RecordBatch};
use arrow::compute::cast;
use arrow::datatypes::DataType;
use arrow::row::Rows;
use iishunt_plan::logical::IpFamily;

use crate::error::Result;
use crate::functions::{ipv4_mask, parse_v4, parse_v6};

pub struct PrefixIndex {
    family: IpFamily,
    /// Prefix lengths present, longest first.
    lengths: Vec<u32>,
    /// [`key`] bytes → rows.
    table: HashMap<Vec<u8>, Vec<u32>>,
}

/// A table key: prefix length, network, then the extra keys' row bytes.
fn key(out: &mut Vec<u8>, len: u32, network: u128, extra: &[u8]) {
    out.clear();
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&network.to_le_bytes());
    out.extend_from_slice(extra);
}

/// `address` of `family` as bits and its prefix length; `None` if not one.
fn parse(family: IpFamily, address: &str) -> Option<(u128, u32)> {
    match family {
        IpFamily::V4 => parse_v4(address).map(|(ip, len)| (u128::from(ip), len)),
        IpFamily::V6 => parse_v6(address),
    }
}

/// The network of `ip` under a prefix of `len` bits.
fn network(family: IpFamily, ip: u128, len: u32) -> u128 {
    match family {
        IpFamily::V4 => ip & u128::from(ipv4_mask(len)),
        IpFamily::V6 if len == 0 => 0,
        IpFamily::V6 => ip & (u128::MAX << (128 - len.min(128))),
    }
}

impl PrefixIndex {
    /// Indexes `rows` by the network in column `network` (rows whose value is
    /// not an address or network of `family` are left out) and their `extra` keys.
    pub fn build(
        rows: &RecordBatch,
        column: usize,
        extra: Option<&Rows>,
        family: IpFamily,
    ) -> Result<Self> {
        let text = cast(rows.column(column), &DataType::Utf8)?;
        let text = text.as_string::<i32>();
        let mut table: HashMap<Vec<u8>, Vec<u32>> = HashMap::new();
        let mut lengths = Vec::new();
        for r in 0..rows.num_rows() {
            let Some((ip, len)) = text
                .is_valid(r)
                .then(|| parse(family, text.value(r)))
                .flatten()
            else {
                continue;
            };
            let mut k = Vec::new();
            let extra_key = extra.map_or(&[][..], |e| e.row(r).data());
            key(&mut k, len, network(family, ip, len), extra_key);
            table.entry(k).or_default().push(r as u32);
            if !lengths.contains(&len) {
                lengths.push(len);
            }
        }
        lengths.sort_unstable_by(|a, b| b.cmp(a));
        Ok(PrefixIndex {
            family,
            lengths,
            table,
        })
    }

    /// The rows whose network holds `address` (text, as in the log) and whose
    /// extra keys are `extra`, most specific network first.
    pub fn hits(&self, address: &str, extra: &[u8], out: &mut Vec<u32>) {
        out.clear();
        let Some((ip, _)) = parse(self.family, address) else {
            return;
        };
        let mut k = Vec::with_capacity(20 + extra.len());
        for &len in &self.lengths {
            key(&mut k, len, network(self.family, ip, len), extra);
            if let Some(rows) = self.table.get(k.as_slice()) {
                out.extend_from_slice(rows);
            }
        }
    }
}
