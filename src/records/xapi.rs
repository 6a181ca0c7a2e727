//! The xAPI 1.0.3 mapping: which statements an attempt produces and what they say.
//! docs/xapi.md documents it for organisations.
//!
//! Statements are built when their event happens (the attempt starts, a decision is made, a
//! decision is taken back, the attempt ends) and stored in the outbox in the same transaction.
//! Their ids are name-based UUIDs (v5) of the attempt and the event, so building, exporting or
//! pushing a statement twice always yields the same id and an LRS never stores a duplicate.

use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::time::{iso_duration, rfc3339};
use super::{Attempt, OrgConfig, Summary};
use crate::scenario::Scenario;
use crate::scenario::model::NodeKind;

/// Namespace of Casus statement ids.
const NAMESPACE: Uuid = Uuid::from_u128(0x5c1e_7a0e_3b9d_4c6f_9a51_0c4a_5e0b_2d17);

const ADL: &str = "http://adlnet.gov/expapi/verbs/";
/// The cmi5 profile's verb for an attempt left unfinished.
const ABANDONED: &str = "https://w3id.org/xapi/adl/verbs/abandoned";

/// The deterministic id of the statement for `event` (e.g. `answered/4`) in `attempt`.
pub fn statement_id(attempt: &str, event: &str) -> String {
    Uuid::new_v5(&NAMESPACE, format!("{attempt}/{event}").as_bytes()).to_string()
}

/// The registration (a UUID) of an attempt: its id, or a name-based UUID for older ids.
pub fn registration(attempt: &str) -> String {
    Uuid::parse_str(attempt)
        .unwrap_or_else(|_| Uuid::new_v5(&NAMESPACE, attempt.as_bytes()))
        .to_string()
}

/// A language tag for a scenario language (`nl`, `en` are valid RFC 5646 tags as they are).
fn lang(l: &str) -> &str {
    if l.is_empty() { "und" } else { l }
}

/// Builds the statements of one attempt.
pub struct Builder<'a> {
    pub org: &'a OrgConfig,
    pub attempt: &'a Attempt,
    /// The scenario played, for activity definitions; `None` gives bare definitions (records
    /// imported without their scenario).
    pub scenario: Option<&'a Scenario>,
    /// The trainee's display name, only when the organisation configured names in statements.
    pub actor_name: Option<&'a str>,
}

impl Builder<'_> {
    fn base(&self) -> &str {
        self.org.activity_base.trim_end_matches('/')
    }

    /// The IRI of an extension.
    pub fn ext(&self, name: &str) -> String {
        format!("{}/extensions/{name}", self.base())
    }

    fn scenario_iri(&self) -> String {
        format!("{}/scenarios/{}", self.base(), self.attempt.scenario)
    }

    fn actor(&self) -> Value {
        let mut a = json!({
            "objectType": "Agent",
            "account": { "homePage": self.org.home_page, "name": self.attempt.profile },
        });
        if let Some(n) = self.actor_name {
            a["name"] = Value::String(n.to_string());
        }
        a
    }

    fn verb(id: &str, en: &str, nl: &str) -> Value {
        let iri = if id.starts_with("http") {
            id.to_string()
        } else {
            format!("{ADL}{id}")
        };
        json!({ "id": iri, "display": { "en-US": en, "nl-NL": nl } })
    }

    fn scenario_activity(&self) -> Value {
        let l = lang(&self.attempt.language);
        let mut def = json!({
            "type": "http://adlnet.gov/expapi/activities/simulation",
            "name": { l: self.attempt.title },
        });
        if let Some(sc) = self.scenario {
            def["description"] = json!({ l: sc.summary });
        }
        json!({ "objectType": "Activity", "id": self.scenario_iri(), "definition": def })
    }

    fn goal_activities(&self) -> Vec<Value> {
        let Some(sc) = self.scenario else {
            return Vec::new();
        };
        sc.goals
            .iter()
            .map(|g| {
                json!({
                    "objectType": "Activity",
                    "id": format!("{}/goals/{}", self.base(), g.id),
                    "definition": {
                        "type": "http://adlnet.gov/expapi/activities/objective",
                        "name": { "nl": g.name.nl, "en": g.name.en },
                    },
                })
            })
            .collect()
    }

    /// The context. Every statement names the scenario version and content hash; `full` (the
    /// first and the result statement of an attempt) adds the per-attempt facts (mode, seed,
    /// study minutes, kind) and the goals' names, which an LRS needs once, not 20 times.
    fn context(&self, full: bool) -> Value {
        let a = self.attempt;
        let mut ext = Map::new();
        ext.insert(self.ext("scenario-version"), json!(a.version));
        ext.insert(self.ext("content-hash"), json!(a.content_hash));
        if full {
            ext.insert(self.ext("mode"), json!(a.mode));
            ext.insert(self.ext("seed"), json!(a.seed.to_string()));
            ext.insert(self.ext("study-minutes"), json!(a.study_minutes));
            ext.insert(self.ext("case-kind"), json!(a.kind));
        }
        let mut ctx = json!({
            "registration": registration(&a.id),
            "platform": "Casus",
            "language": lang(&a.language),
            "contextActivities": { "parent": [{ "objectType": "Activity", "id": self.scenario_iri() }] },
            "extensions": ext,
        });
        let mut goals = self.goal_activities();
        if !full {
            for g in &mut goals {
                if let Some(m) = g.as_object_mut() {
                    m.remove("definition");
                }
            }
        }
        if !goals.is_empty() {
            ctx["contextActivities"]["grouping"] = Value::Array(goals);
        }
        ctx
    }

    fn statement(&self, event: &str, verb: Value, object: Value, timestamp_ms: u64) -> Value {
        let full = matches!(event, "initialized" | "result");
        json!({
            "id": statement_id(&self.attempt.id, event),
            "actor": self.actor(),
            "verb": verb,
            "object": object,
            "context": self.context(full),
            "timestamp": rfc3339(timestamp_ms),
        })
    }

    /// The attempt started.
    pub fn initialized(&self) -> Value {
        self.statement(
            "initialized",
            Self::verb("initialized", "initialized", "startte"),
            self.scenario_activity(),
            self.attempt.started_ms,
        )
    }

    /// A decision: `choice` at `node`, log position `seq`.
    #[allow(clippy::too_many_arguments)]
    pub fn answered(
        &self,
        seq: u32,
        node: &str,
        choice: &str,
        took_ms: u64,
        timed_out: bool,
        points: &std::collections::BTreeMap<String, i64>,
        at_ms: u64,
    ) -> Value {
        let l = lang(&self.attempt.language);
        let mut def = json!({
            "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
            "interactionType": "choice",
            "name": { l: format!("{} — {node}", self.attempt.title) },
        });
        let mut success = None;
        if let Some(sc) = self.scenario
            && let Some(n) = sc.node_by_id(node)
        {
            let n = &sc.nodes[n as usize];
            if let Some(line) = n.lines.last() {
                def["description"] = json!({ l: line.text });
            }
            if let NodeKind::Decision {
                choices,
                time_limit,
            } = &n.kind
            {
                let mut cs: Vec<_> = choices.iter().map(|&c| &sc.choices[c as usize]).collect();
                // The choice made for the trainee when the time runs out is a response too.
                if let Some(t) = time_limit
                    && !choices.contains(&t.on_timeout)
                {
                    cs.push(&sc.choices[t.on_timeout as usize]);
                }
                def["choices"] = cs
                    .iter()
                    .map(|c| json!({ "id": c.id, "description": { l: c.text } }))
                    .collect();
                let expert: Vec<&str> = cs
                    .iter()
                    .filter(|c| c.expert)
                    .map(|c| c.id.as_str())
                    .collect();
                if !expert.is_empty() {
                    success = Some(expert.contains(&choice));
                    def["correctResponsesPattern"] = json!(expert);
                }
            }
        }
        let object = json!({
            "objectType": "Activity",
            "id": format!("{}/decisions/{node}", self.scenario_iri()),
            "definition": def,
        });
        let mut result = json!({
            "response": choice,
            "duration": iso_duration(took_ms),
            "extensions": {
                self.ext("points"): points,
                self.ext("timed-out"): timed_out,
            },
        });
        if let Some(s) = success {
            result["success"] = json!(s);
        }
        let mut st = self.statement(
            &format!("answered/{seq}"),
            Self::verb("answered", "answered", "beantwoordde"),
            object,
            at_ms,
        );
        st["result"] = result;
        st
    }

    /// A decision taken back (practice mode): voids the statement of decision `undone_seq`.
    pub fn voided(&self, seq: u32, undone_seq: u32, at_ms: u64) -> Value {
        json!({
            "id": statement_id(&self.attempt.id, &format!("voided/{seq}")),
            "actor": self.actor(),
            "verb": Self::verb("voided", "voided", "trok in"),
            "object": {
                "objectType": "StatementRef",
                "id": statement_id(&self.attempt.id, &format!("answered/{undone_seq}")),
            },
            "timestamp": rfc3339(at_ms),
        })
    }

    /// The end of a finished attempt: `passed` or `failed` with the scores, `completed`,
    /// `terminated`.
    pub fn finished(&self, summary: &Summary, at_ms: u64) -> Vec<Value> {
        let duration = iso_duration(at_ms.saturating_sub(self.attempt.started_ms));
        let goals: Map<String, Value> = summary
            .goals
            .iter()
            .map(|g| {
                let v = json!({
                    "scaled": round4(g.scaled), "raw": g.raw, "min": g.min, "max": g.max, "met": g.met,
                });
                (g.goal.clone(), v)
            })
            .collect();
        let percent = (summary.overall * 100.0).round().clamp(0.0, 100.0);
        let (verb, nl) = if summary.passed {
            ("passed", "slaagde")
        } else {
            ("failed", "zakte")
        };
        let mut result = self.statement(
            "result",
            Self::verb(verb, verb, nl),
            self.scenario_activity(),
            at_ms,
        );
        result["result"] = json!({
            "score": { "scaled": round4(summary.overall), "raw": percent, "min": 0, "max": 100 },
            "success": summary.passed,
            "completion": true,
            "duration": duration,
            "extensions": {
                self.ext("goal-scores"): goals,
                self.ext("ending"): summary.ending,
                self.ext("outcome"): summary.outcome,
                self.ext("scoring-version"): summary.scoring,
            },
        });
        let mut completed = self.statement(
            "completed",
            Self::verb("completed", "completed", "voltooide"),
            self.scenario_activity(),
            at_ms,
        );
        completed["result"] = json!({ "completion": true, "duration": duration });
        let terminated = self.statement(
            "terminated",
            Self::verb("terminated", "terminated", "sloot af"),
            self.scenario_activity(),
            at_ms,
        );
        vec![result, completed, terminated]
    }

    /// An attempt closed unfinished.
    pub fn abandoned(&self, at_ms: u64) -> Value {
        let mut st = self.statement(
            "abandoned",
            Self::verb(ABANDONED, "abandoned", "brak af"),
            self.scenario_activity(),
            at_ms,
        );
        st["result"] = json!({
            "completion": false,
            "duration": iso_duration(at_ms.saturating_sub(self.attempt.started_ms)),
        });
        st
    }
}

/// Rounds a score to four decimals (xAPI scores are decimals; this keeps exports readable).
fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// A statement voiding `target` (an erasure request: the LRS must no longer report it).
pub fn voiding(org: &OrgConfig, trainee: &str, target: &str, at_ms: u64) -> Value {
    json!({
        "id": Uuid::new_v5(&NAMESPACE, format!("erased/{target}").as_bytes()).to_string(),
        "actor": { "objectType": "Agent", "account": { "homePage": org.home_page, "name": trainee } },
        "verb": { "id": format!("{ADL}voided"), "display": { "en-US": "voided" } },
        "object": { "objectType": "StatementRef", "id": target },
        "timestamp": rfc3339(at_ms),
    })
}

/// Rewrites a statement not yet sent for changed organisation settings (`old` → `new`): the
/// actor's home page, every IRI under the old activity base (values and extension keys), and
/// the actor's display name — `name` when names go in statements, removed otherwise. Statement
/// ids do not depend on these settings, so a rewritten statement keeps its id.
pub fn restate(st: &mut Value, old: &OrgConfig, new: &OrgConfig, name: Option<&str>) {
    let base = |o: &OrgConfig| format!("{}/", o.activity_base.trim_end_matches('/'));
    let (from, to) = (base(old), base(new));
    if from != to {
        rebase(st, &from, &to);
    }
    let Some(actor) = st.get_mut("actor").and_then(Value::as_object_mut) else {
        return;
    };
    if let Some(hp) = actor.get_mut("account").and_then(|a| a.get_mut("homePage"))
        && hp.as_str() == Some(old.home_page.as_str())
    {
        *hp = Value::String(new.home_page.clone());
    }
    match name {
        Some(n) if new.names_in_statements => {
            actor.insert("name".into(), Value::String(n.to_string()));
        }
        _ => {
            actor.remove("name");
        }
    }
}

/// Replaces the prefix `from` by `to` in every string and object key of `v` that starts with it.
fn rebase(v: &mut Value, from: &str, to: &str) {
    match v {
        Value::String(s) => {
            if let Some(rest) = s.strip_prefix(from) {
                *s = format!("{to}{rest}");
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|x| rebase(x, from, to)),
        Value::Object(map) => {
            let keys: Vec<String> = map
                .keys()
                .filter(|k| k.starts_with(from))
                .cloned()
                .collect();
            for k in keys {
                if let Some(x) = map.remove(&k) {
                    map.insert(format!("{to}{}", &k[from.len()..]), x);
                }
            }
            map.values_mut().for_each(|x| rebase(x, from, to));
        }
        _ => {}
    }
}
