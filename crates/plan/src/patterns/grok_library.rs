//! The named patterns GROK knows: the common ones of Logstash's
//! `grok-patterns`, rewritten for the `regex` crate. Logstash's originals
//! lean on Oniguruma's look-behind and atomic groups (`(?<![0-9])`, `(?>…)`),
//! which a linear-time engine cannot run; here those guards become `\b` or are
//! dropped, so a few patterns accept slightly more (for example `BASE10NUM`
//! matches the `23` inside `a23`). References are `%{NAME}` and resolved by
//! `grok.rs`; every group here is non-capturing, so only the user's
//! `%{NAME:field}` make columns.

/// `(name, definition)`, in families; the docs list them in this order.
pub(crate) const PATTERNS: &[(&str, &str)] = &[
    // ---- words and numbers -------------------------------------------------
    ("WORD", r"\b\w+\b"),
    ("NOTSPACE", r"\S+"),
    ("SPACE", r"\s*"),
    ("DATA", r".*?"),
    ("GREEDYDATA", r".*"),
    ("INT", r"[+-]?[0-9]+"),
    ("POSINT", r"\b[1-9][0-9]*\b"),
    ("NONNEGINT", r"\b[0-9]+\b"),
    ("BASE10NUM", r"[+-]?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)"),
    ("NUMBER", r"%{BASE10NUM}"),
    ("BASE16NUM", r"[+-]?(?:0[xX])?[0-9A-Fa-f]+"),
    (
        "QUOTEDSTRING",
        r#""(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`"#,
    ),
    ("QS", r"%{QUOTEDSTRING}"),
    (
        "UUID",
        r"[A-Fa-f0-9]{8}-(?:[A-Fa-f0-9]{4}-){3}[A-Fa-f0-9]{12}",
    ),
    // ---- users -------------------------------------------------------------
    ("USERNAME", r"[a-zA-Z0-9._-]+"),
    ("USER", r"%{USERNAME}"),
    (
        "EMAILLOCALPART",
        r"[a-zA-Z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-zA-Z0-9!#$%&'*+/=?^_`{|}~-]+)*",
    ),
    ("EMAILADDRESS", r"%{EMAILLOCALPART}@%{HOSTNAME}"),
    ("HTTPDUSER", r"%{EMAILADDRESS}|%{USER}"),
    // ---- networking --------------------------------------------------------
    ("CISCOMAC", r"(?:[A-Fa-f0-9]{4}\.){2}[A-Fa-f0-9]{4}"),
    ("WINDOWSMAC", r"(?:[A-Fa-f0-9]{2}-){5}[A-Fa-f0-9]{2}"),
    ("COMMONMAC", r"(?:[A-Fa-f0-9]{2}:){5}[A-Fa-f0-9]{2}"),
    ("MAC", r"%{CISCOMAC}|%{WINDOWSMAC}|%{COMMONMAC}"),
    ("IPV4OCTET", r"25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9]"),
    ("IPV4", r"(?:%{IPV4OCTET})(?:\.(?:%{IPV4OCTET})){3}\b"),
    ("IPV6", IPV6),
    ("IP", r"%{IPV6}|%{IPV4}"),
    (
        "HOSTNAME",
        r"\b[0-9A-Za-z][0-9A-Za-z-]{0,62}(?:\.[0-9A-Za-z][0-9A-Za-z-]{0,62})*(?:\.|\b)",
    ),
    ("IPORHOST", r"%{IP}|%{HOSTNAME}"),
    ("HOSTPORT", r"%{IPORHOST}:%{POSINT}"),
    // ---- paths and URIs ----------------------------------------------------
    ("UNIXPATH", r"(?:/[\w%!$@:.,+~-]*)+"),
    ("WINPATH", r"(?:[A-Za-z]+:|\\)(?:\\[^\\?*]*)+"),
    ("PATH", r"%{UNIXPATH}|%{WINPATH}"),
    ("URIPROTO", r"[A-Za-z][A-Za-z0-9+\-.]+"),
    ("URIHOST", r"%{IPORHOST}(?::%{POSINT})?"),
    ("URIPATH", r"(?:/[A-Za-z0-9$.+!*'(){},~:;=@#%&_\-]*)+"),
    ("URIQUERY", r"[A-Za-z0-9$.+!*'|(){},~@#%&/=:;_?\-\[\]<>]*"),
    ("URIPARAM", r"\?%{URIQUERY}"),
    ("URIPATHPARAM", r"%{URIPATH}(?:%{URIPARAM})?"),
    (
        "URI",
        r"%{URIPROTO}://(?:%{USER}(?::[^@]*)?@)?(?:%{URIHOST})?(?:%{URIPATH}(?:%{URIPARAM})?)?",
    ),
    // ---- dates and times ---------------------------------------------------
    (
        "MONTH",
        r"\b(?:[Jj]an(?:uary)?|[Ff]eb(?:ruary)?|[Mm]ar(?:ch)?|[Aa]pr(?:il)?|[Mm]ay|[Jj]un(?:e)?|[Jj]ul(?:y)?|[Aa]ug(?:ust)?|[Ss]ep(?:tember)?|[Oo]ct(?:ober)?|[Nn]ov(?:ember)?|[Dd]ec(?:ember)?)\b",
    ),
    ("MONTHNUM", r"0?[1-9]|1[0-2]"),
    ("MONTHNUM2", r"0[1-9]|1[0-2]"),
    ("MONTHDAY", r"0[1-9]|[12][0-9]|3[01]|[1-9]"),
    (
        "DAY",
        r"Mon(?:day)?|Tue(?:sday)?|Wed(?:nesday)?|Thu(?:rsday)?|Fri(?:day)?|Sat(?:urday)?|Sun(?:day)?",
    ),
    ("YEAR", r"(?:[0-9][0-9]){1,2}"),
    ("HOUR", r"2[0123]|[01]?[0-9]"),
    ("MINUTE", r"[0-5][0-9]"),
    ("SECOND", r"(?:[0-5]?[0-9]|60)(?:[:.,][0-9]+)?"),
    ("TIME", r"%{HOUR}:%{MINUTE}(?::%{SECOND})?"),
    ("DATE_US", r"%{MONTHNUM}[/-]%{MONTHDAY}[/-]%{YEAR}"),
    ("DATE_EU", r"%{MONTHDAY}[./-]%{MONTHNUM}[./-]%{YEAR}"),
    ("DATE", r"%{DATE_US}|%{DATE_EU}"),
    ("DATESTAMP", r"%{DATE}[- ]%{TIME}"),
    ("TZ", r"[APMCE][SD]T|UTC"),
    ("ISO8601_TIMEZONE", r"Z|[+-]%{HOUR}(?::?%{MINUTE})"),
    ("ISO8601_SECOND", r"%{SECOND}"),
    (
        "TIMESTAMP_ISO8601",
        r"%{YEAR}-%{MONTHNUM}-%{MONTHDAY}[T ]%{HOUR}:?%{MINUTE}(?::?%{SECOND})?(?:%{ISO8601_TIMEZONE})?",
    ),
    ("HTTPDATE", r"%{MONTHDAY}/%{MONTH}/%{YEAR}:%{TIME} %{INT}"),
    ("SYSLOGTIMESTAMP", r"%{MONTH} +%{MONTHDAY} %{TIME}"),
    // ---- log lines ---------------------------------------------------------
    (
        "LOGLEVEL",
        r"[Aa]lert|ALERT|[Tt]race|TRACE|[Dd]ebug|DEBUG|[Nn]otice|NOTICE|[Ii]nfo(?:rmation)?|INFO(?:RMATION)?|[Ww]arn(?:ing)?|WARN(?:ING)?|[Ee]rr(?:or)?|ERR(?:OR)?|[Cc]rit(?:ical)?|CRIT(?:ICAL)?|[Ff]atal|FATAL|[Ss]evere|SEVERE|EMERG(?:ENCY)?|[Ee]merg(?:ency)?",
    ),
    (
        "HTTPD_COMMONLOG",
        r#"%{IPORHOST:clientip} %{HTTPDUSER:ident} %{HTTPDUSER:auth} \[%{HTTPDATE:timestamp}\] "(?:%{WORD:verb} %{NOTSPACE:request}(?: HTTP/%{NUMBER:httpversion})?|%{DATA:rawrequest})" %{NUMBER:response} (?:%{NUMBER:bytes}|-)"#,
    ),
    (
        "HTTPD_COMBINEDLOG",
        r"%{HTTPD_COMMONLOG} %{QS:referrer} %{QS:agent}",
    ),
    ("COMMONAPACHELOG", r"%{HTTPD_COMMONLOG}"),
    ("COMBINEDAPACHELOG", r"%{HTTPD_COMBINEDLOG}"),
];

/// IPv6 as RFC 3986 spells it (`h16` groups, `::` once, an IPv4 tail), the
/// longest forms first so leftmost-first matching takes the whole address,
/// plus an optional zone id (`fe80::1%3`).
const IPV6: &str = concat!(
    r"(?:",
    r"(?:[0-9A-Fa-f]{1,4}:){6}(?:%{IPV4}|[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4})",
    r"|::(?:[0-9A-Fa-f]{1,4}:){5}(?:%{IPV4}|[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4})",
    r"|(?:[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:%{IPV4}|[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4})",
    r"|(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:%{IPV4}|[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4})",
    r"|(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:%{IPV4}|[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4})",
    r"|(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4}:(?:%{IPV4}|[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4})",
    r"|(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:%{IPV4}|[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4})",
    r"|(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4}",
    r"|(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::",
    r")(?:%[0-9A-Za-z]+)?",
);

/// The definition of a named pattern.
pub(crate) fn lookup(name: &str) -> Option<&'static str> {
    PATTERNS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, definition)| *definition)
}
