//! `casus app` (and `casus` alone): the desktop app, optionally rendering one screen to a PNG.

use std::path::PathBuf;
use std::process::ExitCode;

use casus::app::screenshot::ScreenshotPlan;
use casus::app::views::ScreenId;
use casus::app::{AppOptions, run as run_app};
use casus::records::default_data_dir;

use super::{CliError, ModeArg};

/// Options of `casus app`.
#[derive(Debug, Default, clap::Args)]
pub struct AppArgs {
    /// Interface language: nl or en (remembered).
    #[arg(long)]
    lang: Option<String>,
    /// Render a screen to this PNG file and exit.
    #[arg(long)]
    screenshot: Option<PathBuf>,
    /// The screen to render: profiles, library, play, debrief, progress or author.
    #[arg(long, default_value = "library")]
    screen: String,
    /// The scenario to play for the play, debrief and progress screens.
    #[arg(long)]
    scenario: Option<String>,
    /// Choices to make first (1-based; `t` lets a time limit run out).
    #[arg(long, value_delimiter = ',')]
    choices: Vec<String>,
    #[arg(long, value_enum)]
    mode: Option<ModeArg>,
    /// Frames to render before the picture.
    #[arg(long, default_value_t = 30)]
    frames: u32,
    /// Keep the scene moving while the frames are rendered (to measure the frame time while it
    /// animates); by default the picture shows the scene settled, the line said whole.
    #[arg(long)]
    animate: bool,
    /// Show the Author screen (scenario files, diagnostics, analysis): for trainers, never
    /// for a trainee taking a case.
    #[arg(long, env = "CASUS_TRAINER")]
    trainer: bool,
    /// Text size, 12–28 (remembered, as the A−/A+ buttons do).
    #[arg(long)]
    font_size: Option<f32>,
    /// Window size in logical pixels, WIDTHxHEIGHT.
    #[arg(long, default_value = "1280x800", value_parser = parse_size)]
    size: (u32, u32),
}

fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let (w, h) = s
        .split_once('x')
        .ok_or_else(|| format!("`{s}` is not WIDTHxHEIGHT, e.g. 1280x800"))?;
    let num = |v: &str| {
        v.trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (320..=10_000).contains(n))
            .ok_or_else(|| format!("`{v}` is not a size between 320 and 10000"))
    };
    Ok((num(w)?, num(h)?))
}

pub fn run(
    sources: &casus::scenario::sources::Sources,
    data: Option<PathBuf>,
    args: AppArgs,
) -> Result<ExitCode, CliError> {
    let screenshot = match args.screenshot {
        Some(path) => {
            let screen = match args.screen.as_str() {
                "profiles" => ScreenId::Profiles,
                "library" => ScreenId::Library,
                "play" => ScreenId::Play,
                "debrief" => ScreenId::Debrief,
                "progress" => ScreenId::Progress,
                "author" => ScreenId::Author,
                other => {
                    return Err(CliError::Msg(format!(
                        "unknown screen `{other}`: use profiles, library, play, debrief, progress or author"
                    )));
                }
            };
            Some(ScreenshotPlan {
                path,
                screen,
                scenario: args.scenario,
                choices: args.choices,
                mode: args.mode.unwrap_or(ModeArg::Practice).into(),
                frames: args.frames.max(3),
                animate: args.animate,
            })
        }
        None => None,
    };
    Ok(run_app(AppOptions {
        sources: sources.clone(),
        data: data.unwrap_or_else(default_data_dir),
        language: args.lang,
        trainer: args.trainer
            || screenshot
                .as_ref()
                .is_some_and(|p| p.screen == ScreenId::Author),
        size: args.size,
        font_size: args.font_size,
        screenshot,
    }))
}
