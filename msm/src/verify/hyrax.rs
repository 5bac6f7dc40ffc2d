//! The Hyrax evaluation verifier and the decoders of commitments and proofs.

use kaizen_field::Fr;

use super::decode::Reader;
use super::ipa::verify_ipa;
use super::{Malformed, PcsError};
use crate::hyrax::{
    absorb_statement, row_weights, HyraxCommitment, HyraxEvalProof, HyraxParams, ENCODING_VERSION,
    KIND_COMMITMENT, KIND_EVAL_PROOF, MAX_VARS,
};
use crate::ipa::{IpaProof, PublicVector};
use crate::transcript::ProofTranscript;

/// Verifies that the polynomial committed in `comm` takes `value` at `point`.
///
/// Shape errors (row count, point length, round count) are `Malformed`; a proof that fails
/// the IPA equation is `Rejected { check: FinalEquation }`.
pub fn verify_eval<T: ProofTranscript>(
    params: &HyraxParams,
    transcript: &mut T,
    comm: &HyraxCommitment,
    point: &[Fr],
    value: Fr,
    proof: &HyraxEvalProof,
) -> Result<(), PcsError> {
    if comm.rows.len() != params.rows() {
        return Err(Malformed::RowCount {
            expected: params.rows(),
            actual: comm.rows.len(),
        }
        .into());
    }
    if point.len() != params.num_vars() {
        return Err(Malformed::PointLength {
            expected: params.num_vars(),
            actual: point.len(),
        }
        .into());
    }
    let k = params.num_vars() - params.log_rows();
    if proof.ipa.l.len() != k || proof.ipa.r.len() != k {
        return Err(Malformed::RoundCount {
            expected: k,
            actual: proof.ipa.l.len().min(proof.ipa.r.len()),
        }
        .into());
    }
    absorb_statement(params, transcript, comm, point);
    let (row_point, col_point) = point.split_at(params.log_rows());
    let weights = row_weights(row_point);
    verify_ipa(
        params.gens(),
        transcript,
        &comm.rows,
        &weights,
        value,
        &PublicVector::Eq(col_point),
        &proof.ipa,
    )
}

impl HyraxCommitment {
    /// Decodes and validates (version, kind, a power-of-two row count up to `2^MAX_VARS`, exact
    /// length, every point on the curve). Whether the row count fits given parameters is
    /// checked by [`verify_eval`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, PcsError> {
        const WHAT: &str = "hyrax commitment";
        let min = HyraxCommitment::encoded_len(1);
        let mut r = Reader::new(WHAT, bytes);
        r.header(ENCODING_VERSION, KIND_COMMITMENT, min)?;
        let n = r.u32(min)?;
        if !n.is_power_of_two() || u64::from(n) > 1u64 << MAX_VARS {
            return Err(Malformed::Count {
                what: WHAT,
                value: u64::from(n),
            }
            .into());
        }
        let n = usize::try_from(n).map_err(|_| Malformed::Count {
            what: WHAT,
            value: u64::from(n),
        })?;
        // 6 + 32 n, checked (only a 32-bit target could overflow).
        let total = n
            .checked_mul(32)
            .and_then(|b| b.checked_add(6))
            .ok_or(Malformed::Count {
                what: WHAT,
                value: n as u64,
            })?;
        r.expect_total(total)?;
        let rows = (0..n)
            .map(|i| r.point("commitment row", i, total))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self { rows })
    }
}

impl HyraxEvalProof {
    /// Decodes and validates (version, kind, at most `MAX_VARS` rounds, exact length, every
    /// point on the curve, every scalar canonical).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, PcsError> {
        const WHAT: &str = "hyrax evaluation proof";
        let min = HyraxEvalProof::encoded_len(0);
        let mut r = Reader::new(WHAT, bytes);
        r.header(ENCODING_VERSION, KIND_EVAL_PROOF, min)?;
        let k = r.u8(min)?;
        if usize::from(k) > MAX_VARS {
            return Err(Malformed::Count {
                what: WHAT,
                value: u64::from(k),
            }
            .into());
        }
        let k = usize::from(k);
        let total = HyraxEvalProof::encoded_len(k);
        r.expect_total(total)?;
        let l = (0..k)
            .map(|i| r.point("L", i, total))
            .collect::<Result<Vec<_>, _>>()?;
        let rr = (0..k)
            .map(|i| r.point("R", i, total))
            .collect::<Result<Vec<_>, _>>()?;
        let a = r.point("A", 0, total)?;
        let z1 = r.scalar("z1", total)?;
        let z2 = r.scalar("z2", total)?;
        Ok(Self {
            ipa: IpaProof {
                l,
                r: rr,
                a,
                z1,
                z2,
            },
        })
    }
}
