//! The portable seeded generator behind case variations, fixed forever so records replay.
//!
//! A 64-bit seed is expanded into a ChaCha8 key with SplitMix64; draws use rejection sampling
//! on `next_u64`. Neither depends on a library's choice of algorithm, so no upgrade can change
//! which branch a recorded seed drew.

use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};

use crate::scenario::model::Branch;

/// One step of SplitMix64.
pub fn splitmix(x: &mut u64) -> u64 {
    *x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *x;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The generator for a seed.
pub fn rng_for(seed: u64) -> ChaCha8Rng {
    let mut key = [0u8; 32];
    let mut x = seed;
    for chunk in key.chunks_mut(8) {
        chunk.copy_from_slice(&splitmix(&mut x).to_le_bytes());
    }
    ChaCha8Rng::from_seed(key)
}

/// An unbiased draw in `0..total` (`total` ≥ 1).
pub fn below(rng: &mut ChaCha8Rng, total: u64) -> u64 {
    let total = total.max(1);
    let zone = u64::MAX - (u64::MAX % total);
    loop {
        let x = rng.next_u64();
        if x < zone {
            return x % total;
        }
    }
}

/// Draws a branch index by weight.
pub fn draw(rng: &mut ChaCha8Rng, branches: &[Branch]) -> usize {
    let total: u64 = branches.iter().map(|b| u64::from(b.weight)).sum();
    let mut r = below(rng, total);
    branches
        .iter()
        .position(|b| {
            let w = u64::from(b.weight);
            if r < w {
                true
            } else {
                r -= w;
                false
            }
        })
        .unwrap_or(0)
}
