//! Hyrax commitment + zero-knowledge IPA: completeness, soundness against tampering (each
//! negative test asserts the error kind and check), hiding, determinism.

use kaizen_field::{batch, Field, Fr, PrimeField};
use kaizen_msm::hyrax::{self, HyraxCommitment, HyraxEvalProof, HyraxOpening, HyraxParams};
use kaizen_msm::ipa::{self, PublicVector};
use kaizen_msm::verify::{verify_eval, verify_ipa};
use kaizen_msm::{Blinder, Check, G1Affine, G1Projective, Malformed, PcsError, PedersenGens};
use kaizen_msm::{ProofTranscript, SmallScalar};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use sha2::{Digest, Sha256};

/// A minimal SHA-256 hash-chain transcript (msm cannot use sumcheck's; the real adapter is
/// tested in kaizen-recursion).
#[derive(Clone, Debug)]
struct TestTranscript([u8; 32]);

impl TestTranscript {
    fn new() -> Self {
        Self(Sha256::digest(b"kaizen/msm/tests/pcs").into())
    }
}

impl ProofTranscript for TestTranscript {
    fn absorb_bytes(&mut self, label: &'static [u8], bytes: &[u8]) {
        let mut h = Sha256::new();
        h.update(self.0);
        h.update((label.len() as u64).to_le_bytes());
        h.update(label);
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
        self.0 = h.finalize().into();
    }
    fn challenge_scalar(&mut self, label: &'static [u8]) -> Fr {
        self.absorb_bytes(label, b"challenge");
        let mut wide = [0u8; 64];
        wide[..32].copy_from_slice(&Sha256::digest([&self.0[..], &[0]].concat()));
        wide[32..].copy_from_slice(&Sha256::digest([&self.0[..], &[1]].concat()));
        Fr::from_bytes_wide(&wide)
    }
}

fn seed() -> u64 {
    std::env::var("KAIZEN_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x6b61_697a_656e_6d73)
}

fn rng(salt: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(seed() ^ salt.wrapping_mul(0x9e37_79b9_7f4a_7c15))
}

fn blinder(rng: &mut ChaCha20Rng) -> Blinder {
    let mut s = [0u8; 32];
    rng.fill_bytes(&mut s);
    Blinder::from_seed(s)
}

fn rand_frs(rng: &mut ChaCha20Rng, n: usize) -> Vec<Fr> {
    (0..n).map(|_| Fr::random(rng)).collect()
}

/// `f(z) = <table, eq(z, .)>`.
fn evaluate(table: &[Fr], point: &[Fr]) -> Fr {
    let mut eq = vec![Fr::ZERO; table.len()];
    batch::eq_expand(&mut eq, point, Fr::ONE);
    batch::inner_product(table, &eq)
}

/// A committed random polynomial with a valid opening at a random point.
struct Case {
    params: HyraxParams,
    table: Vec<Fr>,
    comm: HyraxCommitment,
    opening: HyraxOpening,
    point: Vec<Fr>,
    value: Fr,
    proof: HyraxEvalProof,
}

fn case(n: usize, log_rows: usize, salt: u64) -> Case {
    let mut rng = rng(salt);
    let params = HyraxParams::setup(n, log_rows);
    let table = rand_frs(&mut rng, 1 << n);
    let (comm, opening) = hyrax::commit(&params, &table, &blinder(&mut rng));
    let point = rand_frs(&mut rng, n);
    let (value, proof) = hyrax::prove_eval(
        &params,
        &mut TestTranscript::new(),
        &comm,
        &opening,
        &table,
        &point,
        &blinder(&mut rng),
    );
    Case {
        params,
        table,
        comm,
        opening,
        point,
        value,
        proof,
    }
}

fn verify(
    c: &Case,
    comm: &HyraxCommitment,
    point: &[Fr],
    value: Fr,
    proof: &HyraxEvalProof,
) -> Result<(), PcsError> {
    verify_eval(
        &c.params,
        &mut TestTranscript::new(),
        comm,
        point,
        value,
        proof,
    )
}

fn rejected(r: Result<(), PcsError>, what: &str) {
    assert_eq!(
        r,
        Err(PcsError::Rejected {
            check: Check::FinalEquation
        }),
        "{what} (seed {})",
        seed()
    );
}

/// Some other valid-looking point: `2 G`.
fn other_point(p: &G1Affine) -> G1Affine {
    (G1Projective::from(*p) + G1Affine::generator()).to_affine()
}

#[test]
fn completeness_all_shapes() {
    for n in [0usize, 1, 2, 3, 5, 8, 12] {
        for log_rows in [0, n / 2, n] {
            let c = case(n, log_rows, (n * 100 + log_rows) as u64);
            assert_eq!(
                c.value,
                evaluate(&c.table, &c.point),
                "n {n} log R {log_rows}"
            );
            assert_eq!(c.comm.rows.len(), 1 << log_rows);
            assert_eq!(c.proof.ipa.l.len(), n - log_rows);
            verify(&c, &c.comm, &c.point, c.value, &c.proof)
                .unwrap_or_else(|e| panic!("n {n} log R {log_rows}: {e} (seed {})", seed()));
        }
    }
}

#[test]
fn boolean_point_opens_to_table_entry() {
    let mut c = case(6, 3, 7);
    let idx = 0b101_011usize;
    c.point = (0..6)
        .map(|j| Fr::from_u64(((idx >> (5 - j)) & 1) as u64))
        .collect();
    let (v, proof) = hyrax::prove_eval(
        &c.params,
        &mut TestTranscript::new(),
        &c.comm,
        &c.opening,
        &c.table,
        &c.point,
        &Blinder::from_seed([9; 32]),
    );
    assert_eq!(v, c.table[idx]);
    verify(&c, &c.comm, &c.point, v, &proof).unwrap();
}

#[test]
fn small_table_commitment_matches_field_table() {
    let mut r = rng(11);
    let params = HyraxParams::setup(8, 3);
    let small: Vec<i16> = (0..256).map(|_| r.next_u32() as i16).collect();
    let wide: Vec<Fr> = small.iter().map(|s| hyrax::small_to_fr(*s)).collect();
    let b = blinder(&mut r);
    let (cs, os) = hyrax::commit_small(&params, &small, &b);
    let (cw, _) = hyrax::commit(&params, &wide, &b);
    assert_eq!(cs, cw);
    let point = rand_frs(&mut r, 8);
    let (v, proof) = hyrax::prove_eval_small(
        &params,
        &mut TestTranscript::new(),
        &cs,
        &os,
        &small,
        &point,
        &blinder(&mut r),
    );
    assert_eq!(v, evaluate(&wide, &point));
    verify_eval(&params, &mut TestTranscript::new(), &cs, &point, v, &proof).unwrap();
    assert_eq!((-5i16).split(), (5, true));
}

#[test]
fn fresh_blinding_gives_a_different_commitment() {
    let mut r = rng(12);
    let params = HyraxParams::setup(6, 3);
    let table = rand_frs(&mut r, 64);
    let (c1, _) = hyrax::commit(&params, &table, &Blinder::from_seed([1; 32]));
    let (c2, _) = hyrax::commit(&params, &table, &Blinder::from_seed([2; 32]));
    let (c3, _) = hyrax::commit(&params, &table, &Blinder::from_seed([1; 32]));
    assert!(c1.rows.iter().zip(&c2.rows).all(|(a, b)| a != b));
    assert_eq!(c1, c3, "same seed, same commitment");
}

#[test]
fn proofs_are_deterministic_given_the_seeds() {
    let (a, b) = (case(8, 4, 13), case(8, 4, 13));
    assert_eq!(a.proof.to_bytes(), b.proof.to_bytes());
    assert_eq!(a.comm.to_bytes(), b.comm.to_bytes());
}

#[test]
fn proof_bytes_independent_of_thread_count() {
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| {
                let c = case(9, 0, 23);
                (c.comm.to_bytes(), c.proof.to_bytes())
            })
    };
    assert_eq!(run(1), run(2), "seed {}", seed());
}

#[test]
fn tampered_l_and_r_rejected() {
    let c = case(8, 3, 14);
    for j in 0..c.proof.ipa.l.len() {
        let mut p = c.proof.clone();
        p.ipa.l[j] = other_point(&p.ipa.l[j]);
        rejected(
            verify(&c, &c.comm, &c.point, c.value, &p),
            &format!("L_{j}"),
        );
        let mut p = c.proof.clone();
        p.ipa.r[j] = other_point(&p.ipa.r[j]);
        rejected(
            verify(&c, &c.comm, &c.point, c.value, &p),
            &format!("R_{j}"),
        );
    }
    let mut p = c.proof.clone();
    p.ipa.l.swap(0, 1);
    rejected(verify(&c, &c.comm, &c.point, c.value, &p), "swapped rounds");
    let mut p = c.proof.clone();
    core::mem::swap(&mut p.ipa.l, &mut p.ipa.r);
    rejected(
        verify(&c, &c.comm, &c.point, c.value, &p),
        "L and R swapped",
    );
}

#[test]
fn tampered_final_values_rejected() {
    let c = case(6, 2, 15);
    let mut p = c.proof.clone();
    p.ipa.a = other_point(&p.ipa.a);
    rejected(verify(&c, &c.comm, &c.point, c.value, &p), "A");
    let mut p = c.proof.clone();
    p.ipa.z1 += Fr::ONE;
    rejected(verify(&c, &c.comm, &c.point, c.value, &p), "z1");
    let mut p = c.proof.clone();
    p.ipa.z2 += Fr::ONE;
    rejected(verify(&c, &c.comm, &c.point, c.value, &p), "z2");
}

#[test]
fn tampered_commitment_rejected() {
    for (n, log_rows) in [(6, 0), (6, 3), (6, 6)] {
        let c = case(n, log_rows, 16);
        for i in 0..c.comm.rows.len().min(4) {
            let mut comm = c.comm.clone();
            comm.rows[i] = other_point(&comm.rows[i]);
            rejected(
                verify(&c, &comm, &c.point, c.value, &c.proof),
                &format!("row {i}"),
            );
        }
        if log_rows > 0 {
            let mut comm = c.comm.clone();
            comm.rows.swap(0, 1);
            rejected(
                verify(&c, &comm, &c.point, c.value, &c.proof),
                "rows swapped",
            );
        }
    }
}

#[test]
fn wrong_value_and_point_rejected() {
    let c = case(8, 4, 17);
    rejected(
        verify(&c, &c.comm, &c.point, c.value + Fr::ONE, &c.proof),
        "value + 1",
    );
    for j in 0..c.point.len() {
        let mut point = c.point.clone();
        point[j] += Fr::ONE;
        rejected(
            verify(&c, &c.comm, &point, c.value, &c.proof),
            &format!("point[{j}]"),
        );
    }
}

#[test]
fn swapped_commitments_rejected() {
    let a = case(6, 3, 18);
    let b = case(6, 3, 19);
    rejected(
        verify(&a, &b.comm, &a.point, a.value, &a.proof),
        "b's commitment",
    );
    // b's proof under a's statement
    rejected(
        verify(&a, &a.comm, &b.point, b.value, &b.proof),
        "b's proof on a",
    );
    rejected(
        verify(&a, &a.comm, &a.point, a.value, &b.proof),
        "b's proof, a's claim",
    );
}

#[test]
fn shape_mismatches_are_malformed() {
    let c = case(6, 3, 20);
    let mut comm = c.comm.clone();
    comm.rows.pop();
    assert_eq!(
        verify(&c, &comm, &c.point, c.value, &c.proof),
        Err(PcsError::Malformed(Malformed::RowCount {
            expected: 8,
            actual: 7
        }))
    );
    assert_eq!(
        verify(&c, &c.comm, &c.point[1..], c.value, &c.proof),
        Err(PcsError::Malformed(Malformed::PointLength {
            expected: 6,
            actual: 5
        }))
    );
    let mut p = c.proof.clone();
    p.ipa.r.pop();
    assert_eq!(
        verify(&c, &c.comm, &c.point, c.value, &p),
        Err(PcsError::Malformed(Malformed::RoundCount {
            expected: 3,
            actual: 2
        }))
    );
}

#[test]
fn ipa_with_dense_vector() {
    let mut r = rng(21);
    let gens = PedersenGens::new(16);
    let a = rand_frs(&mut r, 16);
    let b = rand_frs(&mut r, 16);
    let rho = Fr::random(&mut r);
    let p = gens.commit(&a, &rho).to_affine();
    let (v, proof) = ipa::prove(
        &gens,
        &mut TestTranscript::new(),
        &a,
        rho,
        &PublicVector::Dense(&b),
        &blinder(&mut r),
    );
    assert_eq!(v, batch::inner_product(&a, &b));
    let check = |v: Fr, b: &[Fr]| {
        verify_ipa(
            &gens,
            &mut TestTranscript::new(),
            &[p],
            &[Fr::ONE],
            v,
            &PublicVector::Dense(b),
            &proof,
        )
    };
    check(v, &b).unwrap();
    rejected(check(v - Fr::ONE, &b), "dense v - 1");
    let mut b2 = b.clone();
    b2[5] += Fr::ONE;
    rejected(check(v, &b2), "dense b changed");
    // A commitment with a hidden U component cannot shift the claimed value (x0 scaling).
    let shifted = (G1Projective::from(p) + gens.u().mul_vartime(&Fr::ONE)).to_affine();
    rejected(
        verify_ipa(
            &gens,
            &mut TestTranscript::new(),
            &[shifted],
            &[Fr::ONE],
            v + Fr::ONE,
            &PublicVector::Dense(&b),
            &proof,
        ),
        "U component",
    );
}

/// The scheduled prover (explicit generator folds, small-scalar round 0) produces the same
/// bytes as the reference prover, for every vector length and both kinds of public vector.
#[test]
fn scheduled_prover_matches_reference_bytes() {
    let gens = PedersenGens::new(1 << 11);
    for log_c in 0..=11usize {
        let mut rng = rng(300 + log_c as u64);
        let c = 1usize << log_c;
        let small: Vec<i16> = (0..c).map(|_| rng.next_u32() as i16).collect();
        let wide: Vec<Fr> = small.iter().map(|s| hyrax::small_to_fr(*s)).collect();
        let dense = rand_frs(&mut rng, c);
        let point = rand_frs(&mut rng, log_c);
        let rho = Fr::random(&mut rng);
        let seed_blinder = blinder(&mut rng);
        for b in [PublicVector::Eq(&point), PublicVector::Dense(&dense)] {
            let reference = ipa::prove_reference(
                &gens,
                &mut TestTranscript::new(),
                &wide,
                rho,
                &b,
                &seed_blinder,
            );
            let fast = ipa::prove(
                &gens,
                &mut TestTranscript::new(),
                &wide,
                rho,
                &b,
                &seed_blinder,
            );
            let small_fast = ipa::prove_small(
                &gens,
                &mut TestTranscript::new(),
                &small,
                rho,
                &b,
                &seed_blinder,
            );
            assert_eq!(fast, reference, "C = {c} (seed {})", seed());
            assert_eq!(small_fast, reference, "C = {c}, small (seed {})", seed());
        }
    }
}

/// An R = 1 opening of a small table (the small-scalar IPA path) verifies and equals the
/// opening of the same table widened to field elements.
#[test]
fn small_table_opening_at_one_row() {
    let n = 9;
    let params = HyraxParams::setup(n, 0);
    let mut rng = rng(400);
    let small: Vec<i8> = (0..1 << n).map(|_| rng.next_u32() as i8).collect();
    let wide: Vec<Fr> = small.iter().map(|s| hyrax::small_to_fr(*s)).collect();
    let key = blinder(&mut rng);
    let (comm, opening) = hyrax::commit_small(&params, &small, &key);
    let point = rand_frs(&mut rng, n);
    let proof_key = blinder(&mut rng);
    let (value, proof) = hyrax::prove_eval_small(
        &params,
        &mut TestTranscript::new(),
        &comm,
        &opening,
        &small,
        &point,
        &proof_key,
    );
    assert_eq!(value, evaluate(&wide, &point));
    let (wide_value, wide_proof) = hyrax::prove_eval(
        &params,
        &mut TestTranscript::new(),
        &comm,
        &opening,
        &wide,
        &point,
        &proof_key,
    );
    assert_eq!((value, &proof), (wide_value, &wide_proof));
    verify_eval(
        &params,
        &mut TestTranscript::new(),
        &comm,
        &point,
        value,
        &proof,
    )
    .unwrap();
}
