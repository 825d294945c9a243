//! `externaldata (col:type, …) [@"path", …] with (format="csv", ignoreFirstRecord=true)`:
//! a source whose rows come from local files, read while the query binds and
//! kept as constant rows, as `datatable`'s are. The planner does no I/O
//! itself: the engine hands it an [`ExternalReader`]. A URL is refused here,
//! before anything is read: iishunt never reads the network.

use iishunt_syntax::ast::{self, ExprKind, Literal};

use super::Binder;
use crate::error::{PlanError, Result};
use crate::logical::{LogicalPlan, Values};
use crate::schema::{Column, Schema};
use crate::types::ScalarValue;

/// Kusto's `format=` names iishunt reads.
pub const EXTERNAL_FORMATS: &[&str] = &["csv", "tsv", "txt", "json", "multijson", "parquet"];

/// One file of an `externaldata` source, to be read into `columns`.
#[derive(Debug, Clone)]
pub struct ExternalFile<'a> {
    /// As written in the query; a relative path is from the current directory.
    pub path: &'a str,
    /// One of [`EXTERNAL_FORMATS`]; `None`: from the file's extension.
    pub format: Option<&'a str>,
    pub columns: &'a [Column],
    /// Skip the first record (a CSV or TSV header).
    pub ignore_first_record: bool,
}

/// Reads one file into rows of its declared columns; `Err` is a message for
/// the user naming the file.
pub type ExternalReader<'a> = &'a dyn Fn(&ExternalFile) -> Result<Vec<Vec<ScalarValue>>, String>;

/// The `with (…)` settings iishunt honours.
struct Settings {
    format: Option<String>,
    ignore_first_record: bool,
}

impl<'a> Binder<'a> {
    pub(crate) fn bind_externaldata(
        &mut self,
        columns: &[(ast::Ident, ast::TypeName)],
        paths: &[ast::Expr],
        properties: &[(ast::Ident, ast::Expr)],
        span: ast::Span,
    ) -> Result<LogicalPlan> {
        let mut schema = Vec::with_capacity(columns.len());
        for (name, ty) in columns {
            if schema.iter().any(|c: &Column| c.name == name.name) {
                return Err(PlanError::new(
                    "plan::externaldata_column",
                    name.span,
                    format!("column `{}` is declared twice", name.name),
                    "declared again here",
                ));
            }
            schema.push(Column {
                name: name.name.clone(),
                ty: (*ty).into(),
            });
        }
        let settings = self.externaldata_settings(properties)?;
        let mut files = Vec::with_capacity(paths.len());
        for p in paths {
            files.push((external_path(p)?, p.span));
        }
        let Some(reader) = self.external else {
            return Err(PlanError::new(
                "plan::externaldata_unavailable",
                span,
                "`externaldata` is not available here",
                "reads files",
            )
            .with_help("run the query with `iishunt query`, which reads local files"));
        };
        let mut rows = Vec::new();
        for (path, path_span) in files {
            let file = ExternalFile {
                path,
                format: settings.format.as_deref(),
                columns: &schema,
                ignore_first_record: settings.ignore_first_record,
            };
            let read = reader(&file).map_err(|message| {
                PlanError::new(
                    "plan::externaldata_read",
                    path_span,
                    message,
                    "this file cannot be read",
                )
            })?;
            rows.extend(read);
        }
        Ok(LogicalPlan::Values(Values {
            schema: Schema::new(schema),
            rows,
            range: None,
        }))
    }

    fn externaldata_settings(
        &mut self,
        properties: &[(ast::Ident, ast::Expr)],
    ) -> Result<Settings> {
        let mut settings = Settings {
            format: None,
            ignore_first_record: false,
        };
        for (key, value) in properties {
            let bound = self.bind_expr(value, &Schema::default(), None)?;
            let constant = self.try_fold(&bound);
            match key.name.to_ascii_lowercase().as_str() {
                "format" => {
                    let name = constant
                        .as_ref()
                        .and_then(ScalarValue::as_str)
                        .map(str::to_ascii_lowercase);
                    match name {
                        Some(n) if EXTERNAL_FORMATS.contains(&n.as_str()) => {
                            settings.format = Some(n)
                        }
                        _ => {
                            return Err(PlanError::new(
                                "plan::externaldata_format",
                                value.span,
                                "not a format iishunt reads",
                                "this format",
                            )
                            .with_help(format!(
                                "use one of {}",
                                EXTERNAL_FORMATS
                                    .iter()
                                    .map(|f| format!("\"{f}\""))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            )))
                        }
                    }
                }
                "ignorefirstrecord" => match constant {
                    Some(ScalarValue::Bool(b)) => settings.ignore_first_record = b,
                    _ => {
                        return Err(PlanError::new(
                            "plan::externaldata_property",
                            value.span,
                            "`ignoreFirstRecord` takes `true` or `false`",
                            "expected a bool",
                        ))
                    }
                },
                _ => {
                    return Err(PlanError::new(
                        "plan::externaldata_property",
                        key.span,
                        format!(
                            "`{}` is not an externaldata property iishunt reads",
                            key.name
                        ),
                        "unknown property",
                    )
                    .with_help("iishunt reads `format` and `ignoreFirstRecord`"))
                }
            }
        }
        Ok(settings)
    }
}

/// The file a path literal names; a URL is refused by name.
fn external_path(p: &ast::Expr) -> Result<&str> {
    let ExprKind::Literal(Literal::String(path)) = &p.kind else {
        return Err(PlanError::new(
            "plan::externaldata_path",
            p.span,
            "an externaldata path must be a string",
            "here",
        ));
    };
    if let Some(scheme) = url_scheme(path) {
        return Err(PlanError::new(
            "plan::externaldata_url",
            p.span,
            format!("`{scheme}://` is a URL: iishunt never reads the network"),
            "a URL",
        )
        .with_help("download the file yourself and name its local path, e.g. [@\"intel.csv\"]"));
    }
    if path.trim().is_empty() {
        return Err(PlanError::new(
            "plan::externaldata_path",
            p.span,
            "the path is empty",
            "name a local file here",
        ));
    }
    Ok(path)
}

/// `https` in `https://host/x.csv` (any `scheme://`); `None` for a file path,
/// including a Windows one (`C:\x.csv`).
fn url_scheme(path: &str) -> Option<&str> {
    let (scheme, _) = path.trim_start().split_once("://")?;
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(scheme)
}

#[cfg(test)]
mod tests {
    use super::url_scheme;

    #[test]
    fn urls_are_told_from_paths() {
        assert_eq!(
            url_scheme("https://x.blob.core.windows.net/a.csv"),
            Some("https")
        );
        assert_eq!(url_scheme("HTTP://example.com/list"), Some("HTTP"));
        assert_eq!(
            url_scheme("abfss://c@a.dfs.core.windows.net/x"),
            Some("abfss")
        );
        assert_eq!(url_scheme(r"C:\intel\list.csv"), None);
        assert_eq!(url_scheme("tests/fixtures/list.csv"), None);
        assert_eq!(url_scheme("dir with ://odd name"), None);
    }
}
