//! [`ClaimError`]: why an aggregated opening, an accumulator or its decider proof was not
//! accepted. Two kinds, as everywhere in kaizen: [`ClaimMalformed`] (bytes or shapes that
//! break the format) and `Rejected { check }` (a well-formed object failing a named
//! [`ClaimCheck`]).

use kaizen_msm::{Check as PcsCheck, Malformed as PcsMalformed, PcsError};
use kaizen_sumcheck::Malformed as SumcheckMalformed;

/// Why a claim set's proof, an accumulator or a decider proof was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClaimError {
    /// The bytes or shapes break the format.
    #[error("malformed: {0}")]
    Malformed(#[from] ClaimMalformed),
    /// A well-formed proof failed a check.
    #[error("rejected: {check} check failed")]
    Rejected {
        /// Which check failed.
        check: ClaimCheck,
    },
}

impl From<PcsError> for ClaimError {
    fn from(e: PcsError) -> Self {
        match e {
            PcsError::Malformed(m) => ClaimError::Malformed(ClaimMalformed::Pcs(m)),
            PcsError::Rejected { check } => ClaimError::Rejected {
                check: ClaimCheck::Opening(check),
            },
            // `PcsError` is non-exhaustive: a future kind is reported as a failed opening.
            _ => ClaimError::Rejected {
                check: ClaimCheck::Opening(PcsCheck::FinalEquation),
            },
        }
    }
}

impl From<SumcheckMalformed> for ClaimError {
    fn from(e: SumcheckMalformed) -> Self {
        ClaimError::Malformed(ClaimMalformed::Sumcheck(e))
    }
}

/// A named check of the aggregation verifier, the accumulator's fold or its decider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClaimCheck {
    /// The inner-product opening (`kaizen_msm`'s check: the IPA final equation or a zero
    /// challenge).
    Opening(PcsCheck),
    /// The point-reduction sumcheck's last claim differs from
    /// `sum_g E_g(rho) u_g`, `E_g(rho) = sum_{i in g} alpha^i eq(z_i, rho)`.
    ReducedClaim,
    /// Decider: `D != <a, G> + blind H` (the accumulator's point is not the commitment of its
    /// witness).
    DeciderCommitment,
    /// Decider: `<a, eq(r, .)> != v` (the accumulator's value is not its witness's evaluation).
    DeciderValue,
}

impl core::fmt::Display for ClaimCheck {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            ClaimCheck::Opening(c) => write!(f, "opening ({c})"),
            ClaimCheck::ReducedClaim => f.write_str("point-reduction final claim"),
            ClaimCheck::DeciderCommitment => f.write_str("decider commitment"),
            ClaimCheck::DeciderValue => f.write_str("decider value"),
        }
    }
}

/// A format or shape violation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClaimMalformed {
    /// A commitment, point or IPA part breaks `kaizen_msm`'s format.
    #[error("{0}")]
    Pcs(PcsMalformed),
    /// The point-reduction sumcheck breaks `kaizen_sumcheck`'s format.
    #[error("sumcheck: {0}")]
    Sumcheck(SumcheckMalformed),
    /// A claim set without claims.
    #[error("no claims")]
    NoClaims,
    /// A claim names a commitment outside the set.
    #[error("claim {claim} names commitment {index}, the set has {commitments}")]
    CommitmentIndex {
        /// The claim.
        claim: usize,
        /// The index it names.
        index: usize,
        /// Commitments in the set.
        commitments: usize,
    },
    /// A commitment has a row count other than the parameters'.
    #[error("commitment {commitment} has {actual} rows, the parameters {expected}")]
    RowCount {
        /// The commitment.
        commitment: usize,
        /// Rows of the parameters.
        expected: usize,
        /// Rows given.
        actual: usize,
    },
    /// A point has a length other than the parameters' (`n` for claims, `log C` for an
    /// accumulator).
    #[error("point of {what} has {actual} coordinates, expected {expected}")]
    PointLength {
        /// Whose point.
        what: &'static str,
        /// Expected coordinates.
        expected: usize,
        /// Coordinates given.
        actual: usize,
    },
    /// The proof carries a point reduction when the claims share one point, or lacks it when
    /// they do not.
    #[error("point reduction present: {actual}, expected {expected}")]
    Reduction {
        /// Whether the claims need one.
        expected: bool,
        /// Whether the proof has one.
        actual: bool,
    },
    /// The proof has a number of reduced evaluations other than the number of claimed
    /// commitments.
    #[error("{actual} reduced evaluations, expected {expected}")]
    EvalCount {
        /// Distinct commitments named by the claims.
        expected: usize,
        /// Evaluations in the proof.
        actual: usize,
    },
    /// Unknown encoding version.
    #[error("{what}: version {actual}, expected {expected}")]
    Version {
        /// What was being decoded.
        what: &'static str,
        /// The supported version.
        expected: u8,
        /// The version byte read.
        actual: u8,
    },
    /// The kind byte names another object.
    #[error("{what}: kind byte {actual:#04x}, expected {expected:#04x}")]
    Kind {
        /// What was being decoded.
        what: &'static str,
        /// The expected kind.
        expected: u8,
        /// The kind byte read.
        actual: u8,
    },
    /// The input ends early.
    #[error("{what}: truncated at byte {offset}")]
    Truncated {
        /// What was being decoded.
        what: &'static str,
        /// Where the missing item starts.
        offset: usize,
    },
    /// Bytes left after the object.
    #[error("{what}: {extra} trailing bytes")]
    TrailingBytes {
        /// What was being decoded.
        what: &'static str,
        /// How many.
        extra: usize,
    },
    /// A count or flag in a header is out of range.
    #[error("{what}: value {value} out of range (cap {cap})")]
    Count {
        /// Which field.
        what: &'static str,
        /// The value read.
        value: u64,
        /// Its cap.
        cap: u64,
    },
}
