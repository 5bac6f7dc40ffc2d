//! Poseidon over BN254 `Fq` (the base field: the CycleFold side's transcripts and hashes).
//!
//! # Parameters
//!
//! The same instance shape as over `Fr` (see the parent module): width `t = 3` (rate 2,
//! capacity 1), S-box `x^5`, `R_F = 8` full and `R_P = 57` partial rounds, 128-bit security.
//!
//! - `x^5` is a permutation of `Fq`: `gcd(5, q − 1) = 1` (`q − 1 ≡ 2 mod 5`; checked by a
//!   test). (`x^3` is not: `3 | q − 1`.)
//! - The round numbers of the reference script (`calc_round_numbers`, Grassi et al., ePrint
//!   2019/458, with its security margin) depend only on the field size in bits, `t`, `α` and
//!   the security level: `Fq` has 254 bits like `Fr`, so `R_F = 8`, `R_P = 57` again.
//! - Width 3 (not 5): the sponge absorbs two elements per permutation, like the `Fr` one, so
//!   one transcript code serves both sides; a fold absorbs a few dozen elements.
//! - Constants: the Grain LFSR of `generate_parameters_grain.sage 1 0 254 3 8 57` with `p = q`
//!   (same LFSR seed as over `Fr`, since the seed encodes only `n`, `t`, `R_F`, `R_P`; the
//!   rejection sampling of round constants and the reduction of the Cauchy seeds use `q`).
//!   No published test vectors for this instance exist that we know of; the tests check the
//!   constants and one permutation against arkworks' independent Grain implementation
//!   (`ark_crypto_primitives::sponge::poseidon::find_poseidon_ark_and_mds`, a dev-dependency
//!   of `kaizen-recursion`), and the same code path reproduces the published `Fr` constants.

use std::sync::OnceLock;

use kaizen_field::Fq;

use super::{permute_with, PoseidonParams, WIDTH};

/// The `Fq` parameters (generated once per process).
pub fn params() -> &'static PoseidonParams<Fq> {
    static PARAMS: OnceLock<PoseidonParams<Fq>> = OnceLock::new();
    PARAMS.get_or_init(PoseidonParams::<Fq>::generate)
}

/// The Poseidon permutation over `Fq`.
pub fn permute(state: &mut [Fq; WIDTH]) {
    permute_with(params(), state);
}
