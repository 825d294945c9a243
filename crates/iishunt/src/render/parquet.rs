//! Parquet: the result batches written as they are (zstd-compressed), so
//! DuckDB, Spark, pandas and Polars read hunt results directly. Dynamic and
//! guid columns keep their `kusto_type` field metadata.

use std::io::Write;
use std::sync::Arc;

use arrow::datatypes::Schema;
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;

use super::RenderError;
use crate::QueryResult;

/// Writes `result` to `out` as one Parquet file.
pub fn write_parquet<W: Write + Send>(result: &QueryResult, out: W) -> Result<(), RenderError> {
    let schema = match result.batches.first() {
        Some(batch) => batch.schema(),
        None => Arc::new(Schema::new(
            result
                .columns
                .iter()
                .map(|(name, ktype)| ktype.field(name))
                .collect::<Vec<_>>(),
        )),
    };
    let props = WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::default()))
        .build();
    let mut writer = ArrowWriter::try_new(out, schema, Some(props))?;
    for batch in &result.batches {
        writer.write(batch)?;
    }
    writer.close()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    use super::*;
    use crate::render::tests::sample;

    #[test]
    fn parquet_round_trips() {
        let mut file = tempfile::tempfile().expect("temp file");
        write_parquet(&sample(), &mut file).expect("write");
        let reader = ParquetRecordBatchReaderBuilder::try_new(file)
            .expect("open")
            .build()
            .expect("reader");
        let rows: usize = reader.map(|b| b.map(|b| b.num_rows()).unwrap_or(0)).sum();
        assert_eq!(rows, 3);
    }
}
