//! Casus against a peer on the same story graphs: Yarn Spinner (the `yarnspinner` crate, the Rust
//! port of the dialogue engine behind many narrative games), and a raw adjacency-array walk as
//! the floor. Prints a Markdown table for docs/benchmarks.md.
//!
//! `cargo run --release --manifest-path benches/peer/Cargo.toml [-- N…]` (default N = 100, 1000,
//! 10000). A separate crate so the peer is never built by the project's own tests.
//!
//! The graphs are `casus::analysis::synth` scenarios: layers of eight decision nodes with three
//! choices each (one raises a bounded counter, one is locked unless the counter or a flag is set
//! and changes both, one does nothing), a weighted random draw now and then, points for two goals,
//! endings in the last layer. The same graph is written as a Yarn story: one node per Casus node,
//! options with the same conditions, `<<set>>` for the same effects and points, `dice(3)` for the
//! draws, and a node without options for an ending. Measured in one run: loading (Casus: parse,
//! check and the state-aware analysis that derives score ranges; Yarn: compile) and random
//! playthroughs (steps per second; a step is a node left by a choice or a draw).

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use casus::analysis::{Policy, simulate, synth};
use casus::scenario::load::builtin_goals;
use casus::scenario::load_str;
use casus::scenario::model::{NodeKind, Scenario};
use yarnspinner::compiler::{Compilation, Compiler, File};
use yarnspinner::runtime::{
    Dialogue, DialogueEvent, DialogueOption, MemoryVariableStorage, StringTableTextProvider,
};

/// The same graph as a Yarn story.
fn to_yarn(sc: &Scenario) -> String {
    let mut y = String::new();
    let goals: Vec<&str> = sc.goals.iter().map(|g| g.id.as_str()).collect();
    for (i, n) in sc.nodes.iter().enumerate() {
        let _ = writeln!(y, "title: {}\n---", n.id);
        if i == sc.start as usize {
            let _ = writeln!(y, "<<declare $a = 0>>\n<<declare $b = false>>");
            for g in &goals {
                let _ = writeln!(y, "<<declare ${g} = 0>>");
            }
        }
        for line in &n.lines {
            let _ = writeln!(y, "{}", line.text);
        }
        match &n.kind {
            NodeKind::Decision { choices, .. } => {
                for &c in choices {
                    let ch = &sc.choices[c as usize];
                    let cond = match ch.condition_src.as_deref() {
                        Some("a >= 1 || b") => " <<if $a >= 1 or $b>>",
                        Some(other) => panic!("no Yarn form for `{other}`"),
                        None => "",
                    };
                    let _ = writeln!(y, "-> {}{cond}", ch.text);
                    if ch.id.ends_with("_0") {
                        let _ = writeln!(
                            y,
                            "    <<if $a < 2>>\n        <<set $a to $a + 1>>\n    <<endif>>"
                        );
                    }
                    if ch.id.ends_with("_1") {
                        let _ = writeln!(
                            y,
                            "    <<if $a > 0>>\n        <<set $a to $a - 1>>\n    <<endif>>\n    <<set $b to true>>"
                        );
                    }
                    for (g, p) in goals.iter().zip(&ch.points) {
                        if *p != 0 {
                            let _ = writeln!(y, "    <<set ${g} to ${g} + {p}>>");
                        }
                    }
                    let _ = writeln!(y, "    <<jump {}>>", sc.nodes[ch.next as usize].id);
                }
            }
            NodeKind::Random(branches) => {
                assert_eq!(branches.len(), 2, "synth draws between two branches");
                let (w0, w1) = (branches[0].weight, branches[1].weight);
                let _ = writeln!(
                    y,
                    "<<if dice({}) <= {w0}>>\n    <<jump {}>>\n<<else>>\n    <<jump {}>>\n<<endif>>",
                    w0 + w1,
                    sc.nodes[branches[0].next as usize].id,
                    sc.nodes[branches[1].next as usize].id
                );
            }
            NodeKind::Goto(next) => {
                let _ = writeln!(y, "<<jump {}>>", sc.nodes[*next as usize].id);
            }
            // A Yarn node needs a body; the ending's title stands in for it.
            NodeKind::Ending(e) => {
                let _ = writeln!(y, "{}", e.title);
            }
        }
        y.push_str("===\n");
    }
    y
}

fn compile_yarn(src: &str) -> Compilation {
    Compiler::new()
        .add_file(File {
            file_name: "synth.yarn".into(),
            source: src.to_string(),
        })
        .compile()
        .expect("the Yarn story compiles")
}

/// Random playthroughs in Yarn; returns the steps (nodes left) made.
fn play_yarn(compilation: &Compilation, start: &str, runs: u64) -> u64 {
    let mut text = StringTableTextProvider::new();
    text.extend_base_language(
        compilation
            .string_table
            .iter()
            .map(|(id, info)| (id.clone(), info.text.clone())),
    );
    let mut dialogue = Dialogue::new(Box::new(MemoryVariableStorage::new()), Box::new(text));
    dialogue.add_program(compilation.program.clone().expect("a program"));
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut steps = 0;
    for _ in 0..runs {
        dialogue.variable_storage_mut().clear();
        dialogue.set_node(start).expect("start node");
        loop {
            let events = dialogue.continue_().expect("runs");
            let mut chose = false;
            for e in events {
                match e {
                    DialogueEvent::Options(opts) => {
                        let open: Vec<&DialogueOption> =
                            opts.iter().filter(|o| o.is_available).collect();
                        x ^= x << 13;
                        x ^= x >> 7;
                        x ^= x << 17;
                        let pick = open[(x % open.len() as u64) as usize].id;
                        dialogue.set_selected_option(pick).expect("option");
                        chose = true;
                    }
                    DialogueEvent::NodeComplete(_) => steps += 1,
                    DialogueEvent::DialogueComplete => {}
                    _ => {}
                }
            }
            if !chose && !dialogue.is_active() {
                break;
            }
        }
        steps -= 1; // the ending node completes without being left
    }
    steps
}

#[path = "../../common/walk.rs"]
mod walk;
use walk::raw_walk;

/// Runs `f` until at least `min` has passed; the time per call.
fn time<T>(min: Duration, mut f: impl FnMut() -> T) -> Duration {
    let t = Instant::now();
    let mut n = 0u32;
    while t.elapsed() < min || n == 0 {
        black_box(f());
        n += 1;
    }
    t.elapsed() / n
}

fn main() {
    let sizes: Vec<usize> = {
        let v: Vec<usize> = std::env::args()
            .skip(1)
            .filter_map(|a| a.parse().ok())
            .collect();
        if v.is_empty() {
            vec![100, 1000, 10_000]
        } else {
            v
        }
    };
    let goals = builtin_goals();
    println!(
        "| nodes | load: Casus | load: Yarn Spinner | load: Casus faster by | play: Casus (M steps/s) | play: Yarn Spinner (M steps/s) | play: raw walk (M steps/s) | play: Casus faster by | play: Casus / floor |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for n in sizes {
        let src = synth::scenario(n, 7);
        let sc = load_str(Path::new("synth.ron"), src.clone(), &goals)
            .scenario
            .expect("the synthetic scenario checks clean");
        let yarn = to_yarn(&sc);
        let budget = Duration::from_secs(3);
        let load_casus = time(budget, || {
            load_str(Path::new("synth.ron"), src.clone(), &goals)
        });
        let load_yarn = time(budget, || compile_yarn(&yarn));
        let comp = compile_yarn(&yarn);
        let start = sc.nodes[sc.start as usize].id.clone();
        let runs = (200_000 / n as u64).max(20);
        let t = Instant::now();
        let casus_steps = simulate(&sc, Policy::Random, runs, 1, |_| {}).steps;
        let casus_rate = casus_steps as f64 / t.elapsed().as_secs_f64() / 1e6;
        let t = Instant::now();
        let yarn_steps = play_yarn(&comp, &start, runs);
        let yarn_rate = yarn_steps as f64 / t.elapsed().as_secs_f64() / 1e6;
        let succ: Vec<Vec<u32>> = (0..sc.nodes.len() as u32)
            .map(|v| casus::scenario::graph::successors(&sc, v))
            .collect();
        let t = Instant::now();
        let raw_steps = raw_walk(&succ, sc.start, runs * 50);
        let raw_rate = raw_steps as f64 / t.elapsed().as_secs_f64() / 1e6;
        println!(
            "| {} | {:.1} ms | {:.1} ms | {:.2}× | {casus_rate:.2} | {yarn_rate:.3} | {raw_rate:.1} | {:.0}× | {:.1}% |",
            sc.nodes.len(),
            load_casus.as_secs_f64() * 1e3,
            load_yarn.as_secs_f64() * 1e3,
            load_yarn.as_secs_f64() / load_casus.as_secs_f64(),
            casus_rate / yarn_rate,
            casus_rate / raw_rate * 100.0,
        );
        eprintln!("  n={n}: {runs} runs; steps Casus {casus_steps}, Yarn {yarn_steps}");
    }
}
