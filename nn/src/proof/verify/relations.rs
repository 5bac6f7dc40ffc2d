//! The relation phase of the verifier: the [`Side`] of the shared relation protocols, and
//! every relation of the plan checked in plan order (the mirror of `Ctx::prove_relation`).
#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use kaizen_field::{Field, Fr};
use kaizen_sumcheck::gkr::Layer;
use kaizen_sumcheck::logup::{verify_logup, LookupTable};
use kaizen_sumcheck::{EvaluationClaim, Transcript};

use super::super::layout::SegId;
use super::super::relations::Relation;
use super::super::softmax::{lin_at, Lin, PadShape, Side};
use super::super::statement::IterationStatement;
use super::super::wiring::Tab;
use super::super::{ProofError, ProofSystem};
use super::{
    half_point, one_gkr, operand_point, pow2, single, sumcheck_error, Verifier, LABEL_POINT,
};

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

    fn record(&mut self, seg: SegId, local: Vec<Fr>, value: Fr) -> Result<(), ProofError> {
        self.claims.push(self.layout, seg, local, value)
    }

    fn gkr(
        &mut self,
        name: &str,
        check: &'static str,
        layer: Layer,
        claim: EvaluationClaim,
        _input: &Tab,
        _aux: &Tab,
    ) -> Result<(EvaluationClaim, Option<EvaluationClaim>), ProofError> {
        let proof = self.gkr.next();
        let claims = one_gkr(self, layer, claim, proof, check, name)?;
        let input = single(claims.input)?;
        let aux = claims
            .aux
            .into_iter()
            .next()
            .and_then(|a| a.into_iter().next());
        Ok((input, aux))
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

    fn pad_zero(&mut self, name: &str, lhs: SegId, shape: &PadShape) -> Result<(), ProofError> {
        let vars = shape.vars();
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

/// Checks every relation of the plan, in plan order.
pub(super) fn verify_relations(
    v: &mut Verifier<'_>,
    system: &ProofSystem,
    statement: &IterationStatement,
) -> Result<(), ProofError> {
    let layout = &system.layout;
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
                    v,
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
                    v,
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
            Relation::Softmax(sm) => super::super::softmax::run(sm, v)?,
            Relation::Conv(st) => super::super::conv::run(st, v)?,
            Relation::MaxPool(st) => super::super::pool::run(st, v)?,
            Relation::PadZero { name, seg, shape } => v.pad_zero(name, *seg, shape)?,
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
    Ok(())
}
