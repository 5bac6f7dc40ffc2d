//! The sumcheck verifier. It mirrors [`prove`](crate::prove) step by step (see the table in
//! `prover.rs`) and returns the reduced claim, which the caller MUST check.
//!
//! All code that reads proof bytes or untrusted shapes sits in [`mod@verify`] under
//! `deny(indexing_slicing, unwrap_used, expect_used, panic)`: a malformed proof is an error,
//! never a panic.

pub mod verify;

use kaizen_field::Fr;

use crate::error::{Check, VerifyError};

pub use verify::{decode_product_proof, decode_sumcheck_proof, verify, verify_product};

/// The claim a sumcheck reduces to: `f(point) = value` for the summed polynomial `f`.
///
/// The sumcheck verifier has only checked the rounds: the caller MUST check this claim against
/// the oracle (a commitment opening, the claimed factor evaluations, or a direct evaluation),
/// e.g. with [`EvaluationClaim::check`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use = "a sumcheck proves nothing until its evaluation claim is checked"]
pub struct EvaluationClaim {
    /// The point, `point[round]` (the crate's variable order).
    pub point: Vec<Fr>,
    /// The claimed value at the point.
    pub value: Fr,
}

impl EvaluationClaim {
    /// Checks the claim against the oracle's value at `point`.
    pub fn check(&self, oracle_value: Fr) -> Result<(), VerifyError> {
        if oracle_value == self.value {
            Ok(())
        } else {
            Err(VerifyError::Rejected {
                check: Check::FinalEvaluation,
                round: self.point.len(),
                expected: oracle_value,
                actual: self.value,
            })
        }
    }
}
