//! Scenario files as Bevy assets with hot reload: a trainer saves a file and the library
//! updates; a broken file shows its diagnostics in the library and the rest keeps working.
//!
//! The loader only reads text; checking is the core's job ([`crate::scenario::library::from_texts`]).

use std::path::PathBuf;

use bevy::asset::io::Reader;
use bevy::asset::{AssetLoader, LoadContext, LoadedFolder};
use bevy::prelude::*;

use super::flow::Core;

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
/// Present once they are all loaded; the watched folder is reloaded on top of them.
#[derive(Resource, Clone, Default)]
pub struct BaseLibrary(pub crate::scenario::Library);

/// What the loading thread sends.
enum Arrival {
    /// Cases just checked, and whether they come from the watched (last) folder.
    Part(crate::scenario::Library, bool),
    /// The whole library anew (after a file in the watched folder changed).
    Replace(crate::scenario::Library),
    Done,
}

/// The cases arriving from the thread that reads and checks them.
#[derive(Resource)]
pub struct Arrivals {
    rx: std::sync::Mutex<std::sync::mpsc::Receiver<Arrival>>,
    base: crate::scenario::Library,
    started: std::time::Instant,
    /// A reload of the watched folder: the base stays as it is.
    reload: bool,
}

impl Arrivals {
    /// Starts reading `sources` (the watched folder last) on a thread of its own.
    pub fn start(sources: crate::scenario::sources::Sources) -> Arrivals {
        let (tx, rx) = std::sync::mpsc::channel();
        let watched = sources.folders.len().checked_sub(1);
        std::thread::spawn(move || {
            let mut cache = sources.open_cache();
            sources.load_in_parts(&mut cache, 25, &mut |lib, folder| {
                let _ = tx.send(Arrival::Part(lib, folder.is_some() && folder == watched));
            });
            cache.save();
            let _ = tx.send(Arrival::Done);
        });
        Arrivals {
            rx: std::sync::Mutex::new(rx),
            base: crate::scenario::Library::default(),
            started: std::time::Instant::now(),
            reload: false,
        }
    }

    /// Rebuilds the library from `base` and the watched folder's texts on a thread of its own.
    fn reload(
        base: crate::scenario::Library,
        goals: Option<Text>,
        files: Vec<Text>,
        cache: crate::scenario::cache::Cache,
    ) -> Arrivals {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut cache = cache;
            let mut lib = base;
            lib.merge(crate::scenario::library::from_texts_with(
                goals, files, &mut cache,
            ));
            cache.save();
            let _ = tx.send(Arrival::Replace(lib));
            let _ = tx.send(Arrival::Done);
        });
        Arrivals {
            rx: std::sync::Mutex::new(rx),
            base: crate::scenario::Library::default(),
            started: std::time::Instant::now(),
            reload: true,
        }
    }
}

/// Puts the cases that arrived into the library, and the window on.
fn arrive(
    mut commands: Commands,
    arrivals: Option<ResMut<Arrivals>>,
    mut core: ResMut<Core>,
    mut redraw: MessageWriter<bevy::window::RequestRedraw>,
    mut winit: Option<ResMut<bevy::winit::WinitSettings>>,
) {
    let Some(mut arrivals) = arrivals else { return };
    let mut got = Vec::new();
    if let Ok(rx) = arrivals.rx.lock() {
        got.extend(rx.try_iter());
    }
    let mut changed = false;
    let mut done = false;
    for a in got {
        match a {
            Arrival::Part(lib, watched) => {
                if !watched {
                    arrivals.base.merge(lib.clone());
                }
                core.library.merge(lib);
                changed = true;
            }
            Arrival::Replace(lib) => {
                info!(
                    "scenario library reloaded: {} playable, {} with errors",
                    lib.playable().count(),
                    lib.scenarios
                        .iter()
                        .filter(|l| l.scenario.is_none())
                        .count()
                );
                core.library = lib;
                changed = true;
            }
            Arrival::Done => done = true,
        }
    }
    core.library_vm.loading = !done;
    if changed || done {
        core.refresh_library();
        redraw.write(bevy::window::RequestRedraw);
    }
    if done {
        if !arrivals.reload {
            info!(
                "library loaded: {} cases in {} ms",
                core.library.playable().count(),
                arrivals.started.elapsed().as_millis()
            );
            commands.insert_resource(BaseLibrary(std::mem::take(&mut arrivals.base)));
        }
        commands.remove_resource::<Arrivals>();
        // Back to resting until something happens.
        if let Some(w) = winit.as_deref_mut() {
            *w = bevy::winit::WinitSettings::desktop_app();
        }
    } else if let Some(w) = winit.as_deref_mut() {
        // The window does not wake up for the thread by itself: look a few times a second
        // while cases arrive.
        let look = bevy::winit::UpdateMode::reactive(std::time::Duration::from_millis(250));
        if w.focused_mode != look {
            w.focused_mode = look;
            w.unfocused_mode = look;
        }
    }
}

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
    core: Res<Core>,
    mut commands: Commands,
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
    // Checked off the main thread; `arrive` puts the result in place.
    let cache = core
        .store
        .path()
        .parent()
        .map_or_else(crate::scenario::cache::Cache::in_memory, |d| {
            crate::scenario::cache::Cache::open(d)
        });
    commands.insert_resource(Arrivals::reload(base.0.clone(), goals, files, cache));
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
        .add_systems(Update, arrive)
        .add_systems(
            Update,
            (scan, reload).chain().run_if(
                resource_exists::<ScenarioFolder>
                    .and_then(resource_exists::<BaseLibrary>)
                    .and_then(not(resource_exists::<Arrivals>)),
            ),
        );
}
