//! Progress records: trainee profiles, attempts (in progress and finished) and settings,
//! behind the [`Store`] trait so the app does not care where they live.
//!
//! [`FileStore`] keeps everything in one JSON file in the data directory, written atomically
//! (temporary file, then rename) after every change, so an attempt closed mid-scenario resumes
//! on the next start. The SQLite store of the records issue will implement the same trait.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::play::{Mode, SavedSession};

/// A trainee.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// Pseudonymous id, used in records and exports.
    pub id: String,
    pub name: String,
    /// SKJ registration number, optional.
    pub skj: Option<String>,
    pub created: u64,
}

/// Where an attempt stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    InProgress,
    Finished,
    Abandoned,
}

/// The result of a finished attempt, for lists and charts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub overall: f64,
    pub passed: bool,
    pub ending: String,
    pub outcome: String,
    /// Scaled score per goal id.
    pub goals: Vec<(String, f64)>,
}

/// One attempt at a scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attempt {
    pub id: String,
    pub profile: String,
    pub scenario: String,
    pub title: String,
    pub version: String,
    pub content_hash: String,
    pub seed: u64,
    pub mode: Mode,
    pub language: String,
    pub started: u64,
    pub finished: Option<u64>,
    pub status: Status,
    /// The session as it stands, for resuming (kept after finishing for the record).
    pub session: Option<SavedSession>,
    pub summary: Option<Summary>,
    pub notes: String,
    pub reflection: String,
}

impl Attempt {
    /// A new attempt at `sc`, in progress.
    pub fn start(
        id: String,
        profile: String,
        sc: &crate::scenario::Scenario,
        seed: u64,
        mode: Mode,
    ) -> Attempt {
        Attempt {
            id,
            profile,
            scenario: sc.id.clone(),
            title: sc.title.clone(),
            version: sc.version.clone(),
            content_hash: sc.content_hash.clone(),
            seed,
            mode,
            language: sc.language.clone(),
            started: now(),
            finished: None,
            status: Status::InProgress,
            session: None,
            summary: None,
            notes: String::new(),
            reflection: String::new(),
        }
    }
}

/// Interface settings, remembered between runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub language: String,
    pub font_size: f32,
    pub last_profile: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            language: "nl".into(),
            font_size: 16.0,
            last_profile: None,
        }
    }
}

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot use the data directory {0}: {1}")]
    Io(PathBuf, std::io::Error),
    #[error("{0} is not a Casus records file ({1}); it was left untouched")]
    Foreign(PathBuf, String),
}

/// Where progress records are kept.
pub trait Store {
    fn profiles(&self) -> &[Profile];
    fn add_profile(&mut self, name: &str, skj: Option<&str>) -> Result<Profile, StoreError>;
    /// Attempts of a profile, oldest first.
    fn attempts(&self, profile: &str) -> Vec<&Attempt>;
    /// Inserts or replaces an attempt (by id) and saves at once.
    fn put_attempt(&mut self, attempt: Attempt) -> Result<(), StoreError>;
    fn settings(&self) -> &Settings;
    fn put_settings(&mut self, settings: Settings) -> Result<(), StoreError>;
}

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// A new unique id: time-based, with a process-wide counter.
pub fn new_id(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{prefix}-{nanos:x}{n:04x}")
}

/// The data directory: `CASUS_DATA`, else the platform's data directory, else `./casus-data`.
pub fn default_data_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("CASUS_DATA") {
        return PathBuf::from(d);
    }
    if let Some(d) = std::env::var_os("XDG_DATA_HOME") {
        return PathBuf::from(d).join("casus");
    }
    if let Some(h) = std::env::var_os("HOME") {
        return PathBuf::from(h).join(".local/share/casus");
    }
    PathBuf::from("casus-data")
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Contents {
    format: u32,
    profiles: Vec<Profile>,
    attempts: Vec<Attempt>,
    settings: Settings,
}

const FILE: &str = "casus-records.json";
const FORMAT: u32 = 1;

/// All records in one JSON file, rewritten atomically after every change.
#[derive(Debug)]
pub struct FileStore {
    path: PathBuf,
    data: Contents,
}

impl FileStore {
    /// Opens (or creates) the store in `dir`. A file that is not a Casus records file is an
    /// error and is never overwritten.
    pub fn open(dir: &Path) -> Result<FileStore, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Io(dir.to_path_buf(), e))?;
        let path = dir.join(FILE);
        let data = match std::fs::read(&path) {
            Ok(bytes) => {
                let data: Contents = serde_json::from_slice(&bytes)
                    .map_err(|e| StoreError::Foreign(path.clone(), e.to_string()))?;
                if data.format != FORMAT {
                    return Err(StoreError::Foreign(
                        path,
                        format!("format {} is not {FORMAT}", data.format),
                    ));
                }
                data
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Contents {
                format: FORMAT,
                ..Contents::default()
            },
            Err(e) => return Err(StoreError::Io(path, e)),
        };
        Ok(FileStore { path, data })
    }

    fn save(&self) -> Result<(), StoreError> {
        let tmp = self.path.with_extension("json.tmp");
        let bytes = serde_json::to_vec_pretty(&self.data)
            .map_err(|e| StoreError::Foreign(self.path.clone(), e.to_string()))?;
        std::fs::write(&tmp, bytes).map_err(|e| StoreError::Io(tmp.clone(), e))?;
        std::fs::rename(&tmp, &self.path).map_err(|e| StoreError::Io(self.path.clone(), e))
    }

    /// Attempts still in progress, newest first.
    pub fn unfinished(&self, profile: &str) -> Vec<&Attempt> {
        let mut v: Vec<&Attempt> = self
            .attempts(profile)
            .into_iter()
            .filter(|a| a.status == Status::InProgress)
            .collect();
        v.reverse();
        v
    }
}

impl Store for FileStore {
    fn profiles(&self) -> &[Profile] {
        &self.data.profiles
    }
    fn add_profile(&mut self, name: &str, skj: Option<&str>) -> Result<Profile, StoreError> {
        let p = Profile {
            id: new_id("t"),
            name: name.trim().to_string(),
            skj: skj
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
            created: now(),
        };
        self.data.profiles.push(p.clone());
        self.save()?;
        Ok(p)
    }
    fn attempts(&self, profile: &str) -> Vec<&Attempt> {
        self.data
            .attempts
            .iter()
            .filter(|a| a.profile == profile)
            .collect()
    }
    fn put_attempt(&mut self, attempt: Attempt) -> Result<(), StoreError> {
        match self.data.attempts.iter_mut().find(|a| a.id == attempt.id) {
            Some(a) => *a = attempt,
            None => self.data.attempts.push(attempt),
        }
        self.save()
    }
    fn settings(&self) -> &Settings {
        &self.data.settings
    }
    fn put_settings(&mut self, settings: Settings) -> Result<(), StoreError> {
        self.data.settings = settings;
        self.save()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("casus-store-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        d
    }

    #[test]
    fn profiles_attempts_and_settings_survive_reopening() {
        let d = dir("reopen");
        let mut s = FileStore::open(&d).unwrap();
        let p = s.add_profile("  Anna  ", Some(" 123 ")).unwrap();
        assert_eq!((p.name.as_str(), p.skj.as_deref()), ("Anna", Some("123")));
        let mut a = Attempt {
            id: new_id("a"),
            profile: p.id.clone(),
            scenario: "x".into(),
            title: "X".into(),
            version: "1".into(),
            content_hash: "h".into(),
            seed: 1,
            mode: Mode::Exam,
            language: "nl".into(),
            started: now(),
            finished: None,
            status: Status::InProgress,
            session: None,
            summary: None,
            notes: String::new(),
            reflection: String::new(),
        };
        s.put_attempt(a.clone()).unwrap();
        a.notes = "aantekening".into();
        s.put_attempt(a.clone()).unwrap();
        s.put_settings(Settings {
            language: "en".into(),
            font_size: 20.0,
            last_profile: Some(p.id.clone()),
        })
        .unwrap();
        let s2 = FileStore::open(&d).unwrap();
        assert_eq!(s2.profiles(), std::slice::from_ref(&p));
        assert_eq!(s2.attempts(&p.id), vec![&a]);
        assert_eq!(s2.unfinished(&p.id).len(), 1);
        assert_eq!(s2.settings().language, "en");
    }

    #[test]
    fn a_foreign_file_is_an_error_and_left_alone() {
        let d = dir("foreign");
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join(FILE), b"not json").unwrap();
        let err = FileStore::open(&d).unwrap_err();
        assert!(
            err.to_string().contains("is not a Casus records file"),
            "{err}"
        );
        assert_eq!(std::fs::read(d.join(FILE)).unwrap(), b"not json");
    }
}
