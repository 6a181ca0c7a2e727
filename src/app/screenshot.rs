//! `casus app --screenshot FILE`: sets up a screen, renders it in a real window, saves a PNG and
//! exits. Tests and CI use it under Xvfb to see what a trainee sees.

use std::path::PathBuf;

use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured, save_to_disk};

use super::flow::{Clock, Core};
use super::views::{Action, ScreenId};
use crate::play::Mode;
use crate::records::Store;
use crate::score::expert_choice;

/// What to show before the picture is taken.
#[derive(Resource, Debug, Clone)]
pub struct ScreenshotPlan {
    pub path: PathBuf,
    pub screen: ScreenId,
    pub scenario: Option<String>,
    /// 1-based choices, choice ids, or `t` to let a time limit run out.
    pub choices: Vec<String>,
    pub mode: Mode,
    /// Frames rendered before the picture.
    pub frames: u32,
    /// Keep the scene's animations running instead of showing it settled.
    pub animate: bool,
}

#[derive(Resource, Default)]
struct Progress {
    frames: u32,
    requested: bool,
    saved: bool,
    /// Sum of frame times after the first few frames, for the frame-time figure.
    frame_secs: f64,
}

/// Applies an action and fails loudly in the log when it is refused.
fn act(core: &mut Core, a: Action, now: u64) {
    core.apply(a.clone(), now);
    if let Some(e) = &core.error {
        error!("screenshot set-up: {a:?} refused: {e}");
    }
}

fn prepare(mut core: ResMut<Core>, plan: Res<ScreenshotPlan>, clock: Res<Clock>) {
    let now = clock.now_ms();
    if plan.screen == ScreenId::Profiles {
        return;
    }
    let profile = core.store.profiles().first().map(|p| p.id.clone());
    match profile {
        Some(id) => act(&mut core, Action::SelectProfile(id), now),
        None => act(
            &mut core,
            Action::CreateProfile {
                name: "Demo".into(),
                skj: String::new(),
            },
            now,
        ),
    }
    let Some(id) = plan
        .scenario
        .clone()
        .or_else(|| core.library_vm.cards.first().map(|c| c.id.clone()))
    else {
        return;
    };
    if matches!(plan.screen, ScreenId::Library) {
        return;
    }
    if plan.screen == ScreenId::Author {
        act(&mut core, Action::Go(ScreenId::Author), now);
        let file = core
            .author_vm
            .files
            .iter()
            .find(|f| f.scenario.as_deref() == Some(id.as_str()))
            .map(|f| f.path.clone());
        if let Some(f) = file {
            act(&mut core, Action::AuthorSelect(f), now);
        }
        return;
    }
    act(
        &mut core,
        Action::Start {
            scenario: id,
            mode: plan.mode,
        },
        now,
    );
    for c in &plan.choices {
        // In practice the feedback on the previous choice is read first.
        if core
            .run
            .as_ref()
            .is_some_and(|r| r.reading_since_ms.is_some())
        {
            act(&mut core, Action::Continue, now);
        }
        match c.trim() {
            "t" => act(&mut core, Action::TimeOut, now + 3_600_000),
            n => match n.parse::<usize>() {
                Ok(k) if k >= 1 => act(&mut core, Action::Choose(k - 1), now),
                // A choice id: its place among the choices offered now.
                _ => match core.run.as_ref().and_then(|run| {
                    let sc = run.session.scenario();
                    let c = sc.choice_by_id(n)?;
                    sc.offered(run.session.node()).iter().position(|&o| o == c)
                }) {
                    Some(pos) => act(&mut core, Action::Choose(pos), now),
                    None => error!(
                        "screenshot set-up: choice `{n}` is not a number, `t` or a choice offered here"
                    ),
                },
            },
        }
    }
    if plan.screen == ScreenId::Play {
        return;
    }
    // Debrief and progress need a finished case: the expert plays the rest.
    while let Some(run) = &core.run {
        if run.reading_since_ms.is_some() && !run.session.is_finished() {
            act(&mut core, Action::Continue, now);
            continue;
        }
        if run.session.is_finished() {
            break;
        }
        let sc = run.session.scenario();
        let Some(c) = expert_choice(sc, run.session.state(), run.session.node()) else {
            break;
        };
        let pos = sc
            .offered(run.session.node())
            .iter()
            .position(|&o| o == c)
            .unwrap_or(0);
        act(&mut core, Action::Choose(pos), now);
    }
    act(&mut core, Action::Continue, now);
    if plan.screen == ScreenId::Progress {
        act(&mut core, Action::Go(ScreenId::Progress), now);
    }
}

fn capture(
    mut commands: Commands,
    plan: Res<ScreenshotPlan>,
    mut progress: ResMut<Progress>,
    time: Res<Time>,
    mut exit: MessageWriter<AppExit>,
) {
    progress.frames += 1;
    if progress.frames > 5 {
        progress.frame_secs += f64::from(time.delta_secs());
    }
    if progress.saved {
        let measured = progress.frames.saturating_sub(5).max(1);
        info!(
            "mean frame time {:.1} ms over {measured} frames",
            1000.0 * progress.frame_secs / f64::from(measured)
        );
        exit.write(AppExit::Success);
        return;
    }
    if progress.frames >= plan.frames && !progress.requested {
        progress.requested = true;
        commands
            .spawn(Screenshot::primary_window())
            .observe(save_to_disk(plan.path.clone()))
            .observe(|_: On<ScreenshotCaptured>, mut p: ResMut<Progress>| p.saved = true);
    }
    // Give up rather than hang when no frame can be captured.
    if progress.frames > plan.frames + 600 {
        error!("no screenshot could be captured");
        exit.write(AppExit::error());
    }
}

pub fn plugin(app: &mut App) {
    app.init_resource::<Progress>()
        .add_systems(Startup, prepare)
        .add_systems(Update, capture);
}
