//! The analysis of one scenario as a report for authors: what can be reached and how, what each
//! goal can score, and which choices and rules do not do what they seem to.

use serde::Serialize;

use super::explore::{Exploration, Limits, Step, explore_graph};
use super::verdict::{JudgedRun, VerdictProof, expert_runs, prove};
use crate::scenario::graph::successors;
use crate::scenario::model::{NodeIdx, NodeKind, RuleKind, Scenario};

/// Everything `casus analyse` reports.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub scenario: String,
    pub version: String,
    pub states: usize,
    pub transitions: usize,
    /// True when every run was explored; false when the state bound cut exploration.
    pub exact: bool,
    /// What was explored when the bound cut exploration.
    pub note: Option<String>,
    pub endings: Vec<EndingReach>,
    /// Nodes and choices no run reaches, with the reason.
    pub unreachable: Vec<Unreached>,
    pub goals: Vec<GoalReport>,
    pub dominated: Vec<Dominated>,
    /// Rules no run can break.
    pub dead_rules: Vec<DeadRule>,
    /// Decision nodes where some run finds every choice locked.
    pub stuck: Vec<String>,
    /// Choices that can repeat without limit while scoring.
    pub scoring_loops: Vec<String>,
    /// Every run judged: passes per ending, what no passing run does, the weakest pass.
    pub verdict: VerdictProof,
    /// The expert's line against every combination of random draws.
    pub expert_runs: Vec<JudgedRun>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EndingReach {
    pub id: String,
    pub outcome: &'static str,
    pub title: String,
    pub reachable: bool,
    /// A shortest run to it: choice ids, and `node→next` for random draws.
    pub witness: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Unreached {
    pub id: String,
    /// `node` or `choice`.
    pub kind: &'static str,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct GoalReport {
    pub id: String,
    pub min: i64,
    pub max: i64,
    /// The highest total a trainee can make sure of whatever the draws.
    pub guaranteed_max: i64,
    pub min_path: Vec<String>,
    pub max_path: Vec<String>,
    /// The floor a pass needs on this goal.
    pub threshold: f64,
    /// Every run meets the goal's floor.
    pub cannot_fail: bool,
    /// No run meets the goal's threshold.
    pub cannot_pass: bool,
    /// The maximum needs a favourable random draw.
    pub needs_luck: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Dominated {
    pub choice: String,
    pub node: String,
    pub expert: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeadRule {
    pub id: String,
    pub critical: bool,
    pub why: String,
}

/// Renders a run's steps as choice ids and `node→next` for draws.
pub fn steps(sc: &Scenario, path: &[Step]) -> Vec<String> {
    path.iter()
        .map(|s| match *s {
            Step::Choice(c) => sc.choices[c as usize].id.clone(),
            Step::Draw { node, branch } => {
                let NodeKind::Random(b) = &sc.nodes[node as usize].kind else {
                    return String::new();
                };
                format!(
                    "{}→{}",
                    sc.nodes[node as usize].id, sc.nodes[b[branch as usize].next as usize].id
                )
            }
        })
        .collect()
}

/// Why each node no run reaches is not reached (`None` for reached nodes), in one pass: the
/// conditions of choices into it that are offered but never open, else the unreached nodes it
/// can only be reached from.
pub fn unreached_reasons(sc: &Scenario, ex: &Exploration) -> Vec<Option<String>> {
    let n = sc.nodes.len();
    let mut blockers: Vec<Vec<String>> = vec![Vec::new(); n];
    let mut dead_preds: Vec<Vec<&str>> = vec![Vec::new(); n];
    for (c, ch) in sc.choices.iter().enumerate() {
        let next = ch.next as usize;
        if ex.node_reached[next] {
            continue;
        }
        if ex.node_reached[ch.node as usize] && !ex.choice_available[c] {
            blockers[next].push(format!(
                "`{}` on `{}`",
                ch.condition_src.as_deref().unwrap_or("true"),
                ch.id
            ));
        }
    }
    for v in 0..n as NodeIdx {
        if ex.node_reached[v as usize] {
            continue;
        }
        for w in successors(sc, v) {
            let list = &mut dead_preds[w as usize];
            if !ex.node_reached[w as usize]
                && !list.contains(&sc.nodes[v as usize].id.as_str())
                && list.len() < 5
            {
                list.push(&sc.nodes[v as usize].id);
            }
        }
    }
    (0..n)
        .map(|v| {
            if ex.node_reached[v] {
                None
            } else if !blockers[v].is_empty() {
                Some(format!(
                    "these conditions never hold when it matters: {}",
                    blockers[v].join("; ")
                ))
            } else if !dead_preds[v].is_empty() {
                let names: Vec<String> = dead_preds[v].iter().map(|p| format!("`{p}`")).collect();
                Some(format!(
                    "it is only reached from {}, which no run reaches",
                    names.join(", ")
                ))
            } else {
                Some("no choice, goto or random branch leads here on any run".to_string())
            }
        })
        .collect()
}

/// Analyses `sc` within `limits`.
pub fn analyse(sc: &Scenario, limits: Limits) -> Report {
    let (ex, graph) = explore_graph(sc, limits);
    // Judge against the ranges of this exploration (a scenario fresh from the compiler has none).
    let with_ranges;
    let sc = if sc.ranges == ex.ranges {
        sc
    } else {
        let mut c = sc.clone();
        c.ranges = ex.ranges.clone();
        with_ranges = c;
        &with_ranges
    };
    let verdict = prove(sc, &graph, ex.cut);
    drop(graph);
    let reasons = unreached_reasons(sc, &ex);
    let reason_for = |n: NodeIdx| reasons[n as usize].clone().unwrap_or_default();
    let endings = sc
        .endings()
        .map(|n| {
            let NodeKind::Ending(e) = &sc.nodes[n as usize].kind else {
                unreachable!()
            };
            EndingReach {
                id: sc.nodes[n as usize].id.clone(),
                outcome: e.outcome.as_str(),
                title: e.title.clone(),
                reachable: ex.node_reached[n as usize],
                witness: ex.witness(n).map(|w| steps(sc, &w)).unwrap_or_default(),
            }
        })
        .collect();
    let mut unreachable: Vec<Unreached> = (0..sc.nodes.len() as NodeIdx)
        .filter(|&n| !ex.node_reached[n as usize])
        .map(|n| Unreached {
            id: sc.nodes[n as usize].id.clone(),
            kind: "node",
            reason: reason_for(n),
        })
        .collect();
    for (c, ch) in sc.choices.iter().enumerate() {
        if ex.choice_available[c] {
            continue;
        }
        let reason = if !ex.node_reached[ch.node as usize] {
            format!(
                "its node `{}` is never reached",
                sc.nodes[ch.node as usize].id
            )
        } else if ch.is_timeout {
            "the time limit never runs out in the analysis (it always can: this is not a problem)"
                .to_string()
        } else {
            format!(
                "its condition `{}` never holds when `{}` is reached",
                ch.condition_src.as_deref().unwrap_or("true"),
                sc.nodes[ch.node as usize].id
            )
        };
        if !ch.is_timeout || !ex.node_reached[ch.node as usize] {
            unreachable.push(Unreached {
                id: ch.id.clone(),
                kind: "choice",
                reason,
            });
        }
    }
    let goals = sc
        .goals
        .iter()
        .enumerate()
        .map(|(g, goal)| {
            let r = ex.ranges[g];
            let scaled = |v: i64| crate::score::scale(v, r);
            let t = goal.threshold;
            let (cannot_fail, cannot_pass) = (scaled(r.min) + 1e-9 >= t, scaled(r.max) + 1e-9 < t);
            GoalReport {
                id: goal.id.clone(),
                min: r.min,
                max: r.max,
                guaranteed_max: ex.guaranteed_max[g],
                min_path: steps(sc, &ex.range_witness[g].0),
                max_path: steps(sc, &ex.range_witness[g].1),
                threshold: goal.threshold,
                cannot_fail,
                cannot_pass,
                needs_luck: ex.guaranteed_max[g] < r.max,
            }
        })
        .collect();
    let dominated = ex
        .dominated
        .iter()
        .map(|&c| {
            let ch = &sc.choices[c as usize];
            Dominated {
                choice: ch.id.clone(),
                node: sc.nodes[ch.node as usize].id.clone(),
                expert: ch.expert,
            }
        })
        .collect();
    let dead_rules = sc
        .rules
        .iter()
        .zip(&ex.rule_breakable)
        .filter(|(_, b)| !**b)
        .map(|(r, _)| {
            let why = match r.kind {
                RuleKind::MustAvoid(s) => format!("no run reaches `{}`", sc.slot_id(s)),
                RuleKind::MustVisit(s) => format!("every run that ends passes `{}`", sc.slot_id(s)),
                RuleKind::Within { target, decisions } => format!(
                    "every run reaches `{}` within {decisions} decisions",
                    sc.slot_id(target)
                ),
            };
            DeadRule {
                id: r.id.clone(),
                critical: r.critical,
                why,
            }
        })
        .collect();
    Report {
        scenario: sc.id.clone(),
        version: sc.version.clone(),
        states: ex.states,
        transitions: ex.edges,
        exact: !ex.cut,
        note: ex.cut.then(|| {
            format!("exploration stopped at {} distinct states ({} transitions); results cover only the runs explored, breadth first from the start", ex.states, ex.edges)
        }),
        endings,
        unreachable,
        goals,
        dominated,
        dead_rules,
        stuck: ex.stuck.iter().map(|&n| sc.nodes[n as usize].id.clone()).collect(),
        scoring_loops: ex.scoring_loops.iter().map(|&c| sc.choices[c as usize].id.clone()).collect(),
        verdict,
        expert_runs: expert_runs(sc).0,
    }
}
