//! Helpers shared by integration tests: the known small scenario, loading a scenario that must
//! check clean, recorded play, and reading statements.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::Arc;

use casus::play::{Mode, Session};
use casus::records::{Attempt, SqliteStore, Store};
use casus::scenario::load::builtin_goals;
use casus::scenario::{Scenario, load_paths, load_str};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// tests/fixtures/mini.ron, a scenario with known scores.
pub fn mini() -> Arc<Scenario> {
    let lib = load_paths(&[root().join("tests/fixtures/mini.ron")]);
    Arc::clone(lib.find("mini").expect("mini loads"))
}

/// Plays 1-based `choices` (`0` = step back) as a recorded attempt, saving after every step as
/// the app does.
pub fn play(
    store: &mut SqliteStore,
    trainee: &str,
    sc: &Arc<Scenario>,
    mode: Mode,
    choices: &[usize],
) -> Attempt {
    let mut s = Session::new(Arc::clone(sc), 7, mode).unwrap();
    let mut a = Attempt::start(trainee.to_string(), sc, 7, mode);
    a.follow(&s);
    store.save_attempt(&a, sc).unwrap();
    for &c in choices {
        let at = s.entered_at_ms() + 1500;
        if c == 0 {
            s.step_back(at).unwrap();
        } else {
            s.choose(c - 1, at).unwrap();
        }
        a.follow(&s);
        store.save_attempt(&a, sc).unwrap();
    }
    a
}

/// Loads a scenario text: the scenario if it builds, and its errors as one line each.
pub fn load_with_errors(name: &str, src: String) -> (Option<Arc<Scenario>>, Vec<String>) {
    let loaded = load_str(std::path::Path::new(name), src, &builtin_goals());
    let errors: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    (loaded.scenario, errors)
}

/// Loads a scenario text that must have no errors.
pub fn load_clean(name: &str, src: String) -> Arc<Scenario> {
    let (scenario, errors) = load_with_errors(name, src);
    assert!(errors.is_empty(), "{name}: {errors:?}");
    scenario.expect("builds")
}

/// The verbs of xAPI statements, by the last segment of their IRI (`answered`, `voided`, …).
pub fn verbs(statements: &[serde_json::Value]) -> Vec<&str> {
    statements
        .iter()
        .map(|s| {
            let id = s["verb"]["id"].as_str().expect("a verb IRI");
            id.rsplit('/').next().unwrap_or(id)
        })
        .collect()
}

/// A fresh data directory under the temp dir (named by `tag` and the process) with one trainee;
/// returns the directory and the trainee's id.
pub fn data_with_trainee(tag: &str, name: &str) -> (PathBuf, String) {
    let data = std::env::temp_dir().join(format!("casus-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let id = SqliteStore::open(&data)
        .unwrap()
        .add_profile(name, None)
        .unwrap()
        .id;
    (data, id)
}

/// The decision rows stored for an attempt.
pub fn decision_rows(store: &SqliteStore, attempt: &str) -> i64 {
    store
        .conn()
        .query_row(
            "SELECT count(*) FROM decisions WHERE attempt = ?1",
            [attempt],
            |r| r.get(0),
        )
        .unwrap()
}
