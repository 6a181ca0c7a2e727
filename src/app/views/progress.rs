//! The trainee's history: each goal over time as a chart, and the attempts per scenario.

use egui::{Align2, FontId, RichText, Sense, Stroke, Ui, pos2, vec2};

use super::{Action, Tr, colors, muted, verdict};

/// A finished attempt as listed.
#[derive(Debug, Clone, PartialEq)]
pub struct AttemptRow {
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
    /// Per goal: its name and the scaled scores of the attempts that trained it, oldest first.
    pub series: Vec<(String, Vec<f64>)>,
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

fn chart(ui: &mut Ui, series: &[(String, Vec<f64>)]) {
    let w = ui.available_width().clamp(360.0, 820.0);
    let (resp, painter) = ui.allocate_painter(vec2(w, 220.0), Sense::hover());
    let r = resp.rect.shrink2(vec2(36.0, 14.0));
    painter.rect_stroke(
        r,
        0.0,
        Stroke::new(1.0, egui::Color32::from_gray(190)),
        egui::StrokeKind::Inside,
    );
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
            FontId::proportional(10.0),
            colors::MUTED,
        );
    }
    let n = series
        .iter()
        .map(|(_, v)| v.len())
        .max()
        .unwrap_or(0)
        .max(2);
    for (i, (_, values)) in series.iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
        let pts: Vec<egui::Pos2> = values
            .iter()
            .enumerate()
            .map(|(k, v)| {
                pos2(
                    r.left() + r.width() * k as f32 / (n - 1) as f32,
                    r.bottom() - r.height() * *v as f32,
                )
            })
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
        ui.label(RichText::new(tr.t("progress.per_goal")).strong());
        chart(ui, &vm.series);
        ui.horizontal_wrapped(|ui| {
            for (i, (name, values)) in vm.series.iter().enumerate() {
                let last = values.last().copied().unwrap_or(0.0);
                ui.label(
                    RichText::new(format!("■ {name} {:.0}%", last * 100.0))
                        .color(PALETTE[i % PALETTE.len()]),
                );
            }
        });
        ui.add_space(10.0);
        ui.label(RichText::new(tr.t("progress.attempts")).strong());
        egui::Grid::new("attempts")
            .striped(true)
            .num_columns(5)
            .show(ui, |ui| {
                for h in [
                    "progress.date",
                    "progress.case",
                    "progress.mode",
                    "progress.score",
                    "progress.result",
                ] {
                    ui.label(RichText::new(tr.t(h)).strong());
                }
                ui.end_row();
                for a in &vm.attempts {
                    ui.label(&a.date);
                    ui.label(&a.title);
                    ui.label(&a.mode);
                    ui.label(format!("{:.0}%", a.overall * 100.0));
                    ui.horizontal(|ui| {
                        ui.label(verdict(tr, a.passed));
                        if a.old_rules {
                            ui.label(muted(tr.t("verdict.scoring_v1")));
                        }
                    });
                    ui.end_row();
                }
            });
    });
    action
}
