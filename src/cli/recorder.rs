//! `casus play --record`: commits the attempt being played to the records database after every
//! step, and in interactive play keeps the case going when a save fails (see docs/records.md).

use std::io::{self, Write};
use std::path::Path;

use casus::i18n::Tr;
use casus::play::Session;
use casus::records::{Attempt, SqliteStore, Store};

use super::CliError;

/// Commits an attempt to the records database after every step of a session.
pub struct Recorder {
    store: SqliteStore,
    attempt: Attempt,
    logged: usize,
    /// The last save failed: the trainee has been told, and is told again when it works.
    failing: bool,
    /// The trainee's words: the case's language. Technical causes go to standard error.
    tr: Tr,
}

impl Recorder {
    pub fn open(dir: &Path, trainee: &str, session: &Session) -> Result<Recorder, CliError> {
        let store = SqliteStore::open(dir).map_err(|e| CliError::Msg(e.to_string()))?;
        if !store.profiles().iter().any(|p| p.id == trainee) {
            return Err(CliError::Msg(format!(
                "no trainee `{trainee}` in {} (add one with `casus records add-trainee --name …`)",
                store.path().display()
            )));
        }
        let attempt = Attempt::start(
            trainee.to_string(),
            session.scenario(),
            session.seed(),
            session.mode(),
        );
        let mut r = Recorder {
            store,
            attempt,
            logged: usize::MAX,
            failing: false,
            tr: Tr::new(&session.scenario().language),
        };
        r.commit(session)?;
        Ok(r)
    }

    /// Records the session if it moved on; reports each commit on stderr (`recorded ID N`, N =
    /// log entries committed) so a supervising process knows what is durable.
    pub fn commit(&mut self, session: &Session) -> Result<(), CliError> {
        if session.log().len() == self.logged {
            return Ok(());
        }
        self.attempt.follow(session);
        self.store
            .save_attempt(&self.attempt, session.scenario())
            .map_err(|e| CliError::Msg(e.to_string()))?;
        self.logged = session.log().len();
        // One write for the whole line: `eprintln!` writes it in pieces, and a process killed
        // between them would leave half a line for whoever supervises it.
        let line = format!("recorded {} {}\n", self.attempt.id, self.logged);
        let _ = io::stderr().write_all(line.as_bytes());
        Ok(())
    }

    /// For interactive play: a save that fails (disk full, read-only, locked) does not end the
    /// case. The trainee is told once, play goes on with every step kept in memory, and each
    /// later step tries again — one commit catches up on all of them.
    pub fn keep_up(&mut self, session: &Session, out: &mut impl Write) -> io::Result<()> {
        match self.commit(session) {
            Ok(()) if self.failing => {
                self.failing = false;
                let n = self.logged.to_string();
                writeln!(out, "\n✓ {}", self.tr.fill("rec.again", &[("n", &n)]))
            }
            Ok(()) => Ok(()),
            Err(e) => {
                eprintln!("not recorded: {e}");
                if self.failing {
                    return Ok(());
                }
                self.failing = true;
                writeln!(out, "\n! {}", self.tr.t("rec.failed"))
            }
        }
    }

    /// Steps made but not yet saved.
    fn unsaved(&self, session: &Session) -> usize {
        session
            .log()
            .len()
            .saturating_sub(self.logged.min(session.log().len()))
    }

    /// At the end of interactive play: saves what is left, asking to try again while it fails.
    /// Err when the trainee gives up (or input ends) with steps unsaved — never silently.
    pub fn finish(
        &mut self,
        session: &Session,
        lines: &mut impl Iterator<Item = io::Result<String>>,
        out: &mut impl Write,
    ) -> Result<(), CliError> {
        loop {
            let err = match self.commit(session) {
                Ok(()) => {
                    if std::mem::take(&mut self.failing) {
                        let n = self.logged.to_string();
                        writeln!(out, "\n✓ {}", self.tr.fill("rec.all_saved", &[("n", &n)]))?;
                    }
                    return Ok(());
                }
                Err(e) => e,
            };
            eprintln!("not recorded: {err}");
            self.failing = true;
            let unsaved = self.unsaved(session);
            let n = unsaved.to_string();
            write!(out, "\n! {} > ", self.tr.fill("rec.pending", &[("n", &n)]))?;
            out.flush()?;
            match lines.next().transpose()? {
                Some(l) if l.trim() != "discard" => continue,
                _ => {
                    return Err(CliError::Msg(format!(
                        "{unsaved} step(s) of attempt {} were not saved: {err}; what was saved \
                         before can be resumed in the app",
                        self.attempt.id
                    )));
                }
            }
        }
    }
}
