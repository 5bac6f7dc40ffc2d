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
//! | [`pcs`] | [`HyraxPcs`]: setup / commit / open / verify of the hiding Hyrax commitment |
//!
//! Still to come (issue 6): zero-knowledge sumcheck, claim aggregation, the split
//! accumulator of RECURSION.md section 1; then IVC (issue [ivc]).

pub mod pcs;
pub mod transcript;

pub use pcs::HyraxPcs;
pub use transcript::TranscriptAdapter;
