//! Decoding of untrusted point bytes. Never panics: this module denies indexing, unwrap,
//! expect and panic, and every failure is a typed [`DecodeError`]. Formats: `encoding.rs`.
#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use kaizen_field::{Field, PrimeField};

use crate::curve::{is_odd, Affine, Base, Curve};
use crate::encoding::{
    Coordinate, DecodeError, COMPRESSED_LEN, FLAG_IDENTITY, FLAG_Y_ODD, UNCOMPRESSED_LEN,
};

fn coordinate<C: Curve>(bytes: &[u8; 32], which: Coordinate) -> Result<Base<C>, DecodeError> {
    Base::<C>::from_bytes(bytes).map_err(|_| DecodeError::NonCanonicalCoordinate {
        curve: C::NAME,
        coordinate: which,
    })
}

fn exact<const N: usize, C: Curve>(bytes: &[u8]) -> Result<[u8; N], DecodeError> {
    <[u8; N]>::try_from(bytes).map_err(|_| DecodeError::WrongLength {
        curve: C::NAME,
        expected: N,
        actual: bytes.len(),
    })
}

/// Decodes the 32-byte compressed form: flags, canonical `x`, `x^3 + b` a square, and the
/// square root whose parity the flag names.
pub fn decode_compressed<C: Curve>(bytes: &[u8]) -> Result<Affine<C>, DecodeError> {
    let mut x_bytes = exact::<COMPRESSED_LEN, C>(bytes)?;
    let flags = x_bytes.last().copied().unwrap_or(0);
    if let Some(last) = x_bytes.last_mut() {
        *last &= !(FLAG_IDENTITY | FLAG_Y_ODD);
    }
    if flags & FLAG_IDENTITY != 0 {
        if flags & FLAG_Y_ODD != 0 || x_bytes.iter().any(|&b| b != 0) {
            return Err(DecodeError::NonCanonicalIdentity { curve: C::NAME });
        }
        return Ok(Affine::IDENTITY);
    }
    let x = coordinate::<C>(&x_bytes, Coordinate::X)?;
    let rhs = x.square() * x + C::B;
    let y = rhs
        .sqrt()
        .ok_or(DecodeError::NotOnCurve { curve: C::NAME })?;
    let want_odd = flags & FLAG_Y_ODD != 0;
    let y = if is_odd(&y) == want_odd { y } else { -y };
    // rhs != 0 on both curves (no point has y = 0), so -y has the other parity.
    let p = Affine::new_unchecked(x, y);
    if p.is_identity() || !p.is_on_curve() {
        return Err(DecodeError::NotOnCurve { curve: C::NAME });
    }
    Ok(p)
}

/// Decodes the 64-byte uncompressed form: flags, canonical `x` and `y`, curve equation.
pub fn decode_uncompressed<C: Curve>(bytes: &[u8]) -> Result<Affine<C>, DecodeError> {
    let all = exact::<UNCOMPRESSED_LEN, C>(bytes)?;
    let (x_bytes, y_bytes) = all.split_at(32);
    let x_bytes = exact::<32, C>(x_bytes)?;
    let mut y_bytes = exact::<32, C>(y_bytes)?;
    let flags = y_bytes.last().copied().unwrap_or(0);
    if let Some(last) = y_bytes.last_mut() {
        *last &= !(FLAG_IDENTITY | FLAG_Y_ODD);
    }
    if flags & FLAG_Y_ODD != 0 {
        return Err(DecodeError::ReservedFlag { curve: C::NAME });
    }
    if flags & FLAG_IDENTITY != 0 {
        if x_bytes.iter().chain(y_bytes.iter()).any(|&b| b != 0) {
            return Err(DecodeError::NonCanonicalIdentity { curve: C::NAME });
        }
        return Ok(Affine::IDENTITY);
    }
    let x = coordinate::<C>(&x_bytes, Coordinate::X)?;
    let y = coordinate::<C>(&y_bytes, Coordinate::Y)?;
    // (0, 0) without the identity flag is not a point: the curve check rejects it.
    let p = Affine::new_unchecked(x, y);
    if p.is_identity() || !p.is_on_curve() || Field::is_zero(&y) {
        return Err(DecodeError::NotOnCurve { curve: C::NAME });
    }
    Ok(p)
}
