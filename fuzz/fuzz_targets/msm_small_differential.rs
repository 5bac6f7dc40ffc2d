//! Small-n MSM differential: Pippenger (small-integer and field-scalar entry points, and the
//! fixed-base table) against `naive_msm`, on fuzzer-chosen scalars and repeated bases.
#![no_main]

use kaizen_field::Field;
use kaizen_msm::{
    msm_small_vartime, msm_vartime, naive_msm, Bn254, FixedBaseTable, Projective, Scalar,
};
use libfuzzer_sys::fuzz_target;

/// At most this many terms: `naive_msm` costs one double-and-add per term, and small n is
/// where window-size edge cases live.
const MAX_N: usize = 48;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    // Bases: multiples k G of the generator for fuzzer-chosen small k (repeats allowed,
    // k = 0 gives the identity).
    let g = Projective::<Bn254>::generator();
    let n = (rest.len() / 3).min(MAX_N);
    let mut bases = Vec::with_capacity(n);
    let mut small = Vec::with_capacity(n);
    for chunk in rest.chunks_exact(3).take(n) {
        let k = (chunk[0] % 8) as u64;
        bases.push(g.mul_limbs_vartime(&[k]).to_affine());
        small.push(i16::from_le_bytes([chunk[1], chunk[2]]));
    }
    let field: Vec<Scalar<Bn254>> = small
        .iter()
        .map(|&s| {
            let v = Scalar::<Bn254>::from_i64(s as i64);
            // Some scalars made full width so the GLV path runs too.
            if sel & 1 == 1 && s % 5 == 0 {
                v * Scalar::<Bn254>::from_u128(u128::MAX) - Scalar::<Bn254>::ONE
            } else {
                v
            }
        })
        .collect();
    let want = naive_msm(&bases, &field);
    assert_eq!(msm_vartime(&bases, &field), want);
    if sel & 1 == 0 {
        assert_eq!(msm_small_vartime(&bases, &small), want);
        let narrow: Vec<i8> = small.iter().map(|&s| s as i8).collect();
        let narrow_f: Vec<Scalar<Bn254>> = narrow
            .iter()
            .map(|&s| Scalar::<Bn254>::from_i64(s as i64))
            .collect();
        assert_eq!(
            msm_small_vartime(&bases, &narrow),
            naive_msm(&bases, &narrow_f)
        );
    }
    if sel & 2 == 2 {
        let table = FixedBaseTable::with_window(&bases, 2 + (sel >> 2) as u32 % 10);
        assert_eq!(table.msm_vartime(&field), want);
    }
});
