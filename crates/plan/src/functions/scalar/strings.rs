//! Text functions. Kusto strings are never null: a null string (an absent
//! ES|QL field) is read as "" by every function here. Positions and lengths
//! count characters (Unicode scalar values), not bytes, except `string_size`.

use super::sig::sig;
use super::{ScalarFamily, ScalarFunction};
use crate::functions::Arity;
use crate::types::KType;

pub(super) const FAMILY: ScalarFamily = ScalarFamily {
    title: "Strings",
    intro: "Text functions. A null string is read as the empty string, as in Kusto.",
    functions: FUNCTIONS,
};

sig!(strcat_rt, "strcat", [; Text] => String);
sig!(strcat_delim_rt, "strcat_delim", [Text; Text] => String);
sig!(str1_long_rt, "strlen", [Text] => Long);
sig!(str1_str_rt, "this function", [Text] => String);
sig!(str1_dyn_rt, "this function", [Text] => Dynamic);
sig!(has_any_rt, "this function", [Text; Any] => Bool);
sig!(trim_rt, "trim", [Text, Text] => String);
sig!(substring_rt, "substring", [Text, Num, Num] => String);
sig!(indexof_rt, "indexof", [Text, Text, Num, Num, Num] => Long);
sig!(replace_string_rt, "replace_string", [Text, Text, Text] => String);
sig!(replace_regex_rt, "replace_regex", [Text, Text, Text] => String);
sig!(extract_rt, "extract", [Text, Int, Text] => String);
sig!(extract_all_rt, "extract_all", [Text, Any, Text] => Dynamic);
sig!(countof_rt, "countof", [Text, Text, Text] => Long);
sig!(split_rt, "split", [Text, Text, Num] => Dynamic);
sig!(parse_url_rt, "parse_url", [Text] => Dynamic);
sig!(hash_rt, "hash", [Any, Num] => Long);
sig!(strrep_rt, "strrep", [Text, Num, Text] => String);
sig!(has_fn_rt, "this function", [Text, Text] => Bool);
sig!(strcmp_rt, "strcmp", [Text, Text] => Long);
sig!(guid_rt, "new_guid", [] => Guid);
sig!(regex_capture_rt, "__regex_capture", [Text, Text, Text; Int] => String);

/// Kusto's `extract(regex, group, text, typeof(long))` needs the binder to
/// read the type argument; iishunt has the three-argument form.
fn extract_ret(a: &[KType]) -> Result<KType, String> {
    extract_rt(a)
}

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
    f(
        "strcat",
        &[],
        Arity::range(1, 64),
        strcat_rt,
        "Concatenates its arguments as text (each converted as `tostring` does; null is the empty string).",
        "strcat(scStatus, \".\", scSubStatus)",
    ),
    f(
        "strcat_delim",
        &[],
        Arity::range(2, 64),
        strcat_delim_rt,
        "Concatenates the second and later arguments with the first between them.",
        "strcat_delim(\":\", cIP, sPort)",
    ),
    f("strlen", &["length"], Arity::exact(1), str1_long_rt, "The number of characters.", "strlen(csUriQuery) > 1000"),
    f("string_size", &[], Arity::exact(1), str1_long_rt, "The number of bytes (UTF-8).", "string_size(csUserAgent)"),
    f("tolower", &["to_lower"], Arity::exact(1), str1_str_rt, "Lower-case text.", "tolower(csMethod)"),
    f("toupper", &["to_upper"], Arity::exact(1), str1_str_rt, "Upper-case text.", "toupper(csMethod)"),
    f(
        "trim",
        &[],
        Arity::exact(2),
        trim_rt,
        "`trim(regex, text)`: removes leading and trailing matches of the regular expression (Kusto's argument order).",
        "trim(@\"[/\\s]+\", csUriStem)",
    ),
    f("trim_start", &[], Arity::exact(2), trim_rt, "`trim_start(regex, text)`: removes leading matches.", "trim_start(\"/+\", csUriStem)"),
    f("trim_end", &[], Arity::exact(2), trim_rt, "`trim_end(regex, text)`: removes trailing matches.", "trim_end(\"/+\", csUriStem)"),
    f(
        "substring",
        &[],
        Arity::range(2, 3),
        substring_rt,
        "`substring(text, start[, length])` with a 0-based start; out-of-range positions are clamped, giving a shorter or empty string.",
        "substring(Computer, indexof(Computer, \".\") + 1)",
    ),
    f(
        "indexof",
        &[],
        Arity::range(2, 5),
        indexof_rt,
        "`indexof(text, lookup[, start[, length[, occurrence]]])`: the 0-based position of the lookup, or -1.",
        "indexof(Computer, \".\")",
    ),
    f("reverse", &[], Arity::exact(1), str1_str_rt, "The characters in reverse order.", "reverse(csUriStem)"),
    f(
        "replace_string",
        &[],
        Arity::exact(3),
        replace_string_rt,
        "`replace_string(text, lookup, rewrite)`: replaces every occurrence (case-sensitive).",
        "replace_string(csUriStem, \"\\\\\", \"/\")",
    ),
    f(
        "replace_regex",
        &[],
        Arity::exact(3),
        replace_regex_rt,
        "`replace_regex(text, regex, rewrite)`: replaces every match; `\\1` or `$1` in the rewrite is a capture group. An invalid regex is an error.",
        "replace_regex(csUriQuery, @\"password=[^&]*\", \"password=***\")",
    ),
    f(
        "replace",
        &[],
        Arity::exact(3),
        replace_regex_rt,
        "Legacy `replace(regex, rewrite, text)`: as `replace_regex` with the text last.",
        "replace(@\"\\d+\", \"N\", csUriStem)",
    ),
    f(
        "extract",
        &[],
        Arity::exact(3),
        extract_ret,
        "`extract(regex, group, text)`: the capture group (0 = the whole match) of the first match, or the empty string. `extract(regex, group, text, typeof(T))` converts it to T (null when there is no match or the conversion fails).",
        "extract(@\"user=([^&]+)\", 1, csUriQuery)",
    ),
    f(
        "extract_all",
        &[],
        Arity::range(2, 3),
        extract_all_rt,
        "`extract_all(regex, text)` or `extract_all(regex, dynamic([groups]), text)`: every match as a dynamic array (of the capture group when the regex has exactly one, else of arrays of groups).",
        "extract_all(@\"(\\d+\\.\\d+\\.\\d+\\.\\d+)\", csUriQuery)",
    ),
    f(
        "countof",
        &[],
        Arity::range(2, 3),
        countof_rt,
        "`countof(text, search[, kind])`: non-overlapping occurrences of `search`; kind `\"normal\"` (default, plain text) or `\"regex\"`.",
        "countof(csUriQuery, \"'\")",
    ),
    f(
        "split",
        &[],
        Arity::range(2, 3),
        split_rt,
        "`split(text, delimiter[, index])`: a dynamic array of the parts; with an index, an array of that one part (empty when out of range).",
        "split(Computer, \".\")[0]",
    ),
    f(
        "url_decode",
        &[],
        Arity::exact(1),
        str1_str_rt,
        "Decodes `%XX` escapes (and `+` as a space) the way .NET's `HttpUtility.UrlDecode` does (Kusto runs on .NET): invalid escapes are kept as written and invalid UTF-8 becomes U+FFFD.",
        "url_decode(csUriQuery)",
    ),
    f(
        "url_encode",
        &["url_encode_component"],
        Arity::exact(1),
        str1_str_rt,
        "Percent-encodes text as `HttpUtility.UrlEncode`: a space becomes `+`, letters, digits and `-_.!*()` stay, the rest become lower-case `%xx` escapes of their UTF-8 bytes.",
        "url_encode(\"a b/c\")",
    ),
    f(
        "base64_encode_tostring",
        &["base64_encodestring"],
        Arity::exact(1),
        str1_str_rt,
        "Base64 of the text's UTF-8 bytes.",
        "base64_encode_tostring(csUserName)",
    ),
    f(
        "base64_decode_tostring",
        &["base64_decodestring"],
        Arity::exact(1),
        str1_str_rt,
        "Decodes base64 (standard or URL-safe alphabet, padding optional) to text; invalid base64 or bytes that are not UTF-8 give the empty string.",
        "base64_decode_tostring(extract(@\"cmd=([A-Za-z0-9+/=]+)\", 1, csUriQuery))",
    ),
    f(
        "parse_url",
        &[],
        Arity::exact(1),
        parse_url_rt,
        "Splits a URL into a property bag as Kusto: `Scheme`, `Host`, `Port`, `Path`, `Username`, `Password`, `Query Parameters` (a bag, values URL-decoded) and `Fragment`.",
        "parse_url(csReferer).Host",
    ),
    f(
        "parse_path",
        &[],
        Arity::exact(1),
        parse_url_rt,
        "Splits a file path or URL path into a property bag as Kusto: `Scheme`, `RootPath`, `DirectoryPath`, `DirectoryName`, `Filename`, `Extension` and `AlternateDataStreamName` (the NTFS stream after `:` in the file name, as in `web.config::$DATA` probes). `/` and `\\` both separate.",
        "parse_path(csUriStem).Extension",
    ),
    f(
        "strrep",
        &[],
        Arity::range(2, 3),
        strrep_rt,
        "`strrep(text, n[, delimiter])`: the text repeated n times (at most 1,000).",
        "strrep(\"-\", 10)",
    ),
    f(
        "hash",
        &["hash_xxhash64"],
        Arity::range(1, 2),
        hash_rt,
        "A long hash of the value's text: xxHash64 (seed 0) of its UTF-8 bytes, as Kusto (`hash(\"World\")` is 1846988464401551951 in both); with a modulo, `hash % mod` (non-negative).",
        "hash(cIP, 10)",
    ),
    f("hash_sha256", &[], Arity::exact(1), str1_str_rt, "SHA-256 of the text's UTF-8 bytes, as lower-case hex.", "hash_sha256(csUserAgent)"),
    f("regex_quote", &[], Arity::exact(1), str1_str_rt, "The text with every regex special character escaped, to match it literally.", "regex_quote(csUriStem)"),
    f("unicode_codepoints_from_string", &[], Arity::exact(1), str1_dyn_rt, "The Unicode code points of the text, as an array of numbers.", "unicode_codepoints_from_string(\"ab\")"),
    f("hash_sha1", &[], Arity::exact(1), str1_str_rt, "SHA-1 of the text's UTF-8 bytes, as lower-case hex.", "hash_sha1(csUserAgent)"),
    f("hash_md5", &[], Arity::exact(1), str1_str_rt, "MD5 of the text's UTF-8 bytes, as lower-case hex.", "hash_md5(csUserAgent)"),
    f("strcmp", &[], Arity::exact(2), strcmp_rt, "-1, 0 or 1 comparing two strings by ordinal (byte) order.", "strcmp(csMethod, \"GET\")"),
    ScalarFunction {
        name: "new_guid",
        aliases: &[],
        arity: Arity::exact(0),
        return_type: guid_rt,
        volatile: true,
        doc: "A random version-4 GUID (not cryptographic).",
        example: "new_guid()",
    },
    f("has_any_ipv4", &[], Arity::at_least(2), has_any_rt, "`has_any_ipv4(text, ip, …)` (or a dynamic array of addresses): true when an IPv4 address in the text is one of them.", "has_any_ipv4(csUriQuery, dynamic([\"10.0.0.1\", \"10.0.0.2\"]))"),
    f("has_ipv4_prefix", &[], Arity::exact(2), has_any_rt, "`has_ipv4_prefix(text, prefix)`: true when an IPv4 address in the text starts with the prefix, a whole address or octets ending with a dot (`10.`, `192.168.`).", "has_ipv4_prefix(csUriQuery, \"10.0.\")"),
    f("has_any_ipv4_prefix", &[], Arity::at_least(2), has_any_rt, "Like has_ipv4_prefix with several prefixes (or a dynamic array of them).", "has_any_ipv4_prefix(csUriQuery, \"10.\", \"192.168.\")"),
    f(
        "has_ipv4",
        &[],
        Arity::exact(2),
        has_fn_rt,
        "`has_ipv4(text, ip)`: true when the text contains the IPv4 address as a whole (not part of a longer address).",
        "has_ipv4(csUriQuery, \"10.0.0.1\")",
    ),
    // Internal: what DISSECT, GROK and KQL `parse` lower to (bind/parse.rs).
    ScalarFunction {
        name: "__regex_capture",
        aliases: &[],
        arity: Arity::at_least(4),
        return_type: regex_capture_rt,
        volatile: false,
        doc: "`__regex_capture(text, regex, separator, group, …)`: the text of the capture groups that took part in the first match, joined by `separator`; null when the regex does not match or no group took part. Internal: DISSECT, GROK and `parse` are lowered to it.",
        example: "",
    },
];
