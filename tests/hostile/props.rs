//! The fuzz targets' properties on stable (docs/fuzzing.md): the entry points
//! of `fuzz/` (`iishunt::fuzzing::check_*`), a few hundred generated inputs
//! each, in every `cargo test`. Inputs are built from the grammar's own
//! pieces and real log lines, then mangled, so they reach past the first
//! token; libFuzzer explores much further on nightly.
//!
//! Regressions found by fuzzing are pinned at the bottom, one test each.

use iishunt::fuzzing::{check_esql, check_kql, check_pipeline, check_w3c};
use proptest::prelude::*;

/// Pieces of KQL that combine into plausible and implausible queries.
const KQL: &[&str] = &[
    "W3CIISLog",
    "HttpErrorLog",
    " | ",
    "where ",
    "extend ",
    "project ",
    "summarize ",
    "count()",
    " by ",
    "cIP",
    "csUriStem",
    "scStatus",
    "TimeGenerated",
    "==",
    "!=",
    "=~",
    " and ",
    " or ",
    "(",
    ")",
    "[",
    "]",
    "\"404\"",
    "404",
    "1.5",
    "-1",
    "1d",
    "ago(1h)",
    "bin(TimeGenerated, 1h)",
    "make_set(cIP)",
    "dcount(cIP)",
    "take 3",
    "top 2 by cIP",
    "order by ",
    " desc",
    "join kind=leftouter (",
    "union ",
    "mv-expand ",
    "parse ",
    "range x from 1 to 10 step 1",
    "print ",
    "let a = 1;",
    "datatable(a:long)[1,2]",
    "case(",
    "iff(",
    "split(csUriStem, \"/\")",
    "tostring(",
    "todynamic(\"[1]\")",
    ", ",
    "x",
    "=",
    "0",
    "/",
    "%",
    "has ",
    "contains ",
    "startswith ",
    "matches regex ",
    "\"\\x\"",
    "'",
    "`",
    "\u{1b}",
    "\u{0}",
    "é",
    "render timechart",
    "lookup (",
    "on ",
];

/// Pieces of ES|QL.
const ESQL: &[&str] = &[
    "FROM logs-iis.access-*",
    "FROM logs-iis.error-*",
    "ROW a = 1",
    " | ",
    "WHERE ",
    "EVAL ",
    "STATS ",
    "KEEP ",
    "DROP ",
    "SORT ",
    "LIMIT 5",
    "RENAME ",
    " AS ",
    " BY ",
    "COUNT(*)",
    "VALUES(source.ip)",
    "COUNT_DISTINCT(url.path)",
    "source.ip",
    "http.response.status_code",
    "url.original",
    "@timestamp",
    "==",
    ">=",
    " AND ",
    " OR ",
    "NOT ",
    "(",
    ")",
    "\"x\"",
    "404",
    "1 hour",
    "LIKE \"*.php\"",
    "RLIKE \".*\"",
    "IN (1, 2)",
    "CASE(",
    "TO_STRING(",
    "DATE_TRUNC(1 hour, @timestamp)",
    "BUCKET(",
    ", ",
    "=",
    "x",
    "`",
    "\"\"\"",
    "//",
    "/*",
    "DISSECT ",
    "GROK ",
    "MV_EXPAND ",
    "ENRICH ",
    "LOOKUP JOIN ",
    "ON ",
    "IS NULL",
    "::",
    "?",
    "\u{0}",
];

fn joined(pieces: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(pieces), 0..max).prop_map(|v| v.concat())
}

/// A string, then possibly mangled: cut short, a byte range dropped, or
/// repeated.
fn mangled(s: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    (
        s,
        0u8..4,
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
    )
        .prop_map(|(s, how, a, b)| {
            let cut = |i: &prop::sample::Index| {
                let mut at = if s.is_empty() {
                    0
                } else {
                    i.index(s.len() + 1)
                };
                while !s.is_char_boundary(at) {
                    at -= 1;
                }
                at
            };
            let (x, y) = {
                let (x, y) = (cut(&a), cut(&b));
                (x.min(y), x.max(y))
            };
            match how {
                0 => s[..x].to_string(),
                1 => format!("{}{}", &s[..x], &s[y..]),
                2 => s.repeat(3),
                _ => s,
            }
        })
}

/// W3C-ish bytes: directives, real rows, damaged rows, NULs, CR, garbage.
fn w3c_bytes() -> impl Strategy<Value = Vec<u8>> {
    const LINES: &[&[u8]] = &[
        b"#Software: Microsoft Internet Information Services 10.0\n",
        b"#Software: Microsoft HTTP API 2.0\n",
        b"#Version: 1.0\n",
        b"#Date: 2026-03-08 00:00:00\n",
        b"#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status time-taken\n",
        b"#Fields: time c-ip cs-method cs-uri-stem sc-status\n",
        b"#Fields: date time c-ip c-port s-ip s-port cs-version cs-method cs-uri streamid sc-status s-siteid s-reason s-queuename\n",
        b"#Fields:\n",
        b"2026-03-08 00:00:01 10.0.0.1 GET / - 443 - 203.0.113.5 Mozilla/5.0 200 0 0 15\n",
        b"2026-03-08 00:00:02 10.0.0.1 GET /x q=1 80 bob 198.51.100.1 curl 404 0 2 3\r\n",
        b"00:00:03 203.0.113.9 GET /y 500\n",
        b"2026-03-08 00:00:04 203.0.113.5 50123 10.0.0.5 443 HTTP/1.1 GET /z - 400 - BadRequest -\n",
        b"2026-13-45 99:99:99 x y z\n",
        b"2026-03-08 00:00:05 10.0.0.1 GET /\xff\xfe - 443 - ::1%0 \"a \"\"b\"\"\" 200 0 99999999999 1\n",
        b"\0\0\0\0\0\0\0\0\n",
        b"\0\0\0",
        b"\n",
        b"   \t \n",
        b"\x1f\x8b\x08\x00garbage",
        b"no newline at the end",
        // The other kinds a LogFiles folder holds: IIS FTP (W3C fields),
        // the IIS log format and NCSA lines.
        b"#Fields: date time c-ip cs-username s-ip s-port cs-method cs-uri-stem sc-status sc-win32-status sc-substatus x-session x-fullpath\n",
        b"2026-03-08 00:00:06 203.0.113.5 admin 10.0.0.5 21 PASS - 530 1326 41 abc /\n",
        b"192.168.114.201, -, 3/20/2001, 7:55:20, W3SVC2, SALES1, 172.21.13.45, 4502, 163, 3223, 200, 0, GET, /DeptLogo.gif, -,\n",
        b"10.0.0.1, -, 3/20/2001, 7:55:20, W3SVC2,\n",
        b"172.21.13.45 - REDMOND\\fred [08/Apr/1997:17:39:04 -0800] \"GET /scripts/iisadmin/ism.dll?http/serv HTTP/1.0\" 200 3401\n",
        b"172.21.13.45 - - [31/Feb/1997:25:61:04 +9999] \"GET\" x y\n",
    ];
    (
        prop::collection::vec(prop::sample::select(LINES), 0..24),
        prop::collection::vec(any::<u8>(), 0..64),
        any::<bool>(),
    )
        .prop_map(|(lines, noise, with_noise)| {
            let mut out: Vec<u8> = lines.concat();
            if with_noise {
                let at = out.len() / 2;
                out.splice(at..at, noise);
            }
            out
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn kql_parses_or_fails_cleanly(text in mangled(joined(KQL, 24))) {
        check_kql(&text);
    }

    #[test]
    fn esql_parses_or_fails_cleanly(text in mangled(joined(ESQL, 24))) {
        check_esql(&text);
    }

    #[test]
    fn arbitrary_text_never_breaks_either_parser(text in ".{0,200}") {
        check_kql(&text);
        check_esql(&text);
    }

    #[test]
    fn the_w3c_reader_accounts_for_every_line(bytes in w3c_bytes()) {
        check_w3c(&bytes);
    }

    #[test]
    fn raw_bytes_never_break_the_w3c_reader(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        check_w3c(&bytes);
    }
}

proptest! {
    // Each case runs a query: fewer of them.
    #![proptest_config(ProptestConfig { cases: 150, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_pipeline_gives_rows_or_a_user_error(text in mangled(joined(KQL, 16))) {
        check_pipeline(&text);
    }

    #[test]
    fn the_esql_pipeline_gives_rows_or_a_user_error(text in mangled(joined(ESQL, 16))) {
        check_pipeline(&text);
    }
}

/// Fuzzing (`esql`, 2026-12-03): negating the smallest long overflowed in the
/// parser's constant folding.
#[test]
fn esql_negating_the_smallest_long_does_not_overflow() {
    let text = "ROW c = - -9223372036854775808";
    check_esql(text);
    check_pipeline(text);
    check_esql(
        "ROW a7, c = - -9223372036854775808, d =16| LRR\0\09223372036854775808, d =16| LRR\0\0r\0",
    );
}
