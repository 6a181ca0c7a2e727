//! Any bytes as a saved session of the known-good scenario: refused with a reason, or restored
//! into a session that plays on — never a panic.
#![no_main]

use std::path::Path;
use std::sync::{Arc, OnceLock};

use casus::play::{SavedSession, Session};
use casus::scenario::load::builtin_goals;
use casus::scenario::{Scenario, load_str};
use libfuzzer_sys::fuzz_target;

const MINI: &str = include_str!("../../fixtures/mini.ron");

fn mini() -> Arc<Scenario> {
    static SC: OnceLock<Arc<Scenario>> = OnceLock::new();
    Arc::clone(SC.get_or_init(|| {
        load_str(Path::new("mini.ron"), MINI.to_string(), &builtin_goals())
            .scenario
            .expect("mini loads")
    }))
}

fuzz_target!(|data: &[u8]| {
    let Ok(saved) = serde_json::from_slice::<SavedSession>(data) else {
        return;
    };
    if let Ok(mut s) = Session::restore(mini(), saved) {
        let _ = s.offers();
        let at = s.entered_at_ms().saturating_add(1000);
        let _ = s.choose(0, at);
        let _ = s.score();
        let _ = s.debrief();
    }
});
