//! Verifiers and decoders of the commitment's proofs. Never panics on any input: this module
//! and its children deny indexing, unwrap, expect and panic; every failure is a [`PcsError`]
//! with two kinds, `Malformed` (bytes or shapes that break the format) and `Rejected` (a
//! well-formed proof failing a named [`Check`]).
#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

mod decode;
mod hyrax;
mod ipa;

pub use hyrax::verify_eval;
pub use ipa::verify_ipa;

use crate::encoding::DecodeError;

/// Why a commitment, opening proof or its encoding was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PcsError {
    /// The bytes or shapes break the format.
    #[error("malformed: {0}")]
    Malformed(#[from] Malformed),
    /// A well-formed proof failed a check.
    #[error("rejected: {check} check failed")]
    Rejected {
        /// Which check failed.
        check: Check,
    },
}

/// A verifier check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Check {
    /// A Fiat–Shamir challenge that must be invertible was zero (probability `2^-254` for an
    /// honest prover; `label` names it).
    ZeroChallenge {
        /// The challenge's transcript label.
        label: &'static str,
    },
    /// The IPA's final equation `z1 Q + z2 H == A + c P_k`, checked as one MSM; it covers
    /// every `L_j`, `R_j`, `A`, `z1`, `z2`, the (row-combined) commitment, the value and the
    /// point, so tampering with any of them fails here.
    FinalEquation,
}

impl core::fmt::Display for Check {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Check::ZeroChallenge { label } => write!(f, "non-zero challenge ({label})"),
            Check::FinalEquation => f.write_str("IPA final equation"),
        }
    }
}

/// A format violation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Malformed {
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
    /// Truncated input or trailing bytes.
    #[error("{what}: {actual} bytes, expected {expected}")]
    Length {
        /// What was being decoded.
        what: &'static str,
        /// Bytes the header implies.
        expected: usize,
        /// Bytes given.
        actual: usize,
    },
    /// A count in a header is out of range (row count not a power of two, too many rounds).
    #[error("{what}: count {value} out of range")]
    Count {
        /// What was being decoded.
        what: &'static str,
        /// The count read.
        value: u64,
    },
    /// A point failed to decode.
    #[error("{what} {index}: {error}")]
    Point {
        /// Which point list.
        what: &'static str,
        /// Its position.
        index: usize,
        /// Why.
        error: DecodeError,
    },
    /// A scalar is not below the modulus.
    #[error("{what}: scalar not below the modulus")]
    Scalar {
        /// Which scalar.
        what: &'static str,
    },
    /// The commitment has a row count other than the parameters'.
    #[error("commitment has {actual} rows, the parameters {expected}")]
    RowCount {
        /// Rows of the parameters.
        expected: usize,
        /// Rows of the commitment.
        actual: usize,
    },
    /// The proof has a round count other than `log C`.
    #[error("proof has {actual} rounds, expected {expected}")]
    RoundCount {
        /// `log C`.
        expected: usize,
        /// `L`/`R` pairs in the proof (or the smaller of the two counts).
        actual: usize,
    },
    /// The evaluation point has a length other than `n`.
    #[error("point has {actual} coordinates, expected {expected}")]
    PointLength {
        /// `n`.
        expected: usize,
        /// Coordinates given.
        actual: usize,
    },
    /// The public vector's length does not match the generators or the witness shape.
    #[error("public vector of length {actual:?}, expected {expected}")]
    VectorLength {
        /// Expected length.
        expected: usize,
        /// Given length (`None`: too large to index).
        actual: Option<usize>,
    },
}
