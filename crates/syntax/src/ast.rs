//! The one AST for both pipe languages.
//!
//! The KQL parser (`kql/`) builds it directly; the ES|QL parser (`esql/`) lowers
//! into it. The planner (`iishunt-plan`) binds it against the catalog. Every node
//! carries the byte [`Span`] of the text it came from, so any later stage can
//! point a caret at the user's query.
//!
//! Literals are already decoded here (string escapes resolved, datetimes and
//! timespans in microseconds) so the planner never re-parses text; the
//! pretty-printer (`print.rs`) writes them back in canonical KQL.

use std::fmt;

/// Byte offsets `[start, end)` into the query text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// Which language a query was written in. Some semantics differ (ES|QL sorts
/// ascending by default, names unnamed aggregates after their text, …), so the
/// planner needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Dialect {
    #[default]
    Kql,
    Esql,
}

/// A name as written: `csUriStem`, `['odd name']`, or an ES|QL `source.ip`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

impl Ident {
    pub fn new(name: impl Into<String>, span: Span) -> Self {
        Ident {
            name: name.into(),
            span,
        }
    }
}

impl fmt::Display for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

/// A whole query text: `let` statements and tabular statements separated by `;`.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    pub dialect: Dialect,
    pub statements: Vec<Statement>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Statement {
    Let(LetStatement),
    /// A tabular expression whose result is returned to the user.
    Tabular(TabularExpr),
    /// `set name = value;` / `set name;` (query options; parsed and noted).
    Set(SetStatement),
}

#[derive(Debug, Clone, PartialEq)]
pub struct SetStatement {
    pub name: Ident,
    pub value: Option<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LetStatement {
    pub name: Ident,
    pub value: LetValue,
    pub span: Span,
}

// Variants differ in size; ASTs are small and short-lived, so boxing would only add noise.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum LetValue {
    /// `let x = 10m;`, `let t = ago(1d);`
    Scalar(Expr),
    /// `let T = W3CIISLog | where …;`
    Tabular(TabularExpr),
    /// `let f = (x:string, n:long = 5) { … };`
    Function(FunctionDef),
}

/// One entry of a plugin's declared output schema.
#[derive(Debug, Clone, PartialEq)]
pub enum OutputColumn {
    /// `*`: every input column the schema does not name.
    Star,
    /// `Name:string`: the plugin's column, converted to the type (null when absent).
    Column(Ident, TypeName),
}

#[derive(Debug, Clone, PartialEq)]
pub struct FunctionDef {
    pub params: Vec<Param>,
    /// The body's `let` statements followed by its final expression.
    pub body: Vec<Statement>,
    /// A body whose last statement is a scalar expression (`{ x * 2 }`).
    pub scalar_result: Option<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: Ident,
    pub ty: ParamType,
    pub default: Option<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ParamType {
    Scalar(TypeName),
    /// `T:(*)` or `T:(col:string, …)`
    Tabular(Vec<(Ident, TypeName)>),
}

/// Kusto scalar type names as written in declarations, `typeof()`, `datatable` and
/// typed nulls (`long(null)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TypeName {
    Bool,
    Int,
    Long,
    Real,
    Decimal,
    String,
    DateTime,
    TimeSpan,
    Dynamic,
    Guid,
}

impl TypeName {
    /// The canonical KQL spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            TypeName::Bool => "bool",
            TypeName::Int => "int",
            TypeName::Long => "long",
            TypeName::Real => "real",
            TypeName::Decimal => "decimal",
            TypeName::String => "string",
            TypeName::DateTime => "datetime",
            TypeName::TimeSpan => "timespan",
            TypeName::Dynamic => "dynamic",
            TypeName::Guid => "guid",
        }
    }

    /// Accepts Kusto's names and their synonyms (`boolean`, `double`, `date`, `time`, `uniqueid`).
    pub fn parse(s: &str) -> Option<TypeName> {
        Some(match s {
            "bool" | "boolean" => TypeName::Bool,
            "int" | "int32" => TypeName::Int,
            "long" | "int64" => TypeName::Long,
            "real" | "double" => TypeName::Real,
            "decimal" => TypeName::Decimal,
            "string" => TypeName::String,
            "datetime" | "date" => TypeName::DateTime,
            "timespan" | "time" => TypeName::TimeSpan,
            "dynamic" => TypeName::Dynamic,
            "guid" | "uniqueid" => TypeName::Guid,
            _ => return None,
        })
    }
}

/// A source followed by `| operator` stages.
#[derive(Debug, Clone, PartialEq)]
pub struct TabularExpr {
    pub source: Source,
    pub operators: Vec<Operator>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub kind: SourceKind,
    pub span: Span,
}

// Variants differ in size; ASTs are small and short-lived, so boxing would only add noise.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum SourceKind {
    /// A table, a tabular `let` name, or (ES|QL) an index pattern such as
    /// `logs-iis.error-*`. Several names come from ES|QL's `FROM a, b`.
    Table(Vec<Ident>),
    /// `f(x, y)` — a user function or a built-in tabular function.
    Call(Call),
    /// `( tabular )`
    Nested(Box<TabularExpr>),
    /// `materialize(T)`: the same rows, computed once however often referenced.
    Materialize(Box<TabularExpr>),
    /// `print a = 1, b = "x"` (KQL) or `ROW a = 1` (ES|QL).
    Print(Vec<NamedExpr>),
    /// `datatable(a:long, b:string) [1, "x", 2, "y"]`
    Datatable {
        columns: Vec<(Ident, TypeName)>,
        values: Vec<Expr>,
    },
    /// `externaldata (a:long, b:string) [@"list.csv"] with (format="csv")`:
    /// rows read from local files when the query is bound. `paths` are string
    /// literals; `properties` are the `with (…)` settings.
    ExternalData {
        columns: Vec<(Ident, TypeName)>,
        paths: Vec<Expr>,
        properties: Vec<(Ident, Expr)>,
    },
    /// `range x from 1 to 10 step 1`
    Range {
        column: Ident,
        from: Expr,
        to: Expr,
        step: Expr,
    },
    /// `union [kind=…] [withsource=…] [isfuzzy=…] T1, (T2 | …)` as a source.
    Union(Union),
    /// `search [in (T1, T2)] predicate` as a source.
    Search { tables: Vec<Ident>, predicate: Expr },
    /// `find [withsource=C] [in (T1, …)] where predicate [project …]`.
    Find(Find),
}

/// `find`: the rows of several tables where a predicate holds, in one shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Find {
    /// The column naming each row's table (`source_` when not given).
    pub withsource: Option<Ident>,
    /// The legs of `in (…)`; empty for every log table.
    pub tables: Vec<TabularExpr>,
    pub predicate: Expr,
    /// `None` for `project-smart` (also when no projection is written).
    pub project: Option<FindProject>,
}

/// `project a, b:long, pack_all()` after `find`.
#[derive(Debug, Clone, PartialEq)]
pub struct FindProject {
    pub columns: Vec<(Ident, Option<TypeName>)>,
    /// `pack_all()`: the columns not listed, as a bag in `pack_`.
    pub pack_all: bool,
}

/// ES|QL `FROM … METADATA _index, _id` fields are kept on the table source's
/// operators as a `Metadata` operator right after the source.
#[derive(Debug, Clone, PartialEq)]
pub struct Operator {
    pub kind: OperatorKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum OperatorKind {
    /// `where` / `filter` (KQL), `WHERE` (ES|QL)
    Where(Expr),
    /// `extend` (KQL), `EVAL` (ES|QL)
    Extend(Vec<NamedExpr>),
    /// `project a, b = expr`
    Project(Vec<NamedExpr>),
    /// `project-away a, b*` (KQL), `DROP` (ES|QL)
    ProjectAway(Vec<ColumnPattern>),
    /// `project-keep a, b*`: keeps the input's column order.
    ProjectKeep(Vec<ColumnPattern>),
    /// ES|QL `KEEP a, b*`: keeps the listed order (first match wins).
    Keep(Vec<ColumnPattern>),
    /// `project-rename new = old` (KQL) / `RENAME old AS new` (ES|QL)
    ProjectRename(Vec<Rename>),
    /// `project-reorder a, b* asc`
    ProjectReorder(Vec<(ColumnPattern, Option<SortOrder>)>),
    /// `summarize aggs by keys` (KQL), `STATS aggs BY keys` (ES|QL)
    Summarize(Summarize),
    /// `order by` / `sort by` (KQL), `SORT` (ES|QL)
    Sort(Vec<SortKey>),
    /// `top N by expr [asc|desc] [nulls first|last]`
    Top {
        count: Expr,
        by: Vec<SortKey>,
    },
    /// `take N` / `limit N` (KQL), `LIMIT N` (ES|QL)
    Take(Expr),
    /// `distinct a, b` / `distinct *`
    Distinct(Vec<NamedExpr>),
    /// `count`
    Count,
    Join(Join),
    Lookup(Lookup),
    Union(Union),
    MvExpand(MvExpand),
    MvApply(MvApply),
    /// `top-hitters N of expr [by summed]`
    TopHitters {
        count: Expr,
        of: Expr,
        by: Option<Expr>,
    },
    ParseKv(ParseKv),
    /// `project-by-names "a", "b*", dynamic([…])`: the names are constant values.
    ProjectByNames(Vec<Expr>),
    Parse(Parse),
    /// `parse-where`: `parse` keeping only the rows that match.
    ParseWhere(Parse),
    MakeSeries(MakeSeries),
    Render(Render),
    /// `as name`
    As(Ident),
    GetSchema,
    /// `serialize [a = expr, …]`
    Serialize(Vec<NamedExpr>),
    /// `sample N`
    Sample(Expr),
    /// `top-nested …, top-nested …`: one level per clause.
    TopNested(Vec<TopNestedLevel>),
    /// `invoke f(args)`
    Invoke(Call),
    /// `evaluate plugin(args)`
    /// `evaluate plugin(…) [: (*, c:type, …)]`.
    Evaluate(Call, Option<Vec<OutputColumn>>),
    /// `search predicate` after a pipe.
    Search(Expr),
    /// `scan … with (step …; …)`: a state machine over the ordered rows.
    Scan(Scan),
    /// `partition by Col (operators)` / `partition by Col { T | … }`
    Partition(Partition),
    /// `fork [name=](operators) …`: each leg's operators over the input, each
    /// its own result table; ends the query.
    Fork(Vec<ForkLeg>),
    /// `facet by c1, c2 [with (operators)]`: the `with` table, then one table
    /// of value counts per column; ends the query.
    Facet {
        columns: Vec<Ident>,
        with: Option<Vec<Operator>>,
    },
    /// ES|QL `DISSECT field "pattern" [APPEND_SEPARATOR = "x"]`
    Dissect {
        input: Expr,
        pattern: String,
        append_separator: Option<String>,
    },
    /// ES|QL `GROK field "pattern"`
    Grok {
        input: Expr,
        pattern: String,
    },
    /// ES|QL `ENRICH policy [ON field] [WITH a = b, …]`
    Enrich {
        policy: Ident,
        on: Option<Ident>,
        with: Vec<Rename>,
    },
    /// ES|QL `FROM … METADATA _index, _id`
    Metadata(Vec<Ident>),
    /// `make-graph Src --> Dst [with Nodes on Key | with_node_id=Name]`
    MakeGraph(MakeGraph),
    /// `graph-match [cycles=…] patterns [where P] [project …]`
    GraphMatch(GraphMatch),
    /// `graph-shortest-paths [output=…] patterns [where P] [project …]`
    GraphShortestPaths(GraphMatch),
    /// `graph-to-table nodes|edges [as X] [with_…=Name], …`
    GraphToTable(Vec<GraphTable>),
    /// `graph-mark-components [kind=weak|strong] [with_component_id=Name]`
    GraphMarkComponents(Vec<(Ident, Ident)>),
}

/// `make-graph Src --> Dst …`: the operator's input is the edges table.
#[derive(Debug, Clone, PartialEq)]
pub struct MakeGraph {
    pub source: Ident,
    pub target: Ident,
    /// `--` (undirected) rather than `-->`.
    pub undirected: bool,
    /// `with Nodes on Key, …`
    pub nodes: Vec<(TabularExpr, Ident)>,
    /// `with_node_id=Name`
    pub params: Vec<(Ident, Ident)>,
    /// `partitioned-by Column (operators)`
    pub partitioned_by: Option<(Ident, Vec<Operator>)>,
}

/// The body of `graph-match` and `graph-shortest-paths`.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphMatch {
    /// `cycles=none`, `output=all`
    pub params: Vec<(Ident, Ident)>,
    pub patterns: Vec<GraphPattern>,
    pub predicate: Option<Expr>,
    pub project: Vec<NamedExpr>,
}

/// `(a)-[e]->(b)<-[f*1..3]-(c)`: a first node, then (edge, node) steps.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphPattern {
    pub first: GraphNode,
    pub steps: Vec<(GraphEdge, GraphNode)>,
    pub span: Span,
}

/// `(a)` or `()`.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphNode {
    pub name: Option<Ident>,
    pub span: Span,
}

/// Which way an edge of a pattern points, read left to right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeDirection {
    /// `-[e]->`
    Right,
    /// `<-[e]-`
    Left,
    /// `-[e]-`: either way.
    Any,
}

/// `-[e]->`, `<-[e*1..3]-`, `--`.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphEdge {
    pub name: Option<Ident>,
    pub direction: EdgeDirection,
    /// `*min..max` (`*n` is `n..n`); `None` is one edge.
    pub length: Option<(u64, u64)>,
    pub span: Span,
}

/// `nodes [as N] [with_node_id=Id]` / `edges [as E] [with_source_id=S] …`
#[derive(Debug, Clone, PartialEq)]
pub struct GraphTable {
    /// `true` for `edges`.
    pub edges: bool,
    pub alias: Option<Ident>,
    pub params: Vec<(Ident, Ident)>,
    pub span: Span,
}

/// `name = expr`, or a bare `expr` whose name the planner derives.
/// `(a, b) = f(x)` gives several names.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedExpr {
    pub names: Vec<Ident>,
    pub expr: Expr,
    pub span: Span,
}

/// `new = old`; for ES|QL `RENAME old AS new` the same.
#[derive(Debug, Clone, PartialEq)]
pub struct Rename {
    pub new: Ident,
    pub old: Ident,
    pub span: Span,
}

/// A column name that may hold `*` wildcards (`set_*`, `Esql.*`).
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnPattern {
    pub pattern: String,
    pub span: Span,
}

impl ColumnPattern {
    pub fn is_wildcard(&self) -> bool {
        self.pattern.contains('*')
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortOrder {
    Asc,
    Desc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NullsOrder {
    First,
    Last,
}

/// One key of `order by`, `top … by`, `SORT`. `order`/`nulls` are `None` when not
/// written: the dialect's default applies (KQL: desc, nulls last; ES|QL: asc,
/// nulls last).
#[derive(Debug, Clone, PartialEq)]
pub struct SortKey {
    pub expr: Expr,
    pub order: Option<SortOrder>,
    pub nulls: Option<NullsOrder>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Summarize {
    /// `hint.strategy=shuffle` and friends, kept for the printer; ignored.
    pub hints: Vec<(Ident, Expr)>,
    pub aggregates: Vec<NamedExpr>,
    pub by: Vec<NamedExpr>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JoinKind {
    Inner,
    InnerUnique,
    LeftOuter,
    RightOuter,
    FullOuter,
    LeftAnti,
    RightAnti,
    LeftSemi,
    RightSemi,
}

impl JoinKind {
    pub fn as_str(self) -> &'static str {
        match self {
            JoinKind::Inner => "inner",
            JoinKind::InnerUnique => "innerunique",
            JoinKind::LeftOuter => "leftouter",
            JoinKind::RightOuter => "rightouter",
            JoinKind::FullOuter => "fullouter",
            JoinKind::LeftAnti => "leftanti",
            JoinKind::RightAnti => "rightanti",
            JoinKind::LeftSemi => "leftsemi",
            JoinKind::RightSemi => "rightsemi",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Join {
    /// `None` when not written (Kusto's default is innerunique).
    pub kind: Option<JoinKind>,
    /// `hint.remote=…`, `hint.strategy=…`: parsed, ignored with a note.
    pub hints: Vec<(Ident, Expr)>,
    pub right: TabularExpr,
    pub on: Vec<JoinCondition>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum JoinCondition {
    /// `on col` — same name both sides.
    Column(Ident),
    /// `on $left.a == $right.b`
    Equal {
        left: Ident,
        right: Ident,
        span: Span,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Lookup {
    pub kind: Option<JoinKind>,
    pub right: TabularExpr,
    pub on: Vec<JoinCondition>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// `kind=inner|outer`, `withsource=Col`, `isfuzzy=true`
    pub params: Vec<(Ident, Expr)>,
    pub tables: Vec<TabularExpr>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MvExpand {
    /// `bagexpansion=array`, `with_itemindex=Idx`, …
    pub params: Vec<(Ident, Expr)>,
    /// `col [to typeof(T)]`, `name = expr`
    pub columns: Vec<(NamedExpr, Option<TypeName>)>,
    pub limit: Option<Expr>,
}

/// `mv-apply [params] x = arr [to typeof(T)], … [limit N] on (operators)`:
/// the operators run on each input row's expanded rows.
#[derive(Debug, Clone, PartialEq)]
pub struct MvApply {
    /// The `mv-expand` part: `with_itemindex=i`, the columns, `limit N`.
    pub expand: MvExpand,
    /// The subquery, without a source.
    pub body: Vec<Operator>,
}

/// `scan [with_match_id=Id] [declare (…)] with (step …; …)`
#[derive(Debug, Clone, PartialEq)]
pub struct Scan {
    /// `with_match_id=Name`: a long column numbering the sequences from 0.
    pub match_id: Option<Ident>,
    /// `declare (Name:type [= default], …)`: columns the steps assign.
    pub declare: Vec<ScanColumn>,
    pub steps: Vec<ScanStep>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ScanColumn {
    pub name: Ident,
    pub ty: TypeName,
    pub default: Option<Expr>,
}

/// When a step's matches are output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScanOutput {
    All,
    Last,
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

/// `step Name [output=…]: Condition [=> Col = expr, …]`
#[derive(Debug, Clone, PartialEq)]
pub struct ScanStep {
    pub name: Ident,
    /// `None` when not written (Kusto's default is `all`).
    pub output: Option<ScanOutput>,
    pub condition: Expr,
    pub assignments: Vec<(Ident, Expr)>,
    pub span: Span,
}

/// One leg of `fork`: its result name (`name=` before it) and operators.
#[derive(Debug, Clone, PartialEq)]
pub struct ForkLeg {
    pub name: Option<Ident>,
    pub operators: Vec<Operator>,
}

/// `partition [hints] by Col (operators)` or `… by Col { T | … }`.
#[derive(Debug, Clone, PartialEq)]
pub struct Partition {
    /// `hint.strategy=native`, `hint.materialized=true`, …
    pub hints: Vec<(Ident, Expr)>,
    pub by: Ident,
    pub body: PartitionBody,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PartitionBody {
    /// `(op | op …)`: the operators run on each partition's rows.
    Operators(Vec<Operator>),
    /// `{ T | … }`: a subquery with its own source, run once per key value,
    /// in which the key column's name is that value.
    Source(Box<TabularExpr>),
}

/// `parse-kv input as (key:type, …) [with (name = value, …)]`
#[derive(Debug, Clone, PartialEq)]
pub struct ParseKv {
    pub input: Expr,
    pub columns: Vec<(Ident, TypeName)>,
    /// `pair_delimiter`, `kv_delimiter`, `quote`, `escape`, `greedy`, `regex`.
    pub options: Vec<(Ident, Expr)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParseKind {
    Simple,
    Regex,
    Relaxed,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Parse {
    pub kind: ParseKind,
    /// Regex flags from `kind=regex flags=Ui`.
    pub flags: Option<String>,
    pub input: Expr,
    pub pattern: Vec<ParsePart>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ParsePart {
    /// A string literal to match.
    Literal(String),
    /// `*`: skip anything.
    Wildcard,
    /// `name [: type]`: capture into a column.
    Column(Ident, Option<TypeName>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct MakeSeries {
    pub aggregates: Vec<(NamedExpr, Option<Expr>)>,
    /// `on TimeGenerated`
    pub on: Expr,
    pub from: Option<Expr>,
    pub to: Option<Expr>,
    pub step: Expr,
    pub by: Vec<NamedExpr>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Render {
    pub chart: Ident,
    pub properties: Vec<(Ident, Expr)>,
}

/// `name(args)`; named arguments (`kind=regex`) are rare in functions and kept as
/// `Binary{Eq}` only inside operator parameter lists, not here.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub name: Ident,
    pub args: Vec<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

impl Expr {
    pub fn new(kind: ExprKind, span: Span) -> Self {
        Expr { kind, span }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Literal(Literal),
    /// A column, a scalar `let` name, or a parameter.
    Name(Ident),
    /// `$left` / `$right` in join conditions.
    JoinSide(JoinSide),
    /// `*` as an argument: `count(*)` in ES|QL, `distinct *`.
    Star,
    Unary {
        op: UnaryOp,
        expr: Box<Expr>,
    },
    Binary {
        op: BinaryOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    /// `x in (a, b)`, `x !in~ (…)`; the list may be one tabular-free dynamic.
    In {
        expr: Box<Expr>,
        list: Vec<Expr>,
        negated: bool,
        case_insensitive: bool,
    },
    /// `x has_any (…)`, `x has_all (…)`
    HasAny {
        expr: Box<Expr>,
        list: Vec<Expr>,
        all: bool,
    },
    /// `x between (a .. b)`, `x !between (a .. b)`
    Between {
        expr: Box<Expr>,
        low: Box<Expr>,
        high: Box<Expr>,
        negated: bool,
    },
    /// `(T | ...)` as a value: `toscalar(T | ...)`, `x in (T | ...)`. The
    /// engine runs it before the outer query.
    Subquery(Box<TabularExpr>),
    /// ES|QL `x IS NULL` / `x IS NOT NULL`
    IsNull {
        expr: Box<Expr>,
        negated: bool,
    },
    Call(Call),
    /// `x[0]`, `x["key"]`
    Index {
        expr: Box<Expr>,
        index: Box<Expr>,
    },
    /// `x.key` on a dynamic value (KQL). ES|QL dotted names are plain `Name`s.
    Member {
        expr: Box<Expr>,
        name: Ident,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JoinSide {
    Left,
    Right,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    Neg,
    Plus,
    /// KQL spells it as the function `not(x)`; ES|QL as `NOT x`.
    Not,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    Or,
    And,
    Eq,
    NotEq,
    Lt,
    Le,
    Gt,
    Ge,
    /// `=~` case-insensitive equality
    EqCi,
    /// `!~`
    NotEqCi,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    /// The string operators: negation and case sensitivity are part of the operator.
    Str(StrOp),
}

/// `has`, `!contains_cs`, `matches regex`, ES|QL `LIKE`, … One variant per spelling so
/// the printer writes back what the user wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StrOp {
    pub kind: StrOpKind,
    pub negated: bool,
    pub case_sensitive: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StrOpKind {
    Has,
    Contains,
    StartsWith,
    EndsWith,
    HasPrefix,
    HasSuffix,
    /// `matches regex`
    MatchesRegex,
    /// ES|QL `LIKE` with `*` and `?` wildcards
    Like,
    /// ES|QL `RLIKE` (whole-string regex)
    RLike,
}

impl StrOp {
    /// The KQL (or ES|QL for like/rlike) spelling, e.g. `!has_cs`.
    pub fn spelling(self) -> String {
        let base = match self.kind {
            StrOpKind::Has => "has",
            StrOpKind::Contains => "contains",
            StrOpKind::StartsWith => "startswith",
            StrOpKind::EndsWith => "endswith",
            StrOpKind::HasPrefix => "hasprefix",
            StrOpKind::HasSuffix => "hassuffix",
            StrOpKind::MatchesRegex => return "matches regex".to_string(),
            StrOpKind::Like => return if self.negated { "NOT LIKE" } else { "LIKE" }.to_string(),
            StrOpKind::RLike => {
                return if self.negated { "NOT RLIKE" } else { "RLIKE" }.to_string()
            }
        };
        format!(
            "{}{}{}",
            if self.negated { "!" } else { "" },
            base,
            if self.case_sensitive { "_cs" } else { "" }
        )
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// `null` or a typed null such as `long(null)`.
    Null(Option<TypeName>),
    Bool(bool),
    /// An integer literal: KQL's `long` (`int(5)` gives `Int`).
    Long(i64),
    Int(i32),
    Real(f64),
    String(String),
    /// Microseconds since the Unix epoch, UTC.
    DateTime(i64),
    /// Microseconds.
    TimeSpan(i64),
    /// `guid(…)`, kept as its canonical lower-case text.
    Guid(String),
    /// `dynamic([...])`, `dynamic({...})`, `dynamic(null)`
    Dynamic(serde_json::Value),
}

/// One clause of `top-nested`.
#[derive(Debug, Clone, PartialEq)]
pub struct TopNestedLevel {
    /// `N`; `None` keeps every value.
    pub count: Option<Expr>,
    /// `of [Name =] Expr`
    pub of: NamedExpr,
    /// `with others = V`
    pub others: Option<Expr>,
    /// `by [Name =] Aggregation`
    pub by: NamedExpr,
    /// `asc`; the default is descending.
    pub ascending: bool,
}
