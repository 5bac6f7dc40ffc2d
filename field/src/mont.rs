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

use crate::limbs::{mac, sub4};

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
/// no faster here (AMD EPYC Zen 4 VM, dependent chain of 5M squarings, best of 5: 18.0 ns
/// against 17.5 ns for `mont_mul_adx(a, a)`), because latency is set by the four serial
/// `m = t0 * inv` reduction rounds that both kernels share, and the symmetric product's
/// doubling pass delays the first round. Same result either way.
#[inline(always)]
pub fn square(a: &[u64; 4], p: &[u64; 4], inv: u64) -> [u64; 4] {
    #[cfg(target_arch = "x86_64")]
    if crate::backend::scalar_asm() {
        // SAFETY: as in `mul`.
        return unsafe { kaizen_asm::mont_mul_adx(a, a, p, inv) };
    }
    mul_portable(a, a, p, inv)
}
