//! Seeded randomness for the workspace's tests, benches and fuzz harnesses: one seed rule,
//! written once.
//!
//! Every test suite has a default seed of its own; `KAIZEN_TEST_SEED` (a decimal `u64`)
//! overrides it, and a failing assertion prints the seed so the run can be repeated. A test
//! draws independent streams by `salt`: `seed ^ salt · φ` (φ the 64-bit golden ratio, so
//! consecutive salts give unrelated seeds).

use rand_core::{RngCore, SeedableRng};

use crate::Field;

/// The environment variable that overrides a suite's default seed.
pub const SEED_VAR: &str = "KAIZEN_TEST_SEED";

/// `KAIZEN_TEST_SEED` if it is set to a decimal `u64`, else `default`.
pub fn test_seed(default: u64) -> u64 {
    std::env::var(SEED_VAR)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// A generator for stream `salt` of the suite seed `test_seed(default)`.
pub fn test_rng<R: SeedableRng>(default: u64, salt: u64) -> R {
    R::seed_from_u64(test_seed(default) ^ salt.wrapping_mul(0x9e37_79b9_7f4a_7c15))
}

/// `n` uniformly random field elements.
pub fn random_vec<F: Field, R: RngCore + ?Sized>(rng: &mut R, n: usize) -> Vec<F> {
    (0..n).map(|_| F::random(rng)).collect()
}

#[cfg(test)]
mod tests {
    use rand_chacha::ChaCha20Rng;
    use rand_core::{RngCore, SeedableRng};

    use super::*;
    use crate::Fr;

    #[test]
    fn salt_zero_is_the_suite_seed_and_salts_differ() {
        let mut direct = ChaCha20Rng::seed_from_u64(test_seed(7));
        let mut salt0: ChaCha20Rng = test_rng(7, 0);
        assert_eq!(direct.next_u64(), salt0.next_u64());
        let mut salted = ChaCha20Rng::seed_from_u64(test_seed(7) ^ 0x9e37_79b9_7f4a_7c15);
        let mut salt1: ChaCha20Rng = test_rng(7, 1);
        assert_eq!(salted.next_u64(), salt1.next_u64());
        let (mut a, mut b): (ChaCha20Rng, ChaCha20Rng) = (test_rng(7, 2), test_rng(7, 3));
        assert_ne!(a.next_u64(), b.next_u64());
    }

    #[test]
    fn random_vec_has_the_length_and_is_not_constant() {
        let mut rng: ChaCha20Rng = test_rng(7, 4);
        let v: Vec<Fr> = random_vec(&mut rng, 5);
        assert_eq!(v.len(), 5);
        assert!(v.windows(2).all(|w| w[0] != w[1]));
    }
}
