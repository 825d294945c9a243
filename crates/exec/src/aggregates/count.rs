//! `count()`, `countif(p)`, ES|QL `count(x)` (non-null values).

use std::any::Any;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, BooleanArray, Int64Array};

use super::{add_by_group, downcast, grow, selected, Accumulator};
use crate::error::Result;

pub struct Count {
    counts: Vec<i64>,
    /// Count only rows where the argument is not null.
    non_null: bool,
}

impl Count {
    pub fn new(non_null: bool) -> Self {
        Count {
            counts: Vec::new(),
            non_null,
        }
    }
}

impl Accumulator for Count {
    fn update(
        &mut self,
        groups: &[u32],
        num_groups: usize,
        args: &[ArrayRef],
        filter: Option<&BooleanArray>,
    ) -> Result<()> {
        grow(&mut self.counts, num_groups, 0);
        let nulls = if self.non_null {
            args.first().and_then(|a| a.logical_nulls())
        } else {
            None
        };
        match (filter, &nulls) {
            (None, None) => add_by_group(&mut self.counts[..num_groups], groups, None),
            _ => {
                for (i, &g) in groups.iter().enumerate() {
                    if selected(filter, i) && nulls.as_ref().is_none_or(|n| n.is_valid(i)) {
                        self.counts[g as usize] += 1;
                    }
                }
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
        let other = downcast::<Count>(other)?;
        grow(&mut self.counts, num_groups, 0);
        for (g, c) in other.counts.iter().enumerate() {
            self.counts[mapping[g] as usize] += c;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>, num_groups: usize) -> Result<ArrayRef> {
        grow(&mut self.counts, num_groups, 0);
        Ok(Arc::new(Int64Array::from(std::mem::take(&mut self.counts))))
    }

    fn memory_bytes(&self) -> usize {
        super::vec_bytes(&self.counts)
    }

    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }
}
