//! A layered layout of a [`Drawing`] rendered as SVG, so authors see their case without
//! installing Graphviz.
//!
//! Nodes are put in layers by their longest distance from the start (edges that loop back are
//! set aside), ordered within a layer by the mean position of their neighbours over a few sweeps
//! to reduce crossings, and joined by curves; edges that loop back bend around the right side.
//! Everything is linear or near-linear in the size of the graph.

use std::fmt::Write as _;

use super::drawing::Drawing;

const ROW: f64 = 120.0;
const GAP: f64 = 48.0;
const BOX_H: f64 = 26.0;
const CHAR_W: f64 = 7.2;
const MARGIN: f64 = 30.0;

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn box_w(d: &Drawing, n: usize) -> f64 {
    let chars = d.nodes[n]
        .label
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(1);
    (chars as f64 * CHAR_W + 20.0).max(90.0)
}

fn box_h(d: &Drawing, n: usize) -> f64 {
    BOX_H + 15.0 * (d.nodes[n].label.len().saturating_sub(1)) as f64
}

/// Layer of every node, and which edges loop back.
fn layers(d: &Drawing) -> (Vec<usize>, Vec<bool>) {
    let n = d.nodes.len();
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (k, e) in d.edges.iter().enumerate() {
        out[e.from].push(k);
    }
    // Depth-first from the start, then from every node not yet seen: back edges close loops.
    let mut color = vec![0u8; n];
    let mut back = vec![false; d.edges.len()];
    let mut order = Vec::with_capacity(n); // reverse post-order = a topological order of the rest
    let roots = std::iter::once(d.start).chain(0..n);
    for root in roots {
        if color[root] != 0 {
            continue;
        }
        color[root] = 1;
        let mut stack = vec![(root, 0usize)];
        while let Some((v, k)) = stack.last_mut() {
            let v = *v;
            if let Some(&ek) = out[v].get(*k) {
                *k += 1;
                let w = d.edges[ek].to;
                match color[w] {
                    0 => {
                        color[w] = 1;
                        stack.push((w, 0));
                    }
                    1 => back[ek] = true,
                    _ => {}
                }
            } else {
                color[v] = 2;
                order.push(v);
                stack.pop();
            }
        }
    }
    order.reverse();
    let mut layer = vec![0usize; n];
    for &v in &order {
        for &ek in &out[v] {
            if !back[ek] {
                let w = d.edges[ek].to;
                layer[w] = layer[w].max(layer[v] + 1);
            }
        }
    }
    (layer, back)
}

/// Where every node of a drawing goes: centre, box size, and the edges that loop back.
#[derive(Debug, Clone)]
pub struct Layout {
    pub cx: Vec<f64>,
    pub cy: Vec<f64>,
    pub w: Vec<f64>,
    pub h: Vec<f64>,
    pub layer: Vec<usize>,
    pub back: Vec<bool>,
    pub width: f64,
    pub height: f64,
}

/// Lays out a drawing in layers.
pub fn layout(d: &Drawing) -> Layout {
    let n = d.nodes.len();
    let (layer, back) = layers(d);
    let depth = layer.iter().copied().max().unwrap_or(0) + 1;
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); depth];
    for v in 0..n {
        rows[layer[v]].push(v);
    }
    // Order within rows by the barycentre of neighbours in the row above, then below.
    let mut pos = vec![0f64; n];
    let set_pos = |rows: &Vec<Vec<usize>>, pos: &mut Vec<f64>| {
        for r in rows {
            for (i, &v) in r.iter().enumerate() {
                pos[v] = i as f64;
            }
        }
    };
    set_pos(&rows, &mut pos);
    // Neighbours in the adjacent rows, above and below.
    let mut above: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut below: Vec<Vec<usize>> = vec![Vec::new(); n];
    for e in &d.edges {
        if layer[e.from] + 1 == layer[e.to] {
            above[e.to].push(e.from);
            below[e.from].push(e.to);
        }
    }
    for sweep in 0..6 {
        let neighbours = if sweep % 2 == 0 { &above } else { &below };
        for row in rows.iter_mut() {
            let mut keyed: Vec<(f64, usize)> = row
                .iter()
                .map(|&v| {
                    let ns = &neighbours[v];
                    let key = if ns.is_empty() {
                        pos[v]
                    } else {
                        ns.iter().map(|&u| pos[u]).sum::<f64>() / ns.len() as f64
                    };
                    (key, v)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            *row = keyed.into_iter().map(|(_, v)| v).collect();
            for (i, &v) in row.iter().enumerate() {
                pos[v] = i as f64;
            }
        }
    }
    // Coordinates: rows centred on the widest.
    let widths: Vec<f64> = rows
        .iter()
        .map(|r| r.iter().map(|&v| box_w(d, v) + GAP).sum::<f64>() - GAP)
        .collect();
    let max_w = widths.iter().copied().fold(0.0, f64::max).max(200.0);
    let mut cx = vec![0f64; n];
    let mut cy = vec![0f64; n];
    for (r, row) in rows.iter().enumerate() {
        let mut x = MARGIN + (max_w - widths[r]) / 2.0;
        for &v in row {
            let w = box_w(d, v);
            cx[v] = x + w / 2.0;
            cy[v] = MARGIN + 30.0 + r as f64 * ROW;
            x += w + GAP;
        }
    }
    let width = max_w + 2.0 * MARGIN + 160.0;
    let height = MARGIN * 2.0 + 30.0 + depth as f64 * ROW;
    Layout {
        w: (0..n).map(|v| box_w(d, v)).collect(),
        h: (0..n).map(|v| box_h(d, v)).collect(),
        cx,
        cy,
        layer,
        back,
        width,
        height,
    }
}

/// Renders the drawing as a standalone SVG document.
pub fn to_svg(d: &Drawing) -> String {
    let n = d.nodes.len();
    let Layout {
        cx,
        cy,
        layer,
        back,
        width,
        height,
        ..
    } = layout(d);
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(s, r##"<rect width="100%" height="100%" fill="#ffffff"/>"##);
    let _ = writeln!(
        s,
        r##"<text x="{MARGIN}" y="{}" font-size="16" font-weight="bold">{}</text>"##,
        MARGIN,
        xml(&d.title)
    );
    let _ = writeln!(
        s,
        r##"<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/></marker></defs>"##
    );
    // Parallel edges between the same two nodes fan out.
    let mut seen: std::collections::HashMap<(usize, usize), usize> =
        std::collections::HashMap::new();
    for (k, e) in d.edges.iter().enumerate() {
        let nth = {
            let c = seen.entry((e.from, e.to)).or_insert(0);
            *c += 1;
            *c - 1
        };
        let fan = (nth as f64) * 40.0 * if nth % 2 == 0 { 1.0 } else { -1.0 };
        let (x1, y1) = (cx[e.from], cy[e.from] + box_h(d, e.from) / 2.0);
        let (x2, y2) = (cx[e.to], cy[e.to] - box_h(d, e.to) / 2.0);
        let dash = if e.dashed {
            r#" stroke-dasharray="6,4""#
        } else {
            ""
        };
        let (path, lx, ly) = if back[k] || layer[e.to] <= layer[e.from] {
            // Loop back: leave on the right, come round, enter from the right.
            let (sx, sy) = (cx[e.from] + box_w(d, e.from) / 2.0, cy[e.from]);
            let (tx, ty) = (cx[e.to] + box_w(d, e.to) / 2.0, cy[e.to]);
            let out = sx.max(tx) + 60.0 + fan.abs();
            (
                format!("M{sx:.1},{sy:.1} C{out:.1},{sy:.1} {out:.1},{ty:.1} {tx:.1},{ty:.1}"),
                out - 10.0,
                (sy + ty) / 2.0,
            )
        } else {
            let my = (y1 + y2) / 2.0;
            (
                format!(
                    "M{x1:.1},{y1:.1} C{:.1},{my:.1} {:.1},{my:.1} {x2:.1},{y2:.1}",
                    x1 + fan,
                    x2 + fan
                ),
                (x1 + x2) / 2.0 + fan * 0.75,
                my,
            )
        };
        let _ = writeln!(
            s,
            r#"<path d="{path}" fill="none" stroke="{}" stroke-width="{}"{dash} marker-end="url(#arrow)"/>"#,
            e.color, e.width
        );
        if !e.label.is_empty() {
            let _ = writeln!(
                s,
                r##"<text x="{lx:.1}" y="{ly:.1}" text-anchor="middle" font-size="10" fill="{}" stroke="#ffffff" stroke-width="3" paint-order="stroke">{}</text>"##,
                e.color,
                xml(&e.label)
            );
        }
    }
    for v in 0..n {
        let (w, h) = (box_w(d, v), box_h(d, v));
        let node = &d.nodes[v];
        let dash = if node.dashed {
            r#" stroke-dasharray="5,3""#
        } else {
            ""
        };
        let _ = writeln!(
            s,
            r#"<rect x="{:.1}" y="{:.1}" width="{w:.1}" height="{h:.1}" rx="5" fill="{}" stroke="{}"{dash}/>"#,
            cx[v] - w / 2.0,
            cy[v] - h / 2.0,
            node.fill,
            node.stroke
        );
        for (i, line) in node.label.iter().enumerate() {
            let y = cy[v] - h / 2.0 + 17.0 + 15.0 * i as f64;
            let weight = if i == 0 { r#" font-weight="bold""# } else { "" };
            let _ = writeln!(
                s,
                r#"<text x="{:.1}" y="{y:.1}" text-anchor="middle" fill="{}"{weight}>{}</text>"#,
                cx[v],
                node.stroke,
                xml(line)
            );
        }
    }
    s.push_str("</svg>\n");
    s
}
