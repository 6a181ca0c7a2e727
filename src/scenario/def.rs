//! The authoring format: plain serde types that mirror a scenario RON file one to one.
//!
//! These types are what a trainer writes. They hold strings, not indices, and expressions as
//! source text; [`crate::scenario::compile`] checks them and turns them into the resolved,
//! immutable [`crate::scenario::Scenario`] the runtime plays. docs/scenario-format.md documents
//! every field with an example.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One scenario file.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioDef {
    /// Stable id, used in records and exports: lowercase letters, digits, `-` and `_`.
    pub id: String,
    /// Version of the content (e.g. "1.2.0"); records keep it with every attempt.
    pub version: String,
    pub title: String,
    /// Language of the text, e.g. "nl".
    pub language: String,
    pub kind: CaseKind,
    pub summary: String,
    /// Who the case is written for (e.g. "wijkteammedewerkers").
    #[serde(default)]
    pub audience: String,
    /// Study time in minutes (for accreditation, excluding test time).
    pub study_minutes: u32,
    /// Expertise goals trained, by goal id, with their weight in the overall score (0 < w ≤ 10).
    pub goals: BTreeMap<String, f64>,
    pub pass: PassDef,
    #[serde(default)]
    pub characters: Vec<CharacterDef>,
    /// Where the case happens: the places nodes name in `place`.
    #[serde(default)]
    pub places: Vec<PlaceDef>,
    #[serde(default)]
    pub variables: Vec<VariableDef>,
    /// Id of the first node.
    pub start: String,
    pub nodes: Vec<NodeDef>,
    #[serde(default)]
    pub rules: Vec<RuleDef>,
    /// Questions the trainee is asked to reflect on in every debrief.
    #[serde(default)]
    pub reflection: Vec<String>,
}

/// The kind of case, used to group the library.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum CaseKind {
    Safety,
    Divorce,
    Crisis,
}

impl CaseKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseKind::Safety => "safety",
            CaseKind::Divorce => "divorce",
            CaseKind::Crisis => "crisis",
        }
    }
}

/// What a run needs to pass, beyond reaching an accepted ending with every must-do met and no
/// critical rule broken: the overall score (weighted mean of the goal scores) and a floor per
/// goal, each in 0..=1.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PassDef {
    pub overall: f64,
    /// Floors of single goals; a goal not named here has the floor `floor`.
    #[serde(default)]
    pub goals: BTreeMap<String, f64>,
    /// The floor of every goal not named in `goals` (default [`DEFAULT_FLOOR`]).
    #[serde(default)]
    pub floor: Option<f64>,
    /// Whether a run that ends in a `Partial` outcome can pass (default: only `Safe` passes).
    #[serde(default)]
    pub accept_partial: bool,
}

/// The floor of a goal when the scenario sets none: half the credit the goal can earn.
pub const DEFAULT_FLOOR: f64 = 0.5;

/// A person in the case. Mood runs from -3 (very upset) to 3 (at ease), trust from 0 to 5.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CharacterDef {
    pub id: String,
    pub name: String,
    /// Role in the case, shown in the case file (e.g. "moeder", "dochter, 13 jaar").
    pub role: String,
    #[serde(default)]
    pub mood: i64,
    #[serde(default = "default_trust")]
    pub trust: i64,
    /// Optional portrait image, relative to the scenario's folder.
    #[serde(default)]
    pub portrait: Option<String>,
    /// Age in years, when it matters for how the person is drawn.
    #[serde(default)]
    pub age: Option<u32>,
    /// What kind of person: drawn by it. Without it, follows from `age` (adult when neither).
    #[serde(default)]
    pub kind: Option<PersonKind>,
}

/// What kind of person a character is; the scene draws each differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum PersonKind {
    /// Under 2 years.
    Baby,
    /// 2 to 11 years.
    Child,
    /// 12 to 17 years.
    Teen,
    /// A parent, relative or other adult.
    Adult,
    /// A professional at work (teacher, social worker, police officer, judge …).
    Professional,
}

impl PersonKind {
    /// The kind that follows from an age in years.
    pub fn from_age(age: u32) -> PersonKind {
        match age {
            0..=1 => PersonKind::Baby,
            2..=11 => PersonKind::Child,
            12..=17 => PersonKind::Teen,
            _ => PersonKind::Adult,
        }
    }
}

/// A place where part of the case happens.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceDef {
    pub id: String,
    /// Shown in the scene, e.g. "Keuken, bij Rick thuis".
    pub name: String,
    /// What the scene draws.
    pub backdrop: Backdrop,
    /// After dark: the scene is lit as at night.
    #[serde(default)]
    pub night: bool,
    /// The people present are on the phone with the trainee, not in the room.
    #[serde(default)]
    pub phone: bool,
}

/// The setting the scene draws for a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum Backdrop {
    Kitchen,
    LivingRoom,
    School,
    Office,
    Meeting,
    Car,
    Street,
    Court,
    Hospital,
}

fn default_trust() -> i64 {
    2
}

/// A typed scenario variable with its initial value and, for integers, optional bounds.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VariableDef {
    pub id: String,
    pub value: ValueDef,
    #[serde(default)]
    pub min: Option<i64>,
    #[serde(default)]
    pub max: Option<i64>,
}

/// A variable's initial value; the variant fixes its type.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
pub enum ValueDef {
    Int(i64),
    Bool(bool),
}

/// A node: what happens at one moment of the case.
///
/// A node is exactly one of: a decision (`choices`), a random draw (`random`), a pass-through
/// (`goto`) or an `ending`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NodeDef {
    pub id: String,
    /// Case-time label shown to the trainee, e.g. "week 2, dinsdag". Carries over to later nodes.
    #[serde(default)]
    pub time: Option<String>,
    /// Id of the place where the node happens. Carries over to later nodes.
    #[serde(default)]
    pub place: Option<String>,
    /// Who is present, by character id. Without it: the speakers of the lines, plus whoever was
    /// present at the previous node if the place stays the same.
    #[serde(default)]
    pub present: Option<Vec<String>>,
    #[serde(default)]
    pub lines: Vec<LineDef>,
    /// Facts added to the trainee's case file when the node is entered.
    #[serde(default)]
    pub facts: Vec<String>,
    /// Effects applied when the node is entered.
    #[serde(default)]
    pub effects: Vec<String>,
    #[serde(default)]
    pub choices: Vec<ChoiceDef>,
    /// A time limit on the decision, with the choice that is made when it runs out.
    #[serde(default)]
    pub time_limit: Option<TimeLimitDef>,
    #[serde(default)]
    pub random: Vec<BranchDef>,
    #[serde(default)]
    pub goto: Option<String>,
    #[serde(default)]
    pub ending: Option<EndingDef>,
}

/// One line of narrative. Without a speaker it is narration.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LineDef {
    #[serde(default)]
    pub speaker: Option<String>,
    pub text: String,
    /// Change of the speaker's mood when the line is shown.
    #[serde(default)]
    pub mood: Option<i64>,
}

/// A choice the trainee can make at a decision node.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceDef {
    /// Unique in the whole scenario (nodes and choices share one namespace).
    pub id: String,
    pub text: String,
    /// Boolean expression; when false the choice is locked.
    #[serde(default)]
    pub condition: Option<String>,
    /// Why the choice is locked, shown in practice mode.
    #[serde(default)]
    pub locked_reason: Option<String>,
    #[serde(default)]
    pub effects: Vec<String>,
    /// Points per goal id, positive or negative.
    #[serde(default)]
    pub points: BTreeMap<String, i64>,
    /// The expert's explanation of why this choice is (not) good practice.
    pub rationale: String,
    /// The source the rationale rests on, e.g. "Afwegingskader meldcode, vraag 2".
    pub source: String,
    /// Marks the choice the expert would make here (one per decision node).
    #[serde(default)]
    pub expert: bool,
    pub next: String,
}

/// A time limit on a decision node.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TimeLimitDef {
    pub seconds: u32,
    /// What happens when time runs out: a choice like any other, but never offered as a button.
    pub on_timeout: ChoiceDef,
}

/// One weighted outcome of a random draw.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BranchDef {
    pub weight: u32,
    pub next: String,
    /// Optional label for analysis and graphs, e.g. "vader is aanwezig".
    #[serde(default)]
    pub label: Option<String>,
}

/// The end of a case.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EndingDef {
    pub outcome: Outcome,
    pub title: String,
    /// Explains the professional norm in this ending; true of every run that reaches it.
    pub debrief: String,
    /// Paragraphs added to the debrief only when their condition holds at the end of the run,
    /// so that an ending reached by different paths credits only what this run did.
    #[serde(default)]
    pub parts: Vec<EndingPartDef>,
}

/// A paragraph of an ending's debrief that depends on the run.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EndingPartDef {
    /// Boolean expression over the run, e.g. `visited(c_screenen)` or `!visited(c_melden)`.
    pub when: String,
    pub text: String,
}

/// The category of an ending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum Outcome {
    /// The children are safe and the help fits.
    Safe,
    /// A workable result with clear shortcomings.
    Partial,
    /// Unsafety continues or the response was out of proportion.
    Unsafe,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Safe => "safe",
            Outcome::Partial => "partial",
            Outcome::Unsafe => "unsafe",
        }
    }
}

/// A path rule checked over the whole attempt.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    pub id: String,
    pub kind: RuleKind,
    /// A critical violation fails the attempt whatever the points.
    #[serde(default)]
    pub critical: bool,
    /// Points per goal added when the rule is violated (usually negative).
    #[serde(default)]
    pub penalty: BTreeMap<String, i64>,
    /// Shown in the debrief when violated.
    pub message: String,
}

/// What a rule demands. Targets are node or choice ids.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub enum RuleKind {
    MustVisit(String),
    MustAvoid(String),
    /// Reach `target` within `decisions` decisions from the start.
    Within {
        target: String,
        decisions: u32,
    },
}

/// The goals catalogue, `scenarios/goals.ron`: the expertise goals scenarios refer to by id.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GoalsDef {
    pub goals: Vec<GoalDef>,
}

/// One expertise goal with its name and definition in Dutch and English.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GoalDef {
    /// Stable id; appears in records and exports, never change it.
    pub id: String,
    pub name: Translated,
    pub definition: Translated,
}

/// A text in Dutch and English.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Translated {
    pub nl: String,
    pub en: String,
}
