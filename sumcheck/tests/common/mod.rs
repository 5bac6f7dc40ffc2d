//! Shared test helpers: seeded randomness (KAIZEN_TEST_SEED overrides the default).
#![allow(dead_code)]

use kaizen_field::testing::{test_rng, test_seed};
use kaizen_field::{Field, Fr};
use kaizen_sumcheck::{DenseTable, SmallTable};
use rand_chacha::rand_core::RngCore;
use rand_chacha::ChaCha20Rng;

pub(crate) const DEFAULT_SEED: u64 = 0x6b61_697a_656e_5343;

pub(crate) fn seed() -> u64 {
    test_seed(DEFAULT_SEED)
}

pub(crate) fn rng(salt: u64) -> ChaCha20Rng {
    test_rng(DEFAULT_SEED, salt)
}

pub(crate) fn rand_fr(rng: &mut ChaCha20Rng) -> Fr {
    Fr::random(rng)
}

pub(crate) use kaizen_field::testing::random_vec as rand_vec;

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
