//! Shared test helpers: the seed, random inputs, and conversions to arkworks.
#![allow(dead_code, unreachable_pub)]

use ark_ec::short_weierstrass::{Affine as ArkAffine, Projective as ArkProjective, SWCurveConfig};
use ark_ec::{AffineRepr, CurveGroup, VariableBaseMSM};
use ark_ff::{BigInteger, PrimeField as ArkPrimeField};
use kaizen_field::testing::{test_rng, test_seed};
use kaizen_field::{Field, PrimeField};
use kaizen_msm::{Affine, Base, Bn254, Curve, Grumpkin, Projective, Scalar};
use rand_chacha::rand_core::RngCore;
use rand_chacha::ChaCha20Rng;

/// `KAIZEN_TEST_SEED` if set, else a constant. Print it in every failure message.
pub fn seed() -> u64 {
    test_seed(0x6b61_697a_656e_6d73)
}

pub fn rng(salt: u64) -> ChaCha20Rng {
    test_rng(0x6b61_697a_656e_6d73, salt)
}

/// Our curve and its arkworks twin.
pub trait ArkCurve: Curve {
    type Config: SWCurveConfig<BaseField: ArkPrimeField>;
}
impl ArkCurve for Bn254 {
    type Config = ark_bn254::g1::Config;
}
impl ArkCurve for Grumpkin {
    type Config = ark_grumpkin::GrumpkinConfig;
}

type ArkBase<C> = <<C as ArkCurve>::Config as ark_ec::CurveConfig>::BaseField;
type ArkScalar<C> = <<C as ArkCurve>::Config as ark_ec::CurveConfig>::ScalarField;

pub fn ark_scalar<C: ArkCurve>(s: &Scalar<C>) -> ArkScalar<C> {
    ArkScalar::<C>::from_le_bytes_mod_order(&s.to_bytes())
}

pub fn ark_point<C: ArkCurve>(p: &Affine<C>) -> ArkAffine<C::Config> {
    match p.xy() {
        None => ArkAffine::<C::Config>::identity(),
        Some((x, y)) => ArkAffine::<C::Config>::new_unchecked(
            ArkBase::<C>::from_le_bytes_mod_order(&x.to_bytes()),
            ArkBase::<C>::from_le_bytes_mod_order(&y.to_bytes()),
        ),
    }
}

pub fn from_ark<C: ArkCurve>(p: &ArkProjective<C::Config>) -> Affine<C> {
    match p.into_affine().xy() {
        None => Affine::IDENTITY,
        Some((x, y)) => {
            let conv = |v: ArkBase<C>| {
                let bytes: [u8; 32] = v.into_bigint().to_bytes_le().try_into().expect("32 bytes");
                Base::<C>::from_bytes(&bytes).expect("canonical")
            };
            Affine::from_xy(conv(x), conv(y)).expect("arkworks point on our curve")
        }
    }
}

/// arkworks' MSM of the same input, as our affine point.
pub fn ark_msm<C: ArkCurve>(bases: &[Affine<C>], scalars: &[Scalar<C>]) -> Affine<C> {
    let b: Vec<_> = bases.iter().map(ark_point::<C>).collect();
    let s: Vec<_> = scalars.iter().map(ark_scalar::<C>).collect();
    let r = ArkProjective::<C::Config>::msm(&b, &s).expect("same length");
    from_ark::<C>(&r)
}

pub fn random_scalars<C: Curve>(rng: &mut ChaCha20Rng, n: usize) -> Vec<Scalar<C>> {
    (0..n).map(|_| Scalar::<C>::random(rng)).collect()
}

/// Bases: distinct hash-derived points (independent of our group law).
pub fn bases<C: Curve>(n: usize) -> Vec<Affine<C>> {
    kaizen_msm::generators::<C>(b"kaizen-msm-tests", n)
}

/// A scalar of the kind `kind` (cycled by the tests): 0, 1, -1, p-2, (p-1)/2, small +-,
/// 64-bit edges, random.
pub fn edge_scalar<C: Curve>(rng: &mut ChaCha20Rng, kind: usize) -> Scalar<C> {
    let two = Scalar::<C>::from_u64(2);
    match kind % 12 {
        0 => Scalar::<C>::ZERO,
        1 => Scalar::<C>::ONE,
        2 => -Scalar::<C>::ONE,
        3 => -two,
        4 => two.inverse().expect("2 invertible"),
        5 => Scalar::<C>::from_i64((rng.next_u32() as i16) as i64),
        6 => Scalar::<C>::from_i64(-((rng.next_u32() % 200) as i64)),
        7 => Scalar::<C>::from_u64(u64::MAX),
        8 => -Scalar::<C>::from_u64(u64::MAX),
        9 => Scalar::<C>::from_u128(u128::MAX),
        _ => Scalar::<C>::random(rng),
    }
}

pub fn proj_eq<C: Curve>(a: &Projective<C>, b: &Affine<C>) -> bool {
    a.to_affine() == *b
}
