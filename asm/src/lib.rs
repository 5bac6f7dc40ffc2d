//! # kaizen-asm
//!
//! Hand-written x86-64 kernels (`core::arch::asm!`) for 4-limb Montgomery multiplication and
//! squaring with MULX/ADCX/ADOX (BMI2 + ADX). Knows no modulus: callers pass `p` and
//! `-p^-1 mod 2^64`.
