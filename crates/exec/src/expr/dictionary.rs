//! Running a kernel on dictionary values instead of rows.
//!
//! When every array argument of a call is dictionary-encoded, the kernel runs
//! once per distinct value (or per distinct combination of values when several
//! dictionaries are involved) and the result is a dictionary array over the
//! same keys. Arguments derived from the same column share their keys array,
//! which is recognised by identity, so chains like
//! `case(strcat(a, ".", b) == "401.0", …)` stay on the small value space.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, DictionaryArray, Int32Array, PrimitiveArray};
use arrow::compute::{concat, take};
use arrow::datatypes::{DataType, Int32Type};
use iishunt_plan::types::KType;

use crate::context::ExecContext;
use crate::datum::{Datum, Kernel, KernelContext};
use crate::error::Result;

/// The most distinct combinations worth evaluating separately.
const MAX_COMBINATIONS: usize = 1 << 12;

/// A dictionary argument: keys without nulls, values with a trailing null entry
/// when the keys had nulls.
struct DictArg {
    keys: PrimitiveArray<Int32Type>,
    values: ArrayRef,
}

fn as_dict(array: &ArrayRef) -> Result<Option<DictArg>> {
    let DataType::Dictionary(key, _) = array.data_type() else {
        return Ok(None);
    };
    if **key != DataType::Int32 {
        return Ok(None);
    }
    let Some(dict) = array.as_any().downcast_ref::<DictionaryArray<Int32Type>>() else {
        return Ok(None);
    };
    let keys = dict.keys().clone();
    if keys.null_count() == 0 {
        return Ok(Some(DictArg {
            keys,
            values: dict.values().clone(),
        }));
    }
    // Nulls become one more value (a null), so kernels see null inputs as Kusto does.
    let n = dict.values().len() as i32;
    let values = concat(&[
        dict.values().as_ref(),
        arrow::array::new_null_array(dict.values().data_type(), 1).as_ref(),
    ])?;
    let keys: Int32Array = keys.iter().map(|k| Some(k.unwrap_or(n))).collect();
    Ok(Some(DictArg { keys, values }))
}

fn same_keys(a: &PrimitiveArray<Int32Type>, b: &PrimitiveArray<Int32Type>) -> bool {
    a.len() == b.len() && a.values().inner().as_ptr() == b.values().inner().as_ptr()
}

/// `Some(result)` when the call could run on dictionary values; `None` when the
/// arguments are not (all) dictionaries or the value space is too large.
pub fn try_eval_on_values(
    kernel: Kernel,
    args: &[Datum],
    arg_types: &[KType],
    return_type: KType,
    rows: usize,
    ctx: &ExecContext,
) -> Result<Option<ArrayRef>> {
    let mut dicts: Vec<Option<DictArg>> = Vec::with_capacity(args.len());
    let mut any = false;
    for a in args {
        match a {
            Datum::Scalar(_) => dicts.push(None),
            Datum::Array(array) => match as_dict(array)? {
                Some(d) => {
                    any = true;
                    dicts.push(Some(d));
                }
                None => return Ok(None),
            },
        }
    }
    if !any || rows == 0 {
        return Ok(None);
    }
    // Group the dictionary arguments by their keys array.
    let mut groups: Vec<usize> = Vec::new(); // index into dicts of each group's first member
    let mut group_of: Vec<Option<usize>> = vec![None; dicts.len()];
    for (i, d) in dicts.iter().enumerate() {
        let Some(d) = d else { continue };
        let found = groups.iter().position(|&g| {
            dicts[g]
                .as_ref()
                .is_some_and(|gd| same_keys(&gd.keys, &d.keys) && gd.values.len() == d.values.len())
        });
        match found {
            Some(g) => group_of[i] = Some(g),
            None => {
                groups.push(i);
                group_of[i] = Some(groups.len() - 1);
            }
        }
    }
    let (keys, value_args) = if groups.len() == 1 {
        let first = dicts[groups[0]].as_ref().map(|d| d.keys.clone());
        let Some(keys) = first else { return Ok(None) };
        if dicts[groups[0]]
            .as_ref()
            .is_some_and(|d| d.values.len() > rows)
        {
            return Ok(None);
        }
        let value_args: Vec<Datum> = args
            .iter()
            .zip(&dicts)
            .map(|(a, d)| match d {
                Some(d) => Datum::Array(d.values.clone()),
                None => a.clone(),
            })
            .collect();
        (keys, value_args)
    } else if dicts
        .iter()
        .flatten()
        .all(|d| d.values.data_type() == &DataType::Boolean)
    {
        // `a and b` over two columns' conditions: numbering each row's pair
        // of keys costs more than unpacking both and combining the bits
        // (a fifth of a two-condition scan's time went to it).
        return Ok(None);
    } else {
        match combine(&dicts, &groups, &group_of, args, rows)? {
            Some(x) => x,
            None => return Ok(None),
        }
    };
    let n_values = match value_args.iter().find_map(|d| match d {
        Datum::Array(a) => Some(a.len()),
        _ => None,
    }) {
        Some(n) => n,
        None => return Ok(None),
    };
    let kc = KernelContext {
        rows: n_values,
        now: ctx.now,
        arg_types,
        return_type,
    };
    let values = kernel(&value_args, &kc)?;
    if values.len() != n_values {
        return Ok(Some(Arc::new(DictionaryArray::<Int32Type>::try_new(
            keys, values,
        )?)));
    }
    // SAFETY: every key indexes the `n_values` values the kernel ran on: the
    // keys of a valid dictionary over them, or `combine`'s, each below the
    // number of combinations it made. `try_new` would check each key again,
    // which cost 13% of a string_size over a 5M-row column.
    let dict = unsafe { DictionaryArray::<Int32Type>::new_unchecked(keys, values) };
    Ok(Some(Arc::new(dict)))
}

/// Several key spaces: number each distinct combination of keys that occurs,
/// and build per-argument value arrays indexed by combination.
fn combine(
    dicts: &[Option<DictArg>],
    groups: &[usize],
    group_of: &[Option<usize>],
    args: &[Datum],
    rows: usize,
) -> Result<Option<(PrimitiveArray<Int32Type>, Vec<Datum>)>> {
    let sizes: Vec<usize> = groups
        .iter()
        .map(|&g| dicts[g].as_ref().map_or(1, |d| d.values.len()))
        .collect();
    let mut product: usize = 1;
    for s in &sizes {
        product = match product.checked_mul(*s) {
            Some(p) if p <= MAX_COMBINATIONS && p <= rows.max(64) * 4 => p,
            _ => return Ok(None),
        };
    }
    let group_keys: Vec<&[i32]> = groups
        .iter()
        .map(|&g| {
            dicts[g]
                .as_ref()
                .map_or(&[][..], |d| d.keys.values().as_ref())
        })
        .collect();
    let mut slot = vec![-1i32; product];
    let mut combos: Vec<Vec<i32>> = vec![Vec::new(); groups.len()];
    let mut out_keys = Vec::with_capacity(rows);
    for row in 0..rows {
        let mut code = 0usize;
        for (g, keys) in group_keys.iter().enumerate() {
            code = code * sizes[g] + keys[row] as usize;
        }
        let k = &mut slot[code];
        if *k < 0 {
            *k = combos[0].len() as i32;
            for (g, keys) in group_keys.iter().enumerate() {
                combos[g].push(keys[row]);
            }
        }
        out_keys.push(*k);
    }
    let mut value_args = Vec::with_capacity(args.len());
    for (i, a) in args.iter().enumerate() {
        match (&dicts[i], group_of[i]) {
            (Some(d), Some(g)) => {
                let idx = Int32Array::from(combos[g].clone());
                value_args.push(Datum::Array(take(d.values.as_ref(), &idx, None)?));
            }
            _ => value_args.push(a.clone()),
        }
    }
    Ok(Some((Int32Array::from(out_keys), value_args)))
}
