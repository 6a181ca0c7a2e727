//! View models built from the core's state: what each screen shows, in the interface language.

use super::controller::{AppCore, goal_name};
use super::views::debrief::{DebriefVm, GoalBar, StepVm};
use super::views::play::{FeedbackVm, LineVm, OfferVm, PersonVm, PlayVm, Quality};
use super::views::progress::{AttemptRow, ProgressVm};
use super::views::scene::{FigureVm, PlaceVm, SceneVm, StageVm};
use crate::play::{Mode, Session};
use crate::records::{Status, Store};

/// The lines of `nodes`, in order, with their speakers.
pub(super) fn lines_of(s: &Session, nodes: &[crate::scenario::model::NodeIdx]) -> Vec<LineVm> {
    let sc = s.scenario();
    nodes
        .iter()
        .flat_map(|&n| &sc.nodes[n as usize].lines)
        .map(|l| LineVm {
            speaker: l.speaker.map(|c| {
                let ch = &sc.characters[c as usize];
                (ch.name.clone(), ch.role.clone())
            }),
            text: l.text.clone(),
        })
        .collect()
}

impl AppCore {
    /// Points per goal with the goals' names in the interface language.
    pub(super) fn points_named(&self, sc: &crate::scenario::Scenario, points: &[i64]) -> String {
        crate::score::points_named(sc, points, &self.tr.lang, self.tr.t("play.no_points"))
    }

    /// What the play screen shows at clock reading `now_ms`.
    pub fn play_vm(&self, now_ms: u64, notes: &str) -> Option<PlayVm> {
        let run = self.run.as_ref()?;
        let s = &run.session;
        let sc = s.scenario();
        let st = s.state();
        let exam = s.mode() == Mode::Exam;
        // While the feedback is read, the story stays where the choice was made.
        let reading = run.reading_since_ms.is_some();
        let render = |parts: &[(Vec<crate::scenario::model::NodeIdx>, u32)]| {
            parts
                .iter()
                .map(|(nodes, c)| (lines_of(s, nodes), sc.choices[*c as usize].text.clone()))
                .collect::<Vec<_>>()
        };
        let (lines, transcript) = match (reading, run.transcript.split_last()) {
            (true, Some((last, before))) => (lines_of(s, &last.0), render(before)),
            _ => (lines_of(s, s.shown()), render(&run.transcript)),
        };
        let named = |points: &[i64]| self.points_named(sc, points);
        let feedback = if exam {
            None
        } else {
            run.feedback.as_ref().map(|fb| {
                let ch = &sc.choices[fb.choice as usize];
                let weighted = crate::score::weighted_points(sc, fb.choice);
                let quality = if fb.timed_out || weighted < 0.0 {
                    Quality::Not
                } else if fb.expert.is_none_or(|e| e == fb.choice) {
                    Quality::Good
                } else {
                    Quality::Partly
                };
                FeedbackVm {
                    choice: ch.text.clone(),
                    quality,
                    points: named(&fb.points),
                    rationale: ch.rationale.clone(),
                    source: ch.source.clone(),
                    timed_out: fb.timed_out,
                    expert: fb.expert.filter(|&e| e != fb.choice).map(|e| {
                        let e = &sc.choices[e as usize];
                        let closed =
                            (!fb.expert_open).then(|| e.locked_reason.clone().unwrap_or_default());
                        (e.text.clone(), closed)
                    }),
                }
            })
        };
        let at = now_ms.saturating_sub(run.clock_origin_ms);
        Some(PlayVm {
            title: sc.title.clone(),
            exam,
            time_label: if reading {
                run.label_before.clone()
            } else {
                s.time_label().map(str::to_string)
            },
            step: s.path().len() + usize::from(!reading),
            reading,
            lines,
            transcript,
            people: sc
                .characters
                .iter()
                .enumerate()
                .map(|(i, c)| PersonVm {
                    name: c.name.clone(),
                    role: c.role.clone(),
                    mood: st.moods[i],
                    trust: st.trust[i],
                })
                .collect(),
            facts: s
                .case_file()
                .iter()
                .map(|f| (f.time.clone(), f.text.clone()))
                .collect(),
            offers: s
                .offers()
                .into_iter()
                .enumerate()
                .map(|(i, o)| OfferVm {
                    position: i,
                    text: o.text,
                    available: o.available,
                    locked_reason: o.locked_reason,
                })
                .collect(),
            countdown: s
                .time_limit_ms()
                .filter(|_| !reading)
                .map(|limit| (limit as f64 - at.saturating_sub(s.entered_at_ms()) as f64) / 1000.0),
            time_limit: s.time_limit_ms().map(|l| l as f64 / 1000.0),
            feedback,
            can_step_back: s.can_step_back(),
            finished: s.is_finished(),
            notes: notes.to_string(),
            vars: if run.authoring {
                sc.variables
                    .iter()
                    .zip(&st.vars)
                    .map(|(v, x)| {
                        (
                            v.id.clone(),
                            if v.ty == crate::scenario::expr::Type::Bool {
                                (*x != 0).to_string()
                            } else {
                                x.to_string()
                            },
                        )
                    })
                    .collect()
            } else {
                Vec::new()
            },
            stage: self.scene_vm().unwrap_or_default(),
            scene: None,
            show_whole: false,
        })
    }

    /// What the scene shows now: while the feedback on a choice is read, the place and the
    /// people where the choice was made.
    pub fn scene_vm(&self) -> Option<SceneVm> {
        let run = self.run.as_ref()?;
        let s = &run.session;
        let sc = s.scenario();
        let st = s.state();
        let reading = run.reading_since_ms.is_some();
        let (stage, nodes, part) = match (reading, run.transcript.last()) {
            (true, Some(last)) => (&run.stage_before, &last.0[..], run.transcript.len() - 1),
            _ => (s.stage(), s.shown(), run.transcript.len()),
        };
        let folder = sc.path.as_ref().and_then(|p| p.parent());
        let stage_vm = |stage: &crate::play::scene::Stage| StageVm {
            place: stage
                .place
                .and_then(|i| Some((i, sc.places.get(i as usize)?)))
                .map(|(index, p)| PlaceVm {
                    index,
                    name: p.name.clone(),
                    backdrop: p.backdrop,
                    night: p.night,
                    phone: p.phone,
                }),
            people: stage
                .present
                .iter()
                .filter_map(|&c| {
                    let ch = sc.characters.get(c as usize)?;
                    Some(FigureVm {
                        character: c,
                        id: ch.id.clone(),
                        name: ch.name.clone(),
                        role: ch.role.clone(),
                        kind: ch.kind,
                        age: ch.age,
                        mood: st.moods[c as usize],
                        trust: st.trust[c as usize],
                        portrait: ch.portrait.as_ref().map(|p| match folder {
                            Some(f) => f.join(p),
                            None => p.into(),
                        }),
                    })
                })
                .collect(),
            time_label: None,
        };
        // Each node of the part has its stage; a session saved before stages were kept, and
        // the part whose feedback is read, show the last one throughout.
        let per_node = !reading && s.stages().len() == nodes.len();
        let time_now = if reading {
            run.label_before.clone()
        } else {
            s.time_label().map(str::to_string)
        };
        let stages: Vec<StageVm> = if per_node {
            // The case time at each node: the one in force when the part began, until a node
            // sets another.
            let mut label = if run.transcript.is_empty() {
                None
            } else {
                run.label_before.clone()
            };
            s.stages()
                .iter()
                .zip(nodes)
                .map(|(st, &n)| {
                    if let Some(t) = &sc.nodes[n as usize].time {
                        label = Some(t.clone());
                    }
                    StageVm {
                        time_label: label.clone(),
                        ..stage_vm(st)
                    }
                })
                .collect()
        } else {
            vec![StageVm {
                time_label: time_now.clone(),
                ..stage_vm(stage)
            }]
        };
        let now = stages.last().cloned().unwrap_or_default();
        Some(SceneVm {
            place: now.place,
            people: now.people,
            time_label: time_now,
            stages,
            lines: nodes
                .iter()
                .enumerate()
                .flat_map(|(k, &n)| {
                    let step = if per_node { k } else { 0 };
                    sc.nodes[n as usize]
                        .lines
                        .iter()
                        .filter_map(move |l| Some((l.speaker?, l.text.clone(), step)))
                })
                .collect(),
            part,
            balloon: None,
        })
    }

    /// The debrief of a finished session.
    pub fn debrief_of(&self, s: &Session) -> DebriefVm {
        let sc = s.scenario();
        let d = s.debrief();
        let score = &d.score;
        let ending = score.ending.clone();
        let pts = |p: &std::collections::BTreeMap<String, i64>| {
            let v: Vec<i64> = sc
                .goals
                .iter()
                .map(|g| p.get(&g.id).copied().unwrap_or(0))
                .collect();
            self.points_named(sc, &v)
        };
        DebriefVm {
            title: sc.title.clone(),
            ending: ending.as_ref().map_or(String::new(), |e| e.title.clone()),
            outcome: ending.as_ref().map_or(String::new(), |e| {
                self.tr.t(crate::score::outcome_key(e.outcome)).to_string()
            }),
            ending_text: ending.as_ref().map_or(String::new(), |e| e.debrief.clone()),
            passed: score.passed,
            overall: score.overall,
            pass_mark: score.pass_overall,
            reasons: self.reasons(score),
            goals: score
                .goals
                .iter()
                .map(|g| GoalBar {
                    name: goal_name(&self.library, &self.tr, &g.id),
                    scaled: g.scaled,
                    threshold: Some(g.threshold),
                })
                .collect(),
            steps: d
                .decisions
                .iter()
                .map(|x| StepVm {
                    time: x.time.clone(),
                    made: x.made.text.clone(),
                    points: pts(&x.made.points),
                    rationale: x.made.rationale.clone(),
                    source: x.made.source.clone(),
                    timed_out: x.timed_out,
                    expert: x.expert.as_ref().map(|e| {
                        (
                            e.text.clone(),
                            e.rationale.clone(),
                            e.source.clone(),
                            x.expert_locked.clone(),
                        )
                    }),
                })
                .collect(),
            missed: score
                .rules
                .iter()
                .filter(|r| r.violated && !r.critical && !r.must_do)
                .map(|r| r.message.clone())
                .collect(),
            questions: d.reflection.clone(),
            reflection: String::new(),
            saved: false,
        }
    }

    /// Why a run passed or failed, in the interface language: what failed first.
    fn reasons(&self, score: &crate::score::ScoreReport) -> Vec<(bool, String)> {
        let name = |id: &str| goal_name(&self.library, &self.tr, id);
        score
            .reasons
            .iter()
            .map(|r| (r.met(), r.text(&self.tr, &name)))
            .collect()
    }

    /// The trainee's history.
    pub fn progress_vm(&self) -> ProgressVm {
        let Some(profile) = &self.profile else {
            return ProgressVm::default();
        };
        let name = self
            .store
            .profiles()
            .iter()
            .find(|p| &p.id == profile)
            .map_or(String::new(), |p| p.name.clone());
        let done: Vec<_> = self
            .store
            .attempts(profile)
            .into_iter()
            .filter(|a| a.status == Status::Finished && a.summary.is_some())
            .collect();
        let (mode, case) = self.progress_filter.clone().unwrap_or_else(|| {
            let any_exam = done.iter().any(|a| a.mode == Mode::Exam);
            (if any_exam { Mode::Exam } else { Mode::Practice }, None)
        });
        let mut cases: Vec<(String, String)> = Vec::new();
        for a in &done {
            if !cases.iter().any(|(id, _)| id == &a.scenario) {
                cases.push((a.scenario.clone(), a.title.clone()));
            }
        }
        // The chart: one mode, one case or all, oldest first.
        let shown: Vec<_> = done
            .iter()
            .filter(|a| a.mode == mode && case.as_ref().is_none_or(|c| &a.scenario == c))
            .collect();
        let x_labels = shown
            .iter()
            .map(|a| crate::records::time::date(a.finished_ms.unwrap_or(a.started_ms)))
            .collect();
        let series = self
            .library
            .goals
            .iter()
            .filter_map(|g| {
                let values: Vec<Option<f64>> = shown
                    .iter()
                    .map(|a| a.summary.as_ref()?.goal(&g.id))
                    .collect();
                values
                    .iter()
                    .any(Option::is_some)
                    .then(|| (goal_name(&self.library, &self.tr, &g.id), values))
            })
            .collect();
        let attempts = done
            .iter()
            .rev()
            .map(|a| {
                let s = a.summary.as_ref().expect("filtered");
                AttemptRow {
                    id: a.id.clone(),
                    date: crate::records::time::date(a.finished_ms.unwrap_or(a.started_ms)),
                    title: a.title.clone(),
                    mode: self
                        .tr
                        .t(if a.mode == Mode::Exam {
                            "mode.exam"
                        } else {
                            "mode.practice"
                        })
                        .to_string(),
                    overall: s.overall,
                    passed: s.passed,
                    old_rules: s.scoring < crate::score::SCORING_VERSION,
                }
            })
            .collect();
        ProgressVm {
            name,
            mode,
            case,
            cases,
            x_labels,
            series,
            attempts,
        }
    }
}
