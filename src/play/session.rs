//! One trainee's run through a scenario: choices, draws, time limits, case file and decision log.
//!
//! A session is deterministic: its seed, the choices made and the clock readings passed in decide
//! everything, so the same inputs replay the identical run on any machine. The whole session
//! serialises (serde, with a format version) and restores; a restored session continues exactly
//! as the original would have.

use std::collections::BTreeMap;
use std::sync::Arc;

use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::rng::{draw, rng_for};
use super::scene::Stage;
use super::state::{Settled, State, Stuck};
use crate::scenario::model::{ChoiceIdx, NodeIdx, NodeKind, Scenario};
use crate::score::{self, Debrief, ScoreReport};

/// Version of the saved-session format.
pub const SAVE_FORMAT: u32 = 1;

/// Practice shows feedback after each choice and allows one step back; exam shows nothing
/// until the debrief.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    #[default]
    Practice,
    Exam,
}

/// A fact in the trainee's case file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fact {
    pub node: String,
    pub time: Option<String>,
    pub text: String,
}

/// One decision that counts (not undone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Made {
    pub node: NodeIdx,
    pub choice: ChoiceIdx,
    /// The expert's choice there (see [`score::expert_advice`]).
    pub expert: Option<ChoiceIdx>,
    /// Whether the expert's choice was open to the trainee (not locked by earlier decisions).
    pub expert_open: bool,
    pub timed_out: bool,
    pub took_ms: u64,
    /// Case-time label when the decision was made.
    pub time: Option<String>,
}

/// An entry of the append-only decision log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LogEntry {
    Decision {
        seq: u32,
        node: String,
        choice: String,
        at_ms: u64,
        took_ms: u64,
        points: BTreeMap<String, i64>,
        timed_out: bool,
    },
    Draw {
        seq: u32,
        node: String,
        branch: u32,
        next: String,
    },
    StepBack {
        seq: u32,
        at_ms: u64,
        undone: String,
    },
}

/// The part of a session that a step back restores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Run {
    state: State,
    points: Vec<i64>,
    rng_pos: [u64; 2],
    case_file: Vec<Fact>,
    time_label: Option<String>,
    /// Nodes whose lines are on screen: those entered since the last decision.
    shown: Vec<NodeIdx>,
    entered_at_ms: u64,
    path: Vec<Made>,
    /// Where the case is and who is there (sessions saved before it had this start empty).
    #[serde(default)]
    stage: Stage,
    /// The stage at each node in `shown`.
    #[serde(default)]
    stages: Vec<Stage>,
}

/// A session as saved: everything needed to continue it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedSession {
    pub format: u32,
    pub scenario_id: String,
    pub scenario_version: String,
    pub content_hash: String,
    pub seed: u64,
    pub mode: Mode,
    run: Run,
    undo: Option<Box<Run>>,
    pub log: Vec<LogEntry>,
}

/// What a choice did, for feedback.
#[derive(Debug, Clone, PartialEq)]
pub struct Feedback {
    pub choice: ChoiceIdx,
    /// Points per goal, scenario order.
    pub points: Vec<i64>,
    pub timed_out: bool,
    /// The expert's choice at that moment, when it differs from the one made.
    pub expert: Option<ChoiceIdx>,
    /// Whether that choice was open (false: earlier decisions locked it).
    pub expert_open: bool,
    /// (character, mood before, mood after) for every mood that changed.
    pub moods: Vec<(u32, i64, i64)>,
    pub new_facts: Vec<String>,
    pub finished: bool,
}

/// A choice as offered to the trainee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub choice: ChoiceIdx,
    pub id: String,
    pub text: String,
    pub available: bool,
    pub locked_reason: Option<String>,
}

/// Things a trainee (or a caller) can get wrong; none of them changes the session.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlayError {
    #[error("the session has ended")]
    Finished,
    #[error("there is no node {0}")]
    NoSuchNode(NodeIdx),
    #[error("there is no choice {0} here")]
    NoSuchChoice(usize),
    #[error("this choice is locked: {0}")]
    Locked(String),
    #[error("the time limit has not run out yet")]
    NotTimedOut,
    #[error("there is no time limit here")]
    NoTimeLimit,
    #[error("stepping back is only possible once, right after a choice, in practice mode")]
    CannotStepBack,
    #[error(transparent)]
    Stuck(#[from] Stuck),
}

/// Why a saved session cannot be restored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RestoreError {
    #[error("saved-session format {0} is not supported (this version reads format {SAVE_FORMAT})")]
    Format(u32),
    #[error("the session belongs to scenario `{saved}`, not `{loaded}`")]
    OtherScenario { saved: String, loaded: String },
    #[error("scenario `{0}` has changed since the session was saved")]
    Changed(String),
    #[error("the saved session is damaged: {0}")]
    Damaged(&'static str),
}

/// A run in progress.
#[derive(Debug, Clone)]
pub struct Session {
    sc: Arc<Scenario>,
    seed: u64,
    mode: Mode,
    rng: ChaCha8Rng,
    run: Run,
    undo: Option<Box<Run>>,
    log: Vec<LogEntry>,
}

impl Session {
    /// Starts a run at the scenario's start node, at clock reading 0.
    pub fn new(sc: Arc<Scenario>, seed: u64, mode: Mode) -> Result<Session, PlayError> {
        let start = sc.start;
        Session::starting_at(sc, seed, mode, start, &[])
    }

    /// Starts a run at any node with some variables set first: how authors try out a part of
    /// their case. `vars` are (variable index, value) pairs, clamped to the variable's bounds.
    pub fn starting_at(
        sc: Arc<Scenario>,
        seed: u64,
        mode: Mode,
        node: NodeIdx,
        vars: &[(u32, i64)],
    ) -> Result<Session, PlayError> {
        let mut run = Run {
            state: State::initial(&sc),
            points: vec![0; sc.goals.len()],
            rng_pos: [0, 0],
            case_file: Vec::new(),
            time_label: None,
            shown: Vec::new(),
            entered_at_ms: 0,
            path: Vec::new(),
            stage: Stage::default(),
            stages: Vec::new(),
        };
        for &(v, value) in vars {
            if let Some(var) = sc.variables.get(v as usize) {
                run.state.vars[v as usize] = var.clamp(value);
            }
        }
        if node as usize >= sc.nodes.len() {
            return Err(PlayError::NoSuchNode(node));
        }
        let mut s = Session {
            rng: rng_for(seed),
            sc,
            seed,
            mode,
            run,
            undo: None,
            log: Vec::new(),
        };
        s.advance(node, 0)?;
        Ok(s)
    }

    pub fn scenario(&self) -> &Arc<Scenario> {
        &self.sc
    }
    pub fn seed(&self) -> u64 {
        self.seed
    }
    pub fn mode(&self) -> Mode {
        self.mode
    }
    pub fn state(&self) -> &State {
        &self.run.state
    }
    pub fn node(&self) -> NodeIdx {
        self.run.state.node
    }
    pub fn log(&self) -> &[LogEntry] {
        &self.log
    }
    pub fn case_file(&self) -> &[Fact] {
        &self.run.case_file
    }
    pub fn time_label(&self) -> Option<&str> {
        self.run.time_label.as_deref()
    }
    /// Nodes whose lines are on screen now, in order.
    pub fn shown(&self) -> &[NodeIdx] {
        &self.run.shown
    }
    /// Where the case is now and who is there.
    pub fn stage(&self) -> &Stage {
        &self.run.stage
    }
    /// Where the case was and who was there at each node of [`Session::shown`], in order
    /// (empty for a session saved before stages were kept).
    pub fn stages(&self) -> &[Stage] {
        &self.run.stages
    }
    /// Decisions that count, in order.
    pub fn path(&self) -> &[Made] {
        &self.run.path
    }
    /// Raw points per goal so far (rule penalties not included).
    pub fn points(&self) -> &[i64] {
        &self.run.points
    }
    /// Clock reading at which the current node was entered.
    pub fn entered_at_ms(&self) -> u64 {
        self.run.entered_at_ms
    }
    pub fn is_finished(&self) -> bool {
        matches!(
            self.sc.nodes[self.node() as usize].kind,
            NodeKind::Ending(_)
        )
    }
    pub fn can_step_back(&self) -> bool {
        self.mode == Mode::Practice && self.undo.is_some() && !self.is_finished()
    }

    /// The time limit at the current node, in milliseconds.
    pub fn time_limit_ms(&self) -> Option<u64> {
        match &self.sc.nodes[self.node() as usize].kind {
            NodeKind::Decision {
                time_limit: Some(t),
                ..
            } => Some(u64::from(t.seconds) * 1000),
            _ => None,
        }
    }

    /// The choices at the current node, locked ones included.
    pub fn offers(&self) -> Vec<Offer> {
        self.sc
            .offered(self.node())
            .iter()
            .map(|&c| {
                let ch = &self.sc.choices[c as usize];
                let available = self.run.state.available(&self.sc, c);
                Offer {
                    choice: c,
                    id: ch.id.clone(),
                    text: ch.text.clone(),
                    available,
                    locked_reason: if available {
                        None
                    } else {
                        ch.locked_reason.clone()
                    },
                }
            })
            .collect()
    }

    /// Makes the choice at `position` (0-based, among all offered choices) at clock reading
    /// `at_ms`. A choice that arrives after the time limit is replaced by the time-out choice.
    pub fn choose(&mut self, position: usize, at_ms: u64) -> Result<Feedback, PlayError> {
        if self.is_finished() {
            return Err(PlayError::Finished);
        }
        let offered = self.sc.offered(self.node());
        let &c = offered
            .get(position)
            .ok_or(PlayError::NoSuchChoice(position.saturating_add(1)))?;
        if let Some(limit) = self.time_limit_ms()
            && at_ms.saturating_sub(self.run.entered_at_ms) > limit
        {
            return self.time_out(at_ms);
        }
        if !self.run.state.available(&self.sc, c) {
            let reason = self.sc.choices[c as usize].locked_reason.clone();
            return Err(PlayError::Locked(
                reason.unwrap_or_else(|| "its condition does not hold".into()),
            ));
        }
        self.apply(c, at_ms, false)
    }

    /// Applies the time-out choice once the time limit has run out at clock reading `at_ms`.
    pub fn time_out(&mut self, at_ms: u64) -> Result<Feedback, PlayError> {
        if self.is_finished() {
            return Err(PlayError::Finished);
        }
        let NodeKind::Decision {
            time_limit: Some(t),
            ..
        } = &self.sc.nodes[self.node() as usize].kind
        else {
            return Err(PlayError::NoTimeLimit);
        };
        let (c, limit) = (t.on_timeout, u64::from(t.seconds) * 1000);
        if at_ms.saturating_sub(self.run.entered_at_ms) < limit {
            return Err(PlayError::NotTimedOut);
        }
        self.apply(c, at_ms, true)
    }

    /// Undoes the last choice (practice mode, once). The log keeps both the choice and the
    /// step back.
    pub fn step_back(&mut self, at_ms: u64) -> Result<(), PlayError> {
        if !self.can_step_back() {
            return Err(PlayError::CannotStepBack);
        }
        let undone = self
            .run
            .path
            .last()
            .map(|m| self.sc.choices[m.choice as usize].id.clone())
            .unwrap_or_default();
        let mut prev = *self.undo.take().ok_or(PlayError::CannotStepBack)?;
        prev.entered_at_ms = at_ms;
        self.run = prev;
        self.rng
            .set_word_pos(u128::from(self.run.rng_pos[0]) << 64 | u128::from(self.run.rng_pos[1]));
        let seq = self.log.len() as u32;
        self.log.push(LogEntry::StepBack { seq, at_ms, undone });
        Ok(())
    }

    fn apply(&mut self, c: ChoiceIdx, at_ms: u64, timed_out: bool) -> Result<Feedback, PlayError> {
        let before = self.run.clone();
        let node = self.node();
        let sc = Arc::clone(&self.sc);
        let advice = score::expert_advice(&sc, &self.run.state, node);
        let (expert, expert_open) = (advice.map(|a| a.0), advice.is_none_or(|a| a.1));
        let ch = &sc.choices[c as usize];
        let took_ms = at_ms.saturating_sub(self.run.entered_at_ms);
        for (p, v) in self.run.points.iter_mut().zip(&ch.points) {
            *p += v;
        }
        let points = ch.points.clone();
        let moods_before = self.run.state.moods.clone();
        let facts_before = self.run.case_file.len();
        let mut entered = Vec::new();
        let settled = self.run.state.take(&sc, c, &mut |n| entered.push(n));
        let seq = self.log.len() as u32;
        self.log.push(LogEntry::Decision {
            seq,
            node: sc.nodes[node as usize].id.clone(),
            choice: ch.id.clone(),
            at_ms,
            took_ms,
            points: sc
                .goals
                .iter()
                .zip(&points)
                .filter(|(_, p)| **p != 0)
                .map(|(g, p)| (g.id.clone(), *p))
                .collect(),
            timed_out,
        });
        let time = self.run.time_label.clone();
        self.run.path.push(Made {
            node,
            choice: c,
            expert,
            expert_open,
            timed_out,
            took_ms,
            time,
        });
        self.run.shown.clear();
        self.run.stages.clear();
        self.settle(settled, entered, at_ms)?;
        if self.mode == Mode::Practice {
            self.undo = Some(Box::new(before));
        }
        let moods = moods_before
            .iter()
            .zip(&self.run.state.moods)
            .enumerate()
            .filter(|(_, (a, b))| a != b)
            .map(|(i, (a, b))| (i as u32, *a, *b))
            .collect();
        Ok(Feedback {
            choice: c,
            points,
            timed_out,
            expert: expert.filter(|&e| e != c),
            expert_open,
            moods,
            new_facts: self.run.case_file[facts_before..]
                .iter()
                .map(|f| f.text.clone())
                .collect(),
            finished: self.is_finished(),
        })
    }

    /// Enters `node` and resolves draws.
    fn advance(&mut self, node: NodeIdx, at_ms: u64) -> Result<(), PlayError> {
        let mut entered = Vec::new();
        let sc = Arc::clone(&self.sc);
        let settled = self.run.state.enter(&sc, node, &mut |n| entered.push(n));
        self.settle(settled, entered, at_ms)
    }

    fn settle(
        &mut self,
        mut settled: Result<Settled, Stuck>,
        mut entered: Vec<NodeIdx>,
        at_ms: u64,
    ) -> Result<(), PlayError> {
        let sc = Arc::clone(&self.sc);
        loop {
            for &n in &entered {
                let node = &sc.nodes[n as usize];
                if let Some(t) = &node.time {
                    self.run.time_label = Some(t.clone());
                }
                for f in &node.facts {
                    self.run.case_file.push(Fact {
                        node: node.id.clone(),
                        time: self.run.time_label.clone(),
                        text: f.clone(),
                    });
                }
                self.run.shown.push(n);
                self.run.stage.enter(&sc, n);
                self.run.stages.push(self.run.stage.clone());
            }
            match settled? {
                Settled::Draw => {
                    let n = self.node();
                    let NodeKind::Random(branches) = &sc.nodes[n as usize].kind else {
                        unreachable!("a draw settles only on random nodes")
                    };
                    let k = draw(&mut self.rng, branches);
                    let next = branches[k].next;
                    let pos = self.rng.get_word_pos();
                    self.run.rng_pos = [(pos >> 64) as u64, pos as u64];
                    let seq = self.log.len() as u32;
                    self.log.push(LogEntry::Draw {
                        seq,
                        node: sc.nodes[n as usize].id.clone(),
                        branch: k as u32,
                        next: sc.nodes[next as usize].id.clone(),
                    });
                    entered.clear();
                    settled = self.run.state.enter(&sc, next, &mut |m| entered.push(m));
                }
                Settled::Decision | Settled::Ending => {
                    self.run.entered_at_ms = at_ms;
                    return Ok(());
                }
            }
        }
    }

    /// The score so far; final once [`Session::is_finished`].
    pub fn score(&self) -> ScoreReport {
        score::score(&self.sc, &self.run.state, &self.run.points)
    }

    /// The structured debrief of the run.
    pub fn debrief(&self) -> Debrief {
        score::debrief(&self.sc, &self.run.state, &self.run.points, &self.run.path)
    }

    /// Everything needed to continue the session later.
    pub fn save(&self) -> SavedSession {
        SavedSession {
            format: SAVE_FORMAT,
            scenario_id: self.sc.id.clone(),
            scenario_version: self.sc.version.clone(),
            content_hash: self.sc.content_hash.clone(),
            seed: self.seed,
            mode: self.mode,
            run: self.run.clone(),
            undo: self.undo.clone(),
            log: self.log.clone(),
        }
    }

    /// Continues a saved session; checks that it fits the scenario exactly.
    pub fn restore(sc: Arc<Scenario>, saved: SavedSession) -> Result<Session, RestoreError> {
        if saved.format != SAVE_FORMAT {
            return Err(RestoreError::Format(saved.format));
        }
        if saved.scenario_id != sc.id {
            return Err(RestoreError::OtherScenario {
                saved: saved.scenario_id,
                loaded: sc.id.clone(),
            });
        }
        if saved.content_hash != sc.content_hash {
            return Err(RestoreError::Changed(sc.id.clone()));
        }
        validate(&sc, &saved.run)?;
        if let Some(u) = &saved.undo {
            validate(&sc, u)?;
        }
        let mut rng = rng_for(saved.seed);
        rng.set_word_pos(u128::from(saved.run.rng_pos[0]) << 64 | u128::from(saved.run.rng_pos[1]));
        Ok(Session {
            sc,
            seed: saved.seed,
            mode: saved.mode,
            rng,
            run: saved.run,
            undo: saved.undo,
            log: saved.log,
        })
    }
}

fn validate(sc: &Scenario, run: &Run) -> Result<(), RestoreError> {
    let s = &run.state;
    let node_ok = |n: NodeIdx| (n as usize) < sc.nodes.len();
    if !node_ok(s.node) {
        return Err(RestoreError::Damaged("current node out of range"));
    }
    if !matches!(
        sc.nodes[s.node as usize].kind,
        NodeKind::Decision { .. } | NodeKind::Ending(_)
    ) {
        return Err(RestoreError::Damaged(
            "current node is not a decision or ending",
        ));
    }
    if s.vars.len() != sc.variables.len()
        || s.moods.len() != sc.characters.len()
        || s.trust.len() != sc.characters.len()
        || s.visits.len() != sc.tracked.len()
        || run.points.len() != sc.goals.len()
    {
        return Err(RestoreError::Damaged(
            "state does not match the scenario's shape",
        ));
    }
    if !run.shown.iter().all(|&n| node_ok(n)) {
        return Err(RestoreError::Damaged("shown node out of range"));
    }
    if std::iter::once(&run.stage).chain(&run.stages).any(|st| {
        st.place.is_some_and(|p| p as usize >= sc.places.len())
            || st
                .present
                .iter()
                .any(|&c| c as usize >= sc.characters.len())
    }) {
        return Err(RestoreError::Damaged("scene out of range"));
    }
    let choice_ok = |c: ChoiceIdx| (c as usize) < sc.choices.len();
    if !run
        .path
        .iter()
        .all(|m| node_ok(m.node) && choice_ok(m.choice) && m.expert.is_none_or(choice_ok))
    {
        return Err(RestoreError::Damaged("decision out of range"));
    }
    Ok(())
}
