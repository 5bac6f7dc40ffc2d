//! HyperNova's multi-folding prover (the algebra and the verifier are in [`super::fold`]):
//! the sumcheck instance for `g(X) = eq(r_x, X) Σ_j γ^j A_j(X) + γ^(t+1) eq(β, X) Σ_i c_i
//! Π_{j ∈ S_i} B_j(X)`, where `A_j`, `B_j` are the multilinear extensions of `M_j z_1`,
//! `M_j z_2` over the `2^s` (padded) rows, and [`prove_fold`].
//!
//! Round message: each table pair `(lo, hi)` gives `f(t) = lo + t (hi − lo)`; `g` is summed at
//! `t = 0..=D` (`D = d + 1`), its leading coefficient is `Δ^D g(0) / D!`, and
//! `UniPoly::from_evals_and_leading` rebuilds the coefficients. Cost per round:
//! `(D + 1) · 2^(s-1) · (2 + 2t + Σ|S_i|)` multiplications.

use kaizen_field::{Field, Fr};
use kaizen_sumcheck::{
    eq_table, prove, DenseTable, SumcheckInstance, SumcheckProof, Transcript, UniPoly,
};

use super::check::CcsMalformed;
use super::committed::{fold_challenge, fold_witness, Cccs, CcsWitness};
use super::fold::{absorb_fold_inputs, fold_instance, LABEL_FOLD_CHALLENGE, LABEL_FOLD_EVALS};
use super::mle::Lcccs;
use super::Ccs;

/// The sumcheck instance of one multi-fold.
#[derive(Debug, Clone)]
pub struct FoldingSumcheck {
    eq_r: DenseTable,
    eq_b: DenseTable,
    a: Vec<DenseTable>,
    b: Vec<DenseTable>,
    gamma_powers: Vec<Fr>,
    multisets: Vec<Vec<usize>>,
    constants: Vec<Fr>,
    degree: usize,
    claim: Fr,
}

/// `M_j z` padded to `2^s` rows, as a table.
fn matrix_tables(ccs: &Ccs, z: &[Fr]) -> Vec<DenseTable> {
    let rows = 1usize << ccs.log_rows();
    ccs.matrices
        .iter()
        .map(|m| {
            let mut out = vec![Fr::ZERO; rows];
            for (r, c, a) in &m.entries {
                out[*r] += *a * z[*c];
            }
            DenseTable::new(out)
        })
        .collect()
}

impl FoldingSumcheck {
    /// The instance for running `z_1` at `r_x`, incoming `z_2`, challenges `β`, `γ`; its claim
    /// is the true sum of `g` (equal to `Σ_j γ^j v_j` only for an honest fold).
    pub fn new(ccs: &Ccs, r_x: &[Fr], z1: &[Fr], z2: &[Fr], beta: &[Fr], gamma: Fr) -> Self {
        let t = ccs.matrices.len();
        let gamma_powers: Vec<Fr> = core::iter::successors(Some(gamma), |g| Some(*g * gamma))
            .take(t + 1)
            .collect();
        let mut inst = Self {
            eq_r: DenseTable::new(eq_table(r_x)),
            eq_b: DenseTable::new(eq_table(beta)),
            a: matrix_tables(ccs, z1),
            b: matrix_tables(ccs, z2),
            gamma_powers,
            multisets: ccs.multisets.clone(),
            constants: ccs.constants.clone(),
            degree: ccs.degree().max(1) + 1,
            claim: Fr::ZERO,
        };
        let mut scratch = vec![Fr::ZERO; t];
        inst.claim = (0..inst.eq_r.len())
            .map(|i| inst.g_at(&mut scratch, |tab| tab.evals()[i]))
            .sum();
        inst
    }

    /// `g` from a reader of every table at one position (`scratch`: `t` entries for the
    /// `B_j` values, so the round loop never allocates).
    fn g_at(&self, scratch: &mut [Fr], at: impl Fn(&DenseTable) -> Fr) -> Fr {
        let t = self.a.len();
        let lin: Fr = self
            .a
            .iter()
            .zip(&self.gamma_powers)
            .map(|(a, g)| *g * at(a))
            .sum();
        for (slot, b) in scratch.iter_mut().zip(&self.b) {
            *slot = at(b);
        }
        let bs = &*scratch;
        let q: Fr = self
            .multisets
            .iter()
            .zip(&self.constants)
            .map(|(s, c)| s.iter().fold(*c, |acc, j| acc * bs[*j]))
            .sum();
        at(&self.eq_r) * lin + self.gamma_powers[t] * at(&self.eq_b) * q
    }
}

impl SumcheckInstance for FoldingSumcheck {
    fn num_rounds(&self) -> usize {
        self.eq_r.num_vars()
    }

    fn degree(&self) -> usize {
        self.degree
    }

    fn input_claim(&self) -> Fr {
        self.claim
    }

    fn compute_message(&mut self, _round: usize, _previous_claim: Fr) -> UniPoly {
        let d = self.degree;
        let half = self.eq_r.len() / 2;
        let mut evals = vec![Fr::ZERO; d + 1];
        let mut scratch = vec![Fr::ZERO; self.b.len()];
        for i in 0..half {
            for (t, e) in evals.iter_mut().enumerate() {
                let tt = Fr::from_u64(t as u64);
                // f(t) = lo + t (hi − lo) on the top variable.
                *e += self.g_at(&mut scratch, |tab| {
                    let (lo, hi) = (tab.evals()[i], tab.evals()[i + half]);
                    lo + tt * (hi - lo)
                });
            }
        }
        // Leading coefficient Δ^d g(0) / d!.
        let mut diffs = evals.clone();
        for k in 1..=d {
            for i in 0..=d - k {
                diffs[i] = diffs[i + 1] - diffs[i];
            }
        }
        let fact: Fr = (1..=d as u64).map(Fr::from_u64).product();
        let leading = diffs[0] * fact.inverse().unwrap_or(Fr::ZERO);
        UniPoly::from_evals_and_leading(&evals[..d], leading)
    }

    fn ingest_challenge(&mut self, r: Fr, _round: usize) {
        self.eq_r.bind_top(r);
        self.eq_b.bind_top(r);
        for tab in self.a.iter_mut().chain(self.b.iter_mut()) {
            tab.bind_top(r);
        }
    }

    /// `σ_1..σ_t` then `θ_1..θ_t`.
    fn final_claims(&self) -> Vec<Fr> {
        self.a
            .iter()
            .chain(&self.b)
            .map(|tab| tab.evals()[0])
            .collect()
    }
}

/// A multi-folding proof: the sumcheck on `g` and `σ`, `θ` at its final point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoldingProof {
    /// The sumcheck's round messages (`s` rounds, degree `d + 1`).
    pub sumcheck: SumcheckProof,
    /// `σ_j = Σ_y M̃_j(r'_x, y) z̃_1(y)`.
    pub sigmas: Vec<Fr>,
    /// `θ_j = Σ_y M̃_j(r'_x, y) z̃_2(y)`.
    pub thetas: Vec<Fr>,
}

/// Folds the incoming CCCS `(incoming; w_2)` into the running `(running; w_1)`. Returns the
/// proof, the folded instance and the folded witness. The commitments are taken as given (a
/// witness that does not open its commitment is caught by the decider).
pub fn prove_fold<T: Transcript>(
    ccs: &Ccs,
    ccs_digest: Fr,
    running: &Lcccs,
    w1: &CcsWitness,
    incoming: &Cccs,
    w2: &CcsWitness,
    transcript: &mut T,
) -> Result<(FoldingProof, Lcccs, CcsWitness), CcsMalformed> {
    let z1 = assemble(ccs, &w1.w, running.u, &running.x)?;
    let z2 = assemble(ccs, &w2.w, Fr::ONE, &incoming.x)?;
    let (gamma, beta) = absorb_fold_inputs(ccs, ccs_digest, running, incoming, transcript)?;
    let mut inst = FoldingSumcheck::new(ccs, &running.r_x, &z1, &z2, &beta, gamma);
    let out = prove(&mut inst, transcript);
    let claims = inst.final_claims();
    let (sigmas, thetas) = claims.split_at(ccs.matrices.len());
    transcript.absorb_frs(LABEL_FOLD_EVALS, &claims);
    let rho = fold_challenge(transcript, LABEL_FOLD_CHALLENGE);
    let folded = fold_instance(running, incoming, &out.point, sigmas, thetas, rho)?;
    let w = fold_witness(w1, w2, rho)?;
    let proof = FoldingProof {
        sumcheck: out.proof,
        sigmas: sigmas.to_vec(),
        thetas: thetas.to_vec(),
    };
    Ok((proof, folded, w))
}

/// `z = (w, u, x)` with length checks.
fn assemble(ccs: &Ccs, w: &[Fr], u: Fr, x: &[Fr]) -> Result<Vec<Fr>, CcsMalformed> {
    if w.len() != ccs.num_witness || x.len() != ccs.num_public {
        return Err(CcsMalformed::Length {
            expected: ccs.num_cols(),
            actual: w.len() + 1 + x.len(),
        });
    }
    Ok(w.iter()
        .copied()
        .chain([u])
        .chain(x.iter().copied())
        .collect())
}
