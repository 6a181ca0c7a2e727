//! egui drawing as plain functions: each screen is `(&mut Ui, &mut ViewModel, &Tr) -> Option<Action>`.
//!
//! Views know nothing of Bevy or of the core's rules: they draw what their view model holds and
//! report what the trainee asked for as an [`Action`]. Bevy systems build the view models and
//! apply the actions; tests drive the views with egui_kittest.

pub mod author;
pub mod chrome;
pub mod debrief;
pub mod library;
pub mod play;
pub mod profiles;
pub mod progress;
pub mod scene;

use egui::{Color32, RichText};

use crate::play::Mode;
use crate::scenario::def::CaseKind;

/// The screens of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ScreenId {
    #[default]
    Profiles,
    Library,
    Play,
    Debrief,
    Progress,
    Author,
}

/// Everything a trainee (or an author) can ask for.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Go(ScreenId),
    CreateProfile {
        name: String,
        skj: String,
    },
    SelectProfile(String),
    Resume(String),
    /// Close an unfinished attempt without resuming it (it stays in the records).
    Abandon(String),
    Start {
        scenario: String,
        mode: Mode,
    },
    /// Choose the offered choice at this position (0-based).
    Choose(usize),
    TimeOut,
    StepBack,
    Continue,
    SaveNotes(String),
    SaveReflection(String),
    /// Progress: show the attempts of this mode, of one case or all.
    ProgressFilter {
        mode: Mode,
        case: Option<String>,
    },
    /// Reopen the debrief of a finished attempt.
    OpenDebrief(String),
    /// Save the debrief on screen as an HTML page (to print or keep).
    SaveDebrief,
    SetLanguage(String),
    FontSize(f32),
    /// Author screen: show this file.
    AuthorSelect(String),
    /// Author screen: read cases from this folder too (remembered).
    AddFolder(String),
    /// Author screen: no longer read cases from this folder.
    RemoveFolder(String),
    /// Author screen: play from a node with variables set (not recorded).
    PlayFrom {
        scenario: String,
        node: String,
        vars: Vec<(String, i64)>,
    },
}

pub use crate::i18n::Tr;

/// The label of a case kind.
pub fn kind_label(tr: &Tr, k: CaseKind) -> &str {
    tr.t(match k {
        CaseKind::Safety => "kind.safety",
        CaseKind::Divorce => "kind.divorce",
        CaseKind::Crisis => "kind.crisis",
    })
}

/// Colours with readable contrast on the light theme.
pub mod colors {
    use egui::Color32;
    pub const PASS: Color32 = Color32::from_rgb(0x1a, 0x6b, 0x2f);
    pub const FAIL: Color32 = Color32::from_rgb(0xa3, 0x1f, 0x1f);
    pub const MUTED: Color32 = Color32::from_rgb(0x55, 0x55, 0x55);
    pub const ACCENT: Color32 = Color32::from_rgb(0x1f, 0x4e, 0x8c);
    pub const BAR: Color32 = Color32::from_rgb(0x4a, 0x7d, 0xc4);
}

/// A passed/failed badge.
pub fn verdict(tr: &Tr, passed: bool) -> RichText {
    if passed {
        RichText::new(tr.t("passed")).color(colors::PASS).strong()
    } else {
        RichText::new(tr.t("failed")).color(colors::FAIL).strong()
    }
}

/// Muted small text.
pub fn muted(s: impl Into<String>) -> RichText {
    RichText::new(s.into()).color(colors::MUTED)
}

/// The colour for a mood from -3 (red) through amber to 3 (green).
pub fn mood_color(mood: f32) -> Color32 {
    let t = ((mood + 3.0) / 6.0).clamp(0.0, 1.0);
    let lerp = |a: f32, b: f32, t: f32| (a + (b - a) * t) as u8;
    if t < 0.5 {
        let u = t * 2.0;
        Color32::from_rgb(
            lerp(200.0, 230.0, u),
            lerp(60.0, 170.0, u),
            lerp(60.0, 40.0, u),
        )
    } else {
        let u = (t - 0.5) * 2.0;
        Color32::from_rgb(
            lerp(230.0, 60.0, u),
            lerp(170.0, 160.0, u),
            lerp(40.0, 80.0, u),
        )
    }
}
