//! Which partitions of a scan can share a group: partition-wise aggregation.
//!
//! Two row groups can only put rows in the same group when, for every key,
//! their ranges of key values overlap. Parquet statistics give each row
//! group's `[min, max]` per column, and `bin(TimeGenerated, 10m)` maps a
//! time range to a bin range, so a rule grouped by `bin(TimeGenerated, …),
//! cIP, Computer` sees that WEB01's file and WEB02's file (different
//! `Computer`), or Monday's and Tuesday's (different bins), never share a
//! group. Row groups are joined into components of possibly-shared groups;
//! each component is aggregated with a table of its own, small enough to
//! stay in cache, and needing no merge with the others.

use iishunt_plan::expr::BoundExpr;
use iishunt_plan::schema::Schema;
use iishunt_plan::types::ScalarValue;

use crate::source::{DataSource, Partition, StatValue};

/// Above this many partitions the pairwise check is not worth it.
const MAX_PARTITIONS: usize = 4096;

/// How a key is computed from a stored column, as far as ranges go.
enum KeyShape {
    /// The column itself.
    Column(String),
    /// `bin(column, step)` / `floor(column, step)` over integers or datetimes.
    Bin(String, i64),
}

fn shape(key: &BoundExpr, schema: &Schema) -> Option<KeyShape> {
    match key {
        BoundExpr::Column { index, .. } => {
            Some(KeyShape::Column(schema.columns.get(*index)?.name.clone()))
        }
        BoundExpr::Call { func, args, .. }
            if matches!(func.name, "bin" | "floor") && args.len() == 2 =>
        {
            let BoundExpr::Column { index, .. } = &args[0] else {
                return None;
            };
            let step = match args[1].as_literal()? {
                ScalarValue::TimeSpan(v) | ScalarValue::Long(v) => *v,
                ScalarValue::Int(v) => *v as i64,
                _ => return None,
            };
            let name = schema.columns.get(*index)?.name.clone();
            (step > 0).then_some(KeyShape::Bin(name, step))
        }
        _ => None,
    }
}

/// The key's value range in one partition, or `None` when unknown.
fn range(
    shape: &KeyShape,
    source: &DataSource,
    table: &str,
    part: Partition,
) -> Option<(StatValue, StatValue)> {
    match shape {
        KeyShape::Column(c) => source.column_range(table, part, c),
        KeyShape::Bin(c, step) => match source.column_range(table, part, c)? {
            (StatValue::Int(lo), StatValue::Int(hi)) => Some((
                StatValue::Int(lo.div_euclid(*step) * step),
                StatValue::Int(hi.div_euclid(*step) * step),
            )),
            _ => None,
        },
    }
}

/// Groups of partition indexes such that no group key can occur in two of
/// them. `None` when that cannot be shown for at least two groups.
pub fn components(
    source: &DataSource,
    table: &str,
    schema: &Schema,
    partitions: &[Partition],
    keys: &[BoundExpr],
) -> Option<Vec<Vec<usize>>> {
    let n = partitions.len();
    if !(2..=MAX_PARTITIONS).contains(&n) || keys.is_empty() {
        return None;
    }
    let shapes: Vec<Option<KeyShape>> = keys.iter().map(|k| shape(k, schema)).collect();
    if shapes.iter().all(Option::is_none) {
        return None;
    }
    let ranges: Vec<Vec<Option<(StatValue, StatValue)>>> = partitions
        .iter()
        .map(|p| {
            shapes
                .iter()
                .map(|s| s.as_ref().and_then(|s| range(s, source, table, *p)))
                .collect()
        })
        .collect();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for i in 0..n {
        for j in i + 1..n {
            let may_share = ranges[i].iter().zip(&ranges[j]).all(|(a, b)| match (a, b) {
                (Some((alo, ahi)), Some((blo, bhi))) => alo <= bhi && blo <= ahi,
                _ => true,
            });
            if may_share {
                let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                if a != b {
                    parent[b.max(a)] = a.min(b);
                }
            }
        }
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut slot: Vec<Option<usize>> = vec![None; n];
    for i in 0..n {
        let root = find(&mut parent, i);
        match slot[root] {
            Some(g) => groups[g].push(i),
            None => {
                slot[root] = Some(groups.len());
                groups.push(vec![i]);
            }
        }
    }
    (groups.len() >= 2).then_some(groups)
}

/// A key value in the form statistics are compared in.
fn stat_of(array: &arrow::array::ArrayRef, row: usize) -> Option<StatValue> {
    use arrow::array::{Array, AsArray};
    use arrow::datatypes::{DataType, Int32Type, Int64Type, TimeUnit, TimestampMicrosecondType};
    if array.is_null(row) {
        return None;
    }
    Some(match array.data_type() {
        DataType::Utf8 => StatValue::Bytes(array.as_string::<i32>().value(row).as_bytes().to_vec()),
        DataType::Int64 => StatValue::Int(array.as_primitive::<Int64Type>().value(row)),
        DataType::Int32 => StatValue::Int(array.as_primitive::<Int32Type>().value(row) as i64),
        DataType::Timestamp(TimeUnit::Microsecond, _) => {
            StatValue::Int(array.as_primitive::<TimestampMicrosecondType>().value(row))
        }
        _ => return None,
    })
}

/// For each partition: may it hold a row of one of the groups whose keys are
/// `groups` (one array per key)? Used by pass 2 of a two-pass aggregate to
/// skip row groups that hold none of the few passing groups.
pub fn partitions_holding(
    source: &DataSource,
    table: &str,
    schema: &Schema,
    partitions: &[Partition],
    keys: &[BoundExpr],
    groups: &[arrow::array::ArrayRef],
) -> Vec<bool> {
    let shapes: Vec<Option<KeyShape>> = keys.iter().map(|k| shape(k, schema)).collect();
    let n_groups = groups.first().map_or(0, |a| a.len());
    let values: Vec<Vec<Option<StatValue>>> = (0..n_groups)
        .map(|g| groups.iter().map(|a| stat_of(a, g)).collect())
        .collect();
    partitions
        .iter()
        .map(|p| {
            let ranges: Vec<Option<(StatValue, StatValue)>> = shapes
                .iter()
                .map(|s| s.as_ref().and_then(|s| range(s, source, table, *p)))
                .collect();
            values.iter().any(|g| {
                g.iter().zip(&ranges).all(|(v, r)| match (v, r) {
                    (Some(v), Some((lo, hi))) => lo <= v && v <= hi,
                    _ => true,
                })
            })
        })
        .collect()
}
