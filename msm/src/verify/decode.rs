//! A bounds-checked reader over untrusted bytes.

use kaizen_field::{Fr, PrimeField};

use super::Malformed;
use crate::bn254::G1Affine;

/// Reads fixed-size items from a byte slice, never past its end.
#[derive(Debug)]
pub(super) struct Reader<'a> {
    what: &'static str,
    bytes: &'a [u8],
    total: usize,
}

impl<'a> Reader<'a> {
    pub(super) fn new(what: &'static str, bytes: &'a [u8]) -> Self {
        Self {
            what,
            bytes,
            total: bytes.len(),
        }
    }

    fn take<const N: usize>(&mut self, expected_total: usize) -> Result<[u8; N], Malformed> {
        let (head, rest) = self.bytes.split_at_checked(N).ok_or(Malformed::Length {
            what: self.what,
            expected: expected_total,
            actual: self.total,
        })?;
        self.bytes = rest;
        <[u8; N]>::try_from(head).map_err(|_| Malformed::Length {
            what: self.what,
            expected: expected_total,
            actual: self.total,
        })
    }

    /// Version and kind bytes.
    pub(super) fn header(
        &mut self,
        version: u8,
        kind: u8,
        min_len: usize,
    ) -> Result<(), Malformed> {
        let [v, k] = self.take::<2>(min_len)?;
        if v != version {
            return Err(Malformed::Version {
                what: self.what,
                expected: version,
                actual: v,
            });
        }
        if k != kind {
            return Err(Malformed::Kind {
                what: self.what,
                expected: kind,
                actual: k,
            });
        }
        Ok(())
    }

    pub(super) fn u8(&mut self, min_len: usize) -> Result<u8, Malformed> {
        let [b] = self.take::<1>(min_len)?;
        Ok(b)
    }

    pub(super) fn u32(&mut self, min_len: usize) -> Result<u32, Malformed> {
        Ok(u32::from_le_bytes(self.take::<4>(min_len)?))
    }

    /// Requires exactly `len` bytes in total (checked before reading the body, so a
    /// truncated input is reported with the length its header implies).
    pub(super) fn expect_total(&self, len: usize) -> Result<(), Malformed> {
        if self.total != len {
            return Err(Malformed::Length {
                what: self.what,
                expected: len,
                actual: self.total,
            });
        }
        Ok(())
    }

    pub(super) fn point(
        &mut self,
        list: &'static str,
        index: usize,
        total: usize,
    ) -> Result<G1Affine, Malformed> {
        let bytes = self.take::<32>(total)?;
        G1Affine::from_compressed(&bytes).map_err(|error| Malformed::Point {
            what: list,
            index,
            error,
        })
    }

    pub(super) fn scalar(&mut self, what: &'static str, total: usize) -> Result<Fr, Malformed> {
        let bytes = self.take::<32>(total)?;
        Fr::from_bytes(&bytes).map_err(|_| Malformed::Scalar { what })
    }
}
