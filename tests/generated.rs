//! Property tests over randomly generated valid scenarios (`casus::analysis::synth`, any size
//! and seed): loading and checking accept them, random play never panics and always ends, and
//! saving at any step — through JSON, as the records database keeps it — and restoring continues
//! exactly as the original run.

mod common;

use std::sync::Arc;

use casus::analysis::synth;
use casus::play::{Mode, SavedSession, Session};
use casus::scenario::Scenario;
use common::load_clean;
use proptest::prelude::*;

fn generated(nodes: usize, seed: u64) -> Arc<Scenario> {
    load_clean(
        &format!("gen-{nodes}-{seed}.ron"),
        synth::scenario(nodes, seed),
    )
}

/// Plays `picks` (indices into the open choices, wrapping) until the end; a node with no open
/// choice lets its time run out. Returns false if the run got stuck.
fn play(s: &mut Session, picks: &[u8], from: usize) -> bool {
    let mut at = s.entered_at_ms();
    for k in from..from + 10_000 {
        if s.is_finished() {
            return true;
        }
        at += 700;
        let open: Vec<usize> = s
            .offers()
            .iter()
            .enumerate()
            .filter(|(_, o)| o.available)
            .map(|(i, _)| i)
            .collect();
        let r = if open.is_empty() {
            at += s.time_limit_ms().unwrap_or(0);
            s.time_out(at)
        } else {
            let p = picks.get(k % picks.len().max(1)).copied().unwrap_or(0) as usize;
            s.choose(open[p % open.len()], at)
        };
        if r.is_err() {
            return false;
        }
    }
    false
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_valid_scenarios_load_play_to_an_end_and_restore_identically(
        nodes in 16usize..320,
        gen_seed in any::<u64>(),
        play_seed in any::<u64>(),
        picks in proptest::collection::vec(any::<u8>(), 1..40),
        cut in 0usize..30,
        exam in any::<bool>(),
    ) {
        let sc = generated(nodes, gen_seed);
        let mode = if exam { Mode::Exam } else { Mode::Practice };
        let mut whole = Session::new(Arc::clone(&sc), play_seed, mode).unwrap();
        prop_assert!(play(&mut whole, &picks, 0), "the run reaches an ending");
        let score = whole.score();
        prop_assert!((0.0..=1.0).contains(&score.overall));

        // The same run, saved after `cut` steps and restored from JSON.
        let mut first = Session::new(Arc::clone(&sc), play_seed, mode).unwrap();
        let mut steps = 0;
        let mut at = first.entered_at_ms();
        while steps < cut && !first.is_finished() {
            at += 700;
            let open: Vec<usize> = first.offers().iter().enumerate()
                .filter(|(_, o)| o.available).map(|(i, _)| i).collect();
            if open.is_empty() {
                at += first.time_limit_ms().unwrap_or(0);
                first.time_out(at).unwrap();
            } else {
                let p = picks[steps % picks.len()] as usize;
                first.choose(open[p % open.len()], at).unwrap();
            }
            steps += 1;
        }
        let json = serde_json::to_string(&first.save()).unwrap();
        let saved: SavedSession = serde_json::from_str(&json).unwrap();
        let mut resumed = Session::restore(Arc::clone(&sc), saved).unwrap();
        prop_assert!(play(&mut resumed, &picks, steps));
        prop_assert_eq!(resumed.log(), whole.log());
        prop_assert_eq!(resumed.points(), whole.points());
        prop_assert_eq!(resumed.score().overall, score.overall);
    }
}
