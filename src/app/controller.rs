//! The app's state and what each [`Action`] does to it, without Bevy: build view models from the
//! core, apply actions through the core, persist through the [`Store`].
//!
//! Bevy systems own an [`AppCore`] as a resource; tests drive it directly or through a headless
//! Bevy app. Nothing here re-implements a rule: sessions, scores and debriefs come from the core.

use std::sync::Arc;

use super::views::author::AuthorVm;
use super::views::debrief::DebriefVm;
use super::views::library::{Card, LibraryVm};
use super::views::profiles::{MAX_UNFINISHED, ProfileRow, ProfilesVm, Unfinished};
use super::views::{Action, ScreenId, Tr};
use crate::play::{Feedback, Mode, Session};
use crate::records::{self, Attempt, SqliteStore, Store};
use crate::scenario::{Library, Scenario};

/// A run being played, with its record.
pub struct ActiveRun {
    pub session: Session,
    pub attempt: Attempt,
    pub feedback: Option<Feedback>,
    /// Practice: the feedback on the last choice is on screen since this clock reading, and the
    /// story waits for the trainee to go on. The session's clock stands still meanwhile.
    pub reading_since_ms: Option<u64>,
    /// The case time when the last choice was made (shown while its feedback is read).
    pub label_before: Option<String>,
    /// Where the case was and who was there when the last choice was made (shown while its
    /// feedback is read).
    pub stage_before: crate::play::scene::Stage,
    /// What was said before the current node (the nodes shown), with the choice made after
    /// it, oldest first. Rendered from the scenario, so a change of language shows it anew.
    pub transcript: Vec<(
        Vec<crate::scenario::model::NodeIdx>,
        crate::scenario::model::ChoiceIdx,
    )>,
    /// Clock reading (ms since the app started) when this session's clock was at 0.
    pub clock_origin_ms: u64,
    /// An author trying out a part of a case: never recorded as an attempt.
    pub authoring: bool,
}

/// Everything the app knows.
pub struct AppCore {
    pub store: SqliteStore,
    pub library: Library,
    pub tr: Tr,
    pub screen: ScreenId,
    pub profile: Option<String>,
    pub run: Option<ActiveRun>,
    /// The attempt shown in the debrief, and its debrief.
    pub last: Option<Attempt>,
    pub last_debrief: Option<DebriefVm>,
    pub profiles_vm: ProfilesVm,
    pub library_vm: LibraryVm,
    pub author_vm: AuthorVm,
    pub author_file: Option<String>,
    pub debrief_reflection: String,
    pub debrief_saved: bool,
    pub error: Option<String>,
    /// A trainer's session: the Author screen is available.
    pub trainer: bool,
    /// What the progress chart shows: exams or practice, one case or all (until the trainee
    /// chooses: exams when there are any).
    pub progress_filter: Option<(Mode, Option<String>)>,
    /// Where the last saved debrief page went, to tell the trainee.
    pub notice: Option<String>,
}

pub(super) fn goal_name(lib: &Library, tr: &Tr, id: &str) -> String {
    lib.goals
        .iter()
        .find(|g| g.id == id)
        .map_or(id.to_string(), |g| {
            if tr.lang == "en" {
                g.name.en.clone()
            } else {
                g.name.nl.clone()
            }
        })
}

/// A line in the log (standard error) for what a trainee needs not read.
fn warn_log(msg: &str) {
    eprintln!("warning: {msg}");
}

/// The attempt at `scenario` still in progress (the newest, should there be more).
fn in_progress<'a>(attempts: &[&'a Attempt], scenario: &str) -> Option<&'a Attempt> {
    attempts
        .iter()
        .filter(|a| a.scenario == scenario && a.status == records::Status::InProgress)
        .max_by_key(|a| a.started_ms)
        .copied()
}

/// Decisions recorded in an unfinished attempt's saved session.
fn decisions_made(a: &Attempt) -> usize {
    a.session.as_ref().map_or(0, |s| {
        s.log
            .iter()
            .filter(|e| matches!(e, crate::play::LogEntry::Decision { .. }))
            .count()
    })
}

impl AppCore {
    pub fn new(store: SqliteStore, library: Library) -> AppCore {
        let settings = store.settings().clone();
        let mut core = AppCore {
            tr: Tr::new(&settings.language),
            store,
            library,
            screen: ScreenId::Profiles,
            profile: None,
            run: None,
            last: None,
            last_debrief: None,
            profiles_vm: ProfilesVm::default(),
            library_vm: LibraryVm::default(),
            author_vm: AuthorVm::default(),
            author_file: None,
            debrief_reflection: String::new(),
            debrief_saved: false,
            error: None,
            trainer: false,
            progress_filter: None,
            notice: None,
        };
        core.refresh_profiles();
        core.refresh_library();
        core
    }

    /// The scenario of an attempt in the interface language, if it still exists unchanged.
    fn scenario_for(&self, id: &str) -> Option<Arc<Scenario>> {
        self.library.find_in(id, &self.tr.lang)
    }

    pub fn refresh_profiles(&mut self) {
        self.profiles_vm.rows = self
            .store
            .profiles()
            .iter()
            .map(|p| {
                let unfinished = self.store.unfinished(&p.id);
                ProfileRow {
                    id: p.id.clone(),
                    name: p.name.clone(),
                    skj: p.skj.clone(),
                    unfinished: unfinished
                        .iter()
                        .take(MAX_UNFINISHED)
                        .map(|a| Unfinished {
                            attempt: a.id.clone(),
                            title: a.title.clone(),
                            started: records::time::date(a.started_ms),
                            decisions: decisions_made(a),
                        })
                        .collect(),
                    more_unfinished: unfinished.len().saturating_sub(MAX_UNFINISHED),
                }
            })
            .collect();
    }

    /// Rebuilds the library cards (after a reload, a language change or a finished attempt).
    pub fn refresh_library(&mut self) {
        let tr = &self.tr;
        let lib = &self.library;
        let attempts: Vec<&Attempt> = self
            .profile
            .as_deref()
            .map(|p| self.store.attempts(p))
            .unwrap_or_default();
        self.library_vm.cards = lib
            .playable()
            .map(|sc| {
                let sc = lib
                    .find_in(&sc.id, &tr.lang)
                    .unwrap_or_else(|| Arc::clone(sc));
                let best = attempts
                    .iter()
                    .filter(|a| a.scenario == sc.id)
                    .filter_map(|a| a.summary.as_ref())
                    .map(|s| (s.overall, s.passed))
                    .max_by(|a, b| a.0.total_cmp(&b.0));
                let in_progress =
                    in_progress(&attempts, &sc.id).map(|a| (a.mode, decisions_made(a)));
                Card {
                    in_progress,
                    origin: sc
                        .path
                        .as_deref()
                        .filter(|p| !crate::scenario::sources::is_shipped(p))
                        .map(|p| crate::scenario::sources::origin(Some(p))),
                    id: sc.id.clone(),
                    title: sc.title.clone(),
                    summary: sc.summary.clone(),
                    kind: sc.kind,
                    minutes: sc.study_minutes,
                    goals: sc
                        .goals
                        .iter()
                        .map(|g| (g.id.clone(), goal_name(lib, tr, &g.id)))
                        .collect(),
                    best,
                }
            })
            .collect();
        self.library_vm
            .cards
            .sort_by(|a, b| (a.kind as u8, &a.title).cmp(&(b.kind as u8, &b.title)));
        self.library_vm.all_goals = lib
            .goals
            .iter()
            .map(|g| (g.id.clone(), goal_name(lib, tr, &g.id)))
            .collect();
        self.library_vm.broken = lib
            .scenarios
            .iter()
            .filter(|l| l.scenario.is_none())
            .map(|l| {
                let text = crate::scenario::diag::render(&l.diagnostics, |p| lib.source(p), false);
                (l.path.display().to_string(), text)
            })
            .collect();
    }

    /// Applies an action at clock reading `now_ms`; errors are shown, never fatal.
    pub fn apply(&mut self, action: Action, now_ms: u64) {
        if let Err(e) = self.try_apply(action, now_ms) {
            self.error = Some(e);
        }
    }

    fn try_apply(&mut self, action: Action, now_ms: u64) -> Result<(), String> {
        self.error = None;
        self.notice = None;
        match action {
            Action::Go(screen) => {
                if screen != ScreenId::Profiles && self.profile.is_none() {
                    return Err(self.tr.t("err.no_profile").to_string());
                }
                if screen == ScreenId::Author && !self.trainer {
                    return Err(self.tr.t("err.trainer_only").to_string());
                }
                if screen == ScreenId::Library {
                    self.refresh_library();
                }
                if screen == ScreenId::Profiles {
                    self.refresh_profiles();
                }
                if screen == ScreenId::Author {
                    self.refresh_author();
                }
                self.screen = screen;
            }
            Action::CreateProfile { name, skj } => {
                let p = self
                    .store
                    .add_profile(&name, Some(&skj))
                    .map_err(|e| match e {
                        // Said in the interface language.
                        crate::records::StoreError::Invalid(_) => {
                            self.tr.t("err.invalid_identity").to_string()
                        }
                        e => e.to_string(),
                    })?;
                self.profiles_vm.new_name.clear();
                self.profiles_vm.new_skj.clear();
                self.select(p.id)?;
            }
            Action::SelectProfile(id) => self.select(id)?,
            Action::Resume(attempt) => self.resume(&attempt, now_ms)?,
            Action::Abandon(attempt) => {
                self.profiles_vm.confirm_abandon = None;
                self.abandon(&attempt)?;
                self.refresh_profiles();
            }
            Action::Start { scenario, mode } => self.start(&scenario, mode, now_ms)?,
            Action::Choose(pos) => {
                let run = self
                    .run
                    .as_mut()
                    .ok_or_else(|| self.tr.t("err.no_run").to_string())?;
                if run.reading_since_ms.is_some() {
                    return Ok(()); // the feedback is still on screen
                }
                run.label_before = run.session.time_label().map(str::to_string);
                run.stage_before = run.session.stage().clone();
                let at = now_ms.saturating_sub(run.clock_origin_ms);
                let before = self.current_lines();
                let run = self
                    .run
                    .as_mut()
                    .ok_or_else(|| self.tr.t("err.no_run").to_string())?;
                let fb = run.session.choose(pos, at).map_err(|e| e.to_string())?;
                self.after_choice(fb, before, now_ms);
                self.persist_run()?;
            }
            Action::TimeOut => {
                let run = self
                    .run
                    .as_mut()
                    .ok_or_else(|| self.tr.t("err.no_run").to_string())?;
                if run.reading_since_ms.is_some() {
                    return Ok(());
                }
                run.label_before = run.session.time_label().map(str::to_string);
                run.stage_before = run.session.stage().clone();
                let at = now_ms.saturating_sub(run.clock_origin_ms);
                let before = self.current_lines();
                let run = self
                    .run
                    .as_mut()
                    .ok_or_else(|| self.tr.t("err.no_run").to_string())?;
                if let Ok(fb) = run.session.time_out(at) {
                    self.after_choice(fb, before, now_ms);
                    self.persist_run()?;
                }
            }
            Action::StepBack => {
                let run = self
                    .run
                    .as_mut()
                    .ok_or_else(|| self.tr.t("err.no_run").to_string())?;
                let at = now_ms.saturating_sub(run.clock_origin_ms);
                run.session.step_back(at).map_err(|e| e.to_string())?;
                run.feedback = None;
                run.reading_since_ms = None;
                run.transcript.pop();
                self.persist_run()?;
            }
            Action::Continue => {
                let run = self
                    .run
                    .as_mut()
                    .ok_or_else(|| self.tr.t("err.no_run").to_string())?;
                if let Some(since) = run.reading_since_ms.take() {
                    // Reading the feedback took no time of the case: its clock resumes now.
                    run.clock_origin_ms += now_ms.saturating_sub(since);
                    if !run.session.is_finished() {
                        return Ok(());
                    }
                }
                self.finish()?;
                self.screen = ScreenId::Debrief;
            }
            Action::SaveNotes(notes) => {
                if let Some(run) = &mut self.run {
                    if !run.authoring {
                        self.store
                            .save_notes(&run.attempt.id, &notes)
                            .map_err(|e| e.to_string())?;
                    }
                    run.attempt.notes = notes;
                }
            }
            Action::SaveReflection(text) => {
                let mut a = self
                    .last
                    .clone()
                    .ok_or_else(|| self.tr.t("err.no_finished").to_string())?;
                self.store
                    .save_reflection(&a.id, &text)
                    .map_err(|e| e.to_string())?;
                a.reflection = text;
                self.last = Some(a);
                self.debrief_saved = true;
            }
            Action::ProgressFilter { mode, case } => self.progress_filter = Some((mode, case)),
            Action::OpenDebrief(id) => self.open_debrief(&id)?,
            Action::SaveDebrief => {
                let path = self.save_debrief()?;
                self.notice = Some(self.tr.fill("debrief.saved_to", &[("path", &path)]));
            }
            Action::SetLanguage(lang) => {
                self.tr = Tr::new(&lang);
                self.switch_case_language(&self.tr.lang.clone());
                let mut s = self.store.settings().clone();
                s.language = self.tr.lang.clone();
                self.store.put_settings(s).map_err(|e| e.to_string())?;
                self.refresh_library();
            }
            Action::AuthorSelect(file) => self.author_select(file),
            Action::PlayFrom {
                scenario,
                node,
                vars,
            } => self.play_from(&scenario, &node, &vars, now_ms)?,
            Action::AddFolder(path) => {
                let dir = std::path::PathBuf::from(&path);
                if !dir.is_dir() {
                    return Err(self.tr.fill("err.no_folder", &[("folder", &path)]));
                }
                let mut s = self.store.settings().clone();
                if !s.folders.contains(&path) {
                    s.folders.push(path.clone());
                    self.store.put_settings(s).map_err(|e| e.to_string())?;
                }
                let mut cache = self
                    .store
                    .path()
                    .parent()
                    .map_or_else(crate::scenario::cache::Cache::in_memory, |d| {
                        crate::scenario::cache::Cache::open(d)
                    });
                let lib = crate::scenario::library::load_paths_with(
                    std::slice::from_ref(&dir),
                    &mut cache,
                );
                cache.save();
                let n = lib.playable().count();
                self.library.merge(lib);
                self.author_vm.new_folder.clear();
                self.refresh_library();
                self.refresh_author();
                self.notice = Some(
                    self.tr
                        .fill("author.folder_added", &[("n", &n.to_string())]),
                );
            }
            Action::RemoveFolder(path) => {
                let mut s = self.store.settings().clone();
                s.folders.retain(|f| f != &path);
                self.store.put_settings(s).map_err(|e| e.to_string())?;
                let dir = std::path::PathBuf::from(&path);
                self.library
                    .scenarios
                    .retain(|l| l.path.parent() != Some(dir.as_path()));
                self.library
                    .translations
                    .retain(|t| t.path.parent() != Some(dir.as_path()));
                self.refresh_library();
                self.refresh_author();
            }
            Action::FontSize(size) => {
                let mut s = self.store.settings().clone();
                s.font_size = size.clamp(12.0, 28.0);
                self.store.put_settings(s).map_err(|e| e.to_string())?;
            }
        }
        Ok(())
    }

    /// The nodes on screen at the current node (for the transcript).
    fn current_lines(&self) -> Vec<crate::scenario::model::NodeIdx> {
        self.run
            .as_ref()
            .map(|r| r.session.shown().to_vec())
            .unwrap_or_default()
    }

    /// Keeps what was said with the choice made, and in practice holds the story for the
    /// feedback.
    fn after_choice(
        &mut self,
        fb: Feedback,
        before: Vec<crate::scenario::model::NodeIdx>,
        now_ms: u64,
    ) {
        let Some(run) = self.run.as_mut() else {
            return;
        };
        run.transcript.push((before, fb.choice));
        if run.session.mode() == Mode::Practice {
            run.reading_since_ms = Some(now_ms);
        }
        run.feedback = Some(fb);
    }

    /// The case being played goes on in `lang` when the library has it in that language: the
    /// same run (same content, same state), its texts translated.
    fn switch_case_language(&mut self, lang: &str) {
        let Some(run) = self.run.as_mut() else {
            return;
        };
        let sc = run.session.scenario();
        if sc.language == lang {
            return;
        }
        let Some(other) = self.library.find_in(&sc.id, lang) else {
            return;
        };
        if other.language != lang {
            return;
        }
        if let Ok(session) = Session::restore(other, run.session.save()) {
            run.session = session;
        }
    }

    fn select(&mut self, id: String) -> Result<(), String> {
        if !self.store.profiles().iter().any(|p| p.id == id) {
            return Err(self.tr.t("err.no_such_profile").to_string());
        }
        let mut s = self.store.settings().clone();
        s.last_profile = Some(id.clone());
        self.store.put_settings(s).map_err(|e| e.to_string())?;
        self.profile = Some(id);
        self.refresh_library();
        self.screen = ScreenId::Library;
        Ok(())
    }

    /// The signed-in trainee, or the error that says to choose one.
    pub(super) fn profile_id(&self) -> Result<String, String> {
        self.profile
            .clone()
            .ok_or_else(|| self.tr.t("err.no_profile").to_string())
    }

    fn start(&mut self, id: &str, mode: Mode, now_ms: u64) -> Result<(), String> {
        let profile = self.profile_id()?;
        // One attempt per case at a time: a case in progress is resumed, in its own mode.
        let open = in_progress(&self.store.attempts(&profile), id).map(|a| a.id.clone());
        if let Some(open) = open {
            return self.resume(&open, now_ms);
        }
        let sc = self
            .scenario_for(id)
            .ok_or_else(|| self.tr.fill("err.no_scenario", &[("id", id)]))?;
        let seed = records::now_ms() ^ (now_ms << 20);
        let session = Session::new(Arc::clone(&sc), seed, mode).map_err(|e| e.to_string())?;
        let attempt = Attempt::start(profile, &sc, seed, mode);
        self.run = Some(ActiveRun {
            session,
            attempt,
            feedback: None,
            reading_since_ms: None,
            label_before: None,
            stage_before: Default::default(),
            transcript: Vec::new(),
            clock_origin_ms: now_ms,
            authoring: false,
        });
        self.persist_run()?;
        self.screen = ScreenId::Play;
        Ok(())
    }

    /// Attempt `id` of any trainee on this desktop, with the session it saved.
    pub(super) fn saved_attempt(
        &self,
        id: &str,
    ) -> Result<(Attempt, crate::play::SavedSession), String> {
        let attempt = self
            .store
            .profiles()
            .iter()
            .flat_map(|p| self.store.attempts(&p.id))
            .find(|a| a.id == id)
            .cloned()
            .ok_or_else(|| self.tr.t("err.attempt_gone").to_string())?;
        let saved = attempt
            .session
            .clone()
            .ok_or_else(|| self.tr.t("err.no_session").to_string())?;
        Ok((attempt, saved))
    }

    fn resume(&mut self, attempt_id: &str, now_ms: u64) -> Result<(), String> {
        let (attempt, saved) = self.saved_attempt(attempt_id)?;
        let sc = self
            .library
            .find_in(&attempt.scenario, &attempt.language)
            .ok_or_else(|| self.tr.t("err.scenario_gone").to_string())?;
        match Session::restore(sc, saved) {
            Ok(session) => {
                self.profile = Some(attempt.profile.clone());
                let origin = now_ms.saturating_sub(session.entered_at_ms());
                self.run = Some(ActiveRun {
                    session,
                    attempt,
                    feedback: None,
                    reading_since_ms: None,
                    label_before: None,
                    stage_before: Default::default(),
                    transcript: Vec::new(),
                    clock_origin_ms: origin,
                    authoring: false,
                });
                self.screen = ScreenId::Play;
                Ok(())
            }
            Err(e) => {
                // The scenario changed: the attempt cannot continue, so it is closed, not lost.
                self.abandon(&attempt.id)?;
                self.refresh_profiles();
                // The cause is for the log; the trainee reads what it means.
                warn_log(&format!("cannot resume attempt {}: {e}", attempt.id));
                Err(self.tr.t("err.cannot_resume").to_string())
            }
        }
    }

    /// Closes an unfinished attempt; its statement names the scenario's goals when the version
    /// played is still in the library.
    fn abandon(&mut self, attempt_id: &str) -> Result<(), String> {
        let sc = self
            .store
            .profiles()
            .iter()
            .flat_map(|p| self.store.attempts(&p.id))
            .find(|a| a.id == attempt_id)
            .and_then(|a| self.library.find_in(&a.scenario, &a.language));
        self.store
            .abandon(attempt_id, sc.as_deref())
            .map_err(|e| e.to_string())
    }

    /// Saves the running attempt with its session (after every decision).
    fn persist_run(&mut self) -> Result<(), String> {
        let run = self
            .run
            .as_mut()
            .ok_or_else(|| self.tr.t("err.no_run").to_string())?;
        if run.authoring {
            return Ok(());
        }
        run.attempt.follow(&run.session);
        self.store
            .save_attempt(&run.attempt, run.session.scenario())
            // The run stays in memory; the next save records everything not yet recorded.
            .map_err(|e| format!("{} ({e})", self.tr.t("play.save_failed")))
    }

    fn finish(&mut self) -> Result<(), String> {
        let mut run = self
            .run
            .take()
            .ok_or_else(|| self.tr.t("err.no_run").to_string())?;
        if !run.session.is_finished() {
            self.run = Some(run);
            return Err(self.tr.t("err.not_finished").to_string());
        }
        run.attempt.follow(&run.session);
        if !run.authoring
            && let Err(e) = self
                .store
                .save_attempt(&run.attempt, run.session.scenario())
        {
            // Kept: the trainee can try again, and nothing recorded so far is lost.
            let msg = format!("{} ({e})", self.tr.t("play.save_failed"));
            self.run = Some(run);
            return Err(msg);
        }
        self.debrief_reflection.clear();
        self.debrief_saved = false;
        // An author's run has a debrief but no record to reflect on.
        self.last = (!run.authoring).then(|| run.attempt.clone());
        self.last_debrief = Some(self.debrief_of(&run.session));
        Ok(())
    }
}
