//! The bar on top of every screen: where you are, language, text size.

use egui::Ui;

use super::{Action, ScreenId, Tr};

/// What the top bar shows.
#[derive(Debug, Clone, Default)]
pub struct ChromeVm {
    pub screen: ScreenId,
    /// The signed-in trainee, if any.
    pub profile: Option<String>,
    pub font_size: f32,
    /// A trainer's session: the Author screen is offered.
    pub trainer: bool,
}

pub fn top_bar(ui: &mut Ui, vm: &ChromeVm, tr: &Tr) -> Option<Action> {
    let mut action = None;
    ui.horizontal(|ui| {
        ui.heading("Casus");
        ui.separator();
        if vm.profile.is_some() {
            for (id, key) in [
                (ScreenId::Library, "screen.library"),
                (ScreenId::Progress, "screen.progress"),
            ] {
                if ui.selectable_label(vm.screen == id, tr.t(key)).clicked() {
                    action = Some(Action::Go(id));
                }
            }
            if vm.trainer
                && ui
                    .selectable_label(vm.screen == ScreenId::Author, tr.t("screen.author"))
                    .clicked()
            {
                action = Some(Action::Go(ScreenId::Author));
            }
            if ui.button(tr.t("screen.profiles")).clicked() {
                action = Some(Action::Go(ScreenId::Profiles));
            }
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.button("A+").on_hover_text(tr.t("font.bigger")).clicked() {
                action = Some(Action::FontSize((vm.font_size + 2.0).min(28.0)));
            }
            if ui
                .button("A−")
                .on_hover_text(tr.t("font.smaller"))
                .clicked()
            {
                action = Some(Action::FontSize((vm.font_size - 2.0).max(12.0)));
            }
            for lang in ["en", "nl"] {
                if ui
                    .selectable_label(tr.lang == lang, lang.to_uppercase())
                    .clicked()
                    && tr.lang != lang
                {
                    action = Some(Action::SetLanguage(lang.to_string()));
                }
            }
            if let Some(p) = &vm.profile {
                ui.label(super::muted(p.clone()));
            }
        });
    });
    action
}
