//! Reading records back out: lists of trainees and attempts, and exports as CSV (one row per
//! attempt × goal), JSON (complete records) and xAPI (the statement array of the outbox).
//!
//! Exports are pseudonymous unless `names` is asked for: trainees appear by their id only.
//! All three stream rows to the writer, so a large database never needs to fit in memory.

use std::io::Write;

use rusqlite::{Connection, params};
use serde::Serialize;

use super::StoreError;
use super::time::rfc3339;

/// Which attempts an export or list covers.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub trainee: Option<String>,
    pub scenario: Option<String>,
    /// Attempts started at or after this time (ms since the epoch).
    pub since_ms: Option<u64>,
}

const WHERE: &str = "(?1 IS NULL OR a.trainee = ?1) AND (?2 IS NULL OR a.scenario = ?2)
                     AND (?3 IS NULL OR a.started_ms >= ?3)";

impl Filter {
    fn params(&self) -> (Option<&str>, Option<&str>, Option<i64>) {
        (
            self.trainee.as_deref(),
            self.scenario.as_deref(),
            self.since_ms.map(|t| t as i64),
        )
    }
}

/// A trainee with totals, for `casus records trainees`.
#[derive(Debug, Clone, Serialize)]
pub struct TraineeRow {
    pub id: String,
    pub name: String,
    pub skj: Option<String>,
    pub attempts: u32,
    pub finished: u32,
    pub passed: u32,
    /// Declared study minutes of the scenarios finished, each scenario counted once (as in the
    /// report and on certificates).
    pub study_minutes: u64,
}

pub fn trainees(conn: &Connection) -> Result<Vec<TraineeRow>, StoreError> {
    let mut q = conn.prepare(
        "SELECT t.id, t.name, t.skj, count(a.id),
                coalesce(sum(a.status = 'finished'), 0),
                coalesce(sum(a.passed = 1), 0),
                (SELECT coalesce(sum(m), 0) FROM (
                    SELECT max(f.study_minutes) AS m FROM attempts f
                    WHERE f.trainee = t.id AND f.status = 'finished' GROUP BY f.scenario))
         FROM trainees t LEFT JOIN attempts a ON a.trainee = t.id
         GROUP BY t.id ORDER BY t.created_ms, t.id",
    )?;
    let rows = q.query_map([], |r| {
        Ok(TraineeRow {
            id: r.get(0)?,
            name: r.get(1)?,
            skj: r.get(2)?,
            attempts: r.get(3)?,
            finished: r.get(4)?,
            passed: r.get(5)?,
            study_minutes: r.get::<_, i64>(6)? as u64,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// An attempt's headline, for `casus records attempts`.
#[derive(Debug, Clone, Serialize)]
pub struct AttemptRow {
    pub id: String,
    pub trainee: String,
    pub scenario: String,
    pub version: String,
    pub mode: String,
    pub started: String,
    pub status: String,
    pub decisions: u32,
    pub overall: Option<f64>,
    pub passed: Option<bool>,
}

pub fn attempts(conn: &Connection, f: &Filter) -> Result<Vec<AttemptRow>, StoreError> {
    let mut q = conn.prepare(&format!(
        "SELECT a.id, a.trainee, a.scenario, a.version, a.mode, a.started_ms, a.status,
                (SELECT count(*) FROM decisions d WHERE d.attempt = a.id), a.overall, a.passed
         FROM attempts a WHERE {WHERE} ORDER BY a.started_ms, a.rowid"
    ))?;
    let (t, s, since) = f.params();
    let rows = q.query_map(params![t, s, since], |r| {
        Ok(AttemptRow {
            id: r.get(0)?,
            trainee: r.get(1)?,
            scenario: r.get(2)?,
            version: r.get(3)?,
            mode: r.get(4)?,
            started: rfc3339(r.get::<_, i64>(5)? as u64),
            status: r.get(6)?,
            decisions: r.get(7)?,
            overall: r.get(8)?,
            passed: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn io(e: std::io::Error) -> StoreError {
    StoreError::Output(e)
}

/// A text a person typed (a name, an SKJ number, a title) as a spreadsheet will read it: one
/// that starts like a formula (`=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading
/// `'`, so opening the export never runs it (CSV formula injection).
pub fn no_formula(s: String) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s
    }
}

/// The CSV columns, in order (docs/records.md describes each).
pub const CSV_HEADER: [&str; 23] = [
    "attempt_id",
    "trainee_id",
    "trainee_name",
    "skj_number",
    "scenario_id",
    "scenario_title",
    "scenario_version",
    "content_hash",
    "mode",
    "started",
    "finished",
    "status",
    "ending",
    "outcome",
    "overall",
    "passed",
    "goal",
    "goal_raw",
    "goal_min",
    "goal_max",
    "goal_scaled",
    "goal_met",
    "scoring_version",
];

/// One row per attempt × goal; an attempt without a result has one row with empty goal columns.
/// Names and SKJ numbers are empty unless `names`. Returns the number of attempts written.
pub fn write_csv(
    conn: &Connection,
    f: &Filter,
    names: bool,
    out: impl Write,
) -> Result<u64, StoreError> {
    let mut w = csv::Writer::from_writer(out);
    let csv_err = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(e) => StoreError::Output(e),
        other => StoreError::Db(format!("writing the export: {other:?}")),
    };
    w.write_record(CSV_HEADER).map_err(csv_err)?;
    let mut q = conn.prepare(&format!(
        "SELECT a.id, a.trainee, t.name, t.skj, a.scenario, a.title, a.version, a.content_hash,
                a.mode, a.started_ms, a.finished_ms, a.status, a.ending, a.outcome, a.overall,
                a.passed, g.goal, g.raw, g.min, g.max, g.scaled, g.met, a.scoring
         FROM attempts a JOIN trainees t ON t.id = a.trainee
         LEFT JOIN goal_scores g ON g.attempt = a.id
         WHERE {WHERE} ORDER BY a.started_ms, a.rowid, g.rowid"
    ))?;
    let (t, s, since) = f.params();
    let mut rows = q.query(params![t, s, since])?;
    let (mut n, mut last) = (0u64, String::new());
    while let Some(r) = rows.next()? {
        let text = |i: usize| -> rusqlite::Result<String> {
            Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default())
        };
        let num = |i: usize| -> rusqlite::Result<String> {
            Ok(r.get::<_, Option<i64>>(i)?
                .map(|v| v.to_string())
                .unwrap_or_default())
        };
        let real = |i: usize| -> rusqlite::Result<String> {
            Ok(r.get::<_, Option<f64>>(i)?
                .map(|v| format!("{v:.4}"))
                .unwrap_or_default())
        };
        let time = |i: usize| -> rusqlite::Result<String> {
            Ok(r.get::<_, Option<i64>>(i)?
                .map(|v| rfc3339(v as u64))
                .unwrap_or_default())
        };
        let boolean = |i: usize| -> rusqlite::Result<String> {
            Ok(r.get::<_, Option<bool>>(i)?
                .map(|v| v.to_string())
                .unwrap_or_default())
        };
        let id = text(0)?;
        if id != last {
            n += 1;
            last.clone_from(&id);
        }
        let (name, skj) = if names {
            (no_formula(text(2)?), no_formula(text(3)?))
        } else {
            (String::new(), String::new())
        };
        let rec = [
            id,
            text(1)?,
            name,
            skj,
            text(4)?,
            no_formula(text(5)?),
            text(6)?,
            text(7)?,
            text(8)?,
            time(9)?,
            time(10)?,
            text(11)?,
            text(12)?,
            text(13)?,
            real(14)?,
            boolean(15)?,
            text(16)?,
            num(17)?,
            num(18)?,
            num(19)?,
            real(20)?,
            boolean(21)?,
            num(22)?,
        ];
        w.write_record(&rec).map_err(csv_err)?;
    }
    w.flush().map_err(io)?;
    Ok(n)
}

#[derive(Serialize)]
struct JsonTrainee {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skj: Option<String>,
    created: String,
}

#[derive(Serialize)]
struct JsonDecision {
    seq: u32,
    node: String,
    choice: String,
    /// On the session clock (time on task since the attempt started, pauses excluded).
    at_ms: u64,
    /// Wall clock when the trainee made it; absent for decisions recorded before schema 3.
    #[serde(skip_serializing_if = "Option::is_none")]
    made: Option<String>,
    /// Wall clock when it was committed to the database.
    recorded: String,
    took_ms: u64,
    timed_out: bool,
    points: serde_json::Value,
    /// Taken back by a step back (practice mode).
    undone: bool,
}

#[derive(Serialize)]
struct JsonAttempt {
    id: String,
    trainee: String,
    scenario: String,
    title: String,
    kind: String,
    version: String,
    content_hash: String,
    study_minutes: u32,
    language: String,
    seed: String,
    mode: String,
    started: String,
    finished: Option<String>,
    status: String,
    ending: Option<String>,
    outcome: Option<String>,
    overall: Option<f64>,
    passed: Option<bool>,
    /// The scoring rules of `overall`, `passed` and the goal scores (absent until finished).
    scoring_version: Option<u32>,
    goals: Vec<super::GoalResult>,
    decisions: Vec<JsonDecision>,
    notes: String,
    reflection: String,
}

/// Complete records as one JSON document: `{"format": "casus-records", "version": 1,
/// "exported": …, "trainees": […], "attempts": […]}`. Returns the number of attempts.
pub fn write_json(
    conn: &Connection,
    f: &Filter,
    names: bool,
    mut out: impl Write,
) -> Result<u64, StoreError> {
    let ser = |e: serde_json::Error| StoreError::Output(e.into());
    let mut trainees = Vec::new();
    {
        let mut q = conn.prepare(
            "SELECT id, name, skj, created_ms FROM trainees
             WHERE ?1 IS NULL OR id = ?1 ORDER BY created_ms, id",
        )?;
        let mut rows = q.query([f.trainee.as_deref()])?;
        while let Some(r) = rows.next()? {
            trainees.push(JsonTrainee {
                id: r.get(0)?,
                name: names.then(|| r.get(1)).transpose()?,
                skj: if names { r.get(2)? } else { None },
                created: rfc3339(r.get::<_, i64>(3)? as u64),
            });
        }
    }
    write!(
        out,
        "{{\"format\":\"casus-records\",\"version\":1,\"exported\":\"{}\",\"trainees\":",
        rfc3339(super::now_ms())
    )
    .map_err(io)?;
    serde_json::to_writer(&mut out, &trainees).map_err(ser)?;
    write!(out, ",\"attempts\":[").map_err(io)?;
    let mut q = conn.prepare(&format!(
        "SELECT a.id, a.trainee, a.scenario, a.title, a.kind, a.version, a.content_hash,
                a.study_minutes, a.language, a.seed, a.mode, a.started_ms, a.finished_ms,
                a.status, a.ending, a.outcome, a.overall, a.passed,
                coalesce(n.text, ''), coalesce(r.text, ''), a.scoring
         FROM attempts a
         LEFT JOIN notes n ON n.attempt = a.id LEFT JOIN reflections r ON r.attempt = a.id
         WHERE {WHERE} ORDER BY a.started_ms, a.rowid"
    ))?;
    let mut goals_q = conn.prepare_cached(
        "SELECT goal, raw, min, max, scaled, met FROM goal_scores WHERE attempt = ?1 ORDER BY rowid",
    )?;
    let mut dec_q = conn.prepare_cached(
        "SELECT d.seq, d.node, d.choice, d.at_ms, d.recorded_ms, d.took_ms, d.timed_out, d.points,
                EXISTS (SELECT 1 FROM step_backs s WHERE s.attempt = d.attempt AND s.undone_seq = d.seq),
                d.made_ms
         FROM decisions d WHERE d.attempt = ?1 ORDER BY d.seq",
    )?;
    let (t, s, since) = f.params();
    let mut rows = q.query(params![t, s, since])?;
    let mut n = 0u64;
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        let goals = goals_q
            .query_map([&id], |g| {
                Ok(super::GoalResult {
                    goal: g.get(0)?,
                    raw: g.get(1)?,
                    min: g.get(2)?,
                    max: g.get(3)?,
                    scaled: g.get(4)?,
                    met: g.get(5)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        let decisions = dec_q
            .query_map([&id], |d| {
                Ok(JsonDecision {
                    seq: d.get(0)?,
                    node: d.get(1)?,
                    choice: d.get(2)?,
                    at_ms: d.get::<_, i64>(3)? as u64,
                    made: d.get::<_, Option<i64>>(9)?.map(|t| rfc3339(t as u64)),
                    recorded: rfc3339(d.get::<_, i64>(4)? as u64),
                    took_ms: d.get::<_, i64>(5)? as u64,
                    timed_out: d.get(6)?,
                    points: serde_json::from_str(&d.get::<_, String>(7)?)
                        .unwrap_or(serde_json::Value::Null),
                    undone: d.get(8)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        let a = JsonAttempt {
            trainee: r.get(1)?,
            scenario: r.get(2)?,
            title: r.get(3)?,
            kind: r.get(4)?,
            version: r.get(5)?,
            content_hash: r.get(6)?,
            study_minutes: r.get(7)?,
            language: r.get(8)?,
            seed: (r.get::<_, i64>(9)? as u64).to_string(),
            mode: r.get(10)?,
            started: rfc3339(r.get::<_, i64>(11)? as u64),
            finished: r.get::<_, Option<i64>>(12)?.map(|t| rfc3339(t as u64)),
            status: r.get(13)?,
            ending: r.get(14)?,
            outcome: r.get(15)?,
            overall: r.get(16)?,
            passed: r.get(17)?,
            notes: r.get(18)?,
            reflection: r.get(19)?,
            scoring_version: r.get(20)?,
            goals,
            decisions,
            id,
        };
        if n > 0 {
            out.write_all(b",").map_err(io)?;
        }
        serde_json::to_writer(&mut out, &a).map_err(ser)?;
        n += 1;
    }
    out.write_all(b"]}\n").map_err(io)?;
    out.flush().map_err(io)?;
    Ok(n)
}

/// The xAPI statements of the selected attempts as one JSON array, in the order they were
/// made — the same statements (and ids) the outbox sends to an LRS. Returns their number.
pub fn write_xapi(conn: &Connection, f: &Filter, mut out: impl Write) -> Result<u64, StoreError> {
    let mut q = conn.prepare(&format!(
        "SELECT o.statement FROM outbox o JOIN attempts a ON a.id = o.attempt
         WHERE {WHERE} ORDER BY o.rowid"
    ))?;
    let (t, s, since) = f.params();
    let mut rows = q.query(params![t, s, since])?;
    out.write_all(b"[").map_err(io)?;
    let mut n = 0u64;
    while let Some(r) = rows.next()? {
        if n > 0 {
            out.write_all(b",\n").map_err(io)?;
        }
        let text = r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
        out.write_all(text.as_bytes()).map_err(io)?;
        n += 1;
    }
    out.write_all(b"]\n").map_err(io)?;
    out.flush().map_err(io)?;
    Ok(n)
}
