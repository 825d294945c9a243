//! String operators: `=~ !~`, `has` and friends, `contains`, `startswith`,
//! `endswith`, `matches regex`, ES|QL `like`/`rlike`, `in`/`in~`, `has_any`,
//! `has_all`. Null text reads as "". Case-insensitive forms compare Unicode
//! lower-case text (ASCII without allocating). `has` is term-based as Kusto:
//! a term is a maximal run of ASCII letters/digits and non-ASCII characters,
//! and `x has "foo"` holds when "foo" occurs with a term boundary (or the edge
//! of the text) on both sides; a needle that starts or ends with punctuation
//! needs no boundary on that side. Constant needles and patterns are prepared
//! once per call (lower-cased, `memmem` finders, compiled regexes, hash sets).

use ahash::AHashSet as HashSet;
use std::borrow::Cow;
use std::sync::Arc;

use arrow::array::*;
use iishunt_plan::types::{KType, ScalarValue};
use memchr::memmem;
use serde_json::Value;

use super::args::{self, bools, RegexCache, Text};
use super::conversion::{parse_datetime, parse_long, parse_real, parse_timespan, scalar_text};
use super::operators::{compare, Cmp};
use crate::datum::{Datum, Kernel, KernelContext};
use crate::error::Result;

pub(crate) const KERNELS: &[(&str, Kernel)] = &[
    ("__eq_ci", |a, c| eq_ci(a, c, false)),
    ("__neq_ci", |a, c| eq_ci(a, c, true)),
    ("__has", |a, c| find(a, c, true, Where::Term)),
    ("__has_cs", |a, c| find(a, c, false, Where::Term)),
    ("__hasprefix", |a, c| find(a, c, true, Where::TermPrefix)),
    ("__hasprefix_cs", |a, c| {
        find(a, c, false, Where::TermPrefix)
    }),
    ("__hassuffix", |a, c| find(a, c, true, Where::TermSuffix)),
    ("__hassuffix_cs", |a, c| {
        find(a, c, false, Where::TermSuffix)
    }),
    ("__contains", |a, c| find(a, c, true, Where::Anywhere)),
    ("__contains_cs", |a, c| find(a, c, false, Where::Anywhere)),
    ("__startswith", |a, c| find(a, c, true, Where::Start)),
    ("__startswith_cs", |a, c| find(a, c, false, Where::Start)),
    ("__endswith", |a, c| find(a, c, true, Where::End)),
    ("__endswith_cs", |a, c| find(a, c, false, Where::End)),
    ("__matches_regex", |a, c| regex_match(a, c, "")),
    ("__rlike", |a, c| regex_match(a, c, "rlike")),
    ("__like", |a, c| regex_match(a, c, "like")),
    ("__in", |a, c| in_list(a, c, false)),
    ("__in_ci", |a, c| in_list(a, c, true)),
    ("__has_any", |a, c| has_list(a, c, false)),
    ("__has_all", |a, c| has_list(a, c, true)),
];

/// Lower-cases `s` into `buf` (ASCII fast path).
#[inline]
pub(crate) fn lower_into(buf: &mut String, s: &str) {
    buf.clear();
    if s.is_ascii() {
        buf.push_str(s);
        buf.make_ascii_lowercase();
    } else {
        for c in s.chars() {
            buf.extend(c.to_lowercase());
        }
    }
}

pub(crate) fn lower(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase() || b >= 0x80) {
        Cow::Owned(s.to_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// Case-insensitive equality, allocating only for non-ASCII text.
#[inline]
pub(crate) fn eq_ignore_case(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.len() == b.len() && a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}

fn eq_ci(args: &[Datum], ctx: &KernelContext, negate: bool) -> Result<ArrayRef> {
    let a = args::text(args, ctx, 0)?;
    let b = args::text(args, ctx, 1)?;
    Ok(match (&a, &b) {
        (Text::Array(x), Text::Scalar(_)) | (Text::Scalar(_), Text::Array(x)) => {
            let needle = a.scalar().or(b.scalar()).unwrap_or("");
            let needle_lower = lower(needle);
            let ascii = needle.is_ascii();
            bools(ctx.rows, |i| {
                let v = if x.is_null(i) { "" } else { x.value(i) };
                let eq = if ascii && v.is_ascii() {
                    v.len() == needle.len() && v.eq_ignore_ascii_case(needle)
                } else {
                    lower(v) == needle_lower
                };
                eq != negate
            })
        }
        _ => bools(ctx.rows, |i| eq_ignore_case(a.get(i), b.get(i)) != negate),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Where {
    Term,
    TermPrefix,
    TermSuffix,
    Anywhere,
    Start,
    End,
}

#[inline]
pub(crate) fn is_term_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

/// Whether `needle` occurs in `hay` at a place `w` accepts (both already in the same case).
#[inline]
fn found(hay: &str, needle: &str, w: Where, finder: Option<&memmem::Finder>) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    match w {
        Where::Start => h.starts_with(n),
        Where::End => h.ends_with(n),
        Where::Anywhere => match finder {
            Some(f) => f.find(h).is_some(),
            None => memmem::find(h, n).is_some(),
        },
        Where::Term | Where::TermPrefix | Where::TermSuffix => {
            if n.is_empty() {
                return false;
            }
            let need_start = w != Where::TermSuffix && is_term_byte(n[0]);
            let need_end = w != Where::TermPrefix && is_term_byte(n[n.len() - 1]);
            let ok = |pos: usize| {
                (!need_start || pos == 0 || !is_term_byte(h[pos - 1]))
                    && (!need_end || pos + n.len() == h.len() || !is_term_byte(h[pos + n.len()]))
            };
            match finder {
                Some(f) => f.find_iter(h).any(ok),
                None => memmem::find_iter(h, n).any(ok),
            }
        }
    }
}

/// `has`, `contains`, `startswith`… with a constant needle prepared once.
fn find(args: &[Datum], ctx: &KernelContext, ci: bool, w: Where) -> Result<ArrayRef> {
    let hay = args::text(args, ctx, 0)?;
    let needle = args::text(args, ctx, 1)?;
    if let Some(n) = needle.scalar() {
        let n = if ci { lower(n) } else { Cow::Borrowed(n) };
        let finder = memmem::Finder::new(n.as_bytes());
        let mut buf = String::new();
        return Ok(bools(ctx.rows, |i| {
            let h = hay.get(i);
            if ci {
                lower_into(&mut buf, h);
                found(&buf, &n, w, Some(&finder))
            } else {
                found(h, &n, w, Some(&finder))
            }
        }));
    }
    let (mut hb, mut nb) = (String::new(), String::new());
    Ok(bools(ctx.rows, |i| {
        if ci {
            lower_into(&mut hb, hay.get(i));
            lower_into(&mut nb, needle.get(i));
            found(&hb, &nb, w, None)
        } else {
            found(hay.get(i), needle.get(i), w, None)
        }
    }))
}

/// ES|QL `LIKE` pattern (`*`, `?`, `\` escapes) as an anchored regex.
pub(crate) fn like_to_regex(p: &str) -> String {
    let mut out = String::from("^");
    let mut chars = p.chars();
    while let Some(c) = chars.next() {
        match c {
            '*' => out.push_str(".*"),
            '?' => out.push('.'),
            '\\' => match chars.next() {
                Some(n) => out.push_str(&regex::escape(&n.to_string())),
                None => out.push_str("\\\\"),
            },
            c => out.push_str(&regex::escape(&c.to_string())),
        }
    }
    out.push('$');
    out
}

fn regex_match(args: &[Datum], ctx: &KernelContext, kind: &'static str) -> Result<ArrayRef> {
    let hay = args::text(args, ctx, 0)?;
    let pat = args::text(args, ctx, 1)?;
    let shape = |p: &str| match kind {
        "like" => like_to_regex(p),
        "rlike" => format!("^(?:{p})$"),
        _ => p.to_string(),
    };
    // LIKE/RLIKE (Lucene): `*` and `.` match newlines too; `matches regex` is RE2 as Kusto.
    let mut cache = RegexCache::new(if kind.is_empty() { "" } else { "(?s)" });
    if let Some(p) = pat.scalar() {
        let re = cache.get(&shape(p))?.clone();
        return Ok(bools(ctx.rows, |i| re.is_match(hay.get(i))));
    }
    let mut out = Vec::with_capacity(ctx.rows);
    for i in 0..ctx.rows {
        out.push(cache.get(&shape(pat.get(i)))?.is_match(hay.get(i)));
    }
    Ok(Arc::new(BooleanArray::from(out)))
}

// ---------------------------------------------------------------- in, has_any

/// List items that are constants, with dynamic arrays flattened.
fn literal_items(args: &[Datum]) -> (Vec<Value>, Vec<usize>) {
    let mut lits = Vec::new();
    let mut columns = Vec::new();
    for (i, d) in args.iter().enumerate().skip(1) {
        match d {
            Datum::Scalar(ScalarValue::Dynamic(Value::Array(items))) => {
                lits.extend(items.iter().cloned())
            }
            Datum::Scalar(ScalarValue::Dynamic(v)) => lits.push(v.clone()),
            Datum::Scalar(v) => lits.push(scalar_json(v)),
            Datum::Array(_) => columns.push(i),
        }
    }
    (lits, columns)
}

fn scalar_json(v: &ScalarValue) -> Value {
    match v {
        ScalarValue::Null(_) => Value::Null,
        ScalarValue::Bool(b) => Value::Bool(*b),
        ScalarValue::Int(i) => Value::from(*i),
        ScalarValue::Long(i) => Value::from(*i),
        ScalarValue::Real(r) => serde_json::Number::from_f64(*r)
            .map(Value::Number)
            .unwrap_or(Value::Null),
        other => Value::String(scalar_text(other).unwrap_or_default()),
    }
}

fn json_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn in_list(args: &[Datum], ctx: &KernelContext, ci: bool) -> Result<ArrayRef> {
    let ty = args::arg_type(ctx, 0);
    let (lits, columns) = literal_items(args);
    let rows = ctx.rows;
    let mut hit: Vec<bool> = match ty {
        t if t.is_integer() || matches!(t, KType::DateTime | KType::TimeSpan | KType::Bool) => {
            let parse = |v: &Value| -> Option<i64> {
                match (v, ty) {
                    (Value::String(s), KType::DateTime) => parse_datetime(s),
                    (Value::String(s), KType::TimeSpan) => parse_timespan(s),
                    (Value::String(s), KType::Bool) => {
                        super::conversion::parse_bool(s).map(i64::from)
                    }
                    (Value::String(s), _) => parse_long(s),
                    (Value::Number(n), _) => n
                        .as_i64()
                        .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
                    (Value::Bool(b), _) => Some(i64::from(*b)),
                    _ => None,
                }
            };
            let set: HashSet<i64> = lits.iter().filter_map(parse).collect();
            let x = args::long(args, ctx, 0)?;
            (0..rows)
                .map(|i| x.get(i).is_some_and(|v| set.contains(&v)))
                .collect()
        }
        KType::Real | KType::Decimal => {
            let set: Vec<f64> = lits
                .iter()
                .filter_map(|v| match v {
                    Value::Number(n) => n.as_f64(),
                    Value::String(s) => parse_real(s),
                    _ => None,
                })
                .collect();
            let x = args::real(args, ctx, 0)?;
            (0..rows)
                .map(|i| x.get(i).is_some_and(|v| set.contains(&v)))
                .collect()
        }
        _ => {
            let set: HashSet<String> = lits
                .iter()
                .filter_map(json_text)
                .map(|s| if ci { s.to_lowercase() } else { s })
                .collect();
            let x = args::text(args, ctx, 0)?;
            let mut buf = String::new();
            (0..rows)
                .map(|i| {
                    if ci {
                        lower_into(&mut buf, x.get(i));
                        set.contains(buf.as_str())
                    } else {
                        set.contains(x.get(i))
                    }
                })
                .collect()
        }
    };
    // Items that are columns: compare row by row.
    for c in columns {
        let pair = [args[0].clone(), args[c].clone()];
        let types = [ty, args::arg_type(ctx, c)];
        let sub = KernelContext {
            rows,
            now: ctx.now,
            arg_types: &types,
            return_type: KType::Bool,
        };
        let eq = if ci {
            eq_ci(&pair, &sub, false)?
        } else {
            compare(&pair, &sub, Cmp::Eq)?
        };
        let eq = eq.as_boolean();
        for (i, h) in hit.iter_mut().enumerate() {
            *h |= eq.is_valid(i) && eq.value(i);
        }
    }
    Ok(Arc::new(BooleanArray::from(hit)))
}

fn has_list(args: &[Datum], ctx: &KernelContext, all: bool) -> Result<ArrayRef> {
    let (lits, columns) = literal_items(args);
    let needles: Vec<String> = lits
        .iter()
        .filter_map(json_text)
        .map(|s| s.to_lowercase())
        .collect();
    let x = args::text(args, ctx, 0)?;
    let rows = ctx.rows;
    let column_needles: Vec<Text> = columns
        .iter()
        .map(|&c| {
            let types = [args::arg_type(ctx, c)];
            let sub = KernelContext {
                rows,
                now: ctx.now,
                arg_types: &types,
                return_type: KType::String,
            };
            args::text(std::slice::from_ref(&args[c]), &sub, 0)
        })
        .collect::<Result<_>>()?;
    // Needles that are single terms are looked up among the row's terms.
    let (terms, complex): (Vec<&String>, Vec<&String>) = needles
        .iter()
        .partition(|n| !n.is_empty() && n.bytes().all(is_term_byte));
    let term_set: HashSet<&str> = terms.iter().map(|s| s.as_str()).collect();
    let finders: Vec<(memmem::Finder, &str)> = complex
        .iter()
        .map(|n| (memmem::Finder::new(n.as_bytes()), n.as_str()))
        .collect();
    let mut buf = String::new();
    let mut nb = String::new();
    let mut seen: HashSet<&str> = HashSet::new();
    let out = (0..rows).map(|i| {
        lower_into(&mut buf, x.get(i));
        let hay = buf.as_str();
        let mut col_hit = |all: bool| {
            let mut hits = column_needles.iter().map(|t| {
                lower_into(&mut nb, t.get(i));
                found(hay, &nb, Where::Term, None)
            });
            if all {
                hits.all(|f| f)
            } else {
                hits.any(|f| f)
            }
        };
        if all {
            seen.clear();
            for term in terms_of(hay) {
                if let Some(t) = term_set.get(term) {
                    seen.insert(t);
                }
            }
            seen.len() == term_set.len()
                && finders
                    .iter()
                    .all(|(f, n)| found(hay, n, Where::Term, Some(f)))
                && col_hit(true)
        } else {
            terms_of(hay).any(|t| term_set.contains(t))
                || finders
                    .iter()
                    .any(|(f, n)| found(hay, n, Where::Term, Some(f)))
                || col_hit(false)
        }
    });
    let out: Vec<bool> = out.collect();
    Ok(Arc::new(BooleanArray::from(out)))
}

/// The terms of (lower-cased) text.
fn terms_of(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| c.is_ascii() && !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::testing::*;
    use KType::*;

    fn op(name: &str, hay: &[Option<&str>], needle: &str) -> Vec<Option<bool>> {
        bools_of(&call(
            name,
            &[strs(hay), lit_str(needle)],
            &[String, String],
        ))
    }

    #[test]
    fn has_is_term_based() {
        let rows = [
            Some("GET /a/b"),
            Some("abc"),
            Some("x-ABC-y"),
            None,
            Some("日本語abc"),
        ];
        assert_eq!(
            op("__has", &rows, "a"),
            vec![
                Some(true),
                Some(false),
                Some(false),
                Some(false),
                Some(false)
            ]
        );
        assert_eq!(
            op("__has", &rows, "b"),
            vec![
                Some(true),
                Some(false),
                Some(false),
                Some(false),
                Some(false)
            ]
        );
        assert_eq!(
            op("__has", &rows, "abc"),
            vec![
                Some(false),
                Some(true),
                Some(true),
                Some(false),
                Some(false)
            ]
        );
        assert_eq!(
            op("__has_cs", &rows, "abc"),
            vec![
                Some(false),
                Some(true),
                Some(false),
                Some(false),
                Some(false)
            ]
        );
        assert_eq!(
            op("__has", &rows, "/a/"),
            vec![
                Some(true),
                Some(false),
                Some(false),
                Some(false),
                Some(false)
            ]
        );
        assert_eq!(
            op("__hasprefix", &rows, "ab"),
            vec![
                Some(false),
                Some(true),
                Some(true),
                Some(false),
                Some(false)
            ]
        );
        assert_eq!(
            op("__hassuffix", &rows, "bc"),
            vec![Some(false), Some(true), Some(true), Some(false), Some(true)]
        );
    }

    #[test]
    fn substring_operators() {
        let rows = [Some("/Admin/Login.aspx"), Some("/admin"), None];
        assert_eq!(
            op("__contains", &rows, "ADMIN"),
            vec![Some(true), Some(true), Some(false)]
        );
        assert_eq!(
            op("__contains_cs", &rows, "Admin"),
            vec![Some(true), Some(false), Some(false)]
        );
        assert_eq!(
            op("__startswith", &rows, "/ADMIN"),
            vec![Some(true), Some(true), Some(false)]
        );
        assert_eq!(
            op("__endswith", &rows, ".ASPX"),
            vec![Some(true), Some(false), Some(false)]
        );
        assert_eq!(
            op("__endswith_cs", &rows, ".ASPX"),
            vec![Some(false), Some(false), Some(false)]
        );
        assert_eq!(
            op("__eq_ci", &rows, "/ADMIN"),
            vec![Some(false), Some(true), Some(false)]
        );
        assert_eq!(
            op("__neq_ci", &rows, "/ADMIN"),
            vec![Some(true), Some(false), Some(true)]
        );
        assert_eq!(
            op("__eq_ci", &[Some("8009030C"), Some("ÄB")], "8009030c"),
            vec![Some(true), Some(false)]
        );
        assert_eq!(op("__eq_ci", &[Some("ÄB")], "äb"), vec![Some(true)]);
    }

    #[test]
    fn regex_like_rlike() {
        let rows = [Some("/wp-login.php"), Some("/index.html"), None];
        assert_eq!(
            op("__matches_regex", &rows, r"\.php$"),
            vec![Some(true), Some(false), Some(false)]
        );
        assert_eq!(
            op("__like", &rows, "*.php"),
            vec![Some(true), Some(false), Some(false)]
        );
        assert_eq!(
            op("__like", &rows, "/index.htm?"),
            vec![Some(false), Some(true), Some(false)]
        );
        assert_eq!(
            op("__like", &rows, "*.PHP"),
            vec![Some(false), Some(false), Some(false)]
        );
        assert_eq!(
            op("__rlike", &rows, r"/wp-.*"),
            vec![Some(true), Some(false), Some(false)]
        );
        assert_eq!(
            op("__rlike", &rows, r"wp-"),
            vec![Some(false), Some(false), Some(false)]
        );
        let k = crate::functions::kernel("__matches_regex").expect("kernel");
        let types = [String, String];
        let ctx = KernelContext {
            rows: 3,
            now: 0,
            arg_types: &types,
            return_type: Bool,
        };
        let err = k(&[strs(&rows), lit_str("(")], &ctx).expect_err("bad regex");
        assert!(err.to_string().starts_with("invalid regex `(`"), "{err}");
    }

    #[test]
    fn in_lists_convert_to_the_column() {
        let status = strs(&[Some("401"), Some("403"), Some("200"), None]);
        let out = call(
            "__in",
            &[status.clone(), lit_str("401"), lit_str("403")],
            &[String, String, String],
        );
        assert_eq!(
            bools_of(&out),
            vec![Some(true), Some(true), Some(false), Some(false)]
        );
        let out = call(
            "__in",
            &[status, lit_long(401), lit_long(200)],
            &[String, Long, Long],
        );
        assert_eq!(
            bools_of(&out),
            vec![Some(true), Some(false), Some(true), Some(false)]
        );
        let port = int_col(&[Some(80), Some(443), Some(8080), None]);
        let out = call(
            "__in",
            &[port, lit_str("80"), lit_str("443")],
            &[Int, String, String],
        );
        assert_eq!(
            bools_of(&out),
            vec![Some(true), Some(true), Some(false), Some(false)]
        );
        let m = strs(&[Some("get"), Some("POST")]);
        let out = call(
            "__in_ci",
            &[m.clone(), lit_dyn(r#"["GET","put"]"#)],
            &[String, Dynamic],
        );
        assert_eq!(bools_of(&out), vec![Some(true), Some(false)]);
        let out = call(
            "__in",
            &[m.clone(), strs(&[Some("x"), Some("POST")])],
            &[String, String],
        );
        assert_eq!(bools_of(&out), vec![Some(false), Some(true)]);
    }

    #[test]
    fn has_any_and_all() {
        let uri = strs(&[
            Some("/cgi-bin/Shell.php?cmd=id"),
            Some("/index"),
            Some("status 302 found"),
        ]);
        let out = call(
            "__has_any",
            &[uri.clone(), lit_str("shell"), lit_str("etc/passwd")],
            &[String, String, String],
        );
        assert_eq!(bools_of(&out), vec![Some(true), Some(false), Some(false)]);
        let out = call(
            "__has_any",
            &[uri.clone(), lit_dyn("[200, 302]")],
            &[String, Dynamic],
        );
        assert_eq!(bools_of(&out), vec![Some(false), Some(false), Some(true)]);
        let out = call(
            "__has_any",
            &[uri.clone(), lit_str("cmd=id")],
            &[String, String],
        );
        assert_eq!(bools_of(&out), vec![Some(true), Some(false), Some(false)]);
        let out = call(
            "__has_all",
            &[uri, lit_str("cgi"), lit_str("php")],
            &[String, String, String],
        );
        assert_eq!(bools_of(&out), vec![Some(true), Some(false), Some(false)]);
    }
}
