//! # kaizen-msm
//!
//! BN254 G1 and Grumpkin, transparent Pedersen generators, and a small-scalar-aware
//! multi-scalar multiplication (Pippenger with batch-affine buckets, GLV, fixed-base tables).
//!
//! ```text
//! asm ──> field ──┬──> msm ───────┐
//!                 └──> sumcheck ──┴──> recursion ──> nn ──> kaizen
//! ```
//!
//! Owns: BN254 G1 and Grumpkin curves, Pippenger and fixed-base MSM, Pedersen generators (and,
//! later, the Hyrax-layout Pedersen commitment with its inner-product opening proof).
//! Must not: depend on `sumcheck`.
//!
//! | module | contents |
//! |---|---|
//! | [`curve`] | [`Curve`] (constants of `y^2 = x^3 + b`), [`Affine`], [`Projective`] (Jacobian), [`Xyzz`] |
//! | [`bn254`] | [`Bn254`]: G1 over `Fq`; [`G1Affine`], [`G1Projective`] |
//! | [`grumpkin`] | [`Grumpkin`]: over `Fr`; [`GrumpkinAffine`], [`GrumpkinProjective`] |
//! | [`glv`] | endomorphism and the documented scalar decomposition [`glv::decompose`] |
//! | [`encoding`] | 32-byte compressed / 64-byte uncompressed formats, [`DecodeError`] |
//! | [`decode`] | validating decoders of untrusted bytes (no-panic lints) |
//! | [`generators`] | [`generators()`]: SHA-256 try-and-increment hash-to-curve |
//! | [`pippenger`] | [`msm_vartime`], [`msm_small_vartime`], [`msm_many_vartime`], [`naive_msm`] |
//! | [`fixed_base`] | [`FixedBaseTable`]: precomputed windows for repeated MSMs over the same bases |
//! | [`transcript`] | [`ProofTranscript`]: the Fiat–Shamir interface (implemented in `kaizen-recursion`) |
//! | [`pedersen`] | [`PedersenGens`] (`G_i`, `U`, `H`, documented tags), hiding vector commitments, [`Blinder`] |
//! | [`ipa`] | zero-knowledge inner-product argument (blinded Bulletproofs rounds + Schnorr step), prover |
//! | [`hyrax`] | Hyrax-layout polynomial commitment (`R x C` rows), evaluation prover, encodings |
//! | [`verify`] | IPA and Hyrax verifiers, commitment/proof decoders (no-panic lints), [`PcsError`] |
//!
//! Every MSM and scalar multiplication is variable time and named `_vartime`: use them on
//! public data or on data whose timing the proof already reveals, never on secret scalars.
//! Results do not depend on the rayon thread count.

pub mod bn254;
pub mod curve;
pub mod decode;
pub mod encoding;
pub mod fixed_base;
pub mod generators;
pub mod glv;
pub mod grumpkin;
pub mod hyrax;
pub mod ipa;
pub mod pedersen;
pub mod pippenger;
pub mod transcript;
pub mod verify;

pub use bn254::{Bn254, G1Affine, G1Projective};
pub use curve::{Affine, Base, Curve, Projective, Scalar, Xyzz};
pub use encoding::{Coordinate, DecodeError};
pub use fixed_base::FixedBaseTable;
pub use generators::generators;
pub use grumpkin::{Grumpkin, GrumpkinAffine, GrumpkinProjective};
pub use hyrax::{HyraxCommitment, HyraxEvalProof, HyraxOpening, HyraxParams};
pub use ipa::IpaProof;
pub use pedersen::{Blinder, PedersenGens};
pub use pippenger::{
    msm_many_small_vartime, msm_many_vartime, msm_small_vartime, msm_vartime, naive_msm,
    try_msm_vartime, SmallScalar,
};
pub use transcript::ProofTranscript;
pub use verify::{Check, Malformed, PcsError};

/// Errors of this crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MsmError {
    /// A point failed to decode.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// Bases and scalars of different lengths.
    #[error("msm: {bases} bases but {scalars} scalars")]
    LengthMismatch {
        /// Number of bases.
        bases: usize,
        /// Number of scalars.
        scalars: usize,
    },
}

/// The test seed: `KAIZEN_TEST_SEED` if set, else a constant (printed in failure messages).
#[cfg(test)]
pub(crate) fn test_seed() -> u64 {
    std::env::var("KAIZEN_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x6b61_697a_656e_6d73)
}
