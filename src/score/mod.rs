//! Scoring against expertise goals, pass rules and the structured debrief.
//!
//! **A score is credit earned.** Per goal the raw total (choice points plus the penalties of
//! rules the run broke) is scaled against the most any run of the scenario can earn on that goal
//! (`max`, from the analysis): `scaled = clamp(raw, 0, max) / max`. 0 % is no credit — a net
//! loss also reads 0 %, its points stay visible as `raw` —, 100 % the most there is to earn.
//! Overall is the weighted mean of the scaled scores.
//!
//! **Passing means the case was handled** ([`judge`]): the run reached an ending whose outcome
//! the scenario accepts (`Safe`; `Partial` only with `accept_partial`; `Unsafe` never), kept
//! every must-do (must-visit and within rules), broke no critical rule, reached the floor of
//! every goal it trains and the overall pass mark. Each of these is a [`Reason`] in the report.
//!
//! Records keep the [`SCORING_VERSION`] their scores were made under; version 1 scaled from the
//! worst possible run (0 %) to the best (100 %) and passed on the scores alone.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::play::session::Made;
use crate::play::state::State;
use crate::scenario::def::Outcome;
use crate::scenario::model::{ChoiceIdx, GoalRange, NodeIdx, NodeKind, RuleKind, Scenario};

/// Tolerance for comparing scores with thresholds.
const EPS: f64 = 1e-9;

/// The scoring rules this build applies, kept with every record: 1 scaled from the worst run
/// and passed on scores alone; 2 is credit earned with the pass rules above.
pub const SCORING_VERSION: u32 = 2;

/// The score of one goal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoalScore {
    pub id: String,
    pub raw: i64,
    pub min: i64,
    pub max: i64,
    pub scaled: f64,
    pub weight: f64,
    /// The floor a pass needs on this goal.
    pub threshold: f64,
    pub met: bool,
}

/// Whether a path rule was kept.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleResult {
    pub id: String,
    pub critical: bool,
    /// True for must-visit and within rules: a pass needs them kept.
    pub must_do: bool,
    pub violated: bool,
    pub message: String,
}

/// One ground of a verdict; `met` says whether the run satisfied it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// The run did not reach an ending.
    Unfinished,
    /// The ending's outcome, and whether the scenario accepts it for a pass.
    Outcome { outcome: Outcome, met: bool },
    /// A must-do rule (must-visit or within) that was not kept.
    MustDo { rule: String, message: String },
    /// A critical rule that was broken.
    Critical { rule: String, message: String },
    /// A goal against its floor.
    Goal {
        goal: String,
        scaled: f64,
        floor: f64,
        met: bool,
    },
    /// The overall score against the pass mark.
    Overall { scaled: f64, mark: f64, met: bool },
}

impl Reason {
    /// Whether this ground holds (the run passes only when every reason is met).
    pub fn met(&self) -> bool {
        match self {
            Reason::Unfinished | Reason::MustDo { .. } | Reason::Critical { .. } => false,
            Reason::Outcome { met, .. }
            | Reason::Goal { met, .. }
            | Reason::Overall { met, .. } => *met,
        }
    }

    /// The reason as a sentence in the language of `tr`; `goal_name` names a goal id.
    pub fn text(&self, tr: &crate::i18n::Tr, goal_name: &dyn Fn(&str) -> String) -> String {
        use crate::i18n::percent;
        match self {
            Reason::Unfinished => tr.t("verdict.unfinished").to_string(),
            Reason::Outcome { outcome, met } => {
                let o = tr.t(outcome_key(*outcome));
                let key = match (outcome, met) {
                    (_, true) => "verdict.outcome_ok",
                    (Outcome::Partial, false) => "verdict.outcome_partial",
                    _ => "verdict.outcome_unsafe",
                };
                tr.fill(key, &[("outcome", o)])
            }
            Reason::MustDo { message, .. } => tr.fill("verdict.must_do", &[("message", message)]),
            Reason::Critical { message, .. } => {
                tr.fill("verdict.critical", &[("message", message)])
            }
            Reason::Goal {
                goal,
                scaled,
                floor,
                met,
            } => tr.fill(
                if *met {
                    "verdict.goal_ok"
                } else {
                    "verdict.goal_low"
                },
                &[
                    ("goal", &goal_name(goal)),
                    ("score", &percent(*scaled)),
                    ("floor", &percent(*floor)),
                ],
            ),
            Reason::Overall { scaled, mark, met } => tr.fill(
                if *met {
                    "verdict.overall_ok"
                } else {
                    "verdict.overall_low"
                },
                &[("score", &percent(*scaled)), ("mark", &percent(*mark))],
            ),
        }
    }
}

/// The interface key naming an outcome ("outcome.safe", …).
pub fn outcome_key(o: Outcome) -> &'static str {
    match o {
        Outcome::Safe => "outcome.safe",
        Outcome::Partial => "outcome.partial",
        Outcome::Unsafe => "outcome.unsafe",
    }
}

/// The score of a run, with the reasons it passed or failed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreReport {
    pub goals: Vec<GoalScore>,
    pub overall: f64,
    pub pass_overall: f64,
    pub passed: bool,
    /// The grounds of the verdict, those that fail first.
    pub reasons: Vec<Reason>,
    pub rules: Vec<RuleResult>,
    pub ending: Option<EndingView>,
    /// False when the ranges come from an analysis that was cut short.
    pub ranges_exact: bool,
    /// The scoring rules applied ([`SCORING_VERSION`]).
    pub scoring_version: u32,
}

/// The ending a run reached.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EndingView {
    pub id: String,
    pub outcome: Outcome,
    pub title: String,
    /// The ending's text with the paragraphs whose condition this run meets.
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

/// Scales a raw total against a goal's range: the share of the most that can be earned.
/// A goal on which no run can earn credit (`max <= 0`) is full when the run lost nothing more
/// than the best run must, and empty otherwise.
pub fn scale(raw: i64, range: GoalRange) -> f64 {
    if range.max > 0 {
        (raw.clamp(0, range.max) as f64) / range.max as f64
    } else if raw >= range.max {
        1.0
    } else {
        0.0
    }
}

/// Whether rule `i` is a must-do: kept only by doing something (must-visit, within).
pub fn is_must_do(sc: &Scenario, i: usize) -> bool {
    !matches!(sc.rules[i].kind, RuleKind::MustAvoid(_))
}

/// The verdict on a finished or unfinished run from what decides it: the node it stands at, the
/// rules it broke and its raw totals per goal (penalties included). Analysis, simulation and
/// play all judge through this one function.
pub fn judge(
    sc: &Scenario,
    node: NodeIdx,
    violated: &[bool],
    raw: &[i64],
) -> (Vec<f64>, f64, bool) {
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
    let accepted = match &sc.nodes[node as usize].kind {
        NodeKind::Ending(e) => sc.accepts(e.outcome),
        _ => false,
    };
    let rules_kept = sc
        .rules
        .iter()
        .enumerate()
        .zip(violated)
        .all(|((i, r), &v)| !v || !(r.critical || is_must_do(sc, i)));
    let floors_met = sc
        .goals
        .iter()
        .zip(&scaled)
        .all(|(g, s)| s + EPS >= g.threshold);
    let passed = accepted && rules_kept && floors_met && overall + EPS >= sc.pass_overall;
    (scaled, overall, passed)
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
    let (scaled, overall, passed) = judge(sc, state.node, &violated, &raw);
    Numbers {
        raw,
        scaled,
        overall,
        violated,
        passed,
    }
}

/// The text of an ending as this run sees it: the debrief with the paragraphs whose condition
/// holds in `state`.
pub fn ending_text(sc: &Scenario, state: &State, node: NodeIdx) -> Option<String> {
    let NodeKind::Ending(e) = &sc.nodes[node as usize].kind else {
        return None;
    };
    let env = state.env(sc);
    let mut text = e.debrief.clone();
    for p in e.parts.iter().filter(|p| p.when.eval(&env) != 0) {
        text.push_str("\n\n");
        text.push_str(&p.text);
    }
    Some(text)
}

/// Scores a run from its state and raw choice points.
pub fn score(sc: &Scenario, state: &State, points: &[i64]) -> ScoreReport {
    let n = numbers(sc, state, points);
    let rules: Vec<RuleResult> = sc
        .rules
        .iter()
        .enumerate()
        .zip(&n.violated)
        .map(|((i, r), &violated)| RuleResult {
            id: r.id.clone(),
            critical: r.critical,
            must_do: is_must_do(sc, i),
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
            met: n.scaled[i] + EPS >= g.threshold,
        })
        .collect();
    let overall = n.overall;
    let node = state.node;
    let ending = match &sc.nodes[node as usize].kind {
        NodeKind::Ending(e) => Some(EndingView {
            id: sc.nodes[node as usize].id.clone(),
            outcome: e.outcome,
            title: e.title.clone(),
            debrief: ending_text(sc, state, node).unwrap_or_default(),
        }),
        _ => None,
    };
    let mut reasons = Vec::new();
    match &ending {
        None => reasons.push(Reason::Unfinished),
        Some(e) => reasons.push(Reason::Outcome {
            outcome: e.outcome,
            met: sc.accepts(e.outcome),
        }),
    }
    for r in rules.iter().filter(|r| r.violated) {
        if r.critical {
            reasons.push(Reason::Critical {
                rule: r.id.clone(),
                message: r.message.clone(),
            });
        } else if r.must_do {
            reasons.push(Reason::MustDo {
                rule: r.id.clone(),
                message: r.message.clone(),
            });
        }
    }
    for g in &goals {
        reasons.push(Reason::Goal {
            goal: g.id.clone(),
            scaled: g.scaled,
            floor: g.threshold,
            met: g.met,
        });
    }
    reasons.push(Reason::Overall {
        scaled: overall,
        mark: sc.pass_overall,
        met: overall + EPS >= sc.pass_overall,
    });
    // What failed first, in the order above; what held after it.
    reasons.sort_by_key(Reason::met);
    let passed = reasons.iter().all(Reason::met);
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
        scoring_version: SCORING_VERSION,
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

/// Points per goal with the goals' names in `lang` ("nl" or "en"), e.g. "+2 Signalen
/// herkennen en in kaart brengen · −1 Tijdig overleggen"; `none` when all are zero.
pub fn points_named(sc: &Scenario, points: &[i64], lang: &str, none: &str) -> String {
    let parts: Vec<String> = sc
        .goals
        .iter()
        .zip(points)
        .filter(|(_, p)| **p != 0)
        .map(|(g, p)| {
            let sign = if *p > 0 { "+" } else { "−" };
            let name = if lang == "en" { &g.name.en } else { &g.name.nl };
            format!("{sign}{} {name}", p.abs())
        })
        .collect();
    if parts.is_empty() {
        none.to_string()
    } else {
        parts.join(" · ")
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
