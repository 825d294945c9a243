//! More dynamic-array and bag functions, each as Kusto documents it:
//! `range()`, `zip`, `array_iff`, `array_shift_left/right`,
//! `array_rotate_left/right`, `bag_merge`, `bag_remove_keys`, `bag_has_key`.
//! A value that is not the expected shape gives null, never an error.

use arrow::array::{Array, ArrayRef, AsArray, Int64Array};
use arrow::compute::cast;
use arrow::datatypes::{DataType, Int64Type};
use iishunt_plan::types::{KType, ScalarValue};
use serde_json::{Map, Value};

use super::conversion::scalar_text;

use super::args::strings;
use super::dynamic::json;
use crate::datum::{Datum, Kernel, KernelContext};
use crate::error::Result;

pub(crate) const KERNELS: &[(&str, Kernel)] = &[
    ("range", range),
    ("zip", zip),
    ("array_iff", array_iff),
    ("array_shift_left", |a, c| shift(a, c, true, false)),
    ("array_shift_right", |a, c| shift(a, c, false, false)),
    ("array_rotate_left", |a, c| shift(a, c, true, true)),
    ("array_rotate_right", |a, c| shift(a, c, false, true)),
    ("bag_merge", bag_merge),
    ("bag_zip", bag_zip),
    ("bag_set_key", bag_set_key),
    ("array_split", array_split),
    ("replace_strings", replace_strings),
    ("unicode_codepoints_to_string", codepoints_to_string),
    ("bag_remove_keys", bag_remove_keys),
    ("bag_has_key", bag_has_key),
    ("array_sum", array_sum),
    ("extract_json", extract_json),
];

/// Kusto's cap on the elements `range()` makes.
const MAX_RANGE: usize = 1_048_576;

fn put(out: &mut String, v: &Value) -> bool {
    out.push_str(&v.to_string());
    true
}

/// `range(start, stop[, step])`: numbers from start to stop (inclusive) by
/// step (default 1); whole numbers when all three are.
fn range(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    match super::args::arg_type(ctx, 0) {
        KType::DateTime => return time_range(args, ctx, ScalarValue::DateTime),
        KType::TimeSpan => return time_range(args, ctx, ScalarValue::TimeSpan),
        _ => {}
    }
    let start = json(args, ctx, 0, false)?;
    let stop = json(args, ctx, 1, false)?;
    let step = if args.len() > 2 {
        Some(json(args, ctx, 2, false)?)
    } else {
        None
    };
    Ok(strings(ctx.rows, 0, |i, out| {
        let one = Value::from(1);
        let (a, b) = (start.get(i), stop.get(i));
        let s = step.as_ref().map_or(&one, |s| s.get(i));
        if let (Some(a), Some(b), Some(s)) = (a.as_i64(), b.as_i64(), s.as_i64()) {
            let Some(span) = b.checked_sub(a) else {
                return false;
            };
            if s == 0 || span.signum() * s.signum() < 0 {
                return put(
                    out,
                    &Value::Array(if a == b {
                        vec![Value::from(a)]
                    } else {
                        Vec::new()
                    }),
                );
            }
            let Some(steps) = span.checked_div(s) else {
                return false;
            };
            let n = (steps as u64).saturating_add(1).min(MAX_RANGE as u64) as usize;
            let items = (0..n).map(|k| Value::from(a + k as i64 * s)).collect();
            return put(out, &Value::Array(items));
        }
        let (Some(a), Some(b), Some(s)) = (a.as_f64(), b.as_f64(), s.as_f64()) else {
            return false;
        };
        if s == 0.0 || ((b - a) * s) < 0.0 || !(b - a).is_finite() {
            return put(out, &Value::Array(Vec::new()));
        }
        // `as usize` saturates (NaN is 0): the cap keeps it small.
        let n = (((b - a) / s).floor() as usize).min(MAX_RANGE - 1) + 1;
        let items = (0..n)
            .filter_map(|k| serde_json::Number::from_f64(a + k as f64 * s).map(Value::Number))
            .collect();
        put(out, &Value::Array(items))
    }))
}

/// `range(start, stop[, step])` of datetimes or timespans: a timespan step
/// (default 1h), the elements as `tostring` shows them, capped like numbers.
fn time_range(
    args: &[Datum],
    ctx: &KernelContext,
    value: fn(i64) -> ScalarValue,
) -> Result<ArrayRef> {
    let micros = |i: usize| -> Result<Option<Int64Array>> {
        match args.get(i) {
            None => Ok(None),
            Some(d) => {
                let a = cast(&d.to_array(ctx.rows)?, &DataType::Int64)?;
                Ok(Some(a.as_primitive::<Int64Type>().clone()))
            }
        }
    };
    let (start, stop, step) = (micros(0)?, micros(1)?, micros(2)?);
    let get = |a: &Option<Int64Array>, i: usize, default: Option<i64>| match a {
        Some(a) => (!a.is_null(i)).then(|| a.value(i)),
        None => default,
    };
    Ok(strings(ctx.rows, 0, |i, out| {
        let (Some(a), Some(b), Some(s)) = (
            get(&start, i, None),
            get(&stop, i, None),
            get(&step, i, Some(3_600_000_000)),
        ) else {
            return false;
        };
        let Some(span) = b.checked_sub(a) else {
            return false;
        };
        if s == 0 || span.signum() * s.signum() < 0 {
            return put(out, &Value::Array(Vec::new()));
        }
        let n = ((span / s) as u64).saturating_add(1).min(MAX_RANGE as u64) as usize;
        let items = (0..n)
            .filter_map(|k| a.checked_add((k as i64).checked_mul(s)?))
            .map(|v| Value::String(scalar_text(&value(v)).unwrap_or_default()))
            .collect();
        put(out, &Value::Array(items))
    }))
}

/// `zip(a1, a2, …)`: arrays of the elements at each index, as long as the
/// longest; a shorter array gives null there.
fn zip(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let parts: Vec<_> = (0..args.len())
        .map(|k| json(args, ctx, k, true))
        .collect::<Result<_>>()?;
    Ok(strings(ctx.rows, 0, |i, out| {
        let mut arrays = Vec::new();
        for p in &parts {
            match p.get(i) {
                Value::Array(items) => arrays.push(items),
                _ => return false,
            }
        }
        let n = arrays.iter().map(|a| a.len()).max().unwrap_or(0);
        let items = (0..n)
            .map(|k| {
                Value::Array(
                    arrays
                        .iter()
                        .map(|a| a.get(k).cloned().unwrap_or(Value::Null))
                        .collect(),
                )
            })
            .collect();
        put(out, &Value::Array(items))
    }))
}

/// `array_iff(conditions, when_true, when_false)`: element-wise choice; a
/// scalar branch is used at every index; a non-bool condition gives null.
fn array_iff(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let c = json(args, ctx, 0, true)?;
    let t = json(args, ctx, 1, true)?;
    let f = json(args, ctx, 2, true)?;
    Ok(strings(ctx.rows, 0, |i, out| {
        let Value::Array(conds) = c.get(i) else {
            return false;
        };
        let pick = |v: &Value, k: usize| match v {
            Value::Array(items) => items.get(k).cloned().unwrap_or(Value::Null),
            other => other.clone(),
        };
        let items = conds
            .iter()
            .enumerate()
            .map(|(k, cond)| match cond {
                Value::Bool(true) => pick(t.get(i), k),
                Value::Bool(false) => pick(f.get(i), k),
                Value::Number(n) if n.as_f64().is_some_and(|x| x != 0.0) => pick(t.get(i), k),
                Value::Number(_) => pick(f.get(i), k),
                _ => Value::Null,
            })
            .collect();
        put(out, &Value::Array(items))
    }))
}

/// Shifts (filling with null or the fill value) or rotates by n places; a
/// negative n goes the other way.
fn shift(args: &[Datum], ctx: &KernelContext, left: bool, rotate: bool) -> Result<ArrayRef> {
    let a = json(args, ctx, 0, true)?;
    let n = super::args::long(args, ctx, 1)?;
    let fill = if args.len() > 2 {
        Some(json(args, ctx, 2, false)?)
    } else {
        None
    };
    Ok(strings(ctx.rows, 0, |i, out| {
        let (Value::Array(items), Some(n)) = (a.get(i), n.get(i)) else {
            return false;
        };
        let len = items.len() as i64;
        if len == 0 {
            return put(out, &Value::Array(Vec::new()));
        }
        // Past the length a shift empties the array and a rotation wraps:
        // reduce first so no arithmetic overflows.
        let n = if rotate {
            n.rem_euclid(len)
        } else {
            n.clamp(-len, len)
        };
        let by = if left { n } else { -n };
        let filler = fill.as_ref().map_or(Value::Null, |f| f.get(i).clone());
        let result: Vec<Value> = (0..len)
            .map(|k| {
                let from = k + by;
                if rotate {
                    items[from.rem_euclid(len) as usize].clone()
                } else if (0..len).contains(&from) {
                    items[from as usize].clone()
                } else {
                    filler.clone()
                }
            })
            .collect();
        put(out, &Value::Array(result))
    }))
}

/// `bag_merge(b1, b2, …)`: one bag of all keys; the first bag with a key wins.
fn bag_merge(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let parts: Vec<_> = (0..args.len())
        .map(|k| json(args, ctx, k, true))
        .collect::<Result<_>>()?;
    Ok(strings(ctx.rows, 0, |i, out| {
        let mut m = Map::new();
        for p in &parts {
            match p.get(i) {
                Value::Object(b) => {
                    for (k, v) in b {
                        m.entry(k.clone()).or_insert_with(|| v.clone());
                    }
                }
                _ => return false,
            }
        }
        put(out, &Value::Object(m))
    }))
}

/// `bag_zip(keys, values)`: a bag pairing the arrays' elements; keys that
/// are not strings are left out, missing values are null.
fn bag_zip(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let k = json(args, ctx, 0, true)?;
    let v = json(args, ctx, 1, true)?;
    Ok(strings(ctx.rows, 0, |i, out| {
        let Value::Array(keys) = k.get(i) else {
            return false;
        };
        // Values that are no array pair every key with null.
        let none = Vec::new();
        let values = match v.get(i) {
            Value::Array(values) => values,
            _ => &none,
        };
        let mut m = Map::new();
        for (n, key) in keys.iter().enumerate() {
            if let Some(key) = key.as_str() {
                m.insert(
                    key.to_string(),
                    values.get(n).cloned().unwrap_or(Value::Null),
                );
            }
        }
        put(out, &Value::Object(m))
    }))
}

/// `unicode_codepoints_to_string(values, …)`: the text of the code points,
/// given as numbers or arrays of numbers; null when one is not valid.
fn codepoints_to_string(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let parts: Vec<_> = (0..args.len())
        .map(|k| json(args, ctx, k, true))
        .collect::<Result<_>>()?;
    let point = |v: &Value| {
        v.as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .and_then(char::from_u32)
    };
    let mut out: Vec<Option<String>> = Vec::with_capacity(ctx.rows);
    for i in 0..ctx.rows {
        let mut text = Some(String::new());
        for p in &parts {
            let chars: Option<String> = match p.get(i) {
                Value::Array(items) => items.iter().map(point).collect(),
                v => point(v).map(String::from),
            };
            text = text.zip(chars).map(|(mut t, c)| {
                t.push_str(&c);
                t
            });
        }
        out.push(text);
    }
    Ok(std::sync::Arc::new(arrow::array::StringArray::from(out)))
}

/// `bag_set_key(bag, key, value)`: the bag with the key set (`$.a.b` sets
/// inside nested bags, making them as needed).
fn bag_set_key(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let b = json(args, ctx, 0, true)?;
    let key = super::args::text(args, ctx, 1)?;
    let v = json(args, ctx, 2, false)?;
    Ok(strings(ctx.rows, 0, |i, out| {
        let Value::Object(bag) = b.get(i) else {
            return false;
        };
        let k = key.get(i);
        let path: Vec<&str> = match k.strip_prefix("$.") {
            Some(rest) => rest.split('.').collect(),
            None => vec![k],
        };
        let mut root = bag.clone();
        let mut current = &mut root;
        for (depth, part) in path.iter().enumerate() {
            if depth + 1 == path.len() {
                current.insert(part.to_string(), v.get(i).clone());
                break;
            }
            let next = current
                .entry(part.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if !next.is_object() {
                *next = Value::Object(Map::new());
            }
            let Value::Object(m) = next else {
                return false;
            };
            current = m;
        }
        put(out, &Value::Object(root))
    }))
}

/// `array_split(arr, index | [indices])`: the array cut before each index
/// (negative from the end), as an array of arrays.
fn array_split(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let a = json(args, ctx, 0, true)?;
    let at = json(args, ctx, 1, true)?;
    Ok(strings(ctx.rows, 0, |i, out| {
        let Value::Array(items) = a.get(i) else {
            return false;
        };
        let len = items.len() as i64;
        let raw: Vec<i64> = match at.get(i) {
            Value::Array(v) => v.iter().filter_map(Value::as_i64).collect(),
            v => v.as_i64().into_iter().collect(),
        };
        let mut cuts: Vec<usize> = raw
            .into_iter()
            .map(|c| if c < 0 { len.saturating_add(c) } else { c }.clamp(0, len) as usize)
            .collect();
        cuts.sort_unstable();
        let mut parts = Vec::new();
        let mut from = 0;
        for c in cuts.into_iter().chain(std::iter::once(items.len())) {
            parts.push(Value::Array(items[from..c.max(from)].to_vec()));
            from = c.max(from);
        }
        put(out, &Value::Array(parts))
    }))
}

/// `replace_strings(text, lookups, replacements)`: every lookup replaced by
/// the replacement at its index, all at once (so `cat`→`dog` and
/// `dog`→`pigeon` swap without chaining). Earlier lookups win: the first is
/// replaced everywhere, then the second in the text between, and so on
/// (Kusto's example: lookups `is`, `This` turn "This is" into "Thwas was"). A
/// lookup whose replacement is not a string stays as it is.
fn replace_strings(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let t = super::args::text(args, ctx, 0)?;
    let l = json(args, ctx, 1, true)?;
    let r = json(args, ctx, 2, true)?;
    Ok(strings(ctx.rows, 0, |i, out| {
        let (Value::Array(lookups), Value::Array(repl)) = (l.get(i), r.get(i)) else {
            return false;
        };
        let pairs: Vec<(&str, &str)> = lookups
            .iter()
            .enumerate()
            .filter_map(|(k, v)| {
                let from = v.as_str().filter(|s| !s.is_empty())?;
                // A replacement that is no string keeps the lookup as it is
                // (and still shields it from the lookups after it).
                Some((from, repl.get(k).and_then(Value::as_str).unwrap_or(from)))
            })
            .collect();
        replace_in(t.get(i), &pairs, out);
        true
    }))
}

fn replace_in(text: &str, pairs: &[(&str, &str)], out: &mut String) {
    let Some(((from, to), rest)) = pairs.split_first() else {
        out.push_str(text);
        return;
    };
    let mut pieces = text.split(from).peekable();
    while let Some(piece) = pieces.next() {
        replace_in(piece, rest, out);
        if pieces.peek().is_some() {
            out.push_str(to);
        }
    }
}

/// `bag_remove_keys(bag, keys)`: the bag without the listed keys.
fn bag_remove_keys(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let b = json(args, ctx, 0, true)?;
    let keys = json(args, ctx, 1, true)?;
    Ok(strings(ctx.rows, 0, |i, out| {
        let (Value::Object(bag), Value::Array(keys)) = (b.get(i), keys.get(i)) else {
            return false;
        };
        let mut m = bag.clone();
        for k in keys.iter().filter_map(Value::as_str) {
            m.remove(k);
        }
        put(out, &Value::Object(m))
    }))
}

/// `bag_has_key(bag, key)`: whether the bag has the key (`$.a.b` paths
/// follow nested bags).
fn bag_has_key(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let b = json(args, ctx, 0, true)?;
    let key = super::args::text(args, ctx, 1)?;
    let found: Vec<Option<bool>> = (0..ctx.rows)
        .map(|i| {
            let Value::Object(bag) = b.get(i) else {
                return None;
            };
            let k = key.get(i);
            let path: Vec<&str> = match k.strip_prefix("$.") {
                Some(rest) => rest.split('.').collect(),
                None => vec![k],
            };
            let mut current = bag;
            for (depth, part) in path.iter().enumerate() {
                match current.get(*part) {
                    Some(Value::Object(next)) if depth + 1 < path.len() => current = next,
                    Some(_) if depth + 1 == path.len() => return Some(true),
                    _ => return Some(false),
                }
            }
            Some(false)
        })
        .collect();
    Ok(std::sync::Arc::new(arrow::array::BooleanArray::from(found)))
}

/// `array_sum(array)`: the sum of its numbers as a real; null when an element
/// is not a number (a null element included) or the value is not an array.
fn array_sum(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let a = json(args, ctx, 0, true)?;
    let out: arrow::array::Float64Array = (0..ctx.rows)
        .map(|i| {
            let Value::Array(items) = a.get(i) else {
                return None;
            };
            items.iter().try_fold(0.0, |sum, v| Some(sum + v.as_f64()?))
        })
        .collect();
    Ok(std::sync::Arc::new(out))
}

/// One step of the JSONPath subset Kusto supports.
enum Step {
    Key(String),
    Index(i64),
}

/// `$`, `.key`, `['key']` / `["key"]`, `[index]`; `None` for anything else.
fn json_path(path: &str) -> Option<Vec<Step>> {
    let mut rest = path.trim().strip_prefix('$')?;
    let mut steps = Vec::new();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            if end == 0 {
                return None;
            }
            steps.push(Step::Key(r[..end].to_string()));
            rest = &r[end..];
        } else if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']')?;
            let inside = r[..end].trim();
            let quoted = ['\'', '"']
                .iter()
                .find_map(|q| inside.strip_prefix(*q)?.strip_suffix(*q));
            steps.push(match quoted {
                Some(key) => Step::Key(key.to_string()),
                None => Step::Index(inside.parse().ok()?),
            });
            rest = &r[end + 1..];
        } else {
            return None;
        }
    }
    Some(steps)
}

/// `extract_json(path, json)`: the element the path names, as text (a string
/// bare, a bag or array as JSON); "" when it is missing or not JSON.
fn extract_json(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let path = super::args::text(args, ctx, 0)?;
    let doc = super::args::text(args, ctx, 1)?;
    let fixed = path.scalar().map(json_path);
    Ok(strings(ctx.rows, 0, |i, out| {
        let parsed;
        let steps = match &fixed {
            Some(s) => s.as_ref(),
            None => {
                parsed = json_path(path.get(i));
                parsed.as_ref()
            }
        };
        let Some(steps) = steps else { return true };
        let Ok(root) = serde_json::from_str::<Value>(doc.get(i)) else {
            return true;
        };
        let mut at = &root;
        for step in steps {
            let next = match (step, at) {
                (Step::Key(k), Value::Object(m)) => m.get(k),
                (Step::Index(n), Value::Array(a)) => {
                    let n = if *n < 0 { a.len() as i64 + n } else { *n };
                    usize::try_from(n).ok().and_then(|n| a.get(n))
                }
                _ => None,
            };
            let Some(next) = next else { return true };
            at = next;
        }
        match at {
            Value::String(s) => out.push_str(s),
            Value::Null => {}
            other => out.push_str(&other.to_string()),
        }
        true
    }))
}
