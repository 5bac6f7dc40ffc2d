//! # kaizen-sumcheck
//!
//! The interactive-proof core of kaizen: multilinear tables, Fiat–Shamir transcripts and the
//! sumcheck protocol over BN254 `Fr`.
//!
//! ```text
//! asm ──> field ──┬──> msm ───────┐
//!                 └──> sumcheck ──┴──> recursion ──> nn ──> kaizen
//!                      ^^^^^^^^
//! ```
//!
//! Owns: multilinear tables (dense field and small-integer backed), eq tables, Fiat–Shamir
//! transcripts (SHA-256 and Poseidon), the sumcheck prover/verifier (in-memory and streaming),
//! the masking hook of zero-knowledge sumcheck, LogUp lookups and a generic layered GKR prover.
//! Must not: know about neural networks, groups or a concrete commitment.
//!
//! | module | contents |
//! |---|---|
//! | [`poly`] | [`DenseTable`], [`SmallTable`], [`Multilinear`], [`eq_table`], [`SplitEq`]; the variable order (drawn once) |
//! | [`transcript`] | [`Transcript`] trait, [`Sha256Transcript`], [`PoseidonTranscript`] (BN254 Poseidon t=3) |
//! | [`univariate`] | [`UniPoly`] round polynomials and their [`CompressedPoly`] form |
//! | [`prover`] | [`SumcheckInstance`] (the round trait) and the one driver [`prove`] |
//! | [`product`] | [`ProductStatement`]/[`Term`]: `Σ eq(w,x) Σ_t c_t Π f_j(x)`; [`ProductSumcheck`] (Gruen split eq) |
//! | [`small`] | [`SmallProd2`]: `Σ f g` over small-integer tables, first rounds in integers (Bagad–Domb–Thaler) |
//! | [`stream`] | [`StreamProd2`]: `Σ f g` over [`stream::TableSource`]s (memory, files), in-memory once the bound tables fit a budget; same proof |
//! | [`verifier`] | [`verify()`], [`verify_product`], decoders; returns [`EvaluationClaim`] the caller MUST check |
//! | [`gkr`] | layered GKR: [`gkr::Circuit`] of [`gkr::Layer`]s (matmul, Hadamard, linear), [`prove_gkr`], [`verify_gkr`] |
//! | [`logup`] | LogUp lookups by a GKR fractional sum: [`logup::LookupTable`] (range, custom), [`prove_logup`], [`verify_logup`] |
//! | [`zk`] | zero-knowledge sumcheck (Libra masking): [`zk::MaskPolynomial`], the hook [`zk::MaskCommitter`]/[`zk::MaskVerifier`], [`zk::prove_zk`], [`zk::verify_zk`] and product forms, the [`zk::simulator`] |
//! | [`proof`] | [`SumcheckProof`], [`ProductProof`] and their bytes |
//! | [`error`] | [`VerifyError`]: `Malformed` vs `Rejected { check, round, .. }` |
//!
//! Labels (domain separators) are the `LABEL_*` constants below; protocols built on this
//! crate start their transcript with [`Transcript::new`] and their own protocol label.

pub mod error;
pub mod gkr;
pub mod logup;
pub mod poly;
mod prod2;
pub mod product;
pub mod proof;
pub mod prover;
pub mod small;
pub mod stream;
pub mod transcript;
pub mod univariate;
pub mod verifier;
pub mod zk;

pub use error::{Check, Malformed, VerifyError};
pub use gkr::{prove_gkr, verify_gkr};
pub use logup::{prove_logup, verify_logup};
pub use poly::{eq_eval, eq_table, DenseTable, Multilinear, SmallTable, SplitEq};
pub use product::{claimed_sum, prove_product, ProductStatement, ProductSumcheck, Term};
pub use proof::{ProductProof, SumcheckProof};
pub use prover::{prove, ProverOutput, SumcheckInstance};
pub use small::SmallProd2;
pub use stream::StreamProd2;
pub use transcript::{PoseidonTranscript, Sha256Transcript, Transcript};
pub use univariate::{CompressedPoly, UniPoly};
pub use verifier::{
    decode_product_proof, decode_sumcheck_proof, verify, verify_product, EvaluationClaim,
};

/// Most factors in one product term.
pub const MAX_FACTORS: usize = 4;

/// Protocol label of a standalone product sumcheck.
pub const PROTOCOL_PRODUCT_SUMCHECK: &[u8] = b"kaizen/sumcheck/product/v1";
/// Label: number of rounds.
pub const LABEL_NUM_ROUNDS: &[u8] = b"sumcheck/num-rounds";
/// Label: degree bound.
pub const LABEL_DEGREE: &[u8] = b"sumcheck/degree";
/// Label: the claimed sum.
pub const LABEL_CLAIM: &[u8] = b"sumcheck/claim";
/// Label: a compressed round polynomial.
pub const LABEL_ROUND_POLY: &[u8] = b"sumcheck/round-poly";
/// Label: a round challenge.
pub const LABEL_ROUND_CHALLENGE: &[u8] = b"sumcheck/round-challenge";
/// Label: statement shape (variables, factors, terms).
pub const LABEL_STATEMENT: &[u8] = b"sumcheck/statement";
/// Label: a term's coefficient and factor indices.
pub const LABEL_TERM_COEFFS: &[u8] = b"sumcheck/term";
/// Label: the eq point.
pub const LABEL_EQ_POINT: &[u8] = b"sumcheck/eq-point";
/// Label: the factors' evaluations at the final point.
pub const LABEL_FACTOR_EVALS: &[u8] = b"sumcheck/factor-evals";
