//! The desktop app: a Bevy window with a bevy_egui interface, a face on the core.
//!
//! One plugin per file: [`flow`] (screen state and actions), [`ui`] (egui drawing), [`scene`]
//! (the Bevy-drawn characters), [`assets`] (scenario files with hot reload) and [`screenshot`]
//! (render a screen to PNG and exit). [`controller`] and [`viewmodels`] hold the app's logic
//! without Bevy; [`views`] draw with egui and return actions.

pub mod assets;
pub mod author;
pub mod controller;
pub mod debrief_page;
pub mod flow;
pub mod scene;
pub mod screenshot;
pub mod ui;
pub mod viewmodels;
pub mod views;

use std::path::PathBuf;
use std::process::ExitCode;

use bevy::prelude::*;
use bevy::winit::WinitSettings;
use bevy_egui::EguiPlugin;

use crate::records::{SqliteStore, Store};
use crate::scenario::sources::Sources;

/// How the app is started.
#[derive(Debug, Clone)]
pub struct AppOptions {
    /// Where the cases are; the last folder is watched for changes (live reload).
    pub sources: Sources,
    pub data: PathBuf,
    pub language: Option<String>,
    /// Trainers see the Author screen; trainees never do.
    pub trainer: bool,
    /// Window size in logical pixels.
    pub size: (u32, u32),
    /// Text size to set (remembered).
    pub font_size: Option<f32>,
    pub screenshot: Option<screenshot::ScreenshotPlan>,
}

/// Opens the window and runs until it is closed.
pub fn run(opts: AppOptions) -> ExitCode {
    let started = std::time::Instant::now();
    let store = match SqliteStore::open(&opts.data) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    // The folder watched for changes: the last one given, else the data folder's own, which is
    // made on first use so that a trainer has a place to put cases.
    let mut others = opts.sources.clone();
    let watched = others
        .folders
        .pop()
        .unwrap_or_else(|| opts.data.join("scenarios"));
    // Folders added in the app (remembered in the settings).
    others
        .folders
        .extend(store.settings().folders.iter().map(PathBuf::from));
    if !watched.is_dir() && watched == opts.data.join("scenarios") {
        let _ = std::fs::create_dir_all(&watched);
    }
    let scenarios = std::fs::canonicalize(&watched).unwrap_or(watched);
    if !scenarios.is_dir() {
        eprintln!(
            "error: the scenarios folder {} does not exist (use --scenarios DIR)",
            scenarios.display()
        );
        return ExitCode::from(2);
    }
    let shooting = opts.screenshot.is_some();
    // A picture needs every case at once; a trainee's window opens at once and the cases
    // arrive as they are checked (off the main thread, from the cache when it can).
    let (library, base) = if shooting {
        let base = others.load();
        let mut library = base.clone();
        let mut cache = others.open_cache();
        library.merge(crate::scenario::library::load_paths_with(
            std::slice::from_ref(&scenarios),
            &mut cache,
        ));
        cache.save();
        (library, Some(base))
    } else {
        (crate::scenario::Library::default(), None)
    };
    let mut core = controller::AppCore::new(store, library);
    core.trainer = opts.trainer;
    if let Some(lang) = &opts.language {
        core.apply(views::Action::SetLanguage(lang.clone()), 0);
    }
    if let Some(size) = opts.font_size {
        core.apply(views::Action::FontSize(size), 0);
    }
    let mut app = App::new();
    app.add_plugins(
        DefaultPlugins
            .set(WindowPlugin {
                primary_window: Some(Window {
                    title: "Casus".into(),
                    resolution: opts.size.into(),
                    ..default()
                }),
                ..default()
            })
            .set(AssetPlugin {
                file_path: scenarios.display().to_string(),
                watch_for_changes_override: Some(!shooting),
                ..default()
            }),
    )
    .insert_resource(if shooting {
        WinitSettings::game()
    } else {
        WinitSettings::desktop_app()
    })
    .add_plugins(EguiPlugin::default())
    .insert_resource(flow::Core(core))
    .insert_resource(assets::ScenarioDir(scenarios.clone()))
    .add_plugins((flow::plugin, ui::plugin, scene::plugin, assets::plugin))
    // The clock starts with the process, so "first frame after N ms" counts the whole start-up.
    .insert_resource(flow::Clock(started));
    match base {
        Some(base) => {
            app.insert_resource(assets::BaseLibrary(base));
        }
        None => {
            let mut all = others;
            all.folders.push(scenarios);
            app.insert_resource(assets::Arrivals::start(all));
        }
    }
    if let Some(plan) = opts.screenshot {
        app.insert_resource(plan).add_plugins(screenshot::plugin);
    }
    match app.run() {
        AppExit::Success => ExitCode::SUCCESS,
        AppExit::Error(_) => ExitCode::from(1),
    }
}
