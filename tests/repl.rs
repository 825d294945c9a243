//! `iishunt repl` driven through a pseudo-terminal (rexpect): a query,
//! multi-line input, tab completion, an error then a good query, Ctrl-C at
//! the prompt and during a long query, and Ctrl-D to leave.
#![cfg(unix)]

use std::io::Write;
use std::path::Path;
use std::process::Command;

use rexpect::process::wait::WaitStatus;
use rexpect::session::{spawn_command, PtySession};

use crate::cli::logs;

const TIMEOUT_MS: u64 = 30_000;

/// The REPL on `data`, with its history in `history`.
fn repl(data: &Path, history: &Path) -> PtySession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_iishunt"));
    cmd.arg("repl")
        .arg("--data")
        .arg(data)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "120")
        .env("TERM", "xterm")
        .env("IISHUNT_HISTORY", history);
    let mut p = spawn_command(cmd, Some(TIMEOUT_MS)).expect("spawn the REPL");
    p.exp_string("Type .help").expect("banner");
    p.exp_string("iishunt> ").expect("prompt");
    p
}

fn quit(mut p: PtySession) {
    p.send_control('d').expect("Ctrl-D");
    p.exp_eof().expect("the REPL ends on Ctrl-D");
    match p.process.wait() {
        Ok(WaitStatus::Exited(_, code)) => assert_eq!(code, 0, "exit code after Ctrl-D"),
        other => panic!("unexpected end: {other:?}"),
    }
}

#[test]
fn a_query_then_ctrl_d() {
    let dir = tempfile::tempdir().expect("tempdir");
    let history = dir.path().join("history");
    let mut p = repl(&logs(), &history);
    p.send_line("W3CIISLog | count").expect("send");
    p.exp_string("53").expect("the count");
    p.exp_string("1 row in").expect("row count and elapsed");
    p.exp_string("iishunt> ").expect("prompt again");
    quit(p);
    let saved = std::fs::read_to_string(&history).expect("history saved");
    assert!(saved.contains("W3CIISLog | count"), "{saved}");
}

#[test]
fn history_search_and_hints_bring_back_a_query() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut p = repl(&logs(), &dir.path().join("history"));
    assert!(ask(&mut p, "W3CIISLog | where cIP == \"192.0.2.66\" | count").contains("1 row in"));
    assert!(ask(&mut p, ".tables").contains("W3CIISLog ("));
    // Ctrl-R, a few characters of the query, Enter: it runs again.
    p.send_control('r').expect("Ctrl-R");
    p.exp_string("reverse-i-search").expect("search prompt");
    p.send("192.0.2.6").expect("send");
    p.flush().expect("flush");
    p.exp_string("192.0.2.66").expect("the match is shown");
    p.send("\r").expect("Enter");
    p.flush().expect("flush");
    p.exp_string("1 row in")
        .expect("the query found in history ran");
    p.exp_string("\x1b[?2004h").expect("the REPL reads again");
    // A hint from history, accepted with →, then Enter.
    p.send("W3CIISLog | where cIP == \"192").expect("send");
    p.flush().expect("flush");
    p.send("\x1b[C").expect("right arrow");
    p.flush().expect("flush");
    p.send("\r").expect("Enter");
    p.flush().expect("flush");
    p.exp_string("1 row in").expect("the hinted query ran");
    quit(p);
}

#[test]
fn a_trailing_pipe_continues_on_the_next_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut p = repl(&logs(), &dir.path().join("history"));
    p.send_line("W3CIISLog |").expect("send");
    p.exp_string(".......> ").expect("continuation prompt");
    p.send_line("where cIP == \"192.0.2.66\" |").expect("send");
    p.exp_string(".......> ").expect("continuation prompt");
    p.send_line("count").expect("send");
    p.exp_string("1 row in").expect("result");
    quit(p);
}

#[test]
fn a_table_name_waits_for_its_operators_and_an_empty_line_runs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut p = repl(&logs(), &dir.path().join("history"));
    p.send_line("W3CIISLog").expect("send");
    p.exp_string(".......> ")
        .expect("continuation prompt after a bare table name");
    p.send_line("| where cIP == \"192.0.2.66\"").expect("send");
    p.exp_string("4 rows in")
        .expect("the two lines ran as one query");
    p.exp_string("\x1b[?2004h").expect("the REPL reads again");
    p.send_line("W3CIISLog | where cIP == \"192.0.2.66\" | summarize count() by")
        .expect("send");
    p.exp_string(".......> ").expect("continuation prompt");
    p.send_line("").expect("send");
    p.exp_string("iishunt::")
        .expect("an empty line runs it; the parser says what is missing");
    quit(p);
}

#[test]
fn tab_completes_operators_and_columns() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut p = repl(&logs(), &dir.path().join("history"));
    // `summ<Tab>` → `summarize`, `TimeGen<Tab>` → `TimeGenerated`.
    p.send("W3CIISLog | summ").expect("send");
    p.flush().expect("flush");
    p.send("\t").expect("tab");
    p.flush().expect("flush");
    p.send(" c = count() by bin(TimeGen").expect("send");
    p.flush().expect("flush");
    p.send("\t").expect("tab");
    p.flush().expect("flush");
    p.send_line(", 1d)").expect("send");
    p.exp_string("2026-03-08T00:00:00Z")
        .expect("the completed query ran");
    p.exp_string("1 row in").expect("result");
    quit(p);
}

#[test]
fn tab_completes_esql_sources_and_ecs_fields() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut p = repl(&logs(), &dir.path().join("history"));
    p.send("FROM logs-iis.acc").expect("send");
    p.flush().expect("flush");
    p.send("\t").expect("tab");
    p.flush().expect("flush");
    p.send(" | STATS n = COUNT(*) BY source.i").expect("send");
    p.flush().expect("flush");
    p.send("\t").expect("tab");
    p.flush().expect("flush");
    p.send_line(" | SORT n DESC | LIMIT 1").expect("send");
    p.exp_regex(r"25 .*203\.0\.113\.5")
        .expect("the completed ES|QL query ran");
    quit(p);
}

#[test]
fn an_error_shows_a_diagnostic_and_the_session_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut p = repl(&logs(), &dir.path().join("history"));
    p.send_line("W3CIISLog | wher cIP == \"x\"").expect("send");
    p.exp_string("iishunt::").expect("diagnostic with its code");
    p.exp_string("iishunt> ").expect("prompt after the error");
    p.send_line("W3CIISLog | where cIP == \"192.0.2.66\" | count")
        .expect("send");
    p.exp_string("1 row in").expect("the good query runs");
    quit(p);
}

/// Sends `line` and returns what the REPL printed until it reads input
/// again. rustyline turns on bracketed paste (`ESC [?2004h`) each time it
/// starts reading a line, which tells a fresh prompt from a redraw of the
/// line just typed; lines typed ahead of that may be dropped.
fn ask(p: &mut PtySession, line: &str) -> String {
    p.send_line(line).expect("send");
    p.exp_string("\x1b[?2004h").expect("the REPL reads again")
}

#[test]
fn commands_work() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("hits.csv");
    let mut p = repl(&logs(), &dir.path().join("history"));
    assert!(ask(&mut p, ".tables").contains("W3CIISLog ("));
    assert!(ask(&mut p, ".schema W3CIISLog").contains("csUriStem"));
    ask(&mut p, ".format csv");
    let csv = ask(
        &mut p,
        "W3CIISLog | where cIP == \"192.0.2.66\" | project cIP | take 1",
    );
    assert!(csv.contains("cIP\r\n192.0.2.66\r\n"), "{csv:?}");
    ask(&mut p, &format!(".output {}", out.display()));
    let written = ask(
        &mut p,
        "W3CIISLog | where cIP == \"192.0.2.66\" | project cIP",
    );
    assert!(written.contains("4 rows written"), "{written:?}");
    let hunt = dir.path().join("typo.kql");
    std::fs::write(&hunt, "W3CIISLog\n| wher cIP == \"x\"\n").expect("write");
    let read = ask(&mut p, &format!(".read {}", hunt.display()));
    assert!(
        read.contains("typo.kql"),
        "the diagnostic names the file: {read:?}"
    );
    let parquet = dir.path().join("hits.parquet");
    ask(&mut p, &format!(".output {}", parquet.display()));
    assert!(ask(&mut p, "W3CIISLog | take 3").contains("3 rows written"));
    assert!(std::fs::read(&parquet)
        .expect("parquet")
        .starts_with(b"PAR1"));
    ask(&mut p, ".timing on");
    assert!(ask(&mut p, "W3CIISLog | count").contains("time: "));
    p.send_line(".quit").expect("send");
    p.exp_eof().expect("the REPL ends on .quit");
    let csv = std::fs::read_to_string(&out).expect("hits.csv");
    assert_eq!(csv.lines().count(), 5, "{csv}");
}

#[test]
fn ctrl_c_at_the_prompt_clears_the_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut p = repl(&logs(), &dir.path().join("history"));
    p.send("W3CIISLog | where this is not finished")
        .expect("send");
    p.send_control('c').expect("Ctrl-C");
    p.exp_string("iishunt> ").expect("a fresh prompt");
    p.send_line("W3CIISLog | count").expect("send");
    p.exp_string("1 row in").expect("only the new line ran");
    quit(p);
}

#[test]
fn ctrl_c_cancels_a_long_query_and_the_session_goes_on() {
    // A log big enough that a heavy query takes a while in a debug build.
    let dir = tempfile::tempdir().expect("tempdir");
    let logs_dir = dir.path().join("logs");
    std::fs::create_dir_all(&logs_dir).expect("mkdir");
    write_big_log(&logs_dir.join("u_ex260309.log"), 400_000);
    let mut p = repl(&logs_dir, &dir.path().join("history"));
    // About 2.5 s in a debug build (400,000 groups); Ctrl-C comes well before the end.
    p.send_line(
        "W3CIISLog | summarize a = make_set(csUriStem), b = make_list(strcat(csUriQuery, cIP)), \
         c = dcount(TimeTaken) by csUriQuery, cIP | summarize n = count() by cIP | count",
    )
    .expect("send");
    std::thread::sleep(std::time::Duration::from_millis(150));
    p.send_control('c').expect("Ctrl-C");
    p.exp_string("query cancelled")
        .expect("the query is cancelled");
    p.exp_string("\x1b[?2004h").expect("the REPL reads again");
    p.send_line("print x = 1").expect("send");
    p.exp_string("1 row in").expect("the session goes on");
    quit(p);
}

fn write_big_log(path: &Path, rows: usize) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    writeln!(f, "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status time-taken").expect("write");
    for i in 0..rows {
        writeln!(
            f,
            "2026-03-09 {:02}:{:02}:{:02} 10.0.1.50 GET /p{}.aspx q={} 443 - 10.{}.{}.{} Mozilla/5.0 200 0 0 {}",
            (i / 3600) % 24,
            (i / 60) % 60,
            i % 60,
            i % 5000,
            i,
            i % 7,
            i % 250,
            i % 200,
            i % 1000
        )
        .expect("write");
    }
}
