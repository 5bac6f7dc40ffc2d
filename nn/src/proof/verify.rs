//! The iteration verifier: no indexing, no unwrap, no panic. It mirrors
//! [`Prover::prove_next`](super::Prover::prove_next) step by step:
//!
//! ```text
//! transcript: system digest, statement, J_t trace rows           (statement::absorb_statement)
//! for each relation (plan order):  point = squeeze; evals; GKR / linear check
//! for each range check:            LogUp; the items' term evaluations; range-witness check
//! input:                           point; X(p); dataset opening at the schedule's rows
//! open_claims(J_t) + opening; open_claims(W_{t+1}) + opening
//! ```
//! Every evaluation the prover sends is absorbed before the next challenge. Shared formulas
//! (`operand_point`, `half_point`, the constants of the checks) live here and the prover calls
//! them, so the two sides cannot drift apart.
#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use kaizen_field::{Field, Fr};
use kaizen_msm::ipa::PublicVector;
use kaizen_msm::verify::{verify_ipa, PcsError};
use kaizen_msm::{G1Affine, IpaProof};
use kaizen_recursion::TranscriptAdapter;
use kaizen_sumcheck::gkr::{Circuit, GkrClaims, GkrProof, Layer};
use kaizen_sumcheck::logup::{verify_logup, LogupProof, LookupTable};
use kaizen_sumcheck::{eq_table, EvaluationClaim, Sha256Transcript, Transcript, VerifyError};

use super::encoding::IterationProof;
use super::layout::{Home, Layout, SegId};
use super::open::{verify_open_claims, TableClaim};
use super::relations::Operand;
use super::statement::{absorb_statement, DatasetCommitment, IterationStatement};
use super::{ProofError, ProofSystem};

mod relations;
use crate::data::BatchSchedule;
use relations::verify_relations;

/// Label of an evaluation the prover sends.
pub const LABEL_EVAL: &[u8] = b"zkpot/eval";
/// Label of a relation's random point.
pub const LABEL_POINT: &[u8] = b"zkpot/point";

/// Label of the challenge combining the dataset's pixel and label claims.
pub const LABEL_GAMMA: &[u8] = b"zkpot/dataset-gamma";

/// The dataset column point of the one-hot labels at class point `pc`: column
/// `2^(LOG_COLS-1) + class`.
pub(crate) fn label_point(pc: &[Fr]) -> Vec<Fr> {
    let zeros = (super::LOG_COLS - 1).saturating_sub(pc.len());
    let mut out = vec![Fr::ONE];
    out.extend(std::iter::repeat_n(Fr::ZERO, zeros));
    out.extend_from_slice(pc);
    out
}

/// `2^k` in the field.
pub(crate) fn pow2(k: u32) -> Fr {
    Fr::from_u128(1u128 << k.min(127))
}

/// A point on the logical matrix (`[row ‖ inner]` for a left operand) as a point on the stored
/// segment: the halves swap for a transposed operand. `first` = variables of the first half.
pub(crate) fn operand_point(op: &Operand, point: &[Fr], first: usize) -> Vec<Fr> {
    let (a, b) = point.split_at(first.min(point.len()));
    if op.transposed {
        [b, a].concat()
    } else {
        point.to_vec()
    }
}

/// `(1/2, .., 1/2) ‖ p` with `rows` halves: `Σ_r T(r, p) = 2^rows T~(1/2.., p)`.
pub(crate) fn half_point(rows: usize, p: &[Fr]) -> Vec<Fr> {
    let half = Fr::from_u64(2).inverse().unwrap_or(Fr::ZERO);
    let mut out = vec![half; rows];
    out.extend_from_slice(p);
    out
}

/// The dataset opening's row weights and column point for the input point `p = [p_b ‖ p_i]`.
pub(crate) fn dataset_query(
    batch_idx: &[usize],
    dataset_rows: usize,
    p: &[Fr],
    batch_vars: usize,
    log_cols: usize,
) -> Result<(Vec<Fr>, Vec<Fr>), ProofError> {
    let (pb, pi) = p.split_at(batch_vars.min(p.len()));
    let eqb = eq_table(pb);
    let mut weights = vec![Fr::ZERO; dataset_rows];
    for (b, &row) in batch_idx.iter().enumerate() {
        match (weights.get_mut(row), eqb.get(b)) {
            (Some(w), Some(e)) => *w += *e,
            _ => {
                return Err(ProofError::Malformed(
                    "batch index outside the dataset".into(),
                ))
            }
        }
    }
    let pad = log_cols
        .checked_sub(pi.len())
        .ok_or_else(|| ProofError::Malformed("input row wider than a dataset row".into()))?;
    let mut col = vec![Fr::ZERO; pad];
    col.extend_from_slice(pi);
    Ok((weights, col))
}

/// The verifier's running state: transcript, evaluation cursor, claims per table.
pub(crate) struct Claims {
    pub(crate) j: Vec<TableClaim>,
    pub(crate) next: Vec<TableClaim>,
}

impl Claims {
    pub(crate) fn push(
        &mut self,
        layout: &Layout,
        seg: SegId,
        local: Vec<Fr>,
        value: Fr,
    ) -> Result<(), ProofError> {
        let (Some(spec), Some(&offset)) = (layout.segments.get(seg), layout.offsets.get(seg))
        else {
            return Err(ProofError::Malformed(format!("segment {seg}")));
        };
        if local.len() != spec.vars() {
            return Err(ProofError::Malformed(format!(
                "claim on {}: point length",
                spec.name
            )));
        }
        let c = TableClaim {
            offset,
            local,
            value,
        };
        match spec.home {
            Home::Next => self.next.push(c),
            Home::Model | Home::Trace => self.j.push(c),
        }
        Ok(())
    }
}

struct Verifier<'a> {
    layout: &'a Layout,
    t: Sha256Transcript,
    evals: std::slice::Iter<'a, Fr>,
    claims: Claims,
    gkr: std::slice::Iter<'a, GkrProof>,
    logup: std::slice::Iter<'a, LogupProof>,
}

impl Verifier<'_> {
    fn recv(&mut self) -> Result<Fr, ProofError> {
        let v = *self
            .evals
            .next()
            .ok_or_else(|| ProofError::Malformed("too few evaluations".into()))?;
        self.t.absorb_fr(LABEL_EVAL, &v);
        Ok(v)
    }

    fn recv_claim(&mut self, seg: SegId, local: Vec<Fr>) -> Result<Fr, ProofError> {
        let v = self.recv()?;
        self.claims.push(self.layout, seg, local, v)?;
        Ok(v)
    }

    fn vars(&self, seg: SegId) -> Result<usize, ProofError> {
        self.layout
            .segments
            .get(seg)
            .map(|s| s.vars())
            .ok_or_else(|| ProofError::Malformed(format!("segment {seg}")))
    }
}

fn sumcheck_error(check: &'static str, name: &str, e: VerifyError) -> ProofError {
    match e {
        VerifyError::Malformed(m) => ProofError::Malformed(format!("{name}: {m}")),
        other => ProofError::rejected(check, format!("{name}: {other}")),
    }
}

fn pcs_error(check: &'static str, what: &str, e: PcsError) -> ProofError {
    match e {
        PcsError::Malformed(m) => ProofError::Malformed(format!("{what}: {m}")),
        other => ProofError::rejected(check, format!("{what}: {other}")),
    }
}

fn one_gkr(
    v: &mut Verifier<'_>,
    layer: Layer,
    claim: EvaluationClaim,
    proof: Option<&GkrProof>,
    check: &'static str,
    name: &str,
) -> Result<GkrClaims, ProofError> {
    let proof = proof.ok_or_else(|| ProofError::Malformed("too few GKR proofs".into()))?;
    let circuit = Circuit {
        layers: vec![layer],
    };
    kaizen_sumcheck::verify_gkr(&circuit, &[claim], proof, &mut v.t)
        .map_err(|e| sumcheck_error(check, name, e))
}

fn single(claims: Vec<EvaluationClaim>) -> Result<EvaluationClaim, ProofError> {
    claims
        .into_iter()
        .next()
        .ok_or_else(|| ProofError::Malformed("GKR returned no claim".into()))
}

fn open_table(
    system: &ProofSystem,
    v: &mut Verifier<'_>,
    rows: &[G1Affine],
    vars: usize,
    claims: &[TableClaim],
    reduction: Option<&kaizen_sumcheck::ProductProof>,
    opening: Option<&IpaProof>,
    what: &'static str,
) -> Result<(), ProofError> {
    let (Some(reduction), Some(opening)) = (reduction, opening) else {
        return Err(ProofError::Malformed(format!("missing opening of {what}")));
    };
    let (rho, value) = verify_open_claims(vars, claims, reduction, &mut v.t, what)?;
    let log_rows = vars
        .checked_sub(system.layout.log_cols)
        .ok_or_else(|| ProofError::Malformed(format!("{what}: shape")))?;
    let (row_point, col_point) = rho.split_at(log_rows.min(rho.len()));
    let weights = eq_table(row_point);
    verify_ipa(
        system.gens(),
        &mut TranscriptAdapter(&mut v.t),
        rows,
        &weights,
        value,
        &PublicVector::Eq(col_point),
        opening,
    )
    .map_err(|e| pcs_error("opening", what, e))
}

/// Verifies one iteration: `statement.model_after` is `W_t` (`statement.model_before`)
/// trained for one iteration on the schedule's batch `statement.iteration` of the committed
/// dataset, as far as the module doc's list says (softmax not yet).
///
/// Errors: [`ProofError::Malformed`] for shapes and counts; [`ProofError::Rejected`] naming
/// the failed check.
pub fn verify_iteration(
    system: &ProofSystem,
    dataset: &DatasetCommitment,
    statement: &IterationStatement,
    proof: &IterationProof,
) -> Result<(), ProofError> {
    let layout = &system.layout;
    let model_rows = layout.model_rows();
    let trace_rows = layout.j_rows() - model_rows;
    let shapes = [
        (
            "model_before rows",
            statement.model_before.rows.len(),
            model_rows,
        ),
        (
            "model_after rows",
            statement.model_after.rows.len(),
            model_rows,
        ),
        ("trace rows", proof.trace_rows.len(), trace_rows),
        (
            "dataset rows",
            dataset.rows.len(),
            1usize << system.dataset_log_rows(),
        ),
        ("dataset length", dataset.len as usize, system.dataset_len),
    ];
    for (what, actual, expected) in shapes {
        if actual != expected {
            return Err(ProofError::Malformed(format!(
                "{what}: {actual}, expected {expected}"
            )));
        }
    }
    // The statement claims the run's hyper-parameters (also absorbed with the statement).
    if statement.lr_q != system.lr_q || statement.seed != system.seed {
        return Err(ProofError::rejected(
            "hyper-parameters",
            format!(
                "statement claims lr_q {} and seed {}, the run's parameters are {} and {}",
                statement.lr_q, statement.seed, system.lr_q, system.seed
            ),
        ));
    }
    let mut v = Verifier {
        layout,
        t: absorb_statement(system, dataset, statement, &proof.trace_rows),
        evals: proof.evals.iter(),
        claims: Claims {
            j: Vec::new(),
            next: Vec::new(),
        },
        gkr: proof.gkr.iter(),
        logup: proof.logup.iter(),
    };
    let f = system.fp.frac_bits();
    verify_relations(&mut v, system, statement)?;
    if v.gkr.next().is_some() {
        return Err(ProofError::Malformed("too many GKR proofs".into()));
    }
    for range in &system.plan.ranges {
        let lp: &LogupProof = v
            .logup
            .next()
            .ok_or_else(|| ProofError::Malformed("too few LogUp proofs".into()))?;
        let name = format!("range {} bits", range.bits);
        let table = LookupTable::range(range.bits as usize);
        let out = verify_logup(&table, range.vars, lp, &mut v.t)
            .map_err(|e| sumcheck_error("range", &name, e))?;
        let rho = out.witness.point;
        let mut expected = Fr::ZERO;
        for (item, &offset) in range.items.iter().zip(&range.offsets) {
            let split = range
                .vars
                .checked_sub(item.vars)
                .ok_or_else(|| ProofError::Malformed(name.clone()))?;
            let (top, sub) = rho.split_at(split.min(rho.len()));
            let mut value = Fr::from_i64(item.constant);
            for &(c, seg) in &item.terms {
                value += Fr::from_i64(c) * v.recv_claim(seg, sub.to_vec())?;
            }
            expected += super::open::prefix_eq(offset, item.vars, top) * value;
        }
        if expected != out.witness.value {
            return Err(ProofError::rejected("range-witness", name));
        }
        let m = out.multiplicities;
        v.claims.push(layout, range.mult, m.point, m.value)?;
    }
    if v.logup.next().is_some() {
        return Err(ProofError::Malformed("too many LogUp proofs".into()));
    }
    // Batch selection: X_0~(p) against the dataset rows the public schedule picks.
    let input_vars = v.vars(system.plan.input)?;
    let p = v.t.challenge_vector(LABEL_POINT, input_vars);
    let vx = v.recv_claim(system.plan.input, p.clone())?;
    let idx = BatchSchedule::new(statement.seed, system.dataset_len, system.batch)
        .map_err(|e| ProofError::Malformed(e.to_string()))?
        .batch(statement.iteration);
    let batch_vars = input_vars.saturating_sub(system.plan.input_log_cols());
    let (weights, col) = dataset_query(&idx, dataset.rows.len(), &p, batch_vars, layout.log_cols)?;
    // The gradient against the labels of the same rows: one opening with the column vector
    // eq(col) + γ eq(label column point).
    let (dense, value) = match super::ctx::softmax_of(&system.plan) {
        Some(sm) => {
            let pc = v.t.challenge_vector(LABEL_POINT, sm.cols);
            let at = [p.get(..batch_vars).unwrap_or_default(), &pc[..]].concat();
            let grad = v.recv_claim(sm.grad, at.clone())?;
            let prob = v.recv_claim(sm.p, at)?;
            let onehot = v.recv()?;
            if grad != prob - pow2(f) * onehot {
                return Err(ProofError::rejected("softmax-grad", sm.name.clone()));
            }
            let gamma = v.t.challenge(LABEL_GAMMA);
            let eq_label = eq_table(&label_point(&pc));
            let b: Vec<Fr> = eq_table(&col)
                .iter()
                .zip(&eq_label)
                .map(|(x, l)| *x + gamma * *l)
                .collect();
            (Some(b), vx + gamma * onehot)
        }
        None => (None, vx),
    };
    let col_vector = match &dense {
        Some(b) => PublicVector::Dense(b),
        None => PublicVector::Eq(&col),
    };
    let mut openings = proof.openings.iter();
    let ds = openings
        .next()
        .ok_or_else(|| ProofError::Malformed("missing dataset opening".into()))?;
    verify_ipa(
        system.gens(),
        &mut TranscriptAdapter(&mut v.t),
        &dataset.rows,
        &weights,
        value,
        &col_vector,
        ds,
    )
    .map_err(|e| pcs_error("dataset-opening", "dataset", e))?;
    if v.evals.next().is_some() {
        return Err(ProofError::Malformed("too many evaluations".into()));
    }
    let claims = std::mem::replace(
        &mut v.claims,
        Claims {
            j: Vec::new(),
            next: Vec::new(),
        },
    );
    let j_rows: Vec<G1Affine> = statement
        .model_before
        .rows
        .iter()
        .chain(&proof.trace_rows)
        .copied()
        .collect();
    let mut reductions = proof.reductions.iter();
    open_table(
        system,
        &mut v,
        &j_rows,
        layout.j_vars,
        &claims.j,
        reductions.next(),
        openings.next(),
        "J_t",
    )?;
    open_table(
        system,
        &mut v,
        &statement.model_after.rows,
        layout.model_vars,
        &claims.next,
        reductions.next(),
        openings.next(),
        "W_{t+1}",
    )?;
    if reductions.next().is_some() || openings.next().is_some() {
        return Err(ProofError::Malformed("too many openings".into()));
    }
    Ok(())
}
