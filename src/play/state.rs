//! The rules of motion: the minimal state of a run and how choices and nodes change it.
//!
//! [`State`] is shared by the [`crate::play::Session`] (one run, with a seeded generator) and
//! by [`crate::analysis`] (every run at once), so both follow exactly the same semantics.

use serde::{Deserialize, Serialize};

use crate::scenario::expr::{AssignOp, Effect, Env, Target};
use crate::scenario::model::{
    ChoiceIdx, MOOD_RANGE, NodeIdx, NodeKind, RuleKind, Scenario, TRUST_RANGE, UNTRACKED,
};

/// Longest chain of automatic steps (goto and random nodes) before a run is declared stuck.
pub const MAX_AUTOMATIC_STEPS: u32 = 10_000;

/// Everything that decides what happens next in a run.
#[derive(Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct State {
    pub node: NodeIdx,
    pub vars: Vec<i64>,
    pub moods: Vec<i64>,
    pub trust: Vec<i64>,
    /// Visit counts per slot: nodes, then choices.
    pub visits: Vec<u32>,
    /// Decisions made so far.
    pub decisions: u32,
    /// Bit per rule: set when a `Within` rule's target was reached in time.
    pub in_time: u64,
}

/// Where a run stands after moving.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// Waiting for the trainee at a decision node.
    Decision,
    /// At an ending.
    Ending,
    /// At a random node: the caller draws a branch and calls [`State::enter`] with it.
    Draw,
}

impl Clone for State {
    fn clone(&self) -> State {
        State {
            node: self.node,
            vars: self.vars.clone(),
            moods: self.moods.clone(),
            trust: self.trust.clone(),
            visits: self.visits.clone(),
            decisions: self.decisions,
            in_time: self.in_time,
        }
    }

    /// Field by field, reusing the vectors' memory: the analysis copies a state for every move
    /// it tries, and most moves lead to states it knows already.
    fn clone_from(&mut self, other: &State) {
        self.node = other.node;
        self.vars.clone_from(&other.vars);
        self.moods.clone_from(&other.moods);
        self.trust.clone_from(&other.trust);
        self.visits.clone_from(&other.visits);
        self.decisions = other.decisions;
        self.in_time = other.in_time;
    }
}

impl State {
    /// The state before the start node is entered.
    pub fn initial(sc: &Scenario) -> State {
        State {
            node: sc.start,
            vars: sc.variables.iter().map(|v| v.initial).collect(),
            moods: sc.characters.iter().map(|c| c.mood).collect(),
            trust: sc.characters.iter().map(|c| c.trust).collect(),
            visits: vec![0; sc.tracked.len()],
            decisions: 0,
            in_time: 0,
        }
    }

    pub fn env<'a>(&'a self, sc: &'a Scenario) -> Env<'a> {
        Env {
            vars: &self.vars,
            moods: &self.moods,
            trust: &self.trust,
            visits: &self.visits,
            track: &sc.track,
        }
    }

    /// Visit count of a slot (0 for slots nothing reads, which are not counted).
    pub fn visits_of(&self, sc: &Scenario, slot: u32) -> u32 {
        match sc.track.get(slot as usize) {
            Some(&i) if i != UNTRACKED => self.visits[i as usize],
            _ => 0,
        }
    }

    /// Whether a choice's condition holds now.
    pub fn available(&self, sc: &Scenario, c: ChoiceIdx) -> bool {
        sc.choices[c as usize]
            .condition
            .as_ref()
            .is_none_or(|cond| cond.eval(&self.env(sc)) != 0)
    }

    fn visit(&mut self, sc: &Scenario, slot: u32) {
        match sc.track.get(slot as usize) {
            Some(&i) if i != UNTRACKED => {
                let v = &mut self.visits[i as usize];
                *v = v.saturating_add(1);
            }
            _ => return,
        }
        for (i, r) in sc.rules.iter().enumerate() {
            if let RuleKind::Within { target, decisions } = r.kind
                && target == slot
                && self.decisions <= decisions
                && i < 64
            {
                self.in_time |= 1 << i;
            }
        }
    }

    fn apply(&mut self, sc: &Scenario, e: &Effect) {
        let value = e.value.eval(&self.env(sc));
        let combine = |old: i64| match e.op {
            AssignOp::Set => value,
            AssignOp::Add => old.saturating_add(value),
            AssignOp::Sub => old.saturating_sub(value),
        };
        match e.target {
            Target::Var(i) => {
                let i = i as usize;
                self.vars[i] = sc.variables[i].clamp(combine(self.vars[i]));
            }
            Target::Mood(i) => {
                let i = i as usize;
                self.moods[i] = combine(self.moods[i]).clamp(MOOD_RANGE.0, MOOD_RANGE.1);
            }
            Target::Trust(i) => {
                let i = i as usize;
                self.trust[i] = combine(self.trust[i]).clamp(TRUST_RANGE.0, TRUST_RANGE.1);
            }
        }
    }

    /// Enters `node` and follows pass-through nodes until a decision, an ending or a draw.
    /// `entered` is told every node entered, in order.
    pub fn enter(
        &mut self,
        sc: &Scenario,
        mut node: NodeIdx,
        entered: &mut impl FnMut(NodeIdx),
    ) -> Result<Settled, Stuck> {
        for _ in 0..MAX_AUTOMATIC_STEPS {
            self.node = node;
            self.visit(sc, sc.slot_of_node(node));
            let n = &sc.nodes[node as usize];
            for line in &n.lines {
                if let (Some(s), true) = (line.speaker, line.mood != 0) {
                    let m = &mut self.moods[s as usize];
                    *m = m
                        .saturating_add(line.mood)
                        .clamp(MOOD_RANGE.0, MOOD_RANGE.1);
                }
            }
            for e in &n.effects {
                self.apply(sc, e);
            }
            entered(node);
            match &n.kind {
                NodeKind::Goto(next) => node = *next,
                NodeKind::Decision { .. } => return Ok(Settled::Decision),
                NodeKind::Ending(_) => return Ok(Settled::Ending),
                NodeKind::Random(_) => return Ok(Settled::Draw),
            }
        }
        Err(Stuck { node })
    }

    /// Makes choice `c` (the caller has checked it is offered and available) and enters its
    /// target node.
    pub fn take(
        &mut self,
        sc: &Scenario,
        c: ChoiceIdx,
        entered: &mut impl FnMut(NodeIdx),
    ) -> Result<Settled, Stuck> {
        let choice = &sc.choices[c as usize];
        self.decisions = self.decisions.saturating_add(1);
        self.visit(sc, sc.slot_of_choice(c));
        for e in &choice.effects {
            self.apply(sc, e);
        }
        self.enter(sc, choice.next, entered)
    }

    /// Whether rule `i` is violated by the run so far (meaningful at an ending).
    pub fn violates(&self, sc: &Scenario, i: usize) -> bool {
        match sc.rules[i].kind {
            RuleKind::MustVisit(s) => self.visits_of(sc, s) == 0,
            RuleKind::MustAvoid(s) => self.visits_of(sc, s) > 0,
            RuleKind::Within { .. } => i >= 64 || self.in_time & (1 << i) == 0,
        }
    }
}

/// A chain of automatic steps that never settles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("automatic steps never reach a decision or ending (loop through node {node})")]
pub struct Stuck {
    pub node: NodeIdx,
}
