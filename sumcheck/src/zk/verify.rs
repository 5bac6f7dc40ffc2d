//! The zero-knowledge sumcheck verifiers: no indexing, no unwrap, no panic. They mirror
//! [`prove_zk`](super::prove_zk) / [`prove_product_zk`](super::prove_product_zk) step by step
//! (table in the [module doc](super)).
#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use kaizen_field::Fr;

use super::mask::mask_basis;
use super::prover::absorb_preamble;
use super::{MaskVerifier, ZkProductProof, ZkSumcheckProof, ZkVerifyError, LABEL_MASK_EVAL};
use crate::product::ProductStatement;
use crate::transcript::Transcript;
use crate::verifier::verify::{check_factor_evals, check_product_shape, verify};
use crate::verifier::EvaluationClaim;

/// Verifies a zero-knowledge sumcheck of `num_rounds` rounds and degree `degree` whose sum is
/// `claim`: the masked rounds, then the mask's opening at the final point. Returns the claim
/// on `f` alone, `f(r) = s_{n-1}(r_{n-1}) - ρ g(r)`, which the caller MUST check.
///
/// Order of the checks: the rounds' shapes, then the opening (`g(r)` is authenticated before it
/// is used), then the caller's oracle check. A changed claim, mask sum or round message moves
/// the point `r`, so an honest `g(r)` no longer opens: [`ZkVerifyError::MaskOpening`] with the
/// scheme's check; a cheater who re-opens the mask at the new point is caught by the oracle
/// check on `f(r)` (`Rejected { FinalEvaluation }` in [`verify_product_zk`]).
pub fn verify_zk<T: Transcript, V: MaskVerifier>(
    verifier: &V,
    proof: &ZkSumcheckProof<V::Commitment, V::Opening>,
    claim: Fr,
    num_rounds: usize,
    degree: usize,
    transcript: &mut T,
) -> Result<EvaluationClaim, ZkVerifyError<V::Error>> {
    let rho = absorb_preamble(
        transcript,
        num_rounds,
        degree,
        claim,
        &proof.mask_commitment,
        proof.mask_sum,
    );
    let masked_claim = claim + rho * proof.mask_sum;
    let reduced = verify(
        &proof.sumcheck,
        masked_claim,
        num_rounds,
        degree,
        transcript,
    )?;
    transcript.absorb_fr(LABEL_MASK_EVAL, &proof.mask_eval);
    // The opening comes before g(r) is used: the value is authenticated first.
    let basis = mask_basis(&reduced.point, degree);
    verifier
        .verify_opening(
            transcript,
            &proof.mask_commitment,
            &basis,
            proof.mask_eval,
            &proof.mask_opening,
        )
        .map_err(ZkVerifyError::MaskOpening)?;
    Ok(EvaluationClaim {
        value: reduced.value - rho * proof.mask_eval,
        point: reduced.point,
    })
}

/// Verifies a zero-knowledge product proof: the statement is absorbed, [`verify_zk`] run, and
/// the claim on `f` checked against the factor evaluations (`Rejected { FinalEvaluation }`).
/// Returns one claim per factor, which the caller MUST check against the factors' oracles.
pub fn verify_product_zk<T: Transcript, V: MaskVerifier>(
    verifier: &V,
    statement: &ProductStatement,
    claim: Fr,
    proof: &ZkProductProof<V::Commitment, V::Opening>,
    transcript: &mut T,
) -> Result<Vec<EvaluationClaim>, ZkVerifyError<V::Error>> {
    check_product_shape(statement, &proof.factor_evals)?;
    statement.absorb(transcript);
    let reduced = verify_zk(
        verifier,
        &proof.zk,
        claim,
        statement.num_vars,
        statement.degree(),
        transcript,
    )?;
    Ok(check_factor_evals(
        statement,
        &proof.factor_evals,
        reduced,
        transcript,
    )?)
}
