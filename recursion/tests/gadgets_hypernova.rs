//! The multi-folding verifier circuit against the native `verify_fold`: same folded instance
//! and transcript state on honest folds (circuit satisfied, row count pinned), and a folded-in
//! unsatisfied instance or a tampered proof fails the row "hypernova/final-evaluation".

use kaizen_field::{Field, Fr};
use kaizen_recursion::ccs::fold::{verify_fold, FoldError};
use kaizen_recursion::ccs::nimfs::{prove_fold, FoldingProof};
use kaizen_recursion::ccs::{Assignment, Ccs, CcsError, CcsMalformed, ConstraintSystem, Lc, Lcccs};
use kaizen_recursion::gadgets::{
    permute, verify_fold_gadget, FoldingProofVar, LcccsVar, PoseidonTranscriptVar,
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
    x2: Vec<Fr>,
    proof: FoldingProof,
}

fn case(salt: u64, corrupt_incoming: bool) -> Case {
    let mut r = rng(salt);
    let (ccs, a1) = poseidon_circuit(&mut r);
    let (_, a2) = poseidon_circuit(&mut r);
    let digest = ccs.digest();
    let r_x: Vec<Fr> = (0..ccs.log_rows()).map(|_| Fr::random(&mut r)).collect();
    let running = ccs.lcccs(&a1.witness, &a1.public, &r_x).unwrap();
    let mut w2 = a2.witness.clone();
    if corrupt_incoming {
        w2[50] += Fr::ONE;
    }
    let mut t = PoseidonTranscript::new(PROTOCOL);
    let (proof, _, _) =
        prove_fold(&ccs, digest, &running, &a1.witness, &a2.public, &w2, &mut t).unwrap();
    Case {
        ccs,
        digest,
        running,
        x2: a2.public,
        proof,
    }
}

/// The verifier circuit of `c` (digest public; instances and proof witness).
fn circuit(
    c: &Case,
) -> (
    ConstraintSystem,
    PoseidonTranscriptVar,
    Result<LcccsVar, FoldError>,
) {
    let mut cs = ConstraintSystem::new();
    let digest: Lc = cs.alloc_public(c.digest).into();
    let running = LcccsVar::alloc(&mut cs, &c.running);
    let x2: Vec<Lc> = c.x2.iter().map(|v| cs.alloc_witness(*v).into()).collect();
    let proof = FoldingProofVar::alloc(&mut cs, &c.proof);
    let mut t = PoseidonTranscriptVar::new(&mut cs, PROTOCOL);
    let out = verify_fold_gadget(&mut cs, &mut t, &c.ccs, &digest, &running, &x2, &proof);
    (cs, t, out)
}

#[test]
fn fold_verifier_circuit_equals_native() {
    for salt in 0..3 {
        let c = case(salt, false);
        let mut tn = PoseidonTranscript::new(PROTOCOL);
        let native = verify_fold(&c.ccs, c.digest, &c.running, &c.x2, &c.proof, &mut tn).unwrap();
        let (cs, t, out) = circuit(&c);
        let folded = out.unwrap();
        assert_eq!(folded.value(&cs), native, "salt {salt}");
        assert_eq!(t.state_values(&cs), tn.state(), "salt {salt}");
        let (ccs, a) = cs.build();
        assert_eq!(ccs.is_satisfied(&a.z()), Ok(()), "salt {salt}");
        // Measured: s = 7 rounds of degree 6 over a t = 4, d = 5 CCS.
        assert_eq!(ccs.num_rows, 7227, "salt {salt}");
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
    assert!(verify_fold(&c.ccs, c.digest, &c.running, &c.x2, &c.proof, &mut tn).is_err());
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
