//! Progress records: trainees, attempts with every decision, goal scores, notes, reflections,
//! and an outbox of xAPI statements — kept in an embedded SQLite database ([`SqliteStore`]),
//! exported as CSV, JSON or xAPI, pushed to a Learning Record Store, and summarised in reports
//! and certificates.
//!
//! The app talks to the store through the [`Store`] trait. Every decision is committed in its own
//! transaction the moment it is made, together with the xAPI statement it produces, so a killed
//! process loses at most the decision in flight.

pub mod certificate;
mod db;
pub mod export;
mod legacy;
pub mod lrs;
pub mod report;
pub mod schema;
pub mod time;
pub mod xapi;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::play::{Mode, SavedSession};

pub use db::SqliteStore;
pub use time::now_ms;

/// A trainee.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// Pseudonymous id (a UUID), used in records and exports.
    pub id: String,
    pub name: String,
    /// SKJ registration number, optional.
    pub skj: Option<String>,
    /// Milliseconds since the Unix epoch.
    pub created_ms: u64,
}

/// Where an attempt stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    InProgress,
    Finished,
    Abandoned,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::InProgress => "in_progress",
            Status::Finished => "finished",
            Status::Abandoned => "abandoned",
        }
    }
    pub fn parse(s: &str) -> Option<Status> {
        [Status::InProgress, Status::Finished, Status::Abandoned]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

/// One goal's result in a finished attempt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoalResult {
    pub goal: String,
    pub raw: i64,
    pub min: i64,
    pub max: i64,
    /// 0–1: the share of the most that can be earned (scoring version 2); from the worst to
    /// the best run under version 1.
    pub scaled: f64,
    /// Whether the goal's floor (threshold) was met.
    pub met: bool,
}

fn scoring_v1() -> u32 {
    1
}

/// The result of a finished attempt, for lists and charts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub overall: f64,
    pub passed: bool,
    pub ending: String,
    pub outcome: String,
    pub goals: Vec<GoalResult>,
    /// The scoring rules the scores and verdict were made under
    /// ([`crate::score::SCORING_VERSION`]); records made before version 2 say 1.
    #[serde(default = "scoring_v1")]
    pub scoring: u32,
}

impl Summary {
    /// The summary of a finished session's score.
    pub fn of(score: &crate::score::ScoreReport) -> Option<Summary> {
        let ending = score.ending.as_ref()?;
        Some(Summary {
            overall: score.overall,
            passed: score.passed,
            ending: ending.id.clone(),
            outcome: ending.outcome.as_str().to_string(),
            scoring: score.scoring_version,
            goals: score
                .goals
                .iter()
                .map(|g| GoalResult {
                    goal: g.id.clone(),
                    raw: g.raw,
                    min: g.min,
                    max: g.max,
                    scaled: g.scaled,
                    met: g.met,
                })
                .collect(),
        })
    }

    /// The scaled score of goal `id`.
    pub fn goal(&self, id: &str) -> Option<f64> {
        self.goals.iter().find(|g| g.goal == id).map(|g| g.scaled)
    }
}

/// One attempt at a scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attempt {
    /// A UUID; the xAPI registration.
    pub id: String,
    pub profile: String,
    pub scenario: String,
    pub title: String,
    /// `safety` or `divorce`.
    pub kind: String,
    pub version: String,
    pub content_hash: String,
    pub study_minutes: u32,
    pub seed: u64,
    pub mode: Mode,
    pub language: String,
    pub started_ms: u64,
    pub finished_ms: Option<u64>,
    pub status: Status,
    /// The session as it stands, for resuming (kept after finishing for the record).
    pub session: Option<SavedSession>,
    pub summary: Option<Summary>,
    pub notes: String,
    pub reflection: String,
    /// Wall-clock time (ms since the epoch) at which each entry of the session log was made,
    /// as far as known: [`Attempt::follow`] stamps new entries. Decision rows and statements
    /// take their time from here, so a decision saved late (after a save failed) keeps the
    /// moment it was made. Not stored as such: it becomes the decisions' `made_ms`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stamps: Vec<u64>,
}

impl Attempt {
    /// A new attempt at `sc`, in progress, with a fresh UUID.
    pub fn start(
        profile: String,
        sc: &crate::scenario::Scenario,
        seed: u64,
        mode: Mode,
    ) -> Attempt {
        Attempt {
            id: new_id(),
            profile,
            scenario: sc.id.clone(),
            title: sc.title.clone(),
            kind: sc.kind.as_str().to_string(),
            version: sc.version.clone(),
            content_hash: sc.content_hash.clone(),
            study_minutes: sc.study_minutes,
            seed,
            mode,
            language: sc.language.clone(),
            started_ms: now_ms(),
            finished_ms: None,
            status: Status::InProgress,
            session: None,
            summary: None,
            notes: String::new(),
            reflection: String::new(),
            stamps: Vec::new(),
        }
    }
}

impl Attempt {
    /// Brings the attempt up to date with its session: the saved session (for resuming and for
    /// the decisions not yet recorded) and, once the case has ended, the result.
    /// Call it right after every step: log entries it has not seen yet are stamped with the
    /// current time.
    pub fn follow(&mut self, session: &crate::play::Session) {
        let entries = session.log().len();
        if self.stamps.len() < entries {
            let now = now_ms();
            self.stamps.resize(entries, now);
        }
        self.session = Some(session.save());
        if session.is_finished() && self.status == Status::InProgress {
            self.summary = Summary::of(&session.score());
            self.status = Status::Finished;
            self.finished_ms = Some(now_ms());
        }
    }
}

/// Longest trainee name kept, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Longest SKJ number kept, in characters.
pub const MAX_SKJ_CHARS: usize = 40;

/// Characters that change how text is shown rather than what it says: control characters
/// (escape sequences, line breaks) and the bidirectional overrides and isolates that reorder
/// text (U+202A–U+202E, U+2066–U+2069).
pub fn is_display_control(c: char) -> bool {
    c.is_control()
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// `s` with every display control replaced by U+FFFD: safe to print in a terminal or a page.
pub fn shown(s: &str) -> String {
    s.chars()
        .map(|c| if is_display_control(c) { '\u{FFFD}' } else { c })
        .collect()
}

/// Checks a trainee's name or SKJ number (`what`) before it is kept.
pub fn check_identity(what: &str, s: &str, max: usize) -> Result<(), StoreError> {
    if s.chars().any(is_display_control) {
        return Err(StoreError::Invalid(format!(
            "the {what} contains control or text-direction characters; type it plainly"
        )));
    }
    if s.chars().count() > max {
        return Err(StoreError::Invalid(format!(
            "the {what} is longer than {max} characters"
        )));
    }
    Ok(())
}

/// Makes a file of personal data readable and writable by its owner only (0600). Other
/// systems keep their own defaults.
pub fn owner_only(path: &std::path::Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(())
    }
}

/// Creates a folder for personal data, and the folders above it that are missing, readable by
/// its owner only (0700); a folder that exists is left as it is.
pub fn private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir)
    }
}

/// Interface settings, remembered between runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub language: String,
    pub font_size: f32,
    pub last_profile: Option<String>,
    /// Folders of cases added in the app (besides the data folder's own and `--scenarios`).
    #[serde(default)]
    pub folders: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            language: "nl".into(),
            font_size: 16.0,
            last_profile: None,
            folders: Vec::new(),
        }
    }
}

/// The organisation's settings for records that leave the desktop (xAPI, certificates).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OrgConfig {
    /// The `homePage` of xAPI account actors: the organisation's own site.
    pub home_page: String,
    /// Base IRI of activity ids (scenarios, decisions, goals) and extensions.
    pub activity_base: String,
    /// Training provider named on certificates.
    pub provider: String,
    /// Accreditation number (e.g. SKJ) named on certificates.
    pub accreditation: String,
    /// Put trainees' display names in xAPI statements (off: the pseudonymous id only).
    pub names_in_statements: bool,
}

impl Default for OrgConfig {
    fn default() -> Self {
        OrgConfig {
            home_page: "https://casus.example/org".into(),
            activity_base: "https://casus.example/xapi".into(),
            provider: String::new(),
            accreditation: String::new(),
            names_in_statements: false,
        }
    }
}

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot use the data directory {0}: {1}")]
    Io(PathBuf, std::io::Error),
    #[error("{0} is not a Casus records database ({1}); it was left untouched")]
    Foreign(PathBuf, String),
    #[error("the records database {0} is damaged ({1}); it was left untouched")]
    Corrupt(PathBuf, String),
    #[error(
        "the records database {0} was written by a newer Casus (schema {1}, this one knows {2})"
    )]
    TooNew(PathBuf, usize, usize),
    #[error(
        "cannot import the records of an earlier Casus from {0} ({1}); it was left untouched — \
         move it away (or to {2} once handled) to go on"
    )]
    Import(PathBuf, String, PathBuf),
    #[error("records database error: {0}")]
    Db(String),
    #[error(
        "the records could not be written ({0}): the disk may be full or the data folder \
         read-only; nothing already saved is lost"
    )]
    Unwritable(String),
    #[error("the records are in use by another program ({0}); try again in a moment")]
    Busy(String),
    #[error("{0}")]
    NotFound(String),
    /// A name or SKJ number that cannot be kept as given.
    #[error("{0}")]
    Invalid(String),
    /// Writing an export, report or certificate failed (the output, not the database).
    #[error("writing the output: {0}")]
    Output(std::io::Error),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as C;
        match e.sqlite_error_code() {
            Some(C::DiskFull | C::SystemIoFailure | C::ReadOnly | C::CannotOpen) => {
                StoreError::Unwritable(e.to_string())
            }
            Some(C::DatabaseBusy | C::DatabaseLocked) => StoreError::Busy(e.to_string()),
            _ => StoreError::Db(e.to_string()),
        }
    }
}

/// Where progress records are kept.
pub trait Store {
    fn profiles(&self) -> &[Profile];
    fn add_profile(&mut self, name: &str, skj: Option<&str>) -> Result<Profile, StoreError>;
    /// Attempts of a profile, oldest first.
    fn attempts(&self, profile: &str) -> Vec<&Attempt>;
    /// Attempts still in progress, newest first.
    fn unfinished(&self, profile: &str) -> Vec<&Attempt> {
        let mut v: Vec<&Attempt> = self
            .attempts(profile)
            .into_iter()
            .filter(|a| a.status == Status::InProgress)
            .collect();
        v.reverse();
        v
    }
    /// Records an attempt as it stands: its session, every decision not yet recorded (appended),
    /// and its result once finished — one transaction. `sc` is the scenario being played.
    fn save_attempt(
        &mut self,
        attempt: &Attempt,
        sc: &crate::scenario::Scenario,
    ) -> Result<(), StoreError>;
    fn save_notes(&mut self, attempt: &str, notes: &str) -> Result<(), StoreError>;
    fn save_reflection(&mut self, attempt: &str, text: &str) -> Result<(), StoreError>;
    /// Closes an attempt that cannot go on. `sc`, when given and still the version played (same
    /// content hash), fills in the `abandoned` statement's definitions.
    fn abandon(
        &mut self,
        attempt: &str,
        sc: Option<&crate::scenario::Scenario>,
    ) -> Result<(), StoreError>;
    fn settings(&self) -> &Settings;
    fn put_settings(&mut self, settings: Settings) -> Result<(), StoreError>;
}

/// A new random UUID (v4) as text.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// The data directory: `CASUS_DATA`, else `casus` in the platform's data directory
/// (`$XDG_DATA_HOME` or `~/.local/share` on Linux, `~/Library/Application Support` on macOS,
/// the roaming `AppData` folder on Windows), else `./casus-data`.
pub fn default_data_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("CASUS_DATA").filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    dirs::data_dir().map_or_else(|| PathBuf::from("casus-data"), |d| d.join("casus"))
}
