//! Training is bit-for-bit the same whatever the thread count, witness included.

use kaizen_nn::{FashionMnist, ModelKind, TrainConfig, Trainer, Witness};

/// Named witness arrays, widened.
type Trace = Vec<(String, Vec<i64>)>;

fn run(threads: usize, model: ModelKind) -> (Vec<Vec<i32>>, Trace) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    pool.install(|| {
        let data = FashionMnist::embedded().unwrap();
        let config = TrainConfig {
            model,
            batch: 4,
            ..TrainConfig::default()
        };
        let mut t = Trainer::new(&config, data.train.len()).unwrap();
        let mut wit = Witness::recording();
        for _ in 0..3 {
            wit = Witness::recording();
            t.step(&data.train, &mut wit).unwrap();
        }
        let params = t
            .model
            .params
            .iter()
            .flat_map(|p| [p.w.clone(), p.b.clone()])
            .collect();
        let trace = wit
            .entries()
            .map(|e| (e.name.to_string(), e.values.to_i64()))
            .collect();
        (params, trace)
    })
}

#[test]
fn one_and_two_threads_agree() {
    for model in [ModelKind::Mlp, ModelKind::Lenet5, ModelKind::LenetRef] {
        let (p1, w1) = run(1, model);
        let (p2, w2) = run(2, model);
        assert_eq!(p1, p2, "{model:?} parameters");
        assert_eq!(w1, w2, "{model:?} witness");
        assert!(!w1.is_empty());
    }
}

/// What `kaizen train` writes, run in a pool of `threads`.
fn cli_checkpoint(threads: usize, model: ModelKind) -> (Vec<u8>, kaizen_nn::TrainReport) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    pool.install(|| {
        let data = FashionMnist::embedded().unwrap();
        let config = TrainConfig {
            model,
            max_iterations: Some(6),
            record_witness: true,
            seed: 11,
            ..TrainConfig::default()
        };
        let mut calls = 0u64;
        let (trained, report) = kaizen_nn::train(&config, &data, &mut |p| {
            calls += 1;
            assert_eq!(p.iteration, calls);
        })
        .unwrap();
        assert_eq!(calls, 6);
        let ckpt = kaizen_nn::Checkpoint {
            model: trained,
            iterations: report.iterations,
            seed: config.seed,
        };
        (ckpt.to_bytes(), report)
    })
}

#[test]
fn train_with_max_iterations_gives_identical_checkpoints_on_one_and_two_threads() {
    for model in [ModelKind::Mlp, ModelKind::Lenet5] {
        let (c1, r1) = cli_checkpoint(1, model);
        let (c2, r2) = cli_checkpoint(2, model);
        assert_eq!(c1, c2, "{model:?} checkpoint bytes");
        assert_eq!(r1.iterations, 6);
        assert_eq!(r1.test, r2.test, "{model:?} evaluation");
        assert_eq!(r1.final_loss.to_bits(), r2.final_loss.to_bits());
        assert_eq!(r1.witness_bytes, r2.witness_bytes);
        assert!(r1.witness_bytes.unwrap_or(0) > 0);
        let init = kaizen_nn::Checkpoint {
            model: kaizen_nn::Model::init(model, kaizen_nn::FixedPoint::default(), 11).unwrap(),
            iterations: 6,
            seed: 11,
        };
        assert_ne!(c1, init.to_bytes(), "{model:?} trained");
    }
}

#[test]
fn f32_reference_is_the_same_on_one_and_two_threads() {
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let data = FashionMnist::embedded().unwrap();
            let config = TrainConfig {
                model: ModelKind::Lenet5,
                max_iterations: Some(3),
                ..TrainConfig::default()
            };
            kaizen_nn::reference::train_f32(&config, &data, &mut |_| {})
                .unwrap()
                .0
        })
    };
    let (a, b) = (run(1), run(2));
    assert_eq!(a, b);
}
