//! `casus records …`: the progress records on this desktop — list, export, push to an LRS,
//! report, certificates, configuration and upkeep.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use casus::records::export;
use casus::records::lrs::{self, Lrs};
use casus::records::{self, SqliteStore, Store, certificate, report};
use indicatif::{ProgressBar, ProgressStyle};

use super::CliError;

mod args;
mod output;

pub use args::{Format, LrsArgs, RecordsCommand};
use output::write_out;

fn open(data: &Path) -> Result<SqliteStore, CliError> {
    SqliteStore::open(data).map_err(|e| CliError::Msg(e.to_string()))
}

fn db<T>(r: Result<T, records::StoreError>) -> Result<T, CliError> {
    r.map_err(store_err)
}

fn store_err(e: records::StoreError) -> CliError {
    match e {
        // A reader that stopped early (`… | head`) ends the command quietly.
        records::StoreError::Output(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            CliError::Io(e)
        }
        e => CliError::Msg(e.to_string()),
    }
}

/// The LRS at `url`; an address that is not HTTP(S) is refused at once (it could never be
/// reached, so retrying it would only wait).
fn lrs_of(url: &str, auth: &LrsArgs) -> Result<Lrs, CliError> {
    let scheme = url.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
    if !matches!(scheme.as_deref(), Some("http" | "https")) {
        // The address is not repeated: it may hold a password.
        return Err(CliError::Msg(
            "the LRS address must start with http:// or https://".to_string(),
        ));
    }
    let mut l = Lrs::new(url);
    l.user.clone_from(&auth.user);
    l.password.clone_from(&auth.password);
    Ok(l)
}

/// The folder's goals catalogue (the scenarios themselves are not needed, so they are not
/// loaded).
fn catalogue(scenarios: &casus::scenario::sources::Sources) -> Vec<casus::scenario::def::GoalDef> {
    scenarios
        .folders
        .iter()
        .find(|f| f.join("goals.ron").is_file())
        .map_or_else(casus::scenario::load::builtin_goals, |f| {
            casus::scenario::load::goals_for(f).0
        })
}

/// Goal id → English name.
fn goal_names(goals: Vec<casus::scenario::def::GoalDef>) -> impl Fn(&str) -> String {
    move |id: &str| {
        goals
            .iter()
            .find(|g| g.id == id)
            .map_or(id.to_string(), |g| g.name.en.clone())
    }
}

pub fn run(
    scenarios: &casus::scenario::sources::Sources,
    data: &Path,
    cmd: RecordsCommand,
) -> Result<ExitCode, CliError> {
    let mut stdout = std::io::stdout().lock();
    match cmd {
        RecordsCommand::Trainees { json } => {
            let store = open(data)?;
            let rows = db(export::trainees(&store.conn()))?;
            if json {
                writeln!(stdout, "{}", serde_json::to_string_pretty(&rows)?)?;
            } else {
                writeln!(
                    stdout,
                    "{:<36}  {:<24} {:>8} {:>8} {:>6} {:>7}",
                    "id", "name", "attempts", "finished", "passed", "hours"
                )?;
                for r in rows {
                    writeln!(
                        stdout,
                        "{:<36}  {:<24} {:>8} {:>8} {:>6} {:>7.1}",
                        r.id,
                        records::shown(&r.name),
                        r.attempts,
                        r.finished,
                        r.passed,
                        r.study_minutes as f64 / 60.0
                    )?;
                }
            }
        }
        RecordsCommand::AddTrainee { name, skj } => {
            if name.trim().is_empty() {
                return Err(CliError::Msg("--name must not be empty".into()));
            }
            let mut store = open(data)?;
            let p = db(store.add_profile(&name, skj.as_deref()))?;
            writeln!(stdout, "{}", p.id)?;
        }
        RecordsCommand::Attempts { which, json } => {
            let store = open(data)?;
            let rows = db(export::attempts(&store.conn(), &which.filter()?))?;
            if json {
                writeln!(stdout, "{}", serde_json::to_string_pretty(&rows)?)?;
            } else {
                for r in rows {
                    writeln!(
                        stdout,
                        "{}  {}  {:<24} {:<8} {:<11} {:>3} decisions  {}",
                        r.id,
                        &r.started[..16],
                        r.scenario,
                        r.mode,
                        r.status,
                        r.decisions,
                        match (r.overall, r.passed) {
                            (Some(o), Some(p)) =>
                                format!("{:.0}% {}", o * 100.0, if p { "passed" } else { "failed" }),
                            _ => String::new(),
                        }
                    )?;
                }
            }
        }
        RecordsCommand::Export {
            format,
            which,
            output,
            names,
        } => {
            let store = open(data)?;
            let f = which.filter()?;
            let started = std::time::Instant::now();
            let n = write_out(output.as_deref(), |out| match format {
                Format::Csv => export::write_csv(&store.conn(), &f, names, out),
                Format::Json => export::write_json(&store.conn(), &f, names, out),
                Format::Xapi => export::write_xapi(&store.conn(), &f, out),
            })?;
            if let Some(p) = &output {
                let what = if matches!(format, Format::Xapi) {
                    "statements"
                } else {
                    "attempts"
                };
                eprintln!(
                    "wrote {n} {what} to {} in {:.1} s",
                    p.display(),
                    started.elapsed().as_secs_f64()
                );
            }
        }
        RecordsCommand::Push {
            lrs,
            auth,
            batch,
            retry_refused,
        } => {
            let mut store = open(data)?;
            if retry_refused {
                db(lrs::retry_refused(&store))?;
            }
            let l = lrs_of(&lrs, &auth)?;
            let bar = if std::io::stderr().is_terminal() {
                let b = ProgressBar::new(0);
                b.set_style(
                    ProgressStyle::with_template(
                        "{bar:40} {pos}/{len} statements ({per_sec}, {eta} left)",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
                );
                b
            } else {
                ProgressBar::hidden()
            };
            let result = lrs::push(&mut store, &l, batch, |done, total| {
                bar.set_length(total);
                bar.set_position(done);
            });
            bar.finish_and_clear();
            let r = result.map_err(|e| CliError::Msg(e.to_string()))?;
            writeln!(
                stdout,
                "sent {} statements; {} refused; {} waiting in the outbox{}",
                r.sent,
                r.refused,
                r.remaining,
                if r.held > 0 {
                    format!(
                        " ({} held back after {} refusals: --retry-refused)",
                        r.held,
                        lrs::MAX_TRIES
                    )
                } else {
                    String::new()
                }
            )?;
            for e in r.errors.iter().take(10) {
                eprintln!("  {e}");
            }
            if r.refused > 0 {
                return Ok(ExitCode::from(1));
            }
        }
        RecordsCommand::Report {
            output,
            from_lrs,
            auth,
            names,
        } => {
            let started = std::time::Instant::now();
            let mut data = match &from_lrs {
                Some(url) => {
                    let l = lrs_of(url, &auth)?;
                    let spinner = if std::io::stderr().is_terminal() {
                        ProgressBar::new_spinner()
                    } else {
                        ProgressBar::hidden()
                    };
                    let sts = l
                        .fetch_all(|n| spinner.set_message(format!("{n} statements read")))
                        .map_err(|e| CliError::Msg(e.to_string()))?;
                    spinner.finish_and_clear();
                    report::from_statements(&sts, url)
                }
                None => {
                    let store = open(data)?;
                    db(report::from_store(
                        &store.conn(),
                        &store.path().display().to_string(),
                        names,
                    ))?
                }
            };
            let goals = catalogue(scenarios);
            data.goal_order = goals.iter().map(|g| g.id.clone()).collect();
            let names_of = goal_names(goals);
            let ids: Vec<String> = data
                .rows
                .iter()
                .flat_map(|r| r.goals.iter().map(|g| g.0.clone()))
                .collect();
            for id in ids {
                let n = names_of(&id);
                if n != id || !data.goal_names.contains_key(&id) {
                    data.goal_names.insert(id, n);
                }
            }
            let html = report::render(&data, records::now_ms());
            write_out(Some(&output), |out| {
                out.write_all(html.as_bytes())
                    .map_err(|e| records::StoreError::Db(e.to_string()))?;
                Ok(0)
            })?;
            eprintln!(
                "wrote the report on {} attempts to {} in {:.2} s",
                data.rows.len(),
                output.display(),
                started.elapsed().as_secs_f64()
            );
        }
        RecordsCommand::Certificate {
            attempt,
            trainee,
            output,
        } => {
            let store = open(data)?;
            let (profile_id, chosen): (String, Vec<String>) = match (&attempt, &trainee) {
                (Some(a), _) => {
                    let found = store
                        .profiles()
                        .iter()
                        .flat_map(|p| store.attempts(&p.id))
                        .find(|x| &x.id == a)
                        .ok_or_else(|| CliError::Msg(format!("no attempt {a}")))?;
                    (found.profile.clone(), vec![found.id.clone()])
                }
                (None, Some(t)) => (
                    t.clone(),
                    store
                        .attempts(t)
                        .iter()
                        .filter(|a| a.status == records::Status::Finished)
                        .map(|a| a.id.clone())
                        .collect(),
                ),
                (None, None) => return Err(CliError::Msg("give --attempt or --trainee".into())),
            };
            let profile = store
                .profiles()
                .iter()
                .find(|p| p.id == profile_id)
                .ok_or_else(|| CliError::Msg(format!("no trainee {profile_id}")))?;
            let attempts: Vec<_> = store
                .attempts(&profile_id)
                .into_iter()
                .filter(|a| chosen.contains(&a.id))
                .collect();
            let names_of = goal_names(catalogue(scenarios));
            let html = db(certificate::render(
                profile,
                &attempts,
                store.org(),
                &names_of,
                records::now_ms(),
            ))?;
            let path =
                output.unwrap_or_else(|| PathBuf::from(format!("certificate-{profile_id}.html")));
            write_out(Some(&path), |out| {
                out.write_all(html.as_bytes())
                    .map_err(|e| records::StoreError::Db(e.to_string()))?;
                Ok(0)
            })?;
            eprintln!("wrote {}", path.display());
        }
        RecordsCommand::Config {
            home_page,
            activity_base,
            provider,
            accreditation,
            names_in_statements,
        } => {
            let mut store = open(data)?;
            let mut org = store.org().clone();
            for (v, what) in [
                (&home_page, "--home-page"),
                (&activity_base, "--activity-base"),
            ] {
                if let Some(v) = v
                    && !(v.starts_with("https://") || v.starts_with("http://"))
                {
                    return Err(CliError::Msg(format!(
                        "{what} must be an absolute http(s) IRI, not `{v}`"
                    )));
                }
            }
            let changed = home_page.is_some()
                || activity_base.is_some()
                || provider.is_some()
                || accreditation.is_some()
                || names_in_statements.is_some();
            if let Some(v) = home_page {
                org.home_page = v;
            }
            if let Some(v) = activity_base {
                org.activity_base = v;
            }
            if let Some(v) = provider {
                org.provider = v;
            }
            if let Some(v) = accreditation {
                org.accreditation = v;
            }
            if let Some(v) = names_in_statements {
                org.names_in_statements = v;
            }
            if changed {
                let n = db(store.put_org(org.clone()))?;
                if n > 0 {
                    eprintln!("{n} statements not yet sent now follow the new settings");
                }
            }
            writeln!(stdout, "{}", serde_json::to_string_pretty(&org)?)?;
        }
        RecordsCommand::Erase { trainee, yes } => {
            let mut store = open(data)?;
            let n = store.attempts(&trainee).len();
            if !store.profiles().iter().any(|p| p.id == trainee) {
                return Err(CliError::Msg(format!("no trainee {trainee}")));
            }
            if !yes {
                writeln!(
                    stdout,
                    "would erase trainee {trainee} with {n} attempts; add --yes to erase"
                )?;
                return Ok(ExitCode::from(1));
            }
            let (erased, voiding) = db(store.erase_trainee(&trainee))?;
            writeln!(
                stdout,
                "erased trainee {trainee} and {erased} attempts; {voiding} voiding statements \
                 wait in the outbox for the next push"
            )?;
        }
        RecordsCommand::Abandon { attempt } => {
            let mut store = open(data)?;
            let (status, scenario, language) = store
                .profiles()
                .iter()
                .flat_map(|p| store.attempts(&p.id))
                .find(|a| a.id == attempt)
                .map(|a| (a.status, a.scenario.clone(), a.language.clone()))
                .ok_or_else(|| CliError::Msg(format!("no attempt {attempt}")))?;
            if status != records::Status::InProgress {
                return Err(CliError::Msg(format!(
                    "attempt {attempt} is {}, not in progress; nothing changed",
                    status.as_str()
                )));
            }
            // With the scenario (if it is still the version played) the statement is complete.
            let sc = scenarios.load().find_in(&scenario, &language);
            db(store.abandon(&attempt, sc.as_deref()))?;
            writeln!(stdout, "attempt {attempt} is marked abandoned")?;
        }
        RecordsCommand::Check => {
            let store = open(data)?;
            let integrity = db(store.integrity_check())?;
            let (unsent, sent) = db(lrs::outbox_counts(&store))?;
            writeln!(stdout, "database: {}", store.path().display())?;
            writeln!(stdout, "integrity: {integrity}")?;
            writeln!(stdout, "outbox: {unsent} unsent, {sent} sent")?;
            if integrity != "ok" {
                return Ok(ExitCode::from(1));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
