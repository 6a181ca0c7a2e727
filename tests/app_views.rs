//! The egui views driven like a trainee would, with egui_kittest: click, read, type.
#![cfg(feature = "desktop")]

use casus::app::views::play::{OfferVm, PlayVm};
use casus::app::views::profiles::ProfilesVm;
use casus::app::views::{Action, Tr, library, play, profiles};
use casus::play::Mode;
use casus::scenario::def::CaseKind;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

fn offers() -> PlayVm {
    PlayVm {
        title: "Casus".into(),
        offers: vec![
            OfferVm {
                position: 0,
                text: "Melden".into(),
                available: false,
                locked_reason: Some("Overleg eerst.".into()),
            },
            OfferVm {
                position: 1,
                text: "Overleggen".into(),
                available: true,
                locked_reason: None,
            },
        ],
        ..PlayVm::default()
    }
}

struct State {
    vm: PlayVm,
    tr: Tr,
    actions: Vec<Action>,
}

fn harness(vm: PlayVm, lang: &str) -> Harness<'static, State> {
    Harness::new_ui_state(
        |ui, st: &mut State| {
            if let Some(a) = play::play(ui, &mut st.vm, &st.tr) {
                st.actions.push(a);
            }
        },
        State {
            vm,
            tr: Tr::new(lang),
            actions: Vec::new(),
        },
    )
}

#[test]
fn clicking_a_choice_reports_its_position() {
    let mut h = harness(offers(), "nl");
    h.run();
    h.get_by_label("2. Overleggen").click();
    h.run();
    assert_eq!(h.state().actions, vec![Action::Choose(1)]);
}

#[test]
fn a_locked_choice_shows_its_reason_and_cannot_be_clicked() {
    let mut h = harness(offers(), "nl");
    h.run();
    h.get_by_label("1. Melden").click();
    h.run();
    assert!(h.state().actions.is_empty(), "{:?}", h.state().actions);
    h.get_by_label("   🔒 Overleg eerst.");
}

#[test]
fn keys_choose_only_open_choices() {
    let mut h = harness(offers(), "nl");
    h.run();
    h.key_press(egui::Key::Num1);
    h.run();
    assert!(h.state().actions.is_empty(), "key 1 is the locked choice");
    h.key_press(egui::Key::Num2);
    h.run();
    assert_eq!(h.state().actions, vec![Action::Choose(1)]);
}

#[test]
fn exam_mode_shows_a_locked_choice_as_unavailable_without_its_reason_and_no_numbers() {
    let mut vm = offers();
    vm.exam = true;
    vm.people = vec![casus::app::views::play::PersonVm {
        name: "Mila".into(),
        role: "dochter".into(),
        mood: -2,
        trust: 4,
    }];
    let mut h = harness(vm, "nl");
    h.run();
    // The locked choice keeps its place, unavailable, without the reason that would give the
    // answer away; the mode stays in view; no mood or trust numbers.
    h.get_by_label("1. Melden");
    assert!(h.query_by_label("   🔒 Overleg eerst.").is_none());
    h.get_by_label("   🔒 nu niet mogelijk");
    h.get_by_label(" Toets ");
    assert!(h.query_by_label_contains("stemming").is_none());
    assert!(h.query_by_label_contains("vertrouwen").is_none());
    h.get_by_label("1. Melden").click();
    h.run();
    assert!(h.state().actions.is_empty(), "cannot be chosen");
    h.get_by_label("2. Overleggen").click();
    h.run();
    assert_eq!(h.state().actions, vec![Action::Choose(1)]);
}

#[test]
fn practice_shows_the_reason_of_a_locked_choice_and_the_numbers() {
    let mut vm = offers();
    vm.people = vec![casus::app::views::play::PersonVm {
        name: "Mila".into(),
        role: "dochter".into(),
        mood: -2,
        trust: 4,
    }];
    let mut h = harness(vm, "nl");
    h.run();
    h.get_by_label("   🔒 Overleg eerst.");
    h.get_by_label(" Oefenen ");
    h.get_by_label_contains("stemming -2");
}

#[test]
fn a_countdown_at_zero_times_out() {
    let mut vm = offers();
    vm.countdown = Some(0.0);
    let mut h = harness(vm, "en");
    h.run();
    assert!(h.state().actions.contains(&Action::TimeOut));
}

#[test]
fn creating_a_profile_needs_a_name() {
    struct P(ProfilesVm, Tr, Vec<Action>);
    let mut h = Harness::new_ui_state(
        |ui, p: &mut P| {
            if let Some(a) = profiles::profiles(ui, &mut p.0, &p.1) {
                p.2.push(a);
            }
        },
        P(ProfilesVm::default(), Tr::new("en"), Vec::new()),
    );
    h.run();
    h.get_by_label("Create profile").click();
    h.run();
    assert!(h.state().2.is_empty(), "disabled without a name");
    h.state_mut().0.new_name = "Anna".into();
    h.run();
    h.get_by_label("Create profile").click();
    h.run();
    assert_eq!(
        h.state().2,
        vec![Action::CreateProfile {
            name: "Anna".into(),
            skj: String::new()
        }]
    );
}

#[test]
fn the_library_filters_by_kind_and_starts_in_the_chosen_mode() {
    use casus::app::views::library::{Card, LibraryVm};
    let card = |id: &str, kind| Card {
        id: id.into(),
        title: format!("Titel {id}"),
        summary: "s".into(),
        kind,
        minutes: 45,
        goals: vec![("child".into(), "Give the child a voice".into())],
        best: None,
        in_progress: None,
        origin: None,
    };
    struct L(LibraryVm, Tr, Vec<Action>);
    let vm = LibraryVm {
        cards: vec![card("a", CaseKind::Safety), card("b", CaseKind::Divorce)],
        ..LibraryVm::default()
    };
    let mut h = Harness::new_ui_state(
        |ui, l: &mut L| {
            if let Some(a) = library::library(ui, &mut l.0, &l.1) {
                l.2.push(a);
            }
        },
        L(vm, Tr::new("en"), Vec::new()),
    );
    h.run();
    h.get_by_label("Titel b");
    assert!(h.query_by_label_contains("Loading cases").is_none());
    // While cases still arrive, the library says so, with how many are ready.
    h.state_mut().0.loading = true;
    h.run();
    h.get_by_label("Loading cases… (2 ready)");
    h.state_mut().0.loading = false;
    h.run();
    h.get_by_label("Divorce").click();
    h.run();
    assert!(h.query_by_label("Titel a").is_none());
    h.get_by_label("Exam").click();
    h.run();
    h.get_by_label("Start").click();
    h.run();
    assert_eq!(
        h.state().2,
        vec![Action::Start {
            scenario: "b".into(),
            mode: Mode::Exam
        }]
    );
}

#[test]
fn both_languages_have_every_string() {
    let nl = Tr::new("nl");
    let en = Tr::new("en");
    let mut a: Vec<&String> = nl.keys().collect();
    let mut b: Vec<&String> = en.keys().collect();
    a.sort();
    b.sort();
    assert!(a.len() > 50);
    assert_eq!(a, b);
}

#[test]
fn a_failed_debrief_marks_each_ground_and_old_results_say_under_which_rules() {
    use casus::app::views::debrief::{DebriefVm, debrief};
    use casus::app::views::progress::{AttemptRow, ProgressVm, progress};
    struct D(DebriefVm, Tr);
    let vm = DebriefVm {
        title: "Maandag".into(),
        ending: "Zwaarder dan nodig".into(),
        outcome: "onveilig".into(),
        passed: false,
        reasons: vec![
            (
                false,
                "De afloop is onveilig: daarmee slaag je nooit.".into(),
            ),
            (true, "Totaalscore 70%, de slaaggrens is 60%.".into()),
        ],
        ..DebriefVm::default()
    };
    let mut h = Harness::new_ui_state(
        |ui, d: &mut D| {
            debrief(ui, &mut d.0, &d.1);
        },
        D(vm, Tr::new("nl")),
    );
    h.run();
    h.get_by_label("Niet geslaagd");
    h.get_by_label("De afloop is onveilig: daarmee slaag je nooit.");
    assert_eq!(h.query_all_by_label("✖").count(), 1);
    assert_eq!(h.query_all_by_label("✔").count(), 1);

    struct P(ProgressVm, Tr);
    let row = |old_rules| AttemptRow {
        id: "a".into(),
        date: "2026-11-01".into(),
        title: "Maandag".into(),
        mode: "toets".into(),
        overall: 0.6,
        passed: true,
        old_rules,
    };
    let vm = ProgressVm {
        name: "Anna".into(),
        x_labels: vec!["2026-11-01".into(), "2026-11-02".into()],
        series: vec![("Signalen".into(), vec![Some(0.5), None])],
        attempts: vec![row(false), row(true)],
        ..ProgressVm::default()
    };
    let mut h = Harness::new_ui_state(
        |ui, p: &mut P| {
            progress(ui, &mut p.0, &p.1);
        },
        P(vm, Tr::new("nl")),
    );
    h.run();
    assert_eq!(
        h.query_all_by_label("gescoord volgens de oude regels (versie 1)")
            .count(),
        1
    );
    // Every attempt can be reopened; exams and practice have their own chart.
    assert_eq!(h.query_all_by_label("Openen").count(), 2);
    h.get_by_label("Toetsen");
}

#[test]
fn a_trainees_menu_has_no_author_screen() {
    use casus::app::views::chrome::{ChromeVm, top_bar};
    for (trainer, shown) in [(false, 0), (true, 1)] {
        let vm = ChromeVm {
            profile: Some("Anna".into()),
            font_size: 16.0,
            trainer,
            ..ChromeVm::default()
        };
        let mut h = Harness::new_ui_state(
            |ui, vm: &mut ChromeVm| {
                top_bar(ui, vm, &Tr::new("nl"));
            },
            vm,
        );
        h.run();
        assert_eq!(h.query_all_by_label("Auteur").count(), shown);
        h.get_by_label("Bibliotheek");
    }
}

#[test]
fn abandoning_an_attempt_asks_first() {
    use casus::app::views::profiles::{ProfileRow, ProfilesVm, Unfinished};
    struct P(ProfilesVm, Tr, Vec<Action>);
    let vm = ProfilesVm {
        rows: vec![ProfileRow {
            id: "t1".into(),
            name: "Anna".into(),
            skj: None,
            unfinished: vec![Unfinished {
                attempt: "a1".into(),
                title: "Mini".into(),
                started: "2026-12-07".into(),
                decisions: 1,
            }],
            more_unfinished: 0,
        }],
        ..ProfilesVm::default()
    };
    let mut h = Harness::new_ui_state(
        |ui, p: &mut P| {
            if let Some(a) = profiles::profiles(ui, &mut p.0, &p.1) {
                p.2.push(a);
            }
        },
        P(vm, Tr::new("nl"), Vec::new()),
    );
    h.run();
    h.get_by_label_contains("1 beslissing");
    h.get_by_label("Poging afbreken").click();
    h.run();
    assert!(h.state().2.is_empty(), "nothing happens yet");
    h.get_by_label("Deze poging sluiten? Je kunt haar daarna niet meer afmaken.");
    h.get_by_label("Nee").click();
    h.run();
    assert!(h.state().2.is_empty());
    assert!(h.query_by_label("Nee").is_none(), "the question is gone");
    h.get_by_label("Poging afbreken").click();
    h.run();
    h.get_by_label("Ja, sluiten").click();
    h.run();
    assert_eq!(h.state().2, vec![Action::Abandon("a1".into())]);
}

/// Every interface key the code asks for is in both tables, once: a missing key would show
/// the key itself, an English word in the Dutch interface.
#[test]
fn every_key_the_code_uses_is_in_both_tables_once() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for lang in ["nl", "en"] {
        let raw = std::fs::read_to_string(root.join(format!("assets/i18n/{lang}.ron"))).unwrap();
        let mut keys: Vec<&str> = raw
            .lines()
            .filter_map(|l| l.trim().strip_prefix('"')?.split('"').next())
            .collect();
        let n = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), n, "{lang}: a key is defined twice");
    }
    let tr = Tr::new("nl");
    let known: std::collections::HashSet<&String> = tr.keys().collect();
    let prefixes = [
        "play.",
        "debrief.",
        "verdict.",
        "progress.",
        "library.",
        "profiles.",
        "err.",
        "mode.",
        "kind.",
        "outcome.",
        "term.",
        "screen.",
        "author.",
    ];
    let mut files = vec![root.join("src/cli/term.rs"), root.join("src/score/mod.rs")];
    let mut dirs = vec![root.join("src/app")];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                files.push(p);
            }
        }
    }
    let mut used = 0;
    for f in files {
        let src = std::fs::read_to_string(&f).unwrap();
        for lit in src.split('"').skip(1).step_by(2) {
            let is_key = prefixes.iter().any(|p| lit.starts_with(p))
                && lit
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '.' || c == '_');
            if is_key {
                used += 1;
                assert!(
                    known.contains(&lit.to_string()),
                    "{}: `{lit}` is not in the interface tables",
                    f.display()
                );
            }
        }
    }
    assert!(used > 100, "found {used} keys");
}

/// What each screen shows in Dutch holds no English word of the interface, and the other way
/// round: every text the Dutch screen draws comes from the Dutch table or the case.
#[test]
fn no_screen_mixes_the_two_languages() {
    use casus::app::views::debrief::{DebriefVm, GoalBar, StepVm, debrief};
    use casus::app::views::library::{Card, LibraryVm};
    use casus::app::views::play::{FeedbackVm, Quality};
    use casus::app::views::progress::{AttemptRow, ProgressVm, progress};
    fn values(lang: &str) -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let raw = std::fs::read_to_string(root.join(format!("assets/i18n/{lang}.ron"))).unwrap();
        let map: std::collections::HashMap<String, String> = ron::from_str(&raw).unwrap();
        map.into_values().collect()
    }
    for (lang, other) in [("nl", "en"), ("en", "nl")] {
        let mine = values(lang);
        // Words of the other table that this one never uses: none may appear on screen.
        let foreign: Vec<String> = values(other)
            .into_iter()
            .filter(|v| {
                v.len() >= 6 && !v.contains('{') && !mine.iter().any(|m| m.contains(v.as_str()))
            })
            .collect();
        assert!(foreign.len() > 50, "{lang}: {}", foreign.len());
        let tr = Tr::new(lang);
        fn no_foreign<S>(h: &Harness<'_, S>, foreign: &[String], lang: &str, screen: &str) {
            for f in foreign {
                assert!(
                    h.query_by_label_contains(f).is_none(),
                    "{lang} {screen}: `{f}` of the other language is on screen"
                );
            }
        }
        // Play, practice, with feedback waiting.
        let mut vm = offers();
        vm.reading = true;
        vm.step = 2;
        vm.time_label = Some("Week 1".into());
        vm.transcript = vec![(Vec::new(), "Vragen".into())];
        vm.feedback = Some(FeedbackVm {
            choice: "Vragen".into(),
            quality: Quality::Partly,
            points: "+1 x".into(),
            rationale: "r".into(),
            source: "s".into(),
            timed_out: true,
            expert: Some(("Melden".into(), Some("Overleg eerst.".into()))),
        });
        vm.people = vec![casus::app::views::play::PersonVm {
            name: "Mila".into(),
            role: "dochter".into(),
            mood: 1,
            trust: 2,
        }];
        vm.can_step_back = true;
        let mut h = harness(vm, lang);
        h.run();
        no_foreign(&h, &foreign, lang, "play");
        // Debrief, failed.
        struct D(DebriefVm, Tr);
        let d = DebriefVm {
            title: "T".into(),
            ending: "E".into(),
            outcome: tr.t("outcome.unsafe").into(),
            reasons: vec![(false, "x".into())],
            goals: vec![GoalBar {
                name: "g".into(),
                scaled: 0.2,
                threshold: Some(0.5),
            }],
            steps: vec![StepVm {
                time: None,
                made: "m".into(),
                points: "p".into(),
                rationale: "r".into(),
                source: "s".into(),
                timed_out: true,
                expert: Some(("e".into(), "w".into(), "s".into(), Some("l".into()))),
            }],
            missed: vec!["m".into()],
            questions: vec!["q".into()],
            ..DebriefVm::default()
        };
        let mut h = Harness::new_ui_state(
            |ui, d: &mut D| {
                debrief(ui, &mut d.0, &d.1);
            },
            D(d, tr.clone()),
        );
        h.run();
        no_foreign(&h, &foreign, lang, "debrief");
        // Progress and library.
        struct P(ProgressVm, Tr);
        let p = ProgressVm {
            name: "A".into(),
            x_labels: vec!["d".into()],
            series: vec![("g".into(), vec![Some(0.5)])],
            attempts: vec![AttemptRow {
                id: "a".into(),
                date: "d".into(),
                title: "t".into(),
                mode: tr.t("mode.exam").into(),
                overall: 0.5,
                passed: false,
                old_rules: true,
            }],
            ..ProgressVm::default()
        };
        let mut h = Harness::new_ui_state(
            |ui, p: &mut P| {
                progress(ui, &mut p.0, &p.1);
            },
            P(p, tr.clone()),
        );
        h.run();
        no_foreign(&h, &foreign, lang, "progress");
        struct L(LibraryVm, Tr);
        let l = LibraryVm {
            cards: vec![Card {
                id: "c".into(),
                title: "t".into(),
                summary: "s".into(),
                kind: CaseKind::Crisis,
                minutes: 5,
                goals: Vec::new(),
                best: Some((0.5, false)),
                in_progress: Some((Mode::Exam, 2)),
                origin: Some("/srv/cases".into()),
            }],
            ..LibraryVm::default()
        };
        let mut h = Harness::new_ui_state(
            |ui, l: &mut L| {
                library::library(ui, &mut l.0, &l.1);
            },
            L(l, tr.clone()),
        );
        h.run();
        no_foreign(&h, &foreign, lang, "library");
    }
}
