//! Any text as a choice's condition and as an effect in a known-good scenario: parsed and
//! type-checked, or reported — never a panic.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use casus::scenario::load::builtin_goals;
use casus::scenario::def::GoalDef;
use casus::scenario::load_str;
use libfuzzer_sys::fuzz_target;

const MINI: &str = include_str!("../../fixtures/mini.ron");

fn goals() -> &'static [GoalDef] {
    static G: OnceLock<Vec<GoalDef>> = OnceLock::new();
    G.get_or_init(builtin_goals)
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (cond, effect) = text.split_once('\n').unwrap_or((&text, "zorgen += 1"));
    let src = MINI
        .replace("\"overlegd && zorgen >= 1\"", &format!("{cond:?}"))
        .replace("\"zorgen += 1\"", &format!("{effect:?}"));
    let loaded = load_str(Path::new("expr.ron"), src, goals());
    assert!(loaded.scenario.is_some() || loaded.diagnostics.iter().any(|d| d.is_error()));
});
