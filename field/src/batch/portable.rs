//! Portable batch kernels: the reference every SIMD backend is tested against, element for
//! element. Each function works on one chunk and allocates nothing.

use crate::fp::{Fp, FpParams};
use crate::SmallInt;

/// `out[i] = a[i] * b[i]`.
pub fn mul<P: FpParams>(out: &mut [Fp<P>], a: &[Fp<P>], b: &[Fp<P>]) {
    for ((o, x), y) in out.iter_mut().zip(a).zip(b) {
        *o = *x * *y;
    }
}

/// `a[i] *= b[i]`.
pub fn mul_assign<P: FpParams>(a: &mut [Fp<P>], b: &[Fp<P>]) {
    for (x, y) in a.iter_mut().zip(b) {
        *x *= *y;
    }
}

/// `out[i] = a[i] + b[i]`.
pub fn add<P: FpParams>(out: &mut [Fp<P>], a: &[Fp<P>], b: &[Fp<P>]) {
    for ((o, x), y) in out.iter_mut().zip(a).zip(b) {
        *o = *x + *y;
    }
}

/// `out[i] = a[i] - b[i]`.
pub fn sub<P: FpParams>(out: &mut [Fp<P>], a: &[Fp<P>], b: &[Fp<P>]) {
    for ((o, x), y) in out.iter_mut().zip(a).zip(b) {
        *o = *x - *y;
    }
}

/// `out[i] = s * a[i]`.
pub fn scale<P: FpParams>(out: &mut [Fp<P>], a: &[Fp<P>], s: Fp<P>) {
    for (o, x) in out.iter_mut().zip(a) {
        *o = *x * s;
    }
}

/// `out[i] += a[i] * b[i]`.
pub fn mul_add<P: FpParams>(out: &mut [Fp<P>], a: &[Fp<P>], b: &[Fp<P>]) {
    for ((o, x), y) in out.iter_mut().zip(a).zip(b) {
        *o += *x * *y;
    }
}

/// `sum_i a[i] * b[i]`.
pub fn inner_product<P: FpParams>(a: &[Fp<P>], b: &[Fp<P>]) -> Fp<P> {
    let mut acc = Fp::ZERO;
    for (x, y) in a.iter().zip(b) {
        acc += *x * *y;
    }
    acc
}

/// `out[i] = lo[i] + r * (hi[i] - lo[i])` (sumcheck bind of one variable).
pub fn fold<P: FpParams>(out: &mut [Fp<P>], lo: &[Fp<P>], hi: &[Fp<P>], r: Fp<P>) {
    for ((o, l), h) in out.iter_mut().zip(lo).zip(hi) {
        *o = *l + r * (*h - *l);
    }
}

/// `lo[i] += r * (hi[i] - lo[i])`.
pub fn fold_in_place<P: FpParams>(lo: &mut [Fp<P>], hi: &[Fp<P>], r: Fp<P>) {
    for (l, h) in lo.iter_mut().zip(hi) {
        *l += r * (*h - *l);
    }
}

/// One eq-expansion step: `hi[i] = lo[i] * r; lo[i] -= hi[i]`
/// (so `lo` holds `e * (1 - r)` and `hi` holds `e * r`).
pub fn eq_step<P: FpParams>(lo: &mut [Fp<P>], hi: &mut [Fp<P>], r: Fp<P>) {
    for (l, h) in lo.iter_mut().zip(hi.iter_mut()) {
        *h = *l * r;
        *l -= *h;
    }
}

/// `out[i] = small[i] * b[i]` for small signed or unsigned integers.
pub fn mul_small<P: FpParams, S: SmallInt>(out: &mut [Fp<P>], small: &[S], b: &[Fp<P>]) {
    for ((o, s), y) in out.iter_mut().zip(small).zip(b) {
        *o = y.mul_small(s.to_i64());
    }
}

/// Montgomery's batch inversion on one chunk: `values[i] = values[i]^-1`, zeros stay zero.
/// `scratch` holds the prefix products (same length as `values`).
pub fn batch_inverse<P: FpParams>(values: &mut [Fp<P>], scratch: &mut [Fp<P>]) {
    debug_assert_eq!(values.len(), scratch.len());
    let mut acc = Fp::ONE;
    for (v, s) in values.iter().zip(scratch.iter_mut()) {
        *s = acc;
        if !crate::Field::is_zero(v) {
            acc *= *v;
        }
    }
    // acc is a product of non-zero elements, hence invertible.
    let mut inv = acc.inverse().unwrap_or(Fp::ZERO);
    for (v, s) in values.iter_mut().zip(scratch.iter()).rev() {
        if !crate::Field::is_zero(v) {
            let new = inv * *s;
            inv *= *v;
            *v = new;
        }
    }
}

/// `lambda = num[i] * dinv[i]`, `x3[i] = lambda^2 - sum_x[i]`, `y3[i] = lambda (x1[i] -
/// x3[i]) - y1[i]` (see `batch::slope_step`).
pub fn slope_step<P: FpParams>(
    x3: &mut [Fp<P>],
    y3: &mut [Fp<P>],
    num: &[Fp<P>],
    dinv: &[Fp<P>],
    sum_x: &[Fp<P>],
    x1: &[Fp<P>],
    y1: &[Fp<P>],
) {
    for i in 0..x3.len().min(y3.len()) {
        let lambda = num[i] * dinv[i];
        let x = lambda.square() - sum_x[i];
        x3[i] = x;
        y3[i] = lambda * (x1[i] - x) - y1[i];
    }
}
