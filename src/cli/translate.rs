//! `casus translate`: writes or updates a scenario's translation template.

use std::path::PathBuf;
use std::process::ExitCode;

use casus::scenario::library::translation_language;
use casus::scenario::load::{parse_ron, read_source};
use casus::scenario::translate::{self, Translation};

use super::{CliError, find_scenario_file};

pub fn run(
    dir: &casus::scenario::sources::Sources,
    what: &str,
    lang: &str,
    output: Option<PathBuf>,
) -> Result<ExitCode, CliError> {
    if lang.len() != 2 || !lang.chars().all(|c| c.is_ascii_lowercase()) {
        return Err(CliError::Msg(format!(
            "`{lang}` is not a two-letter language code such as `en`"
        )));
    }
    let (sc, file) = find_scenario_file(dir, what)?;
    if sc.language == lang {
        return Err(CliError::Msg(format!(
            "`{}` is already written in `{lang}`",
            sc.id
        )));
    }
    let stem = file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(&sc.id)
        .to_string();
    let out = output.unwrap_or_else(|| file.with_file_name(format!("{stem}.{lang}.ron")));
    if translation_language(&out) != Some(lang) {
        return Err(CliError::Msg(format!(
            "{} must be named `<scenario>.{lang}.ron` to be found",
            out.display()
        )));
    }
    let old: Option<Translation> = if out.is_file() {
        let src = read_source(&out).map_err(|d| CliError::Msg(d.to_string()))?;
        Some(parse_ron(&out, &src).map_err(|d| {
            CliError::Msg(format!(
                "{d}\nfix the file or move it away; nothing was overwritten"
            ))
        })?)
    } else {
        None
    };
    let text = translate::template(&sc, lang, old.as_ref());
    std::fs::write(&out, text)?;
    let total = translate::texts(&sc).len();
    let done = old.as_ref().map_or(0, |o| {
        o.texts
            .values()
            .filter(|e| !e.text.trim().is_empty())
            .count()
    });
    eprintln!(
        "wrote {} ({total} texts, {done} translated before)",
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}
