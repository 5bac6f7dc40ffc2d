//! x86-64 kernels. File names carry the ISA extensions they need.
//!
//! The instruction sequences both Montgomery kernels share are written once, as macros that
//! expand to `asm!` template strings (`concat!` of string literals); their operand names
//! (`{t0}`..`{t3}`, `{lo}`, `{hi}`) are the kernels' own.

/// One Montgomery reduction round on the running value `t0..t3` (fifth word `top`):
/// `m = t0 · inv mod 2^64`, `t = (t + m · p) / 2^64`. The low halves of `m · p` go on the OF
/// chain (ADOX), the previous limbs and the high halves on the CF chain (ADCX); `zero` is
/// cleared first (its XOR also clears CF and OF, which IMUL leaves undefined). `p` addresses
/// the modulus limbs; `inv` is the operand holding `-p^-1 mod 2^64` (a register or memory).
macro_rules! montgomery_round {
    (p = $p:literal, inv = $inv:literal, zero = $zero:literal, top = $top:literal) => {
        concat!(
            "mov rdx, {t0}\n",
            "imul rdx, ",
            $inv,
            "\n",
            "xor {",
            $zero,
            ":e}, {",
            $zero,
            ":e}\n",
            "mulx {hi}, {lo}, qword ptr [",
            $p,
            "]\n",
            "adcx {lo}, {t0}\n",
            "mov {t0}, {hi}\n",
            "adcx {t0}, {t1}\n",
            "mulx {t1}, {lo}, qword ptr [",
            $p,
            " + 8]\n",
            "adox {t0}, {lo}\n",
            "adcx {t1}, {t2}\n",
            "mulx {t2}, {lo}, qword ptr [",
            $p,
            " + 16]\n",
            "adox {t1}, {lo}\n",
            "adcx {t2}, {t3}\n",
            "mulx {t3}, {lo}, qword ptr [",
            $p,
            " + 24]\n",
            "adox {t2}, {lo}\n",
            "adcx {t3}, ",
            $top,
            "\n",
            "adox {t3}, {",
            $zero,
            "}\n",
        )
    };
}

/// The final conditional subtraction: `r = t - p` (SUB/SBB into `r0..r3`), then CMOVC puts
/// `t0..t3` back if that borrowed (`t < p`). Branch-free.
macro_rules! subtract_p_if_not_below {
    (p = $p:literal, into = [$r0:literal, $r1:literal, $r2:literal, $r3:literal]) => {
        concat!(
            "mov ",
            $r0,
            ", {t0}\n",
            "sub ",
            $r0,
            ", qword ptr [",
            $p,
            "]\n",
            "mov ",
            $r1,
            ", {t1}\n",
            "sbb ",
            $r1,
            ", qword ptr [",
            $p,
            " + 8]\n",
            "mov ",
            $r2,
            ", {t2}\n",
            "sbb ",
            $r2,
            ", qword ptr [",
            $p,
            " + 16]\n",
            "mov ",
            $r3,
            ", {t3}\n",
            "sbb ",
            $r3,
            ", qword ptr [",
            $p,
            " + 24]\n",
            "cmovc ",
            $r0,
            ", {t0}\n",
            "cmovc ",
            $r1,
            ", {t1}\n",
            "cmovc ",
            $r2,
            ", {t2}\n",
            "cmovc ",
            $r3,
            ", {t3}\n",
        )
    };
}

mod mont_mul_adx;
mod mont_sqr_adx;

pub use mont_mul_adx::mont_mul_adx;
pub use mont_sqr_adx::mont_sqr_adx;
