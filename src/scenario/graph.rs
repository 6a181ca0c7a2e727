//! Checks on the shape of a built scenario: reachability, dead ends, automatic loops, and the
//! state-aware findings of the analysis (endings no run reaches, choices never available, runs
//! that get stuck). Also fills in the per-goal score ranges the scorer scales against.

use super::def::Outcome;
use super::diag::{Reporter, Severity};
use super::model::{ChoiceIdx, GoalRange, NodeIdx, NodeKind, Scenario};
use super::spans::SpanIndex;
use crate::analysis::{self, Limits};

/// Successor nodes of `n`, ignoring conditions.
pub fn successors(sc: &Scenario, n: NodeIdx) -> Vec<NodeIdx> {
    match &sc.nodes[n as usize].kind {
        NodeKind::Decision {
            choices,
            time_limit,
        } => choices
            .iter()
            .chain(time_limit.iter().map(|t| &t.on_timeout))
            .map(|&c| sc.choices[c as usize].next)
            .collect(),
        NodeKind::Random(b) => b.iter().map(|b| b.next).collect(),
        NodeKind::Goto(g) => vec![*g],
        NodeKind::Ending(_) => Vec::new(),
    }
}

/// The source path of a choice, for diagnostics.
pub fn choice_path(sc: &Scenario, c: ChoiceIdx) -> String {
    let ch = &sc.choices[c as usize];
    let n = ch.node;
    match sc.offered(n).iter().position(|&o| o == c) {
        Some(k) => format!("nodes[{n}].choices[{k}]"),
        None => format!("nodes[{n}].time_limit.on_timeout"),
    }
}

fn reach_from(sc: &Scenario, start: NodeIdx, succ: &dyn Fn(NodeIdx) -> Vec<NodeIdx>) -> Vec<bool> {
    let mut seen = vec![false; sc.nodes.len()];
    let mut todo = vec![start];
    seen[start as usize] = true;
    while let Some(n) = todo.pop() {
        for m in succ(n) {
            if !seen[m as usize] {
                seen[m as usize] = true;
                todo.push(m);
            }
        }
    }
    seen
}

/// Nodes from which some node in `targets` is reachable, ignoring conditions.
pub fn can_reach(sc: &Scenario, targets: &[bool]) -> Vec<bool> {
    let mut preds: Vec<Vec<NodeIdx>> = vec![Vec::new(); sc.nodes.len()];
    for n in 0..sc.nodes.len() as NodeIdx {
        for m in successors(sc, n) {
            preds[m as usize].push(n);
        }
    }
    let mut seen = targets.to_vec();
    let mut todo: Vec<NodeIdx> = (0..sc.nodes.len() as NodeIdx)
        .filter(|&n| targets[n as usize])
        .collect();
    while let Some(n) = todo.pop() {
        for &p in &preds[n as usize] {
            if !seen[p as usize] {
                seen[p as usize] = true;
                todo.push(p);
            }
        }
    }
    seen
}

/// Runs the graph checks and the analysis; returns false when an error makes the scenario
/// unplayable. Sets `sc.ranges` and `sc.ranges_exact`: to `known` when given (the same text
/// was analysed before and found clean, see [`super::cache`]), so the analysis is skipped.
pub fn check(
    sc: &mut Scenario,
    rep: &mut Reporter<'_>,
    spans: &SpanIndex,
    known: Option<(Vec<super::model::GoalRange>, bool)>,
) -> bool {
    let at = |path: &str| spans.find(path).unwrap_or(0..0);
    let reachable = reach_from(sc, sc.start, &|n| successors(sc, n));
    for (i, n) in sc.nodes.iter().enumerate() {
        if !reachable[i] {
            rep.push(
                Severity::Warning,
                "unreachable-node",
                at(&format!("nodes[{i}].id")),
                format!("node `{}` cannot be reached from the start", n.id),
            )
            .hint(format!(
                "no choice, goto or random branch leads here from `{}`",
                sc.nodes[sc.start as usize].id
            ));
        }
    }
    let is_ending: Vec<bool> = sc
        .nodes
        .iter()
        .map(|n| matches!(n.kind, NodeKind::Ending(_)))
        .collect();
    let to_end = can_reach(sc, &is_ending);
    for (i, n) in sc.nodes.iter().enumerate() {
        if !to_end[i] {
            rep.push(
                Severity::Error,
                "no-ending-reachable",
                at(&format!("nodes[{i}].id")),
                format!("no path from node `{}` leads to an ending", n.id),
            )
            .hint("every run must be able to finish: add a way out of this loop");
        }
    }
    // Loops made only of goto and random nodes would never wait for the trainee.
    let automatic = |n: NodeIdx| match &sc.nodes[n as usize].kind {
        NodeKind::Goto(_) | NodeKind::Random(_) => successors(sc, n),
        _ => Vec::new(),
    };
    let mut color = vec![0u8; sc.nodes.len()];
    for root in 0..sc.nodes.len() as NodeIdx {
        if color[root as usize] != 0 {
            continue;
        }
        color[root as usize] = 1;
        let mut stack = vec![(root, automatic(root), 0usize)];
        while let Some((n, succ, k)) = stack.last_mut() {
            if let Some(&m) = succ.get(*k) {
                *k += 1;
                match color[m as usize] {
                    0 => {
                        color[m as usize] = 1;
                        stack.push((m, automatic(m), 0));
                    }
                    1 => {
                        rep.push(
                            Severity::Error,
                            "automatic-loop",
                            at(&format!("nodes[{m}].id")),
                            format!(
                                "node `{}` is on a loop of goto/random nodes without a decision",
                                sc.nodes[m as usize].id
                            ),
                        )
                        .hint(
                            "a run on this loop would never stop: put a decision or ending on it",
                        );
                    }
                    _ => {}
                }
            } else {
                color[*n as usize] = 2;
                stack.pop();
            }
        }
    }
    if rep.has_errors() {
        return false;
    }
    if let Some((ranges, exact)) = known {
        sc.ranges = ranges;
        sc.ranges_exact = exact;
        return true;
    }

    let ex = analysis::explore(sc, Limits::default());
    sc.ranges = ex.ranges.clone();
    sc.ranges_exact = !ex.cut;
    if ex.cut {
        rep.push(Severity::Warning, "analysis-bounded", at("nodes"), format!("the analysis stopped after {} states; findings below cover only those", ex.states))
            .hint("bound integer variables with `min`/`max` so the number of distinct states stays finite");
    }
    for &n in &ex.stuck {
        rep.push(
            Severity::Error,
            "all-locked",
            at(&format!("nodes[{n}].choices")),
            format!(
                "some runs reach `{}` with every choice locked",
                sc.nodes[n as usize].id
            ),
        )
        .hint("make sure at least one choice is always available, or add a time limit");
    }
    let reasons = analysis::report::unreached_reasons(sc, &ex);
    for (i, n) in sc.nodes.iter().enumerate() {
        if reachable[i] && !ex.node_reached[i] && !ex.cut {
            let code = if is_ending[i] {
                "unreachable-ending"
            } else {
                "unreachable-node"
            };
            rep.push(
                Severity::Warning,
                code,
                at(&format!("nodes[{i}].id")),
                format!("no run reaches `{}`", n.id),
            )
            .hint(reasons[i].clone().unwrap_or_default());
        }
    }
    for (c, ch) in sc.choices.iter().enumerate() {
        if ex.node_reached[ch.node as usize] && !ex.choice_available[c] && !ex.cut && !ch.is_timeout
        {
            rep.push(
                Severity::Warning,
                "never-available",
                at(&format!("{}.condition", choice_path(sc, c as ChoiceIdx))),
                format!("choice `{}` is locked in every run", ch.id),
            )
            .hint("its condition never holds when the node is reached");
        }
    }
    for &c in &ex.scoring_loops {
        rep.push(Severity::Warning, "scoring-loop", at(&format!("{}.next", choice_path(sc, c))), format!("choice `{}` can be repeated without limit and scores points each time", sc.choices[c as usize].id))
            .hint("limit the repetition with a condition on `visits(…)`; score ranges ignore the repetition");
    }
    for &c in &ex.dominated {
        let ch = &sc.choices[c as usize];
        if ch.expert {
            rep.push(Severity::Warning, "expert-dominated", at(&format!("{}.expert", choice_path(sc, c))), format!("the expert's choice `{}` scores less than another choice wherever it is available", ch.id))
                .hint("check its points: another choice at the same node scores at least as much on every goal");
        }
    }
    if !ex.cut {
        for (i, r) in sc.rules.iter().enumerate() {
            if !ex.rule_breakable[i] {
                rep.push(
                    Severity::Warning,
                    "dead-rule",
                    at(&format!("rules[{i}].kind")),
                    format!("no run can break rule `{}`", r.id),
                )
                .hint("the rule never fires: check its target, or remove it");
            }
        }
    }
    expert_line_checks(sc, rep, &at);
    for (g, goal) in sc.goals.iter().enumerate() {
        let GoalRange { min, max } = sc.ranges[g];
        if max <= 0 && !ex.cut {
            rep.push(Severity::Warning, "goal-no-credit", at(&format!("goals[{:?}]#key", goal.id)), format!("no run earns credit on `{}` (the most any run scores is {max})", goal.id))
                .hint("a score is the share of the most a run can earn: give the choices that train this goal positive points");
        }
        if min == max && !ex.cut {
            rep.push(Severity::Warning, "goal-cannot-vary", at(&format!("goals[{:?}]#key", goal.id)), format!("every run scores {min} on `{}`", goal.id))
                .hint("the goal cannot discriminate between trainees: give different choices different points");
        }
    }
    !rep.has_errors()
}

/// Warns when the expert's line, against some combination of random draws, does not end `Safe`
/// with full credit on every goal: then a trainee who plays as the expert is not rewarded as one.
fn expert_line_checks(
    sc: &Scenario,
    rep: &mut Reporter<'_>,
    at: &dyn Fn(&str) -> std::ops::Range<usize>,
) {
    let (runs, _) = analysis::verdict::expert_runs(sc);
    let mut seen = Vec::new();
    for run in &runs {
        let short: Vec<String> = run
            .goals
            .iter()
            .filter(|g| g.scaled < 1.0 - 1e-9)
            .map(|g| format!("`{}` {:.0}%", g.id, (g.scaled * 100.0).floor()))
            .collect();
        if run.outcome == Outcome::Safe && short.is_empty() {
            continue;
        }
        let key = (run.ending.clone(), short.clone());
        if seen.contains(&key) || seen.len() >= 3 {
            continue;
        }
        seen.push(key);
        let node = sc.node_by_id(&run.ending).unwrap_or(0);
        let mut problems = Vec::new();
        if run.outcome != Outcome::Safe {
            problems.push(format!("ends `{}` ({})", run.ending, run.outcome.as_str()));
        }
        if !short.is_empty() {
            problems.push(format!(
                "earns less than full credit on {}",
                short.join(", ")
            ));
        }
        rep.push(
            Severity::Warning,
            "expert-run",
            at(&format!("nodes[{node}].id")),
            format!("the expert's line {}", problems.join(" and ")),
        )
        .hint(format!(
            "the expert's line: {}; mark the best choice `expert: true` at each decision and make sure it earns the most on every goal",
            run.steps.join(" → ")
        ));
    }
}
