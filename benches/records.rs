//! Appending a decision to the records database with durability on (WAL, synchronous=FULL: the
//! commit is on disk when `save_attempt` returns), against the floor of the same run: writing
//! the same number of bytes to a file and `fdatasync`-ing it.

use std::hint::black_box;
use std::io::Write;
use std::time::{Duration, Instant};

use casus::records::{Attempt, SqliteStore, Store};
use criterion::{Criterion, criterion_group, criterion_main};

#[path = "common/records.rs"]
mod common;

fn bench(c: &mut Criterion) {
    let sc = common::scenario();
    let dir = common::fresh_dir("append");
    let mut store = SqliteStore::open(&dir).expect("opens");
    let trainee = store.add_profile("Bench", None).expect("trainee").id;
    let mut g = c.benchmark_group("records");
    g.sample_size(200);
    g.measurement_time(Duration::from_secs(10));

    let mut seed = 0;
    let mut session = common::session(&sc, seed);
    let mut attempt = Attempt::start(trainee.clone(), &sc, seed, session.mode());
    g.bench_function("append_decision", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                if !common::step(&mut session) {
                    seed += 1;
                    session = common::session(&sc, seed);
                    attempt = Attempt::start(trainee.clone(), &sc, seed, session.mode());
                    common::step(&mut session);
                }
                attempt.session = Some(session.save());
                let t = Instant::now();
                store.save_attempt(black_box(&attempt), &sc).expect("saved");
                total += t.elapsed();
            }
            total
        })
    });

    // The floor: one durable write of a decision's worth of bytes (row + statement + session).
    let bytes = vec![b'x'; 4096];
    let mut f = std::fs::File::create(dir.join("floor.bin")).expect("file");
    g.bench_function("baseline_write_fdatasync_4k", |b| {
        b.iter(|| {
            f.write_all(black_box(&bytes)).expect("write");
            f.sync_data().expect("sync");
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
