//! What the terminal player shows: the case's header, what is said, the choices, the feedback,
//! the case file and the debrief — every word in the case's language (the interface table of
//! `assets/i18n`), wrapped to the terminal's width when the output is a terminal.

use std::io::{self, IsTerminal, Write};

use casus::i18n::{Tr, percent};
use casus::play::{Feedback, Mode, Session};
use casus::scenario::Scenario;
use casus::score::{Debrief, outcome_key, points_named};

/// The language and width the terminal player writes in.
pub struct Term {
    pub tr: Tr,
    /// Columns to wrap at; `None` when the output is not a terminal (scripts read whole lines).
    width: Option<usize>,
}

impl Term {
    /// The terminal player for `sc`: its language, the terminal's width.
    pub fn new(sc: &Scenario) -> Term {
        Term {
            tr: Tr::new(&sc.language),
            width: io::stdout()
                .is_terminal()
                .then(|| textwrap::termwidth().clamp(40, 120)),
        }
    }

    /// Writes `text` as a paragraph: the first line after `first`, the rest under `indent`.
    pub fn para(
        &self,
        out: &mut impl Write,
        first: &str,
        indent: &str,
        text: &str,
    ) -> io::Result<()> {
        match self.width {
            Some(w) => {
                let opts = textwrap::Options::new(w)
                    .initial_indent(first)
                    .subsequent_indent(indent);
                for line in textwrap::wrap(text, opts) {
                    writeln!(out, "{line}")?;
                }
                Ok(())
            }
            None => writeln!(out, "{first}{text}"),
        }
    }

    fn t<'a>(&'a self, key: &'a str) -> &'a str {
        self.tr.t(key)
    }

    fn mode(&self, mode: Mode) -> &str {
        self.t(if mode == Mode::Exam {
            "mode.exam"
        } else {
            "mode.practice"
        })
    }

    fn goal_name(&self, sc: &Scenario, id: &str) -> String {
        sc.goals
            .iter()
            .find(|g| g.id == id)
            .map_or(id.to_string(), |g| {
                if self.tr.lang == "en" {
                    g.name.en.clone()
                } else {
                    g.name.nl.clone()
                }
            })
    }

    /// The title, kind, study time and mode; the summary; the goals by name.
    pub fn header(&self, sc: &Scenario, mode: Mode, out: &mut impl Write) -> io::Result<()> {
        let kind = self.t(match sc.kind {
            casus::scenario::def::CaseKind::Safety => "kind.safety",
            casus::scenario::def::CaseKind::Divorce => "kind.divorce",
            casus::scenario::def::CaseKind::Crisis => "kind.crisis",
        });
        writeln!(
            out,
            "═══ {} ({kind}, {} min, {})",
            sc.title,
            sc.study_minutes,
            self.mode(mode)
        )?;
        self.para(out, "", "", &sc.summary)?;
        let goals: Vec<String> = sc.goals.iter().map(|g| self.goal_name(sc, &g.id)).collect();
        let head = format!("{}: ", self.t("term.goals"));
        self.para(out, &head, "  ", &goals.join(" · "))
    }

    /// What is said at this point and the choices; `last_label` suppresses a repeated case time.
    /// A locked choice keeps its number; practice says why it is locked, an exam does not.
    pub fn scene(
        &self,
        session: &Session,
        last_label: Option<&str>,
        out: &mut impl Write,
    ) -> io::Result<()> {
        let sc = session.scenario();
        if let Some(t) = session.time_label()
            && Some(t) != last_label
        {
            writeln!(out, "\n── {t} ──")?;
        }
        for &n in session.shown() {
            for line in &sc.nodes[n as usize].lines {
                writeln!(out)?;
                match line.speaker {
                    Some(s) => {
                        let ch = &sc.characters[s as usize];
                        let who = format!("{} · {}: ", ch.name, ch.role);
                        self.para(out, &who, "    ", &line.text)?;
                    }
                    None => self.para(out, "", "", &line.text)?,
                }
            }
        }
        for &n in session.shown() {
            for f in &sc.nodes[n as usize].facts {
                let head = format!("  + {}: ", self.t("play.case_file"));
                self.para(out, &head, "    ", f)?;
            }
        }
        if session.is_finished() {
            return Ok(());
        }
        if let Some(ms) = session.time_limit_ms() {
            writeln!(
                out,
                "\n⏱ {}",
                self.tr
                    .fill("term.time_limit", &[("s", &(ms / 1000).to_string())])
            )?;
        }
        writeln!(out)?;
        let exam = session.mode() == Mode::Exam;
        for (k, o) in session.offers().into_iter().enumerate() {
            let num = format!("  {}. ", k + 1);
            if o.available {
                self.para(out, &num, "     ", &o.text)?;
            } else {
                let why = match (&o.locked_reason, exam) {
                    (Some(r), false) => r.clone(),
                    _ => self.t("play.locked").to_string(),
                };
                self.para(out, &num, "     ", &format!("(🔒 {why}) {}", o.text))?;
            }
        }
        Ok(())
    }

    /// The feedback on a choice (practice only): how it compares with the expert's, the points
    /// by goal name, the rationale and source, the expert's choice, and moods that moved.
    pub fn feedback(
        &self,
        sc: &Scenario,
        fb: &Feedback,
        mode: Mode,
        out: &mut impl Write,
    ) -> io::Result<()> {
        if mode == Mode::Exam {
            return Ok(());
        }
        let ch = &sc.choices[fb.choice as usize];
        if fb.timed_out {
            writeln!(out, "\n⏱ {}", self.t("play.timed_out"))?;
            self.para(out, "  ", "  ", &ch.text)?;
        }
        let weighted = casus::score::weighted_points(sc, fb.choice);
        let quality = if fb.timed_out || weighted < 0.0 {
            "play.q_not"
        } else if fb.expert.is_none_or(|e| e == fb.choice) {
            "play.q_good"
        } else {
            "play.q_partly"
        };
        writeln!(out, "\n▸ {}", self.t(quality))?;
        let points = points_named(sc, &fb.points, &self.tr.lang, self.t("play.no_points"));
        self.para(out, "  ", "  ", &points)?;
        self.para(out, "  ", "  ", &ch.rationale)?;
        let source = format!("  {}: ", self.t("play.source"));
        self.para(out, &source, "    ", &ch.source)?;
        if let Some(e) = fb.expert.filter(|&e| e != fb.choice) {
            let e = &sc.choices[e as usize];
            let head = if fb.expert_open {
                format!("  {} ", self.t("play.expert_would"))
            } else {
                let why = e.locked_reason.as_deref().unwrap_or(self.t("play.locked"));
                format!("  {} ({why}): ", self.t("play.expert_closed"))
            };
            self.para(out, &head, "    ", &e.text)?;
        }
        for &(c, before, after) in &fb.moods {
            writeln!(
                out,
                "  {}: {} {before:+} → {after:+}",
                sc.characters[c as usize].name,
                self.t("play.mood")
            )?;
        }
        Ok(())
    }

    /// The people (with mood and trust in practice only) and the facts so far.
    pub fn case_file(&self, session: &Session, out: &mut impl Write) -> io::Result<()> {
        let sc = session.scenario();
        let st = session.state();
        writeln!(out, "\n── {} ──", self.t("play.case_file"))?;
        for (i, c) in sc.characters.iter().enumerate() {
            let who = if session.mode() == Mode::Exam {
                format!("{} · {}", c.name, c.role)
            } else {
                format!(
                    "{} · {} ({} {:+}, {} {})",
                    c.name,
                    c.role,
                    self.t("play.mood"),
                    st.moods[i],
                    self.t("play.trust"),
                    st.trust[i]
                )
            };
            self.para(out, "  ", "    ", &who)?;
        }
        for f in session.case_file() {
            let head = format!("  • [{}] ", f.time.as_deref().unwrap_or("–"));
            self.para(out, &head, "    ", &f.text)?;
        }
        Ok(())
    }

    /// The debrief: the ending as this run reached it, the verdict with every ground, the score
    /// per goal, the errors that cost points, the decisions next to the expert's, reflection.
    pub fn debrief(&self, sc: &Scenario, d: &Debrief, out: &mut impl Write) -> io::Result<()> {
        let tr = &self.tr;
        let goal_name = |id: &str| self.goal_name(sc, id);
        let s = &d.score;
        writeln!(out, "\n═══ {}", tr.t("debrief.title"))?;
        if let Some(e) = &s.ending {
            writeln!(
                out,
                "{}: {} ({})",
                tr.t("term.ending"),
                e.title,
                tr.t(outcome_key(e.outcome))
            )?;
            for p in e.debrief.split("\n\n") {
                self.para(out, "", "", p)?;
                writeln!(out)?;
            }
        }
        writeln!(
            out,
            "{} {}",
            tr.t("verdict.title"),
            if s.passed {
                tr.t("passed").to_uppercase()
            } else {
                tr.t("failed").to_uppercase()
            }
        )?;
        for r in &s.reasons {
            let mark = if r.met() { "  ✓ " } else { "  ✗ " };
            self.para(out, mark, "    ", &r.text(tr, &goal_name))?;
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
                self.para(out, "  ✗ ", "    ", m)?;
            }
        }
        writeln!(out, "\n{}:", tr.t("debrief.timeline"))?;
        for (i, dec) in d.decisions.iter().enumerate() {
            let pts: Vec<i64> = sc
                .goals
                .iter()
                .map(|g| dec.made.points.get(&g.id).copied().unwrap_or(0))
                .collect();
            let head = format!("{:>3}. [{}] ", i + 1, dec.time.as_deref().unwrap_or("–"));
            self.para(out, &head, "     ", &dec.made.text)?;
            let points = points_named(sc, &pts, &tr.lang, tr.t("play.no_points"));
            self.para(out, "     ", "     ", &points)?;
            self.para(
                out,
                "     ",
                "     ",
                &format!("{} — {}", dec.made.rationale, dec.made.source),
            )?;
            if let Some(e) = &dec.expert {
                let head = format!("     {}: ", tr.t("debrief.expert"));
                self.para(
                    out,
                    &head,
                    "       ",
                    &format!("{} — {} ({})", e.text, e.rationale, e.source),
                )?;
            }
        }
        if !d.reflection.is_empty() {
            writeln!(out, "\n{}:", tr.t("debrief.reflection"))?;
            for q in &d.reflection {
                self.para(out, "  ? ", "    ", q)?;
            }
        }
        Ok(())
    }
}
