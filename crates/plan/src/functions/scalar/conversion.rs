//! Conversions between Kusto types (`tostring`, `tolong`, `todatetime`, …) and
//! `tohex`. Bad input never fails a query: it becomes null (`tolong("abc")`).
//! The binder also calls these to coerce operands (`scStatus == 404`).

use super::sig::sig;
use super::{ScalarFamily, ScalarFunction};
use crate::functions::Arity;
use crate::types::KType;

pub(super) const FAMILY: ScalarFamily = ScalarFamily {
    title: "Conversions",
    intro: "Convert between types; text that does not parse becomes null.",
    functions: FUNCTIONS,
};

sig!(tostring_rt, "tostring", [Any] => String);
sig!(tolong_rt, "tolong", [Any] => Long);
sig!(toint_rt, "toint", [Any] => Int);
sig!(toreal_rt, "toreal", [Any] => Real);
sig!(todecimal_rt, "todecimal", [Any] => Decimal);
sig!(tobool_rt, "tobool", [Any] => Bool);
sig!(todatetime_rt, "todatetime", [Any] => DateTime);
sig!(totimespan_rt, "totimespan", [Any] => TimeSpan);
sig!(todynamic_rt, "todynamic", [Any] => Dynamic);
sig!(tohex_rt, "tohex", [Num, Int] => String);
sig!(gettype_rt, "gettype", [Any] => String);

const fn conv(
    name: &'static str,
    aliases: &'static [&'static str],
    return_type: crate::functions::ReturnTypeFn,
    doc: &'static str,
    example: &'static str,
) -> ScalarFunction {
    ScalarFunction {
        name,
        aliases,
        arity: Arity::exact(1),
        return_type,
        volatile: false,
        doc,
        example,
    }
}

pub(super) const FUNCTIONS: &[ScalarFunction] = &[
    conv(
        "tostring",
        &["to_string"],
        tostring_rt,
        "Text of any value: numbers in invariant form, datetimes as `2026-03-08T16:05:12.0000000Z` (Kusto's format), timespans as `[d.]hh:mm:ss[.fffffff]`, a dynamic string without its quotes, other dynamic values as JSON. Null gives the empty string.",
        "tostring(split(Computer, \".\")[0])",
    ),
    conv(
        "tolong",
        &["to_long"],
        tolong_rt,
        "A long from a number (reals truncated), a bool (0/1), a datetime/timespan (ticks are not used: microseconds), or text holding an integer; anything else is null.",
        "tolong(scWin32Status)",
    ),
    conv(
        "toint",
        &["to_integer", "to_int"],
        toint_rt,
        "An int (32-bit) from a number or text; longs outside the int range wrap like Kusto; unparsable text is null.",
        "toint(scStatus) >= 400",
    ),
    conv(
        "toreal",
        &["todouble", "to_double"],
        toreal_rt,
        "A real (64-bit float) from a number or text; unparsable text is null.",
        "toreal(TimeTaken) / 1000",
    ),
    conv(
        "todecimal",
        &[],
        todecimal_rt,
        "A decimal from a number or text. iishunt holds decimals as 64-bit reals (about 15 significant digits).",
        "todecimal(\"1.5\")",
    ),
    conv(
        "tobool",
        &["toboolean", "to_boolean"],
        tobool_rt,
        "A bool from `true`/`false` text (any case) or a number (non-zero is true); anything else is null.",
        "tobool(\"TRUE\")",
    ),
    conv(
        "todatetime",
        &["to_datetime"],
        todatetime_rt,
        "A datetime from ISO 8601 text (`2026-03-08T16:05:12Z`, `2026-03-08 16:05:12.123`, `2026-03-08`, with or without an offset), RFC 1123 text (`Sun, 08 Mar 2026 16:05:12 GMT`) or `MM/dd/yyyy [HH:mm:ss]`; times without an offset are UTC.",
        "todatetime(\"2026-03-08 16:05:12\")",
    ),
    conv(
        "totimespan",
        &["totime"],
        totimespan_rt,
        "A timespan from `[-][d.]hh:mm[:ss[.fffffff]]` text or a literal like `10m`, `1.5h`, `2d`, `100ms`.",
        "totimespan(\"00:10:00\")",
    ),
    conv(
        "todynamic",
        &["parse_json", "to_dynamic"],
        todynamic_rt,
        "Parses JSON text into a dynamic value; text that is not JSON becomes a dynamic string.",
        "todynamic(\"{\\\"a\\\": [1, 2]}\").a[1]",
    ),
    ScalarFunction {
        name: "tohex",
        aliases: &[],
        arity: Arity::range(1, 2),
        return_type: tohex_rt,
        volatile: false,
        doc: "Lower-case hexadecimal text of an integer; negative values as two's complement (64-bit for long, 32-bit for int), as Kusto: `tohex(-1)` is `ffffffffffffffff`. The optional second argument pads with zeros to that many digits.",
        example: "tohex(tolong(scWin32Status))",
    },
    conv(
        "gettype",
        &[],
        gettype_rt,
        "The Kusto type name of a value: `string`, `long`, `datetime`…; for dynamic values the JSON kind (`array`, `dictionary`, `string`, `long`, `real`, `bool`, `null`).",
        "gettype(todynamic(\"[1]\"))",
    ),
];
