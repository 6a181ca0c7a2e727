//! Checking and analysing scenarios of growing size, against a plain graph search in the same
//! run as the baseline (see docs/benchmarks.md).

use std::hint::black_box;
use std::path::Path;

use casus::analysis::{Limits, analyse, synth};
use casus::scenario::load::builtin_goals;
use casus::scenario::load_str;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

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

criterion_group!(benches, bench);
criterion_main!(benches);
