//! 4-limb Montgomery multiplication with MULX / ADCX / ADOX (needs BMI2 + ADX).
//!
//! Algorithm: CIOS (Coarsely Integrated Operand Scanning, Koç–Acar–Kaliski 1996) without
//! the final carry word ("no-carry" variant, valid when `p[3] < 2^62`; Botrel–Gautam,
//! gnark-crypto). Outer iteration i:
//!
//! 1. `t += a * b[i]` — the four products come from MULX with `rdx = b[i]`; low halves are
//!    added on the OF chain (ADOX), high halves on the CF chain (ADCX), so both additions
//!    run at once. The top word `t4` collects the last high half plus both carries.
//! 2. `m = t0 * inv mod 2^64`, then `t = (t + m * p) / 2^64` — again two chains: the CF chain
//!    adds the previous limbs and high halves, the OF chain the low halves of `m * p`.
//!
//! Bounds: on entry to iteration i, `t < 2p`; after step 1, `t < 2p + p * 2^64 < 2^319`, so
//! `t4 < 2^63`; after step 2, `t < 2p` again (no carry out of `t3` since `2p < 2^255`).
//! After the last iteration one conditional subtraction (SUB/SBB, then CMOVC) gives `< p`.
//!
//! Latency: the critical path is the chain `t0 -> IMUL -> MULX (m*p0) -> ADCX -> ADOX -> t0`
//! of each iteration (about 10 cycles on Zen 4 / Golden Cove); the `a * b[i]` products do not
//! depend on the previous iteration and issue early under out-of-order execution. Moduli and
//! operands are read through memory operands of MULX / SUB (L1 hits, off the critical path),
//! which keeps 12 general registers + `rdx` enough.
//!
//! Constant time: no branches and no data-dependent memory access.

use core::arch::asm;

/// Montgomery product `a * b * 2^-256 mod p`.
///
/// Preconditions: `p` odd, `p[3] < 2^62`, `a < p`, `b < p`, `inv = -p^-1 mod 2^64`
/// (checked by `debug_assert` in debug builds). The result is fully reduced (`< p`).
///
/// # Safety
/// The caller must ensure the CPU supports BMI2 and ADX (MULX, ADCX, ADOX), e.g. with
/// `is_x86_feature_detected!("bmi2") && is_x86_feature_detected!("adx")`.
#[inline(always)]
pub unsafe fn mont_mul_adx(a: &[u64; 4], b: &[u64; 4], p: &[u64; 4], inv: u64) -> [u64; 4] {
    crate::debug_check_preconditions(&[a, b], p, inv);
    let r0: u64;
    let r1: u64;
    let r2: u64;
    let r3: u64;
    // SAFETY: reads 4 limbs from each of `a`, `b`, `p` (valid `&[u64; 4]`), writes only
    // registers; MULX/ADCX/ADOX availability is the caller's obligation.
    unsafe {
        asm!(
            // Registers:
            //   {a}, {b}, {p}  pointers to the limbs of a, b, p (read only)
            //   {inv}          -p^-1 mod 2^64
            //   {t0}..{t3}     the running value t (4 limbs), {t4} its top word
            //   rdx            MULX's implicit operand: b[i], then m
            //   {lo}, {hi}     low / high halves of the current MULX product
            //   {zero}         kept 0 (its XOR also clears CF and OF before each chain)
            //   result (after the final subtraction): {lo}, {hi}, {zero}, rdx

            // ---- Outer iteration i = 0: t = a * b[0] (t starts at 0, only the OF chain)
            "mov rdx, qword ptr [{b}]",
            "xor {zero:e}, {zero:e}",
            "mulx {t1}, {t0}, qword ptr [{a}]",
            "mulx {t2}, {lo}, qword ptr [{a} + 8]",
            "adox {t1}, {lo}",
            "mulx {t3}, {lo}, qword ptr [{a} + 16]",
            "adox {t2}, {lo}",
            "mulx {t4}, {lo}, qword ptr [{a} + 24]",
            "adox {t3}, {lo}",
            "adox {t4}, {zero}",
            //      i = 0: m = t0 * inv; t = (t + m * p) >> 64
            "mov rdx, {t0}",
            "imul rdx, {inv}",
            "xor {zero:e}, {zero:e}",
            "mulx {hi}, {lo}, qword ptr [{p}]",
            "adcx {lo}, {t0}",
            "mov {t0}, {hi}",
            "adcx {t0}, {t1}",
            "mulx {t1}, {lo}, qword ptr [{p} + 8]",
            "adox {t0}, {lo}",
            "adcx {t1}, {t2}",
            "mulx {t2}, {lo}, qword ptr [{p} + 16]",
            "adox {t1}, {lo}",
            "adcx {t2}, {t3}",
            "mulx {t3}, {lo}, qword ptr [{p} + 24]",
            "adox {t2}, {lo}",
            "adcx {t3}, {t4}",
            "adox {t3}, {zero}",

            // ---- Outer iteration i = 1: t += a * b[1]
            "mov rdx, qword ptr [{b} + 8]",
            "xor {zero:e}, {zero:e}",
            "mulx {hi}, {lo}, qword ptr [{a}]",
            "adox {t0}, {lo}",
            "adcx {t1}, {hi}",
            "mulx {hi}, {lo}, qword ptr [{a} + 8]",
            "adox {t1}, {lo}",
            "adcx {t2}, {hi}",
            "mulx {hi}, {lo}, qword ptr [{a} + 16]",
            "adox {t2}, {lo}",
            "adcx {t3}, {hi}",
            "mulx {t4}, {lo}, qword ptr [{a} + 24]",
            "adox {t3}, {lo}",
            "adcx {t4}, {zero}",
            "adox {t4}, {zero}",
            //      i = 1: m = t0 * inv; t = (t + m * p) >> 64
            "mov rdx, {t0}",
            "imul rdx, {inv}",
            "xor {zero:e}, {zero:e}",
            "mulx {hi}, {lo}, qword ptr [{p}]",
            "adcx {lo}, {t0}",
            "mov {t0}, {hi}",
            "adcx {t0}, {t1}",
            "mulx {t1}, {lo}, qword ptr [{p} + 8]",
            "adox {t0}, {lo}",
            "adcx {t1}, {t2}",
            "mulx {t2}, {lo}, qword ptr [{p} + 16]",
            "adox {t1}, {lo}",
            "adcx {t2}, {t3}",
            "mulx {t3}, {lo}, qword ptr [{p} + 24]",
            "adox {t2}, {lo}",
            "adcx {t3}, {t4}",
            "adox {t3}, {zero}",

            // ---- Outer iteration i = 2: t += a * b[2]
            "mov rdx, qword ptr [{b} + 16]",
            "xor {zero:e}, {zero:e}",
            "mulx {hi}, {lo}, qword ptr [{a}]",
            "adox {t0}, {lo}",
            "adcx {t1}, {hi}",
            "mulx {hi}, {lo}, qword ptr [{a} + 8]",
            "adox {t1}, {lo}",
            "adcx {t2}, {hi}",
            "mulx {hi}, {lo}, qword ptr [{a} + 16]",
            "adox {t2}, {lo}",
            "adcx {t3}, {hi}",
            "mulx {t4}, {lo}, qword ptr [{a} + 24]",
            "adox {t3}, {lo}",
            "adcx {t4}, {zero}",
            "adox {t4}, {zero}",
            //      i = 2: m = t0 * inv; t = (t + m * p) >> 64
            "mov rdx, {t0}",
            "imul rdx, {inv}",
            "xor {zero:e}, {zero:e}",
            "mulx {hi}, {lo}, qword ptr [{p}]",
            "adcx {lo}, {t0}",
            "mov {t0}, {hi}",
            "adcx {t0}, {t1}",
            "mulx {t1}, {lo}, qword ptr [{p} + 8]",
            "adox {t0}, {lo}",
            "adcx {t1}, {t2}",
            "mulx {t2}, {lo}, qword ptr [{p} + 16]",
            "adox {t1}, {lo}",
            "adcx {t2}, {t3}",
            "mulx {t3}, {lo}, qword ptr [{p} + 24]",
            "adox {t2}, {lo}",
            "adcx {t3}, {t4}",
            "adox {t3}, {zero}",

            // ---- Outer iteration i = 3 (last limb): t += a * b[3]
            "mov rdx, qword ptr [{b} + 24]",
            "xor {zero:e}, {zero:e}",
            "mulx {hi}, {lo}, qword ptr [{a}]",
            "adox {t0}, {lo}",
            "adcx {t1}, {hi}",
            "mulx {hi}, {lo}, qword ptr [{a} + 8]",
            "adox {t1}, {lo}",
            "adcx {t2}, {hi}",
            "mulx {hi}, {lo}, qword ptr [{a} + 16]",
            "adox {t2}, {lo}",
            "adcx {t3}, {hi}",
            "mulx {t4}, {lo}, qword ptr [{a} + 24]",
            "adox {t3}, {lo}",
            "adcx {t4}, {zero}",
            "adox {t4}, {zero}",
            //      i = 3: m = t0 * inv; t = (t + m * p) >> 64, now t < 2p
            "mov rdx, {t0}",
            "imul rdx, {inv}",
            "xor {zero:e}, {zero:e}",
            "mulx {hi}, {lo}, qword ptr [{p}]",
            "adcx {lo}, {t0}",
            "mov {t0}, {hi}",
            "adcx {t0}, {t1}",
            "mulx {t1}, {lo}, qword ptr [{p} + 8]",
            "adox {t0}, {lo}",
            "adcx {t1}, {t2}",
            "mulx {t2}, {lo}, qword ptr [{p} + 16]",
            "adox {t1}, {lo}",
            "adcx {t2}, {t3}",
            "mulx {t3}, {lo}, qword ptr [{p} + 24]",
            "adox {t2}, {lo}",
            "adcx {t3}, {t4}",
            "adox {t3}, {zero}",

            // ---- Final reduction: r = t - p; keep t instead if that borrowed (t < p).
            "mov {lo}, {t0}",
            "sub {lo}, qword ptr [{p}]",
            "mov {hi}, {t1}",
            "sbb {hi}, qword ptr [{p} + 8]",
            "mov {zero}, {t2}",
            "sbb {zero}, qword ptr [{p} + 16]",
            "mov rdx, {t3}",
            "sbb rdx, qword ptr [{p} + 24]",
            "cmovc {lo}, {t0}",
            "cmovc {hi}, {t1}",
            "cmovc {zero}, {t2}",
            "cmovc rdx, {t3}",
            a = in(reg) a.as_ptr(),
            b = in(reg) b.as_ptr(),
            p = in(reg) p.as_ptr(),
            inv = in(reg) inv,
            t0 = out(reg) _,
            t1 = out(reg) _,
            t2 = out(reg) _,
            t3 = out(reg) _,
            t4 = out(reg) _,
            lo = out(reg) r0,
            hi = out(reg) r1,
            zero = out(reg) r2,
            out("rdx") r3,
            options(pure, readonly, nostack),
        );
    }
    [r0, r1, r2, r3]
}
