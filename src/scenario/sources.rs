//! Where cases come from: the cases that ship with Casus are compiled into the binary, so the
//! program alone is the product; an organisation's own cases and a trainer's drafts live in
//! folders (the data directory's `scenarios` folder, folders given with `--scenarios`, folders
//! added in the app). A case in a folder with the id of a shipped case takes its place.

use std::path::{Path, PathBuf};

use super::library::{Library, from_texts, load_paths};

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
    from_texts(
        None,
        FILES
            .iter()
            .map(|(name, src)| (Path::new(SHIPPED_DIR).join(name), (*src).to_string()))
            .collect(),
    )
}

/// Where to find cases: the shipped ones (unless left out) and folders.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sources {
    pub shipped: bool,
    pub folders: Vec<PathBuf>,
}

impl Sources {
    /// The shipped cases and the given folders.
    pub fn new(shipped: bool, folders: Vec<PathBuf>) -> Sources {
        Sources { shipped, folders }
    }

    /// Loads and checks every case. Folders that do not exist are skipped.
    pub fn load(&self) -> Library {
        let mut lib = if self.shipped {
            shipped()
        } else {
            Library::default()
        };
        for f in &self.folders {
            if f.is_dir() {
                lib.merge(load_paths(std::slice::from_ref(f)));
            }
        }
        if lib.goals.is_empty() {
            lib.goals = super::load::builtin_goals();
        }
        lib
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
}
