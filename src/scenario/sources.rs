//! Where cases come from: the cases that ship with Casus are compiled into the binary, so the
//! program alone is the product; an organisation's own cases and a trainer's drafts live in
//! folders (the data directory's `scenarios` folder, folders given with `--scenarios`, folders
//! added in the app). A case in a folder with the id of a shipped case takes its place.

use std::path::{Path, PathBuf};

use super::cache::{Cache, Checked, Summary};
use super::library::{
    Library, case_files, from_texts_with, goals_hash, load_paths_with, translated_file,
    translation_language,
};

/// Where shipped files appear to be: they have no place on disk.
pub const SHIPPED_DIR: &str = "<casus>";

macro_rules! shipped {
    ($name:literal) => {
        ($name, include_str!(concat!("../../scenarios/", $name)))
    };
}

/// The shipped scenario and translation files, by file name. A test checks that every file in
/// `scenarios/` is here.
pub const FILES: &[(&str, &str)] = &[
    shipped!("crisis-in-de-nacht.en.ron"),
    shipped!("crisis-in-de-nacht.ron"),
    shipped!("de-overdracht.en.ron"),
    shipped!("de-overdracht.ron"),
    shipped!("het-plan-lekt.en.ron"),
    shipped!("het-plan-lekt.ron"),
    shipped!("kiezen-mag-niet.en.ron"),
    shipped!("kiezen-mag-niet.ron"),
    shipped!("maandag-blauwe-plekken.en.ron"),
    shipped!("maandag-blauwe-plekken.ron"),
    shipped!("stil-huis.en.ron"),
    shipped!("stil-huis.ron"),
    shipped!("van-strijd-naar-zorg.en.ron"),
    shipped!("van-strijd-naar-zorg.ron"),
];

/// Whether `path` is that of a shipped file.
pub fn is_shipped(path: &Path) -> bool {
    path.starts_with(SHIPPED_DIR)
}

/// The shipped cases, checked.
pub fn shipped() -> Library {
    shipped_with(&mut Cache::in_memory())
}

/// The shipped cases, checked, skipping the analysis of those `cache` knows.
pub fn shipped_with(cache: &mut Cache) -> Library {
    from_texts_with(
        None,
        FILES
            .iter()
            .map(|(name, src)| (Path::new(SHIPPED_DIR).join(name), (*src).to_string()))
            .collect(),
        cache,
    )
}

/// A case as listed: what it is, where its file is, the languages it can be played in.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    pub summary: Summary,
    pub path: PathBuf,
    pub languages: Vec<String>,
}

/// The cases found, and the files that have errors (`casus check` shows them).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Listing {
    pub cases: Vec<Listed>,
    pub broken: Vec<PathBuf>,
}

/// Where to find cases: the shipped ones (unless left out) and folders; and the data folder
/// whose cache of checked cases makes loading them fast the second time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sources {
    pub shipped: bool,
    pub folders: Vec<PathBuf>,
    pub cache: Option<PathBuf>,
}

impl Sources {
    /// The shipped cases and the given folders, without a cache.
    pub fn new(shipped: bool, folders: Vec<PathBuf>) -> Sources {
        Sources {
            shipped,
            folders,
            cache: None,
        }
    }

    /// The same, with the cache kept in the data folder `data`.
    pub fn cached_in(mut self, data: &Path) -> Sources {
        self.cache = Some(data.to_path_buf());
        self
    }

    /// The cache these sources use.
    pub fn open_cache(&self) -> Cache {
        self.cache
            .as_deref()
            .map_or_else(Cache::in_memory, Cache::open)
    }

    /// Loads and checks every case. Folders that do not exist are skipped.
    pub fn load(&self) -> Library {
        let mut cache = self.open_cache();
        let lib = self.load_with(&mut cache);
        cache.save();
        lib
    }

    /// [`Sources::load`], skipping the analysis of every case `cache` knows.
    pub fn load_with(&self, cache: &mut Cache) -> Library {
        let mut lib = if self.shipped {
            shipped_with(cache)
        } else {
            Library::default()
        };
        for f in &self.folders {
            if f.is_dir() {
                lib.merge(load_paths_with(std::slice::from_ref(f), cache));
            }
        }
        if lib.goals.is_empty() {
            lib.goals = super::load::builtin_goals();
        }
        lib
    }

    /// Loads every case in parts, as they are checked, for a window that shows them as they
    /// arrive: the shipped cases, then each folder in groups of `per` cases (each with its
    /// translations). `part` receives each part and the index of its folder (`None` for the
    /// shipped cases).
    pub fn load_in_parts(
        &self,
        cache: &mut Cache,
        per: usize,
        part: &mut dyn FnMut(Library, Option<usize>),
    ) {
        if self.shipped {
            part(shipped_with(cache), None);
        }
        for (k, dir) in self.folders.iter().enumerate().filter(|(_, f)| f.is_dir()) {
            let files = case_files(dir);
            let (_, goal_diags, goals_src) = super::load::goals_for(dir);
            let (translations, cases): (Vec<PathBuf>, Vec<PathBuf>) = files
                .into_iter()
                .partition(|f| translation_language(f).is_some());
            for (n, group) in cases.chunks(per.max(1)).enumerate() {
                let mut texts = Vec::new();
                let mut unreadable = Vec::new();
                let wanted = group.iter().cloned().chain(
                    translations
                        .iter()
                        .filter(|t| translated_file(t).is_some_and(|b| group.contains(&b)))
                        .cloned(),
                );
                for f in wanted {
                    match super::load::read_source(&f) {
                        Ok(s) => texts.push((f, s)),
                        Err(d) => unreadable.push((f, *d)),
                    }
                }
                let mut lib = from_texts_with(goals_src.clone(), texts, cache);
                if n == 0 {
                    lib.goal_diagnostics.extend(goal_diags.iter().cloned());
                } else {
                    lib.goal_diagnostics.clear();
                }
                for (path, d) in unreadable {
                    lib.scenarios.push(super::Loaded {
                        path,
                        source: String::new(),
                        scenario: None,
                        diagnostics: vec![d],
                    });
                }
                part(lib, Some(k));
            }
        }
    }

    /// What `casus list` shows, from the cache where it can: a case the cache knows is neither
    /// read (when its size and time are unchanged) nor checked again.
    pub fn listing(&self, cache: &mut Cache) -> Listing {
        let mut out = Listing::default();
        if self.shipped {
            let ghash = goals_hash(None);
            let texts: Vec<(PathBuf, &str)> = FILES
                .iter()
                .map(|(n, s)| (Path::new(SHIPPED_DIR).join(n), *s))
                .collect();
            list_texts(&texts, None, &ghash, cache, &mut out);
        }
        for dir in self.folders.iter().filter(|f| f.is_dir()) {
            let files = case_files(dir);
            let (goals, _, src) = super::load::goals_for(dir);
            let ghash = goals_hash(src.as_ref().map(|(_, s)| s.as_str()));
            // Files are read only when the cache does not recognise them.
            let texts: Vec<(PathBuf, Option<&str>)> =
                files.into_iter().map(|f| (f, None)).collect();
            list_files(&texts, &goals, &ghash, cache, &mut out);
        }
        out
    }
}

/// Lists in-memory texts (the shipped files).
fn list_texts(
    texts: &[(PathBuf, &str)],
    goals: Option<&[super::def::GoalDef]>,
    ghash: &str,
    cache: &mut Cache,
    out: &mut Listing,
) {
    let goals = goals.map_or_else(super::load::builtin_goals, <[_]>::to_vec);
    let texts: Vec<(PathBuf, Option<&str>)> =
        texts.iter().map(|(p, s)| (p.clone(), Some(*s))).collect();
    list_files(&texts, &goals, ghash, cache, out);
}

/// Lists the files of one source: each case from the cache, or checked now and remembered;
/// a text of `None` is a file the cache recognised without reading it.
fn list_files(
    texts: &[(PathBuf, Option<&str>)],
    goals: &[super::def::GoalDef],
    ghash: &str,
    cache: &mut Cache,
    out: &mut Listing,
) {
    let mut keys: std::collections::HashMap<&Path, String> = std::collections::HashMap::new();
    let mut compiled: std::collections::HashMap<&Path, std::sync::Arc<super::Scenario>> =
        std::collections::HashMap::new();
    let mut found: Vec<Listed> = Vec::new();
    // The text of a file: given (shipped), or read now.
    let read = |path: &Path, text: &Option<&str>, cache: &mut Cache| -> Option<String> {
        match text {
            Some(t) => Some((*t).to_string()),
            None => {
                cache.read += 1;
                super::load::read_source(path).ok()
            }
        }
    };
    for (path, text) in texts
        .iter()
        .filter(|(p, _)| translation_language(p).is_none())
    {
        let mut src = None;
        let key = match cache.known_key(path, ghash) {
            Some(k) => k,
            None => match read(path, text, cache) {
                Some(s) => {
                    let k = Cache::key(s.as_bytes(), ghash);
                    src = Some(s);
                    k
                }
                None => {
                    out.broken.push(path.clone());
                    continue;
                }
            },
        };
        let summary = match cache.case(&key).map(|c| c.summary.clone()) {
            Some(s) => {
                cache.remember(path, ghash, &key);
                s
            }
            None => {
                let Some(src) = src.or_else(|| read(path, text, cache)) else {
                    out.broken.push(path.clone());
                    continue;
                };
                let loaded = super::load::load_str(path, src, goals);
                let Some(sc) = loaded.scenario else {
                    out.broken.push(path.clone());
                    continue;
                };
                if loaded.diagnostics.is_empty() {
                    cache.put_case(&key, Checked::of(&sc));
                    cache.remember(path, ghash, &key);
                }
                compiled.insert(path.as_path(), sc.clone());
                Summary::of(&sc)
            }
        };
        keys.insert(path.as_path(), key);
        found.push(Listed {
            languages: vec![summary.language.clone()],
            summary,
            path: path.clone(),
        });
    }
    for (path, text) in texts
        .iter()
        .filter(|(p, _)| translation_language(p).is_some())
    {
        let Some(base) = translated_file(path) else {
            continue;
        };
        let Some(base_key) = keys.get(base.as_path()).cloned() else {
            continue;
        };
        let mut src = None;
        let key = match cache.known_key(path, &base_key) {
            Some(k) => k,
            None => match read(path, text, cache) {
                Some(s) => {
                    let k = Cache::key(s.as_bytes(), &base_key);
                    src = Some(s);
                    k
                }
                None => continue,
            },
        };
        let language = match cache.translation(&key).cloned() {
            Some((_, lang)) => Some(lang),
            None => {
                let Some(src) = src.or_else(|| read(path, text, cache)) else {
                    continue;
                };
                let sc = match compiled.get(base.as_path()) {
                    Some(sc) => Some(sc.clone()),
                    None => super::load::read_source(&base)
                        .ok()
                        .or_else(|| {
                            FILES
                                .iter()
                                .find(|(n, _)| Path::new(SHIPPED_DIR).join(n) == base)
                                .map(|(_, s)| (*s).to_string())
                        })
                        .and_then(|s| {
                            let known = cache.case(&base_key).map(|c| (c.goal_ranges(), c.exact));
                            super::load::load_str_known(&base, s, goals, known).scenario
                        }),
                };
                let t = super::library::load_translation_str(path, src, sc.as_deref());
                match (&t.translation, t.diagnostics.is_empty()) {
                    (Some(tr), true) => {
                        cache.put_translation(&key, &tr.scenario, &tr.language);
                        Some(tr.language.clone())
                    }
                    (Some(tr), false) => Some(tr.language.clone()),
                    _ => None,
                }
            }
        };
        cache.remember(path, &base_key, &key);
        if let (Some(lang), Some(l)) = (language, found.iter_mut().find(|l| l.path == base)) {
            l.languages.push(lang);
        }
    }
    // A case in a folder takes the place of a shipped case with its id.
    for l in found {
        out.cases
            .retain(|c| !(c.summary.id == l.summary.id && is_shipped(&c.path)));
        out.cases.push(l);
    }
}

/// Where a case comes from, for a person: "shipped with Casus" or the folder of its file.
pub fn origin(path: Option<&Path>) -> String {
    match path {
        None => String::new(),
        Some(p) if is_shipped(p) => "shipped".to_string(),
        Some(p) => p
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .display()
            .to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_in_the_scenarios_folder_ships() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".ron") && n != "goals.ron")
            .collect();
        on_disk.sort();
        let shipped: Vec<&str> = FILES.iter().map(|(n, _)| *n).collect();
        assert_eq!(on_disk, shipped);
    }

    #[test]
    fn the_shipped_cases_check_clean_and_a_folder_case_takes_the_place_of_one() {
        let lib = shipped();
        assert_eq!(lib.diagnostics().count(), 0);
        assert_eq!(lib.playable().count(), 7);
        assert!(
            lib.find_in("stil-huis", "en")
                .is_some_and(|s| s.language == "en")
        );
        // A folder with its own copy of a shipped case: that copy is played, from its file.
        let dir = std::env::temp_dir().join(format!("casus-sources-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let (_, src) = FILES.iter().find(|(n, _)| *n == "stil-huis.ron").unwrap();
        std::fs::write(
            dir.join("stil-huis.ron"),
            src.replace("Stil huis", "Stil huis (eigen)"),
        )
        .unwrap();
        let lib = Sources::new(true, vec![dir.clone(), dir.join("missing")]).load();
        assert_eq!(lib.playable().count(), 7);
        let sc = lib.find("stil-huis").unwrap();
        assert_eq!(sc.title, "Stil huis (eigen)");
        assert_eq!(origin(sc.path.as_deref()), dir.display().to_string());
        // Its shipped translation went with the shipped case it translated.
        assert!(
            lib.find_in("stil-huis", "en")
                .is_some_and(|s| s.language == "nl")
        );
        assert_eq!(
            origin(
                lib.find("stil-huis")
                    .and(lib.find("maandag-blauwe-plekken"))
                    .and_then(|s| s.path.as_deref())
            ),
            "shipped"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A folder with `n` copies of the shipped "stil-huis" (and its translation) under new ids.
    fn folder(name: &str, n: usize) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("casus-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let text = |f: &str| FILES.iter().find(|(n, _)| *n == f).unwrap().1;
        for i in 0..n {
            let id = format!("stil-huis-{i}");
            let sc =
                text("stil-huis.ron").replacen("id: \"stil-huis\"", &format!("id: \"{id}\""), 1);
            let tr = text("stil-huis.en.ron").replacen(
                "scenario: \"stil-huis\"",
                &format!("scenario: \"{id}\""),
                1,
            );
            std::fs::write(dir.join(format!("{id}.ron")), sc).unwrap();
            std::fs::write(dir.join(format!("{id}.en.ron")), tr).unwrap();
        }
        dir
    }

    #[test]
    fn a_second_listing_reads_and_checks_nothing_and_a_change_is_seen() {
        let dir = folder("listing", 2);
        let data = dir.join("data");
        let sources = Sources::new(false, vec![dir.clone()]).cached_in(&data);
        let mut cache = sources.open_cache();
        let first = sources.listing(&mut cache);
        cache.save();
        assert_eq!(cache.analysed, 2);
        assert_eq!(first.cases.len(), 2);
        assert!(first.cases.iter().all(|c| c.languages == ["nl", "en"]));
        assert_eq!(
            first.cases,
            sources.listing(&mut Cache::in_memory()).cases,
            "as without a cache"
        );

        // Second time: nothing read, nothing analysed, the same listing.
        let mut cache = sources.open_cache();
        assert_eq!(sources.listing(&mut cache), first);
        assert_eq!((cache.read, cache.analysed), (0, 0));

        // A changed case is checked again; a broken file is listed as broken; a removed one
        // leaves the cache.
        let changed = dir.join("stil-huis-0.ron");
        let text = std::fs::read_to_string(&changed).unwrap().replacen(
            "title: \"Stil huis\"",
            "title: \"Stil huis, anders\"",
            1,
        );
        std::fs::write(&changed, text).unwrap();
        std::fs::write(dir.join("kapot.ron"), "(id: \"kapot\"").unwrap();
        std::fs::remove_file(dir.join("stil-huis-1.en.ron")).unwrap();
        let mut cache = sources.open_cache();
        let before = cache.files();
        let now = sources.listing(&mut cache);
        cache.save();
        assert_eq!(cache.analysed, 1);
        assert_eq!(now.broken, vec![dir.join("kapot.ron")]);
        let titles: Vec<(&str, usize)> = now
            .cases
            .iter()
            .map(|c| (c.summary.title.as_str(), c.languages.len()))
            .collect();
        assert_eq!(titles, vec![("Stil huis, anders", 2), ("Stil huis", 1)]);
        assert!(
            sources.open_cache().files() < before,
            "the removed translation is dropped"
        );

        // Loading the cases to play them uses the same cache: no analysis, the same ranges.
        let mut cache = sources.open_cache();
        let lib = sources.load_with(&mut cache);
        assert_eq!(cache.analysed, 0);
        let fresh = Sources::new(false, vec![dir.clone()]).load();
        for sc in lib.playable() {
            let other = fresh.find(&sc.id).unwrap();
            assert_eq!(sc.ranges, other.ranges);
            assert_eq!(sc.ranges_exact, other.ranges_exact);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn parts_arrive_in_groups_and_add_up_to_the_whole() {
        let dir = folder("parts", 5);
        let sources = Sources::new(true, vec![dir.clone()]);
        let mut sizes = Vec::new();
        let mut all = Library::default();
        sources.load_in_parts(&mut Cache::in_memory(), 2, &mut |lib, folder| {
            sizes.push((folder, lib.playable().count(), lib.translations.len()));
            all.merge(lib);
        });
        assert_eq!(
            sizes,
            vec![
                (None, 7, 7),
                (Some(0), 2, 2),
                (Some(0), 2, 2),
                (Some(0), 1, 1)
            ]
        );
        assert_eq!(all.playable().count(), 12);
        assert_eq!(all.diagnostics().count(), 0);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
