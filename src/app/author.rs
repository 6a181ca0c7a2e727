//! The author's screen behind the view: which file is shown, its diagnostics and analysis, its
//! graph, and runs started from any node (never recorded as attempts).

use std::sync::Arc;

use super::controller::{ActiveRun, AppCore};
use super::views::ScreenId;
use super::views::author::{FileRow, VarVm};
use crate::analysis::drawing::drawing;
use crate::analysis::svg::layout;
use crate::analysis::{Limits, analyse};
use crate::play::{Mode, Session};
use crate::records::{Attempt, Store};
use crate::scenario::Severity;
use crate::scenario::expr::Type;

impl AppCore {
    /// Rebuilds the file list and, for the selected file, its diagnostics, analysis and graph.
    pub fn refresh_author(&mut self) {
        let lib = &self.library;
        let files: Vec<FileRow> = lib
            .scenarios
            .iter()
            .map(|l| {
                (
                    l.path.clone(),
                    l.scenario.as_ref().map(|s| s.id.clone()),
                    &l.diagnostics,
                )
            })
            .chain(
                lib.translations
                    .iter()
                    .map(|t| (t.path.clone(), None, &t.diagnostics)),
            )
            .map(|(path, scenario, diags)| FileRow {
                shipped: crate::scenario::sources::is_shipped(&path),
                path: path.file_name().map_or(path.display().to_string(), |n| {
                    n.to_string_lossy().into_owned()
                }),
                scenario,
                errors: diags
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .count(),
                warnings: diags
                    .iter()
                    .filter(|d| d.severity == Severity::Warning)
                    .count(),
            })
            .collect();
        let selected = self
            .author_file
            .as_ref()
            .and_then(|f| files.iter().position(|r| &r.path == f));
        let folders = self.store.settings().folders.clone();
        let vm = &mut self.author_vm;
        vm.folders = folders;
        vm.files = files;
        vm.selected = selected;
        vm.report = None;
        vm.graph = None;
        vm.diagnostics.clear();
        let Some(row) = selected.map(|i| vm.files[i].clone()) else {
            return;
        };
        let loaded = lib
            .scenarios
            .iter()
            .map(|l| (&l.path, &l.diagnostics))
            .chain(lib.translations.iter().map(|t| (&t.path, &t.diagnostics)));
        if let Some((_, diags)) = loaded.into_iter().find(|(p, _)| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy() == row.path)
        }) {
            vm.diagnostics = crate::scenario::diag::render(diags, |p| lib.source(p), false);
        }
        if let Some(sc) = row.scenario.as_deref().and_then(|id| lib.find(id)) {
            vm.report = Some(analyse(sc, Limits::default()));
            let d = drawing(sc);
            let l = layout(&d);
            vm.graph = Some((d, l));
            vm.nodes = sc.nodes.iter().map(|n| n.id.clone()).collect();
            if !vm.nodes.contains(&vm.from) {
                vm.from = sc.nodes[sc.start as usize].id.clone();
            }
            vm.vars = sc
                .variables
                .iter()
                .map(|v| VarVm {
                    name: v.id.clone(),
                    boolean: v.ty == Type::Bool,
                    value: v.initial,
                })
                .collect();
        }
    }

    pub(super) fn author_select(&mut self, file: String) {
        self.author_file = Some(file);
        self.refresh_author();
    }

    pub(super) fn play_from(
        &mut self,
        id: &str,
        node: &str,
        vars: &[(String, i64)],
        now_ms: u64,
    ) -> Result<(), String> {
        let sc = self
            .library
            .find(id)
            .ok_or_else(|| self.tr.fill("err.scenario_errors", &[("id", id)]))?;
        let n = sc
            .node_by_id(node)
            .ok_or_else(|| self.tr.fill("err.no_node", &[("node", node)]))?;
        let set: Vec<(u32, i64)> = vars
            .iter()
            .filter_map(|(name, v)| {
                sc.variables
                    .iter()
                    .position(|x| &x.id == name)
                    .map(|i| (i as u32, *v))
            })
            .collect();
        let session = Session::starting_at(Arc::clone(sc), 1, Mode::Practice, n, &set)
            .map_err(|e| e.to_string())?;
        let mut attempt = Attempt::start(
            self.profile.clone().unwrap_or_default(),
            sc,
            1,
            Mode::Practice,
        );
        attempt.title = format!("{} ({node})", sc.title);
        self.run = Some(ActiveRun {
            session,
            attempt,
            feedback: None,
            reading_since_ms: None,
            label_before: None,
            stage_before: Default::default(),
            transcript: Vec::new(),
            clock_origin_ms: now_ms,
            authoring: true,
        });
        self.screen = ScreenId::Play;
        Ok(())
    }
}
