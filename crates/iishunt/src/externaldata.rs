//! The engine's side of KQL `externaldata`: the planner names a file and its
//! declared columns, the store reads it, and the rows go back as constants.

use std::path::Path;

use iishunt_exec::ExecContext;
use iishunt_plan::bind::ExternalFile;
use iishunt_plan::types::{KType, ScalarValue};
use iishunt_store::{ExternalColumn, ExternalFormat, ExternalRequest, ExternalType};

/// Reads one `externaldata` file into rows of its declared columns. The rows
/// count against the query's `--memory-limit` (the batch read and the
/// constants made of it), and a query past its `--timeout` or cancelled
/// stops here.
pub(crate) fn read_rows(
    file: &ExternalFile,
    ctx: &ExecContext,
) -> Result<Vec<Vec<ScalarValue>>, String> {
    let path = Path::new(file.path);
    let format = match file.format {
        Some(name) => ExternalFormat::from_name(name)
            .ok_or_else(|| format!("{}: `{name}` is not a format iishunt reads", path.display()))?,
        None => ExternalFormat::for_path(path),
    };
    let columns: Vec<ExternalColumn> = file
        .columns
        .iter()
        .map(|c| ExternalColumn {
            name: c.name.clone(),
            ty: stored_type(c.ty),
        })
        .collect();
    let batch = iishunt_store::read_external(&ExternalRequest {
        path,
        format,
        columns: &columns,
        ignore_first_record: file.ignore_first_record,
    })
    .map_err(|e| e.to_string())?;
    let constants = batch.num_rows() * file.columns.len() * std::mem::size_of::<ScalarValue>();
    ctx.reserve(
        "externaldata",
        batch.get_array_memory_size().saturating_add(constants),
    )
    .map_err(|e| format!("{}: {e}", path.display()))?;
    let mut rows = Vec::with_capacity(batch.num_rows());
    for row in 0..batch.num_rows() {
        let mut values = Vec::with_capacity(file.columns.len());
        for (array, column) in batch.columns().iter().zip(file.columns) {
            values.push(
                iishunt_exec::scalar::array_cell(array.as_ref(), row, column.ty)
                    .map_err(|e| e.to_string())?,
            );
        }
        rows.push(values);
    }
    Ok(rows)
}

/// How the store holds a declared type: `decimal` as real and `guid` as
/// string, as the engine does (docs/types.md).
fn stored_type(ty: KType) -> ExternalType {
    match ty {
        KType::Bool => ExternalType::Bool,
        KType::Int => ExternalType::Int,
        KType::Long => ExternalType::Long,
        KType::Real | KType::Decimal => ExternalType::Real,
        KType::String | KType::Guid => ExternalType::String,
        KType::DateTime => ExternalType::DateTime,
        KType::TimeSpan => ExternalType::TimeSpan,
        KType::Dynamic => ExternalType::Dynamic,
    }
}
