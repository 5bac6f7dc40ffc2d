//! The per-iteration training proof of LeNet-5 (conv 6 + max-pool, conv 16 + max-pool, dense
//! 400-120-84-10 on 1x32x32 inputs, batch 16) on the embedded Fashion-MNIST subset: honest
//! iterations verify and chain; a wrong convolution output, a non-maximal pool choice, a wrong
//! weight-gradient coordinate and a sample outside the batch are rejected at their checks.

mod common;

use std::sync::OnceLock;

use common::Fixture;

use kaizen_nn::proof::Tamper;
use kaizen_nn::{verify_iteration, ModelKind, Prover, TrainConfig};

const SAMPLES: usize = 64;
const SEED: [u8; 32] = [7; 32];

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let config = TrainConfig {
            model: ModelKind::Lenet5,
            lr: 0.05,
            ..TrainConfig::default()
        };
        Fixture::build(config, SAMPLES, SEED, 2)
    })
}

fn tampered(tamper: Tamper) -> &'static str {
    fixture().tampered(tamper)
}

#[test]
fn honest_lenet_iterations_verify_and_chain() {
    let f = fixture();
    for (t, (s, p)) in f.steps.iter().enumerate() {
        assert_eq!(s.iteration, t as u64);
        verify_iteration(&f.system, &f.dataset, s, p)
            .unwrap_or_else(|e| panic!("iteration {t}: {e}"));
    }
    assert_eq!(f.steps[0].0.model_after, f.steps[1].0.model_before);
    assert_ne!(f.steps[0].0.model_before, f.steps[0].0.model_after);
    // A proof does not verify as another iteration's.
    let (s0, _) = &f.steps[0];
    let (_, p1) = &f.steps[1];
    assert!(verify_iteration(&f.system, &f.dataset, s0, p1).is_err());
}

#[test]
fn a_wrong_conv_output_fails_the_conv_check() {
    assert_eq!(tampered(Tamper::WrongConvOut), "conv");
}

#[test]
fn a_non_maximal_pool_choice_fails_the_hadamard_check() {
    assert_eq!(tampered(Tamper::WrongPoolChoice), "hadamard");
}

#[test]
fn a_wrong_conv_weight_gradient_fails_the_conv_check() {
    assert_eq!(tampered(Tamper::WrongConvDw), "conv");
}

#[test]
fn a_sample_outside_the_batch_fails_the_opening() {
    assert_eq!(tampered(Tamper::WrongSample), "opening");
}

#[test]
fn lenet_proof_bytes_do_not_depend_on_the_thread_count() {
    let f = fixture();
    let prove_with = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let (mut prover, _) = Prover::new(&f.system, &f.config, &f.data, SEED).unwrap();
            let (s, p, _) = prover.prove_next(&f.data).unwrap();
            (s.to_bytes(), p.to_bytes())
        })
    };
    let one = prove_with(1);
    assert_eq!(one, prove_with(2));
    let (s0, p0) = &f.steps[0];
    assert_eq!(one, (s0.to_bytes(), p0.to_bytes()));
}
