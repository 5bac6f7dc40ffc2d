//! Layer 2: Montgomery multiplication, squaring and reduction on 4 x 64-bit limbs.
//!
//! Preconditions (checked for both BN254 fields in `bn254.rs` tests):
//! - `p` is odd and `p[3] < 2^62`, so `4p < 2^256`: there is a spare bit and the CIOS loop
//!   never produces a carry out of the top limb ("no-carry" CIOS, Botrel–Gautam).
//! - Inputs are `< p`; outputs are fully reduced (`< p`).
//!
//! The portable functions here are `const fn`, so Montgomery constants (roots of unity,
//! generators in Montgomery form) are computed at compile time by the same code that runs.
//! [`mul`] and [`square`] dispatch to the hand-written MULX/ADCX/ADOX kernels of `kaizen-asm`
//! when the CPU has BMI2+ADX and `KAIZEN_SIMD` is not `portable` (see `backend.rs`).
//! [`mul_u64`] multiplies by a 64-bit integer with a Barrett reduction (one-limb quotient
//! estimate from the reciprocal [`barrett_mu`], then at most two conditional subtractions).

use crate::limbs::{lt4, mac, sbb, sub4};

/// Montgomery product `a * b * 2^-256 mod p` (portable, constant-time, CIOS without final
/// carry: each outer step i adds `a * b[i]` and `m * p` with `m = t0 * (-p^-1) mod 2^64`,
/// then shifts down one limb).
#[inline(always)]
pub const fn mul_portable(a: &[u64; 4], b: &[u64; 4], p: &[u64; 4], inv: u64) -> [u64; 4] {
    let mut t = [0u64; 4];
    let mut i = 0;
    while i < 4 {
        // t0 + a0*bi, then m chosen so that the low limb of t + m*p vanishes.
        let (t0, mut carry_a) = mac(t[0], a[0], b[i], 0);
        let m = t0.wrapping_mul(inv);
        let (_, mut carry_m) = mac(t0, m, p[0], 0);
        let mut j = 1;
        while j < 4 {
            let (x, ca) = mac(t[j], a[j], b[i], carry_a);
            carry_a = ca;
            let (y, cm) = mac(x, m, p[j], carry_m);
            carry_m = cm;
            t[j - 1] = y;
            j += 1;
        }
        // No overflow: both carries are < 2^63 when p[3] < 2^62 (spare-bit condition).
        t[3] = carry_a + carry_m;
        i += 1;
    }
    reduce_once(&t, p)
}

/// `t - p` if `t >= p`, else `t`, for `t < 2p` (branch-free select).
#[inline(always)]
pub const fn reduce_once(t: &[u64; 4], p: &[u64; 4]) -> [u64; 4] {
    let (d, borrow) = sub4(t, p);
    // borrow = 1 -> keep t; borrow = 0 -> take d.
    let mask = 0u64.wrapping_sub(borrow);
    [
        (t[0] & mask) | (d[0] & !mask),
        (t[1] & mask) | (d[1] & !mask),
        (t[2] & mask) | (d[2] & !mask),
        (t[3] & mask) | (d[3] & !mask),
    ]
}

/// Montgomery reduction `t * 2^-256 mod p` of a value `t < p` given in 4 limbs
/// (conversion out of Montgomery form).
#[inline(always)]
pub const fn reduce_portable(t: &[u64; 4], p: &[u64; 4], inv: u64) -> [u64; 4] {
    mul_portable(t, &[1, 0, 0, 0], p, inv)
}

/// `floor(2^317 / p)`, the reciprocal used by [`mul_u64`]'s one-limb quotient estimate.
/// Needs `2^253 < p < 2^254` so that it fits in 64 bits (the `panic!` fires at compile time
/// when it is evaluated in a `const` context). Bit-serial long division of `2^317` by `p`.
pub const fn barrett_mu(p: &[u64; 4]) -> u64 {
    let mut r = [0u64; 4];
    let mut q = 0u64;
    let mut bit = 318usize;
    while bit > 0 {
        bit -= 1;
        // r <- 2r + [bit == 317]; r < p < 2^254 before, so no limb overflows.
        r = [
            (r[0] << 1) | (bit == 317) as u64,
            (r[1] << 1) | (r[0] >> 63),
            (r[2] << 1) | (r[1] >> 63),
            (r[3] << 1) | (r[2] >> 63),
        ];
        if !lt4(&r, p) {
            r = sub4(&r, p).0;
            if bit >= 64 {
                panic!("barrett_mu: p must exceed 2^253");
            }
            q |= 1 << bit;
        }
    }
    q
}

/// `a * k mod p` for `a < p` and any `k < 2^64`, fully reduced (constant time). Works in and
/// out of Montgomery form alike (`(aR) k = (ak) R`). `mu = barrett_mu(p)`.
///
/// Preconditions: `2^253 < p < 2^254 - 2^192` (`2^61 <= p[3] < 2^62 - 1`; BN254's `p[3]` is
/// `0x3064...`, i.e. `p` is about `1.51 * 2^253`).
///
/// `x = a * k < p * 2^64` (5 limbs), so `q = floor(x / p) < 2^64`. With `T = floor(x / 2^192)`
/// (`T < p / 2^128 < 2^126`), the estimate `q' = floor(T * mu / 2^125)` satisfies
/// `q' <= T * 2^192 / p <= x / p`, so `q' <= q`, and
/// `x / p - T * mu / 2^125 = (x - T 2^192) / p + T (2^317 / p - mu) / 2^125
///  < 2^192 / p + T / 2^125 < 2^-61 + p / 2^253 < 2^-61 + (2 - 2^-61) = 2`,
/// so `q - q' < 3`, i.e. `r = x - q' p < 3p < 2^256`: computing `r` mod `2^256` is exact, and
/// two conditional subtractions finish. No division, no branch: 5 + 2 + 4 multiplications.
#[inline(always)]
pub const fn mul_u64(a: &[u64; 4], k: u64, p: &[u64; 4], mu: u64) -> [u64; 4] {
    // x = a * k, limbs x0..x4.
    let (x0, c) = mac(0, a[0], k, 0);
    let (x1, c) = mac(0, a[1], k, c);
    let (x2, c) = mac(0, a[2], k, c);
    let (x3, x4) = mac(0, a[3], k, c);
    // q' = floor((x4:x3) * mu / 2^125): (x4:x3) * mu = hi * 2^64 + (low limb), q' = hi >> 61.
    let lo = (x3 as u128) * (mu as u128);
    let hi = (x4 as u128) * (mu as u128) + (lo >> 64);
    let q = (hi >> 61) as u64;
    // r = x - q' p mod 2^256 (exact: 0 <= r < 3p < 2^256).
    let (y0, c) = mac(0, q, p[0], 0);
    let (y1, c) = mac(0, q, p[1], c);
    let (y2, c) = mac(0, q, p[2], c);
    let (y3, _) = mac(0, q, p[3], c);
    let (r0, b) = sbb(x0, y0, 0);
    let (r1, b) = sbb(x1, y1, b);
    let (r2, b) = sbb(x2, y2, b);
    let (r3, _) = sbb(x3, y3, b);
    let r = reduce_once(&[r0, r1, r2, r3], p);
    reduce_once(&r, p)
}

/// Montgomery product with run-time dispatch: the MULX/ADCX/ADOX kernel when
/// [`crate::backend::scalar_asm`] says so (one relaxed atomic load, predictable branch),
/// else [`mul_portable`]. Same result either way.
#[inline(always)]
pub fn mul(a: &[u64; 4], b: &[u64; 4], p: &[u64; 4], inv: u64) -> [u64; 4] {
    #[cfg(target_arch = "x86_64")]
    if crate::backend::scalar_asm() {
        // SAFETY: `scalar_asm()` is true only when the CPU reports BMI2 and ADX (see
        // `backend.rs`); the spare-bit and `< p` preconditions are this module's own.
        return unsafe { kaizen_asm::mont_mul_adx(a, b, p, inv) };
    }
    mul_portable(a, b, p, inv)
}

/// Montgomery square with run-time dispatch. The asm path uses the general MULX kernel with
/// `b = a`: the symmetric kernel `kaizen_asm::mont_sqr_adx` (26 MULX instead of 32) measured
/// no faster here (AMD EPYC Zen 4 VM, dependent chain of 2^16 squarings, best of 30: 17.8 ns
/// against 17.05 ns for `mont_mul_adx(a, a)`), because latency is set by the four serial
/// `m = t0 * inv` reduction rounds that both kernels share, and the symmetric product's
/// doubling pass delays the first round. (A square chain is slower than the `x *= y` chain,
/// 15.7 ns, because `b = a` is read back through memory: the kernel takes only `a[0]` in a
/// register.) Same result either way.
#[inline(always)]
pub fn square(a: &[u64; 4], p: &[u64; 4], inv: u64) -> [u64; 4] {
    #[cfg(target_arch = "x86_64")]
    if crate::backend::scalar_asm() {
        // SAFETY: as in `mul`.
        return unsafe { kaizen_asm::mont_mul_adx(a, a, p, inv) };
    }
    mul_portable(a, a, p, inv)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limbs::{neg_inv_mod_2_64, pow2_mod4};

    const FR: [u64; 4] = [
        0x43e1_f593_f000_0001,
        0x2833_e848_79b9_7091,
        0xb850_45b6_8181_585d,
        0x3064_4e72_e131_a029,
    ];
    const FQ: [u64; 4] = [
        0x3c20_8c16_d87c_fd47,
        0x9781_6a91_6871_ca8d,
        0xb850_45b6_8181_585d,
        0x3064_4e72_e131_a029,
    ];

    /// `a * k mod p` through two Montgomery products (the old `mul_u64`).
    fn mul_u64_ref(a: &[u64; 4], k: u64, p: &[u64; 4]) -> [u64; 4] {
        let inv = neg_inv_mod_2_64(p[0]);
        let k_mont = mul_portable(&[k, 0, 0, 0], &pow2_mod4(512, p), p, inv);
        mul_portable(a, &k_mont, p, inv)
    }

    /// Barrett `mul_u64` on the values that push the quotient estimate hardest: `a` near
    /// `p` (largest `x`), near powers of two, and `k` near `2^64`, plus a SplitMix64 sweep.
    #[test]
    fn mul_u64_matches_montgomery_edges() {
        for p in [FR, FQ] {
            let mu = barrett_mu(&p);
            let mut edges = vec![[0u64; 4], [1, 0, 0, 0], [u64::MAX, u64::MAX, u64::MAX, 0]];
            for d in 1..=64u64 {
                edges.push(sub4(&p, &[d, 0, 0, 0]).0);
            }
            for bit in 0..254 {
                let mut x = [0u64; 4];
                x[bit / 64] = 1 << (bit % 64);
                if lt4(&x, &p) {
                    edges.push(x);
                    edges.push(sub4(&x, &[1, 0, 0, 0]).0);
                }
            }
            let ks = [
                0u64,
                1,
                2,
                3,
                u64::MAX,
                u64::MAX - 1,
                1 << 63,
                (1 << 63) - 1,
            ];
            for a in &edges {
                for &k in &ks {
                    assert_eq!(
                        mul_u64(a, k, &p, mu),
                        mul_u64_ref(a, k, &p),
                        "a={a:x?} k={k}"
                    );
                }
            }
            let mut s = 0x006d_756c_5f75_3634_u64;
            let mut next = || {
                s = s.wrapping_add(0x9e37_79b9_7f4a_7c15);
                let mut z = s;
                z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                z ^ (z >> 31)
            };
            for _ in 0..100_000 {
                let a = [next(), next(), next(), next() % p[3]];
                let k = next();
                assert_eq!(
                    mul_u64(&a, k, &p, mu),
                    mul_u64_ref(&a, k, &p),
                    "a={a:x?} k={k}"
                );
            }
        }
    }

    #[test]
    fn barrett_mu_bn254() {
        // floor(2^317 / p), checked by its defining inequality mu * p <= 2^317 < (mu + 1) * p.
        for p in [FR, FQ] {
            let mu = barrett_mu(&p);
            assert!(mu > 1 << 63, "mu = 2^317 / p with p < 2^254 exceeds 2^63");
            // mu * p as 5 limbs, compared with 2^317 = 2^61 * 2^256.
            let mut prod = [0u64; 5];
            let mut c = 0;
            for i in 0..4 {
                let (lo, hi) = mac(0, mu, p[i], c);
                prod[i] = lo;
                c = hi;
            }
            prod[4] = c;
            assert!(prod[4] < 1 << 61, "mu * p <= 2^317");
            // (mu + 1) * p = mu * p + p > 2^317.
            let (low, carry) = crate::limbs::add4(&[prod[0], prod[1], prod[2], prod[3]], &p);
            let top = prod[4] + carry;
            assert!(
                top > 1 << 61 || (top == 1 << 61 && low != [0; 4]),
                "(mu + 1) * p > 2^317"
            );
        }
    }
}
