//! Public objects: the commitments to a model and to the dataset, the statement of one
//! iteration, and the start of the iteration transcript.

use kaizen_msm::G1Affine;
use kaizen_sumcheck::{Sha256Transcript, Transcript};

use super::{ProofSystem, PROTOCOL};

/// Label of the system digest.
pub const LABEL_SYSTEM: &[u8] = b"zkpot/system";
/// Label of the statement's scalars (iteration, learning rate, schedule seed).
pub const LABEL_STATEMENT: &[u8] = b"zkpot/statement";
/// Label of a commitment row (dataset, model before, model after, trace).
pub const LABEL_ROWS: &[u8] = b"zkpot/rows";

/// The public commitment to a model: the Hyrax rows of its block (`R_W` points).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelCommitment {
    /// One hiding Pedersen commitment per row of `C` values.
    pub rows: Vec<G1Affine>,
}

/// The commitment to a dataset: one row per sample (rows padded to a power of two).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatasetCommitment {
    /// Samples committed.
    pub len: u64,
    /// One hiding Pedersen commitment per sample (encoded pixels and one-hot label).
    pub rows: Vec<G1Affine>,
}

/// What one iteration's proof is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IterationStatement {
    /// The iteration `t` (0-based): its batch is the schedule's batch `t`.
    pub iteration: u64,
    /// The learning rate at scale `2^f`, batch mean folded in (`lr_q` of `layers::sgd`).
    pub lr_q: i64,
    /// The schedule (and initialisation) seed.
    pub seed: u64,
    /// `W_t`.
    pub model_before: ModelCommitment,
    /// `W_{t+1}`.
    pub model_after: ModelCommitment,
}

fn absorb_rows(t: &mut Sha256Transcript, rows: &[G1Affine]) {
    t.absorb_u64(LABEL_ROWS, rows.len() as u64);
    for r in rows {
        t.absorb_group_bytes(LABEL_ROWS, &r.to_compressed());
    }
}

/// The iteration transcript up to the first challenge: protocol label, system digest, the
/// statement (iteration, lr, seed, dataset, model before and after), then `J_t`'s trace rows.
/// `J_t`'s model rows are `model_before`'s, absorbed once.
pub fn absorb_statement(
    system: &ProofSystem,
    dataset: &DatasetCommitment,
    statement: &IterationStatement,
    trace_rows: &[G1Affine],
) -> Sha256Transcript {
    let mut t = Sha256Transcript::new(PROTOCOL);
    t.absorb_bytes(LABEL_SYSTEM, &system.digest());
    t.absorb_u64(LABEL_STATEMENT, statement.iteration);
    t.absorb_u64(LABEL_STATEMENT, statement.lr_q as u64);
    t.absorb_u64(LABEL_STATEMENT, statement.seed);
    t.absorb_u64(LABEL_STATEMENT, dataset.len);
    absorb_rows(&mut t, &dataset.rows);
    absorb_rows(&mut t, &statement.model_before.rows);
    absorb_rows(&mut t, &statement.model_after.rows);
    absorb_rows(&mut t, trace_rows);
    t
}
