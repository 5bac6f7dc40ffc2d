//! Shared test helpers: seeded randomness (KAIZEN_TEST_SEED overrides the default).
#![allow(dead_code)]

use kaizen_field::{Field, Fr};
use kaizen_sumcheck::{DenseTable, SmallTable};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

pub(crate) const DEFAULT_SEED: u64 = 0x6b61_697a_656e_5343;

pub(crate) fn seed() -> u64 {
    std::env::var("KAIZEN_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_SEED)
}

pub(crate) fn rng(salt: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(seed() ^ salt.wrapping_mul(0x9e37_79b9_7f4a_7c15))
}

pub(crate) fn rand_fr(rng: &mut ChaCha20Rng) -> Fr {
    Fr::random(rng)
}

pub(crate) fn rand_vec(rng: &mut ChaCha20Rng, n: usize) -> Vec<Fr> {
    (0..n).map(|_| Fr::random(rng)).collect()
}

pub(crate) fn rand_table(rng: &mut ChaCha20Rng, num_vars: usize) -> DenseTable {
    DenseTable::new(rand_vec(rng, 1 << num_vars))
}

pub(crate) fn rand_i8_table(rng: &mut ChaCha20Rng, num_vars: usize) -> SmallTable<i8> {
    SmallTable::new(
        (0..1usize << num_vars)
            .map(|_| rng.next_u32() as i8)
            .collect(),
    )
}

pub(crate) fn rand_i16_table(rng: &mut ChaCha20Rng, num_vars: usize) -> SmallTable<i16> {
    SmallTable::new(
        (0..1usize << num_vars)
            .map(|_| rng.next_u32() as i16)
            .collect(),
    )
}

pub(crate) fn rand_i32_table(rng: &mut ChaCha20Rng, num_vars: usize) -> SmallTable<i32> {
    SmallTable::new(
        (0..1usize << num_vars)
            .map(|_| rng.next_u32() as i32)
            .collect(),
    )
}
