//! The field catalog: which stored column each W3C `#Fields` name fills,
//! per table, and the column name of a custom field (IIS 8.5+ custom
//! logging, e.g. `X-Forwarded-For` or `cs(X-Forwarded-For)`).
//!
//! Used by [`crate::reader`] when a `#Fields` line arrives, to build the
//! per-section slot list that types every value of the lines below it.

use crate::schema::{stored_columns, Table};

/// Where one field of a `#Fields` line goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Slot {
    /// `date` (part of `TimeGenerated`).
    Date,
    /// `time` (part of `TimeGenerated`).
    Time,
    /// A stored column, by index into [`stored_columns`].
    Column(usize),
    /// A custom field, by index into the reader's custom columns.
    Custom(usize),
}

/// `W3CIISLog`: W3C field name → stored column name.
const W3C_FIELDS: [(&str, &str); 20] = [
    ("s-sitename", "sSiteName"),
    ("s-computername", "sComputerName"),
    ("s-ip", "sIP"),
    ("cs-method", "csMethod"),
    ("cs-uri-stem", "csUriStem"),
    ("cs-uri-query", "csUriQuery"),
    ("s-port", "sPort"),
    ("cs-username", "csUserName"),
    ("c-ip", "cIP"),
    ("cs(user-agent)", "csUserAgent"),
    ("sc-status", "scStatus"),
    ("sc-substatus", "scSubStatus"),
    ("sc-win32-status", "scWin32Status"),
    ("sc-bytes", "scBytes"),
    ("cs-bytes", "csBytes"),
    ("time-taken", "TimeTaken"),
    ("cs-version", "csVersion"),
    ("cs-host", "csHost"),
    ("cs(cookie)", "csCookie"),
    ("cs(referer)", "csReferer"),
];

/// `HttpErrorLog`: W3C field name → stored column name.
const HTTPERR_FIELDS: [(&str, &str); 12] = [
    ("c-ip", "cIP"),
    ("c-port", "cPort"),
    ("s-ip", "sIP"),
    ("s-port", "sPort"),
    ("cs-version", "csVersion"),
    ("cs-method", "csMethod"),
    ("cs-uri", "csUri"),
    ("streamid", "StreamId"),
    ("sc-status", "scStatus"),
    ("s-siteid", "sSiteId"),
    ("s-reason", "sReason"),
    ("s-queuename", "sQueueName"),
];

/// `IISFtpLog`: W3C field name → stored column name. The FTP service logs
/// the web log's names for what both have, plus `x-session`, `x-fullpath`
/// and `x-debug` (its "Info" flag).
const FTP_FIELDS: [(&str, &str); 19] = [
    ("s-sitename", "sSiteName"),
    ("s-computername", "sComputerName"),
    ("c-ip", "cIP"),
    ("c-port", "cPort"),
    ("cs-username", "csUserName"),
    ("s-ip", "sIP"),
    ("s-port", "sPort"),
    ("cs-method", "csMethod"),
    ("cs-uri-stem", "csUriStem"),
    ("sc-status", "scStatus"),
    ("sc-win32-status", "scWin32Status"),
    ("sc-substatus", "scSubStatus"),
    ("sc-bytes", "scBytes"),
    ("cs-bytes", "csBytes"),
    ("time-taken", "TimeTaken"),
    ("cs-host", "csHost"),
    ("x-session", "xSession"),
    ("x-fullpath", "xFullPath"),
    ("x-debug", "xDebug"),
];

/// Fields later HTTP.sys versions add to `httperr*.log`: kept as extra
/// string columns under Sentinel-style names (not the generic custom rule).
const HTTPERR_EXTRA: [(&str, &str); 8] = [
    ("s-computername", "sComputerName"),
    ("cs(user-agent)", "csUserAgent"),
    ("cs(cookie)", "csCookie"),
    ("cs(referer)", "csReferer"),
    ("cs-host", "csHost"),
    ("sc-bytes", "scBytes"),
    ("cs-bytes", "csBytes"),
    ("time-taken", "TimeTaken"),
];

/// IIS's default `#Fields` (IIS 7–10), assumed for a header-less file whose
/// lines have exactly this many values.
pub const IIS_DEFAULT_FIELDS: [&str; 15] = [
    "date",
    "time",
    "s-ip",
    "cs-method",
    "cs-uri-stem",
    "cs-uri-query",
    "s-port",
    "cs-username",
    "c-ip",
    "cs(User-Agent)",
    "cs(Referer)",
    "sc-status",
    "sc-substatus",
    "sc-win32-status",
    "time-taken",
];

fn catalog(t: Table) -> &'static [(&'static str, &'static str)] {
    match t {
        Table::W3CIISLog => &W3C_FIELDS,
        Table::HttpErrorLog => &HTTPERR_FIELDS,
        Table::IISFtpLog => &FTP_FIELDS,
    }
}

/// The stored column index a field fills in `t`, if it is a standard field.
pub fn column_for(t: Table, field: &str) -> Option<usize> {
    let (_, column) = catalog(t)
        .iter()
        .find(|(f, _)| f.eq_ignore_ascii_case(field))?;
    stored_columns(t).iter().position(|c| c.name == *column)
}

/// The stored `W3CIISLog` column index a field fills, if it is standard.
pub fn w3c_column(field: &str) -> Option<usize> {
    column_for(Table::W3CIISLog, field)
}

/// The column name of a custom field: split on every character that is not
/// a letter or digit, keep the first part as written, capitalise the first
/// letter of the others, join. `cs(X-Forwarded-For)` → `csXForwardedFor`,
/// `X-Forwarded-For` → `XForwardedFor`, `x-ms-request-id` → `xMsRequestId`.
/// A name that would clash (ASCII case-insensitively) with a column of the
/// table, or with the hive partition column `date`, gets a `_custom` suffix.
/// In `HttpErrorLog` the fields newer HTTP.sys versions add (`s-computername`,
/// `cs(User-Agent)`, `cs-host`, `sc-bytes`, `time-taken`, …) get Sentinel's
/// names instead (`sComputerName`, `csUserAgent`, …), still as strings.
pub fn custom_column_name(t: Table, field: &str) -> String {
    if t == Table::HttpErrorLog {
        if let Some((_, name)) = HTTPERR_EXTRA
            .iter()
            .find(|(f, _)| f.eq_ignore_ascii_case(field))
        {
            return name.to_string();
        }
    }
    let mut name = String::new();
    for (i, part) in field
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .enumerate()
    {
        if i == 0 {
            name.push_str(part);
        } else {
            let mut chars = part.chars();
            if let Some(first) = chars.next() {
                name.push(first.to_ascii_uppercase());
                name.push_str(chars.as_str());
            }
        }
    }
    if name.is_empty() {
        name.push_str("field");
    }
    let clashes = name.eq_ignore_ascii_case("date")
        || crate::schema::table_schema(t)
            .fields()
            .iter()
            .any(|f| f.name().eq_ignore_ascii_case(&name));
    if clashes {
        name.push_str("_custom");
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_fields_map_case_insensitively() {
        let stem = column_for(Table::W3CIISLog, "CS-URI-STEM").unwrap();
        assert_eq!(stored_columns(Table::W3CIISLog)[stem].name, "csUriStem");
        let session = column_for(Table::IISFtpLog, "X-Session").unwrap();
        assert_eq!(stored_columns(Table::IISFtpLog)[session].name, "xSession");
        let reason = column_for(Table::HttpErrorLog, "s-reason").unwrap();
        assert_eq!(stored_columns(Table::HttpErrorLog)[reason].name, "sReason");
        assert_eq!(column_for(Table::W3CIISLog, "s-reason"), None);
        assert_eq!(column_for(Table::W3CIISLog, "date"), None);
    }

    #[test]
    fn custom_field_names_are_predictable() {
        let t = Table::W3CIISLog;
        assert_eq!(
            custom_column_name(t, "cs(X-Forwarded-For)"),
            "csXForwardedFor"
        );
        assert_eq!(custom_column_name(t, "X-Forwarded-For"), "XForwardedFor");
        assert_eq!(custom_column_name(t, "x-ms-request-id"), "xMsRequestId");
        assert_eq!(custom_column_name(t, "cs(Host)"), "csHost_custom");
        assert_eq!(custom_column_name(t, "Date"), "Date_custom");
        assert_eq!(
            custom_column_name(Table::HttpErrorLog, "s-computername"),
            "sComputerName"
        );
        assert_eq!(
            custom_column_name(Table::HttpErrorLog, "time-taken"),
            "TimeTaken"
        );
    }
}
