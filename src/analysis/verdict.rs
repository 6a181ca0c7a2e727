//! The verdict over every run: which runs pass, shown from the state graph rather than sampled.
//!
//! [`prove`] folds the explored state graph bottom-up into the set of distinct *results* a run
//! can end with — the ending, the rules it broke and its raw total per goal — and judges each
//! with [`crate::score::judge`], the same function play and simulation use. From that it states
//! how many runs pass per ending, whether any passing run ends `Unsafe`, misses a must-do or
//! breaks a critical rule, and which passing run is the weakest (a bare pass, for authors to
//! look at). [`expert_runs`] plays the expert's line against every random draw.
//!
//! Like the score ranges, results ignore the repetition of loops in the state graph (a loop
//! that scores is reported by the exploration as a scoring loop).

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::explore::{StateGraph, Step};
use super::report::steps;
use crate::play::state::{Settled, State};
use crate::scenario::def::Outcome;
use crate::scenario::model::{NodeIdx, NodeKind, Scenario};
use crate::score::{expert_choice, is_must_do, judge, numbers};

/// Most distinct results kept over all states before the proof gives up (memory bound).
pub const MAX_RESULTS: usize = 2_000_000;

/// Most runs [`expert_runs`] follows (one per combination of random draws).
pub const MAX_EXPERT_RUNS: usize = 1024;

/// What every run of a scenario is judged to be.
#[derive(Debug, Clone, Serialize)]
pub struct VerdictProof {
    /// True when the exploration covered every run: then the `passing_*` counts below hold for
    /// all runs.
    pub all_runs: bool,
    /// True when every run was judged; false when the exploration was cut, or when the
    /// distinct results exceeded [`MAX_RESULTS`] (then the pass counts and the weakest pass are
    /// missing, while the `passing_*` counts still hold for every explored run).
    pub exhaustive: bool,
    /// Runs from the start to an ending (saturating at `u64::MAX`).
    pub runs: u64,
    pub passing_runs: u64,
    /// Distinct results (ending, rules broken, raw points per goal) of the runs that could
    /// pass, each judged; runs that cannot pass are judged by class (see [`prove`]).
    pub results: usize,
    pub endings: Vec<EndingVerdict>,
    /// Passing runs that end `Unsafe`, in an outcome the scenario does not accept, with a
    /// must-do missed or a critical rule broken: each 0 when the verdict can be signed.
    pub passing_unsafe: u64,
    pub passing_not_accepted: u64,
    pub passing_missed_must_do: u64,
    pub passing_critical: u64,
    /// The passing run with the lowest overall score.
    pub weakest_pass: Option<JudgedRun>,
}

impl VerdictProof {
    /// Whether no passing run ends unsafe or unaccepted, misses a must-do or breaks a critical
    /// rule, over every run.
    pub fn sound(&self) -> bool {
        self.all_runs
            && self.passing_unsafe == 0
            && self.passing_not_accepted == 0
            && self.passing_missed_must_do == 0
            && self.passing_critical == 0
    }

    fn ending_mut(&mut self, sc: &Scenario, node: NodeIdx) -> Option<&mut EndingVerdict> {
        let id = &sc.nodes[node as usize].id;
        self.endings.iter_mut().find(|x| &x.id == id)
    }
}

/// The runs reaching one ending.
#[derive(Debug, Clone, Serialize)]
pub struct EndingVerdict {
    pub id: String,
    pub outcome: Outcome,
    pub runs: u64,
    pub passing_runs: u64,
}

/// One run with its verdict.
#[derive(Debug, Clone, Serialize)]
pub struct JudgedRun {
    pub ending: String,
    pub outcome: Outcome,
    pub overall: f64,
    pub passed: bool,
    pub goals: Vec<GoalResult>,
    /// Choice ids, and `node→next` for random draws.
    pub steps: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GoalResult {
    pub id: String,
    pub raw: i64,
    pub scaled: f64,
}

impl JudgedRun {
    fn new(sc: &Scenario, node: NodeIdx, violated: &[bool], raw: &[i64], path: &[Step]) -> Self {
        let (scaled, overall, passed) = judge(sc, node, violated, raw);
        JudgedRun {
            ending: sc.nodes[node as usize].id.clone(),
            outcome: outcome_of(sc, node).unwrap_or(Outcome::Unsafe),
            overall,
            passed,
            goals: sc
                .goals
                .iter()
                .zip(raw.iter().zip(&scaled))
                .map(|(g, (&raw, &scaled))| GoalResult {
                    id: g.id.clone(),
                    raw,
                    scaled,
                })
                .collect(),
            steps: steps(sc, path),
        }
    }
}

fn outcome_of(sc: &Scenario, node: NodeIdx) -> Option<Outcome> {
    match &sc.nodes[node as usize].kind {
        NodeKind::Ending(e) => Some(e.outcome),
        _ => None,
    }
}

/// The states in an order where every state comes after the states its usable edges lead to
/// (depth-first post-order from the start), and per edge whether it is usable: an edge back to a
/// state still on the depth-first stack closes a loop, and the repetition is not counted.
fn post_order(graph: &StateGraph) -> (Vec<u32>, Vec<bool>) {
    let n = graph.states.len();
    let mut order = Vec::with_capacity(n);
    let mut usable = vec![false; graph.edges.len()];
    let mut color = vec![0u8; n]; // 0 new, 1 on the stack, 2 done
    let mut stack: Vec<(u32, usize)> = vec![(0, 0)];
    color[0] = 1;
    while let Some(&mut (s, ref mut k)) = stack.last_mut() {
        let edges = graph.out(s);
        if *k < edges.len() {
            let to = edges[*k].to as usize;
            *k += 1;
            if color[to] == 0 {
                color[to] = 1;
                stack.push((to as u32, 0));
            }
            continue;
        }
        stack.pop();
        color[s as usize] = 2;
        let first = graph.first[s as usize] as usize;
        for (i, e) in edges.iter().enumerate() {
            usable[first + i] = color[e.to as usize] == 2;
        }
        order.push(s);
    }
    (order, usable)
}

/// The class of a run's end: the ending node and the rules broken (bit mask).
type Class = (NodeIdx, u64);

fn class_of(sc: &Scenario, st: &State) -> (Class, Vec<i64>) {
    let mut mask = 0u64;
    let mut raw = vec![0i64; sc.goals.len()];
    for (i, r) in sc.rules.iter().enumerate().take(64) {
        if st.violates(sc, i) {
            mask |= 1 << i;
            raw.iter_mut().zip(&r.penalty).for_each(|(t, p)| *t += p);
        }
    }
    ((st.node, mask), raw)
}

fn broken(sc: &Scenario, mask: u64) -> Vec<bool> {
    (0..sc.rules.len())
        .map(|i| i < 64 && mask & (1 << i) != 0)
        .collect()
}

/// Per class reachable from a state: the runs, and per goal the lowest and highest total.
#[derive(Debug, Clone)]
struct Aggregate {
    class: u32,
    runs: u64,
    lo: Vec<i64>,
    hi: Vec<i64>,
}

/// One distinct result reachable from a state: its class, how it continues (edge and the
/// child's result) and how many runs lead to it.
#[derive(Debug, Clone, Copy)]
struct Entry {
    class: u32,
    /// Index among the state's edges; `u32::MAX` at an ending.
    edge: u32,
    child: u32,
    runs: u64,
}

/// Per state: its results, with the raw points per goal flat beside them.
#[derive(Default)]
struct Results {
    entries: Vec<Entry>,
    points: Vec<i64>,
}

fn step_points(sc: &Scenario, step: Step) -> Option<&[i64]> {
    match step {
        Step::Choice(c) => Some(&sc.choices[c as usize].points),
        Step::Draw { .. } => None,
    }
}

/// Judges every run of `sc` over its explored state graph. `cut` says the exploration was cut
/// short. `sc.ranges` must be the exploration's ranges.
///
/// Two passes. The first folds, per class of end (ending and rules broken), the number of runs
/// and each goal's lowest and highest total: a class whose highest totals do not pass has no
/// passing run, because more points never make a run fail (the judge is monotone in the
/// points). The second keeps the distinct point totals, only for the classes that can pass and
/// only where the best way to the state could still make them pass, to count the passing runs
/// and find the weakest pass.
pub(super) fn prove(sc: &Scenario, graph: &StateGraph, cut: bool) -> VerdictProof {
    let g = sc.goals.len();
    let n = graph.states.len();
    let mut proof = VerdictProof {
        all_runs: false,
        exhaustive: false,
        runs: 0,
        passing_runs: 0,
        results: 0,
        endings: sc
            .endings()
            .filter_map(|e| {
                Some(EndingVerdict {
                    id: sc.nodes[e as usize].id.clone(),
                    outcome: outcome_of(sc, e)?,
                    runs: 0,
                    passing_runs: 0,
                })
            })
            .collect(),
        passing_unsafe: 0,
        passing_not_accepted: 0,
        passing_missed_must_do: 0,
        passing_critical: 0,
        weakest_pass: None,
    };
    if n == 0 {
        return proof;
    }
    let (order, usable) = post_order(graph);
    let usable = &usable;
    let usable_edges = |s: u32| {
        let first = graph.first[s as usize] as usize;
        graph
            .out(s)
            .iter()
            .enumerate()
            .filter(move |(i, _)| usable[first + i])
    };

    // Pass 1: per state and class, runs and the lowest and highest totals.
    let mut classes: Vec<Class> = Vec::new();
    let mut class_ids: FxHashMap<Class, u32> = FxHashMap::default();
    let mut ends: Vec<Vec<i64>> = Vec::new(); // per class: the penalties at its end
    let mut agg: Vec<Vec<Aggregate>> = vec![Vec::new(); n];
    for &s in &order {
        let st = &graph.states[s as usize];
        let mut here: Vec<Aggregate> = Vec::new();
        if graph.settled[s as usize] == Settled::Ending {
            let (class, raw) = class_of(sc, st);
            let next = classes.len() as u32;
            let id = *class_ids.entry(class).or_insert(next);
            if id == next {
                classes.push(class);
                ends.push(raw.clone());
            }
            here.push(Aggregate {
                class: id,
                runs: 1,
                lo: raw.clone(),
                hi: raw,
            });
        } else {
            for (_, e) in usable_edges(s) {
                let pts = step_points(sc, e.step);
                for a in &agg[e.to as usize] {
                    let add = |v: &[i64]| -> Vec<i64> {
                        v.iter()
                            .enumerate()
                            .map(|(j, x)| x + pts.map_or(0, |p| p[j]))
                            .collect()
                    };
                    let (lo, hi) = (add(&a.lo), add(&a.hi));
                    match here.iter_mut().find(|x| x.class == a.class) {
                        Some(x) => {
                            x.runs = x.runs.saturating_add(a.runs);
                            x.lo.iter_mut()
                                .zip(&lo)
                                .for_each(|(m, v)| *m = (*m).min(*v));
                            x.hi.iter_mut()
                                .zip(&hi)
                                .for_each(|(m, v)| *m = (*m).max(*v));
                        }
                        None => here.push(Aggregate {
                            class: a.class,
                            runs: a.runs,
                            lo,
                            hi,
                        }),
                    }
                }
            }
        }
        agg[s as usize] = here;
    }
    // Which classes can pass at all: judged at their highest totals.
    let mut can_pass = vec![false; classes.len()];
    for a in &agg[0] {
        let (node, mask) = classes[a.class as usize];
        let violated = broken(sc, mask);
        let (_, _, best_passes) = judge(sc, node, &violated, &a.hi);
        can_pass[a.class as usize] = best_passes;
        proof.runs = proof.runs.saturating_add(a.runs);
        if let Some(x) = proof.ending_mut(sc, node) {
            x.runs = x.runs.saturating_add(a.runs);
        }
        if best_passes {
            // Soundness: a class that can pass must end accepted and keep every must-do and
            // critical rule. Counted as the class's runs (the upper bound) when it does not.
            let outcome = outcome_of(sc, node).unwrap_or(Outcome::Unsafe);
            let flag = |n: &mut u64, yes: bool| {
                if yes {
                    *n = n.saturating_add(a.runs)
                }
            };
            flag(&mut proof.passing_unsafe, outcome == Outcome::Unsafe);
            flag(&mut proof.passing_not_accepted, !sc.accepts(outcome));
            flag(
                &mut proof.passing_missed_must_do,
                (0..sc.rules.len()).any(|i| violated[i] && is_must_do(sc, i)),
            );
            flag(
                &mut proof.passing_critical,
                sc.rules
                    .iter()
                    .zip(&violated)
                    .any(|(r, &v)| v && r.critical),
            );
        }
    }
    drop(agg);
    proof.all_runs = !cut;

    // Pass 2: distinct totals of the classes that can pass. A result that would not pass even
    // after the best way to its state (highest points per goal on the way) is dropped there:
    // no run through it passes, and the judge is monotone in the points.
    let mut best_prefix = vec![i64::MIN; n * g];
    best_prefix[..g].iter_mut().for_each(|x| *x = 0);
    for &s in order.iter().rev() {
        let here = best_prefix[s as usize * g..(s as usize + 1) * g].to_vec();
        if here.first().is_some_and(|&x| x == i64::MIN) {
            continue;
        }
        for (_, e) in usable_edges(s) {
            let pts = step_points(sc, e.step);
            let there = &mut best_prefix[e.to as usize * g..(e.to as usize + 1) * g];
            for j in 0..g {
                there[j] = there[j].max(here[j] + pts.map_or(0, |p| p[j]));
            }
        }
    }
    let violated_of: Vec<Vec<bool>> = classes.iter().map(|&(_, m)| broken(sc, m)).collect();
    let hopeful = |s: u32, class: u32, v: &[i64]| {
        let pre = &best_prefix[s as usize * g..(s as usize + 1) * g];
        let total: Vec<i64> = pre.iter().zip(v).map(|(a, b)| a + b).collect();
        let (node, _) = classes[class as usize];
        judge(sc, node, &violated_of[class as usize], &total).2
    };
    let mut results: Vec<Results> = (0..n).map(|_| Results::default()).collect();
    let mut total = 0usize;
    let mut index: FxHashMap<(Vec<i64>, u32), u32> = FxHashMap::default();
    let mut v = vec![0i64; g];
    for &s in &order {
        let st = &graph.states[s as usize];
        let mut here = Results::default();
        if graph.settled[s as usize] == Settled::Ending {
            let (class, _) = class_of(sc, st);
            let id = class_ids[&class];
            if can_pass[id as usize] && hopeful(s, id, &ends[id as usize]) {
                here.entries.push(Entry {
                    class: id,
                    edge: u32::MAX,
                    child: 0,
                    runs: 1,
                });
                here.points.extend_from_slice(&ends[id as usize]);
            }
        } else {
            index.clear();
            for (ei, e) in usable_edges(s) {
                let pts = step_points(sc, e.step);
                let child = &results[e.to as usize];
                for (ci, ce) in child.entries.iter().enumerate() {
                    let sub = &child.points[ci * g..(ci + 1) * g];
                    for j in 0..g {
                        v[j] = sub[j] + pts.map_or(0, |p| p[j]);
                    }
                    if !hopeful(s, ce.class, &v) {
                        continue;
                    }
                    let key = (v.clone(), ce.class);
                    match index.get(&key) {
                        Some(&at) => {
                            let x = &mut here.entries[at as usize];
                            x.runs = x.runs.saturating_add(ce.runs);
                        }
                        None => {
                            index.insert(key, here.entries.len() as u32);
                            here.entries.push(Entry {
                                class: ce.class,
                                edge: ei as u32,
                                child: ci as u32,
                                runs: ce.runs,
                            });
                            here.points.extend_from_slice(&v);
                        }
                    }
                }
            }
        }
        total += here.entries.len();
        if total > MAX_RESULTS {
            // Soundness above stands; counting passing runs and the weakest pass do not.
            return proof;
        }
        results[s as usize] = here;
    }
    proof.exhaustive = !cut;
    let root = &results[0];
    proof.results = root.entries.len();
    let mut weakest: Option<(usize, f64, f64)> = None;
    for (k, e) in root.entries.iter().enumerate() {
        let (node, mask) = classes[e.class as usize];
        let violated = broken(sc, mask);
        let raw = &root.points[k * g..(k + 1) * g];
        let (scaled, overall, passed) = judge(sc, node, &violated, raw);
        if !passed {
            continue;
        }
        proof.passing_runs = proof.passing_runs.saturating_add(e.runs);
        if let Some(x) = proof.ending_mut(sc, node) {
            x.passing_runs = x.passing_runs.saturating_add(e.runs);
        }
        let lowest = scaled.iter().copied().fold(1.0, f64::min);
        if weakest.is_none_or(|(_, o, l)| (overall, lowest) < (o, l)) {
            weakest = Some((k, overall, lowest));
        }
    }
    proof.weakest_pass = weakest.map(|(k, _, _)| {
        // Follow the results back down to the ending for the run's steps.
        let mut path = Vec::new();
        let (mut s, mut i) = (0u32, k);
        loop {
            let e = results[s as usize].entries[i];
            if e.edge == u32::MAX {
                break;
            }
            let edge = graph.out(s)[e.edge as usize];
            path.push(edge.step);
            s = edge.to;
            i = e.child as usize;
        }
        let e = root.entries[k];
        let (node, mask) = classes[e.class as usize];
        let raw = &root.points[k * g..(k + 1) * g];
        JudgedRun::new(sc, node, &broken(sc, mask), raw, &path)
    });
    proof
}

/// The expert's line (see [`expert_choice`]) played against every combination of random
/// draws, at most [`MAX_EXPERT_RUNS`] of them; the flag is false when there were more.
pub fn expert_runs(sc: &Scenario) -> (Vec<JudgedRun>, bool) {
    let mut out = Vec::new();
    let mut init = State::initial(sc);
    let Ok(how) = init.enter(sc, sc.start, &mut |_| {}) else {
        return (out, true);
    };
    let mut todo = vec![(init, how, vec![0i64; sc.goals.len()], Vec::new())];
    while let Some((mut st, mut how, mut points, mut path)) = todo.pop() {
        loop {
            match how {
                Settled::Ending => {
                    let n = numbers(sc, &st, &points);
                    out.push(JudgedRun::new(sc, st.node, &n.violated, &n.raw, &path));
                    break;
                }
                Settled::Draw => {
                    let NodeKind::Random(branches) = &sc.nodes[st.node as usize].kind else {
                        break;
                    };
                    for (k, b) in branches.iter().enumerate() {
                        let mut s2 = st.clone();
                        if let Ok(h) = s2.enter(sc, b.next, &mut |_| {}) {
                            let mut p2 = path.clone();
                            p2.push(Step::Draw {
                                node: st.node,
                                branch: k as u32,
                            });
                            todo.push((s2, h, points.clone(), p2));
                        }
                    }
                    break;
                }
                Settled::Decision => {
                    let Some(c) = expert_choice(sc, &st, st.node) else {
                        break;
                    };
                    if path.len() > crate::play::state::MAX_AUTOMATIC_STEPS as usize {
                        break;
                    }
                    points
                        .iter_mut()
                        .zip(&sc.choices[c as usize].points)
                        .for_each(|(p, v)| *p += v);
                    path.push(Step::Choice(c));
                    match st.take(sc, c, &mut |_| {}) {
                        Ok(h) => how = h,
                        Err(_) => break,
                    }
                }
            }
        }
        if out.len() + todo.len() > MAX_EXPERT_RUNS {
            return (out, false);
        }
    }
    out.reverse();
    (out, true)
}
