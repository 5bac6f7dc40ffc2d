//! Bytes of the Pedersen zero-knowledge sumcheck proofs, and their validating decoders (no
//! indexing, no unwrap, no panic: every violation is a [`ZkDecodeError`]).
//!
//! ```text
//!   version u8 (1) | kind u8 (KIND_SUMCHECK 0x11 or KIND_PRODUCT 0x10)
//!   | M: 32-byte compressed G1 | G: 32-byte Fr | g(r): 32-byte Fr
//!   | u32 len | SumcheckProof bytes (kaizen-sumcheck's encoding)
//!   | u32 len | the IPA opening in msm's encoding (a HyraxEvalProof: its only content is the IPA)
//!   [KIND_PRODUCT only] | u32 factors | factors x 32-byte Fr
//! ```
//!
//! Integers little-endian, field elements canonical (below the modulus), points validated on
//! the curve. Each embedded part is decoded by its own crate's decoder over exactly its bytes.
#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use kaizen_field::{Fr, PrimeField};
use kaizen_msm::{DecodeError, G1Affine, HyraxEvalProof, PcsError};
use kaizen_sumcheck::proof::SumcheckProof;
use kaizen_sumcheck::verifier::verify::MAX_PROOF_FACTORS;
use kaizen_sumcheck::zk::{ZkProductProof, ZkSumcheckProof};
use kaizen_sumcheck::{decode_sumcheck_proof, Malformed};

use super::{MaskPoint, PedersenZkProductProof, PedersenZkProof};

/// Version byte of these encodings.
pub const ENCODING_VERSION: u8 = 1;
/// Kind byte of an encoded [`PedersenZkProductProof`].
pub const KIND_PRODUCT: u8 = 0x10;
/// Kind byte of an encoded [`PedersenZkProof`].
pub const KIND_SUMCHECK: u8 = 0x11;

/// Why proof bytes were not accepted (all format violations: a decoded proof can still be
/// rejected by the verifier).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ZkDecodeError {
    /// The input ended before `offset + needed` bytes.
    #[error("zk-sumcheck proof truncated at byte {offset}")]
    Truncated {
        /// Where more bytes were needed.
        offset: usize,
    },
    /// Bytes left after the proof.
    #[error("{extra} trailing bytes after the zk-sumcheck proof")]
    TrailingBytes {
        /// How many.
        extra: usize,
    },
    /// Unknown version or kind byte.
    #[error("zk-sumcheck proof: version {version}, kind {kind:#04x}")]
    Header {
        /// The version byte read.
        version: u8,
        /// The kind byte read.
        kind: u8,
    },
    /// The mask commitment is not a valid point.
    #[error("mask commitment: {0}")]
    Commitment(DecodeError),
    /// A field element is not below the modulus.
    #[error("non-canonical field element at byte {offset}")]
    NonCanonical {
        /// Its offset.
        offset: usize,
    },
    /// A length field exceeds what the format allows.
    #[error("length {value} at byte {offset} exceeds the cap {cap}")]
    TooLong {
        /// Offset of the length field.
        offset: usize,
        /// The value read.
        value: u64,
        /// The cap.
        cap: usize,
    },
    /// The embedded sumcheck rounds are malformed.
    #[error("sumcheck rounds: {0}")]
    Sumcheck(Malformed),
    /// The embedded IPA opening is malformed.
    #[error("mask opening: {0}")]
    Opening(PcsError),
}

/// Largest embedded part: 64 rounds of 5 coefficients, or an IPA of 32 rounds, with headers.
const MAX_PART: usize = 1 << 14;

fn write_len(out: &mut Vec<u8>, len: usize) {
    out.extend_from_slice(&(len as u32).to_le_bytes());
}

fn write(proof: &PedersenZkProof, kind: u8, out: &mut Vec<u8>) {
    out.extend_from_slice(&[ENCODING_VERSION, kind]);
    out.extend_from_slice(&proof.mask_commitment.0.to_compressed());
    out.extend_from_slice(&proof.mask_sum.to_bytes());
    out.extend_from_slice(&proof.mask_eval.to_bytes());
    let rounds = proof.sumcheck.to_bytes();
    write_len(out, rounds.len());
    out.extend_from_slice(&rounds);
    let opening = HyraxEvalProof {
        ipa: proof.mask_opening.clone(),
    }
    .to_bytes();
    write_len(out, opening.len());
    out.extend_from_slice(&opening);
}

/// The canonical bytes of a [`PedersenZkProof`] (module doc).
pub fn encode_proof(proof: &PedersenZkProof) -> Vec<u8> {
    let mut out = Vec::new();
    write(proof, KIND_SUMCHECK, &mut out);
    out
}

/// The canonical bytes of a [`PedersenZkProductProof`] (module doc).
pub fn encode_product_proof(proof: &PedersenZkProductProof) -> Vec<u8> {
    let mut out = Vec::new();
    write(&proof.zk, KIND_PRODUCT, &mut out);
    write_len(&mut out, proof.factor_evals.len());
    for e in &proof.factor_evals {
        out.extend_from_slice(&e.to_bytes());
    }
    out
}

/// A cursor over untrusted bytes.
struct Cursor<'a> {
    rest: &'a [u8],
    offset: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ZkDecodeError> {
        let (head, rest) = self
            .rest
            .split_at_checked(n)
            .ok_or(ZkDecodeError::Truncated {
                offset: self.offset,
            })?;
        self.rest = rest;
        self.offset += n;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], ZkDecodeError> {
        let offset = self.offset;
        <[u8; N]>::try_from(self.take(N)?).map_err(|_| ZkDecodeError::Truncated { offset })
    }

    fn len(&mut self, cap: usize) -> Result<usize, ZkDecodeError> {
        let offset = self.offset;
        let v = u32::from_le_bytes(self.array::<4>()?);
        usize::try_from(v)
            .ok()
            .filter(|v| *v <= cap)
            .ok_or(ZkDecodeError::TooLong {
                offset,
                value: u64::from(v),
                cap,
            })
    }

    fn fr(&mut self) -> Result<Fr, ZkDecodeError> {
        let offset = self.offset;
        Fr::from_bytes(&self.array::<32>()?).map_err(|_| ZkDecodeError::NonCanonical { offset })
    }

    fn part(&mut self) -> Result<&'a [u8], ZkDecodeError> {
        let len = self.len(MAX_PART)?;
        self.take(len)
    }

    fn finish(&self) -> Result<(), ZkDecodeError> {
        match self.rest.len() {
            0 => Ok(()),
            extra => Err(ZkDecodeError::TrailingBytes { extra }),
        }
    }
}

fn read(c: &mut Cursor<'_>, kind: u8) -> Result<PedersenZkProof, ZkDecodeError> {
    let [version, k] = c.array::<2>()?;
    if version != ENCODING_VERSION || k != kind {
        return Err(ZkDecodeError::Header { version, kind: k });
    }
    let commitment =
        G1Affine::from_compressed(&c.array::<32>()?).map_err(ZkDecodeError::Commitment)?;
    let mask_sum = c.fr()?;
    let mask_eval = c.fr()?;
    let sumcheck: SumcheckProof =
        decode_sumcheck_proof(c.part()?).map_err(ZkDecodeError::Sumcheck)?;
    let opening = HyraxEvalProof::from_bytes(c.part()?).map_err(ZkDecodeError::Opening)?;
    Ok(ZkSumcheckProof {
        mask_commitment: MaskPoint(commitment),
        mask_sum,
        sumcheck,
        mask_eval,
        mask_opening: opening.ipa,
    })
}

/// Decodes [`encode_proof`]'s bytes.
pub fn decode_proof(bytes: &[u8]) -> Result<PedersenZkProof, ZkDecodeError> {
    let mut c = Cursor {
        rest: bytes,
        offset: 0,
    };
    let proof = read(&mut c, KIND_SUMCHECK)?;
    c.finish()?;
    Ok(proof)
}

/// Decodes [`encode_product_proof`]'s bytes.
pub fn decode_product_proof(bytes: &[u8]) -> Result<PedersenZkProductProof, ZkDecodeError> {
    let mut c = Cursor {
        rest: bytes,
        offset: 0,
    };
    let zk = read(&mut c, KIND_PRODUCT)?;
    let n = c.len(MAX_PROOF_FACTORS)?;
    let factor_evals = (0..n).map(|_| c.fr()).collect::<Result<Vec<_>, _>>()?;
    c.finish()?;
    Ok(ZkProductProof { zk, factor_evals })
}
