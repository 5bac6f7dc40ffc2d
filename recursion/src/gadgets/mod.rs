//! In-circuit twins of native code, built on [`crate::ccs::ConstraintSystem`]. Each gadget is
//! tested equal to its native function (same outputs, circuit satisfied) and its row count is
//! pinned by a test.
//!
//! | module | gadget | rows |
//! |---|---|---|
//! | [`poseidon`] | [`permute`]: the BN254 Poseidon permutation (t = 3, x^5, 8 + 57 rounds) | 81 degree-5 rows (`8·3 + 57` S-boxes; round constants and MDS are linear); 0 on a constant state |
//! | [`poseidon`] | [`PoseidonTranscriptVar`]: the duplex transcript of `kaizen_sumcheck::PoseidonTranscript` | 81 per permutation after the first variable is absorbed; labels, tags and constants free |
//! | [`hypernova`] | [`verify_fold_gadget`]: the multi-folding verifier (twin of `ccs::fold::verify_fold`) | see the module doc; measured in `tests/gadgets_hypernova.rs` |
//! | [`sumcheck`] | [`verify_sumcheck`], [`verify_product`]: `claim ← s(r)` by Horner with `c_1` from the claim | `d` per round, plus the transcript; final check `Σ_t (|S_t| − 1)` plus `2n` (eq factor) or 1 |

pub mod hypernova;
pub mod poseidon;
pub mod sumcheck;

pub use hypernova::{verify_fold_gadget, FoldingProofVar, LcccsVar};
pub use poseidon::{permute, PoseidonTranscriptVar, ROWS_PER_PERMUTATION};
pub use sumcheck::{
    alloc_product_proof, alloc_sumcheck_proof, eq_eval_var, verify_product, verify_sumcheck,
    EvaluationClaimVar, ProductProofVar,
};
