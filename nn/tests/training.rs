//! End-to-end training on the embedded subset: it learns, tracks the f32 twin, and its
//! witness holds every kind of intermediate in narrow types.

use kaizen_nn::reference::train_f32;
use kaizen_nn::witness::IntSlice;
use kaizen_nn::{evaluate, train, FashionMnist, ModelKind, TrainConfig, Trainer, Witness};

#[test]
fn mlp_learns_the_subset_and_tracks_f32() {
    let data = FashionMnist::embedded().unwrap();
    let config = TrainConfig {
        epochs: 2,
        ..TrainConfig::default()
    };
    let (model, report) = train(&config, &data, &mut |_| {}).unwrap();
    assert_eq!(report.iterations, 2 * 62);
    assert!(
        report.test.accuracy >= 0.65,
        "fixed-point accuracy {}",
        report.test.accuracy
    );
    assert_eq!(evaluate(&model, &data.test).unwrap(), report.test);
    let (_, f) = train_f32(&config, &data, &mut |_| {}).unwrap();
    assert!(
        (report.test.accuracy - f.accuracy).abs() <= 0.05,
        "fixed {} vs f32 {}",
        report.test.accuracy,
        f.accuracy
    );
}

#[test]
fn witness_has_every_intermediate_in_narrow_types() {
    let data = FashionMnist::embedded().unwrap();
    let config = TrainConfig {
        model: ModelKind::Lenet5,
        ..TrainConfig::default()
    };
    let mut t = Trainer::new(&config, data.train.len()).unwrap();
    let before = t.model.params.clone();
    let mut wit = Witness::recording();
    t.step(&data.train, &mut wit).unwrap();
    for name in [
        "input",
        "labels",
        "0.conv.fwd",
        "0.conv.fwd.rem",
        "1.relu.sign",
        "2.maxpool.argmax",
        "11.softmax.exp_idx",
        "11.softmax.exp",
        "11.softmax.p.rem",
        "0.conv.dw",
        "0.conv.dw.rem",
        "6.dense.dx",
        "5.maxpool.dx",
        "0.sgd.w.old",
        "0.sgd.w.new",
        "0.sgd.w.rem",
        "10.dense.db",
    ] {
        assert!(wit.get(name).is_some(), "missing {name}");
    }
    assert!(matches!(wit.get("labels"), Some(IntSlice::U8(_))));
    assert!(matches!(wit.get("1.relu.sign"), Some(IntSlice::U8(_))));
    assert!(matches!(wit.get("0.conv.fwd.rem"), Some(IntSlice::U16(_))));
    assert_eq!(
        wit.get("0.sgd.w.old").unwrap().to_i64(),
        before[0].w.iter().map(|&v| v as i64).collect::<Vec<_>>()
    );
    assert_eq!(
        wit.get("0.sgd.w.new").unwrap().to_i64(),
        t.model.params[0]
            .w
            .iter()
            .map(|&v| v as i64)
            .collect::<Vec<_>>()
    );
    assert!(wit.total_bytes() < 4 * wit.total_values());
}
