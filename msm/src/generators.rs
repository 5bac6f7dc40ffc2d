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
//! and two square roots on average; indices are computed in parallel, the output does not
//! depend on the thread count. The test `generators_golden` pins the compressed encodings
//! of the first ones.

use kaizen_field::{Field, PrimeField};
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
            if let Some(y) = rhs.sqrt() {
                let y = if is_odd(&y) { -y } else { y };
                debug_assert!(!Field::is_zero(&y));
                return Affine::new_unchecked(x, y);
            }
        }
        // 2^-(2 * 2^32) chance to get here twice 2^32 times: the loop ends in practice.
        ctr = ctr.wrapping_add(1);
    }
}

/// Generators `0 .. n` of the family named by `domain_tag` (see the module doc).
pub fn generators<C: Curve>(domain_tag: &[u8], n: usize) -> Vec<Affine<C>> {
    (0..n)
        .into_par_iter()
        .with_min_len(64)
        .map(|i| generator::<C>(domain_tag, i as u64))
        .collect()
}
