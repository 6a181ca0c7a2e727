//! Checking and analysing scenarios of growing size, against a plain graph search in the same
//! run as the baseline, and how the cost per node changes from 1,000 to 20,000 nodes (see
//! docs/benchmarks.md).
//!
//! `CASUS_SCALING_ONCE=N` makes the binary check and analyse one generated scenario of N nodes
//! and exit, so that `benches/scaling.sh` can count its instructions under callgrind.

use std::hint::black_box;
use std::path::Path;

use casus::analysis::{Limits, analyse, synth};
use casus::scenario::def::ScenarioDef;
use casus::scenario::load::builtin_goals;
use casus::scenario::load_str;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group};

/// Baseline: reachability by breadth-first search over node indices, ignoring all state.
fn bfs(succ: &[Vec<usize>]) -> usize {
    let mut seen = vec![false; succ.len()];
    let mut queue = std::collections::VecDeque::from([0usize]);
    seen[0] = true;
    let mut n = 0;
    while let Some(v) = queue.pop_front() {
        n += 1;
        for &w in &succ[v] {
            if !seen[w] {
                seen[w] = true;
                queue.push_back(w);
            }
        }
    }
    n
}

fn bench(c: &mut Criterion) {
    let goals = builtin_goals();
    let mut g = c.benchmark_group("scenario");
    g.sample_size(10);
    for n in [100usize, 1_000, 10_000] {
        let src = synth::scenario(n, 7);
        let loaded = load_str(Path::new("synth.ron"), src.clone(), &goals);
        let sc = loaded
            .scenario
            .expect("the synthetic scenario checks clean");
        let succ: Vec<Vec<usize>> = (0..sc.nodes.len() as u32)
            .map(|v| {
                casus::scenario::graph::successors(&sc, v)
                    .into_iter()
                    .map(|w| w as usize)
                    .collect()
            })
            .collect();
        g.bench_with_input(BenchmarkId::new("baseline_bfs", n), &succ, |b, s| {
            b.iter(|| bfs(black_box(s)))
        });
        g.bench_with_input(BenchmarkId::new("analyse", n), &sc, |b, sc| {
            b.iter(|| analyse(black_box(sc), Limits::default()))
        });
        g.bench_with_input(BenchmarkId::new("load_check_analyse", n), &src, |b, src| {
            b.iter(|| load_str(Path::new("synth.ron"), black_box(src.clone()), &goals))
        });
    }
    g.finish();
}

/// Cost per node as scenarios grow: with elements = nodes, criterion's throughput stays level
/// exactly when the cost grows linearly. Parsing alone (serde + ron) is the reference.
fn scaling(c: &mut Criterion) {
    let goals = builtin_goals();
    let mut g = c.benchmark_group("scaling");
    g.sample_size(10);
    for n in [1_000usize, 2_000, 5_000, 10_000, 20_000] {
        let src = synth::scenario(n, 7);
        let sc = load_str(Path::new("synth.ron"), src.clone(), &goals)
            .scenario
            .expect("the synthetic scenario checks clean");
        g.throughput(Throughput::Elements(sc.nodes.len() as u64));
        g.bench_with_input(BenchmarkId::new("parse", n), &src, |b, src| {
            b.iter(|| casus::scenario::load::parse_ron::<ScenarioDef>(Path::new("s.ron"), src))
        });
        g.bench_with_input(BenchmarkId::new("check", n), &src, |b, src| {
            b.iter(|| load_str(Path::new("synth.ron"), black_box(src.clone()), &goals))
        });
        g.bench_with_input(BenchmarkId::new("analyse", n), &sc, |b, sc| {
            b.iter(|| analyse(black_box(sc), Limits::default()))
        });
    }
    g.finish();
}

criterion_group!(benches, bench, scaling);

fn main() {
    if let Some(n) = std::env::var("CASUS_SCALING_ONCE")
        .ok()
        .and_then(|n| n.parse().ok())
    {
        let src = synth::scenario(n, 7);
        let loaded = load_str(Path::new("synth.ron"), src, &builtin_goals());
        let report = analyse(
            loaded.scenario.as_ref().expect("checks clean"),
            Limits::default(),
        );
        println!("{n} nodes, {} states", report.states);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
