//! W3C text out: one `u_exYYMMDD.log` per server and UTC day under
//! `SERVER/W3SVCn/`, and `SERVER/HTTPERR/httperr1.log`, as IIS 10 writes
//! them — CRLF line ends, `+` for spaces in user agents, a directive block
//! at the top of each file and again after a restart, with the field set
//! an administrator changed mid-week, a few damaged lines and NUL padding
//! at the end of a pre-extended file.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use chrono::{DateTime, Utc};

use crate::catalog::Server;
use crate::event::{HttpError, Request};
use crate::traffic::Week;
use crate::truth::FileTruth;

/// Fields an administrator enables for Sentinel (every `W3CIISLog` column).
const FULL_FIELDS: &[&str] = &[
    "date",
    "time",
    "s-sitename",
    "s-computername",
    "s-ip",
    "cs-method",
    "cs-uri-stem",
    "cs-uri-query",
    "s-port",
    "cs-username",
    "c-ip",
    "cs-version",
    "cs(User-Agent)",
    "cs(Cookie)",
    "cs(Referer)",
    "cs-host",
    "sc-status",
    "sc-substatus",
    "sc-win32-status",
    "sc-bytes",
    "cs-bytes",
    "time-taken",
];
/// IIS 10's default field set.
const DEFAULT_FIELDS: &[&str] = &[
    "date",
    "time",
    "s-ip",
    "cs-method",
    "cs-uri-stem",
    "cs-uri-query",
    "s-port",
    "cs-username",
    "c-ip",
    "cs(User-Agent)",
    "cs(Referer)",
    "sc-status",
    "sc-substatus",
    "sc-win32-status",
    "time-taken",
];
const HTTPERR_FIELDS_OLD: &str =
    "date time c-ip c-port s-ip s-port cs-version cs-method cs-uri sc-status s-siteid s-reason s-queuename";
const HTTPERR_FIELDS_NEW: &str =
    "date time c-ip c-port s-ip s-port cs-version cs-method cs-uri streamid sc-status s-siteid s-reason s-queuename";

const DAY_MS: i64 = 86_400_000;

/// When a server's layout changes: from `at_ms` on, `fields` (plus a
/// trailing custom `X-Forwarded-For` when `forwarded`).
struct Layout {
    at_ms: i64,
    fields: &'static [&'static str],
    forwarded: bool,
}

fn layouts(server: &Server, week: &Week) -> Vec<Layout> {
    match server.name {
        // WEB03 starts with IIS's defaults; the admin turns on every field on day 3 at noon.
        "WEB03" => vec![
            Layout {
                at_ms: i64::MIN,
                fields: DEFAULT_FIELDS,
                forwarded: false,
            },
            Layout {
                at_ms: week.at(2, 12, 0),
                fields: FULL_FIELDS,
                forwarded: false,
            },
        ],
        // WEB01 gets a CDN in front on day 4: IIS restarts logging X-Forwarded-For.
        "WEB01" => vec![
            Layout {
                at_ms: i64::MIN,
                fields: FULL_FIELDS,
                forwarded: false,
            },
            Layout {
                at_ms: week.at(3, 13, 7),
                fields: FULL_FIELDS,
                forwarded: true,
            },
        ],
        _ => vec![Layout {
            at_ms: i64::MIN,
            fields: FULL_FIELDS,
            forwarded: false,
        }],
    }
}

/// Writes every file; returns what each holds.
pub fn write_logs(
    dir: &Path,
    servers: &[Server],
    week: &Week,
    requests: &mut [Request],
    errors: &mut [HttpError],
) -> io::Result<Vec<FileTruth>> {
    requests.sort_by_key(|r| (r.server, r.at_ms));
    errors.sort_by_key(|e| (e.server, e.at_ms));
    let mut files = Vec::new();
    for (index, server) in servers.iter().enumerate() {
        let mine: Vec<&Request> = requests.iter().filter(|r| r.server == index).collect();
        let layouts = layouts(server, week);
        let folder = dir.join(server.name).join(server.site_name());
        fs::create_dir_all(&folder)?;
        for day in 0..week.days {
            let day_start = week.start_ms + i64::from(day) * DAY_MS;
            let rows: Vec<&&Request> = mine
                .iter()
                .filter(|r| r.at_ms >= day_start && r.at_ms < day_start + DAY_MS)
                .collect();
            if rows.is_empty() {
                continue;
            }
            let name = format!("u_ex{}.log", stamp(day_start, "%y%m%d"));
            let damaged = server.name == "WEB02" && day == 4;
            let padded = server.name == "WEB02" && day + 1 == week.days;
            let mut out = Vec::with_capacity(rows.len() * 300);
            let mut current: Option<usize> = None;
            let mut malformed = 0;
            for (n, r) in rows.iter().enumerate() {
                let layout = layouts
                    .iter()
                    .rposition(|l| r.at_ms >= l.at_ms)
                    .unwrap_or(0);
                if current != Some(layout) {
                    let l = &layouts[layout];
                    let mut fields = l.fields.join(" ");
                    if l.forwarded {
                        fields.push_str(" X-Forwarded-For");
                    }
                    header(
                        &mut out,
                        "Microsoft Internet Information Services 10.0",
                        r.at_ms,
                        &fields,
                    );
                    current = Some(layout);
                }
                let l = &layouts[layout];
                let line = access_line(r, server, l.fields, l.forwarded);
                if damaged && n == rows.len() / 3 {
                    // A line cut short when the worker process crashed mid-write.
                    let cut: Vec<&str> = line.split(' ').take(9).collect();
                    out.extend_from_slice(cut.join(" ").as_bytes());
                    out.extend_from_slice(b"\r\n");
                    // A TLS handshake sent to the plain-text port, logged as garbage.
                    out.extend_from_slice(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n");
                    // A date no calendar has.
                    out.extend_from_slice(
                        line.replacen(&stamp(r.at_ms, "%Y-%m-%d"), "2026-13-45", 1)
                            .as_bytes(),
                    );
                    out.extend_from_slice(b"\r\n");
                    malformed += 3;
                }
                out.extend_from_slice(line.as_bytes());
                out.extend_from_slice(b"\r\n");
            }
            if padded {
                // IIS pre-extends the file it is writing: the tail is NULs.
                out.extend(std::iter::repeat_n(0u8, 4_096));
            }
            let path = folder.join(&name);
            fs::File::create(&path)?.write_all(&out)?;
            files.push(FileTruth {
                path: format!("{}/{}/{}", server.name, server.site_name(), name),
                rows: rows.len() as u64,
                malformed,
            });
        }
        let mine: Vec<&HttpError> = errors.iter().filter(|e| e.server == index).collect();
        if !mine.is_empty() {
            let folder = dir.join(server.name).join("HTTPERR");
            fs::create_dir_all(&folder)?;
            let mut out = Vec::new();
            // A Windows update on day 4 brings the HTTP/3-era layout with streamid.
            let switch = week.at(3, 4, 30);
            let mut new_layout = None;
            for e in &mine {
                let now_new = e.at_ms >= switch;
                if new_layout != Some(now_new) {
                    let fields = if now_new {
                        HTTPERR_FIELDS_NEW
                    } else {
                        HTTPERR_FIELDS_OLD
                    };
                    header(&mut out, "Microsoft HTTP API 2.0", e.at_ms, fields);
                    new_layout = Some(now_new);
                }
                out.extend_from_slice(error_line(e, server, now_new).as_bytes());
                out.extend_from_slice(b"\r\n");
            }
            fs::File::create(folder.join("httperr1.log"))?.write_all(&out)?;
            files.push(FileTruth {
                path: format!("{}/HTTPERR/httperr1.log", server.name),
                rows: mine.len() as u64,
                malformed: 0,
            });
        }
    }
    Ok(files)
}

fn header(out: &mut Vec<u8>, software: &str, at_ms: i64, fields: &str) {
    let date = stamp(at_ms, "%Y-%m-%d %H:%M:%S");
    let text =
        format!("#Software: {software}\r\n#Version: 1.0\r\n#Date: {date}\r\n#Fields: {fields}\r\n");
    out.extend_from_slice(text.as_bytes());
}

/// One access-log line in the given field order.
fn access_line(r: &Request, server: &Server, fields: &[&str], forwarded: bool) -> String {
    let version =
        if r.port == 443 && r.agent.starts_with("Mozilla/5.0 (") && !r.agent.contains("compatible")
        {
            "HTTP/2"
        } else {
            "HTTP/1.1"
        };
    let mut values: Vec<String> = fields
        .iter()
        .map(|f| match *f {
            "date" => stamp(r.at_ms, "%Y-%m-%d"),
            "time" => stamp(r.at_ms, "%H:%M:%S"),
            "s-sitename" => server.site_name(),
            "s-computername" => server.name.to_string(),
            "s-ip" => server.ip.to_string(),
            "cs-method" => r.method.to_string(),
            "cs-uri-stem" => r.stem.clone(),
            "cs-uri-query" => r.query.clone(),
            "s-port" => r.port.to_string(),
            "cs-username" => r.user.clone(),
            "c-ip" => r.client.clone(),
            "cs-version" => version.to_string(),
            "cs(User-Agent)" => dash(&r.agent.replace(' ', "+")),
            "cs(Cookie)" => "-".to_string(),
            "cs(Referer)" => dash(&r.referer),
            "cs-host" => server.host.to_string(),
            "sc-status" => r.status.to_string(),
            "sc-substatus" => r.substatus.to_string(),
            "sc-win32-status" => r.win32.to_string(),
            "sc-bytes" => r.sc_bytes.to_string(),
            "cs-bytes" => r.cs_bytes.to_string(),
            "time-taken" => r.taken_ms.to_string(),
            _ => "-".to_string(),
        })
        .collect();
    if forwarded {
        values.push("-".to_string());
    }
    values.join(" ")
}

fn error_line(e: &HttpError, server: &Server, with_stream: bool) -> String {
    let date = stamp(e.at_ms, "%Y-%m-%d %H:%M:%S");
    let stream = if with_stream { " -" } else { "" };
    format!(
        "{date} {} {} {} {} {} {} {}{stream} {} {} {} {}",
        e.client,
        e.client_port,
        server.ip,
        e.port,
        e.version,
        e.method,
        e.uri,
        e.status,
        e.site_id,
        e.reason,
        e.queue
    )
}

fn dash(value: &str) -> String {
    if value.is_empty() {
        "-".to_string()
    } else {
        value.to_string()
    }
}

fn stamp(at_ms: i64, format: &str) -> String {
    DateTime::<Utc>::from_timestamp_millis(at_ms)
        .map(|t| t.format(format).to_string())
        .unwrap_or_default()
}

/// An instant as RFC 3339 (`2026-03-02T16:30:00Z`).
pub fn rfc3339(at_ms: i64) -> String {
    stamp(at_ms, "%Y-%m-%dT%H:%M:%SZ")
}
