//! Every shipped scenario: clean under `check`, rich enough, the expert passes, and random play
//! always reaches an ending without panicking (property test), also across save and restore.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use casus::play::{Mode, Session};
use casus::scenario::model::NodeKind;
use casus::scenario::{Scenario, load_paths};
use casus::score::expert_choice;
use proptest::prelude::*;

fn shipped() -> Vec<Arc<Scenario>> {
    static SHIPPED: OnceLock<Vec<Arc<Scenario>>> = OnceLock::new();
    SHIPPED.get_or_init(load_shipped).clone()
}

fn load_shipped() -> Vec<Arc<Scenario>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let lib = load_paths(&[dir]);
    let diags: Vec<String> = lib.diagnostics().map(|d| d.to_string()).collect();
    assert!(
        diags.is_empty(),
        "shipped scenarios must check clean:\n{}",
        diags.join("\n")
    );
    let all: Vec<_> = lib.playable().cloned().collect();
    assert_eq!(all.len(), lib.scenarios.len());
    assert!(all.len() >= 2, "at least two shipped scenarios");
    all
}

#[test]
fn shipped_scenarios_meet_the_content_bar() {
    for sc in shipped() {
        let endings: Vec<_> = sc.endings().collect();
        assert!(
            sc.decision_count() >= 10,
            "{}: {} decisions",
            sc.id,
            sc.decision_count()
        );
        assert!(endings.len() >= 3, "{}: {} endings", sc.id, endings.len());
        assert!(
            sc.nodes
                .iter()
                .any(|n| matches!(n.kind, NodeKind::Random(_))),
            "{}: no random variation",
            sc.id
        );
        assert!(
            sc.choices
                .iter()
                .all(|c| !c.rationale.trim().is_empty() && !c.source.trim().is_empty())
        );
        assert!(sc.ranges_exact, "{}: analysis was cut short", sc.id);
        assert_eq!(sc.language, "nl");
    }
}

/// Plays the expert's choice everywhere.
fn expert_run(sc: &Arc<Scenario>, seed: u64) -> Session {
    let mut s = Session::new(Arc::clone(sc), seed, Mode::Exam).unwrap();
    let mut at = 0;
    while !s.is_finished() {
        let c = expert_choice(sc, s.state(), s.node()).expect("the expert always has a choice");
        let pos = sc.offered(s.node()).iter().position(|&o| o == c).unwrap();
        at += 1000;
        s.choose(pos, at).unwrap();
    }
    s
}

#[test]
fn the_expert_passes_every_shipped_scenario_whatever_the_draw() {
    for sc in shipped() {
        for seed in 0..16 {
            let s = expert_run(&sc, seed);
            let score = s.score();
            assert!(score.passed, "{} seed {seed}: {:?}", sc.id, score.reasons);
            let ending = score.ending.unwrap();
            assert_eq!(ending.outcome.as_str(), "safe", "{} seed {seed}", sc.id);
            assert!(
                score.rules.iter().all(|r| !r.violated),
                "{} seed {seed}",
                sc.id
            );
        }
    }
}

/// Random play: at each decision pick among the available choices by `picks`.
fn random_run(sc: &Arc<Scenario>, seed: u64, picks: &[u16], save_at: usize) -> Session {
    let mut s = Session::new(Arc::clone(sc), seed, Mode::Practice).unwrap();
    let mut step = 0;
    while !s.is_finished() {
        assert!(step < 500, "{}: no ending after 500 decisions", sc.id);
        if step == save_at {
            let json = serde_json::to_string(&s.save()).unwrap();
            s = Session::restore(Arc::clone(sc), serde_json::from_str(&json).unwrap()).unwrap();
        }
        let offers = s.offers();
        let avail: Vec<usize> = offers
            .iter()
            .enumerate()
            .filter(|(_, o)| o.available)
            .map(|(i, _)| i)
            .collect();
        let pick = picks.get(step).copied().unwrap_or(0) as usize;
        let at = s.entered_at_ms() + 500;
        if avail.is_empty() {
            s.time_out(
                s.entered_at_ms()
                    + s.time_limit_ms()
                        .expect("no choice available and no time limit"),
            )
            .unwrap();
        } else if pick % 11 == 10 && s.time_limit_ms().is_some() {
            s.choose(avail[0], s.entered_at_ms() + s.time_limit_ms().unwrap() + 1)
                .unwrap();
        } else {
            s.choose(avail[pick % avail.len()], at).unwrap();
        }
        step += 1;
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn random_play_always_ends_and_restores_identically(
        seed in any::<u64>(),
        picks in proptest::collection::vec(any::<u16>(), 0..60),
        save_at in 0usize..20,
    ) {
        for sc in shipped() {
            let plain = random_run(&sc, seed, &picks, usize::MAX);
            let restored = random_run(&sc, seed, &picks, save_at);
            prop_assert!(plain.is_finished());
            prop_assert_eq!(plain.save(), restored.save());
            let score = plain.score();
            prop_assert!(score.goals.iter().all(|g| (0.0..=1.0).contains(&g.scaled)));
            prop_assert!(score.ending.is_some());
        }
    }
}
