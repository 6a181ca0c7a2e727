//! `casus list`: the scenarios in the library with kind, goals and study time.

use std::process::ExitCode;

use casus::scenario::sources::{Sources, origin};
use serde_json::json;

use super::CliError;

pub fn run(
    dir: &Sources,
    json: bool,
    kind: Option<&str>,
    goal: Option<&str>,
) -> Result<ExitCode, CliError> {
    let lib = dir.load();
    if let Some(k) = kind
        && !["safety", "divorce", "crisis"].contains(&k)
    {
        return Err(CliError::Msg(format!(
            "unknown kind `{k}`: use safety, divorce or crisis"
        )));
    }
    if let Some(g) = goal
        && !lib.goals.iter().any(|x| x.id == g)
    {
        let ids: Vec<&str> = lib.goals.iter().map(|x| x.id.as_str()).collect();
        return Err(CliError::Msg(format!(
            "unknown goal `{g}`: use one of {}",
            ids.join(", ")
        )));
    }
    let wanted = |s: &&std::sync::Arc<casus::scenario::Scenario>| {
        kind.is_none_or(|k| s.kind.as_str() == k)
            && goal.is_none_or(|g| s.goals.iter().any(|x| x.id == g))
    };
    if json {
        let rows: Vec<_> = lib
            .playable()
            .filter(wanted)
            .map(|s| {
                json!({
                    "id": s.id, "version": s.version, "title": s.title, "kind": s.kind.as_str(),
                    "language": s.language, "languages": lib.languages(&s.id), "study_minutes": s.study_minutes,
                    "goals": s.goals.iter().map(|g| &g.id).collect::<Vec<_>>(),
                    "decisions": s.decision_count(),
                    "origin": origin(s.path.as_deref()),
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{:<26} {:<8} {:>4}  {:<6} {:<28} {:<10} goals",
        "id", "kind", "min", "lang", "title", "from"
    );
    let mut shown: Vec<_> = lib.playable().filter(wanted).collect();
    shown.sort_by(|a, b| (a.kind.as_str(), &a.id).cmp(&(b.kind.as_str(), &b.id)));
    for s in shown {
        let goals: Vec<&str> = s.goals.iter().map(|g| g.id.as_str()).collect();
        let title = casus::analysis::drawing::short(&s.title, 28);
        let langs = lib.languages(&s.id).join(",");
        println!(
            "{:<26} {:<8} {:>4}  {:<6} {:<28} {:<10} {}",
            s.id,
            s.kind.as_str(),
            s.study_minutes,
            langs,
            title,
            origin(s.path.as_deref()),
            goals.join(",")
        );
    }
    let broken = lib
        .scenarios
        .iter()
        .filter(|l| l.scenario.is_none())
        .count();
    if broken > 0 {
        eprintln!("{broken} file(s) have errors: run `casus check`");
    }
    if !json {
        let folders: Vec<String> = dir
            .folders
            .iter()
            .map(|f| f.display().to_string())
            .collect();
        eprintln!("your cases are read from: {}", folders.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}

/// Shown when `casus` runs without a subcommand and without the desktop app.
#[cfg(not(feature = "desktop"))]
pub fn welcome(dir: &Sources) -> Result<ExitCode, CliError> {
    println!("Casus — training for complex safety cases and complex divorces.\n");
    run(dir, false, None, None)?;
    println!("\nPlay one with `casus play <id>`; `casus --help` lists every command.");
    Ok(ExitCode::SUCCESS)
}
