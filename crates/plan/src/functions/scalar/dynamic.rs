//! Dynamic values: arrays and property bags (held as JSON text). Indexing
//! (`d[0]`, `d.key`) is an operator (`__index`, `__member`).

use super::sig::sig;
use super::{ScalarFamily, ScalarFunction};
use crate::functions::Arity;
use crate::types::KType;

pub(super) const FAMILY: ScalarFamily = ScalarFamily {
    title: "Dynamic arrays and bags",
    intro: "Arrays and property bags (`dynamic`), as produced by `split`, `make_set`, `parse_json`, `pack_array`. Index with `d[0]` (negative from the end), `d[\"key\"]` or `d.key`; a missing element is null.",
    functions: FUNCTIONS,
};

sig!(len_rt, "array_length", [Dyn] => Long);
sig!(index_of_rt, "array_index_of", [Dyn, Any, Num, Num, Num] => Long);
sig!(has_el_rt, "set_has_element", [Dyn, Any] => Bool);
sig!(dyn_var_rt, "array_concat", [; Dyn] => Dynamic);
sig!(any_var_rt, "pack_array", [; Any] => Dynamic);
sig!(strcat_array_rt, "strcat_array", [Dyn, Text] => String);
sig!(dyn1_rt, "this function", [Dyn] => Dynamic);
sig!(slice_rt, "array_slice", [Dyn, Num, Num] => Dynamic);
sig!(to_json_rt, "dynamic_to_json", [Any] => String);
sig!(range_num_rt, "range", [Num, Num, Num] => Dynamic);
sig!(range_date_rt, "range", [Date, Date, Span] => Dynamic);
sig!(range_span_rt, "range", [Span, Span, Span] => Dynamic);

/// `range` of numbers, of datetimes (a timespan step) or of timespans.
fn range_rt(a: &[KType]) -> Result<KType, String> {
    match a.first() {
        Some(KType::DateTime) => range_date_rt(a),
        Some(KType::TimeSpan) => range_span_rt(a),
        _ => range_num_rt(a),
    }
}

/// `array_sort_asc(a1, a2, …[, nulls_last])`: arrays, then an optional bool.
fn sort_rt(a: &[KType]) -> Result<KType, String> {
    let arrays = match a.last() {
        Some(KType::Bool) if a.len() > 1 => &a[..a.len() - 1],
        _ => a,
    };
    match arrays
        .iter()
        .position(|t| *t != KType::Dynamic && !t.is_stringy())
    {
        Some(i) => Err(format!(
            "array sorting expects arrays (and a last nulls_last bool), got {} as argument {}",
            arrays[i],
            i + 1
        )),
        None => Ok(KType::Dynamic),
    }
}
sig!(set_key_rt, "bag_set_key", [Dyn, Text, Any] => Dynamic);
sig!(split_rt, "array_split", [Dyn, Any] => Dynamic);
sig!(replace_strings_rt, "replace_strings", [Text, Dyn, Dyn] => String);
sig!(to_string_dyn_rt, "unicode_codepoints_to_string", [; Any] => String);
sig!(iff_rt, "array_iff", [Dyn, Any, Any] => Dynamic);
sig!(shift_rt, "this function", [Dyn, Num, Any] => Dynamic);
sig!(remove_keys_rt, "bag_remove_keys", [Dyn, Dyn] => Dynamic);
sig!(has_key_rt, "bag_has_key", [Dyn, Text] => Bool);

sig!(array_sum_rt, "array_sum", [Dyn] => Real);
sig!(extract_json_rt, "extract_json", [Text, Text] => String);

/// The binder passes (name, value, …) pairs: see `bind_bag_pack_columns`.
fn bag_pack_columns_rt(_: &[KType]) -> Result<KType, String> {
    Ok(KType::Dynamic)
}

/// Never reached with values: the binder replaces the call by the names.
fn column_names_of_rt(_: &[KType]) -> Result<KType, String> {
    Err("column_names_of takes a table, not a value".into())
}

fn bag_pack_rt(a: &[KType]) -> Result<KType, String> {
    if a.len() % 2 != 0 {
        return Err("bag_pack takes pairs of key and value".into());
    }
    Ok(KType::Dynamic)
}

/// The binder passes (flag, name, value, …): see `bind_pack_all`.
fn pack_all_rt(_: &[KType]) -> Result<KType, String> {
    Ok(KType::Dynamic)
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
    f("range", &[], Arity::range(2, 3), range_rt, "An array of the numbers from start to stop (inclusive) by step (default 1), at most 1,048,576 of them; whole numbers when all three are. Datetimes or timespans step by a timespan (default 1h).", "range(1, 8, 3)"),
    f("zip", &[], Arity::at_least(2), dyn_var_rt, "Arrays of the elements at each index, as long as the longest array (null where one is shorter).", "zip(set_cIP, set_csUriStem)"),
    f("array_iff", &["array_iif"], Arity::exact(3), iff_rt, "Element-wise choice: where the condition array is true, the element of the second argument, else of the third (a scalar is used at every index).", "array_iff(series_greater(s, 10), s, 0)"),
    f("array_shift_left", &[], Arity::range(2, 3), shift_rt, "The elements moved n places left; the places left empty take the fill value (null by default).", "array_shift_left(s, 1)"),
    f("array_shift_right", &[], Arity::range(2, 3), shift_rt, "The elements moved n places right, filled like array_shift_left.", "array_shift_right(s, 1, 0)"),
    f("array_rotate_left", &[], Arity::exact(2), shift_rt, "The elements rotated n places left.", "array_rotate_left(s, 2)"),
    f("array_rotate_right", &[], Arity::exact(2), shift_rt, "The elements rotated n places right.", "array_rotate_right(s, 2)"),
    f("bag_zip", &[], Arity::exact(2), remove_keys_rt, "A bag pairing the keys array with the values array (a missing value is null; non-string keys are left out).", "bag_zip(dynamic([\"a\", \"b\"]), dynamic([1, 2]))"),
    f("unicode_codepoints_to_string", &[], Arity::at_least(1), to_string_dyn_rt, "The text of an array of Unicode code points; null if one is not valid.", "unicode_codepoints_to_string(dynamic([75, 81, 76]))"),
    f("bag_set_key", &[], Arity::exact(3), set_key_rt, "The bag with the key set to the value; `$.a.b` sets inside nested bags.", "bag_set_key(b, \"seen\", true)"),
    f("array_split", &[], Arity::exact(2), split_rt, "The array cut before the index (or each index of an array; negative from the end), as an array of arrays.", "array_split(s, 2)"),
    f("replace_strings", &[], Arity::exact(3), replace_strings_rt, "Every string of the lookups array replaced by the one at the same index of the replacements, all at once, left to right.", "replace_strings(csUriStem, dynamic([\"%20\", \"+\"]), dynamic([\" \", \" \"]))"),
    f("bag_merge", &[], Arity::at_least(2), dyn_var_rt, "One bag of every key of the bags; where bags share a key, the first one's value is kept.", "bag_merge(parse_url(u), bag_pack(\"ip\", cIP))"),
    f("bag_remove_keys", &[], Arity::exact(2), remove_keys_rt, "The bag without the keys listed in the array.", "bag_remove_keys(b, dynamic([\"Password\"]))"),
    f("bag_has_key", &[], Arity::exact(2), has_key_rt, "Whether the bag has the key; `$.a.b` follows nested bags.", "bag_has_key(parse_json(csCookie), \"session\")"),
    f("array_length", &["arraylength"], Arity::exact(1), len_rt, "The number of elements of an array; null when the value is not an array.", "array_length(set_sPort)"),
    f(
        "array_index_of",
        &[],
        Arity::range(2, 5),
        index_of_rt,
        "`array_index_of(array, value[, start[, length[, occurrence]]])`: the position of the value, or -1.",
        "array_index_of(set_sPort, 443)",
    ),
    f("set_has_element", &[], Arity::exact(2), has_el_rt, "True when the array holds the value.", "set_has_element(set_csMethod, \"PUT\")"),
    f("array_concat", &[], Arity::at_least(1), dyn_var_rt, "Joins arrays into one; null if any argument is not an array.", "array_concat(set_a, set_b)"),
    f("pack_array", &[], Arity::at_least(1), any_var_rt, "An array of the arguments.", "pack_array(cIP, sPort)"),
    f("bag_pack", &["pack", "pack_dictionary"], Arity::at_least(0), bag_pack_rt, "A property bag from key, value pairs.", "bag_pack(\"ip\", cIP, \"port\", sPort)"),
    f(
        "pack_all",
        &[],
        Arity::range(0, 1),
        pack_all_rt,
        "A property bag of every column of the row, by name; `pack_all(true)` leaves out null and empty values.",
        "tostring(pack_all())",
    ),
    f("strcat_array", &[], Arity::exact(2), strcat_array_rt, "The elements of an array as text, joined by the delimiter.", "strcat_array(set_csMethod, \", \")"),
    f("bag_keys", &[], Arity::exact(1), dyn1_rt, "The keys of a property bag, as an array.", "bag_keys(parse_url(csReferer))"),
    f(
        "array_slice",
        &[],
        Arity::exact(3),
        slice_rt,
        "`array_slice(array, start, end)`: elements start..end inclusive; negative positions count from the end.",
        "array_slice(split(csUriStem, \"/\"), 1, -1)",
    ),
    f("array_sort_asc", &[], Arity::at_least(1), sort_rt, "The array sorted ascending (numbers before strings, nulls last; a last argument `false` puts nulls first). With several arrays of one length, an array of them all: the first sorted, the others permuted alike (null if the lengths differ).", "array_sort_asc(set_sPort)"),
    f("array_sort_desc", &[], Arity::at_least(1), sort_rt, "The array sorted descending (nulls last unless the last argument is `false`); several arrays as array_sort_asc.", "array_sort_desc(set_sPort)"),
    f("array_reverse", &[], Arity::exact(1), dyn1_rt, "The array in reverse order.", "array_reverse(split(Computer, \".\"))"),
    f("set_union", &[], Arity::at_least(1), dyn_var_rt, "The distinct values of all the arrays.", "set_union(set_a, set_b)"),
    f("set_intersect", &[], Arity::at_least(1), dyn_var_rt, "The distinct values found in every array.", "set_intersect(set_a, set_b)"),
    f("set_difference", &[], Arity::at_least(1), dyn_var_rt, "The distinct values of the first array found in none of the others.", "set_difference(set_a, set_b)"),
    f("dynamic_to_json", &[], Arity::exact(1), to_json_rt, "The JSON text of a value, property-bag keys sorted.", "dynamic_to_json(parse_url(csReferer))"),
    f("array_sum", &[], Arity::exact(1), array_sum_rt, "The sum of the numbers of an array, as a real; null when an element is not a number or the value is not an array.", "array_sum(dynamic([1, 2, 3]))"),
    f("bag_pack_columns", &[], Arity::at_least(1), bag_pack_columns_rt, "A property bag of the named columns, each column's name its key.", "bag_pack_columns(cIP, csUriStem)"),
    f("column_names_of", &[], Arity::exact(1), column_names_of_rt, "The column names of a table, a tabular `let` or a tabular function's result, as an array of strings (known when the query is bound).", "column_names_of(IisLogs)"),
    f(
        "extract_json",
        &["extractjson"],
        Arity::exact(2),
        extract_json_rt,
        "`extract_json(path, json[, typeof(T)])`: the element a JSONPath (`$`, `.key`, `['key']`, `[index]`) names in JSON text, as a string (a bag or array as its JSON); the empty string when it is missing or the text is not JSON. With `typeof(T)`, converted to T (null when that fails).",
        "extract_json(\"$.user.name\", csCookie, typeof(string))",
    ),
];
