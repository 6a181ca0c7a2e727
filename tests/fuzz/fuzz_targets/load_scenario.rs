//! Any bytes as a scenario file: loading, checking and analysing must end in a scenario or in
//! diagnostics, never a panic, a hang or unbounded memory.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use casus::scenario::load::builtin_goals;
use casus::scenario::def::GoalDef;
use casus::scenario::load_str;
use libfuzzer_sys::fuzz_target;

fn goals() -> &'static [GoalDef] {
    static G: OnceLock<Vec<GoalDef>> = OnceLock::new();
    G.get_or_init(builtin_goals)
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let loaded = load_str(Path::new("fuzz.ron"), text, goals());
    assert!(loaded.scenario.is_some() || loaded.diagnostics.iter().any(|d| d.is_error()));
});
