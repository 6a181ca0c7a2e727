//! Playing a case: the narrative, the case file, notes, choices (keys 1–9), countdown, feedback.
//!
//! The scene with the characters is drawn by Bevy in the free area this view leaves open
//! (top right); the view reports where that is in [`PlayVm::scene`].

use egui::{Key, RichText, Ui};

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

/// Feedback on the last choice (practice mode).
#[derive(Debug, Clone, PartialEq)]
pub struct FeedbackVm {
    pub choice: String,
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
    pub lines: Vec<LineVm>,
    pub people: Vec<PersonVm>,
    pub facts: Vec<(Option<String>, String)>,
    pub offers: Vec<OfferVm>,
    /// Seconds left on a time limit.
    pub countdown: Option<f64>,
    pub feedback: Option<FeedbackVm>,
    pub can_step_back: bool,
    pub finished: bool,
    pub notes: String,
    /// Authoring runs: the variables and their values now.
    pub vars: Vec<(String, String)>,
    /// Output: the area the panels leave free, where Bevy draws the scene (logical points).
    pub scene: Option<egui::Rect>,
}

pub fn play(ui: &mut Ui, vm: &mut PlayVm, tr: &Tr) -> Option<Action> {
    let mut action = None;
    let visible: Vec<&OfferVm> = vm
        .offers
        .iter()
        .filter(|o| o.available || !vm.exam)
        .collect();
    // Keys 1–9 choose; Backspace steps back; Enter continues at the end.
    if vm.feedback.is_none() || !vm.finished {
        let keys = [
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
        let notes_focused = ui.ctx().memory(|m| m.focused().is_some());
        if !notes_focused {
            for (i, k) in keys.iter().enumerate() {
                if ui.input(|inp| inp.key_pressed(*k))
                    && let Some(o) = visible.get(i)
                    && o.available
                {
                    action = Some(Action::Choose(o.position));
                }
            }
            if vm.can_step_back && ui.input(|inp| inp.key_pressed(Key::Backspace)) {
                action = Some(Action::StepBack);
            }
        }
    }
    egui::Panel::left("case-file")
        .default_size(280.0)
        .resizable(true)
        .show(ui, |ui| {
            ui.heading(tr.t("play.case_file"));
            if let Some(t) = &vm.time_label {
                ui.label(RichText::new(t).strong().color(colors::ACCENT));
            }
            egui::ScrollArea::vertical()
                .id_salt("case-scroll")
                .max_height(ui.available_height() * 0.62)
                .show(ui, |ui| {
                    ui.label(RichText::new(tr.t("play.people")).strong());
                    for p in &vm.people {
                        ui.horizontal(|ui| {
                            let (r, painter) =
                                ui.allocate_painter(egui::vec2(12.0, 12.0), egui::Sense::hover());
                            painter.circle_filled(r.rect.center(), 5.0, mood_color(p.mood as f32));
                            ui.label(format!("{} — {}", p.name, p.role));
                        });
                        ui.label(muted(format!(
                            "   {} {:+} · {} {}",
                            tr.t("play.mood"),
                            p.mood,
                            tr.t("play.trust"),
                            p.trust
                        )));
                    }
                    ui.add_space(6.0);
                    ui.label(RichText::new(tr.t("play.facts")).strong());
                    if vm.facts.is_empty() {
                        ui.label(muted(tr.t("play.no_facts")));
                    }
                    for (time, f) in &vm.facts {
                        ui.label(format!(
                            "• {}{f}",
                            time.as_ref().map_or(String::new(), |t| format!("[{t}] "))
                        ));
                    }
                });
            ui.separator();
            ui.label(RichText::new(tr.t("play.notes")).strong());
            let r = ui.add(
                egui::TextEdit::multiline(&mut vm.notes)
                    .desired_rows(5)
                    .desired_width(f32::INFINITY)
                    .hint_text(tr.t("play.notes_hint")),
            );
            if r.lost_focus() {
                action = Some(Action::SaveNotes(vm.notes.clone()));
            }
        });
    egui::Panel::bottom("narrative")
        .default_size(ui.available_height() * 0.62)
        .resizable(true)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("narrative-scroll")
                .stick_to_bottom(true)
                .show(ui, |ui| {
                    ui.horizontal(|ui| {
                        ui.heading(&vm.title);
                        if vm.exam {
                            ui.label(muted(tr.t("mode.exam")));
                        }
                    });
                    for l in &vm.lines {
                        match &l.speaker {
                            Some((name, role)) => {
                                ui.horizontal_wrapped(|ui| {
                                    ui.label(RichText::new(format!("{name}:")).strong());
                                    ui.label(muted(format!("({role})")));
                                });
                                ui.label(&l.text);
                            }
                            None => {
                                ui.label(RichText::new(&l.text).italics());
                            }
                        }
                        ui.add_space(4.0);
                    }
                    if let Some(fb) = &vm.feedback {
                        feedback(ui, fb, tr);
                    }
                    ui.add_space(6.0);
                    if vm.finished {
                        if ui
                            .button(RichText::new(tr.t("play.to_debrief")).strong())
                            .clicked()
                            || ui.input(|i| i.key_pressed(Key::Enter))
                        {
                            action = Some(Action::Continue);
                        }
                        return;
                    }
                    if let Some(left) = vm.countdown {
                        let urgent = left < 10.0;
                        let text =
                            format!("⏱ {} {:.0} s", tr.t("play.time_left"), left.max(0.0).ceil());
                        ui.label(RichText::new(text).strong().color(if urgent {
                            colors::FAIL
                        } else {
                            colors::ACCENT
                        }));
                        if left <= 0.0 {
                            action = Some(Action::TimeOut);
                        }
                    }
                    for (i, o) in visible.iter().enumerate() {
                        let label = format!("{}. {}", i + 1, o.text);
                        if o.available {
                            if ui.add(egui::Button::new(&label).wrap()).clicked() {
                                action = Some(Action::Choose(o.position));
                            }
                        } else {
                            let reason = o
                                .locked_reason
                                .clone()
                                .unwrap_or_else(|| tr.t("play.locked").to_string());
                            ui.add_enabled(false, egui::Button::new(&label).wrap())
                                .on_disabled_hover_text(&reason);
                            ui.label(muted(format!("   🔒 {reason}")));
                        }
                    }
                    if vm.can_step_back && ui.button(tr.t("play.step_back")).clicked() {
                        action = Some(Action::StepBack);
                    }
                });
        });
    vm.scene = Some(ui.available_rect_before_wrap());
    action
}

fn feedback(ui: &mut Ui, fb: &FeedbackVm, tr: &Tr) {
    egui::Frame::group(ui.style())
        .fill(egui::Color32::from_rgb(0xf2, 0xf6, 0xfc))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            if fb.timed_out {
                ui.label(
                    RichText::new(tr.t("play.timed_out"))
                        .color(colors::FAIL)
                        .strong(),
                );
            }
            ui.label(
                RichText::new(format!(
                    "{}: {} ({})",
                    tr.t("play.feedback"),
                    fb.choice,
                    fb.points
                ))
                .strong(),
            );
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
        });
}
