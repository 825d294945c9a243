//! Scalar function kernels, keyed by the registry's canonical names
//! (`iishunt_plan::functions::scalar_functions`). One file per family, each
//! with a `KERNELS` table and its table-driven tests; args.rs reads arguments
//! of any type the same way everywhere. Kernels are vectorised over Arrow
//! arrays and treat constants (`Datum::Scalar`) without materialising them on
//! the hot paths (comparisons, string operators, `strcat`, `case`).

#![cfg_attr(test, allow(clippy::cloned_ref_to_slice_refs))]

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::datum::Kernel;

mod args;
#[cfg(test)]
mod bench;
mod conditional;
mod conversion;
mod datetime;
mod decompose;
mod docs;
mod dynamic;
pub(crate) use dynamic::scalar_json;
mod esql;
mod esql_convert;
mod esql_math;
mod esql_mv;
mod esql_ops;
mod esql_period;
mod esql_text;
mod geo;
mod geo_s2;
mod hash;
pub(crate) use hash::xxh64;
mod ip;
pub(crate) use ip::{mask as ipv4_mask, parse_v4, parse_v6};
mod math;
mod arrays;
mod operators;
mod parsing;
mod series;
mod sketch;
mod special;
mod strings;
mod strops;
#[cfg(test)]
mod testing;

pub(crate) use conversion::convert;

/// The kernel for a registry entry's canonical name.
pub fn kernel(name: &str) -> Option<Kernel> {
    static TABLE: OnceLock<HashMap<&'static str, Kernel>> = OnceLock::new();
    TABLE
        .get_or_init(|| {
            [
                operators::KERNELS,
                strops::KERNELS,
                conditional::KERNELS,
                conversion::KERNELS,
                strings::KERNELS,
                parsing::KERNELS,
                special::KERNELS,
                datetime::KERNELS,
                math::KERNELS,
                dynamic::KERNELS,
                arrays::KERNELS,
                series::KERNELS,
                sketch::KERNELS,
                decompose::KERNELS,
                ip::KERNELS,
                geo::KERNELS,
                geo_s2::KERNELS,
                esql::KERNELS,
                esql_math::KERNELS,
                esql_text::KERNELS,
                esql_convert::KERNELS,
                esql_mv::KERNELS,
                esql_ops::KERNELS,
                esql_period::KERNELS,
            ]
            .iter()
            .flat_map(|t| t.iter().copied())
            .collect()
        })
        .get(name)
        .copied()
}

pub use docs::render_functions_md;

#[cfg(test)]
mod tests {
    use iishunt_plan::functions::scalar_functions;

    #[test]
    fn every_scalar_function_has_a_kernel() {
        let missing: Vec<&str> = scalar_functions()
            .iter()
            .map(|f| f.name)
            .filter(|n| super::kernel(n).is_none())
            .collect();
        assert!(missing.is_empty(), "no kernel for: {missing:?}");
    }

    #[test]
    fn no_duplicate_names_or_aliases() {
        let mut seen = std::collections::HashSet::new();
        for f in scalar_functions() {
            for n in std::iter::once(&f.name).chain(f.aliases.iter()) {
                assert!(seen.insert(*n), "duplicate scalar function name `{n}`");
            }
        }
    }

    /// No input makes a kernel panic or return the wrong shape: every entry is
    /// called with a sample of argument types its return-type rule accepts,
    /// each argument a column of awkward values (null, empty, negative, huge)
    /// or a constant.
    #[test]
    fn kernels_survive_awkward_input() {
        use std::sync::Arc;

        use arrow::array::*;
        use iishunt_plan::types::{KType, ScalarValue};

        use crate::datum::{Datum, KernelContext};

        const TYPES: [KType; 8] = [
            KType::Bool,
            KType::Int,
            KType::Long,
            KType::Real,
            KType::String,
            KType::DateTime,
            KType::TimeSpan,
            KType::Dynamic,
        ];
        fn column(t: KType) -> ArrayRef {
            match t {
                KType::Bool => Arc::new(BooleanArray::from(vec![
                    Some(true),
                    None,
                    Some(false),
                    None,
                ])),
                KType::Int => Arc::new(Int32Array::from(vec![
                    Some(0),
                    None,
                    Some(-1),
                    Some(i32::MAX),
                ])),
                KType::Long => Arc::new(Int64Array::from(vec![
                    Some(0),
                    None,
                    Some(-1),
                    Some(i64::MIN),
                ])),
                KType::Real => Arc::new(Float64Array::from(vec![
                    Some(f64::NAN),
                    None,
                    Some(-1.5),
                    Some(1e300),
                ])),
                KType::DateTime => Arc::new(TimestampMicrosecondArray::from(vec![
                    Some(0),
                    None,
                    Some(-1),
                    Some(i64::MAX),
                ])),
                KType::TimeSpan => Arc::new(DurationMicrosecondArray::from(vec![
                    Some(0),
                    None,
                    Some(-1),
                    Some(i64::MIN),
                ])),
                KType::Dynamic => Arc::new(StringArray::from(vec![
                    Some("[1,\"a\",null]"),
                    None,
                    Some("{\"k\":{}}"),
                    Some("not json"),
                ])),
                _ => Arc::new(StringArray::from(vec![
                    Some(""),
                    None,
                    Some("%zz%u12 /a.b\\c?x=1&y"),
                    Some("\u{1F600}é10.0.0.1/99"),
                ])),
            }
        }
        fn constant(t: KType, k: usize) -> ScalarValue {
            match (t, k % 3) {
                (_, 0) => ScalarValue::Null(t),
                (KType::Bool, _) => ScalarValue::Bool(k % 2 == 0),
                (KType::Int, _) => ScalarValue::Int(if k % 2 == 0 { 0 } else { -3 }),
                (KType::Long, _) => ScalarValue::Long(if k % 2 == 0 { 0 } else { i64::MAX }),
                (KType::Real, _) => ScalarValue::Real(f64::INFINITY),
                (KType::DateTime, _) => ScalarValue::DateTime(1_772_985_912_000_000),
                (KType::TimeSpan, _) => {
                    ScalarValue::TimeSpan(if k % 2 == 0 { 0 } else { 600_000_000 })
                }
                (KType::Dynamic, _) => ScalarValue::Dynamic(serde_json::json!([1, "x"])),
                _ => ScalarValue::String(if k % 2 == 0 { "(".into() } else { "day".into() }),
            }
        }
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed as usize
        };
        let mut calls = 0;
        for f in scalar_functions() {
            let k = super::kernel(f.name).expect("kernel");
            let max = f.arity.max.unwrap_or(f.arity.min + 3).min(f.arity.min + 3);
            for _ in 0..96 {
                let n = f.arity.min + next() % (max - f.arity.min + 1);
                let types: Vec<KType> = (0..n).map(|_| TYPES[next() % TYPES.len()]).collect();
                let Ok(ret) = (f.return_type)(&types) else {
                    continue;
                };
                let args: Vec<Datum> = types
                    .iter()
                    .map(|&t| {
                        if next() % 3 == 0 {
                            Datum::Scalar(constant(t, next()))
                        } else {
                            Datum::Array(column(t))
                        }
                    })
                    .collect();
                let ctx = KernelContext {
                    rows: 4,
                    now: 1_772_985_912_000_000,
                    arg_types: &types,
                    return_type: ret,
                };
                let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| k(&args, &ctx)))
                    .unwrap_or_else(|_| panic!("{} panicked on {types:?}", f.name));
                if let Ok(a) = out {
                    assert_eq!(a.len(), 4, "{} on {types:?}: wrong length", f.name);
                    assert_eq!(
                        a.data_type(),
                        &ret.arrow_type(),
                        "{} on {types:?}: wrong type",
                        f.name
                    );
                }
                calls += 1;
            }
        }
        assert!(calls > 2000, "only {calls} calls");
    }
}
