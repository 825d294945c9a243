//! The properties the fuzz targets check, as plain functions: `fuzz/` (cargo
//! fuzz, nightly, coverage-guided) calls them with libFuzzer's inputs, and
//! `tests/hostile/props.rs` (proptest, stable, in every `cargo test`) with
//! generated ones — the same entry points, so CI covers them without nightly.
//!
//! Each function panics when the property fails; that is what the fuzzer and
//! proptest report. Not part of the library's stable interface.

use std::io::Write as _;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use iishunt_syntax::{esql, kql, print};
use iishunt_w3c::{FileContext, LogReader, ReaderOptions, RejectReason};

use crate::render::{self, CsvOptions, Format, RenderOptions, TableOptions};
use crate::{Engine, Error, NowSetting, QueryOptions};

/// A syntax error must be the user's, with a span inside the text.
fn check_syntax_error(text: &str, e: &iishunt_syntax::SyntaxError) {
    assert!(
        !e.code.ends_with("::internal"),
        "internal parser error on {text:?}: {}",
        e.message
    );
    assert!(
        e.span.start <= e.span.end && e.span.end <= text.len(),
        "span {:?} out of range for {} bytes",
        e.span,
        text.len()
    );
    // Rendering the caret must not panic on any span (char boundaries).
    let _ = e.render(text);
}

/// KQL: any text parses or gives a user error; a parsed query prints as
/// KQL that parses again.
pub fn check_kql(text: &str) {
    match kql::parse(text) {
        Ok(query) => {
            let printed = print::to_kql(&query);
            if let Err(e) = kql::parse(&printed) {
                panic!(
                    "printed query does not parse: {}\ninput: {text:?}\nprinted: {printed}",
                    e.message
                );
            }
        }
        Err(e) => check_syntax_error(text, &e),
    }
}

/// ES|QL: any text parses or gives a user error with a span inside it.
pub fn check_esql(text: &str) {
    if let Err(e) = esql::parse(text) {
        check_syntax_error(text, &e);
    }
}

/// The longest line the W3C check allows, small so that fuzz inputs reach
/// the over-long path.
const W3C_MAX_LINE: usize = 256;

/// The W3C reader over any bytes (plain or gzip): it returns rows, rejects or
/// a file-level error, and accounts for every physical line — each is a row,
/// a reject, a directive, blank, or NUL padding, and the counts add up.
pub fn check_w3c(bytes: &[u8]) {
    let path = scratch_file("w3c.log");
    {
        let mut f = std::fs::File::create(&path).expect("create the scratch log");
        f.write_all(bytes).expect("write the scratch log");
    }
    let ctx = FileContext {
        path: path.clone(),
        file_uri: "fuzz.log".into(),
        computer: "FUZZ".into(),
        resume: None,
        live: false,
    };
    let opts = ReaderOptions {
        batch_rows: 7,
        max_line: W3C_MAX_LINE,
        ..ReaderOptions::default()
    };
    let Ok(mut reader) = LogReader::open(ctx, opts) else {
        return;
    };
    let (mut rows, mut rejects, mut directive_rejects) = (0u64, 0u64, 0u64);
    loop {
        match reader.next_chunk() {
            Ok(Some(chunk)) => {
                if let Some(b) = &chunk.batch {
                    assert!(b.num_rows() > 0, "an empty batch was returned");
                    rows += b.num_rows() as u64;
                }
                for r in &chunk.rejects {
                    rejects += 1;
                    if matches!(r.reason, RejectReason::BadDirective { .. }) {
                        directive_rejects += 1;
                    }
                    assert!(r.line >= 1, "reject without a line number");
                    assert!(
                        r.text.len() <= 3 * iishunt_w3c::line::OVERLONG_SAMPLE,
                        "a reject holds {} bytes",
                        r.text.len()
                    );
                }
            }
            Ok(None) => break,
            // Not a log, another log kind, a broken gzip stream: a file-level error.
            Err(_) => return,
        }
    }
    let s = reader.stats();
    assert_eq!(rows, s.rows, "rows in batches vs counted");
    assert_eq!(rejects, s.rejects, "rejects returned vs counted");
    let accounted =
        s.rows + (s.rejects - directive_rejects) + s.directives + s.blank_lines + s.nul_lines;
    assert_eq!(
        accounted, s.lines,
        "lines not accounted for: {s:?} ({directive_rejects} directive rejects)"
    );
    let gzip = bytes.starts_with(&[0x1f, 0x8b]);
    if !gzip {
        assert_eq!(
            s.lines,
            physical_lines(bytes),
            "physical lines vs read: {s:?}"
        );
    }
}

/// Lines as a text editor counts them: one per `\n`, plus an unterminated last one.
pub fn physical_lines(bytes: &[u8]) -> u64 {
    let newlines = bytes.iter().filter(|&&b| b == b'\n').count() as u64;
    let tail = bytes.iter().rev().take_while(|&&b| b != b'\n').count();
    newlines + u64::from(tail > 0)
}

/// A file for this thread's inputs, under the temp dir.
fn scratch_file(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("iishunt-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    dir.join(format!("{:?}-{name}", std::thread::current().id()).replace(['(', ')'], ""))
}

/// The pipeline fixture: 12 web rows over two `#Fields` sections (one with a
/// custom X-Forwarded-For field, hostile values in URIs and agents) and 3
/// HTTPERR rows.
const FIXTURE_W3C: &str = "#Software: Microsoft Internet Information Services 10.0
#Version: 1.0
#Date: 2026-03-08 08:00:00
#Fields: date time s-sitename s-computername s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status sc-bytes cs-bytes time-taken
2026-03-08 08:00:00 W3SVC1 WEB01 10.0.0.5 GET / - 443 - 203.0.113.5 Mozilla/5.0 - 200 0 0 1024 300 15
2026-03-08 08:00:01 W3SVC1 WEB01 10.0.0.5 GET /login.aspx user=admin 443 - 203.0.113.5 sqlmap/1.7 - 401 1 2148074254 512 420 31
2026-03-08 08:00:02 W3SVC1 WEB01 10.0.0.5 POST /login.aspx - 443 CONTOSO\\alice 198.51.100.7 Mozilla/5.0 https://www.contoso.com/ 302 0 0 230 900 12
2026-03-08 08:00:03 W3SVC1 WEB01 10.0.0.5 GET /wp-admin/ - 80 - 203.0.113.5 curl/8.0 - 404 0 2 1300 200 3
2026-03-08 08:00:04 W3SVC1 WEB01 10.0.0.5 GET /%2e%2e/etc/passwd - 80 - 203.0.113.9 ${jndi:ldap://x/a} - 404 0 2 1300 200 4
2026-03-08 08:00:05 W3SVC1 WEB01 10.0.0.5 GET /=cmd|'/c+calc'!A1 - 80 - 203.0.113.9 \x1b[31mred - 400 0 0 10 10 1
2026-03-08 08:00:06 W3SVC1 WEB01 fe80::1%3 GET /api/v1/items id=7 443 bob@contoso.com ::1%0 Mozilla/5.0 - 500 0 64 0 700 2500
#Fields: date time s-computername cs-method cs-uri-stem s-port c-ip cs(User-Agent) sc-status time-taken X-Forwarded-For
2026-03-08 09:00:00 WEB02 GET /health 80 10.0.0.9 kube-probe/1.29 200 1 -
2026-03-08 09:00:01 WEB02 GET /shell.aspx 80 10.0.0.9 <script>alert(1)</script> 200 5 198.51.100.1,10.0.0.1
2026-03-08 09:00:02 WEB02 PUT /upload 80 10.0.0.9 python-requests/2.31 201 80 198.51.100.2
2026-03-08 09:01:00 WEB02 GET /health 80 10.0.0.9 kube-probe/1.29 200 1 -
2026-03-08 09:02:00 WEB02 GET /health 80 10.0.0.9 kube-probe/1.29 200 2 -
";

const FIXTURE_HTTPERR: &str = "#Software: Microsoft HTTP API 2.0
#Version: 1.0
#Date: 2026-03-08 08:00:00
#Fields: date time c-ip c-port s-ip s-port cs-version cs-method cs-uri streamid sc-status s-siteid s-reason s-queuename
2026-03-08 08:10:00 203.0.113.5 50123 10.0.0.5 443 HTTP/1.1 GET /bad%00path - 400 - BadRequest -
2026-03-08 08:11:00 203.0.113.5 50124 10.0.0.5 443 - - - - - - Timer_ConnectionIdle -
2026-03-08 08:12:00 198.51.100.7 50125 10.0.0.5 80 HTTP/2.0 POST /api - 503 1 QueueFull DefaultAppPool
";

/// The engine over the fixture, opened once per process.
pub fn fixture_engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("iishunt-fuzz-data-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create the fixture folder");
        std::fs::write(dir.join("u_ex260308.log"), FIXTURE_W3C).expect("write the fixture");
        std::fs::write(dir.join("httperr1.log"), FIXTURE_HTTPERR).expect("write the fixture");
        Engine::open(&[dir]).expect("open the fixture")
    })
}

/// Limits each pipeline input runs under: a fuzz input must finish (or fail
/// with the limit's error) well inside libFuzzer's per-input timeout.
pub const PIPELINE_TIMEOUT: Duration = Duration::from_secs(2);
pub const PIPELINE_MEMORY: usize = 256 << 20;

/// The whole query pipeline — parse, bind, optimize, execute over the fixture,
/// render as table, CSV and JSON — under a time and memory budget. A query
/// gives rows or a user error, never an internal error (a panic in an
/// operator is caught and becomes one); JSON output parses; table output
/// holds no raw control character.
pub fn check_pipeline(text: &str) {
    let engine = fixture_engine();
    let options = QueryOptions {
        now: NowSetting::Fixed(1_772_960_400_000_000), // 2026-03-08T09:00:00Z
        memory_limit: Some(PIPELINE_MEMORY),
        timeout: Some(PIPELINE_TIMEOUT),
        max_rows: Some(10_000),
        ..Default::default()
    };
    let result = match engine.query(text, &options) {
        Ok(r) => r,
        Err(e) => {
            check_query_error(text, &e);
            return;
        }
    };
    let mut table = Vec::new();
    let table_options = RenderOptions {
        table: TableOptions {
            width: Some(100),
            max_rows: Some(50),
            ..TableOptions::default()
        },
        csv: CsvOptions::default(),
        hunt: None,
    };
    render::write(&result, Format::Table, &table_options, &mut table).expect("table");
    let table = String::from_utf8(table).expect("table output is UTF-8");
    assert!(
        !table.chars().any(|c| c.is_control() && c != '\n'),
        "raw control character in table output for {text:?}:\n{table}"
    );
    let mut csv = Vec::new();
    render::write(&result, Format::Csv, &RenderOptions::default(), &mut csv).expect("csv");
    let mut json = Vec::new();
    render::write(&result, Format::Json, &RenderOptions::default(), &mut json).expect("json");
    if let Err(e) = serde_json::from_slice::<serde_json::Value>(&json) {
        panic!(
            "invalid JSON for {text:?}: {e}\n{}",
            String::from_utf8_lossy(&json)
        );
    }
}

/// An error from a query must be the user's (or a limit), never a bug.
fn check_query_error(text: &str, e: &Error) {
    match e {
        Error::Syntax(s) => check_syntax_error(text, s),
        Error::Plan(p) => {
            assert!(
                !p.code.ends_with("::internal"),
                "internal planner error on {text:?}: {}",
                p.message
            );
            assert!(
                p.span.start <= p.span.end && p.span.end <= text.len(),
                "plan error span {:?} out of range for {text:?}",
                p.span
            );
        }
        Error::Exec(iishunt_exec::error::ExecError::Internal { context, message }) => {
            panic!("internal error in {context} on {text:?}: {message}")
        }
        Error::Exec(_) | Error::Data(_) => {}
        // Only `translate` makes these; a query never should.
        Error::Translate(t) => panic!("translate error from a query {text:?}: {}", t.message),
    }
}
