//! `percentile` / `median` (exact, nearest rank) and `stdev` / `variance`
//! (sample statistics with Welford's update, merged with Chan's formula).

use std::any::Any;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, BooleanArray, Float64Array};
use arrow::compute::cast;
use arrow::datatypes::{DataType, Float64Type};
use iishunt_plan::types::KType;

use super::numeric::as_f64;
use super::{downcast, grow, selected, Accumulator};
use crate::error::Result;

pub struct Percentile {
    p: f64,
    ty: KType,
    values: Vec<Vec<f64>>,
    /// Values held over all groups (for `memory_bytes`).
    held: usize,
}

impl Percentile {
    pub fn new(p: f64, ty: KType) -> Self {
        Percentile {
            p: p.clamp(0.0, 100.0),
            ty,
            values: Vec::new(),
            held: 0,
        }
    }
}

impl Accumulator for Percentile {
    fn update(
        &mut self,
        groups: &[u32],
        num_groups: usize,
        args: &[ArrayRef],
        filter: Option<&BooleanArray>,
    ) -> Result<()> {
        grow(&mut self.values, num_groups, Vec::new());
        let Some(arg) = args.first() else {
            return Ok(());
        };
        let v = as_f64(arg)?;
        let v = v.as_primitive::<Float64Type>();
        for (i, &g) in groups.iter().enumerate() {
            if v.is_valid(i) && selected(filter, i) {
                self.values[g as usize].push(v.value(i));
                self.held += 1;
            }
        }
        Ok(())
    }

    fn merge(
        &mut self,
        other: Box<dyn Accumulator>,
        mapping: &[u32],
        num_groups: usize,
    ) -> Result<()> {
        let other = downcast::<Percentile>(other)?;
        grow(&mut self.values, num_groups, Vec::new());
        self.held += other.held;
        for (g, vals) in other.values.into_iter().enumerate() {
            self.values[mapping[g] as usize].extend(vals);
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>, num_groups: usize) -> Result<ArrayRef> {
        grow(&mut self.values, num_groups, Vec::new());
        let p = self.p;
        let out: Float64Array = self
            .values
            .iter_mut()
            .map(|vals| {
                if vals.is_empty() {
                    return None;
                }
                vals.sort_by(f64::total_cmp);
                // Nearest rank: the smallest value with at least p% of values at or below it.
                let rank = ((p / 100.0) * vals.len() as f64).ceil() as usize;
                Some(vals[rank.clamp(1, vals.len()) - 1])
            })
            .collect();
        let array: ArrayRef = Arc::new(out);
        Ok(match self.ty {
            KType::Real | KType::Decimal => array,
            KType::DateTime | KType::TimeSpan => {
                cast(&cast(&array, &DataType::Int64)?, &self.ty.arrow_type())?
            }
            other => cast(&array, &other.arrow_type())?,
        })
    }

    fn memory_bytes(&self) -> usize {
        super::vec_bytes(&self.values) + self.held * std::mem::size_of::<f64>()
    }

    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }
}

#[derive(Clone, Copy)]
pub enum MomentKind {
    Stdev,
    Variance,
    /// Population forms (`stdevp`, `variancep`): divide by n, not n - 1.
    StdevP,
    VarianceP,
}

pub struct Moments {
    kind: MomentKind,
    /// (count, mean, m2) per group.
    state: Vec<(f64, f64, f64)>,
}

impl Moments {
    pub fn new(kind: MomentKind) -> Self {
        Moments {
            kind,
            state: Vec::new(),
        }
    }
}

impl Accumulator for Moments {
    fn update(
        &mut self,
        groups: &[u32],
        num_groups: usize,
        args: &[ArrayRef],
        filter: Option<&BooleanArray>,
    ) -> Result<()> {
        grow(&mut self.state, num_groups, (0.0, 0.0, 0.0));
        let Some(arg) = args.first() else {
            return Ok(());
        };
        let v = as_f64(arg)?;
        let v = v.as_primitive::<Float64Type>();
        for (i, &g) in groups.iter().enumerate() {
            if v.is_valid(i) && selected(filter, i) {
                let (n, mean, m2) = &mut self.state[g as usize];
                let x = v.value(i);
                *n += 1.0;
                let d = x - *mean;
                *mean += d / *n;
                *m2 += d * (x - *mean);
            }
        }
        Ok(())
    }

    fn merge(
        &mut self,
        other: Box<dyn Accumulator>,
        mapping: &[u32],
        num_groups: usize,
    ) -> Result<()> {
        let other = downcast::<Moments>(other)?;
        grow(&mut self.state, num_groups, (0.0, 0.0, 0.0));
        for (g, (nb, mb, m2b)) in other.state.into_iter().enumerate() {
            if nb == 0.0 {
                continue;
            }
            let (na, ma, m2a) = self.state[mapping[g] as usize];
            let n = na + nb;
            let d = mb - ma;
            self.state[mapping[g] as usize] = (n, ma + d * nb / n, m2a + m2b + d * d * na * nb / n);
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>, num_groups: usize) -> Result<ArrayRef> {
        grow(&mut self.state, num_groups, (0.0, 0.0, 0.0));
        let kind = self.kind;
        let out: Float64Array = self
            .state
            .iter()
            .map(|(n, _, m2)| {
                if *n < 1.0 {
                    return None;
                }
                let var = if *n < 2.0 { 0.0 } else { m2 / (n - 1.0) };
                let pop = m2 / n;
                Some(match kind {
                    MomentKind::Variance => var,
                    MomentKind::Stdev => var.sqrt(),
                    MomentKind::VarianceP => pop,
                    MomentKind::StdevP => pop.sqrt(),
                })
            })
            .collect();
        Ok(Arc::new(out))
    }

    fn memory_bytes(&self) -> usize {
        super::vec_bytes(&self.state)
    }

    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }
}

/// `covariance(x, y)` (sample) and `covariancep(x, y)` (population): the
/// co-moment updated one pair at a time and merged with Chan's formula.
pub struct Covariance {
    population: bool,
    /// (count, mean x, mean y, co-moment) per group.
    state: Vec<(f64, f64, f64, f64)>,
}

impl Covariance {
    pub fn new(population: bool) -> Self {
        Covariance {
            population,
            state: Vec::new(),
        }
    }
}

impl Accumulator for Covariance {
    fn update(
        &mut self,
        groups: &[u32],
        num_groups: usize,
        args: &[ArrayRef],
        filter: Option<&BooleanArray>,
    ) -> Result<()> {
        grow(&mut self.state, num_groups, (0.0, 0.0, 0.0, 0.0));
        let (Some(x), Some(y)) = (args.first(), args.get(1)) else {
            return Ok(());
        };
        let (x, y) = (as_f64(x)?, as_f64(y)?);
        let (x, y) = (
            x.as_primitive::<Float64Type>(),
            y.as_primitive::<Float64Type>(),
        );
        for (i, &g) in groups.iter().enumerate() {
            if x.is_valid(i) && y.is_valid(i) && selected(filter, i) {
                let (n, mx, my, c) = &mut self.state[g as usize];
                let (a, b) = (x.value(i), y.value(i));
                *n += 1.0;
                let dx = a - *mx;
                *mx += dx / *n;
                *my += (b - *my) / *n;
                *c += dx * (b - *my);
            }
        }
        Ok(())
    }

    fn merge(
        &mut self,
        other: Box<dyn Accumulator>,
        mapping: &[u32],
        num_groups: usize,
    ) -> Result<()> {
        let other = downcast::<Covariance>(other)?;
        grow(&mut self.state, num_groups, (0.0, 0.0, 0.0, 0.0));
        for (g, (nb, xb, yb, cb)) in other.state.into_iter().enumerate() {
            if nb == 0.0 {
                continue;
            }
            let slot = &mut self.state[mapping[g] as usize];
            let (na, xa, ya, ca) = *slot;
            let n = na + nb;
            let (dx, dy) = (xb - xa, yb - ya);
            *slot = (
                n,
                xa + dx * nb / n,
                ya + dy * nb / n,
                ca + cb + dx * dy * na * nb / n,
            );
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>, num_groups: usize) -> Result<ArrayRef> {
        grow(&mut self.state, num_groups, (0.0, 0.0, 0.0, 0.0));
        let population = self.population;
        let out: Float64Array = self
            .state
            .iter()
            .map(|&(n, _, _, c)| {
                if n < 1.0 {
                    return None;
                }
                Some(match population {
                    true => c / n,
                    false if n < 2.0 => 0.0,
                    false => c / (n - 1.0),
                })
            })
            .collect();
        Ok(Arc::new(out))
    }

    fn memory_bytes(&self) -> usize {
        super::vec_bytes(&self.state)
    }

    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }
}
