//! What the scene shows, and the parts of it that are text: the place and the case time, a name
//! tag under each person, and the speech balloon of whoever speaks. The people and the place
//! themselves are drawn by Bevy ([`crate::app::scene`]) in the same area, from the same
//! [`SceneVm`] and the same layout.

use std::path::PathBuf;

use egui::{Align2, Color32, FontId, Pos2, Rect, Stroke, Ui, Vec2};

use super::{Tr, colors};
use crate::app::scene::look::{layout, short_role};
use crate::scenario::def::{Backdrop, PersonKind};

/// The place, as the scene shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceVm {
    pub index: u32,
    pub name: String,
    pub backdrop: Backdrop,
    pub night: bool,
    pub phone: bool,
}

/// A person present.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureVm {
    /// Index of the character in the scenario.
    pub character: u32,
    pub id: String,
    pub name: String,
    pub role: String,
    pub kind: PersonKind,
    pub age: Option<u32>,
    pub mood: i64,
    pub trust: i64,
    /// A portrait image on disk, when the scenario gives one.
    pub portrait: Option<PathBuf>,
}

/// Where the case is and who is there at one node of the part on screen.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StageVm {
    pub place: Option<PlaceVm>,
    pub people: Vec<FigureVm>,
    /// The case time in force at that node.
    pub time_label: Option<String>,
}

/// The scene at this moment of the case.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SceneVm {
    /// The place shown now.
    pub place: Option<PlaceVm>,
    pub time_label: Option<String>,
    /// Exactly the people present now, left to right.
    pub people: Vec<FigureVm>,
    /// The stage at each node of the part on screen, in order; the scene follows the talk
    /// through them (see [`SceneVm::focus`]).
    pub stages: Vec<StageVm>,
    /// What is said in the part on screen: by character index, with the index of its stage.
    pub lines: Vec<(u32, String, usize)>,
    /// Which part of the story is on screen (a new part starts the talking anew).
    pub part: usize,
    /// Set by the app: who speaks now and how much of the line is said so far.
    pub balloon: Option<Balloon>,
}

impl SceneVm {
    /// Shows the stage `step` of the part on screen.
    pub fn focus(&mut self, step: usize) {
        if let Some(s) = self.stages.get(step) {
            self.place = s.place.clone();
            self.people = s.people.clone();
            self.time_label = s.time_label.clone();
        }
    }
}

/// The speech balloon: the speaker, the text said so far, and whether the line is complete.
#[derive(Debug, Clone, PartialEq)]
pub struct Balloon {
    pub speaker: u32,
    pub text: String,
    pub whole: bool,
}

/// Draws the text parts of the scene over `rect`. Returns true when the trainee clicked the
/// balloon to see the line whole.
pub fn overlay(ui: &mut Ui, rect: Rect, vm: &SceneVm, tr: &Tr) -> bool {
    let painter = ui.painter_at(rect);
    let small = FontId::proportional(12.0);
    let pill = |text: &str, pos: Pos2, align: Align2, fill: Color32, color: Color32| {
        let galley = painter.layout_no_wrap(text.to_string(), small.clone(), color);
        let r = align.anchor_size(pos, galley.size() + Vec2::new(12.0, 6.0));
        painter.rect_filled(r, 6.0, fill);
        painter.galley(r.min + Vec2::new(6.0, 3.0), galley, color);
        r
    };
    let ink = Color32::from_rgb(0x20, 0x24, 0x2c);
    let paper = Color32::from_rgba_unmultiplied(255, 255, 255, 225);
    if let Some(p) = &vm.place {
        pill(
            &p.name,
            rect.left_top() + Vec2::new(6.0, 6.0),
            Align2::LEFT_TOP,
            paper,
            ink,
        );
    }
    if let Some(t) = &vm.time_label {
        pill(
            t,
            rect.right_top() + Vec2::new(-6.0, 6.0),
            Align2::RIGHT_TOP,
            colors::ACCENT,
            Color32::WHITE,
        );
    }
    let phone = vm.place.as_ref().is_some_and(|p| p.phone);
    let kinds: Vec<PersonKind> = vm.people.iter().map(|p| p.kind).collect();
    let slots = layout(&kinds, rect.width(), rect.height(), phone);
    if phone && !vm.people.is_empty() {
        let x = rect.left() + rect.width() * 0.58;
        pill(
            tr.t("scene.phone"),
            Pos2::new(x, rect.top() + 30.0),
            Align2::LEFT_TOP,
            Color32::from_rgb(0x2d, 0x6a, 0x4f),
            Color32::WHITE,
        );
    }
    let speaking = vm.balloon.as_ref().map(|b| b.speaker);
    for (p, s) in vm.people.iter().zip(&slots) {
        let x = rect.left() + rect.width() * s.x;
        let max_w = if s.width == 0.0 {
            120.0
        } else {
            (rect.width() * s.width - 4.0).max(20.0)
        };
        let name = elide(&painter, &p.name, FontId::proportional(12.5), max_w - 10.0);
        let role = elide(
            &painter,
            short_role(&p.role),
            FontId::proportional(10.5),
            max_w - 10.0,
        );
        let (fill, color) = if speaking == Some(p.character) {
            (colors::ACCENT, Color32::WHITE)
        } else {
            (paper, ink)
        };
        let g1 = painter.layout_no_wrap(name, FontId::proportional(12.5), color);
        let g2 = painter.layout_no_wrap(role, FontId::proportional(10.5), color);
        let size = Vec2::new(
            g1.size().x.max(g2.size().x) + 10.0,
            g1.size().y + g2.size().y + 4.0,
        );
        // A baby in someone's arms has its tag beside its head, clear of the carrier's tag.
        let r = if s.width == 0.0 {
            let at = Pos2::new(x + s.head_r * 1.1, rect.top() + rect.height() * s.head_y);
            Align2::LEFT_CENTER.anchor_size(at, size)
        } else {
            Align2::CENTER_BOTTOM.anchor_size(Pos2::new(x, rect.bottom() - 3.0), size)
        };
        let x = r.center().x;
        painter.rect_filled(r, 5.0, fill);
        let (w1, w2, h1) = (g1.size().x, g2.size().x, g1.size().y);
        painter.galley(Pos2::new(x - w1 / 2.0, r.top() + 2.0), g1, color);
        painter.galley(Pos2::new(x - w2 / 2.0, r.top() + 2.0 + h1), g2, color);
    }
    let mut clicked = false;
    if let Some(b) = &vm.balloon
        && let Some(i) = vm.people.iter().position(|p| p.character == b.speaker)
    {
        let s = slots[i];
        let head = Pos2::new(
            rect.left() + rect.width() * s.x,
            rect.top() + rect.height() * s.head_y,
        );
        let width = (rect.width() * 0.42).clamp(120.0, 440.0);
        let right = s.x < 0.55;
        let font = FontId::proportional(14.0);
        let mut job = egui::text::LayoutJob::single_section(
            b.text.clone(),
            egui::TextFormat::simple(font.clone(), ink),
        );
        job.wrap.max_width = width - 16.0;
        job.wrap.max_rows = ((rect.height() - 16.0) / font.size / 1.25).floor().max(1.0) as usize;
        let galley = ui.fonts_mut(|f| f.layout_job(job));
        let size = galley.size() + Vec2::new(16.0, 10.0);
        let gap = s.head_r + 10.0;
        let x0 = if right {
            head.x + gap
        } else {
            head.x - gap - size.x
        };
        let x0 = x0.clamp(
            rect.left() + 2.0,
            (rect.right() - size.x - 2.0).max(rect.left() + 2.0),
        );
        let y0 = (head.y - s.head_r - 4.0).clamp(
            rect.top() + 28.0,
            (rect.bottom() - size.y - 2.0).max(rect.top()),
        );
        let r = Rect::from_min_size(Pos2::new(x0, y0), size);
        let tip = Pos2::new(
            head.x
                + if right {
                    s.head_r * 0.8
                } else {
                    -s.head_r * 0.8
                },
            head.y,
        );
        let base_x = if right { r.left() } else { r.right() };
        let base_y = (head.y).clamp(r.top() + 6.0, r.bottom() - 14.0);
        painter.add(egui::Shape::convex_polygon(
            vec![
                Pos2::new(base_x, base_y),
                tip,
                Pos2::new(base_x, base_y + 10.0),
            ],
            Color32::WHITE,
            Stroke::new(1.0, colors::ACCENT),
        ));
        painter.rect(
            r,
            8.0,
            Color32::WHITE,
            Stroke::new(1.5, colors::ACCENT),
            egui::StrokeKind::Inside,
        );
        painter.galley(r.min + Vec2::new(8.0, 5.0), galley, ink);
        let resp = ui.interact(r, ui.id().with("balloon"), egui::Sense::click());
        clicked = resp.clicked() && !b.whole;
    }
    clicked
}

/// `text` shortened with "…" to fit `width`.
fn elide(painter: &egui::Painter, text: &str, font: FontId, width: f32) -> String {
    let fits = |t: &str| {
        painter
            .layout_no_wrap(t.to_string(), font.clone(), Color32::BLACK)
            .size()
            .x
            <= width
    };
    if fits(text) {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let (mut lo, mut hi) = (0, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let t: String = chars[..mid].iter().collect::<String>() + "…";
        if fits(&t) { lo = mid } else { hi = mid - 1 }
    }
    chars[..lo]
        .iter()
        .collect::<String>()
        .trim_end()
        .to_string()
        + "…"
}
