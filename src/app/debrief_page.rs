//! A finished attempt's debrief again: reopened from its record, and saved as an HTML page in
//! the look of the records of completion, to print or keep.

use std::fmt::Write;

use super::controller::AppCore;
use super::views::debrief::DebriefVm;
use super::views::{ScreenId, Tr};
use crate::play::Session;
use crate::records::report::{STYLE, esc};

impl AppCore {
    /// Shows the debrief of finished attempt `id`, rebuilt from its saved session.
    pub(super) fn open_debrief(&mut self, id: &str) -> Result<(), String> {
        let profile = self.profile_id()?;
        let (attempt, saved) = self.saved_attempt(id)?;
        // Only the signed-in trainee's own debriefs.
        if attempt.profile != profile {
            return Err(self.tr.t("err.attempt_gone").to_string());
        }
        // The version played must still be there: its content hash is checked on restore.
        let session = self
            .library
            .find_in(&attempt.scenario, &attempt.language)
            .and_then(|sc| Session::restore(sc, saved).ok())
            .ok_or_else(|| self.tr.t("err.debrief_gone").to_string())?;
        let mut vm = self.debrief_of(&session);
        vm.reflection = attempt.reflection.clone();
        self.debrief_reflection = attempt.reflection.clone();
        self.debrief_saved = false;
        self.last = Some(attempt);
        self.last_debrief = Some(vm);
        self.screen = ScreenId::Debrief;
        Ok(())
    }

    /// Writes the debrief on screen to `debriefs/` in the data folder; returns the path.
    pub(super) fn save_debrief(&mut self) -> Result<String, String> {
        let vm = self
            .last_debrief
            .clone()
            .ok_or_else(|| self.tr.t("err.no_finished").to_string())?;
        let attempt = self.last.as_ref();
        let dir = self
            .store
            .path()
            .parent()
            .map(|p| p.join("debriefs"))
            .ok_or_else(|| self.tr.t("err.no_finished").to_string())?;
        let name = match attempt {
            Some(a) => format!(
                "{}-{}-{}.html",
                crate::records::time::date(a.finished_ms.unwrap_or(a.started_ms)),
                a.scenario,
                a.id.get(..8).unwrap_or(&a.id)
            ),
            None => "casus-debrief.html".to_string(),
        };
        let mut vm = vm;
        vm.reflection = self.debrief_reflection.clone();
        let html = page(&vm, &self.tr);
        let path = dir.join(name);
        std::fs::create_dir_all(&dir)
            .and_then(|_| std::fs::write(&path, html))
            .and_then(|_| crate::records::owner_only(&path))
            .map_err(|e| self.tr.fill("err.save_debrief", &[("e", &e.to_string())]))?;
        Ok(path.display().to_string())
    }
}

/// The debrief as a printable page, in the interface language.
pub fn page(vm: &DebriefVm, tr: &Tr) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang='{}'><head><meta charset='utf-8'><title>{} — {}</title>\
         <style>{STYLE}</style></head><body><h1>{} — {}</h1>\
         <h2>{} <span class='muted'>({})</span></h2>",
        esc(&tr.lang),
        esc(tr.t("debrief.title")),
        esc(&vm.title),
        esc(tr.t("debrief.title")),
        esc(&vm.title),
        esc(&vm.ending),
        esc(&vm.outcome),
    );
    for p in vm.ending_text.split("\n\n") {
        let _ = write!(h, "<p>{}</p>", esc(p));
    }
    let _ = write!(
        h,
        "<h2>{}: {}</h2><ul>",
        esc(tr.t("verdict.title")),
        esc(tr.t(if vm.passed { "passed" } else { "failed" }))
    );
    for (held, text) in &vm.reasons {
        let _ = write!(
            h,
            "<li>{} {}</li>",
            if *held { "✔" } else { "✖" },
            esc(text)
        );
    }
    let _ = write!(h, "</ul><h2>{}</h2><table>", esc(tr.t("debrief.per_goal")));
    for g in &vm.goals {
        let _ = write!(
            h,
            "<tr><td>{}</td><td class='num'>{}</td><td class='muted'>≥ {}</td></tr>",
            esc(&g.name),
            crate::i18n::percent(g.scaled),
            g.threshold.map_or("–".into(), crate::i18n::percent)
        );
    }
    let _ = write!(h, "</table><h2>{}</h2><ol>", esc(tr.t("debrief.timeline")));
    for s in &vm.steps {
        let _ = write!(
            h,
            "<li><strong>{}</strong> <span class='muted'>[{}] {}</span><br>{}<br>\
             <span class='muted'>{}: {}</span>",
            esc(&s.made),
            esc(s.time.as_deref().unwrap_or("–")),
            esc(&s.points),
            esc(&s.rationale),
            esc(tr.t("play.source")),
            esc(&s.source)
        );
        if let Some((text, why, source, _)) = &s.expert {
            let _ = write!(
                h,
                "<br><em>{}: {}</em><br><span class='muted'>{} — {}</span>",
                esc(tr.t("debrief.expert")),
                esc(text),
                esc(why),
                esc(source)
            );
        }
        h.push_str("</li>");
    }
    let _ = write!(h, "</ol><h2>{}</h2>", esc(tr.t("debrief.reflection")));
    for q in &vm.questions {
        let _ = write!(h, "<p class='muted'>{}</p>", esc(q));
    }
    let _ = write!(
        h,
        "<p>{}</p></body></html>",
        esc(&vm.reflection).replace('\n', "<br>")
    );
    h
}
