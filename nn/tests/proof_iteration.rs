//! The per-iteration training proof of the MLP (784-128-10, batch 16) on the embedded
//! Fashion-MNIST subset: honest iterations verify and chain, the bytes are deterministic
//! across thread counts, and every wrong training step, changed public input and flipped
//! proof byte is rejected with the kind (and, for wrong training, the check) it must have.

mod common;

use std::sync::OnceLock;

use common::{rejected_check, Fixture};

use kaizen_field::Fr;
use kaizen_nn::proof::Tamper;
use kaizen_nn::{
    verify_iteration, DatasetCommitment, IterationProof, IterationStatement, ModelCommitment,
    ProofError, ProofSystem, Prover, TrainConfig,
};

/// Samples committed in these tests (a prefix of the embedded training set).
const SAMPLES: usize = 256;
const SEED: [u8; 32] = [42; 32];

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| Fixture::build(TrainConfig::default(), SAMPLES, SEED, 3))
}

fn verify(f: &Fixture, s: &IterationStatement, p: &IterationProof) -> Result<(), ProofError> {
    verify_iteration(&f.system, &f.dataset, s, p)
}

fn tampered(tamper: Tamper) -> &'static str {
    fixture().tampered(tamper)
}

#[test]
fn honest_iterations_verify_and_chain() {
    let f = fixture();
    for (t, (s, p)) in f.steps.iter().enumerate() {
        assert_eq!(s.iteration, t as u64);
        verify(f, s, p).unwrap_or_else(|e| panic!("iteration {t}: {e}"));
    }
    for w in f.steps.windows(2) {
        assert_eq!(w[0].0.model_after, w[1].0.model_before);
    }
    assert_ne!(f.steps[0].0.model_before, f.steps[0].0.model_after);
}

#[test]
fn encodings_round_trip_and_decoded_proofs_verify() {
    let f = fixture();
    let (s, p) = &f.steps[1];
    let pb = p.to_bytes();
    let total: usize = p.sections().iter().map(|(_, n)| n).sum();
    assert_eq!(total, pb.len());
    let names: Vec<_> = p.sections().iter().map(|(n, _)| *n).collect();
    assert_eq!(
        names,
        ["header", "trace-rows", "evals", "gkr", "logup", "opening"]
    );
    let p2 = IterationProof::from_bytes(&pb).unwrap();
    assert_eq!(&p2, p);
    let s2 = IterationStatement::from_bytes(&s.to_bytes()).unwrap();
    assert_eq!(&s2, s);
    let d2 = DatasetCommitment::from_bytes(&f.dataset.to_bytes()).unwrap();
    assert_eq!(d2, f.dataset);
    let m = ModelCommitment::from_bytes(&s.model_after.to_bytes()).unwrap();
    assert_eq!(m, s.model_after);
    verify(f, &s2, &p2).unwrap();
    let mut long = pb.clone();
    long.push(0);
    assert!(matches!(
        IterationProof::from_bytes(&long),
        Err(ProofError::Malformed(_))
    ));
    assert!(matches!(
        IterationProof::from_bytes(&pb[..pb.len() - 1]),
        Err(ProofError::Malformed(_))
    ));
}

#[test]
fn proof_bytes_do_not_depend_on_the_thread_count() {
    let f = fixture();
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let (mut prover, dataset) = Prover::new(&f.system, &f.config, &f.data, SEED).unwrap();
            let (s, p, _) = prover.prove_next(&f.data).unwrap();
            (dataset.to_bytes(), s.to_bytes(), p.to_bytes())
        })
    };
    let one = run(1);
    let two = run(2);
    assert_eq!(one, two);
    let (s0, p0) = &f.steps[0];
    assert_eq!(one.1, s0.to_bytes());
    assert_eq!(one.2, p0.to_bytes());
}

#[test]
fn training_with_another_learning_rate_fails_the_sgd_check() {
    assert_eq!(tampered(Tamper::LearningRate(0.05)), "sgd");
}

#[test]
fn a_wrong_weight_update_fails_the_sgd_check() {
    assert_eq!(tampered(Tamper::WrongUpdate), "sgd");
}

#[test]
fn an_out_of_range_remainder_with_its_quotient_fails_the_range_check() {
    assert_eq!(tampered(Tamper::RemOutOfRange), "range");
}

#[test]
fn a_plainly_wrong_remainder_fails_the_rescale_check() {
    assert_eq!(tampered(Tamper::WrongRem), "rescale");
}

#[test]
fn a_skipped_relu_fails_the_range_check() {
    assert_eq!(tampered(Tamper::SkipRelu), "range");
}

#[test]
fn a_sample_outside_the_scheduled_batch_fails_the_opening() {
    assert_eq!(tampered(Tamper::WrongSample), "opening");
}

#[test]
fn a_false_claim_value_in_the_opening_fails_the_opening_check() {
    assert_eq!(tampered(Tamper::FalseOpeningClaim), "opening");
}

#[test]
fn tampered_parts_of_the_one_opening_are_rejected_with_their_check() {
    let f = fixture();
    let (s, p) = &f.steps[1];
    // One column sumcheck of log C rounds and one IPA of log C rounds for the whole proof.
    assert_eq!(p.opening.sumcheck.rounds.len(), 11);
    assert_eq!(p.opening.opening.l.len(), 11);
    for round in [0, 5, 10] {
        let mut q = p.clone();
        q.opening.sumcheck.rounds[round].coeffs_except_linear[0] += Fr::ONE;
        assert_eq!(rejected_check(verify(f, s, &q)), "opening", "round {round}");
    }
    let mut q = p.clone();
    q.opening.opening.z1 += Fr::ONE;
    assert_eq!(rejected_check(verify(f, s, &q)), "opening");
    let mut q = p.clone();
    q.opening.opening.l.swap(0, 1);
    assert_eq!(rejected_check(verify(f, s, &q)), "opening");
    let mut q = p.clone();
    q.opening.sumcheck.rounds.pop();
    assert!(matches!(verify(f, s, &q), Err(ProofError::Malformed(_))));
    // X~(p), the input claim's value (fourth-last evaluation), changed: no relation reads it,
    // only the opening catches it.
    let mut q = p.clone();
    let at = q.evals.len() - 4;
    q.evals[at] += Fr::ONE;
    assert_eq!(rejected_check(verify(f, s, &q)), "opening");
}

#[test]
fn every_changed_public_input_is_rejected() {
    let f = fixture();
    let (s, p) = &f.steps[1];
    let other_row = f.steps[2].0.model_after.rows[0];
    let mut cases: Vec<(&str, IterationStatement)> = Vec::new();
    let mut c = s.clone();
    c.iteration += 1;
    cases.push(("iteration", c));
    // Another learning rate or seed than the run's: the hyper-parameter check.
    for (what, c) in [
        (
            "learning rate",
            IterationStatement {
                lr_q: s.lr_q + 1,
                ..s.clone()
            },
        ),
        (
            "seed",
            IterationStatement {
                seed: s.seed + 1,
                ..s.clone()
            },
        ),
    ] {
        let r = verify(f, &c, p);
        assert!(
            matches!(
                r,
                Err(ProofError::Rejected {
                    check: "hyper-parameters",
                    ..
                })
            ),
            "{what}: {r:?}"
        );
    }
    let mut c = s.clone();
    c.model_before.rows[0] = other_row;
    cases.push(("model before", c));
    let mut c = s.clone();
    c.model_after.rows[3] = other_row;
    cases.push(("model after", c));
    let mut c = s.clone();
    c.model_before = f.steps[0].0.model_before.clone();
    cases.push(("model before of another iteration", c));
    for (what, c) in cases {
        let r = verify(f, &c, p);
        assert!(
            matches!(r, Err(ProofError::Rejected { .. })),
            "{what}: {r:?}"
        );
    }
    let mut d = f.dataset.clone();
    d.rows[5] = other_row;
    let r = verify_iteration(&f.system, &d, s, p);
    assert!(
        matches!(r, Err(ProofError::Rejected { .. })),
        "dataset: {r:?}"
    );
    let mut d = f.dataset.clone();
    d.len += 1;
    let r = verify_iteration(&f.system, &d, s, p);
    assert!(
        matches!(r, Err(ProofError::Malformed(_))),
        "dataset length: {r:?}"
    );
    let other_config = TrainConfig {
        batch: 8,
        ..f.config.clone()
    };
    let other = ProofSystem::setup(&other_config, SAMPLES).unwrap();
    assert!(verify_iteration(&other, &f.dataset, s, p).is_err());
}

#[test]
fn a_flipped_byte_in_any_section_is_rejected() {
    let f = fixture();
    let (s, p) = &f.steps[0];
    let bytes = p.to_bytes();
    let mut start = 0;
    for (name, len) in p.sections() {
        // Three positions per section: first byte, middle, last.
        for at in [start, start + len / 2, start + len - 1] {
            let mut b = bytes.clone();
            b[at] ^= 0x10;
            let r = IterationProof::from_bytes(&b).and_then(|q| verify(f, s, &q));
            assert!(
                matches!(
                    r,
                    Err(ProofError::Malformed(_)) | Err(ProofError::Rejected { .. })
                ),
                "section {name}, byte {at}: {r:?}"
            );
        }
        start += len;
    }
}

#[test]
fn a_gradient_for_another_label_fails_the_softmax_gradient_check() {
    assert_eq!(tampered(Tamper::WrongLabel), "softmax-grad");
}

#[test]
fn a_junk_padding_in_the_initial_model_fails_the_pad_zero_check() {
    let f = fixture();
    let (mut prover, dataset) = Prover::new(&f.system, &f.config, &f.data, SEED).unwrap();
    prover.inject_pad_junk().unwrap();
    let (s, p, _) = prover.prove_next(&f.data).unwrap();
    assert_eq!(
        rejected_check(verify_iteration(&f.system, &dataset, &s, &p)),
        "pad-zero"
    );
}

#[test]
fn decoders_reject_truncations_and_garbage_without_panicking() {
    let f = fixture();
    let (s, p) = &f.steps[0];
    let pb = p.to_bytes();
    for cut in (0..pb.len()).step_by(997) {
        assert!(matches!(
            IterationProof::from_bytes(&pb[..cut]),
            Err(ProofError::Malformed(_))
        ));
    }
    let sb = s.to_bytes();
    for cut in 0..sb.len() {
        assert!(
            IterationStatement::from_bytes(&sb[..cut]).is_err(),
            "cut {cut}"
        );
    }
    let db = f.dataset.to_bytes();
    for cut in (0..db.len()).step_by(31) {
        assert!(
            DatasetCommitment::from_bytes(&db[..cut]).is_err(),
            "cut {cut}"
        );
    }
    // Pseudo-random garbage behind a valid header.
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    for len in [0usize, 7, 64, 1000] {
        let mut b = pb[..6].to_vec();
        for _ in 0..len {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            b.push(x as u8);
        }
        assert!(IterationProof::from_bytes(&b).is_err());
        assert!(ModelCommitment::from_bytes(&b).is_err());
    }
}

#[test]
fn another_scale_and_batch_verify() {
    // f = 12 (exp index shift 4, a 12-bit remainder table beside the 16-bit limbs), batch 8.
    let f = fixture();
    let config = TrainConfig {
        frac_bits: 12,
        batch: 8,
        ..TrainConfig::default()
    };
    let system = ProofSystem::setup(&config, SAMPLES).unwrap();
    let (mut prover, dataset) = Prover::new(&system, &config, &f.data, SEED).unwrap();
    let (s, p, _) = prover.prove_next(&f.data).unwrap();
    verify_iteration(&system, &dataset, &s, &p).unwrap();
    assert!(matches!(
        verify_iteration(&f.system, &dataset, &s, &p),
        Err(ProofError::Malformed(_)) | Err(ProofError::Rejected { .. })
    ));
    // Average pooling is not proven yet (LeNet-5's max-pool is: nn/tests/proof_lenet.rs).
    let avg_pool = TrainConfig {
        model: kaizen_nn::ModelKind::LenetRef,
        ..TrainConfig::default()
    };
    assert!(ProofSystem::setup(&avg_pool, SAMPLES).is_err());
    let odd = TrainConfig {
        batch: 12,
        ..TrainConfig::default()
    };
    assert!(ProofSystem::setup(&odd, SAMPLES).is_err());
}
