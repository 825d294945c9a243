//! IP addresses (held as text, as Sentinel does): IPv4 ranges, private
//! ranges, comparison with prefixes.

use super::sig::sig;
use super::{ScalarFamily, ScalarFunction};
use crate::functions::Arity;
use crate::types::KType;

pub(super) const FAMILY: ScalarFamily = ScalarFamily {
    title: "IP addresses",
    intro: "IPv4 text like `10.1.2.3` or `10.1.0.0/16`. Text that is not an IPv4 address gives null (so an IPv6 `cIP` is neither private nor public).",
    functions: FUNCTIONS,
};

sig!(ip1_bool_rt, "this function", [Text] => Bool);
sig!(in_range_rt, "ipv4_is_in_range", [Text, Text] => Bool);
sig!(in_any_rt, "ipv4_is_in_any_range", [Text; Any] => Bool);
sig!(match_rt, "ipv4_is_match", [Text, Text, Int] => Bool);
sig!(parse_rt, "parse_ipv4", [Text] => Long);
sig!(parse_mask_rt, "parse_ipv4_mask", [Text, Int] => Long);
sig!(compare_rt, "ipv4_compare", [Text, Text, Int] => Long);
sig!(format_rt, "format_ipv4", [Any, Int] => String);
sig!(v6_match_rt, "ipv6_is_match", [Text, Text, Int] => Bool);
sig!(v6_compare_rt, "ipv6_compare", [Text, Text, Int] => Long);
sig!(v6_range_rt, "ipv6_is_in_range", [Text, Text] => Bool);
sig!(v6_in_any_rt, "ipv6_is_in_any_range", [Text; Any] => Bool);
sig!(parse_v6_rt, "parse_ipv6", [Text] => String);
sig!(parse_v6_mask_rt, "parse_ipv6_mask", [Text, Int] => String);
sig!(suffix_rt, "ipv4_netmask_suffix", [Text] => Int);
sig!(cidr_list_rt, "ipv4_range_to_cidr_list", [Text, Text] => Dynamic);

const fn f(
    name: &'static str,
    aliases: &'static [&'static str],
    arity: Arity,
    return_type: crate::functions::ReturnTypeFn,
    doc: &'static str,
    example: &'static str,
) -> ScalarFunction {
    ScalarFunction {
        name,
        aliases,
        arity,
        return_type,
        volatile: false,
        doc,
        example,
    }
}

pub(super) const FUNCTIONS: &[ScalarFunction] = &[
    f("ipv4_is_private", &[], Arity::exact(1), ip1_bool_rt, "True for 10.0.0.0/8, 172.16.0.0/12 and 192.168.0.0/16 (RFC 1918).", "not(ipv4_is_private(cIP))"),
    f("ipv4_is_in_range", &[], Arity::exact(2), in_range_rt, "`ipv4_is_in_range(ip, range)`: true when the address is in the range (`10.0.0.0/8`, or one address).", "ipv4_is_in_range(cIP, \"10.0.0.0/8\")"),
    f(
        "ipv4_is_in_any_range",
        &[],
        Arity::at_least(2),
        in_any_rt,
        "`ipv4_is_in_any_range(ip, range, …)` (ranges may be a dynamic array): true when the address is in one of them.",
        "ipv4_is_in_any_range(cIP, dynamic([\"10.0.0.0/8\", \"192.168.0.0/16\"]))",
    ),
    f(
        "ipv4_is_match",
        &[],
        Arity::range(2, 3),
        match_rt,
        "`ipv4_is_match(ip1, ip2[, prefix])`: the two addresses are equal in their first `prefix` bits (default 32, or the smaller `/n` written on either).",
        "ipv4_is_match(cIP, \"10.1.2.0\", 24)",
    ),
    f("parse_ipv4", &[], Arity::exact(1), parse_rt, "The address as a long (`10.0.0.1` → 167772161); a `/n` suffix masks it.", "parse_ipv4(cIP)"),
    f("parse_ipv4_mask", &[], Arity::exact(2), parse_mask_rt, "`parse_ipv4_mask(ip, prefix)`: the masked address as a long.", "parse_ipv4_mask(cIP, 24)"),
    f(
        "ipv4_compare",
        &[],
        Arity::range(2, 3),
        compare_rt,
        "`ipv4_compare(ip1, ip2[, prefix])`: -1, 0 or 1 comparing the (masked) addresses.",
        "ipv4_compare(cIP, \"10.0.0.0\", 8) == 0",
    ),
    f(
        "ipv6_compare",
        &[],
        Arity::range(2, 3),
        v6_compare_rt,
        "`ipv6_compare(ip1, ip2[, prefix])`: -1, 0 or 1 comparing IPv6 (or IPv4, as mapped addresses) in their first `prefix` bits (default 128, or the smaller `/n` written on either).",
        "ipv6_compare(cIP, \"fe80::\", 10) == 0",
    ),
    f(
        "ipv6_is_match",
        &[],
        Arity::range(2, 3),
        v6_match_rt,
        "`ipv6_is_match(ip1, ip2[, prefix])`: the addresses are equal in their first `prefix` bits.",
        "ipv6_is_match(cIP, \"2001:db8::/32\")",
    ),
    f(
        "ipv6_is_in_range",
        &[],
        Arity::exact(2),
        v6_range_rt,
        "`ipv6_is_in_range(ip, range)`: true when the address is in the IPv6 (or IPv4) range.",
        "ipv6_is_in_range(cIP, \"2001:db8::/32\")",
    ),
    f(
        "ipv6_is_in_any_range",
        &[],
        Arity::at_least(2),
        v6_in_any_rt,
        "`ipv6_is_in_any_range(ip, range, …)` (constant ranges, or a dynamic array of them): true when the IPv6 (or IPv4) address is in one of them.",
        "ipv6_is_in_any_range(cIP, dynamic([\"2001:db8::/32\", \"fe80::/10\"]))",
    ),
    f(
        "parse_ipv6",
        &[],
        Arity::exact(1),
        parse_v6_rt,
        "The canonical IPv6 form, eight groups of four hex digits, masked by a `/n` suffix; IPv4 text (and `::a.b.c.d`) becomes the IPv4-mapped address, its `/n` counting IPv4 bits.",
        "parse_ipv6(cIP)",
    ),
    f(
        "parse_ipv6_mask",
        &[],
        Arity::exact(2),
        parse_v6_mask_rt,
        "`parse_ipv6_mask(ip, prefix)`: like parse_ipv6, masked to the smaller of the 0–128 prefix and the address's own.",
        "parse_ipv6_mask(cIP, 64)",
    ),
    f(
        "ipv4_netmask_suffix",
        &[],
        Arity::exact(1),
        suffix_rt,
        "The `/n` of IPv4 text as an int, 32 without one; null for text that is not IPv4.",
        "ipv4_netmask_suffix(\"10.0.0.0/8\")",
    ),
    f(
        "ipv4_range_to_cidr_list",
        &[],
        Arity::exact(2),
        cidr_list_rt,
        "`ipv4_range_to_cidr_list(start, end)`: the fewest CIDR blocks that cover the range exactly, as a dynamic array; null when start > end.",
        "ipv4_range_to_cidr_list(\"10.0.0.5\", \"10.0.0.20\")",
    ),
    f(
        "format_ipv4",
        &[],
        Arity::range(1, 2),
        format_rt,
        "Dotted text of an address given as text or a long, optionally masked to a prefix.",
        "format_ipv4(parse_ipv4(cIP), 24)",
    ),
    f(
        "format_ipv4_mask",
        &[],
        Arity::range(1, 2),
        format_rt,
        "Like format_ipv4, followed by `/prefix`: the network in CIDR notation (`192.168.1.0/24`).",
        "format_ipv4_mask(cIP, 24)",
    ),
];
