//! `casus list`: the scenarios in the library with kind, goals and study time.

use std::process::ExitCode;

use casus::scenario::sources::{Listed, Sources, origin};
use serde_json::json;

use super::CliError;

pub fn run(
    dir: &Sources,
    json: bool,
    kind: Option<&str>,
    goal: Option<&str>,
) -> Result<ExitCode, CliError> {
    if let Some(k) = kind
        && !["safety", "divorce", "crisis"].contains(&k)
    {
        return Err(CliError::Msg(format!(
            "unknown kind `{k}`: use safety, divorce or crisis"
        )));
    }
    let catalogue = dir
        .folders
        .iter()
        .find(|f| f.join("goals.ron").is_file())
        .map_or_else(casus::scenario::load::builtin_goals, |f| {
            casus::scenario::load::goals_for(f).0
        });
    if let Some(g) = goal
        && !catalogue.iter().any(|x| x.id == g)
    {
        let ids: Vec<&str> = catalogue.iter().map(|x| x.id.as_str()).collect();
        return Err(CliError::Msg(format!(
            "unknown goal `{g}`: use one of {}",
            ids.join(", ")
        )));
    }
    // The cache of checked cases makes a large library list fast the second time.
    let mut cache = dir.open_cache();
    let listing = dir.listing(&mut cache);
    cache.save();
    let wanted = |l: &&Listed| {
        kind.is_none_or(|k| l.summary.kind.as_str() == k)
            && goal.is_none_or(|g| l.summary.goals.iter().any(|x| x == g))
    };
    let mut shown: Vec<&Listed> = listing.cases.iter().filter(wanted).collect();
    shown.sort_by(|a, b| {
        (a.summary.kind.as_str(), &a.summary.id).cmp(&(b.summary.kind.as_str(), &b.summary.id))
    });
    if json {
        let rows: Vec<_> = shown
            .iter()
            .map(|l| {
                let s = &l.summary;
                json!({
                    "id": s.id, "version": s.version, "title": s.title, "kind": s.kind.as_str(),
                    "language": s.language, "languages": l.languages, "study_minutes": s.study_minutes,
                    "goals": s.goals, "decisions": s.decisions,
                    "origin": origin(Some(&l.path)),
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
    for l in shown {
        let s = &l.summary;
        let title = casus::analysis::drawing::short(&s.title, 28);
        println!(
            "{:<26} {:<8} {:>4}  {:<6} {:<28} {:<10} {}",
            s.id,
            s.kind.as_str(),
            s.study_minutes,
            l.languages.join(","),
            title,
            origin(Some(&l.path)),
            s.goals.join(",")
        );
    }
    if !listing.broken.is_empty() {
        eprintln!(
            "{} file(s) have errors: run `casus check`",
            listing.broken.len()
        );
    }
    let folders: Vec<String> = dir
        .folders
        .iter()
        .map(|f| f.display().to_string())
        .collect();
    eprintln!("your cases are read from: {}", folders.join(", "));
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
