//! What kind of log a file is. An IIS server's `LogFiles` folder holds web
//! logs (`W3SVC<n>`), FTP logs (`FTPSVC<n>`), SMTP logs (`SMTPSVC<n>`) and
//! HTTP.sys error logs (`HTTPERR`) side by side, in W3C extended, the old IIS
//! log format or NCSA; Windows Firewall logs look like W3C logs too. Each
//! kind is either read into a table or skipped with its name.
//!
//! The reader ([`crate::reader`]) decides a file's kind from its headers,
//! its first line and its folder; `iishunt-store` reports files per kind.

use std::fmt;
use std::path::Path;

use crate::schema::Table;

/// The kinds of log iishunt tells apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LogKind {
    /// IIS W3C extended web log (`u_ex*.log`, `ex*.log`) → `W3CIISLog`.
    W3cWeb,
    /// HTTP.sys error log (`httperr*.log`) → `HttpErrorLog`.
    HttpErr,
    /// IIS FTP service log (W3C extended) → `IISFtpLog`.
    Ftp,
    /// The old comma-separated IIS log format (`in*.log`) → `W3CIISLog`.
    IisFormat,
    /// NCSA common or combined log (`nc*.log`) → `W3CIISLog`.
    Ncsa,
    /// Windows Firewall log (`pfirewall.log`): skipped.
    Firewall,
    /// IIS SMTP service log: skipped.
    Smtp,
    /// A W3C extended log whose fields match no kind above: skipped.
    OtherW3c,
    /// Not a log format iishunt recognises: skipped inside a folder, an
    /// error when named on the command line.
    NotALog,
}

impl LogKind {
    /// Every kind, in report order.
    pub const ALL: [LogKind; 9] = [
        LogKind::W3cWeb,
        LogKind::HttpErr,
        LogKind::Ftp,
        LogKind::IisFormat,
        LogKind::Ncsa,
        LogKind::Firewall,
        LogKind::Smtp,
        LogKind::OtherW3c,
        LogKind::NotALog,
    ];

    /// The kind in words, for the summary.
    pub fn name(self) -> &'static str {
        match self {
            LogKind::W3cWeb => "IIS W3C web log",
            LogKind::HttpErr => "HTTP.sys error log",
            LogKind::Ftp => "IIS FTP log",
            LogKind::IisFormat => "IIS log format",
            LogKind::Ncsa => "NCSA log",
            LogKind::Firewall => "Windows Firewall log",
            LogKind::Smtp => "IIS SMTP log",
            LogKind::OtherW3c => "other W3C log",
            LogKind::NotALog => "not a log",
        }
    }

    /// A stable code (the manifest stores it).
    pub fn code(self) -> &'static str {
        match self {
            LogKind::W3cWeb => "w3c",
            LogKind::HttpErr => "httperr",
            LogKind::Ftp => "ftp",
            LogKind::IisFormat => "iis",
            LogKind::Ncsa => "ncsa",
            LogKind::Firewall => "firewall",
            LogKind::Smtp => "smtp",
            LogKind::OtherW3c => "w3c_other",
            LogKind::NotALog => "not_a_log",
        }
    }

    /// The kind with this [`Self::code`].
    pub fn from_code(code: &str) -> Option<LogKind> {
        LogKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The table this kind is read into; `None` for the kinds skipped.
    pub fn table(self) -> Option<Table> {
        match self {
            LogKind::W3cWeb | LogKind::IisFormat | LogKind::Ncsa => Some(Table::W3CIISLog),
            LogKind::HttpErr => Some(Table::HttpErrorLog),
            LogKind::Ftp => Some(Table::IISFtpLog),
            LogKind::Firewall | LogKind::Smtp | LogKind::OtherW3c | LogKind::NotALog => None,
        }
    }

    /// Why files of a skipped kind are not read.
    pub fn skip_reason(self) -> &'static str {
        match self {
            LogKind::Firewall => "firewall logs hold packets, not IIS requests",
            LogKind::Smtp => "SMTP logs hold mail sessions, not web requests",
            LogKind::OtherW3c => "no table takes these fields",
            LogKind::NotALog => "not a log format iishunt reads",
            _ => "read",
        }
    }
}

impl fmt::Display for LogKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The kind IIS's folder naming suggests for a file: its parent folder is
/// `W3SVC<n>`, `FTPSVC<n>` / `MSFTPSVC<n>` (IIS 6), `SMTPSVC<n>` or
/// `HTTPERR` (any case). Content decides first; the folder only settles
/// what content leaves open (IIS writes the same `#Software` line in web,
/// FTP and SMTP logs, and IIS 6 FTP logs have no FTP-only field).
pub fn kind_of_folder(path: &Path) -> Option<LogKind> {
    let folder = path
        .parent()?
        .file_name()?
        .to_string_lossy()
        .to_ascii_lowercase();
    let numbered = |prefix: &str| {
        folder
            .strip_prefix(prefix)
            .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()))
    };
    if numbered("w3svc") {
        Some(LogKind::W3cWeb)
    } else if numbered("ftpsvc") || numbered("msftpsvc") {
        Some(LogKind::Ftp)
    } else if numbered("smtpsvc") {
        Some(LogKind::Smtp)
    } else if folder == "httperr" {
        Some(LogKind::HttpErr)
    } else {
        None
    }
}

/// SMTP commands as IIS's SMTP service logs them in `cs-method`; no web
/// request uses them as its method.
const SMTP_VERBS: [&str; 14] = [
    "EHLO", "HELO", "MAIL", "RCPT", "DATA", "QUIT", "RSET", "AUTH", "STARTTLS", "NOOP", "TURN",
    "ETRN", "BDAT", "XEXCH50",
];

/// What the first data row of a file typed as a web log says it really is:
/// an SMTP log (`s-sitename` `SMTPSVC<n>`, an SMTP verb as method, or
/// `cs-version` `SMTP`), an IIS 6 FTP log (`s-sitename` `MSFTPSVC<n>`, or a
/// method like `[3]USER`), or nothing (a web log).
pub fn kind_of_first_row(
    sitename: Option<&[u8]>,
    method: Option<&[u8]>,
    version: Option<&[u8]>,
) -> Option<LogKind> {
    let starts = |v: Option<&[u8]>, prefix: &str| {
        v.is_some_and(|v| {
            v.len() >= prefix.len() && v[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
        })
    };
    let is_smtp_verb = method.is_some_and(|m| SMTP_VERBS.iter().any(|v| m == v.as_bytes()));
    let smtp_version = version
        .is_some_and(|v| v.eq_ignore_ascii_case(b"SMTP") || v.eq_ignore_ascii_case(b"ESMTP"));
    if starts(sitename, "SMTPSVC") || is_smtp_verb || smtp_version {
        return Some(LogKind::Smtp);
    }
    if starts(sitename, "MSFTPSVC")
        || starts(sitename, "FTPSVC")
        || method.is_some_and(is_iis6_ftp_method)
    {
        return Some(LogKind::Ftp);
    }
    None
}

/// `[3]USER`: IIS 6 FTP logs prefix the command with its session number.
pub fn is_iis6_ftp_method(method: &[u8]) -> bool {
    let Some(rest) = method.strip_prefix(b"[") else {
        return false;
    };
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    digits > 0 && rest.get(digits) == Some(&b']') && rest.len() > digits + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_tables_are_named() {
        for k in LogKind::ALL {
            assert_eq!(LogKind::from_code(k.code()), Some(k));
        }
        assert_eq!(LogKind::Ncsa.table(), Some(Table::W3CIISLog));
        assert_eq!(LogKind::Ftp.table(), Some(Table::IISFtpLog));
        assert_eq!(LogKind::Firewall.table(), None);
    }

    #[test]
    fn folders_name_the_service() {
        let k = |p: &str| kind_of_folder(Path::new(p));
        assert_eq!(k("LogFiles/W3SVC1/u_ex1.log"), Some(LogKind::W3cWeb));
        assert_eq!(k("LogFiles/FTPSVC2/u_ex1.log"), Some(LogKind::Ftp));
        assert_eq!(k("LogFiles/MSFTPSVC1/ex1.log"), Some(LogKind::Ftp));
        assert_eq!(k("LogFiles/smtpsvc1/ex1.log"), Some(LogKind::Smtp));
        assert_eq!(k("LogFiles/HTTPERR/httperr1.log"), Some(LogKind::HttpErr));
        assert_eq!(k("LogFiles/W3SVC/u_ex1.log"), None);
        assert_eq!(k("u_ex1.log"), None);
    }

    #[test]
    fn first_rows_betray_smtp_and_iis6_ftp() {
        let row = |site: &str, method: &str, version: &str| {
            kind_of_first_row(
                Some(site.as_bytes()),
                Some(method.as_bytes()),
                Some(version.as_bytes()),
            )
        };
        assert_eq!(row("W3SVC1", "GET", "HTTP/1.1"), None);
        assert_eq!(row("SMTPSVC1", "-", "-"), Some(LogKind::Smtp));
        assert_eq!(row("-", "EHLO", "-"), Some(LogKind::Smtp));
        assert_eq!(row("-", "-", "SMTP"), Some(LogKind::Smtp));
        assert_eq!(row("MSFTPSVC1", "-", "-"), Some(LogKind::Ftp));
        assert_eq!(row("-", "[12]PASS", "-"), Some(LogKind::Ftp));
        assert_eq!(kind_of_first_row(None, None, None), None);
        assert!(!is_iis6_ftp_method(b"[]PASS"));
        assert!(!is_iis6_ftp_method(b"[1]"));
        assert!(!is_iis6_ftp_method(b"PROPFIND"));
    }
}
