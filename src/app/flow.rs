//! The screen flow as Bevy sees it: the [`Screen`] state, the app's core as a resource, and the
//! system that applies the trainee's actions. Runs headless (no window, no rendering), so the
//! flow is tested with `MinimalPlugins`.

use std::time::Instant;

use bevy::prelude::*;

use super::controller::AppCore;
use super::views::{Action, ScreenId};

/// The screens, as a Bevy state (entities of a screen are scoped to it).
#[derive(States, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Screen {
    #[default]
    Profiles,
    Library,
    Play,
    Debrief,
    Progress,
    Author,
}

impl From<ScreenId> for Screen {
    fn from(s: ScreenId) -> Screen {
        match s {
            ScreenId::Profiles => Screen::Profiles,
            ScreenId::Library => Screen::Library,
            ScreenId::Play => Screen::Play,
            ScreenId::Debrief => Screen::Debrief,
            ScreenId::Progress => Screen::Progress,
            ScreenId::Author => Screen::Author,
        }
    }
}

/// The app's state and logic.
#[derive(Resource, Deref, DerefMut)]
pub struct Core(pub AppCore);

/// Milliseconds since the app started: the clock sessions read.
#[derive(Resource)]
pub struct Clock(pub Instant);

impl Clock {
    pub fn now_ms(&self) -> u64 {
        self.0.elapsed().as_millis() as u64
    }
}

/// An action from the interface (or a test, or the screenshot driver).
#[derive(Message, Debug, Clone)]
pub struct UiAction(pub Action);

fn apply_actions(mut actions: MessageReader<UiAction>, mut core: ResMut<Core>, clock: Res<Clock>) {
    for UiAction(a) in actions.read() {
        core.apply(a.clone(), clock.now_ms());
    }
}

fn sync_screen(core: Res<Core>, state: Res<State<Screen>>, mut next: ResMut<NextState<Screen>>) {
    let want = Screen::from(core.screen);
    if *state.get() != want {
        next.set(want);
    }
}

/// Adds the screen state, the action message and the systems that apply actions.
pub fn plugin(app: &mut App) {
    app.init_state::<Screen>()
        .add_message::<UiAction>()
        .insert_resource(Clock(Instant::now()))
        .add_systems(Update, (apply_actions, sync_screen).chain());
}
