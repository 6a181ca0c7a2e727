//! The floor of every playthrough benchmark: a random walk over an adjacency array of a
//! scenario's graph (`Vec<Vec<u32>>`, xorshift choice; no conditions, effects, scoring or rules),
//! the physical limit for walking that graph. Shared by benches/simulate.rs and benches/peer.

/// Walks `runs` times from `start` until a node without successors; returns the steps taken.
pub fn raw_walk(succ: &[Vec<u32>], start: u32, runs: u64) -> u64 {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut steps = 0;
    for _ in 0..runs {
        let mut v = start as usize;
        while !succ[v].is_empty() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            v = succ[v][(x % succ[v].len() as u64) as usize] as usize;
            steps += 1;
        }
    }
    steps
}
