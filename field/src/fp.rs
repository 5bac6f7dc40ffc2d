//! Layer 3: `Fp<P>`, an element of a 254-bit prime field in Montgomery form.
//!
//! Representation (also the `bytemuck` layout): `#[repr(transparent)]` over `[u64; 4]`, the
//! little-endian limbs of `a * 2^256 mod p`, always fully reduced (`< p`). So a `&[Fp<P>]`
//! casts to `&[u64]` of 4 limbs per element, 32-byte aligned elements are not assumed, and
//! equality is limb equality. The all-zero bit pattern is the field's zero.
//!
//! Preconditions on `P::MODULUS`: odd, prime, top limb `< 2^62` (see `mont.rs`).
//! Constant time: add, sub, neg, mul, square are constant time; `inverse`, `sqrt`,
//! `legendre` and `pow` are variable time (they are used on public values or where the
//! timing leaks nothing the proof does not already reveal; see `inv.rs`).

use core::fmt;
use core::hash::{Hash, Hasher};
use core::iter::{Product, Sum};
use core::marker::PhantomData;
use core::ops::{Add, AddAssign, Mul, MulAssign, Neg, Sub, SubAssign};

use crate::limbs::{self, add4, lt4, sub4};
use crate::mont;
use crate::traits::{Field, PrimeField};
use crate::FieldError;

/// The constants that define one prime field. Everything Montgomery needs is derived.
pub trait FpParams: 'static + Send + Sync + Sized {
    /// The modulus p, little-endian limbs.
    const MODULUS: [u64; 4];
    /// A small generator of the multiplicative group.
    const GENERATOR: u64;
    /// A short name for messages and benches ("fr", "fq").
    const NAME: &'static str;

    /// `-p^-1 mod 2^64`.
    const INV: u64 = limbs::neg_inv_mod_2_64(Self::MODULUS[0]);
    /// `R = 2^256 mod p` (Montgomery form of one).
    const R: [u64; 4] = limbs::pow2_mod4(256, &Self::MODULUS);
    /// `R^2 mod p` (multiplying by it converts into Montgomery form).
    const R2: [u64; 4] = limbs::pow2_mod4(512, &Self::MODULUS);
    /// `R^3 mod p` (for wide reduction).
    const R3: [u64; 4] = limbs::pow2_mod4(768, &Self::MODULUS);
    /// Largest s with 2^s | p - 1.
    const TWO_ADICITY: u32 = limbs::trailing_zeros4(&limbs::sub_one4(&Self::MODULUS));
    /// (p - 1) / 2^s.
    const TRACE: [u64; 4] = limbs::shr4(&limbs::sub_one4(&Self::MODULUS), Self::TWO_ADICITY);
}

/// An element of the prime field defined by `P`. See the module doc for the layout.
#[repr(transparent)]
pub struct Fp<P> {
    pub(crate) limbs: [u64; 4],
    _params: PhantomData<fn() -> P>,
}

// SAFETY: `Fp<P>` is `repr(transparent)` over `[u64; 4]` (PhantomData is a ZST); every bit
// pattern is a valid `[u64; 4]` and the all-zero pattern is the field's zero. Values cast
// in from arbitrary bytes may be unreduced: only decode through `from_bytes` for untrusted data.
unsafe impl<P: FpParams> bytemuck::Zeroable for Fp<P> {}
// SAFETY: as above; no padding, `Copy`, `'static`.
unsafe impl<P: FpParams> bytemuck::Pod for Fp<P> {}

impl<P> Clone for Fp<P> {
    #[inline(always)]
    fn clone(&self) -> Self {
        *self
    }
}
impl<P> Copy for Fp<P> {}
impl<P> PartialEq for Fp<P> {
    #[inline(always)]
    fn eq(&self, other: &Self) -> bool {
        self.limbs == other.limbs
    }
}
impl<P> Eq for Fp<P> {}
impl<P> Hash for Fp<P> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.limbs.hash(state)
    }
}
impl<P: FpParams> Default for Fp<P> {
    fn default() -> Self {
        Self::ZERO
    }
}

impl<P: FpParams> Fp<P> {
    /// Zero.
    pub const ZERO: Self = Self::from_mont_limbs([0; 4]);
    /// One (`R mod p` in Montgomery form).
    pub const ONE: Self = Self::from_mont_limbs(P::R);

    /// Wraps raw Montgomery limbs. The caller guarantees they are `< p`.
    #[inline(always)]
    pub const fn from_mont_limbs(limbs: [u64; 4]) -> Self {
        Self {
            limbs,
            _params: PhantomData,
        }
    }

    /// The raw Montgomery limbs (`a * 2^256 mod p`).
    #[inline(always)]
    pub const fn mont_limbs(&self) -> [u64; 4] {
        self.limbs
    }

    /// `const` embedding of a `u64` (same result as `from_u64`).
    pub const fn from_u64_const(v: u64) -> Self {
        Self::from_mont_limbs(mont::mul_portable(
            &[v, 0, 0, 0],
            &P::R2,
            &P::MODULUS,
            P::INV,
        ))
    }

    /// `const` Montgomery product (portable path; same result as `*`).
    pub const fn mul_const(&self, other: &Self) -> Self {
        Self::from_mont_limbs(mont::mul_portable(
            &self.limbs,
            &other.limbs,
            &P::MODULUS,
            P::INV,
        ))
    }

    /// `const` exponentiation by little-endian limbs (square-and-multiply).
    pub const fn pow_const(&self, exp: &[u64; 4]) -> Self {
        let mut acc = Self::ONE;
        let mut i = 256;
        while i > 0 {
            i -= 1;
            acc = acc.mul_const(&acc);
            if limbs::bit4(exp, i) {
                acc = acc.mul_const(self);
            }
        }
        acc
    }

    /// `self + other`.
    #[inline(always)]
    pub fn add_ref(&self, other: &Self) -> Self {
        // a + b < 2p < 2^256: no carry out.
        let (s, _) = add4(&self.limbs, &other.limbs);
        Self::from_mont_limbs(mont::reduce_once(&s, &P::MODULUS))
    }

    /// `self - other`.
    #[inline(always)]
    pub fn sub_ref(&self, other: &Self) -> Self {
        let (d, borrow) = sub4(&self.limbs, &other.limbs);
        // On borrow add p back (mask select keeps this constant time).
        let mask = 0u64.wrapping_sub(borrow);
        let p = P::MODULUS;
        let (r, _) = add4(&d, &[p[0] & mask, p[1] & mask, p[2] & mask, p[3] & mask]);
        Self::from_mont_limbs(r)
    }

    /// `self * other`.
    #[inline(always)]
    pub fn mul_ref(&self, other: &Self) -> Self {
        Self::from_mont_limbs(mont::mul(&self.limbs, &other.limbs, &P::MODULUS, P::INV))
    }

    /// `-self`.
    #[inline(always)]
    pub fn neg_ref(&self) -> Self {
        Self::ZERO.sub_ref(self)
    }

    /// The canonical integer, little-endian limbs.
    #[inline]
    pub fn to_canonical(&self) -> [u64; 4] {
        mont::reduce_portable(&self.limbs, &P::MODULUS, P::INV)
    }

    /// From canonical limbs that are `< p` (checked by the caller).
    #[inline]
    fn from_canonical_unchecked(limbs: [u64; 4]) -> Self {
        Self::from_mont_limbs(mont::mul(&limbs, &P::R2, &P::MODULUS, P::INV))
    }

    /// Reduces any 256-bit integer mod p (at most 5 subtractions since 2^256 < 6p).
    fn from_u256_reducing(mut limbs: [u64; 4]) -> Self {
        while !lt4(&limbs, &P::MODULUS) {
            limbs = sub4(&limbs, &P::MODULUS).0;
        }
        Self::from_canonical_unchecked(limbs)
    }

    /// `self * k` for an unsigned integer `k`.
    #[inline]
    pub fn mul_u64(&self, k: u64) -> Self {
        // `(aR) k = (ak) R`: multiply the Montgomery limbs by k and reduce (Barrett, one-limb
        // quotient; see `mont::mul_u64` for the bound). The `const` block checks `p`'s range.
        let mu = const {
            assert!(P::MODULUS[3] >= 1 << 61 && P::MODULUS[3] < (1 << 62) - 1);
            mont::barrett_mu(&P::MODULUS)
        };
        Self::from_mont_limbs(mont::mul_u64(&self.limbs, k, &P::MODULUS, mu))
    }

    /// `self * k` for a signed integer `k`.
    #[inline]
    pub fn mul_small(&self, k: i64) -> Self {
        let m = self.mul_u64(k.unsigned_abs());
        if k < 0 {
            -m
        } else {
            m
        }
    }

    /// Multiplicative inverse, `None` for zero (variable time).
    pub fn inverse(&self) -> Option<Self> {
        crate::inv::inverse(self)
    }

    /// `self^exp` for an exponent of any length (little-endian limbs), square-and-multiply.
    pub fn pow_vartime(&self, exp: &[u64]) -> Self {
        let mut acc = Self::ONE;
        for &limb in exp.iter().rev() {
            for bit in (0..64).rev() {
                acc = acc.square();
                if (limb >> bit) & 1 == 1 {
                    acc *= *self;
                }
            }
        }
        acc
    }

    /// `self^2`.
    #[inline(always)]
    pub fn square(&self) -> Self {
        Self::from_mont_limbs(mont::square(&self.limbs, &P::MODULUS, P::INV))
    }

    /// `2 * self`.
    #[inline(always)]
    pub fn double(&self) -> Self {
        self.add_ref(self)
    }
}

impl<P: FpParams> fmt::Debug for Fp<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}(", P::NAME)?;
        fmt_hex(f, &self.to_canonical())?;
        write!(f, ")")
    }
}

impl<P: FpParams> fmt::Display for Fp<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_hex(f, &self.to_canonical())
    }
}

fn fmt_hex(f: &mut fmt::Formatter<'_>, limbs: &[u64; 4]) -> fmt::Result {
    write!(
        f,
        "0x{:016x}{:016x}{:016x}{:016x}",
        limbs[3], limbs[2], limbs[1], limbs[0]
    )
}

macro_rules! impl_binop {
    ($Op:ident, $op:ident, $OpAssign:ident, $op_assign:ident, $method:ident) => {
        impl<P: FpParams> $Op for Fp<P> {
            type Output = Self;
            #[inline(always)]
            fn $op(self, rhs: Self) -> Self {
                self.$method(&rhs)
            }
        }
        impl<'a, P: FpParams> $Op<&'a Fp<P>> for Fp<P> {
            type Output = Self;
            #[inline(always)]
            fn $op(self, rhs: &'a Self) -> Self {
                self.$method(rhs)
            }
        }
        impl<'a, P: FpParams> $Op<&'a Fp<P>> for &'a Fp<P> {
            type Output = Fp<P>;
            #[inline(always)]
            fn $op(self, rhs: &'a Fp<P>) -> Fp<P> {
                self.$method(rhs)
            }
        }
        impl<P: FpParams> $OpAssign for Fp<P> {
            #[inline(always)]
            fn $op_assign(&mut self, rhs: Self) {
                *self = self.$method(&rhs);
            }
        }
        impl<'a, P: FpParams> $OpAssign<&'a Fp<P>> for Fp<P> {
            #[inline(always)]
            fn $op_assign(&mut self, rhs: &'a Self) {
                *self = self.$method(rhs);
            }
        }
    };
}
impl_binop!(Add, add, AddAssign, add_assign, add_ref);
impl_binop!(Sub, sub, SubAssign, sub_assign, sub_ref);
impl_binop!(Mul, mul, MulAssign, mul_assign, mul_ref);

impl<P: FpParams> Neg for Fp<P> {
    type Output = Self;
    #[inline(always)]
    fn neg(self) -> Self {
        self.neg_ref()
    }
}

impl<P: FpParams> Sum for Fp<P> {
    fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
        iter.fold(Self::ZERO, |a, b| a + b)
    }
}
impl<'a, P: FpParams> Sum<&'a Fp<P>> for Fp<P> {
    fn sum<I: Iterator<Item = &'a Self>>(iter: I) -> Self {
        iter.fold(Self::ZERO, |a, b| a + b)
    }
}
impl<P: FpParams> Product for Fp<P> {
    fn product<I: Iterator<Item = Self>>(iter: I) -> Self {
        iter.fold(Self::ONE, |a, b| a * b)
    }
}

impl<P: FpParams> From<u64> for Fp<P> {
    fn from(v: u64) -> Self {
        <Self as Field>::from_u64(v)
    }
}

impl<P: FpParams> Field for Fp<P> {
    const ZERO: Self = Self::from_mont_limbs([0; 4]);
    const ONE: Self = Self::from_mont_limbs(P::R);

    #[inline(always)]
    fn is_zero(&self) -> bool {
        self.limbs == [0; 4]
    }
    #[inline(always)]
    fn double(&self) -> Self {
        Fp::double(self)
    }
    #[inline(always)]
    fn square(&self) -> Self {
        Fp::square(self)
    }
    fn inverse(&self) -> Option<Self> {
        Fp::inverse(self)
    }
    fn pow(&self, exp: &[u64]) -> Self {
        self.pow_vartime(exp)
    }
    #[inline]
    fn from_u64(v: u64) -> Self {
        Self::from_canonical_unchecked([v, 0, 0, 0])
    }
    #[inline]
    fn from_i64(v: i64) -> Self {
        let m = Self::from_u64(v.unsigned_abs());
        if v < 0 {
            -m
        } else {
            m
        }
    }
    #[inline]
    fn from_u128(v: u128) -> Self {
        Self::from_canonical_unchecked([v as u64, (v >> 64) as u64, 0, 0])
    }
    #[inline]
    fn from_i128(v: i128) -> Self {
        let m = Self::from_u128(v.unsigned_abs());
        if v < 0 {
            -m
        } else {
            m
        }
    }
    fn random<R: rand_core::RngCore + ?Sized>(rng: &mut R) -> Self {
        let mut wide = [0u8; 64];
        rng.fill_bytes(&mut wide);
        <Self as PrimeField>::from_bytes_wide(&wide)
    }
}

impl<P: FpParams> PrimeField for Fp<P> {
    const MODULUS: [u64; 4] = P::MODULUS;
    const NUM_BITS: u32 = limbs::num_bits4(&P::MODULUS);
    const TWO_ADICITY: u32 = P::TWO_ADICITY;
    const MULTIPLICATIVE_GENERATOR: Self = Self::from_u64_const(P::GENERATOR);
    const TWO_ADIC_ROOT_OF_UNITY: Self = Self::from_u64_const(P::GENERATOR).pow_const(&P::TRACE);

    fn to_bytes(&self) -> [u8; 32] {
        let c = self.to_canonical();
        let mut out = [0u8; 32];
        for (chunk, limb) in out.chunks_exact_mut(8).zip(c.iter()) {
            chunk.copy_from_slice(&limb.to_le_bytes());
        }
        out
    }

    fn from_bytes(bytes: &[u8; 32]) -> Result<Self, FieldError> {
        let limbs = limbs_from_le_bytes(bytes);
        Self::from_canonical_limbs(limbs).ok_or(FieldError::NonCanonical { field: P::NAME })
    }

    fn from_bytes_wide(bytes: &[u8; 64]) -> Self {
        let mut lo = [0u8; 32];
        let mut hi = [0u8; 32];
        lo.copy_from_slice(&bytes[..32]);
        hi.copy_from_slice(&bytes[32..]);
        // x = lo + hi * 2^256  ->  Montgomery form lo*R + hi*R^2.
        let lo = Self::from_u256_reducing(limbs_from_le_bytes(&lo));
        let hi = Self::from_u256_reducing(limbs_from_le_bytes(&hi));
        // `hi` holds hi*R; the Montgomery form of hi*2^256 is hi*R*R = mont(hi*R, R^2).
        lo + Self::from_mont_limbs(mont::mul(&hi.limbs, &P::R2, &P::MODULUS, P::INV))
    }

    fn to_canonical_limbs(&self) -> [u64; 4] {
        self.to_canonical()
    }

    fn from_canonical_limbs(limbs: [u64; 4]) -> Option<Self> {
        if lt4(&limbs, &P::MODULUS) {
            Some(Self::from_canonical_unchecked(limbs))
        } else {
            None
        }
    }

    fn sqrt(&self) -> Option<Self> {
        crate::sqrt::sqrt(self)
    }

    fn legendre(&self) -> i8 {
        crate::sqrt::legendre(self)
    }

    fn root_of_unity(k: u32) -> Option<Self> {
        if k > P::TWO_ADICITY {
            return None;
        }
        let mut w = Self::TWO_ADIC_ROOT_OF_UNITY;
        for _ in k..P::TWO_ADICITY {
            w = w.square();
        }
        Some(w)
    }
}

/// Little-endian bytes to limbs.
pub(crate) fn limbs_from_le_bytes(bytes: &[u8; 32]) -> [u64; 4] {
    let mut limbs = [0u64; 4];
    for (limb, chunk) in limbs.iter_mut().zip(bytes.chunks_exact(8)) {
        let mut b = [0u8; 8];
        b.copy_from_slice(chunk);
        *limb = u64::from_le_bytes(b);
    }
    limbs
}
