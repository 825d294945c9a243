//! (in progress)

use crate::datum::Kernel;

pub(crate) const KERNELS: &[(&str, Kernel)] = &[];
