//! Casus: a training simulator for complex safety cases and complex divorces in Dutch youth
//! protection.
//!
//! The core is four modules that never touch a window: [`scenario`] (the RON format, loading
//! and checking), [`play`] (the deterministic runtime), [`score`] (scoring against expertise
//! goals and the debrief) and [`analysis`] (what a scenario allows, found before anyone plays).
//! The command line in `src/main.rs` and the desktop app are faces on this core.

pub mod analysis;
pub mod play;
pub mod scenario;
pub mod score;
