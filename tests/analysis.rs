//! The analysis on small scenarios with known answers, and on every shipped scenario.

use std::path::PathBuf;
use std::sync::Arc;

use casus::analysis::drawing::{drawing, to_dot};
use casus::analysis::svg::to_svg;
use casus::analysis::{Limits, Policy, analyse, simulate};
mod common;

use casus::scenario::{Scenario, load_paths};
use common::load_clean;

/// Builds a scenario from its nodes and rules; goals signal and decide, weights 1.
fn build(vars: &str, nodes: &str, rules: &str) -> Arc<Scenario> {
    let src = format!(
        r#"(id: "t", version: "1", title: "T", language: "nl", kind: Safety, summary: "T.", study_minutes: 5,
            goals: {{"signal": 1.0, "decide": 1.0}}, pass: (overall: 0.5, goals: {{"decide": 0.5}}),
            variables: [{vars}], start: "a", nodes: [{nodes}], rules: [{rules}])"#
    );
    load_clean("t.ron", src)
}

const END: &str = r#"(id: "goed", ending: (outcome: Safe, title: "G", debrief: "G.")),
                     (id: "slecht", ending: (outcome: Unsafe, title: "S", debrief: "S."))"#;

#[test]
fn an_ending_behind_an_impossible_condition_is_unreachable_with_the_reason() {
    let sc = build(
        r#"(id: "n", value: Int(0), min: 0, max: 3)"#,
        &format!(
            r#"(id: "a", choices: [
                (id: "c_1", text: "1", effects: ["n += 1"], points: {{"signal": 1, "decide": 1}}, rationale: "r", source: "s", expert: true, next: "b"),
                (id: "c_2", text: "2", points: {{"signal": -1, "decide": -1}}, rationale: "r", source: "s", next: "b")]),
               (id: "b", choices: [
                (id: "c_ok", text: "ok", rationale: "r", source: "s", expert: true, next: "goed"),
                (id: "c_zeven", text: "7", condition: "n == 7", locked_reason: "x", rationale: "r", source: "s", next: "geheim"),
                (id: "c_weg", text: "weg", rationale: "r", source: "s", next: "slecht")]),
               (id: "geheim", ending: (outcome: Partial, title: "X", debrief: "X.")), {END}"#
        ),
        "",
    );
    let r = analyse(&sc, Limits::default());
    assert!(r.exact);
    let reach: Vec<(&str, bool)> = r
        .endings
        .iter()
        .map(|e| (e.id.as_str(), e.reachable))
        .collect();
    assert_eq!(reach, [("geheim", false), ("goed", true), ("slecht", true)]);
    let unreached: Vec<(&str, &str)> = r
        .unreachable
        .iter()
        .map(|u| (u.id.as_str(), u.reason.as_str()))
        .collect();
    assert_eq!(unreached.len(), 2, "{unreached:?}");
    assert_eq!(unreached[0].0, "geheim");
    assert!(
        unreached[0].1.contains("`n == 7` on `c_zeven`"),
        "{unreached:?}"
    );
    assert_eq!(
        unreached[1],
        (
            "c_zeven",
            "its condition `n == 7` never holds when `b` is reached"
        )
    );
    let goed = r.endings.iter().find(|e| e.id == "goed").unwrap();
    assert_eq!(goed.witness, ["c_1", "c_ok"]);
}

#[test]
fn a_maximum_reachable_only_through_a_random_branch_needs_luck() {
    let sc = build(
        "",
        &format!(
            r#"(id: "a", random: [(weight: 1, next: "mee"), (weight: 1, next: "tegen")]),
               (id: "mee", choices: [
                (id: "c_groot", text: "g", points: {{"signal": 3, "decide": 1}}, rationale: "r", source: "s", expert: true, next: "goed"),
                (id: "c_klein", text: "k", points: {{"decide": -1}}, rationale: "r", source: "s", next: "slecht")]),
               (id: "tegen", choices: [
                (id: "c_best", text: "b", points: {{"signal": 1, "decide": 1}}, rationale: "r", source: "s", expert: true, next: "goed"),
                (id: "c_mis", text: "m", points: {{"decide": -1}}, rationale: "r", source: "s", next: "slecht")]), {END}"#
        ),
        "",
    );
    let r = analyse(&sc, Limits::default());
    let signal = &r.goals[0];
    assert_eq!(signal.id, "signal");
    assert_eq!((signal.min, signal.max, signal.guaranteed_max), (0, 3, 1));
    assert!(signal.needs_luck);
    assert_eq!(signal.max_path, ["a→mee", "c_groot"]);
    let decide = &r.goals[1];
    assert_eq!((decide.min, decide.max, decide.guaranteed_max), (-1, 1, 1));
    assert!(!decide.needs_luck);
    assert!(!decide.cannot_fail && !decide.cannot_pass);
}

#[test]
fn dominated_choices_and_dead_rules_are_found() {
    let sc = build(
        "",
        &format!(
            r#"(id: "a", choices: [
                (id: "c_goed", text: "g", points: {{"signal": 2, "decide": 1}}, rationale: "r", source: "s", expert: true, next: "b"),
                (id: "c_minder", text: "m", points: {{"signal": 1, "decide": 1}}, rationale: "r", source: "s", next: "b"),
                (id: "c_anders", text: "a", points: {{"signal": 3, "decide": -1}}, rationale: "r", source: "s", next: "b")]),
               (id: "b", choices: [
                (id: "c_eind", text: "e", points: {{"decide": 1}}, rationale: "r", source: "s", expert: true, next: "goed"),
                (id: "c_fout", text: "f", points: {{"decide": -1}}, rationale: "r", source: "s", next: "slecht")]), {END}"#
        ),
        r#"(id: "nooit", kind: MustAvoid("geheim_pad"), critical: true, message: "m"),
           (id: "altijd", kind: MustVisit("b"), message: "m"),
           (id: "echt", kind: MustAvoid("c_fout"), critical: true, message: "m")"#
            .replace("geheim_pad", "a")
            .as_str(),
    );
    let r = analyse(&sc, Limits::default());
    let dominated: Vec<&str> = r.dominated.iter().map(|d| d.choice.as_str()).collect();
    assert_eq!(dominated, ["c_minder", "c_fout"]);
    // `nooit` forbids the start node, which every run visits: it is always broken, not dead.
    let dead: Vec<(&str, bool)> = r
        .dead_rules
        .iter()
        .map(|d| (d.id.as_str(), d.critical))
        .collect();
    assert_eq!(dead, [("altijd", false)]);
}

#[test]
fn a_loop_bounded_by_visit_counts_is_explored_exactly() {
    let sc = build(
        "",
        &format!(
            r#"(id: "a", choices: [
                (id: "c_vraag", text: "nog een vraag", condition: "visits(c_vraag) < 3", locked_reason: "genoeg", points: {{"signal": 1}}, rationale: "r", source: "s", next: "a"),
                (id: "c_klaar", text: "klaar", points: {{"decide": 1}}, rationale: "r", source: "s", expert: true, next: "goed"),
                (id: "c_fout", text: "fout", points: {{"decide": -1}}, rationale: "r", source: "s", next: "slecht")]), {END}"#
        ),
        "",
    );
    let r = analyse(&sc, Limits::default());
    assert!(r.exact);
    assert_eq!(
        r.states, 12,
        "`a` after 0–3 questions, each with its two endings"
    );
    assert_eq!((r.goals[0].min, r.goals[0].max), (0, 3));
    assert_eq!(
        r.goals[0].max_path,
        ["c_vraag", "c_vraag", "c_vraag", "c_klaar"]
    );
    assert!(r.scoring_loops.is_empty());
}

#[test]
fn a_bound_cuts_exploration_and_says_so() {
    let sc = build(
        r#"(id: "n", value: Int(0))"#,
        &format!(
            r#"(id: "a", choices: [
                (id: "c_tel", text: "tel", effects: ["n += 1"], points: {{"signal": 1}}, rationale: "r", source: "s", next: "a"),
                (id: "c_klaar", text: "klaar", points: {{"decide": 1}}, rationale: "r", source: "s", expert: true, next: "goed"),
                (id: "c_fout", text: "fout", points: {{"decide": -1, "signal": -1}}, rationale: "r", source: "s", next: "slecht")]), {END}"#
        ),
        "",
    );
    let r = analyse(&sc, Limits { max_states: 100 });
    assert!(!r.exact);
    assert_eq!(r.states, 100);
    assert!(
        r.note
            .as_deref()
            .unwrap()
            .contains("stopped at 100 distinct states")
    );
}

fn shipped() -> Vec<Arc<Scenario>> {
    let lib = load_paths(&[PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios")]);
    lib.playable().cloned().collect()
}

#[test]
fn every_shipped_scenario_spans_each_goal_and_reaches_every_ending() {
    for sc in shipped() {
        let r = analyse(&sc, Limits::default());
        assert!(r.exact, "{}", sc.id);
        assert!(
            r.endings.iter().all(|e| e.reachable),
            "{}: {:?}",
            sc.id,
            r.endings
        );
        assert!(r.unreachable.is_empty(), "{}: {:?}", sc.id, r.unreachable);
        assert!(
            r.stuck.is_empty() && r.scoring_loops.is_empty(),
            "{}",
            sc.id
        );
        for g in &r.goals {
            assert!(g.min < g.max, "{} {}: {}..{}", sc.id, g.id, g.min, g.max);
        }
        let d = drawing(&sc);
        let svg = to_svg(&d);
        assert!(
            svg.starts_with("<svg") && svg.ends_with("</svg>\n"),
            "{}",
            sc.id
        );
        assert_eq!(
            svg.matches("<rect x=").count(),
            sc.nodes.len(),
            "{}: a box per node",
            sc.id
        );
        let dot = to_dot(&d);
        assert_eq!(dot.matches(" -> ").count(), d.edges.len(), "{}", sc.id);
    }
}

#[test]
fn the_expert_policy_passes_and_the_worst_fails_every_shipped_scenario() {
    for sc in shipped() {
        let expert = simulate(&sc, Policy::Expert, 200, 7, |_| {});
        assert_eq!(
            expert.passed, 200,
            "{}: expert pass rate {}",
            sc.id, expert.pass_rate
        );
        let worst = simulate(&sc, Policy::Worst, 200, 7, |_| {});
        assert_eq!(
            worst.passed, 0,
            "{}: worst pass rate {}",
            sc.id, worst.pass_rate
        );
        let random = simulate(&sc, Policy::Random, 2000, 7, |_| {});
        assert!(
            random.pass_rate < 0.5,
            "{}: random play passes {:.0}%",
            sc.id,
            100.0 * random.pass_rate
        );
        assert_eq!(random.stuck, 0);
        assert_eq!(random.endings.values().map(|e| e.runs).sum::<u64>(), 2000);
    }
}

#[test]
fn simulation_is_deterministic_for_a_seed() {
    let sc = &shipped()[0];
    let a = simulate(sc, Policy::Mixed(0.5), 500, 42, |_| {});
    let b = simulate(sc, Policy::Mixed(0.5), 500, 42, |_| {});
    let c = simulate(sc, Policy::Mixed(0.5), 500, 43, |_| {});
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&b).unwrap()
    );
    assert_ne!(
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&c).unwrap()
    );
    assert!(a.overall.histogram.iter().sum::<u64>() == 500);
    assert!(!a.impacts.is_empty());
    assert!("mixed:1.5".parse::<Policy>().is_err());
    assert_eq!("mixed:0.25".parse::<Policy>().unwrap(), Policy::Mixed(0.25));
}

#[test]
fn synthetic_scenarios_of_any_size_check_without_errors() {
    for (n, seed) in [(8, 1), (100, 2), (1000, 3)] {
        let src = casus::analysis::synth::scenario(n, seed);
        let sc = load_clean(&format!("synth-{n}.ron"), src);
        assert!(sc.nodes.len() >= n.min(16), "{n}: {}", sc.nodes.len());
        assert!(sc.ranges_exact);
        let sim = simulate(&sc, Policy::Random, 50, seed, |_| {});
        assert_eq!(sim.stuck, 0);
    }
}
