//! Any bytes as a scenario file: loading, checking and analysing must end in a scenario or in
//! diagnostics, never a panic, a hang or unbounded memory. The span index also walks every input
//! (the loader builds it only for text `ron` accepts) and resolves paths cut from the input.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use casus::scenario::load::builtin_goals;
use casus::scenario::def::GoalDef;
use casus::scenario::load_str;
use casus::scenario::spans::SpanIndex;
use libfuzzer_sys::fuzz_target;

fn goals() -> &'static [GoalDef] {
    static G: OnceLock<Vec<GoalDef>> = OnceLock::new();
    G.get_or_init(builtin_goals)
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let spans = SpanIndex::build(&text);
    for path in text.lines().take(8).chain(["nodes[0].choices[0].next", "goals[\"a\"]#key"]) {
        if let Some(r) = spans.find(path) {
            assert!(r.start <= r.end && r.end <= text.len());
        }
    }
    let loaded = load_str(Path::new("fuzz.ron"), text, goals());
    assert!(loaded.scenario.is_some() || loaded.diagnostics.iter().any(|d| d.is_error()));
});
