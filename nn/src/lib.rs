//! # kaizen-nn
//!
//! Fixed-point neural-network training whose every step is integer arithmetic a proof can
//! express: the prover (a later part of this crate) proves exactly what this engine computes,
//! bit for bit.
//!
//! ```text
//! asm ──> field ──┬──> msm ───────┐
//!                 └──> sumcheck ──┴──> recursion ──> nn ──> kaizen (CLI)
//! ```
//!
//! Owns: fixed-point tensors and layers, training (forward, loss, backward, SGD), datasets,
//! the per-iteration training proof. Must not: re-implement field or commitment code.
//!
//! | module | contents |
//! |---|---|
//! | [`fixed`] | [`FixedPoint`] scale `2^f` (default 16, why), the rescale `x + 2^(s-1) = q 2^s + r`, width checks |
//! | [`layers`] | dense, conv, ReLU, 2x2 max/avg pool, softmax + cross-entropy (exp table), SGD |
//! | [`model`] | [`ModelKind`] (mlp, lenet5, vgg11, lenet-ref), [`Architecture`] (exact shapes, parameter counts), [`Model`], seeded init |
//! | [`network`] | forward, backward and one training step of a [`Model`] |
//! | [`witness`] | [`Witness`]: every intermediate of an iteration in its narrowest integer type, on the heap or spilled to a memory-mapped file |
//! | [`data`] | IDX reader, [`FashionMnist`] (directory or embedded subset), transforms, [`BatchSchedule`] |
//! | [`train`] | [`train`](train::train), [`evaluate`], [`Trainer`], [`TrainConfig`], [`TrainReport`] |
//! | [`checkpoint`] | [`Checkpoint`]: versioned, digested files; temp-file + rename, no silent overwrite |
//! | [`proof`] | the per-iteration training proof: [`ProofSystem`], [`Prover`], [`verify_iteration`] |
//! | [`reference`] | the f32 twin trainer (accuracy comparison only) |
//! | [`error`] | [`NnError`], [`FileProblem`] |

pub mod checkpoint;
pub mod data;
pub mod error;
pub mod fixed;
pub mod layers;
pub mod model;
pub mod network;
pub mod proof;
pub mod reference;
pub mod train;
pub mod witness;

pub use checkpoint::Checkpoint;
pub use data::{BatchSchedule, Dataset, FashionMnist};
pub use error::{FileProblem, NnError, Result};
pub use fixed::FixedPoint;
pub use model::{Architecture, Model, ModelKind};
pub use network::StepStats;
pub use proof::{
    verify_iteration, DatasetCommitment, IterationProof, IterationStatement, ModelCommitment,
    PhaseTimes, ProofError, ProofSystem, Prover,
};
pub use train::{evaluate, train, Evaluation, Progress, TrainConfig, TrainReport, Trainer};
pub use witness::Witness;
