//! A witness spilled to a memory-mapped file equals the heap one, byte for byte, and the
//! training it traces is unchanged.

use kaizen_nn::witness::IntSlice;
use kaizen_nn::{FashionMnist, ModelKind, TrainConfig, Trainer, Witness};

fn step(model: ModelKind, wit: &mut Witness) -> Trainer {
    let data = FashionMnist::embedded().unwrap();
    let config = TrainConfig {
        model,
        batch: 4,
        ..TrainConfig::default()
    };
    let mut t = Trainer::new(&config, data.train.len()).unwrap();
    t.step(&data.train, wit).unwrap();
    t
}

#[test]
fn spilled_trace_equals_heap_trace_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    for model in [ModelKind::Mlp, ModelKind::Lenet5] {
        let mut heap = Witness::recording();
        let mut disk = Witness::spilling(dir.path()).unwrap();
        let t_heap = step(model, &mut heap);
        let t_disk = step(model, &mut disk);
        assert_eq!(t_heap.model, t_disk.model, "{model:?}");
        assert!(heap.len() > 10);
        assert_eq!(heap.len(), disk.len());
        for (a, b) in heap.entries().zip(disk.entries()) {
            assert_eq!(a.name, b.name);
            assert_eq!(a.values.ty(), b.values.ty(), "{}", a.name);
            assert_eq!(a.values.as_bytes(), b.values.as_bytes(), "{}", a.name);
        }
        assert_eq!(heap.total_bytes(), disk.total_bytes());
        assert_eq!(disk.heap_bytes(), 0, "every non-empty array spilled");
        assert!(disk.spill_file_bytes() >= disk.total_bytes() as u64);
        assert!(disk.spill_file_bytes() < disk.total_bytes() as u64 + 8 * disk.len() as u64);
        // Typed slices with their widths, straight from the map.
        assert!(matches!(disk.get("labels"), Some(IntSlice::U8(_))));
        let w_old = disk.get("0.sgd.w.old").unwrap();
        assert!(w_old.bits() <= 32);
        assert_eq!(
            w_old.to_i64(),
            heap.get("0.sgd.w.old").unwrap().to_i64(),
            "{model:?}"
        );
    }
    // Both files were removed when their traces dropped.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn unwritable_spill_directory_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let gone = dir.path().join("removed");
    std::fs::create_dir(&gone).unwrap();
    let wit = Witness::spilling(&gone);
    assert!(wit.is_ok());
    drop(wit);
    std::fs::remove_dir(&gone).unwrap();
    let err = Witness::spilling(&gone).unwrap_err();
    assert!(err.to_string().contains("removed"), "{err}");
}
