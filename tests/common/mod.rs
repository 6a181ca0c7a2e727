//! Helpers shared by the records tests: the known small scenario and recorded play.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::Arc;

use casus::play::{Mode, Session};
use casus::records::{Attempt, SqliteStore, Store};
use casus::scenario::{Scenario, load_paths};

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
