//! The scenario library: cards with kind, study time, goals and best result; filters; mode.

use egui::{RichText, Ui};

use super::{Action, Tr, colors, kind_label, muted, verdict};
use crate::play::Mode;
use crate::scenario::def::CaseKind;

/// One scenario as a card.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub kind: CaseKind,
    pub minutes: u32,
    /// (goal id, goal name in the interface language).
    pub goals: Vec<(String, String)>,
    /// Best overall score so far and whether it passed.
    pub best: Option<(f64, bool)>,
    /// An attempt of this trainee still in progress: (mode, decisions made). Start resumes it.
    pub in_progress: Option<(Mode, usize)>,
    /// The folder of a case that does not ship with Casus (the organisation's own).
    pub origin: Option<String>,
}

#[derive(Debug, Clone)]
pub struct LibraryVm {
    pub cards: Vec<Card>,
    pub kind: Option<CaseKind>,
    pub goal: Option<String>,
    /// Every goal (id, name) for the filter.
    pub all_goals: Vec<(String, String)>,
    pub mode: Mode,
    /// Files with errors: (file, rendered diagnostics).
    pub broken: Vec<(String, String)>,
    /// The cases are still being read and checked: more will appear.
    pub loading: bool,
}

impl Default for LibraryVm {
    fn default() -> Self {
        LibraryVm {
            cards: Vec::new(),
            kind: None,
            goal: None,
            all_goals: Vec::new(),
            mode: Mode::Practice,
            broken: Vec::new(),
            loading: false,
        }
    }
}

impl LibraryVm {
    /// Cards that pass the filters.
    pub fn visible(&self) -> impl Iterator<Item = &Card> {
        self.cards.iter().filter(|c| {
            self.kind.is_none_or(|k| c.kind == k)
                && self
                    .goal
                    .as_ref()
                    .is_none_or(|g| c.goals.iter().any(|(id, _)| id == g))
        })
    }
}

pub fn library(ui: &mut Ui, vm: &mut LibraryVm, tr: &Tr) -> Option<Action> {
    let mut action = None;
    ui.horizontal(|ui| {
        ui.heading(tr.t("library.title"));
        // No spinner: it would keep the window drawing while the cases are being checked.
        if vm.loading {
            ui.label(super::muted(
                tr.fill("library.loading", &[("n", &vm.cards.len().to_string())]),
            ));
        }
    });
    ui.horizontal_wrapped(|ui| {
        ui.label(tr.t("library.kind"));
        ui.selectable_value(&mut vm.kind, None, tr.t("library.all"));
        for k in [CaseKind::Safety, CaseKind::Divorce, CaseKind::Crisis] {
            ui.selectable_value(&mut vm.kind, Some(k), kind_label(tr, k));
        }
        ui.separator();
        ui.label(tr.t("library.goal"));
        let current = vm
            .goal
            .as_ref()
            .and_then(|g| vm.all_goals.iter().find(|(id, _)| id == g))
            .map_or(tr.t("library.all").to_string(), |(_, n)| n.clone());
        egui::ComboBox::from_id_salt("goal-filter")
            .selected_text(current)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut vm.goal, None, tr.t("library.all"));
                for (id, name) in &vm.all_goals {
                    ui.selectable_value(&mut vm.goal, Some(id.clone()), name);
                }
            });
        ui.separator();
        ui.label(tr.t("library.mode"));
        ui.selectable_value(&mut vm.mode, Mode::Practice, tr.t("mode.practice"));
        ui.selectable_value(&mut vm.mode, Mode::Exam, tr.t("mode.exam"));
    });
    ui.label(muted(tr.t(if vm.mode == Mode::Practice {
        "mode.practice.help"
    } else {
        "mode.exam.help"
    })));
    ui.add_space(6.0);
    let mode = vm.mode;
    egui::ScrollArea::vertical().show(ui, |ui| {
        for card in vm.visible() {
            ui.group(|ui| {
                ui.set_width(ui.available_width());
                ui.horizontal(|ui| {
                    ui.label(RichText::new(&card.title).heading().color(colors::ACCENT));
                    ui.label(muted(format!(
                        "{} · {} {}",
                        kind_label(tr, card.kind),
                        card.minutes,
                        tr.t("library.minutes")
                    )));
                    if let Some(folder) = &card.origin {
                        ui.label(muted(format!("· {}", tr.t("library.own_case"))))
                            .on_hover_text(folder);
                    }
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        let start = if card.in_progress.is_some() {
                            tr.t("library.resume")
                        } else {
                            tr.t("library.start")
                        };
                        if ui.button(RichText::new(start).strong()).clicked() {
                            action = Some(Action::Start {
                                scenario: card.id.clone(),
                                mode,
                            });
                        }
                        if let Some((m, n)) = card.in_progress {
                            let m = tr.t(if m == Mode::Exam {
                                "mode.exam"
                            } else {
                                "mode.practice"
                            });
                            ui.label(
                                RichText::new(tr.fill(
                                    if n == 1 {
                                        "library.in_progress_one"
                                    } else {
                                        "library.in_progress"
                                    },
                                    &[("mode", m), ("n", &n.to_string())],
                                ))
                                .color(colors::ACCENT),
                            );
                        }
                        match card.best {
                            Some((score, passed)) => {
                                ui.label(verdict(tr, passed));
                                ui.label(format!(
                                    "{} {}",
                                    tr.t("library.best"),
                                    crate::i18n::percent(score)
                                ));
                            }
                            None => {
                                ui.label(muted(tr.t("library.not_played")));
                            }
                        }
                    });
                });
                ui.label(&card.summary);
                let goals: Vec<&str> = card.goals.iter().map(|(_, n)| n.as_str()).collect();
                ui.label(muted(format!(
                    "{}: {}",
                    tr.t("library.goals"),
                    goals.join(" · ")
                )));
            });
        }
        if !vm.broken.is_empty() {
            ui.add_space(8.0);
            ui.label(
                RichText::new(tr.t("library.broken"))
                    .color(colors::FAIL)
                    .strong(),
            );
            for (file, text) in &vm.broken {
                ui.collapsing(file, |ui| {
                    ui.label(RichText::new(text).monospace());
                });
            }
        }
    });
    action
}
