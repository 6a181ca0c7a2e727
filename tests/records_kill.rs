//! Crash safety: `casus play --record` is killed (SIGKILL) at arbitrary moments while it plays
//! scripted attempts. Every decision it reported as committed must be in the database, the
//! database must pass `PRAGMA integrity_check`, the decision rows must agree with the saved
//! sessions, and an attempt cut off mid-way must resume.
#![cfg(unix)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use casus::play::{LogEntry, Session};
use casus::records::{SqliteStore, Status, Store};
use casus::scenario::load_paths;

mod common;
use common::root;

/// `casus --data DATA play mini.ron` recording `repeat` practice attempts for `trainee`.
fn recorded_play(data: &std::path::Path, trainee: &str, repeat: u32) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_casus"));
    c.current_dir(root())
        .arg("--data")
        .arg(data)
        .args(["play", "tests/fixtures/mini.ron", "--mode", "practice"])
        .args(["--choices", "1,2,b,1,1", "--record", trainee])
        .args(["--repeat", &repeat.to_string()]);
    c
}

/// Kill delays in ms: a fixed pseudo-random sequence, so a failure can be replayed.
fn delays(n: usize) -> Vec<u64> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            150 + x % 700
        })
        .collect()
}

#[test]
fn killed_at_random_moments_no_committed_decision_is_lost() {
    let (data, trainee) = common::data_with_trainee("kill", "Lotte");
    let mut reported: Vec<(String, usize)> = Vec::new();
    for (round, delay) in delays(12).into_iter().enumerate() {
        let mut child = recorded_play(&data, &trainee, 100_000)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let reader = {
            let lines = Arc::clone(&lines);
            let err = child.stderr.take().unwrap();
            std::thread::spawn(move || {
                for line in BufReader::new(err).lines().map_while(Result::ok) {
                    lines.lock().unwrap().push(line);
                }
            })
        };
        std::thread::sleep(Duration::from_millis(delay));
        child.kill().unwrap(); // SIGKILL
        let status = child.wait().unwrap();
        assert!(
            !status.success(),
            "round {round}: the process ran to its end before the kill"
        );
        reader.join().unwrap();
        for l in lines.lock().unwrap().iter() {
            let mut parts = l.split_whitespace();
            match (parts.next(), parts.next(), parts.next()) {
                (Some("recorded"), Some(id), Some(n)) => {
                    reported.push((id.to_string(), n.parse().unwrap()))
                }
                _ => panic!("round {round}: unexpected output `{l}`"),
            }
        }
    }
    assert!(
        reported.len() > 20,
        "the runs got far enough to matter: {}",
        reported.len()
    );
    // One more run killed right after the second decision of an attempt is reported, so that
    // at least one attempt is surely cut off mid-way (random kills can all land between two
    // attempts when the machine is busy).
    {
        let mut child = recorded_play(&data, &trainee, 100_000)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let err = child.stderr.take().unwrap();
        for l in BufReader::new(err).lines().map_while(Result::ok) {
            let parts: Vec<&str> = l.split_whitespace().collect();
            if let ["recorded", id, n] = parts[..] {
                reported.push((id.to_string(), n.parse().unwrap()));
                if n == "2" {
                    break;
                }
            }
        }
        child.kill().unwrap(); // SIGKILL
        assert!(!child.wait().unwrap().success());
    }

    let store = SqliteStore::open(&data).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    let conn = store.conn();
    for (id, n) in &reported {
        let logged: i64 = conn
            .query_row("SELECT logged FROM attempts WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .unwrap_or_else(|e| panic!("attempt {id} reported but missing: {e}"));
        assert!(
            logged as usize >= *n,
            "attempt {id}: {n} reported, {logged} stored"
        );
    }
    // Decision rows and saved sessions agree for every attempt.
    let sc = Arc::clone(
        load_paths(&[root().join("tests/fixtures/mini.ron")])
            .find("mini")
            .unwrap(),
    );
    let mut cut_off = 0;
    for a in store.attempts(&trainee) {
        let saved = a
            .session
            .clone()
            .expect("a session is saved with every commit");
        let decisions = saved
            .log
            .iter()
            .filter(|e| matches!(e, LogEntry::Decision { .. }))
            .count() as i64;
        let rows: i64 = conn
            .query_row(
                "SELECT count(*) FROM decisions WHERE attempt = ?1",
                [&a.id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(rows, decisions, "attempt {}", a.id);
        let session = Session::restore(Arc::clone(&sc), saved).expect("resumes");
        if a.status == Status::InProgress {
            assert!(!session.is_finished());
            cut_off += 1;
        } else {
            assert!(session.is_finished());
        }
    }
    assert!(cut_off >= 1, "at least one attempt was cut off mid-way");
}

#[test]
fn an_export_killed_at_any_moment_never_leaves_a_truncated_file() {
    let (data, trainee) = common::data_with_trainee("kill-export", "Mees");
    let out = recorded_play(&data, &trainee, 300).output().unwrap();
    assert!(out.status.success());
    let target = data.join("export.json");
    let mut complete = 0;
    for (round, delay) in delays(14).into_iter().enumerate() {
        let _ = std::fs::remove_file(&target);
        let mut child = Command::new(env!("CARGO_BIN_EXE_casus"))
            .current_dir(root())
            .arg("--data")
            .arg(&data)
            .args(["records", "export", "--format", "xapi", "-o"])
            .arg(&target)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Kill moments from before the database is open to after the rename.
        std::thread::sleep(Duration::from_millis(delay / 4));
        let _ = child.kill();
        child.wait().unwrap();
        if target.exists() {
            let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&target).unwrap())
                .unwrap_or_else(|e| panic!("round {round}: a truncated export: {e}"));
            assert_eq!(v.as_array().unwrap().len(), 300 * 9, "round {round}");
            complete += 1;
        }
    }
    let store = SqliteStore::open(&data).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    eprintln!("{complete} of 14 exports completed before the kill");
}
