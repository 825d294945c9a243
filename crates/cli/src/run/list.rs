//! `iishunt run --list`: the hunts a folder holds, with their metadata,
//! without opening any data — what a library offers, at a glance.

use std::io::{self, Write};

use comfy_table::{presets, Cell, ContentArrangement, Table};
use iishunt::render::cell::escape_control;

use super::hunt::Hunt;

pub fn write_list(hunts: &[Hunt], out: &mut dyn Write) -> anyhow::Result<()> {
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(crate::output::terminal_width().unwrap_or(120).min(160) as u16);
    table.set_header(["hunt", "severity", "mitre", "title / description"]);
    for h in hunts {
        let text = |v: &Option<String>| escape_control(v.as_deref().unwrap_or("")).into_owned();
        let mut about = text(&h.meta.title);
        if let Some(d) = &h.meta.description {
            about.push('\n');
            about.push_str(&escape_control(d));
        }
        let requires = h.meta.requires();
        if !requires.is_empty() {
            about.push_str(&format!("\nrequires: {}", requires.join(", ")));
        }
        table.add_row(vec![
            Cell::new(&h.name),
            Cell::new(text(&h.meta.severity)),
            Cell::new(text(&h.meta.mitre)),
            Cell::new(about),
        ]);
    }
    writeln!(out, "{table}")?;
    writeln!(out, "{} hunts", hunts.len()).map_err(io::Error::into)
}
