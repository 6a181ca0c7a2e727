//! The checks of what the scene shows, called by [`super::compile::compile`]: the places of a
//! case, what kind of person each character is, and where each node happens and who is there.

use std::collections::HashMap;

use super::compile::{Ctx, Names, similar};
use super::def::{CharacterDef, NodeDef, PersonKind, ScenarioDef};
use super::expr::{Name, Resolver};
use super::model::Place;

/// Checks the places; returns them with their ids mapped to indices.
pub(super) fn compile_places(
    cx: &mut Ctx,
    def: &ScenarioDef,
) -> (Vec<Place>, HashMap<String, u32>) {
    let mut places = Vec::new();
    let mut ids = HashMap::new();
    for (i, p) in def.places.iter().enumerate() {
        let path = format!("places[{i}]");
        super::checks::check_ident(cx, &format!("{path}.id"), &p.id, "place");
        if ids.insert(p.id.clone(), i as u32).is_some() {
            cx.err(
                "duplicate-id",
                &format!("{path}.id"),
                format!("place `{}` is declared twice", p.id),
            );
        }
        cx.text(&format!("{path}.name"), "the place's name", &p.name, true);
        places.push(Place {
            id: p.id.clone(),
            name: p.name.clone(),
            backdrop: p.backdrop,
            night: p.night,
            phone: p.phone,
        });
    }
    (places, ids)
}

/// The kind of person `c` is drawn as; warns when its age says otherwise.
pub(super) fn person_kind(cx: &mut Ctx, path: &str, c: &CharacterDef) -> PersonKind {
    if let Some(age) = c.age
        && age > 120
    {
        cx.err(
            "out-of-range",
            &format!("{path}.age"),
            format!("age {age} is not a person's age"),
        );
    }
    match (c.kind, c.age) {
        (Some(kind), Some(age)) => {
            let by_age = PersonKind::from_age(age);
            let fits = match kind {
                PersonKind::Professional => by_age == PersonKind::Adult,
                k => k == by_age,
            };
            if !fits {
                cx.warn(
                    "age-kind",
                    &format!("{path}.kind"),
                    format!("`{}` is {age} years old but drawn as {kind:?}", c.id),
                )
                .hint(format!(
                    "at {age} a person is drawn as {by_age:?}; leave out `kind` or correct the age"
                ));
            }
            kind
        }
        (Some(kind), None) => kind,
        (None, Some(age)) => PersonKind::from_age(age),
        (None, None) => PersonKind::Adult,
    }
}

/// Where node `n` happens and who is there, as indices.
pub(super) fn node_scene(
    cx: &mut Ctx,
    p: &str,
    n: &NodeDef,
    places: &HashMap<String, u32>,
    resolver: &Names,
) -> (Option<u32>, Option<Vec<u32>>) {
    let place = n.place.as_deref().and_then(|id| match places.get(id) {
        Some(&k) => Some(k),
        None => {
            let d = cx.err(
                "unknown-place",
                &format!("{p}.place"),
                format!("no place has the id `{id}`"),
            );
            match similar(id, places.keys().map(String::as_str)) {
                Some(s) => d.hint(format!("did you mean `{s}`?")),
                None => d.hint("declare it under `places`, e.g. (id: \"keuken\", name: \"Keuken\", backdrop: Kitchen)"),
            };
            None
        }
    });
    let present = n.present.as_ref().map(|ids| {
        let mut out: Vec<u32> = Vec::new();
        for (k, id) in ids.iter().enumerate() {
            let path = format!("{p}.present[{k}]");
            match resolver.name(id) {
                Some(Name::Character(c)) if out.contains(&c) => {
                    cx.warn("duplicate-id", &path, format!("`{id}` is listed twice"));
                }
                Some(Name::Character(c)) => out.push(c),
                _ => {
                    let d = cx.err(
                        "unknown-character",
                        &path,
                        format!("no character has the id `{id}`"),
                    );
                    if let Some(s) = resolver.similar(id) {
                        d.hint(format!("did you mean `{s}`?"));
                    }
                }
            }
        }
        for (k, l) in n.lines.iter().enumerate() {
            if let Some(s) = &l.speaker
                && matches!(resolver.name(s), Some(Name::Character(_)))
                && !ids.contains(s)
            {
                cx.err(
                    "speaker-not-present",
                    &format!("{p}.lines[{k}].speaker"),
                    format!("`{s}` speaks but is not in the node's `present`"),
                )
                .hint(format!(
                    "add `\"{s}\"` to `present`, or leave `present` out"
                ));
            }
        }
        out
    });
    (place, present)
}
