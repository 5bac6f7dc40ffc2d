//! Layer 1: carry-propagating primitives on 64-bit limbs, and `const fn` big-integer helpers
//! on `[u64; 4]` (little-endian limbs) used to derive Montgomery constants at compile time.
//!
//! Preconditions: none; every function here is total. Nothing here knows a modulus.

/// Number of 64-bit limbs of every field element in kaizen (254-bit primes).
pub const LIMBS: usize = 4;

/// `a + b + carry`, returning `(sum, carry_out)`; `carry` must be 0 or 1.
#[inline(always)]
pub const fn adc(a: u64, b: u64, carry: u64) -> (u64, u64) {
    let t = a as u128 + b as u128 + carry as u128;
    (t as u64, (t >> 64) as u64)
}

/// `a - b - borrow`, returning `(difference, borrow_out)`; `borrow` must be 0 or 1.
#[inline(always)]
pub const fn sbb(a: u64, b: u64, borrow: u64) -> (u64, u64) {
    let t = (a as u128).wrapping_sub(b as u128 + borrow as u128);
    (t as u64, (t >> 127) as u64)
}

/// `acc + a * b + carry`, returning `(low, high)`. Never overflows 128 bits:
/// (2^64-1) + (2^64-1)^2 + (2^64-1) = 2^128 - 1.
#[inline(always)]
pub const fn mac(acc: u64, a: u64, b: u64, carry: u64) -> (u64, u64) {
    let t = acc as u128 + (a as u128) * (b as u128) + carry as u128;
    (t as u64, (t >> 64) as u64)
}

/// `a + b` on four limbs, returning the carry out.
#[inline(always)]
pub const fn add4(a: &[u64; 4], b: &[u64; 4]) -> ([u64; 4], u64) {
    let (r0, c) = adc(a[0], b[0], 0);
    let (r1, c) = adc(a[1], b[1], c);
    let (r2, c) = adc(a[2], b[2], c);
    let (r3, c) = adc(a[3], b[3], c);
    ([r0, r1, r2, r3], c)
}

/// `a - b` on four limbs, returning the borrow out.
#[inline(always)]
pub const fn sub4(a: &[u64; 4], b: &[u64; 4]) -> ([u64; 4], u64) {
    let (r0, w) = sbb(a[0], b[0], 0);
    let (r1, w) = sbb(a[1], b[1], w);
    let (r2, w) = sbb(a[2], b[2], w);
    let (r3, w) = sbb(a[3], b[3], w);
    ([r0, r1, r2, r3], w)
}

/// `a < b` as unsigned 256-bit integers.
#[inline(always)]
pub const fn lt4(a: &[u64; 4], b: &[u64; 4]) -> bool {
    sub4(a, b).1 == 1
}

/// Bit `i` of a 256-bit integer.
#[inline(always)]
pub const fn bit4(a: &[u64; 4], i: usize) -> bool {
    (a[i / 64] >> (i % 64)) & 1 == 1
}

/// Number of significant bits.
pub const fn num_bits4(a: &[u64; 4]) -> u32 {
    let mut i = 4;
    while i > 0 {
        i -= 1;
        if a[i] != 0 {
            return 64 * i as u32 + (64 - a[i].leading_zeros());
        }
    }
    0
}

/// `(a + b) mod p` for `a, b < p < 2^255`.
pub const fn add_mod4(a: &[u64; 4], b: &[u64; 4], p: &[u64; 4]) -> [u64; 4] {
    let (s, _) = add4(a, b);
    let (d, borrow) = sub4(&s, p);
    if borrow == 1 {
        s
    } else {
        d
    }
}

/// `2^k mod p` for an odd `p < 2^255`, by repeated doubling (compile-time use only).
pub const fn pow2_mod4(k: usize, p: &[u64; 4]) -> [u64; 4] {
    let mut r = [1u64, 0, 0, 0];
    let mut i = 0;
    while i < k {
        r = add_mod4(&r, &r, p);
        i += 1;
    }
    r
}

/// `-p^-1 mod 2^64` for odd `p`, by Newton iteration (each step doubles the correct bits).
pub const fn neg_inv_mod_2_64(p0: u64) -> u64 {
    let mut inv: u64 = 1;
    let mut i = 0;
    while i < 6 {
        inv = inv.wrapping_mul(2u64.wrapping_sub(p0.wrapping_mul(inv)));
        i += 1;
    }
    inv.wrapping_neg()
}

/// `a >> 1` on four limbs.
pub const fn shr1_4(a: &[u64; 4]) -> [u64; 4] {
    [
        (a[0] >> 1) | (a[1] << 63),
        (a[1] >> 1) | (a[2] << 63),
        (a[2] >> 1) | (a[3] << 63),
        a[3] >> 1,
    ]
}

/// `a - 1` for `a >= 1`.
pub const fn sub_one4(a: &[u64; 4]) -> [u64; 4] {
    sub4(a, &[1, 0, 0, 0]).0
}

/// `a + 1` (wrapping at 2^256).
pub const fn add_one4(a: &[u64; 4]) -> [u64; 4] {
    add4(a, &[1, 0, 0, 0]).0
}

/// Number of trailing zero bits (256 for zero).
pub const fn trailing_zeros4(a: &[u64; 4]) -> u32 {
    let mut i = 0;
    while i < 4 {
        if a[i] != 0 {
            return 64 * i as u32 + a[i].trailing_zeros();
        }
        i += 1;
    }
    256
}

/// `a >> k` for `k < 256`.
pub const fn shr4(a: &[u64; 4], k: u32) -> [u64; 4] {
    let mut r = [0u64; 4];
    let limb = (k / 64) as usize;
    let bits = k % 64;
    let mut i = 0;
    while i + limb < 4 {
        let lo = a[i + limb] >> bits;
        let hi = if bits != 0 && i + limb + 1 < 4 {
            a[i + limb + 1] << (64 - bits)
        } else {
            0
        };
        r[i] = lo | hi;
        i += 1;
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn carries_propagate() {
        assert_eq!(adc(u64::MAX, 1, 0), (0, 1));
        assert_eq!(adc(u64::MAX, u64::MAX, 1), (u64::MAX, 1));
        assert_eq!(sbb(0, 1, 0), (u64::MAX, 1));
        assert_eq!(sbb(5, 3, 1), (1, 0));
        assert_eq!(
            mac(u64::MAX, u64::MAX, u64::MAX, u64::MAX),
            (u64::MAX, u64::MAX)
        );
        let (s, c) = add4(&[u64::MAX; 4], &[1, 0, 0, 0]);
        assert_eq!((s, c), ([0; 4], 1));
    }

    #[test]
    fn shifts_and_bits() {
        let a = [0x8000_0000_0000_0001, 3, 0, 1 << 63];
        assert_eq!(shr4(&a, 1), shr1_4(&a));
        assert_eq!(shr4(&a, 64), [3, 0, 1 << 63, 0]);
        assert_eq!(num_bits4(&a), 256);
        assert_eq!(trailing_zeros4(&[0, 8, 0, 0]), 67);
        assert_eq!(neg_inv_mod_2_64(7).wrapping_mul(7), u64::MAX);
    }
}
