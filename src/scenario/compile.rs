//! From what a trainer wrote to what the runtime plays: every semantic check, all at once.
//!
//! [`compile`] walks a [`ScenarioDef`], reports every problem it finds as a [`Diagnostic`]
//! pointing at the exact text (via the [`SpanIndex`]), and builds a [`Scenario`] when there are
//! no errors. Graph checks and the state-aware analysis run on the built scenario afterwards
//! (see [`super::graph_checks`]).

use std::collections::HashMap;

use super::checks::{
    asset_path_ok, check_ident, compile_effects, compile_goals, compile_node, compile_points,
};
use super::def::{ChoiceDef, GoalDef, RuleKind as RuleKindDef, ScenarioDef, ValueDef};
use super::diag::{Diagnostic, Reporter, Severity};
use super::expr::{self, ExprError, Name, Resolver, Type};
use super::model::*;
use super::spans::SpanIndex;

/// Largest number of nodes a scenario may have.
pub const MAX_NODES: usize = 100_000;
/// Largest number of choices at one decision node.
pub const MAX_CHOICES_PER_NODE: usize = 9;
/// Largest number of rules (each `Within` rule takes a bit in the run state).
pub const MAX_RULES: usize = 64;
/// Longest text field, in bytes.
pub const MAX_TEXT: usize = 20_000;

const KEYWORDS: [&str; 6] = ["true", "false", "visited", "visits", "mood", "trust"];

/// Whether `s` may be a node, choice, character, variable or rule id.
pub fn valid_ident(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !KEYWORDS.contains(&s)
}

/// Whether `s` may be a scenario id.
pub fn valid_scenario_id(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

/// The closest of `candidates` to `name`, if any is close.
pub fn similar<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(name, c), c))
        .filter(|(d, c)| *d <= 2.max(name.len() / 4) && *d < c.len().max(name.len()))
        .min() // the closest; among equals the first in alphabetical order, so hints are stable
        .map(|(_, c)| c.to_string())
}

/// Where an asset path that exists on disk really leads, when (through a symbolic link) that is
/// outside the folder of the scenario file `file`.
fn escapes_folder(file: &std::path::Path, asset: &str) -> Option<std::path::PathBuf> {
    let folder = file.parent()?;
    let folder = if folder.as_os_str().is_empty() {
        std::path::Path::new(".")
    } else {
        folder
    };
    let entry = folder.join(asset);
    std::fs::symlink_metadata(&entry).ok()?;
    let real_folder = std::fs::canonicalize(folder).ok()?;
    match std::fs::canonicalize(&entry) {
        Ok(real) if real.starts_with(&real_folder) => None,
        Ok(real) => Some(real),
        // A dangling link: it leads nowhere inside the folder either.
        Err(_) => std::fs::read_link(&entry).ok(),
    }
}

pub(super) struct Ctx<'r, 'a> {
    pub(super) rep: &'r mut Reporter<'a>,
    pub(super) spans: &'r SpanIndex,
}

impl Ctx<'_, '_> {
    pub(super) fn at(
        &mut self,
        sev: Severity,
        code: &'static str,
        path: &str,
        msg: impl Into<String>,
    ) -> &mut Diagnostic {
        let span = self.spans.find(path).unwrap_or(0..0);
        self.rep.push(sev, code, span, msg)
    }
    pub(super) fn err(
        &mut self,
        code: &'static str,
        path: &str,
        msg: impl Into<String>,
    ) -> &mut Diagnostic {
        self.at(Severity::Error, code, path, msg)
    }
    pub(super) fn warn(
        &mut self,
        code: &'static str,
        path: &str,
        msg: impl Into<String>,
    ) -> &mut Diagnostic {
        self.at(Severity::Warning, code, path, msg)
    }
    /// Reports an expression error at its exact place inside the string at `path`.
    pub(super) fn expr_err(&mut self, path: &str, e: ExprError) {
        let span = self.spans.find(path).unwrap_or(0..0);
        let raw = self.rep.src.get(span.clone()).unwrap_or("");
        let inner = if raw.starts_with('"') && !raw.contains('\\') {
            let s = span.start + 1 + e.span.start;
            s..(span.start + 1 + e.span.end.max(e.span.start + 1))
                .min(span.end.saturating_sub(1).max(s + 1))
        } else {
            span
        };
        let d = self
            .rep
            .push(Severity::Error, "expression", inner, e.message);
        if let Some(h) = e.hint {
            d.hint(h);
        }
    }
    pub(super) fn text(&mut self, path: &str, what: &str, s: &str, required: bool) {
        if required && s.trim().is_empty() {
            self.err("empty-text", path, format!("{what} is empty"));
        }
        if s.len() > MAX_TEXT {
            self.err(
                "too-long",
                path,
                format!("{what} is {} bytes; at most {MAX_TEXT}", s.len()),
            )
            .hint("split the text over several lines or nodes");
        }
    }
}

pub(super) struct Names {
    pub(super) names: HashMap<String, Name>,
    pub(super) slots: HashMap<String, u32>,
}

impl Resolver for Names {
    fn name(&self, name: &str) -> Option<Name> {
        self.names.get(name).copied()
    }
    fn visit_slot(&self, id: &str) -> Option<u32> {
        self.slots.get(id).copied()
    }
    fn similar(&self, name: &str) -> Option<String> {
        similar(
            name,
            self.names
                .keys()
                .chain(self.slots.keys())
                .map(String::as_str),
        )
    }
}

/// Checks `def` and builds the scenario when it has no errors.
pub fn compile(
    def: &ScenarioDef,
    catalogue: &[GoalDef],
    rep: &mut Reporter<'_>,
    spans: &SpanIndex,
    content_hash: String,
) -> Option<Scenario> {
    let mut cx = Ctx { rep, spans };
    let cx = &mut cx;

    // Metadata.
    if !valid_scenario_id(&def.id) {
        cx.err(
            "invalid-id",
            "id",
            format!("`{}` is not a valid scenario id", def.id),
        )
        .hint("use lowercase letters, digits, `-` and `_`, e.g. `maandag-blauwe-plekken`");
    }
    cx.text("version", "the version", &def.version, true);
    cx.text("title", "the title", &def.title, true);
    cx.text("summary", "the summary", &def.summary, true);
    if def.study_minutes == 0 || def.study_minutes > 6000 {
        cx.err(
            "out-of-range",
            "study_minutes",
            format!("study time {} minutes is out of range", def.study_minutes),
        )
        .hint("give the study time in minutes, between 1 and 6000");
    }

    // Goals, weights and thresholds.
    let goals = compile_goals(def, catalogue, cx);
    let goal_idx: HashMap<&str, usize> = goals
        .iter()
        .enumerate()
        .map(|(i, g)| (g.id.as_str(), i))
        .collect();
    if !(0.0..=1.0).contains(&def.pass.overall) {
        cx.err(
            "out-of-range",
            "pass.overall",
            format!("pass threshold {} is not between 0 and 1", def.pass.overall),
        );
    }
    if let Some(f) = def.pass.floor
        && !(0.0..=1.0).contains(&f)
    {
        cx.err(
            "out-of-range",
            "pass.floor",
            format!("goal floor {f} is not between 0 and 1"),
        )
        .hint("a floor is a share of the credit a goal can earn, e.g. 0.5");
    }

    // Characters and variables.
    let mut names: HashMap<String, Name> = HashMap::new();
    let mut characters = Vec::new();
    for (i, c) in def.characters.iter().enumerate() {
        let p = format!("characters[{i}]");
        check_ident(cx, &format!("{p}.id"), &c.id, "character");
        if names
            .insert(c.id.clone(), Name::Character(i as u32))
            .is_some()
        {
            cx.err(
                "duplicate-id",
                &format!("{p}.id"),
                format!("character `{}` is declared twice", c.id),
            );
        }
        if !(MOOD_RANGE.0..=MOOD_RANGE.1).contains(&c.mood) {
            cx.err(
                "out-of-range",
                &format!("{p}.mood"),
                format!("mood {} is outside -3..=3", c.mood),
            );
        }
        if !(TRUST_RANGE.0..=TRUST_RANGE.1).contains(&c.trust) {
            cx.err(
                "out-of-range",
                &format!("{p}.trust"),
                format!("trust {} is outside 0..=5", c.trust),
            );
        }
        if let Some(portrait) = &c.portrait
            && !asset_path_ok(portrait)
        {
            cx.err(
                "asset-path",
                &format!("{p}.portrait"),
                format!("portrait `{portrait}` points outside the scenario's folder"),
            )
            .hint("give a relative path without `..`, e.g. `portraits/mila.png`");
        } else if let Some(portrait) = &c.portrait
            && let Some(target) = escapes_folder(cx.rep.file, portrait)
        {
            cx.err(
                "asset-path",
                &format!("{p}.portrait"),
                format!(
                    "portrait `{portrait}` is a link to {}, outside the scenario's folder",
                    target.display()
                ),
            )
            .hint("copy the picture into the scenario's folder instead of linking to it");
        }
        let kind = super::stage::person_kind(cx, &p, c);
        characters.push(Character {
            id: c.id.clone(),
            name: c.name.clone(),
            role: c.role.clone(),
            mood: c.mood,
            trust: c.trust,
            portrait: c.portrait.clone(),
            age: c.age,
            kind,
        });
    }
    let mut variables = Vec::new();
    for (i, v) in def.variables.iter().enumerate() {
        let p = format!("variables[{i}]");
        check_ident(cx, &format!("{p}.id"), &v.id, "variable");
        let (ty, initial) = match v.value {
            ValueDef::Int(n) => (Type::Int, n),
            ValueDef::Bool(b) => (Type::Bool, i64::from(b)),
        };
        if names
            .insert(v.id.clone(), Name::Var(i as u32, ty))
            .is_some()
        {
            cx.err(
                "duplicate-id",
                &format!("{p}.id"),
                format!("`{}` is already declared as a character or variable", v.id),
            );
        }
        if ty == Type::Bool && (v.min.is_some() || v.max.is_some()) {
            cx.err(
                "bounds-on-bool",
                &format!("{p}.min"),
                "only integer variables can have bounds",
            );
        }
        if let (Some(lo), Some(hi)) = (v.min, v.max)
            && lo > hi
        {
            cx.err(
                "out-of-range",
                &format!("{p}.max"),
                format!("max {hi} is below min {lo}"),
            );
        }
        if ty == Type::Int
            && (v.min.is_some_and(|lo| initial < lo) || v.max.is_some_and(|hi| initial > hi))
        {
            cx.err(
                "out-of-range",
                &format!("{p}.value"),
                format!("initial value {initial} is outside the bounds"),
            );
        }
        variables.push(Variable {
            id: v.id.clone(),
            ty,
            initial,
            min: v.min,
            max: v.max,
        });
    }

    // Node and choice ids share one namespace of visit slots: nodes first, then choices.
    if def.nodes.len() > MAX_NODES {
        cx.err(
            "limit",
            "nodes",
            format!("{} nodes; at most {MAX_NODES} are allowed", def.nodes.len()),
        );
        return None;
    }
    let mut slots: HashMap<String, u32> = HashMap::new();
    let mut first_path: HashMap<String, String> = HashMap::new();
    let mut claim = |cx: &mut Ctx, id: &str, path: String, slot: u32, what: &str| {
        check_ident(cx, &path, id, what);
        if let Some(prev) = first_path.get(id) {
            let line = cx
                .spans
                .find(prev)
                .map(|s| super::diag::line_col(cx.rep.src, s.start).0);
            let d = cx.err("duplicate-id", &path, format!("id `{id}` is used twice"));
            d.label("second use");
            if let Some(line) = line {
                d.hint(format!(
                    "first used on line {line}; node and choice ids share one namespace"
                ));
            }
        } else {
            first_path.insert(id.to_string(), path);
            slots.insert(id.to_string(), slot);
        }
    };
    for (i, n) in def.nodes.iter().enumerate() {
        claim(cx, &n.id, format!("nodes[{i}].id"), i as u32, "node");
    }
    let mut flat: Vec<(usize, String, &ChoiceDef)> = Vec::new();
    for (i, n) in def.nodes.iter().enumerate() {
        for (j, c) in n.choices.iter().enumerate() {
            flat.push((i, format!("nodes[{i}].choices[{j}]"), c));
        }
        if let Some(t) = &n.time_limit {
            flat.push((
                i,
                format!("nodes[{i}].time_limit.on_timeout"),
                &t.on_timeout,
            ));
        }
    }
    let n_nodes = def.nodes.len() as u32;
    for (k, (_, p, c)) in flat.iter().enumerate() {
        claim(cx, &c.id, format!("{p}.id"), n_nodes + k as u32, "choice");
    }
    let node_ids: HashMap<&str, NodeIdx> = def
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i as NodeIdx))
        .collect();
    let resolver = Names { names, slots };
    let node_ref = |cx: &mut Ctx, path: &str, id: &str| -> NodeIdx {
        match node_ids.get(id) {
            Some(&i) => i,
            None => {
                let d = cx.err("unknown-node", path, format!("no node has the id `{id}`"));
                if let Some(s) = similar(id, node_ids.keys().copied()) {
                    d.hint(format!("did you mean `{s}`?"));
                }
                0
            }
        }
    };

    // Choices.
    let mut choices = Vec::with_capacity(flat.len());
    for (node, p, c) in &flat {
        let is_timeout = p.contains("time_limit");
        let next = node_ref(cx, &format!("{p}.next"), &c.next);
        let condition = c.condition.as_deref().and_then(|src| {
            expr::parse_condition(src, &resolver)
                .map_err(|e| cx.expr_err(&format!("{p}.condition"), e))
                .ok()
        });
        if is_timeout && c.condition.is_some() {
            cx.err(
                "timeout-condition",
                &format!("{p}.condition"),
                "the time-out choice cannot have a condition",
            )
            .hint("it is what happens when time runs out, so it must always be possible");
        }
        if c.condition.is_some() && c.locked_reason.is_none() && !is_timeout {
            cx.warn(
                "missing-locked-reason",
                &format!("{p}.condition"),
                "a conditional choice without `locked_reason`",
            )
            .hint("say why the choice is locked; practice mode shows it to the trainee");
        }
        let effects = compile_effects(cx, p, &c.effects, &resolver);
        let points = compile_points(
            cx,
            &format!("{p}.points"),
            &c.points,
            &goal_idx,
            goals.len(),
            catalogue,
        );
        cx.text(&format!("{p}.text"), "the choice text", &c.text, true);
        for (field, what, s) in [
            ("rationale", "the rationale", &c.rationale),
            ("source", "the source", &c.source),
        ] {
            if s.trim().is_empty() {
                cx.err("missing-rationale", &format!("{p}.{field}"), format!("{what} of choice `{}` is empty", c.id))
                    .hint("every choice explains the expert's view and names its source, e.g. \"Meldcode stap 2\"");
            }
            cx.text(&format!("{p}.{field}"), what, s, false);
        }
        choices.push(Choice {
            id: c.id.clone(),
            node: *node as NodeIdx,
            text: c.text.clone(),
            condition,
            condition_src: c.condition.clone(),
            locked_reason: c.locked_reason.clone(),
            effects,
            points,
            rationale: c.rationale.clone(),
            source: c.source.clone(),
            expert: c.expert,
            next,
            is_timeout,
        });
    }

    // Nodes.
    let (places, place_ids) = super::stage::compile_places(cx, def);
    let mut nodes = Vec::with_capacity(def.nodes.len());
    let mut next_choice: ChoiceIdx = 0;
    for (i, n) in def.nodes.iter().enumerate() {
        let p = format!("nodes[{i}]");
        let mut node = compile_node(cx, &p, n, &resolver, &mut next_choice, &node_ref);
        (node.place, node.present) = super::stage::node_scene(cx, &p, n, &place_ids, &resolver);
        nodes.push(node);
    }
    let start = node_ref(cx, "start", &def.start);
    if !places.is_empty() && nodes.get(start as usize).is_some_and(|n| n.place.is_none()) {
        cx.warn(
            "no-start-place",
            "start",
            format!("the first node `{}` has no `place`", def.start),
        )
        .hint("the scene shows no place until a node names one; give the first node a `place`");
    }

    // Rules.
    if def.rules.len() > MAX_RULES {
        cx.err(
            "limit",
            "rules",
            format!("{} rules; at most {MAX_RULES} are allowed", def.rules.len()),
        );
    }
    let mut rules = Vec::new();
    let mut rule_ids = HashMap::new();
    for (i, r) in def.rules.iter().enumerate() {
        let p = format!("rules[{i}]");
        check_ident(cx, &format!("{p}.id"), &r.id, "rule");
        if rule_ids.insert(r.id.as_str(), i).is_some() {
            cx.err(
                "duplicate-id",
                &format!("{p}.id"),
                format!("rule `{}` is declared twice", r.id),
            );
        }
        let target = |cx: &mut Ctx, path: String, id: &str| -> u32 {
            resolver.visit_slot(id).unwrap_or_else(|| {
                let d = cx.err(
                    "unknown-target",
                    &path,
                    format!("no node or choice has the id `{id}`"),
                );
                if let Some(s) = similar(id, resolver.slots.keys().map(String::as_str)) {
                    d.hint(format!("did you mean `{s}`?"));
                }
                0
            })
        };
        let kind = match &r.kind {
            RuleKindDef::MustVisit(t) => RuleKind::MustVisit(target(cx, format!("{p}.kind.0"), t)),
            RuleKindDef::MustAvoid(t) => RuleKind::MustAvoid(target(cx, format!("{p}.kind.0"), t)),
            RuleKindDef::Within {
                target: t,
                decisions,
            } => {
                if *decisions == 0 {
                    cx.err(
                        "out-of-range",
                        &format!("{p}.kind.decisions"),
                        "`decisions` must be at least 1",
                    );
                }
                RuleKind::Within {
                    target: target(cx, format!("{p}.kind.target"), t),
                    decisions: *decisions,
                }
            }
        };
        let penalty = compile_points(
            cx,
            &format!("{p}.penalty"),
            &r.penalty,
            &goal_idx,
            goals.len(),
            catalogue,
        );
        cx.text(
            &format!("{p}.message"),
            "the rule message",
            &r.message,
            true,
        );
        rules.push(Rule {
            id: r.id.clone(),
            kind,
            critical: r.critical,
            penalty,
            message: r.message.clone(),
        });
    }

    // Goals declared but never scored.
    for (g, goal) in goals.iter().enumerate() {
        let scored =
            choices.iter().any(|c| c.points[g] != 0) || rules.iter().any(|r| r.penalty[g] != 0);
        if !scored {
            cx.err(
                "goal-not-scored",
                &format!("goals[{:?}]#key", goal.id),
                format!("goal `{}` is trained but no choice scores it", goal.id),
            )
            .hint(
                "give points for this goal on the choices that train it, or remove it from `goals`",
            );
        }
    }

    if cx.rep.has_errors() {
        return None;
    }
    let n_goals = goals.len();
    // Only the visit slots an expression or a rule reads are counted at run time.
    let slot_count = nodes.len() + choices.len();
    let mut track = vec![UNTRACKED; slot_count];
    let mut tracked = Vec::new();
    let mut mark = |slot: u32| {
        if let Some(t) = track.get_mut(slot as usize)
            && *t == UNTRACKED
        {
            *t = tracked.len() as u32;
            tracked.push(slot);
        }
    };
    for c in &choices {
        c.condition
            .iter()
            .chain(c.effects.iter().map(|e| &e.value))
            .for_each(|e| e.for_each_visit_ref(&mut mark));
    }
    for n in &nodes {
        n.effects
            .iter()
            .for_each(|e| e.value.for_each_visit_ref(&mut mark));
        if let NodeKind::Ending(e) = &n.kind {
            e.parts
                .iter()
                .for_each(|p| p.when.for_each_visit_ref(&mut mark));
        }
    }
    for r in &rules {
        match r.kind {
            RuleKind::MustVisit(s)
            | RuleKind::MustAvoid(s)
            | RuleKind::Within { target: s, .. } => mark(s),
        }
    }
    Some(Scenario {
        id: def.id.clone(),
        version: def.version.clone(),
        title: def.title.clone(),
        language: def.language.clone(),
        kind: def.kind,
        summary: def.summary.clone(),
        audience: def.audience.clone(),
        study_minutes: def.study_minutes,
        goals,
        pass_overall: def.pass.overall,
        accept_partial: def.pass.accept_partial,
        characters,
        places,
        variables,
        start,
        nodes,
        choices,
        rules,
        reflection: def.reflection.clone(),
        content_hash,
        path: None,
        ranges: vec![GoalRange { min: 0, max: 0 }; n_goals],
        ranges_exact: false,
        track,
        tracked,
    })
}
