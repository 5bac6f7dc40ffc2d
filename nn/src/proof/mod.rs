//! The per-iteration proof of training (issue 8): one training iteration of a dense/ReLU model
//! (the MLP 784-128-10 first) proven against commitments to the model before and after it and
//! to the dataset.
//!
//! ```text
//! ProofSystem::setup(config, dataset_len)      layout, relations, generators (C = 2^11)
//! Prover::new(system, config, data, seed)      commits the dataset D and W_0
//!   prover.prove_next(data)                    trains one iteration, commits J_t and W_{t+1},
//!                                              proves -> (IterationStatement, IterationProof)
//! verify_iteration(system, D, statement, proof)
//! ```
//!
//! # Objects
//!
//! - `J_t`: one multilinear table, laid out as Hyrax rows of `C` columns ([`layout`]): the model
//!   `W_t` first (every weight and bias tensor padded to powers of two, aligned, sorted by size),
//!   then the iteration's trace (activations, remainders, gradients, width limbs, LogUp
//!   multiplicities). Its first `R_W` rows are exactly the rows of [`ModelCommitment`] `W_t`:
//!   the verifier builds `J_t`'s commitment as `model_before.rows ‖ proof.trace_rows`, so the
//!   link between iterations is by construction.
//! - `W_{t+1}`: committed at iteration `t` in the same layout with its own row blinds, which the
//!   prover keeps: its rows become the model rows of `J_{t+1}`.
//! - `D`: the dataset, one Hyrax row per sample (`C_D = C = 2048` columns): the fixed-point
//!   encoded pixels `round(p 2^f / 255)` at columns `0..784` (the encoded values are committed,
//!   so the encode needs no proof), the one-hot label at columns `1024..1034`.
//!
//! # What is proven (models of dense, ReLU, convolution and max-pool layers: the MLP, LeNet-5)
//!
//! Each relation reduces evaluation claims on committed segments to more such claims
//! ([`relations`]); every claim on `J_t`, `W_{t+1}` and `D` is finally opened by ONE
//! aggregated opening ([`open`], on `kaizen_recursion::aggregate_rows`: one column sumcheck of
//! `log C` rounds, one inner-product opening; checks `claim-reduction`, `opening`).
//!
//! 1. dense forward `acc = X W^T + 2^f bias`, rescale `acc + 2^(f-1) = q 2^f + r`: at a random
//!    point `q~ 2^f + r~ - 2^(f-1) - 2^f bias~ = acc~` (check `rescale`), `acc~` by the GKR
//!    MatMul layer (check `matmul`).
//! 2. remainders `0 <= r < 2^f`, and every rescaled value (activations, `dx`, `dw`) and every
//!    new weight fits `i32`: `v + 2^31 = lo + 2^16 hi` with `lo, hi` in `[0, 2^16)` (committed
//!    `hi`, virtual `lo`): LogUp range checks, one per table width (check `range`, and
//!    `range-witness` for the linear combinations).
//! 3. ReLU: `out = sign ∘ z` (GKR Hadamard, check `hadamard`), `sign ∈ {0, 1}`, `out` and
//!    `out - z` in `[0, 2^32)` (range); backward `dx = sign ∘ dy` (Hadamard).
//! 4. dense backward: `dx = dy W`, `dw = dy^T X` with rescales (MatMul layers; a transpose is a
//!    swap of the point's halves), `db = Σ_rows dy` (`db~(p) = 2^b dy~(1/2, .., 1/2, p)`,
//!    check `column-sum`).
//! 5. SGD: `(w_old - w_new) 2^f = lr grad + 2^(f-1) - rem` at a random point (check `sgd`),
//!    `w_old` from `J_t`'s model rows, `w_new` from `W_{t+1}`; `rem` and `w_new` range-checked.
//!    The padding of every tensor of `W_t` is zero (check `pad-zero`), so padded logits,
//!    gradients and weights stay zero.
//! 6. batch selection: `X~(p) = Σ_b eq(p_b, b) D~(idx_b, 0 ‖ p_i)` for the public schedule's
//!    indices, a claim on `D` with those row weights (in the one opening, check `opening`).
//! 7. softmax and the cross-entropy gradient ([`softmax`]): the row maximum (arg-max
//!    indicator), the exp-table index and its clamp, the table lookup (a two-column LogUp),
//!    the row sums, the division with remainder, and `grad = p - 2^f onehot` against the
//!    dataset's label columns of the same rows (checks `softmax-index`, `softmax-argmax`,
//!    `softmax-exp`, `softmax-sum`, `softmax-grad`, `hadamard`, `range`).
//! 8. convolutions ([`conv`]): forward, `dW`, `dX` as MatMul layers over the im2col patches,
//!    which are never committed (GKR `Im2col` / `Col2im` layers reduce claims on them to the
//!    layer input), the bias at the real output positions, `db` as a sum over `(n, y, x)`
//!    (checks `conv`, `rescale` via the range of the remainders, `column-sum`). Tensors are
//!    `[n, c, y, x]` with every axis padded to a power of two on its own
//!    ([`layout::SegmentSpec::tensor`]); the flatten before a dense layer is free (the dense
//!    weights use the same axes).
//! 9. 2x2 max-pool ([`pool`]): a one-hot window choice, `gap = broadcast(out) - in >= 0`,
//!    `choice ∘ gap = 0`, backward `dx = choice ∘ broadcast(dy)` (checks `maxpool`,
//!    `hadamard`, `range`).
//!
//! The input `X_0` is bound to the dataset rows as is: the dataset commitment holds every
//! sample already under the model's input transform (LeNet-5: 32x32 with the zero border),
//! which is part of the trusted dataset encoding below.
//!
//! **Not proven** (accepted as given): the dataset commitment is the public input and is
//! trusted to hold the encoded pixels with zero padding and one-hot labels; the width of
//! `W_0` is not checked (every later `W_t` is range-checked as the `W_{t+1}` of the iteration
//! before; `W_0`'s padding is checked); the reported loss and accuracy are not proven (the
//! trainer only reports them). The batch must be a power of two. The proof is **not
//! zero-knowledge** beyond the hiding commitments: evaluation claims are sent in the clear (no
//! masked sumcheck, no mask row in `J_t` yet).
//!
//! Errors: the prover and the setup return [`crate::Result`] (`NnError::Proof` wraps a
//! [`ProofError`]); [`verify_iteration`] and the decoders return [`ProofError`] directly, with
//! its two kinds `Malformed` and `Rejected { check }`.
//!
//! Transcript: SHA-256, protocol [`PROTOCOL`]; absorbs the system digest, the statement
//! (iteration, lr, seed, dataset, both model commitments) and `J_t`'s trace rows before any
//! challenge ([`statement::absorb_statement`]).
//!
//! | module | contents |
//! |---|---|
//! | [`layout`] | segments of `J_t` / `W_{t+1}`, aligned packing, global points |
//! | [`relations`] | the relation plan of a model (shared by prover and verifier) |
//! | [`softmax`] | the softmax relation, written once for both sides (`softmax::Side`) |
//! | [`conv`] | the convolution steps (forward, `dW`, `dX`, `db`), written once for both sides |
//! | [`pool`] | the 2x2 max-pool steps, written once for both sides |
//! | [`wiring`] | GKR operands without a segment: permuted variables, im2col, broadcast |
//! | `builder` | the plan builder (segments, sources, relations, range items) |
//! | [`statement`] | [`ModelCommitment`], [`DatasetCommitment`], [`IterationStatement`], transcript start |
//! | [`pcs`] | row commitments with caller-kept blinds |
//! | [`open`] | the iteration's claims as row claims of three tables → one aggregated opening |
//! | [`prover`] | [`Prover`], [`PhaseTimes`] |
//! | `ctx` | the prover's running state and the proving of each relation kind |
//! | `tamper` | wrong training steps for the negative tests (`Tamper`, hidden) |
//! | `witness` | segment values from the trace, derived limbs, multiplicities, tables |
//! | [`verify`] | [`verify_iteration`] (no-panic lints) |
//! | [`encoding`] | bytes of the proof, statement and commitments (no-panic lints) |

mod builder;
pub mod conv;
mod ctx;
pub mod encoding;
pub mod layout;
pub mod open;
pub mod pcs;
pub mod pool;
pub mod prover;
pub mod relations;
pub mod softmax;
pub mod statement;
mod tamper;
pub mod verify;
pub mod wiring;
mod witness;

use kaizen_msm::PedersenGens;
use sha2::{Digest, Sha256};

use crate::error::{NnError, Result};
use crate::fixed::FixedPoint;
use crate::layers::sgd::LearningRate;
use crate::model::{Architecture, ModelKind};
use crate::train::TrainConfig;

pub use encoding::IterationProof;
pub use layout::Layout;
pub use prover::{PhaseTimes, Prover};
pub use relations::Plan;
pub use statement::{DatasetCommitment, IterationStatement, ModelCommitment};
#[doc(hidden)]
pub use tamper::Tamper;
pub use verify::verify_iteration;

/// Protocol label of the iteration transcript.
pub const PROTOCOL: &[u8] = b"kaizen/zkpot/iteration/v1";
/// `log2 C`: columns of every committed table (J_t, W_{t+1}, the dataset).
pub const LOG_COLS: usize = 11;
/// Width of the limbs of every width check (`v + offset = lo + 2^16 hi`).
pub const LIMB_BITS: u32 = 16;

/// Why a proof was not accepted, or a proof object could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProofError {
    /// The bytes or shapes break the format.
    #[error("malformed: {0}")]
    Malformed(String),
    /// A well-formed proof failed the named check.
    #[error("rejected: {check} check failed ({detail})")]
    Rejected {
        /// The check (`hyper-parameters`, `rescale`, `matmul`, `hadamard`, `column-sum`, `sgd`, `pad-zero`,
        /// `conv`, `maxpool`,
        /// `range`, `range-witness`, `softmax-index`, `softmax-argmax`, `softmax-exp`,
        /// `softmax-sum`, `softmax-grad`, `claim-reduction`, `opening`).
        check: &'static str,
        /// Where (relation or table name) and why.
        detail: String,
    },
}

impl ProofError {
    pub(crate) fn rejected(check: &'static str, detail: impl Into<String>) -> Self {
        Self::Rejected {
            check,
            detail: detail.into(),
        }
    }
}

/// Public parameters of the proof for one `(TrainConfig, dataset length)`: shapes, scale, and
/// the hyper-parameters (learning rate, seed) every iteration's statement must carry.
#[derive(Debug, Clone)]
pub struct ProofSystem {
    /// The model kind.
    pub model: ModelKind,
    /// The architecture.
    pub arch: Architecture,
    /// Batch size.
    pub batch: usize,
    /// The fixed-point scale.
    pub fp: FixedPoint,
    /// Samples in the committed dataset.
    pub dataset_len: usize,
    /// The learning rate every statement must claim (`lr_q` of `layers::sgd`, batch mean
    /// folded in).
    pub lr_q: i64,
    /// The schedule (and initialisation) seed every statement must claim.
    pub seed: u64,
    /// Segment layout of `J_t` and `W_{t+1}`.
    pub layout: Layout,
    /// The relations, in proof order.
    pub plan: Plan,
    gens: PedersenGens,
    digest: [u8; 32],
}

impl ProofSystem {
    /// Parameters for `config`'s model, batch and scale over a dataset of `dataset_len`
    /// samples. Fails for models with average pooling or strided / padded convolutions (not
    /// proven yet) and for shapes the layout cannot hold.
    pub fn setup(config: &TrainConfig, dataset_len: usize) -> Result<Self> {
        let arch = Architecture::new(config.model);
        let fp = FixedPoint::new(config.frac_bits)?;
        if config.batch == 0 || config.batch > dataset_len {
            return Err(NnError::BadParameter {
                name: "batch",
                what: format!("{} not in 1..={dataset_len}", config.batch),
            });
        }
        let plan = Plan::new(&arch, config.batch, fp)?;
        let layout = Layout::new(&plan.segments, LOG_COLS)?;
        let input_cols = plan.input_log_cols();
        if input_cols + 1 > LOG_COLS {
            return Err(NnError::BadParameter {
                name: "model",
                what: format!("input rows of 2^{input_cols} do not fit half a dataset row"),
            });
        }
        let lr_q = LearningRate::new(fp, config.lr, config.batch)?.quantised();
        let gens = PedersenGens::new(1 << LOG_COLS);
        let mut h = Sha256::new();
        h.update(b"kaizen/zkpot/system/v1\0");
        for part in [
            config.model.name().as_bytes(),
            &(config.batch as u64).to_le_bytes(),
            &u64::from(fp.frac_bits()).to_le_bytes(),
            &(dataset_len as u64).to_le_bytes(),
            &lr_q.to_le_bytes(),
            &config.seed.to_le_bytes(),
            &(LOG_COLS as u64).to_le_bytes(),
            &layout.digest(),
            kaizen_msm::pedersen::TAG_G,
            kaizen_msm::pedersen::TAG_H,
            kaizen_msm::pedersen::TAG_U,
        ] {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part);
        }
        Ok(Self {
            model: config.model,
            arch,
            batch: config.batch,
            fp,
            dataset_len,
            lr_q,
            seed: config.seed,
            layout,
            plan,
            gens,
            digest: h.finalize().into(),
        })
    }

    /// SHA-256 digest of the parameters (absorbed first by every iteration transcript).
    pub fn digest(&self) -> [u8; 32] {
        self.digest
    }

    /// The Pedersen generators (`C` message generators).
    pub fn gens(&self) -> &PedersenGens {
        &self.gens
    }

    /// `log2` of the dataset commitment's row count.
    pub fn dataset_log_rows(&self) -> usize {
        self.dataset_len.next_power_of_two().trailing_zeros() as usize
    }
}
