//! An LRS that misbehaves, played by a tiny HTTP server in the test: refusing some statements,
//! answering too slowly. Nothing may leave the outbox unless the LRS accepted it.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use casus::play::Mode;
use casus::records::lrs::{self, Lrs, MAX_TRIES, PushError};
use casus::records::{SqliteStore, Store};
use common::{mini, play};

/// What the fake LRS does with a POST body (a JSON array of statements).
type Rule = dyn Fn(&[serde_json::Value]) -> (u16, Duration) + Send + Sync;

/// Serves POSTs with `rule`; returns the endpoint and the statement ids it accepted.
fn serve(rule: Arc<Rule>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}/xAPI", listener.local_addr().unwrap());
    let accepted = Arc::new(Mutex::new(Vec::new()));
    let acc = Arc::clone(&accepted);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let rule = Arc::clone(&rule);
            let acc = Arc::clone(&acc);
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut len = 0usize;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        len = v.trim().parse().unwrap_or(0);
                    }
                    if line == "\r\n" {
                        break;
                    }
                }
                let mut body = vec![0; len];
                reader.read_exact(&mut body).unwrap();
                let sts: Vec<serde_json::Value> = serde_json::from_slice(&body).unwrap();
                let (status, delay) = rule(&sts);
                std::thread::sleep(delay);
                if status == 200 {
                    let mut a = acc.lock().unwrap();
                    a.extend(sts.iter().map(|s| s["id"].as_str().unwrap().to_string()));
                }
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status} X\r\nContent-Length: 2\r\nConnection: close\r\n\r\n[]"
                );
            });
        }
    });
    (endpoint, accepted)
}

fn store_with_statements(name: &str) -> SqliteStore {
    let d = std::env::temp_dir().join(format!("casus-lrsf-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    let mut store = SqliteStore::open(&d).unwrap();
    let t = store.add_profile("Eva", None).unwrap();
    play(&mut store, &t.id, &mini(), Mode::Exam, &[1, 1, 1]);
    store
}

fn unsent(store: &SqliteStore) -> u64 {
    lrs::outbox_counts(store).unwrap().0
}

#[test]
fn a_refused_statement_stays_with_its_error_and_the_rest_goes() {
    let mut store = store_with_statements("refused");
    let total = unsent(&store);
    // The LRS refuses every batch holding an `answered` statement (HTTP 400).
    let rule: Arc<Rule> = Arc::new(|sts| {
        let bad = sts
            .iter()
            .any(|s| s["verb"]["display"]["en-US"] == "answered");
        (if bad { 400 } else { 200 }, Duration::ZERO)
    });
    let (endpoint, accepted) = serve(rule);
    let l = Lrs::new(&endpoint);
    let r = lrs::push(&mut store, &l, 10, |_, _| {}).unwrap();
    assert_eq!(r.refused, 3, "{r:?}");
    assert_eq!(r.sent, total - 3);
    assert_eq!(accepted.lock().unwrap().len() as u64, total - 3);
    assert_eq!(unsent(&store), 3);
    let err: String = store
        .conn()
        .query_row(
            "SELECT last_error FROM outbox WHERE sent_ms IS NULL LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(err.contains("HTTP 400"), "{err}");
    // Refused again and again, they are held back, never dropped.
    for _ in 1..MAX_TRIES {
        lrs::push(&mut store, &l, 10, |_, _| {}).unwrap();
    }
    let r = lrs::push(&mut store, &l, 10, |_, _| {}).unwrap();
    assert_eq!((r.sent, r.refused, r.held, r.remaining), (0, 0, 3, 3));
    assert_eq!(lrs::retry_refused(&store).unwrap(), 3);
    let r = lrs::push(&mut store, &l, 10, |_, _| {}).unwrap();
    assert_eq!(r.refused, 3, "tried again after --retry-refused");
}

#[test]
fn an_lrs_too_slow_to_answer_is_retried_then_left_for_later() {
    let mut store = store_with_statements("slow");
    let total = unsent(&store);
    let rule: Arc<Rule> = Arc::new(|_| (200, Duration::from_secs(3)));
    let (endpoint, _) = serve(rule);
    let mut l = Lrs::new(&endpoint);
    l.timeout = Duration::from_millis(300);
    l.backoff = vec![Duration::from_millis(50), Duration::from_millis(100)];
    let err = lrs::push(&mut store, &l, 100, |_, _| {}).unwrap_err();
    assert!(matches!(err, PushError::Unreachable(..)), "{err}");
    assert_eq!(
        unsent(&store),
        total,
        "nothing marked sent without an answer"
    );
}

#[test]
fn a_busy_lrs_is_retried_with_back_off() {
    let mut store = store_with_statements("busy");
    let total = unsent(&store);
    let calls = Arc::new(Mutex::new(0));
    let c = Arc::clone(&calls);
    // 503 twice, then fine.
    let rule: Arc<Rule> = Arc::new(move |_| {
        let mut n = c.lock().unwrap();
        *n += 1;
        (if *n <= 2 { 503 } else { 200 }, Duration::ZERO)
    });
    let (endpoint, accepted) = serve(rule);
    let mut l = Lrs::new(&endpoint);
    l.backoff = vec![Duration::from_millis(20); 3];
    let r = lrs::push(&mut store, &l, 100, |_, _| {}).unwrap();
    assert_eq!((r.sent, r.remaining), (total, 0));
    assert_eq!(*calls.lock().unwrap(), 3);
    assert_eq!(accepted.lock().unwrap().len() as u64, total);
}

/// The requests a fake LRS received: path and Authorization header.
type Heard = Arc<Mutex<Vec<(String, Option<String>)>>>;

/// A GET-only fake LRS: answers every request with `body(address, path)` and records each
/// request's path with its Authorization header.
fn serve_get(body: impl Fn(&str, &str) -> String + Send + Sync + 'static) -> (String, Heard) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let endpoint = format!("http://{addr}/xAPI");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let body = Arc::new(body);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut first = String::new();
            let mut auth = None;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if first.is_empty() {
                    first = line.trim().to_string();
                } else if let Some(v) = line.to_ascii_lowercase().strip_prefix("authorization:") {
                    auth = Some(v.trim().to_string());
                }
            }
            let path = first.split(' ').nth(1).unwrap_or("").to_string();
            log.lock().unwrap().push((path.clone(), auth));
            let text = body(&addr.to_string(), &path);
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
                text.len()
            );
        }
    });
    (endpoint, seen)
}

#[test]
fn a_more_link_to_another_address_is_not_followed_and_the_password_stays_home() {
    // Another server, where a `more` link points: it must never hear from us.
    let (elsewhere, heard) = serve_get(|_, _| r#"{"statements": []}"#.to_string());
    let thief = elsewhere.trim_end_matches("/xAPI").to_string();
    let (endpoint, asked) = serve_get(move |_, _| {
        format!(r#"{{"statements": [{{"id": "a"}}], "more": "{thief}/steal?page=2"}}"#)
    });
    let mut lrs = Lrs::new(&endpoint);
    lrs.user = Some("trainer".into());
    lrs.password = Some("secret".into());
    match lrs.fetch_all(|_| {}) {
        Err(e @ PushError::Elsewhere(..)) => {
            assert!(e.to_string().contains("not followed"), "{e}");
            assert!(!e.to_string().contains("outbox"), "{e}");
        }
        other => panic!("followed the link elsewhere: {other:?}"),
    }
    assert_eq!(asked.lock().unwrap().len(), 1);
    assert!(
        asked.lock().unwrap()[0].1.is_some(),
        "the home LRS got the credentials"
    );
    assert!(
        heard.lock().unwrap().is_empty(),
        "nothing was sent to the other address"
    );
}

#[test]
fn a_more_link_that_points_back_to_itself_stops_at_once() {
    let (endpoint, asked) = serve_get(|addr, path| {
        let next = if path.contains("page=") {
            path.to_string()
        } else {
            "/xAPI/statements?page=1".into()
        };
        let _ = addr;
        format!(r#"{{"statements": [], "more": "{next}"}}"#)
    });
    let started = std::time::Instant::now();
    assert!(matches!(
        Lrs::new(&endpoint).fetch_all(|_| {}),
        Err(PushError::Endless(_))
    ));
    assert!(
        asked.lock().unwrap().len() <= 3,
        "{:?}",
        asked.lock().unwrap()
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    // Ever new pages without statements also end.
    let (endpoint, asked) = serve_get(|_, path| {
        let n: u64 = path
            .rsplit('=')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        format!(
            r#"{{"statements": [], "more": "/xAPI/statements?page={}"}}"#,
            n + 1
        )
    });
    assert!(matches!(
        Lrs::new(&endpoint).fetch_all(|_| {}),
        Err(PushError::Endless(_))
    ));
    assert!(asked.lock().unwrap().len() <= 25);
}
