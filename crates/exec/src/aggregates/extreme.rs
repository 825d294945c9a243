//! `min`, `max`, `take_any`, and the columns of `arg_max` / `arg_min`: one
//! remembered value per group, compared in its type (strings as text, reals
//! as numbers, everything else as signed 64-bit).

use std::any::Any;
use std::cmp::Ordering;

use arrow::array::{ArrayRef, BooleanArray};
use iishunt_plan::types::KType;

use super::coder::ValueCoder;
use super::{downcast, grow, selected, Accumulator};
use crate::error::Result;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Min,
    Max,
    First,
}

fn compare(coder: &ValueCoder, a: u64, b: u64) -> Ordering {
    match coder.ty() {
        KType::String | KType::Dynamic | KType::Guid => coder.string(a).cmp(&coder.string(b)),
        KType::Real | KType::Decimal => f64::from_bits(a).total_cmp(&f64::from_bits(b)),
        _ => (a as i64).cmp(&(b as i64)),
    }
}

pub struct Extreme {
    mode: Mode,
    coder: ValueCoder,
    best: Vec<Option<u64>>,
    codes: Vec<u64>,
    nulls: Vec<bool>,
}

impl Extreme {
    pub fn new(mode: Mode, ty: KType) -> Self {
        Extreme {
            mode,
            coder: ValueCoder::new(ty),
            best: Vec::new(),
            codes: Vec::new(),
            nulls: Vec::new(),
        }
    }

    fn offer(&mut self, g: usize, code: u64) {
        let better = match (self.best[g], self.mode) {
            (None, _) => true,
            (Some(_), Mode::First) => false,
            (Some(cur), Mode::Min) => compare(&self.coder, code, cur) == Ordering::Less,
            (Some(cur), Mode::Max) => compare(&self.coder, code, cur) == Ordering::Greater,
        };
        if better {
            self.best[g] = Some(code);
        }
    }
}

impl Accumulator for Extreme {
    fn update(
        &mut self,
        groups: &[u32],
        num_groups: usize,
        args: &[ArrayRef],
        filter: Option<&BooleanArray>,
    ) -> Result<()> {
        grow(&mut self.best, num_groups, None);
        let Some(arg) = args.first() else {
            return Ok(());
        };
        let (mut codes, mut nulls) = (
            std::mem::take(&mut self.codes),
            std::mem::take(&mut self.nulls),
        );
        self.coder.encode(arg, &mut codes, &mut nulls)?;
        for (i, &g) in groups.iter().enumerate() {
            if !nulls[i] && selected(filter, i) {
                self.offer(g as usize, codes[i]);
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
        let other = downcast::<Extreme>(other)?;
        grow(&mut self.best, num_groups, None);
        for (g, v) in other.best.iter().enumerate() {
            if let Some(code) = v {
                let code = self.coder.translate(&other.coder, *code);
                self.offer(mapping[g] as usize, code);
            }
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>, num_groups: usize) -> Result<ArrayRef> {
        grow(&mut self.best, num_groups, None);
        Ok(self.coder.decode(self.best.iter().copied()))
    }

    fn memory_bytes(&self) -> usize {
        self.coder.memory_bytes()
            + super::vec_bytes(&self.best)
            + super::vec_bytes(&self.codes)
            + super::vec_bytes(&self.nulls)
    }

    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }
}

/// One output column of `arg_max(x, col)`: the value of `col` on the row where
/// `x` is largest (first such row on ties).
pub struct ArgExtreme {
    max: bool,
    key: ValueCoder,
    value: ValueCoder,
    best: Vec<Option<(u64, Option<u64>)>>,
    /// The value on the group's first row, for a group whose every `x` is
    /// null: Kusto then returns that row (arg_max's documented example).
    first: Vec<Option<Option<u64>>>,
}

impl ArgExtreme {
    pub fn new(max: bool, key_ty: KType, value_ty: KType) -> Self {
        ArgExtreme {
            max,
            key: ValueCoder::new(key_ty),
            value: ValueCoder::new(value_ty),
            best: Vec::new(),
            first: Vec::new(),
        }
    }

    fn offer(&mut self, g: usize, key: u64, value: Option<u64>) {
        let better = match self.best[g] {
            None => true,
            Some((cur, _)) => {
                let o = compare(&self.key, key, cur);
                if self.max {
                    o == Ordering::Greater
                } else {
                    o == Ordering::Less
                }
            }
        };
        if better {
            self.best[g] = Some((key, value));
        }
    }
}

impl Accumulator for ArgExtreme {
    fn update(
        &mut self,
        groups: &[u32],
        num_groups: usize,
        args: &[ArrayRef],
        filter: Option<&BooleanArray>,
    ) -> Result<()> {
        grow(&mut self.best, num_groups, None);
        grow(&mut self.first, num_groups, None);
        let (Some(x), Some(v)) = (args.first(), args.get(1)) else {
            return Ok(());
        };
        let (mut kc, mut kn, mut vc, mut vn) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        self.key.encode(x, &mut kc, &mut kn)?;
        self.value.encode(v, &mut vc, &mut vn)?;
        for (i, &g) in groups.iter().enumerate() {
            if !selected(filter, i) {
                continue;
            }
            let value = (!vn[i]).then_some(vc[i]);
            if self.first[g as usize].is_none() {
                self.first[g as usize] = Some(value);
            }
            if !kn[i] {
                self.offer(g as usize, kc[i], value);
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
        let other = downcast::<ArgExtreme>(other)?;
        grow(&mut self.best, num_groups, None);
        grow(&mut self.first, num_groups, None);
        for (g, f) in other.first.iter().enumerate() {
            if let (Some(v), None) = (f, self.first[mapping[g] as usize]) {
                let v = v.map(|v| self.value.translate(&other.value, v));
                self.first[mapping[g] as usize] = Some(v);
            }
        }
        for (g, b) in other.best.iter().enumerate() {
            if let Some((k, v)) = b {
                let k = self.key.translate(&other.key, *k);
                let v = v.map(|v| self.value.translate(&other.value, v));
                self.offer(mapping[g] as usize, k, v);
            }
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>, num_groups: usize) -> Result<ArrayRef> {
        grow(&mut self.best, num_groups, None);
        grow(&mut self.first, num_groups, None);
        Ok(self
            .value
            .decode(self.best.iter().zip(&self.first).map(|(b, f)| match b {
                Some((_, v)) => *v,
                None => f.flatten(),
            })))
    }

    fn memory_bytes(&self) -> usize {
        self.key.memory_bytes() + self.value.memory_bytes() + super::vec_bytes(&self.best)
    }

    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }
}
