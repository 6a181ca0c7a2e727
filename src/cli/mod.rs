//! The command line's subcommands, each a thin layer over the core.

pub mod analyse;
#[cfg(feature = "desktop")]
pub mod app;
pub mod check;
pub mod graph;
pub mod list;
pub mod play;
pub mod recorder;
pub mod records;
pub mod term;
pub mod translate;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use casus::play::Mode;
use casus::scenario::sources::Sources;
use casus::scenario::{Library, Scenario, load_paths};

/// `--mode` on the command line.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ModeArg {
    Practice,
    Exam,
}

impl From<ModeArg> for Mode {
    fn from(m: ModeArg) -> Mode {
        match m {
            ModeArg::Practice => Mode::Practice,
            ModeArg::Exam => Mode::Exam,
        }
    }
}

/// A failure of the command itself (not of a scenario's content).
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Msg(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Json(#[from] serde_json::Error),
}

/// Whether to colour output written to stderr/stdout.
pub fn color() -> bool {
    std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal()
}

/// Where the cases are: the shipped ones (unless left out), the data folder's `scenarios`
/// folder and the folders given with `--scenarios`.
pub fn sources(data: &Path, folders: &[PathBuf], shipped: bool) -> Sources {
    let mut all = vec![data.join("scenarios")];
    all.extend(folders.iter().cloned());
    Sources::new(shipped, all).cached_in(data)
}

/// Finds a scenario by path or by id, in `language` when given and translated.
pub fn find_scenario(
    dir: &Sources,
    what: &str,
    language: Option<&str>,
) -> Result<Arc<Scenario>, CliError> {
    let (lib, sc) = find(dir, what)?;
    Ok(match language {
        Some(l) => {
            if !lib.languages(&sc.id).iter().any(|x| x == l) {
                return Err(CliError::Msg(format!(
                    "`{}` has no translation into `{l}` (available: {})",
                    sc.id,
                    lib.languages(&sc.id).join(", ")
                )));
            }
            lib.find_in(&sc.id, l).unwrap_or(sc)
        }
        None => sc,
    })
}

/// Finds a scenario and the file it came from.
pub fn find_scenario_file(
    dir: &Sources,
    what: &str,
) -> Result<(Arc<Scenario>, std::path::PathBuf), CliError> {
    let (_, sc) = find(dir, what)?;
    let path = sc
        .path
        .clone()
        .filter(|p| !casus::scenario::sources::is_shipped(p))
        .ok_or_else(|| {
            CliError::Msg(format!(
                "`{}` ships with Casus and has no file of its own: copy it into a scenarios folder \
                 first (`casus list` shows where your folders are)",
                sc.id
            ))
        })?;
    Ok((sc, path))
}

/// Finds a scenario by path or by id in the scenarios folder; prints its diagnostics if broken.
fn find(dir: &Sources, what: &str) -> Result<(Library, Arc<Scenario>), CliError> {
    let as_path = Path::new(what);
    let lib: Library = if as_path.is_file() {
        load_paths(&[as_path.to_path_buf()])
    } else {
        dir.load()
    };
    if as_path.is_file() {
        let first = lib.playable().next().cloned();
        if let Some(sc) = first {
            return Ok((lib, sc));
        }
        let diags: Vec<_> = lib.diagnostics().cloned().collect();
        eprint!(
            "{}",
            casus::scenario::diag::render(&diags, |p| lib.source(p), color())
        );
        return Err(CliError::Msg(format!(
            "{what} has errors; fix them first (`casus check {what}`)"
        )));
    }
    let found = lib.find(what).cloned();
    if let Some(sc) = found {
        return Ok((lib, sc));
    }
    let known: Vec<&str> = lib.playable().map(|s| s.id.as_str()).collect();
    let hint = match casus::scenario::compile::similar(what, known.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None if known.is_empty() => "no playable scenarios".to_string(),
        None => format!("known: {}", known.join(", ")),
    };
    Err(CliError::Msg(format!("no scenario `{what}`: {hint}")))
}
