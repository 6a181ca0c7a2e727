//! Draws the current screen with egui every frame the window updates, and turns what the views
//! report into [`UiAction`]s.

use bevy::prelude::*;
use bevy::window::RequestRedraw;
use bevy_egui::{
    EguiContexts, EguiInput, EguiInputSet, EguiPreUpdateSet, EguiPrimaryContextPass, egui,
};

use super::flow::{Clock, Core, UiAction};
use super::views::{self, ScreenId};
use crate::records::Store;

/// Interface state that lives between frames: text being typed, where the scene goes.
#[derive(Resource, Default)]
pub struct UiState {
    pub notes: String,
    /// The free area of the play screen, in logical pixels.
    pub scene_rect: Option<egui::Rect>,
    /// The trainee asked to see the line being said whole.
    pub show_whole: bool,
    /// Attempt whose notes are in `notes`.
    notes_for: Option<String>,
    themed: bool,
}

// A Bevy system receives its data as parameters.
#[allow(clippy::too_many_arguments)]
fn draw(
    mut contexts: EguiContexts,
    mut core: ResMut<Core>,
    mut ui_state: ResMut<UiState>,
    clock: Res<Clock>,
    talk: Res<super::scene::Talk>,
    mut out: MessageWriter<UiAction>,
    mut redraw: MessageWriter<RequestRedraw>,
    mut first: Local<bool>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    if !*first {
        *first = true;
        info!("first frame drawn {} ms after start", clock.now_ms());
    }
    if !ui_state.themed {
        // A light theme with dark text: readable contrast, and the colours the views use.
        ctx.set_theme(egui::Theme::Light);
        ui_state.themed = true;
    }
    let zoom = core.store.settings().font_size / 16.0;
    if (ctx.zoom_factor() - zoom).abs() > 0.01 {
        ctx.set_zoom_factor(zoom);
    }
    let mut root = egui::Ui::new(
        ctx.clone(),
        "casus-root".into(),
        egui::UiBuilder::new()
            .layer_id(egui::LayerId::background())
            .max_rect(ctx.viewport_rect()),
    );
    let tr = core.tr.clone();
    let chrome = views::chrome::ChromeVm {
        screen: core.screen,
        profile: core
            .profile
            .as_ref()
            .and_then(|p| core.store.profiles().iter().find(|x| &x.id == p))
            .map(|p| p.name.clone()),
        font_size: core.store.settings().font_size,
        trainer: core.trainer,
    };
    let mut action = None;
    egui::Panel::top("chrome").show(&mut root, |ui| {
        action = views::chrome::top_bar(ui, &chrome, &tr);
        if let Some(e) = &core.error {
            ui.colored_label(views::colors::FAIL, e);
        }
        if let Some(n) = &core.notice {
            ui.colored_label(views::colors::PASS, n);
        }
    });
    let screen = core.screen;
    let mut scene = None;
    let frame = egui::Frame::central_panel(&ctx.global_style());
    match screen {
        ScreenId::Play => {
            let now = clock.now_ms();
            let attempt = core.run.as_ref().map(|r| r.attempt.id.clone());
            if ui_state.notes_for != attempt {
                ui_state.notes = core
                    .run
                    .as_ref()
                    .map(|r| r.attempt.notes.clone())
                    .unwrap_or_default();
                ui_state.notes_for = attempt;
            }
            if let Some(mut vm) = core.play_vm(now, &ui_state.notes) {
                vm.stage.focus(talk.step(&vm.stage));
                vm.stage.balloon = talk.balloon(&vm.stage);
                if vm.countdown.is_some() && !vm.finished {
                    redraw.write(RequestRedraw);
                }
                let a = views::play::play(&mut root, &mut vm, &tr);
                action = action.or(a);
                ui_state.notes = vm.notes;
                ui_state.show_whole |= vm.show_whole;
                scene = vm.scene;
            }
        }
        _ => {
            let inner =
                egui::CentralPanel::default()
                    .frame(frame)
                    .show(&mut root, |ui| match screen {
                        ScreenId::Profiles => {
                            views::profiles::profiles(ui, &mut core.profiles_vm, &tr)
                        }
                        ScreenId::Library => views::library::library(ui, &mut core.library_vm, &tr),
                        ScreenId::Debrief => {
                            let mut vm = core.last_debrief.clone().unwrap_or_default();
                            vm.reflection = core.debrief_reflection.clone();
                            vm.saved = core.debrief_saved;
                            let a = views::debrief::debrief(ui, &mut vm, &tr);
                            core.debrief_reflection = vm.reflection;
                            a
                        }
                        ScreenId::Progress => {
                            let mut vm = core.progress_vm();
                            views::progress::progress(ui, &mut vm, &tr)
                        }
                        ScreenId::Author => views::author::author(ui, &mut core.author_vm, &tr),
                        ScreenId::Play => None,
                    });
            action = action.or(inner.inner);
        }
    }
    ui_state.scene_rect = scene;
    if let Some(a) = action {
        out.write(UiAction(a));
    }
    Ok(())
}

/// bevy_egui reports the keyboard modifiers as a change every frame; egui answers any input event
/// with another frame, so the app would never rest. Only real changes are passed on.
fn drop_repeated_modifiers(
    mut inputs: Query<&mut EguiInput>,
    mut last: Local<Option<egui::Modifiers>>,
) {
    for mut input in &mut inputs {
        let mut seen = None;
        input.events.retain(|e| match e {
            egui::Event::ModifiersChanged(m) => {
                let keep = *last != Some(*m);
                seen = Some(*m);
                keep
            }
            _ => true,
        });
        if seen.is_some() {
            *last = seen;
        }
    }
}

pub fn plugin(app: &mut App) {
    app.init_resource::<UiState>()
        .add_systems(EguiPrimaryContextPass, draw)
        .add_systems(
            PreUpdate,
            drop_repeated_modifiers
                .after(EguiInputSet::WriteEguiEvents)
                .before(EguiPreUpdateSet::BeginPass),
        );
}
