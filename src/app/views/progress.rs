//! The trainee's history: each goal over the attempts as a chart — exams and practice apart, all
//! cases or one —, and every finished attempt, whose debrief can be opened again.

use egui::{Align2, FontId, RichText, Sense, Stroke, Ui, pos2, vec2};

use super::{Action, Tr, colors, muted, verdict};
use crate::play::Mode;

/// A finished attempt as listed.
#[derive(Debug, Clone, PartialEq)]
pub struct AttemptRow {
    pub id: String,
    pub date: String,
    pub title: String,
    pub mode: String,
    pub overall: f64,
    pub passed: bool,
    /// The result was made under the old scoring rules (version 1) and is kept as recorded.
    pub old_rules: bool,
}

#[derive(Debug, Clone, Default)]
pub struct ProgressVm {
    pub name: String,
    /// The attempts the chart shows: exams or practice runs, never mixed.
    pub mode: Mode,
    /// One case (id), or all.
    pub case: Option<String>,
    /// The cases with finished attempts: (id, title).
    pub cases: Vec<(String, String)>,
    /// Under each point of the chart, oldest first: the attempt's date.
    pub x_labels: Vec<String>,
    /// Per goal: its name and, per point of the chart, the score when that attempt trained it.
    pub series: Vec<(String, Vec<Option<f64>>)>,
    /// Every finished attempt, newest first.
    pub attempts: Vec<AttemptRow>,
}

const PALETTE: [egui::Color32; 10] = [
    egui::Color32::from_rgb(0x1f, 0x77, 0xb4),
    egui::Color32::from_rgb(0xd6, 0x27, 0x28),
    egui::Color32::from_rgb(0x2c, 0xa0, 0x2c),
    egui::Color32::from_rgb(0xff, 0x7f, 0x0e),
    egui::Color32::from_rgb(0x94, 0x67, 0xbd),
    egui::Color32::from_rgb(0x8c, 0x56, 0x4b),
    egui::Color32::from_rgb(0xe3, 0x77, 0xc2),
    egui::Color32::from_rgb(0x7f, 0x7f, 0x7f),
    egui::Color32::from_rgb(0xbc, 0xbd, 0x22),
    egui::Color32::from_rgb(0x17, 0xbe, 0xcf),
];

fn chart(ui: &mut Ui, vm: &ProgressVm, tr: &Tr) {
    let w = ui.available_width().clamp(360.0, 900.0);
    let (resp, painter) = ui.allocate_painter(vec2(w, 240.0), Sense::hover());
    let r = resp.rect.shrink2(vec2(40.0, 16.0));
    let r = egui::Rect::from_min_max(r.min, pos2(r.max.x, r.max.y - 22.0));
    painter.rect_stroke(
        r,
        0.0,
        Stroke::new(1.0, egui::Color32::from_gray(190)),
        egui::StrokeKind::Inside,
    );
    let small = FontId::proportional(11.0);
    for k in 0..=4 {
        let y = r.bottom() - r.height() * k as f32 / 4.0;
        painter.line_segment(
            [pos2(r.left(), y), pos2(r.right(), y)],
            Stroke::new(0.5, egui::Color32::from_gray(220)),
        );
        painter.text(
            pos2(r.left() - 4.0, y),
            Align2::RIGHT_CENTER,
            format!("{}%", k * 25),
            small.clone(),
            colors::MUTED,
        );
    }
    let n = vm.x_labels.len();
    let x_of = |k: usize| {
        if n <= 1 {
            r.center().x
        } else {
            r.left() + r.width() * k as f32 / (n - 1) as f32
        }
    };
    // The x axis: one mark per attempt, labelled with its number and date.
    let every = n.div_ceil(8).max(1);
    for (k, label) in vm.x_labels.iter().enumerate() {
        if k % every == 0 || k + 1 == n {
            painter.text(
                pos2(x_of(k), r.bottom() + 4.0),
                Align2::CENTER_TOP,
                format!("{} · {label}", k + 1),
                small.clone(),
                colors::MUTED,
            );
        }
    }
    painter.text(
        pos2(r.right(), r.bottom() + 20.0),
        Align2::RIGHT_TOP,
        tr.t("progress.x_axis"),
        small,
        colors::MUTED,
    );
    for (i, (_, values)) in vm.series.iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
        let pts: Vec<egui::Pos2> = values
            .iter()
            .enumerate()
            .filter_map(|(k, v)| v.map(|v| pos2(x_of(k), r.bottom() - r.height() * v as f32)))
            .collect();
        for w in pts.windows(2) {
            painter.line_segment([w[0], w[1]], Stroke::new(2.0, color));
        }
        for p in &pts {
            painter.circle_filled(*p, 3.0, color);
        }
    }
}

pub fn progress(ui: &mut Ui, vm: &mut ProgressVm, tr: &Tr) -> Option<Action> {
    let mut action = None;
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.heading(format!("{} — {}", tr.t("progress.title"), vm.name));
        if vm.attempts.is_empty() {
            ui.label(muted(tr.t("progress.none")));
            if ui.button(tr.t("debrief.to_library")).clicked() {
                action = Some(Action::Go(super::ScreenId::Library));
            }
            return;
        }
        ui.horizontal_wrapped(|ui| {
            let mut mode = vm.mode;
            let mut case = vm.case.clone();
            ui.selectable_value(&mut mode, Mode::Exam, tr.t("progress.exams"));
            ui.selectable_value(&mut mode, Mode::Practice, tr.t("progress.practice"));
            ui.separator();
            ui.label(tr.t("progress.case_filter"));
            let current = case
                .as_ref()
                .and_then(|c| vm.cases.iter().find(|(id, _)| id == c))
                .map_or(tr.t("library.all").to_string(), |(_, t)| t.clone());
            egui::ComboBox::from_id_salt("progress-case")
                .selected_text(current)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut case, None, tr.t("library.all"));
                    for (id, title) in &vm.cases {
                        ui.selectable_value(&mut case, Some(id.clone()), title);
                    }
                });
            if mode != vm.mode || case != vm.case {
                action = Some(Action::ProgressFilter { mode, case });
            }
        });
        ui.label(RichText::new(tr.t("progress.per_goal")).strong());
        if vm.x_labels.is_empty() {
            ui.label(muted(tr.t("progress.none_here")));
        } else {
            chart(ui, vm, tr);
        }
        ui.horizontal_wrapped(|ui| {
            for (i, (name, values)) in vm.series.iter().enumerate() {
                let Some(last) = values.iter().rev().find_map(|v| *v) else {
                    continue;
                };
                ui.label(
                    RichText::new(format!("■ {name} {}", crate::i18n::percent(last)))
                        .color(PALETTE[i % PALETTE.len()]),
                );
            }
        });
        ui.add_space(10.0);
        ui.label(RichText::new(tr.t("progress.attempts")).strong());
        egui::Grid::new("attempts")
            .striped(true)
            .num_columns(6)
            .show(ui, |ui| {
                for h in [
                    "progress.date",
                    "progress.case",
                    "progress.mode",
                    "progress.score",
                    "progress.result",
                    "progress.debrief",
                ] {
                    ui.label(RichText::new(tr.t(h)).strong());
                }
                ui.end_row();
                for a in &vm.attempts {
                    ui.label(&a.date);
                    ui.label(&a.title);
                    ui.label(&a.mode);
                    ui.label(crate::i18n::percent(a.overall));
                    ui.horizontal(|ui| {
                        ui.label(verdict(tr, a.passed));
                        if a.old_rules {
                            ui.label(muted(tr.t("verdict.scoring_v1")));
                        }
                    });
                    if ui.button(tr.t("progress.open")).clicked() {
                        action = Some(Action::OpenDebrief(a.id.clone()));
                    }
                    ui.end_row();
                }
            });
    });
    action
}
