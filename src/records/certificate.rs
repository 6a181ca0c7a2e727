//! Records of completion for professional re-registration (SKJ): per attempt, or per trainee
//! for every case they finished, as a printable HTML page with the fields an accrediting body
//! asks for — participant and SKJ number, activity title and type, study hours excluding test
//! time, test result and score, completion date, provider and accreditation number, the goals
//! covered with their scores, the scenario version, the reflection, and room for the
//! supervisor's statement that makes reflection count.

use std::fmt::Write;

use super::report::{STYLE, esc};
use super::time::{date, rfc3339};
use super::{Attempt, OrgConfig, Profile, Status, StoreError};
use crate::i18n::percent;
use crate::play::Mode;

/// Goal id → display name.
pub type GoalNames<'a> = &'a dyn Fn(&str) -> String;

fn kind_label(kind: &str) -> &'static str {
    match kind {
        "divorce" => "E-learning with final test: case simulation, complex divorce",
        "safety" => "E-learning with final test: case simulation, child safety",
        _ => "E-learning with final test: case simulation",
    }
}

/// Whether an attempt is a passed final test: the only kind that earns study hours.
fn passed_exam(a: &Attempt) -> bool {
    a.mode == Mode::Exam && a.summary.as_ref().is_some_and(|s| s.passed)
}

/// The scoring rules a result was made under, for the reader of the record.
fn scoring_label(version: u32) -> &'static str {
    if version >= 2 {
        "version 2: a score is the share of the credit that can be earned; a pass needs an \
         accepted ending, every must-do, no critical error and every goal's floor"
    } else {
        "version 1 (before December 2026): scores ran from the worst to the best possible run \
         and a pass rested on the scores alone; kept as recorded"
    }
}

fn section(h: &mut String, a: &Attempt, goals: GoalNames<'_>) {
    let s = a.summary.as_ref();
    let exam = a.mode == Mode::Exam;
    let activity = if exam {
        kind_label(&a.kind)
    } else {
        "Practice run (not a final test; earns no study hours)"
    };
    let hours = if passed_exam(a) {
        format!(
            "{:.1} (declared study load, test time excluded)",
            f64::from(a.study_minutes) / 60.0
        )
    } else {
        "— <span class='muted'>(study hours count only for a passed final test)</span>".into()
    };
    let result = s.map_or("—".into(), |s| {
        let verdict = if s.passed { "passed" } else { "not passed" };
        if exam {
            format!(
                "<strong>{verdict}</strong> · overall score {}",
                percent(s.overall)
            )
        } else {
            format!(
                "— <span class='muted'>(practice: {verdict} · overall score {})</span>",
                percent(s.overall)
            )
        }
    });
    let _ = write!(
        h,
        "<h2>{}</h2><table>\
         <tr><th>Activity type</th><td>{activity}</td></tr>\
         <tr><th>Study hours</th><td>{hours}</td></tr>\
         <tr><th>Test result</th><td>{result}</td></tr>\
         <tr><th>Completed on</th><td>{}</td></tr>\
         <tr><th>Mode</th><td>{}</td></tr>\
         <tr><th>Scoring rules</th><td class='muted'>{}</td></tr>\
         <tr><th>Scenario version</th><td>{} <span class='muted'>{} · content {}</span></td></tr>\
         <tr><th>Attempt</th><td class='muted'>{}</td></tr></table>",
        esc(&a.title),
        a.finished_ms.map_or("—".into(), date),
        if exam { "exam" } else { "practice" },
        s.map_or("—", |s| scoring_label(s.scoring)),
        esc(&a.version),
        esc(&a.scenario),
        esc(a.content_hash.get(..12).unwrap_or(&a.content_hash)),
        esc(&a.id),
    );
    if let Some(s) = s {
        h.push_str("<table><tr><th>Expertise goal</th><th class='num'>Score</th></tr>");
        for g in &s.goals {
            let _ = write!(
                h,
                "<tr><td>{}</td><td class='num'>{}</td></tr>",
                esc(&goals(&g.goal)),
                percent(g.scaled),
            );
        }
        h.push_str("</table>");
    }
    let _ = write!(
        h,
        "<p><strong>Reflection (trainee)</strong><br>{}</p>",
        if a.reflection.trim().is_empty() {
            "<span class='muted'>none recorded</span>".to_string()
        } else {
            esc(&a.reflection).replace('\n', "<br>")
        }
    );
}

/// One row per case for a trainee's record: exam and practice attempts, the study hours that
/// count and the result that counts — the first passed exam, else the best exam score — in the
/// order the cases were first finished.
fn overview(h: &mut String, attempts: &[&Attempt]) {
    struct Case<'a> {
        title: &'a str,
        minutes: u32,
        exams: usize,
        practice: usize,
        /// (finished_ms, overall) of the first passed exam.
        passed: Option<(Option<u64>, f64)>,
        /// The best overall score of an exam, when any exam has one.
        best: Option<f64>,
    }
    let mut cases: Vec<(&str, Case<'_>)> = Vec::new();
    let mut sorted: Vec<&Attempt> = attempts.to_vec();
    sorted.sort_by_key(|a| a.finished_ms);
    for a in sorted {
        let i = match cases.iter().position(|(id, _)| *id == a.scenario) {
            Some(i) => i,
            None => {
                cases.push((
                    &a.scenario,
                    Case {
                        title: &a.title,
                        minutes: a.study_minutes,
                        exams: 0,
                        practice: 0,
                        passed: None,
                        best: None,
                    },
                ));
                cases.len() - 1
            }
        };
        let c = &mut cases[i].1;
        if a.mode != Mode::Exam {
            c.practice += 1;
            continue;
        }
        c.exams += 1;
        if let Some(s) = &a.summary {
            c.best = Some(c.best.map_or(s.overall, |b| b.max(s.overall)));
            if s.passed && c.passed.is_none() {
                c.passed = Some((a.finished_ms, s.overall));
            }
        }
    }
    h.push_str(
        "<h2>Cases</h2><table><tr><th>Case</th><th class='num'>Study hours</th>\
         <th class='num'>Exams</th><th class='num'>Practice runs</th>\
         <th>Result that counts (final test)</th></tr>",
    );
    for (id, c) in &cases {
        let result = match (c.passed, c.best) {
            (Some((when, overall)), _) => format!(
                "<strong>passed</strong> on {} · {}",
                when.map_or("—".into(), date),
                percent(overall)
            ),
            (None, Some(best)) => format!("not passed · best {}", percent(best)),
            (None, None) => "no final test taken".into(),
        };
        let hours = if c.passed.is_some() {
            format!("{:.1}", f64::from(c.minutes) / 60.0)
        } else {
            "—".into()
        };
        let _ = write!(
            h,
            "<tr><td>{} <span class='muted'>{}</span></td><td class='num'>{hours}</td>\
             <td class='num'>{}</td><td class='num'>{}</td><td>{result}</td></tr>",
            esc(c.title),
            esc(id),
            c.exams,
            c.practice,
        );
    }
    h.push_str("</table>");
}

/// A record of completion for finished `attempts` of `trainee` (one or many).
pub fn render(
    trainee: &Profile,
    attempts: &[&Attempt],
    org: &OrgConfig,
    goals: GoalNames<'_>,
    now_ms: u64,
) -> Result<String, StoreError> {
    if attempts.is_empty() {
        return Err(StoreError::NotFound(format!(
            "{} has no finished attempts to certify",
            trainee.id
        )));
    }
    if let Some(a) = attempts.iter().find(|a| a.status != Status::Finished) {
        return Err(StoreError::NotFound(format!(
            "attempt {} is not finished ({})",
            a.id,
            a.status.as_str()
        )));
    }
    let unset = "<span class='muted'>not configured (casus records config)</span>";
    let or_unset = |s: &str| {
        if s.is_empty() {
            unset.to_string()
        } else {
            esc(s)
        }
    };
    let mut h = String::new();
    // Study hours: each case once, and only for a passed final test (e-learning counts for
    // SKJ with a final test; practice runs do not).
    let mut cases = std::collections::BTreeMap::new();
    for a in attempts.iter().filter(|a| passed_exam(a)) {
        cases.insert(a.scenario.as_str(), a.study_minutes);
    }
    let total: u32 = cases.values().sum();
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>\
         <title>Record of completion — {}</title><style>{STYLE}</style></head><body>\
         <h1>Record of completion</h1><table>\
         <tr><th>Participant</th><td>{}</td></tr>\
         <tr><th>SKJ registration number</th><td>{}</td></tr>\
         <tr><th>Provider</th><td>{}</td></tr>\
         <tr><th>Accreditation number</th><td>{}</td></tr>\
         <tr><th>Study hours in total</th><td>{:.1} ({} case{} with a passed final test, each counted once)</td></tr></table>",
        esc(&trainee.name),
        esc(&trainee.name),
        trainee.skj.as_deref().map_or("—".into(), esc),
        or_unset(&org.provider),
        or_unset(&org.accreditation),
        f64::from(total) / 60.0,
        cases.len(),
        if cases.len() == 1 { "" } else { "s" }
    );
    if attempts.len() > 1 {
        overview(&mut h, attempts);
    }
    for a in attempts {
        section(&mut h, a, goals);
    }
    let _ = writeln!(
        h,
        "<h2>Supervisor's statement</h2><p class='muted'>Reflection counts towards \
         re-registration when a supervisor has discussed it with the participant.</p>\
         <p>Name: ______________________ &nbsp; Date: ____________ &nbsp; Signature: ______________________</p>\
         <p class='muted'>Issued {} by Casus from the records of pseudonymous trainee {}.</p></body></html>",
        rfc3339(now_ms),
        esc(&trainee.id)
    );
    Ok(h)
}
