//! Property: for any AST the KQL parser can produce, printing it with
//! `print::to_kql` and parsing the text again gives the same AST (spans
//! aside). The generators below only build canonical ASTs — forms the parser
//! itself yields (e.g. `-1` is `Long(-1)`, never `Neg(Long(1))` unless the
//! printer can parenthesise it; no `Null(Some(Dynamic))`, which reads back as
//! `Dynamic(null)`).

use iishunt_syntax::ast::*;
use iishunt_syntax::kql;
use iishunt_syntax::print::to_kql;
use iishunt_syntax::spans::without_spans;
use proptest::prelude::*;

fn sp() -> Span {
    Span::default()
}

fn ident_text() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => "[a-zA-Z_][a-zA-Z0-9_]{0,8}",
        1 => Just("by".to_string()),
        1 => Just("has".to_string()),
        1 => Just("kind".to_string()),
        1 => "[a-z ]{1,6}[-.'\\\\\"]?[a-z]{0,3}",
    ]
}

fn ident() -> impl Strategy<Value = Ident> {
    ident_text().prop_map(|n| Ident::new(n, sp()))
}

fn type_name() -> impl Strategy<Value = TypeName> {
    prop_oneof![
        Just(TypeName::Bool),
        Just(TypeName::Int),
        Just(TypeName::Long),
        Just(TypeName::Real),
        Just(TypeName::Decimal),
        Just(TypeName::String),
        Just(TypeName::DateTime),
        Just(TypeName::TimeSpan),
        Just(TypeName::Dynamic),
        Just(TypeName::Guid),
    ]
}

fn json() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-1e6f64..1e6).prop_map(Value::from),
        "[ -~]{0,6}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 12, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z]{1,4}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn literal() -> impl Strategy<Value = Literal> {
    prop_oneof![
        Just(Literal::Null(None)),
        type_name()
            .prop_filter("dynamic(null) reads back as Dynamic", |t| *t
                != TypeName::Dynamic)
            .prop_map(|t| Literal::Null(Some(t))),
        any::<bool>().prop_map(Literal::Bool),
        any::<i64>().prop_map(Literal::Long),
        any::<i32>().prop_map(Literal::Int),
        prop_oneof![
            any::<f64>().prop_filter("NaN is never equal", |v| !v.is_nan()),
            Just(f64::INFINITY),
            -1e9f64..1e9
        ]
        .prop_map(Literal::Real),
        "\\PC{0,12}".prop_map(Literal::String),
        "[\\x00-\\x1f\"'\\\\]{0,4}".prop_map(Literal::String),
        // Years 1..9999
        (-62_135_596_800_000_000i64..253_402_300_799_000_000).prop_map(Literal::DateTime),
        (-86_400_000_000i64..86_400_000_000).prop_map(|d| Literal::DateTime(d * 20_000)),
        (i64::MIN + 1..=i64::MAX).prop_map(Literal::TimeSpan),
        (-1000i64..1000).prop_map(|m| Literal::TimeSpan(m * 60_000_000)),
        "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}".prop_map(Literal::Guid),
        json().prop_map(Literal::Dynamic),
    ]
}

fn str_op() -> impl Strategy<Value = StrOp> {
    prop_oneof![
        (
            prop_oneof![
                Just(StrOpKind::Has),
                Just(StrOpKind::Contains),
                Just(StrOpKind::StartsWith),
                Just(StrOpKind::EndsWith),
                Just(StrOpKind::HasPrefix),
                Just(StrOpKind::HasSuffix),
            ],
            any::<bool>(),
            any::<bool>()
        )
            .prop_map(|(kind, negated, case_sensitive)| StrOp {
                kind,
                negated,
                case_sensitive
            }),
        Just(StrOp {
            kind: StrOpKind::MatchesRegex,
            negated: false,
            case_sensitive: true
        }),
    ]
}

fn binary_op() -> impl Strategy<Value = BinaryOp> {
    prop_oneof![
        Just(BinaryOp::Or),
        Just(BinaryOp::And),
        Just(BinaryOp::Eq),
        Just(BinaryOp::NotEq),
        Just(BinaryOp::Lt),
        Just(BinaryOp::Le),
        Just(BinaryOp::Gt),
        Just(BinaryOp::Ge),
        Just(BinaryOp::EqCi),
        Just(BinaryOp::NotEqCi),
        Just(BinaryOp::Add),
        Just(BinaryOp::Sub),
        Just(BinaryOp::Mul),
        Just(BinaryOp::Div),
        Just(BinaryOp::Mod),
        str_op().prop_map(BinaryOp::Str),
    ]
}

fn e(kind: ExprKind) -> Expr {
    Expr::new(kind, sp())
}

fn expr() -> impl Strategy<Value = Expr> {
    let leaf = prop_oneof![
        3 => literal().prop_map(|l| e(ExprKind::Literal(l))),
        3 => ident().prop_map(|i| e(ExprKind::Name(i))),
        1 => Just(e(ExprKind::JoinSide(JoinSide::Left))),
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            (binary_op(), inner.clone(), inner.clone()).prop_map(|(op, l, r)| e(
                ExprKind::Binary {
                    op,
                    left: Box::new(l),
                    right: Box::new(r)
                }
            )),
            (
                prop_oneof![Just(UnaryOp::Neg), Just(UnaryOp::Plus), Just(UnaryOp::Not)],
                inner.clone()
            )
                .prop_map(|(op, x)| e(ExprKind::Unary {
                    op,
                    expr: Box::new(x)
                })),
            (
                inner.clone(),
                prop::collection::vec(inner.clone(), 0..3),
                any::<bool>(),
                any::<bool>()
            )
                .prop_map(|(x, list, negated, case_insensitive)| e(ExprKind::In {
                    expr: Box::new(x),
                    list,
                    negated,
                    case_insensitive
                })),
            (
                inner.clone(),
                prop::collection::vec(inner.clone(), 0..3),
                any::<bool>()
            )
                .prop_map(|(x, list, all)| e(ExprKind::HasAny {
                    expr: Box::new(x),
                    list,
                    all
                })),
            (inner.clone(), inner.clone(), inner.clone(), any::<bool>()).prop_map(
                |(x, l, h, negated)| e(ExprKind::Between {
                    expr: Box::new(x),
                    low: Box::new(l),
                    high: Box::new(h),
                    negated
                })
            ),
            (
                "[a-z][a-z0-9_]{0,6}",
                prop::collection::vec(inner.clone(), 0..3)
            )
                .prop_filter("not(x) is a unary operator", |(n, args)| !(n == "not"
                    && args.len() == 1))
                .prop_filter("typed literal spellings", |(n, _)| TypeName::parse(n)
                    .is_none()
                    && !matches!(
                        n.as_str(),
                        "and"
                            | "or"
                            | "by"
                            | "on"
                            | "in"
                            | "has"
                            | "with"
                            | "let"
                            | "true"
                            | "false"
                            | "null"
                            | "nulls"
                            | "asc"
                            | "desc"
                            | "between"
                            | "contains"
                            | "matches"
                            | "startswith"
                            | "endswith"
                            | "hasprefix"
                            | "hassuffix"
                    ))
                .prop_map(|(n, args)| e(ExprKind::Call(Call {
                    name: Ident::new(n, sp()),
                    args,
                    span: sp()
                }))),
            (inner.clone(), inner.clone()).prop_map(|(x, i)| e(ExprKind::Index {
                expr: Box::new(x),
                index: Box::new(i)
            })),
            (inner, ident()).prop_map(|(x, name)| e(ExprKind::Member {
                expr: Box::new(x),
                name
            })),
        ]
    })
}

fn named() -> impl Strategy<Value = NamedExpr> {
    (prop::collection::vec(ident(), 0..3), expr()).prop_map(|(names, expr)| NamedExpr {
        names,
        expr,
        span: sp(),
    })
}

fn pattern() -> impl Strategy<Value = ColumnPattern> {
    prop_oneof!["[a-z_][a-z0-9_]{0,5}\\*?", "[a-z ]{1,5}"].prop_map(|pattern| ColumnPattern {
        pattern,
        span: sp(),
    })
}

fn sort_key() -> impl Strategy<Value = SortKey> {
    (
        expr(),
        prop::option::of(prop_oneof![Just(SortOrder::Asc), Just(SortOrder::Desc)]),
        prop::option::of(prop_oneof![Just(NullsOrder::First), Just(NullsOrder::Last)]),
    )
        .prop_map(|(expr, order, nulls)| SortKey {
            expr,
            order,
            nulls,
            span: sp(),
        })
}

fn table(name: String) -> TabularExpr {
    let id = Ident::new(name, sp());
    TabularExpr {
        source: Source {
            kind: SourceKind::Table(vec![id]),
            span: sp(),
        },
        operators: vec![],
        span: sp(),
    }
}

fn join_kind() -> impl Strategy<Value = Option<JoinKind>> {
    prop::option::of(prop_oneof![
        Just(JoinKind::Inner),
        Just(JoinKind::InnerUnique),
        Just(JoinKind::LeftOuter),
        Just(JoinKind::RightOuter),
        Just(JoinKind::FullOuter),
        Just(JoinKind::LeftAnti),
        Just(JoinKind::RightAnti),
        Just(JoinKind::LeftSemi),
        Just(JoinKind::RightSemi),
    ])
}

fn join_condition() -> impl Strategy<Value = JoinCondition> {
    prop_oneof![
        ident().prop_map(JoinCondition::Column),
        (ident(), ident()).prop_map(|(left, right)| JoinCondition::Equal {
            left,
            right,
            span: sp()
        }),
    ]
}

fn parse_part() -> impl Strategy<Value = ParsePart> {
    prop_oneof![
        "[ -~]{1,5}".prop_map(ParsePart::Literal),
        Just(ParsePart::Wildcard),
        (ident(), prop::option::of(type_name())).prop_map(|(n, t)| ParsePart::Column(n, t)),
    ]
}

fn operator() -> impl Strategy<Value = Operator> {
    let kind = prop_oneof![
        expr().prop_map(OperatorKind::Where),
        prop::collection::vec(named(), 1..3).prop_map(OperatorKind::Extend),
        prop::collection::vec(named(), 1..3).prop_map(OperatorKind::Project),
        prop::collection::vec(pattern(), 1..3).prop_map(OperatorKind::ProjectAway),
        prop::collection::vec(pattern(), 1..3).prop_map(OperatorKind::ProjectKeep),
        prop::collection::vec((ident(), ident()), 1..3).prop_map(|rs| OperatorKind::ProjectRename(
            rs.into_iter()
                .map(|(new, old)| Rename {
                    new,
                    old,
                    span: sp()
                })
                .collect()
        )),
        prop::collection::vec(
            (
                pattern(),
                prop::option::of(prop_oneof![Just(SortOrder::Asc), Just(SortOrder::Desc)])
            ),
            1..3
        )
        .prop_map(OperatorKind::ProjectReorder),
        (
            prop::collection::vec(named(), 0..3),
            prop::collection::vec(named(), 0..3)
        )
            .prop_map(|(aggregates, by)| OperatorKind::Summarize(Summarize {
                hints: vec![],
                aggregates,
                by
            })),
        prop::collection::vec(sort_key(), 1..3).prop_map(OperatorKind::Sort),
        (expr(), prop::collection::vec(sort_key(), 1..3))
            .prop_map(|(count, by)| OperatorKind::Top { count, by }),
        expr().prop_map(OperatorKind::Take),
        prop::collection::vec(named(), 1..3).prop_map(OperatorKind::Distinct),
        Just(OperatorKind::Count),
        (
            join_kind(),
            "[A-Za-z]{1,6}",
            prop::collection::vec(join_condition(), 1..3)
        )
            .prop_map(|(kind, t, on)| {
                OperatorKind::Join(Join {
                    kind,
                    hints: vec![],
                    right: table(t),
                    on,
                })
            }),
        (
            prop::collection::vec(
                (
                    prop::collection::vec(ident(), 0..2),
                    expr(),
                    prop::option::of(type_name())
                ),
                1..3
            ),
            prop::option::of(expr())
        )
            .prop_map(|(cols, limit)| OperatorKind::MvExpand(MvExpand {
                params: vec![],
                columns: cols
                    .into_iter()
                    .map(|(names, expr, t)| (
                        NamedExpr {
                            names,
                            expr,
                            span: sp()
                        },
                        t
                    ))
                    .collect(),
                limit
            })),
        (
            prop_oneof![
                Just(ParseKind::Simple),
                Just(ParseKind::Regex),
                Just(ParseKind::Relaxed)
            ],
            expr(),
            prop::collection::vec(parse_part(), 1..5),
            any::<bool>()
        )
            .prop_filter("adjacent string parts concatenate", |(_, _, parts, _)| {
                !parts
                    .windows(2)
                    .any(|w| matches!(w, [ParsePart::Literal(_), ParsePart::Literal(_)]))
            })
            .prop_map(|(kind, input, pattern, filter)| {
                let p = Parse {
                    kind,
                    flags: None,
                    input,
                    pattern,
                };
                if filter {
                    OperatorKind::ParseWhere(p)
                } else {
                    OperatorKind::Parse(p)
                }
            }),
        prop::collection::vec(expr(), 1..3).prop_map(OperatorKind::ProjectByNames),
        (expr(), expr(), prop::option::of(expr()))
            .prop_map(|(count, of, by)| OperatorKind::TopHitters { count, of, by }),
        (
            expr(),
            prop::collection::vec((ident(), type_name()), 1..3),
            prop::collection::vec((ident(), expr()), 0..3)
        )
            .prop_map(|(input, columns, options)| OperatorKind::ParseKv(ParseKv {
                input,
                columns,
                options
            })),
        (
            prop::collection::vec((ident(), expr(), prop::option::of(type_name())), 1..3),
            prop::option::of(expr()),
            prop::collection::vec(
                prop_oneof![
                    expr().prop_map(OperatorKind::Take),
                    Just(OperatorKind::Count),
                    (expr(), prop::collection::vec(sort_key(), 1..3))
                        .prop_map(|(count, by)| OperatorKind::Top { count, by }),
                ],
                1..3
            )
        )
            .prop_map(|(cols, limit, body)| OperatorKind::MvApply(MvApply {
                expand: MvExpand {
                    params: vec![],
                    columns: cols
                        .into_iter()
                        .map(|(name, expr, t)| (
                            NamedExpr {
                                names: vec![name],
                                expr,
                                span: sp()
                            },
                            t
                        ))
                        .collect(),
                    limit
                },
                body: body
                    .into_iter()
                    .map(|kind| Operator { kind, span: sp() })
                    .collect()
            })),
        (ident(), prop::collection::vec((ident(), expr()), 0..2))
            .prop_map(|(chart, properties)| OperatorKind::Render(Render { chart, properties })),
        ident().prop_map(OperatorKind::As),
        Just(OperatorKind::GetSchema),
        prop::collection::vec(named(), 0..2).prop_map(OperatorKind::Serialize),
        expr().prop_map(OperatorKind::Sample),
        expr().prop_map(OperatorKind::Search),
        (
            join_kind(),
            "[A-Za-z]{1,6}",
            prop::collection::vec(join_condition(), 1..3)
        )
            .prop_map(|(kind, t, on)| OperatorKind::Lookup(Lookup {
                kind,
                right: table(t),
                on
            })),
        prop::collection::vec("[A-Za-z]{1,6}", 1..3).prop_map(|ts| OperatorKind::Union(Union {
            params: vec![(
                Ident::new("isfuzzy", sp()),
                e(ExprKind::Literal(Literal::Bool(true)))
            )],
            tables: ts.into_iter().map(table).collect(),
        })),
        (
            prop::collection::vec((named(), prop::option::of(expr())), 1..3),
            expr(),
            prop::option::of(expr()),
            prop::option::of(expr()),
            expr(),
            prop::collection::vec(named(), 0..2)
        )
            .prop_map(
                |(aggregates, on, from, to, step, by)| OperatorKind::MakeSeries(MakeSeries {
                    aggregates,
                    on,
                    from,
                    to,
                    step,
                    by
                })
            ),
        ("[a-z][a-z_]{0,6}", prop::collection::vec(expr(), 0..2))
            .prop_filter("typed literal spellings", |(n, _)| TypeName::parse(n)
                .is_none()
                && !matches!(
                    n.as_str(),
                    "not"
                        | "and"
                        | "or"
                        | "by"
                        | "on"
                        | "in"
                        | "has"
                        | "with"
                        | "let"
                        | "true"
                        | "false"
                        | "null"
                        | "nulls"
                        | "asc"
                        | "desc"
                        | "between"
                        | "contains"
                        | "matches"
                        | "startswith"
                        | "endswith"
                        | "hasprefix"
                        | "hassuffix"
                        | "materialize"
                ))
            .prop_map(|(n, args)| OperatorKind::Evaluate(
                Call {
                    name: Ident::new(n, sp()),
                    args,
                    span: sp()
                },
                None
            )),
    ];
    kind.prop_map(|kind| Operator { kind, span: sp() })
}

fn source() -> impl Strategy<Value = Source> {
    let kind = prop_oneof![
        3 => "[A-Za-z_][A-Za-z0-9_]{0,8}".prop_map(|t| SourceKind::Table(vec![Ident::new(t, sp())])),
        1 => prop::collection::vec(named(), 0..3).prop_map(SourceKind::Print),
        1 => (ident(), expr(), expr(), expr()).prop_map(|(column, from, to, step)| SourceKind::Range { column, from, to, step }),
        1 => (prop::collection::vec((ident(), type_name()), 1..3), prop::collection::vec(expr(), 0..4))
            .prop_map(|(columns, values)| SourceKind::Datatable { columns, values }),
        1 => (
            prop::collection::vec((ident(), type_name()), 1..3),
            prop::collection::vec("[a-z/._:]{1,12}".prop_map(|p| e(ExprKind::Literal(Literal::String(p)))), 1..3),
            prop::collection::vec((ident(), expr()), 0..3),
        )
            .prop_map(|(columns, paths, properties)| SourceKind::ExternalData { columns, paths, properties }),
    ];
    kind.prop_filter("`set` and `print` read as statements", |k| {
        !matches!(k, SourceKind::Table(n) if matches!(n[0].name.as_str(), "set" | "let" | "print" | "range" | "datatable" | "externaldata" | "union" | "search" | "by" | "on" | "and" | "or" | "in" | "has" | "true" | "false" | "null" | "nulls" | "asc" | "desc" | "with" | "between" | "contains" | "matches" | "startswith" | "endswith" | "hasprefix" | "hassuffix" | "kind"))
    })
    .prop_map(|kind| Source { kind, span: sp() })
}

fn tabular_expr() -> impl Strategy<Value = TabularExpr> {
    (source(), prop::collection::vec(operator(), 0..4)).prop_map(|(source, operators)| {
        TabularExpr {
            source,
            operators,
            span: sp(),
        }
    })
}

fn query() -> impl Strategy<Value = Query> {
    let let_stmt = (
        ident(),
        prop_oneof![
            expr().prop_map(LetValue::Scalar),
            (tabular_expr(), operator()).prop_map(|(mut t, op)| {
                t.operators.push(op);
                LetValue::Tabular(t)
            }),
        ],
    )
        .prop_map(|(name, value)| {
            Statement::Let(LetStatement {
                name,
                value,
                span: sp(),
            })
        });
    let function = (
        prop::collection::vec((ident(), type_name(), prop::option::of(expr())), 0..3),
        prop_oneof![
            expr().prop_map(|e| (vec![], Some(e))),
            (tabular_expr(), operator()).prop_map(|(mut t, op)| {
                t.operators.push(op);
                (vec![Statement::Tabular(t)], None)
            }),
        ],
    )
        .prop_map(|(params, (body, scalar_result))| {
            LetValue::Function(FunctionDef {
                params: params
                    .into_iter()
                    .map(|(name, t, default)| Param {
                        name,
                        ty: ParamType::Scalar(t),
                        default,
                        span: sp(),
                    })
                    .collect(),
                body,
                scalar_result,
                span: sp(),
            })
        });
    let fn_stmt = (ident(), function).prop_map(|(name, value)| {
        Statement::Let(LetStatement {
            name,
            value,
            span: sp(),
        })
    });
    let set_stmt = (ident(), prop::option::of(expr())).prop_map(|(name, value)| {
        Statement::Set(SetStatement {
            name,
            value,
            span: sp(),
        })
    });
    let stmt = prop_oneof![4 => let_stmt, 1 => fn_stmt, 1 => set_stmt];
    (prop::collection::vec(stmt, 0..3), tabular_expr()).prop_map(|(mut statements, t)| {
        statements.push(Statement::Tabular(t));
        Query {
            dialect: Dialect::Kql,
            statements,
            span: sp(),
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn print_then_parse_gives_the_same_ast(q in query()) {
        let text = to_kql(&q);
        let parsed = kql::parse(&text).map_err(|e| {
            TestCaseError::fail(format!("{}: {} at {:?}\n{text}", e.code, e.message, e.span))
        })?;
        prop_assert_eq!(without_spans(&parsed), without_spans(&q), "printed as:\n{}", text);
    }

    #[test]
    fn parsing_never_panics(text in "\\PC{0,80}") {
        let _ = kql::parse(&text);
    }

    #[test]
    fn parsing_kql_like_noise_never_panics(
        words in prop::collection::vec(
            prop_oneof![
                Just("|"), Just("where"), Just("("), Just(")"), Just("["), Just("]"), Just("\""),
                Just("'"), Just("let"), Just("="), Just("=="), Just(";"), Just("x"), Just("1d"),
                Just("summarize"), Just("by"), Just(","), Just("in"), Just("!"), Just("-"),
                Just("datetime("), Just("dynamic(["), Just("@\""), Just("```"), Just("//"), Just("\n"),
            ],
            0..40,
        )
    ) {
        let text = words.join(" ");
        let _ = kql::parse(&text);
    }
}
