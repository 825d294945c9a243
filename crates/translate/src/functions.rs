//! Scalar functions and operators, by registry name: one arm per function
//! with a faithful SQL form in the targets; any other name is an error that
//! names it. Operators are registry entries too (`__eq`, `__has`, …).

use iishunt_plan::expr::BoundExpr;
use iishunt_plan::types::{KType, ScalarValue};

use crate::dialect::Target;
use crate::error::{Result, TranslateError};
use crate::expr::{literal_items, not_null_text, Repr, Scope, Sql};

/// How a user would name a registry entry in an error.
fn shown(name: &str) -> String {
    match name.strip_prefix("__") {
        Some(op) => format!("the operator `{}`", op.replace('_', " ")),
        None => match name.strip_prefix("esql_") {
            Some(f) => format!("the ES|QL function `{}`", f.to_uppercase()),
            None => format!("the function `{name}`"),
        },
    }
}

fn unsupported(scope: &Scope, name: &str, why: &str) -> TranslateError {
    TranslateError::unsupported(&shown(name), scope.target, why)
}

/// The constant string argument `i`, or an error saying it must be one.
fn const_text<'a>(scope: &Scope, name: &str, args: &'a [BoundExpr], i: usize) -> Result<&'a str> {
    match args.get(i) {
        Some(BoundExpr::Literal(ScalarValue::String(s))) => Ok(s),
        _ => Err(unsupported(
            scope,
            name,
            "its pattern or needle must be a constant string here",
        )),
    }
}

fn const_long(args: &[BoundExpr], i: usize) -> Option<i64> {
    args.get(i)?.as_literal()?.as_i64()
}

pub fn call(scope: &Scope, name: &str, args: &[BoundExpr], ty: KType) -> Result<Sql> {
    let t = scope.target;
    let arg = |i: usize| -> Result<Sql> {
        let e = args.get(i).ok_or_else(|| {
            TranslateError::internal("translate::call", format!("{name}: argument {i} missing"))
        })?;
        scope.expr(e)
    };
    let text = |i: usize| -> Result<Sql> {
        let e = args.get(i).ok_or_else(|| {
            TranslateError::internal("translate::call", format!("{name}: argument {i} missing"))
        })?;
        scope.text(e)
    };
    let bool_out = |s: String| Ok(Sql::new(s, Repr::Plain(KType::Bool), true));
    match name {
        // ---- ES|QL operators: SQL's arithmetic, its three-valued logic made explicit
        "__esql_add" | "__esql_sub" | "__esql_mul" | "__esql_neg" => {
            call(scope, &name.replace("__esql_", "__"), args, ty)
        }
        "__esql_strict" => {
            let (r, a, b) = (arg(0)?, arg(1)?, arg(2)?);
            bool_out(format!(
                "(CASE WHEN {} IS NULL OR {} IS NULL THEN NULL ELSE {} END)",
                a.text, b.text, r.text
            ))
        }
        "__esql_in3" => {
            let (r, x) = (arg(0)?, arg(1)?);
            let mut nulls = Vec::new();
            for i in 2..args.len() {
                nulls.push(format!("{} IS NULL", arg(i)?.text));
            }
            let any_null = if nulls.is_empty() {
                "FALSE".to_string()
            } else {
                nulls.join(" OR ")
            };
            bool_out(format!(
                "(CASE WHEN {x} IS NULL THEN NULL WHEN {r} THEN TRUE WHEN {any_null} THEN NULL ELSE {r} END)",
                x = x.text,
                r = r.text
            ))
        }
        // ---- comparison -------------------------------------------------
        "__eq" | "__neq" | "__lt" | "__le" | "__gt" | "__ge" => {
            let op = match name {
                "__eq" => "=",
                "__neq" => "<>",
                "__lt" => "<",
                "__le" => "<=",
                "__gt" => ">",
                _ => ">=",
            };
            let (a, b) = (arg(0)?, arg(1)?);
            let (a, b) = comparable(scope, name, a, b)?;
            bool_out(format!("({} {op} {})", a.text, b.text))
        }
        "__eq_ci" | "__neq_ci" => {
            let op = if name == "__eq_ci" { "=" } else { "<>" };
            let (a, b) = (text(0)?, text(1)?);
            bool_out(format!("(lower({}) {op} lower({}))", a.text, b.text))
        }
        // ---- logic ------------------------------------------------------
        "__and" | "__or" => {
            let op = if name == "__and" { "AND" } else { "OR" };
            let (a, b) = (arg(0)?, arg(1)?);
            bool_out(format!("({} {op} {})", a.text, b.text))
        }
        "__not" | "not" => bool_out(format!("(NOT {})", arg(0)?.text)),
        // ---- arithmetic -------------------------------------------------
        "__add" | "__sub" | "__mul" | "__div" | "__mod" => {
            arithmetic(scope, name, arg(0)?, arg(1)?, ty)
        }
        "__neg" => {
            let a = arg(0)?;
            Ok(Sql::new(format!("(-{})", a.text), a.repr, a.nullable))
        }
        // ---- text operators ---------------------------------------------
        "__has" | "__has_cs" | "__hasprefix" | "__hasprefix_cs" | "__hassuffix"
        | "__hassuffix_cs" => {
            let needle = const_text(scope, name, args, 1)?;
            let ci = !name.ends_with("_cs");
            let hay = text(0)?;
            bool_out(has_term(t, &hay.text, needle, ci, name))
        }
        "__contains" | "__contains_cs" => {
            let needle = const_text(scope, name, args, 1)?;
            let hay = text(0)?;
            let (h, n) = case_fold(t, &hay.text, needle, !name.ends_with("_cs"));
            bool_out(format!("({} > 0)", t.strpos(&h, &t.string(&n))))
        }
        "__startswith" | "__startswith_cs" | "__endswith" | "__endswith_cs" => {
            let needle = const_text(scope, name, args, 1)?;
            let hay = text(0)?;
            let (h, n) = case_fold(t, &hay.text, needle, !name.ends_with("_cs"));
            let escaped = like_escape(&n);
            let pattern = if name.starts_with("__startswith") {
                format!("{escaped}%")
            } else {
                format!("%{escaped}")
            };
            bool_out(format!("({h} LIKE {} ESCAPE '!')", t.string(&pattern)))
        }
        "__matches_regex" => {
            let p = const_text(scope, name, args, 1)?;
            let hay = text(0)?;
            bool_out(t.regex_test(&hay.text, &t.string(p)))
        }
        "__like" | "__rlike" => {
            // ES|QL: a null field gives null (no "" reading), full-match patterns.
            let p = const_text(scope, name, args, 1)?;
            let x = arg(0)?;
            if !x.repr.is_text() {
                return Err(unsupported(scope, name, "only text is matched"));
            }
            if name == "__like" {
                bool_out(format!(
                    "({} LIKE {} ESCAPE '!')",
                    x.text,
                    t.string(&esql_like_to_sql(p))
                ))
            } else {
                bool_out(t.regex_test(&x.text, &t.string(&format!("^(?:{p})$"))))
            }
        }
        "esql_concat" => {
            // ES|QL CONCAT: null when any argument is null, as SQL's `||`.
            let mut parts = Vec::new();
            let mut nullable = false;
            for i in 0..args.len() {
                let a = arg(i)?;
                if !a.repr.is_text() {
                    return Err(unsupported(
                        scope,
                        name,
                        "only text arguments are translated",
                    ));
                }
                nullable |= a.nullable;
                parts.push(a.text);
            }
            Ok(Sql::new(
                format!("({})", parts.join(" || ")),
                Repr::Plain(KType::String),
                nullable,
            ))
        }
        "__in" | "__in_ci" => in_list(scope, name, args, name == "__in_ci"),
        "__has_any" | "__has_all" => {
            let hay = text(0)?;
            let mut needles = Vec::new();
            for a in &args[1..] {
                needles.extend(constant_items(scope, name, a)?);
            }
            if needles.is_empty() {
                return bool_out(if name == "__has_all" { "TRUE" } else { "FALSE" }.into());
            }
            let mut terms = Vec::new();
            for n in needles {
                let n = match n {
                    ScalarValue::String(s) => s,
                    other => match other.as_i64() {
                        Some(i) if !matches!(other, ScalarValue::Real(_)) => i.to_string(),
                        _ => {
                            return Err(unsupported(
                                scope,
                                name,
                                "its terms must be strings or integers",
                            ))
                        }
                    },
                };
                terms.push(has_term(t, &hay.text, &n, true, "__has"));
            }
            let op = if name == "__has_all" { " AND " } else { " OR " };
            bool_out(format!("({})", terms.join(op)))
        }
        "__index" => {
            let a = arg(0)?;
            let Repr::Array(elem) = a.repr else {
                return Err(unsupported(
                    scope,
                    name,
                    "indexing works on arrays made by split(), make_set() or make_list() only",
                ));
            };
            let i = match const_long(args, 1) {
                Some(i) if i >= 0 => (i + 1).to_string(),
                Some(i) => i.to_string(),
                None => {
                    let i = arg(1)?;
                    format!("CASE WHEN {0} >= 0 THEN {0} + 1 ELSE {0} END", i.text)
                }
            };
            Ok(Sql::new(
                t.array_element(&a.text, &i),
                Repr::Plain(elem),
                true,
            ))
        }
        // ---- conditional ------------------------------------------------
        "iff" => {
            let (c, a, b) = (arg(0)?, arg(1)?, arg(2)?);
            let repr = branch_repr(&a, &b);
            Ok(Sql::new(
                format!("CASE WHEN {} THEN {} ELSE {} END", c.text, a.text, b.text),
                repr,
                a.nullable || b.nullable,
            ))
        }
        "case" => {
            let mut out = String::from("CASE");
            let mut nullable = false;
            let mut repr = None;
            let mut i = 0;
            while i + 1 < args.len() {
                let (c, v) = (arg(i)?, arg(i + 1)?);
                out.push_str(&format!(" WHEN {} THEN {}", c.text, v.text));
                nullable |= v.nullable;
                repr = Some(repr.map_or(v.repr, |r: Repr| {
                    if r == Repr::Plain(KType::Dynamic) {
                        v.repr
                    } else {
                        r
                    }
                }));
                i += 2;
            }
            let e = arg(args.len() - 1)?;
            nullable |= e.nullable;
            out.push_str(&format!(" ELSE {} END", e.text));
            Ok(Sql::new(out, repr.unwrap_or(e.repr), nullable))
        }
        "isnull" | "isnotnull" => {
            let not = if name == "isnull" { "" } else { " NOT" };
            bool_out(format!("({} IS{not} NULL)", arg(0)?.text))
        }
        "isempty" | "isnotempty" => {
            let a = arg(0)?;
            let s = match (a.repr.is_text(), name == "isempty") {
                (true, true) => format!("(coalesce({}, '') = '')", a.text),
                (true, false) => format!("(coalesce({}, '') <> '')", a.text),
                (false, true) => format!("({} IS NULL)", a.text),
                (false, false) => format!("({} IS NOT NULL)", a.text),
            };
            bool_out(s)
        }
        "coalesce" => {
            let parts: Vec<Sql> = (0..args.len()).map(arg).collect::<Result<_>>()?;
            if parts.iter().any(|p| p.repr.is_text()) {
                // Kusto: the first non-empty string.
                let n = parts.len();
                let items: Vec<String> = parts
                    .iter()
                    .enumerate()
                    .map(|(i, p)| {
                        if i + 1 < n {
                            format!("nullif({}, '')", p.text)
                        } else {
                            p.text.clone()
                        }
                    })
                    .collect();
                return Ok(Sql::new(
                    format!("coalesce({})", items.join(", ")),
                    parts[0].repr,
                    true,
                ));
            }
            let items: Vec<&str> = parts.iter().map(|p| p.text.as_str()).collect();
            Ok(Sql::new(
                format!("coalesce({})", items.join(", ")),
                parts[0].repr,
                parts.iter().all(|p| p.nullable),
            ))
        }
        // ---- conversion -------------------------------------------------
        "tostring" => to_string(scope, name, arg(0)?),
        "toint" | "tolong" | "toreal" => {
            let a = arg(0)?;
            let target_ty = match name {
                "toint" => KType::Int,
                "tolong" => KType::Long,
                _ => KType::Real,
            };
            let sql_ty = t.type_name(target_ty).unwrap_or("BIGINT");
            let out = match a.repr.scalar() {
                Some(KType::String) => t.try_cast(&a.text, sql_ty),
                Some(KType::Int | KType::Long) => format!("CAST({} AS {sql_ty})", a.text),
                Some(KType::Real | KType::Decimal) if target_ty == KType::Real => a.text.clone(),
                // Kusto truncates a real towards zero; SQL's CAST rounds.
                Some(KType::Real | KType::Decimal) => {
                    format!("CAST(trunc({}) AS {sql_ty})", a.text)
                }
                Some(KType::Bool) => {
                    format!("CASE WHEN {0} THEN 1 WHEN NOT {0} THEN 0 END", a.text)
                }
                _ => {
                    return Err(unsupported(
                        scope,
                        name,
                        &format!("converting {} is not translated", a.repr),
                    ))
                }
            };
            Ok(Sql::new(out, Repr::Plain(target_ty), true))
        }
        "todatetime" | "totimespan" => {
            let a = arg(0)?;
            let want = if name == "todatetime" {
                KType::DateTime
            } else {
                KType::TimeSpan
            };
            if a.repr.scalar() != Some(want) {
                return Err(unsupported(
                    scope,
                    name,
                    "parsing text into time is done differently by each engine",
                ));
            }
            Ok(Sql::new(a.text, Repr::Plain(want), a.nullable))
        }
        "tohex" => {
            if args.len() > 1 {
                return Err(unsupported(
                    scope,
                    name,
                    "the width argument is not translated",
                ));
            }
            let a = arg(0)?;
            let x = match a.repr.scalar() {
                // Kusto shows a negative int as its 32-bit two's complement.
                Some(KType::Int) => format!("CASE WHEN {0} < 0 THEN CAST({0} AS BIGINT) + 4294967296 ELSE CAST({0} AS BIGINT) END", a.text),
                Some(KType::Long) => a.text.clone(),
                _ => return Err(unsupported(scope, name, "only integers are translated")),
            };
            Ok(Sql::new(t.hex(&x), Repr::Plain(KType::String), true))
        }
        // ---- text -------------------------------------------------------
        "strcat" => {
            let mut parts = Vec::new();
            for a in args {
                let s = to_string(scope, "strcat", scope.expr(a)?)?;
                parts.push(s.text);
            }
            if parts.is_empty() {
                return Ok(Sql::new("''", Repr::Plain(KType::String), false));
            }
            Ok(Sql::new(
                format!("({})", parts.join(" || ")),
                Repr::Plain(KType::String),
                false,
            ))
        }
        "tolower" | "toupper" => {
            let f = if name == "tolower" { "lower" } else { "upper" };
            Ok(Sql::new(
                format!("{f}({})", text(0)?.text),
                Repr::Plain(KType::String),
                false,
            ))
        }
        "strlen" => Ok(Sql::new(
            format!("CAST({} AS BIGINT)", t.char_length(&text(0)?.text)),
            Repr::Plain(KType::Long),
            false,
        )),
        "substring" => {
            let s = text(0)?;
            // Kusto counts from 0 and clamps a negative start to 0.
            let start = match const_long(args, 1) {
                Some(i) => (i.max(0) + 1).to_string(),
                None => format!("greatest({}, 0) + 1", arg(1)?.text),
            };
            let len = match args.get(2) {
                Some(_) => match const_long(args, 2) {
                    Some(l) => Some(l.max(0).to_string()),
                    None => Some(format!("greatest({}, 0)", arg(2)?.text)),
                },
                None => None,
            };
            Ok(Sql::new(
                format!(
                    "coalesce({}, '')",
                    t.substring(&s.text, &start, len.as_deref())
                ),
                Repr::Plain(KType::String),
                false,
            ))
        }
        "indexof" => {
            if args.len() > 2 {
                return Err(unsupported(
                    scope,
                    name,
                    "only the two-argument form is translated",
                ));
            }
            let (s, n) = (text(0)?, text(1)?);
            Ok(Sql::new(
                format!("(CAST({} AS BIGINT) - 1)", t.strpos(&s.text, &n.text)),
                Repr::Plain(KType::Long),
                false,
            ))
        }
        "split" => {
            if args.len() > 2 {
                return Err(unsupported(
                    scope,
                    name,
                    "the index argument is not translated",
                ));
            }
            let s = text(0)?;
            let d = const_text(scope, name, args, 1)?;
            if d.is_empty() {
                return Err(unsupported(
                    scope,
                    name,
                    "an empty delimiter splits differently in each engine",
                ));
            }
            Ok(Sql::new(
                t.split(&s.text, &t.string(d), d),
                Repr::Array(KType::String),
                false,
            ))
        }
        "replace_string" => {
            let (s, a, b) = (text(0)?, text(1)?, text(2)?);
            Ok(Sql::new(
                format!("replace({}, {}, {})", s.text, a.text, b.text),
                Repr::Plain(KType::String),
                false,
            ))
        }
        "replace_regex" => {
            let p = const_text(scope, name, args, 1)?;
            let with = const_text(scope, name, args, 2)?;
            if with.contains(['$', '\\']) {
                return Err(unsupported(
                    scope,
                    name,
                    "group references in the replacement are spelled differently in each engine",
                ));
            }
            let s = text(0)?;
            Ok(Sql::new(
                t.regex_replace(&s.text, &t.string(p), &t.string(with)),
                Repr::Plain(KType::String),
                false,
            ))
        }
        "extract" => {
            let p = const_text(scope, name, args, 0)?;
            let Some(group) = const_long(args, 1) else {
                return Err(unsupported(
                    scope,
                    name,
                    "the group number must be a constant",
                ));
            };
            let s = text(2)?;
            Ok(Sql::new(
                t.regex_extract(&s.text, &t.string(p), group),
                Repr::Plain(KType::String),
                false,
            ))
        }
        "__regex_capture" => {
            // parse / DISSECT / GROK: the group's text, null when the text is
            // null or does not match. Groups are read by number, so names
            // (whose syntax differs between regex engines) are dropped.
            let p = strip_group_names(const_text(scope, name, args, 1)?);
            let groups: Vec<i64> = args[3..]
                .iter()
                .filter_map(|a| a.as_literal().and_then(ScalarValue::as_i64))
                .collect();
            if groups.is_empty() {
                return Err(TranslateError::internal(
                    "translate::regex_capture",
                    "no group",
                ));
            }
            let sep = const_text(scope, name, args, 2)?;
            let s = arg(0)?;
            if !s.repr.is_text() {
                return Err(unsupported(scope, name, "only text is parsed"));
            }
            let p = t.string(&p);
            let value = match groups.as_slice() {
                [g] => t.regex_extract(&s.text, &p, *g),
                // DISSECT's append: the groups' texts joined; an empty group
                // counts as not taking part (concat_ws skips nulls).
                many => {
                    let parts: Vec<String> = many
                        .iter()
                        .map(|g| format!("nullif({}, '')", t.regex_extract(&s.text, &p, *g)))
                        .collect();
                    format!("concat_ws({}, {})", t.string(sep), parts.join(", "))
                }
            };
            Ok(Sql::new(
                format!(
                    "CASE WHEN {0} IS NOT NULL AND {1} THEN {value} END",
                    s.text,
                    t.regex_test(&s.text, &p),
                ),
                Repr::Plain(KType::String),
                true,
            ))
        }
        "url_decode" => {
            let s = text(0)?;
            // Kusto decodes `+` as a space; the engines' url_decode may not.
            let plus = format!("replace({}, '+', ' ')", s.text);
            Ok(Sql::new(
                format!("coalesce({}, '')", t.url_decode(&plus)),
                Repr::Plain(KType::String),
                false,
            ))
        }
        // ---- numbers and time -------------------------------------------
        "bin" => bin(scope, name, arg(0)?, args, ty, None),
        "bin_at" => {
            let fixed = match args.get(2).and_then(|a| a.as_literal()) {
                Some(v) => v.as_i64().filter(|_| !matches!(v, ScalarValue::Real(_))),
                None => None,
            };
            let Some(fixed) = fixed else {
                return Err(unsupported(
                    scope,
                    name,
                    "the fixed point must be a constant datetime or whole number",
                ));
            };
            bin(scope, name, arg(0)?, args, ty, Some(fixed))
        }
        "round" => {
            let a = arg(0)?;
            let digits = match args.get(1) {
                None => 0,
                Some(_) => const_long(args, 1).ok_or_else(|| {
                    unsupported(scope, name, "the number of decimals must be a constant")
                })?,
            };
            Ok(Sql::new(
                format!("round({}, {digits})", a.text),
                a.repr,
                a.nullable,
            ))
        }
        "abs" => {
            let a = arg(0)?;
            Ok(Sql::new(format!("abs({})", a.text), a.repr, a.nullable))
        }
        "array_length" => {
            let a = arg(0)?;
            if !matches!(a.repr, Repr::Array(_)) {
                return Err(unsupported(
                    scope,
                    name,
                    "it works on arrays made by split(), make_set() or make_list() only",
                ));
            }
            Ok(Sql::new(
                format!("CAST({} AS BIGINT)", t.array_length(&a.text)),
                Repr::Plain(KType::Long),
                true,
            ))
        }
        "ago" | "now" if scope.now.is_some() && const_time(scope.now, name, args).is_some() => {
            let v = const_time(scope.now, name, args).unwrap_or_default();
            crate::expr::literal(t, &ScalarValue::DateTime(v))
        }
        "ago" => {
            let d = arg(0)?;
            let now = scope.now()?;
            Ok(Sql::new(
                t.from_micros(&format!("{} - {}", t.to_micros(&now), d.text)),
                Repr::Plain(KType::DateTime),
                false,
            ))
        }
        "now" => {
            let now = scope.now()?;
            match args.first() {
                None => Ok(Sql::new(now, Repr::Plain(KType::DateTime), false)),
                Some(_) => {
                    let d = arg(0)?;
                    Ok(Sql::new(
                        t.from_micros(&format!("{} + {}", t.to_micros(&now), d.text)),
                        Repr::Plain(KType::DateTime),
                        false,
                    ))
                }
            }
        }
        "startofday" | "startofhour" | "startofmonth" | "startofyear" if args.len() == 1 => {
            let unit = match name {
                "startofday" => "day",
                "startofhour" => "hour",
                "startofmonth" => "month",
                _ => "year",
            };
            let a = arg(0)?;
            let trunc = match t {
                Target::Trino => format!("CAST(date_trunc('{unit}', {}) AS TIMESTAMP(6))", a.text),
                _ => format!("CAST(date_trunc('{unit}', {}) AS TIMESTAMP)", a.text),
            };
            Ok(Sql::new(trunc, Repr::Plain(KType::DateTime), a.nullable))
        }
        "hourofday" | "dayofmonth" | "getyear" | "getmonth" => {
            let part = match name {
                "hourofday" => "HOUR",
                "dayofmonth" => "DAY",
                "getyear" => "YEAR",
                _ => "MONTH",
            };
            let a = arg(0)?;
            Ok(Sql::new(
                format!(
                    "CAST(extract({part} FROM {}) AS {})",
                    a.text,
                    t.type_name(KType::Int).unwrap_or("INTEGER")
                ),
                Repr::Plain(KType::Int),
                a.nullable,
            ))
        }
        other => Err(unsupported(scope, other, "it has no translation yet")),
    }
}

/// `ago(<timespan>)` / `now([<timespan>])` with a fixed `now`: the instant.
pub fn const_time(now: Option<i64>, name: &str, args: &[BoundExpr]) -> Option<i64> {
    let now = now?;
    let span = match args.first() {
        None => 0,
        Some(BoundExpr::Literal(ScalarValue::TimeSpan(d))) => *d,
        Some(_) => return None,
    };
    match name {
        "ago" if !args.is_empty() => now.checked_sub(span),
        "now" => now.checked_add(span),
        _ => None,
    }
}

/// Both sides of a comparison in a form SQL compares as Kusto does.
fn comparable(scope: &Scope, name: &str, a: Sql, b: Sql) -> Result<(Sql, Sql)> {
    match (a.repr.scalar(), b.repr.scalar()) {
        (Some(x), Some(y))
            if (x == KType::String || x == KType::Guid)
                && (y == KType::String || y == KType::Guid) =>
        {
            Ok((not_null_text(a), not_null_text(b)))
        }
        (Some(x), Some(y)) if x.is_numeric() && y.is_numeric() => Ok((a, b)),
        (Some(x), Some(y)) if x == y => Ok((a, b)),
        _ => Err(unsupported(
            scope,
            name,
            &format!("comparing {} with {} is not translated", a.repr, b.repr),
        )),
    }
}

fn arithmetic(scope: &Scope, name: &str, a: Sql, b: Sql, ty: KType) -> Result<Sql> {
    use KType::*;
    let t = scope.target;
    let op = match name {
        "__add" => "+",
        "__sub" => "-",
        "__mul" => "*",
        "__div" => "/",
        _ => "%",
    };
    let nullable = a.nullable || b.nullable;
    let (x, y) = match (a.repr.scalar(), b.repr.scalar()) {
        (Some(x), Some(y)) => (x, y),
        _ => {
            return Err(unsupported(
                scope,
                name,
                "arithmetic on dynamic values is not translated",
            ))
        }
    };
    let text = match (x, y, op) {
        (x, y, "/") if x.is_integer() && y.is_integer() => t.int_div(&a.text, &b.text),
        (x, y, _) if x.is_numeric() && y.is_numeric() => format!("({} {op} {})", a.text, b.text),
        (DateTime, TimeSpan, "+" | "-") => {
            t.from_micros(&format!("{} {op} {}", t.to_micros(&a.text), b.text))
        }
        (TimeSpan, DateTime, "+") => {
            t.from_micros(&format!("{} + {}", t.to_micros(&b.text), a.text))
        }
        (DateTime, DateTime, "-") => {
            format!("({} - {})", t.to_micros(&a.text), t.to_micros(&b.text))
        }
        (TimeSpan, TimeSpan, "+" | "-" | "%") => format!("({} {op} {})", a.text, b.text),
        (TimeSpan, TimeSpan, "/") => format!("(CAST({} AS DOUBLE) / {})", a.text, b.text),
        (TimeSpan, n, "*") | (n, TimeSpan, "*") if n.is_integer() => {
            format!("({} * {})", a.text, b.text)
        }
        (TimeSpan, n, "/") if n.is_integer() => t.int_div(&a.text, &b.text),
        _ => {
            return Err(unsupported(
                scope,
                name,
                &format!("{x} {op} {y} is not translated"),
            ))
        }
    };
    Ok(Sql::new(text, Repr::Plain(ty), nullable))
}

/// `bin(x, size)`: rounds down to a multiple of `size` (datetimes: since
/// 1970); `bin_at` to `fixed` plus a multiple.
fn bin(
    scope: &Scope,
    name: &str,
    x: Sql,
    args: &[BoundExpr],
    ty: KType,
    fixed: Option<i64>,
) -> Result<Sql> {
    let t = scope.target;
    let Some(size) = args
        .get(1)
        .and_then(|a| a.as_literal())
        .and_then(ScalarValue::as_i64)
    else {
        return Err(unsupported(scope, name, "the bin size must be a constant"));
    };
    if size <= 0 || matches!(args[1].as_literal(), Some(ScalarValue::Real(_))) {
        return Err(unsupported(
            scope,
            name,
            "only positive whole bin sizes are translated",
        ));
    }
    let floor = |v: &str| match fixed {
        None | Some(0) => format!("({v} - ((({v}) % {size}) + {size}) % {size})"),
        Some(f) => format!("({v} - (((({v}) - {f}) % {size}) + {size}) % {size})"),
    };
    let text = match x.repr.scalar() {
        Some(KType::DateTime) => t.from_micros(&floor(&t.to_micros(&x.text))),
        Some(KType::TimeSpan | KType::Int | KType::Long) => floor(&x.text),
        Some(KType::Real) if fixed.is_none() => format!("(floor({} / {size}) * {size})", x.text),
        _ => {
            return Err(unsupported(
                scope,
                name,
                "only numbers, datetimes and timespans are binned",
            ))
        }
    };
    Ok(Sql::new(text, Repr::Plain(ty), x.nullable))
}

/// Kusto's `tostring`: "" for null; text as is; integers and bools in SQL's
/// spelling (the same as Kusto's). Reals, datetimes and arrays print
/// differently in each engine, so they are refused.
fn to_string(scope: &Scope, name: &str, a: Sql) -> Result<Sql> {
    let t = scope.target;
    let ty = t.type_name(KType::String).unwrap_or("VARCHAR");
    match a.repr.scalar() {
        Some(KType::String | KType::Guid) => Ok(not_null_text(Sql::new(
            a.text,
            Repr::Plain(KType::String),
            a.nullable,
        ))),
        Some(KType::Int | KType::Long) if !a.nullable => Ok(Sql::new(
            format!("CAST({} AS {ty})", a.text),
            Repr::Plain(KType::String),
            false,
        )),
        Some(KType::Int | KType::Long | KType::Bool) => Ok(Sql::new(
            format!("coalesce(CAST({} AS {ty}), '')", a.text),
            Repr::Plain(KType::String),
            false,
        )),
        _ => Err(unsupported(
            scope,
            name,
            &format!("{} values are printed differently by each engine", a.repr),
        )),
    }
}

/// The result representation of two branches (a typed null takes the other's).
fn branch_repr(a: &Sql, b: &Sql) -> Repr {
    if a.repr == Repr::Plain(KType::Dynamic) {
        b.repr
    } else {
        a.repr
    }
}

/// `hay` and `needle` lower-cased for a case-insensitive test.
fn case_fold(_t: Target, hay: &str, needle: &str, ci: bool) -> (String, String) {
    if ci {
        (format!("lower({hay})"), needle.to_lowercase())
    } else {
        (hay.to_string(), needle.to_string())
    }
}

/// `%`, `_` and the escape `!` escaped for `LIKE … ESCAPE '!'`.
fn like_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if matches!(c, '%' | '_' | '!') {
            out.push('!');
        }
        out.push(c);
    }
    out
}

/// An ES|QL LIKE pattern (`*`, `?`, `\\` escapes) as a SQL LIKE pattern
/// with `!` as the escape.
fn esql_like_to_sql(p: &str) -> String {
    let mut out = String::new();
    let mut chars = p.chars();
    while let Some(c) = chars.next() {
        match c {
            '*' => out.push('%'),
            '?' => out.push('_'),
            '\\' => match chars.next() {
                Some(n) => out.push_str(&like_escape(&n.to_string())),
                None => out.push('\\'),
            },
            c => out.push_str(&like_escape(&c.to_string())),
        }
    }
    out
}

/// A term byte as Kusto's `has` sees it: ASCII letters and digits, and any
/// non-ASCII character.
const TERM: &str = "0-9A-Za-z\\x{80}-\\x{10FFFF}";

/// `has` / `hasprefix` / `hassuffix` as a regular expression over (lower-cased) text.
fn has_term(t: Target, hay: &str, needle: &str, ci: bool, op: &str) -> String {
    let n = if ci {
        needle.to_lowercase()
    } else {
        needle.to_string()
    };
    if n.is_empty() {
        return "FALSE".into();
    }
    let is_term = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || !c.is_ascii());
    let prefix = op.starts_with("__hasprefix");
    let suffix = op.starts_with("__hassuffix");
    let mut p = String::new();
    if !suffix && is_term(n.chars().next()) {
        p.push_str(&format!("(^|[^{TERM}])"));
    }
    p.push_str(&regex_escape(&n));
    if !prefix && is_term(n.chars().last()) {
        p.push_str(&format!("($|[^{TERM}])"));
    }
    let h = if ci {
        format!("lower({hay})")
    } else {
        hay.to_string()
    };
    t.regex_test(&h, &t.string(&p))
}

/// `(?P<name>…)` → `(…)`: RE2, Java and Joni spell named groups differently.
fn strip_group_names(p: &str) -> String {
    let mut out = String::new();
    let mut rest = p;
    while let Some(i) = rest.find("(?P<") {
        // An escaped `\(` is not a group.
        let escaped = rest[..i].chars().rev().take_while(|c| *c == '\\').count() % 2 == 1;
        out.push_str(&rest[..i]);
        let after = &rest[i + 4..];
        match after.find('>') {
            Some(j) if !escaped => {
                out.push('(');
                rest = &after[j + 1..];
            }
            _ => {
                out.push_str("(?P<");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn regex_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if "\\^$.|?*+()[]{}-/".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The constants of an `in` / `has_any` list item: a scalar or a constant array.
fn constant_items(scope: &Scope, name: &str, e: &BoundExpr) -> Result<Vec<ScalarValue>> {
    match e {
        BoundExpr::Literal(ScalarValue::Dynamic(serde_json::Value::Array(items))) => {
            literal_items(items)
                .ok_or_else(|| unsupported(scope, name, "its list must hold strings or numbers"))
        }
        BoundExpr::Literal(v) if !v.is_null() => Ok(vec![v.clone()]),
        _ => Err(unsupported(scope, name, "its list must be constants")),
    }
}

/// `x in (…)`, `x in~ (…)`: text against strings (numbers as their text),
/// numbers against numbers.
fn in_list(scope: &Scope, name: &str, args: &[BoundExpr], ci: bool) -> Result<Sql> {
    let t = scope.target;
    let Some((x, list)) = args.split_first() else {
        return Err(TranslateError::internal("translate::in", "no operand"));
    };
    // `x in (T)`: the subquery's first column.
    if let [BoundExpr::Literal(v)] = list {
        if let Some(sql) = scope.subquery(v) {
            let x_sql = scope.expr(x)?;
            let lhs = if x_sql.repr.is_text() {
                not_null_text(x_sql).text
            } else {
                x_sql.text
            };
            if ci {
                return Err(unsupported(
                    scope,
                    name,
                    "`in~` against a subquery is not translated",
                ));
            }
            return Ok(Sql::new(
                format!("({lhs} IN ({sql}))"),
                Repr::Plain(KType::Bool),
                true,
            ));
        }
    }
    let mut values = Vec::new();
    for e in list {
        values.extend(constant_items(scope, name, e)?);
    }
    let x_sql = scope.expr(x)?;
    if values.is_empty() {
        return Ok(Sql::new("FALSE", Repr::Plain(KType::Bool), false));
    }
    let items: Vec<String> = if x_sql.repr.is_text() {
        values
            .iter()
            .map(|v| {
                let s = match v {
                    ScalarValue::String(s) => s.clone(),
                    ScalarValue::Long(i) => i.to_string(),
                    ScalarValue::Int(i) => i.to_string(),
                    _ => {
                        return Err(unsupported(
                            scope,
                            name,
                            "text is looked up among strings and integers only",
                        ))
                    }
                };
                Ok(t.string(&if ci { s.to_lowercase() } else { s }))
            })
            .collect::<Result<_>>()?
    } else if x_sql.repr.scalar().is_some_and(|k| k.is_numeric()) && !ci {
        // A number against text items (`sPort in ("80", "443")`): the items
        // that are numbers; the others can never match.
        let mut items = Vec::new();
        for v in &values {
            let n = match v {
                ScalarValue::Long(_) | ScalarValue::Int(_) | ScalarValue::Real(_) => v.clone(),
                ScalarValue::String(s) => {
                    match (s.trim().parse::<i64>(), s.trim().parse::<f64>()) {
                        (Ok(i), _) => ScalarValue::Long(i),
                        (_, Ok(r)) if r.is_finite() => ScalarValue::Real(r),
                        _ => continue,
                    }
                }
                _ => {
                    return Err(unsupported(
                        scope,
                        name,
                        "numbers are looked up among numbers only",
                    ))
                }
            };
            items.push(crate::expr::literal(t, &n)?.text);
        }
        if items.is_empty() {
            return Ok(Sql::new("FALSE", Repr::Plain(KType::Bool), false));
        }
        items
    } else {
        return Err(unsupported(
            scope,
            name,
            &format!("looking up {} values is not translated", x_sql.repr),
        ));
    };
    let lhs = if x_sql.repr.is_text() {
        let s = not_null_text(x_sql).text;
        if ci {
            format!("lower({s})")
        } else {
            s
        }
    } else {
        x_sql.text
    };
    Ok(Sql::new(
        format!("({lhs} IN ({}))", items.join(", ")),
        Repr::Plain(KType::Bool),
        true,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_is_a_term_match() {
        assert_eq!(
            has_term(Target::DuckDb, "x", "Nikto", true, "__has"),
            r"regexp_matches(lower(x), '(^|[^0-9A-Za-z\x{80}-\x{10FFFF}])nikto($|[^0-9A-Za-z\x{80}-\x{10FFFF}])')"
        );
        // A needle ending in punctuation needs no boundary after it.
        assert_eq!(
            has_term(Target::Trino, "x", "sleep(", true, "__has"),
            r"regexp_like(lower(x), '(^|[^0-9A-Za-z\x{80}-\x{10FFFF}])sleep\(')"
        );
    }

    #[test]
    fn group_names_are_dropped() {
        assert_eq!(
            strip_group_names(r"^(?P<_p0>.*?);(?P<x>\d+)$"),
            r"^(.*?);(\d+)$"
        );
        assert_eq!(strip_group_names(r"\\(?P<a>b)"), r"\\(b)");
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_escape("50%_off!"), "50!%!_off!!");
        assert_eq!(esql_like_to_sql(r"*.php?x\*"), "%.php_x*");
    }
}
