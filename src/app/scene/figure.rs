//! A person as Bevy shapes: body, head, hair and a face whose brows, eyes and mouth follow the
//! mood over its whole range (−3 very upset … 3 at ease). Sizes are in units of the head's
//! radius; the figure's transform scales them to the scene.

use bevy::asset::RenderAssetUsages;
use bevy::mesh::{Indices, PrimitiveTopology};
use bevy::prelude::*;

use super::look::{Hair, Look, Rgb};
use crate::scenario::def::PersonKind;

/// A person present in the scene.
#[derive(Component, Debug)]
pub struct Figure {
    pub character: u32,
    pub kind: PersonKind,
    /// Mood and trust as shown now; they move towards the character's.
    pub mood: f32,
    pub trust: f32,
    /// 1 right after a change, fading to 0: drives a short nod.
    pub pulse: f32,
    /// Position among the people present, left to right.
    pub order: usize,
    /// Drawn on the phone (a handset at the ear).
    pub phone: bool,
}

/// The figure that is speaking.
#[derive(Component, Debug)]
pub struct Speaking;

/// Parts of a face that move with the mood.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub enum FacePart {
    /// Left (-1) or right (1) brow.
    Brow(i8),
    Eye,
    /// The mouth's line: its mesh is rebuilt as the mood moves.
    Mouth,
    /// An open mouth, shown while speaking.
    Open,
    Tear,
    Cheek,
    /// A soft light behind the head of whoever speaks.
    Halo,
}

/// The mouth mesh of a figure and the curve it was last built with.
#[derive(Component, Debug)]
pub struct MouthMesh {
    pub handle: Handle<Mesh>,
    pub curve: f32,
}

fn srgb(c: Rgb) -> Color {
    Color::srgb(c[0], c[1], c[2])
}

fn shade(c: Rgb, k: f32) -> Color {
    Color::srgb(c[0] * k, c[1] * k, c[2] * k)
}

/// A thick curved line for the mouth: `curve` > 0 smiles, < 0 frowns.
pub fn mouth_mesh(curve: f32) -> Mesh {
    let (n, half_w, thick) = (12, 0.36, 0.07);
    let mut pos = Vec::with_capacity(2 * (n + 1));
    for i in 0..=n {
        let u = i as f32 / n as f32 * 2.0 - 1.0;
        let y = curve * (u * u - 0.6);
        pos.push([u * half_w, y + thick / 2.0, 0.0]);
        pos.push([u * half_w, y - thick / 2.0, 0.0]);
    }
    let mut idx = Vec::with_capacity(6 * n);
    for i in 0..n as u32 {
        let a = 2 * i;
        idx.extend_from_slice(&[a, a + 1, a + 2, a + 1, a + 3, a + 2]);
    }
    Mesh::new(
        PrimitiveTopology::TriangleList,
        RenderAssetUsages::default(),
    )
    .with_inserted_attribute(Mesh::ATTRIBUTE_POSITION, pos)
    .with_inserted_indices(Indices::U32(idx))
}

/// The mouth's curve at mood `m`.
pub fn mouth_curve(m: f32) -> f32 {
    (m / 3.0) * 0.30
}

/// The shapes a figure is made of.
#[derive(Clone, Copy)]
enum Form {
    Rect,
    Oval,
}

/// Spawns the shapes of one figure as children of its entity.
struct Dresser<'a, 'w, 's> {
    parent: &'a mut ChildSpawnerCommands<'w>,
    meshes: &'a mut Assets<Mesh>,
    materials: &'a mut Assets<ColorMaterial>,
    _s: std::marker::PhantomData<&'s ()>,
}

impl Dresser<'_, '_, '_> {
    /// A shape of `form` centred at (x, y), `w` × `h` head radii, at depth `k` within the figure.
    fn put(&mut self, form: Form, color: Color, [x, y, k]: [f32; 3], [w, h]: [f32; 2]) {
        let mesh: Mesh = match form {
            Form::Rect => Rectangle::new(1.0, 1.0).into(),
            Form::Oval => Ellipse::new(1.0, 1.0).into(),
        };
        self.parent.spawn((
            Mesh2d(self.meshes.add(mesh)),
            MeshMaterial2d(self.materials.add(color)),
            Transform::from_xyz(x, y, k * 0.001).with_scale(Vec3::new(w, h, 1.0)),
        ));
    }

    /// A face part that moves with the mood (posed by [`pose`]).
    fn face(&mut self, part: FacePart, mesh: Mesh, color: Color, [x, y, k]: [f32; 3]) {
        self.parent.spawn((
            part,
            Mesh2d(self.meshes.add(mesh)),
            MeshMaterial2d(self.materials.add(color)),
            Transform::from_xyz(x, y, k * 0.001).with_scale(Vec3::ZERO),
        ));
    }
}

/// Spawns the parts of a figure as children of `parent`; returns the handle of its mouth mesh.
pub fn dress(
    parent: &mut ChildSpawnerCommands,
    look: &Look,
    kind: PersonKind,
    phone: bool,
    portrait: Option<Handle<Image>>,
    meshes: &mut Assets<Mesh>,
    materials: &mut Assets<ColorMaterial>,
) -> Handle<Mesh> {
    use Form::{Oval, Rect};
    let has_portrait = portrait.is_some();
    let (skin, hair, clothes) = (srgb(look.skin), srgb(look.hair), srgb(look.clothes));
    let mouth = meshes.add(mouth_mesh(0.0));
    let mut d = Dresser {
        parent,
        meshes,
        materials,
        _s: std::marker::PhantomData,
    };
    // Body: a baby is wrapped in a blanket; everyone else has a neck, shoulders and a torso.
    if kind == PersonKind::Baby {
        d.put(
            Oval,
            shade(look.clothes, 1.25),
            [0.0, -1.6, 1.0],
            [1.9, 1.4],
        );
    } else {
        let wide = if kind == PersonKind::Child { 1.35 } else { 1.6 };
        d.put(Rect, skin, [0.0, -1.0, 1.0], [0.55, 0.6]);
        d.put(Oval, clothes, [0.0, -1.75, 2.0], [wide, 0.65]);
        d.put(Rect, clothes, [0.0, -3.6, 2.0], [wide * 2.0, 3.8]);
        if kind == PersonKind::Professional {
            // An open jacket over a light shirt, and a badge on a lanyard.
            d.put(
                Rect,
                Color::srgb(0.93, 0.93, 0.95),
                [0.0, -3.0, 3.0],
                [0.55, 3.0],
            );
            d.put(
                Rect,
                Color::srgb(0.96, 0.96, 0.96),
                [0.55, -2.7, 4.0],
                [0.38, 0.5],
            );
            d.put(
                Rect,
                Color::srgb(0.25, 0.45, 0.75),
                [0.55, -2.55, 5.0],
                [0.38, 0.12],
            );
        }
        if kind == PersonKind::Teen {
            // A hood behind the neck.
            d.put(
                Oval,
                shade(look.clothes, 0.8),
                [0.0, -1.25, 1.5],
                [1.2, 0.4],
            );
        }
    }
    // Hair behind the head (a portrait brings its own).
    let style = if has_portrait {
        Hair::Bald
    } else {
        look.hair_style
    };
    match style {
        Hair::Long => {
            d.put(Rect, hair, [0.0, -0.45, 6.0], [2.2, 1.9]);
            d.put(Oval, hair, [0.0, 0.1, 6.0], [1.12, 1.12]);
        }
        Hair::Bun => d.put(Oval, hair, [0.0, 1.05, 6.0], [0.42, 0.42]),
        Hair::Curly => {
            let curls = [
                (-0.8, 0.5),
                (-0.45, 0.9),
                (0.0, 1.02),
                (0.45, 0.9),
                (0.8, 0.5),
            ];
            for (x, y) in curls.into_iter().chain([(-0.95, 0.0), (0.95, 0.0)]) {
                d.put(Oval, hair, [x, y, 6.0], [0.42, 0.42]);
            }
        }
        Hair::Short | Hair::Bald => {}
    }
    // Head, or the portrait in its place.
    match portrait {
        Some(image) => {
            d.parent.spawn((
                Sprite {
                    image,
                    custom_size: Some(Vec2::splat(2.3)),
                    ..default()
                },
                Transform::from_xyz(0.0, 0.0, 0.008),
            ));
        }
        None => {
            d.put(Oval, skin, [0.0, 0.0, 8.0], [0.95, 1.05]);
            d.put(Oval, skin, [-0.97, 0.0, 7.0], [0.17, 0.17]);
            d.put(Oval, skin, [0.97, 0.0, 7.0], [0.17, 0.17]);
        }
    }
    // Hair in front: a cap or a fringe.
    if style != Hair::Bald {
        let h = if kind == PersonKind::Baby { 0.25 } else { 0.42 };
        d.put(Oval, hair, [0.0, 0.78, 9.0], [0.92, h]);
    }
    let dark = Color::srgb(0.13, 0.12, 0.13);
    let oval = || -> Mesh { Ellipse::new(1.0, 1.0).into() };
    if !has_portrait {
        for side in [-1i8, 1] {
            let x = 0.36 * f32::from(side);
            d.face(FacePart::Eye, oval(), dark, [x, 0.12, 11.0]);
            d.face(
                FacePart::Brow(side),
                Rectangle::new(1.0, 1.0).into(),
                shade(look.hair, 0.8),
                [x, 0.42, 11.0],
            );
            d.face(
                FacePart::Tear,
                oval(),
                Color::srgba(0.45, 0.70, 0.95, 0.9),
                [x + 0.06, -0.12, 12.0],
            );
            d.face(
                FacePart::Cheek,
                oval(),
                Color::srgba(0.95, 0.45, 0.45, 0.35),
                [x * 1.55, -0.2, 10.0],
            );
            if look.glasses {
                d.parent.spawn((
                    Mesh2d(d.meshes.add(Annulus::new(0.22, 0.26))),
                    MeshMaterial2d(d.materials.add(dark)),
                    Transform::from_xyz(x, 0.12, 0.013),
                ));
            }
        }
        d.parent.spawn((
            FacePart::Mouth,
            Mesh2d(mouth.clone()),
            MeshMaterial2d(d.materials.add(dark)),
            Transform::from_xyz(0.0, -0.42, 0.011),
        ));
        d.face(
            FacePart::Open,
            oval(),
            Color::srgb(0.35, 0.12, 0.12),
            [0.0, -0.46, 12.0],
        );
    }
    d.face(
        FacePart::Halo,
        oval(),
        Color::srgba(1.0, 0.97, 0.80, 0.55),
        [0.0, 0.0, 0.0],
    );
    if phone {
        // A handset at the ear.
        d.parent.spawn((
            Mesh2d(d.meshes.add(Capsule2d::new(0.16, 0.9))),
            MeshMaterial2d(d.materials.add(Color::srgb(0.15, 0.15, 0.17))),
            Transform::from_xyz(-1.05, -0.05, 0.014),
        ));
    }
    mouth
}

/// Poses a face part for mood `m` (−3..3) at time `t` seconds: `speaking` marks whoever has
/// the word, `talking` moves their mouth while the line is being said.
pub fn pose(part: FacePart, m: f32, speaking: bool, talking: bool, t: f32, tf: &mut Transform) {
    let upset = (-m / 3.0).clamp(0.0, 1.0);
    let glad = (m / 3.0).clamp(0.0, 1.0);
    match part {
        FacePart::Brow(side) => {
            // Upset: the inner ends rise and the brows draw together; at ease they lift a little.
            let s = f32::from(side);
            tf.rotation = Quat::from_rotation_z(-s * 0.45 * upset + s * 0.08 * glad);
            tf.scale = Vec3::new(0.34, 0.075, 1.0);
            tf.translation.x = s * (0.36 - 0.05 * upset);
            tf.translation.y = 0.40 + 0.06 * glad - 0.02 * upset;
        }
        FacePart::Eye => {
            // Eyes narrow when very upset and when smiling broadly.
            let open = 0.13 * (1.0 - 0.35 * upset * upset - 0.35 * glad * glad);
            tf.scale = Vec3::new(0.1, open.max(0.04), 1.0);
        }
        FacePart::Open => {
            let k = if talking {
                0.5 + 0.5 * (t * 14.0).sin().abs()
            } else {
                0.0
            };
            tf.scale = Vec3::new(0.2 * k, 0.12 * k, 1.0);
        }
        FacePart::Tear => {
            let k = ((upset - 0.75) * 4.0).clamp(0.0, 1.0);
            tf.scale = Vec3::new(0.06 * k, 0.1 * k, 1.0);
        }
        FacePart::Cheek => {
            let k = ((glad - 0.5) * 2.0).clamp(0.0, 1.0);
            tf.scale = Vec3::splat(0.17 * k).with_z(1.0);
        }
        FacePart::Halo => {
            tf.scale = Vec3::new(1.55, 1.6, 1.0) * if speaking { 1.0 } else { 0.0 };
        }
        FacePart::Mouth => {}
    }
}
