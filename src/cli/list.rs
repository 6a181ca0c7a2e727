//! `casus list`: the scenarios in the library with kind, goals and study time.

use std::path::Path;
use std::process::ExitCode;

use casus::scenario::load_paths;
use serde_json::json;

use super::CliError;

pub fn run(dir: &Path, json: bool) -> Result<ExitCode, CliError> {
    let lib = load_paths(&[dir.to_path_buf()]);
    if json {
        let rows: Vec<_> = lib
            .playable()
            .map(|s| {
                json!({
                    "id": s.id, "version": s.version, "title": s.title, "kind": s.kind.as_str(),
                    "language": s.language, "study_minutes": s.study_minutes,
                    "goals": s.goals.iter().map(|g| &g.id).collect::<Vec<_>>(),
                    "decisions": s.decision_count(),
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{:<28} {:<8} {:>5}  {:<40} title",
        "id", "kind", "min", "goals"
    );
    for s in lib.playable() {
        let goals: Vec<&str> = s.goals.iter().map(|g| g.id.as_str()).collect();
        println!(
            "{:<28} {:<8} {:>5}  {:<40} {}",
            s.id,
            s.kind.as_str(),
            s.study_minutes,
            goals.join(","),
            s.title
        );
    }
    let broken = lib
        .scenarios
        .iter()
        .filter(|l| l.scenario.is_none())
        .count();
    if broken > 0 {
        eprintln!(
            "{broken} file(s) in {} have errors: run `casus check`",
            dir.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Shown when `casus` runs without a subcommand.
pub fn welcome(dir: &Path) -> Result<ExitCode, CliError> {
    println!("Casus — training for complex safety cases and complex divorces.\n");
    run(dir, false)?;
    println!("\nPlay one with `casus play <id>`; `casus --help` lists every command.");
    Ok(ExitCode::SUCCESS)
}
