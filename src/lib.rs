//! Casus: a training simulator for complex safety cases and complex divorces in Dutch youth
//! protection.
//!
//! The core never touches a window: [`scenario`] (the RON format, loading and checking),
//! [`play`] (the deterministic runtime), [`score`] (scoring against expertise goals and the
//! debrief), [`analysis`] (what a scenario allows, found before anyone plays) and [`records`]
//! (progress records). The command line in `src/main.rs` and the desktop app (`app`, feature
//! `desktop`) are faces on this core.

pub mod analysis;
pub mod i18n;
pub mod play;
pub mod records;
pub mod scenario;
pub mod score;

#[cfg(feature = "desktop")]
pub mod app;
