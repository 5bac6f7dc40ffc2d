//! Canonical encodings of commitments and evaluation proofs: round trips, and every decode
//! failure as a specific `Malformed` variant.

use kaizen_field::{Field, Fr};
use kaizen_msm::hyrax::{self, HyraxCommitment, HyraxEvalProof, HyraxParams, ENCODING_VERSION};
use kaizen_msm::{Blinder, DecodeError, G1Affine, Malformed, PcsError, ProofTranscript};

#[derive(Debug)]
struct CountingTranscript(u64);

impl ProofTranscript for CountingTranscript {
    fn absorb_bytes(&mut self, _label: &'static [u8], bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.wrapping_mul(0x100_0000_01b3) ^ u64::from(*b);
        }
    }
    fn challenge_scalar(&mut self, _label: &'static [u8]) -> Fr {
        self.0 = self.0.wrapping_mul(0x9e37_79b9_7f4a_7c15).wrapping_add(1);
        Fr::from_u64(self.0) + Fr::from_u64(1 << 40)
    }
}

fn sample() -> (HyraxCommitment, HyraxEvalProof) {
    let params = HyraxParams::setup(5, 2);
    let table: Vec<Fr> = (0..32u64).map(Fr::from_u64).collect();
    let (comm, opening) = hyrax::commit(&params, &table, &Blinder::from_seed([3; 32]));
    let point: Vec<Fr> = (10..15u64).map(Fr::from_u64).collect();
    let (_, proof) = hyrax::prove_eval(
        &params,
        &mut CountingTranscript(1),
        &comm,
        &opening,
        &table,
        &point,
        &Blinder::from_seed([4; 32]),
    );
    (comm, proof)
}

fn malformed<T: core::fmt::Debug>(r: Result<T, PcsError>) -> Malformed {
    match r {
        Err(PcsError::Malformed(m)) => m,
        other => panic!("expected Malformed, got {other:?}"),
    }
}

/// An x coordinate (< p) with no point on the curve.
fn off_curve_x() -> [u8; 32] {
    (1u8..)
        .map(|x| {
            let mut b = [0u8; 32];
            b[0] = x;
            b
        })
        .find(|b| {
            matches!(
                G1Affine::from_compressed(b),
                Err(DecodeError::NotOnCurve { .. })
            )
        })
        .unwrap()
}

#[test]
fn round_trips_and_sizes() {
    let (comm, proof) = sample();
    let cb = comm.to_bytes();
    let pb = proof.to_bytes();
    assert_eq!(cb.len(), HyraxCommitment::encoded_len(4));
    assert_eq!(pb.len(), HyraxEvalProof::encoded_len(3));
    assert_eq!(pb.len(), 3 + 3 * 64 + 96);
    assert_eq!(HyraxCommitment::from_bytes(&cb).unwrap(), comm);
    assert_eq!(HyraxEvalProof::from_bytes(&pb).unwrap(), proof);
    assert_eq!(cb[0], ENCODING_VERSION);
}

#[test]
fn wrong_version_and_kind() {
    let (comm, proof) = sample();
    let mut cb = comm.to_bytes();
    cb[0] = 2;
    assert!(matches!(
        malformed(HyraxCommitment::from_bytes(&cb)),
        Malformed::Version {
            expected: 1,
            actual: 2,
            ..
        }
    ));
    let pb = proof.to_bytes();
    assert!(matches!(
        malformed(HyraxCommitment::from_bytes(&pb)),
        Malformed::Kind {
            expected: 1,
            actual: 2,
            ..
        }
    ));
    let cb = comm.to_bytes();
    assert!(matches!(
        malformed(HyraxEvalProof::from_bytes(&cb)),
        Malformed::Kind {
            expected: 2,
            actual: 1,
            ..
        }
    ));
}

#[test]
fn truncated_and_trailing() {
    let (comm, proof) = sample();
    let cb = comm.to_bytes();
    let pb = proof.to_bytes();
    for cut in [0, 1, 2, 5, 6, cb.len() - 1] {
        assert!(
            matches!(
                malformed(HyraxCommitment::from_bytes(&cb[..cut])),
                Malformed::Length { .. }
            ),
            "commitment cut at {cut}"
        );
    }
    for cut in [0, 2, 3, 50, pb.len() - 1] {
        assert!(
            matches!(
                malformed(HyraxEvalProof::from_bytes(&pb[..cut])),
                Malformed::Length { .. }
            ),
            "proof cut at {cut}"
        );
    }
    let mut long = pb.clone();
    long.push(0);
    assert_eq!(
        malformed(HyraxEvalProof::from_bytes(&long)),
        Malformed::Length {
            what: "hyrax evaluation proof",
            expected: pb.len(),
            actual: pb.len() + 1
        }
    );
}

#[test]
fn bad_counts() {
    let (comm, proof) = sample();
    let mut cb = comm.to_bytes();
    cb[2] = 3;
    assert!(matches!(
        malformed(HyraxCommitment::from_bytes(&cb)),
        Malformed::Count { value: 3, .. }
    ));
    let mut pb = proof.to_bytes();
    pb[2] = 200;
    assert!(matches!(
        malformed(HyraxEvalProof::from_bytes(&pb)),
        Malformed::Count { value: 200, .. }
    ));
}

#[test]
fn off_curve_points() {
    let (comm, proof) = sample();
    let bad = off_curve_x();
    let mut cb = comm.to_bytes();
    cb[6 + 32..6 + 64].copy_from_slice(&bad);
    assert!(matches!(
        malformed(HyraxCommitment::from_bytes(&cb)),
        Malformed::Point {
            what: "commitment row",
            index: 1,
            error: DecodeError::NotOnCurve { .. }
        }
    ));
    // L_2, R_0, A
    for (offset, what, index) in [
        (3 + 2 * 32, "L", 2),
        (3 + 3 * 32, "R", 0),
        (3 + 6 * 32, "A", 0),
    ] {
        let mut pb = proof.to_bytes();
        pb[offset..offset + 32].copy_from_slice(&bad);
        let m = malformed(HyraxEvalProof::from_bytes(&pb));
        assert!(
            matches!(m, Malformed::Point { what: w, index: i, error: DecodeError::NotOnCurve { .. } } if w == what && i == index),
            "{what} {index}: {m:?}"
        );
    }
}

#[test]
fn non_canonical_scalars() {
    let (_, proof) = sample();
    // r = BN254 scalar modulus, little-endian: not below the modulus.
    let r_le: [u8; 32] = {
        let mut b = [0u8; 32];
        let limbs = <Fr as kaizen_field::PrimeField>::MODULUS;
        for (i, l) in limbs.iter().enumerate() {
            b[8 * i..8 * i + 8].copy_from_slice(&l.to_le_bytes());
        }
        b
    };
    let base = proof.to_bytes();
    let n = base.len();
    for (offset, what) in [(n - 64, "z1"), (n - 32, "z2")] {
        let mut pb = base.clone();
        pb[offset..offset + 32].copy_from_slice(&r_le);
        assert_eq!(
            malformed(HyraxEvalProof::from_bytes(&pb)),
            Malformed::Scalar { what }
        );
    }
    let _ = Fr::ONE;
}
