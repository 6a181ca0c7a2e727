//! Shared by the records benchmarks: a synthetic case with about 20 decisions per run and a
//! fresh database directory.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use casus::analysis::synth;
use casus::play::{Mode, Session};
use casus::scenario::load::builtin_goals;
use casus::scenario::{Scenario, load_str};

/// A synthetic scenario deep enough for about 20 decisions per run.
pub fn scenario() -> Arc<Scenario> {
    let loaded = load_str(
        Path::new("synth.ron"),
        synth::scenario(200, 7),
        &builtin_goals(),
    );
    loaded
        .scenario
        .expect("the synthetic scenario checks clean")
}

/// A fresh session (practice, so every choice is offered).
pub fn session(sc: &Arc<Scenario>, seed: u64) -> Session {
    Session::new(Arc::clone(sc), seed, Mode::Practice).expect("starts")
}

/// Makes the first open choice; false when the case has ended.
pub fn step(s: &mut Session) -> bool {
    if s.is_finished() {
        return false;
    }
    let at = s.entered_at_ms() + 1500;
    let pos = s.offers().iter().position(|o| o.available).unwrap_or(0);
    s.choose(pos, at).is_ok()
}

/// An empty directory under target/ (the same disk as a real data directory would be).
pub fn fresh_dir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/bench-records")
        .join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("bench directory");
    d
}
