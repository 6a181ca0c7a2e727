//! State-aware exploration: every run a scenario allows, folded into a graph of distinct states.
//!
//! Two runs that reach the same node with the same values of everything that can still matter
//! (variables, character moods and trust when an expression reads them, the visit counts a run
//! keeps — only those an expression or rule reads —, rule progress) behave the same from there on, so they share one
//! state. The graph is explored breadth first from the start, which gives a shortest witness run
//! for every ending; per-goal lowest and highest totals are then computed over it bottom-up.
//! Exploration stops at [`Limits::max_states`] and says so ([`Exploration::cut`]).

use rustc_hash::FxHashMap;

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
pub(super) struct Edge {
    pub(super) to: u32,
    pub(super) step: Step,
}

/// The explored state graph itself, for analyses that need more than [`Exploration`] keeps
/// (see [`super::verdict`]). State 0 is the start.
pub(super) struct StateGraph {
    pub(super) states: Vec<State>,
    pub(super) settled: Vec<Settled>,
    /// Edges of state `s` are `edges[first[s]..first[s + 1]]`.
    pub(super) edges: Vec<Edge>,
    pub(super) first: Vec<u32>,
}

impl StateGraph {
    pub(super) fn out(&self, s: u32) -> &[Edge] {
        &self.edges[self.first[s as usize] as usize..self.first[s as usize + 1] as usize]
    }
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
    /// Per state: the state it was first reached from and the step taken (breadth first, so
    /// following these back gives a shortest run). Runs are spelled out only when asked for
    /// ([`Exploration::witness`]): keeping one per node would cost the depth of the case for
    /// every node.
    parent: Vec<Option<(u32, Step)>>,
    /// Per node: the state a witness run starts from and the step that passes through it.
    witness_via: Vec<Option<(Option<u32>, Option<Step>)>>,
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

    /// Writes the key of `s` into `k` (cleared first).
    fn key_into(&self, s: &State, k: &mut Vec<i64>) {
        k.clear();
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
    }
}

impl Exploration {
    /// A shortest run reaching node `n` (steps from the start), if some run reaches it.
    pub fn witness(&self, n: NodeIdx) -> Option<Vec<Step>> {
        let (from, step) = (*self.witness_via.get(n as usize)?)?;
        let mut steps: Vec<Step> = step.into_iter().collect();
        let mut s = from;
        while let Some((p, st)) = s.and_then(|s| self.parent[s as usize]) {
            steps.push(st);
            s = Some(p);
        }
        steps.reverse();
        Some(steps)
    }
}

/// The states found so far, in breadth-first order, with what is known of each.
struct Graph {
    states: Vec<State>,
    settled: Vec<Settled>,
    parent: Vec<Option<(u32, Step)>>,
    index: FxHashMap<Vec<i64>, u32>,
    /// Edges of state `s` are `edges[first[s]..first[s + 1]]` (states are expanded in order).
    edges: Vec<Edge>,
    first: Vec<u32>,
    node_reached: Vec<bool>,
    /// Per node: the state a witness run starts from and the step that passes through it.
    witness_via: Vec<Option<(Option<u32>, Option<Step>)>>,
    /// Scratch space for a state's key, so that a state seen before costs no allocation.
    key: Vec<i64>,
}

impl Graph {
    /// Marks the nodes a move `from` passed through, then finds or adds the state it settled in;
    /// None when the state is new and `max_states` are known already.
    fn add(
        &mut self,
        proj: &Projection,
        limits: Limits,
        st: &State,
        how: Settled,
        from: Option<(u32, Step)>,
        passed: &[NodeIdx],
    ) -> Option<u32> {
        for &n in passed {
            self.node_reached[n as usize] = true;
            self.witness_via[n as usize].get_or_insert((from.map(|f| f.0), from.map(|f| f.1)));
        }
        proj.key_into(st, &mut self.key);
        if let Some(&id) = self.index.get(self.key.as_slice()) {
            return Some(id);
        }
        if self.states.len() >= limits.max_states {
            return None;
        }
        let id = self.states.len() as u32;
        self.index.insert(self.key.clone(), id);
        self.states.push(st.clone());
        self.settled.push(how);
        self.parent.push(from);
        Some(id)
    }
}

/// Explores every run of `sc` within `limits`.
pub fn explore(sc: &Scenario, limits: Limits) -> Exploration {
    explore_graph(sc, limits).0
}

/// Explores every run of `sc` within `limits`, keeping the state graph.
pub(super) fn explore_graph(sc: &Scenario, limits: Limits) -> (Exploration, StateGraph) {
    let proj = Projection::new(sc);
    let mut g = Graph {
        states: Vec::new(),
        settled: Vec::new(),
        parent: Vec::new(),
        index: FxHashMap::default(),
        edges: Vec::new(),
        first: Vec::new(),
        node_reached: vec![false; sc.nodes.len()],
        witness_via: vec![None; sc.nodes.len()],
        key: Vec::new(),
    };
    let mut cut = false;
    let mut choice_available = vec![false; sc.choices.len()];
    let mut stuck = Vec::new();
    let mut undominated = vec![false; sc.choices.len()];

    let mut passed = Vec::new();
    let mut init = State::initial(sc);
    let Ok(how) = init.enter(sc, sc.start, &mut |n| passed.push(n)) else {
        let none = StateGraph {
            states: Vec::new(),
            settled: Vec::new(),
            edges: Vec::new(),
            first: vec![0],
        };
        return (empty(sc), none);
    };
    g.add(&proj, limits, &init, how, None, &passed);

    // Reused for every state and move: a state seen before costs no allocation.
    let mut st = init.clone();
    let mut s2 = init;
    let mut avail: Vec<ChoiceIdx> = Vec::new();
    let mut next = 0usize;
    while next < g.states.len() {
        let id = next as u32;
        st.clone_from(&g.states[next]);
        let how = g.settled[next];
        next += 1;
        g.first.push(g.edges.len() as u32);
        let node = &sc.nodes[st.node as usize];
        let mut follow = |g: &mut Graph, s2: &State, how, step, passed: &[NodeIdx]| match g.add(
            &proj,
            limits,
            s2,
            how,
            Some((id, step)),
            passed,
        ) {
            Some(to) => g.edges.push(Edge { to, step }),
            None => cut = true,
        };
        match (&node.kind, how) {
            (
                NodeKind::Decision {
                    choices,
                    time_limit,
                },
                _,
            ) => {
                let timeout = time_limit.map(|t| t.on_timeout);
                avail.clear();
                avail.extend(choices.iter().copied().filter(|&c| st.available(sc, c)));
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
                    s2.clone_from(&st);
                    passed.clear();
                    if let Ok(how) = s2.take(sc, c, &mut |n| passed.push(n)) {
                        follow(&mut g, &s2, how, Step::Choice(c), &passed);
                    }
                }
                if !any && !stuck.contains(&st.node) {
                    stuck.push(st.node);
                }
            }
            (NodeKind::Random(branches), _) => {
                for (k, b) in branches.iter().enumerate() {
                    s2.clone_from(&st);
                    passed.clear();
                    if let Ok(how) = s2.enter(sc, b.next, &mut |n| passed.push(n)) {
                        let step = Step::Draw {
                            node: st.node,
                            branch: k as u32,
                        };
                        follow(&mut g, &s2, how, step, &passed);
                    }
                }
            }
            _ => {}
        }
    }
    g.first.push(g.edges.len() as u32);

    let mut rule_breakable = vec![false; sc.rules.len()];
    for (st, how) in g.states.iter().zip(&g.settled) {
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
    let (ranges, range_witness, scoring_loops, guaranteed) = ranges(sc, &g);
    let ex = Exploration {
        states: g.states.len(),
        edges: g.edges.len(),
        cut,
        node_reached: g.node_reached,
        choice_available,
        parent: g.parent,
        witness_via: g.witness_via,
        stuck,
        ranges,
        range_witness,
        scoring_loops,
        guaranteed_max: guaranteed,
        dominated,
        rule_breakable,
    };
    let graph = StateGraph {
        states: g.states,
        settled: g.settled,
        edges: g.edges,
        first: g.first,
    };
    (ex, graph)
}

fn empty(sc: &Scenario) -> Exploration {
    Exploration {
        states: 0,
        edges: 0,
        cut: false,
        node_reached: vec![false; sc.nodes.len()],
        choice_available: vec![false; sc.choices.len()],
        parent: Vec::new(),
        witness_via: vec![None; sc.nodes.len()],
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
fn ranges(sc: &Scenario, graph: &Graph) -> Ranges {
    let g = sc.goals.len();
    let n = graph.states.len();
    let out = |s: u32| {
        &graph.edges[graph.first[s as usize] as usize..graph.first[s as usize + 1] as usize]
    };
    let nothing = || {
        (
            vec![GoalRange { min: 0, max: 0 }; g],
            vec![(Vec::new(), Vec::new()); g],
        )
    };
    // Per state, `g` extremes side by side; `known[s]` says whether state `s` has them.
    let mut best: Vec<Extremes> = Vec::with_capacity(n * g);
    best.resize(
        n * g,
        Extremes {
            min: 0,
            max: 0,
            gmax: 0,
            argmin: u32::MAX,
            argmax: u32::MAX,
        },
    );
    let mut known = vec![false; n];
    let mut color = vec![0u8; n]; // 0 new, 1 on stack, 2 done
    let mut loops = Vec::new();
    if n == 0 {
        let (r, w) = nothing();
        return (r, w, loops, vec![0; g]);
    }
    let mut stack: Vec<(u32, usize)> = vec![(0, 0)];
    color[0] = 1;
    while let Some(&mut (s, ref mut k)) = stack.last_mut() {
        let edges = out(s);
        if *k < edges.len() {
            let e = edges[*k];
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
        let st = &graph.states[s as usize];
        let here = s as usize * g;
        if graph.settled[s as usize] == Settled::Ending {
            for j in 0..g {
                best[here + j] = Extremes {
                    min: 0,
                    max: 0,
                    gmax: 0,
                    argmin: u32::MAX,
                    argmax: u32::MAX,
                };
            }
            for (i, r) in sc.rules.iter().enumerate() {
                if st.violates(sc, i) {
                    for (x, v) in best[here..here + g].iter_mut().zip(&r.penalty) {
                        x.min += v;
                        x.max += v;
                        x.gmax += v;
                    }
                }
            }
            known[s as usize] = true;
            continue;
        }
        let chance = graph.settled[s as usize] == Settled::Draw;
        for (ei, e) in edges.iter().enumerate() {
            // A loop back (not done yet) is skipped: its repetition is not counted.
            if color[e.to as usize] != 2 || !known[e.to as usize] {
                continue;
            }
            let pts = match e.step {
                Step::Choice(c) => Some(&sc.choices[c as usize].points),
                Step::Draw { .. } => None,
            };
            if !known[s as usize] {
                known[s as usize] = true;
                for j in 0..g {
                    best[here + j] = Extremes {
                        min: i64::MAX,
                        max: i64::MIN,
                        gmax: if chance { i64::MAX } else { i64::MIN },
                        argmin: 0,
                        argmax: 0,
                    };
                }
            }
            let there = e.to as usize * g;
            for j in 0..g {
                let p = pts.map_or(0, |p| p[j]);
                let sub = best[there + j];
                let acc = &mut best[here + j];
                let (lo, hi, gm) = (sub.min + p, sub.max + p, sub.gmax + p);
                if lo < acc.min {
                    acc.min = lo;
                    acc.argmin = ei as u32;
                }
                if hi > acc.max {
                    acc.max = hi;
                    acc.argmax = ei as u32;
                }
                acc.gmax = if chance {
                    acc.gmax.min(gm)
                } else {
                    acc.gmax.max(gm)
                };
            }
        }
    }
    if !known[0] {
        let (r, w) = nothing();
        return (r, w, loops, vec![0; g]);
    }
    let follow = |goal: usize, want_max: bool| {
        let mut s = 0u32;
        let mut steps = Vec::new();
        while known[s as usize] {
            let b = &best[s as usize * g + goal];
            let ei = if want_max { b.argmax } else { b.argmin };
            let Some(e) = out(s).get(ei as usize) else {
                break;
            };
            steps.push(e.step);
            s = e.to;
        }
        steps
    };
    let root = &best[..g];
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
