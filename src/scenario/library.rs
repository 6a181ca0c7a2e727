//! A set of scenario files and folders loaded together: the goals catalogue, the scenarios, and
//! their translations (`<scenario>.<language>.ron` beside the scenario file).

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::cache::{Cache, Checked};
use super::def::GoalDef;
use super::diag::{Diagnostic, Reporter};
use super::load::{Loaded, goals_for, load_file, parse_ron, read_source};
use super::model::Scenario;
use super::spans::SpanIndex;
use super::translate::{self, Translation};

/// A translation file with what came of loading it.
#[derive(Debug, Clone)]
pub struct LoadedTranslation {
    pub path: PathBuf,
    pub source: String,
    pub translation: Option<Translation>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Scenarios loaded together, with their goals catalogue and translations.
#[derive(Debug, Clone, Default)]
pub struct Library {
    pub goals: Vec<GoalDef>,
    /// Problems in the folder's `goals.ron`, if it has one.
    pub goal_diagnostics: Vec<Diagnostic>,
    pub goals_source: Option<(PathBuf, String)>,
    pub scenarios: Vec<Loaded>,
    pub translations: Vec<LoadedTranslation>,
}

/// The language of a translation file name (`x.en.ron` → `en`), if it is one.
pub fn translation_language(path: &Path) -> Option<&str> {
    let stem = path.file_stem()?.to_str()?;
    let (_, lang) = stem.rsplit_once('.')?;
    (lang.len() == 2 && lang.chars().all(|c| c.is_ascii_lowercase())).then_some(lang)
}

/// The scenario file a translation file belongs to.
pub fn translated_file(path: &Path) -> Option<PathBuf> {
    let stem = path.file_stem()?.to_str()?;
    let (base, _) = stem.rsplit_once('.')?;
    Some(path.with_file_name(format!("{base}.ron")))
}

impl Library {
    /// Every diagnostic: catalogue, scenarios, translations.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.goal_diagnostics
            .iter()
            .chain(self.scenarios.iter().flat_map(|l| &l.diagnostics))
            .chain(self.translations.iter().flat_map(|t| &t.diagnostics))
    }
    /// Adds the files of `other`. A case in `other` with the id of a shipped case in this
    /// library takes its place, and the shipped case's translations go with it.
    pub fn merge(&mut self, other: Library) {
        let ids: Vec<&str> = other.playable().map(|s| s.id.as_str()).collect();
        let replaced: Vec<String> = self
            .scenarios
            .iter()
            .filter(|l| super::sources::is_shipped(&l.path))
            .filter_map(|l| l.scenario.as_ref())
            .filter(|s| ids.contains(&s.id.as_str()))
            .map(|s| s.id.clone())
            .collect();
        self.scenarios.retain(|l| {
            !(super::sources::is_shipped(&l.path)
                && l.scenario
                    .as_ref()
                    .is_some_and(|s| replaced.contains(&s.id)))
        });
        self.translations.retain(|t| {
            !(super::sources::is_shipped(&t.path)
                && t.translation
                    .as_ref()
                    .is_some_and(|x| replaced.contains(&x.scenario)))
        });
        if self.goals.is_empty() {
            self.goals = other.goals;
        }
        self.goal_diagnostics.extend(other.goal_diagnostics);
        if self.goals_source.is_none() {
            self.goals_source = other.goals_source;
        }
        self.scenarios.extend(other.scenarios);
        self.translations.extend(other.translations);
    }
    /// Scenarios that loaded without errors.
    pub fn playable(&self) -> impl Iterator<Item = &Arc<Scenario>> {
        self.scenarios.iter().filter_map(|l| l.scenario.as_ref())
    }
    /// Finds a playable scenario by id.
    pub fn find(&self, id: &str) -> Option<&Arc<Scenario>> {
        self.playable().find(|s| s.id == id)
    }
    /// Languages a scenario can be played in: its own and those of its translations.
    pub fn languages(&self, id: &str) -> Vec<String> {
        let mut out: Vec<String> = self
            .find(id)
            .map(|s| s.language.clone())
            .into_iter()
            .collect();
        out.extend(
            self.translations
                .iter()
                .filter_map(|t| t.translation.as_ref())
                .filter(|t| t.scenario == id)
                .map(|t| t.language.clone()),
        );
        out
    }
    /// A scenario in `language`: translated when a translation exists, else in its own language.
    pub fn find_in(&self, id: &str, language: &str) -> Option<Arc<Scenario>> {
        let sc = self.find(id)?;
        if sc.language == language {
            return Some(Arc::clone(sc));
        }
        let tr = self
            .translations
            .iter()
            .filter_map(|t| t.translation.as_ref())
            .find(|t| t.scenario == id && t.language == language);
        Some(tr.map_or_else(|| Arc::clone(sc), |t| Arc::new(translate::apply(sc, t))))
    }
    /// The source text of a file loaded into this library.
    pub fn source(&self, path: &Path) -> Option<&str> {
        if let Some((p, s)) = &self.goals_source
            && p == path
        {
            return Some(s);
        }
        self.scenarios
            .iter()
            .find(|l| l.path == path)
            .map(|l| l.source.as_str())
            .or_else(|| {
                self.translations
                    .iter()
                    .find(|t| t.path == path)
                    .map(|t| t.source.as_str())
            })
    }
}

fn load_translation(path: &Path, scenario: Option<&Scenario>) -> LoadedTranslation {
    match read_source(path) {
        Ok(src) => load_translation_str(path, src, scenario),
        Err(d) => LoadedTranslation {
            path: path.to_path_buf(),
            source: String::new(),
            translation: None,
            diagnostics: vec![*d],
        },
    }
}

/// Loads and checks a translation from its text.
pub fn load_translation_str(
    path: &Path,
    src: String,
    scenario: Option<&Scenario>,
) -> LoadedTranslation {
    let mut out = LoadedTranslation {
        path: path.to_path_buf(),
        source: String::new(),
        translation: None,
        diagnostics: Vec::new(),
    };
    match parse_ron::<Translation>(path, &src) {
        Err(d) => out.diagnostics.push(*d),
        Ok(tr) => {
            let mut rep = Reporter::new(path, &src);
            match scenario {
                Some(sc) => translate::check(sc, &tr, &mut rep, &SpanIndex::build(&src)),
                None => {
                    rep.push(super::diag::Severity::Warning, "translation-unchecked", 0..0, "the scenario this file translates has errors or is missing, so the translation was not checked")
                        .hint("fix the scenario first");
                }
            }
            let ok = !rep.has_errors();
            out.diagnostics = rep.diags;
            out.translation = ok.then_some(tr);
        }
    }
    out.source = src;
    out
}

/// The scenario and translation files of a folder (every `*.ron` but `goals.ron`), sorted.
pub fn case_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| {
                    f.extension().is_some_and(|x| x == "ron")
                        && f.file_name().is_some_and(|n| n != "goals.ron")
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// The hash a catalogue's text gives the cache keys of the cases checked against it.
pub fn goals_hash(src: Option<&str>) -> String {
    super::load::content_hash(src.unwrap_or(super::load::BUILTIN_GOALS).as_bytes())
}

/// Loads one scenario text, with what the cache knows of it, and tells the cache what it found.
fn load_one(
    path: &Path,
    src: String,
    goals: &[GoalDef],
    ghash: &str,
    cache: &mut Cache,
) -> (Loaded, String) {
    let key = Cache::key(src.as_bytes(), ghash);
    let known = cache.case(&key).map(|c| (c.goal_ranges(), c.exact));
    let fresh = known.is_none();
    let loaded = super::load::load_str_known(path, src, goals, known);
    if fresh
        && loaded.diagnostics.is_empty()
        && let Some(sc) = &loaded.scenario
    {
        cache.put_case(&key, Checked::of(sc));
    }
    cache.remember(path, ghash, &key);
    (loaded, key)
}

/// Loads one translation text of the case with cache key `base`, and tells the cache.
fn load_one_translation(
    path: &Path,
    src: String,
    scenario: Option<&Scenario>,
    base: Option<&String>,
    cache: &mut Cache,
) -> LoadedTranslation {
    let key = base.map(|b| Cache::key(src.as_bytes(), b));
    let t = load_translation_str(path, src, scenario);
    if let (Some(key), Some(base), Some(tr)) = (&key, base, &t.translation) {
        if t.diagnostics.is_empty() {
            cache.put_translation(key, &tr.scenario, &tr.language);
        }
        cache.remember(path, base, key);
    }
    t
}

/// Loads scenario files and folders. A folder contributes every `*.ron` except `goals.ron`;
/// files named `<scenario>.<language>.ron` are translations of `<scenario>.ron`. Naming a
/// scenario file loads its translations too; naming a translation loads its scenario.
pub fn load_paths(paths: &[PathBuf]) -> Library {
    load_paths_with(paths, &mut Cache::in_memory())
}

/// [`load_paths`], skipping the analysis of every case `cache` knows.
pub fn load_paths_with(paths: &[PathBuf], cache: &mut Cache) -> Library {
    let mut lib = Library::default();
    for p in paths {
        let (dir, mut files) = if p.is_dir() {
            (p.clone(), case_files(p))
        } else {
            let mut files = vec![p.clone()];
            if translation_language(p).is_some() {
                files.extend(translated_file(p).filter(|f| f.is_file()));
            } else if let (Some(parent), Some(stem)) =
                (p.parent(), p.file_stem().and_then(|s| s.to_str()))
            {
                let siblings = fs::read_dir(if parent.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    parent
                });
                for e in siblings.into_iter().flatten().flatten() {
                    let f = parent.join(e.file_name());
                    if translation_language(&f).is_some()
                        && f.file_name()
                            .and_then(|n| n.to_str())
                            .is_some_and(|n| n.starts_with(&format!("{stem}.")))
                    {
                        files.push(f);
                    }
                }
            }
            (p.parent().map(Path::to_path_buf).unwrap_or_default(), files)
        };
        files.retain(|f| {
            !lib.scenarios.iter().any(|l| &l.path == f)
                && !lib.translations.iter().any(|t| &t.path == f)
        });
        let (goals, diags, src) = goals_for(if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            &dir
        });
        let ghash = goals_hash(src.as_ref().map(|(_, s)| s.as_str()));
        if lib.goals_source.is_none() && src.is_some() {
            lib.goal_diagnostics.extend(diags);
            lib.goals_source = src;
        }
        if lib.goals.is_empty() {
            lib.goals = goals.clone();
        }
        let (translations, scenarios): (Vec<PathBuf>, Vec<PathBuf>) = files
            .into_iter()
            .partition(|f| translation_language(f).is_some());
        let mut keys = std::collections::HashMap::new();
        for f in scenarios {
            match read_source(&f) {
                Ok(src) => {
                    let (loaded, key) = load_one(&f, src, &goals, &ghash, cache);
                    keys.insert(f.clone(), key);
                    lib.scenarios.push(loaded);
                }
                Err(_) => lib.scenarios.push(load_file(&f, &goals)),
            }
        }
        for f in translations {
            let base = translated_file(&f);
            let sc = lib
                .scenarios
                .iter()
                .find(|l| Some(&l.path) == base.as_ref())
                .and_then(|l| l.scenario.clone());
            let key = base.as_ref().and_then(|b| keys.get(b));
            lib.translations.push(match read_source(&f) {
                Ok(src) => load_one_translation(&f, src, sc.as_deref(), key, cache),
                Err(_) => load_translation(&f, sc.as_deref()),
            });
        }
    }
    lib
}

/// Builds a library from file texts already in memory (e.g. from an asset server): `goals` is
/// the folder's `goals.ron` if it has one; `files` are scenario and translation files.
pub fn from_texts(goals: Option<(PathBuf, String)>, files: Vec<(PathBuf, String)>) -> Library {
    from_texts_with(goals, files, &mut Cache::in_memory())
}

/// [`from_texts`], skipping the analysis of every case `cache` knows.
pub fn from_texts_with(
    goals: Option<(PathBuf, String)>,
    mut files: Vec<(PathBuf, String)>,
    cache: &mut Cache,
) -> Library {
    let ghash = goals_hash(goals.as_ref().map(|(_, s)| s.as_str()));
    let mut lib = Library::default();
    match goals {
        Some((path, src)) => {
            let (g, diags) = super::load::parse_goals(&path, &src);
            lib.goals = g;
            lib.goal_diagnostics = diags;
            lib.goals_source = Some((path, src));
        }
        None => lib.goals = super::load::builtin_goals(),
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let (translations, scenarios): (Vec<_>, Vec<_>) = files
        .into_iter()
        .partition(|(p, _)| translation_language(p).is_some());
    let mut keys = std::collections::HashMap::new();
    for (path, src) in scenarios {
        let (loaded, key) = load_one(&path, src, &lib.goals, &ghash, cache);
        keys.insert(path, key);
        lib.scenarios.push(loaded);
    }
    for (path, src) in translations {
        let base = translated_file(&path);
        let sc = lib
            .scenarios
            .iter()
            .find(|l| Some(&l.path) == base.as_ref())
            .and_then(|l| l.scenario.clone());
        let key = base.as_ref().and_then(|b| keys.get(b));
        lib.translations
            .push(load_one_translation(&path, src, sc.as_deref(), key, cache));
    }
    lib
}
