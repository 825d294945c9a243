//! ES|QL front end tests.
//!
//! The corpus under `tests/esql_syntax/` is the main test and doubles as
//! documentation: every `valid/*.esql` parses; every `invalid/*.esql` fails
//! with exactly the error its header comments pin (`// code:`, `// at:` as
//! line:column of the span start, `// message:`, `// help:`). Headers are ES|QL
//! comments, so each file is a query as a user would type it. `ESQL_BLESS=1`
//! rewrites the headers from the current output — review the diff by hand.
//!
//! Below the corpus: the seed rule's exact AST, lowering details, and hostile
//! inputs (deep nesting, NUL bytes, huge numbers) that must error, not panic.

use iishunt_syntax::ast::*;
use iishunt_syntax::esql::parse;
use iishunt_syntax::SyntaxError;
use std::path::{Path, PathBuf};

fn corpus(dir: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/esql_syntax")
        .join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "esql"))
        .collect();
    files.sort();
    files
}

fn line_col(text: &str, pos: usize) -> (usize, usize) {
    let before = &text[..pos.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

const HEADERS: [&str; 4] = ["// code: ", "// at: ", "// message: ", "// help: "];

fn headers(err: &SyntaxError, body: &str) -> String {
    let (line, col) = line_col(body, err.span.start);
    let mut h = format!(
        "// code: {}\n// at: {}:{}\n// message: {}\n",
        err.code, line, col, err.message
    );
    if let Some(help) = &err.help {
        h.push_str(&format!("// help: {help}\n"));
    }
    h
}

#[test]
fn valid_corpus_parses() {
    let files = corpus("valid");
    assert!(
        files.len() >= 40,
        "the valid corpus shrank to {}",
        files.len()
    );
    let mut failures = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("read");
        match parse(&text) {
            Ok(q) => {
                assert_eq!(q.dialect, Dialect::Esql);
                assert_eq!(q.statements.len(), 1);
            }
            Err(e) => {
                let (l, c) = line_col(&text, e.span.start);
                failures.push(format!(
                    "{}:{l}:{c}: {} ({})",
                    f.display(),
                    e.message,
                    e.code
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "valid queries failed:\n{}",
        failures.join("\n")
    );
}

#[test]
fn invalid_corpus_fails_as_pinned() {
    let bless = std::env::var_os("ESQL_BLESS").is_some();
    let files = corpus("invalid");
    assert!(
        files.len() >= 40,
        "the invalid corpus shrank to {}",
        files.len()
    );
    let mut failures = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("read");
        // The pinned headers are the leading `// code:` … lines; the query is the
        // whole file (headers are comments), so positions count them too.
        let pinned: String = text
            .lines()
            .take_while(|l| HEADERS.iter().any(|h| l.starts_with(h)))
            .map(|l| format!("{l}\n"))
            .collect();
        let body = &text[pinned.len().min(text.len())..];
        let err = match parse(&text) {
            Ok(_) => {
                failures.push(format!("{}: parsed, but should fail", f.display()));
                continue;
            }
            Err(e) => e,
        };
        assert!(
            err.span.start <= err.span.end && err.span.end <= text.len(),
            "{}: span out of range",
            f.display()
        );
        // Positions in headers are relative to the query below them.
        let shifted = SyntaxError {
            span: Span::new(
                err.span.start - pinned.len().min(err.span.start),
                err.span.end,
            ),
            ..err.clone()
        };
        let actual = headers(&shifted, body);
        if bless {
            std::fs::write(&f, format!("{actual}{body}")).expect("bless");
        } else if actual != pinned {
            failures.push(format!(
                "{}:\n--- pinned\n{pinned}--- actual\n{actual}",
                f.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn seed() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/esql_syntax/valid/seed_001_web_server_error_spike.esql"
    ))
    .expect("seed file")
}

fn tabular(q: &Query) -> &TabularExpr {
    match &q.statements[0] {
        Statement::Tabular(t) => t,
        other => panic!("not tabular: {other:?}"),
    }
}

fn name_of(e: &Expr) -> &str {
    match &e.kind {
        ExprKind::Name(i) => &i.name,
        other => panic!("not a name: {other:?}"),
    }
}

fn call_of(e: &Expr) -> (&str, &[Expr]) {
    match &e.kind {
        ExprKind::Call(c) => (&c.name.name, &c.args),
        other => panic!("not a call: {other:?}"),
    }
}

#[test]
fn seed_rule_lowers_to_the_expected_plan_shape() {
    let text = seed();
    let q = parse(&text).expect("the seed parses verbatim");
    let t = tabular(&q);
    let SourceKind::Table(indexes) = &t.source.kind else {
        panic!("source {:?}", t.source)
    };
    let names: Vec<&str> = indexes.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "logs-nginx.error-*",
            "logs-apache_tomcat.error-*",
            "logs-apache.error-*",
            "logs-iis.error-*"
        ]
    );
    assert_eq!(
        &text[indexes[3].span.start..indexes[3].span.end],
        "logs-iis.error-*"
    );
    assert_eq!(t.operators.len(), 4);

    let OperatorKind::Keep(keep) = &t.operators[0].kind else {
        panic!()
    };
    let kept: Vec<&str> = keep.iter().map(|p| p.pattern.as_str()).collect();
    assert_eq!(
        kept,
        [
            "@timestamp",
            "event.type",
            "event.dataset",
            "source.ip",
            "agent.id",
            "host.name",
            "data_stream.namespace"
        ]
    );

    let OperatorKind::Where(w) = &t.operators[1].kind else {
        panic!()
    };
    let ExprKind::IsNull {
        expr,
        negated: true,
    } = &w.kind
    else {
        panic!("{w:?}")
    };
    assert_eq!(name_of(expr), "source.ip");
    assert_eq!(&text[w.span.start..w.span.end], "source.ip is not null");

    let OperatorKind::Summarize(s) = &t.operators[2].kind else {
        panic!()
    };
    let aggs: Vec<(&str, &str, &str)> = s
        .aggregates
        .iter()
        .map(|a| {
            let (f, args) = call_of(&a.expr);
            (
                a.names[0].name.as_str(),
                f,
                args.first().map_or("", name_of),
            )
        })
        .collect();
    assert_eq!(
        aggs,
        [
            ("Esql.event_count", "count", ""),
            ("Esql.host_name_values", "values", "host.name"),
            ("Esql.agent_id_values", "values", "agent.id"),
            ("Esql.event_dataset_values", "values", "event.dataset"),
            (
                "Esql.data_stream_namespace_values",
                "values",
                "data_stream.namespace"
            ),
        ]
    );
    let by: Vec<&str> = s.by.iter().map(|b| name_of(&b.expr)).collect();
    assert_eq!(by, ["source.ip", "agent.id"]);
    assert!(s.by.iter().all(|b| b.names.is_empty()));

    let OperatorKind::Where(w) = &t.operators[3].kind else {
        panic!()
    };
    let ExprKind::Binary {
        op: BinaryOp::Gt,
        left,
        right,
    } = &w.kind
    else {
        panic!("{w:?}")
    };
    assert_eq!(name_of(left), "Esql.event_count");
    assert_eq!(right.kind, ExprKind::Literal(Literal::Long(50)));
    // Spans never end in white space.
    for op in &t.operators {
        let s = &text[op.span.start..op.span.end];
        assert_eq!(s, s.trim_end(), "operator span has trailing blanks: {s:?}");
    }
}

fn first_op(text: &str) -> OperatorKind {
    let q = parse(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
    tabular(&q).operators[0].kind.clone()
}

fn where_expr(cond: &str) -> Expr {
    match first_op(&format!("FROM t | WHERE {cond}")) {
        OperatorKind::Where(e) => e,
        other => panic!("{other:?}"),
    }
}

#[test]
fn precedence_follows_esql() {
    // OR < AND < NOT < comparison < + - < * / < unary minus < ::
    let e = where_expr("a == 1 OR b == 2 AND NOT c == 3");
    let ExprKind::Binary {
        op: BinaryOp::Or,
        right,
        ..
    } = &e.kind
    else {
        panic!("{e:?}")
    };
    let ExprKind::Binary {
        op: BinaryOp::And,
        right,
        ..
    } = &right.kind
    else {
        panic!()
    };
    let ExprKind::Unary {
        op: UnaryOp::Not,
        expr,
    } = &right.kind
    else {
        panic!()
    };
    assert!(matches!(
        expr.kind,
        ExprKind::Binary {
            op: BinaryOp::Eq,
            ..
        }
    ));

    let e = where_expr("a + b * c > 10");
    let ExprKind::Binary {
        op: BinaryOp::Gt,
        left,
        ..
    } = &e.kind
    else {
        panic!()
    };
    let ExprKind::Binary {
        op: BinaryOp::Add,
        right,
        ..
    } = &left.kind
    else {
        panic!()
    };
    assert!(matches!(
        right.kind,
        ExprKind::Binary {
            op: BinaryOp::Mul,
            ..
        }
    ));

    let e = where_expr("a - b - c == 0");
    let ExprKind::Binary { left, .. } = &e.kind else {
        panic!()
    };
    let ExprKind::Binary {
        op: BinaryOp::Sub,
        left,
        ..
    } = &left.kind
    else {
        panic!()
    };
    assert!(
        matches!(
            left.kind,
            ExprKind::Binary {
                op: BinaryOp::Sub,
                ..
            }
        ),
        "left-associative"
    );

    let e = where_expr("NOT a IS NULL");
    let ExprKind::Unary {
        op: UnaryOp::Not,
        expr,
    } = &e.kind
    else {
        panic!("{e:?}")
    };
    assert!(matches!(expr.kind, ExprKind::IsNull { negated: false, .. }));

    let e = where_expr("a + 1 IN (2, 3)");
    let ExprKind::In {
        expr,
        list,
        negated: false,
        ..
    } = &e.kind
    else {
        panic!("{e:?}")
    };
    assert!(matches!(
        expr.kind,
        ExprKind::Binary {
            op: BinaryOp::Add,
            ..
        }
    ));
    assert_eq!(list.len(), 2);
}

#[test]
fn casts_become_conversion_calls() {
    let e = where_expr("status::long >= 400");
    let ExprKind::Binary { left, .. } = &e.kind else {
        panic!()
    };
    let (f, args) = call_of(left);
    assert_eq!((f, name_of(&args[0])), ("to_long", "status"));
    let e = where_expr("x::keyword == \"a\"");
    let ExprKind::Binary { left, .. } = &e.kind else {
        panic!()
    };
    assert_eq!(call_of(left).0, "to_string");
}

#[test]
fn functions_are_lower_cased_and_count_star_is_star() {
    let OperatorKind::Summarize(s) =
        first_op("FROM t | STATS COUNT(*), Count_Distinct(a), COUNT()")
    else {
        panic!()
    };
    let (f, args) = call_of(&s.aggregates[0].expr);
    assert_eq!((f, &args[0].kind), ("count", &ExprKind::Star));
    assert_eq!(call_of(&s.aggregates[1].expr).0, "count_distinct");
    assert!(call_of(&s.aggregates[2].expr).1.is_empty());
    assert!(s.aggregates.iter().all(|a| a.names.is_empty()));
}

#[test]
fn like_lists_become_or_chains_and_not_like_and_chains() {
    let e = where_expr(r#"p LIKE ("*a", "*b")"#);
    let ExprKind::Binary {
        op: BinaryOp::Or,
        left,
        ..
    } = &e.kind
    else {
        panic!("{e:?}")
    };
    let ExprKind::Binary {
        op: BinaryOp::Str(op),
        ..
    } = &left.kind
    else {
        panic!()
    };
    assert_eq!((op.kind, op.negated), (StrOpKind::Like, false));
    let e = where_expr(r#"p NOT RLIKE ("a.*", "b.*")"#);
    let ExprKind::Binary {
        op: BinaryOp::And,
        left,
        ..
    } = &e.kind
    else {
        panic!("{e:?}")
    };
    let ExprKind::Binary {
        op: BinaryOp::Str(op),
        ..
    } = &left.kind
    else {
        panic!()
    };
    assert_eq!((op.kind, op.negated), (StrOpKind::RLike, true));
}

#[test]
fn sort_leaves_default_order_to_the_planner() {
    let OperatorKind::Sort(keys) =
        first_op("FROM t | SORT a, b DESC, c ASC NULLS FIRST, d NULLS LAST")
    else {
        panic!()
    };
    let got: Vec<_> = keys.iter().map(|k| (k.order, k.nulls)).collect();
    assert_eq!(
        got,
        [
            (None, None),
            (Some(SortOrder::Desc), None),
            (Some(SortOrder::Asc), Some(NullsOrder::First)),
            (None, Some(NullsOrder::Last)),
        ]
    );
}

#[test]
fn commands_lower_to_the_shared_operators() {
    assert!(matches!(
        first_op("FROM t | LIMIT 7"),
        OperatorKind::Take(Expr {
            kind: ExprKind::Literal(Literal::Long(7)),
            ..
        })
    ));
    let OperatorKind::ProjectRename(r) = first_op("FROM t | RENAME a AS b, c = d") else {
        panic!()
    };
    assert_eq!((r[0].old.name.as_str(), r[0].new.name.as_str()), ("a", "b"));
    assert_eq!((r[1].old.name.as_str(), r[1].new.name.as_str()), ("d", "c"));
    let OperatorKind::ProjectAway(d) = first_op("FROM t | DROP a*, `b c`") else {
        panic!()
    };
    assert_eq!(d[1].pattern, "b c");
    let OperatorKind::Extend(e) = first_op("FROM t | EVAL x = 1, y + 1") else {
        panic!()
    };
    assert_eq!((e[0].names.len(), e[1].names.len()), (1, 0));
    let OperatorKind::Dissect {
        pattern,
        append_separator,
        ..
    } = first_op(r#"FROM t | DISSECT m "%{a} %{b}" APPEND_SEPARATOR = "," "#)
    else {
        panic!()
    };
    assert_eq!(
        (pattern.as_str(), append_separator.as_deref()),
        ("%{a} %{b}", Some(","))
    );
    let OperatorKind::Enrich { policy, on, with } =
        first_op("FROM t | ENRICH p ON ip WITH n = name, score")
    else {
        panic!()
    };
    assert_eq!(
        (policy.name.as_str(), on.map(|o| o.name)),
        ("p", Some("ip".to_string()))
    );
    assert_eq!(
        (with[0].new.name.as_str(), with[0].old.name.as_str()),
        ("n", "name")
    );
    assert_eq!(
        (with[1].new.name.as_str(), with[1].old.name.as_str()),
        ("score", "score")
    );
    let OperatorKind::Lookup(l) = first_op("FROM t | LOOKUP JOIN scanners ON source.ip") else {
        panic!()
    };
    assert_eq!(l.kind, Some(JoinKind::LeftOuter));
    assert!(matches!(&l.on[0], JoinCondition::Column(c) if c.name == "source.ip"));
    let OperatorKind::MvExpand(m) = first_op("FROM t | MV_EXPAND related.ip") else {
        panic!()
    };
    assert_eq!(name_of(&m.columns[0].0.expr), "related.ip");
    let OperatorKind::Metadata(m) = first_op("FROM t METADATA _index, _id") else {
        panic!()
    };
    assert_eq!(m.len(), 2);
}

#[test]
fn row_is_a_print_source_and_literals_decode() {
    let q = parse(r#"ROW a = 1, b = "x\ty", c = -5, d = 2 hours, e = 3 months, f = [1, "two"]"#)
        .expect("row");
    let SourceKind::Print(fields) = &tabular(&q).source.kind else {
        panic!()
    };
    let lits: Vec<&ExprKind> = fields.iter().map(|f| &f.expr.kind).collect();
    assert_eq!(lits[0], &ExprKind::Literal(Literal::Long(1)));
    assert_eq!(lits[1], &ExprKind::Literal(Literal::String("x\ty".into())));
    assert_eq!(lits[2], &ExprKind::Literal(Literal::Long(-5)));
    assert_eq!(
        lits[3],
        &ExprKind::Literal(Literal::TimeSpan(2 * 3_600_000_000))
    );
    let (f, args) = call_of(&fields[4].expr);
    assert_eq!(
        (f, &args[0].kind),
        (
            "to_dateperiod",
            &ExprKind::Literal(Literal::String("3 months".into()))
        )
    );
    assert_eq!(
        lits[5],
        &ExprKind::Literal(Literal::Dynamic(serde_json::json!([1, "two"])))
    );
}

#[test]
fn names_keep_dots_and_case_and_unquote_backticks() {
    let e = where_expr("`weird``name`.Sub == Esql.Count");
    let ExprKind::Binary { left, right, .. } = &e.kind else {
        panic!()
    };
    assert_eq!(
        (name_of(left), name_of(right)),
        ("weird`name.Sub", "Esql.Count")
    );
}

fn err(text: &str) -> SyntaxError {
    match parse(text) {
        Ok(q) => panic!("{text:?} parsed: {q:?}"),
        Err(e) => {
            assert!(
                e.span.end <= text.len() && e.span.start <= e.span.end,
                "{text:?}: bad span {:?}",
                e.span
            );
            e
        }
    }
}

/// Runs `f` on a thread with a small stack, as a server or test harness might.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("no panic")
}

#[test]
fn hostile_inputs_error_without_panicking() {
    on_small_stack(|| {
        let deep = format!("ROW x = {}1{}", "(".repeat(100_000), ")".repeat(100_000));
        assert_eq!(err(&deep).code, "esql::too_deep");
        let deep_ok = format!("ROW x = {}1{}", "(".repeat(60), ")".repeat(60));
        parse(&deep_ok).expect("60 levels are fine");
        let calls = format!("ROW x = {}1{}", "abs(".repeat(64), ")".repeat(64));
        parse(&calls).expect("64 nested calls are fine");
        let nots = format!("FROM t | WHERE {}a", "NOT ".repeat(100_000));
        assert_eq!(err(&nots).code, "esql::too_deep");
        let negs = format!("ROW x = {}1", "- ".repeat(100_000));
        assert_eq!(err(&negs).code, "esql::too_deep");
        let chain = format!("ROW x = 1{}", " + 1".repeat(100_000));
        assert_eq!(err(&chain).code, "esql::too_deep");
        let brackets = format!("ROW x = {}", "[".repeat(1 << 20));
        assert_eq!(err(&brackets).code, "esql::too_deep");
    });
    assert_eq!(err("FROM t | WHERE a == \"x\0y").code, "esql::unterminated");
    assert_eq!(err("FROM t\0 | LIMIT 1").code, "esql::nul_byte");
    assert_eq!(err("\0\0\0").code, "esql::nul_byte");
    assert_eq!(
        err("ROW x = 99999999999999999999999999999999999999e999").code,
        "esql::number_too_large"
    );
    assert_eq!(
        err("FROM t | LIMIT 99999999999999999999").code,
        "esql::number_too_large"
    );
    assert_eq!(err("").code, "esql::empty");
    assert_eq!(err("   \n ").code, "esql::empty");
    assert_eq!(err("FROM t | WHERE \"é").code, "esql::unterminated");
    // Multi-byte text right at the failure point keeps spans on char boundaries.
    let e = err("FROM t | WHERE é");
    assert!("FROM t | WHERE é".is_char_boundary(e.span.start));
    let e = err("FROM t | WHERE a == 1 ééé");
    assert!("FROM t | WHERE a == 1 ééé".is_char_boundary(e.span.end));
    // Big numbers that fit a double become doubles, as in ES|QL.
    let q = parse("ROW x = 18446744073709551616").expect("double");
    let SourceKind::Print(f) = &tabular(&q).source.kind else {
        panic!()
    };
    assert_eq!(
        f[0].expr.kind,
        ExprKind::Literal(Literal::Real(18446744073709551616.0))
    );
}

#[test]
fn every_prefix_of_the_seed_fails_cleanly_or_parses() {
    // Cutting the seed anywhere must give an error with a sane span, never a panic.
    let text = seed();
    for (i, _) in text.char_indices() {
        let cut = &text[..i];
        if let Err(e) = parse(cut) {
            assert!(
                e.span.start <= e.span.end && e.span.end <= cut.len(),
                "cut at {i}: {e:?}"
            );
            assert!(!e.message.is_empty());
        }
    }
}

#[test]
fn every_esql_block_in_the_docs_parses() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/esql.md");
    let doc = std::fs::read_to_string(&path).expect("docs/esql.md");
    let mut blocks = 0;
    for (i, chunk) in doc.split("```esql\n").enumerate().skip(1) {
        let block = chunk.split("```").next().unwrap_or_default();
        blocks += 1;
        if let Err(e) = parse(block) {
            panic!(
                "docs/esql.md block {i} does not parse: {} ({})\n{block}",
                e.message, e.code
            );
        }
    }
    assert!(blocks >= 2, "docs/esql.md lost its examples");
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    /// Fragments of ES|QL, KQL and junk, glued at random: most combinations are
    /// invalid, which is the point.
    const PIECES: &[&str] = &[
        "FROM ",
        "ROW ",
        "| ",
        "WHERE ",
        "EVAL ",
        "STATS ",
        " BY ",
        "KEEP ",
        "DROP ",
        "SORT ",
        "LIMIT ",
        "RENAME ",
        " AS ",
        "DISSECT ",
        "GROK ",
        "MV_EXPAND ",
        "ENRICH ",
        "LOOKUP JOIN ",
        " ON ",
        " WITH ",
        "METADATA ",
        "logs-iis.*",
        "source.ip",
        "@timestamp",
        "`a``b`",
        "Esql.x",
        "count(*)",
        "values(",
        "(",
        ")",
        "[",
        "]",
        ",",
        "=",
        "==",
        "!=",
        "<",
        ">=",
        "=~",
        "+",
        "-",
        "*",
        "/",
        "%",
        "::",
        "long",
        " AND ",
        " OR ",
        " NOT ",
        " IN ",
        " LIKE ",
        " RLIKE ",
        " IS NULL",
        " IS NOT NULL",
        "\"str\"",
        "\"",
        "\"\"\"",
        "'",
        "`",
        "1",
        "2.5",
        "1e999",
        "99999999999999999999",
        " 1 hour",
        " 3 months",
        "null",
        "true",
        "?",
        "//c\n",
        "/*",
        "*/",
        "\n",
        "\0",
        "é",
        "summarize ",
        " has ",
        "!contains ",
        "SELECT ",
        "&&",
        "||",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn parse_never_panics_and_spans_are_sane(picks in proptest::collection::vec(0..PIECES.len(), 0..40)) {
            let text: String = picks.iter().map(|&i| PIECES[i]).collect();
            match parse(&text) {
                Ok(q) => prop_assert_eq!(q.dialect, Dialect::Esql),
                Err(e) => {
                    prop_assert!(e.span.start <= e.span.end && e.span.end <= text.len(), "{:?} on {:?}", e.span, text);
                    prop_assert!(text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end));
                    prop_assert!(!e.message.is_empty() && !e.code.is_empty());
                    prop_assert!(e.code != "esql::internal", "internal error on {:?}: {}", text, e.message);
                }
            }
        }

        #[test]
        fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
            let _ = parse(&text);
        }
    }
}

#[test]
fn dialect_sniffing_reads_the_first_keyword() {
    use iishunt_syntax::esql::looks_like_esql;
    assert!(looks_like_esql("FROM logs-iis.access-*"));
    assert!(looks_like_esql("  /* c */ // d\n row a = 1"));
    assert!(looks_like_esql(&seed()));
    assert!(!looks_like_esql("W3CIISLog | where scStatus == \"404\""));
    assert!(!looks_like_esql("let x = 1; W3CIISLog"));
    assert!(!looks_like_esql("fromage | take 1"));
    assert!(!looks_like_esql("/* never closed from"));
    assert!(!looks_like_esql(""));
}
