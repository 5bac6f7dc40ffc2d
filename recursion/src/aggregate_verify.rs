//! The verifier of [`crate::aggregate`] and the decoder of [`BatchOpenProof`]. Never panics:
//! every failure is a [`ClaimError`], `Malformed` or `Rejected { check }`.
#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use kaizen_field::Fr;
use kaizen_msm::ipa::PublicVector;
use kaizen_msm::verify::verify_ipa;
use kaizen_msm::{G1Affine, HyraxEvalProof};
use kaizen_sumcheck::{decode_sumcheck_proof, Transcript, VerifyError};

use crate::aggregate::{
    absorb_claim_set, claimed_commitments, combination_weights, powers, reduction_statement,
    row_scalars, BatchOpenProof, Claim, ClaimSet, PointReduction, ReducedClaims, ENCODING_VERSION,
    KIND_BATCH_OPEN, LABEL_ALPHA, LABEL_BETA, LABEL_REDUCED, MAX_REDUCED,
};
use crate::claim_error::{ClaimCheck, ClaimError, ClaimMalformed};
use crate::codec::Reader;
use crate::pcs::HyraxPcs;
use crate::transcript::TranscriptAdapter;

/// `eq(a, b) = prod_j (a_j b_j + (1 - a_j)(1 - b_j))` (equal lengths checked by the caller).
fn eq_at(a: &[Fr], b: &[Fr]) -> Fr {
    a.iter()
        .zip(b)
        .map(|(x, y)| *x * *y + (Fr::ONE - *x) * (Fr::ONE - *y))
        .product()
}

fn check_shapes(pcs: &HyraxPcs, set: &ClaimSet<'_>) -> Result<(), ClaimMalformed> {
    let params = pcs.params();
    if set.claims.is_empty() {
        return Err(ClaimMalformed::NoClaims);
    }
    for (commitment, comm) in set.commitments.iter().enumerate() {
        if comm.rows.len() != params.rows() {
            return Err(ClaimMalformed::RowCount {
                commitment,
                expected: params.rows(),
                actual: comm.rows.len(),
            });
        }
    }
    for (i, claim) in set.claims.iter().enumerate() {
        if claim.commitment >= set.commitments.len() {
            return Err(ClaimMalformed::CommitmentIndex {
                claim: i,
                index: claim.commitment,
                commitments: set.commitments.len(),
            });
        }
        if claim.point.len() != params.num_vars() {
            return Err(ClaimMalformed::PointLength {
                what: "claim",
                expected: params.num_vars(),
                actual: claim.point.len(),
            });
        }
    }
    Ok(())
}

/// Stage (b), verifier: verifies the point reduction of `claims` (shapes checked by the
/// caller: `n` coordinates each); returns the common point and the reduced claims `(g, u_g)`.
pub(crate) fn verify_reduction<T: Transcript>(
    transcript: &mut T,
    n: usize,
    claims: &[Claim],
    reduction: &PointReduction,
) -> Result<ReducedClaims, ClaimError> {
    let alpha = transcript.challenge(LABEL_ALPHA);
    let groups = claimed_commitments(claims);
    if reduction.evals.len() != groups.len() {
        return Err(ClaimMalformed::EvalCount {
            expected: groups.len(),
            actual: reduction.evals.len(),
        }
        .into());
    }
    let alphas = powers(alpha, claims.len());
    let claim: Fr = claims.iter().zip(&alphas).map(|(c, a)| c.value * *a).sum();
    reduction_statement(n, groups.len()).absorb(transcript);
    let reduced = kaizen_sumcheck::verify(&reduction.sumcheck, claim, n, 2, transcript).map_err(
        |e| match e {
            VerifyError::Malformed(m) => ClaimError::from(m),
            _ => ClaimError::Rejected {
                check: ClaimCheck::ReducedClaim,
            },
        },
    )?;
    // sum_g E_g(rho) u_g, E_g(rho) = sum_{i: c_i = g} alpha^i eq(z_i, rho).
    let mut expected = Fr::ZERO;
    for (g, u) in groups.iter().zip(&reduction.evals) {
        let e_g: Fr = claims
            .iter()
            .zip(&alphas)
            .filter(|(c, _)| c.commitment == *g)
            .map(|(c, a)| *a * eq_at(&c.point, &reduced.point))
            .sum();
        expected += e_g * *u;
    }
    if expected != reduced.value {
        return Err(ClaimError::Rejected {
            check: ClaimCheck::ReducedClaim,
        });
    }
    transcript.absorb_frs(LABEL_REDUCED, &reduction.evals);
    let pairs = groups
        .iter()
        .copied()
        .zip(reduction.evals.iter().copied())
        .collect();
    Ok((reduced.point, pairs))
}

/// Verifies `proof` for every claim of `set`. Shapes (row counts, point lengths, indices, a
/// point reduction present exactly when the points differ) are `Malformed`; a false claim is
/// `Rejected { ReducedClaim }` (caught by the point reduction) or
/// `Rejected { Opening(FinalEquation) }` (caught by the opening).
pub fn verify_batch_open<T: Transcript>(
    pcs: &HyraxPcs,
    transcript: &mut T,
    set: &ClaimSet<'_>,
    proof: &BatchOpenProof,
) -> Result<(), ClaimError> {
    check_shapes(pcs, set)?;
    let single = set.single_point();
    if single != proof.reduction.is_none() {
        return Err(ClaimMalformed::Reduction {
            expected: !single,
            actual: proof.reduction.is_some(),
        }
        .into());
    }
    absorb_claim_set(pcs, transcript, set);
    let (point, reduced) = match &proof.reduction {
        Some(reduction) => {
            verify_reduction(transcript, pcs.params().num_vars(), &set.claims, reduction)?
        }
        None => {
            let point = set
                .claims
                .first()
                .map(|c| c.point.clone())
                .ok_or(ClaimMalformed::NoClaims)?;
            let pairs: Vec<(usize, Fr)> =
                set.claims.iter().map(|c| (c.commitment, c.value)).collect();
            (point, pairs)
        }
    };

    let beta = transcript.challenge(LABEL_BETA);
    let gamma = combination_weights(set.commitments.len(), &reduced, beta);
    let value: Fr = reduced
        .iter()
        .zip(powers(beta, reduced.len()))
        .map(|((_, v), b)| *v * b)
        .sum();
    let params = pcs.params();
    let (row_point, col_point) =
        point
            .split_at_checked(params.log_rows())
            .ok_or(ClaimMalformed::PointLength {
                what: "reduced claim",
                expected: params.num_vars(),
                actual: point.len(),
            })?;
    let bases: Vec<G1Affine> = set
        .commitments
        .iter()
        .flat_map(|c| c.rows.iter().copied())
        .collect();
    let scalars = row_scalars(&gamma, row_point);
    verify_ipa(
        params.gens(),
        &mut TranscriptAdapter(transcript),
        &bases,
        &scalars,
        value,
        &PublicVector::Eq(col_point),
        &proof.opening,
    )?;
    Ok(())
}

impl BatchOpenProof {
    /// Decodes and validates [`BatchOpenProof::to_bytes`] (version, kind, flag, lengths under
    /// their caps, canonical scalars, points on the curve, no trailing bytes). Whether the
    /// shapes fit a claim set is checked by [`verify_batch_open`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ClaimError> {
        let mut r = Reader::new("batch opening proof", bytes);
        r.header(ENCODING_VERSION, KIND_BATCH_OPEN)?;
        let reduction = match r.u8("reduction flag", 1)? {
            0 => None,
            _ => {
                let len = r.len("sumcheck length", bytes.len())?;
                let sumcheck = decode_sumcheck_proof(r.bytes(len)?)?;
                let count = r.len("reduced evaluations", MAX_REDUCED)?;
                let evals = (0..count)
                    .map(|_| r.fr("reduced evaluation"))
                    .collect::<Result<Vec<_>, _>>()?;
                Some(PointReduction { sumcheck, evals })
            }
        };
        let opening = HyraxEvalProof::from_bytes(r.rest())?.ipa;
        r.finish()?;
        Ok(Self { reduction, opening })
    }
}
