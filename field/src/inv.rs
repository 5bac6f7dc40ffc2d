//! Field inversion.
//!
//! Current algorithm: Fermat, `a^(p-2)` (constant time in `a`, ~300 multiplications).
//! Variable-time callers may use a faster algorithm behind the same entry point.

use crate::fp::{Fp, FpParams};
use crate::limbs::sub4;

/// `a^-1`, `None` for zero.
pub(crate) fn inverse<P: FpParams>(a: &Fp<P>) -> Option<Fp<P>> {
    if a.limbs == [0; 4] {
        return None;
    }
    let p_minus_2 = sub4(&P::MODULUS, &[2, 0, 0, 0]).0;
    Some(a.pow_vartime(&p_minus_2))
}
