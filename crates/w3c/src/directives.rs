//! The `#` lines of a W3C extended log: `#Software`, `#Version`, `#Date`,
//! `#Fields` (plus `#Start-Date`, `#End-Date`, `#Remark`, which are read and
//! ignored), and the decision, from them, of which table a file feeds — or
//! that it is another format (FTP, Windows Firewall) iishunt does not read.
//!
//! Fed by [`crate::reader`] one directive line at a time.

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

/// What a log's headers say it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// IIS W3C extended web log → `W3CIISLog`.
    W3C,
    /// HTTP.sys error log → `HttpErrorLog`.
    HttpErr,
}

/// What the `#Software` line says, if it names a format we recognise.
pub fn format_from_software(software: &str) -> Result<Option<Format>, String> {
    let s = software.to_ascii_lowercase();
    if s.contains("http api") {
        Ok(Some(Format::HttpErr))
    } else if s.contains("firewall") {
        Err(format!("a Windows Firewall log (#Software: {software})"))
    } else if s.contains("ftp") {
        Err(format!("an FTP log (#Software: {software})"))
    } else if s.contains("smtp") {
        Err(format!("an SMTP log (#Software: {software})"))
    } else if s.contains("internet information services") {
        Ok(Some(Format::W3C))
    } else {
        Ok(None)
    }
}

/// Decides the format from a `#Fields` list (and the `#Software` verdict,
/// when there was one). FTP and firewall logs are W3C-shaped too, so their
/// characteristic fields are refused here.
pub fn format_from_fields(fields: &[String], software: Option<Format>) -> Result<Format, String> {
    let has = |name: &str| fields.iter().any(|f| f.eq_ignore_ascii_case(name));
    if has("x-session") || has("x-fullpath") {
        return Err(format!("an FTP log (#Fields: {})", fields.join(" ")));
    }
    if has("src-ip") || has("dst-ip") {
        return Err(format!(
            "a Windows Firewall log (#Fields: {})",
            fields.join(" ")
        ));
    }
    if software == Some(Format::HttpErr) || has("s-reason") || has("s-queuename") {
        return Ok(Format::HttpErr);
    }
    let known = fields.iter().any(|f| {
        !f.eq_ignore_ascii_case("date")
            && !f.eq_ignore_ascii_case("time")
            && crate::fields::w3c_column(f).is_some()
    });
    if known || software == Some(Format::W3C) {
        Ok(Format::W3C)
    } else {
        Err(format!(
            "not an IIS web log (#Fields: {})",
            fields.join(" ")
        ))
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
        assert!(format_from_software("Microsoft Windows Firewall").is_err());
        let ftp: Vec<String> = "date time c-ip x-session cs-method"
            .split(' ')
            .map(String::from)
            .collect();
        assert!(format_from_fields(&ftp, Some(Format::W3C))
            .unwrap_err()
            .contains("FTP"));
        let web: Vec<String> = "date time cs-uri-stem"
            .split(' ')
            .map(String::from)
            .collect();
        assert_eq!(format_from_fields(&web, None), Ok(Format::W3C));
        let odd: Vec<String> = "date time foo".split(' ').map(String::from).collect();
        assert!(format_from_fields(&odd, None).is_err());
    }
}
