//! Point decoding MUST never panic, and whatever decodes must re-encode to the same bytes
//! (one canonical encoding per point) and lie on the curve.
#![no_main]

use kaizen_msm::{Affine, Bn254, Curve, Grumpkin};
use libfuzzer_sys::fuzz_target;

fn check<C: Curve>(data: &[u8]) {
    if let Ok(p) = Affine::<C>::from_compressed(data) {
        assert!(p.is_on_curve());
        assert_eq!(&p.to_compressed()[..], data);
    }
    if let Ok(p) = Affine::<C>::from_uncompressed(data) {
        assert!(p.is_on_curve());
        assert_eq!(&p.to_uncompressed()[..], data);
    }
}

fuzz_target!(|data: &[u8]| {
    check::<Bn254>(data);
    check::<Grumpkin>(data);
    // Also the exact-length prefixes, so short inputs reach the field and curve checks.
    for len in [32usize, 64] {
        if let Some(prefix) = data.get(..len) {
            check::<Bn254>(prefix);
            check::<Grumpkin>(prefix);
        }
    }
});
