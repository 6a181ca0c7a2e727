//! Sending the outbox to a Learning Record Store (xAPI 1.0.3) and reading statements back.
//!
//! A statement is marked sent only after the LRS accepted it. Statement ids are deterministic,
//! so a batch that was accepted but whose answer got lost is simply sent again and the LRS
//! keeps one copy. Failures never remove anything from the outbox:
//! - the LRS unreachable, busy or failing upstream (429, 502, 503, 504) or timing out: retried
//!   with back-off, then the push stops and reports how many statements wait for the next push;
//! - a batch refused (other 4xx/5xx): its statements are sent one by one to isolate the bad one;
//!   a statement refused on its own keeps its error and is retried on later pushes, at most
//!   [`MAX_TRIES`] times (then `--retry-refused` sends it again);
//! - wrong credentials (401/403): the push stops at once.

use std::time::Duration;

use base64::Engine;
use rusqlite::params;

use super::{SqliteStore, StoreError, now_ms};

/// Statements refused this many times are held back until asked for.
pub const MAX_TRIES: i64 = 5;

/// Where and how to reach an LRS.
#[derive(Debug, Clone)]
pub struct Lrs {
    /// The xAPI endpoint, e.g. `http://127.0.0.1:8100/xAPI` (`/statements` is appended).
    pub endpoint: String,
    pub user: Option<String>,
    pub password: Option<String>,
    /// Waits between retries of an unreachable LRS (the back-off); empty: no retries.
    pub backoff: Vec<Duration>,
    pub timeout: Duration,
}

impl Lrs {
    pub fn new(endpoint: &str) -> Lrs {
        Lrs {
            endpoint: endpoint.trim_end_matches('/').to_string(),
            user: None,
            password: None,
            backoff: [500, 1000, 2000, 4000].map(Duration::from_millis).to_vec(),
            timeout: Duration::from_secs(30),
        }
    }

    fn agent(&self) -> ureq::Agent {
        ureq::Agent::new_with_config(
            ureq::Agent::config_builder()
                .http_status_as_error(false)
                .timeout_global(Some(self.timeout))
                // A redirect could lead elsewhere with the credentials: never followed.
                .max_redirects(0)
                .build(),
        )
    }

    fn auth(&self) -> Option<String> {
        let user = self.user.as_deref()?;
        let pass = self.password.as_deref().unwrap_or("");
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"));
        Some(format!("Basic {token}"))
    }

    fn statements_url(&self) -> String {
        format!("{}/statements", self.endpoint)
    }

    /// POSTs a JSON array of statements; the status code, or why there was none.
    fn post(&self, agent: &ureq::Agent, body: &str) -> Result<(u16, String), String> {
        let mut req = agent
            .post(self.statements_url())
            .header("X-Experience-API-Version", "1.0.3")
            .header("Content-Type", "application/json");
        if let Some(a) = self.auth() {
            req = req.header("Authorization", a);
        }
        match req.send(body) {
            Ok(mut resp) => {
                let status = resp.status().as_u16();
                let text = resp.body_mut().read_to_string().unwrap_or_default();
                Ok((status, text))
            }
            Err(e) => Err(e.to_string()),
        }
    }

    /// Reads every statement the LRS holds, following `more` links (in the LRS's order).
    pub fn fetch_all(
        &self,
        mut progress: impl FnMut(usize),
    ) -> Result<Vec<serde_json::Value>, PushError> {
        let agent = self.agent();
        let mut url = format!("{}?limit=500", self.statements_url());
        let mut all = Vec::new();
        let home = origin(&self.endpoint);
        let mut seen = std::collections::HashSet::new();
        let mut empty_pages = 0;
        loop {
            let mut req = agent.get(&url).header("X-Experience-API-Version", "1.0.3");
            if let Some(a) = self.auth() {
                req = req.header("Authorization", a);
            }
            let mut resp = req
                .call()
                .map_err(|e| PushError::CannotRead(self.endpoint.clone(), e.to_string()))?;
            let status = resp.status().as_u16();
            let text = resp.body_mut().read_to_string().unwrap_or_default();
            if status == 401 || status == 403 {
                return Err(PushError::Auth(self.endpoint.clone(), status));
            }
            if status != 200 {
                return Err(PushError::Refused(
                    self.endpoint.clone(),
                    status,
                    snippet(&text),
                ));
            }
            let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
                PushError::Refused(self.endpoint.clone(), status, format!("not JSON: {e}"))
            })?;
            let page = v["statements"].as_array().map_or(0, Vec::len);
            if let Some(s) = v["statements"].as_array() {
                all.extend(s.iter().cloned());
            }
            progress(all.len());
            let Some(more) = v["more"].as_str().filter(|m| !m.is_empty()) else {
                break;
            };
            let next = resolve(&self.endpoint, more);
            // The credentials go only where the organisation sent them: a `more` link to
            // another address is not followed.
            if origin(&next) != home {
                return Err(PushError::Elsewhere(self.endpoint.clone(), origin(&next)));
            }
            empty_pages = if page == 0 { empty_pages + 1 } else { 0 };
            if !seen.insert(next.clone()) || empty_pages > MAX_EMPTY_PAGES {
                return Err(PushError::Endless(self.endpoint.clone()));
            }
            url = next;
        }
        Ok(all)
    }
}

/// Pages without statements that may follow one another before reading stops.
const MAX_EMPTY_PAGES: usize = 20;

/// The origin of a URL (scheme, host and port, with the scheme's default port filled in),
/// lower-case.
fn origin(url: &str) -> String {
    let lower = url.to_ascii_lowercase();
    let Some((scheme, rest)) = lower.split_once("://") else {
        return lower;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    // Credentials in the URL do not make another origin.
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let has_port = host
        .rsplit_once(':')
        .is_some_and(|(_, p)| p.chars().all(|c| c.is_ascii_digit()) && !host.ends_with(']'));
    match (has_port, scheme) {
        (true, _) => format!("{scheme}://{host}"),
        (false, "https") => format!("{scheme}://{host}:443"),
        (false, _) => format!("{scheme}://{host}:80"),
    }
}

/// Resolves a `more` link (absolute path or full URL) against the endpoint.
fn resolve(endpoint: &str, more: &str) -> String {
    if more.starts_with("http://") || more.starts_with("https://") {
        return more.to_string();
    }
    let origin_end = endpoint
        .find("://")
        .and_then(|i| endpoint[i + 3..].find('/').map(|j| i + 3 + j))
        .unwrap_or(endpoint.len());
    format!("{}{more}", &endpoint[..origin_end])
}

fn snippet(s: &str) -> String {
    let s = s.trim();
    match s.char_indices().nth(300) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// Why a push stopped.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    #[error("the LRS at {0} cannot be reached ({1}); the statements stay in the outbox")]
    Unreachable(String, String),
    #[error("the LRS at {0} refused the credentials (HTTP {1}); check --user and --password")]
    Auth(String, u16),
    #[error("the LRS at {0} answered HTTP {1}: {2}")]
    Refused(String, u16, String),
    #[error("the LRS at {0} cannot be reached ({1})")]
    CannotRead(String, String),
    #[error(
        "the LRS at {0} sent the rest of its statements to another address ({1}); not followed, so the credentials are not sent there"
    )]
    Elsewhere(String, String),
    #[error("the LRS at {0} keeps sending pages without end; reading stopped")]
    Endless(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for PushError {
    fn from(e: rusqlite::Error) -> Self {
        PushError::Store(e.into())
    }
}

/// What a push did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PushReport {
    pub sent: u64,
    /// Refused by the LRS in this push (they stay in the outbox with the error).
    pub refused: u64,
    /// Still unsent after this push (refused ones included).
    pub remaining: u64,
    /// Held back after [`MAX_TRIES`] refusals.
    pub held: u64,
    pub errors: Vec<String>,
}

/// Outbox counts: (unsent, sent).
pub fn outbox_counts(store: &SqliteStore) -> Result<(u64, u64), StoreError> {
    Ok(store.conn().query_row(
        "SELECT coalesce(sum(sent_ms IS NULL), 0), coalesce(sum(sent_ms IS NOT NULL), 0) FROM outbox",
        [],
        |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64)),
    )?)
}

/// Makes statements held back after too many refusals eligible again.
pub fn retry_refused(store: &SqliteStore) -> Result<u64, StoreError> {
    Ok(store
        .conn()
        .execute("UPDATE outbox SET tries = 0 WHERE sent_ms IS NULL", [])? as u64)
}

enum Outcome {
    Accepted,
    /// Refused: worth isolating / recording.
    Refused(u16, String),
    /// Try again later (unreachable, busy).
    Later(String),
    Auth(u16),
}

fn classify(r: Result<(u16, String), String>) -> Outcome {
    match r {
        Ok((200 | 204, _)) => Outcome::Accepted,
        Ok((s @ (401 | 403), _)) => Outcome::Auth(s),
        Ok((s @ (429 | 502 | 503 | 504), t)) => {
            Outcome::Later(format!("HTTP {s}: {}", snippet(&t)))
        }
        Ok((s, t)) => Outcome::Refused(s, snippet(&t)),
        Err(e) => Outcome::Later(e),
    }
}

/// Sends unsent statements in batches of `batch`, calling `progress(done, total)` as it goes.
pub fn push(
    store: &mut SqliteStore,
    lrs: &Lrs,
    batch: usize,
    mut progress: impl FnMut(u64, u64),
) -> Result<PushReport, PushError> {
    let agent = lrs.agent();
    let mut report = PushReport::default();
    let total: u64 = store.conn().query_row(
        "SELECT count(*) FROM outbox WHERE sent_ms IS NULL AND tries < ?1",
        [MAX_TRIES],
        |r| r.get::<_, i64>(0),
    )? as u64;
    let mut after = 0i64;
    let mut done = 0u64;
    progress(0, total);
    loop {
        let rows: Vec<(i64, String, String)> = store
            .conn()
            .prepare_cached(
                "SELECT rowid, id, statement FROM outbox
                 WHERE sent_ms IS NULL AND tries < ?1 AND rowid > ?2 ORDER BY rowid LIMIT ?3",
            )
            .map_err(StoreError::from)?
            .query_map(params![MAX_TRIES, after, batch.max(1) as i64], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .map_err(StoreError::from)?
            .collect::<Result<_, _>>()
            .map_err(StoreError::from)?;
        let Some(last) = rows.last() else { break };
        after = last.0;
        let body = format!(
            "[{}]",
            rows.iter()
                .map(|r| r.2.as_str())
                .collect::<Vec<_>>()
                .join(",")
        );
        match send_with_backoff(lrs, &agent, &body) {
            Outcome::Accepted => {
                mark_sent(store, rows.iter().map(|r| r.1.as_str()))?;
                report.sent += rows.len() as u64;
            }
            Outcome::Auth(s) => return Err(PushError::Auth(lrs.endpoint.clone(), s)),
            Outcome::Later(e) => {
                finish_counts(store, &mut report)?;
                return Err(PushError::Unreachable(
                    lrs.endpoint.clone(),
                    format!(
                        "{e}; {} sent, {} still in the outbox",
                        report.sent, report.remaining
                    ),
                ));
            }
            Outcome::Refused(status, text) => {
                // Isolate the statement(s) the LRS will not take (a batch of one already is).
                let single = rows.len() == 1;
                for (_, id, st) in &rows {
                    let outcome = if single {
                        Outcome::Refused(status, text.clone())
                    } else {
                        send_with_backoff(lrs, &agent, &format!("[{st}]"))
                    };
                    match outcome {
                        Outcome::Accepted => {
                            mark_sent(store, std::iter::once(id.as_str()))?;
                            report.sent += 1;
                        }
                        Outcome::Auth(s) => return Err(PushError::Auth(lrs.endpoint.clone(), s)),
                        Outcome::Later(e) => {
                            finish_counts(store, &mut report)?;
                            return Err(PushError::Unreachable(lrs.endpoint.clone(), e));
                        }
                        Outcome::Refused(s, text) => {
                            let err = format!("HTTP {s}: {text}");
                            store
                                .conn()
                                .execute(
                                    "UPDATE outbox SET tries = tries + 1, last_error = ?2 WHERE id = ?1",
                                    params![id, err],
                                )
                                .map_err(StoreError::from)?;
                            report.refused += 1;
                            report.errors.push(format!("statement {id}: {err}"));
                        }
                    }
                }
            }
        }
        done += rows.len() as u64;
        progress(done, total);
    }
    finish_counts(store, &mut report)?;
    Ok(report)
}

fn send_with_backoff(lrs: &Lrs, agent: &ureq::Agent, body: &str) -> Outcome {
    let mut waits = lrs.backoff.iter();
    loop {
        match classify(lrs.post(agent, body)) {
            Outcome::Later(e) => match waits.next() {
                Some(w) => std::thread::sleep(*w),
                None => return Outcome::Later(e),
            },
            other => return other,
        }
    }
}

fn mark_sent<'a>(
    store: &mut SqliteStore,
    ids: impl Iterator<Item = &'a str>,
) -> Result<(), StoreError> {
    let now = now_ms() as i64;
    let tx = store.conn_mut().transaction()?;
    {
        let mut q =
            tx.prepare_cached("UPDATE outbox SET sent_ms = ?2, last_error = NULL WHERE id = ?1")?;
        for id in ids {
            q.execute(params![id, now])?;
        }
    }
    tx.commit()?;
    Ok(())
}

fn finish_counts(store: &SqliteStore, report: &mut PushReport) -> Result<(), StoreError> {
    let (remaining, held): (i64, i64) = store.conn().query_row(
        "SELECT count(*), coalesce(sum(tries >= ?1), 0) FROM outbox WHERE sent_ms IS NULL",
        [MAX_TRIES],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    report.remaining = remaining as u64;
    report.held = held as u64;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{origin, resolve};

    #[test]
    fn origins_compare_scheme_host_and_port() {
        assert_eq!(
            origin("http://127.0.0.1:8100/xAPI"),
            "http://127.0.0.1:8100"
        );
        assert_eq!(origin("HTTPS://LRS.example/x?y"), "https://lrs.example:443");
        assert_eq!(
            origin("https://lrs.example:443/a"),
            origin("https://lrs.example/b")
        );
        assert_ne!(
            origin("http://127.0.0.1:8100/x"),
            origin("http://127.0.0.1:8101/x")
        );
        assert_ne!(
            origin("http://lrs.example/x"),
            origin("https://lrs.example/x")
        );
        assert_eq!(origin("http://u:p@h:1/x"), "http://h:1");
    }

    #[test]
    fn more_links_resolve_against_the_endpoint_origin() {
        assert_eq!(
            resolve("http://127.0.0.1:8100/xAPI", "/xAPI/statements?pit_id=1"),
            "http://127.0.0.1:8100/xAPI/statements?pit_id=1"
        );
        assert_eq!(
            resolve("http://h/xAPI", "https://other/x"),
            "https://other/x"
        );
    }
}
