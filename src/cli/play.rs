//! `casus play`: a scenario in the terminal — interactive, or scripted with `--choices`.

use std::io::{self, BufRead, Write};

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use casus::play::{Mode, PlayError, Session};
use casus::scenario::Scenario;
use casus::score::Debrief;
use serde::Serialize;

use super::recorder::Recorder;
use super::term::Term;
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

pub fn run(dir: &casus::scenario::sources::Sources, args: PlayArgs) -> Result<ExitCode, CliError> {
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
    let term = Term::new(sc);
    if !quiet {
        term.header(sc, mode, &mut out)?;
        term.scene(session, None, &mut out)?;
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
                    writeln!(out, "\n↶ {}", term.tr.t("term.stepped_back"))?;
                    term.scene(session, None, &mut out)?;
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
                    term.feedback(sc, &fb, mode, &mut out)?;
                    term.scene(session, label.as_deref(), &mut out)?;
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
        term.debrief(sc, &debrief, &mut out)?;
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
    let term = Term::new(sc);
    let tr = &term.tr;
    term.header(sc, mode, out)?;
    term.scene(session, None, out)?;
    let stdin = io::stdin();
    let mut lines = stdin.lock().lines();
    while !session.is_finished() {
        if let Some(r) = rec.as_mut() {
            r.keep_up(session, out)?;
        }
        // Every choice keeps its number; a locked one cannot be taken.
        let offers = session.offers();
        if offers.iter().all(|o| !o.available) {
            // When none is open, only the time limit moves on.
            let limit = session.time_limit_ms().unwrap_or(0);
            let wait = (session.entered_at_ms() + limit).saturating_sub(now());
            let secs = wait.div_ceil(1000).to_string();
            writeln!(out, "\n{}", tr.fill("term.none_open", &[("s", &secs)]))?;
            std::thread::sleep(std::time::Duration::from_millis(wait));
            let fb = session
                .time_out(now().max(session.entered_at_ms() + limit))
                .map_err(|e| CliError::Msg(e.to_string()))?;
            let label = session.time_label().map(str::to_string);
            term.feedback(sc, &fb, mode, out)?;
            term.scene(session, label.as_deref(), out)?;
            continue;
        }
        let n = offers.len().to_string();
        let mut help = tr.fill("term.help", &[("n", &n)]);
        if session.can_step_back() {
            help.push_str(tr.t("term.help_back"));
        }
        help.push_str(tr.t("term.help_quit"));
        write!(out, "\n[{help}] > ")?;
        out.flush()?;
        let Some(line) = lines.next() else {
            writeln!(out, "\n({})", tr.t("term.input_ended"))?;
            if let Some(r) = rec.as_mut() {
                r.finish(session, &mut lines, out)?;
            }
            return Ok(ExitCode::SUCCESS);
        };
        let line = line?;
        let label = session.time_label().map(str::to_string);
        let result = match line.trim() {
            "q" => {
                writeln!(out, "{}", tr.t("term.not_finished"))?;
                if let Some(r) = rec.as_mut() {
                    r.finish(session, &mut lines, out)?;
                }
                return Ok(ExitCode::SUCCESS);
            }
            "f" => {
                term.case_file(session, out)?;
                continue;
            }
            "b" => match session.step_back(now()) {
                Ok(()) => {
                    writeln!(out, "↶ {}", tr.t("term.stepped_back"))?;
                    term.scene(session, None, out)?;
                    continue;
                }
                Err(e) => Err(e),
            },
            k => match k.parse::<usize>() {
                Ok(k) if (1..=offers.len()).contains(&k) => session.choose(k - 1, now()),
                _ => {
                    writeln!(out, "{}", tr.fill("term.type_number", &[("n", &n)]))?;
                    continue;
                }
            },
        };
        match result {
            Ok(fb) => {
                term.feedback(sc, &fb, mode, out)?;
                term.scene(session, label.as_deref(), out)?;
            }
            Err(PlayError::Locked(reason)) => {
                // An exam does not say why: the reason would give the answer away.
                let why = if mode == Mode::Exam {
                    tr.t("play.locked").to_string()
                } else {
                    reason
                };
                writeln!(out, "{}", tr.fill("term.locked", &[("why", &why)]))?;
            }
            Err(e) => writeln!(out, "{e}")?,
        }
    }
    if let Some(r) = rec.as_mut() {
        r.finish(session, &mut lines, out)?;
    }
    term.debrief(sc, &session.debrief(), out)?;
    Ok(ExitCode::SUCCESS)
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
