//! HyperNova multi-folding algebra on the Poseidon permutation circuit: the cube sum of `g`
//! equals the claim exactly for a satisfying incoming witness and an honest running instance,
//! the final evaluation `e(σ, θ)` agrees with `g` on the cube, and folded instances with
//! folded witnesses are valid LCCCS.

use kaizen_field::{Field, Fr};
use kaizen_msm::G1Affine;
use kaizen_recursion::ccs::committed::fold_witness;
use kaizen_recursion::ccs::fold::{cube_values, final_evaluation, fold_instance, folding_claim};
use kaizen_recursion::ccs::{
    decide_lcccs, Assignment, Cccs, Ccs, CcsCheck, CcsError, CcsMalformed, CcsWitness,
    CommitmentKey, ConstraintSystem, Lc, Lcccs,
};
use kaizen_recursion::gadgets::permute;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;

fn rng(salt: u64) -> ChaCha20Rng {
    let seed = std::env::var("KAIZEN_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x6b61_697a_656e_f01d_u64);
    ChaCha20Rng::seed_from_u64(seed ^ salt)
}

fn rand_vec(r: &mut ChaCha20Rng, n: usize) -> Vec<Fr> {
    (0..n).map(|_| Fr::random(r)).collect()
}

/// One permutation with public inputs: 81 rows (s = 7), 85 columns.
fn poseidon_circuit(r: &mut ChaCha20Rng) -> (Ccs, Assignment) {
    let mut cs = ConstraintSystem::new();
    let state: [Lc; 3] = core::array::from_fn(|_| cs.alloc_public(Fr::random(r)).into());
    let _ = permute(&mut cs, &state);
    cs.build()
}

#[test]
fn cube_sum_equals_claim_exactly_for_satisfying_witnesses() {
    let mut r = rng(1);
    let (ccs, a1) = poseidon_circuit(&mut r);
    let (ccs2, a2) = poseidon_circuit(&mut r);
    assert_eq!(ccs, ccs2);
    assert_eq!(ccs.log_rows(), 7);
    let r_x = rand_vec(&mut r, 7);
    let beta = rand_vec(&mut r, 7);
    let gamma = Fr::random(&mut r);
    let running = ccs
        .lcccs(G1Affine::default(), &a1.witness, &a1.public, &r_x)
        .unwrap();
    let claim = folding_claim(&running.v, gamma);
    let sum = |z2: &[Fr], run: &kaizen_recursion::ccs::Lcccs| -> Fr {
        cube_values(&ccs, run, &a1.z(), z2, &beta, gamma)
            .unwrap()
            .into_iter()
            .sum()
    };
    assert_eq!(sum(&a2.z(), &running), claim);
    // An unsatisfying incoming witness: one S-box output off.
    let mut z2 = a2.z();
    z2[40] += Fr::ONE;
    assert!(ccs.is_satisfied(&z2).is_err());
    assert_ne!(sum(&z2, &running), claim);
    // A dishonest running instance.
    let mut bad = running.clone();
    bad.v[3] += Fr::ONE;
    // The cube does not depend on v: the sum stays the honest claim, not the dishonest one.
    assert_eq!(sum(&a2.z(), &bad), claim);
    assert_ne!(sum(&a2.z(), &bad), folding_claim(&bad.v, gamma));
}

#[test]
fn final_evaluation_matches_g_on_the_cube() {
    let mut r = rng(2);
    let (ccs, a1) = poseidon_circuit(&mut r);
    let (_, a2) = poseidon_circuit(&mut r);
    let (r_x, beta, gamma) = (rand_vec(&mut r, 7), rand_vec(&mut r, 7), Fr::random(&mut r));
    let running = ccs
        .lcccs(G1Affine::default(), &a1.witness, &a1.public, &r_x)
        .unwrap();
    let mut z2 = a2.z();
    z2[5] += Fr::ONE; // non-zero Q somewhere, so the Q part is exercised
    let cube = cube_values(&ccs, &running, &a1.z(), &z2, &beta, gamma).unwrap();
    for x in [0usize, 1, 5, 40, 80, 127] {
        let point: Vec<Fr> = (0..7)
            .map(|b| Fr::from_u64(((x >> (6 - b)) & 1) as u64))
            .collect();
        let sigmas = ccs.linearize(&a1.z(), &point).unwrap();
        let thetas = ccs.linearize(&z2, &point).unwrap();
        let e = final_evaluation(&ccs, gamma, &beta, &r_x, &point, &sigmas, &thetas).unwrap();
        assert_eq!(e, cube[x], "x = {x}");
    }
    assert_eq!(
        final_evaluation(&ccs, gamma, &beta[1..], &r_x, &r_x, &[], &[]),
        Err(CcsMalformed::PointLength {
            expected: 7,
            actual: 6
        })
    );
}

/// A committed running instance (at a random point) and its witness.
fn committed_running(
    key: &CommitmentKey,
    ccs: &Ccs,
    a: &Assignment,
    r: &mut ChaCha20Rng,
) -> (Lcccs, CcsWitness) {
    let wit = CcsWitness::new(a.witness.clone(), Fr::random(r));
    let c = key.commit(&wit).unwrap();
    let inst = ccs
        .lcccs(c, &wit.w, &a.public, &rand_vec(r, ccs.log_rows()))
        .unwrap();
    (inst, wit)
}

/// A committed incoming instance and its witness.
fn committed_incoming(
    key: &CommitmentKey,
    a: &Assignment,
    r: &mut ChaCha20Rng,
) -> (Cccs, CcsWitness) {
    let wit = CcsWitness::new(a.witness.clone(), Fr::random(r));
    (key.cccs(&wit, &a.public).unwrap(), wit)
}

#[test]
fn folded_instance_with_folded_witness_is_a_valid_lcccs() {
    let mut r = rng(3);
    let (ccs, a1) = poseidon_circuit(&mut r);
    let (_, a2) = poseidon_circuit(&mut r);
    let key = CommitmentKey::new(&ccs);
    let (running, w1) = committed_running(&key, &ccs, &a1, &mut r);
    let (incoming, w2) = committed_incoming(&key, &a2, &mut r);
    let r_new = rand_vec(&mut r, 7);
    let sigmas = ccs.linearize(&a1.z(), &r_new).unwrap();
    let thetas = ccs.linearize(&a2.z(), &r_new).unwrap();
    let rho = Fr::random(&mut r);
    let folded = fold_instance(&running, &incoming, &r_new, &sigmas, &thetas, rho).unwrap();
    let w = fold_witness(&w1, &w2, rho).unwrap();
    assert_eq!(folded.u, Fr::ONE + rho);
    assert_eq!(decide_lcccs(&key, &ccs, &folded, &w), Ok(()));
    // Folding twice keeps the relation (u accumulates).
    let r_new2 = rand_vec(&mut r, 7);
    let z_folded: Vec<Fr> =
        w.w.iter()
            .copied()
            .chain(core::iter::once(folded.u))
            .chain(folded.x.iter().copied())
            .collect();
    let sigmas2 = ccs.linearize(&z_folded, &r_new2).unwrap();
    let thetas2 = ccs.linearize(&a2.z(), &r_new2).unwrap();
    let rho2 = Fr::random(&mut r);
    let folded2 = fold_instance(&folded, &incoming, &r_new2, &sigmas2, &thetas2, rho2).unwrap();
    let w_twice = fold_witness(&w, &w2, rho2).unwrap();
    assert_eq!(decide_lcccs(&key, &ccs, &folded2, &w_twice), Ok(()));
    // A witness folded with another challenge opens neither the commitment nor the claims.
    let wrong = fold_witness(&w1, &w2, rho + Fr::ONE).unwrap();
    assert_eq!(
        decide_lcccs(&key, &ccs, &folded, &wrong),
        Err(CcsError::Rejected {
            check: CcsCheck::Commitment,
            row: 0,
            name: "commitment/opening",
            residual: Fr::ZERO
        })
    );
    assert!(matches!(
        ccs.check_lcccs(&folded, &wrong.w),
        Err(CcsError::Rejected {
            check: CcsCheck::Linearized,
            ..
        })
    ));
}

// ---- the multi-folding protocol ----

use kaizen_recursion::ccs::fold::{verify_fold, FoldError};
use kaizen_recursion::ccs::nimfs::prove_fold;
use kaizen_sumcheck::{Check, Malformed, PoseidonTranscript, Transcript, VerifyError};

const PROTOCOL: &[u8] = b"kaizen/test/hypernova";

#[test]
fn honest_folds_verify_and_stay_valid() {
    let mut r = rng(10);
    let (ccs, a1) = poseidon_circuit(&mut r);
    let digest = ccs.digest();
    let key = CommitmentKey::new(&ccs);
    let (mut running, mut w) = committed_running(&key, &ccs, &a1, &mut r);
    for step in 0..3 {
        let (_, a2) = poseidon_circuit(&mut r);
        let (incoming, w2) = committed_incoming(&key, &a2, &mut r);
        let mut tp = PoseidonTranscript::new(PROTOCOL);
        let (proof, folded, w_new) =
            prove_fold(&ccs, digest, &running, &w, &incoming, &w2, &mut tp).unwrap();
        assert_eq!(proof.sumcheck.rounds.len(), 7);
        assert_eq!(proof.sumcheck.rounds[0].len(), 6); // degree d + 1 = 6
        let mut tv = PoseidonTranscript::new(PROTOCOL);
        let verified = verify_fold(&ccs, digest, &running, &incoming, &proof, &mut tv).unwrap();
        assert_eq!(verified, folded, "step {step}");
        assert_eq!(tp.state(), tv.state(), "step {step}");
        assert_eq!(
            decide_lcccs(&key, &ccs, &folded, &w_new),
            Ok(()),
            "step {step}"
        );
        running = folded;
        w = w_new;
    }
}

struct FoldCase {
    ccs: Ccs,
    digest: Fr,
    running: Lcccs,
    w1: CcsWitness,
    incoming: Cccs,
    w2: CcsWitness,
}

fn fold_case(r: &mut ChaCha20Rng) -> FoldCase {
    let (ccs, a1) = poseidon_circuit(r);
    let key = CommitmentKey::new(&ccs);
    let (running, w1) = committed_running(&key, &ccs, &a1, r);
    let (_, a2) = poseidon_circuit(r);
    let (incoming, w2) = committed_incoming(&key, &a2, r);
    FoldCase {
        digest: ccs.digest(),
        ccs,
        running,
        w1,
        incoming,
        w2,
    }
}

fn expect_final_evaluation_rejection(res: Result<kaizen_recursion::ccs::Lcccs, FoldError>) {
    match res {
        Err(FoldError::Sumcheck(VerifyError::Rejected { check, round, .. })) => {
            assert_eq!((check, round), (Check::FinalEvaluation, 7));
        }
        other => panic!("expected a final-evaluation rejection, got {other:?}"),
    }
}

#[test]
fn folded_in_unsatisfied_instance_is_rejected() {
    let mut r = rng(11);
    let c = fold_case(&mut r);
    let mut w2 = c.w2.clone();
    w2.w[30] += Fr::ONE; // one partial-round S-box output off
    let mut tp = PoseidonTranscript::new(PROTOCOL);
    let (proof, _, _) = prove_fold(
        &c.ccs,
        c.digest,
        &c.running,
        &c.w1,
        &c.incoming,
        &w2,
        &mut tp,
    )
    .unwrap();
    let mut tv = PoseidonTranscript::new(PROTOCOL);
    expect_final_evaluation_rejection(verify_fold(
        &c.ccs,
        c.digest,
        &c.running,
        &c.incoming,
        &proof,
        &mut tv,
    ));
}

#[test]
fn dishonest_running_instance_is_rejected() {
    let mut r = rng(12);
    let mut c = fold_case(&mut r);
    c.running.v[2] += Fr::ONE;
    let mut tp = PoseidonTranscript::new(PROTOCOL);
    let (proof, _, _) = prove_fold(
        &c.ccs,
        c.digest,
        &c.running,
        &c.w1,
        &c.incoming,
        &c.w2,
        &mut tp,
    )
    .unwrap();
    let mut tv = PoseidonTranscript::new(PROTOCOL);
    expect_final_evaluation_rejection(verify_fold(
        &c.ccs,
        c.digest,
        &c.running,
        &c.incoming,
        &proof,
        &mut tv,
    ));
}

#[test]
fn tampered_fold_proofs_are_rejected() {
    let mut r = rng(13);
    let c = fold_case(&mut r);
    let mut tp = PoseidonTranscript::new(PROTOCOL);
    let (proof, _, _) = prove_fold(
        &c.ccs,
        c.digest,
        &c.running,
        &c.w1,
        &c.incoming,
        &c.w2,
        &mut tp,
    )
    .unwrap();
    let verify = |p: &kaizen_recursion::ccs::nimfs::FoldingProof| {
        let mut tv = PoseidonTranscript::new(PROTOCOL);
        verify_fold(&c.ccs, c.digest, &c.running, &c.incoming, p, &mut tv)
    };
    let mut bad = proof.clone();
    bad.sigmas[0] += Fr::ONE;
    expect_final_evaluation_rejection(verify(&bad));
    let mut bad = proof.clone();
    bad.thetas[3] += Fr::ONE;
    expect_final_evaluation_rejection(verify(&bad));
    let mut bad = proof.clone();
    bad.sumcheck.rounds[4].coeffs_except_linear[2] += Fr::ONE;
    expect_final_evaluation_rejection(verify(&bad));
    // Another digest: the transcript differs, the final check fails.
    let mut tv = PoseidonTranscript::new(PROTOCOL);
    expect_final_evaluation_rejection(verify_fold(
        &c.ccs,
        c.digest + Fr::ONE,
        &c.running,
        &c.incoming,
        &proof,
        &mut tv,
    ));
    // Malformed shapes.
    let mut bad = proof.clone();
    bad.sigmas.pop();
    assert_eq!(
        verify(&bad),
        Err(FoldError::Malformed(CcsMalformed::Length {
            expected: 4,
            actual: 3
        }))
    );
    let mut bad = proof.clone();
    bad.sumcheck.rounds.pop();
    assert_eq!(
        verify(&bad),
        Err(FoldError::Sumcheck(VerifyError::Malformed(
            Malformed::RoundCount {
                expected: 7,
                actual: 6
            }
        )))
    );
}
