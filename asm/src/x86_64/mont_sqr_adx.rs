//! 4-limb Montgomery squaring with MULX / ADCX / ADOX (needs BMI2 + ADX).
//!
//! Algorithm: SOS (Separated Operand Scanning, Koç–Acar–Kaliski 1996) exploiting symmetry.
//!
//! 1. Product. `a^2 = 2 * sum_{i<j} a_i a_j 2^(64(i+j)) + sum_i a_i^2 2^(128 i)`: the six cross
//!    products (6 MULX) are summed into `T1..T6`, then doubled on the CF chain while the four
//!    squares (4 MULX) are added on the OF chain, giving the 8-limb `T = a^2 < p^2`.
//!    That is 10 MULX instead of the 16 of a general product.
//! 2. Reduction of the low half `L = T mod 2^256` in four rounds (16 MULX):
//!    `m = u0 * inv; u = (u + m * p) / 2^64`, starting from `u = L`. Each round stays below
//!    `2^192 + p`; after four, `u = (L + M p) / 2^256 <= p`.
//! 3. `u += H` with `H = T / 2^256 < p^2 / 2^256 < p / 4`, so `u < 2p`; one conditional
//!    subtraction gives the result `< p`. Exactness: `(T + M p) / 2^256 = H + (L + M p) / 2^256`
//!    because `L + M p = 0 mod 2^256`.
//!
//! 26 MULX against 32 for [`crate::mont_mul_adx`] with `b = a`, but it is **not faster** on
//! the machine we measured (AMD EPYC Zen 4 VM, 2 vCPUs): dependent-chain latency 18.0 ns
//! against 17.5 ns for `mont_mul_adx(a, a)` (re-measured after `mont_mul_adx` took `a[0]`
//! in a register: 17.8 ns against 17.05 ns), throughput over 4 independent chains 16.4 ns
//! against 15.8 ns (best of 5, 5M operations each). Latency is set by the four serial
//! reduction rounds (`t0 -> IMUL -> MULX -> ADCX/ADOX -> t0`, about 10 cycles each), which
//! SOS does not shorten, and the doubling pass of the symmetric product delays the first
//! round; MULX throughput is not the bottleneck for a single element. So `kaizen-field`'s
//! scalar `square` calls `mont_mul_adx(a, a)`; this kernel stays, tested, for callers that
//! are MULX-port bound (several independent squarings in flight) on other cores.
//!
//! Register pressure: 8 product limbs + `a` + `rdx` + a MULX pair = 12, so `p` and `inv` are
//! read through one pointer to a 5-word block `[p0, p1, p2, p3, inv]` built by the wrapper.
//!
//! Constant time: no branches and no data-dependent memory access.

use core::arch::asm;

/// Montgomery square `a^2 * 2^-256 mod p`.
///
/// Preconditions: `p` odd, `p[3] < 2^62`, `a < p`, `inv = -p^-1 mod 2^64` (checked by
/// `debug_assert` in debug builds). The result is fully reduced (`< p`).
///
/// # Safety
/// The caller must ensure the CPU supports BMI2 and ADX (MULX, ADCX, ADOX), e.g. with
/// `is_x86_feature_detected!("bmi2") && is_x86_feature_detected!("adx")`.
#[inline(always)]
pub unsafe fn mont_sqr_adx(a: &[u64; 4], p: &[u64; 4], inv: u64) -> [u64; 4] {
    crate::debug_check_preconditions(&[a], p, inv);
    let pinv: [u64; 5] = [p[0], p[1], p[2], p[3], inv];
    let r0: u64;
    let r1: u64;
    let r2: u64;
    let r3: u64;
    // SAFETY: reads 4 limbs of `a` and 5 words of `pinv` (both live locals / references),
    // writes only registers; MULX/ADCX/ADOX availability is the caller's obligation.
    unsafe {
        asm!(
            // Registers:
            //   {a}            pointer to the limbs of a; after the product: kept 0
            //   {pinv}         pointer to [p0, p1, p2, p3, inv]
            //   {t0}..{t7}     the 8-limb square T; {t0}..{t3} then hold the reduction window u
            //   rdx            MULX's implicit operand: a[i], then m
            //   {lo}, {hi}     low / high halves of the current MULX product
            //   result (after the final subtraction): {t4}..{t7}

            // ---- Product, row i = 0: cross products a0*a1, a0*a2, a0*a3 into t1..t4
            "mov rdx, qword ptr [{a}]",
            "mulx {t2}, {t1}, qword ptr [{a} + 8]",
            "mulx {t3}, {lo}, qword ptr [{a} + 16]",
            "add {t2}, {lo}",
            "mulx {t4}, {lo}, qword ptr [{a} + 24]",
            "adc {t3}, {lo}",
            "adc {t4}, 0",
            // ---- Product, row i = 1: a1*a2 into t3..t4, a1*a3 into t4..t5
            "mov rdx, qword ptr [{a} + 8]",
            "mulx {hi}, {lo}, qword ptr [{a} + 16]",
            "add {t3}, {lo}",
            "adc {t4}, {hi}",
            "mulx {t5}, {lo}, qword ptr [{a} + 24]",
            "adc {t5}, 0",
            "add {t4}, {lo}",
            "adc {t5}, 0",
            // ---- Product, row i = 2: a2*a3 into t5..t6
            "mov rdx, qword ptr [{a} + 16]",
            "mulx {t6}, {lo}, qword ptr [{a} + 24]",
            "add {t5}, {lo}",
            "adc {t6}, 0",
            // ---- Product, diagonal: T = 2 * cross (CF chain) + squares a_i^2 (OF chain)
            "xor {t7:e}, {t7:e}",
            "mov rdx, qword ptr [{a}]",
            "mulx {hi}, {t0}, rdx",
            "adcx {t1}, {t1}",
            "adox {t1}, {hi}",
            "mov rdx, qword ptr [{a} + 8]",
            "mulx {hi}, {lo}, rdx",
            "adcx {t2}, {t2}",
            "adox {t2}, {lo}",
            "adcx {t3}, {t3}",
            "adox {t3}, {hi}",
            "mov rdx, qword ptr [{a} + 16]",
            "mulx {hi}, {lo}, rdx",
            "adcx {t4}, {t4}",
            "adox {t4}, {lo}",
            "adcx {t5}, {t5}",
            "adox {t5}, {hi}",
            "mov rdx, qword ptr [{a} + 24]",
            "mulx {hi}, {lo}, rdx",
            "adcx {t6}, {t6}",
            "adox {t6}, {lo}",
            "adcx {t7}, {t7}",
            "adox {t7}, {hi}",

            // ---- Reduction round i = 0: m = u0 * inv; u = (u + m * p) >> 64
            montgomery_round!(p = "{pinv}", inv = "qword ptr [{pinv} + 32]", zero = "a", top = "{a}"),
            // ---- Reduction round i = 1
            montgomery_round!(p = "{pinv}", inv = "qword ptr [{pinv} + 32]", zero = "a", top = "{a}"),
            // ---- Reduction round i = 2
            montgomery_round!(p = "{pinv}", inv = "qword ptr [{pinv} + 32]", zero = "a", top = "{a}"),
            // ---- Reduction round i = 3 (last limb): afterwards u <= p
            montgomery_round!(p = "{pinv}", inv = "qword ptr [{pinv} + 32]", zero = "a", top = "{a}"),

            // ---- u += H (high half t4..t7): u < 2p
            "add {t0}, {t4}",
            "adc {t1}, {t5}",
            "adc {t2}, {t6}",
            "adc {t3}, {t7}",
            // ---- Final reduction: r = u - p; keep u instead if that borrowed (u < p).
            subtract_p_if_not_below!(p = "{pinv}", into = ["{t4}", "{t5}", "{t6}", "{t7}"]),
            a = inout(reg) a.as_ptr() => _,
            pinv = in(reg) pinv.as_ptr(),
            t0 = out(reg) _,
            t1 = out(reg) _,
            t2 = out(reg) _,
            t3 = out(reg) _,
            t4 = out(reg) r0,
            t5 = out(reg) r1,
            t6 = out(reg) r2,
            t7 = out(reg) r3,
            lo = out(reg) _,
            hi = out(reg) _,
            out("rdx") _,
            options(pure, readonly, nostack),
        );
    }
    [r0, r1, r2, r3]
}
