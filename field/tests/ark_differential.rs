//! Differential tests against `ark-bn254` (dev-dependency only).

use ark_ff::{BigInteger, PrimeField as ArkPrimeField};
use kaizen_field::{Field, Fq, Fr, PrimeField};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

fn seed() -> u64 {
    std::env::var("KAIZEN_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x6b61_697a_656e)
}

fn to_ark_fr(x: &Fr) -> ark_bn254::Fr {
    ark_bn254::Fr::from_le_bytes_mod_order(&x.to_bytes())
}

fn from_ark_fr(x: &ark_bn254::Fr) -> Fr {
    let bytes: [u8; 32] = x.into_bigint().to_bytes_le().try_into().expect("32 bytes");
    Fr::from_bytes(&bytes).expect("canonical")
}

fn to_ark_fq(x: &Fq) -> ark_bn254::Fq {
    ark_bn254::Fq::from_le_bytes_mod_order(&x.to_bytes())
}

#[test]
fn fr_ops_match_arkworks() {
    let s = seed();
    let mut rng = ChaCha20Rng::seed_from_u64(s);
    for i in 0..20_000 {
        let a = Fr::random(&mut rng);
        let b = Fr::random(&mut rng);
        let (aa, bb) = (to_ark_fr(&a), to_ark_fr(&b));
        assert_eq!(to_ark_fr(&(a * b)), aa * bb, "mul, seed {s}, iteration {i}");
        assert_eq!(to_ark_fr(&(a + b)), aa + bb, "add, seed {s}, iteration {i}");
        assert_eq!(to_ark_fr(&(a - b)), aa - bb, "sub, seed {s}, iteration {i}");
        assert_eq!(
            to_ark_fr(&a.square()),
            aa * aa,
            "square, seed {s}, iteration {i}"
        );
        assert_eq!(from_ark_fr(&aa), a);
    }
}

#[test]
fn fq_ops_match_arkworks() {
    let s = seed();
    let mut rng = ChaCha20Rng::seed_from_u64(s ^ 1);
    for i in 0..20_000 {
        let a = Fq::random(&mut rng);
        let b = Fq::random(&mut rng);
        let (aa, bb) = (to_ark_fq(&a), to_ark_fq(&b));
        assert_eq!(to_ark_fq(&(a * b)), aa * bb, "mul, seed {s}, iteration {i}");
        assert_eq!(to_ark_fq(&(a - b)), aa - bb, "sub, seed {s}, iteration {i}");
    }
}

#[test]
fn inverse_sqrt_small_embeddings() {
    let mut rng = ChaCha20Rng::seed_from_u64(seed() ^ 2);
    for _ in 0..200 {
        let a = Fr::random(&mut rng);
        assert_eq!(a * a.inverse().unwrap(), Fr::ONE);
        let sq = a.square();
        let r = sq.sqrt().unwrap();
        assert!(r == a || r == -a);
        assert_eq!(sq.legendre(), 1);
        let b = Fq::random(&mut rng).square();
        assert_eq!(b.sqrt().unwrap().square(), b);
        let v = rng.next_u64() as i64;
        assert_eq!(to_ark_fr(&Fr::from_i64(v)), ark_bn254::Fr::from(v));
        let w = ((rng.next_u64() as i128) << 64) | rng.next_u64() as i128;
        assert_eq!(to_ark_fr(&Fr::from_i128(w)), ark_bn254::Fr::from(w));
    }
    assert_eq!(Fr::ZERO.inverse(), None);
    assert_eq!((-Fr::ONE).legendre(), 1); // r = 1 mod 4
    assert_eq!((-Fq::ONE).legendre(), -1); // q = 3 mod 4
}
