//! Choose or create a trainee profile; resume an unfinished attempt.

use egui::Ui;

use super::{Action, Tr, muted};

/// A profile as listed.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileRow {
    pub id: String,
    pub name: String,
    pub skj: Option<String>,
    /// An unfinished attempt: (attempt id, scenario title).
    pub unfinished: Option<(String, String)>,
}

#[derive(Debug, Clone, Default)]
pub struct ProfilesVm {
    pub rows: Vec<ProfileRow>,
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
    for row in &vm.rows {
        ui.group(|ui| {
            ui.horizontal(|ui| {
                let who = match &row.skj {
                    Some(skj) => format!("{}  (SKJ {skj})", row.name),
                    None => row.name.clone(),
                };
                if ui.button(format!("{}  >", who)).clicked() {
                    action = Some(Action::SelectProfile(row.id.clone()));
                }
                if let Some((attempt, title)) = &row.unfinished
                    && ui
                        .button(format!("{} {title}", tr.t("profiles.resume")))
                        .clicked()
                {
                    action = Some(Action::Resume(attempt.clone()));
                }
                if let Some((attempt, _)) = &row.unfinished
                    && ui
                        .button(tr.t("profiles.abandon"))
                        .on_hover_text(tr.t("profiles.abandon_hint"))
                        .clicked()
                {
                    action = Some(Action::Abandon(attempt.clone()));
                }
            });
        });
    }
    ui.add_space(12.0);
    ui.label(egui::RichText::new(tr.t("profiles.new")).strong());
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
