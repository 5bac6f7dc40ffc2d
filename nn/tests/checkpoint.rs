//! Checkpoints round-trip, never overwrite silently, and reject corrupt files by name.

use kaizen_nn::fixed::FixedPoint;
use kaizen_nn::{Checkpoint, FileProblem, Model, ModelKind, NnError};

fn ckpt() -> Checkpoint {
    let model = Model::init(ModelKind::Lenet5, FixedPoint::default(), 5).unwrap();
    Checkpoint {
        model,
        iterations: 42,
        seed: 5,
    }
}

#[test]
fn round_trip_and_no_silent_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.ckpt");
    let c = ckpt();
    c.save(&path, false).unwrap();
    assert_eq!(Checkpoint::load(&path).unwrap(), c);
    let mut other = c.clone();
    other.iterations = 43;
    assert!(matches!(other.save(&path, false), Err(NnError::Exists { path: p }) if p == path));
    assert_eq!(Checkpoint::load(&path).unwrap().iterations, 42, "kept");
    other.save(&path, true).unwrap();
    assert_eq!(Checkpoint::load(&path).unwrap().iterations, 43);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "no temporary file left: {names:?}");
}

#[test]
fn corrupt_files_are_rejected_by_name() {
    let p = std::path::Path::new("bad.ckpt");
    let bytes = ckpt().to_bytes();
    let what = |b: &[u8]| match Checkpoint::from_bytes(p, b).unwrap_err() {
        NnError::BadFile { path, what } => {
            assert_eq!(path, p);
            what
        }
        other => panic!("expected BadFile, got {other}"),
    };
    let mut flipped = bytes.clone();
    flipped[100] ^= 1;
    assert_eq!(what(&flipped), FileProblem::Digest);
    let mut version = bytes.clone();
    version[8] = 9;
    assert_eq!(
        what(&version),
        FileProblem::Version {
            found: 9,
            expected: 1
        }
    );
    let mut magic = bytes.clone();
    magic[0] = b'X';
    assert!(matches!(what(&magic), FileProblem::BadMagic { .. }));
    assert!(matches!(
        what(&bytes[..20]),
        FileProblem::Truncated { .. } | FileProblem::Digest
    ));
    assert!(matches!(what(&bytes[..10]), FileProblem::Truncated { .. }));
}
