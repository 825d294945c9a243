//! Dynamic values (JSON text in a Utf8 column): indexing (`d[0]`, `d["k"]`,
//! `d.k`), arrays (`array_length`, `array_index_of`, `array_slice`, sorting,
//! `pack_array`, `strcat_array`), property bags (`bag_pack`, `bag_keys`) and
//! `dynamic_to_json`. Each row's text is parsed with serde_json; a value that
//! is not the expected shape (or not JSON) gives null, never an error.

use std::sync::Arc;

use arrow::array::*;
use iishunt_plan::types::{KType, ScalarValue};
use serde_json::Value;

use super::args::{self, strings};
use super::conversion::{parse_dynamic, scalar_text, text_array};
use crate::datum::{Datum, Kernel, KernelContext};
use crate::error::Result;

pub(crate) const KERNELS: &[(&str, Kernel)] = &[
    ("__index", index),
    ("__member", index),
    ("array_length", array_length),
    ("array_index_of", array_index_of),
    ("set_has_element", set_has_element),
    ("array_concat", array_concat),
    ("pack_array", pack_array),
    ("bag_pack", bag_pack),
    ("pack_all", pack_all),
    ("bag_pack_columns", bag_pack),
    ("column_names_of", |_, _| {
        Err(crate::error::ExecError::Internal {
            context: "column_names_of",
            message: "the binder replaces the call by the column names".into(),
        })
    }),
    ("strcat_array", strcat_array),
    ("bag_keys", bag_keys),
    ("array_slice", array_slice),
    ("array_sort_asc", |a, c| array_sort(a, c, false)),
    ("array_sort_desc", |a, c| array_sort(a, c, true)),
    ("array_reverse", array_reverse),
    ("set_union", |a, c| set_op(a, c, SetOp::Union)),
    ("set_intersect", |a, c| set_op(a, c, SetOp::Intersect)),
    ("set_difference", |a, c| set_op(a, c, SetOp::Difference)),
    ("dynamic_to_json", dynamic_to_json),
];

/// An argument as JSON values, one per row (or one for a constant).
pub(crate) enum Json {
    Scalar(Value),
    Rows(Vec<Value>),
}

impl Json {
    #[inline]
    pub fn get(&self, row: usize) -> &Value {
        match self {
            Json::Scalar(v) => v,
            Json::Rows(v) => v.get(row).unwrap_or(&Value::Null),
        }
    }
}

/// The JSON value of a constant; `parse_text`: a string holds JSON text.
pub(crate) fn scalar_json(v: &ScalarValue, parse_text: bool) -> Value {
    match v {
        ScalarValue::Null(_) => Value::Null,
        ScalarValue::Bool(b) => Value::Bool(*b),
        ScalarValue::Int(i) => Value::from(*i),
        ScalarValue::Long(i) => Value::from(*i),
        ScalarValue::Real(r) => serde_json::Number::from_f64(*r).map_or(Value::Null, Value::Number),
        ScalarValue::Dynamic(j) => j.clone(),
        ScalarValue::String(s) if parse_text => {
            parse_dynamic(s).unwrap_or_else(|| Value::String(s.clone()))
        }
        other => Value::String(scalar_text(other).unwrap_or_default()),
    }
}

/// Argument `i` as JSON. Dynamic columns are parsed; with `parse_text`, so
/// are string columns (a parameter that wants an array or bag).
pub(crate) fn json(
    args: &[Datum],
    ctx: &KernelContext,
    i: usize,
    parse_text: bool,
) -> Result<Json> {
    let ty = args::arg_type(ctx, i);
    let a = match args::arg(args, i)? {
        Datum::Scalar(v) => return Ok(Json::Scalar(scalar_json(v, parse_text))),
        Datum::Array(a) => a,
    };
    let rows = a.len();
    let cell = |j: Option<Value>| j.unwrap_or(Value::Null);
    Ok(Json::Rows(match ty {
        KType::Dynamic => {
            let s = a.as_string::<i32>();
            (0..rows)
                .map(|r| {
                    if s.is_null(r) {
                        Value::Null
                    } else {
                        cell(parse_dynamic(s.value(r)))
                    }
                })
                .collect()
        }
        KType::String | KType::Guid => {
            let s = a.as_string::<i32>();
            (0..rows)
                .map(|r| {
                    if s.is_null(r) {
                        Value::Null
                    } else if parse_text {
                        parse_dynamic(s.value(r))
                            .unwrap_or_else(|| Value::String(s.value(r).to_string()))
                    } else {
                        Value::String(s.value(r).to_string())
                    }
                })
                .collect()
        }
        KType::Bool => a
            .as_boolean()
            .iter()
            .map(|v| v.map_or(Value::Null, Value::Bool))
            .collect(),
        KType::Int | KType::Long => super::conversion::long_array(a, ty)?
            .iter()
            .map(|v| v.map_or(Value::Null, Value::from))
            .collect(),
        KType::Real | KType::Decimal => super::conversion::real_array(a, ty)?
            .iter()
            .map(|v| {
                v.and_then(serde_json::Number::from_f64)
                    .map_or(Value::Null, Value::Number)
            })
            .collect(),
        KType::DateTime | KType::TimeSpan => text_array(a, ty)?
            .iter()
            .map(|v| v.map_or(Value::Null, |s| Value::String(s.to_string())))
            .collect(),
    }))
}

/// Writes a JSON value as a dynamic cell (`false` for null: an SQL null).
fn put(out: &mut String, v: &Value) -> bool {
    if v.is_null() {
        return false;
    }
    out.push_str(&v.to_string());
    true
}

/// The text of a JSON value as `tostring` shows it.
pub(crate) fn value_text(v: &Value, out: &mut String) {
    match v {
        Value::Null => {}
        Value::String(s) => out.push_str(s),
        other => out.push_str(&other.to_string()),
    }
}

fn index(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let base = json(args, ctx, 0, true)?;
    let key_ty = args::arg_type(ctx, 1);
    let by_position = key_ty.is_numeric();
    let pos = args::long(args, ctx, 1)?;
    let key = args::text(args, ctx, 1)?;
    Ok(strings(ctx.rows, 0, |i, out| {
        let v = base.get(i);
        let found = match v {
            Value::Array(items) if by_position => pos.get(i).and_then(|n| {
                let k = if n < 0 {
                    (items.len() as i64).saturating_add(n)
                } else {
                    n
                };
                usize::try_from(k).ok().and_then(|k| items.get(k))
            }),
            Value::Object(map) if !by_position => map.get(key.get(i)),
            _ => None,
        };
        found.is_some_and(|f| put(out, f))
    }))
}

fn array_length(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let a = json(args, ctx, 0, true)?;
    let out: Int64Array = (0..ctx.rows)
        .map(|i| match a.get(i) {
            Value::Array(v) => Some(v.len() as i64),
            _ => None,
        })
        .collect();
    Ok(Arc::new(out))
}

/// Loose equality for lookups: numbers by value, everything else exactly.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Number(x), Value::String(s)) | (Value::String(s), Value::Number(x)) => {
            s.parse::<f64>().ok() == x.as_f64()
        }
        _ => a == b,
    }
}

fn array_index_of(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let a = json(args, ctx, 0, true)?;
    let look = json(args, ctx, 1, false)?;
    let opt = |k: usize| -> Result<Option<args::Long>> {
        if args.len() > k {
            Ok(Some(args::long(args, ctx, k)?))
        } else {
            Ok(None)
        }
    };
    let (start, length, occ) = (opt(2)?, opt(3)?, opt(4)?);
    let get = |o: &Option<args::Long>, i: usize, d: i64| o.as_ref().map_or(Some(d), |l| l.get(i));
    let out: Int64Array = (0..ctx.rows)
        .map(|i| {
            let Value::Array(items) = a.get(i) else {
                return None;
            };
            let n = items.len() as i64;
            let s = get(&start, i, 0)?;
            let s = if s < 0 { n.saturating_add(s).max(0) } else { s };
            let len = get(&length, i, -1)?;
            let end = if len < 0 {
                n
            } else {
                s.saturating_add(len).min(n)
            };
            let want = get(&occ, i, 1)?;
            let mut seen = 0;
            for k in s..end {
                if same(&items[k as usize], look.get(i)) {
                    seen += 1;
                    if seen == want {
                        return Some(k);
                    }
                }
            }
            Some(-1)
        })
        .collect();
    Ok(Arc::new(out))
}

fn set_has_element(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let a = json(args, ctx, 0, true)?;
    let look = json(args, ctx, 1, false)?;
    let out: BooleanArray = (0..ctx.rows)
        .map(|i| match a.get(i) {
            Value::Array(items) => Some(items.iter().any(|v| same(v, look.get(i)))),
            _ => None,
        })
        .collect();
    Ok(Arc::new(out))
}

fn all_json(args: &[Datum], ctx: &KernelContext, parse_text: bool) -> Result<Vec<Json>> {
    (0..args.len())
        .map(|i| json(args, ctx, i, parse_text))
        .collect()
}

fn array_concat(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let parts = all_json(args, ctx, true)?;
    Ok(strings(ctx.rows, 0, |i, out| {
        let mut all = Vec::new();
        for p in &parts {
            match p.get(i) {
                Value::Array(items) => all.extend(items.iter().cloned()),
                _ => return false,
            }
        }
        put(out, &Value::Array(all))
    }))
}

fn pack_array(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let parts = all_json(args, ctx, false)?;
    Ok(strings(ctx.rows, 0, |i, out| {
        put(
            out,
            &Value::Array(parts.iter().map(|p| p.get(i).clone()).collect()),
        )
    }))
}

fn bag_pack(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let parts = all_json(args, ctx, false)?;
    let keys: Vec<args::Text> = (0..args.len())
        .step_by(2)
        .map(|k| args::text(args, ctx, k))
        .collect::<Result<_>>()?;
    Ok(strings(ctx.rows, 0, |i, out| {
        let mut map = serde_json::Map::new();
        for (n, k) in keys.iter().enumerate() {
            let v = parts
                .get(2 * n + 1)
                .map_or(Value::Null, |p| p.get(i).clone());
            map.insert(k.get(i).to_string(), v);
        }
        put(out, &Value::Object(map))
    }))
}

/// `pack_all`: the binder passes (ignore_null_empty, name, value, name, value, …).
fn pack_all(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let skip = args::scalar_arg(args, 0) == Some(&ScalarValue::Bool(true));
    let rest = args.get(1..).unwrap_or_default();
    let ctx = &KernelContext {
        arg_types: ctx.arg_types.get(1..).unwrap_or_default(),
        ..*ctx
    };
    let parts = all_json(rest, ctx, false)?;
    let keys: Vec<args::Text> = (0..rest.len())
        .step_by(2)
        .map(|k| args::text(rest, ctx, k))
        .collect::<Result<_>>()?;
    Ok(strings(ctx.rows, 0, |i, out| {
        let mut map = serde_json::Map::new();
        for (n, k) in keys.iter().enumerate() {
            let v = parts
                .get(2 * n + 1)
                .map_or(Value::Null, |p| p.get(i).clone());
            let empty = matches!(&v, Value::Null) || matches!(&v, Value::String(t) if t.is_empty());
            if !(skip && empty) {
                map.insert(k.get(i).to_string(), v);
            }
        }
        put(out, &Value::Object(map))
    }))
}

fn strcat_array(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let a = json(args, ctx, 0, true)?;
    let d = args::text(args, ctx, 1)?;
    Ok(strings(ctx.rows, 0, |i, out| {
        let Value::Array(items) = a.get(i) else {
            return true;
        };
        for (k, v) in items.iter().enumerate() {
            if k > 0 {
                out.push_str(d.get(i));
            }
            value_text(v, out);
        }
        true
    }))
}

fn bag_keys(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let a = json(args, ctx, 0, true)?;
    Ok(strings(ctx.rows, 0, |i, out| match a.get(i) {
        Value::Object(m) => put(
            out,
            &Value::Array(m.keys().map(|k| Value::String(k.clone())).collect()),
        ),
        _ => false,
    }))
}

fn array_slice(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let a = json(args, ctx, 0, true)?;
    let start = args::long(args, ctx, 1)?;
    let end = args::long(args, ctx, 2)?;
    Ok(strings(ctx.rows, 0, |i, out| {
        let Value::Array(items) = a.get(i) else {
            return false;
        };
        let n = items.len() as i64;
        let fix = |v: i64| if v < 0 { n.saturating_add(v) } else { v };
        let (Some(s), Some(e)) = (start.get(i), end.get(i)) else {
            return false;
        };
        let (s, e) = (fix(s).max(0), fix(e).min(n - 1));
        let slice: Vec<Value> = if s > e {
            Vec::new()
        } else {
            items[s as usize..=e as usize].to_vec()
        };
        put(out, &Value::Array(slice))
    }))
}

/// Sort order for dynamic values: numbers, then strings, then the rest by
/// JSON text; nulls last.
pub(crate) fn cmp_values(a: &Value, b: &Value) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (a, b) {
        (Value::Null, Value::Null) => Ordering::Equal,
        (Value::Null, _) => Ordering::Greater,
        (_, Value::Null) => Ordering::Less,
        (Value::Number(x), Value::Number(y)) => x
            .as_f64()
            .partial_cmp(&y.as_f64())
            .unwrap_or(Ordering::Equal),
        (Value::Number(_), _) => Ordering::Less,
        (_, Value::Number(_)) => Ordering::Greater,
        (Value::String(x), Value::String(y)) => x.cmp(y),
        _ => a.to_string().cmp(&b.to_string()),
    }
}

/// `array_sort_asc(a1, a2, …[, nulls_last])`: one array sorted; with several
/// (of one length), an array of them all, permuted as the first sorts
/// (stable, so equal keys keep their order).
fn array_sort(args: &[Datum], ctx: &KernelContext, desc: bool) -> Result<ArrayRef> {
    let mut count = args.len();
    let nulls_last = match ctx.arg_types.last() {
        Some(KType::Bool) if count > 1 => {
            count -= 1;
            Some(args::boolean(args, ctx, count)?)
        }
        _ => None,
    };
    let arrays = (0..count)
        .map(|i| json(args, ctx, i, true))
        .collect::<Result<Vec<_>>>()?;
    Ok(strings(ctx.rows, 0, |i, out| {
        let mut rows = Vec::with_capacity(arrays.len());
        for a in &arrays {
            match a.get(i) {
                Value::Array(items) => rows.push(items),
                _ => return false,
            }
        }
        let Some(first) = rows.first() else {
            return false;
        };
        if rows.iter().any(|r| r.len() != first.len()) {
            return false;
        }
        let last = match &nulls_last {
            None | Some(args::Bool::Scalar(None)) => true,
            Some(args::Bool::Scalar(Some(b))) => *b,
            Some(args::Bool::Array(a)) => a.is_null(i) || a.value(i),
        };
        let mut order: Vec<usize> = (0..first.len()).collect();
        order.sort_by(|&x, &y| {
            let (x, y) = (&first[x], &first[y]);
            match (x.is_null(), y.is_null()) {
                (true, true) => std::cmp::Ordering::Equal,
                (true, false) if last => std::cmp::Ordering::Greater,
                (false, true) if last => std::cmp::Ordering::Less,
                (true, false) => std::cmp::Ordering::Less,
                (false, true) => std::cmp::Ordering::Greater,
                _ if desc => cmp_values(x, y).reverse(),
                _ => cmp_values(x, y),
            }
        });
        let sorted: Vec<Value> = rows
            .iter()
            .map(|r| Value::Array(order.iter().map(|&k| r[k].clone()).collect()))
            .collect();
        match <[Value; 1]>::try_from(sorted) {
            Ok([one]) => put(out, &one),
            Err(all) => put(out, &Value::Array(all)),
        }
    }))
}

fn array_reverse(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let a = json(args, ctx, 0, true)?;
    Ok(strings(ctx.rows, 0, |i, out| {
        let Value::Array(items) = a.get(i) else {
            return false;
        };
        put(out, &Value::Array(items.iter().rev().cloned().collect()))
    }))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum SetOp {
    Union,
    Intersect,
    Difference,
}

/// Kusto's set functions: distinct values in first-seen order; null if an
/// argument is not an array.
fn set_op(args: &[Datum], ctx: &KernelContext, op: SetOp) -> Result<ArrayRef> {
    let parts = all_json(args, ctx, true)?;
    Ok(strings(ctx.rows, 0, |i, out| {
        let mut arrays = Vec::with_capacity(parts.len());
        for p in &parts {
            match p.get(i) {
                Value::Array(items) => arrays.push(items),
                _ => return false,
            }
        }
        let Some((first, rest)) = arrays.split_first() else {
            return false;
        };
        let mut result: Vec<Value> = Vec::new();
        let candidates: Box<dyn Iterator<Item = &Value>> = match op {
            SetOp::Union => Box::new(arrays.iter().flat_map(|a| a.iter())),
            _ => Box::new(first.iter()),
        };
        for v in candidates {
            let keep = match op {
                SetOp::Union => true,
                SetOp::Intersect => rest.iter().all(|a| a.contains(v)),
                SetOp::Difference => !rest.iter().any(|a| a.contains(v)),
            };
            if keep && !result.contains(v) {
                result.push(v.clone());
            }
        }
        put(out, &Value::Array(result))
    }))
}

fn dynamic_to_json(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let a = json(args, ctx, 0, false)?;
    Ok(strings(ctx.rows, 0, |i, out| {
        out.push_str(&a.get(i).to_string());
        true
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::testing::*;
    use KType::*;

    fn s(v: &str) -> Option<std::string::String> {
        Some(v.to_string())
    }

    #[test]
    fn indexing_split_results() {
        let parts = call(
            "split",
            &[
                strs(&[Some("web01.contoso.com"), Some("solo")]),
                lit_str("."),
            ],
            &[String, String],
        );
        let first = call(
            "__index",
            &[Datum::Array(parts.clone()), lit_long(0)],
            &[Dynamic, Long],
        );
        assert_eq!(texts(&first), vec![s("\"web01\""), s("\"solo\"")]);
        assert_eq!(
            texts(&call("tostring", &[Datum::Array(first)], &[Dynamic])),
            vec![s("web01"), s("solo")]
        );
        let last = call(
            "__index",
            &[Datum::Array(parts.clone()), lit_long(-1)],
            &[Dynamic, Long],
        );
        assert_eq!(texts(&last), vec![s("\"com\""), s("\"solo\"")]);
        let out = call(
            "__index",
            &[Datum::Array(parts.clone()), lit_long(5)],
            &[Dynamic, Long],
        );
        assert_eq!(texts(&out), vec![None, None]);
        assert_eq!(
            longs(&call("array_length", &[Datum::Array(parts)], &[Dynamic])),
            vec![Some(3), Some(1)]
        );
        let bag = strs(&[Some(r#"{"Host":"a.com","n":{"x":[1,2]}}"#), Some("[1]")]);
        assert_eq!(
            texts(&call(
                "__member",
                &[bag.clone(), lit_str("Host")],
                &[Dynamic, String]
            )),
            vec![s("\"a.com\""), None]
        );
        let n = call("__member", &[bag, lit_str("n")], &[Dynamic, String]);
        assert_eq!(texts(&n)[0], s(r#"{"x":[1,2]}"#));
        assert_eq!(
            longs(&call(
                "array_length",
                &[strs(&[Some("{}"), None])],
                &[Dynamic]
            )),
            vec![None, None]
        );
    }

    #[test]
    fn arrays_and_bags() {
        let arr = lit_dyn(r#"[80, 443, "x", 8080]"#);
        assert_eq!(
            longs(&call(
                "array_index_of",
                &[arr.clone(), lit_long(443)],
                &[Dynamic, Long]
            )),
            vec![Some(1)]
        );
        assert_eq!(
            longs(&call(
                "array_index_of",
                &[arr.clone(), lit_str("y")],
                &[Dynamic, String]
            )),
            vec![Some(-1)]
        );
        assert_eq!(
            bools_of(&call(
                "set_has_element",
                &[arr.clone(), lit_str("x")],
                &[Dynamic, String]
            )),
            vec![Some(true)]
        );
        assert_eq!(
            texts(&call(
                "array_slice",
                &[arr.clone(), lit_long(1), lit_long(-2)],
                &[Dynamic, Long, Long]
            )),
            vec![s(r#"[443,"x"]"#)]
        );
        assert_eq!(
            texts(&call(
                "array_sort_asc",
                &[lit_dyn("[3,null,1,2]")],
                &[Dynamic]
            )),
            vec![s("[1,2,3,null]")]
        );
        assert_eq!(
            texts(&call(
                "array_sort_desc",
                &[lit_dyn("[3,null,1,2]")],
                &[Dynamic]
            )),
            vec![s("[3,2,1,null]")]
        );
        assert_eq!(
            texts(&call(
                "strcat_array",
                &[arr.clone(), lit_str(",")],
                &[Dynamic, String]
            )),
            vec![s("80,443,x,8080")]
        );
        assert_eq!(
            texts(&call(
                "array_concat",
                &[lit_dyn("[1]"), lit_dyn(r#"["a"]"#)],
                &[Dynamic, Dynamic]
            )),
            vec![s(r#"[1,"a"]"#)]
        );
        let packed = call(
            "pack_array",
            &[
                strs(&[Some("a")]),
                lit_long(1),
                Datum::Scalar(ScalarValue::Bool(true)),
            ],
            &[String, Long, Bool],
        );
        assert_eq!(texts(&packed), vec![s(r#"["a",1,true]"#)]);
        let bag = call(
            "bag_pack",
            &[
                lit_str("ip"),
                strs(&[Some("1.2.3.4")]),
                lit_str("n"),
                lit_long(2),
            ],
            &[String, String, String, Long],
        );
        assert_eq!(texts(&bag), vec![s(r#"{"ip":"1.2.3.4","n":2}"#)]);
        assert_eq!(
            texts(&call("bag_keys", &[Datum::Array(bag)], &[Dynamic])),
            vec![s(r#"["ip","n"]"#)]
        );
        assert_eq!(
            texts(&call(
                "dynamic_to_json",
                &[lit_dyn(r#"{"b":1,"a":[2]}"#)],
                &[Dynamic]
            )),
            vec![s(r#"{"a":[2],"b":1}"#)]
        );
    }

    #[test]
    fn set_functions() {
        let (a, b) = (lit_dyn("[1,2,2,3]"), lit_dyn("[3,4]"));
        assert_eq!(
            texts(&call(
                "set_union",
                &[a.clone(), b.clone()],
                &[Dynamic, Dynamic]
            )),
            vec![s("[1,2,3,4]")]
        );
        assert_eq!(
            texts(&call(
                "set_intersect",
                &[a.clone(), b.clone()],
                &[Dynamic, Dynamic]
            )),
            vec![s("[3]")]
        );
        assert_eq!(
            texts(&call(
                "set_difference",
                &[a, b.clone()],
                &[Dynamic, Dynamic]
            )),
            vec![s("[1,2]")]
        );
        assert_eq!(
            texts(&call("set_union", &[lit_str("x"), b], &[String, Dynamic])),
            vec![None]
        );
    }
}
