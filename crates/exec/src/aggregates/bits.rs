//! `binary_all_and`, `binary_all_or`, `binary_all_xor`: the bitwise fold of a
//! group's non-null longs (null for a group with none).

use std::any::Any;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, BooleanArray, Int64Array};
use arrow::compute::cast;
use arrow::datatypes::{DataType, Int64Type};

use super::{downcast, grow, selected, Accumulator};
use crate::error::Result;

#[derive(Clone, Copy)]
pub enum BitOp {
    And,
    Or,
    Xor,
}

impl BitOp {
    fn apply(self, a: i64, b: i64) -> i64 {
        match self {
            BitOp::And => a & b,
            BitOp::Or => a | b,
            BitOp::Xor => a ^ b,
        }
    }
}

pub struct BinaryAll {
    op: BitOp,
    state: Vec<Option<i64>>,
}

impl BinaryAll {
    pub fn new(op: BitOp) -> Self {
        BinaryAll {
            op,
            state: Vec::new(),
        }
    }

    fn fold(&mut self, g: usize, v: i64) {
        let op = self.op;
        let slot = &mut self.state[g];
        *slot = Some(slot.map_or(v, |a| op.apply(a, v)));
    }
}

impl Accumulator for BinaryAll {
    fn update(
        &mut self,
        groups: &[u32],
        num_groups: usize,
        args: &[ArrayRef],
        filter: Option<&BooleanArray>,
    ) -> Result<()> {
        grow(&mut self.state, num_groups, None);
        let Some(arg) = args.first() else {
            return Ok(());
        };
        let v = cast(arg, &DataType::Int64)?;
        let v = v.as_primitive::<Int64Type>();
        for (i, &g) in groups.iter().enumerate() {
            if v.is_valid(i) && selected(filter, i) {
                self.fold(g as usize, v.value(i));
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
        let other = downcast::<BinaryAll>(other)?;
        grow(&mut self.state, num_groups, None);
        for (g, v) in other.state.into_iter().enumerate() {
            if let Some(v) = v {
                self.fold(mapping[g] as usize, v);
            }
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>, num_groups: usize) -> Result<ArrayRef> {
        grow(&mut self.state, num_groups, None);
        Ok(Arc::new(Int64Array::from(self.state)))
    }

    fn memory_bytes(&self) -> usize {
        super::vec_bytes(&self.state)
    }

    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }
}
