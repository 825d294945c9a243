//! `sum`, `avg` (and their `*if` forms): nulls are skipped; integer sums wrap
//! at 64 bits like Kusto's; a group with no values sums to 0 and averages to null.

use std::any::Any;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, BooleanArray, Float64Array};
use arrow::compute::cast;
use arrow::datatypes::{DataType, Float64Type, Int64Type};
use iishunt_plan::types::KType;

use super::{add_by_group, downcast, grow, selected, Accumulator};
use crate::error::Result;

pub fn sum(ty: KType) -> Box<dyn Accumulator> {
    if matches!(ty, KType::Real | KType::Decimal) {
        Box::new(FloatSum {
            sums: Vec::new(),
            counts: Vec::new(),
            avg: false,
            ty,
        })
    } else {
        Box::new(IntSum {
            sums: Vec::new(),
            ty,
        })
    }
}

pub fn avg(ty: KType) -> Box<dyn Accumulator> {
    Box::new(FloatSum {
        sums: Vec::new(),
        counts: Vec::new(),
        avg: true,
        ty,
    })
}

fn as_i64(array: &ArrayRef) -> Result<ArrayRef> {
    let plain = crate::expr::decode_array(array)?;
    Ok(match plain.data_type() {
        DataType::Int64 => plain,
        DataType::Utf8 => cast(&cast(&plain, &DataType::Float64)?, &DataType::Int64)?,
        _ => cast(&plain, &DataType::Int64)?,
    })
}

/// Any numeric, datetime or timespan array as reals (shared by the statistics).
pub(super) fn as_f64(array: &ArrayRef) -> Result<ArrayRef> {
    let plain = crate::expr::decode_array(array)?;
    Ok(match plain.data_type() {
        DataType::Float64 => plain,
        DataType::Duration(_) | DataType::Timestamp(_, _) => {
            cast(&cast(&plain, &DataType::Int64)?, &DataType::Float64)?
        }
        _ => cast(&plain, &DataType::Float64)?,
    })
}

pub struct IntSum {
    sums: Vec<i64>,
    ty: KType,
}

impl Accumulator for IntSum {
    fn update(
        &mut self,
        groups: &[u32],
        num_groups: usize,
        args: &[ArrayRef],
        filter: Option<&BooleanArray>,
    ) -> Result<()> {
        grow(&mut self.sums, num_groups, 0);
        let Some(arg) = args.first() else {
            return Ok(());
        };
        let values = as_i64(arg)?;
        let values = values.as_primitive::<Int64Type>();
        if filter.is_none() && values.null_count() == 0 {
            add_by_group(&mut self.sums[..num_groups], groups, Some(values.values()));
            return Ok(());
        }
        for (i, &g) in groups.iter().enumerate() {
            if values.is_valid(i) && selected(filter, i) {
                let s = &mut self.sums[g as usize];
                *s = s.wrapping_add(values.value(i));
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
        let other = downcast::<IntSum>(other)?;
        grow(&mut self.sums, num_groups, 0);
        for (g, s) in other.sums.iter().enumerate() {
            let t = &mut self.sums[mapping[g] as usize];
            *t = t.wrapping_add(*s);
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>, num_groups: usize) -> Result<ArrayRef> {
        grow(&mut self.sums, num_groups, 0);
        let sums = arrow::array::Int64Array::from(std::mem::take(&mut self.sums));
        Ok(cast(&(Arc::new(sums) as ArrayRef), &self.ty.arrow_type())?)
    }

    fn memory_bytes(&self) -> usize {
        super::vec_bytes(&self.sums)
    }

    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }
}

pub struct FloatSum {
    sums: Vec<f64>,
    counts: Vec<u64>,
    avg: bool,
    ty: KType,
}

impl Accumulator for FloatSum {
    fn update(
        &mut self,
        groups: &[u32],
        num_groups: usize,
        args: &[ArrayRef],
        filter: Option<&BooleanArray>,
    ) -> Result<()> {
        grow(&mut self.sums, num_groups, 0.0);
        grow(&mut self.counts, num_groups, 0);
        let Some(arg) = args.first() else {
            return Ok(());
        };
        let values = as_f64(arg)?;
        let values = values.as_primitive::<Float64Type>();
        for (i, &g) in groups.iter().enumerate() {
            if values.is_valid(i) && selected(filter, i) {
                self.sums[g as usize] += values.value(i);
                self.counts[g as usize] += 1;
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
        let other = downcast::<FloatSum>(other)?;
        grow(&mut self.sums, num_groups, 0.0);
        grow(&mut self.counts, num_groups, 0);
        for ((s, c), t) in other.sums.iter().zip(&other.counts).zip(mapping) {
            self.sums[*t as usize] += s;
            self.counts[*t as usize] += c;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>, num_groups: usize) -> Result<ArrayRef> {
        grow(&mut self.sums, num_groups, 0.0);
        grow(&mut self.counts, num_groups, 0);
        let values: Float64Array = if self.avg {
            self.sums
                .iter()
                .zip(&self.counts)
                .map(|(s, c)| if *c == 0 { None } else { Some(s / *c as f64) })
                .collect()
        } else {
            self.sums.iter().map(|s| Some(*s)).collect()
        };
        let array: ArrayRef = Arc::new(values);
        Ok(match self.ty {
            KType::TimeSpan | KType::DateTime => {
                cast(&cast(&array, &DataType::Int64)?, &self.ty.arrow_type())?
            }
            _ => cast(&array, &self.ty.arrow_type())?,
        })
    }

    fn memory_bytes(&self) -> usize {
        super::vec_bytes(&self.sums) + super::vec_bytes(&self.counts)
    }

    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }
}
