//! # kaizen-recursion
//!
//! Where the commitment (`msm`) meets the interactive-proof core (`sumcheck`).
//!
//! ```text
//! asm ──> field ──┬──> msm ───────┐
//!                 └──> sumcheck ──┴──> recursion ──> nn ──> kaizen
//! ```
//!
//! Owns: composition of `msm`'s commitment with `sumcheck`'s transcripts and (later)
//! protocols. Must not: know about neural networks.
//!
//! | module | contents |
//! |---|---|
//! | [`transcript`] | [`TranscriptAdapter`]: `msm`'s `ProofTranscript` over any sumcheck `Transcript` |
//! | [`ccs`] | CCS over any prime field (`Fr` by default): [`ccs::ConstraintSystem`] builder (R1CS and degree-5 rows), [`ccs::Ccs`] with `is_satisfied` naming the failing row and a structure digest; matrix MLEs, [`ccs::Lcccs`], committed HyperNova multi-folding ([`ccs::nimfs::prove_fold`], [`ccs::fold::verify_fold`]; hiding Pedersen witness commitments, 128-bit fold challenge, deciders in [`ccs::committed`]) |
//! | [`gadgets`] | in-circuit twins of native code: Poseidon permutation (over `Fr` and `Fq`) and [`gadgets::PoseidonTranscriptVar`] (same challenges as `PoseidonTranscript`), the sumcheck verifier, the multi-folding verifier, strict bit decomposition |
//! | [`cyclefold`] | the `Fq` side: the G1 circuit `P + ρ·Q` (128-bit ρ, complete formulas) and native Nova folding of its relaxed R1CS instances with Grumpkin commitments |
//! | [`pcs`] | [`HyraxPcs`]: setup / commit / open / verify of the hiding Hyrax commitment |
//! | [`zk`] | zero-knowledge sumcheck: [`PedersenMask`], the masking hook of `kaizen_sumcheck::zk` by a hiding Pedersen commitment and the ZK IPA; seeded `prove_zk` / `prove_product_zk` and their verifiers |
//! | [`aggregate`] | [`ClaimSet`] → [`prove_batch_open`] / [`verify_batch_open`]: k claims (one or many points) cost one opening + O(k) group ops |
//! | [`aggregate_rows`] | [`RowClaimSet`] → [`prove_row_open`] / [`verify_row_open`]: row-weighted claims on tables of any row counts (same `C`): one column sumcheck + one opening |
//! | [`accumulator`] | split accumulator `Acc = (D, r, v)` (RECURSION.md §1): [`accumulate`], [`prove_fold`], [`prove_decider`] |
//! | [`accumulator_verify`] | [`instance_from_claim`], [`verify_fold`], [`decide`], [`verify_decider`], decoders |
//! | [`claim_error`] | [`ClaimError`]: `Malformed` vs `Rejected { check }` of aggregation and accumulation |
//!
//! Still to come (issue \[ivc\]): the multi-point MSM circuit of RECURSION.md §3, the links between
//! the two sides (commitment coordinates as CycleFold public inputs), the step circuit and the IVC
//! driver.

pub mod accumulator;
pub mod accumulator_verify;
pub mod aggregate;
pub mod aggregate_rows;
pub mod aggregate_rows_verify;
pub mod aggregate_verify;
pub mod ccs;
pub mod claim_error;
mod codec;
pub mod cyclefold;
pub mod gadgets;
pub mod pcs;
pub mod transcript;
pub mod zk;

pub use accumulator::{
    accumulate, prove_decider, prove_fold, AccInstance, AccWitness, DeciderProof, FoldProof,
};
pub use accumulator_verify::{decide, instance_from_claim, verify_decider, verify_fold};
pub use aggregate::{prove_batch_open, BatchOpenProof, Claim, ClaimSet, CommittedTable};
pub use aggregate_rows::{
    prove_row_open, ColumnTerm, DenseRows, RowClaim, RowClaimSet, RowOpenProof, RowWeights,
    TableRows,
};
pub use aggregate_rows_verify::verify_row_open;
pub use aggregate_verify::verify_batch_open;
pub use claim_error::{ClaimCheck, ClaimError, ClaimMalformed};
pub use pcs::HyraxPcs;
pub use transcript::TranscriptAdapter;
pub use zk::{MaskPoint, PedersenMask, PedersenZkProductProof, PedersenZkProof};
