//! Generic short-Weierstrass curves `y^2 = x^3 + b` (a = 0) over a 254-bit prime field.
//!
//! Three coordinate systems, each where an algorithm needs it:
//! - [`Affine`]: `(x, y)`; the identity is the pair `(0, 0)`, which is on neither curve
//!   (`0 = b` would need `b = 0`), so the type stays 64 bytes with no flag.
//! - [`Projective`]: Jacobian `(X, Y, Z)` with `x = X/Z^2`, `y = Y/Z^3`; identity `Z = 0`.
//!   The public group type: addition, doubling, scalar multiplication, equality.
//! - [`Xyzz`]: `(X, Y, ZZ, ZZZ)` with `x = X/ZZ`, `y = Y/ZZZ` (`ZZ^3 = ZZZ^2`); identity
//!   `ZZ = 0`. Cheaper mixed addition (8M + 2S): the accumulator of Pippenger's bucket sums.
//!
//! Every addition is complete: the identity on either side, `P + P` (falls through to
//! doubling) and `P + (-P)` (gives the identity) are handled explicitly. Both curves have
//! odd prime order, so no point has `y = 0` and doubling never divides by zero.
//!
//! Nothing here is constant time: every routine branches on its inputs. Scalar
//! multiplication is therefore named [`Projective::mul_vartime`].

use core::fmt;
use core::hash::{Hash, Hasher};
use core::ops::{Add, AddAssign, Neg, Sub, SubAssign};

use kaizen_field::{Field, Fp, FpParams, PrimeField};

/// The constants of one curve `y^2 = x^3 + b` and its GLV endomorphism.
pub trait Curve: 'static + Send + Sync + Sized + Copy + fmt::Debug + Default + Eq + Hash {
    /// Parameters of the base field (coordinates).
    type BaseParams: FpParams;
    /// Parameters of the scalar field (the group order).
    type ScalarParams: FpParams;
    /// Short name for messages, benches and the generator domain (`"bn254"`, `"grumpkin"`).
    const NAME: &'static str;
    /// The constant `b`.
    const B: Fp<Self::BaseParams>;
    /// The conventional generator, affine `(x, y)`.
    const GENERATOR: (Fp<Self::BaseParams>, Fp<Self::BaseParams>);
    /// A primitive cube root of unity `beta` in the base field, paired with [`Self::ENDO_LAMBDA`]:
    /// `(beta x, y) = lambda (x, y)` for every point.
    const ENDO_BETA: Fp<Self::BaseParams>;
    /// The eigenvalue of the endomorphism in the scalar field (a primitive cube root of unity).
    const ENDO_LAMBDA: Fp<Self::ScalarParams>;
    /// Reduced basis `[(a1, b1), (a2, b2)]` of the lattice `{(a, b) : a + b lambda = 0 mod r}`,
    /// with `a1 b2 - a2 b1 = r` (see `glv.rs`).
    const GLV_BASIS: [[i128; 2]; 2];
    /// `g1 = round(2^256 b2 / r)`, `g2 = round(-2^256 b1 / r)`, little-endian limbs (both > 0).
    const GLV_G: [[u64; 3]; 2];
}

/// The base field of `C`.
pub type Base<C> = Fp<<C as Curve>::BaseParams>;
/// The scalar field of `C`.
pub type Scalar<C> = Fp<<C as Curve>::ScalarParams>;

/// `const` conversion of a canonical integer (little-endian limbs, `< p`) into a field element.
pub(crate) const fn fe<P: FpParams>(canonical: [u64; 4]) -> Fp<P> {
    Fp::from_mont_limbs(kaizen_field::mont::mul_portable(
        &canonical,
        &P::R2,
        &P::MODULUS,
        P::INV,
    ))
}

/// `3 a` (two additions).
#[inline(always)]
fn triple<P: FpParams>(a: Fp<P>) -> Fp<P> {
    a.double() + a
}

// ---------------------------------------------------------------------------------------
// Affine
// ---------------------------------------------------------------------------------------

/// An affine point; `(0, 0)` is the identity (see the module doc).
///
/// Aligned to 64 bytes, its size: every point is exactly one cache line, so the random
/// reads of an MSM's bucket phase touch one line per point instead of two.
#[repr(C, align(64))]
pub struct Affine<C: Curve> {
    /// x coordinate (0 for the identity).
    pub(crate) x: Base<C>,
    /// y coordinate (0 for the identity).
    pub(crate) y: Base<C>,
}

impl<C: Curve> Clone for Affine<C> {
    #[inline(always)]
    fn clone(&self) -> Self {
        *self
    }
}
impl<C: Curve> Copy for Affine<C> {}
impl<C: Curve> PartialEq for Affine<C> {
    #[inline]
    fn eq(&self, other: &Self) -> bool {
        self.x == other.x && self.y == other.y
    }
}
impl<C: Curve> Eq for Affine<C> {}
impl<C: Curve> Hash for Affine<C> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.x.hash(state);
        self.y.hash(state);
    }
}
impl<C: Curve> Default for Affine<C> {
    fn default() -> Self {
        Self::IDENTITY
    }
}
impl<C: Curve> fmt::Debug for Affine<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_identity() {
            write!(f, "{}::Affine(identity)", C::NAME)
        } else {
            write!(f, "{}::Affine(x={}, y={})", C::NAME, self.x, self.y)
        }
    }
}

impl<C: Curve> Affine<C> {
    /// The identity (point at infinity).
    pub const IDENTITY: Self = Self {
        x: Fp::ZERO,
        y: Fp::ZERO,
    };

    /// The conventional generator.
    pub const fn generator() -> Self {
        Self {
            x: C::GENERATOR.0,
            y: C::GENERATOR.1,
        }
    }

    /// The point `(x, y)` if it is on the curve (the identity is not given this way).
    pub fn from_xy(x: Base<C>, y: Base<C>) -> Option<Self> {
        let p = Self { x, y };
        (!p.is_identity() && p.is_on_curve()).then_some(p)
    }

    /// `(x, y)` without the curve check. Crate-internal: for our own generator cache and
    /// for points computed by the group law.
    #[inline(always)]
    pub(crate) const fn new_unchecked(x: Base<C>, y: Base<C>) -> Self {
        Self { x, y }
    }

    /// `(x, y)`, or `None` for the identity.
    pub fn xy(&self) -> Option<(Base<C>, Base<C>)> {
        (!self.is_identity()).then_some((self.x, self.y))
    }

    /// Whether this is the identity.
    #[inline(always)]
    pub fn is_identity(&self) -> bool {
        self.x.is_zero() && self.y.is_zero()
    }

    /// Whether the point satisfies the curve equation (the identity counts as on the curve).
    pub fn is_on_curve(&self) -> bool {
        self.is_identity() || self.y.square() == self.x.square() * self.x + C::B
    }

    /// `-P`.
    #[inline(always)]
    pub fn neg(&self) -> Self {
        Self {
            x: self.x,
            y: -self.y,
        }
    }

    /// The GLV endomorphism `(x, y) -> (beta x, y)`, equal to `lambda P`.
    #[inline(always)]
    pub fn endo(&self) -> Self {
        Self {
            x: self.x * C::ENDO_BETA,
            y: self.y,
        }
    }

    /// Jacobian form.
    #[inline]
    pub fn to_projective(&self) -> Projective<C> {
        if self.is_identity() {
            Projective::IDENTITY
        } else {
            Projective {
                x: self.x,
                y: self.y,
                z: Fp::ONE,
            }
        }
    }

    /// XYZZ form.
    #[inline]
    pub fn to_xyzz(&self) -> Xyzz<C> {
        if self.is_identity() {
            Xyzz::IDENTITY
        } else {
            Xyzz {
                x: self.x,
                y: self.y,
                zz: Fp::ONE,
                zzz: Fp::ONE,
            }
        }
    }
}

impl<C: Curve> Neg for Affine<C> {
    type Output = Self;
    fn neg(self) -> Self {
        Affine::neg(&self)
    }
}

// ---------------------------------------------------------------------------------------
// Jacobian
// ---------------------------------------------------------------------------------------

/// A point in Jacobian coordinates (see the module doc).
#[repr(C)]
pub struct Projective<C: Curve> {
    pub(crate) x: Base<C>,
    pub(crate) y: Base<C>,
    pub(crate) z: Base<C>,
}

impl<C: Curve> Clone for Projective<C> {
    #[inline(always)]
    fn clone(&self) -> Self {
        *self
    }
}
impl<C: Curve> Copy for Projective<C> {}
impl<C: Curve> Default for Projective<C> {
    fn default() -> Self {
        Self::IDENTITY
    }
}
impl<C: Curve> fmt::Debug for Projective<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}::Projective({:?})", C::NAME, self.to_affine())
    }
}

/// Group equality: `X1 Z2^2 = X2 Z1^2` and `Y1 Z2^3 = Y2 Z1^3`.
impl<C: Curve> PartialEq for Projective<C> {
    fn eq(&self, other: &Self) -> bool {
        match (self.is_identity(), other.is_identity()) {
            (true, true) => true,
            (false, false) => {
                let z1z1 = self.z.square();
                let z2z2 = other.z.square();
                self.x * z2z2 == other.x * z1z1
                    && self.y * z2z2 * other.z == other.y * z1z1 * self.z
            }
            _ => false,
        }
    }
}
impl<C: Curve> Eq for Projective<C> {}
impl<C: Curve> Hash for Projective<C> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.to_affine().hash(state)
    }
}

impl<C: Curve> Projective<C> {
    /// The identity.
    pub const IDENTITY: Self = Self {
        x: Fp::ONE,
        y: Fp::ONE,
        z: Fp::ZERO,
    };

    /// The conventional generator.
    pub fn generator() -> Self {
        Affine::<C>::generator().to_projective()
    }

    /// Whether this is the identity.
    #[inline(always)]
    pub fn is_identity(&self) -> bool {
        self.z.is_zero()
    }

    /// `2P` (dbl-2009-l, 2M + 5S).
    pub fn double(&self) -> Self {
        if self.is_identity() {
            return *self;
        }
        let a = self.x.square();
        let b = self.y.square();
        let c = b.square();
        let d = ((self.x + b).square() - a - c).double();
        let e = triple(a);
        let f = e.square();
        let x3 = f - d.double();
        let y3 = e * (d - x3) - c.double().double().double();
        let z3 = (self.y * self.z).double();
        Self {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// `P + Q` (add-2007-bl, 11M + 5S), complete.
    pub fn add_proj(&self, other: &Self) -> Self {
        if self.is_identity() {
            return *other;
        }
        if other.is_identity() {
            return *self;
        }
        let z1z1 = self.z.square();
        let z2z2 = other.z.square();
        let u1 = self.x * z2z2;
        let u2 = other.x * z1z1;
        let s1 = self.y * other.z * z2z2;
        let s2 = other.y * self.z * z1z1;
        let h = u2 - u1;
        let r = (s2 - s1).double();
        if h.is_zero() {
            return if r.is_zero() {
                self.double()
            } else {
                Self::IDENTITY
            };
        }
        let i = h.double().square();
        let j = h * i;
        let v = u1 * i;
        let x3 = r.square() - j - v.double();
        let y3 = r * (v - x3) - (s1 * j).double();
        let z3 = ((self.z + other.z).square() - z1z1 - z2z2) * h;
        Self {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// `P + Q` for affine `Q` (madd-2007-bl, 7M + 4S), complete.
    pub fn add_affine(&self, other: &Affine<C>) -> Self {
        if other.is_identity() {
            return *self;
        }
        if self.is_identity() {
            return other.to_projective();
        }
        let z1z1 = self.z.square();
        let u2 = other.x * z1z1;
        let s2 = other.y * self.z * z1z1;
        let h = u2 - self.x;
        let r = (s2 - self.y).double();
        if h.is_zero() {
            return if r.is_zero() {
                self.double()
            } else {
                Self::IDENTITY
            };
        }
        let hh = h.square();
        let i = hh.double().double();
        let j = h * i;
        let v = self.x * i;
        let x3 = r.square() - j - v.double();
        let y3 = r * (v - x3) - (self.y * j).double();
        let z3 = (self.z + h).square() - z1z1 - hh;
        Self {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// `-P`.
    pub fn neg(&self) -> Self {
        Self {
            x: self.x,
            y: -self.y,
            z: self.z,
        }
    }

    /// Affine form (one inversion).
    pub fn to_affine(&self) -> Affine<C> {
        match self.z.inverse() {
            None => Affine::IDENTITY,
            Some(zi) => {
                let zi2 = zi.square();
                Affine::new_unchecked(self.x * zi2, self.y * zi2 * zi)
            }
        }
    }

    /// Affine forms of many points with one shared inversion (Montgomery's trick, chunked
    /// by `kaizen_field::batch::batch_inverse`).
    pub fn batch_to_affine(points: &[Self]) -> Vec<Affine<C>> {
        let mut zs: Vec<Base<C>> = points.iter().map(|p| p.z).collect();
        let mut scratch = vec![Fp::ZERO; zs.len()];
        kaizen_field::batch::batch_inverse(&mut zs, &mut scratch);
        points
            .iter()
            .zip(&zs)
            .map(|(p, zi)| {
                if p.is_identity() {
                    Affine::IDENTITY
                } else {
                    let zi2 = zi.square();
                    Affine::new_unchecked(p.x * zi2, p.y * zi2 * *zi)
                }
            })
            .collect()
    }

    /// `k P` for an integer `k` given as little-endian limbs (left-to-right double-and-add;
    /// variable time).
    pub fn mul_limbs_vartime(&self, k: &[u64]) -> Self {
        let mut acc = Self::IDENTITY;
        for &limb in k.iter().rev() {
            for bit in (0..64).rev() {
                acc = acc.double();
                if (limb >> bit) & 1 == 1 {
                    acc = acc.add_proj(self);
                }
            }
        }
        acc
    }

    /// `k P` for a scalar-field element (variable time).
    pub fn mul_vartime(&self, k: &Scalar<C>) -> Self {
        self.mul_limbs_vartime(&k.to_canonical_limbs())
    }
}

impl<C: Curve> Add for Projective<C> {
    type Output = Self;
    fn add(self, rhs: Self) -> Self {
        self.add_proj(&rhs)
    }
}
impl<C: Curve> Add<Affine<C>> for Projective<C> {
    type Output = Self;
    fn add(self, rhs: Affine<C>) -> Self {
        self.add_affine(&rhs)
    }
}
impl<C: Curve> AddAssign for Projective<C> {
    fn add_assign(&mut self, rhs: Self) {
        *self = self.add_proj(&rhs);
    }
}
impl<C: Curve> AddAssign<Affine<C>> for Projective<C> {
    fn add_assign(&mut self, rhs: Affine<C>) {
        *self = self.add_affine(&rhs);
    }
}
impl<C: Curve> Sub for Projective<C> {
    type Output = Self;
    fn sub(self, rhs: Self) -> Self {
        self.add_proj(&rhs.neg())
    }
}
impl<C: Curve> SubAssign for Projective<C> {
    fn sub_assign(&mut self, rhs: Self) {
        *self = self.add_proj(&rhs.neg());
    }
}
impl<C: Curve> Neg for Projective<C> {
    type Output = Self;
    fn neg(self) -> Self {
        Projective::neg(&self)
    }
}
impl<C: Curve> core::iter::Sum for Projective<C> {
    fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
        iter.fold(Self::IDENTITY, |a, b| a + b)
    }
}
impl<C: Curve> From<Affine<C>> for Projective<C> {
    fn from(p: Affine<C>) -> Self {
        p.to_projective()
    }
}
impl<C: Curve> From<Projective<C>> for Affine<C> {
    fn from(p: Projective<C>) -> Self {
        p.to_affine()
    }
}

// ---------------------------------------------------------------------------------------
// XYZZ
// ---------------------------------------------------------------------------------------

/// A point in XYZZ coordinates (see the module doc).
#[repr(C)]
pub struct Xyzz<C: Curve> {
    pub(crate) x: Base<C>,
    pub(crate) y: Base<C>,
    pub(crate) zz: Base<C>,
    pub(crate) zzz: Base<C>,
}

impl<C: Curve> Clone for Xyzz<C> {
    #[inline(always)]
    fn clone(&self) -> Self {
        *self
    }
}
impl<C: Curve> Copy for Xyzz<C> {}
impl<C: Curve> fmt::Debug for Xyzz<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}::Xyzz({:?})",
            C::NAME,
            self.to_projective().to_affine()
        )
    }
}

impl<C: Curve> Xyzz<C> {
    /// The identity.
    pub const IDENTITY: Self = Self {
        x: Fp::ONE,
        y: Fp::ONE,
        zz: Fp::ZERO,
        zzz: Fp::ZERO,
    };

    /// Whether this is the identity.
    #[inline(always)]
    pub fn is_identity(&self) -> bool {
        self.zz.is_zero()
    }

    /// `2P` (dbl-2008-s-1, 6M + 4S with a = 0).
    pub fn double(&self) -> Self {
        if self.is_identity() {
            return *self;
        }
        let u = self.y.double();
        let v = u.square();
        let w = u * v;
        let s = self.x * v;
        let m = triple(self.x.square());
        let x3 = m.square() - s.double();
        let y3 = m * (s - x3) - w * self.y;
        Self {
            x: x3,
            y: y3,
            zz: v * self.zz,
            zzz: w * self.zzz,
        }
    }

    /// `2Q` for affine `Q` (mdbl-2008-s-1).
    fn double_affine(q: &Affine<C>) -> Self {
        let u = q.y.double();
        let v = u.square();
        let w = u * v;
        let s = q.x * v;
        let m = triple(q.x.square());
        let x3 = m.square() - s.double();
        let y3 = m * (s - x3) - w * q.y;
        Self {
            x: x3,
            y: y3,
            zz: v,
            zzz: w,
        }
    }

    /// `P + Q` (add-2008-s, 12M + 2S), complete.
    pub fn add_xyzz(&self, other: &Self) -> Self {
        if self.is_identity() {
            return *other;
        }
        if other.is_identity() {
            return *self;
        }
        let u1 = self.x * other.zz;
        let u2 = other.x * self.zz;
        let s1 = self.y * other.zzz;
        let s2 = other.y * self.zzz;
        let p = u2 - u1;
        let r = s2 - s1;
        if p.is_zero() {
            return if r.is_zero() {
                self.double()
            } else {
                Self::IDENTITY
            };
        }
        let pp = p.square();
        let ppp = p * pp;
        let q = u1 * pp;
        let x3 = r.square() - ppp - q.double();
        let y3 = r * (q - x3) - s1 * ppp;
        Self {
            x: x3,
            y: y3,
            zz: self.zz * other.zz * pp,
            zzz: self.zzz * other.zzz * ppp,
        }
    }

    /// `P + Q` for affine `Q` (madd-2008-s, 8M + 2S), complete.
    #[inline]
    pub fn add_affine(&self, q: &Affine<C>) -> Self {
        if q.is_identity() {
            return *self;
        }
        if self.is_identity() {
            return q.to_xyzz();
        }
        let u2 = q.x * self.zz;
        let s2 = q.y * self.zzz;
        let p = u2 - self.x;
        let r = s2 - self.y;
        if p.is_zero() {
            return if r.is_zero() {
                Self::double_affine(q)
            } else {
                Self::IDENTITY
            };
        }
        let pp = p.square();
        let ppp = p * pp;
        let q2 = self.x * pp;
        let x3 = r.square() - ppp - q2.double();
        let y3 = r * (q2 - x3) - self.y * ppp;
        Self {
            x: x3,
            y: y3,
            zz: self.zz * pp,
            zzz: self.zzz * ppp,
        }
    }

    /// `P - Q` for affine `Q`.
    #[inline]
    pub fn sub_affine(&self, q: &Affine<C>) -> Self {
        self.add_affine(&q.neg())
    }

    /// `k P` for a small non-negative integer (double-and-add, variable time).
    pub fn mul_u64_vartime(&self, k: u64) -> Self {
        let mut acc = Self::IDENTITY;
        for bit in (0..(64 - k.leading_zeros())).rev() {
            acc = acc.double();
            if (k >> bit) & 1 == 1 {
                acc = acc.add_xyzz(self);
            }
        }
        acc
    }

    /// Jacobian form: with `z = ZZZ / ZZ`, take `Z = ZZ ZZZ = z^5`, `X = X ZZ ZZZ^2`,
    /// `Y = Y ZZ^3 ZZZ^2` (no inversion).
    pub fn to_projective(&self) -> Projective<C> {
        if self.is_identity() {
            return Projective::IDENTITY;
        }
        let zzz2 = self.zzz.square();
        let z = self.zz * self.zzz;
        Projective {
            x: self.x * self.zz * zzz2,
            y: self.y * self.zz.square() * self.zz * zzz2,
            z,
        }
    }
}

impl<C: Curve> Affine<C> {
    /// `self * s` where `s` is a field element's canonical integer (test / setup helper).
    pub fn mul_vartime(&self, k: &Scalar<C>) -> Projective<C> {
        self.to_projective().mul_vartime(k)
    }
}

/// `Fp` helpers the curve code needs from `PrimeField`, named for readability.
pub(crate) fn is_odd<P: FpParams>(a: &Fp<P>) -> bool {
    a.to_canonical_limbs()[0] & 1 == 1
}
