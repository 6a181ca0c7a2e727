//! The screen flow in a headless Bevy app (MinimalPlugins + states): profile → library → play →
//! debrief → progress, driven by actions; and an attempt closed mid-scenario resumes.
#![cfg(feature = "desktop")]

use std::path::PathBuf;

use bevy::prelude::*;
use bevy::state::app::StatesPlugin;
use casus::app::controller::AppCore;
use casus::app::flow::{self, Core, Screen, UiAction};
use casus::app::views::{Action, ScreenId};
use casus::play::Mode;
use casus::records::{SqliteStore, Status, Store};
use casus::scenario::load_paths;

mod common;
use casus::score::expert_choice;

fn data_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("casus-flow-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn app(data: &std::path::Path) -> App {
    app_of(
        data,
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"),
    )
}

/// The headless app with the cases at `cases` (a folder or a file).
fn app_of(data: &std::path::Path, cases: &std::path::Path) -> App {
    let lib = load_paths(&[cases.to_path_buf()]);
    let core = AppCore::new(SqliteStore::open(data).unwrap(), lib);
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, StatesPlugin))
        .insert_resource(Core(core))
        .add_plugins(flow::plugin);
    app.update();
    app
}

/// Sends an action through the Bevy app (as a click would).
fn send(app: &mut App, a: Action) {
    app.world_mut().write_message(UiAction(a));
    app.update();
    app.update();
}

/// Sends an action that must succeed.
fn act(app: &mut App, a: Action) {
    send(app, a);
    let core = app.world().resource::<Core>();
    assert!(core.error.is_none(), "{:?}", core.error);
}

/// A new profile `name` that starts the fixture case `mini` in `mode`.
fn start_mini(app: &mut App, name: &str, mode: Mode) {
    act(
        app,
        Action::CreateProfile {
            name: name.into(),
            skj: String::new(),
        },
    );
    act(
        app,
        Action::Start {
            scenario: "mini".into(),
            mode,
        },
    );
}

fn screen(app: &App) -> Screen {
    *app.world().resource::<State<Screen>>().get()
}

/// The expert's next choice in the running case.
fn expert(app: &App) -> usize {
    let core = app.world().resource::<Core>();
    let s = &core.run.as_ref().unwrap().session;
    let c = expert_choice(s.scenario(), s.state(), s.node()).unwrap();
    s.scenario()
        .offered(s.node())
        .iter()
        .position(|&o| o == c)
        .unwrap()
}

#[test]
fn profile_library_play_debrief_progress() {
    let data = data_dir("full");
    let mut app = app(&data);
    assert_eq!(screen(&app), Screen::Profiles);
    act(
        &mut app,
        Action::CreateProfile {
            name: "Anna".into(),
            skj: "12345".into(),
        },
    );
    assert_eq!(screen(&app), Screen::Library);
    assert_eq!(app.world().resource::<Core>().library_vm.cards.len(), 1);
    act(
        &mut app,
        Action::Start {
            scenario: "mini".into(),
            mode: Mode::Practice,
        },
    );
    assert_eq!(screen(&app), Screen::Play);
    let vm = app.world().resource::<Core>().play_vm(0, "").unwrap();
    assert_eq!(vm.lines[0].text, "Ik heb pijn.");
    assert_eq!(vm.offers.len(), 2);
    while !app
        .world()
        .resource::<Core>()
        .run
        .as_ref()
        .unwrap()
        .session
        .is_finished()
    {
        let pos = expert(&app);
        act(&mut app, Action::Choose(pos));
        let vm = app.world().resource::<Core>().play_vm(0, "").unwrap();
        // Practice: the feedback appears with the choice, marked, before the story moves on.
        let fb = vm.feedback.expect("practice shows feedback");
        assert!(vm.reading && vm.offers.iter().all(|o| o.available) || vm.finished);
        assert_eq!(fb.quality, casus::app::views::play::Quality::Good);
        assert!(
            !fb.points.contains("signal"),
            "goal names, not ids: {}",
            fb.points
        );
        if !vm.finished {
            // Choosing again before going on is ignored; Continue shows the next part.
            let step = vm.step;
            act(&mut app, Action::Choose(0));
            let again = app.world().resource::<Core>().play_vm(0, "").unwrap();
            assert_eq!(again.step, step);
            act(&mut app, Action::Continue);
            let next = app.world().resource::<Core>().play_vm(0, "").unwrap();
            assert!(!next.reading && next.step == step + 1);
            assert!(!next.transcript.is_empty(), "what was said stays readable");
        }
    }
    act(&mut app, Action::Continue);
    assert_eq!(screen(&app), Screen::Debrief);
    let d = app.world().resource::<Core>().last_debrief.clone().unwrap();
    assert!(d.passed);
    assert_eq!(d.goals.len(), 3);
    // The reasons speak the interface language (Dutch by default).
    assert_eq!(
        d.reasons[0],
        (
            true,
            "De afloop is veilig: die telt voor slagen.".to_string()
        )
    );
    assert_eq!(
        d.reasons.last().unwrap(),
        &(true, "Totaalscore 100%, de slaaggrens is 60%.".to_string())
    );
    assert_eq!(d.outcome, "veilig");
    act(
        &mut app,
        Action::SaveReflection("Eerder overleggen.".into()),
    );
    act(&mut app, Action::Go(ScreenId::Progress));
    assert_eq!(screen(&app), Screen::Progress);
    let p = app.world().resource::<Core>().progress_vm();
    assert_eq!(p.attempts.len(), 1);
    assert!(p.attempts[0].passed);
    assert_eq!(p.series.len(), 3);
    // Everything was saved as it happened.
    let store = SqliteStore::open(&data).unwrap();
    let prof = &store.profiles()[0];
    assert_eq!(prof.skj.as_deref(), Some("12345"));
    let attempts = store.attempts(&prof.id);
    assert_eq!(attempts.len(), 1);
    assert_eq!(attempts[0].status, Status::Finished);
    assert_eq!(attempts[0].reflection, "Eerder overleggen.");
}

#[test]
fn switching_language_mid_case_shows_the_case_in_that_language() {
    let data = data_dir("switch-lang");
    let mut app = app(&data);
    start_mini(&mut app, "Gijs", Mode::Practice);
    act(&mut app, Action::Choose(0));
    act(&mut app, Action::SetLanguage("en".into()));
    let vm = app.world().resource::<Core>().play_vm(0, "").unwrap();
    // The feedback still waits with the choice made, now in English.
    let fb = vm.feedback.as_ref().unwrap();
    assert_eq!(fb.choice, "Ask");
    assert!(
        fb.points.contains("Recognise and map signals"),
        "{}",
        fb.points
    );
    act(&mut app, Action::Continue);
    let vm = app.world().resource::<Core>().play_vm(0, "").unwrap();
    assert_eq!(vm.transcript[0].1, "Ask", "the earlier part is shown anew");
    let texts: Vec<&str> = vm.lines.iter().map(|l| l.text.as_str()).collect();
    assert!(
        texts.contains(&"Father is at home.") || texts.contains(&"Father is away."),
        "{texts:?}"
    );
    // The run itself did not change: same decisions, same record.
    let core = app.world().resource::<Core>();
    assert_eq!(core.run.as_ref().unwrap().session.path().len(), 1);
}

#[test]
fn a_past_debrief_reopens_and_saves_as_a_page_and_progress_keeps_modes_apart() {
    let data = data_dir("reopen");
    let mut app = app(&data);
    start_mini(&mut app, "Fee", Mode::Exam);
    for pos in [0, 0, 0] {
        act(&mut app, Action::Choose(pos));
    }
    act(&mut app, Action::Continue);
    let first = app.world().resource::<Core>().last_debrief.clone().unwrap();
    assert!(first.passed);
    act(
        &mut app,
        Action::Start {
            scenario: "mini".into(),
            mode: Mode::Practice,
        },
    );
    for pos in [1, 1, 1] {
        act(&mut app, Action::Choose(pos));
        act(&mut app, Action::Continue);
    }
    act(&mut app, Action::Go(ScreenId::Progress));
    let p = app.world().resource::<Core>().progress_vm();
    assert_eq!(p.attempts.len(), 2);
    // Exams first (there is one): the practice run is not on the exam chart.
    assert_eq!((p.mode, p.x_labels.len()), (Mode::Exam, 1));
    act(
        &mut app,
        Action::ProgressFilter {
            mode: Mode::Practice,
            case: Some("mini".into()),
        },
    );
    let p = app.world().resource::<Core>().progress_vm();
    assert_eq!((p.mode, p.x_labels.len()), (Mode::Practice, 1));
    // The exam's debrief, reopened from its record, says what it said.
    let exam = p.attempts.iter().find(|a| a.passed).unwrap().id.clone();
    act(&mut app, Action::OpenDebrief(exam));
    assert_eq!(screen(&app), Screen::Debrief);
    let again = app.world().resource::<Core>().last_debrief.clone().unwrap();
    assert_eq!(again.reasons, first.reasons);
    assert_eq!(again.ending_text, first.ending_text);
    // An attempt that is not there is said plainly, in the interface language.
    send(&mut app, Action::OpenDebrief("no-such-attempt".into()));
    assert_eq!(
        app.world().resource::<Core>().error.as_deref(),
        Some("Die poging bestaat niet meer.")
    );
    act(&mut app, Action::SaveDebrief);
    let notice = app.world().resource::<Core>().notice.clone().unwrap();
    let path = notice
        .strip_prefix("De nabespreking is opgeslagen in ")
        .unwrap();
    let html = std::fs::read_to_string(path).unwrap();
    assert!(html.contains("De afloop is veilig: die telt voor slagen."));
    assert!(html.contains("<h2>Oordeel: Geslaagd</h2>"), "{html}");
}

#[test]
fn an_attempt_closed_mid_scenario_resumes() {
    let data = data_dir("resume");
    {
        let mut app = app(&data);
        start_mini(&mut app, "Bo", Mode::Exam);
        act(&mut app, Action::Choose(0));
        act(&mut app, Action::SaveNotes("blauwe plek".into()));
    } // the app is gone without finishing
    let mut app = app(&data);
    let rows = app.world().resource::<Core>().profiles_vm.rows.clone();
    assert_eq!(rows[0].unfinished.len(), 1);
    let offered = rows[0].unfinished[0].clone();
    assert_eq!((offered.title.as_str(), offered.decisions), ("Mini", 1));
    let attempt = offered.attempt;
    act(&mut app, Action::Resume(attempt));
    assert_eq!(screen(&app), Screen::Play);
    let core = app.world().resource::<Core>();
    let run = core.run.as_ref().unwrap();
    assert_eq!(run.session.path().len(), 1);
    assert_eq!(run.attempt.notes, "blauwe plek");
    assert_eq!(
        run.session.scenario().nodes[run.session.node() as usize].id,
        "overleg"
    );
}

#[test]
fn starting_a_case_in_progress_resumes_it_and_the_library_says_so() {
    let data = data_dir("one-attempt");
    let mut app = app(&data);
    start_mini(&mut app, "Eva", Mode::Exam);
    act(&mut app, Action::Choose(0));
    // An exam is blind: no feedback waits, and nothing tells how a person fared.
    let vm = app.world().resource::<Core>().play_vm(0, "").unwrap();
    assert!(vm.feedback.is_none() && !vm.reading && vm.exam);
    act(&mut app, Action::Go(ScreenId::Library));
    let card = app.world().resource::<Core>().library_vm.cards[0].clone();
    assert_eq!(card.in_progress, Some((Mode::Exam, 1)));
    // Start again, even asking for practice: the exam in progress continues.
    act(
        &mut app,
        Action::Start {
            scenario: "mini".into(),
            mode: Mode::Practice,
        },
    );
    assert_eq!(screen(&app), Screen::Play);
    let core = app.world().resource::<Core>();
    let run = core.run.as_ref().unwrap();
    assert_eq!(run.session.path().len(), 1);
    assert_eq!(run.session.mode(), Mode::Exam);
    let store = SqliteStore::open(&data).unwrap();
    assert_eq!(
        store.attempts(&store.profiles()[0].id).len(),
        1,
        "no second attempt"
    );
}

#[test]
fn an_unfinished_attempt_can_be_closed_instead_of_resumed() {
    let data = data_dir("abandon");
    {
        let mut app = app(&data);
        start_mini(&mut app, "Cor", Mode::Exam);
        act(&mut app, Action::Choose(0));
    }
    let mut app = app(&data);
    let rows = app.world().resource::<Core>().profiles_vm.rows.clone();
    assert_eq!(rows[0].unfinished.len(), 1, "offered");
    let attempt = rows[0].unfinished[0].attempt.clone();
    act(&mut app, Action::Abandon(attempt.clone()));
    let core = app.world().resource::<Core>();
    assert!(
        core.profiles_vm.rows[0].unfinished.is_empty(),
        "no longer offered"
    );
    let store = SqliteStore::open(&data).unwrap();
    let a = store.attempts(&store.profiles()[0].id)[0].clone();
    assert_eq!((a.id, a.status), (attempt, Status::Abandoned));
    let decisions = a
        .session
        .unwrap()
        .log
        .iter()
        .filter(|e| matches!(e, casus::play::LogEntry::Decision { .. }))
        .count();
    assert_eq!(decisions, 1, "its decision is kept");
}

#[test]
fn language_and_font_size_are_remembered() {
    let data = data_dir("settings");
    {
        let mut app = app(&data);
        act(&mut app, Action::SetLanguage("en".into()));
        act(&mut app, Action::FontSize(20.0));
    }
    let app = app(&data);
    let core = app.world().resource::<Core>();
    assert_eq!(core.tr.lang, "en");
    assert_eq!(core.store.settings().font_size, 20.0);
}

#[test]
fn authors_play_from_any_node_with_variables_and_nothing_is_recorded() {
    let data = data_dir("author");
    let mut app = app(&data);
    act(
        &mut app,
        Action::CreateProfile {
            name: "Trainer".into(),
            skj: String::new(),
        },
    );
    // A trainee never reaches the Author screen; a trainer's session does.
    send(&mut app, Action::Go(ScreenId::Author));
    assert_ne!(screen(&app), Screen::Author);
    assert_eq!(
        app.world().resource::<Core>().error.as_deref(),
        Some("Het scherm Auteur is er alleen voor trainers (start Casus met --trainer).")
    );
    app.world_mut().resource_mut::<Core>().trainer = true;
    act(&mut app, Action::Go(ScreenId::Author));
    assert_eq!(screen(&app), Screen::Author);
    act(&mut app, Action::AuthorSelect("mini.ron".into()));
    {
        let core = app.world().resource::<Core>();
        let vm = &core.author_vm;
        assert_eq!(vm.files.iter().filter(|f| f.scenario.is_some()).count(), 1);
        assert!(vm.report.as_ref().unwrap().exact);
        assert!(vm.graph.is_some());
        assert!(vm.diagnostics.is_empty(), "{}", vm.diagnostics);
        assert_eq!(vm.vars.len(), 2);
    }
    act(
        &mut app,
        Action::PlayFrom {
            scenario: "mini".into(),
            node: "besluit".into(),
            vars: vec![("overlegd".into(), 1), ("zorgen".into(), 2)],
        },
    );
    assert_eq!(screen(&app), Screen::Play);
    let vm = app.world().resource::<Core>().play_vm(0, "").unwrap();
    assert!(
        vm.offers[0].available,
        "reporting is open with the variables set"
    );
    assert!(vm.vars.contains(&("zorgen".to_string(), "2".to_string())));
    act(&mut app, Action::Choose(0));
    act(&mut app, Action::Continue);
    assert_eq!(screen(&app), Screen::Debrief);
    let store = SqliteStore::open(&data).unwrap();
    assert!(
        store.attempts(&store.profiles()[0].id).is_empty(),
        "authoring runs are not attempts"
    );
}

#[test]
fn a_broken_file_shows_its_diagnostics_and_the_rest_keeps_working() {
    use casus::scenario::library::from_texts;
    let data = data_dir("broken");
    let mut app = app(&data);
    act(
        &mut app,
        Action::CreateProfile {
            name: "Cor".into(),
            skj: String::new(),
        },
    );
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mini = std::fs::read_to_string(root.join("tests/fixtures/mini.ron")).unwrap();
    // What the asset watcher hands over after a trainer saved a broken second file.
    let lib = from_texts(
        None,
        vec![
            (root.join("tests/fixtures/mini.ron"), mini),
            (
                root.join("tests/fixtures/kapot.ron"),
                "(id: \"kapot\", version: \"1\"".into(),
            ),
        ],
    );
    {
        let mut core = app.world_mut().resource_mut::<Core>();
        core.library = lib;
        core.refresh_library();
        assert_eq!(
            core.library_vm.cards.len(),
            1,
            "the good scenario stays playable"
        );
        assert_eq!(core.library_vm.broken.len(), 1);
        assert!(core.library_vm.broken[0].0.ends_with("kapot.ron"));
        assert!(
            core.library_vm.broken[0].1.contains("syntax"),
            "{}",
            core.library_vm.broken[0].1
        );
    }
    act(
        &mut app,
        Action::Start {
            scenario: "mini".into(),
            mode: Mode::Exam,
        },
    );
    assert_eq!(screen(&app), Screen::Play);
}

#[test]
fn when_the_records_cannot_be_written_play_goes_on_and_catches_up_later() {
    let data = data_dir("readonly");
    let mut app = app(&data);
    start_mini(&mut app, "Dirk", Mode::Exam);
    act(&mut app, Action::Choose(0));
    // The disk refuses writes (read-only, full): SQLite reports it on the next commit.
    let set_read_only = |app: &mut App, on: bool| {
        app.world()
            .resource::<Core>()
            .store
            .conn()
            .pragma_update(None, "query_only", on)
            .unwrap();
    };
    set_read_only(&mut app, true);
    send(&mut app, Action::Choose(0));
    {
        let core = app.world().resource::<Core>();
        let err = core.error.clone().expect("the trainee is told");
        assert!(
            err.contains("readonly") || err.contains("read-only"),
            "{err}"
        );
        assert_eq!(screen(&app), Screen::Play, "play goes on");
        assert_eq!(
            core.run.as_ref().unwrap().session.path().len(),
            2,
            "kept in memory"
        );
    }
    send(&mut app, Action::Choose(0));
    send(&mut app, Action::Continue);
    {
        let core = app.world().resource::<Core>();
        assert!(core.error.is_some());
        assert!(
            core.run.is_some(),
            "the finished run is kept until it is saved"
        );
    }
    set_read_only(&mut app, false);
    act(&mut app, Action::Continue);
    assert_eq!(screen(&app), Screen::Debrief);
    let store = SqliteStore::open(&data).unwrap();
    let a = store.attempts(&store.profiles()[0].id)[0].clone();
    assert_eq!(a.status, Status::Finished);
    let rows = common::decision_rows(&store, &a.id);
    assert_eq!(
        rows, 3,
        "the decision made while writing failed was recorded later"
    );
}

#[test]
fn every_interrupted_attempt_is_offered_newest_first_five_at_a_time() {
    let data = data_dir("many-unfinished");
    let ids: Vec<String> = {
        let mut store = SqliteStore::open(&data).unwrap();
        let t = store.add_profile("Dewi", None).unwrap();
        let sc = common::mini();
        // Seven cases broken off after one or two of their three decisions.
        (0..7)
            .map(|i| {
                let choices: Vec<usize> = if i % 2 == 0 { vec![1] } else { vec![1, 1] };
                common::play(&mut store, &t.id, &sc, Mode::Practice, &choices).id
            })
            .collect()
    };
    let mut app = app(&data);
    let row = app.world().resource::<Core>().profiles_vm.rows[0].clone();
    let offered: Vec<&str> = row.unfinished.iter().map(|u| u.attempt.as_str()).collect();
    let newest: Vec<&str> = ids.iter().rev().take(5).map(String::as_str).collect();
    assert_eq!(offered, newest);
    assert_eq!(row.more_unfinished, 2);
    assert_eq!(
        row.unfinished
            .iter()
            .map(|u| u.decisions)
            .collect::<Vec<_>>(),
        [1, 2, 1, 2, 1]
    );
    // Closing one brings up the next oldest.
    act(&mut app, Action::Abandon(ids[6].clone()));
    let row = app.world().resource::<Core>().profiles_vm.rows[0].clone();
    assert_eq!(row.unfinished.len(), 5);
    assert_eq!(row.unfinished[4].attempt, ids[1]);
    assert_eq!(row.more_unfinished, 1);
}

/// The headless app with the scene's bookkeeping (no window, no drawing).
fn app_with_scene(data: &std::path::Path) -> App {
    with_scene(app(data))
}

/// Adds the scene's bookkeeping to a headless app.
fn with_scene(mut app: App) -> App {
    app.init_resource::<Assets<Mesh>>()
        .init_resource::<Assets<ColorMaterial>>()
        .init_resource::<Assets<Image>>()
        .add_plugins(casus::app::scene::stage_plugin);
    app.update();
    app
}

/// The characters drawn in the scene, the one marked as speaking, and the place of its backdrop.
fn drawn(app: &mut App) -> (Vec<u32>, Option<u32>, Vec<Option<u32>>) {
    use casus::app::scene::BackdropPart;
    use casus::app::scene::figure::{Figure, Speaking};
    let w = app.world_mut();
    let mut figs: Vec<u32> = w.query::<&Figure>().iter(w).map(|f| f.character).collect();
    figs.sort();
    let speaking = w
        .query_filtered::<&Figure, With<Speaking>>()
        .iter(w)
        .map(|f| f.character)
        .next();
    let mut places: Vec<Option<u32>> = w
        .query::<&BackdropPart>()
        .iter(w)
        .map(|p| p.place)
        .collect();
    places.dedup();
    (figs, speaking, places)
}

#[test]
fn the_scene_shows_the_place_and_exactly_the_people_present() {
    let data = data_dir("scene");
    let mut app = app_with_scene(&data);
    start_mini(&mut app, "Fleur", Mode::Practice);
    app.update();
    // At school: Mila and her mother; Mila speaks.
    let (figs, speaking, places) = drawn(&mut app);
    assert_eq!(figs, vec![0, 1]);
    assert_eq!(speaking, Some(0), "the speaker is marked");
    assert_eq!(places, vec![Some(0)], "the school's backdrop, and only it");
    let vm = app.world().resource::<Core>().scene_vm().unwrap();
    assert_eq!(vm.place.as_ref().unwrap().name, "School");
    assert_eq!(vm.people[0].kind, casus::scenario::def::PersonKind::Child);

    // While the feedback is read the scene stays where the choice was made.
    let pos = expert(&app);
    act(&mut app, Action::Choose(pos));
    app.update();
    assert_eq!(drawn(&mut app).2, vec![Some(0)]);
    assert_eq!(drawn(&mut app).0, vec![0, 1]);

    // Then the story moves on to a phone call with the mother: the backdrop is swapped, only she
    // is drawn, and nobody speaks.
    act(&mut app, Action::Continue);
    app.update();
    let (figs, speaking, places) = drawn(&mut app);
    assert_eq!(figs, vec![1]);
    assert_eq!(speaking, None);
    assert_eq!(places, vec![Some(2)]);
    let vm = app.world().resource::<Core>().scene_vm().unwrap();
    assert!(vm.place.as_ref().unwrap().phone);

    // Leaving the case clears the scene.
    act(&mut app, Action::Go(ScreenId::Library));
    app.update();
    assert_eq!(drawn(&mut app), (vec![], None, vec![]));
}

/// A 1×1 PNG: the smallest picture a trainer could give as a portrait.
const PNG_1X1: [u8; 67] = [
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

#[test]
fn a_portrait_takes_the_place_of_the_drawn_head() {
    use casus::app::scene::figure::Figure;
    let dir = data_dir("portrait-case");
    std::fs::create_dir_all(dir.join("portraits")).unwrap();
    std::fs::write(dir.join("portraits/mila.png"), PNG_1X1).unwrap();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let src = std::fs::read_to_string(root.join("tests/fixtures/mini.ron"))
        .unwrap()
        .replace(
            r#"trust: 2, age: 6),"#,
            r#"trust: 2, age: 6, portrait: "portraits/mila.png"),"#,
        );
    assert!(src.contains("portraits/mila.png"));
    std::fs::write(dir.join("mini.ron"), src).unwrap();
    let data = data_dir("portrait");
    let mut app = with_scene(app_of(&data, &dir.join("mini.ron")));
    start_mini(&mut app, "Iris", Mode::Exam);
    app.update();
    let w = app.world_mut();
    let mut sprites = Vec::new();
    for (fig, children) in w.query::<(&Figure, &Children)>().iter(w) {
        let n = children
            .iter()
            .filter(|c| w.get::<Sprite>(*c).is_some())
            .count();
        sprites.push((fig.character, n));
    }
    sprites.sort();
    // Mila has her picture; her mother, without one, is drawn.
    assert_eq!(sprites, vec![(0, 1), (1, 0)]);
    assert_eq!(w.resource::<Assets<Image>>().len(), 1);
}

#[test]
fn a_folder_added_in_the_app_brings_its_cases_and_is_remembered() {
    let data = data_dir("folders");
    let cases = data_dir("folders-cases");
    std::fs::create_dir_all(&cases).unwrap();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let src = std::fs::read_to_string(root.join("tests/fixtures/mini.ron"))
        .unwrap()
        .replacen("id: \"mini\"", "id: \"eigen\"", 1)
        .replacen("title: \"Mini\"", "title: \"Eigen casus\"", 1);
    std::fs::write(cases.join("eigen.ron"), src).unwrap();
    let mut app = app(&data);
    act(
        &mut app,
        Action::CreateProfile {
            name: "Tom".into(),
            skj: String::new(),
        },
    );
    let folder = cases.display().to_string();
    // A folder that is not there is refused in the interface language.
    send(&mut app, Action::AddFolder(format!("{folder}-weg")));
    let err = app.world().resource::<Core>().error.clone().unwrap();
    assert!(err.starts_with("Die map bestaat niet"), "{err}");
    act(&mut app, Action::AddFolder(folder.clone()));
    let core = app.world().resource::<Core>();
    let card = core
        .library_vm
        .cards
        .iter()
        .find(|c| c.id == "eigen")
        .unwrap();
    assert_eq!(card.origin.as_deref(), Some(folder.as_str()));
    assert!(core.library_vm.cards.iter().any(|c| c.id == "mini"));
    assert_eq!(core.store.settings().folders, vec![folder.clone()]);
    assert_eq!(core.author_vm.folders, vec![folder.clone()]);
    // Remembered for the next start; removed, it is gone from the library and the settings.
    assert_eq!(
        SqliteStore::open(&data).unwrap().settings().folders,
        vec![folder.clone()]
    );
    act(&mut app, Action::RemoveFolder(folder));
    let core = app.world().resource::<Core>();
    assert!(!core.library_vm.cards.iter().any(|c| c.id == "eigen"));
    assert!(core.store.settings().folders.is_empty());
}

#[test]
fn a_name_with_control_characters_is_refused_in_the_interface_language() {
    let data = data_dir("spoof");
    let mut app = app(&data);
    send(
        &mut app,
        Action::CreateProfile {
            name: "Anna\u{202E}nimdA".into(),
            skj: String::new(),
        },
    );
    let core = app.world().resource::<Core>();
    assert!(core.store.profiles().is_empty());
    let err = core.error.clone().unwrap();
    assert!(err.starts_with("Typ de naam"), "{err}");
}
