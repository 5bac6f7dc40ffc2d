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

/// `(Σ a_lo[i] b_lo[i], Σ (a_hi[i] − a_lo[i]) (b_hi[i] − b_lo[i]))`, products summed
/// unreduced ([`WideAcc`](crate::wide::WideAcc)) and reduced once.
pub fn prod2_sums<P: FpParams>(
    a_lo: &[Fp<P>],
    a_hi: &[Fp<P>],
    b_lo: &[Fp<P>],
    b_hi: &[Fp<P>],
) -> (Fp<P>, Fp<P>) {
    let mut s0 = crate::wide::WideAcc::<P>::ZERO;
    let mut lead = crate::wide::WideAcc::<P>::ZERO;
    for (((al, ah), bl), bh) in a_lo.iter().zip(a_hi).zip(b_lo).zip(b_hi) {
        s0.add_product(al, bl);
        lead.add_product(&(*ah - *al), &(*bh - *bl));
    }
    (s0.reduce(), lead.reduce())
}

/// `lo[k][i] += r (hi[k][i] − lo[k][i])` for the four pairs, then
/// [`prod2_sums`]`(lo[0], lo[1], lo[2], lo[3])` of the bound values.
pub fn bind_prod2_sums<P: FpParams>(
    lo: [&mut [Fp<P>]; 4],
    hi: [&[Fp<P>]; 4],
    r: Fp<P>,
) -> (Fp<P>, Fp<P>) {
    let [a0, a1, b0, b1] = lo;
    let [a2, a3, b2, b3] = hi;
    fold_in_place(a0, a2, r);
    fold_in_place(a1, a3, r);
    fold_in_place(b0, b2, r);
    fold_in_place(b1, b3, r);
    prod2_sums(a0, a1, b0, b1)
}

/// `[Σ e Π lo_k, Σ e Π (2 hi_k − lo_k), Σ e Π (hi_k − lo_k)]` over three factors `k` (the
/// points 0, 2 and ∞ of `Σ_j e[j] Π_k (lo_k[j] + X (hi_k[j] − lo_k[j]))`), the last product of
/// each term summed unreduced.
pub fn eq_prod3_sums<P: FpParams>(e: &[Fp<P>], lo: [&[Fp<P>]; 3], hi: [&[Fp<P>]; 3]) -> [Fp<P>; 3] {
    let mut acc = [crate::wide::WideAcc::<P>::ZERO; 3];
    let n = lo
        .iter()
        .chain(&hi)
        .map(|s| s.len())
        .fold(e.len(), usize::min);
    for j in 0..n {
        let l = [lo[0][j], lo[1][j], lo[2][j]];
        let d = [hi[0][j] - l[0], hi[1][j] - l[1], hi[2][j] - l[2]];
        let two = [hi[0][j] + d[0], hi[1][j] + d[1], hi[2][j] + d[2]];
        for (a, v) in acc.iter_mut().zip([l, two, d]) {
            a.add_product(&(e[j] * v[0] * v[1]), &v[2]);
        }
    }
    acc.map(|a| a.reduce())
}
