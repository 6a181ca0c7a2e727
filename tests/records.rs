//! The records database: what it keeps, that it keeps it across reopening, migrations and
//! imports, that it refuses files it does not own, and what its exports contain.

use std::path::PathBuf;

mod common;

use casus::play::{Mode, Session};
use casus::records::export::{self, Filter};
use casus::records::{SqliteStore, Status, Store, StoreError, schema};
use common::{mini, play};
use serde_json::Value;

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("casus-records-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn count(store: &SqliteStore, sql: &str) -> i64 {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn statements(store: &SqliteStore) -> Vec<Value> {
    let mut out = Vec::new();
    export::write_xapi(&store.conn(), &Filter::default(), &mut out).unwrap();
    serde_json::from_slice(&out).unwrap()
}

#[test]
fn every_decision_result_note_and_reflection_is_kept_across_reopening() {
    let d = dir("reopen");
    let sc = mini();
    let (tid, aid) = {
        let mut store = SqliteStore::open(&d).unwrap();
        let t = store.add_profile("  Anna  ", Some(" 123 ")).unwrap();
        assert_eq!((t.name.as_str(), t.skj.as_deref()), ("Anna", Some("123")));
        let a = play(&mut store, &t.id, &sc, Mode::Exam, &[1, 1, 1]);
        store.save_notes(&a.id, "vader belde").unwrap();
        store.save_reflection(&a.id, "Eerder overleggen.").unwrap();
        (t.id, a.id)
    };
    let store = SqliteStore::open(&d).unwrap();
    let attempts = store.attempts(&tid);
    assert_eq!(attempts.len(), 1);
    let a = attempts[0];
    assert_eq!((a.id.as_str(), a.status), (aid.as_str(), Status::Finished));
    assert_eq!(
        (a.notes.as_str(), a.reflection.as_str()),
        ("vader belde", "Eerder overleggen.")
    );
    let s = a.summary.as_ref().unwrap();
    assert_eq!(s.goals.len(), sc.goals.len());
    assert_eq!(
        s.goals.iter().map(|g| g.goal.as_str()).collect::<Vec<_>>(),
        sc.goals.iter().map(|g| g.id.as_str()).collect::<Vec<_>>(),
        "goals keep the scenario's order"
    );
    assert!(s.goals.iter().all(|g| g.min <= g.raw && g.raw <= g.max));
    assert_eq!(count(&store, "SELECT count(*) FROM decisions"), 3);
    assert_eq!(
        count(&store, "SELECT count(*) FROM goal_scores"),
        sc.goals.len() as i64
    );
    // initialized, 3 × answered, passed/failed, completed, terminated.
    let sts = statements(&store);
    let verbs = common::verbs(&sts);
    let end = if s.passed { "passed" } else { "failed" };
    assert_eq!(
        verbs,
        [
            "initialized",
            "answered",
            "answered",
            "answered",
            end,
            "completed",
            "terminated"
        ]
    );
    // The session resumes from the database.
    let restored = Session::restore(sc, a.session.clone().unwrap()).unwrap();
    assert!(restored.is_finished());
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn a_step_back_keeps_the_decision_and_voids_its_statement() {
    let d = dir("stepback");
    let sc = mini();
    let mut store = SqliteStore::open(&d).unwrap();
    let t = store.add_profile("Bo", None).unwrap();
    play(&mut store, &t.id, &sc, Mode::Practice, &[1, 2, 0, 1]);
    assert_eq!(
        count(&store, "SELECT count(*) FROM decisions"),
        3,
        "append-only"
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM step_backs WHERE undone_seq IS NOT NULL"
        ),
        1
    );
    let sts = statements(&store);
    let voided: Vec<&Value> = sts
        .iter()
        .filter(|s| s["verb"]["id"] == "http://adlnet.gov/expapi/verbs/voided")
        .collect();
    assert_eq!(voided.len(), 1);
    let target = voided[0]["object"]["id"].as_str().unwrap();
    let answered = sts
        .iter()
        .find(|s| s["id"] == target)
        .expect("voids one of ours");
    assert_eq!(
        answered["verb"]["id"],
        "http://adlnet.gov/expapi/verbs/answered"
    );
    // It was the second choice at the second decision (the one taken back).
    let node = sc.node_by_id(&answered_node(answered)).unwrap();
    let second = &sc.choices[sc.offered(node)[1] as usize].id;
    assert_eq!(answered["result"]["response"], second.as_str());
    // Saving the same state again appends nothing.
    let n = count(&store, "SELECT count(*) FROM outbox");
    let a = store.attempts(&t.id)[0].clone();
    store.save_attempt(&a, &sc).unwrap();
    assert_eq!(count(&store, "SELECT count(*) FROM outbox"), n);
}

fn answered_node(st: &Value) -> String {
    st["object"]["id"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string()
}

#[test]
fn files_that_are_not_casus_databases_are_refused_and_left_untouched() {
    let d = dir("foreign");
    let file = d.join("casus-records.sqlite");
    std::fs::write(&file, b"this is a text file, not a database").unwrap();
    let err = SqliteStore::open(&d).unwrap_err();
    assert!(matches!(err, StoreError::Foreign(..)), "{err}");
    assert!(err.to_string().contains("left untouched"));
    assert_eq!(
        std::fs::read(&file).unwrap(),
        b"this is a text file, not a database"
    );

    // Another program's SQLite database.
    std::fs::remove_file(&file).unwrap();
    {
        let c = rusqlite::Connection::open(&file).unwrap();
        c.execute_batch("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('x');")
            .unwrap();
    }
    let before = std::fs::read(&file).unwrap();
    let err = SqliteStore::open(&d).unwrap_err();
    assert!(err.to_string().contains("another program"), "{err}");
    assert_eq!(std::fs::read(&file).unwrap(), before);
}

#[test]
fn a_damaged_database_is_reported_not_overwritten() {
    let d = dir("damaged");
    {
        let mut store = SqliteStore::open(&d).unwrap();
        let t = store.add_profile("Cas", None).unwrap();
        for _ in 0..30 {
            play(&mut store, &t.id, &mini(), Mode::Exam, &[1, 1, 1]);
        }
        store
            .conn()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .unwrap();
    }
    let file = d.join("casus-records.sqlite");
    let mut bytes = std::fs::read(&file).unwrap();
    assert!(bytes.len() > 8192);
    // Scribble over every page after the first (the header stays valid).
    for b in &mut bytes[4096..] {
        *b = 0xA5;
    }
    std::fs::write(&file, &bytes).unwrap();
    let err = SqliteStore::open(&d).unwrap_err();
    assert!(
        matches!(err, StoreError::Corrupt(..)) || matches!(err, StoreError::Db(_)),
        "{err}"
    );
    assert!(err.to_string().contains("casus-records.sqlite"), "{err}");
    assert_eq!(std::fs::read(&file).unwrap(), bytes, "left as it was");
}

#[test]
fn an_older_schema_is_migrated_with_its_data_and_a_newer_one_refused() {
    let d = dir("migrate");
    let file = d.join("casus-records.sqlite");
    {
        let mut c = rusqlite::Connection::open(&file).unwrap();
        c.pragma_update(None, "application_id", schema::APPLICATION_ID)
            .unwrap();
        schema::migrations_upto(1).to_latest(&mut c).unwrap();
        c.execute(
            "INSERT INTO trainees (id, name, skj, created_ms) VALUES ('t1', 'Dewi', NULL, 1)",
            [],
        )
        .unwrap();
    }
    let mut store = SqliteStore::open(&d).unwrap();
    assert_eq!(store.profiles()[0].name, "Dewi");
    let v: i64 = store
        .conn()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(v as usize, schema::latest());
    play(&mut store, "t1", &mini(), Mode::Exam, &[1, 1, 1]);
    assert!(
        count(&store, "SELECT count(*) FROM outbox") > 0,
        "the new table works"
    );
    store
        .conn()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    drop(store);
    let err = SqliteStore::open(&d).unwrap_err();
    assert!(matches!(err, StoreError::TooNew(_, 99, _)), "{err}");
}

#[test]
fn results_recorded_under_the_old_scoring_keep_their_scores_and_say_so() {
    let d = dir("scoring-v1");
    let file = d.join("casus-records.sqlite");
    {
        let mut c = rusqlite::Connection::open(&file).unwrap();
        c.pragma_update(None, "application_id", schema::APPLICATION_ID)
            .unwrap();
        schema::migrations_upto(3).to_latest(&mut c).unwrap();
        c.execute_batch(
            "INSERT INTO trainees (id, name, skj, created_ms) VALUES ('t1', 'Dewi', NULL, 1);
             INSERT INTO attempts (id, trainee, scenario, title, kind, version, content_hash,
                 study_minutes, language, seed, mode, started_ms, finished_ms, status, ending,
                 outcome, overall, passed)
             VALUES ('a-old', 't1', 'mini', 'Mini', 'safety', '1.0.0', 'h', 10, 'nl', 7, 'exam',
                 1000, 2000, 'finished', 'half', 'partial', 0.61, 1);
             INSERT INTO goal_scores (attempt, goal, raw, min, max, scaled, met)
             VALUES ('a-old', 'decide', 1, -2, 3, 0.6, 1);
             INSERT INTO attempts (id, trainee, scenario, title, kind, version, content_hash,
                 study_minutes, language, seed, mode, started_ms, status)
             VALUES ('a-open', 't1', 'mini', 'Mini', 'safety', '1.0.0', 'h', 10, 'nl', 7, 'exam',
                 3000, 'in_progress');",
        )
        .unwrap();
    }
    let mut store = SqliteStore::open(&d).unwrap();
    let old = store.attempts("t1")[0].clone();
    let s = old.summary.as_ref().unwrap();
    // The verdict and scores stay as recorded, marked as version 1.
    assert_eq!((s.overall, s.passed, s.scoring), (0.61, true, 1));
    assert_eq!(s.goal("decide"), Some(0.6));
    let scoring = |store: &SqliteStore, id: &str| -> Option<i64> {
        store
            .conn()
            .query_row("SELECT scoring FROM attempts WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .unwrap()
    };
    assert_eq!(
        scoring(&store, "a-open"),
        None,
        "not finished, not scored yet"
    );
    // A run finished now is scored under the current rules.
    let new = play(&mut store, "t1", &mini(), Mode::Exam, &[1, 1, 2]);
    assert_eq!(
        new.summary.as_ref().unwrap().scoring,
        casus::score::SCORING_VERSION
    );
    assert!(
        !new.summary.as_ref().unwrap().passed,
        "the same ending fails now"
    );
    assert_eq!(scoring(&store, &new.id), Some(2));
    // Exports carry the version with every result.
    let mut csv = Vec::new();
    export::write_csv(&store.conn(), &Filter::default(), false, &mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    assert_eq!(header.last(), Some(&"scoring_version"));
    let old_row = csv.lines().find(|l| l.starts_with("a-old")).unwrap();
    assert!(old_row.ends_with(",1"), "{old_row}");
    let new_row = csv.lines().find(|l| l.starts_with(&new.id)).unwrap();
    assert!(new_row.ends_with(",2"), "{new_row}");
    let mut json = Vec::new();
    export::write_json(&store.conn(), &Filter::default(), false, &mut json).unwrap();
    let v: Value = serde_json::from_slice(&json).unwrap();
    let versions: Vec<&Value> = v["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["scoring_version"])
        .collect();
    assert_eq!(versions, [&Value::from(1), &Value::Null, &Value::from(2)]);
    // The organisation's report says which rules the results were made under.
    let data = casus::records::report::from_store(&store.conn(), "test", false).unwrap();
    let html = casus::records::report::render(&data, 0);
    assert!(
        html.contains("1 finished attempt under version 2")
            && html.contains("1 finished attempt under version 1"),
        "{}",
        &html[..html.len().min(2000)]
    );
}

#[test]
fn json_records_of_earlier_versions_are_imported_once() {
    let d = dir("legacy");
    let old = r#"{"format":1,
      "profiles":[{"id":"t-1","name":"Eef","skj":"999","created":1700000000}],
      "attempts":[{"id":"a-1","profile":"t-1","scenario":"mini","title":"Mini","version":"1",
        "content_hash":"h","seed":7,"mode":"exam","language":"nl","started":1700000100,
        "finished":1700000200,"status":"finished","session":null,
        "summary":{"overall":0.8,"passed":true,"ending":"e","outcome":"good","goals":[["signals",0.8]]},
        "notes":"n","reflection":"r"}],
      "settings":{"language":"en","font_size":18.0,"last_profile":"t-1"}}"#;
    std::fs::write(d.join("casus-records.json"), old).unwrap();
    let store = SqliteStore::open(&d).unwrap();
    assert_eq!(store.profiles()[0].skj.as_deref(), Some("999"));
    let a = store.attempts("t-1")[0];
    assert_eq!(
        (a.status, a.started_ms),
        (Status::Finished, 1_700_000_100_000)
    );
    assert_eq!(a.summary.as_ref().unwrap().goal("signals"), Some(0.8));
    assert_eq!((a.notes.as_str(), a.reflection.as_str()), ("n", "r"));
    assert_eq!(store.settings().language, "en");
    assert!(!d.join("casus-records.json").exists());
    assert!(
        d.join("casus-records.json.imported").exists(),
        "kept, renamed"
    );
    drop(store);
    let store = SqliteStore::open(&d).unwrap();
    assert_eq!(store.attempts("t-1").len(), 1, "not imported twice");
}

#[test]
fn two_instances_writing_at_once_do_not_corrupt_the_database() {
    let d = dir("two");
    let t = SqliteStore::open(&d)
        .unwrap()
        .add_profile("Fenna", None)
        .unwrap();
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let (d, t) = (d.clone(), t.id.clone());
            std::thread::spawn(move || {
                let mut store = SqliteStore::open(&d).unwrap();
                for _ in 0..15 {
                    play(&mut store, &t, &mini(), Mode::Exam, &[1, 1, 1]);
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let store = SqliteStore::open(&d).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    assert_eq!(store.attempts(&t.id).len(), 30);
    assert_eq!(count(&store, "SELECT count(*) FROM decisions"), 90);
}

#[test]
fn csv_has_one_row_per_attempt_and_goal_and_is_pseudonymous_by_default() {
    let d = dir("csv");
    let sc = mini();
    let mut store = SqliteStore::open(&d).unwrap();
    let t = store.add_profile("Gijs", Some("19283746")).unwrap();
    play(&mut store, &t.id, &sc, Mode::Exam, &[1, 1, 1]);
    play(&mut store, &t.id, &sc, Mode::Exam, &[1]); // unfinished
    let mut out = Vec::new();
    let n = export::write_csv(&store.conn(), &Filter::default(), false, &mut out).unwrap();
    assert_eq!(n, 2);
    let text = String::from_utf8(out).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        export::CSV_HEADER
    );
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), sc.goals.len() + 1);
    // No cell holds the name or the SKJ number (a hash or id may contain any run of digits, so
    // cells are compared whole).
    assert!(!text.contains("Gijs"));
    assert!(rows.iter().all(|r| r.iter().all(|c| c != "19283746")));
    assert_eq!(&rows.last().unwrap()[11], "in_progress");
    assert_eq!(
        &rows.last().unwrap()[16],
        "",
        "no goal for an unfinished attempt"
    );
    let mut named = Vec::new();
    export::write_csv(&store.conn(), &Filter::default(), true, &mut named).unwrap();
    assert!(String::from_utf8(named).unwrap().contains("Gijs,19283746"));
    // --since after everything: header only.
    let f = Filter {
        since_ms: Some(u64::MAX / 4),
        ..Filter::default()
    };
    let mut none = Vec::new();
    assert_eq!(
        export::write_csv(&store.conn(), &f, false, &mut none).unwrap(),
        0
    );
}

#[test]
fn a_name_that_looks_like_a_formula_is_never_a_formula_in_the_csv() {
    let d = dir("csv-formula");
    let mut store = SqliteStore::open(&d).unwrap();
    let t = store
        .add_profile("=HYPERLINK(\"http://evil\",\"click\")", Some("=1+1"))
        .unwrap();
    let worst = play(&mut store, &t.id, &mini(), Mode::Exam, &[2, 2, 3]);
    let mut out = Vec::new();
    export::write_csv(&store.conn(), &Filter::default(), true, &mut out).unwrap();
    let mut rows = csv::Reader::from_reader(out.as_slice());
    let header = rows.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut n = 0;
    for r in rows.records() {
        let r = r.unwrap();
        assert_eq!(
            &r[col("trainee_name")],
            "'=HYPERLINK(\"http://evil\",\"click\")"
        );
        assert_eq!(&r[col("skj_number")], "'=1+1");
        // Numbers stay numbers: a net loss is still -2, not '-2.
        assert!(r[col("goal_raw")].parse::<i64>().unwrap() < 0);
        n += 1;
    }
    assert_eq!(n, worst.summary.unwrap().goals.len());
    for (plain, quoted) in [
        ("@SUM(A1)", "'@SUM(A1)"),
        ("+31 6", "'+31 6"),
        ("Anna", "Anna"),
    ] {
        assert_eq!(export::no_formula(plain.into()), quoted);
    }
}

#[test]
fn the_json_export_holds_complete_records() {
    let d = dir("json");
    let sc = mini();
    let mut store = SqliteStore::open(&d).unwrap();
    let t = store.add_profile("Hanna", None).unwrap();
    let a = play(&mut store, &t.id, &sc, Mode::Practice, &[1, 2, 0, 1, 1]);
    store.save_reflection(&a.id, "r").unwrap();
    let mut out = Vec::new();
    export::write_json(&store.conn(), &Filter::default(), false, &mut out).unwrap();
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["format"], "casus-records");
    assert!(v["trainees"][0].get("name").is_none(), "pseudonymous");
    let at = &v["attempts"][0];
    assert_eq!(at["id"], a.id.as_str());
    assert_eq!(at["reflection"], "r");
    assert_eq!(at["decisions"].as_array().unwrap().len(), 4);
    assert_eq!(at["decisions"][1]["undone"], true);
    assert_eq!(at["goals"].as_array().unwrap().len(), sc.goals.len());
}

#[test]
fn erasure_removes_a_trainee_and_voids_what_the_lrs_already_has() {
    let d = dir("erase");
    let sc = mini();
    let mut store = SqliteStore::open(&d).unwrap();
    let keep = store.add_profile("Blijft", None).unwrap();
    let gone = store.add_profile("Vertrekt Geheim", Some("4242")).unwrap();
    play(&mut store, &keep.id, &sc, Mode::Exam, &[1, 1, 1]);
    let a = play(&mut store, &gone.id, &sc, Mode::Practice, &[1, 2, 0, 1, 1]);
    store.save_reflection(&a.id, "privé reflectie").unwrap();
    play(&mut store, &gone.id, &sc, Mode::Exam, &[1]);
    // Pretend the first statements of the leaving trainee reached an LRS.
    let sent: i64 = store
        .conn()
        .execute(
            "UPDATE outbox SET sent_ms = 1 WHERE trainee = ?1 AND rowid IN
             (SELECT rowid FROM outbox WHERE trainee = ?1 ORDER BY rowid LIMIT 5)",
            [&gone.id],
        )
        .unwrap() as i64;
    assert_eq!(sent, 5);
    // A voiding statement (the step back) cannot itself be voided (xAPI 1.0.3, 2.3.2).
    let voidable = count(
        &store,
        &format!(
            "SELECT count(*) FROM outbox WHERE trainee = '{}' AND sent_ms IS NOT NULL
             AND statement NOT LIKE '%expapi/verbs/voided%'",
            gone.id
        ),
    );
    assert_eq!(voidable, 4);
    let (attempts, voiding) = store.erase_trainee(&gone.id).unwrap();
    assert_eq!(attempts, 2);
    assert_eq!(
        voiding as i64, voidable,
        "every sent statement that can be is voided"
    );
    assert!(store.profiles().iter().all(|p| p.id != gone.id));
    assert_eq!(store.attempts(&keep.id).len(), 1, "others keep theirs");
    for table in [
        "attempts",
        "decisions",
        "step_backs",
        "goal_scores",
        "reflections",
    ] {
        let n = count(
            &store,
            &format!(
                "SELECT count(*) FROM {table} WHERE {} IN (SELECT id FROM attempts WHERE trainee = '{}') OR 0",
                if table == "attempts" { "id" } else { "attempt" },
                gone.id
            ),
        );
        assert_eq!(n, 0, "{table}");
    }
    assert_eq!(
        count(&store, "SELECT count(*) FROM decisions"),
        3,
        "only the other trainee's"
    );
    let unsent: Vec<Value> = {
        let conn = store.conn();
        let mut q = conn
            .prepare("SELECT statement FROM outbox WHERE sent_ms IS NULL AND attempt IS NULL")
            .unwrap();
        q.query_map([], |r| r.get::<_, String>(0))
            .unwrap()
            .map(|s| serde_json::from_str(&s.unwrap()).unwrap())
            .collect()
    };
    assert_eq!(unsent.len() as i64, voidable);
    assert!(
        unsent
            .iter()
            .all(|s| s["verb"]["id"] == "http://adlnet.gov/expapi/verbs/voided")
    );
    drop(store);
    // Nothing readable is left in the files.
    for f in std::fs::read_dir(&d).unwrap() {
        let bytes = std::fs::read(f.unwrap().path()).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("Vertrekt Geheim") && !text.contains("privé reflectie"));
    }
}

#[test]
fn new_organisation_settings_reach_statements_not_yet_sent_and_leave_sent_ones_alone() {
    let d = dir("restate");
    let sc = mini();
    let mut store = SqliteStore::open(&d).unwrap();
    let t = store.add_profile("Anna", None).unwrap();
    let first = play(&mut store, &t.id, &sc, Mode::Exam, &[1, 1, 1]);
    // The first attempt reached the LRS; the second is still in the outbox.
    store
        .conn()
        .execute("UPDATE outbox SET sent_ms = 1", [])
        .unwrap();
    play(&mut store, &t.id, &sc, Mode::Exam, &[2, 2, 2]);
    let before = statements(&store);
    let old_base = store.org().activity_base.clone();

    let mut org = store.org().clone();
    org.home_page = "https://jeugdzorg.example".into();
    org.activity_base = "https://jeugdzorg.example/casus/".into();
    org.names_in_statements = true;
    let unsent = count(&store, "SELECT count(*) FROM outbox WHERE sent_ms IS NULL");
    assert_eq!(store.put_org(org).unwrap(), unsent as u64);

    let after = statements(&SqliteStore::open(&d).unwrap());
    assert_eq!(after.len(), before.len());
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(a["id"], b["id"], "ids do not depend on the settings");
        let text = a.to_string();
        if a["context"]["registration"] == first.id.as_str() {
            assert_eq!(a, b, "a sent statement is left as the LRS has it");
            continue;
        }
        assert_eq!(
            a["actor"]["account"]["homePage"],
            "https://jeugdzorg.example"
        );
        assert_eq!(a["actor"]["name"], "Anna");
        assert!(!text.contains(&old_base), "{text}");
        assert!(
            a["object"]["id"]
                .as_str()
                .unwrap()
                .starts_with("https://jeugdzorg.example/casus/"),
            "{}",
            a["object"]["id"]
        );
        // Everything else is unchanged.
        let back = text
            .replace("https://jeugdzorg.example/casus/", &format!("{old_base}/"))
            .replace("https://jeugdzorg.example", "https://casus.example/org");
        let mut back: Value = serde_json::from_str(&back).unwrap();
        back["actor"].as_object_mut().unwrap().remove("name");
        assert_eq!(&back, b);
    }

    // Names off again: they leave the unsent statements.
    let mut org = store.org().clone();
    org.names_in_statements = false;
    store.put_org(org).unwrap();
    let last = statements(&store);
    assert!(
        last.iter()
            .all(|s| s["actor"]["name"].is_null()
                || s["context"]["registration"] == first.id.as_str())
    );
}
