//! The prover's running state: transcript, sent evaluations, claims and sub-proofs, and the
//! proving of every relation kind (the verifier's mirror is `verify.rs`; the softmax steps are
//! shared through [`Side`]).

use kaizen_field::{Field, Fr};
use kaizen_sumcheck::gkr::{prove_gkr_with_values, Circuit, GkrProof, GkrWitness, Layer};
use kaizen_sumcheck::logup::{prove_logup, LogupProof, LookupTable};
use kaizen_sumcheck::poly::evaluate_slice as mle;
use kaizen_sumcheck::{eq_table, DenseTable, EvaluationClaim, Sha256Transcript, Transcript};

use super::layout::{Layout, SegId};
use super::relations::{Operand, Relation};
use super::softmax::{self, lin_at, Lin, PadShape, Side};
use super::verify::{half_point, operand_point, Claims, LABEL_EVAL, LABEL_POINT};
use super::wiring::Tab;
use super::ProofError;

/// The prover's running state (mirror of the verifier's).
pub(crate) struct Ctx<'a> {
    pub(crate) layout: &'a Layout,
    pub(crate) values: &'a [Vec<i64>],
    pub(crate) fr_values: Vec<Vec<Fr>>,
    pub(crate) t: Sha256Transcript,
    pub(crate) evals: Vec<Fr>,
    pub(crate) claims: Claims,
    pub(crate) gkr: Vec<GkrProof>,
    pub(crate) logup: Vec<LogupProof>,
}

impl Ctx<'_> {
    /// `Σ c seg + constant` as a field table.
    fn lin_table(&self, lin: &Lin) -> Vec<Fr> {
        let len = lin
            .terms
            .first()
            .map_or(1, |(_, s)| 1usize << self.layout.segments[*s].vars());
        let mut out = vec![Fr::from_i64(lin.constant); len];
        for &(c, seg) in &lin.terms {
            let c = Fr::from_i64(c);
            for (o, v) in out.iter_mut().zip(&self.values[seg]) {
                *o += c * Fr::from_i64(*v);
            }
        }
        out
    }

    fn fr(&self, seg: SegId) -> Vec<Fr> {
        self.fr_values[seg].clone()
    }

    /// The integer table of a segment operand (as stored or permuted), if it is one.
    fn int_table(&self, tab: &Tab) -> Option<Vec<i64>> {
        match tab {
            Tab::Seg(s) => Some(self.values[*s].clone()),
            Tab::Perm(s, perm) => Some(perm.gather(&self.values[*s])),
            _ => None,
        }
    }

    /// The table a GKR operand reads.
    fn table(&self, tab: &Tab) -> Vec<Fr> {
        match tab {
            Tab::Seg(s) => self.fr(*s),
            Tab::Perm(s, perm) => perm.gather(&self.fr_values[*s]),
            Tab::Im2col(s, w) => Layer::Im2col(*w).forward(&self.fr_values[*s], &[Fr::ZERO]),
            Tab::Bcast(s, grid) => grid.broadcast(&self.fr_values[*s]),
            Tab::Product {
                lhs,
                rhs,
                rows,
                inner,
                cols,
            } => match (self.int_table(lhs), self.int_table(rhs)) {
                (Some(a), Some(b)) => int_product(&a, &b, *inner, *cols),
                _ => {
                    let layer = Layer::MatMul {
                        rows: *rows,
                        inner: *inner,
                        cols: *cols,
                    };
                    layer.forward(&self.table(lhs), &self.table(rhs))
                }
            },
            Tab::Unused => vec![Fr::ZERO],
        }
    }

    pub(crate) fn push(&mut self, seg: SegId, local: Vec<Fr>, value: Fr) {
        if let Err(e) = self.claims.push(self.layout, seg, local, value) {
            panic!("zkpot prover: claim shape: {e}");
        }
    }

    pub(crate) fn send(&mut self, v: Fr) {
        self.t.absorb_fr(LABEL_EVAL, &v);
        self.evals.push(v);
    }

    /// Sends and records segment `seg`'s evaluation at `local`.
    pub(crate) fn send_claim(&mut self, seg: SegId, local: Vec<Fr>) -> Fr {
        let v = mle(&self.fr_values[seg], &local);
        self.send(v);
        self.push(seg, local, v);
        v
    }

    /// The logical matrix of an operand (the stored segment, transposed if asked).
    fn logical(&self, op: &Operand) -> Vec<Fr> {
        let spec = &self.layout.segments[op.seg];
        let v = self.fr(op.seg);
        if !op.transposed {
            return v;
        }
        let (r, c) = (1usize << spec.log_rows, 1usize << spec.log_cols);
        let mut out = vec![Fr::ZERO; r * c];
        for i in 0..r {
            for j in 0..c {
                out[j * r + i] = v[i * c + j];
            }
        }
        out
    }

    fn gkr(
        &mut self,
        layer: Layer,
        input: Vec<Fr>,
        aux: Vec<Fr>,
        claim: EvaluationClaim,
    ) -> (GkrProof, EvaluationClaim, EvaluationClaim) {
        let circuit = Circuit {
            layers: vec![layer],
        };
        let values = [input.clone(), Vec::new()];
        let witness = GkrWitness {
            input,
            aux: vec![aux],
        };
        let (proof, out) =
            prove_gkr_with_values(&circuit, &witness, &values, &[claim], &mut self.t);
        let input = out.input.into_iter().next();
        let aux = out
            .aux
            .into_iter()
            .next()
            .and_then(|a| a.into_iter().next());
        match (input, aux) {
            (Some(i), Some(a)) => (proof, i, a),
            _ => panic!("zkpot prover: GKR returned no claims"),
        }
    }

    pub(crate) fn prove_relation(&mut self, rel: &Relation) {
        match rel {
            Relation::MatMul(m) => {
                let p = self.t.challenge_vector(LABEL_POINT, m.rows + m.cols);
                self.send_claim(m.q, p.clone());
                self.send_claim(m.rem, p.clone());
                if let Some(b) = m.bias {
                    self.send_claim(b, p[m.rows..].to_vec());
                }
                let (lhs, rhs) = (self.logical(&m.lhs), self.logical(&m.rhs));
                // acc~(p) = Σ_i lhs~(p_r, i) rhs~(i, p_c): both operands contracted with eq.
                let (er, ec) = (eq_table(&p[..m.rows]), eq_table(&p[m.rows..]));
                let (k, n) = (1usize << m.inner, 1usize << m.cols);
                let mut a = vec![Fr::ZERO; k];
                for (row, e) in lhs.chunks(k).zip(&er) {
                    for (o, x) in a.iter_mut().zip(row) {
                        *o += *e * *x;
                    }
                }
                let acc: Fr = rhs
                    .chunks(n)
                    .zip(&a)
                    .map(|(row, ai)| *ai * row.iter().zip(&ec).map(|(x, e)| *x * *e).sum::<Fr>())
                    .sum();
                self.send(acc);
                let layer = Layer::MatMul {
                    rows: m.rows,
                    inner: m.inner,
                    cols: m.cols,
                };
                let (proof, i, a) = self.gkr(
                    layer,
                    lhs,
                    rhs,
                    EvaluationClaim {
                        point: p,
                        value: acc,
                    },
                );
                self.push(m.lhs.seg, operand_point(&m.lhs, &i.point, m.rows), i.value);
                self.push(m.rhs.seg, operand_point(&m.rhs, &a.point, m.inner), a.value);
                self.gkr.push(proof);
            }
            Relation::Hadamard(h) => {
                let vars = self.layout.segments[h.out].vars();
                let p = self.t.challenge_vector(LABEL_POINT, vars);
                let v = self.send_claim(h.out, p.clone());
                let (proof, i, a) = self.gkr(
                    Layer::Hadamard { vars },
                    self.fr(h.lhs),
                    self.fr(h.rhs),
                    EvaluationClaim { point: p, value: v },
                );
                self.push(h.lhs, i.point, i.value);
                self.push(h.rhs, a.point, a.value);
                self.gkr.push(proof);
            }
            Relation::ColumnSum(c) => {
                let cols = self.layout.segments[c.out].vars();
                let rows = self.layout.segments[c.input].vars() - cols;
                let p = self.t.challenge_vector(LABEL_POINT, cols);
                self.send_claim(c.out, p.clone());
                self.send_claim(c.input, half_point(rows, &p));
            }
            Relation::Conv(st) => {
                if let Err(e) = super::conv::run(st, self) {
                    panic!("zkpot prover: {}: {e}", st.name);
                }
            }
            Relation::MaxPool(st) => {
                if let Err(e) = super::pool::run(st, self) {
                    panic!("zkpot prover: {}: {e}", st.name);
                }
            }
            Relation::Softmax(sm) => {
                if let Err(e) = softmax::run(sm, self) {
                    panic!("zkpot prover: softmax: {e}");
                }
            }
            Relation::PadZero { name, seg, shape } => {
                if let Err(e) = self.pad_zero(name, *seg, shape) {
                    panic!("zkpot prover: {name}: {e}");
                }
            }
            Relation::Sgd(s) => {
                let p = self
                    .t
                    .challenge_vector(LABEL_POINT, self.layout.segments[s.old].vars());
                for seg in [s.old, s.new, s.grad, s.rem] {
                    self.send_claim(seg, p.clone());
                }
            }
        }
    }
}

impl Side for Ctx<'_> {
    fn point(&mut self, n: usize) -> Vec<Fr> {
        self.t.challenge_vector(LABEL_POINT, n)
    }

    fn challenge(&mut self, label: &'static [u8]) -> Fr {
        self.t.challenge(label)
    }

    fn claim(&mut self, seg: SegId, local: Vec<Fr>) -> std::result::Result<Fr, ProofError> {
        Ok(self.send_claim(seg, local))
    }

    fn record(
        &mut self,
        seg: SegId,
        local: Vec<Fr>,
        value: Fr,
    ) -> std::result::Result<(), ProofError> {
        debug_assert_eq!(
            mle(&self.fr_values[seg], &local),
            value,
            "zkpot prover: record"
        );
        self.push(seg, local, value);
        Ok(())
    }

    fn gkr(
        &mut self,
        _name: &str,
        _check: &'static str,
        layer: Layer,
        claim: EvaluationClaim,
        input: &Tab,
        aux: &Tab,
    ) -> std::result::Result<(EvaluationClaim, Option<EvaluationClaim>), ProofError> {
        let (input, aux) = (self.table(input), self.table(aux));
        let circuit = Circuit {
            layers: vec![layer],
        };
        let values = [input, Vec::new()];
        let witness = GkrWitness {
            input: Vec::new(),
            aux: vec![aux],
        };
        let (proof, out) =
            prove_gkr_with_values(&circuit, &witness, &values, &[claim], &mut self.t);
        self.gkr.push(proof);
        let input = out.input.into_iter().next();
        let aux = out
            .aux
            .into_iter()
            .next()
            .and_then(|a| a.into_iter().next());
        match input {
            Some(i) => Ok((i, aux)),
            None => panic!("zkpot prover: GKR returned no input claim"),
        }
    }

    fn check(
        &self,
        _ok: bool,
        _check: &'static str,
        _name: &str,
    ) -> std::result::Result<(), ProofError> {
        Ok(())
    }

    fn hadamard(
        &mut self,
        _name: &str,
        vars: usize,
        out: &Lin,
        lhs: &Lin,
        rhs: &Lin,
    ) -> std::result::Result<(), ProofError> {
        let p = self.point(vars);
        let value = lin_at(self, out, &p)?;
        let (proof, i, a) = self.gkr(
            Layer::Hadamard { vars },
            self.lin_table(lhs),
            self.lin_table(rhs),
            EvaluationClaim { point: p, value },
        );
        lin_at(self, lhs, &i.point)?;
        lin_at(self, rhs, &a.point)?;
        self.gkr.push(proof);
        Ok(())
    }

    fn pad_zero(
        &mut self,
        _name: &str,
        lhs: SegId,
        shape: &PadShape,
    ) -> std::result::Result<(), ProofError> {
        let vars = shape.vars();
        let p = self.point(vars);
        // The product's value is sent (the verifier checks it is 0), so a prover with a
        // non-zero padding still proves a true claim.
        let mask = shape.mask_table();
        let prod: Vec<Fr> = self
            .fr(lhs)
            .iter()
            .zip(&mask)
            .map(|(a, b)| *a * *b)
            .collect();
        let value = DenseTable::new(prod).evaluate(&p);
        self.send(value);
        let claim = EvaluationClaim { point: p, value };
        let (proof, i, _) = self.gkr(
            Layer::Hadamard { vars },
            self.fr(lhs),
            shape.mask_table(),
            claim,
        );
        self.send_claim(lhs, i.point);
        self.gkr.push(proof);
        Ok(())
    }

    fn lookup(
        &mut self,
        _name: &str,
        table: &LookupTable,
        vars: usize,
        witness: &[(Fr, SegId)],
        mult: SegId,
    ) -> std::result::Result<EvaluationClaim, ProofError> {
        let mut w = vec![Fr::ZERO; 1 << vars];
        for &(c, seg) in witness {
            for (o, v) in w.iter_mut().zip(&self.values[seg]) {
                *o += c * Fr::from_i64(*v);
            }
        }
        let m: Vec<u64> = self.values[mult].iter().map(|&x| x as u64).collect();
        let (proof, out) = prove_logup(table, &w, &m, &mut self.t);
        self.push(mult, out.multiplicities.point, out.multiplicities.value);
        self.logup.push(proof);
        Ok(out.witness)
    }
}

/// `a · b` of integer matrices (`2^rows x 2^inner` times `2^inner x 2^cols`) in the field:
/// rows in parallel, zeros skipped (padded tensors are mostly zero), exact `i128` sums of
/// `i64` products (|entries| < 2^31, at most 2^40 terms), one conversion per entry.
fn int_product(a: &[i64], b: &[i64], inner: usize, cols: usize) -> Vec<Fr> {
    use rayon::prelude::*;
    let (k, n) = (1usize << inner, 1usize << cols);
    let mut out = vec![Fr::ZERO; (a.len() / k) * n];
    out.par_chunks_mut(n)
        .zip(a.par_chunks(k))
        .for_each(|(row, lhs)| {
            let mut acc = vec![0i128; n];
            for (x, w) in lhs.iter().zip(b.chunks(n)) {
                if *x == 0 {
                    continue;
                }
                for (o, y) in acc.iter_mut().zip(w) {
                    if *y != 0 {
                        *o += i128::from(*x) * i128::from(*y);
                    }
                }
            }
            for (o, v) in row.iter_mut().zip(acc) {
                if v != 0 {
                    *o = Fr::from_i128(v);
                }
            }
        });
    out
}

/// The softmax relation of a plan, if any.
pub(crate) fn softmax_of(plan: &super::Plan) -> Option<&super::softmax::Softmax> {
    plan.relations.iter().find_map(|r| match r {
        Relation::Softmax(sm) => Some(&**sm),
        _ => None,
    })
}
