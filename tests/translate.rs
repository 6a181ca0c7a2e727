//! Translations: overlaying texts by id, and reporting missing, extra and stale entries.

use std::fs;
use std::path::{Path, PathBuf};

use casus::scenario::load_paths;
use casus::scenario::translate::{Translation, template};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A scratch folder holding a copy of mini.ron and (a possibly edited) mini.en.ron.
fn scratch(
    name: &str,
    edit_source: impl Fn(String) -> String,
    edit_tr: impl Fn(String) -> String,
) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("casus-tr-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    let src = fs::read_to_string(fixtures().join("mini.ron")).unwrap();
    let tr = fs::read_to_string(fixtures().join("mini.en.ron")).unwrap();
    fs::write(dir.join("mini.ron"), edit_source(src)).unwrap();
    fs::write(dir.join("mini.en.ron"), edit_tr(tr)).unwrap();
    dir
}

fn codes(dir: &Path) -> Vec<(String, String)> {
    load_paths(&[dir.to_path_buf()])
        .diagnostics()
        .map(|d| (d.code.to_string(), d.message.clone()))
        .collect()
}

#[test]
fn a_complete_translation_checks_clean_and_overlays_the_text() {
    let lib = load_paths(&[fixtures().join("mini.ron")]);
    assert_eq!(
        lib.diagnostics().count(),
        0,
        "{:?}",
        lib.diagnostics().collect::<Vec<_>>()
    );
    assert_eq!(lib.languages("mini"), ["nl", "en"]);
    let en = lib.find_in("mini", "en").unwrap();
    let nl = lib.find_in("mini", "nl").unwrap();
    assert_eq!(en.language, "en");
    assert_eq!(en.nodes[0].lines[0].text, "It hurts.");
    assert_eq!(nl.nodes[0].lines[0].text, "Ik heb pijn.");
    let c = en.choice_by_id("c_report").unwrap() as usize;
    assert_eq!(
        en.choices[c].locked_reason.as_deref(),
        Some("Consult first.")
    );
    assert_eq!(en.reflection[0], "What could you have done earlier?");
    // Structure, ranges and hash are those of the source: records stay comparable.
    assert_eq!(en.ranges, nl.ranges);
    assert_eq!(en.content_hash, nl.content_hash);
    // A language without a translation falls back to the source.
    assert_eq!(lib.find_in("mini", "de").unwrap().language, "nl");
}

#[test]
fn stale_missing_and_extra_entries_are_reported() {
    let dir = scratch(
        "report",
        |s| s.replace("\"Ik heb pijn.\"", "\"Ik heb zo'n pijn.\""),
        |t| {
            t.replace("text: \"Well done.\"", "text: \"\"")
                .replacen("\"title\": (", "\"node.weg.line.7\": (original: \"x\", text: \"y\"),\n        \"title\": (", 1)
                .replace("        \"summary\": (\n            original: \"Testscenario.\",\n            text: \"Test scenario.\",\n        ),\n", "")
        },
    );
    let got = codes(&dir);
    let has = |code: &str, msg: &str| got.iter().any(|(c, m)| c == code && m.contains(msg));
    assert!(
        has(
            "translation-stale",
            "the source of `node.begin.line.0` changed"
        ),
        "{got:?}"
    );
    assert!(
        has(
            "translation-missing",
            "`node.veilig.ending.debrief` is not translated yet"
        ),
        "{got:?}"
    );
    assert!(
        has("translation-missing", "1 text(s) have no entry: summary"),
        "{got:?}"
    );
    assert!(
        has(
            "translation-extra",
            "`node.weg.line.7` is not a text of the scenario"
        ),
        "{got:?}"
    );
    assert_eq!(got.len(), 4, "{got:?}");
    // The stale text is not used: the trainee sees the current source rather than an outdated translation.
    let lib = load_paths(std::slice::from_ref(&dir));
    assert_eq!(
        lib.find_in("mini", "en").unwrap().nodes[0].lines[0].text,
        "Ik heb zo'n pijn."
    );
}

#[test]
fn a_translation_of_another_scenario_is_an_error() {
    let dir = scratch(
        "other",
        |s| s,
        |t| t.replace("scenario: \"mini\"", "scenario: \"maxi\""),
    );
    let got = codes(&dir);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "translation-scenario");
    assert_eq!(load_paths(&[dir]).languages("mini"), ["nl"]);
}

#[test]
fn the_template_keeps_translations_and_flags_changed_sources() {
    let dir = scratch(
        "template",
        |s| s.replace("\"Ik heb pijn.\"", "\"Ik heb zo'n pijn.\""),
        |t| t,
    );
    let lib = load_paths(&[dir.join("mini.ron")]);
    let sc = lib.find("mini").unwrap();
    let old: Translation =
        ron::from_str(&fs::read_to_string(dir.join("mini.en.ron")).unwrap()).unwrap();
    let text = template(sc, "en", Some(&old));
    assert!(
        text.contains("// STALE: the source now reads \"Ik heb zo'n pijn.\""),
        "{text}"
    );
    let new: Translation = ron::from_str(&text).unwrap();
    assert_eq!(new.texts["node.begin.line.0"].text, "It hurts.");
    assert_eq!(new.texts["node.begin.line.0"].original, "Ik heb pijn.");
    assert_eq!(new.texts.len(), old.texts.len());
    // A fresh template has every text with an empty translation.
    let fresh: Translation = ron::from_str(&template(sc, "en", None)).unwrap();
    assert!(fresh.texts.values().all(|e| e.text.is_empty()));
    assert_eq!(fresh.texts["choice.c_ask.rationale"].original, "Goed.");
}
