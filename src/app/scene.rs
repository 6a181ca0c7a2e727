//! The scene of the play screen, drawn by Bevy: every character of the case as a figure whose
//! colour and face follow their mood, animated when a choice moves it.

use bevy::prelude::*;
use bevy::window::{PrimaryWindow, RequestRedraw};

use super::flow::{Core, Screen};
use super::ui::UiState;
use super::views::mood_color;
use crate::records::Store;

/// A character's figure.
#[derive(Component)]
pub struct Figure {
    pub character: usize,
    /// The mood shown now; moves towards the character's mood.
    pub shown: f32,
    /// 1 right after a change, fading to 0: drives the pulse.
    pub pulse: f32,
}

/// The mouth of a figure (its width and height show the mood).
#[derive(Component)]
struct Mouth;

/// The backdrop behind the figures.
#[derive(Component)]
struct Backdrop;

fn setup_camera(mut commands: Commands) {
    commands.spawn((
        Camera2d,
        Camera {
            clear_color: ClearColorConfig::Custom(Color::srgb(0.93, 0.94, 0.96)),
            ..default()
        },
    ));
}

fn spawn_figures(
    mut commands: Commands,
    core: Res<Core>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<ColorMaterial>>,
) {
    let Some(run) = &core.run else { return };
    let sc = run.session.scenario();
    let st = run.session.state();
    commands.spawn((
        Backdrop,
        Mesh2d(meshes.add(Rectangle::new(1.0, 1.0))),
        MeshMaterial2d(materials.add(Color::srgb(0.86, 0.89, 0.93))),
        Transform::from_xyz(0.0, 0.0, -1.0),
        DespawnOnExit(Screen::Play),
    ));
    let body = meshes.add(Circle::new(1.0));
    let eye = meshes.add(Circle::new(0.09));
    let mouth = meshes.add(Rectangle::new(1.0, 1.0));
    let dark = materials.add(Color::srgb(0.12, 0.12, 0.14));
    for (i, c) in sc.characters.iter().enumerate() {
        let mood = st.moods[i] as f32;
        let c32 = mood_color(mood);
        commands
            .spawn((
                Figure {
                    character: i,
                    shown: mood,
                    pulse: 0.0,
                },
                Mesh2d(body.clone()),
                MeshMaterial2d(materials.add(Color::srgb_u8(c32.r(), c32.g(), c32.b()))),
                Transform::from_xyz(0.0, 0.0, 0.0).with_scale(Vec3::splat(30.0)),
                DespawnOnExit(Screen::Play),
                Name::new(c.name.clone()),
            ))
            .with_children(|f| {
                for x in [-0.32, 0.32] {
                    f.spawn((
                        Mesh2d(eye.clone()),
                        MeshMaterial2d(dark.clone()),
                        Transform::from_xyz(x, 0.22, 0.1),
                    ));
                }
                f.spawn((
                    Mouth,
                    Mesh2d(mouth.clone()),
                    MeshMaterial2d(dark.clone()),
                    Transform::from_xyz(0.0, -0.35, 0.1),
                ));
            });
    }
}

/// Places the figures in the free area of the play screen and animates their moods.
// A Bevy system receives its data as parameters; splitting it would only scatter one job.
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
fn animate(
    core: Res<Core>,
    ui: Res<UiState>,
    time: Res<Time>,
    window: Single<&Window, With<PrimaryWindow>>,
    mut figures: Query<(
        &mut Figure,
        &mut Transform,
        &MeshMaterial2d<ColorMaterial>,
        &Children,
    )>,
    mut mouths: Query<&mut Transform, (With<Mouth>, Without<Figure>)>,
    mut backdrop: Query<&mut Transform, (With<Backdrop>, Without<Figure>, Without<Mouth>)>,
    mut materials: ResMut<Assets<ColorMaterial>>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    let (Some(run), Some(rect)) = (&core.run, ui.scene_rect) else {
        return;
    };
    let moods = &run.session.state().moods;
    let zoom = core.store.settings().font_size / 16.0;
    let (w, h) = (window.width(), window.height());
    // egui's logical points × zoom = window logical pixels; world units = logical pixels, origin at the centre.
    let to_world = |p: bevy_egui::egui::Pos2| Vec2::new(p.x * zoom - w / 2.0, h / 2.0 - p.y * zoom);
    let (min, max) = (to_world(rect.left_top()), to_world(rect.right_bottom()));
    let (cx, cy) = ((min.x + max.x) / 2.0, (min.y + max.y) / 2.0);
    let (rw, rh) = ((max.x - min.x).abs(), (min.y - max.y).abs());
    if let Ok(mut t) = backdrop.single_mut() {
        *t = Transform::from_xyz(cx, cy, -1.0).with_scale(Vec3::new(rw, rh, 1.0));
    }
    let n = figures.iter().count().max(1) as f32;
    let radius = (rw / n / 3.0).min(rh / 3.0).clamp(6.0, 46.0);
    let dt = time.delta_secs().min(0.1);
    let mut moving = false;
    for (mut fig, mut t, mat, children) in &mut figures {
        let target = moods.get(fig.character).copied().unwrap_or(0) as f32;
        if (fig.shown - target).abs() > 0.01 {
            if (fig.shown - target).abs() > 0.5 && fig.pulse < 0.05 {
                fig.pulse = 1.0;
            }
            fig.shown += (target - fig.shown) * (dt * 3.0).min(1.0);
            moving = true;
        } else {
            fig.shown = target;
        }
        fig.pulse = (fig.pulse - dt * 1.2).max(0.0);
        moving |= fig.pulse > 0.0;
        let k = fig.character as f32;
        let x = min.x + rw * (k + 0.5) / n;
        let wobble = 1.0 + 0.18 * fig.pulse * (fig.pulse * 18.0).sin();
        *t = Transform::from_xyz(x, cy, 0.0).with_scale(Vec3::splat(radius * wobble));
        let c = mood_color(fig.shown);
        if let Some(mut m) = materials.get_mut(&mat.0) {
            m.color = Color::srgb_u8(c.r(), c.g(), c.b());
        }
        for child in children.iter() {
            if let Ok(mut mt) = mouths.get_mut(child) {
                // Happy: a wide, thin mouth set higher; upset: a narrow, open mouth set lower.
                let m = fig.shown / 3.0;
                mt.scale = Vec3::new(0.35 + 0.25 * m, 0.08 + 0.1 * (-m).max(0.0), 1.0);
                mt.translation.y = -0.38 + 0.05 * m;
            }
        }
    }
    if moving {
        redraw.write(RequestRedraw);
    }
}

pub fn plugin(app: &mut App) {
    app.add_systems(Startup, setup_camera)
        .add_systems(OnEnter(Screen::Play), spawn_figures)
        .add_systems(Update, animate.run_if(in_state(Screen::Play)));
}
