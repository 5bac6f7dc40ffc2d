//! Nova folding over `Fq` with Grumpkin commitments, on CycleFold instances (`P + ρ Q`): an
//! honest chain decides at every step (prover and verifier agree), and a folded-in unsatisfied
//! instance, a witness not opening its commitment or a tampered cross term / instance is
//! rejected by the decider with the check that catches it.

use kaizen_field::{Field, Fq, Fr};
use kaizen_msm::{G1Affine, G1Projective, GrumpkinAffine};
use kaizen_recursion::ccs::{Assignment, Ccs, CcsCheck, CcsError};
use kaizen_recursion::cyclefold::nova::{
    decide, prove_fold, verify_fold, GrumpkinKey, NovaFoldProof, R1csInstance, RelaxedInstance,
    RelaxedWitness,
};
use kaizen_recursion::cyclefold::{scalar_mul_add, ScalarMulAddCircuit};
use kaizen_sumcheck::{PoseidonTranscript, Transcript};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

const PROTOCOL: &[u8] = b"kaizen/test/cyclefold-nova";

fn rng(salt: u64) -> ChaCha20Rng {
    let seed = std::env::var("KAIZEN_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x6b61_697a_656e_90fa_u64);
    ChaCha20Rng::seed_from_u64(seed ^ salt)
}

fn random_point(r: &mut ChaCha20Rng) -> G1Affine {
    G1Projective::generator()
        .mul_vartime(&Fr::random(r))
        .to_affine()
}

fn statement(r: &mut ChaCha20Rng) -> ScalarMulAddCircuit {
    let rho = (u128::from(r.next_u64()) << 64) | u128::from(r.next_u64());
    ScalarMulAddCircuit::honest(random_point(r), random_point(r), rho)
}

fn fresh(key: &GrumpkinKey, a: &Assignment<Fq>) -> R1csInstance {
    key.r1cs_instance(&a.witness, &a.public).unwrap()
}

struct Folded {
    proof: NovaFoldProof,
    inst: RelaxedInstance,
    wit: RelaxedWitness,
}

/// One fold, checked: the verifier computes the prover's folded instance.
fn fold(
    key: &GrumpkinKey,
    ccs: &Ccs<Fq>,
    running: (&RelaxedInstance, &RelaxedWitness),
    incoming: &R1csInstance,
    w2: &[Fq],
) -> Folded {
    let digest = ccs.digest();
    let mut tp = PoseidonTranscript::new(PROTOCOL);
    let (proof, inst, wit) =
        prove_fold(key, ccs, digest, running, (incoming, w2), &mut tp).unwrap();
    let mut tv = PoseidonTranscript::new(PROTOCOL);
    let verified = verify_fold(ccs, digest, running.0, incoming, &proof, &mut tv).unwrap();
    assert_eq!(verified, inst);
    assert_eq!(tp.state(), tv.state());
    Folded { proof, inst, wit }
}

fn rejected(res: Result<(), CcsError<Fq>>) -> (CcsCheck, &'static str) {
    match res {
        Err(CcsError::Rejected { check, name, .. }) => (check, name),
        other => panic!("expected a rejection, got {other:?}"),
    }
}

#[test]
fn honest_chain_of_cyclefold_instances_decides() {
    let mut r = rng(1);
    let (ccs, _) = statement(&mut r).build();
    let key = GrumpkinKey::new(&ccs);
    let (mut inst, mut wit) = RelaxedInstance::zero(&ccs);
    assert_eq!(decide(&key, &ccs, &inst, &wit), Ok(()));
    for step in 0..4 {
        let (ccs_i, a) = statement(&mut r).build();
        assert_eq!(ccs_i, ccs, "the shape never depends on the values");
        let f = fold(&key, &ccs, (&inst, &wit), &fresh(&key, &a), &a.witness);
        assert_eq!(decide(&key, &ccs, &f.inst, &f.wit), Ok(()), "step {step}");
        // Folding into the zero instance (u = 0, z_1 = 0) has no cross term; later folds do.
        assert_eq!(
            f.inst.comm_e == GrumpkinAffine::IDENTITY,
            step == 0,
            "step {step}"
        );
        (inst, wit) = (f.inst, f.wit);
    }
}

#[test]
fn folds_are_deterministic() {
    let run = || {
        let mut r = rng(2);
        let (ccs, a1) = statement(&mut r).build();
        let (_, a2) = statement(&mut r).build();
        let key = GrumpkinKey::new(&ccs);
        let (z, zw) = RelaxedInstance::zero(&ccs);
        let f1 = fold(&key, &ccs, (&z, &zw), &fresh(&key, &a1), &a1.witness);
        let f2 = fold(
            &key,
            &ccs,
            (&f1.inst, &f1.wit),
            &fresh(&key, &a2),
            &a2.witness,
        );
        (f1.proof, f2.proof, f2.inst)
    };
    assert_eq!(run(), run());
}

#[test]
fn folded_in_unsatisfied_instance_is_rejected() {
    let mut r = rng(3);
    let good = statement(&mut r);
    let (ccs, a_good) = good.build();
    let key = GrumpkinKey::new(&ccs);
    let (z, zw) = RelaxedInstance::zero(&ccs);
    let f = fold(
        &key,
        &ccs,
        (&z, &zw),
        &fresh(&key, &a_good),
        &a_good.witness,
    );
    // A claimed out of another challenge: the R1CS is unsatisfied at an output row.
    let bad = ScalarMulAddCircuit {
        out: scalar_mul_add(&good.p, &good.q, good.rho ^ 2),
        ..good
    };
    let (_, a_bad) = bad.build();
    assert!(ccs.is_satisfied(&a_bad.z()).is_err());
    let g = fold(
        &key,
        &ccs,
        (&f.inst, &f.wit),
        &fresh(&key, &a_bad),
        &a_bad.witness,
    );
    assert_eq!(
        rejected(decide(&key, &ccs, &g.inst, &g.wit)),
        (CcsCheck::RelaxedRow, "cyclefold/output-x")
    );
    // ... and it stays caught after another honest fold.
    let (_, a3) = statement(&mut r).build();
    let h = fold(
        &key,
        &ccs,
        (&g.inst, &g.wit),
        &fresh(&key, &a3),
        &a3.witness,
    );
    assert_eq!(
        rejected(decide(&key, &ccs, &h.inst, &h.wit)).0,
        CcsCheck::RelaxedRow
    );
}

#[test]
fn witness_not_opening_its_commitment_is_rejected() {
    let mut r = rng(4);
    let (ccs, a1) = statement(&mut r).build();
    let (_, a2) = statement(&mut r).build();
    let key = GrumpkinKey::new(&ccs);
    let (z, zw) = RelaxedInstance::zero(&ccs);
    // The incoming commitment is a2's witness, the folded witness a1's (which satisfies).
    let swapped = R1csInstance {
        comm_w: key.commit(&a2.witness).unwrap(),
        x: a1.public.clone(),
    };
    let f = fold(&key, &ccs, (&z, &zw), &swapped, &a1.witness);
    assert_eq!(
        rejected(decide(&key, &ccs, &f.inst, &f.wit)),
        (CcsCheck::Commitment, "nova/commitment-w")
    );
}

#[test]
fn tampered_parts_are_rejected() {
    let mut r = rng(5);
    let (ccs, a1) = statement(&mut r).build();
    let (_, a2) = statement(&mut r).build();
    let key = GrumpkinKey::new(&ccs);
    let (z, zw) = RelaxedInstance::zero(&ccs);
    let f1 = fold(&key, &ccs, (&z, &zw), &fresh(&key, &a1), &a1.witness);
    let inc = fresh(&key, &a2);
    let f2 = fold(&key, &ccs, (&f1.inst, &f1.wit), &inc, &a2.witness);
    let digest = ccs.digest();
    let verify = |proof: &NovaFoldProof, running: &RelaxedInstance| {
        let mut tv = PoseidonTranscript::new(PROTOCOL);
        verify_fold(&ccs, digest, running, &inc, proof, &mut tv).unwrap()
    };
    // Another cross-term commitment: the verifier's E commitment no longer opens to E.
    let bad_t = NovaFoldProof {
        comm_t: key.commit(&[Fq::ONE]).unwrap(),
    };
    assert_eq!(
        rejected(decide(&key, &ccs, &verify(&bad_t, &f1.inst), &f2.wit)).0,
        CcsCheck::Commitment
    );
    // A tampered running u or x: the challenge and the folded relation change.
    for tamper in 0..2 {
        let mut running = f1.inst.clone();
        if tamper == 0 {
            running.u += Fq::ONE;
        } else {
            running.x[3] += Fq::ONE;
        }
        let folded = verify(&f2.proof, &running);
        assert!(
            decide(&key, &ccs, &folded, &f2.wit).is_err(),
            "tamper {tamper}"
        );
    }
    // Tampered folded witness entries.
    let mut w = f2.wit.clone();
    w.e[17] += Fq::ONE;
    assert_eq!(
        rejected(decide(&key, &ccs, &f2.inst, &w)),
        (CcsCheck::Commitment, "nova/commitment-e")
    );
    let mut w = f2.wit.clone();
    w.w[100] += Fq::ONE;
    assert_eq!(
        rejected(decide(&key, &ccs, &f2.inst, &w)),
        (CcsCheck::Commitment, "nova/commitment-w")
    );
    // A tampered u with the right commitments fails a relaxed row.
    let mut inst = f2.inst.clone();
    inst.u += Fq::ONE;
    assert_eq!(
        rejected(decide(&key, &ccs, &inst, &f2.wit)).0,
        CcsCheck::RelaxedRow
    );
}
