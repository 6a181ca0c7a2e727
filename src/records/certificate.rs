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

/// Goal id → display name.
pub type GoalNames<'a> = &'a dyn Fn(&str) -> String;

fn kind_label(kind: &str) -> &'static str {
    match kind {
        "divorce" => "E-learning with final test: case simulation, complex divorce",
        "safety" => "E-learning with final test: case simulation, child safety",
        _ => "E-learning with final test: case simulation",
    }
}

fn section(h: &mut String, a: &Attempt, goals: GoalNames<'_>) {
    let s = a.summary.as_ref();
    let _ = write!(
        h,
        "<h2>{}</h2><table>\
         <tr><th>Activity type</th><td>{}</td></tr>\
         <tr><th>Study hours</th><td>{:.1} (declared study load, test time excluded)</td></tr>\
         <tr><th>Test result</th><td>{}</td></tr>\
         <tr><th>Completed on</th><td>{}</td></tr>\
         <tr><th>Mode</th><td>{}</td></tr>\
         <tr><th>Scenario version</th><td>{} <span class='muted'>{} · content {}</span></td></tr>\
         <tr><th>Attempt</th><td class='muted'>{}</td></tr></table>",
        esc(&a.title),
        kind_label(&a.kind),
        f64::from(a.study_minutes) / 60.0,
        s.map_or("—".into(), |s| format!(
            "<strong>{}</strong> · overall score {:.0}%",
            if s.passed { "passed" } else { "not passed" },
            s.overall * 100.0
        )),
        a.finished_ms.map_or("—".into(), date),
        match a.mode {
            crate::play::Mode::Exam => "exam",
            crate::play::Mode::Practice => "practice",
        },
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
                "<tr><td>{}</td><td class='num'>{:.0}%</td></tr>",
                esc(&goals(&g.goal)),
                g.scaled * 100.0,
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

/// One row per case for a trainee's record: attempts, the result that counts (the first passed
/// attempt, else the best score) and the date it was reached, in the order the cases were
/// first finished.
fn overview(h: &mut String, attempts: &[&Attempt]) {
    struct Case<'a> {
        title: &'a str,
        minutes: u32,
        attempts: usize,
        /// (finished_ms, overall) of the first passed attempt.
        passed: Option<(Option<u64>, f64)>,
        /// The best overall score, when any attempt has one.
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
                        attempts: 0,
                        passed: None,
                        best: None,
                    },
                ));
                cases.len() - 1
            }
        };
        let c = &mut cases[i].1;
        c.attempts += 1;
        if let Some(s) = &a.summary {
            c.best = Some(c.best.map_or(s.overall, |b| b.max(s.overall)));
            if s.passed && c.passed.is_none() {
                c.passed = Some((a.finished_ms, s.overall));
            }
        }
    }
    h.push_str(
        "<h2>Cases</h2><table><tr><th>Case</th><th class='num'>Study hours</th>\
         <th class='num'>Attempts</th><th>Result</th></tr>",
    );
    for (id, c) in &cases {
        let result = match (c.passed, c.best) {
            (Some((when, overall)), _) => format!(
                "<strong>passed</strong> on {} · {:.0}%",
                when.map_or("—".into(), date),
                overall * 100.0
            ),
            (None, Some(best)) => format!("not passed · best {:.0}%", best * 100.0),
            (None, None) => "not passed".into(),
        };
        let _ = write!(
            h,
            "<tr><td>{} <span class='muted'>{}</span></td><td class='num'>{:.1}</td>\
             <td class='num'>{}</td><td>{result}</td></tr>",
            esc(c.title),
            esc(id),
            f64::from(c.minutes) / 60.0,
            c.attempts,
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
    let mut cases = std::collections::BTreeMap::new();
    for a in attempts {
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
         <tr><th>Study hours in total</th><td>{:.1} ({} case{}, each counted once)</td></tr></table>",
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
