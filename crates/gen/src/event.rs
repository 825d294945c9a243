//! The two kinds of line the generator writes: an access-log request
//! (`u_ex*.log`) and an HTTP.sys error (`httperr*.log`). Traffic and
//! attacks produce these; `write` turns them into W3C text.

/// One request as IIS logs it. Times are UTC milliseconds since the epoch.
#[derive(Clone, Debug)]
pub struct Request {
    pub at_ms: i64,
    /// Index into the farm's servers.
    pub server: usize,
    pub method: &'static str,
    pub stem: String,
    /// The query string, `-` when there is none.
    pub query: String,
    pub port: u16,
    /// `DOMAIN\user` or `-`.
    pub user: String,
    pub client: String,
    /// The user agent as sent (spaces written as `+` in the log).
    pub agent: String,
    pub referer: String,
    pub status: u16,
    pub substatus: u16,
    pub win32: u32,
    pub sc_bytes: u64,
    pub cs_bytes: u64,
    pub taken_ms: u32,
}

impl Request {
    /// A GET answered 200 with no user, query or referer: callers set the rest.
    pub fn get(at_ms: i64, server: usize, client: &str, agent: &str, stem: &str) -> Request {
        Request {
            at_ms,
            server,
            method: "GET",
            stem: stem.to_string(),
            query: "-".to_string(),
            port: 443,
            user: "-".to_string(),
            client: client.to_string(),
            agent: agent.to_string(),
            referer: "-".to_string(),
            status: 200,
            substatus: 0,
            win32: 0,
            sc_bytes: 5_000,
            cs_bytes: 400,
            taken_ms: 15,
        }
    }

    /// The same request with another status (and IIS's usual win32 code for it).
    pub fn status(mut self, status: u16) -> Request {
        self.status = status;
        self.win32 = match status {
            404 => 2,
            _ => 0,
        };
        self
    }
}

/// One HTTP.sys error line (`httperr*.log`): a request refused before IIS
/// saw it, or a connection dropped by a timer.
#[derive(Clone, Debug)]
pub struct HttpError {
    pub at_ms: i64,
    pub server: usize,
    pub client: String,
    pub client_port: u16,
    pub port: u16,
    /// `HTTP/1.1`, or `-` for timer rows.
    pub version: &'static str,
    pub method: String,
    pub uri: String,
    /// `-` for timer rows.
    pub status: &'static str,
    pub site_id: &'static str,
    /// `BadRequest`, `Hostname`, `Timer_ConnectionIdle`, …
    pub reason: &'static str,
    pub queue: &'static str,
}
