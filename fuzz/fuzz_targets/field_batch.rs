//! Every batch kernel on every backend this CPU has gives exactly the portable result.
//! Input: a sequence of 32-byte integers (reduced mod r) split into two vectors.
#![no_main]

use kaizen_field::{batch, Backend, Field, Fr, PrimeField};
use libfuzzer_sys::fuzz_target;

fn elem(chunk: &[u8]) -> Fr {
    let mut wide = [0u8; 64];
    wide[..chunk.len()].copy_from_slice(chunk);
    Fr::from_bytes_wide(&wide)
}

fuzz_target!(|data: &[u8]| {
    let elems: Vec<Fr> = data.chunks(32).map(elem).collect();
    let n = elems.len() / 2;
    let (a, b) = (&elems[..n], &elems[n..2 * n]);
    let r = elems.last().copied().unwrap_or(Fr::ONE);
    let small: Vec<i32> = a.iter().map(|x| x.to_bytes()[0] as i32 - 128).collect();
    let mut want = vec![Fr::ZERO; n];
    let mut got = vec![Fr::ZERO; n];
    for be in Backend::available() {
        batch::mul_with(Backend::Portable, &mut want, a, b);
        batch::mul_with(be, &mut got, a, b);
        assert_eq!(want, got, "mul {be}");
        batch::fold_with(Backend::Portable, &mut want, a, b, r);
        batch::fold_with(be, &mut got, a, b, r);
        assert_eq!(want, got, "fold {be}");
        want.copy_from_slice(a);
        got.copy_from_slice(a);
        batch::mul_add_with(Backend::Portable, &mut want, a, b);
        batch::mul_add_with(be, &mut got, a, b);
        assert_eq!(want, got, "mul_add {be}");
        batch::scale_with(Backend::Portable, &mut want, a, r);
        batch::scale_with(be, &mut got, a, r);
        assert_eq!(want, got, "scale {be}");
        batch::mul_small_with(Backend::Portable, &mut want, &small, b);
        batch::mul_small_with(be, &mut got, &small, b);
        assert_eq!(want, got, "mul_small {be}");
        assert_eq!(
            batch::inner_product_with(Backend::Portable, a, b),
            batch::inner_product_with(be, a, b),
            "inner_product {be}"
        );
    }
});
