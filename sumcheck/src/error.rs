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
    /// A check of one GKR layer (or LogUp tree layer) failed; `layer` counts from the output
    /// (layer 0 is the last layer of the circuit, the one producing the output).
    #[error("layer {layer}: {error}")]
    InLayer {
        /// The layer, counted from the output.
        layer: usize,
        /// What failed inside it.
        error: Box<VerifyError>,
    },
}

impl VerifyError {
    /// Wraps `self` as a failure of `layer`.
    pub fn in_layer(self, layer: usize) -> Self {
        Self::InLayer {
            layer,
            error: Box::new(self),
        }
    }
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
    /// Number of layer proofs differs from the circuit's number of layers.
    #[error("{actual} layer proofs, the circuit has {expected} layers")]
    LayerCount {
        /// Layers of the circuit.
        expected: usize,
        /// Layer proofs given.
        actual: usize,
    },
    /// Number of claims is outside what the protocol accepts (GKR: 1 or 2 per layer).
    #[error("{actual} claims, expected between 1 and {max}")]
    ClaimCount {
        /// Most claims accepted.
        max: usize,
        /// Claims given.
        actual: usize,
    },
    /// A claim's point has the wrong number of coordinates.
    #[error("claim point has {actual} coordinates, expected {expected}")]
    PointLength {
        /// Coordinates expected.
        expected: usize,
        /// Coordinates given.
        actual: usize,
    },
    /// The circuit (or lookup statement) itself is inconsistent: layer `layer` (in forward
    /// order) does not fit its neighbours, or a size exceeds a cap.
    #[error("circuit layer {layer} has an inconsistent shape")]
    Shape {
        /// The layer, in forward order (0 reads the circuit input).
        layer: usize,
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
    /// A GKR layer: the sumcheck's final claim against the layer function applied to the
    /// claimed input evaluations (or, for a linear layer, the claim itself).
    LayerEvaluation,
    /// LogUp: the witness-side and table-side root fractions differ.
    LookupRoot,
    /// LogUp: a root denominator is zero (the fraction is undefined).
    ZeroDenominator,
    /// LogUp: the witness leaves' numerator is not the constant 1.
    LookupNumerator,
    /// LogUp: the table leaves' denominator differs from `X - t(point)`.
    LookupTable,
}

impl core::fmt::Display for Check {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::FinalEvaluation => f.write_str("final-evaluation"),
            Self::LayerEvaluation => f.write_str("layer-evaluation"),
            Self::LookupRoot => f.write_str("lookup-root"),
            Self::ZeroDenominator => f.write_str("zero-denominator"),
            Self::LookupNumerator => f.write_str("lookup-numerator"),
            Self::LookupTable => f.write_str("lookup-table"),
        }
    }
}
