//! Comparison, arithmetic and logical operators (`__eq`, `__add`, `__and`, …).
//! Comparisons run arrow's `cmp` kernels, with constants passed as arrow
//! `Scalar`s, after bringing both sides to one type: numbers to the wider of the
//! two (int < long < real), text with null read as "" (so `csUserName != "-"`
//! holds for a null name); a null number or datetime compares as null, which
//! `where` drops. Arithmetic follows Kusto: int op int is int, int/long mixes
//! are long, anything with a real is real; integers wrap on overflow, integer
//! division truncates toward zero and dividing by zero gives null; datetime and
//! timespan arithmetic works on microseconds.

use std::sync::Arc;

use arrow::array::*;
use arrow::compute::kernels::{boolean, cmp};
use arrow::datatypes::*;
use iishunt_plan::types::{KType, ScalarValue};

use super::args::{self, broadcast};
use super::conversion::{scalar_to_long, scalar_to_real};
use crate::datum::{Datum, Kernel, KernelContext};
use crate::error::{ExecError, Result};

pub(crate) const KERNELS: &[(&str, Kernel)] = &[
    ("__eq", |a, c| compare(a, c, Cmp::Eq)),
    ("__neq", |a, c| compare(a, c, Cmp::Neq)),
    ("__lt", |a, c| compare(a, c, Cmp::Lt)),
    ("__le", |a, c| compare(a, c, Cmp::Le)),
    ("__gt", |a, c| compare(a, c, Cmp::Gt)),
    ("__ge", |a, c| compare(a, c, Cmp::Ge)),
    ("__add", |a, c| arith(a, c, Op::Add)),
    ("__sub", |a, c| arith(a, c, Op::Sub)),
    ("__mul", |a, c| arith(a, c, Op::Mul)),
    ("__div", |a, c| arith(a, c, Op::Div)),
    ("__mod", |a, c| arith(a, c, Op::Mod)),
    ("__neg", neg),
    ("__not", not),
    ("not", not),
    ("__and", |a, c| logic(a, c, true)),
    ("__or", |a, c| logic(a, c, false)),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cmp {
    Eq,
    Neq,
    Lt,
    Le,
    Gt,
    Ge,
}

/// One comparison operand, ready for arrow's `cmp` kernels.
enum Side {
    Array(ArrayRef),
    Scalar(ArrayRef),
}

impl Side {
    fn datum(&self) -> Box<dyn arrow::array::Datum + '_> {
        match self {
            Side::Array(a) => Box::new(a.clone()),
            Side::Scalar(a) => Box::new(Scalar::new(a.clone())),
        }
    }
    fn is_scalar(&self) -> bool {
        matches!(self, Side::Scalar(_))
    }
}

/// The Arrow type both sides of a comparison are brought to.
fn compare_type(a: KType, b: KType) -> DataType {
    if let Some(t) = KType::numeric_join(a, b) {
        return t.arrow_type();
    }
    if a.is_stringy() || a == KType::Dynamic {
        return DataType::Utf8;
    }
    a.arrow_type()
}

/// `raw_json`: both sides are dynamic and compare as JSON text; otherwise a
/// dynamic side is read as `tostring` reads it (a JSON string unquoted).
fn side(d: &Datum, ty: KType, target: &DataType, raw_json: bool) -> Result<Side> {
    match d {
        Datum::Scalar(v) => {
            let one: ArrayRef = match target {
                DataType::Int32 => {
                    Arc::new(Int32Array::from(vec![scalar_to_long(v).map(|x| x as i32)]))
                }
                DataType::Int64 => Arc::new(Int64Array::from(vec![scalar_to_long(v)])),
                DataType::Float64 => Arc::new(Float64Array::from(vec![scalar_to_real(v)])),
                DataType::Utf8 => {
                    let s = match v {
                        ScalarValue::Dynamic(_) if raw_json => v_json(v),
                        _ => super::conversion::scalar_text(v).unwrap_or_default(),
                    };
                    Arc::new(StringArray::from(vec![s]))
                }
                _ => crate::scalar::scalar_to_array(v, 1)?,
            };
            Ok(Side::Scalar(one))
        }
        Datum::Array(a) => {
            let a = match target {
                DataType::Utf8 => {
                    let s = a.as_string_opt::<i32>().ok_or_else(|| {
                        ExecError::internal("compare", format!("{ty} held as {}", a.data_type()))
                    })?;
                    if ty == KType::Dynamic && !raw_json {
                        Arc::new(null_as_empty(&super::conversion::text_array(a, ty)?)) as ArrayRef
                    } else {
                        Arc::new(null_as_empty(s)) as ArrayRef
                    }
                }
                t if a.data_type() != t => arrow::compute::cast(a, t)?,
                _ => a.clone(),
            };
            Ok(Side::Array(a))
        }
    }
}

/// Dynamic constants compare by their JSON text, as dynamic columns do.
fn v_json(v: &ScalarValue) -> String {
    match v {
        ScalarValue::Dynamic(j) => j.to_string(),
        _ => String::new(),
    }
}

/// The same strings with nulls read as "" (Kusto strings are never null).
pub(crate) fn null_as_empty(s: &StringArray) -> StringArray {
    if s.null_count() == 0 {
        return s.clone();
    }
    s.iter().map(|v| Some(v.unwrap_or(""))).collect()
}

pub(crate) fn compare(args: &[Datum], ctx: &KernelContext, op: Cmp) -> Result<ArrayRef> {
    let (lt, rt) = (args::arg_type(ctx, 0), args::arg_type(ctx, 1));
    let target = compare_type(lt, rt);
    let raw_json = lt == KType::Dynamic && rt == KType::Dynamic;
    let l = side(args::arg(args, 0)?, lt, &target, raw_json)?;
    let r = side(args::arg(args, 1)?, rt, &target, raw_json)?;
    let (ld, rd) = (l.datum(), r.datum());
    let out = match op {
        Cmp::Eq => cmp::eq(ld.as_ref(), rd.as_ref())?,
        Cmp::Neq => cmp::neq(ld.as_ref(), rd.as_ref())?,
        Cmp::Lt => cmp::lt(ld.as_ref(), rd.as_ref())?,
        Cmp::Le => cmp::lt_eq(ld.as_ref(), rd.as_ref())?,
        Cmp::Gt => cmp::gt(ld.as_ref(), rd.as_ref())?,
        Cmp::Ge => cmp::gt_eq(ld.as_ref(), rd.as_ref())?,
    };
    let out: ArrayRef = Arc::new(out);
    if l.is_scalar() && r.is_scalar() {
        broadcast(out, ctx.rows)
    } else {
        Ok(out)
    }
}

// ---------------------------------------------------------------- arithmetic

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
}

/// Integers: wrapping, division/modulo by zero null.
fn int_op(op: Op, a: i64, b: i64) -> Option<i64> {
    match op {
        Op::Add => Some(a.wrapping_add(b)),
        Op::Sub => Some(a.wrapping_sub(b)),
        Op::Mul => Some(a.wrapping_mul(b)),
        Op::Div => (b != 0).then(|| a.wrapping_div(b)),
        // Kusto's % is never negative: -14 % 12 and -14 % -12 are 10
        // (numerical-operators.md).
        Op::Mod => (b != 0).then(|| a.wrapping_rem_euclid(b)),
    }
}

fn real_op(op: Op, a: f64, b: f64) -> f64 {
    match op {
        Op::Add => a + b,
        Op::Sub => a - b,
        Op::Mul => a * b,
        Op::Div => a / b,
        Op::Mod => a % b,
    }
}

fn longs_of(d: &Datum, ctx: &KernelContext, i: usize) -> Result<args::Long> {
    args::long(std::slice::from_ref(d), &sub_ctx(ctx, i), 0)
}

fn reals_of(d: &Datum, ctx: &KernelContext, i: usize) -> Result<args::Real> {
    args::real(std::slice::from_ref(d), &sub_ctx(ctx, i), 0)
}

fn sub_ctx<'a>(ctx: &'a KernelContext, i: usize) -> KernelContext<'a> {
    KernelContext {
        rows: ctx.rows,
        now: ctx.now,
        arg_types: ctx.arg_types.get(i..i + 1).unwrap_or(&[]),
        return_type: ctx.return_type,
    }
}

/// `f` over two integer operands, vectorised when one side is a constant.
fn long_binary(
    a: &args::Long,
    b: &args::Long,
    rows: usize,
    f: impl Fn(i64, i64) -> Option<i64>,
) -> Int64Array {
    match (a, b) {
        (args::Long::Array(x), args::Long::Scalar(Some(s))) => x.unary_opt(|v| f(v, *s)),
        (args::Long::Scalar(Some(s)), args::Long::Array(y)) => y.unary_opt(|v| f(*s, v)),
        (args::Long::Scalar(None), _) | (_, args::Long::Scalar(None)) => Int64Array::new_null(rows),
        _ => (0..rows).map(|i| f(a.get(i)?, b.get(i)?)).collect(),
    }
}

fn real_binary(
    a: &args::Real,
    b: &args::Real,
    rows: usize,
    f: impl Fn(f64, f64) -> f64,
) -> Float64Array {
    match (a, b) {
        (args::Real::Array(x), args::Real::Scalar(Some(s))) => x.unary(|v| f(v, *s)),
        (args::Real::Scalar(Some(s)), args::Real::Array(y)) => y.unary(|v| f(*s, v)),
        (args::Real::Array(x), args::Real::Array(y)) => {
            arrow::compute::binary(x, y, &f).unwrap_or_else(|_| (0..rows).map(|_| None).collect())
        }
        (args::Real::Scalar(None), _) | (_, args::Real::Scalar(None)) => {
            Float64Array::new_null(rows)
        }
        (args::Real::Scalar(Some(x)), args::Real::Scalar(Some(y))) => {
            Float64Array::from_value(f(*x, *y), rows)
        }
    }
}

fn arith(args: &[Datum], ctx: &KernelContext, op: Op) -> Result<ArrayRef> {
    let (lt, rt) = (args::arg_type(ctx, 0), args::arg_type(ctx, 1));
    let (a, b) = (args::arg(args, 0)?, args::arg(args, 1)?);
    let rows = ctx.rows;
    let ret = ctx.return_type;
    let is_real = |t: KType| matches!(t, KType::Real | KType::Decimal);
    // Reals (and timespan × real, timespan / timespan): in f64.
    let real_math = matches!(ret, KType::Real | KType::Decimal)
        || (ret == KType::TimeSpan && (is_real(lt) || is_real(rt)));
    if real_math {
        let (x, y) = (reals_of(a, ctx, 0)?, reals_of(b, ctx, 1)?);
        let out = real_binary(&x, &y, rows, |p, q| real_op(op, p, q));
        return Ok(match ret {
            KType::TimeSpan => Arc::new(out.unary_opt::<_, DurationMicrosecondType>(|v| {
                v.is_finite().then(|| v.round() as i64)
            })),
            _ => Arc::new(out),
        });
    }
    let (x, y) = (longs_of(a, ctx, 0)?, longs_of(b, ctx, 1)?);
    let out = long_binary(&x, &y, rows, |p, q| int_op(op, p, q));
    Ok(match ret {
        KType::Int => Arc::new(out.unary::<_, Int32Type>(|v| v as i32)),
        KType::DateTime => Arc::new(out.reinterpret_cast::<TimestampMicrosecondType>()),
        KType::TimeSpan => Arc::new(out.reinterpret_cast::<DurationMicrosecondType>()),
        _ => Arc::new(out),
    })
}

fn neg(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    let ret = ctx.return_type;
    if matches!(ret, KType::Real | KType::Decimal) {
        return Ok(match args::real(args, ctx, 0)? {
            args::Real::Scalar(v) => Arc::new(Float64Array::from(vec![v.map(|v| -v); ctx.rows])),
            args::Real::Array(a) => Arc::new(a.unary::<_, Float64Type>(|v| -v)),
        });
    }
    let out: Int64Array = match args::long(args, ctx, 0)? {
        args::Long::Scalar(v) => Int64Array::from(vec![v.map(i64::wrapping_neg); ctx.rows]),
        args::Long::Array(a) => a.unary(i64::wrapping_neg),
    };
    Ok(match ret {
        KType::Int => Arc::new(out.unary::<_, Int32Type>(|v| v as i32)),
        KType::TimeSpan => Arc::new(out.reinterpret_cast::<DurationMicrosecondType>()),
        _ => Arc::new(out),
    })
}

fn bool_arg_col(args: &[Datum], ctx: &KernelContext, i: usize) -> Result<BooleanArray> {
    Ok(match args::boolean(args, ctx, i)? {
        args::Bool::Scalar(v) => BooleanArray::from(vec![v; ctx.rows]),
        args::Bool::Array(a) => a,
    })
}

fn not(args: &[Datum], ctx: &KernelContext) -> Result<ArrayRef> {
    Ok(Arc::new(boolean::not(&bool_arg_col(args, ctx, 0)?)?))
}

/// Three-valued `and` / `or` (false and null is false; true or null is true).
fn logic(args: &[Datum], ctx: &KernelContext, and: bool) -> Result<ArrayRef> {
    let (a, b) = (bool_arg_col(args, ctx, 0)?, bool_arg_col(args, ctx, 1)?);
    Ok(Arc::new(if and {
        boolean::and_kleene(&a, &b)?
    } else {
        boolean::or_kleene(&a, &b)?
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::testing::*;
    use KType::*;

    #[test]
    fn comparisons() {
        let s = strs(&[Some("-"), None, Some("bob")]);
        assert_eq!(
            bools_of(&call(
                "__neq",
                &[s.clone(), lit_str("-")],
                &[String, String]
            )),
            vec![Some(false), Some(true), Some(true)]
        );
        assert_eq!(
            bools_of(&call("__eq", &[s, lit_str("")], &[String, String])),
            vec![Some(false), Some(true), Some(false)]
        );
        // Mixed numbers compare in the wider type; null numbers compare as null.
        let i = int_col(&[Some(1), Some(2), None]);
        let r = real_col(&[Some(1.0), Some(1.5), Some(0.0)]);
        assert_eq!(
            bools_of(&call("__eq", &[i.clone(), r.clone()], &[Int, Real])),
            vec![Some(true), Some(false), None]
        );
        assert_eq!(
            bools_of(&call("__gt", &[i.clone(), lit_long(1)], &[Int, Long])),
            vec![Some(false), Some(true), None]
        );
        assert_eq!(
            bools_of(&call("__le", &[lit_long(2), i], &[Long, Int])),
            vec![Some(false), Some(true), None]
        );
        let d = dt_col(&[Some(10), Some(20)]);
        let lit = Datum::Scalar(ScalarValue::DateTime(15));
        assert_eq!(
            bools_of(&call("__lt", &[d, lit], &[DateTime, DateTime])),
            vec![Some(true), Some(false)]
        );
        // A dynamic string compares with text by its value.
        let d = strs(&[Some("\"web01\""), Some("[1]")]);
        assert_eq!(
            bools_of(&call("__eq", &[d, lit_str("web01")], &[Dynamic, String])),
            vec![Some(true), Some(false)]
        );
        // Two constants broadcast.
        let out = run("__eq", &[lit_long(1), lit_long(1)], &[Long, Long], Bool);
        assert_eq!(bools_of(&out), vec![Some(true)]);
    }

    #[test]
    fn arithmetic() {
        let a = long_col(&[Some(7), Some(-7), Some(5), None, Some(i64::MAX)]);
        let b = long_col(&[Some(2), Some(2), Some(0), Some(1), Some(1)]);
        assert_eq!(
            longs(&call("__div", &[a.clone(), b.clone()], &[Long, Long])),
            vec![Some(3), Some(-3), None, None, Some(i64::MAX)]
        );
        assert_eq!(
            // Kusto's % is never negative (numerical-operators.md: -14 % 12 is 10).
            longs(&call("__mod", &[a.clone(), b.clone()], &[Long, Long])),
            vec![Some(1), Some(1), None, None, Some(0)]
        );
        assert_eq!(
            longs(&call("__add", &[a, b], &[Long, Long])),
            vec![Some(9), Some(-5), Some(5), None, Some(i64::MIN)]
        );
        let i = int_col(&[Some(7), Some(i32::MAX)]);
        assert_eq!(
            ints(&call(
                "__add",
                &[i.clone(), Datum::Scalar(ScalarValue::Int(1))],
                &[Int, Int]
            )),
            vec![Some(8), Some(i32::MIN)]
        );
        assert_eq!(
            longs(&call("__mul", &[i.clone(), lit_long(2)], &[Int, Long])),
            vec![Some(14), Some(4_294_967_294)]
        );
        assert_eq!(
            reals(&call(
                "__div",
                &[i, Datum::Scalar(ScalarValue::Real(2.0))],
                &[Int, Real]
            ))[0],
            Some(3.5)
        );
        // datetime ± timespan, datetime − datetime, timespan ÷ timespan.
        let d = dt_col(&[Some(1_000_000), None]);
        let s = Datum::Scalar(ScalarValue::TimeSpan(600_000_000));
        assert_eq!(
            dts(&call(
                "__add",
                &[d.clone(), s.clone()],
                &[DateTime, TimeSpan]
            )),
            vec![Some(601_000_000), None]
        );
        assert_eq!(
            spans(&call("__sub", &[d.clone(), d], &[DateTime, DateTime])),
            vec![Some(0), None]
        );
        let t = span_col(&[Some(600_000_000)]);
        assert_eq!(
            reals(&call(
                "__div",
                &[t.clone(), s.clone()],
                &[TimeSpan, TimeSpan]
            )),
            vec![Some(1.0)]
        );
        assert_eq!(
            spans(&call(
                "__mul",
                &[t.clone(), Datum::Scalar(ScalarValue::Real(1.5))],
                &[TimeSpan, Real]
            )),
            vec![Some(900_000_000)]
        );
        assert_eq!(
            spans(&call("__div", &[t, lit_long(0)], &[TimeSpan, Long])),
            vec![None]
        );
        assert_eq!(
            longs(&call("__neg", &[long_col(&[Some(3), None])], &[Long])),
            vec![Some(-3), None]
        );
    }

    #[test]
    fn three_valued_logic() {
        let a = bool_col(&[Some(true), Some(false), None, None]);
        let b = bool_col(&[None, None, Some(false), Some(true)]);
        assert_eq!(
            bools_of(&call("__and", &[a.clone(), b.clone()], &[Bool, Bool])),
            vec![None, Some(false), Some(false), None]
        );
        assert_eq!(
            bools_of(&call("__or", &[a.clone(), b], &[Bool, Bool])),
            vec![Some(true), None, None, Some(true)]
        );
        assert_eq!(
            bools_of(&call("__not", &[a], &[Bool])),
            vec![Some(false), Some(true), None, None]
        );
    }
}
