//! Committed HyperNova folding: a chain of honest folds decides (the folded witness opens the
//! folded commitment `C_1 + ρ C_2`), `ρ` is a 128-bit integer, and a witness that does not
//! open its commitment, a folded-in unsatisfied instance or a tampered commitment is rejected
//! with the check that catches it.

use kaizen_field::{Field, Fr, PrimeField};
use kaizen_recursion::ccs::committed::{fold_challenge, low_128_bits};
use kaizen_recursion::ccs::fold::{verify_fold, FoldError};
use kaizen_recursion::ccs::nimfs::{prove_fold, FoldingProof};
use kaizen_recursion::ccs::{
    decide_cccs, decide_lcccs, Assignment, Cccs, Ccs, CcsCheck, CcsError, CcsWitness,
    CommitmentKey, ConstraintSystem, Lc, Lcccs,
};
use kaizen_recursion::gadgets::permute;
use kaizen_sumcheck::{Check, PoseidonTranscript, Transcript, VerifyError};
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;

const PROTOCOL: &[u8] = b"kaizen/test/hypernova-committed";

fn rng(salt: u64) -> ChaCha20Rng {
    let seed = std::env::var("KAIZEN_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x6b61_697a_656e_c0de_u64);
    ChaCha20Rng::seed_from_u64(seed ^ salt)
}

/// One Poseidon permutation on public inputs (81 rows, 85 columns).
fn poseidon_circuit(r: &mut ChaCha20Rng) -> (Ccs, Assignment) {
    let mut cs = ConstraintSystem::new();
    let state: [Lc; 3] = core::array::from_fn(|_| cs.alloc_public(Fr::random(r)).into());
    let _ = permute(&mut cs, &state);
    cs.build()
}

fn incoming(key: &CommitmentKey, a: &Assignment, r: &mut ChaCha20Rng) -> (Cccs, CcsWitness) {
    let wit = CcsWitness::new(a.witness.clone(), Fr::random(r));
    (key.cccs(&wit, &a.public).unwrap(), wit)
}

fn rejected_commitment() -> Result<(), CcsError> {
    Err(CcsError::Rejected {
        check: CcsCheck::Commitment,
        row: 0,
        name: "commitment/opening",
        residual: Fr::ZERO,
    })
}

fn expect_final_evaluation(res: Result<Lcccs, FoldError>) {
    match res {
        Err(FoldError::Sumcheck(VerifyError::Rejected { check, .. })) => {
            assert_eq!(check, Check::FinalEvaluation)
        }
        other => panic!("expected a final-evaluation rejection, got {other:?}"),
    }
}

/// `running ← fold(running, incoming)`, verified natively; returns the proof too.
fn fold_step(
    ccs: &Ccs,
    running: &Lcccs,
    w1: &CcsWitness,
    inc: &Cccs,
    w2: &CcsWitness,
) -> (FoldingProof, Lcccs, CcsWitness) {
    let digest = ccs.digest();
    let mut tp = PoseidonTranscript::new(PROTOCOL);
    let (proof, folded, w) = prove_fold(ccs, digest, running, w1, inc, w2, &mut tp).unwrap();
    let mut tv = PoseidonTranscript::new(PROTOCOL);
    let verified = verify_fold(ccs, digest, running, inc, &proof, &mut tv).unwrap();
    assert_eq!(verified, folded);
    (proof, folded, w)
}

/// The first running instance: a CCCS linearized at a random point.
fn start(
    key: &CommitmentKey,
    ccs: &Ccs,
    a: &Assignment,
    r: &mut ChaCha20Rng,
) -> (Lcccs, CcsWitness) {
    let (c, w) = incoming(key, a, r);
    let r_x: Vec<Fr> = (0..ccs.log_rows()).map(|_| Fr::random(r)).collect();
    (ccs.lcccs(c.commitment, &w.w, &c.x, &r_x).unwrap(), w)
}

#[test]
fn honest_fold_chain_decides_with_128_bit_challenges() {
    let mut r = rng(1);
    let (ccs, a0) = poseidon_circuit(&mut r);
    let key = CommitmentKey::new(&ccs);
    assert_eq!(key.len(), ccs.num_witness);
    let (mut running, mut w) = start(&key, &ccs, &a0, &mut r);
    assert_eq!(decide_lcccs(&key, &ccs, &running, &w), Ok(()));
    for step in 0..4 {
        let (_, a) = poseidon_circuit(&mut r);
        let (inc, w2) = incoming(&key, &a, &mut r);
        assert_eq!(decide_cccs(&key, &ccs, &inc, &w2), Ok(()));
        let (_, folded, w_new) = fold_step(&ccs, &running, &w, &inc, &w2);
        // u' = u + ρ with ρ < 2^128, and C' = C_1 + ρ C_2.
        let rho = folded.u - running.u;
        assert_eq!(low_128_bits(&rho), rho, "step {step}");
        assert!(
            rho.to_canonical_limbs()[1] != 0,
            "step {step}: ρ uses its top half"
        );
        let expected = (running.commitment.to_projective()
            + inc.commitment.to_projective().mul_vartime(&rho))
        .to_affine();
        assert_eq!(folded.commitment, expected, "step {step}");
        assert_eq!(
            decide_lcccs(&key, &ccs, &folded, &w_new),
            Ok(()),
            "step {step}"
        );
        running = folded;
        w = w_new;
    }
}

#[test]
fn fold_challenge_is_the_low_half_of_the_squeeze() {
    let mut t1 = PoseidonTranscript::new(PROTOCOL);
    let mut t2 = t1.clone();
    let full = t1.challenge(b"x");
    let rho = fold_challenge(&mut t2, b"x");
    let (f, g) = (full.to_canonical_limbs(), rho.to_canonical_limbs());
    assert_eq!(g, [f[0], f[1], 0, 0]);
    assert_ne!(f[2] | f[3], 0);
    assert_eq!(t1.state(), t2.state());
}

#[test]
fn witness_not_opening_its_commitment_is_rejected_by_the_decider() {
    let mut r = rng(2);
    let (ccs, a0) = poseidon_circuit(&mut r);
    let key = CommitmentKey::new(&ccs);
    let (running, w1) = start(&key, &ccs, &a0, &mut r);
    let (_, a) = poseidon_circuit(&mut r);
    let (_, b) = poseidon_circuit(&mut r);
    // (1) Another blinding factor: the CCS is satisfied, the opening is not.
    let (inc, w2) = incoming(&key, &a, &mut r);
    let wrong_blind = CcsWitness::new(w2.w.clone(), w2.blind + Fr::ONE);
    assert_eq!(
        decide_cccs(&key, &ccs, &inc, &wrong_blind),
        rejected_commitment()
    );
    let (_, folded, w) = fold_step(&ccs, &running, &w1, &inc, &wrong_blind);
    assert_eq!(decide_lcccs(&key, &ccs, &folded, &w), rejected_commitment());
    // (2) The commitment of another satisfying witness (b's), folded with a's witness: the
    // sumcheck is honest and verifies, the decider rejects the opening.
    let committed_b = key
        .commit(&CcsWitness::new(b.witness.clone(), w2.blind))
        .unwrap();
    let swapped = Cccs {
        commitment: committed_b,
        x: a.public.clone(),
    };
    let (_, folded, w) = fold_step(&ccs, &running, &w1, &swapped, &w2);
    assert_eq!(ccs.check_lcccs(&folded, &w.w), Ok(()));
    assert_eq!(decide_lcccs(&key, &ccs, &folded, &w), rejected_commitment());
    // (3) A running instance whose witness does not open it stays caught after more folds.
    let (inc, w2) = incoming(&key, &a, &mut r);
    let bad_running = Lcccs {
        commitment: committed_b,
        ..running.clone()
    };
    let (_, folded, w) = fold_step(&ccs, &bad_running, &w1, &inc, &w2);
    let (inc, w3) = incoming(&key, &b, &mut r);
    let (_, folded, w) = fold_step(&ccs, &folded, &w, &inc, &w3);
    assert_eq!(decide_lcccs(&key, &ccs, &folded, &w), rejected_commitment());
}

#[test]
fn folded_in_unsatisfied_instance_is_rejected() {
    let mut r = rng(3);
    let (ccs, a0) = poseidon_circuit(&mut r);
    let key = CommitmentKey::new(&ccs);
    let (running, w1) = start(&key, &ccs, &a0, &mut r);
    let (_, a) = poseidon_circuit(&mut r);
    let mut w2 = CcsWitness::new(a.witness.clone(), Fr::random(&mut r));
    w2.w[40] += Fr::ONE; // one S-box output off, committed as such
    let inc = key.cccs(&w2, &a.public).unwrap();
    assert!(matches!(
        decide_cccs(&key, &ccs, &inc, &w2),
        Err(CcsError::Rejected {
            check: CcsCheck::Row,
            ..
        })
    ));
    let digest = ccs.digest();
    let mut tp = PoseidonTranscript::new(PROTOCOL);
    let (proof, _, _) = prove_fold(&ccs, digest, &running, &w1, &inc, &w2, &mut tp).unwrap();
    let mut tv = PoseidonTranscript::new(PROTOCOL);
    expect_final_evaluation(verify_fold(&ccs, digest, &running, &inc, &proof, &mut tv));
}

#[test]
fn tampered_commitments_are_rejected() {
    let mut r = rng(4);
    let (ccs, a0) = poseidon_circuit(&mut r);
    let key = CommitmentKey::new(&ccs);
    let (running, w1) = start(&key, &ccs, &a0, &mut r);
    let (_, a) = poseidon_circuit(&mut r);
    let (inc, w2) = incoming(&key, &a, &mut r);
    let (proof, folded, w) = fold_step(&ccs, &running, &w1, &inc, &w2);
    let digest = ccs.digest();
    let other = key
        .commit(&CcsWitness::new(a0.witness.clone(), Fr::ONE))
        .unwrap();
    // The proof does not verify against another incoming or running commitment (the
    // transcript absorbs both), nor does the folded commitment decide with another one.
    let bad_inc = Cccs {
        commitment: other,
        ..inc.clone()
    };
    let mut tv = PoseidonTranscript::new(PROTOCOL);
    expect_final_evaluation(verify_fold(
        &ccs, digest, &running, &bad_inc, &proof, &mut tv,
    ));
    let bad_running = Lcccs {
        commitment: other,
        ..running.clone()
    };
    let mut tv = PoseidonTranscript::new(PROTOCOL);
    expect_final_evaluation(verify_fold(
        &ccs,
        digest,
        &bad_running,
        &inc,
        &proof,
        &mut tv,
    ));
    let bad_folded = Lcccs {
        commitment: other,
        ..folded.clone()
    };
    assert_eq!(
        decide_lcccs(&key, &ccs, &bad_folded, &w),
        rejected_commitment()
    );
    // A tampered folded witness or blind.
    let mut bad_w = w.clone();
    bad_w.blind += Fr::ONE;
    assert_eq!(
        decide_lcccs(&key, &ccs, &folded, &bad_w),
        rejected_commitment()
    );
    let mut bad_w = w.clone();
    bad_w.w[7] += Fr::ONE;
    assert_eq!(
        decide_lcccs(&key, &ccs, &folded, &bad_w),
        rejected_commitment()
    );
    // Linearized claims are still checked after a good opening.
    let mut bad_v = folded.clone();
    bad_v.v[0] += Fr::ONE;
    assert!(matches!(
        decide_lcccs(&key, &ccs, &bad_v, &w),
        Err(CcsError::Rejected {
            check: CcsCheck::Linearized,
            row: 0,
            ..
        })
    ));
}
