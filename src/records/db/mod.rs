//! [`SqliteStore`]: the records in an embedded SQLite database (WAL, full sync, busy timeout),
//! with a cache of trainees and attempts for the app's screens.
//!
//! Opening checks that the file is a Casus database before touching it (a foreign or damaged
//! file is reported and left alone), migrates an older schema, and imports the JSON records of
//! earlier versions once. Recording an attempt's progress is one `BEGIN IMMEDIATE` transaction
//! and every other write a single statement (atomic by itself); with the busy timeout, two
//! instances on the same database wait for each other instead of failing or corrupting it.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OptionalExtension, params};
use serde::Serialize;

use super::schema::{APPLICATION_ID, latest, migrations};
use super::{
    Attempt, GoalResult, OrgConfig, Profile, Settings, Status, Store, StoreError, Summary, now_ms,
};
use crate::play::{Mode, SavedSession};
use crate::scenario::Scenario;

mod record;

/// The database file's name in the data directory.
pub const FILE: &str = "casus-records.sqlite";

/// Progress records in SQLite.
pub struct SqliteStore {
    path: PathBuf,
    /// In a mutex so the store can live in a Bevy resource (which must be `Sync`).
    conn: Mutex<Connection>,
    profiles: Vec<Profile>,
    attempts: Vec<Attempt>,
    settings: Settings,
    org: OrgConfig,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish()
    }
}

fn mode_str(m: Mode) -> &'static str {
    match m {
        Mode::Practice => "practice",
        Mode::Exam => "exam",
    }
}

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

/// Whether `path` holds something other than an SQLite database (or nothing at all).
fn check_header(path: &Path) -> Result<(), StoreError> {
    let mut f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(StoreError::Io(path.to_path_buf(), e)),
    };
    let mut head = [0u8; 16];
    let n = f
        .read(&mut head)
        .map_err(|e| StoreError::Io(path.to_path_buf(), e))?;
    if n == 0 {
        return Ok(());
    }
    if n < 16 || &head != b"SQLite format 3\0" {
        return Err(StoreError::Foreign(
            path.to_path_buf(),
            "it is not an SQLite database".into(),
        ));
    }
    Ok(())
}

impl SqliteStore {
    /// Opens (or creates) the store in the data directory `dir`.
    pub fn open(dir: &Path) -> Result<SqliteStore, StoreError> {
        super::private_dir(dir).map_err(|e| StoreError::Io(dir.to_path_buf(), e))?;
        let mut store = SqliteStore::open_file(&dir.join(FILE))?;
        super::legacy::import_once(&mut store, dir)?;
        Ok(store)
    }

    /// Opens (or creates) the database file `path`.
    pub fn open_file(path: &Path) -> Result<SqliteStore, StoreError> {
        check_header(path)?;
        let damaged = |e: rusqlite::Error| match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseCorrupt) | Some(ErrorCode::NotADatabase) => {
                StoreError::Corrupt(path.to_path_buf(), e.to_string())
            }
            _ => match StoreError::from(e) {
                StoreError::Db(m) => StoreError::Db(format!("{}: {m}", path.display())),
                StoreError::Unwritable(m) => {
                    StoreError::Unwritable(format!("{}: {m}", path.display()))
                }
                other => other,
            },
        };
        let mut conn = Connection::open(path).map_err(damaged)?;
        // Personal data: the owner's only. SQLite gives its journal files the database's mode.
        super::owner_only(path).map_err(|e| StoreError::Io(path.to_path_buf(), e))?;
        conn.busy_timeout(Duration::from_secs(10))
            .map_err(damaged)?;
        let app_id: i64 = conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .map_err(damaged)?;
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
            .map_err(damaged)?;
        if app_id != APPLICATION_ID && (app_id != 0 || tables > 0) {
            return Err(StoreError::Foreign(
                path.to_path_buf(),
                "an SQLite database of another program".into(),
            ));
        }
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(damaged)?;
        if version as usize > latest() {
            return Err(StoreError::TooNew(
                path.to_path_buf(),
                version as usize,
                latest(),
            ));
        }
        if app_id == 0 && tables == 0 {
            // A new database: 16 KiB pages hold several statements (1–2 KB of JSON) each,
            // where 4 KiB pages would leave half of every page empty. (Set before WAL.)
            conn.pragma_update(None, "page_size", 16384)
                .map_err(damaged)?;
        }
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(damaged)?;
        // FULL: a commit survives a power cut, not only a killed process.
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(damaged)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(damaged)?;
        // Deleted records (an erasure request) are overwritten, not left readable in the file.
        conn.pragma_update(None, "secure_delete", "ON")
            .map_err(damaged)?;
        if app_id == 0 {
            conn.pragma_update(None, "application_id", APPLICATION_ID)
                .map_err(damaged)?;
        }
        migrations()
            .to_latest(&mut conn)
            .map_err(|e| StoreError::Db(format!("migrating {}: {e}", path.display())))?;
        let mut store = SqliteStore {
            path: path.to_path_buf(),
            conn: Mutex::new(conn),
            profiles: Vec::new(),
            attempts: Vec::new(),
            settings: Settings::default(),
            org: OrgConfig::default(),
        };
        store.reload().map_err(|e| match e {
            StoreError::Db(m) if m.contains("malformed") => {
                StoreError::Corrupt(path.to_path_buf(), m)
            }
            e => e,
        })?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The connection, for queries of exports and reports.
    pub fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn conn_mut(&mut self) -> &mut Connection {
        self.conn.get_mut().unwrap_or_else(|e| e.into_inner())
    }

    /// The organisation's settings for xAPI and certificates.
    pub fn org(&self) -> &OrgConfig {
        &self.org
    }

    /// `PRAGMA integrity_check`: `ok` or the problems found.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        let rows: Vec<String> = self
            .conn()
            .prepare("PRAGMA integrity_check")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(rows.join("\n"))
    }

    /// Re-reads trainees, attempts and settings (another instance may have written).
    pub fn reload(&mut self) -> Result<(), StoreError> {
        let conn = self.conn();
        let (settings, org) = (setting(&conn, "app")?, setting(&conn, "org")?);
        drop(conn);
        self.settings = settings;
        self.org = org;
        let conn = self.conn.get_mut().unwrap_or_else(|e| e.into_inner());
        self.profiles = conn
            .prepare("SELECT id, name, skj, created_ms FROM trainees ORDER BY created_ms, id")?
            .query_map([], |r| {
                Ok(Profile {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    skj: r.get(2)?,
                    created_ms: r.get::<_, i64>(3)? as u64,
                })
            })?
            .collect::<Result<_, _>>()?;
        self.attempts = load_attempts(conn, None)?;
        Ok(())
    }

    /// Adds a trainee with a given id (imports keep their ids).
    pub(crate) fn insert_profile(&mut self, p: &Profile) -> Result<(), StoreError> {
        self.conn().execute(
            "INSERT INTO trainees (id, name, skj, created_ms) VALUES (?1, ?2, ?3, ?4)",
            params![p.id, p.name, p.skj, p.created_ms as i64],
        )?;
        self.profiles.push(p.clone());
        Ok(())
    }

    fn cache(&mut self, attempt: &Attempt) {
        match self.attempts.iter_mut().find(|a| a.id == attempt.id) {
            Some(a) => *a = attempt.clone(),
            None => self.attempts.push(attempt.clone()),
        }
    }

    fn put_text(&mut self, table: &str, attempt: &str, text: &str) -> Result<(), StoreError> {
        let n = self.conn().execute(
            &format!(
                "INSERT INTO {table} (attempt, text, updated_ms)
                 SELECT id, ?2, ?3 FROM attempts WHERE id = ?1
                 ON CONFLICT (attempt) DO UPDATE SET text = excluded.text,
                     updated_ms = excluded.updated_ms"
            ),
            params![attempt, text, now_ms() as i64],
        )?;
        if n == 0 {
            return Err(StoreError::NotFound(format!("no attempt {attempt}")));
        }
        Ok(())
    }
}

/// Saves a setting (JSON text) under `key`.
fn put_setting(conn: &Connection, key: &str, value: &str) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

/// A setting, or its default when it is missing or unreadable.
fn setting<T: serde::de::DeserializeOwned + Default>(
    conn: &Connection,
    key: &str,
) -> Result<T, StoreError> {
    let v: Option<String> = conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(v.and_then(|v| serde_json::from_str(&v).ok())
        .unwrap_or_default())
}

/// Reads attempts (all, or of one trainee) with their results, notes and reflections.
pub(crate) fn load_attempts(
    conn: &Connection,
    trainee: Option<&str>,
) -> Result<Vec<Attempt>, StoreError> {
    let mut goals: std::collections::HashMap<String, Vec<GoalResult>> = Default::default();
    let mut q = conn.prepare(
        "SELECT g.attempt, g.goal, g.raw, g.min, g.max, g.scaled, g.met
         FROM goal_scores g JOIN attempts a ON a.id = g.attempt
         WHERE ?1 IS NULL OR a.trainee = ?1 ORDER BY g.rowid",
    )?;
    for row in q.query_map([trainee], |r| {
        Ok((
            r.get::<_, String>(0)?,
            GoalResult {
                goal: r.get(1)?,
                raw: r.get(2)?,
                min: r.get(3)?,
                max: r.get(4)?,
                scaled: r.get(5)?,
                met: r.get(6)?,
            },
        ))
    })? {
        let (a, g) = row?;
        goals.entry(a).or_default().push(g);
    }
    let mut stmt = conn.prepare(
        "SELECT a.id, a.trainee, a.scenario, a.title, a.kind, a.version, a.content_hash,
                a.study_minutes, a.seed, a.mode, a.language, a.started_ms, a.finished_ms,
                a.status, a.ending, a.outcome, a.overall, a.passed, a.session,
                coalesce(n.text, ''), coalesce(r.text, ''), coalesce(a.scoring, 1)
         FROM attempts a
         LEFT JOIN notes n ON n.attempt = a.id
         LEFT JOIN reflections r ON r.attempt = a.id
         WHERE ?1 IS NULL OR a.trainee = ?1
         ORDER BY a.started_ms, a.rowid",
    )?;
    let rows = stmt.query_map([trainee], |r| {
        let id: String = r.get(0)?;
        let status: String = r.get(13)?;
        let ending: Option<String> = r.get(14)?;
        let session: Option<String> = r.get(18)?;
        let summary = match (ending, r.get::<_, Option<f64>>(16)?) {
            (Some(ending), Some(overall)) => Some(Summary {
                overall,
                passed: r.get::<_, Option<bool>>(17)?.unwrap_or(false),
                ending,
                outcome: r.get::<_, Option<String>>(15)?.unwrap_or_default(),
                goals: goals.remove(&id).unwrap_or_default(),
                scoring: r.get(21)?,
            }),
            _ => None,
        };
        Ok(Attempt {
            profile: r.get(1)?,
            scenario: r.get(2)?,
            title: r.get(3)?,
            kind: r.get(4)?,
            version: r.get(5)?,
            content_hash: r.get(6)?,
            study_minutes: r.get(7)?,
            seed: r.get::<_, i64>(8)? as u64,
            mode: if r.get::<_, String>(9)? == "exam" {
                Mode::Exam
            } else {
                Mode::Practice
            },
            language: r.get(10)?,
            started_ms: r.get::<_, i64>(11)? as u64,
            finished_ms: r.get::<_, Option<i64>>(12)?.map(|t| t as u64),
            status: Status::parse(&status).unwrap_or(Status::Abandoned),
            // A session saved in a format this build cannot read stays in the database.
            session: session.and_then(|s| serde_json::from_str::<SavedSession>(&s).ok()),
            summary,
            notes: r.get(19)?,
            reflection: r.get(20)?,
            // Entries already recorded have their time in the decision rows.
            stamps: Vec::new(),
            id,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

impl Store for SqliteStore {
    fn profiles(&self) -> &[Profile] {
        &self.profiles
    }

    fn add_profile(&mut self, name: &str, skj: Option<&str>) -> Result<Profile, StoreError> {
        super::check_identity("name", name.trim(), super::MAX_NAME_CHARS)?;
        if let Some(s) = skj {
            super::check_identity("SKJ number", s.trim(), super::MAX_SKJ_CHARS)?;
        }
        let p = Profile {
            id: super::new_id(),
            name: name.trim().to_string(),
            skj: skj
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
            created_ms: now_ms(),
        };
        self.insert_profile(&p)?;
        Ok(p)
    }

    fn attempts(&self, profile: &str) -> Vec<&Attempt> {
        self.attempts
            .iter()
            .filter(|a| a.profile == profile)
            .collect()
    }

    fn save_attempt(&mut self, attempt: &Attempt, sc: &Scenario) -> Result<(), StoreError> {
        self.record(attempt, Some(sc))
    }

    fn save_notes(&mut self, attempt: &str, notes: &str) -> Result<(), StoreError> {
        self.put_text("notes", attempt, notes)?;
        if let Some(a) = self.attempts.iter_mut().find(|a| a.id == attempt) {
            a.notes = notes.to_string();
        }
        Ok(())
    }

    fn save_reflection(&mut self, attempt: &str, text: &str) -> Result<(), StoreError> {
        self.put_text("reflections", attempt, text)?;
        if let Some(a) = self.attempts.iter_mut().find(|a| a.id == attempt) {
            a.reflection = text.to_string();
        }
        Ok(())
    }

    fn abandon(&mut self, attempt: &str, sc: Option<&Scenario>) -> Result<(), StoreError> {
        let mut a = self
            .attempts
            .iter()
            .find(|a| a.id == attempt)
            .cloned()
            .ok_or_else(|| StoreError::NotFound(format!("no attempt {attempt}")))?;
        if a.status != Status::InProgress {
            return Ok(());
        }
        a.status = Status::Abandoned;
        let sc = sc.filter(|sc| sc.id == a.scenario && sc.content_hash == a.content_hash);
        self.record(&a, sc)
    }

    fn settings(&self) -> &Settings {
        &self.settings
    }

    fn put_settings(&mut self, settings: Settings) -> Result<(), StoreError> {
        put_setting(&self.conn(), "app", &json(&settings))?;
        self.settings = settings;
        Ok(())
    }
}
