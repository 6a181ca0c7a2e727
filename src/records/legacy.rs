//! One-time import of the JSON records file written by earlier versions of Casus
//! (`casus-records.json`): its trainees, attempts and settings move into the database, and the
//! file is renamed to `casus-records.json.imported` (kept, never deleted).

use std::path::Path;

use serde::Deserialize;

use super::{
    Attempt, GoalResult, Profile, Settings, SqliteStore, Status, Store, StoreError, Summary,
};
use crate::play::{Mode, SavedSession};

const FILE: &str = "casus-records.json";

#[derive(Deserialize)]
struct OldFile {
    format: u32,
    #[serde(default)]
    profiles: Vec<OldProfile>,
    #[serde(default)]
    attempts: Vec<OldAttempt>,
    #[serde(default)]
    settings: Option<Settings>,
}

#[derive(Deserialize)]
struct OldProfile {
    id: String,
    name: String,
    skj: Option<String>,
    created: u64,
}

#[derive(Deserialize)]
struct OldSummary {
    overall: f64,
    passed: bool,
    ending: String,
    outcome: String,
    goals: Vec<(String, f64)>,
}

#[derive(Deserialize)]
struct OldAttempt {
    id: String,
    profile: String,
    scenario: String,
    title: String,
    version: String,
    content_hash: String,
    seed: u64,
    mode: Mode,
    language: String,
    started: u64,
    finished: Option<u64>,
    status: Status,
    session: Option<SavedSession>,
    summary: Option<OldSummary>,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    reflection: String,
}

/// Imports `dir/casus-records.json` into `store` if it is there and not imported yet.
pub fn import_once(store: &mut SqliteStore, dir: &Path) -> Result<(), StoreError> {
    let path = dir.join(FILE);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(StoreError::Io(path, e)),
    };
    let refuse =
        |why: String| StoreError::Import(path.clone(), why, dir.join(format!("{FILE}.imported")));
    let old: OldFile = serde_json::from_slice(&bytes).map_err(|e| refuse(e.to_string()))?;
    if old.format != 1 {
        return Err(refuse(format!("records format {} is unknown", old.format)));
    }
    for p in &old.profiles {
        if store.profiles().iter().any(|x| x.id == p.id) {
            continue;
        }
        store.insert_profile(&Profile {
            id: p.id.clone(),
            name: p.name.clone(),
            skj: p.skj.clone(),
            created_ms: p.created * 1000,
        })?;
    }
    for a in old.attempts {
        let summary = a.summary.map(|s| Summary {
            overall: s.overall,
            passed: s.passed,
            ending: s.ending,
            outcome: s.outcome,
            scoring: 1,
            // The JSON records kept scaled scores only.
            goals: s
                .goals
                .into_iter()
                .map(|(goal, scaled)| GoalResult {
                    goal,
                    raw: 0,
                    min: 0,
                    max: 0,
                    scaled,
                    met: true,
                })
                .collect(),
        });
        let attempt = Attempt {
            id: a.id,
            profile: a.profile,
            scenario: a.scenario,
            title: a.title,
            kind: String::new(),
            version: a.version,
            content_hash: a.content_hash,
            study_minutes: 0,
            seed: a.seed,
            mode: a.mode,
            language: a.language,
            started_ms: a.started * 1000,
            finished_ms: a.finished.map(|f| f * 1000),
            status: a.status,
            session: a.session,
            summary,
            notes: String::new(),
            reflection: String::new(),
            // The old format kept no times per decision: they are dated by the import.
            stamps: Vec::new(),
        };
        store.record(&attempt, None)?;
        if !a.notes.is_empty() {
            store.save_notes(&attempt.id, &a.notes)?;
        }
        if !a.reflection.is_empty() {
            store.save_reflection(&attempt.id, &a.reflection)?;
        }
    }
    if let Some(s) = old.settings {
        store.put_settings(s)?;
    }
    let done = dir.join(format!("{FILE}.imported"));
    std::fs::rename(&path, &done).map_err(|e| StoreError::Io(path, e))?;
    store.reload()
}
