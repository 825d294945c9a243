//! (filled in below)

use super::{ScalarFamily, ScalarFunction};

pub(super) const FAMILY: ScalarFamily = ScalarFamily {
    title: "datetime",
    intro: "",
    functions: FUNCTIONS,
};

pub(super) const FUNCTIONS: &[ScalarFunction] = &[];
