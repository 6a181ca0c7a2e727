//! `casus analyse` and `casus simulate`: what a scenario scores, before and by playing it.

use std::io::IsTerminal;

use std::process::ExitCode;

use casus::analysis::simulate::BINS;
use casus::analysis::{Limits, Policy, analyse, simulate};
use indicatif::{ProgressBar, ProgressStyle};

use super::{CliError, find_scenario};

pub fn run_analyse(
    dir: &casus::scenario::sources::Sources,
    what: &str,
    json: bool,
    max_states: usize,
) -> Result<ExitCode, CliError> {
    let sc = find_scenario(dir, what, None)?;
    let r = analyse(&sc, Limits { max_states });
    if json {
        println!("{}", serde_json::to_string_pretty(&r)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "Analysis of {} {} — {} states, {} transitions{}",
        r.scenario,
        r.version,
        r.states,
        r.transitions,
        if r.exact { ", exact" } else { "" }
    );
    if let Some(n) = &r.note {
        println!("! {n}");
    }
    println!("\nEndings");
    for e in &r.endings {
        if e.reachable {
            println!(
                "  ✓ {:<24} {:<8} in {} steps: {}",
                e.id,
                e.outcome,
                e.witness.len(),
                e.witness.join(" → ")
            );
        } else {
            println!("  ✗ {:<24} {:<8} never reached", e.id, e.outcome);
        }
    }
    if !r.unreachable.is_empty() {
        println!("\nNever reached");
        for u in &r.unreachable {
            println!("  {} `{}`: {}", u.kind, u.id, u.reason);
        }
    }
    println!("\nGoals (total points over all runs; a score is the share of `max` earned)");
    println!(
        "  {:<12} {:>5} {:>5} {:>10}  notes",
        "goal", "min", "max", "sure-max"
    );
    for g in &r.goals {
        let mut notes = Vec::new();
        if g.cannot_fail {
            notes.push("cannot be failed".to_string());
        }
        if g.cannot_pass {
            notes.push("cannot be passed".to_string());
        }
        if g.needs_luck {
            notes.push("the maximum needs a lucky draw".to_string());
        }
        println!(
            "  {:<12} {:>5} {:>5} {:>10}  {}",
            g.id,
            g.min,
            g.max,
            g.guaranteed_max,
            notes.join("; ")
        );
        println!("      lowest:  {}", g.min_path.join(" → "));
        println!("      highest: {}", g.max_path.join(" → "));
    }
    if !r.dominated.is_empty() {
        println!(
            "\nDominated choices (another choice at the same node always scores at least as much)"
        );
        for d in &r.dominated {
            println!(
                "  {} at {}{}",
                d.choice,
                d.node,
                if d.expert { "  ← marked expert!" } else { "" }
            );
        }
    }
    if !r.dead_rules.is_empty() {
        println!("\nRules no run can break");
        for d in &r.dead_rules {
            println!(
                "  {}{}: {}",
                d.id,
                if d.critical { " (critical)" } else { "" },
                d.why
            );
        }
    }
    print_verdict(&r);
    for s in &r.stuck {
        println!("\n! some runs reach `{s}` with every choice locked");
    }
    for s in &r.scoring_loops {
        println!("\n! choice `{s}` can repeat without limit while scoring");
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run_simulate(
    dir: &casus::scenario::sources::Sources,
    what: &str,
    runs: u64,
    policy: &str,
    seed: u64,
    json: bool,
) -> Result<ExitCode, CliError> {
    let policy: Policy = policy.parse().map_err(CliError::Msg)?;
    if runs == 0 {
        return Err(CliError::Msg("--runs must be at least 1".into()));
    }
    let sc = find_scenario(dir, what, None)?;
    let bar = if std::io::stderr().is_terminal() && runs >= 10_000 {
        let b = ProgressBar::new(runs);
        b.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} runs ({per_sec}, {eta} left)")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    } else {
        ProgressBar::hidden()
    };
    let started = std::time::Instant::now();
    let sim = simulate(&sc, policy, runs, seed, |done| bar.set_position(done));
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    if json {
        println!("{}", serde_json::to_string_pretty(&sim)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{} runs of {} with policy {policy:?}, seed {seed}: {} steps in {secs:.2} s ({:.1} M steps/s)",
        sim.runs,
        sim.scenario,
        sim.steps,
        sim.steps as f64 / secs.max(1e-9) / 1e6
    );
    println!("Passed: {} ({:.1}%)", sim.passed, 100.0 * sim.pass_rate);
    if sim.stuck > 0 {
        println!("! {} runs got stuck with every choice locked", sim.stuck);
    }
    println!("\nEndings");
    for (id, e) in &sim.endings {
        println!(
            "  {:<28} {:<8} {:>8} ({:>5.1}%), passed {:>8}",
            id,
            e.outcome.as_str(),
            e.runs,
            100.0 * e.runs as f64 / sim.runs as f64,
            e.passed
        );
    }
    println!("\nScores (mean, and histogram over 0.0 … 1.0 in tenths)");
    for d in std::iter::once(&sim.overall).chain(&sim.goals) {
        println!("  {:<12} {:.2}  {}", d.id, d.mean, sparkline(&d.histogram));
    }
    if !sim.impacts.is_empty() {
        println!("\nDecisions that move the overall score most");
        for i in &sim.impacts {
            println!(
                "  {:+.2}  {} at {} (taken {}×; {:.2} vs {:.2})",
                i.delta, i.choice, i.node, i.taken, i.mean_with, i.mean_without
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The verdict over every run and the expert's line.
fn print_verdict(r: &casus::analysis::Report) {
    let v = &r.verdict;
    println!("\nVerdict over every run");
    if !v.all_runs {
        println!("  ! the exploration was cut: what follows covers only the runs explored");
    } else if !v.exhaustive {
        println!(
            "  ! too many distinct results to count the passing runs one by one; the checks below cover every run"
        );
    }
    println!(
        "  {} runs, {} distinct results; {} runs pass",
        v.runs, v.results, v.passing_runs
    );
    for e in &v.endings {
        println!(
            "  {:<28} {:<8} {:>10} runs, {:>10} pass",
            e.id,
            e.outcome.as_str(),
            e.runs,
            e.passing_runs
        );
    }
    if v.sound() {
        println!(
            "  ✓ no passing run ends unsafe or in an outcome the case does not accept, misses a must-do or breaks a critical rule"
        );
    } else if v.all_runs {
        println!(
            "  ✗ passing runs that end unsafe: {}, in an outcome not accepted: {}, with a must-do missed: {}, with a critical rule broken: {}",
            v.passing_unsafe, v.passing_not_accepted, v.passing_missed_must_do, v.passing_critical
        );
    }
    match &v.weakest_pass {
        Some(w) => {
            println!(
                "  the weakest run that still passes: overall {:.0}%, ending `{}` ({})",
                (w.overall * 100.0).floor(),
                w.ending,
                w.outcome.as_str()
            );
            let goals: Vec<String> = w
                .goals
                .iter()
                .map(|g| format!("{} {:.0}% ({:+})", g.id, (g.scaled * 100.0).floor(), g.raw))
                .collect();
            println!("      {}", goals.join(", "));
            println!("      {}", w.steps.join(" → "));
        }
        None => println!("  no run passes"),
    }
    println!("\nThe expert's line");
    for e in &r.expert_runs {
        let full = e.goals.iter().all(|g| g.scaled >= 1.0 - 1e-9);
        println!(
            "  {} ends `{}` ({}), overall {:.0}%{}{}",
            if e.passed { "✓" } else { "✗" },
            e.ending,
            e.outcome.as_str(),
            (e.overall * 100.0).floor(),
            if full {
                ", full credit on every goal"
            } else {
                ""
            },
            if e.passed { "" } else { ", does not pass" }
        );
        println!("      {}", e.steps.join(" → "));
    }
}

/// A histogram as a row of block characters.
fn sparkline(h: &[u64; BINS]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = h.iter().copied().max().unwrap_or(0).max(1);
    h.iter()
        .map(|&v| {
            if v == 0 {
                '·'
            } else {
                BARS[((v * 7) / max) as usize]
            }
        })
        .collect()
}
