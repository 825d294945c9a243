//! What the query-running subcommands share: where the data is (`--data`,
//! default `./iishunt-data`), what `--now` means, whether the terminal takes
//! colour, how wide it is, and how a result reaches stdout or a file (with
//! its chart, when the query asked for one).

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use chrono::{NaiveDate, NaiveDateTime};
use iishunt::chart;
use iishunt::render::{self, Format, RenderOptions, TableOptions};
use iishunt::{NowSetting, QueryResult};

/// The dataset used when no `--data` is given.
pub const DEFAULT_DATA: &str = "iishunt-data";

/// Rows a terminal table shows before it says how to save the rest.
pub const TABLE_ROWS: usize = 500;

/// The data to open: the `--data` paths, or `./iishunt-data` if it exists.
pub fn data_paths(data: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    if !data.is_empty() {
        for path in data {
            if !path.exists() {
                anyhow::bail!("--data {}: no such file or folder", path.display());
            }
        }
        return Ok(data.to_vec());
    }
    let default = PathBuf::from(DEFAULT_DATA);
    if default.exists() {
        return Ok(vec![default]);
    }
    anyhow::bail!(
        "no data to query: pass --data DIR (a dataset written by `iishunt ingest`, or raw .log files), \
         or create ./{DEFAULT_DATA}"
    )
}

/// Parses `--now`: `latest`, `wall`, or a UTC datetime (`2026-03-08T16:05:12Z`,
/// `2026-03-08 16:05:12`, `2026-03-08`).
pub fn parse_now(text: &str) -> Result<NowSetting, String> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("latest") {
        return Ok(NowSetting::Latest);
    }
    if t.eq_ignore_ascii_case("wall") || t.eq_ignore_ascii_case("now") {
        return Ok(NowSetting::Wall);
    }
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(t) {
        return Ok(NowSetting::Fixed(dt.timestamp_micros()));
    }
    let naive = t.trim_end_matches(['Z', 'z']);
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(naive, fmt) {
            return Ok(NowSetting::Fixed(dt.and_utc().timestamp_micros()));
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(naive, "%Y-%m-%d") {
        if let Some(dt) = d.and_hms_opt(0, 0, 0) {
            return Ok(NowSetting::Fixed(dt.and_utc().timestamp_micros()));
        }
    }
    Err(format!(
        "`{text}` is not a datetime: use `latest`, `wall` or e.g. 2026-03-08T16:05:12Z"
    ))
}

/// Parses `--format` for clap.
pub fn parse_format(text: &str) -> Result<Format, String> {
    text.parse()
}

/// Colour on a stream: a terminal and no `NO_COLOR`.
pub fn color_on(is_terminal: bool) -> bool {
    is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// The terminal's width: `COLUMNS`, else what the terminal says, else none.
pub fn terminal_width() -> Option<usize> {
    if let Some(cols) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<usize>().ok())
    {
        return Some(cols);
    }
    if io::stdout().is_terminal() {
        return comfy_table::Table::new().width().map(usize::from);
    }
    None
}

/// Table options for stdout: fitted and coloured on a terminal; on a pipe,
/// every row and no fitting.
pub fn stdout_table_options(save_hint: &str) -> TableOptions {
    let tty = io::stdout().is_terminal();
    TableOptions {
        width: terminal_width(),
        max_rows: tty.then_some(TABLE_ROWS),
        color: color_on(tty),
        footer: true,
        save_hint: save_hint.to_string(),
    }
}

/// Writes `result` to stdout in `format`. Parquet is binary and refuses a
/// terminal. A chart the query asked for is drawn as text under a table, and
/// written as SVG and PNG into `chart_dir` when one is given.
pub fn print_result(
    result: &QueryResult,
    format: Format,
    options: &RenderOptions,
    chart_dir: Option<&Path>,
) -> anyhow::Result<Vec<PathBuf>> {
    if format == Format::Parquet && io::stdout().is_terminal() {
        anyhow::bail!(
            "Parquet is binary: redirect stdout to a file (`> out.parquet`) or use `.output FILE`"
        );
    }
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    render::write(result, format, options, &mut out)?;
    let mut written = Vec::new();
    if let Some(spec) = &result.render {
        if format == Format::Table {
            let width = options.table.width.unwrap_or(80);
            let text = chart::text::draw(result, spec, width.min(120));
            write!(out, "{text}")?;
        }
        if let Some(dir) = chart_dir {
            written = chart::write_images(result, spec, dir, "chart")?;
        }
    }
    out.flush()?;
    Ok(written)
}

/// Writes `result` in `format` to `path` (no colour, no row limit).
pub fn write_file(
    result: &QueryResult,
    format: Format,
    options: &RenderOptions,
    path: &Path,
) -> anyhow::Result<()> {
    let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
    if format == Format::Parquet {
        render::parquet::write_parquet(result, file)
            .with_context(|| format!("writing {}", path.display()))?;
        return Ok(());
    }
    let mut out = BufWriter::new(file);
    render::write(result, format, options, &mut out)
        .with_context(|| format!("writing {}", path.display()))?;
    out.flush()
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// The format a file name implies (`.csv`, `.json`, `.ndjson`, `.parquet`).
pub fn format_for_path(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "csv" => Some(Format::Csv),
        "json" => Some(Format::Json),
        "ndjson" | "jsonl" => Some(Format::Ndjson),
        "parquet" => Some(Format::Parquet),
        "txt" => Some(Format::Table),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_accepts_latest_and_datetimes() {
        assert_eq!(parse_now("latest"), Ok(NowSetting::Latest));
        let t = 1_772_985_912_000_000;
        assert_eq!(parse_now("2026-03-08T16:05:12Z"), Ok(NowSetting::Fixed(t)));
        assert_eq!(parse_now("2026-03-08 16:05:12"), Ok(NowSetting::Fixed(t)));
        assert_eq!(
            parse_now("2026-03-08"),
            Ok(NowSetting::Fixed(t - 57_912_000_000))
        );
        assert!(parse_now("yesterday").is_err());
    }
}
