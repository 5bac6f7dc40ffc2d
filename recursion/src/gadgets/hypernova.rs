//! The HyperNova multi-folding verifier as a circuit: the twin of
//! [`crate::ccs::fold::verify_fold`] over [`PoseidonTranscriptVar`] (RECURSION.md section 2
//! step 5). The folded CCS is a circuit constant (its multisets and constants); instances,
//! proof and digest are variables.
//!
//! A commitment `C` is held as the two packed elements of its compressed encoding
//! ([`point_elements`]: what the Poseidon transcript absorbs). The circuit does not compute
//! `C_1 + ρ C_2` (a G1 operation, coordinates in `Fq`): the folded commitment is a witness
//! hint and the fold returns the bits of `ρ`; the `Fq` side (CycleFold, RECURSION.md
//! section 3) proves `C' = C_1 + ρ C_2` with these as its public input. Linking the packed
//! elements to that instance's coordinates is the IVC step's glue, not this gadget's.
//!
//! ```text
//!   transcript: digest, (C, u, x, r_x, v), (C_2, x_2) → γ, β  same absorbs as native
//!   claim = Σ_j γ^j v_j                                        2t rows
//!   sumcheck (s rounds, degree d + 1)                          (d + 1) s rows + transcript
//!   e = eq(r_x, r') Σ_j γ^j σ_j + γ^(t+1) eq(β, r') Σ_i c_i Π θ_j      row "hypernova/final-evaluation"
//!   absorb σ ‖ θ → ρ = low 128 bits (strict decomposition)   508 rows (gadgets::bits)
//!   u + ρ, x_1 + ρ x_2, σ + ρ θ; C' hint                       n_x + t rows
//! ```
//!
//! Untrusted shapes: no indexing, no panic; errors are the native [`FoldError`]s.
#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use kaizen_field::{Fr, PrimeField};
use kaizen_msm::G1Affine;
use kaizen_sumcheck::transcript::poseidon::byte_string_elements;
use kaizen_sumcheck::VerifyError;

use super::bits::fold_challenge_var;
use super::poseidon::PoseidonTranscriptVar;
use super::sumcheck::{eq_eval_var, verify_sumcheck};
use crate::ccs::committed::{fold_commitment, Cccs};
use crate::ccs::fold::{
    FoldError, LABEL_FOLD_CHALLENGE, LABEL_FOLD_DIGEST, LABEL_FOLD_EVALS, LABEL_FOLD_GAMMA_BETA,
    LABEL_FOLD_INCOMING, LABEL_FOLD_RUNNING,
};
use crate::ccs::nimfs::FoldingProof;
use crate::ccs::{Ccs, CcsMalformed, ConstraintSystem, Lc, Lcccs, Var};

/// Bytes of a compressed G1 point.
const POINT_BYTES: usize = 32;

/// The two elements a compressed G1 point is absorbed as (bytes 0..31 and byte 31, packed
/// little-endian as in `kaizen_sumcheck::transcript::poseidon::byte_string_elements`).
pub fn point_elements(p: &G1Affine) -> [Fr; 2] {
    let bytes = p.to_compressed();
    let mut it = byte_string_elements(&bytes).skip(1);
    core::array::from_fn(|_| it.next().unwrap_or(Fr::ZERO))
}

/// The point of [`point_elements`]; `None` unless the elements are a valid encoding.
pub fn point_from_elements(e: &[Fr; 2]) -> Option<G1Affine> {
    let (lo, hi) = (e[0].to_bytes(), e[1].to_bytes());
    if lo[31] != 0 || hi[1..].iter().any(|b| *b != 0) {
        return None;
    }
    let mut bytes = lo;
    bytes[31] = hi[0];
    G1Affine::from_compressed(&bytes).ok()
}

fn alloc_point(cs: &mut ConstraintSystem, p: &G1Affine) -> [Lc; 2] {
    point_elements(p).map(|e| cs.alloc_witness(e).into())
}

fn point_value(cs: &ConstraintSystem, p: &[Lc; 2]) -> Option<G1Affine> {
    point_from_elements(&[cs.value(&p[0]), cs.value(&p[1])])
}

/// An [`Lcccs`] in variables.
#[derive(Debug, Clone)]
pub struct LcccsVar {
    /// `C` as its two packed elements.
    pub commitment: [Lc; 2],
    /// `u`.
    pub u: Lc,
    /// `x`.
    pub x: Vec<Lc>,
    /// `r_x`.
    pub r_x: Vec<Lc>,
    /// `v_j`.
    pub v: Vec<Lc>,
}

/// A [`FoldingProof`] in variables.
#[derive(Debug, Clone)]
pub struct FoldingProofVar {
    /// Round messages `[c_0, c_2, .., c_D]`.
    pub rounds: Vec<Vec<Lc>>,
    /// `σ_j`.
    pub sigmas: Vec<Lc>,
    /// `θ_j`.
    pub thetas: Vec<Lc>,
}

fn alloc_all(cs: &mut ConstraintSystem, values: &[Fr]) -> Vec<Lc> {
    values.iter().map(|v| cs.alloc_witness(*v).into()).collect()
}

impl LcccsVar {
    /// Allocates an instance as witness variables.
    pub fn alloc(cs: &mut ConstraintSystem, inst: &Lcccs) -> Self {
        Self {
            commitment: alloc_point(cs, &inst.commitment),
            u: cs.alloc_witness(inst.u).into(),
            x: alloc_all(cs, &inst.x),
            r_x: alloc_all(cs, &inst.r_x),
            v: alloc_all(cs, &inst.v),
        }
    }

    /// The values; `None` when the commitment elements are not a valid point.
    pub fn value(&self, cs: &ConstraintSystem) -> Option<Lcccs> {
        let vals = |v: &[Lc]| v.iter().map(|l| cs.value(l)).collect();
        Some(Lcccs {
            commitment: point_value(cs, &self.commitment)?,
            u: cs.value(&self.u),
            x: vals(&self.x),
            r_x: vals(&self.r_x),
            v: vals(&self.v),
        })
    }
}

/// A [`Cccs`] in variables.
#[derive(Debug, Clone)]
pub struct CccsVar {
    /// `C` as its two packed elements.
    pub commitment: [Lc; 2],
    /// `x`.
    pub x: Vec<Lc>,
}

impl CccsVar {
    /// Allocates an instance as witness variables.
    pub fn alloc(cs: &mut ConstraintSystem, inst: &Cccs) -> Self {
        Self {
            commitment: alloc_point(cs, &inst.commitment),
            x: alloc_all(cs, &inst.x),
        }
    }
}

/// The output of [`verify_fold_gadget`].
#[derive(Debug, Clone)]
pub struct FoldOutputVar {
    /// The folded instance (its commitment a hint, see the module doc).
    pub folded: LcccsVar,
    /// `ρ` (an integer below `2^128`).
    pub rho: Lc,
    /// The bits of `ρ`, least significant first (128).
    pub rho_bits: Vec<Var>,
}

impl FoldingProofVar {
    /// Allocates a proof as witness variables.
    pub fn alloc(cs: &mut ConstraintSystem, proof: &FoldingProof) -> Self {
        Self {
            rounds: proof
                .sumcheck
                .rounds
                .iter()
                .map(|r| alloc_all(cs, &r.coeffs_except_linear))
                .collect(),
            sigmas: alloc_all(cs, &proof.sigmas),
            thetas: alloc_all(cs, &proof.thetas),
        }
    }
}

fn check_len(expected: usize, actual: usize) -> Result<(), CcsMalformed> {
    if expected == actual {
        Ok(())
    } else {
        Err(CcsMalformed::Length { expected, actual })
    }
}

/// `Σ_k γ^(k+1) values[k]` and `γ^(len+1)` (2 rows per value).
fn gamma_combination(cs: &mut ConstraintSystem, gamma: &Lc, values: &[Lc]) -> (Lc, Lc) {
    let mut power = gamma.clone();
    let mut acc = Lc::zero();
    for v in values {
        let term: Lc = cs.mul("hypernova/gamma-term", &power, v).into();
        acc = &acc + &term;
        power = cs.mul("hypernova/gamma-power", &power, gamma).into();
    }
    (acc, power)
}

/// Verifies a multi-fold in the circuit; returns the folded instance and `ρ`.
pub fn verify_fold_gadget(
    cs: &mut ConstraintSystem,
    transcript: &mut PoseidonTranscriptVar,
    ccs: &Ccs,
    ccs_digest: &Lc,
    running: &LcccsVar,
    incoming: &CccsVar,
    proof: &FoldingProofVar,
) -> Result<FoldOutputVar, FoldError> {
    let x2 = &incoming.x;
    let (s, t) = (ccs.log_rows(), ccs.matrices.len());
    if running.r_x.len() != s {
        return Err(CcsMalformed::PointLength {
            expected: s,
            actual: running.r_x.len(),
        }
        .into());
    }
    check_len(ccs.num_public, running.x.len())?;
    check_len(ccs.num_public, x2.len())?;
    check_len(t, running.v.len())?;
    check_len(t, proof.sigmas.len())?;
    check_len(t, proof.thetas.len())?;

    transcript.absorb_fr(cs, LABEL_FOLD_DIGEST, ccs_digest);
    transcript.absorb_packed_bytes(cs, LABEL_FOLD_RUNNING, POINT_BYTES, &running.commitment)?;
    transcript.absorb_fr(cs, LABEL_FOLD_RUNNING, &running.u);
    transcript.absorb_frs(cs, LABEL_FOLD_RUNNING, &running.x);
    transcript.absorb_frs(cs, LABEL_FOLD_RUNNING, &running.r_x);
    transcript.absorb_frs(cs, LABEL_FOLD_RUNNING, &running.v);
    transcript.absorb_packed_bytes(cs, LABEL_FOLD_INCOMING, POINT_BYTES, &incoming.commitment)?;
    transcript.absorb_frs(cs, LABEL_FOLD_INCOMING, x2);
    let gamma = transcript.challenge(cs, LABEL_FOLD_GAMMA_BETA);
    let beta: Vec<Lc> = (0..s)
        .map(|_| transcript.challenge(cs, LABEL_FOLD_GAMMA_BETA))
        .collect();

    let (claim, _) = gamma_combination(cs, &gamma, &running.v);
    let degree = ccs.degree().max(1) + 1;
    let reduced = verify_sumcheck(cs, transcript, &proof.rounds, &claim, s, degree)
        .map_err(VerifyError::from)?;

    // e = eq(r_x, r') Σ_j γ^j σ_j + γ^(t+1) eq(β, r') Σ_i c_i Π_{j ∈ S_i} θ_j
    let (sigma_sum, gamma_q) = gamma_combination(cs, &gamma, &proof.sigmas);
    let mut q = Lc::zero();
    for (i, (set, c)) in ccs.multisets.iter().zip(&ccs.constants).enumerate() {
        let mut factors = set.iter().map(|j| proof.thetas.get(*j));
        let Some(Some(first)) = factors.next() else {
            return Err(CcsMalformed::Structure { index: i }.into());
        };
        let mut prod = first.scale(*c);
        for f in factors {
            let f = f.ok_or(CcsMalformed::Structure { index: i })?;
            prod = cs.mul("hypernova/theta-product", &prod, f).into();
        }
        q = &q + &prod;
    }
    let eq_r = eq_eval_var(cs, &running.r_x, &reduced.point);
    let eq_b = eq_eval_var(cs, &beta, &reduced.point);
    let lin: Lc = cs.mul("hypernova/linear-part", &eq_r, &sigma_sum).into();
    let gq: Lc = cs.mul("hypernova/q-weight", &gamma_q, &eq_b).into();
    // gq · q = value − lin
    cs.enforce_r1cs("hypernova/final-evaluation", gq, q, &reduced.value - &lin);

    let evals: Vec<Lc> = proof.sigmas.iter().chain(&proof.thetas).cloned().collect();
    transcript.absorb_frs(cs, LABEL_FOLD_EVALS, &evals);
    let (rho, rho_bits) = fold_challenge_var(cs, transcript, LABEL_FOLD_CHALLENGE);
    // The folded commitment: a hint computed from the values (identity when an input is not a
    // valid point; the `Fq` side then fails to prove it).
    let hint = match (
        point_value(cs, &running.commitment),
        point_value(cs, &incoming.commitment),
    ) {
        (Some(c1), Some(c2)) => fold_commitment(&c1, &c2, &cs.value(&rho)),
        _ => G1Affine::default(),
    };
    let commitment = alloc_point(cs, &hint);
    let mut fold = |a: &Lc, b: &Lc| -> Lc {
        let rb: Lc = cs.mul("hypernova/fold", &rho, b).into();
        a + &rb
    };
    let x = running.x.iter().zip(x2).map(|(a, b)| fold(a, b)).collect();
    let v = proof
        .sigmas
        .iter()
        .zip(&proof.thetas)
        .map(|(a, b)| fold(a, b))
        .collect();
    let folded = LcccsVar {
        commitment,
        u: &running.u + &rho,
        x,
        r_x: reduced.point,
        v,
    };
    Ok(FoldOutputVar {
        folded,
        rho,
        rho_bits,
    })
}
