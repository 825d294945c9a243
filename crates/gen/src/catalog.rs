//! What the generated farm serves and who visits it: the three servers,
//! the shop's and the portal's pages and assets, real browser, bot and
//! tool user agents, and the address ranges clients come from. Crawler
//! ranges are the published ones (Google's 66.249.64.0/19, Bing's
//! 157.55.39.0/24 and 40.77.167.0/24, Apple's 17.241.0.0/16), so the shipped
//! allow-list `queries/lookups/verified_crawlers.csv` recognises them.

use crate::dice::Dice;

/// What a server hosts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The public shop, `www.contoso.com`, load-balanced over two servers.
    Shop,
    /// The staff portal, `portal.contoso.com`, with Windows authentication.
    Portal,
}

/// One IIS server of the farm.
#[derive(Clone, Debug)]
pub struct Server {
    pub name: &'static str,
    pub ip: &'static str,
    pub site_id: u32,
    pub host: &'static str,
    pub role: Role,
}

impl Server {
    /// The W3C `s-sitename` value (`W3SVC1`).
    pub fn site_name(&self) -> String {
        format!("W3SVC{}", self.site_id)
    }
}

/// The farm: two shop servers behind a load balancer and the portal.
pub fn servers() -> Vec<Server> {
    vec![
        Server {
            name: "WEB01",
            ip: "10.0.1.11",
            site_id: 1,
            host: "www.contoso.com",
            role: Role::Shop,
        },
        Server {
            name: "WEB02",
            ip: "10.0.1.12",
            site_id: 1,
            host: "www.contoso.com",
            role: Role::Shop,
        },
        Server {
            name: "WEB03",
            ip: "10.0.1.13",
            site_id: 2,
            host: "portal.contoso.com",
            role: Role::Portal,
        },
    ]
}

/// Browser user agents with rough market weights.
pub const BROWSERS: &[(&str, u32)] = &[
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", 34),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", 12),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15", 9),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1", 16),
    ("Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36", 15),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0", 7),
    ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", 3),
    ("Mozilla/5.0 (iPad; CPU OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.7 Mobile/15E148 Safari/604.1", 4),
];

pub const GOOGLEBOT: &str =
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
pub const BINGBOT: &str = "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)";
pub const APPLEBOT: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)";
pub const MONITOR: &str = "Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)";

/// Residential and mobile ISP prefixes ordinary visitors come from.
const ISP_PREFIXES: &[&str] = &[
    "73.15", "73.162", "98.207", "24.30", "71.58", "76.104", "108.28", "174.63", "86.12", "81.2",
    "2.125", "90.84", "176.31", "5.148", "82.132", "94.3", "151.40", "79.140", "87.122", "109.190",
    "185.45", "31.10", "62.195", "78.47", "92.184", "188.22", "213.61", "37.201",
];

/// Corporate networks the portal's remote staff use (VPN egress, branch offices).
const STAFF_PREFIXES: &[&str] = &["10.20.1", "10.20.2", "10.20.8", "10.30.4"];

/// A visitor's address: mostly IPv4 from an ISP, some IPv6.
pub fn visitor_ip(dice: &mut Dice) -> String {
    if dice.chance(0.08) {
        return format!(
            "2a02:{:x}:{:x}:{:x}::{:x}",
            dice.range(0x1000, 0x9fff),
            dice.range(0, 0xffff),
            dice.range(0, 0xffff),
            dice.range(1, 0xffff)
        );
    }
    let prefix = dice.pick(ISP_PREFIXES);
    format!("{prefix}.{}.{}", dice.range(0, 256), dice.range(1, 255))
}

/// A staff member's address on the corporate network.
pub fn staff_ip(dice: &mut Dice) -> String {
    format!("{}.{}", dice.pick(STAFF_PREFIXES), dice.range(10, 250))
}

/// Shop pages and the share of views each gets.
pub const SHOP_PAGES: &[(&str, u32)] = &[
    ("/", 22),
    ("/products", 10),
    ("/products/{id}", 30),
    ("/category/{cat}", 14),
    ("/search", 8),
    ("/cart", 5),
    ("/checkout", 2),
    ("/account/login", 3),
    ("/about", 1),
    ("/contact", 1),
    ("/blog/{post}", 4),
];

pub const CATEGORIES: &[&str] = &["shoes", "shirts", "jackets", "accessories", "sale", "kids"];
pub const BLOG_POSTS: &[&str] = &[
    "spring-collection-2026",
    "how-to-choose-running-shoes",
    "care-guide-leather",
    "our-new-store-in-lyon",
    "sustainability-report",
];
pub const SEARCH_TERMS: &[&str] = &[
    "blue+shoes",
    "rain+jacket",
    "gift+card",
    "linen+shirt",
    "trail+running",
    "socks",
    "sale",
    "leather+belt",
    "winter+boots",
    "kids+sneakers",
];
/// Assets every shop page loads (a first visit fetches them, a return visit gets 304).
pub const SHOP_ASSETS: &[&str] = &[
    "/css/site.min.css",
    "/js/vendor.min.js",
    "/js/app.min.js",
    "/images/logo.svg",
    "/fonts/opensans-regular.woff2",
];
/// Pages that once existed: old links and bookmarks still ask for them.
pub const RETIRED_PAGES: &[&str] = &[
    "/old/summer-sale.html",
    "/old/catalog.html",
    "/promo/black-friday-2024",
    "/products/legacy-902",
    "/store-locator.aspx",
];

/// Portal pages (Windows authentication: a challenge, then the page with the user name).
pub const PORTAL_PAGES: &[(&str, u32)] = &[
    ("/portal/", 20),
    ("/portal/dashboard.aspx", 25),
    ("/portal/reports/weekly.aspx", 8),
    ("/portal/reports/sales.aspx", 6),
    ("/portal/hr/leave.aspx", 5),
    ("/portal/api/tasks", 20),
    ("/portal/documents/list.aspx", 10),
];
pub const PORTAL_ASSETS: &[&str] = &[
    "/portal/Content/site.css",
    "/portal/Scripts/jquery-3.7.1.min.js",
    "/portal/Scripts/portal.js",
];
pub const STAFF: &[&str] = &[
    "jdoe",
    "asmith",
    "mgarcia",
    "lchen",
    "pkowalski",
    "nnguyen",
    "rpatel",
    "ebrown",
    "tmuller",
    "sdubois",
    "kyamamoto",
    "omartin",
];

/// Content the shop really has but never links to: a scanner that guesses
/// these finds something (the 404s-turning-into-200s attack).
pub const HIDDEN_CONTENT: &[(&str, u16)] = &[
    ("/backup/site-backup.zip", 200),
    ("/.git/config", 200),
    ("/admin/", 302),
];

/// Generic vulnerability and exposure paths scanners probe: a sample of the
/// shipped `queries/lookups/vulnerability_paths.csv`.
pub const PROBE_PATHS: &[&str] = &[
    "/wp-login.php",
    "/wp-admin/",
    "/xmlrpc.php",
    "/.env",
    "/.env.bak",
    "/phpmyadmin/",
    "/pma/",
    "/admin.php",
    "/administrator/",
    "/config.php",
    "/server-status",
    "/.git/HEAD",
    "/.svn/entries",
    "/.DS_Store",
    "/web.config",
    "/web.config.bak",
    "/backup.sql",
    "/db.sql",
    "/dump.sql",
    "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php",
    "/cgi-bin/test.cgi",
    "/solr/admin/",
    "/actuator/env",
    "/actuator/health",
    "/console/",
    "/manager/html",
    "/jmx-console/",
    "/owa/auth/logon.aspx",
    "/ecp/",
    "/autodiscover/autodiscover.xml",
    "/aspnet_client/",
    "/elmah.axd",
    "/trace.axd",
    "/telerik.web.ui.webresource.axd",
    "/remote/login",
    "/boaform/admin/formLogin",
    "/HNAP1/",
    "/api/v1/pods",
    "/.aws/credentials",
    "/id_rsa",
    "/shell.php",
    "/cmd.aspx",
    "/uploads/",
    "/upload.php",
    "/install.php",
    "/setup.php",
    "/info.php",
    "/phpinfo.php",
    "/test.php",
    "/.htaccess",
    "/.htpasswd",
];

/// Words a directory brute-forcer (gobuster, dirb) appends to the site root.
pub const WORDLIST: &[&str] = &[
    "admin",
    "backup",
    "backups",
    "old",
    "new",
    "test",
    "dev",
    "staging",
    "tmp",
    "temp",
    "data",
    "db",
    "sql",
    "logs",
    "log",
    "private",
    "secret",
    "files",
    "download",
    "downloads",
    "include",
    "includes",
    "inc",
    "lib",
    "bin",
    "cgi",
    "scripts",
    "config",
    "conf",
    "setup",
    "install",
    "api",
    "v1",
    "v2",
    "internal",
    "portal",
    "login",
    "user",
    "users",
    "account",
    "accounts",
    "panel",
    "cpanel",
    "webadmin",
    "manage",
    "manager",
    "console",
    "dashboard",
    "server",
    "status",
    "debug",
    "archive",
    "export",
    "import",
    "cache",
    "assets",
    "static",
    "media",
];

/// How an HTTP status's response size is drawn.
pub fn response_bytes(dice: &mut Dice, stem: &str, status: u16) -> u64 {
    match status {
        304 => dice.range(150, 260),
        301 | 302 => dice.range(140, 420),
        401 => dice.range(1_200, 1_400),
        403 => dice.range(1_100, 1_300),
        404 => dice.range(1_150, 1_300),
        500 => dice.range(3_000, 3_400),
        _ if stem.ends_with(".js") => dice.range(30_000, 260_000),
        _ if stem.ends_with(".css") => dice.range(12_000, 90_000),
        _ if stem.ends_with(".woff2") => dice.range(20_000, 60_000),
        _ if stem.ends_with(".jpg") || stem.ends_with(".svg") => dice.range(3_000, 180_000),
        _ if stem.contains("/api/") => dice.range(200, 4_000),
        _ => dice.range(8_000, 60_000),
    }
}
