//! The organisation report: one self-contained HTML file (inline CSS and SVG charts, no scripts,
//! no external resources) built from the local database or from the statements in an LRS.
//!
//! Sections: overview and completion; per goal the distribution of scores and the change from
//! each trainee's first to latest attempt; pass rates per scenario; study hours per trainee
//! (for SKJ re-registration: the scenarios' declared study load of completed cases, counted once
//! per case, next to the time actually spent).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use rusqlite::Connection;
use serde_json::Value;

use super::StoreError;
use super::time::{date, rfc3339};

/// One attempt as the report sees it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    pub trainee: String,
    /// Display name, when the report may show names.
    pub name: Option<String>,
    pub scenario: String,
    pub title: String,
    pub started_ms: u64,
    pub finished_ms: Option<u64>,
    /// `finished`, `abandoned` or `in_progress`.
    pub status: String,
    pub overall: Option<f64>,
    pub passed: Option<bool>,
    /// Scaled score per goal id.
    pub goals: Vec<(String, f64)>,
    pub study_minutes: u32,
    /// The scoring rules of a finished attempt's result; None when the source does not say.
    pub scoring: Option<u32>,
}

/// What a report is made of.
#[derive(Debug, Clone, Default)]
pub struct ReportData {
    /// Where the data came from (a database path or an LRS address).
    pub source: String,
    pub rows: Vec<Row>,
    /// Goal id → display name.
    pub goal_names: BTreeMap<String, String>,
    /// The order goals are shown in (the goals catalogue's); goals not listed follow in the
    /// order they first appear.
    pub goal_order: Vec<String>,
    /// Values read from an LRS that no Casus record can hold (a score outside 0–100 %, study
    /// time outside 1–6000 minutes): left out, and counted here.
    pub out_of_range: usize,
}

/// Reads every attempt from the database; `names`: include trainees' display names.
pub fn from_store(conn: &Connection, source: &str, names: bool) -> Result<ReportData, StoreError> {
    let mut goals: BTreeMap<String, Vec<(String, f64)>> = BTreeMap::new();
    let mut q = conn.prepare("SELECT attempt, goal, scaled FROM goal_scores ORDER BY rowid")?;
    let mut rows = q.query([])?;
    while let Some(r) = rows.next()? {
        goals
            .entry(r.get(0)?)
            .or_default()
            .push((r.get(1)?, r.get(2)?));
    }
    let mut q = conn.prepare(
        "SELECT a.id, a.trainee, t.name, a.scenario, a.title, a.started_ms, a.finished_ms,
                a.status, a.overall, a.passed, a.study_minutes, a.scoring
         FROM attempts a JOIN trainees t ON t.id = a.trainee ORDER BY a.started_ms, a.rowid",
    )?;
    let mut out = Vec::new();
    let mut rows = q.query([])?;
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        out.push(Row {
            trainee: r.get(1)?,
            name: if names { r.get(2)? } else { None },
            scenario: r.get(3)?,
            title: r.get(4)?,
            started_ms: r.get::<_, i64>(5)? as u64,
            finished_ms: r.get::<_, Option<i64>>(6)?.map(|t| t as u64),
            status: r.get(7)?,
            overall: r.get(8)?,
            passed: r.get(9)?,
            goals: goals.remove(&id).unwrap_or_default(),
            study_minutes: r.get(10)?,
            scoring: r.get(11)?,
        });
    }
    Ok(ReportData {
        out_of_range: 0,
        source: source.to_string(),
        rows: out,
        goal_names: BTreeMap::new(),
        goal_order: Vec::new(),
    })
}

fn ext<'a>(obj: &'a Value, name: &str) -> Option<&'a Value> {
    let suffix = format!("/extensions/{name}");
    obj.as_object()?
        .iter()
        .find(|(k, _)| k.ends_with(&suffix))
        .map(|(_, v)| v)
}

fn time_of(st: &Value) -> u64 {
    st["timestamp"]
        .as_str()
        .and_then(|t| super::time::parse(t).ok())
        .unwrap_or(0)
}

/// Rebuilds attempts from xAPI statements (as Casus writes them), grouped by registration.
/// Statements of other tools, and voided ones, are ignored.
pub fn from_statements(statements: &[Value], source: &str) -> ReportData {
    let voided: BTreeSet<&str> = statements
        .iter()
        .filter(|s| {
            s["verb"]["id"]
                .as_str()
                .is_some_and(|v| v.ends_with("/voided"))
        })
        .filter_map(|s| s["object"]["id"].as_str())
        .collect();
    let mut by_reg: BTreeMap<String, Row> = BTreeMap::new();
    let mut goal_names = BTreeMap::new();
    let mut out_of_range = 0;
    let mut row_rejects = 0;
    // A score is a share of the credit (0–1); anything else is left out and counted.
    let mut share = |v: Option<f64>| match v {
        Some(x) if (0.0..=1.0).contains(&x) => Some(x),
        Some(_) => {
            out_of_range += 1;
            None
        }
        None => None,
    };
    for st in statements {
        if st["id"].as_str().is_some_and(|id| voided.contains(id)) {
            continue;
        }
        let Some(reg) = st["context"]["registration"].as_str() else {
            continue;
        };
        if st["context"]["platform"].as_str() != Some("Casus") {
            continue;
        }
        let verb = st["verb"]["id"].as_str().unwrap_or("");
        let verb = verb.rsplit('/').next().unwrap_or("");
        let row = by_reg.entry(reg.to_string()).or_insert_with(|| Row {
            status: "in_progress".into(),
            ..Row::default()
        });
        if row.trainee.is_empty() {
            row.trainee = st["actor"]["account"]["name"]
                .as_str()
                .unwrap_or("")
                .to_string();
            row.name = st["actor"]["name"].as_str().map(str::to_string);
        }
        let ctx_ext = &st["context"]["extensions"];
        if let Some(m) = ext(ctx_ext, "study-minutes") {
            // The scenario format's bounds for study time.
            match m.as_u64().and_then(|m| u32::try_from(m).ok()) {
                Some(m @ 1..=6000) => row.study_minutes = m,
                _ => row_rejects += 1,
            }
        }
        if let Some(groups) = st["context"]["contextActivities"]["grouping"].as_array() {
            for g in groups {
                let (Some(id), Some(names)) =
                    (g["id"].as_str(), g["definition"]["name"].as_object())
                else {
                    continue;
                };
                let gid = id.rsplit('/').next().unwrap_or(id).to_string();
                if let Some(n) = names.get("en").or_else(|| names.values().next()) {
                    goal_names
                        .entry(gid)
                        .or_insert_with(|| n.as_str().unwrap_or("").to_string());
                }
            }
        }
        let object_id = st["object"]["id"].as_str().unwrap_or("");
        let on_scenario = !object_id.contains("/decisions/");
        if on_scenario && let Some((_, sc)) = object_id.rsplit_once("/scenarios/") {
            row.scenario = sc.to_string();
            if let Some(n) = st["object"]["definition"]["name"].as_object()
                && let Some(t) = n.values().next().and_then(Value::as_str)
            {
                row.title = t.to_string();
            }
        }
        let t = time_of(st);
        match verb {
            "initialized" => row.started_ms = t,
            "passed" | "failed" => {
                row.status = "finished".into();
                row.finished_ms = Some(t);
                row.passed = Some(verb == "passed");
                row.overall = share(st["result"]["score"]["scaled"].as_f64());
                row.scoring = ext(&st["result"]["extensions"], "scoring-version")
                    .and_then(Value::as_u64)
                    .and_then(|v| u32::try_from(v).ok());
                if let Some(goals) =
                    ext(&st["result"]["extensions"], "goal-scores").and_then(Value::as_object)
                {
                    row.goals = goals
                        .iter()
                        .filter_map(|(g, v)| Some((g.clone(), share(v["scaled"].as_f64())?)))
                        .collect();
                }
            }
            "abandoned" if row.status != "finished" => row.status = "abandoned".into(),
            _ => {}
        }
    }
    let mut rows: Vec<Row> = by_reg
        .into_values()
        .filter(|r| !r.scenario.is_empty())
        .collect();
    rows.sort_by(|a, b| (a.started_ms, &a.trainee).cmp(&(b.started_ms, &b.trainee)));
    ReportData {
        source: source.to_string(),
        rows,
        goal_names,
        goal_order: Vec::new(),
        out_of_range: out_of_range + row_rejects,
    }
}

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Text-direction overrides would reorder what follows them on the page.
            c if super::is_display_control(c) && !matches!(c, '\n' | '\r' | '\t') => {
                out.push('\u{FFFD}')
            }
            c => out.push(c),
        }
    }
    out
}

/// The page's style, shared with certificates.
pub const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;\
color:#1d2733;padding:0 1rem}h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;\
border-bottom:1px solid #ccd5df}table{border-collapse:collapse;margin:.5rem 0}\
td,th{padding:.25rem .6rem;border-bottom:1px solid #e3e8ee;text-align:left}\
th{background:#f2f5f8}.num{text-align:right}.muted{color:#5b6877}\
.goal{display:inline-block;margin:0 1.5rem 1rem 0;vertical-align:top}\
.nw{white-space:nowrap}svg{vertical-align:middle}";

/// A histogram of scores 0–1 in ten bins.
fn histogram(values: &[f64]) -> String {
    let mut bins = [0usize; 10];
    for v in values {
        bins[((v * 10.0).floor() as usize).min(9)] += 1;
    }
    let max = bins.iter().copied().max().unwrap_or(0).max(1);
    let (w, h) = (220.0, 90.0);
    let mut s = format!(
        "<svg xmlns='http://www.w3.org/2000/svg' width='{w}' height='{}' role='img'>",
        h + 16.0
    );
    for (i, &n) in bins.iter().enumerate() {
        let bh = h * n as f64 / max as f64;
        let _ = write!(
            s,
            "<rect x='{:.1}' y='{:.1}' width='20' height='{bh:.1}' fill='#3a7ca5'><title>{}–{}%: {n}</title></rect>",
            i as f64 * 22.0,
            h - bh,
            i * 10,
            i * 10 + 10
        );
    }
    let _ = write!(
        s,
        "<line x1='0' y1='{h}' x2='{w}' y2='{h}' stroke='#889'/>\
         <text x='0' y='{}' font-size='10'>0%</text><text x='{}' y='{}' font-size='10'>100%</text></svg>",
        h + 12.0,
        w - 26.0,
        h + 12.0
    );
    s
}

/// A horizontal bar for a share 0–1.
fn bar(share: f64, colour: &str) -> String {
    let w = (share.clamp(0.0, 1.0) * 200.0).round();
    format!(
        "<svg xmlns='http://www.w3.org/2000/svg' width='200' height='12' role='img' aria-label='{:.0}%'>\
         <rect width='200' height='12' fill='#e3e8ee'/><rect width='{w}' height='12' fill='{colour}'/></svg>",
        share * 100.0
    )
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// Renders the report. `now_ms` is printed as the time of the report.
/// Which scoring rules the finished attempts' scores and verdicts were made under.
fn scoring_note(h: &mut String, finished: &[&Row]) {
    let count = |v: Option<u32>| finished.iter().filter(|r| r.scoring == v).count();
    let mut parts = Vec::new();
    for (v, what) in [
        (
            Some(2),
            "version 2 (a score is the share of the credit that can be earned; a pass needs an accepted ending, every must-do, no critical error and every goal's floor)",
        ),
        (
            Some(1),
            "version 1 (older rules: scores from the worst to the best possible run, a pass on scores alone; kept as recorded)",
        ),
        (None, "rules not recorded by the source"),
    ] {
        let n = count(v);
        if n > 0 {
            parts.push(format!(
                "{n} finished attempt{} under {what}",
                if n == 1 { "" } else { "s" }
            ));
        }
    }
    if !parts.is_empty() {
        let _ = write!(
            h,
            "<p class='muted'>Scoring rules: {}.</p>",
            esc(&parts.join("; "))
        );
    }
}

pub fn render(data: &ReportData, now_ms: u64) -> String {
    let rows = &data.rows;
    let finished: Vec<&Row> = rows.iter().filter(|r| r.status == "finished").collect();
    let trainees: BTreeSet<&str> = rows.iter().map(|r| r.trainee.as_str()).collect();
    let mut h = String::with_capacity(64 * 1024);
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Casus training report</title>\
         <style>{STYLE}</style></head><body><h1>Casus training report</h1>\
         <p class='muted'>Source: {} · made {}</p>",
        esc(&data.source),
        rfc3339(now_ms)
    );
    scoring_note(&mut h, &finished);
    if data.out_of_range > 0 {
        let _ = write!(
            h,
            "<p class='muted'>{} value(s) read from the source were out of range (a score outside \
             0–100 %, or study time outside 1–6000 minutes) and are left out.</p>",
            data.out_of_range
        );
    }
    // Overview and completion.
    let count = |s: &str| rows.iter().filter(|r| r.status == s).count();
    let (fin, ab, prog) = (count("finished"), count("abandoned"), count("in_progress"));
    let total = rows.len().max(1) as f64;
    let _ = write!(
        h,
        "<h2>Overview and completion</h2><table>\
         <tr><th>Trainees</th><td class='num'>{}</td><td></td></tr>\
         <tr><th>Attempts</th><td class='num'>{}</td><td></td></tr>\
         <tr><th>Finished</th><td class='num'>{fin}</td><td class='nw'>{} {}</td></tr>\
         <tr><th>Abandoned</th><td class='num'>{ab}</td><td>{}</td></tr>\
         <tr><th>In progress</th><td class='num'>{prog}</td><td>{}</td></tr></table>",
        trainees.len(),
        rows.len(),
        bar(fin as f64 / total, "#2e8b57"),
        pct(fin as f64 / total),
        bar(ab as f64 / total, "#c0392b"),
        bar(prog as f64 / total, "#d4a017"),
    );
    // Goals.
    let mut goal_ids: Vec<&str> = Vec::new();
    for r in &finished {
        for (g, _) in &r.goals {
            if !goal_ids.contains(&g.as_str()) {
                goal_ids.push(g);
            }
        }
    }
    let rank = |g: &str| {
        data.goal_order
            .iter()
            .position(|x| x == g)
            .unwrap_or(usize::MAX)
    };
    goal_ids.sort_by_key(|g| rank(g)); // stable: unlisted goals keep their first-seen order
    h.push_str(
        "<h2>Expertise goals</h2><p class='muted'>Distribution of scores in finished \
                attempts, and the mean change from each trainee's first to latest attempt that \
                scored the goal (trainees with at least two).</p>",
    );
    for g in &goal_ids {
        let values: Vec<f64> = finished
            .iter()
            .filter_map(|r| r.goals.iter().find(|(x, _)| x == g).map(|(_, v)| *v))
            .collect();
        let mut per_trainee: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
        for r in &finished {
            if let Some((_, v)) = r.goals.iter().find(|(x, _)| x == g) {
                per_trainee.entry(&r.trainee).or_default().push(*v);
            }
        }
        let changes: Vec<f64> = per_trainee
            .values()
            .filter(|v| v.len() >= 2)
            .map(|v| v[v.len() - 1] - v[0])
            .collect();
        let mean = values.iter().sum::<f64>() / values.len().max(1) as f64;
        let change = if changes.is_empty() {
            "—".to_string()
        } else {
            let c = changes.iter().sum::<f64>() / changes.len() as f64;
            format!(
                "{}{:.0} points (n = {})",
                if c >= 0.0 { "+" } else { "" },
                c * 100.0,
                changes.len()
            )
        };
        let name = data.goal_names.get(*g).map_or(*g, String::as_str);
        let _ = write!(
            h,
            "<div class='goal'><strong>{}</strong><br>{}<br>mean {} · n = {}<br>change: {}</div>",
            esc(name),
            histogram(&values),
            pct(mean),
            values.len(),
            esc(&change)
        );
    }
    // Scenarios.
    h.push_str(
        "<h2>Pass rates per scenario</h2><table><tr><th>Scenario</th><th class='num'>Attempts</th>\
                <th class='num'>Finished</th><th class='num'>Passed</th><th>Pass rate</th></tr>",
    );
    let mut by_sc: BTreeMap<(&str, &str), (usize, usize, usize)> = BTreeMap::new();
    for r in rows {
        let e = by_sc.entry((&r.title, &r.scenario)).or_default();
        e.0 += 1;
        if r.status == "finished" {
            e.1 += 1;
            if r.passed == Some(true) {
                e.2 += 1;
            }
        }
    }
    for ((title, id), (n, f, p)) in &by_sc {
        let rate = *p as f64 / (*f).max(1) as f64;
        let _ = write!(
            h,
            "<tr><td>{} <span class='muted'>{}</span></td><td class='num'>{n}</td><td class='num'>{f}</td>\
             <td class='num'>{p}</td><td class='nw'>{} {}</td></tr>",
            esc(title),
            esc(id),
            bar(rate, "#2e8b57"),
            if *f == 0 { "—".into() } else { pct(rate) }
        );
    }
    h.push_str("</table>");
    // Study hours.
    h.push_str("<h2>Study hours per trainee</h2><p class='muted'>Declared study load of the \
                scenarios a trainee finished (each scenario counted once, test time excluded), \
                for SKJ re-registration; time on task is the time actually spent in finished \
                attempts.</p><table><tr><th>Trainee</th><th class='num'>Cases finished</th>\
                <th class='num'>Passed</th><th class='num'>Study hours</th><th class='num'>Time on task</th>\
                <th>Last activity</th></tr>");
    for t in &trainees {
        let mine: Vec<&&Row> = finished.iter().filter(|r| r.trainee == *t).collect();
        let mut cases: BTreeMap<&str, u32> = BTreeMap::new();
        for r in &mine {
            cases.insert(&r.scenario, r.study_minutes);
        }
        let passed: BTreeSet<&str> = mine
            .iter()
            .filter(|r| r.passed == Some(true))
            .map(|r| r.scenario.as_str())
            .collect();
        let minutes: u32 = cases.values().sum();
        let on_task: u64 = mine
            .iter()
            .filter_map(|r| Some(r.finished_ms?.saturating_sub(r.started_ms)))
            .sum();
        let last = rows
            .iter()
            .filter(|r| r.trainee == *t)
            .map(|r| r.finished_ms.unwrap_or(r.started_ms))
            .max()
            .unwrap_or(0);
        let label = rows
            .iter()
            .find(|r| r.trainee == *t)
            .and_then(|r| r.name.clone())
            .map_or_else(
                || esc(t),
                |n| format!("{} <span class='muted'>{}</span>", esc(&n), esc(t)),
            );
        let _ = write!(
            h,
            "<tr><td>{label}</td><td class='num'>{}</td><td class='num'>{}</td><td class='num'>{:.1}</td>\
             <td class='num'>{:.1} h</td><td>{}</td></tr>",
            cases.len(),
            passed.len(),
            f64::from(minutes) / 60.0,
            on_task as f64 / 3_600_000.0,
            date(last)
        );
    }
    h.push_str("</table></body></html>\n");
    h
}

#[cfg(test)]
mod tests {

    #[test]
    fn values_from_an_lrs_out_of_range_are_left_out_and_counted() {
        let ext = |n: &str| format!("https://casus.example/xapi/extensions/{n}");
        let st = |verb: &str, scaled: f64, minutes: u64, goal: f64| {
            serde_json::json!({
                "id": format!("{verb}-{scaled}"),
                "timestamp": "2026-12-01T10:00:00Z",
                "verb": {"id": format!("http://adlnet.gov/expapi/verbs/{verb}")},
                "actor": {"account": {"name": "t1"}},
                "object": {"id": "https://casus.example/xapi/scenarios/mini"},
                "context": {"registration": format!("r-{scaled}"), "platform": "Casus",
                    "extensions": {ext("study-minutes"): minutes}},
                "result": {"score": {"scaled": scaled},
                    "extensions": {ext("goal-scores"): {"signal": {"scaled": goal}}}},
            })
        };
        let data = from_statements(
            &[
                st("passed", 5.0, 1_000_000_000_000_000, -3.0),
                st("failed", 0.4, 45, 0.5),
            ],
            "lrs",
        );
        assert_eq!(data.out_of_range, 3);
        let bad = data.rows.iter().find(|r| r.passed == Some(true)).unwrap();
        assert_eq!(
            (bad.overall, bad.study_minutes, bad.goals.len()),
            (None, 0, 0)
        );
        let good = data.rows.iter().find(|r| r.passed == Some(false)).unwrap();
        assert_eq!((good.overall, good.study_minutes), (Some(0.4), 45));
        let html = render(&data, 0);
        assert!(html.contains("3 value(s) read from the source were out of range"));
        assert!(!html.contains("-300") && !html.contains("−300"));
    }

    use super::*;

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }

    #[test]
    fn goals_follow_the_catalogue_then_the_order_they_appear() {
        let row = |goals: &[&str]| Row {
            status: "finished".into(),
            goals: goals.iter().map(|g| (g.to_string(), 0.5)).collect(),
            ..Row::default()
        };
        let mut data = ReportData {
            rows: vec![
                row(&["child", "zeta", "consult"]),
                row(&["alpha", "signal"]),
            ],
            ..ReportData::default()
        };
        let order = |html: &str| {
            let mut at: Vec<(usize, &str)> = ["child", "zeta", "consult", "alpha", "signal"]
                .into_iter()
                .map(|g| (html.find(&format!("<strong>{g}</strong>")).unwrap(), g))
                .collect();
            at.sort();
            at.into_iter().map(|(_, g)| g).collect::<Vec<_>>()
        };
        assert_eq!(
            order(&render(&data, 0)),
            ["child", "zeta", "consult", "alpha", "signal"]
        );
        data.goal_order = ["signal", "consult", "child"].map(String::from).to_vec();
        assert_eq!(
            order(&render(&data, 0)),
            ["signal", "consult", "child", "zeta", "alpha"]
        );
    }

    #[test]
    fn histogram_counts_land_in_their_bins() {
        let svg = histogram(&[0.0, 0.05, 0.95, 1.0]);
        assert!(svg.contains("<title>0–10%: 2</title>"), "{svg}");
        assert!(svg.contains("<title>90–100%: 2</title>"), "{svg}");
        assert!(svg.contains("<title>50–60%: 0</title>"), "{svg}");
    }
}
