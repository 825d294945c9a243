//! The three tables, `W3CIISLog`, `HttpErrorLog` and `IISFtpLog`: the
//! query-visible schema (Sentinel's column names and types, in Sentinel's
//! order; the FTP table, which Sentinel lacks, in the same naming style) and
//! the storage layout (the subset of columns a log line can fill, as written
//! to Parquet).
//!
//! The query engine binds queries against [`table_schema`]; the reader and
//! the Parquet writer use [`stored_columns`]. Columns of the query schema
//! that files lack (enrichment, Azure bookkeeping, `Date`/`Time`) read as
//! null — see `docs/schema.md` for why `Date` is not stored.

use std::sync::Arc;

use arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};

/// The tables iishunt knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Table {
    /// IIS W3C extended access log (Sentinel's `W3CIISLog`).
    W3CIISLog,
    /// HTTP.sys error log (`httperr*.log`).
    HttpErrorLog,
    /// IIS FTP service log (W3C extended, `FTPSVC<n>/u_ex*.log`).
    IISFtpLog,
}

impl Table {
    /// The table name as queries spell it, and the dataset folder name.
    pub fn name(&self) -> &'static str {
        match self {
            Table::W3CIISLog => "W3CIISLog",
            Table::HttpErrorLog => "HttpErrorLog",
            Table::IISFtpLog => "IISFtpLog",
        }
    }

    /// Every table, in a fixed order.
    pub fn all() -> [Table; 3] {
        [Table::W3CIISLog, Table::HttpErrorLog, Table::IISFtpLog]
    }

    /// The table with this name (exact spelling), if any.
    pub fn from_name(name: &str) -> Option<Table> {
        Table::all().into_iter().find(|t| t.name() == name)
    }
}

/// How a stored column is built and written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnKind {
    /// A string stored as `Dictionary(Int32, Utf8)`.
    Dict,
    /// A high-cardinality string stored as plain `Utf8`.
    Utf8,
    /// `Int32` (ports).
    Int32,
    /// `Int64` (byte counts, durations, offsets).
    Int64,
    /// `Timestamp(Microsecond, None)` holding UTC.
    Timestamp,
}

impl ColumnKind {
    /// The Arrow type written to Parquet for this kind.
    pub fn storage_type(self) -> DataType {
        match self {
            ColumnKind::Dict => dict_utf8(),
            ColumnKind::Utf8 => DataType::Utf8,
            ColumnKind::Int32 => DataType::Int32,
            ColumnKind::Int64 => DataType::Int64,
            ColumnKind::Timestamp => timestamp_type(),
        }
    }
}

/// One column the reader fills and the writer stores.
#[derive(Clone, Copy, Debug)]
pub struct StoredColumn {
    /// Column name (Sentinel's spelling).
    pub name: &'static str,
    /// Storage kind.
    pub kind: ColumnKind,
}

const fn col(name: &'static str, kind: ColumnKind) -> StoredColumn {
    StoredColumn { name, kind }
}

use ColumnKind::{Dict, Int32, Int64, Timestamp, Utf8};

/// Stored `W3CIISLog` columns; indices are the `W3C_*` constants below.
static W3C_STORED: [StoredColumn; 24] = [
    col("TimeGenerated", Timestamp),
    col("Computer", Dict),
    col("sSiteName", Dict),
    col("sComputerName", Dict),
    col("sIP", Dict),
    col("csMethod", Dict),
    col("csUriStem", Dict),
    col("csUriQuery", Dict),
    col("sPort", Int32),
    col("csUserName", Dict),
    col("cIP", Dict),
    col("csUserAgent", Dict),
    col("scStatus", Dict),
    col("scSubStatus", Dict),
    col("scWin32Status", Dict),
    col("scBytes", Int64),
    col("csBytes", Int64),
    col("TimeTaken", Int64),
    col("csVersion", Dict),
    col("csHost", Dict),
    col("csCookie", Utf8),
    col("csReferer", Dict),
    col("FileUri", Dict),
    col("FileOffset", Int64),
];

/// Stored `HttpErrorLog` columns; indices are the `ERR_*` constants below.
static HTTPERR_STORED: [StoredColumn; 16] = [
    col("TimeGenerated", Timestamp),
    col("Computer", Dict),
    col("cIP", Dict),
    col("cPort", Int32),
    col("sIP", Dict),
    col("sPort", Int32),
    col("csVersion", Dict),
    col("csMethod", Dict),
    col("csUri", Dict),
    col("StreamId", Dict),
    col("scStatus", Dict),
    col("sSiteId", Dict),
    col("sReason", Dict),
    col("sQueueName", Dict),
    col("FileUri", Dict),
    col("FileOffset", Int64),
];

/// Stored `IISFtpLog` columns: the fields IIS's FTP service can log
/// (`logExtFileFlags`), named as `W3CIISLog` names the same W3C fields;
/// `x-session`, `x-fullpath` and `x-debug` become `xSession`, `xFullPath`
/// and `xDebug`.
static FTP_STORED: [StoredColumn; 23] = [
    col("TimeGenerated", Timestamp),
    col("Computer", Dict),
    col("sSiteName", Dict),
    col("sComputerName", Dict),
    col("cIP", Dict),
    col("cPort", Int32),
    col("csUserName", Dict),
    col("sIP", Dict),
    col("sPort", Int32),
    col("csMethod", Dict),
    col("csUriStem", Dict),
    col("scStatus", Dict),
    col("scWin32Status", Dict),
    col("scSubStatus", Dict),
    col("scBytes", Int64),
    col("csBytes", Int64),
    col("TimeTaken", Int64),
    col("csHost", Dict),
    col("xSession", Dict),
    col("xFullPath", Dict),
    col("xDebug", Dict),
    col("FileUri", Dict),
    col("FileOffset", Int64),
];

/// Column positions every stored table shares.
pub const TIME_GENERATED: usize = 0;
/// `Computer` is column 1 in both tables.
pub const COMPUTER: usize = 1;
/// `sComputerName` in `W3CIISLog`.
pub const W3C_S_COMPUTER_NAME: usize = 3;

/// The columns a log line fills for `t`, in file order. `FileUri` and
/// `FileOffset` are always the last two.
pub fn stored_columns(t: Table) -> &'static [StoredColumn] {
    match t {
        Table::W3CIISLog => &W3C_STORED,
        Table::HttpErrorLog => &HTTPERR_STORED,
        Table::IISFtpLog => &FTP_STORED,
    }
}

/// Position of `FileUri` among the stored columns of `t`.
pub fn file_uri_index(t: Table) -> usize {
    stored_columns(t).len() - 2
}

/// Position of `FileOffset` among the stored columns of `t`.
pub fn file_offset_index(t: Table) -> usize {
    stored_columns(t).len() - 1
}

/// `Dictionary(Int32, Utf8)`, the storage type of low-cardinality strings.
pub fn dict_utf8() -> DataType {
    DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8))
}

/// `Timestamp(Microsecond, None)`: `TimeGenerated`, always UTC.
pub fn timestamp_type() -> DataType {
    DataType::Timestamp(TimeUnit::Microsecond, None)
}

/// The storage schema of `t` plus `custom` extra `Utf8` columns, as written
/// to Parquet.
pub fn storage_schema(t: Table, custom: &[String]) -> SchemaRef {
    let mut fields: Vec<Field> = stored_columns(t)
        .iter()
        .map(|c| Field::new(c.name, c.kind.storage_type(), true))
        .collect();
    fields.extend(
        custom
            .iter()
            .map(|name| Field::new(name, DataType::Utf8, true)),
    );
    Arc::new(Schema::new(fields))
}

/// The query-visible schema of `t`: Sentinel's columns, names and types, in
/// Sentinel's order. Every column is nullable. Strings are plain `Utf8`
/// here; files may hold them dictionary-encoded.
pub fn table_schema(t: Table) -> SchemaRef {
    use DataType::{Float64, Int32 as I32, Int64 as I64, Utf8 as S};
    let ts = timestamp_type();
    let cols: Vec<(&str, DataType)> = match t {
        Table::W3CIISLog => vec![
            ("TenantId", S),
            ("SourceSystem", S),
            ("TimeGenerated", ts),
            ("MG", S),
            ("ManagementGroupName", S),
            ("Computer", S),
            ("sSiteName", S),
            ("sComputerName", S),
            ("sIP", S),
            ("csMethod", S),
            ("csUriStem", S),
            ("csUriQuery", S),
            ("sPort", I32),
            ("csUserName", S),
            ("cIP", S),
            ("csUserAgent", S),
            ("scStatus", S),
            ("scSubStatus", S),
            ("scWin32Status", S),
            ("scBytes", I64),
            ("csBytes", I64),
            ("TimeTaken", I64),
            ("csVersion", S),
            ("csHost", S),
            ("csCookie", S),
            ("csReferer", S),
            ("Date", S),
            ("Time", S),
            ("RemoteIPCountry", S),
            ("RemoteIPLatitude", Float64),
            ("RemoteIPLongitude", Float64),
            ("MaliciousIP", S),
            ("IndicatorThreatType", S),
            ("Description", S),
            ("TLPLevel", S),
            ("Confidence", S),
            ("Severity", I32),
            ("FirstReportedDateTime", S),
            ("LastReportedDateTime", S),
            ("IsActive", S),
            ("ReportReferenceLink", S),
            ("FileUri", S),
            ("FileOffset", I64),
            ("AzureDeploymentID", S),
            ("Role", S),
            ("RoleInstance", S),
            ("StorageAccount", S),
            ("Type", S),
            ("_ResourceId", S),
            ("_SubscriptionId", S),
            ("_BilledSize", Float64),
            ("_IsBillable", S),
        ],
        Table::HttpErrorLog => vec![
            ("TimeGenerated", ts),
            ("Computer", S),
            ("cIP", S),
            ("cPort", I32),
            ("sIP", S),
            ("sPort", I32),
            ("csVersion", S),
            ("csMethod", S),
            ("csUri", S),
            ("StreamId", S),
            ("scStatus", S),
            ("sSiteId", S),
            ("sReason", S),
            ("sQueueName", S),
            ("FileUri", S),
            ("FileOffset", I64),
            ("Type", S),
        ],
        Table::IISFtpLog => vec![
            ("TimeGenerated", ts),
            ("Computer", S),
            ("sSiteName", S),
            ("sComputerName", S),
            ("cIP", S),
            ("cPort", I32),
            ("csUserName", S),
            ("sIP", S),
            ("sPort", I32),
            ("csMethod", S),
            ("csUriStem", S),
            ("scStatus", S),
            ("scWin32Status", S),
            ("scSubStatus", S),
            ("scBytes", I64),
            ("csBytes", I64),
            ("TimeTaken", I64),
            ("csHost", S),
            ("xSession", S),
            ("xFullPath", S),
            ("xDebug", S),
            ("FileUri", S),
            ("FileOffset", I64),
            ("Type", S),
        ],
    };
    Arc::new(Schema::new(
        cols.into_iter()
            .map(|(name, ty)| Field::new(name, ty, true))
            .collect::<Vec<_>>(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_columns_are_query_columns_with_compatible_types() {
        for t in Table::all() {
            let schema = table_schema(t);
            for c in stored_columns(t) {
                let field = schema
                    .field_with_name(c.name)
                    .unwrap_or_else(|_| panic!("{} missing from {}", c.name, t.name()));
                let stored = c.kind.storage_type();
                let same = match (&stored, field.data_type()) {
                    (DataType::Dictionary(_, v), q) => v.as_ref() == q,
                    (s, q) => s == q,
                };
                assert!(
                    same,
                    "{}.{}: {stored:?} vs {:?}",
                    t.name(),
                    c.name,
                    field.data_type()
                );
            }
        }
    }

    #[test]
    fn no_stored_column_clashes_with_the_hive_date_partition() {
        // DuckDB matches column names case-insensitively.
        for t in Table::all() {
            assert!(stored_columns(t)
                .iter()
                .all(|c| !c.name.eq_ignore_ascii_case("date")));
        }
    }

    #[test]
    fn w3c_schema_has_the_sentinel_column_count() {
        assert_eq!(table_schema(Table::W3CIISLog).fields().len(), 52);
        assert_eq!(Table::from_name("HttpErrorLog"), Some(Table::HttpErrorLog));
        assert_eq!(Table::from_name("IISFtpLog"), Some(Table::IISFtpLog));
        // Every stored FTP column is queryable, plus `Type`.
        assert_eq!(
            table_schema(Table::IISFtpLog).fields().len(),
            stored_columns(Table::IISFtpLog).len() + 1
        );
    }
}
