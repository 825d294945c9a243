//! `make_list_with_nulls`: every value of each group in order, nulls kept as
//! JSON null (an empty string stays ""), capped like `make_list`. Values are
//! coded once (`ValueCoder`); a null is `None`, so any code stays usable.

use std::any::Any;
use std::sync::Arc;

use arrow::array::{ArrayRef, BooleanArray, StringBuilder};
use iishunt_plan::types::KType;

use super::coder::ValueCoder;
use super::{downcast, grow, selected, vec_bytes, Accumulator};
use crate::error::Result;

pub struct ListWithNulls {
    cap: usize,
    coder: ValueCoder,
    groups: Vec<Vec<Option<u64>>>,
    held: usize,
    codes: Vec<u64>,
    nulls: Vec<bool>,
}

impl ListWithNulls {
    pub fn new(ty: KType, cap: usize) -> Self {
        ListWithNulls {
            cap,
            coder: ValueCoder::new(ty),
            groups: Vec::new(),
            held: 0,
            codes: Vec::new(),
            nulls: Vec::new(),
        }
    }

    fn push(&mut self, g: usize, v: Option<u64>) {
        let list = &mut self.groups[g];
        if list.len() < self.cap {
            list.push(v);
            self.held += 1;
        }
    }

    /// A held value as JSON; a null string is "" (Kusto's strings are never null).
    fn json(&self, v: Option<u64>) -> serde_json::Value {
        match v {
            Some(c) => self.coder.to_json(c),
            None if self.coder.ty() == KType::String => serde_json::Value::String(String::new()),
            None => serde_json::Value::Null,
        }
    }
}

impl Accumulator for ListWithNulls {
    fn update(
        &mut self,
        groups: &[u32],
        num_groups: usize,
        args: &[ArrayRef],
        filter: Option<&BooleanArray>,
    ) -> Result<()> {
        grow(&mut self.groups, num_groups, Vec::new());
        let Some(arg) = args.first() else {
            return Ok(());
        };
        let (mut codes, mut nulls) = (
            std::mem::take(&mut self.codes),
            std::mem::take(&mut self.nulls),
        );
        self.coder.encode(arg, &mut codes, &mut nulls)?;
        for (i, &g) in groups.iter().enumerate() {
            if selected(filter, i) {
                self.push(g as usize, (!nulls[i]).then_some(codes[i]));
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
        let mut other = downcast::<ListWithNulls>(other)?;
        grow(&mut self.groups, num_groups, Vec::new());
        let theirs = std::mem::take(&mut other.groups);
        for (g, list) in theirs.into_iter().enumerate() {
            let target = mapping[g] as usize;
            for v in list {
                let v = v.map(|c| self.coder.translate(&other.coder, c));
                self.push(target, v);
            }
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>, num_groups: usize) -> Result<ArrayRef> {
        grow(&mut self.groups, num_groups, Vec::new());
        let mut b = StringBuilder::with_capacity(num_groups, num_groups * 16);
        for list in &self.groups[..num_groups] {
            let items = list.iter().map(|&v| self.json(v)).collect();
            b.append_value(serde_json::Value::Array(items).to_string());
        }
        Ok(Arc::new(b.finish()))
    }

    fn memory_bytes(&self) -> usize {
        self.coder.memory_bytes()
            + vec_bytes(&self.groups)
            + self.held * std::mem::size_of::<Option<u64>>()
            + vec_bytes(&self.codes)
            + vec_bytes(&self.nulls)
    }

    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::{Array, Int64Array, StringArray};

    #[test]
    fn keeps_nulls_in_order_across_partitions() {
        let mut a = ListWithNulls::new(KType::Long, 3);
        let col: ArrayRef = Arc::new(Int64Array::from(vec![None, Some(4), Some(-1)]));
        a.update(&[0, 0, 1], 2, &[col], None).unwrap();
        let mut b = ListWithNulls::new(KType::Long, 3);
        let col: ArrayRef = Arc::new(Int64Array::from(vec![Some(7), None, Some(9)]));
        b.update(&[0, 0, 0], 1, &[col], None).unwrap();
        a.merge(Box::new(b), &[1], 2).unwrap();
        let out = Box::new(a).finish(2).unwrap();
        let out = out.as_any().downcast_ref::<StringArray>().unwrap();
        assert_eq!(out.value(0), "[null,4]");
        // The cap of 3 drops the last value of the merged partition.
        assert_eq!(out.value(1), "[-1,7,null]");
    }
}
