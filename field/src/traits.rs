//! The two small traits generic code over `Fr` and `Fq` needs. Definitions only.

use core::fmt::{Debug, Display};
use core::hash::Hash;
use core::iter::{Product, Sum};
use core::ops::{Add, AddAssign, Mul, MulAssign, Neg, Sub, SubAssign};

use crate::FieldError;

/// A field: ring operations, inversion, exponentiation, small-integer embedding.
pub trait Field:
    'static
    + Copy
    + Clone
    + Debug
    + Display
    + Default
    + Eq
    + Hash
    + Send
    + Sync
    + bytemuck::Pod
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Neg<Output = Self>
    + AddAssign
    + SubAssign
    + MulAssign
    + for<'a> Add<&'a Self, Output = Self>
    + for<'a> Sub<&'a Self, Output = Self>
    + for<'a> Mul<&'a Self, Output = Self>
    + Sum
    + Product
{
    /// Additive identity.
    const ZERO: Self;
    /// Multiplicative identity.
    const ONE: Self;

    /// `self == 0`.
    fn is_zero(&self) -> bool;
    /// `2 * self`.
    fn double(&self) -> Self;
    /// `self^2`.
    fn square(&self) -> Self;
    /// `self^-1`, or `None` for zero. Variable time (see `inv.rs`).
    fn inverse(&self) -> Option<Self>;
    /// `self^e` for an exponent given as little-endian 64-bit limbs.
    fn pow(&self, exp: &[u64]) -> Self;
    /// Embeds an unsigned integer.
    fn from_u64(v: u64) -> Self;
    /// Embeds a signed integer (`-x` becomes `p - x`).
    fn from_i64(v: i64) -> Self;
    /// Embeds an unsigned 128-bit integer.
    fn from_u128(v: u128) -> Self;
    /// Embeds a signed 128-bit integer.
    fn from_i128(v: i128) -> Self;
    /// A uniformly random element (wide reduction of 512 random bits: bias < 2^-256).
    fn random<R: rand_core::RngCore + ?Sized>(rng: &mut R) -> Self;
}

/// A prime field `Z/pZ` with `p < 2^256`: canonical encoding, square roots, 2-adic roots.
pub trait PrimeField: Field {
    /// The modulus, little-endian 64-bit limbs.
    const MODULUS: [u64; 4];
    /// Bit length of the modulus.
    const NUM_BITS: u32;
    /// Largest `s` with `2^s | p - 1`.
    const TWO_ADICITY: u32;
    /// A generator of the multiplicative group.
    const MULTIPLICATIVE_GENERATOR: Self;
    /// A primitive `2^TWO_ADICITY`-th root of unity (`generator^((p-1) / 2^s)`).
    const TWO_ADIC_ROOT_OF_UNITY: Self;

    /// Canonical little-endian 32-byte encoding of the integer in `[0, p)`.
    fn to_bytes(&self) -> [u8; 32];
    /// Decodes the canonical encoding; rejects integers `>= p`.
    fn from_bytes(bytes: &[u8; 32]) -> Result<Self, FieldError>;
    /// Reduces a little-endian 512-bit integer mod p (for unbiased challenges).
    fn from_bytes_wide(bytes: &[u8; 64]) -> Self;
    /// The integer in `[0, p)` as little-endian limbs.
    fn to_canonical_limbs(&self) -> [u64; 4];
    /// From the integer in `[0, p)`; `None` if it is `>= p`.
    fn from_canonical_limbs(limbs: [u64; 4]) -> Option<Self>;
    /// A square root (the one whose canonical integer is even is not guaranteed), if any.
    fn sqrt(&self) -> Option<Self>;
    /// Legendre symbol: 0 for zero, 1 for a non-zero square, -1 otherwise.
    fn legendre(&self) -> i8;
    /// A primitive `2^k`-th root of unity, for `k <= TWO_ADICITY`.
    fn root_of_unity(k: u32) -> Option<Self>;
}
