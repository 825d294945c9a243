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
mod docs;
mod dynamic;
mod esql;
mod hash;
mod ip;
mod math;
mod operators;
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
                datetime::KERNELS,
                math::KERNELS,
                dynamic::KERNELS,
                ip::KERNELS,
                esql::KERNELS,
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
}
