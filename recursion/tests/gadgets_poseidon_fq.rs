//! Poseidon over BN254 `Fq` (t = 3, x^5, R_F = 8, R_P = 57): constants against arkworks'
//! independent Grain LFSR, `x^5` a permutation of `Fq`, and the permutation gadget over `Fq`
//! equal to the native permutation (81 degree-5 rows, circuit satisfied).

use ark_crypto_primitives::sponge::poseidon::find_poseidon_ark_and_mds;
use ark_ff::{BigInteger, PrimeField as ArkPrimeField};
use kaizen_field::{Field, Fq, PrimeField};
use kaizen_recursion::ccs::{ConstraintSystem, Lc};
use kaizen_recursion::gadgets::{permute_in, ROWS_PER_PERMUTATION};
use kaizen_sumcheck::transcript::poseidon::{fq, FULL_ROUNDS, PARTIAL_ROUNDS, WIDTH};
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;

fn from_ark(x: &ark_bn254::Fq) -> Fq {
    let bytes = x.into_bigint().to_bytes_le();
    let mut buf = [0u8; 32];
    buf.copy_from_slice(&bytes);
    Fq::from_bytes(&buf).unwrap()
}

#[test]
fn fq_constants_match_arkworks_grain() {
    // (prime_bits, rate, full_rounds, partial_rounds, skip_matrices)
    let (ark, mds) = find_poseidon_ark_and_mds::<ark_bn254::Fq>(
        254,
        WIDTH - 1,
        FULL_ROUNDS as u64,
        PARTIAL_ROUNDS as u64,
        0,
    );
    let p = fq::params();
    assert_eq!(ark.len(), FULL_ROUNDS + PARTIAL_ROUNDS);
    assert_eq!(p.round_constants.len(), ark.len());
    for (round, (ours, theirs)) in p.round_constants.iter().zip(&ark).enumerate() {
        for cell in 0..WIDTH {
            assert_eq!(
                ours[cell],
                from_ark(&theirs[cell]),
                "round {round} cell {cell}"
            );
        }
    }
    for i in 0..WIDTH {
        for j in 0..WIDTH {
            assert_eq!(p.mds[i][j], from_ark(&mds[i][j]), "mds {i} {j}");
        }
    }
}

/// The same arkworks procedure over `Fr` gives kaizen's `Fr` constants (which the sumcheck
/// tests pin to circomlib's published ones): arkworks' Grain is the reference's.
#[test]
fn arkworks_grain_reproduces_the_published_fr_instance() {
    use kaizen_sumcheck::transcript::poseidon::PoseidonParams;
    let (ark, mds) = find_poseidon_ark_and_mds::<ark_bn254::Fr>(
        254,
        WIDTH - 1,
        FULL_ROUNDS as u64,
        PARTIAL_ROUNDS as u64,
        0,
    );
    let fr = |x: &ark_bn254::Fr| {
        let mut buf = [0u8; 32];
        buf.copy_from_slice(&x.into_bigint().to_bytes_le());
        kaizen_field::Fr::from_bytes(&buf).unwrap()
    };
    let p = PoseidonParams::get();
    for (ours, theirs) in p.round_constants.iter().zip(&ark) {
        assert_eq!(ours.to_vec(), theirs.iter().map(fr).collect::<Vec<_>>());
    }
    for i in 0..WIDTH {
        assert_eq!(p.mds[i].to_vec(), mds[i].iter().map(fr).collect::<Vec<_>>());
    }
}

#[test]
fn x5_is_a_permutation_of_fq() {
    // gcd(5, q − 1) = 1 iff q − 1 is not a multiple of 5: (q − 1) mod 5 from the limbs.
    let m = Fq::MODULUS;
    let rem = m
        .iter()
        .rev()
        .fold(0u128, |acc, l| ((acc << 64) | u128::from(*l)) % 5);
    assert_eq!((rem + 4) % 5, 2);
}

#[test]
fn fq_permutation_gadget_equals_native() {
    let mut r = ChaCha20Rng::seed_from_u64(0x6b61_697a_656e_f9f9);
    for _ in 0..3 {
        let input: [Fq; WIDTH] = core::array::from_fn(|_| Fq::random(&mut r));
        let mut native = input;
        fq::permute(&mut native);
        assert_ne!(native, input);
        let mut cs = ConstraintSystem::<Fq>::new();
        let state: [Lc<Fq>; WIDTH] = input.map(|v| cs.alloc_public(v).into());
        let out = permute_in(&mut cs, fq::params(), &state);
        assert_eq!(out.each_ref().map(|l| cs.value(l)), native);
        let (ccs, a) = cs.build();
        assert_eq!(ccs.num_rows, ROWS_PER_PERMUTATION);
        assert_eq!(ccs.is_satisfied(&a.z()), Ok(()));
        let mut z = a.z();
        z[10] += Fq::ONE;
        assert!(ccs.is_satisfied(&z).is_err());
    }
}
