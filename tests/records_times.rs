//! When things happened: a decision saved late (its save failed, a later one caught up) keeps
//! the moment it was made, in its row, its export and its xAPI statement; a schema 2 database
//! gains those times without losing its rows.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

mod common;

use casus::play::{LogEntry, Mode, Session};
use casus::records::export::{self, Filter};
use casus::records::time::rfc3339;
use casus::records::{Attempt, SqliteStore, Store, schema};
use common::{mini, play};
use serde_json::Value;

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("casus-times-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn json_export(store: &SqliteStore) -> Value {
    let mut out = Vec::new();
    export::write_json(&store.conn(), &Filter::default(), false, &mut out).unwrap();
    serde_json::from_slice(&out).unwrap()
}

#[test]
fn a_decision_saved_late_keeps_the_moment_it_was_made() {
    let d = dir("late");
    let sc = mini();
    let mut store = SqliteStore::open(&d).unwrap();
    let t = store.add_profile("Noor", None).unwrap();
    let mut s = Session::new(Arc::clone(&sc), 3, Mode::Practice).unwrap();
    let mut a = Attempt::start(t.id.clone(), &sc, 3, Mode::Practice);
    a.follow(&s);
    store.save_attempt(&a, &sc).unwrap();
    // Two decisions and a step back, each followed as the app does, but their saves fail (here:
    // are skipped) until one save catches up on all three.
    for step in 0..3 {
        std::thread::sleep(Duration::from_millis(30));
        let at = s.entered_at_ms() + 1000;
        if step == 2 {
            s.step_back(at).unwrap();
        } else {
            s.choose(0, at).unwrap();
        }
        a.follow(&s);
    }
    let stamps = a.stamps.clone();
    assert_eq!(stamps.len(), s.log().len());
    // A random draw is made with the decision before it; each step has its own time.
    let steps: Vec<u64> = s
        .log()
        .iter()
        .zip(&stamps)
        .filter(|(e, _)| !matches!(e, LogEntry::Draw { .. }))
        .map(|(_, &t)| t)
        .collect();
    assert_eq!(steps.len(), 3);
    assert!(
        steps.windows(2).all(|w| w[1] >= w[0] + 30),
        "each step has its own time: {stamps:?}"
    );
    a.follow(&s);
    assert_eq!(a.stamps, stamps, "following again stamps nothing anew");
    std::thread::sleep(Duration::from_millis(30));
    store.save_attempt(&a, &sc).unwrap();

    let rows: Vec<(i64, i64, i64)> = store
        .conn()
        .prepare("SELECT seq, made_ms, recorded_ms FROM decisions ORDER BY seq")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows.len(), 2);
    for &(seq, made, recorded) in &rows {
        assert_eq!(made as u64, stamps[seq as usize], "decision {seq}");
        assert!(recorded >= made + 30, "committed later than made: {rows:?}");
    }
    let (back_seq, back_made): (i64, i64) = store
        .conn()
        .query_row("SELECT seq, made_ms FROM step_backs", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(back_made as u64, stamps[back_seq as usize]);

    // The statements carry the same moments.
    let mut out = Vec::new();
    export::write_xapi(&store.conn(), &Filter::default(), &mut out).unwrap();
    let sts: Vec<Value> = serde_json::from_slice(&out).unwrap();
    let stamped: Vec<(&str, &str)> = sts
        .iter()
        .filter_map(|st| {
            let verb = st["verb"]["id"].as_str()?.rsplit('/').next()?;
            matches!(verb, "answered" | "voided").then(|| (verb, st["timestamp"].as_str().unwrap()))
        })
        .collect();
    let expected: Vec<(&str, String)> = vec![
        ("answered", rfc3339(stamps[rows[0].0 as usize])),
        ("answered", rfc3339(stamps[rows[1].0 as usize])),
        ("voided", rfc3339(stamps[back_seq as usize])),
    ];
    assert_eq!(
        stamped,
        expected
            .iter()
            .map(|(v, t)| (*v, t.as_str()))
            .collect::<Vec<_>>()
    );

    // And so does the JSON export.
    let v = json_export(&store);
    let decisions = v["attempts"][0]["decisions"].as_array().unwrap();
    for (d, &(seq, made, recorded)) in decisions.iter().zip(&rows) {
        assert_eq!(d["seq"], seq);
        assert_eq!(d["made"], rfc3339(made as u64).as_str());
        assert_eq!(d["recorded"], rfc3339(recorded as u64).as_str());
    }
}

#[test]
fn a_schema_2_database_gains_decision_times_and_keeps_its_rows() {
    let d = dir("schema2");
    let file = d.join("casus-records.sqlite");
    {
        let mut c = rusqlite::Connection::open(&file).unwrap();
        c.pragma_update(None, "application_id", schema::APPLICATION_ID)
            .unwrap();
        schema::migrations_upto(2).to_latest(&mut c).unwrap();
        c.execute_batch(
            "INSERT INTO trainees (id, name, skj, created_ms) VALUES ('t1', 'Sem', NULL, 1);
             INSERT INTO attempts (id, trainee, scenario, title, kind, version, content_hash,
                 study_minutes, language, seed, mode, started_ms, status, logged)
             VALUES ('a1', 't1', 'mini', 'Mini', 'safety', '1', 'h', 10, 'nl', 1, 'exam',
                 1700000000000, 'abandoned', 1);
             INSERT INTO decisions (attempt, seq, node, choice, at_ms, recorded_ms, took_ms,
                 timed_out, points)
             VALUES ('a1', 0, 'begin', 'c1', 1000, 1700000001000, 1000, 0, '{}');",
        )
        .unwrap();
    }
    let mut store = SqliteStore::open(&d).unwrap();
    let v: i64 = store
        .conn()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(v as usize, schema::latest());
    assert!(schema::latest() >= 3);
    let a = play(&mut store, "t1", &mini(), Mode::Exam, &[1]);

    let v = json_export(&store);
    let attempts = v["attempts"].as_array().unwrap();
    let old = attempts.iter().find(|x| x["id"] == "a1").unwrap();
    let old = &old["decisions"][0];
    assert_eq!(old["choice"], "c1", "the old row is kept");
    assert_eq!(old["recorded"], rfc3339(1_700_000_001_000).as_str());
    assert!(old.get("made").is_none(), "unknown, so left out: {old}");
    let new = attempts.iter().find(|x| x["id"] == a.id.as_str()).unwrap();
    let seq = new["decisions"][0]["seq"].as_u64().unwrap() as usize;
    assert_eq!(
        new["decisions"][0]["made"],
        rfc3339(a.stamps[seq]).as_str(),
        "new decisions have their time"
    );
    assert_eq!(store.integrity_check().unwrap(), "ok");
}
