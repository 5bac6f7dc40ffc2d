//! NEON batch kernels (aarch64): two field elements at a time, one per 64-bit lane.
//!
//! Preconditions: `P::MODULUS[3] < 2^62` (so `p < 2^254`, the crate-wide spare-bit condition,
//! checked at compile time in [`Consts`]); inputs are fully reduced `Fp` values; outputs are
//! fully reduced, bit-identical to `portable.rs` (Montgomery form is unique once reduced).
//!
//! # Layout
//!
//! Memory holds elements as 4 little-endian `u64` limbs each (`Fp<P>` is `repr(transparent)`
//! over `[u64; 4]`). Two consecutive elements are loaded unaligned (`ld1`) and transposed
//! (`zip1`/`zip2`) into [`Soa`]: vector `x[j]` holds limb `j` of both elements. Additions,
//! subtractions and the final conditional subtraction work on this 64-bit form, with carries
//! and borrows as all-ones masks from unsigned compares (`cmhi`).
//!
//! # Multiplication: radix 2^29, Montgomery with `R = 2^261`, product scanning
//!
//! NEON's wide multiplies are `umull`/`umlal` (32 x 32 -> 64 bits, two lanes, with
//! accumulate). Limbs of 29 bits make every partial product `< 2^58`, so a 64-bit lane sums
//! 18 of them plus a carry without overflow: carries are propagated once per column. Nine
//! 29-bit digits (held in `uint32x2_t`, ready for `umlal`) make 261 bits.
//!
//! Montgomery reduction in radix 2^29 over nine steps divides by `2^261`, not by kaizen's
//! `R = 2^256`. The missing factor 2^5 is folded into the input: the left operand is unpacked
//! as the *integer* `a' = 32 a` (not reduced mod p; `32 a < 2^259` still fits nine digits), so
//! `mont261(a', b) = 32 a b / 2^261 = a b / 2^256 mod p`, exactly kaizen's Montgomery product.
//! Unpacking with a 5-bit offset costs the same shifts as without.
//!
//! The product is computed column by column ("finely integrated product scanning", FIPS,
//! Koç–Acar–Kaliski 1996, section 5): column `k` accumulates `a'_i b_j` (`i + j = k`) and
//! `m_i p_j` (`i + j = k`, `i < k`) and the carry from column `k - 1`; for `k < 9` it then
//! picks `m_k = (col * -p^-1) mod 2^29` so that `col + m_k p_0 = 0 mod 2^29` and drops those
//! 29 zero bits; for `k >= 9` it emits result digit `k - 9`.
//!
//! Bounds, per 64-bit lane (all digits `a'_i, b_j, m_i, p_j < 2^29`):
//! - a column sums at most 9 products `a'_i b_j` and 9 products `m_i p_j`, each `< 2^58`,
//!   plus a carry `< 2^35`: `col < 18 * 2^58 + 2^35 < 2^63`. No overflow.
//! - the result `r = (a' b + m p) / 2^261` with `m < 2^261` satisfies
//!   `r < 32 p^2 / 2^261 + p < p / 4 + p` (as `32 p < 2^259`), so one conditional subtraction
//!   of `p` reduces it. Its top digit (the last carry) is `< 2^23` because `r < 2^255`.
//!
//! Cost per two products: 171 `umull`/`umlal`/`mul` (81 for `a' b`, 81 for `m p`, 9 for the
//! `m_i`), 17 shifts and 17 masks for the columns, ~40 shifts and narrows for unpacking and
//! packing, 8 zips for the two transposes and ~25 instructions for the conditional subtraction.
//!
//! # Dispatch and safety
//!
//! Every public function has the portable signature and is safe. It calls one inner
//! `#[target_feature(enable = "neon")] unsafe fn`. SAFETY of that call: these wrappers are only
//! reached through `batch::dispatch!` with `Backend::Neon`, and that backend is only used after
//! `Backend::Neon.is_available()` held (`Backend::require` when the backend is resolved, or
//! `checked` in the `*_with` functions), i.e. after `is_aarch64_feature_detected!("neon")`
//! (NEON is also part of the `aarch64-unknown-linux-gnu` baseline). Each wrapper also
//! `debug_assert!`s it. Loads and stores are unaligned (`ld1`/`st1`) and only touch two whole
//! elements of a slice checked to hold them, or a local padded copy. Tails (odd lengths) run
//! the same vector code on a zero-padded stack copy (zero is a valid element), so nothing
//! allocates and every element takes the same code path.

use core::arch::aarch64::*;

use crate::backend::Backend;
use crate::fp::{Fp, FpParams};

use super::digits29::{self, radix29, Consts, Simd29, MASK29};

pub use super::portable::{batch_inverse, mul_small};

/// Lanes per vector.
const W: usize = 2;

/// Two elements, limb-major: `x[j]` lane `l` is 64-bit limb `j` of element `l`.
type Soa = [uint64x2_t; 4];

/// Two integers in radix 2^29, as `umlal` operands: `x[k]` lane `l` holds bits
/// `[29k, 29k + 29)` of integer `l`.
type D29 = [uint32x2_t; 9];

/// Two integers in radix 2^29, 64-bit lanes (the output of [`mont`]).
type R29 = [uint64x2_t; 9];

/// Broadcast constants for one kernel call.
struct Ctx {
    /// `p`, 64-bit limbs.
    p64: Soa,
    /// `p` in radix 2^29.
    p29: D29,
    /// `-p^-1 mod 2^29`.
    pinv: uint32x2_t,
    /// `2^29 - 1`, 32-bit lanes.
    mask32: uint32x2_t,
    /// `2^29 - 1`, 64-bit lanes.
    mask64: uint64x2_t,
    /// All ones.
    ones: uint64x2_t,
    /// All zeros.
    zero: uint64x2_t,
}

#[inline(always)]
unsafe fn ctx<P: FpParams>() -> Ctx {
    #[allow(clippy::let_unit_value)]
    let () = Consts::<P>::CHECK;
    let p = P::MODULUS;
    let q = Consts::<P>::P29;
    Ctx {
        p64: [
            vdupq_n_u64(p[0]),
            vdupq_n_u64(p[1]),
            vdupq_n_u64(p[2]),
            vdupq_n_u64(p[3]),
        ],
        p29: [
            vdup_n_u32(q[0] as u32),
            vdup_n_u32(q[1] as u32),
            vdup_n_u32(q[2] as u32),
            vdup_n_u32(q[3] as u32),
            vdup_n_u32(q[4] as u32),
            vdup_n_u32(q[5] as u32),
            vdup_n_u32(q[6] as u32),
            vdup_n_u32(q[7] as u32),
            vdup_n_u32(q[8] as u32),
        ],
        pinv: vdup_n_u32(Consts::<P>::PINV29 as u32),
        mask32: vdup_n_u32(MASK29 as u32),
        mask64: vdupq_n_u64(MASK29),
        ones: vdupq_n_u64(u64::MAX),
        zero: vdupq_n_u64(0),
    }
}

// ---------------------------------------------------------------------------------------------
// Loads, stores, transposes.

/// Loads two elements (`x.len() >= 2`, any alignment) into limb-major form.
#[inline(always)]
unsafe fn load<P>(x: &[Fp<P>]) -> Soa {
    debug_assert!(x.len() >= W);
    // SAFETY (caller's slice): `Fp<P>` is 4 u64, the slice holds 2 elements = 8 u64.
    let p = x.as_ptr() as *const u64;
    let (e0lo, e0hi) = (vld1q_u64(p), vld1q_u64(p.add(2)));
    let (e1lo, e1hi) = (vld1q_u64(p.add(4)), vld1q_u64(p.add(6)));
    [
        vzip1q_u64(e0lo, e1lo),
        vzip2q_u64(e0lo, e1lo),
        vzip1q_u64(e0hi, e1hi),
        vzip2q_u64(e0hi, e1hi),
    ]
}

/// Stores two elements (`x.len() >= 2`, any alignment) from limb-major form.
#[inline(always)]
unsafe fn store<P>(x: &mut [Fp<P>], v: Soa) {
    debug_assert!(x.len() >= W);
    let p = x.as_mut_ptr() as *mut u64;
    vst1q_u64(p, vzip1q_u64(v[0], v[1]));
    vst1q_u64(p.add(2), vzip1q_u64(v[2], v[3]));
    vst1q_u64(p.add(4), vzip2q_u64(v[0], v[1]));
    vst1q_u64(p.add(6), vzip2q_u64(v[2], v[3]));
}

// ---------------------------------------------------------------------------------------------
// 64-bit limb arithmetic (fully reduced in, fully reduced out). Carries and borrows are masks
// (all ones = 1): adding a mask subtracts 1, subtracting it adds 1.

/// `s - p` if `s >= p`, else `s`, for `s < 2p`.
#[inline(always)]
unsafe fn reduce_once(c: &Ctx, s: Soa) -> Soa {
    // Limb j: u = s_j - p_j, then d_j = u - borrow; the borrow out is (s_j < p_j) or
    // (borrow in and u == 0).
    let d0 = vsubq_u64(s[0], c.p64[0]);
    let w0 = vcltq_u64(s[0], c.p64[0]);
    let u1 = vsubq_u64(s[1], c.p64[1]);
    let d1 = vaddq_u64(u1, w0);
    let w1 = vorrq_u64(vcltq_u64(s[1], c.p64[1]), vandq_u64(w0, vceqzq_u64(u1)));
    let u2 = vsubq_u64(s[2], c.p64[2]);
    let d2 = vaddq_u64(u2, w1);
    let w2 = vorrq_u64(vcltq_u64(s[2], c.p64[2]), vandq_u64(w1, vceqzq_u64(u2)));
    // s_3 < 2^63 and p_3 < 2^62: s_3 - p_3 - borrow lies in (-2^63, 2^63), so its sign is the
    // final borrow, i.e. s < p.
    let d3 = vaddq_u64(vsubq_u64(s[3], c.p64[3]), w2);
    let keep = vcltzq_s64(vreinterpretq_s64_u64(d3));
    [
        vbslq_u64(keep, s[0], d0),
        vbslq_u64(keep, s[1], d1),
        vbslq_u64(keep, s[2], d2),
        vbslq_u64(keep, s[3], d3),
    ]
}

/// `a + b mod p`.
#[inline(always)]
unsafe fn add_mod(c: &Ctx, a: Soa, b: Soa) -> Soa {
    // s = a + b < 2p < 2^255. Limb j with carry in: t = a_j + b_j, s_j = t + carry; carry out
    // = (t < a_j) or (carry in and t == 2^64 - 1).
    let s0 = vaddq_u64(a[0], b[0]);
    let c0 = vcltq_u64(s0, a[0]);
    let t1 = vaddq_u64(a[1], b[1]);
    let s1 = vsubq_u64(t1, c0);
    let c1 = vorrq_u64(vcltq_u64(t1, a[1]), vandq_u64(c0, vceqq_u64(t1, c.ones)));
    let t2 = vaddq_u64(a[2], b[2]);
    let s2 = vsubq_u64(t2, c1);
    let c2 = vorrq_u64(vcltq_u64(t2, a[2]), vandq_u64(c1, vceqq_u64(t2, c.ones)));
    // a_3 + b_3 + 1 < 2^63: no carry out.
    let s3 = vsubq_u64(vaddq_u64(a[3], b[3]), c2);
    reduce_once(c, [s0, s1, s2, s3])
}

/// `a - b mod p`.
#[inline(always)]
unsafe fn sub_mod(c: &Ctx, a: Soa, b: Soa) -> Soa {
    // d = a - b with borrows as masks, as in `reduce_once`.
    let d0 = vsubq_u64(a[0], b[0]);
    let w0 = vcltq_u64(a[0], b[0]);
    let u1 = vsubq_u64(a[1], b[1]);
    let d1 = vaddq_u64(u1, w0);
    let w1 = vorrq_u64(vcltq_u64(a[1], b[1]), vandq_u64(w0, vceqzq_u64(u1)));
    let u2 = vsubq_u64(a[2], b[2]);
    let d2 = vaddq_u64(u2, w1);
    let w2 = vorrq_u64(vcltq_u64(a[2], b[2]), vandq_u64(w1, vceqzq_u64(u2)));
    // a_3, b_3 < 2^62: a_3 - b_3 - borrow lies in (-2^62 - 2, 2^62), its sign is a < b.
    let d3 = vaddq_u64(vsubq_u64(a[3], b[3]), w2);
    let neg = vcltzq_s64(vreinterpretq_s64_u64(d3));
    // On a borrow add p back (masked, so constant time); the carry out of limb 3 is the
    // wrap-around that cancels the borrow.
    let q0 = vandq_u64(c.p64[0], neg);
    let q1 = vandq_u64(c.p64[1], neg);
    let q2 = vandq_u64(c.p64[2], neg);
    let q3 = vandq_u64(c.p64[3], neg);
    let r0 = vaddq_u64(d0, q0);
    let k0 = vcltq_u64(r0, d0);
    let t1 = vaddq_u64(d1, q1);
    let r1 = vsubq_u64(t1, k0);
    let k1 = vorrq_u64(vcltq_u64(t1, d1), vandq_u64(k0, vceqq_u64(t1, c.ones)));
    let t2 = vaddq_u64(d2, q2);
    let r2 = vsubq_u64(t2, k1);
    let k2 = vorrq_u64(vcltq_u64(t2, d2), vandq_u64(k1, vceqq_u64(t2, c.ones)));
    let r3 = vsubq_u64(vaddq_u64(d3, q3), k2);
    [r0, r1, r2, r3]
}

// ---------------------------------------------------------------------------------------------
// Radix 2^29: unpack, Montgomery product, pack.

/// The low 29 bits of each 64-bit lane, narrowed to 32-bit lanes.
#[inline(always)]
unsafe fn digit(c: &Ctx, v: uint64x2_t) -> uint32x2_t {
    vand_u32(vmovn_u64(v), c.mask32)
}

/// `x` (64-bit limbs, `< 2^256`) as nine 29-bit digits: digit k = bits [29k, 29k + 29).
#[inline(always)]
unsafe fn unpack(c: &Ctx, x: Soa) -> D29 {
    [
        digit(c, x[0]),
        digit(c, vshrq_n_u64::<29>(x[0])),
        digit(
            c,
            vorrq_u64(vshrq_n_u64::<58>(x[0]), vshlq_n_u64::<6>(x[1])),
        ),
        digit(c, vshrq_n_u64::<23>(x[1])),
        digit(
            c,
            vorrq_u64(vshrq_n_u64::<52>(x[1]), vshlq_n_u64::<12>(x[2])),
        ),
        digit(c, vshrq_n_u64::<17>(x[2])),
        digit(
            c,
            vorrq_u64(vshrq_n_u64::<46>(x[2]), vshlq_n_u64::<18>(x[3])),
        ),
        digit(c, vshrq_n_u64::<11>(x[3])),
        // x < 2^256: bits 232.. are 24 bits, and < 2^22 when x < p.
        vmovn_u64(vshrq_n_u64::<40>(x[3])),
    ]
}

/// The integer `32 x` (`x < 2^254`, so `32 x < 2^259`) as nine 29-bit digits: digit k = bits
/// [29k - 5, 29k + 24) of x. This is the left operand of [`mont`] (see the module doc).
#[inline(always)]
unsafe fn unpack32(c: &Ctx, x: Soa) -> D29 {
    [
        digit(c, vshlq_n_u64::<5>(x[0])),
        digit(c, vshrq_n_u64::<24>(x[0])),
        digit(
            c,
            vorrq_u64(vshrq_n_u64::<53>(x[0]), vshlq_n_u64::<11>(x[1])),
        ),
        digit(c, vshrq_n_u64::<18>(x[1])),
        digit(
            c,
            vorrq_u64(vshrq_n_u64::<47>(x[1]), vshlq_n_u64::<17>(x[2])),
        ),
        digit(c, vshrq_n_u64::<12>(x[2])),
        digit(
            c,
            vorrq_u64(vshrq_n_u64::<41>(x[2]), vshlq_n_u64::<23>(x[3])),
        ),
        digit(c, vshrq_n_u64::<6>(x[3])),
        // x_3 < 2^62: bits 227.. of x are < 2^27.
        vmovn_u64(vshrq_n_u64::<35>(x[3])),
    ]
}

/// Nine normalized 29-bit digits (top digit `< 2^35`) back to 64-bit limbs, modulo 2^256.
#[inline(always)]
unsafe fn pack(r: R29) -> Soa {
    // Digit k sits at bit 29k: limb 0 = bits 0..64 gets r0, r1 << 29, r2 << 58; and so on.
    [
        vorrq_u64(
            vorrq_u64(r[0], vshlq_n_u64::<29>(r[1])),
            vshlq_n_u64::<58>(r[2]),
        ),
        vorrq_u64(
            vorrq_u64(vshrq_n_u64::<6>(r[2]), vshlq_n_u64::<23>(r[3])),
            vshlq_n_u64::<52>(r[4]),
        ),
        vorrq_u64(
            vorrq_u64(vshrq_n_u64::<12>(r[4]), vshlq_n_u64::<17>(r[5])),
            vshlq_n_u64::<46>(r[6]),
        ),
        vorrq_u64(
            vorrq_u64(vshrq_n_u64::<18>(r[6]), vshlq_n_u64::<11>(r[7])),
            vshlq_n_u64::<40>(r[8]),
        ),
    ]
}

/// `r = (a b + m p) / 2^261` with `m` chosen so the division is exact: the Montgomery product
/// in radix 2^29 (FIPS, see the module doc). Inputs are digits `< 2^29` with `a b < 2^259 p`
/// (`a = 32 x`, `x, b < p`); the output has digits 0..8 normalized `< 2^29`, digit 8 `< 2^23`,
/// and value `r < 1.25 p`.
#[inline(always)]
unsafe fn mont(c: &Ctx, a: &D29, b: &D29) -> R29 {
    let mut m = [vdup_n_u32(0); 9];
    let mut r = [c.zero; 9];
    // Carry into the current column (< 2^35).
    let mut carry = c.zero;
    // Columns 0..8: accumulate a'_i b_(k-i) for i in $ab and m_i p_(k-i) for i in $mp
    // (`umlal`), then choose m_k and drop 29 zero bits. (Index lists are spelled out so the
    // code is straight-line with constant indices.)
    macro_rules! low_column {
        ($k:literal; [$($ab:literal)*]; [$($mp:literal)*]) => {{
            let mut col = carry;
            $(col = vmlal_u32(col, a[$ab], b[$k - $ab]);)*
            $(col = vmlal_u32(col, m[$mp], c.p29[$k - $mp]);)*
            // m_k = col * (-p^-1) mod 2^29 (on the low 32 bits of col).
            let mk = vand_u32(vmul_u32(vmovn_u64(col), c.pinv), c.mask32);
            m[$k] = mk;
            // col + m_k p_0 = 0 mod 2^29: shift the zeros out.
            col = vmlal_u32(col, mk, c.p29[0]);
            carry = vshrq_n_u64::<29>(col);
        }};
    }
    // Columns 9..16: accumulate a'_i b_(k-i) and m_i p_(k-i) for i in $i, emit digit k - 9.
    macro_rules! high_column {
        ($k:literal; [$($i:literal)*]) => {{
            let mut col = carry;
            $(
                col = vmlal_u32(col, a[$i], b[$k - $i]);
                col = vmlal_u32(col, m[$i], c.p29[$k - $i]);
            )*
            r[$k - 9] = vandq_u64(col, c.mask64);
            carry = vshrq_n_u64::<29>(col);
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

/// Fully reduced `x y` for two lanes: `x` given as [`unpack32`] digits, `y` as [`unpack`].
#[inline(always)]
unsafe fn mul_r29(c: &Ctx, x32: &D29, y: &D29) -> Soa {
    reduce_once(c, pack(mont(c, x32, y)))
}

/// Fully reduced `x y`.
#[inline(always)]
unsafe fn mul_mod(c: &Ctx, x: Soa, y: Soa) -> Soa {
    mul_r29(c, &unpack32(c, x), &unpack(c, y))
}

/// Broadcast digits of `32 s` for a scalar operand.
#[inline(always)]
unsafe fn splat32<P: FpParams>(s: Fp<P>) -> D29 {
    let d = radix29(&s.mont_limbs(), 5);
    [
        vdup_n_u32(d[0] as u32),
        vdup_n_u32(d[1] as u32),
        vdup_n_u32(d[2] as u32),
        vdup_n_u32(d[3] as u32),
        vdup_n_u32(d[4] as u32),
        vdup_n_u32(d[5] as u32),
        vdup_n_u32(d[6] as u32),
        vdup_n_u32(d[7] as u32),
        vdup_n_u32(d[8] as u32),
    ]
}

// ---------------------------------------------------------------------------------------------
// The generic kernels of `digits29` on NEON, and the public entry points.

/// The NEON instance of the radix-2^29 kernels.
struct Neon;

impl Simd29<W> for Neon {
    type Ctx = Ctx;
    type Soa = Soa;
    type Digits = D29;
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
    unsafe fn unpack(c: &Ctx, x: Soa) -> D29 {
        unpack(c, x)
    }
    #[inline(always)]
    unsafe fn splat32<P: FpParams>(s: Fp<P>) -> D29 {
        splat32(s)
    }
    #[inline(always)]
    unsafe fn mul_r29(c: &Ctx, x32: &D29, y: &D29) -> Soa {
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
            acc[k] = vaddq_u64(acc[k], r[k]);
        }
    }
    #[inline(always)]
    unsafe fn acc_lanes(acc: &R29) -> [[u64; W]; 9] {
        let mut lanes = [[0u64; W]; 9];
        for k in 0..9 {
            vst1q_u64(lanes[k].as_mut_ptr(), acc[k]);
        }
        lanes
    }
}

digits29::entry_points!("neon", Backend::Neon, Neon);

#[cfg(test)]
digits29::tests::backend_tests!(Backend::Neon, 0x6e65_6f6e);
