//! Field helpers this crate needs that `kaizen-field` does not offer yet (reported to the
//! field owners; move there when it grows an equivalent kernel).
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
//! terms keep the fifth limb below `2^64`.

use kaizen_field::limbs::{adc, lt4, mac, sub4};
use kaizen_field::FpParams;
use kaizen_field::{Field, Fr, PrimeField};

/// Precomputed weights for [`SmallCombiner::combine`].
#[derive(Debug, Clone)]
pub(crate) struct SmallCombiner {
    /// `(raw(w_a), raw(-w_a))`.
    weights: Vec<([u64; 4], [u64; 4])>,
}

impl SmallCombiner {
    pub(crate) fn new(weights: &[Fr]) -> Self {
        assert!(
            weights.len() <= 1 << 30,
            "kaizen-sumcheck: too many weights"
        );
        Self {
            weights: weights
                .iter()
                .map(|w| (w.mont_limbs(), (-*w).mont_limbs()))
                .collect(),
        }
    }

    /// `Σ_a w_a · s_a` where `s` yields one value per weight (`|s_a| <= 2^31`).
    #[inline]
    pub(crate) fn combine(&self, s: impl Iterator<Item = i64>) -> Fr {
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
fn reduce5(x: [u64; 5]) -> Fr {
    let mut lo = [x[0], x[1], x[2], x[3]];
    // lo < 2^256 < 6p: at most five subtractions.
    while !lt4(&lo, &Fr::MODULUS) {
        lo = sub4(&lo, &Fr::MODULUS).0;
    }
    // x = lo + t 2^256, and `Fr::from_u64(t)` has raw limbs t·2^256 mod p.
    Fr::from_mont_limbs(lo) + Fr::from_u64(x[4])
}

/// An unreduced sum of products of field elements (see the module doc).
///
/// Bounds: raw limbs are `< p < 2^254`, so a product is `< 2^508` and the nine-limb
/// accumulator holds `2^68` products.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WideAcc {
    limbs: [u64; 9],
}

impl WideAcc {
    pub(crate) const ZERO: Self = Self { limbs: [0; 9] };

    /// `self += a * b` (raw Montgomery limbs multiplied as integers).
    #[inline(always)]
    pub(crate) fn add_product(&mut self, a: &Fr, b: &Fr) {
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
    pub(crate) fn merge(mut self, other: Self) -> Self {
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
    /// `S R^-1 mod p = REDC(lo) + hi R mod p`, and `Fr::from_u64(hi)` has raw limbs `hi R mod p`.
    pub(crate) fn reduce(&self) -> Fr {
        let p = Fr::MODULUS;
        let inv = <kaizen_field::FrParams as FpParams>::INV;
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
        reduce5([t[4], t[5], t[6], t[7], t[8]]) + Fr::from_u64(self.limbs[8])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_acc_matches_field_arithmetic() {
        let xs: Vec<Fr> = (1..200u64)
            .map(|i| -Fr::from_u64(i * 1_000_003).square())
            .collect();
        let mut acc = WideAcc::ZERO;
        let mut want = Fr::ZERO;
        for w in xs.windows(2) {
            acc.add_product(&w[0], &w[1]);
            want += w[0] * w[1];
        }
        assert_eq!(acc.reduce(), want);
        let m = -Fr::ONE;
        let mut big = WideAcc::ZERO;
        for _ in 0..5000 {
            big.add_product(&m, &m);
        }
        assert_eq!(big.merge(acc).reduce(), Fr::from_u64(5000) + want);
        assert_eq!(WideAcc::ZERO.reduce(), Fr::ZERO);
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
