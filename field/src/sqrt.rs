//! Square roots (Tonelli–Shanks, which for `Fq`'s 2-adicity 1 is the `a^((p+1)/4)` formula)
//! and the Legendre symbol. Variable time.

use crate::fp::{Fp, FpParams};
use crate::limbs::{add_one4, shr1_4, shr4, sub_one4};
use crate::traits::{Field, PrimeField};

/// Legendre symbol `a^((p-1)/2)`: 0, 1 or -1.
pub(crate) fn legendre<P: FpParams>(a: &Fp<P>) -> i8 {
    if a.is_zero() {
        return 0;
    }
    let e = shr1_4(&sub_one4(&P::MODULUS));
    if a.pow_vartime(&e) == Fp::ONE {
        1
    } else {
        -1
    }
}

/// A square root of `a`, if one exists (Tonelli–Shanks with the 2-adic root of unity).
pub(crate) fn sqrt<P: FpParams>(a: &Fp<P>) -> Option<Fp<P>> {
    if a.is_zero() {
        return Some(Fp::ZERO);
    }
    // p - 1 = 2^s * t, t odd.
    let s = P::TWO_ADICITY;
    let t = P::TRACE;
    // x = a^((t+1)/2), b = a^t; invariant x^2 = a * b, b has order dividing 2^(m-1).
    let mut x = a.pow_vartime(&shr4(&add_one4(&t), 1));
    let mut b = a.pow_vartime(&t);
    let mut z = Fp::<P>::TWO_ADIC_ROOT_OF_UNITY;
    let mut m = s;
    while b != Fp::ONE {
        // Least k with b^(2^k) = 1.
        let mut k = 0;
        let mut b2k = b;
        while b2k != Fp::ONE {
            b2k = b2k.square();
            k += 1;
            if k == m {
                return None; // a is a non-residue
            }
        }
        let mut w = z;
        for _ in 0..(m - k - 1) {
            w = w.square();
        }
        z = w.square();
        b *= z;
        x *= w;
        m = k;
    }
    Some(x)
}
