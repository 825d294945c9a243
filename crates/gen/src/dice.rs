//! Dice: the one seeded random source every generator draws from, with the
//! few shapes of choice traffic needs (uniform, weighted, a chance, a
//! geometric count). XorShift from `rand_xorshift` because its stream is
//! fixed by its algorithm, so a seed gives the same logs on every machine
//! and every release.

use rand::{RngExt, SeedableRng};
use rand_xorshift::XorShiftRng;

/// A seeded random source.
pub struct Dice {
    rng: XorShiftRng,
}

impl Dice {
    pub fn new(seed: u64) -> Dice {
        Dice {
            rng: XorShiftRng::seed_from_u64(seed),
        }
    }

    /// A uniform integer in `lo..hi` (`lo` when the range is empty).
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        self.rng.random_range(lo..hi)
    }

    /// A uniform real in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        self.rng.random::<f64>()
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One item, uniformly.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.range(0, items.len() as u64) as usize]
    }

    /// One item by integer weight.
    pub fn weighted<'a, T>(&mut self, items: &'a [(T, u32)]) -> &'a T {
        let total: u64 = items.iter().map(|(_, w)| u64::from(*w)).sum();
        let mut roll = self.range(0, total.max(1));
        for (item, w) in items {
            let w = u64::from(*w);
            if roll < w {
                return item;
            }
            roll -= w;
        }
        &items[items.len() - 1].0
    }

    /// An index by real weight.
    pub fn weighted_index(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut roll = self.unit() * total;
        for (i, w) in weights.iter().enumerate() {
            if roll < *w {
                return i;
            }
            roll -= w;
        }
        weights.len() - 1
    }

    /// A count of at least 1 with the given mean (geometric).
    pub fn geometric(&mut self, mean: f64) -> u64 {
        let p = 1.0 / mean.max(1.0);
        let mut n = 1;
        while n < 1_000 && !self.chance(p) {
            n += 1;
        }
        n
    }

    /// A duration in ms around `mean`, long-tailed as response times are.
    pub fn latency(&mut self, mean: f64) -> u32 {
        let u = self.unit().max(1e-9);
        ((-u.ln()) * mean).round().min(120_000.0) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_stream() {
        let mut a = Dice::new(7);
        let mut b = Dice::new(7);
        let xs: Vec<u64> = (0..50).map(|_| a.range(0, 1_000)).collect();
        let ys: Vec<u64> = (0..50).map(|_| b.range(0, 1_000)).collect();
        assert_eq!(xs, ys);
        assert_ne!(
            xs,
            (0..50)
                .map(|_| Dice::new(8).range(0, 1_000))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn weights_are_respected() {
        let mut d = Dice::new(1);
        let items = [("a", 9), ("b", 1), ("never", 0)];
        let mut a = 0;
        for _ in 0..10_000 {
            match *d.weighted(&items) {
                "a" => a += 1,
                "b" => {}
                other => panic!("drew a zero-weight item {other}"),
            }
        }
        assert!((8_700..9_300).contains(&a), "{a}");
    }
}
