//! The terminal table: a result drawn with comfy-table, fitted to the
//! terminal width (long cells cut with `…`), numbers right-aligned, nulls
//! shown as a dimmed `∅`, control characters escaped, and the row count and
//! elapsed time under it. A large result is shown in part with a note saying
//! how to save all of it. Fed by `iishunt query`, the REPL and `iishunt run`.

use std::io::{self, Write};

use comfy_table::{presets, Attribute, Cell, CellAlignment, ContentArrangement, Table};
use unicode_width::UnicodeWidthStr;

use super::cell::{self, escape_control};
use crate::{KType, QueryResult};

/// What a null looks like in a table (a real log value is never empty-set).
pub const NULL_MARK: &str = "∅";

/// How a table is drawn.
#[derive(Debug, Clone)]
pub struct TableOptions {
    /// Total width available, in terminal columns; `None`: no fitting.
    pub width: Option<usize>,
    /// Show at most this many rows; `None`: all.
    pub max_rows: Option<usize>,
    /// Use colours and attributes (a terminal without `NO_COLOR`).
    pub color: bool,
    /// Print `N rows in T s` and the result's notes under the table.
    pub footer: bool,
    /// Said after "showing the first N of M rows": how to get them all.
    pub save_hint: String,
}

impl Default for TableOptions {
    fn default() -> Self {
        TableOptions {
            width: None,
            max_rows: None,
            color: false,
            footer: true,
            save_hint: "use --format csv (or json) and redirect to a file to save them all".into(),
        }
    }
}

/// Narrowest a column is cut to when the terminal is too narrow.
const MIN_COLUMN: usize = 6;
/// Widest a cell is ever shown, even on a wide terminal.
const MAX_CELL: usize = 80;

/// Writes `result` as a table, then the footer.
pub fn write_table(
    result: &QueryResult,
    options: &TableOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let total = result.row_count();
    let shown_max = options.max_rows.unwrap_or(usize::MAX);
    let headers: Vec<String> = result
        .columns
        .iter()
        .map(|(n, _)| escape_control(n).into_owned())
        .collect();
    let numeric: Vec<bool> = result.columns.iter().map(|(_, t)| t.is_numeric()).collect();

    // Rows as display text; `None` marks a null.
    let mut rows: Vec<Vec<Option<String>>> = Vec::new();
    'batches: for batch in &result.batches {
        let cols = cell::columns(batch, &result.columns);
        for row in 0..batch.num_rows() {
            if rows.len() >= shown_max {
                break 'batches;
            }
            rows.push(
                cols.iter()
                    .map(|c| c.value(row).text().map(|t| escape_control(&t).into_owned()))
                    .collect(),
            );
        }
    }

    let mut hidden = 0;
    if !headers.is_empty() {
        // Datetimes, timespans, numbers and bools are short and unreadable
        // when cut: text columns give way first.
        let keep: Vec<bool> = result
            .columns
            .iter()
            .map(|(_, t)| {
                t.is_numeric() || matches!(t, KType::DateTime | KType::TimeSpan | KType::Bool)
            })
            .collect();
        // Too many columns for the terminal even with text cut to the
        // narrowest: show the leading ones that fit at a readable width
        // (text cut to 16), and name the rest.
        let natural = fit_widths(&headers, &rows, &keep, None);
        let mut visible = headers.len();
        if let Some(limit) = options.width {
            let cost =
                |cap: usize| move |(w, k): (&usize, &bool)| if *k { *w } else { (*w).min(cap) } + 3;
            let narrowest: usize = 1 + natural
                .iter()
                .zip(&keep)
                .map(cost(MIN_COLUMN))
                .sum::<usize>();
            if narrowest > limit {
                let mut used = 1;
                visible = natural
                    .iter()
                    .zip(&keep)
                    .map(cost(16))
                    .take_while(|c| {
                        used += c;
                        used <= limit
                    })
                    .count()
                    .max(1);
            }
        }
        hidden = headers.len() - visible;
        let widths = fit_widths(&headers[..visible], &rows, &keep[..visible], options.width);
        let mut table = Table::new();
        table
            .load_preset(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Disabled);
        if options.color {
            table.enforce_styling();
        } else {
            table.force_no_tty();
        }
        table.set_header(headers.iter().zip(&widths).map(|(h, w)| {
            let c = Cell::new(cut(h, *w));
            if options.color {
                c.add_attribute(Attribute::Bold)
            } else {
                c
            }
        }));
        for row in &rows {
            table.add_row(row.iter().zip(&widths).map(|(v, w)| match v {
                Some(text) => Cell::new(cut(text, *w)),
                None if options.color => Cell::new(NULL_MARK).add_attribute(Attribute::Dim),
                None => Cell::new(NULL_MARK),
            }));
        }
        for (i, is_num) in numeric.iter().enumerate() {
            if *is_num {
                if let Some(col) = table.column_mut(i) {
                    col.set_cell_alignment(CellAlignment::Right);
                }
            }
        }
        writeln!(out, "{table}")?;
    }

    if options.footer {
        write_footer(result, rows.len(), total, options, out)?;
    }
    if hidden > 0 {
        let names: Vec<&str> = headers[headers.len() - hidden..]
            .iter()
            .map(String::as_str)
            .collect();
        let list = cut(&names.join(", "), 60);
        writeln!(
            out,
            "note: {hidden} more column(s) do not fit the terminal ({list}): `project` the ones you need, or use csv/json"
        )?;
    }
    Ok(())
}

fn write_footer(
    result: &QueryResult,
    shown: usize,
    total: usize,
    options: &TableOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let noun = if total == 1 { "row" } else { "rows" };
    let secs = result.elapsed.as_secs_f64();
    if shown < total {
        writeln!(
            out,
            "showing the first {shown} of {total} {noun} ({secs:.3} s): {}",
            options.save_hint
        )?;
    } else {
        writeln!(out, "{total} {noun} in {secs:.3} s")?;
    }
    for note in &result.notes {
        writeln!(out, "note: {}", escape_control(note))?;
    }
    Ok(())
}

/// Column widths that fit `width`: the widest column gives way first, down
/// to [`MIN_COLUMN`] — text columns before the `keep` ones. Each column
/// costs its text plus 3 (padding and border).
fn fit_widths(
    headers: &[String],
    rows: &[Vec<Option<String>>],
    keep: &[bool],
    width: Option<usize>,
) -> Vec<usize> {
    let mut widths: Vec<usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let cells = rows
                .iter()
                .map(|r| r[i].as_deref().map_or(1, UnicodeWidthStr::width));
            cells
                .chain([h.width()])
                .max()
                .unwrap_or(1)
                .clamp(1, MAX_CELL)
        })
        .collect();
    let Some(limit) = width else { return widths };
    let overhead = 3 * widths.len() + 1;
    for any_column in [false, true] {
        while widths.iter().sum::<usize>() + overhead > limit {
            let widest = widths
                .iter()
                .copied()
                .enumerate()
                .filter(|(i, _)| any_column || !keep.get(*i).copied().unwrap_or(false))
                .max_by_key(|(_, w)| *w);
            let Some((i, w)) = widest else { break };
            if w <= MIN_COLUMN {
                break;
            }
            widths[i] = w - 1;
        }
    }
    widths
}

/// `text` cut to `width` terminal columns, ending in `…` when cut.
pub fn cut(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::tests::sample;

    fn draw(options: &TableOptions) -> String {
        let mut out = Vec::new();
        write_table(&sample(), options, &mut out).expect("write");
        String::from_utf8(out).expect("utf8")
    }

    #[test]
    fn table_escapes_ansi_shows_nulls_and_counts_rows() {
        let text = draw(&TableOptions::default());
        assert!(!text.contains('\x1b'), "raw escape in {text}");
        assert!(text.contains("\\x1b[31m"), "{text}");
        assert!(text.contains(NULL_MARK));
        assert!(text.contains("2026-03-08T16:05:12Z"));
        assert!(text.contains("3 rows in 0.012 s"), "{text}");
    }

    #[test]
    fn table_fits_the_width_and_cuts_with_ellipsis() {
        let text = draw(&TableOptions {
            width: Some(76),
            ..TableOptions::default()
        });
        for line in text
            .lines()
            .filter(|l| l.starts_with('│') || l.starts_with('┌'))
        {
            assert!(line.width() <= 76, "too wide: {line}");
        }
        assert!(text.contains('…'));
    }

    #[test]
    fn text_columns_give_way_before_datetimes_and_numbers() {
        let text = draw(&TableOptions {
            width: Some(80),
            ..TableOptions::default()
        });
        assert!(text.contains("2026-03-08T16:05:12.5Z"), "{text}");
        assert!(text.contains("12345"), "{text}");
        assert!(text.lines().all(|l| l.width() <= 80), "{text}");
    }

    #[test]
    fn columns_that_cannot_fit_are_left_out_with_a_note() {
        let text = draw(&TableOptions {
            width: Some(40),
            ..TableOptions::default()
        });
        assert!(
            text.lines().all(|l| l.width() <= 40 || !l.starts_with('│')),
            "{text}"
        );
        assert!(text.contains("more column(s) do not fit"), "{text}");
        assert!(
            text.contains("Duration"),
            "the hidden columns are named: {text}"
        );
    }

    #[test]
    fn large_results_are_shown_in_part_with_a_hint() {
        let text = draw(&TableOptions {
            max_rows: Some(2),
            ..TableOptions::default()
        });
        assert!(text.contains("showing the first 2 of 3 rows"), "{text}");
    }

    #[test]
    fn numbers_are_right_aligned() {
        let text = draw(&TableOptions::default());
        // The count column is 6 wide (its header): values end at its right edge.
        assert!(text.contains("┆      7 ┆"), "{text}");
        assert!(text.contains("┆  12345 ┆"), "{text}");
    }

    #[test]
    fn cut_counts_terminal_columns() {
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("abc", 4), "abc");
    }
}
