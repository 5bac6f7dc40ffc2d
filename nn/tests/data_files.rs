//! IDX files: good files load; bad ones are rejected with the file named and the problem typed.

use std::io::Write;
use std::path::Path;

use kaizen_nn::data::idx::{parse_idx, read_idx};
use kaizen_nn::{FashionMnist, FileProblem, NnError};

fn idx_bytes(dims: &[u32], data: &[u8]) -> Vec<u8> {
    let mut v = vec![0, 0, 8, dims.len() as u8];
    for d in dims {
        v.extend_from_slice(&d.to_be_bytes());
    }
    v.extend_from_slice(data);
    v
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn problem(err: NnError, path: &Path) -> FileProblem {
    let msg = err.to_string();
    assert!(
        msg.contains(&path.display().to_string()),
        "error {msg:?} does not name {}",
        path.display()
    );
    match err {
        NnError::BadFile { path: p, what } => {
            assert_eq!(p, path);
            what
        }
        other => panic!("expected BadFile, got {other}"),
    }
}

#[test]
fn embedded_subset_loads() {
    let d = FashionMnist::embedded().unwrap();
    assert_eq!((d.train.len(), d.test.len()), (1000, 200));
    assert!(d.train.labels.iter().all(|&l| l < 10));
    for c in 0..10u8 {
        assert!(d.train.labels.contains(&c), "class {c} in the subset");
    }
}

#[test]
fn raw_and_gzip_agree_and_bad_files_are_named() {
    let p = Path::new("x.idx");
    let good = idx_bytes(&[2, 3], &[1, 2, 3, 4, 5, 6]);
    let a = parse_idx(p, &good).unwrap();
    assert_eq!(a.dims, vec![2, 3]);
    assert_eq!(a, parse_idx(p, &gz(&good)).unwrap());

    let t = problem(parse_idx(p, &good[..good.len() - 1]).unwrap_err(), p);
    assert_eq!(
        t,
        FileProblem::Truncated {
            expected: 18,
            actual: 17
        }
    );
    assert!(matches!(
        problem(parse_idx(p, &good[..6]).unwrap_err(), p),
        FileProblem::Truncated { .. }
    ));
    assert!(matches!(
        problem(
            parse_idx(p, &[good.clone(), vec![0]].concat()).unwrap_err(),
            p
        ),
        FileProblem::Trailing { .. }
    ));
    let mut bad_magic = good.clone();
    bad_magic[2] = 0x0d; // float data
    assert!(matches!(
        problem(parse_idx(p, &bad_magic).unwrap_err(), p),
        FileProblem::BadMagic { .. }
    ));
    let mut g = gz(&good);
    g.truncate(g.len() - 6);
    assert!(matches!(
        problem(parse_idx(p, &g).unwrap_err(), p),
        FileProblem::Gzip(_)
    ));
}

#[test]
fn dimensions_whose_product_overflows_are_refused() {
    let p = Path::new("wrap.idx");
    // 2^16 ^ 4 = 2^64 wraps to 0 in a u64: the 20-byte header alone must not be accepted.
    let wrap = idx_bytes(&[1 << 16; 4], &[]);
    assert!(matches!(
        problem(parse_idx(p, &wrap).unwrap_err(), p),
        FileProblem::BadDims { .. }
    ));
    assert!(matches!(
        problem(parse_idx(p, &gz(&wrap)).unwrap_err(), p),
        FileProblem::BadDims { .. }
    ));
}

fn write_set(dir: &Path, n_img: u32, n_lab: u32, label: u8) {
    let img = idx_bytes(&[n_img, 28, 28], &vec![7u8; n_img as usize * 784]);
    let lab = idx_bytes(&[n_lab], &vec![label; n_lab as usize]);
    for (prefix, n) in [("train", 0), ("t10k", 1)] {
        let _ = n;
        std::fs::write(dir.join(format!("{prefix}-images-idx3-ubyte.gz")), gz(&img)).unwrap();
        std::fs::write(dir.join(format!("{prefix}-labels-idx1-ubyte")), &lab).unwrap();
    }
}

#[test]
fn directory_loading_checks_pairs() {
    let dir = tempfile::tempdir().unwrap();
    write_set(dir.path(), 5, 5, 3);
    let d = FashionMnist::load_dir(dir.path()).unwrap();
    assert_eq!(d.train.len(), 5);

    write_set(dir.path(), 5, 4, 3);
    let labels = dir.path().join("train-labels-idx1-ubyte");
    let e = FashionMnist::load_dir(dir.path()).unwrap_err();
    assert_eq!(
        problem(e, &labels),
        FileProblem::CountMismatch {
            images: 5,
            labels: 4
        }
    );

    write_set(dir.path(), 5, 5, 10);
    let e = FashionMnist::load_dir(dir.path()).unwrap_err();
    assert!(matches!(
        problem(e, &labels),
        FileProblem::BadLabel { label: 10, .. }
    ));

    std::fs::remove_file(&labels).unwrap();
    match FashionMnist::load_dir(dir.path()).unwrap_err() {
        NnError::Io { path, .. } => assert_eq!(path, labels),
        other => panic!("expected Io, got {other}"),
    }
    let missing = dir.path().join("nope");
    assert!(matches!(read_idx(&missing).unwrap_err(), NnError::Io { path, .. } if path == missing));
}
