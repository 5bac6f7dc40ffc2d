//! Claim aggregation: k = 1, 8, 64 claims at one point and at many points, through the
//! encodings; a false value among k, swapped commitments, shape errors, each rejected with
//! the specific kind and check.

use kaizen_field::{batch, Field, Fr};
use kaizen_msm::{Check, HyraxCommitment, HyraxOpening};
use kaizen_recursion::{
    prove_batch_open, verify_batch_open, BatchOpenProof, Claim, ClaimCheck, ClaimError,
    ClaimMalformed, ClaimSet, CommittedTable, HyraxPcs,
};
use kaizen_sumcheck::{PoseidonTranscript, Sha256Transcript, Transcript};
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;

fn seed() -> u64 {
    std::env::var("KAIZEN_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x6167_6772_6567_6174)
}

fn rng(salt: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(seed() ^ salt.wrapping_mul(0x9e37_79b9_7f4a_7c15))
}

fn evaluate(table: &[Fr], point: &[Fr]) -> Fr {
    let mut eq = vec![Fr::ZERO; table.len()];
    batch::eq_expand(&mut eq, point, Fr::ONE);
    batch::inner_product(table, &eq)
}

/// `m` committed random tables and `k` true claims on them: claim `i` on table `i % m`, at
/// one of `points` random points (`i % points`).
struct Fixture {
    pcs: HyraxPcs,
    tables: Vec<Vec<Fr>>,
    comms: Vec<HyraxCommitment>,
    openings: Vec<HyraxOpening>,
    claims: Vec<Claim>,
}

impl Fixture {
    fn new(n: usize, log_rows: usize, m: usize, k: usize, points: usize, salt: u64) -> Self {
        let mut r = rng(salt);
        let pcs = HyraxPcs::setup(n, log_rows);
        let tables: Vec<Vec<Fr>> = (0..m)
            .map(|_| (0..1 << n).map(|_| Fr::random(&mut r)).collect())
            .collect();
        let (comms, openings) = tables.iter().map(|t| pcs.commit(t, &mut r)).unzip();
        let pts: Vec<Vec<Fr>> = (0..points)
            .map(|_| (0..n).map(|_| Fr::random(&mut r)).collect())
            .collect();
        let claims = (0..k)
            .map(|i| {
                let point = pts[i % points].clone();
                let value = evaluate(&tables[i % m], &point);
                Claim {
                    commitment: i % m,
                    point,
                    value,
                }
            })
            .collect();
        Self {
            pcs,
            tables,
            comms,
            openings,
            claims,
        }
    }

    fn set(&self) -> ClaimSet<'_> {
        ClaimSet {
            commitments: self.comms.iter().collect(),
            claims: self.claims.clone(),
        }
    }

    fn prove<T: Transcript>(&self, salt: u64) -> BatchOpenProof {
        let witness: Vec<CommittedTable<'_>> = self
            .tables
            .iter()
            .zip(&self.openings)
            .map(|(table, opening)| CommittedTable { table, opening })
            .collect();
        let mut t = self.pcs.transcript::<T>();
        prove_batch_open(&self.pcs, &mut t, &self.set(), &witness, &mut rng(salt))
    }

    fn verify<T: Transcript>(
        &self,
        set: &ClaimSet<'_>,
        proof: &BatchOpenProof,
    ) -> Result<(), ClaimError> {
        let mut t = self.pcs.transcript::<T>();
        verify_batch_open(&self.pcs, &mut t, set, proof)
    }
}

fn accepts(n: usize, log_rows: usize, m: usize, k: usize, points: usize, salt: u64) {
    let f = Fixture::new(n, log_rows, m, k, points, salt);
    let proof = f.prove::<Sha256Transcript>(salt + 1);
    assert_eq!(proof.reduction.is_some(), points > 1 && k > 1);
    let decoded = BatchOpenProof::from_bytes(&proof.to_bytes()).unwrap();
    assert_eq!(decoded, proof);
    f.verify::<Sha256Transcript>(&f.set(), &decoded)
        .unwrap_or_else(|e| panic!("n {n} m {m} k {k} points {points}: {e} (seed {})", seed()));
}

#[test]
fn one_claim() {
    accepts(6, 3, 1, 1, 1, 1);
    accepts(6, 0, 1, 1, 1, 2);
}

#[test]
fn eight_claims_one_point_on_eight_polynomials() {
    accepts(8, 4, 8, 8, 1, 3);
}

#[test]
fn sixty_four_claims_one_point() {
    accepts(6, 3, 16, 64, 1, 4);
}

#[test]
fn eight_claims_eight_points() {
    accepts(8, 4, 8, 8, 8, 5);
    accepts(7, 0, 8, 8, 8, 6);
    accepts(7, 7, 8, 8, 8, 7);
}

#[test]
fn sixty_four_claims_mixed_points() {
    // 64 claims on 8 polynomials at 5 points: several claims per polynomial, several
    // polynomials per point, repeated (polynomial, point) pairs.
    accepts(6, 3, 8, 64, 5, 8);
}

#[test]
fn poseidon_transcript() {
    let f = Fixture::new(5, 2, 3, 6, 2, 9);
    let proof = f.prove::<PoseidonTranscript>(10);
    f.verify::<PoseidonTranscript>(&f.set(), &proof).unwrap();
}

#[test]
fn one_wrong_value_among_k_rejected() {
    for (points, check) in [
        (1, ClaimCheck::Opening(Check::FinalEquation)),
        (4, ClaimCheck::ReducedClaim),
    ] {
        let f = Fixture::new(6, 3, 4, 8, points, 11);
        let proof = f.prove::<Sha256Transcript>(12);
        for bad in [0, 5, 7] {
            let mut set = f.set();
            set.claims[bad].value += Fr::ONE;
            assert_eq!(
                f.verify::<Sha256Transcript>(&set, &proof),
                Err(ClaimError::Rejected { check }),
                "points {points}, claim {bad} (seed {})",
                seed()
            );
        }
    }
}

#[test]
fn false_claim_proven_honestly_is_rejected() {
    // The prover itself is given a false claim: the opening it produces must not verify.
    let mut f = Fixture::new(6, 3, 4, 8, 1, 13);
    f.claims[3].value += Fr::from_u64(5);
    let proof = f.prove::<Sha256Transcript>(14);
    assert_eq!(
        f.verify::<Sha256Transcript>(&f.set(), &proof),
        Err(ClaimError::Rejected {
            check: ClaimCheck::Opening(Check::FinalEquation)
        })
    );
}

#[test]
fn swapped_commitments_rejected() {
    for points in [1, 3] {
        let f = Fixture::new(6, 3, 4, 8, points, 15);
        let proof = f.prove::<Sha256Transcript>(16);
        let mut set = f.set();
        set.commitments.swap(0, 1);
        let err = f.verify::<Sha256Transcript>(&set, &proof).unwrap_err();
        assert!(
            matches!(err, ClaimError::Rejected { .. }),
            "points {points}: {err}"
        );
        // Claims pointing at the other commitment are rejected too.
        let mut set = f.set();
        set.claims[0].commitment = 1;
        let err = f.verify::<Sha256Transcript>(&set, &proof).unwrap_err();
        assert!(
            matches!(err, ClaimError::Rejected { .. }),
            "points {points}: {err}"
        );
    }
}

#[test]
fn moved_point_rejected() {
    let f = Fixture::new(6, 3, 2, 4, 2, 17);
    let proof = f.prove::<Sha256Transcript>(18);
    let mut set = f.set();
    set.claims[1].point[2] += Fr::ONE;
    assert_eq!(
        f.verify::<Sha256Transcript>(&set, &proof),
        Err(ClaimError::Rejected {
            check: ClaimCheck::ReducedClaim
        })
    );
}

#[test]
fn tampered_proof_parts_rejected() {
    let f = Fixture::new(6, 3, 3, 6, 3, 19);
    let proof = f.prove::<Sha256Transcript>(20);
    let set = f.set();
    let mut p = proof.clone();
    p.reduction.as_mut().unwrap().evals[1] += Fr::ONE;
    assert_eq!(
        f.verify::<Sha256Transcript>(&set, &p),
        Err(ClaimError::Rejected {
            check: ClaimCheck::ReducedClaim
        })
    );
    let mut p = proof.clone();
    p.reduction.as_mut().unwrap().sumcheck.rounds[2].coeffs_except_linear[0] += Fr::ONE;
    assert_eq!(
        f.verify::<Sha256Transcript>(&set, &p),
        Err(ClaimError::Rejected {
            check: ClaimCheck::ReducedClaim
        })
    );
    let mut p = proof.clone();
    p.opening.z1 += Fr::ONE;
    assert_eq!(
        f.verify::<Sha256Transcript>(&set, &p),
        Err(ClaimError::Rejected {
            check: ClaimCheck::Opening(Check::FinalEquation)
        })
    );
    let mut p = proof.clone();
    p.opening.l.swap(0, 1);
    assert_eq!(
        f.verify::<Sha256Transcript>(&set, &p),
        Err(ClaimError::Rejected {
            check: ClaimCheck::Opening(Check::FinalEquation)
        })
    );
}

#[test]
fn shape_errors_are_malformed() {
    let f = Fixture::new(6, 3, 3, 6, 3, 21);
    let proof = f.prove::<Sha256Transcript>(22);
    let mut set = f.set();
    set.claims[4].commitment = 3;
    assert_eq!(
        f.verify::<Sha256Transcript>(&set, &proof),
        Err(ClaimError::Malformed(ClaimMalformed::CommitmentIndex {
            claim: 4,
            index: 3,
            commitments: 3
        }))
    );
    let mut set = f.set();
    set.claims[2].point.pop();
    assert!(matches!(
        f.verify::<Sha256Transcript>(&set, &proof),
        Err(ClaimError::Malformed(ClaimMalformed::PointLength { .. }))
    ));
    let set = ClaimSet {
        commitments: f.comms.iter().collect(),
        claims: vec![],
    };
    assert_eq!(
        f.verify::<Sha256Transcript>(&set, &proof),
        Err(ClaimError::Malformed(ClaimMalformed::NoClaims))
    );
    // A proof without the reduction for claims at several points.
    let mut p = proof.clone();
    p.reduction = None;
    assert_eq!(
        f.verify::<Sha256Transcript>(&f.set(), &p),
        Err(ClaimError::Malformed(ClaimMalformed::Reduction {
            expected: true,
            actual: false
        }))
    );
    let mut p = proof.clone();
    p.reduction.as_mut().unwrap().evals.pop();
    assert_eq!(
        f.verify::<Sha256Transcript>(&f.set(), &p),
        Err(ClaimError::Malformed(ClaimMalformed::EvalCount {
            expected: 3,
            actual: 2
        }))
    );
}

#[test]
fn decoder_rejects_bad_bytes() {
    let f = Fixture::new(5, 2, 2, 4, 2, 23);
    let bytes = f.prove::<Sha256Transcript>(24).to_bytes();
    let mut b = bytes.clone();
    b[0] = 9;
    assert!(matches!(
        BatchOpenProof::from_bytes(&b),
        Err(ClaimError::Malformed(ClaimMalformed::Version { .. }))
    ));
    let mut b = bytes.clone();
    b[2] = 2;
    assert!(matches!(
        BatchOpenProof::from_bytes(&b),
        Err(ClaimError::Malformed(ClaimMalformed::Count { .. }))
    ));
    for cut in [1, 3, 10, bytes.len() - 1] {
        assert!(
            matches!(
                BatchOpenProof::from_bytes(&bytes[..cut]),
                Err(ClaimError::Malformed(_))
            ),
            "cut {cut}"
        );
    }
    let mut b = bytes.clone();
    b.push(0);
    assert!(matches!(
        BatchOpenProof::from_bytes(&b),
        Err(ClaimError::Malformed(_))
    ));
}

#[test]
fn proof_bytes_are_deterministic() {
    let f = Fixture::new(6, 3, 4, 8, 3, 25);
    let a = f.prove::<Sha256Transcript>(26).to_bytes();
    let b = f.prove::<Sha256Transcript>(26).to_bytes();
    assert_eq!(a, b);
    let c = f.prove::<Sha256Transcript>(27).to_bytes();
    assert_ne!(a, c, "a fresh rng must give fresh blinds");
}
