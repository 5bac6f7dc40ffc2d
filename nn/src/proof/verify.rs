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
use super::relations::{Operand, Relation};
use super::softmax::{lin_at, Lin, PadShape, Side};
use super::statement::{absorb_statement, DatasetCommitment, IterationStatement};
use super::{ProofError, ProofSystem};
use crate::data::BatchSchedule;

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

impl Side for Verifier<'_> {
    fn point(&mut self, n: usize) -> Vec<Fr> {
        self.t.challenge_vector(LABEL_POINT, n)
    }

    fn challenge(&mut self, label: &'static [u8]) -> Fr {
        self.t.challenge(label)
    }

    fn claim(&mut self, seg: SegId, local: Vec<Fr>) -> Result<Fr, ProofError> {
        self.recv_claim(seg, local)
    }

    fn check(&self, ok: bool, check: &'static str, name: &str) -> Result<(), ProofError> {
        if ok {
            Ok(())
        } else {
            Err(ProofError::rejected(check, name.to_string()))
        }
    }

    fn hadamard(
        &mut self,
        name: &str,
        vars: usize,
        out: &Lin,
        lhs: &Lin,
        rhs: &Lin,
    ) -> Result<(), ProofError> {
        let p = self.point(vars);
        let value = lin_at(self, out, &p)?;
        let proof = self.gkr.next();
        let claims = one_gkr(
            self,
            Layer::Hadamard { vars },
            EvaluationClaim { point: p, value },
            proof,
            "hadamard",
            name,
        )?;
        let input = single(claims.input)?;
        let aux = single(claims.aux.into_iter().next().unwrap_or_default())?;
        let vi = lin_at(self, lhs, &input.point)?;
        let va = lin_at(self, rhs, &aux.point)?;
        self.check(vi == input.value && va == aux.value, "hadamard", name)
    }

    fn pad_zero(&mut self, name: &str, lhs: SegId, shape: PadShape) -> Result<(), ProofError> {
        let vars = shape.log_rows + shape.log_cols;
        let p = self.point(vars);
        let value = self.recv()?;
        self.check(value == Fr::ZERO, "pad-zero", name)?;
        let proof = self.gkr.next();
        let claim = EvaluationClaim { point: p, value };
        let claims = one_gkr(
            self,
            Layer::Hadamard { vars },
            claim,
            proof,
            "pad-zero",
            name,
        )?;
        let input = single(claims.input)?;
        let aux = single(claims.aux.into_iter().next().unwrap_or_default())?;
        let v = self.recv_claim(lhs, input.point)?;
        let ok = v == input.value && aux.value == shape.mask_eval(&aux.point);
        self.check(ok, "pad-zero", name)
    }

    fn lookup(
        &mut self,
        name: &str,
        table: &LookupTable,
        vars: usize,
        _witness: &[(Fr, SegId)],
        mult: SegId,
    ) -> Result<EvaluationClaim, ProofError> {
        let lp = self
            .logup
            .next()
            .ok_or_else(|| ProofError::Malformed("too few LogUp proofs".into()))?;
        let out = verify_logup(table, vars, lp, &mut self.t)
            .map_err(|e| sumcheck_error("range", name, e))?;
        let m = out.multiplicities;
        self.claims.push(self.layout, mult, m.point, m.value)?;
        Ok(out.witness)
    }
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
    for rel in &system.plan.relations {
        match rel {
            Relation::MatMul(m) => {
                let p = v.t.challenge_vector(LABEL_POINT, m.rows + m.cols);
                let p_cols = p.get(m.rows..).unwrap_or_default();
                let vq = v.recv_claim(m.q, p.clone())?;
                let vr = v.recv_claim(m.rem, p.clone())?;
                let vb = match m.bias {
                    Some(b) => v.recv_claim(b, p_cols.to_vec())?,
                    None => Fr::ZERO,
                };
                let acc = v.recv()?;
                let s = m.shift;
                let lhs = pow2(s) * vq + vr - pow2(s - 1) - pow2(f) * vb;
                if lhs != acc {
                    return Err(ProofError::rejected("rescale", m.name.clone()));
                }
                let layer = Layer::MatMul {
                    rows: m.rows,
                    inner: m.inner,
                    cols: m.cols,
                };
                let proof = v.gkr.next();
                let out = one_gkr(
                    &mut v,
                    layer,
                    EvaluationClaim {
                        point: p.clone(),
                        value: acc,
                    },
                    proof,
                    "matmul",
                    &m.name,
                )?;
                let input = single(out.input)?;
                let aux = single(out.aux.into_iter().next().unwrap_or_default())?;
                v.claims.push(
                    layout,
                    m.lhs.seg,
                    operand_point(&m.lhs, &input.point, m.rows),
                    input.value,
                )?;
                v.claims.push(
                    layout,
                    m.rhs.seg,
                    operand_point(&m.rhs, &aux.point, m.inner),
                    aux.value,
                )?;
            }
            Relation::Hadamard(h) => {
                let vars = v.vars(h.out)?;
                let p = v.t.challenge_vector(LABEL_POINT, vars);
                let vo = v.recv_claim(h.out, p.clone())?;
                let proof = v.gkr.next();
                let out = one_gkr(
                    &mut v,
                    Layer::Hadamard { vars },
                    EvaluationClaim {
                        point: p,
                        value: vo,
                    },
                    proof,
                    "hadamard",
                    &h.name,
                )?;
                let input = single(out.input)?;
                let aux = single(out.aux.into_iter().next().unwrap_or_default())?;
                v.claims.push(layout, h.lhs, input.point, input.value)?;
                v.claims.push(layout, h.rhs, aux.point, aux.value)?;
            }
            Relation::ColumnSum(c) => {
                let cols = v.vars(c.out)?;
                let rows = v
                    .vars(c.input)?
                    .checked_sub(cols)
                    .ok_or_else(|| ProofError::Malformed(c.name.clone()))?;
                let p = v.t.challenge_vector(LABEL_POINT, cols);
                let vo = v.recv_claim(c.out, p.clone())?;
                let vi = v.recv_claim(c.input, half_point(rows, &p))?;
                if vo != pow2(rows as u32) * vi {
                    return Err(ProofError::rejected("column-sum", c.name.clone()));
                }
            }
            Relation::Softmax(sm) => super::softmax::run(sm, &mut v)?,
            Relation::PadZero { name, seg, shape } => v.pad_zero(name, *seg, *shape)?,
            Relation::Sgd(s) => {
                let p = v.t.challenge_vector(LABEL_POINT, v.vars(s.old)?);
                let vo = v.recv_claim(s.old, p.clone())?;
                let vn = v.recv_claim(s.new, p.clone())?;
                let vg = v.recv_claim(s.grad, p.clone())?;
                let vr = v.recv_claim(s.rem, p)?;
                let lr = Fr::from_i64(statement.lr_q);
                if (vo - vn) * pow2(f) != lr * vg + pow2(f - 1) - vr {
                    return Err(ProofError::rejected("sgd", s.name.clone()));
                }
            }
        }
    }
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
