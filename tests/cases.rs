//! One test per shipped case: the expert's path and a typical critical mistake, with the outcome
//! and scores each must give.

use std::path::PathBuf;
use std::sync::Arc;

use casus::play::{Mode, Session};
use casus::scenario::model::RuleKind;
use casus::scenario::{Scenario, load_paths};
use casus::score::{Reason, expert_choice};

fn case(id: &str) -> Arc<Scenario> {
    let lib = load_paths(&[PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios")]);
    let sc = lib
        .find(id)
        .unwrap_or_else(|| panic!("{id} is shipped and checks clean"));
    assert_eq!(
        lib.languages(id),
        ["nl", "en"],
        "{id} has an English translation"
    );
    Arc::clone(sc)
}

/// Plays the expert's choices, except `mistake` wherever it is open.
fn play(sc: &Arc<Scenario>, seed: u64, mistake: Option<&str>) -> (Session, bool) {
    let mut s = Session::new(Arc::clone(sc), seed, Mode::Exam).unwrap();
    let wrong = mistake.map(|m| sc.choice_by_id(m).expect("the mistake is a choice"));
    let mut made = false;
    while !s.is_finished() {
        let offered = sc.offered(s.node());
        let pick = match wrong {
            Some(w) if !made && offered.contains(&w) && s.state().available(sc, w) => {
                made = true;
                w
            }
            _ => expert_choice(sc, s.state(), s.node()).unwrap(),
        };
        let pos = offered.iter().position(|&c| c == pick).unwrap();
        let at = s.entered_at_ms() + 2000;
        s.choose(pos, at).unwrap();
    }
    (s, made)
}

fn check_case(id: &str, mistake: &str) {
    let sc = case(id);
    for seed in 0..6 {
        let (expert, _) = play(&sc, seed, None);
        let score = expert.score();
        assert!(score.passed, "{id} seed {seed}: {:?}", score.reasons);
        assert_eq!(
            score.ending.as_ref().unwrap().outcome.as_str(),
            "safe",
            "{id}"
        );
        for g in &score.goals {
            assert_eq!(
                g.scaled, 1.0,
                "{id} seed {seed}: the expert's path maximises `{}`",
                g.id
            );
        }
        let (wrong, made) = play(&sc, seed, Some(mistake));
        assert!(
            made,
            "{id} seed {seed}: the mistake `{mistake}` was never open on the expert's path"
        );
        let ws = wrong.score();
        assert!(!ws.passed, "{id} seed {seed}: `{mistake}` still passes");
        assert!(ws.overall < score.overall, "{id}");
        let rule = sc
            .rules
            .iter()
            .find(|r| {
                r.critical && matches!(r.kind, RuleKind::MustAvoid(s) if sc.slot_id(s) == mistake)
            })
            .expect("the mistake is a critical must-avoid");
        assert!(
            ws.reasons
                .iter()
                .any(|r| matches!(r, Reason::Critical { message, .. } if message == &rule.message)),
            "{id}: {:?}",
            ws.reasons
        );
        let d = wrong.debrief();
        assert!(d.avoided_not.contains(&rule.message));
        let at_mistake = d.decisions.iter().find(|x| x.made.id == mistake).unwrap();
        let expert_alt = at_mistake
            .expert
            .as_ref()
            .expect("the debrief shows the expert's choice there");
        assert!(sc.choices[sc.choice_by_id(&expert_alt.id).unwrap() as usize].expert);
        assert!(!expert_alt.rationale.is_empty() && !expert_alt.source.is_empty());
    }
}

#[test]
fn maandag_blauwe_plekken_confronting_the_suspected_abuser_fails() {
    check_case("maandag-blauwe-plekken", "c_confronteer_melissa");
}

#[test]
fn kiezen_mag_niet_instructing_the_child_for_the_hearing_fails() {
    check_case("kiezen-mag-niet", "c_kindgesprek_instrueren");
}

#[test]
fn stil_huis_closing_while_things_are_quiet_fails() {
    check_case("stil-huis", "c_afsluiten_rust");
}

#[test]
fn crisis_in_de_nacht_sharing_the_address_fails() {
    check_case("crisis-in-de-nacht", "c_adres_delen");
}

#[test]
fn het_plan_lekt_confronting_the_father_with_the_childs_words_fails() {
    check_case("het-plan-lekt", "c_confronteren_jesse");
}

#[test]
fn de_overdracht_confronting_the_violent_parent_first_fails() {
    check_case("de-overdracht", "c_confronteer_dennis");
}
