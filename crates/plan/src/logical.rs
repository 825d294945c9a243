//! The logical plan: a tree of named node structs, each with its output
//! schema. The binder builds it; the optimizer rewrites it; the executor runs it.

use std::fmt::Write;

use crate::expr::{AggregateCall, BoundExpr, SortExpr};
use crate::schema::Schema;
use crate::types::{KType, ScalarValue};

#[derive(Debug, Clone)]
pub enum LogicalPlan {
    Scan(Scan),
    Values(Values),
    Filter(Filter),
    Project(Project),
    Aggregate(Aggregate),
    Sort(Sort),
    TopN(TopN),
    Limit(Limit),
    Union(Union),
    Join(Join),
    MvExpand(MvExpand),
    MakeSeries(MakeSeries),
    Window(Window),
    Materialize(Materialize),
    SequenceScan(SequenceScan),
    Graph(Graph),
}

/// `make-graph … | graph-…`: collects the edges (and nodes) rows, builds the
/// graph and turns it back into a table. A graph itself is never a result.
#[derive(Debug, Clone)]
pub struct Graph {
    pub edges: Box<LogicalPlan>,
    /// `with Nodes on Key`
    pub nodes: Option<Box<LogicalPlan>>,
    pub spec: Box<crate::graph::GraphSpec>,
    pub schema: Schema,
}

/// Reads a table's Parquet files (or raw logs parsed on the fly).
#[derive(Debug, Clone)]
pub struct Scan {
    pub table: String,
    /// Every column of the table.
    pub table_schema: Schema,
    /// The columns read, as indexes into `table_schema` (projection pushdown).
    pub projection: Vec<usize>,
    /// A predicate over the projected columns evaluated while scanning.
    pub filter: Option<BoundExpr>,
    /// `TimeGenerated` bounds implied by the filter, `[min, max]` inclusive, in
    /// microseconds: row groups whose statistics fall outside are skipped.
    pub time_range: (Option<i64>, Option<i64>),
    /// The projected schema (the node's output).
    pub schema: Schema,
}

/// Constant rows: `print`, `datatable`, `ROW` — or `range`'s arithmetic
/// sequence, kept as its bounds (ten million rows are 80 MB as one Arrow
/// column, but gigabytes as scalar rows).
#[derive(Debug, Clone)]
pub struct Values {
    pub schema: Schema,
    pub rows: Vec<Vec<ScalarValue>>,
    /// With `Some`, the one column is this sequence and `rows` is empty.
    pub range: Option<ValueRange>,
}

impl Values {
    pub fn row_count(&self) -> usize {
        match &self.range {
            Some(r) => r.count as usize,
            None => self.rows.len(),
        }
    }
}

/// `range x from start to … step step`: `count` values `start + i * step`
/// (raw 64-bit values of the column's type: long, int, datetime, timespan).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValueRange {
    pub start: i64,
    pub step: i64,
    pub count: u64,
}

#[derive(Debug, Clone)]
pub struct Filter {
    pub input: Box<LogicalPlan>,
    pub predicate: BoundExpr,
}

/// Computes each output column from the input row (extend, project, rename…).
#[derive(Debug, Clone)]
pub struct Project {
    pub input: Box<LogicalPlan>,
    pub exprs: Vec<BoundExpr>,
    pub schema: Schema,
}

/// Group by `keys`, computing `aggregates`; output is the keys then the aggregates.
#[derive(Debug, Clone)]
pub struct Aggregate {
    pub input: Box<LogicalPlan>,
    pub keys: Vec<BoundExpr>,
    pub aggregates: Vec<AggregateCall>,
    /// A filter on the groups (a `where` right after `summarize`), over this
    /// node's output columns. Kept here so the executor can find the passing
    /// groups cheaply before computing every aggregate.
    pub having: Option<BoundExpr>,
    pub schema: Schema,
}

#[derive(Debug, Clone)]
pub struct Sort {
    pub input: Box<LogicalPlan>,
    pub keys: Vec<SortExpr>,
}

#[derive(Debug, Clone)]
pub struct TopN {
    pub input: Box<LogicalPlan>,
    pub keys: Vec<SortExpr>,
    pub n: usize,
}

#[derive(Debug, Clone)]
pub struct Limit {
    pub input: Box<LogicalPlan>,
    pub n: usize,
}

/// `materialize(T)`: the rows of `input`, computed once per query however
/// many times the query refers to them. The optimizer does not push filters
/// or column pruning through it (every reference must see the same rows);
/// it does optimise the input itself.
#[derive(Debug, Clone)]
pub struct Materialize {
    pub input: Box<LogicalPlan>,
}

/// Rows of every input, in input order; columns matched by name (missing → null).
#[derive(Debug, Clone)]
pub struct Union {
    pub inputs: Vec<LogicalPlan>,
    /// For each input, the input column feeding each output column.
    pub mappings: Vec<Vec<Option<usize>>>,
    pub schema: Schema,
}

/// How a join pairs rows (Kusto's `kind=`; ES|QL's LOOKUP JOIN and ENRICH are
/// left outer joins).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinKind {
    /// Kusto's default: the left side deduplicated on the keys (first row per
    /// key kept), then an inner join.
    InnerUnique,
    Inner,
    LeftOuter,
    RightOuter,
    FullOuter,
    LeftSemi,
    LeftAnti,
    RightSemi,
    RightAnti,
}

impl JoinKind {
    pub fn as_str(self) -> &'static str {
        match self {
            JoinKind::InnerUnique => "innerunique",
            JoinKind::Inner => "inner",
            JoinKind::LeftOuter => "leftouter",
            JoinKind::RightOuter => "rightouter",
            JoinKind::FullOuter => "fullouter",
            JoinKind::LeftSemi => "leftsemi",
            JoinKind::LeftAnti => "leftanti",
            JoinKind::RightSemi => "rightsemi",
            JoinKind::RightAnti => "rightanti",
        }
    }

    /// Left rows without a match are kept (with nulls on the right).
    pub fn keeps_unmatched_left(self) -> bool {
        matches!(self, JoinKind::LeftOuter | JoinKind::FullOuter)
    }

    /// Right rows without a match are emitted after the matches.
    pub fn keeps_unmatched_right(self) -> bool {
        matches!(self, JoinKind::RightOuter | JoinKind::FullOuter)
    }
}

/// Which input an output column of a join comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinSide {
    Left,
    Right,
}

/// An equi-join: the right input is built into a hash table, the left
/// probes it. Output columns are picked from either side by `output`.
#[derive(Debug, Clone)]
pub struct Join {
    pub left: Box<LogicalPlan>,
    pub right: Box<LogicalPlan>,
    pub kind: JoinKind,
    /// Key columns, pairwise equal: `left_keys[i] == right_keys[i]`.
    pub left_keys: Vec<usize>,
    pub right_keys: Vec<usize>,
    /// The type both sides' keys are compared as.
    pub key_types: Vec<KType>,
    /// Null keys match each other (KQL: a null string is the empty string);
    /// ES|QL's joins never match a null.
    pub null_keys_match: bool,
    /// Each output column: its side and index in that side's schema.
    pub output: Vec<(JoinSide, usize)>,
    /// At most one right row per left row (ENRICH takes the first match).
    pub first_match_only: bool,
    /// The first key pair matches an address (left) against an address or
    /// CIDR network (right): `evaluate ipv4_lookup` / `ipv6_lookup`.
    pub ip_prefix: Option<IpFamily>,
    pub schema: Schema,
}

/// The addresses a network-matching join reads (`ipv4_lookup`, `ipv6_lookup`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IpFamily {
    /// IPv4 only: other text matches nothing.
    V4,
    /// IPv6, IPv4 read as its IPv4-mapped address (`::ffff:1.2.3.4`).
    V6,
}

/// One row per element of the expanded arrays (`mv-expand`, `MV_EXPAND`); the
/// other columns repeat. Expanded columns replace theirs in place.
#[derive(Debug, Clone)]
pub struct MvExpand {
    pub input: Box<LogicalPlan>,
    /// The dynamic columns expanded, in parallel: row i of the output takes
    /// element i of each (null past an array's end). `to typeof(T)` is a
    /// conversion the binder places after this node.
    pub columns: Vec<usize>,
    /// Property bags: `{"k": v}` per entry (`false`, Kusto's default) or
    /// `["k", v]` (`kind=array`).
    pub bags_as_arrays: bool,
    /// `with_itemindex=Name`: a long column appended with the element's index.
    pub item_index: bool,
    /// Rows made from one input row at most.
    pub limit: Option<usize>,
    pub schema: Schema,
}

/// Window functions over the rows in order (`prev`, `next`, `row_number`,
/// `row_window_session` in an `extend` or `serialize`): the input runs as one
/// ordered stream (partition order, which is file and line order for a log
/// table, or the order a `sort` / `top` gave), and each call adds a column.
/// Output: the input columns, then one column per call.
#[derive(Debug, Clone)]
pub struct Window {
    pub input: Box<LogicalPlan>,
    /// In order: a call's arguments read the input columns and the columns of
    /// the calls before it (index `input width + k` is call k).
    pub calls: Vec<WindowCall>,
    pub schema: Schema,
}

#[derive(Debug, Clone)]
pub struct WindowCall {
    pub kind: WindowKind,
    pub args: Vec<BoundExpr>,
    pub ty: KType,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowKind {
    /// `prev(expr[, offset[, default]])`: the value `offset` rows before.
    Prev,
    /// `next(expr[, offset[, default]])`: the value `offset` rows after.
    Next,
    /// `row_number([start[, restart]])`.
    RowNumber,
    /// `row_window_session(expr, maxFromFirst, maxBetween[, restart])`.
    RowWindowSession,
    /// `row_cumsum(expr[, restart])`: the running sum, from 0 again where
    /// `restart` is true.
    RowCumsum,
    /// `row_rank_min(expr[, restart])`: the row number (from 1) of the first
    /// row of the run of equal values the row is in.
    RowRankMin,
    /// `row_rank_dense(expr[, restart])`: 1, then one more at each change of value.
    RowRankDense,
}

impl WindowKind {
    pub fn name(self) -> &'static str {
        match self {
            WindowKind::Prev => "prev",
            WindowKind::Next => "next",
            WindowKind::RowNumber => "row_number",
            WindowKind::RowWindowSession => "row_window_session",
            WindowKind::RowCumsum => "row_cumsum",
            WindowKind::RowRankMin => "row_rank_min",
            WindowKind::RowRankDense => "row_rank_dense",
        }
    }

    pub fn from_name(name: &str) -> Option<WindowKind> {
        Some(match name {
            "prev" => WindowKind::Prev,
            "next" => WindowKind::Next,
            "row_number" => WindowKind::RowNumber,
            "row_window_session" => WindowKind::RowWindowSession,
            "row_cumsum" => WindowKind::RowCumsum,
            "row_rank_min" => WindowKind::RowRankMin,
            "row_rank_dense" => WindowKind::RowRankDense,
            _ => return None,
        })
    }
}

/// `scan`: a state machine over the rows in order (Kusto's scan logic; see
/// `exec/src/ops/sequence_scan.rs`). Each step's expressions read a *frame*:
/// the input row's columns (`0..n`), then for each step `j` the record that
/// step holds in the state being used, at `width * (1 + j)`: its input
/// columns, then its declared columns (`width` = input + declared columns).
/// A declared column read bare is its default, folded in by the binder.
/// Output: the input columns, the declared columns, then the match id.
#[derive(Debug, Clone)]
pub struct SequenceScan {
    pub input: Box<LogicalPlan>,
    /// Each declared column's default (of its type).
    pub defaults: Vec<ScalarValue>,
    pub steps: Vec<ScanStep>,
    /// `with_match_id=Name`: a long column appended, numbering sequences from 0.
    pub match_id: bool,
    /// A separate state machine per value of this input column (`scan`
    /// inside `partition by`): each key's rows are scanned on their own.
    pub partition: Option<usize>,
    pub schema: Schema,
}

#[derive(Debug, Clone)]
pub struct ScanStep {
    pub name: String,
    pub output: ScanOutput,
    /// A bool over the frame.
    pub condition: BoundExpr,
    /// Declared column (0-based among the declared) and its value, over the frame.
    pub assignments: Vec<(usize, BoundExpr)>,
}

/// When a step's matches reach the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanOutput {
    /// Every match.
    All,
    /// The last match of a run of matches of the step, output once the
    /// sequence leaves the step (or the input ends).
    Last,
    /// None: the step only advances the sequence.
    None,
}

impl ScanOutput {
    pub fn as_str(self) -> &'static str {
        match self {
            ScanOutput::All => "all",
            ScanOutput::Last => "last",
            ScanOutput::None => "none",
        }
    }
}

/// `make-series`: one row per group, each aggregate an array over the axis
/// bins. The input is the `summarize … by keys, bin` that computed each (group,
/// bin) cell; this node lays the cells out as arrays, with a default where a
/// group has no rows in a bin.
#[derive(Debug, Clone)]
pub struct MakeSeries {
    pub input: Box<LogicalPlan>,
    /// Input columns 0..keys are the group keys; column `keys` is the cell's
    /// bin (an integer: microseconds for datetimes and timespans); the rest
    /// are the aggregates, in output order.
    pub keys: usize,
    /// The value of an empty cell, per aggregate.
    pub defaults: Vec<ScalarValue>,
    pub axis: SeriesAxis,
    /// Keys, then each aggregate and the axis as dynamic arrays.
    pub schema: Schema,
}

/// The bins of a series: `start, start + step, …` below `end`.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesAxis {
    /// `from`: else the first bin holding data.
    pub start: Option<i64>,
    /// `to` (exclusive): else just past the last bin holding data.
    pub end: Option<i64>,
    pub step: i64,
    /// The axis column's type (datetime, timespan, int or long).
    pub ty: KType,
}

/// Kusto's cap on a series' length.
pub const MAX_SERIES_POINTS: i64 = 1 << 20;

/// Bins from `start` (inclusive) to `end` (exclusive), `step` apart.
pub fn series_points(start: i64, end: i64, step: i64) -> i64 {
    if end <= start {
        return 0;
    }
    ((end as i128 - start as i128 + step as i128 - 1) / step as i128).min(i64::MAX as i128) as i64
}

impl LogicalPlan {
    pub fn schema(&self) -> &Schema {
        match self {
            LogicalPlan::Scan(s) => &s.schema,
            LogicalPlan::Values(v) => &v.schema,
            LogicalPlan::Filter(f) => f.input.schema(),
            LogicalPlan::Project(p) => &p.schema,
            LogicalPlan::Aggregate(a) => &a.schema,
            LogicalPlan::Sort(s) => s.input.schema(),
            LogicalPlan::TopN(t) => t.input.schema(),
            LogicalPlan::Limit(l) => l.input.schema(),
            LogicalPlan::Union(u) => &u.schema,
            LogicalPlan::Join(j) => &j.schema,
            LogicalPlan::MvExpand(m) => &m.schema,
            LogicalPlan::MakeSeries(m) => &m.schema,
            LogicalPlan::Window(w) => &w.schema,
            LogicalPlan::Materialize(m) => m.input.schema(),
            LogicalPlan::SequenceScan(s) => &s.schema,
            LogicalPlan::Graph(g) => &g.schema,
        }
    }

    pub fn inputs(&self) -> Vec<&LogicalPlan> {
        match self {
            LogicalPlan::Scan(_) | LogicalPlan::Values(_) => vec![],
            LogicalPlan::Filter(f) => vec![&f.input],
            LogicalPlan::Project(p) => vec![&p.input],
            LogicalPlan::Aggregate(a) => vec![&a.input],
            LogicalPlan::Sort(s) => vec![&s.input],
            LogicalPlan::TopN(t) => vec![&t.input],
            LogicalPlan::Limit(l) => vec![&l.input],
            LogicalPlan::Union(u) => u.inputs.iter().collect(),
            LogicalPlan::Join(j) => vec![&j.left, &j.right],
            LogicalPlan::MvExpand(m) => vec![&m.input],
            LogicalPlan::MakeSeries(m) => vec![&m.input],
            LogicalPlan::Window(w) => vec![&w.input],
            LogicalPlan::Materialize(m) => vec![&m.input],
            LogicalPlan::SequenceScan(s) => vec![&s.input],
            LogicalPlan::Graph(g) => std::iter::once(&*g.edges)
                .chain(g.nodes.as_deref())
                .collect(),
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            LogicalPlan::Scan(_) => "Scan",
            LogicalPlan::Values(_) => "Values",
            LogicalPlan::Filter(_) => "Filter",
            LogicalPlan::Project(_) => "Project",
            LogicalPlan::Aggregate(_) => "Aggregate",
            LogicalPlan::Sort(_) => "Sort",
            LogicalPlan::TopN(_) => "TopN",
            LogicalPlan::Limit(_) => "Limit",
            LogicalPlan::Union(_) => "Union",
            LogicalPlan::Join(_) => "Join",
            LogicalPlan::MvExpand(_) => "MvExpand",
            LogicalPlan::MakeSeries(_) => "MakeSeries",
            LogicalPlan::Window(_) => "Window",
            LogicalPlan::Materialize(_) => "Materialize",
            LogicalPlan::SequenceScan(_) => "SequenceScan",
            LogicalPlan::Graph(_) => "Graph",
        }
    }

    /// An indented tree, one node per line, for `explain`.
    pub fn display_tree(&self) -> String {
        let mut out = String::new();
        self.write_tree(&mut out, 0);
        out
    }

    fn write_tree(&self, out: &mut String, depth: usize) {
        let pad = "  ".repeat(depth);
        let _ = match self {
            LogicalPlan::Scan(s) => {
                let cols: Vec<&str> = s.schema.names().collect();
                let _ = write!(out, "{pad}Scan: {} columns=[{}]", s.table, cols.join(", "));
                if let Some(f) = &s.filter {
                    let _ = write!(out, " filter={f}");
                }
                match s.time_range {
                    (None, None) => {}
                    (lo, hi) => {
                        let _ = write!(out, " time_range=[{}, {}]", fmt_time(lo), fmt_time(hi));
                    }
                }
                writeln!(out)
            }
            LogicalPlan::Values(v) => writeln!(out, "{pad}Values: {} rows", v.row_count()),
            LogicalPlan::Filter(f) => writeln!(out, "{pad}Filter: {}", f.predicate),
            LogicalPlan::Project(p) => {
                let items: Vec<String> = p
                    .exprs
                    .iter()
                    .zip(&p.schema.columns)
                    .map(|(e, c)| match e {
                        BoundExpr::Column { name, .. } if *name == c.name => c.name.clone(),
                        _ => format!("{}={e}", c.name),
                    })
                    .collect();
                writeln!(out, "{pad}Project: {}", items.join(", "))
            }
            LogicalPlan::Aggregate(a) => {
                let keys: Vec<String> = a.keys.iter().map(|k| k.to_string()).collect();
                let aggs: Vec<String> = a.aggregates.iter().map(|g| format!("{g:?}")).collect();
                let having = a
                    .having
                    .as_ref()
                    .map(|h| format!(" having={h}"))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "{pad}Aggregate: by=[{}] aggregates=[{}]{having}",
                    keys.join(", "),
                    aggs.join(", ")
                )
            }
            LogicalPlan::Sort(s) => writeln!(out, "{pad}Sort: {}", fmt_keys(&s.keys)),
            LogicalPlan::TopN(t) => writeln!(out, "{pad}TopN: {} by {}", t.n, fmt_keys(&t.keys)),
            LogicalPlan::Limit(l) => writeln!(out, "{pad}Limit: {}", l.n),
            LogicalPlan::Union(u) => writeln!(out, "{pad}Union: {} inputs", u.inputs.len()),
            LogicalPlan::Join(j) => {
                let left = j.left.schema();
                let right = j.right.schema();
                let on: Vec<String> = j
                    .left_keys
                    .iter()
                    .zip(&j.right_keys)
                    .map(|(l, r)| {
                        format!("{} == {}", left.columns[*l].name, right.columns[*r].name)
                    })
                    .collect();
                writeln!(
                    out,
                    "{pad}Join: kind={} on {}",
                    j.kind.as_str(),
                    on.join(", ")
                )
            }
            LogicalPlan::MvExpand(m) => {
                let cols: Vec<&str> = m
                    .columns
                    .iter()
                    .map(|c| m.schema.columns[*c].name.as_str())
                    .collect();
                let limit = m.limit.map(|l| format!(" limit {l}")).unwrap_or_default();
                writeln!(out, "{pad}MvExpand: {}{limit}", cols.join(", "))
            }
            LogicalPlan::MakeSeries(m) => {
                writeln!(out, "{pad}MakeSeries: {}", m.axis)
            }
            LogicalPlan::Window(w) => {
                let width = w.input.schema().len();
                let calls: Vec<String> = w
                    .calls
                    .iter()
                    .enumerate()
                    .map(|(k, c)| {
                        let args: Vec<String> = c.args.iter().map(|a| a.to_string()).collect();
                        format!(
                            "{}={}({})",
                            w.schema.columns[width + k].name,
                            c.kind.name(),
                            args.join(", ")
                        )
                    })
                    .collect();
                writeln!(out, "{pad}Window: {}", calls.join(", "))
            }
            LogicalPlan::Materialize(_) => writeln!(out, "{pad}Materialize: computed once"),
            LogicalPlan::SequenceScan(s) => {
                let steps: Vec<String> = s
                    .steps
                    .iter()
                    .map(|st| format!("{} output={}", st.name, st.output.as_str()))
                    .collect();
                let by = s
                    .partition
                    .map(|k| format!(" per {}", s.input.schema().columns[k].name))
                    .unwrap_or_default();
                writeln!(out, "{pad}SequenceScan: steps [{}]{by}", steps.join(", "))
            }
            LogicalPlan::Graph(g) => writeln!(out, "{pad}Graph: {}", g.spec),
        };
        for input in self.inputs() {
            input.write_tree(out, depth + 1);
        }
    }
}

fn fmt_keys(keys: &[SortExpr]) -> String {
    keys.iter()
        .map(|k| {
            format!(
                "{} {} nulls {}",
                k.expr,
                if k.descending { "desc" } else { "asc" },
                if k.nulls_first { "first" } else { "last" }
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn fmt_time(t: Option<i64>) -> String {
    match t.and_then(chrono::DateTime::from_timestamp_micros) {
        Some(d) => d.format("%Y-%m-%dT%H:%M:%S%.fZ").to_string(),
        None => "-".to_string(),
    }
}

impl std::fmt::Display for SeriesAxis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let value = |v: i64| match self.ty {
            KType::DateTime => fmt_time(Some(v)),
            KType::TimeSpan => format!("{}us", v),
            _ => v.to_string(),
        };
        let step = match self.ty {
            KType::DateTime | KType::TimeSpan => format!("{}us", self.step),
            _ => self.step.to_string(),
        };
        write!(
            f,
            "from {} to {} step {step}",
            self.start.map_or("(first bin with data)".into(), value),
            self.end.map_or("(last bin with data)".into(), value),
        )
    }
}
