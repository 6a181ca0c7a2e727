//! `casus play`: a scenario in the terminal — interactive, or scripted with `--choices`.

use std::io::{self, BufRead, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use casus::i18n::{Tr, percent};
use casus::play::{Feedback, Mode, PlayError, Session};
use casus::scenario::Scenario;
use casus::score::{Debrief, outcome_key};
use serde::Serialize;

use super::recorder::Recorder;
use super::{CliError, find_scenario};

/// What `casus play` was asked to do.
#[derive(Debug)]
pub struct PlayArgs {
    pub scenario: String,
    pub seed: u64,
    pub choices: Option<Vec<String>>,
    pub mode: Mode,
    pub json: bool,
    pub language: Option<String>,
    pub from: Option<String>,
    pub set: Vec<String>,
    /// Record attempts: (data directory, trainee id).
    pub record: Option<(std::path::PathBuf, String)>,
    pub repeat: u32,
}

pub fn run(dir: &Path, args: PlayArgs) -> Result<ExitCode, CliError> {
    let PlayArgs {
        scenario,
        seed,
        choices,
        mode,
        json,
        language,
        from,
        set,
        record,
        repeat,
    } = args;
    let what = scenario.as_str();
    let sc = find_scenario(dir, what, language.as_deref())?;
    let start = match from.as_deref() {
        Some(id) => sc.node_by_id(id).ok_or_else(|| {
            let hint =
                casus::scenario::compile::similar(id, sc.nodes.iter().map(|n| n.id.as_str()))
                    .map_or(String::new(), |s| format!(": did you mean `{s}`?"));
            CliError::Msg(format!("no node `{id}` in `{}`{hint}", sc.id))
        })?,
        None => sc.start,
    };
    let vars = set
        .iter()
        .map(|a| parse_set(&sc, a))
        .collect::<Result<Vec<_>, _>>()?;
    if record.is_some() && (from.is_some() || !vars.is_empty()) {
        return Err(CliError::Msg(
            "an author's run (--from, --set) is never recorded; leave out --record".into(),
        ));
    }
    let new_session = || {
        Session::starting_at(Arc::clone(&sc), seed, mode, start, &vars)
            .map_err(|e| CliError::Msg(e.to_string()))
    };
    let mut out = io::stdout().lock();
    if choices.is_none() && !json {
        let mut session = new_session()?;
        let mut rec = match &record {
            Some((dir, trainee)) => Some(Recorder::open(dir, trainee, &session)?),
            None => None,
        };
        return interactive(&sc, &mut session, &mut rec, &mut out);
    }
    let script = choices.unwrap_or_default();
    let quiet = json || repeat > 1;
    let mut code = ExitCode::SUCCESS;
    for _ in 0..repeat.max(1) {
        let mut session = new_session()?;
        let mut rec = match &record {
            Some((dir, trainee)) => Some(Recorder::open(dir, trainee, &session)?),
            None => None,
        };
        code = scripted(&sc, &mut session, &script, &mut rec, quiet, json, &mut out)?;
    }
    Ok(code)
}

fn scripted(
    sc: &Scenario,
    session: &mut Session,
    script: &[String],
    rec: &mut Option<Recorder>,
    quiet: bool,
    json: bool,
    out: &mut impl Write,
) -> Result<ExitCode, CliError> {
    let mode = session.mode();
    let session = &mut *session;
    let mut out = out;
    if !quiet {
        header(sc, mode, &mut out)?;
        scene(session, None, &mut out)?;
    }
    for (k, tok) in script.iter().enumerate() {
        if let Some(r) = rec.as_mut() {
            r.commit(session)?;
        }
        if session.is_finished() {
            return Err(CliError::Msg(format!(
                "choice {} (`{tok}`) comes after the case has ended",
                k + 1
            )));
        }
        let label = session.time_label().map(str::to_string);
        let at = session.entered_at_ms() + 1000;
        let result = match tok.trim() {
            "t" => session.time_out(session.entered_at_ms() + session.time_limit_ms().unwrap_or(0)),
            "b" => {
                session
                    .step_back(at)
                    .map_err(|e| CliError::Msg(format!("choice {} (`b`): {e}", k + 1)))?;
                if !quiet {
                    writeln!(out, "\n↶ stepped back")?;
                    scene(session, None, &mut out)?;
                }
                continue;
            }
            n if n.starts_with(|c: char| c.is_ascii_lowercase() || c == '_') => {
                // A choice id: its place among the choices offered here.
                let offered = sc.offered(session.node());
                let pos = sc
                    .choice_by_id(n)
                    .and_then(|c| offered.iter().position(|&o| o == c))
                    .ok_or_else(|| {
                        CliError::Msg(format!(
                            "choice {} (`{n}`) is not one of the choices offered here",
                            k + 1
                        ))
                    })?;
                session.choose(pos, at)
            }
            n => {
                let pos: usize = n.parse().map_err(|_| {
                    CliError::Msg(format!(
                        "choice {} (`{n}`) is not a number, a choice id, `t` or `b`",
                        k + 1
                    ))
                })?;
                let pos = pos.checked_sub(1).ok_or_else(|| {
                    CliError::Msg(format!(
                        "choice {} (`{n}`): choices are numbered from 1",
                        k + 1
                    ))
                })?;
                session.choose(pos, at)
            }
        };
        match result {
            Ok(fb) => {
                if !quiet {
                    feedback(sc, &fb, mode, &mut out)?;
                    scene(session, label.as_deref(), &mut out)?;
                }
            }
            Err(e) => return Err(CliError::Msg(format!("choice {} (`{tok}`): {e}", k + 1))),
        }
    }
    if let Some(r) = rec.as_mut() {
        r.commit(session)?;
    }
    let debrief = session.debrief();
    if json {
        let result = PlayResult::new(session, &debrief);
        writeln!(out, "{}", serde_json::to_string_pretty(&result)?)?;
    } else if quiet {
    } else if session.is_finished() {
        print_debrief(sc, &debrief, &mut out)?;
    } else {
        writeln!(out, "\n(the script ended before the case did)")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Parses `--set name=value` (an integer, or true/false for booleans).
fn parse_set(sc: &Scenario, arg: &str) -> Result<(u32, i64), CliError> {
    let (name, value) = arg
        .split_once('=')
        .ok_or_else(|| CliError::Msg(format!("`--set {arg}`: write name=value")))?;
    let (i, var) = sc
        .variables
        .iter()
        .enumerate()
        .find(|(_, v)| v.id == name.trim())
        .ok_or_else(|| CliError::Msg(format!("`--set {arg}`: no variable `{}`", name.trim())))?;
    let v = match (var.ty, value.trim()) {
        (casus::scenario::expr::Type::Bool, "true") => 1,
        (casus::scenario::expr::Type::Bool, "false") => 0,
        (casus::scenario::expr::Type::Int, v) => v
            .parse()
            .map_err(|_| CliError::Msg(format!("`--set {arg}`: `{v}` is not an integer")))?,
        _ => {
            return Err(CliError::Msg(format!(
                "`--set {arg}`: `{}` is a boolean: use true or false",
                var.id
            )));
        }
    };
    Ok((i as u32, v))
}

fn interactive(
    sc: &Scenario,
    session: &mut Session,
    rec: &mut Option<Recorder>,
    out: &mut impl Write,
) -> Result<ExitCode, CliError> {
    let mode = session.mode();
    let started = Instant::now();
    let now = || started.elapsed().as_millis() as u64;
    header(sc, mode, out)?;
    scene(session, None, out)?;
    let stdin = io::stdin();
    let mut lines = stdin.lock().lines();
    while !session.is_finished() {
        if let Some(r) = rec.as_mut() {
            r.keep_up(session, out)?;
        }
        let visible: Vec<usize> = session
            .offers()
            .iter()
            .enumerate()
            .filter(|(_, o)| o.available || mode == Mode::Practice)
            .map(|(i, _)| i)
            .collect();
        if visible.is_empty() {
            // Exam mode hides locked choices: when none is open, only the time limit moves on.
            let limit = session.time_limit_ms().unwrap_or(0);
            let wait = (session.entered_at_ms() + limit).saturating_sub(now());
            writeln!(
                out,
                "\nNo choice is open to you here; the time runs out in {} s…",
                wait.div_ceil(1000)
            )?;
            std::thread::sleep(std::time::Duration::from_millis(wait));
            let fb = session
                .time_out(now().max(session.entered_at_ms() + limit))
                .map_err(|e| CliError::Msg(e.to_string()))?;
            let label = session.time_label().map(str::to_string);
            feedback(sc, &fb, mode, out)?;
            scene(session, label.as_deref(), out)?;
            continue;
        }
        let mut help = format!("1–{} to choose, f for the case file", visible.len());
        if session.can_step_back() {
            help.push_str(", b to step back");
        }
        help.push_str(", q to quit");
        write!(out, "\n[{help}] > ")?;
        out.flush()?;
        let Some(line) = lines.next() else {
            writeln!(out, "\n(input ended; the case was not finished)")?;
            if let Some(r) = rec.as_mut() {
                r.finish(session, &mut lines, out)?;
            }
            return Ok(ExitCode::SUCCESS);
        };
        let line = line?;
        let label = session.time_label().map(str::to_string);
        let result = match line.trim() {
            "q" => {
                writeln!(out, "The case was not finished.")?;
                if let Some(r) = rec.as_mut() {
                    r.finish(session, &mut lines, out)?;
                }
                return Ok(ExitCode::SUCCESS);
            }
            "f" => {
                case_file(session, out)?;
                continue;
            }
            "b" => match session.step_back(now()) {
                Ok(()) => {
                    writeln!(out, "↶ Back to the previous decision (this is recorded).")?;
                    scene(session, None, out)?;
                    continue;
                }
                Err(e) => Err(e),
            },
            n => match n.parse::<usize>() {
                Ok(k) if (1..=visible.len()).contains(&k) => session.choose(visible[k - 1], now()),
                _ => {
                    writeln!(out, "Type a number from 1 to {}.", visible.len())?;
                    continue;
                }
            },
        };
        match result {
            Ok(fb) => {
                feedback(sc, &fb, mode, out)?;
                scene(session, label.as_deref(), out)?;
            }
            Err(PlayError::Locked(reason)) => writeln!(out, "That choice is locked: {reason}")?,
            Err(e) => writeln!(out, "{e}")?,
        }
    }
    if let Some(r) = rec.as_mut() {
        r.finish(session, &mut lines, out)?;
    }
    print_debrief(sc, &session.debrief(), out)?;
    Ok(ExitCode::SUCCESS)
}

fn header(sc: &Scenario, mode: Mode, out: &mut impl Write) -> io::Result<()> {
    let goals: Vec<&str> = sc.goals.iter().map(|g| g.name.en.as_str()).collect();
    writeln!(
        out,
        "═══ {} ({}, {} min, {} mode)",
        sc.title,
        sc.kind.as_str(),
        sc.study_minutes,
        if mode == Mode::Practice {
            "practice"
        } else {
            "exam"
        }
    )?;
    writeln!(out, "{}", sc.summary)?;
    writeln!(out, "Goals: {}", goals.join(" · "))
}

/// Prints the lines on screen and the choices; `last_label` suppresses a repeated time label.
fn scene(session: &Session, last_label: Option<&str>, out: &mut impl Write) -> io::Result<()> {
    let sc = session.scenario();
    if let Some(t) = session.time_label()
        && Some(t) != last_label
    {
        writeln!(out, "\n── {t} ──")?;
    }
    for &n in session.shown() {
        for line in &sc.nodes[n as usize].lines {
            match line.speaker {
                Some(s) => {
                    let ch = &sc.characters[s as usize];
                    writeln!(out, "\n{} ({}): {}", ch.name, ch.role, line.text)?;
                }
                None => writeln!(out, "\n{}", line.text)?,
            }
        }
    }
    for &n in session.shown() {
        for f in &sc.nodes[n as usize].facts {
            writeln!(out, "  + case file: {f}")?;
        }
    }
    if session.is_finished() {
        return Ok(());
    }
    if let Some(ms) = session.time_limit_ms() {
        writeln!(out, "\n⏱ You have {} seconds for this decision.", ms / 1000)?;
    }
    writeln!(out)?;
    let mut k = 0;
    for o in session.offers() {
        if o.available {
            k += 1;
            writeln!(out, "  {k}. {}", o.text)?;
        } else if session.mode() == Mode::Practice {
            k += 1;
            let why = o.locked_reason.as_deref().unwrap_or("not possible now");
            writeln!(out, "  {k}. (locked: {why}) {}", o.text)?;
        }
    }
    Ok(())
}

fn points_text(sc: &Scenario, points: &[i64]) -> String {
    casus::score::points_text(sc, points, "no points")
}

fn feedback(sc: &Scenario, fb: &Feedback, mode: Mode, out: &mut impl Write) -> io::Result<()> {
    if mode == Mode::Exam {
        return Ok(());
    }
    let ch = &sc.choices[fb.choice as usize];
    if fb.timed_out {
        writeln!(out, "\n⏱ Time ran out: {}", ch.text)?;
    }
    writeln!(out, "\n▸ Feedback ({})", points_text(sc, &fb.points))?;
    writeln!(out, "  {}", ch.rationale)?;
    writeln!(out, "  Source: {}", ch.source)?;
    if let Some(e) = fb.expert {
        let e = &sc.choices[e as usize];
        if fb.expert_open {
            writeln!(out, "  The expert would have chosen: {}", e.text)?;
        } else {
            let why = e
                .locked_reason
                .as_deref()
                .unwrap_or("locked by earlier decisions");
            writeln!(
                out,
                "  The expert's choice was no longer open to you ({why}): {}",
                e.text
            )?;
        }
    }
    for &(c, before, after) in &fb.moods {
        writeln!(
            out,
            "  {}: mood {before:+} → {after:+}",
            sc.characters[c as usize].name
        )?;
    }
    Ok(())
}

fn case_file(session: &Session, out: &mut impl Write) -> io::Result<()> {
    let sc = session.scenario();
    writeln!(out, "\n── Case file ──")?;
    for (i, c) in sc.characters.iter().enumerate() {
        let st = session.state();
        writeln!(
            out,
            "  {} — {} (mood {:+}, trust {})",
            c.name, c.role, st.moods[i], st.trust[i]
        )?;
    }
    for f in session.case_file() {
        writeln!(out, "  • [{}] {}", f.time.as_deref().unwrap_or("-"), f.text)?;
    }
    Ok(())
}

/// The debrief in the case's language (Dutch unless the case is English).
fn print_debrief(sc: &Scenario, d: &Debrief, out: &mut impl Write) -> io::Result<()> {
    let tr = Tr::new(&sc.language);
    let goal_name = |id: &str| {
        sc.goals
            .iter()
            .find(|g| g.id == id)
            .map_or(id.to_string(), |g| {
                if tr.lang == "en" {
                    g.name.en.clone()
                } else {
                    g.name.nl.clone()
                }
            })
    };
    let s = &d.score;
    writeln!(out, "\n═══ {}", tr.t("debrief.title"))?;
    if let Some(e) = &s.ending {
        writeln!(
            out,
            "{}: {} ({})\n{}",
            tr.t("term.ending"),
            e.title,
            tr.t(outcome_key(e.outcome)),
            e.debrief
        )?;
    }
    writeln!(
        out,
        "\n{} {}",
        tr.t("verdict.title"),
        if s.passed {
            tr.t("passed").to_uppercase()
        } else {
            tr.t("failed").to_uppercase()
        }
    )?;
    for r in &s.reasons {
        let mark = if r.met() { "✓" } else { "✗" };
        writeln!(out, "  {mark} {}", r.text(&tr, &goal_name))?;
    }
    writeln!(out, "\n{}", tr.t("term.goals_head"))?;
    let names: Vec<String> = s.goals.iter().map(|g| goal_name(&g.id)).collect();
    let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    for (g, name) in s.goals.iter().zip(&names) {
        writeln!(
            out,
            "  {name:<width$} {:>5} {:>5} {:>5}",
            g.raw,
            g.max,
            percent(g.scaled)
        )?;
    }
    // Missed must-dos and critical errors are among the reasons; here the errors that only
    // cost points.
    let costly: Vec<&str> = s
        .rules
        .iter()
        .filter(|r| r.violated && !r.critical && !r.must_do)
        .map(|r| r.message.as_str())
        .collect();
    if !costly.is_empty() {
        writeln!(out, "\n{}:", tr.t("debrief.missed"))?;
        for m in costly {
            writeln!(out, "  ✗ {m}")?;
        }
    }
    writeln!(out, "\n{}:", tr.t("debrief.timeline"))?;
    for (i, dec) in d.decisions.iter().enumerate() {
        let pts: Vec<i64> = sc
            .goals
            .iter()
            .map(|g| dec.made.points.get(&g.id).copied().unwrap_or(0))
            .collect();
        writeln!(
            out,
            "{:>3}. [{}] {} ({})",
            i + 1,
            dec.time.as_deref().unwrap_or("-"),
            dec.made.text,
            points_text(sc, &pts)
        )?;
        writeln!(out, "     {} — {}", dec.made.rationale, dec.made.source)?;
        if let Some(e) = &dec.expert {
            writeln!(
                out,
                "     {}: {} — {} ({})",
                tr.t("debrief.expert"),
                e.text,
                e.rationale,
                e.source
            )?;
        }
    }
    if !d.reflection.is_empty() {
        writeln!(out, "\n{}:", tr.t("debrief.reflection"))?;
        for q in &d.reflection {
            writeln!(out, "  ? {q}")?;
        }
    }
    Ok(())
}

/// The machine-readable result of `casus play --json`.
#[derive(Serialize)]
struct PlayResult<'a> {
    scenario: &'a str,
    version: &'a str,
    content_hash: &'a str,
    seed: u64,
    mode: Mode,
    finished: bool,
    #[serde(flatten)]
    debrief: &'a Debrief,
    log: &'a [casus::play::LogEntry],
}

impl<'a> PlayResult<'a> {
    fn new(s: &'a Session, d: &'a Debrief) -> Self {
        let sc = s.scenario();
        PlayResult {
            scenario: &sc.id,
            version: &sc.version,
            content_hash: &sc.content_hash,
            seed: s.seed(),
            mode: s.mode(),
            finished: s.is_finished(),
            debrief: d,
            log: s.log(),
        }
    }
}
