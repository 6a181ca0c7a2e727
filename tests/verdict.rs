//! The verdict: pass rules, conditional ending texts and the analysis that judges every run —
//! on small scenarios with known answers and on every shipped case.

use std::path::PathBuf;
use std::sync::Arc;

use casus::analysis::{Limits, analyse};
use casus::i18n::Tr;
use casus::play::{Mode, Session};
use casus::scenario::def::Outcome;
use casus::scenario::{Scenario, load_paths};
use casus::score::Reason;

mod common;
use common::{load_clean, load_with_errors, mini};

/// A case with one decision: `c_goed` (Safe), `c_half` (Partial) or `c_fout` (Unsafe, but with
/// the most points of all), then a second decision that a must-do asks for.
fn three_ways(pass: &str) -> Arc<Scenario> {
    three_ways_with(pass, RULE)
}

const RULE: &str =
    r#"(id: "overleg", kind: MustVisit("c_overleg"), message: "Je hebt niet overlegd.")"#;

fn three_ways_with(pass: &str, rules: &str) -> Arc<Scenario> {
    let src = format!(
        r#"(id: "drie", version: "1", title: "Drie", language: "nl", kind: Safety, summary: "D.", study_minutes: 5,
            goals: {{"signal": 1.0, "decide": 1.0}}, pass: {pass},
            start: "a",
            nodes: [
              (id: "a", choices: [
                (id: "c_goed", text: "goed", points: {{"signal": 2, "decide": 2}}, rationale: "r", source: "s", expert: true, next: "b"),
                (id: "c_half", text: "half", points: {{"signal": 2, "decide": 1}}, rationale: "r", source: "s", next: "half"),
                (id: "c_fout", text: "fout", points: {{"signal": 3, "decide": 3}}, rationale: "r", source: "s", next: "fout")]),
              (id: "b", choices: [
                (id: "c_overleg", text: "overleg", points: {{"signal": 1}}, rationale: "r", source: "s", expert: true, next: "goed"),
                (id: "c_niet", text: "niet", rationale: "r", source: "s", next: "goed")]),
              (id: "goed", ending: (outcome: Safe, title: "G", debrief: "Het kind is veilig.",
                 parts: [(when: "visited(c_overleg)", text: "Je overlegde op tijd."),
                         (when: "!visited(c_overleg)", text: "Je overlegde niet.")])),
              (id: "half", ending: (outcome: Partial, title: "H", debrief: "Half.")),
              (id: "fout", ending: (outcome: Unsafe, title: "F", debrief: "Fout."))],
            rules: [{rules}])"#
    );
    load_clean("drie.ron", src)
}

fn run(sc: &Arc<Scenario>, choices: &[usize]) -> Session {
    let mut s = Session::new(Arc::clone(sc), 1, Mode::Exam).unwrap();
    for &c in choices {
        let at = s.entered_at_ms() + 1000;
        s.choose(c - 1, at).unwrap();
    }
    assert!(s.is_finished());
    s
}

#[test]
fn an_unsafe_ending_never_passes_even_with_the_most_points() {
    let sc = three_ways("(overall: 0.0, floor: 0.0)");
    let score = run(&sc, &[3]).score();
    assert!(
        score.goals.iter().all(|g| g.scaled == 1.0),
        "{:?}",
        score.goals
    );
    assert!(!score.passed);
    assert_eq!(
        score.reasons[0],
        Reason::Outcome {
            outcome: Outcome::Unsafe,
            met: false
        }
    );
    // The analysis sees the same over every run.
    let r = analyse(&sc, Limits::default());
    let fout = r.verdict.endings.iter().find(|e| e.id == "fout").unwrap();
    assert_eq!((fout.runs, fout.passing_runs), (1, 0));
    assert!(r.verdict.sound());
}

#[test]
fn partial_passes_only_where_the_case_accepts_it() {
    // Without the must-do, which the partial route never meets.
    let strict = three_ways_with("(overall: 0.0, floor: 0.0)", "");
    let lenient = three_ways_with("(overall: 0.0, floor: 0.0, accept_partial: true)", "");
    assert!(!run(&strict, &[2]).score().passed);
    assert!(run(&lenient, &[2]).score().passed);
    for (sc, passing) in [(&strict, 0), (&lenient, 1)] {
        let r = analyse(sc, Limits::default());
        let half = r.verdict.endings.iter().find(|e| e.id == "half").unwrap();
        assert_eq!(half.passing_runs, passing);
        assert!(r.verdict.sound(), "{:?}", r.verdict);
    }
}

#[test]
fn a_missed_must_do_fails_and_the_ending_says_what_this_run_did() {
    let sc = three_ways("(overall: 0.0, floor: 0.0)");
    let good = run(&sc, &[1, 1]);
    assert!(good.score().passed);
    let text = &good.score().ending.unwrap().debrief;
    assert_eq!(text, "Het kind is veilig.\n\nJe overlegde op tijd.");

    let missed = run(&sc, &[1, 2]);
    let score = missed.score();
    assert!(!score.passed);
    let text = &score.ending.as_ref().unwrap().debrief;
    assert!(
        !text.contains("op tijd"),
        "never credits what was not done: {text}"
    );
    assert!(text.ends_with("Je overlegde niet."), "{text}");
    let failed: Vec<&Reason> = score.reasons.iter().filter(|r| !r.met()).collect();
    assert_eq!(failed.len(), 1, "{failed:?}");
    // The reason in both interface languages.
    let name = |id: &str| id.to_string();
    assert_eq!(
        failed[0].text(&Tr::new("nl"), &name),
        "Verplichte stap gemist: Je hebt niet overlegd."
    );
    assert_eq!(
        failed[0].text(&Tr::new("en"), &name),
        "Must-do missed: Je hebt niet overlegd."
    );
    let r = analyse(&sc, Limits::default());
    let goed = r.verdict.endings.iter().find(|e| e.id == "goed").unwrap();
    assert_eq!((goed.runs, goed.passing_runs), (2, 1));
}

#[test]
fn every_goal_has_a_floor_by_default() {
    // signal: 1 of 3 earned (33 %) is below the default floor of 50 %.
    let sc = three_ways("(overall: 0.0)");
    assert!(sc.goals.iter().all(|g| g.threshold == 0.5));
    let score = run(&sc, &[1, 1]).score();
    assert!(score.passed, "signal 3/4, decide 2/3: {:?}", score.goals);
    let sc = three_ways("(overall: 0.0, goals: {\"decide\": 0.7})");
    let score = run(&sc, &[1, 1]).score();
    assert!(!score.passed);
    assert!(score.reasons.iter().any(|r| matches!(r,
        Reason::Goal { goal, met: false, floor, .. } if goal == "decide" && *floor == 0.7)));
    let text = score.reasons[0].text(&Tr::new("nl"), &|id| id.to_string());
    assert_eq!(text, "decide: 66%, onder de ondergrens van 70%.");
}

#[test]
fn an_ending_part_with_a_bad_condition_is_reported_where_it_is() {
    let text = r#"(id: "x", version: "1", title: "X", language: "nl", kind: Safety, summary: "X.", study_minutes: 5,
        goals: {"signal": 1.0}, pass: (overall: 0.5), start: "a",
        nodes: [(id: "a", choices: [(id: "c_a", text: "a", points: {"signal": 1}, rationale: "r", source: "s", next: "e")]),
                (id: "e", ending: (outcome: Safe, title: "E", debrief: "E.",
                   parts: [(when: "visited(c_b)", text: "B.")]))])"#;
    let (_, errors) = load_with_errors("x.ron", text.to_string());
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("c_b"), "{}", errors[0]);
    assert!(
        errors[0].contains("x.ron:5:"),
        "located on its line: {}",
        errors[0]
    );
}

#[test]
fn the_analysis_counts_every_run_of_the_small_case_exactly() {
    let sc = mini();
    let r = analyse(&sc, Limits::default());
    let v = &r.verdict;
    assert!(v.all_runs && v.exhaustive && v.sound());
    // 2 first choices × 2 draws × (3 ways at `overleg` × 2–3 at `besluit`): 14 + 12 runs.
    assert_eq!(v.runs, 26);
    let per: Vec<(&str, u64, u64)> = v
        .endings
        .iter()
        .map(|e| (e.id.as_str(), e.runs, e.passing_runs))
        .collect();
    assert_eq!(
        per,
        [("veilig", 2, 2), ("half", 12, 0), ("onveilig", 12, 0)]
    );
    assert_eq!(v.passing_runs, 2);
    let w = v.weakest_pass.as_ref().unwrap();
    assert_eq!(w.ending, "veilig");
    assert_eq!(w.overall, 1.0);
    assert_eq!(w.steps[0], "c_ask");
    // The expert's line against both draws: Safe, full credit, passed.
    assert_eq!(r.expert_runs.len(), 2);
    assert!(r.expert_runs.iter().all(|e| e.passed
        && e.outcome == Outcome::Safe
        && e.goals.iter().all(|g| g.scaled == 1.0)));
}

/// Point 2 and 4 of the verdict over every run of every shipped case: no passing run ends in an
/// outcome the case does not accept, misses a must-do or breaks a critical rule; some run
/// passes, the weakest of them is a real pass, and the expert's line passes with full credit
/// whatever the draws.
#[test]
fn every_run_of_every_shipped_case_gets_a_verdict_that_can_be_signed() {
    let lib = load_paths(&[PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios")]);
    let ids: Vec<String> = lib.playable().map(|s| s.id.clone()).collect();
    assert_eq!(ids.len(), 7, "{ids:?}");
    for id in ids {
        let sc = lib.find(&id).unwrap();
        let r = analyse(sc, Limits::default());
        let v = &r.verdict;
        assert!(v.all_runs && v.exhaustive, "{id}: every run judged");
        assert!(v.sound(), "{id}: {v:?}");
        assert_eq!(
            (
                v.passing_unsafe,
                v.passing_not_accepted,
                v.passing_missed_must_do,
                v.passing_critical
            ),
            (0, 0, 0, 0),
            "{id}"
        );
        for e in &v.endings {
            if !sc.accepts(e.outcome) {
                assert_eq!(e.passing_runs, 0, "{id}: {}", e.id);
            }
        }
        let w = v.weakest_pass.as_ref().expect("some run passes");
        assert!(w.passed && sc.accepts(w.outcome), "{id}");
        assert!(w.overall + 1e-9 >= sc.pass_overall, "{id}");
        for g in &w.goals {
            let floor = sc.goals.iter().find(|x| x.id == g.id).unwrap().threshold;
            assert!(g.scaled + 1e-9 >= floor, "{id}: {} {}", g.id, g.scaled);
        }
        assert!(!r.expert_runs.is_empty(), "{id}");
        for e in &r.expert_runs {
            assert!(e.passed && e.outcome == Outcome::Safe, "{id}: {e:?}");
            assert!(
                e.goals.iter().all(|g| g.scaled == 1.0),
                "{id}: the expert's line earns everything: {e:?}"
            );
        }
    }
}

/// Plays the expert's line (the best open choice where the expert's is locked), except that
/// each of `instead` is taken the first time it is open.
fn expert_except(sc: &Arc<Scenario>, seed: u64, mode: Mode, instead: &[&str]) -> Session {
    let mut s = Session::new(Arc::clone(sc), seed, mode).unwrap();
    let mut todo: Vec<u32> = instead
        .iter()
        .map(|id| {
            sc.choice_by_id(id)
                .unwrap_or_else(|| panic!("{id} is a choice"))
        })
        .collect();
    while !s.is_finished() {
        let offered = sc.offered(s.node());
        let pick = match todo
            .iter()
            .position(|&c| offered.contains(&c) && s.state().available(sc, c))
        {
            Some(k) => todo.remove(k),
            None => casus::score::expert_choice(sc, s.state(), s.node()).unwrap(),
        };
        let pos = offered.iter().position(|&c| c == pick).unwrap();
        let at = s.entered_at_ms() + 2000;
        s.choose(pos, at).unwrap();
    }
    assert!(todo.is_empty(), "every replacement was made");
    s
}

fn shipped(id: &str) -> Arc<Scenario> {
    let lib = load_paths(&[PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios")]);
    Arc::clone(lib.find(id).unwrap())
}

fn failed(score: &casus::score::ScoreReport) -> Vec<String> {
    let tr = Tr::new("nl");
    score
        .reasons
        .iter()
        .filter(|r| !r.met())
        .map(|r| r.text(&tr, &|id| id.to_string()))
        .collect()
}

/// The exam run of the review: both parents not screened for violence. It used to pass with
/// an ending that praised the screening while the debrief listed it as missed.
#[test]
fn kiezen_mag_niet_without_screening_both_parents_fails_and_the_ending_says_so() {
    let sc = shipped("kiezen-mag-niet");
    let s = expert_except(&sc, 1, Mode::Exam, &["c_screening_alleen_moeder"]);
    let score = s.score();
    let why = failed(&score);
    assert!(!score.passed, "{why:?}");
    assert!(
        why.iter()
            .any(|r| r.contains("niet allebei apart op geweld gescreend")),
        "{why:?}"
    );
    // The ending never credits the screening that was not done, and says what it means.
    let ending = score.ending.unwrap();
    assert!(
        !ending.debrief.contains("Je screende beide ouders"),
        "{}",
        ending.debrief
    );
    assert!(
        ending.debrief.contains(
            "Je hebt de ouders niet allebei apart op geweld gescreend. Dat het goed afliep"
        ),
        "{}",
        ending.debrief
    );
    // The expert's run reaches the same ending with the opposite paragraph.
    let expert = expert_except(&sc, 1, Mode::Exam, &[]).score();
    let text = expert.ending.unwrap().debrief;
    assert!(
        text.contains("Je screende beide ouders apart op geweld"),
        "{text}"
    );
    assert!(!text.contains("niet allebei"), "{text}");
}

/// The terminal run of the review: a late report and a heavier measure than needed. It used to
/// pass with 61 %.
#[test]
fn maandag_blauwe_plekken_a_late_report_and_a_heavy_measure_fails_with_its_reasons() {
    let sc = shipped("maandag-blauwe-plekken");
    let s = expert_except(
        &sc,
        1,
        Mode::Practice,
        &["c_meer_signalen", "c_raad_voor_zekerheid"],
    );
    let score = s.score();
    let ending = score.ending.clone().unwrap();
    assert_eq!(
        (ending.id.as_str(), ending.outcome),
        ("einde_zwaar", Outcome::Unsafe)
    );
    assert!(!score.passed);
    let why = failed(&score);
    assert_eq!(why[0], "De afloop is onveilig: daarmee slaag je nooit.");
    assert!(
        why.iter()
            .any(|r| r.starts_with("Verplichte stap gemist: De melding kwam te laat.")),
        "{why:?}"
    );
    // In English the same grounds, in English words.
    let en = score.reasons[0].text(&Tr::new("en"), &|id| id.to_string());
    assert_eq!(en, "The outcome is unsafe: that never passes.");
}

/// The practice run of the review: the case handled safely, but recorded with conclusions
/// instead of facts. It used to pass with 10 % on `record`.
#[test]
fn maandag_blauwe_plekken_a_safe_ending_with_poor_records_fails_on_the_floor() {
    let sc = shipped("maandag-blauwe-plekken");
    let s = expert_except(
        &sc,
        1,
        Mode::Practice,
        &["c_conclusie_noteren", "c_melding_oordeel"],
    );
    let score = s.score();
    assert_eq!(score.ending.as_ref().unwrap().outcome, Outcome::Safe);
    let record = score.goals.iter().find(|g| g.id == "record").unwrap();
    assert!(record.scaled < record.threshold, "{record:?}");
    assert!(!score.passed);
    let why = failed(&score);
    assert!(
        why.iter().any(|r| r.starts_with("record: ")
            && r.ends_with(&format!(
                "onder de ondergrens van {}.",
                casus::i18n::percent(record.threshold)
            ))),
        "{why:?}"
    );
}
