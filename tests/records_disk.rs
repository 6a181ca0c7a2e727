//! A disk that stops taking writes in the middle of an attempt: terminal play with `--record`
//! under a real operating-system limit. After the first decision is saved, the process's file-size
//! limit (`RLIMIT_FSIZE`, set from outside with `prlimit`) is lowered to what the database's
//! write-ahead log holds, so the next commit fails in the kernel exactly as on a full disk. The
//! trainee must be told, play must go on with every step kept, the end of the case must wait
//! for the records instead of dropping them, and once the limit is lifted everything is saved.
//!
//! Needs `prlimit` (util-linux, on every Debian) and `bash`.
#![cfg(unix)]

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use casus::records::{SqliteStore, Status, Store};

mod common;

/// Lines a child prints, gathered from both of its streams ("out: …", "err: …").
struct Output {
    rx: Receiver<String>,
    seen: Vec<String>,
    /// Lines before this one were matched already.
    cursor: usize,
}

impl Output {
    fn capture(child: &mut Child) -> Output {
        let (tx, rx) = channel();
        let out = BufReader::new(child.stdout.take().unwrap());
        let err = BufReader::new(child.stderr.take().unwrap());
        for (tag, stream) in [
            ("out", Box::new(out) as Box<dyn BufRead + Send>),
            ("err", Box::new(err)),
        ] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                // Prompts end without a newline: split on '>' too, so they arrive at once.
                let mut buf = Vec::new();
                let mut stream = stream;
                let mut byte = [0u8; 1];
                while let Ok(1) = std::io::Read::read(&mut stream, &mut byte) {
                    buf.push(byte[0]);
                    if byte[0] == b'\n' || byte[0] == b'>' {
                        let line = String::from_utf8_lossy(&buf).trim_end().to_string();
                        let _ = tx.send(format!("{tag}: {line}"));
                        buf.clear();
                    }
                }
            });
        }
        Output {
            rx,
            seen: Vec::new(),
            cursor: 0,
        }
    }

    /// Waits (up to 60 s) for the next line containing `what`; returns it.
    fn wait_for(&mut self, what: &str) -> String {
        if let Some(k) = self.seen[self.cursor..]
            .iter()
            .position(|l| l.contains(what))
        {
            self.cursor += k + 1;
            return self.seen[self.cursor - 1].clone();
        }
        self.cursor = self.seen.len();
        loop {
            match self.rx.recv_timeout(Duration::from_secs(60)) {
                Ok(l) => {
                    self.seen.push(l.clone());
                    self.cursor = self.seen.len();
                    if l.contains(what) {
                        return l;
                    }
                }
                Err(_) => panic!("no `{what}` in:\n{}", self.seen.join("\n")),
            }
        }
    }

    fn count(&mut self, what: &str) -> usize {
        while let Ok(l) = self.rx.try_recv() {
            self.seen.push(l);
        }
        self.seen.iter().filter(|l| l.contains(what)).count()
    }
}

fn send(stdin: &mut ChildStdin, line: &str) {
    writeln!(stdin, "{line}").unwrap();
    stdin.flush().unwrap();
}

fn prlimit(pid: u32, fsize: &str) {
    let ok = Command::new("prlimit")
        .args(["--pid", &pid.to_string(), &format!("--fsize={fsize}")])
        .status()
        .expect("prlimit is needed for this test (util-linux)");
    assert!(ok.success(), "prlimit --fsize={fsize} failed");
}

fn wal(data: &Path) -> u64 {
    std::fs::metadata(data.join("casus-records.sqlite-wal"))
        .map(|m| m.len())
        .unwrap_or(0)
}

#[test]
fn a_disk_that_refuses_writes_mid_attempt_loses_nothing() {
    let (data, trainee) = common::data_with_trainee("disk", "Lotte");
    // SIGXFSZ ignored (as the shell passes it on through exec): a write past the limit then
    // fails with EFBIG, which is what the program sees.
    let mut child = Command::new("bash")
        .current_dir(common::root())
        .args(["-c", "trap '' XFSZ; exec \"$0\" \"$@\""])
        .arg(env!("CARGO_BIN_EXE_casus"))
        .arg("--data")
        .arg(&data)
        .args(["play", "tests/fixtures/mini.ron", "--mode", "practice"])
        .args(["--record", &trainee])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut stdin = child.stdin.take().unwrap();
    let mut out = Output::capture(&mut child);

    // The first decision is saved normally.
    out.wait_for("err: recorded ");
    send(&mut stdin, "1");
    let first = out.wait_for("err: recorded ");
    assert!(first.ends_with(" 2"), "{first}");

    // Now the disk is "full": nothing may grow past what is written.
    prlimit(pid, &format!("{}:", wal(&data)));
    send(&mut stdin, "1");
    // The trainee is told in the case's language (Dutch); the cause goes to standard error.
    let warned = out.wait_for("konden niet worden opgeslagen");
    assert!(
        warned.contains("misschien is de schijf vol of is de gegevensmap alleen-lezen")
            && warned.contains("Speel gerust verder"),
        "{warned}"
    );
    // The case goes on to its end, and there waits for the records.
    send(&mut stdin, "1");
    let pending = out.wait_for("nog niet bewaard");
    assert!(
        pending.contains("stap(pen) van deze poging") && pending.contains("druk dan op Enter"),
        "{pending}"
    );
    assert_eq!(
        out.count("Je beslissingen konden niet worden opgeslagen"),
        1,
        "the trainee is told once, not at every step"
    );
    // Trying again while the disk is still full keeps asking.
    send(&mut stdin, "");
    out.wait_for("druk dan op Enter");
    assert!(out.count("nog niet bewaard") >= 2);

    // Space again: one commit catches up on every step.
    prlimit(pid, "unlimited:");
    send(&mut stdin, "");
    out.wait_for("stappen zijn bewaard");
    drop(stdin);
    let status = child.wait().unwrap();
    assert!(status.success(), "{}", out.seen.join("\n"));

    let store = SqliteStore::open(&data).unwrap();
    let attempts = store.attempts(&trainee);
    assert_eq!(attempts.len(), 1);
    let a = &attempts[0];
    assert_eq!(a.status, Status::Finished, "the finished attempt is saved");
    let session = a.session.as_ref().expect("the session is saved");
    let rows = common::decision_rows(&store, &a.id);
    let decisions = session
        .log
        .iter()
        .filter(|e| matches!(e, casus::play::LogEntry::Decision { .. }))
        .count();
    assert_eq!(decisions, 3, "the three decisions made");
    assert_eq!(rows as usize, decisions, "every decision has its row, once");
    let check: String = store
        .conn()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let _ = std::fs::remove_dir_all(&data);
}
