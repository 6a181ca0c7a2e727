//! `casus check`: every problem in every file, rustc-style, with an exit code for CI.

use std::path::PathBuf;
use std::process::ExitCode;

use casus::scenario::sources::Sources;
use casus::scenario::{Severity, diag, load_paths};

use super::{CliError, color};

/// Checks `paths`; without paths, every case in `sources`. Never from the cache of checked
/// cases: a check reports what the files say now.
pub fn run(paths: &[PathBuf], sources: &Sources, json: bool) -> Result<ExitCode, CliError> {
    let lib = if paths.is_empty() {
        sources.load_with(&mut casus::scenario::cache::Cache::in_memory())
    } else {
        load_paths(paths)
    };
    let diags: Vec<_> = lib.diagnostics().cloned().collect();
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diags.len() - errors;
    if json {
        println!("{}", serde_json::to_string_pretty(&diags)?);
    } else {
        eprint!("{}", diag::render(&diags, |p| lib.source(p), color()));
        let files =
            lib.scenarios.len() + lib.translations.len() + usize::from(lib.goals_source.is_some());
        eprintln!(
            "checked {files} file{}: {errors} error{}, {warnings} warning{}",
            if files == 1 { "" } else { "s" },
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" },
        );
    }
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
