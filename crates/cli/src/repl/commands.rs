//! The REPL's dot-commands: `.help`, `.tables`, `.schema [table]`,
//! `.dialect kql|esql|auto`, `.format table|csv|json|ndjson`, `.timing
//! on|off`, `.now …`, `.output FILE`, `.read FILE`, `.quit`. Parsed into
//! [`Command`] here; carried out by the session.

use std::path::PathBuf;

/// A parsed dot-command.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Help,
    Tables,
    Schema(Option<String>),
    Dialect(Option<String>),
    Format(Option<String>),
    Timing(Option<String>),
    Now(Option<String>),
    Output(Option<PathBuf>),
    Read(PathBuf),
    Quit,
}

pub const HELP: &str = "\
Type a KQL or ES|QL query and press Enter. A line ending in `|`, `,`, `by`,
`and`…, an open bracket or string, or a bare table name continues on the
next line; an empty line runs what is pending.
Tab completes tables, operators, columns and functions; Ctrl-R searches
history; → accepts a hint from history. Ctrl-C cancels a running query or
clears the line; Ctrl-D quits.

  .help                      this text
  .tables                    tables with row counts and time ranges
  .schema [TABLE]            columns and types (all tables without TABLE)
  .dialect kql|esql|auto     the query language (auto: ES|QL if it starts with FROM/ROW)
  .format table|csv|json|ndjson   how results are shown
  .timing on|off             print `time: <seconds>` after each query
  .now DATETIME|latest|wall  what now() means (ago(1d) on old logs: .now latest)
  .output FILE               send the next result to FILE (.csv .json .ndjson .parquet .txt)
  .read FILE                 run the query in FILE
  .quit                      leave (or Ctrl-D)";

/// Parses a line starting with `.`; `Err` says what is wrong.
pub fn parse(line: &str) -> Result<Command, String> {
    let line = line.trim();
    let (name, arg) = match line.split_once(char::is_whitespace) {
        Some((n, a)) => (n, Some(a.trim().to_string()).filter(|a| !a.is_empty())),
        None => (line, None),
    };
    Ok(match name.to_ascii_lowercase().as_str() {
        ".help" | ".h" | ".?" => Command::Help,
        ".tables" => Command::Tables,
        ".schema" => Command::Schema(arg),
        ".dialect" => Command::Dialect(arg),
        ".format" | ".mode" => Command::Format(arg),
        ".timing" | ".timer" => Command::Timing(arg),
        ".now" => Command::Now(arg),
        ".output" | ".out" => Command::Output(arg.map(PathBuf::from)),
        ".read" => Command::Read(
            arg.map(PathBuf::from)
                .ok_or(".read needs a file: .read hunts/x.kql")?,
        ),
        ".quit" | ".exit" | ".q" => Command::Quit,
        other => return Err(format!("unknown command `{other}`: try .help")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_parse_with_and_without_arguments() {
        assert_eq!(parse(".help"), Ok(Command::Help));
        assert_eq!(
            parse(".schema W3CIISLog"),
            Ok(Command::Schema(Some("W3CIISLog".into())))
        );
        assert_eq!(parse(".schema"), Ok(Command::Schema(None)));
        assert_eq!(
            parse(".timing  on "),
            Ok(Command::Timing(Some("on".into())))
        );
        assert_eq!(
            parse(".output hits.csv"),
            Ok(Command::Output(Some("hits.csv".into())))
        );
        assert!(parse(".read").is_err());
        assert!(parse(".frobnicate").is_err());
    }
}
