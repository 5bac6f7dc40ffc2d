//! The iteration verifier: no indexing, no unwrap, no panic. It mirrors
//! [`Prover::prove_next`](super::Prover::prove_next) step by step:
//!
//! ```text
//! transcript: system digest, statement, J_t trace rows           (statement::absorb_statement)
//! for each relation (plan order):  point = squeeze; evals; GKR / linear check
//! for each range check:            LogUp; the items' term evaluations; range-witness check
//! input:                           point; X(p); the label point, grad, p, one-hot (softmax)
//! one opening of every claim on J_t, W_{t+1} and D            (open::verify_opening)
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
use kaizen_msm::G1Affine;
use kaizen_sumcheck::gkr::{Circuit, GkrClaims, GkrProof, Layer};
use kaizen_sumcheck::logup::{verify_logup, LogupProof, LookupTable};
use kaizen_sumcheck::{eq_table, EvaluationClaim, Sha256Transcript, Transcript, VerifyError};

use super::encoding::IterationProof;
use super::layout::{Home, Layout, SegId};
use super::open::{dataset_claim, iteration_claims, verify_opening, TableClaim};
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

/// The dataset claim's rows `(index, weight)` and its column point.
pub(crate) type DatasetQuery = (Vec<(usize, Fr)>, Vec<Fr>);

/// The dataset claim's row weights `(idx_b, eq(p_b, b))` and column point for the input point
/// `p = [p_b ‖ p_i]`.
pub(crate) fn dataset_query(
    batch_idx: &[usize],
    dataset_rows: usize,
    p: &[Fr],
    batch_vars: usize,
    log_cols: usize,
) -> Result<DatasetQuery, ProofError> {
    let (pb, pi) = p.split_at(batch_vars.min(p.len()));
    let eqb = eq_table(pb);
    if batch_idx.len() > eqb.len() || batch_idx.iter().any(|&row| row >= dataset_rows) {
        return Err(ProofError::Malformed(
            "batch index outside the dataset".into(),
        ));
    }
    let weights = batch_idx.iter().copied().zip(eqb).collect();
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
    // The gradient against the labels of the same rows: a second dataset claim, at the label
    // columns.
    let mut dataset_claims = vec![dataset_claim(weights.clone(), col, vx)];
    if let Some(sm) = super::ctx::softmax_of(&system.plan) {
        let pc = v.t.challenge_vector(LABEL_POINT, sm.cols);
        let at = [p.get(..batch_vars).unwrap_or_default(), &pc[..]].concat();
        let grad = v.recv_claim(sm.grad, at.clone())?;
        let prob = v.recv_claim(sm.p, at)?;
        let onehot = v.recv()?;
        if grad != prob - pow2(f) * onehot {
            return Err(ProofError::rejected("softmax-grad", sm.name.clone()));
        }
        dataset_claims.push(dataset_claim(weights, label_point(&pc), onehot));
    }
    if v.evals.next().is_some() {
        return Err(ProofError::Malformed("too many evaluations".into()));
    }
    // Every claim of the iteration: one column sumcheck and one opening.
    let claims = iteration_claims(layout.log_cols, &v.claims.j, &v.claims.next, dataset_claims);
    let j_rows: Vec<G1Affine> = statement
        .model_before
        .rows
        .iter()
        .chain(&proof.trace_rows)
        .copied()
        .collect();
    verify_opening(
        system.gens(),
        &mut v.t,
        layout.log_cols,
        [&j_rows, &statement.model_after.rows, &dataset.rows],
        claims,
        &proof.opening,
    )?;
    Ok(())
}
