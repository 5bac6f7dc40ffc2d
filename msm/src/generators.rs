//! Transparent Pedersen generators: SHA-256 try-and-increment hash-to-curve.
//!
//! `generators::<C>(domain_tag, n)` returns `n` points `G_0 .. G_{n-1}`, where `G_i` is the
//! first point found by this procedure, for `ctr = 0, 1, 2, ...`:
//!
//! 1. `h = SHA-256(DST ‖ name ‖ 0x00 ‖ len ‖ domain_tag ‖ i ‖ ctr)` where
//!    `DST = b"kaizen/msm/generators/v1\0"` (25 bytes, including the trailing zero byte),
//!    `name` is the curve name in ASCII (`b"bn254"` or `b"grumpkin"`), `len` is the byte length of
//!    `domain_tag` as a little-endian `u64`, `i` is the index as a little-endian `u64` and `ctr`
//!    a little-endian `u32`.
//! 2. Clear the two top bits of `h[31]` and read `h` as a little-endian integer `x < 2^254`.
//!    If `x >= p` (the base field modulus), go to the next `ctr`.
//! 3. If `x^3 + b` is not a square in the base field, go to the next `ctr`.
//! 4. `G_i = (x, y)` with `y` the square root of `x^3 + b` whose canonical integer is even.
//!
//! Nobody knows a discrete-log relation between the outputs (they are hashes), so no trusted
//! setup is involved. About half of the `x` are accepted, so each generator costs two hashes
//! and two exponentiations on average (one per try, see `sqrt_base`); indices are computed
//! in parallel, the output does not depend on the thread count. The test `generators_golden`
//! pins the compressed encodings of the first ones.

use kaizen_field::{Field, FpParams, PrimeField};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::curve::{is_odd, Affine, Base, Curve};

/// Domain-separation prefix of every generator hash (version 1 of the derivation).
pub const GENERATORS_DST: &[u8; 25] = b"kaizen/msm/generators/v1\0";

/// Generator `index` of the family named by `domain_tag` (see the module doc).
pub fn generator<C: Curve>(domain_tag: &[u8], index: u64) -> Affine<C> {
    let mut prefix = Sha256::new();
    prefix.update(GENERATORS_DST);
    prefix.update(C::NAME.as_bytes());
    prefix.update([0u8]);
    prefix.update((domain_tag.len() as u64).to_le_bytes());
    prefix.update(domain_tag);
    prefix.update(index.to_le_bytes());
    let mut ctr: u32 = 0;
    loop {
        let mut h = prefix.clone();
        h.update(ctr.to_le_bytes());
        let mut bytes: [u8; 32] = h.finalize().into();
        bytes[31] &= 0x3f;
        if let Ok(x) = Base::<C>::from_bytes(&bytes) {
            let rhs = x.square() * x + C::B;
            if let Some(y) = sqrt_base::<C>(&rhs) {
                let y = if is_odd(&y) { -y } else { y };
                debug_assert!(!Field::is_zero(&y));
                return Affine::new_unchecked(x, y);
            }
        }
        // 2^-(2 * 2^32) chance to get here twice 2^32 times: the loop ends in practice.
        ctr = ctr.wrapping_add(1);
    }
}

/// A square root of `a` in the base field of `C` (either one; the caller fixes the parity).
/// For `p = 3 mod 4` (BN254's `Fq`) it is `y = a^((p+1)/4)`, checked by `y^2 = a`: one
/// exponentiation by a 4-bit fixed window (about 256 squarings and 78 multiplications),
/// where the generic Tonelli–Shanks `sqrt` computes two (`a^t` and `a^((t+1)/2)`) and
/// binary square-and-multiply (about 127 multiplications each). Half the tries are
/// non-residues, so this halves the cost of a generator. Other fields use the generic `sqrt`.
fn sqrt_base<C: Curve>(a: &Base<C>) -> Option<Base<C>> {
    let p = <C::BaseParams as FpParams>::MODULUS;
    if p[0] & 3 != 3 {
        return a.sqrt();
    }
    // e = (p + 1) / 4: p + 1 does not overflow (top limb < 2^62), then shift by 2.
    let mut e = [0u64; 4];
    let mut carry = 1u128;
    for i in 0..4 {
        let t = p[i] as u128 + carry;
        e[i] = t as u64;
        carry = t >> 64;
    }
    for i in 0..4 {
        e[i] = (e[i] >> 2) | if i < 3 { e[i + 1] << 62 } else { 0 };
    }
    let mut table = [Base::<C>::ONE; 16];
    for i in 1..16 {
        table[i] = table[i - 1] * *a;
    }
    let mut y = Base::<C>::ONE;
    for limb in e.iter().rev() {
        for nibble in (0..16).rev() {
            for _ in 0..4 {
                y = y.square();
            }
            let d = ((limb >> (4 * nibble)) & 15) as usize;
            if d != 0 {
                y *= table[d];
            }
        }
    }
    (y.square() == *a).then_some(y)
}

/// Generators `0 .. n` of the family named by `domain_tag` (see the module doc).
pub fn generators<C: Curve>(domain_tag: &[u8], n: usize) -> Vec<Affine<C>> {
    (0..n)
        .into_par_iter()
        .with_min_len(64)
        .map(|i| generator::<C>(domain_tag, i as u64))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Bn254, Grumpkin};
    use rand_chacha::rand_core::SeedableRng;

    /// `sqrt_base` finds a root exactly when the generic `sqrt` does (residues and
    /// non-residues, zero), on the `p = 3 mod 4` path (BN254) and the generic one (Grumpkin).
    fn sqrt_base_agrees<C: Curve>() {
        let seed = crate::test_seed();
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(seed);
        let mut cases: Vec<Base<C>> = vec![Base::<C>::ZERO, Base::<C>::ONE, -Base::<C>::ONE];
        cases.extend((0..64).map(|_| Base::<C>::random(&mut rng)));
        for a in cases {
            let fast = sqrt_base::<C>(&a);
            assert_eq!(
                fast.is_some(),
                a.sqrt().is_some(),
                "{} a = {a} (seed {seed})",
                C::NAME
            );
            if let Some(y) = fast {
                assert_eq!(y.square(), a, "{} (seed {seed})", C::NAME);
            }
        }
    }

    #[test]
    fn sqrt_base_agrees_bn254() {
        sqrt_base_agrees::<Bn254>();
    }

    #[test]
    fn sqrt_base_agrees_grumpkin() {
        sqrt_base_agrees::<Grumpkin>();
    }
}
