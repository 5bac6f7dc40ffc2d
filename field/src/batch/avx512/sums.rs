//! IFMA kernels of sumcheck rounds (see `batch::sums` for the math): the two-factor round
//! sums `Σ a_lo b_lo`, `Σ (a_hi − a_lo)(b_hi − b_lo)` alone and fused with the bind of the
//! previous round, and the eq-weighted three-factor sums at `0, 2, ∞`.
//!
//! Tails: lanes past `n` load as zero, so a difference lane is `0 + p − 0 = p` and every
//! product there is `≡ 0 (mod p)`: it adds a multiple of `p` (within the same bounds) to the
//! accumulator, which the final reduction removes.
//!
//! # Unscaled products
//!
//! The kernels in `avx512.rs` multiply by `B = 16 B0` so that a 260-bit Montgomery product
//! gives the 256-bit one. Here both operands are computed in registers, so the sums use
//! unscaled operands instead: `T = mont260(X, Y) ≡ X Y 2^-260`, i.e. as raw Montgomery limbs
//! the element `x y / 16`. The accumulated lanes are flushed to an `Fp` (`super::flush`) and
//! multiplied by 16 once per call: exact, since the map is linear.
//!
//! Bounds per lane (`p < 2^254`): operands are normalised and `< 2p`, so
//! `T < 4 p^2 / 2^260 + p < 1.07 p` (limb 4 `< 2^46`), limbs `< 2^57` (`ifma::mont_round`).
//! One product per accumulator per iteration, normalised every `IP_NORMALIZE` iterations
//! (32 products: limbs `< 2^52 + 32 (20 · 2^52 + 2^9) < 2^62`) and flushed every `IP_FLUSH`
//! iterations (`2^14` products: limb 4 `< 2^60`), the same schedule as `inner_product_k`
//! with half its products, so its bounds hold a fortiori.
//!
//! Fused bind (`bind_prod2_sums_k`): per lane `d = src + p − dst` normalised in `[1, 2p)`,
//! `reduce(reduce(mont(d, 16 r)) + dst)` is `dst + r (src − dst)` fully reduced (the `fold`
//! kernel's steps, `T < 1.5 p`); the bound values are stored, and their sums accumulated
//! while still in registers. No memory is read twice.

use core::arch::x86_64::*;

use super::ifma::{self, Ctx, N};
use super::{
    available, flush, load52, ptr, ptr_mut, splat_x16, store52, IP_FLUSH, IP_NORMALIZE, W,
};
use crate::batch::portable;
use crate::fp::{Fp, FpParams};
use crate::traits::Field;

/// `x + p − y`, normalised (`[1, 2p)` for `x, y < p`): a valid multiplicand.
#[inline(always)]
unsafe fn diff(c: &Ctx, x: &[__m512i; N], y: &[__m512i; N]) -> [__m512i; N] {
    let mut d = ifma::sub_plus_p(c, x, y);
    ifma::normalize(c, &mut d);
    d
}

/// Accumulates `t` into `acc` and keeps the bounds of the module doc (iteration `it`).
#[inline(always)]
unsafe fn accumulate<P: FpParams>(
    c: &Ctx,
    acc: &mut [__m512i; N],
    total: &mut Fp<P>,
    t: &[__m512i; N],
    it: usize,
) {
    *acc = ifma::add(acc, t);
    if (it + 1).is_multiple_of(IP_NORMALIZE) {
        ifma::normalize(c, acc);
    }
    if (it + 1).is_multiple_of(IP_FLUSH) {
        *total += flush::<P>(c, acc);
    }
}

/// The unscaled sums times 16 (see the module doc).
#[inline(always)]
unsafe fn finish<P: FpParams>(
    c: &Ctx,
    acc: &mut [[__m512i; N]; 2],
    total: [Fp<P>; 2],
) -> (Fp<P>, Fp<P>) {
    let sixteen = <Fp<P> as Field>::from_u64(16);
    let s0 = total[0] + flush::<P>(c, &mut acc[0]);
    let s1 = total[1] + flush::<P>(c, &mut acc[1]);
    (s0 * sixteen, s1 * sixteen)
}

/// Contract: the CPU has the features; `a_lo, a_hi, b_lo, b_hi` are valid for `4 n` u64
/// reads. Lanes past `n` add multiples of `p` (module doc, "Tails").
#[target_feature(enable = "avx512f,avx512ifma,avx512vl,avx512bw,avx512dq,avx512vbmi2")]
unsafe fn prod2_sums_k<P: FpParams>(src: [*const u64; 4], n: usize) -> (Fp<P>, Fp<P>) {
    let c = Ctx::new::<P>();
    let [a_lo, a_hi, b_lo, b_hi] = src;
    let z = _mm512_setzero_si512();
    let mut acc = [[z; N]; 2];
    let mut total = [Fp::<P>::ZERO; 2];
    for (it, i) in (0..n).step_by(W).enumerate() {
        let al = load52::<false>(&c, a_lo, i, n);
        let ah = load52::<false>(&c, a_hi, i, n);
        let bl = load52::<false>(&c, b_lo, i, n);
        let bh = load52::<false>(&c, b_hi, i, n);
        // a_lo b_lo and (a_hi - a_lo)(b_hi - b_lo), operands < 2p: T < 1.07 p each.
        let [t0, t1] = ifma::mont_mul2(&c, &[al, diff(&c, &ah, &al)], &[bl, diff(&c, &bh, &bl)]);
        let [acc0, acc1] = &mut acc;
        let [tot0, tot1] = &mut total;
        accumulate(&c, acc0, tot0, &t0, it);
        accumulate(&c, acc1, tot1, &t1, it);
    }
    finish(&c, &mut acc, total)
}

/// Contract: the CPU has the features; `dst = [a0, a1, b0, b1]` valid for `4 n` u64 reads
/// and writes, `src = [a2, a3, b2, b3]` for `4 n` u64 reads, the eight ranges pairwise
/// disjoint. Blocks at or past `n` are neither read nor written.
#[target_feature(enable = "avx512f,avx512ifma,avx512vl,avx512bw,avx512dq,avx512vbmi2")]
unsafe fn bind_prod2_sums_k<P: FpParams>(
    dst: [*mut u64; 4],
    src: [*const u64; 4],
    r: &Fp<P>,
    n: usize,
) -> (Fp<P>, Fp<P>) {
    let c = Ctx::new::<P>();
    let r16 = splat_x16(r);
    let z = _mm512_setzero_si512();
    let mut acc = [[z; N]; 2];
    let mut total = [Fp::<P>::ZERO; 2];
    for (it, i) in (0..n).step_by(W).enumerate() {
        let lo = [
            load52::<false>(&c, dst[0], i, n),
            load52::<false>(&c, dst[1], i, n),
            load52::<false>(&c, dst[2], i, n),
            load52::<false>(&c, dst[3], i, n),
        ];
        let hi = [
            load52::<false>(&c, src[0], i, n),
            load52::<false>(&c, src[1], i, n),
            load52::<false>(&c, src[2], i, n),
            load52::<false>(&c, src[3], i, n),
        ];
        let d = [
            diff(&c, &hi[0], &lo[0]),
            diff(&c, &hi[1], &lo[1]),
            diff(&c, &hi[2], &lo[2]),
            diff(&c, &hi[3], &lo[3]),
        ];
        // r (hi - lo), T < 1.5 p; then lo + reduce(T) < 2p, reduced: the bound value < p.
        let ta = ifma::mont_mul2(&c, &[d[0], d[1]], &[r16; 2]);
        let tb = ifma::mont_mul2(&c, &[d[2], d[3]], &[r16; 2]);
        let fold = |t: &[__m512i; N], l: &[__m512i; N]| {
            ifma::reduce_once(&c, ifma::add(&ifma::reduce_once(&c, *t), l))
        };
        let bound = [
            fold(&ta[0], &lo[0]),
            fold(&ta[1], &lo[1]),
            fold(&tb[0], &lo[2]),
            fold(&tb[1], &lo[3]),
        ];
        for k in 0..4 {
            store52(dst[k], i, n, &bound[k]);
        }
        // Next round's sums over the bound pair: a0' b0' and (a1' - a0')(b1' - b0').
        let [a0, a1, b0, b1] = &bound;
        let [t0, t1] = ifma::mont_mul2(&c, &[*a0, diff(&c, a1, a0)], &[*b0, diff(&c, b1, b0)]);
        let [acc0, acc1] = &mut acc;
        let [tot0, tot1] = &mut total;
        accumulate(&c, acc0, tot0, &t0, it);
        accumulate(&c, acc1, tot1, &t1, it);
    }
    finish(&c, &mut acc, total)
}

/// `x · 16^3`: each of the three unscaled products behind a term of [`eq_prod3_sums_k`]
/// contributes a factor `1/16` (raw `E V 2^-260 = (e v / 16) 2^256`, then the product of two
/// such values once more).
#[inline(always)]
fn times4096<P: FpParams>(x: Fp<P>) -> Fp<P> {
    x * <Fp<P> as Field>::from_u64(4096)
}

/// Contract: the CPU has the features; `src = [e, lo0, lo1, lo2, hi0, hi1, hi2]` each valid
/// for `4 n` u64 reads. Two blocks of 8 per iteration (`i + 8` may lie past `n`: it loads as
/// zero and adds multiples of `p`, module doc, "Tails").
///
/// Per lane and point `t ∈ {0, 2, ∞}`: `v_k = lo_k`, `hi_k + d_k` or `d_k` (`d_k = hi_k + p −
/// lo_k`, normalised, `< 2p`; `hi + d < 3p`), then `a = mont(e, v_0)`, `b = mont(v_1, v_2)`
/// (unscaled: `e v_0 / 16` and `v_1 v_2 / 16` as elements), both normalised, and
/// `mont(a, b)` (`e v_0 v_1 v_2 / 16^3`) accumulated. Bounds: `a < 3p^2/2^260 + p < 1.2 p`,
/// `b < 9p^2/2^260 + p < 1.6 p`, `mont(a, b) < 1.92 p^2 / 2^260 + p < 1.12 p` (limb 4
/// `< 2^46.2`); limbs `< 2^57` per product, two per accumulator per iteration: the
/// `inner_product_k` schedule (normalise every `IP_NORMALIZE`, flush every `IP_FLUSH`
/// iterations) keeps limbs `< 2^62.4` and limb 4 `< 2^61.2`.
#[target_feature(enable = "avx512f,avx512ifma,avx512vl,avx512bw,avx512dq,avx512vbmi2")]
unsafe fn eq_prod3_sums_k<P: FpParams>(src: [*const u64; 7], n: usize) -> [Fp<P>; 3] {
    let c = Ctx::new::<P>();
    let z = _mm512_setzero_si512();
    let mut acc = [[z; N]; 3];
    let mut total = [Fp::<P>::ZERO; 3];
    let norm = |mut t: [__m512i; N]| {
        ifma::normalize(&c, &mut t);
        t
    };
    for (it, i) in (0..n).step_by(2 * W).enumerate() {
        // First stage, per block h and point: a = e v0, b = v1 v2 (normalised).
        let mut a = [[[z; N]; 2]; 3]; // [point][block]
        let mut b = [[[z; N]; 2]; 3];
        for h in 0..2 {
            let at = i + h * W;
            let e = load52::<false>(&c, src[0], at, n);
            let lo = [
                load52::<false>(&c, src[1], at, n),
                load52::<false>(&c, src[2], at, n),
                load52::<false>(&c, src[3], at, n),
            ];
            let hi = [
                load52::<false>(&c, src[4], at, n),
                load52::<false>(&c, src[5], at, n),
                load52::<false>(&c, src[6], at, n),
            ];
            let d = [
                diff(&c, &hi[0], &lo[0]),
                diff(&c, &hi[1], &lo[1]),
                diff(&c, &hi[2], &lo[2]),
            ];
            // hi + d < 3p: lane-wise add of normalised limbs, normalised again.
            let two = [
                norm(ifma::add(&hi[0], &d[0])),
                norm(ifma::add(&hi[1], &d[1])),
                norm(ifma::add(&hi[2], &d[2])),
            ];
            for (pt, v) in [lo, two, d].iter().enumerate() {
                let [x, y] = ifma::mont_mul2(&c, &[e, v[1]], &[v[0], v[2]]);
                a[pt][h] = norm(x);
                b[pt][h] = norm(y);
            }
        }
        // Second stage: mont(a, b) for both blocks of each point, accumulated.
        for pt in 0..3 {
            let [t0, t1] = ifma::mont_mul2(&c, &a[pt], &b[pt]);
            let (acc_p, tot_p) = (&mut acc[pt], &mut total[pt]);
            accumulate(&c, acc_p, tot_p, &ifma::add(&t0, &t1), it);
        }
    }
    let mut out = [Fp::<P>::ZERO; 3];
    for pt in 0..3 {
        out[pt] = times4096(total[pt] + flush::<P>(&c, &mut acc[pt]));
    }
    out
}

// Safe wrappers (portable signatures). SAFETY (each call): `available()` was checked just
// before; pointers come from slices of at least `n` elements; `&mut` slices are disjoint
// from every other slice.

/// `(Σ a_lo b_lo, Σ (a_hi − a_lo)(b_hi − b_lo))`.
pub fn prod2_sums<P: FpParams>(
    a_lo: &[Fp<P>],
    a_hi: &[Fp<P>],
    b_lo: &[Fp<P>],
    b_hi: &[Fp<P>],
) -> (Fp<P>, Fp<P>) {
    if !available() {
        return portable::prod2_sums(a_lo, a_hi, b_lo, b_hi);
    }
    let n = a_lo.len().min(a_hi.len()).min(b_lo.len()).min(b_hi.len());
    // SAFETY: see above.
    unsafe { prod2_sums_k::<P>([ptr(a_lo), ptr(a_hi), ptr(b_lo), ptr(b_hi)], n) }
}

/// Binds `lo[k] += r (hi[k] − lo[k])` for the four pairs `(a0, a2), (a1, a3), (b0, b2),
/// (b1, b3)` and returns `prod2_sums(a0, a1, b0, b1)` of the bound values.
pub fn bind_prod2_sums<P: FpParams>(
    lo: [&mut [Fp<P>]; 4],
    hi: [&[Fp<P>]; 4],
    r: Fp<P>,
) -> (Fp<P>, Fp<P>) {
    if !available() {
        return portable::bind_prod2_sums(lo, hi, r);
    }
    let n = lo
        .iter()
        .map(|s| s.len())
        .chain(hi.iter().map(|s| s.len()))
        .min()
        .unwrap_or(0);
    let [a0, a1, b0, b1] = lo;
    let dst = [ptr_mut(a0), ptr_mut(a1), ptr_mut(b0), ptr_mut(b1)];
    let src = hi.map(ptr);
    // SAFETY: see above.
    unsafe { bind_prod2_sums_k::<P>(dst, src, &r, n) }
}

/// `[Σ e Π lo_k, Σ e Π (2 hi_k − lo_k), Σ e Π (hi_k − lo_k)]` over three factors `k`.
pub fn eq_prod3_sums<P: FpParams>(e: &[Fp<P>], lo: [&[Fp<P>]; 3], hi: [&[Fp<P>]; 3]) -> [Fp<P>; 3] {
    if !available() {
        return portable::eq_prod3_sums(e, lo, hi);
    }
    let n = lo
        .iter()
        .chain(&hi)
        .map(|s| s.len())
        .fold(e.len(), usize::min);
    let src = [
        ptr(e),
        ptr(lo[0]),
        ptr(lo[1]),
        ptr(lo[2]),
        ptr(hi[0]),
        ptr(hi[1]),
        ptr(hi[2]),
    ];
    // SAFETY: see above.
    unsafe { eq_prod3_sums_k::<P>(src, n) }
}
