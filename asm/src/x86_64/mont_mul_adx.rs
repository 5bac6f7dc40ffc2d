//! 4-limb Montgomery multiplication with MULX / ADCX / ADOX (needs BMI2 + ADX).
//!
//! Algorithm: CIOS (Coarsely Integrated Operand Scanning, Koç–Acar–Kaliski 1996) without
//! the final carry word ("no-carry" variant, valid when `p[3] < 2^62`; Botrel–Gautam,
//! gnark-crypto). Outer iteration i:
//!
//! 1. `t += a[i] * b` — the four products come from MULX with `rdx = a[i]`; low halves are
//!    added on the OF chain (ADOX), high halves on the CF chain (ADCX), so both additions
//!    run at once. The top word `t4` collects the last high half plus both carries.
//! 2. `m = t0 * inv mod 2^64`, then `t = (t + m * p) / 2^64` — again two chains: the CF chain
//!    adds the previous limbs and high halves, the OF chain the low halves of `m * p`.
//!
//! Bounds: on entry to iteration i, `t < 2p`; after step 1, `t < 2p + p * 2^64 < 2^319`, so
//! `t4 < 2^63`; after step 2, `t < 2p` again (no carry out of `t3` since `2p < 2^255`).
//! After the last iteration one conditional subtraction (SUB/SBB, then CMOVC) gives `< p`.
//! Since no chain ever carries out of its top word, CF = OF = 0 at the end of every chain.
//!
//! Latency (the figure `fr.mul.latency` measures: a dependent chain `x *= y`, where `a = x`
//! is the previous result and `b = y` is fixed). Zen 4, 3.7 GHz measured clock; MULX 3 (low)
//! / 4 (high), IMUL 3, ADCX/ADOX 1 cycle:
//! - `a[0]` arrives in a register (`rdx = a[0]` is the first instruction), so the chain
//!   does not wait for the caller to store the previous result and this kernel to load it
//!   back (store-to-load forwarding, about 6 cycles on Zen 4). `a[1..3]` are still read
//!   through `{a}`, but only at iterations 1..3, by which time the store has long landed.
//!   `b` and `p` are loop invariants in the caller's chain; their loads are off the path.
//!   This is the change that paid: 17.3 ns -> 15.7 ns (64 -> 58 cycles) per product
//!   (`x *= y` chain of 2^16, best of 30). Before it, `rdx = b[i]` and all of `a` came
//!   through memory, so every product started with a forwarded load of the previous one.
//! - Per iteration, the path is `t0 -> IMUL (3) -> MULX m*p0 (4) -> ADCX -> ADCX -> ADOX`
//!   (new `t0`) `-> ADOX` (next `a[i+1] * b[0]` low half, whose MULX issued early): about
//!   10 cycles, 4 times, plus the first MULX (3).
//! - The final conditional subtraction costs about 7 cycles (1.9 ns: 15.7 -> 13.8 ns when it
//!   is replaced by plain moves, measured, result then unreduced). Its borrow needs `t3`,
//!   which ends both carry chains of the last iteration (`hi(m * p3)` is the fourth MULX
//!   of the round, then `adcx t3, t4` and `adox t3, zero`), about 3 cycles after `t0`; then
//!   SBB and CMOVC. The next product's `a[0]` is a CMOVC output, so all of it is on the path.
//! - ADCX and ADOX chains do run in parallel on Zen 4 (measured: two interleaved chains of
//!   two additions each take 2 cycles, one chain of four takes 4), so the dual-chain layout
//!   is not what costs time.
//!
//! Tried and not kept (measured in the same process against this kernel, same chain):
//! - Pre-adding the next iteration's `lo(a[i+1] * b[0])` (one IMUL from memory, off the m
//!   chain) into `t1` before the reduction, and putting the carry of `t0 + lo(m * p0)`,
//!   which is `t0 != 0`, into CF up front (`mov lo, -1; adcx lo, t0`), so the new `t0`
//!   is two additions after `hi(m * p0)`: 16.8 ns against 15.7 ns. On paper it saves one
//!   cycle per iteration; in practice the carry fix-up of the pre-add (`adc` into `t2..t4`)
//!   and the six extra instructions per iteration cost more than that cycle.
//! - Dropping the `xor` that clears the flags before the product chains of iterations 1..3:
//!   the reduction chain before each ends with CF = OF = 0 (bounds above), so the result
//!   stays correct, but it measured 18.1 ns against 15.7 ns: the XOR is what breaks the
//!   flag dependency on that chain's last (top-limb, latest) addition. (The XOR before each
//!   reduction chain is needed for correctness too: IMUL leaves CF and OF undefined.)
//! - `m0 = a[0] * (b[0] * inv)` (one IMUL after `a[0]`; `b[0] * inv` off the path) instead
//!   of `lo(a[0] * b[0])` then IMUL: 3 cycles shorter on paper, measured 15.97 ns against
//!   15.70. With the final subtraction replaced by plain moves (diagnostic, unreduced) both
//!   kernels measure 13.80 ns: the `m` chain is not what sets the latency (below).
//! - `a[1]` passed in a register as well (`a[0]` in rdx; the zero register freed by
//!   `mov r32, 0` before each chain end, flags cleared by `xor` on the dead `{lo}`): 17.3 ns;
//!   with `m0` above and a 14th operand as the zero register: 15.97 ns. So the store-to-load
//!   forwarding of `a[1]` is not on the path either.
//! - Renaming `t0`/`hi` each reduction round to drop the four `mov {t0}, {hi}`: 15.97 ns.
//! - Why (measured on this machine, same session): independent MULX issue at about 2.0
//!   cycles each, independent 3-operand IMUL at about 1.5 (both assuming 3.69 GHz; the host
//!   is shared, 2 vCPUs). A product holds 16 MULX + 4 IMUL, and each round holds 8 MULX +
//!   1 IMUL, more multiplier time than its ~10-cycle `m` chain, so the kernel behaves as
//!   multiplier-throughput bound: shortening the `m` chain does not help, and the ~7-cycle
//!   final subtraction is mostly the last round's four MULX `m * p[k]` issuing about 2
//!   cycles apart (`hi(m * p3)`, hence `t3` and the borrow, comes ~6 cycles after `t0`).
//!   Ideas that add multiplies (computing `m[i+1]` beside the chain: 4 more IMUL per round;
//!   128-bit reduction: more products per round) are unlikely to pay here; what could pay
//!   is fewer MULX on the tail of the last round. (`asm!` accepts 15 register operands
//!   here, not 13, so all of `a` could be passed in registers, but it would not compile with
//!   frame pointers forced on; saving `rbx`/`rbp` in an XMM register inside the block is
//!   wrong, since the compiler does allocate operands to them.)
//!
//! Not tried for lack of time (kept for the next attempt): computing `m[i+1]` beside the
//! chain as `(t1 + [t0 != 0] + hi(m * p0)) * inv + m * (p1 * inv) + a[i+1] * (b0 * inv)`
//! (all mod 2^64; one LEA and one IMUL after `hi(m * p0)` instead of three additions then
//! an IMUL, about one cycle per iteration; needs four more registers); a 128-bit reduction step
//! (`m = t mod 2^128 * (-p^-1 mod 2^128)`, two serial rounds instead of four; column 1 of
//! `t + m * p` has a multi-bit carry that needs a third chain), and keeping all of `a` in
//! registers (needs 15 general registers; Rust leaves 13 to `asm!`, so `rbx`/`rbp` would
//! have to be saved in XMM registers inside the block).
//!
//! Constant time: no branches and no data-dependent memory access.

use core::arch::asm;

/// Outer iteration `i >= 1`, step 1: `t += a[i] · b`, `rdx = a[i]` loaded from `{a} + a_limb`
/// bytes; low halves on the OF chain, high halves on the CF chain, `t4` the top word.
macro_rules! multiply_accumulate {
    (a_limb = $offset:literal) => {
        concat!(
            "mov rdx, qword ptr [{a} + ",
            $offset,
            "]\n",
            "xor {zero:e}, {zero:e}\n",
            "mulx {hi}, {lo}, qword ptr [{b}]\n",
            "adox {t0}, {lo}\n",
            "adcx {t1}, {hi}\n",
            "mulx {hi}, {lo}, qword ptr [{b} + 8]\n",
            "adox {t1}, {lo}\n",
            "adcx {t2}, {hi}\n",
            "mulx {hi}, {lo}, qword ptr [{b} + 16]\n",
            "adox {t2}, {lo}\n",
            "adcx {t3}, {hi}\n",
            "mulx {t4}, {lo}, qword ptr [{b} + 24]\n",
            "adox {t3}, {lo}\n",
            "adcx {t4}, {zero}\n",
            "adox {t4}, {zero}\n",
        )
    };
}

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
    // SAFETY: reads limbs 1..3 of `a` and 4 limbs of `b` and `p` (valid `&[u64; 4]`), writes
    // only registers; MULX/ADCX/ADOX availability is the caller's obligation.
    unsafe {
        asm!(
            // Registers:
            //   {a}, {b}, {p}  pointers to the limbs of a, b, p (read only; {a} only for
            //                  a[1..3], since a[0] comes in {zero})
            //   {inv}          -p^-1 mod 2^64
            //   {t0}..{t3}     the running value t (4 limbs), {t4} its top word
            //   rdx            MULX's implicit operand: a[i], then m
            //   {lo}, {hi}     low / high halves of the current MULX product
            //   {zero}         on entry a[0]; then kept 0 (its XOR also clears CF and OF
            //                  before each chain)
            //   result (after the final subtraction): {lo}, {hi}, {zero}, rdx

            // ---- Outer iteration i = 0: t = a[0] * b (t starts at 0, only the OF chain)
            "mov rdx, {zero}",
            "xor {zero:e}, {zero:e}",
            "mulx {t1}, {t0}, qword ptr [{b}]",
            "mulx {t2}, {lo}, qword ptr [{b} + 8]",
            "adox {t1}, {lo}",
            "mulx {t3}, {lo}, qword ptr [{b} + 16]",
            "adox {t2}, {lo}",
            "mulx {t4}, {lo}, qword ptr [{b} + 24]",
            "adox {t3}, {lo}",
            "adox {t4}, {zero}",
            // i = 0: reduction round
            montgomery_round!(p = "{p}", inv = "{inv}", zero = "zero", top = "{t4}"),

            // ---- Outer iteration i = 1: t += a[1] * b
            multiply_accumulate!(a_limb = "8"),
            // i = 1: reduction round
            montgomery_round!(p = "{p}", inv = "{inv}", zero = "zero", top = "{t4}"),

            // ---- Outer iteration i = 2: t += a[2] * b
            multiply_accumulate!(a_limb = "16"),
            // i = 2: reduction round
            montgomery_round!(p = "{p}", inv = "{inv}", zero = "zero", top = "{t4}"),

            // ---- Outer iteration i = 3 (last limb): t += a[3] * b
            multiply_accumulate!(a_limb = "24"),
            // i = 3: reduction round (afterwards t < 2p)
            montgomery_round!(p = "{p}", inv = "{inv}", zero = "zero", top = "{t4}"),

            // ---- Final reduction: r = t - p; keep t instead if that borrowed (t < p).
            subtract_p_if_not_below!(p = "{p}", into = ["{lo}", "{hi}", "{zero}", "rdx"]),
            zero = inout(reg) a[0] => r2,
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
            out("rdx") r3,
            options(pure, readonly, nostack),
        );
    }
    [r0, r1, r2, r3]
}
