//! Synthetic scenarios of any size, for benchmarks and property tests.
//!
//! A generated scenario is a layered case: decision nodes with three choices into the next
//! layer, a random draw now and then, two bounded variables that lock some choices, and endings
//! in the last layer. It is valid by construction, so `casus check` accepts it; its text goes
//! through the same loader as any trainer's file.

use std::fmt::Write as _;

use crate::play::rng::splitmix;

/// The RON text of a generated scenario with about `nodes` nodes (at least 8).
pub fn scenario(nodes: usize, seed: u64) -> String {
    let width = 8usize;
    let layers = (nodes.max(8) / width).max(2);
    let mut x = seed;
    let mut rnd = |n: usize| (splitmix(&mut x) % n as u64) as usize;
    let id = |l: usize, k: usize| format!("n{l}_{k}");
    let mut s = String::new();
    s.push_str(
        "(\n    id: \"synth\", version: \"1\", title: \"Synthetisch\", language: \"nl\", kind: Safety,\n    summary: \"Gegenereerd.\", study_minutes: 10,\n    goals: {\"signal\": 1.0, \"decide\": 2.0}, pass: (overall: 0.5),\n    variables: [(id: \"a\", value: Int(0), min: 0, max: 2), (id: \"b\", value: Bool(false))],\n    start: \"n0_0\",\n    nodes: [\n",
    );
    for l in 0..layers {
        for k in 0..width {
            let me = id(l, k);
            if l + 1 == layers {
                let outcome = ["Safe", "Partial", "Unsafe"][k % 3];
                let _ = writeln!(
                    s,
                    "        (id: \"{me}\", ending: (outcome: {outcome}, title: \"E\", debrief: \"E.\")),"
                );
                continue;
            }
            if l > 0 && (l * width + k) % 7 == 3 {
                let (a, b) = (id(l + 1, rnd(width)), id(l + 1, rnd(width)));
                let _ = writeln!(
                    s,
                    "        (id: \"{me}\", random: [(weight: 2, next: \"{a}\"), (weight: 1, next: \"{b}\")]),"
                );
                continue;
            }
            let _ = writeln!(
                s,
                "        (id: \"{me}\", lines: [(text: \"Tekst {l}.{k}\")], choices: ["
            );
            let targets = [
                id(l + 1, rnd(width)),
                id(l + 1, rnd(width)),
                id(l + 1, rnd(width)),
            ];
            let (p1, p2) = (rnd(3) as i64, rnd(3) as i64 - 1);
            let _ = writeln!(
                s,
                "            (id: \"c{l}_{k}_0\", text: \"Goed\", effects: [\"a += 1\"], points: {{\"signal\": {}, \"decide\": 1}}, rationale: \"r\", source: \"s\", expert: true, next: \"{}\"),",
                p1 + 1,
                targets[0]
            );
            let _ = writeln!(
                s,
                "            (id: \"c{l}_{k}_1\", text: \"Anders\", condition: \"a >= 1 || b\", locked_reason: \"x\", effects: [\"a -= 1\", \"b = true\"], points: {{\"signal\": {p1}, \"decide\": {p2}}}, rationale: \"r\", source: \"s\", next: \"{}\"),",
                targets[1]
            );
            let _ = writeln!(
                s,
                "            (id: \"c{l}_{k}_2\", text: \"Fout\", points: {{\"signal\": -1, \"decide\": -1}}, rationale: \"r\", source: \"s\", next: \"{}\"),",
                targets[2]
            );
            s.push_str("        ]),\n");
        }
    }
    s.push_str("    ],\n)\n");
    s
}
