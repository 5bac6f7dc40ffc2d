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
//! | [`ccs`] | CCS over `Fr`: [`ccs::ConstraintSystem`] builder (R1CS and degree-5 rows), [`ccs::Ccs`] with `is_satisfied` naming the failing row and a structure digest; matrix MLEs, [`ccs::Lcccs`], HyperNova multi-folding ([`ccs::nimfs::prove_fold`], [`ccs::fold::verify_fold`], no commitments yet) |
//! | [`gadgets`] | in-circuit twins of native code: Poseidon permutation and [`gadgets::PoseidonTranscriptVar`] (same challenges as `PoseidonTranscript`), the sumcheck verifier, the multi-folding verifier |
//! | [`pcs`] | [`HyraxPcs`]: setup / commit / open / verify of the hiding Hyrax commitment |
//! | [`zk`] | zero-knowledge sumcheck: [`PedersenMask`], the masking hook of `kaizen_sumcheck::zk` by a hiding Pedersen commitment and the ZK IPA; seeded `prove_zk` / `prove_product_zk` and their verifiers |
//!
//! Still to come (issue 6): claim aggregation, the split accumulator of RECURSION.md section 1;
//! then IVC (issue \[ivc\]).

pub mod ccs;
pub mod gadgets;
pub mod pcs;
pub mod transcript;
pub mod zk;

pub use pcs::HyraxPcs;
pub use transcript::TranscriptAdapter;
pub use zk::{MaskPoint, PedersenMask, PedersenZkProductProof, PedersenZkProof};
