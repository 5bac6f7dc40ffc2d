//! The `HyraxPcs` facade over sumcheck's transcripts (SHA-256 and Poseidon): completeness,
//! transcript binding, encodings through the facade, rejections with the specific check.

use kaizen_field::testing::{test_rng, test_seed};
use kaizen_field::{Field, Fr};
use kaizen_msm::{Check, HyraxCommitment, HyraxEvalProof, Malformed, PcsError};
use kaizen_recursion::HyraxPcs;
use kaizen_sumcheck::poly::evaluate_slice;
use kaizen_sumcheck::{PoseidonTranscript, Sha256Transcript, Transcript};
use rand_chacha::ChaCha20Rng;

fn seed() -> u64 {
    test_seed(0x6b61_697a_656e_6d73)
}

fn rng(salt: u64) -> ChaCha20Rng {
    test_rng(0x6b61_697a_656e_6d73, salt)
}

fn round_trip<T: Transcript>(n: usize, log_rows: usize, salt: u64) {
    let mut r = rng(salt);
    let pcs = HyraxPcs::setup(n, log_rows);
    let table: Vec<Fr> = (0..1 << n).map(|_| Fr::random(&mut r)).collect();
    let point: Vec<Fr> = (0..n).map(|_| Fr::random(&mut r)).collect();
    let (comm, opening) = pcs.commit(&table, &mut r);
    let mut tp = pcs.transcript::<T>();
    let (value, proof) = pcs.open(&mut tp, &comm, &opening, &table, &point, &mut r);
    assert_eq!(value, evaluate_slice(&table, &point), "seed {}", seed());
    // Through the encodings, as a verifier would receive them.
    let comm = HyraxCommitment::from_bytes(&comm.to_bytes()).unwrap();
    let proof = HyraxEvalProof::from_bytes(&proof.to_bytes()).unwrap();
    let mut tv = pcs.transcript::<T>();
    pcs.verify(&mut tv, &comm, &point, value, &proof)
        .unwrap_or_else(|e| panic!("n {n} log R {log_rows}: {e} (seed {})", seed()));
    // Prover and verifier transcripts end in the same state: a challenge drawn next agrees.
    assert_eq!(tp.challenge(b"after"), tv.challenge(b"after"));
}

#[test]
fn completeness_sha256() {
    for n in [0usize, 1, 4, 7, 10, 12] {
        for log_rows in [0, n / 2, n] {
            round_trip::<Sha256Transcript>(n, log_rows, (n * 64 + log_rows) as u64);
        }
    }
}

#[test]
fn completeness_poseidon() {
    for (n, log_rows) in [(0usize, 0usize), (6, 0), (6, 3), (6, 6), (10, 5)] {
        round_trip::<PoseidonTranscript>(n, log_rows, 1000 + (n * 64 + log_rows) as u64);
    }
}

#[test]
fn small_integers_through_the_facade() {
    let mut r = rng(5);
    let pcs = HyraxPcs::setup(10, 5);
    let table: Vec<i16> = (0..1024).map(|i| (i * 37 - 20000) as i16).collect();
    let wide: Vec<Fr> = table.iter().map(|s| Fr::from_i64(i64::from(*s))).collect();
    let point: Vec<Fr> = (0..10).map(|_| Fr::random(&mut r)).collect();
    let (comm, opening) = pcs.commit_small(&table, &mut r);
    let (value, proof) = pcs.open_small(
        &mut pcs.transcript::<Sha256Transcript>(),
        &comm,
        &opening,
        &table,
        &point,
        &mut r,
    );
    assert_eq!(value, evaluate_slice(&wide, &point));
    pcs.verify(
        &mut pcs.transcript::<Sha256Transcript>(),
        &comm,
        &point,
        value,
        &proof,
    )
    .unwrap();
}

#[test]
fn transcript_binds_parameters_and_context() {
    let mut r = rng(6);
    let pcs = HyraxPcs::setup(6, 3);
    let table: Vec<Fr> = (0..64).map(|_| Fr::random(&mut r)).collect();
    let point: Vec<Fr> = (0..6).map(|_| Fr::random(&mut r)).collect();
    let (comm, opening) = pcs.commit(&table, &mut r);
    let (value, proof) = pcs.open(
        &mut pcs.transcript::<Sha256Transcript>(),
        &comm,
        &opening,
        &table,
        &point,
        &mut r,
    );
    let final_eq = Err(PcsError::Rejected {
        check: Check::FinalEquation,
    });
    // A verifier transcript that skipped the digest, or has extra context, rejects.
    let mut bare = Sha256Transcript::new(kaizen_recursion::pcs::PROTOCOL);
    assert_eq!(
        pcs.verify(&mut bare, &comm, &point, value, &proof),
        final_eq
    );
    let mut extra = pcs.transcript::<Sha256Transcript>();
    extra.absorb_u64(b"context", 1);
    assert_eq!(
        pcs.verify(&mut extra, &comm, &point, value, &proof),
        final_eq
    );
    // A Poseidon verifier cannot accept a SHA-256 proof.
    assert_eq!(
        pcs.verify(
            &mut pcs.transcript::<PoseidonTranscript>(),
            &comm,
            &point,
            value,
            &proof
        ),
        final_eq
    );
    // Other parameters with the same C: different digest, so different shape checks first.
    let other = HyraxPcs::setup(7, 4);
    assert_ne!(other.digest(), pcs.digest());
    assert_eq!(
        other.verify(
            &mut other.transcript::<Sha256Transcript>(),
            &comm,
            &point,
            value,
            &proof
        ),
        Err(PcsError::Malformed(Malformed::RowCount {
            expected: 16,
            actual: 8
        }))
    );
}

#[test]
fn seeded_rng_gives_identical_bytes() {
    let run = || {
        let mut r = rng(7);
        let pcs = HyraxPcs::setup(8, 4);
        let table: Vec<Fr> = (0..256).map(|_| Fr::random(&mut r)).collect();
        let point: Vec<Fr> = (0..8).map(|_| Fr::random(&mut r)).collect();
        let (comm, opening) = pcs.commit(&table, &mut r);
        let (_, proof) = pcs.open(
            &mut pcs.transcript::<PoseidonTranscript>(),
            &comm,
            &opening,
            &table,
            &point,
            &mut r,
        );
        (comm.to_bytes(), proof.to_bytes())
    };
    assert_eq!(run(), run());
}
