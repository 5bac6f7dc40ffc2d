//! The GLV endomorphism and scalar decomposition (Gallant–Lambert–Vanstone 2001).
//!
//! Both curves have `a = 0` and `p = 1 mod 3`, so `phi(x, y) = (beta x, y)` with a cube root of
//! unity `beta` is an endomorphism, acting as multiplication by a cube root of unity `lambda`
//! in the scalar field: `phi(P) = lambda P` (the pairing of `beta` and `lambda` is fixed by the
//! constants in `bn254.rs` / `grumpkin.rs` and checked on the generator by the tests).
//!
//! ## Decomposition
//!
//! Given `k` in `[0, r)`, find `k1, k2` with `k = k1 + k2 lambda (mod r)` and both of absolute
//! value `< 2^127`, so `k P = k1 P + k2 phi(P)` costs two half-length scalars.
//!
//! Let `v1 = (a1, b1)`, `v2 = (a2, b2)` be a reduced basis of the lattice
//! `L = {(a, b) in Z^2 : a + b lambda = 0 (mod r)}` with `a1 b2 - a2 b1 = r`
//! ([`Curve::GLV_BASIS`]; every entry below `2^127` in absolute value). Write `(k, 0)` in that
//! basis over the rationals: `(k, 0) = (k b2 / r) v1 + (-k b1 / r) v2`. Round the coefficients,
//! `c1 ~ k b2 / r`, `c2 ~ -k b1 / r`, and subtract the lattice vector `c1 v1 + c2 v2`:
//!
//! ```text
//! k1 = k - c1 a1 - c2 a2,   k2 = -c1 b1 - c2 b2.
//! ```
//!
//! `(k1, k2) - (k, 0)` is in `L`, hence `k1 + k2 lambda = k (mod r)`. The coefficients are
//! computed without division from the precomputed `g1 = round(2^256 b2 / r)`,
//! `g2 = round(-2^256 b1 / r)` ([`Curve::GLV_G`]) as `c_i = floor(k g_i / 2^256)`, which is
//! within 1 of `k b2 / r` (resp. `-k b1 / r`) since `k < 2^254`. So `(k1, k2)` differs from
//! `(k, 0)`'s fractional basis residue by at most `v1 + v2` in each coordinate:
//! `|k1| <= |a1| + |a2| < 2^127` and `|k2| <= |b1| + |b2| < 2^127` for both curves
//! (`|a1| + |a2|` and `|b1| + |b2|` are about `1.48 * 2^126`). Because the exact values fit in
//! `i128`, they are computed with wrapping 128-bit arithmetic (mod `2^128`) and read back
//! signed. The property tests check the congruence and the bound on edge and random scalars.

use kaizen_field::PrimeField;

use crate::curve::{Curve, Scalar};

/// `k = (-1)^neg1 k1 + (-1)^neg2 k2 lambda (mod r)` with `k1, k2 < 2^127`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GlvSplit {
    /// `|k1|`.
    pub k1: u128,
    /// Whether `k1` is negative.
    pub neg1: bool,
    /// `|k2|`.
    pub k2: u128,
    /// Whether `k2` is negative.
    pub neg2: bool,
}

/// `floor(k g / 2^256)` for `k < 2^256`, `g < 2^192`; the result must be `< 2^128`
/// (true for `k < r`, `g < 2^131`).
#[inline]
fn mul_shift_256(k: &[u64; 4], g: &[u64; 3]) -> u128 {
    let mut prod = [0u64; 7];
    for (i, &ki) in k.iter().enumerate() {
        let mut carry: u128 = 0;
        for (j, &gj) in g.iter().enumerate() {
            let t = (ki as u128) * (gj as u128) + (prod[i + j] as u128) + carry;
            prod[i + j] = t as u64;
            carry = t >> 64;
        }
        prod[i + 3] = carry as u64;
    }
    debug_assert_eq!(prod[6], 0, "glv: coefficient does not fit 128 bits");
    (prod[4] as u128) | ((prod[5] as u128) << 64)
}

/// Splits the integer `k < r` (little-endian limbs) as described in the module doc.
#[inline]
pub fn decompose_limbs<C: Curve>(k: &[u64; 4]) -> GlvSplit {
    let [[a1, b1], [a2, b2]] = C::GLV_BASIS;
    let c1 = mul_shift_256(k, &C::GLV_G[0]) as i128;
    let c2 = mul_shift_256(k, &C::GLV_G[1]) as i128;
    let k_lo = ((k[0] as u128) | ((k[1] as u128) << 64)) as i128;
    let k1 = k_lo
        .wrapping_sub(c1.wrapping_mul(a1))
        .wrapping_sub(c2.wrapping_mul(a2));
    let k2 = c1
        .wrapping_neg()
        .wrapping_mul(b1)
        .wrapping_sub(c2.wrapping_mul(b2));
    GlvSplit {
        k1: k1.unsigned_abs(),
        neg1: k1 < 0,
        k2: k2.unsigned_abs(),
        neg2: k2 < 0,
    }
}

/// Splits a scalar-field element (see the module doc).
#[inline]
pub fn decompose<C: Curve>(k: &Scalar<C>) -> GlvSplit {
    decompose_limbs::<C>(&k.to_canonical_limbs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curve::{Affine, Projective};
    use crate::{Bn254, Grumpkin};
    use kaizen_field::{Field, Fp};
    use rand_chacha::rand_core::SeedableRng;

    fn from_i128<C: Curve>(v: i128) -> Scalar<C> {
        <Scalar<C> as Field>::from_i128(v)
    }

    fn recompose<C: Curve>(s: &GlvSplit) -> Scalar<C> {
        let k1 = <Scalar<C> as Field>::from_u128(s.k1);
        let k2 = <Scalar<C> as Field>::from_u128(s.k2);
        let k1 = if s.neg1 { -k1 } else { k1 };
        let k2 = if s.neg2 { -k2 } else { k2 };
        k1 + k2 * C::ENDO_LAMBDA
    }

    fn constants_are_consistent<C: Curve>() {
        // beta, lambda are primitive cube roots of unity.
        let beta = C::ENDO_BETA;
        assert_ne!(beta, Fp::ONE);
        assert_eq!(beta.square() * beta, Fp::ONE);
        let lam = C::ENDO_LAMBDA;
        assert_ne!(lam, Fp::ONE);
        assert_eq!(lam.square() * lam, Fp::ONE);
        // phi(G) = lambda G.
        let g = Affine::<C>::generator();
        assert_eq!(g.endo().to_projective(), g.mul_vartime(&lam));
        // Lattice vectors are in L and the basis has determinant r.
        let [[a1, b1], [a2, b2]] = C::GLV_BASIS;
        assert!(Field::is_zero(
            &(from_i128::<C>(a1) + from_i128::<C>(b1) * lam)
        ));
        assert!(Field::is_zero(
            &(from_i128::<C>(a2) + from_i128::<C>(b2) * lam)
        ));
        // det = a1 b2 - a2 b1 = r exactly. For both curves a1, a2, b2 > 0 > b1, so
        // det = a1 b2 + a2 |b1|, computed in 256-bit integers.
        assert!(a1 > 0 && a2 > 0 && b2 > 0 && b1 < 0);
        let det = add256(
            &mul128(a1.unsigned_abs(), b2.unsigned_abs()),
            &mul128(a2.unsigned_abs(), b1.unsigned_abs()),
        );
        assert_eq!(
            det,
            <Scalar<C> as PrimeField>::MODULUS,
            "{}: det != r",
            C::NAME
        );
    }

    fn mul128(a: u128, b: u128) -> [u64; 4] {
        let mut out = [0u64; 4];
        let (a, b) = ([a as u64, (a >> 64) as u64], [b as u64, (b >> 64) as u64]);
        for i in 0..2 {
            let mut carry = 0u128;
            for j in 0..2 {
                let t = (a[i] as u128) * (b[j] as u128) + out[i + j] as u128 + carry;
                out[i + j] = t as u64;
                carry = t >> 64;
            }
            out[i + 2] = carry as u64;
        }
        out
    }

    fn add256(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
        let mut out = [0u64; 4];
        let mut carry = 0u128;
        for i in 0..4 {
            let t = a[i] as u128 + b[i] as u128 + carry;
            out[i] = t as u64;
            carry = t >> 64;
        }
        assert_eq!(carry, 0);
        out
    }

    fn decomposition_property<C: Curve>() {
        let seed = crate::test_seed();
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(seed);
        let mut edge = vec![
            Scalar::<C>::ZERO,
            Scalar::<C>::ONE,
            -Scalar::<C>::ONE,
            -Scalar::<C>::ONE.double(),
            C::ENDO_LAMBDA,
            -C::ENDO_LAMBDA,
        ];
        // (r-1)/2, (r+1)/2 and powers of two.
        let half = <Scalar<C> as Field>::from_u64(2)
            .inverse()
            .unwrap_or(Fp::ZERO);
        edge.push(half);
        edge.push(-half);
        for i in [63u32, 64, 126, 127, 128, 200, 253] {
            edge.push(<Scalar<C> as Field>::from_u64(2).pow(&[i as u64]));
        }
        for _ in 0..20_000 {
            edge.push(<Scalar<C> as Field>::random(&mut rng));
        }
        for k in &edge {
            let s = decompose::<C>(k);
            assert!(
                s.k1 < 1u128 << 127 && s.k2 < 1u128 << 127,
                "{}: split of {k:?} too wide: {s:?} (seed {seed})",
                C::NAME
            );
            assert_eq!(
                recompose::<C>(&s),
                *k,
                "{}: k = {k:?} (seed {seed})",
                C::NAME
            );
        }
        // And on the group: k G = k1 G + k2 phi(G) for a few.
        let g = Affine::<C>::generator();
        for k in edge.iter().take(12) {
            let s = decompose::<C>(k);
            let mut p1 = g
                .to_projective()
                .mul_limbs_vartime(&[s.k1 as u64, (s.k1 >> 64) as u64]);
            if s.neg1 {
                p1 = -p1;
            }
            let mut p2 = g
                .endo()
                .to_projective()
                .mul_limbs_vartime(&[s.k2 as u64, (s.k2 >> 64) as u64]);
            if s.neg2 {
                p2 = -p2;
            }
            assert_eq!(p1 + p2, g.mul_vartime(k));
        }
        let _ = Projective::<C>::IDENTITY;
    }

    #[test]
    fn bn254_glv_constants() {
        constants_are_consistent::<Bn254>();
    }
    #[test]
    fn grumpkin_glv_constants() {
        constants_are_consistent::<Grumpkin>();
    }
    #[test]
    fn bn254_glv_decomposition() {
        decomposition_property::<Bn254>();
    }
    #[test]
    fn grumpkin_glv_decomposition() {
        decomposition_property::<Grumpkin>();
    }
}
