//! What the KQL parser builds: precedence, literal decoding, statement and
//! operator shapes, and the two Sentinel seed rules in detail.

use iishunt_syntax::ast::*;
use iishunt_syntax::kql;
use iishunt_syntax::print::expr_to_kql;

fn query(text: &str) -> Query {
    kql::parse(text).unwrap_or_else(|e| panic!("{text}: {} at {:?}", e.message, e.span))
}

fn tabular(text: &str) -> TabularExpr {
    match query(text).statements.pop() {
        Some(Statement::Tabular(t)) => t,
        other => panic!("not tabular: {other:?}"),
    }
}

/// The expression of `print e`.
fn expr(text: &str) -> Expr {
    let t = tabular(&format!("print {text}"));
    match t.source.kind {
        SourceKind::Print(mut items) => items.remove(0).expr,
        other => panic!("{other:?}"),
    }
}

fn lit(text: &str) -> Literal {
    match expr(text).kind {
        ExprKind::Literal(l) => l,
        other => panic!("{text}: not a literal: {other:?}"),
    }
}

/// Fully parenthesised rendering to check precedence.
fn shape(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Binary { op, left, right } => {
            format!("({} {:?} {})", shape(left), op, shape(right))
        }
        ExprKind::Unary { op, expr } => format!("({op:?} {})", shape(expr)),
        ExprKind::In { expr, negated, .. } => {
            format!("({} in{})", shape(expr), if *negated { "!" } else { "" })
        }
        ExprKind::Between { expr, .. } => format!("({} between)", shape(expr)),
        ExprKind::Index { expr, index } => format!("{}[{}]", shape(expr), shape(index)),
        ExprKind::Member { expr, name } => format!("{}.{}", shape(expr), name.name),
        _ => expr_to_kql(e),
    }
}

#[test]
fn precedence_follows_kusto() {
    let cases = [
        ("a or b and c", "(a Or (b And c))"),
        ("a and b or c", "((a And b) Or c)"),
        ("a == 1 and b != 2", "((a Eq 1) And (b NotEq 2))"),
        ("a + b * c", "(a Add (b Mul c))"),
        ("a - b - c", "((a Sub b) Sub c)"),
        ("a * b % c", "((a Mul b) Mod c)"),
        ("a + b == c * d", "((a Add b) Eq (c Mul d))"),
        ("-a * b", "((Neg a) Mul b)"),
        ("-a[0]", "(Neg a[0])"),
        ("a.b.c", "a.b.c"),
        ("a + b in (1, 2)", "((a Add b) in)"),
        ("a in (1) and b !in (2)", "((a in) And (b in!))"),
        ("x between (1 .. 2) or y", "((x between) Or y)"),
        ("(a or b) and c", "((a Or b) And c)"),
        ("s has \"x\" and t contains \"y\"", "((s Str(StrOp { kind: Has, negated: false, case_sensitive: false }) \"x\") And (t Str(StrOp { kind: Contains, negated: false, case_sensitive: false }) \"y\"))"),
        ("DomainIndex != -1", "(DomainIndex NotEq -1)"),
        ("DomainIndex + 1", "(DomainIndex Add 1)"),
        ("a-1", "(a Sub 1)"),
    ];
    for (text, want) in cases {
        assert_eq!(shape(&expr(text)), want, "{text}");
    }
}

#[test]
fn not_is_a_unary_operator() {
    assert!(matches!(
        expr("not(a)").kind,
        ExprKind::Unary {
            op: UnaryOp::Not,
            ..
        }
    ));
}

#[test]
fn numbers_decode() {
    assert_eq!(lit("42"), Literal::Long(42));
    assert_eq!(lit("-42"), Literal::Long(-42));
    assert_eq!(lit("0x1F"), Literal::Long(31));
    assert_eq!(lit("1.5"), Literal::Real(1.5));
    assert_eq!(lit("1e3"), Literal::Real(1000.0));
    assert_eq!(lit("-2.5"), Literal::Real(-2.5));
    assert_eq!(lit("int(7)"), Literal::Int(7));
    assert_eq!(lit("int(-7)"), Literal::Int(-7));
    assert_eq!(lit("long(5)"), Literal::Long(5));
    assert_eq!(lit("real(2)"), Literal::Real(2.0));
    assert_eq!(lit("true"), Literal::Bool(true));
    assert_eq!(lit("bool(false)"), Literal::Bool(false));
    assert!(matches!(lit("real(nan)"), Literal::Real(v) if v.is_nan()));
    assert_eq!(lit("real(-inf)"), Literal::Real(f64::NEG_INFINITY));
    // A parenthesised number keeps its negation as an operator.
    assert!(matches!(
        expr("-(1)").kind,
        ExprKind::Unary {
            op: UnaryOp::Neg,
            ..
        }
    ));
}

#[test]
fn typed_nulls() {
    assert_eq!(lit("long(null)"), Literal::Null(Some(TypeName::Long)));
    assert_eq!(lit("string(null)"), Literal::Null(Some(TypeName::String)));
    assert_eq!(
        lit("datetime(null)"),
        Literal::Null(Some(TypeName::DateTime))
    );
    assert_eq!(
        lit("timespan(null)"),
        Literal::Null(Some(TypeName::TimeSpan))
    );
    assert_eq!(
        lit("dynamic(null)"),
        Literal::Dynamic(serde_json::Value::Null)
    );
}

#[test]
fn timespans_decode_to_microseconds() {
    const S: i64 = 1_000_000;
    let cases = [
        ("10m", 600 * S),
        ("1d", 86_400 * S),
        ("1.5h", 5_400 * S),
        ("100ms", 100_000),
        ("30s", 30 * S),
        ("2days", 2 * 86_400 * S),
        ("5min", 300 * S),
        ("10microsecond", 10),
        ("10tick", 1),
        ("-1d", -86_400 * S),
        ("time(1:00:00)", 3_600 * S),
        (
            "timespan(1.02:03:04)",
            86_400 * S + 2 * 3600 * S + 3 * 60 * S + 4 * S,
        ),
        ("time(0:00:01.5)", 1_500_000),
        ("timespan(2d)", 2 * 86_400 * S),
        ("time(1)", 86_400 * S),
    ];
    for (text, want) in cases {
        assert_eq!(lit(text), Literal::TimeSpan(want), "{text}");
    }
}

#[test]
fn datetimes_decode_to_microseconds() {
    let day = 1_772_928_000_000_000i64; // 2026-03-08T00:00:00Z
    let cases = [
        ("datetime(2026-03-08)", day),
        (
            "datetime(2026-03-08 16:05:12)",
            day + (16 * 3600 + 5 * 60 + 12) * 1_000_000,
        ),
        (
            "datetime(2026-03-08T16:05:12Z)",
            day + (16 * 3600 + 5 * 60 + 12) * 1_000_000,
        ),
        (
            "datetime(2026-03-08T16:05:12.5Z)",
            day + (16 * 3600 + 5 * 60 + 12) * 1_000_000 + 500_000,
        ),
        (
            "datetime(2026-03-08 16:05)",
            day + (16 * 3600 + 5 * 60) * 1_000_000,
        ),
        ("datetime(2026-03-08T01:00:00+01:00)", day),
    ];
    for (text, want) in cases {
        assert_eq!(lit(text), Literal::DateTime(want), "{text}");
    }
}

#[test]
fn strings_decode() {
    let cases = [
        (r#""a\"b""#, "a\"b"),
        (r"'it\'s'", "it's"),
        (r#""tab\there""#, "tab\there"),
        (r#"@"C:\inetpub\logs""#, r"C:\inetpub\logs"),
        (r#"@"say ""hi""""#, r#"say "hi""#),
        ("```line1\nline2```", "line1\nline2"),
        (r#"h"secret""#, "secret"),
        (r#""a" "b" 'c'"#, "abc"),
        (r#""\u00e9""#, "é"),
    ];
    for (text, want) in cases {
        assert_eq!(lit(text), Literal::String(want.to_string()), "{text}");
    }
}

#[test]
fn dynamic_literals() {
    assert_eq!(
        lit("dynamic([1, \"a\", true, null])"),
        Literal::Dynamic(serde_json::json!([1, "a", true, null]))
    );
    assert_eq!(
        lit("dynamic({\"k\": [1.5, -2], 'q': {}})"),
        Literal::Dynamic(serde_json::json!({"k": [1.5, -2], "q": {}}))
    );
}

#[test]
fn guid_literal() {
    assert_eq!(
        lit("guid(74BE27DE-1e4e-49d9-b579-fe0b331d3642)"),
        Literal::Guid("74be27de-1e4e-49d9-b579-fe0b331d3642".to_string())
    );
}

#[test]
fn in_between_has_any_shapes() {
    match expr("scStatus !in~ (\"a\", \"b\")").kind {
        ExprKind::In {
            list,
            negated,
            case_insensitive,
            ..
        } => {
            assert_eq!(list.len(), 2);
            assert!(negated && case_insensitive);
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        expr("x has_all (1, 2)").kind,
        ExprKind::HasAny { all: true, .. }
    ));
    assert!(matches!(
        expr("x !between (1 .. 2)").kind,
        ExprKind::Between { negated: true, .. }
    ));
    assert!(matches!(
        expr("x matches regex \"a+\"").kind,
        ExprKind::Binary {
            op: BinaryOp::Str(StrOp {
                kind: StrOpKind::MatchesRegex,
                ..
            }),
            ..
        }
    ));
    assert!(matches!(
        expr("x !startswith_cs \"a\"").kind,
        ExprKind::Binary {
            op: BinaryOp::Str(StrOp {
                kind: StrOpKind::StartsWith,
                negated: true,
                case_sensitive: true
            }),
            ..
        }
    ));
}

#[test]
fn let_statement_kinds() {
    let q = query(
        "let a = 10m; let b = ago(1d); let T = W3CIISLog | take 1; let U = W3CIISLog; \
         let f = (x:string, n:long = 5, T:(*), U:(c:string)) { T | take n }; \
         let g = (x:long) { let y = x; y * 2 }; T",
    );
    let lets: Vec<&LetStatement> = q
        .statements
        .iter()
        .filter_map(|s| match s {
            Statement::Let(l) => Some(l),
            _ => None,
        })
        .collect();
    assert!(matches!(
        lets[0].value,
        LetValue::Scalar(Expr {
            kind: ExprKind::Literal(Literal::TimeSpan(600_000_000)),
            ..
        })
    ));
    assert!(
        matches!(&lets[1].value, LetValue::Scalar(Expr { kind: ExprKind::Call(c), .. }) if c.name.name == "ago")
    );
    assert!(matches!(&lets[2].value, LetValue::Tabular(t) if t.operators.len() == 1));
    // A bare name is a scalar Name: the planner decides whether it is a table.
    assert!(
        matches!(&lets[3].value, LetValue::Scalar(Expr { kind: ExprKind::Name(n), .. }) if n.name == "W3CIISLog")
    );
    match &lets[4].value {
        LetValue::Function(f) => {
            assert_eq!(f.params.len(), 4);
            assert_eq!(f.params[0].ty, ParamType::Scalar(TypeName::String));
            assert!(f.params[1].default.is_some());
            assert_eq!(f.params[2].ty, ParamType::Tabular(vec![]));
            assert!(matches!(&f.params[3].ty, ParamType::Tabular(c) if c.len() == 1));
            assert_eq!(f.body.len(), 1);
            assert!(f.scalar_result.is_none());
        }
        other => panic!("{other:?}"),
    }
    match &lets[5].value {
        LetValue::Function(f) => {
            assert_eq!(f.body.len(), 1);
            assert!(f.scalar_result.is_some());
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn join_conditions() {
    let t = tabular("W3CIISLog | join kind=leftanti hint.strategy=shuffle (T | take 1) on cIP, $right.b == $left.a");
    match &t.operators[0].kind {
        OperatorKind::Join(j) => {
            assert_eq!(j.kind, Some(JoinKind::LeftAnti));
            assert_eq!(j.hints.len(), 1);
            assert_eq!(j.right.operators.len(), 1);
            assert!(matches!(&j.on[0], JoinCondition::Column(c) if c.name == "cIP"));
            assert!(
                matches!(&j.on[1], JoinCondition::Equal { left, right, .. } if left.name == "a" && right.name == "b")
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn sort_keys_keep_what_was_written() {
    let t = tabular("T | order by a, b asc nulls first | top 5 by c desc");
    match &t.operators[0].kind {
        OperatorKind::Sort(keys) => {
            assert_eq!((keys[0].order, keys[0].nulls), (None, None));
            assert_eq!(
                (keys[1].order, keys[1].nulls),
                (Some(SortOrder::Asc), Some(NullsOrder::First))
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(
        matches!(&t.operators[1].kind, OperatorKind::Top { by, .. } if by[0].order == Some(SortOrder::Desc))
    );
}

#[test]
fn parse_operator_pattern() {
    let t = tabular("T | parse kind=regex flags=U csUriQuery with * \"id=\" id:long \"&\" rest");
    match &t.operators[0].kind {
        OperatorKind::Parse(p) => {
            assert_eq!(p.kind, ParseKind::Regex);
            assert_eq!(p.flags.as_deref(), Some("U"));
            assert_eq!(p.pattern.len(), 5);
            assert_eq!(p.pattern[0], ParsePart::Wildcard);
            assert_eq!(p.pattern[1], ParsePart::Literal("id=".into()));
            assert!(
                matches!(&p.pattern[2], ParsePart::Column(c, Some(TypeName::Long)) if c.name == "id")
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn spans_point_at_the_text() {
    let text = "W3CIISLog | where scStatus == \"404\"";
    let t = tabular(text);
    let op = &t.operators[0];
    assert_eq!(
        &text[op.span.start..op.span.end],
        "where scStatus == \"404\""
    );
    if let OperatorKind::Where(e) = &op.kind {
        assert_eq!(&text[e.span.start..e.span.end], "scStatus == \"404\"");
        if let ExprKind::Binary { right, .. } = &e.kind {
            assert_eq!(&text[right.span.start..right.span.end], "\"404\"");
        }
    }
}

fn seed(name: &str) -> String {
    let corpus = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/syntax/valid/00_sentinel_seeds.kql"
    ))
    .expect("seed corpus");
    let start = corpus.find(name).expect("seed marker");
    let rest = &corpus[start..];
    let rest = &rest[rest.find('\n').map_or(0, |i| i + 1)..];
    let end = rest.find("// =====").unwrap_or(rest.len());
    rest[..end].to_string()
}

fn calls<'a>(e: &'a Expr, out: &mut Vec<&'a Call>) {
    match &e.kind {
        ExprKind::Call(c) => {
            out.push(c);
            c.args.iter().for_each(|a| calls(a, out));
        }
        ExprKind::Binary { left, right, .. } => {
            calls(left, out);
            calls(right, out);
        }
        ExprKind::Index { expr, index } => {
            calls(expr, out);
            calls(index, out);
        }
        ExprKind::Unary { expr, .. } => calls(expr, out),
        _ => {}
    }
}

#[test]
fn seed_002_parses_as_written() {
    let q = query(&seed("(seed 002)"));
    assert_eq!(q.statements.len(), 3);
    let Statement::Tabular(t) = &q.statements[2] else {
        panic!("tabular last")
    };
    let kinds: Vec<&str> = t
        .operators
        .iter()
        .map(|o| match o.kind {
            OperatorKind::Extend(_) => "extend",
            OperatorKind::Summarize(_) => "summarize",
            OperatorKind::Where(_) => "where",
            OperatorKind::Project(_) => "project",
            OperatorKind::Sort(_) => "order",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "extend",
            "extend",
            "extend",
            "extend",
            "extend",
            "summarize",
            "extend",
            "where",
            "project",
            "order"
        ]
    );
    // The win32 `case` has 13 condition/value pairs and a default.
    let OperatorKind::Extend(items) = &t.operators[3].kind else {
        panic!()
    };
    let ExprKind::Call(case) = &items[0].expr.kind else {
        panic!()
    };
    assert_eq!((case.name.name.as_str(), case.args.len()), ("case", 27));
    // tohex(tolong(...))
    let OperatorKind::Extend(items) = &t.operators[2].kind else {
        panic!()
    };
    let mut found = Vec::new();
    calls(&items[0].expr, &mut found);
    assert_eq!(
        found
            .iter()
            .map(|c| c.name.name.as_str())
            .collect::<Vec<_>>(),
        ["tohex", "tolong"]
    );
    // The duplicate makeset(sPort) survives parsing; naming is the planner's job.
    let OperatorKind::Summarize(s) = &t.operators[5].kind else {
        panic!()
    };
    assert_eq!(s.aggregates.len(), 13);
    assert_eq!(s.by.len(), 4);
    let (mut first, mut dup) = (s.aggregates[0].expr.clone(), s.aggregates[4].expr.clone());
    iishunt_syntax::spans::expr(&mut first);
    iishunt_syntax::spans::expr(&mut dup);
    assert_eq!(first, dup);
    assert!(matches!(&s.aggregates[12].names[..], [n] if n.name == "ConnectionsCount"));
}

#[test]
fn seed_003_parses_as_written() {
    let q = query(&seed("(seed 003)"));
    let Statement::Tabular(t) = &q.statements[2] else {
        panic!("tabular last")
    };
    let OperatorKind::Where(w) = &t.operators[0].kind else {
        panic!()
    };
    assert!(matches!(&w.kind, ExprKind::In { list, negated: false, .. } if list.len() == 2));
    // split(Computer, ".")[0] and DomainIndex != -1
    let last = t.operators.len() - 1;
    let OperatorKind::Extend(items) = &t.operators[last - 1].kind else {
        panic!()
    };
    let ExprKind::Call(tostring) = &items[0].expr.kind else {
        panic!()
    };
    assert!(
        matches!(&tostring.args[0].kind, ExprKind::Index { index, .. } if index.kind == ExprKind::Literal(Literal::Long(0)))
    );
    let OperatorKind::Extend(items) = &t.operators[last].kind else {
        panic!()
    };
    let ExprKind::Call(iff) = &items[0].expr.kind else {
        panic!()
    };
    assert!(
        matches!(&iff.args[0].kind, ExprKind::Binary { op: BinaryOp::NotEq, right, .. } if right.kind == ExprKind::Literal(Literal::Long(-1)))
    );
}

#[test]
fn capitalised_bools_are_literals() {
    assert_eq!(lit("False"), Literal::Bool(false));
    assert_eq!(lit("TRUE"), Literal::Bool(true));
}

#[test]
fn function_bodies_are_tabular_only_when_they_pipe() {
    let q = query("let f = (a:string, b:string) { strcat(a, b) }; let g = () { W3CIISLog | take 1 }; let h = () { T }; T");
    let bodies: Vec<(usize, bool)> = q
        .statements
        .iter()
        .filter_map(|s| match s {
            Statement::Let(LetStatement {
                value: LetValue::Function(f),
                ..
            }) => Some((f.body.len(), f.scalar_result.is_some())),
            _ => None,
        })
        .collect();
    assert_eq!(bodies, [(0, true), (1, false), (0, true)]);
}

#[test]
fn reserved_words_need_brackets_and_print_with_them() {
    for w in kql::RESERVED {
        assert!(
            kql::parse(&format!("T | project-rename x = {w}")).is_err(),
            "`{w}` parsed as a plain name"
        );
        let t = tabular(&format!("T | project ['{w}']"));
        let OperatorKind::Project(items) = &t.operators[0].kind else {
            panic!()
        };
        assert!(matches!(&items[0].expr.kind, ExprKind::Name(n) if n.name == *w));
        let printed = iishunt_syntax::print::to_kql(&query(&format!("T | project ['{w}']")));
        assert!(printed.contains(&format!("['{w}']")), "{printed}");
    }
}

#[test]
fn reserved_list_matches_the_grammar_keyword_rule() {
    let grammar = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../grammar/kql.pest"
    ))
    .expect("grammar/kql.pest");
    let start = grammar.find("\nkeyword = @{").expect("keyword rule");
    let body = &grammar[start..start + grammar[start..].find('}').expect("end of keyword rule")];
    let mut in_grammar: Vec<&str> = body.split('"').skip(1).step_by(2).collect();
    let mut listed: Vec<&str> = kql::RESERVED.to_vec();
    in_grammar.sort_unstable();
    listed.sort_unstable();
    assert_eq!(in_grammar, listed);
}

#[test]
fn the_smallest_long_round_trips() {
    let q = query("print 0x8000000000000000");
    let printed = iishunt_syntax::print::to_kql(&q);
    assert_eq!(printed, "print 0x8000000000000000");
    assert_eq!(lit("0x8000000000000000"), Literal::Long(i64::MIN));
}

#[test]
fn make_series_in_range_is_from_to_step() {
    let a = query("T | make-series count() on t in range(ago(1d), now(), 1h)");
    let b = query("T | make-series count() on t from ago(1d) to now() step 1h");
    assert_eq!(
        iishunt_syntax::spans::without_spans(&a),
        iishunt_syntax::spans::without_spans(&b)
    );
}
