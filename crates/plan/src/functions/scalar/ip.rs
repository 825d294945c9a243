//! (filled in below)

use super::{ScalarFamily, ScalarFunction};

pub(super) const FAMILY: ScalarFamily = ScalarFamily {
    title: "ip",
    intro: "",
    functions: FUNCTIONS,
};

pub(super) const FUNCTIONS: &[ScalarFunction] = &[];
