//! Pushing to a real Learning Record Store: Ralph (ralph-malph, filesystem backend) started on
//! 127.0.0.1 for the test through tests/support/ralph_lrs.py. Ralph comes from the virtual
//! environment `CASUS_LRS_VENV`, else `target/lrs-venv`, which is created on first use
//! (`python3 -m venv` and `pip install ralph-malph[cli,lrs] requests`; `.ci/run` prepares it the
//! same way).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

mod common;

use casus::play::Mode;
use casus::records::lrs::{self, Lrs, PushError};
use casus::records::{SqliteStore, Store};
use common::{mini, play, root};
use serde_json::Value;

const USER: &str = "trainer";
const PASSWORD: &str = "secret";

/// The virtual environment with Ralph, created in target/lrs-venv if needed.
fn venv() -> PathBuf {
    static SETUP: Mutex<()> = Mutex::new(());
    let _guard = SETUP.lock().unwrap_or_else(|e| e.into_inner());
    let venv = std::env::var_os("CASUS_LRS_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/lrs-venv"));
    if venv.join("bin/ralph").exists() {
        return venv;
    }
    let ok = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .status()
        .is_ok_and(|s| s.success())
        && Command::new(venv.join("bin/pip"))
            .args(["install", "-q", "ralph-malph[cli,lrs]", "requests"])
            .status()
            .is_ok_and(|s| s.success());
    assert!(
        ok && venv.join("bin/ralph").exists(),
        "cannot install Ralph (the LRS these tests use): needs python3 with venv and pip, and \
         access to PyPI; or set CASUS_LRS_VENV to a virtual environment that has ralph-malph"
    );
    venv
}

/// A running Ralph LRS; stopped when dropped.
struct Ralph {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl Ralph {
    fn start(dir: &Path, port: Option<u16>) -> Ralph {
        let venv = venv();
        let app = dir.join("app");
        std::fs::create_dir_all(&app).unwrap();
        if !app.join("auth.json").exists() {
            let st = Command::new(venv.join("bin/ralph"))
                .env("RALPH_APP_DIR", &app)
                .env("RALPH_RUNSERVER_BACKEND", "fs")
                .args([
                    "auth",
                    "-u",
                    USER,
                    "-p",
                    PASSWORD,
                    "-s",
                    "all",
                    "-A",
                    "org",
                    "https://org.example",
                    "-w",
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .unwrap();
            assert!(st.success(), "ralph auth failed");
        }
        let port = port.unwrap_or_else(|| {
            TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port()
        });
        let log = std::fs::File::create(dir.join(format!("ralph-{port}.log"))).unwrap();
        let child = Command::new(venv.join("bin/python"))
            .env("RALPH_APP_DIR", &app)
            .arg(root().join("tests/support/ralph_lrs.py"))
            .args(["127.0.0.1", &port.to_string()])
            .arg(dir.join("store"))
            .current_dir(dir)
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        let r = Ralph {
            child,
            port,
            dir: dir.to_path_buf(),
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while r.lrs().fetch_all(|_| {}).is_err() {
            assert!(
                Instant::now() < deadline,
                "Ralph did not start; see {}",
                dir.join(format!("ralph-{port}.log")).display()
            );
            std::thread::sleep(Duration::from_millis(250));
        }
        r
    }

    fn lrs(&self) -> Lrs {
        let mut l = Lrs::new(&format!("http://127.0.0.1:{}/xAPI", self.port));
        l.user = Some(USER.into());
        l.password = Some(PASSWORD.into());
        l.backoff = vec![Duration::from_millis(100), Duration::from_millis(200)];
        l.timeout = Duration::from_secs(10);
        l
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Ralph {
    fn drop(&mut self) {
        self.stop();
        let _ = &self.dir;
    }
}

fn outbox(store: &SqliteStore) -> Vec<Value> {
    let conn = store.conn();
    let mut q = conn
        .prepare("SELECT statement FROM outbox ORDER BY rowid")
        .unwrap();
    q.query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|s| serde_json::from_str(&s.unwrap()).unwrap())
        .collect()
}

fn unsent(store: &SqliteStore) -> u64 {
    lrs::outbox_counts(store).unwrap().0
}

/// Asserts the LRS holds each local statement exactly once. xAPI 1.0.3 says an LRS hides voided
/// statements from queries; Ralph 5.1 still returns them, so either answer is accepted.
fn assert_once(remote: &[Value], local: &[Value]) {
    let got = ids(remote);
    let all = ids(local);
    assert!(
        got == all || got == not_voided(local),
        "the LRS holds {} statements, {} were sent: {got:?}",
        got.len(),
        all.len()
    );
}

/// Every statement except those voided by another.
fn not_voided(statements: &[Value]) -> Vec<String> {
    let voided: Vec<&str> = statements
        .iter()
        .filter(|s| s["verb"]["id"].as_str().unwrap().ends_with("/voided"))
        .map(|s| s["object"]["id"].as_str().unwrap())
        .collect();
    let mut ids: Vec<String> = statements
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .filter(|id| !voided.contains(&id.as_str()))
        .collect();
    ids.sort();
    ids
}

fn stored(ralph: &Ralph) -> Vec<Value> {
    ralph.lrs().fetch_all(|_| {}).unwrap()
}

fn ids(sts: &[Value]) -> Vec<String> {
    let mut v: Vec<String> = sts
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect();
    v.sort();
    v
}

#[test]
fn statements_arrive_once_with_their_content_and_pushing_again_duplicates_nothing() {
    let dir = std::env::temp_dir().join(format!("casus-lrs-once-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let ralph = Ralph::start(&dir.join("lrs"), None);
    let sc = mini();
    let mut store = SqliteStore::open(&dir.join("data")).unwrap();
    let t = store.add_profile("Ilse", Some("123")).unwrap();
    play(&mut store, &t.id, &sc, Mode::Practice, &[1, 1, 1]);
    play(&mut store, &t.id, &sc, Mode::Practice, &[1, 2, 0, 1, 1]);
    play(&mut store, &t.id, &sc, Mode::Practice, &[2]);
    let local = outbox(&store);

    let r = lrs::push(&mut store, &ralph.lrs(), 4, |_, _| {}).unwrap();
    assert_eq!(
        (r.sent, r.refused, r.remaining),
        (local.len() as u64, 0, 0),
        "{r:?}"
    );
    let remote = stored(&ralph);
    assert_once(&remote, &local);
    for st in &remote {
        let mine = local.iter().find(|l| l["id"] == st["id"]).unwrap();
        for key in ["verb", "object", "actor"] {
            assert_eq!(st[key]["id"], mine[key]["id"], "{key}");
        }
        assert_eq!(st["actor"]["account"]["name"], t.id.as_str());
        assert!(!st.to_string().contains("Ilse"), "no names by default");
        assert_eq!(st["result"]["response"], mine["result"]["response"]);
        assert_eq!(
            st["context"]["registration"],
            mine["context"]["registration"]
        );
    }
    let passed = remote
        .iter()
        .find(|s| {
            s["verb"]["id"].as_str().unwrap().ends_with("/passed")
                || s["verb"]["id"].as_str().unwrap().ends_with("/failed")
        })
        .expect("a result statement");
    assert!(passed["result"]["score"]["scaled"].is_number());

    // The organisation's report can be built from the LRS alone.
    let data = casus::records::report::from_statements(&remote, "lrs");
    assert_eq!(data.rows.len(), 3, "one row per attempt (registration)");
    let finished: Vec<_> = data
        .rows
        .iter()
        .filter(|r| r.status == "finished")
        .collect();
    assert_eq!(finished.len(), 2);
    for r in &finished {
        assert_eq!(
            (r.trainee.as_str(), r.scenario.as_str()),
            (t.id.as_str(), "mini")
        );
        assert_eq!(r.goals.len(), sc.goals.len());
        assert_eq!(r.study_minutes, sc.study_minutes);
    }
    let local_rows = casus::records::report::from_store(&store.conn(), "db", false).unwrap();
    let overall = |rows: &[casus::records::report::Row]| {
        let mut v: Vec<String> = rows
            .iter()
            .filter_map(|r| r.overall)
            .map(|o| format!("{o:.4}"))
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        overall(&data.rows),
        overall(&local_rows.rows),
        "same results as the local records"
    );
    let html = casus::records::report::render(&data, 0);
    assert!(html.contains("Pass rates per scenario") && html.contains("<svg"));

    // Nothing left to send.
    let again = lrs::push(&mut store, &ralph.lrs(), 4, |_, _| {}).unwrap();
    assert_eq!(again.sent, 0);
    // Even sending everything again (an answer lost in transit) stores nothing twice.
    store
        .conn()
        .execute("UPDATE outbox SET sent_ms = NULL", [])
        .unwrap();
    let resent = lrs::push(&mut store, &ralph.lrs(), 4, |_, _| {}).unwrap();
    assert_eq!(
        (resent.sent, resent.remaining),
        (local.len() as u64, 0),
        "{resent:?}"
    );
    assert_once(&stored(&ralph), &local);
}

#[test]
fn an_lrs_stopped_mid_push_loses_nothing_and_the_next_push_completes() {
    let dir = std::env::temp_dir().join(format!("casus-lrs-down-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut ralph = Ralph::start(&dir.join("lrs"), None);
    let port = ralph.port;
    let sc = mini();
    let mut store = SqliteStore::open(&dir.join("data")).unwrap();
    let t = store.add_profile("Jan", None).unwrap();
    for _ in 0..4 {
        play(&mut store, &t.id, &sc, Mode::Practice, &[1, 1, 1]);
    }
    let local = outbox(&store);
    let total = local.len() as u64;
    let lrs = ralph.lrs();
    let mut stopped = false;
    let err = lrs::push(&mut store, &lrs, 2, |done, _| {
        if done >= 6 && !stopped {
            ralph.stop();
            stopped = true;
        }
    })
    .unwrap_err();
    assert!(matches!(err, PushError::Unreachable(..)), "{err}");
    assert!(err.to_string().contains("stay in the outbox"), "{err}");
    let left = unsent(&store);
    assert!(left > 0 && left <= total - 6, "{left} of {total} unsent");
    drop(ralph);

    let ralph = Ralph::start(&dir.join("lrs"), Some(port));
    let r = lrs::push(&mut store, &ralph.lrs(), 2, |_, _| {}).unwrap();
    assert_eq!((r.sent, r.remaining), (left, 0));
    assert_once(&stored(&ralph), &local);
}

#[test]
fn wrong_credentials_stop_the_push_and_keep_the_outbox() {
    let dir = std::env::temp_dir().join(format!("casus-lrs-auth-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let ralph = Ralph::start(&dir.join("lrs"), None);
    let mut store = SqliteStore::open(&dir.join("data")).unwrap();
    let t = store.add_profile("Kees", None).unwrap();
    play(&mut store, &t.id, &mini(), Mode::Practice, &[1, 1, 1]);
    let before = unsent(&store);
    let mut l = ralph.lrs();
    l.password = Some("wrong".into());
    let err = lrs::push(&mut store, &l, 10, |_, _| {}).unwrap_err();
    assert!(matches!(err, PushError::Auth(_, 401 | 403)), "{err}");
    assert_eq!(unsent(&store), before);
}
