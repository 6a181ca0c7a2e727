//! State-aware exploration: every run a scenario allows, folded into a graph of distinct states.
//!
//! Two runs that reach the same node with the same values of everything that can still matter
//! (variables, character moods and trust when an expression reads them, the visit counts a run
//! keeps — only those an expression or rule reads —, rule progress) behave the same from there on, so they share one
//! state. The graph is explored breadth first from the start, which gives a shortest witness run
//! for every ending; per-goal lowest and highest totals are then computed over it bottom-up.
//! Exploration stops at [`Limits::max_states`] and says so ([`Exploration::cut`]).

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use serde::Serialize;

use crate::play::state::{Settled, State};
use crate::scenario::expr::Expr;
use crate::scenario::model::{ChoiceIdx, GoalRange, NodeIdx, NodeKind, RuleKind, Scenario};

/// Bounds on exploration.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_states: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_states: 250_000,
        }
    }
}

/// One step of a run: a choice, or a branch of a random draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Choice(ChoiceIdx),
    Draw { node: NodeIdx, branch: u32 },
}

#[derive(Debug, Clone, Copy)]
struct Edge {
    to: u32,
    step: Step,
}

/// The explored state graph and what follows from it.
#[derive(Debug, Clone)]
pub struct Exploration {
    pub states: usize,
    pub edges: usize,
    /// True when `max_states` stopped exploration; results then cover only what was explored.
    pub cut: bool,
    /// Per node: reached by some run.
    pub node_reached: Vec<bool>,
    /// Per choice: available in some reached state.
    pub choice_available: Vec<bool>,
    /// Per node: a shortest run reaching it (steps from the start), for reached nodes.
    pub witness: Vec<Option<Vec<Step>>>,
    /// Decision nodes where some run finds every choice locked and no time limit.
    pub stuck: Vec<NodeIdx>,
    /// Per goal (scenario order): lowest and highest total, penalties included.
    pub ranges: Vec<GoalRange>,
    /// Per goal: a run giving the lowest and one giving the highest total.
    pub range_witness: Vec<(Vec<Step>, Vec<Step>)>,
    /// Choices that close a loop in the state graph while scoring points: repeating them would
    /// make the range unbounded, so the ranges ignore the repetition.
    pub scoring_loops: Vec<ChoiceIdx>,
    /// Per goal: the highest total a trainee can make sure of whatever the random draws (choices
    /// at their best, chance at its worst). Below `ranges[g].max` when the maximum needs luck.
    pub guaranteed_max: Vec<i64>,
    /// Choices that, wherever they are available, another available choice at the same node
    /// beats on points for some goal without scoring less on any.
    pub dominated: Vec<ChoiceIdx>,
    /// Per rule: whether some run that ends breaks it (false: a dead rule).
    pub rule_breakable: Vec<bool>,
}

/// What of a state decides the future: the key two runs must share to be merged.
struct Projection {
    /// Character fields read by some expression: (character, is_mood).
    characters: Vec<(u32, bool)>,
    decision_cap: Option<u32>,
}

impl Projection {
    fn new(sc: &Scenario) -> Projection {
        let mut exprs: Vec<&Expr> = Vec::new();
        for c in &sc.choices {
            exprs.extend(c.condition.iter());
            exprs.extend(c.effects.iter().map(|e| &e.value));
        }
        for n in &sc.nodes {
            exprs.extend(n.effects.iter().map(|e| &e.value));
        }
        // Visit counts are kept only for the slots something reads (see `Scenario::track`), so
        // all of them belong in the key.
        let mut cap = None;
        for r in &sc.rules {
            if let RuleKind::Within { decisions, .. } = r.kind {
                cap = Some(cap.unwrap_or(0).max(decisions + 1));
            }
        }
        let mut characters = Vec::new();
        for e in &exprs {
            e.for_each_character_ref(&mut |c, mood| characters.push((c, mood)));
        }
        characters.sort_unstable();
        characters.dedup();
        Projection {
            characters,
            decision_cap: cap,
        }
    }

    fn key(&self, s: &State) -> Vec<i64> {
        let mut k = Vec::with_capacity(3 + s.vars.len() + s.visits.len() + self.characters.len());
        k.push(i64::from(s.node));
        k.extend_from_slice(&s.vars);
        k.extend(self.characters.iter().map(|&(c, mood)| {
            if mood {
                s.moods[c as usize]
            } else {
                s.trust[c as usize]
            }
        }));
        k.extend(s.visits.iter().map(|&v| i64::from(v)));
        k.push(
            self.decision_cap
                .map_or(0, |c| i64::from(s.decisions.min(c))),
        );
        k.push(s.in_time as i64);
        k
    }
}

/// Explores every run of `sc` within `limits`.
pub fn explore(sc: &Scenario, limits: Limits) -> Exploration {
    let proj = Projection::new(sc);
    let mut states: Vec<State> = Vec::new();
    let mut settled: Vec<Settled> = Vec::new();
    let mut parent: Vec<Option<(u32, Step)>> = Vec::new();
    let mut index: HashMap<Vec<i64>, u32> = HashMap::new();
    let mut edges: Vec<Vec<Edge>> = Vec::new();
    let mut cut = false;
    let mut node_reached = vec![false; sc.nodes.len()];
    let mut choice_available = vec![false; sc.choices.len()];
    // Per node: the state a witness run starts from and the step that passes through it.
    let mut witness_via: Vec<Option<(Option<u32>, Option<Step>)>> = vec![None; sc.nodes.len()];
    let mut stuck = Vec::new();
    let mut undominated = vec![false; sc.choices.len()];

    // Nodes passed through automatically are reached too; their witness is the state's path.
    let mut add = |st: State,
                   how: Settled,
                   from: Option<(u32, Step)>,
                   passed: &[NodeIdx],
                   states: &mut Vec<State>,
                   settled: &mut Vec<Settled>,
                   parent: &mut Vec<Option<(u32, Step)>>,
                   edges: &mut Vec<Vec<Edge>>|
     -> Option<u32> {
        for &n in passed {
            node_reached[n as usize] = true;
            witness_via[n as usize].get_or_insert((from.map(|f| f.0), from.map(|f| f.1)));
        }
        match index.entry(proj.key(&st)) {
            Entry::Occupied(e) => Some(*e.get()),
            Entry::Vacant(v) => {
                if states.len() >= limits.max_states {
                    return None;
                }
                let id = states.len() as u32;
                v.insert(id);
                states.push(st);
                settled.push(how);
                parent.push(from);
                edges.push(Vec::new());
                Some(id)
            }
        }
    };

    let mut passed = Vec::new();
    let mut init = State::initial(sc);
    let Ok(how) = init.enter(sc, sc.start, &mut |n| passed.push(n)) else {
        return empty(sc);
    };
    add(
        init,
        how,
        None,
        &passed,
        &mut states,
        &mut settled,
        &mut parent,
        &mut edges,
    );

    let mut next = 0usize;
    while next < states.len() {
        let id = next as u32;
        next += 1;
        let st = states[next - 1].clone();
        let node = &sc.nodes[st.node as usize];
        let mut out = Vec::new();
        match (&node.kind, settled[next - 1]) {
            (
                NodeKind::Decision {
                    choices,
                    time_limit,
                },
                _,
            ) => {
                let timeout = time_limit.map(|t| t.on_timeout);
                let avail: Vec<ChoiceIdx> = choices
                    .iter()
                    .copied()
                    .filter(|&c| st.available(sc, c))
                    .collect();
                for &c in &avail {
                    let pc = &sc.choices[c as usize].points;
                    let beaten = avail.iter().any(|&b| {
                        let pb = &sc.choices[b as usize].points;
                        b != c
                            && pb.iter().zip(pc).all(|(x, y)| x >= y)
                            && pb.iter().zip(pc).any(|(x, y)| x > y)
                    });
                    if !beaten {
                        undominated[c as usize] = true;
                    }
                }
                let mut any = false;
                for &c in choices.iter().chain(timeout.iter()) {
                    if !st.available(sc, c) {
                        continue;
                    }
                    choice_available[c as usize] = true;
                    any = true;
                    let mut s2 = st.clone();
                    passed.clear();
                    if let Ok(how) = s2.take(sc, c, &mut |n| passed.push(n)) {
                        out.push((s2, how, Step::Choice(c), passed.clone()));
                    }
                }
                if !any && !stuck.contains(&st.node) {
                    stuck.push(st.node);
                }
            }
            (NodeKind::Random(branches), _) => {
                for (k, b) in branches.iter().enumerate() {
                    let mut s2 = st.clone();
                    passed.clear();
                    if let Ok(how) = s2.enter(sc, b.next, &mut |n| passed.push(n)) {
                        out.push((
                            s2,
                            how,
                            Step::Draw {
                                node: st.node,
                                branch: k as u32,
                            },
                            passed.clone(),
                        ));
                    }
                }
            }
            _ => {}
        }
        for (s2, how, step, passed) in out {
            match add(
                s2,
                how,
                Some((id, step)),
                &passed,
                &mut states,
                &mut settled,
                &mut parent,
                &mut edges,
            ) {
                Some(to) => edges[id as usize].push(Edge { to, step }),
                None => cut = true,
            }
        }
    }

    let path_to = |mut s: u32| {
        let mut steps = Vec::new();
        while let Some((p, step)) = parent[s as usize] {
            steps.push(step);
            s = p;
        }
        steps.reverse();
        steps
    };
    let mut rule_breakable = vec![false; sc.rules.len()];
    for (st, how) in states.iter().zip(&settled) {
        if *how == Settled::Ending {
            for (i, b) in rule_breakable.iter_mut().enumerate() {
                *b |= st.violates(sc, i);
            }
        }
    }
    let dominated = (0..sc.choices.len())
        .filter(|&c| choice_available[c] && !undominated[c] && !sc.choices[c].is_timeout)
        .map(|c| c as ChoiceIdx)
        .collect();
    let witness = witness_via
        .iter()
        .map(|w| {
            w.map(|(from, step)| {
                let mut p = from.map(path_to).unwrap_or_default();
                p.extend(step);
                p
            })
        })
        .collect();
    let (ranges, range_witness, scoring_loops, guaranteed) = ranges(sc, &states, &settled, &edges);
    Exploration {
        states: states.len(),
        edges: edges.iter().map(Vec::len).sum(),
        cut,
        node_reached,
        choice_available,
        witness,
        stuck,
        ranges,
        range_witness,
        scoring_loops,
        guaranteed_max: guaranteed,
        dominated,
        rule_breakable,
    }
}

fn empty(sc: &Scenario) -> Exploration {
    Exploration {
        states: 0,
        edges: 0,
        cut: false,
        node_reached: vec![false; sc.nodes.len()],
        choice_available: vec![false; sc.choices.len()],
        witness: vec![None; sc.nodes.len()],
        stuck: Vec::new(),
        ranges: vec![GoalRange { min: 0, max: 0 }; sc.goals.len()],
        range_witness: vec![(Vec::new(), Vec::new()); sc.goals.len()],
        scoring_loops: Vec::new(),
        guaranteed_max: vec![0; sc.goals.len()],
        dominated: Vec::new(),
        rule_breakable: vec![false; sc.rules.len()],
    }
}

/// Per goal, what can still be scored from a state.
#[derive(Debug, Clone, Copy)]
struct Extremes {
    min: i64,
    max: i64,
    /// Highest total sure to be reached: best choices, worst draws.
    gmax: i64,
    argmin: u32,
    argmax: u32,
}

type Ranges = (
    Vec<GoalRange>,
    Vec<(Vec<Step>, Vec<Step>)>,
    Vec<ChoiceIdx>,
    Vec<i64>,
);

/// Per goal, lowest and highest totals from the start to an ending, over the state graph.
fn ranges(sc: &Scenario, states: &[State], settled: &[Settled], edges: &[Vec<Edge>]) -> Ranges {
    let g = sc.goals.len();
    let n = states.len();
    let nothing = || {
        (
            vec![GoalRange { min: 0, max: 0 }; g],
            vec![(Vec::new(), Vec::new()); g],
        )
    };
    let mut best: Vec<Option<Vec<Extremes>>> = vec![None; n];
    let mut color = vec![0u8; n]; // 0 new, 1 on stack, 2 done
    let mut loops = Vec::new();
    if n == 0 {
        let (r, w) = nothing();
        return (r, w, loops, vec![0; g]);
    }
    let mut stack: Vec<(u32, usize)> = vec![(0, 0)];
    color[0] = 1;
    while let Some(&mut (s, ref mut k)) = stack.last_mut() {
        let out = &edges[s as usize];
        if *k < out.len() {
            let e = out[*k];
            *k += 1;
            match color[e.to as usize] {
                0 => {
                    color[e.to as usize] = 1;
                    stack.push((e.to, 0));
                }
                1 => {
                    if let Step::Choice(c) = e.step
                        && sc.choices[c as usize].points.iter().any(|&p| p != 0)
                        && !loops.contains(&c)
                    {
                        loops.push(c);
                    }
                }
                _ => {}
            }
            continue;
        }
        stack.pop();
        color[s as usize] = 2;
        let st = &states[s as usize];
        best[s as usize] = if settled[s as usize] == Settled::Ending {
            let mut pen = vec![0i64; g];
            for (i, r) in sc.rules.iter().enumerate() {
                if st.violates(sc, i) {
                    for (p, v) in pen.iter_mut().zip(&r.penalty) {
                        *p += v;
                    }
                }
            }
            Some(
                pen.into_iter()
                    .map(|p| Extremes {
                        min: p,
                        max: p,
                        gmax: p,
                        argmin: u32::MAX,
                        argmax: u32::MAX,
                    })
                    .collect(),
            )
        } else {
            let chance = settled[s as usize] == Settled::Draw;
            let mut acc: Option<Vec<Extremes>> = None;
            for (ei, e) in out.iter().enumerate() {
                if color[e.to as usize] != 2 {
                    continue; // a loop back: its repetition is not counted
                }
                let Some(sub) = &best[e.to as usize] else {
                    continue;
                };
                let pts = match e.step {
                    Step::Choice(c) => Some(&sc.choices[c as usize].points),
                    Step::Draw { .. } => None,
                };
                let acc = acc.get_or_insert_with(|| {
                    vec![
                        Extremes {
                            min: i64::MAX,
                            max: i64::MIN,
                            gmax: if chance { i64::MAX } else { i64::MIN },
                            argmin: 0,
                            argmax: 0
                        };
                        g
                    ]
                });
                for j in 0..g {
                    let p = pts.map_or(0, |p| p[j]);
                    let (lo, hi, gm) = (sub[j].min + p, sub[j].max + p, sub[j].gmax + p);
                    if lo < acc[j].min {
                        acc[j].min = lo;
                        acc[j].argmin = ei as u32;
                    }
                    if hi > acc[j].max {
                        acc[j].max = hi;
                        acc[j].argmax = ei as u32;
                    }
                    acc[j].gmax = if chance {
                        acc[j].gmax.min(gm)
                    } else {
                        acc[j].gmax.max(gm)
                    };
                }
            }
            acc
        };
    }
    let Some(root) = &best[0] else {
        let (r, w) = nothing();
        return (r, w, loops, vec![0; g]);
    };
    let follow = |goal: usize, want_max: bool| {
        let mut s = 0u32;
        let mut steps = Vec::new();
        while let Some(b) = &best[s as usize] {
            let ei = if want_max {
                b[goal].argmax
            } else {
                b[goal].argmin
            };
            let Some(e) = edges[s as usize].get(ei as usize) else {
                break;
            };
            steps.push(e.step);
            s = e.to;
        }
        steps
    };
    let ranges = root
        .iter()
        .map(|x| GoalRange {
            min: x.min,
            max: x.max,
        })
        .collect();
    let witnesses = (0..g)
        .map(|j| (follow(j, false), follow(j, true)))
        .collect();
    let guaranteed = root.iter().map(|x| x.gmax).collect();
    (ranges, witnesses, loops, guaranteed)
}
