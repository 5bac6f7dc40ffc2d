//! Point encodings: round trips, agreement with arkworks on the group, rejection of every
//! kind of bad input with the specific error, and pinned generator encodings.

mod common;

use common::*;
use kaizen_field::{Field, PrimeField};
use kaizen_msm::encoding::{FLAG_IDENTITY, FLAG_Y_ODD};
use kaizen_msm::{
    generators, Affine, Base, Bn254, Coordinate, Curve, DecodeError, Grumpkin, Scalar,
};

fn points<C: Curve>(n: usize) -> Vec<Affine<C>> {
    let mut rng = rng(20);
    let g = Affine::<C>::generator();
    let mut v: Vec<_> = (0..n)
        .map(|_| g.mul_vartime(&Scalar::<C>::random(&mut rng)).to_affine())
        .collect();
    v.push(Affine::IDENTITY);
    v.push(g);
    v.push(g.neg());
    v
}

fn round_trips<C: Curve>() {
    for p in points::<C>(200) {
        let c = p.to_compressed();
        assert_eq!(Affine::<C>::from_compressed(&c), Ok(p), "seed {}", seed());
        let u = p.to_uncompressed();
        assert_eq!(Affine::<C>::from_uncompressed(&u), Ok(p), "seed {}", seed());
    }
}

#[test]
fn bn254_round_trips() {
    round_trips::<Bn254>();
}
#[test]
fn grumpkin_round_trips() {
    round_trips::<Grumpkin>();
}

#[test]
fn curve_arithmetic_matches_arkworks() {
    fn check<C: ArkCurve>() {
        use ark_ec::CurveGroup;
        let pts = points::<C>(50);
        for w in pts.windows(2) {
            let (a, b) = (w[0], w[1]);
            let ours = (a.to_projective() + b.to_projective()).to_affine();
            let theirs = (ark_point::<C>(&a) + ark_point::<C>(&b)).into_affine();
            assert_eq!(ark_point::<C>(&ours), theirs);
            let d = a.to_projective().double().to_affine();
            assert_eq!(
                ark_point::<C>(&d),
                (ark_point::<C>(&a) + ark_point::<C>(&a)).into_affine()
            );
            assert_eq!((a.to_projective() + a).to_affine(), d, "P + P");
            assert!((a.to_projective() + a.neg()).is_identity(), "P + (-P)");
        }
        // Generator agrees with arkworks'.
        use ark_ec::AffineRepr;
        assert_eq!(
            ark_point::<C>(&Affine::<C>::generator()),
            ark_ec::short_weierstrass::Affine::<C::Config>::generator()
        );
    }
    check::<Bn254>();
    check::<Grumpkin>();
}

fn modulus_bytes<C: Curve>() -> [u8; 32] {
    let m = <Base<C> as PrimeField>::MODULUS;
    let mut out = [0u8; 32];
    for (chunk, limb) in out.chunks_exact_mut(8).zip(m) {
        chunk.copy_from_slice(&limb.to_le_bytes());
    }
    out
}

/// An x whose x^3 + b is not a square.
fn non_square_x<C: Curve>() -> Base<C> {
    (1u64..)
        .map(Base::<C>::from_u64)
        .find(|x| (x.square() * *x + C::B).legendre() == -1)
        .expect("some x is off the curve")
}

fn rejections<C: Curve>() {
    let name = C::NAME;
    let g = Affine::<C>::generator();
    // Wrong lengths.
    for len in [0usize, 31, 33, 63, 65] {
        let bytes = vec![0u8; len];
        let e = Affine::<C>::from_compressed(&bytes).unwrap_err();
        assert_eq!(
            e,
            DecodeError::WrongLength {
                curve: name,
                expected: 32,
                actual: len
            }
        );
        let e = Affine::<C>::from_uncompressed(&bytes).unwrap_err();
        assert_eq!(
            e,
            DecodeError::WrongLength {
                curve: name,
                expected: 64,
                actual: len
            }
        );
    }
    // x = p (non-canonical), compressed and uncompressed.
    let p = modulus_bytes::<C>();
    assert_eq!(
        Affine::<C>::from_compressed(&p),
        Err(DecodeError::NonCanonicalCoordinate {
            curve: name,
            coordinate: Coordinate::X
        })
    );
    // x + p would be a non-canonical encoding of a real x.
    let mut u = g.to_uncompressed();
    u[..32].copy_from_slice(&p);
    assert_eq!(
        Affine::<C>::from_uncompressed(&u),
        Err(DecodeError::NonCanonicalCoordinate {
            curve: name,
            coordinate: Coordinate::X
        })
    );
    let mut u = g.to_uncompressed();
    u[32..].copy_from_slice(&p);
    assert_eq!(
        Affine::<C>::from_uncompressed(&u),
        Err(DecodeError::NonCanonicalCoordinate {
            curve: name,
            coordinate: Coordinate::Y
        })
    );
    // Off the curve: compressed x with non-square x^3 + b; uncompressed (x, y+1).
    let x = non_square_x::<C>();
    assert_eq!(
        Affine::<C>::from_compressed(&x.to_bytes()),
        Err(DecodeError::NotOnCurve { curve: name })
    );
    let (gx, gy) = g.xy().expect("generator");
    let mut u = [0u8; 64];
    u[..32].copy_from_slice(&gx.to_bytes());
    u[32..].copy_from_slice(&(gy + Base::<C>::ONE).to_bytes());
    assert_eq!(
        Affine::<C>::from_uncompressed(&u),
        Err(DecodeError::NotOnCurve { curve: name })
    );
    // (0, 0) without the identity flag is not a point.
    assert_eq!(
        Affine::<C>::from_uncompressed(&[0u8; 64]),
        Err(DecodeError::NotOnCurve { curve: name })
    );
    // Identity flag with payload.
    let mut c = g.to_compressed();
    c[31] |= FLAG_IDENTITY;
    assert_eq!(
        Affine::<C>::from_compressed(&c),
        Err(DecodeError::NonCanonicalIdentity { curve: name })
    );
    let mut c = [0u8; 32];
    c[31] = FLAG_IDENTITY | FLAG_Y_ODD;
    assert_eq!(
        Affine::<C>::from_compressed(&c),
        Err(DecodeError::NonCanonicalIdentity { curve: name })
    );
    let mut u = g.to_uncompressed();
    u[63] |= FLAG_IDENTITY;
    assert_eq!(
        Affine::<C>::from_uncompressed(&u),
        Err(DecodeError::NonCanonicalIdentity { curve: name })
    );
    // Reserved flag of the uncompressed form.
    let mut u = g.to_uncompressed();
    u[63] |= FLAG_Y_ODD;
    assert_eq!(
        Affine::<C>::from_uncompressed(&u),
        Err(DecodeError::ReservedFlag { curve: name })
    );
    // Flipping the parity flag gives -P, still valid.
    let mut c = g.to_compressed();
    c[31] ^= FLAG_Y_ODD;
    assert_eq!(Affine::<C>::from_compressed(&c), Ok(g.neg()));
}

#[test]
fn bn254_rejections() {
    rejections::<Bn254>();
}
#[test]
fn grumpkin_rejections() {
    rejections::<Grumpkin>();
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Pinned against an independent re-derivation of the documented procedure (a short
/// Python script with hashlib and Tonelli–Shanks, not this code).
#[test]
fn generators_golden() {
    let bn = generators::<Bn254>(b"kaizen-test", 3);
    let want_bn = [
        "5add7db78524a53729089b86f138eb84597387264071e83d186e235c0066c710",
        "66e8b923319cf7130278364252fe48824a4adc10b79924a95b78c47da078b614",
        "e337cf9e89469c2c0031e3d2e7bd14ae3c75b443ebbaad4787160aaa5e7a060d",
    ];
    for (p, w) in bn.iter().zip(want_bn) {
        assert_eq!(hex(&p.to_compressed()), w);
        assert!(p.is_on_curve());
    }
    let gr = generators::<Grumpkin>(b"kaizen-test", 3);
    let want_gr = [
        "5bf16ffbdaa76a120b519ea4ed1357df01bfafc8dbbc4305d888d1a44a77df29",
        "96d9e5fdbc8de4fa8ebacdc413b8d9c9bf481fc275f9784c9b3a08d4dc941c0f",
        "923456ba6925186776be39d6cc2c890f4a2b8af2a476fd87ee92541cf740fa1f",
    ];
    for (p, w) in gr.iter().zip(want_gr) {
        assert_eq!(hex(&p.to_compressed()), w);
    }
    // Domain separation and prefix stability.
    assert_ne!(generators::<Bn254>(b"other", 1)[0], bn[0]);
    assert_eq!(generators::<Bn254>(b"kaizen-test", 2)[..], bn[..2]);
}
