//! Monte Carlo playthrough speed on the shipped scenarios, against a raw random walk over an
//! adjacency array of the same graph in the same run (the floor no runtime can beat).

use std::hint::black_box;
use std::path::PathBuf;

use casus::analysis::{Policy, simulate};
use casus::scenario::load_paths;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

#[path = "common/walk.rs"]
mod walk;
use walk::raw_walk;

fn bench(c: &mut Criterion) {
    let lib = load_paths(&[PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios")]);
    let mut g = c.benchmark_group("playthrough");
    g.sample_size(10);
    const RUNS: u64 = 2_000;
    for sc in lib.playable() {
        let steps = simulate(sc, Policy::Random, RUNS, 1, |_| {}).steps;
        g.throughput(Throughput::Elements(steps));
        g.bench_with_input(BenchmarkId::new("casus_simulate", &sc.id), sc, |b, sc| {
            b.iter(|| simulate(black_box(sc), Policy::Random, RUNS, 1, |_| {}))
        });
        let succ: Vec<Vec<u32>> = (0..sc.nodes.len() as u32)
            .map(|v| casus::scenario::graph::successors(sc, v))
            .collect();
        let raw_steps = raw_walk(&succ, sc.start, RUNS);
        g.throughput(Throughput::Elements(raw_steps));
        g.bench_with_input(BenchmarkId::new("raw_walk", &sc.id), &succ, |b, succ| {
            b.iter(|| raw_walk(black_box(succ), sc.start, RUNS))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
