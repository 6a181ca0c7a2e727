//! The checks of a scenario's parts, called by [`super::compile::compile`]: ids, goals and
//! their weights, points, effects, and each node with its lines, choices, time limit, random
//! branches and ending.

use std::collections::{BTreeMap, HashMap};

use super::compile::{Ctx, MAX_CHOICES_PER_NODE, Names, similar, valid_ident};
use super::def::{GoalDef, NodeDef, ScenarioDef};
use super::expr::{self, Name, Resolver};
use super::model::*;

pub(super) fn check_ident(cx: &mut Ctx, path: &str, id: &str, what: &str) {
    if !valid_ident(id) {
        cx.err("invalid-id", path, format!("`{id}` is not a valid {what} id"))
            .hint("ids use lowercase letters, digits and `_`, start with a letter or `_`, and are not a keyword (true, false, visited, visits, mood, trust)");
    }
}

pub(super) fn asset_path_ok(p: &str) -> bool {
    let path = std::path::Path::new(p);
    !p.is_empty()
        && !p.contains('\\')
        && path
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

pub(super) fn compile_goals(
    def: &ScenarioDef,
    catalogue: &[GoalDef],
    cx: &mut Ctx,
) -> Vec<ScenarioGoal> {
    if def.goals.is_empty() {
        cx.err("no-goals", "goals", "the scenario trains no goals")
            .hint("list the goals it trains with their weights, e.g. goals: {\"signal\": 1.0}");
    }
    let mut out = Vec::new();
    for g in catalogue {
        if let Some(&w) = def.goals.get(&g.id) {
            if !(w > 0.0 && w <= 10.0) {
                cx.err(
                    "out-of-range",
                    &format!("goals[{:?}]", g.id),
                    format!("weight {w} is not in 0 < w ≤ 10"),
                );
            }
            let threshold = def
                .pass
                .goals
                .get(&g.id)
                .copied()
                .or(def.pass.floor)
                .unwrap_or(super::def::DEFAULT_FLOOR);
            out.push(ScenarioGoal {
                id: g.id.clone(),
                name: g.name.clone(),
                weight: w,
                threshold,
            });
        }
    }
    let known = || catalogue.iter().map(|g| g.id.as_str());
    for id in def.goals.keys() {
        if !catalogue.iter().any(|g| &g.id == id) {
            let d = cx.err(
                "unknown-goal",
                &format!("goals[{id:?}]#key"),
                format!("`{id}` is not in the goals catalogue"),
            );
            if let Some(s) = similar(id, known()) {
                d.hint(format!("did you mean `{s}`?"));
            }
        }
    }
    for (id, &t) in &def.pass.goals {
        let p = format!("pass.goals[{id:?}]");
        if !def.goals.contains_key(id) {
            cx.err(
                "unknown-goal",
                &format!("{p}#key"),
                format!("pass threshold for `{id}`, which the scenario does not train"),
            )
            .hint("add the goal to `goals` or remove the threshold");
        } else if !(0.0..=1.0).contains(&t) {
            cx.err(
                "out-of-range",
                &p,
                format!("threshold {t} is not between 0 and 1"),
            );
        }
    }
    out
}

pub(super) fn compile_points(
    cx: &mut Ctx,
    path: &str,
    points: &BTreeMap<String, i64>,
    goal_idx: &HashMap<&str, usize>,
    n_goals: usize,
    catalogue: &[GoalDef],
) -> Vec<i64> {
    let mut dense = vec![0; n_goals];
    for (id, &v) in points {
        let p = format!("{path}[{id:?}]");
        match goal_idx.get(id.as_str()) {
            Some(&g) => dense[g] = v,
            None if catalogue.iter().any(|g| &g.id == id) => {
                cx.err(
                    "goal-not-trained",
                    &format!("{p}#key"),
                    format!("points for `{id}`, which the scenario does not list in `goals`"),
                )
                .hint(format!(
                    "add `{id:?}: 1.0` to `goals`, or remove these points"
                ));
            }
            None => {
                let d = cx.err(
                    "unknown-goal",
                    &format!("{p}#key"),
                    format!("`{id}` is not in the goals catalogue"),
                );
                if let Some(s) = similar(id, catalogue.iter().map(|g| g.id.as_str())) {
                    d.hint(format!("did you mean `{s}`?"));
                }
            }
        }
        if v.abs() > 1000 {
            cx.err(
                "out-of-range",
                &p,
                format!("{v} points is out of range (-1000..=1000)"),
            );
        }
    }
    dense
}

pub(super) fn compile_effects(
    cx: &mut Ctx,
    path: &str,
    effects: &[String],
    resolver: &Names,
) -> Vec<expr::Effect> {
    effects
        .iter()
        .enumerate()
        .filter_map(|(k, src)| {
            expr::parse_effect(src, resolver)
                .map_err(|e| cx.expr_err(&format!("{path}.effects[{k}]"), e))
                .ok()
        })
        .collect()
}

pub(super) fn compile_node(
    cx: &mut Ctx,
    p: &str,
    n: &NodeDef,
    resolver: &Names,
    next_choice: &mut ChoiceIdx,
    node_ref: &impl Fn(&mut Ctx, &str, &str) -> NodeIdx,
) -> Node {
    let mut lines = Vec::new();
    for (k, l) in n.lines.iter().enumerate() {
        let speaker = l.speaker.as_deref().and_then(|s| match resolver.name(s) {
            Some(Name::Character(c)) => Some(c),
            _ => {
                let d = cx.err(
                    "unknown-character",
                    &format!("{p}.lines[{k}].speaker"),
                    format!("no character has the id `{s}`"),
                );
                if let Some(sim) = resolver.similar(s) {
                    d.hint(format!("did you mean `{sim}`?"));
                }
                None
            }
        });
        if l.mood.is_some() && l.speaker.is_none() {
            cx.err(
                "mood-without-speaker",
                &format!("{p}.lines[{k}].mood"),
                "a mood change needs a speaker",
            );
        }
        cx.text(&format!("{p}.lines[{k}].text"), "the line", &l.text, true);
        lines.push(Line {
            speaker,
            text: l.text.clone(),
            mood: l.mood.unwrap_or(0),
        });
    }
    let effects = compile_effects(cx, p, &n.effects, resolver);
    let kinds = [
        !n.choices.is_empty(),
        !n.random.is_empty(),
        n.goto.is_some(),
        n.ending.is_some(),
    ];
    let count = kinds.iter().filter(|k| **k).count();
    if count == 0 {
        cx.err(
            "no-way-out",
            &format!("{p}.id"),
            format!("node `{}` is not an ending and has no way out", n.id),
        )
        .hint("give it `choices`, `random`, `goto` or an `ending`");
    } else if count > 1 {
        cx.err(
            "ambiguous-node",
            &format!("{p}.id"),
            format!(
                "node `{}` mixes `choices`, `random`, `goto` and `ending`",
                n.id
            ),
        )
        .hint("a node is exactly one of them; split it into two nodes");
    }
    if n.choices.len() > MAX_CHOICES_PER_NODE {
        cx.err(
            "limit",
            &format!("{p}.choices"),
            format!(
                "{} choices; at most {MAX_CHOICES_PER_NODE} (keys 1–9)",
                n.choices.len()
            ),
        );
    }
    let offered: Vec<ChoiceIdx> = (0..n.choices.len() as u32)
        .map(|k| *next_choice + k)
        .collect();
    *next_choice += n.choices.len() as u32;
    let experts = n.choices.iter().filter(|c| c.expert).count();
    if experts > 1 {
        cx.err(
            "multiple-experts",
            &format!("{p}.choices"),
            format!("{experts} choices at `{}` are marked `expert`", n.id),
        )
        .hint("mark the one choice an expert would make");
    } else if experts == 0 && !n.choices.is_empty() {
        cx.warn(
            "no-expert-choice",
            &format!("{p}.choices"),
            format!("no choice at `{}` is marked `expert: true`", n.id),
        )
        .hint("the debrief then takes the choice with the most weighted points as the expert's");
    }
    let time_limit = n.time_limit.as_ref().map(|t| {
        if t.seconds == 0 || t.seconds > 3600 {
            cx.err(
                "out-of-range",
                &format!("{p}.time_limit.seconds"),
                "a time limit is between 1 and 3600 seconds",
            );
        }
        if n.choices.is_empty() {
            cx.err(
                "time-limit-without-choices",
                &format!("{p}.time_limit"),
                "a time limit needs choices to limit",
            );
        }
        let t = TimeLimit {
            seconds: t.seconds,
            on_timeout: *next_choice,
        };
        *next_choice += 1;
        t
    });
    let kind = if let Some(e) = &n.ending {
        cx.text(
            &format!("{p}.ending.title"),
            "the ending's title",
            &e.title,
            true,
        );
        cx.text(
            &format!("{p}.ending.debrief"),
            "the debrief",
            &e.debrief,
            true,
        );
        let parts = e
            .parts
            .iter()
            .enumerate()
            .filter_map(|(k, part)| {
                let pp = format!("{p}.ending.parts[{k}]");
                cx.text(&format!("{pp}.text"), "the paragraph", &part.text, true);
                expr::parse_condition(&part.when, resolver)
                    .map_err(|err| cx.expr_err(&format!("{pp}.when"), err))
                    .ok()
                    .map(|when| EndingPart {
                        when,
                        when_src: part.when.clone(),
                        text: part.text.clone(),
                    })
            })
            .collect();
        NodeKind::Ending(Ending {
            outcome: e.outcome,
            title: e.title.clone(),
            debrief: e.debrief.clone(),
            parts,
        })
    } else if let Some(g) = &n.goto {
        NodeKind::Goto(node_ref(cx, &format!("{p}.goto"), g))
    } else if !n.random.is_empty() {
        let branches = n.random.iter().enumerate().map(|(k, b)| {
            if b.weight == 0 || b.weight > 1_000_000 {
                cx.err(
                    "out-of-range",
                    &format!("{p}.random[{k}].weight"),
                    format!("weight {} is not in 1..=1000000", b.weight),
                );
            }
            Branch {
                weight: b.weight,
                next: node_ref(cx, &format!("{p}.random[{k}].next"), &b.next),
                label: b.label.clone(),
            }
        });
        NodeKind::Random(branches.collect())
    } else {
        NodeKind::Decision {
            choices: offered,
            time_limit,
        }
    };
    Node {
        id: n.id.clone(),
        time: n.time.clone(),
        place: None,
        present: None,
        lines,
        facts: n.facts.clone(),
        effects,
        kind,
    }
}
