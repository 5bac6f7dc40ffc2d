//! Deferred-reduction sums: many products accumulated as plain integers, one Montgomery
//! reduction per sum (the sumcheck provers' inner loops).
//!
//! [`SmallCombiner`]: `Σ_a w_a · s_a` for field weights `w_a` and small signed integers `s_a`
//! with **one** reduction per sum instead of one Montgomery product per term.
//!
//! [`WideAcc`]: `Σ_i a_i b_i` with 512-bit products accumulated unreduced and one Montgomery
//! reduction per sum (a "deferred-reduction accumulator"): a product costs 16 word
//! multiplications instead of the 32 of a CIOS Montgomery product.
//!
//! How: a field element's raw Montgomery limbs are `W = w·2^256 mod p`. The integer
//! `Σ_a W'_a · |s_a|` (with `W'_a` the raw limbs of `w_a` or of `-w_a` by the sign of `s_a`)
//! is congruent to the raw limbs of `Σ_a w_a s_a`, so accumulating the 256x64-bit products
//! unreduced in five limbs and reducing once at the end gives the Montgomery form directly.
//! Bounds: `W' < p < 2^254`, `|s| <= 2^31`, so each product is `< 2^285`, and up to `2^30`
//! terms keep the fifth limb below `2^64`. Both BN254 moduli are below `2^254`; a modulus that
//! is not fails [`WideAcc::reduce`]'s and [`SmallCombiner::new`]'s assertion.

use core::marker::PhantomData;

use crate::limbs::{adc, lt4, mac, sub4};
use crate::{Field, Fp, FpParams};

/// Whether `P`'s modulus is below `2^254` (the bound both accumulators rely on).
const fn fits_254<P: FpParams>() -> bool {
    P::MODULUS[3] >> 62 == 0
}

/// Precomputed weights for [`SmallCombiner::combine`].
#[derive(Debug, Clone)]
pub struct SmallCombiner<P: FpParams> {
    /// `(raw(w_a), raw(-w_a))`.
    weights: Vec<([u64; 4], [u64; 4])>,
    _field: PhantomData<P>,
}

impl<P: FpParams> SmallCombiner<P> {
    /// Precomputes `weights` (at most `2^30`).
    pub fn new(weights: &[Fp<P>]) -> Self {
        assert!(
            weights.len() <= 1 << 30 && fits_254::<P>(),
            "kaizen-field: SmallCombiner: {} weights, modulus below 2^254: {}",
            weights.len(),
            fits_254::<P>()
        );
        Self {
            _field: PhantomData,
            weights: weights
                .iter()
                .map(|w| (w.mont_limbs(), (-*w).mont_limbs()))
                .collect(),
        }
    }

    /// `Σ_a w_a · s_a` where `s` yields one value per weight (`|s_a| <= 2^31`).
    #[inline]
    pub fn combine(&self, s: impl Iterator<Item = i64>) -> Fp<P> {
        let mut acc = [0u64; 5];
        for ((pos, neg), v) in self.weights.iter().zip(s) {
            debug_assert!(v.unsigned_abs() <= 1 << 31);
            let (w, m) = if v >= 0 {
                (pos, v as u64)
            } else {
                (neg, v.unsigned_abs())
            };
            let mut carry = 0;
            for i in 0..4 {
                let (lo, c) = mac(acc[i], w[i], m, carry);
                acc[i] = lo;
                carry = c;
            }
            acc[4] += carry;
        }
        reduce5(acc)
    }
}

/// The field element whose raw Montgomery limbs are `x mod p`, for a 320-bit `x`.
#[inline]
fn reduce5<P: FpParams>(x: [u64; 5]) -> Fp<P> {
    let mut lo = [x[0], x[1], x[2], x[3]];
    // lo < 2^256 < 6p (p > 2^253 for the fields this serves; any p < 2^254 terminates).
    while !lt4(&lo, &P::MODULUS) {
        lo = sub4(&lo, &P::MODULUS).0;
    }
    // x = lo + t 2^256, and `from_u64(t)` has raw limbs t·2^256 mod p.
    Fp::<P>::from_mont_limbs(lo) + Fp::<P>::from_u64(x[4])
}

/// An unreduced sum of products of field elements (see the module doc).
///
/// Bounds: raw limbs are `< p < 2^254`, so a product is `< 2^508` and the nine-limb
/// accumulator holds `2^68` products.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WideAcc<P: FpParams> {
    limbs: [u64; 9],
    _field: PhantomData<P>,
}

impl<P: FpParams> WideAcc<P> {
    /// The empty sum.
    pub const ZERO: Self = Self {
        limbs: [0; 9],
        _field: PhantomData,
    };

    /// `self += a * b` (raw Montgomery limbs multiplied as integers).
    #[inline(always)]
    pub fn add_product(&mut self, a: &Fp<P>, b: &Fp<P>) {
        let (a, b) = (a.mont_limbs(), b.mont_limbs());
        let mut t = [0u64; 8];
        for i in 0..4 {
            let mut carry = 0;
            for j in 0..4 {
                let (lo, c) = mac(t[i + j], a[i], b[j], carry);
                t[i + j] = lo;
                carry = c;
            }
            t[i + 4] = carry;
        }
        let mut carry = 0;
        for k in 0..8 {
            let (s, c) = adc(self.limbs[k], t[k], carry);
            self.limbs[k] = s;
            carry = c;
        }
        self.limbs[8] += carry;
    }

    /// `self += other`.
    #[inline]
    pub fn merge(mut self, other: Self) -> Self {
        let mut carry = 0;
        for k in 0..9 {
            let (s, c) = adc(self.limbs[k], other.limbs[k], carry);
            self.limbs[k] = s;
            carry = c;
        }
        self
    }

    /// The field element `Σ a_i b_i`.
    ///
    /// The accumulator is `S = Σ (a_i R)(b_i R) = lo + hi 2^512`; the result's raw limbs are
    /// `S R^-1 mod p = REDC(lo) + hi R mod p`, and `from_u64(hi)` has raw limbs `hi R mod p`.
    pub fn reduce(&self) -> Fp<P> {
        assert!(fits_254::<P>(), "kaizen-field: WideAcc needs p < 2^254");
        let p = P::MODULUS;
        let inv = P::INV;
        let mut t = [0u64; 9];
        t[..8].copy_from_slice(&self.limbs[..8]);
        for i in 0..4 {
            let m = t[i].wrapping_mul(inv);
            let mut carry = 0;
            for j in 0..4 {
                let (lo, c) = mac(t[i + j], m, p[j], carry);
                t[i + j] = lo;
                carry = c;
            }
            let mut k = i + 4;
            while carry != 0 && k < 9 {
                let (s, c) = adc(t[k], carry, 0);
                t[k] = s;
                carry = c;
                k += 1;
            }
        }
        // u = (lo + m p) / 2^256 < 2^256 + p: five limbs.
        reduce5::<P>([t[4], t[5], t[6], t[7], t[8]]) + Fp::<P>::from_u64(self.limbs[8])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Fq, Fr, FrParams};

    type FrAcc = WideAcc<FrParams>;

    #[test]
    fn wide_acc_matches_field_arithmetic() {
        let xs: Vec<Fr> = (1..200u64)
            .map(|i| -Fr::from_u64(i * 1_000_003).square())
            .collect();
        let mut acc = FrAcc::ZERO;
        let mut want = Fr::ZERO;
        for w in xs.windows(2) {
            acc.add_product(&w[0], &w[1]);
            want += w[0] * w[1];
        }
        assert_eq!(acc.reduce(), want);
        let m = -Fr::ONE;
        let mut big = FrAcc::ZERO;
        for _ in 0..5000 {
            big.add_product(&m, &m);
        }
        assert_eq!(big.merge(acc).reduce(), Fr::from_u64(5000) + want);
        assert_eq!(FrAcc::ZERO.reduce(), Fr::ZERO);
        // The other BN254 field.
        let ys: Vec<Fq> = (1..50u64)
            .map(|i| -Fq::from_u64(i * 65_537).square())
            .collect();
        let mut acc = WideAcc::ZERO;
        for w in ys.windows(2) {
            acc.add_product(&w[0], &w[1]);
        }
        assert_eq!(acc.reduce(), ys.windows(2).map(|w| w[0] * w[1]).sum::<Fq>());
    }

    #[test]
    fn combine_matches_field_arithmetic() {
        let w: Vec<Fr> = (0..9u64)
            .map(|i| -Fr::from_u64(i * 7919 + 3).square())
            .collect();
        let s = [
            0i64,
            1,
            -1,
            127,
            -128,
            i32::MAX as i64,
            i32::MIN as i64,
            42,
            -7,
        ];
        let c = SmallCombiner::new(&w);
        let got = c.combine(s.iter().copied());
        let want: Fr = w.iter().zip(s).map(|(w, s)| *w * Fr::from_i64(s)).sum();
        assert_eq!(got, want);
        // Enough large terms to fill the fifth limb.
        let w = vec![-Fr::ONE; 1 << 12];
        let c = SmallCombiner::new(&w);
        let got = c.combine(std::iter::repeat_n(i32::MIN as i64, 1 << 12));
        assert_eq!(got, Fr::from_i64(1 << 43));
    }
}
