//! # kaizen-asm
//!
//! Hand-written x86-64 kernels (`core::arch::asm!`) for 4-limb Montgomery multiplication and
//! squaring with MULX/ADCX/ADOX (BMI2 + ADX). Knows no modulus: callers pass `p` and
//! `-p^-1 mod 2^64`.
//!
//! ```text
//! asm ──> field ──┬──> msm ───────┐
//!                 └──> sumcheck ──┴──> recursion ──> nn ──> kaizen
//! ```
//!
//! Owns: hand-written x86-64 kernels. Must not: know any modulus beyond what callers pass.
//!
//! | item | contents |
//! |---|---|
//! | [`mont_mul_adx`] | `a * b * 2^-256 mod p`, CIOS with two carry chains (ADCX / ADOX); `a[0]` is passed in a register (latency: see its doc) |
//! | [`mont_sqr_adx`] | `a^2 * 2^-256 mod p`, symmetric product (10 MULX) then reduction (see its doc: not faster than `mont_mul_adx(a, a)` on Zen 4) |
//!
//! Preconditions shared by every kernel (checked with `debug_assert!` in debug builds):
//! - `p` is odd and `p[3] < 2^62`: the modulus has a spare bit, so the no-carry CIOS loop
//!   never carries out of the top limb and every intermediate stays below `2p < 2^256`;
//! - inputs are fully reduced (`< p`); the output is fully reduced (`< p`);
//! - `inv = -p^-1 mod 2^64`;
//! - the CPU has BMI2 and ADX (the caller checks, e.g. `is_x86_feature_detected!`).
//!
//! Nothing here is generic: one limb count (4), written out in full so every instruction can
//! be reviewed.

#![cfg_attr(not(target_arch = "x86_64"), allow(unused))]

#[cfg(target_arch = "x86_64")]
mod x86_64;

#[cfg(target_arch = "x86_64")]
pub use x86_64::{mont_mul_adx, mont_sqr_adx};

/// Debug-build check of the kernels' preconditions (shared by both kernels).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn debug_check_preconditions(inputs: &[&[u64; 4]], p: &[u64; 4], inv: u64) {
    if cfg!(debug_assertions) {
        assert!(p[0] & 1 == 1, "kaizen-asm: modulus must be odd");
        assert!(
            p[3] < 1 << 62,
            "kaizen-asm: modulus top limb must be < 2^62 (no-carry CIOS)"
        );
        assert_eq!(
            p[0].wrapping_mul(inv),
            u64::MAX,
            "kaizen-asm: inv must be -p^-1 mod 2^64"
        );
        for x in inputs {
            assert!(lt(x, p), "kaizen-asm: input must be < p");
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn lt(a: &[u64; 4], b: &[u64; 4]) -> bool {
    for i in (0..4).rev() {
        if a[i] != b[i] {
            return a[i] < b[i];
        }
    }
    false
}
