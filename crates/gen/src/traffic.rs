//! Ordinary traffic: shop visitors in sessions (a page, its assets, more
//! pages after a pause; returning visitors get 304s), portal staff behind
//! Windows authentication on working days, search-engine crawlers, an
//! uptime monitor, and HTTP.sys timer rows. Volume follows a daily curve
//! (evenings for the shop, office hours for the portal) and the week
//! (portal nearly silent at weekends).
//!
//! Nothing here should make a hunt above severity Low fire, except what
//! `Notable` records (a crawler re-fetching retired URLs, which the shipped
//! allow-list must absorb).

use crate::catalog::{self, Role, Server};
use crate::dice::Dice;
use crate::event::{HttpError, Request};
use crate::truth::Notable;

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// Relative request volume per UTC hour.
const SHOP_HOURS: [f64; 24] = [
    0.30, 0.20, 0.15, 0.12, 0.12, 0.20, 0.40, 0.70, 0.90, 1.00, 1.00, 1.05, 1.10, 1.05, 1.00, 1.00,
    1.05, 1.20, 1.35, 1.40, 1.30, 1.00, 0.70, 0.45,
];
const PORTAL_HOURS: [f64; 24] = [
    0.02, 0.01, 0.01, 0.01, 0.02, 0.05, 0.30, 0.90, 1.00, 1.00, 0.95, 0.90, 0.70, 0.90, 1.00, 0.95,
    0.80, 0.40, 0.15, 0.08, 0.05, 0.04, 0.03, 0.02,
];

/// The week being generated.
pub struct Week {
    /// Monday 00:00 UTC, in ms.
    pub start_ms: i64,
    pub days: u32,
}

impl Week {
    /// A time on day `day` (0 = the first), `hour`:`minute`.
    pub fn at(&self, day: u32, hour: u32, minute: u32) -> i64 {
        self.start_ms + i64::from(day) * DAY + i64::from(hour) * HOUR + i64::from(minute) * MINUTE
    }

    fn end_ms(&self) -> i64 {
        self.start_ms + i64::from(self.days) * DAY
    }
}

/// What ordinary traffic produced.
#[derive(Default)]
pub struct Traffic {
    pub requests: Vec<Request>,
    pub errors: Vec<HttpError>,
    pub notables: Vec<Notable>,
}

/// Generates about `lines` access-log requests of ordinary traffic.
pub fn generate(dice: &mut Dice, servers: &[Server], week: &Week, lines: u64) -> Traffic {
    let mut t = Traffic::default();
    let shop: Vec<usize> = servers
        .iter()
        .enumerate()
        .filter(|(_, s)| s.role == Role::Shop)
        .map(|(i, _)| i)
        .collect();
    let portal: Vec<usize> = servers
        .iter()
        .enumerate()
        .filter(|(_, s)| s.role == Role::Portal)
        .map(|(i, _)| i)
        .collect();

    monitor(&mut t, week, &shop);
    let crawl_budget = lines / 40;
    crawlers(dice, &mut t, week, &shop, crawl_budget);
    let mut visitors = Visitors::default();
    while (t.requests.len() as u64) < lines {
        if !portal.is_empty() && dice.chance(0.22) {
            let server = *dice.pick(&portal);
            portal_session(dice, &mut t, week, server, servers);
        } else if !shop.is_empty() {
            let server = *dice.pick(&shop);
            shop_session(dice, &mut t, week, server, &mut visitors);
        } else {
            break;
        }
    }
    timers(dice, &mut t, week, servers, lines);
    t
}

/// Visitors seen before, who come back with the same address and browser.
#[derive(Default)]
struct Visitors {
    seen: Vec<(String, &'static str)>,
}

impl Visitors {
    fn next(&mut self, dice: &mut Dice) -> (String, &'static str, bool) {
        if !self.seen.is_empty() && dice.chance(0.35) {
            let (ip, agent) = dice.pick(&self.seen).clone();
            return (ip, agent, true);
        }
        let ip = catalog::visitor_ip(dice);
        let agent = *dice.weighted(catalog::BROWSERS);
        self.seen.push((ip.clone(), agent));
        (ip, agent, false)
    }
}

/// A session start: a day weighted by the role's week, an hour by its curve.
fn session_start(dice: &mut Dice, week: &Week, role: Role) -> i64 {
    let day_weights: Vec<f64> = (0..week.days)
        .map(|d| match (role, d % 7) {
            (Role::Shop, 5 | 6) => 1.15,
            (Role::Portal, 5 | 6) => 0.04,
            _ => 1.0,
        })
        .collect();
    let day = dice.weighted_index(&day_weights) as i64;
    let hours = match role {
        Role::Shop => &SHOP_HOURS,
        Role::Portal => &PORTAL_HOURS,
    };
    let hour = dice.weighted_index(hours) as i64;
    week.start_ms + day * DAY + hour * HOUR + dice.range(0, HOUR as u64) as i64
}

fn shop_session(
    dice: &mut Dice,
    t: &mut Traffic,
    week: &Week,
    server: usize,
    visitors: &mut Visitors,
) {
    let (client, agent, returning) = visitors.next(dice);
    let mut at = session_start(dice, week, Role::Shop);
    let mut referer = if dice.chance(0.4) {
        "https://www.google.com/".to_string()
    } else {
        "-".to_string()
    };
    if dice.chance(0.05) {
        // Typed without https: the port-80 binding redirects.
        let mut r = Request::get(at, server, &client, agent, "/").status(301);
        r.port = 80;
        r.sc_bytes = catalog::response_bytes(dice, "/", 301);
        t.requests.push(r);
        at += dice.range(80, 400) as i64;
    }
    let pages = dice.geometric(4.0);
    for n in 0..pages {
        if at >= week.end_ms() {
            break;
        }
        let template = *dice.weighted(catalog::SHOP_PAGES);
        let (stem, query) = if dice.chance(0.02) {
            (
                dice.pick(catalog::RETIRED_PAGES).to_string(),
                "-".to_string(),
            )
        } else {
            shop_page(dice, template)
        };
        let status = if catalog::RETIRED_PAGES.contains(&stem.as_str()) {
            404
        } else if stem == "/checkout" && dice.chance(0.01) {
            500
        } else {
            200
        };
        let mut page = Request::get(at, server, &client, agent, &stem).status(status);
        page.query = query;
        page.referer = referer.clone();
        page.sc_bytes = catalog::response_bytes(dice, &stem, status);
        page.cs_bytes = dice.range(380, 900);
        page.taken_ms = if status == 404 {
            dice.latency(4.0)
        } else {
            dice.latency(45.0) + 3
        };
        t.requests.push(page);
        let page_url = format!("https://www.contoso.com{stem}");
        let mut asset_at = at + dice.range(40, 300) as i64;
        let mut asset = |dice: &mut Dice, t: &mut Traffic, stem: &str, status: u16| {
            let mut a = Request::get(asset_at, server, &client, agent, stem).status(status);
            a.referer = page_url.clone();
            a.sc_bytes = catalog::response_bytes(dice, stem, status);
            a.cs_bytes = dice.range(300, 700);
            a.taken_ms = dice.latency(6.0);
            t.requests.push(a);
            asset_at += dice.range(5, 120) as i64;
        };
        if n == 0 {
            let cached = if returning { 304 } else { 200 };
            for stem in catalog::SHOP_ASSETS {
                asset(dice, t, stem, cached);
            }
            if !returning {
                asset(dice, t, "/favicon.ico", 200);
                if agent.contains("iPhone") && dice.chance(0.5) {
                    asset(dice, t, "/apple-touch-icon.png", 404);
                }
            }
        }
        if template == "/products/{id}" && status == 200 {
            let id = stem.rsplit('/').next().unwrap_or("1000").to_string();
            asset(dice, t, &format!("/images/products/{id}.jpg"), 200);
        }
        if template == "/cart" {
            let mut xhr = Request::get(asset_at, server, &client, agent, "/api/cart");
            xhr.method = "POST";
            xhr.referer = page_url.clone();
            xhr.sc_bytes = catalog::response_bytes(dice, "/api/cart", 200);
            xhr.cs_bytes = dice.range(500, 1_400);
            xhr.taken_ms = dice.latency(30.0) + 2;
            t.requests.push(xhr);
        }
        if template == "/account/login" {
            let mut post = Request::get(asset_at + 4_000, server, &client, agent, "/account/login")
                .status(302);
            post.method = "POST";
            post.referer = page_url.clone();
            post.sc_bytes = catalog::response_bytes(dice, "/account/login", 302);
            post.cs_bytes = dice.range(900, 1_300);
            post.taken_ms = dice.latency(80.0) + 20;
            t.requests.push(post);
        }
        referer = page_url;
        at += dice.range(4_000, 120_000) as i64;
    }
}

/// A shop page's stem and query from its template.
fn shop_page(dice: &mut Dice, template: &str) -> (String, String) {
    match template {
        "/products/{id}" => (format!("/products/{}", dice.range(1000, 1400)), "-".into()),
        "/category/{cat}" => (
            format!("/category/{}", dice.pick(catalog::CATEGORIES)),
            "-".into(),
        ),
        "/blog/{post}" => (
            format!("/blog/{}", dice.pick(catalog::BLOG_POSTS)),
            "-".into(),
        ),
        "/search" => {
            let query = if dice.chance(0.3) {
                format!(
                    "q={}&page={}",
                    dice.pick(catalog::SEARCH_TERMS),
                    dice.range(2, 5)
                )
            } else {
                format!("q={}", dice.pick(catalog::SEARCH_TERMS))
            };
            ("/search".into(), query)
        }
        "/products" if dice.chance(0.3) => (
            "/products".into(),
            format!("sort=price&page={}", dice.range(1, 6)),
        ),
        other => (other.to_string(), "-".into()),
    }
}

fn portal_session(
    dice: &mut Dice,
    t: &mut Traffic,
    week: &Week,
    server: usize,
    servers: &[Server],
) {
    let client = if dice.chance(0.85) {
        catalog::staff_ip(dice)
    } else {
        catalog::visitor_ip(dice)
    };
    let agent = if dice.chance(0.6) {
        catalog::BROWSERS[0].0
    } else {
        catalog::BROWSERS[1].0
    };
    let user = format!("CONTOSO\\{}", dice.pick(catalog::STAFF));
    let host = servers[server].host;
    let mut at = session_start(dice, week, Role::Portal);
    // Windows authentication: an anonymous challenge, sometimes a mistyped password.
    let mut challenge = Request::get(at, server, &client, agent, "/portal/").status(401);
    challenge.substatus = 2;
    challenge.win32 = 5;
    challenge.sc_bytes = catalog::response_bytes(dice, "/portal/", 401);
    challenge.taken_ms = dice.latency(2.0);
    t.requests.push(challenge);
    if dice.chance(0.03) {
        at += dice.range(2_000, 9_000) as i64;
        let mut failed = Request::get(at, server, &client, agent, "/portal/").status(401);
        failed.substatus = 1;
        failed.win32 = 1326;
        failed.user = user.clone();
        failed.sc_bytes = catalog::response_bytes(dice, "/portal/", 401);
        failed.taken_ms = dice.latency(20.0) + 5;
        t.requests.push(failed);
    }
    let pages = dice.geometric(6.0);
    for n in 0..pages {
        at += dice.range(300, 90_000) as i64;
        if at >= week.end_ms() {
            break;
        }
        let stem = if n == 0 {
            "/portal/"
        } else {
            *dice.weighted(catalog::PORTAL_PAGES)
        };
        let mut page = Request::get(at, server, &client, agent, stem);
        page.user = user.clone();
        page.referer = format!("https://{host}/portal/");
        // ASP.NET Web Forms: buttons post the page back to itself.
        if stem.ends_with(".aspx") && dice.chance(0.25) {
            page.method = "POST";
            page.cs_bytes = dice.range(2_000, 9_000);
        } else {
            page.cs_bytes = dice.range(600, 1_800);
        }
        page.sc_bytes = catalog::response_bytes(dice, stem, 200);
        page.taken_ms = dice.latency(120.0) + 10;
        t.requests.push(page);
        if n == 0 {
            for (k, asset) in catalog::PORTAL_ASSETS.iter().enumerate() {
                let mut a = Request::get(at + 60 + 30 * k as i64, server, &client, agent, asset)
                    .status(if dice.chance(0.7) { 304 } else { 200 });
                a.user = user.clone();
                a.sc_bytes = catalog::response_bytes(dice, asset, a.status);
                a.taken_ms = dice.latency(5.0);
                t.requests.push(a);
            }
        }
    }
}

/// An uptime monitor on each shop server, every five minutes.
fn monitor(t: &mut Traffic, week: &Week, shop: &[usize]) {
    for (k, &server) in shop.iter().enumerate() {
        let client = format!("52.32.178.{}", 7 + k);
        let mut at = week.start_ms + 17_000 + k as i64 * 1_000;
        while at < week.end_ms() {
            let mut r = Request::get(at, server, &client, catalog::MONITOR, "/health");
            r.sc_bytes = 180;
            r.cs_bytes = 210;
            r.taken_ms = 2;
            t.requests.push(r);
            at += 5 * MINUTE;
        }
    }
}

/// Googlebot, Bingbot and Applebot spread over the week, plus one
/// Googlebot re-crawl of retired URLs (a burst of 404s the allow-list absorbs).
fn crawlers(dice: &mut Dice, t: &mut Traffic, week: &Week, shop: &[usize], budget: u64) {
    let bots: [(&str, &str, f64); 3] = [
        ("66.249.66", catalog::GOOGLEBOT, 0.6),
        ("157.55.39", catalog::BINGBOT, 0.3),
        ("17.241.75", catalog::APPLEBOT, 0.1),
    ];
    let span = (week.end_ms() - week.start_ms) as u64;
    for (prefix, agent, share) in bots {
        let hosts: Vec<String> = (0..4)
            .map(|_| format!("{prefix}.{}", dice.range(1, 250)))
            .collect();
        let n = (budget as f64 * share) as u64;
        for _ in 0..n {
            let at = week.start_ms + dice.range(0, span) as i64;
            let server = *dice.pick(shop);
            let (stem, status) = if dice.chance(0.05) {
                (dice.pick(catalog::RETIRED_PAGES).to_string(), 404)
            } else if dice.chance(0.1) {
                ("/robots.txt".to_string(), 200)
            } else {
                let template = *dice.weighted(catalog::SHOP_PAGES);
                (shop_page(dice, template).0, 200)
            };
            let host = dice.pick(&hosts).clone();
            let mut r = Request::get(at, server, &host, agent, &stem).status(status);
            r.sc_bytes = catalog::response_bytes(dice, &stem, status);
            r.taken_ms = dice.latency(40.0) + 2;
            t.requests.push(r);
        }
    }
    if let (Some(&server), true) = (shop.first(), week.days >= 3) {
        // Wednesday 03:10: Googlebot re-fetches 180 product URLs retired in a migration.
        let client = "66.249.66.12";
        let mut at = week.at(2, 3, 10);
        let first = at;
        for n in 0..180 {
            let stem = format!("/products/legacy-{}", 100 + n);
            let mut r = Request::get(at, server, client, catalog::GOOGLEBOT, &stem).status(404);
            r.sc_bytes = catalog::response_bytes(dice, &stem, 404);
            r.taken_ms = dice.latency(4.0);
            t.requests.push(r);
            at += dice.range(2_000, 3_200) as i64;
        }
        t.notables.push(Notable {
            name: "crawler_404_burst".into(),
            description: "Googlebot (a verified crawler address) re-fetches 180 retired product URLs in ten minutes: 404s that the recon hunts' allow-list must not report".into(),
            ip: client.into(),
            server: "WEB01".into(),
            first_ms: first,
            last_ms: at,
            requests: 180,
        });
    }
}

/// HTTP.sys rows of a quiet week: idle connections closed, the odd
/// malformed request, each from a different client.
fn timers(dice: &mut Dice, t: &mut Traffic, week: &Week, servers: &[Server], lines: u64) {
    let span = (week.end_ms() - week.start_ms) as u64;
    let per_server = (lines / 600).max(10);
    for (server, s) in servers.iter().enumerate() {
        for _ in 0..per_server {
            let at = week.start_ms + dice.range(0, span) as i64;
            let client = catalog::visitor_ip(dice);
            let (version, method, uri, status, reason): (&str, String, String, &str, &str) =
                match dice.range(0, 20) {
                    0 => ("HTTP/1.1", "GET".into(), "/%".into(), "400", "BadRequest"),
                    1 => ("HTTP/1.1", "GET".into(), "/".into(), "400", "Hostname"),
                    2 => ("-", "-".into(), "-".into(), "-", "Timer_MinBytesPerSecond"),
                    _ => ("-", "-".into(), "-".into(), "-", "Timer_ConnectionIdle"),
                };
            t.errors.push(HttpError {
                at_ms: at,
                server,
                client,
                client_port: dice.range(49_152, 65_535) as u16,
                port: 443,
                version,
                method,
                uri,
                status,
                site_id: if status == "-" {
                    "-"
                } else if s.site_id == 1 {
                    "1"
                } else {
                    "2"
                },
                reason,
                queue: if status == "-" { "-" } else { "DefaultAppPool" },
            });
        }
    }
}
