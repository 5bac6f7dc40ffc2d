//! The crate's one error type.

use std::path::PathBuf;

/// Everything that can go wrong in `kaizen-nn`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum NnError {
    /// A value does not fit the width it must be stored in (never a silent wrap).
    #[error("overflow in layer {layer} ({op}): value {value} does not fit {bits} bits")]
    Overflow {
        /// Index of the layer in the model (`usize::MAX` for the loss / optimiser).
        layer: usize,
        /// The operation that produced the value.
        op: &'static str,
        /// The offending value.
        value: i128,
        /// The signed width it had to fit.
        bits: u32,
    },
    /// The worst-case bound of an accumulation does not fit the 2^62 accumulator budget.
    #[error("accumulator bound in layer {layer} ({op}): {terms} terms of |a| <= {max_a}, |b| <= {max_b} may exceed 2^62")]
    AccumulatorBound {
        /// Layer index.
        layer: usize,
        /// The operation.
        op: &'static str,
        /// Number of products summed.
        terms: usize,
        /// Largest |a|.
        max_a: u64,
        /// Largest |b|.
        max_b: u64,
    },
    /// A fixed-point or training parameter is out of range.
    #[error("bad parameter {name}: {what}")]
    BadParameter {
        /// The parameter.
        name: &'static str,
        /// What is wrong.
        what: String,
    },
    /// Tensor shapes do not agree.
    #[error("shape mismatch in {context}: expected {expected}, got {actual}")]
    Shape {
        /// Where.
        context: &'static str,
        /// Expected element count.
        expected: usize,
        /// Actual element count.
        actual: usize,
    },
    /// An I/O error on a named file.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A malformed IDX or checkpoint file.
    #[error("{path}: {what}")]
    BadFile {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        what: FileProblem,
    },
    /// The training proof could not be made (prover side) or a proof object is malformed.
    #[error("proof: {0}")]
    Proof(#[from] crate::proof::ProofError),
    /// Refused to overwrite an existing file.
    #[error("{path}: already exists (pass force to overwrite)")]
    Exists {
        /// The file.
        path: PathBuf,
    },
}

/// What is wrong with a data or checkpoint file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FileProblem {
    /// The file ends before its header says it should.
    #[error("truncated: expected {expected} bytes, found {actual}")]
    Truncated {
        /// Bytes the header promises.
        expected: u64,
        /// Bytes present.
        actual: u64,
    },
    /// More bytes than the header says.
    #[error("trailing data: expected {expected} bytes, found {actual}")]
    Trailing {
        /// Bytes the header promises.
        expected: u64,
        /// Bytes present.
        actual: u64,
    },
    /// The magic number is not the expected one.
    #[error("bad magic {found:#010x} (expected {expected:#010x})")]
    BadMagic {
        /// Found.
        found: u32,
        /// Expected.
        expected: u32,
    },
    /// The dimensions are not what the dataset needs.
    #[error("unexpected dimensions {found:?} (expected {expected})")]
    BadDims {
        /// Found.
        found: Vec<u32>,
        /// Expected, in words.
        expected: &'static str,
    },
    /// Images and labels files disagree on the count.
    #[error("{images} images but {labels} labels")]
    CountMismatch {
        /// Image count.
        images: u32,
        /// Label count.
        labels: u32,
    },
    /// A label is not a valid class.
    #[error("label {label} at index {index} is not below {classes}")]
    BadLabel {
        /// Index.
        index: usize,
        /// The label.
        label: u8,
        /// Number of classes.
        classes: usize,
    },
    /// The gzip stream is corrupt.
    #[error("corrupt gzip stream: {0}")]
    Gzip(String),
    /// A checkpoint of another format version.
    #[error("checkpoint version {found} (this build reads {expected})")]
    Version {
        /// Found.
        found: u32,
        /// Expected.
        expected: u32,
    },
    /// A checkpoint whose digest does not match its contents.
    #[error("checkpoint digest mismatch (file corrupt)")]
    Digest,
    /// A checkpoint field is malformed.
    #[error("malformed checkpoint field {0}")]
    Field(&'static str),
}

/// Result alias.
pub type Result<T> = std::result::Result<T, NnError>;
