//! The rustyline helper: context-aware completion ([`super::complete`]),
//! hints from history (dimmed on a colour terminal). Multi-line input is
//! handled by the session loop with a continuation prompt
//! ([`super::validate`]), so the validator accepts every line.

use std::borrow::Cow;
use std::cell::Cell;

use iishunt::{detect_dialect, Dialect};
use rustyline::completion::{Completer, Pair};
use rustyline::highlight::Highlighter;
use rustyline::hint::{Hinter, HistoryHinter};
use rustyline::validate::Validator;
use rustyline::{Context, Helper};

use super::complete::{self, Vocabulary};

pub struct HuntHelper {
    pub vocab: Vocabulary,
    /// The dialect completions are for (`.dialect`); `None`: detect from
    /// the text typed.
    pub dialect: Cell<Option<Dialect>>,
    /// Text of earlier lines of the query being typed, for context.
    pub pending: std::cell::RefCell<String>,
    pub color: bool,
    hinter: HistoryHinter,
}

impl HuntHelper {
    pub fn new(vocab: Vocabulary, dialect: Option<Dialect>, color: bool) -> HuntHelper {
        HuntHelper {
            vocab,
            dialect: Cell::new(dialect),
            pending: std::cell::RefCell::new(String::new()),
            color,
            hinter: HistoryHinter::new(),
        }
    }
}

impl Completer for HuntHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        // Complete against the whole query typed so far, then map the word
        // start back into this line.
        let pending = self.pending.borrow();
        let offset = pending.len();
        let full = format!("{pending}{line}");
        let dialect = self.dialect.get().unwrap_or_else(|| detect_dialect(&full));
        let (start, words) = complete::complete(&full, offset + pos, dialect, &self.vocab);
        let start = start.saturating_sub(offset);
        let pairs = words
            .into_iter()
            .map(|w| Pair {
                display: w.clone(),
                replacement: w,
            })
            .collect();
        Ok((start, pairs))
    }
}

impl Hinter for HuntHelper {
    type Hint = String;

    fn hint(&self, line: &str, pos: usize, ctx: &Context<'_>) -> Option<String> {
        if line.is_empty() {
            return None;
        }
        self.hinter.hint(line, pos, ctx)
    }
}

impl Highlighter for HuntHelper {
    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if self.color {
            Cow::Owned(format!("\x1b[2m{hint}\x1b[0m"))
        } else {
            Cow::Borrowed(hint)
        }
    }
}

impl Validator for HuntHelper {}

impl Helper for HuntHelper {}
