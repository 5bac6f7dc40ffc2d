//! 8-lane radix-2^52 arithmetic on AVX-512 IFMA registers: conversion to and from the
//! `[u64; 4]` Montgomery layout, the Montgomery product, and normalisation / reduction.
//!
//! Preconditions (from `fp.rs`): `p` is odd and `p < 2^254` (top limb `< 2^62`), every `Fp`
//! in memory is `< p`. The derivations of the bounds are in the parent module's doc; each
//! function here repeats the input and output ranges it relies on.
//!
//! Notation: a "vector of limbs" `[__m512i; 5]` holds 8 integers, lane `e` of vector `j`
//! being limb `j` of integer `e`, value `Σ_j x_j 2^(52 j)`. *Normalised* means every limb is
//! in `[0, 2^52)`. The IFMA instructions read only the low 52 bits of each multiplicand, so
//! every multiplicand must be normalised; accumulators are full 64-bit lanes.
//!
//! # Safety (every `unsafe fn` here)
//!
//! The CPU supports `avx512f,avx512ifma,avx512vl,avx512bw,avx512dq,avx512vbmi2`. The functions are
//! `#[inline(always)]` without `#[target_feature]` (stable Rust forbids combining the two, and
//! a `#[target_feature]` helper that LLVM declines to inline becomes an out-of-line call
//! with its vectors passed through memory, measured 1.6x slower): they are only called from
//! the parent module's `#[target_feature]` kernels, into which they and the intrinsics they
//! call are inlined. Functions that touch memory state their extra conditions.

use core::arch::x86_64::*;

use crate::fp::FpParams;
use crate::limbs;

/// Mask of the low 52 bits.
pub(super) const M52: u64 = (1 << 52) - 1;

/// Limbs per element in radix 2^52 (5 x 52 = 260 bits >= 254).
pub(super) const N: usize = 5;

/// `x` (256 bits, `[u64; 4]` little endian) split into five 52-bit limbs. Exact for every
/// `x < 2^256`; the top limb holds bits 208..255 (`< 2^48`).
pub(super) const fn to_radix52(x: &[u64; 4]) -> [u64; N] {
    [
        x[0] & M52,
        ((x[0] >> 52) | (x[1] << 12)) & M52,
        ((x[1] >> 40) | (x[2] << 24)) & M52,
        ((x[2] >> 28) | (x[3] << 36)) & M52,
        x[3] >> 16,
    ]
}

/// `16 x` split into five 52-bit limbs, for `x < 2^256` (so `16 x < 2^260`): limb `j` holds
/// bits `52 j - 4 .. 52 j + 48` of `x`. For `x < p < 2^254` the top limb is `< 2^46`.
pub(super) const fn to_radix52_x16(x: &[u64; 4]) -> [u64; N] {
    [
        (x[0] << 4) & M52,
        ((x[0] >> 48) | (x[1] << 16)) & M52,
        ((x[1] >> 36) | (x[2] << 28)) & M52,
        ((x[2] >> 24) | (x[3] << 40)) & M52,
        x[3] >> 12,
    ]
}

/// The constants of field `P` in radix 2^52, derived at compile time from `P::MODULUS`.
pub(super) struct Consts<P>(core::marker::PhantomData<P>);

impl<P: FpParams> Consts<P> {
    /// `p` in radix 2^52 (`p < 2^254`, so the top limb is `< 2^46`).
    pub(super) const P52: [u64; N] = {
        assert!(
            P::MODULUS[3] < 1 << 62,
            "IFMA kernels need p < 2^254 (see the bounds in batch/avx512.rs)"
        );
        assert!(P::MODULUS[0] & 1 == 1, "p must be odd");
        to_radix52(&P::MODULUS)
    };
    /// `-p^-1 mod 2^52`: `P::INV = -p^-1 mod 2^64` reduced mod 2^52 (same congruence).
    pub(super) const PINV52: u64 = P::INV & M52;
    /// `2^312 mod p` in radix 2^52: the Montgomery product of `X * 2^-52` (one reduction
    /// round) with it gives `X` back, `(X 2^-52)(2^312) 2^-260 = X` (used by `mul_small`).
    pub(super) const C312: [u64; N] = to_radix52(&limbs::pow2_mod4(312, &P::MODULUS));
}

/// Field constants broadcast to all 8 lanes (built once per kernel call).
#[derive(Clone, Copy)]
pub(super) struct Ctx {
    /// `p` in radix 2^52, normalised.
    pub(super) p: [__m512i; N],
    /// `-p^-1 mod 2^52` in every lane.
    pinv: __m512i,
    /// `2^52 - 1` in every lane.
    m52: __m512i,
}

impl Ctx {
    #[target_feature(enable = "avx512f,avx512ifma,avx512vl,avx512bw,avx512dq,avx512vbmi2")]
    #[inline]
    pub(super) unsafe fn new<P: FpParams>() -> Self {
        Ctx {
            p: splat(&Consts::<P>::P52),
            pinv: _mm512_set1_epi64(Consts::<P>::PINV52 as i64),
            m52: _mm512_set1_epi64(M52 as i64),
        }
    }
}

/// Broadcasts five limbs to five vectors.
#[inline(always)]
pub(super) unsafe fn splat(x: &[u64; N]) -> [__m512i; N] {
    let mut v = [_mm512_setzero_si512(); N];
    for j in 0..N {
        v[j] = _mm512_set1_epi64(x[j] as i64);
    }
    v
}

/// Load masks for `n` elements (1..=8) starting at a pointer: 8 elements are 32 u64 = four
/// vectors; vector `v` covers u64 indices `8v .. 8v + 8`, of which `4n - 8v` (clamped to
/// 0..=8) are in the slice.
#[inline]
pub(super) fn masks(n: usize) -> [__mmask8; 4] {
    debug_assert!((1..=8).contains(&n));
    let words = 4 * n;
    core::array::from_fn(|v| {
        let cnt = words.saturating_sub(8 * v).min(8);
        ((1u32 << cnt) - 1) as __mmask8
    })
}

/// The four masks for a full block of 8 elements.
pub(super) const FULL: [__mmask8; 4] = [0xff; 4];

// Transpose indices (vpermt2q: index i < 8 reads the first source, 8..15 the second).
// Stage 1 on two element pairs [e0 limbs 0..3, e1 limbs 0..3], [e2 .., e3 ..]:
//   LO01: [e0l0 e1l0 e2l0 e3l0 e0l1 e1l1 e2l1 e3l1], LO23: same for limbs 2, 3.
// Stage 2 joins two such vectors (elements 0..3 and 4..7) by halves.
// The inverse transpose uses the same two stages in reverse order (the index patterns are
// their own inverses on this layout, checked by the round-trip test).
const IDX_LIMBS01: [i64; 8] = [0, 4, 8, 12, 1, 5, 9, 13];
const IDX_LIMBS23: [i64; 8] = [2, 6, 10, 14, 3, 7, 11, 15];
const IDX_LOW_HALVES: [i64; 8] = [0, 1, 2, 3, 8, 9, 10, 11];
const IDX_HIGH_HALVES: [i64; 8] = [4, 5, 6, 7, 12, 13, 14, 15];

#[inline(always)]
unsafe fn idx(i: &[i64; 8]) -> __m512i {
    _mm512_setr_epi64(i[0], i[1], i[2], i[3], i[4], i[5], i[6], i[7])
}

/// Loads 8 elements (`[u64; 4]` each, element-major) and transposes to limb-major:
/// `out[k]` lane `e` = 64-bit limb `k` of element `e`. Lanes outside `k` read as zero.
///
/// # Safety
/// For each vector `v`, the u64s at `src + 8v + i` with bit `i` of `k[v]` set must be
/// readable (masked-off lanes are not accessed: AVX-512 masked loads suppress faults).
#[inline(always)]
pub(super) unsafe fn load_transposed(src: *const u64, k: &[__mmask8; 4]) -> [__m512i; 4] {
    // SAFETY: per the contract, only unmasked u64 words are read; `loadu` has no alignment
    // requirement.
    let mut v = [_mm512_setzero_si512(); 4];
    for i in 0..4 {
        v[i] = _mm512_maskz_loadu_epi64(k[i], src.add(8 * i).cast());
    }
    let (i01, i23) = (idx(&IDX_LIMBS01), idx(&IDX_LIMBS23));
    let (ilo, ihi) = (idx(&IDX_LOW_HALVES), idx(&IDX_HIGH_HALVES));
    // Elements 0..3: w0 = limbs 0,1; w1 = limbs 2,3. Elements 4..7: w2, w3.
    let w0 = _mm512_permutex2var_epi64(v[0], i01, v[1]);
    let w1 = _mm512_permutex2var_epi64(v[0], i23, v[1]);
    let w2 = _mm512_permutex2var_epi64(v[2], i01, v[3]);
    let w3 = _mm512_permutex2var_epi64(v[2], i23, v[3]);
    [
        _mm512_permutex2var_epi64(w0, ilo, w2),
        _mm512_permutex2var_epi64(w0, ihi, w2),
        _mm512_permutex2var_epi64(w1, ilo, w3),
        _mm512_permutex2var_epi64(w1, ihi, w3),
    ]
}

/// Inverse of [`load_transposed`]: transposes limb-major vectors back to 8 elements and
/// stores the lanes selected by `k`.
///
/// # Safety
/// For each vector `v`, the u64s at `dst + 8v + i` with bit `i` of `k[v]` set must be
/// writable (masked-off words are not touched).
#[inline(always)]
pub(super) unsafe fn store_transposed(dst: *mut u64, l: &[__m512i; 4], k: &[__mmask8; 4]) {
    let (i01, i23) = (idx(&IDX_LIMBS01), idx(&IDX_LIMBS23));
    let (ilo, ihi) = (idx(&IDX_LOW_HALVES), idx(&IDX_HIGH_HALVES));
    // w0/w2 = [limb0 of e0..3 | limb1 of e0..3] / same for e4..7; w1/w3 for limbs 2, 3.
    let w0 = _mm512_permutex2var_epi64(l[0], ilo, l[1]);
    let w2 = _mm512_permutex2var_epi64(l[0], ihi, l[1]);
    let w1 = _mm512_permutex2var_epi64(l[2], ilo, l[3]);
    let w3 = _mm512_permutex2var_epi64(l[2], ihi, l[3]);
    let v = [
        _mm512_permutex2var_epi64(w0, i01, w1),
        _mm512_permutex2var_epi64(w0, i23, w1),
        _mm512_permutex2var_epi64(w2, i01, w3),
        _mm512_permutex2var_epi64(w2, i23, w3),
    ];
    for (i, x) in v.iter().enumerate() {
        // SAFETY: per the contract, only unmasked u64 words are written; no alignment needed.
        _mm512_mask_storeu_epi64(dst.add(8 * i).cast(), k[i], *x);
    }
}

/// Limb-major 64-bit limbs (`x < 2^256` per lane) to radix 2^52 (see [`to_radix52`]).
/// Output normalised; top limb `< 2^48` (`< 2^46` for `x < p`).
///
/// The middle limbs straddle two 64-bit words: `vpshrdq` (AVX512-VBMI2, concatenate and
/// shift right) gives `(l[k] >> s) | (l[k+1] << (64 - s))` in one instruction, then one
/// mask (2 ops per limb instead of shift, shift, `vpternlogq`).
#[inline(always)]
pub(super) unsafe fn to52(c: &Ctx, l: &[__m512i; 4]) -> [__m512i; N] {
    let m = c.m52;
    [
        _mm512_and_si512(l[0], m),
        _mm512_and_si512(_mm512_shrdi_epi64::<52>(l[0], l[1]), m),
        _mm512_and_si512(_mm512_shrdi_epi64::<40>(l[1], l[2]), m),
        _mm512_and_si512(_mm512_shrdi_epi64::<28>(l[2], l[3]), m),
        _mm512_srli_epi64::<16>(l[3]),
    ]
}

/// Limb-major 64-bit limbs to radix 2^52 of `16 x` (see [`to_radix52_x16`]). For `x < p`:
/// output normalised, value `16 x < 16 p < 2^258`, top limb `< 2^46`. Same `vpshrdq` scheme
/// as [`to52`], with every shift 4 bits smaller.
#[inline(always)]
pub(super) unsafe fn to52_x16(c: &Ctx, l: &[__m512i; 4]) -> [__m512i; N] {
    let m = c.m52;
    [
        _mm512_and_si512(_mm512_slli_epi64::<4>(l[0]), m),
        _mm512_and_si512(_mm512_shrdi_epi64::<48>(l[0], l[1]), m),
        _mm512_and_si512(_mm512_shrdi_epi64::<36>(l[1], l[2]), m),
        _mm512_and_si512(_mm512_shrdi_epi64::<24>(l[2], l[3]), m),
        _mm512_srli_epi64::<12>(l[3]),
    ]
}

/// Radix 2^52 back to 64-bit limbs. Input must be normalised with value `< 2^256` (top limb
/// `< 2^48`); exact.
#[inline(always)]
pub(super) unsafe fn from52(x: &[__m512i; N]) -> [__m512i; 4] {
    [
        _mm512_or_si512(x[0], _mm512_slli_epi64::<52>(x[1])),
        _mm512_or_si512(_mm512_srli_epi64::<12>(x[1]), _mm512_slli_epi64::<40>(x[2])),
        _mm512_or_si512(_mm512_srli_epi64::<24>(x[2]), _mm512_slli_epi64::<28>(x[3])),
        _mm512_or_si512(_mm512_srli_epi64::<36>(x[3]), _mm512_slli_epi64::<16>(x[4])),
    ]
}

/// One Montgomery round: `t <- (t + a * bi + m p) / 2^52` with `m = (t + a bi) (-p^-1) mod
/// 2^52`, exactly.
///
/// In: `a` and `bi` normalised; `t` limbs `< 2^57` (unnormalised) and, on entry, `t[0]`
/// already includes `lo(a_0 bi)` (call it `t0'`): the previous round added it (see `next`),
/// so `m` can start at once. `next = Some(b_{i+1})` adds the next round's `lo(a_0 b_{i+1})`
/// into the new position 0 before the `m`-dependent terms arrive.
///
/// Each of the five positions of `t + a bi + m p` receives at most four terms `< 2^52`
/// (`lo(a_j bi)`, `hi(a_{j-1} bi)`, `lo(m p_j)`, `hi(m p_{j-1})`), position 1 also the carry
/// out of position 0. Position 0 is `≡ 0 mod 2^52` by the choice of `m`, so it is replaced
/// by its quotient: `lo(m p0) = (-t0') mod 2^52`, hence `t0' + lo(m p0) = 2^52 ceil(t0' /
/// 2^52)`, and the carry is `(t0' + 2^52 - 1) >> 52` without the IFMA for `lo(m p0)`.
/// Out: the shifted five positions; over the 5 rounds of a product a limb collects at most
/// 5 x 4 terms `< 2^52` plus 5 carries `< 2^6`, so every limb stays `< 20 * 2^52 + 2^9 < 2^57`.
///
/// Latency: the critical chain of a round is `m` (4 cycles) -> `lo(m p1)` into position 1,
/// in parallel with `hi(m p0)` into the carry (4) -> one add (1), 9 cycles; the products of
/// `a` with `bi` and the next `lo(a_0 b_{i+1})` do not wait for `m`.
#[inline(always)]
pub(super) unsafe fn mont_round(
    c: &Ctx,
    t: &mut [__m512i; N],
    a: &[__m512i; N],
    bi: __m512i,
    next: Option<__m512i>,
) {
    let z = _mm512_setzero_si512();
    // m = lo52(t0') (-p^-1) mod 2^52 (IFMA reads only the low 52 bits of t0').
    let m = _mm512_madd52lo_epu64(z, t[0], c.pinv);
    // carry = ceil(t0' / 2^52); t0' < 2^57 so t0' + 2^52 - 1 does not overflow.
    let carry = _mm512_srli_epi64::<52>(_mm512_add_epi64(t[0], c.m52));
    for j in 1..N {
        t[j] = _mm512_madd52lo_epu64(t[j], a[j], bi);
    }
    for j in 0..N - 1 {
        t[j + 1] = _mm512_madd52hi_epu64(t[j + 1], a[j], bi);
    }
    let mut top = _mm512_madd52hi_epu64(z, a[N - 1], bi); // position 5 of this round
    if let Some(bn) = next {
        t[1] = _mm512_madd52lo_epu64(t[1], a[0], bn);
    }
    // Position 1's m-terms on two independent accumulators (t[1] and the carry).
    let u = _mm512_madd52hi_epu64(carry, m, c.p[0]);
    for j in 1..N {
        t[j] = _mm512_madd52lo_epu64(t[j], m, c.p[j]);
    }
    for j in 1..N - 1 {
        t[j + 1] = _mm512_madd52hi_epu64(t[j + 1], m, c.p[j]);
    }
    top = _mm512_madd52hi_epu64(top, m, c.p[N - 1]);
    *t = [_mm512_add_epi64(t[1], u), t[2], t[3], t[4], top];
}

/// Two independent Montgomery products in radix 2^52, interleaved round by round: each is
/// five [`mont_round`]s and returns `T = (A B + M p) / 2^260` with `M < 2^260`, so
/// `T ≡ A B 2^-260 (mod p)` and `T < A B / 2^260 + p`.
///
/// In: `a`, `b` normalised. Out: limbs `< 2^57`, unnormalised (see [`mont_round`]).
/// Bounds used by the kernels (all with `p < 2^254`):
/// - `A < p`, `B = 16 B0 < 16 p`: `T < p (16 p / 2^260 + 1) < 1.25 p`;
/// - `A < 2p`, `B < 16 p`: `T < p (32 p / 2^260 + 1) < 1.5 p`.
///
/// Why two: one product is a chain of five rounds of ~9 cycles of dependent latency each
/// (see [`mont_round`]), followed by the reduction and store chains; a second independent
/// product in the same instruction window keeps the IFMA pipe busy while one chain waits.
/// Measured on the Zen 4 dev box (2^16 elements, `fr` mul): 6.3 ns/elem either way within
/// noise before the round reordering; kept because it never lost and halves loop overhead.
#[inline(always)]
pub(super) unsafe fn mont_mul2(
    c: &Ctx,
    a: &[[__m512i; N]; 2],
    b: &[[__m512i; N]; 2],
) -> [[__m512i; N]; 2] {
    let z = _mm512_setzero_si512();
    let mut t = [[z; N]; 2];
    t[0][0] = _mm512_madd52lo_epu64(z, a[0][0], b[0][0]);
    t[1][0] = _mm512_madd52lo_epu64(z, a[1][0], b[1][0]);
    for i in 0..N {
        let next = |h: usize| if i + 1 < N { Some(b[h][i + 1]) } else { None };
        mont_round(c, &mut t[0], &a[0], b[0][i], next(0));
        mont_round(c, &mut t[1], &a[1], b[1][i], next(1));
    }
    t
}

/// [`mont_mul2`] with `side(r)` called after round `r` (0..5) of both products: the caller
/// places independent work there (the reduction and store of the previous block pair), so
/// the out-of-order window sees simple-ALU and shuffle work next to the IFMA chains instead
/// of a long IFMA-only stretch followed by a long IFMA-free tail.
#[inline(always)]
pub(super) unsafe fn mont_mul2_with(
    c: &Ctx,
    a: &[[__m512i; N]; 2],
    b: &[[__m512i; N]; 2],
    mut side: impl FnMut(usize),
) -> [[__m512i; N]; 2] {
    let z = _mm512_setzero_si512();
    let mut t = [[z; N]; 2];
    t[0][0] = _mm512_madd52lo_epu64(z, a[0][0], b[0][0]);
    t[1][0] = _mm512_madd52lo_epu64(z, a[1][0], b[1][0]);
    for i in 0..N {
        let next = |h: usize| if i + 1 < N { Some(b[h][i + 1]) } else { None };
        mont_round(c, &mut t[0], &a[0], b[0][i], next(0));
        mont_round(c, &mut t[1], &a[1], b[1][i], next(1));
        side(i);
    }
    t
}

/// Carry-propagates limbs given as signed 64-bit lanes in `(-2^62, 2^62)` whose value is
/// `>= 0`: limbs 0..3 end in `[0, 2^52)` (arithmetic shift = floor division, so negative
/// limbs borrow correctly), limb 4 holds the rest (normalised when the value is `< 2^260`).
#[inline(always)]
pub(super) unsafe fn normalize(c: &Ctx, t: &mut [__m512i; N]) {
    for j in 0..N - 1 {
        let carry = _mm512_srai_epi64::<52>(t[j]);
        t[j] = _mm512_and_si512(t[j], c.m52);
        t[j + 1] = _mm512_add_epi64(t[j + 1], carry);
    }
}

/// Full reduction of a value in `[0, 2p)`: in limbs are signed lanes in `(-2^62, 2^62)`
/// (unnormalised allowed); out normalised and `< p` (the unique representative).
///
/// After [`normalize`], `d = t - p` is computed with a borrow chain (limbs of `d` in
/// `[0, 2^52)` after the chain, the top limb signed); `d_4 < 0` iff `t < p`, and the sign
/// bit selects `t` or `d` per lane (branch-free).
#[inline(always)]
pub(super) unsafe fn reduce_once(c: &Ctx, mut t: [__m512i; N]) -> [__m512i; N] {
    normalize(c, &mut t);
    let mut d = [_mm512_setzero_si512(); N];
    d[0] = _mm512_sub_epi64(t[0], c.p[0]);
    for j in 1..N {
        let borrow = _mm512_srai_epi64::<52>(d[j - 1]); // 0 or -1
        d[j - 1] = _mm512_and_si512(d[j - 1], c.m52);
        d[j] = _mm512_add_epi64(_mm512_sub_epi64(t[j], c.p[j]), borrow);
    }
    let keep_t = _mm512_movepi64_mask(d[N - 1]); // sign bit: t < p
    for j in 0..N {
        t[j] = _mm512_mask_blend_epi64(keep_t, d[j], t[j]);
    }
    t
}

/// Lane-wise `x + y` (no carry propagation; limbs stay `< 2^53` for normalised inputs).
#[inline(always)]
pub(super) unsafe fn add(x: &[__m512i; N], y: &[__m512i; N]) -> [__m512i; N] {
    let mut r = [_mm512_setzero_si512(); N];
    for j in 0..N {
        r[j] = _mm512_add_epi64(x[j], y[j]);
    }
    r
}

/// Lane-wise `x + p - y` (no carry propagation): for normalised `x, y` the limbs are signed
/// in `(-2^52, 2^53)` and the value is `x - y + p`, in `(0, 2p)` when `x, y < p`
/// (`[1, 2p - 1]`).
#[inline(always)]
pub(super) unsafe fn sub_plus_p(c: &Ctx, x: &[__m512i; N], y: &[__m512i; N]) -> [__m512i; N] {
    let mut r = [_mm512_setzero_si512(); N];
    for j in 0..N {
        r[j] = _mm512_sub_epi64(_mm512_add_epi64(x[j], c.p[j]), y[j]);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bn254::{FqParams, FrParams};

    fn check_consts<P: FpParams>() {
        let p52 = Consts::<P>::P52;
        // Recompose p from 52-bit limbs.
        let mut back = [0u64; 4];
        let x = p52;
        back[0] = x[0] | (x[1] << 52);
        back[1] = (x[1] >> 12) | (x[2] << 40);
        back[2] = (x[2] >> 24) | (x[3] << 28);
        back[3] = (x[3] >> 36) | (x[4] << 16);
        assert_eq!(back, P::MODULUS);
        assert!(p52.iter().all(|&l| l <= M52));
        // p * (-p^-1) = -1 mod 2^52.
        assert_eq!(
            p52[0].wrapping_mul(Consts::<P>::PINV52) & M52,
            M52,
            "{}",
            P::NAME
        );
    }

    #[test]
    fn radix52_constants() {
        check_consts::<FrParams>();
        check_consts::<FqParams>();
    }

    #[test]
    fn x16_split_matches_shifted_value() {
        let x = [
            0x0123_4567_89ab_cdef,
            0xfedc_ba98_7654_3210,
            0x0f0f_f0f0_1234_8765,
            0x0064_4e72_e131_a029,
        ];
        // 16 x as 5 u64 words, then split at 52-bit boundaries by hand.
        let w = [
            x[0] << 4,
            (x[0] >> 60) | (x[1] << 4),
            (x[1] >> 60) | (x[2] << 4),
            (x[2] >> 60) | (x[3] << 4),
            x[3] >> 60,
        ];
        let bits = |lo: usize| -> u64 {
            let (i, s) = (lo / 64, lo % 64);
            let mut v = w[i] >> s;
            if s > 12 && i + 1 < 5 {
                v |= w[i + 1] << (64 - s);
            }
            v & M52
        };
        let want: [u64; 5] = core::array::from_fn(|j| bits(52 * j));
        assert_eq!(to_radix52_x16(&x), want);
    }

    #[target_feature(enable = "avx512f,avx512ifma,avx512vl,avx512bw,avx512dq,avx512vbmi2")]
    unsafe fn roundtrip(src: &[u64; 32], dst: &mut [u64; 32], k: &[__mmask8; 4]) -> [u64; 40] {
        let c = Ctx::new::<FrParams>();
        let l = load_transposed(src.as_ptr(), k);
        let x = to52(&c, &l);
        let mut limbs = [0u64; 40];
        for j in 0..N {
            _mm512_storeu_si512(limbs[8 * j..].as_mut_ptr().cast(), x[j]);
        }
        store_transposed(dst.as_mut_ptr(), &from52(&x), k);
        limbs
    }

    #[test]
    fn transpose_and_radix52_roundtrip() {
        if !crate::Backend::Avx512.is_available() {
            return;
        }
        let src: [u64; 32] = core::array::from_fn(|i| {
            (i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (if i % 4 == 3 { 3 } else { 0 })
        });
        for n in 1..=8 {
            let mut dst = [u64::MAX; 32];
            // SAFETY: features checked above; 32-word buffers, masks cover `4n` words.
            let limbs = unsafe { roundtrip(&src, &mut dst, &masks(n)) };
            for e in 0..8 {
                let elem: [u64; 4] = core::array::from_fn(|k| src[4 * e + k]);
                let want = if e < n { to_radix52(&elem) } else { [0; N] };
                let got: [u64; N] = core::array::from_fn(|j| limbs[8 * j + e]);
                assert_eq!(got, want, "n {n} lane {e}");
            }
            assert_eq!(&dst[..4 * n], &src[..4 * n], "n {n}");
            assert!(
                dst[4 * n..].iter().all(|&w| w == u64::MAX),
                "n {n}: wrote past the tail"
            );
        }
    }

    #[test]
    fn masks_cover_exactly_the_tail() {
        assert_eq!(masks(8), FULL);
        assert_eq!(masks(1), [0x0f, 0, 0, 0]);
        assert_eq!(masks(2), [0xff, 0, 0, 0]);
        assert_eq!(masks(3), [0xff, 0x0f, 0, 0]);
        assert_eq!(masks(7), [0xff, 0xff, 0xff, 0x0f]);
    }
}
