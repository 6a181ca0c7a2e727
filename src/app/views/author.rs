//! The author's screen: every scenario file with its diagnostics (live, with hot reload), the
//! analysis beside it, the case's graph, and playing from any node with variables set.

use egui::{Align2, FontId, RichText, Sense, Stroke, Ui, pos2, vec2};

use super::{Action, Tr, colors, muted};
use crate::analysis::Report;
use crate::analysis::drawing::Drawing;
use crate::analysis::svg::Layout;

/// One file as listed.
#[derive(Debug, Clone, PartialEq)]
pub struct FileRow {
    pub path: String,
    /// The scenario id when the file loads.
    pub scenario: Option<String>,
    pub errors: usize,
    pub warnings: usize,
    /// Ships inside the program: read-only here (copy it into a folder to change it).
    pub shipped: bool,
}

/// A variable to set before playing from a node.
#[derive(Debug, Clone, PartialEq)]
pub struct VarVm {
    pub name: String,
    pub boolean: bool,
    pub value: i64,
}

#[derive(Debug, Clone, Default)]
pub struct AuthorVm {
    pub files: Vec<FileRow>,
    pub selected: Option<usize>,
    pub diagnostics: String,
    pub report: Option<Report>,
    pub graph: Option<(Drawing, Layout)>,
    pub nodes: Vec<String>,
    pub from: String,
    pub vars: Vec<VarVm>,
    /// Folders of cases added in the app.
    pub folders: Vec<String>,
    /// The folder being typed in.
    pub new_folder: String,
}

pub fn author(ui: &mut Ui, vm: &mut AuthorVm, tr: &Tr) -> Option<Action> {
    let mut action = None;
    egui::Panel::left("author-files")
        .default_size(260.0)
        .resizable(true)
        .show(ui, |ui| {
            ui.heading(tr.t("author.folders"));
            for f in &vm.folders {
                ui.horizontal(|ui| {
                    if ui.small_button(tr.t("author.folder_remove")).clicked() {
                        action = Some(Action::RemoveFolder(f.clone()));
                    }
                    ui.label(muted(f));
                });
            }
            ui.horizontal(|ui| {
                ui.add(
                    egui::TextEdit::singleline(&mut vm.new_folder)
                        .hint_text(tr.t("author.folder_hint"))
                        .desired_width(170.0),
                );
                if ui.button(tr.t("author.folder_add")).clicked()
                    && !vm.new_folder.trim().is_empty()
                {
                    action = Some(Action::AddFolder(vm.new_folder.trim().to_string()));
                }
            });
            ui.separator();
            ui.heading(tr.t("author.files"));
            for (i, f) in vm.files.iter().enumerate() {
                let status = if f.errors > 0 {
                    RichText::new(format!("[x] {}", f.path)).color(colors::FAIL)
                } else if f.warnings > 0 {
                    RichText::new(format!("[!] {}", f.path))
                } else {
                    RichText::new(format!("[ok] {}", f.path)).color(colors::PASS)
                };
                ui.horizontal(|ui| {
                    if ui
                        .selectable_label(vm.selected == Some(i), status)
                        .clicked()
                    {
                        action = Some(Action::AuthorSelect(f.path.clone()));
                    }
                    if f.shipped {
                        ui.label(muted(tr.t("author.shipped")))
                            .on_hover_text(tr.t("author.shipped_hint"));
                    }
                });
            }
            ui.label(muted(tr.t("author.reload")));
        });
    let Some(sel) = vm.selected.and_then(|i| vm.files.get(i)).cloned() else {
        ui.label(tr.t("author.pick"));
        return action;
    };
    egui::Panel::right("author-analysis")
        .default_size(380.0)
        .resizable(true)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("analysis")
                .show(ui, |ui| {
                    ui.heading(tr.t("author.diagnostics"));
                    if vm.diagnostics.is_empty() {
                        ui.label(RichText::new(tr.t("author.clean")).color(colors::PASS));
                    } else {
                        ui.label(RichText::new(&vm.diagnostics).monospace().size(11.0));
                    }
                    if let Some(r) = &vm.report {
                        analysis(ui, r, tr);
                    }
                });
        });
    egui::CentralPanel::default().show(ui, |ui| {
        if let Some(id) = &sel.scenario {
            ui.horizontal_wrapped(|ui| {
                ui.label(tr.t("author.play_from"));
                egui::ComboBox::from_id_salt("from-node")
                    .selected_text(vm.from.clone())
                    .show_ui(ui, |ui| {
                        for n in &vm.nodes {
                            ui.selectable_value(&mut vm.from, n.clone(), n);
                        }
                    });
                for v in &mut vm.vars {
                    if v.boolean {
                        let mut b = v.value != 0;
                        ui.checkbox(&mut b, &v.name);
                        v.value = i64::from(b);
                    } else {
                        ui.label(&v.name);
                        ui.add(egui::DragValue::new(&mut v.value));
                    }
                }
                if ui
                    .button(RichText::new(tr.t("author.play")).strong())
                    .clicked()
                {
                    let vars = vm.vars.iter().map(|v| (v.name.clone(), v.value)).collect();
                    action = Some(Action::PlayFrom {
                        scenario: id.clone(),
                        node: vm.from.clone(),
                        vars,
                    });
                }
            });
        }
        if let Some((d, l)) = &vm.graph {
            egui::ScrollArea::both()
                .id_salt("graph")
                .show(ui, |ui| graph(ui, d, l));
        }
    });
    action
}

fn analysis(ui: &mut Ui, r: &Report, tr: &Tr) {
    ui.add_space(6.0);
    ui.heading(tr.t("author.analysis"));
    ui.label(muted(format!(
        "{} states, {} transitions{}",
        r.states,
        r.transitions,
        if r.exact { "" } else { " (cut short)" }
    )));
    ui.label(RichText::new(tr.t("author.endings")).strong());
    for e in &r.endings {
        let mark = if e.reachable { "[ok]" } else { "[x]" };
        ui.label(format!(
            "{mark} {} [{}] {}",
            e.id,
            e.outcome,
            if e.reachable {
                format!("— {} steps", e.witness.len())
            } else {
                String::new()
            }
        ));
        if e.reachable {
            ui.label(muted(format!("   {}", e.witness.join(" -> "))));
        }
    }
    if !r.unreachable.is_empty() {
        ui.label(
            RichText::new(tr.t("author.unreachable"))
                .strong()
                .color(colors::FAIL),
        );
        for u in &r.unreachable {
            ui.label(format!("{} `{}`: {}", u.kind, u.id, u.reason));
        }
    }
    ui.label(RichText::new(tr.t("author.goals")).strong());
    for g in &r.goals {
        let luck = if g.needs_luck { " (luck)" } else { "" };
        ui.label(format!(
            "{}: {} … {} (sure {}){luck}",
            g.id, g.min, g.max, g.guaranteed_max
        ));
    }
    if !r.dominated.is_empty() {
        ui.label(RichText::new(tr.t("author.dominated")).strong());
        let names: Vec<&str> = r.dominated.iter().map(|d| d.choice.as_str()).collect();
        ui.label(muted(names.join(", ")));
    }
    for d in &r.dead_rules {
        ui.label(format!(
            "{}: {} — {}",
            tr.t("author.dead_rule"),
            d.id,
            d.why
        ));
    }
}

fn hex(c: &str) -> egui::Color32 {
    let v = u32::from_str_radix(c.trim_start_matches('#'), 16).unwrap_or(0x888888);
    egui::Color32::from_rgb((v >> 16) as u8, (v >> 8) as u8, v as u8)
}

/// The graph, drawn with the same layout as `casus graph`.
fn graph(ui: &mut Ui, d: &Drawing, l: &Layout) {
    let scale = 0.8f32;
    let (resp, painter) = ui.allocate_painter(
        vec2(l.width as f32 * scale, l.height as f32 * scale),
        Sense::hover(),
    );
    let o = resp.rect.min;
    let p = |x: f64, y: f64| pos2(o.x + x as f32 * scale, o.y + y as f32 * scale);
    for (k, e) in d.edges.iter().enumerate() {
        let from = p(l.cx[e.from], l.cy[e.from] + l.h[e.from] / 2.0);
        let to = p(l.cx[e.to], l.cy[e.to] - l.h[e.to] / 2.0);
        let stroke = Stroke::new(e.width as f32, hex(e.color));
        if l.back[k] {
            let a = p(l.cx[e.from] + l.w[e.from] / 2.0, l.cy[e.from]);
            let b = p(l.cx[e.to] + l.w[e.to] / 2.0, l.cy[e.to]);
            let out = a.x.max(b.x) + 30.0;
            painter.line_segment([a, pos2(out, a.y)], stroke);
            painter.line_segment([pos2(out, a.y), pos2(out, b.y)], stroke);
            painter.line_segment([pos2(out, b.y), b], stroke);
        } else {
            painter.line_segment([from, to], stroke);
            painter.circle_filled(to, 2.5, hex(e.color));
        }
    }
    for (v, n) in d.nodes.iter().enumerate() {
        let rect = egui::Rect::from_center_size(
            p(l.cx[v], l.cy[v]),
            vec2(l.w[v] as f32 * scale, l.h[v] as f32 * scale),
        );
        painter.rect_filled(rect, 4.0, hex(n.fill));
        painter.rect_stroke(
            rect,
            4.0,
            Stroke::new(1.0, hex(n.stroke)),
            egui::StrokeKind::Inside,
        );
        painter.text(
            rect.center(),
            Align2::CENTER_CENTER,
            n.label.join("\n"),
            FontId::proportional(10.0),
            hex(n.stroke),
        );
    }
}
