//! Small-integer scalars: `i8 .. i64`, `u8 .. u64`, never widened to field elements.
//!
//! Each scalar becomes a magnitude and a sign ([`SmallScalar::split`]); a negative scalar
//! negates its base inside the bucket code, so an `i16` MSM pays for 15–16 bits, not 254. The
//! window plan follows the largest magnitude actually present (see `window.rs`), so `i8` data
//! is one window of at most 128 buckets.

use rayon::prelude::*;

use crate::curve::{Affine, Curve, Projective};
use crate::pippenger::{msm_core_vartime, same_len};

/// An integer type an MSM takes without widening.
pub trait SmallScalar: Copy + Send + Sync + 'static {
    /// `(|s|, s < 0)`.
    fn split(self) -> (u64, bool);
}

macro_rules! small_signed {
    ($($t:ty),*) => {$(
        impl SmallScalar for $t {
            #[inline(always)]
            fn split(self) -> (u64, bool) {
                (self.unsigned_abs() as u64, self < 0)
            }
        }
    )*};
}
macro_rules! small_unsigned {
    ($($t:ty),*) => {$(
        impl SmallScalar for $t {
            #[inline(always)]
            fn split(self) -> (u64, bool) {
                (self as u64, false)
            }
        }
    )*};
}
small_signed!(i8, i16, i32, i64);
small_unsigned!(u8, u16, u32, u64);

/// Largest magnitude of a slice (parallel over fixed chunks; max is order-independent).
pub(crate) fn max_magnitude<S: SmallScalar>(scalars: &[S]) -> u64 {
    scalars
        .par_chunks(1 << 14)
        .map(|c| c.iter().map(|s| s.split().0).max().unwrap_or(0))
        .max()
        .unwrap_or(0)
}

/// `sum_i s_i P_i` for small integer scalars. Lengths must match. Variable time.
pub fn msm_small_vartime<C: Curve, S: SmallScalar>(
    bases: &[Affine<C>],
    scalars: &[S],
) -> Projective<C> {
    same_len(bases.len(), scalars.len());
    let max = max_magnitude(scalars);
    msm_core_vartime(bases, scalars.len(), max as u128, |i| {
        let (m, neg) = scalars[i].split();
        (i, m as u128, neg)
    })
}

/// Several small-scalar MSMs over the same bases (one result per scalar vector).
pub fn msm_many_small_vartime<C: Curve, S: SmallScalar>(
    bases: &[Affine<C>],
    scalar_sets: &[&[S]],
) -> Vec<Projective<C>> {
    scalar_sets
        .par_iter()
        .map(|s| msm_small_vartime(bases, s))
        .collect()
}
