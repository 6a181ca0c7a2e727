//! What was learnt from checking a case, kept in the data folder so that a library of any size
//! opens fast the second time: per file content (with the goals catalogue it was checked
//! against and this program's version) the case's summary for listing and the score ranges the
//! analysis found. Only files that checked without a single diagnostic are kept, so a cached
//! file needs no diagnostics replayed; a changed file has another key and is checked again, a
//! removed one is dropped when the cache is saved, a broken one is checked every time.
//!
//! A file is recognised by its size and modification time first, and only read and hashed
//! (SHA-256) when those changed.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use super::def::CaseKind;
use super::load::content_hash;
use super::model::{GoalRange, Scenario};

/// Bumped when what is cached, or how it is computed, changes.
const CACHE_FORMAT: u32 = 1;

/// What `casus list` and the library show of a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub id: String,
    pub version: String,
    pub title: String,
    pub kind: CaseKind,
    pub language: String,
    pub study_minutes: u32,
    pub goals: Vec<String>,
    pub decisions: usize,
}

impl Summary {
    pub fn of(sc: &Scenario) -> Summary {
        Summary {
            id: sc.id.clone(),
            version: sc.version.clone(),
            title: sc.title.clone(),
            kind: sc.kind,
            language: sc.language.clone(),
            study_minutes: sc.study_minutes,
            goals: sc.goals.iter().map(|g| g.id.clone()).collect(),
            decisions: sc.decision_count(),
        }
    }
}

/// A case that checked clean.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checked {
    pub summary: Summary,
    /// (min, max) per goal, in the scenario's goal order.
    pub ranges: Vec<(i64, i64)>,
    pub exact: bool,
}

impl Checked {
    pub fn of(sc: &Scenario) -> Checked {
        Checked {
            summary: Summary::of(sc),
            ranges: sc.ranges.iter().map(|r| (r.min, r.max)).collect(),
            exact: sc.ranges_exact,
        }
    }
    /// The score ranges as the scenario keeps them.
    pub fn goal_ranges(&self) -> Vec<GoalRange> {
        self.ranges
            .iter()
            .map(|&(min, max)| GoalRange { min, max })
            .collect()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Stat {
    len: u64,
    modified_ns: u128,
    /// What the file was checked with: the catalogue's hash, or for a translation the key of
    /// the case it translates.
    context: String,
    key: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Stored {
    format: u32,
    program: String,
    /// Files by path: how they were recognised.
    files: BTreeMap<String, Stat>,
    /// Clean cases by key.
    cases: BTreeMap<String, Checked>,
    /// Clean translations by key: (scenario id, language).
    translations: BTreeMap<String, (String, String)>,
}

/// The cache of checked cases.
#[derive(Debug)]
pub struct Cache {
    path: Option<PathBuf>,
    stored: Stored,
    used: HashSet<String>,
    changed: bool,
    /// Cases analysed because the cache did not know them (since it was opened).
    pub analysed: usize,
    /// Files read to find their key because their size or time changed (since it was opened).
    pub read: usize,
}

fn stat(path: &Path) -> Option<(u64, u128)> {
    let m = std::fs::metadata(path).ok()?;
    let t = m
        .modified()
        .ok()?
        .duration_since(UNIX_EPOCH)
        .ok()?
        .as_nanos();
    Some((m.len(), t))
}

impl Cache {
    /// The cache in `data` (its `cache` folder); empty when there is none yet or it cannot be
    /// read (it is only ever a shortcut).
    pub fn open(data: &Path) -> Cache {
        let path = data.join("cache").join("checked.json");
        let stored = std::fs::read(&path)
            .ok()
            .and_then(|b| serde_json::from_slice::<Stored>(&b).ok())
            .filter(|s| s.format == CACHE_FORMAT && s.program == env!("CARGO_PKG_VERSION"))
            .unwrap_or_default();
        Cache {
            path: Some(path),
            stored,
            used: HashSet::new(),
            changed: false,
            analysed: 0,
            read: 0,
        }
    }

    /// A cache that is never saved.
    pub fn in_memory() -> Cache {
        Cache {
            path: None,
            stored: Stored::default(),
            used: HashSet::new(),
            changed: false,
            analysed: 0,
            read: 0,
        }
    }

    /// The key of a text checked in `context` (the catalogue's hash, or for a translation the
    /// key of the case it translates).
    pub fn key(text: &[u8], context: &str) -> String {
        let mut all = Vec::with_capacity(text.len() + 80);
        all.extend_from_slice(format!("{CACHE_FORMAT}\0{context}\0").as_bytes());
        all.extend_from_slice(text);
        content_hash(&all)
    }

    /// The key of the file at `path` in `context`, without reading it, when its size and time
    /// are as when it was last seen.
    pub fn known_key(&self, path: &Path, context: &str) -> Option<String> {
        let (len, modified_ns) = stat(path)?;
        let s = self.stored.files.get(&path.display().to_string())?;
        (s.len == len && s.modified_ns == modified_ns && s.context == context)
            .then(|| s.key.clone())
    }

    /// Remembers that the file at `path`, as it is now, has `key` in `context`.
    pub fn remember(&mut self, path: &Path, context: &str, key: &str) {
        if let Some((len, modified_ns)) = stat(path) {
            let new = Stat {
                len,
                modified_ns,
                context: context.to_string(),
                key: key.to_string(),
            };
            let same = self
                .stored
                .files
                .get(&path.display().to_string())
                .is_some_and(|s| s.key == new.key && s.modified_ns == modified_ns && s.len == len);
            if !same {
                self.stored.files.insert(path.display().to_string(), new);
                self.changed = true;
            }
        }
    }

    pub fn case(&mut self, key: &str) -> Option<&Checked> {
        self.used.insert(key.to_string());
        self.stored.cases.get(key)
    }

    pub fn put_case(&mut self, key: &str, checked: Checked) {
        self.analysed += 1;
        self.used.insert(key.to_string());
        self.stored.cases.insert(key.to_string(), checked);
        self.changed = true;
    }

    pub fn translation(&mut self, key: &str) -> Option<&(String, String)> {
        self.used.insert(key.to_string());
        self.stored.translations.get(key)
    }

    pub fn put_translation(&mut self, key: &str, scenario: &str, language: &str) {
        self.used.insert(key.to_string());
        self.stored.translations.insert(
            key.to_string(),
            (scenario.to_string(), language.to_string()),
        );
        self.changed = true;
    }

    /// Files the cache remembers.
    pub fn files(&self) -> usize {
        self.stored.files.len()
    }

    /// Writes the cache back (atomically), without files that are gone and entries no file
    /// has any more. A cache that cannot be written is left as it was: it is only a shortcut.
    pub fn save(&mut self) {
        let Some(path) = &self.path else { return };
        let before = self.stored.files.len();
        self.stored
            .files
            .retain(|p, _| Path::new(p).is_file() || p.starts_with(super::sources::SHIPPED_DIR));
        let referenced: HashSet<&str> = self
            .stored
            .files
            .values()
            .map(|s| s.key.as_str())
            .chain(self.used.iter().map(String::as_str))
            .collect();
        let (cases, trs) = (self.stored.cases.len(), self.stored.translations.len());
        let keep = |k: &String| referenced.contains(k.as_str());
        let cases_kept: BTreeMap<_, _> = std::mem::take(&mut self.stored.cases)
            .into_iter()
            .filter(|(k, _)| keep(k))
            .collect();
        let trs_kept: BTreeMap<_, _> = std::mem::take(&mut self.stored.translations)
            .into_iter()
            .filter(|(k, _)| keep(k))
            .collect();
        let pruned =
            before != self.stored.files.len() || cases != cases_kept.len() || trs != trs_kept.len();
        self.stored.cases = cases_kept;
        self.stored.translations = trs_kept;
        if !(self.changed || pruned) {
            return;
        }
        self.stored.format = CACHE_FORMAT;
        self.stored.program = env!("CARGO_PKG_VERSION").to_string();
        let Ok(bytes) = serde_json::to_vec(&self.stored) else {
            return;
        };
        let tmp = path.with_extension("json.tmp");
        let written = path
            .parent()
            .is_some_and(|d| std::fs::create_dir_all(d).is_ok())
            && std::fs::write(&tmp, bytes).is_ok()
            && std::fs::rename(&tmp, path).is_ok();
        if written {
            self.changed = false;
        } else {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}
