//! The `casus` command as a user runs it: exit codes, output, and bad input that must never panic.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn casus(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_casus"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env_remove("CASUS_SCENARIOS")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn check_passes_on_the_shipped_scenarios() {
    let out = casus(&["check"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains(": 0 errors, 0 warnings"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn check_reports_every_problem_with_file_line_and_hint() {
    let out = casus(&["check", "tests/broken/refs.ron"], None);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("tests/broken/refs.ron:13:12"), "{err}");
    assert!(err.contains("no node has the id `begni`"), "{err}");
    assert!(err.contains("did you mean `begin`?"), "{err}");
    assert!(err.contains("13 errors, 0 warnings"), "{err}");
}

#[test]
fn check_json_gives_machine_readable_diagnostics() {
    let out = casus(&["check", "--json", "tests/broken/exprs.ron"], None);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = &v.as_array().unwrap()[0];
    assert_eq!(first["code"], "expression");
    assert_eq!(first["line"], 18);
    assert_eq!(first["severity"], "error");
}

#[test]
fn warnings_do_not_fail_a_check() {
    let dir = tempdir("warn");
    let src = std::fs::read_to_string(root().join("tests/fixtures/mini.ron")).unwrap();
    // An extra ending nobody reaches: a warning only.
    let src = src.replace(
        "(id: \"veilig\",",
        "(id: \"extra\", ending: (outcome: Safe, title: \"x\", debrief: \"x\")),\n        (id: \"veilig\",",
    );
    std::fs::write(dir.join("s.ron"), src).unwrap();
    let out = casus(&["check", dir.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("0 errors, 1 warning"),
        "{}",
        text(&out.stderr)
    );
}

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("casus-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn bad_input_gives_clear_errors_never_a_panic() {
    let dir = tempdir("bad");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.ron", Vec::new(), "the file is empty"),
        (
            "garbage.ron",
            (0..4096u32)
                .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8 | 0x80)
                .collect(),
            "not UTF-8",
        ),
        (
            "huge.ron",
            {
                let mut v = b"(id: \"x\", summary: \"".to_vec();
                v.resize(50 * 1024 * 1024, b'a');
                v
            },
            "at most 8388608 are accepted",
        ),
        (
            "deep.ron",
            format!("(id: \"x\", goals: {})", "[".repeat(100_000)).into_bytes(),
            "syntax]",
        ),
        ("nested.ron", "(".repeat(100_000).into_bytes(), "syntax]"),
        ("text.ron", b"Dit is geen scenario.".to_vec(), "syntax]"),
    ];
    for (name, bytes, want) in &cases {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        let out = casus(&["check", path.to_str().unwrap()], None);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}: {err}");
        assert!(err.contains(want), "{name}: {err}");
        assert!(
            err.len() < 4000,
            "{name}: the report stays readable ({} bytes)",
            err.len()
        );
    }
    let out = casus(&["check", "does/not/exist.ron"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("cannot read the file"));
}

#[test]
fn scripted_play_prints_json_results() {
    let out = casus(
        &[
            "play",
            "tests/fixtures/mini.ron",
            "--choices",
            "1,1,1",
            "--json",
            "--seed",
            "3",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["scenario"], "mini");
    assert_eq!(v["finished"], true);
    assert_eq!(v["score"]["passed"], true);
    assert_eq!(v["score"]["ending"]["id"], "veilig");
    let goals = v["score"]["goals"].as_array().unwrap();
    assert!(goals.iter().all(|g| g["scaled"] == 1.0));
    assert_eq!(goals[0]["min"], -1);
    assert_eq!(v["decisions"].as_array().unwrap().len(), 3);
    assert_eq!(v["log"][1]["kind"], "draw");
    assert_eq!(v["content_hash"].as_str().unwrap().len(), 64);
}

#[test]
fn scripted_play_explains_a_locked_choice_and_a_timeout() {
    let out = casus(
        &["play", "tests/fixtures/mini.ron", "--choices", "1,t,1"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("choice 3 (`1`): this choice is locked: Overleg eerst."),
        "{err}"
    );
    let out = casus(&["play", "tests/fixtures/mini.ron", "--choices", "0"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("choices are numbered from 1"));
    let out = casus(
        &["play", "tests/fixtures/mini.ron", "--choices", "1,t,2"],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let o = text(&out.stdout);
    assert!(o.contains("⏱ De tijd was om.\n  Je wacht te lang."), "{o}");
    assert!(o.contains("1. (🔒 Overleg eerst.) Melden"), "{o}");
    // The debrief speaks the case's language (Dutch) and gives every ground of the verdict.
    assert!(o.contains("Afloop: Half (deels veilig)"), "{o}");
    assert!(o.contains("Oordeel NIET GESLAAGD"), "{o}");
    assert!(
        o.contains("✗ De afloop is deels veilig: bij deze casus is dat niet genoeg om te slagen."),
        "{o}"
    );
    assert!(
        o.contains("✗ Verplichte stap gemist: Overleg binnen twee beslissingen."),
        "{o}"
    );
}

#[test]
fn unknown_scenarios_get_a_suggestion() {
    let out = casus(&["play", "maandag-blauwe-plekjes"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("did you mean `maandag-blauwe-plekken`?"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn list_shows_the_shipped_scenarios() {
    let out = casus(&["list", "--json"], None);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"maandag-blauwe-plekken") && ids.contains(&"kiezen-mag-niet"),
        "{ids:?}"
    );
    let out = casus(&["list"], None);
    assert!(text(&out.stdout).contains("divorce"));
}

#[test]
fn interactive_play_reads_the_keyboard() {
    // A wrong key, the case file, a choice, a step back, then the expert's way to the end.
    let input = "x\nf\n2\nb\n1\n1\n1\n";
    let out = casus(
        &["play", "tests/fixtures/mini.ron", "--seed", "5"],
        Some(input),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let o = text(&out.stdout);
    // The terminal player speaks the case's language, every word of it.
    for want in [
        "═══ Mini (Veiligheid, 10 min, Oefenen)",
        "Doelen: Signalen herkennen en in kaart brengen · Tijdig overleggen",
        "── week 1, maandag ──",
        "Mila · kind, 6 jaar: Ik heb pijn.",
        "Typ een getal van 1 tot 2.",
        "── Dossier ──",
        "Mila · kind, 6 jaar (stemming -1, vertrouwen 2)",
        "• [week 1, maandag] Blauwe plek op de arm.",
        "▸ Niet goed: deze keuze kost punten.\n  −1 Signalen herkennen en in kaart brengen",
        "De expert had gekozen: Vragen",
        "↶ Terug naar de vorige beslissing",
        "⏱ Je hebt 30 seconden voor deze beslissing.",
        "Oordeel GESLAAGD",
        "✓ De afloop is veilig: die telt voor slagen.",
        "✓ Totaalscore 100%, de slaaggrens is 60%.",
        "? Wat had je eerder kunnen doen?",
    ] {
        assert!(o.contains(want), "missing {want:?} in:\n{o}");
    }
    for english in [
        "Goals",
        "Source",
        "expert would",
        "PASSED",
        "Type a number",
        "mood",
    ] {
        assert!(!o.contains(english), "English {english:?} in:\n{o}");
    }
    // The English translation, in English.
    let out = casus(
        &[
            "play",
            "tests/fixtures/mini.ron",
            "--seed",
            "5",
            "--lang",
            "en",
        ],
        Some(input),
    );
    let o = text(&out.stdout);
    for want in [
        "(Safety, 10 min, Practice)",
        "Goals: Recognise and map signals",
        "Type a number from 1 to 2.",
        "── Case file ──",
        "The expert would have chosen:",
        "Verdict PASSED",
        "✓ The outcome is safe: it counts for a pass.",
    ] {
        assert!(o.contains(want), "missing {want:?} in:\n{o}");
    }
    for dutch in ["Doelen", "Bron", "Oordeel", "Typ een", "stemming"] {
        assert!(!o.contains(dutch), "Dutch {dutch:?} in:\n{o}");
    }
}

#[test]
fn interactive_play_survives_end_of_input() {
    let out = casus(&["play", "kiezen-mag-niet", "--mode", "exam"], Some("1\n"));
    assert_eq!(out.status.code(), Some(0));
    assert!(
        text(&out.stdout).contains("invoer beëindigd; de casus is niet afgerond"),
        "{}",
        text(&out.stdout)
    );
    assert!(Path::new(env!("CARGO_BIN_EXE_casus")).exists());
}

#[test]
fn authors_can_start_anywhere_with_variables_set() {
    let out = casus(
        &[
            "play",
            "tests/fixtures/mini.ron",
            "--from",
            "besluit",
            "--set",
            "zorgen=1",
            "--set",
            "overlegd=true",
            "--choices",
            "1",
            "--json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["score"]["ending"]["id"], "veilig");
    let out = casus(
        &["play", "tests/fixtures/mini.ron", "--from", "beslut"],
        None,
    );
    assert!(text(&out.stderr).contains("did you mean `besluit`?"));
    let out = casus(
        &["play", "tests/fixtures/mini.ron", "--set", "overlegd=3"],
        None,
    );
    assert!(text(&out.stderr).contains("`overlegd` is a boolean"));
}

#[test]
fn analyse_simulate_and_graph_work_from_the_command_line() {
    let out = casus(&["analyse", "tests/fixtures/mini.ron", "--json"], None);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["exact"], true);
    assert_eq!(v["endings"].as_array().unwrap().len(), 3);
    let out = casus(
        &[
            "simulate",
            "tests/fixtures/mini.ron",
            "--runs",
            "300",
            "--policy",
            "expert",
            "--json",
        ],
        None,
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["passed"], 300);
    assert_eq!(v["goals"][0]["histogram"].as_array().unwrap().len(), 10);
    let out = casus(
        &[
            "simulate",
            "tests/fixtures/mini.ron",
            "--policy",
            "sometimes",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("unknown policy"));
    let out = casus(
        &["simulate", "tests/fixtures/mini.ron", "--runs", "500"],
        None,
    );
    let o = text(&out.stdout);
    assert!(
        o.contains("Passed: ") && o.contains("Decisions that move the overall score most"),
        "{o}"
    );
    let out = casus(
        &["graph", "tests/fixtures/mini.ron", "--format", "dot"],
        None,
    );
    assert!(text(&out.stdout).starts_with("digraph \"Mini\""));
    let out = casus(&["graph", "tests/fixtures/mini.ron"], None);
    assert!(text(&out.stdout).starts_with("<svg"));
    let out = casus(&["list", "--kind", "divorce", "--json"], None);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.as_array().unwrap().iter().all(|s| s["kind"] == "divorce"));
    assert!(
        v.as_array()
            .unwrap()
            .iter()
            .all(|s| s["languages"] == serde_json::json!(["nl", "en"]))
    );
}

#[test]
fn the_program_alone_in_an_empty_folder_lists_the_shipped_cases() {
    // A copy of the binary, nothing beside it, run from the file system's root with an empty
    // home: the seven shipped cases travel inside it.
    let dir = std::env::temp_dir().join(format!("casus-alone-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("home")).unwrap();
    let bin = dir.join("casus");
    std::fs::copy(env!("CARGO_BIN_EXE_casus"), &bin).unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .last()
        .unwrap()
        .to_path_buf();
    let out = Command::new(&bin)
        .arg("list")
        .current_dir(root)
        .env_clear()
        .env("HOME", dir.join("home"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let shipped = text.lines().filter(|l| l.contains(" shipped ")).count();
    assert_eq!(shipped, 7, "{text}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&dir.join("home").display().to_string()),
        "{err}"
    );
    let version = Command::new(&bin).arg("--version").output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!(
            "casus {} (scenario format {})",
            env!("CARGO_PKG_VERSION"),
            casus::scenario::FORMAT_VERSION
        )
    );
    let _ = std::fs::remove_dir_all(&dir);
}
