//! The checked, immutable scenario the runtime plays: ids resolved to indices, expressions compiled.

use std::path::PathBuf;

use serde::Serialize;

use super::def::{Backdrop, CaseKind, Outcome, PersonKind, Translated};
use super::expr::{Effect, Expr, Type};

/// Index of a node in [`Scenario::nodes`].
pub type NodeIdx = u32;
/// Index of a choice in [`Scenario::choices`].
pub type ChoiceIdx = u32;

/// Mood range of a character.
pub const MOOD_RANGE: (i64, i64) = (-3, 3);
/// Trust range of a character.
pub const TRUST_RANGE: (i64, i64) = (0, 5);

/// A checked scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub id: String,
    pub version: String,
    pub title: String,
    pub language: String,
    pub kind: CaseKind,
    pub summary: String,
    pub audience: String,
    pub study_minutes: u32,
    /// Goals trained, in the order of the catalogue; points vectors follow this order.
    pub goals: Vec<ScenarioGoal>,
    pub pass_overall: f64,
    /// Whether a `Partial` ending can pass (a `Safe` one can, an `Unsafe` one never).
    pub accept_partial: bool,
    pub characters: Vec<Character>,
    pub places: Vec<Place>,
    pub variables: Vec<Variable>,
    pub start: NodeIdx,
    pub nodes: Vec<Node>,
    pub choices: Vec<Choice>,
    pub rules: Vec<Rule>,
    pub reflection: Vec<String>,
    /// SHA-256 of the file's bytes, hex: ties records to the exact text played.
    pub content_hash: String,
    pub path: Option<PathBuf>,
    /// Lowest and highest total reachable per goal (same order as `goals`), from the analysis.
    pub ranges: Vec<GoalRange>,
    /// False when the analysis behind `ranges` was cut short by a bound.
    pub ranges_exact: bool,
    /// Per visit slot: its index among the tracked slots, or [`UNTRACKED`]. Only slots that an
    /// expression or a rule reads are counted, so a run's state stays small.
    pub track: Vec<u32>,
    /// The tracked slots, in index order.
    pub tracked: Vec<u32>,
}

/// Marks a visit slot nothing reads.
pub const UNTRACKED: u32 = u32::MAX;

/// A goal as this scenario trains it.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioGoal {
    pub id: String,
    pub name: Translated,
    pub weight: f64,
    /// The floor this goal's score must reach for a pass (the author's, or the default).
    pub threshold: f64,
}

/// Lowest and highest total points a goal can reach in a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct GoalRange {
    pub min: i64,
    pub max: i64,
}

#[derive(Debug, Clone)]
pub struct Character {
    pub id: String,
    pub name: String,
    pub role: String,
    pub mood: i64,
    pub trust: i64,
    pub portrait: Option<String>,
    pub age: Option<u32>,
    pub kind: PersonKind,
}

/// A place where part of the case happens.
#[derive(Debug, Clone)]
pub struct Place {
    pub id: String,
    pub name: String,
    pub backdrop: Backdrop,
    pub night: bool,
    pub phone: bool,
}

#[derive(Debug, Clone)]
pub struct Variable {
    pub id: String,
    pub ty: Type,
    /// Booleans are 0 and 1.
    pub initial: i64,
    pub min: Option<i64>,
    pub max: Option<i64>,
}

impl Variable {
    /// Clamps a new value into the variable's bounds.
    pub fn clamp(&self, v: i64) -> i64 {
        match self.ty {
            Type::Bool => i64::from(v != 0),
            Type::Int => v
                .max(self.min.unwrap_or(i64::MIN))
                .min(self.max.unwrap_or(i64::MAX)),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Node {
    pub id: String,
    pub time: Option<String>,
    /// Index in [`Scenario::places`]; `None` keeps the place of the node before.
    pub place: Option<u32>,
    /// Character indices present; `None` follows the default (see [`crate::play::scene`]).
    pub present: Option<Vec<u32>>,
    pub lines: Vec<Line>,
    pub facts: Vec<String>,
    pub effects: Vec<Effect>,
    pub kind: NodeKind,
}

#[derive(Debug, Clone)]
pub struct Line {
    /// Character index; `None` is narration.
    pub speaker: Option<u32>,
    pub text: String,
    pub mood: i64,
}

#[derive(Debug, Clone)]
pub enum NodeKind {
    Decision {
        /// The choices offered, in the author's order.
        choices: Vec<ChoiceIdx>,
        time_limit: Option<TimeLimit>,
    },
    Random(Vec<Branch>),
    Goto(NodeIdx),
    Ending(Ending),
}

#[derive(Debug, Clone, Copy)]
pub struct TimeLimit {
    pub seconds: u32,
    pub on_timeout: ChoiceIdx,
}

#[derive(Debug, Clone)]
pub struct Branch {
    pub weight: u32,
    pub next: NodeIdx,
    pub label: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Ending {
    pub outcome: Outcome,
    pub title: String,
    pub debrief: String,
    /// Paragraphs shown only when their condition holds at the end of the run.
    pub parts: Vec<EndingPart>,
}

#[derive(Debug, Clone)]
pub struct EndingPart {
    pub when: Expr,
    pub when_src: String,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct Choice {
    pub id: String,
    pub node: NodeIdx,
    pub text: String,
    pub condition: Option<Expr>,
    pub condition_src: Option<String>,
    pub locked_reason: Option<String>,
    pub effects: Vec<Effect>,
    /// Points per goal, dense, in the order of [`Scenario::goals`].
    pub points: Vec<i64>,
    pub rationale: String,
    pub source: String,
    pub expert: bool,
    pub next: NodeIdx,
    /// True for the choice made when a time limit runs out.
    pub is_timeout: bool,
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub kind: RuleKind,
    pub critical: bool,
    /// Dense, in the order of [`Scenario::goals`].
    pub penalty: Vec<i64>,
    pub message: String,
}

/// Rule targets are visit slots (see [`Scenario::slot_of_node`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKind {
    MustVisit(u32),
    MustAvoid(u32),
    Within { target: u32, decisions: u32 },
}

impl Scenario {
    /// Visit slots: nodes first, then choices.
    pub fn slot_count(&self) -> usize {
        self.nodes.len() + self.choices.len()
    }
    pub fn slot_of_node(&self, n: NodeIdx) -> u32 {
        n
    }
    pub fn slot_of_choice(&self, c: ChoiceIdx) -> u32 {
        self.nodes.len() as u32 + c
    }
    /// The node or choice id of a visit slot.
    pub fn slot_id(&self, slot: u32) -> &str {
        let n = self.nodes.len() as u32;
        if slot < n {
            &self.nodes[slot as usize].id
        } else {
            &self.choices[(slot - n) as usize].id
        }
    }
    pub fn node_by_id(&self, id: &str) -> Option<NodeIdx> {
        self.nodes
            .iter()
            .position(|n| n.id == id)
            .map(|i| i as NodeIdx)
    }
    pub fn choice_by_id(&self, id: &str) -> Option<ChoiceIdx> {
        self.choices
            .iter()
            .position(|c| c.id == id)
            .map(|i| i as ChoiceIdx)
    }
    pub fn goal_index(&self, id: &str) -> Option<usize> {
        self.goals.iter().position(|g| g.id == id)
    }
    /// The choices offered at a node (empty unless it is a decision).
    pub fn offered(&self, n: NodeIdx) -> &[ChoiceIdx] {
        match &self.nodes[n as usize].kind {
            NodeKind::Decision { choices, .. } => choices,
            _ => &[],
        }
    }
    /// Number of decision nodes.
    pub fn decision_count(&self) -> usize {
        self.nodes
            .iter()
            .filter(|n| matches!(n.kind, NodeKind::Decision { .. }))
            .count()
    }
    /// Whether a run ending in `outcome` can pass: `Safe` always, `Partial` only where the
    /// scenario says so, `Unsafe` never.
    pub fn accepts(&self, outcome: Outcome) -> bool {
        match outcome {
            Outcome::Safe => true,
            Outcome::Partial => self.accept_partial,
            Outcome::Unsafe => false,
        }
    }
    /// Indices of the ending nodes.
    pub fn endings(&self) -> impl Iterator<Item = NodeIdx> + '_ {
        self.nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| matches!(n.kind, NodeKind::Ending(_)))
            .map(|(i, _)| i as NodeIdx)
    }
}
