//! Bit decompositions in the circuit, and the 128-bit fold challenge of
//! [`crate::ccs::committed::fold_challenge`] as a gadget.
//!
//! [`to_bits_le_strict`] returns the canonical bits `b_0 .. b_253` of `x` (`Σ b_i 2^i = x` as
//! integers, not only mod `r`): without the strictness check a value `x < 2^254 − r` would
//! also decompose as `x + r`, and the prover could pick either low half as `ρ`.
//!
//! ```text
//!   b_i (b_i − 1) = 0                         254 rows "bits/boolean"
//!   Σ b_i 2^i = x                             1 row    "bits/recompose"
//!   b ≤ r − 1, MSB first, with e = [b agrees with r − 1 on the bits above]:
//!     bit of r − 1 is 1:  e ← e · b_i         1 row    "bits/strict-and" (none for the first)
//!     bit of r − 1 is 0:  e · b_i = 0         1 row    "bits/strict-zero"
//! ```
//!
//! `e` only changes at a 1-bit of `r − 1` (at a 0-bit, `e · b_i = 0` forces `e (1 − b_i) = e`).
//! Rows: 254 + 1 + 253 = 508 (`r − 1` has 254 bits, its top bit is 1).

use kaizen_field::{Fr, PrimeField};

use super::poseidon::PoseidonTranscriptVar;
use crate::ccs::{ConstraintSystem, Lc, Var};

/// Bits of `Fr`'s modulus.
pub const FR_BITS: usize = 254;

/// Rows of [`to_bits_le_strict`] on `Fr`.
pub const ROWS_STRICT_BITS: usize = 508;

/// `b` and the row `b (b − 1) = 0`.
fn alloc_bit(cs: &mut ConstraintSystem, value: bool) -> Var {
    let b = cs.alloc_witness(if value { Fr::ONE } else { Fr::ZERO });
    let lb: Lc = b.into();
    cs.enforce_r1cs(
        "bits/boolean",
        lb.clone(),
        &lb - &Lc::constant(Fr::ONE),
        Lc::zero(),
    );
    b
}

/// The canonical little-endian bits of `x` (see the module doc): [`ROWS_STRICT_BITS`] rows.
pub fn to_bits_le_strict(cs: &mut ConstraintSystem, x: &Lc) -> Vec<Var> {
    let limbs = cs.value(x).to_canonical_limbs();
    let bits: Vec<Var> = (0..FR_BITS)
        .map(|i| alloc_bit(cs, (limbs[i / 64] >> (i % 64)) & 1 == 1))
        .collect();
    cs.enforce_equal("bits/recompose", &recompose(&bits), x);
    // r − 1 as bits, MSB first.
    let mut modulus_minus_one = Fr::MODULUS;
    modulus_minus_one[0] -= 1; // r is odd: no borrow
    let mut agrees: Option<Lc> = None;
    for i in (0..FR_BITS).rev() {
        let b: Lc = bits[i].into();
        let bit_is_one = (modulus_minus_one[i / 64] >> (i % 64)) & 1 == 1;
        match (&agrees, bit_is_one) {
            (None, true) => agrees = Some(b),
            (Some(e), true) => agrees = Some(cs.mul("bits/strict-and", e, &b).into()),
            (Some(e), false) => cs.enforce_r1cs("bits/strict-zero", e.clone(), b, Lc::zero()),
            // The top bit of r − 1 is 1: never reached for Fr.
            (None, false) => {
                cs.enforce_r1cs("bits/strict-zero", Lc::constant(Fr::ONE), b, Lc::zero())
            }
        }
    }
    bits
}

/// `Σ_{i < n} b_i 2^i` over any field (no row).
pub fn recompose<F: PrimeField>(bits: &[Var]) -> Lc<F> {
    let mut power = F::ONE;
    let mut sum = Lc::zero();
    for b in bits {
        sum = sum.add_scaled(power, &Lc::from(*b));
        power = power.double();
    }
    sum
}

/// The twin of [`crate::ccs::committed::fold_challenge`]: one squeezed challenge, its strict
/// bits, `ρ` = the integer of the low 128 (returned with those bits, which the `Fq` side's
/// double-and-add consumes). Rows: one permutation plus [`ROWS_STRICT_BITS`].
pub fn fold_challenge_var(
    cs: &mut ConstraintSystem,
    transcript: &mut PoseidonTranscriptVar,
    label: &[u8],
) -> (Lc, Vec<Var>) {
    let c = transcript.challenge(cs, label);
    let mut bits = to_bits_le_strict(cs, &c);
    bits.truncate(128);
    (recompose(&bits), bits)
}
