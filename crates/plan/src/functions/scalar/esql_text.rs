//! ES|QL string and date-name functions beyond the first set in `esql.rs`:
//! `REPEAT`, `SPACE`, `CONTAINS`, `BIT_LENGTH`, `BYTE_LENGTH`, base64,
//! URL encoding with Elasticsearch's upper-case hex, `TO_LOWER`/`TO_UPPER`
//! of each value of a multi-value, `DAY_NAME`, `MONTH_NAME`, `TO_VERSION`.

use super::sig::sig;
use super::unaliased as f;
use super::{ScalarFamily, ScalarFunction};
use crate::functions::Arity;
use crate::types::KType;

pub(super) const FAMILY: ScalarFamily = ScalarFamily {
    title: "ES|QL string functions",
    intro: "More string functions with Elasticsearch's semantics, for ES|QL queries (internally `esql_<name>`). A null argument gives null.",
    functions: FUNCTIONS,
};

sig!(repeat_rt, "repeat", [Text, Int] => String);
sig!(space_rt, "space", [Int] => String);
sig!(contains_rt, "contains", [Text, Text] => Bool);
sig!(len_rt, "bit_length/byte_length", [Text] => Int);
sig!(text_rt, "this function", [Text] => String);
sig!(name_rt, "day_name/month_name", [Date] => String);

/// Text in, text out; a multi-value gives each value converted.
fn case_rt(a: &[KType]) -> Result<KType, String> {
    match a.first() {
        Some(KType::Dynamic) => Ok(KType::Dynamic),
        Some(_) => Ok(KType::String),
        None => Err("to_lower/to_upper take a string".into()),
    }
}

pub(super) const FUNCTIONS: &[ScalarFunction] = &[
    f("esql_repeat", Arity::exact(2), repeat_rt, "`REPEAT(str, n)`: the text n times (null for a negative n, or a result over 1 MiB).", "REPEAT(\"ab\", 3)"),
    f("esql_space", Arity::exact(1), space_rt, "n spaces (null for a negative n, or over 1 MiB).", "CONCAT(a, SPACE(1), b)"),
    f("esql_contains", Arity::exact(2), contains_rt, "True when the string contains the substring (case-sensitive).", "CONTAINS(url.path, \"admin\")"),
    f("esql_bit_length", Arity::exact(1), len_rt, "The length of the UTF-8 text in bits.", "BIT_LENGTH(city)"),
    f("esql_byte_length", Arity::exact(1), len_rt, "The length of the UTF-8 text in bytes.", "BYTE_LENGTH(city)"),
    f("esql_to_base64", Arity::exact(1), text_rt, "The UTF-8 bytes in base64.", "TO_BASE64(\"elastic\")"),
    f("esql_from_base64", Arity::exact(1), text_rt, "Base64 decoded to text (null when it is not base64 of UTF-8 text).", "FROM_BASE64(\"ZWxhc3RpYw==\")"),
    f("esql_url_encode", Arity::exact(1), text_rt, "Percent-encodes every byte but letters, digits, `.`, `-`, `_` and `~`, with upper-case hex; a space becomes `+`.", "URL_ENCODE(url.original)"),
    f("esql_url_encode_component", Arity::exact(1), text_rt, "As URL_ENCODE, but a space becomes `%20`.", "URL_ENCODE_COMPONENT(url.query)"),
    f("esql_to_lower", Arity::exact(1), case_rt, "Lower-case text; each value of a multi-value.", "TO_LOWER(user.name)"),
    f("esql_to_upper", Arity::exact(1), case_rt, "Upper-case text; each value of a multi-value.", "TO_UPPER(host.name)"),
    f("esql_day_name", Arity::exact(1), name_rt, "The English name of the weekday (`Monday`).", "DAY_NAME(@timestamp)"),
    f("esql_month_name", Arity::exact(1), name_rt, "The English name of the month (`March`).", "MONTH_NAME(@timestamp)"),
    f("esql_to_version", Arity::exact(1), text_rt, "A version string, kept as text (iishunt has no version type: versions compare as text).", "TO_VERSION(\"1.2.3\")"),
];
