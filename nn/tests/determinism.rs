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
            .iter()
            .map(|e| (e.name.clone(), e.values.to_i64()))
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
