//! Choose or create a trainee profile; resume an unfinished attempt, or close it after saying so.

use egui::{RichText, Ui};

use super::{Action, Tr, colors, muted};

/// A profile as listed.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileRow {
    pub id: String,
    pub name: String,
    pub skj: Option<String>,
    /// Unfinished attempts, newest first (at most [`MAX_UNFINISHED`]).
    pub unfinished: Vec<Unfinished>,
    /// Unfinished attempts beyond those listed.
    pub more_unfinished: usize,
}

/// How many unfinished attempts a profile lists; closing one brings up the next.
pub const MAX_UNFINISHED: usize = 5;

/// An unfinished attempt offered for resuming or closing.
#[derive(Debug, Clone, PartialEq)]
pub struct Unfinished {
    pub attempt: String,
    pub title: String,
    /// Date started, `YYYY-MM-DD`.
    pub started: String,
    pub decisions: usize,
}

#[derive(Debug, Clone, Default)]
pub struct ProfilesVm {
    pub rows: Vec<ProfileRow>,
    /// The attempt whose closing waits for confirmation.
    pub confirm_abandon: Option<String>,
    pub new_name: String,
    pub new_skj: String,
    pub error: Option<String>,
}

pub fn profiles(ui: &mut Ui, vm: &mut ProfilesVm, tr: &Tr) -> Option<Action> {
    let mut action = None;
    ui.heading(tr.t("profiles.title"));
    ui.label(tr.t("profiles.intro"));
    ui.add_space(8.0);
    if vm.rows.is_empty() {
        ui.label(muted(tr.t("profiles.none")));
    }
    let (mut ask, mut cancel) = (None, false);
    for row in &vm.rows {
        ui.group(|ui| {
            let who = match &row.skj {
                Some(skj) => format!("{}  (SKJ {skj})", row.name),
                None => row.name.clone(),
            };
            if ui.button(format!("{}  >", who)).clicked() {
                action = Some(Action::SelectProfile(row.id.clone()));
            }
            for u in &row.unfinished {
                ui.horizontal(|ui| {
                    if ui
                        .button(format!("{} {}", tr.t("profiles.resume"), u.title))
                        .clicked()
                    {
                        action = Some(Action::Resume(u.attempt.clone()));
                    }
                    if vm.confirm_abandon.as_ref() == Some(&u.attempt) {
                        // Closing is asked for first; the buttons stay where they were.
                        ui.label(RichText::new(tr.t("profiles.abandon_sure")).color(colors::FAIL));
                        if ui.button(tr.t("profiles.abandon_yes")).clicked() {
                            action = Some(Action::Abandon(u.attempt.clone()));
                        }
                        if ui.button(tr.t("profiles.abandon_no")).clicked() {
                            cancel = true;
                        }
                    } else if ui
                        .button(tr.t("profiles.abandon"))
                        .on_hover_text(tr.t("profiles.abandon_hint"))
                        .clicked()
                    {
                        ask = Some(u.attempt.clone());
                    }
                    ui.label(muted(format!(
                        "{} {} · {} {}",
                        tr.t("profiles.started"),
                        u.started,
                        u.decisions,
                        tr.t(if u.decisions == 1 {
                            "profiles.decision"
                        } else {
                            "profiles.decisions"
                        })
                    )));
                });
            }
            if row.more_unfinished > 0 {
                let key = if row.more_unfinished == 1 {
                    "profiles.more_unfinished_one"
                } else {
                    "profiles.more_unfinished"
                };
                ui.label(muted(format!("+ {} {}", row.more_unfinished, tr.t(key))));
            }
        });
    }
    if let Some(a) = ask {
        vm.confirm_abandon = Some(a);
    }
    if cancel {
        vm.confirm_abandon = None;
    }
    ui.add_space(12.0);
    ui.label(RichText::new(tr.t("profiles.new")).strong());
    egui::Grid::new("new-profile")
        .num_columns(2)
        .show(ui, |ui| {
            ui.label(tr.t("profiles.name"));
            ui.text_edit_singleline(&mut vm.new_name);
            ui.end_row();
            ui.label(tr.t("profiles.skj"));
            ui.text_edit_singleline(&mut vm.new_skj);
            ui.end_row();
        });
    let ok = !vm.new_name.trim().is_empty();
    if ui
        .add_enabled(ok, egui::Button::new(tr.t("profiles.create")))
        .clicked()
    {
        action = Some(Action::CreateProfile {
            name: vm.new_name.trim().to_string(),
            skj: vm.new_skj.trim().to_string(),
        });
    }
    if let Some(e) = &vm.error {
        ui.colored_label(super::colors::FAIL, e);
    }
    action
}
