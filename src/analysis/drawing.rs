//! The case as a picture: one drawing of the node graph, written as Graphviz DOT or laid out
//! as SVG without Graphviz ([`super::svg`]).
//!
//! Decisions are boxes, random draws dashed, endings coloured by outcome; choices are labelled
//! edges (the expert's drawn thick and green), random branches dashed with their weight.
//! Whatever no run reaches is greyed.

use std::fmt::Write as _;

use super::explore::{Limits, explore};
use crate::scenario::def::Outcome;
use crate::scenario::model::{NodeKind, Scenario};

/// A node as drawn.
#[derive(Debug, Clone)]
pub struct DrawNode {
    pub id: String,
    /// First line: the id; a second line for endings (outcome and title).
    pub label: Vec<String>,
    pub fill: &'static str,
    pub stroke: &'static str,
    pub dashed: bool,
}

/// An edge as drawn (indices into the nodes).
#[derive(Debug, Clone)]
pub struct DrawEdge {
    pub from: usize,
    pub to: usize,
    pub label: String,
    pub color: &'static str,
    pub width: u32,
    pub dashed: bool,
}

/// The drawing of a scenario's graph.
#[derive(Debug, Clone)]
pub struct Drawing {
    pub title: String,
    pub nodes: Vec<DrawNode>,
    pub edges: Vec<DrawEdge>,
    pub start: usize,
}

const GREY: &str = "#b0b0b0";
const INK: &str = "#202020";

/// Shortens a text to at most `n` characters.
pub fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let cut: String = s.chars().take(n.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// Draws `sc`, greying what no run reaches.
pub fn drawing(sc: &Scenario) -> Drawing {
    let ex = explore(sc, Limits::default());
    let nodes = sc
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let reached = ex.node_reached[i];
            let (fill, dashed, label) = match &n.kind {
                NodeKind::Decision { .. } => ("#ffffff", false, vec![n.id.clone()]),
                NodeKind::Random(_) => ("#eef3ff", true, vec![format!("{} (random)", n.id)]),
                NodeKind::Goto(_) => ("#f4f4f4", false, vec![n.id.clone()]),
                NodeKind::Ending(e) => {
                    let fill = match e.outcome {
                        Outcome::Safe => "#b7e4b0",
                        Outcome::Partial => "#ffd9a0",
                        Outcome::Unsafe => "#f4aaaa",
                    };
                    (
                        fill,
                        false,
                        vec![
                            n.id.clone(),
                            format!("[{}] {}", e.outcome.as_str(), short(&e.title, 30)),
                        ],
                    )
                }
            };
            DrawNode {
                id: n.id.clone(),
                label,
                fill: if reached { fill } else { "#eeeeee" },
                stroke: if reached { INK } else { GREY },
                dashed,
            }
        })
        .collect();
    let mut edges = Vec::new();
    for (i, n) in sc.nodes.iter().enumerate() {
        match &n.kind {
            NodeKind::Decision {
                choices,
                time_limit,
            } => {
                for &c in choices
                    .iter()
                    .chain(time_limit.iter().map(|t| &t.on_timeout))
                {
                    let ch = &sc.choices[c as usize];
                    let reached = ex.choice_available[c as usize];
                    edges.push(DrawEdge {
                        from: i,
                        to: ch.next as usize,
                        label: if ch.is_timeout {
                            format!("timeout: {}", ch.id)
                        } else {
                            ch.id.clone()
                        },
                        color: if !reached {
                            GREY
                        } else if ch.expert {
                            "#1a7f37"
                        } else {
                            "#404040"
                        },
                        width: if ch.expert { 3 } else { 1 },
                        dashed: false,
                    });
                }
            }
            NodeKind::Random(branches) => {
                for b in branches {
                    edges.push(DrawEdge {
                        from: i,
                        to: b.next as usize,
                        label: match &b.label {
                            Some(l) => format!("{} ({})", short(l, 24), b.weight),
                            None => format!("weight {}", b.weight),
                        },
                        color: if ex.node_reached[i] { "#3050a0" } else { GREY },
                        width: 1,
                        dashed: true,
                    });
                }
            }
            NodeKind::Goto(g) => edges.push(DrawEdge {
                from: i,
                to: *g as usize,
                label: String::new(),
                color: if ex.node_reached[i] { INK } else { GREY },
                width: 1,
                dashed: false,
            }),
            NodeKind::Ending(_) => {}
        }
    }
    Drawing {
        title: sc.title.clone(),
        nodes,
        edges,
        start: sc.start as usize,
    }
}

fn esc(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// The drawing in Graphviz DOT.
pub fn to_dot(d: &Drawing) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "digraph \"{}\" {{\n  rankdir=TB;\n  node [fontname=\"sans-serif\"];\n  edge [fontname=\"sans-serif\", fontsize=10];",
        esc(&d.title)
    );
    for n in &d.nodes {
        let style = if n.dashed { "filled,dashed" } else { "filled" };
        let _ = writeln!(
            out,
            "  \"{}\" [shape=box, style=\"{style}\", fillcolor=\"{}\", color=\"{}\", label=\"{}\"];",
            esc(&n.id),
            n.fill,
            n.stroke,
            n.label
                .iter()
                .map(|l| esc(l))
                .collect::<Vec<_>>()
                .join("\\n")
        );
    }
    for e in &d.edges {
        let style = if e.dashed { ", style=dashed" } else { "" };
        let _ = writeln!(
            out,
            "  \"{}\" -> \"{}\" [label=\"{}\", color=\"{}\", penwidth={}{style}];",
            esc(&d.nodes[e.from].id),
            esc(&d.nodes[e.to].id),
            esc(&e.label),
            e.color,
            e.width
        );
    }
    out.push_str("}\n");
    out
}
