//! Translations: a file per language that overlays a scenario's texts by node and choice id.
//!
//! `maandag-blauwe-plekken.en.ron` translates `maandag-blauwe-plekken.ron`. Every entry keeps the
//! original text it was translated from, so a changed source is seen at once (stale), as are
//! texts with no translation (missing) and entries whose source is gone (extra). Keys are stable
//! paths such as `choice.c_overleg.rationale` or `node.intro.line.0`; see [`for_each_text`].

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::diag::{Reporter, Severity};
use super::model::{NodeKind, Scenario};
use super::spans::SpanIndex;

/// A translation file.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Translation {
    /// Id of the scenario translated.
    pub scenario: String,
    /// Target language, e.g. "en".
    pub language: String,
    pub texts: BTreeMap<String, Entry>,
}

/// One translated text.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The source text this translation was made from.
    pub original: String,
    /// The translation; empty while not yet translated.
    #[serde(default)]
    pub text: String,
}

/// Calls `f` with the key and a mutable reference to every translatable text of `sc`.
pub fn for_each_text(sc: &mut Scenario, mut f: impl FnMut(String, &mut String)) {
    f("title".into(), &mut sc.title);
    f("summary".into(), &mut sc.summary);
    if !sc.audience.is_empty() {
        f("audience".into(), &mut sc.audience);
    }
    for c in &mut sc.characters {
        f(format!("character.{}.role", c.id), &mut c.role);
    }
    for p in &mut sc.places {
        f(format!("place.{}.name", p.id), &mut p.name);
    }
    for n in &mut sc.nodes {
        let id = n.id.clone();
        if let Some(t) = &mut n.time {
            f(format!("node.{id}.time"), t);
        }
        for (k, l) in n.lines.iter_mut().enumerate() {
            f(format!("node.{id}.line.{k}"), &mut l.text);
        }
        for (k, fact) in n.facts.iter_mut().enumerate() {
            f(format!("node.{id}.fact.{k}"), fact);
        }
        match &mut n.kind {
            NodeKind::Ending(e) => {
                f(format!("node.{id}.ending.title"), &mut e.title);
                f(format!("node.{id}.ending.debrief"), &mut e.debrief);
                for (k, part) in e.parts.iter_mut().enumerate() {
                    f(format!("node.{id}.ending.part.{k}"), &mut part.text);
                }
            }
            NodeKind::Random(branches) => {
                for (k, b) in branches.iter_mut().enumerate() {
                    if let Some(label) = &mut b.label {
                        f(format!("node.{id}.random.{k}.label"), label);
                    }
                }
            }
            _ => {}
        }
    }
    for c in &mut sc.choices {
        let id = c.id.clone();
        f(format!("choice.{id}.text"), &mut c.text);
        f(format!("choice.{id}.rationale"), &mut c.rationale);
        f(format!("choice.{id}.source"), &mut c.source);
        if let Some(r) = &mut c.locked_reason {
            f(format!("choice.{id}.locked_reason"), r);
        }
    }
    for r in &mut sc.rules {
        f(format!("rule.{}.message", r.id), &mut r.message);
    }
    for (k, q) in sc.reflection.iter_mut().enumerate() {
        f(format!("reflection.{k}"), q);
    }
}

/// Every translatable text of `sc` with its key, in story order.
pub fn texts(sc: &Scenario) -> Vec<(String, String)> {
    let mut copy = sc.clone();
    let mut out = Vec::new();
    for_each_text(&mut copy, |k, t| out.push((k, t.clone())));
    out
}

/// The scenario with every up-to-date translated text in place; the rest stays in the source
/// language.
pub fn apply(sc: &Scenario, tr: &Translation) -> Scenario {
    let mut out = sc.clone();
    for_each_text(&mut out, |k, t| {
        if let Some(e) = tr.texts.get(&k)
            && !e.text.trim().is_empty()
            && e.original == *t
        {
            *t = e.text.clone();
        }
    });
    out.language = tr.language.clone();
    out
}

/// Reports missing, extra and stale entries of a translation of `sc`.
pub fn check(sc: &Scenario, tr: &Translation, rep: &mut Reporter<'_>, spans: &SpanIndex) {
    let at = |path: &str| spans.find(path).unwrap_or(0..0);
    if tr.scenario != sc.id {
        rep.push(
            Severity::Error,
            "translation-scenario",
            at("scenario"),
            format!(
                "this file translates `{}`, but sits beside `{}`",
                tr.scenario, sc.id
            ),
        )
        .hint("name a translation after its scenario file: `<scenario file stem>.<language>.ron`");
        return;
    }
    if tr.language == sc.language
        || tr.language.len() != 2
        || !tr.language.chars().all(|c| c.is_ascii_lowercase())
    {
        rep.push(
            Severity::Error,
            "translation-language",
            at("language"),
            format!(
                "`{}` is not a target language for a `{}` scenario",
                tr.language, sc.language
            ),
        )
        .hint("use a two-letter language code such as \"en\"");
    }
    let source: BTreeMap<String, String> = texts(sc).into_iter().collect();
    let mut missing = Vec::new();
    let mut empty: Vec<&str> = Vec::new();
    for (key, text) in &source {
        match tr.texts.get(key) {
            None => missing.push(key.as_str()),
            Some(e) if e.text.trim().is_empty() => empty.push(key.as_str()),
            Some(e) if e.original != *text => {
                rep.push(
                    Severity::Warning,
                    "translation-stale",
                    at(&format!("texts[{key:?}].original")),
                    format!("the source of `{key}` changed since it was translated"),
                )
                .hint(format!(
                    "update the translation, then set `original` to the new source: {text:?}"
                ));
            }
            Some(_) => {}
        }
    }
    if empty.len() <= 5 {
        for key in &empty {
            rep.push(
                Severity::Warning,
                "translation-missing",
                at(&format!("texts[{key:?}].text")),
                format!("`{key}` is not translated yet"),
            );
        }
    } else {
        rep.push(
            Severity::Warning,
            "translation-missing",
            at("texts"),
            format!(
                "{} texts are not translated yet: {}, …",
                empty.len(),
                empty[..5].join(", ")
            ),
        )
        .hint("fill in their `text`");
    }
    if !missing.is_empty() {
        let shown: Vec<&str> = missing.iter().take(5).copied().collect();
        rep.push(
            Severity::Warning,
            "translation-missing",
            at("texts"),
            format!(
                "{} text(s) have no entry: {}{}",
                missing.len(),
                shown.join(", "),
                if missing.len() > 5 { ", …" } else { "" }
            ),
        )
        .hint("run `casus translate <scenario> --lang <language>` to add the missing entries");
    }
    for key in tr.texts.keys().filter(|k| !source.contains_key(*k)) {
        rep.push(
            Severity::Warning,
            "translation-extra",
            at(&format!("texts[{key:?}]#key")),
            format!("`{key}` is not a text of the scenario (any more)"),
        )
        .hint("remove the entry, or run `casus translate` to tidy the file");
    }
}

/// A translation template for `sc`, keeping what `old` already has. Entries whose source changed
/// keep their old text and original, with the new source in a comment, until a translator updates
/// them.
pub fn template(sc: &Scenario, language: &str, old: Option<&Translation>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// {} translation of `{}` — fill in every `text`.",
        language, sc.id
    );
    let _ = writeln!(
        out,
        "// When the source changes, `casus check` reports the entry as stale: update `text`,"
    );
    let _ = writeln!(out, "// then copy the new source into `original`.");
    let _ = writeln!(
        out,
        "(\n    scenario: {},\n    language: {},\n    texts: {{",
        quote(&sc.id),
        quote(language)
    );
    for (key, source) in texts(sc) {
        let kept = old.and_then(|o| o.texts.get(&key));
        let (original, text) = match kept {
            Some(e) => (e.original.clone(), e.text.clone()),
            None => (source.clone(), String::new()),
        };
        if original != source {
            let _ = writeln!(
                out,
                "        // STALE: the source now reads {}",
                quote(&source)
            );
        }
        let _ = writeln!(
            out,
            "        {}: (\n            original: {},\n            text: {},\n        ),",
            quote(&key),
            quote(&original),
            quote(&text)
        );
    }
    out.push_str("    },\n)\n");
    out
}

fn quote(s: &str) -> String {
    let mut q = String::with_capacity(s.len() + 2);
    q.push('"');
    for c in s.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            '\n' => q.push_str("\\n"),
            '\t' => q.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(q, "\\u{{{:x}}}", c as u32);
            }
            c => q.push(c),
        }
    }
    q.push('"');
    q
}
