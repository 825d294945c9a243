//! Hash join: the right input (usually the smaller: a lookup table, a
//! summarized subquery) is built into a hash table on its key columns; left
//! batches probe it in parallel, in order, so the output order is the left's.
//! Keys are compared in Arrow's row format, which makes any mix of key
//! types one byte string.

use ahash::RandomState;
use std::collections::HashMap;
use std::sync::Arc;

use arrow::array::{
    new_null_array, AnyDictionaryArray, Array, ArrayRef, AsArray, RecordBatch, UInt32Array,
};
use arrow::compute::{cast, take, take_record_batch};
use arrow::datatypes::DataType;
use arrow::row::{Row, RowConverter, Rows, SortField};
use iishunt_plan::logical::{JoinKind, JoinSide};
use iishunt_plan::schema::Schema;
use iishunt_plan::types::KType;
use rayon::prelude::*;

use crate::context::ExecContext;
use crate::error::Result;
use crate::ops::ip_prefix::PrefixIndex;
use crate::ops::sort::concat_all;
use crate::ops::{batch_with_schema, normalize};

/// What the join does, without its inputs (see `logical::Join`).
#[derive(Debug, Clone)]
pub struct JoinSpec {
    pub kind: JoinKind,
    pub left_keys: Vec<usize>,
    pub right_keys: Vec<usize>,
    pub key_types: Vec<KType>,
    pub null_keys_match: bool,
    pub output: Vec<(JoinSide, usize)>,
    pub first_match_only: bool,
    /// The first key pair matches an address against a network (`evaluate
    /// ipv4_lookup` / `ipv6_lookup`); the others are equalities.
    pub ip_prefix: Option<iishunt_plan::logical::IpFamily>,
}

/// How the right side is searched.
enum Matcher<'a> {
    Equal(BuildSide<'a>),
    Prefix(PrefixIndex),
}

/// The right side as a hash table: key bytes → right row numbers, in order.
struct BuildSide<'a> {
    table: HashMap<Row<'a>, Vec<u32>, RandomState>,
}

/// What one left batch gives the join: its output rows, and which right rows
/// it matched (for the right and full kinds). For `innerunique`, the rows are
/// the batch's candidate left rows, joined once the first per key is known.
pub type Probed = (Option<RecordBatch>, Vec<bool>);

/// Joins `left` and `right` (each with its schema) into batches of `schema`.
pub fn hash_join(
    left: &[RecordBatch],
    left_schema: &Schema,
    right: &[RecordBatch],
    right_schema: &Schema,
    spec: &JoinSpec,
    schema: &Schema,
    ctx: &ExecContext,
) -> Result<Vec<RecordBatch>> {
    hash_join_streamed(
        left_schema,
        right,
        right_schema,
        spec,
        schema,
        ctx,
        |each| left.par_iter().map(|b| each(b.clone())).collect(),
    )
}

/// Joins the left batches that `left` feeds, in order, to `right`: `left`
/// calls the given probe on each batch (in parallel, as a pipeline does) and
/// returns the results in the left's order. The left side is never held
/// whole: each batch is matched as it comes, and only its output rows (or,
/// for `innerunique`, the rows whose key matched) are kept.
pub fn hash_join_streamed<F>(
    left_schema: &Schema,
    right: &[RecordBatch],
    right_schema: &Schema,
    spec: &JoinSpec,
    schema: &Schema,
    ctx: &ExecContext,
    left: F,
) -> Result<Vec<RecordBatch>>
where
    F: FnOnce(&(dyn Fn(RecordBatch) -> Result<Probed> + Sync)) -> Result<Vec<Probed>>,
{
    let right = match concat_all(&normalized(right, right_schema)?)? {
        Some(b) => b,
        None => RecordBatch::new_empty(right_schema.to_arrow()),
    };
    // The build side is a copy of the right rows plus their keys.
    ctx.reserve("join", right.get_array_memory_size().saturating_mul(2))?;
    // What one output pair costs: its indices and its share of the output
    // columns (the average row of each side; the left's per batch, as the
    // left side streams).
    let avg_row = |b: &RecordBatch| b.get_array_memory_size() / b.num_rows().max(1);
    let right_row = avg_row(&right);
    let per_pair = |b: &RecordBatch| 16 + avg_row(b) + right_row;
    // With a network key, the row-format keys are the other (equality) keys.
    let skip = usize::from(spec.ip_prefix.is_some());
    let converter = RowConverter::new(
        spec.key_types[skip..]
            .iter()
            .map(|t| SortField::new(t.arrow_type()))
            .collect(),
    )?;
    let right_keys = key_rows(
        &converter,
        &right,
        &spec.right_keys[skip..],
        &spec.key_types[skip..],
        spec,
    )?;
    let build = if let Some(family) = spec.ip_prefix {
        let extra = (spec.right_keys.len() > 1).then_some(&right_keys);
        Matcher::Prefix(PrefixIndex::build(
            &right,
            spec.right_keys[0],
            extra,
            family,
        )?)
    } else {
        Matcher::Equal(BuildSide::new(&right, &right_keys, spec))
    };

    let unique = spec.kind == JoinKind::InnerUnique;
    let each = |b: RecordBatch| -> Result<Probed> {
        if b.num_rows() == 0 {
            return Ok((None, Vec::new()));
        }
        if unique {
            return Ok((
                matched_first_rows(&converter, &b, &build, spec, left_schema, ctx)?,
                Vec::new(),
            ));
        }
        let limits = (ctx, per_pair(&b));
        probe(
            &converter,
            &b,
            &right,
            &build,
            spec,
            (schema, right_schema),
            limits,
        )
    };
    let mut probed = left(&each)?;
    if unique {
        // Kusto's innerunique keeps one left row per key before joining: the
        // first, over the candidates each batch kept, in the left's order.
        let candidates: Vec<RecordBatch> = probed.into_iter().filter_map(|(b, _)| b).collect();
        probed = first_per_key(&converter, &candidates, spec)?
            .par_iter()
            .map(|b| {
                let limits = (ctx, per_pair(b));
                probe(
                    &converter,
                    b,
                    &right,
                    &build,
                    spec,
                    (schema, right_schema),
                    limits,
                )
            })
            .collect::<Result<_>>()?;
    }

    let mut out = Vec::new();
    let mut matched = vec![false; right.num_rows()];
    for (batch, seen) in probed {
        out.extend(batch);
        for (m, s) in matched.iter_mut().zip(seen) {
            *m |= s;
        }
    }
    let tail: Option<Vec<u32>> = match spec.kind {
        JoinKind::RightOuter | JoinKind::FullOuter | JoinKind::RightAnti => Some(
            (0..right.num_rows() as u32)
                .filter(|r| !matched[*r as usize])
                .collect(),
        ),
        JoinKind::RightSemi => Some(
            (0..right.num_rows() as u32)
                .filter(|r| matched[*r as usize])
                .collect(),
        ),
        _ => None,
    };
    if let Some(rows) = tail.filter(|r| !r.is_empty()) {
        let right_rows = UInt32Array::from(rows);
        let columns = spec
            .output
            .iter()
            .zip(&schema.columns)
            .map(|((side, i), c)| match side {
                JoinSide::Left => Ok(new_null_array(&c.ty.arrow_type(), right_rows.len())),
                JoinSide::Right => Ok(take(right.column(*i), &right_rows, None)?),
            })
            .collect::<Result<Vec<ArrayRef>>>()?;
        out.push(batch_with_schema(schema, columns, right_rows.len())?);
    }
    Ok(out)
}

impl<'a> BuildSide<'a> {
    fn new(rows: &'a RecordBatch, keys: &'a Rows, spec: &JoinSpec) -> Self {
        let nulls = null_key_rows(rows, &spec.right_keys, spec);
        let mut table: HashMap<Row<'a>, Vec<u32>, RandomState> =
            HashMap::with_capacity_and_hasher(rows.num_rows(), RandomState::with_seeds(3, 5, 7, 9));
        for (r, key) in keys.iter().enumerate() {
            if nulls.as_ref().is_some_and(|n| n[r]) {
                continue;
            }
            table.entry(key).or_default().push(r as u32);
        }
        BuildSide { table }
    }
}

/// One left batch against the table: its output rows, and which right rows
/// it matched (for the right and full kinds).
fn probe(
    converter: &RowConverter,
    left: &RecordBatch,
    right: &RecordBatch,
    build: &Matcher,
    spec: &JoinSpec,
    (schema, right_schema): (&Schema, &Schema),
    limits: (&ExecContext, usize),
) -> Result<(Option<RecordBatch>, Vec<bool>)> {
    let (starts, all_hits) = match_rows(converter, left, build, spec, limits)?;
    let track_right = matches!(
        spec.kind,
        JoinKind::RightOuter | JoinKind::FullOuter | JoinKind::RightSemi | JoinKind::RightAnti
    );
    let mut matched = vec![false; if track_right { right.num_rows() } else { 0 }];
    let mut left_rows: Vec<u32> = Vec::new();
    let mut right_rows: Vec<Option<u32>> = Vec::new();
    for i in 0..left.num_rows() {
        let hits = &all_hits[starts[i]..starts[i + 1]];
        let hits = if spec.first_match_only && hits.len() > 1 {
            &hits[..1]
        } else {
            hits
        };
        if track_right {
            hits.iter().for_each(|r| matched[*r as usize] = true);
        }
        match spec.kind {
            JoinKind::Inner
            | JoinKind::InnerUnique
            | JoinKind::LeftOuter
            | JoinKind::RightOuter
            | JoinKind::FullOuter => {
                for r in hits {
                    left_rows.push(i as u32);
                    right_rows.push(Some(*r));
                }
                if hits.is_empty() && spec.kind.keeps_unmatched_left() {
                    left_rows.push(i as u32);
                    right_rows.push(None);
                }
            }
            JoinKind::LeftSemi if !hits.is_empty() => left_rows.push(i as u32),
            JoinKind::LeftAnti if hits.is_empty() => left_rows.push(i as u32),
            _ => {}
        }
    }
    if left_rows.is_empty() {
        return Ok((None, matched));
    }
    let left_idx = UInt32Array::from(left_rows);
    let right_idx = UInt32Array::from(right_rows);
    let columns = spec
        .output
        .iter()
        .map(|(side, i)| match side {
            JoinSide::Left => Ok(take(left.column(*i), &left_idx, None)?),
            JoinSide::Right if right.num_rows() == 0 => Ok(new_null_array(
                &right_schema.columns[*i].ty.arrow_type(),
                left_idx.len(),
            )),
            JoinSide::Right => Ok(take(right.column(*i), &right_idx, None)?),
        })
        .collect::<Result<Vec<ArrayRef>>>()?;
    // Left batches may come raw from a scan (dictionaries, narrower
    // integers): only the rows kept are decoded.
    let out = batch_with_schema(schema, columns, left_idx.len())?;
    Ok((Some(normalize(&out, schema)?), matched))
}

/// The right rows each left row matches, flat: row i's are
/// `hits[starts[i]..starts[i + 1]]`. The pairs are counted against the
/// memory limit (`per_pair` bytes each) as they are found, and the deadline
/// checked, so a cartesian join stops with an error instead of exhausting memory.
fn match_rows(
    converter: &RowConverter,
    left: &RecordBatch,
    build: &Matcher,
    spec: &JoinSpec,
    (ctx, per_pair): (&ExecContext, usize),
) -> Result<(Vec<usize>, Vec<u32>)> {
    let mut starts = Vec::with_capacity(left.num_rows() + 1);
    starts.push(0);
    let mut hits = Vec::new();
    let mut counted = 0;
    match build {
        Matcher::Equal(table) if dictionary_key(left, spec).is_some() => {
            let dict = dictionary_key(left, spec).expect("checked");
            dictionary_matches(converter, dict, table, spec, &mut starts, &mut hits)?;
        }
        Matcher::Equal(table) => {
            let keys = key_rows(converter, left, &spec.left_keys, &spec.key_types, spec)?;
            let nulls = null_key_rows(left, &spec.left_keys, spec);
            for (i, key) in keys.iter().enumerate() {
                if !nulls.as_ref().is_some_and(|n| n[i]) {
                    if let Some(rows) = table.table.get(&key) {
                        let rows = if spec.first_match_only && rows.len() > 1 {
                            &rows[..1]
                        } else {
                            &rows[..]
                        };
                        hits.extend_from_slice(rows);
                    }
                }
                starts.push(hits.len());
                if hits.len() - counted >= 1 << 16 {
                    ctx.reserve("join", (hits.len() - counted).saturating_mul(per_pair))?;
                    counted = hits.len();
                }
            }
        }
        Matcher::Prefix(index) if spec.left_keys.len() == 1 => {
            prefix_matches(index, left, None, spec, &mut starts, &mut hits)?;
        }
        Matcher::Prefix(index) => {
            let extra = key_rows(
                converter,
                left,
                &spec.left_keys[1..],
                &spec.key_types[1..],
                spec,
            )?;
            prefix_matches(index, left, Some(&extra), spec, &mut starts, &mut hits)?;
        }
    }
    ctx.reserve("join", (hits.len() - counted).saturating_mul(per_pair))?;
    Ok((starts, hits))
}

/// The single key column of `left` when it is dictionary-encoded (as scans
/// give low-cardinality text) with fewer values than rows, so that matching
/// each value once beats matching each row. Only when null keys match (KQL):
/// a null row then matches as its key type's null does.
fn dictionary_key<'b>(
    left: &'b RecordBatch,
    spec: &JoinSpec,
) -> Option<&'b dyn AnyDictionaryArray> {
    if spec.left_keys.len() != 1 || !spec.null_keys_match {
        return None;
    }
    let dict = left.column(spec.left_keys[0]).as_any_dictionary_opt()?;
    (dict.values().len() <= left.num_rows()).then_some(dict)
}

/// `match_rows` for a dictionary key: each distinct value is looked up once
/// and rows take their value's matches.
fn dictionary_matches(
    converter: &RowConverter,
    dict: &dyn AnyDictionaryArray,
    table: &BuildSide,
    spec: &JoinSpec,
    starts: &mut Vec<usize>,
    hits: &mut Vec<u32>,
) -> Result<()> {
    let ty = &spec.key_types[..1];
    let lookup = |values: ArrayRef| -> Result<Vec<Vec<u32>>> {
        let batch = RecordBatch::try_from_iter([("k", values)])?;
        let keys = key_rows(converter, &batch, &[0], ty, spec)?;
        Ok(keys
            .iter()
            .map(|k| table.table.get(&k).cloned().unwrap_or_default())
            .collect())
    };
    let per_value = lookup(dict.values().clone())?;
    let null_hits = lookup(new_null_array(dict.values().data_type(), 1))?.remove(0);
    let keys = dict.keys();
    for (row, value) in dict.normalized_keys().into_iter().enumerate() {
        if keys.is_valid(row) {
            hits.extend_from_slice(&per_value[value]);
        } else {
            hits.extend_from_slice(&null_hits);
        }
        starts.push(hits.len());
    }
    Ok(())
}

/// Each left row's networks, looked up address by address.
fn prefix_matches(
    index: &PrefixIndex,
    left: &RecordBatch,
    extra: Option<&Rows>,
    spec: &JoinSpec,
    starts: &mut Vec<usize>,
    hits: &mut Vec<u32>,
) -> Result<()> {
    let addresses = cast(left.column(spec.left_keys[0]), &DataType::Utf8)?;
    let addresses = addresses.as_string::<i32>();
    let mut found = Vec::new();
    for i in 0..left.num_rows() {
        if addresses.is_valid(i) {
            let extra_key = extra.map_or(&[][..], |e| e.row(i).data());
            index.hits(addresses.value(i), extra_key, &mut found);
            hits.extend_from_slice(&found);
        }
        starts.push(hits.len());
    }
    Ok(())
}

/// The rows of one left batch that `innerunique` may keep: those whose key
/// matches a right row, the first of each key in the batch, decoded to the
/// left's plain types. Most rows of a large left side match nothing, so this
/// is what keeps it from being held whole.
fn matched_first_rows(
    converter: &RowConverter,
    left: &RecordBatch,
    build: &Matcher,
    spec: &JoinSpec,
    left_schema: &Schema,
    ctx: &ExecContext,
) -> Result<Option<RecordBatch>> {
    // Only the matches' indices are made here (4 bytes each), and dropped.
    let (starts, _) = match_rows(converter, left, build, spec, (ctx, 4))?;
    let keys = key_rows(converter, left, &spec.left_keys, &spec.key_types, spec)?;
    // Deduplicate before copying: only a few rows per batch are taken and
    // decoded, however many matched.
    let mut seen: std::collections::HashSet<&[u8], RandomState> =
        std::collections::HashSet::with_hasher(RandomState::with_seeds(3, 5, 7, 9));
    let keep: Vec<u32> = (0..left.num_rows())
        .filter(|&i| starts[i + 1] > starts[i] && seen.insert(keys.row(i).data()))
        .map(|i| i as u32)
        .collect();
    if keep.is_empty() {
        return Ok(None);
    }
    let rows = take_record_batch(left, &UInt32Array::from(keep))?;
    Ok(Some(normalize(&rows, left_schema)?))
}

/// Kusto's `innerunique`: the first left row of each key value, in order.
fn first_per_key(
    converter: &RowConverter,
    left: &[RecordBatch],
    spec: &JoinSpec,
) -> Result<Vec<RecordBatch>> {
    let mut seen: std::collections::HashSet<Vec<u8>> = Default::default();
    let mut out = Vec::with_capacity(left.len());
    for b in left {
        let keys = key_rows(converter, b, &spec.left_keys, &spec.key_types, spec)?;
        let keep: Vec<u32> = keys
            .iter()
            .enumerate()
            .filter(|(_, k)| seen.insert(k.as_ref().to_vec()))
            .map(|(i, _)| i as u32)
            .collect();
        if keep.is_empty() {
            continue;
        }
        out.push(take_record_batch(b, &UInt32Array::from(keep))?);
    }
    Ok(out)
}

/// The key columns of a batch in row format, each cast to its key type. In
/// KQL a null string is the empty string, so it is keyed as one.
fn key_rows(
    converter: &RowConverter,
    batch: &RecordBatch,
    keys: &[usize],
    types: &[KType],
    spec: &JoinSpec,
) -> Result<Rows> {
    let columns = keys
        .iter()
        .zip(types)
        .map(|(k, t)| {
            let a = cast(batch.column(*k), &t.arrow_type())?;
            if spec.null_keys_match && *t == KType::String && a.null_count() > 0 {
                let empty: ArrayRef = Arc::new(arrow::array::StringArray::from(vec![""]));
                let filled = arrow::compute::kernels::zip::zip(
                    &arrow::compute::is_not_null(&a)?,
                    &a,
                    &arrow::array::Scalar::new(empty),
                )?;
                return Ok(filled);
            }
            Ok(a)
        })
        .collect::<Result<Vec<ArrayRef>>>()?;
    Ok(converter.convert_columns(&columns)?)
}

/// Rows whose key has a null, when nulls never match (ES|QL); `None` when
/// they do.
fn null_key_rows(batch: &RecordBatch, keys: &[usize], spec: &JoinSpec) -> Option<Vec<bool>> {
    if spec.null_keys_match || keys.iter().all(|k| batch.column(*k).null_count() == 0) {
        return None;
    }
    Some(
        (0..batch.num_rows())
            .map(|r| keys.iter().any(|k| batch.column(*k).is_null(r)))
            .collect(),
    )
}

fn normalized(batches: &[RecordBatch], schema: &Schema) -> Result<Vec<RecordBatch>> {
    batches
        .iter()
        .filter(|b| b.num_rows() > 0)
        .map(|b| normalize(b, schema))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::{DictionaryArray, StringArray};
    use arrow::datatypes::Int32Type;
    use iishunt_plan::schema::Column;

    fn string_schema(names: &[&str]) -> Schema {
        Schema::new(
            names
                .iter()
                .map(|n| Column {
                    name: n.to_string(),
                    ty: KType::String,
                })
                .collect(),
        )
    }

    /// `evaluate ipv4_lookup` over the same addresses, plain and
    /// dictionary-encoded (as scans give them): the same rows, most specific
    /// network first; text that is not an address matches nothing.
    #[test]
    fn ipv4_prefix_join_over_dictionary_and_plain_addresses() {
        let addresses = ["10.1.1.7", "192.0.2.1", "10.1.1.7", "bogus", "10.9.9.9"];
        let left_schema = string_schema(&["ip"]);
        let right_schema = string_schema(&["net", "tag"]);
        let right = RecordBatch::try_new(
            right_schema.to_arrow(),
            vec![
                Arc::new(StringArray::from(vec!["10.0.0.0/8", "10.1.1.0/24"])) as ArrayRef,
                Arc::new(StringArray::from(vec!["wide", "narrow"])),
            ],
        )
        .expect("right");
        let spec = JoinSpec {
            kind: JoinKind::Inner,
            left_keys: vec![0],
            right_keys: vec![0],
            key_types: vec![KType::String],
            null_keys_match: false,
            output: vec![(JoinSide::Left, 0), (JoinSide::Right, 1)],
            first_match_only: false,
            ip_prefix: Some(iishunt_plan::logical::IpFamily::V4),
        };
        let schema = string_schema(&["ip", "tag"]);
        let dictionary: DictionaryArray<Int32Type> = addresses.iter().copied().collect();
        let mut results = Vec::new();
        for column in [
            Arc::new(StringArray::from(addresses.to_vec())) as ArrayRef,
            Arc::new(dictionary) as ArrayRef,
        ] {
            let left = RecordBatch::try_new(
                Arc::new(arrow::datatypes::Schema::new(vec![
                    arrow::datatypes::Field::new("ip", column.data_type().clone(), true),
                ])),
                vec![column],
            )
            .expect("left");
            let out = hash_join(
                &[left],
                &left_schema,
                std::slice::from_ref(&right),
                &right_schema,
                &spec,
                &schema,
                &ExecContext::default(),
            )
            .expect("join");
            let all = concat_all(&out).expect("concat").expect("rows");
            let pairs: Vec<(String, String)> = (0..all.num_rows())
                .map(|r| {
                    let text = |c: usize| {
                        let a = cast(all.column(c), &DataType::Utf8).expect("utf8");
                        a.as_string::<i32>().value(r).to_string()
                    };
                    (text(0), text(1))
                })
                .collect();
            results.push(pairs);
        }
        let expected: Vec<(String, String)> = [
            ("10.1.1.7", "narrow"),
            ("10.1.1.7", "wide"),
            ("10.1.1.7", "narrow"),
            ("10.1.1.7", "wide"),
            ("10.9.9.9", "wide"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        assert_eq!(results[0], expected, "plain addresses");
        assert_eq!(results[1], expected, "dictionary addresses");
    }

    fn column_text(batch: &RecordBatch, c: usize) -> Vec<String> {
        let a = cast(batch.column(c), &DataType::Utf8).expect("utf8");
        (0..a.len())
            .map(|r| a.as_string::<i32>().value(r).to_string())
            .collect()
    }

    fn one_column(name: &str, column: ArrayRef) -> RecordBatch {
        RecordBatch::try_from_iter([(name, column)]).expect("batch")
    }

    fn equal_spec(kind: JoinKind, output: Vec<(JoinSide, usize)>) -> JoinSpec {
        JoinSpec {
            kind,
            left_keys: vec![0],
            right_keys: vec![0],
            key_types: vec![KType::String],
            null_keys_match: true,
            output,
            first_match_only: false,
            ip_prefix: None,
        }
    }

    /// `innerunique` fed batch by batch keeps the first left row of each
    /// matched key over all batches, not per batch; keys the right lacks
    /// are dropped. Worked by hand: "b" first at (batch 1, row 0) → b1,
    /// "a" first at batch 1 row 1 → a1; "c" has no right row.
    #[test]
    fn innerunique_streamed_keeps_the_first_left_row_per_key_over_batches() {
        let left_schema = string_schema(&["k", "v"]);
        let batch = |k: Vec<&str>, v: Vec<&str>| {
            RecordBatch::try_new(
                left_schema.to_arrow(),
                vec![
                    Arc::new(StringArray::from(k)) as ArrayRef,
                    Arc::new(StringArray::from(v)),
                ],
            )
            .expect("left")
        };
        let left = [
            batch(vec!["c", "c"], vec!["c1", "c2"]),
            batch(vec!["b", "a", "b"], vec!["b1", "a1", "b2"]),
            batch(vec!["a", "b"], vec!["a2", "b3"]),
        ];
        let right_schema = string_schema(&["k", "tag"]);
        let right = RecordBatch::try_new(
            right_schema.to_arrow(),
            vec![
                Arc::new(StringArray::from(vec!["a", "b"])) as ArrayRef,
                Arc::new(StringArray::from(vec!["ta", "tb"])),
            ],
        )
        .expect("right");
        let spec = equal_spec(
            JoinKind::InnerUnique,
            vec![(JoinSide::Left, 1), (JoinSide::Right, 1)],
        );
        let schema = string_schema(&["v", "tag"]);
        let out = hash_join_streamed(
            &left_schema,
            std::slice::from_ref(&right),
            &right_schema,
            &spec,
            &schema,
            &ExecContext::default(),
            |each| left.iter().map(|b| each(b.clone())).collect(),
        )
        .expect("join");
        let all = concat_all(&out).expect("concat").expect("rows");
        assert_eq!(column_text(&all, 0), ["b1", "a1"]);
        assert_eq!(column_text(&all, 1), ["tb", "ta"]);
    }

    /// A dictionary-encoded key matches value by value as a plain one row by
    /// row; in KQL a null string key matches the empty string.
    #[test]
    fn dictionary_keys_match_as_plain_keys_do() {
        let keys = [Some("x"), None, Some("y"), Some("x"), Some("z")];
        let left_schema = string_schema(&["k"]);
        let right_schema = string_schema(&["k", "tag"]);
        let right = RecordBatch::try_new(
            right_schema.to_arrow(),
            vec![
                Arc::new(StringArray::from(vec!["x", "", "z", "x"])) as ArrayRef,
                Arc::new(StringArray::from(vec!["x1", "empty", "z1", "x2"])),
            ],
        )
        .expect("right");
        let spec = equal_spec(
            JoinKind::LeftOuter,
            vec![(JoinSide::Left, 0), (JoinSide::Right, 1)],
        );
        let schema = string_schema(&["k", "tag"]);
        let dictionary: DictionaryArray<Int32Type> = keys.iter().copied().collect();
        let mut results = Vec::new();
        for column in [
            Arc::new(StringArray::from(keys.to_vec())) as ArrayRef,
            Arc::new(dictionary) as ArrayRef,
        ] {
            let out = hash_join(
                &[one_column("k", column)],
                &left_schema,
                std::slice::from_ref(&right),
                &right_schema,
                &spec,
                &schema,
                &ExecContext::default(),
            )
            .expect("join");
            let all = concat_all(&out).expect("concat").expect("rows");
            results.push((column_text(&all, 0), column_text(&all, 1)));
        }
        let expected_tags = ["x1", "x2", "empty", "", "x1", "x2", "z1"];
        assert_eq!(results[0].1, expected_tags, "plain keys");
        assert_eq!(results[1], results[0], "dictionary keys");
    }
}
