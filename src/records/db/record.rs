//! The writes that reach the xAPI outbox: recording an attempt's progress (decision rows, goal
//! scores and their statements in one `BEGIN IMMEDIATE` transaction), erasing a trainee (with
//! voiding statements for what an LRS already has), and changing the organisation's settings
//! (which rewrites the statements not yet sent).

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::{SqliteStore, json, mode_str, put_setting, setting};
use crate::play::LogEntry;
use crate::records::xapi::Builder;
use crate::records::{Attempt, OrgConfig, Status, Store, StoreError, now_ms};
use crate::scenario::Scenario;

impl SqliteStore {
    /// Saves the organisation's settings. Statements still waiting in the outbox are rewritten
    /// to match them (home page, activity IRIs, names), in the same transaction; statements an
    /// LRS already has stay as they were sent. Returns how many statements were rewritten.
    pub fn put_org(&mut self, org: OrgConfig) -> Result<u64, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let names: std::collections::HashMap<String, String> = tx
            .prepare("SELECT id, name FROM trainees")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let old: OrgConfig = setting(&tx, "org")?;
        let mut n = 0;
        if (&old.home_page, &old.activity_base, old.names_in_statements)
            != (&org.home_page, &org.activity_base, org.names_in_statements)
        {
            let unsent: Vec<(String, Option<String>, String)> = tx
                .prepare("SELECT id, trainee, statement FROM outbox WHERE sent_ms IS NULL")?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<Result<_, _>>()?;
            let mut update = tx.prepare("UPDATE outbox SET statement = ?2 WHERE id = ?1")?;
            for (id, trainee, text) in unsent {
                // A row that is not JSON is left as it is; the LRS will refuse it on push.
                let Ok(mut st) = serde_json::from_str::<serde_json::Value>(&text) else {
                    continue;
                };
                let name = trainee
                    .as_ref()
                    .and_then(|t| names.get(t))
                    .map(String::as_str);
                crate::records::xapi::restate(&mut st, &old, &org, name);
                update.execute(params![id, st.to_string()])?;
                n += 1;
            }
        }
        put_setting(&tx, "org", &json(&org))?;
        tx.commit()?;
        drop(conn);
        self.org = org;
        Ok(n)
    }

    /// Records `attempt` (see [`Store::save_attempt`]); `sc` may be missing for imports.
    pub(crate) fn record(
        &mut self,
        attempt: &Attempt,
        sc: Option<&Scenario>,
    ) -> Result<(), StoreError> {
        let org = self.org.clone();
        let actor_name = self
            .profiles
            .iter()
            .find(|p| p.id == attempt.profile)
            .filter(|_| org.names_in_statements)
            .map(|p| p.name.clone());
        let x = Builder {
            org: &org,
            attempt,
            scenario: sc,
            actor_name: actor_name.as_deref(),
        };
        let now = now_ms();
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let prev: Option<(i64, String)> = tx
            .query_row(
                "SELECT logged, status FROM attempts WHERE id = ?1",
                [&attempt.id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let mut outbox = tx.prepare_cached(
            "INSERT OR IGNORE INTO outbox (id, attempt, trainee, created_ms, statement)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let mut queue = |st: serde_json::Value| -> Result<(), StoreError> {
            let id = st["id"].as_str().unwrap_or_default().to_string();
            outbox.execute(params![
                id,
                attempt.id,
                attempt.profile,
                now as i64,
                st.to_string()
            ])?;
            Ok(())
        };
        if prev.is_none() {
            tx.execute(
                "INSERT INTO attempts (id, trainee, scenario, title, kind, version, content_hash,
                     study_minutes, language, seed, mode, started_ms, status)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'in_progress')",
                params![
                    attempt.id,
                    attempt.profile,
                    attempt.scenario,
                    attempt.title,
                    attempt.kind,
                    attempt.version,
                    attempt.content_hash,
                    attempt.study_minutes,
                    attempt.language,
                    attempt.seed as i64,
                    mode_str(attempt.mode),
                    attempt.started_ms as i64,
                ],
            )?;
            queue(x.initialized())?;
        }
        let (logged, old_status) = prev.unwrap_or((0, "in_progress".into()));
        let log: &[LogEntry] = attempt.session.as_ref().map_or(&[], |s| &s.log);
        // When entry `i` was made: its stamp, or now for entries nobody stamped (imports).
        let made = |i: usize| attempt.stamps.get(i).copied().unwrap_or(now);
        for (i, entry) in log.iter().enumerate().skip(logged.max(0) as usize) {
            match entry {
                LogEntry::Decision {
                    seq,
                    node,
                    choice,
                    at_ms,
                    took_ms,
                    points,
                    timed_out,
                } => {
                    tx.prepare_cached(
                        "INSERT OR IGNORE INTO decisions (attempt, seq, node, choice, at_ms,
                             recorded_ms, took_ms, timed_out, points, made_ms)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                    )?
                    .execute(params![
                        attempt.id,
                        seq,
                        node,
                        choice,
                        *at_ms as i64,
                        now as i64,
                        *took_ms as i64,
                        timed_out,
                        json(points),
                        made(i) as i64,
                    ])?;
                    queue(x.answered(*seq, node, choice, *took_ms, *timed_out, points, made(i)))?;
                }
                LogEntry::StepBack { seq, at_ms, .. } => {
                    let undone = log[..i].iter().rev().find_map(|e| match e {
                        LogEntry::Decision { seq, .. } => Some(*seq),
                        _ => None,
                    });
                    tx.prepare_cached(
                        "INSERT OR IGNORE INTO step_backs (attempt, seq, undone_seq, at_ms,
                             recorded_ms, made_ms)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    )?
                    .execute(params![
                        attempt.id,
                        seq,
                        undone,
                        *at_ms as i64,
                        now as i64,
                        made(i) as i64
                    ])?;
                    if let Some(u) = undone {
                        queue(x.voided(*seq, u, made(i)))?;
                    }
                }
                LogEntry::Draw { .. } => {}
            }
        }
        let s = attempt.summary.as_ref();
        tx.execute(
            "UPDATE attempts SET status = ?2, finished_ms = ?3, ending = ?4, outcome = ?5,
                 overall = ?6, passed = ?7, logged = ?8, session = ?9, scoring = ?10
             WHERE id = ?1",
            params![
                attempt.id,
                attempt.status.as_str(),
                attempt.finished_ms.map(|t| t as i64),
                s.map(|s| &s.ending),
                s.map(|s| &s.outcome),
                s.map(|s| s.overall),
                s.map(|s| s.passed),
                log.len() as i64,
                attempt.session.as_ref().map(json),
                s.map(|s| s.scoring),
            ],
        )?;
        let newly = old_status == "in_progress";
        match (attempt.status, s) {
            (Status::Finished, Some(summary)) if newly => {
                let mut ins = tx.prepare_cached(
                    "INSERT OR REPLACE INTO goal_scores (attempt, goal, raw, min, max, scaled, met)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?;
                for g in &summary.goals {
                    ins.execute(params![
                        attempt.id, g.goal, g.raw, g.min, g.max, g.scaled, g.met
                    ])?;
                }
                let at = attempt.finished_ms.unwrap_or(now);
                for st in x.finished(summary, at) {
                    queue(st)?;
                }
            }
            (Status::Abandoned, _) if newly => queue(x.abandoned(now))?,
            _ => {}
        }
        drop(outbox);
        tx.commit()?;
        self.cache(attempt);
        Ok(())
    }

    /// Erases a trainee and everything recorded about them (a GDPR/AVG erasure request).
    /// Statements already sent to an LRS get a voiding statement in the outbox, so the next
    /// push tells the LRS to disregard them; unsent ones are deleted. Returns (attempts erased,
    /// voiding statements queued).
    pub fn erase_trainee(&mut self, trainee: &str) -> Result<(u64, u64), StoreError> {
        if !self.profiles.iter().any(|p| p.id == trainee) {
            return Err(StoreError::NotFound(format!("no trainee {trainee}")));
        }
        let org = self.org.clone();
        let now = now_ms();
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let sent: Vec<String> = tx
            .prepare(
                "SELECT id FROM outbox WHERE trainee = ?1 AND sent_ms IS NOT NULL
                 AND json_extract(statement, '$.verb.id') != 'http://adlnet.gov/expapi/verbs/voided'",
            )?
            .query_map([trainee], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        tx.execute("DELETE FROM outbox WHERE trainee = ?1", [trainee])?;
        for target in &sent {
            let st = crate::records::xapi::voiding(&org, trainee, target, now);
            tx.execute(
                "INSERT OR IGNORE INTO outbox (id, attempt, trainee, created_ms, statement)
                 VALUES (?1, NULL, NULL, ?2, ?3)",
                params![
                    st["id"].as_str().unwrap_or_default(),
                    now as i64,
                    st.to_string()
                ],
            )?;
        }
        for table in [
            "decisions",
            "step_backs",
            "goal_scores",
            "notes",
            "reflections",
        ] {
            tx.execute(
                &format!(
                    "DELETE FROM {table} WHERE attempt IN (SELECT id FROM attempts WHERE trainee = ?1)"
                ),
                [trainee],
            )?;
        }
        let erased = tx.execute("DELETE FROM attempts WHERE trainee = ?1", [trainee])?;
        tx.execute("DELETE FROM trainees WHERE id = ?1", [trainee])?;
        tx.commit()?;
        if self.settings.last_profile.as_deref() == Some(trainee) {
            let mut s = self.settings.clone();
            s.last_profile = None;
            self.put_settings(s)?;
        }
        // Old copies of the pages in the write-ahead log go too.
        self.conn()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        self.reload()?;
        Ok((erased as u64, sent.len() as u64))
    }
}
