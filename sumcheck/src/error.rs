//! The crate's error type: [`VerifyError`] with its two kinds, [`Malformed`] (bytes or
//! shapes that break the format) and `Rejected` (a well-formed proof failing a named check).

use kaizen_field::Fr;

/// Why a sumcheck proof was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The proof does not have the shape the statement requires.
    #[error("malformed sumcheck proof: {0}")]
    Malformed(#[from] Malformed),
    /// A well-formed proof failed a check.
    #[error("sumcheck proof rejected: {check} check failed after round {round} (expected {expected}, got {actual})")]
    Rejected {
        /// Which check failed.
        check: Check,
        /// The round the check belongs to (`num_rounds` for checks after the last round).
        round: usize,
        /// The value the verifier computed.
        expected: Fr,
        /// The value the proof claimed.
        actual: Fr,
    },
}

/// A format violation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Malformed {
    /// Number of round messages differs from the statement's number of variables.
    #[error("{actual} round messages, the statement has {expected} rounds")]
    RoundCount {
        /// Rounds of the statement.
        expected: usize,
        /// Round messages in the proof.
        actual: usize,
    },
    /// A round message has the wrong number of coefficients for the degree bound.
    #[error("round {round}: {actual} coefficients, expected {expected}")]
    RoundLength {
        /// The round.
        round: usize,
        /// Coefficients expected (the degree bound).
        expected: usize,
        /// Coefficients sent.
        actual: usize,
    },
    /// Number of final factor evaluations differs from the statement's factor count.
    #[error("{actual} factor evaluations, the statement has {expected} factors")]
    FactorCount {
        /// Factors of the statement.
        expected: usize,
        /// Evaluations in the proof.
        actual: usize,
    },
    /// The statement itself is inconsistent (a term names a factor that does not exist, or
    /// has no factors or more than [`MAX_FACTORS`](crate::MAX_FACTORS)).
    #[error("statement term {term} is invalid")]
    Statement {
        /// The offending term.
        term: usize,
    },
    /// The eq point's length differs from the number of rounds.
    #[error("eq point has {actual} coordinates, the statement has {expected} variables")]
    EqPointLength {
        /// Variables of the statement.
        expected: usize,
        /// Coordinates given.
        actual: usize,
    },
    /// Proof bytes ended early.
    #[error("proof bytes truncated at offset {offset}")]
    Truncated {
        /// Byte offset where more was needed.
        offset: usize,
    },
    /// A field element encoding is not below the modulus.
    #[error("non-canonical field element at byte offset {offset}")]
    NonCanonical {
        /// Byte offset of the element.
        offset: usize,
    },
    /// Bytes left over after the proof.
    #[error("{extra} trailing bytes after the proof")]
    TrailingBytes {
        /// Number of extra bytes.
        extra: usize,
    },
    /// A length field exceeds the decoder's cap.
    #[error("length {value} at byte offset {offset} exceeds the cap {cap}")]
    TooLong {
        /// Offset of the length field.
        offset: usize,
        /// The value read.
        value: u64,
        /// The cap.
        cap: usize,
    },
}

/// The named checks of the sumcheck verifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Check {
    /// The last round's claim against the oracle (or the claimed factor evaluations).
    FinalEvaluation,
}

impl core::fmt::Display for Check {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::FinalEvaluation => f.write_str("final-evaluation"),
        }
    }
}
