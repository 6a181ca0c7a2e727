//! The scene of the play screen, drawn by Bevy: the place where the case is now, and exactly the
//! people present, each drawn by age and role with a face that shows their mood. Whoever speaks
//! is lit and their mouth moves while the line is said; the balloon and the name tags are text,
//! drawn by egui over the same area ([`crate::app::views::scene`]). A change of place or of case
//! time fades the scene in anew; a change of mood or trust moves the face and the posture.
//!
//! [`sync`] makes the entities match the [`SceneVm`] (and needs no window, so tests run it
//! headless); [`place_backdrop`] and [`animate`] put them where the play view left room.

pub mod backdrop;
pub mod figure;
pub mod look;

use std::collections::HashMap;
use std::path::PathBuf;

use bevy::asset::RenderAssetUsages;
use bevy::image::{CompressedImageFormats, ImageSampler, ImageType};
use bevy::mesh::VertexAttributeValues;
use bevy::prelude::*;
use bevy::window::{PrimaryWindow, RequestRedraw};

use self::backdrop::{Form, Shape};
use self::figure::{FacePart, Figure, MouthMesh, Speaking};
use self::look::{Look, layout};
use super::flow::{Core, Screen};
use super::screenshot::ScreenshotPlan;
use super::ui::UiState;
use super::views::scene::{Balloon, SceneVm};
use crate::records::Store;

/// Characters said per second while a line appears in the balloon.
const CHARS_PER_SEC: f32 = 70.0;

/// Who is speaking and how much of their line is said: the lines of the part on screen are said
/// one after the other; the last stays.
#[derive(Resource, Debug, Default, Clone, PartialEq)]
pub struct Talk {
    part: Option<usize>,
    line: usize,
    chars: f32,
    hold: f32,
}

impl Talk {
    /// Moves on by `dt` seconds (or to the end, when `whole`); true while still talking.
    pub fn advance(&mut self, vm: &SceneVm, dt: f32, whole: bool) -> bool {
        if self.part != Some(vm.part) {
            *self = Talk {
                part: Some(vm.part),
                ..default()
            };
        }
        let Some(last) = vm.lines.len().checked_sub(1) else {
            return false;
        };
        if whole {
            self.line = last;
            self.chars = f32::MAX;
            return false;
        }
        self.line = self.line.min(last);
        let len = vm.lines[self.line].1.chars().count() as f32;
        if self.chars < len {
            self.chars += dt * CHARS_PER_SEC;
            return true;
        }
        if self.line < last {
            self.hold += dt;
            // Time to read the line before the next one starts.
            if self.hold > 0.8 + len / 60.0 {
                self.line += 1;
                self.chars = 0.0;
                self.hold = 0.0;
            }
            return true;
        }
        false
    }

    /// Which stage of the part to show: that of the line being said; once all is said, the
    /// last (the node where the trainee decides).
    pub fn step(&self, vm: &SceneVm) -> usize {
        let last = vm.stages.len().saturating_sub(1);
        if self.part != Some(vm.part) {
            return vm.lines.first().map_or(last, |l| l.2);
        }
        match vm.lines.get(self.line) {
            Some(l) if !self.said_all(vm) => l.2,
            _ => last,
        }
    }

    fn said_all(&self, vm: &SceneVm) -> bool {
        self.line + 1 >= vm.lines.len()
            && vm
                .lines
                .get(self.line)
                .is_none_or(|l| self.chars >= l.1.chars().count() as f32)
    }

    /// The balloon to show now.
    pub fn balloon(&self, vm: &SceneVm) -> Option<Balloon> {
        if self.part != Some(vm.part) {
            return None;
        }
        let (speaker, text, _) = vm.lines.get(self.line)?;
        let len = text.chars().count();
        let n = (self.chars.max(0.0) as usize).min(len);
        Some(Balloon {
            speaker: *speaker,
            text: text.chars().take(n).collect(),
            whole: n == len && self.line + 1 == vm.lines.len(),
        })
    }
}

/// What the scene shows now, at the stage the talk has reached, with its balloon.
pub fn scene_now(core: &Core, talk: &Talk) -> Option<SceneVm> {
    let mut vm = core.scene_vm()?;
    vm.focus(talk.step(&vm));
    vm.balloon = talk.balloon(&vm);
    Some(vm)
}

/// What the scene shows now: the place and the case time it was built for.
#[derive(Resource, Debug, Default)]
pub struct Staged {
    built: bool,
    place: Option<(u32, bool)>,
    time: Option<String>,
}

/// One shape of the place; where it goes is its share of the scene's area.
#[derive(Component, Debug)]
pub struct BackdropPart {
    pub rect: [f32; 4],
    pub front: bool,
    /// The place it belongs to (`None`: the plain wall before any place).
    pub place: Option<u32>,
}

/// The veil that fades out when the place or the case time changes.
#[derive(Component, Debug)]
struct Fade {
    alpha: f32,
}

/// Portraits read from disk, by path.
#[derive(Resource, Default)]
struct Portraits(HashMap<PathBuf, Option<Handle<Image>>>);

fn setup_camera(mut commands: Commands) {
    commands.spawn((
        Camera2d,
        Camera {
            clear_color: ClearColorConfig::Custom(Color::srgb(0.93, 0.94, 0.96)),
            ..default()
        },
    ));
}

fn reset(mut staged: ResMut<Staged>, mut talk: ResMut<Talk>) {
    *staged = Staged::default();
    *talk = Talk::default();
}

/// A picture is being taken of the scene at rest: no fading, every line said.
fn settled(plan: Option<&ScreenshotPlan>) -> bool {
    plan.is_some_and(|p| !p.animate)
}

/// Says the lines of the part on screen, one after the other.
fn talk(
    core: Res<Core>,
    mut ui: ResMut<UiState>,
    time: Res<Time>,
    plan: Option<Res<ScreenshotPlan>>,
    mut talk: ResMut<Talk>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    let Some(vm) = core.scene_vm() else { return };
    let whole = std::mem::take(&mut ui.show_whole) || settled(plan.as_deref());
    if talk.advance(&vm, time.delta_secs().min(0.1), whole) {
        redraw.write(RequestRedraw);
    }
}

fn gradient_rect(s: &Shape) -> Mesh {
    let mut mesh = Mesh::from(Rectangle::new(1.0, 1.0));
    let colors: Vec<[f32; 4]> = match mesh.attribute(Mesh::ATTRIBUTE_POSITION) {
        Some(VertexAttributeValues::Float32x3(pos)) => pos
            .iter()
            .map(|p| {
                let c = if p[1] > 0.0 { s.top } else { s.bottom };
                let lin = Color::srgb(c[0], c[1], c[2]).to_linear();
                [lin.red, lin.green, lin.blue, s.alpha]
            })
            .collect(),
        _ => Vec::new(),
    };
    mesh.insert_attribute(Mesh::ATTRIBUTE_COLOR, colors);
    mesh
}

/// Makes the entities match what the scene shows now: the place's shapes, exactly the people
/// present, and the speaker marked.
// A Bevy system receives its data as parameters; splitting it would only scatter one job.
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
fn sync(
    mut commands: Commands,
    core: Res<Core>,
    talk: Res<Talk>,
    mut staged: ResMut<Staged>,
    mut figures: Query<(Entity, &mut Figure, Has<Speaking>)>,
    parts: Query<Entity, With<BackdropPart>>,
    mut fades: Query<&mut Fade>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<ColorMaterial>>,
    mut images: Option<ResMut<Assets<Image>>>,
    mut portraits: Local<Portraits>,
) {
    let Some(vm) = scene_now(&core, &talk) else {
        return;
    };
    let key = vm.place.as_ref().map(|p| (p.index, p.night));
    let mut veil = None;
    if !staged.built || staged.place != key {
        for e in &parts {
            commands.entity(e).despawn();
        }
        let mut shapes = match &vm.place {
            Some(p) => backdrop::shapes(p.backdrop, p.night),
            None => backdrop::plain(),
        };
        if vm.place.as_ref().is_some_and(|p| p.phone) {
            shapes.push(backdrop::call_frame());
        }
        for s in shapes {
            let mesh = match s.form {
                Form::Rect if s.top != s.bottom => gradient_rect(&s),
                Form::Rect => Rectangle::new(1.0, 1.0).into(),
                Form::Ellipse => Ellipse::new(0.5, 0.5).into(),
            };
            let color = if s.top != s.bottom && s.form == Form::Rect {
                Color::WHITE
            } else {
                Color::srgba(s.top[0], s.top[1], s.top[2], s.alpha)
            };
            commands.spawn((
                BackdropPart {
                    rect: s.rect,
                    front: s.front,
                    place: vm.place.as_ref().map(|p| p.index),
                },
                Mesh2d(meshes.add(mesh)),
                MeshMaterial2d(materials.add(color)),
                Transform::from_scale(Vec3::ZERO),
                DespawnOnExit(Screen::Play),
            ));
        }
        if staged.built {
            veil = Some(1.0);
        } else {
            commands.spawn((
                Fade { alpha: 0.0 },
                Mesh2d(meshes.add(Rectangle::new(1.0, 1.0))),
                MeshMaterial2d(materials.add(Color::srgba(0.08, 0.10, 0.16, 0.0))),
                Transform::from_scale(Vec3::ZERO),
                DespawnOnExit(Screen::Play),
            ));
        }
        staged.place = key;
    }
    if staged.time != vm.time_label {
        if staged.built && veil.is_none() {
            veil = Some(0.6);
        }
        staged.time = vm.time_label.clone();
    }
    staged.built = true;
    if let Some(a) = veil {
        for mut f in &mut fades {
            f.alpha = a;
        }
    }

    let phone = vm.place.as_ref().is_some_and(|p| p.phone);
    let speaker = vm.balloon.as_ref().map(|b| b.speaker);
    let mut have = Vec::new();
    for (e, mut fig, speaking) in &mut figures {
        match vm.people.iter().position(|p| p.character == fig.character) {
            Some(order) if fig.phone == phone => {
                fig.order = order;
                have.push(fig.character);
                let want = speaker == Some(fig.character);
                if want && !speaking {
                    commands.entity(e).insert(Speaking);
                } else if !want && speaking {
                    commands.entity(e).remove::<Speaking>();
                }
            }
            _ => commands.entity(e).despawn(),
        }
    }
    for (order, p) in vm.people.iter().enumerate() {
        if have.contains(&p.character) {
            continue;
        }
        let portrait = p.portrait.as_ref().and_then(|path| {
            let images = images.as_deref_mut()?;
            portraits
                .0
                .entry(path.clone())
                .or_insert_with(|| load_portrait(path, images))
                .clone()
        });
        let look = Look::of(&p.id, p.kind, p.age);
        let mut mouth = None;
        let mut e = commands.spawn((
            Figure {
                character: p.character,
                kind: p.kind,
                mood: p.mood as f32,
                trust: p.trust as f32,
                pulse: 0.0,
                order,
                phone,
            },
            Transform::from_scale(Vec3::ZERO),
            Visibility::default(),
            DespawnOnExit(Screen::Play),
            Name::new(p.name.clone()),
        ));
        e.with_children(|c| {
            mouth = Some(figure::dress(
                c,
                &look,
                p.kind,
                phone,
                portrait,
                &mut meshes,
                &mut materials,
            ));
        });
        if let Some(handle) = mouth {
            e.insert(MouthMesh { handle, curve: 0.0 });
        }
        if speaker == Some(p.character) {
            e.insert(Speaking);
        }
    }
}

/// Reads a portrait image; `None` (and a warning) when it cannot be read.
fn load_portrait(path: &std::path::Path, images: &mut Assets<Image>) -> Option<Handle<Image>> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    let read = std::fs::read(path)
        .map_err(|e| e.to_string())
        .and_then(|bytes| {
            Image::from_buffer(
                &bytes,
                ImageType::Extension(&ext),
                CompressedImageFormats::NONE,
                true,
                ImageSampler::Default,
                RenderAssetUsages::default(),
            )
            .map_err(|e| e.to_string())
        });
    match read {
        Ok(img) => Some(images.add(img)),
        Err(e) => {
            warn!("portrait {} not shown: {e}", path.display());
            None
        }
    }
}

/// The scene's area in world units: its centre and its size.
fn area(core: &Core, ui: &UiState, window: &Window) -> Option<(Vec2, Vec2)> {
    let rect = ui.scene_rect?;
    let zoom = core.store.settings().font_size / 16.0;
    let (w, h) = (window.width(), window.height());
    // egui's logical points × zoom = window logical pixels; world units = logical pixels,
    // origin at the centre.
    let to_world = |p: bevy_egui::egui::Pos2| Vec2::new(p.x * zoom - w / 2.0, h / 2.0 - p.y * zoom);
    let (min, max) = (to_world(rect.left_top()), to_world(rect.right_bottom()));
    Some((
        (min + max) / 2.0,
        Vec2::new((max.x - min.x).abs(), (min.y - max.y).abs()),
    ))
}

/// Puts the place's shapes and the veil over the scene's area, and fades the veil.
// A Bevy system receives its data as parameters.
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
fn place_backdrop(
    core: Res<Core>,
    ui: Res<UiState>,
    time: Res<Time>,
    window: Single<&Window, With<PrimaryWindow>>,
    mut parts: Query<(&BackdropPart, &mut Transform), Without<Fade>>,
    mut fades: Query<(&mut Fade, &mut Transform, &MeshMaterial2d<ColorMaterial>)>,
    mut materials: ResMut<Assets<ColorMaterial>>,
    plan: Option<Res<ScreenshotPlan>>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    let Some((centre, size)) = area(&core, &ui, &window) else {
        return;
    };
    let top_left = Vec2::new(centre.x - size.x / 2.0, centre.y + size.y / 2.0);
    for (k, (p, mut tf)) in parts.iter_mut().enumerate() {
        let [l, t, r, b] = p.rect;
        // Shapes may reach past the area (a table's curve); the panels around hide the rest.
        let cx = top_left.x + (l + r) / 2.0 * size.x;
        let cy = top_left.y - (t + b) / 2.0 * size.y;
        let z = if p.front { 5.0 } else { -10.0 } + k as f32 * 0.001;
        *tf = Transform::from_xyz(cx, cy, z).with_scale(Vec3::new(
            (r - l) * size.x,
            (b - t) * size.y,
            1.0,
        ));
    }
    for (mut f, mut tf, mat) in &mut fades {
        *tf = Transform::from_xyz(centre.x, centre.y, 8.0).with_scale(size.extend(1.0));
        if settled(plan.as_deref()) {
            f.alpha = 0.0;
        }
        if f.alpha > 0.0 {
            f.alpha = (f.alpha - time.delta_secs().min(0.1) * 2.5).max(0.0);
            redraw.write(RequestRedraw);
        }
        if let Some(mut m) = materials.get_mut(&mat.0) {
            m.color.set_alpha(f.alpha);
        }
    }
}

/// Places the people in the scene's area and moves faces and postures towards the characters'
/// moods and trust.
// A Bevy system receives its data as parameters; splitting it would only scatter one job.
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
fn animate(
    core: Res<Core>,
    ui: Res<UiState>,
    time: Res<Time>,
    talk: Res<Talk>,
    window: Single<&Window, With<PrimaryWindow>>,
    plan: Option<Res<ScreenshotPlan>>,
    mut figures: Query<(
        &mut Figure,
        &mut Transform,
        &Children,
        Option<&mut MouthMesh>,
        Has<Speaking>,
    )>,
    mut parts: Query<(&FacePart, &mut Transform), Without<Figure>>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    let (Some(vm), Some((centre, size))) = (scene_now(&core, &talk), area(&core, &ui, &window))
    else {
        return;
    };
    let phone = vm.place.as_ref().is_some_and(|p| p.phone);
    let kinds: Vec<_> = vm.people.iter().map(|p| p.kind).collect();
    let slots = layout(&kinds, size.x, size.y, phone);
    let top_left = Vec2::new(centre.x - size.x / 2.0, centre.y + size.y / 2.0);
    let dt = time.delta_secs().min(0.1);
    let t = time.elapsed_secs();
    let talking = vm.balloon.as_ref().is_some_and(|b| !b.whole);
    let instant = settled(plan.as_deref());
    let mut moving = false;
    for (mut fig, mut tf, children, mouth, speaking) in &mut figures {
        let (Some(person), Some(slot)) = (vm.people.get(fig.order), slots.get(fig.order)) else {
            continue;
        };
        let (mood, trust) = (person.mood as f32, person.trust as f32);
        let far = (fig.mood - mood).abs().max((fig.trust - trust).abs());
        if far > 0.01 && !instant {
            if far > 0.5 && fig.pulse < 0.05 {
                fig.pulse = 1.0;
            }
            fig.mood += (mood - fig.mood) * (dt * 2.5).min(1.0);
            fig.trust += (trust - fig.trust) * (dt * 2.5).min(1.0);
            moving = true;
        } else {
            (fig.mood, fig.trust) = (mood, trust);
        }
        fig.pulse = (fig.pulse - dt * 1.2).max(0.0);
        moving |= fig.pulse > 0.0;
        // Trust shows in the posture: leaning in towards the middle, or away from it.
        let towards = (fig.trust - 2.5) / 2.5 * 0.07;
        let lean = if slot.x < 0.5 { -towards } else { towards };
        let nod = 0.12 * fig.pulse * (fig.pulse * 14.0).sin();
        let x = top_left.x + slot.x * size.x;
        let y = top_left.y - slot.head_y * size.y + nod * slot.head_r;
        *tf = Transform::from_xyz(x, y, 1.0 + fig.order as f32 * 0.1)
            .with_rotation(Quat::from_rotation_z(lean))
            .with_scale(Vec3::new(slot.head_r, slot.head_r, 1.0));
        if let Some(mut m) = mouth {
            let curve = figure::mouth_curve(fig.mood);
            if (m.curve - curve).abs() > 0.005 {
                m.curve = curve;
                let _ = meshes.insert(&m.handle, figure::mouth_mesh(curve));
            }
        }
        for child in children.iter() {
            if let Ok((part, mut ptf)) = parts.get_mut(child) {
                figure::pose(*part, fig.mood, speaking, speaking && talking, t, &mut ptf);
            }
        }
        moving |= speaking && talking;
    }
    if moving {
        redraw.write(RequestRedraw);
    }
}

/// The systems that keep the scene in step with the case, without drawing (for headless tests).
pub fn stage_plugin(app: &mut App) {
    app.add_message::<RequestRedraw>()
        .init_resource::<Talk>()
        .init_resource::<UiState>()
        .init_resource::<Staged>()
        .add_systems(OnExit(Screen::Play), reset)
        .add_systems(Update, (talk, sync).chain().run_if(in_state(Screen::Play)));
}

pub fn plugin(app: &mut App) {
    app.add_plugins(stage_plugin)
        .add_systems(Startup, setup_camera)
        .add_systems(
            Update,
            (place_backdrop, animate)
                .after(sync)
                .run_if(in_state(Screen::Play)),
        );
}
