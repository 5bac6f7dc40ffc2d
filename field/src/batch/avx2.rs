//! AVX2 batch kernels (x86-64): four field elements at a time, one per 64-bit lane.
//!
//! Preconditions: `P::MODULUS[3] < 2^62` (so `p < 2^254`, the crate-wide spare-bit condition,
//! checked at compile time in [`Consts`]); inputs are fully reduced `Fp` values; outputs are
//! fully reduced, bit-identical to `portable.rs` (Montgomery form is unique once reduced).
//!
//! # Layout
//!
//! Memory holds elements as 4 little-endian `u64` limbs each (`Fp<P>` is `repr(transparent)`
//! over `[u64; 4]`). Four consecutive elements are loaded unaligned and transposed (4x4, 64-bit)
//! into [`Soa`]: vector `x[j]` holds limb `j` of the four elements. Additions, subtractions and
//! the final conditional subtraction work on this 64-bit form, with carries detected by
//! unsigned compares (AVX2 has none: `a <u b` is `(a ^ 2^63) <s (b ^ 2^63)`).
//!
//! # Multiplication: radix 2^29, Montgomery with `R = 2^261`, product scanning
//!
//! AVX2's only wide multiply is `vpmuludq` (32 x 32 -> 64 bits per 64-bit lane). Limbs of 29
//! bits make every partial product `< 2^58`, so a 64-bit lane can sum 18 of them plus a carry
//! without overflow: carries are propagated once per column instead of once per product.
//! Nine limbs hold 261 bits.
//!
//! Montgomery reduction in radix 2^29 over nine steps divides by `2^261`, not by kaizen's
//! `R = 2^256`. The missing factor 2^5 is folded into the input: the left operand is unpacked
//! as the *integer* `a' = 32 a` (not reduced mod p; `32 a < 2^259` still fits nine limbs), so
//! `mont261(a', b) = 32 a b / 2^261 = a b / 2^256 mod p`, exactly kaizen's Montgomery product.
//! Unpacking with a 5-bit offset costs the same shifts as without, so this is free.
//!
//! The product is computed column by column ("finely integrated product scanning", FIPS,
//! Koç–Acar–Kaliski 1996, section 5): column `k` accumulates `a'_i b_j` (`i + j = k`) and
//! `m_i p_j` (`i + j = k`, `i < k`) and the carry from column `k - 1`; for `k < 9` it then
//! picks `m_k = (col * -p^-1) mod 2^29` so that `col + m_k p_0 = 0 mod 2^29` and drops those
//! 29 zero bits; for `k >= 9` it emits result limb `k - 9`.
//!
//! Bounds, per 64-bit lane (all limbs `a'_i, b_j, m_i, p_j < 2^29`):
//! - a column sums at most 9 products `a'_i b_j` and 9 products `m_i p_j`, each `< 2^58`,
//!   plus a carry `< 2^35`: `col < 18 * 2^58 + 2^35 < 2^63`. No overflow.
//! - the result `r = (a' b + m p) / 2^261` with `m < 2^261` satisfies
//!   `r < 32 p^2 / 2^261 + p < p / 4 + p` (as `32 p < 2^259`), so one conditional subtraction
//!   of `p` reduces it. Its top limb (the last carry) is `< 2^23` because `r < 2^255`.
//!
//! Cost per four products: 171 `vpmuludq` (81 for `a' b`, 81 for `m p`, 9 for the `m_i`),
//! ~200 adds/shifts/masks, ~40 shifts for unpacking and packing, 16 shuffles for the two
//! transposes and ~30 instructions for the conditional subtraction.
//!
//! # Dispatch and safety
//!
//! Every public function has the portable signature and is safe. It calls one inner
//! `#[target_feature(enable = "avx2")] unsafe fn`. SAFETY of that call: these wrappers are only
//! reached through `batch::dispatch!` with `Backend::Avx2`, and that backend is only used after
//! `Backend::Avx2.is_available()` held (`Backend::require` when the backend is resolved, or
//! `checked` in the `*_with` functions), i.e. after `is_x86_feature_detected!("avx2")`. Each
//! wrapper also `debug_assert!`s it. Loads and stores are unaligned (`loadu`/`storeu`) and
//! only touch four whole elements of a slice checked to hold them, or a local padded copy.
//! Tails (`len % 4 != 0`) run the same vector code on a zero-padded stack copy (zero is a valid
//! element), so nothing allocates and every element takes the same code path.

use core::arch::x86_64::*;
use core::marker::PhantomData;

use crate::backend::Backend;
use crate::fp::{Fp, FpParams};

pub use super::portable::{batch_inverse, mul_small};

/// Lanes per vector.
const W: usize = 4;

/// `2^29 - 1`.
const MASK29: u64 = (1 << 29) - 1;

/// Four elements, limb-major: `x[j]` lane `l` is 64-bit limb `j` of element `l`.
type Soa = [__m256i; 4];

/// Four integers in radix 2^29: `x[k]` lane `l` holds bits `[29k, 29k + 29)` of integer `l`.
type R29 = [__m256i; 9];

/// Per-field constants, computed at compile time.
struct Consts<P>(PhantomData<P>);

impl<P: FpParams> Consts<P> {
    /// The spare-bit precondition (see the module doc); evaluated when a kernel is instantiated.
    const CHECK: () = assert!(
        P::MODULUS[3] < 1 << 62,
        "avx2 kernels need p < 2^254 (top limb < 2^62)"
    );
    /// `p` in radix 2^29.
    const P29: [u64; 9] = radix29(&P::MODULUS, 0);
    /// `-p^-1 mod 2^29` (the low 29 bits of `-p^-1 mod 2^64`).
    const PINV29: u64 = P::INV & MASK29;
    /// `2^(256 + 64 i) mod p` for `i < 5`: multiplying a word `w` by it in Montgomery form
    /// gives `w 2^(64 i) mod p`, which reduces a 320-bit lazy sum (see `inner_product`).
    const WORD_WEIGHTS: [[u64; 4]; 5] = [
        crate::limbs::pow2_mod4(256, &P::MODULUS),
        crate::limbs::pow2_mod4(256 + 64, &P::MODULUS),
        crate::limbs::pow2_mod4(256 + 128, &P::MODULUS),
        crate::limbs::pow2_mod4(256 + 192, &P::MODULUS),
        crate::limbs::pow2_mod4(256 + 256, &P::MODULUS),
    ];
}

/// The radix-2^29 digits of `x * 2^shift` (bits above 261 are dropped; callers keep
/// `x * 2^shift < 2^261`). Used for constants and for the scalar operand of `scale`/`fold`.
const fn radix29(x: &[u64; 4], shift: u32) -> [u64; 9] {
    let mut out = [0u64; 9];
    let mut k = 0;
    while k < 9 {
        // Lowest bit of digit k, as a bit position in x.
        let pos = 29 * k as i64 - shift as i64;
        let v = if pos < 0 {
            x[0] << (-pos) as u32
        } else {
            let l = (pos / 64) as usize;
            let o = (pos % 64) as u32;
            let lo = if l < 4 { x[l] >> o } else { 0 };
            let hi = if o > 0 && l + 1 < 4 {
                x[l + 1] << (64 - o)
            } else {
                0
            };
            lo | hi
        };
        out[k] = v & MASK29;
        k += 1;
    }
    out
}

/// Broadcast constants for one kernel call.
struct Ctx {
    /// `p`, 64-bit limbs.
    p64: Soa,
    /// `p`, 64-bit limbs, top bit flipped (for unsigned compares against `p`).
    p64x: Soa,
    /// `p` in radix 2^29.
    p29: R29,
    /// `-p^-1 mod 2^29`.
    pinv: __m256i,
    /// `2^29 - 1`.
    mask: __m256i,
    /// `2^63` (sign flip for unsigned compares).
    sign: __m256i,
    /// All ones.
    ones: __m256i,
    /// All zeros.
    zero: __m256i,
}

#[inline(always)]
unsafe fn ctx<P: FpParams>() -> Ctx {
    #[allow(clippy::let_unit_value)]
    let () = Consts::<P>::CHECK;
    let sign = _mm256_set1_epi64x(i64::MIN);
    let p = P::MODULUS;
    let px = [
        p[0] ^ 1 << 63,
        p[1] ^ 1 << 63,
        p[2] ^ 1 << 63,
        p[3] ^ 1 << 63,
    ];
    let p64 = splat4(&p);
    let p64x = splat4(&px);
    let p29 = splat9(&Consts::<P>::P29);
    Ctx {
        p64,
        p64x,
        p29,
        pinv: _mm256_set1_epi64x(Consts::<P>::PINV29 as i64),
        mask: _mm256_set1_epi64x(MASK29 as i64),
        sign,
        ones: _mm256_set1_epi64x(-1),
        zero: _mm256_setzero_si256(),
    }
}

// ---------------------------------------------------------------------------------------------
// Loads, stores, transposes.

/// 4x4 transpose of 64-bit entries (its own inverse).
#[inline(always)]
unsafe fn transpose(e: Soa) -> Soa {
    // t0 = [e0.0 e1.0 e0.2 e1.2], t1 = [e0.1 e1.1 e0.3 e1.3], t2/t3 likewise for e2, e3.
    let t0 = _mm256_unpacklo_epi64(e[0], e[1]);
    let t1 = _mm256_unpackhi_epi64(e[0], e[1]);
    let t2 = _mm256_unpacklo_epi64(e[2], e[3]);
    let t3 = _mm256_unpackhi_epi64(e[2], e[3]);
    [
        _mm256_permute2x128_si256::<0x20>(t0, t2),
        _mm256_permute2x128_si256::<0x20>(t1, t3),
        _mm256_permute2x128_si256::<0x31>(t0, t2),
        _mm256_permute2x128_si256::<0x31>(t1, t3),
    ]
}

/// Loads four elements (`x.len() >= 4`, any alignment) into limb-major form.
#[inline(always)]
unsafe fn load<P>(x: &[Fp<P>]) -> Soa {
    debug_assert!(x.len() >= W);
    let p = x.as_ptr() as *const __m256i;
    // SAFETY (caller's slice): `Fp<P>` is 32 bytes, the slice holds 4 elements = 128 bytes.
    transpose([
        _mm256_loadu_si256(p),
        _mm256_loadu_si256(p.add(1)),
        _mm256_loadu_si256(p.add(2)),
        _mm256_loadu_si256(p.add(3)),
    ])
}

/// Stores four elements (`x.len() >= 4`, any alignment) from limb-major form.
#[inline(always)]
unsafe fn store<P>(x: &mut [Fp<P>], v: Soa) {
    debug_assert!(x.len() >= W);
    let e = transpose(v);
    let p = x.as_mut_ptr() as *mut __m256i;
    _mm256_storeu_si256(p, e[0]);
    _mm256_storeu_si256(p.add(1), e[1]);
    _mm256_storeu_si256(p.add(2), e[2]);
    _mm256_storeu_si256(p.add(3), e[3]);
}

/// Copies up to four elements into a zero-padded block.
#[inline(always)]
fn pad<P: FpParams>(x: &[Fp<P>]) -> [Fp<P>; W] {
    let mut t = [Fp::ZERO; W];
    t[..x.len()].copy_from_slice(x);
    t
}

// ---------------------------------------------------------------------------------------------
// 64-bit limb arithmetic (fully reduced in, fully reduced out).

/// Unsigned `a < b` per lane, as an all-ones / all-zeros mask.
#[inline(always)]
unsafe fn lt(c: &Ctx, a: __m256i, b: __m256i) -> __m256i {
    _mm256_cmpgt_epi64(_mm256_xor_si256(b, c.sign), _mm256_xor_si256(a, c.sign))
}

/// `s - p` if `s >= p`, else `s`, for `s < 2p`.
#[inline(always)]
unsafe fn reduce_once(c: &Ctx, s: Soa) -> Soa {
    // d = s - p, borrows as masks (-1 = borrow). Limb j: u = s_j - p_j, then d_j = u - borrow;
    // the borrow out is (s_j < p_j) or (borrow in and u == 0).
    let d0 = _mm256_sub_epi64(s[0], c.p64[0]);
    let w0 = _mm256_cmpgt_epi64(c.p64x[0], _mm256_xor_si256(s[0], c.sign));
    let u1 = _mm256_sub_epi64(s[1], c.p64[1]);
    let v1 = _mm256_cmpgt_epi64(c.p64x[1], _mm256_xor_si256(s[1], c.sign));
    let d1 = _mm256_add_epi64(u1, w0);
    let w1 = _mm256_or_si256(v1, _mm256_and_si256(w0, _mm256_cmpeq_epi64(u1, c.zero)));
    let u2 = _mm256_sub_epi64(s[2], c.p64[2]);
    let v2 = _mm256_cmpgt_epi64(c.p64x[2], _mm256_xor_si256(s[2], c.sign));
    let d2 = _mm256_add_epi64(u2, w1);
    let w2 = _mm256_or_si256(v2, _mm256_and_si256(w1, _mm256_cmpeq_epi64(u2, c.zero)));
    // s_3 < 2^63 and p_3 < 2^62: s_3 - p_3 - borrow lies in (-2^63, 2^63), so its sign is the
    // final borrow, i.e. s < p.
    let d3 = _mm256_add_epi64(_mm256_sub_epi64(s[3], c.p64[3]), w2);
    let keep = _mm256_cmpgt_epi64(c.zero, d3);
    [
        _mm256_blendv_epi8(d0, s[0], keep),
        _mm256_blendv_epi8(d1, s[1], keep),
        _mm256_blendv_epi8(d2, s[2], keep),
        _mm256_blendv_epi8(d3, s[3], keep),
    ]
}

/// `a + b mod p`.
#[inline(always)]
unsafe fn add_mod(c: &Ctx, a: Soa, b: Soa) -> Soa {
    // s = a + b < 2p < 2^255. Carries as masks (-1 = carry); adding limb j with carry in:
    // t = a_j + b_j, s_j = t + carry; carry out = (t < a_j) or (carry in and t == 2^64 - 1).
    let s0 = _mm256_add_epi64(a[0], b[0]);
    let c0 = lt(c, s0, a[0]);
    let t1 = _mm256_add_epi64(a[1], b[1]);
    let s1 = _mm256_sub_epi64(t1, c0);
    let c1 = _mm256_or_si256(
        lt(c, t1, a[1]),
        _mm256_and_si256(c0, _mm256_cmpeq_epi64(t1, c.ones)),
    );
    let t2 = _mm256_add_epi64(a[2], b[2]);
    let s2 = _mm256_sub_epi64(t2, c1);
    let c2 = _mm256_or_si256(
        lt(c, t2, a[2]),
        _mm256_and_si256(c1, _mm256_cmpeq_epi64(t2, c.ones)),
    );
    // a_3 + b_3 + 1 < 2^63: no carry out.
    let s3 = _mm256_sub_epi64(_mm256_add_epi64(a[3], b[3]), c2);
    reduce_once(c, [s0, s1, s2, s3])
}

/// `a - b mod p`.
#[inline(always)]
unsafe fn sub_mod(c: &Ctx, a: Soa, b: Soa) -> Soa {
    // d = a - b with borrows as masks, as in `reduce_once`.
    let d0 = _mm256_sub_epi64(a[0], b[0]);
    let w0 = lt(c, a[0], b[0]);
    let u1 = _mm256_sub_epi64(a[1], b[1]);
    let d1 = _mm256_add_epi64(u1, w0);
    let w1 = _mm256_or_si256(
        lt(c, a[1], b[1]),
        _mm256_and_si256(w0, _mm256_cmpeq_epi64(u1, c.zero)),
    );
    let u2 = _mm256_sub_epi64(a[2], b[2]);
    let d2 = _mm256_add_epi64(u2, w1);
    let w2 = _mm256_or_si256(
        lt(c, a[2], b[2]),
        _mm256_and_si256(w1, _mm256_cmpeq_epi64(u2, c.zero)),
    );
    // a_3, b_3 < 2^62: a_3 - b_3 - borrow lies in (-2^62 - 2, 2^62), its sign is a < b.
    let d3 = _mm256_add_epi64(_mm256_sub_epi64(a[3], b[3]), w2);
    let neg = _mm256_cmpgt_epi64(c.zero, d3);
    // On a borrow add p back (masked, so constant time); the carry out of limb 3 is the
    // wrap-around that cancels the borrow.
    let q0 = _mm256_and_si256(c.p64[0], neg);
    let q1 = _mm256_and_si256(c.p64[1], neg);
    let q2 = _mm256_and_si256(c.p64[2], neg);
    let q3 = _mm256_and_si256(c.p64[3], neg);
    let r0 = _mm256_add_epi64(d0, q0);
    let k0 = lt(c, r0, d0);
    let t1 = _mm256_add_epi64(d1, q1);
    let r1 = _mm256_sub_epi64(t1, k0);
    let k1 = _mm256_or_si256(
        lt(c, t1, d1),
        _mm256_and_si256(k0, _mm256_cmpeq_epi64(t1, c.ones)),
    );
    let t2 = _mm256_add_epi64(d2, q2);
    let r2 = _mm256_sub_epi64(t2, k1);
    let k2 = _mm256_or_si256(
        lt(c, t2, d2),
        _mm256_and_si256(k1, _mm256_cmpeq_epi64(t2, c.ones)),
    );
    let r3 = _mm256_sub_epi64(_mm256_add_epi64(d3, q3), k2);
    [r0, r1, r2, r3]
}

// ---------------------------------------------------------------------------------------------
// Radix 2^29: unpack, Montgomery product, pack.

/// `x` (64-bit limbs, `< 2^256`) as nine 29-bit digits: digit k = bits [29k, 29k + 29).
#[inline(always)]
unsafe fn unpack(c: &Ctx, x: Soa) -> R29 {
    let m = c.mask;
    [
        _mm256_and_si256(x[0], m),
        _mm256_and_si256(_mm256_srli_epi64::<29>(x[0]), m),
        _mm256_and_si256(
            _mm256_or_si256(_mm256_srli_epi64::<58>(x[0]), _mm256_slli_epi64::<6>(x[1])),
            m,
        ),
        _mm256_and_si256(_mm256_srli_epi64::<23>(x[1]), m),
        _mm256_and_si256(
            _mm256_or_si256(_mm256_srli_epi64::<52>(x[1]), _mm256_slli_epi64::<12>(x[2])),
            m,
        ),
        _mm256_and_si256(_mm256_srli_epi64::<17>(x[2]), m),
        _mm256_and_si256(
            _mm256_or_si256(_mm256_srli_epi64::<46>(x[2]), _mm256_slli_epi64::<18>(x[3])),
            m,
        ),
        _mm256_and_si256(_mm256_srli_epi64::<11>(x[3]), m),
        // x < 2^256: bits 232.. are 24 bits, and < 2^22 when x < p.
        _mm256_srli_epi64::<40>(x[3]),
    ]
}

/// The integer `32 x` (`x < 2^254`, so `32 x < 2^259`) as nine 29-bit digits: digit k = bits
/// [29k - 5, 29k + 24) of x. This is the left operand of [`mont`] (see the module doc).
#[inline(always)]
unsafe fn unpack32(c: &Ctx, x: Soa) -> R29 {
    let m = c.mask;
    [
        _mm256_and_si256(_mm256_slli_epi64::<5>(x[0]), m),
        _mm256_and_si256(_mm256_srli_epi64::<24>(x[0]), m),
        _mm256_and_si256(
            _mm256_or_si256(_mm256_srli_epi64::<53>(x[0]), _mm256_slli_epi64::<11>(x[1])),
            m,
        ),
        _mm256_and_si256(_mm256_srli_epi64::<18>(x[1]), m),
        _mm256_and_si256(
            _mm256_or_si256(_mm256_srli_epi64::<47>(x[1]), _mm256_slli_epi64::<17>(x[2])),
            m,
        ),
        _mm256_and_si256(_mm256_srli_epi64::<12>(x[2]), m),
        _mm256_and_si256(
            _mm256_or_si256(_mm256_srli_epi64::<41>(x[2]), _mm256_slli_epi64::<23>(x[3])),
            m,
        ),
        _mm256_and_si256(_mm256_srli_epi64::<6>(x[3]), m),
        // x_3 < 2^62: bits 227.. of x are < 2^27.
        _mm256_srli_epi64::<35>(x[3]),
    ]
}

/// Nine normalized 29-bit digits (top digit `< 2^35`) back to 64-bit limbs, modulo 2^256.
#[inline(always)]
unsafe fn pack(r: R29) -> Soa {
    // Digit k sits at bit 29k: limb 0 = bits 0..64 gets r0, r1 << 29, r2 << 58; and so on.
    [
        _mm256_or_si256(
            _mm256_or_si256(r[0], _mm256_slli_epi64::<29>(r[1])),
            _mm256_slli_epi64::<58>(r[2]),
        ),
        _mm256_or_si256(
            _mm256_or_si256(_mm256_srli_epi64::<6>(r[2]), _mm256_slli_epi64::<23>(r[3])),
            _mm256_slli_epi64::<52>(r[4]),
        ),
        _mm256_or_si256(
            _mm256_or_si256(_mm256_srli_epi64::<12>(r[4]), _mm256_slli_epi64::<17>(r[5])),
            _mm256_slli_epi64::<46>(r[6]),
        ),
        _mm256_or_si256(
            _mm256_or_si256(_mm256_srli_epi64::<18>(r[6]), _mm256_slli_epi64::<11>(r[7])),
            _mm256_slli_epi64::<40>(r[8]),
        ),
    ]
}

/// `r = (a b + m p) / 2^261` with `m` chosen so the division is exact: the Montgomery product
/// in radix 2^29 (FIPS, see the module doc). Inputs are digits `< 2^29` with `a b < 2^259 p`
/// (`a = 32 x`, `x, b < p`); the output has digits 0..8 normalized `< 2^29`, digit 8 `< 2^23`,
/// and value `r < 1.25 p`.
#[inline(always)]
unsafe fn mont(c: &Ctx, a: &R29, b: &R29) -> R29 {
    let z = c.zero;
    let mut m = [z; 9];
    let mut r = [z; 9];
    // Carry into the current column (< 2^35).
    let mut carry = z;
    // Columns 0..8: accumulate a'_i b_(k-i) for i in $ab and m_i p_(k-i) for i in $mp, then
    // choose m_k and drop 29 zero bits. (Index lists are spelled out so the code is
    // straight-line with constant indices.)
    macro_rules! low_column {
        ($k:literal; [$($ab:literal)*]; [$($mp:literal)*]) => {{
            let mut col = carry;
            $(col = _mm256_add_epi64(col, _mm256_mul_epu32(a[$ab], b[$k - $ab]));)*
            $(col = _mm256_add_epi64(col, _mm256_mul_epu32(m[$mp], c.p29[$k - $mp]));)*
            // m_k = col * (-p^-1) mod 2^29 (vpmuludq reads the low 32 bits of col).
            let mk = _mm256_and_si256(_mm256_mul_epu32(col, c.pinv), c.mask);
            m[$k] = mk;
            // col + m_k p_0 = 0 mod 2^29: shift the zeros out.
            col = _mm256_add_epi64(col, _mm256_mul_epu32(mk, c.p29[0]));
            carry = _mm256_srli_epi64::<29>(col);
        }};
    }
    // Columns 9..16: accumulate a'_i b_(k-i) and m_i p_(k-i) for i in $i, emit digit k - 9.
    macro_rules! high_column {
        ($k:literal; [$($i:literal)*]) => {{
            let mut col = carry;
            $(
                col = _mm256_add_epi64(col, _mm256_mul_epu32(a[$i], b[$k - $i]));
                col = _mm256_add_epi64(col, _mm256_mul_epu32(m[$i], c.p29[$k - $i]));
            )*
            r[$k - 9] = _mm256_and_si256(col, c.mask);
            carry = _mm256_srli_epi64::<29>(col);
        }};
    }
    low_column!(0; [0]; []);
    low_column!(1; [0 1]; [0]);
    low_column!(2; [0 1 2]; [0 1]);
    low_column!(3; [0 1 2 3]; [0 1 2]);
    low_column!(4; [0 1 2 3 4]; [0 1 2 3]);
    low_column!(5; [0 1 2 3 4 5]; [0 1 2 3 4]);
    low_column!(6; [0 1 2 3 4 5 6]; [0 1 2 3 4 5]);
    low_column!(7; [0 1 2 3 4 5 6 7]; [0 1 2 3 4 5 6]);
    low_column!(8; [0 1 2 3 4 5 6 7 8]; [0 1 2 3 4 5 6 7]);
    high_column!(9; [1 2 3 4 5 6 7 8]);
    high_column!(10; [2 3 4 5 6 7 8]);
    high_column!(11; [3 4 5 6 7 8]);
    high_column!(12; [4 5 6 7 8]);
    high_column!(13; [5 6 7 8]);
    high_column!(14; [6 7 8]);
    high_column!(15; [7 8]);
    high_column!(16; [8]);
    r[8] = carry;
    r
}

/// Fully reduced `x y` for four lanes: `x` given as [`unpack32`] digits, `y` as [`unpack`].
#[inline(always)]
unsafe fn mul_r29(c: &Ctx, x32: &R29, y: &R29) -> Soa {
    reduce_once(c, pack(mont(c, x32, y)))
}

/// Fully reduced `x y`.
#[inline(always)]
unsafe fn mul_mod(c: &Ctx, x: Soa, y: Soa) -> Soa {
    mul_r29(c, &unpack32(c, x), &unpack(c, y))
}

/// Broadcast digits of `32 s` for a scalar operand.
#[inline(always)]
unsafe fn splat32<P: FpParams>(s: Fp<P>) -> R29 {
    splat9(&radix29(&s.mont_limbs(), 5))
}

/// Broadcasts four words.
#[inline(always)]
unsafe fn splat4(v: &[u64; 4]) -> Soa {
    let b = |i: usize| _mm256_set1_epi64x(v[i] as i64);
    [b(0), b(1), b(2), b(3)]
}

/// Broadcasts nine words.
#[inline(always)]
unsafe fn splat9(v: &[u64; 9]) -> R29 {
    let b = |i: usize| _mm256_set1_epi64x(v[i] as i64);
    [b(0), b(1), b(2), b(3), b(4), b(5), b(6), b(7), b(8)]
}

// ---------------------------------------------------------------------------------------------
// Inner kernels (`#[target_feature]`), one per public kernel.

#[target_feature(enable = "avx2")]
unsafe fn mul_inner<P: FpParams>(out: &mut [Fp<P>], a: &[Fp<P>], b: &[Fp<P>]) {
    let c = ctx::<P>();
    let mut o = out.chunks_exact_mut(W);
    let mut x = a.chunks_exact(W);
    let mut y = b.chunks_exact(W);
    for ((o, x), y) in (&mut o).zip(&mut x).zip(&mut y) {
        store(o, mul_mod(&c, load(x), load(y)));
    }
    let o = o.into_remainder();
    if !o.is_empty() {
        let mut t = [Fp::ZERO; W];
        store(
            &mut t,
            mul_mod(&c, load(&pad(x.remainder())), load(&pad(y.remainder()))),
        );
        o.copy_from_slice(&t[..o.len()]);
    }
}

#[target_feature(enable = "avx2")]
unsafe fn mul_assign_inner<P: FpParams>(a: &mut [Fp<P>], b: &[Fp<P>]) {
    let c = ctx::<P>();
    let mut x = a.chunks_exact_mut(W);
    let mut y = b.chunks_exact(W);
    for (x, y) in (&mut x).zip(&mut y) {
        let v = mul_mod(&c, load(x), load(y));
        store(x, v);
    }
    let x = x.into_remainder();
    if !x.is_empty() {
        let mut t = pad(x);
        let v = mul_mod(&c, load(&t), load(&pad(y.remainder())));
        store(&mut t, v);
        let n = x.len();
        x.copy_from_slice(&t[..n]);
    }
}

#[target_feature(enable = "avx2")]
unsafe fn add_inner<P: FpParams>(out: &mut [Fp<P>], a: &[Fp<P>], b: &[Fp<P>]) {
    let c = ctx::<P>();
    let mut o = out.chunks_exact_mut(W);
    let mut x = a.chunks_exact(W);
    let mut y = b.chunks_exact(W);
    for ((o, x), y) in (&mut o).zip(&mut x).zip(&mut y) {
        store(o, add_mod(&c, load(x), load(y)));
    }
    let o = o.into_remainder();
    if !o.is_empty() {
        let mut t = [Fp::ZERO; W];
        store(
            &mut t,
            add_mod(&c, load(&pad(x.remainder())), load(&pad(y.remainder()))),
        );
        o.copy_from_slice(&t[..o.len()]);
    }
}

#[target_feature(enable = "avx2")]
unsafe fn sub_inner<P: FpParams>(out: &mut [Fp<P>], a: &[Fp<P>], b: &[Fp<P>]) {
    let c = ctx::<P>();
    let mut o = out.chunks_exact_mut(W);
    let mut x = a.chunks_exact(W);
    let mut y = b.chunks_exact(W);
    for ((o, x), y) in (&mut o).zip(&mut x).zip(&mut y) {
        store(o, sub_mod(&c, load(x), load(y)));
    }
    let o = o.into_remainder();
    if !o.is_empty() {
        let mut t = [Fp::ZERO; W];
        store(
            &mut t,
            sub_mod(&c, load(&pad(x.remainder())), load(&pad(y.remainder()))),
        );
        o.copy_from_slice(&t[..o.len()]);
    }
}

#[target_feature(enable = "avx2")]
unsafe fn scale_inner<P: FpParams>(out: &mut [Fp<P>], a: &[Fp<P>], s: Fp<P>) {
    let c = ctx::<P>();
    let s32 = splat32(s);
    let mut o = out.chunks_exact_mut(W);
    let mut x = a.chunks_exact(W);
    for (o, x) in (&mut o).zip(&mut x) {
        store(o, mul_r29(&c, &s32, &unpack(&c, load(x))));
    }
    let o = o.into_remainder();
    if !o.is_empty() {
        let mut t = [Fp::ZERO; W];
        store(
            &mut t,
            mul_r29(&c, &s32, &unpack(&c, load(&pad(x.remainder())))),
        );
        o.copy_from_slice(&t[..o.len()]);
    }
}

#[target_feature(enable = "avx2")]
unsafe fn mul_add_inner<P: FpParams>(out: &mut [Fp<P>], a: &[Fp<P>], b: &[Fp<P>]) {
    let c = ctx::<P>();
    let mut o = out.chunks_exact_mut(W);
    let mut x = a.chunks_exact(W);
    let mut y = b.chunks_exact(W);
    for ((o, x), y) in (&mut o).zip(&mut x).zip(&mut y) {
        let v = add_mod(&c, load(o), mul_mod(&c, load(x), load(y)));
        store(o, v);
    }
    let o = o.into_remainder();
    if !o.is_empty() {
        let mut t = pad(o);
        let v = add_mod(
            &c,
            load(&t),
            mul_mod(&c, load(&pad(x.remainder())), load(&pad(y.remainder()))),
        );
        store(&mut t, v);
        let n = o.len();
        o.copy_from_slice(&t[..n]);
    }
}

#[target_feature(enable = "avx2")]
unsafe fn inner_product_inner<P: FpParams>(a: &[Fp<P>], b: &[Fp<P>]) -> Fp<P> {
    let c = ctx::<P>();
    // Lazy sum: the unreduced Montgomery products r (< 1.25 p, digits < 2^29) are added digit
    // by digit without carries. A block of at most 2^32 groups keeps each lane's digit sum
    // below 2^61 (and the four lanes' sum below 2^63); each block is then reduced once.
    const BLOCK: usize = W << 32;
    let mut total = Fp::<P>::ZERO;
    for (a, b) in a.chunks(BLOCK).zip(b.chunks(BLOCK)) {
        let mut acc = [c.zero; 9];
        let mut x = a.chunks_exact(W);
        let mut y = b.chunks_exact(W);
        for (x, y) in (&mut x).zip(&mut y) {
            let r = mont(&c, &unpack32(&c, load(x)), &unpack(&c, load(y)));
            for k in 0..9 {
                acc[k] = _mm256_add_epi64(acc[k], r[k]);
            }
        }
        if !x.remainder().is_empty() {
            // Zero padding: mont(0, 0) = 0, the padded lanes add nothing.
            let r = mont(
                &c,
                &unpack32(&c, load(&pad(x.remainder()))),
                &unpack(&c, load(&pad(y.remainder()))),
            );
            for k in 0..9 {
                acc[k] = _mm256_add_epi64(acc[k], r[k]);
            }
        }
        let mut lanes = [[0u64; W]; 9];
        for k in 0..9 {
            _mm256_storeu_si256(lanes[k].as_mut_ptr() as *mut __m256i, acc[k]);
        }
        total += reduce_digit_sums(&lanes);
    }
    total
}

/// Reduces `V = sum_k (sum_l d[k][l]) 2^(29 k)` mod p (each `d[k][l] < 2^61`), with `V` read as
/// raw Montgomery limbs: the sum of the lanes' unreduced Montgomery products.
fn reduce_digit_sums<P: FpParams>(d: &[[u64; W]; 9]) -> Fp<P> {
    // V < 2^63 * 2^233 < 2^320: five 64-bit words.
    let mut words = [0u64; 5];
    for (k, digit) in d.iter().enumerate() {
        let sum: u128 = digit.iter().map(|&v| v as u128).sum();
        // Add sum * 2^(29 k) = (sum << o) * 2^(64 w); sum << o < 2^127.
        let (w, o) = (29 * k / 64, 29 * k % 64);
        let mut add = sum << o;
        let mut i = w;
        while add != 0 && i < words.len() {
            let s = words[i] as u128 + (add as u64) as u128;
            words[i] = s as u64;
            add = (add >> 64) + (s >> 64);
            i += 1;
        }
    }
    // V mod p = sum_i w_i 2^(64 i) mod p; the Montgomery product of the word w_i (< 2^64 < p)
    // with 2^(256 + 64 i) mod p is exactly w_i 2^(64 i) mod p.
    let mut total = Fp::ZERO;
    for (wi, weight) in words.iter().zip(Consts::<P>::WORD_WEIGHTS.iter()) {
        total += Fp::<P>::from_mont_limbs([*wi, 0, 0, 0]) * Fp::from_mont_limbs(*weight);
    }
    total
}

#[target_feature(enable = "avx2")]
unsafe fn fold_inner<P: FpParams>(out: &mut [Fp<P>], lo: &[Fp<P>], hi: &[Fp<P>], r: Fp<P>) {
    let c = ctx::<P>();
    let r32 = splat32(r);
    let mut o = out.chunks_exact_mut(W);
    let mut x = lo.chunks_exact(W);
    let mut y = hi.chunks_exact(W);
    for ((o, x), y) in (&mut o).zip(&mut x).zip(&mut y) {
        let l = load(x);
        let d = sub_mod(&c, load(y), l);
        store(o, add_mod(&c, l, mul_r29(&c, &r32, &unpack(&c, d))));
    }
    let o = o.into_remainder();
    if !o.is_empty() {
        let l = load(&pad(x.remainder()));
        let d = sub_mod(&c, load(&pad(y.remainder())), l);
        let mut t = [Fp::ZERO; W];
        store(&mut t, add_mod(&c, l, mul_r29(&c, &r32, &unpack(&c, d))));
        o.copy_from_slice(&t[..o.len()]);
    }
}

#[target_feature(enable = "avx2")]
unsafe fn fold_in_place_inner<P: FpParams>(lo: &mut [Fp<P>], hi: &[Fp<P>], r: Fp<P>) {
    let c = ctx::<P>();
    let r32 = splat32(r);
    let mut x = lo.chunks_exact_mut(W);
    let mut y = hi.chunks_exact(W);
    for (x, y) in (&mut x).zip(&mut y) {
        let l = load(x);
        let d = sub_mod(&c, load(y), l);
        store(x, add_mod(&c, l, mul_r29(&c, &r32, &unpack(&c, d))));
    }
    let x = x.into_remainder();
    if !x.is_empty() {
        let mut t = pad(x);
        let l = load(&t);
        let d = sub_mod(&c, load(&pad(y.remainder())), l);
        store(&mut t, add_mod(&c, l, mul_r29(&c, &r32, &unpack(&c, d))));
        let n = x.len();
        x.copy_from_slice(&t[..n]);
    }
}

#[target_feature(enable = "avx2")]
unsafe fn eq_step_inner<P: FpParams>(lo: &mut [Fp<P>], hi: &mut [Fp<P>], r: Fp<P>) {
    let c = ctx::<P>();
    let r32 = splat32(r);
    let mut x = lo.chunks_exact_mut(W);
    let mut y = hi.chunks_exact_mut(W);
    for (x, y) in (&mut x).zip(&mut y) {
        let l = load(x);
        let h = mul_r29(&c, &r32, &unpack(&c, l));
        store(y, h);
        store(x, sub_mod(&c, l, h));
    }
    let (x, y) = (x.into_remainder(), y.into_remainder());
    let n = x.len().min(y.len());
    if n > 0 {
        let mut tl = pad(&x[..n]);
        let mut th = [Fp::ZERO; W];
        let l = load(&tl);
        let h = mul_r29(&c, &r32, &unpack(&c, l));
        store(&mut th, h);
        store(&mut tl, sub_mod(&c, l, h));
        x[..n].copy_from_slice(&tl[..n]);
        y[..n].copy_from_slice(&th[..n]);
    }
}

// ---------------------------------------------------------------------------------------------
// Safe wrappers (portable signatures). SAFETY of every inner call: see the module doc; the
// dispatcher only routes here once `Backend::Avx2.is_available()` held.

/// `out[i] = a[i] * b[i]`.
pub fn mul<P: FpParams>(out: &mut [Fp<P>], a: &[Fp<P>], b: &[Fp<P>]) {
    debug_assert!(Backend::Avx2.is_available());
    let n = out.len().min(a.len()).min(b.len());
    // SAFETY: AVX2 is available (module doc).
    unsafe { mul_inner(&mut out[..n], &a[..n], &b[..n]) }
}

/// `a[i] *= b[i]`.
pub fn mul_assign<P: FpParams>(a: &mut [Fp<P>], b: &[Fp<P>]) {
    debug_assert!(Backend::Avx2.is_available());
    let n = a.len().min(b.len());
    // SAFETY: AVX2 is available (module doc).
    unsafe { mul_assign_inner(&mut a[..n], &b[..n]) }
}

/// `out[i] = a[i] + b[i]`.
pub fn add<P: FpParams>(out: &mut [Fp<P>], a: &[Fp<P>], b: &[Fp<P>]) {
    debug_assert!(Backend::Avx2.is_available());
    let n = out.len().min(a.len()).min(b.len());
    // SAFETY: AVX2 is available (module doc).
    unsafe { add_inner(&mut out[..n], &a[..n], &b[..n]) }
}

/// `out[i] = a[i] - b[i]`.
pub fn sub<P: FpParams>(out: &mut [Fp<P>], a: &[Fp<P>], b: &[Fp<P>]) {
    debug_assert!(Backend::Avx2.is_available());
    let n = out.len().min(a.len()).min(b.len());
    // SAFETY: AVX2 is available (module doc).
    unsafe { sub_inner(&mut out[..n], &a[..n], &b[..n]) }
}

/// `out[i] = s * a[i]`.
pub fn scale<P: FpParams>(out: &mut [Fp<P>], a: &[Fp<P>], s: Fp<P>) {
    debug_assert!(Backend::Avx2.is_available());
    let n = out.len().min(a.len());
    // SAFETY: AVX2 is available (module doc).
    unsafe { scale_inner(&mut out[..n], &a[..n], s) }
}

/// `out[i] += a[i] * b[i]`.
pub fn mul_add<P: FpParams>(out: &mut [Fp<P>], a: &[Fp<P>], b: &[Fp<P>]) {
    debug_assert!(Backend::Avx2.is_available());
    let n = out.len().min(a.len()).min(b.len());
    // SAFETY: AVX2 is available (module doc).
    unsafe { mul_add_inner(&mut out[..n], &a[..n], &b[..n]) }
}

/// `sum_i a[i] * b[i]`.
pub fn inner_product<P: FpParams>(a: &[Fp<P>], b: &[Fp<P>]) -> Fp<P> {
    debug_assert!(Backend::Avx2.is_available());
    let n = a.len().min(b.len());
    // SAFETY: AVX2 is available (module doc).
    unsafe { inner_product_inner(&a[..n], &b[..n]) }
}

/// `out[i] = lo[i] + r * (hi[i] - lo[i])`.
pub fn fold<P: FpParams>(out: &mut [Fp<P>], lo: &[Fp<P>], hi: &[Fp<P>], r: Fp<P>) {
    debug_assert!(Backend::Avx2.is_available());
    let n = out.len().min(lo.len()).min(hi.len());
    // SAFETY: AVX2 is available (module doc).
    unsafe { fold_inner(&mut out[..n], &lo[..n], &hi[..n], r) }
}

/// `lo[i] += r * (hi[i] - lo[i])`.
pub fn fold_in_place<P: FpParams>(lo: &mut [Fp<P>], hi: &[Fp<P>], r: Fp<P>) {
    debug_assert!(Backend::Avx2.is_available());
    let n = lo.len().min(hi.len());
    // SAFETY: AVX2 is available (module doc).
    unsafe { fold_in_place_inner(&mut lo[..n], &hi[..n], r) }
}

/// One eq-expansion step: `hi[i] = lo[i] * r; lo[i] -= hi[i]`.
pub fn eq_step<P: FpParams>(lo: &mut [Fp<P>], hi: &mut [Fp<P>], r: Fp<P>) {
    debug_assert!(Backend::Avx2.is_available());
    let n = lo.len().min(hi.len());
    // SAFETY: AVX2 is available (module doc).
    unsafe { eq_step_inner(&mut lo[..n], &mut hi[..n], r) }
}

#[cfg(test)]
mod tests {
    //! Every kernel against `portable.rs`, element for element: edge values (0, 1, p - 1,
    //! p - 2 both as field values and as raw Montgomery limbs, carry-heavy limb patterns) and
    //! random values, all lengths 0..=20 and 1000, Fr and Fq, at unaligned offsets.

    use super::super::portable;
    use crate::backend::Backend;
    use crate::fp::{Fp, FpParams};
    use crate::{Field, Fq, FqParams, Fr, FrParams};
    use rand_chacha::rand_core::{RngCore, SeedableRng};
    use rand_chacha::ChaCha20Rng;

    fn seed() -> u64 {
        std::env::var("KAIZEN_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0x6176_7832)
    }

    /// Edge values: field 0, 1, -1, -2; raw limbs 1, p - 1, p - 2, 2^253 - 1, p - 2^64 and a
    /// value with all low limbs saturated.
    fn edges<P: FpParams>() -> Vec<Fp<P>> {
        let p = P::MODULUS;
        let raw = |l: [u64; 4]| Fp::<P>::from_mont_limbs(l);
        vec![
            Fp::ZERO,
            Fp::ONE,
            -Fp::ONE,
            -Fp::ONE - Fp::ONE,
            raw([1, 0, 0, 0]),
            raw([p[0] - 1, p[1], p[2], p[3]]),
            raw([p[0] - 2, p[1], p[2], p[3]]),
            raw([u64::MAX, u64::MAX, u64::MAX, (1 << 61) - 1]),
            raw([p[0], p[1] - 1, p[2], p[3]]),
            raw([u64::MAX, u64::MAX, u64::MAX, p[3] - 1]),
        ]
    }

    fn values<P: FpParams>(rng: &mut ChaCha20Rng, n: usize) -> Vec<Fp<P>> {
        let e = edges::<P>();
        (0..n)
            .map(|_| {
                let k = rng.next_u32() as usize % (2 * e.len());
                if k < e.len() {
                    e[k]
                } else {
                    Fp::random(rng)
                }
            })
            .collect()
    }

    fn lengths() -> impl Iterator<Item = usize> {
        (0..=20).chain([1000])
    }

    fn check<P: FpParams>(seed: u64) {
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        for n in lengths() {
            for off in [0usize, 1] {
                let a = values::<P>(&mut rng, n + off);
                let b = values::<P>(&mut rng, n + off);
                let o = values::<P>(&mut rng, n + off);
                let (a, b) = (&a[off..], &b[off..]);
                let e = edges::<P>();
                let r = if n < e.len() {
                    e[n]
                } else {
                    Fp::random(&mut rng)
                };
                let ctx = format!("{} n={n} off={off} seed={seed}", P::NAME);

                let (mut want, mut got) = (o.clone(), o.clone());
                portable::mul(&mut want[off..], a, b);
                super::mul(&mut got[off..], a, b);
                assert_eq!(want, got, "mul {ctx}");

                let (mut want, mut got) = (a.to_vec(), a.to_vec());
                portable::mul_assign(&mut want, b);
                super::mul_assign(&mut got, b);
                assert_eq!(want, got, "mul_assign {ctx}");

                let (mut want, mut got) = (o.clone(), o.clone());
                portable::add(&mut want[off..], a, b);
                super::add(&mut got[off..], a, b);
                assert_eq!(want, got, "add {ctx}");

                let (mut want, mut got) = (o.clone(), o.clone());
                portable::sub(&mut want[off..], a, b);
                super::sub(&mut got[off..], a, b);
                assert_eq!(want, got, "sub {ctx}");

                let (mut want, mut got) = (o.clone(), o.clone());
                portable::scale(&mut want[off..], a, r);
                super::scale(&mut got[off..], a, r);
                assert_eq!(want, got, "scale {ctx}");

                let (mut want, mut got) = (o.clone(), o.clone());
                portable::mul_add(&mut want[off..], a, b);
                super::mul_add(&mut got[off..], a, b);
                assert_eq!(want, got, "mul_add {ctx}");

                assert_eq!(
                    portable::inner_product(a, b),
                    super::inner_product(a, b),
                    "inner_product {ctx}"
                );

                let (mut want, mut got) = (o.clone(), o.clone());
                portable::fold(&mut want[off..], a, b, r);
                super::fold(&mut got[off..], a, b, r);
                assert_eq!(want, got, "fold {ctx}");

                let (mut want, mut got) = (a.to_vec(), a.to_vec());
                portable::fold_in_place(&mut want, b, r);
                super::fold_in_place(&mut got, b, r);
                assert_eq!(want, got, "fold_in_place {ctx}");

                let (mut wl, mut gl) = (a.to_vec(), a.to_vec());
                let (mut wh, mut gh) = (b.to_vec(), b.to_vec());
                portable::eq_step(&mut wl, &mut wh, r);
                super::eq_step(&mut gl, &mut gh, r);
                assert_eq!(wl, gl, "eq_step lo {ctx}");
                assert_eq!(wh, gh, "eq_step hi {ctx}");
            }
        }
    }

    #[test]
    fn edge_pairs_all_kernels() {
        if !Backend::Avx2.is_available() {
            eprintln!("avx2 not available: skipped");
            return;
        }
        // Every ordered pair of edge values, through mul, add, sub.
        fn pairs<P: FpParams>() {
            let e = edges::<P>();
            let a: Vec<Fp<P>> = e.iter().flat_map(|x| e.iter().map(move |_| *x)).collect();
            let b: Vec<Fp<P>> = e.iter().flat_map(|_| e.iter().copied()).collect();
            let mut want = vec![Fp::ZERO; a.len()];
            let mut got = vec![Fp::ZERO; a.len()];
            portable::mul(&mut want, &a, &b);
            super::mul(&mut got, &a, &b);
            assert_eq!(want, got, "mul {}", P::NAME);
            portable::add(&mut want, &a, &b);
            super::add(&mut got, &a, &b);
            assert_eq!(want, got, "add {}", P::NAME);
            portable::sub(&mut want, &a, &b);
            super::sub(&mut got, &a, &b);
            assert_eq!(want, got, "sub {}", P::NAME);
        }
        pairs::<FrParams>();
        pairs::<FqParams>();
    }

    #[test]
    fn kernels_match_portable_fr() {
        if !Backend::Avx2.is_available() {
            eprintln!("avx2 not available: skipped");
            return;
        }
        check::<FrParams>(seed());
    }

    #[test]
    fn kernels_match_portable_fq() {
        if !Backend::Avx2.is_available() {
            eprintln!("avx2 not available: skipped");
            return;
        }
        check::<FqParams>(seed() ^ 1);
    }

    #[test]
    fn inner_product_of_many_max_values() {
        if !Backend::Avx2.is_available() {
            eprintln!("avx2 not available: skipped");
            return;
        }
        // Largest lazy digit sums we can afford in a test: 2^16 products of -1 * -1.
        let a = vec![-Fr::ONE; 1 << 16];
        assert_eq!(
            super::inner_product(&a, &a),
            portable::inner_product(&a, &a)
        );
        let q = vec![-Fq::ONE - Fq::ONE; (1 << 16) + 3];
        assert_eq!(
            super::inner_product(&q, &q),
            portable::inner_product(&q, &q)
        );
    }
}
