//! Point encodings: one compressed and one uncompressed form per point type.
//!
//! Coordinates are the canonical little-endian 32-byte integers of the base field. Both base
//! fields are below `2^254`, so the two top bits of the last byte of a coordinate are free
//! and carry flags:
//!
//! | form | bytes | layout | flags (last byte) |
//! |---|---|---|---|
//! | compressed | 32 | `x` | bit 7: identity; bit 6: `y` is odd (canonical integer) |
//! | uncompressed | 64 | `x ‖ y` | bit 7 of byte 63: identity; bit 6 of byte 63: must be 0 |
//!
//! The identity encodes as all zero bytes plus the identity flag, and nothing else decodes to
//! it. Decoding ([`crate::decode`]) always validates: flags, canonical coordinates (`< p`),
//! and the curve equation (both curves have cofactor 1, so on the curve is in the group).

use kaizen_field::PrimeField;

use crate::curve::{is_odd, Affine, Curve};

/// Length of the compressed encoding.
pub const COMPRESSED_LEN: usize = 32;
/// Length of the uncompressed encoding.
pub const UNCOMPRESSED_LEN: usize = 64;
/// Flag bit (in the last byte) marking the identity.
pub const FLAG_IDENTITY: u8 = 0x80;
/// Flag bit (in the last byte of a compressed encoding) marking an odd `y`.
pub const FLAG_Y_ODD: u8 = 0x40;

/// Which coordinate a decoding error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coordinate {
    /// The x coordinate.
    X,
    /// The y coordinate.
    Y,
}

impl core::fmt::Display for Coordinate {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Coordinate::X => "x",
            Coordinate::Y => "y",
        })
    }
}

/// Why bytes do not decode to a point. All kinds are malformed input (decoding has no
/// "well-formed but rejected" case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The input has the wrong number of bytes.
    #[error("{curve} point: expected {expected} bytes, got {actual}")]
    WrongLength {
        /// Curve name.
        curve: &'static str,
        /// Bytes expected.
        expected: usize,
        /// Bytes given.
        actual: usize,
    },
    /// A flag bit that must be zero is set.
    #[error("{curve} point: reserved flag bit set")]
    ReservedFlag {
        /// Curve name.
        curve: &'static str,
    },
    /// The identity flag is set but other bits are not zero.
    #[error("{curve} point: identity flag with non-zero payload")]
    NonCanonicalIdentity {
        /// Curve name.
        curve: &'static str,
    },
    /// A coordinate is not below the field modulus.
    #[error("{curve} point: {coordinate} coordinate is not below the modulus")]
    NonCanonicalCoordinate {
        /// Curve name.
        curve: &'static str,
        /// Which coordinate.
        coordinate: Coordinate,
    },
    /// The coordinates do not satisfy the curve equation (compressed: `x^3 + b` is not a
    /// square).
    #[error("{curve} point: not on the curve")]
    NotOnCurve {
        /// Curve name.
        curve: &'static str,
    },
}

impl<C: Curve> Affine<C> {
    /// The 32-byte compressed encoding (see the module doc).
    pub fn to_compressed(&self) -> [u8; COMPRESSED_LEN] {
        let mut out = [0u8; COMPRESSED_LEN];
        match self.xy() {
            None => out[31] = FLAG_IDENTITY,
            Some((x, y)) => {
                out = x.to_bytes();
                if is_odd(&y) {
                    out[31] |= FLAG_Y_ODD;
                }
            }
        }
        out
    }

    /// The 64-byte uncompressed encoding (see the module doc).
    pub fn to_uncompressed(&self) -> [u8; UNCOMPRESSED_LEN] {
        let mut out = [0u8; UNCOMPRESSED_LEN];
        match self.xy() {
            None => out[63] = FLAG_IDENTITY,
            Some((x, y)) => {
                out[..32].copy_from_slice(&x.to_bytes());
                out[32..].copy_from_slice(&y.to_bytes());
            }
        }
        out
    }

    /// Decodes and validates a compressed encoding (see [`crate::decode`]).
    pub fn from_compressed(bytes: &[u8]) -> Result<Self, DecodeError> {
        crate::decode::decode_compressed(bytes)
    }

    /// Decodes and validates an uncompressed encoding (see [`crate::decode`]).
    pub fn from_uncompressed(bytes: &[u8]) -> Result<Self, DecodeError> {
        crate::decode::decode_uncompressed(bytes)
    }
}
