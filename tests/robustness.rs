//! Bad input never panics: mutated scenario files, random expressions in a scenario, and
//! damaged saved sessions each end in diagnostics or an error, never a crash. Each property runs
//! a fixed budget of cases here; a longer run: `PROPTEST_CASES=20000 cargo test --release --test
//! robustness`. A case that ever fails is kept by proptest in tests/robustness.proptest-regressions
//! and replayed first on every later run.

mod common;

use std::path::Path;
use std::sync::Arc;

use casus::play::{Mode, SavedSession, Session};
use casus::scenario::load::builtin_goals;
use casus::scenario::load_str;
use common::{mini, root};
use proptest::prelude::*;

fn mini_text() -> String {
    std::fs::read_to_string(root().join("tests/fixtures/mini.ron")).unwrap()
}

/// One edit to a text's bytes.
#[derive(Debug, Clone)]
enum Edit {
    Replace(usize, u8),
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    Truncate(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Edit::Replace(i, b)),
        (
            any::<usize>(),
            proptest::collection::vec(
                prop_oneof![
                    Just(b'('),
                    Just(b')'),
                    Just(b'"'),
                    Just(b','),
                    Just(b'['),
                    Just(b']'),
                    any::<u8>()
                ],
                1..8
            )
        )
            .prop_map(|(i, v)| Edit::Insert(i, v)),
        (any::<usize>(), 1usize..64).prop_map(|(i, n)| Edit::Delete(i, n)),
        any::<usize>().prop_map(Edit::Truncate),
    ]
}

fn apply(bytes: &mut Vec<u8>, e: &Edit) {
    let len = bytes.len().max(1);
    match e {
        Edit::Replace(i, b) => {
            if !bytes.is_empty() {
                bytes[i % len] = *b;
            }
        }
        Edit::Insert(i, v) => {
            let at = i % (bytes.len() + 1);
            bytes.splice(at..at, v.iter().copied());
        }
        Edit::Delete(i, n) => {
            let at = i % len;
            let end = (at + n).min(bytes.len());
            bytes.drain(at.min(end)..end);
        }
        Edit::Truncate(i) => bytes.truncate(i % len),
    }
}

/// A random expression over the names of mini.ron and the language's tokens.
fn expression() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("zorgen"),
        Just("overlegd"),
        Just("mila.trust"),
        Just("mila.mood"),
        Just("visits(start)"),
        Just("&&"),
        Just("||"),
        Just("!"),
        Just("=="),
        Just(">="),
        Just("+"),
        Just("-"),
        Just("*"),
        Just("("),
        Just(")"),
        Just("1"),
        Just("0"),
        Just("true"),
        Just("99999999999999999999"),
        Just("onbekend"),
        Just("\""),
        Just("="),
        Just("+="),
        Just(" "),
    ];
    proptest::collection::vec(token, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256),
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_mutated_scenario_file_gives_diagnostics_not_a_panic(edits in proptest::collection::vec(edit(), 1..6)) {
        let mut bytes = mini_text().into_bytes();
        for e in &edits {
            apply(&mut bytes, e);
        }
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let loaded = load_str(Path::new("mutated.ron"), text, &builtin_goals());
        // Either it still builds, or it says why not.
        prop_assert!(loaded.scenario.is_some() || loaded.diagnostics.iter().any(|d| d.is_error()));
        if let Some(sc) = loaded.scenario {
            let mut s = Session::new(sc, 1, Mode::Practice).unwrap();
            let mut at = 0;
            for _ in 0..200 {
                if s.is_finished() { break; }
                at += 1000;
                let open = s.offers().iter().position(|o| o.available);
                let r = match open {
                    Some(p) => s.choose(p, at),
                    None => { at += s.time_limit_ms().unwrap_or(0); s.time_out(at) }
                };
                if r.is_err() { break; }
            }
        }
    }

    #[test]
    fn a_random_expression_is_parsed_or_reported(cond in expression(), effect in expression()) {
        let text = mini_text()
            .replace("\"overlegd && zorgen >= 1\"", &format!("{:?}", cond))
            .replace("\"zorgen += 1\"", &format!("{:?}", effect));
        let loaded = load_str(Path::new("expr.ron"), text, &builtin_goals());
        prop_assert!(loaded.scenario.is_some() || loaded.diagnostics.iter().any(|d| d.is_error()));
    }

    #[test]
    fn a_damaged_saved_session_is_refused_not_a_panic(edits in proptest::collection::vec(edit(), 1..4)) {
        let sc = mini();
        let mut s = Session::new(Arc::clone(&sc), 5, Mode::Practice).unwrap();
        s.choose(0, 1000).unwrap();
        let mut bytes = serde_json::to_vec(&s.save()).unwrap();
        for e in &edits {
            apply(&mut bytes, e);
        }
        if let Ok(saved) = serde_json::from_slice::<SavedSession>(&bytes) {
            // Restoring either works and the session plays on, or it is refused with a reason.
            if let Ok(mut r) = Session::restore(Arc::clone(&sc), saved) {
                let _ = r.offers();
                let at = r.entered_at_ms() + 1000;
                let _ = r.choose(0, at);
                let _ = r.score();
            }
        }
    }
}
