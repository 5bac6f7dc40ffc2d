//! Batch kernels over slices: the SIMD engine every prover loop calls.
//!
//! | kernel | computes |
//! |---|---|
//! | [`mul`], [`mul_assign`] | `out[i] = a[i] * b[i]`, `a[i] *= b[i]` |
//! | [`add`], [`sub`] | `out[i] = a[i] ± b[i]` |
//! | [`scale`] | `out[i] = s * a[i]` |
//! | [`mul_add`] | `out[i] += a[i] * b[i]` |
//! | [`inner_product`] | `Σ a[i] * b[i]` |
//! | [`fold`], [`fold_in_place`] | `lo[i] + r * (hi[i] - lo[i])` (sumcheck bind) |
//! | [`eq_expand`] | `out[x] = s * eq(point, x)` |
//! | [`batch_inverse`] | `v[i] = v[i]^-1` (zeros stay zero) |
//! | [`mul_small`] | `out[i] = small[i] * b[i]`, `small` of `i8/i16/i32/u8/u16/u32` |
//! | [`prod2_sums`] | `(Σ a_lo b_lo, Σ (a_hi - a_lo)(b_hi - b_lo))` (two-factor sumcheck round) |
//! | [`bind_prod2_sums`] | bind the top variable of two tables and return the next [`prod2_sums`] (one pass) |
//! | [`eq_prod3_sums`] | `Σ e Π_k f_k(X)` at `X = 0, 2, ∞` for three factors (eq-weighted sumcheck round) |
//! | [`slope_step`] | `l = num dinv`, `x3 = l^2 - sum_x`, `y3 = l (x1 - x3) - y1` (batch-affine point addition) |
//!
//! Every kernel has a `*_with(backend, ..)` form; the plain form uses [`backend()`]. The
//! backend is matched once per call, never per element. Slices longer than
//! [`par::THRESHOLD`](crate::par::THRESHOLD) split into fixed chunks across rayon threads;
//! results are bit-identical for every backend and thread count. Lengths must match
//! (checked: a mismatch is a caller bug and panics with the lengths). Nothing allocates.
//!
//! Variable order of [`eq_expand`] (used everywhere in kaizen): `point[0]` is the most
//! significant bit of the table index, i.e. `x = Σ_i x_i 2^(k-1-i)`, so binding `point[0]`
//! first is folding the low half with the high half.

pub mod portable;

#[cfg(target_arch = "x86_64")]
pub mod avx2;
#[cfg(target_arch = "x86_64")]
pub mod avx512;
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
mod digits29;
#[cfg(target_arch = "aarch64")]
pub mod neon;
mod sums;

pub use sums::{
    bind_prod2_sums, bind_prod2_sums_with, eq_prod3_sums, eq_prod3_sums_with, prod2_sums,
    prod2_sums_with,
};

use crate::backend::{backend, Backend};
use crate::fp::{Fp, FpParams};
use crate::par;
use crate::SmallInt;

/// Dispatches a per-chunk kernel call to the module of `backend`.
///
/// A SIMD module exposes safe wrappers with the portable signatures; each wrapper is only
/// reached after `Backend::is_available` held (`Backend::require` at resolution, or the
/// `*_with` functions' check), which is what makes its inner `#[target_feature]` call sound.
macro_rules! dispatch {
    ($backend:expr, $kernel:ident ( $($arg:expr),* )) => {
        match $backend {
            #[cfg(target_arch = "x86_64")]
            Backend::Avx512 => avx512::$kernel($($arg),*),
            #[cfg(target_arch = "x86_64")]
            Backend::Avx2 => avx2::$kernel($($arg),*),
            #[cfg(target_arch = "aarch64")]
            Backend::Neon => neon::$kernel($($arg),*),
            _ => portable::$kernel($($arg),*),
        }
    };
}

fn checked(b: Backend) -> Backend {
    assert!(
        b.is_available(),
        "kaizen-field: backend {b} is not available on this CPU"
    );
    b
}

fn same_len(what: &str, a: usize, b: usize) {
    assert_eq!(
        a, b,
        "kaizen-field: {what}: slice lengths differ ({a} vs {b})"
    );
}

/// `out[i] = a[i] * b[i]`.
pub fn mul<P: FpParams>(out: &mut [Fp<P>], a: &[Fp<P>], b: &[Fp<P>]) {
    mul_with(backend(), out, a, b)
}
/// [`mul`] on a given backend.
pub fn mul_with<P: FpParams>(be: Backend, out: &mut [Fp<P>], a: &[Fp<P>], b: &[Fp<P>]) {
    same_len("mul", out.len(), a.len());
    same_len("mul", a.len(), b.len());
    let be = checked(be);
    par::zip3(out, a, b, |o, x, y| dispatch!(be, mul(o, x, y)));
}

/// `a[i] *= b[i]`.
pub fn mul_assign<P: FpParams>(a: &mut [Fp<P>], b: &[Fp<P>]) {
    mul_assign_with(backend(), a, b)
}
/// [`mul_assign`] on a given backend.
pub fn mul_assign_with<P: FpParams>(be: Backend, a: &mut [Fp<P>], b: &[Fp<P>]) {
    same_len("mul_assign", a.len(), b.len());
    let be = checked(be);
    par::zip2(a, b, |x, y| dispatch!(be, mul_assign(x, y)));
}

/// `out[i] = a[i] + b[i]`.
pub fn add<P: FpParams>(out: &mut [Fp<P>], a: &[Fp<P>], b: &[Fp<P>]) {
    add_with(backend(), out, a, b)
}
/// [`add`] on a given backend.
pub fn add_with<P: FpParams>(be: Backend, out: &mut [Fp<P>], a: &[Fp<P>], b: &[Fp<P>]) {
    same_len("add", out.len(), a.len());
    same_len("add", a.len(), b.len());
    let be = checked(be);
    par::zip3(out, a, b, |o, x, y| dispatch!(be, add(o, x, y)));
}

/// `out[i] = a[i] - b[i]`.
pub fn sub<P: FpParams>(out: &mut [Fp<P>], a: &[Fp<P>], b: &[Fp<P>]) {
    sub_with(backend(), out, a, b)
}
/// [`sub`] on a given backend.
pub fn sub_with<P: FpParams>(be: Backend, out: &mut [Fp<P>], a: &[Fp<P>], b: &[Fp<P>]) {
    same_len("sub", out.len(), a.len());
    same_len("sub", a.len(), b.len());
    let be = checked(be);
    par::zip3(out, a, b, |o, x, y| dispatch!(be, sub(o, x, y)));
}

/// `out[i] = s * a[i]`.
pub fn scale<P: FpParams>(out: &mut [Fp<P>], a: &[Fp<P>], s: Fp<P>) {
    scale_with(backend(), out, a, s)
}
/// [`scale`] on a given backend.
pub fn scale_with<P: FpParams>(be: Backend, out: &mut [Fp<P>], a: &[Fp<P>], s: Fp<P>) {
    same_len("scale", out.len(), a.len());
    let be = checked(be);
    par::zip2(out, a, |o, x| dispatch!(be, scale(o, x, s)));
}

/// `out[i] += a[i] * b[i]`.
pub fn mul_add<P: FpParams>(out: &mut [Fp<P>], a: &[Fp<P>], b: &[Fp<P>]) {
    mul_add_with(backend(), out, a, b)
}
/// [`mul_add`] on a given backend.
pub fn mul_add_with<P: FpParams>(be: Backend, out: &mut [Fp<P>], a: &[Fp<P>], b: &[Fp<P>]) {
    same_len("mul_add", out.len(), a.len());
    same_len("mul_add", a.len(), b.len());
    let be = checked(be);
    par::zip3(out, a, b, |o, x, y| dispatch!(be, mul_add(o, x, y)));
}

/// `Σ a[i] * b[i]`.
pub fn inner_product<P: FpParams>(a: &[Fp<P>], b: &[Fp<P>]) -> Fp<P> {
    inner_product_with(backend(), a, b)
}
/// [`inner_product`] on a given backend.
pub fn inner_product_with<P: FpParams>(be: Backend, a: &[Fp<P>], b: &[Fp<P>]) -> Fp<P> {
    same_len("inner_product", a.len(), b.len());
    let be = checked(be);
    par::map_reduce2(
        a,
        b,
        Fp::ZERO,
        |x, y| dispatch!(be, inner_product(x, y)),
        |s, t| s + t,
    )
}

/// `out[i] = lo[i] + r * (hi[i] - lo[i])`.
pub fn fold<P: FpParams>(out: &mut [Fp<P>], lo: &[Fp<P>], hi: &[Fp<P>], r: Fp<P>) {
    fold_with(backend(), out, lo, hi, r)
}
/// [`fold`] on a given backend.
pub fn fold_with<P: FpParams>(
    be: Backend,
    out: &mut [Fp<P>],
    lo: &[Fp<P>],
    hi: &[Fp<P>],
    r: Fp<P>,
) {
    same_len("fold", out.len(), lo.len());
    same_len("fold", lo.len(), hi.len());
    let be = checked(be);
    par::zip3(out, lo, hi, |o, l, h| dispatch!(be, fold(o, l, h, r)));
}

/// `lo[i] += r * (hi[i] - lo[i])`.
pub fn fold_in_place<P: FpParams>(lo: &mut [Fp<P>], hi: &[Fp<P>], r: Fp<P>) {
    fold_in_place_with(backend(), lo, hi, r)
}
/// [`fold_in_place`] on a given backend.
pub fn fold_in_place_with<P: FpParams>(be: Backend, lo: &mut [Fp<P>], hi: &[Fp<P>], r: Fp<P>) {
    same_len("fold_in_place", lo.len(), hi.len());
    let be = checked(be);
    par::zip2(lo, hi, |l, h| dispatch!(be, fold_in_place(l, h, r)));
}

/// Binds the top variable of a table in place: `t[i] += r (t[i + n/2] - t[i])` for
/// `i < n/2`, and returns the low half (the bound table). `t.len()` must be even.
pub fn bind_top<P: FpParams>(table: &mut [Fp<P>], r: Fp<P>) -> &mut [Fp<P>] {
    assert!(
        table.len().is_multiple_of(2),
        "kaizen-field: bind_top: odd table length {}",
        table.len()
    );
    let half = table.len() / 2;
    let (lo, hi) = table.split_at_mut(half);
    fold_in_place(lo, hi, r);
    lo
}

/// `out[x] = s * eq(point, x)` for `x` in `{0,1}^k`, `out.len() == 2^k`, `k = point.len()`,
/// with `point[0]` the most significant index bit (see the module doc).
///
/// Builds from the last variable to the first: after handling `point[j..]` the prefix of
/// length `2^(k-j)` holds the table of those variables; handling `point[j-1]` splits every
/// entry `e` into `e (1 - r)` (low half) and `e r` (high half), making it the new top bit.
/// Cost: `2^k` multiplications.
pub fn eq_expand<P: FpParams>(out: &mut [Fp<P>], point: &[Fp<P>], s: Fp<P>) {
    eq_expand_with(backend(), out, point, s)
}
/// [`eq_expand`] on a given backend.
pub fn eq_expand_with<P: FpParams>(be: Backend, out: &mut [Fp<P>], point: &[Fp<P>], s: Fp<P>) {
    let k = point.len();
    assert!(
        k < usize::BITS as usize,
        "kaizen-field: eq_expand: {k} variables"
    );
    same_len("eq_expand", out.len(), 1usize << k);
    let be = checked(be);
    out[0] = s;
    for (j, r) in point.iter().enumerate().rev() {
        let half = 1usize << (k - 1 - j);
        let (lo, hi) = out[..2 * half].split_at_mut(half);
        let r = *r;
        if par::worth_splitting(half) {
            use rayon::prelude::*;
            lo.par_chunks_mut(par::CHUNK)
                .zip(hi.par_chunks_mut(par::CHUNK))
                .for_each(|(l, h)| dispatch!(be, eq_step(l, h, r)));
        } else {
            dispatch!(be, eq_step(lo, hi, r));
        }
    }
}

/// `values[i] = values[i]^-1` (zeros stay zero). `scratch` must have the same length.
/// Chunks of fixed size are inverted independently (one field inversion per chunk).
pub fn batch_inverse<P: FpParams>(values: &mut [Fp<P>], scratch: &mut [Fp<P>]) {
    same_len("batch_inverse", values.len(), scratch.len());
    if par::worth_splitting(values.len()) {
        use rayon::prelude::*;
        values
            .par_chunks_mut(par::CHUNK)
            .zip(scratch.par_chunks_mut(par::CHUNK))
            .for_each(|(v, s)| portable::batch_inverse(v, s));
    } else {
        portable::batch_inverse(values, scratch)
    }
}

/// `out[i] = small[i] * b[i]` for small integers (never widened to a field element first).
pub fn mul_small<P: FpParams, S: SmallInt>(out: &mut [Fp<P>], small: &[S], b: &[Fp<P>]) {
    mul_small_with(backend(), out, small, b)
}
/// [`mul_small`] on a given backend.
pub fn mul_small_with<P: FpParams, S: SmallInt>(
    be: Backend,
    out: &mut [Fp<P>],
    small: &[S],
    b: &[Fp<P>],
) {
    same_len("mul_small", out.len(), small.len());
    same_len("mul_small", small.len(), b.len());
    let be = checked(be);
    par::zip3(out, small, b, |o, s, y| dispatch!(be, mul_small(o, s, y)));
}

/// The field part of a batch of affine point additions once the slope denominators are
/// inverted: `l = num[i] dinv[i]`, `x3[i] = l^2 - sum_x[i]`, `y3[i] = l (x1[i] - x3[i]) -
/// y1[i]` (fused: every input is read once). Meant for batches of a few thousand, so it
/// never splits across threads; AVX-512 IFMA has its own kernel, other backends run the
/// portable loop (scalar asm multiplications). All lengths must match.
pub fn slope_step<P: FpParams>(
    x3: &mut [Fp<P>],
    y3: &mut [Fp<P>],
    num: &[Fp<P>],
    dinv: &[Fp<P>],
    sum_x: &[Fp<P>],
    x1: &[Fp<P>],
    y1: &[Fp<P>],
) {
    slope_step_with(backend(), x3, y3, num, dinv, sum_x, x1, y1)
}
/// [`slope_step`] on a given backend.
pub fn slope_step_with<P: FpParams>(
    be: Backend,
    x3: &mut [Fp<P>],
    y3: &mut [Fp<P>],
    num: &[Fp<P>],
    dinv: &[Fp<P>],
    sum_x: &[Fp<P>],
    x1: &[Fp<P>],
    y1: &[Fp<P>],
) {
    let n = x3.len();
    for (what, len) in [
        ("y3", y3.len()),
        ("num", num.len()),
        ("dinv", dinv.len()),
        ("sum_x", sum_x.len()),
        ("x1", x1.len()),
        ("y1", y1.len()),
    ] {
        same_len(what, n, len);
    }
    match checked(be) {
        #[cfg(target_arch = "x86_64")]
        Backend::Avx512 => avx512::slope_step(x3, y3, num, dinv, sum_x, x1, y1),
        _ => portable::slope_step(x3, y3, num, dinv, sum_x, x1, y1),
    }
}
