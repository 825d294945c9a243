//! A line the reader could not turn into a row, and why. Rejects are never
//! silently dropped: the store writes each to `DIR/_rejects/` and the
//! summary counts them by [`RejectReason::code`].

use std::fmt;
use std::sync::Arc;

/// Why a line was rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RejectReason {
    /// The line has more or fewer values than the `#Fields` in force.
    FieldCount {
        /// Values the `#Fields` line announces.
        expected: usize,
        /// Values the line holds.
        got: usize,
    },
    /// `date` or `time` is not a valid date/time.
    BadTimestamp,
    /// The section has `time` but no `date`, and no `#Date` directive came before.
    NoDate,
    /// A numeric field holds something other than digits or `-`.
    BadNumber {
        /// The W3C field name.
        field: String,
    },
    /// A data line before any `#Fields` directive.
    NoFields,
    /// A `#Fields` directive this reader cannot use.
    BadDirective {
        /// What is wrong with it.
        detail: String,
    },
    /// A line of a non-W3C format (NCSA) that does not have that format's shape.
    Malformed {
        /// What is wrong with it.
        detail: String,
    },
    /// The line is longer than the limit.
    OverLong {
        /// Its length in bytes.
        len: u64,
    },
}

impl RejectReason {
    /// A stable, short code for counting and for the rejects file.
    pub fn code(&self) -> &'static str {
        match self {
            RejectReason::FieldCount { .. } => "field_count",
            RejectReason::BadTimestamp => "bad_timestamp",
            RejectReason::NoDate => "no_date",
            RejectReason::BadNumber { .. } => "bad_number",
            RejectReason::NoFields => "no_fields",
            RejectReason::BadDirective { .. } => "bad_directive",
            RejectReason::Malformed { .. } => "malformed",
            RejectReason::OverLong { .. } => "over_long",
        }
    }
}

impl fmt::Display for RejectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RejectReason::FieldCount { expected, got } => {
                write!(f, "{got} values where #Fields announces {expected}")
            }
            RejectReason::BadTimestamp => write!(f, "invalid date or time"),
            RejectReason::NoDate => write!(f, "time without date and no #Date directive before it"),
            RejectReason::BadNumber { field } => write!(f, "{field} is not a number"),
            RejectReason::NoFields => write!(f, "data line before any #Fields directive"),
            RejectReason::BadDirective { detail } => write!(f, "unusable directive: {detail}"),
            RejectReason::Malformed { detail } => f.write_str(detail),
            RejectReason::OverLong { len } => write!(f, "line of {len} bytes is over the limit"),
        }
    }
}

/// One rejected line.
#[derive(Clone, Debug)]
pub struct Reject {
    /// The source file, as shown to users.
    pub file: Arc<str>,
    /// 1-based line number in the (decompressed) file.
    pub line: u64,
    /// Why.
    pub reason: RejectReason,
    /// The raw line (invalid UTF-8 replaced; over-long lines truncated).
    pub text: String,
}
