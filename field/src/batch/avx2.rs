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

use crate::backend::Backend;
use crate::fp::{Fp, FpParams};

use super::digits29::{self, radix29, Consts, Simd29, MASK29};

pub use super::portable::{batch_inverse, mul_small};

/// Lanes per vector.
const W: usize = 4;

/// Four elements, limb-major: `x[j]` lane `l` is 64-bit limb `j` of element `l`.
type Soa = [__m256i; 4];

/// Four integers in radix 2^29: `x[k]` lane `l` holds bits `[29k, 29k + 29)` of integer `l`.
type R29 = [__m256i; 9];

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
// The generic kernels of `digits29` on AVX2, and the public entry points.

/// The AVX2 instance of the radix-2^29 kernels.
struct Avx2;

impl Simd29<W> for Avx2 {
    type Ctx = Ctx;
    type Soa = Soa;
    type Digits = R29;
    type Acc = R29;

    #[inline(always)]
    unsafe fn ctx<P: FpParams>() -> Ctx {
        ctx::<P>()
    }
    #[inline(always)]
    unsafe fn load<P>(x: &[Fp<P>]) -> Soa {
        load(x)
    }
    #[inline(always)]
    unsafe fn store<P>(x: &mut [Fp<P>], v: Soa) {
        store(x, v)
    }
    #[inline(always)]
    unsafe fn add_mod(c: &Ctx, a: Soa, b: Soa) -> Soa {
        add_mod(c, a, b)
    }
    #[inline(always)]
    unsafe fn sub_mod(c: &Ctx, a: Soa, b: Soa) -> Soa {
        sub_mod(c, a, b)
    }
    #[inline(always)]
    unsafe fn mul_mod(c: &Ctx, x: Soa, y: Soa) -> Soa {
        mul_mod(c, x, y)
    }
    #[inline(always)]
    unsafe fn unpack(c: &Ctx, x: Soa) -> R29 {
        unpack(c, x)
    }
    #[inline(always)]
    unsafe fn splat32<P: FpParams>(s: Fp<P>) -> R29 {
        splat32(s)
    }
    #[inline(always)]
    unsafe fn mul_r29(c: &Ctx, x32: &R29, y: &R29) -> Soa {
        mul_r29(c, x32, y)
    }
    #[inline(always)]
    unsafe fn acc_zero(c: &Ctx) -> R29 {
        [c.zero; 9]
    }
    #[inline(always)]
    unsafe fn acc_mul(c: &Ctx, acc: &mut R29, x: Soa, y: Soa) {
        let r = mont(c, &unpack32(c, x), &unpack(c, y));
        for k in 0..9 {
            acc[k] = _mm256_add_epi64(acc[k], r[k]);
        }
    }
    #[inline(always)]
    unsafe fn acc_lanes(acc: &R29) -> [[u64; W]; 9] {
        let mut lanes = [[0u64; W]; 9];
        for k in 0..9 {
            _mm256_storeu_si256(lanes[k].as_mut_ptr() as *mut __m256i, acc[k]);
        }
        lanes
    }
}

digits29::entry_points!("avx2", Backend::Avx2, Avx2);

#[cfg(test)]
digits29::tests::backend_tests!(Backend::Avx2, 0x6176_7832);
