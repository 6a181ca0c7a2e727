//! Playing a case, read top to bottom: where and when (case, mode, case time, step, clock), the
//! scene, what is said, then the choices (keys 1–9). In practice the feedback on a choice
//! appears with that choice, marked good / partly / not, before the story moves on; in an exam
//! nothing tells how a choice or a person fared. The case file and notes sit on the left.
//!
//! The scene is drawn by Bevy in the band this view leaves free under the top bar; the view
//! reports where that is in [`PlayVm::scene`].

use egui::{Key, RichText, Ui};

use super::scene::SceneVm;
use super::{Action, Tr, colors, mood_color, muted};

/// One line of the narrative.
#[derive(Debug, Clone, PartialEq)]
pub struct LineVm {
    /// Speaker name and role; `None` for narration.
    pub speaker: Option<(String, String)>,
    pub text: String,
}

/// A choice as offered.
#[derive(Debug, Clone, PartialEq)]
pub struct OfferVm {
    pub position: usize,
    pub text: String,
    pub available: bool,
    pub locked_reason: Option<String>,
}

/// A person in the case file.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonVm {
    pub name: String,
    pub role: String,
    pub mood: i64,
    pub trust: i64,
}

/// How the last choice compares with the expert's (practice mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quality {
    /// The expert's choice.
    Good,
    /// Not the expert's, but it earns more than it costs.
    Partly,
    /// It costs points, or time ran out.
    Not,
}

/// Feedback on the last choice (practice mode).
#[derive(Debug, Clone, PartialEq)]
pub struct FeedbackVm {
    pub choice: String,
    pub quality: Quality,
    /// Points with the goals' names.
    pub points: String,
    pub rationale: String,
    pub source: String,
    pub timed_out: bool,
    /// The expert's choice where it differs, and why it was not open if so.
    pub expert: Option<(String, Option<String>)>,
}

#[derive(Debug, Clone, Default)]
pub struct PlayVm {
    pub title: String,
    pub exam: bool,
    pub time_label: Option<String>,
    /// The decision the trainee is at (1-based); while reading feedback, the one just made.
    pub step: usize,
    /// Practice: the feedback on the choice just made is on screen; the story goes on with
    /// [`Action::Continue`].
    pub reading: bool,
    /// What is said at this point of the case.
    pub lines: Vec<LineVm>,
    /// What was said before, each part with the choice made after it.
    pub transcript: Vec<(Vec<LineVm>, String)>,
    pub people: Vec<PersonVm>,
    pub facts: Vec<(Option<String>, String)>,
    pub offers: Vec<OfferVm>,
    /// Seconds left on a time limit.
    pub countdown: Option<f64>,
    /// The time limit of this decision, in seconds.
    pub time_limit: Option<f64>,
    pub feedback: Option<FeedbackVm>,
    pub can_step_back: bool,
    pub finished: bool,
    pub notes: String,
    /// Authoring runs: the variables and their values now.
    pub vars: Vec<(String, String)>,
    /// What the scene shows: the place, the people present, who speaks.
    pub stage: SceneVm,
    /// Output: the area left free for the scene, drawn by Bevy (logical points).
    pub scene: Option<egui::Rect>,
    /// Output: the trainee asked to see the line being said whole (Space, or a click on it).
    pub show_whole: bool,
}

const NUM_KEYS: [Key; 9] = [
    Key::Num1,
    Key::Num2,
    Key::Num3,
    Key::Num4,
    Key::Num5,
    Key::Num6,
    Key::Num7,
    Key::Num8,
    Key::Num9,
];

pub fn play(ui: &mut Ui, vm: &mut PlayVm, tr: &Tr) -> Option<Action> {
    let mut action = None;
    // Every choice keeps its place: a locked one is shown as unavailable, never removed.
    let typing = ui.ctx().memory(|m| m.focused().is_some());
    if !typing {
        if vm.reading || vm.finished {
            if ui.input(|i| i.key_pressed(Key::Enter) || i.key_pressed(Key::Space)) {
                action = Some(Action::Continue);
            }
        } else {
            if ui.input(|i| i.key_pressed(Key::Space)) {
                vm.show_whole = true;
            }
            for (i, k) in NUM_KEYS.iter().enumerate() {
                if ui.input(|inp| inp.key_pressed(*k))
                    && let Some(o) = vm.offers.get(i)
                    && o.available
                {
                    action = Some(Action::Choose(o.position));
                }
            }
        }
        if vm.can_step_back && ui.input(|inp| inp.key_pressed(Key::Backspace)) {
            action = Some(Action::StepBack);
        }
    }
    case_file(ui, vm, tr, &mut action);
    let total = ui.available_height();
    egui::Panel::top("where").show(ui, |ui| where_and_when(ui, vm, tr, &mut action));
    // The scene is a band under "where and when"; the story and the choices get the rest.
    let scene_h = (total * 0.33).clamp(90.0, 300.0);
    let story_h = (ui.available_height() - scene_h).max(120.0);
    egui::Panel::bottom("story")
        .exact_size(story_h)
        .show(ui, |ui| story(ui, vm, tr, &mut action));
    let rect = ui.available_rect_before_wrap();
    vm.scene = Some(rect);
    if super::scene::overlay(ui, rect, &vm.stage, tr) {
        vm.show_whole = true;
    }
    action
}

/// The top bar of the play screen: the case, the mode, the case time, the step, the clock.
fn where_and_when(ui: &mut Ui, vm: &PlayVm, tr: &Tr, action: &mut Option<Action>) {
    ui.horizontal_wrapped(|ui| {
        ui.heading(&vm.title);
        let (mode, color) = if vm.exam {
            (tr.t("mode.exam"), colors::FAIL)
        } else {
            (tr.t("mode.practice"), colors::PASS)
        };
        ui.label(
            RichText::new(format!(" {mode} "))
                .strong()
                .color(egui::Color32::WHITE)
                .background_color(color),
        );
        if let Some(t) = &vm.time_label {
            ui.label(RichText::new(t).strong().color(colors::ACCENT));
        }
        if !vm.finished && vm.step > 0 {
            ui.label(muted(tr.fill("play.step", &[("n", &vm.step.to_string())])));
        }
    });
    if let Some(left) = vm.countdown {
        let limit = vm.time_limit.unwrap_or(left.max(1.0));
        let left = left.max(0.0);
        let urgent = left < 10.0;
        let bar = egui::ProgressBar::new((left / limit.max(1.0)) as f32)
            .fill(if urgent { colors::FAIL } else { colors::ACCENT })
            .text(
                RichText::new(format!("⏱ {} {:.0} s", tr.t("play.time_left"), left.ceil()))
                    .strong()
                    .color(egui::Color32::WHITE),
            );
        ui.add(bar);
        if left <= 0.0 {
            *action = Some(Action::TimeOut);
        }
    }
}

/// The story so far, what is said now, and the choices or the feedback on the choice made.
fn story(ui: &mut Ui, vm: &PlayVm, tr: &Tr, action: &mut Option<Action>) {
    // The choices keep their place at the bottom, in view whatever the length of the story;
    // the story above starts where the new part begins.
    if !vm.reading && !vm.finished {
        // Sized to the choices as last drawn (at most 60 % of the story pane; beyond that they
        // scroll), so the panel neither cuts them off nor leaves a gap.
        let most = ui.available_height() * 0.6;
        let size_id = ui.id().with("choices-height");
        let want = ui
            .ctx()
            .data(|d| d.get_temp::<f32>(size_id))
            .unwrap_or(most);
        egui::Panel::bottom("choices")
            .resizable(false)
            .exact_size(want.clamp(40.0, most))
            .show(ui, |ui| {
                let r = egui::ScrollArea::vertical()
                    .id_salt("choices-scroll")
                    .auto_shrink([false, true])
                    .show(ui, |ui| choices(ui, vm, tr, action));
                let needed = r.content_size.y + 12.0;
                if (needed - want).abs() > 1.0 {
                    ui.ctx().data_mut(|d| d.insert_temp(size_id, needed));
                    ui.ctx().request_repaint();
                }
            });
    }
    // Where the reader should be: what is new since the last look, placed again whenever the
    // pane changes size (the choices settling, the window resized).
    let pane = ui.available_height().round() as i32;
    let anchor = (vm.step, vm.reading, vm.finished, pane);
    let id = ui.id().with("story-anchor");
    let moved = ui
        .ctx()
        .data(|d| d.get_temp::<(usize, bool, bool, i32)>(id))
        != Some(anchor);
    egui::ScrollArea::vertical()
        .id_salt("story-scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            if !vm.transcript.is_empty() {
                egui::CollapsingHeader::new(tr.fill(
                    "play.transcript",
                    &[("n", &vm.transcript.len().to_string())],
                ))
                .id_salt("transcript")
                .show(ui, |ui| {
                    for (lines, made) in &vm.transcript {
                        for l in lines {
                            line(ui, l, true);
                        }
                        ui.label(
                            RichText::new(format!("→ {}: {made}", tr.t("play.you_chose")))
                                .color(colors::ACCENT),
                        );
                        ui.add_space(6.0);
                    }
                });
                ui.separator();
            }
            let start = ui.label("");
            for l in &vm.lines {
                line(ui, l, false);
            }
            let end = ui.label("");
            if moved && !vm.reading {
                // The new part from its start; when it is longer than the pane, its end — the
                // line to answer — stays in view above the choices.
                start.scroll_to_me(Some(egui::Align::TOP));
                end.scroll_to_me(Some(egui::Align::BOTTOM));
            }
            ui.add_space(6.0);
            if vm.reading {
                if let Some(fb) = &vm.feedback {
                    let r = feedback(ui, fb, tr);
                    if moved {
                        r.scroll_to_me(Some(egui::Align::TOP));
                    }
                }
                ui.horizontal(|ui| {
                    let label = if vm.finished {
                        tr.t("play.to_debrief")
                    } else {
                        tr.t("play.continue")
                    };
                    if ui.button(RichText::new(label).strong()).clicked() {
                        *action = Some(Action::Continue);
                    }
                    if vm.can_step_back && ui.button(tr.t("play.step_back")).clicked() {
                        *action = Some(Action::StepBack);
                    }
                });
            } else if vm.finished
                && ui
                    .button(RichText::new(tr.t("play.to_debrief")).strong())
                    .clicked()
            {
                *action = Some(Action::Continue);
            }
        });
    ui.ctx().data_mut(|d| d.insert_temp(id, anchor));
}

fn line(ui: &mut Ui, l: &LineVm, past: bool) {
    let text = |t: &str| {
        let r = RichText::new(t);
        if past { r.color(colors::MUTED) } else { r }
    };
    match &l.speaker {
        Some((name, role)) => {
            ui.horizontal_wrapped(|ui| {
                ui.label(text(name).strong());
                ui.label(muted(format!("· {role}")));
            });
            ui.label(text(&l.text));
        }
        None => {
            ui.label(text(&l.text).italics());
        }
    }
    ui.add_space(4.0);
}

fn choices(ui: &mut Ui, vm: &PlayVm, tr: &Tr, action: &mut Option<Action>) {
    for (i, o) in vm.offers.iter().enumerate() {
        let label = format!("{}. {}", i + 1, o.text);
        if o.available {
            if ui.add(egui::Button::new(&label).wrap()).clicked() {
                *action = Some(Action::Choose(o.position));
            }
        } else {
            // Exam: unavailable without the reason, which would give the answer away.
            let reason = match (&o.locked_reason, vm.exam) {
                (Some(r), false) => r.clone(),
                _ => tr.t("play.locked").to_string(),
            };
            ui.add_enabled(false, egui::Button::new(&label).wrap())
                .on_disabled_hover_text(&reason);
            ui.label(muted(format!("   🔒 {reason}")));
        }
    }
    if vm.can_step_back && ui.button(tr.t("play.step_back")).clicked() {
        *action = Some(Action::StepBack);
    }
}

/// The case file: the people (in practice with mood and trust), the facts, the notes.
fn case_file(ui: &mut Ui, vm: &mut PlayVm, tr: &Tr, action: &mut Option<Action>) {
    // At most a third of a narrow window: the story needs the room more.
    let widest = (ui.available_width() * 0.33).clamp(200.0, 420.0);
    egui::Panel::left("case-file")
        .default_size(260.0_f32.min(widest))
        .size_range(180.0..=widest)
        .resizable(true)
        .show(ui, |ui| {
            ui.heading(tr.t("play.case_file"));
            // People and facts each get their own part of the panel, so neither pushes the
            // other out of sight; the notes keep theirs at the bottom.
            let notes_h = (ui.available_height() * 0.22).clamp(70.0, 130.0);
            let room = (ui.available_height() - notes_h - 60.0).max(120.0);
            ui.label(RichText::new(tr.t("play.people")).strong());
            egui::ScrollArea::vertical()
                .id_salt("people-scroll")
                .max_height(room * 0.45)
                .show(ui, |ui| {
                    for p in &vm.people {
                        ui.horizontal_wrapped(|ui| {
                            if !vm.exam {
                                let (r, painter) = ui
                                    .allocate_painter(egui::vec2(12.0, 12.0), egui::Sense::hover());
                                painter.circle_filled(
                                    r.rect.center(),
                                    5.0,
                                    mood_color(p.mood as f32),
                                );
                            }
                            ui.label(RichText::new(&p.name).strong());
                            ui.label(muted(&p.role));
                            if !vm.exam {
                                ui.label(muted(format!(
                                    "· {} {:+} · {} {}",
                                    tr.t("play.mood"),
                                    p.mood,
                                    tr.t("play.trust"),
                                    p.trust
                                )));
                            }
                        });
                    }
                });
            ui.separator();
            ui.label(RichText::new(tr.t("play.facts")).strong());
            egui::ScrollArea::vertical()
                .id_salt("facts-scroll")
                .max_height(room * 0.55)
                .stick_to_bottom(true)
                .show(ui, |ui| {
                    if vm.facts.is_empty() {
                        ui.label(muted(tr.t("play.no_facts")));
                    }
                    // The case time once for the facts that share it.
                    let mut last: Option<&String> = None;
                    for (time, f) in &vm.facts {
                        if let Some(t) = time
                            && last != Some(t)
                        {
                            ui.label(muted(t));
                            last = Some(t);
                        }
                        ui.label(format!("• {f}"));
                    }
                });
            ui.separator();
            ui.label(RichText::new(tr.t("play.notes")).strong());
            let line_h = ui.text_style_height(&egui::TextStyle::Body);
            let rows = ((notes_h / line_h) as usize).clamp(2, 5);
            let r = ui.add(
                egui::TextEdit::multiline(&mut vm.notes)
                    .desired_rows(rows)
                    .desired_width(f32::INFINITY)
                    .hint_text(tr.t("play.notes_hint")),
            );
            if r.lost_focus() {
                *action = Some(Action::SaveNotes(vm.notes.clone()));
            }
        });
}

fn feedback(ui: &mut Ui, fb: &FeedbackVm, tr: &Tr) -> egui::Response {
    let (mark, key, fill) = match fb.quality {
        Quality::Good => (
            "✔",
            "play.q_good",
            egui::Color32::from_rgb(0xea, 0xf6, 0xec),
        ),
        Quality::Partly => (
            "◐",
            "play.q_partly",
            egui::Color32::from_rgb(0xfd, 0xf5, 0xe3),
        ),
        Quality::Not => ("✖", "play.q_not", egui::Color32::from_rgb(0xfb, 0xec, 0xec)),
    };
    let color = match fb.quality {
        Quality::Good => colors::PASS,
        Quality::Partly => egui::Color32::from_rgb(0x8a, 0x5a, 0x00),
        Quality::Not => colors::FAIL,
    };
    egui::Frame::group(ui.style())
        .fill(fill)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(format!("{}: {}", tr.t("play.you_chose"), fb.choice)).strong());
            if fb.timed_out {
                ui.label(
                    RichText::new(tr.t("play.timed_out"))
                        .color(colors::FAIL)
                        .strong(),
                );
            }
            ui.label(
                RichText::new(format!("{mark} {}", tr.t(key)))
                    .strong()
                    .color(color),
            );
            ui.label(muted(&fb.points));
            ui.label(&fb.rationale);
            ui.label(muted(format!("{}: {}", tr.t("play.source"), fb.source)));
            if let Some((text, locked)) = &fb.expert {
                match locked {
                    None => ui.label(format!("{} {text}", tr.t("play.expert_would"))),
                    Some(why) => {
                        ui.label(format!("{} ({why}): {text}", tr.t("play.expert_closed")))
                    }
                };
            }
        })
        .response
}
