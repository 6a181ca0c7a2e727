//! `casus graph`: the scenario's node graph as DOT or as SVG laid out without Graphviz.

use std::path::PathBuf;
use std::process::ExitCode;

use casus::analysis::drawing::{drawing, to_dot};
use casus::analysis::svg::to_svg;

use super::{CliError, find_scenario};

/// Output format of `casus graph`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Dot,
    Svg,
}

pub fn run(
    dir: &casus::scenario::sources::Sources,
    what: &str,
    format: Format,
    output: Option<PathBuf>,
) -> Result<ExitCode, CliError> {
    let sc = find_scenario(dir, what, None)?;
    let d = drawing(&sc);
    let text = match format {
        Format::Dot => to_dot(&d),
        Format::Svg => to_svg(&d),
    };
    match output {
        Some(path) => {
            std::fs::write(&path, text)?;
            eprintln!("wrote {}", path.display());
        }
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}
