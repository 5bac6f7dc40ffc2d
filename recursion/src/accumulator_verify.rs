//! The verifier side of [`crate::accumulator`]: the instance of a claim, the fold verifier,
//! the decider (direct and by proof), and the decoders. Never panics: every failure is a
//! [`ClaimError`], `Malformed` or `Rejected { check }`.
#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use kaizen_field::{batch, Fr};
use kaizen_msm::hyrax::{row_weights, MAX_VARS};
use kaizen_msm::ipa::PublicVector;
use kaizen_msm::verify::verify_ipa;
use kaizen_msm::{try_msm_vartime, G1Projective, HyraxCommitment, HyraxEvalProof};
use kaizen_sumcheck::{decode_sumcheck_proof, Transcript};

use crate::accumulator::{
    absorb_instance, absorb_params, challenge_128, fold_claims, AccInstance, AccWitness,
    DeciderProof, FoldProof, ENCODING_VERSION, KIND_DECIDER_PROOF, KIND_FOLD_PROOF, KIND_INSTANCE,
    LABEL_RHO,
};
use crate::aggregate::PointReduction;
use crate::aggregate_verify::verify_reduction;
use crate::claim_error::{ClaimCheck, ClaimError, ClaimMalformed};
use crate::codec::Reader;
use crate::pcs::HyraxPcs;

fn log_cols(pcs: &HyraxPcs) -> usize {
    pcs.params().num_vars() - pcs.params().log_rows()
}

fn check_point(pcs: &HyraxPcs, acc: &AccInstance) -> Result<(), ClaimMalformed> {
    if acc.r.len() != log_cols(pcs) {
        return Err(ClaimMalformed::PointLength {
            what: "accumulator",
            expected: log_cols(pcs),
            actual: acc.r.len(),
        });
    }
    Ok(())
}

fn msm(bases: &[kaizen_msm::G1Affine], scalars: &[Fr]) -> Result<G1Projective, ClaimError> {
    try_msm_vartime(bases, scalars).map_err(|_| {
        ClaimMalformed::Pcs(kaizen_msm::Malformed::VectorLength {
            expected: bases.len(),
            actual: Some(scalars.len()),
        })
        .into()
    })
}

/// The accumulator of the claim `f(point) = value` on `comm`: `D = sum_row eq(z_row, row)
/// T_row` (an `R`-point MSM), `r = z_col`, `v = value`. Nothing is checked yet (the decider
/// does); shapes are `Malformed`.
pub fn instance_from_claim(
    pcs: &HyraxPcs,
    comm: &HyraxCommitment,
    point: &[Fr],
    value: Fr,
) -> Result<AccInstance, ClaimError> {
    let params = pcs.params();
    if comm.rows.len() != params.rows() {
        return Err(ClaimMalformed::RowCount {
            commitment: 0,
            expected: params.rows(),
            actual: comm.rows.len(),
        }
        .into());
    }
    let (row_point, col_point) = point
        .split_at_checked(params.log_rows())
        .filter(|_| point.len() == params.num_vars())
        .ok_or(ClaimMalformed::PointLength {
            what: "claim",
            expected: params.num_vars(),
            actual: point.len(),
        })?;
    let d = msm(&comm.rows, &row_weights(row_point))?.to_affine();
    Ok(AccInstance {
        d,
        r: col_point.to_vec(),
        v: value,
    })
}

/// Verifies a fold of `acc1` and `acc2` and returns the folded instance
/// `(D1 + rho D2, r', u1 + rho u2)`: the reduction sumcheck (`Rejected { ReducedClaim }` when
/// either value is false for its witness, with overwhelming probability) and one scalar
/// multiplication.
pub fn verify_fold<T: Transcript>(
    pcs: &HyraxPcs,
    transcript: &mut T,
    acc1: &AccInstance,
    acc2: &AccInstance,
    proof: &FoldProof,
) -> Result<AccInstance, ClaimError> {
    check_point(pcs, acc1)?;
    check_point(pcs, acc2)?;
    absorb_params(pcs, transcript);
    absorb_instance(transcript, acc1);
    absorb_instance(transcript, acc2);
    let claims = fold_claims(acc1, acc2);
    let (point, reduced) = verify_reduction(transcript, log_cols(pcs), &claims, &proof.reduction)?;
    let rho = challenge_128(transcript, LABEL_RHO);
    let (u1, u2) = match reduced.as_slice() {
        [(_, u1), (_, u2)] => (*u1, *u2),
        _ => {
            return Err(ClaimMalformed::EvalCount {
                expected: 2,
                actual: reduced.len(),
            }
            .into())
        }
    };
    let d = (G1Projective::from(acc1.d) + acc2.d.mul_vartime(&rho)).to_affine();
    Ok(AccInstance {
        d,
        r: point,
        v: u1 + rho * u2,
    })
}

/// Decides an accumulator against its witness: `D == <a, G> + blind H`
/// (`Rejected { DeciderCommitment }`) and `<a, eq(r, .)> == v` (`Rejected { DeciderValue }`).
/// One MSM of size `C`.
pub fn decide(pcs: &HyraxPcs, acc: &AccInstance, wit: &AccWitness) -> Result<(), ClaimError> {
    check_point(pcs, acc)?;
    let gens = pcs.params().gens();
    let c = pcs.params().cols();
    if wit.a.len() != c {
        return Err(ClaimMalformed::Pcs(kaizen_msm::Malformed::VectorLength {
            expected: c,
            actual: Some(wit.a.len()),
        })
        .into());
    }
    let g = gens.g().get(..c).unwrap_or_default();
    let committed = msm(g, &wit.a)? + gens.blind_vartime(&wit.blind);
    if committed.to_affine() != acc.d {
        return Err(ClaimError::Rejected {
            check: ClaimCheck::DeciderCommitment,
        });
    }
    let eq = PublicVector::Eq(&acc.r).to_dense();
    if eq.len() != wit.a.len() || batch::inner_product(&wit.a, &eq) != acc.v {
        return Err(ClaimError::Rejected {
            check: ClaimCheck::DeciderValue,
        });
    }
    Ok(())
}

/// Verifies a decider proof: the IPA opening of `D` at `r` to `v`, one MSM of size
/// `C + 2 log C + 4`. A false accumulator is `Rejected { Opening(FinalEquation) }`.
pub fn verify_decider<T: Transcript>(
    pcs: &HyraxPcs,
    transcript: &mut T,
    acc: &AccInstance,
    proof: &DeciderProof,
) -> Result<(), ClaimError> {
    check_point(pcs, acc)?;
    absorb_params(pcs, transcript);
    absorb_instance(transcript, acc);
    verify_ipa(
        pcs.params().gens(),
        &mut crate::transcript::TranscriptAdapter(transcript),
        &[acc.d],
        &[Fr::ONE],
        acc.v,
        &PublicVector::Eq(&acc.r),
        &proof.ipa,
    )?;
    Ok(())
}

impl AccInstance {
    /// Decodes and validates (version, kind, at most `MAX_VARS` coordinates, exact length,
    /// `D` on the curve, canonical scalars). Whether `r` fits the parameters is checked by the
    /// fold and decider verifiers.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ClaimError> {
        let mut r = Reader::new("accumulator instance", bytes);
        r.header(ENCODING_VERSION, KIND_INSTANCE)?;
        let k = usize::from(r.u8("point length", MAX_VARS as u8)?);
        let d = r.point("D")?;
        let point = (0..k).map(|_| r.fr("r")).collect::<Result<Vec<_>, _>>()?;
        let v = r.fr("v")?;
        r.finish()?;
        Ok(Self { d, r: point, v })
    }
}

impl FoldProof {
    /// Decodes and validates [`FoldProof::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ClaimError> {
        let mut r = Reader::new("fold proof", bytes);
        r.header(ENCODING_VERSION, KIND_FOLD_PROOF)?;
        let len = r.len("sumcheck length", bytes.len())?;
        let sumcheck = decode_sumcheck_proof(r.bytes(len)?)?;
        let evals = vec![r.fr("u1")?, r.fr("u2")?];
        r.finish()?;
        Ok(Self {
            reduction: PointReduction { sumcheck, evals },
        })
    }
}

impl DeciderProof {
    /// Decodes and validates [`DeciderProof::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ClaimError> {
        let mut r = Reader::new("decider proof", bytes);
        r.header(ENCODING_VERSION, KIND_DECIDER_PROOF)?;
        let ipa = HyraxEvalProof::from_bytes(r.rest())?.ipa;
        r.finish()?;
        Ok(Self { ipa })
    }
}
