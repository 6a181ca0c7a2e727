//! Every file under tests/broken/ is broken on purpose; `//~ code: message` comments name the
//! diagnostics expected on that line. The checker must report exactly those: each expected one
//! (same file, line, code, and a message containing the text) and nothing else.

use std::fs;
use std::path::PathBuf;

use casus::scenario::load_paths;

fn expectations(src: &str) -> Vec<(usize, String, String)> {
    let mut out = Vec::new();
    for (i, line) in src.lines().enumerate() {
        for part in line.split("//~").skip(1) {
            let part = part.trim();
            let (code, msg) = part.split_once(':').unwrap_or((part, ""));
            out.push((i + 1, code.trim().to_string(), msg.trim().to_string()));
        }
    }
    out
}

#[test]
fn broken_scenarios_give_exactly_the_expected_diagnostics() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/broken");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 8, "the broken corpus is missing");
    let mut failures = Vec::new();
    for file in &files {
        let src = fs::read_to_string(file).unwrap();
        let lib = load_paths(std::slice::from_ref(file));
        let diags: Vec<_> = lib.diagnostics().cloned().collect();
        assert!(
            lib.playable().next().is_none() || diags.iter().all(|d| !d.is_error()),
            "{}: built despite errors",
            file.display()
        );
        let expected = expectations(&src);
        assert!(
            !expected.is_empty(),
            "{} has no expectations",
            file.display()
        );
        let mut used = vec![false; diags.len()];
        for (line, code, msg) in &expected {
            let hit = diags.iter().enumerate().find(|(i, d)| {
                !used[*i]
                    && d.file == *file
                    && d.line == *line
                    && d.code == code
                    && d.message.contains(msg.as_str())
            });
            match hit {
                Some((i, _)) => used[i] = true,
                None => failures.push(format!("{}:{line}: expected {code}: {msg}", file.display())),
            }
        }
        for (d, used) in diags.iter().zip(&used) {
            if !used {
                failures.push(format!("unexpected: {d}"));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn overlong_text_and_expressions_are_rejected_with_their_place() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini.ron");
    let src = fs::read_to_string(&path).unwrap();
    let long_text = "a".repeat(30_000);
    let long_cond = format!("zorgen >= {}", "1 + ".repeat(400) + "1");
    let src = src
        .replace("\"Ik heb pijn.\"", &format!("\"{long_text}\""))
        .replace("\"overlegd && zorgen >= 1\"", &format!("\"{long_cond}\""));
    let goals = casus::scenario::load::builtin_goals();
    let loaded = casus::scenario::load_str(&path, src.clone(), &goals);
    let codes: Vec<(&str, usize)> = loaded
        .diagnostics
        .iter()
        .map(|d| (d.code, d.line))
        .collect();
    let line_of = |needle: &str| src.lines().position(|l| l.contains(needle)).unwrap() + 1;
    assert!(
        codes.contains(&("too-long", line_of(&long_text[..100]))),
        "{codes:?}"
    );
    assert!(
        codes.contains(&("expression", line_of("zorgen >= 1 + 1"))),
        "{codes:?}"
    );
    assert!(loaded.scenario.is_none());
    assert!(
        loaded
            .diagnostics
            .iter()
            .any(|d| d.message.contains("at most 1000 are allowed"))
    );
}

// Symbolic links as Unix makes them.
#[cfg(unix)]
#[test]
fn a_portrait_linked_outside_the_scenario_folder_is_rejected() {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("casus-link-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("portraits")).unwrap();
    let src = std::fs::read_to_string(root.join("tests/fixtures/mini.ron"))
        .unwrap()
        .replace(
            r#"(id: "mila", name: "Mila", role: "kind, 6 jaar", mood: 0, trust: 2, age: 6),"#,
            r#"(id: "mila", name: "Mila", role: "kind, 6 jaar", mood: 0, trust: 2, age: 6, portrait: Some("portraits/mila.png")),"#,
        )
        .replace(
            r#"(id: "moeder", name: "Sandra", role: "moeder", mood: 1, trust: 3),"#,
            r#"(id: "moeder", name: "Sandra", role: "moeder", mood: 1, trust: 3, portrait: Some("portraits/sandra.png")),"#,
        );
    assert!(src.contains("portraits/sandra.png"));
    std::fs::write(dir.join("mini.ron"), src).unwrap();
    // One link leads out of the folder, one stays inside it.
    std::os::unix::fs::symlink("/etc/hostname", dir.join("portraits/mila.png")).unwrap();
    std::fs::write(dir.join("real.png"), b"png").unwrap();
    std::os::unix::fs::symlink(dir.join("real.png"), dir.join("portraits/sandra.png")).unwrap();
    let lib = casus::scenario::load_paths(&[dir.join("mini.ron")]);
    let problems: Vec<_> = lib
        .diagnostics()
        .filter(|d| d.code == "asset-path")
        .collect();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].message.contains("portraits/mila.png"),
        "{}",
        problems[0].message
    );
    assert!(
        problems[0]
            .message
            .contains("outside the scenario's folder")
    );
}
