//! The debrief: the ending, the verdict with each of its grounds, what the ending says about this
//! run, the score per goal against its floor, the decision timeline next to the expert's, errors
//! that cost points, and the reflection.

use egui::{Align2, FontId, RichText, Sense, Stroke, Ui, vec2};

use super::{Action, Tr, colors, muted, verdict};

/// One goal's bar.
#[derive(Debug, Clone, PartialEq)]
pub struct GoalBar {
    pub name: String,
    pub scaled: f64,
    pub threshold: Option<f64>,
}

/// One decision in the timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct StepVm {
    pub time: Option<String>,
    pub made: String,
    pub points: String,
    pub rationale: String,
    pub source: String,
    pub timed_out: bool,
    /// The expert's choice where it differs: (text, rationale, source, why it was closed).
    pub expert: Option<(String, String, String, Option<String>)>,
}

#[derive(Debug, Clone, Default)]
pub struct DebriefVm {
    pub title: String,
    pub ending: String,
    pub outcome: String,
    pub ending_text: String,
    pub passed: bool,
    pub overall: f64,
    pub pass_mark: f64,
    /// The grounds of the verdict in the interface language: (held, text), what failed first.
    pub reasons: Vec<(bool, String)>,
    pub goals: Vec<GoalBar>,
    pub steps: Vec<StepVm>,
    /// Errors that cost points without failing the run (broken non-critical must-avoid rules);
    /// missed must-dos and critical errors are among the reasons.
    pub missed: Vec<String>,
    pub questions: Vec<String>,
    pub reflection: String,
    pub saved: bool,
}

/// Bars per goal with each goal's threshold and the overall pass mark.
pub fn goal_chart(ui: &mut Ui, goals: &[GoalBar], pass_mark: f64, tr: &Tr) {
    let row = 22.0;
    let font = FontId::proportional(13.0);
    let width = ui.available_width().clamp(360.0, 900.0);
    // The label column fits the longest goal name (up to half the chart).
    let longest = goals
        .iter()
        .map(|g| {
            ui.painter()
                .layout_no_wrap(g.name.clone(), font.clone(), egui::Color32::BLACK)
                .size()
                .x
        })
        .fold(0.0f32, f32::max);
    let label_w = (longest + 12.0).clamp(120.0, width * 0.5);
    let (resp, painter) =
        ui.allocate_painter(vec2(width, row * goals.len() as f32 + 32.0), Sense::hover());
    let r = resp.rect;
    let bar_x = r.left() + label_w;
    let bar_w = (r.width() - label_w - 50.0).max(50.0);
    for (i, g) in goals.iter().enumerate() {
        let y = r.top() + row * i as f32 + row / 2.0;
        painter.text(
            egui::pos2(r.left(), y),
            Align2::LEFT_CENTER,
            &g.name,
            font.clone(),
            ui.visuals().text_color(),
        );
        let full = egui::Rect::from_min_size(egui::pos2(bar_x, y - 7.0), vec2(bar_w, 14.0));
        painter.rect_filled(full, 2.0, egui::Color32::from_gray(225));
        let met = g.threshold.is_none_or(|t| g.scaled + 1e-9 >= t);
        let fill = if met { colors::BAR } else { colors::FAIL };
        painter.rect_filled(
            egui::Rect::from_min_size(full.min, vec2(bar_w * g.scaled as f32, 14.0)),
            2.0,
            fill,
        );
        if let Some(t) = g.threshold {
            let x = bar_x + bar_w * t as f32;
            painter.line_segment(
                [egui::pos2(x, y - 10.0), egui::pos2(x, y + 10.0)],
                Stroke::new(2.0, egui::Color32::BLACK),
            );
        }
        painter.text(
            egui::pos2(bar_x + bar_w + 6.0, y),
            Align2::LEFT_CENTER,
            crate::i18n::percent(g.scaled),
            font.clone(),
            ui.visuals().text_color(),
        );
    }
    let y = r.top() + row * goals.len() as f32 + 12.0;
    let x = bar_x + bar_w * pass_mark as f32;
    painter.line_segment(
        [egui::pos2(x, r.top()), egui::pos2(x, y)],
        Stroke::new(1.0, colors::MUTED),
    );
    painter.text(
        egui::pos2(x, y + 2.0),
        Align2::CENTER_TOP,
        tr.t("debrief.pass_line"),
        FontId::proportional(11.0),
        colors::MUTED,
    );
}

pub fn debrief(ui: &mut Ui, vm: &mut DebriefVm, tr: &Tr) -> Option<Action> {
    let mut action = None;
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.heading(format!("{} — {}", tr.t("debrief.title"), vm.title));
        ui.horizontal(|ui| {
            ui.label(RichText::new(&vm.ending).strong().size(18.0));
            ui.label(muted(format!("({})", vm.outcome)));
        });
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.label(verdict(tr, vm.passed).size(20.0));
            ui.label(format!(
                "{} {} ({} {})",
                tr.t("debrief.overall"),
                crate::i18n::percent(vm.overall),
                tr.t("debrief.pass_mark"),
                crate::i18n::percent(vm.pass_mark)
            ));
        });
        for (held, text) in &vm.reasons {
            ui.horizontal_wrapped(|ui| {
                let (mark, color) = if *held {
                    ("✔", colors::PASS)
                } else {
                    ("✖", colors::FAIL)
                };
                ui.label(RichText::new(mark).color(color).strong());
                if *held {
                    ui.label(muted(text));
                } else {
                    ui.label(RichText::new(text).color(colors::FAIL));
                }
            });
        }
        // The verdict first, then what the ending says about this run.
        ui.add_space(8.0);
        ui.label(&vm.ending_text);
        ui.add_space(8.0);
        ui.label(RichText::new(tr.t("debrief.per_goal")).strong());
        goal_chart(ui, &vm.goals, vm.pass_mark, tr);
        if !vm.missed.is_empty() {
            ui.add_space(8.0);
            ui.label(
                RichText::new(tr.t("debrief.missed"))
                    .strong()
                    .color(colors::FAIL),
            );
            for m in &vm.missed {
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new("✖").color(colors::FAIL));
                    ui.label(m);
                });
            }
        }
        ui.add_space(8.0);
        ui.label(RichText::new(tr.t("debrief.timeline")).strong());
        for (i, s) in vm.steps.iter().enumerate() {
            ui.group(|ui| {
                ui.set_width(ui.available_width());
                ui.label(
                    RichText::new(format!(
                        "{}. [{}] {} ({})",
                        i + 1,
                        s.time.as_deref().unwrap_or("–"),
                        s.made,
                        s.points
                    ))
                    .strong(),
                );
                if s.timed_out {
                    ui.label(RichText::new(tr.t("play.timed_out")).color(colors::FAIL));
                }
                ui.label(&s.rationale);
                ui.label(muted(format!("{}: {}", tr.t("play.source"), s.source)));
                if let Some((text, why, source, closed)) = &s.expert {
                    let head = match closed {
                        None => tr.t("debrief.expert").to_string(),
                        Some(c) => format!("{} ({c})", tr.t("debrief.expert_closed")),
                    };
                    ui.label(RichText::new(format!("{head}: {text}")).color(colors::PASS));
                    ui.label(muted(format!("{why} — {source}")));
                }
            });
        }
        ui.add_space(8.0);
        ui.label(RichText::new(tr.t("debrief.reflection")).strong());
        for q in &vm.questions {
            ui.label(format!("? {q}"));
        }
        ui.add(
            egui::TextEdit::multiline(&mut vm.reflection)
                .desired_rows(5)
                .desired_width(f32::INFINITY)
                .hint_text(tr.t("debrief.reflection_hint")),
        );
        ui.horizontal(|ui| {
            if ui.button(tr.t("debrief.save")).clicked() {
                action = Some(Action::SaveReflection(vm.reflection.clone()));
            }
            if vm.saved {
                ui.label(muted(tr.t("debrief.saved")));
            }
            if ui
                .button(tr.t("debrief.save_page"))
                .on_hover_text(tr.t("debrief.save_page_hint"))
                .clicked()
            {
                action = Some(Action::SaveDebrief);
            }
            if ui.button(tr.t("debrief.to_progress")).clicked() {
                action = Some(Action::Go(super::ScreenId::Progress));
            }
            if ui.button(tr.t("debrief.to_library")).clicked() {
                action = Some(Action::Go(super::ScreenId::Library));
            }
        });
    });
    action
}
