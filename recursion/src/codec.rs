//! A bounds-checked reader over untrusted bytes, shared by the decoders of this crate's
//! aggregation proofs, accumulators and decider proofs. Never panics.
#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use kaizen_field::{Fr, PrimeField};
use kaizen_msm::{G1Affine, Malformed as PcsMalformed};

use crate::claim_error::ClaimMalformed;

/// Reads items from a byte slice, never past its end.
#[derive(Debug)]
pub(crate) struct Reader<'a> {
    what: &'static str,
    bytes: &'a [u8],
    offset: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(what: &'static str, bytes: &'a [u8]) -> Self {
        Self {
            what,
            bytes,
            offset: 0,
        }
    }

    /// The next `len` bytes.
    pub(crate) fn bytes(&mut self, len: usize) -> Result<&'a [u8], ClaimMalformed> {
        let truncated = ClaimMalformed::Truncated {
            what: self.what,
            offset: self.offset,
        };
        let end = self.offset.checked_add(len).ok_or(truncated.clone())?;
        let out = self.bytes.get(self.offset..end).ok_or(truncated)?;
        self.offset = end;
        Ok(out)
    }

    fn take<const N: usize>(&mut self) -> Result<[u8; N], ClaimMalformed> {
        let offset = self.offset;
        <[u8; N]>::try_from(self.bytes(N)?).map_err(|_| ClaimMalformed::Truncated {
            what: self.what,
            offset,
        })
    }

    /// Version and kind bytes.
    pub(crate) fn header(&mut self, version: u8, kind: u8) -> Result<(), ClaimMalformed> {
        let [v, k] = self.take::<2>()?;
        if v != version {
            return Err(ClaimMalformed::Version {
                what: self.what,
                expected: version,
                actual: v,
            });
        }
        if k != kind {
            return Err(ClaimMalformed::Kind {
                what: self.what,
                expected: kind,
                actual: k,
            });
        }
        Ok(())
    }

    /// A byte no larger than `cap`.
    pub(crate) fn u8(&mut self, what: &'static str, cap: u8) -> Result<u8, ClaimMalformed> {
        let [b] = self.take::<1>()?;
        if b > cap {
            return Err(ClaimMalformed::Count {
                what,
                value: u64::from(b),
                cap: u64::from(cap),
            });
        }
        Ok(b)
    }

    /// A little-endian `u32` no larger than `cap`.
    pub(crate) fn len(&mut self, what: &'static str, cap: usize) -> Result<usize, ClaimMalformed> {
        let v = u32::from_le_bytes(self.take::<4>()?);
        match usize::try_from(v) {
            Ok(n) if n <= cap => Ok(n),
            _ => Err(ClaimMalformed::Count {
                what,
                value: u64::from(v),
                cap: cap as u64,
            }),
        }
    }

    /// A canonical scalar.
    pub(crate) fn fr(&mut self, what: &'static str) -> Result<Fr, ClaimMalformed> {
        let b = self.take::<32>()?;
        Fr::from_bytes(&b).map_err(|_| ClaimMalformed::Pcs(PcsMalformed::Scalar { what }))
    }

    /// A compressed point (on the curve).
    pub(crate) fn point(&mut self, what: &'static str) -> Result<G1Affine, ClaimMalformed> {
        let b = self.take::<32>()?;
        G1Affine::from_compressed(&b).map_err(|error| {
            ClaimMalformed::Pcs(PcsMalformed::Point {
                what,
                index: 0,
                error,
            })
        })
    }

    /// Everything not read yet.
    pub(crate) fn rest(&mut self) -> &'a [u8] {
        let rest = self.bytes.get(self.offset..).unwrap_or_default();
        self.offset = self.bytes.len();
        rest
    }

    /// Requires the input to be fully read.
    pub(crate) fn finish(&self) -> Result<(), ClaimMalformed> {
        let extra = self.bytes.len().saturating_sub(self.offset);
        if extra == 0 {
            Ok(())
        } else {
            Err(ClaimMalformed::TrailingBytes {
                what: self.what,
                extra,
            })
        }
    }
}
