//! The split accumulator: a fold chain of 8 honest claims decides (directly and by decider
//! proof, through the encodings); a bad opening (wrong value, wrong D) is caught by the fold
//! verifier or the decider with the named check; tampered fields and bytes are rejected.

use kaizen_field::testing::{test_rng, test_seed};
use kaizen_field::{Field, Fr};
use kaizen_msm::{Check, G1Projective};
use kaizen_recursion::{
    accumulate, decide, instance_from_claim, prove_decider, prove_fold, verify_decider,
    verify_fold, AccInstance, AccWitness, ClaimCheck, ClaimError, ClaimMalformed, DeciderProof,
    FoldProof, HyraxPcs,
};
use kaizen_sumcheck::poly::evaluate_slice;
use kaizen_sumcheck::{PoseidonTranscript, Sha256Transcript, Transcript};
use rand_chacha::ChaCha20Rng;

fn seed() -> u64 {
    test_seed(0x6163_6375_6d75_6c61)
}

fn rng(salt: u64) -> ChaCha20Rng {
    test_rng(0x6163_6375_6d75_6c61, salt)
}

/// `count` accumulators of true claims on fresh random tables; the verifier's instances come
/// from the public claims (commitment, point, value), the prover's witnesses from the tables.
fn honest_accumulators(pcs: &HyraxPcs, count: usize, salt: u64) -> Vec<(AccInstance, AccWitness)> {
    let mut r = rng(salt);
    let n = pcs.params().num_vars();
    (0..count)
        .map(|_| {
            let table: Vec<Fr> = (0..1 << n).map(|_| Fr::random(&mut r)).collect();
            let point: Vec<Fr> = (0..n).map(|_| Fr::random(&mut r)).collect();
            let (comm, opening) = pcs.commit(&table, &mut r);
            let (inst, wit) = accumulate(pcs, &comm, &opening, &table, &point);
            let public =
                instance_from_claim(pcs, &comm, &point, evaluate_slice(&table, &point)).unwrap();
            assert_eq!(inst, public, "prover and verifier instances differ");
            (inst, wit)
        })
        .collect()
}

/// Folds the list left to right, verifying each fold (through the encodings); returns the
/// final instance (the verifier's) and witness, or the first fold error.
fn fold_chain<T: Transcript>(
    pcs: &HyraxPcs,
    accs: &[(AccInstance, AccWitness)],
) -> Result<(AccInstance, AccWitness), ClaimError> {
    let (mut inst, mut wit) = accs[0].clone();
    for (next, next_wit) in &accs[1..] {
        let mut tp = pcs.transcript::<T>();
        let (folded, folded_wit, proof) = prove_fold(pcs, &mut tp, (&inst, &wit), (next, next_wit));
        let proof = FoldProof::from_bytes(&proof.to_bytes()).unwrap();
        let mut tv = pcs.transcript::<T>();
        let public = verify_fold(pcs, &mut tv, &inst, next, &proof)?;
        assert_eq!(
            public, folded,
            "verifier's folded instance differs from the prover's"
        );
        assert_eq!(tp.challenge(b"after"), tv.challenge(b"after"));
        inst = AccInstance::from_bytes(&public.to_bytes()).unwrap();
        wit = folded_wit;
    }
    Ok((inst, wit))
}

fn decider_round_trip(
    pcs: &HyraxPcs,
    inst: &AccInstance,
    wit: &AccWitness,
) -> Result<(), ClaimError> {
    let mut tp = pcs.transcript::<Sha256Transcript>();
    let proof = prove_decider(pcs, &mut tp, inst, wit, &mut rng(99));
    let proof = DeciderProof::from_bytes(&proof.to_bytes()).unwrap();
    let mut tv = pcs.transcript::<Sha256Transcript>();
    verify_decider(pcs, &mut tv, inst, &proof)
}

#[test]
fn honest_chain_of_eight_decides() {
    for (n, log_rows) in [(8usize, 4usize), (7, 0), (6, 6)] {
        let pcs = HyraxPcs::setup(n, log_rows);
        let accs = honest_accumulators(&pcs, 8, (n * 8 + log_rows) as u64);
        for (inst, wit) in &accs {
            decide(&pcs, inst, wit).unwrap();
        }
        let (inst, wit) = fold_chain::<Sha256Transcript>(&pcs, &accs).unwrap();
        decide(&pcs, &inst, &wit).unwrap_or_else(|e| panic!("n {n}: {e} (seed {})", seed()));
        decider_round_trip(&pcs, &inst, &wit).unwrap();
    }
}

#[test]
fn honest_chain_poseidon() {
    let pcs = HyraxPcs::setup(6, 2);
    let accs = honest_accumulators(&pcs, 4, 7);
    let (inst, wit) = fold_chain::<PoseidonTranscript>(&pcs, &accs).unwrap();
    decide(&pcs, &inst, &wit).unwrap();
}

#[test]
fn fold_challenge_is_128_bits() {
    // The folded witness is a1 + rho a2: recover rho from one entry, check it is below 2^128.
    let pcs = HyraxPcs::setup(6, 3);
    let accs = honest_accumulators(&pcs, 2, 8);
    let mut t = pcs.transcript::<Sha256Transcript>();
    let (_, wit, _) = prove_fold(
        &pcs,
        &mut t,
        (&accs[0].0, &accs[0].1),
        (&accs[1].0, &accs[1].1),
    );
    // rho = (a - a1)[0] / a2[0].
    let rho = (wit.a()[0] - accs[0].1.a()[0]) * accs[1].1.a()[0].inverse().unwrap();
    let bytes = kaizen_field::PrimeField::to_bytes(&rho);
    assert!(bytes[16..].iter().all(|b| *b == 0), "rho = {rho:?}");
    assert_ne!(rho, Fr::ZERO);
}

#[test]
fn wrong_value_in_chain_rejected_by_fold() {
    // Accumulators 0..5 fold honestly; accumulator 5 is then presented with a false value.
    // (The fold proof is made for the true value: an honest-prover fold of a false value
    // would trip the sumcheck driver's debug self-check; any proof must fail here.)
    let pcs = HyraxPcs::setup(6, 3);
    let accs = honest_accumulators(&pcs, 8, 9);
    let (inst, wit) = fold_chain::<Sha256Transcript>(&pcs, &accs[..5]).unwrap();
    let mut tp = pcs.transcript::<Sha256Transcript>();
    let (_, _, proof) = prove_fold(&pcs, &mut tp, (&inst, &wit), (&accs[5].0, &accs[5].1));
    let mut bad = accs[5].0.clone();
    bad.v += Fr::ONE;
    let mut tv = pcs.transcript::<Sha256Transcript>();
    assert_eq!(
        verify_fold(&pcs, &mut tv, &inst, &bad, &proof),
        Err(ClaimError::Rejected {
            check: ClaimCheck::ReducedClaim
        })
    );
}

#[test]
fn wrong_value_fails_the_decider() {
    let pcs = HyraxPcs::setup(6, 3);
    let accs = honest_accumulators(&pcs, 1, 10);
    let (mut inst, wit) = accs[0].clone();
    inst.v += Fr::ONE;
    assert_eq!(
        decide(&pcs, &inst, &wit),
        Err(ClaimError::Rejected {
            check: ClaimCheck::DeciderValue
        })
    );
    // The prover's decider proof for the false instance does not verify.
    assert_eq!(
        decider_round_trip(&pcs, &inst, &wit),
        Err(ClaimError::Rejected {
            check: ClaimCheck::Opening(Check::FinalEquation)
        })
    );
}

#[test]
fn wrong_d_in_chain_fails_the_decider() {
    let pcs = HyraxPcs::setup(6, 3);
    let mut accs = honest_accumulators(&pcs, 8, 11);
    // Accumulator 3's D does not commit to its witness (a bad opening of its claim).
    accs[3].0.d = (G1Projective::from(accs[3].0.d) + pcs.params().gens().h()).to_affine();
    let (inst, wit) = fold_chain::<Sha256Transcript>(&pcs, &accs).unwrap();
    assert_eq!(
        decide(&pcs, &inst, &wit),
        Err(ClaimError::Rejected {
            check: ClaimCheck::DeciderCommitment
        })
    );
    assert_eq!(
        decider_round_trip(&pcs, &inst, &wit),
        Err(ClaimError::Rejected {
            check: ClaimCheck::Opening(Check::FinalEquation)
        })
    );
}

#[test]
fn wrong_witness_fails_the_decider() {
    let pcs = HyraxPcs::setup(6, 3);
    let accs = honest_accumulators(&pcs, 1, 12);
    let (inst, wit) = &accs[0];
    let mut a = wit.a().to_vec();
    a[3] += Fr::ONE;
    let bad = AccWitness::new(a, Fr::ZERO);
    assert_eq!(
        decide(&pcs, inst, &bad),
        Err(ClaimError::Rejected {
            check: ClaimCheck::DeciderCommitment
        })
    );
    assert!(matches!(
        decide(&pcs, inst, &AccWitness::new(vec![Fr::ONE; 3], Fr::ZERO)),
        Err(ClaimError::Malformed(_))
    ));
}

#[test]
fn tampered_instance_fields_rejected_by_decider_proof() {
    let pcs = HyraxPcs::setup(6, 3);
    let accs = honest_accumulators(&pcs, 2, 13);
    let (inst, wit) = fold_chain::<Sha256Transcript>(&pcs, &accs).unwrap();
    let mut tp = pcs.transcript::<Sha256Transcript>();
    let proof = prove_decider(&pcs, &mut tp, &inst, &wit, &mut rng(14));
    let verify = |acc: &AccInstance, proof: &DeciderProof| {
        let mut tv = pcs.transcript::<Sha256Transcript>();
        verify_decider(&pcs, &mut tv, acc, proof)
    };
    verify(&inst, &proof).unwrap();
    let rejected = Err(ClaimError::Rejected {
        check: ClaimCheck::Opening(Check::FinalEquation),
    });
    let mut t = inst.clone();
    t.v += Fr::ONE;
    assert_eq!(verify(&t, &proof), rejected);
    let mut t = inst.clone();
    t.r[1] += Fr::ONE;
    assert_eq!(verify(&t, &proof), rejected);
    let mut t = inst.clone();
    t.d = accs[0].0.d;
    assert_eq!(verify(&t, &proof), rejected);
    let mut p = proof.clone();
    p.ipa.z2 += Fr::ONE;
    assert_eq!(verify(&inst, &p), rejected);
    let mut t = inst.clone();
    t.r.pop();
    assert!(matches!(
        verify(&t, &proof),
        Err(ClaimError::Malformed(ClaimMalformed::PointLength { .. }))
    ));
}

#[test]
fn tampered_fold_proof_rejected() {
    let pcs = HyraxPcs::setup(6, 3);
    let accs = honest_accumulators(&pcs, 2, 15);
    let mut tp = pcs.transcript::<Sha256Transcript>();
    let (_, _, proof) = prove_fold(
        &pcs,
        &mut tp,
        (&accs[0].0, &accs[0].1),
        (&accs[1].0, &accs[1].1),
    );
    let verify = |proof: &FoldProof| {
        let mut tv = pcs.transcript::<Sha256Transcript>();
        verify_fold(&pcs, &mut tv, &accs[0].0, &accs[1].0, proof)
    };
    verify(&proof).unwrap();
    let reduced = Err(ClaimError::Rejected {
        check: ClaimCheck::ReducedClaim,
    });
    let mut p = proof.clone();
    p.reduction.evals[0] += Fr::ONE;
    assert_eq!(verify(&p), reduced);
    let mut p = proof.clone();
    p.reduction.sumcheck.rounds[0].coeffs_except_linear[1] += Fr::ONE;
    assert_eq!(verify(&p), reduced);
    let mut p = proof.clone();
    p.reduction.sumcheck.rounds.pop();
    assert!(matches!(
        verify(&p),
        Err(ClaimError::Malformed(ClaimMalformed::Sumcheck(_)))
    ));
}

#[test]
fn decoders_reject_bad_bytes() {
    let pcs = HyraxPcs::setup(6, 3);
    let accs = honest_accumulators(&pcs, 2, 16);
    let inst = accs[0].0.to_bytes();
    assert_eq!(inst.len(), AccInstance::encoded_len(3));
    assert_eq!(AccInstance::from_bytes(&inst).unwrap(), accs[0].0);
    let mut b = inst.clone();
    b[1] = 0x22;
    assert!(matches!(
        AccInstance::from_bytes(&b),
        Err(ClaimError::Malformed(ClaimMalformed::Kind { .. }))
    ));
    let mut b = inst.clone();
    b[2] = 200;
    assert!(matches!(
        AccInstance::from_bytes(&b),
        Err(ClaimError::Malformed(ClaimMalformed::Count { .. }))
    ));
    // v = p - 1 + 1 region: all 0xff is not canonical.
    let mut b = inst.clone();
    let len = b.len();
    b[len - 32..].fill(0xff);
    assert!(matches!(
        AccInstance::from_bytes(&b),
        Err(ClaimError::Malformed(ClaimMalformed::Pcs(_)))
    ));
    for cut in [0, 2, 20, inst.len() - 1] {
        assert!(matches!(
            AccInstance::from_bytes(&inst[..cut]),
            Err(ClaimError::Malformed(_))
        ));
    }
    let mut t = pcs.transcript::<Sha256Transcript>();
    let (_, _, fold) = prove_fold(
        &pcs,
        &mut t,
        (&accs[0].0, &accs[0].1),
        (&accs[1].0, &accs[1].1),
    );
    let fb = fold.to_bytes();
    assert_eq!(FoldProof::from_bytes(&fb).unwrap(), fold);
    let mut b = fb.clone();
    b.push(1);
    assert!(matches!(
        FoldProof::from_bytes(&b),
        Err(ClaimError::Malformed(ClaimMalformed::TrailingBytes { .. }))
    ));
    let mut t = pcs.transcript::<Sha256Transcript>();
    let dp = prove_decider(&pcs, &mut t, &accs[0].0, &accs[0].1, &mut rng(17)).to_bytes();
    let mut b = dp.clone();
    b[0] = 2;
    assert!(matches!(
        DeciderProof::from_bytes(&b),
        Err(ClaimError::Malformed(ClaimMalformed::Version { .. }))
    ));
    assert!(matches!(
        DeciderProof::from_bytes(&dp[..dp.len() - 5]),
        Err(ClaimError::Malformed(_))
    ));
}
