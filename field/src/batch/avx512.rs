//! AVX-512 IFMA batch kernels: 8 field elements per vector, five 52-bit limbs each.
//!
//! Preconditions (from `fp.rs`): `p` odd, `p < 2^254` (top 64-bit limb `< 2^62`, checked at
//! compile time in `ifma::Consts`); every `Fp` read is `< p`. Every kernel returns exactly
//! the portable kernel's result (the unique fully reduced representative), which
//! `tests/backends.rs` checks element for element.
//!
//! # Representation
//!
//! Memory holds `A = a 2^256 mod p` as `[u64; 4]` little endian (`fp.rs`). A block of 8
//! elements is loaded with four masked `vmovdqu64`, transposed by eight `vpermt2q` to four
//! limb-major vectors, and split into five 52-bit limbs (shifts and `vpternlogq`): lane `e`
//! of vector `j` holds bits `52 j .. 52 j + 52` of element `e`. Stores run the same steps
//! backwards. Tails (`len % 8 != 0`) use the same code with masked loads and stores, so no
//! lane outside the slice is read or written; slices need no alignment.
//!
//! # Montgomery product with `R' = 2^260`
//!
//! Five IFMA rounds (`vpmadd52luq` / `vpmadd52huq`, see `ifma::mont_round`) compute
//! `T = (A B + M p) / 2^260 ≡ A B 2^-260` for normalised `A, B`. With `B = 16 B0` (a 4-bit
//! shift folded into the radix conversion: `16 B0 < 16 p < 2^258` fits in 260 bits) this is
//! `A B0 2^-256`, the portable Montgomery product. Bound: `M < 2^260`, so
//! `T < A 16 p / 2^260 + p`, i.e. `T < 1.25 p` for `A < p` and `T < 1.5 p` for `A < 2p`
//! (both use `p < 2^254`); one conditional subtraction (`ifma::reduce_once`) then gives
//! the fully reduced result. Accumulator limbs stay `< 2^57` throughout (see
//! `ifma::mont_round`), far from the 64-bit lane limit.
//!
//! Per kernel (values per lane; "reduce" = `ifma::reduce_once`, input in `[0, 2p)`):
//! - `mul`, `mul_assign`, `scale`: `reduce(T)`, `T < 1.25 p`. `scale` converts `16 s` once.
//! - `mul_add`: `x = reduce(T) + out < 2p`, then `reduce(x)`.
//! - `fold`, `fold_in_place`: `d = hi + p - lo ∈ [1, 2p)` (normalised, so `A < 2p`),
//!   `T = mont(d, 16 r) < 1.5 p`, `x = reduce(T) + lo < 2p`, `reduce(x)`. Since
//!   `d ≡ hi - lo`, this is `lo + r (hi - lo)` exactly as the portable code computes it.
//! - `eq_step`: `h = reduce(mont(lo, 16 r))`, `lo' = reduce(lo + p - h)` (`lo + p - h` is in
//!   `[1, 2p)`).
//! - `inner_product`: the unreduced `T < 1.25 p` are summed limb-wise, two products per lane
//!   per iteration. A product's limbs are `< 20 * 2^52 + 2^9` (`ifma::mont_round`), so
//!   after 64 products (every `IP_NORMALIZE` iterations) a limb is
//!   `< 2^52 + 64 (20 * 2^52 + 2^9) < 2^62.4`, and the accumulator is carry-normalised (arithmetic shifts are safe
//!   below 2^63). Limb 4 only grows with the value (all limbs are non-negative, so
//!   `acc_4 <= V / 2^208 < products * 1.25 p / 2^208 < products * 2^46`); it is flushed to
//!   an `Fp` every `IP_FLUSH` iterations (`2^15` products, `acc_4 < 2^61`). A flush splits
//!   each lane's `V = lo + hi 2^256` and adds `reduce(lo) + Fp::from_u64(hi)` (the
//!   Montgomery limbs of `hi 2^256 mod p` are exactly those of `from_u64(hi)`). Field
//!   addition is exact, so the sum equals the portable one whatever the grouping.
//! - `mul_small`: `X = Y |k|` (`|k| <= 2^32`) gets one Montgomery round,
//!   `X' = (X + m p) / 2^52 < 1.0001 p`, normalised, then `mont(X', 2^312 mod p)`
//!   `= X 2^-52 2^312 2^-260 = Y |k|`, `< 1.25 p`; `reduce`, then for `k < 0`
//!   `reduce(p - x)` (which maps `x = 0` to 0).
//! - `add`, `sub`, `batch_inverse` are the portable kernels. Portable `add` is 4.0 ns/elem;
//!   the radix conversion alone for two loads and a store costs about 1.7 ns/elem, so an
//!   IFMA-layout add cannot gain much; a radix-2^64 AVX-512 add (mask-register carry chain,
//!   no conversion) is not written yet. Batch inversion is a sequential product chain.
//!
//! # Measured
//!
//! Dev box (AMD EPYC Zen 4, 2 vCPUs shared, single thread, `fr`, 2^16 elements, best of
//! ~40 runs, thread CPU time), ns/elem, IFMA vs portable: mul 6.3 vs 16.7 before pipelining,
//! 5.2 after (`kaizen bench field`: `fr.batch_mul.avx512` 5.18 vs arkworks' loop 19.0), scale 5.7 vs 16.7, mul_add 8.1 vs
//! 21.7, inner_product 4.6 vs 20.4, fold 8.2 vs 22.3, eq_step 7.4 vs 19.2, mul_small(i32)
//! 8.4 vs 36.4. A lone zmm IFMA issues every 0.275 ns, so the 100 IFMAs per 8 products
//! floor a product at 3.4 ns/elem; load + transpose + radix change and back for one array
//! (no arithmetic) costs 1.15 ns/elem.
//!
//! # Safety argument
//!
//! The inner kernels are `unsafe fn`s with `#[target_feature(enable = "avx512f,avx512ifma,
//! avx512vl,avx512bw,avx512dq,avx512vbmi2")]`. The dispatcher in `batch/mod.rs` only calls this module
//! after `Backend::Avx512.is_available()` held (`Backend::require` at resolution, `checked`
//! in the `*_with` functions). Because this module is public, each safe wrapper also checks
//! [`available`] itself (std caches the CPUID result: a few relaxed loads per chunk, not per
//! element) and falls back to the portable kernel when the features are absent, so no safe
//! call can execute an unsupported instruction. Memory safety: every kernel takes `n` as the
//! minimum of its slices' lengths and touches only elements `< n` (masked tails).

mod ifma;
mod sums;

use core::arch::x86_64::*;

use self::ifma::{Consts, Ctx, FULL, N};
use super::portable;
use crate::fp::{Fp, FpParams};
use crate::traits::Field;
use crate::{Backend, SmallInt};

pub use self::sums::{bind_prod2_sums, eq_prod3_sums, prod2_sums};
pub use super::portable::{add, batch_inverse, sub};

/// Elements per vector.
const W: usize = 8;

/// Inner-product iterations (two products per lane each) between carry normalisations of
/// the accumulator: 64 products keep every limb `< 2^62.4` (bound in the module doc).
const IP_NORMALIZE: usize = 32;

/// Inner-product iterations between flushes of the accumulator to an `Fp`: limb 4 grows by
/// `< 2^46` per product, so `2^15` products keep it `< 2^61`.
const IP_FLUSH: usize = 1 << 14;

/// Whether this CPU has every feature the kernels are compiled for.
#[inline]
pub fn available() -> bool {
    Backend::Avx512.is_available()
}

// ---------------------------------------------------------------------------------------
// Block helpers: `#[inline(always)]`, no `#[target_feature]` (see `ifma.rs`, "Safety"); only
// called from the `#[target_feature]` kernels below. Safety of each: the CPU has the
// features, and `src` / `dst` is valid for reading / writing `4 n` u64.
// ---------------------------------------------------------------------------------------

/// Elements `i .. min(i + 8, n)` in radix 2^52 (see [`ifma::to52`], or [`ifma::to52_x16`]
/// when `X16`); lanes past `n` are zero, and a block with `i >= n` is all zero without
/// touching memory.
#[inline(always)]
unsafe fn load52<const X16: bool>(c: &Ctx, src: *const u64, i: usize, n: usize) -> [__m512i; N] {
    if i >= n {
        return [_mm512_setzero_si512(); N];
    }
    let k = if n - i >= W { FULL } else { ifma::masks(n - i) };
    // `i < n`, so `src + 4i` is in bounds; the masks cover elements `i..n` only.
    let l = ifma::load_transposed(src.add(4 * i), &k);
    if X16 {
        ifma::to52_x16(c, &l)
    } else {
        ifma::to52(c, &l)
    }
}

/// Stores the normalised, `< p` radix-2^52 block `x` to elements `i .. min(i + 8, n)`
/// (nothing when `i >= n`).
#[inline(always)]
unsafe fn store52(dst: *mut u64, i: usize, n: usize, x: &[__m512i; N]) {
    if i >= n {
        return;
    }
    let k = if n - i >= W { FULL } else { ifma::masks(n - i) };
    ifma::store_transposed(dst.add(4 * i), &ifma::from52(x), &k)
}

/// `16 s` in radix 2^52, broadcast (the fixed operand of `scale`, `fold`, `eq_step`).
#[inline(always)]
unsafe fn splat_x16<P: FpParams>(s: &Fp<P>) -> [__m512i; N] {
    ifma::splat(&ifma::to_radix52_x16(&s.mont_limbs()))
}

fn ptr<P>(x: &[Fp<P>]) -> *const u64 {
    x.as_ptr().cast()
}

fn ptr_mut<P>(x: &mut [Fp<P>]) -> *mut u64 {
    x.as_mut_ptr().cast()
}

// ---------------------------------------------------------------------------------------
// Kernels. Contract of every `unsafe fn` below: the CPU supports the enabled features, and
// each pointer is valid for `4 n` u64 reads (inputs) or reads and writes (outputs). Output
// pointers may equal input pointers (the in-place forms): every block pair is loaded before
// it is stored. Each iteration handles two blocks of 8 at `i` and `j = i + 8` (see
// [`ifma::mont_mul2`]); `j` may lie past `n`, and the block helpers then skip memory.
// ---------------------------------------------------------------------------------------

/// Software-pipelined: iteration `i` multiplies the block pair at `i`, `i + 8` and, between
/// its IFMA rounds, reduces and stores the pair of the previous iteration (`T < 1.25 p`
/// each, see [`ifma::mont_mul2`]); the last pair is stored after the loop. In place
/// (`out == a`) stays correct: a pair is stored only after it was loaded, and a store never
/// touches a pair that is still to be loaded.
#[target_feature(enable = "avx512f,avx512ifma,avx512vl,avx512bw,avx512dq,avx512vbmi2")]
unsafe fn mul_k<P: FpParams>(out: *mut u64, a: *const u64, b: *const u64, n: usize) {
    let c = Ctx::new::<P>();
    if n == 0 {
        return;
    }
    let load = |i: usize| {
        let j = i + W;
        let a52 = [load52::<false>(&c, a, i, n), load52::<false>(&c, a, j, n)];
        let b52 = [load52::<true>(&c, b, i, n), load52::<true>(&c, b, j, n)];
        (a52, b52)
    };
    let (a52, b52) = load(0);
    let mut prev = ifma::mont_mul2(&c, &a52, &b52); // < 1.25 p each
    let mut pi = 0;
    for i in (2 * W..n).step_by(2 * W) {
        let (a52, b52) = load(i);
        let p = prev;
        let t = ifma::mont_mul2_with(&c, &a52, &b52, |r| match r {
            1 => store52(out, pi, n, &ifma::reduce_once(&c, p[0])),
            3 => store52(out, pi + W, n, &ifma::reduce_once(&c, p[1])),
            _ => {}
        });
        prev = t;
        pi = i;
    }
    store52(out, pi, n, &ifma::reduce_once(&c, prev[0]));
    store52(out, pi + W, n, &ifma::reduce_once(&c, prev[1]));
}

/// `16 v` for a normalised `v < p`: limbs shifted by 4 (`< 2^56`), then carries; the value
/// `16 v < 2^258` leaves a normalised result (the `B = 16 B0` operand of a product).
#[inline(always)]
unsafe fn times16(c: &Ctx, v: &[__m512i; N]) -> [__m512i; N] {
    let mut t = [_mm512_setzero_si512(); N];
    for j in 0..N {
        t[j] = _mm512_slli_epi64::<4>(v[j]);
    }
    ifma::normalize(c, &mut t);
    t
}

/// [`slope_step`] on four blocks per iteration (two independent [`ifma::mont_mul2`] per
/// stage, so one pair's dependent chain of three products overlaps the other's). Bounds per
/// lane: `lambda = reduce(mont(num, 16 dinv))` (`T < 1.25 p`), `lambda^2 = reduce(mont(lambda,
/// 16 lambda))`, `x3 = reduce(lambda^2 + p - sum_x)` (`[1, 2p)`), `d = x1 + p - x3`
/// normalised in `[1, 2p)`, `mont(d, 16 lambda) < 1.5 p` reduced, `y3 = reduce(. + p - y1)`.
/// Every stored value is fully reduced, as the portable kernel's. The outputs must not
/// alias the inputs. Blocks at or past `n` load as zero and are not stored.
#[target_feature(enable = "avx512f,avx512ifma,avx512vl,avx512bw,avx512dq,avx512vbmi2")]
unsafe fn slope_step_k<P: FpParams>(x3: *mut u64, y3: *mut u64, inputs: [*const u64; 5], n: usize) {
    const B: usize = 4;
    let c = Ctx::new::<P>();
    let [num, dinv, sum_x, x1, y1] = inputs;
    let red = |t: [__m512i; N]| ifma::reduce_once(&c, t);
    for i in (0..n).step_by(B * W) {
        let at = |h: usize| i + h * W;
        let blocks = |src: *const u64| -> [[__m512i; N]; B] {
            core::array::from_fn(|h| load52::<false>(&c, src, at(h), n))
        };
        // Two independent block pairs per stage.
        let mul4 = |a: &[[__m512i; N]; B], b: &[[__m512i; N]; B]| -> [[__m512i; N]; B] {
            let lo = ifma::mont_mul2(&c, &[a[0], a[1]], &[b[0], b[1]]);
            let hi = ifma::mont_mul2(&c, &[a[2], a[3]], &[b[2], b[3]]);
            [lo[0], lo[1], hi[0], hi[1]]
        };
        let d16: [[__m512i; N]; B] = core::array::from_fn(|h| load52::<true>(&c, dinv, at(h), n));
        let t = mul4(&blocks(num), &d16);
        let lam: [[__m512i; N]; B] = core::array::from_fn(|h| red(t[h]));
        let lam16: [[__m512i; N]; B] = core::array::from_fn(|h| times16(&c, &lam[h]));
        let t = mul4(&lam, &lam16);
        let sx = blocks(sum_x);
        let xs: [[__m512i; N]; B] =
            core::array::from_fn(|h| red(ifma::sub_plus_p(&c, &red(t[h]), &sx[h])));
        let x1v = blocks(x1);
        let d: [[__m512i; N]; B] = core::array::from_fn(|h| {
            let mut d = ifma::sub_plus_p(&c, &x1v[h], &xs[h]);
            ifma::normalize(&c, &mut d);
            d
        });
        let t = mul4(&d, &lam16);
        let y1v = blocks(y1);
        for h in 0..B {
            store52(x3, at(h), n, &xs[h]);
            store52(
                y3,
                at(h),
                n,
                &red(ifma::sub_plus_p(&c, &red(t[h]), &y1v[h])),
            );
        }
    }
}

#[target_feature(enable = "avx512f,avx512ifma,avx512vl,avx512bw,avx512dq,avx512vbmi2")]
unsafe fn scale_k<P: FpParams>(out: *mut u64, a: *const u64, s: &Fp<P>, n: usize) {
    let c = Ctx::new::<P>();
    let s16 = splat_x16(s);
    for i in (0..n).step_by(2 * W) {
        let j = i + W;
        let a52 = [load52::<false>(&c, a, i, n), load52::<false>(&c, a, j, n)];
        let [t0, t1] = ifma::mont_mul2(&c, &a52, &[s16; 2]); // < 1.25 p each
        store52(out, i, n, &ifma::reduce_once(&c, t0));
        store52(out, j, n, &ifma::reduce_once(&c, t1));
    }
}

#[target_feature(enable = "avx512f,avx512ifma,avx512vl,avx512bw,avx512dq,avx512vbmi2")]
unsafe fn mul_add_k<P: FpParams>(out: *mut u64, a: *const u64, b: *const u64, n: usize) {
    let c = Ctx::new::<P>();
    for i in (0..n).step_by(2 * W) {
        let j = i + W;
        let a52 = [load52::<false>(&c, a, i, n), load52::<false>(&c, a, j, n)];
        let b52 = [load52::<true>(&c, b, i, n), load52::<true>(&c, b, j, n)];
        let [t0, t1] = ifma::mont_mul2(&c, &a52, &b52); // < 1.25 p each
                                                        // reduce(T) < p, + out < p: x < 2p, reduced once more.
        let x0 = ifma::add(&ifma::reduce_once(&c, t0), &load52::<false>(&c, out, i, n));
        store52(out, i, n, &ifma::reduce_once(&c, x0));
        let x1 = ifma::add(&ifma::reduce_once(&c, t1), &load52::<false>(&c, out, j, n));
        store52(out, j, n, &ifma::reduce_once(&c, x1));
    }
}

#[target_feature(enable = "avx512f,avx512ifma,avx512vl,avx512bw,avx512dq,avx512vbmi2")]
unsafe fn fold_k<P: FpParams>(out: *mut u64, lo: *const u64, hi: *const u64, r: &Fp<P>, n: usize) {
    let c = Ctx::new::<P>();
    let r16 = splat_x16(r);
    for i in (0..n).step_by(2 * W) {
        let j = i + W;
        let l52 = [load52::<false>(&c, lo, i, n), load52::<false>(&c, lo, j, n)];
        let h52 = [load52::<false>(&c, hi, i, n), load52::<false>(&c, hi, j, n)];
        // d = hi + p - lo in [1, 2p), normalised so it can be a multiplicand.
        let mut d = [
            ifma::sub_plus_p(&c, &h52[0], &l52[0]),
            ifma::sub_plus_p(&c, &h52[1], &l52[1]),
        ];
        ifma::normalize(&c, &mut d[0]);
        ifma::normalize(&c, &mut d[1]);
        let [t0, t1] = ifma::mont_mul2(&c, &d, &[r16; 2]); // < 1.5 p each
                                                           // reduce(T) < p, + lo < p: x < 2p, reduced once more.
        let x0 = ifma::add(&ifma::reduce_once(&c, t0), &l52[0]);
        store52(out, i, n, &ifma::reduce_once(&c, x0));
        let x1 = ifma::add(&ifma::reduce_once(&c, t1), &l52[1]);
        store52(out, j, n, &ifma::reduce_once(&c, x1));
    }
}

#[target_feature(enable = "avx512f,avx512ifma,avx512vl,avx512bw,avx512dq,avx512vbmi2")]
unsafe fn eq_step_k<P: FpParams>(lo: *mut u64, hi: *mut u64, r: &Fp<P>, n: usize) {
    let c = Ctx::new::<P>();
    let r16 = splat_x16(r);
    for i in (0..n).step_by(2 * W) {
        let j = i + W;
        let l52 = [load52::<false>(&c, lo, i, n), load52::<false>(&c, lo, j, n)];
        let [t0, t1] = ifma::mont_mul2(&c, &l52, &[r16; 2]); // < 1.25 p each
        for (k, t) in [(i, t0), (j, t1)] {
            let h = ifma::reduce_once(&c, t); // lo r, < p
                                              // lo + p - h in [1, 2p), reduced: lo - lo r.
            let l = ifma::reduce_once(&c, ifma::sub_plus_p(&c, &l52[(k - i) / W], &h));
            store52(hi, k, n, &h);
            store52(lo, k, n, &l);
        }
    }
}

/// Reduces the per-lane accumulator (limbs `< 2^63`) to one field element and clears it.
#[target_feature(enable = "avx512f,avx512ifma,avx512vl,avx512bw,avx512dq,avx512vbmi2")]
unsafe fn flush<P: FpParams>(c: &Ctx, acc: &mut [__m512i; N]) -> Fp<P> {
    ifma::normalize(c, acc);
    let mut lanes = [[0u64; W]; N];
    for j in 0..N {
        // `lanes[j]` is 64 writable bytes; `storeu` has no alignment requirement.
        _mm512_storeu_si512(lanes[j].as_mut_ptr().cast(), acc[j]);
        acc[j] = _mm512_setzero_si512();
    }
    let mut sum = Fp::<P>::ZERO;
    for e in 0..W {
        let x: [u64; N] = core::array::from_fn(|j| lanes[j][e]);
        // V = lo + hi 2^256 with limbs 0..3 < 2^52 and limb 4 < 2^63.
        let lo = [
            x[0] | (x[1] << 52),
            (x[1] >> 12) | (x[2] << 40),
            (x[2] >> 24) | (x[3] << 28),
            (x[3] >> 36) | (x[4] << 16),
        ];
        let hi = x[4] >> 48;
        // lo < 2^256 < 6p: five conditional subtractions make it < p (constant time).
        let mut red = lo;
        for _ in 0..5 {
            red = crate::mont::reduce_once(&red, &P::MODULUS);
        }
        sum += Fp::from_mont_limbs(red) + <Fp<P> as Field>::from_u64(hi);
    }
    sum
}

#[target_feature(enable = "avx512f,avx512ifma,avx512vl,avx512bw,avx512dq,avx512vbmi2")]
unsafe fn inner_product_k<P: FpParams>(a: *const u64, b: *const u64, n: usize) -> Fp<P> {
    let c = Ctx::new::<P>();
    let mut acc = [_mm512_setzero_si512(); N];
    let mut total = Fp::<P>::ZERO;
    for (it, i) in (0..n).step_by(2 * W).enumerate() {
        let j = i + W;
        // Lanes past `n` load as 0 and contribute mont(0, 0) = 0.
        let a52 = [load52::<false>(&c, a, i, n), load52::<false>(&c, a, j, n)];
        let b52 = [load52::<true>(&c, b, i, n), load52::<true>(&c, b, j, n)];
        let [t0, t1] = ifma::mont_mul2(&c, &a52, &b52);
        // Two products per lane per iteration, limbs < 2^57 each.
        acc = ifma::add(&acc, &ifma::add(&t0, &t1));
        if (it + 1) % IP_NORMALIZE == 0 {
            ifma::normalize(&c, &mut acc);
        }
        if (it + 1) % IP_FLUSH == 0 {
            total += flush::<P>(&c, &mut acc);
        }
    }
    total + flush::<P>(&c, &mut acc)
}

/// `small[i..i+8]` (zero past `n`) as 64-bit lanes.
#[inline(always)]
unsafe fn load_small<S: SmallInt>(small: &[S], i: usize, n: usize) -> __m512i {
    let mut s = [0i64; W];
    if i < n {
        for (d, x) in s.iter_mut().zip(&small[i..n.min(i + W)]) {
            *d = x.to_i64();
        }
    }
    // `s` is 64 readable bytes.
    _mm512_loadu_si512(s.as_ptr().cast())
}

#[target_feature(enable = "avx512f,avx512ifma,avx512vl,avx512bw,avx512dq,avx512vbmi2")]
unsafe fn mul_small_k<P: FpParams, S: SmallInt>(
    out: *mut u64,
    small: &[S],
    b: *const u64,
    n: usize,
) {
    let c = Ctx::new::<P>();
    let c312 = ifma::splat(&Consts::<P>::C312);
    let z = _mm512_setzero_si512();
    for i in (0..n).step_by(2 * W) {
        let j = i + W;
        let s = [load_small(small, i, n), load_small(small, j, n)];
        let y52 = [load52::<false>(&c, b, i, n), load52::<false>(&c, b, j, n)];
        // One round: X' = (Y |k| + m p) / 2^52 < p (2^32 + 2^52) / 2^52 < 1.0001 p
        // (|k| <= 2^32 < 2^52 is a valid multiplicand), normalised for the next product.
        let mut x = [[z; N]; 2];
        for h in 0..2 {
            let k = _mm512_abs_epi64(s[h]);
            x[h][0] = _mm512_madd52lo_epu64(z, y52[h][0], k);
            ifma::mont_round(&c, &mut x[h], &y52[h], k, None);
            ifma::normalize(&c, &mut x[h]);
        }
        // mont(X', 2^312 mod p) = Y |k| mod p, < 1.25 p.
        let t = ifma::mont_mul2(&c, &x, &[c312; 2]);
        for h in 0..2 {
            let y = ifma::reduce_once(&c, t[h]);
            // k < 0: p - y in [1, p]; the reduction maps p to 0.
            let mut r = ifma::reduce_once(&c, ifma::sub_plus_p(&c, &[z; N], &y));
            let positive = _mm512_movepi64_mask(s[h]) ^ 0xff;
            for l in 0..N {
                r[l] = _mm512_mask_blend_epi64(positive, r[l], y[l]);
            }
            store52(out, i + h * W, n, &r);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Safe wrappers: portable signatures. SAFETY (each call): `available()` was checked just
// before; pointers come from slices of at least `n` elements.
// ---------------------------------------------------------------------------------------

/// `lambda = num[i] dinv[i]`, `x3[i] = lambda^2 - sum_x[i]`, `y3[i] = lambda (x1[i] - x3[i])
/// - y1[i]` (see `batch::slope_step`).
pub fn slope_step<P: FpParams>(
    x3: &mut [Fp<P>],
    y3: &mut [Fp<P>],
    num: &[Fp<P>],
    dinv: &[Fp<P>],
    sum_x: &[Fp<P>],
    x1: &[Fp<P>],
    y1: &[Fp<P>],
) {
    if !available() {
        return portable::slope_step(x3, y3, num, dinv, sum_x, x1, y1);
    }
    let n = [
        x3.len(),
        y3.len(),
        num.len(),
        dinv.len(),
        sum_x.len(),
        x1.len(),
        y1.len(),
    ]
    .into_iter()
    .min()
    .unwrap_or(0);
    let inputs = [ptr(num), ptr(dinv), ptr(sum_x), ptr(x1), ptr(y1)];
    // SAFETY: see the block comment above; the outputs are `&mut` slices, so they alias
    // neither each other nor any input.
    unsafe { slope_step_k::<P>(ptr_mut(x3), ptr_mut(y3), inputs, n) }
}

/// `out[i] = a[i] * b[i]`.
pub fn mul<P: FpParams>(out: &mut [Fp<P>], a: &[Fp<P>], b: &[Fp<P>]) {
    if !available() {
        return portable::mul(out, a, b);
    }
    let n = out.len().min(a.len()).min(b.len());
    // SAFETY: see the block comment above.
    unsafe { mul_k::<P>(ptr_mut(out), ptr(a), ptr(b), n) }
}

/// `a[i] *= b[i]`.
pub fn mul_assign<P: FpParams>(a: &mut [Fp<P>], b: &[Fp<P>]) {
    if !available() {
        return portable::mul_assign(a, b);
    }
    let n = a.len().min(b.len());
    let pa = ptr_mut(a);
    // SAFETY: see the block comment above; in place is allowed by the kernel contract.
    unsafe { mul_k::<P>(pa, pa, ptr(b), n) }
}

/// `out[i] = s * a[i]`.
pub fn scale<P: FpParams>(out: &mut [Fp<P>], a: &[Fp<P>], s: Fp<P>) {
    if !available() {
        return portable::scale(out, a, s);
    }
    let n = out.len().min(a.len());
    // SAFETY: see the block comment above.
    unsafe { scale_k::<P>(ptr_mut(out), ptr(a), &s, n) }
}

/// `out[i] += a[i] * b[i]`.
pub fn mul_add<P: FpParams>(out: &mut [Fp<P>], a: &[Fp<P>], b: &[Fp<P>]) {
    if !available() {
        return portable::mul_add(out, a, b);
    }
    let n = out.len().min(a.len()).min(b.len());
    // SAFETY: see the block comment above.
    unsafe { mul_add_k::<P>(ptr_mut(out), ptr(a), ptr(b), n) }
}

/// `Σ a[i] * b[i]`.
pub fn inner_product<P: FpParams>(a: &[Fp<P>], b: &[Fp<P>]) -> Fp<P> {
    if !available() {
        return portable::inner_product(a, b);
    }
    let n = a.len().min(b.len());
    // SAFETY: see the block comment above.
    unsafe { inner_product_k::<P>(ptr(a), ptr(b), n) }
}

/// `out[i] = lo[i] + r * (hi[i] - lo[i])`.
pub fn fold<P: FpParams>(out: &mut [Fp<P>], lo: &[Fp<P>], hi: &[Fp<P>], r: Fp<P>) {
    if !available() {
        return portable::fold(out, lo, hi, r);
    }
    let n = out.len().min(lo.len()).min(hi.len());
    // SAFETY: see the block comment above.
    unsafe { fold_k::<P>(ptr_mut(out), ptr(lo), ptr(hi), &r, n) }
}

/// `lo[i] += r * (hi[i] - lo[i])`.
pub fn fold_in_place<P: FpParams>(lo: &mut [Fp<P>], hi: &[Fp<P>], r: Fp<P>) {
    if !available() {
        return portable::fold_in_place(lo, hi, r);
    }
    let n = lo.len().min(hi.len());
    let pl = ptr_mut(lo);
    // SAFETY: see the block comment above; in place is allowed by the kernel contract.
    unsafe { fold_k::<P>(pl, pl, ptr(hi), &r, n) }
}

/// `hi[i] = lo[i] * r; lo[i] -= hi[i]`.
pub fn eq_step<P: FpParams>(lo: &mut [Fp<P>], hi: &mut [Fp<P>], r: Fp<P>) {
    if !available() {
        return portable::eq_step(lo, hi, r);
    }
    let n = lo.len().min(hi.len());
    // SAFETY: see the block comment above (`lo` and `hi` are distinct `&mut` slices).
    unsafe { eq_step_k::<P>(ptr_mut(lo), ptr_mut(hi), &r, n) }
}

/// `out[i] = small[i] * b[i]`.
pub fn mul_small<P: FpParams, S: SmallInt>(out: &mut [Fp<P>], small: &[S], b: &[Fp<P>]) {
    if !available() {
        return portable::mul_small(out, small, b);
    }
    let n = out.len().min(small.len()).min(b.len());
    // SAFETY: see the block comment above.
    unsafe { mul_small_k::<P, S>(ptr_mut(out), small, ptr(b), n) }
}
