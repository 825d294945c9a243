//! The typing of the data lines under one `#Fields` directive: for each
//! value position, which stored column (or custom column) it fills and how
//! it is parsed; which columns the section lacks (null). Built by
//! [`crate::reader`] whenever a `#Fields` line arrives.

use crate::batch::BatchBuilder;
use crate::fields::{self, Slot};
use crate::schema::{stored_columns, ColumnKind, Table, COMPUTER, TIME_GENERATED};

/// The typing of the lines under one `#Fields` directive.
pub(crate) struct Section {
    pub(crate) names: Vec<String>,
    pub(crate) nfields: usize,
    pub(crate) date: Option<usize>,
    pub(crate) time: Option<usize>,
    pub(crate) computer_name: Option<usize>,
    pub(crate) strings: Vec<(usize, usize)>,
    /// (field position, stored column, is Int32, field name)
    pub(crate) numbers: Vec<(usize, usize, bool, String)>,
    pub(crate) customs: Vec<(usize, usize)>,
    pub(crate) missing: Vec<usize>,
    pub(crate) missing_customs: Vec<usize>,
}

impl Section {
    pub(crate) fn new(table: Table, names: Vec<String>, builder: &mut BatchBuilder) -> Section {
        let stored = stored_columns(table);
        let mut taken = vec![false; stored.len()];
        let mut s = Section {
            nfields: names.len(),
            date: None,
            time: None,
            computer_name: None,
            strings: Vec::new(),
            numbers: Vec::new(),
            customs: Vec::new(),
            missing: Vec::new(),
            missing_customs: Vec::new(),
            names: Vec::new(),
        };
        let mut custom_used: Vec<usize> = Vec::new();
        for (pos, name) in names.iter().enumerate() {
            let slot = if name.eq_ignore_ascii_case("date") && s.date.is_none() {
                Slot::Date
            } else if name.eq_ignore_ascii_case("time") && s.time.is_none() {
                Slot::Time
            } else {
                match fields::column_for(table, name) {
                    Some(c) if !taken[c] => Slot::Column(c),
                    _ => {
                        let mut col = fields::custom_column_name(table, name);
                        let base = col.clone();
                        let mut n = 2;
                        while custom_used
                            .iter()
                            .any(|&i| builder.custom_names()[i] == col)
                        {
                            col = format!("{base}_{n}");
                            n += 1;
                        }
                        let idx = builder.custom(&col);
                        custom_used.push(idx);
                        Slot::Custom(idx)
                    }
                }
            };
            match slot {
                Slot::Date => s.date = Some(pos),
                Slot::Time => s.time = Some(pos),
                Slot::Column(c) => {
                    taken[c] = true;
                    if stored[c].name == "sComputerName" {
                        s.computer_name = Some(pos);
                    }
                    match stored[c].kind {
                        ColumnKind::Dict | ColumnKind::Utf8 => s.strings.push((pos, c)),
                        kind => s
                            .numbers
                            .push((pos, c, kind == ColumnKind::Int32, name.clone())),
                    }
                }
                Slot::Custom(i) => {
                    // HTTP.sys logs s-computername in newer versions: it names
                    // the Computer there too.
                    if name.eq_ignore_ascii_case("s-computername") && s.computer_name.is_none() {
                        s.computer_name = Some(pos);
                    }
                    s.customs.push((pos, i));
                }
            }
        }
        let always = [TIME_GENERATED, COMPUTER, stored.len() - 2, stored.len() - 1];
        s.missing = (0..stored.len())
            .filter(|c| !taken[*c] && !always.contains(c))
            .collect();
        s.missing_customs = (0..builder.custom_names().len())
            .filter(|i| !custom_used.contains(i))
            .collect();
        s.names = names;
        s
    }
}
