//! In-circuit twins of native code, built on [`crate::ccs::ConstraintSystem`]. Each gadget is
//! tested equal to its native function (same outputs, circuit satisfied) and its row count is
//! pinned by a test.
//!
//! | module | gadget | rows |
//! |---|---|---|
//! | [`poseidon`] | [`permute`]: the BN254 Poseidon permutation (t = 3, x^5, 8 + 57 rounds) | 81 degree-5 rows (`8·3 + 57` S-boxes; round constants and MDS are linear); 0 on a constant state |
//! | [`poseidon`] | [`PoseidonTranscriptVar`]: the duplex transcript of `kaizen_sumcheck::PoseidonTranscript` | 81 per permutation after the first variable is absorbed; labels, tags and constants free |
//! | [`hypernova`] | [`verify_fold_gadget`]: the multi-folding verifier (twin of `ccs::fold::verify_fold`) | see the module doc; measured in `tests/gadgets_hypernova.rs` |
//! | [`bits`] | [`to_bits_le_strict`]: canonical bits of an `Fr` variable; [`fold_challenge_var`]: the 128-bit `ρ` | 508 (254 boolean, 1 recomposition, 253 strictness) |
//! | [`sumcheck`] | [`verify_sumcheck`], [`verify_product`]: `claim ← s(r)` by Horner with `c_1` from the claim | `d` per round, plus the transcript; final check `Σ_t (|S_t| − 1)` plus `2n` (eq factor) or 1 |

pub mod bits;
pub mod hypernova;
pub mod poseidon;
pub mod sumcheck;

pub use bits::{fold_challenge_var, recompose, to_bits_le_strict, ROWS_STRICT_BITS};
pub use hypernova::{
    point_elements, point_from_elements, verify_fold_gadget, CccsVar, FoldOutputVar,
    FoldingProofVar, LcccsVar,
};
pub use poseidon::{permute, permute_in, PoseidonTranscriptVar, ROWS_PER_PERMUTATION};
pub use sumcheck::{
    alloc_product_proof, alloc_sumcheck_proof, eq_eval_var, verify_product, verify_sumcheck,
    EvaluationClaimVar, ProductProofVar,
};
