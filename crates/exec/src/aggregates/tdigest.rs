//! t-digests (Dunning's merging digest): `tdigest(x [, w])` builds one per
//! group, `tdigest_merge(d)` folds digests, and the scalar functions
//! `percentile_tdigest`, `percentiles_array_tdigest`, `rank_tdigest` and
//! `merge_tdigest` (functions/sketch.rs) read them. The same weighted
//! centroids, never compressed, compute the exact weighted percentiles
//! `percentilew`, `percentilesw_array` and `percentiles_array`.
//!
//! A digest keeps every distinct value with its total weight until it holds
//! `EXACT_LIMIT` of them, so percentiles of small groups are exact (nearest
//! rank: the smallest value with at least p% of the weight at or below it, as
//! `percentile` computes it); past that, neighbouring centroids are merged
//! under the arcsine scale function with compression `COMPRESSION`.
//!
//! A digest is a dynamic value in iishunt's own format, not Kusto's:
//! `{"tdigest":{"compression":200,"centroids":[[mean,weight],…]}}`.

use std::any::Any;
use std::f64::consts::PI;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, BooleanArray, Float64Array, StringBuilder};
use arrow::compute::cast;
use arrow::datatypes::{DataType, Float64Type};
use iishunt_plan::types::KType;
use serde_json::{json, Value};

use super::numeric::as_f64;
use super::{downcast, grow, merge_sketches, selected, Accumulator};
use crate::error::Result;

/// Distinct values a digest holds exactly before it compresses.
const EXACT_LIMIT: usize = 2048;
/// The arcsine scale's δ: a compressed digest keeps about δ centroids.
const COMPRESSION: f64 = 200.0;

#[derive(Clone, Debug, Default)]
pub struct TDigest {
    /// (mean, weight), sorted by mean, distinct means (once compacted).
    centroids: Vec<(f64, f64)>,
    /// Points added since the last compaction.
    buffer: Vec<(f64, f64)>,
    /// `false`: never compress (the exact weighted percentiles).
    bounded: bool,
}

impl TDigest {
    /// A digest that compresses past `EXACT_LIMIT` distinct values.
    pub fn new() -> TDigest {
        TDigest {
            bounded: true,
            ..TDigest::default()
        }
    }

    /// Weighted values kept exactly, however many.
    pub fn exact() -> TDigest {
        TDigest::default()
    }

    /// Adds `x` with weight `w`; non-finite values and weights ≤ 0 are left out.
    pub fn insert(&mut self, x: f64, w: f64) {
        if !x.is_finite() || !w.is_finite() || w <= 0.0 {
            return;
        }
        self.buffer.push((x, w));
        if self.buffer.len() > EXACT_LIMIT.max(self.centroids.len()) {
            self.compact();
        }
    }

    pub fn merge(&mut self, other: &TDigest) {
        self.buffer.extend_from_slice(&other.centroids);
        self.buffer.extend_from_slice(&other.buffer);
        self.compact();
    }

    fn compact(&mut self) {
        if self.buffer.is_empty() {
            return;
        }
        let mut all = std::mem::take(&mut self.centroids);
        all.append(&mut self.buffer);
        all.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut out: Vec<(f64, f64)> = Vec::with_capacity(all.len());
        for (m, w) in all {
            match out.last_mut() {
                Some(last) if last.0 == m => last.1 += w,
                _ => out.push((m, w)),
            }
        }
        if self.bounded && out.len() > EXACT_LIMIT {
            out = compress(&out);
        }
        self.centroids = out;
    }

    fn total(&self) -> f64 {
        self.centroids.iter().map(|c| c.1).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.centroids.is_empty() && self.buffer.is_empty()
    }

    /// The nearest-rank value at percentile `p` (0–100).
    pub fn percentile(&mut self, p: f64) -> Option<f64> {
        self.compact();
        let total = self.total();
        let first = self.centroids.first()?.0;
        if !p.is_finite() {
            return None;
        }
        let target = p.clamp(0.0, 100.0) / 100.0 * total;
        // Rounding in p/100 * total must not skip the value exactly at the rank.
        let target = target - total * 1e-12;
        if target <= 0.0 {
            return Some(first);
        }
        let mut seen = 0.0;
        for &(m, w) in &self.centroids {
            seen += w;
            if seen >= target {
                return Some(m);
            }
        }
        self.centroids.last().map(|c| c.0)
    }

    /// The weight of the values at or below `x`.
    pub fn rank(&mut self, x: f64) -> f64 {
        self.compact();
        self.centroids
            .iter()
            .take_while(|c| c.0 <= x)
            .map(|c| c.1)
            .sum()
    }

    pub fn memory_bytes(&self) -> usize {
        (self.centroids.capacity() + self.buffer.capacity()) * 16
    }

    pub fn to_json(&mut self) -> Value {
        self.compact();
        let centroids: Vec<Value> = self.centroids.iter().map(|&(m, w)| json!([m, w])).collect();
        json!({"tdigest": {"compression": COMPRESSION, "centroids": centroids}})
    }

    /// A digest written by `to_json`; `None` for any other value.
    pub fn from_json(v: &Value) -> Option<TDigest> {
        let list = v.get("tdigest")?.get("centroids")?.as_array()?;
        let mut d = TDigest::new();
        for c in list {
            let pair = c.as_array()?;
            let (m, w) = (pair.first()?.as_f64()?, pair.get(1)?.as_f64()?);
            d.buffer.push((m, w));
        }
        d.buffer
            .retain(|&(m, w)| m.is_finite() && w.is_finite() && w > 0.0);
        d.compact();
        Some(d)
    }

    pub fn from_text(text: &str) -> Option<TDigest> {
        TDigest::from_json(&serde_json::from_str(text).ok()?)
    }
}

/// Merges neighbouring centroids while the run stays within one unit of
/// k(q) = δ/2π · asin(2q − 1): small centroids at the tails, larger ones in the middle.
fn compress(sorted: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let total: f64 = sorted.iter().map(|c| c.1).sum();
    let k = |q: f64| COMPRESSION / (2.0 * PI) * (2.0 * q - 1.0).clamp(-1.0, 1.0).asin();
    let k_inv = |k: f64| {
        ((k * 2.0 * PI / COMPRESSION)
            .clamp(-PI / 2.0, PI / 2.0)
            .sin()
            + 1.0)
            / 2.0
    };
    let mut out = Vec::new();
    let Some(&first) = sorted.first() else {
        return out;
    };
    let mut cur = first;
    let mut before = 0.0;
    let mut limit = k_inv(k(0.0) + 1.0);
    for &(m, w) in &sorted[1..] {
        if (before + cur.1 + w) / total <= limit {
            let sum = cur.1 + w;
            cur = (cur.0 + (m - cur.0) * w / sum, sum);
        } else {
            before += cur.1;
            out.push(cur);
            limit = k_inv(k(before / total) + 1.0);
            cur = (m, w);
        }
    }
    out.push(cur);
    out
}

/// What an accumulator gives per group.
#[derive(Clone, PartialEq)]
pub enum Output {
    /// `tdigest(x [, w])` / `tdigest_merge(d)`: the digest.
    Digest,
    /// `percentilew(x, w, p)`, `percentile`'s weighted twin: one value of `ty`.
    Percentile(f64),
    /// `percentilesw_array`, `percentiles_array`: a dynamic array.
    Array(Vec<f64>),
}

/// The arguments an accumulator reads.
#[derive(Clone, Copy, PartialEq)]
pub enum Input {
    /// (x) or (x, weight).
    Values { weighted: bool },
    /// Digests to fold (`tdigest_merge`).
    Digests,
}

pub struct TDigestAcc {
    input: Input,
    output: Output,
    /// The type of x (percentiles are given back in it).
    ty: KType,
    groups: Vec<Option<TDigest>>,
}

impl TDigestAcc {
    pub fn new(input: Input, output: Output, ty: KType) -> Self {
        TDigestAcc {
            input,
            output,
            ty,
            groups: Vec::new(),
        }
    }

    fn fresh(&self) -> TDigest {
        match self.output {
            Output::Digest => TDigest::new(),
            _ => TDigest::exact(),
        }
    }
}

impl Accumulator for TDigestAcc {
    fn update(
        &mut self,
        groups: &[u32],
        num_groups: usize,
        args: &[ArrayRef],
        filter: Option<&BooleanArray>,
    ) -> Result<()> {
        grow(&mut self.groups, num_groups, None);
        let Some(arg) = args.first() else {
            return Ok(());
        };
        if self.input == Input::Digests {
            let text = cast(arg, &DataType::Utf8)?;
            let text = text.as_string::<i32>();
            for (i, &g) in groups.iter().enumerate() {
                if text.is_null(i) || !selected(filter, i) {
                    continue;
                }
                if let Some(d) = TDigest::from_text(text.value(i)) {
                    let slot = &mut self.groups[g as usize];
                    match slot {
                        Some(s) => s.merge(&d),
                        None => *slot = Some(d),
                    }
                }
            }
            return Ok(());
        }
        let x = as_f64(arg)?;
        let x = x.as_primitive::<Float64Type>();
        let w = match (self.input, args.get(1)) {
            (Input::Values { weighted: true }, Some(w)) => Some(as_f64(w)?),
            _ => None,
        };
        let w = w.as_ref().map(|w| w.as_primitive::<Float64Type>());
        for (i, &g) in groups.iter().enumerate() {
            if x.is_null(i) || !selected(filter, i) {
                continue;
            }
            let weight = match w {
                Some(w) if w.is_null(i) => continue,
                Some(w) => w.value(i),
                None => 1.0,
            };
            let fresh = self.fresh();
            self.groups[g as usize]
                .get_or_insert(fresh)
                .insert(x.value(i), weight);
        }
        Ok(())
    }

    fn merge(
        &mut self,
        other: Box<dyn Accumulator>,
        mapping: &[u32],
        num_groups: usize,
    ) -> Result<()> {
        let other = downcast::<TDigestAcc>(other)?;
        grow(&mut self.groups, num_groups, None);
        merge_sketches(&mut self.groups, other.groups, mapping, |s, o| s.merge(o));
        Ok(())
    }

    fn finish(mut self: Box<Self>, num_groups: usize) -> Result<ArrayRef> {
        grow(&mut self.groups, num_groups, None);
        match &self.output {
            Output::Digest => {
                let mut b = StringBuilder::new();
                for d in &mut self.groups {
                    match d.as_mut().filter(|d| !d.is_empty()) {
                        Some(d) => b.append_value(d.to_json().to_string()),
                        None => b.append_null(),
                    }
                }
                Ok(Arc::new(b.finish()))
            }
            Output::Percentile(p) => {
                let p = *p;
                let out: Float64Array = self
                    .groups
                    .iter_mut()
                    .map(|d| d.as_mut().and_then(|d| d.percentile(p)))
                    .collect();
                typed(Arc::new(out), self.ty)
            }
            Output::Array(ps) => {
                let integral = matches!(self.ty, KType::Int | KType::Long);
                let mut b = StringBuilder::new();
                for d in &mut self.groups {
                    let Some(d) = d.as_mut().filter(|d| !d.is_empty()) else {
                        b.append_null();
                        continue;
                    };
                    let items: Vec<Value> = ps
                        .iter()
                        .map(|&p| match d.percentile(p) {
                            Some(v) if integral => json!(v as i64),
                            Some(v) => json!(v),
                            None => Value::Null,
                        })
                        .collect();
                    b.append_value(Value::Array(items).to_string());
                }
                Ok(Arc::new(b.finish()))
            }
        }
    }

    fn memory_bytes(&self) -> usize {
        super::vec_bytes(&self.groups)
            + self
                .groups
                .iter()
                .flatten()
                .map(TDigest::memory_bytes)
                .sum::<usize>()
    }

    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }
}

/// Reals given back as the percentile's type (a long stays a long).
pub(crate) fn typed(array: ArrayRef, ty: KType) -> Result<ArrayRef> {
    Ok(match ty {
        KType::Real | KType::Decimal | KType::Dynamic => array,
        KType::DateTime | KType::TimeSpan => {
            cast(&cast(&array, &DataType::Int64)?, &ty.arrow_type())?
        }
        other => cast(&array, &other.arrow_type())?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_digests_are_exact_nearest_rank() {
        let mut d = TDigest::new();
        d.insert(1.0, 1.0);
        d.insert(2.0, 2.0);
        assert_eq!(d.percentile(50.0), Some(2.0));
        assert_eq!(d.percentile(33.0), Some(1.0));
        assert_eq!(d.percentile(0.0), Some(1.0));
        let mut e = TDigest::new();
        for x in 1..=1000 {
            e.insert(f64::from(x), 1.0);
        }
        assert_eq!(e.rank(685.0), 685.0);
        assert_eq!(e.percentile(30.0), Some(300.0));
    }

    #[test]
    fn large_digests_compress_and_stay_close() {
        let mut d = TDigest::new();
        for x in 0..100_000 {
            d.insert(f64::from(x), 1.0);
        }
        d.compact();
        assert!(d.centroids.len() <= EXACT_LIMIT, "{}", d.centroids.len());
        assert!(compress(&d.centroids).len() < 400);
        for p in [1.0, 50.0, 99.0] {
            let got = d.percentile(p).unwrap();
            assert!((got - p * 1000.0).abs() < 500.0, "p{p}: {got}");
        }
        let back = TDigest::from_json(&d.to_json()).unwrap();
        assert_eq!(back.centroids, d.centroids);
    }

    #[test]
    fn non_digests_are_refused() {
        assert!(TDigest::from_text("[1]").is_none());
        assert!(TDigest::from_text("{\"tdigest\":{\"centroids\":[[1]]}}").is_none());
    }
}
