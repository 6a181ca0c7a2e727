//! Exports and reports at organisation scale, timed once each (a criterion loop over minutes of
//! work would prove nothing more). Prints a Markdown table for docs/benchmarks.md.
//!
//! `cargo bench --no-default-features --bench records_scale [-- ATTEMPTS]` (default 100,000
//! attempts of about 20 decisions each; the report is timed over the first 10,000).
//! Baselines in the same run: writing the same number of bytes from memory to a file (the I/O
//! floor of an export), and reading the report's rows without rendering them.

use std::io::{BufWriter, Write};
use std::time::Instant;

use casus::records::export::{self, Filter};
use casus::records::{Attempt, SqliteStore, Status, Store, Summary, report};

#[path = "common/records.rs"]
mod common;

fn secs(t: Instant) -> f64 {
    t.elapsed().as_secs_f64()
}

/// Fills `store` up to `n` attempts (one transaction each; durability relaxed while filling).
fn fill(
    store: &mut SqliteStore,
    trainees: &[String],
    template: &Attempt,
    sc: &casus::scenario::Scenario,
    from: usize,
    n: usize,
) {
    store
        .conn()
        .pragma_update(None, "synchronous", "OFF")
        .expect("pragma");
    let t = Instant::now();
    for i in from..n {
        let mut a = template.clone();
        a.id = casus::records::new_id();
        a.profile = trainees[i % trainees.len()].clone();
        a.started_ms = 1_750_000_000_000 + i as u64 * 60_000;
        a.finished_ms = Some(a.started_ms + 1_200_000);
        store.save_attempt(&a, sc).expect("saved");
        if i % 10_000 == 9_999 {
            eprintln!("  {} attempts ({:.0} s)", i + 1, secs(t));
        }
    }
    store
        .conn()
        .pragma_update(None, "synchronous", "FULL")
        .expect("pragma");
}

fn file_size(p: &std::path::Path) -> u64 {
    std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)
}

/// The I/O floor: writing `bytes` bytes from memory to a file of the same kind.
fn floor(dir: &std::path::Path, bytes: u64) -> f64 {
    let chunk = vec![b'x'; 1 << 20];
    let p = dir.join("floor.bin");
    let t = Instant::now();
    let mut w = BufWriter::new(std::fs::File::create(&p).expect("file"));
    let mut left = bytes;
    while left > 0 {
        let n = left.min(chunk.len() as u64) as usize;
        w.write_all(&chunk[..n]).expect("write");
        left -= n as u64;
    }
    w.flush().expect("flush");
    let s = secs(t);
    let _ = std::fs::remove_file(p);
    s
}

fn main() {
    let total: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100_000);
    let report_n = total.min(10_000);
    let sc = common::scenario();
    let mut s = common::session(&sc, 1);
    while common::step(&mut s) {}
    let decisions = s
        .log()
        .iter()
        .filter(|e| matches!(e, casus::play::LogEntry::Decision { .. }))
        .count();
    let dir = common::fresh_dir("scale");
    let mut store = SqliteStore::open(&dir).expect("opens");
    let trainees: Vec<String> = (0..200)
        .map(|i| {
            store
                .add_profile(&format!("T{i}"), None)
                .expect("trainee")
                .id
        })
        .collect();
    let mut template = Attempt::start(String::new(), &sc, 1, s.mode());
    template.session = Some(s.save());
    template.summary = Summary::of(&s.score());
    template.status = Status::Finished;
    eprintln!("filling {report_n} attempts of {decisions} decisions …");
    fill(&mut store, &trainees, &template, &sc, 0, report_n);

    println!("| measurement | attempts | time | baseline | ratio |");
    println!("|---|---:|---:|---:|---:|");
    // Report over report_n attempts; baseline: reading the same rows without rendering.
    let t = Instant::now();
    let data = report::from_store(&store.conn(), "bench", false).expect("rows");
    let html = report::render(&data, 0);
    let rep = secs(t);
    let t = Instant::now();
    let rows: i64 = store
        .conn()
        .query_row(
            "SELECT count(*) FROM attempts a JOIN goal_scores g ON g.attempt = a.id",
            [],
            |r| r.get(0),
        )
        .expect("scan");
    let scan = secs(t);
    println!(
        "| HTML report ({} KB) | {report_n} | {rep:.3} s | {scan:.4} s (row scan, {rows} rows) | {:.0}× |",
        html.len() / 1024,
        rep / scan.max(1e-9)
    );

    if total > report_n {
        eprintln!("filling up to {total} attempts …");
        fill(&mut store, &trainees, &template, &sc, report_n, total);
    }
    let f = Filter::default();
    for (name, which) in [("xAPI", 0), ("CSV", 1), ("JSON", 2)] {
        let path = dir.join(format!("export-{which}"));
        let t = Instant::now();
        let mut w = BufWriter::with_capacity(1 << 20, std::fs::File::create(&path).expect("file"));
        let n = match which {
            0 => export::write_xapi(&store.conn(), &f, &mut w),
            1 => export::write_csv(&store.conn(), &f, false, &mut w),
            _ => export::write_json(&store.conn(), &f, false, &mut w),
        }
        .expect("export");
        drop(w);
        let took = secs(t);
        let bytes = file_size(&path);
        let base = floor(&dir, bytes);
        println!(
            "| {name} export ({:.0} MB, {n} {}) | {total} | {took:.2} s | {base:.2} s (writing the same bytes) | {:.1}× |",
            bytes as f64 / 1e6,
            if which == 0 { "statements" } else { "attempts" },
            took / base.max(1e-9)
        );
        let _ = std::fs::remove_file(path);
    }
    eprintln!(
        "database: {:.0} MB",
        file_size(&dir.join("casus-records.sqlite")) as f64 / 1e6
    );
}
