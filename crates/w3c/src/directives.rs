//! The `#` lines of a W3C extended log: `#Software`, `#Version`, `#Date`,
//! `#Fields` (plus `#Start-Date`, `#End-Date`, `#Remark`, which are read and
//! ignored), and the decision, from them, of which table a file feeds — or
//! that it is another W3C-shaped format (Windows Firewall, SMTP) iishunt
//! skips.
//!
//! Fed by [`crate::reader`] one directive line at a time.

use crate::kind::LogKind;
use crate::schema::Table;

/// One parsed directive line.
#[derive(Debug, PartialEq, Eq)]
pub enum Directive {
    /// `#Software: Microsoft Internet Information Services 10.0`
    Software(String),
    /// `#Version: 1.0`
    Version(String),
    /// `#Date: 2026-03-02 00:00:01` (only the date part matters here).
    Date(String),
    /// `#Fields: date time ...`, names split on any run of spaces/tabs.
    Fields(Vec<String>),
    /// Any other `#` line (`#Remark`, `#Start-Date`, a comment).
    Other,
}

/// Parses a line that starts with `#`. Names are matched case-insensitively;
/// values are trimmed (a trailing space after the last field is common).
pub fn parse(line: &str) -> Directive {
    let body = line.trim_start_matches('#');
    let (name, value) = match body.split_once(':') {
        Some((n, v)) => (n.trim(), v.trim()),
        None => return Directive::Other,
    };
    if name.eq_ignore_ascii_case("Fields") {
        Directive::Fields(value.split_ascii_whitespace().map(str::to_string).collect())
    } else if name.eq_ignore_ascii_case("Software") {
        Directive::Software(value.to_string())
    } else if name.eq_ignore_ascii_case("Version") {
        Directive::Version(value.to_string())
    } else if name.eq_ignore_ascii_case("Date") {
        Directive::Date(value.to_string())
    } else {
        Directive::Other
    }
}

/// What a log's headers say it is, among the W3C-shaped logs iishunt reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// IIS W3C extended web log → `W3CIISLog`.
    W3C,
    /// HTTP.sys error log → `HttpErrorLog`.
    HttpErr,
    /// IIS FTP service log → `IISFtpLog`.
    Ftp,
}

impl Format {
    /// The table rows of this format go to.
    pub fn table(self) -> Table {
        match self {
            Format::W3C => Table::W3CIISLog,
            Format::HttpErr => Table::HttpErrorLog,
            Format::Ftp => Table::IISFtpLog,
        }
    }

    /// The kind of log this format is.
    pub fn kind(self) -> LogKind {
        match self {
            Format::W3C => LogKind::W3cWeb,
            Format::HttpErr => LogKind::HttpErr,
            Format::Ftp => LogKind::Ftp,
        }
    }
}

/// A W3C-shaped log of a kind iishunt does not read, and what showed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Other {
    /// Firewall, SMTP, or an unknown W3C log.
    pub kind: LogKind,
    /// The evidence, quoted (`#Software: Microsoft Windows Firewall`).
    pub detail: String,
}

fn other(kind: LogKind, detail: String) -> Other {
    Other { kind, detail }
}

/// What the `#Software` line says, if it names a format we recognise.
/// IIS writes the same `Microsoft Internet Information Services <version>`
/// in web, FTP and SMTP logs: that verdict is only provisional (W3C), and
/// the fields, the folder and the first row refine it.
pub fn format_from_software(software: &str) -> Result<Option<Format>, Other> {
    let s = software.to_ascii_lowercase();
    if s.contains("http api") {
        Ok(Some(Format::HttpErr))
    } else if s.contains("firewall") {
        Err(other(LogKind::Firewall, format!("#Software: {software}")))
    } else if s.contains("ftp") {
        Ok(Some(Format::Ftp))
    } else if s.contains("smtp") {
        Err(other(LogKind::Smtp, format!("#Software: {software}")))
    } else if s.contains("internet information services") {
        Ok(Some(Format::W3C))
    } else {
        Ok(None)
    }
}

/// Decides the format from a `#Fields` list, the `#Software` verdict (when
/// there was one) and the kind the file's folder suggests (`FTPSVC2` → FTP,
/// [`crate::kind::kind_of_folder`]). Fields only the FTP service logs
/// (`x-session`, `x-fullpath`, `x-debug`) make an FTP log wherever it sits;
/// firewall fields (`src-ip`, `dst-ip`) a firewall log.
pub fn format_from_fields(
    fields: &[String],
    software: Option<Format>,
    folder: Option<LogKind>,
) -> Result<Format, Other> {
    let has = |name: &str| fields.iter().any(|f| f.eq_ignore_ascii_case(name));
    let listed = || format!("#Fields: {}", fields.join(" "));
    if has("x-session") || has("x-fullpath") || has("x-debug") {
        return Ok(Format::Ftp);
    }
    if has("src-ip") || has("dst-ip") {
        return Err(other(LogKind::Firewall, listed()));
    }
    if software == Some(Format::HttpErr) || has("s-reason") || has("s-queuename") {
        return Ok(Format::HttpErr);
    }
    if software == Some(Format::Ftp) || folder == Some(LogKind::Ftp) {
        return Ok(Format::Ftp);
    }
    if folder == Some(LogKind::Smtp) {
        return Err(other(
            LogKind::Smtp,
            "W3C headers in an SMTPSVC folder".to_string(),
        ));
    }
    let known = fields.iter().any(|f| {
        !f.eq_ignore_ascii_case("date")
            && !f.eq_ignore_ascii_case("time")
            && crate::fields::w3c_column(f).is_some()
    });
    if known || software == Some(Format::W3C) {
        Ok(Format::W3C)
    } else {
        Err(other(LogKind::OtherW3c, listed()))
    }
}

/// The date part (`YYYY-MM-DD`) of a `#Date:` value.
pub fn date_part(value: &str) -> &str {
    value.split_ascii_whitespace().next().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_tolerate_trailing_and_double_spaces() {
        assert_eq!(
            parse("#Fields: date time  c-ip \r"),
            Directive::Fields(vec!["date".into(), "time".into(), "c-ip".into()])
        );
        assert_eq!(
            parse("#Date: 2026-03-02 10:00:00"),
            Directive::Date("2026-03-02 10:00:00".into())
        );
        assert_eq!(parse("#Remark: hello"), Directive::Other);
        assert_eq!(date_part("2026-03-02 10:00:00"), "2026-03-02");
    }

    fn names(text: &str) -> Vec<String> {
        text.split(' ').map(String::from).collect()
    }

    #[test]
    fn formats_are_told_apart() {
        assert_eq!(
            format_from_software("Microsoft HTTP API 2.0"),
            Ok(Some(Format::HttpErr))
        );
        assert_eq!(
            format_from_software("Microsoft Internet Information Services 10.0"),
            Ok(Some(Format::W3C))
        );
        assert_eq!(
            format_from_software("Microsoft Windows Firewall")
                .unwrap_err()
                .kind,
            LogKind::Firewall
        );
        let ftp = names("date time c-ip x-session cs-method");
        assert_eq!(
            format_from_fields(&ftp, Some(Format::W3C), None),
            Ok(Format::Ftp)
        );
        let web = names("date time cs-uri-stem");
        assert_eq!(format_from_fields(&web, None, None), Ok(Format::W3C));
        // IIS 6 FTP logs have no x-session: their folder says what they are.
        let iis6_ftp = names("time c-ip cs-method cs-uri-stem sc-status");
        assert_eq!(
            format_from_fields(&iis6_ftp, Some(Format::W3C), Some(LogKind::Ftp)),
            Ok(Format::Ftp)
        );
        let smtp = format_from_fields(&web, Some(Format::W3C), Some(LogKind::Smtp));
        assert_eq!(smtp.unwrap_err().kind, LogKind::Smtp);
        let firewall = names("date time action protocol src-ip dst-ip");
        assert_eq!(
            format_from_fields(&firewall, None, None).unwrap_err().kind,
            LogKind::Firewall
        );
        let odd = format_from_fields(&names("date time foo"), None, None).unwrap_err();
        assert_eq!(
            (odd.kind, odd.detail.as_str()),
            (LogKind::OtherW3c, "#Fields: date time foo")
        );
    }
}
