//! The multi-folding verifier circuit against the native `verify_fold`: same folded instance
//! (commitment hint included), same 128-bit `ρ` and transcript state on honest folds (circuit
//! satisfied, row count pinned), and a folded-in unsatisfied instance or a tampered proof fails
//! the row "hypernova/final-evaluation"; a non-canonical decomposition of the challenge fails
//! the strictness rows.

use kaizen_field::{Field, Fr, PrimeField};
use kaizen_recursion::ccs::fold::{verify_fold, FoldError};
use kaizen_recursion::ccs::nimfs::{prove_fold, FoldingProof};
use kaizen_recursion::ccs::Var;
use kaizen_recursion::ccs::{
    Assignment, Cccs, Ccs, CcsError, CcsMalformed, CcsWitness, CommitmentKey, ConstraintSystem, Lc,
    Lcccs,
};
use kaizen_recursion::gadgets::{
    permute, point_elements, point_from_elements, recompose, to_bits_le_strict, verify_fold_gadget,
    CccsVar, FoldOutputVar, FoldingProofVar, LcccsVar, PoseidonTranscriptVar, ROWS_STRICT_BITS,
};
use kaizen_sumcheck::{PoseidonTranscript, Transcript};
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;

const PROTOCOL: &[u8] = b"kaizen/test/hypernova-gadget";

fn rng(salt: u64) -> ChaCha20Rng {
    let seed = std::env::var("KAIZEN_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x6b61_697a_656e_4e07_u64);
    ChaCha20Rng::seed_from_u64(seed ^ salt)
}

/// The folded CCS: one Poseidon permutation (81 rows, s = 7, t = 4, d = 5).
fn poseidon_circuit(r: &mut ChaCha20Rng) -> (Ccs, Assignment) {
    let mut cs = ConstraintSystem::new();
    let state: [Lc; 3] = core::array::from_fn(|_| cs.alloc_public(Fr::random(r)).into());
    let _ = permute(&mut cs, &state);
    cs.build()
}

struct Case {
    ccs: Ccs,
    digest: Fr,
    running: Lcccs,
    incoming: Cccs,
    proof: FoldingProof,
}

fn case(salt: u64, corrupt_incoming: bool) -> Case {
    let mut r = rng(salt);
    let (ccs, a1) = poseidon_circuit(&mut r);
    let (_, a2) = poseidon_circuit(&mut r);
    let digest = ccs.digest();
    let key = CommitmentKey::new(&ccs);
    let r_x: Vec<Fr> = (0..ccs.log_rows()).map(|_| Fr::random(&mut r)).collect();
    let w1 = CcsWitness::new(a1.witness.clone(), Fr::random(&mut r));
    let running = ccs
        .lcccs(key.commit(&w1).unwrap(), &w1.w, &a1.public, &r_x)
        .unwrap();
    let mut w2 = CcsWitness::new(a2.witness.clone(), Fr::random(&mut r));
    if corrupt_incoming {
        w2.w[50] += Fr::ONE;
    }
    let incoming = key.cccs(&w2, &a2.public).unwrap();
    let mut t = PoseidonTranscript::new(PROTOCOL);
    let (proof, _, _) = prove_fold(&ccs, digest, &running, &w1, &incoming, &w2, &mut t).unwrap();
    Case {
        ccs,
        digest,
        running,
        incoming,
        proof,
    }
}

/// The verifier circuit of `c` (digest public; instances and proof witness).
fn circuit(
    c: &Case,
) -> (
    ConstraintSystem,
    PoseidonTranscriptVar,
    Result<FoldOutputVar, FoldError>,
) {
    let mut cs = ConstraintSystem::new();
    let digest: Lc = cs.alloc_public(c.digest).into();
    let running = LcccsVar::alloc(&mut cs, &c.running);
    let incoming = CccsVar::alloc(&mut cs, &c.incoming);
    let proof = FoldingProofVar::alloc(&mut cs, &c.proof);
    let mut t = PoseidonTranscriptVar::new(&mut cs, PROTOCOL);
    let out = verify_fold_gadget(
        &mut cs, &mut t, &c.ccs, &digest, &running, &incoming, &proof,
    );
    (cs, t, out)
}

/// Rows of the fold verifier circuit of this file's CCS (measured).
const ROWS: usize = 8140;

#[test]
fn point_elements_round_trip() {
    let mut r = rng(20);
    let key = CommitmentKey::new(&poseidon_circuit(&mut r).0);
    for blind in [Fr::ZERO, Fr::ONE, Fr::random(&mut r)] {
        let p = key
            .commit(&CcsWitness::new(vec![Fr::from_u64(3)], blind))
            .unwrap();
        assert_eq!(point_from_elements(&point_elements(&p)), Some(p));
    }
    let mut e = point_elements(&kaizen_msm::G1Affine::default());
    assert_eq!(
        point_from_elements(&e),
        Some(kaizen_msm::G1Affine::default())
    );
    e[1] += Fr::from_u64(256); // not a byte
    assert_eq!(point_from_elements(&e), None);
}

#[test]
fn fold_verifier_circuit_equals_native() {
    for salt in 0..3 {
        let c = case(salt, false);
        let mut tn = PoseidonTranscript::new(PROTOCOL);
        let native =
            verify_fold(&c.ccs, c.digest, &c.running, &c.incoming, &c.proof, &mut tn).unwrap();
        let (cs, t, out) = circuit(&c);
        let out = out.unwrap();
        assert_eq!(out.folded.value(&cs), Some(native.clone()), "salt {salt}");
        assert_eq!(t.state_values(&cs), tn.state(), "salt {salt}");
        let rho = native.u - c.running.u;
        assert_eq!(cs.value(&out.rho), rho, "salt {salt}");
        assert_eq!(out.rho_bits.len(), 128);
        assert_eq!(cs.value(&recompose(&out.rho_bits)), rho, "salt {salt}");
        let (ccs, a) = cs.build();
        assert_eq!(ccs.is_satisfied(&a.z()), Ok(()), "salt {salt}");
        // Measured: s = 7 rounds of degree 6 over a t = 4, d = 5 CCS, two commitments absorbed,
        // 508 rows for the 128-bit ρ.
        assert_eq!(ccs.num_rows, ROWS, "salt {salt}");
        if salt == 0 {
            eprintln!(
                "fold verifier circuit (s = 7, t = 4, d = 5, n_x = 3): {} rows, {} witnesses, nnz {}",
                ccs.num_rows,
                ccs.num_witness,
                ccs.nnz()
            );
        }
    }
}

fn expect_final_evaluation_row(cs: ConstraintSystem) {
    let (ccs, a) = cs.build();
    let check_row = ccs
        .row_names
        .iter()
        .position(|n| *n == "hypernova/final-evaluation");
    match ccs.is_satisfied(&a.z()) {
        Err(CcsError::Rejected { row, name, .. }) => {
            assert_eq!(name, "hypernova/final-evaluation");
            assert_eq!(Some(row), check_row);
        }
        other => panic!("expected a rejection, got {other:?}"),
    }
}

#[test]
fn folded_in_unsatisfied_instance_fails_the_circuit() {
    let c = case(10, true);
    let mut tn = PoseidonTranscript::new(PROTOCOL);
    assert!(verify_fold(&c.ccs, c.digest, &c.running, &c.incoming, &c.proof, &mut tn).is_err());
    let (cs, _, out) = circuit(&c);
    assert!(out.is_ok());
    expect_final_evaluation_row(cs);
}

#[test]
fn tampered_fold_proof_fails_the_circuit() {
    let mut c = case(11, false);
    c.proof.thetas[2] += Fr::ONE;
    let (cs, _, _) = circuit(&c);
    expect_final_evaluation_row(cs);
    let mut c = case(12, false);
    c.proof.sumcheck.rounds[3].coeffs_except_linear[1] += Fr::ONE;
    let (cs, _, _) = circuit(&c);
    expect_final_evaluation_row(cs);
}

#[test]
fn malformed_fold_proof_is_a_typed_error() {
    let mut c = case(13, false);
    c.proof.sigmas.pop();
    let (_, _, out) = circuit(&c);
    assert_eq!(
        out.err(),
        Some(FoldError::Malformed(CcsMalformed::Length {
            expected: 4,
            actual: 3
        }))
    );
}

/// The bits of `x + r` (as an integer below `2^254`) for a small `x`.
fn bits_plus_modulus(x: u64) -> Vec<bool> {
    let mut limbs = Fr::MODULUS;
    let (l0, carry) = limbs[0].overflowing_add(x);
    limbs[0] = l0;
    limbs[1] += u64::from(carry);
    (0..254)
        .map(|i| (limbs[i / 64] >> (i % 64)) & 1 == 1)
        .collect()
}

#[test]
fn strict_bits_accept_canonical_and_reject_the_alias() {
    for x in [
        Fr::ZERO,
        Fr::from_u64(5),
        -Fr::ONE,
        Fr::random(&mut rng(30)),
    ] {
        let mut cs = ConstraintSystem::new();
        let xv: Lc = cs.alloc_public(x).into();
        let bits = to_bits_le_strict(&mut cs, &xv);
        let limbs = x.to_canonical_limbs();
        for (i, b) in bits.iter().enumerate() {
            let want = (limbs[i / 64] >> (i % 64)) & 1;
            assert_eq!(cs.var_value(*b), Fr::from_u64(want), "bit {i}");
        }
        let (ccs, a) = cs.build();
        assert_eq!(ccs.num_rows, ROWS_STRICT_BITS);
        assert_eq!(ccs.is_satisfied(&a.z()), Ok(()));
    }
    // x = 5 also decomposes as 5 + r < 2^254: boolean and recomposition rows hold, a
    // strictness row fails.
    let mut cs = ConstraintSystem::new();
    let xv: Lc = cs.alloc_public(Fr::from_u64(5)).into();
    let bits = to_bits_le_strict(&mut cs, &xv);
    let (ccs, mut a) = cs.build();
    for (b, v) in bits.iter().zip(bits_plus_modulus(5)) {
        let Var::Witness(i) = b else {
            panic!("bits are witnesses")
        };
        a.witness[*i] = if v { Fr::ONE } else { Fr::ZERO };
    }
    match ccs.is_satisfied(&a.z()) {
        Err(CcsError::Rejected { name, .. }) => assert!(name.starts_with("bits/strict"), "{name}"),
        other => panic!("expected a strictness rejection, got {other:?}"),
    }
}
