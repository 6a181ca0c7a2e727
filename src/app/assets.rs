//! Scenario files as Bevy assets with hot reload: a trainer saves a file and the library
//! updates; a broken file shows its diagnostics in the library and the rest keeps working.
//!
//! The loader only reads text; checking is the core's job ([`crate::scenario::library::from_texts`]).

use std::path::PathBuf;

use bevy::asset::io::Reader;
use bevy::asset::{AssetLoader, LoadContext, LoadedFolder};
use bevy::prelude::*;

use super::flow::Core;
use crate::scenario::library::from_texts;

/// The text of a `.ron` file in the scenarios folder.
#[derive(Asset, TypePath, Debug)]
pub struct CaseText(pub String);

#[derive(Default, TypePath)]
struct CaseTextLoader;

impl AssetLoader for CaseTextLoader {
    type Asset = CaseText;
    type Settings = ();
    type Error = std::io::Error;

    async fn load(
        &self,
        reader: &mut dyn Reader,
        _: &(),
        _: &mut LoadContext<'_>,
    ) -> Result<CaseText, Self::Error> {
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes).await?;
        // Not UTF-8: keep the bytes visible as text so the checker can report the file.
        Ok(CaseText(String::from_utf8(bytes).unwrap_or_else(|e| {
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        })))
    }

    fn extensions(&self) -> &[&str] {
        &["ron"]
    }
}

/// The scenarios folder on disk, and the folder handle that keeps its files loaded.
#[derive(Resource)]
pub struct ScenarioFolder {
    pub dir: PathBuf,
    handle: Handle<LoadedFolder>,
    /// Files that appeared after the folder was loaded (the watcher reports changes, not new files).
    extra: Vec<Handle<CaseText>>,
    dirty: bool,
    /// The folder's files as last read.
    last: Option<FolderTexts>,
}

fn watch(mut commands: Commands, server: Res<AssetServer>, dir: Res<ScenarioDir>) {
    let handle = server.load_folder(".");
    commands.insert_resource(ScenarioFolder {
        dir: dir.0.clone(),
        handle,
        extra: Vec::new(),
        dirty: false,
        last: None,
    });
}

/// A file's path and text.
type Text = (PathBuf, String);
/// A folder's goals catalogue (if it has one) and its other files.
type FolderTexts = (Option<Text>, Vec<Text>);

/// The folder the asset server reads scenarios from.
#[derive(Resource, Clone)]
pub struct ScenarioDir(pub PathBuf);

/// The cases that do not come from the watched folder: the shipped ones and other folders.
#[derive(Resource, Clone, Default)]
pub struct BaseLibrary(pub crate::scenario::Library);

// A Bevy system receives its data as parameters.
#[allow(clippy::too_many_arguments)]
fn reload(
    mut events: MessageReader<AssetEvent<CaseText>>,
    mut folder_events: MessageReader<AssetEvent<LoadedFolder>>,
    mut folder: ResMut<ScenarioFolder>,
    folders: Res<Assets<LoadedFolder>>,
    texts: Res<Assets<CaseText>>,
    server: Res<AssetServer>,
    base: Res<BaseLibrary>,
    mut core: ResMut<Core>,
) {
    // A changed file, or a file added to or removed from the folder.
    let changed = events.read().any(|e| {
        matches!(
            e,
            AssetEvent::Modified { .. } | AssetEvent::Removed { .. } | AssetEvent::Added { .. }
        )
    });
    let folder_changed = folder_events.read().any(|e| {
        matches!(
            e,
            AssetEvent::Modified { .. } | AssetEvent::LoadedWithDependencies { .. }
        )
    });
    if changed || folder_changed {
        folder.dirty = true;
    }
    if !folder.dirty {
        return;
    }
    let Some(loaded) = folders.get(&folder.handle).map(|f| f.handles.clone()) else {
        return;
    };
    let mut goals = None;
    let mut files = Vec::new();
    let typed = loaded
        .iter()
        .filter_map(|h| h.clone().try_typed::<CaseText>().ok())
        .chain(folder.extra.iter().cloned());
    let mut seen = std::collections::HashSet::new();
    for h in typed {
        let Some(path) = server.get_path(h.id()) else {
            continue;
        };
        if !seen.insert(path.path().to_path_buf()) || !folder.dir.join(path.path()).is_file() {
            continue; // listed twice, or deleted since
        }
        let Some(text) = texts.get(&h) else { return }; // still loading: try next frame
        let full = folder.dir.join(path.path());
        if full.file_name().is_some_and(|n| n == "goals.ron") {
            goals = Some((full, text.0.clone()));
        } else {
            files.push((full, text.0.clone()));
        }
    }
    folder.dirty = false;
    files.sort();
    let now = Some((goals.clone(), files.clone()));
    // The first load repeats what is already in the library: nothing to redo.
    let unchanged = match &folder.last {
        Some(_) => folder.last == now,
        None => {
            files
                .iter()
                .all(|(p, t)| core.library.source(p) == Some(t.as_str()))
                && core
                    .library
                    .scenarios
                    .iter()
                    .map(|l| &l.path)
                    .chain(core.library.translations.iter().map(|t| &t.path))
                    .filter(|p| p.starts_with(&folder.dir))
                    .count()
                    == files.len()
        }
    };
    folder.last = now;
    if unchanged {
        return;
    }
    let mut lib = base.0.clone();
    lib.merge(from_texts(goals, files));
    info!(
        "scenario library reloaded: {} playable, {} with errors",
        lib.playable().count(),
        lib.scenarios
            .iter()
            .filter(|l| l.scenario.is_none())
            .count()
    );
    core.library = lib;
    core.refresh_library();
}

/// Every two seconds: files added to or removed from the folder.
fn scan(
    mut folder: ResMut<ScenarioFolder>,
    server: Res<AssetServer>,
    time: Res<Time>,
    mut next: Local<f32>,
    folders: Res<Assets<LoadedFolder>>,
) {
    *next -= time.delta_secs();
    if *next > 0.0 {
        return;
    }
    *next = 2.0;
    let Some(loaded) = folders.get(&folder.handle) else {
        return;
    };
    let known: std::collections::HashSet<PathBuf> = loaded
        .handles
        .iter()
        .map(|h| h.id())
        .chain(folder.extra.iter().map(|h| h.id().untyped()))
        .filter_map(|id| server.get_path(id).map(|p| p.path().to_path_buf()))
        .collect();
    let on_disk: Vec<PathBuf> = std::fs::read_dir(&folder.dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| PathBuf::from(e.file_name()))
                .filter(|p| p.extension().is_some_and(|x| x == "ron"))
                .collect()
        })
        .unwrap_or_default();
    for p in &on_disk {
        if !known.contains(p) {
            let h = server.load::<CaseText>(p.clone());
            folder.extra.push(h);
        }
    }
    if known.iter().any(|p| !on_disk.contains(p)) {
        folder.dirty = true;
    }
}

pub fn plugin(app: &mut App) {
    app.init_asset::<CaseText>()
        .register_asset_loader(CaseTextLoader)
        .add_systems(Startup, watch)
        .add_systems(
            Update,
            (scan, reload)
                .chain()
                .run_if(resource_exists::<ScenarioFolder>),
        );
}
