//! The runtime and scoring on tests/fixtures/mini.ron, a scenario built with known answers.

use std::path::PathBuf;
use std::sync::Arc;

use casus::play::{LogEntry, Mode, PlayError, RestoreError, SavedSession, Session};
use casus::scenario::def::Outcome;
use casus::scenario::{Scenario, load_paths};
use casus::score::Reason;

fn mini() -> Arc<Scenario> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini.ron");
    let lib = load_paths(&[path]);
    let diags: Vec<String> = lib.diagnostics().map(|d| d.to_string()).collect();
    assert!(diags.is_empty(), "{diags:?}");
    Arc::clone(lib.find("mini").expect("mini loads"))
}

/// Plays 1-based choices, each taking one second.
fn play(sc: &Arc<Scenario>, seed: u64, mode: Mode, choices: &[usize]) -> Session {
    let mut s = Session::new(Arc::clone(sc), seed, mode).unwrap();
    for &c in choices {
        let at = s.entered_at_ms() + 1000;
        s.choose(c - 1, at)
            .unwrap_or_else(|e| panic!("choice {c}: {e}"));
    }
    s
}

fn node_id(s: &Session) -> &str {
    &s.scenario().nodes[s.node() as usize].id
}

#[test]
fn ranges_come_from_the_graph() {
    let sc = mini();
    assert!(sc.ranges_exact);
    let r: Vec<(i64, i64)> = sc.ranges.iter().map(|r| (r.min, r.max)).collect();
    // signal: -1..2; consult: -1 + late penalty -1 = -2 .. 2; decide: close -1 + critical -1 = -2 .. 3.
    assert_eq!(r, vec![(-1, 2), (-2, 2), (-2, 3)]);
}

#[test]
fn expert_run_scores_one_on_every_goal_and_passes() {
    let sc = mini();
    let s = play(&sc, 7, Mode::Exam, &[1, 1, 1]);
    assert!(s.is_finished());
    let score = s.score();
    assert_eq!(score.ending.as_ref().unwrap().id, "veilig");
    for g in &score.goals {
        assert_eq!(g.scaled, 1.0, "{}", g.id);
    }
    assert_eq!(score.overall, 1.0);
    assert!(score.passed, "{:?}", score.reasons);
    let d = s.debrief();
    assert!(
        d.decisions.iter().all(|x| x.expert.is_none()),
        "the expert's choice was made everywhere"
    );
    assert!(d.missed.is_empty() && d.avoided_not.is_empty());
}

#[test]
fn worst_run_scores_zero_and_fails_on_the_critical_rule() {
    let sc = mini();
    let s = play(&sc, 7, Mode::Exam, &[2, 2, 3]);
    let score = s.score();
    assert_eq!(score.ending.as_ref().unwrap().id, "onveilig");
    for g in &score.goals {
        assert_eq!(g.scaled, 0.0, "{}", g.id);
    }
    assert!(!score.passed);
    // Each ground of the verdict is a reason: the unsafe ending, the missed must-do, the
    // critical error, every goal below its floor and the overall score.
    assert!(
        score.reasons.contains(&Reason::Outcome {
            outcome: Outcome::Unsafe,
            met: false
        }),
        "{:?}",
        score.reasons
    );
    assert!(score.reasons.iter().any(|r| matches!(r,
        Reason::Critical { message, .. } if message.starts_with("Afsluiten"))));
    assert!(score.reasons.iter().any(|r| matches!(r,
        Reason::MustDo { rule, .. } if rule == "overleg_tijdig")));
    let low: Vec<&Reason> = score
        .reasons
        .iter()
        .filter(|r| matches!(r, Reason::Goal { met: false, .. }))
        .collect();
    assert_eq!(low.len(), 3, "{low:?}");
    assert!(
        score.reasons.iter().all(|r| !r.met()),
        "{:?}",
        score.reasons
    );
    let d = s.debrief();
    assert_eq!(
        d.avoided_not,
        vec!["Afsluiten bij een onthulling is een kritieke fout.".to_string()]
    );
    assert_eq!(
        d.missed,
        vec!["Overleg binnen twee beslissingen.".to_string()]
    );
    // Every decision differs from the expert's, who is named with rationale and source.
    let experts: Vec<&str> = d
        .decisions
        .iter()
        .map(|x| x.expert.as_ref().unwrap().id.as_str())
        .collect();
    assert_eq!(experts, ["c_ask", "c_consult", "c_report"]);
    assert_eq!(
        d.decisions[2].expert.as_ref().unwrap().source,
        "Afwegingskader vraag 2"
    );
    // Reporting was locked by the skipped consultation: the debrief says so.
    assert_eq!(
        d.decisions[2].expert_locked.as_deref(),
        Some("Overleg eerst.")
    );
    assert_eq!(d.decisions[1].expert_locked, None);
}

#[test]
fn a_critical_error_fails_even_with_enough_points() {
    // Lower every floor and accept partial endings: only the critical rule and the unsafe
    // ending stand between this run and a pass.
    let mut lenient = (*mini()).clone();
    lenient.pass_overall = 0.0;
    lenient.accept_partial = true;
    for g in &mut lenient.goals {
        g.threshold = 0.0;
    }
    let sc = Arc::new(lenient);
    let s = play(&sc, 7, Mode::Exam, &[1, 1, 3]);
    let score = s.score();
    assert!(score.goals.iter().all(|g| g.met));
    assert!(!score.passed);
    let failed: Vec<&Reason> = score.reasons.iter().filter(|r| !r.met()).collect();
    assert_eq!(failed.len(), 2, "{failed:?}");
    assert!(matches!(
        failed[0],
        Reason::Outcome {
            outcome: Outcome::Unsafe,
            ..
        }
    ));
    assert!(matches!(failed[1], Reason::Critical { rule, .. } if rule == "niet_afsluiten"));
    // The same run without the critical choice ends Partial, which this case now accepts.
    assert!(play(&sc, 7, Mode::Exam, &[1, 1, 2]).score().passed);
}

#[test]
fn a_partial_ending_passes_only_where_the_scenario_accepts_it() {
    // Every score is high enough: consult and signal full, decide 1 of 3 above a low floor.
    let mut sc = (*mini()).clone();
    sc.pass_overall = 0.5;
    for g in &mut sc.goals {
        g.threshold = 0.3;
    }
    let strict = Arc::new(sc.clone());
    let score = play(&strict, 7, Mode::Exam, &[1, 1, 2]).score();
    assert!(score.goals.iter().all(|g| g.met), "{:?}", score.goals);
    assert!(!score.passed);
    assert_eq!(
        score.reasons[0],
        Reason::Outcome {
            outcome: Outcome::Partial,
            met: false
        }
    );
    sc.accept_partial = true;
    let lenient = Arc::new(sc);
    assert!(play(&lenient, 7, Mode::Exam, &[1, 1, 2]).score().passed);
}

#[test]
fn a_missed_must_do_fails_a_run_that_meets_everything_else() {
    // Floors and pass mark at 0 and partial endings accepted: not consulting breaks the
    // must-do `overleg_tijdig` (not critical), and that alone fails the run.
    let mut sc = (*mini()).clone();
    sc.pass_overall = 0.0;
    sc.accept_partial = true;
    for g in &mut sc.goals {
        g.threshold = 0.0;
    }
    let sc = Arc::new(sc);
    let score = play(&sc, 7, Mode::Exam, &[1, 2, 2]).score();
    assert!(!score.passed);
    let failed: Vec<&Reason> = score.reasons.iter().filter(|r| !r.met()).collect();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert!(matches!(failed[0], Reason::MustDo { rule, .. } if rule == "overleg_tijdig"));
}

#[test]
fn a_net_loss_reads_zero_and_full_credit_reads_one() {
    let sc = mini();
    // The worst run loses points on every goal: 0 %, with the raw loss kept.
    let worst = play(&sc, 7, Mode::Exam, &[2, 2, 3]).score();
    for g in &worst.goals {
        assert!(g.raw < 0, "{}: {}", g.id, g.raw);
        assert_eq!(g.scaled, 0.0, "{}", g.id);
    }
    // Scale: the share of the highest total, whatever the lowest.
    use casus::scenario::model::GoalRange;
    use casus::score::scale;
    let r = GoalRange { min: -10, max: 2 };
    assert_eq!(scale(0, r), 0.0, "no points earned is no credit");
    assert_eq!(scale(1, r), 0.5);
    assert_eq!(scale(2, r), 1.0);
    assert_eq!(scale(-7, r), 0.0);
    assert_eq!(scale(5, r), 1.0, "above the highest (a loop) is full");
    let none = GoalRange { min: -3, max: 0 };
    assert_eq!(scale(0, none), 1.0);
    assert_eq!(scale(-1, none), 0.0);
}

#[test]
fn a_partial_run_scores_the_share_of_the_highest_total() {
    let sc = mini();
    let s = play(&sc, 7, Mode::Exam, &[1, 1, 2]);
    let score = s.score();
    let decide = score.goals.iter().find(|g| g.id == "decide").unwrap();
    assert_eq!(decide.raw, 1);
    assert!(
        (decide.scaled - 1.0 / 3.0).abs() < 1e-12,
        "1 of the highest 3"
    );
    assert_eq!(score.ending.as_ref().unwrap().id, "half");
}

#[test]
fn locked_choices_are_visible_with_their_reason_and_cannot_be_chosen() {
    let sc = mini();
    let mut s = play(&sc, 7, Mode::Practice, &[1, 2]);
    assert_eq!(node_id(&s), "besluit");
    let offers = s.offers();
    assert_eq!(offers.len(), 3);
    assert!(!offers[0].available);
    assert_eq!(offers[0].locked_reason.as_deref(), Some("Overleg eerst."));
    let before = s.save();
    assert_eq!(
        s.choose(0, 5000),
        Err(PlayError::Locked("Overleg eerst.".into()))
    );
    assert_eq!(s.choose(7, 5000).unwrap_err(), PlayError::NoSuchChoice(8));
    assert_eq!(s.save(), before, "errors leave the session unchanged");
}

#[test]
fn time_limits_apply_the_timeout_choice() {
    let sc = mini();
    let mut s = play(&sc, 7, Mode::Practice, &[1]);
    assert_eq!(node_id(&s), "overleg");
    assert_eq!(s.time_limit_ms(), Some(30_000));
    let t0 = s.entered_at_ms();
    assert_eq!(s.time_out(t0 + 29_999).unwrap_err(), PlayError::NotTimedOut);
    // A choice that arrives too late becomes the time-out choice.
    let fb = s.choose(0, t0 + 30_001).unwrap();
    assert!(fb.timed_out);
    assert_eq!(sc.choices[fb.choice as usize].id, "c_too_late");
    assert!(matches!(
        s.log().last(),
        Some(LogEntry::Decision {
            timed_out: true,
            took_ms: 30_001,
            ..
        })
    ));
    let mut s2 = play(&sc, 7, Mode::Practice, &[1]);
    let t0 = s2.entered_at_ms();
    let fb = s2.time_out(t0 + 30_000).unwrap();
    assert_eq!(sc.choices[fb.choice as usize].id, "c_too_late");
    assert_eq!(s2.time_out(0).unwrap_err(), PlayError::NoTimeLimit);
}

#[test]
fn practice_allows_one_recorded_step_back_exam_none() {
    let sc = mini();
    let mut s = play(&sc, 7, Mode::Practice, &[1, 2]);
    assert!(s.can_step_back());
    s.step_back(9000).unwrap();
    assert_eq!(node_id(&s), "overleg");
    assert_eq!(s.step_back(9500).unwrap_err(), PlayError::CannotStepBack);
    assert!(
        matches!(s.log().last(), Some(LogEntry::StepBack { undone, .. }) if undone == "c_wait")
    );
    let fb = s.choose(0, 10_000).unwrap();
    assert_eq!(sc.choices[fb.choice as usize].id, "c_consult");
    assert_eq!(s.path().len(), 2, "the undone decision does not count");
    let s = s;
    let mut s = s;
    s.choose(0, 11_000).unwrap();
    assert!(s.score().passed);

    let mut e = play(&sc, 7, Mode::Exam, &[1]);
    assert_eq!(e.step_back(2000).unwrap_err(), PlayError::CannotStepBack);
}

#[test]
fn feedback_names_points_expert_moods_and_facts() {
    let sc = mini();
    let mut s = Session::new(Arc::clone(&sc), 7, Mode::Practice).unwrap();
    assert_eq!(s.case_file()[0].text, "Blauwe plek op de arm.");
    assert_eq!(s.time_label(), Some("week 1, maandag"));
    assert_eq!(s.state().moods[0], -1, "Mila's line lowered her mood");
    let fb = s.choose(1, 1000).unwrap();
    assert_eq!(fb.points, vec![-1, 0, 0]);
    assert_eq!(sc.choices[fb.expert.unwrap() as usize].id, "c_ask");
    assert!(!fb.finished);
}

#[test]
fn the_same_seed_and_inputs_replay_the_same_run() {
    let sc = mini();
    let a = play(&sc, 12345, Mode::Practice, &[1, 1, 1]);
    let b = play(&sc, 12345, Mode::Practice, &[1, 1, 1]);
    assert_eq!(a.log(), b.log());
    assert_eq!(a.save(), b.save());
}

#[test]
fn draws_are_portable_and_weighted() {
    let sc = mini();
    let branch = |seed| {
        let s = play(&sc, seed, Mode::Exam, &[1]);
        match &s.log()[1] {
            LogEntry::Draw { branch, .. } => *branch,
            other => panic!("{other:?}"),
        }
    };
    // The branches drawn for seeds 0..24 are fixed forever: records replay on them.
    let first: String = (0..24)
        .map(|s| char::from(b'0' + branch(s) as u8))
        .collect();
    assert_eq!(
        first, GOLDEN_BRANCHES,
        "the seeded generator changed: old records would not replay"
    );
    let n = 4000;
    let home = (0..n).filter(|&s| branch(s) == 0).count();
    let share = home as f64 / n as f64;
    assert!(
        (share - 0.75).abs() < 0.03,
        "weights 3:1 give about 75%, got {share}"
    );
}

const GOLDEN_BRANCHES: &str = "000101000010000000000100";

#[test]
fn a_saved_session_continues_identically() {
    let sc = mini();
    for seed in 0..8 {
        let mut original = play(&sc, seed, Mode::Practice, &[1]);
        let json = serde_json::to_string(&original.save()).unwrap();
        let saved: SavedSession = serde_json::from_str(&json).unwrap();
        let mut restored = Session::restore(Arc::clone(&sc), saved).unwrap();
        for s in [&mut original, &mut restored] {
            s.choose(1, 3000).unwrap();
            s.step_back(3500).unwrap();
            s.choose(0, 4000).unwrap();
            s.choose(0, 5000).unwrap();
        }
        assert_eq!(original.save(), restored.save());
        assert_eq!(original.score(), restored.score());
    }
}

#[test]
fn restore_rejects_other_or_changed_scenarios_and_damage() {
    let sc = mini();
    let saved = play(&sc, 1, Mode::Exam, &[1]).save();
    let mut other = (*sc).clone();
    other.content_hash = "0".repeat(64);
    assert_eq!(
        Session::restore(Arc::new(other), saved.clone()).unwrap_err(),
        RestoreError::Changed("mini".into())
    );
    let mut wrong = saved.clone();
    wrong.format = 99;
    assert_eq!(
        Session::restore(Arc::clone(&sc), wrong).unwrap_err(),
        RestoreError::Format(99)
    );
    let mut json: serde_json::Value = serde_json::to_value(&saved).unwrap();
    json["run"]["state"]["node"] = 999.into();
    let damaged: SavedSession = serde_json::from_value(json).unwrap();
    assert!(matches!(
        Session::restore(Arc::clone(&sc), damaged),
        Err(RestoreError::Damaged(_))
    ));
}
