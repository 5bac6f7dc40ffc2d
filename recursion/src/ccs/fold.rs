//! The algebra of HyperNova's multi-folding (Kothapalli–Setty, ePrint 2023/573, section 5) of
//! a running [`Lcccs`] `U_1 = (C_1, u_1, x_1, r_x, v)` with witness `(w_1, b_1)` and an incoming
//! [`Cccs`] `(C_2, x_2)` with witness `(w_2, b_2)` (`z_2 = (w_2, 1, x_2)` satisfies the CCS):
//!
//! ```text
//!   L_j(X) = eq(r_x, X) · Σ_y M̃_j(X, y) z̃_1(y)                         j = 1..t
//!   Q(X)   = eq(β, X)   · Σ_i c_i Π_{j ∈ S_i} Σ_y M̃_j(X, y) z̃_2(y)
//!   g(X)   = Σ_j γ^j L_j(X) + γ^(t+1) Q(X)            degree d + 1 in each variable
//!   Σ_{X ∈ {0,1}^s} g(X) = Σ_j γ^j v_j                (Q vanishes on the cube iff z_2 satisfies)
//! ```
//!
//! After an `s`-round sumcheck on `g` ending at `r'_x` with claim `c`, the prover sends
//! `σ_j = Σ_y M̃_j(r'_x, y) z̃_1(y)` and `θ_j` (same for `z̃_2`); the verifier checks
//! `c = e(σ, θ)` ([`final_evaluation`]) and folds by a 128-bit challenge `ρ`
//! ([`fold_instance`], [`super::committed::fold_challenge`]): `C = C_1 + ρ C_2`, `u = u_1 + ρ`,
//! `x = x_1 + ρ x_2`, `r_x ← r'_x`, `v_j = σ_j + ρ θ_j`; the witness `(w_1 + ρ w_2, b_1 + ρ b_2)`.
//!
//! The prover is [`super::nimfs::prove_fold`], the verifier [`verify_fold`], its circuit twin
//! [`crate::gadgets::verify_fold_gadget`] (which leaves `C_1 + ρ C_2` to the `Fq` side).
#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use kaizen_field::Fr;
use kaizen_sumcheck::{eq_eval, eq_table};

use super::check::CcsMalformed;
use super::committed::{fold_challenge, fold_commitment, Cccs};
use super::mle::Lcccs;
use super::Ccs;

/// `M_j z` for every matrix, each padded to `2^s` rows.
fn products(ccs: &Ccs, z: &[Fr]) -> Result<Vec<Vec<Fr>>, CcsMalformed> {
    let rows = 1usize << ccs.log_rows();
    ccs.matrices
        .iter()
        .enumerate()
        .map(|(j, m)| {
            let mut out = vec![Fr::ZERO; rows];
            for (r, c, a) in &m.entries {
                let zc = z.get(*c).ok_or(CcsMalformed::Structure { index: j })?;
                let o = out
                    .get_mut(*r)
                    .ok_or(CcsMalformed::Structure { index: j })?;
                *o += *a * *zc;
            }
            Ok(out)
        })
        .collect()
}

/// `Σ_i c_i Π_{j ∈ S_i} mz[j]` for one row's (or one point's) matrix values.
fn ccs_combination(ccs: &Ccs, mz: &[Fr]) -> Result<Fr, CcsMalformed> {
    let mut acc = Fr::ZERO;
    for (i, (s, c)) in ccs.multisets.iter().zip(&ccs.constants).enumerate() {
        let mut term = *c;
        for j in s {
            term *= *mz.get(*j).ok_or(CcsMalformed::Structure { index: i })?;
        }
        acc += term;
    }
    Ok(acc)
}

/// `γ^1 .. γ^(t+1)`.
fn gamma_powers(gamma: Fr, t: usize) -> Vec<Fr> {
    core::iter::successors(Some(gamma), |g| Some(*g * gamma))
        .take(t + 1)
        .collect()
}

/// The sumcheck's claim `Σ_j γ^j v_j`.
pub fn folding_claim(v: &[Fr], gamma: Fr) -> Fr {
    v.iter()
        .zip(gamma_powers(gamma, v.len()))
        .map(|(v, g)| *v * g)
        .sum()
}

/// `g` on the boolean cube, `g(x)` for `x ∈ {0,1}^s` (the prover's first-round table; its sum
/// equals [`folding_claim`] exactly when `z_2` satisfies the CCS and `v` is honest).
pub fn cube_values(
    ccs: &Ccs,
    running: &Lcccs,
    z1: &[Fr],
    z2: &[Fr],
    beta: &[Fr],
    gamma: Fr,
) -> Result<Vec<Fr>, CcsMalformed> {
    let s = ccs.log_rows();
    for p in [&running.r_x[..], beta] {
        if p.len() != s {
            return Err(CcsMalformed::PointLength {
                expected: s,
                actual: p.len(),
            });
        }
    }
    let (m1, m2) = (products(ccs, z1)?, products(ccs, z2)?);
    let (eq_r, eq_b) = (eq_table(&running.r_x), eq_table(beta));
    let powers = gamma_powers(gamma, ccs.matrices.len());
    let gamma_q = powers.last().copied().unwrap_or(Fr::ONE);
    let mut out = Vec::with_capacity(1 << s);
    let mut mz2 = vec![Fr::ZERO; ccs.matrices.len()];
    for (x, (er, eb)) in eq_r.iter().zip(&eq_b).enumerate() {
        let mut lin = Fr::ZERO;
        for ((col1, col2), (g, slot)) in m1.iter().zip(&m2).zip(powers.iter().zip(mz2.iter_mut())) {
            lin += *g * *col1.get(x).ok_or(CcsMalformed::Structure { index: 0 })?;
            *slot = *col2.get(x).ok_or(CcsMalformed::Structure { index: 0 })?;
        }
        out.push(*er * lin + gamma_q * *eb * ccs_combination(ccs, &mz2)?);
    }
    Ok(out)
}

/// `e = eq(r_x, r'_x) Σ_j γ^j σ_j + γ^(t+1) eq(β, r'_x) Σ_i c_i Π_{j ∈ S_i} θ_j`: the value
/// the sumcheck's final claim must equal.
pub fn final_evaluation(
    ccs: &Ccs,
    gamma: Fr,
    beta: &[Fr],
    r_x: &[Fr],
    r_x_new: &[Fr],
    sigmas: &[Fr],
    thetas: &[Fr],
) -> Result<Fr, CcsMalformed> {
    let s = ccs.log_rows();
    let t = ccs.matrices.len();
    for p in [beta, r_x, r_x_new] {
        if p.len() != s {
            return Err(CcsMalformed::PointLength {
                expected: s,
                actual: p.len(),
            });
        }
    }
    for v in [sigmas, thetas] {
        if v.len() != t {
            return Err(CcsMalformed::Length {
                expected: t,
                actual: v.len(),
            });
        }
    }
    let gamma_q = gamma_powers(gamma, t).last().copied().unwrap_or(Fr::ONE);
    Ok(eq_eval(r_x, r_x_new) * folding_claim(sigmas, gamma)
        + gamma_q * eq_eval(beta, r_x_new) * ccs_combination(ccs, thetas)?)
}

/// The folded instance: `C_1 + ρ C_2`, `u_1 + ρ`, `x_1 + ρ x_2`, `r'_x`, `σ + ρ θ`.
pub fn fold_instance(
    running: &Lcccs,
    incoming: &Cccs,
    r_x_new: &[Fr],
    sigmas: &[Fr],
    thetas: &[Fr],
    rho: Fr,
) -> Result<Lcccs, CcsMalformed> {
    let x2 = &incoming.x;
    if x2.len() != running.x.len() || sigmas.len() != thetas.len() {
        return Err(CcsMalformed::Length {
            expected: running.x.len(),
            actual: x2.len(),
        });
    }
    Ok(Lcccs {
        commitment: fold_commitment(&running.commitment, &incoming.commitment, &rho),
        u: running.u + rho,
        x: running
            .x
            .iter()
            .zip(x2)
            .map(|(a, b)| *a + rho * *b)
            .collect(),
        r_x: r_x_new.to_vec(),
        v: sigmas
            .iter()
            .zip(thetas)
            .map(|(s, t)| *s + rho * *t)
            .collect(),
    })
}

/// Label: the CCS digest a fold starts from.
pub const LABEL_FOLD_DIGEST: &[u8] = b"hypernova/ccs-digest";
/// Label: the running instance `(u, x, r_x, v)`.
pub const LABEL_FOLD_RUNNING: &[u8] = b"hypernova/running";
/// Label: the incoming public input.
pub const LABEL_FOLD_INCOMING: &[u8] = b"hypernova/incoming";
/// Label: `γ` and `β`.
pub const LABEL_FOLD_GAMMA_BETA: &[u8] = b"hypernova/gamma-beta";
/// Label: `σ ‖ θ`.
pub const LABEL_FOLD_EVALS: &[u8] = b"hypernova/sigma-theta";
/// Label: `ρ` (its low 128 bits).
pub const LABEL_FOLD_CHALLENGE: &[u8] = b"hypernova/rho";

/// Why a fold was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FoldError {
    /// An instance or the proof has the wrong shape for the CCS.
    #[error("malformed: {0}")]
    Malformed(#[from] CcsMalformed),
    /// The sumcheck is malformed or fails a check (`Rejected { FinalEvaluation }` when
    /// `e(σ, θ)` differs from its final claim).
    #[error("sumcheck: {0}")]
    Sumcheck(#[from] kaizen_sumcheck::VerifyError),
}

/// Shape checks, then the transcript up to `γ`, `β` (prover and verifier alike). Absorbed: the
/// CCS digest, the whole running instance and the whole incoming instance, commitments
/// included (RECURSION.md section 5: fold hashes cover whole instances). A commitment is
/// absorbed as its compressed 32 bytes (`absorb_group_bytes`: on Poseidon two packed elements,
/// which the circuit twin absorbs as variables).
pub(crate) fn absorb_fold_inputs<T: kaizen_sumcheck::Transcript>(
    ccs: &Ccs,
    ccs_digest: Fr,
    running: &Lcccs,
    incoming: &Cccs,
    transcript: &mut T,
) -> Result<(Fr, Vec<Fr>), CcsMalformed> {
    let x2 = &incoming.x;
    let s = ccs.log_rows();
    if running.r_x.len() != s {
        return Err(CcsMalformed::PointLength {
            expected: s,
            actual: running.r_x.len(),
        });
    }
    for len in [running.x.len(), x2.len()] {
        if len != ccs.num_public {
            return Err(CcsMalformed::Length {
                expected: ccs.num_public,
                actual: len,
            });
        }
    }
    if running.v.len() != ccs.matrices.len() {
        return Err(CcsMalformed::Length {
            expected: ccs.matrices.len(),
            actual: running.v.len(),
        });
    }
    transcript.absorb_fr(LABEL_FOLD_DIGEST, &ccs_digest);
    transcript.absorb_group_bytes(LABEL_FOLD_RUNNING, &running.commitment.to_compressed());
    transcript.absorb_fr(LABEL_FOLD_RUNNING, &running.u);
    transcript.absorb_frs(LABEL_FOLD_RUNNING, &running.x);
    transcript.absorb_frs(LABEL_FOLD_RUNNING, &running.r_x);
    transcript.absorb_frs(LABEL_FOLD_RUNNING, &running.v);
    transcript.absorb_group_bytes(LABEL_FOLD_INCOMING, &incoming.commitment.to_compressed());
    transcript.absorb_frs(LABEL_FOLD_INCOMING, x2);
    let gamma = transcript.challenge(LABEL_FOLD_GAMMA_BETA);
    let beta = transcript.challenge_vector(LABEL_FOLD_GAMMA_BETA, s);
    Ok((gamma, beta))
}

/// Verifies a multi-fold of the incoming instance into `running`; returns the folded
/// instance. Mirrors [`super::nimfs::prove_fold`].
pub fn verify_fold<T: kaizen_sumcheck::Transcript>(
    ccs: &Ccs,
    ccs_digest: Fr,
    running: &Lcccs,
    incoming: &Cccs,
    proof: &super::nimfs::FoldingProof,
    transcript: &mut T,
) -> Result<Lcccs, FoldError> {
    let (gamma, beta) = absorb_fold_inputs(ccs, ccs_digest, running, incoming, transcript)?;
    let s = ccs.log_rows();
    let claim = folding_claim(&running.v, gamma);
    let degree = ccs.degree().max(1) + 1;
    let reduced = kaizen_sumcheck::verify(&proof.sumcheck, claim, s, degree, transcript)?;
    let e = final_evaluation(
        ccs,
        gamma,
        &beta,
        &running.r_x,
        &reduced.point,
        &proof.sigmas,
        &proof.thetas,
    )?;
    if e != reduced.value {
        return Err(kaizen_sumcheck::VerifyError::Rejected {
            check: kaizen_sumcheck::Check::FinalEvaluation,
            round: s,
            expected: e,
            actual: reduced.value,
        }
        .into());
    }
    let evals: Vec<Fr> = proof.sigmas.iter().chain(&proof.thetas).copied().collect();
    transcript.absorb_frs(LABEL_FOLD_EVALS, &evals);
    let rho = fold_challenge(transcript, LABEL_FOLD_CHALLENGE);
    Ok(fold_instance(
        running,
        incoming,
        &reduced.point,
        &proof.sigmas,
        &proof.thetas,
        rho,
    )?)
}
