//! Scoring against expertise goals, pass rules and the structured debrief.
//!
//! Per goal the raw total (choice points plus penalties of violated rules) is scaled to 0–1
//! against the lowest and highest total any run of the scenario can reach, which the analysis
//! computes from the scenario itself. Overall is the weighted mean; a run passes when overall and
//! every per-goal threshold are met, no critical rule is broken and it reached an ending.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::play::session::Made;
use crate::play::state::State;
use crate::scenario::def::Outcome;
use crate::scenario::model::{ChoiceIdx, NodeIdx, NodeKind, Scenario};

/// Tolerance for comparing scores with thresholds.
const EPS: f64 = 1e-9;

/// The score of one goal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoalScore {
    pub id: String,
    pub raw: i64,
    pub min: i64,
    pub max: i64,
    pub scaled: f64,
    pub weight: f64,
    pub threshold: Option<f64>,
    pub met: bool,
}

/// Whether a path rule was kept.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleResult {
    pub id: String,
    pub critical: bool,
    pub violated: bool,
    pub message: String,
}

/// The score of a run, with the reasons it passed or failed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreReport {
    pub goals: Vec<GoalScore>,
    pub overall: f64,
    pub pass_overall: f64,
    pub passed: bool,
    pub reasons: Vec<String>,
    pub rules: Vec<RuleResult>,
    pub ending: Option<EndingView>,
    /// False when the ranges come from an analysis that was cut short.
    pub ranges_exact: bool,
}

/// The ending a run reached.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EndingView {
    pub id: String,
    pub outcome: Outcome,
    pub title: String,
    pub debrief: String,
}

/// The numbers behind a score, without the words: what simulations need by the million.
#[derive(Debug, Clone, PartialEq)]
pub struct Numbers {
    /// Raw totals per goal, penalties included.
    pub raw: Vec<i64>,
    pub scaled: Vec<f64>,
    pub overall: f64,
    /// Per rule: violated.
    pub violated: Vec<bool>,
    pub passed: bool,
}

/// Scales a raw total against a goal's range.
pub fn scale(raw: i64, range: crate::scenario::model::GoalRange) -> f64 {
    if range.max > range.min {
        ((raw - range.min) as f64 / (range.max - range.min) as f64).clamp(0.0, 1.0)
    } else {
        1.0
    }
}

/// Computes raw, scaled and overall scores and whether the run passes.
pub fn numbers(sc: &Scenario, state: &State, points: &[i64]) -> Numbers {
    let mut raw = points.to_vec();
    let violated: Vec<bool> = (0..sc.rules.len()).map(|i| state.violates(sc, i)).collect();
    for (r, _) in sc.rules.iter().zip(&violated).filter(|(_, v)| **v) {
        for (t, p) in raw.iter_mut().zip(&r.penalty) {
            *t += p;
        }
    }
    let scaled: Vec<f64> = raw
        .iter()
        .zip(&sc.ranges)
        .map(|(&r, &range)| scale(r, range))
        .collect();
    let total_weight: f64 = sc.goals.iter().map(|g| g.weight).sum();
    let overall = if total_weight > 0.0 {
        sc.goals
            .iter()
            .zip(&scaled)
            .map(|(g, s)| g.weight * s)
            .sum::<f64>()
            / total_weight
    } else {
        0.0
    };
    let at_ending = matches!(sc.nodes[state.node as usize].kind, NodeKind::Ending(_));
    let thresholds_met = sc
        .goals
        .iter()
        .zip(&scaled)
        .all(|(g, s)| g.threshold.is_none_or(|t| s + EPS >= t));
    let critical = sc
        .rules
        .iter()
        .zip(&violated)
        .any(|(r, v)| r.critical && *v);
    let passed = at_ending && overall + EPS >= sc.pass_overall && thresholds_met && !critical;
    Numbers {
        raw,
        scaled,
        overall,
        violated,
        passed,
    }
}

/// Scores a run from its state and raw choice points.
pub fn score(sc: &Scenario, state: &State, points: &[i64]) -> ScoreReport {
    let n = numbers(sc, state, points);
    let rules: Vec<RuleResult> = sc
        .rules
        .iter()
        .zip(&n.violated)
        .map(|(r, &violated)| RuleResult {
            id: r.id.clone(),
            critical: r.critical,
            violated,
            message: r.message.clone(),
        })
        .collect();
    let goals: Vec<GoalScore> = sc
        .goals
        .iter()
        .enumerate()
        .map(|(i, g)| GoalScore {
            id: g.id.clone(),
            raw: n.raw[i],
            min: sc.ranges[i].min,
            max: sc.ranges[i].max,
            scaled: n.scaled[i],
            weight: g.weight,
            threshold: g.threshold,
            met: g.threshold.is_none_or(|t| n.scaled[i] + EPS >= t),
        })
        .collect();
    let overall = n.overall;
    let ending = match &sc.nodes[state.node as usize].kind {
        NodeKind::Ending(e) => Some(EndingView {
            id: sc.nodes[state.node as usize].id.clone(),
            outcome: e.outcome,
            title: e.title.clone(),
            debrief: e.debrief.clone(),
        }),
        _ => None,
    };
    let mut reasons = Vec::new();
    let mut passed = true;
    if ending.is_none() {
        passed = false;
        reasons.push("the case was not finished".to_string());
    }
    if overall + EPS >= sc.pass_overall {
        reasons.push(format!(
            "overall score {overall:.2} meets the pass mark {:.2}",
            sc.pass_overall
        ));
    } else {
        passed = false;
        reasons.push(format!(
            "overall score {overall:.2} is below the pass mark {:.2}",
            sc.pass_overall
        ));
    }
    for g in &goals {
        if let Some(t) = g.threshold {
            if g.met {
                reasons.push(format!(
                    "goal `{}` {:.2} meets its threshold {t:.2}",
                    g.id, g.scaled
                ));
            } else {
                passed = false;
                reasons.push(format!(
                    "goal `{}` {:.2} is below its threshold {t:.2}",
                    g.id, g.scaled
                ));
            }
        }
    }
    for r in rules.iter().filter(|r| r.critical && r.violated) {
        passed = false;
        reasons.push(format!("critical error: {}", r.message));
    }
    debug_assert_eq!(passed, n.passed, "the reasons and the numbers agree");
    ScoreReport {
        goals,
        overall,
        pass_overall: sc.pass_overall,
        passed,
        reasons,
        rules,
        ending,
        ranges_exact: sc.ranges_exact,
    }
}

/// Points per goal as text, e.g. "+2 signal, -1 consult"; `none` when all are zero.
pub fn points_text(sc: &Scenario, points: &[i64], none: &str) -> String {
    let parts: Vec<String> = sc
        .goals
        .iter()
        .zip(points)
        .filter(|(_, p)| **p != 0)
        .map(|(g, p)| format!("{p:+} {}", g.id))
        .collect();
    if parts.is_empty() {
        none.to_string()
    } else {
        parts.join(", ")
    }
}

/// Weighted points of a choice: the sum over goals of weight × points.
pub fn weighted_points(sc: &Scenario, c: ChoiceIdx) -> f64 {
    sc.goals
        .iter()
        .zip(&sc.choices[c as usize].points)
        .map(|(g, &p)| g.weight * p as f64)
        .sum()
}

/// The choice an expert makes at `node` in `state`: the available choice marked `expert`, else
/// the available choice with the most weighted points (the first of equals).
pub fn expert_choice(sc: &Scenario, state: &State, node: NodeIdx) -> Option<ChoiceIdx> {
    let available: Vec<ChoiceIdx> = sc
        .offered(node)
        .iter()
        .copied()
        .filter(|&c| state.available(sc, c))
        .collect();
    if let Some(&c) = available.iter().find(|&&c| sc.choices[c as usize].expert) {
        return Some(c);
    }
    let mut best: Option<(ChoiceIdx, f64)> = None;
    for c in available {
        let w = weighted_points(sc, c);
        if best.is_none_or(|(_, b)| w > b) {
            best = Some((c, w));
        }
    }
    best.map(|(c, _)| c)
}

/// The expert's advice at `node` in `state`: the choice marked `expert` even when earlier
/// decisions locked it (the flag says whether it was open), else the best available choice.
pub fn expert_advice(sc: &Scenario, state: &State, node: NodeIdx) -> Option<(ChoiceIdx, bool)> {
    match sc
        .offered(node)
        .iter()
        .find(|&&c| sc.choices[c as usize].expert)
    {
        Some(&c) => Some((c, state.available(sc, c))),
        None => expert_choice(sc, state, node).map(|c| (c, true)),
    }
}

/// A choice as shown in the debrief.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChoiceView {
    pub id: String,
    pub text: String,
    pub points: BTreeMap<String, i64>,
    pub rationale: String,
    pub source: String,
}

impl ChoiceView {
    pub fn of(sc: &Scenario, c: ChoiceIdx) -> ChoiceView {
        let ch = &sc.choices[c as usize];
        ChoiceView {
            id: ch.id.clone(),
            text: ch.text.clone(),
            points: sc
                .goals
                .iter()
                .zip(&ch.points)
                .filter(|(_, p)| **p != 0)
                .map(|(g, p)| (g.id.clone(), *p))
                .collect(),
            rationale: ch.rationale.clone(),
            source: ch.source.clone(),
        }
    }
}

/// One decision in the debrief timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DebriefDecision {
    pub node: String,
    pub time: Option<String>,
    pub made: ChoiceView,
    pub timed_out: bool,
    pub took_ms: u64,
    /// The expert's choice, where it differs from the one made.
    pub expert: Option<ChoiceView>,
    /// Why the expert's choice was not open to the trainee here (locked by earlier decisions).
    pub expert_locked: Option<String>,
}

/// The structured debrief of a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Debrief {
    pub score: ScoreReport,
    pub decisions: Vec<DebriefDecision>,
    /// Messages of must-do rules (must-visit, within) that were not kept.
    pub missed: Vec<String>,
    /// Messages of must-avoid rules that were broken.
    pub avoided_not: Vec<String>,
    pub reflection: Vec<String>,
}

/// Builds the debrief of a run from its final state, points and decisions.
pub fn debrief(sc: &Scenario, state: &State, points: &[i64], path: &[Made]) -> Debrief {
    let score = score(sc, state, points);
    let decisions = path
        .iter()
        .map(|m| DebriefDecision {
            node: sc.nodes[m.node as usize].id.clone(),
            time: m.time.clone(),
            made: ChoiceView::of(sc, m.choice),
            timed_out: m.timed_out,
            took_ms: m.took_ms,
            expert: m
                .expert
                .filter(|&e| e != m.choice)
                .map(|e| ChoiceView::of(sc, e)),
            expert_locked: m
                .expert
                .filter(|&e| e != m.choice && !m.expert_open)
                .map(|e| {
                    sc.choices[e as usize]
                        .locked_reason
                        .clone()
                        .unwrap_or_else(|| "locked by earlier decisions".into())
                }),
        })
        .collect();
    let mut missed = Vec::new();
    let mut avoided_not = Vec::new();
    for (r, res) in sc.rules.iter().zip(&score.rules) {
        if res.violated {
            match r.kind {
                crate::scenario::model::RuleKind::MustAvoid(_) => {
                    avoided_not.push(r.message.clone())
                }
                _ => missed.push(r.message.clone()),
            }
        }
    }
    Debrief {
        score,
        decisions,
        missed,
        avoided_not,
        reflection: sc.reflection.clone(),
    }
}
