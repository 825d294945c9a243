//! Parsing and encoding: CSV records, URL queries, Windows command lines,
//! GUIDs, byte counts, regex positions, compressed base64 and punycode.

use super::sig::sig;
use super::unaliased as f;
use super::{ScalarFamily, ScalarFunction};
use crate::functions::Arity;
use crate::types::KType;

pub(super) const FAMILY: ScalarFamily = ScalarFamily {
    title: "Parsing and encoding",
    intro: "Text taken apart (CSV, URL queries, command lines) into dynamic arrays and bags, GUIDs, sizes for people, compressed base64 and punycode host names. Text that cannot be read gives null, or the empty string where Kusto's result is a string.",
    functions: FUNCTIONS,
};

sig!(to_dyn_rt, "this function", [Text] => Dynamic);
sig!(cmdline_rt, "parse_command_line", [Text, Text] => Dynamic);
sig!(to_bool_rt, "isascii", [Text] => Bool);
sig!(indexof_regex_rt, "indexof_regex", [Text, Text, Int, Int, Int] => Long);
sig!(has_any_index_rt, "has_any_index", [Text, Dyn] => Long);
sig!(toguid_rt, "toguid", [Text] => Guid);
sig!(format_bytes_rt, "format_bytes", [Num, Int, Text, Int] => String);
sig!(to_text_rt, "this function", [Text] => String);
sig!(to_guid_rt, "base64_decode_toguid", [Text] => Guid);
sig!(from_array_rt, "base64_encode_fromarray", [Dyn] => String);

sig!(version_rt, "parse_version", [Text] => Decimal);

pub(super) const FUNCTIONS: &[ScalarFunction] = &[
    f("parse_csv", Arity::exact(1), to_dyn_rt, "The fields of the first CSV record as an array of strings: commas separate, double quotes enclose commas and line breaks, `\"\"` inside quotes is a quote, a line break ends the record.", "parse_csv(\"a,\\\"b,c\\\",d\")"),
    f("parse_urlquery", Arity::exact(1), to_dyn_rt, "The parameters of a URL query (anything up to a `?` skipped) as `{\"Query Parameters\": {key: value}}`, percent-decoded, `+` a space.", "parse_urlquery(csUriQuery)[\"Query Parameters\"].id"),
    f("parse_command_line", Arity::exact(2), cmdline_rt, "`parse_command_line(command, \"windows\")`: the arguments as Windows splits them (CommandLineToArgvW): spaces outside quotes separate, 2n backslashes and a quote are n backslashes and the quote opens or closes, 2n+1 give a literal quote, `\"\"` inside quotes is a quote.", "parse_command_line(CommandLine, \"windows\")[0]"),
    f("isascii", Arity::exact(1), to_bool_rt, "True when every character is ASCII (below U+0080); true for the empty string.", "isascii(csUserAgent)"),
    f("indexof_regex", Arity::range(2, 5), indexof_regex_rt, "`indexof_regex(text, regex[, start[, length[, occurrence]]])`: the character position of the occurrence-th non-overlapping match at or after start within length characters (-1 to the end); -1 when none; null for a negative start or an occurrence below 1.", "indexof_regex(csUriStem, @\"\\.(php|aspx)\")"),
    f("has_any_index", Arity::exact(2), has_any_index_rt, "`has_any_index(text, lookups)`: the index of the first array element that the text `has` as a term (case-insensitive), -1 when none.", "has_any_index(csUriQuery, dynamic([\"cmd\", \"powershell\"]))"),
    f("toguid", Arity::exact(1), toguid_rt, "A GUID from 32 hex digits, with or without hyphens and braces; null for other text.", "toguid(\"0123456789abcdef0123456789abcdef\")"),
    f("format_bytes", Arity::range(1, 4), format_bytes_rt, "`format_bytes(size[, precision[, units[, base]]])`: `564 Bytes`, `19 MB`: the size in the largest unit it reaches (or the given one: Bytes, KB, MB, GB, TB, PB, EB), rounded to precision decimals (0), base 1024 or 1000.", "format_bytes(scBytes, 1)"),
    f("zlib_compress_to_base64_string", Arity::exact(1), to_text_rt, "The UTF-8 text compressed with zlib, in base64.", "zlib_compress_to_base64_string(csUriQuery)"),
    f("zlib_decompress_from_base64_string", Arity::exact(1), to_text_rt, "Base64 zlib data decompressed to text; the empty string when it is not valid base64, zlib or UTF-8.", "zlib_decompress_from_base64_string(payload)"),
    f("gzip_compress_to_base64_string", Arity::exact(1), to_text_rt, "The UTF-8 text compressed with gzip, in base64.", "gzip_compress_to_base64_string(csUriQuery)"),
    f("gzip_decompress_from_base64_string", Arity::exact(1), to_text_rt, "Base64 gzip data decompressed to text; the empty string when it is not valid base64, gzip or UTF-8.", "gzip_decompress_from_base64_string(payload)"),
    f("base64_decode_toarray", Arity::exact(1), to_dyn_rt, "The bytes base64 text decodes to, as an array of numbers; null when it is not base64.", "base64_decode_toarray(\"S3VzdG8=\")"),
    f("base64_encode_fromarray", Arity::exact(1), from_array_rt, "An array of byte values (0–255) as base64; null when the value is not such an array.", "base64_encode_fromarray(base64_decode_toarray(\"S3VzdG8=\"))"),
    f("base64_decode_toguid", Arity::exact(1), to_guid_rt, "The GUID whose 16 bytes (in .NET's order: the first three groups little-endian) base64 text decodes to; null otherwise.", "base64_decode_toguid(\"JpbpECu8dUy7Pv5gbeJXAA==\")"),
    f("base64_encode_fromguid", Arity::exact(1), to_text_rt, "A GUID's 16 bytes (in .NET's order) as base64; null when the value is not a GUID.", "base64_encode_fromguid(toguid(\"ae3133f2-6e22-49ae-b06a-16e6a9b212eb\"))"),
    f("punycode_from_string", Arity::exact(1), to_text_rt, "One label in punycode (RFC 3492), without `xn--`.", "punycode_from_string(\"académie\")"),
    f("punycode_to_string", Arity::exact(1), to_text_rt, "One punycode label (without `xn--`) decoded; null when it is not valid punycode.", "punycode_to_string(\"acadmie-hva\")"),
    f("punycode_domain_from_string", Arity::exact(1), to_text_rt, "A host name with its `xn--` labels decoded (labels split at `.`, `。`, `｡`, `．`); null when one is not valid punycode.", "punycode_domain_from_string(csHost)"),
    f("punycode_domain_to_string", Arity::exact(1), to_text_rt, "A host name with each non-ASCII label as `xn--` and its punycode.", "punycode_domain_to_string(\"bücher.example\")"),
    f("parse_version", Arity::exact(1), version_rt, "A version of one to four dot-separated parts of up to eight digits each as a decimal that compares as versions do (missing parts are 0): `1.2.3.4` is 1,000,000,020,000,000,300,000,004. Null for other text. iishunt's decimal is a real (about 16 significant digits), so versions that differ only in their last parts can compare equal: `10.0.1` and `10.0.2` do, `10.1` and `10.2` never.", "parse_version(\"10.0.17763.1\")"),
];
