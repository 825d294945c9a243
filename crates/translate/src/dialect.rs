//! The three SQL targets and how they differ: quoting, literals, type names,
//! time arithmetic, regular expressions, arrays. Everything target-specific
//! the other modules emit is spelled here, so a fourth engine is one more arm
//! per method.
//!
//! Conventions shared by all targets (docs/scale-out.md explains them):
//! - a `datetime` is a SQL `TIMESTAMP` (UTC, no zone); a `timespan` is a
//!   `BIGINT` of microseconds, so all time arithmetic is integer arithmetic
//!   through [`Target::to_micros`] and [`Target::from_micros`];
//! - a `dynamic` array is a native SQL array.

use iishunt_plan::types::KType;

/// A SQL engine the translator writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    DuckDb,
    Spark,
    Trino,
}

impl Target {
    pub const ALL: [Target; 3] = [Target::DuckDb, Target::Spark, Target::Trino];

    /// `duckdb`, `spark`, `trino` (the `--to` values).
    pub fn name(self) -> &'static str {
        match self {
            Target::DuckDb => "duckdb",
            Target::Spark => "spark",
            Target::Trino => "trino",
        }
    }

    pub fn display_name(self) -> &'static str {
        match self {
            Target::DuckDb => "DuckDB",
            Target::Spark => "Spark",
            Target::Trino => "Trino",
        }
    }

    pub fn from_name(name: &str) -> Option<Target> {
        Target::ALL
            .into_iter()
            .find(|t| t.name().eq_ignore_ascii_case(name))
    }

    /// A quoted identifier.
    pub fn ident(self, name: &str) -> String {
        match self {
            Target::Spark => format!("`{}`", name.replace('`', "``")),
            Target::DuckDb | Target::Trino => format!("\"{}\"", name.replace('"', "\"\"")),
        }
    }

    /// A string literal. Spark SQL reads backslash escapes inside literals,
    /// so backslashes are doubled there.
    pub fn string(self, s: &str) -> String {
        match self {
            Target::Spark => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
            Target::DuckDb | Target::Trino => format!("'{}'", s.replace('\'', "''")),
        }
    }

    /// The SQL type a Kusto type is held in (timespans: microseconds).
    pub fn type_name(self, t: KType) -> Option<&'static str> {
        use KType::*;
        Some(match (self, t) {
            (_, Bool) => "BOOLEAN",
            (Target::Spark, Int) => "INT",
            (_, Int) => "INTEGER",
            (_, Long | TimeSpan) => "BIGINT",
            (_, Real | Decimal) => "DOUBLE",
            (Target::Spark, String | Guid) => "STRING",
            (_, String | Guid) => "VARCHAR",
            (Target::Trino, DateTime) => "TIMESTAMP(6)",
            (_, DateTime) => "TIMESTAMP",
            (_, Dynamic) => return None,
        })
    }

    /// `TRY_CAST(x AS t)`: null where the text is not a number (Spark's ANSI
    /// mode would fail the query on `CAST('-' AS INT)`).
    pub fn try_cast(self, x: &str, ty: &str) -> String {
        format!("TRY_CAST({x} AS {ty})")
    }

    /// A timestamp literal for microseconds since the epoch (UTC).
    pub fn timestamp_literal(self, micros: i64) -> Option<String> {
        let t = chrono::DateTime::from_timestamp_micros(micros)?;
        Some(format!("TIMESTAMP '{}'", t.format("%Y-%m-%d %H:%M:%S%.6f")))
    }

    /// A date literal, for the `date=` partition column.
    pub fn date_literal(self, micros: i64) -> Option<String> {
        let t = chrono::DateTime::from_timestamp_micros(micros)?;
        Some(format!("DATE '{}'", t.format("%Y-%m-%d")))
    }

    /// Microseconds since the epoch of a timestamp expression. Trino's Hive
    /// tables hold milliseconds by default, so Trino computes at milliseconds.
    pub fn to_micros(self, ts: &str) -> String {
        match self {
            Target::DuckDb => format!("epoch_us({ts})"),
            Target::Spark => format!("unix_micros({ts})"),
            Target::Trino => {
                format!("(date_diff('millisecond', TIMESTAMP '1970-01-01 00:00:00', {ts}) * 1000)")
            }
        }
    }

    /// The timestamp of an expression in microseconds since the epoch.
    pub fn from_micros(self, micros: &str) -> String {
        match self {
            Target::DuckDb => format!("make_timestamp({micros})"),
            Target::Spark => format!("timestamp_micros({micros})"),
            Target::Trino => format!(
                "date_add('millisecond', ({micros}) / 1000, TIMESTAMP '1970-01-01 00:00:00')"
            ),
        }
    }

    /// The engine's clock now, as a timestamp (when `--now` is not given).
    pub fn current_timestamp(self) -> &'static str {
        match self {
            Target::DuckDb => "CAST(current_timestamp AS TIMESTAMP)",
            Target::Spark => "current_timestamp()",
            Target::Trino => "CAST(current_timestamp AS TIMESTAMP(6))",
        }
    }

    /// Integer division truncating towards zero (Kusto's `/` on integers).
    pub fn int_div(self, a: &str, b: &str) -> String {
        match self {
            Target::DuckDb => format!("({a} // {b})"),
            Target::Spark => format!("({a} div {b})"),
            Target::Trino => format!("({a} / {b})"),
        }
    }

    /// A find-anywhere regular-expression test (Kusto `matches regex`).
    pub fn regex_test(self, text: &str, pattern: &str) -> String {
        match self {
            Target::DuckDb => format!("regexp_matches({text}, {pattern})"),
            Target::Spark => format!("({text} RLIKE {pattern})"),
            Target::Trino => format!("regexp_like({text}, {pattern})"),
        }
    }

    /// Group `group` of the first match of `pattern`, "" when none matches.
    pub fn regex_extract(self, text: &str, pattern: &str, group: i64) -> String {
        match self {
            Target::DuckDb | Target::Spark => format!("regexp_extract({text}, {pattern}, {group})"),
            Target::Trino => {
                format!("coalesce(regexp_extract({text}, {pattern}, {group}), '')")
            }
        }
    }

    /// Every match of `pattern` replaced by the literal text `with`.
    pub fn regex_replace(self, text: &str, pattern: &str, with: &str) -> String {
        match self {
            Target::DuckDb => format!("regexp_replace({text}, {pattern}, {with}, 'g')"),
            Target::Spark | Target::Trino => format!("regexp_replace({text}, {pattern}, {with})"),
        }
    }

    /// 1-based position of `needle` in `hay`, 0 when absent.
    pub fn strpos(self, hay: &str, needle: &str) -> String {
        match self {
            Target::DuckDb | Target::Trino => format!("strpos({hay}, {needle})"),
            Target::Spark => format!("instr({hay}, {needle})"),
        }
    }

    /// Characters from 1-based `start`, `len` of them when given.
    pub fn substring(self, s: &str, start: &str, len: Option<&str>) -> String {
        let f = match self {
            Target::DuckDb | Target::Spark => "substring",
            Target::Trino => "substr",
        };
        match len {
            Some(l) => format!("{f}({s}, {start}, {l})"),
            None => format!("{f}({s}, {start})"),
        }
    }

    /// Characters in a string.
    pub fn char_length(self, s: &str) -> String {
        match self {
            Target::DuckDb | Target::Trino => format!("length({s})"),
            Target::Spark => format!("char_length({s})"),
        }
    }

    /// Lower-case hexadecimal of a non-negative-or-two's-complement BIGINT.
    pub fn hex(self, x: &str) -> String {
        match self {
            Target::DuckDb | Target::Spark => format!("lower(hex({x}))"),
            Target::Trino => format!("format('%x', {x})"),
        }
    }

    /// Percent-decoding of text in which `+` is already a space.
    pub fn url_decode(self, x: &str) -> String {
        match self {
            Target::DuckDb | Target::Trino => format!("url_decode({x})"),
            // Spark's url_decode fails the whole query on a malformed `%`.
            Target::Spark => format!("try_url_decode({x})"),
        }
    }

    /// An array literal.
    pub fn array(self, items: &[String]) -> String {
        match self {
            Target::DuckDb => format!("[{}]", items.join(", ")),
            Target::Spark => format!("array({})", items.join(", ")),
            Target::Trino => format!("ARRAY[{}]", items.join(", ")),
        }
    }

    /// Elements of an array.
    pub fn array_length(self, a: &str) -> String {
        match self {
            Target::DuckDb => format!("len({a})"),
            // size(NULL) is -1 in Spark's legacy mode.
            Target::Spark => format!("CASE WHEN {a} IS NULL THEN NULL ELSE size({a}) END"),
            Target::Trino => format!("cardinality({a})"),
        }
    }

    /// The element at 1-based `i` (negative: from the end), null past the end.
    pub fn array_element(self, a: &str, i: &str) -> String {
        match self {
            Target::DuckDb => format!("list_extract({a}, {i})"),
            Target::Spark => format!("try_element_at({a}, {i})"),
            Target::Trino => format!("element_at({a}, {i})"),
        }
    }

    /// The first `n` elements.
    pub fn array_head(self, a: &str, n: i64) -> String {
        match self {
            Target::DuckDb => format!("list_slice({a}, 1, {n})"),
            Target::Spark | Target::Trino => format!("slice({a}, 1, {n})"),
        }
    }

    /// Text split at every occurrence of the literal `delim` (a quoted literal).
    pub fn split(self, text: &str, delim: &str, delim_text: &str) -> String {
        match self {
            Target::DuckDb => format!("string_split({text}, {delim})"),
            // Spark splits at a regular expression: quote the delimiter.
            Target::Spark => format!(
                "split({text}, {})",
                self.string(&quote_java_regex(delim_text))
            ),
            Target::Trino => format!("split({text}, {delim})"),
        }
    }

    /// The aggregate collecting values into an array (`DISTINCT` for sets).
    pub fn array_agg(self, distinct: bool, x: &str) -> String {
        let d = if distinct { "DISTINCT " } else { "" };
        match self {
            Target::DuckDb => format!("list({d}{x})"),
            Target::Spark if distinct => format!("collect_set({x})"),
            Target::Spark => format!("collect_list({x})"),
            Target::Trino => format!("array_agg({d}{x})"),
        }
    }

    /// `max_by`/`min_by`: the value of `v` on the row where `x` is extreme.
    pub fn arg_extreme(self, max: bool, v: &str, x: &str) -> String {
        match (self, max) {
            (Target::DuckDb, true) => format!("arg_max({v}, {x})"),
            (Target::DuckDb, false) => format!("arg_min({v}, {x})"),
            (_, true) => format!("max_by({v}, {x})"),
            (_, false) => format!("min_by({v}, {x})"),
        }
    }

    /// Any one value of the group.
    pub fn any_value(self, x: &str) -> String {
        match self {
            Target::DuckDb => format!("any_value({x})"),
            Target::Spark => format!("first({x}, true)"),
            Target::Trino => format!("arbitrary({x})"),
        }
    }

    /// Null-safe equality (KQL joins match null keys with each other).
    pub fn null_safe_eq(self, a: &str, b: &str) -> String {
        match self {
            Target::Spark => format!("{a} <=> {b}"),
            Target::DuckDb | Target::Trino => format!("{a} IS NOT DISTINCT FROM {b}"),
        }
    }
}

/// `s` as a Java regular expression matching it literally.
fn quote_java_regex(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if "\\^$.|?*+()[]{}".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_escaped_per_target() {
        assert_eq!(Target::DuckDb.string("it's"), "'it''s'");
        assert_eq!(Target::Spark.string(r"a\b'c"), r"'a\\b\'c'");
        assert_eq!(Target::Trino.ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(Target::Spark.ident("set_x"), "`set_x`");
    }

    #[test]
    fn timestamps_are_utc_with_microseconds() {
        assert_eq!(
            Target::DuckDb.timestamp_literal(1_772_928_000_000_001),
            Some("TIMESTAMP '2026-03-08 00:00:00.000001'".to_string())
        );
        assert_eq!(
            Target::Spark.date_literal(1_772_928_000_000_001),
            Some("DATE '2026-03-08'".to_string())
        );
    }

    #[test]
    fn spark_splits_at_a_quoted_delimiter() {
        assert_eq!(Target::Spark.split("x", "'.'", "."), r"split(x, '\\.')");
        assert_eq!(
            Target::DuckDb.split("x", "'.'", "."),
            "string_split(x, '.')"
        );
    }

    #[test]
    fn target_names_round_trip() {
        for t in Target::ALL {
            assert_eq!(Target::from_name(t.name()), Some(t));
        }
        assert_eq!(Target::from_name("postgres"), None);
    }
}
