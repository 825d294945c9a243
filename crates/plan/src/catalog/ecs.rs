//! The ECS view: how ES|QL sees IIS logs, as data.
//!
//! ES|QL users query Elastic index patterns (`FROM logs-iis.access-*`) and Elastic
//! Common Schema field names (`source.ip`, `http.response.status_code`). iishunt
//! stores the logs once, under Sentinel's table and column names (`W3CIISLog`,
//! `HttpErrorLog`); this module says, field by field, how each ECS value is computed
//! from those columns, as a KQL scalar expression. The planner parses each `kql`
//! with the KQL front end and binds it like an `extend`, so the ECS view costs one
//! projection and every engine feature serves both dialects.
//!
//! The mapping follows Elastic's IIS integration (`packages/iis`, the `access` and
//! `error` data streams' ingest pipelines) and DESIGN.md's table. Where they differ
//! DESIGN.md wins and the field's `doc` says so:
//! - absent values (`-` in the log) are null here, never the string `-`;
//! - `user.name` / `user.domain` are split from `DOMAIN\user` and `user@domain`
//!   (the pipeline keeps the raw `cs-username` in `user.name`);
//! - `event.duration` is always set (the pipeline's script tests a misspelled
//!   `temp` field and so never runs).
//!
//! Not mapped: `network.forwarded_ip`. Elastic takes it from a trailing
//! `X-Forwarded-For` custom field, but a custom column exists only in datasets
//! whose logs carry one, and a view field must bind on every dataset. When the
//! catalog has one of [`FORWARDED_FOR_COLUMNS`] (the reader's names for
//! `cs(X-Forwarded-For)` / `X-Forwarded-For`), the planner adds the field with
//! [`forwarded_ip_kql`].
//! `source.geo.*`, `source.as.*` and `user_agent.name`/`os` need GeoIP and
//! user-agent databases and are not produced.
//!
//! Depends on `std` only.

/// One ECS field of a view: its name, its KQL expression over the Sentinel columns, a short doc.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EcsField {
    pub name: &'static str,
    pub kql: &'static str,
    pub doc: &'static str,
}

/// The Elastic data streams iishunt can serve, each backed by one Sentinel-named table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EcsSource {
    /// `logs-iis.access-*` → `W3CIISLog`
    Access,
    /// `logs-iis.error-*` → `HttpErrorLog`
    Error,
}

impl EcsSource {
    /// Every source, in catalog order.
    pub const ALL: [EcsSource; 2] = [EcsSource::Access, EcsSource::Error];

    /// The stored table the view reads.
    pub fn table_name(self) -> &'static str {
        match self {
            EcsSource::Access => "W3CIISLog",
            EcsSource::Error => "HttpErrorLog",
        }
    }

    /// The data stream name Elastic's integration writes to with the default
    /// namespace: `logs-<dataset>-default`. This is what `FROM` patterns match and
    /// what `METADATA _index` returns.
    pub fn index_name(self) -> &'static str {
        match self {
            EcsSource::Access => "logs-iis.access-default",
            EcsSource::Error => "logs-iis.error-default",
        }
    }

    /// `event.dataset` / `data_stream.dataset`.
    pub fn dataset(self) -> &'static str {
        match self {
            EcsSource::Access => "iis.access",
            EcsSource::Error => "iis.error",
        }
    }
}

/// The ECS fields of a view, in the order `FROM … | KEEP *` shows them.
pub fn fields(src: EcsSource) -> &'static [EcsField] {
    match src {
        EcsSource::Access => ACCESS,
        EcsSource::Error => ERROR,
    }
}

/// Which sources an ES|QL index pattern (wildcards `*`, as in Elasticsearch) matches;
/// empty when none. Matching is against [`EcsSource::index_name`], case-sensitive
/// (Elasticsearch index names are lower-case). Remote-cluster patterns
/// (`cluster:logs-*`) and exclusions (`-logs-*`) match nothing here.
pub fn matching_sources(pattern: &str) -> Vec<EcsSource> {
    let pattern = pattern.trim();
    if pattern.is_empty() || pattern.starts_with('-') || pattern.contains(':') {
        return Vec::new();
    }
    EcsSource::ALL
        .into_iter()
        .filter(|s| wildcard_match(pattern.as_bytes(), s.index_name().as_bytes()))
        .collect()
}

/// The stored names of an X-Forwarded-For custom field, as `iishunt-w3c` names
/// custom columns (`cs(X-Forwarded-For)` → `csXForwardedFor`), most specific first.
pub const FORWARDED_FOR_COLUMNS: &[&str] = &["csXForwardedFor", "XForwardedFor"];

/// The KQL for `network.forwarded_ip` when the dataset has an `X-Forwarded-For`
/// custom column named `column`: the first address of the comma list, zone id and
/// port-less, null when absent (`-`). Elastic's pipeline takes the trailing field
/// as one address; proxies often log a list, whose first entry is the client.
pub fn forwarded_ip_kql(column: &str) -> String {
    format!(
        "iff(isempty({c}) or {c} == \"-\", string(null), replace_regex(trim(@\"\\s\", tostring(split({c}, \",\")[0])), @\"%.*$\", \"\"))",
        c = column
    )
}

/// `*` matches any run of bytes (including none); everything else is literal.
/// Two-pointer match: O(pattern × text) at worst, no exponential backtracking on `*a*a*a…`.
fn wildcard_match(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && pattern[p] == b'*' {
            star = Some((p, t));
            p += 1;
        } else if p < pattern.len() && pattern[p] == text[t] {
            p += 1;
            t += 1;
        } else if let Some((sp, st)) = star {
            p = sp + 1;
            t = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&b| b == b'*')
}

// ---------------------------------------------------------------------------
// logs-iis.access-* over W3CIISLog
// ---------------------------------------------------------------------------

const ACCESS: &[EcsField] = &[
    EcsField {
        name: "@timestamp",
        kql: "TimeGenerated",
        doc: "date + time of the request, UTC.",
    },
    EcsField {
        name: "source.address",
        kql: r#"iff(isempty(cIP) or cIP == "-", string(null), cIP)"#,
        doc: "c-ip as logged, IPv6 zone id included.",
    },
    EcsField {
        name: "source.ip",
        kql: r#"iff(isempty(cIP) or cIP == "-", string(null), replace_regex(cIP, @"%.*$", ""))"#,
        doc: "c-ip, the client address, with any IPv6 zone id (`%3`) stripped.",
    },
    EcsField {
        name: "destination.address",
        kql: r#"iff(isempty(sIP) or sIP == "-", string(null), sIP)"#,
        doc: "s-ip as logged, IPv6 zone id included.",
    },
    EcsField {
        name: "destination.ip",
        kql: r#"iff(isempty(sIP) or sIP == "-", string(null), replace_regex(sIP, @"%.*$", ""))"#,
        doc: "s-ip, the server address, with any IPv6 zone id stripped.",
    },
    EcsField {
        name: "destination.port",
        kql: "tolong(sPort)",
        doc: "s-port (long).",
    },
    EcsField {
        name: "destination.domain",
        kql: r#"iff(isempty(csHost) or csHost == "-", string(null), csHost)"#,
        doc: "cs-host, the Host header.",
    },
    EcsField {
        name: "url.domain",
        kql: r#"iff(isempty(csHost) or csHost == "-", string(null), csHost)"#,
        doc: "cs-host, as the pipeline copies destination.domain.",
    },
    EcsField {
        name: "http.request.method",
        kql: r#"iff(isempty(csMethod) or csMethod == "-", string(null), csMethod)"#,
        doc: "cs-method.",
    },
    EcsField {
        name: "url.original",
        kql: r#"iff(isempty(csUriStem) or csUriStem == "-", string(null), csUriStem)"#,
        doc: "cs-uri-stem as logged (IIS logs the query separately).",
    },
    EcsField {
        name: "url.path",
        kql: r#"iff(isempty(csUriStem) or csUriStem == "-", string(null), csUriStem)"#,
        doc: "cs-uri-stem.",
    },
    EcsField {
        name: "url.extension",
        kql: r#"iff(isnotempty(extract(@"\.([^./]+)$", 1, csUriStem)), extract(@"\.([^./]+)$", 1, csUriStem), string(null))"#,
        doc: "The file extension of cs-uri-stem's last segment, without the dot; null when none.",
    },
    EcsField {
        name: "url.query",
        kql: r#"iff(isempty(csUriQuery) or csUriQuery == "-", string(null), url_decode(replace_string(csUriQuery, "+", " ")))"#,
        doc: "cs-uri-query, percent-decoded with `+` read as a space (the pipeline's urldecode).",
    },
    EcsField {
        name: "user.name",
        kql: r#"case(isempty(csUserName) or csUserName == "-", string(null), csUserName contains "\\", extract(@"\\(.*)$", 1, csUserName), csUserName contains "@", extract(@"^([^@]*)@", 1, csUserName), csUserName)"#,
        doc: "cs-username without its domain: `user` from `DOMAIN\\user` or `user@domain`.",
    },
    EcsField {
        name: "user.domain",
        kql: r#"case(isempty(csUserName) or csUserName == "-", string(null), csUserName contains "\\", extract(@"^([^\\]*)\\", 1, csUserName), csUserName contains "@", extract(@"@(.*)$", 1, csUserName), string(null))"#,
        doc: "The domain part of cs-username (`DOMAIN\\user`, `user@domain`); null when none.",
    },
    EcsField {
        name: "http.version",
        kql: r#"iff(csVersion startswith "HTTP/", substring(csVersion, 5), string(null))"#,
        doc: "cs-version without `HTTP/`: `HTTP/1.1` → `1.1`.",
    },
    EcsField {
        name: "user_agent.original",
        kql: r#"iff(isempty(csUserAgent) or csUserAgent == "-", string(null), url_decode(replace_string(csUserAgent, "+", " ")))"#,
        doc: "cs(User-Agent), URL-decoded with `+` read as a space.",
    },
    EcsField {
        name: "iis.access.cookie",
        kql: r#"iff(isempty(csCookie) or csCookie == "-", string(null), csCookie)"#,
        doc: "cs(Cookie) as logged.",
    },
    EcsField {
        name: "http.request.referrer",
        kql: r#"iff(isempty(csReferer) or csReferer == "-", string(null), csReferer)"#,
        doc: "cs(Referer) as logged.",
    },
    EcsField {
        name: "http.response.status_code",
        kql: "tolong(scStatus)",
        doc: "sc-status (long).",
    },
    EcsField {
        name: "iis.access.sub_status",
        kql: "tolong(scSubStatus)",
        doc: "sc-substatus (long).",
    },
    EcsField {
        name: "iis.access.win32_status",
        kql: "tolong(scWin32Status)",
        doc: "sc-win32-status (long; values above 2^32 occur).",
    },
    EcsField {
        name: "http.response.body.bytes",
        kql: "scBytes",
        doc: "sc-bytes (long).",
    },
    EcsField {
        name: "http.request.body.bytes",
        kql: "csBytes",
        doc: "cs-bytes (long).",
    },
    EcsField {
        name: "event.duration",
        kql: "TimeTaken * 1000000",
        doc: "time-taken in nanoseconds (IIS logs milliseconds).",
    },
    EcsField {
        name: "iis.access.site_name",
        kql: r#"iff(isempty(sSiteName) or sSiteName == "-", string(null), sSiteName)"#,
        doc: "s-sitename, e.g. `W3SVC1`.",
    },
    EcsField {
        name: "iis.access.server_name",
        kql: r#"iff(isempty(sComputerName) or sComputerName == "-", string(null), sComputerName)"#,
        doc: "s-computername.",
    },
    EcsField {
        name: "host.name",
        kql: "tolower(Computer)",
        doc: "The server that wrote the log, lower-cased.",
    },
    EcsField {
        name: "agent.id",
        kql: "Computer",
        doc: "The server that wrote the log (Elastic: the collecting agent's id).",
    },
    EcsField {
        name: "event.kind",
        kql: r#""event""#,
        doc: "Always `event`.",
    },
    EcsField {
        name: "event.category",
        kql: r#"iff(isnotempty(cIP) and cIP != "-" and isnotempty(sIP) and sIP != "-", dynamic(["web", "network"]), dynamic(["web"]))"#,
        doc: "Multi-valued: `web`, plus `network` when both addresses are known.",
    },
    EcsField {
        name: "event.type",
        kql: r#"iff(isnotempty(cIP) and cIP != "-" and isnotempty(sIP) and sIP != "-", "connection", string(null))"#,
        doc: "`connection` when both addresses are known, else null.",
    },
    EcsField {
        name: "event.outcome",
        kql: r#"case(isnull(tolong(scStatus)), string(null), tolong(scStatus) < 400, "success", "failure")"#,
        doc: "`success` below status 400, `failure` from 400, null without a status.",
    },
    EcsField {
        name: "event.module",
        kql: r#""iis""#,
        doc: "Always `iis`.",
    },
    EcsField {
        name: "event.dataset",
        kql: r#""iis.access""#,
        doc: "Always `iis.access`.",
    },
    EcsField {
        name: "related.ip",
        kql: r#"case(isnotempty(cIP) and cIP != "-" and isnotempty(sIP) and sIP != "-", split(strcat(replace_regex(cIP, @"%.*$", ""), ",", replace_regex(sIP, @"%.*$", "")), ","), isnotempty(cIP) and cIP != "-", split(replace_regex(cIP, @"%.*$", ""), ","), isnotempty(sIP) and sIP != "-", split(replace_regex(sIP, @"%.*$", ""), ","), dynamic(null))"#,
        doc: "Multi-valued: source.ip then destination.ip, those that are known.",
    },
    EcsField {
        name: "data_stream.type",
        kql: r#""logs""#,
        doc: "Always `logs`.",
    },
    EcsField {
        name: "data_stream.dataset",
        kql: r#""iis.access""#,
        doc: "Always `iis.access`.",
    },
    EcsField {
        name: "data_stream.namespace",
        kql: r#""default""#,
        doc: "Always `default`.",
    },
    EcsField {
        name: "log.file.path",
        kql: "FileUri",
        doc: "The log file the row came from.",
    },
];

// ---------------------------------------------------------------------------
// logs-iis.error-* over HttpErrorLog (HTTP.sys httperr*.log)
// ---------------------------------------------------------------------------

const ERROR: &[EcsField] = &[
    EcsField {
        name: "@timestamp",
        kql: "TimeGenerated",
        doc: "date + time of the event, UTC.",
    },
    EcsField {
        name: "source.address",
        kql: r#"iff(isempty(cIP) or cIP == "-", string(null), cIP)"#,
        doc: "c-ip as logged, IPv6 zone id included.",
    },
    EcsField {
        name: "source.ip",
        kql: r#"iff(isempty(cIP) or cIP == "-", string(null), replace_regex(cIP, @"%.*$", ""))"#,
        doc: "c-ip with any IPv6 zone id stripped; every HTTPERR row has one, `Timer_*` rows too.",
    },
    EcsField {
        name: "source.port",
        kql: "tolong(cPort)",
        doc: "c-port (long).",
    },
    EcsField {
        name: "destination.address",
        kql: r#"iff(isempty(sIP) or sIP == "-", string(null), sIP)"#,
        doc: "s-ip as logged, IPv6 zone id included.",
    },
    EcsField {
        name: "destination.ip",
        kql: r#"iff(isempty(sIP) or sIP == "-", string(null), replace_regex(sIP, @"%.*$", ""))"#,
        doc: "s-ip with any IPv6 zone id stripped.",
    },
    EcsField {
        name: "destination.port",
        kql: "tolong(sPort)",
        doc: "s-port (long).",
    },
    EcsField {
        name: "http.version",
        kql: r#"iff(csVersion startswith "HTTP/", substring(csVersion, 5), string(null))"#,
        doc: "cs-version without `HTTP/`; null on `-`.",
    },
    EcsField {
        name: "http.request.method",
        kql: r#"iff(isempty(csMethod) or csMethod == "-", string(null), csMethod)"#,
        doc: "cs-method.",
    },
    EcsField {
        name: "url.original",
        kql: r#"iff(isempty(csUri) or csUri == "-", string(null), csUri)"#,
        doc: "cs-uri as logged (path and query).",
    },
    EcsField {
        name: "url.path",
        kql: r#"iff(isempty(csUri) or csUri == "-", string(null), extract(@"^[^?]*", 0, csUri))"#,
        doc: "The path part of cs-uri (before `?`).",
    },
    EcsField {
        name: "url.query",
        kql: r#"iff(csUri contains "?", extract(@"\?(.*)$", 1, csUri), string(null))"#,
        doc: "The query part of cs-uri (after `?`), not decoded (the pipeline's uri_parts).",
    },
    EcsField {
        name: "http.response.status_code",
        kql: "tolong(scStatus)",
        doc: "sc-status (long); null on `-`.",
    },
    EcsField {
        name: "iis.error.reason_phrase",
        kql: r#"iff(isempty(sReason) or sReason == "-", string(null), sReason)"#,
        doc: "s-reason, e.g. `Timer_ConnectionIdle`, `BadRequest`.",
    },
    EcsField {
        name: "iis.error.queue_name",
        kql: r#"iff(isempty(sQueueName) or sQueueName == "-", string(null), sQueueName)"#,
        doc: "s-queuename, the application pool.",
    },
    EcsField {
        name: "host.name",
        kql: "tolower(Computer)",
        doc: "The server that wrote the log, lower-cased.",
    },
    EcsField {
        name: "agent.id",
        kql: "Computer",
        doc: "The server that wrote the log (Elastic: the collecting agent's id).",
    },
    EcsField {
        name: "event.kind",
        kql: r#""event""#,
        doc: "Always `event`.",
    },
    EcsField {
        name: "event.category",
        kql: r#"iff(isnotempty(cIP) and cIP != "-" and isnotempty(sIP) and sIP != "-", dynamic(["web", "network"]), dynamic(["web"]))"#,
        doc: "Multi-valued: `web`, plus `network` when both addresses are known.",
    },
    EcsField {
        name: "event.type",
        kql: r#"iff(isnotempty(cIP) and cIP != "-" and isnotempty(sIP) and sIP != "-", "connection", string(null))"#,
        doc: "`connection` when both addresses are known, else null.",
    },
    EcsField {
        name: "event.outcome",
        kql: r#"case(isnull(tolong(scStatus)), string(null), tolong(scStatus) < 400, "success", "failure")"#,
        doc: "`success` below status 400, `failure` from 400, null without a status.",
    },
    EcsField {
        name: "event.module",
        kql: r#""iis""#,
        doc: "Always `iis`.",
    },
    EcsField {
        name: "event.dataset",
        kql: r#""iis.error""#,
        doc: "Always `iis.error`.",
    },
    EcsField {
        name: "related.ip",
        kql: r#"case(isnotempty(cIP) and cIP != "-" and isnotempty(sIP) and sIP != "-", split(strcat(replace_regex(cIP, @"%.*$", ""), ",", replace_regex(sIP, @"%.*$", "")), ","), isnotempty(cIP) and cIP != "-", split(replace_regex(cIP, @"%.*$", ""), ","), isnotempty(sIP) and sIP != "-", split(replace_regex(sIP, @"%.*$", ""), ","), dynamic(null))"#,
        doc: "Multi-valued: source.ip then destination.ip, those that are known.",
    },
    EcsField {
        name: "data_stream.type",
        kql: r#""logs""#,
        doc: "Always `logs`.",
    },
    EcsField {
        name: "data_stream.dataset",
        kql: r#""iis.error""#,
        doc: "Always `iis.error`.",
    },
    EcsField {
        name: "data_stream.namespace",
        kql: r#""default""#,
        doc: "Always `default`.",
    },
    EcsField {
        name: "log.file.path",
        kql: "FileUri",
        doc: "The log file the row came from.",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_sources_follows_elasticsearch_wildcards() {
        let cases: &[(&str, &[EcsSource])] = &[
            ("logs-iis.access-*", &[EcsSource::Access]),
            ("logs-iis.error-*", &[EcsSource::Error]),
            ("logs-iis.*", &[EcsSource::Access, EcsSource::Error]),
            ("logs-*", &[EcsSource::Access, EcsSource::Error]),
            ("*", &[EcsSource::Access, EcsSource::Error]),
            ("logs-*-default", &[EcsSource::Access, EcsSource::Error]),
            ("logs-iis.error-default", &[EcsSource::Error]),
            ("logs-iis.access-default", &[EcsSource::Access]),
            ("logs-nginx.error-*", &[]),
            ("logs-apache_tomcat.error-*", &[]),
            ("logs-iis.error", &[]),
            ("logs-iis.error-prod", &[]),
            ("LOGS-IIS.ERROR-*", &[]),
            ("remote:logs-*", &[]),
            ("-logs-*", &[]),
            ("", &[]),
        ];
        for (pattern, want) in cases {
            assert_eq!(
                matching_sources(pattern),
                want.to_vec(),
                "pattern {pattern:?}"
            );
        }
    }

    #[test]
    fn wildcard_match_survives_hostile_patterns() {
        let pattern = "*a".repeat(200) + "b";
        let text = "a".repeat(10_000);
        assert!(!wildcard_match(pattern.as_bytes(), text.as_bytes()));
        assert!(wildcard_match(b"**", b""));
        assert!(wildcard_match(b"a*c", b"abbbc"));
        assert!(!wildcard_match(b"a*c", b"abbbd"));
    }

    #[test]
    fn sources_name_their_table_index_and_dataset() {
        assert_eq!(EcsSource::Access.table_name(), "W3CIISLog");
        assert_eq!(EcsSource::Error.table_name(), "HttpErrorLog");
        assert_eq!(EcsSource::Access.index_name(), "logs-iis.access-default");
        assert_eq!(EcsSource::Error.dataset(), "iis.error");
    }

    #[test]
    fn field_names_are_unique_and_cover_the_seed_rule() {
        for src in EcsSource::ALL {
            let names: Vec<&str> = fields(src).iter().map(|f| f.name).collect();
            let mut sorted = names.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), names.len(), "duplicate field in {src:?}");
            // `../shared/seeds/001_*` keeps these from logs-iis.error-*.
            for seed in [
                "@timestamp",
                "event.type",
                "event.dataset",
                "source.ip",
                "agent.id",
                "host.name",
                "data_stream.namespace",
            ] {
                assert!(names.contains(&seed), "{src:?} lacks {seed}");
            }
            for f in fields(src) {
                assert!(
                    !f.kql.is_empty() && !f.doc.is_empty(),
                    "{} is incomplete",
                    f.name
                );
            }
        }
    }

    #[test]
    fn dataset_constants_agree_with_the_source() {
        for src in EcsSource::ALL {
            let get = |n: &str| fields(src).iter().find(|f| f.name == n).map(|f| f.kql);
            let quoted = format!("\"{}\"", src.dataset());
            assert_eq!(get("event.dataset"), Some(quoted.as_str()));
            assert_eq!(get("data_stream.dataset"), Some(quoted.as_str()));
        }
    }

    #[test]
    fn forwarded_ip_reads_the_first_address() {
        let kql = forwarded_ip_kql("csXForwardedFor");
        assert!(kql.contains("split(csXForwardedFor, \",\")[0]"));
    }
}
