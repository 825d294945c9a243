//! Where scans get their rows: a Parquet dataset (one partition per row group)
//! or batches held in memory (raw logs parsed on the fly, `datatable`).
//!
//! Files are opened once, when the source is built: their footers give each
//! row group's row count and `TimeGenerated` range, so a scan can skip row
//! groups outside the query's time range without reading them.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::array::{new_null_array, Array, ArrayRef, BooleanArray, StringArray};
use arrow::compute::cast;
use arrow::datatypes::DataType;
use arrow::record_batch::{RecordBatch, RecordBatchOptions};
use bytes::Bytes;
use iishunt_plan::schema::Schema;
use parquet::arrow::arrow_reader::{
    ArrowPredicateFn, ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
    RowFilter,
};
use parquet::arrow::ProjectionMask;
use parquet::file::statistics::Statistics;

use crate::error::{ExecError, Result};

/// Rows per batch read from Parquet: large enough to amortise per-batch work
/// (dictionary mapping, kernel dispatch), small enough to stay in cache-sized chunks.
const BATCH_ROWS: usize = 64 * 1024;

/// A condition on rows evaluated while a row group is decoded: the columns it
/// reads are decoded first, and the other columns only for the rows it keeps
/// (late materialisation). A `where` that keeps 0.1% of the rows then costs
/// little more than decoding the columns it tests.
#[derive(Clone)]
pub struct RowPredicate {
    /// The scan-schema columns it reads, in the order `eval` gets them.
    pub columns: Vec<usize>,
    /// Given a batch of exactly those columns, which rows to keep.
    pub eval: RowMask,
}

/// Which rows of a batch to keep.
pub type RowMask = Arc<dyn Fn(&RecordBatch) -> Result<BooleanArray> + Send + Sync>;

impl RowPredicate {
    fn sub_schema(&self, schema: &Schema) -> Schema {
        Schema::new(
            self.columns
                .iter()
                .map(|c| schema.columns[*c].clone())
                .collect(),
        )
    }

    /// Applies the predicate to a batch of the full scan schema.
    pub fn filter(&self, batch: &RecordBatch) -> Result<RecordBatch> {
        let sub = batch.project(&self.columns)?;
        let mask = (self.eval)(&sub)?;
        Ok(arrow::compute::filter_record_batch(batch, &mask)?)
    }
}

/// A column's smallest or largest value in a row group, from Parquet statistics.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatValue {
    Int(i64),
    Bytes(Vec<u8>),
}

/// One unit of parallel work in a scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Partition {
    RowGroup { file: usize, row_group: usize },
    Memory { batch: usize },
}

/// A Parquet file's footer, read once, and its bytes, mapped once.
pub struct ParquetFile {
    pub path: PathBuf,
    /// The whole file, memory-mapped: a scan's column chunks are slices of the
    /// page cache, not `read()` copies into fresh buffers (which cost a copy
    /// and, on a cold process, a page fault per fresh page).
    bytes: Bytes,
    metadata: ArrowReaderMetadata,
    /// Per row group: rows, and the `TimeGenerated` min/max (µs) when known.
    pub row_groups: Vec<RowGroupInfo>,
}

#[derive(Debug, Clone, Copy)]
pub struct RowGroupInfo {
    pub rows: usize,
    pub time_min: Option<i64>,
    pub time_max: Option<i64>,
}

/// One table's data.
pub enum TableData {
    Parquet(Vec<ParquetFile>),
    Memory(Vec<RecordBatch>),
}

/// Every table the engine can scan, by name.
#[derive(Default)]
pub struct DataSource {
    pub tables: BTreeMap<String, TableData>,
}

impl ParquetFile {
    pub fn open(path: &Path) -> Result<ParquetFile> {
        let read_err = |e: &dyn std::fmt::Display| ExecError::Read {
            path: path.to_path_buf(),
            message: e.to_string(),
        };
        let file = File::open(path).map_err(|e| read_err(&e))?;
        let bytes = map_file(&file).map_err(|e| read_err(&e))?;
        let metadata = ArrowReaderMetadata::load(&bytes, ArrowReaderOptions::new())
            .map_err(|e| read_err(&e))?;
        let parquet_schema = metadata.metadata().file_metadata().schema_descr();
        let time_col = (0..parquet_schema.num_columns())
            .find(|i| parquet_schema.column(*i).name() == "TimeGenerated");
        let row_groups = metadata
            .metadata()
            .row_groups()
            .iter()
            .map(|rg| {
                let (time_min, time_max) = match time_col.and_then(|c| rg.column(c).statistics()) {
                    Some(Statistics::Int64(s)) => (s.min_opt().copied(), s.max_opt().copied()),
                    _ => (None, None),
                };
                RowGroupInfo {
                    rows: rg.num_rows() as usize,
                    time_min,
                    time_max,
                }
            })
            .collect();
        Ok(ParquetFile {
            path: path.to_path_buf(),
            bytes,
            metadata,
            row_groups,
        })
    }

    /// `[min, max]` of a column in a row group, when the statistics say so
    /// and the column has no nulls there.
    pub fn column_range(&self, row_group: usize, column: &str) -> Option<(StatValue, StatValue)> {
        let descr = self.metadata.metadata().file_metadata().schema_descr();
        let c = (0..descr.num_columns()).find(|i| descr.column(*i).name() == column)?;
        let stats = self
            .metadata
            .metadata()
            .row_groups()
            .get(row_group)?
            .column(c)
            .statistics()?;
        if stats.null_count_opt() != Some(0) {
            return None;
        }
        match stats {
            Statistics::Int64(s) => {
                Some((StatValue::Int(*s.min_opt()?), StatValue::Int(*s.max_opt()?)))
            }
            Statistics::Int32(s) => Some((
                StatValue::Int(*s.min_opt()? as i64),
                StatValue::Int(*s.max_opt()? as i64),
            )),
            Statistics::ByteArray(s) => Some((
                StatValue::Bytes(s.min_bytes_opt()?.to_vec()),
                StatValue::Bytes(s.max_bytes_opt()?.to_vec()),
            )),
            _ => None,
        }
    }

    /// Column names stored in this file.
    pub fn column_names(&self) -> Vec<String> {
        self.metadata
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect()
    }

    /// Reads one row group's `columns` (by name, in `schema` order); columns the
    /// file lacks come back as nulls (or the table name for `Type`).
    pub fn read_row_group(
        &self,
        row_group: usize,
        schema: &Schema,
        table: &str,
        predicate: Option<&RowPredicate>,
    ) -> Result<Vec<RecordBatch>> {
        let file_schema = self.metadata.schema().clone();
        let wanted: Vec<Option<usize>> = schema
            .columns
            .iter()
            .map(|c| file_schema.index_of(&c.name).ok())
            .collect();
        let mut roots: Vec<usize> = wanted.iter().flatten().copied().collect();
        roots.sort_unstable();
        roots.dedup();
        let rows_in_group = self.row_groups.get(row_group).map_or(0, |r| r.rows);
        if roots.is_empty() {
            // Only missing/virtual columns (or `count()` alone): no bytes to read.
            let batch = fill_batch(schema, &[], &[], rows_in_group, table)?;
            return match predicate {
                Some(p) => Ok(vec![p.filter(&batch)?]),
                None => Ok(vec![batch]),
            };
        }
        self.read_from(
            self.bytes.clone(),
            row_group,
            schema,
            table,
            predicate,
            &wanted,
            &roots,
        )
    }

    /// The reading half of `read_row_group`, over the mapped bytes.
    #[allow(clippy::too_many_arguments)]
    fn read_from(
        &self,
        reader: Bytes,
        row_group: usize,
        schema: &Schema,
        table: &str,
        predicate: Option<&RowPredicate>,
        wanted: &[Option<usize>],
        roots: &[usize],
    ) -> Result<Vec<RecordBatch>> {
        let read_err = |e: &dyn std::fmt::Display| ExecError::Read {
            path: self.path.clone(),
            message: e.to_string(),
        };
        let file_schema = self.metadata.schema().clone();
        let descr = self.metadata.metadata().file_metadata().schema_descr();
        let mask = ProjectionMask::roots(descr, roots.iter().copied());
        let mut builder =
            ParquetRecordBatchReaderBuilder::new_with_metadata(reader, self.metadata.clone())
                .with_projection(mask)
                .with_row_groups(vec![row_group])
                .with_batch_size(BATCH_ROWS);
        let mut filter_after = None;
        if let Some(p) = predicate {
            let sub = p.sub_schema(schema);
            let sub_wanted: Vec<Option<usize>> = sub
                .columns
                .iter()
                .map(|c| file_schema.index_of(&c.name).ok())
                .collect();
            let mut sub_roots: Vec<usize> = sub_wanted.iter().flatten().copied().collect();
            sub_roots.sort_unstable();
            sub_roots.dedup();
            if sub_roots.is_empty() {
                filter_after = Some(p.clone());
            } else {
                let positions: Vec<Option<usize>> = sub_wanted
                    .iter()
                    .map(|w| w.and_then(|fi| sub_roots.iter().position(|r| *r == fi)))
                    .collect();
                let eval = p.eval.clone();
                let table = table.to_string();
                let closure = move |batch: RecordBatch| {
                    let rows = batch.num_rows();
                    let input = fill_batch(&sub, batch.columns(), &positions, rows, &table)
                        .map_err(|e| arrow::error::ArrowError::ComputeError(e.to_string()))?;
                    eval(&input).map_err(|e| arrow::error::ArrowError::ComputeError(e.to_string()))
                };
                let pmask = ProjectionMask::roots(descr, sub_roots.iter().copied());
                builder = builder.with_row_filter(RowFilter::new(vec![Box::new(
                    ArrowPredicateFn::new(pmask, closure),
                )]));
            }
        }
        let reader = builder.build().map_err(|e| read_err(&e))?;
        let mut out = Vec::new();
        for batch in reader {
            let batch = batch.map_err(|e| read_err(&e))?;
            // The reader returns the projected columns in file order.
            let positions: Vec<Option<usize>> = wanted
                .iter()
                .map(|w| w.and_then(|fi| roots.iter().position(|r| *r == fi)))
                .collect();
            let filled = fill_batch(schema, batch.columns(), &positions, batch.num_rows(), table)?;
            out.push(match &filter_after {
                Some(p) => p.filter(&filled)?,
                None => filled,
            });
        }
        Ok(out)
    }
}

/// Maps a dataset file read-only. An empty file maps to no bytes (Parquet then
/// reports it as not a Parquet file).
fn map_file(file: &File) -> std::io::Result<Bytes> {
    if file.metadata()?.len() == 0 {
        return Ok(Bytes::new());
    }
    // SAFETY: the mapping is read-only, and dataset files are never modified
    // in place: ingest writes each file in a staging folder and renames it
    // into place, and removes replaced files by unlinking them, so a mapped
    // file keeps its bytes (an unlinked file stays mapped until dropped).
    // Truncating a dataset file by hand while a query reads it would fault
    // the query; no iishunt command does that.
    let map = unsafe { memmap2::Mmap::map(file)? };
    Ok(Bytes::from_owner(map))
}

/// Builds a batch with exactly `schema`'s columns from the columns read.
fn fill_batch(
    schema: &Schema,
    read: &[ArrayRef],
    positions: &[Option<usize>],
    rows: usize,
    table: &str,
) -> Result<RecordBatch> {
    let mut columns = Vec::with_capacity(schema.len());
    let mut fields = Vec::with_capacity(schema.len());
    for (i, c) in schema.columns.iter().enumerate() {
        let want = c.ty.arrow_type();
        let array = match positions
            .get(i)
            .copied()
            .flatten()
            .and_then(|p| read.get(p))
        {
            Some(a) => conform(a, &want)?,
            None if c.name == "Type" => Arc::new(StringArray::from_iter_values(
                std::iter::repeat_n(table, rows),
            )) as ArrayRef,
            None => new_null_array(&want, rows),
        };
        fields.push(arrow::datatypes::Field::new(
            &c.name,
            array.data_type().clone(),
            true,
        ));
        columns.push(array);
    }
    Ok(RecordBatch::try_new_with_options(
        Arc::new(arrow::datatypes::Schema::new(fields)),
        columns,
        &RecordBatchOptions::new().with_row_count(Some(rows)),
    )?)
}

/// Keeps dictionary strings as they are; casts anything else to the engine's type.
pub fn conform(array: &ArrayRef, want: &DataType) -> Result<ArrayRef> {
    match (array.data_type(), want) {
        (a, w) if a == w => Ok(array.clone()),
        (DataType::Dictionary(_, v), w) if **v == *w => Ok(array.clone()),
        (DataType::Dictionary(_, _), w) => Ok(cast(&cast(array, &DataType::Utf8)?, w)?),
        (_, w) => Ok(cast(array, w)?),
    }
}

impl DataSource {
    /// The partitions of `table` that may hold rows in `time_range` (inclusive µs bounds).
    pub fn partitions(
        &self,
        table: &str,
        time_range: (Option<i64>, Option<i64>),
    ) -> Result<(Vec<Partition>, usize)> {
        let data = self.table(table)?;
        let mut out = Vec::new();
        let mut pruned = 0;
        match data {
            TableData::Parquet(files) => {
                for (f, file) in files.iter().enumerate() {
                    for (g, rg) in file.row_groups.iter().enumerate() {
                        let outside = matches!((time_range.0, rg.time_max), (Some(lo), Some(max)) if max < lo)
                            || matches!((time_range.1, rg.time_min), (Some(hi), Some(min)) if min > hi);
                        if outside || rg.rows == 0 {
                            pruned += 1;
                        } else {
                            out.push(Partition::RowGroup {
                                file: f,
                                row_group: g,
                            });
                        }
                    }
                }
            }
            TableData::Memory(batches) => {
                out.extend((0..batches.len()).map(|b| Partition::Memory { batch: b }))
            }
        }
        Ok((out, pruned))
    }

    /// The rows of one partition, with exactly `schema`'s columns, keeping only
    /// the rows `predicate` accepts.
    pub fn read(
        &self,
        table: &str,
        partition: Partition,
        schema: &Schema,
        predicate: Option<&RowPredicate>,
    ) -> Result<Vec<RecordBatch>> {
        match (self.table(table)?, partition) {
            (TableData::Parquet(files), Partition::RowGroup { file, row_group }) => files
                .get(file)
                .ok_or_else(|| ExecError::internal("DataSource::read", "no such file"))?
                .read_row_group(row_group, schema, table, predicate),
            (TableData::Memory(batches), Partition::Memory { batch }) => {
                let b = batches
                    .get(batch)
                    .ok_or_else(|| ExecError::internal("DataSource::read", "no such batch"))?;
                let arrow_schema = b.schema();
                let positions: Vec<Option<usize>> = schema
                    .columns
                    .iter()
                    .map(|c| arrow_schema.index_of(&c.name).ok())
                    .collect();
                let batch = fill_batch(schema, b.columns(), &positions, b.num_rows(), table)?;
                match predicate {
                    Some(p) => Ok(vec![p.filter(&batch)?]),
                    None => Ok(vec![batch]),
                }
            }
            _ => Err(ExecError::internal(
                "DataSource::read",
                "partition of another kind",
            )),
        }
    }

    fn table(&self, table: &str) -> Result<&TableData> {
        self.tables
            .get(table)
            .ok_or_else(|| ExecError::internal("DataSource", format!("no data for table {table}")))
    }

    /// Rows in one partition (from the footer for Parquet).
    pub fn partition_rows(&self, table: &str, partition: Partition) -> usize {
        match (self.tables.get(table), partition) {
            (Some(TableData::Parquet(files)), Partition::RowGroup { file, row_group }) => files
                .get(file)
                .and_then(|f| f.row_groups.get(row_group))
                .map_or(0, |r| r.rows),
            (Some(TableData::Memory(batches)), Partition::Memory { batch }) => {
                batches.get(batch).map_or(0, |b| b.num_rows())
            }
            _ => 0,
        }
    }

    /// `[min, max]` of a column in one partition, from statistics.
    pub fn column_range(
        &self,
        table: &str,
        partition: Partition,
        column: &str,
    ) -> Option<(StatValue, StatValue)> {
        match (self.tables.get(table)?, partition) {
            (TableData::Parquet(files), Partition::RowGroup { file, row_group }) => {
                files.get(file)?.column_range(row_group, column)
            }
            _ => None,
        }
    }

    /// Rows and `TimeGenerated` range of a table, from footers (no data read).
    pub fn stats(&self, table: &str) -> (u64, Option<(i64, i64)>) {
        match self.tables.get(table) {
            Some(TableData::Parquet(files)) => {
                let rows = files
                    .iter()
                    .flat_map(|f| &f.row_groups)
                    .map(|r| r.rows as u64)
                    .sum();
                let lo = files
                    .iter()
                    .flat_map(|f| &f.row_groups)
                    .filter_map(|r| r.time_min)
                    .min();
                let hi = files
                    .iter()
                    .flat_map(|f| &f.row_groups)
                    .filter_map(|r| r.time_max)
                    .max();
                (rows, lo.zip(hi))
            }
            Some(TableData::Memory(batches)) => {
                (batches.iter().map(|b| b.num_rows() as u64).sum(), None)
            }
            None => (0, None),
        }
    }
}
