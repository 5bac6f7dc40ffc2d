//! The IPA verifier (see [`crate::ipa`] for the protocol): one MSM over
//! `G_{0..C}, U, H, terms of P, L_j, R_j, A` whose result must be the identity.

use kaizen_field::{Field, Fr};

use super::{Check, Malformed, PcsError};
use crate::bn254::G1Affine;
use crate::ipa::{
    fold_coefficients, IpaProof, PublicVector, RoundChallenge, LABEL_A, LABEL_C, LABEL_L, LABEL_R,
    LABEL_ROUNDS, LABEL_U_SCALE, LABEL_VALUE,
};
use crate::pedersen::PedersenGens;
use crate::pippenger::try_msm_vartime;
use crate::transcript::ProofTranscript;

/// Verifies `proof` that the vector committed in `P = sum_t p_scalars[t] p_bases[t]` has
/// inner product `v` with `b`. The caller has absorbed what determines `P` and `b`.
pub fn verify_ipa<T: ProofTranscript>(
    gens: &PedersenGens,
    transcript: &mut T,
    p_bases: &[G1Affine],
    p_scalars: &[Fr],
    v: Fr,
    b: &PublicVector<'_>,
    proof: &IpaProof,
) -> Result<(), PcsError> {
    let c = b
        .len()
        .filter(|c| c.is_power_of_two() && *c <= gens.len())
        .ok_or(Malformed::VectorLength {
            expected: gens.len(),
            actual: b.len(),
        })?;
    let k = c.trailing_zeros() as usize;
    if proof.l.len() != k || proof.r.len() != k {
        return Err(Malformed::RoundCount {
            expected: k,
            actual: proof.l.len().min(proof.r.len()),
        }
        .into());
    }
    if p_bases.len() != p_scalars.len() {
        return Err(Malformed::VectorLength {
            expected: p_bases.len(),
            actual: Some(p_scalars.len()),
        }
        .into());
    }

    transcript.absorb_bytes(LABEL_ROUNDS, &(k as u64).to_le_bytes());
    transcript.absorb_scalar(LABEL_VALUE, &v);
    let x0 = transcript.challenge_scalar(LABEL_U_SCALE);
    if x0.is_zero() {
        return Err(PcsError::Rejected {
            check: Check::ZeroChallenge {
                label: "ipa/u-scale",
            },
        });
    }
    let mut xs = Vec::with_capacity(k);
    for (l, r) in proof.l.iter().zip(&proof.r) {
        transcript.absorb_point(LABEL_L, l);
        transcript.absorb_point(LABEL_R, r);
        let x = RoundChallenge::squeeze(transcript).scalar();
        if x.is_zero() {
            return Err(PcsError::Rejected {
                check: Check::ZeroChallenge { label: "ipa/x" },
            });
        }
        xs.push(x);
    }
    transcript.absorb_point(LABEL_A, &proof.a);
    let ch = transcript.challenge_scalar(LABEL_C);

    // P_k = X P_0 + sum_j w_j (x_j^2 L_j + R_j), X = prod_j x_j, w_j = prod_{i > j} x_i; so
    // z1 <s, G> + (z1 b_f - c X v) x0 U + z2 H - c X P - c sum_j w_j (x_j^2 L_j + R_j) - A == 0.
    let s = fold_coefficients(&xs);
    let b_f = b.folded(&s, &xs);
    let mut w = Vec::with_capacity(k);
    let mut big_x = Fr::ONE;
    for x in xs.iter().rev() {
        w.push(big_x);
        big_x *= *x;
    }
    w.reverse();
    let z1 = proof.z1;
    let mut bases: Vec<G1Affine> = Vec::with_capacity(c + 3 + p_bases.len() + 2 * k);
    let mut scalars: Vec<Fr> = Vec::with_capacity(bases.capacity());
    bases.extend(gens.g().iter().take(c));
    scalars.extend(s.iter().map(|s| z1 * *s));
    bases.extend([gens.u(), gens.h(), proof.a]);
    scalars.extend([(z1 * b_f - ch * big_x * v) * x0, proof.z2, -Fr::ONE]);
    bases.extend_from_slice(p_bases);
    let c_big_x = ch * big_x;
    scalars.extend(p_scalars.iter().map(|t| -c_big_x * *t));
    bases.extend(proof.l.iter().chain(&proof.r));
    scalars.extend(w.iter().zip(&xs).map(|(w, x)| -ch * *w * x.square()));
    scalars.extend(w.iter().map(|w| -ch * *w));
    let sum = try_msm_vartime(&bases, &scalars).map_err(|_| Malformed::VectorLength {
        expected: bases.len(),
        actual: Some(scalars.len()),
    })?;
    if sum.is_identity() {
        Ok(())
    } else {
        Err(PcsError::Rejected {
            check: Check::FinalEquation,
        })
    }
}
