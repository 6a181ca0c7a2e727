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
